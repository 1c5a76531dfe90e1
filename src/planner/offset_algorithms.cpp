// The offset-assignment registry: maps the names the CLI and PlanOptions use to algorithms.
// Every name listed by OffsetAlgorithmNames() is accepted by AssignOffsets, and nothing else.
#include <algorithm>
#include <cstdint>
#include <functional>
#include <utility>

#include "tigris/planner/usage_records.h"

namespace tigris::planner {

namespace {
using Algorithm = std::function<Expected<OffsetAssignment>(const std::vector<UsageRecord>&)>;

const std::vector<std::pair<std::string, Algorithm>>& Registry() {
  static const std::vector<std::pair<std::string, Algorithm>> registry = {
      {"greedy_by_size", [](const auto& r) -> Expected<OffsetAssignment> { return AssignOffsetsGreedyBySize(r); }},
      {"greedy_by_breadth", [](const auto& r) -> Expected<OffsetAssignment> { return AssignOffsetsGreedyByBreadth(r); }},
      {"hill_climb", [](const auto& r) -> Expected<OffsetAssignment> { return AssignOffsetsHillClimb(r); }},
      {"optimal", [](const auto& r) { return AssignOffsetsOptimal(r); }},
  };
  return registry;
}
}  // namespace

uint64_t AlignedLiveBytesLowerBound(const std::vector<UsageRecord>& records) {
  // Live sets only grow at first steps, so the bound's maximum is at one of them.
  std::vector<int32_t> starts;
  for (const UsageRecord& r : records)
    if (r.size > 0) starts.push_back(r.first);
  std::sort(starts.begin(), starts.end());
  starts.erase(std::unique(starts.begin(), starts.end()), starts.end());
  uint64_t best = 0;
  for (const int32_t t : starts) {
    uint32_t m = UINT32_MAX;
    for (const UsageRecord& r : records)
      if (r.size > 0 && r.first <= t && t <= r.last) m = std::min(m, r.align == 0 ? 1u : r.align);
    uint64_t sum = 0, top_slack = 0;
    for (const UsageRecord& r : records) {
      if (r.size == 0 || r.first > t || t > r.last) continue;
      const uint64_t padded = (r.size + m - 1) / m * m;
      sum += padded;
      top_slack = std::max(top_slack, padded - r.size);
    }
    best = std::max(best, sum - top_slack);
  }
  return best;
}

const std::vector<std::string>& OffsetAlgorithmNames() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const auto& [name, algorithm] : Registry()) out.push_back(name);
    return out;
  }();
  return names;
}

Expected<OffsetAssignment> AssignOffsets(const std::string& name, const std::vector<UsageRecord>& records) {
  for (const auto& [candidate, algorithm] : Registry())
    if (candidate == name) return algorithm(records);
  std::string valid;
  for (const std::string& n : OffsetAlgorithmNames()) valid += (valid.empty() ? "" : ", ") + n;
  return InvalidArgument("planner: unknown offset assignment algorithm '" + name + "' (available: " + valid + ")");
}

}  // namespace tigris::planner
