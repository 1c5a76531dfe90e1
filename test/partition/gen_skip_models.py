#!/usr/bin/env python3
"""Random skip-heavy CNNs for the partition tests: DAGs of Conv/Relu, Add, Concat, MaxPool and
Resize whose peak is set by many tensors waiting on long skips, not by one op, so temporal
partitioning has to spill and reload at most budgets. Deterministic per seed; writes
<dir>/skip<seed>.onnx and <dir>/skip<seed>.input_0.pb. Usage: gen_skip_models.py DIR [--seeds 0,1,2]"""
import argparse
import os
import sys

import numpy as np
from onnx import TensorProto, checker, helper, numpy_helper, save


def build(name, seed):
    rng = np.random.default_rng(seed)
    hw = int(rng.choice([16, 24, 32]))
    c_in = int(rng.choice([3, 4, 8]))
    nodes, inits = [], []
    # available tensors: name -> (channels, spatial size); `uses` counts readers
    shapes = {"x": (c_in, hw)}
    uses = {"x": 0}
    order = ["x"]
    counter = [0]

    def fresh(prefix):
        counter[0] += 1
        return "%s%d" % (prefix, counter[0])

    def pick(pred=lambda t: True, recent_bias=True):
        cands = [t for t in order if pred(t)]
        if not cands:
            return None
        if recent_bias and rng.random() < 0.6:
            cands = cands[-3:]
        return cands[int(rng.integers(len(cands)))]

    def conv(src, c_out, k):
        c, s = shapes[src]
        w = fresh("w")
        inits.append(numpy_helper.from_array(
            (rng.standard_normal((c_out, c, k, k)) * (1.0 / np.sqrt(c * k * k))).astype(np.float32), w))
        b = fresh("b")
        inits.append(numpy_helper.from_array((rng.standard_normal(c_out) * 0.1).astype(np.float32), b))
        y, r = fresh("conv"), fresh("relu")
        nodes.append(helper.make_node("Conv", [src, w, b], [y], name=y, pads=[k // 2] * 4))
        nodes.append(helper.make_node("Relu", [y], [r], name=r))
        return r, (c_out, s)

    n_layers = int(rng.integers(14, 22))
    for _ in range(n_layers):
        op = rng.choice(["conv", "conv", "add", "concat", "pool", "up"])
        out = None
        if op == "add":
            a = pick()
            b = pick(lambda t: t != a and shapes[t] == shapes[a], recent_bias=False)
            if b is not None:
                out = fresh("add")
                nodes.append(helper.make_node("Add", [a, b], [out], name=out))
                uses[a] += 1
                uses[b] += 1
                shape = shapes[a]
        elif op == "concat":
            a = pick()
            b = pick(lambda t: t != a and shapes[t][1] == shapes[a][1], recent_bias=False)
            if b is not None and shapes[a][0] + shapes[b][0] <= 48:
                out = fresh("cat")
                nodes.append(helper.make_node("Concat", [a, b], [out], name=out, axis=1))
                uses[a] += 1
                uses[b] += 1
                shape = (shapes[a][0] + shapes[b][0], shapes[a][1])
        elif op == "pool":
            a = pick(lambda t: shapes[t][1] >= 8 and shapes[t][1] % 2 == 0)
            if a is not None:
                out = fresh("pool")
                nodes.append(helper.make_node("MaxPool", [a], [out], name=out, kernel_shape=[2, 2], strides=[2, 2]))
                uses[a] += 1
                shape = (shapes[a][0], shapes[a][1] // 2)
        elif op == "up":
            a = pick(lambda t: shapes[t][1] < hw)
            if a is not None:
                scales = fresh("scales")
                inits.append(numpy_helper.from_array(np.array([1, 1, 2, 2], dtype=np.float32), scales))
                out = fresh("up")
                nodes.append(helper.make_node("Resize", [a, "", scales], [out], name=out, mode="nearest"))
                uses[a] += 1
                shape = (shapes[a][0], shapes[a][1] * 2)
        if out is None:  # conv, or the chosen op had no valid operands
            a = pick()
            out, shape = conv(a, int(rng.choice([4, 8, 12, 16, 24])), int(rng.choice([1, 3])))
            uses[a] += 1
        shapes[out] = shape
        uses[out] = 0
        order.append(out)

    # Every tensor nobody reads is an output, so dead-code elimination keeps the whole DAG.
    outs = [t for t in order if uses[t] == 0 and t != "x"]
    graph = helper.make_graph(
        nodes, name,
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, c_in, hw, hw])],
        [helper.make_tensor_value_info(t, TensorProto.FLOAT, [1, shapes[t][0], shapes[t][1], shapes[t][1]])
         for t in outs],
        initializer=inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    checker.check_model(model)
    x = rng.uniform(-1.0, 1.0, size=(1, c_in, hw, hw)).astype(np.float32)
    return name, model, numpy_helper.from_array(x, "x")


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("dir")
    ap.add_argument("--seeds", default="0,1,2,3", help="comma-separated seeds, one model each")
    args = ap.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    for seed in [int(s) for s in args.seeds.split(",") if s]:
        name, model, x = build("skip%d" % seed, seed)
        save(model, os.path.join(args.dir, name + ".onnx"))
        with open(os.path.join(args.dir, name + ".input_0.pb"), "wb") as f:
            f.write(x.SerializeToString())
        print("wrote %s: %d nodes, %d outputs" % (name, len(model.graph.node), len(model.graph.output)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
