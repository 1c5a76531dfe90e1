#!/usr/bin/env bash
# The Debian package end to end: cpack builds tigris_<version>_<arch>.deb from the build tree,
# dpkg-deb extracts it into a fresh root (no root privileges needed) which is then moved (the
# config must be relocatable), and the downstream find_package(Tigris) project is built against
# that root and run on an ONNX conformance model. Any failing step fails the test.
# Usage: run_package.sh BUILD_DIR SOURCE_DIR DOWNSTREAM_SRC WORK CASE_DIR
set -euo pipefail
die() { echo "run_package: $*" >&2; exit 1; }
[ $# -eq 5 ] || die "usage: run_package.sh BUILD_DIR SOURCE_DIR DOWNSTREAM_SRC WORK CASE_DIR"
build=$(realpath "$1") source=$(realpath "$2") downstream=$3 work=$4 case_dir=$5
rm -rf "$work"
mkdir -p "$work"

version=$(sed -n 's/^set(CPACK_PACKAGE_VERSION "\(.*\)")$/\1/p' "$build/CPackConfig.cmake")
[ -n "$version" ] || die "no CPACK_PACKAGE_VERSION in $build/CPackConfig.cmake"
arch=$(dpkg --print-architecture)
echo "== cpack -G DEB"
cpack --config "$build/CPackConfig.cmake" -G DEB -B "$work/pkg" >"$work/cpack.log" 2>&1 ||
  { cat "$work/cpack.log"; die "cpack failed"; }
deb=$work/pkg/tigris_${version}_${arch}.deb
[ -f "$deb" ] || die "cpack did not make $(basename "$deb") (made: $(ls "$work/pkg"))"
echo "$(basename "$deb"): $(stat -c %s "$deb") bytes"
dpkg-deb -f "$deb" Package Version Architecture Depends
[ "$(dpkg-deb -f "$deb" Version)" = "$version" ] || die "package version is not $version"

echo "== contents"
contents=$(dpkg-deb -c "$deb" | awk '{print $6}')
for f in ./usr/bin/tigris ./usr/include/tigris/tigris.h ./usr/include/tigris/runtime/tigris_runtime.h \
         ./usr/lib/cmake/Tigris/TigrisConfig.cmake ./usr/lib/cmake/Tigris/TigrisConfigVersion.cmake \
         ./usr/lib/cmake/Tigris/TigrisTargets.cmake ./usr/lib/libtigris_tigris.a ./usr/lib/libtigris_runtime.a \
         ./usr/lib/libtigris_kernels.a; do
  grep -qx -- "$f" <<<"$contents" || die "$f is missing from the package"
done
echo "$(grep -c '\.h$' <<<"$contents") headers, $(grep -c '\.a$' <<<"$contents") libraries, CLI, CMake config"

echo "== extract into a fresh root, then move it"
dpkg-deb -x "$deb" "$work/extracted"
mv "$work/extracted" "$work/root"
root=$work/root
# Relocatable: no text file of the package names the build or the source tree.
if grep -rIl -e "$build" -e "$source" "$root"; then die "the files above name the build or source tree"; fi
got=$("$root/usr/bin/tigris" --version)
[ "$got" = "tigris $version" ] || die "the packaged CLI says '$got', expected 'tigris $version'"

echo "== downstream find_package(Tigris) against the package"
cmake -S "$downstream" -B "$work/build" -G Ninja -DCMAKE_PREFIX_PATH="$root/usr" -DCMAKE_BUILD_TYPE=Release \
  >"$work/configure.log" 2>&1 || { cat "$work/configure.log"; die "configuring the downstream project failed"; }
found=$(sed -n 's/^Tigris_DIR:PATH=//p' "$work/build/CMakeCache.txt")
[ "$found" = "$root/usr/lib/cmake/Tigris" ] || die "find_package(Tigris) found '$found', not the package's config"
cmake --build "$work/build" -j 2 >"$work/build.log" 2>&1 || { cat "$work/build.log"; die "building the downstream project failed"; }
"$work/build/downstream" "$case_dir"
