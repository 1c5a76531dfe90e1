// Every offset-assignment algorithm behind AssignOffsets: hand-made cases with known optima, a
// few hundred random record sets (fixed seeds) through the standalone overlap checker, hill_climb
// never above greedy_by_size, and the exact search equal to brute force over all visit orders.
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <random>

#include "tigris/planner/usage_records.h"

namespace tigris::planner {
namespace {

std::vector<UsageRecord> RandomRecords(std::mt19937& rng, int max_records, int max_steps) {
  const int n = 1 + static_cast<int>(rng() % static_cast<unsigned>(max_records));
  const int steps = 1 + static_cast<int>(rng() % static_cast<unsigned>(max_steps));
  std::vector<UsageRecord> recs;
  for (int i = 0; i < n; ++i) {
    UsageRecord r;
    r.first = static_cast<int32_t>(rng() % static_cast<unsigned>(steps));
    r.last = r.first + static_cast<int32_t>(rng() % 6);
    r.size = rng() % 7 == 0 ? 0 : 1 + rng() % 512;
    r.align = 1u << (rng() % 5);
    recs.push_back(r);
  }
  return recs;
}

// Checks the contract every algorithm shares and returns the peak.
uint64_t Validate(const std::string& name, const std::vector<UsageRecord>& recs, const OffsetAssignment& a) {
  const Status st = CheckNoOverlap(recs, a.offsets);
  EXPECT_TRUE(st.ok()) << name << ": " << st.message();
  uint64_t high = 0;
  for (size_t i = 0; i < recs.size(); ++i) high = std::max(high, a.offsets[i] + recs[i].size);
  EXPECT_EQ(a.peak, high) << name;
  EXPECT_GE(a.peak, MaxLiveBytes(recs)) << name;
  return a.peak;
}

uint64_t BruteForcePeak(const std::vector<UsageRecord>& recs) {
  std::vector<size_t> order(recs.size());
  std::iota(order.begin(), order.end(), size_t{0});
  uint64_t best = UINT64_MAX;
  do {
    best = std::min(best, AssignOffsetsFirstFit(recs, order).peak);
  } while (std::next_permutation(order.begin(), order.end()));
  return best;
}

// Greedy by size is provably suboptimal here. Sizes in units of 16 bytes:
//   D(2, step 0), C(2, step 2), B(1, steps 0..1), A(1, steps 1..3); live bytes peak at 3 units.
// Largest first puts D and C both at 0 (they never meet), B above D at 2, and then A meets
// C (0..2) and B (2..3) and has to go to 3: peak 4 units. Placing A, then B, D, C gives
// A 0..1, B 2..3, D 0..2, C 1..3: peak 3 units, the lower bound.
const std::vector<UsageRecord> kGreedyTrap = {{16, 16, 1, 3}, {16, 16, 0, 1}, {32, 16, 2, 2}, {32, 16, 0, 0}};

TEST(OffsetAlgorithms, NamesAreListedAndAllAccepted) {
  const std::vector<std::string> expected = {"greedy_by_size", "greedy_by_breadth", "hill_climb", "optimal"};
  EXPECT_EQ(OffsetAlgorithmNames(), expected);
  for (const std::string& name : OffsetAlgorithmNames()) {
    auto r = AssignOffsets(name, kGreedyTrap);
    ASSERT_TRUE(r.ok()) << name << ": " << r.status().message();
    Validate(name, kGreedyTrap, *r);
  }
}

TEST(OffsetAlgorithms, UnknownNameListsTheValidOnes) {
  auto r = AssignOffsets("tetris", kGreedyTrap);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument);
  for (const std::string& name : OffsetAlgorithmNames())
    EXPECT_NE(r.status().message().find(name), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("'tetris'"), std::string::npos) << r.status().message();
}

TEST(OffsetAlgorithms, EmptyAndDegenerateSets) {
  const std::vector<std::vector<UsageRecord>> cases = {
      {}, {{0, 16, 0, 3}}, {{100, 16, 2, 2}}, {{0, 16, 0, 0}, {0, 4, 0, 0}}, {{0, 16, 0, 1}, {48, 16, 0, 1}}};
  for (const auto& recs : cases)
    for (const std::string& name : OffsetAlgorithmNames()) {
      auto r = AssignOffsets(name, recs);
      ASSERT_TRUE(r.ok()) << name;
      EXPECT_EQ(Validate(name, recs, *r), MaxLiveBytes(recs)) << name;
    }
}

TEST(OffsetAlgorithms, GreedyBySizeIsBeatenOnTheTrap) {
  EXPECT_EQ(MaxLiveBytes(kGreedyTrap), 48u);
  EXPECT_EQ(AssignOffsetsGreedyBySize(kGreedyTrap).peak, 64u);
  EXPECT_EQ(Validate("hill_climb", kGreedyTrap, AssignOffsetsHillClimb(kGreedyTrap)), 48u);
  auto opt = AssignOffsetsOptimal(kGreedyTrap);
  ASSERT_TRUE(opt.ok());
  EXPECT_EQ(Validate("optimal", kGreedyTrap, *opt), 48u);
  EXPECT_EQ(BruteForcePeak(kGreedyTrap), 48u);
}

TEST(OffsetAlgorithms, GreedyBySizeIsBeatenOnASecondTrap) {
  // Units of 16: X(3, 3..5), Y(3, step 0), Z(1, 2..4), W(2, 0..2). Largest first stacks Z on
  // top of X and W (Z meets both), 6 units; the lower bound 5 units is reachable with Z at 0.
  const std::vector<UsageRecord> recs = {{48, 16, 3, 5}, {48, 16, 0, 0}, {16, 16, 2, 4}, {32, 16, 0, 2}};
  EXPECT_EQ(MaxLiveBytes(recs), 80u);
  EXPECT_EQ(AssignOffsetsGreedyBySize(recs).peak, 96u);
  EXPECT_EQ(Validate("hill_climb", recs, AssignOffsetsHillClimb(recs)), 80u);
  auto opt = AssignOffsetsOptimal(recs);
  ASSERT_TRUE(opt.ok());
  EXPECT_EQ(opt->peak, 80u);
}

TEST(OffsetAlgorithms, GreedyByBreadthPacksTheWidestStepFirst) {
  // Step 1 is widest (a 64 + b 32 + c 16); d (step 3) is the largest buffer but comes last.
  // Order a, b, c (step 1), then d: a 0, b 64, c 96, d 0 (meets nobody).
  const std::vector<UsageRecord> recs = {{64, 16, 0, 1}, {32, 16, 1, 2}, {16, 16, 1, 1}, {80, 16, 3, 3}};
  const std::vector<size_t> expected_order = {0, 1, 2, 3};
  EXPECT_EQ(GreedyByBreadthOrder(recs), expected_order);
  const OffsetAssignment a = AssignOffsetsGreedyByBreadth(recs);
  Validate("greedy_by_breadth", recs, a);
  EXPECT_EQ(a.offsets, (std::vector<uint64_t>{0, 64, 96, 0}));
  EXPECT_EQ(a.peak, 112u);
}

TEST(OffsetAlgorithms, AlignedLowerBoundCountsPadding) {
  // Three 20-byte buffers live together, 16-aligned: two of them are padded to 32 below the
  // third, so no assignment beats 84 although only 60 bytes are live.
  const std::vector<UsageRecord> recs = {{20, 16, 0, 1}, {20, 16, 1, 2}, {20, 16, 1, 1}};
  EXPECT_EQ(MaxLiveBytes(recs), 60u);
  EXPECT_EQ(AlignedLiveBytesLowerBound(recs), 84u);
  EXPECT_EQ(AssignOffsetsHillClimb(recs).peak, 84u);
  EXPECT_EQ(BruteForcePeak(recs), 84u);
  // A 1-aligned buffer live at the same step lowers the common alignment to 1: no padding.
  const std::vector<UsageRecord> mixed = {{20, 16, 0, 0}, {20, 1, 0, 0}};
  EXPECT_EQ(AlignedLiveBytesLowerBound(mixed), 40u);
  EXPECT_EQ(BruteForcePeak(mixed), 40u);
}

TEST(OffsetAlgorithms, FirstFitInGreedyOrderIsGreedyBySize) {
  std::mt19937 rng(77);
  for (int iter = 0; iter < 100; ++iter) {
    const auto recs = RandomRecords(rng, 30, 20);
    const OffsetAssignment a = AssignOffsetsGreedyBySize(recs);
    const OffsetAssignment b = AssignOffsetsFirstFit(recs, GreedyBySizeOrder(recs));
    EXPECT_EQ(a.offsets, b.offsets);
    EXPECT_EQ(a.peak, b.peak);
  }
}

TEST(OffsetAlgorithms, HillClimbIsDeterministicAndSeedIndependentInValidity) {
  std::mt19937 rng(5);
  for (int iter = 0; iter < 50; ++iter) {
    const auto recs = RandomRecords(rng, 60, 40);
    const OffsetAssignment a = AssignOffsetsHillClimb(recs);
    const OffsetAssignment b = AssignOffsetsHillClimb(recs);
    EXPECT_EQ(a.offsets, b.offsets);
    HillClimbOptions other;
    other.seed = 99;
    other.max_iterations = 300;
    const OffsetAssignment c = AssignOffsetsHillClimb(recs, other);
    Validate("hill_climb seed 99", recs, c);
    EXPECT_LE(c.peak, AssignOffsetsGreedyBySize(recs).peak);
  }
}

TEST(OffsetAlgorithms, OptimalRefusesLargeSets) {
  std::vector<UsageRecord> recs;
  for (size_t i = 0; i <= kOptimalMaxRecords; ++i) recs.push_back({16, 16, static_cast<int32_t>(i), static_cast<int32_t>(i) + 1});
  auto r = AssignOffsetsOptimal(recs);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("hill_climb"), std::string::npos) << r.status().message();
  recs.push_back({0, 16, 0, 0});  // empty buffers do not count towards the limit
  recs.erase(recs.begin());
  EXPECT_TRUE(AssignOffsetsOptimal(recs).ok());
}

TEST(OffsetAlgorithms, RandomSetsEveryAlgorithm) {
  std::mt19937 rng(20240611);
  int hill_beats_greedy = 0;
  for (int iter = 0; iter < 300; ++iter) {
    const auto recs = RandomRecords(rng, 40, 30);
    uint64_t peaks[4] = {};
    for (size_t k = 0; k < OffsetAlgorithmNames().size(); ++k) {
      const std::string& name = OffsetAlgorithmNames()[k];
      auto r = AssignOffsets(name, recs);
      if (name == "optimal" && !r.ok()) {
        EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument);
        peaks[k] = 0;
        continue;
      }
      ASSERT_TRUE(r.ok()) << name << ": " << r.status().message();
      peaks[k] = Validate(name + " iteration " + std::to_string(iter), recs, *r);
    }
    EXPECT_LE(peaks[2], peaks[0]) << "hill_climb worse than greedy_by_size, iteration " << iter;
    EXPECT_LE(peaks[2], peaks[1]) << "hill_climb worse than greedy_by_breadth, iteration " << iter;
    if (peaks[3] != 0) {
      EXPECT_LE(peaks[3], peaks[2]) << "iteration " << iter;
    }
    hill_beats_greedy += peaks[2] < peaks[0] ? 1 : 0;
  }
  EXPECT_GT(hill_beats_greedy, 0);  // the search does something on random sets
}

TEST(OffsetAlgorithms, OptimalEqualsBruteForceOnTinySets) {
  std::mt19937 rng(31337);
  int greedy_suboptimal = 0;
  for (int iter = 0; iter < 300; ++iter) {
    const auto recs = RandomRecords(rng, 7, 6);
    auto opt = AssignOffsetsOptimal(recs);
    ASSERT_TRUE(opt.ok()) << opt.status().message();
    Validate("optimal", recs, *opt);
    const uint64_t brute = BruteForcePeak(recs);
    EXPECT_EQ(opt->peak, brute) << "iteration " << iter;
    EXPECT_LE(AlignedLiveBytesLowerBound(recs), brute) << "iteration " << iter;
    EXPECT_GE(AlignedLiveBytesLowerBound(recs), MaxLiveBytes(recs)) << "iteration " << iter;
    EXPECT_GE(AssignOffsetsHillClimb(recs).peak, brute);
    greedy_suboptimal += AssignOffsetsGreedyBySize(recs).peak > brute ? 1 : 0;
  }
  EXPECT_GT(greedy_suboptimal, 0);
}

TEST(OffsetAlgorithms, OptimalOnFullSizeSets) {
  // Up to the record limit, with tight lifetimes like a network's; must finish and beat no bound.
  std::mt19937 rng(8);
  for (int iter = 0; iter < 40; ++iter) {
    std::vector<UsageRecord> recs;
    for (size_t i = 0; i < kOptimalMaxRecords; ++i) {
      const int32_t first = static_cast<int32_t>(rng() % 10);
      recs.push_back({16 * (1 + rng() % 16), 16, first, first + static_cast<int32_t>(rng() % 4)});
    }
    auto opt = AssignOffsetsOptimal(recs);
    ASSERT_TRUE(opt.ok());
    Validate("optimal", recs, *opt);
    EXPECT_LE(opt->peak, AssignOffsetsHillClimb(recs).peak);
  }
}

}  // namespace
}  // namespace tigris::planner
