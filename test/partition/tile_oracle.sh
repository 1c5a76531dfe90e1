#!/usr/bin/env bash
# The untiled plans of the tiling sweep's models against onnxruntime: every model in MODELS_DIR
# runs through the pinned oracle (one batch process, test/oracle/run_ort.js) and through
# `tigris compile -m 1G` + `tigris run` (one unbounded pool: the plan tile_sweep_test holds every
# tiled plan to, bit for bit), compared with test/e2e/compare_outputs.py (max|ours-ref|/max|ref|).
# Usage: tile_oracle.sh TIGRIS_BIN MODELS_DIR WORK_DIR NODE NODE_MODULES PYTHON [THRESHOLD]
set -uo pipefail
tigris=$1 models=$2 work=$3 node=$4 modules=$5 py=$6 threshold=${7:-1e-4}
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
rm -rf "$work" && mkdir -p "$work"

list=$work/batch.txt
: >"$list"
names=()
for m in "$models"/*.onnx; do
  name=$(basename "$m" .onnx)
  names+=("$name")
  printf '%s\t%s\t%s\n' "$m" "$work/$name/ort" "$models/$name.input_0.pb" >>"$list"
done
[ ${#names[@]} -gt 0 ] || { echo "FAIL: no models in $models"; exit 1; }
echo "== onnxruntime on ${#names[@]} models"
NODE_PATH=$modules "$node" "$src/test/oracle/run_ort.js" --batch "$list" >"$work/ort.log" 2>&1 ||
  { cat "$work/ort.log"; echo "FAIL: the oracle did not run"; exit 1; }

failures=0
for name in "${names[@]}"; do
  out=$work/$name
  if [ -f "$out/ort/error.txt" ]; then
    echo "FAIL $name: onnxruntime rejects the model: $(cat "$out/ort/error.txt")"
    failures=$((failures + 1))
    continue
  fi
  if ! "$tigris" compile "$models/$name.onnx" -m 1G -o "$out/$name.tgrs" >"$out/compile.log" 2>&1 ||
     ! "$tigris" run "$out/$name.tgrs" -i "$models/$name.input_0.pb" -o "$out/ours/" >"$out/run.log" 2>&1; then
    echo "FAIL $name: $(cat "$out/compile.log" "$out/run.log" 2>/dev/null | tail -1)"
    failures=$((failures + 1))
    continue
  fi
  "$py" "$src/test/e2e/compare_outputs.py" "$out/ours" "$out/ort" --threshold "$threshold" --label "$name" ||
    failures=$((failures + 1))
done
echo "${#names[@]} models, $failures failed"
[ "$failures" -eq 0 ]
