#!/usr/bin/env bash
# Prints the home of a JDK >= 21 (Meshgate targets Java 21): $JAVA_HOME when it is one,
# else the newest JDK under /usr/lib/jvm. Fails with a clear message when there is none.
set -euo pipefail
# The feature version (17, 21, 25, ...) from the JDK's `release` file, as bin/meshgate reads it:
# starting a JVM per JDK only to ask its version cost about 0.1 s of CPU each (issue 17.4). A JDK
# without a readable `release` file is asked by running its java.
major() {
  local v=""
  if [ -r "$1/release" ]; then
    v="$(sed -n 's/^JAVA_VERSION="\(1\.\)\{0,1\}\([0-9]*\).*/\2/p' "$1/release" | head -n 1)"
  fi
  if [ -z "$v" ]; then
    v="$("$1/bin/java" -XshowSettings:properties -version 2>&1 \
      | sed -n 's/^ *java\.specification\.version = \(1\.\)\{0,1\}\([0-9]*\).*/\2/p' | head -n 1)"
  fi
  echo "$v"
}
ok() { [ -x "$1/bin/javac" ] && [ "$(major "$1")" -ge 21 ] 2>/dev/null; }
if [ -n "${JAVA_HOME:-}" ] && ok "$JAVA_HOME"; then echo "$JAVA_HOME"; exit 0; fi
best=""; best_major=0
for home in /usr/lib/jvm/* /opt/java/* "$HOME"/.sdkman/candidates/java/*; do
  [ -d "$home" ] && ok "$home" || continue
  m=$(major "$home"); if [ "$m" -gt "$best_major" ]; then best="$home"; best_major=$m; fi
done
if [ -z "$best" ]; then
  echo "meshgate: no JDK 21 or newer found (JAVA_HOME=${JAVA_HOME:-unset}); install one, e.g. apt-get install openjdk-21-jdk-headless" >&2
  exit 1
fi
echo "$best"
