/* LSTM, GRU and RNN (ONNX semantics: forward, reverse, bidirectional; layouts 0 and 1; peepholes,
 * input_forget, linear_before_reset, clip, every ONNX activation) over strided views. Each
 * direction and batch row runs on its own, so the state of one row is H floats of scratch and the
 * order of every sum is fixed: see tgrs_rnn_f32 in ref_f32.h. */
#include <math.h>
#include <stddef.h>

#include "tigris/kernels/ref_f32.h"

int64_t tgrs_rnn_scratch_floats(int64_t gates, int64_t hidden) { return (gates + 2) * hidden; }

static float rnn_act(const tgrs_rnn_act_t* a, float x) {
  switch (a->kind) {
    case TGRS_RNN_ACT_SIGMOID:
      return 1.0f / (1.0f + expf(-x));
    case TGRS_RNN_ACT_TANH:
      return tanhf(x);
    case TGRS_RNN_ACT_RELU:
      return x > 0.0f ? x : 0.0f;
    case TGRS_RNN_ACT_HARD_SIGMOID: {
      const float v = a->alpha * x + a->beta;
      return v < 0.0f ? 0.0f : (v > 1.0f ? 1.0f : v);
    }
    case TGRS_RNN_ACT_LEAKY_RELU:
      return x >= 0.0f ? x : a->alpha * x;
    case TGRS_RNN_ACT_THRESHOLDED_RELU:
      return x > a->alpha ? x : 0.0f;
    case TGRS_RNN_ACT_AFFINE:
      return a->alpha * x + a->beta;
    case TGRS_RNN_ACT_SCALED_TANH:
      return a->alpha * tanhf(a->beta * x);
    case TGRS_RNN_ACT_ELU:
      return x >= 0.0f ? x : a->alpha * (expf(x) - 1.0f);
    case TGRS_RNN_ACT_SOFTSIGN:
      return x / (1.0f + fabsf(x));
    case TGRS_RNN_ACT_SOFTPLUS: /* log(1 + e^x) without overflow for large x */
      return x > 0.0f ? x + log1pf(expf(-x)) : log1pf(expf(x));
    default:
      return x;
  }
}

static float rnn_clip(float x, float c) { return x > c ? c : (x < -c ? -c : x); }

/* sum_k a[k * sa] * b[k * sb], k = 0..n-1, from 0. */
static float rnn_dot(const float* a, ptrdiff_t sa, const float* b, ptrdiff_t sb, int32_t n) {
  float acc = 0.0f;
  int32_t k;
  for (k = 0; k < n; ++k) acc += a[k * sa] * b[k * sb];
  return acc;
}

/* Strides of a state view (initial_h/c, Y_h, Y_c): [D, B, H], or [B, D, H] with layout 1. */
typedef struct {
  const float* data;
  ptrdiff_t sd, sb, sh;
} rnn_state_t;

static rnn_state_t rnn_state_of(const tgrs_tensor_t* t, int32_t layout) {
  rnn_state_t s = {NULL, 0, 0, 0};
  if (t == NULL) return s;
  s.data = (const float*)t->data;
  s.sd = t->strides[layout ? 1 : 0];
  s.sb = t->strides[layout ? 0 : 1];
  s.sh = t->strides[2];
  return s;
}

/* Everything one (direction, batch row) pass reads, resolved to pointers and element strides. */
typedef struct {
  int32_t cell, gates, hidden, input;
  const tgrs_rnn_params_t* prm;
  const tgrs_rnn_act_t* act; /* this direction's functions f, g, h */
  const float* x;            /* X[., b, .] */
  ptrdiff_t xt, xi;
  const float *w, *r; /* W[d], R[d] */
  ptrdiff_t wj, wk, rj, rk;
  const float* bias; /* B[d] or NULL */
  ptrdiff_t bj;
  const float* peep; /* P[d] or NULL */
  ptrdiff_t pj;
  float *h, *c, *g; /* scratch: state h, state c (GRU: r (.) h), gate pre-activations */
} rnn_pass_t;

/* W[d][j] x + R[d][j] h: the recurrent projection of gate row j. */
static float rnn_proj(const rnn_pass_t* s, const float* x, int32_t j) {
  const float ax = rnn_dot(x, s->xi, s->w + j * s->wj, s->wk, s->input);
  const float ah = rnn_dot(s->h, 1, s->r + j * s->rj, s->rk, s->hidden);
  return ax + ah;
}

/* Wb[j] + Rb[j] (0 without B). */
static float rnn_bias(const rnn_pass_t* s, int32_t j) {
  if (s->bias == NULL) return 0.0f;
  return s->bias[j * s->bj] + s->bias[(s->gates * s->hidden + j) * s->bj];
}

static void rnn_step_rnn(const rnn_pass_t* s, const float* x) {
  const int32_t hn = s->hidden;
  const float clip = s->prm->clip;
  int32_t j;
  for (j = 0; j < hn; ++j) s->g[j] = rnn_proj(s, x, j);
  for (j = 0; j < hn; ++j) s->h[j] = rnn_act(&s->act[0], rnn_clip(s->g[j] + rnn_bias(s, j), clip));
}

/* Gate rows i [0, H), o [H, 2H), f [2H, 3H), c [3H, 4H); P rows i, o, f. */
static void rnn_step_lstm(const rnn_pass_t* s, const float* x) {
  const int32_t hn = s->hidden;
  const float clip = s->prm->clip;
  int32_t j;
  for (j = 0; j < 4 * hn; ++j) s->g[j] = rnn_proj(s, x, j);
  for (j = 0; j < hn; ++j) {
    const float c_prev = s->c[j];
    float pi = s->g[j], po = s->g[hn + j], pf = s->g[2 * hn + j];
    float gi, gf, gc, go, c_new;
    if (s->peep != NULL) {
      pi += s->peep[j * s->pj] * c_prev;
      pf += s->peep[(2 * hn + j) * s->pj] * c_prev;
    }
    gi = rnn_act(&s->act[0], rnn_clip(pi + rnn_bias(s, j), clip));
    gf = s->prm->input_forget ? 1.0f - gi : rnn_act(&s->act[0], rnn_clip(pf + rnn_bias(s, 2 * hn + j), clip));
    gc = rnn_act(&s->act[1], rnn_clip(s->g[3 * hn + j] + rnn_bias(s, 3 * hn + j), clip));
    c_new = gf * c_prev + gi * gc;
    if (s->peep != NULL) po += s->peep[(hn + j) * s->pj] * c_new;
    go = rnn_act(&s->act[0], rnn_clip(po + rnn_bias(s, hn + j), clip));
    s->c[j] = c_new;
    s->h[j] = go * rnn_act(&s->act[2], c_new);
  }
}

/* Gate rows z [0, H), r [H, 2H), h [2H, 3H). s->c (no cell state in a GRU) holds r (.) h, or
 * with linear_before_reset r (.) (h Rh + Rbh). */
static void rnn_step_gru(const rnn_pass_t* s, const float* x) {
  const int32_t hn = s->hidden;
  const float clip = s->prm->clip;
  float* rh = s->c;
  int32_t j;
  for (j = 0; j < 2 * hn; ++j) s->g[j] = rnn_proj(s, x, j);
  for (j = 2 * hn; j < 3 * hn; ++j) s->g[j] = rnn_dot(x, s->xi, s->w + j * s->wj, s->wk, s->input);
  for (j = 0; j < hn; ++j) {
    s->g[j] = rnn_act(&s->act[0], rnn_clip(s->g[j] + rnn_bias(s, j), clip));                /* z */
    s->g[hn + j] = rnn_act(&s->act[0], rnn_clip(s->g[hn + j] + rnn_bias(s, hn + j), clip)); /* r */
  }
  if (s->prm->linear_before_reset) {
    for (j = 0; j < hn; ++j) {
      const int32_t row = 2 * hn + j;
      float rec = rnn_dot(s->h, 1, s->r + row * s->rj, s->rk, hn);
      if (s->bias != NULL) rec += s->bias[(3 * hn + row) * s->bj];
      rh[j] = s->g[hn + j] * rec;
    }
    for (j = 0; j < hn; ++j) {
      float pre = s->g[2 * hn + j] + rh[j];
      float hh;
      if (s->bias != NULL) pre += s->bias[(2 * hn + j) * s->bj];
      hh = rnn_act(&s->act[1], rnn_clip(pre, clip));
      s->h[j] = (1.0f - s->g[j]) * hh + s->g[j] * s->h[j];
    }
  } else {
    for (j = 0; j < hn; ++j) rh[j] = s->g[hn + j] * s->h[j];
    for (j = 0; j < hn; ++j) {
      const int32_t row = 2 * hn + j;
      const float pre = s->g[row] + rnn_dot(rh, 1, s->r + row * s->rj, s->rk, hn) + rnn_bias(s, row);
      const float hh = rnn_act(&s->act[1], rnn_clip(pre, clip));
      /* h[j] is read here for the last time: every projection of this step is done */
      s->h[j] = (1.0f - s->g[j]) * hh + s->g[j] * s->h[j];
    }
  }
}

void tgrs_rnn_f32(int32_t cell, const tgrs_tensor_t* x, const tgrs_tensor_t* w, const tgrs_tensor_t* r,
                  const tgrs_tensor_t* b, const tgrs_tensor_t* seq_lens, const tgrs_tensor_t* h0,
                  const tgrs_tensor_t* c0, const tgrs_tensor_t* p, const tgrs_tensor_t* y,
                  const tgrs_tensor_t* y_h, const tgrs_tensor_t* y_c, const tgrs_rnn_params_t* prm,
                  float* scratch) {
  const int32_t layout = prm->layout;
  const int32_t steps = x->dims[layout ? 1 : 0], batch = x->dims[layout ? 0 : 1];
  const int32_t hn = prm->hidden_size;
  const int32_t dirs = prm->direction == TGRS_RNN_BIDIRECTIONAL ? 2 : 1;
  const int32_t is_lstm = cell == TGRS_RNN_CELL_LSTM;
  const rnn_state_t s_h0 = rnn_state_of(h0, layout), s_c0 = rnn_state_of(is_lstm ? c0 : NULL, layout);
  const rnn_state_t s_yh = rnn_state_of(y_h, layout), s_yc = rnn_state_of(is_lstm ? y_c : NULL, layout);
  const ptrdiff_t xt = x->strides[layout ? 1 : 0], xb = x->strides[layout ? 0 : 1];
  ptrdiff_t yt = 0, yd = 0, yb = 0, yj = 0;
  rnn_pass_t s;
  int32_t d, bi, t, j;
  if (y != NULL) {
    yt = y->strides[layout ? 1 : 0];
    yd = y->strides[layout ? 2 : 1];
    yb = y->strides[layout ? 0 : 2];
    yj = y->strides[3];
  }
  s.cell = cell;
  s.gates = cell == TGRS_RNN_CELL_LSTM ? 4 : (cell == TGRS_RNN_CELL_GRU ? 3 : 1);
  s.hidden = hn;
  s.input = x->dims[2];
  s.prm = prm;
  s.xt = xt;
  s.xi = x->strides[2];
  s.wj = w->strides[1];
  s.wk = w->strides[2];
  s.rj = r->strides[1];
  s.rk = r->strides[2];
  s.bj = b != NULL ? b->strides[1] : 0;
  s.pj = (is_lstm && p != NULL) ? p->strides[1] : 0;
  s.h = scratch;
  s.c = scratch + hn;
  s.g = scratch + 2 * hn;
  for (d = 0; d < dirs; ++d) {
    const int32_t reverse = prm->direction == TGRS_RNN_REVERSE || d == 1;
    s.act = &prm->act[3 * d];
    s.w = (const float*)w->data + d * w->strides[0];
    s.r = (const float*)r->data + d * r->strides[0];
    s.bias = b != NULL ? (const float*)b->data + d * b->strides[0] : NULL;
    s.peep = (is_lstm && p != NULL) ? (const float*)p->data + d * p->strides[0] : NULL;
    for (bi = 0; bi < batch; ++bi) {
      int32_t len = steps;
      if (seq_lens != NULL) {
        const int32_t v = ((const int32_t*)seq_lens->data)[bi * seq_lens->strides[0]];
        len = v < 0 ? 0 : (v > steps ? steps : v); /* plan data is not checked: stay in bounds */
      }
      s.x = (const float*)x->data + bi * xb;
      for (j = 0; j < hn; ++j) {
        s.h[j] = s_h0.data != NULL ? s_h0.data[d * s_h0.sd + bi * s_h0.sb + j * s_h0.sh] : 0.0f;
        s.c[j] = s_c0.data != NULL ? s_c0.data[d * s_c0.sd + bi * s_c0.sb + j * s_c0.sh] : 0.0f;
      }
      for (t = 0; t < len; ++t) {
        const int32_t tt = reverse ? len - 1 - t : t;
        const float* xv = s.x + tt * xt;
        if (cell == TGRS_RNN_CELL_LSTM) {
          rnn_step_lstm(&s, xv);
        } else if (cell == TGRS_RNN_CELL_GRU) {
          rnn_step_gru(&s, xv);
        } else {
          rnn_step_rnn(&s, xv);
        }
        if (y != NULL) {
          float* yv = (float*)y->data + tt * yt + d * yd + bi * yb;
          for (j = 0; j < hn; ++j) yv[j * yj] = s.h[j];
        }
      }
      if (y != NULL) {
        for (t = len; t < steps; ++t) {
          float* yv = (float*)y->data + t * yt + d * yd + bi * yb;
          for (j = 0; j < hn; ++j) yv[j * yj] = 0.0f;
        }
      }
      if (s_yh.data != NULL) {
        float* o = (float*)s_yh.data + d * s_yh.sd + bi * s_yh.sb;
        for (j = 0; j < hn; ++j) o[j * s_yh.sh] = len > 0 ? s.h[j] : 0.0f;
      }
      if (s_yc.data != NULL) {
        float* o = (float*)s_yc.data + d * s_yc.sd + bi * s_yc.sb;
        for (j = 0; j < hn; ++j) o[j * s_yc.sh] = len > 0 ? s.c[j] : 0.0f;
      }
    }
  }
}
