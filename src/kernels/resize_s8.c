/* Reference nearest Resize for 1-byte tensors as a gather through host-computed source-index
 * tables (the float coordinate transform runs in the compiler, e.g. tgrs_resize_reads), so the
 * bytes copied are exactly those the f32 kernel would pick while the kernel stays integer-only.
 * Table values are data: every index is clamped into the input view, so no table can make the
 * kernel read outside it. */
#include "ref_s8_internal.h"

/* Local input index of a global source index, clamped into [0, len). */
static ptrdiff_t src_index(int32_t global, int32_t origin, int32_t len) {
  const int64_t j = (int64_t)global - origin;
  return (ptrdiff_t)(j < 0 ? 0 : (j >= len ? len - 1 : j));
}

void tgrs_resize_nearest_s8(const tgrs_tensor_t* xt, const tgrs_tensor_t* tt, const tgrs_tensor_t* yt,
                            const tgrs_resize_nearest_s8_params_t* p) {
  const uint8_t* x = (const uint8_t*)xt->data;
  const int32_t* table = (const int32_t*)tt->data;
  const ptrdiff_t st = tt->strides[0];
  uint8_t* y = (uint8_t*)yt->data;
  const int32_t rank = yt->rank, last = rank - 1;
  int32_t idx[TGRS_MAX_RANK];
  ptrdiff_t xoff[TGRS_MAX_RANK + 1], yoff[TGRS_MAX_RANK + 1];
  int32_t d, i;
  /* source offset of output index i along dim d (int64: the table value is untrusted data) */
#define SRC(d, i) (src_index(table[(ptrdiff_t)(p->table_offset[d] + p->out_origin[d] + (i)) * st], p->in_origin[d], \
                             xt->dims[d]) *                                                                           \
                   (ptrdiff_t)xt->strides[d])
  if (rank == 0) {
    y[0] = x[0];
    return;
  }
  for (d = 0; d < rank; ++d) idx[d] = 0;
  xoff[0] = 0;
  yoff[0] = 0;
  for (d = 0; d < last; ++d) {
    xoff[d + 1] = xoff[d] + SRC(d, 0);
    yoff[d + 1] = yoff[d];
  }
  for (;;) {
    const uint8_t* xr = x + xoff[last];
    uint8_t* yr = y + yoff[last];
    for (i = 0; i < yt->dims[last]; ++i) yr[(ptrdiff_t)i * yt->strides[last]] = xr[SRC(last, i)];
    /* next row: odometer over dims 0..last-1, recomputing the offsets below the carried dim */
    for (d = last - 1; d >= 0; --d) {
      if (++idx[d] < yt->dims[d]) break;
      idx[d] = 0;
    }
    if (d < 0) break;
    for (; d < last; ++d) {
      xoff[d + 1] = xoff[d] + SRC(d, idx[d]);
      yoff[d + 1] = yoff[d] + (ptrdiff_t)idx[d] * yt->strides[d];
    }
  }
#undef SRC
}

tgrs_status_t tgrs_resize_nearest_s8_check(const tgrs_kernel_call_t* call) {
  const tgrs_resize_nearest_s8_params_t* p;
  const tgrs_tensor_t *x, *t, *y;
  int64_t n_table;
  int32_t d;
  tgrs_status_t st = tgrs_s8_check_call(call, 2, 2, 1, sizeof(tgrs_resize_nearest_s8_params_t));
  if (st != TGRS_OK) return st;
  p = (const tgrs_resize_nearest_s8_params_t*)call->params;
  x = &call->inputs[0];
  t = &call->inputs[1];
  y = &call->outputs[0];
  if (x->dtype != TGRS_DTYPE_I8 && x->dtype != TGRS_DTYPE_U8) return TGRS_ERR_CORRUPT;
  if (!tgrs_s8_view_ok(x, x->dtype, 0, TGRS_MAX_RANK) || !tgrs_s8_view_ok(y, x->dtype, x->rank, x->rank) ||
      !tgrs_s8_view_ok(t, TGRS_DTYPE_I32, 1, 1))
    return TGRS_ERR_CORRUPT;
  n_table = t->dims[0];
  for (d = 0; d < x->rank; ++d) {
    if (p->in_origin[d] < 0 || p->out_origin[d] < 0 || p->table_offset[d] < 0) return TGRS_ERR_CORRUPT;
    if ((int64_t)p->table_offset[d] + p->out_origin[d] + y->dims[d] > n_table) return TGRS_ERR_CORRUPT;
  }
  return TGRS_OK;
}

void tgrs_resize_nearest_s8_run(const tgrs_kernel_call_t* call) {
  tgrs_resize_nearest_s8(&call->inputs[0], &call->inputs[1], &call->outputs[0],
                         (const tgrs_resize_nearest_s8_params_t*)call->params);
}
