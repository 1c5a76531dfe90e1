// Small builders for hand-made IR graphs used by the pass tests.
#pragma once

#include <cstring>
#include <string>
#include <vector>

#include "tigris/ir/graph.h"

namespace tigris::passes::testing {

inline ir::TensorId Act(ir::Graph& g, const std::string& name, std::vector<int64_t> shape) {
  ir::Tensor t;
  t.name = name;
  t.shape = std::move(shape);
  return g.AddTensor(std::move(t));
}

// An activation of dtype `dt`.
inline ir::TensorId Typed(ir::Graph& g, const std::string& name, ir::DType dt, std::vector<int64_t> shape) {
  const ir::TensorId t = Act(g, name, std::move(shape));
  g.tensor(t).dtype = dt;
  return t;
}

inline ir::TensorId Const(ir::Graph& g, const std::string& name, std::vector<int64_t> shape, const std::vector<float>& v) {
  ir::Tensor t;
  t.name = name;
  t.shape = std::move(shape);
  t.is_constant = true;
  t.data.resize(v.size() * 4);
  std::memcpy(t.data.data(), v.data(), t.data.size());
  return g.AddTensor(std::move(t));
}

inline std::vector<float> Values(const ir::Tensor& t) {
  std::vector<float> v(static_cast<size_t>(t.NumElements()));
  std::memcpy(v.data(), t.data.data(), v.size() * 4);
  return v;
}

inline ir::Node MakeNode(const std::string& name, ir::OpKind kind, std::vector<ir::TensorId> in, std::vector<ir::TensorId> out,
                         std::map<std::string, ir::AttrValue> attrs = {}) {
  ir::Node n;
  n.name = name;
  n.kind = kind;
  n.inputs = std::move(in);
  n.outputs = std::move(out);
  n.attrs = std::move(attrs);
  return n;
}

inline std::map<std::string, ir::AttrValue> ConvAttrs(int64_t group = 1) {
  return {{"kernel_shape", std::vector<int64_t>{1, 1}}, {"strides", std::vector<int64_t>{1, 1}},
          {"dilations", std::vector<int64_t>{1, 1}}, {"pads", std::vector<int64_t>{0, 0, 0, 0}}, {"group", group}};
}

}  // namespace tigris::passes::testing
