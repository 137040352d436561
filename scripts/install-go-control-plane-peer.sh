#!/usr/bin/env bash
# Builds the go-control-plane peer of the side-by-side benchmark (benchmarks/peers/go-control-plane:
# go-control-plane's snapshot cache and ADS server over prebuilt resources; docs/benchmarks.md,
# issue 17.7) with the local Go toolchain and modules from the Go module proxy, cached in
# ~/.cache/meshgate/go-control-plane-peer-<version>-<source hash>/peer and linked as
# .tools/bin/go-control-plane-peer (or $GO_CONTROL_PLANE_PEER_LINK). Prints the link's path on stdout, progress on stderr. A no-op
# once the cached binary of this source exists (the hash covers go.mod, go.sum and main.go, so an
# edit builds a new one). About 2-4 CPU-minutes cold (gRPC and go-control-plane's Envoy protos),
# seconds when warm. Not part of CI: only PeerComparison needs it.
set -euo pipefail
GO_CONTROL_PLANE_VERSION="v0.14.0" # benchmarks/peers/go-control-plane/go.mod pins it (with go.sum)
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
src="$root/benchmarks/peers/go-control-plane"
cache="${MESHGATE_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/meshgate}"
hash="$(cat "$src/go.mod" "$src/go.sum" "$src/main.go" | sha256sum | cut -c1-12)"
dest="$cache/go-control-plane-peer-$GO_CONTROL_PLANE_VERSION-$hash"
bin="$dest/peer"
link="${GO_CONTROL_PLANE_PEER_LINK:-$root/.tools/bin/go-control-plane-peer}"

# One Go build at a time per machine: the builds share the cache's go/ module cache, and two runs
# of one script must not build into one directory. Held until this script exits.
mkdir -p "$cache"
exec 9>"$cache/go-build.lock"
flock 9

if [ ! -x "$bin" ]; then
  command -v go >/dev/null || { echo "install-go-control-plane-peer: go is required" >&2; exit 1; }
  gohome="$cache/go"
  export GOPATH="$gohome" GOMODCACHE="$gohome/pkg/mod" GOCACHE="$gohome/cache-go-control-plane-peer"
  export GOTOOLCHAIN=local GOFLAGS="-modcacherw -buildvcs=false -mod=readonly" GOWORK=off CGO_ENABLED=0
  export GOMAXPROCS="${PEER_BUILD_JOBS:-1}"
  echo "building the go-control-plane $GO_CONTROL_PLANE_VERSION peer with $(go version | cut -d' ' -f3) into $dest" >&2
  start=$SECONDS
  tmp="$(mktemp -d "$cache/go-control-plane-peer-build.XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT
  (cd "$src" && nice -n 19 go build -p "$GOMAXPROCS" -trimpath -ldflags "-s -w" -o "$tmp/peer" .) >&2
  mkdir -p "$dest"
  mv "$tmp/peer" "$bin.tmp.$$"
  mv "$bin.tmp.$$" "$bin" # atomic: a parallel install never sees half a binary
  go clean -cache # objects only useful to rebuild this same source; keep the module cache
  echo "built the go-control-plane peer in $((SECONDS - start))s ($(du -h "$bin" | cut -f1))" >&2
fi
mkdir -p "$(dirname "$link")"
ln -sfn "$bin" "$link"
echo "$link"
