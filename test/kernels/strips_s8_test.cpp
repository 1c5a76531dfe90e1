// The int8 kernels' view and sub-range contracts, each against the whole dense call:
// - every kernel on random shapes with every tensor embedded at random strides (inputs may use
//   stride 0 and non-row-major nestings) in larger buffers: bit-identical, no byte outside the
//   output elements written;
// - Conv / MaxPool / AveragePool strips of output rows and columns with the strip's input
//   window and the local pads of docs/kernels.md; Conv, Gemm and MatMul strips of output
//   channels / columns with the per-channel tensors (bias, RQ, weight zero points) as windows;
// - GlobalAveragePool / GlobalMaxPool as BEGIN ... END sequences over strips (int32 partial);
// - elementwise ops and Softmax on sub-ranges of any non-reduced dim;
// - nearest Resize through a tgrs_resize_reads table, byte-exact with the f32 kernel on the same
//   values, whole and in windows.
#include <algorithm>
#include <cstring>
#include <random>

#include "s8_specs.h"

using namespace s8test;
using tgrs_test::ElementOffsets;
using tgrs_test::Embedded;
using tgrs_test::FillInput;
using tgrs_test::SubView;

namespace {

tgrs_kernel_call_t RawCall(const std::vector<tgrs_tensor_t>& in, const std::vector<tgrs_tensor_t>& out,
                           const std::vector<uint32_t>& params) {
  return tgrs_test::RawCall(in, out, params);
}

// Runs `s` densely and with every tensor at random strides; expects identical results.
void StridedEqualsDense(std::mt19937& rng, const Spec& s) {
  std::vector<Embedded> dense_in(s.in_dims.size()), strided_in(s.in_dims.size());
  std::vector<tgrs_tensor_t> din, sin;
  for (size_t i = 0; i < s.in_dims.size(); ++i) {
    if (s.in_dtypes[i] == 0) {  // an omitted optional input
      din.push_back(Absent());
      sin.push_back(Absent());
      continue;
    }
    dense_in[i] = Embedded::Dense(s.in_dims[i], s.in_dtypes[i]);
    strided_in[i] = Embedded::Random(rng, s.in_dims[i], s.in_dtypes[i], true);
    FillInput(rng, strided_in[i], dense_in[i]);
    din.push_back(dense_in[i].view);
    sin.push_back(strided_in[i].view);
  }
  Embedded dense_out = Embedded::Dense(s.out_dims, s.out_dtype);
  Embedded strided_out = Embedded::Random(rng, s.out_dims, s.out_dtype, false);
  for (auto& b : strided_out.bytes) b = static_cast<uint8_t>(rng());
  // the same initial output values (the running partial of accumulating calls)
  const int32_t es = tgrs_dtype_size(s.out_dtype);
  const std::vector<int64_t> offs = ElementOffsets(strided_out.view);
  for (size_t i = 0; i < offs.size(); ++i)
    std::memcpy(dense_out.bytes.data() + i * static_cast<size_t>(es), strided_out.At(offs[i]),
                static_cast<size_t>(es));
  const std::vector<uint8_t> before = strided_out.bytes;
  const std::vector<tgrs_tensor_t> dout = {dense_out.view}, sout = {strided_out.view};
  const tgrs_kernel_call_t dc = RawCall(din, dout, s.params), sc = RawCall(sin, sout, s.params);
  ASSERT_EQ(s.kernel->check(&dc), TGRS_OK) << s.what;
  ASSERT_EQ(s.kernel->check(&sc), TGRS_OK) << s.what << " (strided)";
  s.kernel->run(&dc);
  s.kernel->run(&sc);
  std::vector<uint8_t> want = before;
  for (size_t i = 0; i < offs.size(); ++i)
    std::memcpy(&want[strided_out.base + static_cast<size_t>(offs[i])], dense_out.bytes.data() + i * static_cast<size_t>(es),
                static_cast<size_t>(es));
  ASSERT_EQ(strided_out.bytes, want) << s.what << ": strided result or canary bytes differ";
}

}  // namespace

TEST(StripsS8, EveryKernelOnRandomStridedViewsEqualsTheDenseCall) {
  std::mt19937 rng(123);
  int runs = 0;
  for (int kind = 0; kind < kSpecKinds; ++kind) {
    for (int t = 0; t < 60; ++t) {
      const Spec s = RandomSpec(rng, kind);
      StridedEqualsDense(rng, s);
      if (HasFatalFailure()) {
        ADD_FAILURE() << "kind " << kind << " trial " << t;
        return;
      }
      ++runs;
    }
  }
  RecordProperty("calls", runs);
}

// ---- Conv / pool strips of output rows and columns --------------------------------------------

namespace {

struct Axis {
  int32_t k = 1, s = 1, d = 1, pb = 0, pe = 0, in = 1, out = 1;
};

struct Strip {
  int32_t r0, r1, pb, pe;
};

// docs/kernels.md: output rows [o0, o1) read input rows [r0, r1) with local pads.
bool StripOf(const Axis& a, int32_t o0, int32_t o1, Strip* st) {
  const int32_t ext = (a.k - 1) * a.d + 1;
  st->r0 = std::max(0, o0 * a.s - a.pb);
  st->r1 = std::min(a.in, (o1 - 1) * a.s - a.pb + ext);
  st->pb = st->r0 - (o0 * a.s - a.pb);
  st->pe = o1 == a.out ? a.pe : (o1 - 1) * a.s - a.pb + ext - st->r1;
  return st->r1 > st->r0;
}

Axis RandomAxis(std::mt19937& rng, bool pool) {
  for (;;) {
    Axis a;
    a.k = Rand(rng, 1, 3);
    a.s = Rand(rng, 1, 3);
    a.d = Rand(rng, 1, 2);
    const int32_t ext = (a.k - 1) * a.d + 1;
    a.pb = Rand(rng, 0, pool ? ext - 1 : 2);
    a.pe = Rand(rng, 0, pool ? ext - 1 : 2);
    a.in = Rand(rng, 1, 8);
    const int32_t span = a.in + a.pb + a.pe - ext;
    if (span < 0) continue;
    a.out = span / a.s + 1;
    if (pool && Rand(rng, 0, 1)) {  // ceil mode with onnxruntime's dropped last window
      const int32_t cl = (span + a.s - 1) / a.s + 1;
      a.out = (cl - 1) * a.s >= a.in + a.pb ? cl - 1 : cl;
    }
    return a;
  }
}

// A whole spatial call (op 0 conv, 1 maxpool, 2 avgpool) on random data and its dense result.
struct SpatialCase {
  const Kernel* kernel = nullptr;
  int32_t rank = 4;
  Axis h, w;
  std::vector<uint32_t> params;
  int32_t pad_word_h = 0, pad_word_w = 0;
  Embedded x, wt, bias, rq, wzp, y;
  std::vector<tgrs_tensor_t> Inputs(const tgrs_tensor_t& xv) const {
    std::vector<tgrs_tensor_t> in = {xv};
    if (kernel == &kConv) in.insert(in.end(), {wt.view, bias.view, rq.view, wzp.view});
    return in;
  }
};

SpatialCase MakeSpatial(std::mt19937& rng, int op, int32_t rank, const Axis& h, const Axis& w) {
  SpatialCase c;
  c.rank = rank;
  c.h = h;
  c.w = w;
  const int32_t n = Rand(rng, 1, 2);
  auto sp = [&](Dims d4) {
    if (rank == 3) d4.erase(d4.begin() + 2);
    return d4;
  };
  Dims xd, yd;
  if (op == 0) {
    c.kernel = &kConv;
    const int32_t kind = Rand(rng, 0, 2);
    const int32_t cin = kind == 0 ? Rand(rng, 1, 3) : (kind == 1 ? 4 : 3);
    const int32_t group = kind == 0 ? 1 : (kind == 1 ? 2 : 3);
    const int32_t m = kind == 2 ? 6 : 2 * group;
    tgrs_conv_s8_params_t p{};
    p.kernel_h = h.k;
    p.kernel_w = w.k;
    p.stride_h = h.s;
    p.stride_w = w.s;
    p.dilation_h = h.d;
    p.dilation_w = w.d;
    p.pad_top = h.pb;
    p.pad_left = w.pb;
    p.pad_bottom = h.pe;
    p.pad_right = w.pe;
    p.group = group;
    p.input_zp = Zp(rng);
    p.output_zp = Zp(rng);
    SetClamp(rng, p);
    c.params = tgrs_test::ParamWords(p);
    c.pad_word_h = offsetof(tgrs_conv_s8_params_t, pad_top) / 4;
    c.pad_word_w = offsetof(tgrs_conv_s8_params_t, pad_left) / 4;
    xd = sp({n, cin, h.in, w.in});
    yd = sp({n, m, h.out, w.out});
    const Dims wd = sp({m, cin / group, h.k, w.k});
    auto fill = [&](Embedded& e, const Dims& d, int32_t dt) {
      Embedded dense = Embedded::Dense(d, dt);
      e = Embedded::Random(rng, d, dt, true);
      FillInput(rng, e, dense);
    };
    fill(c.wt, wd, TGRS_DTYPE_I8);
    fill(c.bias, {m}, TGRS_DTYPE_I32);
    // realistic requantization so outputs are not all saturated
    c.rq = Embedded::Dense({m, 2}, TGRS_DTYPE_I32);
    for (int32_t i = 0; i < m; ++i) {
      const int32_t v[2] = {Rand(rng, 1 << 30, INT32_MAX), Rand(rng, -12, -6)};
      std::memcpy(c.rq.bytes.data() + 8 * i, v, 8);
    }
    fill(c.wzp, {m}, TGRS_DTYPE_I32);
  } else {
    c.kernel = op == 1 ? &kMaxPool : &kAvgPool;
    tgrs_pool_s8_params_t p{};
    p.kernel_h = h.k;
    p.kernel_w = w.k;
    p.stride_h = h.s;
    p.stride_w = w.s;
    p.dilation_h = h.d;
    p.dilation_w = w.d;
    p.pad_top = h.pb;
    p.pad_left = w.pb;
    p.pad_bottom = h.pe;
    p.pad_right = w.pe;
    p.count_include_pad = Rand(rng, 0, 1);
    p.input_zp = Zp(rng);
    SetClamp(rng, p);
    c.params = tgrs_test::ParamWords(p);
    c.pad_word_h = offsetof(tgrs_pool_s8_params_t, pad_top) / 4;
    c.pad_word_w = offsetof(tgrs_pool_s8_params_t, pad_left) / 4;
    const int32_t ch = Rand(rng, 1, 3);
    xd = sp({n, ch, h.in, w.in});
    yd = sp({n, ch, h.out, w.out});
  }
  Embedded dense_x = Embedded::Dense(xd, TGRS_DTYPE_I8);
  c.x = Embedded::Random(rng, xd, TGRS_DTYPE_I8, false);
  FillInput(rng, c.x, dense_x);
  c.y = Embedded::Dense(yd, TGRS_DTYPE_I8);
  const std::vector<tgrs_tensor_t> in = c.Inputs(c.x.view), out = {c.y.view};
  const tgrs_kernel_call_t call = RawCall(in, out, c.params);
  EXPECT_EQ(c.kernel->check(&call), TGRS_OK);
  c.kernel->run(&call);
  return c;
}

// Output rows [o0, o1) x columns [q0, q1) as a strip call; returns false if not expressible.
bool RunTile(std::mt19937& rng, const SpatialCase& c, int32_t o0, int32_t o1, int32_t q0, int32_t q1) {
  Strip sh{0, 1, 0, 0}, sw{0, 1, 0, 0};
  const int32_t ah = c.rank - 2, aw = c.rank - 1;
  if (c.rank == 4 && !StripOf(c.h, o0, o1, &sh)) return false;
  if (!StripOf(c.w, q0, q1, &sw)) return false;
  std::vector<uint32_t> params = c.params;
  if (c.rank == 4) {
    params[c.pad_word_h] = static_cast<uint32_t>(sh.pb);
    params[c.pad_word_h + 2] = static_cast<uint32_t>(sh.pe);
  }
  params[c.pad_word_w] = static_cast<uint32_t>(sw.pb);
  params[c.pad_word_w + 2] = static_cast<uint32_t>(sw.pe);
  tgrs_tensor_t xv = SubView(c.x.view, aw, sw.r0, sw.r1 - sw.r0);
  if (c.rank == 4) xv = SubView(xv, ah, sh.r0, sh.r1 - sh.r0);
  Embedded out = Embedded::Dense(Dims(c.y.view.dims, c.y.view.dims + c.rank), TGRS_DTYPE_I8);
  for (auto& b : out.bytes) b = static_cast<uint8_t>(rng());
  std::vector<uint8_t> want = out.bytes;
  tgrs_tensor_t yv = SubView(out.view, aw, q0, q1 - q0);
  if (c.rank == 4) yv = SubView(yv, ah, o0, o1 - o0);
  const int64_t base = static_cast<uint8_t*>(yv.data) - out.bytes.data();
  for (int64_t off : ElementOffsets(yv)) want[static_cast<size_t>(base + off)] = c.y.bytes[static_cast<size_t>(base + off)];
  const std::vector<tgrs_tensor_t> in = c.Inputs(xv), outs = {yv};
  const tgrs_kernel_call_t call = RawCall(in, outs, params);
  EXPECT_EQ(c.kernel->check(&call), TGRS_OK) << c.kernel->name << " rows [" << o0 << "," << o1 << ") cols [" << q0
                                              << "," << q1 << ")";
  if (c.kernel->check(&call) != TGRS_OK) return true;
  c.kernel->run(&call);
  EXPECT_EQ(out.bytes, want) << c.kernel->name << " rows [" << o0 << "," << o1 << ") cols [" << q0 << "," << q1
                             << ") k" << c.w.k << " s" << c.w.s << " d" << c.w.d << " pads " << c.w.pb << "/"
                             << c.w.pe << " in " << c.w.in;
  return true;
}

void SpatialStrips(int op, uint32_t seed) {
  std::mt19937 rng(seed);
  int runs = 0, skipped = 0;
  for (int cfg = 0; cfg < 300; ++cfg) {
    const bool along_w = cfg % 2;
    const int32_t rank = along_w ? Rand(rng, 3, 4) : 4;
    const Axis a = RandomAxis(rng, op != 0), other = RandomAxis(rng, op != 0);
    const Axis h = rank == 3 ? Axis{} : (along_w ? other : a), w = along_w ? a : other;
    const SpatialCase c = MakeSpatial(rng, op, rank, h, w);
    for (int32_t o0 = 0; o0 < a.out; ++o0)
      for (int32_t o1 = o0 + 1; o1 <= a.out; ++o1) {
        const bool ran = along_w ? RunTile(rng, c, 0, h.out, o0, o1) : RunTile(rng, c, o0, o1, 0, w.out);
        ran ? ++runs : ++skipped;
        if (testing::Test::HasFailure()) return;
      }
    if (rank == 4) {
      const int32_t o0 = Rand(rng, 0, h.out - 1), o1 = Rand(rng, o0 + 1, h.out);
      const int32_t q0 = Rand(rng, 0, w.out - 1), q1 = Rand(rng, q0 + 1, w.out);
      RunTile(rng, c, o0, o1, q0, q1) ? ++runs : ++skipped;
    }
  }
  testing::Test::RecordProperty("strip_calls", runs);
  EXPECT_GT(runs, 1000);
  EXPECT_LT(skipped, runs / 5);
}

}  // namespace

TEST(StripsS8, ConvStripsAlongHAndWAreBitExact) { SpatialStrips(0, 11); }
TEST(StripsS8, MaxPoolStripsAlongHAndWAreBitExact) { SpatialStrips(1, 12); }
TEST(StripsS8, AveragePoolStripsAreBitExactWithEitherCountIncludePad) { SpatialStrips(2, 13); }

// ---- Channel / column strips -------------------------------------------------------------------

namespace {

// A window [lo, hi) of dim d of a view, or the view itself if that dim has extent 1 (a
// per-tensor value broadcast to every channel).
tgrs_tensor_t ChannelWindow(const tgrs_tensor_t& t, int32_t d, int32_t lo, int32_t hi) {
  if (t.dtype == 0 || t.dims[d] == 1) return t;
  return SubView(t, d, lo, hi - lo);
}

}  // namespace

TEST(StripsS8, ConvOutputChannelStripsWithPerChannelTensorWindowsAreBitExact) {
  std::mt19937 rng(21);
  int runs = 0;
  for (int t = 0; t < 200; ++t) {
    const Spec s = ConvSpec(rng);
    tgrs_conv_s8_params_t p;
    std::memcpy(&p, s.params.data(), sizeof(p));
    std::vector<Embedded> in;
    std::vector<tgrs_tensor_t> views;
    for (size_t i = 0; i < s.in_dims.size(); ++i) {
      in.push_back(s.in_dtypes[i] ? Embedded::Dense(s.in_dims[i], s.in_dtypes[i]) : Embedded{});
      for (auto& b : in.back().bytes) b = static_cast<uint8_t>(rng());
      views.push_back(s.in_dtypes[i] ? in.back().view : Absent());
    }
    Embedded y = Embedded::Dense(s.out_dims, TGRS_DTYPE_I8);
    {
      const std::vector<tgrs_tensor_t> out = {y.view};
      const tgrs_kernel_call_t c = RawCall(views, out, s.params);
      ASSERT_EQ(kConv.check(&c), TGRS_OK);
      kConv.run(&c);
    }
    // strips of whole groups: output channels [g0, g1) * cout_g read input channels of those groups
    const int32_t m = s.out_dims[1], cin = s.in_dims[0][1];
    const int32_t cout_g = m / p.group, cin_g = cin / p.group;
    const int32_t g0 = Rand(rng, 0, p.group - 1), g1 = Rand(rng, g0 + 1, p.group);
    // within one group (group == 1 or a depthwise multiplier), any channel range works
    const bool within = p.group == 1 || (g1 == g0 + 1 && cout_g > 1 && Rand(rng, 0, 1));
    int32_t m0 = g0 * cout_g, m1 = g1 * cout_g;
    if (within) {
      m0 = g0 * cout_g + Rand(rng, 0, cout_g - 1);
      m1 = Rand(rng, m0 + 1, (g0 + 1) * cout_g);
    }
    // the group's input channels (a strip inside one group is a group-1 conv over them)
    std::vector<tgrs_tensor_t> sv = views;
    tgrs_conv_s8_params_t sp = p;
    if (p.group > 1) {
      sv[0] = SubView(views[0], 1, g0 * cin_g, (within ? 1 : g1 - g0) * cin_g);
      sp.group = within ? 1 : g1 - g0;
    }
    sv[1] = SubView(views[1], 0, m0, m1 - m0);
    sv[2] = ChannelWindow(views[2], 0, m0, m1);
    sv[3] = ChannelWindow(views[3], 0, m0, m1);
    sv[4] = ChannelWindow(views[4], 0, m0, m1);
    Embedded out = Embedded::Dense(s.out_dims, TGRS_DTYPE_I8);
    for (auto& b : out.bytes) b = static_cast<uint8_t>(rng());
    std::vector<uint8_t> want = out.bytes;
    const tgrs_tensor_t yv = SubView(out.view, 1, m0, m1 - m0);
    const int64_t base = static_cast<uint8_t*>(yv.data) - out.bytes.data();
    for (int64_t off : ElementOffsets(yv)) want[static_cast<size_t>(base + off)] = y.bytes[static_cast<size_t>(base + off)];
    const std::vector<uint32_t> words = tgrs_test::ParamWords(sp);
    const std::vector<tgrs_tensor_t> outs = {yv};
    const tgrs_kernel_call_t c = RawCall(sv, outs, words);
    ASSERT_EQ(kConv.check(&c), TGRS_OK) << s.what << " channels [" << m0 << "," << m1 << ")";
    kConv.run(&c);
    ASSERT_EQ(out.bytes, want) << s.what << " channels [" << m0 << "," << m1 << ")";
    ++runs;
  }
  RecordProperty("strip_calls", runs);
}

TEST(StripsS8, GemmAndMatMulRowAndColumnStripsAreBitExact) {
  std::mt19937 rng(22);
  for (int t = 0; t < 300; ++t) {
    const bool gemm = t % 2 == 0;
    const Spec s = gemm ? GemmSpec(rng) : MatMulSpec(rng);
    std::vector<Embedded> in;
    std::vector<tgrs_tensor_t> views;
    for (size_t i = 0; i < s.in_dims.size(); ++i) {
      in.push_back(s.in_dtypes[i] ? Embedded::Dense(s.in_dims[i], s.in_dtypes[i]) : Embedded{});
      for (auto& b : in.back().bytes) b = static_cast<uint8_t>(rng());
      views.push_back(s.in_dtypes[i] ? in.back().view : Absent());
    }
    Embedded y = Embedded::Dense(s.out_dims, TGRS_DTYPE_I8);
    {
      const std::vector<tgrs_tensor_t> out = {y.view};
      const tgrs_kernel_call_t c = RawCall(views, out, s.params);
      ASSERT_EQ(s.kernel->check(&c), TGRS_OK) << s.what;
      s.kernel->run(&c);
    }
    if (s.out_dims.empty()) continue;
    std::vector<tgrs_tensor_t> sv = views;
    tgrs_tensor_t yv;
    Embedded out = Embedded::Dense(s.out_dims, TGRS_DTYPE_I8);
    for (auto& b : out.bytes) b = static_cast<uint8_t>(rng());
    std::vector<uint8_t> want = out.bytes;
    const tgrs_tensor_t& a = views[0];
    const tgrs_tensor_t& b = views[1];
    const int32_t yr = static_cast<int32_t>(s.out_dims.size());
    bool columns = Rand(rng, 0, 1);
    // columns need a 2-D B (gemm always); rows need a 2-D A
    if (!gemm && b.rank < 2) columns = false;
    if (!gemm && !columns && a.rank < 2) continue;
    if (columns) {
      const int32_t n = s.out_dims[yr - 1], j0 = Rand(rng, 0, n - 1), j1 = Rand(rng, j0 + 1, n);
      tgrs_gemm_s8_params_t gp{};
      if (gemm) std::memcpy(&gp, s.params.data(), sizeof(gp));
      const int32_t bdim = gemm ? (gp.trans_b ? 0 : 1) : b.rank - 1;
      sv[1] = SubView(b, bdim, j0, j1 - j0);
      for (int i = 2; i <= 4; ++i) sv[i] = ChannelWindow(views[i], 0, j0, j1);
      yv = SubView(out.view, yr - 1, j0, j1 - j0);
    } else {
      const int32_t ydim = gemm ? 0 : yr - (b.rank >= 2 ? 2 : 1);
      const int32_t m = s.out_dims[ydim], i0 = Rand(rng, 0, m - 1), i1 = Rand(rng, i0 + 1, m);
      tgrs_gemm_s8_params_t gp{};
      if (gemm) std::memcpy(&gp, s.params.data(), sizeof(gp));
      const int32_t adim = gemm ? (gp.trans_a ? 1 : 0) : a.rank - 2;
      sv[0] = SubView(a, adim, i0, i1 - i0);
      yv = SubView(out.view, ydim, i0, i1 - i0);
    }
    const int64_t base = static_cast<uint8_t*>(yv.data) - out.bytes.data();
    for (int64_t off : ElementOffsets(yv)) want[static_cast<size_t>(base + off)] = y.bytes[static_cast<size_t>(base + off)];
    const std::vector<tgrs_tensor_t> outs = {yv};
    const tgrs_kernel_call_t c = RawCall(sv, outs, s.params);
    ASSERT_EQ(s.kernel->check(&c), TGRS_OK) << s.what << (columns ? " columns" : " rows");
    s.kernel->run(&c);
    ASSERT_EQ(out.bytes, want) << s.what << (columns ? " columns" : " rows");
  }
}

// ---- Global pools over strip sequences ---------------------------------------------------------

TEST(StripsS8, GlobalPoolStripSequencesEqualTheWholeCall) {
  std::mt19937 rng(31);
  for (int t = 0; t < 200; ++t) {
    const bool is_max = t % 3 == 2;
    const Spec whole = is_max ? GlobalMaxPoolSpec(rng, TGRS_ACC_BEGIN | TGRS_ACC_END)
                              : GlobalAvgPoolSpec(rng, TGRS_ACC_BEGIN | TGRS_ACC_END);
    const Dims xd = whole.in_dims[0];
    std::vector<int8_t> x = RandomS8(rng, Count(xd));
    std::vector<int8_t> want(static_cast<size_t>(Count(whole.out_dims)));
    {
      const std::vector<tgrs_tensor_t> in = {View(x, xd)}, out = {View(want, whole.out_dims)};
      const tgrs_kernel_call_t c = RawCall(in, out, whole.params);
      ASSERT_EQ(whole.kernel->check(&c), TGRS_OK);
      whole.kernel->run(&c);
    }
    // strips of dim 2 (the outermost spatial dim), 1..4 of them
    const int32_t len = xd[2];
    std::vector<int32_t> cuts = {0, len};
    for (int k = Rand(rng, 0, 3); k > 0; --k) cuts.push_back(Rand(rng, 1, std::max(1, len - 1)));
    std::sort(cuts.begin(), cuts.end());
    cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
    std::vector<int32_t> partial(want.size(), 0);
    std::vector<int8_t> got(want.size(), 0), running(want.size(), 0);
    const tgrs_tensor_t xv = View(x, xd);
    for (size_t k = 0; k + 1 < cuts.size(); ++k) {
      const bool first = k == 0, last = k + 2 == cuts.size();
      const tgrs_tensor_t strip = SubView(xv, 2, cuts[k], cuts[k + 1] - cuts[k]);
      std::vector<uint32_t> params = whole.params;
      params[0] = static_cast<uint32_t>((first ? TGRS_ACC_BEGIN : 0) | (last ? TGRS_ACC_END : 0));
      std::vector<tgrs_tensor_t> in = {strip};
      std::vector<tgrs_tensor_t> out;
      if (is_max) {
        if (last && !first) got = running;  // the partial lives in the output
        out = {View(last ? got : running, whole.out_dims)};
      } else {
        if (!first) in.push_back(View(partial, whole.out_dims));  // updated in place
        out = {last ? View(got, whole.out_dims) : View(partial, whole.out_dims)};
      }
      const tgrs_kernel_call_t c = RawCall(in, out, params);
      ASSERT_EQ(whole.kernel->check(&c), TGRS_OK) << whole.what << " strip " << k;
      whole.kernel->run(&c);
    }
    ASSERT_EQ(got, want) << whole.what << " over " << cuts.size() - 1 << " strips: " << FirstDiff(got, want);
  }
}

// ---- Elementwise and Softmax sub-ranges --------------------------------------------------------

TEST(StripsS8, ElementwiseAndSoftmaxSubRangesAreBitExact) {
  std::mt19937 rng(41);
  int runs = 0;
  for (int t = 0; t < 600; ++t) {
    const int pick = t % 6;
    const Spec s = pick == 0   ? AddSpec(rng, false)
                   : pick == 1 ? AddSpec(rng, true)
                   : pick == 2 ? MulSpec(rng)
                   : pick == 3 ? RequantizeSpec(rng)
                   : pick == 4 ? LutSpec(rng)
                               : SoftmaxSpec(rng);
    if (s.out_dims.empty()) continue;
    const int32_t yr = static_cast<int32_t>(s.out_dims.size());
    const int32_t d = Rand(rng, 0, yr - 1);
    if (pick == 5) {
      tgrs_softmax_s8_params_t sp;
      std::memcpy(&sp, s.params.data(), sizeof(sp));
      if (sp.axis == d) continue;  // a line is never split
    }
    std::vector<Embedded> in;
    std::vector<tgrs_tensor_t> views;
    for (size_t i = 0; i < s.in_dims.size(); ++i) {
      in.push_back(Embedded::Dense(s.in_dims[i], s.in_dtypes[i]));
      for (auto& b : in.back().bytes) b = static_cast<uint8_t>(rng());
      views.push_back(in.back().view);
    }
    Embedded y = Embedded::Dense(s.out_dims, TGRS_DTYPE_I8);
    {
      const std::vector<tgrs_tensor_t> out = {y.view};
      const tgrs_kernel_call_t c = RawCall(views, out, s.params);
      ASSERT_EQ(s.kernel->check(&c), TGRS_OK) << s.what;
      s.kernel->run(&c);
    }
    const int32_t len = s.out_dims[d], r0 = Rand(rng, 0, len - 1), r1 = Rand(rng, r0 + 1, len);
    std::vector<tgrs_tensor_t> sv = views;
    const size_t n_data = pick == 4 ? 1 : s.in_dims.size();  // the LUT's table is not sliced
    for (size_t i = 0; i < n_data; ++i) {
      const int32_t od = d - (yr - views[i].rank);  // right-aligned operand dim
      if (od >= 0 && views[i].dims[od] != 1) sv[i] = SubView(views[i], od, r0, r1 - r0);
    }
    Embedded out = Embedded::Dense(s.out_dims, TGRS_DTYPE_I8);
    for (auto& b : out.bytes) b = static_cast<uint8_t>(rng());
    std::vector<uint8_t> want = out.bytes;
    const tgrs_tensor_t yv = SubView(out.view, d, r0, r1 - r0);
    const int64_t base = static_cast<uint8_t*>(yv.data) - out.bytes.data();
    for (int64_t off : ElementOffsets(yv)) want[static_cast<size_t>(base + off)] = y.bytes[static_cast<size_t>(base + off)];
    const std::vector<tgrs_tensor_t> outs = {yv};
    const tgrs_kernel_call_t c = RawCall(sv, outs, s.params);
    ASSERT_EQ(s.kernel->check(&c), TGRS_OK) << s.what;
    s.kernel->run(&c);
    ASSERT_EQ(out.bytes, want) << s.what << " dim " << d << " [" << r0 << "," << r1 << ")";
    ++runs;
  }
  EXPECT_GT(runs, 300);
}

// ---- Nearest Resize vs the f32 kernel ----------------------------------------------------------

TEST(StripsS8, NearestResizeCopiesTheBytesTheF32KernelPicksWholeAndInWindows) {
  std::mt19937 rng(51);
  const float scales[] = {2.0f, 3.0f, 1.5f, 1.7f, 0.5f, 0.75f, 0.6f, 1.0f, 4.0f, 1.25f};
  int runs = 0;
  for (int32_t coord = TGRS_COORD_HALF_PIXEL; coord <= TGRS_COORD_HALF_PIXEL_SYMMETRIC; ++coord) {
    for (int32_t nm = TGRS_NEAREST_ROUND_PREFER_FLOOR; nm <= TGRS_NEAREST_CEIL; ++nm) {
      for (int t = 0; t < 6; ++t) {
        // x [2, H, W], both spatial dims resized
        const int32_t ih = Rand(rng, 1, 6), iw = Rand(rng, 1, 6);
        const float sh = scales[rng() % 10], sw = scales[rng() % 10];
        const int32_t oh = std::max(1, static_cast<int32_t>(ih * sh)), ow = std::max(1, static_cast<int32_t>(iw * sw));
        tgrs_resize_params_t rp{};
        rp.mode = TGRS_RESIZE_NEAREST;
        rp.coord_mode = coord;
        rp.nearest_mode = nm;
        rp.cubic_coeff_a = -0.75f;
        rp.scale[0] = 1.0f;
        rp.scale[1] = sh;
        rp.scale[2] = sw;
        const Dims xd = {2, ih, iw}, yd = {2, oh, ow};
        tgrs_test::SetWholeWindow(rp, xd, yd);
        // the f32 result on the int8 values (exact in float)
        const std::vector<int8_t> x = RandomS8(rng, Count(xd));
        std::vector<float> xf(x.begin(), x.end()), yf(static_cast<size_t>(Count(yd)));
        tgrs_test::RunOp(TGRS_OP_Resize, {tgrs_test::View(xf.data(), xd)}, {tgrs_test::View(yf.data(), yd)}, rp);
        // the host table: lo of tgrs_resize_reads per global output index of each dim
        std::vector<int32_t> table;
        tgrs_resize_nearest_s8_params_t p{};
        for (int32_t d = 0; d < 3; ++d) {
          p.table_offset[d] = static_cast<int32_t>(table.size());
          for (int32_t o = 0; o < yd[d]; ++o) {
            int32_t lo = 0, hi = 0;
            tgrs_resize_reads(&rp, d, o, &lo, &hi);
            EXPECT_EQ(lo, hi);
            table.push_back(lo);
          }
        }
        std::vector<int8_t> y(yf.size());
        RunKernel(kResizeNearest, {View(x, xd), View(table, {static_cast<int32_t>(table.size())})}, {View(y, yd)}, p);
        for (size_t i = 0; i < y.size(); ++i) ASSERT_EQ(static_cast<float>(y[i]), yf[i]) << "coord " << coord << " i " << i;
        // a window of output rows along H reading only the input rows its table entries name
        const int32_t o0 = Rand(rng, 0, oh - 1), o1 = Rand(rng, o0 + 1, oh);
        int32_t i0 = ih, i1 = 0;
        for (int32_t o = o0; o < o1; ++o) {
          i0 = std::min(i0, table[static_cast<size_t>(p.table_offset[1] + o)]);
          i1 = std::max(i1, table[static_cast<size_t>(p.table_offset[1] + o)] + 1);
        }
        tgrs_resize_nearest_s8_params_t wp = p;
        wp.in_origin[1] = i0;
        wp.out_origin[1] = o0;
        std::vector<int8_t> yw(y.size(), 77);
        const tgrs_tensor_t xv = SubView(View(x, xd), 1, i0, i1 - i0);
        const tgrs_tensor_t yv = SubView(View(yw, yd), 1, o0, o1 - o0);
        RunKernel(kResizeNearest, {xv, View(table, {static_cast<int32_t>(table.size())})}, {yv}, wp);
        for (size_t i = 0; i < y.size(); ++i) {
          const int32_t row = static_cast<int32_t>(i / static_cast<size_t>(ow)) % oh;
          ASSERT_EQ(yw[i], row >= o0 && row < o1 ? y[i] : int8_t{77}) << "window [" << o0 << "," << o1 << ") i " << i;
        }
        ++runs;
      }
    }
  }
  EXPECT_GT(runs, 100);
}
