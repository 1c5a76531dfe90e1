// IR + memory plan -> .tgrs bytes (format: include/tigris/runtime/tgrs_plan_format.h).
// The bytes load in the C runtime: every tensor, op, params record and section the writer emits
// satisfies the loader's checks, or WritePlan fails naming the node/tensor that cannot be written.
#pragma once

#include <cstdint>
#include <vector>

#include "tigris/ir/graph.h"
#include "tigris/planner/memory_plan.h"
#include "tigris/support/status.h"

namespace tigris::emit {

struct EmitOptions {
  bool xip = false;  // sets TGRS_FLAG_XIP: weights are read in place from flash
};

// Translates each node's canonical attributes into its tgrs_*_params_t record (op_params.h) and
// lays out header, tensor table (only tensors the plan references), op table, words, weights,
// strings, then the CRC-32. Also fails when `plan` reserves less scratch than a kernel needs.
[[nodiscard]] Expected<std::vector<uint8_t>> WritePlan(const ir::Graph& g, const planner::MemoryPlan& plan,
                                                       const EmitOptions& options);

}  // namespace tigris::emit
