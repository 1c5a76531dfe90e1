// Internal to the frontend: an onnx-free snapshot of an ONNX graph (nodes, attributes,
// constants, inferred value types) so that only onnx_model.cpp includes the slow onnx headers.
// Constants are ir::Tensors with is_constant set; unknown dims are -1.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "tigris/frontend/onnx_importer.h"
#include "tigris/ir/graph.h"
#include "tigris/support/status.h"

namespace tigris::frontend {

struct RawAttr {
  enum class Type { kUnknown, kInt, kFloat, kString, kInts, kFloats, kStrings, kTensor, kGraph };
  Type type = Type::kUnknown;
  int64_t i = 0;
  float f = 0.f;
  std::string s;
  std::vector<int64_t> ints;
  std::vector<float> floats;
  std::vector<std::string> strings;
  ir::Tensor t;      // kTensor (is_constant, data filled)
  Status t_status;   // why `t` could not be converted (unsupported dtype), if so
};

struct RawNode {
  std::string name;  // unique and non-empty after extraction
  std::string op_type;
  std::string domain;  // "" for the default ONNX domain
  std::vector<std::string> inputs;   // "" = omitted optional input
  std::vector<std::string> outputs;  // "" = omitted optional output
  std::map<std::string, RawAttr> attrs;
  int proto_index = -1;  // position in the ModelProto graph

  const RawAttr* Attr(const std::string& key) const {
    auto it = attrs.find(key);
    return it == attrs.end() ? nullptr : &it->second;
  }
};

// Element type and shape of a value as ONNX shape inference left it.
struct ValueInfo {
  int32_t onnx_type = 0;  // TensorProto.DataType, 0 = unknown
  bool has_shape = false;  // rank known
  std::vector<int64_t> shape;  // -1 = unknown dim
  bool Static() const {
    if (!has_shape) return false;
    for (int64_t d : shape)
      if (d < 0) return false;
    return true;
  }
};

struct RawModel {
  std::string graph_name;
  int64_t opset = 0;           // default-domain opset after upgrading
  int64_t original_opset = 0;  // as written in the file
  std::string conversion_error;  // why the version converter failed (then opset < 17)
  bool newer_opset = false;      // written at opset 18..21, normalized by newer_opsets.cpp
  // Nodes of such a model still in an opset-18+ form that has no opset-17 spelling and no
  // rule of ours (by node name), with why: the mapper reports this instead of mapping them.
  std::map<std::string, Status> unnormalized;
  std::vector<RawNode> nodes;  // topological order as in the file
  std::map<std::string, ir::Tensor> constants;    // initializers (after folding: also folded values)
  std::map<std::string, Status> bad_constants;    // initializers with an unsupported dtype
  std::map<std::string, ValueInfo> values;        // every named value with known type info
  std::vector<std::string> inputs;                // runtime inputs (initializers excluded)
  std::vector<std::string> outputs;
};

// ir::DType for an ONNX element type, kUndefined when TiGrIS has no such dtype.
ir::DType DTypeFromOnnx(int32_t onnx_type);
// "float16", "double", ... for messages.
std::string OnnxTypeName(int32_t onnx_type);

// The loaded ONNX model. Hides the onnx protobuf types; every method catches whatever protobuf
// or onnx throws and turns it into a Status.
class OnnxModel {
 public:
  ~OnnxModel();
  OnnxModel(const OnnxModel&) = delete;
  OnnxModel& operator=(const OnnxModel&) = delete;

  // Parses a serialized ModelProto; kInvalidModel for anything that is not one.
  static Expected<std::unique_ptr<OnnxModel>> Parse(const std::string& bytes);
  // Upgrades the default domain to kCanonicalOpset with the onnx version converter (after
  // inferring shapes, which its adapters need). Call after BindInputs.
  Status Upgrade();
  // Binds user shapes and symbolic/unknown input dims (to 1) and forgets stale shapes.
  Status BindInputs(const ImportOptions& options);
  // Runs ONNX shape inference, optionally with data propagation (only when
  // SafeForDataPropagation(): every node input already has a known shape).
  Status InferShapes(bool data_propagation);
  bool SafeForDataPropagation() const;
  // Snapshot of the graph as it is now.
  Expected<RawModel> Extract() const;
  // Replaces the nodes at `proto_indices` by initializers holding `values`.
  Status ReplaceByConstants(const std::set<int>& proto_indices, const std::vector<ir::Tensor>& values);

 private:
  // One round of onnx's inference (InferShapes adds the opset-18..21 rounds around it).
  Status InferShapesOnce(bool data_propagation);
  struct Impl;
  explicit OnnxModel(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// A node whose op cannot be imported at all. `why` completes "op <op> ...": "is not
// supported", "is not supported (unknown at opset 9)", ...
struct UnsupportedNode {
  std::string node;
  std::string op;  // with its domain if not the default one
  std::string why;
};
// One kUnsupported status naming them all, so that a user sees the whole gap at once. One
// node: "node 'n' (Op): op Op is not supported"; several: "N nodes use M ops TiGrIS does not
// support: Op xK (first 'n'), ..." in graph order (op_mapper.cpp).
Status UnsupportedOpsError(const std::vector<UnsupportedNode>& nodes);
// The QOperator ops the frontend rewrites into QDQ form before import (qoperators.cpp):
// default-domain names plain, onnxruntime's as "com.microsoft.<Op>".
std::vector<std::string> QOperatorOps();
// Whether the constant folder evaluates `op` when its inputs are constant (const_folder.cpp).
bool IsFoldableOp(const std::string& op);

// Constant folding over a RawModel snapshot (const_folder.cpp): evaluates every node whose
// inputs are all constant (and Shape/Size of statically shaped values) when it knows how.
struct FoldResult {
  std::set<int> folded_proto_indices;
  std::vector<ir::Tensor> values;  // one per output of the folded nodes
};
Expected<FoldResult> FoldConstants(const RawModel& model);

// Maps a folded RawModel to the IR (op_mapper.cpp): canonical attributes, dtype checks,
// unsupported ops rejected naming node and op.
Expected<ir::Graph> MapToIr(const RawModel& model);

}  // namespace tigris::frontend
