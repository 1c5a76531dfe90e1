// Where every tensor lives at run time: pool and byte offset, decided at compile time.
// A MemoryPlan is complete for the graph it was made from: every tensor the plan carries is
// placed, and no two buffers that are live at the same step share a byte (CheckNoOverlap).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "tigris/ir/graph.h"
#include "tigris/planner/usage_records.h"
#include "tigris/support/status.h"

namespace tigris::planner {

constexpr uint32_t kWeightsPool = 0xFF;  // constant tensor in the plan's weights section
constexpr uint32_t kTensorAlign = 16;

struct TensorPlacement {
  uint32_t pool = 0;      // 0 = fastest pool, kWeightsPool for constants
  uint64_t offset = 0;    // in the pool (or weights section)
  bool allocated = false; // false for tensors no op references
};

// Bytes of scratch the kernel of `node` needs (see emit::KernelScratchQuery, which asks the
// reference kernels' scratch() with the node's encoded params).
using ScratchQuery = std::function<Expected<uint64_t>(const ir::Graph&, const ir::Node&)>;

struct PlanOptions {
  std::vector<uint64_t> pools;  // budgets, fast to slow (bytes); empty = unbounded single pool
  ScratchQuery scratch;         // empty = no node needs scratch
  std::string algorithm = "greedy_by_size";  // offset assignment, see usage_records.h
  // Pool of every activation tensor (by TensorId; a view follows its root), as the partitioner
  // decided: 0 = fast, >= 1 = slow. Empty = everything in pool 0. Tensors given slow pool 1
  // move on to pools 2, 3... (largest first) while pool 1 exceeds its budget.
  std::vector<uint32_t> tensor_pool;
};

struct MemoryPlan {
  std::vector<ir::NodeId> order;            // execution order (indices into graph.nodes)
  std::vector<TensorPlacement> placement;   // indexed by TensorId
  std::vector<uint64_t> pool_size;          // bytes used per pool (one entry per budget given, >= 1)
  std::vector<uint64_t> pool_lower_bound;   // per pool: max live bytes, the best any assignment can do
  uint64_t weights_size = 0;                // multiple of kTensorAlign
  uint64_t naive_peak = 0;      // every arena buffer (activations, scratch) alive at once
  uint64_t scheduled_peak = 0;  // max over steps of live pool-0 bytes (activations + scratch)
  std::vector<uint32_t> scratch_offset;     // per node in `order`, in pool 0
  std::vector<uint32_t> scratch_size;

  // The usage records the offsets were assigned from (one per arena buffer: aliased views share
  // their root's record; scratch has its own) and the offsets, for checkers and reports.
  std::vector<UsageRecord> records;
  std::vector<uint64_t> record_offsets;
  std::vector<uint32_t> record_pool;
  std::vector<ir::TensorId> alias_root;     // per tensor: whose bytes it uses (itself if none)
};

// Lifetimes over the graph's node order (the execution order) and an offset assignment per
// pool by the named algorithm; views (Reshape) share their input's bytes when the input is not
// a constant. Fails with kBudgetExceeded naming the pool when a pool's arena exceeds its budget.
[[nodiscard]] Expected<MemoryPlan> PlanMemory(const ir::Graph& g, const PlanOptions& options);

// The inputs the runtime hands to `node`'s kernel. Ops whose shape-like operands the frontend
// folded into canonical attributes (Clip, Pad, ReduceMean, Reshape, Resize, Slice, Split) keep
// only their data input; for the others, trailing omitted optional inputs are dropped.
std::vector<ir::TensorId> RuntimeInputs(const ir::Node& node);

}  // namespace tigris::planner
