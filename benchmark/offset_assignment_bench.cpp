// Offset-assignment algorithms on synthetic CNN-like usage records (a chain with residual skips
// and per-op scratch, 50/200/1000 records): time per algorithm, then a table of peak vs the
// lower bound (live bytes, tightened by alignment). Deterministic inputs (fixed seed); only the timings vary by machine.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "tigris/planner/usage_records.h"

namespace tigris::planner {
namespace {

// A MobileNet-like chain: four stages whose activations halve in bytes (spatial /4, channels x2)
// with odd channel counts so sizes are not multiples of the alignment. Each op writes one
// activation read by the next op; every third op's input is also read by a residual add two ops
// later; one op in four has an im2col-style scratch buffer live only during that op.
std::vector<UsageRecord> CnnLikeRecords(size_t count, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<UsageRecord> recs;
  const uint64_t stage_bytes[4] = {112 * 112 * 24, 56 * 56 * 40, 28 * 28 * 80, 14 * 14 * 160};
  int32_t step = 0;
  while (recs.size() < count) {
    const size_t stage = std::min<size_t>(3, recs.size() * 4 / count);
    const uint64_t base = stage_bytes[stage] / 4;
    UsageRecord act;
    act.size = base + (rng() % 8) * (base / 16) + rng() % 13;  // expansion layers are wider
    act.align = 16;
    act.first = step;
    act.last = step + (step % 3 == 0 ? 3 : 1);
    recs.push_back(act);
    if (step % 4 == 1 && recs.size() < count) {
      const uint64_t scratch = base / 2 + rng() % 97;
      recs.push_back({scratch, 16, step, step});
    }
    ++step;
  }
  return recs;
}

struct Algorithm {
  const char* name;
  bool limited;  // "optimal" refuses sets above kOptimalMaxRecords
};

void BM_Assign(benchmark::State& state, std::string name) {
  const auto recs = CnnLikeRecords(static_cast<size_t>(state.range(0)), 42);
  uint64_t peak = 0;
  for (auto _ : state) {
    auto r = AssignOffsets(name, recs);
    if (!r.ok()) {
      state.SkipWithError(r.status().message().c_str());
      return;
    }
    peak = r->peak;
    benchmark::DoNotOptimize(peak);
  }
  const uint64_t lower = AlignedLiveBytesLowerBound(recs);
  state.counters["peak"] = static_cast<double>(peak);
  state.counters["lower_bound"] = static_cast<double>(lower);
  state.counters["ratio"] = static_cast<double>(peak) / static_cast<double>(lower);
}

void PrintTable() {
  std::printf("\nPeak / lower bound (AlignedLiveBytesLowerBound) on CNN-like chains with residuals, seed 42:\n");
  std::printf("%-18s %8s %12s %12s %12s %8s\n", "algorithm", "records", "peak", "live_bytes", "lower_bound",
              "ratio");
  for (const size_t n : {size_t{10}, size_t{50}, size_t{200}, size_t{1000}}) {
    const auto recs = CnnLikeRecords(n, 42);
    const uint64_t lower = AlignedLiveBytesLowerBound(recs);
    const auto live = static_cast<unsigned long long>(MaxLiveBytes(recs));
    for (const std::string& name : OffsetAlgorithmNames()) {
      auto r = AssignOffsets(name, recs);
      if (!r.ok()) {
        std::printf("%-18s %8zu %12s %12llu %12llu %8s\n", name.c_str(), n, "refused", live,
                    static_cast<unsigned long long>(lower), "-");
        continue;
      }
      std::printf("%-18s %8zu %12llu %12llu %12llu %8.4f\n", name.c_str(), n, static_cast<unsigned long long>(r->peak),
                  live, static_cast<unsigned long long>(lower), static_cast<double>(r->peak) / static_cast<double>(lower));
    }
  }
}

}  // namespace
}  // namespace tigris::planner

int main(int argc, char** argv) {
  using tigris::planner::OffsetAlgorithmNames;
  for (const std::string& name : OffsetAlgorithmNames()) {
    auto* b = benchmark::RegisterBenchmark(("assign/" + name).c_str(), tigris::planner::BM_Assign, name);
    b->Unit(benchmark::kMicrosecond);
    if (name == "optimal")
      b->Arg(10);
    else
      b->Arg(10)->Arg(50)->Arg(200)->Arg(1000);
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  tigris::planner::PrintTable();
  return 0;
}
