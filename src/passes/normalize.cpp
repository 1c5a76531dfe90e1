// Normalize: the pass pipeline run after import (FoldTransposes, FoldBatchNorm, FuseGelu, FuseActivations,
// GlobalizePools, LowerQdq, EliminateDeadCode). Optionally verifies and/or dumps the graph after every pass; a failure
// names the pass.
#include <cstdio>

#include "tigris/passes/passes.h"

namespace tigris::passes {

Status Normalize(ir::Graph& g, const PassOptions& options) {
  struct Pass {
    const char* name;
    Status (*run)(ir::Graph&);
  };
  static const Pass kPipeline[] = {
      {"FoldTransposes", &FoldTransposes},  // first: layout round trips hide DQ -> op -> Q
      {"FoldBatchNorm", &FoldBatchNorm},
      {"FuseGelu", &FuseGelu},  // before FuseActivations, which could claim its last Mul
      {"FuseActivations", &FuseActivations},
      {"GlobalizePools", &GlobalizePools},
      {"LowerQdq", &LowerQdq},  // after FuseActivations: a fused Relu/Clip becomes the int8 clamp
      {"EliminateDeadCode", &EliminateDeadCode},
  };
  for (const Pass& p : kPipeline) {
    Status st = p.run(g);
    if (!st.ok()) return Status(st.code(), std::string("pass ") + p.name + ": " + st.message());
    if (options.dump_each) std::fprintf(stderr, "=== after %s ===\n%s", p.name, g.Dump().c_str());
    if (options.verify_each) {
      Status v = g.Verify();
      if (!v.ok()) return Internal(std::string("graph invalid after pass ") + p.name + ": " + v.message());
    }
  }
  return Status::Ok();
}

}  // namespace tigris::passes
