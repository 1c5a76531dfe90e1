/* Reference f32 pooling, Softmax and ReduceMean over strided views.
 * Window sums run kernel row then column, reductions in row-major order with one float
 * accumulator per output (continued across strip calls, see tgrs_acc_flags_t), each output on
 * its own; AveragePool divisors follow onnxruntime (count_include_pad clipped to the padded input). */
#include <float.h>
#include <math.h>

#include "tigris/kernels/ref_f32.h"
#include "ref_internal.h"

void tgrs_maxpool2d_f32(const tgrs_tensor_t* xt, const tgrs_tensor_t* yt, const tgrs_pool_params_t* p) {
  const float* x = (const float*)xt->data;
  float* y = (float*)yt->data;
  const tgrs_nchw_t xd = tgrs_nchw_of(xt), yd = tgrs_nchw_of(yt);
  const ptrdiff_t x_step_w = (ptrdiff_t)p->dilation_w * xd.sw;
  int32_t n, c, oh, ow, i, j;
  for (n = 0; n < yd.n; ++n) {
    for (c = 0; c < yd.c; ++c) {
      const float* xp = x + (ptrdiff_t)n * xd.sn + (ptrdiff_t)c * xd.sc;
      float* yp = y + (ptrdiff_t)n * yd.sn + (ptrdiff_t)c * yd.sc;
      for (oh = 0; oh < yd.h; ++oh) {
        const int32_t ih0 = oh * p->stride_h - p->pad_top;
        int32_t i_lo, i_hi;
        tgrs_valid_taps(ih0, p->kernel_h, p->dilation_h, xd.h, &i_lo, &i_hi);
        for (ow = 0; ow < yd.w; ++ow) {
          const int32_t iw0 = ow * p->stride_w - p->pad_left;
          float best = -FLT_MAX;
          int32_t seen = 0, j_lo, j_hi;
          tgrs_valid_taps(iw0, p->kernel_w, p->dilation_w, xd.w, &j_lo, &j_hi);
          for (i = i_lo; i < i_hi; ++i) {
            ptrdiff_t xo = (ptrdiff_t)(ih0 + i * p->dilation_h) * xd.sh + (ptrdiff_t)(iw0 + j_lo * p->dilation_w) * xd.sw;
            for (j = j_lo; j < j_hi; ++j) {
              const float v = xp[xo];
              if (!seen || v > best) best = v;
              seen = 1;
              xo += x_step_w;
            }
          }
          yp[(ptrdiff_t)oh * yd.sh + (ptrdiff_t)ow * yd.sw] = best;
        }
      }
    }
  }
}

void tgrs_avgpool2d_f32(const tgrs_tensor_t* xt, const tgrs_tensor_t* yt, const tgrs_pool_params_t* p) {
  const float* x = (const float*)xt->data;
  float* y = (float*)yt->data;
  const tgrs_nchw_t xd = tgrs_nchw_of(xt), yd = tgrs_nchw_of(yt);
  const ptrdiff_t x_step_w = (ptrdiff_t)p->dilation_w * xd.sw;
  int32_t n, c, oh, ow, i, j;
  for (n = 0; n < yd.n; ++n) {
    for (c = 0; c < yd.c; ++c) {
      const float* xp = x + (ptrdiff_t)n * xd.sn + (ptrdiff_t)c * xd.sc;
      float* yp = y + (ptrdiff_t)n * yd.sn + (ptrdiff_t)c * yd.sc;
      for (oh = 0; oh < yd.h; ++oh) {
        const int32_t ih0 = oh * p->stride_h - p->pad_top;
        const int32_t cnt_h = p->count_include_pad
                                  ? tgrs_taps_in_range(ih0, p->kernel_h, p->dilation_h, -p->pad_top, xd.h + p->pad_bottom)
                                  : tgrs_taps_in_range(ih0, p->kernel_h, p->dilation_h, 0, xd.h);
        int32_t i_lo, i_hi;
        tgrs_valid_taps(ih0, p->kernel_h, p->dilation_h, xd.h, &i_lo, &i_hi);
        for (ow = 0; ow < yd.w; ++ow) {
          const int32_t iw0 = ow * p->stride_w - p->pad_left;
          const int32_t cnt_w =
              p->count_include_pad ? tgrs_taps_in_range(iw0, p->kernel_w, p->dilation_w, -p->pad_left, xd.w + p->pad_right)
                                   : tgrs_taps_in_range(iw0, p->kernel_w, p->dilation_w, 0, xd.w);
          const int32_t count = cnt_h * cnt_w;
          float acc = 0.0f;
          int32_t j_lo, j_hi;
          tgrs_valid_taps(iw0, p->kernel_w, p->dilation_w, xd.w, &j_lo, &j_hi);
          for (i = i_lo; i < i_hi; ++i) {
            ptrdiff_t xo = (ptrdiff_t)(ih0 + i * p->dilation_h) * xd.sh + (ptrdiff_t)(iw0 + j_lo * p->dilation_w) * xd.sw;
            for (j = j_lo; j < j_hi; ++j) {
              acc += xp[xo];
              xo += x_step_w;
            }
          }
          yp[(ptrdiff_t)oh * yd.sh + (ptrdiff_t)ow * yd.sw] = count > 0 ? acc / (float)count : 0.0f;
        }
      }
    }
  }
}

/* One accumulator per (n, c) plane over dims 2.. of x in row-major order; `is_max` picks max
 * (started from the plane's first element) over sum (started from 0.0f). */
static void global_pool(const tgrs_tensor_t* xt, const tgrs_tensor_t* yt, const tgrs_global_pool_params_t* p,
                        int is_max) {
  const float* x = (const float*)xt->data;
  float* y = (float*)yt->data;
  const int begin = (p->flags & TGRS_ACC_BEGIN) != 0, end = (p->flags & TGRS_ACC_END) != 0;
  tgrs_loop_t l;
  int32_t n, c, i;
  tgrs_loop_init(&l, xt->rank - 2, xt->dims + 2, xt->strides + 2, NULL, NULL);
  for (n = 0; n < xt->dims[0]; ++n) {
    for (c = 0; c < xt->dims[1]; ++c) {
      const float* xp = x + (ptrdiff_t)n * xt->strides[0] + (ptrdiff_t)c * xt->strides[1];
      float* yp = y + (ptrdiff_t)n * yt->strides[0] + (ptrdiff_t)c * yt->strides[1];
      float acc;
      int32_t first = 0;
      if (!begin) {
        acc = *yp;
      } else if (is_max) {
        acc = xp[0]; /* the max starts from the first element, then compares from the second */
        first = 1;
      } else {
        acc = 0.0f;
      }
      tgrs_loop_reset(&l);
      do {
        const float* xr = xp + l.off[0];
        const ptrdiff_t s = l.step[0];
        if (is_max) {
          for (i = first; i < l.inner; ++i) {
            if (xr[i * s] > acc) acc = xr[i * s];
          }
        } else if (s == 1) {
          for (i = 0; i < l.inner; ++i) acc += xr[i];
        } else {
          for (i = 0; i < l.inner; ++i) acc += xr[i * s];
        }
        first = 0;
      } while (tgrs_loop_next(&l));
      *yp = (end && !is_max) ? acc / (float)p->count : acc;
    }
  }
}

void tgrs_global_avgpool_f32(const tgrs_tensor_t* x, const tgrs_tensor_t* y, const tgrs_global_pool_params_t* p) {
  global_pool(x, y, p, 0);
}

void tgrs_global_maxpool_f32(const tgrs_tensor_t* x, const tgrs_tensor_t* y, const tgrs_global_pool_params_t* p) {
  global_pool(x, y, p, 1);
}

void tgrs_softmax_f32(const tgrs_tensor_t* xt, const tgrs_tensor_t* yt, int32_t axis) {
  const float* x = (const float*)xt->data;
  float* y = (float*)yt->data;
  int32_t dims[TGRS_MAX_RANK], sx[TGRS_MAX_RANK], sy[TGRS_MAX_RANK];
  const ptrdiff_t ax = xt->strides[axis], ay = yt->strides[axis];
  const int32_t len = xt->dims[axis];
  tgrs_loop_t l;
  int32_t d, r = 0, i, a;
  /* every line along `axis` on its own: loop over the other dims */
  for (d = 0; d < xt->rank; ++d) {
    if (d == axis) continue;
    dims[r] = xt->dims[d];
    sx[r] = xt->strides[d];
    sy[r] = yt->strides[d];
    ++r;
  }
  tgrs_loop_init(&l, r, dims, sx, sy, NULL);
  do {
    for (i = 0; i < l.inner; ++i) {
      const float* xs = x + l.off[0] + i * l.step[0];
      float* ys = y + l.off[1] + i * l.step[1];
      float mx = xs[0], sum = 0.0f;
      for (a = 1; a < len; ++a) {
        if (xs[a * ax] > mx) mx = xs[a * ax];
      }
      for (a = 0; a < len; ++a) {
        const float e = expf(xs[a * ax] - mx);
        ys[a * ay] = e;
        sum += e;
      }
      for (a = 0; a < len; ++a) ys[a * ay] /= sum;
    }
  } while (tgrs_loop_next(&l));
}

void tgrs_reduce_mean_f32(const tgrs_tensor_t* xt, const tgrs_tensor_t* yt, const tgrs_reduce_params_t* p) {
  /* Outputs iterate the kept dims (x and y strides); the inner loop walks the reduced dims of x
   * in row-major order. */
  const float* x = (const float*)xt->data;
  float* y = (float*)yt->data;
  int32_t kdims[TGRS_MAX_RANK], kx[TGRS_MAX_RANK], ky[TGRS_MAX_RANK], rdims[TGRS_MAX_RANK], rx[TGRS_MAX_RANK];
  const int begin = (p->flags & TGRS_ACC_BEGIN) != 0, end = (p->flags & TGRS_ACC_END) != 0;
  tgrs_loop_t lo, lr;
  int32_t d, nk = 0, nr = 0, yd = 0, o, i;
  for (d = 0; d < xt->rank; ++d) {
    if ((p->axes_mask >> d) & 1) {
      rdims[nr] = xt->dims[d];
      rx[nr] = xt->strides[d];
      ++nr;
      if (p->keepdims) ++yd;
    } else {
      kdims[nk] = xt->dims[d];
      kx[nk] = xt->strides[d];
      ky[nk] = yt->strides[yd];
      ++nk;
      ++yd;
    }
  }
  tgrs_loop_init(&lo, nk, kdims, kx, ky, NULL);
  tgrs_loop_init(&lr, nr, rdims, rx, NULL, NULL);
  do {
    for (o = 0; o < lo.inner; ++o) {
      const float* xo = x + lo.off[0] + o * lo.step[0];
      float* yo = y + lo.off[1] + o * lo.step[1];
      float acc = begin ? 0.0f : *yo;
      tgrs_loop_reset(&lr);
      do {
        const float* xr = xo + lr.off[0];
        for (i = 0; i < lr.inner; ++i) acc += xr[i * lr.step[0]];
      } while (tgrs_loop_next(&lr));
      *yo = end ? acc / (float)p->count : acc;
    }
  } while (tgrs_loop_next(&lo));
}
