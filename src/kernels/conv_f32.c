/* Reference f32 Conv and ConvTranspose (1-D and 2-D, any stride/dilation/padding/groups).
 * Each output element is an independent sum: bias first, then input channel, kernel row,
 * kernel column in increasing order, then the fused activation. No scratch memory. */
#include "tigris/kernels/ref_f32.h"

void tgrs_conv2d_f32(const float* x, tgrs_nchw_t xd, const float* w, const float* bias, float* y,
                     tgrs_nchw_t yd, const tgrs_conv_params_t* p) {
  const int32_t group = p->group;
  const int32_t cin_g = xd.c / group;
  const int32_t cout_g = yd.c / group;
  const int32_t kh = p->kernel_h, kw = p->kernel_w;
  int32_t n, m, oh, ow, c, i, j;
  for (n = 0; n < yd.n; ++n) {
    for (m = 0; m < yd.c; ++m) {
      const int32_t g = m / cout_g;
      const float* wm = w + (ptrdiff_t)m * cin_g * kh * kw;
      const float* xg = x + ((ptrdiff_t)n * xd.c + (ptrdiff_t)g * cin_g) * xd.h * xd.w;
      float* ym = y + ((ptrdiff_t)n * yd.c + m) * yd.h * yd.w;
      for (oh = 0; oh < yd.h; ++oh) {
        const int32_t ih0 = oh * p->stride_h - p->pad_top;
        for (ow = 0; ow < yd.w; ++ow) {
          const int32_t iw0 = ow * p->stride_w - p->pad_left;
          float acc = bias != NULL ? bias[m] : 0.0f;
          for (c = 0; c < cin_g; ++c) {
            const float* xc = xg + (ptrdiff_t)c * xd.h * xd.w;
            const float* wc = wm + (ptrdiff_t)c * kh * kw;
            for (i = 0; i < kh; ++i) {
              const int32_t ih = ih0 + i * p->dilation_h;
              if (ih < 0 || ih >= xd.h) continue;
              for (j = 0; j < kw; ++j) {
                const int32_t iw = iw0 + j * p->dilation_w;
                if (iw < 0 || iw >= xd.w) continue;
                acc += xc[(ptrdiff_t)ih * xd.w + iw] * wc[i * kw + j];
              }
            }
          }
          ym[(ptrdiff_t)oh * yd.w + ow] = tgrs_act_f32(acc, &p->act);
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

void tgrs_conv_transpose2d_f32(const float* x, tgrs_nchw_t xd, const float* w, const float* bias, float* y,
                               tgrs_nchw_t yd, const tgrs_conv_params_t* p) {
  const int32_t group = p->group;
  const int32_t cin_g = xd.c / group;
  const int32_t cout_g = yd.c / group;
  const int32_t kh = p->kernel_h, kw = p->kernel_w;
  int32_t n, m, oh, ow, c, i, j;
  for (n = 0; n < yd.n; ++n) {
    for (m = 0; m < yd.c; ++m) {
      const int32_t g = m / cout_g;
      const int32_t mg = m - g * cout_g; /* output channel inside its group */
      float* ym = y + ((ptrdiff_t)n * yd.c + m) * yd.h * yd.w;
      for (oh = 0; oh < yd.h; ++oh) {
        for (ow = 0; ow < yd.w; ++ow) {
          float acc = bias != NULL ? bias[m] : 0.0f;
          for (c = 0; c < cin_g; ++c) {
            const int32_t ci = g * cin_g + c;
            const float* xc = x + ((ptrdiff_t)n * xd.c + ci) * xd.h * xd.w;
            const float* wc = w + ((ptrdiff_t)ci * cout_g + mg) * kh * kw;
            for (i = 0; i < kh; ++i) {
              const int32_t ih = transposed_source(oh, i, p->stride_h, p->dilation_h, p->pad_top, xd.h);
              if (ih < 0) continue;
              for (j = 0; j < kw; ++j) {
                const int32_t iw = transposed_source(ow, j, p->stride_w, p->dilation_w, p->pad_left, xd.w);
                if (iw < 0) continue;
                acc += xc[(ptrdiff_t)ih * xd.w + iw] * wc[i * kw + j];
              }
            }
          }
          ym[(ptrdiff_t)oh * yd.w + ow] = tgrs_act_f32(acc, &p->act);
        }
      }
    }
  }
}
