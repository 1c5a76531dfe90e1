// Random single-op graphs for the receptive-field and localization tests: Conv (plain, grouped,
// depthwise, dilated, strided, asymmetric pads, rank 3 and 4), MaxPool/AveragePool (floor and
// ceil mode, count_include_pad), Resize (every mode, rounding and coordinate transform; integer
// and fractional scales, up and down), Pad (constant, also cropping), Slice (positive steps on the
// tiled axes), broadcasting binary ops, Concat, Transpose, Gemm, MatMul, unary ops, Softmax,
// global pools and ReduceMean along the axes they keep, the math ops (unary math, PRelu,
// Pow, Max/Min/Sum/Mean, Expand, Tile), and Gather, GatherElements, Layer/Instance/LpNormalization
// and ReduceLogSumExp. Each case lists the output axes to tile.
// Deterministic per seed.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>
#include <string>
#include <vector>

#include "tile_test_util.h"

namespace tigris::tile_test {

struct OpCase {
  GraphBuilder b;
  std::vector<int32_t> axes;  // output axes to tile
  std::string family;         // for statistics
  explicit OpCase(uint32_t seed) : b(seed) {}
  const ir::Node& node() const { return b.g.nodes[0]; }
  std::string Dump() const { return b.g.Dump(); }
};

namespace detail {

inline std::vector<int32_t> AllAxes(size_t rank) {
  std::vector<int32_t> a(rank);
  std::iota(a.begin(), a.end(), 0);
  return a;
}

// One spatial axis of a window op: kernel, stride, dilation, pads, input length, output length.
struct Win {
  int64_t k = 1, s = 1, d = 1, pb = 0, pe = 0, in = 1, out = 1;
};

// A random axis whose output is 1..~9 long. Conv pads may reach past the kernel extent (legal,
// and some strips then read no input row); pool pads stay below it (onnxruntime's rule).
inline Win RandomWin(Rng& r, bool pool, bool ceil_mode) {
  for (;;) {
    Win w;
    w.k = r.Int(1, 5);
    w.s = r.Int(1, 3);
    w.d = r.Coin(35) ? r.Int(2, 3) : 1;
    const int64_t ext = (w.k - 1) * w.d + 1;
    const int64_t max_pad = pool ? ext - 1 : std::min<int64_t>(ext + 1, 5);
    w.pb = r.Int(0, max_pad);
    w.pe = r.Coin(60) ? w.pb : r.Int(0, max_pad);
    w.in = r.Int(1, 12);
    w.out =
        pool ? PoolLen(w.in, w.k, w.s, w.d, w.pb, w.pe, ceil_mode) : ConvLen(w.in, w.k, w.s, w.d, w.pb, w.pe);
    if (w.out >= 1 && w.out <= 10) return w;
  }
}

}  // namespace detail

inline OpCase ConvCase(uint32_t seed) {
  OpCase c(seed);
  Rng& r = c.b.rng;
  const int64_t rank = r.Coin(30) ? 3 : 4;
  const int kind = static_cast<int>(r.Int(0, 2));  // plain, grouped, depthwise
  int64_t group = 1, cin = r.Int(1, 3), cout = r.Int(1, 4);
  if (kind == 1) {
    group = r.Int(2, 3);
    cin = group * r.Int(1, 2);
    cout = group * r.Int(1, 2);
  } else if (kind == 2) {
    group = cin = r.Int(2, 4);
    cout = cin * r.Int(1, 2);
  }
  const int64_t n = r.Int(1, 2);
  std::vector<detail::Win> w;
  for (int64_t i = 0; i < rank - 2; ++i) w.push_back(detail::RandomWin(r, false, false));
  Shape xs{n, cin}, ws{cout, cin / group}, ys{n, cout};
  std::vector<int64_t> k, s, d, pads(static_cast<size_t>(2 * (rank - 2)));
  for (size_t i = 0; i < w.size(); ++i) {
    xs.push_back(w[i].in);
    ws.push_back(w[i].k);
    ys.push_back(w[i].out);
    k.push_back(w[i].k);
    s.push_back(w[i].s);
    d.push_back(w[i].d);
    pads[i] = w[i].pb;
    pads[i + w.size()] = w[i].pe;
  }
  std::vector<ir::TensorId> ins{c.b.Input("x", xs), c.b.Const("w", ws)};
  if (r.Coin(60)) ins.push_back(c.b.Const("bias", {cout}));
  const ir::TensorId y = c.b.Act("y", ys);
  c.b.Node(ir::OpKind::kConv, "conv", ins, {y},
           {{"kernel_shape", Is(k)},
            {"strides", Is(s)},
            {"dilations", Is(d)},
            {"pads", Is(pads)},
            {"group", I(group)}});
  c.axes = detail::AllAxes(static_cast<size_t>(rank));
  c.family = kind == 0 ? "conv" : kind == 1 ? "conv_grouped" : "conv_depthwise";
  return c;
}

inline OpCase PoolCase(uint32_t seed) {
  OpCase c(seed);
  Rng& r = c.b.rng;
  const bool avg = r.Coin();
  const bool ceil_mode = r.Coin(40);
  const int64_t rank = r.Coin(30) ? 3 : 4;
  Shape xs{r.Int(1, 2), r.Int(1, 3)};
  Shape ys = xs;
  std::vector<int64_t> k, s, d, pads(static_cast<size_t>(2 * (rank - 2)));
  for (int64_t i = 0; i < rank - 2; ++i) {
    const detail::Win w = detail::RandomWin(r, true, ceil_mode);
    xs.push_back(w.in);
    ys.push_back(w.out);
    k.push_back(w.k);
    s.push_back(w.s);
    d.push_back(w.d);
    pads[static_cast<size_t>(i)] = w.pb;
    pads[static_cast<size_t>(i + rank - 2)] = w.pe;
  }
  const ir::TensorId x = c.b.Input("x", xs);
  const ir::TensorId y = c.b.Act("y", ys);
  std::map<std::string, ir::AttrValue> attrs{{"kernel_shape", Is(k)},
                                             {"strides", Is(s)},
                                             {"dilations", Is(d)},
                                             {"pads", Is(pads)},
                                             {"ceil_mode", I(ceil_mode ? 1 : 0)}};
  if (avg) attrs["count_include_pad"] = I(r.Coin() ? 1 : 0);
  c.b.Node(avg ? ir::OpKind::kAveragePool : ir::OpKind::kMaxPool, "pool", {x}, {y}, attrs);
  c.axes = detail::AllAxes(static_cast<size_t>(rank));
  c.family = std::string(avg ? "avgpool" : "maxpool") + (ceil_mode ? "_ceil" : "");
  return c;
}

inline OpCase ResizeCase(uint32_t seed) {
  OpCase c(seed);
  Rng& r = c.b.rng;
  const int64_t mode = r.Int(0, 2);
  const int64_t coord = r.Int(TGRS_COORD_HALF_PIXEL, TGRS_COORD_HALF_PIXEL_SYMMETRIC);
  const int64_t nearest = r.Int(0, 3);
  const int64_t rank = r.Coin(30) ? 3 : 4;
  // (input length, scale): integer and fractional, up and down, and "sizes" given (out/in).
  struct S {
    int64_t in;
    float scale;
  };
  const std::vector<S> table = {{3, 2.f},       {2, 3.f},  {4, 1.5f},     {3, 1.7f}, {6, 0.5f},
                                {5, 0.75f},     {6, 0.6f}, {4, 1.f},      {1, 4.f},  {5, 1.25f},
                                {7, 2.f},       {8, 0.5f}, {9, 0.34f},    {4, 2.5f}, {5, 7.f / 5.f},
                                {7, 5.f / 7.f}, {3, 3.f},  {6, 1.f / 3.f}};
  Shape xs{r.Int(1, 2), r.Int(1, 3)}, ys = xs;
  std::vector<float> scales{1.f, 1.f};
  for (int64_t i = 2; i < rank; ++i) {
    const S s = r.Pick(table);
    xs.push_back(s.in);
    scales.push_back(s.scale);
    ys.push_back(std::max<int64_t>(1, static_cast<int64_t>(std::floor(static_cast<double>(s.in) * s.scale))));
  }
  const ir::TensorId x = c.b.Input("x", xs);
  const ir::TensorId y = c.b.Act("y", ys);
  const float a = r.Coin() ? -0.75f : -0.5f;
  c.b.Node(ir::OpKind::kResize, "resize", {x}, {y},
           {{"mode", I(mode)},
            {"coord_mode", I(coord)},
            {"nearest_mode", I(nearest)},
            {"cubic_coeff_a", F(a)},
            {"exclude_outside", I(mode == TGRS_RESIZE_CUBIC && r.Coin() ? 1 : 0)},
            {"scales", Fs(scales)}});
  c.axes = detail::AllAxes(static_cast<size_t>(rank));
  c.family = mode == 0 ? "resize_nearest" : mode == 1 ? "resize_linear" : "resize_cubic";
  return c;
}

inline OpCase PadCase(uint32_t seed) {
  OpCase c(seed);
  Rng& r = c.b.rng;
  const size_t rank = static_cast<size_t>(r.Int(2, 4));
  Shape xs, ys;
  std::vector<int64_t> pads(2 * rank);
  for (size_t d = 0; d < rank; ++d) {
    const int64_t in = r.Int(1, 8);
    // begin/end in [-(in-1), 4], keeping at least one input element
    int64_t b = r.Int(-2, 4), e = r.Int(-2, 4);
    if (r.Coin(30)) b = e = 0;
    while (in + std::min<int64_t>(b, 0) + std::min<int64_t>(e, 0) < 1) {
      b = std::max<int64_t>(b, 0);
      e = std::max<int64_t>(e, 0);
    }
    pads[d] = b;
    pads[d + rank] = e;
    xs.push_back(in);
    ys.push_back(in + b + e);
  }
  const ir::TensorId x = c.b.Input("x", xs);
  const ir::TensorId y = c.b.Act("y", ys);
  c.b.Node(ir::OpKind::kPad, "pad", {x}, {y},
           {{"mode", I(0)}, {"value", F(r.Value() * 4)}, {"pads", Is(pads)}});
  c.axes = detail::AllAxes(rank);
  c.family = "pad";
  return c;
}

inline OpCase SliceCase(uint32_t seed) {
  OpCase c(seed);
  Rng& r = c.b.rng;
  const size_t rank = static_cast<size_t>(r.Int(1, 4));
  Shape xs, ys;
  std::vector<int64_t> starts, steps;
  c.axes.clear();
  for (size_t d = 0; d < rank; ++d) {
    const int64_t in = r.Int(1, 10);
    const bool negative = r.Coin(20);
    const int64_t step = negative ? -r.Int(1, 2) : r.Int(1, 3);
    const int64_t start = negative ? r.Int(0, in - 1) : r.Int(0, in - 1);
    const int64_t max_count = negative ? start / -step + 1 : (in - 1 - start) / step + 1;
    xs.push_back(in);
    ys.push_back(r.Int(1, max_count));
    starts.push_back(start);
    steps.push_back(step);
    if (!negative) c.axes.push_back(static_cast<int32_t>(d));
  }
  const ir::TensorId x = c.b.Input("x", xs);
  const ir::TensorId y = c.b.Act("y", ys);
  c.b.Node(ir::OpKind::kSlice, "slice", {x}, {y}, {{"starts", Is(starts)}, {"steps", Is(steps)}});
  c.family = "slice";
  return c;
}

inline OpCase BinaryCase(uint32_t seed) {
  OpCase c(seed);
  Rng& r = c.b.rng;
  const std::vector<ir::OpKind> kinds{ir::OpKind::kAdd, ir::OpKind::kSub, ir::OpKind::kMul, ir::OpKind::kDiv};
  const ir::OpKind kind = r.Pick(kinds);
  const size_t rank = static_cast<size_t>(r.Int(1, 4));
  Shape ys;
  for (size_t d = 0; d < rank; ++d) ys.push_back(r.Int(1, 6));
  auto operand = [&](size_t rk) {
    Shape s(ys.end() - static_cast<std::ptrdiff_t>(rk), ys.end());
    for (int64_t& e : s)
      if (r.Coin(30)) e = 1;
    return s;
  };
  Shape as = operand(rank), bs = operand(static_cast<size_t>(r.Int(0, static_cast<int64_t>(rank))));
  if (r.Coin()) std::swap(as, bs);
  // the output is the broadcast of the two
  Shape out(std::max(as.size(), bs.size()), 1);
  for (size_t d = 0; d < out.size(); ++d) {
    const int64_t ad = d + as.size() >= out.size() ? as[d + as.size() - out.size()] : 1;
    const int64_t bd = d + bs.size() >= out.size() ? bs[d + bs.size() - out.size()] : 1;
    out[d] = std::max(ad, bd);
  }
  const ir::TensorId a = c.b.Input("a", as);
  const ir::TensorId b = r.Coin(30) ? c.b.Const("b", bs, kind == ir::OpKind::kDiv) : c.b.Input("b", bs);
  const ir::TensorId y = c.b.Act("y", out);
  c.b.Node(kind, "binary", {a, b}, {y});
  c.axes = detail::AllAxes(out.size());
  c.family = "binary";
  return c;
}

inline OpCase ConcatCase(uint32_t seed) {
  OpCase c(seed);
  Rng& r = c.b.rng;
  const size_t rank = static_cast<size_t>(r.Int(2, 4));
  const int64_t axis = r.Int(0, static_cast<int64_t>(rank) - 1);
  Shape base;
  for (size_t d = 0; d < rank; ++d) base.push_back(r.Int(1, 6));
  std::vector<ir::TensorId> ins;
  Shape ys = base;
  ys[static_cast<size_t>(axis)] = 0;
  const int64_t n = r.Int(2, 3);
  for (int64_t i = 0; i < n; ++i) {
    Shape s = base;
    s[static_cast<size_t>(axis)] = r.Int(1, 4);
    ys[static_cast<size_t>(axis)] += s[static_cast<size_t>(axis)];
    ins.push_back(c.b.Input("x" + std::to_string(i), s));
  }
  const ir::TensorId y = c.b.Act("y", ys);
  c.b.Node(ir::OpKind::kConcat, "concat", ins, {y}, {{"axis", I(axis)}});
  c.axes = detail::AllAxes(rank);  // its own axis too: a window reads the parts it overlaps
  c.family = "concat";
  return c;
}

inline OpCase TransposeCase(uint32_t seed) {
  OpCase c(seed);
  Rng& r = c.b.rng;
  const size_t rank = static_cast<size_t>(r.Int(2, 4));
  Shape xs;
  for (size_t d = 0; d < rank; ++d) xs.push_back(r.Int(1, 6));
  std::vector<int64_t> perm(rank);
  std::iota(perm.begin(), perm.end(), 0);
  for (size_t i = rank; i-- > 1;)
    std::swap(perm[i], perm[static_cast<size_t>(r.Int(0, static_cast<int64_t>(i)))]);
  Shape ys;
  for (int64_t p : perm) ys.push_back(xs[static_cast<size_t>(p)]);
  const ir::TensorId x = c.b.Input("x", xs);
  const ir::TensorId y = c.b.Act("y", ys);
  c.b.Node(ir::OpKind::kTranspose, "transpose", {x}, {y}, {{"perm", Is(perm)}});
  c.axes = detail::AllAxes(rank);
  c.family = "transpose";
  return c;
}

inline OpCase GemmCase(uint32_t seed) {
  OpCase c(seed);
  Rng& r = c.b.rng;
  const int64_t m = r.Int(1, 7), k = r.Int(1, 5), n = r.Int(1, 7);
  const bool ta = r.Coin(), tb = r.Coin();
  std::vector<ir::TensorId> ins{c.b.Input("a", ta ? Shape{k, m} : Shape{m, k})};
  ins.push_back(r.Coin(70) ? c.b.Const("b", tb ? Shape{n, k} : Shape{k, n})
                           : c.b.Input("b", tb ? Shape{n, k} : Shape{k, n}));
  const int crank = static_cast<int>(r.Int(-1, 2));  // -1: no C
  if (crank == 0) ins.push_back(c.b.Const("c", {}));
  if (crank == 1) ins.push_back(c.b.Const("c", {r.Coin() ? n : 1}));
  if (crank == 2) ins.push_back(c.b.Const("c", {r.Coin() ? m : 1, r.Coin() ? n : 1}));
  const ir::TensorId y = c.b.Act("y", {m, n});
  c.b.Node(ir::OpKind::kGemm, "gemm", ins, {y},
           {{"transA", I(ta)},
            {"transB", I(tb)},
            {"alpha", F(r.Coin() ? 1.f : 0.5f)},
            {"beta", F(r.Coin() ? 1.f : 2.f)}});
  c.axes = {0, 1};
  c.family = "gemm";
  return c;
}

inline OpCase MatMulCase(uint32_t seed) {
  OpCase c(seed);
  Rng& r = c.b.rng;
  const int64_t m = r.Int(1, 6), k = r.Int(1, 4), n = r.Int(1, 6);
  const size_t batch = static_cast<size_t>(r.Int(0, 2));
  Shape bd;
  for (size_t i = 0; i < batch; ++i) bd.push_back(r.Int(1, 3));
  Shape as = bd, bs = bd;
  for (int64_t& e : as)
    if (r.Coin(30)) e = 1;
  for (int64_t& e : bs)
    if (r.Coin(30)) e = 1;
  if (r.Coin(30) && !as.empty()) as.erase(as.begin());  // fewer batch dims: broadcast
  as.push_back(m);
  as.push_back(k);
  bs.push_back(k);
  bs.push_back(n);
  Shape ys(std::max(as.size(), bs.size()) - 2, 1);
  for (size_t d = 0; d < ys.size(); ++d) {
    const size_t off_a = ys.size() - (as.size() - 2), off_b = ys.size() - (bs.size() - 2);
    const int64_t ad = d >= off_a ? as[d - off_a] : 1, bdd = d >= off_b ? bs[d - off_b] : 1;
    ys[d] = std::max(ad, bdd);
  }
  ys.push_back(m);
  ys.push_back(n);
  const ir::TensorId a = c.b.Input("a", as);
  const ir::TensorId b = r.Coin() ? c.b.Const("b", bs) : c.b.Input("b", bs);
  const ir::TensorId y = c.b.Act("y", ys);
  c.b.Node(ir::OpKind::kMatMul, "matmul", {a, b}, {y});
  c.axes = detail::AllAxes(ys.size());
  c.family = "matmul";
  return c;
}

// Unary ops, Softmax / global pools / ReduceMean along the axes they keep.
inline OpCase MiscCase(uint32_t seed) {
  OpCase c(seed);
  Rng& r = c.b.rng;
  const int which = static_cast<int>(r.Int(0, 5));
  const size_t rank = static_cast<size_t>(r.Int(3, 4));
  Shape xs;
  for (size_t d = 0; d < rank; ++d) xs.push_back(r.Int(1, 5));
  const ir::TensorId x = c.b.Input("x", xs);
  if (which <= 1) {
    const std::vector<ir::OpKind> kinds{ir::OpKind::kRelu,      ir::OpKind::kSigmoid,   ir::OpKind::kTanh,
                                        ir::OpKind::kHardSwish, ir::OpKind::kLeakyRelu, ir::OpKind::kExp};
    const ir::OpKind kind = r.Pick(kinds);
    c.b.Node(kind, "unary", {x}, {c.b.Act("y", xs)}, {{"alpha", F(0.1f)}});
    c.axes = detail::AllAxes(rank);
    c.family = "unary";
  } else if (which == 2) {
    const int64_t axis = r.Int(0, static_cast<int64_t>(rank) - 1);
    c.b.Node(ir::OpKind::kSoftmax, "softmax", {x}, {c.b.Act("y", xs)}, {{"axis", I(axis)}});
    for (int32_t a : detail::AllAxes(rank))
      if (a != axis) c.axes.push_back(a);
    c.family = "softmax";
  } else if (which == 3) {
    Shape ys = xs;
    for (size_t d = 2; d < rank; ++d) ys[d] = 1;
    c.b.Node(r.Coin() ? ir::OpKind::kGlobalAveragePool : ir::OpKind::kGlobalMaxPool, "gpool", {x},
             {c.b.Act("y", ys)});
    c.axes = {0, 1};
    c.family = "global_pool";
  } else {
    std::vector<int64_t> axes;
    Shape ys = xs;
    for (size_t d = 0; d < rank; ++d)
      if (r.Coin(40)) {
        axes.push_back(static_cast<int64_t>(d));
        ys[d] = 1;
      }
    if (axes.empty() || axes.size() == rank) {
      axes = {static_cast<int64_t>(rank) - 1};
      ys = xs;
      ys.back() = 1;
    }
    // keepdims=0 drops the reduced axes: output axis j is the j-th kept input axis.
    const bool keep = r.Coin();
    Shape kept;
    for (size_t d = 0; d < rank; ++d)
      if (std::find(axes.begin(), axes.end(), static_cast<int64_t>(d)) == axes.end()) kept.push_back(xs[d]);
    c.b.Node(ir::OpKind::kReduceMean, "reduce", {x}, {c.b.Act("y", keep ? ys : kept)},
             {{"axes", Is(axes)}, {"keepdims", I(keep ? 1 : 0)}});
    if (keep) {
      for (int32_t a : detail::AllAxes(rank))
        if (std::find(axes.begin(), axes.end(), a) == axes.end()) c.axes.push_back(a);
    } else {
      for (size_t j = 0; j < kept.size(); ++j) c.axes.push_back(static_cast<int32_t>(j));
    }
    c.family = keep ? "reduce_mean" : "reduce_mean_nokeep";
  }
  return c;
}

// The math ops of ops.def rows 33.. on float32: the unary math ops (with their attributes),
// PRelu, Pow (float exponent, constant or not), Max/Min/Sum/Mean of 1..3 broadcasting inputs,
// Expand and Tile (along the axes it does not repeat).
inline OpCase MathCase(uint32_t seed) {
  OpCase c(seed);
  Rng& r = c.b.rng;
  const int which = static_cast<int>(r.Int(0, 5));
  const size_t rank = static_cast<size_t>(r.Int(1, 4));
  Shape ys;
  for (size_t d = 0; d < rank; ++d) ys.push_back(r.Int(1, 6));
  // an operand broadcasting to ys: a suffix of its dims, some of them 1
  auto operand = [&](size_t rk) {
    Shape s(ys.end() - static_cast<std::ptrdiff_t>(rk), ys.end());
    for (int64_t& e : s)
      if (r.Coin(30)) e = 1;
    return s;
  };
  auto broadcast = [](const std::vector<Shape>& shapes) {
    size_t rk = 0;
    for (const Shape& s : shapes) rk = std::max(rk, s.size());
    Shape out(rk, 1);
    for (const Shape& s : shapes)
      for (size_t d = 0; d < s.size(); ++d) out[d + rk - s.size()] = std::max(out[d + rk - s.size()], s[d]);
    return out;
  };
  c.family = "math";
  if (which <= 1) {
    const std::vector<ir::OpKind> kinds{ir::OpKind::kSqrt,     ir::OpKind::kReciprocal, ir::OpKind::kAbs,
                                        ir::OpKind::kFloor,    ir::OpKind::kCeil,       ir::OpKind::kRound,
                                        ir::OpKind::kElu,      ir::OpKind::kSelu,       ir::OpKind::kCelu,
                                        ir::OpKind::kSoftplus, ir::OpKind::kSoftsign,   ir::OpKind::kGelu,
                                        ir::OpKind::kErf,      ir::OpKind::kMish};
    const ir::OpKind kind = r.Pick(kinds);
    const ir::TensorId x = c.b.Input("x", ys);
    c.b.Node(kind, "unary", {x}, {c.b.Act("y", ys)},
             {{"alpha", F(0.7f)}, {"gamma", F(1.1f)}, {"approximate", I(r.Coin() ? 1 : 0)}});
    c.axes = detail::AllAxes(rank);
  } else if (which == 2) {
    const bool prelu = r.Coin();
    Shape as = operand(rank), bs = operand(static_cast<size_t>(r.Int(0, static_cast<int64_t>(rank))));
    if (prelu) as = ys;  // the slope broadcasts to X
    ir::TensorId a;
    if (prelu) {
      // X < 0 everywhere: PRelu reads the slope only where X <= 0, and the brute-force reads of
      // receptive_field_test see only reads that change the output
      a = c.b.Const("a", as, /*away_from_zero=*/true);
      ir::Tensor& t = c.b.g.tensor(a);
      for (size_t e = 0; e < t.data.size(); e += 4) {
        float v;
        std::memcpy(&v, &t.data[e], 4);
        v = -std::fabs(v);
        std::memcpy(&t.data[e], &v, 4);
      }
    } else {
      a = c.b.Input("a", as);
    }
    const ir::TensorId b = r.Coin(40) ? c.b.Const("b", bs) : c.b.Input("b", bs);
    c.b.Node(prelu ? ir::OpKind::kPRelu : ir::OpKind::kPow, prelu ? "prelu" : "pow", {a, b},
             {c.b.Act("y", broadcast({as, bs}))});
    c.axes = detail::AllAxes(broadcast({as, bs}).size());
  } else if (which == 3) {
    const std::vector<ir::OpKind> kinds{ir::OpKind::kMax, ir::OpKind::kMin, ir::OpKind::kSum,
                                        ir::OpKind::kMean};
    const ir::OpKind kind = r.Pick(kinds);
    std::vector<Shape> shapes{operand(rank)};
    for (int64_t k = r.Int(0, 2); k > 0; --k)
      shapes.push_back(operand(static_cast<size_t>(r.Int(0, static_cast<int64_t>(rank)))));
    std::vector<ir::TensorId> ins;
    for (size_t k = 0; k < shapes.size(); ++k)
      ins.push_back(r.Coin(25) ? c.b.Const("c" + std::to_string(k), shapes[k])
                               : c.b.Input("x" + std::to_string(k), shapes[k]));
    const Shape out = broadcast(shapes);
    c.b.Node(kind, "variadic", ins, {c.b.Act("y", out)});
    c.axes = detail::AllAxes(out.size());
  } else if (which == 4) {
    const Shape xs = operand(static_cast<size_t>(r.Int(0, static_cast<int64_t>(rank))));
    c.b.Node(ir::OpKind::kExpand, "expand", {c.b.Input("x", xs)}, {c.b.Act("y", ys)});
    c.axes = detail::AllAxes(rank);
  } else {
    Shape xs = ys, out;
    std::vector<int64_t> repeats;
    for (size_t d = 0; d < rank; ++d) {
      xs[d] = r.Int(1, 4);
      repeats.push_back(r.Coin(50) ? 1 : r.Int(2, 3));
      out.push_back(xs[d] * repeats.back());
      if (repeats.back() == 1) c.axes.push_back(static_cast<int32_t>(d));
    }
    c.b.Node(ir::OpKind::kTile, "tile", {c.b.Input("x", xs)}, {c.b.Act("y", out)},
             {{"repeats", Is(repeats)}});
  }
  return c;
}

// Gather and GatherElements (constant int64 indices, negative ones too), LayerNormalization,
// InstanceNormalization, LpNormalization and ReduceLogSumExp along the axes they keep.
inline OpCase IndexNormCase(uint32_t seed) {
  OpCase c(seed);
  Rng& r = c.b.rng;
  const int which = static_cast<int>(r.Int(0, 5));
  const size_t rank = static_cast<size_t>(which == 3 ? r.Int(3, 4) : r.Int(which == 2 ? 2 : 1, 4));
  Shape xs;
  for (size_t d = 0; d < rank; ++d) xs.push_back(r.Int(1, 5));
  const ir::TensorId x = c.b.Input("x", xs);
  const int64_t axis = r.Int(which == 2 ? 1 : 0, static_cast<int64_t>(rank) - 1);
  const int64_t len = xs[static_cast<size_t>(axis)];
  if (which == 0) {
    Shape is;
    for (int64_t k = r.Int(0, 2); k > 0; --k) is.push_back(r.Int(1, 4));
    const ir::TensorId idx = c.b.ConstIndices("idx", is, -len, len - 1);
    Shape ys(xs.begin(), xs.begin() + axis);
    ys.insert(ys.end(), is.begin(), is.end());
    ys.insert(ys.end(), xs.begin() + axis + 1, xs.end());
    c.b.Node(ir::OpKind::kGather, "gather", {x, idx}, {c.b.Act("y", ys)}, {{"axis", I(axis)}});
    c.axes = detail::AllAxes(ys.size());
    c.family = "gather";
  } else if (which == 1) {
    Shape is = xs;
    for (size_t d = 0; d < rank; ++d) is[d] = static_cast<int64_t>(d) == axis ? r.Int(1, 5) : r.Int(1, xs[d]);
    const ir::TensorId idx = c.b.ConstIndices("idx", is, -len, len - 1);
    c.b.Node(ir::OpKind::kGatherElements, "gather_elements", {x, idx}, {c.b.Act("y", is)}, {{"axis", I(axis)}});
    c.axes = detail::AllAxes(rank);
    c.family = "gather_elements";
  } else if (which == 2) {
    Shape ss(xs.begin() + axis, xs.end());
    for (int64_t& e : ss)
      if (r.Coin(25)) e = 1;
    std::vector<ir::TensorId> ins{x, c.b.Const("scale", ss)};
    if (r.Coin()) ins.push_back(c.b.Const("bias", ss));
    c.b.Node(ir::OpKind::kLayerNormalization, "layer_norm", ins, {c.b.Act("y", xs)},
             {{"axis", I(axis)}, {"epsilon", F(1e-5f)}});
    for (int32_t a = 0; a < axis; ++a) c.axes.push_back(a);
    c.family = "layer_norm";
  } else if (which == 3) {
    c.b.Node(ir::OpKind::kInstanceNormalization, "instance_norm", {x, c.b.Const("scale", {xs[1]}), c.b.Const("b", {xs[1]})},
             {c.b.Act("y", xs)}, {{"epsilon", F(1e-5f)}});
    c.axes = {0, 1};
    c.family = "instance_norm";
  } else if (which == 4) {
    c.b.Node(ir::OpKind::kLpNormalization, "lp_norm", {x}, {c.b.Act("y", xs)},
             {{"axis", I(axis)}, {"p", I(r.Coin() ? 1 : 2)}});
    for (int32_t a : detail::AllAxes(rank))
      if (a != axis) c.axes.push_back(a);
    c.family = "lp_norm";
  } else {
    std::vector<int64_t> axes;
    for (size_t d = 0; d < rank; ++d)
      if (r.Coin(40)) axes.push_back(static_cast<int64_t>(d));
    if (axes.empty()) axes = {axis};
    const bool keep = r.Coin();
    Shape ys;
    for (size_t d = 0; d < rank; ++d) {
      const bool reduced = std::find(axes.begin(), axes.end(), static_cast<int64_t>(d)) != axes.end();
      if (!reduced || keep) ys.push_back(reduced ? 1 : xs[d]);
      if (!reduced) c.axes.push_back(static_cast<int32_t>(keep ? d : ys.size() - 1));
    }
    c.b.Node(ir::OpKind::kReduceLogSumExp, "reduce_lse", {x}, {c.b.Act("y", ys)},
             {{"axes", Is(axes)}, {"keepdims", I(keep ? 1 : 0)}});
    c.family = "reduce_log_sum_exp";
  }
  return c;
}

using CaseMaker = OpCase (*)(uint32_t);

// Every family with how many cases of it to draw (`scale` multiplies the counts).
inline std::vector<std::pair<CaseMaker, int>> CaseFamilies() {
  return {{ConvCase, 900},  {PoolCase, 900},   {ResizeCase, 900}, {PadCase, 200},
          {SliceCase, 200}, {BinaryCase, 300}, {ConcatCase, 150}, {TransposeCase, 150},
          {GemmCase, 240},  {MatMulCase, 240}, {MiscCase, 300},   {MathCase, 300},
          {IndexNormCase, 300}};
}

}  // namespace tigris::tile_test
