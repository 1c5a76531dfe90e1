// Exact offset assignment by branch and bound over first-fit visit orders (see usage_records.h
// and docs/planner.md for why the restricted search is still exact). Guarantees: the peak is
// minimal over all valid assignments; refuses sets above kOptimalMaxRecords non-empty records.
#include <algorithm>
#include <unordered_map>

#include "first_fit.h"
#include "tigris/planner/usage_records.h"

namespace tigris::planner {

namespace {

class BranchAndBound {
 public:
  BranchAndBound(const std::vector<UsageRecord>& records, OffsetAssignment incumbent, uint64_t lower_bound)
      : records_(records), fitter_(records), best_(std::move(incumbent)), lower_bound_(lower_bound) {
    for (size_t i = 0; i < records.size(); ++i)
      if (records[i].size > 0) active_.push_back(i);
    offsets_.assign(records.size(), 0);
    placed_.assign(records.size(), 0);
    children_.resize(active_.size() + 1);
  }

  // The optimum, or kUnsupported when the search exceeds its node budget.
  Expected<OffsetAssignment> Run() {
    if (best_.peak > lower_bound_) Visit(0, 0, 0, SIZE_MAX);
    if (aborted_)
      return Unsupported("planner: 'optimal' offset assignment gave up after " + std::to_string(kNodeBudget) +
                         " search nodes on " + std::to_string(active_.size()) + " buffers; use 'hill_climb'");
    return std::move(best_);
  }

 private:
  // Deterministic cap on the search (a count, not a clock), so a hard instance fails the same
  // way on every machine instead of hanging the compiler.
  static constexpr uint64_t kNodeBudget = 2'000'000;

  // Memo of explored states. What a completion can do depends only on the placed set, the last
  // (offset, index), and the placed records that conflict with a remaining one and reach above
  // last_offset - (largest remaining size): records wholly below that can no longer affect any
  // valid placement. A state seen before with a peak no higher has already been explored against
  // an incumbent no lower than today's, so it cannot lead to an improvement.
  bool SeenWithLowerPeak(uint64_t peak, uint64_t last_offset, size_t last_index) {
    uint64_t mask = 0, max_remaining = 0;
    for (size_t k = 0; k < active_.size(); ++k)
      if (placed_[active_[k]])
        mask |= uint64_t{1} << k;
      else
        max_remaining = std::max(max_remaining, records_[active_[k]].size);
    const uint64_t window = last_offset > max_remaining ? last_offset - max_remaining : 0;
    key_.assign({mask, last_offset, static_cast<uint64_t>(last_index)});
    for (size_t k = 0; k < active_.size(); ++k) {
      const size_t j = active_[k];
      if (!placed_[j] || offsets_[j] + records_[j].size <= window) continue;
      bool meets_remaining = false;
      for (uint32_t c : fitter_.conflicts()[j]) meets_remaining = meets_remaining || !placed_[c];
      if (meets_remaining) key_.insert(key_.end(), {k, offsets_[j]});
    }
    auto [it, inserted] = memo_.try_emplace(key_, peak);
    if (inserted) return false;
    if (it->second <= peak) return true;
    it->second = peak;
    return false;
  }

  struct KeyHash {
    size_t operator()(const std::vector<uint64_t>& key) const {
      uint64_t h = 1469598103934665603ull;
      for (uint64_t v : key) h = (h ^ v) * 1099511628211ull;
      return static_cast<size_t>(h);
    }
  };

  // `depth` records are placed, the last one at `last_offset` (record `last_index`), reaching `peak`.
  void Visit(size_t depth, uint64_t peak, uint64_t last_offset, size_t last_index) {
    if (depth == active_.size()) {
      best_.peak = peak;
      best_.offsets = offsets_;
      return;
    }
    if (aborted_ || Bound(peak, last_offset) >= best_.peak) return;
    if (++nodes_ > kNodeBudget) {
      aborted_ = true;
      return;
    }
    // A remaining record whose lowest fit leaves a hole wholly below last_offset is dead: later
    // records sit at or above last_offset, so nothing can ever fill that hole, and the record
    // would land below its predecessors, breaking the non-decreasing order.
    std::vector<std::pair<uint64_t, size_t>>& children = children_[depth];
    children.clear();
    for (size_t i : active_) {
      if (placed_[i]) continue;
      const uint64_t offset = fitter_.LowestFit(i, offsets_, [&](uint32_t j) { return placed_[j] != 0; });
      if (offset + records_[i].size <= last_offset) return;
      if (offset < last_offset || (offset == last_offset && last_index != SIZE_MAX && i < last_index)) continue;
      if (std::max(peak, offset + records_[i].size) >= best_.peak) continue;
      children.emplace_back(offset, i);
    }
    if (SeenWithLowerPeak(peak, last_offset, last_index)) return;
    std::sort(children.begin(), children.end());  // low offsets first: good completions early
    for (const auto& [offset, i] : children) {
      placed_[i] = 1;
      offsets_[i] = offset;
      Visit(depth + 1, std::max(peak, offset + records_[i].size), offset, i);
      placed_[i] = 0;
      offsets_[i] = 0;
      if (best_.peak <= lower_bound_) return;  // provably optimal, stop everywhere
    }
  }

  // Lower bound on any completion. Every remaining record lands at or above last_offset (the
  // orders are non-decreasing), so at each step t the remaining records live at t stack above
  // last_offset, next to whatever the placed records live at t occupy above it.
  uint64_t Bound(uint64_t peak, uint64_t last_offset) const {
    uint64_t bound = peak;
    for (size_t r : active_) {
      if (placed_[r]) continue;
      bound = std::max(bound, detail::AlignUp(last_offset, records_[r].align) + records_[r].size);
      const int32_t t = records_[r].first;  // live sets only grow at first steps
      uint64_t above = last_offset;
      for (size_t i : active_) {
        const UsageRecord& q = records_[i];
        if (q.first > t || t > q.last) continue;
        if (!placed_[i])
          above += q.size;
        else if (offsets_[i] + q.size > last_offset)
          above += offsets_[i] + q.size - last_offset;
      }
      bound = std::max(bound, above);
    }
    return bound;
  }

  const std::vector<UsageRecord>& records_;
  detail::FirstFitter fitter_;
  OffsetAssignment best_;
  uint64_t lower_bound_;
  std::vector<size_t> active_;
  std::vector<uint64_t> offsets_;
  std::vector<uint8_t> placed_;
  std::vector<std::vector<std::pair<uint64_t, size_t>>> children_;  // per depth, reused
  std::unordered_map<std::vector<uint64_t>, uint64_t, KeyHash> memo_;  // state -> lowest peak seen
  std::vector<uint64_t> key_;
  uint64_t nodes_ = 0;
  bool aborted_ = false;
};

}  // namespace

Expected<OffsetAssignment> AssignOffsetsOptimal(const std::vector<UsageRecord>& records) {
  size_t active = 0;
  for (const UsageRecord& r : records) active += r.size > 0 ? 1 : 0;
  if (active > kOptimalMaxRecords)
    return InvalidArgument("planner: 'optimal' offset assignment handles at most " +
                           std::to_string(kOptimalMaxRecords) + " non-empty buffers, this plan has " +
                           std::to_string(active) + "; use 'hill_climb'");
  BranchAndBound search(records, AssignOffsetsHillClimb(records), AlignedLiveBytesLowerBound(records));
  return search.Run();
}

}  // namespace tigris::planner
