/* Reference f32 activations, unary ops and broadcasting binary ops (Add/Sub/Mul/Div).
 * Single-precision math only (expf, tanhf) so results match on Cortex-M4F and the host;
 * each output element depends only on its own inputs. */
#include <math.h>

#include "tigris/kernels/ref_f32.h"

static float sigmoid_f32(float x) { return 1.0f / (1.0f + expf(-x)); }

static float clamp01_f32(float v) {
  if (v < 0.0f) return 0.0f;
  if (v > 1.0f) return 1.0f;
  return v;
}

float tgrs_act_f32(float x, const tgrs_act_t* act) {
  if (act == NULL) return x;
  switch (act->kind) {
    case TGRS_ACT_RELU:
      return x < 0.0f ? 0.0f : x;
    case TGRS_ACT_CLIP:
      if (x < act->a) x = act->a;
      if (x > act->b) x = act->b;
      return x;
    case TGRS_ACT_LEAKY_RELU:
      return x < 0.0f ? x * act->a : x;
    case TGRS_ACT_SIGMOID:
      return sigmoid_f32(x);
    case TGRS_ACT_HARD_SIGMOID:
      return clamp01_f32(act->a * x + act->b);
    case TGRS_ACT_HARD_SWISH:
      return x * clamp01_f32(x * (1.0f / 6.0f) + 0.5f);
    case TGRS_ACT_TANH:
      return tanhf(x);
    case TGRS_ACT_SILU:
      return x * sigmoid_f32(x);
    default:
      return x;
  }
}

void tgrs_unary_f32(int32_t op, const float* x, float* y, int32_t count, const tgrs_unary_params_t* p) {
  tgrs_act_t act;
  int32_t i;
  act.a = p != NULL ? p->a : 0.0f;
  act.b = p != NULL ? p->b : 0.0f;
  switch (op) {
    case TGRS_UNARY_RELU: act.kind = TGRS_ACT_RELU; break;
    case TGRS_UNARY_CLIP: act.kind = TGRS_ACT_CLIP; break;
    case TGRS_UNARY_LEAKY_RELU: act.kind = TGRS_ACT_LEAKY_RELU; break;
    case TGRS_UNARY_SIGMOID: act.kind = TGRS_ACT_SIGMOID; break;
    case TGRS_UNARY_HARD_SIGMOID: act.kind = TGRS_ACT_HARD_SIGMOID; break;
    case TGRS_UNARY_HARD_SWISH: act.kind = TGRS_ACT_HARD_SWISH; break;
    case TGRS_UNARY_TANH: act.kind = TGRS_ACT_TANH; break;
    case TGRS_UNARY_EXP:
      for (i = 0; i < count; ++i) y[i] = expf(x[i]);
      return;
    default: act.kind = TGRS_ACT_NONE; break;
  }
  for (i = 0; i < count; ++i) y[i] = tgrs_act_f32(x[i], &act);
}

static float binary_op_f32(int32_t op, float a, float b) {
  switch (op) {
    case TGRS_BINARY_ADD: return a + b;
    case TGRS_BINARY_SUB: return a - b;
    case TGRS_BINARY_MUL: return a * b;
    default: return a / b;
  }
}

/* Strides of an operand aligned right to the output's rank; 0 on broadcast dims. */
static void broadcast_strides(int32_t rank, const int32_t* dims, int32_t y_rank, const int32_t* y_dims,
                              int32_t* strides) {
  int32_t d, stride = 1;
  for (d = y_rank - 1; d >= 0; --d) {
    int32_t src = d - (y_rank - rank);
    if (src < 0) {
      strides[d] = 0;
    } else {
      strides[d] = (dims[src] == 1 && y_dims[d] != 1) ? 0 : stride;
      stride *= dims[src];
    }
  }
}

void tgrs_binary_f32(int32_t op, const float* a, int32_t a_rank, const int32_t* a_dims, const float* b,
                     int32_t b_rank, const int32_t* b_dims, float* y, int32_t y_rank, const int32_t* y_dims,
                     const tgrs_act_t* act) {
  int32_t sa[TGRS_MAX_RANK], sb[TGRS_MAX_RANK], idx[TGRS_MAX_RANK];
  int32_t d, total = 1, inner, outer_i, n_outer, i;
  for (d = 0; d < y_rank; ++d) total *= y_dims[d];
  if (y_rank == 0) {
    y[0] = tgrs_act_f32(binary_op_f32(op, a[0], b[0]), act);
    return;
  }
  broadcast_strides(a_rank, a_dims, y_rank, y_dims, sa);
  broadcast_strides(b_rank, b_dims, y_rank, y_dims, sb);
  inner = y_dims[y_rank - 1];
  n_outer = total / inner;
  for (d = 0; d < y_rank; ++d) idx[d] = 0;
  for (outer_i = 0; outer_i < n_outer; ++outer_i) {
    int32_t off_a = 0, off_b = 0;
    int32_t ia = sa[y_rank - 1], ib = sb[y_rank - 1];
    float* yo = y + (ptrdiff_t)outer_i * inner;
    for (d = 0; d < y_rank - 1; ++d) {
      off_a += idx[d] * sa[d];
      off_b += idx[d] * sb[d];
    }
    for (i = 0; i < inner; ++i) {
      yo[i] = tgrs_act_f32(binary_op_f32(op, a[off_a + i * ia], b[off_b + i * ib]), act);
    }
    /* advance the odometer over all but the last dim */
    for (d = y_rank - 2; d >= 0; --d) {
      if (++idx[d] < y_dims[d]) break;
      idx[d] = 0;
    }
  }
}
