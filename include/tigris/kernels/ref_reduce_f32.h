/* Reference f32 reductions and normalizations over strided views: ReduceSum/Max/Min/Prod/L1/L2/
 * LogSum/LogSumExp/SumSquare, ArgMax/ArgMin (int64 indices), LogSoftmax, LpNormalization,
 * Instance/Layer/GroupNormalization and TopK. Pure math, no allocation, no checks (callers pass
 * shapes check() accepted); every output element is computed on its own in a fixed order (below),
 * so any sub-range of outputs is bit-exact, and only the output views' elements are written. */
#ifndef TIGRIS_KERNELS_REF_REDUCE_F32_H
#define TIGRIS_KERNELS_REF_REDUCE_F32_H

#include <stdint.h>

#include "tigris/kernels/tgrs_params.h"
#include "tigris/kernels/tgrs_types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Sub-ops of the `reduce` kernel. Each keeps one float accumulator per output over the reduced
 * indices in row-major order: SUM, SUM_SQUARE (x*x), L1 (|x|), L2 (x*x, sqrtf at END) and
 * LOG_SUM (logf at END) add to 0.0f; PROD multiplies into 1.0f; MAX/MIN start from the first
 * element. Every one accumulates across strip calls (tgrs_acc_flags_t): without TGRS_ACC_BEGIN
 * the output holds the running partial (the sum, product or extreme before any finalize), and
 * TGRS_ACC_END applies the finalize (L2, LOG_SUM); so a BEGIN ... END sequence over consecutive
 * strips of the outermost reduced dim equals one call bit for bit. */
typedef enum {
  TGRS_REDUCE_SUM = 0,
  TGRS_REDUCE_SUM_SQUARE = 1,
  TGRS_REDUCE_L1 = 2,
  TGRS_REDUCE_L2 = 3,
  TGRS_REDUCE_LOG_SUM = 4,
  TGRS_REDUCE_MAX = 5,
  TGRS_REDUCE_MIN = 6,
  TGRS_REDUCE_PROD = 7
} tgrs_reduce_op_t;

/* Sub-ops of the `arg_reduce` kernel. */
typedef enum { TGRS_ARG_MAX = 0, TGRS_ARG_MIN = 1 } tgrs_arg_op_t;

/* Reduction `op` (tgrs_reduce_op_t) over the dims whose bit is set in p->axes_mask; y has the
 * keepdims layout or the reduced dims dropped (p->keepdims). p->flags/p->count as in
 * tgrs_reduce_params_t (count is unused: no reduction here divides). */
void tgrs_reduce_f32(int32_t op, const tgrs_tensor_t* x, const tgrs_tensor_t* y, const tgrs_reduce_params_t* p);

/* ReduceLogSumExp, numerically stable: per output m = max, then s = sum of expf(x - m) in
 * row-major order, y = m + logf(s) (y = m when m is infinite). Needs the whole reduction in one
 * call (flags BEGIN | END): a partial cannot carry both m and s. */
void tgrs_reduce_log_sum_exp_f32(const tgrs_tensor_t* x, const tgrs_tensor_t* y, const tgrs_reduce_params_t* p);

/* ArgMax / ArgMin (op: tgrs_arg_op_t) along p->axis: y (int64) is the index of the first extreme
 * element (strict comparison), or of the last one (>= / <=) with select_last_index. */
void tgrs_arg_reduce_f32(int32_t op, const tgrs_tensor_t* x, const tgrs_tensor_t* y,
                         const tgrs_arg_reduce_params_t* p);

/* LogSoftmax along `axis`, each line on its own: y = (x - max) - logf(sum of expf(x - max)). */
void tgrs_log_softmax_f32(const tgrs_tensor_t* x, const tgrs_tensor_t* y, int32_t axis);

/* LpNormalization along p->axis: n = sum |x| (p = 1) or sqrtf(sum x*x) (p = 2) per line, in
 * order; y = x / n, or 0 where n == 0 (as onnxruntime). */
void tgrs_lp_norm_f32(const tgrs_tensor_t* x, const tgrs_tensor_t* y, const tgrs_lp_norm_params_t* p);

/* InstanceNormalization of X [N, C, spatial...] with scale and bias [C]. Per (n, c): mean = sum /
 * count, var = sum of (x - mean)^2 / count (row-major), y = (x - mean) / sqrtf(var + eps) *
 * scale[c] + bias[c]. */
void tgrs_instance_norm_f32(const tgrs_tensor_t* x, const tgrs_tensor_t* scale, const tgrs_tensor_t* bias,
                            const tgrs_tensor_t* y, const tgrs_norm_params_t* p);

/* LayerNormalization over dims p->axis..rank-1 of X, per index of the dims before: mean and var
 * as above, inv = 1 / sqrtf(var + eps), y = (x - mean) * inv * scale + bias, where scale and bias
 * (bias may be NULL) broadcast unidirectionally to X's normalized dims (numpy, from the right).
 * mean and inv_std (each may be NULL) have X's rank with extent 1 from p->axis on. */
void tgrs_layer_norm_f32(const tgrs_tensor_t* x, const tgrs_tensor_t* scale, const tgrs_tensor_t* bias,
                         const tgrs_tensor_t* y, const tgrs_tensor_t* mean, const tgrs_tensor_t* inv_std,
                         const tgrs_norm_params_t* p);

/* GroupNormalization of X [N, C, spatial...] in p->num_groups groups of consecutive channels,
 * with per-channel scale and bias [C]: per (n, group) mean and var over its channels and
 * spatial dims (row-major), y = (x - mean) / sqrtf(var + eps) * scale[c] + bias[c]. */
void tgrs_group_norm_f32(const tgrs_tensor_t* x, const tgrs_tensor_t* scale, const tgrs_tensor_t* bias,
                         const tgrs_tensor_t* y, const tgrs_norm_params_t* p);

/* TopK along p->axis (tgrs_topk_params_t): values (f32) and indices (int64) of the k largest or
 * smallest elements per line, best first, ties in increasing index order. Computed by insertion
 * straight into the output views (no scratch): O(n * k) per line. */
void tgrs_topk_f32(const tgrs_tensor_t* x, const tgrs_tensor_t* values, const tgrs_tensor_t* indices,
                   const tgrs_topk_params_t* p);

#ifdef __cplusplus
}
#endif
#endif
