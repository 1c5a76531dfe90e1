// PlaceStageWeights: one RAM buffer per op (or loop) for the constants it reads, so streamed and
// compressed weights are memory the planner places and counts (pool sizes include them), and
// only the weights of what is running take RAM.
#include "tigris/planner/weight_stages.h"

#include <algorithm>
#include <cstring>

#include "tigris/planner/memory_plan.h"

namespace tigris::planner {

namespace {

uint64_t AlignUp(uint64_t v, uint64_t a) { return (v + a - 1) / a * a; }

// The top-level units of the steps: each op outside a loop, and each loop with its body (a
// segment is never filled inside a loop body). Returns each unit's first step.
std::vector<int32_t> UnitStarts(const ExecPlan& plan) {
  const auto n = static_cast<int32_t>(plan.steps.size());
  std::vector<int32_t> starts;
  for (int32_t s = 0; s < n; ++s) {
    starts.push_back(s);
    if (plan.steps[static_cast<size_t>(s)].kind == StepKind::kLoop) s += plan.steps[static_cast<size_t>(s)].body;
  }
  return starts;
}

// The constant buffers the op steps of [first, last] read, in first-use order, each once.
std::vector<int32_t> ConstantsRead(const ExecPlan& plan, int32_t first, int32_t last) {
  std::vector<int32_t> out;
  std::vector<bool> held(plan.buffers.size(), false);
  for (int32_t s = first; s <= last; ++s) {
    const PlanStep& step = plan.steps[static_cast<size_t>(s)];
    if (step.kind != StepKind::kOp) continue;
    for (ir::TensorId t : RuntimeInputs(plan.graph, plan.graph.nodes[static_cast<size_t>(step.node)])) {
      const int32_t b = plan.BufferOf(t);
      if (b < 0 || plan.buffers[static_cast<size_t>(b)].kind != BufferKind::kConstant || held[static_cast<size_t>(b)])
        continue;
      held[static_cast<size_t>(b)] = true;
      out.push_back(b);
    }
  }
  return out;
}

// A weight stage's steps and the constant buffers they read (first-use order, each once).
struct StageRange {
  int32_t first = 0, last = 0;
  std::vector<int32_t> constants;
};

// The weight stages: one per top-level unit, so only the constants of the op (or loop) running
// are in RAM, except that a constant is filled once and held from its first to its last use:
// units between two uses of one constant join one stage (a chain's strips outside its loop read
// its weights again and again). Units outside every stage read no constant.
std::vector<StageRange> WeightStageRanges(const ExecPlan& plan) {
  const std::vector<int32_t> starts = UnitStarts(plan);
  const auto n = static_cast<int32_t>(plan.steps.size());
  const size_t units = starts.size();
  auto unit_last = [&](size_t u) { return u + 1 < units ? starts[u + 1] - 1 : n - 1; };
  std::vector<std::vector<int32_t>> reads(units);
  std::vector<size_t> last_use(plan.buffers.size(), 0);
  for (size_t u = 0; u < units; ++u) {
    reads[u] = ConstantsRead(plan, starts[u], unit_last(u));
    for (int32_t b : reads[u]) last_use[static_cast<size_t>(b)] = u;
  }
  // every read of a constant falls in one stage, so one set of taken buffers serves them all
  std::vector<bool> taken(plan.buffers.size(), false);
  std::vector<StageRange> ranges;
  for (size_t u = 0; u < units; ++u) {
    if (reads[u].empty()) continue;
    StageRange r;
    const size_t first = u;
    size_t end = u;
    for (; u <= end; ++u)
      for (int32_t b : reads[u]) {
        end = std::max(end, last_use[static_cast<size_t>(b)]);
        if (!taken[static_cast<size_t>(b)]) r.constants.push_back(b);
        taken[static_cast<size_t>(b)] = true;
      }
    --u;
    r.first = starts[first];
    r.last = unit_last(end);
    ranges.push_back(std::move(r));
  }
  return ranges;
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
  for (const StageRange& range : WeightStageRanges(plan)) {
    WeightStage ws;
    ws.first_step = range.first;
    ws.last_step = range.last;
    for (int32_t b : range.constants) {
      ws.bytes = AlignUp(ws.bytes, kTensorAlign);
      ws.constants.push_back(b);
      ws.offset.push_back(ws.bytes);
      ws.bytes += plan.buffers[static_cast<size_t>(b)].size;
    }
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
  // The fast pool cannot hold them all: the k largest go to the slowest pool, k as small as fits
  // (binary search; fast-pool demand only falls as k grows), so the small ones stay fast.
  std::vector<int32_t> by_size;
  for (const WeightStage& ws : plan.weight_stages) by_size.push_back(ws.buffer);
  std::stable_sort(by_size.begin(), by_size.end(), [&](int32_t a, int32_t b) {
    return plan.buffers[static_cast<size_t>(a)].size > plan.buffers[static_cast<size_t>(b)].size;
  });
  const uint64_t largest = plan.buffers[static_cast<size_t>(by_size.front())].size;
  if (pools.size() < 2)
    return BudgetExceeded(st.message() + "; the streamed weights need up to " + std::to_string(largest) +
                          " bytes per op (add a slow pool with -m, or use --xip)");
  const auto slow = static_cast<uint32_t>(pools.size() - 1);
  auto try_k = [&](size_t k) {
    for (size_t i = 0; i < by_size.size(); ++i)
      plan.buffers[static_cast<size_t>(by_size[i])].pool = i < k ? slow : kFastPool;
    return AssignPlanOffsets(plan, pools, algorithm);
  };
  st = try_k(by_size.size());
  if (!st.ok()) return st;
  size_t lo = 1, hi = by_size.size();  // hi fits; k < lo does not
  while (lo < hi) {
    const size_t mid = lo + (hi - lo) / 2;
    if (try_k(mid).ok())
      hi = mid;
    else
      lo = mid + 1;
  }
  return try_k(hi);
}

}  // namespace tigris::planner
