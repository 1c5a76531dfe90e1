// Offset assignment over lifetimes: the planner's algorithm interface. Input is a flat list of
// usage records {size, align, first, last}; output is one offset per record plus the peak.
// Any algorithm behind this interface must pass CheckNoOverlap on its own output.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "tigris/support/status.h"

namespace tigris::planner {

// One buffer that must exist, unmoved, from step `first` to step `last` inclusive.
struct UsageRecord {
  uint64_t size = 0;
  uint32_t align = 16;  // power of two; the assigned offset is a multiple of it
  int32_t first = 0;
  int32_t last = 0;
};

struct OffsetAssignment {
  std::vector<uint64_t> offsets;  // one per record, same order
  uint64_t peak = 0;              // max over records of offset + size (the arena high-water)
};

// Greedy by size, first fit: records are visited largest first (ties: earlier first step, then
// lower index, so the result is deterministic). Each one takes the lowest aligned offset whose
// [offset, offset+size) misses every already placed record whose lifetime intersects its own.
// A heuristic: not optimal in general (the problem is NP-hard), usually close on CNN chains.
OffsetAssignment AssignOffsetsGreedyBySize(const std::vector<UsageRecord>& records);

// First fit in a given visit order, the placement step every algorithm below shares: records
// are visited in `visit_order` (a permutation of 0..n-1) and each takes the lowest aligned offset
// whose bytes miss every already placed record whose lifetime intersects its own. Zero-size
// records get offset 0 and conflict with nothing. Every assignment, including an optimal one, is
// reproduced or beaten by first fit in some order (docs/planner.md), so the algorithms below only
// differ in how they choose the order.
OffsetAssignment AssignOffsetsFirstFit(const std::vector<UsageRecord>& records,
                                       const std::vector<size_t>& visit_order);

// The visit order of greedy_by_size: size descending, then first step ascending, then index.
std::vector<size_t> GreedyBySizeOrder(const std::vector<UsageRecord>& records);

// Greedy by breadth (after Pisarchyk & Lee, "Efficient Memory Management for Deep Neural Net
// Inference", 2020), first fit. Step by step:
//   1. The breadth of a step is the sum of sizes of the records live at it.
//   2. Steps are visited widest first (ties: earlier step first).
//   3. At each step, the records live there that are not yet visited are appended to the visit
//      order largest first (ties: earlier first step, then lower index).
//   4. Records are placed by first fit in that order (AssignOffsetsFirstFit).
// The widest step is packed first and tightly, since it sets the lower bound. A heuristic, not
// optimal: it beats greedy_by_size on some graphs and loses on others. Deterministic.
std::vector<size_t> GreedyByBreadthOrder(const std::vector<UsageRecord>& records);
OffsetAssignment AssignOffsetsGreedyByBreadth(const std::vector<UsageRecord>& records);

// Budget of the hill climb. Deterministic: the budget counts iterations, never wall-clock time,
// and the random stream is a fixed-seed std::mt19937 used without std:: distributions (whose
// output differs between standard libraries), so every machine gets the same offsets.
struct HillClimbOptions {
  uint64_t max_iterations = 4000;  // first-fit re-runs after the starting orders
  uint32_t seed = 0x71647269u;
};

// Hill climb over visit orders, first fit. Step by step:
//   1. Start from the greedy_by_size order, or from the greedy_by_breadth order when that one
//      gives a strictly lower peak. Stop at once if the peak equals the lower bound
//      AlignedLiveBytesLowerBound (MaxLiveBytes tightened by alignment).
//   2. Each iteration perturbs the current order with one of: move a record that reaches the
//      current peak to a random earlier position; swap two random positions; move one random
//      record to a random position. Only the suffix of the order from the first changed position
//      is re-placed (the prefix's offsets cannot change).
//   3. Keep the new order when its peak is not worse (equal peaks are accepted, so the search can
//      walk across plateaus); otherwise undo it.
//   4. Stop when the peak reaches that lower bound (provably optimal then) or after max_iterations.
// Never worse than greedy_by_size (it starts there and never accepts a worse order). Not optimal
// in general; the gap to the lower bound is the only quality measure.
OffsetAssignment AssignOffsetsHillClimb(const std::vector<UsageRecord>& records,
                                        const HillClimbOptions& options = {});

// Largest number of non-empty records "optimal" accepts; above it the search may take too long
// (sets of 12 random buffers with mixed alignments already take seconds).
inline constexpr size_t kOptimalMaxRecords = 10;

// Exact branch and bound over first-fit visit orders. Step by step:
//   1. The incumbent is the hill_climb result; done if it equals AlignedLiveBytesLowerBound.
//   2. Depth-first search appends one unvisited record at a time and places it by first fit.
//      Only orders whose placed offsets are non-decreasing (ties: increasing index) are explored:
//      some optimal assignment is reproduced by first fit in such an order (docs/planner.md).
//   3. A branch is cut when max(peak so far, last offset + largest remaining size) is not below
//      the incumbent; the search ends early when the incumbent reaches that lower bound.
//   4. Equal states reached by different orders are explored once (memo on the placed set and
//      the placed buffers that can still touch a remaining one).
// Optimal: the returned peak is the minimum over all valid assignments. Refuses (kInvalidArgument)
// sets with more than kOptimalMaxRecords non-empty records rather than silently falling back, and
// returns kUnsupported if the search exceeds a fixed node budget (deterministic, never a clock).
[[nodiscard]] Expected<OffsetAssignment> AssignOffsetsOptimal(const std::vector<UsageRecord>& records);

// Names accepted by AssignOffsets, in a fixed order: greedy_by_size, greedy_by_breadth,
// hill_climb, optimal. For the CLI's --planner help and for error messages.
const std::vector<std::string>& OffsetAlgorithmNames();

// Runs the algorithm called `name` (one of OffsetAlgorithmNames()); kInvalidArgument listing the
// valid names for an unknown name.
[[nodiscard]] Expected<OffsetAssignment> AssignOffsets(const std::string& name,
                                                       const std::vector<UsageRecord>& records);

// Largest number of bytes simultaneously live over all steps (sum of sizes of records whose
// lifetimes contain the step); a lower bound for any assignment's peak.
uint64_t MaxLiveBytes(const std::vector<UsageRecord>& records);

// MaxLiveBytes tightened by alignment, still a lower bound for any assignment's peak. At each
// step, sort the live records by offset: two neighbours start at multiples of their alignments,
// so their distance is a multiple of the smaller one, m. Hence each record below the top one
// takes at least AlignUp(size, m) bytes, m being the smallest alignment live at that step:
//   bound(step) = sum AlignUp(size, m) - max (AlignUp(size, m) - size).
// hill_climb and optimal stop as soon as they reach it (the result is then provably optimal).
uint64_t AlignedLiveBytesLowerBound(const std::vector<UsageRecord>& records);

// Standalone checker, independent of any algorithm: fails naming the first pair of records
// whose lifetimes intersect and whose byte ranges overlap, or a misaligned offset.
[[nodiscard]] Status CheckNoOverlap(const std::vector<UsageRecord>& records, const std::vector<uint64_t>& offsets);

}  // namespace tigris::planner
