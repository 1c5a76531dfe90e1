#!/usr/bin/python3
"""The channels-last physical layout of int8 plans (docs/int8.md, "Physical layout"), on the
qdq_layout_s8 net of gen_qdq_nets.py (conv, depthwise conv, per-tensor weights, Add, MaxPool, MatMul
by a [K,N] weight, Gemm with transB=1):

  1. the untiled --layout auto plan, read back through the runtime's loader (tigris inspect
     --json), carries the convention's strides: NHWC activations, OHWI conv weights, [KH][KW][O]
     depthwise weights, [N][K] matrix weights, planar [C,2] requantization tables (per-tensor ones
     expanded to C rows), dense graph inputs/outputs and Reshape operands; the --layout nchw plan is
     dense everywhere; analyze --json counts the same channels-last activations;
  2. at every tiled budget the auto plan's int8 windows of 4-D tensors keep the channel innermost
     (stride 1) and the plan is really tiled;
  3. differential: the auto and nchw plans' outputs are bit-identical, untiled and at every budget
     (the untiled nchw plan is itself checked against onnxruntime by int8_qdq_layout_s8).

  4. the same differential and channel-innermost check (2., 3.) on each --also MODEL INPUT BUDGETS
     (the suite passes DS-CNN int8 at budgets where it tiles in channel bands).

Usage: layout_check.py TIGRIS_BIN WORK_DIR [--budgets 1K+64K,2K+64K] [--also MODEL INPUT BUDGETS]...
"""

import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen_qdq_nets  # noqa: E402

NET = "qdq_layout_s8"


def run(cmd):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({r.returncode}):\n{r.stdout}")
    return r.stdout


def dense(dims):
    st, inner = [], 1
    for d in reversed(dims):
        st.insert(0, inner)
        inner *= d
    return st


def same_view(dims, got, want):
    """strides equal on every dim of extent > 1 (a dim of extent 1 may have any stride)"""
    return all(d == 1 or g == w for d, g, w in zip(dims, got, want))


def nhwc(dims):
    n, c, h, w = dims
    return [h * w * c, 1, w * c, c]


class Checker:
    def __init__(self):
        self.failures = []
        self.checked = 0

    def expect(self, what, t, want):
        self.checked += 1
        if not same_view(t["dims"], t["strides"], want):
            self.failures.append(f"{what} '{t['name']}' dims {t['dims']}: strides {t['strides']}, want {want}")


def check_convention(plan, chk):
    ts = plan["tensors"]
    io = set(plan["inputs"]) | set(plan["outputs"])
    kinds = set()
    for op in plan["ops"]:
        ins = [ts[i] if i >= 0 else None for i in op["inputs"]]
        outs = [ts[i] for i in op["outputs"]]
        name = f"{op['op']} '{op['name']}'"
        if op["op"] == "Reshape":
            for t in ins[:1] + outs:
                chk.expect(f"{name}: a Reshape operand", t, dense(t["dims"]))
            continue
        if op["kernel"] != "int8":
            continue
        kinds.add(op["op"])
        matrix = op["op"] in ("Conv", "MatMul", "Gemm")
        data = op["inputs"][:1] + op["outputs"] if matrix else op["inputs"] + op["outputs"]
        for tid in data:
            t = ts[tid] if tid >= 0 else None
            if t is None or t["dtype"] != "int8" or len(t["dims"]) != 4:
                continue
            if tid in io:
                chk.expect(f"{name}: graph input/output", t, dense(t["dims"]))
            else:
                chk.expect(f"{name}: activation", t, nhwc(t["dims"]))
        if not matrix:
            continue
        x, w, y = ins[0], ins[1], outs[0]
        c = y["dims"][1] if op["op"] == "Conv" else y["dims"][-1]
        rq = ins[3]
        if rq["dims"] != [c, 2]:
            chk.failures.append(f"{name}: requantization table dims {rq['dims']}, want [{c}, 2]")
        chk.expect(f"{name}: planar requantization table", rq, [1, c])
        if op["op"] == "Conv":
            o, i, kh, kw = w["dims"]
            if i == 1 and x["dims"][1] == o:  # depthwise (multiplier 1)
                chk.expect(f"{name}: depthwise weights [KH][KW][O]", w, [1, kh * kw * o, kw * o, o])
                kinds.add("depthwise")
            else:
                chk.expect(f"{name}: OHWI weights", w, [kh * kw * i, 1, kw * i, i])
        else:
            if op["op"] == "MatMul":  # B [K, N] stored [N][K]
                chk.expect(f"{name}: [N][K] weights", w, [1, w["dims"][0]])
                kinds.add("fc_kn")
            else:  # transB=1: B [N, K] is [N][K] already
                chk.expect(f"{name}: [N][K] weights", w, dense(w["dims"]))
    for want in ("Conv", "depthwise", "Add", "MaxPool", "MatMul", "Gemm", "fc_kn"):
        if want not in kinds:
            chk.failures.append(f"the plan has no int8 {want} to check")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("tigris")
    ap.add_argument("work")
    ap.add_argument("--budgets", default="1K+64K,2K+64K,4K+64K")
    ap.add_argument("--also", nargs=3, action="append", default=[], metavar=("MODEL", "INPUT", "BUDGETS"))
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    gen_qdq_nets.NETS[NET]().finish(a.work)
    chk = Checker()

    def compile_plan(layout, budget, model=os.path.join(a.work, NET + ".onnx"),
                     inp=os.path.join(a.work, NET + ".input_0.pb")):
        tag = f"{os.path.basename(model)[:-5]}_{layout}_{budget.replace('+', '_')}"
        path = os.path.join(a.work, tag + ".tgrs")
        mem = [x for b in budget.split("+") for x in ("-m", b)]
        run([a.tigris, "compile", model, *mem, "--layout", layout, "--xip", "-o", path])
        report = json.loads(run([a.tigris, "analyze", model, *mem, "--layout", layout, "--xip", "--json"]))
        plan = json.loads(run([a.tigris, "inspect", path, "--json"]))
        out = os.path.join(a.work, "out_" + tag)
        run([a.tigris, "run", path, "-i", inp, "-o", out])
        with open(os.path.join(out, "output_0.pb"), "rb") as f:
            return report, plan, f.read()

    # 1. the untiled plans
    rep_auto, plan_auto, out_auto = compile_plan("auto", "1M")
    rep_nchw, plan_nchw, out_nchw = compile_plan("nchw", "1M")
    check_convention(plan_auto, chk)
    for t in plan_nchw["tensors"]:
        chk.expect("--layout nchw: tensor", t, dense(t["dims"]))
    permuted = [t for t in plan_auto["tensors"] if t["pool"] != "weights" and len(t["dims"]) == 4 and
                not same_view(t["dims"], t["strides"], dense(t["dims"]))]
    if rep_auto["layout"] != "auto" or rep_auto["channels_last_activations"] != len(permuted) or not permuted:
        chk.failures.append(f"analyze counts {rep_auto['channels_last_activations']} channels-last activations, "
                            f"the plan has {len(permuted)}")
    if rep_nchw["channels_last_activations"] != 0 or rep_nchw["permuted_constants"] != 0:
        chk.failures.append("analyze --layout nchw counts permuted tensors")
    if out_auto != out_nchw:
        chk.failures.append("untiled: --layout auto and nchw outputs differ")
    print(f"untiled: {len(permuted)} channels-last activations, {rep_auto['permuted_constants']} permuted "
          f"constants, outputs bit-identical to --layout nchw: {out_auto == out_nchw}")

    # 2./3. tiled budgets, 4. other models
    runs = [(NET, {}, budget, out_nchw) for budget in a.budgets.split(",")]
    for model, inp, budgets in a.also:
        files = {"model": model, "inp": inp}
        _, _, untiled = compile_plan("nchw", "1G", **files)
        runs += [(os.path.basename(model), files, budget, untiled) for budget in budgets.split(",")]
    for name, files, budget, out_untiled in runs:
        rep_a, plan_a, out_a = compile_plan("auto", budget, **files)
        _, _, out_n = compile_plan("nchw", budget, **files)
        budget = f"{name} at {budget}"
        tiled = [s for s in rep_a["stage_list"] if s["kind"] in ("tiled", "chain")]
        if not tiled:
            chk.failures.append(f"{budget}: the plan is not tiled")
        windows = 0
        io = set(plan_a["inputs"]) | set(plan_a["outputs"])
        for tid, t in enumerate(plan_a["tensors"]):
            if t["dtype"] == "int8" and len(t["dims"]) == 4 and t["pool"] != "weights" and t["dims"][1] > 1:
                if tid not in io:
                    windows += 1
                    if t["strides"][1] != 1:
                        chk.failures.append(f"{budget}: int8 view '{t['name']}' dims {t['dims']} strides "
                                            f"{t['strides']}: the channel is not innermost")
        if out_a != out_n:
            chk.failures.append(f"{budget}: --layout auto and nchw outputs differ")
        if out_a != out_untiled:
            chk.failures.append(f"{budget}: the tiled output differs from the untiled one")
        print(f"{budget}: {len(tiled)} tiled/chain stages ({', '.join(sorted(set(s['tiling'] for s in tiled)))}), "
              f"{windows} int8 4-D views channel-innermost, outputs bit-identical: {out_a == out_n == out_untiled}")

    print(f"{chk.checked} stride checks")
    for f in chk.failures:
        print("FAIL:", f)
    return 1 if chk.failures else 0


if __name__ == "__main__":
    sys.exit(main())
