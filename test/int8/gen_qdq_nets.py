#!/usr/bin/python3
"""Small QDQ test networks for the int8 backbone (docs/int8.md), made from fixed seeds.

Usage: /usr/bin/python3 test/int8/gen_qdq_nets.py OUTDIR [--nets a,b] [--list]

Each net is a float network whose weights come from np.random.default_rng(seed), calibrated on a
few deterministic inputs (this script's own numpy float forward pass gives each activation's
min/max), then written in the QDQ form onnxruntime's static quantizer writes: per-channel
symmetric int8 weights (DequantizeLinear along the output-channel axis), int32 biases with scale
x_scale * w_scale, per-tensor asymmetric activations (QuantizeLinear -> DequantizeLinear between
ops), Relu/Clip kept as nodes between an op and its QuantizeLinear. For every net NAME:
  OUTDIR/NAME.onnx            the model
  OUTDIR/NAME_probe.onnx      the same model with every QuantizeLinear output as an extra graph
                              output (int8 / uint8), for layer-by-layer comparisons
  OUTDIR/NAME.input_0.pb      one deterministic input (not a calibration input)
  OUTDIR/NAME.layers.txt      the probe outputs' names, scales and zero points, one per line
Nothing here runs onnxruntime; onnx (1.12) and numpy are the only imports.
"""

import argparse
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

F32 = np.float32


# ---- numpy float reference (NCHW, batch 1) ----------------------------------------------------

def np_conv(x, w, b, stride, pads, group):
    n, c, h, wd = x.shape
    m, cg, kh, kw = w.shape
    t, l, bo, r = pads
    xp = np.pad(x, ((0, 0), (0, 0), (t, bo), (l, r)))
    oh = (xp.shape[2] - kh) // stride + 1
    ow = (xp.shape[3] - kw) // stride + 1
    y = np.zeros((n, m, oh, ow), np.float64)
    mg = m // group
    for g in range(group):
        xs = xp[:, g * cg:(g + 1) * cg]
        for i in range(kh):
            for j in range(kw):
                patch = xs[:, :, i:i + stride * oh:stride, j:j + stride * ow:stride]  # n, cg, oh, ow
                wk = w[g * mg:(g + 1) * mg, :, i, j]  # mg, cg
                y[:, g * mg:(g + 1) * mg] += np.einsum("nchw,mc->nmhw", patch, wk)
    return y + b.reshape(1, -1, 1, 1)


def np_pool(x, k, s, pads, kind):
    t, l, b, r = pads
    fill = -np.inf if kind == "max" else 0.0
    xp = np.pad(x, ((0, 0), (0, 0), (t, b), (l, r)), constant_values=fill)
    oh = (xp.shape[2] - k) // s + 1
    ow = (xp.shape[3] - k) // s + 1
    wins = [xp[:, :, i:i + s * oh:s, j:j + s * ow:s] for i in range(k) for j in range(k)]
    return np.max(wins, axis=0) if kind == "max" else np.mean(wins, axis=0)


def np_resize_nearest2(x):
    return x.repeat(2, axis=2).repeat(2, axis=3)


# ---- quantization (what onnxruntime's static quantizer computes) -------------------------------

def act_qparams(lo, hi, dtype):
    lo, hi = min(float(lo), 0.0), max(float(hi), 0.0)
    qmin, qmax = (-128, 127) if dtype == "int8" else (0, 255)
    scale = (hi - lo) / (qmax - qmin)
    if scale == 0.0:
        scale = 1.0
    zp = int(round(qmin - lo / scale))
    return np.float32(scale), int(np.clip(zp, qmin, qmax))


def weight_qparams(w, axis=0):
    """per channel along `axis`, symmetric int8"""
    wa = np.moveaxis(w, axis, 0)
    m = wa.shape[0]
    amax = np.abs(wa.reshape(m, -1)).max(axis=1)
    scale = (np.maximum(amax, 1e-8) / 127.0).astype(F32)
    shape = [1] * w.ndim
    shape[axis] = m
    q = np.clip(np.round(w / scale.reshape(shape)), -127, 127).astype(np.int8)
    return q, scale


def weight_qparams_tensor(w, dtype):
    """per tensor: symmetric int8, or asymmetric uint8 with a zero point"""
    if dtype == "int8":
        scale = np.float32(max(np.abs(w).max(), 1e-8) / 127.0)
        return np.clip(np.round(w / scale), -127, 127).astype(np.int8), scale, np.int8(0)
    lo, hi = min(float(w.min()), 0.0), max(float(w.max()), 0.0)
    scale = np.float32((hi - lo) / 255.0)
    zp = int(np.clip(round(-lo / scale), 0, 255))
    return np.clip(np.round(w / scale) + zp, 0, 255).astype(np.uint8), scale, np.uint8(zp)


class Net:
    """A float network defined eagerly on a batch of inputs (calibration + test), written as QDQ."""

    def __init__(self, name, seed, shape, act_dtype="int8", input_dtype="float", output_dtype="float"):
        self.name = name
        self.rng = np.random.default_rng(seed)
        self.act_dtype = act_dtype
        self.input_dtype = input_dtype  # float: Q at the start; int8/uint8: a quantized graph input
        self.output_dtype = output_dtype
        self.nodes, self.inits, self.probes = [], [], []
        self.count = 0
        # 4 calibration inputs and 1 test input, all deterministic
        self.xs = [self.rng.uniform(-1.0, 1.0, shape).astype(F32) for _ in range(5)]
        self.shape = shape
        if input_dtype == "uint8":
            # image-like input: [0, 1] in 256 steps
            self.xs = [np.round((x + 1.0) * 127.5) / 255.0 for x in self.xs]
        self.q_in = act_qparams(min(x.min() for x in self.xs), max(x.max() for x in self.xs),
                                input_dtype if input_dtype != "float" else act_dtype)
        if input_dtype == "uint8":
            self.q_in = (np.float32(1.0 / 255.0), 0)
        if input_dtype != "float":
            # the test input is the quantized values themselves
            s, z = self.q_in
            lo, hi = (0, 255) if input_dtype == "uint8" else (-128, 127)
            self.xs = [((np.clip(np.round(x / s) + z, lo, hi) - z) * s).astype(F32) for x in self.xs]
        self.vals = [x.astype(np.float64) for x in self.xs]
        # graph input and its quantized form
        if input_dtype == "float":
            self.graph_input = helper.make_tensor_value_info("input", TensorProto.FLOAT, list(shape))
            x_q = self._quantize("input", self.q_in, act_dtype, shape)
        else:
            et = TensorProto.UINT8 if input_dtype == "uint8" else TensorProto.INT8
            self.graph_input = helper.make_tensor_value_info("input", et, list(shape))
            x_q = "input"
        self.cur = self._dequantize(x_q, self.q_in, input_dtype if input_dtype != "float" else act_dtype)
        self.cur_q = self.q_in

    # -- helpers
    def _n(self, p):
        self.count += 1
        return f"{p}{self.count}"

    def _const(self, name, arr):
        self.inits.append(numpy_helper.from_array(arr, name))
        return name

    def _qdtype(self, dt):
        return np.int8 if dt == "int8" else np.uint8

    def _quantize(self, x, q, dt, shape, probe=True):
        s, z = q
        y = self._n("q")
        sn = self._const(y + "_scale", np.array(s, F32))
        zn = self._const(y + "_zp", np.array(z, self._qdtype(dt)))
        self.nodes.append(helper.make_node("QuantizeLinear", [x, sn, zn], [y], name=y))
        if probe:
            self.probes.append((y, float(s), int(z), dt, list(shape)))
        return y

    def _dequantize(self, x, q, dt):
        s, z = q
        y = self._n("dq")
        sn = self._const(y + "_scale", np.array(s, F32))
        zn = self._const(y + "_zp", np.array(z, self._qdtype(dt)))
        self.nodes.append(helper.make_node("DequantizeLinear", [x, sn, zn], [y], name=y))
        return y

    def _requant(self, float_name, vals):
        """calibrates the float output, emits Q -> DQ, fake-quantizes the numpy values"""
        lo = min(v.min() for v in vals)
        hi = max(v.max() for v in vals)
        q = act_qparams(lo, hi, self.act_dtype)
        qn = self._quantize(float_name, q, self.act_dtype, vals[0].shape)
        self.cur = self._dequantize(qn, q, self.act_dtype)
        self.cur_q = q
        s, z = q
        lo_q, hi_q = (-128, 127) if self.act_dtype == "int8" else (0, 255)
        self.vals = [(np.clip(np.round(v / s) + z, lo_q, hi_q) - z) * s for v in vals]

    def _weight(self, w, name, per="channel", axis=0, dtype="int8"):
        """the weight's DequantizeLinear; returns its name, its dequantized values and the
        bias scale's weight factor per output channel"""
        out = name + "_w"
        if per == "channel":
            q, s = weight_qparams(w, axis)
            wn = self._const(name + "_wq", q)
            sn = self._const(name + "_ws", s)
            zn = self._const(name + "_wzp", np.zeros(w.shape[axis], np.int8))
            self.nodes.append(helper.make_node("DequantizeLinear", [wn, sn, zn], [out], name=out + "_dq", axis=axis))
            shape = [1] * w.ndim
            shape[axis] = -1
            return out, q.astype(np.float64) * s.reshape(shape).astype(np.float64), s
        q, s, z = weight_qparams_tensor(w, dtype)
        wn = self._const(name + "_wq", q)
        sn = self._const(name + "_ws", np.array(s, F32))
        zn = self._const(name + "_wzp", np.array(z))
        self.nodes.append(helper.make_node("DequantizeLinear", [wn, sn, zn], [out], name=out + "_dq"))
        return out, (q.astype(np.float64) - float(z)) * float(s), np.full(w.shape[0], s, F32)

    def _bias(self, b, w_scale, name):
        bs = (np.float32(self.cur_q[0]) * w_scale).astype(F32)
        bq = np.round(b / bs).astype(np.int32)
        bn = self._const(name + "_bq", bq)
        sn = self._const(name + "_bs", bs)
        zn = self._const(name + "_bzp", np.zeros(b.shape[0], np.int32))
        out = name + "_b"
        self.nodes.append(helper.make_node("DequantizeLinear", [bn, sn, zn], [out], name=out + "_dq", axis=0))
        return out, bq.astype(np.float64) * bs.astype(np.float64)

    def _act(self, x_name, vals, act):
        if act is None:
            return x_name, vals
        if act == "sigmoid":
            y = self._n(act)
            self.nodes.append(helper.make_node("Sigmoid", [x_name], [y], name=y))
            return y, [1 / (1 + np.exp(-v)) for v in vals]
        y = self._n(act)
        if act == "relu":
            self.nodes.append(helper.make_node("Relu", [x_name], [y], name=y))
            return y, [np.maximum(v, 0) for v in vals]
        if act == "relu6":
            lo = self._const(y + "_lo", np.array(0.0, F32))
            hi = self._const(y + "_hi", np.array(6.0, F32))
            self.nodes.append(helper.make_node("Clip", [x_name, lo, hi], [y], name=y))
            return y, [np.clip(v, 0, 6) for v in vals]
        raise ValueError(act)

    # -- layers (each ends with Q -> DQ)
    def conv(self, cout, k, stride=1, group=1, act="relu", pad=None, per="channel", w_dtype="int8"):
        cin = self.vals[0].shape[1]
        p = k // 2 if pad is None else pad
        name = self._n("conv")
        w = self.rng.normal(0, np.sqrt(2.0 / (cin // group * k * k)), (cout, cin // group, k, k)).astype(F32)
        b = self.rng.normal(0, 0.1, cout).astype(F32)
        wn, wv, ws = self._weight(w, name, per=per, dtype=w_dtype)
        bn, bv = self._bias(b, ws, name)
        self.nodes.append(helper.make_node("Conv", [self.cur, wn, bn], [name], name=name, kernel_shape=[k, k],
                                           strides=[stride, stride], pads=[p, p, p, p], group=group))
        vals = [np_conv(v, wv, bv, stride, (p, p, p, p), group) for v in self.vals]
        y, vals = self._act(name, vals, act)
        self._requant(y, vals)

    def gap(self):
        name = self._n("gap")
        self.nodes.append(helper.make_node("GlobalAveragePool", [self.cur], [name], name=name))
        self._requant(name, [v.mean(axis=(2, 3), keepdims=True) for v in self.vals])

    def pool(self, kind, k, s, p=0):
        name = self._n(kind + "pool")
        op = "MaxPool" if kind == "max" else "AveragePool"
        extra = {"count_include_pad": 1} if kind == "avg" and p else {}
        self.nodes.append(helper.make_node(op, [self.cur], [name], name=name, kernel_shape=[k, k], strides=[s, s],
                                           pads=[p, p, p, p], **extra))
        vals = [np_pool(v, k, s, (p, p, p, p), kind) for v in self.vals]
        if kind == "max":
            # onnxruntime's quantizer keeps the input's parameters for MaxPool
            qn = self._quantize(name, self.cur_q, self.act_dtype, vals[0].shape)
            self.cur = self._dequantize(qn, self.cur_q, self.act_dtype)
            self.vals = vals
        else:
            self._requant(name, vals)

    def flatten(self):
        name = self._n("flatten")
        self.nodes.append(helper.make_node("Flatten", [self.cur], [name], name=name, axis=1))
        self.cur = name  # a float view between DQ and the next op (LowerQdq moves it across the DQ)
        self.vals = [v.reshape(v.shape[0], -1) for v in self.vals]

    def gemm(self, nout, act=None):
        k = self.vals[0].shape[1]
        name = self._n("gemm")
        w = self.rng.normal(0, np.sqrt(1.0 / k), (nout, k)).astype(F32)
        b = self.rng.normal(0, 0.1, nout).astype(F32)
        wn, wv, ws = self._weight(w, name)
        bn, bv = self._bias(b, ws, name)
        self.nodes.append(helper.make_node("Gemm", [self.cur, wn, bn], [name], name=name, transB=1))
        vals = [v @ wv.T + bv for v in self.vals]
        y, vals = self._act(name, vals, act)
        self._requant(y, vals)

    def add_skip(self, skip):
        """Add of the current value and an earlier (cur, cur_q, vals) snapshot"""
        s_cur, s_q, s_vals = skip
        name = self._n("add")
        self.nodes.append(helper.make_node("Add", [self.cur, s_cur], [name], name=name))
        self._requant(name, [a + b for a, b in zip(self.vals, s_vals)])

    def snapshot(self):
        return (self.cur, self.cur_q, self.vals)

    def unary(self, op):
        name = self._n(op.lower())
        self.nodes.append(helper.make_node(op, [self.cur], [name], name=name))
        f = {"Sigmoid": lambda v: 1 / (1 + np.exp(-v)), "Tanh": np.tanh,
             "HardSwish": lambda v: v * np.clip(v / 6 + 0.5, 0, 1), "Relu": lambda v: np.maximum(v, 0)}[op]
        self._requant(name, [f(v) for v in self.vals])

    def pad(self, p):
        """constant 0 padding of H and W by p; the output keeps the input's parameters"""
        name = self._n("pad")
        pads = self._const(name + "_pads", np.array([0, 0, p, p, 0, 0, p, p], np.int64))
        self.nodes.append(helper.make_node("Pad", [self.cur, pads], [name], name=name, mode="constant"))
        self.vals = [np.pad(v, ((0, 0), (0, 0), (p, p), (p, p))) for v in self.vals]
        qn = self._quantize(name, self.cur_q, self.act_dtype, self.vals[0].shape)
        self.cur = self._dequantize(qn, self.cur_q, self.act_dtype)

    def slice_hw(self, h0, h1, w0, w1, w_step):
        name = self._n("slice")
        c = lambda n, v: self._const(name + n, np.array(v, np.int64))  # noqa: E731
        self.nodes.append(helper.make_node("Slice", [self.cur, c("_s", [h0, w0]), c("_e", [h1, w1]), c("_a", [2, 3]),
                                                     c("_st", [1, w_step])], [name], name=name))
        self.vals = [v[:, :, h0:h1, w0:w1:w_step] for v in self.vals]
        qn = self._quantize(name, self.cur_q, self.act_dtype, self.vals[0].shape)
        self.cur = self._dequantize(qn, self.cur_q, self.act_dtype)

    def transpose(self, perm):
        name = self._n("transpose")
        self.nodes.append(helper.make_node("Transpose", [self.cur], [name], name=name, perm=perm))
        self.vals = [np.transpose(v, perm) for v in self.vals]
        qn = self._quantize(name, self.cur_q, self.act_dtype, self.vals[0].shape)
        self.cur = self._dequantize(qn, self.cur_q, self.act_dtype)

    def split_concat(self):
        """Split the channels in two, each half with its own quantization, and Concat them in the
        other order"""
        name = self._n("split")
        c = self.vals[0].shape[1]
        halves = [name + "_a", name + "_b"]
        self.nodes.append(helper.make_node("Split", [self.cur, self._const(name + "_sizes", np.array([c // 2, c - c // 2],
                                                                                                  np.int64))],
                                           halves, name=name, axis=1))
        parts, whole = [], self.vals
        for k, h in enumerate(halves):
            vals = [v[:, :c // 2] if k == 0 else v[:, c // 2:] for v in whole]
            self._requant(h, vals)
            parts.append((self.cur, self.cur_q, self.vals))
        self.cur, self.cur_q, self.vals = parts[1]
        self.concat(parts[0])

    def sub(self, other):
        o_cur, o_q, o_vals = other
        name = self._n("sub")
        self.nodes.append(helper.make_node("Sub", [self.cur, o_cur], [name], name=name))
        self._requant(name, [a - b for a, b in zip(self.vals, o_vals)])

    def gmp(self):
        name = self._n("gmp")
        self.nodes.append(helper.make_node("GlobalMaxPool", [self.cur], [name], name=name))
        self.vals = [v.max(axis=(2, 3), keepdims=True) for v in self.vals]
        qn = self._quantize(name, self.cur_q, self.act_dtype, self.vals[0].shape)
        self.cur = self._dequantize(qn, self.cur_q, self.act_dtype)

    def matmul(self, nout):
        """MatMul by a [K, N] weight quantized per column (axis 1), no bias"""
        k = self.vals[0].shape[-1]
        name = self._n("matmul")
        w = self.rng.normal(0, np.sqrt(1.0 / k), (k, nout)).astype(F32)
        wn, wv, _ = self._weight(w, name, per="channel", axis=1)
        self.nodes.append(helper.make_node("MatMul", [self.cur, wn], [name], name=name))
        self._requant(name, [v @ wv for v in self.vals])

    def leaky(self, alpha):
        name = self._n("leaky")
        self.nodes.append(helper.make_node("LeakyRelu", [self.cur], [name], name=name, alpha=alpha))
        self._requant(name, [np.where(v >= 0, v, alpha * v) for v in self.vals])

    def concat(self, other):
        o_cur, o_q, o_vals = other
        name = self._n("concat")
        self.nodes.append(helper.make_node("Concat", [self.cur, o_cur], [name], name=name, axis=1))
        self._requant(name, [np.concatenate([a, b], axis=1) for a, b in zip(self.vals, o_vals)])

    def mul(self, other):
        o_cur, o_q, o_vals = other
        name = self._n("mul")
        self.nodes.append(helper.make_node("Mul", [self.cur, o_cur], [name], name=name))
        self._requant(name, [a * b for a, b in zip(self.vals, o_vals)])

    def resize2(self):
        name = self._n("resize")
        scales = self._const(name + "_scales", np.array([1, 1, 2, 2], F32))
        self.nodes.append(helper.make_node("Resize", [self.cur, "", scales], [name], name=name, mode="nearest"))
        self.vals = [np_resize_nearest2(v) for v in self.vals]
        qn = self._quantize(name, self.cur_q, self.act_dtype, self.vals[0].shape)
        self.cur = self._dequantize(qn, self.cur_q, self.act_dtype)

    def softmax(self):
        name = self._n("softmax")
        self.nodes.append(helper.make_node("Softmax", [self.cur], [name], name=name, axis=-1))
        vals = []
        for v in self.vals:
            e = np.exp(v - v.max(axis=-1, keepdims=True))
            vals.append(e / e.sum(axis=-1, keepdims=True))
        # the integer Softmax's output quantization: scale 1/256, zero point -128 (int8)
        q = (np.float32(1.0 / 256.0), -128 if self.act_dtype == "int8" else 0)
        qn = self._quantize(name, q, self.act_dtype, vals[0].shape)
        self.cur = self._dequantize(qn, q, self.act_dtype)
        self.cur_q = q
        self.vals = vals

    def finish(self, outdir):
        if self.output_dtype == "float":
            out_name = self.cur
            outputs = [helper.make_tensor_value_info(out_name, TensorProto.FLOAT, list(self.vals[0].shape))]
        else:
            # the last DequantizeLinear is dropped: its input (the last Q output) is the output
            last_dq = self.nodes.pop()
            out_name = last_dq.input[0]
            et = TensorProto.INT8 if self.act_dtype == "int8" else TensorProto.UINT8
            outputs = [helper.make_tensor_value_info(out_name, et, list(self.vals[0].shape))]
        for probe in (False, True):
            outs = list(outputs)
            if probe:
                for (pname, _, _, dt, shp) in self.probes:
                    if pname == out_name:
                        continue
                    outs.append(helper.make_tensor_value_info(pname, TensorProto.INT8 if dt == "int8" else TensorProto.UINT8,
                                                              shp))
            graph = helper.make_graph(self.nodes, self.name, [self.graph_input], outs, self.inits)
            model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 14)], producer_name="tigris-test")
            model.ir_version = 7
            onnx.checker.check_model(model)
            onnx.save(model, os.path.join(outdir, self.name + ("_probe" if probe else "") + ".onnx"))
        x = self.xs[4]
        if self.input_dtype == "float":
            t = numpy_helper.from_array(x.astype(F32), "input")
        else:
            s, z = self.q_in
            lo, hi = (0, 255) if self.input_dtype == "uint8" else (-128, 127)
            dt = np.uint8 if self.input_dtype == "uint8" else np.int8
            t = numpy_helper.from_array(np.clip(np.round(x / s) + z, lo, hi).astype(dt), "input")
        with open(os.path.join(outdir, self.name + ".input_0.pb"), "wb") as f:
            f.write(t.SerializeToString())
        with open(os.path.join(outdir, self.name + ".layers.txt"), "w") as f:
            f.write(f"{out_name} {self.cur_q[0]!r} {self.cur_q[1]} output\n")
            for (pname, s, z, dt, _) in self.probes:
                if pname != out_name:
                    f.write(f"{pname} {s!r} {z} {dt}\n")


# ---- the nets --------------------------------------------------------------------------------

def cnn_s8():
    """Conv-DWConv-PWConv-GAP-Gemm, int8 activations, float input and output"""
    n = Net("qdq_cnn_s8", 11, (1, 3, 24, 24))
    n.conv(8, 3, act="relu")
    n.conv(8, 3, stride=2, group=8, act="relu6")
    n.conv(16, 1, act="relu")
    n.gap()
    n.flatten()
    n.gemm(10)
    return n


def cnn_s8io():
    """the same shape of net with an int8 graph input and an int8 graph output"""
    n = Net("qdq_cnn_s8io", 12, (1, 3, 24, 24), input_dtype="int8", output_dtype="int8")
    n.conv(8, 3, act="relu")
    n.conv(8, 3, stride=2, group=8, act="relu6")
    n.conv(16, 1, act="relu")
    n.gap()
    n.flatten()
    n.gemm(10)
    return n


def cnn_u8():
    """a uint8-input (image-like, scale 1/255), uint8-activation net with a uint8 output"""
    n = Net("qdq_cnn_u8", 13, (1, 3, 24, 24), act_dtype="uint8", input_dtype="uint8", output_dtype="uint8")
    n.conv(8, 3, act="relu")
    n.conv(8, 3, stride=2, group=8, act="relu6")
    n.conv(16, 1, act="relu")
    n.gap()
    n.flatten()
    n.gemm(10)
    return n


def block_s8():
    """the other fusable ops: residual Add, Max/AveragePool, Concat, Mul, Resize, LUT ops, Softmax"""
    n = Net("qdq_block_s8", 14, (1, 4, 20, 20))
    n.conv(8, 3, act="relu")
    skip = n.snapshot()
    n.conv(8, 3, group=8, act=None)
    n.conv(8, 1, act=None)
    n.add_skip(skip)
    n.pool("max", 2, 2)
    a = n.snapshot()
    n.conv(8, 3, act=None)
    n.unary("HardSwish")
    n.concat(a)
    n.pool("avg", 3, 1, 1)
    b = n.snapshot()
    n.unary("Sigmoid")
    n.mul(b)
    n.resize2()
    n.conv(6, 3, stride=2, act=None)
    n.leaky(0.1)
    n.gap()
    n.flatten()
    n.gemm(12)
    n.unary("Tanh")
    n.softmax()
    return n


def misc_s8():
    """grouped and multiplier-2 depthwise convs, per-tensor int8 and uint8 (zero point) weights, Pad,
    strided Slice, Transpose, a layer that stays float (Conv + Sigmoid), Split, Sub, GlobalMaxPool, MatMul
    by a per-column weight, a Relu table"""
    n = Net("qdq_misc_s8", 15, (1, 4, 12, 12))
    n.conv(8, 3, group=2, act="relu", per="tensor")
    n.conv(16, 3, group=8, act=None)
    n.pad(1)
    n.slice_hw(1, 13, 0, 14, 2)
    n.transpose([0, 1, 3, 2])
    n.conv(8, 1, act=None, per="tensor", w_dtype="uint8")
    # Conv -> Sigmoid -> Q: no int8 form (the Sigmoid has no quantization of its own), so this
    # layer stays float between its DequantizeLinear and QuantizeLinear kernels
    n.conv(8, 1, act="sigmoid")
    n.split_concat()
    a = n.snapshot()
    n.conv(8, 1, act=None)
    n.sub(a)
    n.gmp()
    n.flatten()
    n.matmul(6)
    n.unary("Relu")
    return n


def mbnet_s8io():
    """a MobileNetV1-shaped net at 64x64 (five depthwise-separable blocks, 32 KiB of int8 activations
    at its widest), int8 input and output: the tiler's strips, chains and bands at 8K-32K budgets"""
    n = Net("qdq_mbnet_s8io", 16, (1, 3, 64, 64), input_dtype="int8", output_dtype="int8")
    n.conv(16, 3, stride=2, act="relu6")
    for cout, stride in ((32, 1), (64, 2), (64, 1), (128, 2)):
        n.conv(n.vals[0].shape[1], 3, stride=stride, group=n.vals[0].shape[1], act="relu6")
        n.conv(cout, 1, act="relu6")
    n.gap()
    n.flatten()
    n.gemm(10)
    return n


def layout_s8():
    """the ops of the channels-last convention (docs/int8.md, "Physical layout"): a regular and a
    depthwise conv, per-tensor weights (a [1,2] requantization table expanded per channel), a
    residual Add, MaxPool, a MatMul by a [K,N] weight and a Gemm with transB=1"""
    n = Net("qdq_layout_s8", 18, (1, 4, 16, 16))
    n.conv(8, 3, act="relu")
    skip = n.snapshot()
    n.conv(8, 3, group=8, act=None)
    n.conv(8, 1, act=None, per="tensor")
    n.add_skip(skip)
    n.pool("max", 2, 2)
    n.conv(12, 3, act="relu", per="tensor")
    n.gap()
    n.flatten()
    n.matmul(6)
    n.gemm(4)
    return n


NETS = {"qdq_cnn_s8": cnn_s8, "qdq_cnn_s8io": cnn_s8io, "qdq_cnn_u8": cnn_u8, "qdq_block_s8": block_s8,
        "qdq_misc_s8": misc_s8, "qdq_mbnet_s8io": mbnet_s8io, "qdq_layout_s8": layout_s8}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("outdir", nargs="?")
    ap.add_argument("--nets", default=",".join(NETS))
    ap.add_argument("--list", action="store_true")
    a = ap.parse_args()
    if a.list:
        print("\n".join(NETS))
        return 0
    if not a.outdir:
        ap.error("OUTDIR is required")
    os.makedirs(a.outdir, exist_ok=True)
    for name in a.nets.split(","):
        NETS[name]().finish(a.outdir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
