/* Reference data movement over 1-byte (int8 / uint8) strided views: Concat, Split, Slice,
 * Transpose and Pad move quantized values without touching them (the quantization of input and
 * output is the same; a LowerQdq graph requantizes around them where it is not), and Requantize
 * between int8 and uint8 tensors (the plan boundary of a uint8 model). Pure index arithmetic
 * over dims check() validated, with the same check() rules as the f32 kernels'
 * (backend_reference.c). Integer-only. */
#include "ref_s8_internal.h"

/* One-byte dtype (int8 or uint8). */
static int byte_dtype(int32_t dtype) { return dtype == TGRS_DTYPE_I8 || dtype == TGRS_DTYPE_U8; }

/* x is a valid 1-byte view of rank [min_rank, max_rank]; `like` (if not NULL) has its dtype. */
static int byte_view_ok(const tgrs_tensor_t* x, const tgrs_tensor_t* like, int32_t min_rank, int32_t max_rank) {
  if (!byte_dtype(x->dtype) || (like != NULL && like->dtype != x->dtype)) return 0;
  return tgrs_s8_view_ok(x, x->dtype, min_rank, max_rank);
}

void tgrs_concat_s8(const tgrs_tensor_t* xs, int32_t n, const tgrs_tensor_t* y, int32_t axis) {
  tgrs_concat_elems(xs, n, y, axis, 1);
}

void tgrs_split_s8(const tgrs_tensor_t* x, const tgrs_tensor_t* ys, int32_t n, int32_t axis) {
  tgrs_split_elems(x, ys, n, axis, 1);
}

void tgrs_slice_s8(const tgrs_tensor_t* x, const tgrs_tensor_t* y, const tgrs_slice_params_t* p) {
  tgrs_slice_elems(x, y, p, 1);
}

void tgrs_transpose_s8(const tgrs_tensor_t* x, const tgrs_tensor_t* y, const int32_t* perm) {
  tgrs_transpose_elems(x, y, perm, 1);
}

void tgrs_pad_s8(const tgrs_tensor_t* xt, const tgrs_tensor_t* yt, const tgrs_pad_s8_params_t* p) {
  const uint8_t value = (uint8_t)(p->value & 0xFF); /* the int8 or uint8 value's byte */
  tgrs_pad_elems(xt, yt, p->pad_begin, p->mode, &value, 1);
}

/* Requantize with int8 or uint8 on either side: y = clamp(requant(x - input_zp) + output_zp) with
 * the zero points and the clamp in the ranges of their tensors' types. */
void tgrs_requantize_q8(const tgrs_tensor_t* xt, const tgrs_tensor_t* yt, const tgrs_requantize_s8_params_t* p) {
  const int x_u8 = xt->dtype == TGRS_DTYPE_U8, y_u8 = yt->dtype == TGRS_DTYPE_U8;
  tgrs_loop_t l;
  int32_t i;
  tgrs_loop_init(&l, xt->rank, xt->dims, xt->strides, yt->strides, NULL);
  do {
    for (i = 0; i < l.inner; ++i) {
      const ptrdiff_t xo = l.off[0] + i * l.step[0], yo = l.off[1] + i * l.step[1];
      const int32_t q = x_u8 ? (int32_t)((const uint8_t*)xt->data)[xo] : (int32_t)((const int8_t*)xt->data)[xo];
      const int32_t v = tgrs_s8_requant(q - p->input_zp, p->mult, tgrs_s8_shift_ok(p->shift));
      const int32_t r = tgrs_s8_clamp(tgrs_s8_sat32((int64_t)v + p->output_zp), p->act_min, p->act_max);
      if (y_u8) {
        ((uint8_t*)yt->data)[yo] = (uint8_t)r;
      } else {
        ((int8_t*)yt->data)[yo] = (int8_t)r;
      }
    }
  } while (tgrs_loop_next(&l));
}

/* ---- check / run ---- */

/* `whole` is split into `parts` along axis (the f32 rule), all of one 1-byte dtype. */
static tgrs_status_t check_pieces(const tgrs_tensor_t* whole, const tgrs_tensor_t* parts, int32_t n_parts,
                                  int32_t axis) {
  int64_t sum = 0;
  int32_t i, d;
  if (!byte_view_ok(whole, NULL, 1, TGRS_MAX_RANK) || axis < 0 || axis >= whole->rank) return TGRS_ERR_CORRUPT;
  for (i = 0; i < n_parts; ++i) {
    const tgrs_tensor_t* t = &parts[i];
    if (!byte_view_ok(t, whole, whole->rank, whole->rank)) return TGRS_ERR_CORRUPT;
    for (d = 0; d < whole->rank; ++d) {
      if (d != axis && t->dims[d] != whole->dims[d]) return TGRS_ERR_CORRUPT;
    }
    sum += t->dims[axis];
  }
  return sum == whole->dims[axis] ? TGRS_OK : TGRS_ERR_CORRUPT;
}

/* Counts and params like tgrs_s8_check_call, with any number of inputs or outputs. */
static tgrs_status_t check_counts(const tgrs_kernel_call_t* call, int many_inputs, uint32_t params_size) {
  if (call == NULL) return TGRS_ERR_BAD_ARG;
  if (many_inputs ? (call->n_inputs < 1 || call->n_outputs != 1) : (call->n_inputs != 1 || call->n_outputs < 1))
    return TGRS_ERR_CORRUPT;
  if (call->inputs == NULL || call->outputs == NULL) return TGRS_ERR_BAD_ARG;
  if (call->params_size != params_size || call->params == NULL) return TGRS_ERR_CORRUPT;
  return TGRS_OK;
}

tgrs_status_t tgrs_concat_s8_check(const tgrs_kernel_call_t* call) {
  tgrs_status_t st = check_counts(call, 1, sizeof(tgrs_axis_params_t));
  if (st != TGRS_OK) return st;
  return check_pieces(&call->outputs[0], call->inputs, call->n_inputs,
                      ((const tgrs_axis_params_t*)call->params)->axis);
}

void tgrs_concat_s8_run(const tgrs_kernel_call_t* call) {
  tgrs_concat_s8(call->inputs, call->n_inputs, &call->outputs[0], ((const tgrs_axis_params_t*)call->params)->axis);
}

tgrs_status_t tgrs_split_s8_check(const tgrs_kernel_call_t* call) {
  tgrs_status_t st = check_counts(call, 0, sizeof(tgrs_axis_params_t));
  if (st != TGRS_OK) return st;
  return check_pieces(&call->inputs[0], call->outputs, call->n_outputs,
                      ((const tgrs_axis_params_t*)call->params)->axis);
}

void tgrs_split_s8_run(const tgrs_kernel_call_t* call) {
  tgrs_split_s8(&call->inputs[0], call->outputs, call->n_outputs, ((const tgrs_axis_params_t*)call->params)->axis);
}

tgrs_status_t tgrs_slice_s8_check(const tgrs_kernel_call_t* call) {
  const tgrs_slice_params_t* p;
  const tgrs_tensor_t *x, *y;
  int32_t d;
  tgrs_status_t st = tgrs_s8_check_call(call, 1, 1, 1, sizeof(tgrs_slice_params_t));
  if (st != TGRS_OK) return st;
  p = (const tgrs_slice_params_t*)call->params;
  x = &call->inputs[0];
  y = &call->outputs[0];
  if (!byte_view_ok(x, NULL, 1, TGRS_MAX_RANK) || !byte_view_ok(y, x, x->rank, x->rank)) return TGRS_ERR_CORRUPT;
  for (d = 0; d < x->rank; ++d) {
    const int64_t last = (int64_t)p->start[d] + (int64_t)(y->dims[d] - 1) * p->step[d];
    if (p->step[d] == 0) return TGRS_ERR_CORRUPT;
    if (p->start[d] < 0 || p->start[d] >= x->dims[d] || last < 0 || last >= x->dims[d]) return TGRS_ERR_CORRUPT;
  }
  return TGRS_OK;
}

void tgrs_slice_s8_run(const tgrs_kernel_call_t* call) {
  tgrs_slice_s8(&call->inputs[0], &call->outputs[0], (const tgrs_slice_params_t*)call->params);
}

tgrs_status_t tgrs_transpose_s8_check(const tgrs_kernel_call_t* call) {
  const tgrs_transpose_params_t* p;
  const tgrs_tensor_t *x, *y;
  int32_t seen[TGRS_MAX_RANK];
  int32_t d;
  tgrs_status_t st = tgrs_s8_check_call(call, 1, 1, 1, sizeof(tgrs_transpose_params_t));
  if (st != TGRS_OK) return st;
  p = (const tgrs_transpose_params_t*)call->params;
  x = &call->inputs[0];
  y = &call->outputs[0];
  if (!byte_view_ok(x, NULL, 0, TGRS_MAX_RANK) || !byte_view_ok(y, x, x->rank, x->rank)) return TGRS_ERR_CORRUPT;
  for (d = 0; d < x->rank; ++d) seen[d] = 0;
  for (d = 0; d < x->rank; ++d) {
    const int32_t s = p->perm[d];
    if (s < 0 || s >= x->rank || seen[s]) return TGRS_ERR_CORRUPT;
    seen[s] = 1;
    if (y->dims[d] != x->dims[s]) return TGRS_ERR_CORRUPT;
  }
  return TGRS_OK;
}

void tgrs_transpose_s8_run(const tgrs_kernel_call_t* call) {
  tgrs_transpose_s8(&call->inputs[0], &call->outputs[0], ((const tgrs_transpose_params_t*)call->params)->perm);
}

tgrs_status_t tgrs_pad_s8_check(const tgrs_kernel_call_t* call) {
  const tgrs_pad_s8_params_t* p;
  const tgrs_tensor_t *x, *y;
  int32_t d;
  tgrs_status_t st = tgrs_s8_check_call(call, 1, 1, 1, sizeof(tgrs_pad_s8_params_t));
  if (st != TGRS_OK) return st;
  p = (const tgrs_pad_s8_params_t*)call->params;
  x = &call->inputs[0];
  y = &call->outputs[0];
  if (!byte_view_ok(x, NULL, 0, TGRS_MAX_RANK) || !byte_view_ok(y, x, x->rank, x->rank)) return TGRS_ERR_CORRUPT;
  if (p->mode < TGRS_PAD_CONSTANT || p->mode > TGRS_PAD_WRAP) return TGRS_ERR_CORRUPT;
  if (x->dtype == TGRS_DTYPE_U8 ? (p->value < 0 || p->value > 255) : !tgrs_s8_zp_ok(p->value)) return TGRS_ERR_CORRUPT;
  for (d = 0; d < x->rank; ++d) {
    const int64_t pb = p->pad_begin[d];
    const int64_t pe = (int64_t)y->dims[d] - x->dims[d] - pb;
    const int64_t kept = x->dims[d] - (pb < 0 ? -pb : 0) - (pe < 0 ? -pe : 0);
    if (kept < 1) return TGRS_ERR_CORRUPT;
  }
  return TGRS_OK;
}

void tgrs_pad_s8_run(const tgrs_kernel_call_t* call) {
  tgrs_pad_s8(&call->inputs[0], &call->outputs[0], (const tgrs_pad_s8_params_t*)call->params);
}

/* Zero point / clamp bound inside the range of `dtype` (int8 or uint8). */
static int q8_value_ok(int32_t v, int32_t dtype) { return dtype == TGRS_DTYPE_U8 ? v >= 0 && v <= 255 : tgrs_s8_zp_ok(v); }

tgrs_status_t tgrs_requantize_q8_check(const tgrs_kernel_call_t* call) {
  const tgrs_requantize_s8_params_t* p;
  const tgrs_tensor_t *x, *y;
  tgrs_status_t st = tgrs_s8_check_call(call, 1, 1, 1, sizeof(tgrs_requantize_s8_params_t));
  if (st != TGRS_OK) return st;
  p = (const tgrs_requantize_s8_params_t*)call->params;
  x = &call->inputs[0];
  y = &call->outputs[0];
  if (!byte_view_ok(x, NULL, 0, TGRS_MAX_RANK) || !byte_view_ok(y, NULL, 0, TGRS_MAX_RANK) || !tgrs_s8_same_dims(x, y))
    return TGRS_ERR_CORRUPT;
  if (!q8_value_ok(p->input_zp, x->dtype) || !q8_value_ok(p->output_zp, y->dtype) ||
      !q8_value_ok(p->act_min, y->dtype) || !q8_value_ok(p->act_max, y->dtype) || p->act_min > p->act_max)
    return TGRS_ERR_CORRUPT;
  if (p->shift < -31 || p->shift > 30) return TGRS_ERR_CORRUPT;
  return TGRS_OK;
}

void tgrs_requantize_q8_run(const tgrs_kernel_call_t* call) {
  tgrs_requantize_q8(&call->inputs[0], &call->outputs[0], (const tgrs_requantize_s8_params_t*)call->params);
}
