/* Reference f32 activations, unary ops (the activations, Exp, Neg) and broadcasting binary ops
 * (Add/Sub/Mul/Div). Single-precision math only (expf, tanhf) so results match on Cortex-M4F
 * and the host; each output element depends only on its own inputs. */
#include <math.h>

#include "tigris/kernels/ref_f32.h"
#include "ref_internal.h"

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

/* The unary ops that are not activations. */
static float plain_unary_f32(int32_t op, float x) {
  switch (op) {
    case TGRS_UNARY_NEG: return -x;
    default: return expf(x);
  }
}

void tgrs_unary_f32(int32_t op, const tgrs_tensor_t* xt, const tgrs_tensor_t* yt, const tgrs_unary_params_t* p) {
  const float* x = (const float*)xt->data;
  float* y = (float*)yt->data;
  tgrs_act_t act;
  tgrs_loop_t l;
  int32_t i;
  int plain_op = 0;
  if (op >= TGRS_UNARY_SQRT) { /* the math unary ops live in math_f32.c */
    tgrs_unary_math_f32(op, xt, yt, p);
    return;
  }
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
    case TGRS_UNARY_NEG:
      act.kind = TGRS_ACT_NONE;
      plain_op = 1;
      break;
    default: act.kind = TGRS_ACT_NONE; break;
  }
  /* the loop merges a dense pair into one flat row */
  tgrs_loop_init(&l, xt->rank, xt->dims, xt->strides, yt->strides, NULL);
  do {
    const float* xr = x + l.off[0];
    float* yr = y + l.off[1];
    const ptrdiff_t sx = l.step[0], sy = l.step[1];
    if (plain_op) {
      for (i = 0; i < l.inner; ++i) yr[i * sy] = plain_unary_f32(op, xr[i * sx]);
    } else if (sx == 1 && sy == 1) {
      for (i = 0; i < l.inner; ++i) yr[i] = tgrs_act_f32(xr[i], &act);
    } else {
      for (i = 0; i < l.inner; ++i) yr[i * sy] = tgrs_act_f32(xr[i * sx], &act);
    }
  } while (tgrs_loop_next(&l));
}

static float binary_op_f32(int32_t op, float a, float b) {
  switch (op) {
    case TGRS_BINARY_ADD: return a + b;
    case TGRS_BINARY_SUB: return a - b;
    case TGRS_BINARY_MUL: return a * b;
    default: return a / b;
  }
}

/* Strides of an operand aligned right to the output's rank; 0 on broadcast and missing dims. */
static void broadcast_strides(const tgrs_tensor_t* t, const tgrs_tensor_t* y, int32_t* strides) {
  int32_t d;
  for (d = 0; d < y->rank; ++d) {
    const int32_t src = d - (y->rank - t->rank);
    strides[d] = (src < 0 || t->dims[src] == 1) ? 0 : t->strides[src];
  }
}

void tgrs_binary_f32(int32_t op, const tgrs_tensor_t* at, const tgrs_tensor_t* bt, const tgrs_tensor_t* yt,
                     const tgrs_act_t* act) {
  const float* a = (const float*)at->data;
  const float* b = (const float*)bt->data;
  float* y = (float*)yt->data;
  int32_t sa[TGRS_MAX_RANK], sb[TGRS_MAX_RANK];
  tgrs_loop_t l;
  int32_t i;
  broadcast_strides(at, yt, sa);
  broadcast_strides(bt, yt, sb);
  tgrs_loop_init(&l, yt->rank, yt->dims, sa, sb, yt->strides);
  do {
    const float* ar = a + l.off[0];
    const float* br = b + l.off[1];
    float* yr = y + l.off[2];
    const ptrdiff_t ia = l.step[0], ib = l.step[1], iy = l.step[2];
    if (ia == 1 && ib == 1 && iy == 1) { /* dense, same shapes */
      for (i = 0; i < l.inner; ++i) yr[i] = tgrs_act_f32(binary_op_f32(op, ar[i], br[i]), act);
    } else {
      for (i = 0; i < l.inner; ++i) yr[i * iy] = tgrs_act_f32(binary_op_f32(op, ar[i * ia], br[i * ib]), act);
    }
  } while (tgrs_loop_next(&l));
}
