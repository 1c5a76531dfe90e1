#!/usr/bin/env bash
# ASan + UBSan build of the compiler, runtime and tests (-DTIGRIS_SANITIZE=address,undefined), then
# the runtime, kernels, emit and small end-to-end tests under it. Any sanitizer report aborts the
# test that hit it. scripts/test.sh runs this after the main suite; it prints its own time.
# Environment: TIGRIS_SANITIZE_BUILD_DIR (default build-asan), TIGRIS_CMSIS_NN_DIR and
# TIGRIS_ESP_NN_DIR as for test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/common.sh
start=$(date +%s)
build=${TIGRIS_SANITIZE_BUILD_DIR:-build-asan}
cmsis_dir=${TIGRIS_CMSIS_NN_DIR:-../shared/vendor/cmsis-nn}
# The vendor backends' differential tests run here too when their sources are present: their
# glue (ours) is checked with every sanitizer, their code without the one GCC defines
# (cmake/TigrisTargets.cmake, tigris_vendor_sanitize).
cmsis_args=() vendor_targets=() vendor_tests=()
if [ -f "$cmsis_dir/Tests/UnitTest/TestCases/TestData/basic/test_data.h" ]; then
  cmsis_args=(-DTIGRIS_CMSIS_NN_DIR="$cmsis_dir")
  vendor_targets+=(tigris_cmsis_nn_test)
  vendor_tests+=(test/kernels/tigris_cmsis_nn_test)
fi
esp_nn_dir=${TIGRIS_ESP_NN_DIR:-../shared/vendor/esp-nn}
esp_nn_args=()
if [ -f "$esp_nn_dir/include/esp_nn.h" ]; then
  esp_nn_args=(-DTIGRIS_ESP_NN_DIR="$esp_nn_dir")
  vendor_targets+=(tigris_kernels_esp_nn_test)
  vendor_tests+=(test/kernels/tigris_kernels_esp_nn_test)
fi
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTIGRIS_BUILD_TESTS=ON -DTIGRIS_WERROR=ON \
  -DTIGRIS_SANITIZE=address,undefined -DTIGRIS_E2E_WEIGHT_MODES="ds_cnn=64M,8K+8M" \
  ${cmsis_args[@]+"${cmsis_args[@]}"} ${esp_nn_args[@]+"${esp_nn_args[@]}"} > /dev/null
# Only what the sanitized tests need.
cmake --build "$build" -j "$(tigris_jobs)" --target tigris_cli tigris_kernels_test tigris_kernels_s8_test runtime_roundtrip_test \
  plan_loader_robustness_test weight_modes_test emit_test ${vendor_targets[@]+"${vendor_targets[@]}"}
built=$(date +%s)
# ONNX's and protobuf's own leaks at exit are not ours; everything else aborts.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
for t in test/kernels/tigris_kernels_test test/kernels/tigris_kernels_s8_test test/runtime/runtime_roundtrip_test \
         test/runtime/plan_loader_robustness_test test/runtime/weight_modes_test test/emit/emit_test \
         ${vendor_tests[@]+"${vendor_tests[@]}"}; do
  echo "==> sanitize: $t"
  (cd "$build/$(dirname "$t")" && "./$(basename "$t")" --gtest_brief=1)
done
# Small end to end: DS-CNN (float) and its int8 twin in every weight mode, untiled and tiled, and
# DS-CNN against onnxruntime when the main build installed the oracle.
work=$build/sanitize-e2e
py=${TIGRIS_PYTHON:-/usr/bin/python3}
"$py" tools/models/gen_models.py "$work/models" --models ds_cnn --reference > /dev/null
test/e2e/weight_modes.sh "$build/apps/tigris" "$work/models/ds_cnn.onnx" "$work/models/ds_cnn.input_0.pb" \
  "$work/ds_cnn-modes" 64M 8K+8M
oracle=${ORACLE_NODE_MODULES:-${TIGRIS_BUILD_DIR:-build-test}/test/e2e/oracle/node_modules}
if [ -d "$oracle/onnxruntime-node" ]; then
  for b in 64M 8K+8M; do
    ORACLE_NODE_MODULES=$oracle TIGRIS_BIN="$build/apps/tigris" test/e2e/run_e2e.sh ds_cnn "$build" "$work" --budget "$b"
  done
else
  echo "==> sanitize: no onnxruntime oracle at $oracle: the e2e comparison with onnxruntime is skipped here"
fi
echo "==> sanitize: build $((built - start)) s, tests $(( $(date +%s) - built )) s"
