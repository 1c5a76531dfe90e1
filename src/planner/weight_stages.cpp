// PlaceStageWeights: one RAM buffer per stage for the constants its steps read, so streamed and
// compressed weights are memory the planner places and counts (pool sizes include them).
#include "tigris/planner/weight_stages.h"

#include <algorithm>
#include <cstring>

#include "tigris/planner/memory_plan.h"

namespace tigris::planner {

namespace {

uint64_t AlignUp(uint64_t v, uint64_t a) { return (v + a - 1) / a * a; }

// First steps of the weight stages: the plan's stage starts, minus any inside a loop body.
std::vector<int32_t> StageStarts(const ExecPlan& plan) {
  const auto n = static_cast<int32_t>(plan.steps.size());
  std::vector<bool> in_body(plan.steps.size(), false);
  for (int32_t s = 0; s < n; ++s)
    if (plan.steps[static_cast<size_t>(s)].kind == StepKind::kLoop)
      for (int32_t b = 1; b <= plan.steps[static_cast<size_t>(s)].body && s + b < n; ++b)
        in_body[static_cast<size_t>(s + b)] = true;
  std::vector<int32_t> starts{0};
  for (const PlanStage& st : plan.stages) {
    const auto f = static_cast<int32_t>(st.first);
    if (f > 0 && f < n && !in_body[static_cast<size_t>(f)]) starts.push_back(f);
  }
  std::sort(starts.begin(), starts.end());
  starts.erase(std::unique(starts.begin(), starts.end()), starts.end());
  return starts;
}

}  // namespace

std::vector<uint8_t> WeightStageBytes(const ExecPlan& plan, const WeightStage& ws) {
  std::vector<uint8_t> out(static_cast<size_t>(ws.bytes), 0);
  for (size_t k = 0; k < ws.constants.size(); ++k) {
    const PlanBuffer& b = plan.buffers[static_cast<size_t>(ws.constants[k])];
    const ir::Tensor& owner = plan.graph.tensor(b.tensor);
    const size_t n = std::min<size_t>(owner.data.size(), static_cast<size_t>(b.size));
    if (n > 0) std::memcpy(out.data() + ws.offset[k], owner.data.data(), n);
  }
  return out;
}

Status PlaceStageWeights(ExecPlan& plan, const std::vector<uint64_t>& pools, const std::string& algorithm,
                         const StageMarginQuery& margin) {
  if (!plan.weight_stages.empty()) return Internal("planner: the plan already has weight stages");
  const std::vector<int32_t> starts = StageStarts(plan);
  const auto n_steps = static_cast<int32_t>(plan.steps.size());
  for (size_t k = 0; k < starts.size(); ++k) {
    WeightStage ws;
    ws.first_step = starts[k];
    ws.last_step = k + 1 < starts.size() ? starts[k + 1] - 1 : n_steps - 1;
    std::vector<bool> held(plan.buffers.size(), false);
    for (int32_t s = ws.first_step; s <= ws.last_step; ++s) {
      const PlanStep& step = plan.steps[static_cast<size_t>(s)];
      if (step.kind != StepKind::kOp) continue;
      for (ir::TensorId t : RuntimeInputs(plan.graph, plan.graph.nodes[static_cast<size_t>(step.node)])) {
        const int32_t b = plan.BufferOf(t);
        if (b < 0 || plan.buffers[static_cast<size_t>(b)].kind != BufferKind::kConstant || held[static_cast<size_t>(b)])
          continue;
        held[static_cast<size_t>(b)] = true;
        ws.bytes = AlignUp(ws.bytes, kTensorAlign);
        ws.constants.push_back(b);
        ws.offset.push_back(ws.bytes);
        ws.bytes += plan.buffers[static_cast<size_t>(b)].size;
      }
    }
    if (ws.constants.empty()) continue;
    ws.bytes = AlignUp(ws.bytes, kTensorAlign);
    if (margin) ws.margin = margin(WeightStageBytes(plan, ws));
    PlanBuffer buf;
    buf.kind = BufferKind::kWeightStage;
    buf.size = AlignUp(ws.bytes + ws.margin, kTensorAlign);
    buf.pool = kFastPool;
    buf.hold_first = ws.first_step;
    buf.hold_last = ws.last_step;
    ws.buffer = static_cast<int32_t>(plan.buffers.size());
    plan.buffers.push_back(buf);
    plan.weight_stages.push_back(std::move(ws));
  }
  if (plan.weight_stages.empty()) return Status::Ok();
  Status st = AssignPlanOffsets(plan, pools, algorithm);
  if (st.ok() || st.code() != ErrorCode::kBudgetExceeded) return st;
  uint64_t largest = 0;
  for (const WeightStage& ws : plan.weight_stages)
    largest = std::max(largest, plan.buffers[static_cast<size_t>(ws.buffer)].size);
  if (pools.size() < 2)
    return BudgetExceeded(st.message() + "; the streamed weights need up to " + std::to_string(largest) +
                          " bytes per stage (add a slow pool with -m, or use --xip)");
  for (const WeightStage& ws : plan.weight_stages)
    plan.buffers[static_cast<size_t>(ws.buffer)].pool = static_cast<uint32_t>(pools.size() - 1);
  return AssignPlanOffsets(plan, pools, algorithm);
}

}  // namespace tigris::planner
