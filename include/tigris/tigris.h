// The TiGrIS compiler API: what the `tigris` CLI calls and what host build tools link
// (find_package(Tigris) -> Tigris::tigris). No exceptions: every call returns Expected/Status.
#pragma once

#include <cstdint>
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
  bool xip = false;              // --xip
  std::map<std::string, std::vector<int64_t>> input_shapes;  // --input-shape NAME=1x3x96x96
  bool verify_each_pass = false;
  bool dump_each_pass = false;
};

struct AnalysisReport {
  std::string model_name;
  int64_t n_ops = 0;
  int64_t n_tensors = 0;
  int64_t n_activations = 0;
  int64_t n_weights = 0;
  uint64_t naive_peak = 0;
  uint64_t scheduled_peak = 0;
  std::string largest_tensor_shape;
  uint64_t largest_tensor_bytes = 0;
  std::string dtype;
  uint64_t weight_bytes = 0;
  uint64_t plan_overhead = 0;   // plan bytes that are not weights
  uint64_t plan_bytes = 0;
  int64_t n_stages = 1;
  std::vector<uint64_t> pool_budget;
  std::vector<uint64_t> pool_used;
  uint64_t flash_budget = 0;
  bool sram_fits = false;
  bool flash_fits = true;
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

// The graph after import and the normalize passes (what `analyze --dump-ir` prints).
[[nodiscard]] Expected<ir::Graph> lower(const std::string& onnx_path, const CompileOptions& options);

// The plan's inputs (name, dtype, shape; no data), validating the plan like the runtime does.
[[nodiscard]] Expected<std::vector<ir::Tensor>> plan_inputs(const std::vector<uint8_t>& plan);

// Runs a plan on the host with the C99 runtime and the reference kernels. Inputs in plan input
// order, dtype and element count must match. Returns outputs in plan order (named).
[[nodiscard]] Expected<std::vector<ir::Tensor>> run(const std::vector<uint8_t>& plan,
                                                    const std::vector<ir::Tensor>& inputs);

// The boxed, human-readable analyze report (Model / SRAM / Flash boxes with PASS/FAIL lines).
std::string FormatReport(const AnalysisReport& report);
// The same data as one JSON object.
std::string ReportToJson(const AnalysisReport& report);
// "256.00 KiB", "4.59 MiB".
std::string FormatBytes(uint64_t bytes);
// "256K", "8M", "1G", "1.5M", "4096" -> bytes (K/M/G are binary). Error names the text.
[[nodiscard]] Expected<uint64_t> ParseSize(const std::string& text);

}  // namespace tigris
