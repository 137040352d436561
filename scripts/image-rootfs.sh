#!/usr/bin/env bash
# Builds the container image's root filesystem (everything but the Meshgate jars, which Jib adds):
#   OUT/opt/java            a runtime jlinked from the build JDK with only MODULES (comma-separated)
#   OUT/lib*/...            the glibc files that runtime's ELF files load (read by ldd), copied
#                           from the build machine: the image is FROM scratch, nothing is pulled
#   OUT/usr/share/meshgate/native-libs.txt  which Debian package and version each file came from
# Usage: scripts/image-rootfs.sh JDK_HOME OUT MODULES
# Called by the image module's build (image/pom.xml); needs Linux with glibc and ldd.
set -euo pipefail

jdk="$1"
out="$2"
modules="$3"

rm -rf "$out"
mkdir -p "$out/opt" "$out/usr/share/meshgate"

# No AWT/sound natives: java.desktop is in MODULES only because jdeps sees java.beans uses
# (Jackson, Micrometer); the server is headless, and the X11/ALSA libraries those natives load
# are not in the image.
"$jdk/bin/jlink" --add-modules "$modules" --output "$out/opt/java" \
  --strip-debug --no-man-pages --no-header-files \
  --exclude-files='**/libawt_xawt.so,**/libjawt.so,**/libsplashscreen.so,**/libjsound.so,**/libfontmanager.so,**/liblcms.so,**/libmlib_image.so,**/libjavajpeg.so,**/libfreetype.so'

# The shared libraries every ELF file of the runtime needs, as ldd resolves them here.
libs="$(find "$out/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' \) -print0 \
  | LD_LIBRARY_PATH="$out/opt/java/lib:$out/opt/java/lib/server" xargs -0 ldd 2>/dev/null \
  | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\/.*ld-linux/ { print $1 }' \
  | grep -v "^$out/" | sort -u)"
# glibc dlopens libgcc_s for thread cancellation and unwinding (ldd cannot see that).
# awk reads all of ldconfig's output (no early exit): under pipefail an early exit would kill
# ldconfig with SIGPIPE and fail the build with status 141 whenever its output outgrows the pipe.
libs="$libs"$'\n'"$(ldconfig -p | awk '/libgcc_s.so.1 .*x86-64/ && !found { found = $NF } END { print found }')"

: > "$out/usr/share/meshgate/native-libs.txt"
for lib in $(printf '%s\n' "$libs" | sort -u); do
  mkdir -p "$out$(dirname "$lib")"
  cp -L "$lib" "$out$lib"
  real="$(readlink -f "$lib")"
  pkg="$(dpkg -S "$real" 2>/dev/null | head -n 1 | cut -d: -f1,2 || true)"
  if [ -z "$pkg" ]; then pkg="$(dpkg -S "$lib" 2>/dev/null | head -n 1 | cut -d: -f1,2 || true)"; fi
  version="$( [ -n "$pkg" ] && dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null || echo unknown)"
  echo "$lib ${pkg:-unknown} $version $(sha256sum "$out$lib" | cut -d ' ' -f 1)" >> "$out/usr/share/meshgate/native-libs.txt"
done
# The runtime's own provenance beside the libraries'.
sed -n 's/^IMPLEMENTOR_VERSION="\(.*\)"/runtime \1/p' "$out/opt/java/release" >> "$out/usr/share/meshgate/native-libs.txt"
