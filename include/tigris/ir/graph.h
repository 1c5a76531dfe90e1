// The TiGrIS graph IR: tensors (shape, dtype, quantization, constant data) and nodes (op kind
// from ops.def plus canonical attributes). Every pass takes and returns a Graph that verify()s.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <variant>
#include <vector>

#include "tigris/support/status.h"

namespace tigris::ir {

enum class OpKind : uint16_t {
#define TIGRIS_OP(name, onnx, code) k##name = code,
#include "tigris/ops.def"
#undef TIGRIS_OP
};

// Name as written in ONNX ("Conv"); "?" for an unknown value.
const char* OpName(OpKind kind);
// Lookup by ONNX op_type; false when the op has no row in ops.def.
bool OpKindFromName(const std::string& name, OpKind* kind);

// Values match ONNX TensorProto.DataType and the plan's TGRS_DTYPE_* codes.
enum class DType : uint8_t {
  kUndefined = 0,
  kF32 = 1,
  kU8 = 2,
  kI8 = 3,
  kI16 = 5,
  kI32 = 6,
  kI64 = 7,
  kBool = 9,
};
const char* DTypeName(DType t);
int64_t DTypeSize(DType t);  // bytes per element, 0 for kUndefined

// Affine quantization: real = scale * (q - zero_point). One entry = per tensor; otherwise
// per channel along `axis`. Empty = not quantized.
struct QuantParams {
  std::vector<float> scale;
  std::vector<int32_t> zero_point;
  int32_t axis = -1;
  bool empty() const { return scale.empty(); }
};

using TensorId = int32_t;
using NodeId = int32_t;
constexpr TensorId kNoTensor = -1;

struct Tensor {
  std::string name;
  DType dtype = DType::kF32;
  std::vector<int64_t> shape;  // static after the frontend; rank 0 = scalar
  QuantParams quant;
  bool is_constant = false;
  std::vector<uint8_t> data;   // little-endian element bytes when is_constant, in physical order
  // Physical layout: the logical dims from outermost to innermost in memory (a permutation of
  // 0..rank-1); empty = row-major. Dims and every rule about them stay logical (ONNX NCHW); only
  // where elements lie changes (LayoutStrides). A constant's `data` is stored in this order.
  // Set by passes::AssignLayouts (docs/int8.md, "Physical layout"), read by the planner and emitter.
  std::vector<int32_t> layout;

  int64_t NumElements() const;
  int64_t SizeBytes() const { return NumElements() * DTypeSize(dtype); }
  template <typename T>
  const T* DataAs() const { return reinterpret_cast<const T*>(data.data()); }
};

// Attribute values after the frontend has canonicalized them (see docs/ir.md per op).
using AttrValue = std::variant<int64_t, float, std::vector<int64_t>, std::vector<float>, std::string>;

struct Node {
  std::string name;  // unique, never empty after import
  OpKind kind = OpKind::kRelu;
  std::vector<TensorId> inputs;   // kNoTensor for an omitted optional input
  std::vector<TensorId> outputs;
  std::map<std::string, AttrValue> attrs;

  bool Has(const std::string& key) const { return attrs.count(key) != 0; }
  int64_t GetInt(const std::string& key, int64_t dflt = 0) const;
  float GetFloat(const std::string& key, float dflt = 0.f) const;
  std::vector<int64_t> GetInts(const std::string& key) const;
  std::vector<float> GetFloats(const std::string& key) const;
  std::string GetString(const std::string& key, const std::string& dflt = "") const;
};

class Graph {
 public:
  std::string name;
  std::vector<Tensor> tensors;
  std::vector<Node> nodes;        // in a valid topological (execution) order
  std::vector<TensorId> inputs;   // runtime inputs, never constant
  std::vector<TensorId> outputs;

  TensorId AddTensor(Tensor t);
  NodeId AddNode(Node n);
  Tensor& tensor(TensorId id) { return tensors.at(static_cast<size_t>(id)); }
  const Tensor& tensor(TensorId id) const { return tensors.at(static_cast<size_t>(id)); }
  // Index of the tensor with that name, or kNoTensor.
  TensorId FindTensor(const std::string& name) const;

  // Node that produces each tensor (-1 for graph inputs and constants).
  std::vector<NodeId> Producers() const;
  // Nodes reading each tensor, in node order.
  std::vector<std::vector<NodeId>> Consumers() const;

  // Drops nodes whose outputs reach no graph output and tensors nothing references,
  // renumbering ids. Keeps node order.
  void RemoveDead();

  // Structural checks: ids in range, one producer per tensor, topological order, static
  // shapes, constants have exactly SizeBytes() of data, required attributes present.
  // The message names the offending node and op.
  Status Verify() const;

  // Stable, human-readable text form; tests compare these dumps.
  std::string Dump() const;

  int64_t WeightBytes() const;

  // The same graph with every constant's data dropped (shapes kept): for analyses that only need
  // sizes, without copying megabytes of weights. Does not Verify().
  Graph WithoutConstantData() const;  // bytes of constant tensors referenced by nodes
};

std::string ShapeString(const std::vector<int64_t>& shape);  // "1x3x96x96", "scalar"

// Element strides of `shape` stored in physical dim order `layout` (Tensor::layout; empty or the
// identity = dense row-major). The strides span exactly NumElements() elements.
std::vector<int64_t> LayoutStrides(const std::vector<int64_t>& shape, const std::vector<int32_t>& layout);
// The same for a tensor: LayoutStrides(t.shape, t.layout).
inline std::vector<int64_t> StridesOf(const Tensor& t) { return LayoutStrides(t.shape, t.layout); }
// Whether `layout` puts the dims of `shape` in row-major order (ignoring dims of extent 1).
bool IsRowMajor(const std::vector<int64_t>& shape, const std::vector<int32_t>& layout);

}  // namespace tigris::ir
