// Internal to the frontend: models written at opsets 18..21, which Debian's onnx 1.12 (schemas,
// converter and shape inference up to 17) does not know. Such a model is brought to opset-17
// forms by our own rewrites and given our own shape rules where no opset-17 form exists
// (docs/frontend.md, "Opsets 18 to 21"). Included by onnx_model.cpp and newer_opsets.cpp only.
#pragma once

#include <onnx/onnx_pb.h>

#include <cstdint>
#include <map>
#include <set>
#include <string>

#include "tigris/ir/graph.h"
#include "tigris/support/status.h"

namespace tigris::frontend {

// The newest opset TiGrIS imports; a model above it is refused naming its opset.
constexpr int64_t kNewestOpset = 21;

// Nodes that are not (yet) in an opset-17 form sit in this private domain, so onnx's shape
// inference skips them instead of inferring them by the wrong (opset-17) rules. Extract() puts
// them back into the default domain.
constexpr const char* kPendingDomain = "ai.tigris.pending";

// The opset that introduced `op` if it is a default-domain op that onnx 1.12 has no schema for
// (one of 18..21), else 0.
int64_t OpIntroducedAfter17(const std::string& op);
// Whether the frontend has its own shape rule for such a new op (then the mapper decides
// whether it is supported; without one the op is refused at parse time).
bool HasOwnShapeRule(const std::string& op);

// What the rewrites of one model remember between inference rounds.
struct NewerOpsetState {
  int64_t opset = 0;  // the model's opset as written (18..21)
  // Nodes (by name) kept in kPendingDomain, each with why it is not in an opset-17 form. OK
  // means it legitimately has none and our shape rule types its outputs (new ops, a dilated
  // AveragePool-19); an error is what the mapper reports if it never gets rewritten.
  std::map<std::string, Status> pending;
  // Output types our shape rules found, re-inserted into value_info before every inference.
  std::map<std::string, onnx::TypeProto> own_types;
};

// Rewrites every node of a model written at opset 18..21 that can now be put in its exact
// opset-17 form, using constants (initializers, Constant nodes) and the shapes the last
// inference found; parks the others in kPendingDomain (and rewrites them on a later call once
// folding or inference has found what they need). Idempotent; returns whether anything changed.
bool NormalizeToOpset17(onnx::ModelProto& model, NewerOpsetState& state);
// Default-domain ops onnx 1.12 knows but infers incompletely, for which our shape rule runs at
// every opset: Einsum (onnx infers only its output's rank).
bool CompletesOnnxInference(const std::string& op);
// Runs our shape rules on the parked nodes, and on the nodes of CompletesOnnxInference ops,
// whose inputs are typed now; adds what they find to state.own_types and to the graph's
// value_info (onnx's inference keeps those dims). Returns whether anything new was found.
bool ApplyOwnShapeRules(onnx::ModelProto& model, NewerOpsetState& state);

// TensorProto -> constant ir::Tensor (onnx_model.cpp); `context` prefixes error messages.
Expected<ir::Tensor> TensorFromProto(const onnx::TensorProto& tp, const std::string& context);

}  // namespace tigris::frontend
