// The TiGrIS compiler API: what the `tigris` CLI calls and what host build tools link
// (find_package(Tigris) -> Tigris::tigris). No exceptions: every call returns Expected/Status.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "tigris/ir/graph.h"
#include "tigris/support/status.h"

namespace tigris {

const char* VersionString();  // "0.1.0"

struct CompileOptions {
  std::vector<uint64_t> pools;   // -m, fast to slow, bytes; at least one
  uint64_t flash = 0;            // -f, bytes; 0 = unchecked
  // false (the default, --stream-weights): weights are not assumed addressable; each stage's
  // weights are read through the application's callback into a planned RAM buffer (counted in
  // the pools) before its first op. true (--xip): weights are read in place from memory-mapped flash.
  bool xip = false;
  std::string compress = "none";  // -c: "none" or "lz4" (weights LZ4-compressed per stage)
  std::map<std::string, std::vector<int64_t>> input_shapes;  // --input-shape NAME=1x3x96x96
  bool verify_each_pass = false;
  bool dump_each_pass = false;
  std::string planner = "hill_climb";  // --planner: offset assignment algorithm (usage_records.h)
  std::string target = "esp32s3";      // --target: cost-model profile (partition/cost_model.h)
  // --backend: the kernels the plan is sized for: "reference", or a vendor backend built into
  // this tigris ("cmsis-nn", "esp-nn"), whose scratch is asked for the target profile's isa.
  std::string backend = "reference";
  bool tiling = true;                  // false (--no-tiling): temporal partitioning only
  std::string schedule = "min_peak";   // --schedule: "min_peak" (ours) or "onnx" (the model's node order)
  // --layout: "auto" (int8 tensors channels-last, passes::AssignLayouts) or "nchw" (every tensor
  // dense row-major). Outputs are bit-identical either way.
  std::string layout = "auto";
  // Long searches (min_budget) call this for every fast budget they compile (may be empty).
  std::function<void(uint64_t budget, bool compiles)> on_probe;
};

// One stage of the plan: a run of steps between spill/reload points, or one tiled op, or one
// chain of ops fused into a tiled pass.
struct StageReport {
  uint32_t first_op = 0;     // index into the plan's steps (op records and loop records)
  uint32_t last_op = 0;      // inclusive
  uint32_t compute_ops = 0;  // model ops it runs (not spill/reload copies, not tile repeats)
  uint64_t fast_peak = 0;    // max live fast bytes while it runs
  std::string kind = "normal";  // "normal", "tiled" (one op in strips), "chain" (fused ops in strips)
  std::string first_node, last_node;  // the first and last model op it runs
  uint32_t strips = 0;       // tiled/chain: iterations
  uint32_t strip_rows = 0;   // output rows per strip (the last may have fewer)
  uint64_t halo_rows = 0;    // rows kept in line buffers across strips
  uint64_t recomputed_macs = 0;
  std::string tiling;        // tiled/chain: "rows", "rows x 4 column bands", "channels", "..., accumulated"
  uint64_t spill_bytes = 0;  // fast -> slow bytes (incl. strip stores)
  uint64_t reload_bytes = 0; // slow -> fast bytes (incl. strip loads)
};

// The plan step by step, per model op and per flash byte: what the HTML report draws
// (ReportToHtml). Filled from the same ExecPlan the emitter writes.
struct StepReport {
  std::string kind;        // "op", "loop", "spill" (to a slower pool), "reload" (to a faster pool),
                           // "move" (a copy within one pool: a line buffer's halo shift)
  std::string node;        // the plan node it runs ("" for a loop)
  std::string op;          // its op type ("" for a loop)
  int32_t stage = -1;      // index into AnalysisReport::stages, -1 when there are none
  int32_t model_op = -1;   // index into AnalysisReport::ops of the model op it computes, -1 for copies
  uint32_t count = 1;      // times it runs per inference (a loop's count for its body, and for the loop)
  uint32_t body = 0;       // loop: the next `body` steps repeat `count` times
  uint64_t bytes = 0;      // spill/reload/move: bytes one run copies
  std::vector<uint64_t> live;  // live bytes per pool while it runs (planner::LiveBytes)
};
struct OpReport {
  std::string name, op;    // node name, op type
  std::string shape;       // output shape(s), "1x64x32x32"
  uint64_t macs = 0;
  uint64_t bytes_in = 0;   // activation inputs, whole tensors
  uint64_t bytes_out = 0;  // outputs, whole tensors
  uint64_t weight_bytes = 0;
  std::string pool;        // where its (first) output is written: "fast", "slow 1", ...; "line buffer"
                           // when it exists only as strips inside a chain
  int32_t stage = -1;      // the stage that runs it
  uint64_t kernel_calls = 0;  // per inference: 1 untiled, strips x bands tiled
};
struct FlashSection {
  std::string name;        // "header", "tensors", "ops", ..., "weights", "strings", "checksum"
  uint64_t offset = 0, bytes = 0;
};
struct WeightReport {
  std::string name, consumer, shape, dtype;  // consumer: the first model op that reads it
  uint64_t offset = 0;     // in the weights section
  uint64_t bytes = 0;
};

struct AnalysisReport {
  std::string model_name;
  int64_t n_ops = 0;
  int64_t n_tensors = 0;
  int64_t n_activations = 0;
  int64_t n_weights = 0;
  uint64_t naive_peak = 0;          // every activation alive at once (what a naive runtime allocates)
  uint64_t onnx_order_peak = 0;     // max live activation bytes in the model's own node order
  uint64_t scheduled_peak = 0;      // max live fast bytes of the emitted plan (after partitioning)
  uint64_t unpartitioned_peak = 0;  // max live bytes of our op order with everything in fast memory
  bool schedule_optimal = false;    // the op order is a proven minimum of unpartitioned_peak
  uint64_t min_fast_budget = 0;     // the largest single-op need: no smaller budget works untiled
  std::string largest_tensor_shape;
  uint64_t largest_tensor_bytes = 0;
  std::string dtype;
  uint64_t weight_bytes = 0;
  uint64_t plan_overhead = 0;   // plan bytes that are not weights
  uint64_t plan_bytes = 0;
  // Weights: "xip" (read in place), "streamed" (read through the callback into RAM), "lz4".
  std::string weights_mode = "xip";
  uint64_t uncompressed_plan_bytes = 0;  // the plan with its weight segments stored raw (= plan_bytes uncompressed)
  uint64_t weight_stage_bytes = 0;       // largest RAM buffer one op's (or loop's) weights take (0 for xip), inside pool_used
  uint64_t weight_stage_total = 0;       // sum of those buffers
  uint32_t weight_segments = 0;          // how many there are (= the plan's weight segments)
  uint64_t decompression_overhead = 0;   // tigris_weight_decompression_overhead: largest LZ4 in-place margin
  uint64_t int8_plan_estimate = 0;  // plan size if the float32 weights were int8 (1 byte per f32 weight)
  uint64_t f32_weight_bytes = 0;    // the float32 part of weight_bytes
  int64_t n_int8_ops = 0;           // ops that run an integer-only int8 kernel (ops_s8.def)
  uint64_t int8_weight_bytes = 0;   // int8/uint8 constants (quantized weights)
  uint64_t quant_table_bytes = 0;   // requantization multipliers/shifts, weight zero points, lookup and index
                                    // tables of the int8 ops (the int32 biases are not counted here)
  std::string layout = "auto";       // CompileOptions::layout
  int64_t channels_last_activations = 0;  // activations stored channels-last (ir::Tensor::layout)
  int64_t permuted_constants = 0;         // weights and requantization tables stored in a vendor layout
  int64_t n_stages = 1;
  std::vector<StageReport> stages;
  uint64_t spill_bytes = 0;         // fast -> slow bytes per inference
  uint64_t reload_bytes = 0;        // slow -> fast bytes per inference
  uint64_t model_macs = 0;          // MACs of the model's ops, each computed once
  uint64_t executed_macs = 0;       // MACs the plan executes (model_macs + recomputed halos)
  uint64_t kernel_calls = 0;        // kernel invocations per inference (tile repeats included)
  std::string target;               // cost-model profile
  // --backend, and for a vendor backend the kernel calls per inference (loop repeats included)
  // of ops it implements that run its kernels / fall back to the reference ones, with the
  // reasons of the fallbacks ("not channels-last": 12, ...).
  std::string backend = "reference";
  uint64_t vendor_calls = 0;
  uint64_t vendor_fallback_calls = 0;
  std::map<std::string, uint64_t> vendor_fallbacks;
  double modeled_cycles = 0;        // the cost model's estimate for the plan
  std::vector<uint64_t> pool_budget;
  std::vector<uint64_t> pool_used;  // arena bytes per pool; pool 0's is the fast high-water mark
  uint64_t arena_lower_bound = 0;   // max live bytes in pool 0: no offset assignment can do better
  std::string planner;              // offset algorithm used
  uint64_t flash_budget = 0;
  bool sram_fits = false;
  std::string sram_diagnostic;      // why it does not fit (node, op, bytes) when !sram_fits
  bool flash_fits = true;
  // The detail behind the figures above (the HTML report). When !sram_fits, steps and flash come
  // from the plan with an unbounded fast pool (steps_untiled), which shows where the budget is crossed.
  std::vector<OpReport> ops;        // model ops, in execution order
  std::vector<StepReport> steps;    // plan steps, in execution order
  bool steps_untiled = false;
  std::vector<FlashSection> flash_sections;  // the .tgrs image, in file order
  std::vector<WeightReport> weights;         // the weights section, by offset
};

struct CompiledPlan {
  std::vector<uint8_t> bytes;  // the .tgrs image
  AnalysisReport report;
  ir::Graph graph;             // the graph that was emitted (after all passes)
};

// Import + normalize + plan + emit. Fails with the diagnostic of the first stage that failed.
[[nodiscard]] Expected<CompiledPlan> compile(const std::string& onnx_path, const CompileOptions& options);
// Same pipeline; the report of what compile would emit. A model that does not fit is a
// report with sram_fits == false, not an error.
[[nodiscard]] Expected<AnalysisReport> analyze(const std::string& onnx_path, const CompileOptions& options);

// The smallest fast budget (pools[0]) that compiles with the other pools as given, found by
// bisection over real compiles to 16 bytes, and what the plan costs at a few budgets from it up
// to the untiled arena (`tigris analyze --min-budget`). Fails like analyze for a model error;
// min_budget == 0 when no budget works (e.g. an op that cannot be tiled with no slow pool).
struct BudgetPoint {
  uint64_t budget = 0;
  uint64_t arena = 0;  // the fast arena the plan uses (<= budget)
  int64_t stages = 0, tiled_stages = 0, chain_stages = 0;
  uint64_t spill_bytes = 0, reload_bytes = 0;
  uint64_t executed_macs = 0;
  uint64_t kernel_calls = 0;
  double modeled_cycles = 0;
};
struct MinBudgetReport {
  std::string model_name;
  uint64_t min_budget = 0;
  uint64_t untiled_arena = 0;  // the fast arena with everything in one unbounded pool
  uint64_t model_macs = 0;
  std::string target;
  std::vector<BudgetPoint> points;  // min_budget first, then larger budgets, untiled last
};
[[nodiscard]] Expected<MinBudgetReport> min_budget(const std::string& onnx_path, const CompileOptions& options);
std::string FormatMinBudget(const MinBudgetReport& report);
std::string MinBudgetToJson(const MinBudgetReport& report);

// The graph after import and the normalize passes (what `analyze --dump-ir` prints).
[[nodiscard]] Expected<ir::Graph> lower(const std::string& onnx_path, const CompileOptions& options);

// The plan's inputs (name, dtype, shape; no data), validating the plan like the runtime does.
[[nodiscard]] Expected<std::vector<ir::Tensor>> plan_inputs(const std::vector<uint8_t>& plan);

// Runs a plan on the host with the C99 runtime and the reference kernels. Inputs in plan input
// order, dtype and element count must match. Returns outputs in plan order (named).
[[nodiscard]] Expected<std::vector<ir::Tensor>> run(const std::vector<uint8_t>& plan,
                                                    const std::vector<ir::Tensor>& inputs);

struct RunOptions {
  // Fill every arena with canary patterns before running (twice, with two patterns) and report
  // the highest byte the run changed per pool: the high-water mark observed at run time.
  bool measure_high_water = false;
  // A streamed plan (compiled with --stream-weights) reads its weights through the runtime's
  // callback from this file (empty: from plan_bytes in memory).
  std::string plan_file;
};
struct RunResult {
  std::vector<ir::Tensor> outputs;
  std::vector<uint64_t> high_water;  // per pool, bytes from the arena start (measure_high_water)
  std::vector<uint64_t> arena_size;  // per pool, what the plan asked for
  std::vector<uint64_t> reported_high_water;  // per pool, tgrs_plan_high_water (the runtime's own figure)
};
[[nodiscard]] Expected<RunResult> run(const std::vector<uint8_t>& plan, const std::vector<ir::Tensor>& inputs,
                                      const RunOptions& options);

// The boxed, human-readable analyze report (Model / SRAM / Flash boxes with PASS/FAIL lines).
std::string FormatReport(const AnalysisReport& report);
// The same data as one JSON object (docs/json_schema.md). Every JSON document the CLI prints
// carries "schema_version": kJsonSchemaVersion, raised when a field changes meaning or goes.
constexpr int kJsonSchemaVersion = 1;
std::string ReportToJson(const AnalysisReport& report);
// One self-contained HTML page (inline SVG and CSS, no scripts, no network): the memory
// timeline per pool with the budget, stages, tiled/chain regions, spills and reloads, then the
// stage, op and flash tables. Every string from the model is HTML-escaped.
std::string ReportToHtml(const AnalysisReport& report);
// Writes ReportToHtml(report) to `path` atomically (WriteFileAtomic).
[[nodiscard]] Status write_html_report(const AnalysisReport& report, const std::string& path);
// Writes `size` bytes to `path` through a temporary file in the same directory and a rename:
// a reader never sees a half-written file and a failure leaves nothing behind.
[[nodiscard]] Status WriteFileAtomic(const std::string& path, const void* data, size_t size);
// "256.00 KiB", "4.59 MiB".
std::string FormatBytes(uint64_t bytes);
// "256K", "8M", "1G", "1.5M", "4096" -> bytes (K/M/G are binary). Error names the text.
[[nodiscard]] Expected<uint64_t> ParseSize(const std::string& text);

}  // namespace tigris
