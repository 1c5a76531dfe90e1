// FoldTransposes: a Transpose of a Transpose becomes one Transpose of the original tensor (the
// composed permutation), and a Transpose whose permutation is the identity goes away (its readers
// read its input). Both are exact: a Transpose only moves values. The NHWC QOperator form
// (frontend/qoperators.h) writes NHWC->NCHW->NHWC pairs around every channels_last op, and
// exporters write layout round trips of their own; folding them lets LowerQdq see DQ -> op -> Q
// and keeps the plan from copying activations for nothing.
// Pre: canonical attributes (Transpose has `perm`). Post: no Transpose reads a Transpose and
// none is an identity, except one writing a graph output from a graph input or constant (kept so
// the output stays a tensor of its own); the inner Transpose of a pair is left for
// EliminateDeadCode when nothing else reads it.
#include "pass_util.h"
#include "tigris/passes/passes.h"

namespace tigris::passes {

namespace {

bool IsIdentity(const std::vector<int64_t>& perm) {
  for (size_t d = 0; d < perm.size(); ++d)
    if (perm[d] != static_cast<int64_t>(d)) return false;
  return true;
}

}  // namespace

Status FoldTransposes(ir::Graph& g) {
  std::vector<ir::NodeId> producer = g.Producers();
  std::vector<bool> dead(g.nodes.size(), false);
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    ir::Node& t2 = g.nodes[i];
    if (t2.kind != ir::OpKind::kTranspose || t2.inputs.size() != 1 || t2.outputs.size() != 1) continue;
    std::vector<int64_t> perm = t2.GetInts("perm");
    // Compose with the Transpose producing the input: y[j] = t1[p2[j]] = x[p1[p2[j]]].
    const ir::NodeId p = producer[static_cast<size_t>(t2.inputs[0])];
    if (p >= 0 && !dead[static_cast<size_t>(p)] && g.nodes[static_cast<size_t>(p)].kind == ir::OpKind::kTranspose) {
      const ir::Node& t1 = g.nodes[static_cast<size_t>(p)];
      const std::vector<int64_t> p1 = t1.GetInts("perm");
      if (p1.size() == perm.size()) {
        std::vector<int64_t> q(perm.size());
        for (size_t j = 0; j < perm.size(); ++j) q[j] = p1[static_cast<size_t>(perm[j])];
        t2.inputs[0] = t1.inputs[0];
        t2.attrs["perm"] = q;
        perm = q;
      }
    }
    if (!IsIdentity(perm)) continue;
    const ir::TensorId x = t2.inputs[0], y = t2.outputs[0];
    if (detail::IsGraphOutput(g, y)) {
      // The output must stay its own tensor; the producer of x can write it directly only if x
      // is an op's output read by nothing else, which the planner's aliasing handles better.
      continue;
    }
    for (ir::Node& n : g.nodes)
      for (ir::TensorId& in : n.inputs)
        if (in == y) in = x;
    dead[i] = true;
  }
  detail::RemoveNodes(g, dead);
  return Status::Ok();
}

}  // namespace tigris::passes
