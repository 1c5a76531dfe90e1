// Greedy-by-breadth first-fit offset assignment (see usage_records.h for the algorithm).
// Deterministic: the same records always give the same offsets.
#include <algorithm>
#include <map>
#include <numeric>

#include "tigris/planner/usage_records.h"

namespace tigris::planner {

std::vector<size_t> GreedyByBreadthOrder(const std::vector<UsageRecord>& records) {
  // Breadth of every step where some record starts (the live set only grows at those steps,
  // so the widest step is among them; other steps add no new records to the order).
  std::map<int64_t, int64_t> delta;
  for (const UsageRecord& r : records) {
    delta[r.first] += static_cast<int64_t>(r.size);
    delta[static_cast<int64_t>(r.last) + 1] -= static_cast<int64_t>(r.size);
  }
  struct Step {
    int32_t step;
    int64_t breadth;
  };
  std::vector<Step> steps;
  int64_t live = 0;
  for (const auto& [step, d] : delta) {
    live += d;
    if (d > 0 || live > 0) steps.push_back({static_cast<int32_t>(step), live});
  }
  std::stable_sort(steps.begin(), steps.end(), [](const Step& a, const Step& b) { return a.breadth > b.breadth; });

  // Records live at each step are found by scanning the records sorted by size (then first
  // step, then index), so each step's contribution comes out largest first.
  std::vector<size_t> by_size(records.size());
  std::iota(by_size.begin(), by_size.end(), size_t{0});
  std::stable_sort(by_size.begin(), by_size.end(), [&](size_t a, size_t b) {
    if (records[a].size != records[b].size) return records[a].size > records[b].size;
    return records[a].first < records[b].first;
  });
  std::vector<size_t> visit;
  visit.reserve(records.size());
  std::vector<uint8_t> taken(records.size(), 0);
  for (const Step& s : steps) {
    if (visit.size() == records.size()) break;
    for (size_t i : by_size)
      if (!taken[i] && records[i].first <= s.step && s.step <= records[i].last) {
        taken[i] = 1;
        visit.push_back(i);
      }
  }
  for (size_t i : by_size)  // records no step covers (first > last): keep the order a permutation
    if (!taken[i]) visit.push_back(i);
  return visit;
}

OffsetAssignment AssignOffsetsGreedyByBreadth(const std::vector<UsageRecord>& records) {
  return AssignOffsetsFirstFit(records, GreedyByBreadthOrder(records));
}

}  // namespace tigris::planner
