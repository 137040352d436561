#!/usr/bin/env bash
# Installs a pinned Consul binary under .tools/ (git-ignored), built from source with the local
# Go toolchain from the Go module proxy (no release downloads needed). Prints the binary's path
# on stdout, progress on stderr. Safe to run again: it is a no-op once the binary works.
#
# Consul's go.mod replaces its own sub-modules (api, sdk, proto-public, envoyextensions,
# troubleshoot) with local directories that are not part of the published module, so
# `go install github.com/hashicorp/consul@vX` refuses. We copy the module source into a build
# directory, drop those replace directives (the published versions pinned in its require block
# are used instead) and `go build` there. Everything Go touches (module cache, build cache)
# lives under .tools/go so the install is self-contained; GOTOOLCHAIN=local so Go never tries
# to download a toolchain (the pinned version needs Go >= the `go` line of its go.mod).
# The build runs niced and single-threaded by default; CONSUL_BUILD_JOBS raises the parallelism.
set -euo pipefail
CONSUL_VERSION="${CONSUL_VERSION:-1.22.7}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="$root/.tools/consul-$CONSUL_VERSION"
bin="$dest/consul"
link="$root/.tools/bin/consul"

if [ ! -x "$bin" ] || ! "$bin" version >/dev/null 2>&1; then
  command -v go >/dev/null || { echo "install-consul: go is required to build consul" >&2; exit 1; }
  jobs="${CONSUL_BUILD_JOBS:-1}"
  gohome="$root/.tools/go"
  export GOPATH="$gohome" GOMODCACHE="$gohome/pkg/mod" GOCACHE="$gohome/cache"
  export GOTOOLCHAIN=local GOFLAGS="-mod=mod -buildvcs=false" GOWORK=off CGO_ENABLED=0
  export GOMAXPROCS="$jobs"
  echo "building consul $CONSUL_VERSION with $(go version | cut -d' ' -f3) into $dest" >&2
  start=$SECONDS

  # Dir of the module source, its release date and (on a fresh download) its commit.
  read -r src date commit < <(go mod download -json "github.com/hashicorp/consul@v$CONSUL_VERSION" | python3 -c '
import json, sys
m = json.load(sys.stdin)
if m.get("Error") or not m.get("Dir"):
    sys.exit("install-consul: download failed: %s" % m.get("Error"))
info = json.load(open(m["Info"]))
print(m["Dir"], info.get("Time", "unknown"), (m.get("Origin") or info.get("Origin") or {}).get("Hash", "unknown")[:12])
')
  [ -f "$src/go.mod" ] || { echo "install-consul: no module source for consul v$CONSUL_VERSION" >&2; exit 1; }

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
    nice -n 19 go build -p "$jobs" -trimpath \
      -ldflags "-s -w -X github.com/hashicorp/consul/version.GitCommit=$commit -X github.com/hashicorp/consul/version.BuildDate=$date" \
      -o "$bin.tmp" . >&2
  )
  mv "$bin.tmp" "$bin"
  rm -rf "$build"
  echo "built consul $CONSUL_VERSION in $((SECONDS - start))s ($(du -h "$bin" | cut -f1))" >&2
fi
mkdir -p "$(dirname "$link")"
ln -sfn "$bin" "$link"
"$link" version >&2
echo "$link"
