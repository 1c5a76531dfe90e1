// tigris::compile / analyze / run: the one pipeline (import -> normalize -> plan -> emit) that
// the CLI and host build tools share, so what `analyze` reports is exactly what `compile` emits.
#include "tigris/tigris.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <optional>

#include "compiler_internal.h"
#include "tigris/emit/op_params.h"
#include "tigris/emit/plan_writer.h"
#include "tigris/frontend/onnx_importer.h"
#include "tigris/ir/op_traits.h"
#include "tigris/partition/cost_model.h"
#include "tigris/partition/fit_budget.h"
#include "tigris/passes/passes.h"
#include "tigris/planner/exec_plan.h"
#include "tigris/planner/schedule.h"
#include "tigris/planner/usage_records.h"
#include "tigris/planner/weight_stages.h"
#include "tigris/runtime/tigris_runtime.h"
#include "plan_report.h"
#include "tigris/support/bytes.h"
#include "tigris/support/log.h"

namespace tigris {

const char* VersionString() { return "0.1.0"; }

namespace {

struct PipelineResult {
  ir::Graph graph;
  std::vector<uint8_t> bytes;
  AnalysisReport report;
};

std::string BaseName(const std::string& path) {
  std::string b = path.substr(path.find_last_of('/') == std::string::npos ? 0 : path.find_last_of('/') + 1);
  auto dot = b.rfind(".onnx");
  if (dot != std::string::npos && dot + 5 == b.size()) b.resize(dot);
  return b;
}

void FillModelStats(const ir::Graph& g, AnalysisReport& r) {
  r.n_ops = static_cast<int64_t>(g.nodes.size());
  std::vector<bool> used(g.tensors.size(), false);
  for (const auto& n : g.nodes) {
    for (auto t : n.inputs) if (t >= 0) used[static_cast<size_t>(t)] = true;
    for (auto t : n.outputs) used[static_cast<size_t>(t)] = true;
  }
  for (auto t : g.inputs) used[static_cast<size_t>(t)] = true;
  std::vector<bool> seen_dtype(256, false);
  for (size_t i = 0; i < g.tensors.size(); ++i) {
    if (!used[i]) continue;
    const ir::Tensor& t = g.tensors[i];
    ++r.n_tensors;
    const bool permuted = !ir::IsRowMajor(t.shape, t.layout);
    if (t.is_constant) {
      ++r.n_weights;
      r.permuted_constants += permuted;
      continue;
    }
    ++r.n_activations;
    r.channels_last_activations += permuted;
    const auto bytes = static_cast<uint64_t>(t.SizeBytes());
    if (bytes > r.largest_tensor_bytes) {
      r.largest_tensor_bytes = bytes;
      r.largest_tensor_shape = ir::ShapeString(t.shape);
    }
    if (!seen_dtype[static_cast<size_t>(t.dtype)]) {
      seen_dtype[static_cast<size_t>(t.dtype)] = true;
      r.dtype += (r.dtype.empty() ? "" : ", ") + std::string(ir::DTypeName(t.dtype));
    }
  }
  r.weight_bytes = static_cast<uint64_t>(g.WeightBytes());
  // int8: the quantized weights and the quantization tables (docs/int8.md)
  std::vector<bool> weight(g.tensors.size(), false), table(g.tensors.size(), false);
  for (const auto& n : g.nodes) {
    for (auto t : n.inputs)
      if (t >= 0 && g.tensors[static_cast<size_t>(t)].is_constant) weight[static_cast<size_t>(t)] = true;
    if (ir::KernelDTypeOf(g, n) != ir::DType::kI8) continue;
    ++r.n_int8_ops;
    for (size_t k = 0; k < n.inputs.size(); ++k) {
      const auto t = n.inputs[k];
      if (t < 0 || !g.tensors[static_cast<size_t>(t)].is_constant) continue;
      if (ir::IsQuantTableInput(n.kind, k)) table[static_cast<size_t>(t)] = true;
    }
  }
  for (size_t t = 0; t < g.tensors.size(); ++t) {
    if (!weight[t]) continue;
    const ir::Tensor& x = g.tensors[t];
    const auto bytes = static_cast<uint64_t>(x.SizeBytes());
    if (x.dtype == ir::DType::kF32) r.f32_weight_bytes += bytes;
    if (table[t]) r.quant_table_bytes += bytes;
    else if (x.dtype == ir::DType::kI8 || x.dtype == ir::DType::kU8) r.int8_weight_bytes += bytes;
  }
}

// The plan size with the float32 weights stored as int8 (the others as they are).
uint64_t Int8PlanEstimate(const AnalysisReport& r) {
  return r.plan_overhead + r.f32_weight_bytes / 4 + (r.weight_bytes - r.f32_weight_bytes);
}

Expected<ir::Graph> LowerImpl(const std::string& onnx_path, const CompileOptions& options) {
  if (options.layout != "auto" && options.layout != "nchw")
    return InvalidArgument("unknown layout '" + options.layout + "' (use auto or nchw)");
  frontend::ImportOptions import_options;
  import_options.input_shapes = options.input_shapes;
  TIGRIS_ASSIGN_OR_RETURN(ir::Graph graph, frontend::ImportOnnxFile(onnx_path, import_options));
  if (graph.name.empty()) graph.name = BaseName(onnx_path);

  passes::PassOptions pass_options;
  pass_options.verify_each = options.verify_each_pass;
  pass_options.dump_each = options.dump_each_pass;
  TIGRIS_RETURN_IF_ERROR(passes::Normalize(graph, pass_options));
  if (options.layout == "auto") {
    Status st = passes::AssignLayouts(graph);
    if (!st.ok()) return Status(st.code(), "pass AssignLayouts: " + st.message());
  }
  TIGRIS_RETURN_IF_ERROR(graph.Verify());
  return graph;
}

using partition::kUnbounded;

// A plan the user did not ask for (a reference point for a report): its decisions are not logged.
Expected<planner::ExecPlan> QuietFit(const partition::FitProblem& s, uint64_t budget) {
  log::Capture quiet;
  return partition::FitBudget(s, budget);
}

// --target: a built-in profile by name, or a JSON file (docs/json_schema.md, "Target profile"):
// {"name": "my-board", "mac": 2.0, "slow_byte": 6.0, "fast_copy_byte": 0.5, "call": 300}, every
// cost a positive number of cycles, an optional "isa" (tgrs_isa_name; default portable), no other keys.
Expected<partition::TargetProfile> ResolveTarget(const std::string& target) {
  if (target.size() < 5 || target.compare(target.size() - 5, 5, ".json") != 0)
    return partition::TargetProfileByName(target);
  std::ifstream f(target);
  if (!f) return IoError("--target: cannot open '" + target + "'");
  const auto j = nlohmann::json::parse(f, nullptr, /*allow_exceptions=*/false);
  const std::string where = "--target '" + target + "': ";
  if (j.is_discarded()) return InvalidArgument(where + "not valid JSON");
  if (!j.is_object()) return InvalidArgument(where + "expected an object with name, mac, slow_byte, fast_copy_byte, call");
  partition::TargetProfile t;
  const std::pair<const char*, double*> costs[] = {
      {"mac", &t.mac}, {"slow_byte", &t.slow_byte}, {"fast_copy_byte", &t.fast_copy_byte}, {"call", &t.call}};
  for (const auto& [key, value] : j.items()) {
    if (key == "name") {
      if (!value.is_string() || value.get<std::string>().empty())
        return InvalidArgument(where + "\"name\" must be a non-empty string");
      t.name = value.get<std::string>();
      continue;
    }
    if (key == "isa") {
      if (!value.is_string() || tgrs_isa_from_name(value.get<std::string>().c_str()) < 0)
        return InvalidArgument(where + "\"isa\" must be one of portable, dsp, mve, esp32s3");
      t.isa = value.get<std::string>();
      continue;
    }
    auto it = std::find_if(std::begin(costs), std::end(costs), [&](const auto& c) { return key == c.first; });
    if (it == std::end(costs))
      return InvalidArgument(where + "unknown key \"" + key + "\" (keys: name, mac, slow_byte, fast_copy_byte, call, isa)");
    if (!value.is_number() || !(value.get<double>() > 0) || !std::isfinite(value.get<double>()))
      return InvalidArgument(where + "\"" + key + "\" must be a positive number of cycles");
    *it->second = value.get<double>();
  }
  for (const char* key : {"name", "mac", "slow_byte", "fast_copy_byte", "call"})
    if (!j.contains(key)) return InvalidArgument(where + "missing \"" + std::string(key) + "\"");
  return t;
}

bool StagedWeights(const CompileOptions& o) { return !o.xip || o.compress != "none"; }

// --backend at the ISA of --target.
Expected<emit::KernelBackend> BackendOf(const CompileOptions& o) {
  TIGRIS_ASSIGN_OR_RETURN(partition::TargetProfile t, ResolveTarget(o.target));
  auto b = emit::KernelBackendByName(o.backend, t.isa);
  if (!b.ok()) return Status(b.status().code(), "--backend: " + b.status().message() + " (--target " + t.name + ")");
  return b;
}

Expected<emit::EmitOptions> EmitOptionsOf(const CompileOptions& o) {
  emit::EmitOptions e;
  e.xip = o.xip;
  e.compression = o.compress == "lz4" ? emit::WeightCompression::kLz4 : emit::WeightCompression::kNone;
  TIGRIS_ASSIGN_OR_RETURN(e.backend, BackendOf(o));
  return e;
}

// Streamed / compressed weights: each op's (or loop's) weights get a planned RAM buffer (with the in-place
// LZ4 margin the emitter will need), so pool sizes include them. `pools` empty = unbounded.
Status PlaceWeights(planner::ExecPlan& plan, const std::vector<uint64_t>& pools, const CompileOptions& o) {
  if (!StagedWeights(o)) return Status::Ok();
  TIGRIS_ASSIGN_OR_RETURN(const emit::EmitOptions e, EmitOptionsOf(o));
  auto margin = [e](const std::vector<uint8_t>& bytes) { return emit::EncodeStage(bytes, e.compression, !e.xip).margin; };
  TIGRIS_RETURN_IF_ERROR(planner::PlaceStageWeights(plan, pools, o.planner, margin));
  planner::FillStageStats(plan);
  return Status::Ok();
}

// The weights figures of the report, read off the plan's segment table.
void FillWeightFigures(const planner::ExecPlan& plan, const std::vector<uint8_t>& bytes, const CompileOptions& o,
                       AnalysisReport& r) {
  r.weights_mode = !StagedWeights(o) ? "xip" : o.compress == "lz4" ? (o.xip ? "lz4 (xip)" : "lz4 (streamed)") : "streamed";
  r.uncompressed_plan_bytes = bytes.size();
  for (const planner::WeightStage& ws : plan.weight_stages) {
    const uint64_t b = plan.buffers[static_cast<size_t>(ws.buffer)].size;
    r.weight_stage_bytes = std::max(r.weight_stage_bytes, b);
    r.weight_stage_total += b;
  }
  r.weight_segments = static_cast<uint32_t>(plan.weight_stages.size());
  tgrs_plan_header_t h;
  if (bytes.size() < sizeof h) return;
  std::memcpy(&h, bytes.data(), sizeof h);
  for (uint32_t i = 0; i < h.n_segments && h.segments_off + (i + 1) * sizeof(tgrs_weight_seg_rec_t) <= bytes.size(); ++i) {
    tgrs_weight_seg_rec_t sg;
    std::memcpy(&sg, bytes.data() + h.segments_off + i * sizeof sg, sizeof sg);
    r.uncompressed_plan_bytes += (sg.size + 15u) / 16u * 16u;
    r.uncompressed_plan_bytes -= (sg.src_size + 15u) / 16u * 16u;
    if (sg.codec == TGRS_CODEC_LZ4) r.decompression_overhead = std::max<uint64_t>(r.decompression_overhead, sg.margin);
  }
}

// Checks the options that do not need the model.
Status CheckOptions(const CompileOptions& options) {
  if (options.pools.empty()) return InvalidArgument("at least one memory pool (-m) is required");
  if (options.pools.size() > TGRS_MAX_POOLS)
    return InvalidArgument("at most " + std::to_string(TGRS_MAX_POOLS) + " memory pools (-m) are supported");
  for (uint64_t p : options.pools)
    if (p == 0) return InvalidArgument("a memory pool (-m) must be larger than 0 bytes");
  if (options.compress != "none" && options.compress != "lz4")
    return InvalidArgument("unknown weight compression '" + options.compress + "' (use none or lz4)");
  if (options.schedule != "min_peak" && options.schedule != "onnx")
    return InvalidArgument("unknown schedule '" + options.schedule + "' (use min_peak or onnx)");
  TIGRIS_RETURN_IF_ERROR(planner::AssignOffsets(options.planner, {}));

  return Status::Ok();
}

// Everything the budget search needs for `graph`, and the report's model and memory figures.
Expected<partition::FitProblem> Prepare(const ir::Graph& graph, const std::string& onnx_path,
                                        const CompileOptions& options, AnalysisReport& r) {
  r.model_name = BaseName(onnx_path);
  r.pool_budget = options.pools;
  r.flash_budget = options.flash;
  r.planner = options.planner;
  r.layout = options.layout;
  FillModelStats(graph, r);

  // Scratch per node, the op order, and the memory figures of the unpartitioned model.
  partition::FitProblem s;
  s.graph = &graph;
  s.pools = options.pools;
  s.algorithm = options.planner;
  s.tiling = options.tiling;
  s.params = [](const ir::Graph& g, const ir::Node& n) { return emit::EncodeParams(g, n); };
  TIGRIS_ASSIGN_OR_RETURN(s.target, ResolveTarget(options.target));
  r.target = s.target.name;
  for (const ir::Node& n : graph.nodes) r.model_macs += planner::NodeMacs(graph, n);
  TIGRIS_ASSIGN_OR_RETURN(const emit::KernelBackend backend, BackendOf(options));
  r.backend = backend.name;
  const planner::ScratchQuery scratch_query = emit::KernelScratchQuery(backend);
  for (const ir::Node& n : graph.nodes) {
    TIGRIS_ASSIGN_OR_RETURN(uint64_t need, scratch_query(graph, n));
    s.scratch.push_back(need);
  }
  planner::BufferModel model = planner::BuildBufferModel(graph);
  model.scratch = s.scratch;
  std::vector<ir::NodeId> onnx_order(graph.nodes.size());
  for (size_t i = 0; i < onnx_order.size(); ++i) onnx_order[i] = static_cast<ir::NodeId>(i);
  r.onnx_order_peak = planner::PeakOfOrder(model, graph, onnx_order);
  for (uint64_t b : model.size) r.naive_peak += b;
  s.order = onnx_order;
  r.unpartitioned_peak = r.onnx_order_peak;
  if (options.schedule == "min_peak") {
    planner::ScheduleOptions sopt;
    sopt.scratch = s.scratch;
    TIGRIS_ASSIGN_OR_RETURN(planner::Schedule sched, planner::ScheduleMinPeak(graph, sopt));
    r.schedule_optimal = sched.optimal;
    const bool better = sched.peak <= r.onnx_order_peak;
    TIGRIS_LOG_INFO("schedule: min_peak order peak {} ({}, {} states), ONNX order peak {}: using the {} order",
                    HumanBytes(sched.peak), sched.optimal ? "proven minimum" : "beam search, not proven",
                    sched.states_explored, HumanBytes(r.onnx_order_peak), better ? "min_peak" : "ONNX");
    if (better) {
      s.order = std::move(sched.order);
      r.unpartitioned_peak = sched.peak;
    }
  } else {
    TIGRIS_LOG_INFO("schedule: the ONNX order (--schedule onnx), peak {}", HumanBytes(r.onnx_order_peak));
  }
  const auto uses = planner::NodeBufferUses(model, graph.nodes.size());
  for (size_t n = 0; n < graph.nodes.size(); ++n)
    r.min_fast_budget = std::max(r.min_fast_budget, planner::NodeFastNeed(model, uses[n], s.scratch[n]));

  s.min_need = r.min_fast_budget;
  TIGRIS_LOG_INFO("memory: naive peak {} (every activation at once), largest single op needs {}",
                  HumanBytes(r.naive_peak), HumanBytes(r.min_fast_budget));
  return s;
}

// Runs the whole pipeline. A budget that is too small is not an error here: the report says
// so (sram_fits = false, sram_diagnostic) and no plan bytes are produced.
Expected<PipelineResult> RunPipeline(const std::string& onnx_path, const CompileOptions& options) {
  TIGRIS_RETURN_IF_ERROR(CheckOptions(options));
  TIGRIS_ASSIGN_OR_RETURN(ir::Graph graph, lower(onnx_path, options));
  PipelineResult result;
  AnalysisReport& r = result.report;
  TIGRIS_ASSIGN_OR_RETURN(partition::FitProblem s, Prepare(graph, onnx_path, options, r));
  auto fitted = partition::FitBudget(s, options.pools[0]);
  if (!fitted.ok()) {
    if (fitted.status().code() != ErrorCode::kBudgetExceeded) return fitted.status();
    r.sram_fits = false;
    r.sram_diagnostic = fitted.status().message();
    TIGRIS_LOG_INFO("fit: {} does not fit: {}", HumanBytes(options.pools[0]), r.sram_diagnostic);
    partition::FitProblem roomy = s;
    roomy.pools[0] = kUnbounded;
    auto untiled = QuietFit(roomy, kUnbounded);
    if (untiled.ok()) {
      // To about 1/64 of the answer: a diagnostic, not --min-budget's exact search.
      const uint64_t lo = s.tiling ? 16 : std::max<uint64_t>(r.min_fast_budget, 16);
      const uint64_t smallest = partition::SmallestWorkingBudget(s, lo, untiled->pool_size[0], 64);
      // Bisection stops within 1/64, so this budget is proven to work but may not be the least.
      if (smallest)
        r.sram_diagnostic += "; a fast budget of " + FormatBytes(smallest) +
                             " works (analyze --min-budget finds the smallest)";
      // Flash figures still describe the plan the model would get.
      r.scheduled_peak = untiled->scheduled_peak;
      TIGRIS_RETURN_IF_ERROR(PlaceWeights(*untiled, {}, options));
      TIGRIS_ASSIGN_OR_RETURN(const emit::EmitOptions eo, EmitOptionsOf(options));
      TIGRIS_ASSIGN_OR_RETURN(std::vector<uint8_t> bytes, emit::WritePlan(*untiled, eo));
      r.plan_bytes = bytes.size();
      FillWeightFigures(*untiled, bytes, options, r);
      FillPlanDetail(graph, *untiled, bytes, /*untiled=*/true, r);
    } else {
      FillPlanDetail(graph, planner::ExecPlan{}, {}, /*untiled=*/true, r);
    }
    r.pool_used.assign(options.pools.size(), 0);
    r.plan_overhead = r.plan_bytes > r.weight_bytes ? r.plan_bytes - r.weight_bytes : 0;
    r.int8_plan_estimate = Int8PlanEstimate(r);
    r.flash_fits = options.flash == 0 || r.plan_bytes <= options.flash;
    result.graph = std::move(graph);
    return result;
  }

  planner::ExecPlan& plan = *fitted;
  TIGRIS_RETURN_IF_ERROR(PlaceWeights(plan, options.pools, options));
  r.sram_fits = true;
  r.scheduled_peak = plan.scheduled_peak;
  r.arena_lower_bound = plan.pool_lower_bound[0];
  r.pool_used = plan.pool_size;
  r.spill_bytes = plan.spill_bytes;
  r.reload_bytes = plan.reload_bytes;
  r.n_stages = static_cast<int64_t>(plan.stages.size());
  for (const planner::PlanStage& st : plan.stages) {
    StageReport sr;
    sr.first_op = st.first;
    sr.last_op = st.last;
    sr.compute_ops = st.compute_ops;
    sr.fast_peak = st.fast_peak;
    sr.kind = st.kind == planner::StageKind::kTiled ? "tiled" : st.kind == planner::StageKind::kChain ? "chain" : "normal";
    sr.strips = st.strips;
    sr.strip_rows = st.strip_rows;
    sr.halo_rows = st.halo_rows;
    sr.recomputed_macs = st.recomputed_macs;
    sr.tiling = st.tiling;
    sr.spill_bytes = st.spill_bytes;
    sr.reload_bytes = st.reload_bytes;
    for (uint32_t k = st.first; k <= st.last && k < plan.steps.size(); ++k) {
      const planner::PlanStep& step = plan.steps[k];
      if (step.kind != planner::StepKind::kOp) continue;
      const ir::NodeId o = plan.origin[static_cast<size_t>(step.node)];
      if (o < 0) continue;
      if (sr.first_node.empty()) sr.first_node = graph.nodes[static_cast<size_t>(o)].name;
      sr.last_node = graph.nodes[static_cast<size_t>(o)].name;
    }
    r.stages.push_back(std::move(sr));
  }
  const partition::PlanWork work = partition::PlanWorkOf(plan);
  r.executed_macs = work.macs;
  r.kernel_calls = work.calls;
  r.modeled_cycles = work.Cycles(s.target);

  TIGRIS_ASSIGN_OR_RETURN(const emit::EmitOptions eo, EmitOptionsOf(options));
  TIGRIS_ASSIGN_OR_RETURN(std::vector<uint8_t> bytes, emit::WritePlan(plan, eo));
  if (eo.backend.vendor != nullptr) {
    TIGRIS_ASSIGN_OR_RETURN(const emit::VendorCoverage cov, emit::CoverageOf(bytes, eo.backend));
    r.vendor_calls = cov.vendor_calls;
    r.vendor_fallback_calls = cov.fallback_calls;
    r.vendor_fallbacks = cov.reasons;
    TIGRIS_LOG_INFO("backend: {} ({}): {} int8 calls run its kernels, {} fall back to the reference kernels",
                    eo.backend.name, tgrs_isa_name(eo.backend.isa), cov.vendor_calls, cov.fallback_calls);
  }
  r.plan_bytes = bytes.size();
  FillWeightFigures(plan, bytes, options, r);
  r.plan_overhead = bytes.size() > r.weight_bytes ? bytes.size() - r.weight_bytes : 0;
  r.int8_plan_estimate = Int8PlanEstimate(r);
  r.flash_fits = options.flash == 0 || r.plan_bytes <= options.flash;
  FillPlanDetail(graph, plan, bytes, /*untiled=*/false, r);
  TIGRIS_LOG_INFO("emit: plan {} ({} weights), {} steps in {} stages, fast arena {} of {}, modeled {:.4g} cycles",
                  HumanBytes(r.plan_bytes), HumanBytes(r.weight_bytes), plan.steps.size(), plan.stages.size(),
                  HumanBytes(r.pool_used[0]), HumanBytes(options.pools[0]), r.modeled_cycles);

  result.graph = std::move(plan.graph);
  result.bytes = std::move(bytes);
  return result;
}

}  // namespace

Expected<ir::Graph> lower(const std::string& onnx_path, const CompileOptions& options) {
  return LowerImpl(onnx_path, options);
}

Expected<MinBudgetReport> min_budget(const std::string& onnx_path, const CompileOptions& options) {
  TIGRIS_RETURN_IF_ERROR(CheckOptions(options));
  TIGRIS_ASSIGN_OR_RETURN(ir::Graph graph, lower(onnx_path, options));
  AnalysisReport r;
  TIGRIS_ASSIGN_OR_RETURN(partition::FitProblem s, Prepare(graph, onnx_path, options, r));
  MinBudgetReport out;
  out.model_name = r.model_name;
  out.model_macs = r.model_macs;
  out.target = options.target;
  partition::FitProblem roomy = s;
  roomy.pools[0] = kUnbounded;
  auto untiled = QuietFit(roomy, kUnbounded);
  if (!untiled.ok()) return untiled.status();
  out.untiled_arena = untiled->pool_size[0];
  TIGRIS_LOG_INFO("min-budget: untiled arena {}; bisection over real compiles", HumanBytes(out.untiled_arena));
  const uint64_t lo = s.tiling ? 16 : std::max<uint64_t>(r.min_fast_budget, 16);
  out.min_budget = partition::SmallestWorkingBudget(s, lo, out.untiled_arena, 0, options.on_probe);
  TIGRIS_LOG_INFO("min-budget: smallest fast budget that compiles: {}", out.min_budget ? HumanBytes(out.min_budget) : "none");
  if (out.min_budget == 0) return out;
  auto point = [&](uint64_t budget) -> Status {
    TIGRIS_ASSIGN_OR_RETURN(planner::ExecPlan plan, QuietFit(s, budget));
    if (options.on_probe) options.on_probe(budget, true);
    BudgetPoint p;
    p.budget = budget;
    p.arena = plan.pool_size[0];
    p.stages = static_cast<int64_t>(plan.stages.size());
    for (const planner::PlanStage& st : plan.stages) {
      p.tiled_stages += st.kind == planner::StageKind::kTiled;
      p.chain_stages += st.kind == planner::StageKind::kChain;
    }
    p.spill_bytes = plan.spill_bytes;
    p.reload_bytes = plan.reload_bytes;
    const partition::PlanWork w = partition::PlanWorkOf(plan);
    p.executed_macs = w.macs;
    p.kernel_calls = w.calls;
    p.modeled_cycles = w.Cycles(s.target);
    TIGRIS_LOG_INFO("min-budget: at {}: {} stages ({} tiled, {} chain), slow I/O {}, {:.4g} modeled cycles",
                    HumanBytes(budget), p.stages, p.tiled_stages, p.chain_stages,
                    HumanBytes(p.spill_bytes + p.reload_bytes), p.modeled_cycles);
    out.points.push_back(p);
    return Status::Ok();
  };
  for (uint64_t b = out.min_budget; b < out.untiled_arena; b *= 2) TIGRIS_RETURN_IF_ERROR(point(b));
  TIGRIS_RETURN_IF_ERROR(point(out.untiled_arena));
  return out;
}

Expected<AnalysisReport> analyze(const std::string& onnx_path, const CompileOptions& options) {
  TIGRIS_ASSIGN_OR_RETURN(PipelineResult result, RunPipeline(onnx_path, options));
  return std::move(result.report);
}

Expected<CompiledPlan> compile(const std::string& onnx_path, const CompileOptions& options) {
  TIGRIS_ASSIGN_OR_RETURN(PipelineResult result, RunPipeline(onnx_path, options));
  const AnalysisReport& r = result.report;
  if (!r.sram_fits) return BudgetExceeded(r.sram_diagnostic);
  if (!r.flash_fits)
    return BudgetExceeded("plan is " + FormatBytes(r.plan_bytes) + ", flash budget is " + FormatBytes(r.flash_budget));
  CompiledPlan out;
  out.bytes = std::move(result.bytes);
  out.report = result.report;
  out.graph = std::move(result.graph);
  return out;
}

namespace detail {
namespace {
const char* StatusName(tgrs_status_t st) {
  switch (st) {
    case TGRS_OK: return "TGRS_OK";
    case TGRS_ERR_BAD_ARG: return "TGRS_ERR_BAD_ARG";
    case TGRS_ERR_BAD_MAGIC: return "TGRS_ERR_BAD_MAGIC";
    case TGRS_ERR_VERSION: return "TGRS_ERR_VERSION";
    case TGRS_ERR_CHECKSUM: return "TGRS_ERR_CHECKSUM";
    case TGRS_ERR_CORRUPT: return "TGRS_ERR_CORRUPT";
    case TGRS_ERR_UNSUPPORTED_OP: return "TGRS_ERR_UNSUPPORTED_OP";
    case TGRS_ERR_ARENA_TOO_SMALL: return "TGRS_ERR_ARENA_TOO_SMALL";
    case TGRS_ERR_NOT_PREPARED: return "TGRS_ERR_NOT_PREPARED";
    case TGRS_ERR_ALIGNMENT: return "TGRS_ERR_ALIGNMENT";
    case TGRS_ERR_TRUNCATED: return "TGRS_ERR_TRUNCATED";
    case TGRS_ERR_BAD_LZ4: return "TGRS_ERR_BAD_LZ4";
    case TGRS_ERR_READ: return "TGRS_ERR_READ";
  }
  return "unknown";
}
}  // namespace

// Where a streamed plan's weights come from: the plan file (what `tigris run` does, as a device
// reads its SPI flash or SD card), or the bytes in memory.
struct WeightSource {
  const std::vector<uint8_t>* bytes = nullptr;
  std::FILE* file = nullptr;
  uint64_t reads = 0, read_bytes = 0;
};

tgrs_status_t ReadWeights(void* user, uint32_t offset, void* dst, uint32_t size) {
  auto* src = static_cast<WeightSource*>(user);
  ++src->reads;
  src->read_bytes += size;
  if (src->file != nullptr) {
    if (std::fseek(src->file, static_cast<long>(offset), SEEK_SET) != 0) return TGRS_ERR_READ;
    return std::fread(dst, 1, size, src->file) == size ? TGRS_OK : TGRS_ERR_READ;
  }
  if (static_cast<uint64_t>(offset) + size > src->bytes->size()) return TGRS_ERR_READ;
  std::memcpy(dst, src->bytes->data() + offset, size);
  return TGRS_OK;
}

// Copies the plan to 16-byte aligned memory and validates it with the C runtime's loader; a
// streamed plan only its head, as a device holds it (weights come through `source`).
Status LoadPlan(const std::vector<uint8_t>& plan_bytes, AlignedBuffer& blob, tgrs_plan_t& plan,
                WeightSource* source) {
  size_t size = plan_bytes.size();
  tgrs_plan_header_t h{};
  if (size >= sizeof h) std::memcpy(&h, plan_bytes.data(), sizeof h);
  const uint32_t head = tgrs_plan_head_size(plan_bytes.data(), plan_bytes.size());
  if (head > 0 && (h.flags & TGRS_FLAG_XIP) == 0u && head <= size) size = head;
  if (size > 0) std::memcpy(blob.data, plan_bytes.data(), size);
  plan.failed_op = -1;
  tgrs_status_t st = tgrs_plan_load(&plan, blob.data, size);
  if (st == TGRS_OK && tgrs_plan_is_streamed(&plan) && source != nullptr)
    st = tgrs_plan_set_reader(&plan, ReadWeights, source);
  if (st != TGRS_OK) {
    std::string where = plan.failed_op >= 0 ? " (op " + std::to_string(plan.failed_op) + ")" : "";
    return InvalidModel("plan rejected by the runtime: " + std::string(tgrs_status_str(st)) + " [" + StatusName(st) +
                        "]" + where);
  }
  return Status::Ok();
}
}  // namespace detail

namespace {
using detail::AlignedBuffer;
using detail::LoadPlan;
using detail::WeightSource;

ir::Tensor DescribeView(const tgrs_tensor_t& view, const char* name) {
  ir::Tensor t;
  t.name = name;
  t.dtype = static_cast<ir::DType>(view.dtype);
  t.shape.assign(view.dims, view.dims + view.rank);
  return t;
}
}  // namespace

Expected<std::vector<ir::Tensor>> plan_inputs(const std::vector<uint8_t>& plan_bytes) {
  AlignedBuffer blob(plan_bytes.size());
  tgrs_plan_t plan;
  TIGRIS_RETURN_IF_ERROR(LoadPlan(plan_bytes, blob, plan));
  std::vector<ir::Tensor> out;
  for (uint32_t k = 0; k < tgrs_plan_input_count(&plan); ++k) {
    tgrs_tensor_t view;
    if (tgrs_plan_input(&plan, k, &view) != TGRS_OK) return Internal("cannot describe input " + std::to_string(k));
    out.push_back(DescribeView(view, tgrs_plan_input_name(&plan, k)));
  }
  return out;
}

namespace {
// One inference. With `canary` set, every arena is filled with that byte first and the result
// records, per pool, one past the highest byte the run changed.
Expected<RunResult> RunOnce(const std::vector<uint8_t>& plan_bytes, const std::vector<ir::Tensor>& inputs,
                            const int* canary, const std::string& plan_file = "") {
  AlignedBuffer blob(plan_bytes.size());
  tgrs_plan_t plan;
  WeightSource source;
  source.bytes = &plan_bytes;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(nullptr, std::fclose);
  if (!plan_file.empty()) {
    file.reset(std::fopen(plan_file.c_str(), "rb"));
    if (!file) return IoError("cannot open '" + plan_file + "'");
    source.file = file.get();
  }
  TIGRIS_RETURN_IF_ERROR(LoadPlan(plan_bytes, blob, plan, &source));
  tgrs_status_t st;
  const uint32_t n_pools = tgrs_plan_pool_count(&plan);
  std::vector<AlignedBuffer> arenas;
  std::vector<void*> arena_ptrs;
  std::vector<size_t> arena_sizes;
  arenas.reserve(n_pools);
  for (uint32_t p = 0; p < n_pools; ++p) {
    arenas.emplace_back(tgrs_plan_pool_size(&plan, p));
    if (canary) std::memset(arenas.back().data, *canary, tgrs_plan_pool_size(&plan, p));
    arena_ptrs.push_back(arenas.back().data);
    arena_sizes.push_back(tgrs_plan_pool_size(&plan, p));
  }
  st = tgrs_plan_prepare(&plan, arena_ptrs.data(), arena_sizes.data(), n_pools, nullptr);
  if (st != TGRS_OK) return Internal(std::string("prepare failed: ") + tgrs_status_str(st));
  if (canary)  // prepare reads a streamed plan's weights into the arenas once: start from the canary again
    for (uint32_t p = 0; p < n_pools; ++p) std::memset(arenas[p].data, *canary, arena_sizes[p]);

  const uint32_t n_in = tgrs_plan_input_count(&plan);
  if (inputs.size() != n_in)
    return InvalidArgument("plan has " + std::to_string(n_in) + " input(s), " + std::to_string(inputs.size()) +
                           " given");
  for (uint32_t k = 0; k < n_in; ++k) {
    tgrs_tensor_t view;
    if (tgrs_plan_input(&plan, k, &view) != TGRS_OK) return Internal("cannot bind input " + std::to_string(k));
    int64_t count = 1;
    for (int32_t d = 0; d < view.rank; ++d) count *= view.dims[d];
    const int64_t bytes = count * tgrs_dtype_size(view.dtype);
    const ir::Tensor& in = inputs[k];
    const std::string name = tgrs_plan_input_name(&plan, k);
    if (static_cast<int32_t>(in.dtype) != view.dtype)
      return InvalidArgument("input '" + name + "': dtype " + ir::DTypeName(in.dtype) + " given, plan expects " +
                             ir::DTypeName(static_cast<ir::DType>(view.dtype)));
    if (static_cast<int64_t>(in.data.size()) != bytes)
      return InvalidArgument("input '" + name + "': " + std::to_string(in.data.size()) + " bytes given, plan expects " +
                             std::to_string(bytes));
    std::memcpy(view.data, in.data.data(), static_cast<size_t>(bytes));
  }
  st = tgrs_plan_invoke(&plan);
  if (st != TGRS_OK) return Internal(std::string("invoke failed: ") + tgrs_status_str(st));

  RunResult result;
  for (uint32_t p = 0; p < n_pools; ++p) {
    const size_t size = arena_sizes[p];
    result.arena_size.push_back(size);
    result.reported_high_water.push_back(tgrs_plan_high_water(&plan, p));
    size_t top = 0;
    if (canary)
      for (size_t i = size; i > 0; --i)
        if (arenas[p].data[i - 1] != static_cast<uint8_t>(*canary)) {
          top = i;
          break;
        }
    result.high_water.push_back(top);
  }
  std::vector<ir::Tensor>& outputs = result.outputs;
  for (uint32_t k = 0; k < tgrs_plan_output_count(&plan); ++k) {
    tgrs_tensor_t view;
    if (tgrs_plan_output(&plan, k, &view) != TGRS_OK) return Internal("cannot read output " + std::to_string(k));
    ir::Tensor t = DescribeView(view, tgrs_plan_output_name(&plan, k));
    t.is_constant = true;
    const auto* p = static_cast<const uint8_t*>(view.data);
    t.data.assign(p, p + t.SizeBytes());
    outputs.push_back(std::move(t));
  }
  return result;
}
}  // namespace

Expected<std::vector<ir::Tensor>> run(const std::vector<uint8_t>& plan_bytes, const std::vector<ir::Tensor>& inputs) {
  TIGRIS_ASSIGN_OR_RETURN(RunResult r, RunOnce(plan_bytes, inputs, nullptr));
  return std::move(r.outputs);
}

Expected<RunResult> run(const std::vector<uint8_t>& plan_bytes, const std::vector<ir::Tensor>& inputs,
                        const RunOptions& options) {
  if (!options.measure_high_water) return RunOnce(plan_bytes, inputs, nullptr, options.plan_file);
  // Two canaries, so a byte the run happens to write with the canary value cannot hide.
  const int first = 0xA5, second = 0x5A;
  TIGRIS_ASSIGN_OR_RETURN(RunResult a, RunOnce(plan_bytes, inputs, &first));
  TIGRIS_ASSIGN_OR_RETURN(RunResult b, RunOnce(plan_bytes, inputs, &second));
  for (size_t p = 0; p < a.high_water.size(); ++p) a.high_water[p] = std::max(a.high_water[p], b.high_water[p]);
  return a;
}

}  // namespace tigris
