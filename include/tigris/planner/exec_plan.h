// The execution plan: the one object between the partitioner and the emitter. It says what the
// runtime runs, step by step (an op, a spill/reload copy, a tile loop over a group of ops), and
// where every byte lives: a buffer table {size, align, pool, first step, last step, offset} and,
// per tensor, a view into one buffer (byte offset + strides). Lifetimes and live bytes come from
// ONE function (ComputeLifetimes / LiveBytes) that the partitioner, the memory planner and the
// report all use, so "peak" means the same thing everywhere.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "tigris/ir/graph.h"
#include "tigris/support/status.h"

namespace tigris::planner {

constexpr uint32_t kFastPool = 0;
constexpr uint32_t kWeightsPool = 0xFF;  // a constant in the plan's weights section (flash)
constexpr uint32_t kTensorAlign = 16;

enum class BufferKind : uint8_t {
  kActivation,  // written by an op (or the application: graph inputs)
  kScratch,     // a kernel's scratch, live only during its step(s)
  kConstant,    // weights: bytes in the plan, pool kWeightsPool
  kWeightStage, // a stage's weights copied (streamed / decompressed) into RAM: see WeightStage
};

struct PlanBuffer {
  BufferKind kind = BufferKind::kActivation;
  uint64_t size = 0;             // bytes
  uint32_t align = kTensorAlign;
  uint32_t pool = kFastPool;     // 0 = fast, 1.. = slower pools, kWeightsPool for constants
  ir::TensorId tensor = ir::kNoTensor;  // the tensor owning the bytes (its data for constants)
  bool live_from_start = false;  // a graph input: written by the application before step 0
  bool live_to_end = false;      // a graph output: read by the application after the last step
  // kWeightStage: the steps it is held across (no step names it; ComputeLifetimes uses these).
  int32_t hold_first = -1;
  int32_t hold_last = -1;
  // Filled by ComputeLifetimes: first and last step (inclusive) that touch the buffer; -1 when
  // no step does (then it occupies no memory).
  int32_t first = -1;
  int32_t last = -1;
  // Filled by AssignPlanOffsets: byte offset in its pool (or in the weights section).
  uint64_t offset = 0;
};

// Where a tensor's elements are: buffer `buffer`, starting `offset` bytes in, element i_0..i_r-1
// at offset + dtype_size * sum_d i_d * strides[d]. Empty strides = dense row-major.
struct TensorPlace {
  int32_t buffer = -1;  // -1: the tensor is not part of the plan
  uint64_t offset = 0;
  std::vector<int64_t> strides;
};

enum class StepKind : uint8_t {
  kOp,    // run `node` once
  kLoop,  // run the next `body` steps `count` times (they are all kOp steps)
};

struct PlanStep {
  StepKind kind = StepKind::kOp;
  ir::NodeId node = -1;  // kOp: the node of ExecPlan::graph (Copy nodes are spills/reloads)
  int32_t scratch = -1;  // kOp: its scratch buffer, or -1
  // kLoop. Iteration i (0-based) of body step j moves operand k's data by i * operand_delta[j][k]
  // bytes (operands = RuntimeInputs then outputs) and adds i * param_delta[j][w] to 32-bit word w
  // of the op's params record. Empty inner vectors mean all zero.
  int32_t body = 0;
  int32_t count = 1;
  std::vector<std::vector<int64_t>> operand_delta;
  std::vector<std::vector<int32_t>> param_delta;
};

enum class StageKind : uint8_t {
  kNormal,  // whole ops on whole tensors
  kTiled,   // one op computed in tiles
  kChain,   // several ops fused into one tiled pass; their intermediates exist only as tiles
};

// A run of steps between spill/reload points (what the report calls a stage).
struct PlanStage {
  StageKind kind = StageKind::kNormal;
  uint32_t first = 0;        // first step
  uint32_t last = 0;         // last step, inclusive
  uint32_t compute_ops = 0;  // model ops the stage runs (not spill/reload copies)
  uint64_t fast_peak = 0;    // max live fast bytes while it runs
  uint64_t spill_bytes = 0;  // fast -> slow bytes its copies move per inference (tile stores too)
  uint64_t reload_bytes = 0; // slow -> fast bytes (tile strip loads too)
  // Tiled and chain stages: strips (iterations), driver rows per strip, rows kept across
  // iterations in line buffers, and MACs computed more than once (0: halos are kept).
  uint32_t strips = 0;
  uint32_t strip_rows = 0;
  uint64_t halo_rows = 0;
  uint64_t recomputed_macs = 0;
  std::string tiling;  // how: "rows", "rows x 4 column bands", "rows x 8 channel bands", "channels", ... + ", accumulated"
};

// Fast-to-slow pool placement and offset of a tensor as the emitter writes it.
struct TensorPlacement {
  uint32_t pool = 0;      // 0 = fastest pool, kWeightsPool for constants
  uint64_t offset = 0;    // of the tensor's first element, in the pool (or weights section)
  bool allocated = false; // false for tensors the plan does not carry
};

// Weights not read in place (plan_format.md, "Weight segments"): before step `first_step` the
// runtime fills buffer `buffer` (kWeightStage, live over [first_step, last_step]) with the
// constant buffers `constants` at `offset` each, `bytes` in all, followed by `margin` bytes the
// in-place LZ4 decode needs. Tensors of these constants read by steps of the stage are views
// into `buffer`.
struct WeightStage {
  int32_t first_step = 0;
  int32_t last_step = 0;
  int32_t buffer = -1;
  std::vector<int32_t> constants;
  std::vector<uint64_t> offset;
  uint64_t bytes = 0;
  uint64_t margin = 0;
};

struct ExecPlan {
  ir::Graph graph;                  // every tensor and node the steps use
  std::vector<PlanBuffer> buffers;
  std::vector<TensorPlace> place;   // per tensor of `graph`
  std::vector<PlanStep> steps;      // execution order
  std::vector<PlanStage> stages;
  std::vector<ir::NodeId> origin;   // per node of `graph`: the model node it computes, -1 for copies/views
  uint64_t spill_bytes = 0;         // fast -> slow bytes per inference (sum over stages)
  uint64_t reload_bytes = 0;        // slow -> fast bytes per inference
  std::vector<WeightStage> weight_stages;  // empty when weights are read in place (XIP)

  // Filled by AssignPlanOffsets.
  std::vector<uint64_t> pool_size;         // bytes per pool (one entry per budget given, >= 1)
  std::vector<uint64_t> pool_lower_bound;  // per pool: max live bytes, the best any assignment can do
  uint64_t weights_size = 0;               // multiple of kTensorAlign
  uint64_t naive_peak = 0;                 // every arena buffer alive at once
  uint64_t scheduled_peak = 0;             // max over steps of live pool-0 bytes
  std::vector<TensorPlacement> placement;  // per tensor

  // The buffer holding tensor t's bytes, or -1.
  int32_t BufferOf(ir::TensorId t) const {
    return t >= 0 && static_cast<size_t>(t) < place.size() ? place[static_cast<size_t>(t)].buffer : -1;
  }
};

// The inputs the runtime hands to `node`'s kernel. Ops whose shape-like operands the frontend
// folded into canonical attributes (Clip, Pad, ReduceMean, Reshape, Resize, Slice, Split) keep
// only their data input; for the others, trailing omitted optional inputs are dropped.
// This form knows only the node's kind, so it is the float rule: use the one below.
std::vector<ir::TensorId> RuntimeInputs(const ir::Node& node);
// The same for a node of `g`, where a node that runs in the int8 table (ir::KernelDTypeOf) hands
// every input to its kernel (its LUT or index table too: LowerQdq lists exactly the kernel's inputs).
std::vector<ir::TensorId> RuntimeInputs(const ir::Graph& g, const ir::Node& node);

// Multiply-accumulates `node` performs on the shapes of its tensors in `g` (a Conv: output
// values * input channels per group * kernel size; a pool: output values * kernel size; Gemm/
// MatMul: output values * K; a global pool or ReduceMean: one per input value; LSTM/GRU/RNN:
// steps * batch * (W and R elements over both directions); Reshape/Copy: 0; every other op:
// one per output value).
uint64_t NodeMacs(const ir::Graph& g, const ir::Node& node);

// Bytes of scratch the kernel of `node` needs (see emit::KernelScratchQuery, which asks the
// reference kernels' scratch() with the node's encoded params).
using ScratchQuery = std::function<Expected<uint64_t>(const ir::Graph&, const ir::Node&)>;

// The plan that runs `g`'s nodes in `order` (empty = node order), one kOp step each, every
// tensor in its own dense buffer except Reshape views of activations, which share their input's
// buffer. `pool` gives each activation tensor's pool (a view follows its root; empty = all fast);
// `scratch` gives each node's scratch bytes (empty = none). Lifetimes are computed.
[[nodiscard]] Expected<ExecPlan> BuildExecPlan(ir::Graph g, const std::vector<ir::NodeId>& order,
                                               const std::vector<uint32_t>& pool,
                                               const std::vector<uint64_t>& scratch);

// The one lifetime rule. A buffer lives from the first to the last step that reads or writes a
// tensor placed in it (or uses it as scratch); graph inputs from step 0, graph outputs to the
// last step; a buffer touched inside a loop lives across the whole loop (its steps repeat).
void ComputeLifetimes(ExecPlan& plan);

// Live bytes per pool and step: live[p][s] = sum of sizes of pool-p buffers whose lifetime
// contains step s (constants excluded). Needs ComputeLifetimes.
std::vector<std::vector<uint64_t>> LiveBytes(const ExecPlan& plan, uint32_t n_pools);

// Structural checks of a plan (a tiled plan is not an SSA graph: full tensors are written through
// their tiles' views, so ir::Graph::Verify does not apply): ids in range, unique node names,
// every tensor a step or the graph uses is placed in a buffer and its view (offset + strides)
// lies inside it, constants only in constant buffers and never written, loops well formed.
// The message names the node or tensor.
[[nodiscard]] Status VerifyExecPlan(const ExecPlan& plan);

// Fills every stage's fast_peak (from LiveBytes), compute_ops (distinct model nodes among its
// steps' origins), spill/reload bytes (its Copy steps between pools, times their loop counts),
// and the plan's spill/reload totals. Needs ComputeLifetimes.
void FillStageStats(ExecPlan& plan);

}  // namespace tigris::planner
