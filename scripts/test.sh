#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to the whole test suite: installs (idempotently)
# everything the tests need, builds with warnings as errors, cross-compiles the C99 runtime
# for Cortex-M4, runs every test with CTest, then the sanitizer suite (scripts/sanitize.sh).
# Exit status: nonzero when either fails.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/common.sh

# shellcheck disable=SC2086
tigris_apt_install $TIGRIS_BUILD_PACKAGES $TIGRIS_TEST_PACKAGES

build=${TIGRIS_BUILD_DIR:-build-test}
# CMSIS-NN's TFLite-generated golden data for the int8 kernel tests (read in place, never copied):
# $TIGRIS_CMSIS_NN_DIR, or the shared vendor checkout next to the repo; relative paths are
# relative to the repo. Without it those tests skip.
cmsis_dir=${TIGRIS_CMSIS_NN_DIR:-../shared/vendor/cmsis-nn}
cmsis_args=()
if [ -f "$cmsis_dir/Tests/UnitTest/TestCases/TestData/basic/test_data.h" ]; then
  cmsis_args=(-DTIGRIS_CMSIS_NN_DIR="$cmsis_dir")
else
  echo "==> no CMSIS-NN test data at $cmsis_dir: the int8 golden tests will be skipped"
fi
# ESP-NN for the ESP-NN backend and its tests (src/kernels/esp_nn/, built from the checkout in place):
# $TIGRIS_ESP_NN_DIR or the shared vendor checkout; without it the backend and its tests skip.
esp_nn_dir=${TIGRIS_ESP_NN_DIR:-../shared/vendor/esp-nn}
esp_nn_args=()
if [ -f "$esp_nn_dir/include/esp_nn.h" ]; then
  esp_nn_args=(-DTIGRIS_ESP_NN_DIR="$esp_nn_dir")
else
  echo "==> no ESP-NN checkout at $esp_nn_dir: the ESP-NN backend and its tests will be skipped"
fi
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTIGRIS_BUILD_TESTS=ON -DTIGRIS_WERROR=ON \
  ${cmsis_args[@]+"${cmsis_args[@]}"} ${esp_nn_args[@]+"${esp_nn_args[@]}"}
cmake --build "$build" -j "$(tigris_jobs)"

echo "==> Cortex-M4 cross-compile of the C99 runtime and kernels"
TIGRIS_ESP_NN_DIR="$esp_nn_dir" tools/check_cortex_m.sh

echo "==> CTest"
status=0
ctest --test-dir "$build" --output-on-failure -j "$(tigris_jobs)" --timeout 1800 || status=$?

echo "==> ASan + UBSan: kernels, runtime, emit and small e2e tests"
scripts/sanitize.sh || status=$?
exit $status
