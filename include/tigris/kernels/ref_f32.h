/* Reference f32 kernels: pure math over strided views, no allocation, no I/O, no checks.
 * Callers pass shapes that tgrs_backend_reference's check() accepted. Every output element is
 * computed on its own with a fixed accumulation order, so any sub-range of outputs is bit-exact.
 * Every tensor argument is a strided view (tgrs_types.h) with any non-negative strides: the
 * result equals the dense call bit for bit and only the elements of the output views are written.
 * Output views must not overlap input views (except where stated). */
#ifndef TIGRIS_KERNELS_REF_F32_H
#define TIGRIS_KERNELS_REF_F32_H

#include <stddef.h>
#include <stdint.h>

#include "tigris/kernels/tgrs_params.h"
#include "tigris/kernels/tgrs_types.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { TGRS_BINARY_ADD = 0, TGRS_BINARY_SUB = 1, TGRS_BINARY_MUL = 2, TGRS_BINARY_DIV = 3 } tgrs_binary_op_t;

typedef enum {
  TGRS_UNARY_RELU = 0,
  TGRS_UNARY_CLIP = 1,         /* a = min, b = max */
  TGRS_UNARY_LEAKY_RELU = 2,   /* a = alpha */
  TGRS_UNARY_SIGMOID = 3,
  TGRS_UNARY_HARD_SIGMOID = 4, /* a = alpha, b = beta */
  TGRS_UNARY_HARD_SWISH = 5,
  TGRS_UNARY_TANH = 6,
  TGRS_UNARY_EXP = 7,
  TGRS_UNARY_NEG = 8,
  /* the math unary ops (math_f32.c, tgrs_unary_math_f32) */
  TGRS_UNARY_SQRT = 9,
  TGRS_UNARY_RECIPROCAL = 10,
  TGRS_UNARY_ABS = 11,
  TGRS_UNARY_FLOOR = 12,
  TGRS_UNARY_CEIL = 13,
  TGRS_UNARY_ROUND = 14,       /* half to even */
  TGRS_UNARY_ELU = 15,         /* a = alpha */
  TGRS_UNARY_SELU = 16,        /* a = alpha, b = gamma */
  TGRS_UNARY_CELU = 17,        /* a = alpha */
  TGRS_UNARY_SOFTPLUS = 18,
  TGRS_UNARY_SOFTSIGN = 19,
  TGRS_UNARY_GELU = 20,        /* a = 0: erf form, a = 1: tanh approximation */
  TGRS_UNARY_ERF = 21,
  TGRS_UNARY_MISH = 22
} tgrs_unary_op_t;

/* The variadic elementwise ops (Max, Min, Sum, Mean: 1..n inputs, numpy broadcasting). */
typedef enum {
  TGRS_VARIADIC_MAX = 0,
  TGRS_VARIADIC_MIN = 1,
  TGRS_VARIADIC_SUM = 2,
  TGRS_VARIADIC_MEAN = 3
} tgrs_variadic_op_t;

/* Comparisons (bool output) and the logical binary ops on bool tensors. */
typedef enum {
  TGRS_COMPARE_EQUAL = 0,
  TGRS_COMPARE_LESS = 1,
  TGRS_COMPARE_GREATER = 2,
  TGRS_COMPARE_LESS_EQUAL = 3,
  TGRS_COMPARE_GREATER_EQUAL = 4
} tgrs_compare_op_t;
typedef enum { TGRS_LOGICAL_AND = 0, TGRS_LOGICAL_OR = 1, TGRS_LOGICAL_XOR = 2 } tgrs_logical_op_t;
/* The cell of a recurrent row (its sub-op code). */
typedef enum { TGRS_RNN_CELL_RNN = 0, TGRS_RNN_CELL_GRU = 1, TGRS_RNN_CELL_LSTM = 2 } tgrs_rnn_cell_t;

/* ---- Elementwise ------------------------------------------------------------------------ */

/* One fused activation on one value (act may be NULL = none). Sigmoid = 1/(1+expf(-x)),
 * SILU = x*sigmoid(x), HardSwish = x*clamp(x/6+0.5, 0, 1). */
float tgrs_act_f32(float x, const tgrs_act_t* act);

/* y = op(x), x and y of the same dims; y may be x itself (same data and strides). */
void tgrs_unary_f32(int32_t op, const tgrs_tensor_t* x, const tgrs_tensor_t* y, const tgrs_unary_params_t* p);

/* y = act(a op b) with numpy multidirectional broadcasting; ranks 0..TGRS_MAX_RANK.
 * y must have the broadcast dims with y rank = max(a rank, b rank). */
void tgrs_binary_f32(int32_t op, const tgrs_tensor_t* a, const tgrs_tensor_t* b, const tgrs_tensor_t* y,
                     const tgrs_act_t* act);

/* ---- Math (math_f32.c) ------------------------------------------------------------------- */

/* y = op(x) for the math unary ops (TGRS_UNARY_SQRT and later), single-precision libm:
 * Sqrt sqrtf, Reciprocal 1/x, Abs fabsf, Floor floorf, Ceil ceilf, Round half to even,
 * Elu x >= 0 ? x : a*(expf(x)-1), Selu b*(x > 0 ? x : a*(expf(x)-1)),
 * Celu max(0,x) + min(0, a*(expf(x/a)-1)), Softplus x > 0 ? x + log1pf(expf(-x)) : log1pf(expf(x)),
 * Softsign x/(1+|x|), Gelu 0.5x(1+erff(x/sqrt2)) (a = 0) or 0.5x(1+tanhf(sqrt(2/pi)(x+0.044715x^3)))
 * (a = 1), Erf erff, Mish x*tanhf(softplus(x)). y may be x itself. */
void tgrs_unary_math_f32(int32_t op, const tgrs_tensor_t* x, const tgrs_tensor_t* y, const tgrs_unary_params_t* p);

/* y = x ^ e with numpy broadcasting; x and y float32, e float32, int32 or int64 (converted to
 * float). An exponent of exactly 2 or 3 is computed as x*x, x*x*x (as onnxruntime does), any
 * other with powf. */
void tgrs_pow_f32(const tgrs_tensor_t* x, const tgrs_tensor_t* e, const tgrs_tensor_t* y);

/* PRelu: y = x > 0 ? x : x * slope, slope broadcast to x (numpy rules; y has the broadcast dims). */
void tgrs_prelu_f32(const tgrs_tensor_t* x, const tgrs_tensor_t* slope, const tgrs_tensor_t* y);

/* Max/Min/Sum/Mean (tgrs_variadic_op_t) of the n >= 1 inputs xs, numpy broadcasting to y, all
 * of one dtype: float32, or int32/int64 (ONNX has those for Max/Min; integer sums wrap): per
 * output element the inputs are folded left in order, ((x0 op x1) op x2) ...; Mean then divides
 * by n. Max/Min keep the running value unless the next is greater/smaller. */
void tgrs_variadic(int32_t op, const tgrs_tensor_t* xs, int32_t n, const tgrs_tensor_t* y);

/* ---- Comparisons, logic, selection and casts (logic.c) ----------------------------------- */

/* y = a op b (tgrs_compare_op_t) as bool (1/0), a and b of one dtype (float32, int32, int64 or
 * bool), numpy broadcasting. */
void tgrs_compare(int32_t op, const tgrs_tensor_t* a, const tgrs_tensor_t* b, const tgrs_tensor_t* y);

/* y = a op b (tgrs_logical_op_t) on bool tensors (any nonzero byte is true), numpy broadcasting. */
void tgrs_logical(int32_t op, const tgrs_tensor_t* a, const tgrs_tensor_t* b, const tgrs_tensor_t* y);

/* y = !x on bool tensors. y may be x itself. */
void tgrs_logical_not(const tgrs_tensor_t* x, const tgrs_tensor_t* y);

/* y = cond ? x : z elementwise with numpy broadcasting of the three; cond bool, x, z and y of
 * one dtype (any element size: values are copied bit for bit). */
void tgrs_where(const tgrs_tensor_t* cond, const tgrs_tensor_t* x, const tgrs_tensor_t* z, const tgrs_tensor_t* y);

/* Cast between float32, int32, int64 and bool (x and y of the same dims), as onnxruntime on
 * x86-64 computes it: float -> integer truncates toward zero, and NaN or a value outside the
 * integer range gives the integer minimum (INT32_MIN / INT64_MIN); int64 -> int32 keeps the low
 * 32 bits; integer -> float rounds to nearest; any -> bool is value != 0 (NaN is true);
 * bool -> any is 0 or 1. */
void tgrs_cast(const tgrs_tensor_t* x, const tgrs_tensor_t* y);

/* ---- Convolution and matrix products ---------------------------------------------------- */

/* Conv, rank 3 (N,C,W) or 4 (N,C,H,W): W is [M, C/group, (kh,) kw] with M = y channels; bias
 * [M] or NULL. For each output element: acc = bias, then += x*w over (c, kh, kw) in that
 * order, skipping padded taps; then act. */
void tgrs_conv2d_f32(const tgrs_tensor_t* x, const tgrs_tensor_t* w, const tgrs_tensor_t* bias,
                     const tgrs_tensor_t* y, const tgrs_conv_params_t* p);

/* ConvTranspose: W is [C, M/group, (kh,) kw] with M = y channels; bias [M] or NULL. Computed
 * as a gather per output element: acc = bias, then over (c, kh, kw) every input tap that lands
 * on it; then act. Output dims are taken from y (output_padding already resolved). */
void tgrs_conv_transpose2d_f32(const tgrs_tensor_t* x, const tgrs_tensor_t* w, const tgrs_tensor_t* bias,
                               const tgrs_tensor_t* y, const tgrs_conv_params_t* p);

/* Gemm: Y[m,n] = act(alpha * sum_k A'[m,k] B'[k,n] + beta * C[m,n]); A is [M,K] ([K,M] if
 * trans_a), B is [K,N] ([N,K] if trans_b). C (or NULL) of rank 0..2 broadcasts
 * unidirectionally to [M,N]. The k sum starts at 0 and runs k = 0..K-1. */
void tgrs_gemm_f32(const tgrs_tensor_t* a, const tgrs_tensor_t* b, const tgrs_tensor_t* c, const tgrs_tensor_t* y,
                   const tgrs_gemm_params_t* p);

/* MatMul with numpy semantics: 1-D operands (promoted then squeezed) and broadcast batch dims.
 * y = act(a @ b), k summed in order from 0. */
void tgrs_matmul_f32(const tgrs_tensor_t* a, const tgrs_tensor_t* b, const tgrs_tensor_t* y, const tgrs_act_t* act);

/* ---- Pooling and reductions ------------------------------------------------------------- */

/* Softmax along `axis`: exp(x - max) / sum, each line on its own. */
void tgrs_softmax_f32(const tgrs_tensor_t* x, const tgrs_tensor_t* y, int32_t axis);

/* MaxPool (rank 3 or 4): max over the in-bounds taps of each window (padding never wins); a
 * window with no in-bounds tap yields -FLT_MAX (as onnxruntime). Output dims from y. */
void tgrs_maxpool2d_f32(const tgrs_tensor_t* x, const tgrs_tensor_t* y, const tgrs_pool_params_t* p);

/* AveragePool: sum of in-bounds taps (h outer, w inner) divided by the tap count; with
 * count_include_pad the count also includes taps in the padding, clipped to the padded input
 * [-pad_begin, in + pad_end) per axis (onnxruntime's rule, also for ceil_mode windows).
 * A window with a zero divisor yields 0. */
void tgrs_avgpool2d_f32(const tgrs_tensor_t* x, const tgrs_tensor_t* y, const tgrs_pool_params_t* p);

/* Global pools over dims 2.. of each (n, c) plane, in row-major order of those dims, with one
 * float accumulator per plane (sum from 0.0f, or max from the first element), continued from
 * y's partial unless TGRS_ACC_BEGIN; the average divides by p->count at TGRS_ACC_END. */
void tgrs_global_avgpool_f32(const tgrs_tensor_t* x, const tgrs_tensor_t* y, const tgrs_global_pool_params_t* p);
void tgrs_global_maxpool_f32(const tgrs_tensor_t* x, const tgrs_tensor_t* y, const tgrs_global_pool_params_t* p);

/* ReduceMean over the dims whose bit is set in p->axes_mask; y has the keepdims layout or the
 * reduced dims dropped (p->keepdims). Sum from 0.0f (or y's partial without TGRS_ACC_BEGIN) in
 * row-major order of the reduced indices, divided by p->count at TGRS_ACC_END. */
void tgrs_reduce_mean_f32(const tgrs_tensor_t* x, const tgrs_tensor_t* y, const tgrs_reduce_params_t* p);

/* ---- Recurrent layers ------------------------------------------------------------------- */

/* LSTM / GRU / RNN with ONNX semantics (tgrs_params.h, tgrs_rnn_params_t for shapes and layout).
 * G gates per cell (LSTM 4: i o f c, GRU 3: z r h, RNN 1). Each direction and batch row runs on
 * its own over its valid steps t < L = sequence_lens[b] (clamped to [0, T]; T when absent), in
 * time order forward and from L-1 down to 0 in reverse; Y is 0 at t >= L, Y_h / Y_c are the last
 * state (0 when L = 0). Per gate row j: acc = sum_k x[k] W[j][k] (k from 0, starting at 0) plus
 * sum_k h[k] R[j][k], then the LSTM peephole P*c, then Wb[j] + Rb[j]; clipped; activated.
 * GRU: h~ = g(x Wh + (r (.) h) Rh + (Wbh + Rbh)), or with linear_before_reset
 * g((x Wh + r (.) (h Rh + Rbh)) + Wbh). y, y_h, y_c may each be NULL (not computed); b, seq_lens,
 * h0, c0, p may be NULL (absent). scratch: tgrs_rnn_scratch_floats(G, H) floats. */
void tgrs_rnn_f32(int32_t cell, const tgrs_tensor_t* x, const tgrs_tensor_t* w, const tgrs_tensor_t* r,
                  const tgrs_tensor_t* b, const tgrs_tensor_t* seq_lens, const tgrs_tensor_t* h0,
                  const tgrs_tensor_t* c0, const tgrs_tensor_t* p, const tgrs_tensor_t* y,
                  const tgrs_tensor_t* y_h, const tgrs_tensor_t* y_c, const tgrs_rnn_params_t* prm, float* scratch);

/* Scratch tgrs_rnn_f32 needs for `gates` gates of `hidden` units: the state h, c (GRU: r (.) h)
 * and the gate pre-activations, (gates + 2) * hidden floats. */
int64_t tgrs_rnn_scratch_floats(int64_t gates, int64_t hidden);

/* ---- Data movement ---------------------------------------------------------------------- */

/* Concat: the n inputs xs[0..n-1] are copied into y one after another along axis. */
void tgrs_concat_f32(const tgrs_tensor_t* xs, int32_t n, const tgrs_tensor_t* y, int32_t axis);
/* Split: consecutive ranges of x along axis are copied into ys[0..n-1]. */
void tgrs_split_f32(const tgrs_tensor_t* x, const tgrs_tensor_t* ys, int32_t n, int32_t axis);

/* y[i...] = x[start[d] + i[d] * step[d] ...]; steps may be negative. */
void tgrs_slice_f32(const tgrs_tensor_t* x, const tgrs_tensor_t* y, const tgrs_slice_params_t* p);

/* y dim i = x dim perm[i]. */
void tgrs_transpose_f32(const tgrs_tensor_t* x, const tgrs_tensor_t* y, const int32_t* perm);

/* Pad with pad_begin[d] before each dim (negative = crop) and the end padding implied by
 * y's dims. Negative pads crop first; reflect/edge/wrap then refer to the cropped input.
 * Reflect mirrors without repeating the edge (numpy 'reflect'), repeatedly if needed. */
void tgrs_pad_f32(const tgrs_tensor_t* x, const tgrs_tensor_t* y, const tgrs_pad_params_t* p);

/* Resize (nearest / n-linear / n-cubic over the axes whose size or scale changes), ONNX
 * coordinate transforms and nearest rounding modes; out-of-range taps use the edge value
 * (cubic with exclude_outside drops them and renormalizes). Coordinates in float, in the global
 * coordinates of p's window (in_origin/out_origin/in_full/out_full, see tgrs_params.h). */
void tgrs_resize_f32(const tgrs_tensor_t* x, const tgrs_tensor_t* y, const tgrs_resize_params_t* p);

/* The smallest and largest input index along dim d that output index o (a global index of the
 * whole Resize from in_full[d] to out_full[d]) reads: the same tap computation the kernel runs,
 * so the compiler sizes a tile's input window from it. Monotone in o. */
void tgrs_resize_reads(const tgrs_resize_params_t* p, int32_t d, int32_t o, int32_t* lo, int32_t* hi);

/* Expand: y = x broadcast to y's dims (numpy rules, x's dims aligned to the right, each 1 or
 * equal to y's); any dtype, copied bit for bit. */
void tgrs_expand(const tgrs_tensor_t* x, const tgrs_tensor_t* y);

/* Tile: y[i...] = x[i_d mod x.dims[d] ...], y.dims[d] a multiple of x.dims[d]; any dtype. */
void tgrs_tile(const tgrs_tensor_t* x, const tgrs_tensor_t* y);

/* Reshape/Copy of dense tensors: memmove of `bytes` unless dst == src. */
void tgrs_copy_bytes(void* dst, const void* src, size_t bytes);

/* Copy between two views of the same dims and dtype (any element size, any strides), element by
 * element in row-major order of the view. In-buffer moves: when x and y have the same strides,
 * y.data < x.data, and the view's row-major order is increasing-address order (true for every
 * window of a dense row-major buffer: each stride exceeds the extent spanned by the inner dims),
 * the copy is correct even if the views overlap (e.g. shifting rows of a line buffer toward its
 * start). */
void tgrs_copy_view(const tgrs_tensor_t* x, const tgrs_tensor_t* y);

#ifdef __cplusplus
}
#endif
#endif
