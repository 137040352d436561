#!/usr/bin/env bash
# The quick start in one command: build Meshgate, install the pinned Envoy, then serve the
# quickstart example with its demo upstreams and a real Envoy edge gateway in front of them.
# Extra arguments go to `meshgate serve` (for example another example directory first).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export JAVA_HOME="$(scripts/jdk-home.sh)"
if [ ! -f cli/target/lib/.built ] || [ -n "$(find grammar compiler discovery-adapters xds-server envoy-bootstrap cli -name '*.java' -newer cli/target/lib/.built -o -name '*.g4' -newer cli/target/lib/.built 2>/dev/null | head -n 1)" ]; then
  echo "building meshgate (first run takes a few minutes: Maven downloads its dependencies)..." >&2
  ./mvnw -q -B -ntp -DskipTests install
  touch cli/target/lib/.built
fi
if [ -z "${ENVOY_BIN:-}" ]; then
  # The installer's own errors stay visible: they say what is missing (python3, network, ...).
  if ! ENVOY_BIN="$(scripts/install-envoy.sh)"; then
    echo "quickstart: installing Envoy failed (the error is above); starting without an Envoy." \
      "Fix that and run again, or set ENVOY_BIN to an Envoy binary." >&2
    ENVOY_BIN=""
  fi
fi
export ENVOY_BIN
if [ $# -eq 0 ]; then set -- examples/quickstart; fi
exec bin/meshgate serve "$@" --demo
