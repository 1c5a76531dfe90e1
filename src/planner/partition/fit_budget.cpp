// FitBudget: partition for a live-bytes target, pack, and shrink the target by the overshoot
// while pool 0's arena exceeds the budget (packing is not monotonic in the target, so a scan of
// evenly spaced targets follows the fast path).
#include "tigris/partition/fit_budget.h"

#include <algorithm>
#include <cstdio>
#include <optional>

#include "tigris/partition/temporal.h"
#include "tigris/planner/memory_plan.h"
#include "tigris/planner/schedule.h"
#include "tigris/support/bytes.h"

namespace tigris::partition {

Expected<planner::ExecPlan> FitBudget(const FitProblem& s, uint64_t fast_budget) {
  const bool has_slow = s.pools.size() > 1;
  TIGRIS_ASSIGN_OR_RETURN(std::vector<GroupChoice> groups, ChooseGroups(s, fast_budget));
  // One attempt: partition for `target` live bytes, then pack. `arena` is pool 0's packed size.
  struct Attempt {
    std::optional<planner::ExecPlan> fitted;
    uint64_t arena = 0;
  };
  auto attempt = [&](uint64_t target, const std::vector<GroupChoice>& chosen) -> Expected<Attempt> {
    TemporalOptions topt;
    topt.fast_budget = target;
    topt.has_slow_pool = has_slow;
    topt.scratch = s.scratch;
    topt.groups = chosen;
    topt.params = s.params;
    topt.keep_constant_data = false;  // restored once, on the plan that is returned
    TIGRIS_ASSIGN_OR_RETURN(planner::ExecPlan plan, PartitionTemporal(*s.graph, s.order, topt));
    std::vector<uint64_t> pools = s.pools;
    pools[0] = kUnbounded;  // pool 0 is checked here, so an overshoot can be retried
    if (pools.size() == 1) pools.clear();
    TIGRIS_RETURN_IF_ERROR(planner::AssignPlanOffsets(plan, pools, s.algorithm));
    Attempt a;
    a.arena = plan.pool_size[0];
    if (plan.pool_size[0] <= fast_budget) {
      plan.pool_size.resize(s.pools.size(), 0);
      for (size_t t = 0; t < s.graph->tensors.size() && t < plan.graph.tensors.size(); ++t)
        if (s.graph->tensors[t].is_constant) plan.graph.tensors[t].data = s.graph->tensors[t].data;
      a.fitted = std::move(plan);
    }
    return a;
  };

  // The user's budget first: its errors (an op that cannot fit, no slow pool) are the answer.
  TIGRIS_ASSIGN_OR_RETURN(Attempt first, attempt(fast_budget, groups));
  if (first.fitted) return std::move(*first.fitted);
  const Status fragmented =
      BudgetExceeded("could not pack the live tensors into " + HumanBytes(fast_budget) + " of fast memory (fragmentation" +
                     (groups.empty() && s.tiling ? "" : groups.empty() ? "; tiling is off" : " of the line buffers") + ")");
  // Without a slow pool nothing can move out, so a smaller target cannot help. Untiled, no
  // target below the largest op works; tiled, smaller targets mean shorter strips.
  const uint64_t floor = groups.empty() ? s.min_need : fast_budget / 2;
  if (!has_slow || fast_budget <= floor) return fragmented;

  // Fast path: shrink the live-bytes target by each overshoot, never below the single-op need.
  std::vector<uint64_t> tried{fast_budget};
  uint64_t target = fast_budget, arena = first.arena;
  for (int i = 0; i < 16 && target > floor; ++i) {
    const uint64_t over = (arena - fast_budget + 15) / 16 * 16;
    target = target - floor > over ? target - over : floor;
    tried.push_back(target);
    // The tiling for the smaller target (strips and chains depend on the budget).
    auto regrouped = groups.empty() ? Expected<std::vector<GroupChoice>>(groups) : ChooseGroups(s, target);
    if (!regrouped.ok()) break;
    auto a = attempt(target, *regrouped);
    if (!a.ok()) break;
    if (a->fitted) return std::move(*a->fitted);
    arena = a->arena;
  }
  // Slow path: packing is not monotonic in the target, so scan evenly spaced targets; this
  // keeps "a smaller budget works, so this one does" true in practice.
  const uint64_t step = std::max<uint64_t>(16, (fast_budget - floor) / 32 / 16 * 16);
  for (uint64_t t = fast_budget - std::min(step, fast_budget - floor);; t = t - floor > step ? t - step : floor) {
    if (std::find(tried.begin(), tried.end(), t) == tried.end()) {
      auto a = attempt(t, groups);
      if (a.ok() && a->fitted) return std::move(*a->fitted);
    }
    if (t == floor) break;
  }
  return fragmented;
}

uint64_t SmallestWorkingBudget(const FitProblem& s, uint64_t lo, uint64_t hi, uint64_t precision) {
  if (!FitBudget(s, hi).ok()) return 0;
  lo = (lo + 15) / 16 * 16;  // lo itself may work (it is only a lower bound)
  if (lo >= hi || FitBudget(s, lo).ok()) return std::min(lo, hi);
  while (hi - lo > std::max<uint64_t>(16, precision ? hi / precision : 0)) {
    const uint64_t mid = (lo + (hi - lo) / 2) / 16 * 16;
    if (mid <= lo) break;
    if (FitBudget(s, mid).ok()) hi = mid;
    else lo = mid;
  }
  return hi;
}

}  // namespace tigris::partition
