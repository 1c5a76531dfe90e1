/* Reference f32 Gemm and MatMul (numpy batch broadcasting, 1-D operands) over strided views.
 * Each output element sums over k = 0..K-1 from 0.0f in order, then scales/adds bias and
 * applies the fused activation, independently of every other element. */
#include "tigris/kernels/ref_f32.h"
#include "ref_internal.h"

void tgrs_gemm_f32(const tgrs_tensor_t* at, const tgrs_tensor_t* bt, const tgrs_tensor_t* ct, const tgrs_tensor_t* yt,
                   const tgrs_gemm_params_t* p) {
  const float* a = (const float*)at->data;
  const float* b = (const float*)bt->data;
  const float* c = ct != NULL ? (const float*)ct->data : NULL;
  float* y = (float*)yt->data;
  const int32_t m = yt->dims[0], n = yt->dims[1];
  const int32_t k = p->trans_a ? at->dims[0] : at->dims[1];
  /* strides of A'[i,kk] and B'[kk,j] */
  const ptrdiff_t a_si = p->trans_a ? at->strides[1] : at->strides[0];
  const ptrdiff_t a_sk = p->trans_a ? at->strides[0] : at->strides[1];
  const ptrdiff_t b_sk = p->trans_b ? bt->strides[1] : bt->strides[0];
  const ptrdiff_t b_sj = p->trans_b ? bt->strides[0] : bt->strides[1];
  ptrdiff_t c_si = 0, c_sj = 0;
  int32_t i, j, kk;
  if (c != NULL) {
    /* a broadcast dim (extent 1) gets stride 0 */
    if (ct->rank == 2) {
      c_si = ct->dims[0] == 1 ? 0 : ct->strides[0];
      c_sj = ct->dims[1] == 1 ? 0 : ct->strides[1];
    } else if (ct->rank == 1) {
      c_sj = ct->dims[0] == 1 ? 0 : ct->strides[0];
    }
  }
  for (i = 0; i < m; ++i) {
    for (j = 0; j < n; ++j) {
      float acc = 0.0f, v;
      const float* ar = a + i * a_si;
      const float* bc = b + j * b_sj;
      for (kk = 0; kk < k; ++kk) acc += ar[kk * a_sk] * bc[kk * b_sk];
      v = p->alpha * acc;
      if (c != NULL) v += p->beta * c[i * c_si + j * c_sj];
      y[i * (ptrdiff_t)yt->strides[0] + j * (ptrdiff_t)yt->strides[1]] = tgrs_act_f32(v, &p->act);
    }
  }
}

void tgrs_matmul_f32(const tgrs_tensor_t* at, const tgrs_tensor_t* bt, const tgrs_tensor_t* yt, const tgrs_act_t* act) {
  const float* a = (const float*)at->data;
  const float* b = (const float*)bt->data;
  float* y = (float*)yt->data;
  tgrs_matmul_geom_t g;
  tgrs_loop_t* l = &g.batch;
  int32_t i, j, kk, r;
  tgrs_matmul_geom(at, bt, yt, &g);
  do {
    for (r = 0; r < l->inner; ++r) {
      const float* ap = a + l->off[0] + r * l->step[0];
      const float* bp = b + l->off[1] + r * l->step[1];
      float* yp = y + l->off[2] + r * l->step[2];
      for (i = 0; i < g.m; ++i) {
        for (j = 0; j < g.n; ++j) {
          float acc = 0.0f;
          const float* ar = ap + i * g.a_si;
          const float* bc = bp + j * g.b_sj;
          for (kk = 0; kk < g.k; ++kk) acc += ar[kk * g.a_sk] * bc[kk * g.b_sk];
          yp[i * g.y_si + j * g.y_sj] = tgrs_act_f32(acc, act);
        }
      }
    }
  } while (tgrs_loop_next(l));
}
