/* Reference f32 normalizations over strided views: LogSoftmax, LpNormalization and the
 * Instance/Layer/Group normalizations. Each normalized set (a line, a (n, c) plane, a (n, group)
 * block, a layer) is computed on its own: its statistics accumulate in row-major order from 0.0f
 * (mean first, then the variance as the mean of squared deviations: two passes, as ONNX's
 * reference), then every output element is written from them. */
#include <math.h>

#include "tigris/kernels/ref_reduce_f32.h"
#include "ref_internal.h"

/* A row-major walk over `rank` dims with up to four operands' strides (tgrs_loop_t has three). */
typedef struct {
  int32_t rank;
  int32_t dims[TGRS_MAX_RANK];
  int32_t strides[4][TGRS_MAX_RANK];
  int32_t idx[TGRS_MAX_RANK];
  ptrdiff_t off[4];
} odo_t;

static void odo_init(odo_t* o, int32_t rank, const int32_t* dims) {
  int32_t d, k;
  o->rank = rank;
  for (d = 0; d < rank; ++d) {
    o->dims[d] = dims[d];
    o->idx[d] = 0;
    for (k = 0; k < 4; ++k) o->strides[k][d] = 0;
  }
  for (k = 0; k < 4; ++k) o->off[k] = 0;
}

static void odo_reset(odo_t* o) {
  int32_t d, k;
  for (d = 0; d < o->rank; ++d) o->idx[d] = 0;
  for (k = 0; k < 4; ++k) o->off[k] = 0;
}

/* Next index; 0 after the last one (the walk is back at its first index). */
static int odo_next(odo_t* o) {
  int32_t d, k;
  for (d = o->rank - 1; d >= 0; --d) {
    if (++o->idx[d] < o->dims[d]) {
      for (k = 0; k < 4; ++k) o->off[k] += o->strides[k][d];
      return 1;
    }
    o->idx[d] = 0;
    for (k = 0; k < 4; ++k) o->off[k] -= (ptrdiff_t)(o->dims[d] - 1) * o->strides[k][d];
  }
  return 0;
}

void tgrs_log_softmax_f32(const tgrs_tensor_t* xt, const tgrs_tensor_t* yt, int32_t axis) {
  const float* x = (const float*)xt->data;
  float* y = (float*)yt->data;
  int32_t dims[TGRS_MAX_RANK], sx[TGRS_MAX_RANK], sy[TGRS_MAX_RANK];
  const ptrdiff_t ax = xt->strides[axis], ay = yt->strides[axis];
  const int32_t len = xt->dims[axis];
  tgrs_loop_t l;
  int32_t d, r = 0, i, a;
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
      float mx = xs[0], sum = 0.0f, lse;
      for (a = 1; a < len; ++a) {
        if (xs[a * ax] > mx) mx = xs[a * ax];
      }
      for (a = 0; a < len; ++a) sum += expf(xs[a * ax] - mx);
      lse = logf(sum);
      for (a = 0; a < len; ++a) ys[a * ay] = (xs[a * ax] - mx) - lse;
    }
  } while (tgrs_loop_next(&l));
}

void tgrs_lp_norm_f32(const tgrs_tensor_t* xt, const tgrs_tensor_t* yt, const tgrs_lp_norm_params_t* p) {
  const float* x = (const float*)xt->data;
  float* y = (float*)yt->data;
  int32_t dims[TGRS_MAX_RANK], sx[TGRS_MAX_RANK], sy[TGRS_MAX_RANK];
  const int32_t axis = p->axis, len = xt->dims[axis];
  const ptrdiff_t ax = xt->strides[axis], ay = yt->strides[axis];
  tgrs_loop_t l;
  int32_t d, r = 0, i, a;
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
      float norm = 0.0f;
      if (p->p == 1) {
        for (a = 0; a < len; ++a) norm += fabsf(xs[a * ax]);
      } else {
        for (a = 0; a < len; ++a) norm += xs[a * ax] * xs[a * ax];
        norm = sqrtf(norm);
      }
      for (a = 0; a < len; ++a) ys[a * ay] = norm != 0.0f ? xs[a * ax] / norm : 0.0f;
    }
  } while (tgrs_loop_next(&l));
}

/* Groups of `cg` consecutive channels of x [N, C, spatial...]; instance norm is cg = 1. */
static void group_norm(const tgrs_tensor_t* xt, const tgrs_tensor_t* st, const tgrs_tensor_t* bt,
                       const tgrs_tensor_t* yt, int32_t groups, float eps) {
  const float* x = (const float*)xt->data;
  const float* sc = (const float*)st->data;
  const float* bs = (const float*)bt->data;
  float* y = (float*)yt->data;
  const int32_t cg = xt->dims[1] / groups;
  const ptrdiff_t ss = st->strides[0], sb = bt->strides[0];
  tgrs_loop_t l;
  int32_t n, g, c, i;
  int64_t count = cg;
  for (i = 2; i < xt->rank; ++i) count *= xt->dims[i];
  tgrs_loop_init(&l, xt->rank - 2, xt->dims + 2, xt->strides + 2, yt->strides + 2, NULL);
  for (n = 0; n < xt->dims[0]; ++n) {
    for (g = 0; g < groups; ++g) {
      float mean = 0.0f, var = 0.0f, inv;
      for (c = g * cg; c < (g + 1) * cg; ++c) {
        const float* xp = x + (ptrdiff_t)n * xt->strides[0] + (ptrdiff_t)c * xt->strides[1];
        tgrs_loop_reset(&l);
        do {
          for (i = 0; i < l.inner; ++i) mean += xp[l.off[0] + i * l.step[0]];
        } while (tgrs_loop_next(&l));
      }
      mean /= (float)count;
      for (c = g * cg; c < (g + 1) * cg; ++c) {
        const float* xp = x + (ptrdiff_t)n * xt->strides[0] + (ptrdiff_t)c * xt->strides[1];
        tgrs_loop_reset(&l);
        do {
          for (i = 0; i < l.inner; ++i) {
            const float dv = xp[l.off[0] + i * l.step[0]] - mean;
            var += dv * dv;
          }
        } while (tgrs_loop_next(&l));
      }
      var /= (float)count;
      inv = 1.0f / sqrtf(var + eps);
      for (c = g * cg; c < (g + 1) * cg; ++c) {
        const float* xp = x + (ptrdiff_t)n * xt->strides[0] + (ptrdiff_t)c * xt->strides[1];
        float* yp = y + (ptrdiff_t)n * yt->strides[0] + (ptrdiff_t)c * yt->strides[1];
        const float s = sc[c * ss], b = bs[c * sb];
        tgrs_loop_reset(&l);
        do {
          for (i = 0; i < l.inner; ++i)
            yp[l.off[1] + i * l.step[1]] = (xp[l.off[0] + i * l.step[0]] - mean) * inv * s + b;
        } while (tgrs_loop_next(&l));
      }
    }
  }
}

void tgrs_instance_norm_f32(const tgrs_tensor_t* x, const tgrs_tensor_t* scale, const tgrs_tensor_t* bias,
                            const tgrs_tensor_t* y, const tgrs_norm_params_t* p) {
  group_norm(x, scale, bias, y, x->dims[1], p->epsilon);
}

void tgrs_group_norm_f32(const tgrs_tensor_t* x, const tgrs_tensor_t* scale, const tgrs_tensor_t* bias,
                         const tgrs_tensor_t* y, const tgrs_norm_params_t* p) {
  group_norm(x, scale, bias, y, p->num_groups, p->epsilon);
}

void tgrs_layer_norm_f32(const tgrs_tensor_t* xt, const tgrs_tensor_t* st, const tgrs_tensor_t* bt,
                         const tgrs_tensor_t* yt, const tgrs_tensor_t* mt, const tgrs_tensor_t* it,
                         const tgrs_norm_params_t* p) {
  const float* x = (const float*)xt->data;
  const float* sc = (const float*)st->data;
  const float* bs = bt != NULL ? (const float*)bt->data : NULL;
  float* y = (float*)yt->data;
  float* mo = mt != NULL ? (float*)mt->data : NULL;
  float* io = it != NULL ? (float*)it->data : NULL;
  const int32_t axis = p->axis, nr = xt->rank - axis;
  odo_t outer, inner;
  int32_t d;
  int64_t count = 1;
  odo_init(&outer, axis, xt->dims);
  for (d = 0; d < axis; ++d) {
    outer.strides[0][d] = xt->strides[d];
    outer.strides[1][d] = yt->strides[d];
    if (mo != NULL) outer.strides[2][d] = mt->strides[d];
    if (io != NULL) outer.strides[3][d] = it->strides[d];
  }
  odo_init(&inner, nr, xt->dims + axis);
  for (d = 0; d < nr; ++d) {
    /* scale and bias align with the normalized dims from the right; extent 1 broadcasts */
    const int32_t ds = d - (nr - st->rank), db = bt != NULL ? d - (nr - bt->rank) : -1;
    inner.strides[0][d] = xt->strides[axis + d];
    inner.strides[1][d] = yt->strides[axis + d];
    inner.strides[2][d] = ds >= 0 && st->dims[ds] != 1 ? st->strides[ds] : 0;
    inner.strides[3][d] = db >= 0 && bt->dims[db] != 1 ? bt->strides[db] : 0;
    count *= xt->dims[axis + d];
  }
  do {
    const float* xp = x + outer.off[0];
    float* yp = y + outer.off[1];
    float mean = 0.0f, var = 0.0f, inv;
    odo_reset(&inner);
    do {
      mean += xp[inner.off[0]];
    } while (odo_next(&inner));
    mean /= (float)count;
    do {
      const float dv = xp[inner.off[0]] - mean;
      var += dv * dv;
    } while (odo_next(&inner));
    var /= (float)count;
    inv = 1.0f / sqrtf(var + p->epsilon);
    do {
      const float v = (xp[inner.off[0]] - mean) * inv * sc[inner.off[2]];
      yp[inner.off[1]] = bs != NULL ? v + bs[inner.off[3]] : v;
    } while (odo_next(&inner));
    if (mo != NULL) mo[outer.off[2]] = mean;
    if (io != NULL) io[outer.off[3]] = inv;
  } while (odo_next(&outer));
}
