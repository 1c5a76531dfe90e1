#!/usr/bin/env bash
# Tiled vs untiled: compiles MODEL untiled (one 1 GiB pool) and at each FAST budget with an
# 8 MiB slow pool, runs every plan on INPUT and requires each output file to be byte-identical
# to the untiled plan's (the exactness contract, docs/int8.md). The untiled plan itself is held
# to onnxruntime by the layer-by-layer tests.
# Usage: tiled_vs_untiled.sh TIGRIS_BIN MODEL INPUT WORK FAST [FAST...]
set -euo pipefail
tigris=$1 model=$2 input=$3 work=$4
shift 4
rm -rf "$work" && mkdir -p "$work"
"$tigris" compile "$model" -m 1G -o "$work/untiled.tgrs" > "$work/untiled.log"
"$tigris" run "$work/untiled.tgrs" -i "$input" -o "$work/untiled" > /dev/null
status=0
for b in "$@"; do
  "$tigris" compile "$model" -m "$b" -m 8M -o "$work/$b.tgrs" > "$work/$b.log"
  "$tigris" run "$work/$b.tgrs" -i "$input" -o "$work/$b" > /dev/null
  for f in "$work"/untiled/*.pb; do
    if ! cmp -s "$f" "$work/$b/$(basename "$f")"; then
      echo "$(basename "$model") at $b+8M: $(basename "$f") differs from the untiled plan's"
      status=1
    fi
  done
  [ $status = 0 ] && echo "$(basename "$model") at $b+8M: bit-identical to untiled"
done
exit $status
