/* Reference f32 reductions over strided views: the ReduceX family (one float accumulator per
 * output, continued across strip calls, see tgrs_reduce_op_t), the stable ReduceLogSumExp, and
 * ArgMax/ArgMin with int64 indices, and TopK. Outputs iterate the kept dims; the reduced dims of x are
 * walked in row-major order, so the order of every accumulation is fixed. */
#include <float.h>
#include <math.h>
#include <string.h>

#include "tigris/kernels/ref_reduce_f32.h"
#include "ref_internal.h"

/* The kept dims (with x and y strides) and the reduced dims (x strides) of a reduction. */
typedef struct {
  int32_t nk, nr;
  int32_t kdims[TGRS_MAX_RANK], kx[TGRS_MAX_RANK], ky[TGRS_MAX_RANK];
  int32_t rdims[TGRS_MAX_RANK], rx[TGRS_MAX_RANK];
} reduce_split_t;

static void split_dims(const tgrs_tensor_t* x, const tgrs_tensor_t* y, int32_t axes_mask, int32_t keepdims,
                       reduce_split_t* s) {
  int32_t d, yd = 0;
  s->nk = 0;
  s->nr = 0;
  for (d = 0; d < x->rank; ++d) {
    if ((axes_mask >> d) & 1) {
      s->rdims[s->nr] = x->dims[d];
      s->rx[s->nr] = x->strides[d];
      ++s->nr;
      if (keepdims) ++yd;
    } else {
      s->kdims[s->nk] = x->dims[d];
      s->kx[s->nk] = x->strides[d];
      s->ky[s->nk] = y->strides[yd];
      ++s->nk;
      ++yd;
    }
  }
}

void tgrs_reduce_f32(int32_t op, const tgrs_tensor_t* xt, const tgrs_tensor_t* yt, const tgrs_reduce_params_t* p) {
  const float* x = (const float*)xt->data;
  float* y = (float*)yt->data;
  const int begin = (p->flags & TGRS_ACC_BEGIN) != 0, end = (p->flags & TGRS_ACC_END) != 0;
  reduce_split_t s;
  tgrs_loop_t lo, lr;
  int32_t o, i;
  split_dims(xt, yt, p->axes_mask, p->keepdims, &s);
  tgrs_loop_init(&lo, s.nk, s.kdims, s.kx, s.ky, NULL);
  tgrs_loop_init(&lr, s.nr, s.rdims, s.rx, NULL, NULL);
  do {
    for (o = 0; o < lo.inner; ++o) {
      const float* xo = x + lo.off[0] + o * lo.step[0];
      float* yo = y + lo.off[1] + o * lo.step[1];
      float acc;
      if (!begin) {
        acc = *yo;
      } else if (op == TGRS_REDUCE_MAX || op == TGRS_REDUCE_MIN) {
        acc = xo[0]; /* the first reduced element (comparing it again changes nothing) */
      } else if (op == TGRS_REDUCE_PROD) {
        acc = 1.0f;
      } else {
        acc = 0.0f;
      }
      tgrs_loop_reset(&lr);
      do {
        const float* xr = xo + lr.off[0];
        const ptrdiff_t st = lr.step[0];
        switch (op) {
          case TGRS_REDUCE_SUM:
          case TGRS_REDUCE_LOG_SUM:
            for (i = 0; i < lr.inner; ++i) acc += xr[i * st];
            break;
          case TGRS_REDUCE_SUM_SQUARE:
          case TGRS_REDUCE_L2:
            for (i = 0; i < lr.inner; ++i) acc += xr[i * st] * xr[i * st];
            break;
          case TGRS_REDUCE_L1:
            for (i = 0; i < lr.inner; ++i) acc += fabsf(xr[i * st]);
            break;
          case TGRS_REDUCE_MAX:
            for (i = 0; i < lr.inner; ++i) {
              if (xr[i * st] > acc) acc = xr[i * st];
            }
            break;
          case TGRS_REDUCE_MIN:
            for (i = 0; i < lr.inner; ++i) {
              if (xr[i * st] < acc) acc = xr[i * st];
            }
            break;
          default: /* TGRS_REDUCE_PROD */
            for (i = 0; i < lr.inner; ++i) acc *= xr[i * st];
            break;
        }
      } while (tgrs_loop_next(&lr));
      if (end && op == TGRS_REDUCE_L2) acc = sqrtf(acc);
      if (end && op == TGRS_REDUCE_LOG_SUM) acc = logf(acc);
      *yo = acc;
    }
  } while (tgrs_loop_next(&lo));
}

void tgrs_reduce_log_sum_exp_f32(const tgrs_tensor_t* xt, const tgrs_tensor_t* yt, const tgrs_reduce_params_t* p) {
  const float* x = (const float*)xt->data;
  float* y = (float*)yt->data;
  reduce_split_t s;
  tgrs_loop_t lo, lr;
  int32_t o, i;
  split_dims(xt, yt, p->axes_mask, p->keepdims, &s);
  tgrs_loop_init(&lo, s.nk, s.kdims, s.kx, s.ky, NULL);
  tgrs_loop_init(&lr, s.nr, s.rdims, s.rx, NULL, NULL);
  do {
    for (o = 0; o < lo.inner; ++o) {
      const float* xo = x + lo.off[0] + o * lo.step[0];
      float mx = xo[0], sum = 0.0f;
      tgrs_loop_reset(&lr);
      do {
        const float* xr = xo + lr.off[0];
        for (i = 0; i < lr.inner; ++i) {
          if (xr[i * lr.step[0]] > mx) mx = xr[i * lr.step[0]];
        }
      } while (tgrs_loop_next(&lr));
      if (mx == mx && mx <= FLT_MAX && mx >= -FLT_MAX) { /* finite: shift by it */
        tgrs_loop_reset(&lr);
        do {
          const float* xr = xo + lr.off[0];
          for (i = 0; i < lr.inner; ++i) sum += expf(xr[i * lr.step[0]] - mx);
        } while (tgrs_loop_next(&lr));
        mx += logf(sum);
      }
      y[lo.off[1] + o * lo.step[1]] = mx;
    }
  } while (tgrs_loop_next(&lo));
}

void tgrs_arg_reduce_f32(int32_t op, const tgrs_tensor_t* xt, const tgrs_tensor_t* yt,
                         const tgrs_arg_reduce_params_t* p) {
  const float* x = (const float*)xt->data;
  unsigned char* y = (unsigned char*)yt->data;
  const int32_t axis = p->axis, len = xt->dims[axis];
  const ptrdiff_t ax = xt->strides[axis];
  int32_t dims[TGRS_MAX_RANK], sx[TGRS_MAX_RANK], sy[TGRS_MAX_RANK];
  tgrs_loop_t l;
  int32_t d, r = 0, yd = 0, o, a;
  for (d = 0; d < xt->rank; ++d) {
    if (d == axis) {
      if (p->keepdims) ++yd;
      continue;
    }
    dims[r] = xt->dims[d];
    sx[r] = xt->strides[d];
    sy[r] = yt->strides[yd];
    ++r;
    ++yd;
  }
  tgrs_loop_init(&l, r, dims, sx, sy, NULL);
  do {
    for (o = 0; o < l.inner; ++o) {
      const float* xs = x + l.off[0] + o * l.step[0];
      float best = xs[0];
      int64_t at = 0;
      for (a = 1; a < len; ++a) {
        const float v = xs[a * ax];
        const int better = op == TGRS_ARG_MAX ? (p->select_last_index ? v >= best : v > best)
                                              : (p->select_last_index ? v <= best : v < best);
        if (better) {
          best = v;
          at = a;
        }
      }
      /* memcpy: no int64 alignment is assumed */
      memcpy(y + (l.off[1] + o * l.step[1]) * 8, &at, 8);
    }
  } while (tgrs_loop_next(&l));
}

void tgrs_topk_f32(const tgrs_tensor_t* xt, const tgrs_tensor_t* vt, const tgrs_tensor_t* it,
                   const tgrs_topk_params_t* p) {
  const float* x = (const float*)xt->data;
  float* v = (float*)vt->data;
  unsigned char* ix = (unsigned char*)it->data;
  const int32_t axis = p->axis, len = xt->dims[axis], k = p->k;
  const ptrdiff_t ax = xt->strides[axis], av = vt->strides[axis], ai = it->strides[axis];
  int32_t dims[TGRS_MAX_RANK], sx[TGRS_MAX_RANK], sv[TGRS_MAX_RANK], si[TGRS_MAX_RANK];
  tgrs_loop_t l;
  int32_t d, r = 0, o, a, j, count;
  for (d = 0; d < xt->rank; ++d) {
    if (d == axis) continue;
    dims[r] = xt->dims[d];
    sx[r] = xt->strides[d];
    sv[r] = vt->strides[d];
    si[r] = it->strides[d];
    ++r;
  }
  tgrs_loop_init(&l, r, dims, sx, sv, si);
  do {
    for (o = 0; o < l.inner; ++o) {
      const float* xs = x + l.off[0] + o * l.step[0];
      float* vs = v + l.off[1] + o * l.step[1];
      unsigned char* is = ix + (l.off[2] + o * l.step[2]) * 8;
      count = 0;
      for (a = 0; a < len; ++a) {
        const float val = xs[a * ax];
        const int64_t at = a;
        /* the kept elements vs[0..count) are best first; a new element goes after every kept one
         * at least as good (ties keep the lower index first) */
        if (count == k && !(p->largest ? val > vs[(k - 1) * av] : val < vs[(k - 1) * av])) continue;
        j = count < k ? count : k - 1;
        while (j > 0 && (p->largest ? val > vs[(j - 1) * av] : val < vs[(j - 1) * av])) {
          vs[j * av] = vs[(j - 1) * av];
          memmove(is + j * ai * 8, is + (j - 1) * ai * 8, 8);
          --j;
        }
        vs[j * av] = val;
        memcpy(is + j * ai * 8, &at, 8);
        if (count < k) ++count;
      }
    }
  } while (tgrs_loop_next(&l));
}
