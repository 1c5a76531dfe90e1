// Shared helpers of the tiling tests: a deterministic random source, a small IR graph builder
// with the canonical attributes of docs/ir.md, and a runner that executes one node's reference
// kernel (params from emit::EncodeParams, the call checked by tgrs_backend_reference) on dense or
// windowed (strided) views. Header-only; nothing here knows how the tiler computes windows.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "tigris/emit/op_params.h"
#include "tigris/ir/graph.h"
#include "tigris/kernels/tgrs_params.h"
#include "tigris/kernels/tgrs_types.h"
#include "tigris/planner/exec_plan.h"

namespace tigris::tile_test {

using Shape = std::vector<int64_t>;

inline int64_t Count(const Shape& s) {
  int64_t n = 1;
  for (int64_t d : s) n *= d;
  return n;
}

inline std::string Str(const Shape& s) { return ir::ShapeString(s); }

// Deterministic on every standard library: std::mt19937 without std:: distributions.
struct Rng {
  std::mt19937 gen;
  explicit Rng(uint32_t seed) : gen(seed) {}
  int64_t Int(int64_t lo, int64_t hi) {  // inclusive
    return lo + static_cast<int64_t>(gen() % static_cast<uint32_t>(hi - lo + 1));
  }
  bool Coin(int percent = 50) { return static_cast<int>(gen() % 100) < percent; }
  // A value in [-1, 1] on a 1/256 grid, never 0 (a zero could hide a read).
  float Value() {
    const int v = static_cast<int>(gen() % 512) - 256;
    return static_cast<float>(v == 0 ? 1 : v) / 256.0f;
  }
  template <class T>
  const T& Pick(const std::vector<T>& v) {
    return v[gen() % v.size()];
  }
};

// ---- attributes ---------------------------------------------------------------------------

inline ir::AttrValue I(int64_t v) { return v; }
inline ir::AttrValue Is(std::vector<int64_t> v) { return v; }
inline ir::AttrValue F(float v) { return v; }
inline ir::AttrValue Fs(std::vector<float> v) { return v; }

// Output length of a Conv along one axis.
inline int64_t ConvLen(int64_t in, int64_t k, int64_t s, int64_t d, int64_t pb, int64_t pe) {
  const int64_t span = in + pb + pe - ((k - 1) * d + 1);
  return span < 0 ? 0 : span / s + 1;
}
// Output length of a pool along one axis (ceil mode drops a last window that starts past the
// input and its begin padding, as onnxruntime does).
inline int64_t PoolLen(int64_t in, int64_t k, int64_t s, int64_t d, int64_t pb, int64_t pe, bool ceil_mode) {
  const int64_t span = in + pb + pe - ((k - 1) * d + 1);
  if (span < 0) return 0;
  if (!ceil_mode) return span / s + 1;
  int64_t n = (span + s - 1) / s + 1;
  if ((n - 1) * s >= in + pb) --n;
  return n;
}

// ---- graph building -------------------------------------------------------------------------

class GraphBuilder {
 public:
  explicit GraphBuilder(uint32_t seed, std::string name = "t") : rng(seed) { g.name = std::move(name); }

  ir::TensorId Input(const std::string& name, const Shape& shape) {
    const ir::TensorId t = Act(name, shape);
    g.inputs.push_back(t);
    return t;
  }
  ir::TensorId Act(const std::string& name, const Shape& shape) {
    ir::Tensor t;
    t.name = name;
    t.shape = shape;
    return g.AddTensor(std::move(t));
  }
  // An int64 constant of random values in [lo, hi] (indices).
  ir::TensorId ConstIndices(const std::string& name, const Shape& shape, int64_t lo, int64_t hi) {
    ir::Tensor t;
    t.name = name;
    t.dtype = ir::DType::kI64;
    t.shape = shape;
    t.is_constant = true;
    std::vector<int64_t> v(static_cast<size_t>(Count(shape)));
    for (int64_t& x : v) x = rng.Int(lo, hi);
    t.data.resize(v.size() * 8);
    if (!v.empty()) std::memcpy(t.data.data(), v.data(), t.data.size());
    return g.AddTensor(std::move(t));
  }
  // A constant of random values; `away_from_zero` keeps |v| >= 0.5 (divisors).
  ir::TensorId Const(const std::string& name, const Shape& shape, bool away_from_zero = false) {
    ir::Tensor t;
    t.name = name;
    t.shape = shape;
    t.is_constant = true;
    std::vector<float> v(static_cast<size_t>(Count(shape)));
    for (float& x : v) {
      x = rng.Value();
      if (away_from_zero) x = x < 0 ? x - 0.5f : x + 0.5f;
    }
    t.data.resize(v.size() * 4);
    std::memcpy(t.data.data(), v.data(), t.data.size());
    return g.AddTensor(std::move(t));
  }
  ir::NodeId Node(ir::OpKind kind, const std::string& name, std::vector<ir::TensorId> ins,
                  std::vector<ir::TensorId> outs, std::map<std::string, ir::AttrValue> attrs = {}) {
    ir::Node n;
    n.kind = kind;
    n.name = name;
    n.inputs = std::move(ins);
    n.outputs = std::move(outs);
    n.attrs = std::move(attrs);
    return g.AddNode(std::move(n));
  }
  const Shape& ShapeOf(ir::TensorId t) const { return g.tensor(t).shape; }

  ir::Graph g;
  Rng rng;
};

// ---- running one node's reference kernel -------------------------------------------------------

// A dense view of `data` (float32 by default; the IR's dtype codes are the plan's TGRS_DTYPE_*).
inline tgrs_tensor_t DenseView(const void* data, const Shape& shape, ir::DType dtype = ir::DType::kF32) {
  tgrs_tensor_t v{};
  v.data = const_cast<void*>(data);
  v.dtype = static_cast<int32_t>(dtype);
  v.rank = static_cast<int32_t>(shape.size());
  for (size_t d = 0; d < shape.size(); ++d) v.dims[d] = static_cast<int32_t>(shape[d]);
  tgrs_tensor_set_dense(&v);
  return v;
}

// Rows [lo, lo + len) of `whole` along `axis` (a strided view into the same buffer).
inline tgrs_tensor_t SubView(tgrs_tensor_t whole, int32_t axis, int64_t lo, int64_t len) {
  const int64_t esize = ir::DTypeSize(static_cast<ir::DType>(whole.dtype));
  whole.data = static_cast<char*>(whole.data) + lo * whole.strides[axis] * esize;
  whole.dims[axis] = static_cast<int32_t>(len);
  return whole;
}

// The float values of every runtime input of a node (activations: random, constants: their data).
// A constant of another dtype (int64 indices) keeps its bytes, two floats per element.
using Values = std::map<ir::TensorId, std::vector<float>>;

inline std::vector<float> ConstValues(const ir::Tensor& t) {
  std::vector<float> v(t.data.size() / 4);
  if (!v.empty()) std::memcpy(v.data(), t.data.data(), t.data.size());
  return v;
}

inline Values RandomValues(const ir::Graph& g, const ir::Node& n, Rng& rng) {
  Values vals;
  for (ir::TensorId t : planner::RuntimeInputs(n)) {
    if (t == ir::kNoTensor || vals.count(t)) continue;
    const ir::Tensor& x = g.tensor(t);
    if (x.is_constant) {
      vals[t] = ConstValues(x);
    } else {
      std::vector<float> v(static_cast<size_t>(x.NumElements()));
      for (float& e : v) e = rng.Value();
      vals[t] = std::move(v);
    }
  }
  return vals;
}

// Runs node `n` of `g` (whose tensors have the shapes of the views) on `ins`/`outs` through the
// reference backend: EncodeParams, check(), run(). Returns check()'s status; `why` gets the
// encoder's message when encoding fails (then TGRS_ERR_BAD_ARG).
inline tgrs_status_t RunKernel(const ir::Graph& g, const ir::Node& n, const std::vector<tgrs_tensor_t>& ins,
                               const std::vector<tgrs_tensor_t>& outs, std::string* why = nullptr) {
  auto params = emit::EncodeParams(g, n);
  if (!params.ok()) {
    if (why) *why = params.status().message();
    return TGRS_ERR_BAD_ARG;
  }
  tgrs_kernel_call_t call{};
  call.inputs = ins.data();
  call.n_inputs = static_cast<int32_t>(ins.size());
  call.outputs = outs.data();
  call.n_outputs = static_cast<int32_t>(outs.size());
  call.params = params->data();
  call.params_size = static_cast<uint32_t>(params->size() * 4);
  const tgrs_kernel_t& k = tgrs_backend_reference.ops[static_cast<size_t>(n.kind)];
  const tgrs_status_t st = k.check(&call);
  if (st == TGRS_OK) k.run(&call);
  return st;
}

// The whole op on dense buffers: one vector per output. Fails the test if check() rejects it.
inline std::vector<std::vector<float>> RunWhole(const ir::Graph& g, const ir::Node& n, const Values& vals) {
  std::vector<tgrs_tensor_t> ins;
  for (ir::TensorId t : planner::RuntimeInputs(n))
    ins.push_back(DenseView(vals.at(t).data(), g.tensor(t).shape, g.tensor(t).dtype));
  std::vector<std::vector<float>> out;
  for (ir::TensorId t : n.outputs) out.emplace_back(static_cast<size_t>(g.tensor(t).NumElements()), 0.0f);
  std::vector<tgrs_tensor_t> outs;
  for (size_t k = 0; k < n.outputs.size(); ++k)
    outs.push_back(DenseView(out[k].data(), g.tensor(n.outputs[k]).shape));
  std::string why;
  const tgrs_status_t st = RunKernel(g, n, ins, outs, &why);
  EXPECT_EQ(st, TGRS_OK) << "whole call of node '" << n.name << "' (" << ir::OpName(n.kind) << ") rejected "
                         << why;
  return out;
}

// A scratch graph holding `n` with its runtime inputs and outputs replaced by tensors of the
// given shapes (constants keep no data: the encoder only reads shapes). Returns the node.
inline ir::Node WithShapes(const ir::Graph& g, const ir::Node& n, const std::vector<Shape>& in_shapes,
                           const std::vector<Shape>& out_shapes, ir::Graph* tmp) {
  ir::Node local = n;
  local.inputs.clear();
  local.outputs.clear();
  const std::vector<ir::TensorId> ins = planner::RuntimeInputs(n);
  for (size_t i = 0; i < ins.size(); ++i) {
    ir::Tensor t = g.tensor(ins[i]);
    t.data.clear();
    t.is_constant = false;
    t.shape = in_shapes[i];
    local.inputs.push_back(tmp->AddTensor(std::move(t)));
  }
  for (size_t i = 0; i < n.outputs.size(); ++i) {
    ir::Tensor t = g.tensor(n.outputs[i]);
    t.shape = out_shapes[i];
    local.outputs.push_back(tmp->AddTensor(std::move(t)));
  }
  return local;
}

inline bool BitEqual(float a, float b) { return std::memcmp(&a, &b, 4) == 0; }

// Row-major multi-index of flat element e of `shape`, component `axis`.
inline int64_t IndexAlong(const Shape& shape, int64_t e, size_t axis) {
  int64_t inner = 1;
  for (size_t d = axis + 1; d < shape.size(); ++d) inner *= shape[d];
  return (e / inner) % shape[axis];
}

}  // namespace tigris::tile_test
