#!/usr/bin/python3
"""Writes test/kernels/reduce_goldens.inc: golden inputs/outputs for the reduction, normalization,
index and TopK kernel tests (reduce_norm_test.cpp, index_test.cpp).

Every expected value is computed here with numpy in float64 (then rounded to float32) following
the ONNX operator definitions, never by TiGrIS code. Regenerate with
    /usr/bin/python3 test/kernels/gen_reduce_goldens.py   (needs numpy)
"""
import os

import numpy as np

rng = np.random.default_rng(20250101)
out_lines = []


def rnd(*shape):
    # values on a 1/64 grid keep the literals short and exactly representable
    return (np.round(rng.standard_normal(shape) * 64) / 64).astype(np.float32)


def fmt(v):
    s = "%.9g" % float(v)
    if "e" not in s and "." not in s and "n" not in s:
        s += ".0"
    return s + "f"


def emit(name, arr):
    arr = np.asarray(arr, dtype=np.float32)
    out_lines.append("static const std::vector<int32_t> %s_dims = {%s};" % (name, ", ".join(str(d) for d in arr.shape)))
    out_lines.append("static const std::vector<float> %s = {%s};" % (name, ", ".join(fmt(v) for v in arr.reshape(-1))))


def emit_i64(name, arr):
    arr = np.asarray(arr, dtype=np.int64)
    out_lines.append("static const std::vector<int32_t> %s_dims = {%s};" % (name, ", ".join(str(d) for d in arr.shape)))
    out_lines.append("static const std::vector<int64_t> %s = {%s};" % (name, ", ".join(str(int(v)) for v in arr.reshape(-1))))


def comment(text):
    out_lines.append("")
    out_lines.append("// " + text)


# ---- reductions over axes {0, 2} of [2, 3, 4], keepdims ------------------------------------------
comment("ReduceX over axes {0,2} of [2,3,4], keepdims -> [1,3,1]; numpy float64")
x = rnd(2, 3, 4)
emit("kRed_x", x)
xd = x.astype(np.float64)
ax = (0, 2)
pos = np.abs(xd) + 0.25  # positive input for LogSum
emit("kRed_pos_x", pos)
emit("kRed_sum", np.sum(xd, axis=ax, keepdims=True))
emit("kRed_sum_square", np.sum(xd * xd, axis=ax, keepdims=True))
emit("kRed_l1", np.sum(np.abs(xd), axis=ax, keepdims=True))
emit("kRed_l2", np.sqrt(np.sum(xd * xd, axis=ax, keepdims=True)))
emit("kRed_log_sum", np.log(np.sum(pos.astype(np.float32).astype(np.float64), axis=ax, keepdims=True)))
emit("kRed_max", np.max(xd, axis=ax, keepdims=True))
emit("kRed_min", np.min(xd, axis=ax, keepdims=True))
emit("kRed_prod", np.prod(xd, axis=ax, keepdims=True))
big = (xd * 40 + 80).astype(np.float32)  # exp(80+) overflows float32 without the max shift
emit("kRed_big_x", big)
b64 = big.astype(np.float64)
m = np.max(b64, axis=ax, keepdims=True)
emit("kRed_log_sum_exp_big", m + np.log(np.sum(np.exp(b64 - m), axis=ax, keepdims=True)))
emit("kRed_log_sum_exp", np.log(np.sum(np.exp(xd), axis=ax, keepdims=True)))

comment("ArgMax / ArgMin of [3,4] with ties (values 0..2) along axis 1 and 0, first and last index; numpy")
t = rng.integers(0, 3, (3, 4)).astype(np.float32)
emit("kArg_x", t)
emit_i64("kArgMax_axis1_first", np.argmax(t, axis=1))
emit_i64("kArgMin_axis0_first", np.argmin(t, axis=0))
emit_i64("kArgMax_axis1_last", t.shape[1] - 1 - np.argmax(t[:, ::-1], axis=1))
emit_i64("kArgMin_axis0_last", t.shape[0] - 1 - np.argmin(t[::-1, :], axis=0))

comment("LogSoftmax axis 1 of [2,3,4]; LpNormalization p=1 axis 0 and p=2 axis 2 (one zero line); numpy")
x = rnd(2, 3, 4)
emit("kLogSoftmax_x", x)
xd = x.astype(np.float64)
mx = np.max(xd, axis=1, keepdims=True)
emit("kLogSoftmax_y", xd - mx - np.log(np.sum(np.exp(xd - mx), axis=1, keepdims=True)))
z = x.copy()
z[1, 2, :] = 0
emit("kLp_x", z)
zd = z.astype(np.float64)
emit("kLp1_axis0_y", zd / np.sum(np.abs(zd), axis=0, keepdims=True))
n2 = np.sqrt(np.sum(zd * zd, axis=2, keepdims=True))
emit("kLp2_axis2_y", np.where(n2 == 0, 0, zd / np.where(n2 == 0, 1, n2)))


def normalize(v, axes, eps):
    mean = np.mean(v, axis=axes, keepdims=True)
    var = np.mean((v - mean) ** 2, axis=axes, keepdims=True)
    return (v - mean) / np.sqrt(var + eps), mean, 1 / np.sqrt(var + eps)


comment("InstanceNormalization [2,3,2,3] eps 1e-3; GroupNormalization [2,4,3] 2 groups eps 1e-5; numpy")
x = rnd(2, 3, 2, 3)
s = rnd(3)
b = rnd(3)
emit("kInst_x", x)
emit("kInst_scale", s)
emit("kInst_bias", b)
nrm, _, _ = normalize(x.astype(np.float64), (2, 3), 1e-3)
emit("kInst_y", nrm * s[None, :, None, None] + b[None, :, None, None])
x = rnd(2, 4, 3)
s = rnd(4)
b = rnd(4)
emit("kGroup_x", x)
emit("kGroup_scale", s)
emit("kGroup_bias", b)
g = x.astype(np.float64).reshape(2, 2, 2, 3)
nrm, _, _ = normalize(g, (2, 3), 1e-5)
emit("kGroup_y", nrm.reshape(2, 4, 3) * s[None, :, None] + b[None, :, None])

comment("LayerNormalization [2,3,4] axis 1, scale [3,1] and bias [4] broadcast, eps 1e-5, Mean, InvStdDev; numpy")
x = rnd(2, 3, 4)
s = rnd(3, 1)
b = rnd(4)
emit("kLayer_x", x)
emit("kLayer_scale", s)
emit("kLayer_bias", b)
nrm, mean, inv = normalize(x.astype(np.float64), (1, 2), 1e-5)
emit("kLayer_y", nrm * s + b)
emit("kLayer_mean", mean)
emit("kLayer_inv", inv)

comment("TopK [2,7] k 3 along axis 1, largest and smallest, with ties (lower index first); numpy stable sort")
x = rng.integers(-3, 4, (2, 7)).astype(np.float32)
emit("kTopK_x", x)
order = np.argsort(-x, axis=1, kind="stable")[:, :3]
emit("kTopK_largest_v", np.take_along_axis(x, order, axis=1))
emit_i64("kTopK_largest_i", order)
order = np.argsort(x, axis=1, kind="stable")[:, :3]
emit("kTopK_smallest_v", np.take_along_axis(x, order, axis=1))
emit_i64("kTopK_smallest_i", order)

comment("Gather axis 1 of [2,5,3] with indices [[4,-1],[0,2]]; GatherElements axis 0 of [3,2]; numpy")
x = rnd(2, 5, 3)
emit("kGather_x", x)
idx = np.array([[4, -1], [0, 2]], np.int64)
emit_i64("kGather_idx", idx)
emit("kGather_y", np.take(x, idx, axis=1))
x = rnd(3, 2)
emit("kGatherEl_x", x)
idx = np.array([[2, 0], [-1, 1], [0, -3], [1, 2]], np.int64)
emit_i64("kGatherEl_idx", idx)
emit("kGatherEl_y", np.take_along_axis(x, np.where(idx < 0, idx + 3, idx), axis=0))

comment("DepthToSpace [1,8,2,3] b 2 DCR and CRD; SpaceToDepth [1,2,4,6] b 2; numpy reshapes (ONNX spec)")
x = rnd(1, 8, 2, 3)
emit("kD2S_x", x)
n, c, h, w = x.shape
bs = 2
dcr = x.reshape(n, bs, bs, c // 4, h, w).transpose(0, 3, 4, 1, 5, 2).reshape(n, c // 4, h * bs, w * bs)
crd = x.reshape(n, c // 4, bs, bs, h, w).transpose(0, 1, 4, 2, 5, 3).reshape(n, c // 4, h * bs, w * bs)
emit("kD2S_dcr_y", dcr)
emit("kD2S_crd_y", crd)
x = rnd(1, 2, 4, 6)
emit("kS2D_x", x)
n, c, h, w = x.shape
emit("kS2D_y", x.reshape(n, c, h // bs, bs, w // bs, bs).transpose(0, 3, 5, 1, 2, 4).reshape(n, c * 4, h // bs, w // bs))

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "reduce_goldens.inc")
with open(path, "w") as f:
    f.write("// Generated by test/kernels/gen_reduce_goldens.py (numpy, float64); do not edit.\n")
    f.write("// Expected values come from numpy and the ONNX operator definitions, never from TiGrIS code.\n")
    f.write("#pragma once\n#include <cstdint>\n#include <vector>\n")
    f.write("\n".join(out_lines) + "\n")
print("wrote", path, len(out_lines), "lines")
