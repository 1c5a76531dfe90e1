// Target profiles. The numbers are a model, not a measurement: relative costs that rank plans
// (a PSRAM byte costs about ten times an SRAM byte, a kernel call a few hundred cycles).
#include "tigris/partition/cost_model.h"

namespace tigris::partition {

const std::vector<TargetProfile>& TargetProfiles() {
  static const std::vector<TargetProfile> kProfiles = {
      {"esp32s3", 2.0, 6.0, 0.5, 300.0, "esp32s3"},
      {"cortex-m4", 2.0, 4.0, 0.5, 150.0, "dsp"},
      {"cortex-m55", 0.5, 4.0, 0.25, 150.0, "mve"},
  };
  return kProfiles;
}

Expected<TargetProfile> TargetProfileByName(const std::string& name) {
  std::string names;
  for (const TargetProfile& t : TargetProfiles()) {
    if (t.name == name) return t;
    names += (names.empty() ? "" : ", ") + t.name;
  }
  return InvalidArgument("unknown target '" + name + "' (use one of: " + names + ")");
}

PlanWork PlanWorkOf(const planner::ExecPlan& plan) {
  PlanWork w;
  auto pool_of = [&](ir::TensorId t) {
    const int32_t b = plan.BufferOf(t);
    return b < 0 ? planner::kFastPool : plan.buffers[static_cast<size_t>(b)].pool;
  };
  uint64_t times = 1;
  int32_t remaining = 0;
  for (const planner::PlanStep& step : plan.steps) {
    if (step.kind == planner::StepKind::kLoop) {
      times = static_cast<uint64_t>(step.count);
      remaining = step.body;
      continue;
    }
    const uint64_t k = remaining > 0 ? times : 1;
    if (remaining > 0) --remaining;
    const ir::Node& n = plan.graph.nodes[static_cast<size_t>(step.node)];
    w.calls += k;
    if (n.kind == ir::OpKind::kCopy) {
      const auto bytes = static_cast<uint64_t>(plan.graph.tensor(n.outputs[0]).SizeBytes()) * k;
      if (pool_of(n.inputs[0]) != pool_of(n.outputs[0])) w.slow_bytes += bytes;
      else w.fast_copy_bytes += bytes;
    } else {
      w.macs += planner::NodeMacs(plan.graph, n) * k;
    }
  }
  return w;
}

}  // namespace tigris::partition
