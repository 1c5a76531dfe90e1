#!/usr/bin/env python3
"""Random tileable CNNs for the tiling sweep (tile_sweep_test.cpp): chains and small DAGs of
Conv 3x3/1x1/5x5, strided, dilated, depthwise and grouped convolutions, explicit constant Pad
before a valid convolution, BatchNormalization, MaxPool/AveragePool (floor and ceil mode,
count_include_pad), Relu/Clip/LeakyRelu/Sigmoid/SiLU, residual adds, channel concats of
branches, nearest and linear Resize up-sampling (several coordinate modes), down-then-up (FPN)
branches, and GlobalAveragePool + Flatten (or ReduceMean keepdims=0) + Gemm heads; every fifth model is 1-D (N, C, W).
ONNX opset 13, weights and inputs from a fixed seed per model (no download, no training).

Also a few fixed minimal models that reproduce compiler bugs the tiling tests found (--named):
tile_fpn (a down-then-up branch added back: wrong outputs at some budgets), tile_pad (an explicit
Pad before a valid Conv: zero-row strips), tile_crash (a 2x2/2 MaxPool over 5 rows: the tile
search crashes), tile_mono (with a 1 GiB slow pool it compiles at 32, 64..112 and 144 bytes but
not at 48 or 128), tile_meankd0 (a ReduceMean with keepdims=0 after a Conv: never tiled, so
the Conv's whole output had to fit), tile_head1 and tile_head (one and two levels of a YOLO-style decode head: 5-D
Reshape/Transpose, Sigmoid, Split on the last axis, Pow, Concat along the last axis; tile_head
also concatenates the levels along the boxes axis): their minimum budgets were set by a Split
that was tiled in rows only, not banded along W, and by the final Concat, which was not tiled
along its own axis; tile_blame (Split -> Add -> Softmax: below its minimum, compile named the
Split instead of the Softmax that sets it).

Writes <dir>/<name>.onnx and <dir>/<name>.input_0.pb; --list prints the model names.
Usage: gen_tile_models.py DIR [--seeds 0-31 | --seeds 0,3,7] [--named fpn,pad,crash,mono,meankd0,head1,head,blame]"""
import argparse
import os
import sys

import numpy as np
from onnx import TensorProto, checker, helper, numpy_helper, save


class Net:
    """Builds the graph eagerly, tracking each tensor's shape (C, spatial...) without batch."""

    def __init__(self, name, seed, rank):
        self.name = name
        self.rng = np.random.default_rng(seed)
        self.rank = rank  # 4: NCHW, 3: NCW
        self.nodes, self.inits = [], []
        self.shape = {}
        self.count = 0

    def fresh(self, prefix):
        self.count += 1
        return "%s%d" % (prefix, self.count)

    def const(self, prefix, arr):
        name = self.fresh(prefix)
        self.inits.append(numpy_helper.from_array(np.asarray(arr), name))
        return name

    def node(self, op, inputs, shape, prefix=None, **attrs):
        out = self.fresh(prefix or op.lower())
        self.nodes.append(helper.make_node(op, inputs, [out], name=out, **attrs))
        self.shape[out] = tuple(shape)
        return out

    def ns(self):
        return self.rank - 2

    # ---- layers -------------------------------------------------------------------------------
    def conv(self, x, cout, k=3, s=1, d=1, pads=None, group=1, bias=True):
        c, sp = self.shape[x][0], self.shape[x][1:]
        ext = (k - 1) * d + 1
        if pads is None:
            pads = [(ext - 1) // 2] * self.ns() + [ext // 2] * self.ns()
        out = []
        for i, n in enumerate(sp):
            span = n + pads[i] + pads[i + self.ns()] - ext
            if span < 0:
                return None
            out.append(span // s + 1)
        fan_in = (c // group) * k ** self.ns()
        w = self.rng.standard_normal((cout, c // group) + (k,) * self.ns()) * np.sqrt(1.5 / fan_in)
        ins = [x, self.const("w", w.astype(np.float32))]
        if bias:
            ins.append(self.const("b", (self.rng.standard_normal(cout) * 0.1).astype(np.float32)))
        return self.node("Conv", ins, (cout,) + tuple(out), kernel_shape=[k] * self.ns(), strides=[s] * self.ns(),
                         dilations=[d] * self.ns(), pads=pads, group=group)

    def batchnorm(self, x):
        c = self.shape[x][0]
        p = [self.const("bn", v.astype(np.float32)) for v in (
            self.rng.uniform(0.5, 1.5, c), self.rng.standard_normal(c) * 0.1, self.rng.standard_normal(c) * 0.1,
            self.rng.uniform(0.5, 1.5, c))]
        return self.node("BatchNormalization", [x] + p, self.shape[x], epsilon=1e-5)

    def act(self, x):
        kind = self.rng.choice(["relu", "relu", "clip", "leaky", "sigmoid", "silu", "none"])
        if kind == "relu":
            return self.node("Relu", [x], self.shape[x])
        if kind == "clip":
            lo = self.const("min", np.array(0.0, np.float32))
            hi = self.const("max", np.array(6.0, np.float32))
            return self.node("Clip", [x, lo, hi], self.shape[x])
        if kind == "leaky":
            return self.node("LeakyRelu", [x], self.shape[x], alpha=0.1)
        if kind == "sigmoid":
            return self.node("Sigmoid", [x], self.shape[x])
        if kind == "silu":
            s = self.node("Sigmoid", [x], self.shape[x])
            return self.node("Mul", [x, s], self.shape[x], prefix="silu")
        return x

    def pool(self, x, avg, k, s, p, ceil):
        c, sp = self.shape[x][0], self.shape[x][1:]
        out = []
        for n in sp:
            span = n + 2 * p - k
            if span < 0:
                return None
            o = (span + s - 1) // s + 1 if ceil else span // s + 1
            if ceil and (o - 1) * s >= n + p:
                o -= 1
            out.append(o)
        attrs = dict(kernel_shape=[k] * self.ns(), strides=[s] * self.ns(), pads=[p] * (2 * self.ns()),
                     ceil_mode=int(ceil))
        if avg:
            attrs["count_include_pad"] = int(self.rng.random() < 0.5)
        return self.node("AveragePool" if avg else "MaxPool", [x], (c,) + tuple(out), **attrs)

    def resize_up(self, x):
        c, sp = self.shape[x][0], self.shape[x][1:]
        scales = self.const("scales", np.array([1, 1] + [2] * self.ns(), np.float32))
        if self.rng.random() < 0.6:
            coord, mode = self.rng.choice(["asymmetric", "half_pixel", "align_corners"]), "nearest"
            nearest = "floor" if coord == "asymmetric" else self.rng.choice(["round_prefer_floor", "round_prefer_ceil"])
            attrs = dict(mode=mode, coordinate_transformation_mode=coord, nearest_mode=nearest)
        else:
            attrs = dict(mode="linear", coordinate_transformation_mode=self.rng.choice(
                ["half_pixel", "align_corners", "asymmetric", "pytorch_half_pixel"]))
        return self.node("Resize", [x, "", scales], (c,) + tuple(2 * n for n in sp), prefix="up", **attrs)

    def pad(self, x, p):
        c, sp = self.shape[x][0], self.shape[x][1:]
        pads = self.const("pads", np.array([0, 0] + [p] * self.ns() + [0, 0] + [p] * self.ns(), np.int64))
        value = self.const("value", np.array(0.0, np.float32))
        return self.node("Pad", [x, pads, value], (c,) + tuple(n + 2 * p for n in sp), mode="constant")

    # ---- blocks -------------------------------------------------------------------------------
    def block(self, x):
        r = self.rng
        c, sp = self.shape[x][0], self.shape[x][1:]
        small, big = min(sp), max(sp)
        kind = r.choice(["conv3", "conv3", "conv1", "conv5", "strided", "dilated", "depthwise", "grouped", "pool",
                         "residual", "concat", "up", "fpn", "padconv", "bn"])
        y = None
        if kind == "conv3":
            y = self.conv(x, int(r.choice([4, 6, 8, 12])), 3)
        elif kind == "conv1":
            y = self.conv(x, int(r.choice([4, 8, 16])), 1)
        elif kind == "conv5":
            y = self.conv(x, int(r.choice([4, 8])), 5)
        elif kind == "strided" and small >= 8:
            y = self.conv(x, int(r.choice([8, 12, 16])), int(r.choice([1, 3])), s=2)
        elif kind == "dilated":
            y = self.conv(x, int(r.choice([4, 8])), 3, d=2)
        elif kind == "depthwise":
            y = self.conv(x, c * int(r.choice([1, 1, 2])), 3, s=2 if small >= 8 and r.random() < 0.3 else 1, group=c)
        elif kind == "grouped" and c % 2 == 0:
            y = self.conv(x, 2 * int(r.choice([2, 3, 4])), 3, group=2)
        elif kind == "pool" and small >= 6:
            which = r.integers(3)
            if which == 0:
                y = self.pool(x, r.random() < 0.3, 2, 2, 0, r.random() < 0.3)
            elif which == 1:
                y = self.pool(x, r.random() < 0.5, 3, 1, 1, False)
            else:
                y = self.pool(x, r.random() < 0.5, 3, 2, 1, r.random() < 0.5)
        elif kind == "residual":
            h = self.act(self.conv(x, c, 3))
            h = self.conv(h, c, int(r.choice([1, 3])))
            y = self.node("Add", [x, h], self.shape[x], prefix="res")
        elif kind == "concat":
            a = self.act(self.conv(x, int(r.choice([2, 4])), 1))
            b = self.act(self.conv(x, int(r.choice([2, 4])), 3))
            y = self.node("Concat", [a, b], (self.shape[a][0] + self.shape[b][0],) + sp, axis=1)
        elif kind == "up" and big <= 24:
            y = self.resize_up(x)
        elif kind == "fpn" and all(n % 2 == 0 for n in sp) and small >= 8:
            down = self.act(self.conv(x, c, int(r.choice([3, 5])), s=2))
            up = self.resize_up(down)
            y = self.node("Add", [up, x], self.shape[x], prefix="fpn")
        elif kind == "padconv":
            y = self.conv(self.pad(x, 1), int(r.choice([4, 8])), 3, s=int(r.choice([1, 2])), pads=[0] * (2 * self.ns()))
        elif kind == "bn":
            y = self.batchnorm(self.conv(x, int(r.choice([4, 8])), 3, bias=False))
        if y is None:
            y = self.conv(x, int(r.choice([4, 8])), 3)
        return self.act(y) if kind not in ("residual", "fpn") else y

    def head(self, x):
        c = self.shape[x][0]
        if self.rng.random() < 0.35:
            # torchvision's x.mean([2, 3]): a ReduceMean that drops the axes it reduces
            f = self.node("ReduceMean", [x], (c,), prefix="mean", axes=list(range(2, 2 + self.ns())), keepdims=0)
        else:
            g = self.node("GlobalAveragePool", [x], (c,) + (1,) * self.ns(), prefix="gap")
            f = self.node("Flatten", [g], (c,), prefix="flat", axis=1)
        classes = int(self.rng.choice([4, 10]))
        w = self.const("fc_w", (self.rng.standard_normal((classes, c)) / np.sqrt(c)).astype(np.float32))
        b = self.const("fc_b", (self.rng.standard_normal(classes) * 0.1).astype(np.float32))
        return self.node("Gemm", [f, w, b], (classes,), prefix="fc", transB=1)


def build(seed):
    rng = np.random.default_rng(1000 + seed)
    rank = 3 if seed % 5 == 4 else 4
    net = Net("tile%d" % seed, seed, rank)
    c_in = int(rng.choice([1, 3, 4]))
    if rank == 4:
        h = int(rng.choice([16, 20, 24, 28, 32]))
        w = h if rng.random() < 0.6 else int(rng.choice([16, 20, 24, 32]))
        sp = (h, w)
    else:
        sp = (int(rng.choice([48, 64, 80, 96])),)
    net.shape["x"] = (c_in,) + sp
    x = net.act(net.conv("x", int(rng.choice([4, 8])), 3))
    for _ in range(int(rng.integers(4, 10))):
        x = net.block(x)
    outputs = []
    tail = rng.random()
    if tail < 0.45:
        outputs.append(net.head(x))
    elif tail < 0.6:
        outputs += [x, net.head(x)]  # the feature map and the head
    else:
        outputs.append(x)
    graph = helper.make_graph(
        net.nodes, net.name, [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1] + list(net.shape["x"]))],
        [helper.make_tensor_value_info(t, TensorProto.FLOAT, [1] + list(net.shape[t])) for t in outputs],
        initializer=net.inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 7
    checker.check_model(model)
    data = rng.uniform(-1.0, 1.0, size=(1,) + net.shape["x"]).astype(np.float32)
    return model, numpy_helper.from_array(data, "x")


def fixed_model(name, nodes, x_shape, y_shapes, inits, rng):
    graph = helper.make_graph(nodes, name, [helper.make_tensor_value_info("x", TensorProto.FLOAT, list(x_shape))],
                              [helper.make_tensor_value_info(n, TensorProto.FLOAT, list(s)) for n, s in y_shapes],
                              initializer=inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 7
    checker.check_model(model)
    return model, numpy_helper.from_array(rng.uniform(-1.0, 1.0, size=x_shape).astype(np.float32), "x")


def build_named(which):
    """The minimal reproductions, exactly as reported (keep them stable: tests name budgets)."""
    rng = np.random.default_rng(0)
    inits = []

    def const(name, arr):
        inits.append(numpy_helper.from_array(np.asarray(arr), name))
        return name

    def weight(*shape):
        return const("w%d" % len(inits), (rng.standard_normal(shape) * 0.3).astype(np.float32))

    if which == "fpn":
        # x -> Conv 3x3 -> t; t -> Conv 5x5/2 -> Resize x2 (nearest) -> + t
        w0, w1 = weight(4, 3, 3, 3), weight(4, 4, 5, 5)
        sc = const("sc", np.array([1, 1, 2, 2], np.float32))
        nodes = [helper.make_node("Conv", ["x", w0], ["t"], kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
                 helper.make_node("Conv", ["t", w1], ["p"], kernel_shape=[5, 5], pads=[2, 2, 2, 2], strides=[2, 2]),
                 helper.make_node("Resize", ["p", "", sc], ["q"], mode="nearest"),
                 helper.make_node("Add", ["q", "t"], ["y"])]
        return fixed_model("tile_fpn", nodes, (1, 3, 16, 16), [("y", (1, 4, 16, 16))], inits, rng)
    if which == "pad":
        # x -> Conv 3x3 (same) -> Pad 1 -> Conv 3x3 (valid)
        w0 = const("w0", (rng.standard_normal((4, 3, 3, 3)) * 0.3).astype(np.float32))
        pads = const("pads", np.array([0, 0, 1, 1, 0, 0, 1, 1], np.int64))
        value = const("v", np.array(0, np.float32))
        w1 = const("w1", (rng.standard_normal((4, 4, 3, 3)) * 0.3).astype(np.float32))
        nodes = [helper.make_node("Conv", ["x", w0], ["t"], kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
                 helper.make_node("Pad", ["t", pads, value], ["p"]),
                 helper.make_node("Conv", ["p", w1], ["y"], kernel_shape=[3, 3])]
        return fixed_model("tile_pad", nodes, (1, 3, 16, 16), [("y", (1, 4, 16, 16))], inits, rng)
    if which == "crash":
        # x[1,1,5,5] -> Conv 1x1 (4 ch) -> MaxPool 2x2/2 (row 4 is never read) -> Conv 1x1
        w1 = const("w1", np.ones((4, 1, 1, 1), np.float32))
        w2 = const("w2", np.ones((1, 4, 1, 1), np.float32))
        nodes = [helper.make_node("Conv", ["x", w1], ["a"], kernel_shape=[1, 1]),
                 helper.make_node("MaxPool", ["a"], ["p"], kernel_shape=[2, 2], strides=[2, 2]),
                 helper.make_node("Conv", ["p", w2], ["y"], kernel_shape=[1, 1])]
        return fixed_model("tile_crash", nodes, (1, 1, 5, 5), [("y", (1, 1, 2, 2))], inits, rng)
    if which == "mono":
        # x[1,1,5,5] -> Conv 1x1 -> MaxPool 2x2/2 -> Conv 1x1, all weights 1
        w = const("w", np.ones((1, 1, 1, 1), np.float32))
        nodes = [helper.make_node("Conv", ["x", w], ["a"], kernel_shape=[1, 1]),
                 helper.make_node("MaxPool", ["a"], ["p"], kernel_shape=[2, 2], strides=[2, 2]),
                 helper.make_node("Conv", ["p", w], ["y"], kernel_shape=[1, 1])]
        return fixed_model("tile_mono", nodes, (1, 1, 5, 5), [("y", (1, 1, 2, 2))], inits, rng)
    if which == "meankd0":
        # x -> Conv 3x3 -> ReduceMean(axes [2, 3], keepdims=0): the rows the strips run along
        # exist only on the reduction's input
        w = weight(8, 3, 3, 3)
        nodes = [helper.make_node("Conv", ["x", w], ["t"], kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
                 helper.make_node("ReduceMean", ["t"], ["y"], axes=[2, 3], keepdims=0)]
        return fixed_model("tile_meankd0", nodes, (1, 3, 16, 16), [("y", (1, 8))], inits, rng)
    if which in ("head", "head1"):
        # Two detection levels (8x8 and 4x4, 2 anchors, 3 classes: 8 values per box), each
        # Conv -> Reshape [1,2,8,H,W] -> Transpose [1,2,H,W,8] -> Sigmoid -> Split (2,2,4) on the
        # last axis; xy = (xy*2 + grid) * stride, wh = (wh*2)^2 * anchors (Pow); Concat on the
        # last axis -> Reshape [1,2HW,8]; the levels concatenated along axis 1 -> [1,160,8].
        # head1: the first level alone, its [1,128,8] the output.
        na, no = 2, 8
        two = const("two", np.array(2.0, np.float32))
        nodes = [helper.make_node("Conv", ["x", weight(na * no, 4, 3, 3)], ["p0"], kernel_shape=[3, 3],
                                  pads=[1, 1, 1, 1]),
                 helper.make_node("Conv", ["x", weight(na * no, 4, 3, 3)], ["p1"], kernel_shape=[3, 3],
                                  pads=[1, 1, 1, 1], strides=[2, 2])]
        levels = []
        level_cfg = ((8, 8.0, (10, 13, 16, 30)), (4, 16.0, (30, 61, 62, 45)))
        if which == "head1":
            nodes.pop()
            level_cfg = level_cfg[:1]
        for i, (hw, stride, anchors) in enumerate(level_cfg):
            p = "l%d_" % i
            gx, gy = np.meshgrid(np.arange(hw), np.arange(hw))
            grid = np.broadcast_to(np.stack((gx, gy), 2) - 0.5, (1, na, hw, hw, 2)).astype(np.float32)
            agrid = np.broadcast_to(np.array(anchors, np.float32).reshape(1, na, 1, 1, 2), (1, na, hw, hw, 2))
            nodes += [
                helper.make_node("Reshape", ["p%d" % i, const(p + "s5", np.array([1, na, no, hw, hw], np.int64))],
                                 [p + "r"]),
                helper.make_node("Transpose", [p + "r"], [p + "t"], perm=[0, 1, 3, 4, 2]),
                helper.make_node("Sigmoid", [p + "t"], [p + "s"]),
                helper.make_node("Split", [p + "s", const(p + "split", np.array([2, 2, no - 4], np.int64))],
                                 [p + "xy", p + "wh", p + "conf"], axis=4),
                helper.make_node("Mul", [p + "xy", two], [p + "xy2"]),
                helper.make_node("Add", [p + "xy2", const(p + "grid", np.ascontiguousarray(grid))], [p + "xyg"]),
                helper.make_node("Mul", [p + "xyg", const(p + "stride", np.array(stride, np.float32))], [p + "xyo"]),
                helper.make_node("Mul", [p + "wh", two], [p + "wh2"]),
                helper.make_node("Pow", [p + "wh2", two], [p + "whp"]),
                helper.make_node("Mul", [p + "whp", const(p + "anchors", np.ascontiguousarray(agrid))], [p + "who"]),
                helper.make_node("Concat", [p + "xyo", p + "who", p + "conf"], [p + "cat"], axis=4),
                helper.make_node("Reshape", [p + "cat", const(p + "s3", np.array([1, na * hw * hw, no], np.int64))],
                                 [p + "out"])]
            levels.append(p + "out")
        if which == "head1":
            nodes[-1].output[0] = "y"
            return fixed_model("tile_head1", nodes, (1, 4, 8, 8), [("y", (1, na * 64, no))], inits, rng)
        nodes.append(helper.make_node("Concat", levels, ["y"], axis=1))
        return fixed_model("tile_head", nodes, (1, 4, 8, 8), [("y", (1, na * (64 + 16), no))], inits, rng)
    if which == "blame":
        # x[1,2,256] -> Split (axis 1) -> Add -> Softmax over the 256: the Softmax cannot be tiled
        # and sets the minimum; below it, compile must name the Softmax, not the Split (no unit
        # can end at an op with several outputs, but Split + Add tile as a group).
        nodes = [helper.make_node("Split", ["x"], ["a", "b"], axis=1),
                 helper.make_node("Add", ["a", "b"], ["s"]),
                 helper.make_node("Softmax", ["s"], ["y"], axis=2)]
        return fixed_model("tile_blame", nodes, (1, 2, 256), [("y", (1, 1, 256))], inits, rng)
    raise SystemExit("unknown named model %s (fpn, pad, crash, mono, meankd0, head1, head, blame)" % which)


def parse_seeds(text):
    seeds = []
    for part in text.split(","):
        if "-" in part:
            a, b = part.split("-")
            seeds += list(range(int(a), int(b) + 1))
        elif part:
            seeds.append(int(part))
    return seeds


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dir", nargs="?")
    ap.add_argument("--seeds", default="0-31", help="seeds, e.g. 0-23 or 0,3,7 (one model each)")
    ap.add_argument("--named", default="", help="fixed reproductions to write too: fpn,pad,crash,mono,meankd0,head1,head,blame")
    ap.add_argument("--list", action="store_true", help="print the model names and exit")
    args = ap.parse_args()
    seeds = parse_seeds(args.seeds)
    named = [n for n in args.named.split(",") if n]
    if args.list:
        print(";".join(["tile%d" % s for s in seeds] + ["tile_" + n for n in named]))
        return 0
    if not args.dir:
        ap.error("DIR is required")
    os.makedirs(args.dir, exist_ok=True)
    jobs = [("tile%d" % s, lambda s=s: build(s)) for s in seeds] + [("tile_" + n, lambda n=n: build_named(n)) for n in named]
    for name, make in jobs:
        model, x = make()
        save(model, os.path.join(args.dir, name + ".onnx"))
        with open(os.path.join(args.dir, name + ".input_0.pb"), "wb") as f:
            f.write(x.SerializeToString())
        ops = {}
        for n in model.graph.node:
            ops[n.op_type] = ops.get(n.op_type, 0) + 1
        print("wrote %s: input %s, %d nodes (%s)" % (
            name, "x".join(str(d.dim_value) for d in model.graph.input[0].type.tensor_type.shape.dim),
            len(model.graph.node), ", ".join("%s %d" % kv for kv in sorted(ops.items()))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
