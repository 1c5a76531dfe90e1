#!/usr/bin/env bash
# End-to-end check of one test model: generate it (if absent), run the onnxruntime oracle, check
# the oracle against the generator's numpy reference, then `tigris compile` + `tigris run` and
# compare with the oracle (max|ours-ref|/max|ref| <= threshold). Exit 0 only if all steps pass.
#
# Usage: test/e2e/run_e2e.sh MODEL BUILD_DIR WORK_DIR [--budget 64M] [--threshold 1e-4] [--oracle-only]
#   MODEL      ds_cnn | mobilenet_v1 | mobilenet_v2 | yolov5n_like | unet_like | lstm_kws
#   BUILD_DIR  CMake build dir; the CLI is BUILD_DIR/apps/tigris unless TIGRIS_BIN is set
#   WORK_DIR   models go to WORK_DIR/models, results to WORK_DIR/MODEL[-BUDGET|-oracle]/
# Environment: TIGRIS_BIN (CLI path), TIGRIS_PYTHON (default /usr/bin/python3, needs onnx+numpy),
#   TIGRIS_NODE (default: node on PATH),
#   ORACLE_NODE_MODULES (node_modules holding onnxruntime-node; default BUILD_DIR/test/e2e/oracle/
#   node_modules, where ctest installs it, then test/oracle/node_modules; see test/oracle/install.sh).
set -euo pipefail

die() { echo "run_e2e: $*" >&2; exit 1; }
[ $# -ge 3 ] || die "usage: run_e2e.sh MODEL BUILD_DIR WORK_DIR [--budget 64M] [--threshold 1e-4] [--oracle-only]"
model=$1 build_dir=$2 work_dir=$3
shift 3
budget=64M threshold=1e-4 oracle_only=0
while [ $# -gt 0 ]; do
  case $1 in
    --budget) budget=$2; shift 2 ;;
    --threshold) threshold=$2; shift 2 ;;
    --oracle-only) oracle_only=1; shift ;;
    *) die "unknown option $1" ;;
  esac
done

src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
py=${TIGRIS_PYTHON:-/usr/bin/python3}
tigris=${TIGRIS_BIN:-$build_dir/apps/tigris}
models=$work_dir/models

# --- 1. model (generation is deterministic; only this model, so parallel runs do not collide)
if [ ! -f "$models/$model.onnx" ] || [ ! -f "$models/$model.input_0.pb" ]; then
  echo "== generate $model"
  "$py" "$src/tools/models/gen_models.py" "$models" --models "$model" --reference
fi
inputs=()
for f in "$models/$model".input_*.pb; do
  [ -f "$f" ] && inputs+=("$f")
done
[ ${#inputs[@]} -gt 0 ] || die "no inputs $models/$model.input_<k>.pb"
# input_0, input_1, ... in numeric order (the glob sorts input_10 before input_2)
mapfile -t inputs < <(printf '%s\n' "${inputs[@]}" | sort -t_ -k2 -V)

# --- 2. oracle
modules=${ORACLE_NODE_MODULES:-}
if [ -z "$modules" ]; then
  for m in "$build_dir/test/e2e/oracle/node_modules" "$src/test/oracle/node_modules"; do
    if [ -d "$m/onnxruntime-node" ]; then modules=$m; break; fi
  done
fi
[ -n "$modules" ] && [ -d "$modules/onnxruntime-node" ] ||
  die "onnxruntime-node not installed: run test/oracle/install.sh [$build_dir/test/e2e/oracle]"

# Separate result dirs, so the oracle-only check and each budget can run in parallel (ctest -j).
if [ "$oracle_only" = 1 ]; then out=$work_dir/$model-oracle
elif [ "$budget" = 64M ]; then out=$work_dir/$model
else out=$work_dir/$model-$budget
fi
rm -rf "$out"
mkdir -p "$out"
echo "== oracle: onnxruntime on $model"
NODE_PATH=$modules "${TIGRIS_NODE:-node}" "$src/test/oracle/run_ort.js" "$models/$model.onnx" "$out/ort" "${inputs[@]}"

if [ -d "$models/$model.ref" ]; then
  # The generator's float64 numpy pass is independent of onnxruntime: if the two disagree, the
  # oracle (or the generator) is broken and any compiler result below would be meaningless.
  echo "== oracle vs numpy reference"
  "$py" "$src/test/e2e/compare_outputs.py" "$out/ort" "$models/$model.ref" \
    --threshold 1e-4 --label "$model[ort-vs-numpy]" || die "the oracle disagrees with the numpy reference"
fi
[ "$oracle_only" = 0 ] || exit 0

# --- 3. compiler + host runtime
[ -x "$tigris" ] || die "tigris CLI not found at $tigris (build target tigris_cli or set TIGRIS_BIN)"
echo "== tigris compile $model -m $budget"
"$tigris" compile "$models/$model.onnx" -m "$budget" -o "$out/$model.tgrs"
run_args=()
for f in "${inputs[@]}"; do run_args+=(-i "$f"); done
echo "== tigris run"
"$tigris" run "$out/$model.tgrs" "${run_args[@]}" -o "$out/ours/"

# --- 4. compare
echo "== compare (threshold $threshold)"
"$py" "$src/test/e2e/compare_outputs.py" "$out/ours" "$out/ort" --threshold "$threshold" --label "$model"
