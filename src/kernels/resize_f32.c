/* Reference f32 Resize: nearest (4 rounding modes), n-linear and n-cubic over the resized axes,
 * all ONNX coordinate_transformation_modes in tgrs_params.h, computed in single precision in the
 * global coordinates of the params' window, over strided views. Each output is a fixed-order
 * weighted sum of at most 4 taps per axis; indices are always clamped to the full input. */
#include <math.h>

#include "tigris/kernels/ref_f32.h"
#include "ref_internal.h"

#define TAPS 4

typedef struct {
  int32_t n;
  int32_t idx[TAPS];
  float w[TAPS];
} axis_taps_t;

static float source_coord(int32_t o, int32_t in_len, int32_t out_len, float scale, int32_t coord_mode) {
  const float xo = (float)o;
  switch (coord_mode) {
    case TGRS_COORD_ASYMMETRIC:
      return xo / scale;
    case TGRS_COORD_ALIGN_CORNERS: {
      /* ONNX spec: length_resized = scale * length_original (may be fractional, e.g.
       * 3 * 1.7 = 5.1; onnxruntime uses the integer output length instead). When the model gave
       * sizes, scale = out/in and the product is out_len up to rounding: use out_len exactly. */
      float len = scale * (float)in_len;
      if (fabsf(len - (float)out_len) <= 1e-4f * (float)out_len) len = (float)out_len;
      return len <= 1.0f ? 0.0f : xo * (float)(in_len - 1) / (len - 1.0f);
    }
    case TGRS_COORD_PYTORCH_HALF_PIXEL:
      return out_len > 1 ? (xo + 0.5f) / scale - 0.5f : 0.0f;
    case TGRS_COORD_TF_HALF_PIXEL_FOR_NN:
      return (xo + 0.5f) / scale;
    case TGRS_COORD_HALF_PIXEL_SYMMETRIC: {
      const float adjustment = (float)out_len / (scale * (float)in_len);
      const float center = (float)in_len / 2.0f;
      const float offset = center * (1.0f - adjustment);
      return offset + (xo + 0.5f) / scale - 0.5f;
    }
    default: /* TGRS_COORD_HALF_PIXEL */
      return (xo + 0.5f) / scale - 0.5f;
  }
}

/* Clamps a float coordinate to [lo, hi] before any conversion to int (no UB on huge values). */
static float clampf(float v, float lo, float hi) {
  if (!(v >= lo)) return lo; /* also maps NaN to lo */
  return v > hi ? hi : v;
}

static int32_t clamp_index(int32_t i, int32_t len) { return i < 0 ? 0 : (i >= len ? len - 1 : i); }

static int32_t nearest_index(float x, int32_t in_len, int32_t nearest_mode) {
  float r;
  const float fl = floorf(x);
  switch (nearest_mode) {
    case TGRS_NEAREST_FLOOR: r = fl; break;
    case TGRS_NEAREST_CEIL: r = ceilf(x); break;
    case TGRS_NEAREST_ROUND_PREFER_CEIL: r = (x == fl + 0.5f) ? fl + 1.0f : roundf(x); break;
    default: r = (x == fl + 0.5f) ? fl : roundf(x); break; /* round_prefer_floor */
  }
  return (int32_t)clampf(r, 0.0f, (float)(in_len - 1));
}

static void cubic_coeffs(float t, float a, float* c) {
  const float t1 = t + 1.0f, u = 1.0f - t, u1 = u + 1.0f;
  c[0] = ((a * t1 - 5.0f * a) * t1 + 8.0f * a) * t1 - 4.0f * a;
  c[1] = ((a + 2.0f) * t - (a + 3.0f)) * t * t + 1.0f;
  c[2] = ((a + 2.0f) * u - (a + 3.0f)) * u * u + 1.0f;
  c[3] = ((a * u1 - 5.0f * a) * u1 + 8.0f * a) * u1 - 4.0f * a;
}

static void compute_taps(axis_taps_t* t, int32_t o, int32_t in_len, int32_t out_len, float scale,
                         const tgrs_resize_params_t* p) {
  float x;
  int32_t i;
  if (p->mode == TGRS_RESIZE_NEAREST) {
    x = source_coord(o, in_len, out_len, scale, p->coord_mode);
    t->n = 1;
    t->idx[0] = nearest_index(x, in_len, p->nearest_mode);
    t->w[0] = 1.0f;
    return;
  }
  if (in_len == out_len && scale == 1.0f) { /* axis not resized */
    t->n = 1;
    t->idx[0] = o;
    t->w[0] = 1.0f;
    return;
  }
  x = source_coord(o, in_len, out_len, scale, p->coord_mode);
  if (p->mode == TGRS_RESIZE_LINEAR) {
    float fl, r;
    x = clampf(x, 0.0f, (float)(in_len - 1));
    fl = floorf(x);
    r = x - fl;
    t->n = 2;
    t->idx[0] = (int32_t)fl;
    t->idx[1] = clamp_index((int32_t)fl + 1, in_len);
    t->w[0] = 1.0f - r;
    t->w[1] = r;
  } else {
    float fl, sum = 0.0f;
    int32_t base;
    /* beyond this range every tap is outside the input either way */
    x = clampf(x, -3.0f, (float)in_len + 2.0f);
    fl = floorf(x);
    base = (int32_t)fl - 1;
    cubic_coeffs(x - fl, p->cubic_coeff_a, t->w);
    t->n = TAPS;
    for (i = 0; i < TAPS; ++i) {
      const int32_t src = base + i;
      if (p->exclude_outside && (src < 0 || src >= in_len)) t->w[i] = 0.0f;
      sum += t->w[i];
      t->idx[i] = clamp_index(src, in_len);
    }
    if (p->exclude_outside && sum != 0.0f) {
      for (i = 0; i < TAPS; ++i) t->w[i] /= sum;
    }
  }
}

/* Why checking the first and last output of a window suffices (check_resize): for one axis the
 * source coordinate x(o) is a chain of float operations each non-decreasing in o ((float)o,
 * + 0.5f, / scale > 0, * (in - 1) >= 0, / (len - 1) > 0, - 0.5f, + offset; constant 0 for
 * pytorch_half_pixel with out_full == 1 and align_corners with len <= 1), and IEEE round-to-
 * nearest is monotone, so x(o) is non-decreasing (check() bounds the scale to ~out/in, so no
 * inf or NaN arises). Every tap index is a non-decreasing function of x: nearest rounds then
 * clamps, linear takes floor(clamp(x)) and clamp(floor + 1), cubic clamp(floor(clamp(x)) - 1 + i)
 * (taps zeroed by exclude_outside are still read), and an axis that is not resized reads o. So
 * the smallest index a window reads is read by its first output and the largest by its last. */
void tgrs_resize_reads(const tgrs_resize_params_t* p, int32_t d, int32_t o, int32_t* lo, int32_t* hi) {
  axis_taps_t t;
  int32_t i;
  compute_taps(&t, o, p->in_full[d], p->out_full[d], p->scale[d], p);
  *lo = t.idx[0];
  *hi = t.idx[0];
  for (i = 1; i < t.n; ++i) {
    if (t.idx[i] < *lo) *lo = t.idx[i];
    if (t.idx[i] > *hi) *hi = t.idx[i];
  }
}

/* Taps of local output index o along dim d, as local input offsets (elements). */
static void window_taps(axis_taps_t* t, const tgrs_tensor_t* x, int32_t d, int32_t o, const tgrs_resize_params_t* p) {
  int32_t i;
  compute_taps(t, p->out_origin[d] + o, p->in_full[d], p->out_full[d], p->scale[d], p);
  for (i = 0; i < t->n; ++i) t->idx[i] = (t->idx[i] - p->in_origin[d]) * x->strides[d];
}

void tgrs_resize_f32(const tgrs_tensor_t* xt, const tgrs_tensor_t* yt, const tgrs_resize_params_t* p) {
  const float* x = (const float*)xt->data;
  float* y = (float*)yt->data;
  const int32_t rank = yt->rank;
  axis_taps_t taps[TGRS_MAX_RANK];
  int32_t oidx[TGRS_MAX_RANK], tidx[TGRS_MAX_RANK];
  int32_t d, changed;
  ptrdiff_t yoff = 0;
  for (d = 0; d < rank; ++d) {
    oidx[d] = 0;
    window_taps(&taps[d], xt, d, 0, p);
  }
  for (;;) {
    float acc = 0.0f;
    int32_t first = 1;
    for (d = 0; d < rank; ++d) tidx[d] = 0;
    for (;;) {
      float w = 1.0f;
      ptrdiff_t off = 0;
      for (d = 0; d < rank; ++d) {
        w *= taps[d].w[tidx[d]];
        off += taps[d].idx[tidx[d]];
      }
      /* the first term starts the sum, so a single nearest tap is copied bit-exactly */
      acc = first ? w * x[off] : acc + w * x[off];
      first = 0;
      for (d = rank - 1; d >= 0; --d) {
        if (++tidx[d] < taps[d].n) break;
        tidx[d] = 0;
      }
      if (d < 0) break;
    }
    y[yoff] = acc;
    /* next output index; recompute taps for every axis whose index moved */
    changed = rank;
    for (d = rank - 1; d >= 0; --d) {
      changed = d;
      if (++oidx[d] < yt->dims[d]) {
        yoff += yt->strides[d];
        break;
      }
      yoff -= (ptrdiff_t)(yt->dims[d] - 1) * yt->strides[d];
      oidx[d] = 0;
    }
    if (d < 0) break;
    for (d = changed; d < rank; ++d) window_taps(&taps[d], xt, d, oidx[d], p);
  }
}
