// Normalize: the pass pipeline run after import (FoldTransposes, FoldBatchNorm, FuseGelu, FuseActivations,
// GlobalizePools, LowerQdq, EliminateDeadCode). Optionally verifies and/or dumps the graph after every pass; a failure
// names the pass. Each pass logs (info) what it changed: the op kinds it removed and added.
#include <fmt/format.h>

#include <map>

#include "tigris/passes/passes.h"
#include "tigris/support/log.h"

namespace tigris::passes {

namespace {
std::map<ir::OpKind, int> OpCounts(const ir::Graph& g) {
  std::map<ir::OpKind, int> c;
  for (const ir::Node& n : g.nodes) ++c[n.kind];
  return c;
}

// "-13 BatchNormalization, +1 Gelu" between two op-kind histograms; "" when equal.
std::string CountDiff(const std::map<ir::OpKind, int>& before, const std::map<ir::OpKind, int>& after) {
  std::map<ir::OpKind, int> d = after;
  for (const auto& [k, n] : before) d[k] -= n;
  std::string out;
  for (const auto& [k, n] : d)
    if (n != 0) out += fmt::format("{}{:+d} {}", out.empty() ? "" : ", ", n, ir::OpName(k));
  return out;
}
}  // namespace

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
    const bool logging = log::Enabled(log::Level::kInfo);
    const auto before = logging ? OpCounts(g) : std::map<ir::OpKind, int>{};
    const size_t nodes_before = g.nodes.size();
    Status st = p.run(g);
    if (!st.ok()) return Status(st.code(), std::string("pass ") + p.name + ": " + st.message());
    if (logging) {
      const std::string diff = CountDiff(before, OpCounts(g));
      if (diff.empty()) TIGRIS_LOG_INFO("pass {}: no change ({} ops)", p.name, g.nodes.size());
      else TIGRIS_LOG_INFO("pass {}: {} ops -> {} ({})", p.name, nodes_before, g.nodes.size(), diff);
    }
    if (options.dump_each) fmt::print(stderr, "=== after {} ===\n{}", p.name, g.Dump());
    if (options.verify_each) {
      Status v = g.Verify();
      if (!v.ok()) return Internal(std::string("graph invalid after pass ") + p.name + ": " + v.message());
    }
  }
  return Status::Ok();
}

}  // namespace tigris::passes
