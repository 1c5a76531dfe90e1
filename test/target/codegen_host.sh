#!/usr/bin/env bash
# tigris codegen on the host: a vendor backend not built in is refused with exit 2 and leaves no
# file; the reference output compiles with the runtime and kernel sources alone (strict C99
# warnings as errors), links only the kernels its resolver names (--gc-sections, checked with
# nm), and prints exactly the bytes `tigris run` wrote. A streamed plan's output is the head
# (model_plan) and the weights (model_weights) read through the default reader; built with
# -DMODEL_EXTERNAL_WEIGHTS it holds no weights and init without a reader fails with TGRS_ERR_READ.
# Built with the plan's bounds from model.h (TGRS_RT_MAX_*, TGRS_VIEW_MAX_RANK for runtime and
# kernels) it prints the same bytes; with a view rank one below the plan's, init refuses the plan
# with TGRS_ERR_UNSUPPORTED_OP. With ESP_NN_DIR (an ESP-NN checkout, the backend built into
# TIGRIS), MODEL and BUDGET (the entry's): the model compiled with `--backend esp-nn` (scratch
# planned for the ESP32-S3) and `codegen --backend esp-nn`, built with the ESP-NN backend and the
# library's ANSI C kernels: its ESP-NN entries linked, the same bytes.
# Usage: codegen_host.sh TIGRIS PREPARED_ENTRY_DIR WORK_DIR [ESP_NN_DIR MODEL BUDGET]
#   (the entry from run_target.py prepare)
set -euo pipefail
tigris=$1 entry=$2 work=$3 esp_nn=${4:-} model=${5:-} budget=${6:-}
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
# same_as_run OUT.txt WHAT: the printed outputs equal the `tigris run` bytes in entry.json
same_as_run() {
  /usr/bin/python3 "$src/test/target/compare_host.py" "$entry/entry.json" "$1" codegen_host "$2; linked kernels = the resolver's"
}
"$work/model_host" > "$work/out.txt"
if grep -q '^#define MODEL_STREAMED 1' "$work/model.h"; then
  head=$(grep -oE '^#define MODEL_PLAN_BYTES [0-9]+' "$work/model.h" | awk '{print $3}')
  size=$(( 16#$(nm -S "$work/model_host" | awk '$4 == "model_plan" {print $2}') ))
  [ "$size" = "$head" ] || fail "model_plan is $size bytes, the plan's head $head"
  # (grep over a variable: `nm | grep -q` fails under pipefail when grep stops reading early)
  grep -q ' model_weights$' <<<"$(nm "$work/model_host")" || fail "a streamed plan without model_weights"
  "$cc" -std=c99 -Wall -Wextra -pedantic -Werror -O1 -DMODEL_EXTERNAL_WEIGHTS -I"$src/include" -I"$work" -I"$entry" \
    -I"$src/test/target/firmware" "$work/model.c" "$entry/io.c" "$src/test/target/host_main.c" "$src"/src/runtime/*.c \
    "$src"/src/kernels/*.c -lm -o "$work/model_external"
  grep -q ' model_weights$' <<<"$(nm "$work/model_external")" && fail "MODEL_EXTERNAL_WEIGHTS still links model_weights"
  set +e
  msg=$("$work/model_external" 2>&1)
  rc=$?
  set -e
  [ "$rc" -ne 0 ] && echo "$msg" | grep -q "status -12" || fail "init with no reader: exit $rc, '$msg' (want TGRS_ERR_READ)"
fi
def() { grep -oE "^#define MODEL_MAX_$1 [0-9]+" "$work/model.h" | awk '{print $3}'; }
rank=$(def RANK)
bounded() {  # OUT RANK: the generated C built with the plan's bounds and view rank RANK
  "$cc" -std=c99 -Wall -Wextra -pedantic -Werror -O1 -I"$src/include" -I"$work" -I"$entry" -I"$src/test/target/firmware" \
    -DTGRS_RT_MAX_OP_INPUTS="$(def OP_INPUTS)" -DTGRS_RT_MAX_OP_OUTPUTS="$(def OP_OUTPUTS)" \
    -DTGRS_RT_MAX_PARAM_WORDS="$(def PARAM_WORDS)" -DTGRS_VIEW_MAX_RANK="$2" \
    "$work/model.c" "$entry/io.c" "$src/test/target/host_main.c" "$src"/src/runtime/*.c "$src"/src/kernels/*.c -lm -o "$1"
}
bounded "$work/model_bounded" "$rank"
"$work/model_bounded" > "$work/out_bounded.txt"
cmp -s "$work/out.txt" "$work/out_bounded.txt" || fail "the build with the plan's bounds (rank $rank) prints other bytes"
if [ "$rank" -gt 1 ]; then
  bounded "$work/model_low" $((rank - 1))
  set +e
  msg=$("$work/model_low" 2>&1)
  rc=$?
  set -e
  [ "$rc" -ne 0 ] && echo "$msg" | grep -q "status -6" || fail "view rank $((rank - 1)) < the plan's $rank: exit $rc, '$msg' (want TGRS_ERR_UNSUPPORTED_OP)"
fi
same_as_run "$work/out.txt" reference

[ -n "$esp_nn" ] || exit 0
# --backend esp-nn: the vendor's portable kernels (its code: GNU C, its warnings off), ours strict
mkdir -p "$work/esp"
pools=()
IFS=+ read -ra parts <<< "$budget"
for b in "${parts[@]}"; do pools+=(-m "$b"); done
"$tigris" compile "$model" "${pools[@]}" --backend esp-nn -o "$work/esp/plan.tgrs" > "$work/esp/compile.log"
"$tigris" codegen "$work/esp/plan.tgrs" --backend esp-nn --name model -o "$work/esp/model.c" 2> "$work/esp/codegen.log"
grep -q "TGRS_ESP_NN_KERNEL_S8" "$work/esp/model.c" || fail "--backend esp-nn: no ESP-NN entry in the resolver"
for f in "$esp_nn"/src/*/*_ansi.c; do
  "$cc" -std=gnu99 -w -O1 -ffunction-sections -I"$esp_nn/include" -I"$esp_nn/src/common" -c "$f" \
    -o "$work/esp/$(basename "$f" .c).o"
done
"$cc" -std=c99 -Wall -Wextra -pedantic -Werror -Wno-overlength-strings -O1 -ffunction-sections -fdata-sections \
  -I"$src/include" -I"$work/esp" -I"$entry" -I"$src/test/target/firmware" -isystem "$esp_nn/include" \
  "$work/esp/model.c" "$entry/io.c" "$src/test/target/host_main.c" "$src"/src/runtime/*.c "$src"/src/kernels/*.c \
  "$src/src/kernels/esp_nn/backend_esp_nn.c" "$work"/esp/*_ansi.o -Wl,--gc-sections -lm -o "$work/esp/model_host"
linked=$(nm "$work/esp/model_host" | awk '{print $NF}' | grep -E '^tgrs_esp_nn_\w+_s8_run$' | sort | tr '\n' ' ')
named=$(grep -oE 'TGRS_ESP_NN_KERNEL_S8\(\w+\)' "$work/esp/model.c" | sed -E 's/.*\((\w+)\)/tgrs_esp_nn_\1_s8_run/' |
  sort | tr '\n' ' ')
[ "$linked" = "$named" ] || fail "--backend esp-nn: linked ESP-NN entries '$linked' != the resolver's '$named'"
nm "$work/esp/model_host" | grep -q ' tgrs_backend_esp_nn$' && fail "--backend esp-nn: the whole ESP-NN table is linked"
"$work/esp/model_host" > "$work/esp/out.txt"
same_as_run "$work/esp/out.txt" "esp-nn: $named"

