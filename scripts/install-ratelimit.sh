#!/usr/bin/env bash
# Installs Envoy's rate-limit service (github.com/envoyproxy/ratelimit, the service behind global
# rate limits), built with the local Go toolchain from the Go module proxy, cached in
# ~/.cache/meshgate/ratelimit-<version>/ratelimit and linked as .tools/bin/ratelimit. Prints the
# link's path on stdout, progress on stderr. A no-op once the cached binary exists.
#
# The module has no tagged release since v1.4.0 (2019): we pin a pseudo-version the module proxy
# serves (`go list -m github.com/envoyproxy/ratelimit@<commit>` shows one); its go.mod has no
# replace directives, so `go install …@version` works as is. About 3-5 CPU-minutes cold (a few
# hundred MB of modules: Redis, memcache, gRPC, Envoy's go-control-plane), seconds when warm.
# GOTOOLCHAIN=local: the pinned commit needs Go >= 1.25.6 (its go.mod's go line).
set -euo pipefail
RATELIMIT_VERSION="${RATELIMIT_VERSION:-v1.4.1-0.20260122083618-3fb702589d36}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="${MESHGATE_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/meshgate}"
dest="$cache/ratelimit-$RATELIMIT_VERSION"
bin="$dest/ratelimit"
link="$root/.tools/bin/ratelimit"

# One Go build at a time per machine: the builds share the cache's go/ (each ends with
# `go clean -cache`), and two runs of one script must not build into one directory. The lock is
# held until this script exits; a second run waits, then finds the binary the first one built.
mkdir -p "$cache"
exec 9>"$cache/go-build.lock"
flock 9

if [ ! -x "$bin" ]; then
  command -v go >/dev/null || { echo "install-ratelimit: go is required to build ratelimit" >&2; exit 1; }
  gohome="$cache/go"
  export GOPATH="$gohome" GOMODCACHE="$gohome/pkg/mod" GOCACHE="$gohome/cache-ratelimit"
  export GOTOOLCHAIN=local GOFLAGS="-modcacherw -buildvcs=false" GOWORK=off CGO_ENABLED=0
  export GOMAXPROCS="${RATELIMIT_BUILD_JOBS:-1}"
  echo "building ratelimit $RATELIMIT_VERSION with $(go version | cut -d' ' -f3) into $dest" >&2
  start=$SECONDS
  mkdir -p "$cache"
  tmp="$(mktemp -d "$cache/ratelimit-build.XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT
  GOBIN="$tmp" nice -n 19 go install -p "$GOMAXPROCS" -trimpath -ldflags "-s -w" \
    "github.com/envoyproxy/ratelimit/src/service_cmd@$RATELIMIT_VERSION" >&2
  mkdir -p "$dest"
  mv "$tmp/service_cmd" "$bin.tmp.$$"
  mv "$bin.tmp.$$" "$bin" # atomic: a parallel install never sees half a binary
  go clean -cache # objects only useful to rebuild this same version; keep the module cache
  echo "built ratelimit $RATELIMIT_VERSION in $((SECONDS - start))s ($(du -h "$bin" | cut -f1))" >&2
fi
mkdir -p "$(dirname "$link")"
ln -sfn "$bin" "$link"
echo "$link"
