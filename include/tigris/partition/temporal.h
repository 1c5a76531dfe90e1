// Temporal partitioning: makes a scheduled graph fit a fast-memory budget by spilling buffers
// to slow memory and reloading them right before use. The result is a new graph whose Copy
// nodes are the spills/reloads and whose every tensor has a pool; stages are the runs of ops
// between spill/reload points.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tigris/ir/graph.h"
#include "tigris/support/status.h"

namespace tigris::partition {

constexpr uint32_t kFastPool = 0;
constexpr uint32_t kSlowPool = 1;  // the first slow pool; the memory planner spreads spills over slower ones

struct TemporalOptions {
  uint64_t fast_budget = 0;  // bytes of fast memory live bytes may reach at any step
  bool has_slow_pool = false;
  std::vector<uint64_t> scratch;  // per node of the input graph (bytes), empty = none
};

struct Stage {
  uint32_t first = 0;        // first node (index into the result graph's nodes)
  uint32_t last = 0;         // last node, inclusive
  uint64_t fast_peak = 0;    // max live fast bytes while the stage runs
  uint32_t compute_ops = 0;  // nodes that are not spill/reload copies
};

struct TemporalResult {
  ir::Graph graph;              // nodes in execution order; spills/reloads are Copy nodes
  std::vector<uint32_t> pool;   // per tensor of `graph`: kFastPool or kSlowPool
  std::vector<uint64_t> scratch;  // per node of `graph`
  std::vector<Stage> stages;
  uint64_t spill_bytes = 0;     // fast -> slow bytes per inference
  uint64_t reload_bytes = 0;    // slow -> fast bytes per inference
  uint64_t fast_peak = 0;       // max over steps of live fast bytes (incl. scratch)
  uint64_t slow_peak = 0;       // max over steps of live slow bytes
};

// The fast bytes node `n` needs on its own (its activation inputs, outputs and scratch): no
// budget below the maximum of this over all nodes can work without tiling.
uint64_t NodeFastNeed(const ir::Graph& g, ir::NodeId n, uint64_t scratch);

// `order` lists every node of `g` once, topologically. Fails with kBudgetExceeded naming the
// node, op and bytes when one op alone does not fit, or when a spill is needed but there is no
// slow pool.
[[nodiscard]] Expected<TemporalResult> PartitionTemporal(const ir::Graph& g, const std::vector<ir::NodeId>& order,
                                                         const TemporalOptions& options);

// Live bytes per pool while each node of a partitioned graph runs (the accounting used for
// stages and the report). Views (Reshape) share their input's bytes.
std::vector<std::vector<uint64_t>> LiveBytesByPool(const ir::Graph& g, const std::vector<uint32_t>& pool,
                                                   const std::vector<uint64_t>& scratch, uint32_t n_pools);

}  // namespace tigris::partition
