// Host quantization math (quant_math.h) and the kernels' fixed-point primitives against values
// derived by hand from their definitions and from CMSIS-NN's published configs (e.g. Softmax's
// multiplier for beta 1, scale 1/255).
#include <cmath>
#include <limits>
#include <vector>

#include "s8_test_util.h"
#include "tigris/passes/quant_math.h"

namespace tp = tigris::passes;
using tp::QuantizedMultiplier;

namespace {

QuantizedMultiplier Q(double real) {
  const auto q = tp::QuantizeMultiplier(real);
  EXPECT_TRUE(q.ok()) << real;
  return q.ok() ? *q : QuantizedMultiplier{-1, -1};
}

constexpr int32_t k2p30 = 1 << 30;

}  // namespace

TEST(QuantMath, QuantizeMultiplierKnownValues) {
  // real = multiplier * 2^shift / 2^31, multiplier in [2^30, 2^31)
  EXPECT_EQ(Q(0.5), (QuantizedMultiplier{k2p30, 0}));
  EXPECT_EQ(Q(1.0), (QuantizedMultiplier{k2p30, 1}));
  EXPECT_EQ(Q(0.25), (QuantizedMultiplier{k2p30, -1}));
  EXPECT_EQ(Q(0.75), (QuantizedMultiplier{1610612736, 0}));
  EXPECT_EQ(Q(3.0), (QuantizedMultiplier{1610612736, 2}));
  EXPECT_EQ(Q(1.0 / 3.0), (QuantizedMultiplier{1431655765, -1}));  // round(2/3 * 2^31) = 1431655765.33
  EXPECT_EQ(Q(0.0), (QuantizedMultiplier{0, 0}));
  EXPECT_EQ(Q(-0.5), (QuantizedMultiplier{-k2p30, 0}));
  // CMSIS-NN's Add output multiplier (2^-20) and Mul output multiplier (float 1/255 * 2^-7 ... )
  EXPECT_EQ(Q(std::ldexp(1.0, -20)), (QuantizedMultiplier{k2p30, -19}));
  EXPECT_EQ(Q(static_cast<double>(1.0f / 255.0f)), (QuantizedMultiplier{1077952640, -7}));
}

TEST(QuantMath, QuantizeMultiplierRoundsUpToOneAndFlushesTinyAndSaturatesHuge) {
  // q = 1 - 2^-33 rounds to 2^31: becomes 2^30 with the shift incremented
  EXPECT_EQ(Q(1.0 - std::ldexp(1.0, -33)), (QuantizedMultiplier{k2p30, 1}));
  EXPECT_EQ(Q(0.5 - std::ldexp(1.0, -34)), (QuantizedMultiplier{k2p30, 0}));
  // ties of the mantissa round away from zero: q * 2^31 = 2^30 + 0.5
  EXPECT_EQ(Q(0.5 + std::ldexp(1.0, -32)), (QuantizedMultiplier{k2p30 + 1, 0}));
  // the smallest shifts kept: -31; below that everything would be shifted out -> {0, 0}
  EXPECT_EQ(Q(std::ldexp(1.0, -32)), (QuantizedMultiplier{k2p30, -31}));
  EXPECT_EQ(Q(std::ldexp(1.0, -33)), (QuantizedMultiplier{0, 0}));
  EXPECT_EQ(Q(1e-300), (QuantizedMultiplier{0, 0}));
  // shifts above 30 saturate
  EXPECT_EQ(Q(std::ldexp(1.0, 29)), (QuantizedMultiplier{k2p30, 30}));
  EXPECT_EQ(Q(std::ldexp(1.0, 30)), (QuantizedMultiplier{std::numeric_limits<int32_t>::max(), 30}));
  EXPECT_EQ(Q(1e300), (QuantizedMultiplier{std::numeric_limits<int32_t>::max(), 30}));
  EXPECT_FALSE(tp::QuantizeMultiplier(std::nan("")).ok());
  EXPECT_FALSE(tp::QuantizeMultiplier(std::numeric_limits<double>::infinity()).ok());
}

TEST(QuantMath, QuantizedMultiplierReproducesTheRealThroughRequant) {
  // requant(x, QuantizeMultiplier(r)) ~ x * r within one unit for a sweep of reals
  for (double r : {0.001, 0.0123, 0.3, 0.5, 0.77, 0.999, 1.0, 1.7, 5.0, 100.0}) {
    const QuantizedMultiplier q = Q(r);
    for (int32_t x : {-100000, -777, -1, 0, 1, 3, 1000, 123456}) {
      const double want = x * r;
      EXPECT_NEAR(tgrs_requant_s32(x, q.multiplier, q.shift), want, 1.0) << r << " " << x;
    }
  }
}

TEST(QuantMath, ConvMultipliersPerChannel) {
  const std::vector<double> ws = {0.25, 0.5, 0.001};
  const auto q = tp::QuantizeConvMultipliers(0.5, ws, 0.125);
  ASSERT_TRUE(q.ok()) << q.status().message();
  ASSERT_EQ(q->size(), 3u);
  EXPECT_EQ((*q)[0], Q(1.0));
  EXPECT_EQ((*q)[1], Q(2.0));
  EXPECT_EQ((*q)[2], Q(0.5 * 0.001 / 0.125));
  const std::vector<double> bad = {0.1, 0.0};
  EXPECT_FALSE(tp::QuantizeConvMultipliers(0.5, bad, 0.125).ok());
  EXPECT_FALSE(tp::QuantizeConvMultipliers(0.5, {}, 0.125).ok());
  EXPECT_FALSE(tp::QuantizeConvMultipliers(-0.5, ws, 0.125).ok());
  EXPECT_FALSE(tp::QuantizeConvMultipliers(0.5, ws, std::nan("")).ok());
}

TEST(QuantMath, AddMulAndSoftmaxParamsReproduceCmsisNnConfigs) {
  // add/config_data.h: equal input scales s, output 2s: input mults 2^30 shift 0, output 2^30 >> 19
  const auto add = tp::QuantizeAdd(0.5, 0.5, 1.0);
  ASSERT_TRUE(add.ok());
  EXPECT_EQ(add->left_shift, 20);
  EXPECT_EQ(add->a, (QuantizedMultiplier{k2p30, 0}));
  EXPECT_EQ(add->b, (QuantizedMultiplier{k2p30, 0}));
  EXPECT_EQ(add->output, (QuantizedMultiplier{k2p30, -19}));
  // unequal inputs: the smaller one is rescaled below 1/2
  const auto add2 = tp::QuantizeAdd(0.25, 1.0, 1.0);
  ASSERT_TRUE(add2.ok());
  EXPECT_EQ(add2->a, Q(0.125));
  EXPECT_EQ(add2->b, Q(0.5));
  EXPECT_EQ(add2->output, Q(2.0 / (1 << 20)));
  EXPECT_FALSE(tp::QuantizeAdd(0.0, 1.0, 1.0).ok());
  const auto mul = tp::QuantizeMul(0.5, 0.25, 0.0625);
  ASSERT_TRUE(mul.ok());
  EXPECT_EQ(*mul, Q(2.0));
  // softmax/config_data.h: beta 1, input scale float(1/255)
  const auto sm = tp::QuantizeSoftmax(1.0, static_cast<double>(1.0f / 255.0f));
  ASSERT_TRUE(sm.ok()) << sm.status().message();
  EXPECT_EQ(sm->input_mult, 1077952640);
  EXPECT_EQ(sm->input_left_shift, 19);
  EXPECT_EQ(sm->diff_min, -3968);  // -floor(31 * 2^26 / 2^19)
  // a huge beta * scale caps the multiplier (TFLite: at 2^31 - 1, which saturates to shift 30)
  const auto big = tp::QuantizeSoftmax(1.0, 1000.0);
  ASSERT_TRUE(big.ok());
  EXPECT_EQ(big->input_left_shift, 30);
  EXPECT_EQ(big->diff_min, -1);
  EXPECT_FALSE(tp::QuantizeSoftmax(1.0, 1e-12).ok());  // multiplier below 1: unsupported
  EXPECT_FALSE(tp::QuantizeSoftmax(0.0, 0.1).ok());
}

TEST(QuantMath, ActivationRangesQuantizeLikeQuantizeLinear) {
  const double inf = std::numeric_limits<double>::infinity();
  auto range = [](double lo, double hi, float s, int32_t zp) {
    const auto r = tp::QuantizedActivationRange(lo, hi, s, zp);
    EXPECT_TRUE(r.ok());
    return r.ok() ? std::pair<int32_t, int32_t>{r->min, r->max} : std::pair<int32_t, int32_t>{999, 999};
  };
  EXPECT_EQ(range(0.0, inf, 0.1f, -20), (std::pair<int32_t, int32_t>{-20, 127}));      // Relu
  EXPECT_EQ(range(0.0, 6.0, 0.1f, -20), (std::pair<int32_t, int32_t>{-20, 40}));       // Relu6
  EXPECT_EQ(range(0.0, 6.0, 6.0f / 255.0f, -128), (std::pair<int32_t, int32_t>{-128, 127}));
  EXPECT_EQ(range(-inf, inf, 0.1f, 5), (std::pair<int32_t, int32_t>{-128, 127}));
  EXPECT_EQ(range(-100.0, 100.0, 0.1f, 0), (std::pair<int32_t, int32_t>{-128, 127}));  // saturates
  // ties round to even (ONNX QuantizeLinear), not away from zero
  EXPECT_EQ(range(0.25, 1.25, 0.5f, 0), (std::pair<int32_t, int32_t>{0, 2}));
  EXPECT_FALSE(tp::QuantizedActivationRange(1.0, 0.0, 0.1f, 0).ok());
  EXPECT_FALSE(tp::QuantizedActivationRange(0.0, 1.0, 0.1f, 200).ok());
  EXPECT_FALSE(tp::QuantizedActivationRange(std::nan(""), 1.0, 0.1f, 0).ok());
  EXPECT_EQ(tp::QuantizeValueS8(2.5, 1.0f, 0), 2);
  EXPECT_EQ(tp::QuantizeValueS8(3.5, 1.0f, 0), 4);
  EXPECT_EQ(tp::QuantizeValueS8(-2.5, 1.0f, 0), -2);
  EXPECT_EQ(tp::QuantizeValueS8(std::nan(""), 1.0f, 7), 7);
  EXPECT_EQ(tp::QuantizeValueS8(inf, 1.0f, 7), 127);
  EXPECT_EQ(tp::QuantizeValueS8(-inf, 1.0f, 7), -128);
  EXPECT_EQ(tp::QuantizeValueS8(1e300, 1e-30f, 0), 127);
}

TEST(QuantMath, LookupTables) {
  // identity with equal params is the identity table, int8 and uint8
  const auto id = tp::BuildLutS8(0.1f, 3, 0.1f, 3, [](double v) { return v; });
  ASSERT_TRUE(id.ok());
  for (int i = 0; i < 256; ++i) EXPECT_EQ((*id)[i], i - 128);
  const auto idu = tp::BuildLutU8(0.1f, 128, 0.1f, 128, [](double v) { return v; });
  ASSERT_TRUE(idu.ok());
  for (int i = 0; i < 256; ++i) EXPECT_EQ((*idu)[i], i);
  // Relu: max(x, 0)
  const auto relu = tp::BuildLutS8(0.5f, 0, 0.5f, 0, [](double v) { return v > 0 ? v : 0.0; });
  ASSERT_TRUE(relu.ok());
  for (int i = 0; i < 256; ++i) EXPECT_EQ((*relu)[i], std::max(i - 128, 0));
  // Sigmoid onto TFLite's fixed output quantization (1/256, -128): sigmoid(0) = 0.5 -> 0, the
  // extremes saturate
  const auto sig = tp::BuildLutS8(0.1f, -10, 1.0f / 256.0f, -128, [](double v) { return 1.0 / (1.0 + std::exp(-v)); });
  ASSERT_TRUE(sig.ok());
  EXPECT_EQ((*sig)[-10 + 128], 0);
  EXPECT_EQ((*sig)[0], -128 + static_cast<int>(std::nearbyint(256.0 / (1.0 + std::exp(11.8)))));
  EXPECT_EQ((*sig)[255], 127);
  // NaN results map to the output zero point, infinities saturate
  const auto nan = tp::BuildLutS8(1.0f, 0, 1.0f, 5, [](double v) { return v < 0 ? std::nan("") : HUGE_VAL; });
  ASSERT_TRUE(nan.ok());
  EXPECT_EQ((*nan)[0], 5);
  EXPECT_EQ((*nan)[200], 127);
  EXPECT_FALSE(tp::BuildLutS8(0.0f, 0, 1.0f, 0, [](double v) { return v; }).ok());
  EXPECT_FALSE(tp::BuildLutS8(1.0f, 128, 1.0f, 0, [](double v) { return v; }).ok());
  EXPECT_FALSE(tp::BuildLutU8(1.0f, -1, 1.0f, 0, [](double v) { return v; }).ok());
  EXPECT_FALSE(tp::BuildLutS8(1.0f, 0, 1.0f, 0, nullptr).ok());
}

TEST(FixedPointS8, DoublingHighMultiplyRoundsHalfUpAndSaturates) {
  const int32_t kMin = std::numeric_limits<int32_t>::min(), kMax = std::numeric_limits<int32_t>::max();
  EXPECT_EQ(tgrs_srdhm_s32(kMin, kMin), kMax);
  EXPECT_EQ(tgrs_srdhm_s32(k2p30, k2p30), 1 << 29);
  EXPECT_EQ(tgrs_srdhm_s32(kMax, kMax), kMax - 1);  // (2^31-1)^2 / 2^31 = 2^31 - 2 + 2^-31
  EXPECT_EQ(tgrs_srdhm_s32(kMin, kMax), -kMax);
  EXPECT_EQ(tgrs_srdhm_s32(1, k2p30), 1);    // 0.5 -> 1
  EXPECT_EQ(tgrs_srdhm_s32(-1, k2p30), 0);   // -0.5 -> 0 (gemmlowp's nudge: half up)
  EXPECT_EQ(tgrs_srdhm_s32(-3, k2p30), -1);  // -1.5 -> -1
  EXPECT_EQ(tgrs_srdhm_s32(3, k2p30), 2);    // 1.5 -> 2
  EXPECT_EQ(tgrs_srdhm_s32(-5, 1 << 29), -1);  // -1.25 -> -1
  EXPECT_EQ(tgrs_srdhm_s32(-7, 1 << 29), -2);  // -1.75 -> -2
}

TEST(FixedPointS8, RoundingDivideByPowerOfTwoRoundsHalfAwayFromZero) {
  EXPECT_EQ(tgrs_rdbpot_s32(5, 1), 3);
  EXPECT_EQ(tgrs_rdbpot_s32(-5, 1), -3);
  EXPECT_EQ(tgrs_rdbpot_s32(-4, 1), -2);
  EXPECT_EQ(tgrs_rdbpot_s32(7, 2), 2);
  EXPECT_EQ(tgrs_rdbpot_s32(-7, 2), -2);
  EXPECT_EQ(tgrs_rdbpot_s32(-6, 2), -2);  // -1.5 -> -2
  EXPECT_EQ(tgrs_rdbpot_s32(6, 2), 2);
  EXPECT_EQ(tgrs_rdbpot_s32(123, 0), 123);
  EXPECT_EQ(tgrs_rdbpot_s32(std::numeric_limits<int32_t>::min(), 31), -1);
  EXPECT_EQ(tgrs_rdbpot_s32(std::numeric_limits<int32_t>::max(), 31), 1);
  EXPECT_EQ(tgrs_rdbpot_s32(1 << 29, 31), 0);
  EXPECT_EQ(tgrs_rdbpot_s32(1 << 30, 31), 1);  // 0.5 -> 1
}

TEST(FixedPointS8, RequantizeShiftsLeftFirstAndSaturates) {
  EXPECT_EQ(tgrs_requant_s32(100, k2p30, 1), 100);  // x * 2 * 0.5
  EXPECT_EQ(tgrs_requant_s32(3, k2p30, 0), 2);      // 1.5 -> 2
  EXPECT_EQ(tgrs_requant_s32(3, k2p30, -1), 1);     // SRDHM 2, then 2/2
  EXPECT_EQ(tgrs_requant_s32(5, k2p30, -1), 2);     // double rounding: SRDHM 2.5 -> 3, then 1.5 -> 2
  EXPECT_EQ(tgrs_requant_s32(-5, k2p30, -1), -1);   // SRDHM -2.5 -> -2, then -1 (exact)
  // the left shift saturates at int32 before the multiply (TFLite: undefined)
  EXPECT_EQ(tgrs_requant_s32(std::numeric_limits<int32_t>::max(), k2p30, 2), k2p30);
  EXPECT_EQ(tgrs_requant_s32(std::numeric_limits<int32_t>::min(), k2p30, 5), -k2p30);
  // shifts outside [-31, 30] (never produced by QuantizeMultiplier) are clamped
  EXPECT_EQ(tgrs_requant_s32(1 << 20, k2p30, -100), tgrs_requant_s32(1 << 20, k2p30, -31));
  EXPECT_EQ(tgrs_requant_s32(1, k2p30, 100), tgrs_requant_s32(1, k2p30, 30));
}
