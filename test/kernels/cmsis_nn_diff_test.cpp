// The CMSIS-NN backend against the reference int8 kernels (themselves checked against TFLite's
// golden data and a numpy model): random shapes, pads, strides, dilations, zero points,
// multipliers, channels-last views at misaligned addresses, row strips (first, middle, last) and
// calls the backend must refuse. Every call must be byte-identical to the reference (the whole
// output buffer, bytes around the views included), and a call tgrs_cmsis_rejects() accepts must
// really have run the vendor kernel (tgrs_cmsis_counters), so the test cannot pass by falling back.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "tigris/kernels/backend_cmsis_nn.h"
#include "tigris/kernels/tgrs_qparams.h"
#include "tigris/passes/quant_math.h"

namespace {

using Dims = std::vector<int32_t>;

int32_t R(std::mt19937& rng, int32_t lo, int32_t hi) { return std::uniform_int_distribution<int32_t>(lo, hi)(rng); }

// A tensor in its own buffer: `order` lists the dims innermost first (NHWC of [N,C,H,W] is
// {1, 3, 2, 0}); the view starts `skew` bytes into the buffer, canary bytes around it.
struct Tensor {
  std::vector<uint8_t> mem;
  tgrs_tensor_t v{};
  size_t skew = 0;
};

Tensor Make(std::mt19937& rng, const Dims& dims, int32_t dtype, const std::vector<int32_t>& order, int32_t lo,
            int32_t hi) {
  Tensor t;
  t.v.dtype = dtype;
  t.v.rank = static_cast<int32_t>(dims.size());
  int64_t s = 1;
  for (int32_t d : order) {
    t.v.dims[d] = dims[static_cast<size_t>(d)];
    t.v.strides[d] = static_cast<int32_t>(s);
    s *= dims[static_cast<size_t>(d)];
  }
  const size_t esz = dtype == TGRS_DTYPE_I32 ? 4 : 1;
  t.skew = esz == 4 ? 0 : static_cast<size_t>(R(rng, 0, 3));  // int8 views at any byte
  t.mem.assign(t.skew + static_cast<size_t>(s) * esz + 8, 0xA5);
  for (int64_t i = 0; i < s; ++i) {
    const int32_t x = R(rng, lo, hi);
    if (esz == 4)
      std::memcpy(&t.mem[t.skew + static_cast<size_t>(i) * 4], &x, 4);
    else
      t.mem[t.skew + static_cast<size_t>(i)] = static_cast<uint8_t>(static_cast<int8_t>(x));
  }
  t.v.data = t.mem.data() + t.skew;
  return t;
}

std::vector<int32_t> Dense(size_t rank) {
  std::vector<int32_t> o;
  for (size_t d = rank; d-- > 0;) o.push_back(static_cast<int32_t>(d));
  return o;
}
std::vector<int32_t> Nhwc(size_t rank) { return rank == 4 ? std::vector<int32_t>{1, 3, 2, 0} : std::vector<int32_t>{1, 2, 0}; }

// Multipliers in [2^30, 2^31) and right shifts, per channel in the planar [C, 2] layout.
Tensor Requant(std::mt19937& rng, int32_t c, int32_t shift_lo, int32_t shift_hi) {
  Tensor t = Make(rng, {c, 2}, TGRS_DTYPE_I32, {0, 1}, 0, 0);
  auto* w = reinterpret_cast<int32_t*>(t.v.data);
  for (int32_t i = 0; i < c; ++i) {
    w[i] = R(rng, 1 << 30, INT32_MAX);
    w[c + i] = R(rng, shift_lo, shift_hi);
  }
  return t;
}

using RunFn = void (*)(const tgrs_kernel_call_t*);
using CheckFn = tgrs_status_t (*)(const tgrs_kernel_call_t*);

struct Stats {
  int vendor = 0, total = 0;
};

// Runs the call through the backend and the reference into copies of the same output buffer;
// the bytes must agree and an accepted call must count as a vendor call.
void Compare(uint32_t kind, RunFn cmsis, RunFn ref, CheckFn check, std::vector<Tensor>& in, Tensor& out,
             const void* params, uint32_t params_size, const std::string& what, Stats& st) {
  std::vector<tgrs_tensor_t> ins;
  for (Tensor& t : in) ins.push_back(t.v);
  Tensor out_ref = out;
  out_ref.v.data = out_ref.mem.data() + out_ref.skew;
  tgrs_kernel_call_t call{};
  call.inputs = ins.data();
  call.n_inputs = static_cast<int32_t>(ins.size());
  call.outputs = &out_ref.v;
  call.n_outputs = 1;
  call.params = params;
  call.params_size = params_size;
  ASSERT_EQ(check(&call), TGRS_OK) << what;
  ref(&call);
  const uint32_t need = tgrs_cmsis_scratch(kind, &call, tgrs_cmsis_isa());
  std::vector<uint32_t> scratch((need + 3) / 4 + 1, 0xDEADBEEF);
  call.outputs = &out.v;
  call.scratch = need > 0 ? scratch.data() : nullptr;
  call.scratch_size = need;
  const char* why = tgrs_cmsis_rejects(kind, &call, tgrs_cmsis_isa(), 1);
  const uint32_t before = tgrs_cmsis_counters.vendor;
  cmsis(&call);
  const bool vendor = tgrs_cmsis_counters.vendor == before + 1;
  EXPECT_EQ(vendor, why == nullptr) << what << ": rejects() says " << (why ? why : "accepted");
  EXPECT_EQ(out.mem, out_ref.mem) << what << (vendor ? " (vendor)" : " (fallback)");
  st.total += 1;
  st.vendor += vendor;
}

// ---- Conv ------------------------------------------------------------------------------------

struct ConvCase {
  tgrs_conv_s8_params_t p{};
  int32_t rank = 4, n = 1, cin = 1, m = 1, ih = 1, iw = 1, oh = 1, ow = 1;
};

ConvCase RandomConv(std::mt19937& rng, int kind) {
  ConvCase c;
  tgrs_conv_s8_params_t& p = c.p;
  c.rank = R(rng, 0, 4) ? 4 : 3;
  if (kind == 0) {  // regular, 1x1 and 1xN included
    p.group = 1;
    c.cin = R(rng, 1, 12);
    c.m = R(rng, 1, 10);
  } else if (kind == 1) {  // depthwise, multiplier 1..3
    c.cin = R(rng, 2, 12);
    p.group = c.cin;
    c.m = c.cin * (R(rng, 0, 2) ? 1 : R(rng, 2, 3));
  } else {  // grouped
    p.group = R(rng, 2, 3);
    c.cin = p.group * R(rng, 1, 3);
    c.m = p.group * R(rng, 1, 3);
  }
  const bool one = R(rng, 0, 3) == 0;
  p.kernel_h = c.rank == 4 && !one ? R(rng, 1, 5) : 1;
  p.kernel_w = one ? 1 : R(rng, 1, 5);
  p.stride_h = c.rank == 4 ? R(rng, 1, 2) : 1;
  p.stride_w = R(rng, 1, 2);
  p.dilation_h = c.rank == 4 && R(rng, 0, 4) == 0 ? 2 : 1;
  p.dilation_w = R(rng, 0, 4) == 0 ? 2 : 1;
  const int32_t ekh = (p.kernel_h - 1) * p.dilation_h + 1, ekw = (p.kernel_w - 1) * p.dilation_w + 1;
  const bool pads = R(rng, 0, 2) > 0;
  p.pad_top = c.rank == 4 && pads ? R(rng, 0, ekh - 1) : 0;
  p.pad_bottom = c.rank == 4 && pads ? R(rng, 0, ekh - 1) : 0;
  p.pad_left = pads ? R(rng, 0, ekw - 1) : 0;
  p.pad_right = pads ? R(rng, 0, ekw - 1) : 0;
  c.ih = c.rank == 4 ? R(rng, std::max(1, ekh - p.pad_top - p.pad_bottom), 11) : 1;
  c.iw = R(rng, std::max(1, ekw - p.pad_left - p.pad_right), 11);
  c.oh = (c.ih + p.pad_top + p.pad_bottom - ekh) / p.stride_h + 1;
  c.ow = (c.iw + p.pad_left + p.pad_right - ekw) / p.stride_w + 1;
  c.n = R(rng, 0, 5) == 0 ? 2 : 1;
  p.input_zp = R(rng, -128, 127);
  p.output_zp = R(rng, -128, 127);
  p.act_min = R(rng, 0, 1) ? -128 : R(rng, -128, 0);
  p.act_max = R(rng, 0, 1) ? 127 : R(rng, p.act_min, 127);
  return c;
}

Dims Sp(const ConvCase& c, Dims d4) {
  if (c.rank == 3) d4.erase(d4.begin() + 2);
  return d4;
}

// The inputs of a conv in the channels-last convention (or not, when `nchw`).
std::vector<Tensor> ConvInputs(std::mt19937& rng, const ConvCase& c, bool nchw) {
  const tgrs_conv_s8_params_t& p = c.p;
  std::vector<Tensor> in;
  in.push_back(Make(rng, Sp(c, {c.n, c.cin, c.ih, c.iw}), TGRS_DTYPE_I8, nchw ? Dense(c.rank) : Nhwc(c.rank), -128, 127));
  const bool dw = p.group == c.cin && c.cin > 1;
  const Dims wd = Sp(c, {c.m, c.cin / p.group, p.kernel_h, p.kernel_w});
  std::vector<int32_t> worder = dw ? (c.rank == 4 ? std::vector<int32_t>{0, 3, 2, 1} : std::vector<int32_t>{0, 2, 1})
                                   : (c.rank == 4 ? std::vector<int32_t>{1, 3, 2, 0} : std::vector<int32_t>{1, 2, 0});
  in.push_back(Make(rng, wd, TGRS_DTYPE_I8, nchw ? Dense(c.rank) : worder, -127, 127));
  in.push_back(Make(rng, {c.m}, TGRS_DTYPE_I32, {0}, -20000, 20000));
  in.push_back(Requant(rng, c.m, -12, -3));
  return in;
}

TEST(CmsisNn, ConvMatchesTheReferenceAndTakesEveryChannelsLastCall) {
  std::mt19937 rng(2024);
  Stats st;
  for (int i = 0; i < 3000; ++i) {
    ConvCase c = RandomConv(rng, i % 3);
    if (i % 7 == 3 && c.p.kernel_h == 1 && c.p.kernel_w == 1) {
      // a 1x1 with bottom/right pads only: its last outputs read no input pixel (bias only)
      c.p.pad_top = c.p.pad_left = 0;
      c.p.pad_bottom = c.rank == 4 ? R(rng, 0, 2) : 0;
      c.p.pad_right = R(rng, 1, 2);
      c.oh = (c.ih + c.p.pad_bottom - 1) / c.p.stride_h + 1;
      c.ow = (c.iw + c.p.pad_right - 1) / c.p.stride_w + 1;
    }
    const bool nchw = i % 10 == 9;  // some calls the backend must refuse
    std::vector<Tensor> in = ConvInputs(rng, c, nchw);
    if (i % 17 == 5) in.push_back(Make(rng, {c.m}, TGRS_DTYPE_I32, {0}, -3, 3));  // weight zero points: refused
    Tensor out = Make(rng, Sp(c, {c.n, c.m, c.oh, c.ow}), TGRS_DTYPE_I8, nchw ? Dense(c.rank) : Nhwc(c.rank), 0, 0);
    Compare(TGRS_OP_Conv, tgrs_cmsis_Conv_s8_run, tgrs_ref_Conv_s8_run, tgrs_ref_Conv_s8_check, in, out, &c.p, sizeof c.p,
            "conv case " + std::to_string(i), st);
    if (HasFatalFailure()) return;
  }
  EXPECT_GT(st.vendor, st.total / 2) << "most calls should have taken the vendor path";
}

// Strips and bands as the tiler passes them: the output of `c` cut along `axis` (2: rows, 3:
// columns) at two random points; each part's input as a window of the whole NHWC input (dims =
// rows or columns supplied), its own pads (the leading one only on the first part, the trailing
// one only on the last), its output a window of the whole output. Together the parts must equal
// the whole reference call; each part counts as a vendor call exactly when rejects() accepts it.
void ConvPartsEqualTheWholeCall(std::mt19937& rng, ConvCase& c, int axis, Stats& st, const std::string& what) {
  tgrs_conv_s8_params_t& p = c.p;
  const bool rows = axis == 2;
  const int32_t k = rows ? p.kernel_h : p.kernel_w, stride = rows ? p.stride_h : p.stride_w;
  const int32_t dil = rows ? p.dilation_h : p.dilation_w, lead = rows ? p.pad_top : p.pad_left;
  const int32_t trail = rows ? p.pad_bottom : p.pad_right, in_len = rows ? c.ih : c.iw, out_len = rows ? c.oh : c.ow;
  std::vector<Tensor> in = ConvInputs(rng, c, false);
  Tensor whole = Make(rng, {1, c.m, c.oh, c.ow}, TGRS_DTYPE_I8, Nhwc(4), 0, 0);
  {
    std::vector<tgrs_tensor_t> ins;
    for (Tensor& t : in) ins.push_back(t.v);
    tgrs_kernel_call_t call{ins.data(), 4, &whole.v, 1, &p, sizeof p, nullptr, 0};
    ASSERT_EQ(tgrs_ref_Conv_s8_check(&call), TGRS_OK) << what;
    tgrs_ref_Conv_s8_run(&call);
  }
  Tensor got = Make(rng, {1, c.m, c.oh, c.ow}, TGRS_DTYPE_I8, Nhwc(4), 0, 0);
  got.skew = whole.skew;
  got.mem.assign(whole.mem.size(), 0xA5);
  got.v.data = got.mem.data() + got.skew;
  const int32_t cut1 = R(rng, 1, out_len - 2), cut2 = R(rng, cut1 + 1, out_len - 1);
  const int32_t bounds[4] = {0, cut1, cut2, out_len};
  const int32_t ext = (k - 1) * dil + 1;
  for (int s = 0; s < 3; ++s) {
    const int32_t o0 = bounds[s], o1 = bounds[s + 1];
    const int32_t r0 = std::max(0, o0 * stride - lead);
    const int32_t r1 = std::min(in_len, (o1 - 1) * stride - lead + ext);
    if (r1 <= r0) continue;  // a part wholly in the padding: the compiler merges it
    tgrs_conv_s8_params_t sp = p;
    (rows ? sp.pad_top : sp.pad_left) = r0 - (o0 * stride - lead);
    (rows ? sp.pad_bottom : sp.pad_right) = o1 == out_len ? trail : (o1 - 1) * stride - lead + ext - r1;
    std::vector<tgrs_tensor_t> ins;
    for (Tensor& t : in) ins.push_back(t.v);
    ins[0].dims[axis] = r1 - r0;
    ins[0].data = static_cast<int8_t*>(in[0].v.data) + static_cast<ptrdiff_t>(r0) * in[0].v.strides[axis];
    tgrs_tensor_t ov = got.v;
    ov.dims[axis] = o1 - o0;
    ov.data = static_cast<int8_t*>(got.v.data) + static_cast<ptrdiff_t>(o0) * got.v.strides[axis];
    tgrs_kernel_call_t call{ins.data(), 4, &ov, 1, &sp, sizeof sp, nullptr, 0};
    const uint32_t need = tgrs_cmsis_scratch(TGRS_OP_Conv, &call, tgrs_cmsis_isa());
    std::vector<uint32_t> scratch(need / 4 + 2);
    call.scratch = need ? scratch.data() : nullptr;
    call.scratch_size = need;
    ASSERT_EQ(tgrs_ref_Conv_s8_check(&call), TGRS_OK) << what << " part " << s;
    const bool accepted = tgrs_cmsis_rejects(TGRS_OP_Conv, &call, tgrs_cmsis_isa(), 1) == nullptr;
    const uint32_t before = tgrs_cmsis_counters.vendor;
    tgrs_cmsis_Conv_s8_run(&call);
    EXPECT_EQ(tgrs_cmsis_counters.vendor == before + 1, accepted) << what << " part " << s;
    st.total += 1;
    st.vendor += accepted;
  }
  EXPECT_EQ(got.mem, whole.mem) << what << " parts [0," << cut1 << "," << cut2 << "," << out_len << ")";
}

TEST(CmsisNn, ConvRowStripsEqualTheWholeReferenceCall) {
  std::mt19937 rng(77);
  Stats st;
  for (int i = 0; i < 1500; ++i) {
    ConvCase c = RandomConv(rng, i % 3);
    c.rank = 4;
    c.n = 1;
    if (c.oh < 3) continue;
    ConvPartsEqualTheWholeCall(rng, c, 2, st, "case " + std::to_string(i));
    if (HasFatalFailure()) return;
  }
  EXPECT_GT(st.vendor, st.total / 2);
}

// Column bands: rows W*C apart, not one block. Pointwise convs take CMSIS-NN row by row; the
// others one vendor call per output row over the columns inside the band, the columns reading
// the right padding on the reference kernel (tgrs_cmsis_band); a band narrower than the kernel
// falls back.
TEST(CmsisNn, ConvColumnBandsEqualTheWholeReferenceCall) {
  std::mt19937 rng(78);
  Stats st, pointwise;
  for (int i = 0; i < 1500; ++i) {
    ConvCase c = RandomConv(rng, i % 2 == 0 ? 0 : 1 + i % 3 / 2);
    tgrs_conv_s8_params_t& p = c.p;
    c.rank = 4;
    c.n = 1;
    if (i % 2 == 0) {  // pointwise, the case CMSIS-NN takes
      p.kernel_h = p.kernel_w = p.dilation_h = p.dilation_w = 1;
      p.pad_top = p.pad_bottom = p.pad_left = p.pad_right = 0;
      c.ih = R(rng, 1, 6);
      c.iw = R(rng, 3, 13);
      c.oh = (c.ih - 1) / p.stride_h + 1;
      c.ow = (c.iw - 1) / p.stride_w + 1;
    }
    if (c.ow < 3) continue;
    ConvPartsEqualTheWholeCall(rng, c, 3, i % 2 == 0 ? pointwise : st, "case " + std::to_string(i));
    if (HasFatalFailure()) return;
  }
  EXPECT_EQ(pointwise.vendor, pointwise.total) << "every pointwise band should take CMSIS-NN";
  EXPECT_GT(pointwise.total, 300);
  EXPECT_GT(st.vendor, st.total * 3 / 4) << "most other bands should take CMSIS-NN too";
  EXPECT_GT(st.total, 300);
}

// ---- Fully connected ---------------------------------------------------------------------------

TEST(CmsisNn, GemmAndMatMulAsFullyConnectedMatchTheReference) {
  std::mt19937 rng(5);
  Stats st;
  for (int i = 0; i < 400; ++i) {
    const int32_t m = R(rng, 1, 4), k = R(rng, 1, 70), n = R(rng, 1, 40);
    const bool matmul = i % 2 == 1, per_channel = R(rng, 0, 1) == 1, bias = R(rng, 0, 3) > 0;
    std::vector<Tensor> in;
    in.push_back(Make(rng, {m, k}, TGRS_DTYPE_I8, {1, 0}, -128, 127));
    // B stored [N][K]: Gemm trans_b dense [N, K]; MatMul (and Gemm trans_b = 0) [K, N] strides [1, K]
    const bool trans_b = !matmul && R(rng, 0, 1) == 1;
    in.push_back(trans_b ? Make(rng, {n, k}, TGRS_DTYPE_I8, {1, 0}, -127, 127)
                         : Make(rng, {k, n}, TGRS_DTYPE_I8, {0, 1}, -127, 127));
    in.push_back(bias ? Make(rng, {n}, TGRS_DTYPE_I32, {0}, -30000, 30000) : Tensor{});
    in.push_back(per_channel ? Requant(rng, n, -10, -2) : Requant(rng, 1, -10, -2));
    Tensor out = Make(rng, {m, n}, TGRS_DTYPE_I8, {1, 0}, 0, 0);
    const std::string what = std::string(matmul ? "matmul" : "gemm") + " case " + std::to_string(i);
    if (matmul) {
      tgrs_matmul_s8_params_t p{R(rng, -128, 127), R(rng, -128, 127), -128, 127};
      Compare(TGRS_OP_MatMul, tgrs_cmsis_MatMul_s8_run, tgrs_ref_MatMul_s8_run, tgrs_ref_MatMul_s8_check, in, out, &p,
              sizeof p, what, st);
    } else {
      tgrs_gemm_s8_params_t p{0, trans_b ? 1 : 0, R(rng, -128, 127), R(rng, -128, 127), R(rng, -128, -100), R(rng, 90, 127)};
      Compare(TGRS_OP_Gemm, tgrs_cmsis_Gemm_s8_run, tgrs_ref_Gemm_s8_run, tgrs_ref_Gemm_s8_check, in, out, &p, sizeof p,
              what, st);
    }
    if (HasFatalFailure()) return;
  }
  EXPECT_EQ(st.vendor, st.total);
}

// ---- Add, Mul ----------------------------------------------------------------------------------

TEST(CmsisNn, AddAndMulMatchTheReference) {
  std::mt19937 rng(9);
  Stats st;
  for (int i = 0; i < 300; ++i) {
    // every third call a column band: a window of W columns of wider NHWC tensors (rows apart)
    const bool band = i % 3 == 2;
    const int32_t w = R(rng, 1, 7), extra = band ? R(rng, 1, 4) : 0, off = band ? R(rng, 0, extra) : 0;
    const Dims d = {1, R(rng, 1, 16), R(rng, 1, 7), w + extra};
    const std::vector<int32_t> order = band || R(rng, 0, 1) ? Nhwc(4) : Dense(4);
    std::vector<Tensor> in;
    in.push_back(Make(rng, d, TGRS_DTYPE_I8, order, -128, 127));
    in.push_back(Make(rng, d, TGRS_DTYPE_I8, order, -128, 127));
    Tensor out = Make(rng, d, TGRS_DTYPE_I8, order, 0, 0);
    for (Tensor* t : {&in[0], &in[1], &out}) {
      t->v.dims[3] = w;
      t->skew += static_cast<size_t>(off) * static_cast<size_t>(t->v.strides[3]);  // Compare starts views there
      t->v.data = t->mem.data() + t->skew;
    }
    const double sa = std::ldexp(1.0, -R(rng, 3, 9)) * R(rng, 1, 9), sb = std::ldexp(1.0, -R(rng, 3, 9)) * R(rng, 1, 9);
    const double sy = std::ldexp(1.0, -R(rng, 2, 8)) * R(rng, 1, 9);
    if (i % 2 == 0) {
      auto q = tigris::passes::QuantizeAdd(sa, sb, sy);
      ASSERT_TRUE(q.ok());
      tgrs_add_s8_params_t p{R(rng, -128, 127), R(rng, -128, 127), R(rng, -128, 127), q->left_shift, q->a.multiplier,
                             q->a.shift, q->b.multiplier, q->b.shift, q->output.multiplier, q->output.shift, -128, 127};
      Compare(TGRS_OP_Add, tgrs_cmsis_Add_s8_run, tgrs_ref_Add_s8_run, tgrs_ref_Add_s8_check, in, out, &p, sizeof p,
              "add case " + std::to_string(i), st);
    } else {
      auto q = tigris::passes::QuantizeMul(sa, sb, sy);
      ASSERT_TRUE(q.ok());
      tgrs_mul_s8_params_t p{R(rng, -128, 127), R(rng, -128, 127), R(rng, -128, 127), q->multiplier, q->shift,
                             R(rng, -128, -60), R(rng, 60, 127)};
      Compare(TGRS_OP_Mul, tgrs_cmsis_Mul_s8_run, tgrs_ref_Mul_s8_run, tgrs_ref_Mul_s8_check, in, out, &p, sizeof p,
              "mul case " + std::to_string(i), st);
    }
    if (HasFatalFailure()) return;
  }
  EXPECT_EQ(st.vendor, st.total);
}

// ---- Pools -------------------------------------------------------------------------------------

TEST(CmsisNn, MaxAndAveragePoolMatchTheReference) {
  std::mt19937 rng(13);
  Stats st;
  for (int i = 0; i < 500; ++i) {
    tgrs_pool_s8_params_t p{};
    p.kernel_h = R(rng, 1, 4);
    p.kernel_w = R(rng, 1, 4);
    p.stride_h = R(rng, 1, 3);
    p.stride_w = R(rng, 1, 3);
    p.dilation_h = p.dilation_w = 1;
    p.pad_top = R(rng, 0, p.kernel_h - 1);
    p.pad_bottom = R(rng, 0, p.kernel_h - 1);
    p.pad_left = R(rng, 0, p.kernel_w - 1);
    p.pad_right = R(rng, 0, p.kernel_w - 1);
    const bool avg = i % 2 == 1;
    p.count_include_pad = avg && i % 13 == 1 ? 1 : 0;  // refused: the reference runs
    p.input_zp = R(rng, -128, 127);
    p.act_min = R(rng, 0, 1) ? -128 : R(rng, -128, 0);
    p.act_max = R(rng, 0, 1) ? 127 : R(rng, p.act_min, 127);
    const int32_t c = R(rng, 1, 20);
    const int32_t h = R(rng, std::max(1, p.kernel_h - p.pad_top - p.pad_bottom), 10);
    const int32_t w = R(rng, std::max(1, p.kernel_w - p.pad_left - p.pad_right), 10);
    const int32_t oh = (h + p.pad_top + p.pad_bottom - p.kernel_h) / p.stride_h + 1;
    const int32_t ow = (w + p.pad_left + p.pad_right - p.kernel_w) / p.stride_w + 1;
    // every third call a column band: windows of wider NHWC tensors (rows apart), the input's
    // and the output's at their own column offsets (tgrs_cmsis_band: the columns reading the right
    // pad on the reference kernel)
    const bool band = i % 3 == 2;
    const int32_t xextra = band ? R(rng, 1, 5) : 0, yextra = band ? R(rng, 0, 3) : 0;
    std::vector<Tensor> in;
    in.push_back(Make(rng, {1, c, h, w + xextra}, TGRS_DTYPE_I8, Nhwc(4), -128, 127));
    Tensor out = Make(rng, {1, c, oh, ow + yextra}, TGRS_DTYPE_I8, Nhwc(4), 0, 0);
    if (band) {
      in[0].v.dims[3] = w;
      in[0].skew += static_cast<size_t>(R(rng, 0, xextra)) * static_cast<size_t>(c);
      in[0].v.data = in[0].mem.data() + in[0].skew;
      out.v.dims[3] = ow;
      out.skew += static_cast<size_t>(R(rng, 0, yextra)) * static_cast<size_t>(c);
      out.v.data = out.mem.data() + out.skew;
    }
    const std::string what = std::string(avg ? "avgpool" : "maxpool") + (band ? " band" : "") + " case " + std::to_string(i);
    if (avg)
      Compare(TGRS_OP_AveragePool, tgrs_cmsis_AveragePool_s8_run, tgrs_ref_AveragePool_s8_run,
              tgrs_ref_AveragePool_s8_check, in, out, &p, sizeof p, what, st);
    else
      Compare(TGRS_OP_MaxPool, tgrs_cmsis_MaxPool_s8_run, tgrs_ref_MaxPool_s8_run, tgrs_ref_MaxPool_s8_check, in, out, &p,
              sizeof p, what, st);
    if (HasFatalFailure()) return;
  }
  EXPECT_GT(st.vendor, st.total * 9 / 10);
}

// ---- Softmax -----------------------------------------------------------------------------------

TEST(CmsisNn, SoftmaxMatchesTheReferenceBitForBit) {
  std::mt19937 rng(17);
  Stats st;
  for (int i = 0; i < 300; ++i) {
    const int32_t rows = R(rng, 1, 6), len = i % 50 == 0 ? R(rng, 1000, 2047) : R(rng, 1, 40);
    auto q = tigris::passes::QuantizeSoftmax(1.0, std::ldexp(1.0, -R(rng, 0, 6)) * R(rng, 1, 9));
    ASSERT_TRUE(q.ok());
    tgrs_softmax_s8_params_t p{1, q->input_mult, q->input_left_shift, q->diff_min};
    std::vector<Tensor> in;
    in.push_back(Make(rng, {rows, len}, TGRS_DTYPE_I8, {1, 0}, -128, 127));
    Tensor out = Make(rng, {rows, len}, TGRS_DTYPE_I8, {1, 0}, 0, 0);
    Compare(TGRS_OP_Softmax, tgrs_cmsis_Softmax_s8_run, tgrs_ref_Softmax_s8_run, tgrs_ref_Softmax_s8_check, in, out, &p,
            sizeof p, "softmax case " + std::to_string(i), st);
    if (HasFatalFailure()) return;
  }
  EXPECT_EQ(st.vendor, st.total);
}

}  // namespace
