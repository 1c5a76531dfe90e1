// Private to the planner: first-fit placement over a visit order with precomputed lifetime
// conflicts, shared by every offset-assignment algorithm. Re-placing a suffix of an order leaves
// the prefix's offsets untouched, which is what makes the hill climb cheap.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "tigris/planner/usage_records.h"

namespace tigris::planner::detail {

inline uint64_t AlignUp(uint64_t v, uint32_t align) {
  const uint64_t a = align == 0 ? 1 : align;
  return (v + a - 1) / a * a;
}

class FirstFitter {
 public:
  explicit FirstFitter(const std::vector<UsageRecord>& records);

  const std::vector<UsageRecord>& records() const { return records_; }
  // For each record, the non-empty records whose lifetimes intersect its own (empty for empty ones).
  const std::vector<std::vector<uint32_t>>& conflicts() const { return conflicts_; }

  // Lowest aligned offset for record i that misses every conflicting record j with
  // is_placed(j), whose offset is offsets[j].
  template <typename IsPlaced>
  uint64_t LowestFit(size_t i, const std::vector<uint64_t>& offsets, IsPlaced is_placed) {
    const UsageRecord& r = records_[i];
    if (r.size == 0) return 0;
    busy_.clear();
    for (uint32_t j : conflicts_[i])
      if (is_placed(j)) busy_.emplace_back(offsets[j], offsets[j] + records_[j].size);
    std::sort(busy_.begin(), busy_.end());
    uint64_t candidate = 0;
    for (const auto& [begin, end] : busy_) {
      if (candidate + r.size <= begin) break;  // fits in the gap below this one
      if (end > candidate) candidate = AlignUp(end, r.align);
    }
    return candidate;
  }

  // Places order[from..n) by first fit, given that order[0..from) are already placed at
  // `offsets`. Keeps pos (record -> position in order) and prefix_peak (peak of order[0..k])
  // up to date for positions >= from. Returns the peak of the whole order.
  uint64_t PlaceSuffix(const std::vector<size_t>& order, size_t from, std::vector<uint64_t>& offsets,
                       std::vector<uint64_t>& prefix_peak, std::vector<uint32_t>& pos);

 private:
  const std::vector<UsageRecord>& records_;
  std::vector<std::vector<uint32_t>> conflicts_;
  std::vector<std::pair<uint64_t, uint64_t>> busy_;  // scratch: [begin, end) of placed conflicts
};

}  // namespace tigris::planner::detail
