/* Parameter records of the int8 reference kernels (ref_s8.h). Like tgrs_params.h every field is
 * 4 bytes (int32_t; the Quantize/Dequantize record also has one float), so the layout is the same
 * on every little-endian target without padding. Per-channel data (requantization multipliers,
 * weight zero points, bias, lookup tables) travels as tensor inputs, not params, so a strip of
 * output channels is just a strided window of those tensors too.
 *
 * Conventions shared by all records:
 * - zero points are the int8 zero points of the tensors (x_q = round(x / scale) + zp), in
 *   [-128, 127]; uint8 tensors are lowered to int8 by subtracting 128 from data and zero point;
 * - a requantization (multiplier, shift) pair means y = SRDHM(x * 2^max(shift, 0), multiplier)
 *   rounding-divided by 2^max(-shift, 0) (TFLite's MultiplyByQuantizedMultiplier, see ref_s8.h);
 * - act_min/act_max clamp the int8 output, -128 <= act_min <= act_max <= 127: the quantized
 *   Relu / Relu6 / Clip of the producer's output (quant_math.h: QuantizedActivationRange). */
#ifndef TIGRIS_KERNELS_TGRS_QPARAMS_H
#define TIGRIS_KERNELS_TGRS_QPARAMS_H

#include "tigris/kernels/tgrs_types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Conv (1-D rank 3 / 2-D rank 4, NCHW), regular, grouped and depthwise (group = C, any channel
 * multiplier M/C). Window fields as tgrs_conv_params_t. Inputs: X i8, W i8 [M, C/group, (kh,) kw],
 * optional bias i32 [M], RQ i32 [1 or M, 2] = (multiplier, shift) per output channel or per
 * tensor, optional WZP i32 [1 or M] = weight zero points (default 0). */
typedef struct {
  int32_t kernel_h, kernel_w;
  int32_t stride_h, stride_w;
  int32_t dilation_h, dilation_w;
  int32_t pad_top, pad_left, pad_bottom, pad_right;
  int32_t group;
  int32_t input_zp, output_zp;
  int32_t act_min, act_max;
} tgrs_conv_s8_params_t;

/* Gemm / fully connected: Y[m, n] = requant(sum_k (A'[m,k] - a_zp) (B'[k,n] - b_zp[n]) + bias[n]).
 * A is [M, K] ([K, M] if trans_a), B is [K, N] ([N, K] if trans_b, the FC weight layout).
 * Inputs: A i8, B i8, optional bias i32 [1 or N], RQ i32 [1 or N, 2], optional BZP i32 [1 or N]. */
typedef struct {
  int32_t trans_a, trans_b;
  int32_t a_zp, output_zp;
  int32_t act_min, act_max;
} tgrs_gemm_s8_params_t;

/* MatMul (numpy semantics as tgrs_matmul_f32: 1-D operands, broadcast batch dims). Per-column
 * (N = last dim of the output) bias, requantization and B zero points, as Gemm's. */
typedef struct {
  int32_t a_zp, output_zp;
  int32_t act_min, act_max;
} tgrs_matmul_s8_params_t;

/* Add with numpy broadcasting, TFLite's scheme: both inputs are offset, shifted left by
 * left_shift (20 for int8), rescaled to a common scale by their own (multiplier, shift) with
 * shift <= 0, summed (Sub: subtracted), and the result requantized by (output_mult,
 * output_shift); quant_math.h QuantizeAdd computes the params of both. */
typedef struct {
  int32_t a_zp, b_zp, output_zp;
  int32_t left_shift;
  int32_t a_mult, a_shift;
  int32_t b_mult, b_shift;
  int32_t output_mult, output_shift;
  int32_t act_min, act_max;
} tgrs_add_s8_params_t;

/* Mul with numpy broadcasting: y = requant((a - a_zp) (b - b_zp), output_mult, output_shift). */
typedef struct {
  int32_t a_zp, b_zp, output_zp;
  int32_t output_mult, output_shift;
  int32_t act_min, act_max;
} tgrs_mul_s8_params_t;

/* MaxPool / AveragePool (rank 3 or 4), window fields as tgrs_pool_params_t. Both keep the input's
 * quantization (TFLite: same scale and zero point in and out; a lowering with differing params
 * appends a Requantize). input_zp is the value of a padded tap for count_include_pad. */
typedef struct {
  int32_t kernel_h, kernel_w;
  int32_t stride_h, stride_w;
  int32_t dilation_h, dilation_w;
  int32_t pad_top, pad_left, pad_bottom, pad_right;
  int32_t count_include_pad;
  int32_t input_zp;
  int32_t act_min, act_max;
} tgrs_pool_s8_params_t;

/* GlobalAveragePool (TFLite's integer Mean over the spatial dims): per (n, c) plane
 * acc = sum (x - input_zp) over dims 2.. in row-major order; at the end
 * y = clamp(round_half_away(requant(acc, mult, shift) / count) + output_zp) with
 * (mult, shift) = QuantizeMultiplier(x_scale / y_scale).
 * flags/count as tgrs_global_pool_params_t (TGRS_ACC_BEGIN / TGRS_ACC_END). An int8 output cannot
 * hold the running sum, so the partial is an int32 tensor of the output's dims: without END the
 * OUTPUT is that i32 partial; without BEGIN the partial comes in as a second INPUT (it may be the
 * same view as an i32 output, i.e. updated in place). count <= 2^23. */
typedef struct {
  int32_t flags; /* tgrs_acc_flags_t bits */
  int32_t count; /* spatial element count of the whole reduction (the divisor) */
  int32_t input_zp, output_zp;
  int32_t mult, shift;
  int32_t act_min, act_max;
} tgrs_global_avgpool_s8_params_t;

/* GlobalMaxPool: the running max is an int8 and lives in the output view exactly as in the f32
 * kernel (no BEGIN: y holds the partial); the clamp applies at END. */
typedef struct {
  int32_t flags;
  int32_t count;
  int32_t act_min, act_max;
} tgrs_global_maxpool_s8_params_t;

/* Requantize int8 -> int8 (a scale/zero-point change, e.g. a Concat input with other params):
 * y = clamp(requant(x - input_zp, mult, shift) + output_zp). */
typedef struct {
  int32_t input_zp, output_zp;
  int32_t mult, shift;
  int32_t act_min, act_max;
} tgrs_requantize_s8_params_t;

/* Softmax along `axis`, TFLite's integer algorithm; the output is always scale 1/256, zero point
 * -128. input_mult/input_left_shift/diff_min come from quant_math.h QuantizeSoftmax(beta, x_scale).
 * The axis holds at most 4095 elements (the Q12.19 sum of exps must fit int32). */
typedef struct {
  int32_t axis;
  int32_t input_mult, input_left_shift;
  int32_t diff_min;
} tgrs_softmax_s8_params_t;

/* Nearest Resize over int8 (any 1-byte dtype) with host-computed source indices: the table T
 * (i32, rank 1) holds for each dim d and GLOBAL output index o the GLOBAL input index at
 * T[table_offset[d] + o] (for the f32 kernel's semantics: the `lo` of tgrs_resize_reads). The call
 * computes the outputs whose global index is out_origin[d] + i, reading global input j at local
 * index j - in_origin[d] (clamped into the input view, so any table data stays in bounds). */
typedef struct {
  int32_t in_origin[TGRS_MAX_RANK];
  int32_t out_origin[TGRS_MAX_RANK];
  int32_t table_offset[TGRS_MAX_RANK];
} tgrs_resize_nearest_s8_params_t;

/* Pad over 1-byte tensors (tgrs_pad_s8, any tgrs_pad_mode_t): tgrs_pad_params_t with the constant
 * padding as the quantized value (int8, or uint8 for a uint8 tensor), i.e. QuantizeLinear of the
 * float pad value. */
typedef struct {
  int32_t mode;
  int32_t value;
  int32_t pad_begin[TGRS_MAX_RANK];
} tgrs_pad_s8_params_t;

/* QuantizeLinear f32 -> i8/u8 and DequantizeLinear i8/u8 -> f32, per tensor (the only int8-path
 * kernels that touch floats; src/kernels/qdq_f32.c). */
typedef struct {
  float scale;
  int32_t zero_point;
} tgrs_qdq_params_t;

#ifdef __cplusplus
}
#endif
#endif
