// Temporal partitioning by furthest-next-use eviction (Belady's rule, here with sizes): walk
// the schedule; before each op make its inputs resident in fast memory and, while the op's
// inputs + outputs + scratch + everything else resident exceed the budget, evict the resident
// buffer whose next use is furthest away. An evicted buffer is copied to slow memory only the
// first time (activations never change, so a slow copy stays valid: no spill-then-reload of
// the same bytes twice); it is reloaded right before its next reader. Optimal for equal sizes,
// a heuristic for mixed sizes. Stage accounting is recomputed from the rewritten graph.
#include "tigris/partition/temporal.h"

#include <algorithm>
#include <limits>

#include "tigris/planner/schedule.h"

namespace tigris::partition {

namespace {

constexpr size_t kNever = std::numeric_limits<size_t>::max();

std::string Kib(uint64_t b) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.2f KiB", static_cast<double>(b) / 1024.0);
  return buf;
}

std::string NodeLabel(const ir::Node& n) { return "node '" + n.name + "' (" + ir::OpName(n.kind) + ")"; }

}  // namespace

Expected<planner::ExecPlan> PartitionTemporal(const ir::Graph& g, const std::vector<ir::NodeId>& order,
                                           const TemporalOptions& options) {
  const planner::BufferModel m = planner::BuildBufferModel(g);
  const size_t n_nodes = g.nodes.size();
  if (order.size() != n_nodes) return Internal("partition: order does not list every node once");
  const std::vector<planner::NodeBufferUse> uses = planner::NodeBufferUses(m, n_nodes);
  auto scratch_of = [&](ir::NodeId v) -> uint64_t {
    return static_cast<size_t>(v) < options.scratch.size() ? options.scratch[static_cast<size_t>(v)] : 0;
  };

  std::vector<size_t> pos(n_nodes);
  for (size_t i = 0; i < order.size(); ++i) pos[static_cast<size_t>(order[i])] = i;
  const size_t n_buf = m.size.size();
  std::vector<std::vector<size_t>> reader_pos(n_buf);
  for (size_t b = 0; b < n_buf; ++b) {
    for (ir::NodeId r : m.readers[b]) reader_pos[b].push_back(pos[static_cast<size_t>(r)]);
    std::sort(reader_pos[b].begin(), reader_pos[b].end());
  }
  std::vector<size_t> cursor(n_buf, 0);
  auto next_use = [&](size_t b, size_t i) {
    auto& c = cursor[b];
    while (c < reader_pos[b].size() && reader_pos[b][c] < i) ++c;
    return c < reader_pos[b].size() ? reader_pos[b][c] : kNever;
  };
  std::vector<std::vector<ir::TensorId>> aliases(n_buf);
  for (size_t t = 0; t < g.tensors.size(); ++t)
    if (m.buffer_of[t] >= 0) aliases[static_cast<size_t>(m.buffer_of[t])].push_back(static_cast<ir::TensorId>(t));

  struct {
    std::vector<uint32_t> pool;      // per tensor of ng
    std::vector<uint64_t> scratch;   // per node of ng
    uint64_t spill_bytes = 0, reload_bytes = 0;
  } res;
  ir::Graph ng;
  ng.name = g.name;
  ng.tensors = g.tensors;
  ng.inputs = g.inputs;
  res.pool.assign(ng.tensors.size(), kFastPool);

  std::vector<bool> in_fast(n_buf, false), used(n_buf, false);
  std::vector<ir::TensorId> fast_root(n_buf, ir::kNoTensor), slow_copy(n_buf, ir::kNoTensor);
  std::vector<ir::TensorId> cur(g.tensors.size(), ir::kNoTensor);  // tensor to read now, per original tensor
  uint64_t fast_bytes = 0;
  size_t name_counter = 0;

  auto add_tensor_like = [&](ir::TensorId like, const std::string& tag, uint32_t p) {
    ir::Tensor t = g.tensor(like);
    t.is_constant = false;
    t.data.clear();
    t.name = t.name + "@" + tag + std::to_string(name_counter++);
    res.pool.push_back(p);
    return ng.AddTensor(std::move(t));
  };
  auto add_node = [&](ir::OpKind kind, const std::string& name, ir::TensorId in, ir::TensorId out) {
    ir::Node node;
    node.kind = kind;
    node.name = name;
    node.inputs = {in};
    node.outputs = {out};
    res.scratch.push_back(0);
    ng.AddNode(std::move(node));
  };
  auto invalidate_aliases = [&](size_t b) {
    for (ir::TensorId t : aliases[b]) cur[static_cast<size_t>(t)] = ir::kNoTensor;
  };

  for (ir::TensorId t : g.inputs) {
    const int32_t b = m.buffer_of[static_cast<size_t>(t)];
    in_fast[static_cast<size_t>(b)] = true;
    fast_root[static_cast<size_t>(b)] = t;
    cur[static_cast<size_t>(t)] = t;
    fast_bytes += m.size[static_cast<size_t>(b)];
  }

  std::vector<size_t> stage_starts{0};
  for (size_t i = 0; i < order.size(); ++i) {
    const ir::NodeId v = order[i];
    const ir::Node& node = g.nodes[static_cast<size_t>(v)];
    const planner::NodeBufferUse& u = uses[static_cast<size_t>(v)];
    const size_t first_emitted = ng.nodes.size();
    bool moved = false;

    const uint64_t alone = planner::NodeFastNeed(m, u, scratch_of(v));
    uint64_t reload = 0;
    for (int32_t b : u.reads)
      if (!in_fast[static_cast<size_t>(b)]) reload += m.size[static_cast<size_t>(b)];
    uint64_t out_bytes = 0;
    for (int32_t b : u.creates) out_bytes += m.size[static_cast<size_t>(b)];
    if (alone > options.fast_budget)
      return BudgetExceeded(NodeLabel(node) + " needs " + Kib(alone) + " of fast memory on its own (inputs + outputs" +
                            (scratch_of(v) ? " + scratch" : "") + "), the budget is " + Kib(options.fast_budget) +
                            "; this op needs spatial tiling");

    uint64_t need = fast_bytes + reload + out_bytes + scratch_of(v);
    while (need > options.fast_budget) {
      // Furthest next use first; then the larger buffer; then the lower index (deterministic).
      size_t victim = kNever, victim_use = 0;
      for (size_t b = 0; b < n_buf; ++b) {
        if (!in_fast[b] || std::find(u.reads.begin(), u.reads.end(), static_cast<int32_t>(b)) != u.reads.end()) continue;
        const size_t nu = next_use(b, i);
        if (victim == kNever || nu > victim_use || (nu == victim_use && m.size[b] > m.size[victim])) {
          victim = b;
          victim_use = nu;
        }
      }
      if (victim == kNever) return Internal("partition: nothing left to evict at " + NodeLabel(node));
      if (!options.has_slow_pool)
        return BudgetExceeded(NodeLabel(node) + " needs " + Kib(need) + " of fast memory with the tensors still live, " +
                              "the budget is " + Kib(options.fast_budget) +
                              "; add a slow memory pool (e.g. -m " + std::to_string(options.fast_budget / 1024) +
                              "K -m 8M) so tensors can spill");
      const ir::TensorId root = m.root[victim];
      if (slow_copy[victim] == ir::kNoTensor) {
        if (m.producer[victim] < 0 && !used[victim] && fast_root[victim] == root) {
          res.pool[static_cast<size_t>(root)] = kSlowPool;  // a graph input the application writes to slow memory
          slow_copy[victim] = root;
        } else {
          const ir::TensorId s = add_tensor_like(root, "spill", kSlowPool);
          add_node(ir::OpKind::kCopy, "spill_" + std::to_string(name_counter++) + "_" + g.tensor(root).name,
                   fast_root[victim], s);
          slow_copy[victim] = s;
          res.spill_bytes += m.size[victim];
          moved = true;
        }
      }
      in_fast[victim] = false;
      fast_root[victim] = ir::kNoTensor;
      invalidate_aliases(victim);
      fast_bytes -= m.size[victim];
      need -= m.size[victim];
    }

    for (int32_t bi : u.reads) {
      const auto b = static_cast<size_t>(bi);
      if (in_fast[b]) continue;
      const ir::TensorId root = m.root[b];
      const ir::TensorId f = add_tensor_like(root, "reload", kFastPool);
      add_node(ir::OpKind::kCopy, "reload_" + std::to_string(name_counter++) + "_" + g.tensor(root).name, slow_copy[b], f);
      res.reload_bytes += m.size[b];
      moved = true;
      in_fast[b] = true;
      fast_root[b] = f;
      cur[static_cast<size_t>(root)] = f;
      fast_bytes += m.size[b];
    }

    ir::Node copy = node;
    for (ir::TensorId& t : copy.inputs) {
      if (t < 0 || g.tensor(t).is_constant) continue;
      const auto b = static_cast<size_t>(m.buffer_of[static_cast<size_t>(t)]);
      used[b] = true;
      if (cur[static_cast<size_t>(t)] == ir::kNoTensor) {  // a view of a reloaded buffer
        const ir::TensorId view = add_tensor_like(t, "view", kFastPool);
        add_node(ir::OpKind::kReshape, "view_" + std::to_string(name_counter++) + "_" + g.tensor(t).name,
                 fast_root[b], view);
        cur[static_cast<size_t>(t)] = view;
      }
      t = cur[static_cast<size_t>(t)];
    }
    if (moved && i > 0) stage_starts.push_back(first_emitted);
    res.scratch.push_back(scratch_of(v));
    ng.AddNode(std::move(copy));
    for (ir::TensorId t : node.outputs) cur[static_cast<size_t>(t)] = t;
    for (int32_t bi : u.creates) {
      const auto b = static_cast<size_t>(bi);
      in_fast[b] = true;
      fast_root[b] = m.root[b];
      fast_bytes += m.size[b];
    }
    // Free what has no reader left (graph outputs stay until the end).
    auto release = [&](size_t b) {
      if (in_fast[b] && !m.is_graph_output[b] && next_use(b, i + 1) == kNever) {
        in_fast[b] = false;
        fast_bytes -= m.size[b];
      }
    };
    for (int32_t b : u.reads) release(static_cast<size_t>(b));
    for (int32_t b : u.creates) release(static_cast<size_t>(b));
  }

  // Graph outputs: read from wherever their bytes are at the end.
  for (ir::TensorId t : g.outputs) {
    const int32_t bi = t >= 0 ? m.buffer_of[static_cast<size_t>(t)] : -1;
    if (bi < 0) {
      ng.outputs.push_back(t);
      continue;
    }
    const auto b = static_cast<size_t>(bi);
    ir::TensorId where = in_fast[b] ? cur[static_cast<size_t>(t)] : (t == m.root[b] ? slow_copy[b] : ir::kNoTensor);
    if (where == ir::kNoTensor) {
      const bool fast = in_fast[b];
      where = add_tensor_like(t, "view", fast ? kFastPool : kSlowPool);
      add_node(ir::OpKind::kReshape, "view_" + std::to_string(name_counter++) + "_" + g.tensor(t).name,
               fast ? fast_root[b] : slow_copy[b], where);
      if (fast) cur[static_cast<size_t>(t)] = where;
    }
    ng.outputs.push_back(where);
  }
  // A renamed output keeps the model's output name, so users and tests see the ONNX names.
  for (size_t k = 0; k < g.outputs.size(); ++k) {
    const ir::TensorId now = ng.outputs[k], was = g.outputs[k];
    if (now != was && now >= 0 && was >= 0) std::swap(ng.tensor(now).name, ng.tensor(was).name);
  }

  TIGRIS_RETURN_IF_ERROR(ng.Verify());
  stage_starts.push_back(ng.nodes.size());
  TIGRIS_ASSIGN_OR_RETURN(planner::ExecPlan plan, planner::BuildExecPlan(std::move(ng), {}, res.pool, res.scratch));
  plan.spill_bytes = res.spill_bytes;
  plan.reload_bytes = res.reload_bytes;
  for (size_t s = 0; s + 1 < stage_starts.size(); ++s) {
    if (stage_starts[s] >= stage_starts[s + 1]) continue;
    planner::PlanStage st;
    st.first = static_cast<uint32_t>(stage_starts[s]);
    st.last = static_cast<uint32_t>(stage_starts[s + 1] - 1);
    plan.stages.push_back(st);
  }
  planner::FillStageStats(plan);
  return plan;
}

}  // namespace tigris::partition
