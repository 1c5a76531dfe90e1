#!/usr/bin/env python3
"""An independent model of TFLite's integer (int8) kernel semantics, written from their
mathematical definitions with Python integers and numpy, that writes random test cases with
expected outputs for model_s8_test.cpp. Run by the build (never committed output):

    gen_s8_model_cases.py OUT.txt

Fixed-point definitions used (gemmlowp / TFLite reference kernels):
  SRDHM(a, b)   = floor((a*b + 2^30) / 2^31)   (round half up), INT32_MAX for a = b = INT32_MIN
  RDBPOT(x, e)  = x / 2^e rounded half away from zero
  requant(x, m, s) = RDBPOT(SRDHM(x * 2^max(s,0), m), max(-s,0))
  QuantizeMultiplier(r): frexp, mantissa round(q * 2^31) half away, 2^31 -> 2^30 with shift+1,
                         shift < -31 -> (0, 0), shift > 30 -> (2^31-1, 30)
Tensors are NCHW like the ONNX layout the kernels use.

Output format, one item per line:
  case <kind> <index>
  i <name> <int>                       scalar parameter
  f <name> <hex float>                 float parameter (float.hex of a float32 value)
  d <name> <hex float>                 double parameter
  s <name> <word>                      string parameter
  t <name> <rank> <dims...> <values...>  integer tensor, row-major
  end
"""
import math
import sys

import numpy as np

INT32_MIN = -(1 << 31)
INT32_MAX = (1 << 31) - 1


# ---- fixed-point primitives on Python ints (exact) -----------------------------------------

def srdhm(a, b):
    if a == INT32_MIN and b == INT32_MIN:
        return INT32_MAX
    return (a * b + (1 << 30)) >> 31


def rdbpot(x, e):
    if e == 0:
        return x
    half = 1 << (e - 1)
    return (abs(x) + half) >> e if x >= 0 else -((abs(x) + half) >> e)


def sat32(v):
    return max(INT32_MIN, min(INT32_MAX, v))


def requant(x, m, s):
    left, right = max(s, 0), max(-s, 0)
    return rdbpot(srdhm(sat32(x * (1 << left)), m), right)


def quantize_multiplier(real):
    if real == 0.0:
        return 0, 0
    if real < 0:
        m, s = quantize_multiplier(-real)
        return -m, s
    q, e = math.frexp(real)
    qf = math.floor(q * (1 << 31) + 0.5)  # q > 0: half away from zero
    if qf == 1 << 31:
        qf //= 2
        e += 1
    if e < -31:
        return 0, 0
    if e > 30:
        return INT32_MAX, 30
    return int(qf), e


def div_round(acc, n):
    """TFLite's rounded average: (acc +- n//2) / n truncated toward zero."""
    num = acc + n // 2 if acc > 0 else acc - n // 2
    q = abs(num) // n
    return q if num >= 0 else -q


def clamp(v, lo, hi):
    return max(lo, min(hi, v))


# ---- the writer ----------------------------------------------------------------------------

class Writer:
    def __init__(self, f):
        self.f = f
        self.count = {}

    def case(self, kind, ints, tensors, floats=None):
        k = self.count.get(kind, 0)
        self.count[kind] = k + 1
        out = [f"case {kind} {k}"]
        for name, v in ints.items():
            out.append(f"i {name} {int(v)}")
        for name, v in (floats or {}).items():
            out.append(f"f {name} {float(np.float32(v)).hex()}")
        for name, arr in tensors.items():
            a = np.asarray(arr)
            vals = " ".join(str(int(v)) for v in a.reshape(-1))
            out.append(f"t {name} {a.ndim} {' '.join(str(d) for d in a.shape)} {vals}".rstrip())
        out.append("end")
        self.f.write("\n".join(out) + "\n")


def rand_zp(rng):
    """Zero points incl. the uint8-derived extremes (uint8 zp 0 / 255 -> int8 -128 / 127)."""
    r = rng.random()
    if r < 0.2:
        return -128
    if r < 0.3:
        return 127
    if r < 0.45:
        return 0
    return int(rng.integers(-128, 128))


def rand_clamp(rng, y_zp):
    r = rng.random()
    if r < 0.5:
        return -128, 127
    if r < 0.7:
        return y_zp, 127  # Relu
    lo = int(rng.integers(-128, 60))
    return lo, int(rng.integers(lo, 128))


def rand_scale(rng, lo=-9, hi=-2):
    return float(np.float32(2.0 ** rng.uniform(lo, hi)))


def rq_table(rng, n_channels, x_scale, y_scale, per_channel):
    n = n_channels if per_channel else 1
    rq = []
    for _ in range(n):
        ws = rand_scale(rng, -9, -4)
        real = x_scale * ws / y_scale
        if rng.random() < 0.1:
            real = 2.0 ** -int(rng.integers(6, 12))  # exact powers of two: rounding ties happen
        elif rng.random() < 0.05:
            real *= 2.0 ** rng.integers(1, 6)  # a multiplier > 1: left shift
        rq.append(quantize_multiplier(real))
    return np.array(rq, dtype=np.int64).reshape(n, 2)


def rand_wzp(rng, n):
    r = rng.random()
    if r < 0.4:
        return None
    if r < 0.6:
        return np.array([rand_zp(rng)], dtype=np.int64)
    return np.array([rand_zp(rng) for _ in range(n)], dtype=np.int64)


def out_of(acc, bias, rq, wzp_unused, y_zp, lo, hi):
    del wzp_unused
    v = requant(sat32(acc + bias), int(rq[0]), int(rq[1]))
    return clamp(sat32(v + y_zp), lo, hi)


# ---- Conv ----------------------------------------------------------------------------------

def gen_conv(w, rng, n_cases):
    for _ in range(n_cases):
        rank = 4 if rng.random() < 0.75 else 3
        kind = rng.integers(0, 3)  # regular, grouped, depthwise (any multiplier)
        if kind == 0:
            group, cin = 1, int(rng.integers(1, 6))
            m = int(rng.integers(1, 6))
        elif kind == 1:
            group = int(rng.integers(2, 4))
            cin = group * int(rng.integers(1, 3))
            m = group * int(rng.integers(1, 3))
        else:
            cin = int(rng.integers(1, 5))
            group = cin
            m = cin * int(rng.integers(1, 4))
        n = int(rng.integers(1, 3))
        kh = int(rng.integers(1, 4)) if rank == 4 else 1
        kw = int(rng.integers(1, 4))
        sh = int(rng.integers(1, 4)) if rank == 4 else 1
        sw = int(rng.integers(1, 4))
        dh = int(rng.integers(1, 3)) if rank == 4 else 1
        dw = int(rng.integers(1, 3))
        pt = int(rng.integers(0, 3)) if rank == 4 else 0
        pb = int(rng.integers(0, 3)) if rank == 4 else 0
        pl, pr = int(rng.integers(0, 3)), int(rng.integers(0, 3))
        ekh, ekw = (kh - 1) * dh + 1, (kw - 1) * dw + 1
        ih = int(rng.integers(max(1, ekh - pt - pb), 9)) if rank == 4 else 1
        iw = int(rng.integers(max(1, ekw - pl - pr), 9))
        oh = (ih + pt + pb - ekh) // sh + 1
        ow = (iw + pl + pr - ekw) // sw + 1
        x_zp, y_zp = rand_zp(rng), rand_zp(rng)
        lo, hi = rand_clamp(rng, y_zp)
        cin_g, cout_g = cin // group, m // group
        x = rng.integers(-128, 128, size=(n, cin, ih, iw))
        wt = rng.integers(-128, 128, size=(m, cin_g, kh, kw))
        bias = rng.integers(-(1 << 17), 1 << 17, size=(m,)) if rng.random() < 0.8 else None
        x_scale, y_scale = rand_scale(rng), rand_scale(rng, -5, 0)
        rq = rq_table(rng, m, x_scale, y_scale, rng.random() < 0.6)
        wzp = rand_wzp(rng, m)
        y = np.zeros((n, m, oh, ow), dtype=np.int64)
        xp = np.pad(x - x_zp, ((0, 0), (0, 0), (pt, pb), (pl, pr)))  # padded taps are 0 after offset
        for b in range(n):
            for mm in range(m):
                g = mm // cout_g
                wz = 0 if wzp is None else int(wzp[mm if len(wzp) > 1 else 0])
                wf = wt[mm] - wz
                r = rq[mm if len(rq) > 1 else 0]
                bb = 0 if bias is None else int(bias[mm])
                for i in range(oh):
                    for j in range(ow):
                        win = xp[b, g * cin_g:(g + 1) * cin_g, i * sh:i * sh + ekh:dh, j * sw:j * sw + ekw:dw]
                        acc = int(np.sum(win * wf))
                        y[b, mm, i, j] = out_of(acc, bb, r, None, y_zp, lo, hi)
        if rank == 3:
            x, wt, y = x[:, :, 0, :], wt[:, :, 0, :], y[:, :, 0, :]
        ints = dict(rank=rank, kh=kh, kw=kw, sh=sh, sw=sw, dh=dh, dw=dw, pt=pt, pl=pl, pb=pb, pr=pr, group=group,
                    x_zp=x_zp, y_zp=y_zp, act_min=lo, act_max=hi)
        tensors = dict(x=x, w=wt, rq=rq, y=y)
        if bias is not None:
            tensors["bias"] = bias
        if wzp is not None:
            tensors["wzp"] = wzp
        w.case("conv", ints, tensors)


# ---- Gemm / MatMul -------------------------------------------------------------------------

def matmul_core(a, b, a_zp, bzp, bias, rq, y_zp, lo, hi):
    """a [..., M, K], b [..., K, N] (already broadcast-compatible), per-column n params."""
    prod = np.matmul(a - a_zp, b - bzp.reshape(1, -1) if bzp is not None else b)
    n_cols = prod.shape[-1]
    y = np.zeros(prod.shape, dtype=np.int64)
    it = np.nditer(prod, flags=["multi_index"])
    for v in it:
        j = it.multi_index[-1]
        r = rq[j if len(rq) > 1 else 0]
        bb = 0 if bias is None else int(bias[j if len(bias) > 1 else 0])
        y[it.multi_index] = out_of(int(v), bb, r, None, y_zp, lo, hi)
    del n_cols
    return y


def gen_gemm(w, rng, n_cases):
    for _ in range(n_cases):
        m, k, n = (int(rng.integers(1, 7)) for _ in range(3))
        if rng.random() < 0.1:
            k = int(rng.integers(100, 400))
        ta, tb = int(rng.integers(0, 2)), int(rng.integers(0, 2))
        a = rng.integers(-128, 128, size=(m, k))
        b = rng.integers(-128, 128, size=(k, n))
        a_zp, y_zp = rand_zp(rng), rand_zp(rng)
        lo, hi = rand_clamp(rng, y_zp)
        bias = rng.integers(-(1 << 17), 1 << 17, size=(n if rng.random() < 0.8 else 1,)) if rng.random() < 0.8 else None
        rq = rq_table(rng, n, rand_scale(rng), rand_scale(rng, -5, 0), rng.random() < 0.6)
        bzp = rand_wzp(rng, n)
        bzp_full = None if bzp is None else np.broadcast_to(bzp, (n,))
        y = matmul_core(a, b, a_zp, bzp_full, bias, rq, y_zp, lo, hi)
        ints = dict(trans_a=ta, trans_b=tb, a_zp=a_zp, y_zp=y_zp, act_min=lo, act_max=hi)
        tensors = dict(a=a.T if ta else a, b=b.T if tb else b, rq=rq, y=y)
        if bias is not None:
            tensors["bias"] = bias
        if bzp is not None:
            tensors["bzp"] = bzp
        w.case("gemm", ints, tensors)


def gen_matmul(w, rng, n_cases):
    for _ in range(n_cases):
        m, k, n = (int(rng.integers(1, 6)) for _ in range(3))
        a_rank, b_rank = int(rng.integers(1, 5)), int(rng.integers(1, 5))
        batch = [int(rng.integers(1, 4)) for _ in range(2)]

        def batch_dims(r):
            dims = batch[len(batch) - max(r - 2, 0):]
            return [d if rng.random() < 0.7 else 1 for d in dims]

        a_shape = batch_dims(a_rank) + ([m, k] if a_rank >= 2 else [k])
        b_shape = batch_dims(b_rank) + ([k, n] if b_rank >= 2 else [k])
        a = rng.integers(-128, 128, size=a_shape)
        b = rng.integers(-128, 128, size=b_shape)
        n_cols = n if b_rank >= 2 else 1
        a_zp, y_zp = rand_zp(rng), rand_zp(rng)
        lo, hi = rand_clamp(rng, y_zp)
        bias = rng.integers(-(1 << 17), 1 << 17, size=(n_cols,)) if rng.random() < 0.5 else None
        rq = rq_table(rng, n_cols, rand_scale(rng), rand_scale(rng, -5, 0), rng.random() < 0.5)
        bzp = rand_wzp(rng, n_cols)
        bzp_full = np.zeros(n_cols, dtype=np.int64) if bzp is None else np.broadcast_to(bzp, (n_cols,))
        # numpy matmul semantics on promoted operands, then squeeze the promoted dims
        a2 = a if a_rank >= 2 else a.reshape(1, k)
        b2 = b - bzp_full.reshape(1, -1) if b_rank >= 2 else (b - bzp_full[0]).reshape(k, 1)
        prod = np.matmul(a2 - a_zp, b2)
        if a_rank == 1:
            prod = prod[..., 0, :]
        if b_rank == 1:
            prod = prod[..., 0]
        y = np.zeros(prod.shape, dtype=np.int64)
        for idx in np.ndindex(*prod.shape):
            j = idx[-1] if (b_rank >= 2 and len(idx) > 0) else 0
            r = rq[j if len(rq) > 1 else 0]
            bb = 0 if bias is None else int(bias[j if len(bias) > 1 else 0])
            y[idx] = out_of(int(prod[idx]), bb, r, None, y_zp, lo, hi)
        ints = dict(a_zp=a_zp, y_zp=y_zp, act_min=lo, act_max=hi)
        tensors = dict(a=a, b=b, rq=rq, y=y)
        if bias is not None:
            tensors["bias"] = bias
        if bzp is not None:
            tensors["bzp"] = bzp
        w.case("matmul", ints, tensors)


# ---- Elementwise ---------------------------------------------------------------------------

def broadcast_pair(rng):
    rank = int(rng.integers(0, 5))
    out = [int(rng.integers(1, 5)) for _ in range(rank)]
    def operand():
        r = int(rng.integers(0, rank + 1))
        dims = out[rank - r:]
        return [d if rng.random() < 0.6 else 1 for d in dims]
    return operand(), operand()


def gen_add(w, rng, n_cases, subtract):
    for _ in range(n_cases):
        sa_, sb_ = broadcast_pair(rng)
        a = rng.integers(-128, 128, size=sa_)
        b = rng.integers(-128, 128, size=sb_)
        a_zp, b_zp, y_zp = rand_zp(rng), rand_zp(rng), rand_zp(rng)
        lo, hi = rand_clamp(rng, y_zp)
        s_a, s_b, s_y = rand_scale(rng), rand_scale(rng), rand_scale(rng)
        left_shift = 20
        twice_max = 2.0 * max(s_a, s_b)
        am, ash = quantize_multiplier(s_a / twice_max)
        bm, bsh = quantize_multiplier(s_b / twice_max)
        om, osh = quantize_multiplier(twice_max / ((1 << left_shift) * s_y))
        ab = np.broadcast_arrays(a, b)
        y = np.zeros(ab[0].shape, dtype=np.int64)
        for idx in np.ndindex(*y.shape):
            va = rdbpot(srdhm((int(ab[0][idx]) - a_zp) * (1 << left_shift), am), -ash)
            vb = rdbpot(srdhm((int(ab[1][idx]) - b_zp) * (1 << left_shift), bm), -bsh)
            raw = va - vb if subtract else va + vb
            y[idx] = clamp(requant(raw, om, osh) + y_zp, lo, hi)
        ints = dict(a_zp=a_zp, b_zp=b_zp, y_zp=y_zp, left_shift=left_shift, a_mult=am, a_shift=ash, b_mult=bm,
                    b_shift=bsh, y_mult=om, y_shift=osh, act_min=lo, act_max=hi)
        w.case("sub" if subtract else "add", ints, dict(a=a, b=b, y=y),
               floats=dict(a_scale=s_a, b_scale=s_b, y_scale=s_y))


def gen_mul(w, rng, n_cases):
    for _ in range(n_cases):
        sa_, sb_ = broadcast_pair(rng)
        a = rng.integers(-128, 128, size=sa_)
        b = rng.integers(-128, 128, size=sb_)
        a_zp, b_zp, y_zp = rand_zp(rng), rand_zp(rng), rand_zp(rng)
        lo, hi = rand_clamp(rng, y_zp)
        s_a, s_b, s_y = rand_scale(rng, -6, -1), rand_scale(rng, -6, -1), rand_scale(rng, -8, -2)
        om, osh = quantize_multiplier(s_a * s_b / s_y)
        ab = np.broadcast_arrays(a, b)
        y = np.zeros(ab[0].shape, dtype=np.int64)
        for idx in np.ndindex(*y.shape):
            prod = (int(ab[0][idx]) - a_zp) * (int(ab[1][idx]) - b_zp)
            y[idx] = clamp(requant(prod, om, osh) + y_zp, lo, hi)
        ints = dict(a_zp=a_zp, b_zp=b_zp, y_zp=y_zp, y_mult=om, y_shift=osh, act_min=lo, act_max=hi)
        w.case("mul", ints, dict(a=a, b=b, y=y), floats=dict(a_scale=s_a, b_scale=s_b, y_scale=s_y))


def gen_requantize(w, rng, n_cases):
    for _ in range(n_cases):
        shape = [int(rng.integers(1, 5)) for _ in range(int(rng.integers(0, 4)))]
        x = rng.integers(-128, 128, size=shape)
        x_zp, y_zp = rand_zp(rng), rand_zp(rng)
        lo, hi = rand_clamp(rng, y_zp)
        # scale ratios of exact powers of two (e.g. 0.5) make SRDHM / RDBPOT hit rounding ties
        real = 2.0 ** int(rng.integers(-4, 3)) if rng.random() < 0.4 else 2.0 ** rng.uniform(-4, 4)
        mult, shift = quantize_multiplier(real)
        y = np.vectorize(lambda v: clamp(requant(int(v) - x_zp, mult, shift) + y_zp, lo, hi))(x) if x.size else x
        w.case("requantize", dict(x_zp=x_zp, y_zp=y_zp, mult=mult, shift=shift, act_min=lo, act_max=hi),
               dict(x=x, y=np.asarray(y).reshape(x.shape)))


# ---- Pools ---------------------------------------------------------------------------------

def gen_pool(w, rng, n_cases, is_max):
    made = 0
    while made < n_cases:
        rank = 4 if rng.random() < 0.75 else 3
        kh = int(rng.integers(1, 4)) if rank == 4 else 1
        kw = int(rng.integers(1, 4))
        sh = int(rng.integers(1, 4)) if rank == 4 else 1
        sw = int(rng.integers(1, 4))
        dh = int(rng.integers(1, 3)) if rank == 4 else 1
        dw = int(rng.integers(1, 3))
        ekh, ekw = (kh - 1) * dh + 1, (kw - 1) * dw + 1
        pt = int(rng.integers(0, ekh)) if rank == 4 else 0
        pb = int(rng.integers(0, ekh)) if rank == 4 else 0
        pl, pr = int(rng.integers(0, ekw)), int(rng.integers(0, ekw))
        ih = int(rng.integers(1, 9)) if rank == 4 else 1
        iw = int(rng.integers(1, 9))
        ceil = rng.random() < 0.3

        def out_len(inp, k_ext, s, p0, p1):
            span = inp + p0 + p1 - k_ext
            if span < 0:
                return -1
            fl = span // s + 1
            if not ceil:
                return fl
            cl = -(-span // s) + 1
            return cl - 1 if (cl - 1) * s >= inp + p0 else cl

        oh = out_len(ih, ekh, sh, pt, pb) if rank == 4 else 1
        ow = out_len(iw, ekw, sw, pl, pr)
        if oh < 1 or ow < 1:
            continue
        made += 1
        n, c = int(rng.integers(1, 3)), int(rng.integers(1, 4))
        cip = int(rng.integers(0, 2))
        x_zp = rand_zp(rng)
        lo, hi = rand_clamp(rng, x_zp)
        x = rng.integers(-128, 128, size=(n, c, ih, iw))
        y = np.zeros((n, c, oh, ow), dtype=np.int64)
        for i in range(oh):
            for j in range(ow):
                rows = [i * sh - pt + t * dh for t in range(kh)]
                cols = [j * sw - pl + t * dw for t in range(kw)]
                vr = [r for r in rows if 0 <= r < ih]
                vc = [q for q in cols if 0 <= q < iw]
                if cip:
                    cnt = sum(1 for r in rows if -pt <= r < ih + pb) * sum(1 for q in cols if -pl <= q < iw + pr)
                else:
                    cnt = len(vr) * len(vc)
                for b in range(n):
                    for ch in range(c):
                        vals = [int(x[b, ch, r, q]) for r in vr for q in vc]
                        if is_max:
                            v = max(vals) if vals else -128
                        else:
                            acc = sum(vals) + (cnt - len(vals)) * x_zp
                            v = div_round(acc, cnt) if cnt > 0 else 0
                        y[b, ch, i, j] = clamp(v, lo, hi)
        if rank == 3:
            x, y = x[:, :, 0, :], y[:, :, 0, :]
        ints = dict(rank=rank, kh=kh, kw=kw, sh=sh, sw=sw, dh=dh, dw=dw, pt=pt, pl=pl, pb=pb, pr=pr,
                    count_include_pad=cip, x_zp=x_zp, act_min=lo, act_max=hi)
        w.case("maxpool" if is_max else "avgpool", ints, dict(x=x, y=y))


def gen_global_pool(w, rng, n_cases, is_max):
    for _ in range(n_cases):
        rank = int(rng.integers(3, 6))
        shape = [int(rng.integers(1, 3)), int(rng.integers(1, 4))] + [int(rng.integers(1, 6)) for _ in range(rank - 2)]
        if rng.random() < 0.1:
            shape[-1] = int(rng.integers(200, 600))
        x = rng.integers(-128, 128, size=shape)
        count = int(np.prod(shape[2:]))
        x_zp, y_zp = rand_zp(rng), rand_zp(rng)
        lo, hi = rand_clamp(rng, y_zp if not is_max else x_zp)
        mult, shift = quantize_multiplier(2.0 ** rng.uniform(-2, 2) if rng.random() < 0.7 else 1.0)
        y = np.zeros(shape[:2] + [1] * (rank - 2), dtype=np.int64)
        for b in range(shape[0]):
            for c in range(shape[1]):
                plane = x[b, c].reshape(-1)
                if is_max:
                    v = int(plane.max())
                else:
                    acc = int(np.sum(plane - x_zp))
                    v = div_round(requant(acc, mult, shift), count) + y_zp
                y[(b, c) + (0,) * (rank - 2)] = clamp(v, lo, hi)
        ints = dict(count=count, x_zp=x_zp, y_zp=y_zp, mult=mult, shift=shift, act_min=lo, act_max=hi)
        w.case("gmaxpool" if is_max else "gavgpool", ints, dict(x=x, y=y))


# ---- Softmax (TFLite's integer algorithm from gemmlowp's fixed-point definitions) ----------

def sat_mul_pot(x, e):
    """SaturatingRoundingMultiplyByPOT<e> for e > 0."""
    return max(INT32_MIN, min(INT32_MAX, x * (1 << e)))


def fx_mul(a, b):
    return srdhm(a, b)


def exp_on_interval(a):
    """exp(a), a in [-1/4, 0) in Q0.31, by the Taylor series around -1/8."""
    const_term = 1895147668  # exp(-1/8)
    one_third = 715827883
    x = a + (1 << 28)
    x2 = fx_mul(x, x)
    x3 = fx_mul(x2, x)
    x4 = fx_mul(x2, x2)
    x4_over_4 = rdbpot(x4, 2)
    poly = rdbpot(fx_mul(x4_over_4 + x3, one_third) + x2, 1)
    return const_term + fx_mul(const_term, x + poly)


def exp_on_negative_values(a):
    """a <= 0 in Q5.26 -> exp(a) in Q0.31."""
    quarter = 1 << 24
    a_mod = (a & (quarter - 1)) - quarter
    rem = a_mod - a
    result = exp_on_interval(a_mod * 32)
    for k, mult in zip(range(-2, 5), [1672461947, 1302514674, 790015084, 290630308, 39332535, 720401, 242]):
        if rem & (1 << (26 + k)):
            result = fx_mul(result, mult)
    return INT32_MAX if a == 0 else result


def one_over_one_plus_x(a):
    s = a + INT32_MAX  # RoundingHalfSum(a, 1.0): (a + b + sign) / 2 truncated; s >= 0 here
    assert s >= 0
    half_den = (s + 1) // 2
    x = 1515870810 + fx_mul(half_den, -1010580540)
    for _ in range(3):
        one_minus = (1 << 29) - fx_mul(half_den, x)
        x = x + sat_mul_pot(fx_mul(x, one_minus), 2)
    return sat_mul_pot(x, 1)


def quantize_softmax(beta, scale):
    real = min(beta * scale * (1 << 26), float((1 << 31) - 1))
    mult, shift = quantize_multiplier(real)
    diff_min = -int(math.floor(31 * (1 << 26) / (1 << shift)))
    return mult, shift, diff_min


def softmax_line(line, mult, shift, diff_min):
    mx = max(line)
    scaled = []
    total = 0
    for v in line:
        d = v - mx
        if d >= diff_min:
            s = srdhm(d * (1 << shift), mult)
            scaled.append(s)
            total += rdbpot(exp_on_negative_values(s), 12)
        else:
            scaled.append(None)
    headroom = 32 - total.bit_length()
    nbou = 12 - headroom
    recip = one_over_one_plus_x(((total << headroom) & 0xFFFFFFFF) - (1 << 31))
    out = []
    for s in scaled:
        if s is None:
            out.append(-128)
            continue
        prod = srdhm(recip, exp_on_negative_values(s))
        e = nbou + 31 - 8
        v = rdbpot(prod, e) - 128  # e may exceed 31 (TFLite: undefined shift); the quotient is 0 then
        out.append(clamp(v, -128, 127))
    return out


def gen_softmax(w, rng, n_cases):
    for _ in range(n_cases):
        rank = int(rng.integers(1, 4))
        shape = [int(rng.integers(1, 6)) for _ in range(rank)]
        axis = int(rng.integers(0, rank))
        if rng.random() < 0.15:
            shape[axis] = int(rng.integers(100, 1200))
        x = rng.integers(-128, 128, size=shape)
        if rng.random() < 0.2:
            x = np.full(shape, int(rng.integers(-128, 128)))  # ties everywhere
        beta = float(np.float32(rng.choice([1.0, 0.5, 2.0])))
        scale = rand_scale(rng, -8, 0)
        mult, shift, diff_min = quantize_softmax(beta, scale)
        y = np.zeros(shape, dtype=np.int64)
        xm = np.moveaxis(x, axis, -1)
        ym = np.moveaxis(y, axis, -1)
        for idx in np.ndindex(*xm.shape[:-1]):
            ym[idx] = softmax_line([int(v) for v in xm[idx]], mult, shift, diff_min)
        w.case("softmax", dict(axis=axis, mult=mult, shift=shift, diff_min=diff_min), dict(x=x, y=y),
               floats=dict(beta=beta, scale=scale))


# ---- Host math: QuantizeMultiplier and LUTs ------------------------------------------------

def gen_quantize_multiplier(w, rng, n_cases):
    reals = [0.5, 0.25, 1.0, 0.75, 2.0 ** -31, 2.0 ** -32, 2.0 ** -33, 1.0 - 2.0 ** -33, 2.0 ** 30, 2.0 ** 31,
             3.0 * 2.0 ** 40, 1.5e-10]
    reals += [2.0 ** rng.uniform(-40, 35) for _ in range(n_cases)]
    for r in reals:
        m, s = quantize_multiplier(r)
        w.f.write(f"case qm 0\nd real {r.hex()}\ni mult {m}\ni shift {s}\nend\n")


FUNCS = {
    "sigmoid": lambda v: 1.0 / (1.0 + math.exp(-v)),
    "tanh": math.tanh,
    "hardswish": lambda v: v * min(max(v / 6.0 + 0.5, 0.0), 1.0),
    "exp": lambda v: math.exp(v) if v < 700 else math.inf,
    "leakyrelu": lambda v: v if v >= 0 else 0.1 * v,
}


def quantize_f32(v, scale, zp, qmin, qmax):
    """onnxruntime QuantizeLinear: float32 division, nearbyint (ties to even), + zp, saturate."""
    if math.isnan(v):
        return clamp(zp, qmin, qmax)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        q = np.float32(v) / np.float32(scale)
    if np.isnan(q):
        return clamp(zp, qmin, qmax)
    if np.isinf(q):
        return qmax if q > 0 else qmin
    return clamp(int(np.rint(np.float64(q))) + zp, qmin, qmax)


def gen_lut(w, rng, n_cases):
    names = sorted(FUNCS)
    for k in range(n_cases):
        name = names[k % len(names)]
        signed = k % 3 != 2
        qmin, qmax = (-128, 127) if signed else (0, 255)
        x_scale = rand_scale(rng, -7, -2)
        y_scale = rand_scale(rng, -9, -4)
        x_zp = int(rng.integers(qmin, qmax + 1))
        y_zp = int(rng.integers(qmin, qmax + 1))
        table = []
        for i in range(256):
            q = qmin + i
            with np.errstate(over="ignore"):
                xf = np.float32(np.float64(q - x_zp) * np.float64(np.float32(x_scale)))
            yv = FUNCS[name](float(xf))
            with np.errstate(over="ignore"):
                yf = float(np.float32(yv))
            table.append(quantize_f32(yf, np.float32(y_scale), y_zp, qmin, qmax))
        w.f.write(f"case lut {k}\ns func {name}\ni signed {int(signed)}\nf x_scale {float(np.float32(x_scale)).hex()}\n"
                  f"i x_zp {x_zp}\nf y_scale {float(np.float32(y_scale)).hex()}\ni y_zp {y_zp}\n"
                  f"t table 1 256 {' '.join(str(v) for v in table)}\nend\n")


def main():
    out = sys.argv[1]
    rng = np.random.default_rng(20240807)
    with open(out + ".tmp", "w") as f:
        w = Writer(f)
        gen_conv(w, rng, 120)
        gen_gemm(w, rng, 60)
        gen_matmul(w, rng, 60)
        gen_add(w, rng, 60, False)
        gen_add(w, rng, 40, True)
        gen_mul(w, rng, 60)
        gen_requantize(w, rng, 40)
        gen_pool(w, rng, 80, False)
        gen_pool(w, rng, 60, True)
        gen_global_pool(w, rng, 40, False)
        gen_global_pool(w, rng, 20, True)
        gen_softmax(w, rng, 60)
        gen_quantize_multiplier(w, rng, 300)
        gen_lut(w, rng, 30)
    import os
    os.replace(out + ".tmp", out)


if __name__ == "__main__":
    main()
