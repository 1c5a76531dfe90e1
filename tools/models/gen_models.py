#!/usr/bin/python3
# Builds the float32 ONNX test models of the TiGrIS end-to-end suite (ds_cnn, mobilenet_v1,
# mobilenet_v2, yolov5n_like, unet_like, lstm_kws) from fixed seeds, so every run makes the same
# models. Each model is checked (onnx.checker, strict shape inference, numpy forward pass:
# finite, non-dead outputs).
"""Generate the TiGrIS end-to-end test models.

Usage: /usr/bin/python3 tools/models/gen_models.py OUTDIR [--models a,b] [--reference] [--stats]

For every model NAME this writes
  OUTDIR/NAME.onnx            the model (weights inline)
  OUTDIR/NAME.input_0.pb      one deterministic input (ONNX TensorProto)
and with --reference also
  OUTDIR/NAME.ref/output_<k>.pb  outputs of this script's own float64 numpy forward pass,
                                 an oracle independent of onnxruntime (used to check the oracle).

How weights are made: every graph is built eagerly. Each builder call adds the ONNX node *and*
computes its value on the model's input with numpy, so a BatchNormalization can be given
running statistics near the real per-channel statistics of the tensor it normalizes, the way a
trained network's BN would be. Together with He-initialised convolutions this keeps activations
in a healthy range through 50+ layers without any training. Nothing here depends on
onnxruntime; onnx (1.12, Debian's python3-onnx) and numpy are the only imports.

Determinism: weights come from np.random.default_rng(fixed seed). The BN statistics also depend
on the numpy forward pass, whose BLAS summation order could differ on another machine; that can
move a BN parameter by about one float32 ulp. On one machine the output is byte-identical.
"""

import argparse
import collections
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

F32 = np.float32


# --------------------------------------------------------------------------------------------
# numpy reference kernels (float64, NCHW, batch 1 or more)
# --------------------------------------------------------------------------------------------

def _pad_nchw(x, pads, value=0.0):
    """pads in ONNX order [top, left, bottom, right] for 2-D."""
    t, l, b, r = pads
    return np.pad(x, ((0, 0), (0, 0), (t, b), (l, r)), mode="constant", constant_values=value)


def np_conv(x, w, b, strides, pads, group):
    n, c, _, _ = x.shape
    m, cg, kh, kw = w.shape
    sh, sw = strides
    xp = _pad_nchw(x, pads)
    hp, wp = xp.shape[2], xp.shape[3]
    oh = (hp - kh) // sh + 1
    ow = (wp - kw) // sw + 1
    if group == 1:
        # im2col: (n, c, kh, kw, oh, ow) -> GEMM with (m, c*kh*kw)
        win = np.lib.stride_tricks.sliding_window_view(xp, (kh, kw), axis=(2, 3))
        win = win[:, :, ::sh, ::sw, :, :][:, :, :oh, :ow]  # n c oh ow kh kw
        cols = win.transpose(0, 2, 3, 1, 4, 5).reshape(n, oh * ow, c * kh * kw)
        y = cols @ w.reshape(m, -1).T  # n, oh*ow, m
        y = y.transpose(0, 2, 1).reshape(n, m, oh, ow)
    elif group == c and cg == 1 and m == c:
        # depthwise: sum of kh*kw shifted, strided slices times per-channel taps
        y = np.zeros((n, m, oh, ow), dtype=np.float64)
        for i in range(kh):
            for j in range(kw):
                sl = xp[:, :, i:i + sh * (oh - 1) + 1:sh, j:j + sw * (ow - 1) + 1:sw]
                y += sl * w[:, 0, i, j].reshape(1, m, 1, 1)
    else:
        raise NotImplementedError("grouped conv with group=%d" % group)
    if b is not None:
        y = y + b.reshape(1, -1, 1, 1)
    return y


def np_pool(x, kernel, strides, pads, kind):
    kh, kw = kernel
    sh, sw = strides
    xp = _pad_nchw(x, pads, -np.inf if kind == "max" else 0.0)
    win = np.lib.stride_tricks.sliding_window_view(xp, (kh, kw), axis=(2, 3))[:, :, ::sh, ::sw]
    if kind == "max":
        return win.max(axis=(4, 5))
    if any(pads):
        raise NotImplementedError("padded average pool")
    return win.mean(axis=(4, 5))


def np_softmax(x, axis):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def np_lstm(x, w, r, b):
    """ONNX LSTM, forward, layout 0, default activations (sigmoid, tanh, tanh), no peepholes:
    x [T, B, I], w [1, 4H, I], r [1, 4H, H], b [1, 8H] with gates in ONNX's order i, o, f, c.
    Returns Y [T, 1, B, H], Y_h [1, B, H], Y_c [1, B, H]."""
    t_len, batch, _ = x.shape
    hidden = r.shape[2]
    sig = lambda v: 1.0 / (1.0 + np.exp(-v))  # noqa: E731
    bias = b[0, :4 * hidden] + b[0, 4 * hidden:]
    h = np.zeros((batch, hidden))
    c = np.zeros((batch, hidden))
    ys = []
    for t in range(t_len):
        g = x[t] @ w[0].T + h @ r[0].T + bias
        i, o, f, cc = (g[:, k * hidden:(k + 1) * hidden] for k in range(4))
        c = sig(f) * c + sig(i) * np.tanh(cc)
        h = sig(o) * np.tanh(c)
        ys.append(h)
    return np.stack(ys)[:, None], h[None], c[None]


# --------------------------------------------------------------------------------------------
# Eager graph builder
# --------------------------------------------------------------------------------------------

class Builder:
    """Collects ONNX nodes/initializers and the numpy value of every tensor as it goes."""

    def __init__(self, name, opset, seed):
        self.name = name
        self.opset = opset
        self.rng = np.random.default_rng(seed)
        self.nodes = []
        self.inits = []
        self.inputs = []
        self.outputs = []
        self.val = {}  # tensor name -> float64 numpy value (activations and constants)
        self._uid = collections.Counter()

    # -- names -------------------------------------------------------------------------------
    def uname(self, base):
        self._uid[base] += 1
        k = self._uid[base]
        return base if k == 1 else "%s_%d" % (base, k - 1)

    # -- graph pieces -------------------------------------------------------------------------
    def input(self, name, array):
        array = np.asarray(array, dtype=F32)
        self.inputs.append(helper.make_tensor_value_info(name, TensorProto.FLOAT, list(array.shape)))
        self.val[name] = array.astype(np.float64)
        self.input_arrays = getattr(self, "input_arrays", []) + [(name, array)]
        return name

    def output(self, name):
        self.outputs.append(helper.make_tensor_value_info(name, TensorProto.FLOAT, list(self.val[name].shape)))

    def init(self, name, array):
        """Adds an initializer; the value used by the numpy pass is the stored (rounded) one."""
        name = self.uname(name)
        array = np.array(array, order="C")  # (np.ascontiguousarray would turn a scalar into [1])
        if array.dtype == np.float64:
            array = array.astype(F32)
        self.inits.append(numpy_helper.from_array(array, name))
        self.val[name] = array.astype(np.float64) if array.dtype == F32 else array
        return name

    def node(self, op, inputs, result, name, n_out=1, **attrs):
        name = self.uname(name)
        outs = [name if n_out == 1 else "%s:%d" % (name, k) for k in range(n_out)]
        self.nodes.append(helper.make_node(op, inputs, outs, name=name, **attrs))
        values = result if n_out > 1 else [result]
        for o, v in zip(outs, values):
            self.val[o] = v
        return outs[0] if n_out == 1 else outs

    # -- layers -------------------------------------------------------------------------------
    def conv(self, x, cout, k, stride=1, pads=None, group=1, bias=False, name="conv", gain=2.0):
        """He-initialised Conv (gain 2 for ReLU-like successors, 1 for linear)."""
        xv = self.val[x]
        cin = xv.shape[1]
        kh, kw = (k, k) if isinstance(k, int) else k
        if pads is None:
            pads = [kh // 2, kw // 2, (kh - 1) // 2, (kw - 1) // 2]
        fan_in = (cin // group) * kh * kw
        w = self.rng.normal(0.0, np.sqrt(gain / fan_in), size=(cout, cin // group, kh, kw)).astype(F32)
        wn = self.init(name + ".weight", w)
        ins = [x, wn]
        bv = None
        if bias:
            b = self.rng.normal(0.0, 0.05, size=(cout,)).astype(F32)
            bn = self.init(name + ".bias", b)
            ins.append(bn)
            bv = self.val[bn]
        s = (stride, stride) if isinstance(stride, int) else stride
        y = np_conv(xv, self.val[wn], bv, s, pads, group)
        return self.node("Conv", ins, y, name, kernel_shape=[kh, kw], strides=list(s), pads=list(pads),
                         group=group, dilations=[1, 1])

    def bn(self, x, name="bn", eps=1e-5, linear=False):
        """BatchNormalization whose running stats sit near the tensor's real per-channel stats."""
        xv = self.val[x]
        c = xv.shape[1]
        mu = xv.mean(axis=(0, 2, 3))
        var = xv.var(axis=(0, 2, 3)) + 1e-4
        sd = np.sqrt(var)
        r = self.rng
        mean = (mu + 0.1 * sd * r.normal(size=c)).astype(F32)
        rvar = (var * r.uniform(0.7, 1.4, size=c)).astype(F32)
        if linear:  # projection BN before a residual add: smaller gain, centred shift
            gamma = r.uniform(0.3, 0.8, size=c).astype(F32)
            beta = r.normal(0.0, 0.1, size=c).astype(F32)
        else:       # BN before ReLU/ReLU6/SiLU: mostly positive shift keeps units alive
            gamma = r.uniform(0.6, 1.4, size=c).astype(F32)
            beta = r.uniform(-0.2, 0.6, size=c).astype(F32)
        names = [self.init(name + "." + p, a) for p, a in
                 (("weight", gamma), ("bias", beta), ("running_mean", mean), ("running_var", rvar))]
        g, b, m, v = (self.val[n].reshape(1, c, 1, 1) for n in names)
        y = (xv - m) / np.sqrt(v + np.float32(eps)) * g + b
        return self.node("BatchNormalization", [x] + names, y, name, epsilon=eps)

    def relu(self, x, name="relu"):
        return self.node("Relu", [x], np.maximum(self.val[x], 0.0), name)

    def relu6(self, x, name="relu6"):
        y = np.clip(self.val[x], 0.0, 6.0)
        if self.opset < 11:  # Clip-6: bounds are attributes
            return self.node("Clip", [x], y, name, min=0.0, max=6.0)
        lo = self.init(name + ".min", np.array(0.0, dtype=F32))
        hi = self.init(name + ".max", np.array(6.0, dtype=F32))
        return self.node("Clip", [x, lo, hi], y, name)

    def silu(self, x, name="silu"):
        """SiLU as PyTorch exports it (opset < 14 has no HardSwish-like fused op): x * sigmoid(x)."""
        s = self.node("Sigmoid", [x], 1.0 / (1.0 + np.exp(-self.val[x])), name + "/Sigmoid")
        return self.node("Mul", [x, s], self.val[x] * self.val[s], name + "/Mul")

    def add(self, a, b, name="add"):
        return self.node("Add", [a, b], self.val[a] + self.val[b], name)

    def concat(self, xs, axis=1, name="concat"):
        return self.node("Concat", xs, np.concatenate([self.val[x] for x in xs], axis=axis), name, axis=axis)

    def maxpool(self, x, k, s, p, name="maxpool"):
        y = np_pool(self.val[x], (k, k), (s, s), [p] * 4, "max")
        return self.node("MaxPool", [x], y, name, kernel_shape=[k, k], strides=[s, s], pads=[p] * 4)

    def avgpool(self, x, kernel, name="avgpool"):
        y = np_pool(self.val[x], kernel, kernel, [0] * 4, "avg")
        return self.node("AveragePool", [x], y, name, kernel_shape=list(kernel), strides=list(kernel))

    def gap(self, x, name="gap"):
        return self.node("GlobalAveragePool", [x], self.val[x].mean(axis=(2, 3), keepdims=True), name)

    def flatten(self, x, name="flatten"):
        v = self.val[x]
        return self.node("Flatten", [x], v.reshape(v.shape[0], -1), name, axis=1)

    def identity(self, x, name="identity"):
        return self.node("Identity", [x], self.val[x], name)

    def gemm(self, x, nout, trans_b, name="fc", scale=1.0):
        xv = self.val[x]
        nin = xv.shape[1]
        w = self.rng.normal(0.0, scale / np.sqrt(nin), size=(nout, nin)).astype(F32)
        b = self.rng.normal(0.0, 0.05, size=(nout,)).astype(F32)
        wn = self.init(name + ".weight", w if trans_b else np.ascontiguousarray(w.T))
        bn = self.init(name + ".bias", b)
        y = xv @ w.astype(np.float64).T + b.astype(np.float64)
        return self.node("Gemm", [x, wn, bn], y, name, alpha=1.0, beta=1.0, transB=int(trans_b))

    def transpose(self, x, perm, name="transpose"):
        return self.node("Transpose", [x], self.val[x].transpose(perm), name, perm=list(perm))

    def squeeze(self, x, axes, name="squeeze"):
        """Squeeze-13 (axes as an input)."""
        ax = self.init(name + ".axes", np.array(axes, dtype=np.int64))
        return self.node("Squeeze", [x, ax], np.squeeze(self.val[x], axis=tuple(axes)), name)

    def lstm(self, x, hidden, name="lstm"):
        """One forward LSTM layer (layout 0) with PyTorch's default init U(-1/sqrt(H), 1/sqrt(H));
        returns its last hidden state Y_h [1, B, H] (Y and Y_c are not requested)."""
        xv = self.val[x]
        k = 1.0 / np.sqrt(hidden)
        u = lambda *shape: self.rng.uniform(-k, k, size=shape).astype(F32)  # noqa: E731
        wn = self.init(name + ".W", u(1, 4 * hidden, xv.shape[2]))
        rn = self.init(name + ".R", u(1, 4 * hidden, hidden))
        bn = self.init(name + ".B", u(1, 8 * hidden))
        _, y_h, _ = np_lstm(xv, self.val[wn], self.val[rn], self.val[bn])
        name = self.uname(name)
        out = name + ":Y_h"
        self.nodes.append(helper.make_node("LSTM", [x, wn, rn, bn], ["", out], name=name, hidden_size=hidden))
        self.val[out] = y_h
        return out

    def softmax(self, x, name="softmax"):
        axis = 1 if self.opset < 13 else -1
        return self.node("Softmax", [x], np_softmax(self.val[x], axis), name, axis=axis)

    def resize_nearest2x(self, x, scales_as_constant_node, name="resize"):
        """Nearest x2 Resize (opset 13 form: X, roi, scales), as torch.nn.Upsample exports it."""
        v = self.val[x]
        y = v.repeat(2, axis=2).repeat(2, axis=3)
        scales = np.array([1.0, 1.0, 2.0, 2.0], dtype=F32)
        if scales_as_constant_node:
            sc = self.node("Constant", [], scales.astype(np.float64), name + "/scales",
                           value=numpy_helper.from_array(scales, "scales"))
        else:
            sc = self.init(name + ".scales", scales)
        return self.node("Resize", [x, "", sc], y, name, mode="nearest",
                         coordinate_transformation_mode="asymmetric", nearest_mode="floor")

    # -- finish -------------------------------------------------------------------------------
    def model(self, doc):
        graph = helper.make_graph(self.nodes, self.name, self.inputs, self.outputs, self.inits)
        m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", self.opset)],
                              producer_name="tigris-gen_models", producer_version="1")
        m.ir_version = 7  # onnx 1.8+ readers and every onnxruntime of the last years accept it
        m.doc_string = doc
        return m


def conv_bn_act(b, x, cout, k, stride=1, group=1, act="relu", name="conv", pads=None, eps=1e-5):
    y = b.conv(x, cout, k, stride, pads=pads, group=group, name=name + "/conv",
               gain=1.0 if act is None else 2.0)
    y = b.bn(y, name=name + "/bn", eps=eps, linear=act is None)
    if act == "relu":
        return b.relu(y, name=name + "/relu")
    if act == "relu6":
        return b.relu6(y, name=name + "/relu6")
    if act == "silu":
        return b.silu(y, name=name + "/act")
    return y


# --------------------------------------------------------------------------------------------
# Models
# --------------------------------------------------------------------------------------------

def build_ds_cnn():
    """DS-CNN keyword spotting (MLPerf Tiny KWS): 49x10 MFCC -> 12 classes. Opset 11."""
    b = Builder("ds_cnn", 11, seed=1101)
    x = b.input("input", b.rng.normal(0.0, 1.0, size=(1, 1, 49, 10)))
    # Keras 'same' padding of a 10x4 stride-2 kernel on 49x10: 4 top, 5 bottom, 1 left, 1 right
    y = conv_bn_act(b, x, 64, (10, 4), stride=2, pads=[4, 1, 5, 1], name="stem")
    for i in range(4):
        y = conv_bn_act(b, y, 64, 3, group=64, name="block%d/dw" % (i + 1))
        y = conv_bn_act(b, y, 64, 1, name="block%d/pw" % (i + 1))
    y = b.avgpool(y, (25, 5), name="avgpool")
    y = b.identity(y, name="dropout")  # what an exported Dropout becomes at inference
    y = b.flatten(y, name="flatten")
    y = b.gemm(y, 12, trans_b=True, name="fc", scale=3.0)
    y = b.softmax(y, name="probs")
    b.output(y)
    return b


def build_lstm_kws():
    """LSTM keyword spotter: 49x10 MFCC (batch first, as PyTorch's batch_first=True exports it:
    Transpose to time-major) -> LSTM(64) -> last hidden state -> Gemm 12 -> Softmax. Opset 14."""
    b = Builder("lstm_kws", 14, seed=1414)
    x = b.input("mfcc", b.rng.normal(0.0, 1.0, size=(1, 49, 10)))
    y = b.transpose(x, (1, 0, 2), name="to_time_major")  # [49, 1, 10]
    y = b.lstm(y, 64, name="lstm")                        # Y_h [1, 1, 64]
    y = b.squeeze(y, [0], name="last_state")              # [1, 64]
    y = b.gemm(y, 12, trans_b=True, name="fc", scale=8.0)
    y = b.softmax(y, name="probs")
    b.output(y)
    return b


def build_mobilenet_v1():
    """MobileNetV1 1.0 @128x128, ReLU6 as Clip with attribute bounds. Opset 9."""
    b = Builder("mobilenet_v1", 9, seed=901)
    x = b.input("input", b.rng.normal(0.0, 1.0, size=(1, 3, 128, 128)))
    y = conv_bn_act(b, x, 32, 3, stride=2, act="relu6", name="conv0")
    cfg = [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2)] + [(512, 1)] * 5 + [(1024, 2), (1024, 1)]
    for i, (cout, s) in enumerate(cfg):
        cin = b.val[y].shape[1]
        y = conv_bn_act(b, y, cin, 3, stride=s, group=cin, act="relu6", name="block%d/dw" % (i + 1))
        y = conv_bn_act(b, y, cout, 1, act="relu6", name="block%d/pw" % (i + 1))
    y = b.gap(y, name="gap")
    # Reshape to [1, 1024] with the target shape coming from a Constant node
    shape = np.array([1, -1], dtype=np.int64)
    sh = b.node("Constant", [], shape, "flatten/shape", value=numpy_helper.from_array(shape, "shape"))
    v = b.val[y]
    y = b.node("Reshape", [y, sh], v.reshape(1, -1), "flatten/Reshape")
    y = b.gemm(y, 1000, trans_b=False, name="fc", scale=4.0)
    y = b.softmax(y, name="probs")
    b.output(y)
    return b


def build_mobilenet_v2():
    """MobileNetV2 1.0 @224x224 with inverted residuals; a PyTorch-style dynamic flatten. Opset 13."""
    b = Builder("mobilenet_v2", 13, seed=1301)
    x = b.input("input", b.rng.normal(0.0, 1.0, size=(1, 3, 224, 224)))
    y = conv_bn_act(b, x, 32, 3, stride=2, act="relu6", name="features.0")
    cfg = [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)]
    idx = 1
    for t, c, n, s in cfg:
        for i in range(n):
            stride = s if i == 0 else 1
            cin = b.val[y].shape[1]
            pre = "features.%d" % idx
            h = y
            if t != 1:
                h = conv_bn_act(b, h, cin * t, 1, act="relu6", name=pre + "/expand")
            hid = b.val[h].shape[1]
            h = conv_bn_act(b, h, hid, 3, stride=stride, group=hid, act="relu6", name=pre + "/dw")
            h = conv_bn_act(b, h, c, 1, act=None, name=pre + "/project")
            y = b.add(y, h, name=pre + "/add") if stride == 1 and cin == c else h
            idx += 1
    y = conv_bn_act(b, y, 1280, 1, act="relu6", name="features.%d" % idx)
    y = b.gap(y, name="gap")
    # torch.flatten(x, 1) traced with dynamic batch: Shape -> Gather -> Unsqueeze -> Concat -> Reshape
    v = b.val[y]
    shp = b.node("Shape", [y], np.array(v.shape, dtype=np.int64), "flatten/Shape")
    i0 = b.init("flatten.index0", np.array(0, dtype=np.int64))
    n0 = b.node("Gather", [shp, i0], np.array(v.shape[0], dtype=np.int64), "flatten/Gather", axis=0)
    ax = b.init("flatten.axes", np.array([0], dtype=np.int64))
    un = b.node("Unsqueeze", [n0, ax], np.array([v.shape[0]], dtype=np.int64), "flatten/Unsqueeze")
    m1 = b.init("flatten.minus1", np.array([-1], dtype=np.int64))
    cat = b.node("Concat", [un, m1], np.array([v.shape[0], -1], dtype=np.int64), "flatten/Concat", axis=0)
    y = b.node("Reshape", [y, cat], v.reshape(v.shape[0], -1), "flatten/Reshape")
    y = b.identity(y, name="classifier.0")  # Dropout at inference
    y = b.gemm(y, 1000, trans_b=True, name="classifier.1", scale=2.0)
    b.output(y)
    return b


def build_yolov5n_like():
    """YOLOv5n-shaped detector @320x320 (width 0.25, depth 0.33) with YOLOv5's inference decode:
    one [1, 6300, 85] output of (x, y, w, h) in input pixels, objectness and 80 class scores. Opset 13."""
    b = Builder("yolov5n_like", 13, seed=1313)
    x = b.input("images", b.rng.uniform(0.0, 1.0, size=(1, 3, 320, 320)))
    eps = 1e-3

    def cba(t, c, k, s=1, name="conv"):
        return conv_bn_act(b, t, c, k, stride=s, act="silu", name=name, eps=eps)

    def bottleneck(t, c, shortcut, name):
        h = cba(t, c, 1, name=name + "/cv1")
        h = cba(h, c, 3, name=name + "/cv2")
        return b.add(t, h, name=name + "/add") if shortcut else h

    def c3(t, c2, n, shortcut, name):
        c_ = c2 // 2
        a = cba(t, c_, 1, name=name + "/cv1")
        for i in range(n):
            a = bottleneck(a, c_, shortcut, name="%s/m.%d" % (name, i))
        bb = cba(t, c_, 1, name=name + "/cv2")
        return cba(b.concat([a, bb], name=name + "/cat"), c2, 1, name=name + "/cv3")

    def sppf(t, c2, name):
        c_ = b.val[t].shape[1] // 2
        h = cba(t, c_, 1, name=name + "/cv1")
        p1 = b.maxpool(h, 5, 1, 2, name=name + "/m")
        p2 = b.maxpool(p1, 5, 1, 2, name=name + "/m")
        p3 = b.maxpool(p2, 5, 1, 2, name=name + "/m")
        return cba(b.concat([h, p1, p2, p3], name=name + "/cat"), c2, 1, name=name + "/cv2")

    # backbone
    y = conv_bn_act(b, x, 16, 6, stride=2, pads=[2, 2, 2, 2], act="silu", name="model.0", eps=eps)
    y = cba(y, 32, 3, 2, name="model.1")
    y = c3(y, 32, 1, True, "model.2")
    y = cba(y, 64, 3, 2, name="model.3")
    p3 = c3(y, 64, 2, True, "model.4")
    y = cba(p3, 128, 3, 2, name="model.5")
    p4 = c3(y, 128, 3, True, "model.6")
    y = cba(p4, 256, 3, 2, name="model.7")
    y = c3(y, 256, 1, True, "model.8")
    y = sppf(y, 256, "model.9")
    # head (PANet)
    h10 = cba(y, 128, 1, name="model.10")
    y = b.resize_nearest2x(h10, scales_as_constant_node=True, name="model.11")
    y = b.concat([y, p4], name="model.12")
    y = c3(y, 128, 1, False, "model.13")
    h14 = cba(y, 64, 1, name="model.14")
    y = b.resize_nearest2x(h14, scales_as_constant_node=False, name="model.15")
    y = b.concat([y, p3], name="model.16")
    o3 = c3(y, 64, 1, False, "model.17")
    y = cba(o3, 64, 3, 2, name="model.18")
    y = b.concat([y, h14], name="model.19")
    o4 = c3(y, 128, 1, False, "model.20")
    y = cba(o4, 128, 3, 2, name="model.21")
    y = b.concat([y, h10], name="model.22")
    o5 = c3(y, 256, 1, False, "model.23")
    # Detect: 3 anchors x (80 classes + 5) = 255 channels per scale, biased 1x1 convs, then the
    # inference decode (sigmoid, box transform, one [1, N, 85] output).
    detect_decode(b, [b.conv(t, 255, 1, bias=True, gain=1.0, name="model.24/m.%d" % i)
                      for i, t in enumerate((o3, o4, o5))], name="model.24")
    return b


# YOLOv5 P3/P4/P5 anchors in input pixels (w, h), three per level, and the levels' strides.
YOLOV5_ANCHORS = ((10, 13, 16, 30, 33, 23), (30, 61, 62, 45, 59, 119), (116, 90, 156, 198, 373, 326))
YOLOV5_STRIDES = (8, 16, 32)


def detect_decode(b, heads, name, anchors=YOLOV5_ANCHORS, strides=YOLOV5_STRIDES):
    """YOLOv5 (v6+) Detect at inference, in the graph form a static-shape ONNX export has.

    Per level i, head [1, na*no, ny, nx] (no = 5 + nc):
      Reshape [1, na, no, ny, nx] -> Transpose [1, na, ny, nx, no] -> Sigmoid -> Split (2, 2, nc+1)
      on the last axis into xy, wh, conf;  xy = (xy*2 + grid) * stride  with grid[.., 0] = x - 0.5,
      grid[.., 1] = y - 0.5;  wh = (wh*2)^2 * anchor_grid  (Pow, exponent a scalar constant 2);
      Concat (xy, wh, conf) on the last axis -> Reshape [1, na*ny*nx, no].
    The levels are concatenated on axis 1 into the single output [1, sum(na*ny*nx), no]. grid and
    anchor_grid are [1, na, ny, nx, 2] initializers (the export folds their construction), the
    scalars 2, the stride and the exponent are rank-0 initializers."""
    levels = []
    two = b.init(name + ".two", np.array(2.0, dtype=F32))
    expo = b.init(name + ".pow_exponent", np.array(2.0, dtype=F32))
    for i, (h, a, s) in enumerate(zip(heads, anchors, strides)):
        pre = "%s/level%d" % (name, i)
        hv = b.val[h]
        _, c, ny, nx = hv.shape
        na = len(a) // 2
        no = c // na
        assert na * no == c and no > 5
        shp5 = b.init(pre + ".shape5", np.array([1, na, no, ny, nx], dtype=np.int64))
        y = b.node("Reshape", [h, shp5], hv.reshape(1, na, no, ny, nx), pre + "/Reshape")
        y = b.node("Transpose", [y], b.val[y].transpose(0, 1, 3, 4, 2), pre + "/Transpose",
                   perm=[0, 1, 3, 4, 2])
        y = b.node("Sigmoid", [y], 1.0 / (1.0 + np.exp(-b.val[y])), pre + "/Sigmoid")
        sizes = [2, 2, no - 4]
        sv = b.val[y]
        split = b.init(pre + ".split", np.array(sizes, dtype=np.int64))
        xy, wh, conf = b.node("Split", [y, split], [sv[..., 0:2], sv[..., 2:4], sv[..., 4:]],
                              pre + "/Split", n_out=3, axis=4)
        gx, gy = np.meshgrid(np.arange(nx, dtype=np.float64), np.arange(ny, dtype=np.float64))
        grid = np.broadcast_to(np.stack((gx, gy), axis=2) - 0.5, (1, na, ny, nx, 2))
        grid = b.init(pre + ".grid", grid.astype(F32))
        agrid = np.broadcast_to(np.array(a, dtype=np.float64).reshape(1, na, 1, 1, 2), (1, na, ny, nx, 2))
        agrid = b.init(pre + ".anchor_grid", agrid.astype(F32))
        stride = b.init(pre + ".stride", np.array(float(s), dtype=F32))
        t = b.node("Mul", [xy, two], b.val[xy] * 2.0, pre + "/xy/Mul")
        t = b.node("Add", [t, grid], b.val[t] + b.val[grid], pre + "/xy/Add")
        xy = b.node("Mul", [t, stride], b.val[t] * b.val[stride], pre + "/xy/Mul_stride")
        t = b.node("Mul", [wh, two], b.val[wh] * 2.0, pre + "/wh/Mul")
        t = b.node("Pow", [t, expo], b.val[t] ** 2, pre + "/wh/Pow")
        wh = b.node("Mul", [t, agrid], b.val[t] * b.val[agrid], pre + "/wh/Mul_anchor")
        y = b.concat([xy, wh, conf], axis=4, name=pre + "/Concat")
        shp3 = b.init(pre + ".shape3", np.array([1, na * ny * nx, no], dtype=np.int64))
        levels.append(b.node("Reshape", [y, shp3], b.val[y].reshape(1, na * ny * nx, no), pre + "/Reshape_out"))
    b.output(b.concat(levels, axis=1, name="output0"))


def build_unet_like():
    """Small U-Net-style segmenter @96x96 with long skip connections: the encoder features wait
    across a wide inverted-residual bottleneck, so the live set (skips + bottleneck), not any
    single op, sets the memory peak and temporal partitioning has to spill and reload the skips.
    Opset 13."""
    b = Builder("unet_like", 13, seed=1717)
    x = b.input("image", b.rng.uniform(0.0, 1.0, size=(1, 3, 96, 96)))
    e1 = conv_bn_act(b, x, 8, 3, name="enc1")                                       # 8x96x96
    e2 = conv_bn_act(b, b.maxpool(e1, 2, 2, 0, name="pool1"), 16, 3, name="enc2")  # 16x48x48
    e3 = conv_bn_act(b, b.maxpool(e2, 2, 2, 0, name="pool2"), 32, 3, name="enc3")  # 32x24x24
    m = b.maxpool(e3, 2, 2, 0, name="pool3")                                        # 32x12x12
    m = conv_bn_act(b, m, 384, 1, act="relu6", name="mid/expand")
    m = conv_bn_act(b, m, 384, 3, group=384, act="relu6", name="mid/dw")
    m = conv_bn_act(b, m, 32, 1, act=None, name="mid/project")
    y = b.concat([b.resize_nearest2x(m, False, name="up3/resize"), e3], name="up3/cat")
    y = conv_bn_act(b, y, 16, 3, name="up3/conv")                                   # 16x24x24
    y = b.concat([b.resize_nearest2x(y, False, name="up2/resize"), e2], name="up2/cat")
    y = conv_bn_act(b, y, 8, 3, name="up2/conv")                                    # 8x48x48
    y = conv_bn_act(b, y, 2, 1, name="up1/reduce")
    y = b.concat([b.resize_nearest2x(y, False, name="up1/resize"), e1], name="up1/cat")
    y = conv_bn_act(b, y, 4, 3, name="up1/conv")                                    # 4x96x96
    o = b.conv(y, 2, 1, bias=True, gain=1.0, name="head")
    b.output(b.identity(o, name="mask"))
    return b


MODELS = collections.OrderedDict([
    ("ds_cnn", build_ds_cnn),
    ("mobilenet_v1", build_mobilenet_v1),
    ("mobilenet_v2", build_mobilenet_v2),
    ("yolov5n_like", build_yolov5n_like),
    ("unet_like", build_unet_like),
    ("lstm_kws", build_lstm_kws),
])


# --------------------------------------------------------------------------------------------
# Checks, stats, writing
# --------------------------------------------------------------------------------------------

def check_model(model):
    onnx.checker.check_model(model, full_check=False)
    inferred = onnx.shape_inference.infer_shapes(model, check_type=True, strict_mode=True)
    onnx.checker.check_model(inferred)
    return inferred


def naive_peaks(b):
    """(largest single-node working set, peak of live activations in node order), in bytes.

    Activations only (graph inputs and node outputs, float32); a tensor is live from its producer
    to its last consumer; graph outputs stay live to the end. No in-place reuse."""
    act = {n: b.val[n].size * 4 for n, _ in b.input_arrays}
    for nd in b.nodes:
        if nd.op_type in ("Constant", "Shape", "Gather", "Unsqueeze") or nd.name.startswith("flatten/Concat"):
            continue
        for o in nd.output:
            if not o:  # an omitted optional output (LSTM's Y)
                continue
            act[o] = b.val[o].size * (b.val[o].itemsize if b.val[o].dtype != np.float64 else 4)
    last = {}
    for i, nd in enumerate(b.nodes):
        for t in nd.input:
            if t in act:
                last[t] = i
    outs = {o.name for o in b.outputs}
    for o in outs:
        last[o] = len(b.nodes)
    live = {n: act[n] for n, _ in b.input_arrays}
    peak = sum(live.values())
    op_peak = 0
    for i, nd in enumerate(b.nodes):
        ws = sum(act.get(t, 0) for t in set(nd.input)) + sum(act.get(t, 0) for t in nd.output)
        op_peak = max(op_peak, ws)
        for o in nd.output:
            if o in act:
                live[o] = act[o]
        peak = max(peak, sum(live.values()))
        for t in list(live):
            if last.get(t, -1) <= i and t not in outs:
                del live[t]
    return op_peak, peak


def stats_line(name, b, model):
    ops = collections.Counter(n.op_type for n in model.graph.node)
    params = sum(int(np.prod(t.dims)) for t in model.graph.initializer if t.data_type == TensorProto.FLOAT)
    op_peak, live_peak = naive_peaks(b)
    op_str = " ".join("%s=%d" % kv for kv in sorted(ops.items()))
    return ("%s: opset %d, %d nodes (%s), %d float params (%.2f MB), naive peak: "
            "largest op %.1f KiB, live-in-order %.1f KiB" %
            (name, b.opset, len(model.graph.node), op_str, params, params * 4 / 1e6,
             op_peak / 1024.0, live_peak / 1024.0))


def check_outputs(name, b):
    """Every output finite, not dead, not exploding. Returns printable per-output stats."""
    lines = []
    for k, o in enumerate(b.outputs):
        v = b.val[o.name]
        mx = float(np.max(np.abs(v)))
        ok = np.all(np.isfinite(v)) and 1e-2 <= mx <= 1e3 and float(v.std()) > 0
        lines.append("  %s output_%d %s shape=%s mean=%.4g std=%.4g min=%.4g max=%.4g %s" %
                     (name, k, o.name, list(v.shape), v.mean(), v.std(), v.min(), v.max(),
                      "ok" if ok else "UNHEALTHY"))
        if not ok:
            raise SystemExit("gen_models: %s output %d is unhealthy:\n%s" % (name, k, lines[-1]))
    return lines


def write_tensor(path, array, name):
    t = numpy_helper.from_array(np.array(array, order="C"), name)
    with open(path, "wb") as f:
        f.write(t.SerializeToString())


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("outdir")
    ap.add_argument("--models", default=",".join(MODELS), help="comma list (default: all)")
    ap.add_argument("--reference", action="store_true", help="also write NAME.ref/output_<k>.pb")
    ap.add_argument("--stats", action="store_true", help="print op counts, params, peaks, output stats")
    ap.add_argument("--check-convert", action="store_true",
                    help="also check that onnx's version converter takes each model to opset 17")
    args = ap.parse_args(argv)

    names = [m for m in args.models.split(",") if m]
    for m in names:
        if m not in MODELS:
            ap.error("unknown model %r (known: %s)" % (m, ", ".join(MODELS)))
    os.makedirs(args.outdir, exist_ok=True)

    for name in names:
        b = MODELS[name]()
        model = b.model("TiGrIS test model %s (generated by tools/models/gen_models.py)" % name)
        check_model(model)
        out_lines = check_outputs(name, b)
        if args.check_convert and b.opset != 17:
            from onnx import version_converter
            conv = version_converter.convert_version(model, 17)
            onnx.checker.check_model(conv)
            onnx.shape_inference.infer_shapes(conv, check_type=True, strict_mode=True)
        # write to a temporary name first so an interrupted run never leaves a half model
        path = os.path.join(args.outdir, name + ".onnx")
        with open(path + ".tmp", "wb") as f:
            f.write(model.SerializeToString())
        os.replace(path + ".tmp", path)
        for k, (iname, arr) in enumerate(b.input_arrays):
            write_tensor(os.path.join(args.outdir, "%s.input_%d.pb" % (name, k)), arr, iname)
        if args.reference:
            rdir = os.path.join(args.outdir, name + ".ref")
            os.makedirs(rdir, exist_ok=True)
            for stale in os.listdir(rdir):  # outputs of an earlier version of the model
                if stale.startswith("output_") and stale.endswith(".pb"):
                    os.remove(os.path.join(rdir, stale))
            for k, o in enumerate(b.outputs):
                write_tensor(os.path.join(rdir, "output_%d.pb" % k), b.val[o.name].astype(F32), o.name)
        if args.stats:
            print(stats_line(name, b, model))
            print("\n".join(out_lines))
        else:
            print("wrote %s" % path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
