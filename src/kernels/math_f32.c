/* Reference f32 math ops: the math unary ops (Sqrt ... Mish), Pow with float or integer
 * exponents, PRelu and the variadic Max/Min/Sum/Mean, all with numpy broadcasting over strided
 * views. Single-precision libm only; every output element depends only on its own inputs and is
 * computed with the same operations in the same order wherever it lies, so any sub-range of the
 * output (a tile's strip) is bit-identical to the whole call. */
#include <math.h>
#include <string.h>

#include "ref_internal.h"
#include "tigris/kernels/ref_f32.h"

/* ---- Unary ------------------------------------------------------------------------------ */

/* Half to even, without depending on the FP environment's rounding mode (rintf would). */
static float round_half_even_f32(float x) {
  float r, d;
  if (!(fabsf(x) < 8388608.0f)) return x; /* |x| >= 2^23 is integral; also NaN and inf */
  r = floorf(x);
  d = x - r; /* exact: x and floor(x) are within 1 of each other below 2^23 */
  if (d > 0.5f || (d == 0.5f && fmodf(r, 2.0f) != 0.0f)) r += 1.0f;
  /* keep the sign of a negative value that rounds to zero (-0.4 -> -0, as rint does) */
  return r == 0.0f ? copysignf(0.0f, x) : r;
}

/* log(1 + exp(x)) without overflow for large x. */
static float softplus_f32(float x) { return x > 0.0f ? x + log1pf(expf(-x)) : log1pf(expf(x)); }

static float unary_math_f32(int32_t op, float x, float a, float b) {
  switch (op) {
    case TGRS_UNARY_SQRT:
      return sqrtf(x);
    case TGRS_UNARY_RECIPROCAL:
      return 1.0f / x;
    case TGRS_UNARY_ABS:
      return fabsf(x);
    case TGRS_UNARY_FLOOR:
      return floorf(x);
    case TGRS_UNARY_CEIL:
      return ceilf(x);
    case TGRS_UNARY_ROUND:
      return round_half_even_f32(x);
    case TGRS_UNARY_ELU:
      return x >= 0.0f ? x : a * (expf(x) - 1.0f);
    case TGRS_UNARY_SELU:
      return x > 0.0f ? b * x : b * (a * expf(x) - a);
    case TGRS_UNARY_CELU: {
      const float neg = a * (expf(x / a) - 1.0f);
      return (x > 0.0f ? x : 0.0f) + (neg < 0.0f ? neg : 0.0f);
    }
    case TGRS_UNARY_SOFTPLUS:
      return softplus_f32(x);
    case TGRS_UNARY_SOFTSIGN:
      return x / (1.0f + fabsf(x));
    case TGRS_UNARY_GELU:
      if (a != 0.0f) {
        /* sqrt(2/pi) */
        const float inner = 0.7978845608028654f * (x + 0.044715f * x * x * x);
        return 0.5f * x * (1.0f + tanhf(inner));
      }
      return 0.5f * x * (1.0f + erff(x * 0.70710678118654752f));
    case TGRS_UNARY_ERF:
      return erff(x);
    case TGRS_UNARY_MISH:
      return x * tanhf(softplus_f32(x));
    default:
      return x;
  }
}

void tgrs_unary_math_f32(int32_t op, const tgrs_tensor_t* xt, const tgrs_tensor_t* yt,
                         const tgrs_unary_params_t* p) {
  const float* x = (const float*)xt->data;
  float* y = (float*)yt->data;
  const float a = p != NULL ? p->a : 0.0f, b = p != NULL ? p->b : 0.0f;
  tgrs_loop_t l;
  int32_t i;
  tgrs_loop_init(&l, xt->rank, xt->dims, xt->strides, yt->strides, NULL);
  do {
    const float* xr = x + l.off[0];
    float* yr = y + l.off[1];
    const ptrdiff_t sx = l.step[0], sy = l.step[1];
    for (i = 0; i < l.inner; ++i) yr[i * sy] = unary_math_f32(op, xr[i * sx], a, b);
  } while (tgrs_loop_next(&l));
}

/* ---- Broadcasting helpers --------------------------------------------------------------- */

/* Strides of an operand aligned right to y's rank; 0 on broadcast (extent 1) and missing dims. */
static void aligned_strides(const tgrs_tensor_t* t, const tgrs_tensor_t* y, int32_t* strides) {
  int32_t d;
  for (d = 0; d < y->rank; ++d) {
    const int32_t src = d - (y->rank - t->rank);
    strides[d] = (src < 0 || t->dims[src] == 1) ? 0 : t->strides[src];
  }
}

/* ---- Pow -------------------------------------------------------------------------------- */

static float pow_f32(float x, float e) {
  if (e == 2.0f) return x * x;
  if (e == 3.0f) return x * x * x;
  return powf(x, e);
}

void tgrs_pow_f32(const tgrs_tensor_t* xt, const tgrs_tensor_t* et, const tgrs_tensor_t* yt) {
  const float* x = (const float*)xt->data;
  float* y = (float*)yt->data;
  int32_t sx[TGRS_MAX_RANK], se[TGRS_MAX_RANK];
  tgrs_loop_t l;
  int32_t i;
  aligned_strides(xt, yt, sx);
  aligned_strides(et, yt, se);
  tgrs_loop_init(&l, yt->rank, yt->dims, sx, se, yt->strides);
  do {
    const float* xr = x + l.off[0];
    float* yr = y + l.off[2];
    const ptrdiff_t ix = l.step[0], ie = l.step[1], iy = l.step[2];
    switch (et->dtype) {
      case TGRS_DTYPE_I32: {
        const int32_t* er = (const int32_t*)et->data + l.off[1];
        for (i = 0; i < l.inner; ++i) yr[i * iy] = pow_f32(xr[i * ix], (float)er[i * ie]);
        break;
      }
      case TGRS_DTYPE_I64: {
        const int64_t* er = (const int64_t*)et->data + l.off[1];
        for (i = 0; i < l.inner; ++i) yr[i * iy] = pow_f32(xr[i * ix], (float)er[i * ie]);
        break;
      }
      default: {
        const float* er = (const float*)et->data + l.off[1];
        for (i = 0; i < l.inner; ++i) yr[i * iy] = pow_f32(xr[i * ix], er[i * ie]);
        break;
      }
    }
  } while (tgrs_loop_next(&l));
}

/* ---- PRelu ------------------------------------------------------------------------------ */

void tgrs_prelu_f32(const tgrs_tensor_t* xt, const tgrs_tensor_t* st, const tgrs_tensor_t* yt) {
  const float* x = (const float*)xt->data;
  const float* s = (const float*)st->data;
  float* y = (float*)yt->data;
  int32_t sx[TGRS_MAX_RANK], ss[TGRS_MAX_RANK];
  tgrs_loop_t l;
  int32_t i;
  aligned_strides(xt, yt, sx);
  aligned_strides(st, yt, ss);
  tgrs_loop_init(&l, yt->rank, yt->dims, sx, ss, yt->strides);
  do {
    const float* xr = x + l.off[0];
    const float* sr = s + l.off[1];
    float* yr = y + l.off[2];
    const ptrdiff_t ix = l.step[0], is = l.step[1], iy = l.step[2];
    for (i = 0; i < l.inner; ++i) {
      const float v = xr[i * ix];
      yr[i * iy] = v > 0.0f ? v : v * sr[i * is];
    }
  } while (tgrs_loop_next(&l));
}

/* ---- Max / Min / Sum / Mean ------------------------------------------------------------- */

static float variadic_step_f32(int32_t op, float acc, float v) {
  switch (op) {
    case TGRS_VARIADIC_MAX:
      return acc < v ? v : acc;
    case TGRS_VARIADIC_MIN:
      return v < acc ? v : acc;
    default:
      return acc + v; /* Sum, Mean */
  }
}

/* Integers (Max/Min of int32/int64; Sum and Mean only so that every call check() accepts is
 * defined): sums wrap modulo 2^64 as unsigned arithmetic, never signed overflow. */
static int64_t variadic_step_i64(int32_t op, int64_t acc, int64_t v) {
  switch (op) {
    case TGRS_VARIADIC_MAX:
      return acc < v ? v : acc;
    case TGRS_VARIADIC_MIN:
      return v < acc ? v : acc;
    default: {
      const uint64_t s = (uint64_t)acc + (uint64_t)v;
      return s <= (uint64_t)INT64_MAX ? (int64_t)s : -(int64_t)(~s) - 1;
    }
  }
}

/* The row loop of one pass for element type T: y = a (first) or y = a op b, then the Mean's
 * division by `div` (1: none). */
#define TGRS_VARIADIC_ROW_(T, STEP)                                                        \
  do {                                                                                     \
    const T* ar = (const T*)at->data + l.off[0];                                           \
    const T* br = (const T*)b + l.off[1];                                                  \
    T* yr = (T*)yt->data + l.off[2];                                                       \
    for (i = 0; i < l.inner; ++i) {                                                        \
      T v = first ? ar[i * l.step[0]] : (T)STEP(op, ar[i * l.step[0]], br[i * l.step[1]]); \
      if (div != 1) v = (T)(v / (T)div);                                                   \
      yr[i * l.step[2]] = v;                                                               \
    }                                                                                      \
  } while (0)

/* One pass over y's index space: y = a (first, n == 1) or y = a op b, where a may be y itself
 * (then b is folded into the running result). */
static void variadic_pass(int32_t op, const tgrs_tensor_t* at, const tgrs_tensor_t* bt,
                          const tgrs_tensor_t* yt, int first, int32_t div) {
  const void* b = bt != NULL ? bt->data : at->data;
  int32_t sa[TGRS_MAX_RANK], sb[TGRS_MAX_RANK];
  tgrs_loop_t l;
  int32_t i;
  aligned_strides(at, yt, sa);
  aligned_strides(bt != NULL ? bt : at, yt, sb);
  tgrs_loop_init(&l, yt->rank, yt->dims, sa, sb, yt->strides);
  do {
    switch (yt->dtype) {
      case TGRS_DTYPE_I32:
        TGRS_VARIADIC_ROW_(int32_t, variadic_step_i64);
        break;
      case TGRS_DTYPE_I64:
        TGRS_VARIADIC_ROW_(int64_t, variadic_step_i64);
        break;
      default:
        TGRS_VARIADIC_ROW_(float, variadic_step_f32);
        break;
    }
  } while (tgrs_loop_next(&l));
}

void tgrs_variadic(int32_t op, const tgrs_tensor_t* xs, int32_t n, const tgrs_tensor_t* yt) {
  int32_t k;
  const int32_t div = op == TGRS_VARIADIC_MEAN ? n : 1;
  if (n == 1) {
    variadic_pass(op, &xs[0], NULL, yt, 1, div);
    return;
  }
  /* y = x0 op x1, then y = y op x_k: each output element folds its inputs in input order;
   * Mean divides once, in the last pass. */
  variadic_pass(op, &xs[0], &xs[1], yt, 0, n == 2 ? div : 1);
  for (k = 2; k < n; ++k) variadic_pass(op, yt, &xs[k], yt, 0, k == n - 1 ? div : 1);
}
