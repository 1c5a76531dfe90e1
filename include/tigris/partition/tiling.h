// Spatial and chain tiling of a group of consecutive ops: the group runs as one streaming pass
// over strips of rows (the primary axis) and, optionally, over bands of a second axis (columns,
// or channels): for each band, for each strip, every op computes its new rows of the band.
// Every tensor produced inside exists only as a line buffer holding the rows its consumers still
// need (halo rows along the primary axis are kept, never recomputed; along the band axis they are
// recomputed, and reported); tensors entering or leaving the group are whole tensors in fast
// memory (read or written window by window in place) or in slow memory (windows loaded into /
// stored from line buffers). A group of one op is spatial tiling, of several ops chain tiling. A
// last op that reduces over the rows (GlobalAveragePool, ReduceMean, ...) accumulates strip by
// strip.
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
  int32_t axis = 2;        // primary (line-buffered) axis of `progress`
  int32_t band_axis = -1;  // axis of the driver split into bands, -1 = none
  ir::TensorId driver = ir::kNoTensor;    // the last node's output
  ir::TensorId progress = ir::kNoTensor;  // whose rows count the strips: the driver, or an accumulator's input
  bool accumulates = false;               // the last node reduces over the rows, strip by strip
  // Per node (as `nodes`): bytes of kernel scratch its calls need (a vendor kernel's, sized for
  // the whole op: a strip never needs more). The group's ops share one scratch buffer of the
  // largest, counted in its fast bytes (SetGroupScratch; 0 = none).
  std::vector<uint64_t> node_scratch;
  std::vector<ir::TensorId> entries;   // activations read by the group, made outside it
  std::vector<ir::TensorId> exits;     // made by the group, read after it or graph outputs (driver first)
  std::vector<ir::TensorId> internals; // made and consumed only inside
  // Per tensor of the graph, for the group's activations: the axis rows / bands run along, or -1
  // when the tensor is handled whole along it.
  std::vector<int32_t> tensor_axis;
  std::vector<int32_t> tensor_band;
  // Per node, per runtime input: InputWindow along the node's row / band axis, precomputed; and
  // per node the granule its output windows come in along each (whole groups of a grouped conv).
  std::vector<std::vector<WindowRule>> row_rules, band_rules;
  std::vector<int64_t> row_granule, band_granule;
};

// Builds the group of `nodes` (a run of the schedule) with rows along `axis` of its progress
// tensor and, when band_axis >= 0, bands along that axis of its driver. Fails (kUnsupported,
// naming the node) when an op cannot be tiled along the axes its output needs, a tensor would
// need two axes, or an exit other than the driver is read by no op of the group.
// `consumers` (g.Consumers(), optional) saves recomputing it for every candidate group.
[[nodiscard]] Expected<TileGroup> MakeTileGroup(const ir::Graph& g, std::vector<ir::NodeId> nodes, int32_t axis,
                                                int32_t band_axis = -1,
                                                const std::vector<std::vector<ir::NodeId>>* consumers = nullptr);

// Where a group's entry/exit lives while the group runs.
enum class Residency : uint8_t { kFast, kSlow };

// The strips of a group: `rows` progress rows per strip, `bands` bands.
// Whether the accumulating last node of `grp` keeps its running result in an int32 partial of its
// output's dims rather than in its output (the int8 GlobalAveragePool: an int8 output cannot hold
// a running sum). The expansion then gives the group a partial buffer: the first strip writes it,
// the middle ones update it in place, the last reads it and writes the output.
bool AccumulatesInPartial(const ir::Graph& g, const TileGroup& grp);

struct GroupStrips {
  int64_t iterations = 0;  // strips per band
  int64_t rows = 0;        // progress rows per strip (the last may have fewer)
  int64_t bands = 1;
  // Group tensors: entries, exits, internals (TileGroup order).
  std::vector<ir::TensorId> tensors;
  std::vector<int64_t> length;       // per tensor: rows (1 when handled whole along the axis)
  std::vector<int64_t> band_length;  // per tensor: extent along its band axis (1 when whole)
  std::vector<uint64_t> cell_bytes;  // per tensor: bytes of one (row, band column) cell
  // Per tensor, per iteration: rows computed or loaded (`fresh`) and rows held (`window`).
  std::vector<std::vector<Interval>> fresh, window;
  std::vector<int64_t> held;   // per tensor: max window (line-buffer rows)
  // Per tensor, per band: columns it is computed / loaded on (`cols`), and for exits the
  // columns its band stores (`share`, a partition of the tensor).
  std::vector<std::vector<Interval>> cols, share;
  std::vector<int64_t> width;  // per tensor: max cols (line-buffer columns)
  // Per node, per iteration: the rows it computes; per node, per band: its columns; per node,
  // iteration/band and runtime input: the rows / columns it reads (In / InCols).
  std::vector<std::vector<Interval>> op_out, op_cols;
  std::vector<size_t> op_inputs;                         // per node: runtime inputs
  std::vector<std::vector<Interval>> op_in, op_in_cols;  // per node: [iteration or band][input], flat
  Interval In(size_t node, size_t k, size_t i) const { return op_in[node][k * op_inputs[node] + i]; }
  Interval InCols(size_t node, size_t b, size_t i) const { return op_in_cols[node][b * op_inputs[node] + i]; }
  uint64_t macs = 0;             // multiply-accumulates executed (elementwise ops: one per value)
  uint64_t recomputed_macs = 0;  // beyond the model's own (band halos)
  uint64_t halo_rows = 0;        // rows kept across strips, summed over line buffers
  std::vector<uint64_t> shift_bytes;  // per tensor: line-buffer moves (fast to fast) per inference
};

[[nodiscard]] Expected<GroupStrips> PlanStrips(const ir::Graph& g, const TileGroup& group, int64_t rows,
                                               int64_t bands = 1);

// Fills group.node_scratch from per-model-node scratch bytes (FitProblem::scratch).
void SetGroupScratch(TileGroup& group, const std::vector<uint64_t>& scratch);
// The largest of group.node_scratch (0 when empty).
uint64_t GroupScratch(const TileGroup& group);

// Fast bytes the group needs while it runs: its shared scratch buffer, line buffers of internals and of slow entries and
// exits, plus the whole fast entries and exits. `residency` is per entry then per exit.
uint64_t GroupFastBytes(const TileGroup& group, const GroupStrips& strips, const std::vector<Residency>& residency,
                        const ir::Graph& g);
// Slow-memory bytes moved: windows of slow entries loaded, of slow exits stored.
uint64_t GroupSlowBytes(const TileGroup& group, const GroupStrips& strips, const std::vector<Residency>& residency,
                        const ir::Graph& g);

// What running the group costs besides its MACs: kernel calls (ops, loads/stores, line-buffer
// shifts) and bytes moved fast to fast by the shifts, for `residency`.
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
// added to the buffer table, every window is a view into a line buffer or into an entry's /
// exit's buffer (or a weight's, for channel bands), runs of strips that differ only by constant
// offsets (and params words, when `params` is given) become kLoop steps. The placeholder's inputs
// are the entries as the plan holds them (a fast tensor is read in place, a slow one window by
// window), its outputs the exits (a fast one written in place, a slow one through a line
// buffer). Instances get plan.origin entries. Returns the number of steps that replaced it.
[[nodiscard]] Expected<size_t> ExpandGroup(planner::ExecPlan& plan, size_t step, const ir::Graph& model,
                                           const TileGroup& group, const GroupStrips& strips, const ParamsQuery& params);

}  // namespace tigris::partition
