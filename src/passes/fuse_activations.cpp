// FuseActivations: folds an activation into the op that produces its input.
//   P -> A                                                        becomes P{act, act_a, act_b}
//   P -> x, Sigmoid(x), Mul(x, sigmoid(x)) (either operand order) becomes P{act = SILU}
// for an activation A (ops.def column `act`: Relu/Clip/LeakyRelu/Sigmoid/HardSigmoid/HardSwish/
// Tanh) and a producer P whose params record carries a tgrs_act_t (ops.def `params` Conv, Gemm,
// Act: Conv/ConvTranspose/Gemm/MatMul/Add/Sub/Mul/Div) without an activation yet, when the
// intermediate tensors have no other reader and are not graph outputs.
// Pre: canonical attributes (docs/ir.md). Post: fused producers write the activation's output
// tensor; `act` holds a tgrs_act_kind_t value; node order stays topological.
#include "tigris/support/log.h"
#include "pass_util.h"
#include "tigris/ir/op_traits.h"
#include "tigris/kernels/tgrs_params.h"
#include "tigris/passes/passes.h"

namespace tigris::passes {

namespace {

// The producers (ops whose params carry a tgrs_act_t) and the activations with their
// tgrs_act_kind_t come from ops.def; the operands from the canonical attributes.
bool IsFusableProducer(ir::OpKind k) { return ir::Traits(k).fusable_producer(); }

// tgrs_act_kind_t and its parameters for an activation node; false if `n` is not one.
bool ActivationOf(const ir::Node& n, int64_t* kind, float* a, float* b) {
  const ir::OpTraits& t = ir::Traits(n.kind);
  *a = 0.f;
  *b = 0.f;
  if (!t.fusable_activation()) return false;
  const ir::UnaryOperands ops = ir::UnaryOperandsOf(n);
  *kind = t.act;
  *a = ops.a;
  *b = ops.b;
  return true;
}

// One rewrite; returns true when something changed (the caller recomputes use lists).
bool FuseOnce(ir::Graph& g) {
  const auto producers = g.Producers();
  const auto consumers = g.Consumers();
  auto sole_private_reader = [&](ir::TensorId t, ir::NodeId reader) {
    const auto& c = consumers[static_cast<size_t>(t)];
    return c.size() == 1 && c[0] == reader && !detail::IsGraphOutput(g, t);
  };
  auto fusable_producer = [&](ir::TensorId t) -> ir::NodeId {
    const ir::NodeId p = producers[static_cast<size_t>(t)];
    if (p < 0) return -1;
    const ir::Node& pn = g.nodes[static_cast<size_t>(p)];
    if (!IsFusableProducer(pn.kind) || pn.outputs.size() != 1 || pn.GetInt("act", 0) != 0) return -1;
    return p;
  };
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const ir::Node& n = g.nodes[i];
    // SiLU: Mul(x, Sigmoid(x)).
    if (n.kind == ir::OpKind::kMul && n.inputs.size() == 2 && n.GetInt("act", 0) == 0) {
      for (int side = 0; side < 2; ++side) {
        const ir::TensorId s = n.inputs[static_cast<size_t>(side)], x = n.inputs[static_cast<size_t>(1 - side)];
        if (s < 0 || x < 0 || s == x) continue;
        const ir::NodeId sid = producers[static_cast<size_t>(s)];
        if (sid < 0 || g.nodes[static_cast<size_t>(sid)].kind != ir::OpKind::kSigmoid || g.nodes[static_cast<size_t>(sid)].inputs[0] != x)
          continue;
        if (!sole_private_reader(s, static_cast<ir::NodeId>(i))) continue;
        const ir::NodeId p = fusable_producer(x);
        if (p < 0 || detail::IsGraphOutput(g, x)) continue;
        const auto& xc = consumers[static_cast<size_t>(x)];
        if (xc.size() != 2) continue;  // exactly the Sigmoid and the Mul
        ir::Node& pn = g.nodes[static_cast<size_t>(p)];
        TIGRIS_LOG_DEBUG("FuseActivations: SiLU '{}' fused into '{}' ({})", n.name, pn.name, ir::OpName(pn.kind));
        pn.attrs["act"] = int64_t{TGRS_ACT_SILU};
        pn.attrs["act_a"] = 0.f;
        pn.attrs["act_b"] = 0.f;
        pn.outputs[0] = n.outputs[0];
        std::vector<bool> dead(g.nodes.size(), false);
        dead[i] = true;
        dead[static_cast<size_t>(sid)] = true;
        detail::RemoveNodes(g, dead);
        return true;
      }
    }
    int64_t kind;
    float a, b;
    if (!ActivationOf(n, &kind, &a, &b) || n.inputs.empty() || n.inputs[0] < 0) continue;
    const ir::TensorId x = n.inputs[0];
    const ir::NodeId p = fusable_producer(x);
    if (p < 0 || !sole_private_reader(x, static_cast<ir::NodeId>(i))) continue;
    // Keep Sigmoid for a SiLU pattern the Mul above may still claim.
    ir::Node& pn = g.nodes[static_cast<size_t>(p)];
    TIGRIS_LOG_DEBUG("FuseActivations: {} '{}' fused into '{}' ({})", ir::OpName(n.kind), n.name, pn.name,
                     ir::OpName(pn.kind));
    pn.attrs["act"] = kind;
    pn.attrs["act_a"] = a;
    pn.attrs["act_b"] = b;
    pn.outputs[0] = n.outputs[0];
    std::vector<bool> dead(g.nodes.size(), false);
    dead[i] = true;
    detail::RemoveNodes(g, dead);
    return true;
  }
  return false;
}

}  // namespace

Status FuseActivations(ir::Graph& g) {
  // Each rewrite removes at least one node, so this terminates.
  while (FuseOnce(g)) {
  }
  return Status::Ok();
}

}  // namespace tigris::passes
