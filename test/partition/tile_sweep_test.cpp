// Differential budget sweep over random tileable CNNs (gen_tile_models.py). Per model: the
// untiled plan (one unbounded pool; test/partition/tile_oracle.sh checks it against onnxruntime),
// tigris::min_budget with a slow pool, then compiles at a descending list of fast budgets from the
// untiled arena down to that minimum. At every budget: the outputs are bit-identical to the
// untiled plan's, the canary-measured fast high-water equals report.pool_used[0] (and the
// runtime's own figure) and fits the budget, and analyze() reports what compile() did. One
// budget below the minimum must fail with kBudgetExceeded. Compiles run in a forked probe first,
// so a compiler crash is one failed budget, not a lost sweep.
// With --below-names NODE the failure below the minimum must name node NODE (the op that sets it).
// Usage: partition_tile_sweep_test --models DIR --model tile7 [--budgets B1,LO-HI/STEP] [--strict-high-water]
//        [--below-names NODE]
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cinttypes>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "partition_test_util.h"

namespace tigris::partition_test {
namespace {

std::string& ModelName() {
  static std::string name;
  return name;
}
// --below-names NODE: the node compile must blame just below the minimum.
std::string& BelowNames() {
  static std::string name;
  return name;
}
// --budgets B1,B2,LO-HI/STEP: only these fast budgets (no min_budget search), for the bug reproductions.
std::vector<uint64_t>& FixedBudgets() {
  static std::vector<uint64_t> budgets;
  return budgets;
}

// Runs `f` in a forked child; returns its 64-bit result, or sets *signal when the child died.
uint64_t Probe(const std::function<uint64_t()>& f, int* signal) {
  *signal = 0;
  int fd[2];
  if (pipe(fd) != 0) return f();  // no isolation available: run in process
  std::fflush(stdout);
  const pid_t pid = fork();
  if (pid == 0) {
    close(fd[0]);
    const uint64_t v = f();
    const ssize_t w = write(fd[1], &v, sizeof v);
    _exit(w == static_cast<ssize_t>(sizeof v) ? 0 : 3);
  }
  close(fd[1]);
  uint64_t v = 0;
  const ssize_t got = read(fd[0], &v, sizeof v);
  close(fd[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (WIFSIGNALED(status))
    *signal = WTERMSIG(status);
  else if (got != static_cast<ssize_t>(sizeof v))
    *signal = -1;
  return v;
}

::testing::AssertionResult BitIdentical(const std::vector<ir::Tensor>& got,
                                        const std::vector<ir::Tensor>& want) {
  if (got.size() != want.size())
    return ::testing::AssertionFailure() << got.size() << " outputs vs " << want.size();
  for (size_t k = 0; k < got.size(); ++k) {
    if (got[k].name != want[k].name || got[k].shape != want[k].shape)
      return ::testing::AssertionFailure()
             << "output " << k << " is '" << got[k].name << "' " << ir::ShapeString(got[k].shape)
             << ", untiled '" << want[k].name << "' " << ir::ShapeString(want[k].shape);
    if (got[k].data != want[k].data) {
      size_t diff = 0;
      for (size_t i = 0; i + 4 <= got[k].data.size(); i += 4)
        diff += std::memcmp(&got[k].data[i], &want[k].data[i], 4) != 0;
      return ::testing::AssertionFailure()
             << "output '" << got[k].name << "': " << diff << " of " << got[k].data.size() / 4
             << " values differ from the untiled plan";
    }
  }
  return ::testing::AssertionSuccess();
}

// The report's stages as "normal, tiled 12x2, chain 4x6" (kind, strips x rows).
std::string StageKinds(const AnalysisReport& r) {
  std::string s;
  for (const StageReport& st : r.stages) {
    if (!s.empty()) s += ", ";
    s += st.kind;
    if (st.kind != "normal") s += " " + std::to_string(st.strips) + "x" + std::to_string(st.strip_rows);
  }
  return s;
}

// What a failure probably is, for the log (the fixed bugs tiling_tests.cmake lists came back).
std::string Hint(const std::string& msg, int signal) {
  if (signal == SIGSEGV)
    return " [regression? ChooseGroups indexed an empty GroupStrips when PlanStrips failed]";
  if (msg.find("plans need every dim") != std::string::npos || msg.find("reads a tensor of shape") != std::string::npos)
    return " [regression? a strip that reads only padding became a zero-row view]";
  if (msg.find("runtime rejects the plan") != std::string::npos)
    return " [regression? line-buffer rows dropped too early, or a channel strip cutting through conv groups]";
  return "";
}

TEST(TileSweep, EveryBudgetDownToTheMinimumIsBitIdenticalAndFits) {
  const std::string& model = ModelName();
  ASSERT_FALSE(model.empty()) << "pass --model NAME";
  ASSERT_TRUE(ModelsPresent(model)) << ModelPath(model)
                                    << " not found (the partition_tile_models fixture makes it)";
  const std::string path = ModelPath(model);

  // --- the untiled baseline
  auto untiled = compile(path, Pools({kGiB}));
  ASSERT_TRUE(untiled.ok()) << untiled.status().message();
  auto inputs = LoadInputs(model, untiled->bytes);
  ASSERT_TRUE(inputs.ok()) << inputs.status().message();
  RunOptions ro;
  ro.measure_high_water = true;
  auto base = run(untiled->bytes, *inputs, ro);
  ASSERT_TRUE(base.ok()) << base.status().message();
  const uint64_t untiled_arena = untiled->report.pool_used[0];
  EXPECT_EQ(base->high_water[0], untiled_arena) << "untiled: measured fast high-water vs pool_used[0]";
  EXPECT_EQ(untiled->report.n_stages, 1);
  std::printf("[%s] %" PRId64 " ops, untiled arena %" PRIu64 " bytes, %" PRIu64 " MACs\n", model.c_str(),
              untiled->report.n_ops, untiled_arena, untiled->report.model_macs);

  int sig = 0;
  std::vector<uint64_t> budgets;
  uint64_t b_min = 0;
  if (!FixedBudgets().empty()) {
    budgets = FixedBudgets();
  } else {
    // --- the smallest budget, as tigris::min_budget finds it (with a slow pool)
    auto compiles = [&](uint64_t budget) {  // in a probe: false when it fails or crashes
      int s = 0;
      const uint64_t code = Probe(
          [&] {
            auto c = compile(path, Pools({budget, kGiB}));
            return c.ok() ? uint64_t{0} : static_cast<uint64_t>(c.status().code()) + 1;
          },
          &s);
      return s == 0 && code == 0;
    };
    b_min = Probe(
        [&] {
          auto mb = min_budget(path, Pools({kGiB, kGiB}));
          return mb.ok() ? mb->min_budget : ~uint64_t{0};
        },
        &sig);
    if (sig != 0) {
      ADD_FAILURE() << "tigris::min_budget crashes (signal " << sig << ")" << Hint("", sig);
      // Go on with the same bisection over crash-proof compiles, so the other budgets still run.
      uint64_t lo = 0, hi = untiled_arena;
      while (hi - lo > 16) {
        const uint64_t mid = (lo + (hi - lo) / 2) / 16 * 16;
        if (mid <= lo) break;
        (compiles(mid) ? hi : lo) = mid;
      }
      b_min = hi;
      std::printf("[%s] min_budget crashes (signal %d); bisection over crash-proof compiles: %" PRIu64
                  " bytes\n",
                  model.c_str(), sig, b_min);
    }
    ASSERT_NE(b_min, ~uint64_t{0}) << "tigris::min_budget fails";
    ASSERT_GT(b_min, 0u) << "tigris::min_budget finds no working budget";
    ASSERT_LE(b_min, untiled_arena);
    std::printf("[%s] min_budget %" PRIu64 " bytes (%.1f%% of the untiled arena)\n", model.c_str(), b_min,
                100.0 * static_cast<double>(b_min) / static_cast<double>(untiled_arena));

    // --- descending budgets: the untiled arena, geometric steps, the minimum
    budgets = {untiled_arena};
    constexpr int kSteps = 10;
    for (int i = 1; i <= kSteps; ++i) {
      const double b =
          static_cast<double>(untiled_arena) *
          std::pow(static_cast<double>(b_min) / static_cast<double>(untiled_arena), i / double(kSteps));
      budgets.push_back(std::max(b_min, RoundUp(static_cast<uint64_t>(b), 16)));
    }
    budgets.push_back(b_min);
    std::sort(budgets.rbegin(), budgets.rend());
    budgets.erase(std::unique(budgets.begin(), budgets.end()), budgets.end());
  }

  std::printf("[%s] %10s %10s %11s %11s  %s\n", model.c_str(), "budget", "arena", "slow out", "slow in",
              "stages");
  int ok_budgets = 0;
  for (uint64_t budget : budgets) {
    SCOPED_TRACE(model + " at fast budget " + std::to_string(budget));
    const std::vector<uint64_t> pools{budget, kGiB};
    const uint64_t probed = Probe(
        [&] {
          auto c = compile(path, Pools(pools));
          return c.ok() ? uint64_t{0} : static_cast<uint64_t>(c.status().code()) + 1;
        },
        &sig);
    if (sig != 0) {
      ADD_FAILURE() << "compile crashes (signal " << sig << ") at budget " << budget << Hint("", sig);
      std::printf("[%s] %10" PRIu64 " CRASH (signal %d)\n", model.c_str(), budget, sig);
      continue;
    }
    (void)probed;
    auto c = compile(path, Pools(pools));
    if (!c.ok()) {
      ADD_FAILURE() << "budget " << budget
                    << (b_min ? " >= min_budget " + std::to_string(b_min) : std::string())
                    << " does not compile: " << c.status().message() << Hint(c.status().message(), 0);
      std::printf("[%s] %10" PRIu64 " FAILS: %s\n", model.c_str(), budget, c.status().message().c_str());
      continue;
    }
    const AnalysisReport& r = c->report;
    std::printf("[%s] %10" PRIu64 " %10" PRIu64 " %11" PRIu64 " %11" PRIu64 "  %s\n", model.c_str(), budget,
                r.pool_used[0], r.spill_bytes, r.reload_bytes, StageKinds(r).c_str());
    std::fflush(stdout);
    auto a = analyze(path, Pools(pools));
    ASSERT_TRUE(a.ok()) << a.status().message();
    EXPECT_TRUE(a->sram_fits);
    EXPECT_EQ(a->pool_used, r.pool_used);
    EXPECT_EQ(a->scheduled_peak, r.scheduled_peak);
    EXPECT_EQ(a->arena_lower_bound, r.arena_lower_bound);
    EXPECT_EQ(a->spill_bytes, r.spill_bytes);
    EXPECT_EQ(a->reload_bytes, r.reload_bytes);
    EXPECT_EQ(a->executed_macs, r.executed_macs);
    EXPECT_EQ(a->kernel_calls, r.kernel_calls);
    EXPECT_EQ(a->plan_bytes, r.plan_bytes);
    EXPECT_EQ(a->plan_bytes, c->bytes.size());
    ASSERT_EQ(a->stages.size(), r.stages.size());
    for (size_t s = 0; s < r.stages.size(); ++s) {
      EXPECT_EQ(a->stages[s].kind, r.stages[s].kind) << "stage " << s;
      EXPECT_EQ(a->stages[s].first_op, r.stages[s].first_op) << "stage " << s;
      EXPECT_EQ(a->stages[s].last_op, r.stages[s].last_op) << "stage " << s;
      EXPECT_EQ(a->stages[s].fast_peak, r.stages[s].fast_peak) << "stage " << s;
      EXPECT_EQ(a->stages[s].strips, r.stages[s].strips) << "stage " << s;
      EXPECT_EQ(a->stages[s].strip_rows, r.stages[s].strip_rows) << "stage " << s;
      EXPECT_EQ(a->stages[s].spill_bytes, r.stages[s].spill_bytes) << "stage " << s;
      EXPECT_EQ(a->stages[s].reload_bytes, r.stages[s].reload_bytes) << "stage " << s;
    }
    auto m = run(c->bytes, *inputs, ro);
    ASSERT_TRUE(m.ok()) << "run: " << m.status().message();
    EXPECT_TRUE(BitIdentical(m->outputs, base->outputs));
    ASSERT_FALSE(m->high_water.empty());
    EXPECT_EQ(m->high_water[0], r.pool_used[0]) << "measured fast high-water vs report.pool_used[0]";
    EXPECT_LE(m->high_water[0], budget) << "measured fast high-water exceeds the budget";
    EXPECT_LE(r.pool_used[0], budget);
    ASSERT_FALSE(m->reported_high_water.empty());
    EXPECT_EQ(m->reported_high_water[0], m->high_water[0]) << "tgrs_plan_high_water vs measured";
    for (size_t p = 1; p < m->high_water.size() && p < r.pool_used.size(); ++p)
      EXPECT_LE(m->high_water[p], r.pool_used[p]) << "pool " << p;
    if (budget >= untiled_arena) {
      EXPECT_EQ(r.spill_bytes + r.reload_bytes, 0u) << "moves data although the untiled plan fits";
      EXPECT_TRUE(BitIdentical(m->outputs, base->outputs));
    }
    ++ok_budgets;
  }

  // --- below the minimum: kBudgetExceeded, not another error (nor a crash)
  if (FixedBudgets().empty() && b_min > 16) {
    const uint64_t below = b_min - 16;
    const uint64_t code = Probe(
        [&] {
          auto c = compile(path, Pools({below, kGiB}));
          return c.ok() ? uint64_t{0} : static_cast<uint64_t>(c.status().code()) + 1;
        },
        &sig);
    if (sig != 0) {
      ADD_FAILURE() << "compile crashes (signal " << sig << ") at " << below << Hint("", sig);
    } else {
      auto c = compile(path, Pools({below, kGiB}));
      EXPECT_FALSE(c.ok()) << "budget " << below << " < min_budget " << b_min << " compiles";
      if (!c.ok()) {
        EXPECT_EQ(c.status().code(), ErrorCode::kBudgetExceeded)
            << "below min_budget: " << c.status().message() << Hint(c.status().message(), 0);
        if (!BelowNames().empty()) {
          EXPECT_NE(c.status().message().find("node '" + BelowNames() + "'"), std::string::npos)
              << "below min_budget the failure should name node '" << BelowNames() << "': " << c.status().message();
        }
      }
      (void)code;
      std::printf("[%s] %10" PRIu64 " (below the minimum) %s\n", model.c_str(), below,
                  c.ok() ? "compiles" : c.status().message().c_str());
    }
  }
  std::printf("[%s] %d of %zu budgets compiled, ran bit-identical checks\n", model.c_str(), ok_budgets,
              budgets.size());
  ::testing::Test::RecordProperty("budgets", static_cast<int>(budgets.size()));
}

}  // namespace
}  // namespace tigris::partition_test

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  tigris::partition_test::ParseModelDirFlag(argc, argv);
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::string(argv[i]) == "--model") tigris::partition_test::ModelName() = argv[i + 1];
    if (std::string(argv[i]) == "--below-names") tigris::partition_test::BelowNames() = argv[i + 1];
  }
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::string(argv[i]) != "--budgets") continue;
    // B1,B2,... and ranges LO-HI/STEP
    std::string list = argv[i + 1];
    for (size_t pos = 0; pos <= list.size();) {
      size_t comma = list.find(',', pos);
      if (comma == std::string::npos) comma = list.size();
      const std::string item = list.substr(pos, comma - pos);
      unsigned long long lo = 0, hi = 0, step = 0;
      if (std::sscanf(item.c_str(), "%llu-%llu/%llu", &lo, &hi, &step) == 3 && step > 0) {
        for (unsigned long long b = lo; b <= hi; b += step)
          tigris::partition_test::FixedBudgets().push_back(b);
      } else if (!item.empty()) {
        tigris::partition_test::FixedBudgets().push_back(std::strtoull(item.c_str(), nullptr, 10));
      }
      pos = comma + 1;
    }
  }
  return RUN_ALL_TESTS();
}
