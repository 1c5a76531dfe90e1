// Temporal partitioning: makes a scheduled graph fit a fast-memory budget by spilling buffers
// to slow memory and reloading them right before use. The result is a new graph whose Copy
// nodes are the spills/reloads and whose every tensor has a pool; stages are the runs of ops
// between spill/reload points.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tigris/ir/graph.h"
#include "tigris/planner/exec_plan.h"
#include "tigris/support/status.h"

namespace tigris::partition {

constexpr uint32_t kFastPool = planner::kFastPool;
constexpr uint32_t kSlowPool = 1;  // the first slow pool; the memory planner spreads spills over slower ones

struct TemporalOptions {
  uint64_t fast_budget = 0;  // bytes of fast memory live bytes may reach at any step
  bool has_slow_pool = false;
  std::vector<uint64_t> scratch;  // per node of the input graph (bytes), empty = none
};

// `order` lists every node of `g` once, topologically. The result is an ExecPlan (no offsets
// yet) whose graph holds the original ops in order plus the spill/reload Copy nodes, with a pool
// for every buffer and one stage per run of ops between spill/reload points. Fails with
// kBudgetExceeded naming the node, op and bytes when one op alone does not fit, or when a spill
// is needed but there is no slow pool.
[[nodiscard]] Expected<planner::ExecPlan> PartitionTemporal(const ir::Graph& g, const std::vector<ir::NodeId>& order,
                                                            const TemporalOptions& options);

}  // namespace tigris::partition
