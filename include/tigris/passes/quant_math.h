// Host-side quantization math for the int8 kernels (ref_s8.h): the (multiplier, shift) pairs
// their integer requantization uses, the per-op derived parameters (TFLite's formulas), and
// 256-entry lookup tables for elementwise unary ops. Pure functions, no graph access.
//
// Rounding choices (all documented where they differ from a naive formula):
// - QuantizeMultiplier: TFLite's. frexp splits real = q * 2^shift with q in [0.5, 1); the Q31
//   mantissa is round(q * 2^31) with ties away from zero (std::round, as TfLiteRound); a
//   mantissa that rounds up to 2^31 becomes 2^30 with shift + 1; shift < -31 (|real| < ~2^-32)
//   flushes to {0, 0}; shift > 30 saturates to {INT32_MAX, 30}. Negative reals give the negated
//   multiplier of |real|.
// - Derived reals are formed in double from the scales, as TFLite does from its float scales.
// - LUTs and activation ranges quantize like ONNX QuantizeLinear in onnxruntime: float32
//   dequantization (x - zp) * scale, float32 division by the output scale, round half to even,
//   saturation. So a table equals onnxruntime's float-emulated QDQ result wherever its float32
//   f agrees with the double f given here.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "tigris/support/status.h"

namespace tigris::passes {

// real ~= multiplier * 2^shift / 2^31.
struct QuantizedMultiplier {
  int32_t multiplier = 0;
  int32_t shift = 0;
  bool operator==(const QuantizedMultiplier&) const = default;
};

// TFLite QuantizeMultiplier (see the rounding notes above). Fails for NaN or infinity.
[[nodiscard]] Expected<QuantizedMultiplier> QuantizeMultiplier(double real);

// Conv / Gemm / MatMul output requantization per output channel:
// QuantizeMultiplier(x_scale * w_scales[c] / y_scale); w_scales of size 1 = per tensor.
// Fails unless every scale is finite and > 0.
[[nodiscard]] Expected<std::vector<QuantizedMultiplier>> QuantizeConvMultipliers(double x_scale,
                                                                                  std::span<const double> w_scales,
                                                                                  double y_scale);

// Add and Sub (TFLite; tgrs_add_s8 / tgrs_sub_s8 take the same params): left_shift 20; a, b
// rescaled to twice the larger input scale, the sum (difference) to y.
struct AddQuantParams {
  int32_t left_shift = 20;
  QuantizedMultiplier a, b, output;
};
[[nodiscard]] Expected<AddQuantParams> QuantizeAdd(double a_scale, double b_scale, double y_scale);

// Mul (TFLite): QuantizeMultiplier(a_scale * b_scale / y_scale).
[[nodiscard]] Expected<QuantizedMultiplier> QuantizeMul(double a_scale, double b_scale, double y_scale);

// Softmax (TFLite PreprocessSoftmaxScaling + CalculateInputRadius with 5 integer bits for the
// scaled differences): the multiplier of beta * x_scale * 2^26 capped at 2^31 - 1, its left
// shift (>= 0) and diff_min = -floor(31 * 2^26 / 2^left_shift).
struct SoftmaxQuantParams {
  int32_t input_mult = 0;
  int32_t input_left_shift = 0;
  int32_t diff_min = 0;
};
[[nodiscard]] Expected<SoftmaxQuantParams> QuantizeSoftmax(double beta, double x_scale);

// The int8 clamp [act_min, act_max] of a fused activation clipping the real output to [lo, hi]
// (Relu: 0, +inf; Relu6: 0, 6; Clip(a, b)); infinite bounds give -128 / 127. Fails for NaN bounds,
// lo > hi, or a bad scale / zero point.
struct ClampRange {
  int32_t min = -128;
  int32_t max = 127;
};
[[nodiscard]] Expected<ClampRange> QuantizedActivationRange(double lo, double hi, float y_scale, int32_t y_zp);

// One int8 value of a real value, as ONNX QuantizeLinear in float32 (see above); NaN -> zp.
int32_t QuantizeValueS8(double v, float scale, int32_t zp, int32_t qmin = -128, int32_t qmax = 127);

// 256-entry tables for the LUT kernel: entry i is the quantized f(dequantized input) for the
// input value i - 128 (int8; tgrs_lut_s8 indexes table[x + 128]) or i (uint8). A NaN result maps
// to the output zero point, infinities saturate. Fails for bad scales or zero points.
using UnaryFn = std::function<double(double)>;
[[nodiscard]] Expected<std::array<int8_t, 256>> BuildLutS8(float x_scale, int32_t x_zp, float y_scale, int32_t y_zp,
                                                           const UnaryFn& f);
[[nodiscard]] Expected<std::array<uint8_t, 256>> BuildLutU8(float x_scale, int32_t x_zp, float y_scale,
                                                            int32_t y_zp, const UnaryFn& f);

}  // namespace tigris::passes
