// Offset assignment over usage records: known small answers, the checker catching bad
// assignments, and random record sets whose greedy offsets must pass the checker.
#include <gtest/gtest.h>

#include <random>

#include "tigris/planner/usage_records.h"

namespace tigris::planner {
namespace {

TEST(UsageRecords, ChainReusesTwoBuffers) {
  // a(0..1) -> b(1..2) -> c(2..3): a and c never meet, so they share bytes.
  const std::vector<UsageRecord> recs = {{64, 16, 0, 1}, {64, 16, 1, 2}, {64, 16, 2, 3}};
  const OffsetAssignment a = AssignOffsetsGreedyBySize(recs);
  ASSERT_TRUE(CheckNoOverlap(recs, a.offsets).ok());
  EXPECT_EQ(a.peak, 128u);
  EXPECT_EQ(a.offsets[0], a.offsets[2]);
  EXPECT_EQ(MaxLiveBytes(recs), 128u);
}

TEST(UsageRecords, FirstFitUsesTheGapBetweenBuffers) {
  // Largest first: big(0..2) at 0, mid(0..0) at 100->112 (aligned), small(2..2) fits at 112 too
  // (mid is dead at step 2), tiny(1..1) also at 112.
  const std::vector<UsageRecord> recs = {{100, 16, 0, 2}, {50, 16, 0, 0}, {40, 16, 2, 2}, {8, 16, 1, 1}};
  const OffsetAssignment a = AssignOffsetsGreedyBySize(recs);
  ASSERT_TRUE(CheckNoOverlap(recs, a.offsets).ok());
  EXPECT_EQ(a.offsets[0], 0u);
  EXPECT_EQ(a.offsets[1], 112u);
  EXPECT_EQ(a.offsets[2], 112u);
  EXPECT_EQ(a.offsets[3], 112u);
  EXPECT_EQ(a.peak, 162u);
}

TEST(UsageRecords, FillsAHoleBelowALaterBuffer) {
  // y(0..1) is largest and goes to 0; x(0..0) lands above it at 64; z(1..1) only has to
  // avoid y, so it reuses x's bytes at 64.
  const std::vector<UsageRecord> recs = {{32, 16, 0, 0}, {64, 16, 0, 1}, {32, 16, 1, 1}};
  const OffsetAssignment a = AssignOffsetsGreedyBySize(recs);
  ASSERT_TRUE(CheckNoOverlap(recs, a.offsets).ok());
  EXPECT_EQ(a.offsets[1], 0u);
  EXPECT_EQ(a.offsets[0], 64u);
  EXPECT_EQ(a.offsets[2], 64u);
  EXPECT_EQ(a.peak, 96u);
}

TEST(UsageRecords, CheckerRejectsOverlapAndMisalignment) {
  const std::vector<UsageRecord> recs = {{32, 16, 0, 1}, {32, 16, 1, 2}};
  EXPECT_FALSE(CheckNoOverlap(recs, {0, 16}).ok());   // live together at step 1, bytes 16..31 shared
  EXPECT_TRUE(CheckNoOverlap(recs, {0, 32}).ok());
  EXPECT_FALSE(CheckNoOverlap(recs, {0, 40}).ok());   // not 16-aligned
  EXPECT_FALSE(CheckNoOverlap(recs, {0}).ok());       // wrong count
  const std::vector<UsageRecord> disjoint = {{32, 16, 0, 0}, {32, 16, 1, 1}};
  EXPECT_TRUE(CheckNoOverlap(disjoint, {0, 0}).ok());
  const Status st = CheckNoOverlap(recs, {0, 16});
  EXPECT_NE(st.message().find("overlaps"), std::string::npos) << st.message();
}

TEST(UsageRecords, UnknownAlgorithmIsAnError) {
  auto r = AssignOffsets("best_fit_magic", {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(AssignOffsets("greedy_by_size", {}).ok());
}

TEST(UsageRecords, RandomRecordSetsPassTheChecker) {
  std::mt19937 rng(1234);
  for (int iter = 0; iter < 500; ++iter) {
    const int n = 1 + static_cast<int>(rng() % 40);
    const int steps = 1 + static_cast<int>(rng() % 30);
    std::vector<UsageRecord> recs;
    for (int i = 0; i < n; ++i) {
      UsageRecord r;
      r.first = static_cast<int32_t>(rng() % static_cast<unsigned>(steps));
      r.last = r.first + static_cast<int32_t>(rng() % 6);
      r.size = rng() % 5 == 0 ? 0 : 1 + rng() % 4096;
      r.align = 1u << (rng() % 6);
      recs.push_back(r);
    }
    const OffsetAssignment a = AssignOffsetsGreedyBySize(recs);
    const Status st = CheckNoOverlap(recs, a.offsets);
    ASSERT_TRUE(st.ok()) << "iteration " << iter << ": " << st.message();
    EXPECT_GE(a.peak, MaxLiveBytes(recs));
    uint64_t high = 0;
    for (size_t i = 0; i < recs.size(); ++i) high = std::max(high, a.offsets[i] + recs[i].size);
    EXPECT_EQ(a.peak, high);
  }
}

}  // namespace
}  // namespace tigris::planner
