// Hill climb over first-fit visit orders (see usage_records.h for the algorithm). Guarantees:
// the peak is never above greedy_by_size's, and the result depends only on the records and the
// options (iteration budget, fixed seed), never on the machine or the clock.
#include <algorithm>
#include <random>

#include "first_fit.h"
#include "tigris/planner/usage_records.h"

namespace tigris::planner {

namespace {

// The current order with its placement; candidates are evaluated in place and undone on reject.
struct State {
  std::vector<size_t> order;
  std::vector<uint64_t> offsets;
  std::vector<uint64_t> prefix_peak;
  std::vector<uint32_t> pos;
  uint64_t peak = 0;
};

State Evaluate(detail::FirstFitter& fitter, std::vector<size_t> order) {
  const size_t n = order.size();
  State s{std::move(order), std::vector<uint64_t>(n, 0), std::vector<uint64_t>(n, 0), std::vector<uint32_t>(n, 0), 0};
  s.peak = fitter.PlaceSuffix(s.order, 0, s.offsets, s.prefix_peak, s.pos);
  return s;
}

// Moves the element at position `from` to position `to`, shifting the ones in between.
void MoveElement(std::vector<size_t>& order, size_t from, size_t to) {
  if (from < to)
    std::rotate(order.begin() + static_cast<ptrdiff_t>(from), order.begin() + static_cast<ptrdiff_t>(from) + 1,
                order.begin() + static_cast<ptrdiff_t>(to) + 1);
  else if (to < from)
    std::rotate(order.begin() + static_cast<ptrdiff_t>(to), order.begin() + static_cast<ptrdiff_t>(from),
                order.begin() + static_cast<ptrdiff_t>(from) + 1);
}

}  // namespace

OffsetAssignment AssignOffsetsHillClimb(const std::vector<UsageRecord>& records, const HillClimbOptions& options) {
  const size_t n = records.size();
  detail::FirstFitter fitter(records);
  State cur = Evaluate(fitter, GreedyBySizeOrder(records));
  const uint64_t lower_bound = AlignedLiveBytesLowerBound(records);
  if (cur.peak > lower_bound) {
    State breadth = Evaluate(fitter, GreedyByBreadthOrder(records));
    if (breadth.peak < cur.peak) cur = std::move(breadth);
  }

  // Only non-empty records matter to the search; empty ones sit at offset 0 wherever they are.
  size_t active = 0;
  for (const UsageRecord& r : records) active += r.size > 0 ? 1 : 0;

  std::mt19937 rng(options.seed);  // the engine's output sequence is fixed by the standard
  auto below = [&](size_t bound) { return static_cast<size_t>(rng() % bound); };
  std::vector<size_t> critical;  // positions of records reaching the current peak
  std::vector<size_t> saved_order;
  std::vector<uint64_t> saved_offsets, saved_prefix_peak;
  for (uint64_t iter = 0; iter < options.max_iterations && cur.peak > lower_bound && active > 1; ++iter) {
    saved_order = cur.order;
    size_t changed_from = 0;  // first position whose record may have changed
    const unsigned move = static_cast<unsigned>(rng() % 4);
    if (move < 2) {
      // Pull a record that touches the peak earlier, so it gets first pick of the low bytes.
      critical.clear();
      for (size_t k = 0; k < n; ++k) {
        const size_t i = cur.order[k];
        if (records[i].size > 0 && cur.offsets[i] + records[i].size == cur.peak) critical.push_back(k);
      }
      const size_t from = critical[below(critical.size())];
      if (from == 0) continue;
      const size_t to = below(from);
      MoveElement(cur.order, from, to);
      changed_from = to;
    } else if (move == 2) {
      const size_t a = below(n), b = below(n);
      if (a == b) continue;
      std::swap(cur.order[a], cur.order[b]);
      changed_from = std::min(a, b);
    } else {
      const size_t from = below(n), to = below(n);
      if (from == to) continue;
      MoveElement(cur.order, from, to);
      changed_from = std::min(from, to);
    }
    // The records in positions [changed_from, n) are the same set before and after the move;
    // save their placement so a rejected move is undone without re-placing anything.
    saved_offsets.resize(n);
    saved_prefix_peak.resize(n);
    for (size_t k = changed_from; k < n; ++k) {
      saved_offsets[k] = cur.offsets[saved_order[k]];
      saved_prefix_peak[k] = cur.prefix_peak[k];
    }
    const uint64_t peak = fitter.PlaceSuffix(cur.order, changed_from, cur.offsets, cur.prefix_peak, cur.pos);
    if (peak <= cur.peak) {
      cur.peak = peak;
    } else {
      cur.order.swap(saved_order);
      for (size_t k = changed_from; k < n; ++k) {
        cur.offsets[cur.order[k]] = saved_offsets[k];
        cur.prefix_peak[k] = saved_prefix_peak[k];
        cur.pos[cur.order[k]] = static_cast<uint32_t>(k);
      }
    }
  }
  return OffsetAssignment{std::move(cur.offsets), cur.peak};
}

}  // namespace tigris::planner
