// The sub-range contracts the tiler relies on, each against the whole (untiled) call:
// - Conv / MaxPool / AveragePool on a strip of output rows (or columns) with the strip's input
//   rows as a strided view and the local pads of docs/kernels.md, for every cut point;
// - Resize windows (in_origin/out_origin/in_full/out_full) in every mode, and check() accepting
//   exactly the input windows that hold every value the outputs read;
// - GlobalAveragePool / GlobalMaxPool / ReduceMean as BEGIN ... END sequences over strips.
// Results must be bit-identical and no byte outside the output window may change.
#include <cmath>
#include <cstddef>
#include <cstring>
#include <random>

#include "strided_test_util.h"

using namespace tgrs_test;

namespace {

// One spatial axis: kernel, stride, dilation, pads, input and output length.
struct Axis {
  int32_t k = 1, s = 1, d = 1, pb = 0, pe = 0, in = 1, out = 1;
};

// Every axis with k, s in 1..3, d in 1..2, pads 0..2 (pools: below the window extent) and
// input length 1..7; pools in floor and in ceil mode (with onnxruntime's dropped window).
std::vector<Axis> AllAxes(bool pool) {
  std::vector<Axis> all;
  for (int32_t k = 1; k <= 3; ++k)
    for (int32_t s = 1; s <= 3; ++s)
      for (int32_t d = 1; d <= 2; ++d)
        for (int32_t pb = 0; pb <= 2; ++pb)
          for (int32_t pe = 0; pe <= 2; ++pe)
            for (int32_t in = 1; in <= 7; ++in) {
              const int32_t ext = (k - 1) * d + 1;
              if (pool && (pb >= ext || pe >= ext)) continue;
              const int32_t span = in + pb + pe - ext;
              if (span < 0) continue;
              const int32_t fl = span / s + 1;
              all.push_back(Axis{k, s, d, pb, pe, in, fl});
              if (pool) {
                const int32_t cl = (span + s - 1) / s + 1;
                const int32_t ceil_out = (cl - 1) * s >= in + pb ? cl - 1 : cl;
                if (ceil_out != fl) all.push_back(Axis{k, s, d, pb, pe, in, ceil_out});
              }
            }
  return all;
}

// The strip of output rows [o0, o1) of `a`: its input rows [r0, r1) and local pads, exactly as
// docs/kernels.md tells the compiler to compute them. Returns false when no input row is read.
struct Strip {
  int32_t r0, r1, pb, pe;
};
bool StripOf(const Axis& a, int32_t o0, int32_t o1, Strip* st) {
  const int32_t ext = (a.k - 1) * a.d + 1;
  st->r0 = std::max(0, o0 * a.s - a.pb);
  st->r1 = std::min(a.in, (o1 - 1) * a.s - a.pb + ext);
  st->pb = st->r0 - (o0 * a.s - a.pb);
  st->pe = o1 == a.out ? a.pe : (o1 - 1) * a.s - a.pb + ext - st->r1;
  return st->r1 > st->r0;
}

// A whole Conv / MaxPool / AveragePool call on random data: the full input (strided), the full
// output, and the params.
struct SpatialCall {
  int op = 0;
  int32_t rank = 4;
  Axis h, w;
  std::vector<uint32_t> params;
  Embedded x, wt, bias, y;
  bool has_bias = false;
  int32_t pad_word_h = 0, pad_word_w = 0;  // word index of pad_top / pad_left in params

  std::vector<tgrs_tensor_t> Inputs(const tgrs_tensor_t& xv) const {
    std::vector<tgrs_tensor_t> in = {xv};
    if (op == TGRS_OP_Conv) {
      in.push_back(wt.view);
      if (has_bias) in.push_back(bias.view);
    }
    return in;
  }
};

SpatialCall MakeSpatial(std::mt19937& rng, int op, int32_t rank, const Axis& h, const Axis& w, int32_t cip) {
  SpatialCall c;
  c.op = op;
  c.rank = rank;
  c.h = h;
  c.w = w;
  const int32_t n = Rand(rng, 1, 2);
  Dims xd, yd;
  if (op == TGRS_OP_Conv) {
    const int32_t kind = Rand(rng, 0, 2);  // plain, grouped, depthwise
    const int32_t cin = kind == 0 ? Rand(rng, 1, 3) : (kind == 1 ? 4 : 3);
    const int32_t group = kind == 0 ? 1 : (kind == 1 ? 2 : 3);
    const int32_t m = kind == 2 ? 3 : 2 * group;
    const tgrs_conv_params_t p =
        ConvParams(h.k, w.k, h.s, w.s, h.d, w.d, h.pb, w.pb, h.pe, w.pe, group, Act(TGRS_ACT_SILU));
    c.params = ParamWords(p);
    c.pad_word_h = offsetof(tgrs_conv_params_t, pad_top) / 4;
    c.pad_word_w = offsetof(tgrs_conv_params_t, pad_left) / 4;
    xd = rank == 4 ? Dims{n, cin, h.in, w.in} : Dims{n, cin, w.in};
    yd = rank == 4 ? Dims{n, m, h.out, w.out} : Dims{n, m, w.out};
    const Dims wd = rank == 4 ? Dims{m, cin / group, h.k, w.k} : Dims{m, cin / group, w.k};
    Embedded dense_w = Embedded::Dense(wd, TGRS_DTYPE_F32);
    c.wt = Embedded::Random(rng, wd, TGRS_DTYPE_F32, true);
    FillInput(rng, c.wt, dense_w);
    c.has_bias = rng() % 2;
    Embedded dense_b = Embedded::Dense({m}, TGRS_DTYPE_F32);
    c.bias = Embedded::Random(rng, {m}, TGRS_DTYPE_F32, false);
    FillInput(rng, c.bias, dense_b);
  } else {
    const int32_t ch = Rand(rng, 1, 3);
    c.params = ParamWords(PoolParams(h.k, w.k, h.s, w.s, h.pb, w.pb, h.pe, w.pe, cip, h.d, w.d));
    c.pad_word_h = offsetof(tgrs_pool_params_t, pad_top) / 4;
    c.pad_word_w = offsetof(tgrs_pool_params_t, pad_left) / 4;
    xd = rank == 4 ? Dims{n, ch, h.in, w.in} : Dims{n, ch, w.in};
    yd = rank == 4 ? Dims{n, ch, h.out, w.out} : Dims{n, ch, w.out};
  }
  Embedded dense_x = Embedded::Dense(xd, TGRS_DTYPE_F32);
  c.x = Embedded::Random(rng, xd, TGRS_DTYPE_F32, false);
  FillInput(rng, c.x, dense_x);
  c.y = Embedded::Dense(yd, TGRS_DTYPE_F32);
  const std::vector<tgrs_tensor_t> in = c.Inputs(c.x.view), out = {c.y.view};
  EXPECT_EQ(CheckRaw(op, in, out, c.params), TGRS_OK);
  RunRaw(op, in, out, c.params);
  return c;
}

// Runs the strip [o0, o1) x [q0, q1) of output rows x columns; expects check() to accept and the
// result to equal the whole call's window, with every other output byte untouched.
void RunTile(std::mt19937& rng, const SpatialCall& c, int32_t o0, int32_t o1, int32_t q0, int32_t q1, int* runs,
             int* skipped) {
  Strip sh{0, 1, 0, 0}, sw{0, 1, 0, 0};
  const int32_t ah = c.rank - 2, aw = c.rank - 1;  // tensor dims of H and W
  if (c.rank == 4 && !StripOf(c.h, o0, o1, &sh)) {
    ++*skipped;
    return;
  }
  if (!StripOf(c.w, q0, q1, &sw)) {
    ++*skipped;
    return;
  }
  std::vector<uint32_t> params = c.params;
  if (c.rank == 4) {
    params[c.pad_word_h] = static_cast<uint32_t>(sh.pb);
    params[c.pad_word_h + 2] = static_cast<uint32_t>(sh.pe);
  }
  params[c.pad_word_w] = static_cast<uint32_t>(sw.pb);
  params[c.pad_word_w + 2] = static_cast<uint32_t>(sw.pe);
  tgrs_tensor_t xv = SubView(c.x.view, aw, sw.r0, sw.r1 - sw.r0);
  if (c.rank == 4) xv = SubView(xv, ah, sh.r0, sh.r1 - sh.r0);
  // the output window lives in a full-size buffer of canary bytes
  Embedded out = Embedded::Dense(std::vector<int32_t>(c.y.view.dims, c.y.view.dims + c.rank), TGRS_DTYPE_F32);
  for (auto& b : out.bytes) b = static_cast<uint8_t>(rng());
  std::vector<uint8_t> want = out.bytes;
  tgrs_tensor_t yv = SubView(out.view, aw, q0, q1 - q0);
  if (c.rank == 4) yv = SubView(yv, ah, o0, o1 - o0);
  const std::vector<int64_t> offs = ElementOffsets(yv);
  const int64_t base = static_cast<uint8_t*>(yv.data) - out.bytes.data();
  for (int64_t off : offs) std::memcpy(&want[static_cast<size_t>(base + off)], c.y.bytes.data() + base + off, 4);
  const std::vector<tgrs_tensor_t> in = c.Inputs(xv), outs = {yv};
  auto where = [&] {
    std::string m = "rows [" + std::to_string(o0) + "," + std::to_string(o1) + ") cols [" + std::to_string(q0) +
                    "," + std::to_string(q1) + ") rank " + std::to_string(c.rank);
    for (const Axis* a : {&c.h, &c.w})
      m += " | k" + std::to_string(a->k) + " s" + std::to_string(a->s) + " d" + std::to_string(a->d) + " pads " +
           std::to_string(a->pb) + "/" + std::to_string(a->pe) + " in " + std::to_string(a->in) + " out " +
           std::to_string(a->out);
    return m;
  };
  ASSERT_EQ(CheckRaw(c.op, in, outs, params), TGRS_OK) << where();
  RunRaw(c.op, in, outs, params);
  ASSERT_EQ(out.bytes, want) << where();
  ++*runs;
}

void StripsOfOp(int op, int32_t cip, uint32_t seed) {
  std::mt19937 rng(seed);
  const bool pool = op != TGRS_OP_Conv;
  const std::vector<Axis> axes = AllAxes(pool);
  int runs = 0, skipped = 0, configs = 0;
  for (const Axis& a : axes) {
    // along H (rank 4, W random) and along W (rank 3 or 4, H random)
    for (int along_w = 0; along_w < 2; ++along_w) {
      const int32_t rank = along_w ? Rand(rng, 3, 4) : 4;
      const Axis other = axes[rng() % axes.size()];
      const Axis h = rank == 3 ? Axis{} : (along_w ? other : a), w = along_w ? a : other;
      const SpatialCall c = MakeSpatial(rng, op, rank, h, w, cip);
      ++configs;
      for (int32_t o0 = 0; o0 < a.out; ++o0)
        for (int32_t o1 = o0 + 1; o1 <= a.out; ++o1) {
          if (along_w) {
            RunTile(rng, c, 0, h.out, o0, o1, &runs, &skipped);
          } else {
            RunTile(rng, c, o0, o1, 0, w.out, &runs, &skipped);
          }
          if (testing::Test::HasFatalFailure()) {
            ADD_FAILURE() << "op " << op << " axis k" << a.k << " s" << a.s << " d" << a.d << " pads " << a.pb
                          << "/" << a.pe << " in " << a.in << " out " << a.out << (along_w ? " along W" : " along H");
            return;
          }
        }
      // and a few 2-D tiles
      for (int t = 0; t < 2 && rank == 4; ++t) {
        const int32_t o0 = Rand(rng, 0, h.out - 1), o1 = Rand(rng, o0 + 1, h.out);
        const int32_t q0 = Rand(rng, 0, w.out - 1), q1 = Rand(rng, q0 + 1, w.out);
        RunTile(rng, c, o0, o1, q0, q1, &runs, &skipped);
        if (testing::Test::HasFatalFailure()) return;
      }
    }
  }
  testing::Test::RecordProperty("strip_calls", runs);
  testing::Test::RecordProperty("configs", configs);
  testing::Test::RecordProperty("skipped", skipped);
  EXPECT_GT(configs, 1000);
  EXPECT_GT(runs, 10000);
  // a strip whose windows all lie in the padding reads no input row: not expressible
  EXPECT_LT(skipped, runs / 5);
}

}  // namespace

TEST(Tiling, ConvStripsAlongHAndWAreBitExact) { StripsOfOp(TGRS_OP_Conv, 0, 1); }
TEST(Tiling, MaxPoolStripsAlongHAndWAreBitExact) { StripsOfOp(TGRS_OP_MaxPool, 0, 2); }
TEST(Tiling, AveragePoolStripsAreBitExact) { StripsOfOp(TGRS_OP_AveragePool, 0, 3); }
TEST(Tiling, AveragePoolCountIncludePadStripsAreBitExact) { StripsOfOp(TGRS_OP_AveragePool, 1, 4); }

// ---- Resize windows ------------------------------------------------------------------------

namespace {

struct ResizeMode {
  int32_t mode, nearest, exclude;
  float a;
};

const ResizeMode kResizeModes[] = {
    {TGRS_RESIZE_NEAREST, TGRS_NEAREST_ROUND_PREFER_FLOOR, 0, -0.75f},
    {TGRS_RESIZE_NEAREST, TGRS_NEAREST_ROUND_PREFER_CEIL, 0, -0.75f},
    {TGRS_RESIZE_NEAREST, TGRS_NEAREST_FLOOR, 0, -0.75f},
    {TGRS_RESIZE_NEAREST, TGRS_NEAREST_CEIL, 0, -0.75f},
    {TGRS_RESIZE_LINEAR, 0, 0, -0.75f},
    {TGRS_RESIZE_CUBIC, 0, 0, -0.75f},
    {TGRS_RESIZE_CUBIC, 0, 1, -0.5f},
};

// One full Resize of x [2, H, W] (axis 0 kept) and its result.
struct ResizeCall {
  tgrs_resize_params_t p{};
  Dims xd, yd;
  std::vector<float> x, y;
};

ResizeCall MakeResize(std::mt19937& rng, const ResizeMode& m, int32_t coord, int32_t in_h, float scale_h,
                      int32_t out_h, int32_t in_w, float scale_w, int32_t out_w) {
  ResizeCall r;
  r.p.mode = m.mode;
  r.p.coord_mode = coord;
  r.p.nearest_mode = m.nearest;
  r.p.exclude_outside = m.exclude;
  r.p.cubic_coeff_a = m.a;
  r.p.scale[0] = 1.0f;
  r.p.scale[1] = scale_h;
  r.p.scale[2] = scale_w;
  r.xd = {2, in_h, in_w};
  r.yd = {2, out_h, out_w};
  SetWholeWindow(r.p, r.xd, r.yd);
  r.x.resize(static_cast<size_t>(Count(r.xd)));
  for (auto& v : r.x) v = static_cast<float>(Rand(rng, -256, 256)) / 64.0f;
  r.y.resize(static_cast<size_t>(Count(r.yd)));
  RunOp(TGRS_OP_Resize, {View(r.x.data(), r.xd)}, {View(r.y.data(), r.yd)}, r.p);
  return r;
}

// Window [o0, o1) of the output and [i0, i1) of the input along `axis` (1 or 2): the input view
// points into a copy of x whose values outside the input window are NaN, so a read outside the
// window shows up in the result. Returns {check accepted, result exact and canary intact}.
std::pair<bool, bool> RunResizeWindow(std::mt19937& rng, const ResizeCall& r, int32_t axis, int32_t o0, int32_t o1,
                                      int32_t i0, int32_t i1) {
  std::vector<float> xp = r.x;
  const tgrs_tensor_t xfull = View(xp.data(), r.xd);
  for (size_t e = 0; e < xp.size(); ++e) {
    const int32_t pos = axis == 1 ? static_cast<int32_t>(e / r.xd[2]) % r.xd[1] : static_cast<int32_t>(e % r.xd[2]);
    if (pos < i0 || pos >= i1) xp[e] = NAN;
  }
  std::vector<uint8_t> out(r.y.size() * 4);
  for (auto& b : out) b = static_cast<uint8_t>(rng());
  std::vector<uint8_t> want = out;
  const tgrs_tensor_t yfull = View(reinterpret_cast<float*>(out.data()), r.yd);
  const tgrs_tensor_t yv = SubView(yfull, axis, o0, o1 - o0);
  for (int64_t off : ElementOffsets(yv)) {
    const int64_t at = static_cast<uint8_t*>(yv.data) - out.data() + off;
    std::memcpy(&want[static_cast<size_t>(at)], reinterpret_cast<const uint8_t*>(r.y.data()) + at, 4);
  }
  tgrs_resize_params_t p = r.p;
  p.in_origin[axis] = i0;
  p.out_origin[axis] = o0;
  const std::vector<tgrs_tensor_t> in = {SubView(xfull, axis, i0, i1 - i0)}, outs = {yv};
  const bool accepted = Check(TGRS_OP_Resize, in, outs, p) == TGRS_OK;
  // Safe even when rejected: every read is clamped to the full input, which xp holds.
  tgrs_resize_f32(&in[0], &outs[0], &p);
  return {accepted, out == want};
}

}  // namespace

TEST(Tiling, ResizeWindowsMatchTheWholeCallAndCheckAcceptsExactlyTheSufficientInputWindows) {
  // scale along the windowed axis, with an input length: integer and fractional, up and down
  struct Scale {
    int32_t in;
    float scale;
  };
  const Scale scales[] = {{3, 2.0f}, {2, 3.0f}, {4, 1.5f}, {3, 1.7f}, {6, 0.5f}, {5, 0.75f}, {6, 0.6f}, {4, 1.0f},
                          {1, 4.0f}, {5, 1.25f}};
  std::mt19937 rng(99);
  int windows = 0, accepted = 0;
  for (const ResizeMode& m : kResizeModes) {
    for (int32_t coord = TGRS_COORD_HALF_PIXEL; coord <= TGRS_COORD_HALF_PIXEL_SYMMETRIC; ++coord) {
      for (const Scale& s : scales) {
        const int32_t out = std::max(1, static_cast<int32_t>(std::floor(s.in * static_cast<double>(s.scale))));
        for (int32_t axis = 1; axis <= 2; ++axis) {
          // the other axis is resized too (2 -> 3), so interpolation runs over both
          const ResizeCall r = axis == 1 ? MakeResize(rng, m, coord, s.in, s.scale, out, 2, 1.5f, 3)
                                         : MakeResize(rng, m, coord, 2, 1.5f, 3, s.in, s.scale, out);
          for (int32_t o0 = 0; o0 < out; ++o0)
            for (int32_t o1 = o0 + 1; o1 <= out; ++o1) {
              bool any = false;
              for (int32_t i0 = 0; i0 < s.in; ++i0)
                for (int32_t i1 = i0 + 1; i1 <= s.in; ++i1) {
                  const auto [ok, exact] = RunResizeWindow(rng, r, axis, o0, o1, i0, i1);
                  ASSERT_EQ(ok, exact) << "mode " << m.mode << "/" << m.nearest << "/" << m.exclude << " coord "
                                       << coord << " in " << s.in << " scale " << s.scale << " axis " << axis
                                       << " out [" << o0 << "," << o1 << ") in [" << i0 << "," << i1 << ")";
                  any = any || ok;
                  ++windows;
                  accepted += ok;
                }
              ASSERT_TRUE(any);  // at least the whole input
            }
        }
      }
    }
  }
  testing::Test::RecordProperty("windows", windows);
  testing::Test::RecordProperty("accepted", accepted);
  EXPECT_GT(windows, 20000);
  EXPECT_GT(accepted, windows / 10);
  EXPECT_LT(accepted, windows);
}

TEST(Tiling, ResizeTwoDimensionalWindowsAndStridedViews) {
  std::mt19937 rng(7);
  int runs = 0;
  for (const ResizeMode& m : kResizeModes) {
    for (int32_t coord = TGRS_COORD_HALF_PIXEL; coord <= TGRS_COORD_HALF_PIXEL_SYMMETRIC; ++coord) {
      const ResizeCall r = MakeResize(rng, m, coord, 4, 1.75f, 7, 5, 0.6f, 3);
      for (int t = 0; t < 20; ++t) {
        // a random output tile; its input window is the whole input grown from the tile's
        // reads: take the smallest [i0, i1) per axis that check() accepts, scanning all
        tgrs_resize_params_t p = r.p;
        int32_t o0[3] = {0, Rand(rng, 0, 6), Rand(rng, 0, 2)}, o1[3] = {2, 0, 0};
        o1[1] = Rand(rng, o0[1] + 1, 7);
        o1[2] = Rand(rng, o0[2] + 1, 3);
        int32_t i0[3] = {0, 0, 0}, i1[3] = {2, 4, 5};
        for (int axis = 1; axis <= 2; ++axis) {
          int32_t best = 1 << 20;
          for (int32_t a = 0; a < r.xd[axis]; ++a)
            for (int32_t b = a + 1; b <= r.xd[axis]; ++b) {
              tgrs_resize_params_t q = r.p;
              q.in_origin[axis] = a;
              q.out_origin[axis] = o0[axis];
              Dims xd = r.xd, yd = r.yd;
              xd[axis] = b - a;
              yd[axis] = o1[axis] - o0[axis];
              if (b - a < best && Check(TGRS_OP_Resize, {Shape(xd)}, {Shape(yd)}, q) == TGRS_OK) {
                best = b - a;
                i0[axis] = a;
                i1[axis] = b;
              }
            }
          p.in_origin[axis] = i0[axis];
          p.out_origin[axis] = o0[axis];
        }
        // input window: a strided view into a random layout of the whole input
        Embedded xs = Embedded::Random(rng, r.xd, TGRS_DTYPE_F32, false);
        for (auto& b : xs.bytes) b = 0xFF;
        const std::vector<int64_t> xo = ElementOffsets(xs.view);
        for (size_t e = 0; e < xo.size(); ++e) std::memcpy(xs.At(xo[e]), &r.x[e], 4);
        tgrs_tensor_t xv = SubView(SubView(xs.view, 1, i0[1], i1[1] - i0[1]), 2, i0[2], i1[2] - i0[2]);
        Embedded ys = Embedded::Random(rng, r.yd, TGRS_DTYPE_F32, false);
        for (auto& b : ys.bytes) b = static_cast<uint8_t>(rng());
        std::vector<uint8_t> want = ys.bytes;
        const tgrs_tensor_t yv = SubView(SubView(ys.view, 1, o0[1], o1[1] - o0[1]), 2, o0[2], o1[2] - o0[2]);
        const std::vector<int64_t> yo = ElementOffsets(ys.view);
        for (size_t e = 0; e < yo.size(); ++e) {
          const int32_t h = static_cast<int32_t>(e / 3) % 7, w = static_cast<int32_t>(e % 3);
          if (h >= o0[1] && h < o1[1] && w >= o0[2] && w < o1[2])
            std::memcpy(&want[ys.base + static_cast<size_t>(yo[e])], &r.y[e], 4);
        }
        RunOp(TGRS_OP_Resize, {xv}, {yv}, p);
        ASSERT_EQ(ys.bytes, want) << "mode " << m.mode << " coord " << coord << " tile " << t;
        ++runs;
      }
    }
  }
  EXPECT_EQ(runs, 7 * 6 * 20);
}

TEST(Tiling, ResizeCheckRejectsBadWindows) {
  tgrs_resize_params_t p{};
  p.mode = TGRS_RESIZE_NEAREST;
  p.scale[0] = 2.0f;
  SetWholeWindow(p, {4}, {8});
  EXPECT_EQ(Check(TGRS_OP_Resize, {Shape({4})}, {Shape({8})}, p), TGRS_OK);
  auto bad = [&](auto mutate, Dims x, Dims y) {
    tgrs_resize_params_t q = p;
    mutate(q);
    return Check(TGRS_OP_Resize, {Shape(x)}, {Shape(y)}, q);
  };
  // outputs [4, 8) read inputs [2, 4) (half_pixel, round_prefer_floor)
  EXPECT_EQ(bad([](tgrs_resize_params_t& q) { q.in_origin[0] = 2; q.out_origin[0] = 4; }, {2}, {4}), TGRS_OK);
  EXPECT_EQ(bad([](tgrs_resize_params_t& q) { q.in_origin[0] = 3; q.out_origin[0] = 4; }, {1}, {4}),
            TGRS_ERR_CORRUPT);  // input window misses row 2
  EXPECT_EQ(bad([](tgrs_resize_params_t& q) { q.in_origin[0] = -1; }, {4}, {8}), TGRS_ERR_CORRUPT);
  EXPECT_EQ(bad([](tgrs_resize_params_t& q) { q.out_origin[0] = -1; }, {4}, {8}), TGRS_ERR_CORRUPT);
  EXPECT_EQ(bad([](tgrs_resize_params_t& q) { q.out_origin[0] = 1; }, {4}, {8}), TGRS_ERR_CORRUPT);  // 1 + 8 > 8
  EXPECT_EQ(bad([](tgrs_resize_params_t& q) { q.in_origin[0] = 1; }, {4}, {8}), TGRS_ERR_CORRUPT);   // 1 + 4 > 4
  EXPECT_EQ(bad([](tgrs_resize_params_t& q) { q.in_origin[0] = INT32_MAX; }, {4}, {8}), TGRS_ERR_CORRUPT);
  EXPECT_EQ(bad([](tgrs_resize_params_t& q) { q.out_origin[0] = INT32_MAX; }, {4}, {8}), TGRS_ERR_CORRUPT);
  EXPECT_EQ(bad([](tgrs_resize_params_t& q) { q.in_full[0] = 0; }, {4}, {8}), TGRS_ERR_CORRUPT);
  EXPECT_EQ(bad([](tgrs_resize_params_t& q) { q.out_full[0] = 0; }, {4}, {8}), TGRS_ERR_CORRUPT);
  EXPECT_EQ(bad([](tgrs_resize_params_t& q) { q.in_full[0] = -4; }, {4}, {8}), TGRS_ERR_CORRUPT);
  EXPECT_EQ(bad([](tgrs_resize_params_t& q) { q.in_full[0] = INT32_MAX; q.out_full[0] = INT32_MAX; q.scale[0] = 1; },
                {4}, {8}),
            TGRS_ERR_CORRUPT);
  // the whole Resize must be consistent: out_full vs in_full * scale
  EXPECT_EQ(bad([](tgrs_resize_params_t& q) { q.out_full[0] = 9; }, {4}, {8}), TGRS_ERR_CORRUPT);
  EXPECT_EQ(bad([](tgrs_resize_params_t& q) { q.in_full[0] = 5; q.out_full[0] = 10; }, {4}, {8}), TGRS_OK);
  // a window of a bigger whole Resize: outputs 82..89 read 41..44
  EXPECT_EQ(bad([](tgrs_resize_params_t& q) { q.in_full[0] = 100; q.out_full[0] = 200; q.in_origin[0] = 41;
                  q.out_origin[0] = 82; }, {4}, {8}), TGRS_OK);
}

// ---- Accumulating reductions over strips -----------------------------------------------------

namespace {

// Every way to cut [0, n) into consecutive non-empty strips (n <= 6: at most 32).
std::vector<std::vector<int32_t>> AllCuts(int32_t n) {
  std::vector<std::vector<int32_t>> all;
  for (uint32_t mask = 0; mask < (1u << (n - 1)); ++mask) {
    std::vector<int32_t> cuts = {0};
    for (int32_t i = 1; i < n; ++i)
      if ((mask >> (i - 1)) & 1) cuts.push_back(i);
    cuts.push_back(n);
    all.push_back(cuts);
  }
  return all;
}

int32_t StripFlags(size_t i, size_t n_strips) {
  return (i == 0 ? TGRS_ACC_BEGIN : 0) | (i + 1 == n_strips ? TGRS_ACC_END : 0);
}

}  // namespace

TEST(Tiling, GlobalPoolStripSequencesEqualTheWholeCall) {
  std::mt19937 rng(5);
  int sequences = 0;
  for (int op : {TGRS_OP_GlobalAveragePool, TGRS_OP_GlobalMaxPool}) {
    for (int iter = 0; iter < 60; ++iter) {
      const int32_t rank = Rand(rng, 3, 5);
      Dims xd = {Rand(rng, 1, 2), Rand(rng, 1, 3)}, yd = xd;
      int32_t count = 1;
      for (int32_t d = 2; d < rank; ++d) {
        xd.push_back(Rand(rng, 1, 6));
        yd.push_back(1);
        count *= xd.back();
      }
      Embedded dx = Embedded::Dense(xd, TGRS_DTYPE_F32), x = Embedded::Random(rng, xd, TGRS_DTYPE_F32, false);
      FillInput(rng, x, dx);
      std::vector<float> whole(static_cast<size_t>(Count(yd)));
      RunOp(op, {dx.view}, {View(whole.data(), yd)}, GlobalPoolParams(count));
      for (const std::vector<int32_t>& cuts : AllCuts(xd[2])) {
        Embedded y = Embedded::Random(rng, yd, TGRS_DTYPE_F32, false);
        for (auto& b : y.bytes) b = static_cast<uint8_t>(rng());
        std::vector<uint8_t> want = y.bytes;
        const std::vector<int64_t> offs = ElementOffsets(y.view);
        for (size_t e = 0; e < offs.size(); ++e) std::memcpy(&want[y.base + static_cast<size_t>(offs[e])], &whole[e], 4);
        const size_t n = cuts.size() - 1;
        for (size_t i = 0; i < n; ++i) {
          tgrs_global_pool_params_t p{};
          p.flags = StripFlags(i, n);
          p.count = count;
          RunOp(op, {SubView(x.view, 2, cuts[i], cuts[i + 1] - cuts[i])}, {y.view}, p);
        }
        ASSERT_EQ(y.bytes, want) << "op " << op << " rank " << rank << " strips " << n;
        ++sequences;
      }
    }
  }
  testing::Test::RecordProperty("sequences", sequences);
  EXPECT_GT(sequences, 500);
}

TEST(Tiling, ReduceMeanStripSequencesAlongTheOutermostReducedDim) {
  std::mt19937 rng(6);
  int sequences = 0;
  for (int iter = 0; iter < 200; ++iter) {
    const int32_t rank = Rand(rng, 1, 4);
    const Dims xd = [&] {
      Dims d;
      for (int32_t i = 0; i < rank; ++i) d.push_back(Rand(rng, 1, 5));
      return d;
    }();
    const int32_t mask = Rand(rng, 1, (1 << rank) - 1), keep = Rand(rng, 0, 1);
    int32_t outer = 0;
    while (!((mask >> outer) & 1)) ++outer;
    Dims yd;
    for (int32_t d = 0; d < rank; ++d) {
      if (!((mask >> d) & 1)) yd.push_back(xd[d]);
      else if (keep) yd.push_back(1);
    }
    const tgrs_reduce_params_t whole_p = ReduceParams(mask, keep, xd);
    Embedded dx = Embedded::Dense(xd, TGRS_DTYPE_F32), x = Embedded::Random(rng, xd, TGRS_DTYPE_F32, false);
    FillInput(rng, x, dx);
    std::vector<float> whole(static_cast<size_t>(Count(yd)));
    RunOp(TGRS_OP_ReduceMean, {dx.view}, {View(whole.data(), yd)}, whole_p);
    for (const std::vector<int32_t>& cuts : AllCuts(xd[outer])) {
      Embedded y = Embedded::Random(rng, yd, TGRS_DTYPE_F32, false);
      for (auto& b : y.bytes) b = static_cast<uint8_t>(rng());
      std::vector<uint8_t> want = y.bytes;
      const std::vector<int64_t> offs = ElementOffsets(y.view);
      for (size_t e = 0; e < offs.size(); ++e) std::memcpy(&want[y.base + static_cast<size_t>(offs[e])], &whole[e], 4);
      const size_t n = cuts.size() - 1;
      for (size_t i = 0; i < n; ++i) {
        tgrs_reduce_params_t p = whole_p;
        p.flags = StripFlags(i, n);
        RunOp(TGRS_OP_ReduceMean, {SubView(x.view, outer, cuts[i], cuts[i + 1] - cuts[i])}, {y.view}, p);
      }
      ASSERT_EQ(y.bytes, want) << "mask " << mask << " keep " << keep << " strips " << n;
      ++sequences;
    }
  }
  testing::Test::RecordProperty("sequences", sequences);
  EXPECT_GT(sequences, 500);
}

TEST(Tiling, AccumulationFlagsAndCountsAreChecked) {
  const Dims xd = {1, 2, 3, 4};
  auto gp = [&](int32_t flags, int32_t count, Dims x = {1, 2, 3, 4}) {
    tgrs_global_pool_params_t p{};
    p.flags = flags;
    p.count = count;
    return Check(TGRS_OP_GlobalAveragePool, {Shape(x)}, {Shape({1, 2, 1, 1})}, p);
  };
  EXPECT_EQ(gp(3, 12), TGRS_OK);
  EXPECT_EQ(gp(3, 13), TGRS_ERR_CORRUPT);  // one call does the whole reduction: count must match
  EXPECT_EQ(gp(3, 11), TGRS_ERR_CORRUPT);
  EXPECT_EQ(gp(1, 20), TGRS_OK);           // the first strip of a bigger reduction
  EXPECT_EQ(gp(0, 20), TGRS_OK);
  EXPECT_EQ(gp(2, 20), TGRS_OK);
  EXPECT_EQ(gp(2, 11), TGRS_ERR_CORRUPT);  // fewer than this strip alone
  EXPECT_EQ(gp(0, 0), TGRS_ERR_CORRUPT);
  EXPECT_EQ(gp(1, -5), TGRS_ERR_CORRUPT);
  for (int32_t flags : {4, 5, 8, -1, INT32_MIN, 0x7FFFFFFF}) EXPECT_EQ(gp(flags, 12), TGRS_ERR_CORRUPT) << flags;
  // a record of the old size (no params) is rejected
  tgrs_empty_params_t e{};
  EXPECT_EQ(Check(TGRS_OP_GlobalMaxPool, {Shape(xd)}, {Shape({1, 2, 1, 1})}, e), TGRS_ERR_CORRUPT);
  tgrs_reduce_params_t r = ReduceParams(0x6, 1, xd);  // 2 * 3 = 6 elements per output
  EXPECT_EQ(Check(TGRS_OP_ReduceMean, {Shape(xd)}, {Shape({1, 1, 1, 4})}, r), TGRS_OK);
  r.count = 7;
  EXPECT_EQ(Check(TGRS_OP_ReduceMean, {Shape(xd)}, {Shape({1, 1, 1, 4})}, r), TGRS_ERR_CORRUPT);
  r.flags = TGRS_ACC_END;
  EXPECT_EQ(Check(TGRS_OP_ReduceMean, {Shape(xd)}, {Shape({1, 1, 1, 4})}, r), TGRS_OK);
  r.count = 5;
  EXPECT_EQ(Check(TGRS_OP_ReduceMean, {Shape(xd)}, {Shape({1, 1, 1, 4})}, r), TGRS_ERR_CORRUPT);
  r.count = 6;
  r.flags = 9;
  EXPECT_EQ(Check(TGRS_OP_ReduceMean, {Shape(xd)}, {Shape({1, 1, 1, 4})}, r), TGRS_ERR_CORRUPT);
}

TEST(Tiling, ParamsRecordLayouts) {
  // The emitter writes these records into plans; docs/plan_format.md gives the sizes.
  static_assert(sizeof(tgrs_global_pool_params_t) == 8, "flags, count");
  static_assert(sizeof(tgrs_reduce_params_t) == 16, "axes_mask, keepdims, flags, count");
  static_assert(sizeof(tgrs_resize_params_t) == 180, "5 words, scale[8], 4 windows of 8");
  static_assert(sizeof(tgrs_tensor_t) == 8 + 4 * (2 + 2 * TGRS_MAX_RANK) || sizeof(void*) != 8, "dims, strides");
  EXPECT_EQ(offsetof(tgrs_reduce_params_t, flags), 8u);
  EXPECT_EQ(offsetof(tgrs_resize_params_t, in_origin), 52u);
  EXPECT_EQ(offsetof(tgrs_resize_params_t, out_full), 148u);
  EXPECT_EQ(offsetof(tgrs_tensor_t, strides), offsetof(tgrs_tensor_t, dims) + 4 * TGRS_MAX_RANK);
}
