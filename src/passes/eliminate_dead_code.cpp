// EliminateDeadCode: drops nodes whose outputs reach no graph output and tensors that nothing
// references (constants orphaned by folding included), renumbering ids.
// Pre: a graph whose ids are in range. Post: every node contributes to an output; graph inputs
// are kept even when unused (they are the caller's interface); node order is unchanged.
#include "tigris/passes/passes.h"

namespace tigris::passes {

Status EliminateDeadCode(ir::Graph& g) {
  for (ir::TensorId t : g.outputs)
    if (t < 0 || static_cast<size_t>(t) >= g.tensors.size()) return Internal("EliminateDeadCode: graph output id out of range");
  g.RemoveDead();
  return Status::Ok();
}

}  // namespace tigris::passes
