// Operator ordering: a topological order of the graph that minimizes peak live activation
// memory. Exact (dynamic programming over the graph's executed-node sets) while the number of
// states per step stays under a cap, a beam search beyond it; the result says which.
#pragma once

#include <cstdint>
#include <vector>

#include "tigris/ir/graph.h"
#include "tigris/support/status.h"

namespace tigris::planner {

// The memory model shared by the scheduler, the planner and the report. A "buffer" is a set of
// tensors sharing bytes: an activation and the Reshape views of it. Constants are not buffers.
struct BufferModel {
  std::vector<int32_t> buffer_of;       // per TensorId: buffer index, -1 for constants/unused
  std::vector<uint64_t> size;           // per buffer, bytes (the root tensor's size)
  std::vector<ir::TensorId> root;       // per buffer: the tensor that owns the bytes
  std::vector<ir::NodeId> producer;     // per buffer: node writing the root, -1 = graph input
  std::vector<std::vector<ir::NodeId>> readers;  // per buffer: nodes reading any alias (sorted, unique)
  std::vector<bool> is_graph_output;    // per buffer: some alias is a graph output (lives to the end)
  std::vector<uint64_t> scratch;        // per node: kernel scratch bytes (0 when unknown)
};

// Builds the buffer model; Reshape outputs alias their (non-constant) input.
BufferModel BuildBufferModel(const ir::Graph& g);

// Per node: the buffers it reads (each once) and the buffers it creates.
struct NodeBufferUse {
  std::vector<int32_t> reads;
  std::vector<int32_t> creates;
};
std::vector<NodeBufferUse> NodeBufferUses(const BufferModel& m, size_t n_nodes);

// The fast bytes node `use` needs on its own: the buffers it reads and creates (each once) and
// its scratch. No budget below the largest of these works without tiling. The partitioner and
// the report's min_fast_budget both use this definition.
uint64_t NodeFastNeed(const BufferModel& m, const NodeBufferUse& use, uint64_t scratch);

// Live bytes while each step of `order` runs, everything in one pool (m.scratch per node): the
// ExecPlan lifetime rule (ComputeLifetimes / LiveBytes) applied to that order.
std::vector<uint64_t> LiveBytesPerStep(const BufferModel& m, const ir::Graph& g, const std::vector<ir::NodeId>& order);
// The largest of LiveBytesPerStep (graph inputs alone when the graph has no nodes).
uint64_t PeakOfOrder(const BufferModel& m, const ir::Graph& g, const std::vector<ir::NodeId>& order);

struct ScheduleOptions {
  size_t max_states_per_step = 20000;  // above this the search keeps only the best states
  std::vector<uint64_t> scratch;       // per node, bytes of kernel scratch (empty = none)
};

struct Schedule {
  std::vector<ir::NodeId> order;
  uint64_t peak = 0;
  bool optimal = false;  // true when no step hit the state cap (the order is a proven minimum)
  size_t states_explored = 0;
};

[[nodiscard]] Expected<Schedule> ScheduleMinPeak(const ir::Graph& g, const ScheduleOptions& options = {});

}  // namespace tigris::planner
