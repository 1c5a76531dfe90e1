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
echo "\$ tigris analyze ds_cnn.onnx -m 256K -f 4M          # fits as it is"
"$tigris" analyze "$demo/ds_cnn.onnx" -m 256K -f 4M
echo
echo "\$ tigris analyze ds_cnn.onnx -m 16K -m 8M -f 4M     # 16 KiB of SRAM + PSRAM: tiled"
"$tigris" analyze "$demo/ds_cnn.onnx" -m 16K -m 8M -f 4M
echo
echo "\$ tigris compile ds_cnn.onnx -m 16K -m 8M -f 4M -o ds_cnn.tgrs"
"$tigris" compile "$demo/ds_cnn.onnx" -m 16K -m 8M -f 4M -o "$demo/ds_cnn.tgrs"
echo
echo "\$ tigris run ds_cnn.tgrs -i ds_cnn.input_0.pb -o out/"
"$tigris" run "$demo/ds_cnn.tgrs" -i "$demo/ds_cnn.input_0.pb" -o "$demo/out"
# The same model untiled: the tiled plan's output is the same, bit for bit.
"$tigris" compile "$demo/ds_cnn.onnx" -m 256K -o "$demo/ds_cnn_untiled.tgrs" >/dev/null
"$tigris" run "$demo/ds_cnn_untiled.tgrs" -i "$demo/ds_cnn.input_0.pb" -o "$demo/out_untiled" >/dev/null
if cmp -s "$demo/out/output_0.pb" "$demo/out_untiled/output_0.pb"; then
  echo "(the 16 KiB plan's output is bit-identical to the untiled plan's)"
else
  echo "error: the tiled plan's output differs from the untiled plan's" >&2
  exit 1
fi
echo
echo "\$ tigris analyze ds_cnn.onnx -m 64K -m 8M --min-budget"
"$tigris" analyze "$demo/ds_cnn.onnx" -m 64K -m 8M --min-budget
echo
echo "\$ tigris analyze unet_like.onnx -m 64K -m 8M    # a U-Net in 64 KiB: chains and spilled skips"
"$tigris" analyze "$demo/unet_like.onnx" -m 64K -m 8M
echo
echo "TiGrIS is built: $tigris (install with: cmake --install build --prefix /usr/local)"
