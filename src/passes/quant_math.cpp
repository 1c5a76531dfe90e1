// Host-side quantization math for the int8 kernels: TFLite's QuantizeMultiplier and the per-op
// parameters derived from it, and ONNX-QuantizeLinear-exact lookup tables. Rounding choices are
// listed in quant_math.h.
#include "tigris/passes/quant_math.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

namespace tigris::passes {
namespace {

// double -> float with IEEE overflow to +-inf (a C++ conversion out of float's range is undefined).
float ToFloat(double v) {
  constexpr double kMax = std::numeric_limits<float>::max();
  constexpr double kHalfUlp = 0x1p103;  // below FLT_MAX + half an ulp, rounding gives FLT_MAX
  if (v > kMax) return v < kMax + kHalfUlp ? std::numeric_limits<float>::max() : std::numeric_limits<float>::infinity();
  if (v < -kMax) return v > -kMax - kHalfUlp ? -std::numeric_limits<float>::max() : -std::numeric_limits<float>::infinity();
  return static_cast<float>(v);
}

bool ScaleOk(double s) { return std::isfinite(s) && s > 0.0; }
bool ZeroPointOk(int32_t zp, int32_t qmin, int32_t qmax) { return zp >= qmin && zp <= qmax; }

Status BadScale(const char* what, double s) {
  return InvalidArgument(std::string("quantization: ") + what + " " + std::to_string(s) +
                         " is not a finite positive scale");
}

// ONNX QuantizeLinear in float32 as onnxruntime computes it: y = v / scale in float32 (a double
// quotient rounded to float is the correctly rounded float quotient), nearbyint (ties to even in
// the default rounding mode), + zp, saturated.
int32_t QuantizeF32(float v, float scale, int32_t zp, int32_t qmin, int32_t qmax) {
  if (std::isnan(v)) return std::clamp(zp, qmin, qmax);
  const float q = ToFloat(static_cast<double>(v) / static_cast<double>(scale));
  if (std::isnan(q)) return std::clamp(zp, qmin, qmax);
  // saturate before converting so huge values and infinities stay defined
  const double r = std::nearbyint(static_cast<double>(q)) + zp;
  if (r <= qmin) return qmin;
  if (r >= qmax) return qmax;
  return static_cast<int32_t>(r);
}

template <class T>
Expected<std::array<T, 256>> BuildLut(float x_scale, int32_t x_zp, float y_scale, int32_t y_zp, const UnaryFn& f,
                                      int32_t qmin, int32_t qmax) {
  if (!ScaleOk(x_scale)) return BadScale("LUT input scale", x_scale);
  if (!ScaleOk(y_scale)) return BadScale("LUT output scale", y_scale);
  if (!ZeroPointOk(x_zp, qmin, qmax) || !ZeroPointOk(y_zp, qmin, qmax))
    return InvalidArgument("quantization: LUT zero point " + std::to_string(x_zp) + " / " + std::to_string(y_zp) +
                           " outside [" + std::to_string(qmin) + ", " + std::to_string(qmax) + "]");
  if (!f) return InvalidArgument("quantization: LUT without a function");
  std::array<T, 256> table{};
  for (int32_t i = 0; i < 256; ++i) {
    const int32_t q = qmin + i;
    // onnxruntime's float32 DequantizeLinear: (q - zp) * scale rounded once to float (the double
    // product of a 9-bit integer and a float is exact)
    const float x = ToFloat(static_cast<double>(q - x_zp) * static_cast<double>(x_scale));
    const double y = f(static_cast<double>(x));
    const float yf = std::isnan(y) ? std::numeric_limits<float>::quiet_NaN() : ToFloat(y);
    table[static_cast<size_t>(i)] = static_cast<T>(QuantizeF32(yf, y_scale, y_zp, qmin, qmax));
  }
  return table;
}

}  // namespace

Expected<QuantizedMultiplier> QuantizeMultiplier(double real) {
  if (!std::isfinite(real)) return InvalidArgument("quantization: multiplier " + std::to_string(real) + " is not finite");
  if (real == 0.0) return QuantizedMultiplier{};
  if (real < 0.0) {
    QuantizedMultiplier m = QuantizeMultiplier(-real).value();
    m.multiplier = -m.multiplier;
    return m;
  }
  int exponent = 0;
  const double q = std::frexp(real, &exponent);  // real = q * 2^exponent, q in [0.5, 1)
  int64_t q_fixed = static_cast<int64_t>(std::round(q * static_cast<double>(int64_t{1} << 31)));
  if (q_fixed == (int64_t{1} << 31)) {  // q rounded up to 1.0
    q_fixed /= 2;
    ++exponent;
  }
  if (exponent < -31) return QuantizedMultiplier{};  // every bit would be shifted out: flush to 0
  if (exponent > 30) return QuantizedMultiplier{std::numeric_limits<int32_t>::max(), 30};
  return QuantizedMultiplier{static_cast<int32_t>(q_fixed), exponent};
}

Expected<std::vector<QuantizedMultiplier>> QuantizeConvMultipliers(double x_scale, std::span<const double> w_scales,
                                                                   double y_scale) {
  if (!ScaleOk(x_scale)) return BadScale("input scale", x_scale);
  if (!ScaleOk(y_scale)) return BadScale("output scale", y_scale);
  if (w_scales.empty()) return InvalidArgument("quantization: no weight scales");
  std::vector<QuantizedMultiplier> out;
  out.reserve(w_scales.size());
  for (double ws : w_scales) {
    if (!ScaleOk(ws)) return BadScale("weight scale", ws);
    TIGRIS_ASSIGN_OR_RETURN(QuantizedMultiplier m, QuantizeMultiplier(x_scale * ws / y_scale));
    out.push_back(m);
  }
  return out;
}

Expected<AddQuantParams> QuantizeAdd(double a_scale, double b_scale, double y_scale) {
  if (!ScaleOk(a_scale)) return BadScale("Add input A scale", a_scale);
  if (!ScaleOk(b_scale)) return BadScale("Add input B scale", b_scale);
  if (!ScaleOk(y_scale)) return BadScale("Add output scale", y_scale);
  AddQuantParams p;
  p.left_shift = 20;
  const double twice_max = 2.0 * std::max(a_scale, b_scale);
  TIGRIS_ASSIGN_OR_RETURN(p.a, QuantizeMultiplier(a_scale / twice_max));
  TIGRIS_ASSIGN_OR_RETURN(p.b, QuantizeMultiplier(b_scale / twice_max));
  TIGRIS_ASSIGN_OR_RETURN(p.output, QuantizeMultiplier(twice_max / (double(int64_t{1} << p.left_shift) * y_scale)));
  return p;
}

Expected<QuantizedMultiplier> QuantizeMul(double a_scale, double b_scale, double y_scale) {
  if (!ScaleOk(a_scale)) return BadScale("Mul input A scale", a_scale);
  if (!ScaleOk(b_scale)) return BadScale("Mul input B scale", b_scale);
  if (!ScaleOk(y_scale)) return BadScale("Mul output scale", y_scale);
  return QuantizeMultiplier(a_scale * b_scale / y_scale);
}

Expected<SoftmaxQuantParams> QuantizeSoftmax(double beta, double x_scale) {
  constexpr int kScaledDiffIntegerBits = 5;
  if (!ScaleOk(x_scale)) return BadScale("Softmax input scale", x_scale);
  if (!std::isfinite(beta) || beta <= 0.0)
    return InvalidArgument("quantization: Softmax beta " + std::to_string(beta) + " must be finite and > 0");
  const double max_real = double(int64_t{1} << 31) - 1.0;
  const double real = std::min(beta * x_scale * double(int64_t{1} << (31 - kScaledDiffIntegerBits)), max_real);
  if (!(real > 1.0))
    return Unsupported("quantization: Softmax beta * input scale " + std::to_string(beta * x_scale) +
                       " is below 2^-26 (TFLite's integer Softmax needs a multiplier > 1)");
  TIGRIS_ASSIGN_OR_RETURN(QuantizedMultiplier m, QuantizeMultiplier(real));
  SoftmaxQuantParams p;
  p.input_mult = m.multiplier;
  p.input_left_shift = m.shift;
  // CalculateInputRadius(5, left_shift, 31): the largest |diff| whose rescaled value still fits
  const double radius = double((int64_t{1} << kScaledDiffIntegerBits) - 1) *
                        double(int64_t{1} << (31 - kScaledDiffIntegerBits)) / double(int64_t{1} << p.input_left_shift);
  p.diff_min = -static_cast<int32_t>(std::floor(radius));
  return p;
}

Expected<ClampRange> QuantizedActivationRange(double lo, double hi, float y_scale, int32_t y_zp) {
  if (!ScaleOk(y_scale)) return BadScale("output scale", y_scale);
  if (!ZeroPointOk(y_zp, -128, 127)) return InvalidArgument("quantization: zero point " + std::to_string(y_zp));
  if (std::isnan(lo) || std::isnan(hi) || lo > hi) return InvalidArgument("quantization: bad clamp bounds");
  ClampRange r;
  r.min = lo == -std::numeric_limits<double>::infinity() ? -128 : QuantizeValueS8(lo, y_scale, y_zp);
  r.max = hi == std::numeric_limits<double>::infinity() ? 127 : QuantizeValueS8(hi, y_scale, y_zp);
  return r;
}

int32_t QuantizeValueS8(double v, float scale, int32_t zp, int32_t qmin, int32_t qmax) {
  return QuantizeF32(std::isnan(v) ? std::numeric_limits<float>::quiet_NaN() : ToFloat(v), scale, zp, qmin, qmax);
}

Expected<std::array<int8_t, 256>> BuildLutS8(float x_scale, int32_t x_zp, float y_scale, int32_t y_zp,
                                             const UnaryFn& f) {
  return BuildLut<int8_t>(x_scale, x_zp, y_scale, y_zp, f, -128, 127);
}

Expected<std::array<uint8_t, 256>> BuildLutU8(float x_scale, int32_t x_zp, float y_scale, int32_t y_zp,
                                              const UnaryFn& f) {
  return BuildLut<uint8_t>(x_scale, x_zp, y_scale, y_zp, f, 0, 255);
}

}  // namespace tigris::passes
