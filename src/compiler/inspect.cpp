// tigris::inspect (inspect.h): a plan read back through the C99 loader and its read-only
// accessors, shown as text or JSON, and the difference of two plans. Nothing here parses the
// blob itself: a plan the loader rejects is never shown.
#include "tigris/inspect.h"

#include <fmt/core.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "compiler_internal.h"
#include "tigris/ir/graph.h"
#include "tigris/ir/op_traits.h"
#include "tigris/support/bytes.h"
#include "tigris/tigris.h"

namespace tigris {

namespace {

const char* StageKindName(uint32_t kind) {
  return kind == TGRS_STAGE_TILED ? "tiled" : kind == TGRS_STAGE_CHAIN ? "chain" : "normal";
}

// Copies (spills, reloads, strip loads/stores/shifts) and views the partitioner inserted: not
// model ops.
bool IsInsertedOp(const PlanOpInfo& op) {
  if (op.op == "Copy") return true;
  return op.op == "Reshape" && op.name.rfind("view_", 0) == 0;
}

// The model op a strip instance runs: "conv0/conv/b1#3x28" -> "conv0/conv" (the tiler names
// instances NAME[/b<band>]#<strip>[x<repeats>]).
std::string ModelOpName(const std::string& name) {
  size_t hash = name.rfind('#');
  if (hash == std::string::npos) return name;
  for (size_t k = hash + 1; k < name.size(); ++k)
    if (!std::isdigit(static_cast<unsigned char>(name[k])) && name[k] != 'x') return name;
  size_t end = hash;
  const size_t slash = name.rfind("/b", hash);
  if (slash != std::string::npos && slash + 2 < hash &&
      std::all_of(name.begin() + static_cast<std::ptrdiff_t>(slash) + 2, name.begin() + static_cast<std::ptrdiff_t>(hash),
                  [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
    end = slash;
  return name.substr(0, end);
}

std::string PoolName(uint32_t pool) { return pool == TGRS_POOL_WEIGHTS ? "weights" : std::to_string(pool); }

// "conv0/conv .. block2/pw/conv", one name for one op, "(copies)" for none.
std::string OpRange(const PlanStageInfo& st) {
  if (st.first_node.empty()) return "(copies)";
  return st.last_node == st.first_node ? st.first_node : st.first_node + " .. " + st.last_node;
}

std::string Dims(const std::vector<int64_t>& dims) { return dims.empty() ? "scalar" : ir::ShapeString(dims); }

}  // namespace

Expected<PlanInfo> inspect(const std::vector<uint8_t>& bytes) {
  detail::AlignedBuffer blob(bytes.size());
  tgrs_plan_t plan;
  TIGRIS_RETURN_IF_ERROR(detail::LoadPlan(bytes, blob, plan));
  const tgrs_plan_header_t* h = tgrs_plan_header(&plan);
  PlanInfo info;
  info.version_major = h->version_major;
  info.version_minor = h->version_minor;
  info.total_size = h->total_size;
  info.checksum = h->checksum;
  info.xip = (h->flags & TGRS_FLAG_XIP) != 0;
  for (uint32_t p = 0; p < tgrs_plan_pool_count(&plan); ++p) {
    info.pool_size.push_back(tgrs_plan_pool_size(&plan, p));
    info.high_water.push_back(tgrs_plan_high_water(&plan, p));
  }
  info.weights_size = h->weights_size;
  info.words = h->n_words;
  info.strings_size = h->strings_size;
  for (uint32_t t = 0; t < h->n_tensors; ++t) {
    const tgrs_tensor_rec_t* r = tgrs_plan_tensor(&plan, t);
    PlanTensorInfo ti;
    ti.name = tgrs_plan_string(&plan, r->name);
    ti.dtype = ir::DTypeName(static_cast<ir::DType>(r->dtype));
    ti.dims.assign(r->dims, r->dims + r->rank);
    ti.strides.assign(r->strides, r->strides + r->rank);
    ti.pool = r->pool;
    ti.offset = r->offset;
    ti.size = r->size;
    info.tensors.push_back(std::move(ti));
  }
  for (uint32_t k = 0; k < h->n_inputs; ++k) info.inputs.push_back(tgrs_plan_input_id(&plan, k));
  for (uint32_t k = 0; k < h->n_outputs; ++k) info.outputs.push_back(tgrs_plan_output_id(&plan, k));
  for (uint32_t l = 0; l < h->n_loops; ++l) {
    const tgrs_loop_rec_t* r = tgrs_plan_loop(&plan, l);
    info.loops.push_back({r->first_op, r->n_ops, r->count});
  }
  // Weights by kind, each constant tensor once (records may share bytes: count distinct ranges).
  // An XIP plan's weights live in the weights section, a streamed or LZ4 plan's in the stage
  // buffers its segments fill.
  struct WeightUse {
    uint32_t dtype;
    bool table;
  };
  std::map<std::tuple<int64_t, uint32_t, uint32_t>, WeightUse> weights;  // (segment or -1, offset, size)
  for (uint32_t t = 0; t < h->n_tensors; ++t) {
    const tgrs_tensor_rec_t* r = tgrs_plan_tensor(&plan, t);
    if (r->pool == TGRS_POOL_WEIGHTS) weights.emplace(std::make_tuple(int64_t{-1}, r->offset, r->size), WeightUse{r->dtype, false});
  }
  // A segment's region holds its weights over its ops [first_op, last_op]; outside them other
  // tensors may reuse the bytes (a 4.0 plan does not say: up to the next segment's start). So a
  // tensor op k reads belongs to the segment whose range holds k if its decoded range holds it.
  auto segment_of = [&](uint32_t k, const tgrs_tensor_rec_t* r) -> std::optional<int64_t> {
    if (r->pool == TGRS_POOL_WEIGHTS) return -1;
    for (uint32_t g = h->n_segments; g-- > 0;) {
      const tgrs_weight_seg_rec_t* sg = tgrs_plan_segment(&plan, g);
      if (sg->first_op > k) continue;
      if (h->version_minor >= 1 && k > sg->last_op) return std::nullopt;
      if (sg->pool == r->pool && r->offset >= sg->dst_offset &&
          uint64_t{r->offset} + r->size <= uint64_t{sg->dst_offset} + sg->size)
        return g;
      return std::nullopt;
    }
    return std::nullopt;
  };
  for (uint32_t k = 0; k < h->n_ops; ++k) {
    const tgrs_op_rec_t* r = tgrs_plan_op(&plan, k);
    PlanOpInfo oi;
    oi.name = tgrs_plan_string(&plan, r->name);
    oi.op = ir::OpName(static_cast<ir::OpKind>(r->kind));
    oi.kernel = ir::DTypeName(static_cast<ir::DType>(r->dtype));
    for (uint32_t j = 0; j < static_cast<uint32_t>(r->n_inputs) + r->n_outputs; ++j) {
      const uint32_t id = tgrs_plan_op_operand(&plan, k, j);
      const int64_t v = id == TGRS_NO_TENSOR ? -1 : static_cast<int64_t>(id);
      (j < r->n_inputs ? oi.inputs : oi.outputs).push_back(v);
      if (j >= r->n_inputs || id == TGRS_NO_TENSOR) continue;
      const tgrs_tensor_rec_t* t = tgrs_plan_tensor(&plan, id);
      const std::optional<int64_t> seg = segment_of(k, t);
      if (!seg) continue;
      WeightUse& w = weights.emplace(std::make_tuple(*seg, t->offset, t->size), WeightUse{t->dtype, false}).first->second;
      w.table = w.table || (r->dtype == TGRS_DTYPE_I8 && ir::IsQuantTableInput(static_cast<ir::OpKind>(r->kind), j));
    }
    oi.scratch_offset = r->scratch_offset;
    oi.scratch_size = r->scratch_size;
    for (size_t l = 0; l < info.loops.size(); ++l)
      if (k >= info.loops[l].first_op && k < info.loops[l].first_op + info.loops[l].n_ops) oi.loop = static_cast<int64_t>(l);
    info.ops.push_back(std::move(oi));
  }
  for (const auto& [key, w] : weights) {
    const uint32_t size = std::get<2>(key);
    if (w.table) info.quant_table_bytes += size;
    else if (w.dtype == TGRS_DTYPE_F32) info.f32_weight_bytes += size;
    else if (w.dtype == TGRS_DTYPE_I8 || w.dtype == TGRS_DTYPE_U8) info.int8_weight_bytes += size;
  }
  // Stages, with their step ranges as analyze counts them (a loop record is a step before its body).
  auto step_of = [&](uint32_t op) {
    uint32_t loops_before = 0;
    for (const PlanLoopInfo& l : info.loops) loops_before += l.first_op <= op;
    return op + loops_before;
  };
  for (uint32_t s = 0; s < h->n_stages; ++s) {
    const tgrs_stage_rec_t* r = tgrs_plan_stage(&plan, s);
    PlanStageInfo si;
    si.first_op = r->first_op;
    si.n_ops = r->n_ops;
    // A loop that starts the stage puts its loop step first.
    si.first_step = step_of(r->first_op);
    for (const PlanLoopInfo& l : info.loops)
      if (l.first_op == r->first_op) --si.first_step;
    si.last_step = step_of(r->first_op + r->n_ops - 1);
    si.kind = StageKindName(r->kind);
    si.compute_ops = r->compute_ops;
    si.fast_peak = r->fast_peak;
    si.spill_bytes = r->spill_bytes;
    si.reload_bytes = r->reload_bytes;
    for (uint32_t k = r->first_op; k < r->first_op + r->n_ops; ++k) {
      if (IsInsertedOp(info.ops[k])) continue;
      const std::string name = ModelOpName(info.ops[k].name);
      if (si.first_node.empty()) si.first_node = name;
      si.last_node = name;
    }
    info.model_ops += r->compute_ops;
    info.stages.push_back(std::move(si));
  }
  return info;
}

std::string FormatPlanInfo(const PlanInfo& p) {
  std::string s;
  s += fmt::format("format {}.{}, {} ({} bytes), checksum 0x{:08x}{}\n", p.version_major, p.version_minor,
                   HumanBytes(p.total_size), p.total_size, p.checksum, p.xip ? ", xip" : "");
  for (size_t k = 0; k < p.pool_size.size(); ++k)
    s += fmt::format("pool {}: {} ({} bytes), high water {}{}\n", k, HumanBytes(p.pool_size[k]), p.pool_size[k],
                     HumanBytes(p.high_water[k]), k == 0 ? " (fast)" : " (slow)");
  s += fmt::format("weights: {} (float32 {}, int8 {}, quant tables {}); words {}, strings {} bytes\n",
                   HumanBytes(p.weights_size), HumanBytes(p.f32_weight_bytes), HumanBytes(p.int8_weight_bytes),
                   HumanBytes(p.quant_table_bytes), p.words, p.strings_size);
  s += fmt::format("{} tensors, {} op records ({} model ops), {} tile loops, {} stages, {} input(s), {} output(s)\n",
                   p.tensors.size(), p.ops.size(), p.model_ops, p.loops.size(), p.stages.size(), p.inputs.size(),
                   p.outputs.size());
  auto io = [&](const char* what, const std::vector<uint32_t>& ids) {
    for (size_t k = 0; k < ids.size(); ++k) {
      const PlanTensorInfo& t = p.tensors[ids[k]];
      s += fmt::format("{} {}: t{} '{}' {} {}\n", what, k, ids[k], t.name, Dims(t.dims), t.dtype);
    }
  };
  io("input", p.inputs);
  io("output", p.outputs);
  if (!p.stages.empty()) {
    s += "\nstages:\n";
    s += fmt::format("  {:>3}  {:<6}  {:>11}  {:>9}  {:>10}  {:>23}  {}\n", "#", "kind", "op records", "model ops",
                     "fast peak", "slow out / in", "ops");
    for (size_t k = 0; k < p.stages.size(); ++k) {
      const PlanStageInfo& st = p.stages[k];
      const std::string range = fmt::format("{}..{}", st.first_op, st.first_op + st.n_ops - 1);
      const std::string io_bytes = fmt::format("{} / {}", HumanBytes(st.spill_bytes), HumanBytes(st.reload_bytes));
      s += fmt::format("  {:>3}  {:<6}  {:>11}  {:>9}  {:>10}  {:>23}  {}\n", k, st.kind, range, st.compute_ops,
                       HumanBytes(st.fast_peak), io_bytes, OpRange(st));
    }
  }
  if (!p.loops.empty()) {
    s += "\ntile loops:\n";
    for (size_t l = 0; l < p.loops.size(); ++l)
      s += fmt::format("  {:>3}  op records {}..{} run {} times\n", l, p.loops[l].first_op,
                       p.loops[l].first_op + p.loops[l].n_ops - 1, p.loops[l].count);
  }
  s += "\nops (operands t<id>; see tensors):\n";
  auto ids = [](const std::vector<int64_t>& v) {
    std::string o;
    for (int64_t id : v) o += (o.empty() ? "" : ", ") + (id < 0 ? std::string("-") : "t" + std::to_string(id));
    return o;
  };
  for (size_t k = 0; k < p.ops.size(); ++k) {
    const PlanOpInfo& op = p.ops[k];
    s += fmt::format("  {:>4}  {:<18} {:<7} '{}'  in: {}  out: {}{}{}\n", k, op.op, op.kernel, op.name, ids(op.inputs),
                     ids(op.outputs),
                     op.scratch_size ? fmt::format("  scratch {} @ {}", op.scratch_size, op.scratch_offset) : "",
                     op.loop >= 0 ? fmt::format("  [loop {}]", op.loop) : "");
  }
  s += "\ntensors (pool @ offset, bytes):\n";
  for (size_t t = 0; t < p.tensors.size(); ++t) {
    const PlanTensorInfo& x = p.tensors[t];
    s += fmt::format("  t{:<4} {:<8} {:<18} {:>7} @ {:<9} {:>9}  '{}'{}\n", t, x.dtype, Dims(x.dims), PoolName(x.pool),
                     x.offset, x.size, x.name,
                     x.strides == ir::LayoutStrides(x.dims, {}) ? "" : "  strides " + fmt::format("{}", fmt::join(x.strides, ",")));
  }
  return s;
}

std::string PlanInfoToJson(const PlanInfo& p) {
  detail::Json j = detail::JsonDocument("inspect");
  j["format_version"] = fmt::format("{}.{}", p.version_major, p.version_minor);
  j["plan_bytes"] = p.total_size;
  j["checksum"] = p.checksum;
  j["xip"] = p.xip;
  j["pool_size"] = p.pool_size;
  j["high_water"] = p.high_water;
  j["weights_size"] = p.weights_size;
  j["f32_weight_bytes"] = p.f32_weight_bytes;
  j["int8_weight_bytes"] = p.int8_weight_bytes;
  j["quant_table_bytes"] = p.quant_table_bytes;
  j["words"] = p.words;
  j["strings_size"] = p.strings_size;
  j["model_ops"] = p.model_ops;
  j["inputs"] = p.inputs;
  j["outputs"] = p.outputs;
  j["stage_list"] = detail::Json::array();
  for (const PlanStageInfo& st : p.stages)
    j["stage_list"].push_back({{"first_op", st.first_step},
                               {"last_op", st.last_step},
                               {"first_record", st.first_op},
                               {"records", st.n_ops},
                               {"kind", st.kind},
                               {"compute_ops", st.compute_ops},
                               {"fast_peak", st.fast_peak},
                               {"spill_bytes", st.spill_bytes},
                               {"reload_bytes", st.reload_bytes},
                               {"first_node", st.first_node},
                               {"last_node", st.last_node}});
  j["loops"] = detail::Json::array();
  for (const PlanLoopInfo& l : p.loops) j["loops"].push_back({{"first_op", l.first_op}, {"ops", l.n_ops}, {"count", l.count}});
  j["ops"] = detail::Json::array();
  for (const PlanOpInfo& op : p.ops) {
    detail::Json o = {{"name", op.name}, {"op", op.op}, {"kernel", op.kernel}, {"inputs", op.inputs}, {"outputs", op.outputs}};
    if (op.scratch_size) o["scratch"] = {{"offset", op.scratch_offset}, {"size", op.scratch_size}};
    if (op.loop >= 0) o["loop"] = op.loop;
    j["ops"].push_back(std::move(o));
  }
  j["tensors"] = detail::Json::array();
  for (const PlanTensorInfo& t : p.tensors)
    j["tensors"].push_back({{"name", t.name},
                            {"dtype", t.dtype},
                            {"dims", t.dims},
                            {"strides", t.strides},
                            {"pool", t.pool == TGRS_POOL_WEIGHTS ? detail::Json("weights") : detail::Json(t.pool)},
                            {"offset", t.offset},
                            {"size", t.size}});
  return detail::DumpJson(j);
}

std::vector<std::string> DiffPlans(const PlanInfo& a, const PlanInfo& b) {
  std::vector<std::string> out;
  auto num = [&](const std::string& what, uint64_t x, uint64_t y, bool bytes) {
    if (x == y) return;
    const int64_t d = static_cast<int64_t>(y) - static_cast<int64_t>(x);
    out.push_back(bytes ? fmt::format("{}: {} -> {} ({:+d} bytes)", what, HumanBytes(x), HumanBytes(y), d)
                        : fmt::format("{}: {} -> {} ({:+d})", what, x, y, d));
  };
  if (a.version_major != b.version_major || a.version_minor != b.version_minor)
    out.push_back(fmt::format("format: {}.{} -> {}.{}", a.version_major, a.version_minor, b.version_major, b.version_minor));
  num("plan size", a.total_size, b.total_size, true);
  if (a.xip != b.xip) out.push_back(fmt::format("xip: {} -> {}", a.xip, b.xip));
  num("pools", a.pool_size.size(), b.pool_size.size(), false);
  for (size_t k = 0; k < std::min(a.pool_size.size(), b.pool_size.size()); ++k) {
    num(fmt::format("pool {} size", k), a.pool_size[k], b.pool_size[k], true);
    num(fmt::format("pool {} high water", k), a.high_water[k], b.high_water[k], true);
  }
  num("weights section", a.weights_size, b.weights_size, true);
  num("quant tables", a.quant_table_bytes, b.quant_table_bytes, true);
  num("tensors", a.tensors.size(), b.tensors.size(), false);
  num("op records", a.ops.size(), b.ops.size(), false);
  num("model ops", a.model_ops, b.model_ops, false);
  num("tile loops", a.loops.size(), b.loops.size(), false);
  num("stages", a.stages.size(), b.stages.size(), false);
  for (size_t k = 0; k < std::min(a.stages.size(), b.stages.size()); ++k) {
    const PlanStageInfo &x = a.stages[k], &y = b.stages[k];
    const std::string what = fmt::format("stage {}", k);
    if (x.kind != y.kind || x.first_node != y.first_node || x.last_node != y.last_node)
      out.push_back(fmt::format("{}: {} {} -> {} {}", what, x.kind, OpRange(x), y.kind, OpRange(y)));
    num(what + " fast peak", x.fast_peak, y.fast_peak, true);
    num(what + " spill", x.spill_bytes, y.spill_bytes, true);
    num(what + " reload", x.reload_bytes, y.reload_bytes, true);
  }
  // Ops: the sequence of (op, kernel, name); report the first difference and how many differ.
  size_t differ = 0, first = std::min(a.ops.size(), b.ops.size());
  for (size_t k = 0; k < std::min(a.ops.size(), b.ops.size()); ++k) {
    const PlanOpInfo &x = a.ops[k], &y = b.ops[k];
    if (x.op == y.op && x.kernel == y.kernel && x.name == y.name && x.loop == y.loop) continue;
    first = std::min(first, k);
    ++differ;
  }
  if (differ > 0) {
    const PlanOpInfo &x = a.ops[first], &y = b.ops[first];
    out.push_back(fmt::format("ops: {} op records differ, the first at {}: {} '{}' -> {} '{}'", differ, first, x.op,
                              x.name, y.op, y.name));
  }
  return out;
}

std::string PlanDiffToJson(const std::vector<std::string>& changes) {
  detail::Json j = detail::JsonDocument("diff");
  j["identical"] = changes.empty();
  j["changes"] = changes;
  return detail::DumpJson(j);
}

}  // namespace tigris
