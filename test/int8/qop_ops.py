#!/usr/bin/python3
"""QOperator import (frontend/qoperators.h) against onnxruntime, op by op.

Builds small models in QOperator form with deterministic weights, one or a few ops each: ONNX's
QLinearConv, QLinearMatMul, ConvInteger, MatMulInteger and the com.microsoft ops onnxruntime's
optimizer writes (QLinearConv/QLinearAveragePool/QLinearGlobalAveragePool in their NHWC
channels_last form, QLinearAdd, QLinearMul, QLinearSigmoid, QLinearLeakyRelu, QLinearSoftmax,
QLinearConcat, QGemm with a quantized and a float output, NhwcMaxPool), int8 and uint8, per-tensor and
per-channel weights, at opsets 10, 12 and 13. For each:

  * onnxruntime (graph optimizations disabled: its own QOperator kernels) is the reference;
  * the untiled plan must be within 1 LSB of it for quantized outputs, equal for int32 outputs
    (ConvInteger/MatMulInteger are exact), within 1e-5 relative for float outputs;
  * the plan must run the QOperator ops on int8 kernels (analyze's int8_ops >= the model's
    expected count), so the import did not fall back to float emulation;
  * a tiled plan (small fast budget + slow pool) must be bit-identical to the untiled one.

And the refusals: a ConvInteger whose int32 accumulation float32 could not carry exactly (> 2^24)
must fail with exit code 2 naming the node and the bound.

Usage: qop_ops.py TIGRIS_BIN WORK_DIR [--models a,b] [--list]
Environment: TIGRIS_NODE (default node), ORACLE_NODE_MODULES (node_modules with onnxruntime-node).
"""

import argparse
import json
import os
import subprocess
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(os.path.dirname(HERE))
MS = "com.microsoft"


class M:
    """A model under construction: nodes, initializers, inputs."""

    def __init__(self, name, seed, opset=13):
        self.name, self.opset = name, opset
        self.rng = np.random.default_rng(seed)
        self.nodes, self.inits, self.inputs, self.feeds = [], [], [], []
        self.ms = False
        self.k = 0

    def init(self, name, arr):
        self.inits.append(numpy_helper.from_array(np.asarray(arr), name))
        return name

    def scalar(self, name, v, dt):
        return self.init(name, np.array(v, dtype=dt))

    def input(self, name, arr):
        self.inputs.append(helper.make_tensor_value_info(name, onnx.mapping.NP_TYPE_TO_TENSOR_TYPE[arr.dtype], arr.shape))
        self.feeds.append(numpy_helper.from_array(arr, name))
        return name

    def node(self, op, ins, outs, domain="", **attrs):
        self.k += 1
        if domain == MS:
            self.ms = True
        self.nodes.append(helper.make_node(op, ins, outs, f"{op}_{self.k}", domain=domain or None, **attrs))
        return outs[0]

    def qparams(self, tag, scale, zp, dt):
        return self.scalar(tag + "_s", scale, np.float32), self.scalar(tag + "_z", zp, dt)

    def weights(self, tag, shape, dt, per_channel, zp=0):
        """Quantized weights (axis 0 per channel), their scale and zero point initializers."""
        lo, hi = (-127, 127) if dt == np.int8 else (0, 255)
        w = self.rng.integers(lo, hi + 1, size=shape).astype(dt)
        n = shape[0]
        if per_channel:
            s = (0.002 + 0.01 * self.rng.random(n)).astype(np.float32)
            z = np.full(n, zp, dtype=dt)
        else:
            s = np.array([0.004], np.float32)
            z = np.array([zp], dtype=dt)
        return self.init(tag + "_w", w), self.init(tag + "_ws", s), self.init(tag + "_wz", z)

    def bias(self, tag, n, lim=2000):
        return self.init(tag + "_b", self.rng.integers(-lim, lim, size=n).astype(np.int32))

    def save(self, path, outputs):
        g = helper.make_graph(self.nodes, self.name, self.inputs, outputs, self.inits)
        ops = [helper.make_opsetid("", self.opset)] + ([helper.make_opsetid(MS, 1)] if self.ms else [])
        m = helper.make_model(g, opset_imports=ops)
        m.ir_version = 7
        onnx.save(m, path)
        feeds = []
        for k, t in enumerate(self.feeds):
            p = path[:-5] + f".input_{k}.pb"
            with open(p, "wb") as f:
                f.write(t.SerializeToString())
            feeds.append(p)
        return feeds


def out(name, dt, shape=None):
    return helper.make_tensor_value_info(name, dt, shape)


# ---- the models ----------------------------------------------------------------------------------
# Each returns (outputs, expected int8 op count); the model is written by M.save.

def qlinearconv_u8(m):  # opset 10, uint8 weights with a zero point, per tensor, bias, padding
    x = m.input("x", m.rng.integers(0, 256, size=(1, 3, 12, 12)).astype(np.uint8))
    xs, xz = m.qparams("x", 0.02, 128, np.uint8)
    w, ws, wz = m.weights("c", (8, 3, 3, 3), np.uint8, False, zp=120)
    ws = m.scalar("c_ws_scalar", 0.004, np.float32)
    wz = m.scalar("c_wz_scalar", 120, np.uint8)
    ys, yz = m.qparams("y", 0.05, 100, np.uint8)
    m.node("QLinearConv", [x, xs, xz, w, ws, wz, ys, yz, m.bias("c", 8)], ["y"], pads=[1, 1, 1, 1])
    return [out("y", TensorProto.UINT8)], 1


def qlinearconv_s8_pc(m):  # int8, per-channel symmetric weights, stride 2, then a depthwise x2
    x = m.input("x", m.rng.integers(-128, 128, size=(1, 4, 15, 13)).astype(np.int8))
    xs, xz = m.qparams("x", 0.03, -5, np.int8)
    w, ws, wz = m.weights("c", (8, 4, 3, 3), np.int8, True)
    ys, yz = m.qparams("y", 0.04, 3, np.int8)
    h = m.node("QLinearConv", [x, xs, xz, w, ws, wz, ys, yz, m.bias("c", 8)], ["h"], pads=[1, 1, 1, 1], strides=[2, 2])
    w2, ws2, wz2 = m.weights("d", (16, 1, 3, 3), np.int8, True)
    zs, zz = m.qparams("z", 0.05, -10, np.int8)
    m.node("QLinearConv", [h, ys, yz, w2, ws2, wz2, zs, zz, m.bias("d", 16)], ["z"], group=8, pads=[1, 1, 1, 1])
    return [out("z", TensorProto.INT8)], 2


def ms_nhwc_chain(m):  # float input -> Q -> NHWC QLinearConv x2 -> NHWC GAP -> NCHW, as ORT writes it
    x = m.input("x", m.rng.standard_normal((1, 3, 16, 16)).astype(np.float32))
    xs, xz = m.qparams("x", 0.025, 128, np.uint8)
    q = m.node("QuantizeLinear", [x, xs, xz], ["xq"])
    t = m.node("Transpose", [q], ["xt"], perm=[0, 2, 3, 1])
    w, ws, wz = m.weights("c1", (8, 3, 3, 3), np.int8, True)
    s1, z1 = m.qparams("h1", 0.03, 0, np.uint8)
    h = m.node("QLinearConv", [t, xs, xz, w, ws, wz, s1, z1, m.bias("c1", 8)], ["h1"], domain=MS, channels_last=1,
               pads=[1, 1, 1, 1])
    w, ws, wz = m.weights("c2", (8, 1, 3, 3), np.int8, True)
    s2, z2 = m.qparams("h2", 0.03, 0, np.uint8)
    h = m.node("QLinearConv", [h, s1, z1, w, ws, wz, s2, z2, m.bias("c2", 8)], ["h2"], domain=MS, channels_last=1,
               group=8, pads=[1, 1, 1, 1], strides=[2, 2])
    s3, z3 = m.qparams("g", 0.01, 5, np.uint8)
    g = m.node("QLinearGlobalAveragePool", [h, s2, z2, s3, z3], ["g"], domain=MS, channels_last=1)
    m.node("Transpose", [g], ["y"], perm=[0, 3, 1, 2])
    return [out("y", TensorProto.UINT8)], 3


def ms_add(m):  # QLinearAdd of two inputs with other quantizations than the output's
    a = m.input("a", m.rng.integers(-128, 128, size=(1, 6, 10, 10)).astype(np.int8))
    b = m.input("b", m.rng.integers(-128, 128, size=(1, 6, 10, 10)).astype(np.int8))
    as_, az = m.qparams("a", 0.03, -2, np.int8)
    bs, bz = m.qparams("b", 0.02, 1, np.int8)
    ys, yz = m.qparams("y", 0.04, 4, np.int8)
    m.node("QLinearAdd", [a, as_, az, b, bs, bz, ys, yz], ["y"], domain=MS)
    return [out("y", TensorProto.INT8)], 1


def ms_mul(m):  # QLinearMul by a broadcast constant (uint8)
    a = m.input("a", m.rng.integers(0, 256, size=(1, 6, 10, 10)).astype(np.uint8))
    as_, az = m.qparams("a", 0.04, 132, np.uint8)
    c = m.init("mulc", m.rng.integers(0, 256, size=(1, 6, 1, 1)).astype(np.uint8))
    cs, cz = m.qparams("mc", 0.01, 128, np.uint8)
    ys, yz = m.qparams("y", 0.02, 125, np.uint8)
    m.node("QLinearMul", [a, as_, az, c, cs, cz, ys, yz], ["y"], domain=MS)
    return [out("y", TensorProto.UINT8)], 1


def ms_avgpool(m):  # QLinearAveragePool NCHW with uncounted padding, NHWC with counted padding
    x = m.input("x", m.rng.integers(0, 256, size=(1, 5, 11, 9)).astype(np.uint8))
    xs, xz = m.qparams("x", 0.02, 120, np.uint8)
    s1, z1 = m.qparams("p1", 0.015, 110, np.uint8)
    p = m.node("QLinearAveragePool", [x, xs, xz, s1, z1], ["p1"], domain=MS, kernel_shape=[3, 3], pads=[1, 1, 1, 1],
               strides=[2, 2], count_include_pad=0)
    t = m.node("Transpose", [p], ["p1t"], perm=[0, 2, 3, 1])
    s2, z2 = m.qparams("p2", 0.015, 100, np.uint8)
    q = m.node("QLinearAveragePool", [t, s1, z1, s2, z2], ["p2"], domain=MS, channels_last=1, kernel_shape=[2, 2],
               pads=[0, 0, 1, 1], count_include_pad=1)
    m.node("Transpose", [q], ["y"], perm=[0, 3, 1, 2])
    return [out("y", TensorProto.UINT8)], 2


def ms_unary(m):  # QLinearSigmoid and QLinearLeakyRelu (lookup tables)
    x = m.input("x", m.rng.integers(-128, 128, size=(1, 4, 7, 7)).astype(np.int8))
    xs, xz = m.qparams("x", 0.05, -7, np.int8)
    s1, z1 = m.qparams("s", 1.0 / 256, -128, np.int8)
    s = m.node("QLinearSigmoid", [x, xs, xz, s1, z1], ["s"], domain=MS)
    s2, z2 = m.qparams("l", 0.03, -20, np.int8)
    m.node("QLinearLeakyRelu", [x, xs, xz, s2, z2], ["l"], domain=MS, alpha=0.1)
    return [out("s", TensorProto.INT8), out("l", TensorProto.INT8)], 2


def ms_softmax(m):  # QLinearSoftmax over the last axis, uint8 (ORT's 1/256 output scale)
    x = m.input("x", m.rng.integers(0, 256, size=(2, 10)).astype(np.uint8))
    xs, xz = m.qparams("x", 0.08, 128, np.uint8)
    ys, yz = m.qparams("y", 1.0 / 256, 0, np.uint8)
    m.node("QLinearSoftmax", [x, xs, xz, ys, yz], ["y"], domain=MS, axis=-1, opset=13)
    return [out("y", TensorProto.UINT8)], 1


def ms_concat(m):  # QLinearConcat of three inputs with their own quantizations
    xs_ = []
    ins = []
    for k, (scale, zp) in enumerate([(0.02, 3), (0.05, -10), (0.03, 0)]):
        x = m.input(f"x{k}", m.rng.integers(-128, 128, size=(1, 2 + k, 6, 6)).astype(np.int8))
        s, z = m.qparams(f"x{k}", scale, zp, np.int8)
        ins += [x, s, z]
        xs_.append(x)
    ys, yz = m.qparams("y", 0.04, -1, np.int8)
    m.node("QLinearConcat", [ys, yz] + ins, ["y"], domain=MS, axis=1)
    return [out("y", TensorProto.INT8)], 1


def ms_qgemm(m):  # QGemm, per-column B (transB), int32 C, quantized and float outputs
    a = m.input("a", m.rng.integers(-128, 128, size=(3, 20)).astype(np.int8))
    as_, az = m.qparams("a", 0.03, 2, np.int8)
    b = m.init("b", m.rng.integers(-127, 128, size=(7, 20)).astype(np.int8))
    bs = m.init("bs", (0.002 + 0.01 * m.rng.random(7)).astype(np.float32))
    bz = m.init("bz", np.zeros(7, np.int8))
    c = m.init("c", m.rng.integers(-3000, 3000, size=7).astype(np.int32))
    ys, yz = m.qparams("y", 0.05, -4, np.int8)
    m.node("QGemm", [a, as_, az, b, bs, bz, c, ys, yz], ["y"], domain=MS, transB=1, alpha=1.0)
    m.node("QGemm", [a, as_, az, b, bs, bz, c], ["f"], domain=MS, transB=1, alpha=0.5)
    return [out("y", TensorProto.INT8), out("f", TensorProto.FLOAT)], 1


def qlinearmatmul_s8(m):  # opset 12: constant per-tensor B, and activation x activation
    a = m.input("a", m.rng.integers(-128, 128, size=(4, 16)).astype(np.int8))
    as_, az = m.qparams("a", 0.02, -3, np.int8)
    b = m.init("b", m.rng.integers(-127, 128, size=(16, 5)).astype(np.int8))
    bs, bz = m.qparams("b", 0.01, 0, np.int8)
    ys, yz = m.qparams("y", 0.08, 6, np.int8)
    y = m.node("QLinearMatMul", [a, as_, az, b, bs, bz, ys, yz], ["y"])
    e = m.input("e", m.rng.integers(-128, 128, size=(5, 3)).astype(np.int8))
    es, ez = m.qparams("e", 0.03, 1, np.int8)
    zs, zz = m.qparams("z", 0.2, 0, np.int8)
    m.node("QLinearMatMul", [y, ys, yz, e, es, ez, zs, zz], ["z"])
    return [out("z", TensorProto.INT8)], 2


def integer_ops(m):  # ConvInteger (uint8, weight zero point, padding) and MatMulInteger
    x = m.input("x", m.rng.integers(0, 256, size=(1, 3, 8, 8)).astype(np.uint8))
    xz = m.scalar("xz", 130, np.uint8)
    w = m.init("w", m.rng.integers(0, 256, size=(4, 3, 3, 3)).astype(np.uint8))
    wz = m.scalar("wz", 125, np.uint8)  # onnxruntime's ConvInteger takes a per-tensor one only
    m.node("ConvInteger", [x, w, xz, wz], ["c"], pads=[1, 1, 1, 1])
    a = m.input("a", m.rng.integers(-128, 128, size=(2, 3, 12)).astype(np.int8))
    az = m.scalar("az", -4, np.int8)
    b = m.init("b", m.rng.integers(-128, 128, size=(12, 6)).astype(np.int8))
    m.node("MatMulInteger", [a, b, az], ["mm"])
    return [out("c", TensorProto.INT32), out("mm", TensorProto.INT32)], 0


def maxpool_u8(m):  # ORT's quantizer leaves MaxPool on uint8 between QLinearConvs
    x = m.input("x", m.rng.integers(0, 256, size=(1, 3, 14, 14)).astype(np.uint8))
    xs, xz = m.qparams("x", 0.02, 128, np.uint8)
    w, ws, wz = m.weights("c", (6, 3, 3, 3), np.int8, True)
    hs, hz = m.qparams("h", 0.03, 0, np.uint8)
    h = m.node("QLinearConv", [x, xs, xz, w, ws, wz, hs, hz, m.bias("c", 6)], ["h"], pads=[1, 1, 1, 1])
    p = m.node("MaxPool", [h], ["p"], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1])
    t = m.node("Transpose", [p], ["pt"], perm=[0, 2, 3, 1])  # and its NHWC form, as the NHWC transformer writes it
    t = m.node("NhwcMaxPool", [t], ["pm"], domain=MS, kernel_shape=[2, 2], strides=[1, 1], pads=[0, 0, 1, 1])
    p = m.node("Transpose", [t], ["pn"], perm=[0, 3, 1, 2])
    w, ws, wz = m.weights("d", (4, 6, 1, 1), np.int8, True)
    ys, yz = m.qparams("y", 0.05, 10, np.uint8)
    m.node("QLinearConv", [p, hs, hz, w, ws, wz, ys, yz, m.bias("d", 4)], ["y"])
    return [out("y", TensorProto.UINT8)], 3


def direct_u8_ops(m):  # data movement straight on uint8 between QLinearConvs, as ORT's quantizer leaves it
    x = m.input("x", m.rng.integers(0, 256, size=(1, 3, 10, 10)).astype(np.uint8))
    xs, xz = m.qparams("x", 0.02, 128, np.uint8)
    w, ws, wz = m.weights("c", (6, 3, 3, 3), np.int8, True)
    hs, hz = m.qparams("h", 0.03, 7, np.uint8)
    h = m.node("QLinearConv", [x, xs, xz, w, ws, wz, hs, hz, m.bias("c", 6)], ["h"], pads=[1, 1, 1, 1])
    pads = m.init("pads", np.array([0, 0, 1, 2, 0, 0, 1, 0], np.int64))
    p = m.node("Pad", [h, pads, hz], ["p"], mode="constant")  # pads with the zero point (real 0)
    r = m.node("Resize", [p, "", m.init("rs", np.array([1, 1, 2, 2], np.float32))], ["r"], mode="nearest")
    sl = m.node("Slice", [r, m.init("st", np.array([1, 2], np.int64)), m.init("en", np.array([20, 21], np.int64)),
                          m.init("ax", np.array([2, 3], np.int64))], ["sl"])
    a, b = m.node("Split", [sl, m.init("sp", np.array([2, 4], np.int64))], ["a", "b"], axis=1), "b"
    c = m.node("Concat", [b, a], ["cat"], axis=1)
    mp = m.node("MaxPool", [c], ["mp"], kernel_shape=[2, 2], strides=[2, 2])
    w, ws, wz = m.weights("d", (4, 6, 1, 1), np.int8, True)
    ys, yz = m.qparams("y", 0.05, 10, np.uint8)
    m.node("QLinearConv", [mp, hs, hz, w, ws, wz, ys, yz, m.bias("d", 4)], ["y"])
    return [out("y", TensorProto.UINT8)], 8


def refuse_linear_resize_u8(m):  # a linear Resize of uint8 values has no int8 kernel: refused, not run as float
    x = m.input("x", m.rng.integers(0, 256, size=(1, 2, 4, 4)).astype(np.uint8))
    m.node("Resize", [x, "", m.init("rs", np.array([1, 1, 2, 2], np.float32))], ["y"], mode="linear")
    return [out("y", TensorProto.UINT8)], 0


MODELS = {
    "qlinearconv_u8": (qlinearconv_u8, 10),
    "qlinearconv_s8_pc": (qlinearconv_s8_pc, 13),
    "ms_nhwc_chain": (ms_nhwc_chain, 13),
    "ms_add": (ms_add, 13),
    "ms_mul": (ms_mul, 13),
    "ms_avgpool": (ms_avgpool, 13),
    "ms_unary": (ms_unary, 13),
    "ms_softmax": (ms_softmax, 13),
    "ms_concat": (ms_concat, 13),
    "ms_qgemm": (ms_qgemm, 13),
    "qlinearmatmul_s8": (qlinearmatmul_s8, 12),
    "integer_ops": (integer_ops, 10),
    "maxpool_u8": (maxpool_u8, 12),
    "direct_u8_ops": (direct_u8_ops, 13),
}


def refuse_convinteger(m):  # 64 input channels x 5x5 taps of |w - zp| up to 255, |x - zp| up to 255
    x = m.input("x", m.rng.integers(0, 256, size=(1, 64, 8, 8)).astype(np.uint8))
    w = m.init("w", np.full((2, 64, 5, 5), 255, np.uint8))
    m.node("ConvInteger", [x, w], ["c"])
    return [out("c", TensorProto.INT32)], 0


def refuse_missing_y_scale(m):  # a malformed QLinearConv: its required y_scale omitted
    x = m.input("x", m.rng.integers(0, 256, size=(1, 3, 6, 6)).astype(np.uint8))
    xs, xz = m.qparams("x", 0.02, 128, np.uint8)
    w, ws, wz = m.weights("c", (4, 3, 3, 3), np.int8, True)
    yz = m.scalar("yz", 0, np.uint8)
    m.node("QLinearConv", [x, xs, xz, w, ws, wz, "", yz], ["y"])
    return [out("y", TensorProto.UINT8)], 0


REFUSALS = {"refuse_convinteger": (refuse_convinteger, 10, ["ConvInteger", "2^24"]),
            "refuse_linear_resize_u8": (refuse_linear_resize_u8, 13, ["Resize", "quantized (int8/uint8) values", "nearest Resize"]),
            "refuse_missing_y_scale": (refuse_missing_y_scale, 13, ["QLinearConv", "input 6 (y_scale) is missing"])}


def run(cmd, env=None, check=True):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    if check and r.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({r.returncode}):\n{r.stdout}")
    return r


def load(path):
    return numpy_helper.to_array(onnx.load_tensor(path))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("tigris", nargs="?")
    ap.add_argument("work", nargs="?")
    ap.add_argument("--models", default="")
    ap.add_argument("--tiled", default="1K+8M", help="the tiled budget (fast+slow)")
    ap.add_argument("--list", action="store_true")
    a = ap.parse_args()
    if a.list:
        print("\n".join(list(MODELS) + list(REFUSALS)))
        return 0
    node = os.environ.get("TIGRIS_NODE", "node")
    env = dict(os.environ, NODE_PATH=os.environ.get("ORACLE_NODE_MODULES", ""))
    os.makedirs(a.work, exist_ok=True)
    names = a.models.split(",") if a.models else list(MODELS) + list(REFUSALS)
    failures = []
    for name in names:
        refusal = name in REFUSALS
        build, opset = (REFUSALS if refusal else MODELS)[name][:2]
        m = M(name, seed=sum(map(ord, name)), opset=opset)
        outputs, want_int8 = build(m)
        path = os.path.join(a.work, name + ".onnx")
        feeds = m.save(path, outputs)
        if refusal:
            words = REFUSALS[name][2]
            r = run([a.tigris, "compile", path, "-m", "64M", "-o", os.path.join(a.work, name + ".tgrs")], check=False)
            msg = r.stdout.strip().splitlines()[-1] if r.stdout.strip() else ""
            ok = r.returncode == 2 and all(w in r.stdout for w in words) and not os.path.exists(os.path.join(a.work, name + ".tgrs"))
            print(f"{name:22s} refused: exit {r.returncode}: {msg}  {'PASS' if ok else 'FAIL'}")
            if not ok:
                failures.append(f"{name}: expected exit 2 naming {words}, got {r.returncode}: {r.stdout}")
            continue
        ort_dir = os.path.join(a.work, name + ".ort")
        run([node, os.path.join(SRC, "test", "oracle", "run_ort.js"), path, ort_dir] + feeds, env=env)
        js = run([a.tigris, "analyze", path, "-m", "64M", "--json"]).stdout
        info = json.loads(js[js.index("{"):])
        results = {}
        for budget in ("64M", a.tiled):
            tag = os.path.join(a.work, name + "." + budget.replace("+", "_"))
            mem = sum([["-m", b] for b in budget.split("+")], [])
            run([a.tigris, "compile", path, "-o", tag + ".tgrs"] + mem)
            cmd = [a.tigris, "run", tag + ".tgrs", "-o", tag]
            for f in feeds:
                cmd += ["-i", f]
            run(cmd)
            results[budget] = [load(os.path.join(tag, f"output_{k}.pb")) for k in range(len(outputs))]
        line = []
        for k, o in enumerate(outputs):
            ref = load(os.path.join(ort_dir, f"output_{k}.pb"))
            ours = results["64M"][k]
            if ours.shape != ref.shape or ours.dtype != ref.dtype:
                failures.append(f"{name}: output {o.name} is {ours.dtype}{ours.shape}, onnxruntime's {ref.dtype}{ref.shape}")
                continue
            if ref.dtype == np.float32:
                err = float(np.abs(ours - ref).max() / max(1e-12, float(np.abs(ref).max())))
                line.append(f"{o.name}: rel {err:.1e}")
                if err > 1e-5:
                    failures.append(f"{name}: float output {o.name} rel err {err:.2e} > 1e-5")
            else:
                d = int(np.abs(ours.astype(np.int64) - ref.astype(np.int64)).max())
                n = int((ours != ref).sum())
                line.append(f"{o.name}: max {d} LSB ({n} of {ref.size} differ)")
                limit = 0 if ref.dtype == np.int32 else 1
                if d > limit:
                    failures.append(f"{name}: output {o.name} is {d} from onnxruntime (max {limit})")
            if not np.array_equal(results[a.tiled][k], ours):
                failures.append(f"{name}: output {o.name} at {a.tiled} differs from untiled")
        if info.get("int8_ops", 0) < want_int8:
            failures.append(f"{name}: {info.get('int8_ops')} int8 ops, expected at least {want_int8} (fell back to float?)")
        print(f"{name:22s} int8 ops {info.get('int8_ops', 0):2d}/{info['operators']:2d}  " + "; ".join(line))
    for f in failures:
        print("FAIL " + f)
    print(f"qop_ops: {len(names) - len({f.split(':')[0] for f in failures})} of {len(names)} models pass")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
