#!/usr/bin/env bash
# tigris codegen on the host: a vendor backend not built in is refused with exit 2 and leaves no
# file; the reference output compiles with the runtime and kernel sources alone (strict C99
# warnings as errors), links only the kernels its resolver names (--gc-sections, checked with
# nm), and prints exactly the bytes `tigris run` wrote.
# Usage: codegen_host.sh TIGRIS PREPARED_ENTRY_DIR WORK_DIR   (the entry from run_target.py prepare)
set -euo pipefail
tigris=$1 entry=$2 work=$3
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
rm -rf "$work" && mkdir -p "$work"
fail() { echo "codegen_host: FAIL: $*"; exit 1; }

# A vendor backend this tigris was built without is refused with exit 2, naming the option that
# adds it, and leaves no file; one built in generates (its entries checked by the target tests).
for b in cmsis-nn esp-nn; do
  set +e
  msg=$("$tigris" codegen "$entry/plan.tgrs" --backend "$b" -o "$work/x.c" 2>&1)
  rc=$?
  set -e
  if [ "$rc" -eq 0 ]; then
    grep -q "tigris/kernels/backend_${b//-/_}.h" "$work/x.c" || fail "--backend $b: no include of its header"
    rm -f "$work/x.c" "$work/x.h"
    continue
  fi
  [ "$rc" -eq 2 ] || fail "--backend $b exited $rc, expected 2"
  echo "$msg" | grep -q "is not built into this tigris" || fail "--backend $b: unclear message: $msg"
  [ -z "$(ls -A "$work")" ] || fail "--backend $b left files: $(ls "$work")"
done
"$tigris" codegen "$entry/plan.tgrs" -o "$work/my-net.c" >/dev/null
grep -q "my_net_init" "$work/my-net.h" || fail "the default name is not the sanitized stem"

"$tigris" codegen "$entry/plan.tgrs" --name model -o "$work/model.c"
cc=${CC:-cc}
"$cc" -std=c99 -Wall -Wextra -pedantic -Werror -Wno-overlength-strings -O1 -ffunction-sections -fdata-sections \
  -I"$src/include" -I"$work" -I"$entry" -I"$src/test/target/firmware" \
  "$work/model.c" "$entry/io.c" "$src/test/target/host_main.c" "$src"/src/runtime/*.c "$src"/src/kernels/*.c \
  -Wl,--gc-sections -lm -o "$work/model_host"
linked=$(nm "$work/model_host" | awk '{print $NF}' | grep -E '^tgrs_ref_\w+_(f32|s8)_run$' | sort | tr '\n' ' ')
named=$(grep -oE 'TGRS_REF_KERNEL_(F32|S8)\(\w+\)' "$work/model.c" |
  sed -E 's/TGRS_REF_KERNEL_(F32|S8)\((\w+)\)/\2 \1/' | awk '{print "tgrs_ref_" $1 "_" tolower($2) "_run"}' | sort | tr '\n' ' ')
[ "$linked" = "$named" ] || fail "linked kernels '$linked' != the resolver's '$named'"
nm "$work/model_host" | grep -q ' tgrs_backend_reference$' && fail "the whole reference table is linked"
"$work/model_host" > "$work/out.txt"
/usr/bin/python3 "$src/test/target/compare_host.py" "$entry/entry.json" "$work/out.txt" codegen_host \
  "linked kernels = the resolver's"
