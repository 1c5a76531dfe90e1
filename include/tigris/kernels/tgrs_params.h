/* Per-op parameter records. The emitter writes exactly these structs into the plan and the
 * runtime hands a pointer to them to the kernel. Every field is 4 bytes (int32_t or float), so
 * the layout is the same on every little-endian target without padding. Append fields only at
 * the end and bump the plan format version when a struct changes. */
#ifndef TIGRIS_KERNELS_TGRS_PARAMS_H
#define TIGRIS_KERNELS_TGRS_PARAMS_H

#include "tigris/kernels/tgrs_types.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
  TGRS_ACT_NONE = 0,
  TGRS_ACT_RELU = 1,
  TGRS_ACT_CLIP = 2,         /* a = min, b = max */
  TGRS_ACT_LEAKY_RELU = 3,   /* a = alpha */
  TGRS_ACT_SIGMOID = 4,
  TGRS_ACT_HARD_SIGMOID = 5, /* a = alpha, b = beta */
  TGRS_ACT_HARD_SWISH = 6,
  TGRS_ACT_TANH = 7,
  TGRS_ACT_SILU = 8          /* x * sigmoid(x) (Sigmoid + Mul fused) */
} tgrs_act_kind_t;

/* Activation fused into the producing op, applied to each output element. */
typedef struct {
  int32_t kind; /* tgrs_act_kind_t */
  float a;
  float b;
} tgrs_act_t;

/* Conv and ConvTranspose. 1-D ops (rank-3 tensors N,C,W) use the *_w fields with
 * kernel_h = stride_h = dilation_h = 1 and pad_top = pad_bottom = 0.
 * Inputs: X, W, optional B. ConvTranspose: output dims come from the output tensor
 * (output_padding/output_shape already resolved by the compiler). */
typedef struct {
  int32_t kernel_h, kernel_w;
  int32_t stride_h, stride_w;
  int32_t dilation_h, dilation_w;
  int32_t pad_top, pad_left, pad_bottom, pad_right;
  int32_t group;
  tgrs_act_t act;
} tgrs_conv_params_t;

/* Gemm: Y = alpha * A' * B' + beta * C, C broadcast to Y (unidirectional). */
typedef struct {
  int32_t trans_a, trans_b;
  float alpha, beta;
  tgrs_act_t act;
} tgrs_gemm_params_t;

/* MatMul (numpy semantics incl. batch broadcasting and 1-D operands) and the binary
 * elementwise ops Add/Sub/Mul/Div (numpy multidirectional broadcasting). */
typedef struct {
  tgrs_act_t act;
} tgrs_act_params_t;

/* Unary elementwise: Relu, Clip (a=min, b=max), LeakyRelu (a=alpha), Sigmoid,
 * HardSigmoid (a=alpha, b=beta), HardSwish, Tanh, Exp, Neg. */
typedef struct {
  float a, b;
} tgrs_unary_params_t;

/* Softmax over one axis (opset >= 13 semantics), axis in [0, rank). */
typedef struct {
  int32_t axis;
} tgrs_axis_params_t; /* also Concat and Split */

/* MaxPool / AveragePool, 1-D (rank 3) or 2-D (rank 4), same conventions as conv. Output dims
 * (incl. ceil_mode) come from the output tensor. count_include_pad counts padded positions
 * (clipped to the padded input) in the AveragePool divisor. */
typedef struct {
  int32_t kernel_h, kernel_w;
  int32_t stride_h, stride_w;
  int32_t dilation_h, dilation_w;
  int32_t pad_top, pad_left, pad_bottom, pad_right;
  int32_t count_include_pad;
} tgrs_pool_params_t;

/* Accumulation flags of the reductions (GlobalAveragePool, GlobalMaxPool, ReduceMean), so one
 * reduction can run as a sequence of calls over consecutive strips of its reduced extent:
 * BEGIN starts a fresh accumulator; without it the output view holds the running partial (sum,
 * or max) the previous call left and the call goes on accumulating over its input view. END
 * finalizes (the means divide by `count`, the element count of the WHOLE reduction); without it
 * the call leaves the partial in the output. An untiled call is BEGIN | END with count = the
 * reduced element count of its input. */
typedef enum { TGRS_ACC_BEGIN = 1, TGRS_ACC_END = 2 } tgrs_acc_flags_t;

/* GlobalAveragePool / GlobalMaxPool over dims 2.. of X; strips split dim 2 (or, rank 3, W). */
typedef struct {
  int32_t flags; /* tgrs_acc_flags_t bits */
  int32_t count; /* spatial element count of the whole reduction (divisor of the average) */
} tgrs_global_pool_params_t;

/* ReduceMean: bit d of axes_mask set = dim d reduced. Output has the input's rank when
 * keepdims, otherwise the reduced dims dropped (the output tensor tells which). flags/count as
 * in tgrs_global_pool_params_t; strips split the outermost reduced dim. */
typedef struct {
  int32_t axes_mask;
  int32_t keepdims;
  int32_t flags; /* tgrs_acc_flags_t bits */
  int32_t count; /* reduced element count of the whole reduction (the divisor) */
} tgrs_reduce_params_t;

/* Slice, normalized by the compiler to every input dim: out[i] = in[start[d] + i * step[d]],
 * steps may be negative; the output dims give the counts. */
typedef struct {
  int32_t start[TGRS_MAX_RANK];
  int32_t step[TGRS_MAX_RANK];
} tgrs_slice_params_t;

/* Transpose: out dim i = in dim perm[i]. */
typedef struct {
  int32_t perm[TGRS_MAX_RANK];
} tgrs_transpose_params_t;

typedef enum {
  TGRS_PAD_CONSTANT = 0,
  TGRS_PAD_REFLECT = 1,
  TGRS_PAD_EDGE = 2,
  TGRS_PAD_WRAP = 3
} tgrs_pad_mode_t;

/* Pad: pad_begin[d] elements before dim d (negative = crop); the end padding follows from
 * the output dims. */
typedef struct {
  int32_t mode;
  float value;
  int32_t pad_begin[TGRS_MAX_RANK];
} tgrs_pad_params_t;

typedef enum { TGRS_RESIZE_NEAREST = 0, TGRS_RESIZE_LINEAR = 1, TGRS_RESIZE_CUBIC = 2 } tgrs_resize_mode_t;
typedef enum {
  TGRS_COORD_HALF_PIXEL = 0,
  TGRS_COORD_ASYMMETRIC = 1,
  TGRS_COORD_ALIGN_CORNERS = 2,
  TGRS_COORD_PYTORCH_HALF_PIXEL = 3,
  TGRS_COORD_TF_HALF_PIXEL_FOR_NN = 4,
  TGRS_COORD_HALF_PIXEL_SYMMETRIC = 5
} tgrs_coord_mode_t;
typedef enum {
  TGRS_NEAREST_ROUND_PREFER_FLOOR = 0,
  TGRS_NEAREST_ROUND_PREFER_CEIL = 1,
  TGRS_NEAREST_FLOOR = 2,
  TGRS_NEAREST_CEIL = 3
} tgrs_nearest_mode_t;

/* Resize / Upsample. scale[d] is the ONNX scale of dim d (out/in when sizes were given),
 * used in the coordinate transform.
 * Window: the call computes the outputs whose GLOBAL index along dim d is out_origin[d] + i
 * (0 <= i < y.dims[d]) exactly as a full Resize from in_full[d] to out_full[d] elements would
 * (coordinates, clamping and cubic exclude_outside in global coordinates), reading global input
 * index j at local index j - in_origin[d] of X. Untiled: origins 0, *_full = the tensors' dims. */
typedef struct {
  int32_t mode;          /* tgrs_resize_mode_t */
  int32_t coord_mode;    /* tgrs_coord_mode_t */
  int32_t nearest_mode;  /* tgrs_nearest_mode_t */
  float cubic_coeff_a;
  int32_t exclude_outside;
  float scale[TGRS_MAX_RANK];
  int32_t in_origin[TGRS_MAX_RANK];  /* global index of X's local index 0 */
  int32_t out_origin[TGRS_MAX_RANK]; /* global index of Y's local index 0 */
  int32_t in_full[TGRS_MAX_RANK];    /* input length of the whole Resize */
  int32_t out_full[TGRS_MAX_RANK];   /* output length of the whole Resize */
} tgrs_resize_params_t;

/* Ops without parameters (Reshape, Copy) carry this. */
typedef struct {
  int32_t reserved;
} tgrs_empty_params_t;

/* The reductions ReduceSum/Max/Min/Prod/L1/L2/LogSum/LogSumExp/SumSquare carry
 * tgrs_reduce_params_t (above) like ReduceMean. Gather and GatherElements carry
 * tgrs_axis_params_t (the gathered axis). */

/* ArgMax / ArgMin over `axis`: int64 index of the first extreme element along it (the last one
 * with select_last_index); the output keeps the axis as extent 1 (keepdims) or drops it. */
typedef struct {
  int32_t axis;
  int32_t keepdims;
  int32_t select_last_index;
} tgrs_arg_reduce_params_t;

typedef enum { TGRS_DEPTH_SPACE_DCR = 0, TGRS_DEPTH_SPACE_CRD = 1 } tgrs_depth_space_mode_t;

/* DepthToSpace (mode DCR or CRD) and SpaceToDepth (mode 0) on N,C,H,W tensors. */
typedef struct {
  int32_t blocksize;
  int32_t mode; /* tgrs_depth_space_mode_t */
} tgrs_depth_space_params_t;

/* LpNormalization along `axis`: y = x / (sum over the axis of |x|^p)^(1/p), p = 1 or 2. */
typedef struct {
  int32_t axis;
  int32_t p;
} tgrs_lp_norm_params_t;

/* InstanceNormalization (per n, c over dims 2..), LayerNormalization (over dims axis..rank-1,
 * per index of the dims before), GroupNormalization (per n and group of C / num_groups channels
 * over those channels and dims 2..): (x - mean) / sqrt(var + epsilon) * scale + bias. */
typedef struct {
  int32_t axis;       /* LayerNormalization: the first normalized dim; 0 otherwise */
  float epsilon;
  int32_t num_groups; /* GroupNormalization; 0 otherwise */
} tgrs_norm_params_t;

/* TopK along `axis`: the k largest (largest = 1) or smallest elements of every line, in order
 * (ties: lower index first), values to output 0 and their int64 indices to output 1. `sorted`
 * is recorded; the output is always sorted. */
typedef struct {
  int32_t axis;
  int32_t k;
  int32_t largest;
  int32_t sorted;
} tgrs_topk_params_t;
/* Recurrent layers: LSTM, GRU and RNN share one record (the row's sub-op code, tgrs_rnn_cell_t
 * in ref_f32.h, says which cell). Activation functions as ONNX lists them for these ops; alpha
 * and beta are used by the kinds noted. */
typedef enum {
  TGRS_RNN_ACT_SIGMOID = 0,
  TGRS_RNN_ACT_TANH = 1,
  TGRS_RNN_ACT_RELU = 2,
  TGRS_RNN_ACT_HARD_SIGMOID = 3,     /* min(max(alpha*x + beta, 0), 1) */
  TGRS_RNN_ACT_LEAKY_RELU = 4,       /* x >= 0 ? x : alpha*x */
  TGRS_RNN_ACT_THRESHOLDED_RELU = 5, /* x > alpha ? x : 0 */
  TGRS_RNN_ACT_AFFINE = 6,           /* alpha*x + beta */
  TGRS_RNN_ACT_SCALED_TANH = 7,      /* alpha*tanh(beta*x) */
  TGRS_RNN_ACT_ELU = 8,              /* x >= 0 ? x : alpha*(exp(x) - 1) */
  TGRS_RNN_ACT_SOFTSIGN = 9,         /* x/(1 + |x|) */
  TGRS_RNN_ACT_SOFTPLUS = 10         /* log(1 + exp(x)) */
} tgrs_rnn_act_kind_t;

typedef enum { TGRS_RNN_FORWARD = 0, TGRS_RNN_REVERSE = 1, TGRS_RNN_BIDIRECTIONAL = 2 } tgrs_rnn_direction_t;

/* Bits of tgrs_rnn_params_t.outputs: which ONNX outputs the call's outputs are, in this order. */
typedef enum { TGRS_RNN_OUT_Y = 1, TGRS_RNN_OUT_Y_H = 2, TGRS_RNN_OUT_Y_C = 4 } tgrs_rnn_output_t;

#define TGRS_RNN_MAX_ACTS 6 /* 3 functions per direction, 2 directions */

typedef struct {
  int32_t kind; /* tgrs_rnn_act_kind_t */
  float alpha;
  float beta;
} tgrs_rnn_act_t;

/* Inputs: X, W, R, optional B, sequence_lens (int32 [batch]), initial_h, and for LSTM initial_c
 * and P, in ONNX's order (an omitted one is a zeroed view). Outputs: the subset `outputs` names.
 * layout 0: X [T, B, I], Y [T, D, B, H], initial_h/initial_c/Y_h/Y_c [D, B, H];
 * layout 1: X [B, T, I], Y [B, T, D, H], the states [B, D, H] (D = 2 if bidirectional).
 * act[3*d + k] is direction d's k-th function: f, g, h (LSTM), f, g (GRU), f (RNN); unused
 * entries hold a valid kind. clip bounds every gate pre-activation to [-clip, clip]; +inf = none. */
typedef struct {
  int32_t hidden_size;
  int32_t direction;           /* tgrs_rnn_direction_t */
  int32_t layout;              /* 0 or 1 */
  int32_t outputs;             /* tgrs_rnn_output_t bits */
  float clip;                  /* >= 0 */
  int32_t input_forget;        /* LSTM: 1 couples the forget gate to the input gate, f = 1 - i */
  int32_t linear_before_reset; /* GRU: 1 applies Rh before the reset gate */
  tgrs_rnn_act_t act[TGRS_RNN_MAX_ACTS];
} tgrs_rnn_params_t;

#ifdef __cplusplus
}
#endif
#endif
