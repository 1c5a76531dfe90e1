// Strided views: every reference kernel, on random shapes and params (fixed seeds), with every
// input and output embedded in a larger buffer at random strides (poison around the inputs,
// canary bytes around the outputs) gives the dense call's result bit for bit and changes no byte
// outside its output views. The dense kernels are checked against numpy/onnxruntime goldens
// elsewhere; here the dense call is the reference. Also check() on strides.
#include <cstring>
#include <map>
#include <random>

#include "strided_test_util.h"
#include "tigris/kernels/tgrs_qparams.h"

using namespace tgrs_test;

namespace {

struct Call {
  int op = 0;
  std::vector<Dims> in, out;
  std::vector<int32_t> in_dtype, out_dtype;  // empty = all f32
  std::vector<int32_t> index_range;          // per input: > 0 = an index input into a dim that long
  std::vector<uint32_t> params;
};

tgrs_act_t RandomAct(std::mt19937& rng) {
  switch (rng() % 9) {
    case 1: return Act(TGRS_ACT_RELU);
    case 2: return Act(TGRS_ACT_CLIP, -1.0f, 1.5f);
    case 3: return Act(TGRS_ACT_LEAKY_RELU, 0.1f);
    case 4: return Act(TGRS_ACT_SIGMOID);
    case 5: return Act(TGRS_ACT_HARD_SIGMOID, 0.2f, 0.5f);
    case 6: return Act(TGRS_ACT_HARD_SWISH);
    case 7: return Act(TGRS_ACT_TANH);
    case 8: return Act(TGRS_ACT_SILU);
    default: return Act();
  }
}

Dims RandomDims(std::mt19937& rng, int32_t rank, int32_t max_dim) {
  Dims d(static_cast<size_t>(rank));
  for (auto& v : d) v = Rand(rng, 1, max_dim);
  return d;
}

// One spatial axis of a conv/pool: kernel, stride, dilation, pads, input and output length.
struct Axis {
  int32_t k = 1, s = 1, d = 1, pb = 0, pe = 0, in = 1, out = 1;
};

Axis ConvAxis(std::mt19937& rng, bool transposed) {
  for (;;) {
    Axis a;
    a.k = Rand(rng, 1, 3);
    a.s = Rand(rng, 1, 3);
    a.d = Rand(rng, 1, 2);
    a.pb = Rand(rng, 0, 2);
    a.pe = Rand(rng, 0, 2);
    a.in = Rand(rng, 1, 7);
    const int32_t ext = (a.k - 1) * a.d + 1;
    if (!transposed) {
      const int32_t span = a.in + a.pb + a.pe - ext;
      if (span < 0) continue;
      a.out = span / a.s + 1;
    } else {
      const int32_t base = a.s * (a.in - 1) + ext - a.pb - a.pe;
      a.out = base + Rand(rng, 0, std::max(a.s, a.d) - 1);
      if (base < 1) continue;
    }
    return a;
  }
}

// Pool axis: pads below the window extent, floor or ceil mode with onnxruntime's dropped window.
Axis PoolAxis(std::mt19937& rng) {
  for (;;) {
    Axis a;
    a.k = Rand(rng, 1, 3);
    a.s = Rand(rng, 1, 3);
    a.d = Rand(rng, 1, 2);
    const int32_t ext = (a.k - 1) * a.d + 1;
    a.pb = Rand(rng, 0, ext - 1);
    a.pe = Rand(rng, 0, ext - 1);
    a.in = Rand(rng, 1, 7);
    const int32_t span = a.in + a.pb + a.pe - ext;
    if (span < 0) continue;
    const int32_t fl = span / a.s + 1, cl = (span + a.s - 1) / a.s + 1;
    a.out = fl;
    if (rng() % 2) a.out = (cl - 1) * a.s >= a.in + a.pb ? cl - 1 : cl;
    return a;
  }
}

Call GenConv(std::mt19937& rng, bool transposed) {
  Call c;
  c.op = transposed ? TGRS_OP_ConvTranspose : TGRS_OP_Conv;
  const int32_t rank = Rand(rng, 3, 4), n = Rand(rng, 1, 2), g = Rand(rng, 1, 3);
  const int32_t cin_g = Rand(rng, 1, 3), cout_g = Rand(rng, 1, 3);
  const Axis h = rank == 4 ? ConvAxis(rng, transposed) : Axis{}, w = ConvAxis(rng, transposed);
  const tgrs_conv_params_t p = ConvParams(h.k, w.k, h.s, w.s, h.d, w.d, h.pb, w.pb, h.pe, w.pe, g, RandomAct(rng));
  if (rank == 4) {
    c.in = {{n, g * cin_g, h.in, w.in}, {transposed ? g * cin_g : g * cout_g, transposed ? cout_g : cin_g, h.k, w.k}};
    c.out = {{n, g * cout_g, h.out, w.out}};
  } else {
    c.in = {{n, g * cin_g, w.in}, {transposed ? g * cin_g : g * cout_g, transposed ? cout_g : cin_g, w.k}};
    c.out = {{n, g * cout_g, w.out}};
  }
  if (rng() % 2) c.in.push_back({g * cout_g});
  c.params = ParamWords(p);
  return c;
}

Call GenGemm(std::mt19937& rng) {
  Call c;
  c.op = TGRS_OP_Gemm;
  const int32_t m = Rand(rng, 1, 5), k = Rand(rng, 1, 5), n = Rand(rng, 1, 5);
  tgrs_gemm_params_t p{};
  p.trans_a = Rand(rng, 0, 1);
  p.trans_b = Rand(rng, 0, 1);
  p.alpha = 0.75f;
  p.beta = -1.25f;
  p.act = RandomAct(rng);
  c.in = {p.trans_a ? Dims{k, m} : Dims{m, k}, p.trans_b ? Dims{n, k} : Dims{k, n}};
  const Dims cs[] = {{}, {n}, {1}, {m, n}, {m, 1}, {1, n}, {1, 1}};
  const uint32_t pick = rng() % 8;
  if (pick < 7) c.in.push_back(cs[pick]);
  c.out = {{m, n}};
  c.params = ParamWords(p);
  return c;
}

Call GenMatMul(std::mt19937& rng) {
  Call c;
  c.op = TGRS_OP_MatMul;
  const int32_t ar = Rand(rng, 1, 4), br = Rand(rng, 1, 4);
  const int32_t m = Rand(rng, 1, 4), k = Rand(rng, 1, 4), n = Rand(rng, 1, 4);
  const int32_t abr = std::max(ar - 2, 0), bbr = std::max(br - 2, 0), batch = std::max(abr, bbr);
  Dims a, b, y;
  for (int32_t d = 0; d < batch; ++d) {
    const int32_t base = Rand(rng, 1, 3);
    const int32_t da = rng() % 3 == 0 ? 1 : base, db = rng() % 3 == 0 ? 1 : base;
    if (d >= batch - abr) a.push_back(da);
    if (d >= batch - bbr) b.push_back(db);
    y.push_back(std::max(d >= batch - abr ? da : 1, d >= batch - bbr ? db : 1));
  }
  if (ar >= 2) a.push_back(m);
  a.push_back(k);
  b.push_back(k);
  if (br >= 2) b.push_back(n);
  if (ar >= 2) y.push_back(m);
  if (br >= 2) y.push_back(n);
  tgrs_act_params_t p{};
  p.act = RandomAct(rng);
  c.in = {a, b};
  c.out = {y};
  c.params = ParamWords(p);
  return c;
}

Call GenBinary(std::mt19937& rng, int op) {
  Call c;
  c.op = op;
  const int32_t yr = Rand(rng, 0, 4);
  const Dims y = RandomDims(rng, yr, 4);
  const int32_t ar = Rand(rng, 0, yr), br = ar == yr ? Rand(rng, 0, yr) : yr;
  Dims a(static_cast<size_t>(ar)), b(static_cast<size_t>(br));
  for (int32_t d = 0; d < yr; ++d) {
    const int32_t ia = d - (yr - ar), ib = d - (yr - br);
    int32_t da = rng() % 3 == 0 ? 1 : y[d], db = rng() % 3 == 0 ? 1 : y[d];
    if (ia < 0) da = 1;
    if (ib < 0) db = 1;
    if (std::max(da, db) != y[d]) {
      if (ia >= 0) da = y[d]; else db = y[d];
    }
    if (ia >= 0) a[ia] = da;
    if (ib >= 0) b[ib] = db;
  }
  tgrs_act_params_t p{};
  p.act = RandomAct(rng);
  c.in = {a, b};
  c.out = {y};
  c.params = ParamWords(p);
  return c;
}

Call GenUnary(std::mt19937& rng, int op) {
  Call c;
  c.op = op;
  const Dims x = RandomDims(rng, Rand(rng, 0, 4), 4);
  tgrs_unary_params_t p{};
  if (op == TGRS_OP_Clip) p = {-1.0f, 1.5f};
  if (op == TGRS_OP_LeakyRelu) p.a = 0.1f;
  if (op == TGRS_OP_HardSigmoid) p = {0.2f, 0.5f};
  if (op == TGRS_OP_Elu || op == TGRS_OP_Celu) p.a = 0.7f;
  if (op == TGRS_OP_Selu) p = {1.67326319f, 1.05070102f};
  if (op == TGRS_OP_Gelu) p.a = static_cast<float>(rng() % 2);
  c.in = {x};
  c.out = {x};
  c.params = ParamWords(p);
  return c;
}

Call GenSoftmax(std::mt19937& rng) {
  Call c;
  c.op = TGRS_OP_Softmax;
  const Dims x = RandomDims(rng, Rand(rng, 1, 4), 4);
  tgrs_axis_params_t p{};
  p.axis = Rand(rng, 0, static_cast<int32_t>(x.size()) - 1);
  c.in = {x};
  c.out = {x};
  c.params = ParamWords(p);
  return c;
}

Call GenPool(std::mt19937& rng, int op) {
  Call c;
  c.op = op;
  const int32_t rank = Rand(rng, 3, 4), n = Rand(rng, 1, 2), ch = Rand(rng, 1, 3);
  const Axis h = rank == 4 ? PoolAxis(rng) : Axis{}, w = PoolAxis(rng);
  const tgrs_pool_params_t p = PoolParams(h.k, w.k, h.s, w.s, h.pb, w.pb, h.pe, w.pe,
                                          op == TGRS_OP_AveragePool ? Rand(rng, 0, 1) : 0, h.d, w.d);
  c.in = {rank == 4 ? Dims{n, ch, h.in, w.in} : Dims{n, ch, w.in}};
  c.out = {rank == 4 ? Dims{n, ch, h.out, w.out} : Dims{n, ch, w.out}};
  c.params = ParamWords(p);
  return c;
}

Call GenGlobalPool(std::mt19937& rng, int op) {
  Call c;
  c.op = op;
  const Dims x = RandomDims(rng, Rand(rng, 3, 5), 4);
  Dims y = x;
  int32_t count = 1;
  for (size_t d = 2; d < x.size(); ++d) {
    count *= x[d];
    y[d] = 1;
  }
  c.in = {x};
  c.out = {y};
  c.params = ParamWords(GlobalPoolParams(count));
  return c;
}

Call GenReduceMean(std::mt19937& rng) {
  Call c;
  c.op = TGRS_OP_ReduceMean;
  const Dims x = RandomDims(rng, Rand(rng, 1, 4), 4);
  const int32_t rank = static_cast<int32_t>(x.size());
  const int32_t mask = static_cast<int32_t>(rng() % (1u << rank));
  const int32_t keep = Rand(rng, 0, 1);
  Dims y;
  for (int32_t d = 0; d < rank; ++d) {
    if (!((mask >> d) & 1)) y.push_back(x[d]);
    else if (keep) y.push_back(1);
  }
  c.in = {x};
  c.out = {y};
  c.params = ParamWords(ReduceParams(mask, keep, x));
  return c;
}

Call GenConcatSplit(std::mt19937& rng, bool split) {
  Call c;
  c.op = split ? TGRS_OP_Split : TGRS_OP_Concat;
  const Dims base = RandomDims(rng, Rand(rng, 1, 4), 3);
  tgrs_axis_params_t p{};
  p.axis = Rand(rng, 0, static_cast<int32_t>(base.size()) - 1);
  std::vector<Dims> parts;
  Dims whole = base;
  whole[p.axis] = 0;
  for (int32_t i = Rand(rng, 1, 3); i > 0; --i) {
    Dims t = base;
    t[p.axis] = Rand(rng, 1, 3);
    whole[p.axis] += t[p.axis];
    parts.push_back(t);
  }
  c.in = split ? std::vector<Dims>{whole} : parts;
  c.out = split ? parts : std::vector<Dims>{whole};
  c.params = ParamWords(p);
  return c;
}

Call GenSlice(std::mt19937& rng) {
  Call c;
  c.op = TGRS_OP_Slice;
  const Dims x = RandomDims(rng, Rand(rng, 1, 4), 6);
  Dims y;
  tgrs_slice_params_t p{};
  for (size_t d = 0; d < x.size(); ++d) {
    const int32_t steps[] = {1, -1, 2, -2, 3, -3};
    const int32_t step = steps[rng() % 6], start = Rand(rng, 0, x[d] - 1);
    const int32_t room = step > 0 ? (x[d] - 1 - start) / step : start / -step;
    p.start[d] = start;
    p.step[d] = step;
    y.push_back(Rand(rng, 1, room + 1));
  }
  c.in = {x};
  c.out = {y};
  c.params = ParamWords(p);
  return c;
}

Call GenTranspose(std::mt19937& rng) {
  Call c;
  c.op = TGRS_OP_Transpose;
  const Dims x = RandomDims(rng, Rand(rng, 0, 5), 4);
  std::vector<int32_t> perm(x.size());
  for (size_t d = 0; d < x.size(); ++d) perm[d] = static_cast<int32_t>(d);
  std::shuffle(perm.begin(), perm.end(), rng);
  tgrs_transpose_params_t p{};
  Dims y;
  for (size_t d = 0; d < x.size(); ++d) {
    p.perm[d] = perm[d];
    y.push_back(x[static_cast<size_t>(perm[d])]);
  }
  c.in = {x};
  c.out = {y};
  c.params = ParamWords(p);
  return c;
}

Call GenPad(std::mt19937& rng) {
  Call c;
  c.op = TGRS_OP_Pad;
  const Dims x = RandomDims(rng, Rand(rng, 0, 3), 5);
  tgrs_pad_params_t p{};
  p.mode = Rand(rng, 0, 3);
  p.value = 2.5f;
  Dims y;
  for (size_t d = 0; d < x.size(); ++d) {
    int32_t pb, pe;
    do {
      pb = Rand(rng, -2, 4);
      pe = Rand(rng, -2, 4);
    } while (x[d] - std::max(0, -pb) - std::max(0, -pe) < 1);
    p.pad_begin[d] = pb;
    y.push_back(x[d] + pb + pe);
  }
  c.in = {x};
  c.out = {y};
  c.params = ParamWords(p);
  return c;
}

Call GenResize(std::mt19937& rng) {
  Call c;
  c.op = TGRS_OP_Resize;
  const Dims x = RandomDims(rng, Rand(rng, 1, 4), 5);
  tgrs_resize_params_t p{};
  p.mode = Rand(rng, 0, 2);
  p.coord_mode = Rand(rng, 0, 5);
  p.nearest_mode = Rand(rng, 0, 3);
  p.cubic_coeff_a = rng() % 2 ? -0.75f : -0.5f;
  p.exclude_outside = Rand(rng, 0, 1);
  Dims y;
  for (size_t d = 0; d < x.size(); ++d) {
    const float scales[] = {1.0f, 2.0f, 0.5f, 1.5f, 0.75f, 3.0f, 1.7f};
    p.scale[d] = scales[rng() % 7];
    y.push_back(std::max(1, static_cast<int32_t>(static_cast<double>(x[d]) * p.scale[d])));
  }
  SetWholeWindow(p, x, y);
  c.in = {x};
  c.out = {y};
  c.params = ParamWords(p);
  return c;
}

Call GenCopy(std::mt19937& rng) {
  Call c;
  c.op = TGRS_OP_Copy;
  const int32_t dtypes[] = {TGRS_DTYPE_F32, TGRS_DTYPE_I8, TGRS_DTYPE_I16, TGRS_DTYPE_I64, TGRS_DTYPE_U8};
  const int32_t dt = dtypes[rng() % 5];
  const Dims x = RandomDims(rng, Rand(rng, 0, 4), 4);
  c.in = {x};
  c.out = {x};
  c.in_dtype = {dt};
  c.out_dtype = {dt};
  c.params = ParamWords(tgrs_empty_params_t{});
  return c;
}

// n input shapes and the output shape they broadcast to (numpy rules, ranks 0..4).
std::vector<Dims> BroadcastShapes(std::mt19937& rng, size_t n, Dims* y) {
  const int32_t yr = Rand(rng, 0, 4);
  *y = RandomDims(rng, yr, 4);
  std::vector<Dims> ins(n);
  for (size_t i = 0; i < n; ++i) {
    const int32_t r = i == 0 ? yr : Rand(rng, 0, yr);
    ins[i].assign(static_cast<size_t>(r), 1);
    for (int32_t d = 0; d < r; ++d) ins[i][d] = rng() % 3 == 0 ? 1 : (*y)[d + (yr - r)];
  }
  // the first input carries every extent the others leave at 1
  for (int32_t d = 0; d < yr; ++d) {
    bool covered = false;
    for (const Dims& in : ins) {
      const int32_t k = d - (yr - static_cast<int32_t>(in.size()));
      covered = covered || (k >= 0 && in[k] == (*y)[d]);
    }
    if (!covered) ins[0][d] = (*y)[d];
  }
  return ins;
}

// Ops of tgrs_empty_params_t over broadcast inputs: Max/Min/Sum/Mean (1..4 inputs), PRelu, Pow
// (any exponent dtype), the comparisons (any operand dtype), And/Or/Xor and Where.
Call GenBroadcastOp(std::mt19937& rng, int op, size_t n, std::vector<int32_t> in_dtype, int32_t out_dtype) {
  Call c;
  c.op = op;
  Dims y;
  c.in = BroadcastShapes(rng, n, &y);
  c.out = {y};
  c.in_dtype = std::move(in_dtype);
  c.out_dtype = {out_dtype};
  c.params = ParamWords(tgrs_empty_params_t{});
  return c;
}

int32_t RandomDtype(std::mt19937& rng, bool with_bool) {
  const int32_t dts[] = {TGRS_DTYPE_F32, TGRS_DTYPE_I32, TGRS_DTYPE_I64, TGRS_DTYPE_BOOL};
  return dts[rng() % (with_bool ? 4 : 3)];
}

Call GenSameShapeOp(std::mt19937& rng, int op, int32_t in_dtype, int32_t out_dtype) {
  Call c;
  c.op = op;
  const Dims x = RandomDims(rng, Rand(rng, 0, 4), 4);
  c.in = {x};
  c.out = {x};
  c.in_dtype = {in_dtype};
  c.out_dtype = {out_dtype};
  c.params = ParamWords(tgrs_empty_params_t{});
  return c;
}

// QuantizeLinear f32 -> int8/uint8, DequantizeLinear int8/uint8 -> f32, per tensor.
Call GenQdq(std::mt19937& rng, int op) {
  const int32_t q = rng() % 2 ? TGRS_DTYPE_I8 : TGRS_DTYPE_U8;
  const bool quantize = op == TGRS_OP_QuantizeLinear;
  Call c = GenSameShapeOp(rng, op, quantize ? TGRS_DTYPE_F32 : q, quantize ? q : TGRS_DTYPE_F32);
  tgrs_qdq_params_t p{};
  p.scale = static_cast<float>(Rand(rng, 1, 64)) / 256.0f;
  p.zero_point = q == TGRS_DTYPE_I8 ? Rand(rng, -128, 127) : Rand(rng, 0, 255);
  c.params = ParamWords(p);
  return c;
}

Call GenExpandTile(std::mt19937& rng, int op) {
  Call c;
  c.op = op;
  const int32_t dt = RandomDtype(rng, true);
  const Dims x = RandomDims(rng, Rand(rng, 0, 4), 3);
  Dims y;
  if (op == TGRS_OP_Tile) {
    for (int32_t v : x) y.push_back(v * Rand(rng, 1, 3));
  } else {
    for (int32_t k = Rand(rng, 0, 2); k > 0; --k) y.push_back(Rand(rng, 1, 3));  // new leading dims
    for (int32_t v : x) y.push_back(v == 1 ? Rand(rng, 1, 4) : v);
  }
  c.in = {x};
  c.out = {y};
  c.in_dtype = {dt};
  c.out_dtype = {dt};
  c.params = ParamWords(tgrs_empty_params_t{});
  return c;
}

// ---- reductions, index ops, normalizations, TopK -----------------------------------------------

Call GenReduce(std::mt19937& rng, int op) {
  Call c = GenReduceMean(rng);
  c.op = op;
  return c;
}

Call GenArgReduce(std::mt19937& rng, int op) {
  Call c;
  c.op = op;
  const Dims x = RandomDims(rng, Rand(rng, 1, 4), 4);
  tgrs_arg_reduce_params_t p{};
  p.axis = Rand(rng, 0, static_cast<int32_t>(x.size()) - 1);
  p.keepdims = Rand(rng, 0, 1);
  p.select_last_index = Rand(rng, 0, 1);
  Dims y;
  for (size_t d = 0; d < x.size(); ++d) {
    if (static_cast<int32_t>(d) != p.axis) y.push_back(x[d]);
    else if (p.keepdims) y.push_back(1);
  }
  c.in = {x};
  c.out = {y};
  c.out_dtype = {TGRS_DTYPE_I64};
  c.params = ParamWords(p);
  return c;
}

// Gather / GatherElements: data of a random dtype, int32 or int64 indices (valid, negative and a
// few out of range: FillIndices).
Call GenGather(std::mt19937& rng, bool elements) {
  Call c;
  c.op = elements ? TGRS_OP_GatherElements : TGRS_OP_Gather;
  const int32_t dtypes[] = {TGRS_DTYPE_F32, TGRS_DTYPE_I8, TGRS_DTYPE_I64, TGRS_DTYPE_I16};
  const int32_t dt = dtypes[rng() % 4], it = rng() % 2 ? TGRS_DTYPE_I64 : TGRS_DTYPE_I32;
  const Dims x = RandomDims(rng, Rand(rng, 1, 4), 4);
  tgrs_axis_params_t p{};
  p.axis = Rand(rng, 0, static_cast<int32_t>(x.size()) - 1);
  Dims idx, y;
  if (elements) {
    for (size_t d = 0; d < x.size(); ++d)
      idx.push_back(static_cast<int32_t>(d) == p.axis ? Rand(rng, 1, 4) : Rand(rng, 1, x[d]));
    y = idx;
  } else {
    idx = RandomDims(rng, Rand(rng, 0, 2), 3);
    for (int32_t d = 0; d < p.axis; ++d) y.push_back(x[d]);
    for (int32_t v : idx) y.push_back(v);
    for (size_t d = static_cast<size_t>(p.axis) + 1; d < x.size(); ++d) y.push_back(x[d]);
  }
  c.in = {x, idx};
  c.in_dtype = {dt, it};
  c.out = {y};
  c.out_dtype = {dt};
  c.index_range = {0, x[p.axis]};
  c.params = ParamWords(p);
  return c;
}

Call GenDepthSpace(std::mt19937& rng, int op) {
  Call c;
  c.op = op;
  const int32_t dtypes[] = {TGRS_DTYPE_F32, TGRS_DTYPE_U8, TGRS_DTYPE_I64};
  const int32_t dt = dtypes[rng() % 3];
  tgrs_depth_space_params_t p{};
  p.blocksize = Rand(rng, 1, 3);
  const int32_t b = p.blocksize, n = Rand(rng, 1, 2), ch = Rand(rng, 1, 3), h = Rand(rng, 1, 3), w = Rand(rng, 1, 3);
  const Dims deep = {n, ch * b * b, h, w}, wide = {n, ch, h * b, w * b};
  if (op == TGRS_OP_DepthToSpace) {
    p.mode = Rand(rng, 0, 1);
    c.in = {deep};
    c.out = {wide};
  } else {
    c.in = {wide};
    c.out = {deep};
  }
  c.in_dtype = {dt};
  c.out_dtype = {dt};
  c.params = ParamWords(p);
  return c;
}

Call GenLpNorm(std::mt19937& rng) {
  Call c;
  c.op = TGRS_OP_LpNormalization;
  const Dims x = RandomDims(rng, Rand(rng, 1, 4), 4);
  tgrs_lp_norm_params_t p{};
  p.axis = Rand(rng, 0, static_cast<int32_t>(x.size()) - 1);
  p.p = Rand(rng, 1, 2);
  c.in = {x};
  c.out = {x};
  c.params = ParamWords(p);
  return c;
}

Call GenChannelNorm(std::mt19937& rng, int op) {
  Call c;
  c.op = op;
  const int32_t groups = op == TGRS_OP_GroupNormalization ? Rand(rng, 1, 3) : 1;
  Dims x = RandomDims(rng, Rand(rng, op == TGRS_OP_GroupNormalization ? 2 : 3, 5), 4);
  x[1] = groups * Rand(rng, 1, 3);
  tgrs_norm_params_t p{};
  p.epsilon = 1e-3f;
  p.num_groups = op == TGRS_OP_GroupNormalization ? groups : 0;
  c.in = {x, {x[1]}, {x[1]}};
  c.out = {x};
  c.params = ParamWords(p);
  return c;
}

Call GenLayerNorm(std::mt19937& rng) {
  Call c;
  c.op = TGRS_OP_LayerNormalization;
  const Dims x = RandomDims(rng, Rand(rng, 1, 4), 4);
  const int32_t rank = static_cast<int32_t>(x.size());
  tgrs_norm_params_t p{};
  p.axis = Rand(rng, 0, rank - 1);
  p.epsilon = 1e-5f;
  auto tail = [&] {  // broadcastable onto x's dims [axis, rank)
    Dims t;
    for (int32_t d = rank - Rand(rng, 0, rank - p.axis); d < rank; ++d) t.push_back(rng() % 3 ? x[d] : 1);
    return t;
  };
  c.in = {x, tail()};
  if (rng() % 2) c.in.push_back(tail());
  c.out = {x};
  Dims stat = x;
  for (int32_t d = p.axis; d < rank; ++d) stat[d] = 1;
  for (int32_t k = Rand(rng, 0, 2); k > 0; --k) c.out.push_back(stat);
  c.params = ParamWords(p);
  return c;
}

Call GenTopK(std::mt19937& rng) {
  Call c;
  c.op = TGRS_OP_TopK;
  const Dims x = RandomDims(rng, Rand(rng, 1, 4), 5);
  tgrs_topk_params_t p{};
  p.axis = Rand(rng, 0, static_cast<int32_t>(x.size()) - 1);
  p.k = Rand(rng, 1, x[p.axis]);
  p.largest = Rand(rng, 0, 1);
  p.sorted = 1;
  Dims y = x;
  y[p.axis] = p.k;
  c.in = {x};
  c.out = {y, y};
  c.out_dtype = {TGRS_DTYPE_F32, TGRS_DTYPE_I64};
  c.params = ParamWords(p);
  return c;
}

// LSTM / GRU / RNN: random sizes, direction, layout, output subset, optional inputs (the int32
// sequence_lens gets random bytes: lengths clamp to 0 or T, the same in both calls), activations.
Call GenRnn(std::mt19937& rng, int op) {
  Call c;
  c.op = op;
  const int32_t cell = op == TGRS_OP_LSTM ? TGRS_RNN_CELL_LSTM : (op == TGRS_OP_GRU ? TGRS_RNN_CELL_GRU : TGRS_RNN_CELL_RNN);
  const int32_t gates = cell == TGRS_RNN_CELL_LSTM ? 4 : (cell == TGRS_RNN_CELL_GRU ? 3 : 1);
  const int32_t t = Rand(rng, 1, 4), b = Rand(rng, 1, 3), in = Rand(rng, 1, 4), h = Rand(rng, 1, 4);
  tgrs_rnn_params_t p = RnnParams(cell, h, Rand(rng, 0, 2), Rand(rng, 0, 1), 0);
  const int32_t dirs = p.direction == TGRS_RNN_BIDIRECTIONAL ? 2 : 1;
  const int32_t all = cell == TGRS_RNN_CELL_LSTM ? 7 : 3;
  p.outputs = Rand(rng, 1, all);
  if (rng() % 2) p.clip = 0.75f;
  if (cell == TGRS_RNN_CELL_LSTM) p.input_forget = Rand(rng, 0, 1);
  if (cell == TGRS_RNN_CELL_GRU) p.linear_before_reset = Rand(rng, 0, 1);
  for (auto& a : p.act) {
    a.kind = Rand(rng, TGRS_RNN_ACT_SIGMOID, TGRS_RNN_ACT_SOFTPLUS);
    a.alpha = 0.5f;
    a.beta = 0.25f;
  }
  const Dims state = p.layout ? Dims{b, dirs, h} : Dims{dirs, b, h};
  c.in = {p.layout ? Dims{b, t, in} : Dims{t, b, in}, {dirs, gates * h, in}, {dirs, gates * h, h}};
  c.in_dtype = {TGRS_DTYPE_F32, TGRS_DTYPE_F32, TGRS_DTYPE_F32};
  const int32_t n_opt = cell == TGRS_RNN_CELL_LSTM ? 5 : 3;
  const int32_t last = Rand(rng, 0, n_opt);  // inputs 3 .. 2 + last given (each present or omitted)
  for (int32_t k = 3; k < 3 + last; ++k) {
    const bool present = rng() % 3 != 0;
    Dims d;
    int32_t dt = TGRS_DTYPE_F32;
    if (k == 3) d = {dirs, 2 * gates * h};
    if (k == 4) {
      d = {b};
      dt = TGRS_DTYPE_I32;
    }
    if (k == 5 || k == 6) d = state;
    if (k == 7) d = {dirs, 3 * h};
    c.in.push_back(present ? d : Dims{});
    c.in_dtype.push_back(present ? dt : 0);
  }
  if (p.outputs & TGRS_RNN_OUT_Y) c.out.push_back(p.layout ? Dims{b, t, dirs, h} : Dims{t, dirs, b, h});
  if (p.outputs & TGRS_RNN_OUT_Y_H) c.out.push_back(state);
  if (p.outputs & TGRS_RNN_OUT_Y_C) c.out.push_back(state);
  c.params = ParamWords(p);
  return c;
}

Call Generate(std::mt19937& rng, int op) {
  const int32_t kF = TGRS_DTYPE_F32, kB = TGRS_DTYPE_BOOL;
  switch (op) {
    case TGRS_OP_Max:
    case TGRS_OP_Min:
    case TGRS_OP_Sum:
    case TGRS_OP_Mean: {
      const size_t n = static_cast<size_t>(Rand(rng, 1, 4));
      const int32_t dt = RandomDtype(rng, false);
      return GenBroadcastOp(rng, op, n, std::vector<int32_t>(n, dt), dt);
    }
    case TGRS_OP_PRelu: return GenBroadcastOp(rng, op, 2, {}, kF);
    case TGRS_OP_Pow: {
      const int32_t exps[] = {TGRS_DTYPE_F32, TGRS_DTYPE_I32, TGRS_DTYPE_I64};
      return GenBroadcastOp(rng, op, 2, {kF, exps[rng() % 3]}, kF);
    }
    case TGRS_OP_Equal:
    case TGRS_OP_Less:
    case TGRS_OP_Greater:
    case TGRS_OP_LessOrEqual:
    case TGRS_OP_GreaterOrEqual: {
      const int32_t dt = RandomDtype(rng, true);
      return GenBroadcastOp(rng, op, 2, {dt, dt}, kB);
    }
    case TGRS_OP_And:
    case TGRS_OP_Or:
    case TGRS_OP_Xor: return GenBroadcastOp(rng, op, 2, {kB, kB}, kB);
    case TGRS_OP_Where: {
      const int32_t dt = RandomDtype(rng, true);
      return GenBroadcastOp(rng, op, 3, {kB, dt, dt}, dt);
    }
    case TGRS_OP_Not: return GenSameShapeOp(rng, op, kB, kB);
    case TGRS_OP_Cast: return GenSameShapeOp(rng, op, RandomDtype(rng, true), RandomDtype(rng, true));
    case TGRS_OP_Expand:
    case TGRS_OP_Tile: return GenExpandTile(rng, op);
    case TGRS_OP_QuantizeLinear:
    case TGRS_OP_DequantizeLinear: return GenQdq(rng, op);
    case TGRS_OP_Conv: return GenConv(rng, false);
    case TGRS_OP_ConvTranspose: return GenConv(rng, true);
    case TGRS_OP_Gemm: return GenGemm(rng);
    case TGRS_OP_MatMul: return GenMatMul(rng);
    case TGRS_OP_Add:
    case TGRS_OP_Sub:
    case TGRS_OP_Mul:
    case TGRS_OP_Div: return GenBinary(rng, op);
    case TGRS_OP_Softmax: return GenSoftmax(rng);
    case TGRS_OP_MaxPool:
    case TGRS_OP_AveragePool: return GenPool(rng, op);
    case TGRS_OP_GlobalAveragePool:
    case TGRS_OP_GlobalMaxPool: return GenGlobalPool(rng, op);
    case TGRS_OP_ReduceMean: return GenReduceMean(rng);
    case TGRS_OP_Concat: return GenConcatSplit(rng, false);
    case TGRS_OP_Split: return GenConcatSplit(rng, true);
    case TGRS_OP_Slice: return GenSlice(rng);
    case TGRS_OP_Transpose: return GenTranspose(rng);
    case TGRS_OP_Pad: return GenPad(rng);
    case TGRS_OP_Resize: return GenResize(rng);
    case TGRS_OP_Copy: return GenCopy(rng);
    case TGRS_OP_ReduceSum:
    case TGRS_OP_ReduceMax:
    case TGRS_OP_ReduceMin:
    case TGRS_OP_ReduceProd:
    case TGRS_OP_ReduceL1:
    case TGRS_OP_ReduceL2:
    case TGRS_OP_ReduceLogSum:
    case TGRS_OP_ReduceLogSumExp:
    case TGRS_OP_ReduceSumSquare: return GenReduce(rng, op);
    case TGRS_OP_ArgMax:
    case TGRS_OP_ArgMin: return GenArgReduce(rng, op);
    case TGRS_OP_LogSoftmax: {
      Call c = GenSoftmax(rng);
      c.op = op;
      return c;
    }
    case TGRS_OP_Gather: return GenGather(rng, false);
    case TGRS_OP_GatherElements: return GenGather(rng, true);
    case TGRS_OP_DepthToSpace:
    case TGRS_OP_SpaceToDepth: return GenDepthSpace(rng, op);
    case TGRS_OP_LpNormalization: return GenLpNorm(rng);
    case TGRS_OP_InstanceNormalization:
    case TGRS_OP_GroupNormalization: return GenChannelNorm(rng, op);
    case TGRS_OP_LayerNormalization: return GenLayerNorm(rng);
    case TGRS_OP_TopK: return GenTopK(rng);
    case TGRS_OP_LSTM:
    case TGRS_OP_GRU:
    case TGRS_OP_RNN: return GenRnn(rng, op);
    default: return GenUnary(rng, op);
  }
}

// Index values in [-len, len) (negative ones count from the end), one in ~16 out of range (the
// kernels write zeros there), into an int32/int64 view and its dense copy.
void FillIndices(std::mt19937& rng, int32_t len, Embedded& strided, Embedded& dense) {
  const int32_t es = tgrs_dtype_size(strided.view.dtype);
  const std::vector<int64_t> offs = ElementOffsets(strided.view);
  for (size_t i = 0; i < offs.size(); ++i) {
    int64_t v = Rand(rng, -len, len - 1);
    if (rng() % 16 == 0) v = rng() % 2 ? len + Rand(rng, 0, 3) : -len - 1 - Rand(rng, 0, 3);
    const int32_t v32 = static_cast<int32_t>(v);
    std::memcpy(strided.At(offs[i]), es == 8 ? static_cast<const void*>(&v) : &v32, static_cast<size_t>(es));
  }
  for (size_t i = 0; i < offs.size(); ++i)
    std::memcpy(dense.bytes.data() + i * static_cast<size_t>(es), strided.At(offs[i]), static_cast<size_t>(es));
}

int32_t DtypeOf(const std::vector<int32_t>& dts, size_t i) { return i < dts.size() ? dts[i] : TGRS_DTYPE_F32; }

// Runs `c` dense and strided; returns the number of output bytes compared.
int64_t RunDifferential(std::mt19937& rng, const Call& c) {
  std::vector<Embedded> dense_in, strided_in, dense_out, strided_out;
  std::vector<std::vector<uint8_t>> canary;
  for (size_t i = 0; i < c.in.size(); ++i) {
    dense_in.push_back(Embedded::Dense(c.in[i], DtypeOf(c.in_dtype, i)));
    strided_in.push_back(Embedded::Random(rng, c.in[i], DtypeOf(c.in_dtype, i), /*may_alias=*/true));
    FillInput(rng, strided_in.back(), dense_in.back());
    if (i < c.index_range.size() && c.index_range[i] > 0)
      FillIndices(rng, c.index_range[i], strided_in.back(), dense_in.back());
  }
  for (size_t i = 0; i < c.out.size(); ++i) {
    dense_out.push_back(Embedded::Dense(c.out[i], DtypeOf(c.out_dtype, i)));
    strided_out.push_back(Embedded::Random(rng, c.out[i], DtypeOf(c.out_dtype, i), /*may_alias=*/false));
    for (auto& b : strided_out.back().bytes) b = static_cast<uint8_t>(rng());
    canary.push_back(strided_out.back().bytes);
  }
  std::vector<tgrs_tensor_t> din, dout, sin, sout;
  for (auto& e : dense_in) din.push_back(e.view);
  for (auto& e : dense_out) dout.push_back(e.view);
  for (auto& e : strided_in) sin.push_back(e.view);
  for (auto& e : strided_out) sout.push_back(e.view);
  EXPECT_EQ(CheckRaw(c.op, din, dout, c.params), TGRS_OK) << "dense call of op " << c.op;
  EXPECT_EQ(CheckRaw(c.op, sin, sout, c.params), TGRS_OK) << "strided call of op " << c.op;
  if (::testing::Test::HasFailure()) return 0;
  RunRaw(c.op, din, dout, c.params);
  RunRaw(c.op, sin, sout, c.params);
  int64_t compared = 0;
  for (size_t i = 0; i < c.out.size(); ++i) {
    const int32_t es = tgrs_dtype_size(sout[i].dtype);
    const std::vector<int64_t> offs = ElementOffsets(sout[i]);
    std::vector<uint8_t> expect = canary[i];
    for (size_t e = 0; e < offs.size(); ++e) {
      const size_t at = strided_out[i].base + static_cast<size_t>(offs[e]);
      std::memcpy(&expect[at], dense_out[i].bytes.data() + e * static_cast<size_t>(es), static_cast<size_t>(es));
    }
    // equal bytes everywhere: the view holds the dense result, the canary is intact
    EXPECT_EQ(expect, strided_out[i].bytes) << "op " << c.op << " output " << i;
    compared += static_cast<int64_t>(offs.size());
  }
  return compared;
}

}  // namespace

// The rows of ops.def that reach plans (params other than None): every one has a kernel to test.
static std::vector<int> PlanOps() {
  std::vector<int> ops;
#define TIGRIS_OP_TRAITS(name, onnx, code, import, params, kernel, subop, inputs, out, act, tile) \
  if (std::strcmp(#params, "None") != 0) ops.push_back(code);
#include "tigris/ops.def"
#undef TIGRIS_OP_TRAITS
  return ops;
}

TEST(Strided, EveryKernelMatchesTheDenseCallAndWritesOnlyItsViews) {
  std::mt19937 rng(424242);
  int cases = 0;
  const std::vector<int> ops = PlanOps();
  for (int op : ops) {
    if (op == TGRS_OP_Reshape) continue;
    int64_t elems = 0;
    for (int iter = 0; iter < 150; ++iter) {
      const Call c = Generate(rng, op);
      SCOPED_TRACE(testing::Message() << "op " << op << " iter " << iter);
      elems += RunDifferential(rng, c);
      ++cases;
      if (HasFailure()) return;
    }
    EXPECT_GT(elems, 150) << "op " << op;
  }
  EXPECT_EQ(cases, 150 * static_cast<int>(ops.size() - 1));
}

TEST(Strided, DenseHelpers) {
  tgrs_tensor_t t = Shape({2, 3, 4});
  EXPECT_EQ(t.strides[0], 12);
  EXPECT_EQ(t.strides[1], 4);
  EXPECT_EQ(t.strides[2], 1);
  EXPECT_EQ(t.strides[3], 0);
  EXPECT_TRUE(tgrs_tensor_is_dense(&t));
  t.strides[2] = 2;
  EXPECT_FALSE(tgrs_tensor_is_dense(&t));
  tgrs_tensor_t u = Shape({2, 1, 4});
  u.strides[1] = 1000;  // extent 1: any stride
  EXPECT_TRUE(tgrs_tensor_is_dense(&u));
  u.strides[0] = 5;
  EXPECT_FALSE(tgrs_tensor_is_dense(&u));
  tgrs_tensor_t s = Shape({});
  EXPECT_TRUE(tgrs_tensor_is_dense(&s));
  // a stride too large for int32 saturates (and check() rejects the view)
  tgrs_tensor_t h = Shape({2, 65536, 65536});
  EXPECT_EQ(h.strides[0], INT32_MAX);
  EXPECT_EQ(Check(TGRS_OP_Relu, {h}, {h}, tgrs_unary_params_t{}), TGRS_ERR_CORRUPT);
}

TEST(Strided, CheckBoundsStridesAndSpans) {
  const tgrs_unary_params_t up{};
  tgrs_tensor_t x = Shape({3, 4});
  EXPECT_EQ(Check(TGRS_OP_Relu, {x}, {x}, up), TGRS_OK);
  tgrs_tensor_t bad = x;
  bad.strides[1] = -1;
  EXPECT_EQ(Check(TGRS_OP_Relu, {bad}, {x}, up), TGRS_ERR_CORRUPT);
  EXPECT_EQ(Check(TGRS_OP_Relu, {x}, {bad}, up), TGRS_ERR_CORRUPT);
  // span: (3-1) * stride + (4-1) + 1 elements must stay <= INT32_MAX / 2
  bad = x;
  bad.strides[0] = (INT32_MAX / 2 - 4) / 2;
  EXPECT_EQ(Check(TGRS_OP_Relu, {bad}, {x}, up), TGRS_OK);
  bad.strides[0] += 1;
  EXPECT_EQ(Check(TGRS_OP_Relu, {bad}, {x}, up), TGRS_ERR_CORRUPT);
  bad.strides[0] = INT32_MAX;
  bad.strides[1] = INT32_MAX;
  EXPECT_EQ(Check(TGRS_OP_Relu, {bad}, {x}, up), TGRS_ERR_CORRUPT);
  // an extent-1 dim with a huge stride adds nothing to the span
  tgrs_tensor_t one = Shape({1, 4});
  one.strides[0] = INT32_MAX;
  EXPECT_EQ(Check(TGRS_OP_Relu, {one}, {one}, up), TGRS_OK);
  // every op validates every view: a negative stride on any input or output is rejected
  const tgrs_conv_params_t cp = ConvParams(1, 1);
  std::vector<tgrs_tensor_t> in = {Shape({1, 2, 3, 3}), Shape({4, 2, 1, 1}), Shape({4})}, out = {Shape({1, 4, 3, 3})};
  EXPECT_EQ(Check(TGRS_OP_Conv, in, out, cp), TGRS_OK);
  for (size_t i = 0; i < 4; ++i) {
    std::vector<tgrs_tensor_t> in2 = in, out2 = out;
    tgrs_tensor_t& t = i < 3 ? in2[i] : out2[0];
    t.strides[0] = -5;
    EXPECT_EQ(Check(TGRS_OP_Conv, in2, out2, cp), TGRS_ERR_CORRUPT) << i;
  }
  // strided outputs of Softmax are validated too
  tgrs_axis_params_t ap{};
  tgrs_tensor_t so = Shape({3, 4});
  so.strides[1] = -1;
  EXPECT_EQ(Check(TGRS_OP_Softmax, {x}, {so}, ap), TGRS_ERR_CORRUPT);
}

TEST(Strided, ReshapeIsDenseOnlyCopyNeedsEqualDimsWhenStrided) {
  const tgrs_empty_params_t e{};
  tgrs_tensor_t x = Shape({2, 3}), y = Shape({6});
  EXPECT_EQ(Check(TGRS_OP_Reshape, {x}, {y}, e), TGRS_OK);
  EXPECT_EQ(Check(TGRS_OP_Copy, {x}, {y}, e), TGRS_OK);  // dense: a flat copy across dims
  tgrs_tensor_t xs = x;
  xs.strides[0] = 4;  // rows padded to 4
  EXPECT_EQ(Check(TGRS_OP_Reshape, {xs}, {y}, e), TGRS_ERR_CORRUPT);
  EXPECT_EQ(Check(TGRS_OP_Reshape, {xs}, {Shape({2, 3})}, e), TGRS_ERR_CORRUPT);
  tgrs_tensor_t ys = Shape({6});
  ys.strides[0] = 2;
  EXPECT_EQ(Check(TGRS_OP_Reshape, {Shape({6})}, {ys}, e), TGRS_ERR_CORRUPT);
  EXPECT_EQ(Check(TGRS_OP_Copy, {xs}, {y}, e), TGRS_ERR_CORRUPT);      // strided: dims must match
  EXPECT_EQ(Check(TGRS_OP_Copy, {xs}, {Shape({2, 3})}, e), TGRS_OK);
  EXPECT_EQ(Check(TGRS_OP_Copy, {Shape({6})}, {ys}, e), TGRS_OK);
}

TEST(Strided, CopyShiftsChannelsLastRowsAndCopiesChannelsLastWindows) {
  // A channels-last line buffer [C, R, W] (element (c, r, w) at r * pitch + w * C + c, rows padded
  // to `pitch`): the halo shift to its start (overlapping), and a copy of a column window of it
  // into a dense channels-last buffer of its own extents (what a strip load/store does). Expected
  // bytes come from the element formula, element by element.
  std::mt19937 rng(78);
  int cases = 0;
  for (int32_t dt : {TGRS_DTYPE_I8, TGRS_DTYPE_F32}) {
    const int32_t es = tgrs_dtype_size(dt);
    for (int32_t C : {1, 3, 8}) {
      for (int32_t R = 2; R <= 6; ++R) {
        for (int32_t W : {1, 4, 5}) {
          for (int32_t pad : {0, 3}) {
            const int32_t pitch = W * C + pad;
            auto at = [&](int32_t c, int32_t r, int32_t w) { return static_cast<size_t>((r * pitch + w * C + c) * es); };
            tgrs_tensor_t whole{};
            whole.dtype = dt;
            whole.rank = 3;
            whole.dims[0] = C;
            whole.dims[1] = R;
            whole.dims[2] = W;
            whole.strides[0] = 1;
            whole.strides[1] = pitch;
            whole.strides[2] = C;
            for (int32_t keep = 1; keep < R; ++keep) {
              std::vector<uint8_t> buf(static_cast<size_t>(R * pitch * es));
              for (auto& b : buf) b = static_cast<uint8_t>(rng());
              const std::vector<uint8_t> before = buf;
              whole.data = buf.data();
              RunOp(TGRS_OP_Copy, {SubView(whole, 1, R - keep, keep)}, {SubView(whole, 1, 0, keep)}, tgrs_empty_params_t{});
              std::vector<uint8_t> want = before;
              for (int32_t c = 0; c < C; ++c)
                for (int32_t r = 0; r < keep; ++r)
                  for (int32_t w = 0; w < W; ++w)
                    std::memcpy(&want[at(c, r, w)], &before[at(c, R - keep + r, w)], static_cast<size_t>(es));
              ASSERT_EQ(buf, want) << "shift: dtype " << dt << " C " << C << " R " << R << " W " << W << " keep " << keep;
              ++cases;
            }
            for (int32_t w0 = 0; w0 < W; ++w0) {
              const int32_t cols = W - w0;
              std::vector<uint8_t> buf(static_cast<size_t>(R * pitch * es));
              for (auto& b : buf) b = static_cast<uint8_t>(rng());
              whole.data = buf.data();
              std::vector<uint8_t> out(static_cast<size_t>(C * R * cols * es), 0);
              tgrs_tensor_t dst = whole;
              dst.data = out.data();
              dst.dims[2] = cols;
              dst.strides[1] = cols * C;
              RunOp(TGRS_OP_Copy, {SubView(whole, 2, w0, cols)}, {dst}, tgrs_empty_params_t{});
              for (int32_t c = 0; c < C; ++c)
                for (int32_t r = 0; r < R; ++r)
                  for (int32_t w = 0; w < cols; ++w)
                    ASSERT_EQ(0, std::memcmp(&out[static_cast<size_t>((r * cols * C + w * C + c) * es)], &buf[at(c, r, w0 + w)],
                                             static_cast<size_t>(es)))
                        << "window: dtype " << dt << " C " << C << " R " << R << " W " << W << " w0 " << w0;
              ++cases;
            }
          }
        }
      }
    }
  }
  EXPECT_GT(cases, 300);
}

TEST(Strided, CopyShiftsRowsInsideOneLineBuffer) {
  // A line buffer [C, R, W] (rows padded to `pitch` elements) keeps the last `keep` rows as the
  // halo of the next strip by moving them to the start: source rows [R-keep, R), destination
  // rows [0, keep), same strides, destination lower, overlapping when keep > R - keep.
  std::mt19937 rng(77);
  int cases = 0;
  for (int32_t dt : {TGRS_DTYPE_F32, TGRS_DTYPE_I8, TGRS_DTYPE_I16, TGRS_DTYPE_I64}) {
    const int32_t es = tgrs_dtype_size(dt);
    for (int32_t C : {1, 3}) {
      for (int32_t R = 2; R <= 7; ++R) {
        for (int32_t W : {1, 4, 5}) {
          for (int32_t pitch_pad : {0, 2}) {
            for (int32_t keep = 1; keep < R; ++keep) {
              const int32_t pitch = W + pitch_pad;
              std::vector<uint8_t> buf(static_cast<size_t>(C * R * pitch * es));
              for (auto& b : buf) b = static_cast<uint8_t>(rng());
              const std::vector<uint8_t> before = buf;
              tgrs_tensor_t whole{};
              whole.data = buf.data();
              whole.dtype = dt;
              whole.rank = 3;
              whole.dims[0] = C;
              whole.dims[1] = R;
              whole.dims[2] = W;
              whole.strides[0] = R * pitch;
              whole.strides[1] = pitch;
              whole.strides[2] = 1;
              const tgrs_tensor_t src = SubView(whole, 1, R - keep, keep), dst = SubView(whole, 1, 0, keep);
              RunOp(TGRS_OP_Copy, {src}, {dst}, tgrs_empty_params_t{});
              std::vector<uint8_t> want = before;
              for (int32_t c = 0; c < C; ++c)
                for (int32_t r = 0; r < keep; ++r)
                  std::memcpy(&want[static_cast<size_t>(((c * R + r) * pitch) * es)],
                              &before[static_cast<size_t>(((c * R + R - keep + r) * pitch) * es)],
                              static_cast<size_t>(W * es));
              ASSERT_EQ(buf, want) << "dtype " << dt << " C " << C << " R " << R << " W " << W << " pitch " << pitch
                                   << " keep " << keep;
              ++cases;
            }
          }
        }
      }
    }
  }
  EXPECT_GT(cases, 500);
}
