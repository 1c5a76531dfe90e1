// The detail behind the analyze figures (AnalysisReport::ops, steps, flash_sections, weights),
// read off the ExecPlan the emitter wrote and the bytes it produced, so the HTML report draws
// exactly the plan that runs: live bytes come from planner::LiveBytes, the one lifetime rule.
#include "plan_report.h"

#include <algorithm>
#include <cstring>

#include "tigris/runtime/tgrs_plan_format.h"

namespace tigris {

namespace {

std::string ShapesOf(const ir::Graph& g, const std::vector<ir::TensorId>& ids) {
  std::string s;
  for (ir::TensorId t : ids)
    if (t >= 0) s += (s.empty() ? "" : ", ") + ir::ShapeString(g.tensor(t).shape);
  return s;
}

std::string PoolName(uint32_t pool) { return pool == 0 ? "fast" : "slow " + std::to_string(pool); }

// The sections of a .tgrs image as its header lists them, in file order, with the alignment
// padding between them named as such. Empty for bytes too short to hold a header.
std::vector<FlashSection> SectionsOf(const std::vector<uint8_t>& bytes) {
  std::vector<FlashSection> out;
  tgrs_plan_header_t h;
  if (bytes.size() < sizeof h) return out;
  std::memcpy(&h, bytes.data(), sizeof h);
  const uint64_t total = bytes.size();
  std::vector<FlashSection> s = {
      {"header", 0, sizeof h},
      {"tensor table", h.tensors_off, uint64_t{h.n_tensors} * sizeof(tgrs_tensor_rec_t)},
      {"op table", h.ops_off, uint64_t{h.n_ops} * sizeof(tgrs_op_rec_t)},
      {"inputs", h.inputs_off, uint64_t{h.n_inputs} * 4},
      {"outputs", h.outputs_off, uint64_t{h.n_outputs} * 4},
      {"words (io lists, params)", h.words_off, uint64_t{h.n_words} * 4},
      {"weights", h.weights_off, h.weights_size},
      {"strings", h.strings_off, h.strings_size},
      {"loop table", h.loops_off, uint64_t{h.n_loops} * sizeof(tgrs_loop_rec_t)},
      {"stage table", h.stages_off, uint64_t{h.n_stages} * sizeof(tgrs_stage_rec_t)},
      {"weight segment table", h.segments_off, uint64_t{h.n_segments} * sizeof(tgrs_weight_seg_rec_t)},
  };
  std::erase_if(s, [&](const FlashSection& x) { return x.bytes == 0 || x.offset >= total; });
  std::sort(s.begin(), s.end(),
            [](const FlashSection& a, const FlashSection& b) { return a.offset < b.offset; });
  uint64_t cursor = 0;
  for (FlashSection& x : s) {
    if (x.offset < cursor) continue;  // overlapping records: not a layout the emitter writes
    if (x.offset > cursor) out.push_back({"padding", cursor, x.offset - cursor});
    x.bytes = std::min(x.bytes, total - x.offset);
    out.push_back(x);
    cursor = x.offset + x.bytes;
  }
  if (cursor < total) out.push_back({"padding", cursor, total - cursor});
  return out;
}

}  // namespace

void FillPlanDetail(const ir::Graph& model, const planner::ExecPlan& plan, const std::vector<uint8_t>& bytes,
                    bool untiled, AnalysisReport& r) {
  const ir::Graph& g = plan.graph;
  const auto n_pools = static_cast<uint32_t>(std::max<size_t>(1, plan.pool_size.size()));
  const auto live = planner::LiveBytes(plan, n_pools);
  auto pool_of = [&](ir::TensorId t) {
    const int32_t b = plan.BufferOf(t);
    return b < 0 ? planner::kFastPool : plan.buffers[static_cast<size_t>(b)].pool;
  };
  auto origin_of = [&](ir::NodeId n) {
    return static_cast<size_t>(n) < plan.origin.size() ? plan.origin[static_cast<size_t>(n)] : ir::NodeId{-1};
  };
  r.steps_untiled = untiled;

  // Ops: model nodes in the order the plan first runs them (nodes it never runs keep model order, last).
  std::vector<int64_t> first_step(model.nodes.size(), -1);
  for (size_t s = 0; s < plan.steps.size(); ++s) {
    if (plan.steps[s].kind != planner::StepKind::kOp) continue;
    const ir::NodeId o = origin_of(plan.steps[s].node);
    if (o >= 0 && static_cast<size_t>(o) < model.nodes.size() && first_step[static_cast<size_t>(o)] < 0)
      first_step[static_cast<size_t>(o)] = static_cast<int64_t>(s);
  }
  std::vector<size_t> order(model.nodes.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const auto ka = first_step[a] < 0 ? INT64_MAX : first_step[a],
               kb = first_step[b] < 0 ? INT64_MAX : first_step[b];
    return ka < kb;
  });
  std::vector<int32_t> op_index(model.nodes.size(), -1);
  r.ops.clear();
  for (size_t i : order) {
    const ir::Node& n = model.nodes[i];
    OpReport op;
    op.name = n.name;
    op.op = ir::OpName(n.kind);
    op.shape = ShapesOf(model, n.outputs);
    op.macs = planner::NodeMacs(model, n);
    for (ir::TensorId t : n.inputs) {
      if (t < 0) continue;
      const ir::Tensor& x = model.tensor(t);
      (x.is_constant ? op.weight_bytes : op.bytes_in) += static_cast<uint64_t>(x.SizeBytes());
    }
    for (ir::TensorId t : n.outputs) op.bytes_out += static_cast<uint64_t>(model.tensor(t).SizeBytes());
    if (!n.outputs.empty()) {
      const auto t = static_cast<size_t>(n.outputs[0]);
      if (!plan.placement.empty())
        op.pool = t < plan.placement.size() && plan.placement[t].allocated ? PoolName(plan.placement[t].pool)
                                                                           : "line buffer";
    }
    op_index[i] = static_cast<int32_t>(r.ops.size());
    r.ops.push_back(std::move(op));
  }

  // Steps, with the stage each belongs to and the times it runs.
  std::vector<int32_t> stage_of(plan.steps.size(), -1);
  for (size_t k = 0; k < plan.stages.size(); ++k)
    for (uint32_t s = plan.stages[k].first; !untiled && s <= plan.stages[k].last && s < plan.steps.size();
         ++s)
      stage_of[s] = static_cast<int32_t>(k);
  r.steps.clear();
  uint32_t times = 1;
  int32_t remaining = 0;
  for (size_t s = 0; s < plan.steps.size(); ++s) {
    const planner::PlanStep& step = plan.steps[s];
    StepReport sr;
    sr.stage = stage_of[s];
    for (uint32_t p = 0; p < n_pools; ++p) sr.live.push_back(live[p][s]);
    if (step.kind == planner::StepKind::kLoop) {
      sr.kind = "loop";
      sr.count = static_cast<uint32_t>(step.count);
      sr.body = static_cast<uint32_t>(step.body);
      times = sr.count;
      remaining = step.body;
      r.steps.push_back(std::move(sr));
      continue;
    }
    sr.count = remaining > 0 ? times : 1;
    if (remaining > 0) --remaining;
    const ir::Node& n = g.nodes[static_cast<size_t>(step.node)];
    sr.node = n.name;
    sr.op = ir::OpName(n.kind);
    const ir::NodeId o = origin_of(step.node);
    if (o >= 0 && static_cast<size_t>(o) < op_index.size()) {
      sr.model_op = op_index[static_cast<size_t>(o)];
      OpReport& op = r.ops[static_cast<size_t>(sr.model_op)];
      op.kernel_calls += sr.count;
      if (op.stage < 0) op.stage = sr.stage;
    }
    if (n.kind == ir::OpKind::kCopy && !n.inputs.empty() && !n.outputs.empty()) {
      const uint32_t from = pool_of(n.inputs[0]), to = pool_of(n.outputs[0]);
      sr.kind = to > from ? "spill" : to < from ? "reload" : "move";
      sr.bytes = static_cast<uint64_t>(g.tensor(n.outputs[0]).SizeBytes());
    } else {
      sr.kind = "op";
    }
    r.steps.push_back(std::move(sr));
  }

  // Flash: the sections of the image and every weight in the weights section.
  r.flash_sections = SectionsOf(bytes);
  std::vector<std::string> consumer(plan.buffers.size());
  for (const planner::PlanStep& step : plan.steps) {
    if (step.kind != planner::StepKind::kOp) continue;
    const ir::Node& n = g.nodes[static_cast<size_t>(step.node)];
    const ir::NodeId o = origin_of(step.node);
    for (ir::TensorId t : n.inputs) {
      const int32_t b = plan.BufferOf(t);
      if (b < 0 || !consumer[static_cast<size_t>(b)].empty()) continue;
      consumer[static_cast<size_t>(b)] = o >= 0 && static_cast<size_t>(o) < model.nodes.size()
                                             ? model.nodes[static_cast<size_t>(o)].name
                                             : n.name;
    }
  }
  r.weights.clear();
  for (size_t b = 0; b < plan.buffers.size(); ++b) {
    const planner::PlanBuffer& buf = plan.buffers[b];
    if (buf.kind != planner::BufferKind::kConstant || buf.tensor < 0) continue;
    const ir::Tensor& t = g.tensor(buf.tensor);
    r.weights.push_back(
        {t.name, consumer[b], ir::ShapeString(t.shape), ir::DTypeName(t.dtype), buf.offset, buf.size});
  }
  std::stable_sort(r.weights.begin(), r.weights.end(),
                   [](const WeightReport& a, const WeightReport& b) { return a.offset < b.offset; });
}

}  // namespace tigris
