// Differential tests of the ESP-NN backend (src/kernels/esp_nn/) against the reference int8
// kernels, which are themselves checked against TFLite golden data and a numpy model
// (kernels_s8.*): random shapes, zero points, multipliers, pads, channels-last strides, row strips
// (first / middle / last) and misaligned buffers with canary bytes around every view. Every call
// must be bit-identical to the reference, bytes outside the output views untouched, and the vendor
// path must run exactly when tgrs_esp_nn_rejects() accepts (tgrs_esp_nn_counters), with the
// convention's layouts accepted: a test cannot pass by falling back.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <vector>

#include "tigris/kernels/backend_esp_nn.h"
#include "tigris/kernels/backend_reference.h"
#include "tigris/kernels/tgrs_qparams.h"
#include "tigris/passes/quant_math.h"

namespace {

using Dims = std::vector<int32_t>;
using RunFn = void (*)(const tgrs_kernel_call_t*);
using CheckFn = tgrs_status_t (*)(const tgrs_kernel_call_t*);
struct Entry {
  uint32_t kind;
  RunFn esp, ref;
  CheckFn check;
};
#define ESP_ENTRY(name) \
  Entry { TGRS_OP_##name, tgrs_esp_nn_##name##_s8_run, tgrs_ref_##name##_s8_run, tgrs_ref_##name##_s8_check }

std::mt19937& Rng() {
  static std::mt19937 rng(20240611);
  return rng;
}
int32_t Uni(int32_t lo, int32_t hi) { return std::uniform_int_distribution<int32_t>(lo, hi)(Rng()); }

// A tensor in its own buffer: a random misaligned offset and canary bytes on both sides of the
// elements its view spans; `mem` is kept so an output can be cloned and compared whole.
struct Buffer {
  std::vector<uint8_t> mem;
  size_t offset = 0;
  tgrs_tensor_t view{};
};

int64_t Span(const Dims& dims, const Dims& strides) {
  int64_t s = 1;
  for (size_t d = 0; d < dims.size(); ++d) s += int64_t{dims[d] - 1} * strides[d];
  return s;
}

Buffer Make(int32_t dtype, const Dims& dims, const Dims& strides, int32_t lo, int32_t hi) {
  Buffer b;
  const int32_t esize = dtype == TGRS_DTYPE_I32 ? 4 : 1;
  b.offset = static_cast<size_t>(Uni(0, 3) * 4 + (esize == 1 ? Uni(1, 3) : 0));
  const size_t bytes = static_cast<size_t>(Span(dims, strides)) * esize;
  b.mem.resize(b.offset + bytes + 16);
  for (auto& v : b.mem) v = static_cast<uint8_t>(Uni(0, 255));
  b.view.dtype = dtype;
  b.view.rank = static_cast<int32_t>(dims.size());
  for (size_t d = 0; d < dims.size(); ++d) {
    b.view.dims[d] = dims[d];
    b.view.strides[d] = strides[d];
  }
  b.view.data = b.mem.data() + b.offset;
  // the elements of the view get values in [lo, hi] (the rest of the buffer stays random bytes)
  std::vector<int32_t> idx(dims.size(), 0);
  int64_t count = 1;
  for (int32_t d : dims) count *= d;
  for (int64_t e = 0; e < count; ++e) {
    int64_t off = 0;
    for (size_t d = 0; d < dims.size(); ++d) off += int64_t{idx[d]} * strides[d];
    const int32_t v = Uni(lo, hi);
    if (esize == 4) {
      std::memcpy(b.mem.data() + b.offset + off * 4, &v, 4);
    } else {
      b.mem[b.offset + off] = static_cast<uint8_t>(static_cast<int8_t>(v));
    }
    for (int32_t d = static_cast<int32_t>(dims.size()) - 1; d >= 0; --d) {
      if (++idx[d] < dims[d]) break;
      idx[d] = 0;
    }
  }
  return b;
}

Buffer I8(const Dims& dims, const Dims& strides) { return Make(TGRS_DTYPE_I8, dims, strides, -128, 127); }

Dims Dense(const Dims& dims) {
  Dims s(dims.size(), 1);
  for (int32_t d = static_cast<int32_t>(dims.size()) - 2; d >= 0; --d) s[d] = s[d + 1] * dims[d + 1];
  return s;
}
// logical [N, C, (H,) W] stored NHWC, with `batch_gap` extra elements between images
Dims Nhwc(const Dims& d, int32_t batch_gap = 0) {
  if (d.size() == 3) return {d[2] * d[1] + batch_gap, 1, d[1]};
  return {d[2] * d[3] * d[1] + batch_gap, 1, d[3] * d[1], d[1]};
}

// Per-channel (multiplier, shift) planar [c, 2] with strides [1, c]; `max_shift` > 0 lets some
// shifts be positive (the vendor path must then decline).
Buffer Rq(int32_t c, int32_t lo_shift, int32_t hi_shift) {
  Buffer b = Make(TGRS_DTYPE_I32, {c, 2}, {1, c}, 0, 0);
  auto* p = reinterpret_cast<int32_t*>(b.view.data);
  for (int32_t m = 0; m < c; ++m) {
    p[m] = Uni(1 << 30, INT32_MAX);
    p[c + m] = Uni(lo_shift, hi_shift);
  }
  return b;
}

// Runs the reference and the ESP-NN entry on the same inputs into two clones of the output
// buffer; both must be byte-identical; the vendor ran iff rejects() is NULL; returns that.
int Compare(const Entry& e, std::vector<tgrs_tensor_t> ins, Buffer& out, const void* params, uint32_t params_size,
            const char* what) {
  Buffer out2 = out;
  tgrs_tensor_t o_ref = out.view, o_esp = out.view;
  o_ref.data = out.mem.data() + out.offset;
  o_esp.data = out2.mem.data() + out2.offset;
  tgrs_kernel_call_t c{};
  c.inputs = ins.data();
  c.n_inputs = static_cast<int32_t>(ins.size());
  c.outputs = &o_esp;
  c.n_outputs = 1;
  c.params = params;
  c.params_size = params_size;
  EXPECT_EQ(e.check(&c), TGRS_OK) << what << ": the reference check rejects the test's call";
  if (e.check(&c) != TGRS_OK) return 0;
  std::vector<uint8_t> scratch(tgrs_esp_nn_scratch(e.kind, &c, tgrs_esp_nn_isa()) + 1);
  c.scratch = scratch.data();
  c.scratch_size = static_cast<uint32_t>(scratch.size());
  const int accepted = tgrs_esp_nn_rejects(e.kind, &c, tgrs_esp_nn_isa(), 1) == nullptr;
  tgrs_esp_nn_counters = tgrs_vendor_counters_t{};
  e.esp(&c);
  EXPECT_EQ(tgrs_esp_nn_counters.vendor, accepted ? 1u : 0u) << what;
  EXPECT_EQ(tgrs_esp_nn_counters.reference, accepted ? 0u : 1u) << what;
  c.outputs = &o_ref;
  e.ref(&c);
  EXPECT_TRUE(out.mem == out2.mem) << what << " (vendor path " << accepted << "): differs from the reference";
  return accepted;
}

template <class P>
int Compare(const Entry& e, std::vector<tgrs_tensor_t> ins, Buffer& out, const P& p, const char* what) {
  return Compare(e, std::move(ins), out, &p, sizeof(P), what);
}

// ---- Conv ----

struct ConvCase {
  int32_t n, c, h, w, m, kh, kw, sh, sw, pt, pl, pb, pr, group, dil;
  bool rank3;
};

int32_t OutLen(int32_t in, int32_t k, int32_t s, int32_t d, int32_t p0, int32_t p1) {
  const int32_t span = in + p0 + p1 - d * (k - 1) - 1;
  return span < 0 ? 0 : span / s + 1;
}

ConvCase RandomConv(bool depthwise) {
  ConvCase k{};
  k.rank3 = Uni(0, 5) == 0;
  k.n = Uni(1, 2);
  k.c = Uni(1, 9);
  k.h = k.rank3 ? 1 : Uni(1, 9);
  k.w = Uni(1, 11);
  k.kh = k.rank3 ? 1 : Uni(1, std::min(3, k.h + 1));
  k.kw = Uni(1, std::min(4, k.w + 1));
  k.sh = k.rank3 ? 1 : Uni(1, 2);
  k.sw = Uni(1, 2);
  k.dil = 1;
  k.pt = Uni(0, k.kh - 1);
  k.pl = Uni(0, k.kw - 1);
  k.pb = std::min(k.kh - 1, k.pt + Uni(0, 1));  // TF SAME shapes: bottom <= top + 1
  k.pr = std::min(k.kw - 1, k.pl + Uni(0, 1));
  k.group = depthwise ? k.c : 1;
  k.m = depthwise ? k.c * Uni(1, 3) : Uni(1, 9);
  return k;
}

// Runs a conv case whole and as row strips; `nchw` stores x/y dense NCHW (not the convention);
// returns the number of calls the vendor path took and counts all calls in *calls.
int RunConv(const ConvCase& k, bool nchw, int32_t shift_hi, int* calls) {
  const Entry e = ESP_ENTRY(Conv);
  const bool r3 = k.rank3;
  const int32_t oh = OutLen(k.h, k.kh, k.sh, k.dil, k.pt, k.pb), ow = OutLen(k.w, k.kw, k.sw, k.dil, k.pl, k.pr);
  if (oh < 1 || ow < 1) return 0;
  const Dims xd = r3 ? Dims{k.n, k.c, k.w} : Dims{k.n, k.c, k.h, k.w};
  const Dims yd = r3 ? Dims{k.n, k.m, ow} : Dims{k.n, k.m, oh, ow};
  const int32_t ci = k.c / k.group;
  const Dims wd = r3 ? Dims{k.m, ci, k.kw} : Dims{k.m, ci, k.kh, k.kw};
  Dims ws;
  if (nchw) {
    ws = Dense(wd);
  } else if (k.group == 1) {
    ws = r3 ? Dims{k.kw * ci, 1, ci} : Dims{k.kh * k.kw * ci, 1, k.kw * ci, ci};
  } else {
    ws = r3 ? Dims{1, 7, k.m} : Dims{1, 7, k.kw * k.m, k.m};
  }
  Buffer x = I8(xd, nchw ? Dense(xd) : Nhwc(xd, Uni(0, 1) * 5));
  Buffer w = I8(wd, ws);
  Buffer bias = Make(TGRS_DTYPE_I32, {k.m}, {1}, -5000, 5000);
  Buffer rq = Rq(k.m, -12, 0);
  if (shift_hi > 0) reinterpret_cast<int32_t*>(rq.view.data)[k.m] = shift_hi;  // channel 0
  tgrs_conv_s8_params_t p{};
  p.kernel_h = k.kh;
  p.kernel_w = k.kw;
  p.stride_h = k.sh;
  p.stride_w = k.sw;
  p.dilation_h = r3 ? 1 : k.dil;
  p.dilation_w = k.dil;
  p.pad_top = k.pt;
  p.pad_left = k.pl;
  p.pad_bottom = k.pb;
  p.pad_right = k.pr;
  p.group = k.group;
  p.input_zp = Uni(-128, 127);
  p.output_zp = Uni(-128, 127);
  p.act_min = Uni(-128, -60);
  p.act_max = Uni(60, 127);
  const bool with_bias = Uni(0, 3) != 0;
  std::vector<tgrs_tensor_t> ins{x.view, w.view, with_bias ? bias.view : tgrs_tensor_t{}, rq.view};
  int vendor = 0;
  Buffer y = I8(yd, nchw ? Dense(yd) : Nhwc(yd, Uni(0, 1) * 3));
  vendor += Compare(e, ins, y, p, "conv whole");
  ++*calls;
  if (r3 || oh < 2) return vendor;
  // row strips: first, middle and last, with the strip formula of docs/kernels.md
  const int32_t cut1 = Uni(1, oh - 1), cut2 = Uni(cut1, oh);
  const int32_t cuts[4] = {0, cut1, cut2, oh};
  for (int s = 0; s < 3; ++s) {
    const int32_t o0 = cuts[s], o1 = cuts[s + 1];
    if (o1 <= o0) continue;
    const int32_t ext = (k.kh - 1) * k.dil + 1;
    const int32_t r0 = std::max(0, o0 * k.sh - k.pt), r1 = std::min(k.h, (o1 - 1) * k.sh - k.pt + ext);
    if (r1 <= r0) continue;
    tgrs_conv_s8_params_t ps = p;
    ps.pad_top = r0 - (o0 * k.sh - k.pt);
    ps.pad_bottom = o1 == oh ? k.pb : (o1 - 1) * k.sh - k.pt + ext - r1;
    std::vector<tgrs_tensor_t> si = ins;
    si[0].dims[2] = r1 - r0;
    si[0].data = static_cast<int8_t*>(x.view.data) + static_cast<ptrdiff_t>(r0) * x.view.strides[2];
    Buffer ys = y;  // a window of rows of the full output buffer
    ys.view.dims[2] = o1 - o0;
    ys.offset += static_cast<size_t>(o0) * y.view.strides[2];
    vendor += Compare(e, si, ys, ps, "conv strip");
    ++*calls;
  }
  return vendor;
}

TEST(EspNn, ConvRegularAndDepthwiseMatchReferenceWholeAndInStrips) {
  for (int depthwise = 0; depthwise < 2; ++depthwise) {
    int calls = 0, vendor = 0;
    for (int i = 0; i < 300; ++i) vendor += RunConv(RandomConv(depthwise != 0), false, 0, &calls);
    // whole calls of the convention always go to the library; strips too unless their bottom
    // pad exceeds the top one by more than one
    EXPECT_GT(vendor, calls * 9 / 10) << "depthwise " << depthwise << ": " << vendor << " of " << calls;
  }
}

TEST(EspNn, ConvOutsideTheLibraryFallsBackExactly) {
  int calls = 0;
  for (int i = 0; i < 60; ++i) {
    ConvCase k = RandomConv(i % 2 == 1);
    if (k.c == 1) k = RandomConv(i % 2 == 1);
    k.c = std::max(k.c, 2);  // with one channel NCHW is NHWC
    k.m = k.group == 1 ? k.m : k.c;
    k.group = k.group == 1 ? 1 : k.c;
    k.w = std::max(k.w, 2);
    EXPECT_EQ(RunConv(k, true, 0, &calls), 0) << "NCHW views";
    k = RandomConv(i % 2 == 1);
    if (!k.rank3 && k.h >= 3) {
      k.dil = 2;
      k.kh = 2;
      k.pt = k.pb = 0;
      EXPECT_EQ(RunConv(k, false, 0, &calls), 0) << "dilation 2";
    }
    k = RandomConv(i % 2 == 1);
    EXPECT_EQ(RunConv(k, false, 1, &calls), 0) << "a positive shift";
  }
}

TEST(EspNn, GroupedConvAndPerTensorTablesFallBack) {
  const Entry e = ESP_ENTRY(Conv);
  Buffer x = I8({1, 4, 5, 5}, Nhwc({1, 4, 5, 5}));
  Buffer w = I8({6, 2, 3, 3}, {18, 1, 6, 2});
  Buffer rq = Rq(6, -8, -1);
  Buffer y = I8({1, 6, 3, 3}, Nhwc({1, 6, 3, 3}));
  tgrs_conv_s8_params_t p{3, 3, 1, 1, 1, 1, 0, 0, 0, 0, 2, 3, -4, -128, 127};
  EXPECT_EQ(Compare(e, {x.view, w.view, tgrs_tensor_t{}, rq.view}, y, p, "group 2"), 0);
  Buffer w1 = I8({6, 4, 3, 3}, {36, 1, 12, 4});
  Buffer rq1 = Rq(1, -8, -1);
  p.group = 1;
  EXPECT_EQ(Compare(e, {x.view, w1.view, tgrs_tensor_t{}, rq1.view}, y, p, "per-tensor RQ"), 0);
  EXPECT_EQ(Compare(e, {x.view, w1.view, tgrs_tensor_t{}, rq.view}, y, p, "per-channel RQ"), 1);
  Buffer wzp = Make(TGRS_DTYPE_I32, {1}, {1}, 3, 3);
  EXPECT_EQ(Compare(e, {x.view, w1.view, tgrs_tensor_t{}, rq.view, wzp.view}, y, p, "weight zero point"), 0);
}

// ---- fully connected ----

TEST(EspNn, GemmAndMatMulMatchReference) {
  const Entry gemm = ESP_ENTRY(Gemm), matmul = ESP_ENTRY(MatMul);
  int vendor = 0, calls = 0;
  for (int i = 0; i < 300; ++i) {
    const int32_t m = Uni(1, 4), k = Uni(1, 48), n = Uni(1, 20);
    const bool per_tensor = Uni(0, 2) == 0, trans_b = Uni(0, 1) != 0;
    Buffer bias = Make(TGRS_DTYPE_I32, {n}, {1}, -20000, 20000);
    Buffer rq = Rq(per_tensor ? 1 : n, -14, 0);
    // weight zero points: none, one per tensor (the library's filter offset) or varying (falls back)
    const int zp_kind = Uni(0, 2);
    Buffer bzp = Make(TGRS_DTYPE_I32, {zp_kind == 2 ? n : 1}, {1}, -20, 20);
    if (zp_kind == 2 && n > 1) reinterpret_cast<int32_t*>(bzp.view.data)[1] = 21;
    const tgrs_tensor_t zp = zp_kind == 0 ? tgrs_tensor_t{} : bzp.view;
    const bool expect = zp_kind != 2 || n == 1;
    Buffer a = I8({m, k}, {k + Uni(0, 1) * 3, 1});
    Buffer b = trans_b ? I8({n, k}, {k, 1}) : I8({k, n}, {1, k});
    Buffer y = I8({m, n}, {n + Uni(0, 1) * 2, 1});
    tgrs_gemm_s8_params_t gp{0, trans_b ? 1 : 0, Uni(-128, 127), Uni(-128, 127), Uni(-128, -50), Uni(50, 127)};
    const int got = Compare(gemm, {a.view, b.view, Uni(0, 3) ? bias.view : tgrs_tensor_t{}, rq.view, zp}, y, gp, "gemm");
    EXPECT_EQ(got, expect ? 1 : 0) << "gemm m " << m << " k " << k << " n " << n;
    vendor += got;
    ++calls;
    // MatMul: dense A [batch, m, k] times a constant B [k, n] stored [n][k]
    const int32_t batch = Uni(1, 3);
    Buffer a3 = I8({batch, m, k}, Dense({batch, m, k}));
    Buffer bm = I8({k, n}, {1, k});
    Buffer y3 = I8({batch, m, n}, Dense({batch, m, n}));
    tgrs_matmul_s8_params_t mp{Uni(-128, 127), Uni(-128, 127), -128, 127};
    const int gotm = Compare(matmul, {a3.view, bm.view, bias.view, rq.view, zp}, y3, mp, "matmul");
    EXPECT_EQ(gotm, expect ? 1 : 0) << "matmul";
    // a row-major B [k, n] is not the library's layout
    Buffer bd = I8({k, n}, Dense({k, n}));
    EXPECT_EQ(Compare(matmul, {a3.view, bd.view, bias.view, rq.view}, y3, mp, "matmul dense B"),
              (k == 1 || n == 1) ? 1 : 0);
  }
  EXPECT_GT(vendor, calls / 2);
}

// ---- Add, Mul ----

TEST(EspNn, AddAndMulMatchReferenceOnSameShapeViews) {
  const Entry add = ESP_ENTRY(Add), mul = ESP_ENTRY(Mul);
  for (int i = 0; i < 300; ++i) {
    const Dims d{Uni(1, 2), Uni(1, 9), Uni(1, 6), Uni(1, 6)};
    const bool nhwc = Uni(0, 1) != 0;
    const Dims s = nhwc ? Nhwc(d) : Dense(d);
    Buffer a = I8(d, s), b = I8(d, s), y = I8(d, s);
    const double sa = std::ldexp(1.0, -Uni(2, 8)) * Uni(1, 9), sb = std::ldexp(1.0, -Uni(2, 8)) * Uni(1, 9),
                 sy = std::ldexp(1.0, -Uni(1, 7)) * Uni(1, 9);
    auto aq = tigris::passes::QuantizeAdd(sa, sb, sy);
    ASSERT_TRUE(aq.ok());
    tgrs_add_s8_params_t ap{Uni(-128, 127), Uni(-128, 127), Uni(-128, 127), aq->left_shift, aq->a.multiplier,
                            aq->a.shift, aq->b.multiplier, aq->b.shift, aq->output.multiplier, aq->output.shift,
                            Uni(-128, -30), Uni(30, 127)};
    EXPECT_EQ(Compare(add, {a.view, b.view}, y, ap, "add"), aq->output.shift <= 0 ? 1 : 0);
    auto mq = tigris::passes::QuantizeMul(sa, sb, sy);
    ASSERT_TRUE(mq.ok());
    tgrs_mul_s8_params_t mp{Uni(-128, 127), Uni(-128, 127), Uni(-128, 127), mq->multiplier, mq->shift,
                            Uni(-128, -30), Uni(30, 127)};
    EXPECT_EQ(Compare(mul, {a.view, b.view}, y, mp, "mul"), mq->shift <= 14 ? 1 : 0);
    // different layouts or broadcasting: the reference
    Buffer bd = I8(d, Dense(d));
    if (nhwc && d[1] > 1 && d[2] * d[3] > 1) {
      EXPECT_EQ(Compare(add, {a.view, bd.view}, y, ap, "add mixed layouts"), 0);
    }
    Buffer b1 = I8({1, d[1], 1, 1}, {d[1], 1, d[1], d[1]});
    if (d[0] * d[2] * d[3] > 1) {
      EXPECT_EQ(Compare(mul, {a.view, b1.view}, y, mp, "mul broadcast"), 0);
    }
  }
}

// ---- pools ----

TEST(EspNn, PoolsMatchReferenceWholeAndInStrips) {
  const Entry maxp = ESP_ENTRY(MaxPool), avgp = ESP_ENTRY(AveragePool);
  int vendor = 0, calls = 0;
  for (int i = 0; i < 400; ++i) {
    const bool is_avg = i % 2 == 1;
    const Entry& e = is_avg ? avgp : maxp;
    const int32_t n = Uni(1, 2), c = Uni(1, 9), h = Uni(1, 9), w = Uni(1, 9);
    tgrs_pool_s8_params_t p{};
    p.kernel_h = Uni(1, std::min(3, h + 1));
    p.kernel_w = Uni(1, std::min(3, w + 1));
    p.stride_h = Uni(1, 2);
    p.stride_w = Uni(1, 2);
    p.dilation_h = p.dilation_w = 1;
    p.pad_top = Uni(0, p.kernel_h - 1);
    p.pad_left = Uni(0, p.kernel_w - 1);
    p.pad_bottom = std::min(p.kernel_h - 1, p.pad_top + Uni(0, 1));
    p.pad_right = std::min(p.kernel_w - 1, p.pad_left + Uni(0, 1));
    const bool cip = is_avg && Uni(0, 4) == 0;
    p.count_include_pad = cip ? 1 : 0;
    p.input_zp = Uni(-128, 127);
    p.act_min = Uni(-128, -40);
    p.act_max = Uni(40, 127);
    const int32_t oh = OutLen(h, p.kernel_h, p.stride_h, 1, p.pad_top, p.pad_bottom);
    const int32_t ow = OutLen(w, p.kernel_w, p.stride_w, 1, p.pad_left, p.pad_right);
    if (oh < 1 || ow < 1) continue;
    const Dims xd{n, c, h, w}, yd{n, c, oh, ow};
    Buffer x = I8(xd, Nhwc(xd, Uni(0, 1) * 7));
    Buffer y = I8(yd, Nhwc(yd));
    EXPECT_EQ(Compare(e, {x.view}, y, p, is_avg ? "avgpool" : "maxpool"), cip ? 0 : 1);
    ++calls;
    // a row strip [o0, o1)
    const int32_t o0 = Uni(0, oh - 1), o1 = Uni(o0 + 1, oh);
    const int32_t r0 = std::max(0, o0 * p.stride_h - p.pad_top),
                  r1 = std::min(h, (o1 - 1) * p.stride_h - p.pad_top + p.kernel_h);
    if (r1 <= r0) continue;
    tgrs_pool_s8_params_t ps = p;
    ps.pad_top = r0 - (o0 * p.stride_h - p.pad_top);
    ps.pad_bottom = o1 == oh ? p.pad_bottom : (o1 - 1) * p.stride_h - p.pad_top + p.kernel_h - r1;
    tgrs_tensor_t xs = x.view;
    xs.dims[2] = r1 - r0;
    xs.data = static_cast<int8_t*>(x.view.data) + static_cast<ptrdiff_t>(r0) * x.view.strides[2];
    Buffer ys = y;
    ys.view.dims[2] = o1 - o0;
    ys.offset += static_cast<size_t>(o0) * y.view.strides[2];
    vendor += Compare(e, {xs}, ys, ps, "pool strip");
    ++calls;
    // NCHW views: the reference
    Buffer xn = I8(xd, Dense(xd)), yn = I8(yd, Dense(yd));
    if (c > 1 && h * w > 1) {
      EXPECT_EQ(Compare(e, {xn.view}, yn, p, "pool nchw"), 0);
    }
  }
  EXPECT_GT(vendor, 0);
}

// ---- Softmax ----

TEST(EspNn, SoftmaxMatchesReferenceAlongTheInnermostAxis) {
  const Entry e = ESP_ENTRY(Softmax);
  for (int i = 0; i < 300; ++i) {
    auto q = tigris::passes::QuantizeSoftmax(1.0, std::ldexp(1.0, -Uni(0, 6)) * Uni(1, 9));
    ASSERT_TRUE(q.ok());
    tgrs_softmax_s8_params_t p{1, q->input_mult, q->input_left_shift, q->diff_min};
    const int32_t width = Uni(0, 5) == 0 ? Uni(400, 700) : Uni(1, 40);
    // rank 2 [rows, width] dense, and rank 4 NHWC with axis 1 (C innermost)
    const Dims d2{Uni(1, 5), width};
    Buffer x = I8(d2, Dense(d2)), y = I8(d2, Dense(d2));
    EXPECT_EQ(Compare(e, {x.view}, y, p, "softmax rank 2"), width <= 511 ? 1 : 0) << "width " << width;
    const Dims d4{1, std::min(width, 64), Uni(1, 4), Uni(1, 4)};
    Buffer x4 = I8(d4, Nhwc(d4)), y4 = I8(d4, Nhwc(d4));
    EXPECT_EQ(Compare(e, {x4.view}, y4, p, "softmax nhwc axis 1"), 1);
    // the axis not innermost in memory: the reference
    Buffer xd = I8(d4, Dense(d4)), yd = I8(d4, Dense(d4));
    if (d4[1] > 1 && d4[2] * d4[3] > 1) {
      EXPECT_EQ(Compare(e, {xd.view}, yd, p, "softmax strided axis"), 0);
    }
  }
}

// The ESP32-S3 scratch sizes come from the library's own S3 queries (cut out of its S3 sources
// on the host): nonzero where the S3 kernels copy or pad, and never what the ANSI kernels ask (0).
TEST(EspNn, ScratchIsSizedPerIsa) {
  Buffer x = I8({1, 16, 8, 8}, Nhwc({1, 16, 8, 8}));
  Buffer w = I8({32, 16, 1, 1}, {16, 1, 16, 16});
  Buffer rq = Rq(32, -8, -1);
  Buffer y = I8({1, 32, 8, 8}, Nhwc({1, 32, 8, 8}));
  tgrs_conv_s8_params_t p{1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 3, -4, -128, 127};
  std::vector<tgrs_tensor_t> ins{x.view, w.view, tgrs_tensor_t{}, rq.view};
  tgrs_kernel_call_t c{};
  c.inputs = ins.data();
  c.n_inputs = 4;
  c.outputs = &y.view;
  c.n_outputs = 1;
  c.params = &p;
  c.params_size = sizeof(p);
  EXPECT_EQ(tgrs_esp_nn_scratch(TGRS_OP_Conv, &c, TGRS_ISA_PORTABLE), 0u);
  EXPECT_GT(tgrs_esp_nn_scratch(TGRS_OP_Conv, &c, TGRS_ISA_ESP32S3), 16u * 32u);  // at least the repacked filter
  EXPECT_EQ(tgrs_vendor_esp_nn.scratch(TGRS_OP_Conv, TGRS_DTYPE_I8, &c, TGRS_ISA_ESP32S3),
            tgrs_esp_nn_scratch(TGRS_OP_Conv, &c, TGRS_ISA_ESP32S3));
  // a conv the library does not take asks for nothing
  p.dilation_h = 2;
  EXPECT_EQ(tgrs_esp_nn_scratch(TGRS_OP_Conv, &c, TGRS_ISA_ESP32S3), 0u);
  EXPECT_STREQ(tgrs_esp_nn_rejects(TGRS_OP_Conv, &c, TGRS_ISA_ESP32S3, 1), "dilation");
  // Softmax: the S3 kernel keeps 4 bytes per element of a line
  Buffer sx = I8({3, 40}, Dense({3, 40})), sy = I8({3, 40}, Dense({3, 40}));
  tgrs_softmax_s8_params_t sp{1, 1 << 30, 20, -100};
  ins = {sx.view};
  c.n_inputs = 1;
  c.outputs = &sy.view;
  c.params = &sp;
  c.params_size = sizeof(sp);
  EXPECT_EQ(tgrs_esp_nn_scratch(TGRS_OP_Softmax, &c, TGRS_ISA_PORTABLE), 0u);
  EXPECT_EQ(tgrs_esp_nn_scratch(TGRS_OP_Softmax, &c, TGRS_ISA_ESP32S3), 4u * 40u);
}

TEST(EspNn, TableHoldsTheServedOpsOnly) {
  for (int op = 0; op < TGRS_OP_COUNT; ++op) EXPECT_EQ(tgrs_backend_esp_nn.ops[op].run, nullptr) << op;
  int served = 0;
  for (int op = 0; op < TGRS_OP_COUNT; ++op) served += tgrs_backend_esp_nn.ops_s8[op].run != nullptr;
  EXPECT_EQ(served, 8);
  EXPECT_EQ(tgrs_vendor_esp_nn.table, &tgrs_backend_esp_nn);
  EXPECT_STREQ(tgrs_vendor_esp_nn.name, "esp-nn");
  EXPECT_EQ(tgrs_backend_esp_nn.ops_s8[TGRS_OP_Conv].run, &tgrs_esp_nn_Conv_s8_run);
  EXPECT_EQ(tgrs_backend_esp_nn.ops_s8[TGRS_OP_Conv].check, &tgrs_ref_Conv_s8_check);
}

}  // namespace
