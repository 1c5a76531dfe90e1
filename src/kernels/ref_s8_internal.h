/* Internal helpers of the int8 kernels (not installed): the gemmlowp/TFLite fixed-point
 * primitives as static inline functions, written with only well-defined C99 integer operations
 * (no right shift of negative values, no signed overflow), and the check() helpers shared by the
 * *_s8.c files. Integer-only: no float or double here. */
#ifndef TIGRIS_SRC_KERNELS_REF_S8_INTERNAL_H
#define TIGRIS_SRC_KERNELS_REF_S8_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "ref_internal.h"
#include "tigris/kernels/ref_s8.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Taps (or k terms) per output: |sum| <= 32768 * 255 * 255 < 2^31, so int32 accumulation of
 * (x - zp)(w - wzp) products never overflows. */
#define TGRS_S8_MAX_TAPS 32768
/* GlobalAveragePool count: |sum of (x - zp)| <= 2^23 * 255 < 2^31. */
#define TGRS_S8_MAX_COUNT (1 << 23)
/* Softmax line length: the Q12.19 sum of exps (each <= 2^19) stays below 2^31. */
#define TGRS_S8_MAX_SOFTMAX_LEN 4095

/* floor(x / 2^e) for 0 <= e <= 31 without shifting a negative value. */
static inline int32_t tgrs_s8_asr(int32_t x, int32_t e) { return x >= 0 ? (x >> e) : ~(~x >> e); }

static inline int32_t tgrs_s8_clamp(int32_t v, int32_t lo, int32_t hi) { return v < lo ? lo : (v > hi ? hi : v); }

static inline int32_t tgrs_s8_sat32(int64_t v) {
  return v > INT32_MAX ? INT32_MAX : (v < INT32_MIN ? INT32_MIN : (int32_t)v);
}

/* gemmlowp SaturatingRoundingDoublingHighMul: a * b / 2^31 rounded half up (the nudge makes a
 * negative tie round toward zero). */
static inline int32_t tgrs_s8_srdhm(int32_t a, int32_t b) {
  int64_t v;
  if (a == INT32_MIN && b == INT32_MIN) return INT32_MAX;
  v = (int64_t)a * (int64_t)b;
  /* (v + nudge) / 2^31 truncated toward zero, as two shifts of non-negative values */
  if (v >= 0) return (int32_t)((v + ((int64_t)1 << 30)) >> 31);
  return (int32_t)(-((-v + ((int64_t)1 << 30) - 1) >> 31));
}

/* gemmlowp RoundingDivideByPOT: x / 2^e rounded to nearest, ties away from zero; 0 <= e <= 31. */
static inline int32_t tgrs_s8_rdbpot(int32_t x, int32_t e) {
  const int32_t mask = (int32_t)(((int64_t)1 << e) - 1);
  const int32_t remainder = x & mask;
  const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return tgrs_s8_asr(x, e) + (remainder > threshold ? 1 : 0);
}

/* Shift of a (multiplier, shift) pair as stored in tensors, clamped to what QuantizeMultiplier
 * produces. */
static inline int32_t tgrs_s8_shift_ok(int32_t shift) { return tgrs_s8_clamp(shift, -31, 30); }

/* TFLite MultiplyByQuantizedMultiplier (double rounding); the left shift saturates. `shift`
 * must be in [-31, 30]. */
static inline int32_t tgrs_s8_requant(int32_t x, int32_t mult, int32_t shift) {
  if (shift > 0) return tgrs_s8_srdhm(tgrs_s8_sat32((int64_t)x * ((int64_t)1 << shift)), mult);
  return tgrs_s8_rdbpot(tgrs_s8_srdhm(x, mult), -shift);
}

/* TFLite's rounded integer average (pools, Mean): (acc + n/2) / n for acc > 0, else
 * (acc - n/2) / n, truncating, i.e. ties away from zero; n > 0. Computed from the int32 quotient
 * and remainder so nothing can overflow (and no 64-bit division is needed). */
static inline int32_t tgrs_s8_div_round(int32_t acc, int32_t n) {
  const int32_t q = acc / n, r = acc % n, half_up = n - n / 2;
  if (acc > 0) return q + (r >= half_up ? 1 : 0);
  return q - (-r >= half_up ? 1 : 0);
}

/* ---- check() helpers (check_s8.c) ---- */

/* Element count of a valid view (rank 0..MAX, dims > 0, <= INT32_MAX/2 bytes, strides >= 0,
 * span <= INT32_MAX/2 elements), or -1. */
int64_t tgrs_s8_count(const tgrs_tensor_t* t);
/* Valid view of `dtype` with rank in [min_rank, max_rank]. */
int tgrs_s8_view_ok(const tgrs_tensor_t* t, int32_t dtype, int32_t min_rank, int32_t max_rank);
int tgrs_s8_same_dims(const tgrs_tensor_t* a, const tgrs_tensor_t* b);
/* Counts, arrays and exact params size; TGRS_OK or the error. */
tgrs_status_t tgrs_s8_check_call(const tgrs_kernel_call_t* call, int32_t min_in, int32_t max_in, int32_t n_out,
                                 uint32_t params_size);
/* Input i is passed with a nonzero dtype (check) / and data (run). */
int tgrs_s8_present(const tgrs_kernel_call_t* call, int32_t i);
const tgrs_tensor_t* tgrs_s8_optional(const tgrs_kernel_call_t* call, int32_t i);
int tgrs_s8_zp_ok(int32_t zp);
int tgrs_s8_clamp_ok(int32_t act_min, int32_t act_max);
/* Optional per-channel vector: absent, or i32 rank 1 of 1 or n elements. */
int tgrs_s8_channel_vec_ok(const tgrs_kernel_call_t* call, int32_t i, int32_t n);
/* Required requantization table: i32 [1 or n, 2]. */
int tgrs_s8_rq_ok(const tgrs_tensor_t* t, int32_t n);
/* Spatial window params as the f32 conv/pool check: positive kernel/stride/dilation, pads >= 0,
 * rank 3 with neutral H, bounded values and extents. */
int tgrs_s8_window_ok(int32_t rank, int32_t kh, int32_t kw, int32_t sh, int32_t sw, int32_t dh, int32_t dw,
                      int32_t pt, int32_t pl, int32_t pb, int32_t pr);
/* Output length of a conv (floor) or pool (floor/ceil/onnxruntime ceil, one-window strip). */
int tgrs_s8_conv_len_ok(int64_t out, int64_t in, int64_t k, int64_t s, int64_t d, int64_t pb, int64_t pe);
int tgrs_s8_pool_len_ok(int64_t out, int64_t in, int64_t k, int64_t s, int64_t d, int64_t pb, int64_t pe);
/* numpy broadcasting of a and b to y. */
int tgrs_s8_broadcast_ok(const tgrs_tensor_t* a, const tgrs_tensor_t* b, const tgrs_tensor_t* y);
/* Accumulation flags/count (as the f32 global pools). */
int tgrs_s8_acc_ok(int32_t flags, int32_t count, int64_t reduced_here);

/* ---- run() helpers ---- */

/* Element stride of dim d of t for broadcasting: 0 when the dim has extent 1. */
static inline ptrdiff_t tgrs_s8_bstride(const tgrs_tensor_t* t, int32_t d) {
  return t->dims[d] == 1 ? 0 : (ptrdiff_t)t->strides[d];
}

/* Per-channel requantization and weight zero point of channel m, sanitized. */
typedef struct {
  int32_t mult, shift, wzp;
} tgrs_s8_chan_t;

static inline tgrs_s8_chan_t tgrs_s8_chan(const tgrs_tensor_t* rq, const tgrs_tensor_t* wzp, int32_t m) {
  tgrs_s8_chan_t c;
  const int32_t* r = (const int32_t*)rq->data + (ptrdiff_t)m * tgrs_s8_bstride(rq, 0);
  c.mult = r[0];
  c.shift = tgrs_s8_shift_ok(r[rq->strides[1]]);
  c.wzp = 0;
  if (wzp != NULL) c.wzp = tgrs_s8_clamp(((const int32_t*)wzp->data)[(ptrdiff_t)m * tgrs_s8_bstride(wzp, 0)], -128, 127);
  return c;
}

static inline int32_t tgrs_s8_bias(const tgrs_tensor_t* bias, int32_t m) {
  return bias != NULL ? ((const int32_t*)bias->data)[(ptrdiff_t)m * tgrs_s8_bstride(bias, 0)] : 0;
}

/* The final step of conv/gemm/matmul: acc + bias (saturated), requantized, offset, clamped. */
static inline int8_t tgrs_s8_output(int32_t acc, int32_t bias, const tgrs_s8_chan_t* c, int32_t zp, int32_t lo,
                                    int32_t hi) {
  const int32_t v = tgrs_s8_requant(tgrs_s8_sat32((int64_t)acc + bias), c->mult, c->shift);
  return (int8_t)tgrs_s8_clamp(tgrs_s8_sat32((int64_t)v + zp), lo, hi);
}

#ifdef __cplusplus
}
#endif
#endif
