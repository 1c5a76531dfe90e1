// check() of the int8 kernels as load-time validators of untrusted plans: targeted rejections of
// inconsistent dims, dtypes and params, and a fuzzer that mutates valid calls of every kernel
// (dims, ranks, dtypes, strides, params words, input counts) and runs whatever check() accepts
// on heap buffers of exactly the bytes each view spans, filled with random bytes (so table and
// per-channel data are garbage too). Build with -fsanitize=address,undefined to make any read or
// write outside a view, or any undefined integer operation, fatal.
#include <cstring>
#include <memory>
#include <random>

#include "s8_specs.h"

using namespace s8test;

namespace {

struct Built {
  std::vector<std::unique_ptr<uint8_t[]>> buffers;
  std::vector<tgrs_tensor_t> in, out;
};

// Dense views of a spec with data (random bytes).
Built Build(std::mt19937& rng, const Spec& s) {
  Built b;
  auto make = [&](const Dims& dims, int32_t dtype) {
    if (dtype == 0) return Absent();
    tgrs_tensor_t t = ViewOf(nullptr, dims, dtype);
    const size_t bytes = static_cast<size_t>(Count(dims) * tgrs_dtype_size(dtype));
    b.buffers.emplace_back(new uint8_t[bytes]);
    for (size_t i = 0; i < bytes; ++i) b.buffers.back()[i] = static_cast<uint8_t>(rng());
    t.data = b.buffers.back().get();
    return t;
  };
  for (size_t i = 0; i < s.in_dims.size(); ++i) b.in.push_back(make(s.in_dims[i], s.in_dtypes[i]));
  b.out.push_back(make(s.out_dims, s.out_dtype));
  return b;
}

tgrs_status_t CheckSpec(const Spec& s, const std::vector<tgrs_tensor_t>& in, const std::vector<tgrs_tensor_t>& out,
                        const std::vector<uint32_t>& params) {
  const tgrs_kernel_call_t c = tgrs_test::RawCall(in, out, params);
  return s.kernel->check(&c);
}

// Expects check() to reject `s` after `mutate` changed its params (as the struct P).
template <class P, class F>
void ExpectParamRejected(const Spec& s, F mutate, const char* what) {
  std::mt19937 rng(1);
  Built b = Build(rng, s);
  ASSERT_EQ(CheckSpec(s, b.in, b.out, s.params), TGRS_OK) << s.what;
  P p;
  std::memcpy(&p, s.params.data(), sizeof(P));
  mutate(p);
  EXPECT_EQ(CheckSpec(s, b.in, b.out, tgrs_test::ParamWords(p)), TGRS_ERR_CORRUPT) << s.what << ": " << what;
}

}  // namespace

TEST(CheckS8, EveryGeneratedCallIsAcceptedDenseAndRejectedWithAWrongParamsSize) {
  std::mt19937 rng(5);
  for (int kind = 0; kind < kSpecKinds; ++kind) {
    for (int t = 0; t < 20; ++t) {
      const Spec s = RandomSpec(rng, kind);
      Built b = Build(rng, s);
      ASSERT_EQ(CheckSpec(s, b.in, b.out, s.params), TGRS_OK) << s.what;
      std::vector<uint32_t> longer = s.params;
      longer.push_back(0);
      EXPECT_EQ(CheckSpec(s, b.in, b.out, longer), TGRS_ERR_CORRUPT) << s.what;
      const tgrs_kernel_call_t none = tgrs_test::RawCall(b.in, b.out, {});
      EXPECT_EQ(s.kernel->check(&none), TGRS_ERR_CORRUPT) << s.what;
      EXPECT_EQ(s.kernel->check(nullptr), TGRS_ERR_BAD_ARG) << s.what;
      // wrong output dtype
      std::vector<tgrs_tensor_t> out = b.out;
      out[0].dtype = out[0].dtype == TGRS_DTYPE_F32 ? TGRS_DTYPE_I32 : TGRS_DTYPE_F32;
      EXPECT_EQ(CheckSpec(s, b.in, out, s.params), TGRS_ERR_CORRUPT) << s.what;
    }
  }
}

TEST(CheckS8, RejectsInconsistentQuantizationParams) {
  std::mt19937 rng(6);
  const Spec conv = ConvSpec(rng);
  ExpectParamRejected<tgrs_conv_s8_params_t>(conv, [](auto& p) { p.input_zp = 128; }, "x zero point 128");
  ExpectParamRejected<tgrs_conv_s8_params_t>(conv, [](auto& p) { p.output_zp = -129; }, "y zero point -129");
  ExpectParamRejected<tgrs_conv_s8_params_t>(conv, [](auto& p) { p.act_min = 5, p.act_max = 4; }, "empty clamp");
  ExpectParamRejected<tgrs_conv_s8_params_t>(conv, [](auto& p) { p.act_max = 128; }, "clamp beyond int8");
  ExpectParamRejected<tgrs_conv_s8_params_t>(conv, [](auto& p) { p.group = 0; }, "group 0");
  ExpectParamRejected<tgrs_conv_s8_params_t>(conv, [](auto& p) { p.stride_w = 0; }, "stride 0");
  ExpectParamRejected<tgrs_conv_s8_params_t>(conv, [](auto& p) { p.pad_right += 7; }, "pads vs output dims");
  const Spec add = AddSpec(rng, false);
  ExpectParamRejected<tgrs_add_s8_params_t>(add, [](auto& p) { p.left_shift = 23; }, "left shift 23");
  ExpectParamRejected<tgrs_add_s8_params_t>(add, [](auto& p) { p.a_shift = 1; }, "input shift > 0");
  ExpectParamRejected<tgrs_add_s8_params_t>(add, [](auto& p) { p.output_shift = 31; }, "output shift 31");
  ExpectParamRejected<tgrs_add_s8_params_t>(add, [](auto& p) { p.output_shift = -32; }, "output shift -32");
  const Spec mul = MulSpec(rng);
  ExpectParamRejected<tgrs_mul_s8_params_t>(mul, [](auto& p) { p.b_zp = 200; }, "b zero point");
  const Spec sm = SoftmaxSpec(rng);
  ExpectParamRejected<tgrs_softmax_s8_params_t>(sm, [](auto& p) { p.axis = -1; }, "axis -1");
  ExpectParamRejected<tgrs_softmax_s8_params_t>(sm, [](auto& p) { p.diff_min = 1; }, "diff_min > 0");
  ExpectParamRejected<tgrs_softmax_s8_params_t>(sm, [](auto& p) { p.input_mult = -1; }, "negative multiplier");
  ExpectParamRejected<tgrs_softmax_s8_params_t>(
      sm, [](auto& p) { p.input_left_shift = 31, p.diff_min = -2; }, "diff * 2^shift overflows");
  const Spec gap = GlobalAvgPoolSpec(rng, TGRS_ACC_BEGIN | TGRS_ACC_END);
  ExpectParamRejected<tgrs_global_avgpool_s8_params_t>(gap, [](auto& p) { p.count += 1; }, "count of a whole call");
  ExpectParamRejected<tgrs_global_avgpool_s8_params_t>(gap, [](auto& p) { p.flags = 4; }, "unknown flag");
  ExpectParamRejected<tgrs_global_avgpool_s8_params_t>(gap, [](auto& p) { p.flags = TGRS_ACC_END; },
                                                       "END without the partial input");
  const Spec pool = PoolSpec(rng, false);
  ExpectParamRejected<tgrs_pool_s8_params_t>(pool, [](auto& p) { p.count_include_pad = 2; }, "cip 2");
  ExpectParamRejected<tgrs_pool_s8_params_t>(pool, [](auto& p) { p.input_zp = 1000; }, "zero point");
  const Spec rs = ResizeNearestSpec(rng);
  ExpectParamRejected<tgrs_resize_nearest_s8_params_t>(rs, [](auto& p) { p.table_offset[0] = 1 << 20; },
                                                        "table window past the table");
  ExpectParamRejected<tgrs_resize_nearest_s8_params_t>(rs, [](auto& p) { p.out_origin[0] = -1; }, "origin < 0");
  const Spec q = QdqSpec(rng, true);
  ExpectParamRejected<tgrs_qdq_params_t>(q, [](auto& p) { p.scale = 0.0f; }, "scale 0");
  ExpectParamRejected<tgrs_qdq_params_t>(q, [](auto& p) { p.scale = -1.0f; }, "scale < 0");
  ExpectParamRejected<tgrs_qdq_params_t>(q, [](auto& p) { p.zero_point = 300; }, "zero point 300");
}

TEST(CheckS8, RejectsInconsistentDims) {
  std::mt19937 rng(7);
  auto reject = [&](const Spec& s, auto mutate, const char* what) {
    Built b = Build(rng, s);
    ASSERT_EQ(CheckSpec(s, b.in, b.out, s.params), TGRS_OK) << s.what;
    mutate(b.in, b.out);
    EXPECT_EQ(CheckSpec(s, b.in, b.out, s.params), TGRS_ERR_CORRUPT) << s.what << ": " << what;
  };
  using TV = std::vector<tgrs_tensor_t>;
  const Spec conv = ConvSpec(rng);
  reject(conv, [](TV& in, TV&) { in[3].dims[1] = 3; }, "RQ rows of 3");
  reject(conv, [](TV& in, TV& out) { in[3].dims[0] = out[0].dims[1] + 1; tgrs_tensor_set_dense(&in[3]); }, "RQ of M+1");
  reject(conv, [](TV& in, TV&) { in[1].dtype = TGRS_DTYPE_U8; }, "u8 weights");
  reject(conv, [](TV& in, TV&) { in[0].strides[0] = -1; }, "negative stride");
  reject(conv, [](TV& in, TV& out) {
    in[2] = ViewOf(in[3].data, {out[0].dims[1] + 1}, TGRS_DTYPE_I32);
  }, "bias of M+1");
  reject(conv, [](TV& in, TV&) { in[4] = ViewOf(in[3].data, {1, 1}, TGRS_DTYPE_I32); }, "rank-2 weight zero points");
  // more than 32768 taps per output cannot be accumulated in int32
  {
    tgrs_conv_s8_params_t p{};
    p.kernel_h = 1;
    p.kernel_w = 1;
    p.stride_h = p.stride_w = p.dilation_h = p.dilation_w = 1;
    p.group = 1;
    p.act_min = -128;
    p.act_max = 127;
    const TV ok = {ViewOf(nullptr, {1, 32768, 1, 1}, TGRS_DTYPE_I8), ViewOf(nullptr, {1, 32768, 1, 1}, TGRS_DTYPE_I8),
                   Absent(), ViewOf(nullptr, {1, 2}, TGRS_DTYPE_I32)};
    const TV bad = {ViewOf(nullptr, {1, 32769, 1, 1}, TGRS_DTYPE_I8), ViewOf(nullptr, {1, 32769, 1, 1}, TGRS_DTYPE_I8),
                    Absent(), ViewOf(nullptr, {1, 2}, TGRS_DTYPE_I32)};
    const TV y = {ViewOf(nullptr, {1, 1, 1, 1}, TGRS_DTYPE_I8)};
    EXPECT_EQ(Check(kConv, ok, y, p), TGRS_OK);
    EXPECT_EQ(Check(kConv, bad, y, p), TGRS_ERR_CORRUPT);
  }
  const Spec gemm = GemmSpec(rng);
  reject(gemm, [](TV&, TV& out) { out[0].dims[1] += 1; }, "Y columns");
  reject(gemm, [](TV& in, TV&) { in[0].rank = 3; in[0].dims[2] = 1; }, "rank-3 A");
  const Spec add = AddSpec(rng, false);
  reject(add, [](TV&, TV& out) { out[0].rank += 1; out[0].dims[out[0].rank - 1] = 2; }, "Y rank");
  const Spec sm = SoftmaxSpec(rng);
  {
    tgrs_softmax_s8_params_t p;
    std::memcpy(&p, sm.params.data(), sizeof(p));
    p.axis = 0;
    const TV ok = {ViewOf(nullptr, {4095}, TGRS_DTYPE_I8)}, oky = ok;
    const TV bad = {ViewOf(nullptr, {4096}, TGRS_DTYPE_I8)}, bady = bad;
    EXPECT_EQ(Check(kSoftmax, ok, oky, p), TGRS_OK);
    EXPECT_EQ(Check(kSoftmax, bad, bady, p), TGRS_ERR_CORRUPT) << "a line of 4096 overflows the Q12.19 sum";
  }
  const Spec lut = LutSpec(rng);
  reject(lut, [](TV& in, TV&) { in[1].dims[0] = 255; }, "table of 255");
  const Spec gap = GlobalAvgPoolSpec(rng, TGRS_ACC_BEGIN);
  reject(gap, [](TV&, TV& out) { out[0].dtype = TGRS_DTYPE_I8; }, "an int8 partial");
  const Spec gap2 = GlobalAvgPoolSpec(rng, TGRS_ACC_END);
  reject(gap2, [](TV& in, TV&) { in[1].dims[1] += 1; tgrs_tensor_set_dense(&in[1]); }, "partial of other dims");
}

TEST(CheckS8, FuzzedCallsThatCheckAcceptsStayInsideTheirBuffers) {
  std::mt19937 rng(2024);
  int accepted = 0, total = 0;
  for (int iter = 0; iter < 20000; ++iter) {
    const Spec s = RandomSpec(rng, iter % kSpecKinds);
    std::vector<tgrs_tensor_t> in, out;
    for (size_t i = 0; i < s.in_dims.size(); ++i)
      in.push_back(s.in_dtypes[i] ? ViewOf(nullptr, s.in_dims[i], s.in_dtypes[i]) : Absent());
    out.push_back(ViewOf(nullptr, s.out_dims, s.out_dtype));
    std::vector<uint32_t> params = s.params;
    // 1..3 mutations
    for (int m = Rand(rng, 1, 3); m > 0; --m) {
      const int what = Rand(rng, 0, 7);
      const bool on_out = Rand(rng, 0, 3) == 0 || in.empty();
      tgrs_tensor_t& t = on_out ? out[0] : in[static_cast<size_t>(Rand(rng, 0, static_cast<int32_t>(in.size()) - 1))];
      const int32_t d = t.rank > 0 ? Rand(rng, 0, t.rank - 1) : 0;
      switch (what) {
        case 0: t.dims[d] += Rand(rng, 0, 1) ? 1 : -1; break;
        case 1: t.dims[d] = Rand(rng, -1, 9); break;
        case 2: t.strides[d] = Rand(rng, -2, 40); break;
        case 3:
          if (t.rank < TGRS_MAX_RANK && Rand(rng, 0, 1)) {
            t.dims[t.rank] = Rand(rng, 1, 3);
            ++t.rank;
          } else if (t.rank > 0) {
            --t.rank;
            t.dims[t.rank] = 0;
            t.strides[t.rank] = 0;
          }
          break;
        case 4: {
          const int32_t dts[] = {0, TGRS_DTYPE_F32, TGRS_DTYPE_U8, TGRS_DTYPE_I8, TGRS_DTYPE_I32, 42};
          t.dtype = dts[Rand(rng, 0, 5)];
          break;
        }
        case 5: {
          const size_t w = static_cast<size_t>(Rand(rng, 0, static_cast<int32_t>(params.size()) - 1));
          const uint32_t vals[] = {0u, 1u, 2u, 3u, 31u, 32u, 127u, 128u, 0x80000000u, 0xFFFFFFFFu, 0x7FFFFFFFu,
                                   static_cast<uint32_t>(Rand(rng, -300, 300))};
          params[w] = vals[Rand(rng, 0, 11)];
          break;
        }
        case 6:
          if (Rand(rng, 0, 1) && !in.empty()) {
            in.pop_back();
          } else {
            in.push_back(ViewOf(nullptr, {Rand(rng, 1, 3)}, TGRS_DTYPE_I32));
          }
          break;
        default: tgrs_tensor_set_dense(&t); break;
      }
    }
    ++total;
    {
      const tgrs_kernel_call_t c = tgrs_test::RawCall(in, out, params);
      if (s.kernel->check(&c) != TGRS_OK) continue;
    }
    ++accepted;
    // exactly the bytes each (valid) view spans
    std::vector<std::unique_ptr<uint8_t[]>> bufs;
    auto bind = [&](tgrs_tensor_t& t) {
      if (t.dtype == 0) return;
      int64_t span = 1;
      for (int32_t k = 0; k < t.rank; ++k) span += int64_t{t.dims[k] - 1} * t.strides[k];
      const size_t bytes = static_cast<size_t>(span * tgrs_dtype_size(t.dtype));
      bufs.emplace_back(new uint8_t[bytes]);
      for (size_t k = 0; k < bytes; ++k) bufs.back()[k] = static_cast<uint8_t>(rng());
      t.data = bufs.back().get();
    };
    for (auto& t : in) bind(t);
    for (auto& t : out) bind(t);
    const tgrs_kernel_call_t c = tgrs_test::RawCall(in, out, params);
    s.kernel->run(&c);
  }
  RecordProperty("accepted", accepted);
  RecordProperty("total", total);
  EXPECT_GT(accepted, total / 20);
}
