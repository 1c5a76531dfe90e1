#!/usr/bin/python3
"""Writes test/kernels/goldens.inc: golden inputs/outputs for the reference kernel tests.

Expected values never come from TiGrIS code: they are either computed here with plain numpy
loops in float64 (conv, gemm, matmul, broadcasting, pad, slice, softmax, reduce) or produced by
onnxruntime (test/oracle/run_ort.js, onnxruntime-node) on one-node ONNX models built with the
onnx Python package (ConvTranspose, AveragePool, MaxPool, Resize). Regenerate with
    /usr/bin/python3 test/kernels/gen_goldens.py   (needs numpy, onnx and `npm ci` in test/oracle)
"""
import os
import subprocess
import sys
import tempfile

import numpy as np
import onnx
from onnx import helper, numpy_helper, TensorProto

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ORACLE = os.path.join(ROOT, "test", "oracle", "run_ort.js")
rng = np.random.default_rng(20240607)
out_lines = []


def rnd(*shape):
    # values rounded to 1/64 keep the literals short and exactly representable
    return (np.round(rng.standard_normal(shape) * 64) / 64).astype(np.float32)


def fmt(v):
    if np.isnan(v):
        return "std::numeric_limits<float>::quiet_NaN()"
    if np.isinf(v):
        return ("-" if v < 0 else "") + "std::numeric_limits<float>::infinity()"
    s = "%.9g" % float(v)
    if "e" not in s and "." not in s and "n" not in s:
        s += ".0"
    return s + "f"


def emit(name, arr):
    arr = np.asarray(arr, dtype=np.float32)
    dims = ", ".join(str(d) for d in arr.shape)
    vals = ", ".join(fmt(v) for v in arr.reshape(-1))
    out_lines.append("static const std::vector<int32_t> %s_dims = {%s};" % (name, dims))
    out_lines.append("static const std::vector<float> %s = {%s};" % (name, vals))


def comment(text):
    out_lines.append("")
    out_lines.append("// " + text)


def ort(node, inputs, out_shape_rank, opset=19):
    """Runs one node through onnxruntime; inputs = list of (name, array or None for initializer)."""
    graph_inputs, feeds, inits = [], [], []
    for name, arr, is_init in inputs:
        if is_init:
            inits.append(numpy_helper.from_array(arr, name))
        else:
            graph_inputs.append(helper.make_tensor_value_info(name, TensorProto.FLOAT, list(arr.shape)))
            feeds.append(numpy_helper.from_array(arr, name))
    out = helper.make_tensor_value_info(node.output[0], TensorProto.FLOAT, [None] * out_shape_rank)
    graph = helper.make_graph([node], "g", graph_inputs, [out], initializer=inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 8
    with tempfile.TemporaryDirectory() as d:
        mp = os.path.join(d, "m.onnx")
        onnx.save(model, mp)
        paths = []
        for i, t in enumerate(feeds):
            p = os.path.join(d, "in%d.pb" % i)
            with open(p, "wb") as f:
                f.write(t.SerializeToString())
            paths.append(p)
        subprocess.run(["node", ORACLE, mp, d] + paths, check=True, stdout=subprocess.DEVNULL)
        t = onnx.load_tensor(os.path.join(d, "output_0.pb"))
        return numpy_helper.to_array(t)


# ---------------------------------------------------------------- numpy references (float64)
def conv_ref(x, w, b, stride, dil, pads, group):
    """pads = (top, left, bottom, right); x NCHW, w [M, C/g, kh, kw]."""
    n, c, h, wd = x.shape
    m, cg, kh, kw = w.shape
    sh, sw = stride
    dh, dw = dil
    pt, pl, pb, pr = pads
    oh = (h + pt + pb - dh * (kh - 1) - 1) // sh + 1
    ow = (wd + pl + pr - dw * (kw - 1) - 1) // sw + 1
    xp = np.zeros((n, c, h + pt + pb, wd + pl + pr))
    xp[:, :, pt:pt + h, pl:pl + wd] = x
    y = np.zeros((n, m, oh, ow))
    mg = m // group
    for nn in range(n):
        for mm in range(m):
            g = mm // mg
            for i in range(oh):
                for j in range(ow):
                    patch = xp[nn, g * cg:(g + 1) * cg, i * sh:i * sh + dh * (kh - 1) + 1:dh,
                               j * sw:j * sw + dw * (kw - 1) + 1:dw]
                    y[nn, mm, i, j] = np.sum(patch * w[mm]) + (b[mm] if b is not None else 0.0)
    return y


def silu(v):
    return v / (1.0 + np.exp(-v))


comment("Conv 2-D, group 2, stride (2,1), dilation (2,1), pads t1 l2 b0 r1, bias; numpy loops")
x = rnd(1, 4, 7, 6)
w = rnd(6, 2, 3, 3)
b = rnd(6)
emit("kConvG_x", x)
emit("kConvG_w", w)
emit("kConvG_b", b)
emit("kConvG_y", conv_ref(x.astype(np.float64), w, b, (2, 1), (2, 1), (1, 2, 0, 1), 2))

comment("Conv 1-D depthwise (N=2, C=3, W=10), k 3, stride 2, dilation 2, pads l2 r1, SILU; numpy")
x = rnd(2, 3, 10)
w = rnd(3, 1, 3)
emit("kConv1d_x", x)
emit("kConv1d_w", w)
y = conv_ref(x[:, :, None, :].astype(np.float64), w[:, :, None, :], None, (1, 2), (1, 2), (0, 2, 0, 1), 3)
emit("kConv1d_y", silu(y[:, :, 0, :]))

comment("ConvTranspose, stride (2,3), pads t1 l0 b1 r2, output_padding (1,0), bias; onnxruntime")
x = rnd(1, 2, 3, 4)
w = rnd(2, 3, 3, 3)
b = rnd(3)
node = helper.make_node("ConvTranspose", ["x", "w", "b"], ["y"], strides=[2, 3], pads=[1, 0, 1, 2],
                        output_padding=[1, 0], kernel_shape=[3, 3])
emit("kConvT_x", x)
emit("kConvT_w", w)
emit("kConvT_b", b)
emit("kConvT_y", ort(node, [("x", x, False), ("w", w, True), ("b", b, True)], 4))

comment("ConvTranspose, group 2, stride 2, dilation 2, pads 1 all round, no bias; onnxruntime")
x = rnd(1, 4, 3, 3)
w = rnd(4, 1, 2, 2)
node = helper.make_node("ConvTranspose", ["x", "w"], ["y"], strides=[2, 2], dilations=[2, 2], pads=[1, 1, 1, 1],
                        group=2, kernel_shape=[2, 2])
emit("kConvTG_x", x)
emit("kConvTG_w", w)
emit("kConvTG_y", ort(node, [("x", x, False), ("w", w, True)], 4))

comment("Gemm trans_a, trans_b, alpha 0.5, beta 2, C [M,1]; numpy")
a = rnd(4, 3)  # A' = a.T is [3, 4]
bm = rnd(5, 4)  # B' = bm.T is [4, 5]
c = rnd(3, 1)
emit("kGemm_a", a)
emit("kGemm_b", bm)
emit("kGemm_c", c)
emit("kGemm_y", 0.5 * (a.T.astype(np.float64) @ bm.T) + 2.0 * c)

comment("MatMul batch broadcast [2,1,3,4] x [3,4,5] -> [2,3,3,5]; 1-D [4] x [2,4,3] -> [2,3]; numpy")
a = rnd(2, 1, 3, 4)
bm = rnd(3, 4, 5)
emit("kMatMul_a", a)
emit("kMatMul_b", bm)
emit("kMatMul_y", np.matmul(a.astype(np.float64), bm))
a = rnd(4)
bm = rnd(2, 4, 3)
emit("kMatMul1_a", a)
emit("kMatMul1_b", bm)
emit("kMatMul1_y", np.matmul(a.astype(np.float64), bm))

comment("Broadcast Sub [2,1,4] - [3,1] -> [2,3,4] and Div [3,1,1,2] / [4,1] -> [3,1,4,2]; numpy")
a = rnd(2, 1, 4)
bm = rnd(3, 1)
emit("kSub_a", a)
emit("kSub_b", bm)
emit("kSub_y", a.astype(np.float64) - bm)
a = rnd(3, 1, 1, 2)
bm = (rnd(4, 1) + np.float32(3.0)).astype(np.float32)
emit("kDiv_a", a)
emit("kDiv_b", bm)
emit("kDiv_y", a / bm)  # float32 division, correctly rounded like C

comment("Softmax axis 1 of [2,3,4]; ReduceMean axes {0,2} of [2,3,4]; numpy")
x = rnd(2, 3, 4) * 4
e = np.exp(x.astype(np.float64) - x.max(axis=1, keepdims=True))
emit("kSoftmax_x", x)
emit("kSoftmax_y", e / e.sum(axis=1, keepdims=True))
emit("kReduce_y", x.astype(np.float64).mean(axis=(0, 2), keepdims=True))

comment("AveragePool 3x3 stride 2 pads 1, ceil_mode, count_include_pad 1 / 0, x [1,1,5,6]; onnxruntime")
x = rnd(1, 1, 5, 6)
emit("kAvg_x", x)
for cip in (1, 0):
    node = helper.make_node("AveragePool", ["x"], ["y"], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1],
                            ceil_mode=1, count_include_pad=cip)
    emit("kAvg_cip%d_y" % cip, ort(node, [("x", x, False)], 4))

comment("AveragePool 2x2 stride 2 pads t0 l1 b1 r0, ceil_mode, count_include_pad 1, x [1,2,4,5]; onnxruntime")
x = rnd(1, 2, 4, 5)
emit("kAvg2_x", x)
node = helper.make_node("AveragePool", ["x"], ["y"], kernel_shape=[2, 2], strides=[2, 2], pads=[0, 1, 1, 0],
                        ceil_mode=1, count_include_pad=1)
emit("kAvg2_y", ort(node, [("x", x, False)], 4))

comment("MaxPool 1-D k3 stride 2 dilation 2 pads l2 r1, ceil_mode, x [1,2,9]; onnxruntime")
x = rnd(1, 2, 9)
emit("kMax1d_x", x)
node = helper.make_node("MaxPool", ["x"], ["y"], kernel_shape=[3], strides=[2], dilations=[2], pads=[2, 1],
                        ceil_mode=1)
emit("kMax1d_y", ort(node, [("x", x, False)], 3))

# Resize: every coordinate mode x (nearest modes, linear, cubic) on [1,1,3,4] with scales
# (1, 1, 1.7, 0.75) -> [1,1,5,3] (floor(in*scale)), plus an upscale (1,1,2,2.5) -> [1,1,6,10].
x_small = rnd(1, 1, 3, 4)
emit("kResize_x", x_small)
COORDS = ["half_pixel", "asymmetric", "align_corners", "pytorch_half_pixel", "tf_half_pixel_for_nearest_neighbor",
          "half_pixel_symmetric"]
NEAREST = ["round_prefer_floor", "round_prefer_ceil", "floor", "ceil"]
SCALES = {"down": [1.0, 1.0, 1.7, 0.75], "up": [1.0, 1.0, 2.0, 2.5]}


def nearest_tf_ref(x, scales, nm):
    """ONNX Resize spec: x_original = (x_resized + 0.5) / scale, then the nearest_mode rounding."""
    out_shape = [int(np.floor(d * s)) for d, s in zip(x.shape, scales)]
    def src(o, n_in, s):
        v = (o + 0.5) / float(s)
        if nm == "floor":
            r = np.floor(v)
        elif nm == "ceil":
            r = np.ceil(v)
        elif v == np.floor(v) + 0.5:
            r = np.floor(v) if nm == "round_prefer_floor" else np.ceil(v)
        else:
            r = np.round(v)
        return int(min(max(r, 0), n_in - 1))
    y = np.zeros(out_shape, np.float32)
    for idx in np.ndindex(*out_shape):
        y[idx] = x[tuple(src(o, n, s) for o, n, s in zip(idx, x.shape, scales))]
    return y


def onnx_spec_resize(x, scales, mode, coord, nm, exo, cubic_a):
    """ONNX's reference Resize (onnx.backend.test.case.node.resize), the spec's own numbers."""
    from onnx.backend.test.case.node import resize as ref
    if mode == "nearest":
        coeffs = lambda ratio: ref.nearest_coeffs(ratio, mode=nm)
    elif mode == "linear":
        coeffs = lambda ratio: ref.linear_coeffs(ratio)
    else:
        coeffs = lambda ratio: ref.cubic_coeffs(ratio, A=cubic_a)
    return ref.interpolate_nd(x, coeffs, scale_factors=[float(s) for s in scales],
                              coordinate_transformation_mode=coord, exclude_outside=bool(exo)).astype(np.float32)


cases = []
for sname, scales in SCALES.items():
    for ci, coord in enumerate(COORDS):
        for ni, nm in enumerate(NEAREST):
            cases.append((sname, 0, ci, ni, 0, -0.75, coord, "nearest", nm))
        if coord != "tf_half_pixel_for_nearest_neighbor":
            cases.append((sname, 1, ci, 0, 0, -0.75, coord, "linear", "round_prefer_floor"))
            cases.append((sname, 2, ci, 0, 0, -0.75, coord, "cubic", "round_prefer_floor"))
            cases.append((sname, 2, ci, 0, 1, -0.5, coord, "cubic", "round_prefer_floor"))
comment("Resize cases: {scale set, mode, coord, nearest, exclude_outside, cubic_a}; onnxruntime")
rows = []
for k, (sname, mode, ci, ni, exo, ca, coord, mname, nm) in enumerate(cases):
    scales = np.array(SCALES[sname], dtype=np.float32)
    node = helper.make_node("Resize", ["x", "roi", "scales"], ["y"], mode=mname, coordinate_transformation_mode=coord,
                            nearest_mode=nm, exclude_outside=exo, cubic_coeff_a=ca)
    if coord == "tf_half_pixel_for_nearest_neighbor":
        # onnxruntime 1.30 rejects this (opset-11-only) mode: use the ONNX spec formula in numpy
        y = nearest_tf_ref(x_small, scales, nm)
    elif coord == "align_corners":
        # onnxruntime uses the integer output length in align_corners; the ONNX spec (and its
        # conformance data, which TiGrIS follows) uses scale * input length. Use ONNX's own
        # reference implementation shipped with python3-onnx.
        y = onnx_spec_resize(x_small, scales, mname, coord, nm, exo, ca)
    else:
        y = ort(node, [("x", x_small, False), ("roi", np.zeros(0, np.float32), True), ("scales", scales, True)],
                4)
    emit("kResize_%d_y" % k, y)
    rows.append("  {%s, %d, %d, %d, %d, %sf, &kResize_%d_y, &kResize_%d_y_dims, \"%s %s %s %s exo%d\"}," %
                ("true" if sname == "up" else "false", mode, ci, ni, exo, repr(ca), k, k, sname, mname, coord, nm, exo))
out_lines.append("struct ResizeGolden { bool up; int mode, coord, nearest, exclude_outside; float cubic_a;")
out_lines.append("  const std::vector<float>* y; const std::vector<int32_t>* y_dims; const char* what; };")
out_lines.append("static const ResizeGolden kResizeCases[] = {")
out_lines.extend(rows)
out_lines.append("};")

comment("Pad [3,4]: pads begin (2,-1) end (1,3), modes reflect / edge / wrap / constant 1.5; numpy.pad of the crop")
x = rnd(3, 4)
emit("kPad_x", x)
crop = x[:, 1:]
emit("kPad_reflect_y", np.pad(crop, ((2, 1), (0, 3)), mode="reflect"))
emit("kPad_edge_y", np.pad(crop, ((2, 1), (0, 3)), mode="edge"))
emit("kPad_wrap_y", np.pad(crop, ((2, 1), (0, 3)), mode="wrap"))
emit("kPad_const_y", np.pad(crop, ((2, 1), (0, 3)), mode="constant", constant_values=1.5))

comment("Slice [4,5,6] start (3,0,1) step (-1,2,2) -> [3,3,3]; Transpose perm (2,0,1); numpy")
x = rnd(4, 5, 6)
emit("kSlice_x", x)
emit("kSlice_y", x[3::-1, 0::2, 1::2][:3, :3, :3])
emit("kTranspose_y", np.transpose(x, (2, 0, 1)))

# ---------------------------------------------------------------- math, logic, Cast, Expand, Tile
# (appended last so the random draws above keep their values)
def emit_ints(name, arr, ctype):
    arr = np.asarray(arr)
    dims = ", ".join(str(d) for d in arr.shape)
    if ctype == "int64_t":
        vals = ", ".join("INT64_MIN" if int(v) == -2**63 else "%dLL" % int(v) for v in arr.reshape(-1))
    elif ctype == "int32_t":
        vals = ", ".join("INT32_MIN" if int(v) == -2**31 else "%d" % int(v) for v in arr.reshape(-1))
    else:
        vals = ", ".join("%d" % int(v) for v in arr.reshape(-1))
    out_lines.append("static const std::vector<int32_t> %s_dims = {%s};" % (name, dims))
    out_lines.append("static const std::vector<%s> %s = {%s};" % (ctype, name, vals))


def ort_graph(nodes, inputs, outputs, opset):
    """Runs a graph through onnxruntime: inputs [(name, array)] (graph inputs, any dtype),
    outputs [(name, TensorProto type)]. Built without the checker: Gelu-20 and Mish-18 are newer
    than python3-onnx 1.12."""
    g = helper.make_graph(nodes, "g", [helper.make_tensor_value_info(n, numpy_helper.from_array(a).data_type,
                                                                     list(a.shape)) for n, a in inputs],
                          [helper.make_tensor_value_info(n, t, None) for n, t in outputs])
    model = helper.make_model(g, opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 8
    with tempfile.TemporaryDirectory() as d:
        mp = os.path.join(d, "m.onnx")
        onnx.save(model, mp)
        paths = []
        for i, (n, a) in enumerate(inputs):
            pth = os.path.join(d, "in%d.pb" % i)
            with open(pth, "wb") as f:
                f.write(numpy_helper.from_array(a, n).SerializeToString())
            paths.append(pth)
        subprocess.run(["node", ORACLE, mp, d] + paths, check=True, stdout=subprocess.DEVNULL)
        return [numpy_helper.to_array(onnx.load_tensor(os.path.join(d, "output_%d.pb" % k)))
                for k in range(len(outputs))]


def ort1(op, x, opset=17, **attrs):
    return ort_graph([helper.make_node(op, ["x"], ["y"], **attrs)], [("x", x)], [("y", TensorProto.FLOAT)], opset)[0]


comment("The math unary ops on 24 values (halves for Round, large |x| for Softplus/Mish); onnxruntime "
        "(Gelu at opset 20, Mish at opset 18)")
x = np.concatenate([np.array([-30.0, -2.5, -1.5, -0.5, -0.25, 0.0, 0.5, 1.5, 2.5, 3.0, 30.0, 7.25], np.float32),
                    rnd(12) * 2]).astype(np.float32)
emit("kMath_x", x)
emit("kMath_sqrt_y", ort1("Sqrt", np.abs(x)))
emit("kMath_reciprocal_y", ort1("Reciprocal", x + np.float32(0.125)))
for op in ("Abs", "Floor", "Ceil", "Round", "Softplus", "Softsign", "Erf"):
    emit("kMath_%s_y" % op.lower(), ort1(op, x))
emit("kMath_elu_y", ort1("Elu", x, alpha=0.7))
emit("kMath_selu_y", ort1("Selu", x))
emit("kMath_celu_y", ort1("Celu", x, opset=17, alpha=1.3))
emit("kMath_gelu_y", ort1("Gelu", x, opset=20))
emit("kMath_gelu_tanh_y", ort1("Gelu", x, opset=20, approximate="tanh"))
emit("kMath_mish_y", ort1("Mish", x, opset=18))

comment("Pow x [2,3] ^ e: float [3] (incl. 2, 3, 0.5), int64 [2,1]; PRelu [1,3,2,2] slope [3,1,1]; onnxruntime")
x = (np.abs(rnd(2, 3)) + np.float32(0.25)).astype(np.float32)
e = np.array([2.0, 3.0, 0.5], np.float32)
ei = np.array([[3], [-2]], np.int64)
emit("kPow_x", x)
emit("kPow_e", e)
emit_ints("kPow_ei", ei, "int64_t")
emit("kPow_y", ort_graph([helper.make_node("Pow", ["x", "e"], ["y"])], [("x", x), ("e", e)], [("y", TensorProto.FLOAT)], 15)[0])
emit("kPow_yi", ort_graph([helper.make_node("Pow", ["x", "e"], ["y"])], [("x", x), ("e", ei)], [("y", TensorProto.FLOAT)], 15)[0])
x = rnd(1, 3, 2, 2)
sl = rnd(3, 1, 1)
emit("kPRelu_x", x)
emit("kPRelu_s", sl)
emit("kPRelu_y", ort_graph([helper.make_node("PRelu", ["x", "s"], ["y"])], [("x", x), ("s", sl)], [("y", TensorProto.FLOAT)], 16)[0])

comment("Max/Min/Sum/Mean of a [2,1,3], b [4,1], c [3]; onnxruntime")
a, b, c = rnd(2, 1, 3), rnd(4, 1), rnd(3)
emit("kVar_a", a)
emit("kVar_b", b)
emit("kVar_c", c)
for op in ("Max", "Min", "Sum", "Mean"):
    emit("kVar_%s_y" % op.lower(), ort_graph([helper.make_node(op, ["a", "b", "c"], ["y"])], [("a", a), ("b", b), ("c", c)],
                                             [("y", TensorProto.FLOAT)], 13)[0])

comment("Cast float32 -> int32 / int64 / bool and int64 -> int32 / float32, with NaN, infinities and "
        "out-of-range values; onnxruntime (x86-64)")
x = np.array([np.nan, np.inf, -np.inf, 3e9, -3e9, -2147483648.0, 2147483520.0, -2.7, 2.7, -0.5, 0.0, 1e19, -1e19,
              9.2233715e18], np.float32)
emit("kCast_x", x)
r = ort_graph([helper.make_node("Cast", ["x"], ["a"], to=TensorProto.INT32),
               helper.make_node("Cast", ["x"], ["b"], to=TensorProto.INT64),
               helper.make_node("Cast", ["x"], ["c"], to=TensorProto.BOOL)], [("x", x)],
              [("a", TensorProto.INT32), ("b", TensorProto.INT64), ("c", TensorProto.BOOL)], 17)
emit_ints("kCast_i32", r[0], "int32_t")
emit_ints("kCast_i64", r[1], "int64_t")
emit_ints("kCast_bool", r[2], "uint8_t")
xi = np.array([2**40 + 5, -2**40 - 7, 2**31, -2**31 - 1, 2**63 - 1, 16777217, 0, -1], np.int64)
emit_ints("kCast_from_i64", xi, "int64_t")
r = ort_graph([helper.make_node("Cast", ["x"], ["a"], to=TensorProto.INT32),
               helper.make_node("Cast", ["x"], ["b"], to=TensorProto.FLOAT),
               helper.make_node("Cast", ["x"], ["c"], to=TensorProto.BOOL)], [("x", xi)],
              [("a", TensorProto.INT32), ("b", TensorProto.FLOAT), ("c", TensorProto.BOOL)], 17)
emit_ints("kCast_i64_to_i32", r[0], "int32_t")
emit("kCast_i64_to_f32", r[1])
emit_ints("kCast_i64_to_bool", r[2], "uint8_t")

comment("Less / Equal of int64 a [2,3] and b [3]; Where(cond [2,1], x int64 [3], y int64 [2,3]); numpy")
ia = np.array([[1, 5, -3], [7, 2, 2]], np.int64)
ib = np.array([2, 5, -4], np.int64)
emit_ints("kCmp_a", ia, "int64_t")
emit_ints("kCmp_b", ib, "int64_t")
emit_ints("kCmp_less_y", ia < ib, "uint8_t")
emit_ints("kCmp_equal_y", ia == ib, "uint8_t")
cond = np.array([[True], [False]])
wx = np.array([10, 20, 30], np.int64)
emit_ints("kWhere_c", cond, "uint8_t")
emit_ints("kWhere_x", wx, "int64_t")
emit_ints("kWhere_y", np.where(cond, wx, ia), "int64_t")

comment("Expand [3,1] -> [2,3,4]; Tile [2,3] by (2,1) and (1,3); numpy")
x = rnd(3, 1)
emit("kExpand_x", x)
emit("kExpand_y", np.broadcast_to(x, (2, 3, 4)))
x = rnd(2, 3)
emit("kTile_x", x)
emit("kTile_21_y", np.tile(x, (2, 1)))
emit("kTile_13_y", np.tile(x, (1, 3)))

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "goldens.inc")
with open(path, "w") as f:
    f.write("// Generated by test/kernels/gen_goldens.py (numpy and onnxruntime); do not edit.\n")
    f.write("// Expected values come from numpy loops or onnxruntime, never from TiGrIS code.\n")
    f.write("#pragma once\n#include <cstdint>\n#include <limits>\n#include <vector>\n")
    f.write("\n".join(out_lines) + "\n")
print("wrote", path, len(out_lines), "lines")
