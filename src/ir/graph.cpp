// Graph IR implementation: op-table lookups, structural verification and the text dump that
// tests compare. Verify() reports the first problem naming the node and its op.
#include "tigris/ir/graph.h"

#include <algorithm>
#include <cstring>
#include <sstream>
#include <unordered_map>

namespace tigris::ir {

namespace {
struct OpRow {
  OpKind kind;
  const char* name;
};
constexpr OpRow kOpRows[] = {
#define TIGRIS_OP(n, onnx, code) {OpKind::k##n, onnx},
#include "tigris/ops.def"
#undef TIGRIS_OP
};

std::string NodeLabel(const Node& n) { return "node '" + n.name + "' (" + OpName(n.kind) + ")"; }
}  // namespace

const char* OpName(OpKind kind) {
  for (const auto& r : kOpRows)
    if (r.kind == kind) return r.name;
  return "?";
}

bool OpKindFromName(const std::string& name, OpKind* kind) {
  for (const auto& r : kOpRows) {
    if (name == r.name) {
      *kind = r.kind;
      return true;
    }
  }
  return false;
}

const char* DTypeName(DType t) {
  switch (t) {
    case DType::kF32: return "float32";
    case DType::kU8: return "uint8";
    case DType::kI8: return "int8";
    case DType::kI16: return "int16";
    case DType::kI32: return "int32";
    case DType::kI64: return "int64";
    case DType::kBool: return "bool";
    case DType::kUndefined: break;
  }
  return "undefined";
}

int64_t DTypeSize(DType t) {
  switch (t) {
    case DType::kF32: case DType::kI32: return 4;
    case DType::kU8: case DType::kI8: case DType::kBool: return 1;
    case DType::kI16: return 2;
    case DType::kI64: return 8;
    case DType::kUndefined: break;
  }
  return 0;
}

std::string ShapeString(const std::vector<int64_t>& shape) {
  if (shape.empty()) return "scalar";
  std::string s;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) s += 'x';
    s += std::to_string(shape[i]);
  }
  return s;
}

std::vector<int64_t> LayoutStrides(const std::vector<int64_t>& shape, const std::vector<int32_t>& layout) {
  std::vector<int64_t> st(shape.size(), 1);
  if (layout.size() != shape.size()) {
    for (size_t d = shape.size(); d-- > 1;) st[d - 1] = st[d] * shape[d];
    return st;
  }
  int64_t inner = 1;
  for (size_t k = layout.size(); k-- > 0;) {
    const auto d = static_cast<size_t>(layout[k]);
    st[d] = inner;
    inner *= shape[d];
  }
  return st;
}

bool IsRowMajor(const std::vector<int64_t>& shape, const std::vector<int32_t>& layout) {
  if (layout.size() != shape.size()) return true;
  int32_t last = -1;
  for (int32_t d : layout) {
    if (shape[static_cast<size_t>(d)] == 1) continue;
    if (d < last) return false;
    last = d;
  }
  return true;
}

int64_t Tensor::NumElements() const {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

int64_t Node::GetInt(const std::string& key, int64_t dflt) const {
  auto it = attrs.find(key);
  if (it == attrs.end()) return dflt;
  if (auto* v = std::get_if<int64_t>(&it->second)) return *v;
  if (auto* f = std::get_if<float>(&it->second)) return static_cast<int64_t>(*f);
  return dflt;
}

float Node::GetFloat(const std::string& key, float dflt) const {
  auto it = attrs.find(key);
  if (it == attrs.end()) return dflt;
  if (auto* v = std::get_if<float>(&it->second)) return *v;
  if (auto* i = std::get_if<int64_t>(&it->second)) return static_cast<float>(*i);
  return dflt;
}

std::vector<int64_t> Node::GetInts(const std::string& key) const {
  auto it = attrs.find(key);
  if (it == attrs.end()) return {};
  if (auto* v = std::get_if<std::vector<int64_t>>(&it->second)) return *v;
  if (auto* i = std::get_if<int64_t>(&it->second)) return {*i};
  return {};
}

std::vector<float> Node::GetFloats(const std::string& key) const {
  auto it = attrs.find(key);
  if (it == attrs.end()) return {};
  if (auto* v = std::get_if<std::vector<float>>(&it->second)) return *v;
  if (auto* f = std::get_if<float>(&it->second)) return {*f};
  return {};
}

std::string Node::GetString(const std::string& key, const std::string& dflt) const {
  auto it = attrs.find(key);
  if (it == attrs.end()) return dflt;
  if (auto* v = std::get_if<std::string>(&it->second)) return *v;
  return dflt;
}

TensorId Graph::AddTensor(Tensor t) {
  tensors.push_back(std::move(t));
  return static_cast<TensorId>(tensors.size() - 1);
}

NodeId Graph::AddNode(Node n) {
  nodes.push_back(std::move(n));
  return static_cast<NodeId>(nodes.size() - 1);
}

TensorId Graph::FindTensor(const std::string& tname) const {
  for (size_t i = 0; i < tensors.size(); ++i)
    if (tensors[i].name == tname) return static_cast<TensorId>(i);
  return kNoTensor;
}

std::vector<NodeId> Graph::Producers() const {
  std::vector<NodeId> prod(tensors.size(), -1);
  for (size_t n = 0; n < nodes.size(); ++n)
    for (TensorId t : nodes[n].outputs)
      if (t >= 0 && static_cast<size_t>(t) < tensors.size()) prod[static_cast<size_t>(t)] = static_cast<NodeId>(n);
  return prod;
}

std::vector<std::vector<NodeId>> Graph::Consumers() const {
  std::vector<std::vector<NodeId>> cons(tensors.size());
  for (size_t n = 0; n < nodes.size(); ++n)
    for (TensorId t : nodes[n].inputs)
      if (t >= 0 && static_cast<size_t>(t) < tensors.size()) {
        auto& v = cons[static_cast<size_t>(t)];
        if (v.empty() || v.back() != static_cast<NodeId>(n)) v.push_back(static_cast<NodeId>(n));
      }
  return cons;
}

void Graph::RemoveDead() {
  // Mark live nodes backwards from the outputs.
  std::vector<bool> live_tensor(tensors.size(), false);
  std::vector<bool> live_node(nodes.size(), false);
  for (TensorId t : outputs) live_tensor[static_cast<size_t>(t)] = true;
  for (TensorId t : inputs) live_tensor[static_cast<size_t>(t)] = true;
  for (size_t i = nodes.size(); i-- > 0;) {
    bool needed = false;
    for (TensorId t : nodes[i].outputs) needed = needed || (t >= 0 && live_tensor[static_cast<size_t>(t)]);
    if (!needed) continue;
    live_node[i] = true;
    for (TensorId t : nodes[i].inputs)
      if (t >= 0) live_tensor[static_cast<size_t>(t)] = true;
    for (TensorId t : nodes[i].outputs)
      if (t >= 0) live_tensor[static_cast<size_t>(t)] = true;
  }
  std::vector<TensorId> remap(tensors.size(), kNoTensor);
  std::vector<Tensor> kept;
  for (size_t t = 0; t < tensors.size(); ++t) {
    if (!live_tensor[t]) continue;
    remap[t] = static_cast<TensorId>(kept.size());
    kept.push_back(std::move(tensors[t]));
  }
  auto fix = [&](std::vector<TensorId>& ids) {
    for (TensorId& id : ids)
      if (id >= 0) id = remap[static_cast<size_t>(id)];
  };
  std::vector<Node> kept_nodes;
  for (size_t i = 0; i < nodes.size(); ++i) {
    if (!live_node[i]) continue;
    fix(nodes[i].inputs);
    fix(nodes[i].outputs);
    kept_nodes.push_back(std::move(nodes[i]));
  }
  fix(inputs);
  fix(outputs);
  tensors = std::move(kept);
  nodes = std::move(kept_nodes);
}

Status Graph::Verify() const {
  const auto n_tensors = static_cast<TensorId>(tensors.size());
  std::vector<int> produced(tensors.size(), 0);
  std::vector<bool> available(tensors.size(), false);
  for (TensorId t : inputs) {
    if (t < 0 || t >= n_tensors) return Internal("verify: graph input id out of range");
    if (tensors[static_cast<size_t>(t)].is_constant)
      return Internal("verify: graph input '" + tensors[static_cast<size_t>(t)].name + "' is constant");
    available[static_cast<size_t>(t)] = true;
  }
  for (size_t t = 0; t < tensors.size(); ++t) {
    const Tensor& x = tensors[t];
    for (int64_t d : x.shape)
      if (d < 0) return Internal("verify: tensor '" + x.name + "' has unresolved shape " + ShapeString(x.shape));
    if (DTypeSize(x.dtype) == 0) return Internal("verify: tensor '" + x.name + "' has no dtype");
    if (!x.layout.empty()) {
      std::vector<bool> seen(x.shape.size(), false);
      bool perm = x.layout.size() == x.shape.size();
      for (int32_t d : x.layout) {
        perm = perm && d >= 0 && static_cast<size_t>(d) < x.shape.size() && !seen[static_cast<size_t>(d)];
        if (perm) seen[static_cast<size_t>(d)] = true;
      }
      if (!perm) return Internal("verify: tensor '" + x.name + "' has a layout that is not a permutation of its dims");
    }
    if (x.is_constant) {
      if (static_cast<int64_t>(x.data.size()) != x.SizeBytes())
        return Internal("verify: constant '" + x.name + "' has " + std::to_string(x.data.size()) +
                        " bytes, shape needs " + std::to_string(x.SizeBytes()));
      available[t] = true;
    }
  }
  std::unordered_map<std::string, int> names;
  for (const Node& n : nodes) {
    if (n.name.empty()) return Internal("verify: a " + std::string(OpName(n.kind)) + " node has no name");
    if (names[n.name]++) return Internal("verify: duplicate node name '" + n.name + "'");
    for (TensorId t : n.inputs) {
      if (t == kNoTensor) continue;
      if (t < 0 || t >= n_tensors) return Internal("verify: " + NodeLabel(n) + " input id out of range");
      if (!available[static_cast<size_t>(t)])
        return Internal("verify: " + NodeLabel(n) + " reads '" + tensors[static_cast<size_t>(t)].name +
                        "' before it is produced");
    }
    if (n.outputs.empty()) return Internal("verify: " + NodeLabel(n) + " has no outputs");
    for (TensorId t : n.outputs) {
      if (t < 0 || t >= n_tensors) return Internal("verify: " + NodeLabel(n) + " output id out of range");
      if (tensors[static_cast<size_t>(t)].is_constant)
        return Internal("verify: " + NodeLabel(n) + " writes constant '" + tensors[static_cast<size_t>(t)].name + "'");
      if (produced[static_cast<size_t>(t)]++)
        return Internal("verify: tensor '" + tensors[static_cast<size_t>(t)].name + "' has two producers");
      if (available[static_cast<size_t>(t)])
        return Internal("verify: " + NodeLabel(n) + " writes graph input '" + tensors[static_cast<size_t>(t)].name + "'");
      available[static_cast<size_t>(t)] = true;
    }
  }
  for (TensorId t : outputs) {
    if (t < 0 || t >= n_tensors) return Internal("verify: graph output id out of range");
    if (!available[static_cast<size_t>(t)])
      return Internal("verify: graph output '" + tensors[static_cast<size_t>(t)].name + "' is never produced");
  }
  return Status::Ok();
}

namespace {
void DumpAttr(std::ostringstream& os, const AttrValue& v) {
  std::visit(
      [&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, int64_t> || std::is_same_v<T, float>) {
          os << x;
        } else if constexpr (std::is_same_v<T, std::string>) {
          os << '"' << x << '"';
        } else {
          os << '[';
          for (size_t i = 0; i < x.size(); ++i) os << (i ? "," : "") << x[i];
          os << ']';
        }
      },
      v);
}

void DumpTensorRef(std::ostringstream& os, const Graph& g, TensorId t) {
  if (t == kNoTensor) {
    os << "_";
    return;
  }
  const Tensor& x = g.tensor(t);
  os << '%' << x.name << ':' << DTypeName(x.dtype) << '[' << ShapeString(x.shape) << ']';
  if (!x.layout.empty()) {
    os << "@(";
    for (size_t i = 0; i < x.layout.size(); ++i) os << (i ? "," : "") << x.layout[i];
    os << ')';
  }
  if (x.is_constant) os << "=const";
}
}  // namespace

std::string Graph::Dump() const {
  std::ostringstream os;
  os << "graph " << name << " {\n";
  for (TensorId t : inputs) {
    os << "  input ";
    DumpTensorRef(os, *this, t);
    os << '\n';
  }
  for (const Node& n : nodes) {
    os << "  ";
    for (size_t i = 0; i < n.outputs.size(); ++i) {
      if (i) os << ", ";
      DumpTensorRef(os, *this, n.outputs[i]);
    }
    os << " = " << OpName(n.kind) << '(';
    for (size_t i = 0; i < n.inputs.size(); ++i) {
      if (i) os << ", ";
      DumpTensorRef(os, *this, n.inputs[i]);
    }
    os << ')';
    if (!n.attrs.empty()) {
      os << " {";
      bool first = true;
      for (const auto& [k, v] : n.attrs) {
        os << (first ? "" : ", ") << k << '=';
        DumpAttr(os, v);
        first = false;
      }
      os << '}';
    }
    os << "  # " << n.name << '\n';
  }
  for (TensorId t : outputs) {
    os << "  output ";
    DumpTensorRef(os, *this, t);
    os << '\n';
  }
  os << "}\n";
  return os.str();
}

int64_t Graph::WeightBytes() const {
  std::vector<bool> used(tensors.size(), false);
  for (const Node& n : nodes)
    for (TensorId t : n.inputs)
      if (t >= 0) used[static_cast<size_t>(t)] = true;
  int64_t total = 0;
  for (size_t t = 0; t < tensors.size(); ++t)
    if (used[t] && tensors[t].is_constant) total += tensors[t].SizeBytes();
  return total;
}

Graph Graph::WithoutConstantData() const {
  Graph g;
  g.name = name;
  g.nodes = nodes;
  g.inputs = inputs;
  g.outputs = outputs;
  g.tensors.reserve(tensors.size());
  for (const Tensor& t : tensors) {
    Tensor c;
    c.name = t.name;
    c.dtype = t.dtype;
    c.shape = t.shape;
    c.quant = t.quant;
    c.layout = t.layout;
    c.is_constant = t.is_constant;
    g.tensors.push_back(std::move(c));
  }
  return g;
}

}  // namespace tigris::ir
