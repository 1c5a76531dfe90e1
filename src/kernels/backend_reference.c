/* The reference backend: one tgrs_kernel_t per op code in ops.def, generated from each row's
 * `kernel` and `subop` columns. check() is the load-time validator for untrusted plans: it
 * accepts a call shape only if run() stays inside every view and the output dims follow exactly
 * from the inputs and params. run() then unpacks and calls ref_f32.h.
 * Naming: row X with kernel k uses check_k(call) and run_k(call, subop), where subop is the
 * row's sub-op code (tgrs_unary_op_t, tgrs_binary_op_t; 0 and unused by the other kernels). */
#include <float.h>

#include "tigris/kernels/ref_f32.h"
#include "tigris/kernels/ref_index.h"
#include "tigris/kernels/ref_reduce_f32.h"
#include "tigris/kernels/ref_s8.h"
#include "ref_internal.h"
#include "tigris/kernels/tgrs_params.h"
#include "tigris/kernels/tgrs_types.h"
#include "tigris/kernels/backend_reference.h"

/* Every int32 index/offset expression in the kernels stays below this when check() passes. */
#define SAFE_MAX ((int64_t)INT32_MAX / 2)
/* Window params (kernel, stride, dilation, pads) and window extents stay below these, so that
 * (out - 1) * stride + extent - pad never overflows int32 for tensors of at most SAFE_MAX bytes. */
#define PARAM_MAX ((int64_t)1 << 24)
#define EXTENT_MAX ((int64_t)1 << 26)
#define CORRUPT TGRS_ERR_CORRUPT

/* ======================================================================================== */
/* check() helpers                                                                           */

/* Element count of a valid view of any known dtype: rank 0..MAX, dims > 0, bytes of the
 * elements <= SAFE_MAX, strides >= 0 and the span sum_d (dims[d]-1)*strides[d] + 1 <= SAFE_MAX
 * elements, so every element offset a kernel forms fits in int32. Returns -1 when malformed. */
static int64_t tensor_count(const tgrs_tensor_t* t) {
  int64_t n = 1, span = 1;
  int32_t d;
  const int32_t size = tgrs_dtype_size(t->dtype);
  if (size == 0 || t->rank < 0 || t->rank > TGRS_VIEW_MAX_RANK) return -1;
  for (d = 0; d < t->rank; ++d) {
    if (t->dims[d] <= 0 || t->strides[d] < 0) return -1;
    n *= t->dims[d];
    if (n * size > SAFE_MAX) return -1;
    span += (int64_t)(t->dims[d] - 1) * t->strides[d]; /* < 2^61 + SAFE_MAX: no overflow */
    if (span > SAFE_MAX) return -1;
  }
  return n;
}

static int f32_ok(const tgrs_tensor_t* t, int32_t min_rank, int32_t max_rank) {
  return t->dtype == TGRS_DTYPE_F32 && t->rank >= min_rank && t->rank <= max_rank && tensor_count(t) > 0;
}

static int same_shape(const tgrs_tensor_t* a, const tgrs_tensor_t* b) {
  int32_t d;
  if (a->rank != b->rank) return 0;
  for (d = 0; d < a->rank; ++d) {
    if (a->dims[d] != b->dims[d]) return 0;
  }
  return 1;
}

/* Input/output counts, tensor arrays and the params record size. */
static tgrs_status_t check_call(const tgrs_kernel_call_t* call, int32_t min_in, int32_t max_in, int32_t min_out,
                                int32_t max_out, uint32_t params_size) {
  if (call == NULL) return TGRS_ERR_BAD_ARG;
  if (call->n_inputs < min_in || call->n_inputs > max_in) return CORRUPT;
  if (call->n_outputs < min_out || call->n_outputs > max_out) return CORRUPT;
  if (call->n_inputs > 0 && call->inputs == NULL) return TGRS_ERR_BAD_ARG;
  if (call->n_outputs > 0 && call->outputs == NULL) return TGRS_ERR_BAD_ARG;
  if (call->params_size != params_size || call->params == NULL) return CORRUPT;
  return TGRS_OK;
}

/* An optional input counts as present when it is passed with a nonzero dtype. run() additionally
 * requires data != NULL, so it never reads an input check() did not validate. */
static int optional_present(const tgrs_kernel_call_t* call, int32_t i) {
  return i < call->n_inputs && call->inputs[i].dtype != 0;
}

static int optional_data(const tgrs_kernel_call_t* call, int32_t i) {
  return optional_present(call, i) && call->inputs[i].data != NULL;
}

static int act_ok(const tgrs_act_t* act) { return act->kind >= TGRS_ACT_NONE && act->kind <= TGRS_ACT_SILU; }

static int is_finite(float v) { return v == v && v <= FLT_MAX && v >= -FLT_MAX; }

static tgrs_nchw_t nchw_of(const tgrs_tensor_t* t) { return tgrs_nchw_of(t); }

/* Spatial params shared by conv and pool: positive kernel/stride/dilation, pads >= 0, 1-D
 * ops carrying the neutral H values, each value <= PARAM_MAX and window extents <= EXTENT_MAX. */
static int window_params_ok(int32_t rank, int32_t kh, int32_t kw, int32_t sh, int32_t sw, int32_t dh, int32_t dw,
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

/* Sliding-window output length (floor mode); -1 if the padded input is shorter than the window. */
static int64_t window_out_floor(int64_t in, int64_t k, int64_t s, int64_t d, int64_t pb, int64_t pe) {
  const int64_t span = in + pb + pe - ((k - 1) * d + 1);
  return span < 0 ? -1 : span / s + 1;
}

/* ---- Conv / ConvTranspose ---- */

static tgrs_status_t check_conv_like(const tgrs_kernel_call_t* call, int transposed) {
  const tgrs_conv_params_t* p;
  const tgrs_tensor_t *x, *w, *y;
  tgrs_nchw_t xd, yd;
  int32_t rank, w_kh, w_kw;
  int64_t m;
  tgrs_status_t st = check_call(call, 2, 3, 1, 1, sizeof(tgrs_conv_params_t));
  if (st != TGRS_OK) return st;
  p = (const tgrs_conv_params_t*)call->params;
  x = &call->inputs[0];
  w = &call->inputs[1];
  y = &call->outputs[0];
  if (!f32_ok(x, 3, 4)) return CORRUPT;
  rank = x->rank;
  if (!f32_ok(w, rank, rank) || !f32_ok(y, rank, rank)) return CORRUPT;
  if (!window_params_ok(rank, p->kernel_h, p->kernel_w, p->stride_h, p->stride_w, p->dilation_h, p->dilation_w,
                        p->pad_top, p->pad_left, p->pad_bottom, p->pad_right))
    return CORRUPT;
  if (p->group <= 0 || !act_ok(&p->act)) return CORRUPT;
  xd = nchw_of(x);
  yd = nchw_of(y);
  w_kh = rank == 4 ? w->dims[2] : 1;
  w_kw = w->dims[rank - 1];
  if (w_kh != p->kernel_h || w_kw != p->kernel_w || xd.n != yd.n) return CORRUPT;
  if (xd.c % p->group != 0 || yd.c % p->group != 0) return CORRUPT;
  if (!transposed) {
    /* W = [M, C/group, kh, kw] */
    if (w->dims[0] != yd.c || (int64_t)w->dims[1] * p->group != xd.c) return CORRUPT;
    if (yd.h != window_out_floor(xd.h, p->kernel_h, p->stride_h, p->dilation_h, p->pad_top, p->pad_bottom))
      return CORRUPT;
    if (yd.w != window_out_floor(xd.w, p->kernel_w, p->stride_w, p->dilation_w, p->pad_left, p->pad_right))
      return CORRUPT;
  } else {
    /* W = [C, M/group, kh, kw]; out = s*(in-1) + (k-1)*d + 1 - pads + output_padding with
     * 0 <= output_padding < max(stride, dilation). */
    int64_t base_h, base_w, extra_h, extra_w;
    if (w->dims[0] != xd.c || (int64_t)w->dims[1] * p->group != yd.c) return CORRUPT;
    base_h = (int64_t)p->stride_h * (xd.h - 1) + (int64_t)(p->kernel_h - 1) * p->dilation_h + 1 - p->pad_top -
             p->pad_bottom;
    base_w = (int64_t)p->stride_w * (xd.w - 1) + (int64_t)(p->kernel_w - 1) * p->dilation_w + 1 - p->pad_left -
             p->pad_right;
    extra_h = yd.h - base_h;
    extra_w = yd.w - base_w;
    if (extra_h < 0 || extra_h >= (p->stride_h > p->dilation_h ? p->stride_h : p->dilation_h)) return CORRUPT;
    if (extra_w < 0 || extra_w >= (p->stride_w > p->dilation_w ? p->stride_w : p->dilation_w)) return CORRUPT;
  }
  m = yd.c;
  if (optional_present(call, 2)) {
    const tgrs_tensor_t* b = &call->inputs[2];
    if (!f32_ok(b, 1, 1) || b->dims[0] != m) return CORRUPT;
  }
  return TGRS_OK;
}

static tgrs_status_t check_conv(const tgrs_kernel_call_t* call) { return check_conv_like(call, 0); }
static tgrs_status_t check_conv_transpose(const tgrs_kernel_call_t* call) { return check_conv_like(call, 1); }

static void run_conv(const tgrs_kernel_call_t* call, int32_t subop) {
  (void)subop;
  tgrs_conv2d_f32(&call->inputs[0], &call->inputs[1], optional_data(call, 2) ? &call->inputs[2] : NULL,
                  &call->outputs[0], (const tgrs_conv_params_t*)call->params);
}

static void run_conv_transpose(const tgrs_kernel_call_t* call, int32_t subop) {
  (void)subop;
  tgrs_conv_transpose2d_f32(&call->inputs[0], &call->inputs[1], optional_data(call, 2) ? &call->inputs[2] : NULL,
                            &call->outputs[0], (const tgrs_conv_params_t*)call->params);
}

/* ---- Gemm ---- */

/* C's broadcast layout as rows x cols; 0 if C cannot broadcast unidirectionally to [m, n]. */
static int gemm_c_layout(const tgrs_tensor_t* c, int32_t m, int32_t n, int32_t* rows, int32_t* cols) {
  *rows = 1;
  *cols = 1;
  if (c->rank == 2) {
    *rows = c->dims[0];
    *cols = c->dims[1];
  } else if (c->rank == 1) {
    *cols = c->dims[0];
  } else if (c->rank != 0) {
    return 0;
  }
  return (*rows == 1 || *rows == m) && (*cols == 1 || *cols == n);
}

static void gemm_dims(const tgrs_kernel_call_t* call, int32_t* m, int32_t* k, int32_t* k2, int32_t* n) {
  const tgrs_gemm_params_t* p = (const tgrs_gemm_params_t*)call->params;
  const tgrs_tensor_t* a = &call->inputs[0];
  const tgrs_tensor_t* b = &call->inputs[1];
  *m = p->trans_a ? a->dims[1] : a->dims[0];
  *k = p->trans_a ? a->dims[0] : a->dims[1];
  *k2 = p->trans_b ? b->dims[1] : b->dims[0];
  *n = p->trans_b ? b->dims[0] : b->dims[1];
}

static tgrs_status_t check_gemm(const tgrs_kernel_call_t* call) {
  const tgrs_gemm_params_t* p;
  const tgrs_tensor_t* y;
  int32_t m, k, k2, n, rows, cols;
  tgrs_status_t st = check_call(call, 2, 3, 1, 1, sizeof(tgrs_gemm_params_t));
  if (st != TGRS_OK) return st;
  p = (const tgrs_gemm_params_t*)call->params;
  y = &call->outputs[0];
  if (!f32_ok(&call->inputs[0], 2, 2) || !f32_ok(&call->inputs[1], 2, 2) || !f32_ok(y, 2, 2)) return CORRUPT;
  if ((p->trans_a != 0 && p->trans_a != 1) || (p->trans_b != 0 && p->trans_b != 1) || !act_ok(&p->act))
    return CORRUPT;
  gemm_dims(call, &m, &k, &k2, &n);
  if (k != k2 || y->dims[0] != m || y->dims[1] != n) return CORRUPT;
  if (optional_present(call, 2)) {
    if (!f32_ok(&call->inputs[2], 0, 2) || !gemm_c_layout(&call->inputs[2], m, n, &rows, &cols)) return CORRUPT;
  }
  return TGRS_OK;
}

static void run_gemm(const tgrs_kernel_call_t* call, int32_t subop) {
  (void)subop;
  tgrs_gemm_f32(&call->inputs[0], &call->inputs[1], optional_data(call, 2) ? &call->inputs[2] : NULL,
                &call->outputs[0], (const tgrs_gemm_params_t*)call->params);
}

/* ---- MatMul ---- */

static tgrs_status_t check_matmul(const tgrs_kernel_call_t* call) {
  const tgrs_tensor_t *a, *b, *y;
  int32_t expect[TGRS_MAX_RANK];
  int32_t ar, br, abr, bbr, batch, d, r = 0, k_b;
  tgrs_status_t st = check_call(call, 2, 2, 1, 1, sizeof(tgrs_act_params_t));
  if (st != TGRS_OK) return st;
  a = &call->inputs[0];
  b = &call->inputs[1];
  y = &call->outputs[0];
  if (!f32_ok(a, 1, TGRS_MAX_RANK) || !f32_ok(b, 1, TGRS_MAX_RANK) || !f32_ok(y, 0, TGRS_MAX_RANK)) return CORRUPT;
  if (!act_ok(&((const tgrs_act_params_t*)call->params)->act)) return CORRUPT;
  ar = a->rank;
  br = b->rank;
  k_b = br >= 2 ? b->dims[br - 2] : b->dims[0];
  if (a->dims[ar - 1] != k_b) return CORRUPT;
  abr = ar > 2 ? ar - 2 : 0;
  bbr = br > 2 ? br - 2 : 0;
  batch = abr > bbr ? abr : bbr;
  for (d = 0; d < batch; ++d) {
    const int32_t da = d - (batch - abr) >= 0 ? a->dims[d - (batch - abr)] : 1;
    const int32_t db = d - (batch - bbr) >= 0 ? b->dims[d - (batch - bbr)] : 1;
    if (da != db && da != 1 && db != 1) return CORRUPT;
    expect[r++] = da > db ? da : db;
  }
  if (ar >= 2) expect[r++] = a->dims[ar - 2];
  if (br >= 2) expect[r++] = b->dims[br - 1];
  if (y->rank != r) return CORRUPT;
  for (d = 0; d < r; ++d) {
    if (y->dims[d] != expect[d]) return CORRUPT;
  }
  return TGRS_OK;
}

static void run_matmul(const tgrs_kernel_call_t* call, int32_t subop) {
  (void)subop;
  tgrs_matmul_f32(&call->inputs[0], &call->inputs[1], &call->outputs[0],
                  &((const tgrs_act_params_t*)call->params)->act);
}

/* ---- Binary elementwise ---- */

static tgrs_status_t check_binary(const tgrs_kernel_call_t* call) {
  const tgrs_tensor_t *a, *b, *y;
  int32_t d;
  tgrs_status_t st = check_call(call, 2, 2, 1, 1, sizeof(tgrs_act_params_t));
  if (st != TGRS_OK) return st;
  a = &call->inputs[0];
  b = &call->inputs[1];
  y = &call->outputs[0];
  if (!f32_ok(a, 0, TGRS_MAX_RANK) || !f32_ok(b, 0, TGRS_MAX_RANK) || !f32_ok(y, 0, TGRS_MAX_RANK)) return CORRUPT;
  if (!act_ok(&((const tgrs_act_params_t*)call->params)->act)) return CORRUPT;
  if (y->rank != (a->rank > b->rank ? a->rank : b->rank)) return CORRUPT;
  for (d = 0; d < y->rank; ++d) {
    const int32_t ia = d - (y->rank - a->rank), ib = d - (y->rank - b->rank);
    const int32_t da = ia >= 0 ? a->dims[ia] : 1;
    const int32_t db = ib >= 0 ? b->dims[ib] : 1;
    if (da != db && da != 1 && db != 1) return CORRUPT;
    if (y->dims[d] != (da > db ? da : db)) return CORRUPT;
  }
  return TGRS_OK;
}

static void run_binary(const tgrs_kernel_call_t* call, int32_t subop) {
  tgrs_binary_f32(subop, &call->inputs[0], &call->inputs[1], &call->outputs[0],
                  &((const tgrs_act_params_t*)call->params)->act);
}

/* ---- Unary elementwise ---- */

static tgrs_status_t check_unary(const tgrs_kernel_call_t* call) {
  tgrs_status_t st = check_call(call, 1, 1, 1, 1, sizeof(tgrs_unary_params_t));
  if (st != TGRS_OK) return st;
  if (!f32_ok(&call->inputs[0], 0, TGRS_MAX_RANK) || !same_shape(&call->inputs[0], &call->outputs[0]) ||
      !f32_ok(&call->outputs[0], 0, TGRS_MAX_RANK))
    return CORRUPT;
  return TGRS_OK;
}

static void run_unary(const tgrs_kernel_call_t* call, int32_t subop) {
  tgrs_unary_f32(subop, &call->inputs[0], &call->outputs[0], (const tgrs_unary_params_t*)call->params);
}

/* ---- Softmax ---- */

static tgrs_status_t check_softmax(const tgrs_kernel_call_t* call) {
  int32_t axis;
  tgrs_status_t st = check_call(call, 1, 1, 1, 1, sizeof(tgrs_axis_params_t));
  if (st != TGRS_OK) return st;
  axis = ((const tgrs_axis_params_t*)call->params)->axis;
  if (!f32_ok(&call->inputs[0], 1, TGRS_MAX_RANK) || !same_shape(&call->inputs[0], &call->outputs[0]) ||
      !f32_ok(&call->outputs[0], 1, TGRS_MAX_RANK))
    return CORRUPT;
  if (axis < 0 || axis >= call->inputs[0].rank) return CORRUPT;
  return TGRS_OK;
}

static void run_softmax(const tgrs_kernel_call_t* call, int32_t subop) {
  (void)subop;
  tgrs_softmax_f32(&call->inputs[0], &call->outputs[0], ((const tgrs_axis_params_t*)call->params)->axis);
}

/* ---- MaxPool / AveragePool ---- */

/* Pool output length: floor mode, ceil mode, or ceil mode with onnxruntime's rule that drops a
 * last window starting inside the end padding. A padded input shorter than the window (span < 0)
 * has one ceil-mode window if span > -s: the last strip of a ceil-mode pool (docs/kernels.md) can
 * be such a call, e.g. k 2 s 2 d 2, pads 2/1, H 3: its last output row reads only input row 2, and
 * the strip [2, 3) has H' = 1 with pads 0/1, shorter than the window extent 3. */
static int pool_len_ok(int64_t out, int64_t in, int64_t k, int64_t s, int64_t d, int64_t pb, int64_t pe) {
  const int64_t span = in + pb + pe - ((k - 1) * d + 1);
  int64_t fl, cl;
  if (span < 0) return out == 1 && span > -s;
  fl = span / s + 1;
  cl = (span + s - 1) / s + 1;
  if (out == fl || out == cl) return 1;
  return (cl - 1) * s >= in + pb && out == cl - 1;
}

static tgrs_status_t check_pool(const tgrs_kernel_call_t* call) {
  const tgrs_pool_params_t* p;
  const tgrs_tensor_t *x, *y;
  tgrs_nchw_t xd, yd;
  int64_t ekh, ekw;
  tgrs_status_t st = check_call(call, 1, 1, 1, 1, sizeof(tgrs_pool_params_t));
  if (st != TGRS_OK) return st;
  p = (const tgrs_pool_params_t*)call->params;
  x = &call->inputs[0];
  y = &call->outputs[0];
  if (!f32_ok(x, 3, 4) || !f32_ok(y, x->rank, x->rank)) return CORRUPT;
  if (!window_params_ok(x->rank, p->kernel_h, p->kernel_w, p->stride_h, p->stride_w, p->dilation_h, p->dilation_w,
                        p->pad_top, p->pad_left, p->pad_bottom, p->pad_right))
    return CORRUPT;
  if (p->count_include_pad != 0 && p->count_include_pad != 1) return CORRUPT;
  /* onnxruntime's rule: padding smaller than the window extent */
  ekh = (int64_t)(p->kernel_h - 1) * p->dilation_h + 1;
  ekw = (int64_t)(p->kernel_w - 1) * p->dilation_w + 1;
  if (x->rank == 4 && (p->pad_top >= ekh || p->pad_bottom >= ekh)) return CORRUPT;
  if (p->pad_left >= ekw || p->pad_right >= ekw) return CORRUPT;
  xd = nchw_of(x);
  yd = nchw_of(y);
  if (xd.n != yd.n || xd.c != yd.c) return CORRUPT;
  if (!pool_len_ok(yd.h, xd.h, p->kernel_h, p->stride_h, p->dilation_h, p->pad_top, p->pad_bottom)) return CORRUPT;
  if (!pool_len_ok(yd.w, xd.w, p->kernel_w, p->stride_w, p->dilation_w, p->pad_left, p->pad_right)) return CORRUPT;
  return TGRS_OK;
}

static tgrs_status_t check_maxpool(const tgrs_kernel_call_t* call) { return check_pool(call); }
static tgrs_status_t check_avgpool(const tgrs_kernel_call_t* call) { return check_pool(call); }

static void run_maxpool(const tgrs_kernel_call_t* call, int32_t subop) {
  (void)subop;
  tgrs_maxpool2d_f32(&call->inputs[0], &call->outputs[0], (const tgrs_pool_params_t*)call->params);
}

static void run_avgpool(const tgrs_kernel_call_t* call, int32_t subop) {
  (void)subop;
  tgrs_avgpool2d_f32(&call->inputs[0], &call->outputs[0], (const tgrs_pool_params_t*)call->params);
}

/* ---- Global pools ---- */

/* Accumulation flags and the whole reduction's count: flags only BEGIN/END; count >= the
 * elements this call reduces (the whole reduction contains them), and equal to them when one
 * call does the whole reduction (BEGIN | END). */
static int acc_params_ok(int32_t flags, int32_t count, int64_t reduced_here) {
  if (flags < 0 || flags > (TGRS_ACC_BEGIN | TGRS_ACC_END)) return 0;
  if (count < 1 || count < reduced_here) return 0;
  if (flags == (TGRS_ACC_BEGIN | TGRS_ACC_END) && count != reduced_here) return 0;
  return 1;
}

static tgrs_status_t check_global_pool(const tgrs_kernel_call_t* call) {
  const tgrs_global_pool_params_t* p;
  const tgrs_tensor_t *x, *y;
  int64_t spatial = 1;
  int32_t d;
  tgrs_status_t st = check_call(call, 1, 1, 1, 1, sizeof(tgrs_global_pool_params_t));
  if (st != TGRS_OK) return st;
  p = (const tgrs_global_pool_params_t*)call->params;
  x = &call->inputs[0];
  y = &call->outputs[0];
  if (!f32_ok(x, 3, TGRS_MAX_RANK) || !f32_ok(y, x->rank, x->rank)) return CORRUPT;
  if (y->dims[0] != x->dims[0] || y->dims[1] != x->dims[1]) return CORRUPT;
  for (d = 2; d < y->rank; ++d) {
    if (y->dims[d] != 1) return CORRUPT;
    spatial *= x->dims[d];
  }
  if (!acc_params_ok(p->flags, p->count, spatial)) return CORRUPT;
  return TGRS_OK;
}

static tgrs_status_t check_global_avgpool(const tgrs_kernel_call_t* call) { return check_global_pool(call); }
static tgrs_status_t check_global_maxpool(const tgrs_kernel_call_t* call) { return check_global_pool(call); }

static void run_global_avgpool(const tgrs_kernel_call_t* call, int32_t subop) {
  (void)subop;
  tgrs_global_avgpool_f32(&call->inputs[0], &call->outputs[0], (const tgrs_global_pool_params_t*)call->params);
}

static void run_global_maxpool(const tgrs_kernel_call_t* call, int32_t subop) {
  (void)subop;
  tgrs_global_maxpool_f32(&call->inputs[0], &call->outputs[0], (const tgrs_global_pool_params_t*)call->params);
}

/* ---- ReduceMean ---- */

static tgrs_status_t check_reduce_mean(const tgrs_kernel_call_t* call) {
  const tgrs_reduce_params_t* p;
  const tgrs_tensor_t *x, *y;
  int64_t reduced = 1;
  int32_t d, r = 0;
  tgrs_status_t st = check_call(call, 1, 1, 1, 1, sizeof(tgrs_reduce_params_t));
  if (st != TGRS_OK) return st;
  p = (const tgrs_reduce_params_t*)call->params;
  x = &call->inputs[0];
  y = &call->outputs[0];
  if (!f32_ok(x, 0, TGRS_MAX_RANK) || !f32_ok(y, 0, TGRS_MAX_RANK)) return CORRUPT;
  if (p->keepdims != 0 && p->keepdims != 1) return CORRUPT;
  if (p->axes_mask < 0 || (p->axes_mask >> x->rank) != 0) return CORRUPT;
  for (d = 0; d < x->rank; ++d) {
    const int is_reduced = (p->axes_mask >> d) & 1;
    if (is_reduced) reduced *= x->dims[d];
    if (p->keepdims) {
      if (y->rank != x->rank || y->dims[d] != (is_reduced ? 1 : x->dims[d])) return CORRUPT;
    } else if (!is_reduced) {
      if (r >= y->rank || y->dims[r] != x->dims[d]) return CORRUPT;
      ++r;
    }
  }
  if (!p->keepdims && y->rank != r) return CORRUPT;
  if (!acc_params_ok(p->flags, p->count, reduced)) return CORRUPT;
  return TGRS_OK;
}

static void run_reduce_mean(const tgrs_kernel_call_t* call, int32_t subop) {
  (void)subop;
  tgrs_reduce_mean_f32(&call->inputs[0], &call->outputs[0], (const tgrs_reduce_params_t*)call->params);
}

/* ---- Concat / Split ---- */

/* `whole` is split into `parts` along axis: same rank, equal off-axis dims, axis dims summing up. */
static tgrs_status_t check_pieces(const tgrs_tensor_t* whole, const tgrs_tensor_t* parts, int32_t n_parts,
                                  int32_t axis) {
  int64_t sum = 0;
  int32_t i, d;
  if (!f32_ok(whole, 1, TGRS_MAX_RANK) || axis < 0 || axis >= whole->rank) return CORRUPT;
  for (i = 0; i < n_parts; ++i) {
    const tgrs_tensor_t* t = &parts[i];
    if (!f32_ok(t, whole->rank, whole->rank)) return CORRUPT;
    for (d = 0; d < whole->rank; ++d) {
      if (d != axis && t->dims[d] != whole->dims[d]) return CORRUPT;
    }
    sum += t->dims[axis];
  }
  return sum == whole->dims[axis] ? TGRS_OK : CORRUPT;
}

static tgrs_status_t check_concat(const tgrs_kernel_call_t* call) {
  tgrs_status_t st = check_call(call, 1, INT32_MAX, 1, 1, sizeof(tgrs_axis_params_t));
  if (st != TGRS_OK) return st;
  return check_pieces(&call->outputs[0], call->inputs, call->n_inputs,
                      ((const tgrs_axis_params_t*)call->params)->axis);
}

static tgrs_status_t check_split(const tgrs_kernel_call_t* call) {
  tgrs_status_t st = check_call(call, 1, 1, 1, INT32_MAX, sizeof(tgrs_axis_params_t));
  if (st != TGRS_OK) return st;
  return check_pieces(&call->inputs[0], call->outputs, call->n_outputs,
                      ((const tgrs_axis_params_t*)call->params)->axis);
}

static void run_concat(const tgrs_kernel_call_t* call, int32_t subop) {
  (void)subop;
  tgrs_concat_f32(call->inputs, call->n_inputs, &call->outputs[0], ((const tgrs_axis_params_t*)call->params)->axis);
}

static void run_split(const tgrs_kernel_call_t* call, int32_t subop) {
  (void)subop;
  tgrs_split_f32(&call->inputs[0], call->outputs, call->n_outputs, ((const tgrs_axis_params_t*)call->params)->axis);
}

/* ---- Slice ---- */

static tgrs_status_t check_slice(const tgrs_kernel_call_t* call) {
  const tgrs_slice_params_t* p;
  const tgrs_tensor_t *x, *y;
  int32_t d;
  tgrs_status_t st = check_call(call, 1, 1, 1, 1, sizeof(tgrs_slice_params_t));
  if (st != TGRS_OK) return st;
  p = (const tgrs_slice_params_t*)call->params;
  x = &call->inputs[0];
  y = &call->outputs[0];
  if (!f32_ok(x, 1, TGRS_MAX_RANK) || !f32_ok(y, x->rank, x->rank)) return CORRUPT;
  for (d = 0; d < x->rank; ++d) {
    const int64_t last = (int64_t)p->start[d] + (int64_t)(y->dims[d] - 1) * p->step[d];
    if (p->step[d] == 0) return CORRUPT;
    if (p->start[d] < 0 || p->start[d] >= x->dims[d] || last < 0 || last >= x->dims[d]) return CORRUPT;
  }
  return TGRS_OK;
}

static void run_slice(const tgrs_kernel_call_t* call, int32_t subop) {
  (void)subop;
  tgrs_slice_f32(&call->inputs[0], &call->outputs[0], (const tgrs_slice_params_t*)call->params);
}

/* ---- Transpose ---- */

static tgrs_status_t check_transpose(const tgrs_kernel_call_t* call) {
  const tgrs_transpose_params_t* p;
  const tgrs_tensor_t *x, *y;
  int32_t seen[TGRS_MAX_RANK];
  int32_t d;
  tgrs_status_t st = check_call(call, 1, 1, 1, 1, sizeof(tgrs_transpose_params_t));
  if (st != TGRS_OK) return st;
  p = (const tgrs_transpose_params_t*)call->params;
  x = &call->inputs[0];
  y = &call->outputs[0];
  if (!f32_ok(x, 0, TGRS_MAX_RANK) || !f32_ok(y, x->rank, x->rank)) return CORRUPT;
  for (d = 0; d < x->rank; ++d) seen[d] = 0;
  for (d = 0; d < x->rank; ++d) {
    const int32_t s = p->perm[d];
    if (s < 0 || s >= x->rank || seen[s]) return CORRUPT;
    seen[s] = 1;
    if (y->dims[d] != x->dims[s]) return CORRUPT;
  }
  return TGRS_OK;
}

static void run_transpose(const tgrs_kernel_call_t* call, int32_t subop) {
  (void)subop;
  tgrs_transpose_f32(&call->inputs[0], &call->outputs[0], ((const tgrs_transpose_params_t*)call->params)->perm);
}

/* ---- Pad ---- */

static tgrs_status_t check_pad(const tgrs_kernel_call_t* call) {
  const tgrs_pad_params_t* p;
  const tgrs_tensor_t *x, *y;
  int32_t d;
  tgrs_status_t st = check_call(call, 1, 1, 1, 1, sizeof(tgrs_pad_params_t));
  if (st != TGRS_OK) return st;
  p = (const tgrs_pad_params_t*)call->params;
  x = &call->inputs[0];
  y = &call->outputs[0];
  if (!f32_ok(x, 0, TGRS_MAX_RANK) || !f32_ok(y, x->rank, x->rank)) return CORRUPT;
  if (p->mode < TGRS_PAD_CONSTANT || p->mode > TGRS_PAD_WRAP) return CORRUPT;
  for (d = 0; d < x->rank; ++d) {
    const int64_t pb = p->pad_begin[d];
    const int64_t pe = (int64_t)y->dims[d] - x->dims[d] - pb;
    /* the input range kept after cropping must be non-empty */
    const int64_t kept = x->dims[d] - (pb < 0 ? -pb : 0) - (pe < 0 ? -pe : 0);
    if (kept < 1) return CORRUPT;
  }
  return TGRS_OK;
}

static void run_pad(const tgrs_kernel_call_t* call, int32_t subop) {
  (void)subop;
  tgrs_pad_f32(&call->inputs[0], &call->outputs[0], (const tgrs_pad_params_t*)call->params);
}

/* ---- Resize ---- */

static tgrs_status_t check_resize(const tgrs_kernel_call_t* call) {
  const tgrs_resize_params_t* p;
  const tgrs_tensor_t *x, *y;
  int32_t d;
  tgrs_status_t st = check_call(call, 1, 1, 1, 1, sizeof(tgrs_resize_params_t));
  if (st != TGRS_OK) return st;
  p = (const tgrs_resize_params_t*)call->params;
  x = &call->inputs[0];
  y = &call->outputs[0];
  if (!f32_ok(x, 1, TGRS_MAX_RANK) || !f32_ok(y, x->rank, x->rank)) return CORRUPT;
  if (p->mode < TGRS_RESIZE_NEAREST || p->mode > TGRS_RESIZE_CUBIC) return CORRUPT;
  if (p->coord_mode < TGRS_COORD_HALF_PIXEL || p->coord_mode > TGRS_COORD_HALF_PIXEL_SYMMETRIC) return CORRUPT;
  if (p->nearest_mode < TGRS_NEAREST_ROUND_PREFER_FLOOR || p->nearest_mode > TGRS_NEAREST_CEIL) return CORRUPT;
  if ((p->exclude_outside != 0 && p->exclude_outside != 1) || !is_finite(p->cubic_coeff_a)) return CORRUPT;
  for (d = 0; d < x->rank; ++d) {
    /* the whole Resize: output length = in * scale, rounded either way (floor for scales,
     * round for sizes) */
    const int32_t in_full = p->in_full[d], out_full = p->out_full[d];
    const int32_t in0 = p->in_origin[d], out0 = p->out_origin[d];
    double want, diff;
    int32_t lo_first, hi_first, lo_last, hi_last;
    if (!is_finite(p->scale[d]) || !(p->scale[d] > 0.0f)) return CORRUPT;
    if (in_full < 1 || out_full < 1 || in_full > SAFE_MAX || out_full > SAFE_MAX) return CORRUPT;
    want = (double)in_full * (double)p->scale[d];
    diff = (double)out_full - want;
    if (diff <= -1.0 || diff >= 1.0) return CORRUPT;
    /* the window: inside the whole tensors (int64: origin + dim cannot wrap) */
    if (in0 < 0 || out0 < 0) return CORRUPT;
    if ((int64_t)in0 + x->dims[d] > in_full || (int64_t)out0 + y->dims[d] > out_full) return CORRUPT;
    /* every input index the window's outputs read lies in the input window; the reads are
     * monotone in the output index (resize_f32.c), so the first and last output bound them */
    tgrs_resize_reads(p, d, out0, &lo_first, &hi_first);
    tgrs_resize_reads(p, d, out0 + y->dims[d] - 1, &lo_last, &hi_last);
    if (lo_first < in0 || lo_last < in0) return CORRUPT;
    if (hi_first >= in0 + x->dims[d] || hi_last >= in0 + x->dims[d]) return CORRUPT;
  }
  return TGRS_OK;
}

static void run_resize(const tgrs_kernel_call_t* call, int32_t subop) {
  (void)subop;
  tgrs_resize_f32(&call->inputs[0], &call->outputs[0], (const tgrs_resize_params_t*)call->params);
}

/* ---- Reductions, index ops, normalizations, TopK (ref_reduce_f32.h, ref_index.h) ---- */

/* A view of any known dtype with rank in [min_rank, max_rank]. */
static int any_ok(const tgrs_tensor_t* t, int32_t min_rank, int32_t max_rank) {
  return t->rank >= min_rank && t->rank <= max_rank && tensor_count(t) > 0;
}

/* An int32 or int64 index view with rank in [min_rank, max_rank]. */
static int index_ok(const tgrs_tensor_t* t, int32_t min_rank, int32_t max_rank) {
  return (t->dtype == TGRS_DTYPE_I32 || t->dtype == TGRS_DTYPE_I64) && any_ok(t, min_rank, max_rank);
}

/* The ReduceX family shares ReduceMean's record, shapes and accumulation rules. */
static tgrs_status_t check_reduce(const tgrs_kernel_call_t* call) { return check_reduce_mean(call); }

static void run_reduce(const tgrs_kernel_call_t* call, int32_t subop) {
  tgrs_reduce_f32(subop, &call->inputs[0], &call->outputs[0], (const tgrs_reduce_params_t*)call->params);
}

/* ReduceLogSumExp cannot continue a partial: one call does the whole reduction. */
static tgrs_status_t check_reduce_log_sum_exp(const tgrs_kernel_call_t* call) {
  tgrs_status_t st = check_reduce_mean(call);
  if (st != TGRS_OK) return st;
  return ((const tgrs_reduce_params_t*)call->params)->flags == (TGRS_ACC_BEGIN | TGRS_ACC_END) ? TGRS_OK : CORRUPT;
}

static void run_reduce_log_sum_exp(const tgrs_kernel_call_t* call, int32_t subop) {
  (void)subop;
  tgrs_reduce_log_sum_exp_f32(&call->inputs[0], &call->outputs[0], (const tgrs_reduce_params_t*)call->params);
}

/* y has x's dims with `axis` kept as extent `kept` (keepdims) or dropped. */
static int dims_without_axis(const tgrs_tensor_t* x, const tgrs_tensor_t* y, int32_t axis, int32_t keepdims,
                             int32_t kept) {
  int32_t d, r = 0;
  if (y->rank != (keepdims ? x->rank : x->rank - 1)) return 0;
  for (d = 0; d < x->rank; ++d) {
    if (d == axis) {
      if (keepdims && y->dims[r++] != kept) return 0;
    } else if (y->dims[r++] != x->dims[d]) {
      return 0;
    }
  }
  return 1;
}

static tgrs_status_t check_arg_reduce(const tgrs_kernel_call_t* call) {
  const tgrs_arg_reduce_params_t* p;
  const tgrs_tensor_t *x, *y;
  tgrs_status_t st = check_call(call, 1, 1, 1, 1, sizeof(tgrs_arg_reduce_params_t));
  if (st != TGRS_OK) return st;
  p = (const tgrs_arg_reduce_params_t*)call->params;
  x = &call->inputs[0];
  y = &call->outputs[0];
  if (!f32_ok(x, 1, TGRS_MAX_RANK) || y->dtype != TGRS_DTYPE_I64 || !any_ok(y, 0, TGRS_MAX_RANK)) return CORRUPT;
  if (p->axis < 0 || p->axis >= x->rank) return CORRUPT;
  if ((p->keepdims != 0 && p->keepdims != 1) || (p->select_last_index != 0 && p->select_last_index != 1))
    return CORRUPT;
  return dims_without_axis(x, y, p->axis, p->keepdims, 1) ? TGRS_OK : CORRUPT;
}

static void run_arg_reduce(const tgrs_kernel_call_t* call, int32_t subop) {
  tgrs_arg_reduce_f32(subop, &call->inputs[0], &call->outputs[0], (const tgrs_arg_reduce_params_t*)call->params);
}

static tgrs_status_t check_log_softmax(const tgrs_kernel_call_t* call) { return check_softmax(call); }

static void run_log_softmax(const tgrs_kernel_call_t* call, int32_t subop) {
  (void)subop;
  tgrs_log_softmax_f32(&call->inputs[0], &call->outputs[0], ((const tgrs_axis_params_t*)call->params)->axis);
}

/* Gather: y = x's dims before the axis, the index dims, x's dims after the axis. */
static tgrs_status_t check_gather(const tgrs_kernel_call_t* call) {
  const tgrs_tensor_t *x, *idx, *y;
  int32_t axis, d, r = 0;
  tgrs_status_t st = check_call(call, 2, 2, 1, 1, sizeof(tgrs_axis_params_t));
  if (st != TGRS_OK) return st;
  axis = ((const tgrs_axis_params_t*)call->params)->axis;
  x = &call->inputs[0];
  idx = &call->inputs[1];
  y = &call->outputs[0];
  if (!any_ok(x, 1, TGRS_MAX_RANK) || !index_ok(idx, 0, TGRS_MAX_RANK)) return CORRUPT;
  if (y->dtype != x->dtype || !any_ok(y, 0, TGRS_MAX_RANK)) return CORRUPT;
  if (axis < 0 || axis >= x->rank || y->rank != x->rank - 1 + idx->rank) return CORRUPT;
  for (d = 0; d < axis; ++d)
    if (y->dims[r++] != x->dims[d]) return CORRUPT;
  for (d = 0; d < idx->rank; ++d)
    if (y->dims[r++] != idx->dims[d]) return CORRUPT;
  for (d = axis + 1; d < x->rank; ++d)
    if (y->dims[r++] != x->dims[d]) return CORRUPT;
  return TGRS_OK;
}

static void run_gather(const tgrs_kernel_call_t* call, int32_t subop) {
  (void)subop;
  tgrs_gather(&call->inputs[0], &call->inputs[1], &call->outputs[0], ((const tgrs_axis_params_t*)call->params)->axis);
}

/* GatherElements: y and the indices of the same dims, each at most x's off the axis. */
static tgrs_status_t check_gather_elements(const tgrs_kernel_call_t* call) {
  const tgrs_tensor_t *x, *idx, *y;
  int32_t axis, d;
  tgrs_status_t st = check_call(call, 2, 2, 1, 1, sizeof(tgrs_axis_params_t));
  if (st != TGRS_OK) return st;
  axis = ((const tgrs_axis_params_t*)call->params)->axis;
  x = &call->inputs[0];
  idx = &call->inputs[1];
  y = &call->outputs[0];
  if (!any_ok(x, 1, TGRS_MAX_RANK) || !index_ok(idx, x->rank, x->rank)) return CORRUPT;
  if (y->dtype != x->dtype || !any_ok(y, x->rank, x->rank) || !same_shape(idx, y)) return CORRUPT;
  if (axis < 0 || axis >= x->rank) return CORRUPT;
  for (d = 0; d < x->rank; ++d)
    if (d != axis && idx->dims[d] > x->dims[d]) return CORRUPT;
  return TGRS_OK;
}

static void run_gather_elements(const tgrs_kernel_call_t* call, int32_t subop) {
  (void)subop;
  tgrs_gather_elements(&call->inputs[0], &call->inputs[1], &call->outputs[0],
                       ((const tgrs_axis_params_t*)call->params)->axis);
}

/* DepthToSpace / SpaceToDepth: rank 4, same dtype, blocksize >= 1 and the exact output dims;
 * `big` is the side with the channels (x for DepthToSpace), `small` the spatial one. */
static tgrs_status_t check_depth_space(const tgrs_kernel_call_t* call, int to_space) {
  const tgrs_depth_space_params_t* p;
  const tgrs_tensor_t *x, *y, *deep, *wide;
  int64_t b, bb;
  tgrs_status_t st = check_call(call, 1, 1, 1, 1, sizeof(tgrs_depth_space_params_t));
  if (st != TGRS_OK) return st;
  p = (const tgrs_depth_space_params_t*)call->params;
  x = &call->inputs[0];
  y = &call->outputs[0];
  if (!any_ok(x, 4, 4) || !any_ok(y, 4, 4) || x->dtype != y->dtype) return CORRUPT;
  if (to_space ? (p->mode != TGRS_DEPTH_SPACE_DCR && p->mode != TGRS_DEPTH_SPACE_CRD) : p->mode != 0) return CORRUPT;
  if (p->blocksize < 1) return CORRUPT;
  b = p->blocksize;
  bb = b * b;
  deep = to_space ? x : y;
  wide = to_space ? y : x;
  if (deep->dims[0] != wide->dims[0] || (int64_t)wide->dims[1] * bb != deep->dims[1]) return CORRUPT;
  if ((int64_t)deep->dims[2] * b != wide->dims[2] || (int64_t)deep->dims[3] * b != wide->dims[3]) return CORRUPT;
  return TGRS_OK;
}

static tgrs_status_t check_depth_to_space(const tgrs_kernel_call_t* call) { return check_depth_space(call, 1); }
static tgrs_status_t check_space_to_depth(const tgrs_kernel_call_t* call) { return check_depth_space(call, 0); }

static void run_depth_to_space(const tgrs_kernel_call_t* call, int32_t subop) {
  (void)subop;
  tgrs_depth_to_space(&call->inputs[0], &call->outputs[0], (const tgrs_depth_space_params_t*)call->params);
}

static void run_space_to_depth(const tgrs_kernel_call_t* call, int32_t subop) {
  (void)subop;
  tgrs_space_to_depth(&call->inputs[0], &call->outputs[0], (const tgrs_depth_space_params_t*)call->params);
}

static tgrs_status_t check_lp_norm(const tgrs_kernel_call_t* call) {
  const tgrs_lp_norm_params_t* p;
  tgrs_status_t st = check_call(call, 1, 1, 1, 1, sizeof(tgrs_lp_norm_params_t));
  if (st != TGRS_OK) return st;
  p = (const tgrs_lp_norm_params_t*)call->params;
  if (!f32_ok(&call->inputs[0], 1, TGRS_MAX_RANK) || !f32_ok(&call->outputs[0], 1, TGRS_MAX_RANK) ||
      !same_shape(&call->inputs[0], &call->outputs[0]))
    return CORRUPT;
  if (p->axis < 0 || p->axis >= call->inputs[0].rank || (p->p != 1 && p->p != 2)) return CORRUPT;
  return TGRS_OK;
}

static void run_lp_norm(const tgrs_kernel_call_t* call, int32_t subop) {
  (void)subop;
  tgrs_lp_norm_f32(&call->inputs[0], &call->outputs[0], (const tgrs_lp_norm_params_t*)call->params);
}

/* Instance/GroupNormalization: X [N, C, ...] (rank >= min_rank), scale and bias [C], Y like X. */
static tgrs_status_t check_channel_norm(const tgrs_kernel_call_t* call, int32_t min_rank, int grouped) {
  const tgrs_norm_params_t* p;
  const tgrs_tensor_t* x;
  int32_t i;
  tgrs_status_t st = check_call(call, 3, 3, 1, 1, sizeof(tgrs_norm_params_t));
  if (st != TGRS_OK) return st;
  p = (const tgrs_norm_params_t*)call->params;
  x = &call->inputs[0];
  if (!f32_ok(x, min_rank, TGRS_MAX_RANK) || !f32_ok(&call->outputs[0], 1, TGRS_MAX_RANK) ||
      !same_shape(x, &call->outputs[0]) || !is_finite(p->epsilon))
    return CORRUPT;
  for (i = 1; i < 3; ++i)
    if (!f32_ok(&call->inputs[i], 1, 1) || call->inputs[i].dims[0] != x->dims[1]) return CORRUPT;
  if (grouped && (p->num_groups < 1 || x->dims[1] % p->num_groups != 0)) return CORRUPT;
  return TGRS_OK;
}

static tgrs_status_t check_instance_norm(const tgrs_kernel_call_t* call) { return check_channel_norm(call, 3, 0); }
static tgrs_status_t check_group_norm(const tgrs_kernel_call_t* call) { return check_channel_norm(call, 2, 1); }

static void run_instance_norm(const tgrs_kernel_call_t* call, int32_t subop) {
  (void)subop;
  tgrs_instance_norm_f32(&call->inputs[0], &call->inputs[1], &call->inputs[2], &call->outputs[0],
                         (const tgrs_norm_params_t*)call->params);
}

static void run_group_norm(const tgrs_kernel_call_t* call, int32_t subop) {
  (void)subop;
  tgrs_group_norm_f32(&call->inputs[0], &call->inputs[1], &call->inputs[2], &call->outputs[0],
                      (const tgrs_norm_params_t*)call->params);
}

/* t broadcasts unidirectionally onto dims [axis, rank) of x (numpy, aligned from the right). */
static int broadcasts_to_tail(const tgrs_tensor_t* t, const tgrs_tensor_t* x, int32_t axis) {
  int32_t d;
  if (!f32_ok(t, 0, x->rank - axis)) return 0;
  for (d = 0; d < t->rank; ++d) {
    const int32_t xd = x->dims[x->rank - t->rank + d];
    if (t->dims[d] != 1 && t->dims[d] != xd) return 0;
  }
  return 1;
}

/* LayerNormalization: X, Scale, optional B; Y, optional Mean and InvStdDev (X's rank, extent 1
 * from the axis on). */
static tgrs_status_t check_layer_norm(const tgrs_kernel_call_t* call) {
  const tgrs_norm_params_t* p;
  const tgrs_tensor_t* x;
  int32_t i, d;
  tgrs_status_t st = check_call(call, 2, 3, 1, 3, sizeof(tgrs_norm_params_t));
  if (st != TGRS_OK) return st;
  p = (const tgrs_norm_params_t*)call->params;
  x = &call->inputs[0];
  if (!f32_ok(x, 1, TGRS_MAX_RANK) || p->axis < 0 || p->axis >= x->rank || !is_finite(p->epsilon)) return CORRUPT;
  if (!broadcasts_to_tail(&call->inputs[1], x, p->axis)) return CORRUPT;
  if (optional_present(call, 2) && !broadcasts_to_tail(&call->inputs[2], x, p->axis)) return CORRUPT;
  if (!f32_ok(&call->outputs[0], 1, TGRS_MAX_RANK) || !same_shape(x, &call->outputs[0])) return CORRUPT;
  for (i = 1; i < call->n_outputs; ++i) {
    const tgrs_tensor_t* s = &call->outputs[i];
    if (!f32_ok(s, x->rank, x->rank)) return CORRUPT;
    for (d = 0; d < x->rank; ++d)
      if (s->dims[d] != (d < p->axis ? x->dims[d] : 1)) return CORRUPT;
  }
  return TGRS_OK;
}

static void run_layer_norm(const tgrs_kernel_call_t* call, int32_t subop) {
  (void)subop;
  tgrs_layer_norm_f32(&call->inputs[0], &call->inputs[1], optional_data(call, 2) ? &call->inputs[2] : NULL,
                      &call->outputs[0], call->n_outputs > 1 ? &call->outputs[1] : NULL,
                      call->n_outputs > 2 ? &call->outputs[2] : NULL, (const tgrs_norm_params_t*)call->params);
}

/* TopK: values (f32) and int64 indices with x's dims, `k` along the axis. */
static tgrs_status_t check_topk(const tgrs_kernel_call_t* call) {
  const tgrs_topk_params_t* p;
  const tgrs_tensor_t *x, *v, *ix;
  tgrs_status_t st = check_call(call, 1, 1, 2, 2, sizeof(tgrs_topk_params_t));
  if (st != TGRS_OK) return st;
  p = (const tgrs_topk_params_t*)call->params;
  x = &call->inputs[0];
  v = &call->outputs[0];
  ix = &call->outputs[1];
  if (!f32_ok(x, 1, TGRS_MAX_RANK) || !f32_ok(v, x->rank, x->rank)) return CORRUPT;
  if (ix->dtype != TGRS_DTYPE_I64 || !any_ok(ix, x->rank, x->rank) || !same_shape(v, ix)) return CORRUPT;
  if (p->axis < 0 || p->axis >= x->rank || p->k < 1 || p->k > x->dims[p->axis]) return CORRUPT;
  if ((p->largest != 0 && p->largest != 1) || (p->sorted != 0 && p->sorted != 1)) return CORRUPT;
  return dims_without_axis(x, v, p->axis, 1, p->k) ? TGRS_OK : CORRUPT;
}

static void run_topk(const tgrs_kernel_call_t* call, int32_t subop) {
  (void)subop;
  tgrs_topk_f32(&call->inputs[0], &call->outputs[0], &call->outputs[1], (const tgrs_topk_params_t*)call->params);
}

/* ---- Reshape / Copy (any dtype) ---- */

/* Same dtype and element count; dense views may differ in dims (a flat byte copy), strided ones
 * must have the same dims (an element copy in row-major order). Reshape is dense-only. */
static tgrs_status_t check_view_like(const tgrs_kernel_call_t* call, int32_t max_in, int strided_ok) {
  const tgrs_tensor_t *x, *y;
  int64_t nx, ny;
  tgrs_status_t st = check_call(call, 1, max_in, 1, 1, sizeof(tgrs_empty_params_t));
  if (st != TGRS_OK) return st;
  x = &call->inputs[0];
  y = &call->outputs[0];
  nx = tensor_count(x);
  ny = tensor_count(y);
  if (nx <= 0 || nx != ny || x->dtype != y->dtype) return CORRUPT;
  if (tgrs_tensor_is_dense(x) && tgrs_tensor_is_dense(y)) return TGRS_OK;
  if (!strided_ok || !same_shape(x, y)) return CORRUPT;
  return TGRS_OK;
}

/* Reshape may carry its (constant) shape tensor as a second, unused input. */
static tgrs_status_t check_reshape(const tgrs_kernel_call_t* call) { return check_view_like(call, 2, 0); }
static tgrs_status_t check_copy(const tgrs_kernel_call_t* call) { return check_view_like(call, 1, 1); }

static void run_copy(const tgrs_kernel_call_t* call, int32_t subop) {
  const tgrs_tensor_t* x = &call->inputs[0];
  const tgrs_tensor_t* y = &call->outputs[0];
  (void)subop;
  if (tgrs_tensor_is_dense(x) && tgrs_tensor_is_dense(y)) {
    tgrs_copy_bytes(y->data, x->data, (size_t)tensor_count(x) * (size_t)tgrs_dtype_size(x->dtype));
  } else {
    tgrs_copy_view(x, y);
  }
}

/* A Reshape the planner could not alias copies its (dense) input. */
static void run_reshape(const tgrs_kernel_call_t* call, int32_t subop) { run_copy(call, subop); }

/* ---- Math, comparisons, logic, Where, Cast, Expand, Tile (math_f32.c, logic.c, cast.c,
 * expand_tile.c): the elementwise ops beyond Add/Sub/Mul/Div and the unary kernel, several of
 * them on int32/int64/bool tensors ---- */

/* t is a valid view of dtype `dtype` (0: any known dtype) with rank in [min_rank, max_rank]. */
static int typed_ok(const tgrs_tensor_t* t, int32_t dtype, int32_t min_rank, int32_t max_rank) {
  return (dtype == 0 || t->dtype == dtype) && t->rank >= min_rank && t->rank <= max_rank && tensor_count(t) > 0;
}

static int is_number_dtype(int32_t dtype) {
  return dtype == TGRS_DTYPE_F32 || dtype == TGRS_DTYPE_I32 || dtype == TGRS_DTYPE_I64;
}

/* y's dims are the numpy (multidirectional) broadcast of the n inputs' dims: y rank = the
 * largest input rank; per dim (aligned right) every input has 1 or y's extent, and y's extent
 * is 1 only when every input has 1. Views must already be valid (dims > 0). */
static int broadcast_ok(const tgrs_tensor_t* ins, int32_t n, const tgrs_tensor_t* y) {
  int32_t i, d, r = 0;
  for (i = 0; i < n; ++i)
    if (ins[i].rank > r) r = ins[i].rank;
  if (y->rank != r) return 0;
  for (d = 0; d < r; ++d) {
    int32_t want = 1;
    for (i = 0; i < n; ++i) {
      const int32_t k = d - (r - ins[i].rank);
      const int32_t v = k >= 0 ? ins[i].dims[k] : 1;
      if (v == 1) continue;
      if (want != 1 && want != v) return 0;
      want = v;
    }
    if (y->dims[d] != want) return 0;
  }
  return 1;
}

/* n inputs of dtype in_dtype (0: any known, all equal), one output of out_dtype (0: the inputs'),
 * numpy broadcasting, empty params. */
static tgrs_status_t check_broadcast_op(const tgrs_kernel_call_t* call, int32_t min_in, int32_t max_in,
                                        int32_t in_dtype, int32_t out_dtype) {
  int32_t i;
  tgrs_status_t st = check_call(call, min_in, max_in, 1, 1, sizeof(tgrs_empty_params_t));
  if (st != TGRS_OK) return st;
  for (i = 0; i < call->n_inputs; ++i) {
    if (!typed_ok(&call->inputs[i], in_dtype, 0, TGRS_MAX_RANK)) return CORRUPT;
    if (call->inputs[i].dtype != call->inputs[0].dtype) return CORRUPT;
  }
  if (!typed_ok(&call->outputs[0], out_dtype != 0 ? out_dtype : call->inputs[0].dtype, 0, TGRS_MAX_RANK))
    return CORRUPT;
  return broadcast_ok(call->inputs, call->n_inputs, &call->outputs[0]) ? TGRS_OK : CORRUPT;
}

/* Max, Min, Sum, Mean: 1..16 inputs (a plan op's limit) of one dtype, float32, int32 or int64. */
static tgrs_status_t check_variadic(const tgrs_kernel_call_t* call) {
  tgrs_status_t st = check_broadcast_op(call, 1, 16, 0, 0);
  if (st != TGRS_OK) return st;
  return is_number_dtype(call->inputs[0].dtype) ? TGRS_OK : CORRUPT;
}

static void run_variadic(const tgrs_kernel_call_t* call, int32_t subop) {
  tgrs_variadic(subop, call->inputs, call->n_inputs, &call->outputs[0]);
}

static tgrs_status_t check_prelu(const tgrs_kernel_call_t* call) {
  return check_broadcast_op(call, 2, 2, TGRS_DTYPE_F32, TGRS_DTYPE_F32);
}

static void run_prelu(const tgrs_kernel_call_t* call, int32_t subop) {
  (void)subop;
  tgrs_prelu_f32(&call->inputs[0], &call->inputs[1], &call->outputs[0]);
}

/* Pow: float32 base, float32/int32/int64 exponent, float32 output. */
static tgrs_status_t check_pow(const tgrs_kernel_call_t* call) {
  tgrs_status_t st = check_call(call, 2, 2, 1, 1, sizeof(tgrs_empty_params_t));
  if (st != TGRS_OK) return st;
  if (!typed_ok(&call->inputs[0], TGRS_DTYPE_F32, 0, TGRS_MAX_RANK) ||
      !typed_ok(&call->inputs[1], 0, 0, TGRS_MAX_RANK) || !is_number_dtype(call->inputs[1].dtype) ||
      !typed_ok(&call->outputs[0], TGRS_DTYPE_F32, 0, TGRS_MAX_RANK))
    return CORRUPT;
  return broadcast_ok(call->inputs, 2, &call->outputs[0]) ? TGRS_OK : CORRUPT;
}

static void run_pow(const tgrs_kernel_call_t* call, int32_t subop) {
  (void)subop;
  tgrs_pow_f32(&call->inputs[0], &call->inputs[1], &call->outputs[0]);
}

/* Comparisons: two inputs of one dtype (float32, int32, int64 or bool), bool output. */
static tgrs_status_t check_compare(const tgrs_kernel_call_t* call) {
  tgrs_status_t st = check_broadcast_op(call, 2, 2, 0, TGRS_DTYPE_BOOL);
  if (st != TGRS_OK) return st;
  if (!is_number_dtype(call->inputs[0].dtype) && call->inputs[0].dtype != TGRS_DTYPE_BOOL) return CORRUPT;
  return TGRS_OK;
}

static void run_compare(const tgrs_kernel_call_t* call, int32_t subop) {
  tgrs_compare(subop, &call->inputs[0], &call->inputs[1], &call->outputs[0]);
}

static tgrs_status_t check_logical(const tgrs_kernel_call_t* call) {
  return check_broadcast_op(call, 2, 2, TGRS_DTYPE_BOOL, TGRS_DTYPE_BOOL);
}

static void run_logical(const tgrs_kernel_call_t* call, int32_t subop) {
  tgrs_logical(subop, &call->inputs[0], &call->inputs[1], &call->outputs[0]);
}

static tgrs_status_t check_logical_not(const tgrs_kernel_call_t* call) {
  tgrs_status_t st = check_call(call, 1, 1, 1, 1, sizeof(tgrs_empty_params_t));
  if (st != TGRS_OK) return st;
  if (!typed_ok(&call->inputs[0], TGRS_DTYPE_BOOL, 0, TGRS_MAX_RANK) ||
      !typed_ok(&call->outputs[0], TGRS_DTYPE_BOOL, 0, TGRS_MAX_RANK) ||
      !same_shape(&call->inputs[0], &call->outputs[0]))
    return CORRUPT;
  return TGRS_OK;
}

static void run_logical_not(const tgrs_kernel_call_t* call, int32_t subop) {
  (void)subop;
  tgrs_logical_not(&call->inputs[0], &call->outputs[0]);
}

/* Where: bool condition, X and Y of one known dtype, output of that dtype, broadcasting over
 * all three. */
static tgrs_status_t check_where(const tgrs_kernel_call_t* call) {
  const tgrs_tensor_t* in;
  tgrs_status_t st = check_call(call, 3, 3, 1, 1, sizeof(tgrs_empty_params_t));
  if (st != TGRS_OK) return st;
  in = call->inputs;
  if (!typed_ok(&in[0], TGRS_DTYPE_BOOL, 0, TGRS_MAX_RANK) || !typed_ok(&in[1], 0, 0, TGRS_MAX_RANK) ||
      !typed_ok(&in[2], in[1].dtype, 0, TGRS_MAX_RANK) || !typed_ok(&call->outputs[0], in[1].dtype, 0, TGRS_MAX_RANK))
    return CORRUPT;
  return broadcast_ok(in, 3, &call->outputs[0]) ? TGRS_OK : CORRUPT;
}

static void run_where(const tgrs_kernel_call_t* call, int32_t subop) {
  (void)subop;
  tgrs_where(&call->inputs[0], &call->inputs[1], &call->inputs[2], &call->outputs[0]);
}

/* Cast: float32/int32/int64/bool to any of them, same dims (the dtypes are the tensors'). */
static tgrs_status_t check_cast(const tgrs_kernel_call_t* call) {
  const tgrs_tensor_t *x, *y;
  tgrs_status_t st = check_call(call, 1, 1, 1, 1, sizeof(tgrs_empty_params_t));
  if (st != TGRS_OK) return st;
  x = &call->inputs[0];
  y = &call->outputs[0];
  if (!typed_ok(x, 0, 0, TGRS_MAX_RANK) || !typed_ok(y, 0, 0, TGRS_MAX_RANK) || !same_shape(x, y)) return CORRUPT;
  if ((!is_number_dtype(x->dtype) && x->dtype != TGRS_DTYPE_BOOL) ||
      (!is_number_dtype(y->dtype) && y->dtype != TGRS_DTYPE_BOOL))
    return CORRUPT;
  return TGRS_OK;
}

static void run_cast(const tgrs_kernel_call_t* call, int32_t subop) {
  (void)subop;
  tgrs_cast(&call->inputs[0], &call->outputs[0]);
}

/* Expand: x (any known dtype) broadcasts unidirectionally to y of the same dtype. */
static tgrs_status_t check_expand(const tgrs_kernel_call_t* call) {
  const tgrs_tensor_t *x, *y;
  int32_t d;
  tgrs_status_t st = check_call(call, 1, 1, 1, 1, sizeof(tgrs_empty_params_t));
  if (st != TGRS_OK) return st;
  x = &call->inputs[0];
  y = &call->outputs[0];
  if (!typed_ok(x, 0, 0, TGRS_MAX_RANK) || !typed_ok(y, x->dtype, x->rank, TGRS_MAX_RANK)) return CORRUPT;
  for (d = 0; d < x->rank; ++d) {
    const int32_t yd = y->dims[d + (y->rank - x->rank)];
    if (x->dims[d] != 1 && x->dims[d] != yd) return CORRUPT;
  }
  return TGRS_OK;
}

static void run_expand(const tgrs_kernel_call_t* call, int32_t subop) {
  (void)subop;
  tgrs_expand(&call->inputs[0], &call->outputs[0]);
}

/* Tile: same rank and dtype, every y dim a whole multiple of x's. */
static tgrs_status_t check_tile(const tgrs_kernel_call_t* call) {
  const tgrs_tensor_t *x, *y;
  int32_t d;
  tgrs_status_t st = check_call(call, 1, 1, 1, 1, sizeof(tgrs_empty_params_t));
  if (st != TGRS_OK) return st;
  x = &call->inputs[0];
  y = &call->outputs[0];
  if (!typed_ok(x, 0, 0, TGRS_MAX_RANK) || !typed_ok(y, x->dtype, x->rank, x->rank)) return CORRUPT;
  for (d = 0; d < x->rank; ++d) {
    if (y->dims[d] % x->dims[d] != 0) return CORRUPT;
  }
  return TGRS_OK;
}

static void run_tile(const tgrs_kernel_call_t* call, int32_t subop) {
  (void)subop;
  tgrs_tile(&call->inputs[0], &call->outputs[0]);
}

/* ---- LSTM / GRU / RNN ---- */

/* Gates per cell: 1, 3 or 4. */
static int32_t rnn_cell_gates(int32_t cell) {
  return cell == TGRS_RNN_CELL_LSTM ? 4 : (cell == TGRS_RNN_CELL_GRU ? 3 : 1);
}

/* A state view (initial_h/c, Y_h, Y_c): [D, B, H], or [B, D, H] with layout 1. */
static int rnn_state_ok(const tgrs_tensor_t* t, int32_t layout, int32_t dirs, int32_t batch, int32_t hidden) {
  if (!f32_ok(t, 3, 3)) return 0;
  return t->dims[layout ? 1 : 0] == dirs && t->dims[layout ? 0 : 1] == batch && t->dims[2] == hidden;
}

static int rnn_act_ok(const tgrs_rnn_act_t* a) {
  return a->kind >= TGRS_RNN_ACT_SIGMOID && a->kind <= TGRS_RNN_ACT_SOFTPLUS && is_finite(a->alpha) &&
         is_finite(a->beta);
}

/* Output k of the call that carries ONNX output `bit`, or NULL when the call does not compute it. */
static const tgrs_tensor_t* rnn_output(const tgrs_kernel_call_t* call, int32_t bit) {
  const int32_t mask = ((const tgrs_rnn_params_t*)call->params)->outputs;
  int32_t k = 0, b;
  if (!(mask & bit)) return NULL;
  for (b = 1; b < bit; b <<= 1)
    if (mask & b) ++k;
  return &call->outputs[k];
}

/* Bytes of scratch (tgrs_rnn_scratch_floats), the gate count from W's rows over hidden_size
 * (check() ties them to the row's cell); 0 for a call whose params or W do not say. */
static uint32_t scratch_rnn(const tgrs_kernel_call_t* call) {
  const tgrs_rnn_params_t* p;
  int64_t gates, bytes;
  if (call == NULL || call->params == NULL || call->params_size != sizeof(tgrs_rnn_params_t) || call->n_inputs < 3 ||
      call->inputs == NULL)
    return 0;
  p = (const tgrs_rnn_params_t*)call->params;
  if (p->hidden_size <= 0 || call->inputs[1].rank != 3 || call->inputs[1].dims[1] % p->hidden_size != 0) return 0;
  gates = call->inputs[1].dims[1] / p->hidden_size;
  bytes = tgrs_rnn_scratch_floats(gates, p->hidden_size) * 4;
  return bytes > 0 && bytes <= SAFE_MAX ? (uint32_t)bytes : 0;
}
#define TGRS_REF_SCRATCH_lstm ~, scratch_rnn
#define TGRS_REF_SCRATCH_gru ~, scratch_rnn
#define TGRS_REF_SCRATCH_rnn ~, scratch_rnn

static tgrs_status_t check_rnn_cell(const tgrs_kernel_call_t* call, int32_t cell) {
  const tgrs_rnn_params_t* p;
  const tgrs_tensor_t *x, *w, *r;
  const int32_t gates = rnn_cell_gates(cell), is_lstm = cell == TGRS_RNN_CELL_LSTM;
  int32_t steps, batch, input, dirs, hn, n_out = 0, bit, k;
  int64_t gh;
  tgrs_status_t st = check_call(call, 3, is_lstm ? 8 : 6, 1, is_lstm ? 3 : 2, sizeof(tgrs_rnn_params_t));
  if (st != TGRS_OK) return st;
  p = (const tgrs_rnn_params_t*)call->params;
  if (p->hidden_size <= 0 || p->direction < TGRS_RNN_FORWARD || p->direction > TGRS_RNN_BIDIRECTIONAL) return CORRUPT;
  if ((p->layout != 0 && p->layout != 1) || !(p->clip >= 0.0f)) return CORRUPT; /* !(>=) also rejects NaN */
  if ((p->input_forget != 0 && p->input_forget != 1) || (p->input_forget && !is_lstm)) return CORRUPT;
  if ((p->linear_before_reset != 0 && p->linear_before_reset != 1) ||
      (p->linear_before_reset && cell != TGRS_RNN_CELL_GRU))
    return CORRUPT;
  for (k = 0; k < TGRS_RNN_MAX_ACTS; ++k)
    if (!rnn_act_ok(&p->act[k])) return CORRUPT;
  if (p->outputs <= 0 || p->outputs > (is_lstm ? 7 : 3)) return CORRUPT;
  for (bit = 1; bit <= 4; bit <<= 1)
    if (p->outputs & bit) ++n_out;
  if (n_out != call->n_outputs) return CORRUPT;
  x = &call->inputs[0];
  w = &call->inputs[1];
  r = &call->inputs[2];
  if (!f32_ok(x, 3, 3) || !f32_ok(w, 3, 3) || !f32_ok(r, 3, 3)) return CORRUPT;
  steps = x->dims[p->layout ? 1 : 0];
  batch = x->dims[p->layout ? 0 : 1];
  input = x->dims[2];
  dirs = p->direction == TGRS_RNN_BIDIRECTIONAL ? 2 : 1;
  hn = p->hidden_size;
  gh = (int64_t)gates * hn;
  if (w->dims[0] != dirs || w->dims[1] != gh || w->dims[2] != input) return CORRUPT;
  if (r->dims[0] != dirs || r->dims[1] != gh || r->dims[2] != hn) return CORRUPT;
  if (optional_present(call, 3)) {
    const tgrs_tensor_t* b = &call->inputs[3];
    if (!f32_ok(b, 2, 2) || b->dims[0] != dirs || b->dims[1] != 2 * gh) return CORRUPT;
  }
  if (optional_present(call, 4)) {
    const tgrs_tensor_t* sl = &call->inputs[4];
    if (sl->dtype != TGRS_DTYPE_I32 || sl->rank != 1 || tensor_count(sl) != batch) return CORRUPT;
  }
  if (optional_present(call, 5) && !rnn_state_ok(&call->inputs[5], p->layout, dirs, batch, hn)) return CORRUPT;
  if (optional_present(call, 6) && !rnn_state_ok(&call->inputs[6], p->layout, dirs, batch, hn)) return CORRUPT;
  if (optional_present(call, 7)) {
    const tgrs_tensor_t* pp = &call->inputs[7];
    if (!f32_ok(pp, 2, 2) || pp->dims[0] != dirs || pp->dims[1] != 3 * (int64_t)hn) return CORRUPT;
  }
  if (rnn_output(call, TGRS_RNN_OUT_Y) != NULL) {
    const tgrs_tensor_t* y = rnn_output(call, TGRS_RNN_OUT_Y);
    if (!f32_ok(y, 4, 4) || y->dims[3] != hn) return CORRUPT;
    if (p->layout ? (y->dims[0] != batch || y->dims[1] != steps || y->dims[2] != dirs)
                  : (y->dims[0] != steps || y->dims[1] != dirs || y->dims[2] != batch))
      return CORRUPT;
  }
  if (rnn_output(call, TGRS_RNN_OUT_Y_H) != NULL &&
      !rnn_state_ok(rnn_output(call, TGRS_RNN_OUT_Y_H), p->layout, dirs, batch, hn))
    return CORRUPT;
  if (rnn_output(call, TGRS_RNN_OUT_Y_C) != NULL &&
      !rnn_state_ok(rnn_output(call, TGRS_RNN_OUT_Y_C), p->layout, dirs, batch, hn))
    return CORRUPT;
  if (call->scratch_size < scratch_rnn(call) || scratch_rnn(call) == 0) return CORRUPT;
  return TGRS_OK;
}

/* One entry per cell (ops.def rows LSTM, GRU, RNN), so check() knows the row's cell. */
static tgrs_status_t check_lstm(const tgrs_kernel_call_t* call) { return check_rnn_cell(call, TGRS_RNN_CELL_LSTM); }
static tgrs_status_t check_gru(const tgrs_kernel_call_t* call) { return check_rnn_cell(call, TGRS_RNN_CELL_GRU); }
static tgrs_status_t check_rnn(const tgrs_kernel_call_t* call) { return check_rnn_cell(call, TGRS_RNN_CELL_RNN); }

static void run_rnn_cell(const tgrs_kernel_call_t* call, int32_t cell) {
  const tgrs_tensor_t* in = call->inputs;
  tgrs_rnn_f32(cell, &in[0], &in[1], &in[2], optional_data(call, 3) ? &in[3] : NULL,
               optional_data(call, 4) ? &in[4] : NULL, optional_data(call, 5) ? &in[5] : NULL,
               optional_data(call, 6) ? &in[6] : NULL, optional_data(call, 7) ? &in[7] : NULL,
               rnn_output(call, TGRS_RNN_OUT_Y), rnn_output(call, TGRS_RNN_OUT_Y_H), rnn_output(call, TGRS_RNN_OUT_Y_C),
               (const tgrs_rnn_params_t*)call->params, (float*)call->scratch);
}

static void run_lstm(const tgrs_kernel_call_t* call, int32_t subop) {
  (void)subop;
  run_rnn_cell(call, TGRS_RNN_CELL_LSTM);
}
static void run_gru(const tgrs_kernel_call_t* call, int32_t subop) {
  (void)subop;
  run_rnn_cell(call, TGRS_RNN_CELL_GRU);
}
static void run_rnn(const tgrs_kernel_call_t* call, int32_t subop) {
  (void)subop;
  run_rnn_cell(call, TGRS_RNN_CELL_RNN);
}

/* ---- QuantizeLinear / DequantizeLinear (float <-> int8/uint8, qdq_f32.c) ---- */

static tgrs_status_t check_quantize(const tgrs_kernel_call_t* call) { return tgrs_quantize_f32_s8_check(call); }
static tgrs_status_t check_dequantize(const tgrs_kernel_call_t* call) { return tgrs_dequantize_s8_f32_check(call); }

static void run_quantize(const tgrs_kernel_call_t* call, int32_t subop) {
  (void)subop;
  tgrs_quantize_f32_s8_run(call);
}

static void run_dequantize(const tgrs_kernel_call_t* call, int32_t subop) {
  (void)subop;
  tgrs_dequantize_s8_f32_run(call);
}

/* ---- Ops that never reach a plan (import-only rows of ops.def) ---- */

/* check() rejects them, so the loader refuses such a plan; run() is a harmless no-op so a
 * backend that falls back to this table never calls through NULL. */
static tgrs_status_t check_unsupported(const tgrs_kernel_call_t* call) {
  (void)call;
  return TGRS_ERR_UNSUPPORTED_OP;
}

static void run_unsupported(const tgrs_kernel_call_t* call, int32_t subop) {
  (void)call;
  (void)subop;
}

/* ======================================================================================== */
/* The table, generated from ops.def: row `name` runs run_<kernel>(call, subop) and is checked
 * by check_<kernel>(); each entry sits at its plan code (designated initializers), so a code
 * without a row has run == NULL and the loader refuses it as an unsupported op. A kernel that
 * needs scratch defines TGRS_REF_SCRATCH_<kernel> as `~, scratch_<kernel>`; the probe below then
 * picks scratch_<kernel>, and NULL for every other kernel. */

/* Every row also gets its own external entry points tgrs_ref_<Name>_f32_run/_check
 * (backend_reference.h): a resolver table that names only the rows a plan uses (tigris codegen)
 * links only their code when the firmware is built with -ffunction-sections --gc-sections. */
#define TIGRIS_OP_TRAITS(name, onnx, code, import, params, kernel, subop, inputs, out, act, tile) \
  void tgrs_ref_##name##_f32_run(const tgrs_kernel_call_t* call) { run_##kernel(call, subop); } \
  tgrs_status_t tgrs_ref_##name##_f32_check(const tgrs_kernel_call_t* call) { return check_##kernel(call); }
#include "tigris/ops.def"
#undef TIGRIS_OP_TRAITS

#define TGRS_REF_SECOND_(a, b, ...) b
#define TGRS_REF_SECOND(...) TGRS_REF_SECOND_(__VA_ARGS__)
#define TGRS_REF_SCRATCH_OF(kernel) TGRS_REF_SECOND(TGRS_REF_SCRATCH_##kernel, NULL, ~)

/* ---- The int8 table (ops_s8.def): row `name` with kernel k is check_s8_k / run_s8_k, the
 * integer-only kernels of ref_s8.h. ---- */

#define TGRS_S8_ENTRY(k, fn)                                                                       \
  static tgrs_status_t check_s8_##k(const tgrs_kernel_call_t* call) { return tgrs_##fn##_check(call); } \
  static void run_s8_##k(const tgrs_kernel_call_t* call) { tgrs_##fn##_run(call); }
TGRS_S8_ENTRY(conv, conv2d_s8)
TGRS_S8_ENTRY(gemm, gemm_s8)
TGRS_S8_ENTRY(matmul, matmul_s8)
TGRS_S8_ENTRY(add, add_s8)
TGRS_S8_ENTRY(sub, sub_s8)
TGRS_S8_ENTRY(mul, mul_s8)
TGRS_S8_ENTRY(lut, lut_s8)
TGRS_S8_ENTRY(softmax, softmax_s8)
TGRS_S8_ENTRY(maxpool, maxpool2d_s8)
TGRS_S8_ENTRY(avgpool, avgpool2d_s8)
TGRS_S8_ENTRY(global_avgpool, global_avgpool_s8)
TGRS_S8_ENTRY(global_maxpool, global_maxpool_s8)
TGRS_S8_ENTRY(concat, concat_s8)
TGRS_S8_ENTRY(split, split_s8)
TGRS_S8_ENTRY(slice, slice_s8)
TGRS_S8_ENTRY(transpose, transpose_s8)
TGRS_S8_ENTRY(pad, pad_s8)
TGRS_S8_ENTRY(resize_nearest, resize_nearest_s8)
#undef TGRS_S8_ENTRY

/* Requantize: int8 -> int8 is TFLite's kernel; a uint8 side (the plan boundary) the q8 one. */
static int requantize_all_i8(const tgrs_kernel_call_t* call) {
  return call != NULL && call->n_inputs == 1 && call->n_outputs == 1 && call->inputs != NULL &&
         call->outputs != NULL && call->inputs[0].dtype == TGRS_DTYPE_I8 && call->outputs[0].dtype == TGRS_DTYPE_I8;
}
static tgrs_status_t check_s8_requantize(const tgrs_kernel_call_t* call) {
  return requantize_all_i8(call) ? tgrs_requantize_s8_check(call) : tgrs_requantize_q8_check(call);
}
static void run_s8_requantize(const tgrs_kernel_call_t* call) {
  if (requantize_all_i8(call)) {
    tgrs_requantize_s8_run(call);
  } else {
    tgrs_requantize_q8_run(call);
  }
}

/* The rows' int8 entry points (tgrs_ref_<Name>_s8_run/_check, backend_reference.h). */
#define TIGRIS_OP_S8(name, params, kernel)                                                          \
  void tgrs_ref_##name##_s8_run(const tgrs_kernel_call_t* call) { run_s8_##kernel(call); }         \
  tgrs_status_t tgrs_ref_##name##_s8_check(const tgrs_kernel_call_t* call) { return check_s8_##kernel(call); }
#include "tigris/ops_s8.def"
#undef TIGRIS_OP_S8

const tgrs_backend_t tgrs_backend_reference = {
    "reference",
    {
        [0] = {NULL, NULL, NULL}, /* code 0 is not an op */
#define TIGRIS_OP_TRAITS(name, onnx, code, import, params, kernel, subop, inputs, out, act, tile) \
  [code] = {tgrs_ref_##name##_f32_run, check_##kernel, TGRS_REF_SCRATCH_OF(kernel)},
#include "tigris/ops.def"
#undef TIGRIS_OP_TRAITS
    },
    {
        [0] = {NULL, NULL, NULL},
#define TIGRIS_OP_S8(name, params, kernel) [TGRS_OP_##name] = {run_s8_##kernel, check_s8_##kernel, NULL},
#include "tigris/ops_s8.def"
#undef TIGRIS_OP_S8
    }};
