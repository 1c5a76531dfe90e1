// FitBudget: partition for a live-bytes target, pack, and shrink the target by the overshoot
// while pool 0's arena exceeds the budget (packing is not monotonic in the target, so a scan of
// evenly spaced targets follows the fast path). Every attempt's decision log is captured; only
// the attempt that is returned (and the tiling search that fed it) is written.
#include "tigris/partition/fit_budget.h"

#include <algorithm>
#include <cstdio>
#include <optional>

#include "tigris/partition/temporal.h"
#include "tigris/planner/memory_plan.h"
#include "tigris/planner/schedule.h"
#include "tigris/support/bytes.h"
#include "tigris/support/log.h"

namespace tigris::partition {

namespace {
using LogLines = std::vector<std::pair<log::Level, std::string>>;

// The tile groups for `budget`, with the search's log lines.
Expected<std::vector<GroupChoice>> ChooseGroupsLogged(const FitProblem& s, uint64_t budget, LogLines& lines) {
  log::Capture capture;
  auto groups = ChooseGroups(s, budget);
  lines = capture.Take();
  return groups;
}
}  // namespace

Expected<planner::ExecPlan> FitBudget(const FitProblem& s, uint64_t fast_budget) {
  const bool has_slow = s.pools.size() > 1;
  LogLines group_lines;
  TIGRIS_ASSIGN_OR_RETURN(std::vector<GroupChoice> groups, ChooseGroupsLogged(s, fast_budget, group_lines));
  // One attempt: partition for `target` live bytes, then pack. `arena` is pool 0's packed size.
  struct Attempt {
    std::optional<planner::ExecPlan> fitted;
    uint64_t arena = 0;
  };
  // The returned plan's log: the tiling search that chose its groups, then its partition and packing.
  auto accept = [&](Attempt& a, const LogLines& tiling, const LogLines& walk, uint64_t target) {
    log::Replay(tiling);
    log::Replay(walk);
    if (target != fast_budget)
      TIGRIS_LOG_INFO("fit: packing overshot {} at a live-bytes target of {}; a target of {} fits",
                      HumanBytes(fast_budget), HumanBytes(fast_budget), HumanBytes(target));
    return std::move(*a.fitted);
  };
  LogLines walk_lines;
  auto attempt = [&](uint64_t target, const std::vector<GroupChoice>& chosen) -> Expected<Attempt> {
    log::Capture capture;
    walk_lines.clear();
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
      walk_lines = capture.Take();
    }
    return a;
  };

  // The user's budget first: its errors (an op that cannot fit, no slow pool) are the answer.
  TIGRIS_ASSIGN_OR_RETURN(Attempt first, attempt(fast_budget, groups));
  if (first.fitted) return accept(first, group_lines, walk_lines, fast_budget);
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
    LogLines regroup_lines = group_lines;
    auto regrouped =
        groups.empty() ? Expected<std::vector<GroupChoice>>(groups) : ChooseGroupsLogged(s, target, regroup_lines);
    if (!regrouped.ok()) break;
    auto a = attempt(target, *regrouped);
    if (!a.ok()) break;
    if (a->fitted) return accept(*a, regroup_lines, walk_lines, target);
    arena = a->arena;
  }
  // Slow path: packing is not monotonic in the target, so scan evenly spaced targets; this
  // keeps "a smaller budget works, so this one does" true in practice.
  const uint64_t step = std::max<uint64_t>(16, (fast_budget - floor) / 32 / 16 * 16);
  for (uint64_t t = fast_budget - std::min(step, fast_budget - floor);; t = t - floor > step ? t - step : floor) {
    if (std::find(tried.begin(), tried.end(), t) == tried.end()) {
      auto a = attempt(t, groups);
      if (a.ok() && a->fitted) return accept(*a, group_lines, walk_lines, t);
    }
    if (t == floor) break;
  }
  return fragmented;
}

uint64_t SmallestWorkingBudget(const FitProblem& s, uint64_t lo, uint64_t hi, uint64_t precision,
                               const ProbeCallback& on_probe) {
  // One probe: its plan's decisions are not this search's result, so they are not logged.
  auto works = [&](uint64_t budget) {
    bool ok;
    {
      log::Capture quiet;
      ok = FitBudget(s, budget).ok();
    }
    TIGRIS_LOG_DEBUG("budget search: {} {}", HumanBytes(budget), ok ? "compiles" : "does not compile");
    if (on_probe) on_probe(budget, ok);
    return ok;
  };
  if (!works(hi)) return 0;
  lo = (lo + 15) / 16 * 16;  // lo itself may work (it is only a lower bound)
  if (lo >= hi || works(lo)) return std::min(lo, hi);
  while (hi - lo > std::max<uint64_t>(16, precision ? hi / precision : 0)) {
    const uint64_t mid = (lo + (hi - lo) / 2) / 16 * 16;
    if (mid <= lo) break;
    if (works(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

}  // namespace tigris::partition
