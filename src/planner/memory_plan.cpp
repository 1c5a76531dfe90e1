// Offset assignment over an ExecPlan's buffer table: one usage record per activation/scratch
// buffer {size, align, first, last} (lifetimes from ComputeLifetimes), assigned per pool by a
// usage-record algorithm and checked by CheckNoOverlap; constants packed into the weights.
#include "tigris/planner/memory_plan.h"

#include <algorithm>
#include <limits>

#include "tigris/support/bytes.h"
#include "tigris/support/log.h"

namespace tigris::planner {

namespace {

uint64_t AlignUp(uint64_t v, uint64_t a) { return (v + a - 1) / a * a; }

std::string NodeLabel(const ir::Node& n) { return "node '" + n.name + "' (" + ir::OpName(n.kind) + ")"; }

}  // namespace

Status AssignPlanOffsets(ExecPlan& plan, const std::vector<uint64_t>& pools, const std::string& algorithm) {
  ComputeLifetimes(plan);
  const size_t n_pools = std::max<size_t>(1, pools.size());
  std::vector<size_t> arena;  // buffer index per usage record
  for (size_t b = 0; b < plan.buffers.size(); ++b) {
    PlanBuffer& buf = plan.buffers[b];
    if (buf.kind == BufferKind::kConstant) continue;
    if (buf.pool >= n_pools) {
      const std::string what = buf.tensor >= 0 ? "tensor '" + plan.graph.tensor(buf.tensor).name + "'" : "a buffer";
      return Internal("planner: " + what + " assigned to a pool that was not given");
    }
    if (buf.first < 0) {  // touched by no step: occupies nothing
      buf.offset = 0;
      continue;
    }
    arena.push_back(b);
  }
  auto record = [&](size_t b) {
    const PlanBuffer& buf = plan.buffers[b];
    return UsageRecord{buf.size, buf.align, buf.first, buf.last};
  };

  plan.pool_size.assign(n_pools, 0);
  plan.pool_lower_bound.assign(n_pools, 0);
  plan.naive_peak = 0;
  for (size_t b : arena) plan.naive_peak += plan.buffers[b].size;
  for (size_t p = 0; p < n_pools; ++p) {
    for (;;) {
      std::vector<UsageRecord> sub;
      std::vector<size_t> index;
      for (size_t b : arena)
        if (plan.buffers[b].pool == p) {
          sub.push_back(record(b));
          index.push_back(b);
        }
      TIGRIS_ASSIGN_OR_RETURN(OffsetAssignment assigned, AssignOffsets(algorithm, sub));
      if (Status st = CheckNoOverlap(sub, assigned.offsets); !st.ok())
        return Internal("planner (" + algorithm + ", pool " + std::to_string(p) + "): " + st.message());
      const uint64_t size = assigned.peak;  // the high-water mark: the bytes the arena must have
      // A slow pool that overflows hands its largest buffer to the next slower pool.
      if (p >= 1 && p + 1 < n_pools && size > pools[p] && !index.empty()) {
        size_t largest = index[0];
        for (size_t b : index)
          if (plan.buffers[b].size > plan.buffers[largest].size) largest = b;
        plan.buffers[largest].pool = static_cast<uint32_t>(p + 1);
        continue;
      }
      for (size_t k = 0; k < index.size(); ++k) plan.buffers[index[k]].offset = assigned.offsets[k];
      plan.pool_size[p] = size;
      plan.pool_lower_bound[p] = MaxLiveBytes(sub);
      TIGRIS_LOG_INFO("memory plan: pool {}: arena {} for {} buffers, lower bound (max live) {}: {:.3f}x ({})", p,
                      HumanBytes(size), sub.size(), HumanBytes(plan.pool_lower_bound[p]),
                      plan.pool_lower_bound[p] ? static_cast<double>(size) / static_cast<double>(plan.pool_lower_bound[p])
                                               : 1.0,
                      algorithm);
      break;
    }
    if (plan.pool_size[p] > std::numeric_limits<uint32_t>::max())
      return Unsupported("planner: pool " + std::to_string(p) + " would need " + std::to_string(plan.pool_size[p]) +
                         " bytes, more than 4 GiB");
  }

  // Constants, packed in tensor order (buffers were created in that order).
  uint64_t cursor = 0;
  for (PlanBuffer& buf : plan.buffers) {
    if (buf.kind != BufferKind::kConstant) continue;
    cursor = AlignUp(cursor, kTensorAlign);
    buf.offset = cursor;
    cursor += buf.size;
  }
  plan.weights_size = AlignUp(cursor, kTensorAlign);
  plan.scheduled_peak = plan.pool_lower_bound[0];

  plan.placement.assign(plan.graph.tensors.size(), TensorPlacement{});
  for (size_t t = 0; t < plan.place.size(); ++t) {
    const TensorPlace& pl = plan.place[t];
    if (pl.buffer < 0) continue;
    const PlanBuffer& buf = plan.buffers[static_cast<size_t>(pl.buffer)];
    plan.placement[t] = {buf.pool, buf.offset + pl.offset, true};
  }

  for (size_t p = 0; p < pools.size(); ++p)
    if (pools[p] < plan.pool_size[p])
      return BudgetExceeded("planner: " + std::string(p == 0 ? "the fast arena (pool 0)" : "slow pool " + std::to_string(p)) +
                            " needs " + std::to_string(plan.pool_size[p]) + " bytes but its budget is " +
                            std::to_string(pools[p]) + " bytes (max live " + std::to_string(plan.pool_lower_bound[p]) +
                            " bytes)");
  return Status::Ok();
}

Expected<ExecPlan> PlanMemory(const ir::Graph& g, const PlanOptions& options) {
  std::vector<uint64_t> scratch(g.nodes.size(), 0);
  if (options.scratch)
    for (size_t n = 0; n < g.nodes.size(); ++n) {
      auto need = options.scratch(g, g.nodes[n]);
      if (!need.ok()) return need.status();
      if (*need > std::numeric_limits<uint32_t>::max())
        return Unsupported("planner: " + NodeLabel(g.nodes[n]) + " needs " + std::to_string(*need) + " bytes of scratch");
      scratch[n] = *need;
    }
  TIGRIS_ASSIGN_OR_RETURN(ExecPlan plan, BuildExecPlan(g, {}, options.tensor_pool, scratch));
  TIGRIS_RETURN_IF_ERROR(AssignPlanOffsets(plan, options.pools, options.algorithm));
  return plan;
}

}  // namespace tigris::planner
