/* check() helpers of the int8 kernels and the public fixed-point primitives. The same rules as
 * the f32 reference backend's validator (docs/kernels.md "The check() contract"): every view is
 * bounded so int32 index arithmetic cannot overflow, and every output dim follows exactly from
 * the inputs and params. Integer-only. */
#include "ref_s8_internal.h"

#define SAFE_MAX ((int64_t)INT32_MAX / 2)
#define PARAM_MAX ((int64_t)1 << 24)
#define EXTENT_MAX ((int64_t)1 << 26)

int32_t tgrs_srdhm_s32(int32_t a, int32_t b) { return tgrs_s8_srdhm(a, b); }

int32_t tgrs_rdbpot_s32(int32_t x, int32_t exponent) { return tgrs_s8_rdbpot(x, tgrs_s8_clamp(exponent, 0, 31)); }

int32_t tgrs_requant_s32(int32_t x, int32_t multiplier, int32_t shift) {
  return tgrs_s8_requant(x, multiplier, tgrs_s8_shift_ok(shift));
}

int64_t tgrs_s8_count(const tgrs_tensor_t* t) {
  int64_t n = 1, span = 1;
  int32_t d;
  const int32_t size = tgrs_dtype_size(t->dtype);
  if (size == 0 || t->rank < 0 || t->rank > TGRS_VIEW_MAX_RANK) return -1;
  for (d = 0; d < t->rank; ++d) {
    if (t->dims[d] <= 0 || t->strides[d] < 0) return -1;
    n *= t->dims[d];
    if (n * size > SAFE_MAX) return -1;
    span += (int64_t)(t->dims[d] - 1) * t->strides[d];
    if (span > SAFE_MAX) return -1;
  }
  return n;
}

int tgrs_s8_view_ok(const tgrs_tensor_t* t, int32_t dtype, int32_t min_rank, int32_t max_rank) {
  return t->dtype == dtype && t->rank >= min_rank && t->rank <= max_rank && tgrs_s8_count(t) > 0;
}

int tgrs_s8_same_dims(const tgrs_tensor_t* a, const tgrs_tensor_t* b) {
  int32_t d;
  if (a->rank != b->rank) return 0;
  for (d = 0; d < a->rank; ++d) {
    if (a->dims[d] != b->dims[d]) return 0;
  }
  return 1;
}

tgrs_status_t tgrs_s8_check_call(const tgrs_kernel_call_t* call, int32_t min_in, int32_t max_in, int32_t n_out,
                                 uint32_t params_size) {
  if (call == NULL) return TGRS_ERR_BAD_ARG;
  if (call->n_inputs < min_in || call->n_inputs > max_in || call->n_outputs != n_out) return TGRS_ERR_CORRUPT;
  if (call->n_inputs > 0 && call->inputs == NULL) return TGRS_ERR_BAD_ARG;
  if (call->outputs == NULL) return TGRS_ERR_BAD_ARG;
  if (call->params_size != params_size || call->params == NULL) return TGRS_ERR_CORRUPT;
  return TGRS_OK;
}

int tgrs_s8_present(const tgrs_kernel_call_t* call, int32_t i) {
  return i < call->n_inputs && call->inputs[i].dtype != 0;
}

const tgrs_tensor_t* tgrs_s8_optional(const tgrs_kernel_call_t* call, int32_t i) {
  return tgrs_s8_present(call, i) && call->inputs[i].data != NULL ? &call->inputs[i] : NULL;
}

int tgrs_s8_zp_ok(int32_t zp) { return zp >= -128 && zp <= 127; }

int tgrs_s8_clamp_ok(int32_t act_min, int32_t act_max) {
  return act_min >= -128 && act_max <= 127 && act_min <= act_max;
}

int tgrs_s8_channel_vec_ok(const tgrs_kernel_call_t* call, int32_t i, int32_t n) {
  const tgrs_tensor_t* t;
  if (!tgrs_s8_present(call, i)) return 1;
  t = &call->inputs[i];
  return tgrs_s8_view_ok(t, TGRS_DTYPE_I32, 1, 1) && (t->dims[0] == 1 || t->dims[0] == n);
}

int tgrs_s8_rq_ok(const tgrs_tensor_t* t, int32_t n) {
  return tgrs_s8_view_ok(t, TGRS_DTYPE_I32, 2, 2) && t->dims[1] == 2 && (t->dims[0] == 1 || t->dims[0] == n);
}

int tgrs_s8_window_ok(int32_t rank, int32_t kh, int32_t kw, int32_t sh, int32_t sw, int32_t dh, int32_t dw,
                      int32_t pt, int32_t pl, int32_t pb, int32_t pr) {
  if (kh <= 0 || kw <= 0 || sh <= 0 || sw <= 0 || dh <= 0 || dw <= 0) return 0;
  if (pt < 0 || pl < 0 || pb < 0 || pr < 0) return 0;
  if (rank == 3 && (kh != 1 || sh != 1 || dh != 1 || pt != 0 || pb != 0)) return 0;
  if (kh > PARAM_MAX || kw > PARAM_MAX || sh > PARAM_MAX || sw > PARAM_MAX || dh > PARAM_MAX || dw > PARAM_MAX)
    return 0;
  if (pt > PARAM_MAX || pl > PARAM_MAX || pb > PARAM_MAX || pr > PARAM_MAX) return 0;
  if ((int64_t)(kh - 1) * dh + 1 > EXTENT_MAX || (int64_t)(kw - 1) * dw + 1 > EXTENT_MAX) return 0;
  return 1;
}

int tgrs_s8_conv_len_ok(int64_t out, int64_t in, int64_t k, int64_t s, int64_t d, int64_t pb, int64_t pe) {
  const int64_t span = in + pb + pe - ((k - 1) * d + 1);
  return span >= 0 && out == span / s + 1;
}

int tgrs_s8_pool_len_ok(int64_t out, int64_t in, int64_t k, int64_t s, int64_t d, int64_t pb, int64_t pe) {
  const int64_t span = in + pb + pe - ((k - 1) * d + 1);
  int64_t fl, cl;
  if (span < 0) return out == 1 && span > -s;
  fl = span / s + 1;
  cl = (span + s - 1) / s + 1;
  if (out == fl || out == cl) return 1;
  return (cl - 1) * s >= in + pb && out == cl - 1;
}

int tgrs_s8_broadcast_ok(const tgrs_tensor_t* a, const tgrs_tensor_t* b, const tgrs_tensor_t* y) {
  int32_t d;
  if (y->rank != (a->rank > b->rank ? a->rank : b->rank)) return 0;
  for (d = 0; d < y->rank; ++d) {
    const int32_t ia = d - (y->rank - a->rank), ib = d - (y->rank - b->rank);
    const int32_t da = ia >= 0 ? a->dims[ia] : 1;
    const int32_t db = ib >= 0 ? b->dims[ib] : 1;
    if (da != db && da != 1 && db != 1) return 0;
    if (y->dims[d] != (da > db ? da : db)) return 0;
  }
  return 1;
}

int tgrs_s8_acc_ok(int32_t flags, int32_t count, int64_t reduced_here) {
  if (flags < 0 || flags > (TGRS_ACC_BEGIN | TGRS_ACC_END)) return 0;
  if (count < 1 || count < reduced_here) return 0;
  if (flags == (TGRS_ACC_BEGIN | TGRS_ACC_END) && count != reduced_here) return 0;
  return 1;
}
