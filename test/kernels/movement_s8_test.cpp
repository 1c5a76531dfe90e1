// The byte movement kernels of movement_s8.c against the f32 movement kernels (themselves tested
// against numpy goldens): the same random call on int8/uint8 values and on their float copies
// must move the same elements. Requantize with a uint8 side against the requantization formula
// built from the public fixed-point primitive.
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "s8_specs.h"
#include "tigris/kernels/ref_f32.h"

namespace s8test {
namespace {

// A 1-byte view's value at flat (row-major) index i of dense data.
int32_t Value(const std::vector<uint8_t>& b, size_t i, int32_t dtype) {
  return dtype == TGRS_DTYPE_I8 ? static_cast<int32_t>(static_cast<int8_t>(b[i])) : static_cast<int32_t>(b[i]);
}

int64_t Count(const Dims& d) {
  int64_t n = 1;
  for (int32_t v : d) n *= v;
  return n;
}

// Runs `s` on random bytes and its f32 twin `op` (params `fparams`) on the values as floats.
void SameAsF32(std::mt19937& rng, const Spec& s, int op, const std::vector<uint32_t>& fparams, int32_t pad_value = 0) {
  std::vector<std::vector<uint8_t>> bytes;
  std::vector<std::vector<float>> floats;
  std::vector<tgrs_tensor_t> in8, in32;
  for (size_t i = 0; i < s.in_dims.size(); ++i) {
    const auto n = static_cast<size_t>(Count(s.in_dims[i]));
    bytes.emplace_back(n);
    floats.emplace_back(n);
    for (size_t k = 0; k < n; ++k) {
      bytes[i][k] = static_cast<uint8_t>(rng());
      floats[i][k] = static_cast<float>(Value(bytes[i], k, s.in_dtypes[i]));
    }
  }
  for (size_t i = 0; i < s.in_dims.size(); ++i) {
    in8.push_back(ViewOf(bytes[i].data(), s.in_dims[i], s.in_dtypes[i]));
    in32.push_back(ViewOf(floats[i].data(), s.in_dims[i], TGRS_DTYPE_F32));
  }
  const auto n_out = static_cast<size_t>(Count(s.out_dims));
  std::vector<uint8_t> y8(n_out, 0xA5);
  std::vector<float> y32(n_out, -1000.f);
  const std::vector<tgrs_tensor_t> out8 = {ViewOf(y8.data(), s.out_dims, s.out_dtype)},
                                   out32 = {ViewOf(y32.data(), s.out_dims, TGRS_DTYPE_F32)};
  const tgrs_kernel_call_t c8 = tgrs_test::RawCall(in8, out8, s.params);
  ASSERT_EQ(s.kernel->check(&c8), TGRS_OK) << s.what;
  s.kernel->run(&c8);
  const tgrs_kernel_call_t c32 = tgrs_test::RawCall(in32, out32, fparams);
  const tgrs_kernel_t* f = tgrs_backend_kernel(&tgrs_backend_reference, static_cast<uint32_t>(op), TGRS_DTYPE_F32);
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(f->check(&c32), TGRS_OK) << s.what << " (f32)";
  f->run(&c32);
  for (size_t k = 0; k < n_out; ++k) {
    const float want = op == TGRS_OP_Pad && y32[k] == static_cast<float>(pad_value) + 0.5f ? static_cast<float>(pad_value) : y32[k];
    ASSERT_EQ(static_cast<float>(Value(y8, k, s.out_dtype)), want) << s.what << " element " << k;
  }
}

TEST(MovementS8, ConcatSliceTransposeMoveWhatTheF32KernelsMove) {
  std::mt19937 rng(77);
  for (int t = 0; t < 300; ++t) {
    const Spec c = ConcatSpec(rng);
    SameAsF32(rng, c, TGRS_OP_Concat, c.params);
    const Spec sl = SliceSpec(rng);
    SameAsF32(rng, sl, TGRS_OP_Slice, sl.params);
    const Spec tr = TransposeSpec(rng);
    SameAsF32(rng, tr, TGRS_OP_Transpose, tr.params);
    if (HasFatalFailure()) return;
  }
}

TEST(MovementS8, PadMatchesTheF32KernelInEveryMode) {
  std::mt19937 rng(78);
  for (int t = 0; t < 400; ++t) {
    const Spec s = PadSpec(rng);
    tgrs_pad_s8_params_t p;
    std::memcpy(&p, s.params.data(), sizeof p);
    // the f32 kernel pads with value + 0.5 (a value no int8 element has), mapped back above
    tgrs_pad_params_t fp{};
    fp.mode = p.mode;
    fp.value = static_cast<float>(p.value) + 0.5f;
    std::memcpy(fp.pad_begin, p.pad_begin, sizeof fp.pad_begin);
    SameAsF32(rng, s, TGRS_OP_Pad, tgrs_test::ParamWords(fp), p.value);
    if (HasFatalFailure()) return;
  }
}

TEST(MovementS8, SplitIsTheInverseOfConcat) {
  std::mt19937 rng(79);
  for (int t = 0; t < 200; ++t) {
    const Spec c = ConcatSpec(rng);
    const auto n = static_cast<size_t>(Count(c.out_dims));
    std::vector<uint8_t> whole(n);
    for (auto& b : whole) b = static_cast<uint8_t>(rng());
    std::vector<std::vector<uint8_t>> parts;
    std::vector<tgrs_tensor_t> outs;
    for (const Dims& d : c.in_dims) parts.emplace_back(static_cast<size_t>(Count(d)), 0);
    for (size_t i = 0; i < c.in_dims.size(); ++i) outs.push_back(ViewOf(parts[i].data(), c.in_dims[i], c.out_dtype));
    const std::vector<tgrs_tensor_t> in = {ViewOf(whole.data(), c.out_dims, c.out_dtype)};
    const tgrs_kernel_call_t split = tgrs_test::RawCall(in, outs, c.params);
    ASSERT_EQ(tgrs_split_s8_check(&split), TGRS_OK);
    tgrs_split_s8_run(&split);
    std::vector<uint8_t> back(n, 0);
    const std::vector<tgrs_tensor_t> y = {ViewOf(back.data(), c.out_dims, c.out_dtype)};
    const tgrs_kernel_call_t cat = tgrs_test::RawCall(outs, y, c.params);
    ASSERT_EQ(tgrs_concat_s8_check(&cat), TGRS_OK);
    tgrs_concat_s8_run(&cat);
    ASSERT_EQ(back, whole);
    // mixed dtypes are refused
    if (outs.size() > 1) {
      outs[1].dtype = outs[0].dtype == TGRS_DTYPE_I8 ? TGRS_DTYPE_U8 : TGRS_DTYPE_I8;
      const tgrs_kernel_call_t bad = tgrs_test::RawCall(in, outs, c.params);
      EXPECT_EQ(tgrs_split_s8_check(&bad), TGRS_ERR_CORRUPT);
    }
  }
}

TEST(MovementS8, RequantizeWithAUint8SideIsTheRequantizationFormula) {
  std::mt19937 rng(80);
  for (int t = 0; t < 300; ++t) {
    const Spec s = RequantizeQ8Spec(rng);
    tgrs_requantize_s8_params_t p;
    std::memcpy(&p, s.params.data(), sizeof p);
    const auto n = static_cast<size_t>(Count(s.out_dims));
    std::vector<uint8_t> x(n), y(n, 0);
    for (auto& b : x) b = static_cast<uint8_t>(rng());
    const std::vector<tgrs_tensor_t> in = {ViewOf(x.data(), s.in_dims[0], s.in_dtypes[0])},
                                     out = {ViewOf(y.data(), s.out_dims, s.out_dtype)};
    const tgrs_kernel_call_t c = tgrs_test::RawCall(in, out, s.params);
    ASSERT_EQ(tgrs_requantize_q8_check(&c), TGRS_OK);
    tgrs_requantize_q8_run(&c);
    for (size_t k = 0; k < n; ++k) {
      const int32_t v = tgrs_requant_s32(Value(x, k, s.in_dtypes[0]) - p.input_zp, p.mult, p.shift) + p.output_zp;
      ASSERT_EQ(Value(y, k, s.out_dtype), std::min(std::max(v, p.act_min), p.act_max)) << k;
    }
  }
  // the boundary conversion of a uint8 model: x - 128 and x + 128, exactly
  std::vector<uint8_t> x(256), y(256);
  for (int32_t v = 0; v < 256; ++v) x[static_cast<size_t>(v)] = static_cast<uint8_t>(v);
  tgrs_requantize_s8_params_t to_s8{128, 0, 1 << 30, 1, -128, 127};
  std::vector<tgrs_tensor_t> in = {ViewOf(x.data(), {256}, TGRS_DTYPE_U8)}, out = {ViewOf(y.data(), {256}, TGRS_DTYPE_I8)};
  std::vector<uint32_t> words = tgrs_test::ParamWords(to_s8);  // the call points at them
  tgrs_kernel_call_t c = tgrs_test::RawCall(in, out, words);
  ASSERT_EQ(tgrs_requantize_q8_check(&c), TGRS_OK);
  tgrs_requantize_q8_run(&c);
  for (int32_t v = 0; v < 256; ++v) EXPECT_EQ(static_cast<int8_t>(y[static_cast<size_t>(v)]), v - 128);
  // a uint8 zero point out of range, or a clamp outside uint8, is refused
  tgrs_requantize_s8_params_t bad = to_s8;
  bad.input_zp = 256;
  words = tgrs_test::ParamWords(bad);
  c = tgrs_test::RawCall(in, out, words);
  EXPECT_EQ(tgrs_requantize_q8_check(&c), TGRS_ERR_CORRUPT);
  tgrs_requantize_s8_params_t to_u8{0, 128, 1 << 30, 1, 0, 255};
  in[0].dtype = TGRS_DTYPE_I8;
  out[0].dtype = TGRS_DTYPE_U8;
  words = tgrs_test::ParamWords(to_u8);
  c = tgrs_test::RawCall(in, out, words);
  EXPECT_EQ(tgrs_requantize_q8_check(&c), TGRS_OK);
  to_u8.act_min = -1;
  words = tgrs_test::ParamWords(to_u8);
  c = tgrs_test::RawCall(in, out, words);
  EXPECT_EQ(tgrs_requantize_q8_check(&c), TGRS_ERR_CORRUPT);
}

}  // namespace
}  // namespace s8test
