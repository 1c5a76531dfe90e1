// Greedy-by-size first-fit offset assignment (see usage_records.h for the algorithm).
// Deterministic: the same records always give the same offsets.
#include <algorithm>
#include <numeric>

#include "tigris/planner/usage_records.h"

namespace tigris::planner {

std::vector<size_t> GreedyBySizeOrder(const std::vector<UsageRecord>& records) {
  std::vector<size_t> visit(records.size());
  std::iota(visit.begin(), visit.end(), size_t{0});
  std::stable_sort(visit.begin(), visit.end(), [&](size_t a, size_t b) {
    if (records[a].size != records[b].size) return records[a].size > records[b].size;
    return records[a].first < records[b].first;
  });
  return visit;
}

OffsetAssignment AssignOffsetsGreedyBySize(const std::vector<UsageRecord>& records) {
  return AssignOffsetsFirstFit(records, GreedyBySizeOrder(records));
}

}  // namespace tigris::planner
