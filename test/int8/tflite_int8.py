"""A numpy model of TFLite's integer (int8/uint8) arithmetic, run on ONNX QDQ and QOperator graphs.

The int8 harness (layerwise.py) uses it as a candidate beside onnxruntime: onnxruntime emulates a
QDQ graph in float (dequantize, float op, quantize), TFLite computes the same graph in integers,
and the two differ by rounding. This module is written from the definitions of TFLite's
reference kernels (tensorflow/lite/kernels/internal/reference/integer_ops and gemmlowp's
fixed-point helpers), vectorized with numpy int64:

  SRDHM(a, b)        gemmlowp SaturatingRoundingDoublingHighMul: (a*b + nudge) / 2^31 truncated,
                     nudge 2^30 for a*b >= 0 else 1 - 2^30 (round half up); INT32_MAX for
                     INT32_MIN * INT32_MIN
  RDBPOT(x, e)       RoundingDivideByPOT: x / 2^e rounded half away from zero
  MBQM(x, m, s)      MultiplyByQuantizedMultiplier: RDBPOT(SRDHM(x * 2^max(s, 0), m), max(-s, 0)),
                     the left shift saturating at int32
  QuantizeMultiplier frexp of the double multiplier, Q31 mantissa rounded half away from zero
                     (a mantissa of 2^31 halves with the shift + 1), shift < -31 flushes to 0,
                     shift > 30 saturates

  Conv / depthwise / Gemm / MatMul (FullyConnected, BatchMatMul): int32 sum of
      (x - x_zp) * (w - w_zp[c]) + bias_q[c], then MBQM with QuantizeMultiplier(x_s * w_s[c] / y_s)
      (in double), + y_zp, clamped to the activation range (a Relu or Clip between the op and its Q
      becomes the clamp, its bounds quantized half away from zero as TFLite's
      CalculateActivationRangeQuantized; the output type's range otherwise)
  Add:        left_shift 20, inputs rescaled to 2 * max(a_s, b_s) by MBQM with multipliers < 1,
              the sum rescaled to y_s, + y_zp, clamped
  AveragePool (same input and output quantization, TFLite's only case): sum of the raw values over
              the window's valid taps, divided by their count rounded half away from zero
  Mean (GlobalAveragePool, ReduceMean over H, W) as TFLite Micro's integer Mean:
              MBQM(sum(x - x_zp), QuantizeMultiplier(x_s / y_s)), divided by the count rounded half
              away from zero, + y_zp
  MaxPool, Reshape, Flatten, Transpose, Squeeze, Unsqueeze, Pad (with the zero point):
              the integers moved as they are; with different input and output quantization
              TFLite's Requantize, MBQM(x - x_zp, QuantizeMultiplier(x_s / y_s)) + y_zp
  Float conversions (a float graph input's QuantizeLinear) and ops TFLite computes differently
  (Softmax, Sigmoid, ...): float-emulated in numpy like onnxruntime (np_onnx, float32); the
  group is reported as "float".

QOperator ops (QLinearConv incl. com.microsoft channels_last, QLinearMatMul, com.microsoft
QLinearAdd, QLinearGlobalAveragePool, QLinearAveragePool) use the same integer paths.

    outputs, how = run_model(model, feeds)    # how: {group output: "int:Conv" or "float:Softmax"}
"""

import os
import sys

import numpy as np
from onnx import helper

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tools", "models"))
import np_onnx  # noqa: E402
from gen_models import np_conv  # noqa: E402
import qgraph  # noqa: E402

INT32_MIN = -(1 << 31)
INT32_MAX = (1 << 31) - 1
QRANGE = {np.dtype(np.int8): (-128, 127), np.dtype(np.uint8): (0, 255)}


# --------------------------------------------------------------------------------------------
# Fixed-point primitives (int64 numpy arrays holding int32 values)
# --------------------------------------------------------------------------------------------

def quantize_multiplier(real):
    """TFLite QuantizeMultiplier(double) -> (int32 multiplier, shift)."""
    real = float(real)
    if real == 0.0:
        return 0, 0
    q, shift = np.frexp(real)
    q_fixed = int(np.floor(abs(q) * (1 << 31) + 0.5)) * (1 if q > 0 else -1)  # std::round: half away
    if abs(q_fixed) == 1 << 31:
        q_fixed //= 2
        shift += 1
    shift = int(shift)
    if shift < -31:
        return 0, 0
    if shift > 30:
        return INT32_MAX, 30
    return q_fixed, shift


def _trunc_div_pot(v, e):
    """v / 2^e truncated toward zero (C integer division)."""
    d = np.int64(1) << np.int64(e)
    return np.where(v >= 0, v // d, -((-v) // d))


def srdhm(a, b):
    a = np.asarray(a, np.int64)
    b = np.asarray(b, np.int64)
    ab = a * b
    nudge = np.where(ab >= 0, np.int64(1 << 30), np.int64(1 - (1 << 30)))
    r = _trunc_div_pot(ab + nudge, 31)
    return np.where((a == INT32_MIN) & (b == INT32_MIN), np.int64(INT32_MAX), r)


def rdbpot(x, e):
    x = np.asarray(x, np.int64)
    e = np.asarray(e, np.int64)
    mask = (np.int64(1) << e) - 1
    rem = x & mask
    thr = (mask >> 1) + (x < 0)
    return (x >> e) + (rem > thr)


def mbqm(x, m, s):
    """MultiplyByQuantizedMultiplier(x, m, s), elementwise with broadcasting."""
    s = np.asarray(s, np.int64)
    left = np.maximum(s, 0)
    right = np.maximum(-s, 0)
    xl = np.clip(np.asarray(x, np.int64) * (np.int64(1) << left), INT32_MIN, INT32_MAX)
    return rdbpot(srdhm(xl, m), right)


def multipliers(reals):
    """Per-channel (m, s) int64 arrays of QuantizeMultiplier over float64 `reals`."""
    ms = [quantize_multiplier(r) for r in np.asarray(reals, np.float64).reshape(-1)]
    return np.array([m for m, _ in ms], np.int64), np.array([s for _, s in ms], np.int64)


def round_div(acc, n):
    """acc / n rounded half away from zero (TFLite's pool and Mean division), n > 0."""
    acc = np.asarray(acc, np.int64)
    half = np.int64(n // 2)
    num = np.where(acc > 0, acc + half, acc - half)
    return np.where(num >= 0, num // n, -((-num) // n))


def tflite_round(v):
    """TfLiteRound / std::round: half away from zero."""
    return np.sign(v) * np.floor(np.abs(v) + 0.5)


# --------------------------------------------------------------------------------------------
# Integer ops (NCHW; integers in int64; outputs cast to their type by the caller)
# --------------------------------------------------------------------------------------------

def requant_out(acc, real, y_zp, lo, hi, axis=None, ndim=None):
    """MBQM(acc, QuantizeMultiplier(real[c])) + y_zp, clamped; `real` per channel along `axis`."""
    m, s = multipliers(real)
    if m.size > 1:
        shape = [1] * ndim
        shape[axis] = m.size
        m, s = m.reshape(shape), s.reshape(shape)
    else:
        m, s = m.reshape(()), s.reshape(())
    return np.clip(mbqm(acc, m, s) + int(y_zp), lo, hi)


def int_conv(x, x_zp, w, w_zp, bias, strides, pads, group):
    """int32 accumulators of sum (x - x_zp)(w - w_zp[m]) + bias[m] (exact in float64: every
    partial sum of 8-bit products over at most 2^15 taps is far below 2^53)."""
    xs = x.astype(np.float64) - float(x_zp)
    wz = np.asarray(w_zp, np.float64).reshape(-1, *([1] * (w.ndim - 1))) if np.size(w_zp) > 1 else float(w_zp)
    ws = w.astype(np.float64) - wz
    c, m = x.shape[1], w.shape[0]
    if group == 1 or (group == c and w.shape[1] == 1 and m == c):
        acc = np_conv(xs, ws, None, strides, pads, group)
    elif group == c and w.shape[1] == 1:  # depthwise with a channel multiplier
        mult = m // c
        xr = np.repeat(xs, mult, axis=1)
        acc = np_conv(xr, ws, None, strides, pads, m)
    else:  # grouped: one group-1 conv per group
        cg, mg = c // group, m // group
        acc = np.concatenate([np_conv(xs[:, i * cg:(i + 1) * cg], ws[i * mg:(i + 1) * mg], None, strides, pads, 1)
                              for i in range(group)], axis=1)
    acc = np.rint(acc).astype(np.int64)
    if bias is not None:
        acc = acc + np.asarray(bias, np.int64).reshape(1, -1, *([1] * (acc.ndim - 2)))
    return acc


def int_matmul(a, a_zp, b, b_zp, bias):
    """int32 accumulators of (a - a_zp) @ (b - b_zp[n]) + bias[n]; b is [K, N]."""
    bz = np.asarray(b_zp, np.float64).reshape(1, -1) if np.size(b_zp) > 1 else float(b_zp)
    acc = (a.astype(np.float64) - float(a_zp)) @ (b.astype(np.float64) - bz)
    acc = np.rint(acc).astype(np.int64)
    if bias is not None:
        acc = acc + np.asarray(bias, np.int64)
    return acc


def int_add(a, a_s, a_zp, b, b_s, b_zp, y_s, y_zp, lo, hi):
    left_shift = 20
    twice_max = 2.0 * max(float(a_s), float(b_s))
    m1, s1 = quantize_multiplier(float(a_s) / twice_max)
    m2, s2 = quantize_multiplier(float(b_s) / twice_max)
    mo, so = quantize_multiplier(twice_max / ((1 << left_shift) * float(y_s)))
    sa = mbqm((np.asarray(a, np.int64) - int(a_zp)) * (1 << left_shift), m1, s1)
    sb = mbqm((np.asarray(b, np.int64) - int(b_zp)) * (1 << left_shift), m2, s2)
    return np.clip(mbqm(sa + sb, mo, so) + int(y_zp), lo, hi)


def int_avgpool(x, kernel, strides, pads, count_include_pad):
    """TFLite AveragePool (same in/out quantization): rounded mean of the raw values over the
    valid taps (count_include_pad: all taps, the pads holding the zero point, are added by the caller)."""
    kh, kw = kernel
    sh, sw = strides
    t, l, b, r = pads
    xv = x.astype(np.int64)
    xp = np.pad(xv, ((0, 0), (0, 0), (t, b), (l, r)))
    ones = np.pad(np.ones(x.shape[2:], np.int64), ((t, b), (l, r)))
    win = np.lib.stride_tricks.sliding_window_view(xp, (kh, kw), axis=(2, 3))[:, :, ::sh, ::sw]
    cnt = np.lib.stride_tricks.sliding_window_view(ones, (kh, kw))[::sh, ::sw].sum(axis=(2, 3))
    total = win.sum(axis=(4, 5))
    if count_include_pad:
        return total, kh * kw
    return total, cnt


def int_mean(x, axes, x_s, x_zp, y_s, y_zp, lo, hi, keepdims):
    """TFLite Micro's integer Mean over `axes`."""
    n = int(np.prod([x.shape[a] for a in axes]))
    acc = (x.astype(np.int64) - int(x_zp)).sum(axis=tuple(axes), keepdims=keepdims)
    m, s = quantize_multiplier(float(x_s) / float(y_s))
    return np.clip(round_div(mbqm(acc, m, s), n) + int(y_zp), lo, hi)


def requantize(x, x_s, x_zp, y_s, y_zp, lo, hi):
    if float(x_s) == float(y_s) and int(x_zp) == int(y_zp):
        return np.clip(x.astype(np.int64), lo, hi)
    m, s = quantize_multiplier(float(x_s) / float(y_s))
    return np.clip(mbqm(x.astype(np.int64) - int(x_zp), m, s) + int(y_zp), lo, hi)


# --------------------------------------------------------------------------------------------
# Reading a group
# --------------------------------------------------------------------------------------------

def _attrs(node):
    return {a.name: helper.get_attribute_value(a) for a in node.attribute}


class Q:
    """A quantized operand: integer values, scale (scalar or per-axis), zero point, axis."""

    def __init__(self, v, scale, zp, axis=1):
        self.v = np.asarray(v)
        self.scale = np.asarray(scale, np.float32)
        self.zp = np.zeros(self.scale.shape, np.int64) if zp is None else np.asarray(zp).astype(np.int64)
        self.axis = axis


class Unsupported(Exception):
    pass


class Evaluator:
    """Values of a model's tensors: quantized activations from the integer paths (or given),
    everything else float-emulated (np_onnx, float32) node by node, on demand."""

    def __init__(self, model, feeds):
        self.qg = qgraph.QGraph(model)
        self.opset = np_onnx.default_opset(model)
        self.vals = dict(self.qg.inits)
        self.vals.update(feeds)
        self.how = {}

    def value(self, t):
        if t in self.vals:
            return self.vals[t]
        n = self.qg.producer[t]
        ins = [self.value(x) if x else None for x in n.input]
        if n.domain not in ("", "ai.onnx"):
            raise Unsupported("%s.%s outside a group" % (n.domain, n.op_type))
        outs = np_onnx._node(n, ins, self.opset, np.float32)
        for o, v in zip(n.output, outs):
            if o:
                self.vals[o] = v.astype(np.float32) if v.dtype.kind == "f" else v
        return self.vals[t]

    # -- operands ----------------------------------------------------------------------------
    def dq_operand(self, t):
        """The quantized operand behind float tensor t (the output of a DequantizeLinear)."""
        n = self.qg.producer.get(t)
        if n is None or n.op_type != "DequantizeLinear":
            return None
        zp = self.value(n.input[2]) if len(n.input) > 2 and n.input[2] else None
        return Q(self.value(n.input[0]), self.value(n.input[1]), zp, _attrs(n).get("axis", 1))

    def q_node(self, t):
        """The QuantizeLinear writing t and its (scale, zp, dtype)."""
        n = self.qg.producer[t]
        zp = self.value(n.input[2]) if len(n.input) > 2 and n.input[2] else np.zeros((), np.uint8)
        return n, np.asarray(self.value(n.input[1]), np.float32), zp

    # -- one group -----------------------------------------------------------------------------
    def run_group(self, g):
        out = g.output
        node = self.qg.producer[out]
        try:
            if node.op_type == "QuantizeLinear":
                v, how = self._qdq_group(node)
            else:
                v, how = self._qop_group(node)
        except Unsupported as e:
            v, how = None, "float:%s (%s)" % ("+".join(g.ops()), e)
        if v is None:
            v = self.value(out)  # float emulation of the whole group
            if not how.startswith("float"):
                how = "float:" + "+".join(g.ops())
        self.vals[out] = np.asarray(v).astype(self.qg.dtype[out])
        self.how[out] = how
        return self.vals[out]

    def _act_range(self, act, y_s, y_zp, dtype):
        lo, hi = QRANGE[np.dtype(dtype)]
        if act is None:
            return lo, hi
        if act.op_type == "Relu":
            return max(lo, int(y_zp)), hi
        a = _attrs(act)
        if self.opset < 11:
            fmin, fmax = a.get("min"), a.get("max")
        else:
            fmin = self.value(act.input[1]) if len(act.input) > 1 and act.input[1] else None
            fmax = self.value(act.input[2]) if len(act.input) > 2 and act.input[2] else None
        if fmin is not None:
            lo = max(lo, int(y_zp) + int(tflite_round(float(fmin) / float(y_s))))
        if fmax is not None:
            hi = min(hi, int(y_zp) + int(tflite_round(float(fmax) / float(y_s))))
        return lo, hi

    def _qdq_group(self, qn):
        y_s, y_zp = np.asarray(self.value(qn.input[1]), np.float32), self.value(qn.input[2])
        if y_s.size != 1:
            raise Unsupported("per-axis activation quantization")
        dtype = np.asarray(y_zp).dtype
        src = qn.input[0]
        p = self.qg.producer.get(src)
        if p is None:
            return None, "float:QuantizeLinear"
        act = None
        if p.op_type in ("Relu", "Clip"):
            act, p = p, self.qg.producer.get(p.input[0])
            if p is None:
                raise Unsupported("activation on a graph input")
        op = p.op_type
        a = _attrs(p)
        lo, hi = self._act_range(act, y_s, y_zp, dtype)
        if p.op_type == "DequantizeLinear" and act is not None:
            raise Unsupported("standalone activation")
        if op in ("Conv", "Gemm", "MatMul"):
            x = self.dq_operand(p.input[0])
            w = self.dq_operand(p.input[1])
            if x is None or w is None or x.scale.size != 1:
                raise Unsupported("%s input not dequantized per tensor" % op)
            bias = None
            if len(p.input) > 2 and p.input[2]:
                b = self.dq_operand(p.input[2])
                if b is not None:
                    if np.any(b.zp != 0):
                        raise Unsupported("bias with a zero point")
                    exp = (x.scale.astype(np.float32) * w.scale.astype(np.float32)).astype(np.float32)
                    if not np.allclose(b.scale, exp, rtol=1e-6, atol=0):
                        raise Unsupported("bias scale != x_scale * w_scale")
                    bias = b.v.astype(np.int64).reshape(-1)
                else:  # a float bias (QAT export): quantized as TFLite's converter would
                    bf = np.asarray(self.value(p.input[2]), np.float64).reshape(-1)
                    bs = (np.float64(x.scale) * w.scale.astype(np.float64)).reshape(-1)
                    bias = np.rint(bf / bs).astype(np.int64)
            xs = float(x.scale)
            if op == "Conv":
                if w.scale.size > 1 and w.axis % w.v.ndim != 0:
                    raise Unsupported("Conv weight quantized along axis %d" % w.axis)
                if any(d != 1 for d in a.get("dilations", [1, 1])) or len(w.v.shape) != 4:
                    raise Unsupported("dilated or non-2-D Conv")
                if a.get("auto_pad", b"NOTSET") not in (b"NOTSET", "NOTSET"):
                    raise Unsupported("auto_pad")
                acc = int_conv(x.v, int(x.zp), w.v, w.zp.reshape(-1), bias, tuple(a.get("strides", [1, 1])),
                               list(a.get("pads", [0, 0, 0, 0])), a.get("group", 1))
                real = xs * w.scale.astype(np.float64).reshape(-1) / float(y_s)
                return requant_out(acc, real, y_zp, lo, hi, axis=1, ndim=4), "int:Conv"
            # Gemm / MatMul: B as [K, N], per-column params
            bm, bz = w.v, w.zp.reshape(-1)
            per_col = w.scale.size > 1
            if op == "Gemm":
                if a.get("transA", 0) or a.get("alpha", 1.0) != 1.0 or a.get("beta", 1.0) != 1.0:
                    raise Unsupported("Gemm with transA/alpha/beta")
                if a.get("transB", 0):
                    bm = bm.T
                    if per_col and w.axis % 2 != 0:
                        raise Unsupported("Gemm weight per-channel along K")
                elif per_col and w.axis % 2 != 1:
                    raise Unsupported("Gemm weight per-channel along K")
            elif per_col and w.axis % 2 != 1:
                raise Unsupported("MatMul weight per-channel along K")
            if x.v.ndim != 2:
                raise Unsupported("batched MatMul")
            acc = int_matmul(x.v, int(x.zp), bm, bz, bias)
            real = xs * w.scale.astype(np.float64).reshape(-1) / float(y_s)
            return requant_out(acc, real, y_zp, lo, hi, axis=1, ndim=2), "int:" + op
        if op == "Add":
            qa, qb = self.dq_operand(p.input[0]), self.dq_operand(p.input[1])
            if qa is None or qb is None or qa.scale.size != 1 or qb.scale.size != 1:
                raise Unsupported("Add of a non-dequantized operand")
            return int_add(qa.v, qa.scale, qa.zp, qb.v, qb.scale, qb.zp, y_s, y_zp, lo, hi), "int:Add"
        if op == "AveragePool":
            x = self.dq_operand(p.input[0])
            return self._avgpool(x, a, y_s, y_zp, lo, hi), "int:AveragePool"
        if op in ("GlobalAveragePool", "ReduceMean"):
            x = self.dq_operand(p.input[0])
            if x is None:
                raise Unsupported("mean of a non-dequantized input")
            if op == "GlobalAveragePool":
                axes, keep = list(range(2, x.v.ndim)), True
            else:
                axes = [int(i) % x.v.ndim for i in a.get("axes", range(x.v.ndim))]
                keep = bool(a.get("keepdims", 1))
            return int_mean(x.v, axes, x.scale, x.zp, y_s, y_zp, lo, hi, keep), "int:" + op
        if op in ("MaxPool", "Reshape", "Flatten", "Transpose", "Squeeze", "Unsqueeze", "Identity", "Pad"):
            x = self.dq_operand(p.input[0])
            if x is None or x.scale.size != 1:
                raise Unsupported("data movement of a non-dequantized input")
            v = self._move(p, x)
            return requantize(v, x.scale, x.zp, y_s, y_zp, lo, hi), "int:" + op
        raise Unsupported("no integer model of %s" % op)

    def _move(self, p, x):
        """The data-movement op on the integers (pads hold the zero point, max ignores them)."""
        op, a = p.op_type, _attrs(p)
        v = x.v.astype(np.int64)
        if op == "MaxPool":
            if a.get("ceil_mode", 0) or any(d != 1 for d in a.get("dilations", [1, 1])):
                raise Unsupported("MaxPool ceil_mode/dilations")
            kh, kw = a["kernel_shape"]
            sh, sw = a.get("strides", [1, 1])
            t, l, b, r = a.get("pads", [0, 0, 0, 0])
            vp = np.pad(v, ((0, 0), (0, 0), (t, b), (l, r)), constant_values=np.iinfo(np.int64).min)
            win = np.lib.stride_tricks.sliding_window_view(vp, (kh, kw), axis=(2, 3))[:, :, ::sh, ::sw]
            return win.max(axis=(4, 5))
        if op == "Pad":
            if a.get("mode", b"constant") not in (b"constant", "constant"):
                raise Unsupported("Pad mode")
            pads = [int(i) for i in self.value(p.input[1])]
            if len(p.input) > 2 and p.input[2] and float(self.value(p.input[2])) != 0.0:
                raise Unsupported("Pad with a nonzero value")
            n = v.ndim
            return np.pad(v, [(pads[i], pads[i + n]) for i in range(n)], constant_values=int(x.zp))
        ins = [v] + [self.value(t) if t else None for t in p.input[1:]]
        return np_onnx._node(p, ins, self.opset, np.float32)[0]

    def _avgpool(self, x, a, y_s, y_zp, lo, hi):
        if x is None or x.scale.size != 1:
            raise Unsupported("AveragePool of a non-dequantized input")
        if a.get("ceil_mode", 0) or len(a["kernel_shape"]) != 2:
            raise Unsupported("AveragePool ceil_mode or not 2-D")
        cip = a.get("count_include_pad", 0)
        v = x.v.astype(np.int64)
        if cip:
            v = v - int(x.zp)  # padded taps hold the zero point: sum (x - zp) over all taps
        total, cnt = int_avgpool(v, a["kernel_shape"], a.get("strides", [1, 1]), a.get("pads", [0, 0, 0, 0]), cip)
        if float(x.scale) == float(y_s) and int(x.zp) == int(y_zp) and not cip:
            return np.clip(round_div_arr(total, cnt), lo, hi)  # TFLite's case
        if not cip:
            total = total - int(x.zp) * cnt
        m, s = quantize_multiplier(float(x.scale) / float(y_s))
        return np.clip(round_div_arr(mbqm(total, m, s), cnt) + int(y_zp), lo, hi)

    # -- QOperator ops ---------------------------------------------------------------------------
    def _qop_group(self, n):
        op = n.op_type
        a = _attrs(n)
        v = [self.value(t) if t else None for t in n.input]
        dtype = self.qg.dtype[n.output[0]]
        if dtype not in qgraph.QUANT_DTYPES:
            raise Unsupported("output type %s" % dtype)
        lo, hi = QRANGE[np.dtype(dtype)]
        cl = a.get("channels_last", 0)

        def to_nchw(t):
            return np.moveaxis(t, -1, 1) if cl else t

        def from_nchw(t):
            return np.moveaxis(t, 1, -1) if cl else t

        if op == "QLinearConv":
            x, xs, xz, w, ws, wz, ys, yz = v[:8]
            bias = v[8] if len(v) > 8 else None
            if any(d != 1 for d in a.get("dilations", [1, 1])) or w.ndim != 4:
                raise Unsupported("dilated or non-2-D QLinearConv")
            if a.get("auto_pad", b"NOTSET") not in (b"NOTSET", "NOTSET"):
                raise Unsupported("auto_pad")
            acc = int_conv(to_nchw(x), int(xz), w, np.asarray(wz).reshape(-1), bias, tuple(a.get("strides", [1, 1])),
                           list(a.get("pads", [0, 0, 0, 0])), a.get("group", 1))
            real = float(xs) * np.asarray(ws, np.float64).reshape(-1) / float(ys)
            return from_nchw(requant_out(acc, real, yz, lo, hi, axis=1, ndim=4)), "int:QLinearConv"
        if op == "QLinearMatMul":
            x, xs, xz, w, ws, wz, ys, yz = v[:8]
            if x.ndim != 2 or w.ndim != 2:
                raise Unsupported("batched QLinearMatMul")
            acc = int_matmul(x, int(xz), w, np.asarray(wz).reshape(-1), None)
            real = float(xs) * np.asarray(ws, np.float64).reshape(-1) / float(ys)
            return requant_out(acc, real, yz, lo, hi, axis=1, ndim=2), "int:QLinearMatMul"
        if op == "QLinearAdd":
            av, as_, az, bv, bs, bz, ys, yz = v[:8]
            return int_add(av, as_, az, bv, bs, bz, ys, yz, lo, hi), "int:QLinearAdd"
        if op == "QLinearGlobalAveragePool":
            x, xs, xz, ys, yz = v[:5]
            xn = to_nchw(x)
            return from_nchw(int_mean(xn, list(range(2, xn.ndim)), xs, xz, ys, yz, lo, hi, True)), \
                "int:QLinearGlobalAveragePool"
        if op == "QLinearAveragePool":
            x, xs, xz, ys, yz = v[:5]
            y = self._avgpool(Q(to_nchw(x), xs, xz), a, ys, yz, lo, hi)
            return from_nchw(y), "int:QLinearAveragePool"
        if op in ("Transpose", "Reshape", "Flatten", "Squeeze", "Unsqueeze", "Identity", "MaxPool"):
            if op == "MaxPool":
                return self._move(n, Q(v[0], 1.0, 0)), "int:MaxPool"
            return np_onnx._node(n, v, self.opset, np.float32)[0], "int:" + op
        raise Unsupported("no integer model of %s" % qgraph.op_key(n))


def round_div_arr(total, cnt):
    """round_div with a per-position count (an array broadcast over N, C) or an int."""
    total = np.asarray(total, np.int64)
    cnt = np.broadcast_to(np.asarray(cnt, np.int64), total.shape)
    half = cnt // 2
    num = np.where(total > 0, total + half, total - half)
    return np.where(num >= 0, num // cnt, -((-num) // cnt))


def run_model(model, feeds):
    """Runs `model` (QDQ or QOperator): every group by its integer path (or float emulation
    where there is none), everything else float-emulated. Returns ({output: value}, how)."""
    ev = Evaluator(model, feeds)
    for g in ev.qg.groups:
        ev.run_group(g)
    outs = {o: ev.value(o) for o in ev.qg.outputs}
    return outs, ev.how
