#!/usr/bin/python3
"""The int8 exactness contract on the nets of gen_qdq_nets.py (docs/int8.md):

  1. untiled plan vs onnxruntime (graph optimizations disabled: ONNX's float-emulated QDQ):
     every probe output (each QuantizeLinear of the net, the plan running the whole net) and the
     net's output, as LSB differences; the output's top-1 class must agree, each probe must be
     within --max-lsb (1) LSB of onnxruntime;
  2. tiled plans at every budget of --budgets vs the untiled plan: bit-identical outputs, and the
     plan must really be tiled (at least one tiled/chain stage) where the net's untiled arena does
     not fit the budget.

Usage: check_int8.py BUILD_DIR WORK_DIR [--nets a,b] [--budgets 4K,6K] [--max-lsb 1]
Environment: TIGRIS_BIN (default BUILD_DIR/apps/tigris), TIGRIS_NODE (default node),
  ORACLE_NODE_MODULES (node_modules with onnxruntime-node; default BUILD_DIR/test/e2e/oracle/node_modules).
Exit status 0 only if every check passes; the report lists the numbers either way.
"""

import argparse
import json
import os
import subprocess
import sys

import numpy as np
import onnx
from onnx import numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(os.path.dirname(HERE))


def load(path):
    return numpy_helper.to_array(onnx.load_tensor(path))


def run(cmd, **kw):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **kw)
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({r.returncode}):\n{r.stdout}")
    return r.stdout


def outputs_of(dirname, n):
    return [load(os.path.join(dirname, f"output_{k}.pb")) for k in range(n)]


def layers(path):
    rows = []
    with open(path) as f:
        for line in f:
            name, scale, zp, dt = line.split()
            rows.append((name, float(scale), int(zp), dt))
    return rows


def layer_models(probe_path, rows, outdir):
    """One model per QuantizeLinear of the net: its graph inputs are the QuantizeLinear outputs
    (or the net's input) it reads, its nodes everything between them and it (DequantizeLinear of
    the inputs and weights, the op, its activation, the QuantizeLinear), its output the
    QuantizeLinear's. Returns [(layer tensor, model path, [input tensor names])]."""
    m = onnx.load(probe_path)
    g = m.graph
    producer = {o: n for n in g.node for o in n.output}
    inits = {i.name: i for i in g.initializer}
    types = {v.name: v for v in list(g.input) + list(g.output)}
    boundary = {r[0] for r in rows} | {i.name for i in g.input}
    out = []
    for (name, _, _, _) in rows:
        if name not in producer or name not in types:
            continue
        nodes, ins, used, stack, seen = [], [], set(), [name], set()
        while stack:
            t = stack.pop()
            if t in seen or t == "":
                continue
            seen.add(t)
            if t != name and t in boundary:
                ins.append(t)
                continue
            if t in inits:
                used.add(t)
                continue
            n = producer[t]
            nodes.append(n)
            stack.extend(n.input)
        order = {id(n): k for k, n in enumerate(g.node)}
        nodes = sorted({id(n): n for n in nodes}.values(), key=lambda n: order[id(n)])
        graph = onnx.helper.make_graph(nodes, name, [types[i] for i in ins], [types[name]],
                                       [inits[u] for u in sorted(used)])
        model = onnx.helper.make_model(graph, opset_imports=m.opset_import)
        model.ir_version = m.ir_version
        path = os.path.join(outdir, name + ".onnx")
        onnx.save(model, path)
        out.append((name, path, ins))
    return out


def lsb(ours, ref, scale):
    """max |ours - ref| in units of the output's quantization step"""
    if ours.dtype.kind in "iu":
        return int(np.abs(ours.astype(np.int64) - ref.astype(np.int64)).max())
    return float(np.abs(ours.astype(np.float64) - ref.astype(np.float64)).max() / scale)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build_dir")
    ap.add_argument("work_dir")
    ap.add_argument("--nets", default="")
    ap.add_argument("--budgets", default="400+64K,1K+64K,2K+64K,4K+64K,6K+64K")
    ap.add_argument("--max-lsb", type=float, default=1.0)
    ap.add_argument("--json", default="")
    a = ap.parse_args()
    tigris = os.environ.get("TIGRIS_BIN", os.path.join(a.build_dir, "apps", "tigris"))
    node = os.environ.get("TIGRIS_NODE", "node")
    modules = os.environ.get("ORACLE_NODE_MODULES", os.path.join(a.build_dir, "test", "e2e", "oracle", "node_modules"))
    models = os.path.join(a.work_dir, "models")
    os.makedirs(models, exist_ok=True)
    gen = [sys.executable, os.path.join(HERE, "gen_qdq_nets.py"), models]
    nets = a.nets.split(",") if a.nets else run([sys.executable, os.path.join(HERE, "gen_qdq_nets.py"), "--list"]).split()
    run(gen + ["--nets", ",".join(nets)])
    env = dict(os.environ, NODE_PATH=modules)
    failures, report = [], {}
    for net in nets:
        rep = report.setdefault(net, {})
        inp = os.path.join(models, net + ".input_0.pb")
        rows = layers(os.path.join(models, net + ".layers.txt"))
        # 1. onnxruntime on the net and its probe form
        for variant in ("", "_probe"):
            run([node, os.path.join(SRC, "test", "oracle", "run_ort.js"), os.path.join(models, net + variant + ".onnx"),
                 os.path.join(a.work_dir, net + variant, "ort"), inp], env=env)
        n_probe = len(rows)
        ort = outputs_of(os.path.join(a.work_dir, net + "_probe", "ort"), n_probe)
        ort_out = outputs_of(os.path.join(a.work_dir, net, "ort"), 1)[0]

        def compile_run(variant, budget):
            tag = os.path.join(a.work_dir, net + variant, budget.replace("+", "_"))
            os.makedirs(tag, exist_ok=True)
            plan = tag + ".tgrs"
            mem = ["--xip"]  # the budgets are the tiling's alone (weight_modes.sh checks the streamed modes)
            for b in budget.split("+"):
                mem += ["-m", b]
            model = os.path.join(models, net + variant + ".onnx")
            log = run([tigris, "analyze", model, "--json"] + mem)
            run([tigris, "compile", model, "-o", plan] + mem)
            run([tigris, "run", plan, "-i", inp, "-o", tag])
            return tag, json.loads(log[log.index("{"):])

        # untiled, the probe form: every QuantizeLinear output of the whole net against onnxruntime's
        # (differences propagate: reported, not a pass criterion)
        tag, _ = compile_run("_probe", "64M")
        ours = outputs_of(tag, n_probe)
        rep["chained"] = []
        for (name, scale, zp, dt), o, r in zip(rows, ours, ort):
            rep["chained"].append({"tensor": name, "max_lsb": lsb(o, r, scale)})
        # layer by layer: each layer's model fed onnxruntime's values of its inputs, ours vs onnxruntime
        ort_of = {row[0]: v for row, v in zip(rows, ort)}
        ldir = os.path.join(a.work_dir, net + "_layers")
        os.makedirs(ldir, exist_ok=True)
        rep["layers"] = []
        for (name, path, ins) in layer_models(os.path.join(models, net + "_probe.onnx"), rows, ldir):
            feeds = []
            for k, t in enumerate(ins):
                p = os.path.join(ldir, f"{name}.input_{k}.pb")
                v = load(inp) if t == "input" else ort_of[t]
                tp = numpy_helper.from_array(v, t)
                with open(p, "wb") as f:
                    f.write(tp.SerializeToString())
                feeds.append(p)
            run([node, os.path.join(SRC, "test", "oracle", "run_ort.js"), path, os.path.join(ldir, name + ".ort")] + feeds,
                env=env)
            plan = os.path.join(ldir, name + ".tgrs")
            run([tigris, "compile", path, "-m", "64M", "-o", plan])
            cmd = [tigris, "run", plan, "-o", os.path.join(ldir, name + ".ours")]
            for p in feeds:
                cmd += ["-i", p]
            run(cmd)
            o = load(os.path.join(ldir, name + ".ours", "output_0.pb"))
            r = load(os.path.join(ldir, name + ".ort", "output_0.pb"))
            d = lsb(o, r, 1.0)
            ops = sorted({n.op_type for n in onnx.load(path).graph.node} - {"QuantizeLinear", "DequantizeLinear"})
            rep["layers"].append({"tensor": name, "ops": ops, "max_lsb": d, "elements": int(o.size),
                                  "off_by_one": int((o.astype(np.int64) != r.astype(np.int64)).sum())})
            if d > a.max_lsb:
                failures.append(f"{net}: layer {name} ({'+'.join(ops)}) is {d} LSB from onnxruntime (max {a.max_lsb})")
        # untiled net output: LSB and top-1
        tag, rj = compile_run("", "64M")
        untiled = outputs_of(tag, 1)[0]
        d = lsb(untiled, ort_out, rows[0][1])
        top_ours, top_ort = int(np.argmax(untiled.reshape(-1))), int(np.argmax(ort_out.reshape(-1)))
        rep["output"] = {"max_lsb": d, "top1": top_ours, "top1_ort": top_ort, "arena": rj.get("pool_used", [0])[0],
                         "dtype": rj.get("dtype", "")}
        if top_ours != top_ort:
            failures.append(f"{net}: top-1 {top_ours} differs from onnxruntime's {top_ort}")
        if d > a.max_lsb:
            failures.append(f"{net}: output is {d} LSB from onnxruntime (max {a.max_lsb})")
        # 2. tiled budgets: bit-identical to untiled
        rep["budgets"] = []
        untiled_arena = rj.get("pool_used", [0])[0]
        for budget in a.budgets.split(","):
            try:
                tag, bj = compile_run("", budget)
            except RuntimeError as e:
                failures.append(f"{net}: budget {budget}: {str(e).splitlines()[0]}")
                rep["budgets"].append({"budget": budget, "error": str(e).splitlines()[-1][:200]})
                continue
            tiled = outputs_of(tag, 1)[0]
            same = tiled.tobytes() == untiled.tobytes()
            stages = bj.get("stage_list", [])
            kinds = sorted({s.get("kind", "normal") for s in stages})
            rep["budgets"].append({"budget": budget, "arena": bj.get("pool_used", [0])[0], "identical": same,
                                   "stage_kinds": kinds, "spill_bytes": bj.get("spill_bytes", 0)})
            if not same:
                failures.append(f"{net}: budget {budget}: output differs from the untiled plan")
            if untiled_arena > bj.get("pool_budget", [0])[0] and not any(k in ("tiled", "chain") for k in kinds):
                failures.append(f"{net}: budget {budget}: the plan is not tiled")
    for net, rep in report.items():
        print(f"{net}: output max {rep['output']['max_lsb']} LSB vs onnxruntime, top-1 {rep['output']['top1']} "
              f"(onnxruntime {rep['output']['top1_ort']}), untiled arena {rep['output']['arena']} B, dtype {rep['output']['dtype']}")
        print("  layer by layer (max LSB vs onnxruntime, elements off): " +
              ", ".join(f"{l['tensor']}[{'+'.join(l['ops']) or 'Q'}]={l['max_lsb']:g} ({l['off_by_one']}/{l['elements']})"
                        for l in rep["layers"]))
        print("  whole net, each layer's output (max LSB): " +
              ", ".join(f"{l['tensor']}={l['max_lsb']:g}" for l in rep["chained"]))
        for b in rep["budgets"]:
            if "error" in b:
                print(f"  budget {b['budget']}: ERROR {b['error']}")
            else:
                print(f"  budget {b['budget']}: arena {b['arena']} B, stages {'/'.join(b['stage_kinds'])}, "
                      f"{'bit-identical' if b['identical'] else 'DIFFERENT'} to untiled")
    if a.json:
        with open(a.json, "w") as f:
            json.dump(report, f, indent=1)
    for f in failures:
        print("FAIL " + f)
    print("PASS" if not failures else f"{len(failures)} failure(s)")
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
