#!/usr/bin/env bash
# Builds test/fuzz/plan_loader_fuzz.c with clang (-fsanitize=fuzzer,address,undefined) over the
# runtime and kernel sources, seeds a corpus with real plans (DS-CNN, small enough for fast runs,
# XIP, streamed and LZ4, untiled and tiled), and fuzzes for SECONDS. Exit 0 when libFuzzer found
# nothing, 77 (CTest skip) when clang or libFuzzer is missing, else the fuzzer's status.
# Usage: run_fuzz.sh SRC_DIR TIGRIS_BIN WORK_DIR SECONDS
set -euo pipefail
src=$1 tigris=$2 work=$3 seconds=$4
cc=""
for c in clang clang-14 clang-15 clang-16; do
  if command -v "$c" >/dev/null 2>&1; then cc=$c; break; fi
done
mkdir -p "$work"
if [ -z "$cc" ]; then echo "run_fuzz: no clang (apt-get install clang libclang-rt-14-dev): skipped"; exit 77; fi
echo 'int LLVMFuzzerTestOneInput(const unsigned char* d, unsigned long n) { (void)d; (void)n; return 0; }' > "$work/probe.c"
if ! "$cc" -fsanitize=fuzzer "$work/probe.c" -o "$work/probe" 2>/dev/null; then
  echo "run_fuzz: $cc has no libFuzzer runtime (apt-get install libclang-rt-14-dev): skipped"; exit 77
fi
"$cc" -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -I"$src/include" \
  "$src/test/fuzz/plan_loader_fuzz.c" "$src"/src/runtime/*.c "$src"/src/kernels/*.c -lm -o "$work/plan_loader_fuzz"

# Seed corpus: real plans of small models in every weight mode.
corpus=$work/corpus
rm -rf "$corpus" && mkdir -p "$corpus"
models=$(dirname "$tigris")/../test/e2e/work/models
py=${TIGRIS_PYTHON:-/usr/bin/python3}
if [ ! -f "$models/ds_cnn.onnx" ]; then
  models=$work/models
  "$py" "$src/tools/models/gen_models.py" "$models" --models ds_cnn > /dev/null
fi
for m in ds_cnn; do
  for b in "-m 64M" "-m 8K -m 8M"; do
    for f in "--xip" "--stream-weights" "--stream-weights -c lz4" "--xip -c lz4"; do
      # shellcheck disable=SC2086
      "$tigris" compile "$models/$m.onnx" $b $f -o "$corpus/$m-$(echo "$b$f" | tr -c 'a-z0-9' _).tgrs" > /dev/null
    done
  done
done
echo "run_fuzz: $(ls "$corpus" | wc -l) seed plans, $(du -sk "$corpus" | cut -f1) KiB"
# A copy, so the seeds stay the real plans; new inputs go to the copy.
rm -rf "$work/run" && cp -r "$corpus" "$work/run"
start=$(date +%s)
set +e
"$work/plan_loader_fuzz" "$work/run" -max_total_time="$seconds" -print_final_stats=1 -rss_limit_mb=2048 \
  -timeout=30 -artifact_prefix="$work/" 2> "$work/fuzz.log"
rc=$?
set -e
grep -E "stat::number_of_executed_units|stat::average_exec_per_sec|stat::new_units_added|ERROR|SUMMARY" "$work/fuzz.log" || true
echo "run_fuzz: $(( $(date +%s) - start )) s, exit $rc"
[ $rc -ne 0 ] && tail -40 "$work/fuzz.log"
exit $rc
