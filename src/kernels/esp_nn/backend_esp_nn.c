/* The ESP-NN int8 backend: each entry maps a call onto one ESP-NN kernel (esp_nn_conv_s8,
 * esp_nn_depthwise_conv_s8, esp_nn_fully_connected[_per_ch]_s8, esp_nn_add/mul_elementwise_s8,
 * esp_nn_max/avg_pool_s8, esp_nn_softmax_s8) when its views are the channels-last layout the
 * compiler chooses and the library's arithmetic equals the reference kernel's for it, and calls
 * the reference kernel otherwise. One plan function per op decides (accepts, scratch and run all
 * go through it), so what is reported is what runs. The generic esp_nn_* names resolve to the ANSI
 * C kernels on the host and to the ISA's kernels inside ESP-IDF (esp_nn.h). No allocation. */
#include "tigris/kernels/backend_esp_nn.h"

#include <esp_nn.h>

#include "../ref_s8_internal.h"

static uint32_t vendor_calls;
uint32_t tgrs_esp_nn_vendor_calls(void) { return vendor_calls; }
void tgrs_esp_nn_reset_vendor_calls(void) { vendor_calls = 0; }

/* Every index and extent the library keeps in uint16_t / int16_t stays below this. */
#define ESP_NN_MAX_EXTENT 32767

/* ---- view predicates ---- */

/* dim d has stride `want` or extent 1 (an extent-1 dim may have any stride) */
static int stride_is(const tgrs_tensor_t* t, int32_t d, int64_t want) {
  return t->dims[d] == 1 || (int64_t)t->strides[d] == want;
}

/* An [N, C, (H,) W] int8 activation stored NHWC per image (any batch stride). */
static int nhwc(const tgrs_tensor_t* t) {
  const tgrs_nchw_t v = tgrs_nchw_of(t);
  if (!stride_is(t, 1, 1) || !stride_is(t, t->rank - 1, v.c)) return 0;
  return t->rank == 3 || stride_is(t, 2, (int64_t)v.w * v.c);
}

/* A view covering one contiguous block of its element count, in any dim order: the dims of
 * extent > 1 sorted by stride have strides 1, d0, d0*d1, ... Writes the count. */
static int compact(const tgrs_tensor_t* t, int64_t* count) {
  int32_t used[TGRS_MAX_RANK] = {0};
  int64_t expect = 1;
  int32_t k, d;
  for (k = 0; k < t->rank; ++k) {
    int32_t best = -1;
    for (d = 0; d < t->rank; ++d) {
      if (used[d] || t->dims[d] == 1) continue;
      if (best < 0 || t->strides[d] < t->strides[best]) best = d;
    }
    if (best < 0) break;
    if ((int64_t)t->strides[best] != expect) return 0;
    used[best] = 1;
    expect *= t->dims[best];
  }
  *count = expect;
  return 1;
}

static int same_view(const tgrs_tensor_t* a, const tgrs_tensor_t* b) {
  int32_t d;
  if (a->rank != b->rank) return 0;
  for (d = 0; d < a->rank; ++d) {
    if (a->dims[d] != b->dims[d] || !stride_is(a, d, b->strides[d])) return 0;
  }
  return 1;
}

static const int32_t* i32_data(const tgrs_tensor_t* t) { return (const int32_t*)t->data; }

/* ---- per-channel inputs: bias, requantization table, weight zero points ---- */

/* What the vendor call reads per output channel: contiguous arrays of n values. */
typedef struct {
  const int32_t* bias; /* NULL: none */
  const int32_t* mult;
  const int32_t* shift;
  int32_t per_tensor; /* RQ is [1, 2] (only the fully-connected call takes that) */
  int32_t wzp;        /* the one weight zero point */
} esp_chan_t;

/* Bias, RQ (planar [n, 2], strides [1, *]; [1, 2] when per_tensor_ok) and weight zero points
 * (absent, or all one value: the library has one filter offset; only `wzp_ok_nonzero` calls take
 * a nonzero one) at call inputs 2, 3, 4. Data-dependent conditions (shifts in [-31, 0], so the
 * library's unsaturated left shift never runs; |bias| small enough that acc + bias cannot
 * overflow int32 for `taps` terms of |x - zp| |w - wzp| <= 255 * 255; the zero points) are checked
 * when the data is there. */
static int plan_chan(const tgrs_kernel_call_t* call, int32_t n, int64_t taps, int per_tensor_ok, int wzp_ok_nonzero,
                     esp_chan_t* ch) {
  const tgrs_tensor_t* rq = &call->inputs[3];
  int32_t m;
  ch->bias = NULL;
  ch->wzp = 0;
  ch->per_tensor = rq->dims[0] == 1 && n > 1;
  if (ch->per_tensor && !per_tensor_ok) return 0;
  if (!ch->per_tensor && !stride_is(rq, 0, 1)) return 0;
  ch->mult = i32_data(rq);
  ch->shift = rq->data != NULL ? i32_data(rq) + rq->strides[1] : NULL;
  if (tgrs_s8_present(call, 2)) {
    const tgrs_tensor_t* b = &call->inputs[2];
    if (b->dims[0] != n || !stride_is(b, 0, 1)) return 0;
    ch->bias = i32_data(b);
  }
  if (tgrs_s8_present(call, 4)) {
    const tgrs_tensor_t* z = &call->inputs[4];
    if (z->data != NULL) {
      const ptrdiff_t s = tgrs_s8_bstride(z, 0);
      ch->wzp = i32_data(z)[0];
      for (m = 1; m < z->dims[0]; ++m) {
        if (i32_data(z)[m * s] != ch->wzp) return 0;
      }
      if (ch->wzp < -128 || ch->wzp > 127 || (ch->wzp != 0 && !wzp_ok_nonzero)) return 0;
    }
  }
  if (rq->data != NULL) {
    const int32_t k = ch->per_tensor ? 1 : n;
    for (m = 0; m < k; ++m) {
      if (ch->shift[m] < -31 || ch->shift[m] > 0) return 0;
    }
  }
  if (ch->bias != NULL && call->inputs[2].data != NULL) {
    const int64_t limit = (int64_t)INT32_MAX - 256 - taps * 255 * 255;
    for (m = 0; m < n; ++m) {
      if (ch->bias[m] > limit || ch->bias[m] < -limit) return 0;
    }
  }
  return 1;
}

/* ---- spatial windows shared by conv and pools ---- */

/* The library takes the top/left pad only and clips taps past the bottom/right edge of its
 * input, so those pads are implicit; the ESP32-S3 kernels size their padded copies from the
 * top/left pad, so only the shapes TFLite Micro gives them are passed (bottom <= top + 1, right
 * <= left + 1: TF SAME padding, every row strip of it). */
static int window_ok(int32_t dh, int32_t dw, int32_t pt, int32_t pl, int32_t pb, int32_t pr) {
  return dh == 1 && dw == 1 && pb <= pt + 1 && pr <= pl + 1 && pt <= ESP_NN_MAX_EXTENT && pl <= ESP_NN_MAX_EXTENT;
}

static int extents_ok(const tgrs_nchw_t* x, const tgrs_nchw_t* y, int32_t sh, int32_t sw, int32_t kh, int32_t kw) {
  return x->h <= ESP_NN_MAX_EXTENT && x->w <= ESP_NN_MAX_EXTENT && x->c <= ESP_NN_MAX_EXTENT &&
         y->c <= ESP_NN_MAX_EXTENT && (int64_t)y->h * sh + kh <= ESP_NN_MAX_EXTENT &&
         (int64_t)y->w * sw + kw <= ESP_NN_MAX_EXTENT;
}

/* ---- Conv: esp_nn_conv_s8 (group 1, OHWI weights) and esp_nn_depthwise_conv_s8 (group = C,
 * [KH][KW][O] weights, any multiplier) ---- */

typedef struct {
  int depthwise;
  tgrs_nchw_t x, y;
  data_dims_t in, filter, out;
  conv_params_t conv;
  dw_conv_params_t dw;
  esp_chan_t ch;
  uint32_t scratch;
} conv_plan_t;

static int plan_conv(const tgrs_kernel_call_t* call, conv_plan_t* p) {
  const tgrs_conv_s8_params_t* q = (const tgrs_conv_s8_params_t*)call->params;
  const tgrs_tensor_t *x = &call->inputs[0], *w = &call->inputs[1], *y = &call->outputs[0];
  const int32_t kw_axis = w->rank - 1;
  int64_t taps;
  p->x = tgrs_nchw_of(x);
  p->y = tgrs_nchw_of(y);
  if (!nhwc(x) || !nhwc(y)) return 0;
  if (!window_ok(q->dilation_h, q->dilation_w, q->pad_top, q->pad_left, q->pad_bottom, q->pad_right)) return 0;
  if (!extents_ok(&p->x, &p->y, q->stride_h, q->stride_w, q->kernel_h, q->kernel_w)) return 0;
  if (q->group == 1) {
    /* OHWI: strides [KH*KW*I, 1, KW*I, I] */
    const int64_t i = p->x.c;
    p->depthwise = 0;
    if (!stride_is(w, 0, (int64_t)q->kernel_h * q->kernel_w * i) || !stride_is(w, 1, 1) ||
        !stride_is(w, kw_axis, i) || (w->rank == 4 && !stride_is(w, 2, (int64_t)q->kernel_w * i)))
      return 0;
    taps = i * q->kernel_h * q->kernel_w;
  } else if (q->group == p->x.c && w->dims[1] == 1) {
    /* [KH][KW][O]: strides [1, *, KW*O, O] */
    const int64_t o = p->y.c;
    p->depthwise = 1;
    if (!stride_is(w, 0, 1) || !stride_is(w, kw_axis, o) || (w->rank == 4 && !stride_is(w, 2, (int64_t)q->kernel_w * o)))
      return 0;
    taps = (int64_t)q->kernel_h * q->kernel_w;
  } else {
    return 0;
  }
  if (!plan_chan(call, p->y.c, taps, 0, 0, &p->ch)) return 0;
  p->in.width = p->x.w;
  p->in.height = p->x.h;
  p->in.channels = p->x.c;
  p->in.extra = 1;
  p->filter.width = q->kernel_w;
  p->filter.height = q->kernel_h;
  p->filter.channels = p->depthwise ? 1 : p->x.c;
  p->filter.extra = p->y.c;
  p->out.width = p->y.w;
  p->out.height = p->y.h;
  p->out.channels = p->y.c;
  p->out.extra = 1;
  if (p->depthwise) {
    p->dw.in_offset = -q->input_zp;
    p->dw.out_offset = q->output_zp;
    p->dw.ch_mult = p->y.c / p->x.c;
    p->dw.stride.width = q->stride_w;
    p->dw.stride.height = q->stride_h;
    p->dw.padding.width = q->pad_left;
    p->dw.padding.height = q->pad_top;
    p->dw.dilation.width = 1;
    p->dw.dilation.height = 1;
    p->dw.activation.min = q->act_min;
    p->dw.activation.max = q->act_max;
    p->scratch = (uint32_t)esp_nn_get_depthwise_conv_scratch_size(&p->in, &p->filter, &p->out, &p->dw);
  } else {
    p->conv.in_offset = -q->input_zp;
    p->conv.out_offset = q->output_zp;
    p->conv.stride.width = q->stride_w;
    p->conv.stride.height = q->stride_h;
    p->conv.padding.width = q->pad_left;
    p->conv.padding.height = q->pad_top;
    p->conv.dilation.width = 1;
    p->conv.dilation.height = 1;
    p->conv.activation.min = q->act_min;
    p->conv.activation.max = q->act_max;
    p->scratch = (uint32_t)esp_nn_get_conv_scratch_size(&p->in, &p->filter, &p->out, &p->conv);
  }
  return 1;
}

/* ---- fully connected: Gemm (A [M, K], B stored [N][K]) and MatMul (dense A rows, constant 2-D
 * B stored [N][K]); one esp_nn_fully_connected[_per_ch]_s8 call per row ---- */

typedef struct {
  const int8_t* a;
  ptrdiff_t a_row;
  const int8_t* b;
  int8_t* y;
  ptrdiff_t y_row;
  int32_t rows, k, n;
  int32_t a_zp, y_zp, act_min, act_max;
  esp_chan_t ch;
} fc_plan_t;

/* B [N][K] in memory: dims [N, K] with strides [K, 1] (trans_b) or dims [K, N] with [1, K]. */
static int fc_weights(const tgrs_tensor_t* b, int trans_b, int32_t k) {
  const int32_t nd = trans_b ? 0 : 1, kd = trans_b ? 1 : 0;
  return b->rank == 2 && stride_is(b, kd, 1) && stride_is(b, nd, k);
}

static int fc_finish(const tgrs_kernel_call_t* call, fc_plan_t* p) {
  if (p->k > 65535 || p->n > 65535) return 0;
  return plan_chan(call, p->n, p->k, 1, 1, &p->ch);
}

static int plan_gemm(const tgrs_kernel_call_t* call, fc_plan_t* p) {
  const tgrs_gemm_s8_params_t* q = (const tgrs_gemm_s8_params_t*)call->params;
  const tgrs_tensor_t *a = &call->inputs[0], *b = &call->inputs[1], *y = &call->outputs[0];
  if (q->trans_a) return 0;
  p->rows = a->dims[0];
  p->k = a->dims[1];
  p->n = y->dims[1];
  if (!stride_is(a, 1, 1) || !stride_is(y, 1, 1) || !fc_weights(b, q->trans_b, p->k)) return 0;
  p->a = (const int8_t*)a->data;
  p->a_row = a->strides[0];
  p->b = (const int8_t*)b->data;
  p->y = (int8_t*)y->data;
  p->y_row = y->strides[0];
  p->a_zp = q->a_zp;
  p->y_zp = q->output_zp;
  p->act_min = q->act_min;
  p->act_max = q->act_max;
  return fc_finish(call, p);
}

static int plan_matmul(const tgrs_kernel_call_t* call, fc_plan_t* p) {
  const tgrs_matmul_s8_params_t* q = (const tgrs_matmul_s8_params_t*)call->params;
  const tgrs_tensor_t *a = &call->inputs[0], *b = &call->inputs[1], *y = &call->outputs[0];
  int64_t na, ny;
  if (b->rank != 2 || !tgrs_tensor_is_dense(a) || !tgrs_tensor_is_dense(y)) return 0;
  p->k = a->dims[a->rank - 1];
  p->n = b->dims[1];
  if (!fc_weights(b, 0, p->k) || !compact(a, &na) || !compact(y, &ny) || na / p->k != ny / p->n) return 0;
  p->rows = (int32_t)(na / p->k);
  p->a = (const int8_t*)a->data;
  p->a_row = p->k;
  p->b = (const int8_t*)b->data;
  p->y = (int8_t*)y->data;
  p->y_row = p->n;
  p->a_zp = q->a_zp;
  p->y_zp = q->output_zp;
  p->act_min = q->act_min;
  p->act_max = q->act_max;
  return fc_finish(call, p);
}

static void run_fc(const fc_plan_t* p) {
  int32_t r;
  for (r = 0; r < p->rows; ++r) {
    const int8_t* a = p->a + (ptrdiff_t)r * p->a_row;
    int8_t* y = p->y + (ptrdiff_t)r * p->y_row;
    if (p->ch.per_tensor) {
      esp_nn_fully_connected_s8(a, -p->a_zp, (uint16_t)p->k, p->b, -p->ch.wzp, p->ch.bias, y, (uint16_t)p->n, p->y_zp,
                                p->ch.shift[0], p->ch.mult[0], p->act_min, p->act_max);
    } else {
      esp_nn_fully_connected_per_ch_s8(a, -p->a_zp, (uint16_t)p->k, p->b, -p->ch.wzp, p->ch.bias, y, (uint16_t)p->n,
                                       p->y_zp, p->ch.shift, p->ch.mult, p->act_min, p->act_max);
    }
  }
}

/* ---- Add / Mul: same dims and strides on all three views, one contiguous block ---- */

static int plan_elementwise(const tgrs_kernel_call_t* call, int64_t* count) {
  const tgrs_tensor_t *a = &call->inputs[0], *b = &call->inputs[1], *y = &call->outputs[0];
  return same_view(a, y) && same_view(b, y) && compact(y, count) && *count <= INT32_MAX;
}

static int plan_add(const tgrs_kernel_call_t* call, int64_t* count) {
  const tgrs_add_s8_params_t* q = (const tgrs_add_s8_params_t*)call->params;
  /* the library divides by 2^-output_shift: a positive shift has no meaning there */
  return q->output_shift <= 0 && q->output_shift >= -31 && plan_elementwise(call, count);
}

static int plan_mul(const tgrs_kernel_call_t* call, int64_t* count) {
  const tgrs_mul_s8_params_t* q = (const tgrs_mul_s8_params_t*)call->params;
  /* |(a - a_zp)(b - b_zp)| <= 2^16: a left shift up to 14 stays in int32 unsaturated */
  return q->output_shift <= 14 && q->output_shift >= -31 && plan_elementwise(call, count);
}

/* ---- pools: esp_nn_max_pool_s8 / esp_nn_avg_pool_s8 (count_include_pad 0) ---- */

typedef struct {
  tgrs_nchw_t x, y;
} pool_plan_t;

static int plan_pool(const tgrs_kernel_call_t* call, int is_avg, pool_plan_t* p) {
  const tgrs_pool_s8_params_t* q = (const tgrs_pool_s8_params_t*)call->params;
  const tgrs_tensor_t *x = &call->inputs[0], *y = &call->outputs[0];
  p->x = tgrs_nchw_of(x);
  p->y = tgrs_nchw_of(y);
  if (!nhwc(x) || !nhwc(y) || (is_avg && q->count_include_pad)) return 0;
  if (!window_ok(q->dilation_h, q->dilation_w, q->pad_top, q->pad_left, q->pad_bottom, q->pad_right)) return 0;
  if (!extents_ok(&p->x, &p->y, q->stride_h, q->stride_w, q->kernel_h, q->kernel_w)) return 0;
  /* every window holds an input tap (the average divides by their count): the first starts
   * inside its kernel (pads < kernel), the last must start inside the input */
  return (int64_t)(p->y.h - 1) * q->stride_h - q->pad_top < p->x.h &&
         (int64_t)(p->y.w - 1) * q->stride_w - q->pad_left < p->x.w && q->pad_top < q->kernel_h &&
         q->pad_left < q->kernel_w;
}

static void run_pool(const tgrs_kernel_call_t* call, const pool_plan_t* p, int is_avg) {
  const tgrs_pool_s8_params_t* q = (const tgrs_pool_s8_params_t*)call->params;
  int32_t n;
  for (n = 0; n < p->y.n; ++n) {
    const int8_t* x = (const int8_t*)call->inputs[0].data + (ptrdiff_t)n * p->x.sn;
    int8_t* y = (int8_t*)call->outputs[0].data + (ptrdiff_t)n * p->y.sn;
    if (is_avg) {
      esp_nn_avg_pool_s8(x, (uint16_t)p->x.w, (uint16_t)p->x.h, y, (uint16_t)p->y.w, (uint16_t)p->y.h,
                         (uint16_t)q->stride_w, (uint16_t)q->stride_h, (uint16_t)q->kernel_w, (uint16_t)q->kernel_h,
                         (uint16_t)q->pad_left, (uint16_t)q->pad_top, q->act_min, q->act_max, (uint16_t)p->x.c);
    } else {
      esp_nn_max_pool_s8(x, (uint16_t)p->x.w, (uint16_t)p->x.h, y, (uint16_t)p->y.w, (uint16_t)p->y.h,
                         (uint16_t)q->stride_w, (uint16_t)q->stride_h, (uint16_t)q->kernel_w, (uint16_t)q->kernel_h,
                         (uint16_t)q->pad_left, (uint16_t)q->pad_top, q->act_min, q->act_max, (uint16_t)p->x.c);
    }
  }
}

/* ---- Softmax: esp_nn_softmax_s8 over rows of `width` contiguous elements ---- */

/* TFLite's algorithm, the reference's step for step, except where the final shift would exceed 31
 * (a Q12.19 sum of exps >= 2^28, undefined in C there, 0 in the reference): a line of at most 511
 * elements sums to less than 511 * 2^19. */
#define ESP_NN_SOFTMAX_MAX_LEN 511

typedef struct {
  int32_t width, height;
  uint32_t scratch;
} softmax_plan_t;

static int plan_softmax(const tgrs_kernel_call_t* call, softmax_plan_t* p) {
  const tgrs_softmax_s8_params_t* q = (const tgrs_softmax_s8_params_t*)call->params;
  const tgrs_tensor_t *x = &call->inputs[0], *y = &call->outputs[0];
  int64_t count;
  if (!same_view(x, y) || !compact(x, &count) || !stride_is(x, q->axis, 1) || q->input_left_shift > 30) return 0;
  p->width = x->dims[q->axis];
  p->height = (int32_t)(count / p->width);
  if (p->width > ESP_NN_SOFTMAX_MAX_LEN) return 0;
  p->scratch = (uint32_t)esp_nn_get_softmax_scratch_size(p->width, p->height);
  return 1;
}

/* ---- entries ---- */

static int scratch_ok(const tgrs_kernel_call_t* call, uint32_t need) {
  return need == 0 || (call->scratch != NULL && call->scratch_size >= need);
}

int tgrs_esp_nn_Conv_s8_accepts(const tgrs_kernel_call_t* call) {
  conv_plan_t p;
  return plan_conv(call, &p) && scratch_ok(call, p.scratch);
}
uint32_t tgrs_esp_nn_Conv_s8_scratch(const tgrs_kernel_call_t* call) {
  conv_plan_t p;
  return plan_conv(call, &p) ? p.scratch : 0;
}
void tgrs_esp_nn_Conv_s8_run(const tgrs_kernel_call_t* call) {
  conv_plan_t p;
  quant_data_t qd;
  int32_t n;
  if (!plan_conv(call, &p) || !scratch_ok(call, p.scratch)) {
    tgrs_ref_Conv_s8_run(call);
    return;
  }
  qd.mult = (int32_t*)p.ch.mult;
  qd.shift = (int32_t*)p.ch.shift;
  if (p.depthwise) {
    esp_nn_set_depthwise_conv_scratch_buf(call->scratch);
  } else {
    esp_nn_set_conv_scratch_buf(call->scratch);
  }
  for (n = 0; n < p.y.n; ++n) {
    const int8_t* x = (const int8_t*)call->inputs[0].data + (ptrdiff_t)n * p.x.sn;
    int8_t* y = (int8_t*)call->outputs[0].data + (ptrdiff_t)n * p.y.sn;
    if (p.depthwise) {
      esp_nn_depthwise_conv_s8(&p.in, x, &p.filter, (const int8_t*)call->inputs[1].data, p.ch.bias, &p.out, y, &p.dw,
                               &qd);
    } else {
      esp_nn_conv_s8(&p.in, x, &p.filter, (const int8_t*)call->inputs[1].data, p.ch.bias, &p.out, y, &p.conv, &qd);
    }
  }
  ++vendor_calls;
}

#define ESP_NN_FC_ENTRY(Name, plan_fn)                                                                 \
  int tgrs_esp_nn_##Name##_s8_accepts(const tgrs_kernel_call_t* call) {                               \
    fc_plan_t p;                                                                                       \
    return plan_fn(call, &p);                                                                          \
  }                                                                                                    \
  uint32_t tgrs_esp_nn_##Name##_s8_scratch(const tgrs_kernel_call_t* call) {                          \
    (void)call;                                                                                        \
    return 0;                                                                                          \
  }                                                                                                    \
  void tgrs_esp_nn_##Name##_s8_run(const tgrs_kernel_call_t* call) {                                  \
    fc_plan_t p;                                                                                       \
    if (!plan_fn(call, &p)) {                                                                          \
      tgrs_ref_##Name##_s8_run(call);                                                                  \
      return;                                                                                          \
    }                                                                                                  \
    run_fc(&p);                                                                                        \
    ++vendor_calls;                                                                                    \
  }
ESP_NN_FC_ENTRY(Gemm, plan_gemm)
ESP_NN_FC_ENTRY(MatMul, plan_matmul)

static void run_add(const tgrs_kernel_call_t* call, int32_t n) {
  const tgrs_add_s8_params_t* q = (const tgrs_add_s8_params_t*)call->params;
  esp_nn_add_elementwise_s8((const int8_t*)call->inputs[0].data, (const int8_t*)call->inputs[1].data, -q->a_zp,
                            -q->b_zp, q->a_mult, q->b_mult, q->a_shift, q->b_shift, q->left_shift,
                            (int8_t*)call->outputs[0].data, q->output_zp, q->output_mult, q->output_shift, q->act_min,
                            q->act_max, n);
}

static void run_mul(const tgrs_kernel_call_t* call, int32_t n) {
  const tgrs_mul_s8_params_t* q = (const tgrs_mul_s8_params_t*)call->params;
  esp_nn_mul_elementwise_s8((const int8_t*)call->inputs[0].data, (const int8_t*)call->inputs[1].data, -q->a_zp,
                            -q->b_zp, (int8_t*)call->outputs[0].data, q->output_zp, q->output_mult, q->output_shift,
                            q->act_min, q->act_max, n);
}

#define ESP_NN_ELEMENTWISE_ENTRY(Name, plan_fn, run_fn)                     \
  int tgrs_esp_nn_##Name##_s8_accepts(const tgrs_kernel_call_t* call) {    \
    int64_t n;                                                              \
    return plan_fn(call, &n);                                               \
  }                                                                         \
  uint32_t tgrs_esp_nn_##Name##_s8_scratch(const tgrs_kernel_call_t* call) { \
    (void)call;                                                             \
    return 0;                                                               \
  }                                                                         \
  void tgrs_esp_nn_##Name##_s8_run(const tgrs_kernel_call_t* call) {       \
    int64_t n;                                                              \
    if (!plan_fn(call, &n)) {                                               \
      tgrs_ref_##Name##_s8_run(call);                                       \
      return;                                                               \
    }                                                                       \
    run_fn(call, (int32_t)n);                                               \
    ++vendor_calls;                                                         \
  }
ESP_NN_ELEMENTWISE_ENTRY(Add, plan_add, run_add)
ESP_NN_ELEMENTWISE_ENTRY(Mul, plan_mul, run_mul)

#define ESP_NN_POOL_ENTRY(Name, is_avg)                                     \
  int tgrs_esp_nn_##Name##_s8_accepts(const tgrs_kernel_call_t* call) {    \
    pool_plan_t p;                                                          \
    return plan_pool(call, is_avg, &p);                                     \
  }                                                                         \
  uint32_t tgrs_esp_nn_##Name##_s8_scratch(const tgrs_kernel_call_t* call) { \
    (void)call;                                                             \
    return 0;                                                               \
  }                                                                         \
  void tgrs_esp_nn_##Name##_s8_run(const tgrs_kernel_call_t* call) {       \
    pool_plan_t p;                                                          \
    if (!plan_pool(call, is_avg, &p)) {                                     \
      tgrs_ref_##Name##_s8_run(call);                                       \
      return;                                                               \
    }                                                                       \
    run_pool(call, &p, is_avg);                                             \
    ++vendor_calls;                                                         \
  }
ESP_NN_POOL_ENTRY(MaxPool, 0)
ESP_NN_POOL_ENTRY(AveragePool, 1)

int tgrs_esp_nn_Softmax_s8_accepts(const tgrs_kernel_call_t* call) {
  softmax_plan_t p;
  return plan_softmax(call, &p) && scratch_ok(call, p.scratch);
}
uint32_t tgrs_esp_nn_Softmax_s8_scratch(const tgrs_kernel_call_t* call) {
  softmax_plan_t p;
  return plan_softmax(call, &p) ? p.scratch : 0;
}
void tgrs_esp_nn_Softmax_s8_run(const tgrs_kernel_call_t* call) {
  const tgrs_softmax_s8_params_t* q = (const tgrs_softmax_s8_params_t*)call->params;
  softmax_plan_t p;
  if (!plan_softmax(call, &p) || !scratch_ok(call, p.scratch)) {
    tgrs_ref_Softmax_s8_run(call);
    return;
  }
  /* the library keeps the buffer in a global: point it at this call's planned scratch */
  esp_nn_set_softmax_scratch_buf(call->scratch);
  esp_nn_softmax_s8((const int8_t*)call->inputs[0].data, p.height, p.width, q->input_mult, q->input_left_shift,
                    q->diff_min, (int8_t*)call->outputs[0].data);
  ++vendor_calls;
}

#define ESP_NN_TABLE_ENTRY(name) [TGRS_OP_##name] = TGRS_ESP_NN_KERNEL_S8(name),
const tgrs_backend_t tgrs_backend_esp_nn = {
    "esp-nn",
    {{0}},
    {TIGRIS_ESP_NN_OPS_S8(ESP_NN_TABLE_ENTRY)},
};
#undef ESP_NN_TABLE_ENTRY
