#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to the whole test suite: installs (idempotently)
# everything the tests need, builds with warnings as errors, cross-compiles the C99 runtime
# for Cortex-M4, and runs every test with CTest. Exit status is CTest's.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/common.sh

# shellcheck disable=SC2086
tigris_apt_install $TIGRIS_BUILD_PACKAGES $TIGRIS_TEST_PACKAGES

build=${TIGRIS_BUILD_DIR:-build-test}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTIGRIS_BUILD_TESTS=ON -DTIGRIS_WERROR=ON
cmake --build "$build" -j "$(tigris_jobs)"

echo "==> Cortex-M4 cross-compile of the C99 runtime and kernels"
tools/check_cortex_m.sh

echo "==> CTest"
ctest --test-dir "$build" --output-on-failure -j "$(tigris_jobs)" --timeout 1800
