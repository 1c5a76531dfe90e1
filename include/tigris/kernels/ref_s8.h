/* Reference int8 kernels: integer-only arithmetic (no float anywhere except Quantize/Dequantize),
 * bit-exact with TFLite's reference integer kernels (and so CMSIS-NN), over strided views.
 * Every output element is computed on its own from its own inputs, so any sub-range of outputs
 * (a strip of rows, columns or channels as strided windows) is bit-exact with the whole call.
 *
 * Requantization (TFLite / CMSIS-NN default, "double rounding"):
 *   requant(x, m, s) = RDBPOT(SRDHM(x * 2^max(s,0), m), max(-s,0))
 *   SRDHM(a, b)  = (a*b + (a*b >= 0 ? 2^30 : 1 - 2^30)) / 2^31 truncated toward zero, i.e.
 *                  a*b / 2^31 rounded half up; INT32_MAX for a = b = INT32_MIN (gemmlowp's
 *                  saturating rounding doubling high multiply);
 *   RDBPOT(x, e) = x / 2^e rounded to nearest, ties away from zero.
 * The left shift saturates to int32 (TFLite leaves the overflow undefined). Per-channel values
 * read from tensors (shifts, weight zero points) are clamped to their valid ranges ([-31, 30],
 * [-128, 127]) and int32 accumulators are bounded by check(), so even a corrupt plan causes
 * no undefined behaviour.
 *
 * Each kernel has three entry points: the math (pure function over views), `_check(call)`
 * (the load-time validator of a tgrs_kernel_call_t: TGRS_OK only for consistent dtypes, dims,
 * strides and params) and `_run(call)` (unpacks a checked call). The call's inputs are listed
 * with each kernel; an optional input is omitted by a zeroed view (dtype 0) or by leaving it off
 * the end. Data pointers may be NULL in check(). Output views must not overlap inputs except
 * where stated. */
#ifndef TIGRIS_KERNELS_REF_S8_H
#define TIGRIS_KERNELS_REF_S8_H

#include <stdint.h>

#include "tigris/kernels/tgrs_params.h"
#include "tigris/kernels/tgrs_qparams.h"
#include "tigris/kernels/tgrs_types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Fixed-point primitives (exposed for tests and host tools) ------------------------- */

int32_t tgrs_srdhm_s32(int32_t a, int32_t b);
int32_t tgrs_rdbpot_s32(int32_t x, int32_t exponent); /* exponent clamped to [0, 31] */
/* requant(x, m, s) above; s clamped to [-31, 30]. */
int32_t tgrs_requant_s32(int32_t x, int32_t multiplier, int32_t shift);

/* ---- Convolution and matrix products ---------------------------------------------------- */

/* Conv. Call inputs: X i8 [N, C, (H,) W], W i8 [M, C/group, (kh,) kw], bias i32 [M] (optional),
 * RQ i32 [1 or M, 2], WZP i32 [1 or M] (optional); output Y i8 [N, M, (Ho,) Wo]. Per output:
 * acc = sum over (c, kh, kw) in-bounds taps of (x - input_zp) (w - wzp[m]) (a padded tap is the
 * input zero point and contributes nothing), + bias[m]; y = clamp(requant(acc, RQ[m]) +
 * output_zp, act_min, act_max). At most 32768 taps per output (C/group * kh * kw). */
void tgrs_conv2d_s8(const tgrs_tensor_t* x, const tgrs_tensor_t* w, const tgrs_tensor_t* bias,
                    const tgrs_tensor_t* rq, const tgrs_tensor_t* wzp, const tgrs_tensor_t* y,
                    const tgrs_conv_s8_params_t* p);
tgrs_status_t tgrs_conv2d_s8_check(const tgrs_kernel_call_t* call);
void tgrs_conv2d_s8_run(const tgrs_kernel_call_t* call);

/* Gemm / fully connected. Call inputs: A i8, B i8, bias i32 [1 or N] (optional), RQ i32
 * [1 or N, 2], BZP i32 [1 or N] (optional); output Y i8 [M, N]. K <= 32768. */
void tgrs_gemm_s8(const tgrs_tensor_t* a, const tgrs_tensor_t* b, const tgrs_tensor_t* bias,
                  const tgrs_tensor_t* rq, const tgrs_tensor_t* bzp, const tgrs_tensor_t* y,
                  const tgrs_gemm_s8_params_t* p);
tgrs_status_t tgrs_gemm_s8_check(const tgrs_kernel_call_t* call);
void tgrs_gemm_s8_run(const tgrs_kernel_call_t* call);

/* MatMul, numpy semantics (tgrs_matmul_f32's shapes). Call inputs: A i8, B i8, bias i32
 * [1 or N] (optional), RQ i32 [1 or N, 2], BZP i32 [1 or N] (optional); N = B's last dim (1 for
 * a 1-D B). K <= 32768. */
void tgrs_matmul_s8(const tgrs_tensor_t* a, const tgrs_tensor_t* b, const tgrs_tensor_t* bias,
                    const tgrs_tensor_t* rq, const tgrs_tensor_t* bzp, const tgrs_tensor_t* y,
                    const tgrs_matmul_s8_params_t* p);
tgrs_status_t tgrs_matmul_s8_check(const tgrs_kernel_call_t* call);
void tgrs_matmul_s8_run(const tgrs_kernel_call_t* call);

/* ---- Elementwise ------------------------------------------------------------------------ */

/* Add / Sub / Mul with numpy multidirectional broadcasting (tgrs_binary_f32's shapes). Call
 * inputs: A i8, B i8; output Y i8. */
void tgrs_add_s8(const tgrs_tensor_t* a, const tgrs_tensor_t* b, const tgrs_tensor_t* y,
                 const tgrs_add_s8_params_t* p);
tgrs_status_t tgrs_add_s8_check(const tgrs_kernel_call_t* call);
void tgrs_add_s8_run(const tgrs_kernel_call_t* call);

/* Sub: TFLite's Add scheme with the rescaled inputs subtracted (same params as Add). */
void tgrs_sub_s8(const tgrs_tensor_t* a, const tgrs_tensor_t* b, const tgrs_tensor_t* y,
                 const tgrs_add_s8_params_t* p);
tgrs_status_t tgrs_sub_s8_check(const tgrs_kernel_call_t* call);
void tgrs_sub_s8_run(const tgrs_kernel_call_t* call);

void tgrs_mul_s8(const tgrs_tensor_t* a, const tgrs_tensor_t* b, const tgrs_tensor_t* y,
                 const tgrs_mul_s8_params_t* p);
tgrs_status_t tgrs_mul_s8_check(const tgrs_kernel_call_t* call);
void tgrs_mul_s8_run(const tgrs_kernel_call_t* call);

/* Requantize: X i8 -> Y i8 of the same dims; y may be x itself (same data and strides). */
void tgrs_requantize_s8(const tgrs_tensor_t* x, const tgrs_tensor_t* y, const tgrs_requantize_s8_params_t* p);
tgrs_status_t tgrs_requantize_s8_check(const tgrs_kernel_call_t* call);
void tgrs_requantize_s8_run(const tgrs_kernel_call_t* call);

/* Lookup table for any elementwise unary op: y = table[x + 128]. Call inputs: X i8, TABLE i8
 * [256] (quant_math.h BuildLutS8); params tgrs_empty_params_t; y may be x itself. */
void tgrs_lut_s8(const tgrs_tensor_t* x, const tgrs_tensor_t* table, const tgrs_tensor_t* y);
tgrs_status_t tgrs_lut_s8_check(const tgrs_kernel_call_t* call);
void tgrs_lut_s8_run(const tgrs_kernel_call_t* call);

/* ---- Pooling, reductions, Softmax --------------------------------------------------------- */

/* MaxPool (rank 3 or 4): max over the in-bounds taps (padding never wins; a window without one
 * yields -128), then clamped. AveragePool: sum of the in-bounds int8 values (plus input_zp per
 * padded tap counted with count_include_pad), divided by the tap count with TFLite's rounding
 * (half away from zero), clamped; divisors as tgrs_avgpool2d_f32 (a zero divisor yields 0,
 * clamped). Output dims from Y (floor or ceil mode). Call: X i8 -> Y i8. */
void tgrs_maxpool2d_s8(const tgrs_tensor_t* x, const tgrs_tensor_t* y, const tgrs_pool_s8_params_t* p);
tgrs_status_t tgrs_maxpool2d_s8_check(const tgrs_kernel_call_t* call);
void tgrs_maxpool2d_s8_run(const tgrs_kernel_call_t* call);

void tgrs_avgpool2d_s8(const tgrs_tensor_t* x, const tgrs_tensor_t* y, const tgrs_pool_s8_params_t* p);
tgrs_status_t tgrs_avgpool2d_s8_check(const tgrs_kernel_call_t* call);
void tgrs_avgpool2d_s8_run(const tgrs_kernel_call_t* call);

/* GlobalAveragePool (tgrs_global_avgpool_s8_params_t). Call inputs: X i8 [N, C, ...], partial
 * i32 (only without TGRS_ACC_BEGIN); output: Y i8 (with TGRS_ACC_END) or the i32 partial
 * (without), dims [N, C, 1, ...]. `partial` is NULL with BEGIN. */
void tgrs_global_avgpool_s8(const tgrs_tensor_t* x, const tgrs_tensor_t* partial, const tgrs_tensor_t* y,
                            const tgrs_global_avgpool_s8_params_t* p);
tgrs_status_t tgrs_global_avgpool_s8_check(const tgrs_kernel_call_t* call);
void tgrs_global_avgpool_s8_run(const tgrs_kernel_call_t* call);

/* GlobalMaxPool: X i8 -> Y i8, running max in Y (tgrs_global_maxpool_s8_params_t). */
void tgrs_global_maxpool_s8(const tgrs_tensor_t* x, const tgrs_tensor_t* y, const tgrs_global_maxpool_s8_params_t* p);
tgrs_status_t tgrs_global_maxpool_s8_check(const tgrs_kernel_call_t* call);
void tgrs_global_maxpool_s8_run(const tgrs_kernel_call_t* call);

/* Softmax along p->axis with TFLite's integer algorithm (gemmlowp fixed-point exp of the scaled
 * differences to the line's max, Q12.19 sum, fixed-point reciprocal); each line on its own.
 * X i8 -> Y i8 (scale 1/256, zero point -128). */
void tgrs_softmax_s8(const tgrs_tensor_t* x, const tgrs_tensor_t* y, const tgrs_softmax_s8_params_t* p);
tgrs_status_t tgrs_softmax_s8_check(const tgrs_kernel_call_t* call);
void tgrs_softmax_s8_run(const tgrs_kernel_call_t* call);

/* ---- Data movement ---------------------------------------------------------------------- */

/* Nearest Resize by source-index table (tgrs_resize_nearest_s8_params_t): a byte gather. Call
 * inputs: X (i8 or u8), TABLE i32 [n]; output Y (X's dtype, X's rank). */
void tgrs_resize_nearest_s8(const tgrs_tensor_t* x, const tgrs_tensor_t* table, const tgrs_tensor_t* y,
                            const tgrs_resize_nearest_s8_params_t* p);
tgrs_status_t tgrs_resize_nearest_s8_check(const tgrs_kernel_call_t* call);
void tgrs_resize_nearest_s8_run(const tgrs_kernel_call_t* call);

/* Byte movement (movement_s8.c): int8 or uint8 views, every operand of one dtype, the shapes and
 * check() rules of the f32 kernels (Concat/Split tgrs_axis_params_t, Slice tgrs_slice_params_t,
 * Transpose tgrs_transpose_params_t; Pad tgrs_pad_s8_params_t, any mode). Values are copied
 * unchanged: input and output share their quantization. */
void tgrs_concat_s8(const tgrs_tensor_t* xs, int32_t n, const tgrs_tensor_t* y, int32_t axis);
tgrs_status_t tgrs_concat_s8_check(const tgrs_kernel_call_t* call);
void tgrs_concat_s8_run(const tgrs_kernel_call_t* call);
void tgrs_split_s8(const tgrs_tensor_t* x, const tgrs_tensor_t* ys, int32_t n, int32_t axis);
tgrs_status_t tgrs_split_s8_check(const tgrs_kernel_call_t* call);
void tgrs_split_s8_run(const tgrs_kernel_call_t* call);
void tgrs_slice_s8(const tgrs_tensor_t* x, const tgrs_tensor_t* y, const tgrs_slice_params_t* p);
tgrs_status_t tgrs_slice_s8_check(const tgrs_kernel_call_t* call);
void tgrs_slice_s8_run(const tgrs_kernel_call_t* call);
void tgrs_transpose_s8(const tgrs_tensor_t* x, const tgrs_tensor_t* y, const int32_t* perm);
tgrs_status_t tgrs_transpose_s8_check(const tgrs_kernel_call_t* call);
void tgrs_transpose_s8_run(const tgrs_kernel_call_t* call);
void tgrs_pad_s8(const tgrs_tensor_t* x, const tgrs_tensor_t* y, const tgrs_pad_s8_params_t* p);
tgrs_status_t tgrs_pad_s8_check(const tgrs_kernel_call_t* call);
void tgrs_pad_s8_run(const tgrs_kernel_call_t* call);

/* Requantize with int8 or uint8 on either side (tgrs_requantize_s8_params_t; zero points and the
 * clamp in the range of their tensor's type): the uint8 <-> int8 conversion at a plan's boundary
 * (identity multiplier, zero points differing by 128) and uint8 outputs of other scales. */
void tgrs_requantize_q8(const tgrs_tensor_t* x, const tgrs_tensor_t* y, const tgrs_requantize_s8_params_t* p);
tgrs_status_t tgrs_requantize_q8_check(const tgrs_kernel_call_t* call);
void tgrs_requantize_q8_run(const tgrs_kernel_call_t* call);

/* ---- Quantize / Dequantize (float; src/kernels/qdq_f32.c) -------------------------------- */

/* QuantizeLinear per tensor: y = saturate(round_half_even(x / scale) + zero_point) to i8 or u8,
 * the division in float32 as onnxruntime; NaN -> zero_point. X f32 -> Y i8/u8, same dims. */
void tgrs_quantize_f32_s8(const tgrs_tensor_t* x, const tgrs_tensor_t* y, const tgrs_qdq_params_t* p);
tgrs_status_t tgrs_quantize_f32_s8_check(const tgrs_kernel_call_t* call);
void tgrs_quantize_f32_s8_run(const tgrs_kernel_call_t* call);

/* DequantizeLinear per tensor: y = (float)(x - zero_point) * scale. X i8/u8 -> Y f32. */
void tgrs_dequantize_s8_f32(const tgrs_tensor_t* x, const tgrs_tensor_t* y, const tgrs_qdq_params_t* p);
tgrs_status_t tgrs_dequantize_s8_f32_check(const tgrs_kernel_call_t* call);
void tgrs_dequantize_s8_f32_run(const tgrs_kernel_call_t* call);

#ifdef __cplusplus
}
#endif
#endif
