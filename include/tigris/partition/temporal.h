// Temporal partitioning: makes a scheduled graph fit a fast-memory budget by spilling buffers
// to slow memory and reloading them right before use. The result is a new graph whose Copy
// nodes are the spills/reloads and whose every tensor has a pool; stages are the runs of ops
// between spill/reload points.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tigris/ir/graph.h"
#include "tigris/partition/cost_model.h"
#include "tigris/partition/tiling.h"
#include "tigris/planner/exec_plan.h"
#include "tigris/support/status.h"

namespace tigris::partition {

constexpr uint32_t kFastPool = planner::kFastPool;
constexpr uint32_t kSlowPool = 1;  // the first slow pool; the memory planner spreads spills over slower ones

// A tile group the walk runs as one unit: its nodes are order[first .. first + nodes.size()).
struct GroupChoice {
  TileGroup group;
  size_t first = 0;
  int64_t min_rows = 1;  // driver rows per strip, at least
  int64_t max_rows = 0;  // at most (0 = the tallest strip that fits)
  int64_t bands = 1;     // bands along the group's band axis
};

struct TemporalOptions {
  uint64_t fast_budget = 0;  // bytes of fast memory live bytes may reach at any step
  bool has_slow_pool = false;
  std::vector<uint64_t> scratch;  // per node of the input graph (bytes), empty = none
  std::vector<GroupChoice> groups;  // tile groups, disjoint runs of the order
  ParamsQuery params;               // params encoding for the loop roller (may be empty)
  // False: the plan's constants carry no data (for budget searches; FitBudget restores it).
  bool keep_constant_data = true;
};

// `order` lists every node of `g` once, topologically. The result is an ExecPlan (no offsets
// yet) whose graph holds the original ops in order plus the spill/reload Copy nodes, with a pool
// for every buffer and one stage per run of ops between spill/reload points. Fails with
// kBudgetExceeded naming the node, op and bytes when one op alone does not fit, or when a spill
// is needed but there is no slow pool.
[[nodiscard]] Expected<planner::ExecPlan> PartitionTemporal(const ir::Graph& g, const std::vector<ir::NodeId>& order,
                                                            const TemporalOptions& options);

// The same walk's decisions without building the plan: the work it would do (the cost model's
// inputs). Same errors as PartitionTemporal; much cheaper, for searches over tilings.
[[nodiscard]] Expected<PlanWork> PartitionWork(const ir::Graph& g, const std::vector<ir::NodeId>& order,
                                               const TemporalOptions& options);

}  // namespace tigris::partition
