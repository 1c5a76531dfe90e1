// First-fit placement in a given visit order (AssignOffsetsFirstFit) and its incremental form
// used by the search algorithms. Deterministic; output always passes CheckNoOverlap.
#include "first_fit.h"

#include <algorithm>
#include <numeric>

namespace tigris::planner {
namespace detail {

FirstFitter::FirstFitter(const std::vector<UsageRecord>& records) : records_(records) {
  conflicts_.resize(records.size());
  // Sweep the non-empty records by first step: i meets every later-starting j with first_j <= last_i.
  std::vector<uint32_t> by_first;
  for (size_t i = 0; i < records.size(); ++i)
    if (records[i].size > 0) by_first.push_back(static_cast<uint32_t>(i));
  std::stable_sort(by_first.begin(), by_first.end(),
                   [&](uint32_t a, uint32_t b) { return records[a].first < records[b].first; });
  for (size_t a = 0; a < by_first.size(); ++a) {
    const uint32_t i = by_first[a];
    for (size_t b = a + 1; b < by_first.size() && records[by_first[b]].first <= records[i].last; ++b) {
      const uint32_t j = by_first[b];
      conflicts_[i].push_back(j);
      conflicts_[j].push_back(i);
    }
  }
}

uint64_t FirstFitter::PlaceSuffix(const std::vector<size_t>& order, size_t from, std::vector<uint64_t>& offsets,
                                  std::vector<uint64_t>& prefix_peak, std::vector<uint32_t>& pos) {
  for (size_t k = from; k < order.size(); ++k) pos[order[k]] = static_cast<uint32_t>(k);
  uint64_t peak = from == 0 ? 0 : prefix_peak[from - 1];
  for (size_t k = from; k < order.size(); ++k) {
    const size_t i = order[k];
    offsets[i] = LowestFit(i, offsets, [&](uint32_t j) { return pos[j] < k; });
    peak = std::max(peak, offsets[i] + records_[i].size);
    prefix_peak[k] = peak;
  }
  return peak;
}

}  // namespace detail

OffsetAssignment AssignOffsetsFirstFit(const std::vector<UsageRecord>& records,
                                       const std::vector<size_t>& visit_order) {
  detail::FirstFitter fitter(records);
  OffsetAssignment out;
  out.offsets.assign(records.size(), 0);
  std::vector<uint64_t> prefix_peak(records.size(), 0);
  std::vector<uint32_t> pos(records.size(), 0);
  out.peak = fitter.PlaceSuffix(visit_order, 0, out.offsets, prefix_peak, pos);
  return out;
}

}  // namespace tigris::planner
