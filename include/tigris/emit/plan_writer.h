// IR + memory plan -> .tgrs bytes (format: include/tigris/runtime/tgrs_plan_format.h).
#pragma once

#include <cstdint>
#include <vector>

#include "tigris/ir/graph.h"
#include "tigris/planner/memory_plan.h"
#include "tigris/support/status.h"

namespace tigris::emit {

struct EmitOptions {
  bool xip = false;
};

// Translates each node's canonical attributes into its tgrs_*_params_t record.
[[nodiscard]] Expected<std::vector<uint8_t>> WritePlan(const ir::Graph& g, const planner::MemoryPlan& plan,
                                                       const EmitOptions& options);

}  // namespace tigris::emit
