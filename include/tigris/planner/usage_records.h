// Offset assignment over lifetimes: the planner's algorithm interface. Input is a flat list of
// usage records {size, align, first, last}; output is one offset per record plus the peak.
// Any algorithm behind this interface must pass CheckNoOverlap on its own output.
#pragma once

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

// Runs the algorithm called `name` ("greedy_by_size"); kInvalidArgument for an unknown name.
[[nodiscard]] Expected<OffsetAssignment> AssignOffsets(const std::string& name,
                                                       const std::vector<UsageRecord>& records);

// Largest number of bytes simultaneously live over all steps (sum of sizes of records whose
// lifetimes contain the step); a lower bound for any assignment's peak.
uint64_t MaxLiveBytes(const std::vector<UsageRecord>& records);

// Standalone checker, independent of any algorithm: fails naming the first pair of records
// whose lifetimes intersect and whose byte ranges overlap, or a misaligned offset.
[[nodiscard]] Status CheckNoOverlap(const std::vector<UsageRecord>& records, const std::vector<uint64_t>& offsets);

}  // namespace tigris::planner
