/* Reference f32 kernels: pure math over pointers and dims, no allocation, no I/O, no checks.
 * Callers pass shapes that tgrs_backend_reference's check() accepted. Every output element is
 * computed on its own with a fixed accumulation order, so any sub-range of outputs is bit-exact. */
#ifndef TIGRIS_KERNELS_REF_F32_H
#define TIGRIS_KERNELS_REF_F32_H

#include <stddef.h>
#include <stdint.h>

#include "tigris/kernels/tgrs_params.h"
#include "tigris/kernels/tgrs_types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Dense NCHW shape. 1-D spatial ops (rank-3 tensors N,C,W) use h = 1. */
typedef struct {
  int32_t n, c, h, w;
} tgrs_nchw_t;

typedef enum { TGRS_BINARY_ADD = 0, TGRS_BINARY_SUB = 1, TGRS_BINARY_MUL = 2, TGRS_BINARY_DIV = 3 } tgrs_binary_op_t;

typedef enum {
  TGRS_UNARY_RELU = 0,
  TGRS_UNARY_CLIP = 1,         /* a = min, b = max */
  TGRS_UNARY_LEAKY_RELU = 2,   /* a = alpha */
  TGRS_UNARY_SIGMOID = 3,
  TGRS_UNARY_HARD_SIGMOID = 4, /* a = alpha, b = beta */
  TGRS_UNARY_HARD_SWISH = 5,
  TGRS_UNARY_TANH = 6,
  TGRS_UNARY_EXP = 7
} tgrs_unary_op_t;

/* ---- Elementwise ------------------------------------------------------------------------ */

/* One fused activation on one value (act may be NULL = none). Sigmoid = 1/(1+expf(-x)),
 * SILU = x*sigmoid(x), HardSwish = x*clamp(x/6+0.5, 0, 1). */
float tgrs_act_f32(float x, const tgrs_act_t* act);

/* y[i] = op(x[i]) for i < count; y may equal x. */
void tgrs_unary_f32(int32_t op, const float* x, float* y, int32_t count, const tgrs_unary_params_t* p);

/* y = act(a op b) with numpy multidirectional broadcasting; ranks 0..TGRS_MAX_RANK.
 * y_dims must be the broadcast shape with y_rank = max(a_rank, b_rank). */
void tgrs_binary_f32(int32_t op, const float* a, int32_t a_rank, const int32_t* a_dims, const float* b,
                     int32_t b_rank, const int32_t* b_dims, float* y, int32_t y_rank, const int32_t* y_dims,
                     const tgrs_act_t* act);

/* ---- Convolution and matrix products ---------------------------------------------------- */

/* Conv: W is [M, C/group, kh, kw] with M = y.c; bias [M] or NULL. For each output element:
 * acc = bias, then += x*w over (c, kh, kw) in that order, skipping padded taps; then act. */
void tgrs_conv2d_f32(const float* x, tgrs_nchw_t xd, const float* w, const float* bias, float* y,
                     tgrs_nchw_t yd, const tgrs_conv_params_t* p);

/* ConvTranspose: W is [C, M/group, kh, kw] with M = y.c; bias [M] or NULL. Computed as a
 * gather per output element: acc = bias, then over (c, kh, kw) every input tap that lands on it;
 * then act. Output dims are taken from yd (output_padding already resolved). */
void tgrs_conv_transpose2d_f32(const float* x, tgrs_nchw_t xd, const float* w, const float* bias, float* y,
                               tgrs_nchw_t yd, const tgrs_conv_params_t* p);

/* Gemm: Y[m,n] = act(alpha * sum_k A'[m,k] B'[k,n] + beta * C[m,n]); A is [M,K] ([K,M] if
 * trans_a), B is [K,N] ([N,K] if trans_b). C (or NULL) is c_rows x c_cols with c_rows in {1,M}
 * and c_cols in {1,N}, broadcast to [M,N]. The k sum starts at 0 and runs k = 0..K-1. */
void tgrs_gemm_f32(const float* a, const float* b, const float* c, int32_t c_rows, int32_t c_cols, float* y,
                   int32_t m, int32_t k, int32_t n, const tgrs_gemm_params_t* p);

/* MatMul with numpy semantics: 1-D operands (promoted then squeezed) and broadcast batch dims.
 * Output dims follow from the inputs; y = act(a @ b), k summed in order from 0. */
void tgrs_matmul_f32(const float* a, int32_t a_rank, const int32_t* a_dims, const float* b, int32_t b_rank,
                     const int32_t* b_dims, float* y, const tgrs_act_t* act);

/* ---- Pooling and reductions ------------------------------------------------------------- */

/* Softmax over the middle axis of a [outer, axis_len, inner] view: exp(x - max) / sum. */
void tgrs_softmax_f32(const float* x, float* y, int32_t outer, int32_t axis_len, int32_t inner);

/* MaxPool: max over the in-bounds taps of each window (padding never wins); a window with no
 * in-bounds tap yields -FLT_MAX (as onnxruntime). Output dims (incl. ceil_mode) from yd. */
void tgrs_maxpool2d_f32(const float* x, tgrs_nchw_t xd, float* y, tgrs_nchw_t yd, const tgrs_pool_params_t* p);

/* AveragePool: sum of in-bounds taps (h outer, w inner) divided by the tap count; with
 * count_include_pad the count also includes taps in the padding, clipped to the padded input
 * [-pad_begin, in + pad_end) per axis (onnxruntime's rule, also for ceil_mode windows).
 * A window with a zero divisor yields 0. */
void tgrs_avgpool2d_f32(const float* x, tgrs_nchw_t xd, float* y, tgrs_nchw_t yd, const tgrs_pool_params_t* p);

/* Global pools over `spatial` contiguous values of each of `planes` (= N*C) planes. */
void tgrs_global_avgpool_f32(const float* x, float* y, int32_t planes, int32_t spatial);
void tgrs_global_maxpool_f32(const float* x, float* y, int32_t planes, int32_t spatial);

/* ReduceMean over the dims whose bit is set in axes_mask; y has the keepdims layout (which is
 * also the layout without keepdims). Sum in row-major order of the reduced indices, then divide. */
void tgrs_reduce_mean_f32(const float* x, int32_t rank, const int32_t* dims, int32_t axes_mask, float* y);

/* ---- Data movement ---------------------------------------------------------------------- */

/* Concat/Split over a [outer, axis, inner] view, one piece per call: Concat copies x (axis length
 * x_axis) into y (axis length y_axis) at axis_offset; Split copies y's axis range
 * [axis_offset, axis_offset + y_axis) of x (axis length x_axis) into y. */
void tgrs_concat_f32(const float* x, int32_t x_axis, float* y, int32_t y_axis, int32_t axis_offset, int32_t outer,
                     int32_t inner);
void tgrs_split_f32(const float* x, int32_t x_axis, float* y, int32_t y_axis, int32_t axis_offset, int32_t outer,
                    int32_t inner);

/* y[i...] = x[start[d] + i[d] * step[d] ...]; steps may be negative. */
void tgrs_slice_f32(const float* x, int32_t rank, const int32_t* x_dims, const int32_t* start, const int32_t* step,
                    float* y, const int32_t* y_dims);

/* y dim i = x dim perm[i]. */
void tgrs_transpose_f32(const float* x, int32_t rank, const int32_t* x_dims, const int32_t* perm, float* y);

/* Pad with pad_begin[d] before each dim (negative = crop) and the end padding implied by
 * y_dims. Negative pads crop first; reflect/edge/wrap then refer to the cropped input.
 * Reflect mirrors without repeating the edge (numpy 'reflect'), repeatedly if needed. */
void tgrs_pad_f32(const float* x, int32_t rank, const int32_t* x_dims, float* y, const int32_t* y_dims,
                  const tgrs_pad_params_t* p);

/* Resize (nearest / n-linear / n-cubic over the axes whose size or scale changes), ONNX
 * coordinate transforms and nearest rounding modes; out-of-range taps use the edge value
 * (cubic with exclude_outside drops them and renormalizes). Coordinates in float. */
void tgrs_resize_f32(const float* x, int32_t rank, const int32_t* x_dims, float* y, const int32_t* y_dims,
                     const tgrs_resize_params_t* p);

/* Reshape/Copy: memmove of `bytes` unless dst == src. */
void tgrs_copy_bytes(void* dst, const void* src, size_t bytes);

#ifdef __cplusplus
}
#endif
#endif
