#!/usr/bin/python3
"""A small numpy evaluator for the ONNX graphs of the TiGrIS test models, float and QDQ.

Used by gen_qdq_models.py (calibration: min/max of every tensor over a few inputs) and by the
int8 layer-by-layer harness (test/int8/, the float fallback of its numpy TFLite candidate). It
covers the ops those graphs contain, at the opsets they are written at, and nothing more: an
unknown op raises NotImplementedError naming it.

The convolution and pooling kernels are gen_models.py's numpy references (np_conv, np_pool,
np_softmax), so the float semantics are the ones the e2e suite already checks onnxruntime against.

QuantizeLinear / DequantizeLinear follow ONNX literally (per tensor or per axis; round half to
even; saturate to the zero point's type); with dtype=np.float32 the float arithmetic around them is
float32 like onnxruntime's (x / scale, (q - zp) * scale).

    values = run(model, {"input": x}, dtype=np.float64, hook=None, keep=())

returns the graph outputs plus the names in `keep`; `hook(name, value)` sees every tensor a node
computes, as it is computed (tensors are freed after their last consumer, so a 224x224 network
at batch 8 fits in memory).
"""

import os
import sys

import numpy as np
from onnx import helper, numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_models import np_conv, np_pool, np_softmax  # noqa: E402  (the e2e suite's references)

QTYPES = {np.dtype(np.int8): (-128, 127), np.dtype(np.uint8): (0, 255), np.dtype(np.int32): (-2**31, 2**31 - 1)}


def _attrs(node):
    return {a.name: helper.get_attribute_value(a) for a in node.attribute}


def _per_axis(v, x_ndim, axis):
    """Reshape a per-axis scale / zero point (1-D) to broadcast along `axis` of an x_ndim tensor."""
    v = np.asarray(v)
    if v.ndim == 0 or v.size == 1 and x_ndim == 0:
        return v.reshape(())
    if v.ndim != 1:
        raise NotImplementedError("blocked quantization")
    axis = axis % x_ndim
    shape = [1] * x_ndim
    shape[axis] = v.size
    return v.reshape(shape)


def quantize_linear(x, scale, zp, axis=1, dtype=np.float64):
    """ONNX QuantizeLinear: saturate(round_half_even(x / scale) + zp)."""
    zp = np.zeros((), np.uint8) if zp is None else np.asarray(zp)
    lo, hi = QTYPES[zp.dtype]
    s = _per_axis(scale, np.ndim(x), axis).astype(dtype)
    z = _per_axis(zp, np.ndim(x), axis).astype(np.float64)
    q = np.rint(np.asarray(x, dtype) / s).astype(np.float64) + z
    return np.clip(q, lo, hi).astype(zp.dtype)


def dequantize_linear(q, scale, zp, axis=1, dtype=np.float64):
    """ONNX DequantizeLinear: (q - zp) * scale."""
    q = np.asarray(q)
    s = _per_axis(scale, q.ndim, axis).astype(dtype)
    z = 0 if zp is None else _per_axis(zp, q.ndim, axis).astype(np.int64)
    return ((q.astype(np.int64) - z).astype(dtype) * s).astype(dtype)


def _conv(x, w, b, a):
    k = list(a.get("kernel_shape", w.shape[2:]))
    if len(k) != 2 or a.get("auto_pad", b"NOTSET") not in (b"NOTSET", "NOTSET"):
        raise NotImplementedError("Conv other than 2-D with explicit pads")
    if any(d != 1 for d in a.get("dilations", [1, 1])):
        raise NotImplementedError("dilated Conv")
    t, l, bo, r = a.get("pads", [0, 0, 0, 0])
    return np_conv(x, w, b, tuple(a.get("strides", [1, 1])), [t, l, bo, r], a.get("group", 1))


def _pool(x, a, kind):
    k = a["kernel_shape"]
    t, l, bo, r = a.get("pads", [0, 0, 0, 0])
    if a.get("ceil_mode", 0):
        raise NotImplementedError("ceil_mode pools")
    return np_pool(x, k, a.get("strides", [1, 1]), [t, l, bo, r], kind)


def _reshape(x, shape, allowzero=0):
    shape = [int(s) for s in shape]
    if not allowzero:
        shape = [x.shape[i] if s == 0 else s for i, s in enumerate(shape)]
    return x.reshape(shape)


def _node(node, ins, opset, dtype):
    """One node's outputs (a list) from its input values (None for an omitted optional input)."""
    op, a = node.op_type, _attrs(node)
    x = ins[0] if ins else None
    if node.domain not in ("", "ai.onnx"):
        raise NotImplementedError("%s::%s" % (node.domain, op))
    if op in ("Identity", "Dropout"):
        return [x]
    if op == "Constant":
        return [numpy_helper.to_array(a["value"])]
    if op == "Conv":
        return [_conv(x, ins[1], ins[2] if len(ins) > 2 else None, a)]
    if op == "BatchNormalization":
        s, b, m, v = (t.reshape(1, -1, *([1] * (x.ndim - 2))) for t in ins[1:5])
        return [(x - m) / np.sqrt(v + dtype(a.get("epsilon", 1e-5))) * s + b]
    if op == "Relu":
        return [np.maximum(x, 0)]
    if op == "Clip":
        if opset < 11:
            lo, hi = a.get("min", -np.inf), a.get("max", np.inf)
        else:
            lo = ins[1] if len(ins) > 1 and ins[1] is not None else -np.inf
            hi = ins[2] if len(ins) > 2 and ins[2] is not None else np.inf
        return [np.clip(x, lo, hi)]
    if op in ("Add", "Sub", "Mul", "Div"):
        f = {"Add": np.add, "Sub": np.subtract, "Mul": np.multiply, "Div": np.divide}[op]
        return [f(x, ins[1])]
    if op == "MaxPool":
        return [_pool(x, a, "max")]
    if op == "AveragePool":
        if any(a.get("pads", [0])):
            raise NotImplementedError("padded AveragePool")
        return [_pool(x, a, "avg")]
    if op == "GlobalAveragePool":
        return [x.mean(axis=tuple(range(2, x.ndim)), keepdims=True)]
    if op == "ReduceMean":
        axes = a.get("axes") if opset < 18 else (ins[1] if len(ins) > 1 else None)
        axes = tuple(range(x.ndim)) if axes is None else tuple(int(i) for i in axes)
        return [x.mean(axis=axes, keepdims=bool(a.get("keepdims", 1)))]
    if op == "Flatten":
        ax = a.get("axis", 1) % max(x.ndim, 1)
        return [x.reshape(int(np.prod(x.shape[:ax])), -1)]
    if op == "Reshape":
        return [_reshape(x, ins[1], a.get("allowzero", 0))]
    if op == "Transpose":
        return [x.transpose(a.get("perm", list(range(x.ndim))[::-1]))]
    if op == "Pad":
        if a.get("mode", b"constant") not in (b"constant", "constant"):
            raise NotImplementedError("Pad mode %s" % a.get("mode"))
        pads = a["pads"] if opset < 11 else [int(p) for p in ins[1]]
        value = a.get("value", 0.0) if opset < 11 else (ins[2] if len(ins) > 2 and ins[2] is not None else 0)
        n = x.ndim
        return [np.pad(x, [(pads[i], pads[i + n]) for i in range(n)], constant_values=value)]
    if op == "Gemm":
        am = ins[0].T if a.get("transA", 0) else ins[0]
        bm = ins[1].T if a.get("transB", 0) else ins[1]
        y = a.get("alpha", 1.0) * (am @ bm)
        if len(ins) > 2 and ins[2] is not None:
            y = y + a.get("beta", 1.0) * ins[2]
        return [y]
    if op == "MatMul":
        return [x @ ins[1]]
    if op == "Softmax":
        axis = a.get("axis", 1 if opset < 13 else -1)
        if opset < 13 and x.ndim > 2:
            shp = x.shape
            ax = axis % x.ndim
            return [np_softmax(x.reshape(int(np.prod(shp[:ax])), -1), 1).reshape(shp)]
        return [np_softmax(x, axis)]
    if op == "Shape":
        return [np.array(x.shape, dtype=np.int64)]
    if op == "Gather":
        return [np.take(x, ins[1], axis=a.get("axis", 0))]
    if op in ("Unsqueeze", "Squeeze"):
        axes = a.get("axes") if opset < 13 else (ins[1] if len(ins) > 1 else None)
        if op == "Squeeze":
            return [np.squeeze(x) if axes is None else np.squeeze(x, axis=tuple(int(i) for i in axes))]
        y = x
        for ax in sorted(int(i) % (x.ndim + len(axes)) for i in axes):
            y = np.expand_dims(y, ax)
        return [y]
    if op == "Concat":
        return [np.concatenate(ins, axis=a["axis"])]
    if op == "QuantizeLinear":
        return [quantize_linear(x, ins[1], ins[2] if len(ins) > 2 else None, a.get("axis", 1), dtype)]
    if op == "DequantizeLinear":
        return [dequantize_linear(x, ins[1], ins[2] if len(ins) > 2 else None, a.get("axis", 1), dtype)]
    raise NotImplementedError(op)


def default_opset(model):
    for o in model.opset_import:
        if o.domain in ("", "ai.onnx"):
            return o.version
    return 1


def run(model, feeds, dtype=np.float64, hook=None, keep=()):
    """Evaluates `model` (its nodes must be in topological order) on `feeds` {name: array}."""
    g = model.graph
    opset = default_opset(model)
    vals = {}
    for t in g.initializer:
        v = numpy_helper.to_array(t)
        vals[t.name] = v.astype(dtype) if v.dtype.kind == "f" else v
    for name, v in feeds.items():
        v = np.asarray(v)
        vals[name] = v.astype(dtype) if v.dtype.kind == "f" else v
    last = {}
    for i, n in enumerate(g.node):
        for t in n.input:
            last[t] = i
    wanted = {o.name for o in g.output} | set(keep)
    consts = {t.name for t in g.initializer}
    for i, n in enumerate(g.node):
        ins = [vals[t] if t else None for t in n.input]
        outs = _node(n, ins, opset, dtype)
        for name, v in zip(n.output, outs):
            if not name:
                continue
            if isinstance(v, np.ndarray) and v.dtype.kind == "f":
                v = v.astype(dtype)
            vals[name] = v
            if hook is not None:
                hook(name, v)
        for t in set(n.input):
            if t and last.get(t) == i and t not in wanted and t not in consts and t not in feeds:
                vals.pop(t, None)
    return {k: vals[k] for k in wanted if k in vals}
