/* Reference int8 pooling over strided views: MaxPool and AveragePool (TFLite's integer rounding,
 * onnxruntime's divisors incl. count_include_pad and ceil mode), GlobalAveragePool (TFLite's
 * integer Mean) and GlobalMaxPool, the global ones accumulable over strips (tgrs_acc_flags_t)
 * with an int32 partial. Each output on its own. Integer-only. */
#include "ref_s8_internal.h"

static void pool(const tgrs_tensor_t* xt, const tgrs_tensor_t* yt, const tgrs_pool_s8_params_t* p, int is_max) {
  const int8_t* x = (const int8_t*)xt->data;
  int8_t* y = (int8_t*)yt->data;
  const tgrs_nchw_t xd = tgrs_nchw_of(xt), yd = tgrs_nchw_of(yt);
  const ptrdiff_t x_step_w = (ptrdiff_t)p->dilation_w * xd.sw;
  int32_t n, c, oh, ow, i, j;
  for (n = 0; n < yd.n; ++n) {
    for (c = 0; c < yd.c; ++c) {
      const int8_t* xp = x + (ptrdiff_t)n * xd.sn + (ptrdiff_t)c * xd.sc;
      int8_t* yp = y + (ptrdiff_t)n * yd.sn + (ptrdiff_t)c * yd.sc;
      for (oh = 0; oh < yd.h; ++oh) {
        const int32_t ih0 = oh * p->stride_h - p->pad_top;
        const int32_t cnt_h = p->count_include_pad
                                  ? tgrs_taps_in_range(ih0, p->kernel_h, p->dilation_h, -p->pad_top, xd.h + p->pad_bottom)
                                  : tgrs_taps_in_range(ih0, p->kernel_h, p->dilation_h, 0, xd.h);
        int32_t i_lo, i_hi;
        tgrs_valid_taps(ih0, p->kernel_h, p->dilation_h, xd.h, &i_lo, &i_hi);
        for (ow = 0; ow < yd.w; ++ow) {
          const int32_t iw0 = ow * p->stride_w - p->pad_left;
          int32_t j_lo, j_hi, acc, v;
          tgrs_valid_taps(iw0, p->kernel_w, p->dilation_w, xd.w, &j_lo, &j_hi);
          acc = is_max ? -128 : 0;
          for (i = i_lo; i < i_hi; ++i) {
            ptrdiff_t xo = (ptrdiff_t)(ih0 + i * p->dilation_h) * xd.sh + (ptrdiff_t)(iw0 + j_lo * p->dilation_w) * xd.sw;
            for (j = j_lo; j < j_hi; ++j) {
              const int32_t e = xp[xo];
              if (!is_max) {
                acc += e;
              } else if (e > acc) {
                acc = e;
              }
              xo += x_step_w;
            }
          }
          if (is_max) {
            v = acc;
          } else {
            const int32_t cnt_w = p->count_include_pad ? tgrs_taps_in_range(iw0, p->kernel_w, p->dilation_w, -p->pad_left,
                                                                       xd.w + p->pad_right)
                                                       : tgrs_taps_in_range(iw0, p->kernel_w, p->dilation_w, 0, xd.w);
            const int32_t count = cnt_h * cnt_w;
            /* padded taps inside the count hold the zero point */
            acc += (count - (i_hi - i_lo) * (j_hi - j_lo)) * p->input_zp;
            v = count > 0 ? tgrs_s8_div_round(acc, count) : 0;
          }
          yp[(ptrdiff_t)oh * yd.sh + (ptrdiff_t)ow * yd.sw] = (int8_t)tgrs_s8_clamp(v, p->act_min, p->act_max);
        }
      }
    }
  }
}

void tgrs_maxpool2d_s8(const tgrs_tensor_t* x, const tgrs_tensor_t* y, const tgrs_pool_s8_params_t* p) {
  pool(x, y, p, 1);
}

void tgrs_avgpool2d_s8(const tgrs_tensor_t* x, const tgrs_tensor_t* y, const tgrs_pool_s8_params_t* p) {
  pool(x, y, p, 0);
}

/* One accumulator per (n, c) plane over dims 2.. in row-major order. */
void tgrs_global_avgpool_s8(const tgrs_tensor_t* xt, const tgrs_tensor_t* pt, const tgrs_tensor_t* yt,
                            const tgrs_global_avgpool_s8_params_t* p) {
  const int8_t* x = (const int8_t*)xt->data;
  const int begin = (p->flags & TGRS_ACC_BEGIN) != 0, end = (p->flags & TGRS_ACC_END) != 0;
  tgrs_loop_t l;
  int32_t n, c, i;
  tgrs_loop_init(&l, xt->rank - 2, xt->dims + 2, xt->strides + 2, NULL, NULL);
  for (n = 0; n < xt->dims[0]; ++n) {
    for (c = 0; c < xt->dims[1]; ++c) {
      const int8_t* xp = x + (ptrdiff_t)n * xt->strides[0] + (ptrdiff_t)c * xt->strides[1];
      const ptrdiff_t yo = (ptrdiff_t)n * yt->strides[0] + (ptrdiff_t)c * yt->strides[1];
      /* the partial is a valid int32 from an earlier call; int64 keeps a corrupt one defined */
      int64_t acc = begin ? 0 : ((const int32_t*)pt->data)[(ptrdiff_t)n * pt->strides[0] + (ptrdiff_t)c * pt->strides[1]];
      int32_t part = 0;
      tgrs_loop_reset(&l);
      do {
        const int8_t* xr = xp + l.off[0];
        for (i = 0; i < l.inner; ++i) part += (int32_t)xr[i * l.step[0]] - p->input_zp;
      } while (tgrs_loop_next(&l));
      acc += part;
      if (!end) {
        ((int32_t*)yt->data)[yo] = tgrs_s8_sat32(acc);
      } else {
        int32_t v = tgrs_s8_requant(tgrs_s8_sat32(acc), p->mult, p->shift);
        v = tgrs_s8_div_round(v, p->count);
        ((int8_t*)yt->data)[yo] = (int8_t)tgrs_s8_clamp(tgrs_s8_sat32((int64_t)v + p->output_zp), p->act_min, p->act_max);
      }
    }
  }
}

void tgrs_global_maxpool_s8(const tgrs_tensor_t* xt, const tgrs_tensor_t* yt,
                            const tgrs_global_maxpool_s8_params_t* p) {
  const int8_t* x = (const int8_t*)xt->data;
  int8_t* y = (int8_t*)yt->data;
  const int begin = (p->flags & TGRS_ACC_BEGIN) != 0, end = (p->flags & TGRS_ACC_END) != 0;
  tgrs_loop_t l;
  int32_t n, c, i;
  tgrs_loop_init(&l, xt->rank - 2, xt->dims + 2, xt->strides + 2, NULL, NULL);
  for (n = 0; n < xt->dims[0]; ++n) {
    for (c = 0; c < xt->dims[1]; ++c) {
      const int8_t* xp = x + (ptrdiff_t)n * xt->strides[0] + (ptrdiff_t)c * xt->strides[1];
      int8_t* yp = y + (ptrdiff_t)n * yt->strides[0] + (ptrdiff_t)c * yt->strides[1];
      int32_t acc = begin ? -128 : *yp;
      tgrs_loop_reset(&l);
      do {
        const int8_t* xr = xp + l.off[0];
        for (i = 0; i < l.inner; ++i) {
          if (xr[i * l.step[0]] > acc) acc = xr[i * l.step[0]];
        }
      } while (tgrs_loop_next(&l));
      *yp = (int8_t)(end ? tgrs_s8_clamp(acc, p->act_min, p->act_max) : acc);
    }
  }
}

/* ---- check / run ---- */

static tgrs_status_t check_pool(const tgrs_kernel_call_t* call) {
  const tgrs_pool_s8_params_t* p;
  const tgrs_tensor_t *x, *y;
  tgrs_nchw_t xd, yd;
  int64_t ekh, ekw;
  tgrs_status_t st = tgrs_s8_check_call(call, 1, 1, 1, sizeof(tgrs_pool_s8_params_t));
  if (st != TGRS_OK) return st;
  p = (const tgrs_pool_s8_params_t*)call->params;
  x = &call->inputs[0];
  y = &call->outputs[0];
  if (!tgrs_s8_view_ok(x, TGRS_DTYPE_I8, 3, 4) || !tgrs_s8_view_ok(y, TGRS_DTYPE_I8, x->rank, x->rank))
    return TGRS_ERR_CORRUPT;
  if (!tgrs_s8_window_ok(x->rank, p->kernel_h, p->kernel_w, p->stride_h, p->stride_w, p->dilation_h, p->dilation_w,
                         p->pad_top, p->pad_left, p->pad_bottom, p->pad_right))
    return TGRS_ERR_CORRUPT;
  if ((p->count_include_pad != 0 && p->count_include_pad != 1) || !tgrs_s8_zp_ok(p->input_zp) ||
      !tgrs_s8_clamp_ok(p->act_min, p->act_max))
    return TGRS_ERR_CORRUPT;
  /* onnxruntime's rule: padding smaller than the window extent;
   * a window holds <= 2^23 taps, so the int32 sum of int8 values cannot overflow */
  ekh = (int64_t)(p->kernel_h - 1) * p->dilation_h + 1;
  ekw = (int64_t)(p->kernel_w - 1) * p->dilation_w + 1;
  if (x->rank == 4 && (p->pad_top >= ekh || p->pad_bottom >= ekh)) return TGRS_ERR_CORRUPT;
  if (p->pad_left >= ekw || p->pad_right >= ekw) return TGRS_ERR_CORRUPT;
  if ((int64_t)p->kernel_h * p->kernel_w > ((int64_t)1 << 23)) return TGRS_ERR_CORRUPT;
  xd = tgrs_nchw_of(x);
  yd = tgrs_nchw_of(y);
  if (xd.n != yd.n || xd.c != yd.c) return TGRS_ERR_CORRUPT;
  if (!tgrs_s8_pool_len_ok(yd.h, xd.h, p->kernel_h, p->stride_h, p->dilation_h, p->pad_top, p->pad_bottom) ||
      !tgrs_s8_pool_len_ok(yd.w, xd.w, p->kernel_w, p->stride_w, p->dilation_w, p->pad_left, p->pad_right))
    return TGRS_ERR_CORRUPT;
  return TGRS_OK;
}

tgrs_status_t tgrs_maxpool2d_s8_check(const tgrs_kernel_call_t* call) { return check_pool(call); }
tgrs_status_t tgrs_avgpool2d_s8_check(const tgrs_kernel_call_t* call) { return check_pool(call); }

void tgrs_maxpool2d_s8_run(const tgrs_kernel_call_t* call) {
  tgrs_maxpool2d_s8(&call->inputs[0], &call->outputs[0], (const tgrs_pool_s8_params_t*)call->params);
}

void tgrs_avgpool2d_s8_run(const tgrs_kernel_call_t* call) {
  tgrs_avgpool2d_s8(&call->inputs[0], &call->outputs[0], (const tgrs_pool_s8_params_t*)call->params);
}

/* X [N, C, ...] and Y [N, C, 1, ...] of `y_dtype`; the spatial count of X in *spatial. */
static int global_shapes_ok(const tgrs_tensor_t* x, const tgrs_tensor_t* y, int32_t y_dtype, int64_t* spatial) {
  int32_t d;
  *spatial = 1;
  if (!tgrs_s8_view_ok(x, TGRS_DTYPE_I8, 3, TGRS_MAX_RANK) || !tgrs_s8_view_ok(y, y_dtype, x->rank, x->rank))
    return 0;
  if (y->dims[0] != x->dims[0] || y->dims[1] != x->dims[1]) return 0;
  for (d = 2; d < y->rank; ++d) {
    if (y->dims[d] != 1) return 0;
    *spatial *= x->dims[d];
  }
  return 1;
}

tgrs_status_t tgrs_global_avgpool_s8_check(const tgrs_kernel_call_t* call) {
  const tgrs_global_avgpool_s8_params_t* p;
  const tgrs_tensor_t *x, *y;
  int64_t spatial;
  int begin, end;
  tgrs_status_t st = tgrs_s8_check_call(call, 1, 2, 1, sizeof(tgrs_global_avgpool_s8_params_t));
  if (st != TGRS_OK) return st;
  p = (const tgrs_global_avgpool_s8_params_t*)call->params;
  x = &call->inputs[0];
  y = &call->outputs[0];
  begin = (p->flags & TGRS_ACC_BEGIN) != 0;
  end = (p->flags & TGRS_ACC_END) != 0;
  if (!global_shapes_ok(x, y, end ? TGRS_DTYPE_I8 : TGRS_DTYPE_I32, &spatial)) return TGRS_ERR_CORRUPT;
  if (!tgrs_s8_acc_ok(p->flags, p->count, spatial) || p->count > TGRS_S8_MAX_COUNT) return TGRS_ERR_CORRUPT;
  /* the partial comes in exactly when the call continues an accumulation */
  if (begin != (call->n_inputs == 1)) return TGRS_ERR_CORRUPT;
  if (!begin) {
    const tgrs_tensor_t* part = &call->inputs[1];
    if (!tgrs_s8_view_ok(part, TGRS_DTYPE_I32, y->rank, y->rank) || !tgrs_s8_same_dims(part, y))
      return TGRS_ERR_CORRUPT;
  }
  if (!tgrs_s8_zp_ok(p->input_zp) || !tgrs_s8_zp_ok(p->output_zp) || !tgrs_s8_clamp_ok(p->act_min, p->act_max) ||
      p->shift < -31 || p->shift > 30)
    return TGRS_ERR_CORRUPT;
  return TGRS_OK;
}

void tgrs_global_avgpool_s8_run(const tgrs_kernel_call_t* call) {
  tgrs_global_avgpool_s8(&call->inputs[0], call->n_inputs > 1 ? &call->inputs[1] : NULL, &call->outputs[0],
                         (const tgrs_global_avgpool_s8_params_t*)call->params);
}

tgrs_status_t tgrs_global_maxpool_s8_check(const tgrs_kernel_call_t* call) {
  const tgrs_global_maxpool_s8_params_t* p;
  int64_t spatial;
  tgrs_status_t st = tgrs_s8_check_call(call, 1, 1, 1, sizeof(tgrs_global_maxpool_s8_params_t));
  if (st != TGRS_OK) return st;
  p = (const tgrs_global_maxpool_s8_params_t*)call->params;
  if (!global_shapes_ok(&call->inputs[0], &call->outputs[0], TGRS_DTYPE_I8, &spatial)) return TGRS_ERR_CORRUPT;
  if (!tgrs_s8_acc_ok(p->flags, p->count, spatial) || !tgrs_s8_clamp_ok(p->act_min, p->act_max))
    return TGRS_ERR_CORRUPT;
  return TGRS_OK;
}

void tgrs_global_maxpool_s8_run(const tgrs_kernel_call_t* call) {
  tgrs_global_maxpool_s8(&call->inputs[0], &call->outputs[0], (const tgrs_global_maxpool_s8_params_t*)call->params);
}
