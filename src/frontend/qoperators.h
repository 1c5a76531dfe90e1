// Internal to the frontend: QOperator import. A quantized model in "QOperator" form (ONNX's
// QLinearConv, QLinearMatMul, ConvInteger, MatMulInteger and the com.microsoft ops onnxruntime's
// optimizer writes, NHWC `channels_last` forms included) is rewritten, before anything else
// reads it, into the QDQ form the rest of the pipeline already imports and passes::LowerQdq
// lowers onto the int8 kernels: DequantizeLinear on every quantized input, the float op,
// QuantizeLinear on the output (docs/int8.md, "QOperator models"). Included by onnx_model.cpp
// and qoperators.cpp only.
#pragma once

#include <onnx/onnx_pb.h>

#include <string>

#include "tigris/support/status.h"

namespace tigris::frontend {

// Whether (domain, op) is a QOperator node that ExpandQOperators rewrites.
bool IsQOperator(const std::string& domain, const std::string& op);

// Rewrites every QOperator node of `model` in place into default-domain nodes valid at the
// model's opset (10 or later), keeping the node's output names. Errors name the node, its op
// and the reason (a scale that is not a constant, an NHWC node of unknown rank, integer
// accumulation that float32 could not carry exactly, ...).
[[nodiscard]] Status ExpandQOperators(onnx::ModelProto& model);

}  // namespace tigris::frontend
