// ONNX -> IR. Loads with the onnx protobuf library, upgrades to the canonical opset with the
// version converter, infers shapes, binds symbolic dims, folds constant subgraphs and maps
// every node to an ops.def kind with canonical attributes (docs/frontend.md). Unsupported ops
// are rejected here, naming the node and op type.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "tigris/ir/graph.h"
#include "tigris/support/status.h"

namespace tigris::frontend {

constexpr int64_t kCanonicalOpset = 17;

struct ImportOptions {
  // Shapes the user binds for graph inputs ("input" -> {1,3,96,96}); any other symbolic or
  // unknown dim is bound to 1.
  std::map<std::string, std::vector<int64_t>> input_shapes;
  // Graph inputs frozen to constant values before anything else (e.g. the `shape`, `starts`
  // or `scales` inputs that ONNX's node tests feed at run time). Each name must be a graph
  // input; the tensor's dtype and rank must match the declared ones.
  std::map<std::string, ir::Tensor> constant_inputs;
};

[[nodiscard]] Expected<ir::Graph> ImportOnnxFile(const std::string& path, const ImportOptions& options = {});
[[nodiscard]] Expected<ir::Graph> ImportOnnxBytes(const std::string& bytes, const ImportOptions& options = {});

// The ONNX op types (default domain) the frontend maps to IR nodes: the ONNX name of every
// imported ops.def row plus the mapper's aliases (Upsample, Flatten, Squeeze, Unsqueeze,
// Identity, Dropout). Sorted. Helper ops the constant folder evaluates are not listed.
[[nodiscard]] std::vector<std::string> SupportedOnnxOps();

// ONNX TensorProto files (.pb, as in ONNX's test data) <-> ir::Tensor (constant, with data).
[[nodiscard]] Expected<ir::Tensor> ReadTensorProtoFile(const std::string& path);
[[nodiscard]] Status WriteTensorProtoFile(const std::string& path, const ir::Tensor& tensor);

}  // namespace tigris::frontend
