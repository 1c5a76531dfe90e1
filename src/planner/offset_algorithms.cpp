// The offset-assignment registry: maps the names the CLI and PlanOptions use to algorithms.
// Every name listed by OffsetAlgorithmNames() is accepted by AssignOffsets, and nothing else.
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
