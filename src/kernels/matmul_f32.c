/* Reference f32 Gemm and MatMul (numpy batch broadcasting, 1-D operands).
 * Each output element sums over k = 0..K-1 from 0.0f in order, then scales/adds bias and
 * applies the fused activation, independently of every other element. */
#include "tigris/kernels/ref_f32.h"

void tgrs_gemm_f32(const float* a, const float* b, const float* c, int32_t c_rows, int32_t c_cols, float* y,
                   int32_t m, int32_t k, int32_t n, const tgrs_gemm_params_t* p) {
  /* strides of A'[i,kk] and B'[kk,j] */
  const ptrdiff_t a_si = p->trans_a ? 1 : k, a_sk = p->trans_a ? m : 1;
  const ptrdiff_t b_sk = p->trans_b ? 1 : n, b_sj = p->trans_b ? k : 1;
  int32_t i, j, kk;
  for (i = 0; i < m; ++i) {
    for (j = 0; j < n; ++j) {
      float acc = 0.0f, v;
      for (kk = 0; kk < k; ++kk) acc += a[i * a_si + kk * a_sk] * b[kk * b_sk + j * b_sj];
      v = p->alpha * acc;
      if (c != NULL) {
        const int32_t ci = c_rows == 1 ? 0 : i;
        const int32_t cj = c_cols == 1 ? 0 : j;
        v += p->beta * c[(ptrdiff_t)ci * c_cols + cj];
      }
      y[(ptrdiff_t)i * n + j] = tgrs_act_f32(v, &p->act);
    }
  }
}

void tgrs_matmul_f32(const float* a, int32_t a_rank, const int32_t* a_dims, const float* b, int32_t b_rank,
                     const int32_t* b_dims, float* y, const tgrs_act_t* act) {
  /* Promote to [batch..., M, K] x [batch..., K, N] with a common batch rank. */
  int32_t ab[TGRS_MAX_RANK], bb[TGRS_MAX_RANK], yb[TGRS_MAX_RANK], idx[TGRS_MAX_RANK];
  int32_t sa[TGRS_MAX_RANK], sb[TGRS_MAX_RANK];
  const int32_t m = a_rank >= 2 ? a_dims[a_rank - 2] : 1;
  const int32_t k = a_dims[a_rank - 1];
  const int32_t n = b_rank >= 2 ? b_dims[b_rank - 1] : 1;
  const int32_t a_batch_rank = a_rank > 2 ? a_rank - 2 : 0;
  const int32_t b_batch_rank = b_rank > 2 ? b_rank - 2 : 0;
  const int32_t batch_rank = a_batch_rank > b_batch_rank ? a_batch_rank : b_batch_rank;
  int32_t d, n_batch = 1, bi, i, j, kk;
  int32_t stride_a = m * k, stride_b = k * n;
  for (d = 0; d < batch_rank; ++d) {
    const int32_t da = d - (batch_rank - a_batch_rank), db = d - (batch_rank - b_batch_rank);
    ab[d] = da >= 0 ? a_dims[da] : 1;
    bb[d] = db >= 0 ? b_dims[db] : 1;
    yb[d] = ab[d] > bb[d] ? ab[d] : bb[d];
    n_batch *= yb[d];
    idx[d] = 0;
  }
  for (d = batch_rank - 1; d >= 0; --d) {
    sa[d] = ab[d] == 1 ? 0 : stride_a;
    sb[d] = bb[d] == 1 ? 0 : stride_b;
    stride_a *= ab[d];
    stride_b *= bb[d];
  }
  for (bi = 0; bi < n_batch; ++bi) {
    ptrdiff_t off_a = 0, off_b = 0;
    const float* ap;
    const float* bp;
    float* yp = y + (ptrdiff_t)bi * m * n;
    for (d = 0; d < batch_rank; ++d) {
      off_a += (ptrdiff_t)idx[d] * sa[d];
      off_b += (ptrdiff_t)idx[d] * sb[d];
    }
    ap = a + off_a;
    bp = b + off_b;
    for (i = 0; i < m; ++i) {
      for (j = 0; j < n; ++j) {
        float acc = 0.0f;
        for (kk = 0; kk < k; ++kk) acc += ap[(ptrdiff_t)i * k + kk] * bp[(ptrdiff_t)kk * n + j];
        yp[(ptrdiff_t)i * n + j] = tgrs_act_f32(acc, act);
      }
    }
    for (d = batch_rank - 1; d >= 0; --d) {
      if (++idx[d] < yb[d]) break;
      idx[d] = 0;
    }
  }
}
