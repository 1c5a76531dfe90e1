/* Reference int8 Gemm (fully connected) and MatMul (numpy batch broadcasting, 1-D operands) over
 * strided views, TFLite's integer FullyConnected / BatchMatMul semantics: each output is the
 * int32 sum over k of (a - a_zp)(b - b_zp[n]), plus bias[n], requantized per output column n.
 * Integer-only. */
#include "ref_s8_internal.h"

/* One output: sum_k (a[k*sa] - azp)(b[k*sb] - bzp). */
static int32_t dot_s8(const int8_t* a, ptrdiff_t sa, int32_t azp, const int8_t* b, ptrdiff_t sb, int32_t bzp,
                      int32_t k) {
  int32_t acc = 0, kk;
  for (kk = 0; kk < k; ++kk) acc += ((int32_t)a[kk * sa] - azp) * ((int32_t)b[kk * sb] - bzp);
  return acc;
}

void tgrs_gemm_s8(const tgrs_tensor_t* at, const tgrs_tensor_t* bt, const tgrs_tensor_t* bias,
                  const tgrs_tensor_t* rq, const tgrs_tensor_t* bzp, const tgrs_tensor_t* yt,
                  const tgrs_gemm_s8_params_t* p) {
  const int8_t* a = (const int8_t*)at->data;
  const int8_t* b = (const int8_t*)bt->data;
  int8_t* y = (int8_t*)yt->data;
  const int32_t m = yt->dims[0], n = yt->dims[1];
  const int32_t k = p->trans_a ? at->dims[0] : at->dims[1];
  const ptrdiff_t a_si = p->trans_a ? at->strides[1] : at->strides[0];
  const ptrdiff_t a_sk = p->trans_a ? at->strides[0] : at->strides[1];
  const ptrdiff_t b_sk = p->trans_b ? bt->strides[1] : bt->strides[0];
  const ptrdiff_t b_sj = p->trans_b ? bt->strides[0] : bt->strides[1];
  int32_t i, j;
  for (j = 0; j < n; ++j) {
    const tgrs_s8_chan_t ch = tgrs_s8_chan(rq, bzp, j);
    const int32_t b0 = tgrs_s8_bias(bias, j);
    for (i = 0; i < m; ++i) {
      const int32_t acc = dot_s8(a + i * a_si, a_sk, p->a_zp, b + j * b_sj, b_sk, ch.wzp, k);
      y[i * (ptrdiff_t)yt->strides[0] + j * (ptrdiff_t)yt->strides[1]] =
          tgrs_s8_output(acc, b0, &ch, p->output_zp, p->act_min, p->act_max);
    }
  }
}

void tgrs_matmul_s8(const tgrs_tensor_t* at, const tgrs_tensor_t* bt, const tgrs_tensor_t* bias,
                    const tgrs_tensor_t* rq, const tgrs_tensor_t* bzp, const tgrs_tensor_t* yt,
                    const tgrs_matmul_s8_params_t* p) {
  const int8_t* a = (const int8_t*)at->data;
  const int8_t* b = (const int8_t*)bt->data;
  int8_t* y = (int8_t*)yt->data;
  tgrs_matmul_geom_t g;
  tgrs_loop_t* l = &g.batch;
  int32_t i, j, r;
  tgrs_matmul_geom(at, bt, yt, &g);
  do {
    for (r = 0; r < l->inner; ++r) {
      const int8_t* ap = a + l->off[0] + r * l->step[0];
      const int8_t* bp = b + l->off[1] + r * l->step[1];
      int8_t* yp = y + l->off[2] + r * l->step[2];
      for (j = 0; j < g.n; ++j) {
        const tgrs_s8_chan_t ch = tgrs_s8_chan(rq, bzp, j);
        const int32_t b0 = tgrs_s8_bias(bias, j);
        for (i = 0; i < g.m; ++i) {
          const int32_t acc = dot_s8(ap + i * g.a_si, g.a_sk, p->a_zp, bp + j * g.b_sj, g.b_sk, ch.wzp, g.k);
          yp[i * g.y_si + j * g.y_sj] = tgrs_s8_output(acc, b0, &ch, p->output_zp, p->act_min, p->act_max);
        }
      }
    }
  } while (tgrs_loop_next(l));
}

/* Bias / RQ / BZP inputs 2..4 for n output columns. */
static tgrs_status_t check_channel_inputs(const tgrs_kernel_call_t* call, int32_t n) {
  if (!tgrs_s8_channel_vec_ok(call, 2, n) || !tgrs_s8_rq_ok(&call->inputs[3], n) ||
      !tgrs_s8_channel_vec_ok(call, 4, n))
    return TGRS_ERR_CORRUPT;
  return TGRS_OK;
}

tgrs_status_t tgrs_gemm_s8_check(const tgrs_kernel_call_t* call) {
  const tgrs_gemm_s8_params_t* p;
  const tgrs_tensor_t *a, *b, *y;
  int32_t m, k, k2, n;
  tgrs_status_t st = tgrs_s8_check_call(call, 4, 5, 1, sizeof(tgrs_gemm_s8_params_t));
  if (st != TGRS_OK) return st;
  p = (const tgrs_gemm_s8_params_t*)call->params;
  a = &call->inputs[0];
  b = &call->inputs[1];
  y = &call->outputs[0];
  if (!tgrs_s8_view_ok(a, TGRS_DTYPE_I8, 2, 2) || !tgrs_s8_view_ok(b, TGRS_DTYPE_I8, 2, 2) ||
      !tgrs_s8_view_ok(y, TGRS_DTYPE_I8, 2, 2))
    return TGRS_ERR_CORRUPT;
  if ((p->trans_a != 0 && p->trans_a != 1) || (p->trans_b != 0 && p->trans_b != 1)) return TGRS_ERR_CORRUPT;
  if (!tgrs_s8_zp_ok(p->a_zp) || !tgrs_s8_zp_ok(p->output_zp) || !tgrs_s8_clamp_ok(p->act_min, p->act_max))
    return TGRS_ERR_CORRUPT;
  m = p->trans_a ? a->dims[1] : a->dims[0];
  k = p->trans_a ? a->dims[0] : a->dims[1];
  k2 = p->trans_b ? b->dims[1] : b->dims[0];
  n = p->trans_b ? b->dims[0] : b->dims[1];
  if (k != k2 || k > TGRS_S8_MAX_TAPS || y->dims[0] != m || y->dims[1] != n) return TGRS_ERR_CORRUPT;
  return check_channel_inputs(call, n);
}

void tgrs_gemm_s8_run(const tgrs_kernel_call_t* call) {
  tgrs_gemm_s8(&call->inputs[0], &call->inputs[1], tgrs_s8_optional(call, 2), &call->inputs[3],
               tgrs_s8_optional(call, 4), &call->outputs[0], (const tgrs_gemm_s8_params_t*)call->params);
}

tgrs_status_t tgrs_matmul_s8_check(const tgrs_kernel_call_t* call) {
  const tgrs_matmul_s8_params_t* p;
  const tgrs_tensor_t *a, *b, *y;
  int32_t expect[TGRS_MAX_RANK];
  int32_t ar, br, abr, bbr, batch, d, r = 0, k_b;
  tgrs_status_t st = tgrs_s8_check_call(call, 4, 5, 1, sizeof(tgrs_matmul_s8_params_t));
  if (st != TGRS_OK) return st;
  p = (const tgrs_matmul_s8_params_t*)call->params;
  a = &call->inputs[0];
  b = &call->inputs[1];
  y = &call->outputs[0];
  if (!tgrs_s8_view_ok(a, TGRS_DTYPE_I8, 1, TGRS_MAX_RANK) || !tgrs_s8_view_ok(b, TGRS_DTYPE_I8, 1, TGRS_MAX_RANK) ||
      !tgrs_s8_view_ok(y, TGRS_DTYPE_I8, 0, TGRS_MAX_RANK))
    return TGRS_ERR_CORRUPT;
  if (!tgrs_s8_zp_ok(p->a_zp) || !tgrs_s8_zp_ok(p->output_zp) || !tgrs_s8_clamp_ok(p->act_min, p->act_max))
    return TGRS_ERR_CORRUPT;
  ar = a->rank;
  br = b->rank;
  k_b = br >= 2 ? b->dims[br - 2] : b->dims[0];
  if (a->dims[ar - 1] != k_b || k_b > TGRS_S8_MAX_TAPS) return TGRS_ERR_CORRUPT;
  abr = ar > 2 ? ar - 2 : 0;
  bbr = br > 2 ? br - 2 : 0;
  batch = abr > bbr ? abr : bbr;
  for (d = 0; d < batch; ++d) {
    const int32_t da = d - (batch - abr) >= 0 ? a->dims[d - (batch - abr)] : 1;
    const int32_t db = d - (batch - bbr) >= 0 ? b->dims[d - (batch - bbr)] : 1;
    if (da != db && da != 1 && db != 1) return TGRS_ERR_CORRUPT;
    expect[r++] = da > db ? da : db;
  }
  if (ar >= 2) expect[r++] = a->dims[ar - 2];
  if (br >= 2) expect[r++] = b->dims[br - 1];
  if (y->rank != r) return TGRS_ERR_CORRUPT;
  for (d = 0; d < r; ++d) {
    if (y->dims[d] != expect[d]) return TGRS_ERR_CORRUPT;
  }
  return check_channel_inputs(call, br >= 2 ? b->dims[br - 1] : 1);
}

void tgrs_matmul_s8_run(const tgrs_kernel_call_t* call) {
  tgrs_matmul_s8(&call->inputs[0], &call->inputs[1], tgrs_s8_optional(call, 2), &call->inputs[3],
                 tgrs_s8_optional(call, 4), &call->outputs[0], (const tgrs_matmul_s8_params_t*)call->params);
}
