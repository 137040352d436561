#!/usr/bin/env bash
# Installs a pinned Consul binary (cached in ~/.cache/meshgate, linked as .tools/bin/consul), built from source with the local
# Go toolchain from the Go module proxy (no release downloads needed). Prints the binary's path
# on stdout, progress on stderr. Safe to run again: it is a no-op once the binary works.
#
# Consul's go.mod replaces its own sub-modules (api, sdk, proto-public, envoyextensions,
# troubleshoot) with local directories that are not part of the published module, so
# `go install github.com/hashicorp/consul@vX` refuses. We copy the module source into a build
# directory, drop those replace directives so published versions are used (those its require
# block names, raised to CONSUL_MODULES where the release's own sources need newer ones) and
# `go build` there. Go's module and build caches live under the cache's go/, so the install is
# self-contained (the ~2 GB module cache stays for a rebuild; the build cache is dropped once
# the binary exists). GOTOOLCHAIN=local: Go never downloads a toolchain, so the pinned release
# needs a local Go >= the `go` line of its go.mod (1.22.7: go 1.25.9).
# The build is niced and single-threaded (about 6 CPU-minutes, 5-15 minutes of wall time);
# CONSUL_BUILD_JOBS=N builds N packages at a time on an idle machine.
set -euo pipefail
CONSUL_VERSION="${CONSUL_VERSION:-1.22.7}"
# Published sub-module versions to use instead of the local copies (space-separated
# module@version). A release's go.mod can require older sub-module tags than its own sources
# need: 1.22.7 requires api v1.33.7, but its sources need api >= v1.34.1 (ACLToken.Name,
# ACLAuthMethod.TokenNameFormat).
# When changing CONSUL_VERSION, set this to match that release (empty: use its go.mod as is).
CONSUL_MODULES="${CONSUL_MODULES-github.com/hashicorp/consul/api@v1.34.1}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Builds are cached per machine, outside the clone, so a fresh clone (as CI makes) reuses them.
cache="${MESHGATE_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/meshgate}"
dest="$cache/consul-$CONSUL_VERSION"
bin="$dest/consul"
link="$root/.tools/bin/consul"

# One Go build at a time per machine: the builds share the cache's go/ (each ends with
# `go clean -cache`), and two runs of one script must not build into one directory. The lock is
# held until this script exits; a second run waits, then finds the binary the first one built.
mkdir -p "$cache"
exec 9>"$cache/go-build.lock"
flock 9

if [ ! -x "$bin" ] || ! "$bin" version >/dev/null 2>&1; then
  command -v go >/dev/null || { echo "install-consul: go is required to build consul" >&2; exit 1; }
  jobs="${CONSUL_BUILD_JOBS:-1}"
  gohome="$cache/go"
  export GOPATH="$gohome" GOMODCACHE="$gohome/pkg/mod" GOCACHE="$gohome/cache"
  export GOTOOLCHAIN=local GOFLAGS="-mod=mod -modcacherw -buildvcs=false" GOWORK=off CGO_ENABLED=0
  export GOMAXPROCS="$jobs"
  echo "building consul $CONSUL_VERSION with $(go version | cut -d' ' -f3) into $dest" >&2
  start=$SECONDS

  # Dir of the module source, its release date and (on a fresh download only) its commit.
  read -r src date commit < <(go mod download -json "github.com/hashicorp/consul@v$CONSUL_VERSION" | python3 -c '
import json, sys
m = json.load(sys.stdin)
if m.get("Error") or not m.get("Dir"):
    sys.exit("install-consul: download failed: %s" % m.get("Error"))
info = json.load(open(m["Info"]))
print(m["Dir"], info.get("Time", "unknown"), (m.get("Origin") or info.get("Origin") or {}).get("Hash", "unknown")[:12])
')
  [ -f "$src/go.mod" ] || { echo "install-consul: no module source for consul v$CONSUL_VERSION" >&2; exit 1; }

  mkdir -p "$dest"
  build="$gohome/build/consul-$CONSUL_VERSION"
  rm -rf "$build"
  mkdir -p "$(dirname "$build")"
  cp -R "$src" "$build"
  chmod -R u+w "$build"
  (
    cd "$build"
    # Drop every replace of a github.com/hashicorp/consul/* sub-module by a local path.
    go mod edit -json | python3 -c '
import json, sys
for r in json.load(sys.stdin).get("Replace") or []:
    if r["Old"]["Path"].startswith("github.com/hashicorp/consul/") and r["New"]["Path"].startswith("."):
        print(r["Old"]["Path"] + ("@" + r["Old"]["Version"] if r["Old"].get("Version") else ""))
' | while read -r mod; do go mod edit -dropreplace="$mod"; done
    if [ -n "$CONSUL_MODULES" ]; then
      # shellcheck disable=SC2086 # a list of module@version words
      nice -n 19 go get $CONSUL_MODULES >&2
    fi
    nice -n 19 go build -p "$jobs" -trimpath \
      -ldflags "-s -w -X github.com/hashicorp/consul/version.GitCommit=$commit -X github.com/hashicorp/consul/version.BuildDate=$date" \
      -o "$bin.tmp" . >&2
  )
  mv "$bin.tmp" "$bin"
  rm -rf "$build"
  go clean -cache # ~2 GB of objects only useful to rebuild this same version; keep the module cache
  echo "built consul $CONSUL_VERSION in $((SECONDS - start))s ($(du -h "$bin" | cut -f1))" >&2
fi
mkdir -p "$(dirname "$link")"
ln -sfn "$bin" "$link"
"$link" version >&2
echo "$link"
