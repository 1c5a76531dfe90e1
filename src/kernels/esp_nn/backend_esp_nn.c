/* The ESP-NN int8 backend: each entry maps a call onto one ESP-NN kernel (esp_nn_conv_s8,
 * esp_nn_depthwise_conv_s8, esp_nn_fully_connected[_per_ch]_s8, esp_nn_add/mul_elementwise_s8,
 * esp_nn_max/avg_pool_s8, esp_nn_softmax_s8) when its views are the channels-last layout the
 * compiler chooses and the library's arithmetic equals the reference kernel's for it, and calls
 * the reference kernel otherwise. One predicate decides (tgrs_esp_nn_rejects: run, the host
 * scratch query and the compiler's report), so what is reported is what runs. The generic
 * esp_nn_* names resolve to the ANSI C kernels on the host and to the ISA's kernels inside ESP-IDF
 * (esp_nn.h). No allocation. */
#include "esp_nn_internal.h"

#ifdef TGRS_VENDOR_COUNTERS
tgrs_vendor_counters_t tgrs_esp_nn_counters;
#define ESP_NN_COUNT(field) (++tgrs_esp_nn_counters.field)
#else
#define ESP_NN_COUNT(field) ((void)0)
#endif

int32_t tgrs_esp_nn_isa(void) {
#if defined(CONFIG_NN_OPTIMIZED) && defined(CONFIG_IDF_TARGET_ESP32S3)
  return TGRS_ISA_ESP32S3;
#else
  return TGRS_ISA_PORTABLE;
#endif
}


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

static int64_t count_of(const tgrs_tensor_t* t) {
  int64_t n = 1;
  int32_t d;
  for (d = 0; d < t->rank; ++d) n *= t->dims[d];
  return n;
}

/* the same dims, and (with views) the same strides */
static int same_view(const tgrs_tensor_t* a, const tgrs_tensor_t* b, int views) {
  int32_t d;
  if (a->rank != b->rank) return 0;
  for (d = 0; d < a->rank; ++d) {
    if (a->dims[d] != b->dims[d] || (views && !stride_is(a, d, b->strides[d]))) return 0;
  }
  return 1;
}

static const int32_t* i32_data(const tgrs_tensor_t* t) { return (const int32_t*)t->data; }

static const char* const kNotChannelsLast = "not channels-last";

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
static const char* plan_chan(const tgrs_kernel_call_t* call, int32_t n, int64_t taps, int per_tensor_ok,
                             int wzp_ok_nonzero, int views, esp_chan_t* ch) {
  const tgrs_tensor_t* rq = &call->inputs[3];
  int32_t m;
  ch->bias = NULL;
  ch->wzp = 0;
  ch->per_tensor = rq->dims[0] == 1 && n > 1;
  if (ch->per_tensor && !per_tensor_ok) return "per-tensor requantization table";
  if (views && !ch->per_tensor && !stride_is(rq, 0, 1)) return kNotChannelsLast;
  ch->mult = i32_data(rq);
  ch->shift = rq->data != NULL ? i32_data(rq) + rq->strides[1] : NULL;
  if (tgrs_s8_present(call, 2)) {
    const tgrs_tensor_t* b = &call->inputs[2];
    if (b->dims[0] != n) return "per-tensor bias";
    if (views && !stride_is(b, 0, 1)) return kNotChannelsLast;
    ch->bias = i32_data(b);
  }
  if (tgrs_s8_present(call, 4) && call->inputs[4].data != NULL) {
    const tgrs_tensor_t* z = &call->inputs[4];
    const ptrdiff_t s = tgrs_s8_bstride(z, 0);
    ch->wzp = i32_data(z)[0];
    for (m = 1; m < z->dims[0]; ++m) {
      if (i32_data(z)[m * s] != ch->wzp) return "weight zero points per channel";
    }
    if (ch->wzp < -128 || ch->wzp > 127 || (ch->wzp != 0 && !wzp_ok_nonzero)) return "weight zero point";
  }
  if (rq->data != NULL) {
    const int32_t k = ch->per_tensor ? 1 : n;
    for (m = 0; m < k; ++m) {
      if (ch->shift[m] < -31 || ch->shift[m] > 0) return "requantization shift > 0";
    }
  }
  if (ch->bias != NULL && call->inputs[2].data != NULL) {
    const int64_t limit = (int64_t)INT32_MAX - 256 - taps * 255 * 255;
    for (m = 0; m < n; ++m) {
      if (ch->bias[m] > limit || ch->bias[m] < -limit) return "bias out of int32 headroom";
    }
  }
  return NULL;
}

/* ---- spatial windows shared by conv and pools ---- */

/* The library takes the top/left pad only and clips taps past the bottom/right edge of its
 * input, so those pads are implicit; the ESP32-S3 kernels size their padded copies from the
 * top/left pad, so only the shapes TFLite Micro gives them are passed (bottom <= top + 1, right
 * <= left + 1: TF SAME padding, every row strip of it). */
static const char* window_rejects(int32_t dh, int32_t dw, int32_t pt, int32_t pl, int32_t pb, int32_t pr) {
  if (dh != 1 || dw != 1) return "dilation";
  if (pb > pt + 1 || pr > pl + 1 || pt > ESP_NN_MAX_EXTENT || pl > ESP_NN_MAX_EXTENT)
    return "bottom/right pad > top/left pad + 1";
  return NULL;
}

static int extents_ok(const tgrs_nchw_t* x, const tgrs_nchw_t* y, int32_t sh, int32_t sw, int32_t kh, int32_t kw) {
  return x->h <= ESP_NN_MAX_EXTENT && x->w <= ESP_NN_MAX_EXTENT && x->c <= ESP_NN_MAX_EXTENT &&
         y->c <= ESP_NN_MAX_EXTENT && (int64_t)y->h * sh + kh <= ESP_NN_MAX_EXTENT &&
         (int64_t)y->w * sw + kw <= ESP_NN_MAX_EXTENT;
}

/* ---- Conv: esp_nn_conv_s8 (group 1, OHWI weights) and esp_nn_depthwise_conv_s8 (group = C,
 * [KH][KW][O] weights, any multiplier) ---- */

typedef struct {
  tgrs_nchw_t x, y;
  esp_chan_t ch;
  tgrs_esp_nn_shape_t shape;
} conv_plan_t;

static const char* plan_conv(const tgrs_kernel_call_t* call, int views, conv_plan_t* p) {
  const tgrs_conv_s8_params_t* q = (const tgrs_conv_s8_params_t*)call->params;
  const tgrs_tensor_t *x = &call->inputs[0], *w = &call->inputs[1], *y = &call->outputs[0];
  const int32_t kw_axis = w->rank - 1;
  tgrs_esp_nn_shape_t* s = &p->shape;
  const char* why;
  int64_t taps;
  p->x = tgrs_nchw_of(x);
  p->y = tgrs_nchw_of(y);
  if (views && (!nhwc(x) || !nhwc(y))) return kNotChannelsLast;
  why = window_rejects(q->dilation_h, q->dilation_w, q->pad_top, q->pad_left, q->pad_bottom, q->pad_right);
  if (why != NULL) return why;
  if (!extents_ok(&p->x, &p->y, q->stride_h, q->stride_w, q->kernel_h, q->kernel_w)) return "extent > 32767";
  if (q->group == 1) {
    /* OHWI: strides [KH*KW*I, 1, KW*I, I] */
    const int64_t i = p->x.c;
    s->depthwise = 0;
    if (views && (!stride_is(w, 0, (int64_t)q->kernel_h * q->kernel_w * i) || !stride_is(w, 1, 1) ||
                  !stride_is(w, kw_axis, i) || (w->rank == 4 && !stride_is(w, 2, (int64_t)q->kernel_w * i))))
      return kNotChannelsLast;
    taps = i * q->kernel_h * q->kernel_w;
  } else if (q->group == p->x.c && w->dims[1] == 1) {
    /* [KH][KW][O]: strides [1, *, KW*O, O] */
    const int64_t o = p->y.c;
    s->depthwise = 1;
    if (views && (!stride_is(w, 0, 1) || !stride_is(w, kw_axis, o) ||
                  (w->rank == 4 && !stride_is(w, 2, (int64_t)q->kernel_w * o))))
      return kNotChannelsLast;
    taps = (int64_t)q->kernel_h * q->kernel_w;
  } else {
    return "grouped";
  }
  why = plan_chan(call, p->y.c, taps, 0, 0, views, &p->ch);
  if (why != NULL) return why;
  s->in.width = p->x.w;
  s->in.height = p->x.h;
  s->in.channels = p->x.c;
  s->in.extra = 1;
  s->filter.width = q->kernel_w;
  s->filter.height = q->kernel_h;
  s->filter.channels = s->depthwise ? 1 : p->x.c;
  s->filter.extra = p->y.c;
  s->out.width = p->y.w;
  s->out.height = p->y.h;
  s->out.channels = p->y.c;
  s->out.extra = 1;
  s->conv.in_offset = s->dw.in_offset = -q->input_zp;
  s->conv.out_offset = s->dw.out_offset = q->output_zp;
  s->dw.ch_mult = p->y.c / p->x.c;
  s->conv.stride.width = s->dw.stride.width = q->stride_w;
  s->conv.stride.height = s->dw.stride.height = q->stride_h;
  s->conv.padding.width = s->dw.padding.width = q->pad_left;
  s->conv.padding.height = s->dw.padding.height = q->pad_top;
  s->conv.dilation.width = s->dw.dilation.width = 1;
  s->conv.dilation.height = s->dw.dilation.height = 1;
  s->conv.activation.min = s->dw.activation.min = q->act_min;
  s->conv.activation.max = s->dw.activation.max = q->act_max;
  return NULL;
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
  return stride_is(b, kd, 1) && stride_is(b, nd, k);
}

static const char* fc_finish(const tgrs_kernel_call_t* call, int views, fc_plan_t* p) {
  if (p->k > 65535 || p->n > 65535) return "K or N > 65535";
  return plan_chan(call, p->n, p->k, 1, 1, views, &p->ch);
}

static const char* plan_gemm(const tgrs_kernel_call_t* call, int views, fc_plan_t* p) {
  const tgrs_gemm_s8_params_t* q = (const tgrs_gemm_s8_params_t*)call->params;
  const tgrs_tensor_t *a = &call->inputs[0], *b = &call->inputs[1], *y = &call->outputs[0];
  if (q->trans_a) return "trans_a";
  p->rows = a->dims[0];
  p->k = a->dims[1];
  p->n = y->dims[1];
  if (views && (!stride_is(a, 1, 1) || !stride_is(y, 1, 1) || !fc_weights(b, q->trans_b, p->k)))
    return kNotChannelsLast;
  p->a = (const int8_t*)a->data;
  p->a_row = a->strides[0];
  p->b = (const int8_t*)b->data;
  p->y = (int8_t*)y->data;
  p->y_row = y->strides[0];
  p->a_zp = q->a_zp;
  p->y_zp = q->output_zp;
  p->act_min = q->act_min;
  p->act_max = q->act_max;
  return fc_finish(call, views, p);
}

static const char* plan_matmul(const tgrs_kernel_call_t* call, int views, fc_plan_t* p) {
  const tgrs_matmul_s8_params_t* q = (const tgrs_matmul_s8_params_t*)call->params;
  const tgrs_tensor_t *a = &call->inputs[0], *b = &call->inputs[1], *y = &call->outputs[0];
  if (b->rank != 2) return "B not 2-D";
  p->k = a->dims[a->rank - 1];
  p->n = b->dims[1];
  if (count_of(a) / p->k != count_of(y) / p->n) return "batched B";
  if (views && (!tgrs_tensor_is_dense(a) || !tgrs_tensor_is_dense(y) || !fc_weights(b, 0, p->k)))
    return kNotChannelsLast;
  p->rows = (int32_t)(count_of(a) / p->k);
  p->a = (const int8_t*)a->data;
  p->a_row = p->k;
  p->b = (const int8_t*)b->data;
  p->y = (int8_t*)y->data;
  p->y_row = p->n;
  p->a_zp = q->a_zp;
  p->y_zp = q->output_zp;
  p->act_min = q->act_min;
  p->act_max = q->act_max;
  return fc_finish(call, views, p);
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

static const char* plan_elementwise(const tgrs_kernel_call_t* call, int views) {
  const tgrs_tensor_t *a = &call->inputs[0], *b = &call->inputs[1], *y = &call->outputs[0];
  if (!same_view(a, y, 0) || !same_view(b, y, 0)) return "broadcasting";
  if (count_of(y) > INT32_MAX) return "extent > 2^31";
  if (views && (!same_view(a, y, 1) || !same_view(b, y, 1) || !tgrs_tensor_is_block(y))) return "views not one block of one layout";
  return NULL;
}

static const char* plan_add(const tgrs_kernel_call_t* call, int views) {
  const tgrs_add_s8_params_t* q = (const tgrs_add_s8_params_t*)call->params;
  /* the library divides by 2^-output_shift: a positive shift has no meaning there */
  if (q->output_shift > 0 || q->output_shift < -31) return "output shift > 0";
  return plan_elementwise(call, views);
}

static const char* plan_mul(const tgrs_kernel_call_t* call, int views) {
  const tgrs_mul_s8_params_t* q = (const tgrs_mul_s8_params_t*)call->params;
  /* |(a - a_zp)(b - b_zp)| <= 2^16: a left shift up to 14 stays in int32 unsaturated */
  if (q->output_shift > 14 || q->output_shift < -31) return "output shift > 14";
  return plan_elementwise(call, views);
}

/* ---- pools: esp_nn_max_pool_s8 / esp_nn_avg_pool_s8 (count_include_pad 0) ---- */

typedef struct {
  tgrs_nchw_t x, y;
} pool_plan_t;

static const char* plan_pool(const tgrs_kernel_call_t* call, int is_avg, int views, pool_plan_t* p) {
  const tgrs_pool_s8_params_t* q = (const tgrs_pool_s8_params_t*)call->params;
  const tgrs_tensor_t *x = &call->inputs[0], *y = &call->outputs[0];
  const char* why;
  p->x = tgrs_nchw_of(x);
  p->y = tgrs_nchw_of(y);
  if (views && (!nhwc(x) || !nhwc(y))) return kNotChannelsLast;
  if (is_avg && q->count_include_pad) return "count_include_pad";
  why = window_rejects(q->dilation_h, q->dilation_w, q->pad_top, q->pad_left, q->pad_bottom, q->pad_right);
  if (why != NULL) return why;
  if (!extents_ok(&p->x, &p->y, q->stride_h, q->stride_w, q->kernel_h, q->kernel_w)) return "extent > 32767";
  /* every window holds an input tap (the average divides by their count): the first starts
   * inside its kernel (pads < kernel), the last must start inside the input */
  if ((int64_t)(p->y.h - 1) * q->stride_h - q->pad_top >= p->x.h ||
      (int64_t)(p->y.w - 1) * q->stride_w - q->pad_left >= p->x.w || q->pad_top >= q->kernel_h ||
      q->pad_left >= q->kernel_w)
    return "a window without input taps";
  return NULL;
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

static const char* plan_softmax(const tgrs_kernel_call_t* call, int views, tgrs_esp_nn_shape_t* s) {
  const tgrs_softmax_s8_params_t* q = (const tgrs_softmax_s8_params_t*)call->params;
  const tgrs_tensor_t *x = &call->inputs[0], *y = &call->outputs[0];
  s->width = x->dims[q->axis];
  s->height = (int32_t)(count_of(x) / s->width);
  if (s->width > ESP_NN_SOFTMAX_MAX_LEN) return "axis longer than 511";
  if (q->input_left_shift > 30) return "input_left_shift > 30";
  if (views && (!same_view(x, y, 1) || !tgrs_tensor_is_block(x) || !stride_is(x, q->axis, 1))) return "axis not innermost in memory";
  return NULL;
}

/* ---- the predicate ---- */

typedef union {
  conv_plan_t conv;
  fc_plan_t fc;
  pool_plan_t pool;
  tgrs_esp_nn_shape_t softmax;
} any_plan_t;

static const char* plan_of(uint32_t kind, const tgrs_kernel_call_t* call, int views, any_plan_t* p) {
  switch (kind) {
    case TGRS_OP_Conv:
      return plan_conv(call, views, &p->conv);
    case TGRS_OP_Gemm:
      return plan_gemm(call, views, &p->fc);
    case TGRS_OP_MatMul:
      return plan_matmul(call, views, &p->fc);
    case TGRS_OP_Add:
      return plan_add(call, views);
    case TGRS_OP_Mul:
      return plan_mul(call, views);
    case TGRS_OP_MaxPool:
      return plan_pool(call, 0, views, &p->pool);
    case TGRS_OP_AveragePool:
      return plan_pool(call, 1, views, &p->pool);
    case TGRS_OP_Softmax:
      return plan_softmax(call, views, &p->softmax);
    default:
      return "no esp-nn kernel";
  }
}

const char* tgrs_esp_nn_plan(uint32_t kind, const tgrs_kernel_call_t* call, int views, tgrs_esp_nn_shape_t* shape) {
  any_plan_t p;
  const char* why = plan_of(kind, call, views, &p);
  if (why == NULL && kind == (uint32_t)TGRS_OP_Conv) *shape = p.conv.shape;
  if (why == NULL && kind == (uint32_t)TGRS_OP_Softmax) *shape = p.softmax;
  return why;
}

const char* tgrs_esp_nn_rejects(uint32_t kind, const tgrs_kernel_call_t* call, int32_t isa, int views) {
  tgrs_esp_nn_shape_t s;
  (void)isa; /* the library's exactness and layout are the same on every ISA it has */
  return tgrs_esp_nn_plan(kind, call, views, &s);
}

/* Scratch the library of this build asks for an accepted call (0 for the ANSI C kernels). */
static uint32_t own_scratch(uint32_t kind, const any_plan_t* p) {
  int32_t need = 0;
  if (kind == (uint32_t)TGRS_OP_Conv) {
    const tgrs_esp_nn_shape_t* s = &p->conv.shape;
    need = s->depthwise ? esp_nn_get_depthwise_conv_scratch_size(&s->in, &s->filter, &s->out, &s->dw)
                        : esp_nn_get_conv_scratch_size(&s->in, &s->filter, &s->out, &s->conv);
  } else if (kind == (uint32_t)TGRS_OP_Softmax) {
    need = esp_nn_get_softmax_scratch_size(p->softmax.width, p->softmax.height);
  }
  return need > 0 ? (uint32_t)need : 0u;
}

/* ---- entries ---- */

static void run_conv(const tgrs_kernel_call_t* call, const conv_plan_t* p) {
  const tgrs_esp_nn_shape_t* s = &p->shape;
  quant_data_t qd;
  int32_t n;
  qd.mult = (int32_t*)p->ch.mult;
  qd.shift = (int32_t*)p->ch.shift;
  if (s->depthwise) {
    esp_nn_set_depthwise_conv_scratch_buf(call->scratch);
  } else {
    esp_nn_set_conv_scratch_buf(call->scratch);
  }
  for (n = 0; n < p->y.n; ++n) {
    const int8_t* x = (const int8_t*)call->inputs[0].data + (ptrdiff_t)n * p->x.sn;
    int8_t* y = (int8_t*)call->outputs[0].data + (ptrdiff_t)n * p->y.sn;
    if (s->depthwise) {
      esp_nn_depthwise_conv_s8(&s->in, x, &s->filter, (const int8_t*)call->inputs[1].data, p->ch.bias, &s->out, y,
                               &s->dw, &qd);
    } else {
      esp_nn_conv_s8(&s->in, x, &s->filter, (const int8_t*)call->inputs[1].data, p->ch.bias, &s->out, y, &s->conv,
                     &qd);
    }
  }
}

static void run_add(const tgrs_kernel_call_t* call) {
  const tgrs_add_s8_params_t* q = (const tgrs_add_s8_params_t*)call->params;
  esp_nn_add_elementwise_s8((const int8_t*)call->inputs[0].data, (const int8_t*)call->inputs[1].data, -q->a_zp,
                            -q->b_zp, q->a_mult, q->b_mult, q->a_shift, q->b_shift, q->left_shift,
                            (int8_t*)call->outputs[0].data, q->output_zp, q->output_mult, q->output_shift, q->act_min,
                            q->act_max, (int32_t)count_of(&call->outputs[0]));
}

static void run_mul(const tgrs_kernel_call_t* call) {
  const tgrs_mul_s8_params_t* q = (const tgrs_mul_s8_params_t*)call->params;
  esp_nn_mul_elementwise_s8((const int8_t*)call->inputs[0].data, (const int8_t*)call->inputs[1].data, -q->a_zp,
                            -q->b_zp, (int8_t*)call->outputs[0].data, q->output_zp, q->output_mult, q->output_shift,
                            q->act_min, q->act_max, (int32_t)count_of(&call->outputs[0]));
}

static void run_softmax(const tgrs_kernel_call_t* call, const tgrs_esp_nn_shape_t* s) {
  const tgrs_softmax_s8_params_t* q = (const tgrs_softmax_s8_params_t*)call->params;
  /* the library keeps the buffer in a global: point it at this call's planned scratch */
  esp_nn_set_softmax_scratch_buf(call->scratch);
  esp_nn_softmax_s8((const int8_t*)call->inputs[0].data, s->height, s->width, q->input_mult, q->input_left_shift,
                    q->diff_min, (int8_t*)call->outputs[0].data);
}

/* Runs op `kind` on the library when it takes the call with the scratch passed; returns 0 when
 * the caller must run the reference kernel. */
static int run_vendor(uint32_t kind, const tgrs_kernel_call_t* call) {
  any_plan_t p;
  const uint32_t need = plan_of(kind, call, 1, &p) == NULL ? own_scratch(kind, &p) : UINT32_MAX;
  if (need == UINT32_MAX || (need > 0u && (call->scratch == NULL || call->scratch_size < need))) {
    ESP_NN_COUNT(reference);
    return 0;
  }
  switch (kind) {
    case TGRS_OP_Conv:
      run_conv(call, &p.conv);
      break;
    case TGRS_OP_Gemm:
    case TGRS_OP_MatMul:
      run_fc(&p.fc);
      break;
    case TGRS_OP_Add:
      run_add(call);
      break;
    case TGRS_OP_Mul:
      run_mul(call);
      break;
    case TGRS_OP_MaxPool:
    case TGRS_OP_AveragePool:
      run_pool(call, &p.pool, kind == (uint32_t)TGRS_OP_AveragePool);
      break;
    default:
      run_softmax(call, &p.softmax);
      break;
  }
  ESP_NN_COUNT(vendor);
  return 1;
}

#define ESP_NN_RUN_ENTRY(name)                                       \
  void tgrs_esp_nn_##name##_s8_run(const tgrs_kernel_call_t* call) { \
    if (!run_vendor((uint32_t)TGRS_OP_##name, call)) tgrs_ref_##name##_s8_run(call); \
  }
TGRS_ESP_NN_OPS(ESP_NN_RUN_ENTRY)
#undef ESP_NN_RUN_ENTRY

#define ESP_NN_TABLE_ENTRY(name) [TGRS_OP_##name] = TGRS_ESP_NN_KERNEL_S8(name),
const tgrs_backend_t tgrs_backend_esp_nn = {
    "esp-nn",
    {{0}},
    {TGRS_ESP_NN_OPS(ESP_NN_TABLE_ENTRY)},
};
#undef ESP_NN_TABLE_ENTRY
