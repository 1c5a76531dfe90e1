#!/usr/bin/env bash
# A CMSIS-NN entry's generated C on the host (the vendor library's portable C paths): model.c of
# the entry (run_target.py prepare: compiled --backend cmsis-nn for a board's core, codegen with
# its entries) linked with the host-built backend (TGRS_VENDOR_COUNTERS) must print exactly the
# bytes the reference backend's `tigris run` wrote; at least MIN_PERCENT of the calls of the
# backend's ops must have run CMSIS-NN (so the test fails if the calls fall back), and exactly as
# many as the compiler predicted for the board's ISA (`analyze --backend`, in entry.json).
# Usage: cmsis_host.sh ENTRY_DIR WORK_DIR MIN_PERCENT LIBRARY...  (the backend, vendor, runtime,
# reference kernel libraries)
set -euo pipefail
entry=$1 work=$2 min=$3
shift 3
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
rm -rf "$work" && mkdir -p "$work"
fail() { echo "cmsis_host: FAIL: $*"; exit 1; }
grep -q 'TGRS_CMSIS_KERNEL_S8(' "$entry/model.c" || fail "$entry/model.c names no CMSIS-NN entry"
"${CC:-cc}" -std=c99 -Wall -Wextra -pedantic -Werror -Wno-overlength-strings -O1 -DTGRS_VENDOR_COUNTERS=1 \
  -DTGRS_HOST_CMSIS_NN -I"$src/include" -I"$entry" -I"$src/test/target/firmware" \
  "$entry/model.c" "$entry/io.c" "$src/test/target/host_main.c" "$@" -lm -o "$work/model_host"
"$work/model_host" > "$work/out.txt" 2> "$work/counters.txt"
read -r _ vendor _ reference < "$work/counters.txt"
total=$((vendor + reference))
[ "$total" -gt 0 ] || fail "no call of the backend's ops"
[ $((100 * vendor)) -ge $((min * total)) ] || fail "only $vendor of $total calls ran CMSIS-NN (want >= $min %)"
predicted=$(/usr/bin/python3 -c 'import json, sys; e = json.load(open(sys.argv[1])); print(e["vendor_calls"], e["vendor_calls"] + e["vendor_fallback_calls"])' "$entry/entry.json")
[ "$predicted" = "$vendor $total" ] || fail "$vendor of $total calls ran CMSIS-NN, analyze predicted '$predicted'"
/usr/bin/python3 "$src/test/target/compare_host.py" "$entry/entry.json" "$work/out.txt" cmsis_host \
  "$vendor of $total calls of the backend's ops ran CMSIS-NN"
