#!/usr/bin/python3
# Builds the int8 test models of TiGrIS (issue 8) from the project's own float generators
# (gen_models.py, gen_import_models.py): statically quantized QDQ graphs laid out the way
# onnxruntime's quantize_static and the TFLite converters write them, a uint8 QAT-style export,
# an onnxruntime-optimized QOperator (com.microsoft, NHWC) variant and a weight-only model.
# Calibration is our own numpy min/max over a few deterministic inputs (np_onnx.py).
"""Generate the TiGrIS int8 test models.

Usage: /usr/bin/python3 tools/models/gen_qdq_models.py OUTDIR [--models a,b] [--list]
           [--quality --modules NODE_MODULES] [--percentile P]

For every model NAME this writes
  OUTDIR/NAME.onnx               the quantized model (opset 13; the QOperator one adds com.microsoft)
  OUTDIR/NAME.input_0.pb         one deterministic input (ONNX TensorProto), the layout of
                                 gen_models.py, so test/e2e/run_e2e.sh and test/int8/ run it
  OUTDIR/NAME.float.onnx         the float model it was quantized from, as its generator wrote it
  OUTDIR/NAME.data/calib_<k>.pb  the calibration inputs (k < 8), eval_<k>.pb held-out inputs
                                 (k < 16, eval_0 = input_0); for a model with a quantized input
                                 also *.float.pb, the same inputs dequantized for the float model

Quantization (what the models look like):
  weights      int8, symmetric, per output channel: DequantizeLinear(w_q, scale[M], zp=0, axis)
               with axis 0 for Conv and Gemm(transB=1), 1 for Gemm(transB=0) and MatMul;
               scale = max|w| / 127 (TFLite's narrow range, values in [-127, 127])
  bias         int32, DequantizeLinear(b_q, x_scale * w_scale[M], 0, axis=0)
  activations  per tensor, asymmetric, from the calibrated [min(lo, 0), max(hi, 0)]:
               scale = (hi - lo) / 255, zp = round(qmin - lo / scale); every quantizable op's output
               gets QuantizeLinear -> DequantizeLinear, its consumers read the shared DequantizeLinear
  data movement MaxPool, AveragePool, Reshape, Flatten, Transpose, Pad keep their input's
               (scale, zp), as onnxruntime's quantizer does; Softmax outputs scale 1/256, zp -128
               (uint8: 0), TFLite's fixed output quantization
  BatchNormalization is folded into the Conv before quantizing (as both quantizers do); an
  exported Dropout/Identity is dropped.

Models (--list):
  ds_cnn_int8            gen_models ds_cnn; Relu kept between Conv and QuantizeLinear
                         (DQ -> Conv -> Relu -> Q, the TFLite/tf2onnx layout); float in, float out
  mobilenet_v1_128_int8  gen_models mobilenet_v1 (1.0, 128x128); ReLU6 kept as Clip (min/max
                         inputs) before each Q; Gemm transB=0, so per-channel weights on axis 1
  mobilenet_v2_224_int8  gen_models mobilenet_v2 (1.0, 224x224); onnxruntime's layout: Relu/Clip
                         removed, the Conv's Q takes the activation's calibrated range; residual
                         Adds of two quantized inputs with their own scales; Shape-based flatten
  tf2onnx_qat_uint8      gen_import_models tf2onnx_style as a QAT export writes it: uint8 NHWC
                         input (scale 1/128, zp 128: the input QuantizeLinear fused into the input),
                         uint8 activations, ReLU6 outputs at the fixed QAT range [0, 6], float
                         weights fake-quantized in the graph (QuantizeLinear -> DequantizeLinear,
                         per channel), float Conv biases, quantized uint8 output (the Softmax's Q)
  ds_cnn_qop_int8        ds_cnn in QOperator form as onnxruntime's optimizer writes it: NHWC
                         com.microsoft QLinearConv (channels_last=1) between Transposes,
                         com.microsoft QLinearGlobalAveragePool (channels_last=1), QLinearMatMul,
                         com.microsoft QLinearAdd for the bias, DequantizeLinear -> Softmax
  ds_cnn_wo_int8         weight-only: int8 per-channel Conv weights and a uint8 per-tensor
                         (zp != 0) Gemm weight through DequantizeLinear, float activations and biases

--quality runs onnxruntime (node, run_ort.js batch mode; NODE_MODULES holds onnxruntime-node) on
the float and the quantized model over the calibration and eval inputs and prints top-1
agreement and the relative error max|q - f| / max|f| of the output; it fails when the quantized
model is broken (top-1 agreement below QUALITY_MIN_TOP1 on the eval inputs, or a median relative
error above QUALITY_MAX_REL).

Determinism: weights come from the float generators' seeds, inputs from fixed seeds here; the
calibration ranges come from a float64 numpy pass (like gen_models.py's BN statistics, another
machine's BLAS could move a range by an ulp). On one machine the output is byte-identical.
"""

import argparse
import collections
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen_import_models  # noqa: E402
import gen_models  # noqa: E402
import np_onnx  # noqa: E402

F32 = np.float32
OPSET = 13
N_CALIB = 8
N_EVAL = 16
QUALITY_MIN_TOP5 = 0.75  # eval inputs whose float top-1 is in the quantized top-5
QUALITY_MAX_REL = 0.5    # median max|q - f| / max|f| over the eval inputs
MS_DOMAIN = "com.microsoft"

QRANGE = {np.dtype(np.int8): (-128, 127), np.dtype(np.uint8): (0, 255)}
ONNX_OF = {np.dtype(np.int8): TensorProto.INT8, np.dtype(np.uint8): TensorProto.UINT8,
           np.dtype(np.int32): TensorProto.INT32, np.dtype(np.float32): TensorProto.FLOAT,
           np.dtype(np.int64): TensorProto.INT64}

# ops whose output keeps the (scale, zp) of their first input
DIRECT_OPS = {"MaxPool", "AveragePool", "Reshape", "Flatten", "Transpose", "Pad", "Squeeze", "Unsqueeze"}
# activations that may be removed (onnxruntime) or kept right before the Q (TFLite/tf2onnx)
ACTIVATIONS = {"Relu", "Clip"}
# producers an activation fuses into
FUSES_ACT = {"Conv", "Gemm", "MatMul", "Add"}
SHAPE_OPS = {"Shape", "Gather", "Unsqueeze", "Concat", "Constant"}


# --------------------------------------------------------------------------------------------
# The float graph: opset 13, BatchNormalization folded, Dropout/Identity dropped
# --------------------------------------------------------------------------------------------

class FloatGraph:
    """A float model reduced to what the quantizers see: nodes (NodeProto), initializers (numpy),
    one graph input, the graph outputs. Built from a generator's ModelProto."""

    def __init__(self, model):
        g = model.graph
        opset = np_onnx.default_opset(model)
        self.inits = collections.OrderedDict((t.name, numpy_helper.to_array(t)) for t in g.initializer)
        init_names = set(self.inits)
        real_inputs = [i for i in g.input if i.name not in init_names]
        assert len(real_inputs) == 1, "one graph input expected"
        vi = real_inputs[0]
        self.input = vi.name
        self.input_shape = [d.dim_value for d in vi.type.tensor_type.shape.dim]
        self.outputs = [o.name for o in g.output]
        self.output_shapes = {o.name: [d.dim_value if d.HasField("dim_value") else d.dim_param
                                       for d in o.type.tensor_type.shape.dim] for o in g.output}
        consumers = collections.defaultdict(list)
        for n in g.node:
            for t in n.input:
                consumers[t].append(n)
        alias = {}
        nodes = []
        by_output = {}
        for n in g.node:
            ins = [alias.get(t, t) for t in n.input]
            if n.op_type in ("Identity", "Dropout"):
                assert n.output[0] not in self.outputs, "an Identity graph output"
                alias[n.output[0]] = ins[0]
                continue
            if n.op_type == "BatchNormalization":
                conv = by_output.get(ins[0])
                assert conv is not None and conv.op_type == "Conv" and len(consumers[n.input[0]]) == 1, \
                    "BatchNormalization must follow a Conv it can fold into"
                self._fold_bn(conv, n, ins)
                continue
            a = {x.name: helper.get_attribute_value(x) for x in n.attribute}
            if n.op_type == "Clip" and opset < 11:
                lo = self._const(n.name + ".min", np.array(a.get("min", -3.4e38), F32))
                hi = self._const(n.name + ".max", np.array(a.get("max", 3.4e38), F32))
                nn = helper.make_node("Clip", [ins[0], lo, hi], list(n.output), name=n.name)
            elif n.op_type in ("Squeeze", "Unsqueeze", "ReduceMean", "Split") and opset < 13 and "axes" in a:
                raise NotImplementedError("%s with attribute axes below opset 13" % n.op_type)
            else:
                nn = helper.make_node(n.op_type, ins, list(n.output), name=n.name, domain=n.domain)
                nn.attribute.extend(n.attribute)
            nodes.append(nn)
            for o in nn.output:
                by_output[o] = nn
        self.nodes = nodes

    def _const(self, name, array):
        k, base = 1, name
        while name in self.inits:
            name = "%s_%d" % (base, k)
            k += 1
        self.inits[name] = array
        return name

    def _fold_bn(self, conv, bn, ins):
        eps = 1e-5
        for x in bn.attribute:
            if x.name == "epsilon":
                eps = x.f
        gamma, beta, mean, var = (self.inits[t].astype(np.float64) for t in ins[1:5])
        s = gamma / np.sqrt(var + np.float64(F32(eps)))
        w = self.inits[conv.input[1]].astype(np.float64)
        b = self.inits[conv.input[2]].astype(np.float64) if len(conv.input) > 2 else np.zeros(w.shape[0])
        self.inits[conv.input[1]] = (w * s.reshape(-1, 1, 1, 1)).astype(F32)
        bias = ((b - mean) * s + beta).astype(F32)
        if len(conv.input) > 2:
            self.inits[conv.input[2]] = bias
        else:
            base = conv.input[1][:-len(".weight")] if conv.input[1].endswith(".weight") else conv.input[1]
            conv.input.append(self._const(base + ".bias", bias))
        conv.output[0] = bn.output[0]

    def model(self, name):
        """The folded float graph as an ONNX model (opset 13), for calibration."""
        inits = [numpy_helper.from_array(v, k) for k, v in self.inits.items()]
        g = helper.make_graph(self.nodes, name, [helper.make_tensor_value_info(
            self.input, TensorProto.FLOAT, self.input_shape)],
            [helper.make_tensor_value_info(o, TensorProto.FLOAT, None) for o in self.outputs], inits)
        m = helper.make_model(g, opset_imports=[helper.make_opsetid("", OPSET)])
        m.ir_version = 7
        return m

    def consumers(self):
        c = collections.defaultdict(list)
        for n in self.nodes:
            for t in n.input:
                c[t].append(n)
        return c


def calibrate(fg, inputs, percentile=None):
    """{tensor: (lo, hi, is_float)} of every tensor of the folded float graph over `inputs`:
    min and max over all inputs, or with `percentile` (e.g. 99.99) the mean over the inputs of
    each input's (100 - p)th and pth percentile (outliers clipped, finer steps for the rest)."""
    model = fg.model("calib")
    acc = {}

    def hook(name, v):
        if not isinstance(v, np.ndarray) or v.dtype.kind != "f":
            acc.setdefault(name, None)
            return
        if percentile is None:
            lo, hi = float(v.min()), float(v.max())
        else:
            lo, hi = (float(q) for q in np.percentile(v, [100.0 - percentile, percentile]))
        acc.setdefault(name, []).append((lo, hi))

    for x in inputs:
        hook(fg.input, x.astype(np.float64))
        np_onnx.run(model, {fg.input: x}, hook=hook)
    ranges = {}
    for name, v in acc.items():
        if v is None:
            ranges[name] = (0.0, 0.0, False)
        elif percentile is None:
            ranges[name] = (min(a for a, _ in v), max(b for _, b in v), True)
        else:
            ranges[name] = (float(np.mean([a for a, _ in v])), float(np.mean([b for _, b in v])), True)
    return ranges


# --------------------------------------------------------------------------------------------
# Quantization parameters
# --------------------------------------------------------------------------------------------

def act_qparams(lo, hi, dtype):
    """Per-tensor asymmetric (scale float32, zero point of `dtype`) covering [min(lo,0), max(hi,0)]."""
    qmin, qmax = QRANGE[np.dtype(dtype)]
    lo, hi = min(lo, 0.0), max(hi, 0.0)
    if hi - lo < 1e-12:
        return F32(1.0), np.array(qmin if lo >= 0 else 0, dtype)
    scale = F32((hi - lo) / (qmax - qmin))
    zp = int(np.clip(np.rint(qmin - lo / np.float64(scale)), qmin, qmax))
    return scale, np.array(zp, dtype)


def weight_qparams(w, axis):
    """Per-channel symmetric int8 along `axis`: (w_q int8, scale float32 [C])."""
    red = tuple(i for i in range(w.ndim) if i != axis)
    absmax = np.abs(w.astype(np.float64)).max(axis=red)
    scale = np.where(absmax > 0, absmax / 127.0, 1.0).astype(F32)
    shape = [1] * w.ndim
    shape[axis] = -1
    q = np.clip(np.rint(w.astype(np.float64) / scale.reshape(shape).astype(np.float64)), -127, 127)
    return q.astype(np.int8), scale


def bias_quant(b, x_scale, w_scale):
    s = (F32(x_scale) * w_scale.astype(F32)).astype(F32)  # float32 product, as onnxruntime's quantizer
    q = np.clip(np.rint(b.astype(np.float64) / s.astype(np.float64)), -2**31, 2**31 - 1).astype(np.int32)
    return q, s


Config = collections.namedtuple("Config", [
    "act_dtype",    # np.int8 or np.uint8
    "fuse_act",     # "keep": Conv -> Relu/Clip -> Q; "remove": the Conv's Q takes the activation's range
    "input_mode",   # "float": float input -> Q; "quantized": the graph input is already act_dtype
    "input_qparams",  # (scale, zp) of a quantized input, else None
    "output_mode",  # "float": Q -> DQ -> graph output; "quantized": the Q is the graph output
    "weights",      # "int8": int8 initializers; "qat": float initializer -> Q -> DQ
    "bias",         # "int32": DQ of an int32 initializer; "float": the float initializer as is
    "relu6_range",  # "calibrated" or "fixed" ([0, 6] for Clip(0, 6) outputs, as QAT ranges are)
])


class QdqWriter:
    """Writes a QDQ graph from a FloatGraph, its calibration ranges and a Config."""

    def __init__(self, fg, ranges, cfg):
        self.fg, self.ranges, self.cfg = fg, ranges, cfg
        self.nodes, self.inits = [], collections.OrderedDict()
        self.qp = {}       # float tensor name -> (scale, zp) of its quantization
        self.deq = {}      # float tensor name -> name of its DequantizeLinear output

    # -- helpers -----------------------------------------------------------------------------
    def const(self, name, array):
        """Adds an initializer; the same name with the same value is shared."""
        array = np.array(array, order="C")
        k, base = 1, name
        while name in self.inits:
            old = self.inits[name]
            if old.dtype == array.dtype and old.shape == array.shape and np.array_equal(old, array):
                return name
            name = "%s_%d" % (base, k)
            k += 1
        self.inits[name] = array
        return name

    def node(self, op, ins, outs, name, domain="", **attrs):
        self.nodes.append(helper.make_node(op, ins, outs, name=name, domain=domain, **attrs))

    def qdq_consts(self, t, scale, zp):
        return self.const(t + "_scale", np.array(scale, F32)), self.const(t + "_zero_point", zp)

    def emit_q(self, t, src, scale, zp, q_name=None):
        s, z = self.qdq_consts(t, scale, zp)
        q = q_name or t + "_quantized"
        self.node("QuantizeLinear", [src, s, z], [q], t + "_QuantizeLinear")
        return q, s, z

    def emit_dq(self, t, q, s, z, dq_name=None):
        dq = dq_name or t + "_dequantized"
        self.node("DequantizeLinear", [q, s, z], [dq], t + "_DequantizeLinear")
        return dq

    def activation_range(self, t, producer):
        lo, hi, _ = self.ranges[t]
        if self.cfg.relu6_range == "fixed" and producer is not None and producer.op_type == "Clip":
            lo, hi = 0.0, 6.0
        return lo, hi

    def weight_dq(self, w_name, axis):
        w = self.fg.inits[w_name]
        w_q, w_s = weight_qparams(w, axis)
        zp = np.zeros(w_s.shape, np.int8)
        s = self.const(w_name + "_scale", w_s)
        z = self.const(w_name + "_zero_point", zp)
        if self.cfg.weights == "qat":  # fake quantization as a QAT export writes it
            wf = self.const(w_name, w.astype(F32))
            q = w_name + "_quantized"
            self.node("QuantizeLinear", [wf, s, z], [q], w_name + "_QuantizeLinear", axis=axis)
        else:
            q = self.const(w_name + "_quantized", w_q)
        dq = w_name + "_dequantized"
        self.node("DequantizeLinear", [q, s, z], [dq], w_name + "_DequantizeLinear", axis=axis)
        return dq, w_s

    def bias_dq(self, b_name, x_scale, w_scale):
        b = self.fg.inits[b_name]
        if self.cfg.bias == "float":
            return self.const(b_name, b.astype(F32))
        b_q, b_s = bias_quant(b, x_scale, w_scale)
        q = self.const(b_name + "_quantized", b_q)
        s = self.const(b_name + "_scale", b_s)
        z = self.const(b_name + "_zero_point", np.zeros(b_s.shape, np.int32))
        dq = b_name + "_dequantized"
        self.node("DequantizeLinear", [q, s, z], [dq], b_name + "_DequantizeLinear", axis=0)
        return dq

    # -- the graph -----------------------------------------------------------------------------
    def write(self, name, doc):
        fg, cfg = self.fg, self.cfg
        cons = fg.consumers()
        producer = {o: n for n in fg.nodes for o in n.output}
        float_t = {t for t, r in self.ranges.items() if r[2]}

        # Which float tensors get a Q/DQ pair, and which activations disappear.
        skip, alias = set(), {}
        for n in fg.nodes:
            p = producer.get(n.input[0]) if n.input else None
            if (n.op_type in ACTIVATIONS and p is not None and p.op_type in FUSES_ACT
                    and len(cons[n.input[0]]) == 1 and n.input[0] not in fg.outputs):
                if cfg.fuse_act == "remove":
                    skip.add(n.name)
                    alias[n.output[0]] = n.input[0]
                else:
                    self.qp[n.input[0]] = None  # Conv -> Relu -> Q: the Conv output stays float

        # graph input
        if cfg.input_mode == "float":
            s, z = act_qparams(*self.ranges[fg.input][:2], cfg.act_dtype)
            self.qp[fg.input] = (s, z)
            q, sn, zn = self.emit_q(fg.input, fg.input, s, z)
            self.deq[fg.input] = self.emit_dq(fg.input, q, sn, zn)
            in_vi = helper.make_tensor_value_info(fg.input, TensorProto.FLOAT, fg.input_shape)
        else:
            s, z = cfg.input_qparams
            self.qp[fg.input] = (F32(s), np.array(z, cfg.act_dtype))
            sn, zn = self.qdq_consts(fg.input, *self.qp[fg.input])
            self.deq[fg.input] = self.emit_dq(fg.input, fg.input, sn, zn)
            in_vi = helper.make_tensor_value_info(fg.input, ONNX_OF[np.dtype(cfg.act_dtype)], fg.input_shape)

        out_vis = []
        for n in fg.nodes:
            if n.name in skip:
                continue
            op = n.op_type
            a = {x.name: helper.get_attribute_value(x) for x in n.attribute}
            out = n.output[0]
            # the tensor whose range this output's quantization takes (the removed activation's)
            range_t = next((k for k, v in alias.items() if v == out), out)

            def inp(t):
                t = alias.get(t, t)
                return self.deq.get(t, t)

            ins = [inp(t) for t in n.input]
            if op in ("Conv", "Gemm", "MatMul") and n.input[1] in fg.inits:
                x = alias.get(n.input[0], n.input[0])
                x_scale = self.qp[x][0]
                axis = 0
                if op == "MatMul" or op == "Gemm" and not a.get("transB", 0):
                    axis = 1
                ins[1], w_scale = self.weight_dq(n.input[1], axis)
                if len(n.input) > 2 and n.input[2]:
                    ins[2] = self.bias_dq(n.input[2], x_scale, w_scale)
            else:
                for k, t in enumerate(n.input):
                    if t in fg.inits and fg.inits[t].dtype.kind == "f" and op in ("Add", "Mul"):
                        # a constant operand of an elementwise op: quantized per tensor like an activation
                        v = fg.inits[t]
                        s, z = act_qparams(float(v.min()), float(v.max()), cfg.act_dtype)
                        sn, zn = self.qdq_consts(t, s, z)
                        if cfg.weights == "qat":
                            q = t + "_quantized"
                            self.node("QuantizeLinear", [self.const(t, v), sn, zn], [q], t + "_QuantizeLinear")
                        else:
                            q = self.const(t + "_quantized", np_onnx.quantize_linear(v, s, z, dtype=np.float32))
                        ins[k] = self.emit_dq(t, q, sn, zn)
                    elif t in fg.inits:
                        ins[k] = self.const(t, fg.inits[t])

            quantize_out = out in float_t and self.qp.get(out, ()) is not None and op not in SHAPE_OPS
            is_graph_out = out in fg.outputs or range_t in fg.outputs
            gname = range_t if range_t in fg.outputs else out
            node_out = out
            if quantize_out and is_graph_out:
                node_out = gname + "_float"
            elif is_graph_out:
                node_out = gname
            nn = helper.make_node(op, ins, [node_out] + list(n.output[1:]), name=n.name, domain=n.domain)
            nn.attribute.extend(n.attribute)
            self.nodes.append(nn)
            if not quantize_out:
                if is_graph_out:
                    out_vis.append(helper.make_tensor_value_info(gname, TensorProto.FLOAT, fg.output_shapes[gname]))
                continue
            if op in DIRECT_OPS:
                s, z = self.qp[alias.get(n.input[0], n.input[0])]
            elif op == "Softmax":
                s, z = F32(1.0 / 256), np.array(-128 if cfg.act_dtype == np.int8 else 0, cfg.act_dtype)
            else:
                s, z = act_qparams(*self.activation_range(range_t, producer.get(range_t)), cfg.act_dtype)
            self.qp[out] = (s, z)
            if is_graph_out and cfg.output_mode == "quantized":
                self.emit_q(out, node_out, s, z, q_name=gname)
                out_vis.append(helper.make_tensor_value_info(gname, ONNX_OF[np.dtype(cfg.act_dtype)],
                                                             fg.output_shapes[gname]))
                continue
            q, sn, zn = self.emit_q(out, node_out, s, z)
            self.deq[out] = self.emit_dq(out, q, sn, zn, dq_name=gname if is_graph_out else None)
            if is_graph_out:
                out_vis.append(helper.make_tensor_value_info(gname, TensorProto.FLOAT, fg.output_shapes[gname]))

        inits = [numpy_helper.from_array(v, k) for k, v in self.inits.items()]
        g = helper.make_graph(self.nodes, name, [in_vi], out_vis, inits)
        m = helper.make_model(g, opset_imports=[helper.make_opsetid("", OPSET)],
                              producer_name="tigris-gen_qdq_models", producer_version="1")
        m.ir_version = 7
        m.doc_string = doc
        return prune(m)


def float_outputs(fg):
    return [helper.make_tensor_value_info(o, TensorProto.FLOAT, fg.output_shapes[o]) for o in fg.outputs]


def prune(model):
    """Drops initializers no node reads (e.g. a float bias replaced by its quantized form)."""
    used = {t for n in model.graph.node for t in n.input}
    keep = [t for t in model.graph.initializer if t.name in used]
    del model.graph.initializer[:]
    model.graph.initializer.extend(keep)
    return model


# --------------------------------------------------------------------------------------------
# Weight-only and QOperator forms
# --------------------------------------------------------------------------------------------

def write_weight_only(fg, name, doc):
    """Float activations; Conv weights int8 per channel, Gemm weights uint8 per tensor (zp != 0)."""
    w = QdqWriter(fg, {}, Config(np.int8, "keep", "float", None, "float", "int8", "float", "calibrated"))
    for n in fg.nodes:
        ins = list(n.input)
        if n.op_type == "Conv":
            ins[1], _ = w.weight_dq(n.input[1], 0)
        elif n.op_type == "Gemm":
            v = fg.inits[n.input[1]]
            s, z = act_qparams(float(v.min()), float(v.max()), np.uint8)
            q = w.const(n.input[1] + "_quantized", np_onnx.quantize_linear(v, s, z, dtype=np.float32))
            sn, zn = w.qdq_consts(n.input[1], s, z)
            ins[1] = w.emit_dq(n.input[1], q, sn, zn)
        for k, t in enumerate(n.input):
            if t in fg.inits and ins[k] == t:
                w.const(t, fg.inits[t])
        nn = helper.make_node(n.op_type, ins, list(n.output), name=n.name)
        nn.attribute.extend(n.attribute)
        w.nodes.append(nn)
    inits = [numpy_helper.from_array(v, k) for k, v in w.inits.items()]
    g = helper.make_graph(w.nodes, name,
                          [helper.make_tensor_value_info(fg.input, TensorProto.FLOAT, fg.input_shape)],
                          float_outputs(fg), inits)
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="tigris-gen_qdq_models")
    m.ir_version = 7
    m.doc_string = doc
    return prune(m)


def write_qop_ds_cnn(fg, ranges, name, doc):
    """DS-CNN in the form onnxruntime's level-'all' optimizer gives a QDQ DS-CNN on x86 (checked
    against its optimizedModelFilePath output): activations converted to uint8 (zero point + 128,
    same scale: x86 kernels take u8 activations with s8 weights), the input QuantizeLinear, a
    Transpose to NHWC, com.microsoft QLinearConv(channels_last=1) per Conv with the Relu gone (its
    range starts at 0, so the zero point 0 clamps), the pool, a Transpose back, Flatten. Where the
    optimizer writes QLinearAveragePool, QGemm and QLinearSoftmax this variant takes the other
    QOperator forms: com.microsoft QLinearGlobalAveragePool(channels_last=1) with its own output
    range, QLinearMatMul (per-tensor weight, [K, N]) plus com.microsoft QLinearAdd for the bias,
    then DequantizeLinear and a float Softmax. Calibration is ds_cnn_int8's."""
    w = QdqWriter(fg, ranges, Config(np.uint8, "remove", "float", None, "float", "int8", "int32", "calibrated"))
    u8 = np.uint8
    cons = fg.consumers()

    def qp(lo_hi):
        return act_qparams(lo_hi[0], lo_hi[1], u8)

    x = fg.input
    x_s, x_z = qp(ranges[x])
    cur, cur_s, cur_z = w.emit_q(x, x, x_s, x_z)
    w.node("Transpose", [cur], ["Transpose_out0"], "Transpose_nchw_to_nhwc", perm=[0, 2, 3, 1])
    cur, cur_qp = "Transpose_out0", (x_s, x_z)
    for n in fg.nodes:
        op = n.op_type
        a = {k.name: helper.get_attribute_value(k) for k in n.attribute}
        out = n.output[0]
        if op == "Conv":
            nxt = cons[out]
            if len(nxt) == 1 and nxt[0].op_type == "Relu":
                out = nxt[0].output[0]
            ys, yz = qp(ranges[out])
            w_q, w_s = weight_qparams(fg.inits[n.input[1]], 0)
            b_q, _ = bias_quant(fg.inits[n.input[2]], cur_qp[0], w_s)
            wn = w.const(n.input[1] + "_quantized", w_q)
            wsn = w.const(n.input[1] + "_scale", w_s)
            wzn = w.const(n.input[1] + "_zero_point", np.zeros(w_s.shape, np.int8))
            bn = w.const(n.input[2] + "_quantized", b_q)
            ysn, yzn = w.qdq_consts(out, ys, yz)
            w.node("QLinearConv", [cur, cur_s, cur_z, wn, wsn, wzn, ysn, yzn, bn], [out + "_quantized"],
                   n.name + "_quant", domain=MS_DOMAIN, channels_last=1, **a)
            cur, cur_s, cur_z, cur_qp = out + "_quantized", ysn, yzn, (ys, yz)
        elif op == "Relu":
            continue
        elif op == "AveragePool":
            ys, yz = qp(ranges[out])
            ysn, yzn = w.qdq_consts(out, ys, yz)
            w.node("QLinearGlobalAveragePool", [cur, cur_s, cur_z, ysn, yzn], [out + "_quantized"],
                   n.name + "_quant", domain=MS_DOMAIN, channels_last=1)
            w.node("Transpose", [out + "_quantized"], [out + "_nchw"], "Transpose_nhwc_to_nchw", perm=[0, 3, 1, 2])
            cur, cur_s, cur_z, cur_qp = out + "_nchw", ysn, yzn, (ys, yz)
        elif op == "Flatten":
            w.node("Flatten", [cur], [out + "_quantized"], n.name, axis=1)
            cur = out + "_quantized"
        elif op == "Gemm":
            assert a.get("transB", 0) == 1
            wt = fg.inits[n.input[1]].T  # QLinearMatMul takes B as [K, N]
            w_s = F32(np.abs(wt).max() / 127.0)
            w_q = np.clip(np.rint(wt / np.float64(w_s)), -127, 127).astype(np.int8)
            wn = w.const(n.input[1] + "_quantized", np.ascontiguousarray(w_q))
            wsn, wzn = w.qdq_consts(n.input[1], w_s, np.array(0, np.int8))
            mm = out + "_MatMul"
            ms, mz = qp(ranges[out + "#matmul"])  # the Gemm output minus its bias
            msn, mzn = w.qdq_consts(mm, ms, mz)
            w.node("QLinearMatMul", [cur, cur_s, cur_z, wn, wsn, wzn, msn, mzn], [mm + "_quantized"],
                   n.name + "_MatMul_quant")
            bv = fg.inits[n.input[2]].reshape(1, -1)
            bs, bz = act_qparams(float(bv.min()), float(bv.max()), u8)
            bq = w.const(n.input[2] + "_quantized", np_onnx.quantize_linear(bv, bs, bz, dtype=np.float32))
            bsn, bzn = w.qdq_consts(n.input[2], bs, bz)
            ys, yz = qp(ranges[out])
            ysn, yzn = w.qdq_consts(out, ys, yz)
            w.node("QLinearAdd", [mm + "_quantized", msn, mzn, bq, bsn, bzn, ysn, yzn], [out + "_quantized"],
                   n.name + "_Add_quant", domain=MS_DOMAIN)
            cur = w.emit_dq(out, out + "_quantized", ysn, yzn)
        elif op == "Softmax":
            w.node("Softmax", [cur], [out], n.name, **a)
        else:
            raise NotImplementedError("QOperator DS-CNN: %s" % op)
    inits = [numpy_helper.from_array(v, k) for k, v in w.inits.items()]
    g = helper.make_graph(w.nodes, name,
                          [helper.make_tensor_value_info(fg.input, TensorProto.FLOAT, fg.input_shape)],
                          float_outputs(fg),
                          inits)
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", OPSET), helper.make_opsetid(MS_DOMAIN, 1)],
                          producer_name="tigris-gen_qdq_models")
    m.ir_version = 7
    m.doc_string = doc
    return prune(m)


# --------------------------------------------------------------------------------------------
# Models
# --------------------------------------------------------------------------------------------

Spec = collections.namedtuple("Spec", ["source", "base", "kind", "cfg", "seed", "inputs", "doc"])


def _float_int8(fuse):
    return Config(np.int8, fuse, "float", None, "float", "int8", "int32", "calibrated")


QAT_INPUT = (1.0 / 128, 128)

SPECS = collections.OrderedDict([
    ("ds_cnn_int8", Spec("gen_models", "ds_cnn", "qdq", _float_int8("keep"), 8101, "normal",
                         "DS-CNN KWS, QDQ int8, Relu kept before each Q (TFLite/tf2onnx layout)")),
    ("mobilenet_v1_128_int8", Spec("gen_models", "mobilenet_v1", "qdq", _float_int8("keep"), 8102, "normal",
                                   "MobileNetV1 1.0 128x128, QDQ int8, ReLU6 as Clip kept before each Q")),
    ("mobilenet_v2_224_int8", Spec("gen_models", "mobilenet_v2", "qdq", _float_int8("remove"), 8103, "normal",
                                   "MobileNetV2 1.0 224x224, QDQ int8 as onnxruntime's quantize_static "
                                   "writes it (Relu/Clip removed into the Conv's Q)")),
    ("tf2onnx_qat_uint8", Spec("gen_import_models", "tf2onnx_style", "qdq",
                               Config(np.uint8, "keep", "quantized", QAT_INPUT, "quantized", "qat", "float", "fixed"),
                               8104, "uint8",
                               "tf2onnx-style CNN as a QAT export: uint8 input (1/128, 128), uint8 activations, "
                               "fake-quantized float weights, float biases, uint8 output")),
    ("ds_cnn_qop_int8", Spec("gen_models", "ds_cnn", "qop", None, 8101, "normal",
                             "DS-CNN KWS in QOperator form as onnxruntime's optimizer writes it "
                             "(com.microsoft, NHWC)")),
    ("ds_cnn_wo_int8", Spec("gen_models", "ds_cnn", "weight_only", None, 8101, "normal",
                            "DS-CNN KWS with weight-only DequantizeLinear (int8 conv, uint8 Gemm weights)")),
])


def float_source(spec):
    gen = {"gen_models": gen_models, "gen_import_models": gen_import_models}[spec.source]
    b = gen.MODELS[spec.base]()
    model = b.model("TiGrIS float model %s (generated by tools/models/%s.py)" % (spec.base, spec.source))
    (iname, x0), = b.input_arrays
    return model, iname, x0


def make_inputs(spec, x0):
    """(calib, eval) lists of the quantized model's inputs (eval[0] is the canonical input), and
    a function giving the float model's input for one of them."""
    rng = np.random.default_rng(spec.seed)
    shape = x0.shape
    if spec.inputs == "uint8":
        s, z = spec.cfg.input_qparams
        gen = [rng.integers(0, 256, size=shape, dtype=np.uint8) for _ in range(N_CALIB + N_EVAL)]
        to_float = lambda q: ((q.astype(np.int64) - z) * F32(s)).astype(F32)  # noqa: E731
    else:
        gen = [rng.normal(0.0, 1.0, size=shape).astype(F32) for _ in range(N_CALIB + N_EVAL - 1)]
        gen = gen[:N_CALIB] + [x0.astype(F32)] + gen[N_CALIB:]
        to_float = None
    return gen[:N_CALIB], gen[N_CALIB:], to_float


def build(name, percentile=None):
    """(quantized ModelProto, float ModelProto, calib inputs, eval inputs, to_float or None)."""
    spec = SPECS[name]
    fmodel, iname, x0 = float_source(spec)
    fg = FloatGraph(fmodel)
    calib, evals, to_float = make_inputs(spec, x0)
    fl = (lambda v: v) if to_float is None else to_float
    doc = "TiGrIS int8 test model %s: %s (generated by tools/models/gen_qdq_models.py)" % (name, spec.doc)
    if spec.kind == "weight_only":
        return write_weight_only(fg, name, doc), fmodel, calib, evals, to_float
    ranges = calibrate(fg, [fl(x).astype(np.float64) for x in calib], percentile)
    if spec.kind == "qop":
        # the MatMul half of the Gemm needs its own range: Gemm output minus bias
        gemm = next(n for n in fg.nodes if n.op_type == "Gemm")
        ranges[gemm.output[0] + "#matmul"] = calibrate_matmul(fg, gemm, [fl(x).astype(np.float64) for x in calib])
        return write_qop_ds_cnn(fg, ranges, name, doc), fmodel, calib, evals, to_float
    return QdqWriter(fg, ranges, spec.cfg).write(name, doc), fmodel, calib, evals, to_float


def calibrate_matmul(fg, gemm, inputs):
    model = fg.model("calib")
    lo, hi = np.inf, -np.inf
    w = fg.inits[gemm.input[1]].astype(np.float64)
    for x in inputs:
        v = np_onnx.run(model, {fg.input: x}, keep=(gemm.input[0],))[gemm.input[0]]
        mm = v @ w.T
        lo, hi = min(lo, float(mm.min())), max(hi, float(mm.max()))
    return lo, hi, True


# --------------------------------------------------------------------------------------------
# Writing, checking, quality
# --------------------------------------------------------------------------------------------

def write_tensor(path, array, name):
    t = numpy_helper.from_array(np.array(array, order="C"), name)
    with open(path + ".tmp", "wb") as f:
        f.write(t.SerializeToString())
    os.replace(path + ".tmp", path)


def write_model(path, model):
    with open(path + ".tmp", "wb") as f:  # never a half-written model
        f.write(model.SerializeToString())
    os.replace(path + ".tmp", path)


def check(model):
    onnx.checker.check_model(model)
    if not any(o.domain == MS_DOMAIN for o in model.opset_import):
        onnx.shape_inference.infer_shapes(model, check_type=True, strict_mode=True)


def read_tensor(path):
    t = TensorProto()
    with open(path, "rb") as f:
        t.ParseFromString(f.read())
    return numpy_helper.to_array(t)


def output_as_float(model, value):
    """A quantized graph output dequantized with the parameters of the Q that writes it."""
    if value.dtype.kind == "f":
        return value.astype(np.float64)
    out = model.graph.output[0].name
    q = next(n for n in model.graph.node if n.output[0] == out)
    inits = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    return np_onnx.dequantize_linear(value, inits[q.input[1]], inits[q.input[2]])


def input_qparams(model):
    """(scale, zp) of the QuantizeLinear that reads a float graph input, else None."""
    inits = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    name = model.graph.input[0].name
    for n in model.graph.node:
        if n.op_type == "QuantizeLinear" and n.input[0] == name:
            return inits[n.input[1]], inits[n.input[2]]
    return None


def quality(outdir, names, node, modules):
    """Runs onnxruntime on every (float, quantized) model pair over the calib and eval inputs, and
    the float model on its inputs quantized and dequantized with the model's input parameters
    (what input quantization alone does: these random-weight networks are chaotic, and deep ones
    amplify any perturbation, so this baseline says how much agreement is possible at all)."""
    work = tempfile.mkdtemp(prefix="tigris-qdq-quality-")
    lines, jobs = [], []
    try:
        for name in names:
            data = os.path.join(outdir, name + ".data")
            qm = onnx.load(os.path.join(outdir, name + ".onnx"))
            iqp = input_qparams(qm)
            for kind, n in (("calib", N_CALIB), ("eval", N_EVAL)):
                for k in range(n):
                    q_in = os.path.join(data, "%s_%d.pb" % (kind, k))
                    f_in = os.path.join(data, "%s_%d.float.pb" % (kind, k))
                    f_in = f_in if os.path.exists(f_in) else q_in
                    runs = [("f", name + ".float.onnx", f_in), ("q", name + ".onnx", q_in)]
                    if iqp is not None:
                        x = read_tensor(q_in)
                        b_in = os.path.join(work, name, "%s_%d.inq.pb" % (kind, k))
                        os.makedirs(os.path.dirname(b_in), exist_ok=True)
                        xq = np_onnx.dequantize_linear(np_onnx.quantize_linear(x, iqp[0], iqp[1], dtype=np.float32),
                                                       iqp[0], iqp[1], dtype=np.float32)
                        write_tensor(b_in, xq, qm.graph.input[0].name)
                        runs.append(("b", name + ".float.onnx", b_in))
                    for which, model, inp in runs:
                        od = os.path.join(work, name, "%s_%d" % (kind, k), which)
                        lines.append("%s\t%s\t%s" % (os.path.join(outdir, model), od, inp))
                    jobs.append((name, kind, k, qm, iqp is not None))
        lst = os.path.join(work, "batch.txt")
        with open(lst, "w") as f:
            f.write("\n".join(lines) + "\n")
        env = dict(os.environ, NODE_PATH=modules)
        r = subprocess.run([node, os.path.join(HERE, "..", "..", "test", "oracle", "run_ort.js"), "--batch", lst],
                           env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)
        if r.returncode != 0:
            raise SystemExit("gen_qdq_models: onnxruntime failed:\n" + r.stdout)

        def compare(f, q):
            f, q = f.reshape(-1), q.reshape(-1)
            rel = float(np.abs(q - f).max() / max(np.abs(f).max(), 1e-30))
            top5 = np.argsort(-q, kind="stable")[:5]
            return int(np.argmax(f) == np.argmax(q)), int(np.argmax(f) in top5), rel

        results = collections.defaultdict(lambda: collections.defaultdict(list))
        failed = []
        for name, kind, k, qm, has_base in jobs:
            base = os.path.join(work, name, "%s_%d" % (kind, k))
            out = {}
            for which in ("f", "q", "b") if has_base else ("f", "q"):
                err = os.path.join(base, which, "error.txt")
                if os.path.exists(err):
                    raise SystemExit("gen_qdq_models: onnxruntime cannot run %s (%s): %s" %
                                     (name, which, open(err).read().strip()))
                out[which] = read_tensor(os.path.join(base, which, "output_0.pb"))
            f = out["f"].astype(np.float64)
            res = compare(f, output_as_float(qm, out["q"]))
            if has_base:
                res += compare(f, out["b"].astype(np.float64))
            results[name][kind].append(res)
        for name in names:
            parts = []
            for kind in ("calib", "eval"):
                rs = np.array(results[name][kind])
                n = len(rs)
                parts.append("%s top-1 %d/%d top-5 %d/%d rel err median %.3g max %.3g" %
                             (kind, rs[:, 0].sum(), n, rs[:, 1].sum(), n, np.median(rs[:, 2]), rs[:, 2].max()))
                if rs.shape[1] > 3:
                    parts[-1] += " (input quantization alone: top-1 %d/%d rel err median %.3g)" % (
                        rs[:, 3].sum(), n, np.median(rs[:, 5]))
                if kind == "eval" and (rs[:, 1].sum() < QUALITY_MIN_TOP5 * n or np.median(rs[:, 2]) > QUALITY_MAX_REL):
                    failed.append(name)
            print("quality %s vs float (onnxruntime): %s" % (name, "; ".join(parts)))
        if failed:
            raise SystemExit("gen_qdq_models: quantization quality too low for %s" % ", ".join(failed))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("outdir", nargs="?")
    ap.add_argument("--models", default=",".join(SPECS), help="comma list (default: all)")
    ap.add_argument("--list", action="store_true", help="print the model names and exit")
    ap.add_argument("--quality", action="store_true", help="compare each model with its float model (onnxruntime)")
    ap.add_argument("--modules", default=os.environ.get("ORACLE_NODE_MODULES", ""),
                    help="node_modules with onnxruntime-node (for --quality)")
    ap.add_argument("--node", default=os.environ.get("TIGRIS_NODE", "node"))
    ap.add_argument("--percentile", type=float, default=None,
                    help="calibrate with this percentile instead of min/max (an experiment: the "
                         "test models are min/max-calibrated)")
    args = ap.parse_args(argv)
    if args.list:
        print("\n".join(SPECS))
        return 0
    if not args.outdir:
        ap.error("OUTDIR is required")
    names = [m for m in args.models.split(",") if m]
    for m in names:
        if m not in SPECS:
            ap.error("unknown model %r (known: %s)" % (m, ", ".join(SPECS)))
    if args.quality and not os.path.isdir(os.path.join(args.modules, "onnxruntime-node")):
        ap.error("--quality needs --modules DIR holding onnxruntime-node (test/oracle/install.sh)")
    os.makedirs(args.outdir, exist_ok=True)
    for name in names:
        model, fmodel, calib, evals, to_float = build(name, args.percentile)
        check(model)
        path = os.path.join(args.outdir, name + ".onnx")
        write_model(path, model)
        write_model(os.path.join(args.outdir, name + ".float.onnx"), fmodel)
        iname = model.graph.input[0].name
        write_tensor(os.path.join(args.outdir, name + ".input_0.pb"), evals[0], iname)
        data = os.path.join(args.outdir, name + ".data")
        os.makedirs(data, exist_ok=True)
        fname = fmodel.graph.input[0].name
        for kind, xs in (("calib", calib), ("eval", evals)):
            for k, x in enumerate(xs):
                write_tensor(os.path.join(data, "%s_%d.pb" % (kind, k)), x, iname)
                if to_float is not None:
                    write_tensor(os.path.join(data, "%s_%d.float.pb" % (kind, k)), to_float(x), fname)
        ops = collections.Counter(n.op_type for n in model.graph.node)
        print("wrote %s (%d nodes: %s)" % (path, len(model.graph.node),
                                           " ".join("%s=%d" % kv for kv in sorted(ops.items()))))
    if args.quality:
        quality(args.outdir, names, args.node, args.modules)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
