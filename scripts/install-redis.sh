#!/usr/bin/env bash
# Installs Redis (Debian's redis-server, 7.x), the store Envoy's rate-limit service keeps its
# counters in, and links it as .tools/bin/redis-server. Prints the link's path on stdout. Needs
# root (or sudo) only when the package is missing; a no-op when redis-server is installed.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
link="$root/.tools/bin/redis-server"
bin="$(command -v redis-server || true)"
if [ -z "$bin" ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing redis-server with apt-get" >&2
  # Another apt-get or dpkg (a second install script, unattended upgrades) holds apt's locks, and
  # apt-get fails at once on a held lock: wait for it (up to 10 minutes) rather than fail.
  for _ in $(seq 1 300); do
    pgrep -x apt-get >/dev/null || pgrep -x apt >/dev/null || pgrep -x dpkg >/dev/null || break
    sleep 2
  done
  $sudo apt-get -o DPkg::Lock::Timeout=300 update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=300 install -y -qq \
    --no-install-recommends redis-server >&2
  # The package starts a system-wide redis on :6379; tests start their own on free ports.
  ($sudo systemctl disable --now redis-server >/dev/null 2>&1 || $sudo service redis-server stop >/dev/null 2>&1) || true
  bin="$(command -v redis-server)"
fi
mkdir -p "$(dirname "$link")"
ln -sfn "$bin" "$link"
"$link" --version >&2
echo "$link"
