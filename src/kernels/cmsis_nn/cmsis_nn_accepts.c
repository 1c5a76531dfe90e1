/* When CMSIS-NN takes a call, as data: the channels-last view rules and each op's constraints
 * (tgrs_cmsis_rejects), and the scratch its kernel needs per ISA (tgrs_cmsis_scratch). One place
 * for run(), the host scratch query and the compiler's report, so what the compiler predicts is
 * what runs. The calls themselves are in cmsis_nn_kernels.c. */
#include "cmsis_nn_internal.h"

int32_t tgrs_cmsis_isa(void) {
#if defined(ARM_MATH_MVEI)
  return TGRS_ISA_ARM_MVE;
#elif defined(ARM_MATH_DSP)
  return TGRS_ISA_ARM_DSP;
#else
  return TGRS_ISA_PORTABLE;
#endif
}

/* ---- Views ------------------------------------------------------------------------------- */

#define TGRS_CMSIS_MAX_DIM 65535 /* CMSIS-NN keeps spatial sizes and channels in uint16_t */

static int present(const tgrs_kernel_call_t* call, int32_t i) {
  return i < call->n_inputs && call->inputs[i].dtype != 0;
}

/* Each dim of extent > 1 has exactly the stride given (a dim of extent 1 may have any). */
static int strides_are(const tgrs_tensor_t* t, const int32_t* want) {
  int32_t d;
  for (d = 0; d < t->rank; ++d)
    if (t->dims[d] > 1 && t->strides[d] != want[d]) return 0;
  return 1;
}

int tgrs_cmsis_nhwc(const tgrs_tensor_t* t, tgrs_cmsis_nhwc_t* s) {
  int32_t want[4];
  if (t->dtype != TGRS_DTYPE_I8) return 0;
  if (t->rank == 4) {
    s->n = t->dims[0];
    s->c = t->dims[1];
    s->h = t->dims[2];
    s->w = t->dims[3];
  } else if (t->rank == 3) {
    s->n = t->dims[0];
    s->c = t->dims[1];
    s->h = 1;
    s->w = t->dims[2];
  } else {
    return 0;
  }
  if (t->rank == 4) {
    want[0] = s->h * s->w * s->c;
    want[1] = 1;
    want[2] = s->w * s->c;
    want[3] = s->c;
  } else {
    want[0] = s->w * s->c;
    want[1] = 1;
    want[2] = s->c;
  }
  return strides_are(t, want);
}

int tgrs_cmsis_nhwc_rows(const tgrs_tensor_t* t) {
  int32_t want[4];
  if (t->dtype != TGRS_DTYPE_I8 || t->rank != 4 || t->dims[0] != 1) return 0;
  want[0] = t->strides[0];
  want[1] = 1;
  want[2] = t->strides[2];
  want[3] = t->dims[1];
  return strides_are(t, want) && (t->dims[2] == 1 || t->strides[2] >= t->dims[3] * t->dims[1]);
}

const char* tgrs_cmsis_band(const tgrs_cmsis_window_t* win, const tgrs_tensor_t* x, const tgrs_tensor_t* y,
                            tgrs_cmsis_band_t* b) {
  const int32_t c = x->dims[1], h = x->dims[2], w = x->dims[3];
  const int32_t ekw = (win->kernel_w - 1) * win->dilation_w + 1;
  const int32_t ho = y->dims[2], wo = y->dims[3];
  int32_t pitch, first_edge_tap;
  if (x->rank != 4 || y->rank != 4 || win->stride_h < 1 || win->stride_w < 1) return "rank";
  pitch = h > 1 ? x->strides[2] : w * c;
  if (pitch % c != 0 || pitch / c > TGRS_CMSIS_MAX_DIM) return "band row pitch";
  /* every output row has an input row under its window (none lies wholly in the bottom pad) */
  if ((ho - 1) * win->stride_h - win->pad_top >= h) return "pads";
  b->pitch = pitch / c;
  /* rows adjacent (only the output is banded): the declared row is the input's own */
  b->vendor_cols = wo;
  if (b->pitch != w) {
    /* the columns whose taps all lie inside the band: (j - 1) * stride_w <= w - ekw + pad_left */
    b->vendor_cols = w + win->pad_left < ekw ? 0 : (w + win->pad_left - ekw) / win->stride_w + 1;
    if (b->vendor_cols > wo) b->vendor_cols = wo;
    if (b->vendor_cols < 1) return "band narrower than the kernel";
  }
  /* the rest: output column j0 reads from input column j0 * stride_w - pad_left, or the pad */
  first_edge_tap = b->vendor_cols * win->stride_w - win->pad_left;
  b->edge_x0 = first_edge_tap > 0 ? first_edge_tap : 0;
  b->edge_pad_left = b->edge_x0 - first_edge_tap;
  return NULL;
}

int tgrs_cmsis_pointwise(const tgrs_conv_s8_params_t* p, int32_t kh, int32_t kw) {
  return p->group == 1 && kh == 1 && kw == 1 && p->pad_top == 0 && p->pad_left == 0 && p->pad_bottom == 0 &&
         p->pad_right == 0 && p->dilation_h == 1 && p->dilation_w == 1;
}

static int same_layout(const tgrs_tensor_t* a, const tgrs_tensor_t* b) {
  int32_t d;
  if (a->rank != b->rank) return 0;
  for (d = 0; d < a->rank; ++d)
    if (a->dims[d] != b->dims[d] || (a->dims[d] > 1 && a->strides[d] != b->strides[d])) return 0;
  return 1;
}

int64_t tgrs_cmsis_count(const tgrs_tensor_t* t) {
  int64_t n = 1;
  int32_t d;
  for (d = 0; d < t->rank; ++d) n *= t->dims[d];
  return n;
}

/* RQ i32 [C, 2] planar (all multipliers, then all shifts) for C channels, and bias i32 [C]. */
static int planar_rq(const tgrs_tensor_t* rq, int32_t c) {
  int32_t want[2];
  want[0] = 1;
  want[1] = c;
  return rq->dtype == TGRS_DTYPE_I32 && rq->rank == 2 && rq->dims[0] == c && rq->dims[1] == 2 && strides_are(rq, want);
}

static int dense_vector(const tgrs_tensor_t* b, int32_t c) {
  int32_t want[1];
  want[0] = 1;
  return b->dtype == TGRS_DTYPE_I32 && b->rank == 1 && b->dims[0] == c && strides_are(b, want);
}

/* ---- Per op ---------------------------------------------------------------------------------- */

static const char* conv_rejects(const tgrs_kernel_call_t* call, int32_t isa, int views) {
  const tgrs_conv_s8_params_t* p = (const tgrs_conv_s8_params_t*)call->params;
  const tgrs_tensor_t* x = &call->inputs[0];
  const tgrs_tensor_t* w = &call->inputs[1];
  const tgrs_tensor_t* y = &call->outputs[0];
  tgrs_cmsis_nhwc_t xs, ys;
  int32_t cin, m, kh, kw;
  (void)isa;
  if (x->rank != 4 && x->rank != 3) return "rank";
  if (!present(call, 2)) return "no bias";
  if (present(call, 4)) return "weight zero point";
  if (p->pad_top > TGRS_CMSIS_MAX_DIM || p->pad_left > TGRS_CMSIS_MAX_DIM) return "pads";
  cin = x->dims[1];
  m = y->dims[1];
  kh = x->rank == 4 ? w->dims[2] : 1;
  kw = x->rank == 4 ? w->dims[3] : w->dims[2];
  if (cin > TGRS_CMSIS_MAX_DIM || m > TGRS_CMSIS_MAX_DIM || kh > TGRS_CMSIS_MAX_DIM || kw > TGRS_CMSIS_MAX_DIM) return "size";
  if (x->dims[x->rank - 1] > TGRS_CMSIS_MAX_DIM || y->dims[y->rank - 1] > TGRS_CMSIS_MAX_DIM ||
      (x->rank == 4 && (x->dims[2] > TGRS_CMSIS_MAX_DIM || y->dims[2] > TGRS_CMSIS_MAX_DIM)))
    return "size";
  if (p->group != 1 && !(p->group == cin && m % cin == 0)) {
    /* grouped (not depthwise): arm_convolve_s8 takes groups of CK = cin / group channels */
    if (cin % p->group != 0 || m % p->group != 0) return "groups";
  }
  if (!views) return NULL;
  if (!tgrs_cmsis_nhwc(x, &xs) || !tgrs_cmsis_nhwc(y, &ys)) {
    /* A column band (rows strides[2] apart): run() goes row by row, the 1x1 kernel for a
     * pointwise conv, otherwise tgrs_cmsis_band() */
    if (!(tgrs_cmsis_nhwc_rows(x) && tgrs_cmsis_nhwc_rows(y))) return "not channels-last";
    if (!tgrs_cmsis_pointwise(p, kh, kw)) {
      const tgrs_cmsis_window_t win = TGRS_CMSIS_WINDOW(p);
      tgrs_cmsis_band_t b;
      const char* why = tgrs_cmsis_band(&win, x, y, &b);
      if (why != NULL) return why;
    }
  }
  if (!planar_rq(&call->inputs[3], m)) return "requant table not planar per channel";
  if (!dense_vector(&call->inputs[2], m)) return "bias not dense";
  if (p->group == cin && cin > 1) {
    /* depthwise: W [M, 1, KH, KW] stored [KH][KW][M] */
    int32_t want[4];
    want[0] = 1;
    want[1] = 0;
    if (x->rank == 4) {
      want[2] = kw * m;
      want[3] = m;
    } else {
      want[2] = m;
    }
    if (w->dims[1] != 1 || !strides_are(w, want)) return "depthwise weights not [KH][KW][M]";
  } else {
    /* regular / grouped: OHWI of [M, CK, KH, KW] */
    const int32_t ck = w->dims[1];
    int32_t want[4];
    if (x->rank == 4) {
      want[0] = kh * kw * ck;
      want[1] = 1;
      want[2] = kw * ck;
      want[3] = ck;
    } else {
      want[0] = kw * ck;
      want[1] = 1;
      want[2] = ck;
    }
    if (!strides_are(w, want)) return "weights not OHWI";
  }
  return NULL;
}

static const char* fc_rejects(uint32_t kind, const tgrs_kernel_call_t* call, int views) {
  const tgrs_tensor_t* a = &call->inputs[0];
  const tgrs_tensor_t* b = &call->inputs[1];
  const tgrs_tensor_t* y = &call->outputs[0];
  int32_t n, k, d;
  if (present(call, 4)) return "weight zero point";
  if (kind == (uint32_t)TGRS_OP_Gemm) {
    const tgrs_gemm_s8_params_t* p = (const tgrs_gemm_s8_params_t*)call->params;
    if (p->trans_a) return "transposed A";
    if (a->rank != 2 || b->rank != 2) return "rank";
    k = a->dims[1];
    n = y->dims[1];
    if (p->trans_b ? (b->dims[0] != n || b->dims[1] != k) : (b->dims[0] != k || b->dims[1] != n)) return "shapes";
    if (views) {
      int32_t want[2];
      want[0] = p->trans_b ? k : 1;
      want[1] = p->trans_b ? 1 : k;
      if (!strides_are(b, want)) return "weights not [N][K]";
    }
  } else {
    /* MatMul as FC: A [.., M, K] with unit batch dims, B 2-D [K, N] stored [N][K] */
    if (a->rank < 2 || b->rank != 2 || y->rank != a->rank) return "rank";
    for (d = 0; d + 2 < a->rank; ++d)
      if (a->dims[d] != 1) return "batched";
    k = a->dims[a->rank - 1];
    n = y->dims[y->rank - 1];
    if (b->dims[0] != k || b->dims[1] != n) return "shapes";
    if (views) {
      int32_t want[2];
      want[0] = 1;
      want[1] = k;
      if (!strides_are(b, want)) return "weights not [N][K]";
    }
  }
  if (!views) return NULL;
  {
    /* A rows [M][K] and Y rows [M][N], dense */
    int32_t wa[TGRS_MAX_RANK], wy[TGRS_MAX_RANK];
    for (d = 0; d < a->rank; ++d) wa[d] = 0;
    for (d = 0; d < y->rank; ++d) wy[d] = 0;
    wa[a->rank - 1] = 1;
    wa[a->rank - 2] = k;
    wy[y->rank - 1] = 1;
    wy[y->rank - 2] = n;
    if (!strides_are(a, wa) || !strides_are(y, wy)) return "rows not dense";
  }
  if (present(call, 2) && !dense_vector(&call->inputs[2], n)) return "bias not dense";
  {
    const tgrs_tensor_t* rq = &call->inputs[3];
    if (!(rq->dims[0] == 1 || planar_rq(rq, n))) return "requant table not planar per channel";
  }
  return NULL;
}

static const char* eltwise_rejects(const tgrs_kernel_call_t* call, int views) {
  const tgrs_tensor_t* a = &call->inputs[0];
  const tgrs_tensor_t* b = &call->inputs[1];
  const tgrs_tensor_t* y = &call->outputs[0];
  int32_t d;
  if (a->rank != y->rank || b->rank != y->rank) return "broadcast";
  for (d = 0; d < y->rank; ++d)
    if (a->dims[d] != y->dims[d] || b->dims[d] != y->dims[d]) return "broadcast";
  if (!views) return NULL;
  /* one block, or a column band: rows that are NHWC blocks (run() goes row by row) */
  if ((!same_layout(a, y) || !same_layout(b, y) || !tgrs_tensor_is_block(y)) &&
      !(tgrs_cmsis_nhwc_rows(a) && tgrs_cmsis_nhwc_rows(b) && tgrs_cmsis_nhwc_rows(y)))
    return "views not one block";
  return NULL;
}

static const char* pool_rejects(uint32_t kind, const tgrs_kernel_call_t* call, int views) {
  const tgrs_pool_s8_params_t* p = (const tgrs_pool_s8_params_t*)call->params;
  const tgrs_tensor_t* x = &call->inputs[0];
  const tgrs_tensor_t* y = &call->outputs[0];
  tgrs_cmsis_nhwc_t xs, ys;
  if (x->rank != 4 && x->rank != 3) return "rank";
  if (p->dilation_h != 1 || p->dilation_w != 1) return "dilation";
  if (kind == (uint32_t)TGRS_OP_AveragePool && p->count_include_pad) return "count_include_pad";
  if (x->dims[1] > TGRS_CMSIS_MAX_DIM) return "size";
  /* every window has an in-bounds tap (a window wholly in the padding is the reference's case) */
  if (p->pad_top >= p->kernel_h || p->pad_left >= p->kernel_w) return "pads";
  {
    const int32_t h = x->rank == 4 ? x->dims[2] : 1, w = x->dims[x->rank - 1];
    const int32_t ho = y->rank == 4 ? y->dims[2] : 1, wo = y->dims[y->rank - 1];
    if ((ho - 1) * p->stride_h - p->pad_top >= h || (wo - 1) * p->stride_w - p->pad_left >= w) return "pads";
  }
  if (!views) return NULL;
  if (!tgrs_cmsis_nhwc(x, &xs) || !tgrs_cmsis_nhwc(y, &ys)) {
    /* a column band: run() goes row by row (tgrs_cmsis_band) */
    const tgrs_cmsis_window_t win = TGRS_CMSIS_WINDOW(p);
    tgrs_cmsis_band_t b;
    if (!(tgrs_cmsis_nhwc_rows(x) && tgrs_cmsis_nhwc_rows(y))) return "not channels-last";
    return tgrs_cmsis_band(&win, x, y, &b);
  }
  return NULL;
}

static const char* softmax_rejects(const tgrs_kernel_call_t* call, int views) {
  const tgrs_softmax_s8_params_t* p = (const tgrs_softmax_s8_params_t*)call->params;
  const tgrs_tensor_t* x = &call->inputs[0];
  const tgrs_tensor_t* y = &call->outputs[0];
  int32_t d;
  int64_t expect;
  /* Lines of at most 2047 elements: their sum of exps stays below 2048, where TFLite's final
   * shift (and so the vendor's) is defined and the reference's result is the same. */
  if (x->dims[p->axis] > 2047) return "line longer than 2047";
  if (!views) return NULL;
  if (!same_layout(x, y) || !tgrs_tensor_is_block(x)) return "views not one block";
  /* the axis is the innermost: stride 1, every other dim a multiple of the line */
  if (x->dims[p->axis] > 1 && x->strides[p->axis] != 1) return "axis not innermost";
  expect = x->dims[p->axis];
  for (d = 0; d < x->rank; ++d)
    if (d != p->axis && x->dims[d] > 1 && x->strides[d] % expect != 0) return "axis not innermost";
  return NULL;
}

const char* tgrs_cmsis_rejects(uint32_t kind, const tgrs_kernel_call_t* call, int32_t isa, int views) {
  if (call->n_outputs < 1 || call->outputs[0].dtype != TGRS_DTYPE_I8 || call->n_inputs < 1 ||
      call->inputs[0].dtype != TGRS_DTYPE_I8)
    return "not int8";
  switch (kind) {
    case TGRS_OP_Conv:
      return conv_rejects(call, isa, views);
    case TGRS_OP_Gemm:
    case TGRS_OP_MatMul:
      return fc_rejects(kind, call, views);
    case TGRS_OP_Add:
    case TGRS_OP_Mul:
      return eltwise_rejects(call, views);
    case TGRS_OP_MaxPool:
    case TGRS_OP_AveragePool:
      return pool_rejects(kind, call, views);
    case TGRS_OP_Softmax:
      return softmax_rejects(call, views);
    default:
      return "no CMSIS-NN kernel";
  }
}

/* ---- Scratch ----------------------------------------------------------------------------------- */

static int32_t max32(int32_t a, int32_t b) { return a > b ? a : b; }

uint32_t tgrs_cmsis_scratch(uint32_t kind, const tgrs_kernel_call_t* call, int32_t isa) {
  const tgrs_tensor_t* x = &call->inputs[0];
  int32_t need = 0;
  if (tgrs_cmsis_rejects(kind, call, isa, 0) != NULL) return 0;
  if (kind == (uint32_t)TGRS_OP_Conv) {
    const tgrs_conv_s8_params_t* p = (const tgrs_conv_s8_params_t*)call->params;
    const tgrs_tensor_t* w = &call->inputs[1];
    const int32_t cin = x->dims[1], m = call->outputs[0].dims[1];
    cmsis_nn_dims in, f;
    in.n = 1;
    in.h = 1;
    in.w = 1;
    in.c = cin;
    f.n = m;
    f.h = x->rank == 4 ? w->dims[2] : 1;
    f.w = x->rank == 4 ? w->dims[3] : w->dims[2];
    f.c = w->dims[1];
    if (p->group == cin && cin > 1) {
      /* depthwise: the opt path's buffer (the 3x3 path needs none); independent of rows and pads */
      if (m == cin && p->dilation_h == 1 && p->dilation_w == 1)
        need = isa == TGRS_ISA_ARM_MVE   ? arm_depthwise_conv_s8_opt_get_buffer_size_mve(&in, &f)
               : isa == TGRS_ISA_ARM_DSP ? arm_depthwise_conv_s8_opt_get_buffer_size_dsp(&in, &f)
                                         : arm_depthwise_conv_s8_opt_get_buffer_size(&in, &f);
    } else {
      /* arm_convolve_s8 (grouped: its CK input channels), and for a 1x1 kernel also the 1x1 fast
       * path a strip without pads takes: the larger, so every strip of the op fits */
      in.c = p->group == 1 ? cin : w->dims[1];
      need = isa == TGRS_ISA_ARM_MVE ? arm_convolve_s8_get_buffer_size_mve(&in, &f) : arm_convolve_s8_get_buffer_size(&in, &f);
      if (f.h == 1 && f.w == 1 && p->group == 1) {
        cmsis_nn_conv_params cp;
        cmsis_nn_dims out;
        memset(&cp, 0, sizeof cp);
        cp.stride.w = cp.stride.h = 1;
        cp.dilation.w = cp.dilation.h = 1;
        out = in;
        out.c = m;
        need = max32(need, isa == TGRS_ISA_ARM_MVE
                               ? arm_convolve_wrapper_s8_get_buffer_size_mve(&cp, &in, &f, &out)
                               : arm_convolve_wrapper_s8_get_buffer_size_dsp(&cp, &in, &f, &out));
      }
    }
  } else if (kind == (uint32_t)TGRS_OP_Gemm || kind == (uint32_t)TGRS_OP_MatMul) {
    cmsis_nn_dims f;
    f.n = x->dims[x->rank - 1];
    f.h = f.w = 1;
    f.c = call->outputs[0].dims[call->outputs[0].rank - 1];
    need = isa == TGRS_ISA_ARM_MVE ? arm_fully_connected_s8_get_buffer_size_mve(&f)
                                   : isa == TGRS_ISA_ARM_DSP ? arm_fully_connected_s8_get_buffer_size_dsp(&f)
                                                             : arm_fully_connected_s8_get_buffer_size(&f);
  } else if (kind == (uint32_t)TGRS_OP_AveragePool) {
    const int32_t wo = call->outputs[0].dims[call->outputs[0].rank - 1];
    need = isa == TGRS_ISA_ARM_MVE ? arm_avgpool_s8_get_buffer_size_mve(wo, x->dims[1])
                                   : isa == TGRS_ISA_ARM_DSP ? arm_avgpool_s8_get_buffer_size_dsp(wo, x->dims[1])
                                                             : arm_avgpool_s8_get_buffer_size(wo, x->dims[1]);
  }
  return need > 0 ? (uint32_t)need : 0u;
}

/* ---- The host descriptor ---------------------------------------------------------------------- */

static const char* vendor_rejects(uint32_t kind, uint32_t dtype, const tgrs_kernel_call_t* call, int32_t isa, int views) {
  if (dtype != (uint32_t)TGRS_DTYPE_I8) return "not int8";
  return tgrs_cmsis_rejects(kind, call, isa, views);
}

static uint32_t vendor_scratch(uint32_t kind, uint32_t dtype, const tgrs_kernel_call_t* call, int32_t isa) {
  return dtype == (uint32_t)TGRS_DTYPE_I8 ? tgrs_cmsis_scratch(kind, call, isa) : 0u;
}

const tgrs_vendor_backend_t tgrs_vendor_cmsis_nn = {
    "cmsis-nn",
    &tgrs_backend_cmsis_nn,
    (1u << TGRS_ISA_PORTABLE) | (1u << TGRS_ISA_ARM_DSP) | (1u << TGRS_ISA_ARM_MVE),
    "tigris/kernels/backend_cmsis_nn.h",
    "TGRS_CMSIS_KERNEL_S8",
    vendor_rejects,
    vendor_scratch,
};
