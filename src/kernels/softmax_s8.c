/* Reference int8 Softmax over one axis with TFLite's integer algorithm (the one CMSIS-NN's
 * arm_softmax_s8 reproduces): per line, the differences to the line's max are scaled by
 * beta * x_scale into Q5.26 (diff_min drops those whose exp rounds to 0), exponentiated with
 * gemmlowp's fixed-point exp_on_negative_values (Q0.31), summed in Q12.19, and multiplied by a
 * fixed-point reciprocal of the sum (Newton-Raphson, gemmlowp's one_over_one_plus_x_for_x_in_0_1).
 * Output scale 1/256, zero point -128. Every line is computed on its own. Integer-only. */
#include "ref_s8_internal.h"

/* gemmlowp SaturatingRoundingMultiplyByPOT<e> for e > 0: x * 2^e saturated to int32. */
static int32_t sat_mul_pot(int32_t x, int32_t e) {
  const int32_t threshold = (int32_t)(((int64_t)1 << (31 - e)) - 1);
  if (x > threshold) return INT32_MAX;
  if (x < -threshold) return INT32_MIN;
  return (int32_t)((int64_t)x * ((int64_t)1 << e));
}

/* exp(a) for a in [-1/4, 0) in Q0.31: Taylor expansion around -1/8. */
static int32_t exp_on_interval_between_negative_one_quarter_and_0_excl(int32_t a) {
  const int32_t exp_minus_one_eighth = 1895147668; /* exp(-1/8) in Q0.31 */
  const int32_t one_third = 715827883;             /* 1/3 in Q0.31 */
  const int32_t x = a + (1 << 28);                 /* a + 1/8 */
  const int32_t x2 = tgrs_s8_srdhm(x, x);
  const int32_t x3 = tgrs_s8_srdhm(x2, x);
  const int32_t x4 = tgrs_s8_srdhm(x2, x2);
  const int32_t x4_over_4 = tgrs_s8_rdbpot(x4, 2);
  const int32_t poly = tgrs_s8_rdbpot(tgrs_s8_srdhm(x4_over_4 + x3, one_third) + x2, 1);
  return exp_minus_one_eighth + tgrs_s8_srdhm(exp_minus_one_eighth, x + poly);
}

/* exp(a) for a <= 0 given in Q5.26, result in Q0.31: exp of a mod 1/4 on the interval above,
 * times exp(-2^k) for every bit k of the remainder (a barrel shifter over k = -2..4). */
static int32_t exp_on_negative_values(int32_t a) {
  static const int32_t exp_minus_pow2[7] = {1672461947, 1302514674, 790015084, 290630308,
                                            39332535,   720401,     242}; /* exp(-2^k), k = -2..4 */
  const int32_t one_quarter = 1 << 24;
  const int32_t a_mod_quarter_minus_quarter = (a & (one_quarter - 1)) - one_quarter;
  const int32_t remainder = a_mod_quarter_minus_quarter - a;
  /* Q5.26 -> Q0.31: a value in [-2^24, 0) times 32, no saturation possible */
  int32_t result = exp_on_interval_between_negative_one_quarter_and_0_excl(a_mod_quarter_minus_quarter * 32);
  int32_t k;
  for (k = 0; k < 7; ++k) {
    if (remainder & (1 << (24 + k))) result = tgrs_s8_srdhm(result, exp_minus_pow2[k]);
  }
  return a == 0 ? INT32_MAX : result;
}

/* 1 / (1 + x) for x in [0, 1) in Q0.31, result in Q0.31 (Newton-Raphson in Q2.29). */
static int32_t one_over_one_plus_x_for_x_in_0_1(int32_t a) {
  const int64_t sum = (int64_t)a + INT32_MAX;
  const int32_t half_denominator = (int32_t)((sum + (sum >= 0 ? 1 : -1)) / 2); /* RoundingHalfSum(a, 1) */
  const int32_t c48_17 = 1515870810, cm32_17 = -1010580540;                      /* 48/17, -32/17 in Q2.29 */
  int32_t x = c48_17 + tgrs_s8_srdhm(half_denominator, cm32_17), i;
  for (i = 0; i < 3; ++i) {
    const int32_t one_minus = (1 << 29) - tgrs_s8_srdhm(half_denominator, x);
    x = x + sat_mul_pot(tgrs_s8_srdhm(x, one_minus), 2);
  }
  return sat_mul_pot(x, 1);
}

static int32_t clz32(uint32_t v) {
  int32_t n = 0;
  if (v == 0) return 32;
  while (!(v & 0x80000000u)) {
    v <<= 1;
    ++n;
  }
  return n;
}

/* diff * 2^left_shift; check() bounds |diff| <= min(255, -diff_min) so that it fits int32. */
static int32_t scale_diff(int32_t diff, int32_t left_shift) {
  return (int32_t)((int64_t)diff * ((int64_t)1 << left_shift));
}

/* One line of `len` elements at strides sx / sy. */
static void softmax_line(const int8_t* x, ptrdiff_t sx, int8_t* y, ptrdiff_t sy, int32_t len,
                         const tgrs_softmax_s8_params_t* p) {
  int32_t mx = -128, sum = 0, a, headroom, bits_over_unit, scale;
  for (a = 0; a < len; ++a) {
    if (x[a * sx] > mx) mx = x[a * sx];
  }
  for (a = 0; a < len; ++a) {
    const int32_t diff = (int32_t)x[a * sx] - mx;
    if (diff >= p->diff_min) {
      const int32_t scaled = tgrs_s8_srdhm(scale_diff(diff, p->input_left_shift), p->input_mult);
      sum += tgrs_s8_rdbpot(exp_on_negative_values(scaled), 12); /* Q0.31 -> Q12.19 */
    }
  }
  /* reciprocal of the sum (> 0: the max itself contributes 1.0): 1/(1+x) of its mantissa */
  headroom = clz32((uint32_t)sum);
  scale = one_over_one_plus_x_for_x_in_0_1((int32_t)(((uint32_t)sum << headroom) - 0x80000000u));
  bits_over_unit = (12 - headroom) + 31 - 8;
  for (a = 0; a < len; ++a) {
    const int32_t diff = (int32_t)x[a * sx] - mx;
    int32_t v = -128;
    if (diff >= p->diff_min) {
      const int32_t scaled = tgrs_s8_srdhm(scale_diff(diff, p->input_left_shift), p->input_mult);
      const int32_t prod = tgrs_s8_srdhm(scale, exp_on_negative_values(scaled));
      /* TFLite shifts by up to 34 here (undefined in C); a product < 2^31 divided by 2^32 or
       * more rounds to 0 */
      v = (bits_over_unit > 31 ? 0 : tgrs_s8_rdbpot(prod, bits_over_unit)) - 128;
      v = tgrs_s8_clamp(v, -128, 127);
    }
    y[a * sy] = (int8_t)v;
  }
}

void tgrs_softmax_s8(const tgrs_tensor_t* xt, const tgrs_tensor_t* yt, const tgrs_softmax_s8_params_t* p) {
  const int8_t* x = (const int8_t*)xt->data;
  int8_t* y = (int8_t*)yt->data;
  int32_t dims[TGRS_MAX_RANK], sx[TGRS_MAX_RANK], sy[TGRS_MAX_RANK];
  const int32_t axis = p->axis;
  tgrs_loop_t l;
  int32_t d, r = 0, i;
  for (d = 0; d < xt->rank; ++d) {
    if (d == axis) continue;
    dims[r] = xt->dims[d];
    sx[r] = xt->strides[d];
    sy[r] = yt->strides[d];
    ++r;
  }
  tgrs_loop_init(&l, r, dims, sx, sy, NULL);
  do {
    for (i = 0; i < l.inner; ++i)
      softmax_line(x + l.off[0] + i * l.step[0], xt->strides[axis], y + l.off[1] + i * l.step[1], yt->strides[axis],
                   xt->dims[axis], p);
  } while (tgrs_loop_next(&l));
}

tgrs_status_t tgrs_softmax_s8_check(const tgrs_kernel_call_t* call) {
  const tgrs_softmax_s8_params_t* p;
  const tgrs_tensor_t *x, *y;
  int64_t lim;
  tgrs_status_t st = tgrs_s8_check_call(call, 1, 1, 1, sizeof(tgrs_softmax_s8_params_t));
  if (st != TGRS_OK) return st;
  p = (const tgrs_softmax_s8_params_t*)call->params;
  x = &call->inputs[0];
  y = &call->outputs[0];
  if (!tgrs_s8_view_ok(x, TGRS_DTYPE_I8, 1, TGRS_MAX_RANK) || !tgrs_s8_view_ok(y, TGRS_DTYPE_I8, 1, TGRS_MAX_RANK) ||
      !tgrs_s8_same_dims(x, y))
    return TGRS_ERR_CORRUPT;
  if (p->axis < 0 || p->axis >= x->rank || x->dims[p->axis] > TGRS_S8_MAX_SOFTMAX_LEN) return TGRS_ERR_CORRUPT;
  /* the scaled differences that are exponentiated, diff * 2^left_shift for the diffs in
   * [max(-255, diff_min), 0], fit int32 and stay <= 0 */
  if (p->input_mult < 0 || p->input_left_shift < 0 || p->input_left_shift > 31 || p->diff_min > 0)
    return TGRS_ERR_CORRUPT;
  lim = p->diff_min < -255 ? 255 : -(int64_t)p->diff_min;
  if (lim * ((int64_t)1 << p->input_left_shift) > ((int64_t)1 << 31)) return TGRS_ERR_CORRUPT;
  return TGRS_OK;
}

void tgrs_softmax_s8_run(const tgrs_kernel_call_t* call) {
  tgrs_softmax_s8(&call->inputs[0], &call->outputs[0], (const tgrs_softmax_s8_params_t*)call->params);
}
