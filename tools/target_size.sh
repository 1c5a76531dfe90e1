#!/usr/bin/env bash
# Code size and stack of the device code for Cortex-M4 (-Os, hard float, sections per function):
#   .text of the runtime core (loader + executor + CRC + table lookup, no kernels), linked alone
#   with an empty resolver table, and of each kernel set (every f32 / every int8 reference entry
#   in the resolver) as the growth over the core; libc's memcpy/memset/libm are listed apart;
#   the worst-case stack of one inference from GCC's -fcallgraph-info=su call graph: the deepest
#   path from tgrs_plan_invoke, each kernel-pointer call taken as a call to the worst entry of
#   the set. Prints a table (and JSON with --json FILE); fails when the core exceeds 4 KB.
#   Needs arm-none-eabi-gcc.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
json=""
[ "${1:-}" = "--json" ] && json=$2
cc=arm-none-eabi-gcc
command -v $cc >/dev/null || { echo "target_size: $cc not found" >&2; exit 2; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
flags=(-mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16 -std=c99 -Os -ffunction-sections -fdata-sections
       -fcallgraph-info=su -I"$root/include")
core_src=("$root"/src/runtime/*.c "$root/src/kernels/backend.c")
# invoke's view arrays: the default bounds (any plan) or a plan's (TARGET_SIZE_BOUNDS="in out words rank",
# what `tigris codegen` writes into model.h as <NAME>_MAX_OP_INPUTS/_OUTPUTS/_PARAM_WORDS/_RANK;
# the rank, TGRS_VIEW_MAX_RANK, applies to the kernels too). TARGET_SIZE_STACK_MAX=BYTES also fails
# when either set's worst-case invoke stack exceeds it.
read -r b_in b_out b_words b_rank <<< "${TARGET_SIZE_BOUNDS:-16 8 64 8}"
b_rank=${b_rank:-8}
flags+=(-DTGRS_RT_MAX_OP_INPUTS="$b_in" -DTGRS_RT_MAX_OP_OUTPUTS="$b_out" -DTGRS_RT_MAX_PARAM_WORDS="$b_words"
        -DTGRS_VIEW_MAX_RANK="$b_rank")
kernel_src=()
for f in "$root"/src/kernels/*.c; do [ "$(basename "$f")" = backend.c ] || kernel_src+=("$f"); done
for set in CORE F32 S8; do
  mkdir -p "$out/$set"
  srcs=("$root/tools/target_size/tables.c" "${core_src[@]}")
  [ $set = CORE ] || srcs+=("${kernel_src[@]}")
  (cd "$out/$set" && $cc "${flags[@]}" -DTARGET_SET_$set -c "${srcs[@]}" &&
   $cc "${flags[@]}" -nostartfiles -Wl,--gc-sections -Wl,-Map="$out/$set.map" -e _start ./*.o -lm -lc -lgcc \
     -o "$out/$set.elf")
done
/usr/bin/python3 - "$out" "$json" "$b_in $b_out $b_words $b_rank" "${TARGET_SIZE_STACK_MAX:-0}" <<'PY'
import json, os, re, subprocess, sys
out, json_path, bounds, stack_max = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])

def text_by_origin(set_):
    """.text bytes of the linked image by where they came from: our objects vs libc/libm/libgcc."""
    own = lib = 0
    cur = None
    for line in open(f"{out}/{set_}.map"):
        m = re.match(r"^ (\.text\S*|\.rodata\S*)\s+(0x[0-9a-f]+)\s+(0x[0-9a-f]+)\s+(\S+)", line)
        if not m:
            m2 = re.match(r"^ (\.text\S*|\.rodata\S*)$", line.rstrip())
            cur = m2.group(1) if m2 else None
            if cur is None:
                continue
            continue
        sec, addr, size, obj = m.groups()
        size = int(size, 16)
        if not sec.startswith(".text") or int(addr, 16) == 0:
            continue
        if obj.endswith(".o") and "/lib" not in obj:
            own += size
        else:
            lib += size
    return own, lib

def text_wrapped(set_):
    own = lib = 0
    lines = open(f"{out}/{set_}.map").read().splitlines()
    for i, line in enumerate(lines):
        m = re.match(r"^ (\.text\S*)\s*$", line)
        if m and i + 1 < len(lines):
            m2 = re.match(r"^\s+(0x[0-9a-f]+)\s+(0x[0-9a-f]+)\s+(\S+)", lines[i + 1])
            if m2 and int(m2.group(1), 16) != 0:
                size, obj = int(m2.group(2), 16), m2.group(3)
                if obj.startswith("./"): own += size
                else: lib += size
        m = re.match(r"^ (\.text\S*)\s+(0x[0-9a-f]+)\s+(0x[0-9a-f]+)\s+(\S+)", line)
        if m and int(m.group(2), 16) != 0:
            size, obj = int(m.group(3), 16), m.group(4)
            if obj.startswith("./"): own += size
            else: lib += size
    return own, lib

sizes = {s: text_wrapped(s) for s in ("CORE", "F32", "S8")}
core_own, core_lib = sizes["CORE"]
# the link root (tables.c main/_start) is not runtime code
root_text = 0
for l in subprocess.run(["arm-none-eabi-nm", "-S", f"{out}/CORE.elf"], capture_output=True, text=True).stdout.splitlines():
    p = l.split()
    if len(p) == 4 and p[3] in ("main", "_start"):
        root_text += int(p[1], 16)
res = {"cpu": "cortex-m4", "opt": "-Os", "bounds (inputs outputs param_words rank)": bounds,
       "core_text": core_own - root_text, "core_libc_text": core_lib,
       "f32_kernels_text": sizes["F32"][0] - core_own, "f32_libc_libm_text": sizes["F32"][1] - core_lib,
       "s8_kernels_text": sizes["S8"][0] - core_own, "s8_libc_text": sizes["S8"][1] - core_lib}

# Stack: call graph nodes (stack per function) and edges from the .ci files.
def graph(set_):
    stack, edges = {}, {}
    for f in os.listdir(f"{out}/{set_}"):
        if not f.endswith(".ci"): continue
        txt = open(f"{out}/{set_}/{f}").read()
        for m in re.finditer(r'node: \{ title: "([^"]+)" label: "[^"]*?\\n(\d+) bytes \((static|dynamic|bounded)', txt):
            stack[m.group(1)] = int(m.group(2))
        for m in re.finditer(r'edge: \{ sourcename: "([^"]+)" targetname: "([^"]+)"', txt):
            edges.setdefault(m.group(1), set()).add(m.group(2))
    return stack, edges

def worst(set_, root):
    stack, edges = graph(set_)
    entries = [n for n in stack if re.fullmatch(r"tgrs_ref_\w+_%s_run" % set_.lower(), n)]
    memo, path = {}, {}
    def depth(n, seen=()):
        if n in memo: return memo[n]
        if n in seen: raise SystemExit(f"target_size: recursion through {n}")
        best, via = 0, None
        for t in edges.get(n, ()):
            targets = entries if t == "__indirect_call" else [t]
            for u in targets:
                d = depth(u, seen + (n,))
                if d > best: best, via = d, u
        memo[n] = stack.get(n, 0) + best
        path[n] = via
        return memo[n]
    total = depth(root)
    chain, n = [], root
    while n: chain.append(f"{n.split(':')[-1]} ({stack.get(n, 0)})"); n = path.get(n)
    return total, chain

for set_, key in (("F32", "f32"), ("S8", "s8")):
    total, chain = worst(set_, "tgrs_plan_invoke")
    res[f"invoke_stack_{key}"] = total
    res[f"invoke_stack_{key}_path"] = chain
    total, chain = worst(set_, "tgrs_plan_load_with")
    res[f"load_stack_{key}"] = total
print(f"Cortex-M4 -Os (arm-none-eabi-gcc, sections per function, --gc-sections); invoke bounds {bounds}")
print(f"  runtime core .text            {res['core_text']:6d} B  (+ {res['core_libc_text']} B memcpy/memset from libc)")
print(f"  f32 kernel set .text          {res['f32_kernels_text']:6d} B  (+ {res['f32_libc_libm_text']} B libm/libgcc/libc)")
print(f"  int8 kernel set .text         {res['s8_kernels_text']:6d} B  (+ {res['s8_libc_text']} B libc/libgcc)")
print(f"  worst-case invoke stack, f32  {res['invoke_stack_f32']:6d} B  via {' > '.join(res['invoke_stack_f32_path'])}")
print(f"  worst-case invoke stack, int8 {res['invoke_stack_s8']:6d} B  via {' > '.join(res['invoke_stack_s8_path'])}")
print(f"  load stack (f32 / int8)       {res['load_stack_f32']} / {res['load_stack_s8']} B")
if json_path:
    json.dump(res, open(json_path, "w"), indent=1)
if res["core_text"] > 4096:
    sys.exit(f"target_size: FAIL: the runtime core grew past 4 KB ({res['core_text']} B)")
for key in ("f32", "s8"):
    if stack_max and res[f"invoke_stack_{key}"] > stack_max:
        sys.exit(f"target_size: FAIL: the {key} worst-case invoke stack is {res[f'invoke_stack_{key}']} B "
                 f"> {stack_max} B at bounds {bounds}")
PY
