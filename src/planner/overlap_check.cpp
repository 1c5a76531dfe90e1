// The standalone overlap checker and the live-bytes bound. Independent of every assignment
// algorithm on purpose: planner tests run it on each algorithm's output.
#include <algorithm>
#include <map>

#include "tigris/planner/usage_records.h"

namespace tigris::planner {

namespace {
std::string Describe(size_t i, const UsageRecord& r, uint64_t offset) {
  return "record " + std::to_string(i) + " {size " + std::to_string(r.size) + ", steps " +
         std::to_string(r.first) + ".." + std::to_string(r.last) + ", offset " + std::to_string(offset) + "}";
}
}  // namespace

Status CheckNoOverlap(const std::vector<UsageRecord>& records, const std::vector<uint64_t>& offsets) {
  if (offsets.size() != records.size())
    return Internal("overlap check: " + std::to_string(offsets.size()) + " offsets for " +
                    std::to_string(records.size()) + " records");
  for (size_t i = 0; i < records.size(); ++i) {
    const UsageRecord& r = records[i];
    if (r.first > r.last) return Internal("overlap check: " + Describe(i, r, offsets[i]) + " ends before it starts");
    if (r.align == 0 || (r.align & (r.align - 1)) != 0)
      return Internal("overlap check: " + Describe(i, r, offsets[i]) + " has alignment " + std::to_string(r.align));
    if (offsets[i] % r.align != 0)
      return Internal("overlap check: " + Describe(i, r, offsets[i]) + " is not " + std::to_string(r.align) +
                      "-byte aligned");
  }
  for (size_t i = 0; i < records.size(); ++i) {
    for (size_t j = i + 1; j < records.size(); ++j) {
      const UsageRecord& a = records[i];
      const UsageRecord& b = records[j];
      if (a.size == 0 || b.size == 0) continue;
      const bool same_time = std::max(a.first, b.first) <= std::min(a.last, b.last);
      const bool same_bytes = offsets[i] < offsets[j] + b.size && offsets[j] < offsets[i] + a.size;
      if (same_time && same_bytes)
        return Internal("overlap check: " + Describe(i, a, offsets[i]) + " overlaps " + Describe(j, b, offsets[j]));
    }
  }
  return Status::Ok();
}

uint64_t MaxLiveBytes(const std::vector<UsageRecord>& records) {
  std::map<int64_t, int64_t> delta;  // step -> change in live bytes at its start
  for (const UsageRecord& r : records) {
    delta[r.first] += static_cast<int64_t>(r.size);
    delta[static_cast<int64_t>(r.last) + 1] -= static_cast<int64_t>(r.size);
  }
  int64_t live = 0, peak = 0;
  for (const auto& [step, d] : delta) {
    live += d;
    peak = std::max(peak, live);
  }
  return static_cast<uint64_t>(peak);
}

}  // namespace tigris::planner
