// Static memory planning over an ExecPlan: every buffer gets a byte offset in its pool from the
// usage records {size, align, first step, last step} of its lifetime, decided at compile time.
// The result is complete: every tensor the plan carries is placed, and no two buffers live at
// the same step share a byte (CheckNoOverlap runs on every plan).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tigris/ir/graph.h"
#include "tigris/planner/exec_plan.h"
#include "tigris/planner/usage_records.h"
#include "tigris/support/status.h"

namespace tigris::planner {

// Assigns offsets per pool with the named algorithm (usage_records.h) and packs constants into
// the weights section in tensor order. `pools` are the budgets fast to slow (bytes); empty = one
// unbounded pool. A slow pool over its budget hands its largest buffers to the next slower pool.
// Fills pool_size, pool_lower_bound, weights_size, naive_peak, scheduled_peak and placement.
// Fails with kBudgetExceeded naming the pool when a pool's arena exceeds its budget.
[[nodiscard]] Status AssignPlanOffsets(ExecPlan& plan, const std::vector<uint64_t>& pools,
                                       const std::string& algorithm);

struct PlanOptions {
  std::vector<uint64_t> pools;  // budgets, fast to slow (bytes); empty = unbounded single pool
  ScratchQuery scratch;         // empty = no node needs scratch
  std::string algorithm = "greedy_by_size";  // offset assignment, see usage_records.h
  // Pool of every activation tensor (by TensorId; a view follows its root): 0 = fast, >= 1 =
  // slow. Empty = everything in pool 0.
  std::vector<uint32_t> tensor_pool;
};

// BuildExecPlan over `g` in node order (scratch from options.scratch) + AssignPlanOffsets.
[[nodiscard]] Expected<ExecPlan> PlanMemory(const ir::Graph& g, const PlanOptions& options);

}  // namespace tigris::planner
