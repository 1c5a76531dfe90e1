#!/usr/bin/env bash
# Runs the tiling benchmark end to end and writes benchmark/results/tiling.{json,md,svg}:
# generates the test models into the build tree, configures/builds tiling_bench if needed, runs
# it, plots. Idempotent: rerun it any time; every output is replaced whole. Exit status is the
# benchmark's (1 = a plan failed a correctness check, which is a compiler bug).
#
#   benchmark/run_tiling_bench.sh [--quick] [--models a,b]    (arguments go to tiling_bench)
#   TIGRIS_BUILD_DIR=build benchmark/run_tiling_bench.sh     (default: build-bench, Release)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
build=${TIGRIS_BUILD_DIR:-build-bench}
py=/usr/bin/python3  # Debian's, with python3-onnx and python3-numpy (gen_models.py needs both)
jobs=$(nproc 2>/dev/null || echo 2)

echo "==> models (tools/models/gen_models.py)"
models="$build/tiling_bench_models"
mkdir -p "$models"
"$py" tools/models/gen_models.py "$models" >/dev/null
echo "==> int8 models (tools/models/gen_qdq_models.py)"
"$py" tools/models/gen_qdq_models.py "$models" --models ds_cnn_int8,mobilenet_v1_128_int8,mobilenet_v2_224_int8 >/dev/null

echo "==> build ($build)"
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DTIGRIS_BUILD_TESTS=OFF -DTIGRIS_BUILD_BENCHMARKS=ON
elif ! grep -q '^TIGRIS_BUILD_BENCHMARKS:BOOL=ON' "$build/CMakeCache.txt"; then
  cmake -S . -B "$build" -DTIGRIS_BUILD_BENCHMARKS=ON
fi
build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$build/CMakeCache.txt")
case "$build_type" in
  Release | RelWithDebInfo) ;;
  *) echo "warning: $build is a '$build_type' build; timings are only meaningful with optimization" >&2 ;;
esac
cmake --build "$build" --target tiling_bench -j "$jobs"

echo "==> run (a few minutes on 2 cores)"
results=benchmark/results
mkdir -p "$results"
rev=$(git rev-parse --short=12 HEAD 2>/dev/null || echo "")
if [ -n "$rev" ] && [ -n "$(git status --porcelain -- src include benchmark/tiling_bench.cpp 2>/dev/null)" ]; then
  rev="$rev+dirty"
fi
status=0
"$build/benchmark/tiling_bench" "$models" "$results" --git-rev "$rev" "$@" || status=$?
if [ "$status" -ge 2 ] || [ ! -f "$results/tiling.json" ]; then
  echo "tiling_bench failed (exit $status)" >&2
  exit "$status"
fi

echo "==> plot"
"$py" benchmark/plot_tiling.py "$results/tiling.json" "$results/tiling.svg"
echo "wrote $root/$results/tiling.{json,md,svg}"
if [ "$status" -ne 0 ]; then
  echo "tiling_bench: some cells failed a correctness check (see $results/tiling.md)" >&2
fi
exit "$status"
