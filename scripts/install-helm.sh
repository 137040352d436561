#!/usr/bin/env bash
# Installs a pinned Helm 3 binary (cached in ~/.cache/meshgate, linked as .tools/bin/helm), built
# from source with the local Go toolchain from the Go module proxy (no release downloads needed),
# the way install-consul.sh builds Consul. Prints the link's path on stdout, progress on stderr.
# Safe to run again: it is a no-op once the binary works.
#
# `go install helm.sh/helm/v3/cmd/helm@vX` builds the command from the published module. Go's
# module and build caches are the shared ones under the cache's go/ (also used by Consul's build),
# so the install is self-contained; the build cache is dropped once the binary exists.
# GOTOOLCHAIN=local: Go never downloads a toolchain, so the pinned release needs a local Go >= the
# `go` line of its go.mod. The build is niced; HELM_BUILD_JOBS=N builds N packages at a time.
set -euo pipefail
HELM_VERSION="${HELM_VERSION:-3.21.4}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Builds are cached per machine, outside the clone, so a fresh clone (as CI makes) reuses them.
cache="${MESHGATE_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/meshgate}"
dest="$cache/helm-$HELM_VERSION"
bin="$dest/helm"
link="$root/.tools/bin/helm"

# One Go build at a time per machine: the builds share the cache's go/ (each ends with
# `go clean -cache`), and two runs of one script must not build into one directory. The lock is
# held until this script exits; a second run waits, then finds the binary the first one built.
mkdir -p "$cache"
exec 9>"$cache/go-build.lock"
flock 9

if [ ! -x "$bin" ] || ! "$bin" version --short >/dev/null 2>&1; then
  command -v go >/dev/null || { echo "install-helm: go is required to build helm" >&2; exit 1; }
  jobs="${HELM_BUILD_JOBS:-1}"
  gohome="$cache/go"
  export GOPATH="$gohome" GOMODCACHE="$gohome/pkg/mod" GOCACHE="$gohome/cache"
  export GOTOOLCHAIN=local GOFLAGS="-modcacherw -buildvcs=false" GOWORK=off CGO_ENABLED=0
  export GOMAXPROCS="$jobs" GOBIN="$dest"
  echo "building helm $HELM_VERSION with $(go version | cut -d' ' -f3) into $dest" >&2
  start=$SECONDS
  mkdir -p "$dest"
  nice -n 19 go install -p "$jobs" -trimpath \
    -ldflags "-s -w -X helm.sh/helm/v3/internal/version.version=v$HELM_VERSION" \
    "helm.sh/helm/v3/cmd/helm@v$HELM_VERSION" >&2
  go clean -cache # objects only useful to rebuild this same version; keep the module cache
  echo "built helm $HELM_VERSION in $((SECONDS - start))s ($(du -h "$bin" | cut -f1))" >&2
fi
mkdir -p "$(dirname "$link")"
ln -sfn "$bin" "$link"
"$link" version --short >&2
echo "$link"
