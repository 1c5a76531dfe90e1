// Tiling benchmark: each test model x fast budget {untiled, 256K, 128K, 64K, 32K, 16K, min} with a
// 64M slow pool. Records the plan (stages by kind, arena, slow traffic, recompute, modeled cycles),
// host run time (runs alternated with the untiled plan's) and compile time, and checks every plan:
// outputs bit-identical to the untiled plan's, measured fast high-water == reported arena <= budget.
// Exit 1 when a check fails (a compiler bug).
//
// Usage: tiling_bench MODELS_DIR OUT_DIR [--models a,b] [--quick] [--git-rev REV]
// MODELS_DIR holds NAME.onnx and NAME.input_<k>.pb from tools/models/gen_models.py (and the int8
// models from gen_qdq_models.py); OUT_DIR gets
// tiling.json (one object per (model, budget) cell plus the environment) and tiling.md.
// Uses the public API (tigris.h) only, plus the frontend's TensorProto reader for the inputs.
#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tigris/frontend/onnx_importer.h"
#include "tigris/support/progress.h"
#include "tigris/tigris.h"

#ifndef TIGRIS_BENCH_BUILD_TYPE
#define TIGRIS_BENCH_BUILD_TYPE "unknown"
#endif

namespace {

constexpr uint64_t kKiB = 1024;
constexpr uint64_t kMiB = 1024 * kKiB;
constexpr uint64_t kUntiledPool = 1024 * kMiB;  // "one big pool": no slow pool, no budget pressure
constexpr uint64_t kSlowPool = 64 * kMiB;
const uint64_t kTiledBudgets[] = {256 * kKiB, 128 * kKiB, 64 * kKiB, 32 * kKiB, 16 * kKiB};

// Repetitions: as many as fit in about this much time per cell, clamped (odd counts, so the
// median is one measured value). Big models get the minimum.
constexpr double kRunSecondsPerCell = 2.0;
constexpr double kCompileSecondsPerCell = 1.5;
constexpr int kMinReps = 3, kMaxRunReps = 15, kMaxCompileReps = 9;

struct ModelInfo {
  const char* name;   // file stem
  const char* label;  // for tables and plots
};
const ModelInfo kModels[] = {
    {"ds_cnn", "DS-CNN"},
    {"mobilenet_v1", "MobileNetV1-128"},
    {"mobilenet_v2", "MobileNetV2-224"},
    {"yolov5n_like", "YOLOv5n-like"},
    {"unet_like", "U-Net-like"},
    // int8 (tools/models/gen_qdq_models.py): QDQ models lowered onto the integer-only kernels
    {"ds_cnn_int8", "DS-CNN int8"},
    {"mobilenet_v1_128_int8", "MobileNetV1-128 int8"},
    {"mobilenet_v2_224_int8", "MobileNetV2-224 int8"},
};

using Clock = std::chrono::steady_clock;
double SecondsSince(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// CPU time of this thread: unlike wall time it does not count the time other processes on a
// busy machine hold the core (compile and run are single-threaded).
double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

struct Stopwatch {
  Clock::time_point wall0 = Clock::now();
  double cpu0 = ThreadCpuSeconds();
};

// Repeated measurements of one thing, wall and thread CPU seconds.
struct Timings {
  std::vector<double> wall, cpu;
  void Add(const Stopwatch& w) {
    cpu.push_back(ThreadCpuSeconds() - w.cpu0);
    wall.push_back(SecondsSince(w.wall0));
  }
  bool empty() const { return cpu.empty(); }
};

double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

// How many repetitions (odd, clamped) fit `budget_s` when one takes `one_s`.
int Reps(double one_s, double budget_s, int max_reps, bool quick) {
  if (quick) return 1;
  int n = one_s > 0 ? static_cast<int>(budget_s / one_s) : max_reps;
  n = std::clamp(n, kMinReps, max_reps);
  return n % 2 ? n : n - 1;
}

const char* ErrorCodeName(tigris::ErrorCode c) {
  switch (c) {
    case tigris::ErrorCode::kOk:
      return "ok";
    case tigris::ErrorCode::kInvalidArgument:
      return "invalid_argument";
    case tigris::ErrorCode::kInvalidModel:
      return "invalid_model";
    case tigris::ErrorCode::kUnsupported:
      return "unsupported";
    case tigris::ErrorCode::kBudgetExceeded:
      return "budget_exceeded";
    case tigris::ErrorCode::kIoError:
      return "io_error";
    case tigris::ErrorCode::kInternal:
      return "internal";
  }
  return "unknown";
}

// "256 KiB", "6.25 KiB", "1.50 MiB", "512 B".
std::string Size(uint64_t bytes) {
  char buf[32];
  if (bytes < kKiB) {
    std::snprintf(buf, sizeof buf, "%" PRIu64 " B", bytes);
  } else if (bytes < kMiB) {
    const double k = static_cast<double>(bytes) / kKiB;
    if (bytes % kKiB == 0)
      std::snprintf(buf, sizeof buf, "%" PRIu64 " KiB", bytes / kKiB);
    else
      std::snprintf(buf, sizeof buf, k < 100 ? "%.2f KiB" : "%.1f KiB", k);
  } else {
    std::snprintf(buf, sizeof buf, "%.2f MiB", static_cast<double>(bytes) / kMiB);
  }
  return buf;
}

std::string Fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

std::string JsonString(const std::string& s) {
  std::string o = "\"";
  for (const char c : s) {
    switch (c) {
      case '"':
        o += "\\\"";
        break;
      case '\\':
        o += "\\\\";
        break;
      case '\n':
        o += "\\n";
        break;
      case '\t':
        o += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
          o += buf;
        } else {
          o += c;
        }
    }
  }
  return o + "\"";
}

std::string JsonNumber(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}

std::string JsonList(const std::vector<double>& v) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + JsonNumber(v[i]);
  return s + "]";
}

std::string JsonTimings(const Timings& t) {
  return "{\"cpu_median\": " + JsonNumber(Median(t.cpu)) +
         ", \"wall_median\": " + JsonNumber(Median(t.wall)) + ", \"cpu\": " + JsonList(t.cpu) +
         ", \"wall\": " + JsonList(t.wall) + "}";
}

// What the benchmark verifies for every compiled cell; any false is a compiler bug.
struct Checks {
  bool outputs_identical = false;    // bit-identical to the untiled plan's outputs
  bool high_water_is_arena = false;  // canary-measured fast high-water == report.pool_used[0]
  bool within_budget = false;        // measured high-water and pool_used[0] <= the fast budget
  bool runtime_agrees = false;       // tgrs_plan_high_water(pool 0) == the measured high-water
  bool slow_within_arena = true;     // measured slow high-water <= report.pool_used[k], k >= 1
  bool deterministic = true;         // repeated compiles give the same plan bytes
  uint64_t fast_high_water = 0, fast_high_water_runtime = 0;
  std::vector<uint64_t> slow_high_water;
  bool ok = false;
  std::string error;  // every failed check, spelled out
  std::string brief;  // the first failed check, short (the markdown column)

  void Fail(const std::string& what, const std::string& short_what) {
    error += (error.empty() ? "" : "; ") + what;
    if (brief.empty()) brief = short_what;
  }
};

// One (model, budget) cell.
struct Cell {
  std::string model, model_label, budget_label;
  uint64_t budget = 0;     // pools[0]
  uint64_t slow_pool = 0;  // pools[1], 0 = none
  bool untiled = false, is_min = false;
  bool compiled = false;
  std::string error, error_code;  // why it does not compile
  tigris::AnalysisReport report;
  int64_t normal = 0, tiled = 0, chain = 0;
  uint64_t strips = 0, recomputed_macs = 0;
  Timings compile, run;
  Timings paired_untiled_run;  // the untiled plan, run right after each of this cell's runs
  double min_search_s = 0;     // the min cell: wall time of tigris::min_budget's bisection
  double cycles_ratio = 0, run_ratio = 0;
  Checks check;
};

std::string CompareOutputs(const std::vector<tigris::ir::Tensor>& got,
                           const std::vector<tigris::ir::Tensor>& want) {
  if (got.size() != want.size())
    return std::to_string(got.size()) + " outputs, untiled plan has " + std::to_string(want.size());
  for (size_t k = 0; k < got.size(); ++k) {
    if (got[k].dtype != want[k].dtype || got[k].shape != want[k].shape)
      return "output " + std::to_string(k) + " is " + tigris::ir::ShapeString(got[k].shape) + " " +
             tigris::ir::DTypeName(got[k].dtype) + ", untiled " + tigris::ir::ShapeString(want[k].shape);
    if (got[k].data != want[k].data) {
      const auto diff = std::mismatch(got[k].data.begin(), got[k].data.end(), want[k].data.begin());
      return "output " + std::to_string(k) + " ('" + got[k].name +
             "') differs from the untiled plan's at byte " + std::to_string(diff.first - got[k].data.begin());
    }
  }
  return "";
}

class Bench {
 public:
  Bench(std::string models_dir, bool quick) : dir_(std::move(models_dir)), quick_(quick) {}

  // Runs every cell of one model; false on a fatal error (no input, the untiled plan fails).
  bool RunModel(const ModelInfo& m) {
    const std::string path = dir_ + "/" + m.name + ".onnx";
    inputs_.clear();
    for (int k = 0;; ++k) {
      const std::string in = dir_ + "/" + m.name + ".input_" + std::to_string(k) + ".pb";
      if (!std::filesystem::exists(in)) break;
      auto t = tigris::frontend::ReadTensorProtoFile(in);
      if (!t) return Fatal(m.name, "cannot read " + in + ": " + t.status().message());
      inputs_.push_back(std::move(*t));
    }
    if (inputs_.empty()) return Fatal(m.name, "no input " + dir_ + "/" + m.name + ".input_0.pb");

    const size_t base = cells_.size();
    Cell untiled = MakeCell(m, "untiled", kUntiledPool, 0);
    untiled.untiled = true;
    Measure(path, untiled);
    cells_.push_back(untiled);
    if (!untiled.compiled || untiled.run.empty())
      return Fatal(m.name,
                   "the untiled plan fails: " + (untiled.compiled ? untiled.check.error : untiled.error));

    for (const uint64_t b : kTiledBudgets) {
      Cell c = MakeCell(m, Size(b), b, kSlowPool);
      Measure(path, c);
      cells_.push_back(c);
    }

    Cell c = MakeCell(m, "min", 0, kSlowPool);
    c.is_min = true;
    tigris::CompileOptions opt;
    opt.pools = {kSlowPool, kSlowPool};  // min_budget searches pools[0]; pools[1] is the slow pool
    opt.xip = true;                      // the tiling's own budgets: weights read in place
    const Stopwatch w;
    tigris::Progress progress(std::string("  ") + m.name + " min-budget search");  // a terminal's stderr only
    int probes = 0;
    if (progress.active())
      opt.on_probe = [&](uint64_t budget, bool compiles) {
        progress.Update(std::to_string(++probes) + " compiles, " + Size(budget) + (compiles ? " compiles" : " does not"));
      };
    auto mb = tigris::min_budget(path, opt);
    c.min_search_s = SecondsSince(w.wall0);
    if (!mb) {
      c.error = "tigris::min_budget: " + mb.status().message();
      c.error_code = ErrorCodeName(mb.status().code());
    } else if (mb->min_budget == 0) {
      c.error = "tigris::min_budget: no fast budget works with a 64 MiB slow pool";
      c.error_code = "no_budget";
    } else {
      c.budget = mb->min_budget;
      c.budget_label = "min = " + Size(c.budget);
      Measure(path, c);
    }
    cells_.push_back(c);

    // Modeled-cycle ratios against this model's untiled cell (run ratios are measured in pairs).
    const Cell& u = cells_[base];
    for (size_t i = base; i < cells_.size(); ++i) {
      Cell& x = cells_[i];
      if (!x.compiled) continue;
      x.cycles_ratio = x.report.modeled_cycles / u.report.modeled_cycles;
    }
    return true;
  }

  const std::vector<Cell>& cells() const { return cells_; }
  const std::vector<std::string>& fatal() const { return fatal_; }

 private:
  bool Fatal(const std::string& model, const std::string& why) {
    fatal_.push_back(model + ": " + why);
    std::cerr << "tiling_bench: " << model << ": " << why << "\n";
    return false;
  }

  static Cell MakeCell(const ModelInfo& m, const std::string& label, uint64_t budget, uint64_t slow) {
    Cell c;
    c.model = m.name;
    c.model_label = m.label;
    c.budget_label = label;
    c.budget = budget;
    c.slow_pool = slow;
    return c;
  }

  // Compiles (a few times, for the time), runs once with canaries (the checks; also warms the
  // caches), then times a few runs.
  void Measure(const std::string& path, Cell& c) {
    tigris::CompileOptions opt;
    opt.xip = true;  // as the min-budget search above
    opt.pools = {c.budget};
    if (c.slow_pool) opt.pools.push_back(c.slow_pool);
    std::fprintf(stderr, "  %-14s %-16s ", c.model.c_str(), c.budget_label.c_str());

    Stopwatch w;
    auto plan = tigris::compile(path, opt);
    c.compile.Add(w);
    if (!plan) {
      c.error = plan.status().message();
      c.error_code = ErrorCodeName(plan.status().code());
      std::fprintf(stderr, "does not compile: %s\n", c.error.c_str());
      return;
    }
    c.compiled = true;
    c.report = plan->report;
    for (const tigris::StageReport& s : c.report.stages) {
      c.normal += s.kind == "normal";
      c.tiled += s.kind == "tiled";
      c.chain += s.kind == "chain";
      c.strips += s.strips;
      c.recomputed_macs += s.recomputed_macs;
    }
    Checks& k = c.check;
    for (int i = 1, n = Reps(c.compile.wall[0], kCompileSecondsPerCell, kMaxCompileReps, quick_); i < n;
         ++i) {
      w = Stopwatch();
      auto again = tigris::compile(path, opt);
      c.compile.Add(w);
      if (!again || again->bytes != plan->bytes) k.deterministic = false;
    }
    if (!k.deterministic) k.Fail("repeated compiles gave different plans", "nondeterministic plan");

    tigris::RunOptions ro;
    ro.measure_high_water = true;
    w = Stopwatch();
    auto measured = tigris::run(plan->bytes, inputs_, ro);
    const double one_run = SecondsSince(w.wall0) / 2;  // it runs the plan twice
    if (!measured) {
      k.Fail("run failed: " + measured.status().message(), "run failed");
    } else {
      const uint64_t arena = c.report.pool_used.at(0);
      k.fast_high_water = measured->high_water.at(0);
      k.fast_high_water_runtime = measured->reported_high_water.at(0);
      k.slow_high_water.assign(measured->high_water.begin() + 1, measured->high_water.end());
      if (c.untiled) untiled_outputs_ = measured->outputs;
      const std::string diff = CompareOutputs(measured->outputs, untiled_outputs_);
      k.outputs_identical = diff.empty();
      if (!diff.empty()) k.Fail(diff, "outputs differ");
      k.high_water_is_arena = k.fast_high_water == arena;
      if (!k.high_water_is_arena)
        k.Fail("measured fast high-water " + std::to_string(k.fast_high_water) +
                   " B != report.pool_used[0] " + std::to_string(arena) + " B",
               "high-water " + std::to_string(k.fast_high_water) + " B != arena " + std::to_string(arena) +
                   " B");
      k.within_budget = k.fast_high_water <= c.budget && arena <= c.budget;
      if (!k.within_budget)
        k.Fail("fast high-water " + std::to_string(k.fast_high_water) + " B / arena " +
                   std::to_string(arena) + " B exceeds the budget " + std::to_string(c.budget) + " B",
               "over budget");
      k.runtime_agrees = k.fast_high_water_runtime == k.fast_high_water;
      if (!k.runtime_agrees)
        k.Fail("tgrs_plan_high_water " + std::to_string(k.fast_high_water_runtime) + " B != measured " +
                   std::to_string(k.fast_high_water) + " B",
               "runtime high-water differs");
      for (size_t p = 0; p < k.slow_high_water.size(); ++p)
        if (p + 1 >= c.report.pool_used.size() || k.slow_high_water[p] > c.report.pool_used[p + 1]) {
          k.slow_within_arena = false;
          k.Fail("measured high-water of pool " + std::to_string(p + 1) + " " +
                     std::to_string(k.slow_high_water[p]) + " B exceeds its arena",
                 "slow pool over its arena");
        }
    }

    // Timed runs. A tiled cell alternates with the untiled plan and its ratio is the median of
    // the pairs' ratios, so a change of machine load between cells does not show up as a ratio.
    if (measured) {
      if (c.untiled) untiled_plan_ = plan->bytes;
      const double pair = c.untiled ? one_run : 2 * one_run;
      std::vector<double> ratios;
      for (int i = 0, n = Reps(pair, kRunSecondsPerCell, kMaxRunReps, quick_); i < n; ++i) {
        w = Stopwatch();
        auto out = tigris::run(plan->bytes, inputs_);
        c.run.Add(w);
        if (!out) {
          k.Fail("timed run failed: " + out.status().message(), "run failed");
          break;
        }
        if (c.untiled) continue;
        w = Stopwatch();
        auto base = tigris::run(untiled_plan_, inputs_);
        c.paired_untiled_run.Add(w);
        if (!base) {
          k.Fail("timed untiled run failed: " + base.status().message(), "run failed");
          break;
        }
        ratios.push_back(c.run.cpu.back() / c.paired_untiled_run.cpu.back());
      }
      c.run_ratio = c.untiled ? 1.0 : Median(ratios);
    }
    k.ok = k.error.empty();
    std::fprintf(stderr, "arena %-10s  stages %3lld  compile %8.1f ms  run %8.1f ms  %s\n",
                 Size(c.report.pool_used.at(0)).c_str(), static_cast<long long>(c.report.n_stages),
                 1e3 * Median(c.compile.cpu), 1e3 * Median(c.run.cpu),
                 k.ok ? "ok" : ("CHECK FAILED: " + k.error).c_str());
  }

  std::string dir_;
  bool quick_;
  std::vector<tigris::ir::Tensor> inputs_;
  std::vector<tigris::ir::Tensor> untiled_outputs_;
  std::vector<uint8_t> untiled_plan_;
  std::vector<Cell> cells_;
  std::vector<std::string> fatal_;
};

std::string CpuModel() {
  std::ifstream f("/proc/cpuinfo");
  std::string line;
  while (std::getline(f, line)) {
    if (line.rfind("model name", 0) == 0 || line.rfind("Model", 0) == 0) {
      auto colon = line.find(':');
      if (colon != std::string::npos) return line.substr(line.find_first_not_of(" \t", colon + 1));
    }
  }
  return "unknown";
}

std::string FirstLine(const char* path) {
  std::ifstream f(path);
  std::string line;
  std::getline(f, line);
  return line.empty() ? "unknown" : line;
}

// "0.52 0.58 0.59": 1, 5 and 15 minute load averages (other work on the machine skews wall times).
std::string LoadAverage() {
  std::ifstream f("/proc/loadavg");
  std::string a, b, c;
  f >> a >> b >> c;
  return f ? a + " " + b + " " + c : "unknown";
}

std::string CxxCompiler() {
#if defined(__clang__)
  return std::string("clang ") + __clang_version__;
#elif defined(__GNUC__)
  return std::string("gcc ") + __VERSION__;
#else
  return "unknown";
#endif
}

std::string UtcNow() {
  const std::time_t now = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  return buf;
}

struct Environment {
  std::string date, cpu, cxx, kernel, git_rev, load_start, load_end;
  unsigned cpus = 0;
  double wall_s = 0;
};

const char* Bool(bool b) { return b ? "true" : "false"; }

std::string CellJson(const Cell& c) {
  std::ostringstream o;
  const tigris::AnalysisReport& r = c.report;
  o << "    {\"model\": " << JsonString(c.model) << ", \"model_label\": " << JsonString(c.model_label)
    << ", \"budget_label\": " << JsonString(c.budget_label) << ",\n     \"budget\": " << c.budget
    << ", \"slow_pool\": " << c.slow_pool << ", \"untiled\": " << Bool(c.untiled)
    << ", \"min\": " << Bool(c.is_min) << ", \"compiled\": " << Bool(c.compiled);
  if (c.is_min) o << ", \"min_budget_search_wall_s\": " << JsonNumber(c.min_search_s);
  if (!c.compiled) {
    o << ",\n     \"error_code\": " << JsonString(c.error_code) << ", \"error\": " << JsonString(c.error);
    if (!c.compile.empty()) o << ",\n     \"compile_s\": " << JsonTimings(c.compile);
    o << "}";
    return o.str();
  }
  const Checks& k = c.check;
  std::vector<double> slow_hw(k.slow_high_water.begin(), k.slow_high_water.end());
  const uint64_t slow_arena = r.pool_used.size() > 1 ? r.pool_used[1] : 0;
  o << ",\n     \"stages\": {\"total\": " << r.n_stages << ", \"normal\": " << c.normal
    << ", \"tiled\": " << c.tiled << ", \"chain\": " << c.chain << "}, \"strips\": " << c.strips
    << ",\n     \"scheduled_peak\": " << r.scheduled_peak << ", \"fast_arena\": " << r.pool_used.at(0)
    << ", \"arena_lower_bound\": " << r.arena_lower_bound << ", \"slow_arena\": " << slow_arena
    << ",\n     \"spill_bytes\": " << r.spill_bytes << ", \"reload_bytes\": " << r.reload_bytes
    << ", \"slow_traffic_bytes\": " << r.spill_bytes + r.reload_bytes
    << ",\n     \"model_macs\": " << r.model_macs << ", \"executed_macs\": " << r.executed_macs
    << ", \"recomputed_macs\": " << c.recomputed_macs << ", \"macs_ratio\": "
    << JsonNumber(static_cast<double>(r.executed_macs) / static_cast<double>(r.model_macs))
    << ",\n     \"kernel_calls\": " << r.kernel_calls << ", \"target\": " << JsonString(r.target)
    << ", \"modeled_cycles\": " << JsonNumber(r.modeled_cycles)
    << ", \"modeled_cycles_ratio\": " << JsonNumber(c.cycles_ratio)
    << ",\n     \"plan_bytes\": " << r.plan_bytes << ", \"weight_bytes\": " << r.weight_bytes
    << ",\n     \"host_run_s\": " << JsonTimings(c.run)
    << ",\n     \"host_run_paired_untiled_s\": " << JsonTimings(c.paired_untiled_run)
    << ",\n     \"host_run_ratio\": " << JsonNumber(c.run_ratio)
    << ",\n     \"compile_s\": " << JsonTimings(c.compile) << ",\n     \"check\": {\"ok\": " << Bool(k.ok)
    << ", \"outputs_identical_to_untiled\": " << Bool(k.outputs_identical)
    << ", \"fast_high_water\": " << k.fast_high_water
    << ", \"high_water_equals_arena\": " << Bool(k.high_water_is_arena)
    << ", \"within_budget\": " << Bool(k.within_budget)
    << ",\n       \"fast_high_water_runtime\": " << k.fast_high_water_runtime
    << ", \"runtime_high_water_agrees\": " << Bool(k.runtime_agrees)
    << ", \"slow_high_water\": " << JsonList(slow_hw)
    << ", \"slow_within_arena\": " << Bool(k.slow_within_arena)
    << ", \"plan_deterministic\": " << Bool(k.deterministic) << ", \"error\": " << JsonString(k.error)
    << "},\n     \"stage_list\": [";
  for (size_t i = 0; i < r.stages.size(); ++i) {
    const tigris::StageReport& s = r.stages[i];
    o << (i ? ",\n       " : "\n       ") << "{\"kind\": " << JsonString(s.kind)
      << ", \"tiling\": " << JsonString(s.tiling) << ", \"first_node\": " << JsonString(s.first_node)
      << ", \"last_node\": " << JsonString(s.last_node) << ", \"compute_ops\": " << s.compute_ops
      << ", \"strips\": " << s.strips << ", \"strip_rows\": " << s.strip_rows
      << ", \"halo_rows\": " << s.halo_rows << ", \"fast_peak\": " << s.fast_peak
      << ", \"spill_bytes\": " << s.spill_bytes << ", \"reload_bytes\": " << s.reload_bytes
      << ", \"recomputed_macs\": " << s.recomputed_macs << "}";
  }
  o << "]}";
  return o.str();
}

std::string ToJson(const std::vector<Cell>& cells, const Environment& env,
                   const std::vector<std::string>& fatal, bool quick) {
  std::ostringstream o;
  o << "{\n  \"benchmark\": \"tiling\",\n  \"environment\": {\"date\": " << JsonString(env.date)
    << ", \"cpu_model\": " << JsonString(env.cpu) << ", \"logical_cpus\": " << env.cpus
    << ", \"kernel\": " << JsonString(env.kernel) << ",\n    \"cxx_compiler\": " << JsonString(CxxCompiler())
    << ", \"build_type\": " << JsonString(TIGRIS_BENCH_BUILD_TYPE)
    << ", \"tigris_version\": " << JsonString(tigris::VersionString())
    << ", \"git_rev\": " << JsonString(env.git_rev)
    << ",\n    \"loadavg_start\": " << JsonString(env.load_start)
    << ", \"loadavg_end\": " << JsonString(env.load_end) << ", \"quick\": " << Bool(quick)
    << ", \"wall_s\": " << JsonNumber(env.wall_s) << "},\n"
    << "  \"slow_pool\": " << kSlowPool << ", \"untiled_pool\": " << kUntiledPool
    << ",\n  \"budgets\": [\"untiled\"";
  for (const uint64_t b : kTiledBudgets) o << ", " << b;
  o << ", \"min\"],\n  \"fatal\": [";
  for (size_t i = 0; i < fatal.size(); ++i) o << (i ? ", " : "") << JsonString(fatal[i]);
  o << "],\n  \"cells\": [\n";
  for (size_t i = 0; i < cells.size(); ++i) o << CellJson(cells[i]) << (i + 1 < cells.size() ? ",\n" : "\n");
  o << "  ]\n}\n";
  return o.str();
}

std::string MdEscape(const std::string& s) {
  std::string o;
  for (const char c : s) o += c == '|' ? std::string("\\|") : std::string(1, c);
  return o;
}

// One row per model, one column per budget: modeled-cycle ratio and slow traffic (spill + reload).
std::string SummaryTable(const std::vector<Cell>& cells) {
  std::ostringstream o;
  o << "## Summary: modeled cycles vs untiled, slow-memory traffic per inference\n\n| model | untiled arena";
  for (const uint64_t b : kTiledBudgets) o << " | " << Size(b);
  o << " | min |\n|---|---:";
  for (size_t i = 0; i <= std::size(kTiledBudgets); ++i) o << "|---:";
  o << "|\n";
  std::string model;
  for (const Cell& c : cells) {
    if (c.model != model) {
      if (!model.empty()) o << " |\n";
      model = c.model;
      o << "| " << c.model_label;
    }
    o << " | ";
    if (c.untiled) {
      o << (c.compiled ? Size(c.report.pool_used.at(0)) : "does not compile");
      continue;
    }
    if (c.is_min && c.budget) o << Size(c.budget) << ": ";
    if (!c.compiled) {
      o << "does not compile";
      continue;
    }
    const uint64_t io = c.report.spill_bytes + c.report.reload_bytes;
    o << Fixed(c.cycles_ratio, 3) << "x, " << (io ? Fixed(static_cast<double>(io) / kMiB, 2) + " MiB" : "0")
      << (c.check.ok ? "" : " (**FAIL**)");
  }
  if (!model.empty()) o << " |\n";
  return o.str();
}

std::string ToMarkdown(const std::vector<Cell>& cells, const Environment& env,
                       const std::vector<std::string>& fatal) {
  std::ostringstream o;
  o << "# Tiling benchmark\n\n"
    << "`benchmark/run_tiling_bench.sh` on " << env.date << ": " << env.cpu << " (" << env.cpus
    << " logical CPUs, "
    << "load average " << env.load_start << " at the start), " << CxxCompiler() << " "
    << TIGRIS_BENCH_BUILD_TYPE << ", TiGrIS " << tigris::VersionString()
    << (env.git_rev.empty() ? "" : " @ " + env.git_rev) << ". Total wall time " << Fixed(env.wall_s, 1)
    << " s.\n\n"
    << "Every tiled budget has a 64 MiB slow pool; \"untiled\" is one 1 GiB pool; \"min\" is "
       "`tigris::min_budget`'s answer. Cost model: "
    << (cells.empty() ? "esp32s3" : cells.front().report.target)
    << ". Host times are medians of thread CPU time; \"run vs untiled\" is the median ratio of runs "
       "alternated "
       "with the untiled plan. Columns: see benchmark/README.md.\n\n";
  o << SummaryTable(cells) << "\n## Every cell\n\n";
  o << "| model | fast budget | stages (normal/tiled/chain) | sched. peak | fast arena | slow I/O spill / "
       "reload "
       "| MACs exec / model | kernel calls | modeled Mcycles | cycles vs untiled | host run ms | run vs "
       "untiled "
       "| compile ms | check |\n"
    << "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n";
  std::vector<const Cell*> bad;
  for (const Cell& c : cells) {
    o << "| " << c.model_label << " | " << c.budget_label << " | ";
    if (!c.compiled) {
      o << "does not compile (" << c.error_code << ") | – | – | – | – | – | – | – | – | – | – | – |\n";
      bad.push_back(&c);
      continue;
    }
    const tigris::AnalysisReport& r = c.report;
    const std::string io =
        r.spill_bytes + r.reload_bytes == 0 ? "0" : Size(r.spill_bytes) + " / " + Size(r.reload_bytes);
    o << r.n_stages << " (" << c.normal << "/" << c.tiled << "/" << c.chain << ") | "
      << Size(r.scheduled_peak) << " | " << Size(r.pool_used.at(0)) << " | " << io << " | "
      << Fixed(static_cast<double>(r.executed_macs) / static_cast<double>(r.model_macs), 3) << "x | "
      << r.kernel_calls << " | " << Fixed(r.modeled_cycles / 1e6, 1) << " | " << Fixed(c.cycles_ratio, 3)
      << "x | " << Fixed(1e3 * Median(c.run.cpu), 1) << " | " << Fixed(c.run_ratio, 2) << "x | "
      << Fixed(1e3 * Median(c.compile.cpu), 0) << " | "
      << (c.check.ok ? std::string("ok") : "**FAIL**: " + MdEscape(c.check.brief)) << " |\n";
    if (!c.check.ok) bad.push_back(&c);
  }
  o << "\ncheck \"ok\": outputs bit-identical to the untiled plan's; canary-measured fast high-water == "
       "report.pool_used[0] <= budget, == tgrs_plan_high_water; slow pools within their arenas; repeated "
       "compiles give the same plan bytes.\n";
  if (!bad.empty() || !fatal.empty()) {
    o << "\n## Cells that did not compile or failed a check\n\n";
    for (const std::string& f : fatal) o << "- fatal: " << MdEscape(f) << "\n";
    for (const Cell* c : bad)
      o << "- " << c->model_label << " @ " << c->budget_label << ": "
        << (c->compiled ? "check failed: " + MdEscape(c->check.error)
                        : "does not compile (" + c->error_code + "): " + MdEscape(c->error))
        << "\n";
  }
  return o.str();
}

// Writes through a temporary file, so an interrupted run never leaves half a result.
bool WriteFile(const std::filesystem::path& path, const std::string& text) {
  const std::filesystem::path tmp = path.string() + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary);
    f << text;
    if (!f) return false;
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  return !ec;
}

int Usage() {
  std::cerr << "usage: tiling_bench MODELS_DIR OUT_DIR [--models a,b] [--quick] [--git-rev REV]\n"
               "  MODELS_DIR: NAME.onnx + NAME.input_<k>.pb from tools/models/gen_models.py\n"
               "  OUT_DIR: receives tiling.json and tiling.md\n"
               "  --quick: one compile and one timed run per cell (a smoke test; timings are noise)\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> pos;
  std::string only, git_rev;
  bool quick = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--quick") {
      quick = true;
    } else if ((a == "--models" || a == "--git-rev") && i + 1 < argc) {
      (a == "--models" ? only : git_rev) = argv[++i];
    } else if (a.rfind("--", 0) == 0) {
      return Usage();
    } else {
      pos.push_back(a);
    }
  }
  if (pos.size() != 2) return Usage();
  const auto wall0 = Clock::now();
  const std::string load_start = LoadAverage();
  std::filesystem::create_directories(pos[1]);

  Bench bench(pos[0], quick);
  for (const ModelInfo& m : kModels) {
    if (!only.empty() && ("," + only + ",").find(std::string(",") + m.name + ",") == std::string::npos)
      continue;
    std::fprintf(stderr, "%s\n", m.label);
    bench.RunModel(m);
  }

  Environment env;
  env.date = UtcNow();
  env.cpu = CpuModel();
  env.cpus = std::thread::hardware_concurrency();
  env.kernel = FirstLine("/proc/sys/kernel/osrelease");
  env.git_rev = git_rev;
  env.load_start = load_start;
  env.load_end = LoadAverage();
  env.wall_s = SecondsSince(wall0);
  const std::filesystem::path out = pos[1];
  if (!WriteFile(out / "tiling.json", ToJson(bench.cells(), env, bench.fatal(), quick)) ||
      !WriteFile(out / "tiling.md", ToMarkdown(bench.cells(), env, bench.fatal()))) {
    std::cerr << "tiling_bench: cannot write results to " << out << "\n";
    return 2;
  }

  int failed = 0;
  for (const Cell& c : bench.cells())
    if (c.compiled && !c.check.ok) {
      std::cerr << "tiling_bench: CHECK FAILED " << c.model << " @ " << c.budget_label << ": "
                << c.check.error << "\n";
      ++failed;
    }
  std::fprintf(stderr, "wrote %s/tiling.{json,md} in %.1f s; %d check failure(s), %zu fatal\n",
               pos[1].c_str(), env.wall_s, failed, bench.fatal().size());
  return failed || !bench.fatal().empty() ? 1 : 0;
}
