// Where every tensor lives at run time: pool and byte offset, decided at compile time.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tigris/ir/graph.h"
#include "tigris/support/status.h"

namespace tigris::planner {

constexpr uint32_t kWeightsPool = 0xFF;  // constant tensor in the plan's weights section
constexpr uint32_t kTensorAlign = 16;

struct TensorPlacement {
  uint32_t pool = 0;      // 0 = fastest pool, kWeightsPool for constants
  uint64_t offset = 0;    // in the pool (or weights section)
  bool allocated = false; // false for tensors no op references
};

struct PlanOptions {
  std::vector<uint64_t> pools;  // budgets, fast to slow (bytes); empty = unbounded single pool
};

struct MemoryPlan {
  std::vector<ir::NodeId> order;            // execution order (indices into graph.nodes)
  std::vector<TensorPlacement> placement;   // indexed by TensorId
  std::vector<uint64_t> pool_size;          // bytes used per pool
  uint64_t weights_size = 0;
  uint64_t naive_peak = 0;      // all activations alive at once
  uint64_t scheduled_peak = 0;  // max over steps of live activation bytes
  std::vector<uint32_t> scratch_offset;     // per node in `order`, in pool 0
  std::vector<uint32_t> scratch_size;
};

// Lifetimes over the graph's node order and a first-fit offset assignment in pool 0; views
// (Reshape) share their input's bytes when the input is not a constant. Fails with
// kBudgetExceeded when pool 0 is smaller than the peak.
[[nodiscard]] Expected<MemoryPlan> PlanMemory(const ir::Graph& g, const PlanOptions& options);

}  // namespace tigris::planner
