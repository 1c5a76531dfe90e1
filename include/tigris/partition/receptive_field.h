// Receptive fields: which part of each input an op needs to compute a window of its output
// along one axis, and the same op restated for that window (local pads, groups, origins), so a
// tile is the reference kernel on a sub-range and bit-exact by construction. Exact at the
// borders: padding, stride, dilation and ceil_mode windows are mapped as the kernels apply them.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "tigris/ir/graph.h"
#include "tigris/support/status.h"

namespace tigris::partition {

// Half-open index range [lo, hi) along one axis.
struct Interval {
  int64_t lo = 0;
  int64_t hi = 0;
  int64_t size() const { return hi > lo ? hi - lo : 0; }
  bool empty() const { return hi <= lo; }
  bool operator==(const Interval& o) const { return lo == o.lo && hi == o.hi; }
};

constexpr int32_t kWholeInput = -1;  // the input is needed entirely whatever the window

// How a window of output axis `axis` maps onto the op's runtime inputs.
struct AxisMap {
  // Per runtime input (planner::RuntimeInputs order): the input axis the window maps to, or
  // kWholeInput (a broadcast operand, a weight that does not depend on the window, ...).
  std::vector<int32_t> input_axis;
  // Windows must start at multiples of `granule` and end at one or at the axis end (output
  // channels of a grouped convolution come in whole groups).
  int64_t granule = 1;
};

// Whether `n` computes any window of its output(s) along `axis` independently (all outputs
// share the axis), and how its inputs follow; nullopt when it does not (e.g. a Softmax along
// its own axis, a Split along the axis, a global pool over it). A Concat along its own axis
// maps every input onto that axis: a window reads the part of each input it overlaps (nothing
// of the others, see TileReadsInput).
std::optional<AxisMap> TileAxisMap(const ir::Graph& g, const ir::Node& n, int32_t axis);

// The window of runtime input `input` that output window `out` along `axis` reads: exact (every
// index in it is read by some output, every index read is in it), clipped to the input. Only
// meaningful where TileAxisMap(...).input_axis[input] != kWholeInput.
Interval InputWindow(const ir::Graph& g, const ir::Node& n, size_t input, int32_t axis, Interval out);

// InputWindow, precomputed for one (node, input, axis): the arithmetic without attribute
// lookups, for planners that map thousands of windows.
struct WindowRule {
  enum Kind : uint8_t {
    kWhole,
    kIdentity,
    kWindowed,
    kGroupedChannels,
    kSlice,
    kPad,
    kResize,
    kConcatPart
  } kind = kWhole;
  int64_t length = 0;  // the input's extent along the mapped axis (results are clipped to it)
  // windowed: stride, pad_begin, extent; grouped: cout_g, cin_g; slice: start, step; pad: begin;
  // concat part: the input's offset in the output along the concat axis
  int64_t a = 0, b = 0, c = 0, d = 0;
  const ir::Node* node = nullptr;      // resize: the node (its params are rebuilt per call)
  int32_t axis = 0;
  const ir::Graph* graph = nullptr;
};
WindowRule MakeWindowRule(const ir::Graph& g, const ir::Node& n, size_t input, int32_t axis);
Interval ApplyWindowRule(const WindowRule& rule, Interval out);

// One tiled axis of a tile instance: the output window and, per runtime input, the window the
// instance's input view covers along the mapped axis (InputWindow, or the whole input).
struct AxisWindow {
  int32_t axis = 0;
  Interval out;
  std::vector<Interval> in;
};

// Whether the tile of `n` for `windows` reads runtime input `input` at all. False only for a
// part of a Concat tiled along its own axis whose window is empty (the output window lies in
// other parts): LocalizeNode drops that input from the node, and the caller passes no view of it
// (a view would have a zero extent, which plans do not allow). A window that overlaps no part
// at all does not exist (the parts cover the output).
bool TileReadsInput(const ir::Graph& g, const ir::Node& n, const std::vector<AxisWindow>& windows,
                    size_t input);

// Whether `n` reduces over `axis` with `axis` its outermost reduced axis, so that feeding it the
// rows of its input strip by strip (accumulating in its output) sums in the same order as one
// call: GlobalAveragePool/GlobalMaxPool over axis 2, ReduceMean whose first reduced axis it is.
// `count` receives the element count of the whole reduction (the divisor).
bool AccumulatesAlong(const ir::Graph& g, const ir::Node& n, int32_t axis, int64_t* count);

// A strip of an accumulating reduction: acc_flags (TGRS_ACC_BEGIN on the first strip, END on
// the last, 0 in between) and the whole reduction's element count.
struct Accumulation {
  bool active = false;
  int64_t flags = 0;
  int64_t count = 0;
};

// `n` restated for a tile: the same op and attributes, with what depends on the window
// adjusted (pads of convolutions and pools, the group count of a grouped convolution's channel
// tile, Slice starts, Pad begins, Resize window origins and full lengths, a reduction's
// accumulation flags, the parts of a Concat the window does not read removed from its inputs),
// so that the kernel run on the windowed views computes exactly the output window's values of
// the whole op. The caller renames the node and rewires its tensors.
[[nodiscard]] Expected<ir::Node> LocalizeNode(const ir::Graph& g, const ir::Node& n, const std::vector<AxisWindow>& windows,
                                              const Accumulation& acc = {});

}  // namespace tigris::partition
