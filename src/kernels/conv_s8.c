/* Reference int8 Conv (1-D and 2-D NCHW; regular, grouped, depthwise with any channel
 * multiplier; strides, dilations, pads) over strided views, TFLite's integer semantics: each
 * output is the int32 sum of (x - x_zp)(w - w_zp) over its in-bounds taps, plus bias,
 * requantized per output channel. Integer-only, no scratch. */
#include "ref_s8_internal.h"

void tgrs_conv2d_s8(const tgrs_tensor_t* xt, const tgrs_tensor_t* wt, const tgrs_tensor_t* bt,
                    const tgrs_tensor_t* rq, const tgrs_tensor_t* wzp, const tgrs_tensor_t* yt,
                    const tgrs_conv_s8_params_t* p) {
  const int8_t* x = (const int8_t*)xt->data;
  const int8_t* w = (const int8_t*)wt->data;
  int8_t* y = (int8_t*)yt->data;
  const tgrs_nchw_t xd = tgrs_nchw_of(xt), wd = tgrs_nchw_of(wt), yd = tgrs_nchw_of(yt);
  const int32_t cin_g = xd.c / p->group;
  const int32_t cout_g = yd.c / p->group;
  const int32_t xzp = p->input_zp;
  const ptrdiff_t x_step_w = (ptrdiff_t)p->dilation_w * xd.sw;
  int32_t n, m, oh, ow, c, i, j;
  for (n = 0; n < yd.n; ++n) {
    for (m = 0; m < yd.c; ++m) {
      const int32_t g = m / cout_g;
      const int8_t* wm = w + (ptrdiff_t)m * wd.sn;
      const int8_t* xg = x + (ptrdiff_t)n * xd.sn + (ptrdiff_t)g * cin_g * xd.sc;
      int8_t* ym = y + (ptrdiff_t)n * yd.sn + (ptrdiff_t)m * yd.sc;
      const tgrs_s8_chan_t ch = tgrs_s8_chan(rq, wzp, m);
      const int32_t b0 = tgrs_s8_bias(bt, m);
      for (oh = 0; oh < yd.h; ++oh) {
        const int32_t ih0 = oh * p->stride_h - p->pad_top;
        int32_t i_lo, i_hi;
        tgrs_valid_taps(ih0, p->kernel_h, p->dilation_h, xd.h, &i_lo, &i_hi);
        for (ow = 0; ow < yd.w; ++ow) {
          const int32_t iw0 = ow * p->stride_w - p->pad_left;
          int32_t j_lo, j_hi, acc = 0;
          tgrs_valid_taps(iw0, p->kernel_w, p->dilation_w, xd.w, &j_lo, &j_hi);
          for (c = 0; c < cin_g; ++c) {
            const int8_t* xc = xg + (ptrdiff_t)c * xd.sc;
            const int8_t* wc = wm + (ptrdiff_t)c * wd.sc;
            for (i = i_lo; i < i_hi; ++i) {
              ptrdiff_t xo = (ptrdiff_t)(ih0 + i * p->dilation_h) * xd.sh + (ptrdiff_t)(iw0 + j_lo * p->dilation_w) * xd.sw;
              ptrdiff_t wo = (ptrdiff_t)i * wd.sh + (ptrdiff_t)j_lo * wd.sw;
              for (j = j_lo; j < j_hi; ++j) {
                acc += ((int32_t)xc[xo] - xzp) * ((int32_t)wc[wo] - ch.wzp);
                xo += x_step_w;
                wo += wd.sw;
              }
            }
          }
          ym[(ptrdiff_t)oh * yd.sh + (ptrdiff_t)ow * yd.sw] =
              tgrs_s8_output(acc, b0, &ch, p->output_zp, p->act_min, p->act_max);
        }
      }
    }
  }
}

tgrs_status_t tgrs_conv2d_s8_check(const tgrs_kernel_call_t* call) {
  const tgrs_conv_s8_params_t* p;
  const tgrs_tensor_t *x, *w, *y;
  tgrs_nchw_t xd, yd;
  int32_t rank;
  tgrs_status_t st = tgrs_s8_check_call(call, 4, 5, 1, sizeof(tgrs_conv_s8_params_t));
  if (st != TGRS_OK) return st;
  p = (const tgrs_conv_s8_params_t*)call->params;
  x = &call->inputs[0];
  w = &call->inputs[1];
  y = &call->outputs[0];
  if (!tgrs_s8_view_ok(x, TGRS_DTYPE_I8, 3, 4)) return TGRS_ERR_CORRUPT;
  rank = x->rank;
  if (!tgrs_s8_view_ok(w, TGRS_DTYPE_I8, rank, rank) || !tgrs_s8_view_ok(y, TGRS_DTYPE_I8, rank, rank))
    return TGRS_ERR_CORRUPT;
  if (!tgrs_s8_window_ok(rank, p->kernel_h, p->kernel_w, p->stride_h, p->stride_w, p->dilation_h, p->dilation_w,
                         p->pad_top, p->pad_left, p->pad_bottom, p->pad_right))
    return TGRS_ERR_CORRUPT;
  if (p->group <= 0 || !tgrs_s8_zp_ok(p->input_zp) || !tgrs_s8_zp_ok(p->output_zp) ||
      !tgrs_s8_clamp_ok(p->act_min, p->act_max))
    return TGRS_ERR_CORRUPT;
  xd = tgrs_nchw_of(x);
  yd = tgrs_nchw_of(y);
  if ((rank == 4 ? w->dims[2] : 1) != p->kernel_h || w->dims[rank - 1] != p->kernel_w) return TGRS_ERR_CORRUPT;
  if (xd.n != yd.n || xd.c % p->group != 0 || yd.c % p->group != 0) return TGRS_ERR_CORRUPT;
  if (w->dims[0] != yd.c || (int64_t)w->dims[1] * p->group != xd.c) return TGRS_ERR_CORRUPT;
  if ((int64_t)w->dims[1] * p->kernel_h * p->kernel_w > TGRS_S8_MAX_TAPS) return TGRS_ERR_CORRUPT;
  if (!tgrs_s8_conv_len_ok(yd.h, xd.h, p->kernel_h, p->stride_h, p->dilation_h, p->pad_top, p->pad_bottom) ||
      !tgrs_s8_conv_len_ok(yd.w, xd.w, p->kernel_w, p->stride_w, p->dilation_w, p->pad_left, p->pad_right))
    return TGRS_ERR_CORRUPT;
  if (!tgrs_s8_channel_vec_ok(call, 2, yd.c) || !tgrs_s8_rq_ok(&call->inputs[3], yd.c) ||
      !tgrs_s8_channel_vec_ok(call, 4, yd.c))
    return TGRS_ERR_CORRUPT;
  if (tgrs_s8_present(call, 2) && call->inputs[2].dims[0] != yd.c) return TGRS_ERR_CORRUPT;
  return TGRS_OK;
}

void tgrs_conv2d_s8_run(const tgrs_kernel_call_t* call) {
  tgrs_conv2d_s8(&call->inputs[0], &call->inputs[1], tgrs_s8_optional(call, 2), &call->inputs[3],
                 tgrs_s8_optional(call, 4), &call->outputs[0], (const tgrs_conv_s8_params_t*)call->params);
}
