// FuseGelu: the erf form of GELU that exporters write below opset 20 (Gelu-20 did not exist)
// becomes one Gelu node:
//   d = Div(x, c) with c = sqrt(2)  (or d = Mul(x, c) with c = 1/sqrt(2), either operand order)
//   e = Erf(d)
//   a = Add(e, 1)                   (either operand order)
//   y = Mul(Mul(x, a), 0.5)  (PyTorch)  |  Mul(Mul(x, 0.5), a)  |  Mul(x, Mul(a, 0.5))
// (every Mul in either operand order) becomes y = Gelu(x) {approximate = 0}. Constants are
// one-element float32 tensors within 1e-6 (relative) of the value. Five ops and four
// intermediate tensors become one op: less memory traffic and a fifth of the kernel calls.
// The fused values differ from the unfused chain's in the last bits (0.5*x*(1+erff(x*(1/sqrt2)))
// in one kernel), well inside onnxruntime's tolerance.
// Pre: canonical attributes (docs/ir.md); runs before FuseActivations, so the final Mul carries
// no fused activation. Every intermediate tensor must have no other reader and not be a graph
// output; no node of the pattern may carry an activation. Post: the Gelu node takes the final
// Mul's place and name and writes y; x keeps its other readers; node order stays topological.
#include <cmath>

#include "pass_util.h"
#include "tigris/passes/passes.h"

namespace tigris::passes {

namespace {

using ir::NodeId;
using ir::TensorId;

class Matcher {
 public:
  explicit Matcher(const ir::Graph& g) : g_(g), producers_(g.Producers()), consumers_(g.Consumers()) {}

  // The node reading `t`, when it is the only reader and `t` is not a graph output; else -1.
  NodeId SoleReader(TensorId t) const {
    const auto& c = consumers_[static_cast<size_t>(t)];
    if (c.size() != 1 || detail::IsGraphOutput(g_, t)) return -1;
    return c[0];
  }

  const ir::Node* Producer(TensorId t, ir::OpKind kind) const {
    const NodeId p = producers_[static_cast<size_t>(t)];
    if (p < 0) return nullptr;
    const ir::Node& n = g_.nodes[static_cast<size_t>(p)];
    return n.kind == kind && Plain(n) ? &n : nullptr;
  }

  // A one-element float32 constant equal to `want` (to 1e-6 relative).
  bool IsConst(TensorId t, double want) const {
    const std::vector<double> v = detail::ConstF32(g_.tensor(t));
    return v.size() == 1 && std::fabs(v[0] - want) <= 1e-6 * std::fabs(want);
  }

  // A binary node's operand other than `t` (kNoTensor when `t` is not one of its two operands).
  static TensorId Other(const ir::Node& n, TensorId t) {
    if (n.inputs.size() != 2) return ir::kNoTensor;
    if (n.inputs[0] == t) return n.inputs[1];
    if (n.inputs[1] == t) return n.inputs[0];
    return ir::kNoTensor;
  }

  // A node with one output and no fused activation.
  static bool Plain(const ir::Node& n) { return n.outputs.size() == 1 && n.GetInt("act", 0) == 0; }

  const ir::Node& Node(NodeId id) const { return g_.nodes[static_cast<size_t>(id)]; }

  // The pattern around Erf node `erf`: the nodes to remove (the last is the final Mul) and x.
  bool Match(NodeId erf, std::vector<NodeId>* nodes, TensorId* x) const {
    const ir::Node& e = Node(erf);
    if (e.inputs.size() != 1 || e.outputs.size() != 1) return false;
    // d = x / sqrt(2) or x * (1/sqrt(2))
    const TensorId d = e.inputs[0];
    if (SoleReader(d) != erf) return false;
    const NodeId scale_id = producers_[static_cast<size_t>(d)];
    if (scale_id < 0) return false;
    const ir::Node& scale = Node(scale_id);
    if (!Plain(scale) || scale.inputs.size() != 2) return false;
    if (scale.kind == ir::OpKind::kDiv && IsConst(scale.inputs[1], std::sqrt(2.0))) {
      *x = scale.inputs[0];
    } else if (scale.kind == ir::OpKind::kMul && IsConst(scale.inputs[1], std::sqrt(0.5))) {
      *x = scale.inputs[0];
    } else if (scale.kind == ir::OpKind::kMul && IsConst(scale.inputs[0], std::sqrt(0.5))) {
      *x = scale.inputs[1];
    } else {
      return false;
    }
    // a = erf + 1
    const NodeId add_id = SoleReader(e.outputs[0]);
    if (add_id < 0) return false;
    const ir::Node& add = Node(add_id);
    const TensorId one = Other(add, e.outputs[0]);
    if (add.kind != ir::OpKind::kAdd || !Plain(add) || one == ir::kNoTensor || !IsConst(one, 1.0)) return false;
    const TensorId a = add.outputs[0];
    // the first Mul after a: by x, by 0.5, or by x * 0.5
    const NodeId m1_id = SoleReader(a);
    if (m1_id < 0) return false;
    const ir::Node& m1 = Node(m1_id);
    const TensorId by = Other(m1, a);
    if (m1.kind != ir::OpKind::kMul || !Plain(m1) || by == ir::kNoTensor) return false;
    *nodes = {scale_id, erf, add_id};
    if (by == *x || IsConst(by, 0.5)) {
      // Mul(x, a) then * 0.5, or Mul(a, 0.5) then * x
      const NodeId m2_id = SoleReader(m1.outputs[0]);
      if (m2_id < 0) return false;
      const ir::Node& m2 = Node(m2_id);
      const TensorId last = Other(m2, m1.outputs[0]);
      if (m2.kind != ir::OpKind::kMul || !Plain(m2) || last == ir::kNoTensor) return false;
      if (by == *x ? !IsConst(last, 0.5) : last != *x) return false;
      nodes->push_back(m1_id);
      nodes->push_back(m2_id);
    } else {
      // (x * 0.5) * a
      const ir::Node* half = Producer(by, ir::OpKind::kMul);
      if (half == nullptr || SoleReader(by) != m1_id || Other(*half, *x) == ir::kNoTensor ||
          !IsConst(Other(*half, *x), 0.5))
        return false;
      nodes->push_back(producers_[static_cast<size_t>(by)]);
      nodes->push_back(m1_id);
    }
    // y has x's shape (the constants are scalars)
    return g_.tensor(Node(nodes->back()).outputs[0]).shape == g_.tensor(*x).shape &&
           g_.tensor(*x).dtype == ir::DType::kF32;
  }

 private:
  const ir::Graph& g_;
  std::vector<NodeId> producers_;
  std::vector<std::vector<NodeId>> consumers_;
};

// One rewrite; returns true when something changed (the caller recomputes use lists).
bool FuseOnce(ir::Graph& g) {
  const Matcher m(g);
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    if (g.nodes[i].kind != ir::OpKind::kErf) continue;
    std::vector<NodeId> nodes;
    TensorId x = ir::kNoTensor;
    if (!m.Match(static_cast<NodeId>(i), &nodes, &x)) continue;
    ir::Node& last = g.nodes[static_cast<size_t>(nodes.back())];
    const TensorId y = last.outputs[0];
    last.kind = ir::OpKind::kGelu;
    last.inputs = {x};
    last.outputs = {y};
    last.attrs = {{"approximate", int64_t{0}}};
    std::vector<bool> dead(g.nodes.size(), false);
    for (size_t k = 0; k + 1 < nodes.size(); ++k) dead[static_cast<size_t>(nodes[k])] = true;
    detail::RemoveNodes(g, dead);
    return true;
  }
  return false;
}

}  // namespace

Status FuseGelu(ir::Graph& g) {
  // Each rewrite removes four nodes, so this terminates.
  while (FuseOnce(g)) {
  }
  return Status::Ok();
}

}  // namespace tigris::passes
