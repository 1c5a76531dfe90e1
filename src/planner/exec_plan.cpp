// ExecPlan construction from a graph in execution order, and the one lifetime / live-bytes rule
// every other stage uses. Buffers are created in a fixed order (activations by root tensor id,
// then scratch by step, constants by tensor id) so offset assignment is deterministic.
#include "tigris/planner/exec_plan.h"

#include <algorithm>
#include <climits>
#include <limits>

#include "tigris/ir/op_traits.h"

namespace tigris::planner {

namespace {

std::string NodeLabel(const ir::Node& n) { return "node '" + n.name + "' (" + ir::OpName(n.kind) + ")"; }

}  // namespace

std::vector<ir::TensorId> RuntimeInputs(const ir::Node& node) {
  std::vector<ir::TensorId> ins = node.inputs;
  // ops.def column `inputs`: DataOnly ops carry their other inputs as params
  if (ir::Traits(node.kind).inputs == ir::InputUse::kDataOnly && ins.size() > 1) ins.resize(1);
  while (!ins.empty() && ins.back() == ir::kNoTensor) ins.pop_back();
  return ins;
}

std::vector<ir::TensorId> RuntimeInputs(const ir::Graph& g, const ir::Node& node) {
  if (ir::KernelDTypeOf(g, node) != ir::DType::kI8) return RuntimeInputs(node);
  // An int8 node lists exactly its kernel's inputs (passes::LowerQdq builds them so).
  std::vector<ir::TensorId> ins = node.inputs;
  while (!ins.empty() && ins.back() == ir::kNoTensor) ins.pop_back();
  return ins;
}

uint64_t NodeMacs(const ir::Graph& g, const ir::Node& n) {
  if (n.outputs.empty() || n.kind == ir::OpKind::kReshape || n.kind == ir::OpKind::kCopy) return 0;
  const auto out = static_cast<uint64_t>(g.tensor(n.outputs[0]).NumElements());
  uint64_t per = 1;
  if (n.kind == ir::OpKind::kConv && n.inputs.size() > 1 && n.inputs[1] != ir::kNoTensor) {
    const ir::Tensor& w = g.tensor(n.inputs[1]);
    for (size_t d = 1; d < w.shape.size(); ++d) per *= static_cast<uint64_t>(w.shape[d]);
  } else if (n.kind == ir::OpKind::kMaxPool || n.kind == ir::OpKind::kAveragePool) {
    for (int64_t k : n.GetInts("kernel_shape")) per *= static_cast<uint64_t>(std::max<int64_t>(k, 1));
  } else if (n.kind == ir::OpKind::kGlobalAveragePool || n.kind == ir::OpKind::kGlobalMaxPool ||
             n.kind == ir::OpKind::kReduceMean) {
    // a reduction does one operation per input value
    return static_cast<uint64_t>(g.tensor(n.inputs[0]).NumElements());
  } else if ((n.kind == ir::OpKind::kLSTM || n.kind == ir::OpKind::kGRU || n.kind == ir::OpKind::kRNN) &&
             n.inputs.size() > 2) {
    // each of the T*B steps of each direction multiplies x by W[d] and h by R[d]
    const ir::Tensor& x = g.tensor(n.inputs[0]);
    const int64_t input = x.shape.size() == 3 ? std::max<int64_t>(x.shape[2], 1) : 1;
    return static_cast<uint64_t>(x.NumElements() / input) *
           static_cast<uint64_t>(g.tensor(n.inputs[1]).NumElements() + g.tensor(n.inputs[2]).NumElements());
  } else if (n.kind == ir::OpKind::kGemm || n.kind == ir::OpKind::kMatMul) {
    const ir::Tensor& a = g.tensor(n.inputs[0]);
    const bool trans_a = n.kind == ir::OpKind::kGemm && n.GetInt("transA", 0) != 0;
    if (!a.shape.empty()) per = static_cast<uint64_t>(trans_a ? a.shape[0] : a.shape.back());
  }
  return out * per;
}

Expected<ExecPlan> BuildExecPlan(ir::Graph g, const std::vector<ir::NodeId>& order, const std::vector<uint32_t>& pool,
                                 const std::vector<uint64_t>& scratch) {
  ExecPlan plan;
  const size_t n_tensors = g.tensors.size();
  const size_t n_nodes = g.nodes.size();
  if (n_nodes > static_cast<size_t>(std::numeric_limits<int32_t>::max() - 1))
    return Unsupported("planner: too many nodes");
  std::vector<ir::NodeId> seq = order;
  if (seq.empty()) {
    seq.resize(n_nodes);
    for (size_t i = 0; i < n_nodes; ++i) seq[i] = static_cast<ir::NodeId>(i);
  }
  if (seq.size() != n_nodes) return Internal("planner: the order does not list every node once");
  auto valid = [&](ir::TensorId t) { return t >= 0 && static_cast<size_t>(t) < n_tensors; };

  // 1. Tensors the plan carries.
  std::vector<bool> referenced(n_tensors, false);
  for (ir::TensorId t : g.inputs) {
    if (!valid(t)) return Internal("planner: graph input id out of range");
    referenced[static_cast<size_t>(t)] = true;
  }
  for (ir::TensorId t : g.outputs) {
    if (!valid(t)) return Internal("planner: graph output id out of range");
    referenced[static_cast<size_t>(t)] = true;
  }
  for (ir::NodeId id : seq) {
    if (id < 0 || static_cast<size_t>(id) >= n_nodes) return Internal("planner: the order has a bad node id");
    const ir::Node& n = g.nodes[static_cast<size_t>(id)];
    for (ir::TensorId t : RuntimeInputs(g, n)) {
      if (t == ir::kNoTensor) continue;
      if (!valid(t)) return Internal("planner: " + NodeLabel(n) + " input id out of range");
      referenced[static_cast<size_t>(t)] = true;
    }
    for (ir::TensorId t : n.outputs) {
      if (!valid(t)) return Internal("planner: " + NodeLabel(n) + " output id out of range");
      referenced[static_cast<size_t>(t)] = true;
    }
  }

  // 2. Views: a Reshape of an activation reuses its input's bytes (in execution order, so a
  // chain of views resolves to the first tensor).
  std::vector<ir::TensorId> root(n_tensors);
  for (size_t t = 0; t < n_tensors; ++t) root[t] = static_cast<ir::TensorId>(t);
  for (ir::NodeId id : seq) {
    const ir::Node& n = g.nodes[static_cast<size_t>(id)];
    if (!ir::Traits(n.kind).view()) continue;
    const auto ins = RuntimeInputs(g, n);
    if (ins.size() != 1 || n.outputs.size() != 1)
      return InvalidModel("planner: " + NodeLabel(n) + " must have one data input and one output");
    const ir::Tensor& in = g.tensor(ins[0]);
    const ir::Tensor& out = g.tensor(n.outputs[0]);
    if (in.is_constant) continue;  // the kernel copies the constant into the arena
    if (in.SizeBytes() != out.SizeBytes())
      return InvalidModel("planner: " + NodeLabel(n) + " changes the byte size from " + std::to_string(in.SizeBytes()) +
                          " to " + std::to_string(out.SizeBytes()));
    root[static_cast<size_t>(n.outputs[0])] = root[static_cast<size_t>(ins[0])];
  }

  // 3. Buffers: activation roots by tensor id, then scratch by step, then constants.
  plan.place.assign(n_tensors, TensorPlace{});
  for (size_t t = 0; t < n_tensors; ++t) {
    const ir::Tensor& x = g.tensors[t];
    if (!referenced[t] || x.is_constant || root[t] != static_cast<ir::TensorId>(t)) continue;
    if (x.SizeBytes() < 0) return InvalidModel("planner: tensor '" + x.name + "' has a negative size");
    PlanBuffer b;
    b.kind = BufferKind::kActivation;
    b.size = static_cast<uint64_t>(x.SizeBytes());
    b.pool = t < pool.size() ? pool[t] : kFastPool;
    b.tensor = static_cast<ir::TensorId>(t);
    plan.place[t].buffer = static_cast<int32_t>(plan.buffers.size());
    plan.buffers.push_back(b);
  }
  for (size_t t = 0; t < n_tensors; ++t) {
    if (!referenced[t] || g.tensors[t].is_constant || root[t] == static_cast<ir::TensorId>(t)) continue;
    plan.place[t].buffer = plan.place[static_cast<size_t>(root[t])].buffer;
  }
  // A tensor's physical layout is its view's strides (a permutation spans the same bytes).
  // Views alias dense bytes only (Reshape's kernel is dense-only).
  std::vector<bool> aliased(n_tensors, false);
  for (size_t t = 0; t < n_tensors; ++t)
    if (root[t] != static_cast<ir::TensorId>(t)) aliased[t] = aliased[static_cast<size_t>(root[t])] = true;
  for (size_t t = 0; t < n_tensors; ++t) {
    const ir::Tensor& x = g.tensors[t];
    if (!referenced[t] || ir::IsRowMajor(x.shape, x.layout)) continue;
    if (aliased[t]) return Internal("planner: tensor '" + x.name + "' is aliased by a view but not row-major");
    plan.place[t].strides = ir::StridesOf(x);
  }
  for (ir::TensorId t : g.inputs) plan.buffers[static_cast<size_t>(plan.place[static_cast<size_t>(t)].buffer)].live_from_start = true;
  for (ir::TensorId t : g.outputs) {
    const int32_t b = plan.place[static_cast<size_t>(t)].buffer;
    if (b >= 0) plan.buffers[static_cast<size_t>(b)].live_to_end = true;
  }
  plan.steps.reserve(n_nodes);
  for (ir::NodeId id : seq) {
    PlanStep step;
    step.node = id;
    const uint64_t need = static_cast<size_t>(id) < scratch.size() ? scratch[static_cast<size_t>(id)] : 0;
    if (need > 0) {
      if (need > std::numeric_limits<uint32_t>::max())
        return Unsupported("planner: " + NodeLabel(g.nodes[static_cast<size_t>(id)]) + " needs " + std::to_string(need) +
                           " bytes of scratch");
      PlanBuffer b;
      b.kind = BufferKind::kScratch;
      b.size = need;
      step.scratch = static_cast<int32_t>(plan.buffers.size());
      plan.buffers.push_back(b);
    }
    plan.steps.push_back(std::move(step));
  }
  for (size_t t = 0; t < n_tensors; ++t) {
    const ir::Tensor& x = g.tensors[t];
    if (!referenced[t] || !x.is_constant) continue;
    PlanBuffer b;
    b.kind = BufferKind::kConstant;
    b.size = static_cast<uint64_t>(std::max<int64_t>(x.SizeBytes(), 0));
    b.pool = kWeightsPool;
    b.tensor = static_cast<ir::TensorId>(t);
    plan.place[t].buffer = static_cast<int32_t>(plan.buffers.size());
    plan.buffers.push_back(b);
  }
  plan.graph = std::move(g);
  ComputeLifetimes(plan);
  return plan;
}

void ComputeLifetimes(ExecPlan& plan) {
  const auto n_steps = static_cast<int32_t>(plan.steps.size());
  const int32_t end = n_steps > 0 ? n_steps - 1 : 0;
  for (PlanBuffer& b : plan.buffers) {
    b.first = -1;
    b.last = -1;
  }
  auto touch = [&](int32_t buffer, int32_t first, int32_t last) {
    if (buffer < 0) return;
    PlanBuffer& b = plan.buffers[static_cast<size_t>(buffer)];
    b.first = b.first < 0 ? first : std::min(b.first, first);
    b.last = std::max(b.last, last);
  };
  int32_t loop_first = -1, loop_last = -1;
  for (int32_t s = 0; s < n_steps; ++s) {
    const PlanStep& step = plan.steps[static_cast<size_t>(s)];
    if (step.kind == StepKind::kLoop) {
      loop_first = s;
      loop_last = s + step.body;
      continue;
    }
    const bool in_loop = s > loop_first && s <= loop_last;
    const int32_t first = in_loop ? loop_first : s, last = in_loop ? loop_last : s;
    const ir::Node& n = plan.graph.nodes[static_cast<size_t>(step.node)];
    for (ir::TensorId t : RuntimeInputs(plan.graph, n))
      if (t != ir::kNoTensor) touch(plan.BufferOf(t), first, last);
    for (ir::TensorId t : n.outputs) touch(plan.BufferOf(t), first, last);
    touch(step.scratch, first, last);
  }
  for (size_t b = 0; b < plan.buffers.size(); ++b)
    if (plan.buffers[b].kind == BufferKind::kWeightStage)
      touch(static_cast<int32_t>(b), plan.buffers[b].hold_first, plan.buffers[b].hold_last);
  for (PlanBuffer& b : plan.buffers) {
    if (b.live_from_start) {
      b.first = 0;
      b.last = std::max(b.last, 0);
    }
    if (b.live_to_end) {
      if (b.first < 0) b.first = end;
      b.last = end;
    }
  }
}

std::vector<std::vector<uint64_t>> LiveBytes(const ExecPlan& plan, uint32_t n_pools) {
  const size_t n = std::max<size_t>(1, plan.steps.size());
  std::vector<std::vector<uint64_t>> live(n_pools, std::vector<uint64_t>(n, 0));
  for (const PlanBuffer& b : plan.buffers) {
    if (b.kind == BufferKind::kConstant || b.pool >= n_pools || b.first < 0) continue;
    for (int32_t s = b.first; s <= b.last && static_cast<size_t>(s) < n; ++s) live[b.pool][static_cast<size_t>(s)] += b.size;
  }
  return live;
}

Status VerifyExecPlan(const ExecPlan& plan) {
  const ir::Graph& g = plan.graph;
  const size_t n_tensors = g.tensors.size();
  if (plan.place.size() != n_tensors) return Internal("plan: " + std::to_string(plan.place.size()) + " tensor places for " +
                                                      std::to_string(n_tensors) + " tensors");
  auto label = [&](ir::TensorId t) { return "plan: tensor '" + g.tensor(t).name + "'"; };
  std::vector<bool> used(n_tensors, false);
  auto use = [&](ir::TensorId t) -> Status {
    if (t < 0 || static_cast<size_t>(t) >= n_tensors) return Internal("plan: a tensor id is out of range");
    used[static_cast<size_t>(t)] = true;
    return Status::Ok();
  };
  for (ir::TensorId t : g.inputs) {
    TIGRIS_RETURN_IF_ERROR(use(t));
    if (g.tensor(t).is_constant) return Internal(label(t) + " is a graph input and constant");
  }
  for (ir::TensorId t : g.outputs) TIGRIS_RETURN_IF_ERROR(use(t));
  std::vector<std::string> names;
  int32_t loop_end = -1;
  for (size_t s = 0; s < plan.steps.size(); ++s) {
    const PlanStep& step = plan.steps[s];
    if (step.kind == StepKind::kLoop) {
      if (static_cast<int32_t>(s) <= loop_end) return Internal("plan: step " + std::to_string(s) + " nests a loop");
      if (step.body < 1 || step.count < 1 || s + static_cast<size_t>(step.body) >= plan.steps.size())
        return Internal("plan: the loop at step " + std::to_string(s) + " has a bad body or count");
      if (step.operand_delta.size() > static_cast<size_t>(step.body) ||
          step.param_delta.size() > static_cast<size_t>(step.body))
        return Internal("plan: the loop at step " + std::to_string(s) + " has deltas for more steps than its body");
      loop_end = static_cast<int32_t>(s) + step.body;
      continue;
    }
    if (step.node < 0 || static_cast<size_t>(step.node) >= g.nodes.size())
      return Internal("plan: step " + std::to_string(s) + " has a bad node id");
    const ir::Node& n = g.nodes[static_cast<size_t>(step.node)];
    if (n.name.empty()) return Internal("plan: a " + std::string(ir::OpName(n.kind)) + " node has no name");
    names.push_back(n.name);
    if (n.outputs.empty()) return Internal("plan: " + NodeLabel(n) + " has no outputs");
    for (ir::TensorId t : RuntimeInputs(g, n))
      if (t != ir::kNoTensor) TIGRIS_RETURN_IF_ERROR(use(t));
    for (ir::TensorId t : RuntimeInputs(g, n))
      if (t != ir::kNoTensor)
        for (int64_t d : g.tensor(t).shape)
          if (d < 1)
            return Unsupported("plan: " + NodeLabel(n) + " reads tensor '" + g.tensor(t).name + "' of shape " +
                               ir::ShapeString(g.tensor(t).shape) + "; plans need every dim in 1..2^31-1");
    for (ir::TensorId t : n.outputs) {
      TIGRIS_RETURN_IF_ERROR(use(t));
      for (int64_t d : g.tensor(t).shape)
        if (d < 1)
          return Unsupported("plan: " + NodeLabel(n) + " writes tensor '" + g.tensor(t).name + "' of shape " +
                             ir::ShapeString(g.tensor(t).shape) + "; plans need every dim in 1..2^31-1");
      if (g.tensor(t).is_constant) return Internal("plan: " + NodeLabel(n) + " writes constant '" + g.tensor(t).name + "'");
    }
    if (step.scratch >= 0 && (static_cast<size_t>(step.scratch) >= plan.buffers.size() ||
                              plan.buffers[static_cast<size_t>(step.scratch)].kind != BufferKind::kScratch))
      return Internal("plan: " + NodeLabel(n) + " has a bad scratch buffer");
  }
  std::sort(names.begin(), names.end());
  for (size_t i = 1; i < names.size(); ++i)
    if (names[i] == names[i - 1]) return Internal("plan: duplicate node name '" + names[i] + "'");
  for (size_t t = 0; t < n_tensors; ++t) {
    if (!used[t]) continue;
    const auto id = static_cast<ir::TensorId>(t);
    const ir::Tensor& x = g.tensors[t];
    const TensorPlace& pl = plan.place[t];
    for (int64_t d : x.shape)
      if (d < 1 || d > INT32_MAX)
        return Unsupported(label(id) + " has shape " + ir::ShapeString(x.shape) + "; plans need every dim in 1..2^31-1");
    if (ir::DTypeSize(x.dtype) == 0) return Internal(label(id) + " has no dtype");
    if (pl.buffer < 0 || static_cast<size_t>(pl.buffer) >= plan.buffers.size())
      return Internal(label(id) + " is not placed in a buffer");
    const PlanBuffer& b = plan.buffers[static_cast<size_t>(pl.buffer)];
    if (!pl.strides.empty() && pl.strides.size() != x.shape.size())
      return Internal(label(id) + " has " + std::to_string(pl.strides.size()) + " strides for rank " +
                      std::to_string(x.shape.size()));
    uint64_t span = 1;
    for (size_t d = 0; d < pl.strides.size(); ++d) {
      if (pl.strides[d] < 0) return Internal(label(id) + " has a negative stride");
      span += static_cast<uint64_t>(x.shape[d] - 1) * static_cast<uint64_t>(pl.strides[d]);
    }
    const uint64_t bytes = pl.strides.empty() ? static_cast<uint64_t>(x.SizeBytes())
                                              : span * static_cast<uint64_t>(ir::DTypeSize(x.dtype));
    if (pl.offset > b.size || bytes > b.size - pl.offset)  // no wrap-around for a huge offset
      return Internal(label(id) + " spans bytes [" + std::to_string(pl.offset) + ", " + std::to_string(pl.offset + bytes) +
                      ") of a " + std::to_string(b.size) + "-byte buffer");
    if ((b.kind == BufferKind::kConstant) != x.is_constant)
      return Internal(label(id) + (x.is_constant ? " is constant but placed in an arena" : " lies in the weights"));
    if (b.kind == BufferKind::kScratch) return Internal(label(id) + " lies in a scratch buffer");
    if (x.is_constant && (b.tensor < 0 || !g.tensor(b.tensor).is_constant))
      return Internal(label(id) + " is a view of a buffer that holds no constant");
  }
  return Status::Ok();
}

void FillStageStats(ExecPlan& plan) {
  const auto live = LiveBytes(plan, 1);
  auto pool_of = [&](ir::TensorId t) {
    const int32_t b = plan.BufferOf(t);
    return b < 0 ? kFastPool : plan.buffers[static_cast<size_t>(b)].pool;
  };
  // Loop count of every step (1 outside loops).
  std::vector<uint64_t> times(plan.steps.size(), 1);
  for (size_t s = 0; s < plan.steps.size(); ++s)
    if (plan.steps[s].kind == StepKind::kLoop)
      for (int32_t j = 1; j <= plan.steps[s].body && s + static_cast<size_t>(j) < plan.steps.size(); ++j)
        times[s + static_cast<size_t>(j)] = static_cast<uint64_t>(plan.steps[s].count);
  plan.spill_bytes = plan.reload_bytes = 0;
  for (PlanStage& st : plan.stages) {
    st.fast_peak = 0;
    st.compute_ops = 0;
    st.spill_bytes = st.reload_bytes = 0;
    std::vector<ir::NodeId> seen;
    for (uint32_t s = st.first; s <= st.last && s < plan.steps.size(); ++s) {
      st.fast_peak = std::max(st.fast_peak, live[0][s]);
      const PlanStep& step = plan.steps[s];
      if (step.kind != StepKind::kOp) continue;
      const ir::Node& n = plan.graph.nodes[static_cast<size_t>(step.node)];
      const ir::NodeId origin =
          static_cast<size_t>(step.node) < plan.origin.size() ? plan.origin[static_cast<size_t>(step.node)] : -1;
      if (origin >= 0 && std::find(seen.begin(), seen.end(), origin) == seen.end()) seen.push_back(origin);
      if (n.kind == ir::OpKind::kCopy && n.inputs.size() == 1 && n.outputs.size() == 1) {
        const uint32_t from = pool_of(n.inputs[0]), to = pool_of(n.outputs[0]);
        const auto bytes = static_cast<uint64_t>(plan.graph.tensor(n.outputs[0]).SizeBytes()) * times[s];
        if (from == kFastPool && to != kFastPool) st.spill_bytes += bytes;
        if (from != kFastPool && to == kFastPool) st.reload_bytes += bytes;
      }
    }
    st.compute_ops = static_cast<uint32_t>(seen.size());
    plan.spill_bytes += st.spill_bytes;
    plan.reload_bytes += st.reload_bytes;
  }
}

}  // namespace tigris::planner
