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
  /* Promote to [batch..., M, K] x [batch..., K, N] with a common batch rank. */
  const float* a = (const float*)at->data;
  const float* b = (const float*)bt->data;
  float* y = (float*)yt->data;
  const int32_t a_rank = at->rank, b_rank = bt->rank;
  int32_t yb[TGRS_MAX_RANK], sa[TGRS_MAX_RANK], sb[TGRS_MAX_RANK], sy[TGRS_MAX_RANK];
  const int32_t m = a_rank >= 2 ? at->dims[a_rank - 2] : 1;
  const int32_t k = at->dims[a_rank - 1];
  const int32_t n = b_rank >= 2 ? bt->dims[b_rank - 1] : 1;
  const int32_t a_batch_rank = a_rank > 2 ? a_rank - 2 : 0;
  const int32_t b_batch_rank = b_rank > 2 ? b_rank - 2 : 0;
  const int32_t batch_rank = a_batch_rank > b_batch_rank ? a_batch_rank : b_batch_rank;
  /* element strides of A[i, kk], B[kk, j] and Y[i, j] inside one batch */
  const ptrdiff_t a_si = a_rank >= 2 ? at->strides[a_rank - 2] : 0, a_sk = at->strides[a_rank - 1];
  const ptrdiff_t b_sk = b_rank >= 2 ? bt->strides[b_rank - 2] : bt->strides[0];
  const ptrdiff_t b_sj = b_rank >= 2 ? bt->strides[b_rank - 1] : 0;
  const ptrdiff_t y_si = a_rank >= 2 ? yt->strides[batch_rank] : 0;
  const ptrdiff_t y_sj = b_rank >= 2 ? yt->strides[yt->rank - 1] : 0;
  tgrs_loop_t l;
  int32_t d, i, j, kk, r;
  for (d = 0; d < batch_rank; ++d) {
    const int32_t da = d - (batch_rank - a_batch_rank), db = d - (batch_rank - b_batch_rank);
    const int32_t ea = da >= 0 ? at->dims[da] : 1, eb = db >= 0 ? bt->dims[db] : 1;
    yb[d] = ea > eb ? ea : eb;
    sa[d] = ea == 1 ? 0 : at->strides[da];
    sb[d] = eb == 1 ? 0 : bt->strides[db];
    sy[d] = yt->strides[d];
  }
  tgrs_loop_init(&l, batch_rank, yb, sa, sb, sy);
  do {
    for (r = 0; r < l.inner; ++r) {
      const float* ap = a + l.off[0] + r * l.step[0];
      const float* bp = b + l.off[1] + r * l.step[1];
      float* yp = y + l.off[2] + r * l.step[2];
      for (i = 0; i < m; ++i) {
        for (j = 0; j < n; ++j) {
          float acc = 0.0f;
          const float* ar = ap + i * a_si;
          const float* bc = bp + j * b_sj;
          for (kk = 0; kk < k; ++kk) acc += ar[kk * a_sk] * bc[kk * b_sk];
          yp[i * y_si + j * y_sj] = tgrs_act_f32(acc, act);
        }
      }
    }
  } while (tgrs_loop_next(&l));
}
