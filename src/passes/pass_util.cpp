// Helpers for the normalize passes (see pass_util.h). Pure functions over the IR; no pass
// logic lives here.
#include "pass_util.h"

#include <algorithm>
#include <cstring>

namespace tigris::passes::detail {

std::string Label(const ir::Node& n) { return "node '" + n.name + "' (" + ir::OpName(n.kind) + ")"; }

std::vector<double> ConstF32(const ir::Tensor& t) {
  if (!t.is_constant || t.dtype != ir::DType::kF32 || static_cast<int64_t>(t.data.size()) != t.SizeBytes()) return {};
  std::vector<double> v(static_cast<size_t>(t.NumElements()));
  for (size_t k = 0; k < v.size(); ++k) {
    float f;
    std::memcpy(&f, t.data.data() + 4 * k, 4);
    v[k] = f;
  }
  return v;
}

ir::Tensor MakeConstF32(std::string name, std::vector<int64_t> shape, const std::vector<double>& values) {
  ir::Tensor t;
  t.name = std::move(name);
  t.dtype = ir::DType::kF32;
  t.shape = std::move(shape);
  t.is_constant = true;
  t.data.resize(values.size() * 4);
  for (size_t k = 0; k < values.size(); ++k) {
    const float f = static_cast<float>(values[k]);
    std::memcpy(t.data.data() + 4 * k, &f, 4);
  }
  return t;
}

std::string UniqueName(const std::string& base, std::set<std::string>& taken) {
  std::string name = base;
  for (int k = 1; taken.count(name); ++k) name = base + "_" + std::to_string(k);
  taken.insert(name);
  return name;
}

std::set<std::string> NodeNames(const ir::Graph& g) {
  std::set<std::string> s;
  for (const auto& n : g.nodes) s.insert(n.name);
  return s;
}

std::set<std::string> TensorNames(const ir::Graph& g) {
  std::set<std::string> s;
  for (const auto& t : g.tensors) s.insert(t.name);
  return s;
}

bool IsGraphOutput(const ir::Graph& g, ir::TensorId t) {
  return std::find(g.outputs.begin(), g.outputs.end(), t) != g.outputs.end();
}

void RemoveNodes(ir::Graph& g, const std::vector<bool>& dead) {
  std::vector<ir::Node> kept;
  kept.reserve(g.nodes.size());
  for (size_t i = 0; i < g.nodes.size(); ++i)
    if (!dead[i]) kept.push_back(std::move(g.nodes[i]));
  g.nodes = std::move(kept);
}

}  // namespace tigris::passes::detail
