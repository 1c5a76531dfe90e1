/* Reference f32 Conv and ConvTranspose (1-D and 2-D, any stride/dilation/padding/groups) over
 * strided views. Each output element is an independent sum: bias first, then input channel,
 * kernel row, kernel column in increasing order (padded taps skipped), then the fused activation.
 * No scratch memory. */
#include "tigris/kernels/ref_f32.h"
#include "ref_internal.h"

void tgrs_conv2d_f32(const tgrs_tensor_t* xt, const tgrs_tensor_t* wt, const tgrs_tensor_t* bt,
                     const tgrs_tensor_t* yt, const tgrs_conv_params_t* p) {
  const float* x = (const float*)xt->data;
  const float* w = (const float*)wt->data;
  const float* bias = bt != NULL ? (const float*)bt->data : NULL;
  float* y = (float*)yt->data;
  const tgrs_nchw_t xd = tgrs_nchw_of(xt), wd = tgrs_nchw_of(wt), yd = tgrs_nchw_of(yt);
  const ptrdiff_t sb = bt != NULL ? bt->strides[0] : 0;
  const int32_t group = p->group;
  const int32_t cin_g = xd.c / group;
  const int32_t cout_g = yd.c / group;
  const int32_t kh = p->kernel_h, kw = p->kernel_w;
  const ptrdiff_t x_step_w = (ptrdiff_t)p->dilation_w * xd.sw;
  int32_t n, m, oh, ow, c, i, j;
  for (n = 0; n < yd.n; ++n) {
    for (m = 0; m < yd.c; ++m) {
      const int32_t g = m / cout_g;
      const float* wm = w + (ptrdiff_t)m * wd.sn;
      const float* xg = x + (ptrdiff_t)n * xd.sn + (ptrdiff_t)g * cin_g * xd.sc;
      float* ym = y + (ptrdiff_t)n * yd.sn + (ptrdiff_t)m * yd.sc;
      const float b0 = bias != NULL ? bias[m * sb] : 0.0f;
      for (oh = 0; oh < yd.h; ++oh) {
        const int32_t ih0 = oh * p->stride_h - p->pad_top;
        int32_t i_lo, i_hi;
        tgrs_valid_taps(ih0, kh, p->dilation_h, xd.h, &i_lo, &i_hi);
        for (ow = 0; ow < yd.w; ++ow) {
          const int32_t iw0 = ow * p->stride_w - p->pad_left;
          int32_t j_lo, j_hi;
          float acc = b0;
          tgrs_valid_taps(iw0, kw, p->dilation_w, xd.w, &j_lo, &j_hi);
          for (c = 0; c < cin_g; ++c) {
            const float* xc = xg + (ptrdiff_t)c * xd.sc;
            const float* wc = wm + (ptrdiff_t)c * wd.sc;
            for (i = i_lo; i < i_hi; ++i) {
              ptrdiff_t xo = (ptrdiff_t)(ih0 + i * p->dilation_h) * xd.sh + (ptrdiff_t)(iw0 + j_lo * p->dilation_w) * xd.sw;
              ptrdiff_t wo = (ptrdiff_t)i * wd.sh + (ptrdiff_t)j_lo * wd.sw;
              for (j = j_lo; j < j_hi; ++j) {
                acc += xc[xo] * wc[wo];
                xo += x_step_w;
                wo += wd.sw;
              }
            }
          }
          ym[(ptrdiff_t)oh * yd.sh + (ptrdiff_t)ow * yd.sw] = tgrs_act_f32(acc, &p->act);
        }
      }
    }
  }
}

/* Input index that kernel tap k (stride s, dilation d, pad) sends to output o, or -1. */
static int32_t transposed_source(int32_t o, int32_t k, int32_t s, int32_t d, int32_t pad, int32_t in) {
  const int32_t t = o + pad - k * d;
  int32_t i;
  if (t < 0 || t % s != 0) return -1;
  i = t / s;
  return i < in ? i : -1;
}

void tgrs_conv_transpose2d_f32(const tgrs_tensor_t* xt, const tgrs_tensor_t* wt, const tgrs_tensor_t* bt,
                               const tgrs_tensor_t* yt, const tgrs_conv_params_t* p) {
  const float* x = (const float*)xt->data;
  const float* w = (const float*)wt->data;
  const float* bias = bt != NULL ? (const float*)bt->data : NULL;
  float* y = (float*)yt->data;
  const tgrs_nchw_t xd = tgrs_nchw_of(xt), wd = tgrs_nchw_of(wt), yd = tgrs_nchw_of(yt);
  const ptrdiff_t sb = bt != NULL ? bt->strides[0] : 0;
  const int32_t group = p->group;
  const int32_t cin_g = xd.c / group;
  const int32_t cout_g = yd.c / group;
  const int32_t kh = p->kernel_h, kw = p->kernel_w;
  int32_t n, m, oh, ow, c, i, j;
  for (n = 0; n < yd.n; ++n) {
    for (m = 0; m < yd.c; ++m) {
      const int32_t g = m / cout_g;
      const int32_t mg = m - g * cout_g; /* output channel inside its group */
      float* ym = y + (ptrdiff_t)n * yd.sn + (ptrdiff_t)m * yd.sc;
      const float b0 = bias != NULL ? bias[m * sb] : 0.0f;
      for (oh = 0; oh < yd.h; ++oh) {
        for (ow = 0; ow < yd.w; ++ow) {
          float acc = b0;
          for (c = 0; c < cin_g; ++c) {
            const int32_t ci = g * cin_g + c;
            const float* xc = x + (ptrdiff_t)n * xd.sn + (ptrdiff_t)ci * xd.sc;
            const float* wc = w + (ptrdiff_t)ci * wd.sn + (ptrdiff_t)mg * wd.sc;
            for (i = 0; i < kh; ++i) {
              const int32_t ih = transposed_source(oh, i, p->stride_h, p->dilation_h, p->pad_top, xd.h);
              if (ih < 0) continue;
              for (j = 0; j < kw; ++j) {
                const int32_t iw = transposed_source(ow, j, p->stride_w, p->dilation_w, p->pad_left, xd.w);
                if (iw < 0) continue;
                acc += xc[(ptrdiff_t)ih * xd.sh + (ptrdiff_t)iw * xd.sw] * wc[(ptrdiff_t)i * wd.sh + (ptrdiff_t)j * wd.sw];
              }
            }
          }
          ym[(ptrdiff_t)oh * yd.sh + (ptrdiff_t)ow * yd.sw] = tgrs_act_f32(acc, &p->act);
        }
      }
    }
  }
}
