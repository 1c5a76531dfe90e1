/* Reference int8 elementwise kernels over strided views: Add, Sub and Mul with numpy broadcasting
 * (TFLite's integer schemes), Requantize (scale/zero-point change) and the 256-entry lookup table
 * that implements any unary op. Each output element depends only on its own inputs.
 * Integer-only. */
#include "ref_s8_internal.h"

/* Strides of an operand aligned right to y's rank; 0 on broadcast and missing dims. */
static void broadcast_strides(const tgrs_tensor_t* t, const tgrs_tensor_t* y, int32_t* strides) {
  int32_t d;
  for (d = 0; d < y->rank; ++d) {
    const int32_t src = d - (y->rank - t->rank);
    strides[d] = (src < 0 || t->dims[src] == 1) ? 0 : t->strides[src];
  }
}

/* TFLite's AddFunc / SubFunc: offset, shift left, rescale each input to the common scale, add
 * (sign = 1) or subtract (sign = -1), requantize to the output. */
static int8_t add_one(int32_t a, int32_t b, int32_t sign, const tgrs_add_s8_params_t* p) {
  const int32_t sa = tgrs_s8_rdbpot(tgrs_s8_srdhm((a - p->a_zp) * (1 << p->left_shift), p->a_mult), -p->a_shift);
  const int32_t sb = tgrs_s8_rdbpot(tgrs_s8_srdhm((b - p->b_zp) * (1 << p->left_shift), p->b_mult), -p->b_shift);
  const int32_t v = tgrs_s8_requant(sign > 0 ? sa + sb : sa - sb, p->output_mult, p->output_shift);
  return (int8_t)tgrs_s8_clamp(tgrs_s8_sat32((int64_t)v + p->output_zp), p->act_min, p->act_max);
}

static int8_t mul_one(int32_t a, int32_t b, const tgrs_mul_s8_params_t* p) {
  const int32_t v = tgrs_s8_requant((a - p->a_zp) * (b - p->b_zp), p->output_mult, p->output_shift);
  return (int8_t)tgrs_s8_clamp(tgrs_s8_sat32((int64_t)v + p->output_zp), p->act_min, p->act_max);
}

static void add_sub(const tgrs_tensor_t* at, const tgrs_tensor_t* bt, const tgrs_tensor_t* yt,
                    const tgrs_add_s8_params_t* p, int32_t sign) {
  const int8_t* a = (const int8_t*)at->data;
  const int8_t* b = (const int8_t*)bt->data;
  int8_t* y = (int8_t*)yt->data;
  int32_t sa[TGRS_MAX_RANK], sb[TGRS_MAX_RANK];
  tgrs_loop_t l;
  int32_t i;
  broadcast_strides(at, yt, sa);
  broadcast_strides(bt, yt, sb);
  tgrs_loop_init(&l, yt->rank, yt->dims, sa, sb, yt->strides);
  do {
    const int8_t* ar = a + l.off[0];
    const int8_t* br = b + l.off[1];
    int8_t* yr = y + l.off[2];
    for (i = 0; i < l.inner; ++i) yr[i * l.step[2]] = add_one(ar[i * l.step[0]], br[i * l.step[1]], sign, p);
  } while (tgrs_loop_next(&l));
}

void tgrs_add_s8(const tgrs_tensor_t* a, const tgrs_tensor_t* b, const tgrs_tensor_t* y,
                 const tgrs_add_s8_params_t* p) {
  add_sub(a, b, y, p, 1);
}

void tgrs_sub_s8(const tgrs_tensor_t* a, const tgrs_tensor_t* b, const tgrs_tensor_t* y,
                 const tgrs_add_s8_params_t* p) {
  add_sub(a, b, y, p, -1);
}

void tgrs_mul_s8(const tgrs_tensor_t* at, const tgrs_tensor_t* bt, const tgrs_tensor_t* yt,
                 const tgrs_mul_s8_params_t* p) {
  const int8_t* a = (const int8_t*)at->data;
  const int8_t* b = (const int8_t*)bt->data;
  int8_t* y = (int8_t*)yt->data;
  int32_t sa[TGRS_MAX_RANK], sb[TGRS_MAX_RANK];
  tgrs_loop_t l;
  int32_t i;
  broadcast_strides(at, yt, sa);
  broadcast_strides(bt, yt, sb);
  tgrs_loop_init(&l, yt->rank, yt->dims, sa, sb, yt->strides);
  do {
    const int8_t* ar = a + l.off[0];
    const int8_t* br = b + l.off[1];
    int8_t* yr = y + l.off[2];
    for (i = 0; i < l.inner; ++i) yr[i * l.step[2]] = mul_one(ar[i * l.step[0]], br[i * l.step[1]], p);
  } while (tgrs_loop_next(&l));
}

void tgrs_requantize_s8(const tgrs_tensor_t* xt, const tgrs_tensor_t* yt, const tgrs_requantize_s8_params_t* p) {
  const int8_t* x = (const int8_t*)xt->data;
  int8_t* y = (int8_t*)yt->data;
  tgrs_loop_t l;
  int32_t i;
  tgrs_loop_init(&l, xt->rank, xt->dims, xt->strides, yt->strides, NULL);
  do {
    const int8_t* xr = x + l.off[0];
    int8_t* yr = y + l.off[1];
    for (i = 0; i < l.inner; ++i) {
      const int32_t v = tgrs_s8_requant((int32_t)xr[i * l.step[0]] - p->input_zp, p->mult, p->shift);
      yr[i * l.step[1]] = (int8_t)tgrs_s8_clamp(tgrs_s8_sat32((int64_t)v + p->output_zp), p->act_min, p->act_max);
    }
  } while (tgrs_loop_next(&l));
}

void tgrs_lut_s8(const tgrs_tensor_t* xt, const tgrs_tensor_t* tt, const tgrs_tensor_t* yt) {
  const int8_t* x = (const int8_t*)xt->data;
  const int8_t* table = (const int8_t*)tt->data;
  const ptrdiff_t st = tt->strides[0];
  int8_t* y = (int8_t*)yt->data;
  tgrs_loop_t l;
  int32_t i;
  tgrs_loop_init(&l, xt->rank, xt->dims, xt->strides, yt->strides, NULL);
  do {
    const int8_t* xr = x + l.off[0];
    int8_t* yr = y + l.off[1];
    for (i = 0; i < l.inner; ++i) yr[i * l.step[1]] = table[((int32_t)xr[i * l.step[0]] + 128) * st];
  } while (tgrs_loop_next(&l));
}

/* ---- check / run ---- */

static tgrs_status_t check_binary(const tgrs_kernel_call_t* call, uint32_t params_size) {
  const tgrs_tensor_t *a, *b, *y;
  tgrs_status_t st = tgrs_s8_check_call(call, 2, 2, 1, params_size);
  if (st != TGRS_OK) return st;
  a = &call->inputs[0];
  b = &call->inputs[1];
  y = &call->outputs[0];
  if (!tgrs_s8_view_ok(a, TGRS_DTYPE_I8, 0, TGRS_MAX_RANK) || !tgrs_s8_view_ok(b, TGRS_DTYPE_I8, 0, TGRS_MAX_RANK) ||
      !tgrs_s8_view_ok(y, TGRS_DTYPE_I8, 0, TGRS_MAX_RANK) || !tgrs_s8_broadcast_ok(a, b, y))
    return TGRS_ERR_CORRUPT;
  return TGRS_OK;
}

static int shift_ok(int32_t s) { return s >= -31 && s <= 30; }

tgrs_status_t tgrs_add_s8_check(const tgrs_kernel_call_t* call) {
  const tgrs_add_s8_params_t* p;
  tgrs_status_t st = check_binary(call, sizeof(tgrs_add_s8_params_t));
  if (st != TGRS_OK) return st;
  p = (const tgrs_add_s8_params_t*)call->params;
  if (!tgrs_s8_zp_ok(p->a_zp) || !tgrs_s8_zp_ok(p->b_zp) || !tgrs_s8_zp_ok(p->output_zp) ||
      !tgrs_s8_clamp_ok(p->act_min, p->act_max))
    return TGRS_ERR_CORRUPT;
  /* (x - zp) << left_shift stays below 2^30 and the input rescales only shrink it (shift <= 0),
   * so the sum of the two fits int32 */
  if (p->left_shift < 0 || p->left_shift > 22 || p->a_shift < -31 || p->a_shift > 0 || p->b_shift < -31 ||
      p->b_shift > 0 || !shift_ok(p->output_shift))
    return TGRS_ERR_CORRUPT;
  return TGRS_OK;
}

void tgrs_add_s8_run(const tgrs_kernel_call_t* call) {
  tgrs_add_s8(&call->inputs[0], &call->inputs[1], &call->outputs[0], (const tgrs_add_s8_params_t*)call->params);
}

tgrs_status_t tgrs_sub_s8_check(const tgrs_kernel_call_t* call) { return tgrs_add_s8_check(call); }

void tgrs_sub_s8_run(const tgrs_kernel_call_t* call) {
  tgrs_sub_s8(&call->inputs[0], &call->inputs[1], &call->outputs[0], (const tgrs_add_s8_params_t*)call->params);
}

tgrs_status_t tgrs_mul_s8_check(const tgrs_kernel_call_t* call) {
  const tgrs_mul_s8_params_t* p;
  tgrs_status_t st = check_binary(call, sizeof(tgrs_mul_s8_params_t));
  if (st != TGRS_OK) return st;
  p = (const tgrs_mul_s8_params_t*)call->params;
  if (!tgrs_s8_zp_ok(p->a_zp) || !tgrs_s8_zp_ok(p->b_zp) || !tgrs_s8_zp_ok(p->output_zp) ||
      !tgrs_s8_clamp_ok(p->act_min, p->act_max) || !shift_ok(p->output_shift))
    return TGRS_ERR_CORRUPT;
  return TGRS_OK;
}

void tgrs_mul_s8_run(const tgrs_kernel_call_t* call) {
  tgrs_mul_s8(&call->inputs[0], &call->inputs[1], &call->outputs[0], (const tgrs_mul_s8_params_t*)call->params);
}

/* X and Y: i8 views of the same dims. */
static int same_i8(const tgrs_tensor_t* x, const tgrs_tensor_t* y) {
  return tgrs_s8_view_ok(x, TGRS_DTYPE_I8, 0, TGRS_MAX_RANK) && tgrs_s8_view_ok(y, TGRS_DTYPE_I8, 0, TGRS_MAX_RANK) &&
         tgrs_s8_same_dims(x, y);
}

tgrs_status_t tgrs_requantize_s8_check(const tgrs_kernel_call_t* call) {
  const tgrs_requantize_s8_params_t* p;
  tgrs_status_t st = tgrs_s8_check_call(call, 1, 1, 1, sizeof(tgrs_requantize_s8_params_t));
  if (st != TGRS_OK) return st;
  p = (const tgrs_requantize_s8_params_t*)call->params;
  if (!same_i8(&call->inputs[0], &call->outputs[0])) return TGRS_ERR_CORRUPT;
  if (!tgrs_s8_zp_ok(p->input_zp) || !tgrs_s8_zp_ok(p->output_zp) || !tgrs_s8_clamp_ok(p->act_min, p->act_max) ||
      !shift_ok(p->shift))
    return TGRS_ERR_CORRUPT;
  return TGRS_OK;
}

void tgrs_requantize_s8_run(const tgrs_kernel_call_t* call) {
  tgrs_requantize_s8(&call->inputs[0], &call->outputs[0], (const tgrs_requantize_s8_params_t*)call->params);
}

tgrs_status_t tgrs_lut_s8_check(const tgrs_kernel_call_t* call) {
  const tgrs_tensor_t* t;
  tgrs_status_t st = tgrs_s8_check_call(call, 2, 2, 1, sizeof(tgrs_empty_params_t));
  if (st != TGRS_OK) return st;
  t = &call->inputs[1];
  if (!same_i8(&call->inputs[0], &call->outputs[0])) return TGRS_ERR_CORRUPT;
  if (!tgrs_s8_view_ok(t, TGRS_DTYPE_I8, 1, 1) || t->dims[0] != 256) return TGRS_ERR_CORRUPT;
  return TGRS_OK;
}

void tgrs_lut_s8_run(const tgrs_kernel_call_t* call) {
  tgrs_lut_s8(&call->inputs[0], &call->inputs[1], &call->outputs[0]);
}
