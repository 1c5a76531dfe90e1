// The traits of every op kind, generated from the rows of include/tigris/ops.def: how the
// frontend imports it, which params record the emitter writes, which inputs are runtime
// operands, whether it is a view, a fusable activation or producer, and how the tiler maps its
// windows. Header-only and constexpr, so any stage (and any test) can read it without linking.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>

#include "tigris/ir/graph.h"
#include "tigris/kernels/tgrs_params.h"

namespace tigris::ir {

// How the frontend maps an ONNX node of this kind (ops.def, column `import`).
enum class Import : uint8_t {
  kPlain,     // the ONNX node's inputs in order, no attributes
  kCustom,    // the mapper's own function for this kind
  kInternal,  // never imported: inserted by the compiler
};

// The tgrs_*_params_t record the emitter writes (column `params`); kNone: never in a plan.
enum class ParamsFamily : uint8_t {
  kNone,
  kEmpty,       // tgrs_empty_params_t
  kConv,        // tgrs_conv_params_t
  kGemm,        // tgrs_gemm_params_t
  kAct,         // tgrs_act_params_t (binary elementwise, MatMul)
  kUnary,       // tgrs_unary_params_t
  kAxis,        // tgrs_axis_params_t
  kPool,        // tgrs_pool_params_t
  kGlobalPool,  // tgrs_global_pool_params_t
  kReduce,      // tgrs_reduce_params_t
  kSlice,       // tgrs_slice_params_t
  kTranspose,   // tgrs_transpose_params_t
  kPad,         // tgrs_pad_params_t
  kResize,      // tgrs_resize_params_t
  kArgReduce,   // tgrs_arg_reduce_params_t
  kDepthSpace,  // tgrs_depth_space_params_t
  kLpNorm,      // tgrs_lp_norm_params_t
  kNorm,        // tgrs_norm_params_t
  kTopK,        // tgrs_topk_params_t
  kRnn,         // tgrs_rnn_params_t (LSTM, GRU, RNN)
  kQdq,         // tgrs_qdq_params_t (QuantizeLinear, DequantizeLinear)
};

// Which IR inputs are runtime operands (column `inputs`).
enum class InputUse : uint8_t {
  kAll,       // every input
  kDataOnly,  // only input 0; the others were folded into attributes
};

// Where the output lives (column `out`).
enum class Output : uint8_t {
  kOwn,   // its own buffer
  kView,  // the bytes of input 0 under a new shape; the planner aliases them where legal
};

// How an output window maps to input windows (column `tile`, docs/tiling.md).
enum class TileClass : uint8_t {
  kNone,         // never tiled
  kWindowed,     // sliding window along spatial axes (Conv, MaxPool, AveragePool)
  kElementwise,  // one same-shape input; an axis maps to itself
  kBroadcast,    // numpy broadcasting; an axis maps to itself or to the whole input
  kAxis,         // any axis but the op's `axis` attribute maps to itself
  kReduction,    // any axis it does not reduce maps to itself; may accumulate along a reduced one
  kOwnRule,      // a rule written for this op in receptive_field.cpp
};

struct OpTraits {
  OpKind kind;
  const char* name;       // as in ONNX and in dumps
  const char* onnx_name;  // the ONNX op type the frontend maps to this kind (kInternal: none)
  uint16_t code;          // plan code
  Import import;
  ParamsFamily params;
  InputUse inputs;
  Output out;
  int32_t act;            // tgrs_act_kind_t when fused into a producer, TGRS_ACT_NONE if not an activation
  TileClass tile;

  // The params record carries a tgrs_act_t, so FuseActivations may fold an activation into it.
  constexpr bool fusable_producer() const {
    return params == ParamsFamily::kConv || params == ParamsFamily::kGemm || params == ParamsFamily::kAct;
  }
  constexpr bool fusable_activation() const { return act != TGRS_ACT_NONE; }
  constexpr bool view() const { return out == Output::kView; }
  constexpr bool in_plans() const { return params != ParamsFamily::kNone; }
  constexpr bool imported() const { return import != Import::kInternal; }
};

inline constexpr OpTraits kOpTraits[] = {
#define TIGRIS_OP_TRAITS(name_, onnx_, code_, import_, params_, kernel_, subop_, inputs_, out_, act_, tile_) \
  {OpKind::k##name_, #name_, onnx_, code_, Import::k##import_, ParamsFamily::k##params_, InputUse::k##inputs_,  \
   Output::k##out_, act_, TileClass::k##tile_},
#include "tigris/ops.def"
#undef TIGRIS_OP_TRAITS
};
inline constexpr size_t kOpCount = sizeof(kOpTraits) / sizeof(kOpTraits[0]);

namespace detail {
// Rows are in increasing code order and each kind's value is its code. Codes may leave gaps (a
// branch appends rows at a code range of its own; docs/ir.md), so lookups go through kRowOfCode.
constexpr bool CodesIncrease() {
  for (size_t i = 0; i < kOpCount; ++i) {
    if (kOpTraits[i].code < 1 || static_cast<size_t>(kOpTraits[i].kind) != kOpTraits[i].code) return false;
    if (i > 0 && kOpTraits[i].code <= kOpTraits[i - 1].code) return false;
  }
  return true;
}
}  // namespace detail
static_assert(detail::CodesIncrease(), "ops.def: plan codes must increase from row to row (and start at 1)");

// One past the largest plan code (TGRS_OP_COUNT).
inline constexpr size_t kOpCodeEnd = static_cast<size_t>(kOpTraits[kOpCount - 1].code) + 1;

namespace detail {
struct RowIndex {
  int16_t row[kOpCodeEnd];  // code -> index into kOpTraits, -1 for a code without a row
};
constexpr RowIndex MakeRowIndex() {
  RowIndex r{};
  for (size_t c = 0; c < kOpCodeEnd; ++c) r.row[c] = -1;
  for (size_t i = 0; i < kOpCount; ++i) r.row[kOpTraits[i].code] = static_cast<int16_t>(i);
  return r;
}
inline constexpr RowIndex kRowOfCode = MakeRowIndex();
}  // namespace detail

// Whether `kind` is a row of ops.def (an OpKind cast from a number may not be).
constexpr bool IsKnownOp(OpKind kind) {
  const auto c = static_cast<size_t>(kind);
  return c < kOpCodeEnd && detail::kRowOfCode.row[c] >= 0;
}

// What an unknown kind has: nothing (not imported, not in plans, no fusion, never tiled).
inline constexpr OpTraits kUnknownOpTraits = {OpKind{0}, "?", "", 0, Import::kInternal, ParamsFamily::kNone,
                                              InputUse::kAll, Output::kOwn, TGRS_ACT_NONE, TileClass::kNone};

// The row of `kind` (kUnknownOpTraits for a value that is not a row).
constexpr const OpTraits& Traits(OpKind kind) {
  return IsKnownOp(kind) ? kOpTraits[static_cast<size_t>(detail::kRowOfCode.row[static_cast<size_t>(kind)])]
                         : kUnknownOpTraits;
}

// ---- The int8 kernel table (include/tigris/ops_s8.def) -------------------------------------

// The int8 params record an op's int8 kernel takes (ops_s8.def column `params`).
enum class ParamsS8 : uint8_t {
  kNone,             // no int8 kernel
  kConvS8,           // tgrs_conv_s8_params_t
  kGemmS8,           // tgrs_gemm_s8_params_t
  kMatMulS8,         // tgrs_matmul_s8_params_t
  kAddS8,            // tgrs_add_s8_params_t (Add, Sub)
  kMulS8,            // tgrs_mul_s8_params_t
  kPoolS8,           // tgrs_pool_s8_params_t
  kGlobalAvgPoolS8,  // tgrs_global_avgpool_s8_params_t
  kGlobalMaxPoolS8,  // tgrs_global_maxpool_s8_params_t
  kSoftmaxS8,        // tgrs_softmax_s8_params_t
  kRequantizeS8,     // tgrs_requantize_s8_params_t
  kResizeNearestS8,  // tgrs_resize_nearest_s8_params_t
  kPadS8,            // tgrs_pad_s8_params_t
  kLut,              // tgrs_empty_params_t; the 256-entry table is input 1
  kAxis,             // tgrs_axis_params_t (Concat, Split)
  kSlice,            // tgrs_slice_params_t
  kTranspose,        // tgrs_transpose_params_t
};

struct OpTraitsS8 {
  OpKind kind;
  ParamsS8 params;
};

inline constexpr OpTraitsS8 kOpTraitsS8[] = {
#define TIGRIS_OP_S8(name_, params_, kernel_) {OpKind::k##name_, ParamsS8::k##params_},
#include "tigris/ops_s8.def"
#undef TIGRIS_OP_S8
};

// The int8 params record of `kind`, kNone when it has no int8 kernel.
constexpr ParamsS8 S8ParamsOf(OpKind kind) {
  for (const OpTraitsS8& t : kOpTraitsS8)
    if (t.kind == kind) return t.params;
  return ParamsS8::kNone;
}
constexpr bool HasS8Kernel(OpKind kind) { return S8ParamsOf(kind) != ParamsS8::kNone; }

// Whether kernel input k of an int8 op of `kind` is a quantization table (requantization
// multipliers and shifts, zero points, a lookup or index table) rather than data or weights:
// inputs 3.. of Conv/Gemm/MatMul, inputs 1.. of a LUT op or a nearest Resize. What analyze and
// inspect count as quant_table_bytes.
constexpr bool IsQuantTableInput(OpKind kind, size_t k) {
  const ParamsS8 p = S8ParamsOf(kind);
  if (p == ParamsS8::kConvS8 || p == ParamsS8::kGemmS8 || p == ParamsS8::kMatMulS8) return k >= 3;
  return k >= 1 && (p == ParamsS8::kLut || p == ParamsS8::kResizeNearestS8);
}

// Whether a node of `kind` can be written to a plan at all (a float or an int8 kernel).
constexpr bool InPlans(OpKind kind) { return Traits(kind).in_plans() || HasS8Kernel(kind); }

// The kernel table a node runs in, the dtype its plan op record carries: kI8 when its kind has an
// int8 kernel and its first input is int8 or uint8 (a quantized tensor), else kF32 (the float
// kernels of ops.def, which also move integer and bool tensors). One rule shared by the emitter,
// the scratch query and the tiler.
inline DType KernelDTypeOf(const Graph& g, const Node& n) {
  if (!HasS8Kernel(n.kind) || n.inputs.empty() || n.inputs[0] == kNoTensor) return DType::kF32;
  const DType t = g.tensor(n.inputs[0]).dtype;
  return t == DType::kI8 || t == DType::kU8 ? DType::kI8 : DType::kF32;
}

// The two float operands (a, b) of a unary op, from its canonical attributes (docs/ir.md), as
// the kernel's tgrs_unary_params_t and a fused tgrs_act_t carry them: Clip min/max, LeakyRelu
// alpha, HardSigmoid alpha/beta, Elu/Celu alpha, Selu alpha/gamma, Gelu approximate (1 = tanh);
// 0 for ops without operands. The one place that knows which
// attribute is which operand, shared by the emitter and FuseActivations.
struct UnaryOperands {
  float a = 0.f, b = 0.f;
};
inline UnaryOperands UnaryOperandsOf(const Node& n) {
  constexpr float kInf = std::numeric_limits<float>::infinity();
  switch (n.kind) {
    case OpKind::kClip: return {n.GetFloat("min", -kInf), n.GetFloat("max", kInf)};
    case OpKind::kLeakyRelu: return {n.GetFloat("alpha", 0.01f), 0.f};
    case OpKind::kHardSigmoid: return {n.GetFloat("alpha", 0.2f), n.GetFloat("beta", 0.5f)};
    case OpKind::kElu:
    case OpKind::kCelu: return {n.GetFloat("alpha", 1.f), 0.f};
    case OpKind::kSelu: return {n.GetFloat("alpha", 1.67326319217681884765625f), n.GetFloat("gamma", 1.05070102214813232421875f)};
    case OpKind::kGelu: return {n.GetInt("approximate", 0) != 0 ? 1.f : 0.f, 0.f};
    default: return {};
  }
}

}  // namespace tigris::ir
