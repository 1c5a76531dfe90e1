// Random valid call shapes for every int8 kernel (dims, dtypes, params), shared by the strided
// and strip tests and the check() fuzzer. Data is filled by the tests; params are valid.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "s8_test_util.h"
#include "strided_test_util.h"

namespace s8test {

struct Spec {
  const Kernel* kernel = nullptr;
  std::string what;
  std::vector<Dims> in_dims;
  std::vector<int32_t> in_dtypes;  // 0 = optional input omitted (zeroed view)
  Dims out_dims;
  int32_t out_dtype = TGRS_DTYPE_I8;
  std::vector<uint32_t> params;
};

inline int32_t Zp(std::mt19937& rng) {
  const int32_t r = Rand(rng, 0, 9);
  return r < 2 ? -128 : (r < 3 ? 127 : Rand(rng, -128, 127));
}

template <class P>
void SetClamp(std::mt19937& rng, P& p) {
  p.act_min = Rand(rng, 0, 1) ? -128 : Rand(rng, -128, 0);
  p.act_max = Rand(rng, 0, 1) ? 127 : Rand(rng, p.act_min, 127);
}

inline void Add(Spec& s, const Dims& dims, int32_t dtype) {
  s.in_dims.push_back(dims);
  s.in_dtypes.push_back(dtype);
}

inline void Optional(std::mt19937& rng, Spec& s, const Dims& dims, int32_t dtype) {
  if (Rand(rng, 0, 2) == 0) {
    Add(s, {}, 0);
  } else {
    Add(s, dims, dtype);
  }
}

inline Spec ConvSpec(std::mt19937& rng) {
  Spec s;
  s.kernel = &kConv;
  tgrs_conv_s8_params_t p{};
  const int32_t rank = Rand(rng, 0, 3) ? 4 : 3;
  const int32_t kind = Rand(rng, 0, 2);
  int32_t cin, m;
  if (kind == 0) {
    p.group = 1;
    cin = Rand(rng, 1, 4);
    m = Rand(rng, 1, 4);
  } else if (kind == 1) {
    p.group = Rand(rng, 2, 3);
    cin = p.group * Rand(rng, 1, 2);
    m = p.group * Rand(rng, 1, 2);
  } else {
    cin = Rand(rng, 1, 4);
    p.group = cin;
    m = cin * Rand(rng, 1, 3);
  }
  const int32_t n = Rand(rng, 1, 2);
  p.kernel_h = rank == 4 ? Rand(rng, 1, 3) : 1;
  p.kernel_w = Rand(rng, 1, 3);
  p.stride_h = rank == 4 ? Rand(rng, 1, 3) : 1;
  p.stride_w = Rand(rng, 1, 3);
  p.dilation_h = rank == 4 ? Rand(rng, 1, 2) : 1;
  p.dilation_w = Rand(rng, 1, 2);
  p.pad_top = rank == 4 ? Rand(rng, 0, 2) : 0;
  p.pad_bottom = rank == 4 ? Rand(rng, 0, 2) : 0;
  p.pad_left = Rand(rng, 0, 2);
  p.pad_right = Rand(rng, 0, 2);
  const int32_t ekh = (p.kernel_h - 1) * p.dilation_h + 1, ekw = (p.kernel_w - 1) * p.dilation_w + 1;
  const int32_t ih = rank == 4 ? Rand(rng, std::max(1, ekh - p.pad_top - p.pad_bottom), 7) : 1;
  const int32_t iw = Rand(rng, std::max(1, ekw - p.pad_left - p.pad_right), 7);
  const int32_t oh = (ih + p.pad_top + p.pad_bottom - ekh) / p.stride_h + 1;
  const int32_t ow = (iw + p.pad_left + p.pad_right - ekw) / p.stride_w + 1;
  p.input_zp = Zp(rng);
  p.output_zp = Zp(rng);
  SetClamp(rng, p);
  auto sp = [&](Dims d4) {
    if (rank == 3) d4.erase(d4.begin() + 2);
    return d4;
  };
  Add(s, sp({n, cin, ih, iw}), TGRS_DTYPE_I8);
  Add(s, sp({m, cin / p.group, p.kernel_h, p.kernel_w}), TGRS_DTYPE_I8);
  Optional(rng, s, {m}, TGRS_DTYPE_I32);
  Add(s, {Rand(rng, 0, 1) ? m : 1, 2}, TGRS_DTYPE_I32);
  Optional(rng, s, {Rand(rng, 0, 1) ? m : 1}, TGRS_DTYPE_I32);
  s.out_dims = sp({n, m, oh, ow});
  s.params = tgrs_test::ParamWords(p);
  s.what = "conv rank " + std::to_string(rank) + " group " + std::to_string(p.group);
  return s;
}

inline Spec GemmSpec(std::mt19937& rng) {
  Spec s;
  s.kernel = &kGemm;
  tgrs_gemm_s8_params_t p{};
  const int32_t m = Rand(rng, 1, 5), k = Rand(rng, 1, 9), n = Rand(rng, 1, 5);
  p.trans_a = Rand(rng, 0, 1);
  p.trans_b = Rand(rng, 0, 1);
  p.a_zp = Zp(rng);
  p.output_zp = Zp(rng);
  SetClamp(rng, p);
  Add(s, p.trans_a ? Dims{k, m} : Dims{m, k}, TGRS_DTYPE_I8);
  Add(s, p.trans_b ? Dims{n, k} : Dims{k, n}, TGRS_DTYPE_I8);
  Optional(rng, s, {Rand(rng, 0, 1) ? n : 1}, TGRS_DTYPE_I32);
  Add(s, {Rand(rng, 0, 1) ? n : 1, 2}, TGRS_DTYPE_I32);
  Optional(rng, s, {Rand(rng, 0, 1) ? n : 1}, TGRS_DTYPE_I32);
  s.out_dims = {m, n};
  s.params = tgrs_test::ParamWords(p);
  s.what = "gemm";
  return s;
}

inline Spec MatMulSpec(std::mt19937& rng) {
  Spec s;
  s.kernel = &kMatMul;
  tgrs_matmul_s8_params_t p{};
  const int32_t m = Rand(rng, 1, 4), k = Rand(rng, 1, 6), n = Rand(rng, 1, 4);
  const int32_t ar = Rand(rng, 1, 4), br = Rand(rng, 1, 4);
  const Dims batch = {Rand(rng, 1, 3), Rand(rng, 1, 3)};
  auto batch_of = [&](int32_t r) {
    Dims d;
    for (int32_t i = 2 - std::max(r - 2, 0); i < 2; ++i) d.push_back(Rand(rng, 0, 2) ? batch[i] : 1);
    return d;
  };
  Dims a = batch_of(ar), b = batch_of(br);
  const Dims ab = a, bb = b;
  if (ar >= 2) a.push_back(m);
  a.push_back(k);
  b.push_back(k);
  if (br >= 2) b.push_back(n);
  // output: broadcast batch, then M (a rank >= 2), then N (b rank >= 2)
  Dims y;
  const size_t nb = std::max(ab.size(), bb.size());
  for (size_t i = 0; i < nb; ++i) {
    const int32_t da = i + ab.size() >= nb ? ab[i + ab.size() - nb] : 1;
    const int32_t db = i + bb.size() >= nb ? bb[i + bb.size() - nb] : 1;
    y.push_back(std::max(da, db));
  }
  if (ar >= 2) y.push_back(m);
  if (br >= 2) y.push_back(n);
  const int32_t cols = br >= 2 ? n : 1;
  p.a_zp = Zp(rng);
  p.output_zp = Zp(rng);
  SetClamp(rng, p);
  Add(s, a, TGRS_DTYPE_I8);
  Add(s, b, TGRS_DTYPE_I8);
  Optional(rng, s, {Rand(rng, 0, 1) ? cols : 1}, TGRS_DTYPE_I32);
  Add(s, {Rand(rng, 0, 1) ? cols : 1, 2}, TGRS_DTYPE_I32);
  Optional(rng, s, {Rand(rng, 0, 1) ? cols : 1}, TGRS_DTYPE_I32);
  s.out_dims = y;
  s.params = tgrs_test::ParamWords(p);
  s.what = "matmul a rank " + std::to_string(ar) + " b rank " + std::to_string(br);
  return s;
}

// Two numpy-broadcastable shapes and their broadcast.
inline void BroadcastShapes(std::mt19937& rng, Dims* a, Dims* b, Dims* y) {
  const int32_t rank = Rand(rng, 0, 4);
  y->clear();
  for (int32_t d = 0; d < rank; ++d) y->push_back(Rand(rng, 1, 4));
  auto operand = [&]() {
    const int32_t r = Rand(rng, 0, rank);
    Dims o(y->end() - r, y->end());
    for (auto& e : o)
      if (Rand(rng, 0, 2) == 0) e = 1;
    return o;
  };
  *a = operand();
  *b = operand();
  // the output is the broadcast of the two operands, of the larger operand rank
  const int32_t yr = static_cast<int32_t>(std::max(a->size(), b->size()));
  y->assign(static_cast<size_t>(yr), 1);
  for (int32_t d = 0; d < yr; ++d) {
    const int32_t ia = d - (yr - static_cast<int32_t>(a->size())), ib = d - (yr - static_cast<int32_t>(b->size()));
    (*y)[d] = std::max(ia >= 0 ? (*a)[ia] : 1, ib >= 0 ? (*b)[ib] : 1);
  }
}

inline Spec AddSpec(std::mt19937& rng, bool sub) {
  static const Kernel kSub{"sub_s8", tgrs_sub_s8_check, tgrs_sub_s8_run};
  Spec s;
  s.kernel = sub ? &kSub : &kAdd;
  tgrs_add_s8_params_t p{};
  Dims a, b;
  BroadcastShapes(rng, &a, &b, &s.out_dims);
  p.a_zp = Zp(rng);
  p.b_zp = Zp(rng);
  p.output_zp = Zp(rng);
  p.left_shift = 20;
  p.a_mult = Rand(rng, 1 << 30, INT32_MAX);
  p.a_shift = Rand(rng, -5, 0);
  p.b_mult = Rand(rng, 1 << 30, INT32_MAX);
  p.b_shift = Rand(rng, -5, 0);
  p.output_mult = Rand(rng, 1 << 30, INT32_MAX);
  p.output_shift = Rand(rng, -22, -14);
  SetClamp(rng, p);
  Add(s, a, TGRS_DTYPE_I8);
  Add(s, b, TGRS_DTYPE_I8);
  s.params = tgrs_test::ParamWords(p);
  s.what = sub ? "sub" : "add";
  return s;
}

inline Spec MulSpec(std::mt19937& rng) {
  Spec s;
  s.kernel = &kMul;
  tgrs_mul_s8_params_t p{};
  Dims a, b;
  BroadcastShapes(rng, &a, &b, &s.out_dims);
  p.a_zp = Zp(rng);
  p.b_zp = Zp(rng);
  p.output_zp = Zp(rng);
  p.output_mult = Rand(rng, 1 << 30, INT32_MAX);
  p.output_shift = Rand(rng, -10, 0);
  SetClamp(rng, p);
  Add(s, a, TGRS_DTYPE_I8);
  Add(s, b, TGRS_DTYPE_I8);
  s.params = tgrs_test::ParamWords(p);
  s.what = "mul";
  return s;
}

inline Dims RandomDims(std::mt19937& rng, int32_t min_rank, int32_t max_rank, int32_t max_dim = 4) {
  Dims d(static_cast<size_t>(Rand(rng, min_rank, max_rank)));
  for (auto& e : d) e = Rand(rng, 1, max_dim);
  return d;
}

inline Spec RequantizeSpec(std::mt19937& rng) {
  Spec s;
  s.kernel = &kRequantize;
  tgrs_requantize_s8_params_t p{};
  const Dims d = RandomDims(rng, 0, 4);
  p.input_zp = Zp(rng);
  p.output_zp = Zp(rng);
  p.mult = Rand(rng, 1 << 30, INT32_MAX);
  p.shift = Rand(rng, -4, 4);
  SetClamp(rng, p);
  Add(s, d, TGRS_DTYPE_I8);
  s.out_dims = d;
  s.params = tgrs_test::ParamWords(p);
  s.what = "requantize";
  return s;
}

inline Spec LutSpec(std::mt19937& rng) {
  Spec s;
  s.kernel = &kLut;
  const Dims d = RandomDims(rng, 0, 4);
  Add(s, d, TGRS_DTYPE_I8);
  Add(s, {256}, TGRS_DTYPE_I8);
  s.out_dims = d;
  s.params = tgrs_test::ParamWords(tgrs_empty_params_t{});
  s.what = "lut";
  return s;
}

inline Spec PoolSpec(std::mt19937& rng, bool is_max) {
  for (;;) {
    Spec s;
    s.kernel = is_max ? &kMaxPool : &kAvgPool;
    tgrs_pool_s8_params_t p{};
    const int32_t rank = Rand(rng, 0, 3) ? 4 : 3;
    p.kernel_h = rank == 4 ? Rand(rng, 1, 3) : 1;
    p.kernel_w = Rand(rng, 1, 3);
    p.stride_h = rank == 4 ? Rand(rng, 1, 3) : 1;
    p.stride_w = Rand(rng, 1, 3);
    p.dilation_h = rank == 4 ? Rand(rng, 1, 2) : 1;
    p.dilation_w = Rand(rng, 1, 2);
    const int32_t ekh = (p.kernel_h - 1) * p.dilation_h + 1, ekw = (p.kernel_w - 1) * p.dilation_w + 1;
    p.pad_top = rank == 4 ? Rand(rng, 0, ekh - 1) : 0;
    p.pad_bottom = rank == 4 ? Rand(rng, 0, ekh - 1) : 0;
    p.pad_left = Rand(rng, 0, ekw - 1);
    p.pad_right = Rand(rng, 0, ekw - 1);
    p.count_include_pad = Rand(rng, 0, 1);
    p.input_zp = Zp(rng);
    SetClamp(rng, p);
    const int32_t ih = rank == 4 ? Rand(rng, 1, 7) : 1, iw = Rand(rng, 1, 7);
    const bool ceil_mode = Rand(rng, 0, 2) == 0;
    auto out = [&](int32_t in, int32_t ext, int32_t st, int32_t p0, int32_t p1) {
      const int32_t span = in + p0 + p1 - ext;
      if (span < 0) return -1;
      const int32_t fl = span / st + 1, cl = (span + st - 1) / st + 1;
      if (!ceil_mode) return fl;
      return (cl - 1) * st >= in + p0 ? cl - 1 : cl;
    };
    const int32_t oh = rank == 4 ? out(ih, ekh, p.stride_h, p.pad_top, p.pad_bottom) : 1;
    const int32_t ow = out(iw, ekw, p.stride_w, p.pad_left, p.pad_right);
    if (oh < 1 || ow < 1) continue;
    const int32_t n = Rand(rng, 1, 2), c = Rand(rng, 1, 3);
    Add(s, rank == 4 ? Dims{n, c, ih, iw} : Dims{n, c, iw}, TGRS_DTYPE_I8);
    s.out_dims = rank == 4 ? Dims{n, c, oh, ow} : Dims{n, c, ow};
    s.params = tgrs_test::ParamWords(p);
    s.what = is_max ? "maxpool" : "avgpool";
    return s;
  }
}

// flags: any of the four BEGIN/END combinations (the partial is an input without BEGIN and the
// output without END).
inline Spec GlobalAvgPoolSpec(std::mt19937& rng, int32_t flags) {
  Spec s;
  s.kernel = &kGlobalAvgPool;
  tgrs_global_avgpool_s8_params_t p{};
  const Dims x = RandomDims(rng, 3, 5);
  Dims y = x;
  int32_t spatial = 1;
  for (size_t d = 2; d < x.size(); ++d) {
    spatial *= x[d];
    y[d] = 1;
  }
  p.flags = flags;
  p.count = flags == (TGRS_ACC_BEGIN | TGRS_ACC_END) ? spatial : spatial + Rand(rng, 0, 50);
  p.input_zp = Zp(rng);
  p.output_zp = Zp(rng);
  p.mult = Rand(rng, 1 << 30, INT32_MAX);
  p.shift = Rand(rng, -1, 1);
  SetClamp(rng, p);
  Add(s, x, TGRS_DTYPE_I8);
  if (!(flags & TGRS_ACC_BEGIN)) Add(s, y, TGRS_DTYPE_I32);
  s.out_dims = y;
  s.out_dtype = (flags & TGRS_ACC_END) ? TGRS_DTYPE_I8 : TGRS_DTYPE_I32;
  s.params = tgrs_test::ParamWords(p);
  s.what = "global avgpool flags " + std::to_string(flags);
  return s;
}

inline Spec GlobalMaxPoolSpec(std::mt19937& rng, int32_t flags) {
  Spec s;
  s.kernel = &kGlobalMaxPool;
  tgrs_global_maxpool_s8_params_t p{};
  const Dims x = RandomDims(rng, 3, 5);
  Dims y = x;
  int32_t spatial = 1;
  for (size_t d = 2; d < x.size(); ++d) {
    spatial *= x[d];
    y[d] = 1;
  }
  p.flags = flags;
  p.count = flags == (TGRS_ACC_BEGIN | TGRS_ACC_END) ? spatial : spatial + Rand(rng, 0, 50);
  SetClamp(rng, p);
  Add(s, x, TGRS_DTYPE_I8);
  s.out_dims = y;
  s.params = tgrs_test::ParamWords(p);
  s.what = "global maxpool flags " + std::to_string(flags);
  return s;
}

inline Spec SoftmaxSpec(std::mt19937& rng) {
  Spec s;
  s.kernel = &kSoftmax;
  tgrs_softmax_s8_params_t p{};
  const Dims d = RandomDims(rng, 1, 4, 6);
  p.axis = Rand(rng, 0, static_cast<int32_t>(d.size()) - 1);
  p.input_mult = Rand(rng, 1 << 30, INT32_MAX);
  p.input_left_shift = Rand(rng, 15, 26);
  p.diff_min = -static_cast<int32_t>((int64_t{31} << 26) >> p.input_left_shift);
  Add(s, d, TGRS_DTYPE_I8);
  s.out_dims = d;
  s.params = tgrs_test::ParamWords(p);
  s.what = "softmax";
  return s;
}

inline Spec ResizeNearestSpec(std::mt19937& rng) {
  Spec s;
  s.kernel = &kResizeNearest;
  tgrs_resize_nearest_s8_params_t p{};
  const Dims x = RandomDims(rng, 1, 4);
  Dims y = x;
  int32_t off = 0;
  for (size_t d = 0; d < x.size(); ++d) {
    y[d] = Rand(rng, 1, 6);
    p.in_origin[d] = Rand(rng, 0, 2);
    p.out_origin[d] = Rand(rng, 0, 2);
    p.table_offset[d] = off;
    off += p.out_origin[d] + y[d] + Rand(rng, 0, 2);
  }
  const int32_t dt = Rand(rng, 0, 1) ? TGRS_DTYPE_I8 : TGRS_DTYPE_U8;
  Add(s, x, dt);
  Add(s, {off}, TGRS_DTYPE_I32);
  s.out_dims = y;
  s.out_dtype = dt;
  s.params = tgrs_test::ParamWords(p);
  s.what = "resize nearest";
  return s;
}

inline Spec QdqSpec(std::mt19937& rng, bool quantize) {
  Spec s;
  s.kernel = quantize ? &kQuantize : &kDequantize;
  tgrs_qdq_params_t p{};
  const Dims d = RandomDims(rng, 0, 4);
  const int32_t qdt = Rand(rng, 0, 1) ? TGRS_DTYPE_I8 : TGRS_DTYPE_U8;
  p.scale = static_cast<float>(Rand(rng, 1, 64)) / 128.0f;
  p.zero_point = qdt == TGRS_DTYPE_I8 ? Zp(rng) : Rand(rng, 0, 255);
  Add(s, d, quantize ? TGRS_DTYPE_F32 : qdt);
  s.out_dims = d;
  s.out_dtype = quantize ? qdt : TGRS_DTYPE_F32;
  s.params = tgrs_test::ParamWords(p);
  s.what = quantize ? "quantize" : "dequantize";
  return s;
}

// ---- the byte movement kernels (movement_s8.c): int8 or uint8, one dtype for every operand ----

inline int32_t ByteDtype(std::mt19937& rng) { return Rand(rng, 0, 1) ? TGRS_DTYPE_I8 : TGRS_DTYPE_U8; }

inline Spec ConcatSpec(std::mt19937& rng) {
  Spec s;
  s.kernel = &kConcatS8;
  const int32_t dt = ByteDtype(rng);
  Dims y = RandomDims(rng, 1, 4);
  tgrs_axis_params_t p{Rand(rng, 0, static_cast<int32_t>(y.size()) - 1)};
  y[static_cast<size_t>(p.axis)] = 0;
  for (int32_t k = Rand(rng, 1, 3); k > 0; --k) {
    Dims x = y;
    x[static_cast<size_t>(p.axis)] = Rand(rng, 1, 3);
    y[static_cast<size_t>(p.axis)] += x[static_cast<size_t>(p.axis)];
    Add(s, x, dt);
  }
  s.out_dims = y;
  s.out_dtype = dt;
  s.params = tgrs_test::ParamWords(p);
  s.what = "concat_s8";
  return s;
}

inline Spec SliceSpec(std::mt19937& rng) {
  Spec s;
  s.kernel = &kSliceS8;
  const int32_t dt = ByteDtype(rng);
  const Dims x = RandomDims(rng, 1, 4, 6);
  Dims y(x.size());
  tgrs_slice_params_t p{};
  for (size_t d = 0; d < x.size(); ++d) {
    p.start[d] = Rand(rng, 0, x[d] - 1);
    p.step[d] = Rand(rng, 0, 1) ? Rand(rng, 1, 2) : -Rand(rng, 1, 2);
    const int32_t most = p.step[d] > 0 ? (x[d] - 1 - p.start[d]) / p.step[d] + 1 : p.start[d] / -p.step[d] + 1;
    y[d] = Rand(rng, 1, most);
  }
  Add(s, x, dt);
  s.out_dims = y;
  s.out_dtype = dt;
  s.params = tgrs_test::ParamWords(p);
  s.what = "slice_s8";
  return s;
}

inline Spec TransposeSpec(std::mt19937& rng) {
  Spec s;
  s.kernel = &kTransposeS8;
  const int32_t dt = ByteDtype(rng);
  const Dims x = RandomDims(rng, 0, 4);
  std::vector<int32_t> perm(x.size());
  for (size_t d = 0; d < perm.size(); ++d) perm[d] = static_cast<int32_t>(d);
  std::shuffle(perm.begin(), perm.end(), rng);
  tgrs_transpose_params_t p{};
  Dims y(x.size());
  for (size_t d = 0; d < perm.size(); ++d) {
    p.perm[d] = perm[d];
    y[d] = x[static_cast<size_t>(perm[d])];
  }
  Add(s, x, dt);
  s.out_dims = y;
  s.out_dtype = dt;
  s.params = tgrs_test::ParamWords(p);
  s.what = "transpose_s8";
  return s;
}

inline Spec PadSpec(std::mt19937& rng) {
  Spec s;
  s.kernel = &kPadS8;
  const int32_t dt = ByteDtype(rng);
  const Dims x = RandomDims(rng, 1, 4);
  Dims y(x.size());
  tgrs_pad_s8_params_t p{};
  p.mode = Rand(rng, TGRS_PAD_CONSTANT, TGRS_PAD_WRAP);
  p.value = dt == TGRS_DTYPE_I8 ? Zp(rng) : Rand(rng, 0, 255);
  for (size_t d = 0; d < x.size(); ++d) {
    // crops keep at least one element
    for (;;) {
      p.pad_begin[d] = Rand(rng, -1, 2);
      const int32_t pe = Rand(rng, -1, 2);
      const int32_t kept = x[d] - (p.pad_begin[d] < 0 ? 1 : 0) - (pe < 0 ? 1 : 0);
      if (kept >= 1) {
        y[d] = x[d] + p.pad_begin[d] + pe;
        break;
      }
    }
  }
  Add(s, x, dt);
  s.out_dims = y;
  s.out_dtype = dt;
  s.params = tgrs_test::ParamWords(p);
  s.what = "pad_s8";
  return s;
}

inline Spec RequantizeQ8Spec(std::mt19937& rng) {
  Spec s;
  s.kernel = &kRequantizeQ8;
  const int32_t in_dt = ByteDtype(rng), out_dt = ByteDtype(rng);
  auto zp = [&](int32_t dt) { return dt == TGRS_DTYPE_I8 ? Zp(rng) : Rand(rng, 0, 255); };
  tgrs_requantize_s8_params_t p{};
  const Dims d = RandomDims(rng, 0, 4);
  p.input_zp = zp(in_dt);
  p.output_zp = zp(out_dt);
  p.mult = Rand(rng, 1 << 30, INT32_MAX);
  p.shift = Rand(rng, -4, 4);
  const int32_t lo = out_dt == TGRS_DTYPE_I8 ? -128 : 0, hi = lo + 255;
  p.act_min = Rand(rng, 0, 1) ? lo : Rand(rng, lo, lo + 128);
  p.act_max = Rand(rng, 0, 1) ? hi : Rand(rng, p.act_min, hi);
  Add(s, d, in_dt);
  s.out_dims = d;
  s.out_dtype = out_dt;
  s.params = tgrs_test::ParamWords(p);
  s.what = "requantize_q8";
  return s;
}

constexpr int kSpecKinds = 27;

// Spec kind i in [0, kSpecKinds): every kernel (Split, with several outputs, has its own test in
// movement_s8_test.cpp), the global pools in all four flag variants.
inline Spec RandomSpec(std::mt19937& rng, int kind) {
  switch (kind) {
    case 0: return ConvSpec(rng);
    case 1: return GemmSpec(rng);
    case 2: return MatMulSpec(rng);
    case 3: return AddSpec(rng, false);
    case 4: return AddSpec(rng, true);
    case 5: return MulSpec(rng);
    case 6: return RequantizeSpec(rng);
    case 7: return LutSpec(rng);
    case 8: return PoolSpec(rng, true);
    case 9: return PoolSpec(rng, false);
    case 10: case 11: case 12: case 13: return GlobalAvgPoolSpec(rng, kind - 10);
    case 14: case 15: case 16: case 17: return GlobalMaxPoolSpec(rng, kind - 14);
    case 18: return SoftmaxSpec(rng);
    case 19: return ResizeNearestSpec(rng);
    case 20: return QdqSpec(rng, true);
    case 21: return QdqSpec(rng, false);
    case 22: return ConcatSpec(rng);
    case 23: return SliceSpec(rng);
    case 24: return TransposeSpec(rng);
    case 25: return PadSpec(rng);
    default: return RequantizeQ8Spec(rng);
  }
}

}  // namespace s8test
