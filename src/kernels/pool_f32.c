/* Reference f32 pooling, Softmax and ReduceMean.
 * Window sums run kernel row then column, reductions in row-major order, each output on its own;
 * AveragePool divisors follow onnxruntime (count_include_pad clipped to the padded input). */
#include <float.h>
#include <math.h>

#include "tigris/kernels/ref_f32.h"

/* Taps of a window starting at `start` (k taps, dilation d) that fall in [lo, hi). */
static int32_t taps_in_range(int32_t start, int32_t k, int32_t d, int32_t lo, int32_t hi) {
  int32_t t, count = 0;
  for (t = 0; t < k; ++t) {
    const int32_t pos = start + t * d;
    if (pos >= lo && pos < hi) ++count;
  }
  return count;
}

void tgrs_maxpool2d_f32(const float* x, tgrs_nchw_t xd, float* y, tgrs_nchw_t yd, const tgrs_pool_params_t* p) {
  int32_t plane, oh, ow, i, j;
  for (plane = 0; plane < yd.n * yd.c; ++plane) {
    const float* xp = x + (ptrdiff_t)plane * xd.h * xd.w;
    float* yp = y + (ptrdiff_t)plane * yd.h * yd.w;
    for (oh = 0; oh < yd.h; ++oh) {
      const int32_t ih0 = oh * p->stride_h - p->pad_top;
      for (ow = 0; ow < yd.w; ++ow) {
        const int32_t iw0 = ow * p->stride_w - p->pad_left;
        float best = -FLT_MAX;
        int32_t seen = 0;
        for (i = 0; i < p->kernel_h; ++i) {
          const int32_t ih = ih0 + i * p->dilation_h;
          if (ih < 0 || ih >= xd.h) continue;
          for (j = 0; j < p->kernel_w; ++j) {
            const int32_t iw = iw0 + j * p->dilation_w;
            float v;
            if (iw < 0 || iw >= xd.w) continue;
            v = xp[(ptrdiff_t)ih * xd.w + iw];
            if (!seen || v > best) best = v;
            seen = 1;
          }
        }
        yp[(ptrdiff_t)oh * yd.w + ow] = best;
      }
    }
  }
}

void tgrs_avgpool2d_f32(const float* x, tgrs_nchw_t xd, float* y, tgrs_nchw_t yd, const tgrs_pool_params_t* p) {
  int32_t plane, oh, ow, i, j;
  for (plane = 0; plane < yd.n * yd.c; ++plane) {
    const float* xp = x + (ptrdiff_t)plane * xd.h * xd.w;
    float* yp = y + (ptrdiff_t)plane * yd.h * yd.w;
    for (oh = 0; oh < yd.h; ++oh) {
      const int32_t ih0 = oh * p->stride_h - p->pad_top;
      const int32_t cnt_h = p->count_include_pad
                                ? taps_in_range(ih0, p->kernel_h, p->dilation_h, -p->pad_top, xd.h + p->pad_bottom)
                                : taps_in_range(ih0, p->kernel_h, p->dilation_h, 0, xd.h);
      for (ow = 0; ow < yd.w; ++ow) {
        const int32_t iw0 = ow * p->stride_w - p->pad_left;
        const int32_t cnt_w =
            p->count_include_pad ? taps_in_range(iw0, p->kernel_w, p->dilation_w, -p->pad_left, xd.w + p->pad_right)
                                 : taps_in_range(iw0, p->kernel_w, p->dilation_w, 0, xd.w);
        const int32_t count = cnt_h * cnt_w;
        float acc = 0.0f;
        for (i = 0; i < p->kernel_h; ++i) {
          const int32_t ih = ih0 + i * p->dilation_h;
          if (ih < 0 || ih >= xd.h) continue;
          for (j = 0; j < p->kernel_w; ++j) {
            const int32_t iw = iw0 + j * p->dilation_w;
            if (iw < 0 || iw >= xd.w) continue;
            acc += xp[(ptrdiff_t)ih * xd.w + iw];
          }
        }
        yp[(ptrdiff_t)oh * yd.w + ow] = count > 0 ? acc / (float)count : 0.0f;
      }
    }
  }
}

void tgrs_global_avgpool_f32(const float* x, float* y, int32_t planes, int32_t spatial) {
  int32_t pl, i;
  for (pl = 0; pl < planes; ++pl) {
    const float* xp = x + (ptrdiff_t)pl * spatial;
    float acc = 0.0f;
    for (i = 0; i < spatial; ++i) acc += xp[i];
    y[pl] = acc / (float)spatial;
  }
}

void tgrs_global_maxpool_f32(const float* x, float* y, int32_t planes, int32_t spatial) {
  int32_t pl, i;
  for (pl = 0; pl < planes; ++pl) {
    const float* xp = x + (ptrdiff_t)pl * spatial;
    float best = xp[0];
    for (i = 1; i < spatial; ++i) {
      if (xp[i] > best) best = xp[i];
    }
    y[pl] = best;
  }
}

void tgrs_softmax_f32(const float* x, float* y, int32_t outer, int32_t axis_len, int32_t inner) {
  int32_t o, in, a;
  for (o = 0; o < outer; ++o) {
    for (in = 0; in < inner; ++in) {
      const float* xs = x + (ptrdiff_t)o * axis_len * inner + in;
      float* ys = y + (ptrdiff_t)o * axis_len * inner + in;
      float mx = xs[0], sum = 0.0f;
      for (a = 1; a < axis_len; ++a) {
        if (xs[(ptrdiff_t)a * inner] > mx) mx = xs[(ptrdiff_t)a * inner];
      }
      for (a = 0; a < axis_len; ++a) {
        const float e = expf(xs[(ptrdiff_t)a * inner] - mx);
        ys[(ptrdiff_t)a * inner] = e;
        sum += e;
      }
      for (a = 0; a < axis_len; ++a) ys[(ptrdiff_t)a * inner] /= sum;
    }
  }
}

void tgrs_reduce_mean_f32(const float* x, int32_t rank, const int32_t* dims, int32_t axes_mask, float* y) {
  /* Output iterates the kept dims; the inner loop walks the reduced dims in row-major order. */
  int32_t strides[TGRS_MAX_RANK], oidx[TGRS_MAX_RANK], ridx[TGRS_MAX_RANK];
  int32_t d, stride = 1, n_out = 1, n_red = 1, o, r;
  for (d = rank - 1; d >= 0; --d) {
    strides[d] = stride;
    stride *= dims[d];
    if ((axes_mask >> d) & 1) {
      n_red *= dims[d];
    } else {
      n_out *= dims[d];
    }
    oidx[d] = 0;
  }
  for (o = 0; o < n_out; ++o) {
    ptrdiff_t base = 0;
    float acc = 0.0f;
    for (d = 0; d < rank; ++d) {
      base += (ptrdiff_t)oidx[d] * strides[d];
      ridx[d] = 0;
    }
    for (r = 0; r < n_red; ++r) {
      ptrdiff_t off = base;
      for (d = 0; d < rank; ++d) off += (ptrdiff_t)ridx[d] * strides[d];
      acc += x[off];
      for (d = rank - 1; d >= 0; --d) {
        if (!((axes_mask >> d) & 1)) continue;
        if (++ridx[d] < dims[d]) break;
        ridx[d] = 0;
      }
    }
    y[o] = acc / (float)n_red;
    for (d = rank - 1; d >= 0; --d) {
      if ((axes_mask >> d) & 1) continue;
      if (++oidx[d] < dims[d]) break;
      oidx[d] = 0;
    }
  }
}
