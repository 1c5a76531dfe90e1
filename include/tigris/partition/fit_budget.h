// The budget search: partition for a fast budget and assign offsets, retrying with smaller
// live-bytes targets when packing needs more than the partitioner's bound (fragmentation), so
// the arena a plan asks for never exceeds the budget.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "tigris/ir/graph.h"
#include "tigris/partition/cost_model.h"
#include "tigris/partition/temporal.h"
#include "tigris/planner/exec_plan.h"
#include "tigris/support/status.h"

namespace tigris::partition {

// What the search needs besides the graph: everything comes from CompileOptions and the
// scheduler, in one representation from here to the emitter.
struct FitProblem {
  const ir::Graph* graph = nullptr;
  std::vector<ir::NodeId> order;   // every node once, topologically
  std::vector<uint64_t> scratch;   // per node of `graph`, bytes
  std::vector<uint64_t> pools;     // budgets fast to slow; pools[0] is replaced by the budget tried
  std::string algorithm = "hill_climb";  // offset assignment (planner::OffsetAlgorithmNames)
  uint64_t min_need = 0;           // the largest single-op need: no untiled live-bytes target below it works
  bool tiling = true;              // allow spatial and chain tiling
  TargetProfile target = TargetProfiles().front();  // the cost model's constants
  ParamsQuery params;              // params encoding for the loop roller (may be empty)
};

// The tile groups for fast budget `budget` (tile_search.cpp): every op that does not fit alone
// is tiled, and the op order is cut into single ops and fused chains by a dynamic program over
// cut points with a modeled cost (cost_model.h), then refined by moving cuts while the modeled
// cost of the real partition drops. Empty when the model fits without moving anything.
[[nodiscard]] Expected<std::vector<GroupChoice>> ChooseGroups(const FitProblem& problem, uint64_t budget);

// The plan for fast budget `fast_budget` with offsets assigned (pool 0 within the budget), or
// kBudgetExceeded with the diagnostic of the first op that cannot fit.
[[nodiscard]] Expected<planner::ExecPlan> FitBudget(const FitProblem& problem, uint64_t fast_budget);

// The smallest fast budget FitBudget accepts, by bisection between `lo` (a lower bound) and `hi`
// (a budget that works), until the bracket is at most max(16, hi / precision) bytes wide
// (precision 0 = to 16 bytes; the answer is a multiple of 16 that works); 0 when `hi` does not
// work. Assumes that a budget above one that works works too.
// `on_probe` (may be empty) hears every budget tried and whether it compiled (for progress).
using ProbeCallback = std::function<void(uint64_t budget, bool compiles)>;
uint64_t SmallestWorkingBudget(const FitProblem& problem, uint64_t lo, uint64_t hi, uint64_t precision = 0,
                               const ProbeCallback& on_probe = {});

// Bytes of fast memory no plan can exceed (the "unbounded" pool budget).
constexpr uint64_t kUnbounded = uint64_t{1} << 40;

}  // namespace tigris::partition
