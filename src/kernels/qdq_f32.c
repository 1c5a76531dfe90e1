/* QuantizeLinear (f32 -> i8/u8) and DequantizeLinear (i8/u8 -> f32) per tensor over strided
 * views: the only int8-path kernels with float arithmetic (the boundary between a float model
 * part and the integer kernels), so tools/check_cortex_m.sh exempts this file from the
 * no-float check. Single precision, no libm: round-half-to-even is done by hand. */
#include "ref_s8_internal.h"

/* round_half_even(v) + zp saturated to [lo, hi]; NaN -> zp. */
static int32_t quantize_one(float v, int32_t zp, int32_t lo, int32_t hi) {
  int32_t t;
  float frac;
  if (v != v) return tgrs_s8_clamp(zp, lo, hi);
  /* beyond +-512 every zero point saturates; clamping first keeps the conversion defined */
  if (v > 512.0f) v = 512.0f;
  if (v < -512.0f) v = -512.0f;
  t = (int32_t)v; /* toward zero, exact */
  frac = v - (float)t;
  if (frac > 0.5f || (frac == 0.5f && (t & 1))) ++t;
  if (frac < -0.5f || (frac == -0.5f && (t & 1))) --t;
  return tgrs_s8_clamp(t + zp, lo, hi);
}

void tgrs_quantize_f32_s8(const tgrs_tensor_t* xt, const tgrs_tensor_t* yt, const tgrs_qdq_params_t* p) {
  const float* x = (const float*)xt->data;
  const int is_u8 = yt->dtype == TGRS_DTYPE_U8;
  const int32_t lo = is_u8 ? 0 : -128, hi = is_u8 ? 255 : 127;
  tgrs_loop_t l;
  int32_t i;
  tgrs_loop_init(&l, xt->rank, xt->dims, xt->strides, yt->strides, NULL);
  do {
    const float* xr = x + l.off[0];
    for (i = 0; i < l.inner; ++i) {
      const int32_t q = quantize_one(xr[i * l.step[0]] / p->scale, p->zero_point, lo, hi);
      if (is_u8) {
        ((uint8_t*)yt->data)[l.off[1] + i * l.step[1]] = (uint8_t)q;
      } else {
        ((int8_t*)yt->data)[l.off[1] + i * l.step[1]] = (int8_t)q;
      }
    }
  } while (tgrs_loop_next(&l));
}

void tgrs_dequantize_s8_f32(const tgrs_tensor_t* xt, const tgrs_tensor_t* yt, const tgrs_qdq_params_t* p) {
  float* y = (float*)yt->data;
  const int is_u8 = xt->dtype == TGRS_DTYPE_U8;
  tgrs_loop_t l;
  int32_t i;
  tgrs_loop_init(&l, xt->rank, xt->dims, xt->strides, yt->strides, NULL);
  do {
    float* yr = y + l.off[1];
    for (i = 0; i < l.inner; ++i) {
      const ptrdiff_t xo = l.off[0] + i * l.step[0];
      const int32_t q = is_u8 ? (int32_t)((const uint8_t*)xt->data)[xo] : (int32_t)((const int8_t*)xt->data)[xo];
      yr[i * l.step[1]] = (float)(q - p->zero_point) * p->scale;
    }
  } while (tgrs_loop_next(&l));
}

/* scale finite > 0, zero point in the quantized type's range, same dims. */
static tgrs_status_t check_qdq(const tgrs_kernel_call_t* call, int quantize) {
  const tgrs_qdq_params_t* p;
  const tgrs_tensor_t *x, *y, *q;
  int32_t qdt;
  tgrs_status_t st = tgrs_s8_check_call(call, 1, 1, 1, sizeof(tgrs_qdq_params_t));
  if (st != TGRS_OK) return st;
  p = (const tgrs_qdq_params_t*)call->params;
  x = &call->inputs[0];
  y = &call->outputs[0];
  q = quantize ? y : x;
  qdt = q->dtype;
  if (qdt != TGRS_DTYPE_I8 && qdt != TGRS_DTYPE_U8) return TGRS_ERR_CORRUPT;
  if (!tgrs_s8_view_ok(x, quantize ? TGRS_DTYPE_F32 : qdt, 0, TGRS_MAX_RANK) ||
      !tgrs_s8_view_ok(y, quantize ? qdt : TGRS_DTYPE_F32, 0, TGRS_MAX_RANK) || !tgrs_s8_same_dims(x, y))
    return TGRS_ERR_CORRUPT;
  if (!(p->scale > 0.0f) || p->scale > 3.0e38f) return TGRS_ERR_CORRUPT;
  if (qdt == TGRS_DTYPE_U8 ? (p->zero_point < 0 || p->zero_point > 255) : !tgrs_s8_zp_ok(p->zero_point))
    return TGRS_ERR_CORRUPT;
  return TGRS_OK;
}

tgrs_status_t tgrs_quantize_f32_s8_check(const tgrs_kernel_call_t* call) { return check_qdq(call, 1); }
tgrs_status_t tgrs_dequantize_s8_f32_check(const tgrs_kernel_call_t* call) { return check_qdq(call, 0); }

void tgrs_quantize_f32_s8_run(const tgrs_kernel_call_t* call) {
  tgrs_quantize_f32_s8(&call->inputs[0], &call->outputs[0], (const tgrs_qdq_params_t*)call->params);
}

void tgrs_dequantize_s8_f32_run(const tgrs_kernel_call_t* call) {
  tgrs_dequantize_s8_f32(&call->inputs[0], &call->outputs[0], (const tgrs_qdq_params_t*)call->params);
}
