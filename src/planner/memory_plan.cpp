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

  // 4. Offsets per pool, each checked independently of the algorithm that chose them.
  const size_t n_pools = std::max<size_t>(1, options.pools.size());
  plan.record_pool.assign(plan.records.size(), 0);
  for (size_t t = 0; t < n_tensors; ++t) {
    if (record_of[t] < 0 || t >= options.tensor_pool.size()) continue;
    const uint32_t p = options.tensor_pool[t];
    if (p >= n_pools) return Internal("planner: tensor '" + g.tensors[t].name + "' assigned to a pool that was not given");
    plan.record_pool[static_cast<size_t>(record_of[t])] = p;
  }
  plan.record_offsets.assign(plan.records.size(), 0);
  plan.pool_size.assign(n_pools, 0);
  plan.pool_lower_bound.assign(n_pools, 0);
  for (size_t p = 0; p < n_pools; ++p) {
    for (;;) {
      std::vector<UsageRecord> sub;
      std::vector<size_t> index;
      for (size_t r = 0; r < plan.records.size(); ++r)
        if (plan.record_pool[r] == p) {
          sub.push_back(plan.records[r]);
          index.push_back(r);
        }
      TIGRIS_ASSIGN_OR_RETURN(OffsetAssignment assigned, AssignOffsets(options.algorithm, sub));
      if (Status st = CheckNoOverlap(sub, assigned.offsets); !st.ok())
        return Internal("planner (" + options.algorithm + ", pool " + std::to_string(p) + "): " + st.message());
      const uint64_t arena = AlignUp(assigned.peak, kTensorAlign);
      // A slow pool that overflows hands its largest buffer to the next slower pool.
      if (p >= 1 && p + 1 < n_pools && arena > options.pools[p] && !index.empty()) {
        size_t largest = index[0];
        for (size_t r : index)
          if (plan.records[r].size > plan.records[largest].size) largest = r;
        plan.record_pool[largest] = static_cast<uint32_t>(p + 1);
        continue;
      }
      for (size_t k = 0; k < index.size(); ++k) plan.record_offsets[index[k]] = assigned.offsets[k];
      plan.pool_size[p] = arena;
      plan.pool_lower_bound[p] = MaxLiveBytes(sub);
      break;
    }
    if (plan.pool_size[p] > std::numeric_limits<uint32_t>::max())
      return Unsupported("planner: pool " + std::to_string(p) + " would need " + std::to_string(plan.pool_size[p]) +
                         " bytes, more than 4 GiB");
  }
  for (size_t t = 0; t < n_tensors; ++t) {
    const int64_t rec = record_of[static_cast<size_t>(plan.alias_root[t])];
    if (!referenced[t] || g.tensors[t].is_constant || rec < 0) continue;
    const auto r = static_cast<size_t>(rec);
    plan.placement[t] = {plan.record_pool[r], plan.record_offsets[r], true};
  }
  for (size_t s = 0; s < n_nodes; ++s)
    if (scratch_record[s] >= 0)
      plan.scratch_offset[s] = static_cast<uint32_t>(plan.record_offsets[static_cast<size_t>(scratch_record[s])]);

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
  plan.scheduled_peak = plan.pool_lower_bound[0];

  for (size_t p = 0; p < options.pools.size(); ++p)
    if (options.pools[p] < plan.pool_size[p])
      return BudgetExceeded("planner: " + std::string(p == 0 ? "the fast arena (pool 0)" : "slow pool " + std::to_string(p)) +
                            " needs " + std::to_string(plan.pool_size[p]) + " bytes but its budget is " +
                            std::to_string(options.pools[p]) + " bytes (max live " +
                            std::to_string(plan.pool_lower_bound[p]) + " bytes)");
  return plan;
}

}  // namespace tigris::planner
