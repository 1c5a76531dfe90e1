#!/usr/bin/env python3
"""On-target tests: the plan of each entry built into a Cortex-M firmware and run under QEMU.

  run_target.py prepare --tigris BIN --work DIR ENTRY...   compile, host run, codegen, io.c
  run_target.py build   --work DIR --board BOARD [--src S] cmake with cmake/arm-none-eabi.cmake
  run_target.py run     --work DIR --board BOARD NAME      QEMU, compare, heap/float checks

ENTRY is NAME=MODEL.onnx:INPUT.pb:BUDGET[:OPTION...] (BUDGET like 64M or 32K+8M); OPTIONs:
`profile` (also build a TGRS_PROFILE image), one weight mode, `xip`, `stream`, `lz4` (streamed)
or `xip-lz4` (default: the CLI's, streamed), and a kernel backend with the one board it is for,
`cmsis-nn:BOARD` (compiled with --backend cmsis-nn --target of that board's core, codegen names
the CMSIS-NN entries, the firmware links the vendor library; built and run on that board only).
`run` passes only if the firmware prints the fixed pass line, every output byte equals `tigris
run` on the host (the reference kernels), and arm-none-eabi-nm finds no
malloc/free/calloc/realloc/_sbrk in the image (nor, for a plan of int8 kernels only, a soft-float
double routine); for a streamed plan also that the image holds only the plan's head in
.tgrs_plan and its weights in the board's XFLASH region, and that load and the inference each
read every weight segment through the firmware's reader. It prints the instruction counts
(qemu -icount shift=0: SysTick ticks x 1e9 / sysclk) and records them in DIR/NAME/BOARD.json.
Exit 0 pass, 1 fail, 77 skip (no arm-none-eabi-gcc or qemu-system-arm)."""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time

BOARDS = {
    # machine: (cpu for the toolchain file, sysclk Hz: one SysTick tick = 1e9/sysclk instructions)
    "mps2-an386": ("cortex-m4", 25_000_000),
    "mps3-an547": ("cortex-m55", 32_000_000),
}
# The XFLASH region of each board's linker script (firmware/*.ld): a streamed plan's weights.
XFLASH = {"mps2-an386": (0x21A00000, 6 << 20), "mps3-an547": (0x70000000, 16 << 20)}
WEIGHT_MODES = {"xip": ["--xip"], "stream": ["--stream-weights"], "lz4": ["--stream-weights", "-c", "lz4"],
                "xip-lz4": ["--xip", "-c", "lz4"]}
SRC = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BACKENDS = {"cmsis-nn": "TGRS_CMSIS_KERNEL_S8"}  # backend: the resolver entry macro codegen writes
HEAP = {"malloc", "free", "calloc", "realloc", "_sbrk", "_malloc_r", "_free_r", "_sbrk_r"}
SOFT_DOUBLE = re.compile(r"^(__aeabi_d\w+|__aeabi_[a-z0-9]*2d\w*|__\w+df\d?)$")
QEMU_TIMEOUT = 900


def skip_reason():
    for tool in ("arm-none-eabi-gcc", "arm-none-eabi-nm", "qemu-system-arm"):
        if shutil.which(tool) is None:
            return f"{tool} not found (scripts/test.sh installs gcc-arm-none-eabi and qemu-system-arm)"
    return None


def tensor_array(path):
    import onnx
    from onnx import numpy_helper
    t = onnx.TensorProto()
    with open(path, "rb") as f:
        t.ParseFromString(f.read())
    return numpy_helper.to_array(t)


def tensor_bytes(path):
    return tensor_array(path).tobytes()


def tensor_dtype(path):
    return str(tensor_array(path).dtype)


def ulp_diff(a_hex, b_hex):
    """Largest distance in units in the last place between two float32 arrays, and how many differ."""
    import numpy as np
    a = np.frombuffer(bytes.fromhex(a_hex), dtype=np.int32).astype(np.int64)
    b = np.frombuffer(bytes.fromhex(b_hex), dtype=np.int32).astype(np.int64)
    # map the sign-magnitude bit patterns onto a monotone integer line
    a = np.where(a < 0, -(a & 0x7FFFFFFF), a)
    b = np.where(b < 0, -(b & 0x7FFFFFFF), b)
    d = np.abs(a - b)
    return int(d.max(initial=0)), int((d != 0).sum()), len(d)


def c_array(name, data):
    rows = [", ".join(str(b) for b in data[i:i + 24]) for i in range(0, len(data), 24)]
    return f"static const uint8_t {name}[{max(len(data), 1)}] __attribute__((aligned(16), section(\".tgrs_io\"))) = {{\n  " + \
        ",\n  ".join(rows or ["0"]) + "};\n"


def sh(cmd, **kw):
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if r.returncode != 0:
        sys.stderr.write(f"run_target: {' '.join(cmd)} failed ({r.returncode})\n{r.stdout}{r.stderr}")
        sys.exit(1)
    return r.stdout


def prepare(args):
    for entry in args.entries:
        name, spec = entry.split("=", 1)
        parts = spec.split(":")
        model, inp, budget, options = parts[0], parts[1], parts[2], parts[3:]
        backend, board = "reference", None
        for b in BACKENDS:
            if b in options:
                i = options.index(b)
                if i + 1 >= len(options) or options[i + 1] not in BOARDS:
                    sys.exit(f"run_target: {name}: '{b}' needs a board ({', '.join(BOARDS)})")
                backend, board = b, options[i + 1]
                del options[i:i + 2]
        modes = [o for o in options if o in WEIGHT_MODES]
        if len(modes) > 1 or any(o not in WEIGHT_MODES and o != "profile" for o in options):
            sys.exit(f"run_target: {name}: bad options {options} (profile, {', '.join(WEIGHT_MODES)}, BACKEND:BOARD)")
        mode_args = WEIGHT_MODES[modes[0]] if modes else []
        d = os.path.join(args.work, name)
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        pools = sum((["-m", b] for b in budget.split("+")), [])
        target = ["--backend", backend, "--target", BOARDS[board][0]] if board else []
        sh([args.tigris, "compile", model, *pools, *mode_args, *target, "-o", f"{d}/plan.tgrs"])
        sh([args.tigris, "run", f"{d}/plan.tgrs", "-i", inp, "-o", f"{d}/host"])
        # codegen warns on stderr about calls that fall back; analyze counts them for the results
        sh([args.tigris, "codegen", f"{d}/plan.tgrs", "--backend", backend, "--name", "model", "-o", f"{d}/model.c"])
        coverage = {}
        if board:
            a = json.loads(sh([args.tigris, "analyze", model, *pools, *mode_args, *target, "--json"]))
            coverage = {k: a[k] for k in ("vendor_calls", "vendor_fallback_calls", "vendor_fallbacks")}
            with open(f"{d}/board", "w") as f:
                f.write(board)
            with open(f"{d}/backend", "w") as f:
                f.write(backend)
        outs = sorted((f for f in os.listdir(f"{d}/host") if re.fullmatch(r"output_\d+\.pb", f)),
                      key=lambda f: int(f[7:-3]))
        expected = [tensor_bytes(f"{d}/host/{f}").hex() for f in outs]
        dtypes = [tensor_dtype(f"{d}/host/{f}") for f in outs]
        data = tensor_bytes(inp)
        io = ["/* Generated by run_target.py: the test input and output buffers. */",
              "#include <stdint.h>", '#include "model.h"', '#include "target.h"', c_array("input_0", data)]
        io += [f"static uint8_t output_{k}[MODEL_OUTPUT_BYTES_{k}] __attribute__((aligned(16)));" for k in range(len(outs))]
        io += ["const void* const tgt_inputs[] = {input_0};",
               "void* const tgt_outputs[] = {" + ", ".join(f"output_{k}" for k in range(len(outs))) + "};", ""]
        with open(f"{d}/io.c", "w") as f:
            f.write("\n".join(io))
        header = open(f"{d}/model.h").read()
        streamed = "#define MODEL_STREAMED 1" in header
        head = int(re.search(r"#define MODEL_PLAN_BYTES (\d+)u", header).group(1))
        if "profile" in options:
            open(f"{d}/profile", "w").close()
        with open(f"{d}/entry.json", "w") as f:
            json.dump({"name": name, "model": os.path.basename(model), "model_path": os.path.abspath(model),
                       "compile_args": [*pools, *mode_args, *target], "budget": budget, "expected": expected,
                       "dtypes": dtypes, "weights": modes[0] if modes else "default", "streamed": streamed,
                       "backend": backend, "board": board, **coverage,
                       "head_bytes": head, "plan_bytes": os.path.getsize(f"{d}/plan.tgrs")}, f)
        print(f"prepared {name}: {budget} {' '.join(mode_args)} {backend}{f' for {board}' if board else ''}, "
              f"plan {os.path.getsize(f'{d}/plan.tgrs')} B{f' (head {head} B, weights streamed)' if streamed else ''}")


def build(args):
    cpu, _ = BOARDS[args.board]
    dirs = sorted(os.path.join(args.work, n) for n in os.listdir(args.work)
                  if os.path.isfile(os.path.join(args.work, n, "entry.json"))
                  and json.load(open(os.path.join(args.work, n, "entry.json"))).get("board") in (None, args.board))
    b = os.path.join(args.work, f"build-{args.board}")
    t0 = time.time()
    sh(["cmake", "-S", f"{SRC}/test/target/firmware", "-B", b, "-G", "Ninja",
        f"-DCMAKE_TOOLCHAIN_FILE={SRC}/cmake/arm-none-eabi.cmake", f"-DTIGRIS_ARM_CPU={cpu}",
        f"-DTIGRIS_TARGET_BOARD={args.board}", "-DCMAKE_BUILD_TYPE=", "-DTIGRIS_TARGET_MODELS=" + ";".join(dirs),
        f"-DTIGRIS_CMSIS_NN_DIR={args.cmsis_nn_dir or ''}"])
    sh(["cmake", "--build", b, "-j", str(args.jobs)])
    print(f"built {len(dirs)} firmware images for {args.board} in {time.time() - t0:.1f} s")
    return 0


def selftest(args):
    """The CMSIS-NN backend's self-test image (built with --cmsis-nn-dir): must print the pass line."""
    elf = os.path.join(args.work, f"build-{args.board}", f"cmsis_selftest_{args.board}.elf")
    if not os.path.isfile(elf):
        print(f"SKIP: {elf} not built (no --cmsis-nn-dir)")
        return 77
    r, secs = qemu(args.board, elf)
    print(r.stdout[-2000:])
    ok = "TIGRIS_TARGET PASS" in r.stdout and r.returncode == 0
    print(f"cmsis selftest {args.board}: {'PASS' if ok else 'FAIL'} ({secs:.1f} s)")
    return 0 if ok else 1


def qemu(board, elf):
    cmd = ["timeout", str(QEMU_TIMEOUT), "qemu-system-arm", "-M", board, "-nographic", "-semihosting",
           "-icount", "shift=0", "-kernel", elf]
    t0 = time.time()
    r = subprocess.run(cmd, capture_output=True, text=True)
    r.stdout += r.stderr  # QEMU writes semihosting output to stderr
    return r, time.time() - t0


def parse(stdout):
    vals, outputs, cur = {}, [], None
    for line in stdout.splitlines():
        m = re.fullmatch(r"(\w+_ticks|\w+_stack|kernel_calls|\w+_weight_reads|\w+_weight_bytes) 0x([0-9a-f]+)", line)
        if m:
            vals[m.group(1)] = int(m.group(2), 16)
        elif re.fullmatch(r"output [0-9a-f]{2}", line):
            cur = []
            outputs.append(cur)
        elif cur is not None and re.fullmatch(r"[0-9a-f]*", line):
            cur.append(line)
        else:
            cur = None
    return vals, ["".join(o) for o in outputs]


def streamed_note(res):
    if not res["weight_reads"]:
        return ""
    return f", weights {res['weight_read_bytes']:,} B in {res['weight_reads']} reads"


def run(args):
    _, sysclk = BOARDS[args.board]
    per_tick = 1e9 / sysclk
    d = os.path.join(args.work, args.name)
    entry = json.load(open(f"{d}/entry.json"))
    elf = f"{d}/firmware_{args.board}.elf"
    fails, inexact = [], []
    syms = {l.split()[-1] for l in sh(["arm-none-eabi-nm", elf]).splitlines() if l.strip()}
    heap = sorted(HEAP & syms)
    if heap:
        fails.append(f"the image links the heap: {' '.join(heap)}")
    model_c = open(f"{d}/model.c").read()
    int8_only = "TGRS_REF_KERNEL_F32(" not in model_c
    dbl = sorted(s for s in syms if SOFT_DOUBLE.match(s))
    if int8_only and dbl:
        fails.append(f"int8 plan links soft-float double routines: {' '.join(dbl)}")
    # every kernel the image holds is one the resolver names (the table links nothing else)
    # (a vendor entry calls the reference kernel of its op when a call falls back, so links it too)
    named = {(n, t.lower()) for t, n in re.findall(r"TGRS_REF_KERNEL_(F32|S8)\((\w+)\)", model_c)}
    vendor = set(re.findall(BACKENDS[entry["backend"]] + r"\((\w+)\)", model_c)) if entry.get("board") else set()
    named |= {(n, "s8") for n in vendor}
    linked = {(m.group(1), m.group(2)) for s in syms if (m := re.fullmatch(r"tgrs_ref_(\w+)_(f32|s8)_run", s))}
    extra = sorted(f"{n}_{t}" for n, t in linked - named)
    if not named or linked != named:
        fails.append(f"resolver names {sorted(named)} but the image has the entry points {sorted(linked)}")
    if extra or "tgrs_backend_reference" in syms or "tgrs_backend_cmsis_nn" in syms:
        fails.append(f"kernels linked that the plan does not use: {' '.join(extra) or 'a whole backend table'}")
    if entry.get("board") and not vendor:
        fails.append(f"codegen named no {entry['backend']} entry")
    if entry.get("board") and entry["board"] != args.board:
        fails.append(f"the entry is compiled for {entry['board']}, not {args.board}")
    if entry["streamed"]:
        sized = {l.split()[-1]: l.split() for l in sh(["arm-none-eabi-nm", "-S", elf]).splitlines() if len(l.split()) == 4}
        lo, size = XFLASH[args.board]
        weights_bytes = entry["plan_bytes"] - entry["head_bytes"]
        if "model_plan" not in sized or int(sized["model_plan"][1], 16) != entry["head_bytes"]:
            fails.append(f"model_plan is not the plan's {entry['head_bytes']}-byte head: {sized.get('model_plan')}")
        w = sized.get("model_weights")
        if w is None or int(w[1], 16) != max(weights_bytes, 1) or not lo <= int(w[0], 16) < lo + size:
            fails.append(f"model_weights ({weights_bytes} B) is not in XFLASH at {lo:#x}: {w}")
    r, secs = qemu(args.board, elf)
    vals, outs = parse(r.stdout)
    if entry["streamed"]:
        load_b, run_b = vals.get("load_weight_bytes", 0), vals.get("run_weight_bytes", 0)
        if not 0 < run_b <= entry["plan_bytes"] - entry["head_bytes"] or load_b != run_b:
            fails.append(f"weights read through the reader: {load_b} B at load, {run_b} B per inference; expected "
                         f"every segment once each (0 < bytes <= {entry['plan_bytes'] - entry['head_bytes']})")
    if "TIGRIS_TARGET PASS" not in r.stdout:
        fails.append(f"no pass line (qemu exit {r.returncode}): {r.stdout[-400:]}{r.stderr[-400:]}")
    elif len(outs) != len(entry["expected"]):
        fails.append(f"{len(outs)} outputs, host has {len(entry['expected'])}")
    else:
        for k, (a, b) in enumerate(zip(outs, entry["expected"])):
            if a == b:
                continue
            if len(a) != len(b):
                fails.append(f"output {k}: {len(a) // 2} bytes, host has {len(b) // 2}")
            elif entry["dtypes"][k] == "float32" and args.float_ulp > 0:
                ulp, n, total = ulp_diff(a, b)
                msg = f"output {k}: {n} of {total} floats differ from the host run, at most {ulp} ulp"
                if ulp > args.float_ulp:
                    fails.append(msg)
                else:
                    inexact.append(k)
                    print(f"note: {msg} (allowed: {args.float_ulp} ulp, this board's libm)")
            else:
                first = next(i for i in range(len(a)) if a[i] != b[i]) // 2
                fails.append(f"output {k} differs from the host run from byte {first}")
    res = {"name": args.name, "board": args.board, "model": entry["model"], "budget": entry["budget"],
           "backend": entry.get("backend", "reference"),
           **{k: entry[k] for k in ("vendor_calls", "vendor_fallback_calls", "vendor_fallbacks") if k in entry},
           "instructions": round(vals.get("run_ticks", 0) * per_tick),
           "load_instructions": round(vals.get("load_ticks", 0) * per_tick),
           "run_stack_bytes": vals.get("run_stack", 0), "load_stack_bytes": vals.get("load_stack", 0),
           "qemu_seconds": round(secs, 2), "plan_bytes": entry["plan_bytes"], "weights": entry["weights"],
           "weight_read_bytes": vals.get("run_weight_bytes", 0), "weight_reads": vals.get("run_weight_reads", 0),
           "pass": not fails}
    prof = f"{d}/firmware_{args.board}_profile.elf"
    if os.path.exists(prof):
        rp, secs_p = qemu(args.board, prof)
        pv, pouts = parse(rp.stdout)
        if "TIGRIS_TARGET PASS" not in rp.stdout or pouts != entry["expected"]:
            fails.append("the TGRS_PROFILE build failed or differs from the host run")
        elif pv.get("run_ticks"):
            res["profile"] = {"total_instructions": round(pv["run_ticks"] * per_tick),
                              "kernel_instructions": round(pv["kernel_ticks"] * per_tick),
                              "kernel_calls": pv["kernel_calls"],
                              "runtime_overhead": (pv["run_ticks"] - pv["kernel_ticks"]) / pv["run_ticks"]}
        res["qemu_seconds"] = round(secs + secs_p, 2)
    with open(f"{d}/{args.board}.json", "w") as f:
        json.dump(res, f, indent=1)
    print(f"{args.name} on {args.board}: {res['instructions']:,} instructions per inference "
          f"(load {res['load_instructions']:,}){streamed_note(res)}, stack {res['run_stack_bytes']} B (load {res['load_stack_bytes']} B), "
          f"qemu {res['qemu_seconds']} s")
    if "profile" in res:
        p = res["profile"]
        print(f"  runtime overhead {100 * p['runtime_overhead']:.2f} % ({p['kernel_calls']} kernel calls, "
              f"{p['total_instructions'] - p['kernel_instructions']:,} of {p['total_instructions']:,} instructions outside kernels)")
    for f_ in fails:
        print(f"FAIL: {f_}")
    if fails:
        return 1
    how = f"within {args.float_ulp} ulp of" if inexact else "bit-identical to"
    print(f"TARGET PASS {args.name} {args.board}: outputs {how} the host run, no heap")
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("prepare")
    p.add_argument("--tigris", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("entries", nargs="+")
    p = sub.add_parser("build")
    p.add_argument("--work", required=True)
    p.add_argument("--board", required=True, choices=BOARDS)
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--cmsis-nn-dir", default="", help="also build the CMSIS-NN backend and its self-test image")
    p = sub.add_parser("selftest")
    p.add_argument("--work", required=True)
    p.add_argument("--board", required=True, choices=BOARDS)
    p = sub.add_parser("run")
    p.add_argument("--work", required=True)
    p.add_argument("--board", required=True, choices=BOARDS)
    p.add_argument("--float-ulp", type=int, default=0,
                   help="float32 outputs may differ by this many ulp (libm differences); 0 = bit-identical")
    p.add_argument("name")
    args = ap.parse_args()
    if args.cmd == "prepare":
        return prepare(args) or 0
    reason = skip_reason()
    if reason:
        print(f"SKIP: {reason}")
        return 77
    if args.cmd == "selftest":
        return selftest(args)
    return build(args) if args.cmd == "build" else run(args)


if __name__ == "__main__":
    sys.exit(main())
