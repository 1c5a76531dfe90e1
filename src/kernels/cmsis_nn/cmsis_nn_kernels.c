/* The CMSIS-NN run entries: each takes the call when tgrs_cmsis_rejects() says so and the plan
 * passed at least the scratch the kernel needs on this build's ISA, unpacks the views into the
 * vendor's NHWC dims and calls it; otherwise (or should the vendor report an argument error) it
 * runs the reference kernel. Row strips pass straight through: the input dims are the rows
 * supplied, the strip's pad_top is the vendor's top padding and its bottom padding is implicit
 * (the vendor treats taps past the input as padding, as the reference skips them). */
#include "cmsis_nn_internal.h"

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

static arm_cmsis_nn_status conv(const tgrs_kernel_call_t* call) {
  const tgrs_conv_s8_params_t* p = (const tgrs_conv_s8_params_t*)call->params;
  const tgrs_tensor_t* x = &call->inputs[0];
  const tgrs_tensor_t* w = &call->inputs[1];
  const tgrs_tensor_t* y = &call->outputs[0];
  const int32_t m = y->dims[1];
  int32_t* rq = (int32_t*)call->inputs[3].data;
  const cmsis_nn_context ctx = context_of(call);
  cmsis_nn_per_channel_quant_params q;
  cmsis_nn_conv_params cp;
  cmsis_nn_dims in = nhwc_dims(x), out = nhwc_dims(y), f, bias_dims;
  const int32_t* bias = (const int32_t*)call->inputs[2].data;
  q.multiplier = rq;
  q.shift = rq + m;
  f.n = m;
  f.h = x->rank == 4 ? w->dims[2] : 1;
  f.w = x->rank == 4 ? w->dims[3] : w->dims[2];
  f.c = w->dims[1];
  bias_dims.n = bias_dims.h = bias_dims.w = 1;
  bias_dims.c = m;
  cp.input_offset = -p->input_zp;
  cp.output_offset = p->output_zp;
  cp.stride.h = x->rank == 4 ? p->stride_h : 1;
  cp.stride.w = p->stride_w;
  cp.padding.h = x->rank == 4 ? p->pad_top : 0;
  cp.padding.w = p->pad_left;
  cp.dilation.h = x->rank == 4 ? p->dilation_h : 1;
  cp.dilation.w = p->dilation_w;
  cp.activation.min = p->act_min;
  cp.activation.max = p->act_max;
  if (p->group == in.c && in.c > 1) {
    cmsis_nn_dw_conv_params dp;
    dp.input_offset = cp.input_offset;
    dp.output_offset = cp.output_offset;
    dp.ch_mult = m / in.c;
    dp.stride = cp.stride;
    dp.padding = cp.padding;
    dp.dilation = cp.dilation;
    dp.activation = cp.activation;
    f.n = 1;
    f.c = m;
    if (dp.ch_mult == 1 && dp.dilation.h == 1 && dp.dilation.w == 1 && in.n == 1) {
#if !defined(ARM_MATH_MVEI)
      /* The 3x3 kernel always reads a window's middle column: only when the last window's is
       * inside the input (TF SAME pads are <= 1 on the right; ONNX / strip pads need not be). */
      if (f.h == 3 && f.w == 3 && dp.padding.h <= 1 && dp.padding.w <= 1 &&
          (out.w - 1) * dp.stride.w - dp.padding.w + 2 <= in.w)
        return arm_depthwise_conv_3x3_s8(&ctx, &dp, &q, &in, (const int8_t*)x->data, &f, (const int8_t*)w->data,
                                         &bias_dims, bias, &out, (int8_t*)y->data);
#endif
      return arm_depthwise_conv_s8_opt(&ctx, &dp, &q, &in, (const int8_t*)x->data, &f, (const int8_t*)w->data,
                                       &bias_dims, bias, &out, (int8_t*)y->data);
    }
    return arm_depthwise_conv_s8(&ctx, &dp, &q, &in, (const int8_t*)x->data, &f, (const int8_t*)w->data, &bias_dims,
                                 bias, &out, (int8_t*)y->data);
  } else {
    /* 1x1 without pads: the 1x1 kernels. Everything else, 1xN included, arm_convolve_s8: the
     * MVE 1xN path is wrong for stride 2 with a 1x5 kernel and SAME padding and fails for
     * other padding, and on the other ISAs the 1xN entry is arm_convolve_s8 anyway. */
    if (p->group == 1 && f.h == 1 && f.w == 1 && cp.padding.h == 0 && cp.padding.w == 0 && cp.dilation.h == 1 &&
        cp.dilation.w == 1) {
      tgrs_cmsis_nhwc_t s;
      if (!tgrs_cmsis_nhwc(x, &s) || !tgrs_cmsis_nhwc(y, &s)) {
        /* a column band (rows not adjacent): one call per output row, each row an NHWC block;
         * every output pixel reads one input pixel, so the rows are the whole call's */
        cmsis_nn_dims in1 = in, out1 = out;
        cmsis_nn_conv_params cp1 = cp;
        int32_t r;
        in1.h = out1.h = 1;
        cp1.stride.h = 1;
        for (r = 0; r < out.h; ++r) {
          const int8_t* xr = (const int8_t*)x->data + (ptrdiff_t)r * cp.stride.h * x->strides[2];
          int8_t* yr = (int8_t*)y->data + (ptrdiff_t)r * y->strides[2];
          const arm_cmsis_nn_status st =
              cp.stride.w == 1
                  ? arm_convolve_1x1_s8_fast(&ctx, &cp1, &q, &in1, xr, &f, (const int8_t*)w->data, &bias_dims, bias, &out1, yr)
                  : arm_convolve_1x1_s8(&ctx, &cp1, &q, &in1, xr, &f, (const int8_t*)w->data, &bias_dims, bias, &out1, yr);
          if (st != ARM_CMSIS_NN_SUCCESS) return st;
        }
        return ARM_CMSIS_NN_SUCCESS;
      }
      if (cp.stride.h == 1 && cp.stride.w == 1)
        return arm_convolve_1x1_s8_fast(&ctx, &cp, &q, &in, (const int8_t*)x->data, &f, (const int8_t*)w->data,
                                        &bias_dims, bias, &out, (int8_t*)y->data);
      return arm_convolve_1x1_s8(&ctx, &cp, &q, &in, (const int8_t*)x->data, &f, (const int8_t*)w->data, &bias_dims,
                                 bias, &out, (int8_t*)y->data);
    }
    return arm_convolve_s8(&ctx, &cp, &q, &in, (const int8_t*)x->data, &f, (const int8_t*)w->data, &bias_dims, bias,
                           NULL, &out, (int8_t*)y->data);
  }
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

static arm_cmsis_nn_status pool(const tgrs_kernel_call_t* call, int average) {
  const tgrs_pool_s8_params_t* p = (const tgrs_pool_s8_params_t*)call->params;
  const tgrs_tensor_t* x = &call->inputs[0];
  const cmsis_nn_context ctx = context_of(call);
  cmsis_nn_pool_params pp;
  cmsis_nn_dims in = nhwc_dims(x), out = nhwc_dims(&call->outputs[0]), f;
  pp.stride.h = x->rank == 4 ? p->stride_h : 1;
  pp.stride.w = p->stride_w;
  pp.padding.h = x->rank == 4 ? p->pad_top : 0;
  pp.padding.w = p->pad_left;
  pp.activation.min = p->act_min;
  pp.activation.max = p->act_max;
  f.n = f.c = 1;
  f.h = x->rank == 4 ? p->kernel_h : 1;
  f.w = p->kernel_w;
  if (average) return arm_avgpool_s8(&ctx, &pp, &in, (const int8_t*)x->data, &f, &out, (int8_t*)call->outputs[0].data);
  return arm_max_pool_s8(&ctx, &pp, &in, (const int8_t*)x->data, &f, &out, (int8_t*)call->outputs[0].data);
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
