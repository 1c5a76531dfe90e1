// Weights that are not read in place (a plan compiled without --xip, or with compressed weights):
// the constants of each op (a tiled op's or chain's loop counts as one) get one RAM buffer, held
// while it runs and planned like any other buffer, so the pool sizes (and what analyze reports)
// include them.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "tigris/planner/exec_plan.h"
#include "tigris/support/status.h"

namespace tigris::planner {

// Extra bytes after a stage's `bytes` its fill needs (the in-place LZ4 decode margin); empty = 0.
using StageMarginQuery = std::function<uint64_t(const std::vector<uint8_t>& stage_bytes)>;

// Cuts the steps into weight stages: one per op outside a loop and per loop (never inside a loop
// body), consecutive ones that read a common constant merged, none for steps without constants.
// Each gets a kWeightStage buffer of its constants' bytes (16-aligned each, in first-use order)
// plus margin(bytes), held over its steps, and offsets are re-assigned with the budgets `pools`
// (AssignPlanOffsets). The buffers go to the fast pool; when that exceeds the budget and a slow
// pool exists, the fewest largest ones that make it fit go to the slowest pool; otherwise
// kBudgetExceeded says how many bytes they need. `plan` must have offsets and its constants' data.
[[nodiscard]] Status PlaceStageWeights(ExecPlan& plan, const std::vector<uint64_t>& pools, const std::string& algorithm,
                                       const StageMarginQuery& margin);

// The decoded bytes of weight stage `ws`: each constant's data at its offset, zero padding.
std::vector<uint8_t> WeightStageBytes(const ExecPlan& plan, const WeightStage& ws);

}  // namespace tigris::planner
