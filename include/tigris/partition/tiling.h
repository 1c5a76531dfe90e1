// Spatial and chain tiling of a group of consecutive ops: the group runs as one streaming pass
// over strips of its last op's output along one axis; every tensor produced inside exists only
// as a line buffer holding the rows its consumers still need (halo rows are kept, never
// recomputed); tensors entering or leaving the group are whole tensors in fast memory (read or
// written window by window in place) or in slow memory (strips loaded into / stored from line
// buffers). A group of one op is spatial tiling, of several ops chain tiling.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "tigris/ir/graph.h"
#include "tigris/partition/receptive_field.h"
#include "tigris/planner/exec_plan.h"
#include "tigris/support/status.h"

namespace tigris::partition {

// The ops of a group (model nodes in execution order), their tensors' roles and tiled axes.
struct TileGroup {
  std::vector<ir::NodeId> nodes;
  int32_t axis = 2;                    // tiled axis of the driver (the last node's output)
  ir::TensorId driver = ir::kNoTensor;
  std::vector<ir::TensorId> entries;   // activations read by the group, made outside it
  std::vector<ir::TensorId> exits;     // made by the group, read after it or graph outputs
  std::vector<ir::TensorId> internals; // made and consumed only inside
  // Per tensor of the graph: the axis its windows run along (-1 = handled whole), only for the
  // group's activations.
  std::vector<int32_t> tensor_axis;
};

// Builds the group of `nodes` (consecutive in the schedule, so all outputs of earlier nodes
// that later nodes read are made first) tiled along `axis` of its last node's output; fails
// (kUnsupported, naming the node) when an op cannot be tiled along the axis its output needs,
// or a tensor would need two axes, or an exit other than the driver is read by no op of the
// group (it would have to be held whole).
[[nodiscard]] Expected<TileGroup> MakeTileGroup(const ir::Graph& g, std::vector<ir::NodeId> nodes, int32_t axis);

// Where a group's entry/exit lives while the group runs.
enum class Residency : uint8_t { kFast, kSlow };

// The strips of a group for `rows` driver rows per iteration, windows per tensor and iteration.
struct GroupStrips {
  int64_t iterations = 0;
  int64_t rows = 0;  // driver rows per iteration (the last iteration may have fewer)
  // Per tensor of the group (index into TileGroup order: entries, exits, internals), per
  // iteration: rows computed or loaded (`fresh`) and rows that must be held (`window`).
  std::vector<ir::TensorId> tensors;
  std::vector<int64_t> length;        // per tensor: rows along its axis (1 for whole tensors)
  std::vector<uint64_t> row_bytes;    // per tensor: bytes of one row (the whole tensor if axis -1)
  std::vector<std::vector<Interval>> fresh, window;
  std::vector<int64_t> held;          // per tensor: max window size (line buffer rows)
  // Per node of the group, per iteration: the output rows it computes; and per runtime input
  // the input window it reads (empty interval = the whole input).
  std::vector<std::vector<Interval>> op_out;
  std::vector<std::vector<std::vector<Interval>>> op_in;
  uint64_t macs = 0;            // multiply-accumulates (elementwise ops: one per output value)
  uint64_t recomputed_macs = 0; // MACs beyond the untiled model's (0: halos are kept)
  uint64_t halo_rows = 0;       // rows held across iterations, summed over line buffers (max per iteration)
  std::vector<uint64_t> shift_bytes;  // per tensor: line-buffer moves (fast to fast) per inference
};

// The strips for `rows` driver rows per iteration (>= 1).
[[nodiscard]] Expected<GroupStrips> PlanStrips(const ir::Graph& g, const TileGroup& group, int64_t rows);

// Fast bytes the group needs while it runs: line buffers of internals and of slow entries and
// exits, plus the whole fast entries and exits. `residency` is per entry then per exit.
uint64_t GroupFastBytes(const TileGroup& group, const GroupStrips& strips, const std::vector<Residency>& residency,
                        const ir::Graph& g);
// Slow-memory bytes moved: strips of slow entries loaded and of slow exits stored.
uint64_t GroupSlowBytes(const TileGroup& group, const GroupStrips& strips, const std::vector<Residency>& residency,
                        const ir::Graph& g);

// What running the group costs besides its MACs: kernel calls (ops, strip loads/stores,
// line-buffer shifts) and bytes moved fast to fast by the shifts, for `residency`.
struct GroupOverhead {
  uint64_t calls = 0;
  uint64_t shift_bytes = 0;
};
GroupOverhead GroupOverheadOf(const TileGroup& group, const GroupStrips& strips, const std::vector<Residency>& residency);

// Encodes a node's params record as the emitter will (the loop roller compares these words to
// find iterations that differ only by constant deltas). Supplied by the compiler (emit).
using ParamsQuery = std::function<Expected<std::vector<uint32_t>>(const ir::Graph&, const ir::Node&)>;

// Replaces plan step `step` (a placeholder node reading the group's entries and writing its
// exits, already placed in the plan's buffers) by the group's tile steps: line buffers are
// added to the buffer table, every strip is a view into a line buffer or into an entry's /
// exit's buffer, runs of iterations that differ only by constant offsets become kLoop steps.
// Returns the number of steps that replaced the placeholder.
// The placeholder's inputs are the entries (in TileGroup::entries order) as the plan holds them
// (a fast tensor is read in place, a slow one strip by strip), its outputs the exits (a fast one
// is written in place, a slow one through a line buffer). Instances get plan.origin entries.
[[nodiscard]] Expected<size_t> ExpandGroup(planner::ExecPlan& plan, size_t step, const ir::Graph& model,
                                           const TileGroup& group, const GroupStrips& strips, const ParamsQuery& params);

}  // namespace tigris::partition
