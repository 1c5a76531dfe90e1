// Greedy-by-size first-fit offset assignment (see usage_records.h for the algorithm) and the
// algorithm registry. Deterministic: the same records always give the same offsets.
#include <algorithm>
#include <numeric>

#include "tigris/planner/usage_records.h"

namespace tigris::planner {

namespace {
uint64_t AlignUp(uint64_t v, uint32_t align) {
  const uint64_t a = align == 0 ? 1 : align;
  return (v + a - 1) / a * a;
}
bool LifetimesIntersect(const UsageRecord& a, const UsageRecord& b) {
  return std::max(a.first, b.first) <= std::min(a.last, b.last);
}
}  // namespace

OffsetAssignment AssignOffsetsGreedyBySize(const std::vector<UsageRecord>& records) {
  OffsetAssignment out;
  out.offsets.assign(records.size(), 0);
  std::vector<size_t> visit(records.size());
  std::iota(visit.begin(), visit.end(), size_t{0});
  std::stable_sort(visit.begin(), visit.end(), [&](size_t a, size_t b) {
    if (records[a].size != records[b].size) return records[a].size > records[b].size;
    return records[a].first < records[b].first;
  });

  std::vector<size_t> placed;
  std::vector<size_t> live;  // placed records whose lifetime meets the current one
  for (size_t i : visit) {
    const UsageRecord& r = records[i];
    live.clear();
    for (size_t j : placed)
      if (records[j].size > 0 && LifetimesIntersect(r, records[j])) live.push_back(j);
    std::sort(live.begin(), live.end(), [&](size_t a, size_t b) { return out.offsets[a] < out.offsets[b]; });
    uint64_t candidate = 0;
    for (size_t j : live) {
      if (candidate + r.size <= out.offsets[j]) break;  // fits in the gap before j
      candidate = std::max(candidate, AlignUp(out.offsets[j] + records[j].size, r.align));
    }
    out.offsets[i] = r.size == 0 ? 0 : candidate;
    out.peak = std::max(out.peak, out.offsets[i] + r.size);
    placed.push_back(i);
  }
  return out;
}

Expected<OffsetAssignment> AssignOffsets(const std::string& name, const std::vector<UsageRecord>& records) {
  if (name == "greedy_by_size") return AssignOffsetsGreedyBySize(records);
  return InvalidArgument("planner: unknown offset assignment algorithm '" + name +
                         "' (available: greedy_by_size)");
}

}  // namespace tigris::planner
