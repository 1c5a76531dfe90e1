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
# Vendor checkouts read in place, never copied ($TIGRIS_CMSIS_NN_DIR / $TIGRIS_ESP_NN_DIR, or the
# shared vendor folder next to the repo; relative paths are relative to the repo): CMSIS-NN's
# TFLite-generated golden data for the int8 kernel tests, ESP-NN for the ESP-NN backend and its
# tests (src/kernels/esp_nn/). Without them those tests skip.
cmsis_dir=${TIGRIS_CMSIS_NN_DIR:-../shared/vendor/cmsis-nn}
esp_nn_dir=${TIGRIS_ESP_NN_DIR:-../shared/vendor/esp-nn}
mapfile -t vendor_args < <(
  tigris_vendor_arg TIGRIS_CMSIS_NN_DIR "$cmsis_dir" Tests/UnitTest/TestCases/TestData/basic/test_data.h \
    "CMSIS-NN test data" "the int8 golden tests"
  tigris_vendor_arg TIGRIS_ESP_NN_DIR "$esp_nn_dir" include/esp_nn.h "ESP-NN checkout" "the ESP-NN backend and its tests")
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTIGRIS_BUILD_TESTS=ON -DTIGRIS_WERROR=ON \
  ${vendor_args[@]+"${vendor_args[@]}"}
cmake --build "$build" -j "$(tigris_jobs)"

echo "==> Cortex-M4 cross-compile of the C99 runtime and kernels"
TIGRIS_ESP_NN_DIR="$esp_nn_dir" tools/check_cortex_m.sh

echo "==> CTest"
status=0
ctest --test-dir "$build" --output-on-failure -j "$(tigris_jobs)" --timeout 1800 || status=$?

echo "==> ASan + UBSan: kernels, runtime, emit and small e2e tests"
scripts/sanitize.sh || status=$?
exit $status
