#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to a working TiGrIS: installs the build
# dependencies (Debian packages only), builds the compiler, and runs it on the demo model.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/common.sh

# shellcheck disable=SC2086
tigris_apt_install $TIGRIS_BUILD_PACKAGES

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DTIGRIS_BUILD_TESTS=OFF
cmake --build build -j "$(tigris_jobs)"

demo=build/demo
mkdir -p "$demo"
/usr/bin/python3 tools/models/gen_models.py "$demo" --models ds_cnn,unet_like
tigris=build/apps/tigris
echo
echo "\$ tigris analyze ds_cnn.onnx -m 256K -f 4M"
"$tigris" analyze "$demo/ds_cnn.onnx" -m 256K -f 4M
echo
echo "\$ tigris compile ds_cnn.onnx -m 256K -f 4M -o ds_cnn.tgrs"
"$tigris" compile "$demo/ds_cnn.onnx" -m 256K -f 4M -o "$demo/ds_cnn.tgrs"
echo
echo "\$ tigris run ds_cnn.tgrs -i ds_cnn.input_0.pb -o out/"
"$tigris" run "$demo/ds_cnn.tgrs" -i "$demo/ds_cnn.input_0.pb" -o "$demo/out"
echo
echo "\$ tigris analyze unet_like.onnx -m 750K -m 8M    # fast SRAM + slow PSRAM: long skips spill"
"$tigris" analyze "$demo/unet_like.onnx" -m 750K -m 8M
echo
echo "TiGrIS is built: $tigris (install with: cmake --install build --prefix /usr/local)"
