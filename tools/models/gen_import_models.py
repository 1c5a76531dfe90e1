#!/usr/bin/python3
# Builds small float32 ONNX models shaped like what real exporters emit (old opsets with
# initializers listed as graph inputs, PyTorch-style channel shuffles and SE blocks, ...), from
# fixed seeds. They test import breadth end to end: run_e2e.sh compiles each with `tigris`,
# runs it, and compares with onnxruntime. Unlike gen_models.py there is no numpy forward pass:
# onnxruntime is the oracle, and these graphs exist to exercise the frontend, not the numerics.
"""Generate the TiGrIS import-breadth test models.

Usage: /usr/bin/python3 tools/models/gen_import_models.py OUTDIR [--models a,b] [--list]

For every model NAME this writes OUTDIR/NAME.onnx and OUTDIR/NAME.input_<k>.pb (ONNX
TensorProto), the same layout as gen_models.py, so test/e2e/run_e2e.sh runs either kind.
"""

import argparse
import collections
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

F32 = np.float32


class Graph:
    """Collects nodes, initializers, inputs and outputs; weights come from a seeded rng."""

    def __init__(self, name, opset, seed, ir_version=None):
        self.name = name
        self.opset = opset
        self.ir_version = ir_version
        self.rng = np.random.default_rng(seed)
        self.nodes, self.inits, self.inputs, self.outputs = [], [], [], []
        self.input_arrays = []
        self._uid = collections.Counter()

    def uname(self, base):
        self._uid[base] += 1
        k = self._uid[base]
        return base if k == 1 else "%s_%d" % (base, k - 1)

    def input(self, name, shape, scale=1.0):
        arr = (self.rng.standard_normal(shape) * scale).astype(F32)
        self.inputs.append(helper.make_tensor_value_info(name, TensorProto.FLOAT, list(shape)))
        self.input_arrays.append((name, arr))
        return name

    def output(self, name, shape=None):
        self.outputs.append(helper.make_tensor_value_info(name, TensorProto.FLOAT, shape))

    def const(self, base, array):
        name = self.uname(base)
        self.inits.append(numpy_helper.from_array(np.array(array, order="C"), name))
        return name

    def weight(self, base, shape, fan_in=None, scale=None):
        if scale is None:
            scale = np.sqrt(2.0 / (fan_in if fan_in else int(np.prod(shape[1:]))))
        return self.const(base, (self.rng.standard_normal(shape) * scale).astype(F32))

    def node(self, op, inputs, base=None, n_out=1, **attrs):
        base = base or op.lower()
        outs = [self.uname(base) for _ in range(n_out)]
        self.nodes.append(helper.make_node(op, inputs, outs, name=self.uname(op + "_" + base), **attrs))
        return outs[0] if n_out == 1 else outs

    # -- layers ----------------------------------------------------------------------------------
    def conv(self, x, cin, cout, k, stride=1, group=1, bias=True, pads=None, auto_pad=None, base="conv"):
        w = self.weight(base + ".w", (cout, cin // group, k, k))
        ins = [x, w] + ([self.const(base + ".b", (self.rng.standard_normal(cout) * 0.1).astype(F32))] if bias else [])
        attrs = dict(kernel_shape=[k, k], strides=[stride, stride], group=group)
        if auto_pad:
            attrs["auto_pad"] = auto_pad
        else:
            p = (k // 2) if pads is None else pads
            attrs["pads"] = [p, p, p, p]
        return self.node("Conv", ins, base, **attrs)

    def bn(self, x, c, base="bn"):
        r = self.rng
        scale = self.const(base + ".scale", (1.0 + 0.1 * r.standard_normal(c)).astype(F32))
        shift = self.const(base + ".bias", (0.1 * r.standard_normal(c)).astype(F32))
        mean = self.const(base + ".mean", (0.1 * r.standard_normal(c)).astype(F32))
        var = self.const(base + ".var", (1.0 + 0.2 * r.random(c)).astype(F32))
        return self.node("BatchNormalization", [x, scale, shift, mean, var], base, epsilon=1e-5)

    def gemm(self, x, cin, cout, base="fc"):
        # PyTorch's nn.Linear export: Gemm with transB=1 and a [out, in] weight.
        w = self.weight(base + ".w", (cout, cin))
        b = self.const(base + ".b", (0.1 * self.rng.standard_normal(cout)).astype(F32))
        return self.node("Gemm", [x, w, b], base, alpha=1.0, beta=1.0, transB=1)

    def model(self, doc):
        g = helper.make_graph(self.nodes, self.name, self.inputs, self.outputs, self.inits)
        m = helper.make_model(g, opset_imports=[helper.make_opsetid("", self.opset)], doc_string=doc,
                              producer_name="tigris-gen-import-models")
        if self.ir_version is not None:
            m.ir_version = self.ir_version
        return m


# --------------------------------------------------------------------------------------------
# Models
# --------------------------------------------------------------------------------------------

def build_mnist_opset8():
    """The ONNX model zoo's MNIST shape: IR version 3, opset 8, every initializer also listed as
    a graph input (how exporters of that era wrote weights), Conv with auto_pad SAME_UPPER,
    the flatten as a Reshape by an initializer shape, MatMul + Add as the classifier."""
    g = Graph("mnist_opset8", opset=8, seed=801, ir_version=3)
    x = g.input("Input3", (1, 1, 28, 28))
    c1 = g.conv(x, 1, 8, 5, auto_pad="SAME_UPPER", base="conv1")
    p1 = g.node("MaxPool", [g.node("Relu", [c1])], "pool1", kernel_shape=[2, 2], strides=[2, 2])
    c2 = g.conv(p1, 8, 16, 5, auto_pad="SAME_UPPER", base="conv2")
    p2 = g.node("MaxPool", [g.node("Relu", [c2])], "pool2", kernel_shape=[3, 3], strides=[3, 3])
    f = g.node("Reshape", [p2, g.const("shape", np.array([1, 256], dtype=np.int64))], "flat")
    m = g.node("MatMul", [f, g.weight("fc.w", (256, 10), fan_in=256)], "fc")
    y = g.node("Add", [m, g.const("fc.b", (0.1 * g.rng.standard_normal((1, 10))).astype(F32))], "Plus214_Output_0")
    g.output(y, [1, 10])
    # IR 3: initializers must also be graph inputs.
    g.inputs += [helper.make_tensor_value_info(t.name, t.data_type, list(t.dims)) for t in g.inits]
    return g


def _shuffle(g, x, c, h, w, groups=2):
    """ShuffleNet's channel shuffle as PyTorch exports it: Reshape to rank 5, Transpose, Reshape."""
    r = g.node("Reshape", [x, g.const("shuffle.shape5", np.array([1, groups, c // groups, h, w], np.int64))], "shuf")
    t = g.node("Transpose", [r], "shuf_t", perm=[0, 2, 1, 3, 4])
    return g.node("Reshape", [t, g.const("shuffle.shape4", np.array([1, c, h, w], np.int64))], "shuf_out")


def _branch(g, x, cin, c, stride, base):
    y = g.node("Relu", [g.bn(g.conv(x, cin, c, 1, bias=False, base=base + ".pw1"), c, base + ".bn1")])
    y = g.bn(g.conv(y, c, c, 3, stride=stride, group=c, bias=False, base=base + ".dw"), c, base + ".bn2")
    return g.node("Relu", [g.bn(g.conv(y, c, c, 1, bias=False, base=base + ".pw2"), c, base + ".bn3")])


def build_shufflenet_v2():
    """ShuffleNetV2-shaped classifier @96x96 (opset 11): a stride-2 unit with two branches and
    stride-1 units that Split the channels in half, all joined by rank-5 channel shuffles."""
    g = Graph("shufflenet_v2", opset=11, seed=1102)
    x = g.input("input", (1, 3, 96, 96))
    y = g.node("Relu", [g.bn(g.conv(x, 3, 24, 3, stride=2, bias=False, base="stem"), 24, "stem.bn")])
    y = g.node("MaxPool", [y], "stem.pool", kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1])  # 24x24
    c, h = 48, 12
    # stride-2 unit: both branches see the whole input
    b1 = g.bn(g.conv(y, 24, 24, 3, stride=2, group=24, bias=False, base="u0.b1.dw"), 24, "u0.b1.bn1")
    b1 = g.node("Relu", [g.bn(g.conv(b1, 24, c // 2, 1, bias=False, base="u0.b1.pw"), c // 2, "u0.b1.bn2")])
    b2 = _branch(g, y, 24, c // 2, 2, "u0.b2")
    y = _shuffle(g, g.node("Concat", [b1, b2], "u0.cat", axis=1), c, h, h)
    for u in range(1, 3):
        a, b = g.node("Split", [y], "u%d.split" % u, n_out=2, axis=1, split=[c // 2, c // 2])
        y = _shuffle(g, g.node("Concat", [a, _branch(g, b, c // 2, c // 2, 1, "u%d" % u)], "u%d.cat" % u, axis=1),
                     c, h, h)
    y = g.node("Relu", [g.bn(g.conv(y, c, 128, 1, bias=False, base="head"), 128, "head.bn")])
    y = g.node("ReduceMean", [y], "gap", axes=[2, 3], keepdims=0)  # torchvision's x.mean([2, 3])
    g.output(g.gemm(y, 128, 10, base="fc"), [1, 10])
    return g


def _se(g, x, c, squeeze, base):
    s = g.node("GlobalAveragePool", [x], base + ".gap")
    s = g.node("Relu", [g.conv(s, c, squeeze, 1, pads=0, base=base + ".fc1")])
    s = g.node("HardSigmoid", [g.conv(s, squeeze, c, 1, pads=0, base=base + ".fc2")], base + ".gate",
               alpha=1.0 / 6, beta=0.5)
    return g.node("Mul", [x, s], base + ".scale")


def build_mobilenet_v3_block():
    """MobileNetV3-small-shaped @96x96 (opset 14): HardSwish activations, inverted residuals with
    squeeze-and-excitation gates (GlobalAveragePool, 1x1 Convs, HardSigmoid, broadcast Mul), and
    a Flatten + Gemm + HardSwish + Dropout + Gemm classifier as torchvision exports it."""
    g = Graph("mobilenet_v3_block", opset=14, seed=1403)
    x = g.input("input", (1, 3, 96, 96))
    y = g.node("HardSwish", [g.bn(g.conv(x, 3, 16, 3, stride=2, bias=False, base="stem"), 16, "stem.bn")])
    cin = 16
    for i, (exp, cout, k, stride, se) in enumerate([(16, 16, 3, 2, True), (72, 24, 3, 2, False),
                                                    (88, 24, 3, 1, False), (96, 40, 5, 2, True)]):
        base = "b%d" % i
        h = y
        if exp != cin:
            h = g.node("HardSwish", [g.bn(g.conv(h, cin, exp, 1, bias=False, base=base + ".exp"), exp, base + ".bn0")])
        h = g.node("HardSwish", [g.bn(g.conv(h, exp, exp, k, stride=stride, group=exp, bias=False,
                                             base=base + ".dw"), exp, base + ".bn1")])
        if se:
            h = _se(g, h, exp, max(8, exp // 4), base + ".se")
        h = g.bn(g.conv(h, exp, cout, 1, bias=False, base=base + ".proj"), cout, base + ".bn2")
        y = g.node("Add", [y, h], base + ".res") if stride == 1 and cin == cout else h
        cin = cout
    y = g.node("HardSwish", [g.bn(g.conv(y, cin, 96, 1, bias=False, base="last"), 96, "last.bn")])
    y = g.node("Flatten", [g.node("GlobalAveragePool", [y], "pool")], "flat", axis=1)
    y = g.node("HardSwish", [g.gemm(y, 96, 128, base="cls1")])
    y = g.node("Dropout", [y], "drop", n_out=1)
    g.output(g.gemm(y, 128, 10, base="cls2"), [1, 10])
    return g


def build_tf2onnx_style():
    """A Keras MobileNet-style net as tf2onnx writes it (opset 13): an NHWC input transposed to
    NCHW, TensorFlow's asymmetric SAME padding as an explicit Pad before a stride-2 Conv, ReLU6
    as Clip with min/max inputs, the features transposed back to NHWC for a ReduceMean over
    axes [1, 2], then MatMul + Add + Softmax."""
    g = Graph("tf2onnx_style", opset=13, seed=1304)
    x = g.input("input_1", (1, 64, 64, 3))
    lo, hi = g.const("relu6.min", np.array(0.0, F32)), g.const("relu6.max", np.array(6.0, F32))
    y = g.node("Transpose", [x], "to_nchw", perm=[0, 3, 1, 2])

    def same_s2(t):  # TF SAME for an even input, k=3, s=2: pad 0 before and 1 after
        return g.node("Pad", [t, g.const("pads", np.array([0, 0, 0, 0, 0, 0, 1, 1], np.int64))], "pad", mode="constant")

    y = g.node("Clip", [g.conv(same_s2(y), 3, 16, 3, stride=2, pads=0, base="conv1"), lo, hi], "relu6")
    c = 16
    for i, (cout, stride) in enumerate([(32, 1), (48, 2), (48, 1), (64, 2)]):
        t = same_s2(y) if stride == 2 else y
        t = g.conv(t, c, c, 3, stride=stride, group=c, pads=0 if stride == 2 else 1, base="dw%d" % i)
        t = g.node("Clip", [t, lo, hi], "relu6")
        y = g.node("Clip", [g.conv(t, c, cout, 1, pads=0, base="pw%d" % i), lo, hi], "relu6")
        c = cout
    y = g.node("Transpose", [y], "to_nhwc", perm=[0, 2, 3, 1])
    y = g.node("ReduceMean", [y], "global_pool", axes=[1, 2], keepdims=0)
    y = g.node("Add", [g.node("MatMul", [y, g.weight("dense.w", (c, 10), fan_in=c)], "dense"),
                       g.const("dense.b", (0.1 * g.rng.standard_normal(10)).astype(F32))], "dense_bias")
    g.output(g.node("Softmax", [y], "predictions", axis=-1), [1, 10])
    return g


def _gather_channels(g, x, indices, base):
    """A channel selection as some detectors' exporters write it: Gather on axis 1 by constant
    int64 indices (instead of Split, Slice or a Reshape/Transpose shuffle)."""
    return g.node("Gather", [x, g.const(base + ".idx", np.array(indices, np.int64))], base, axis=1)


def build_shufflenet_v2_gather():
    """ShuffleNetV2-shaped classifier @96x96 (opset 13) whose channel split and channel shuffle
    are Gather on activations by constant indices, as some detectors' exporters write them: the
    split halves are Gathers of [0, c/2) and [c/2, c), the shuffle one Gather by the permutation
    that interleaves the two halves (the same values as Reshape/Transpose/Reshape)."""
    g = Graph("shufflenet_v2_gather", opset=13, seed=1305)
    x = g.input("images", (1, 3, 96, 96))
    y = g.node("Relu", [g.bn(g.conv(x, 3, 24, 3, stride=2, bias=False, base="stem"), 24, "stem.bn")])
    y = g.node("MaxPool", [y], "stem.pool", kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1])  # 24x24
    c = 48
    half = c // 2
    shuffle = [k // 2 + (k % 2) * half for k in range(c)]  # [0, 24, 1, 25, ...]
    b1 = g.bn(g.conv(y, 24, 24, 3, stride=2, group=24, bias=False, base="u0.b1.dw"), 24, "u0.b1.bn1")
    b1 = g.node("Relu", [g.bn(g.conv(b1, 24, half, 1, bias=False, base="u0.b1.pw"), half, "u0.b1.bn2")])
    b2 = _branch(g, y, 24, half, 2, "u0.b2")
    y = _gather_channels(g, g.node("Concat", [b1, b2], "u0.cat", axis=1), shuffle, "u0.shuffle")
    for u in range(1, 4):
        a = _gather_channels(g, y, list(range(half)), "u%d.left" % u)
        b = _gather_channels(g, y, list(range(half, c)), "u%d.right" % u)
        y = g.node("Concat", [a, _branch(g, b, half, half, 1, "u%d" % u)], "u%d.cat" % u, axis=1)
        y = _gather_channels(g, y, shuffle, "u%d.shuffle" % u)
    y = g.node("Relu", [g.bn(g.conv(y, c, 128, 1, bias=False, base="head"), 128, "head.bn")])
    y = g.node("ReduceMean", [y], "gap", axes=[2, 3], keepdims=0)
    g.output(g.gemm(y, 128, 10, base="fc"), [1, 10])
    return g


def _scalar(g, base, value):
    """A scalar as PyTorch's exporter writes it: a Constant node."""
    return g.node("Constant", [], base, value=numpy_helper.from_array(np.array(value, F32), base))


def _gelu_erf(g, x, base):
    """nn.GELU() as PyTorch exports it below opset 20: x * 0.5 * (1 + Erf(x / 1.4142135))."""
    e = g.node("Erf", [g.node("Div", [x, _scalar(g, base + ".sqrt2", 1.4142135)], base + ".div")], base + ".erf")
    a = g.node("Add", [e, _scalar(g, base + ".one", 1.0)], base + ".add")
    return g.node("Mul", [g.node("Mul", [x, a], base + ".mul"), _scalar(g, base + ".half", 0.5)], base + ".out")


def _linear(g, x, cin, cout, base):
    """nn.Linear on a rank-3/4 activation as PyTorch exports it: MatMul by the transposed weight
    (an initializer [in, out], broadcast over the batch dims), then Add of the bias."""
    m = g.node("MatMul", [x, g.weight(base + ".w", (cin, cout), fan_in=cin)], base + ".mm")
    return g.node("Add", [m, g.const(base + ".b", (0.05 * g.rng.standard_normal(cout)).astype(F32))], base)


def _layer_norm(g, x, c, base):
    scale = g.const(base + ".weight", (1.0 + 0.1 * g.rng.standard_normal(c)).astype(F32))
    bias = g.const(base + ".bias", (0.05 * g.rng.standard_normal(c)).astype(F32))
    return g.node("LayerNormalization", [x, scale, bias], base, axis=-1, epsilon=1e-6)


def build_pytorch_gelu_hardswish():
    """A PyTorch-exported hybrid @64x64 (opset 17): a MobileNetV3-style stem with HardSwish, then
    ConvNeXt blocks: depthwise 7x7 Conv, permute to NHWC (Transpose), LayerNormalization over
    the channels, Linear (MatMul + Add) to 4x, the erf-form GELU with its constants as Constant
    nodes (FuseGelu fuses it), Linear back, permute to NCHW and the residual Add; a mean over
    H, W (ReduceMean) and a Gemm head."""
    g = Graph("pytorch_gelu_hardswish", opset=17, seed=1706)
    x = g.input("input", (1, 3, 64, 64))
    y = g.node("HardSwish", [g.bn(g.conv(x, 3, 16, 3, stride=2, bias=False, base="stem"), 16, "stem.bn")])
    y = g.node("HardSwish", [g.conv(y, 16, 24, 3, stride=2, base="down")])  # 24 x 16 x 16
    c = 24
    for i in range(2):
        base = "block%d" % i
        t = g.conv(y, c, c, 7, group=c, base=base + ".dwconv")
        t = g.node("Transpose", [t], base + ".to_nhwc", perm=[0, 2, 3, 1])
        t = _layer_norm(g, t, c, base + ".norm")
        t = _gelu_erf(g, _linear(g, t, c, 4 * c, base + ".pwconv1"), base + ".act")
        t = _linear(g, t, 4 * c, c, base + ".pwconv2")
        t = g.node("Transpose", [t], base + ".to_nchw", perm=[0, 3, 1, 2])
        y = g.node("Add", [y, t], base + ".res")
    y = g.node("ReduceMean", [y], "pool", axes=[2, 3], keepdims=0)
    y = g.node("HardSwish", [_layer_norm(g, y, c, "head.norm")], "head.act")
    g.output(g.gemm(y, c, 10, base="head.fc"), [1, 10])
    return g


def _attention(g, x, d, heads, tokens, base, einsum):
    """Multi-head self-attention as PyTorch exports it: Q/K/V Linears (MatMul broadcast over the
    batch), heads split by Reshape + Transpose, softmax(Q K^T / sqrt(dh)) V, heads merged, the
    output Linear. `einsum`: the two products as Einsum (bhqd,bhkd->bhqk; bhqk,bhkd->bhqd) as
    einsum-based attention exports them, else K^T by a Transpose and two MatMuls."""
    dh = d // heads
    split = g.const(base + ".split_shape", np.array([1, tokens, heads, dh], np.int64))

    def heads_of(t, name):
        return g.node("Transpose", [g.node("Reshape", [t, split], name + ".view")], name + ".heads", perm=[0, 2, 1, 3])

    q, k, v = (heads_of(_linear(g, x, d, d, base + "." + n), base + "." + n) for n in ("q", "k", "v"))
    if einsum:
        s = g.node("Einsum", [q, k], base + ".scores", equation="bhqd,bhkd->bhqk")
    else:
        s = g.node("MatMul", [q, g.node("Transpose", [k], base + ".kt", perm=[0, 1, 3, 2])], base + ".scores")
    s = g.node("Div", [s, _scalar(g, base + ".scale", np.sqrt(dh))], base + ".scaled")
    p = g.node("Softmax", [s], base + ".softmax", axis=-1)
    if einsum:
        o = g.node("Einsum", [p, v], base + ".context", equation="bhqk,bhkd->bhqd")
    else:
        o = g.node("MatMul", [p, v], base + ".context")
    o = g.node("Transpose", [o], base + ".merge", perm=[0, 2, 1, 3])
    o = g.node("Reshape", [o, g.const(base + ".merge_shape", np.array([1, tokens, d], np.int64))], base + ".merged")
    return _linear(g, o, d, d, base + ".out")


def build_tiny_transformer():
    """A 2-block ViT-style encoder @32x32 (opset 17), as PyTorch exports one: 8x8 patch
    embedding Conv, flatten + Transpose to tokens, learned position embedding, pre-norm blocks
    (LayerNormalization, multi-head attention with Einsum products in block 0 and MatMul ones in
    block 1, residual Add, MLP with the erf-form GELU), a final LayerNormalization, mean over the
    tokens (ReduceMean) and a Gemm head. About 20k weights."""
    d, heads, tokens = 32, 2, 16
    g = Graph("tiny_transformer", opset=17, seed=1707)
    x = g.input("pixel_values", (1, 3, 32, 32))
    t = g.conv(x, 3, d, 8, stride=8, pads=0, base="patch_embed")  # 1 x 32 x 4 x 4
    t = g.node("Reshape", [t, g.const("patch_embed.flat_shape", np.array([1, d, tokens], np.int64))], "patch_embed.flat")
    t = g.node("Transpose", [t], "patch_embed.tokens", perm=[0, 2, 1])
    t = g.node("Add", [t, g.const("pos_embed", (0.1 * g.rng.standard_normal((1, tokens, d))).astype(F32))], "embed")
    for i in range(2):
        base = "blocks.%d" % i
        t = g.node("Add", [t, _attention(g, _layer_norm(g, t, d, base + ".norm1"), d, heads, tokens, base + ".attn",
                                         einsum=i == 0)], base + ".res1")
        h = _gelu_erf(g, _linear(g, _layer_norm(g, t, d, base + ".norm2"), d, 2 * d, base + ".mlp.fc1"), base + ".mlp.act")
        t = g.node("Add", [t, _linear(g, h, 2 * d, d, base + ".mlp.fc2")], base + ".res2")
    t = g.node("ReduceMean", [_layer_norm(g, t, d, "norm")], "pool", axes=[1], keepdims=0)
    g.output(g.gemm(t, d, 10, base="head"), [1, 10])
    return g


def build_yolo_head_opset18():
    """A small anchor-free detector @64x64 at opset 18: a SiLU backbone, an FPN step (Resize-18
    with `axes`, Concat), a head Conv whose output is Split by `num_outputs` into boxes and class
    scores; boxes decoded with Sigmoid and Pow (YOLOv5's (2*sigmoid)^2), scores by Sigmoid and a
    ReduceMax-18 over the classes with its axes as an input; TopK keeps the 10 best cells (int64
    indices output) and GatherElements picks their boxes."""
    g = Graph("yolo_head_opset18", opset=18, seed=1808)
    x = g.input("images", (1, 3, 64, 64))

    def conv_silu(t, cin, cout, k, stride, base):
        c = g.conv(t, cin, cout, k, stride=stride, base=base)
        return g.node("Mul", [c, g.node("Sigmoid", [c], base + ".sig")], base + ".silu")

    p3 = conv_silu(conv_silu(x, 3, 16, 3, 2, "stem"), 16, 24, 3, 2, "p3")  # 24 x 16 x 16
    p4 = conv_silu(p3, 24, 32, 3, 2, "p4")  # 32 x 8 x 8
    up = g.node("Resize", [p4, "", g.const("up.scales", np.array([2.0, 2.0], F32))], "up", mode="nearest",
                axes=[2, 3], coordinate_transformation_mode="asymmetric", nearest_mode="floor")
    f = conv_silu(g.node("Concat", [up, p3], "fpn.cat", axis=1), 56, 32, 3, 1, "fpn")
    head = g.conv(f, 32, 8, 1, pads=0, base="head")  # 4 box + 4 class channels, 16 x 16 cells
    flat = g.node("Reshape", [head, g.const("head.shape", np.array([1, 8, 256], np.int64))], "head.flat")
    box, cls = g.node("Split", [flat], "head.split", n_out=2, axis=1, num_outputs=2)
    box = g.node("Pow", [g.node("Mul", [g.node("Sigmoid", [box], "box.sig"), g.const("box.two", np.array(2.0, F32))],
                                "box.scale"), g.const("box.exp", np.array(2.0, F32))], "box.wh")
    scores = g.node("ReduceMax", [g.node("Sigmoid", [cls], "cls.sig"), g.const("cls.axes", np.array([1], np.int64))],
                    "cls.max", keepdims=0)  # 1 x 256
    top, idx = g.node("TopK", [scores, g.const("topk.k", np.array([10], np.int64))], "topk", n_out=2, axis=-1)
    idx4 = g.node("Expand", [g.node("Unsqueeze", [idx, g.const("topk.ax", np.array([1], np.int64))], "topk.idx1"),
                             g.const("topk.idx_shape", np.array([1, 4, 10], np.int64))], "topk.idx4")
    boxes = g.node("GatherElements", [box, idx4], "boxes", axis=2)
    g.output(boxes, [1, 4, 10])
    g.output(top, [1, 10])
    g.outputs.append(helper.make_tensor_value_info(idx, TensorProto.INT64, [1, 10]))
    return g


MODELS = collections.OrderedDict([
    ("mnist_opset8", build_mnist_opset8),
    ("shufflenet_v2", build_shufflenet_v2),
    ("mobilenet_v3_block", build_mobilenet_v3_block),
    ("tf2onnx_style", build_tf2onnx_style),
    ("shufflenet_v2_gather", build_shufflenet_v2_gather),
    ("pytorch_gelu_hardswish", build_pytorch_gelu_hardswish),
    ("tiny_transformer", build_tiny_transformer),
    ("yolo_head_opset18", build_yolo_head_opset18),
])


def write_tensor(path, array, name):
    t = numpy_helper.from_array(np.array(array, order="C"), name)
    with open(path + ".tmp", "wb") as f:
        f.write(t.SerializeToString())
    os.replace(path + ".tmp", path)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("outdir", nargs="?")
    ap.add_argument("--models", default=",".join(MODELS), help="comma list (default: all)")
    ap.add_argument("--list", action="store_true", help="print the model names and exit")
    args = ap.parse_args(argv)
    if args.list:
        print("\n".join(MODELS))
        return 0
    if not args.outdir:
        ap.error("OUTDIR is required")
    names = [m for m in args.models.split(",") if m]
    for m in names:
        if m not in MODELS:
            ap.error("unknown model %r (known: %s)" % (m, ", ".join(MODELS)))
    os.makedirs(args.outdir, exist_ok=True)
    for name in names:
        g = MODELS[name]()
        model = g.model("TiGrIS import test model %s (generated by tools/models/gen_import_models.py)" % name)
        if g.opset <= 17:  # onnx 1.12 (checker, schemas) stops at 17; onnxruntime checks the rest
            onnx.checker.check_model(model)
            onnx.shape_inference.infer_shapes(model, check_type=True, strict_mode=True)
        path = os.path.join(args.outdir, name + ".onnx")
        with open(path + ".tmp", "wb") as f:  # never a half-written model
            f.write(model.SerializeToString())
        os.replace(path + ".tmp", path)
        for k, (iname, arr) in enumerate(g.input_arrays):
            write_tensor(os.path.join(args.outdir, "%s.input_%d.pb" % (name, k)), arr, iname)
        print("wrote %s (%d nodes, opset %d)" % (path, len(g.nodes), g.opset))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
