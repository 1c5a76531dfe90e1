// ExecPlan -> .tgrs bytes (format: include/tigris/runtime/tgrs_plan_format.h), written 1:1:
// one op record per kOp step, one loop record per kLoop step. The bytes load in the C runtime:
// WritePlan validates every value the loader checks (failing with the node/tensor that cannot be
// written) and finally loads the blob with the runtime's own loader.
#pragma once

#include <cstdint>
#include <vector>

#include "tigris/emit/kernel_backend.h"
#include "tigris/emit/weight_codec.h"
#include "tigris/ir/graph.h"
#include "tigris/planner/exec_plan.h"
#include "tigris/support/status.h"

namespace tigris::emit {

struct EmitOptions {
  bool xip = true;  // sets TGRS_FLAG_XIP: the weights section is addressable (memory-mapped flash)
  // How weight stages are stored. A plan has weight stages (planner::PlaceStageWeights) exactly
  // when !xip or compression != kNone; otherwise its tensors read the weights in place.
  WeightCompression compression = WeightCompression::kNone;
  // The kernels the plan is sized for: every op's reserved scratch is checked against this
  // backend's need (KernelScratchQuery).
  KernelBackend backend;
};

// Translates each node's canonical attributes into its tgrs_*_params_t record (op_params.h) and
// lays out header, tensor table (only tensors the plan references), op table, loop table,
// words, weights, strings, then the CRC-32. `plan` must have offsets (AssignPlanOffsets). Also
// fails when a step reserves less scratch than its kernel needs.
[[nodiscard]] Expected<std::vector<uint8_t>> WritePlan(const planner::ExecPlan& plan, const EmitOptions& options);

}  // namespace tigris::emit
