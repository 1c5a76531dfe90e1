// ONNX import pipeline: parse -> bind input dims -> upgrade to opset 17 -> infer shapes ->
// fold constants until nothing changes (re-inferring after each round) -> map to the IR.
// The result verify()s, has only static shapes and only ops.def kinds.
#include "tigris/frontend/onnx_importer.h"

#include <fstream>
#include <map>
#include <sstream>

#include "raw_model.h"
#include "tigris/support/log.h"

namespace tigris::frontend {

namespace {
// Folding rounds: each round can unlock shapes (and so more folding) downstream.
constexpr int kMaxFoldRounds = 16;

bool HasUnknownShapes(const RawModel& raw) {
  for (const auto& n : raw.nodes)
    for (const auto& out : n.outputs) {
      if (out.empty()) continue;
      auto it = raw.values.find(out);
      if (it == raw.values.end() || !it->second.Static()) return true;
    }
  return false;
}
}  // namespace

Expected<ir::Graph> ImportOnnxBytes(const std::string& bytes, const ImportOptions& options) {
  TIGRIS_ASSIGN_OR_RETURN(auto model, OnnxModel::Parse(bytes));
  // Inputs are bound before the upgrade: the version converter bakes the shapes it knows into
  // what it builds (Softmax 12->13 inserts a Reshape to the input's shape), so they must be the
  // final, concrete ones.
  TIGRIS_RETURN_IF_ERROR(model->BindInputs(options));
  TIGRIS_RETURN_IF_ERROR(model->Upgrade());
  // Inference runs plain first; our folder handles the usual Shape->...->Reshape chains. If
  // shapes are still missing once nothing folds, onnx's data propagation gets a turn (it is
  // only safe once every node input has a shape), and stays on for later rounds.
  // A shape-inference failure is reported only if the mapper cannot do without the shapes it
  // left out: an unsupported op further down is the more useful message.
  bool data_prop = false;
  Status inferred = model->InferShapes(data_prop);
  TIGRIS_ASSIGN_OR_RETURN(RawModel raw, model->Extract());
  // The quantization of folded DequantizeLinear results (the ONNX model that goes through the
  // next inference round cannot carry it): put back on the constants before mapping.
  std::map<std::string, ir::QuantParams> quant_of;
  for (int round = 0; round < kMaxFoldRounds && inferred.ok(); ++round) {
    TIGRIS_ASSIGN_OR_RETURN(FoldResult folded, FoldConstants(raw));
    if (folded.folded_proto_indices.empty()) {
      if (data_prop || !HasUnknownShapes(raw) || !model->SafeForDataPropagation()) break;
      data_prop = true;
      TIGRIS_LOG_DEBUG("import: shapes still unknown, shape inference with data propagation");
    } else {
      TIGRIS_LOG_INFO("import: constant folding round {}: {} nodes folded", round + 1,
                      folded.folded_proto_indices.size());
      for (const ir::Tensor& t : folded.values)
        if (!t.quant.empty()) quant_of[t.name] = t.quant;
      TIGRIS_RETURN_IF_ERROR(model->ReplaceByConstants(folded.folded_proto_indices, folded.values));
    }
    inferred = model->InferShapes(data_prop && model->SafeForDataPropagation());
    TIGRIS_ASSIGN_OR_RETURN(raw, model->Extract());
  }
  for (const auto& [name, q] : quant_of)
    if (auto it = raw.constants.find(name); it != raw.constants.end() && it->second.dtype == ir::DType::kF32)
      it->second.quant = q;
  auto mapped = MapToIr(raw);
  if (!mapped.ok()) {
    if (!inferred.ok() && mapped.status().code() != ErrorCode::kUnsupported) return inferred;
    return mapped.status();
  }
  if (!inferred.ok()) return inferred;
  ir::Graph graph = std::move(mapped).value();
  TIGRIS_LOG_INFO("import: {} ops, {} tensors ({} inputs, {} outputs)", graph.nodes.size(), graph.tensors.size(),
                  graph.inputs.size(), graph.outputs.size());
  Status verified = graph.Verify();
  if (!verified.ok()) return Internal("import produced an invalid graph: " + verified.message());
  return graph;
}

Expected<ir::Graph> ImportOnnxFile(const std::string& path, const ImportOptions& options) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return IoError("cannot open " + path);
  std::stringstream ss;
  ss << f.rdbuf();
  if (f.bad()) return IoError("cannot read " + path);
  auto g = ImportOnnxBytes(ss.str(), options);
  if (!g.ok()) return Status(g.status().code(), path + ": " + g.status().message());
  return g;
}

}  // namespace tigris::frontend
