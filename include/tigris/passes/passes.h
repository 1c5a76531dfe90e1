// Graph-to-graph rewrites run after import. Each pass lives in its own file under src/passes/
// whose top comment states what it rewrites and its pre/postconditions.
#pragma once

#include "tigris/ir/graph.h"
#include "tigris/support/status.h"

namespace tigris::passes {

struct PassOptions {
  bool verify_each = false;  // run Graph::Verify() after every pass (debug)
  bool dump_each = false;    // print Graph::Dump() after every pass to stderr (debug)
};

// A Transpose of a Transpose becomes one Transpose (the composed permutation); an identity
// Transpose goes away, its readers reading its input.
[[nodiscard]] Status FoldTransposes(ir::Graph& g);
// BatchNormalization after Conv folded into the Conv's weights/bias; a standalone one lowered
// to Mul + Add with constant per-channel tensors.
[[nodiscard]] Status FoldBatchNorm(ir::Graph& g);
// The erf form of GELU exported below opset 20 (x * 0.5 * (1 + Erf(x / sqrt(2))) and its
// reorderings) becomes one Gelu node when its intermediates have no other reader.
[[nodiscard]] Status FuseGelu(ir::Graph& g);
// Relu/Clip/LeakyRelu/Sigmoid/HardSigmoid/HardSwish/Tanh (and Sigmoid+Mul = SiLU) after
// Conv/ConvTranspose/Gemm/MatMul/Add/Sub/Mul/Div fused into the producer's activation attrs
// when the producer's output has no other reader.
[[nodiscard]] Status FuseActivations(ir::Graph& g);
// An AveragePool whose single window covers its whole input becomes a GlobalAveragePool (the
// same values, bit for bit; the global form can be accumulated over strips).
[[nodiscard]] Status GlobalizePools(ir::Graph& g);
// The QuantizeLinear/DequantizeLinear form of a quantized model lowered onto the int8 kernels:
// DQ -> op -> Q patterns become int8 ops with their quantization parameters (uint8 activations
// become int8, views move across Q/DQ, Q(DQ(x)) becomes a Requantize); what does not match keeps
// its float QuantizeLinear/DequantizeLinear kernels (docs/int8.md). No-op for a float model.
[[nodiscard]] Status LowerQdq(ir::Graph& g);
// The physical layout of an int8 model's tensors (ir::Tensor::layout): channels-last activations,
// OHWI / [KH][KW][O] Conv weights, [N][K] matrix weights, planar per-channel requantization tables
// (docs/int8.md, "Physical layout"); constants' bytes rewritten into that order. Not part of
// Normalize: the compiler runs it last (CompileOptions::layout "auto"). No-op for a float model.
[[nodiscard]] Status AssignLayouts(ir::Graph& g);
// Drops nodes and tensors that reach no output.
[[nodiscard]] Status EliminateDeadCode(ir::Graph& g);

// The normalize pipeline, in order: FoldTransposes, FoldBatchNorm, FuseGelu, FuseActivations, GlobalizePools,
// LowerQdq, EliminateDeadCode.
[[nodiscard]] Status Normalize(ir::Graph& g, const PassOptions& options = {});

}  // namespace tigris::passes
