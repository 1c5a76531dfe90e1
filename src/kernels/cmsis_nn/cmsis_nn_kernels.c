/* The CMSIS-NN run entries: each takes the call when tgrs_cmsis_rejects() says so and the plan
 * passed at least the scratch the kernel needs on this build's ISA, unpacks the views into the
 * vendor's NHWC dims and calls it; otherwise (or should the vendor report an argument error) it
 * runs the reference kernel. Row strips pass straight through: the input dims are the rows
 * supplied, the strip's pad_top is the vendor's top padding and its bottom padding is implicit
 * (the vendor treats taps past the input as padding, as the reference skips them). */
#include "cmsis_nn_internal.h"
#include "tigris/kernels/ref_s8.h"

#ifdef TGRS_VENDOR_COUNTERS
tgrs_vendor_counters_t tgrs_cmsis_counters;
#define TGRS_CMSIS_COUNT(field) (++tgrs_cmsis_counters.field)
#else
#define TGRS_CMSIS_COUNT(field) ((void)0)
#endif

/* 1 when the vendor kernel may run this call here: accepted, with enough scratch. */
static int takes(uint32_t kind, const tgrs_kernel_call_t* call) {
  const int32_t isa = tgrs_cmsis_isa();
  uint32_t need;
  if (tgrs_cmsis_rejects(kind, call, isa, 1) != NULL) return 0;
  need = tgrs_cmsis_scratch(kind, call, isa);
  return need == 0u || (call->scratch != NULL && call->scratch_size >= need);
}

static cmsis_nn_context context_of(const tgrs_kernel_call_t* call) {
  cmsis_nn_context ctx;
  ctx.buf = call->scratch_size > 0u ? call->scratch : NULL;
  ctx.size = (int32_t)call->scratch_size;
  return ctx;
}

static cmsis_nn_dims nhwc_dims(const tgrs_tensor_t* t) {
  tgrs_cmsis_nhwc_t s;
  cmsis_nn_dims d;
  (void)tgrs_cmsis_nhwc(t, &s);
  d.n = s.n;
  d.h = s.h;
  d.w = s.w;
  d.c = s.c;
  return d;
}

/* ---- Conv ---------------------------------------------------------------------------------- */

/* Stride, padding and activation of a cmsis_nn_conv_params or cmsis_nn_pool_params from a
 * tgrs_conv_s8_params_t or tgrs_pool_s8_params_t (the same field names); rank 3 has no H axis. */
#define TGRS_CMSIS_SET_WINDOW_(dst, p, rank4)       \
  do {                                              \
    (dst).stride.h = (rank4) ? (p)->stride_h : 1;   \
    (dst).stride.w = (p)->stride_w;                 \
    (dst).padding.h = (rank4) ? (p)->pad_top : 0;   \
    (dst).padding.w = (p)->pad_left;                \
    (dst).activation.min = (p)->act_min;            \
    (dst).activation.max = (p)->act_max;            \
  } while (0)

/* What every vendor conv call of one tgrs call shares. */
typedef struct {
  cmsis_nn_context ctx;
  cmsis_nn_per_channel_quant_params q;
  cmsis_nn_conv_params cp; /* the call's; row calls change padding.h and stride.h */
  cmsis_nn_dims f, bias_dims;
  const int32_t* bias;
  const int8_t* w;
  int32_t group, m;
} conv_setup_t;

static conv_setup_t conv_setup(const tgrs_kernel_call_t* call) {
  const tgrs_conv_s8_params_t* p = (const tgrs_conv_s8_params_t*)call->params;
  const tgrs_tensor_t* x = &call->inputs[0];
  const tgrs_tensor_t* w = &call->inputs[1];
  conv_setup_t s;
  int32_t* rq = (int32_t*)call->inputs[3].data;
  s.m = call->outputs[0].dims[1];
  s.group = p->group;
  s.ctx = context_of(call);
  s.q.multiplier = rq;
  s.q.shift = rq + s.m;
  s.f.n = s.m;
  s.f.h = x->rank == 4 ? w->dims[2] : 1;
  s.f.w = x->rank == 4 ? w->dims[3] : w->dims[2];
  s.f.c = w->dims[1];
  s.bias_dims.n = s.bias_dims.h = s.bias_dims.w = 1;
  s.bias_dims.c = s.m;
  s.bias = (const int32_t*)call->inputs[2].data;
  s.w = (const int8_t*)w->data;
  s.cp.input_offset = -p->input_zp;
  s.cp.output_offset = p->output_zp;
  TGRS_CMSIS_SET_WINDOW_(s.cp, p, x->rank == 4);
  s.cp.dilation.h = x->rank == 4 ? p->dilation_h : 1;
  s.cp.dilation.w = p->dilation_w;
  return s;
}

/* One vendor call: `out` from `in` (NHWC blocks at x and y), the kernel picked by shape. */
static arm_cmsis_nn_status conv_block(const conv_setup_t* s, const cmsis_nn_conv_params* cp, const cmsis_nn_dims* in,
                                      const int8_t* x, const cmsis_nn_dims* out, int8_t* y) {
  cmsis_nn_dims f = s->f;
  if (s->group == in->c && in->c > 1) {
    cmsis_nn_dw_conv_params dp;
    dp.input_offset = cp->input_offset;
    dp.output_offset = cp->output_offset;
    dp.ch_mult = s->m / in->c;
    dp.stride = cp->stride;
    dp.padding = cp->padding;
    dp.dilation = cp->dilation;
    dp.activation = cp->activation;
    f.n = 1;
    f.c = s->m;
    if (dp.ch_mult == 1 && dp.dilation.h == 1 && dp.dilation.w == 1 && in->n == 1) {
#if !defined(ARM_MATH_MVEI)
      /* The 3x3 kernel always reads a window's middle column: only when the last window's is
       * inside the input (TF SAME pads are <= 1 on the right; ONNX / strip pads need not be). */
      if (f.h == 3 && f.w == 3 && dp.padding.h <= 1 && dp.padding.w <= 1 &&
          (out->w - 1) * dp.stride.w - dp.padding.w + 2 <= in->w)
        return arm_depthwise_conv_3x3_s8(&s->ctx, &dp, &s->q, in, x, &f, s->w, &s->bias_dims, s->bias, out, y);
#endif
      return arm_depthwise_conv_s8_opt(&s->ctx, &dp, &s->q, in, x, &f, s->w, &s->bias_dims, s->bias, out, y);
    }
    return arm_depthwise_conv_s8(&s->ctx, &dp, &s->q, in, x, &f, s->w, &s->bias_dims, s->bias, out, y);
  }
  /* 1x1 whose every output reads an input pixel (no pads, bottom/right ones included): the 1x1
   * kernels, the fast one when the output is the input's shape. Everything else, 1xN included,
   * arm_convolve_s8: the MVE 1xN path is wrong for stride 2 with a 1x5 kernel and SAME padding
   * and fails for other padding, and on the other ISAs the 1xN entry is arm_convolve_s8 anyway. */
  if (s->group == 1 && f.h == 1 && f.w == 1 && cp->padding.h == 0 && cp->padding.w == 0 && cp->dilation.h == 1 &&
      cp->dilation.w == 1 && (out->h - 1) * cp->stride.h < in->h && (out->w - 1) * cp->stride.w < in->w) {
    if (cp->stride.h == 1 && cp->stride.w == 1 && out->h == in->h && out->w == in->w)
      return arm_convolve_1x1_s8_fast(&s->ctx, cp, &s->q, in, x, &f, s->w, &s->bias_dims, s->bias, out, y);
    return arm_convolve_1x1_s8(&s->ctx, cp, &s->q, in, x, &f, s->w, &s->bias_dims, s->bias, out, y);
  }
  return arm_convolve_s8(&s->ctx, cp, &s->q, in, x, &f, s->w, &s->bias_dims, s->bias, NULL, out, y);
}

/* ---- Column bands (tgrs_cmsis_band) ---------------------------------------------------------- */

/* One output row of a band: `in` is declared b.pitch wide, from the first input row under the
 * window (the rows above it are padding: pad_h of them). */
typedef arm_cmsis_nn_status (*band_row_fn)(const void* op, int32_t pad_h, const cmsis_nn_dims* in, const int8_t* x,
                                           const cmsis_nn_dims* out, int8_t* y);

/* Every output row's leading b->vendor_cols columns through `row`; the caller runs the rest. */
static arm_cmsis_nn_status band_rows(const tgrs_cmsis_window_t* win, const tgrs_cmsis_band_t* b, const tgrs_tensor_t* x,
                                     const tgrs_tensor_t* y, band_row_fn row, const void* op) {
  cmsis_nn_dims in, out;
  int32_t r;
  in.n = out.n = 1;
  in.c = x->dims[1];
  in.w = b->pitch;
  out.h = 1;
  out.w = b->vendor_cols;
  out.c = y->dims[1];
  for (r = 0; r < y->dims[2]; ++r) {
    const int32_t t0 = r * win->stride_h - win->pad_top, first = t0 > 0 ? t0 : 0;
    arm_cmsis_nn_status st;
    in.h = x->dims[2] - first;
    st = row(op, first - t0, &in, (const int8_t*)x->data + (ptrdiff_t)first * x->strides[2], &out,
             (int8_t*)y->data + (ptrdiff_t)r * y->strides[2]);
    if (st != ARM_CMSIS_NN_SUCCESS) return st;
  }
  return ARM_CMSIS_NN_SUCCESS;
}

/* The views of the columns after b->vendor_cols (for the reference kernel); 0 when there are none. */
static int band_edge(const tgrs_cmsis_band_t* b, const tgrs_tensor_t* x, const tgrs_tensor_t* y, tgrs_tensor_t* ex,
                     tgrs_tensor_t* ey) {
  if (b->vendor_cols >= y->dims[3]) return 0;
  *ex = *x;
  *ey = *y;
  ex->dims[3] -= b->edge_x0;
  ex->data = (int8_t*)x->data + (ptrdiff_t)b->edge_x0 * x->strides[3];
  ey->dims[3] -= b->vendor_cols;
  ey->data = (int8_t*)y->data + (ptrdiff_t)b->vendor_cols * y->strides[3];
  return 1;
}

static arm_cmsis_nn_status conv_row(const void* op, int32_t pad_h, const cmsis_nn_dims* in, const int8_t* x,
                                    const cmsis_nn_dims* out, int8_t* y) {
  const conv_setup_t* s = (const conv_setup_t*)op;
  cmsis_nn_conv_params cp = s->cp;
  cp.padding.h = pad_h;
  return conv_block(s, &cp, in, x, out, y);
}

static arm_cmsis_nn_status conv_band(const tgrs_kernel_call_t* call, const conv_setup_t* s) {
  const tgrs_conv_s8_params_t* p = (const tgrs_conv_s8_params_t*)call->params;
  const tgrs_cmsis_window_t win = TGRS_CMSIS_WINDOW(p);
  tgrs_cmsis_band_t b;
  tgrs_tensor_t ex, ey;
  arm_cmsis_nn_status st;
  if (tgrs_cmsis_band(&win, &call->inputs[0], &call->outputs[0], &b) != NULL) return ARM_CMSIS_NN_ARG_ERROR;
  st = band_rows(&win, &b, &call->inputs[0], &call->outputs[0], conv_row, s);
  if (st == ARM_CMSIS_NN_SUCCESS && band_edge(&b, &call->inputs[0], &call->outputs[0], &ex, &ey)) {
    tgrs_conv_s8_params_t ep = *p;
    ep.pad_left = b.edge_pad_left;
    /* accepted calls have a bias and no weight zero point (tgrs_cmsis_rejects) */
    tgrs_conv2d_s8(&ex, &call->inputs[1], &call->inputs[2], &call->inputs[3], NULL, &ey, &ep);
  }
  return st;
}

static arm_cmsis_nn_status conv(const tgrs_kernel_call_t* call) {
  const tgrs_conv_s8_params_t* p = (const tgrs_conv_s8_params_t*)call->params;
  const tgrs_tensor_t* x = &call->inputs[0];
  const tgrs_tensor_t* y = &call->outputs[0];
  const conv_setup_t s = conv_setup(call);
  cmsis_nn_dims in = nhwc_dims(x), out = nhwc_dims(y);
  tgrs_cmsis_nhwc_t v;
  if (!tgrs_cmsis_nhwc(x, &v) || !tgrs_cmsis_nhwc(y, &v)) {
    int32_t r;
    if (!tgrs_cmsis_pointwise(p, s.f.h, s.f.w)) return conv_band(call, &s);
    /* a pointwise band: one call per output row, each row an NHWC block; every output pixel
     * reads one input pixel, so the rows are the whole call's (nhwc_dims filled n, c, w) */
    in.h = out.h = 1;
    {
      cmsis_nn_conv_params cp = s.cp;
      cp.stride.h = 1;
      for (r = 0; r < y->dims[2]; ++r) {
        const arm_cmsis_nn_status st =
            conv_block(&s, &cp, &in, (const int8_t*)x->data + (ptrdiff_t)r * s.cp.stride.h * x->strides[2], &out,
                       (int8_t*)y->data + (ptrdiff_t)r * y->strides[2]);
        if (st != ARM_CMSIS_NN_SUCCESS) return st;
      }
    }
    return ARM_CMSIS_NN_SUCCESS;
  }
  return conv_block(&s, &s.cp, &in, (const int8_t*)x->data, &out, (int8_t*)y->data);
}

/* ---- Gemm / MatMul as fully connected -------------------------------------------------------- */

static arm_cmsis_nn_status fully_connected(const tgrs_kernel_call_t* call, int32_t a_zp, int32_t y_zp, int32_t lo,
                                           int32_t hi) {
  const tgrs_tensor_t* a = &call->inputs[0];
  const tgrs_tensor_t* b = &call->inputs[1];
  const tgrs_tensor_t* y = &call->outputs[0];
  const tgrs_tensor_t* rqt = &call->inputs[3];
  const int32_t k = a->dims[a->rank - 1], n = y->dims[y->rank - 1];
  const int32_t rows = (int32_t)(tgrs_cmsis_count(a) / k);
  const int32_t* bias = (call->n_inputs > 2 && call->inputs[2].dtype != 0) ? (const int32_t*)call->inputs[2].data : NULL;
  int32_t* rq = (int32_t*)rqt->data;
  cmsis_nn_context ctx = context_of(call);
  cmsis_nn_fc_params fp;
  cmsis_nn_dims in, f, bias_dims, out;
  fp.input_offset = -a_zp;
  fp.filter_offset = 0;
  fp.output_offset = y_zp;
  fp.activation.min = lo;
  fp.activation.max = hi;
  in.n = rows;
  in.h = in.w = 1;
  in.c = k;
  f.n = k;
  f.h = f.w = 1;
  f.c = n;
  bias_dims.n = bias_dims.h = bias_dims.w = 1;
  bias_dims.c = n;
  out.n = rows;
  out.h = out.w = 1;
  out.c = n;
#if defined(ARM_MATH_MVEI)
  /* The MVE kernels take the weight row sums times the input offset (plus bias) precomputed in
   * their buffer; computed here per call into the planned scratch. */
  (void)arm_vector_sum_s8((int32_t*)ctx.buf, k, n, (const int8_t*)b->data, fp.input_offset, 0, bias);
#endif
  if (rqt->dims[0] == 1) {
    cmsis_nn_per_tensor_quant_params q;
    q.multiplier = rq[0];
    q.shift = rq[rqt->strides[1]];
    return arm_fully_connected_s8(&ctx, &fp, &q, &in, (const int8_t*)a->data, &f, (const int8_t*)b->data, &bias_dims,
                                  bias, &out, (int8_t*)y->data);
  } else {
    cmsis_nn_per_channel_quant_params q;
    q.multiplier = rq;
    q.shift = rq + n;
    return arm_fully_connected_per_channel_s8(&ctx, &fp, &q, &in, (const int8_t*)a->data, &f, (const int8_t*)b->data,
                                              &bias_dims, bias, &out, (int8_t*)y->data);
  }
}

static arm_cmsis_nn_status gemm(const tgrs_kernel_call_t* call) {
  const tgrs_gemm_s8_params_t* p = (const tgrs_gemm_s8_params_t*)call->params;
  return fully_connected(call, p->a_zp, p->output_zp, p->act_min, p->act_max);
}

static arm_cmsis_nn_status matmul(const tgrs_kernel_call_t* call) {
  const tgrs_matmul_s8_params_t* p = (const tgrs_matmul_s8_params_t*)call->params;
  return fully_connected(call, p->a_zp, p->output_zp, p->act_min, p->act_max);
}

/* ---- Add, Mul ---------------------------------------------------------------------------------- */

/* The views are one block with identical strides (its lowest address is element 0 of each), or
 * a column band whose rows are NHWC blocks: then one call per row of W*C elements (elementwise,
 * so the rows are the whole call's). */
static int eltwise_rows(const tgrs_kernel_call_t* call, int32_t* rows, int32_t* per_row) {
  const tgrs_tensor_t* y = &call->outputs[0];
  tgrs_cmsis_nhwc_t s;
  if (y->rank == 4 && !(tgrs_cmsis_nhwc(&call->inputs[0], &s) && tgrs_cmsis_nhwc(&call->inputs[1], &s) &&
                        tgrs_cmsis_nhwc(y, &s)) &&
      tgrs_cmsis_nhwc_rows(y)) {
    *rows = y->dims[2];
    *per_row = y->dims[1] * y->dims[3];
    return 1;
  }
  *rows = 1;
  *per_row = (int32_t)tgrs_cmsis_count(y);
  return 0;
}

/* Row r of view t (row 0 when the call is one block). */
static const int8_t* row_of(const tgrs_tensor_t* t, int32_t r, int banded) {
  return (const int8_t*)t->data + (banded ? (ptrdiff_t)r * t->strides[2] : 0);
}

static arm_cmsis_nn_status add(const tgrs_kernel_call_t* call) {
  const tgrs_add_s8_params_t* p = (const tgrs_add_s8_params_t*)call->params;
  int32_t rows, n, r;
  const int banded = eltwise_rows(call, &rows, &n);
  for (r = 0; r < rows; ++r) {
    const arm_cmsis_nn_status st = arm_elementwise_add_s8(
        row_of(&call->inputs[0], r, banded), row_of(&call->inputs[1], r, banded), -p->a_zp, p->a_mult, p->a_shift,
        -p->b_zp, p->b_mult, p->b_shift, p->left_shift, (int8_t*)row_of(&call->outputs[0], r, banded), p->output_zp,
        p->output_mult, p->output_shift, p->act_min, p->act_max, n);
    if (st != ARM_CMSIS_NN_SUCCESS) return st;
  }
  return ARM_CMSIS_NN_SUCCESS;
}

static arm_cmsis_nn_status mul(const tgrs_kernel_call_t* call) {
  const tgrs_mul_s8_params_t* p = (const tgrs_mul_s8_params_t*)call->params;
  int32_t rows, n, r;
  const int banded = eltwise_rows(call, &rows, &n);
  for (r = 0; r < rows; ++r) {
    const arm_cmsis_nn_status st = arm_elementwise_mul_s8(
        row_of(&call->inputs[0], r, banded), row_of(&call->inputs[1], r, banded), -p->a_zp, -p->b_zp,
        (int8_t*)row_of(&call->outputs[0], r, banded), p->output_zp, p->output_mult, p->output_shift, p->act_min,
        p->act_max, n);
    if (st != ARM_CMSIS_NN_SUCCESS) return st;
  }
  return ARM_CMSIS_NN_SUCCESS;
}

/* ---- Pools ------------------------------------------------------------------------------------- */

typedef struct {
  cmsis_nn_context ctx;
  cmsis_nn_pool_params pp;
  cmsis_nn_dims f;
  int average;
} pool_setup_t;

static arm_cmsis_nn_status pool_block(const pool_setup_t* s, const cmsis_nn_pool_params* pp, const cmsis_nn_dims* in,
                                      const int8_t* x, const cmsis_nn_dims* out, int8_t* y) {
  if (s->average) return arm_avgpool_s8(&s->ctx, pp, in, x, &s->f, out, y);
  return arm_max_pool_s8(&s->ctx, pp, in, x, &s->f, out, y);
}

static arm_cmsis_nn_status pool_row(const void* op, int32_t pad_h, const cmsis_nn_dims* in, const int8_t* x,
                                    const cmsis_nn_dims* out, int8_t* y) {
  const pool_setup_t* s = (const pool_setup_t*)op;
  cmsis_nn_pool_params pp = s->pp;
  pp.padding.h = pad_h;
  return pool_block(s, &pp, in, x, out, y);
}

static arm_cmsis_nn_status pool(const tgrs_kernel_call_t* call, int average) {
  const tgrs_pool_s8_params_t* p = (const tgrs_pool_s8_params_t*)call->params;
  const tgrs_tensor_t* x = &call->inputs[0];
  const tgrs_tensor_t* y = &call->outputs[0];
  tgrs_cmsis_nhwc_t v;
  pool_setup_t s;
  s.ctx = context_of(call);
  s.average = average;
  TGRS_CMSIS_SET_WINDOW_(s.pp, p, x->rank == 4);
  s.f.n = s.f.c = 1;
  s.f.h = x->rank == 4 ? p->kernel_h : 1;
  s.f.w = p->kernel_w;
  if (!tgrs_cmsis_nhwc(x, &v) || !tgrs_cmsis_nhwc(y, &v)) {
    const tgrs_cmsis_window_t win = TGRS_CMSIS_WINDOW(p);
    tgrs_cmsis_band_t b;
    tgrs_tensor_t ex, ey;
    arm_cmsis_nn_status st;
    if (tgrs_cmsis_band(&win, x, y, &b) != NULL) return ARM_CMSIS_NN_ARG_ERROR;
    st = band_rows(&win, &b, x, y, pool_row, &s);
    if (st == ARM_CMSIS_NN_SUCCESS && band_edge(&b, x, y, &ex, &ey)) {
      tgrs_pool_s8_params_t ep = *p;
      ep.pad_left = b.edge_pad_left;
      if (average)
        tgrs_avgpool2d_s8(&ex, &ey, &ep);
      else
        tgrs_maxpool2d_s8(&ex, &ey, &ep);
    }
    return st;
  }
  {
    const cmsis_nn_dims in = nhwc_dims(x), out = nhwc_dims(y);
    return pool_block(&s, &s.pp, &in, (const int8_t*)x->data, &out, (int8_t*)y->data);
  }
}

static arm_cmsis_nn_status maxpool(const tgrs_kernel_call_t* call) { return pool(call, 0); }
static arm_cmsis_nn_status avgpool(const tgrs_kernel_call_t* call) { return pool(call, 1); }

/* ---- Softmax ------------------------------------------------------------------------------------ */

static arm_cmsis_nn_status softmax(const tgrs_kernel_call_t* call) {
  const tgrs_softmax_s8_params_t* p = (const tgrs_softmax_s8_params_t*)call->params;
  const tgrs_tensor_t* x = &call->inputs[0];
  const int32_t len = x->dims[p->axis];
  arm_softmax_s8((const int8_t*)x->data, (int32_t)(tgrs_cmsis_count(x) / len), len, p->input_mult,
                 p->input_left_shift, p->diff_min, (int8_t*)call->outputs[0].data);
  return ARM_CMSIS_NN_SUCCESS;
}

/* ---- Entries and the table ---------------------------------------------------------------------- */

#define TGRS_CMSIS_ENTRY_(name, fn)                                                   \
  void tgrs_cmsis_##name##_s8_run(const tgrs_kernel_call_t* call) {                  \
    if (takes((uint32_t)TGRS_OP_##name, call) && fn(call) == ARM_CMSIS_NN_SUCCESS) { \
      TGRS_CMSIS_COUNT(vendor);                                                      \
      return;                                                                        \
    }                                                                                \
    TGRS_CMSIS_COUNT(reference);                                                     \
    tgrs_ref_##name##_s8_run(call);                                                  \
  }
TGRS_CMSIS_ENTRY_(Conv, conv)
TGRS_CMSIS_ENTRY_(Gemm, gemm)
TGRS_CMSIS_ENTRY_(MatMul, matmul)
TGRS_CMSIS_ENTRY_(Add, add)
TGRS_CMSIS_ENTRY_(Mul, mul)
TGRS_CMSIS_ENTRY_(MaxPool, maxpool)
TGRS_CMSIS_ENTRY_(AveragePool, avgpool)
TGRS_CMSIS_ENTRY_(Softmax, softmax)
#undef TGRS_CMSIS_ENTRY_

#define TGRS_CMSIS_ROW_(name) [TGRS_OP_##name] = TGRS_CMSIS_KERNEL_S8(name),
const tgrs_backend_t tgrs_backend_cmsis_nn = {"cmsis-nn", {{0}}, {TGRS_CMSIS_OPS(TGRS_CMSIS_ROW_)}};
#undef TGRS_CMSIS_ROW_
