#!/usr/bin/env bash
# Bad input through the real `tigris` binary: each case must exit with the documented code,
# print exactly one `tigris: error:` line naming the cause, and leave no output file behind.
# Usage: cli_errors.sh TIGRIS_BINARY WORK_DIR
set -uo pipefail
tigris=$1
work=$2
node=/usr/share/libonnx-testdata/data/node
rm -rf "$work" && mkdir -p "$work"
failures=0
passes=0

# expect NAME EXIT_CODE REGEX -- command...
expect() {
  local name=$1 code=$2 regex=$3
  shift 4
  local out rc
  out=$("$@" 2>&1 >/dev/null)
  rc=$?
  local lines
  lines=$(printf '%s\n' "$out" | grep -c 'tigris: error:')
  if [ "$rc" -ne "$code" ]; then
    echo "FAIL $name: exit $rc, expected $code; stderr: $out"; failures=$((failures + 1)); return
  fi
  if [ "$code" -ne 0 ] && [ -n "$regex" ] && { [ "$lines" -ne 1 ] || ! printf '%s' "$out" | grep -Eq "$regex"; }; then
    echo "FAIL $name: stderr does not match /$regex/ in one error line: $out"; failures=$((failures + 1)); return
  fi
  if ls "$work"/*.tgrs "$work"/.*.tmp >/dev/null 2>&1; then
    echo "FAIL $name: left a file behind: $(ls -a "$work")"; failures=$((failures + 1)); rm -f "$work"/*.tgrs "$work"/.*.tmp; return
  fi
  echo "PASS $name"; passes=$((passes + 1))
}

# A one-input Conv model with its weights as initializers, and an input for it.
conv=$work/conv
mkdir -p "$conv/test_data_set_0"
/usr/bin/python3 - "$conv" <<'PY'
import sys
import numpy as np
from onnx import helper, numpy_helper, TensorProto, save
d = sys.argv[1]
rng = np.random.default_rng(7)
w = numpy_helper.from_array(rng.standard_normal((8, 3, 3, 3)).astype(np.float32), "w")
x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 16, 16])
y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 8, 16, 16])
g = helper.make_graph([helper.make_node("Conv", ["x", "w"], ["y"], name="conv0", pads=[1, 1, 1, 1])],
                      "conv", [x], [y], initializer=[w])
save(helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)]), d + "/model.onnx")
inp = numpy_helper.from_array(rng.standard_normal((1, 3, 16, 16)).astype(np.float32), "x")
open(d + "/test_data_set_0/input_0.pb", "wb").write(inp.SerializeToString())
PY
head -c 100 "$conv/model.onnx" >"$work/truncated.onnx"
echo "this is not a model" >"$work/not_onnx.onnx"
/usr/bin/python3 - "$work/unsupported.onnx" <<'PY'
import sys
from onnx import helper, TensorProto, save
x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4])
y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4])
g = helper.make_graph([helper.make_node("Relu", ["x"], ["r"], name="first_relu"),
                       helper.make_node("Acos", ["r"], ["y"], name="my_acos")], "g", [x], [y])
save(helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)]), sys.argv[1])
PY
# Several unsupported ops: analyze and compile both list every one (op, count, first node).
/usr/bin/python3 - "$work/unsupported_many.onnx" <<'PY'
import sys
from onnx import helper, TensorProto, save
x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4])
y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4])
g = helper.make_graph([helper.make_node("Acos", ["x"], ["a"], name="acos_a"),
                       helper.make_node("Relu", ["a"], ["r"], name="relu"),
                       helper.make_node("Asin", ["r"], ["b"], name="asin"),
                       helper.make_node("Acos", ["b"], ["y"], name="acos_b")], "g", [x], [y])
save(helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)]), sys.argv[1])
PY
all_ops="3 nodes use 2 ops TiGrIS does not support: Acos x2 \\(first node 'acos_a'\\), Asin x1 \\(node 'asin'\\)"

expect truncated_onnx 2 "truncated.onnx|parse|truncated|malformed|not a valid" -- "$tigris" compile "$work/truncated.onnx" -m 1M -o "$work/out.tgrs"
expect not_onnx 2 "not_onnx.onnx|parse|not a valid|malformed" -- "$tigris" compile "$work/not_onnx.onnx" -m 1M -o "$work/out.tgrs"
expect missing_file 2 "nope.onnx" -- "$tigris" compile "$work/nope.onnx" -m 1M -o "$work/out.tgrs"
expect unsupported_op 2 "my_acos.*Acos|Acos.*my_acos" -- "$tigris" compile "$work/unsupported.onnx" -m 1M -o "$work/out.tgrs"
expect unsupported_op_analyze 2 "my_acos.*Acos|Acos.*my_acos" -- "$tigris" analyze "$work/unsupported.onnx" -m 1M
expect unsupported_all_analyze 2 "$all_ops" -- "$tigris" analyze "$work/unsupported_many.onnx" -m 1M
expect unsupported_all_analyze_json 2 "$all_ops" -- "$tigris" analyze "$work/unsupported_many.onnx" -m 1M --json
expect unsupported_all_compile 2 "$all_ops" -- "$tigris" compile "$work/unsupported_many.onnx" -m 1M -o "$work/out.tgrs"
expect bad_size 2 "12Q" -- "$tigris" compile "$conv/model.onnx" -m 12Q -o "$work/out.tgrs"
expect no_pool 2 "memory pool" -- "$tigris" compile "$conv/model.onnx" -o "$work/out.tgrs"
expect budget_too_small 1 "budget|needs" -- "$tigris" compile "$conv/model.onnx" -m 64 -o "$work/out.tgrs"
expect analyze_fail_exit 1 "" -- "$tigris" analyze "$conv/model.onnx" -m 64 --json
expect analyze_pass_exit 0 "" -- "$tigris" analyze "$conv/model.onnx" -m 1M
expect unknown_command 2 "frobnicate" -- "$tigris" frobnicate
expect unknown_compression 2 "unknown weight compression" -- "$tigris" compile "$conv/model.onnx" -m 1M -c zstd -o "$work/out.tgrs"
expect xip_and_stream 2 "exclude each other" -- "$tigris" compile "$conv/model.onnx" -m 1M --xip --stream-weights -o "$work/out.tgrs"

# A good plan, then bad plans and bad inputs for `run`.
mkdir -p "$work/good"
if "$tigris" compile "$conv/model.onnx" -m 1M -o "$work/good/conv.tgrs" >/dev/null; then
  plan=$work/good/conv.tgrs
  head -c 200 "$plan" >"$work/good/short.tgrs"
  cp "$plan" "$work/good/flipped.tgrs"
  size=$(stat -c %s "$plan")
  printf '\xff' | dd of="$work/good/flipped.tgrs" bs=1 seek=$((size / 2)) conv=notrunc status=none
  expect run_truncated_plan 2 "plan|runtime" -- "$tigris" run "$work/good/short.tgrs" -i "$conv/test_data_set_0/input_0.pb" -o "$work/good/out"
  expect run_corrupt_plan 2 "checksum|corrupt|plan" -- "$tigris" run "$work/good/flipped.tgrs" -i "$conv/test_data_set_0/input_0.pb" -o "$work/good/out"
  head -c 12 /dev/zero >"$work/good/wrong.bin"
  expect run_wrong_input_size 2 "12 bytes" -- "$tigris" run "$plan" -i "$work/good/wrong.bin" -o "$work/good/out"
  expect run_wrong_input_shape 2 "input" -- "$tigris" run "$plan" -i "$node/test_relu/test_data_set_0/input_0.pb" -o "$work/good/out"
  expect run_missing_input 2 "input" -- "$tigris" run "$plan" -o "$work/good/out"
  expect run_ok 0 "" -- "$tigris" run "$plan" -i "$conv/test_data_set_0/input_0.pb" -o "$work/good/out"
else
  echo "FAIL good_compile: could not compile $conv/model.onnx"; failures=$((failures + 1))
fi
# Without -o the plan goes next to the model as MODEL.tgrs.
rm -f "$conv/model.tgrs"
if "$tigris" compile "$conv/model.onnx" -m 1M >/dev/null && [ -s "$conv/model.tgrs" ]; then
  echo "PASS default_output_path"; passes=$((passes + 1))
else
  echo "FAIL default_output_path: $conv/model.tgrs not written"; failures=$((failures + 1))
fi
expect version 0 "" -- "$tigris" --version
expect help 0 "" -- "$tigris" --help
expect compile_help 0 "" -- "$tigris" compile --help

echo "cli_errors: $passes passed, $failures failed"
[ "$failures" -eq 0 ]
