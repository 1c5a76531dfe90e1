#!/usr/bin/env bash
# Weights XIP / streamed / LZ4: compiles MODEL at each BUDGET four ways -- --xip (what the e2e and
# int8 tests hold to onnxruntime), --stream-weights (read through the runtime's callback from the
# plan file), --stream-weights -c lz4 (decoded in place in RAM) and --xip -c lz4 (decoded from the
# mapped plan) -- runs every plan with `tigris run` and requires every output file byte-identical
# to the XIP plan's, and `tigris inspect --json` to attribute the same float32 / int8 / quant-table
# weight bytes in every mode (the staged modes' constants live in stage buffers, not the weights
# section). Prints the LZ4 ratio and the stage buffer sizes.
# Usage: weight_modes.sh TIGRIS_BIN MODEL.onnx INPUT.pb WORK BUDGET [BUDGET...]   (BUDGET: 64M, 8K+8M)
set -euo pipefail
tigris=$1 model=$2 input=$3 work=$4
shift 4
name=$(basename "$model" .onnx)
rm -rf "$work" && mkdir -p "$work"
status=0
for budget in "$@"; do
  mem=()
  IFS=+ read -ra pools <<< "$budget"
  for p in "${pools[@]}"; do mem+=(-m "$p"); done
  for mode in xip stream lz4 lz4xip; do
    case $mode in
      xip) flags=(--xip) ;;
      stream) flags=(--stream-weights) ;;
      lz4) flags=(--stream-weights -c lz4) ;;
      lz4xip) flags=(--xip -c lz4) ;;
    esac
    dir=$work/$budget-$mode
    "$tigris" compile "$model" "${mem[@]}" "${flags[@]}" -o "$dir.tgrs" > "$dir.log"
    "$tigris" run "$dir.tgrs" -i "$input" -o "$dir" > /dev/null
    kinds=$("$tigris" inspect "$dir.tgrs" --json | /usr/bin/python3 -c '
import json, sys
j = json.load(sys.stdin)
print(j["f32_weight_bytes"], j["int8_weight_bytes"], j["quant_table_bytes"])')
    [ "$mode" = xip ] && xip_kinds=$kinds
    if [ "$kinds" != "$xip_kinds" ] || [ "$kinds" = "0 0 0" ]; then
      echo "FAIL $name at $budget, $mode: inspect attributes weights (f32 int8 tables) $kinds, the XIP plan $xip_kinds"
      status=1
    fi
    if [ "$mode" != xip ]; then
      for f in "$work/$budget-xip"/*.pb; do
        if ! cmp -s "$f" "$dir/$(basename "$f")"; then
          echo "FAIL $name at $budget, $mode: $(basename "$f") differs from the XIP plan's"
          status=1
        fi
      done
    fi
    echo "$name at $budget, $mode: $(grep -E '^(plan size|weights)' "$dir.log" | tr '\n' ';')"
  done
done
[ $status = 0 ] && echo "$name: streamed and LZ4 outputs bit-identical to XIP at $*"
exit $status
