// The first memory planner: graph node order as the schedule, one lifetime per activation
// buffer (Reshape views share their input's buffer), offsets from a usage-record algorithm in
// pool 0, constants packed into the weights section. The result always passes CheckNoOverlap.
#include "tigris/planner/memory_plan.h"

#include <algorithm>
#include <limits>

namespace tigris::planner {

namespace {

uint64_t AlignUp(uint64_t v, uint64_t a) { return (v + a - 1) / a * a; }

std::string NodeLabel(const ir::Node& n) { return "node '" + n.name + "' (" + ir::OpName(n.kind) + ")"; }

bool KeepsOnlyDataInput(ir::OpKind k) {
  switch (k) {
    case ir::OpKind::kClip:
    case ir::OpKind::kPad:
    case ir::OpKind::kReduceMean:
    case ir::OpKind::kReshape:
    case ir::OpKind::kResize:
    case ir::OpKind::kSlice:
    case ir::OpKind::kSplit:
      return true;
    default:
      return false;
  }
}

}  // namespace

std::vector<ir::TensorId> RuntimeInputs(const ir::Node& node) {
  std::vector<ir::TensorId> ins = node.inputs;
  if (KeepsOnlyDataInput(node.kind) && ins.size() > 1) ins.resize(1);
  while (!ins.empty() && ins.back() == ir::kNoTensor) ins.pop_back();
  return ins;
}

Expected<MemoryPlan> PlanMemory(const ir::Graph& g, const PlanOptions& options) {
  const size_t n_tensors = g.tensors.size();
  const size_t n_nodes = g.nodes.size();
  if (n_nodes > static_cast<size_t>(std::numeric_limits<int32_t>::max() - 1))
    return Unsupported("planner: too many nodes");
  const int32_t end_step = n_nodes == 0 ? 0 : static_cast<int32_t>(n_nodes) - 1;
  auto valid = [&](ir::TensorId t) { return t >= 0 && static_cast<size_t>(t) < n_tensors; };

  MemoryPlan plan;
  plan.order.resize(n_nodes);
  for (size_t i = 0; i < n_nodes; ++i) plan.order[i] = static_cast<ir::NodeId>(i);
  plan.placement.assign(n_tensors, TensorPlacement{});
  plan.alias_root.resize(n_tensors);
  for (size_t t = 0; t < n_tensors; ++t) plan.alias_root[t] = static_cast<ir::TensorId>(t);

  // 1. Lifetimes per tensor over steps (step = position in order).
  constexpr int32_t kUnset = std::numeric_limits<int32_t>::max();
  std::vector<int32_t> first(n_tensors, kUnset), last(n_tensors, -1);
  std::vector<bool> referenced(n_tensors, false);
  auto touch = [&](ir::TensorId t, int32_t step) {
    const auto i = static_cast<size_t>(t);
    referenced[i] = true;
    first[i] = std::min(first[i], step);
    last[i] = std::max(last[i], step);
  };
  for (ir::TensorId t : g.inputs) {
    if (!valid(t)) return Internal("planner: graph input id out of range");
    touch(t, 0);
  }
  for (size_t s = 0; s < n_nodes; ++s) {
    const ir::Node& n = g.nodes[plan.order[s]];
    const auto step = static_cast<int32_t>(s);
    for (ir::TensorId t : RuntimeInputs(n)) {
      if (t == ir::kNoTensor) continue;
      if (!valid(t)) return Internal("planner: " + NodeLabel(n) + " input id out of range");
      touch(t, step);
    }
    for (ir::TensorId t : n.outputs) {
      if (!valid(t)) return Internal("planner: " + NodeLabel(n) + " output id out of range");
      touch(t, step);
    }
  }
  for (ir::TensorId t : g.outputs) {
    if (!valid(t)) return Internal("planner: graph output id out of range");
    touch(t, end_step);
  }

  // 2. Views: a Reshape of a non-constant tensor reuses its input's bytes; the chain's root
  // buffer lives for the union of its members' lifetimes.
  for (size_t s = 0; s < n_nodes; ++s) {
    const ir::Node& n = g.nodes[plan.order[s]];
    if (n.kind != ir::OpKind::kReshape) continue;
    const auto ins = RuntimeInputs(n);
    if (ins.size() != 1 || n.outputs.size() != 1)
      return InvalidModel("planner: " + NodeLabel(n) + " must have one data input and one output");
    const ir::Tensor& in = g.tensor(ins[0]);
    const ir::Tensor& out = g.tensor(n.outputs[0]);
    if (in.is_constant) continue;  // the kernel copies the constant into the arena
    if (in.SizeBytes() != out.SizeBytes())
      return InvalidModel("planner: " + NodeLabel(n) + " changes the byte size from " +
                          std::to_string(in.SizeBytes()) + " to " + std::to_string(out.SizeBytes()));
    plan.alias_root[static_cast<size_t>(n.outputs[0])] = plan.alias_root[static_cast<size_t>(ins[0])];
  }
  for (size_t t = 0; t < n_tensors; ++t) {
    const auto r = static_cast<size_t>(plan.alias_root[t]);
    if (r == t || !referenced[t]) continue;
    first[r] = std::min(first[r], first[t]);
    last[r] = std::max(last[r], last[t]);
  }

  // 3. Usage records: one per activation root, then one per node that needs scratch.
  std::vector<int64_t> record_of(n_tensors, -1);
  for (size_t t = 0; t < n_tensors; ++t) {
    const ir::Tensor& x = g.tensors[t];
    if (!referenced[t] || x.is_constant || plan.alias_root[t] != static_cast<ir::TensorId>(t)) continue;
    if (x.SizeBytes() < 0) return InvalidModel("planner: tensor '" + x.name + "' has a negative size");
    record_of[t] = static_cast<int64_t>(plan.records.size());
    plan.records.push_back({static_cast<uint64_t>(x.SizeBytes()), kTensorAlign, first[t], last[t]});
  }
  std::vector<int64_t> scratch_record(n_nodes, -1);
  plan.scratch_offset.assign(n_nodes, 0);
  plan.scratch_size.assign(n_nodes, 0);
  if (options.scratch) {
    for (size_t s = 0; s < n_nodes; ++s) {
      const ir::Node& n = g.nodes[plan.order[s]];
      auto need = options.scratch(g, n);
      if (!need.ok()) return need.status();
      if (*need == 0) continue;
      if (*need > std::numeric_limits<uint32_t>::max())
        return Unsupported("planner: " + NodeLabel(n) + " needs " + std::to_string(*need) + " bytes of scratch");
      plan.scratch_size[s] = static_cast<uint32_t>(*need);
      scratch_record[s] = static_cast<int64_t>(plan.records.size());
      plan.records.push_back({*need, kTensorAlign, static_cast<int32_t>(s), static_cast<int32_t>(s)});
    }
  }

  // 4. Offsets in pool 0, checked independently of the algorithm that chose them.
  TIGRIS_ASSIGN_OR_RETURN(OffsetAssignment assigned, AssignOffsets(options.algorithm, plan.records));
  if (Status st = CheckNoOverlap(plan.records, assigned.offsets); !st.ok())
    return Internal("planner (" + options.algorithm + "): " + st.message());
  plan.record_offsets = assigned.offsets;
  const uint64_t arena = AlignUp(assigned.peak, kTensorAlign);
  if (arena > std::numeric_limits<uint32_t>::max())
    return Unsupported("planner: the arena would need " + std::to_string(arena) + " bytes, more than 4 GiB");
  for (size_t t = 0; t < n_tensors; ++t) {
    const int64_t rec = record_of[static_cast<size_t>(plan.alias_root[t])];
    if (!referenced[t] || g.tensors[t].is_constant || rec < 0) continue;
    plan.placement[t] = {0, assigned.offsets[static_cast<size_t>(rec)], true};
  }
  for (size_t s = 0; s < n_nodes; ++s)
    if (scratch_record[s] >= 0)
      plan.scratch_offset[s] = static_cast<uint32_t>(assigned.offsets[static_cast<size_t>(scratch_record[s])]);

  // 5. Constants, packed in tensor order.
  uint64_t cursor = 0;
  for (size_t t = 0; t < n_tensors; ++t) {
    const ir::Tensor& x = g.tensors[t];
    if (!referenced[t] || !x.is_constant) continue;
    cursor = AlignUp(cursor, kTensorAlign);
    plan.placement[t] = {kWeightsPool, cursor, true};
    cursor += static_cast<uint64_t>(std::max<int64_t>(x.SizeBytes(), 0));
  }
  plan.weights_size = AlignUp(cursor, kTensorAlign);

  for (const UsageRecord& r : plan.records) plan.naive_peak += r.size;
  plan.scheduled_peak = MaxLiveBytes(plan.records);
  plan.pool_size = {arena};

  if (!options.pools.empty() && options.pools[0] < arena)
    return BudgetExceeded("planner: the arena (pool 0) needs " + std::to_string(arena) +
                          " bytes but its budget is " + std::to_string(options.pools[0]) +
                          " bytes (scheduled peak " + std::to_string(plan.scheduled_peak) + " bytes)");
  return plan;
}

}  // namespace tigris::planner
