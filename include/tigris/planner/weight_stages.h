// Weights that are not read in place (a plan compiled without --xip, or with compressed weights):
// each stage's constants get one RAM buffer, held across the stage and planned like any other
// buffer, so the pool sizes (and what analyze reports) include them.
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

// Cuts the steps into weight stages at plan.stages' starts (never inside a loop body), gives
// each stage that reads constants a kWeightStage buffer of its constants' bytes (16-aligned
// each, in first-use order) plus margin(bytes), and re-assigns offsets with the budgets `pools`
// (AssignPlanOffsets). The buffers go to the fast pool; when that exceeds the budget and a slow
// pool exists, to the slowest pool; otherwise kBudgetExceeded says how many bytes they need.
// `plan` must have offsets and its constants' data.
[[nodiscard]] Status PlaceStageWeights(ExecPlan& plan, const std::vector<uint64_t>& pools, const std::string& algorithm,
                                       const StageMarginQuery& margin);

// The decoded bytes of weight stage `ws`: each constant's data at its offset, zero padding.
std::vector<uint8_t> WeightStageBytes(const ExecPlan& plan, const WeightStage& ws);

}  // namespace tigris::planner
