// Fills the detail of an AnalysisReport (ops, steps, flash layout) from the ExecPlan and the
// .tgrs bytes the pipeline produced: the data the HTML report draws. Internal to tigris_tigris.
#pragma once

#include <cstdint>
#include <vector>

#include "tigris/ir/graph.h"
#include "tigris/planner/exec_plan.h"
#include "tigris/tigris.h"

namespace tigris {

// `model`: the graph the plan was made from (its nodes are the report's ops; plan.origin points
// into it). `bytes`: the emitted plan (its header gives the flash sections). `untiled` marks a
// plan that is not the one at the requested budget (the model does not fit).
void FillPlanDetail(const ir::Graph& model, const planner::ExecPlan& plan, const std::vector<uint8_t>& bytes,
                    bool untiled, AnalysisReport& report);

}  // namespace tigris
