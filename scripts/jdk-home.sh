#!/usr/bin/env bash
# Prints the home of a JDK >= 21 (Meshgate targets Java 21): $JAVA_HOME when it is one,
# else the newest JDK under /usr/lib/jvm. Fails with a clear message when there is none.
set -euo pipefail
# The feature version (17, 21, 25, ...) from the JDK's `release` file, read by bash itself as
# bin/meshgate reads it: bin/meshgate runs this script when JAVA_HOME is unset, and every JVM or
# program started here is CPU time of that command (issue 17.4). A JDK without a readable
# `release` file is asked by running its java.
major() {
  local v="" line
  if [ -r "$1/release" ]; then
    while IFS= read -r line || [ -n "$line" ]; do
      case "$line" in
        JAVA_VERSION=*)
          v="${line#JAVA_VERSION=}"
          v="${v#\"}"
          v="${v#1.}"
          v="${v%%[!0-9]*}"
          break
          ;;
      esac
    done <"$1/release"
  fi
  if [ -z "$v" ] && [ -x "$1/bin/java" ]; then
    v="$("$1/bin/java" -XshowSettings:properties -version 2>&1 \
      | sed -n 's/^ *java\.specification\.version = \(1\.\)\{0,1\}\([0-9]*\).*/\2/p' | head -n 1)"
  fi
  echo "${v:-0}"
}
# A JDK (it has javac) of version 21 or newer: prints its feature version.
jdk21() {
  local m
  [ -x "$1/bin/javac" ] || return 1
  m="$(major "$1")"
  [ "$m" -ge 21 ] 2>/dev/null || return 1
  echo "$m"
}
if [ -n "${JAVA_HOME:-}" ] && jdk21 "$JAVA_HOME" >/dev/null; then echo "$JAVA_HOME"; exit 0; fi
best=""; best_major=0
for home in /usr/lib/jvm/* /opt/java/* "$HOME"/.sdkman/candidates/java/*; do
  [ -d "$home" ] && m="$(jdk21 "$home")" || continue
  if [ "$m" -gt "$best_major" ]; then best="$home"; best_major=$m; fi
done
if [ -z "$best" ]; then
  echo "meshgate: no JDK 21 or newer found (JAVA_HOME=${JAVA_HOME:-unset}); install one, e.g. apt-get install openjdk-21-jdk-headless" >&2
  exit 1
fi
echo "$best"
