// Regression table of memory per model and fast budget (expected_peaks.txt): fails when a row's
// arena, scheduled peak or spill+reload bytes grew, or when the row no longer compiles; prints
// improved rows without failing. --update / TIGRIS_UPDATE_PEAKS=1 rewrites the table from the compiler.
//
// Tiled rows below the untiled arena only require arena <= budget (strips grow to fill it) and
// no more slow traffic; every other row requires that nothing grew.
//
// Row: `model mode fast_budget scheduled_peak arena stages spill_bytes reload_bytes`. mode
// `temporal` compiles with --no-tiling (temporal partitioning alone), `tiled` with tiling.
// fast_budget `untiled` compiles with one 1 GiB pool (the model-level row); a number compiles with
// pools {fast_budget, 1 GiB}. --update keeps each model's budgets; --repick (or a model with no
// rows) chooses them again: temporal: the untiled arena, three budgets between it and the
// temporal B_min, and B_min + 2 %; tiled: 256K, 64K and 16K below the untiled arena and the tiled
// B_min + 2 %.
#include <gtest/gtest.h>
#include <sys/file.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "partition_test_util.h"

namespace tigris::partition_test {
namespace {

const char* const kModels[] = {"ds_cnn", "mobilenet_v1", "mobilenet_v2", "yolov5n_like", "unet_like", "lstm_kws"};
constexpr uint64_t kUntiled = 0;  // fast_budget column "untiled"

bool g_update = false;
bool g_repick = false;

std::string TablePath() {
  const char* env = std::getenv("TIGRIS_PEAKS_TABLE");
  return env ? env : "";
}

struct Row {
  std::string model;
  bool tiled = true;
  uint64_t fast_budget = kUntiled;
  uint64_t scheduled_peak = 0;
  uint64_t arena = 0;
  int64_t stages = 0;
  uint64_t spill_bytes = 0;
  uint64_t reload_bytes = 0;
};

const char kHeader[] =
    "# Expected fast memory per model and fast budget; checked by test/partition/peaks_table_test.cpp.\n"
    "# A row fails when it stops compiling or its spill_bytes+reload_bytes grow; untiled and temporal rows also\n"
    "# when arena or scheduled_peak grow, tiled rows when the arena exceeds the budget.\n"
    "# mode 'temporal' = --no-tiling, 'tiled' = spatial/chain tiling allowed.\n"
    "# fast_budget 'untiled' = one 1 GiB pool; a number = pools {fast_budget, 1 GiB}. Bytes throughout.\n"
    "# Regenerate: TIGRIS_UPDATE_PEAKS=1 ctest -L partition -R peaks  (or the binary with --update [--repick]).\n"
    "# model mode fast_budget scheduled_peak arena stages spill_bytes reload_bytes\n";

std::string FormatRow(const Row& r) {
  char buf[256];
  std::snprintf(buf, sizeof buf, "%s %s %s %" PRIu64 " %" PRIu64 " %" PRId64 " %" PRIu64 " %" PRIu64, r.model.c_str(),
                r.tiled ? "tiled" : "temporal", r.fast_budget == kUntiled ? "untiled" : std::to_string(r.fast_budget).c_str(),
                r.scheduled_peak, r.arena, r.stages, r.spill_bytes, r.reload_bytes);
  return buf;
}

// Parses the table text; malformed lines are reported in `error`.
std::vector<Row> ParseTable(const std::string& text, std::string* error) {
  std::vector<Row> rows;
  std::istringstream in(text);
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty() || line[0] == '#') continue;
    std::istringstream ls(line);
    Row r;
    std::string mode, budget, extra;
    if (!(ls >> r.model >> mode >> budget >> r.scheduled_peak >> r.arena >> r.stages >> r.spill_bytes >> r.reload_bytes) ||
        (ls >> extra) || (mode != "tiled" && mode != "temporal")) {
      *error += "line " + std::to_string(line_no) + ": expected 8 columns (mode tiled|temporal): '" + line + "'\n";
      continue;
    }
    r.tiled = mode == "tiled";
    if (budget == "untiled") {
      r.fast_budget = kUntiled;
    } else if (budget.find_first_not_of("0123456789") == std::string::npos) {
      r.fast_budget = std::stoull(budget);
    } else {
      *error += "line " + std::to_string(line_no) + ": bad fast_budget '" + budget + "'\n";
      continue;
    }
    rows.push_back(r);
  }
  return rows;
}

std::string ReadText(const std::string& path) {
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

Expected<Row> Measure(const std::string& model, bool tiled, uint64_t fast_budget) {
  CompileOptions opt = fast_budget == kUntiled ? Pools({kGiB}) : Pools({fast_budget, kSlowPool});
  opt.tiling = tiled;
  auto a = compile(ModelPath(model), opt);
  if (!a) return a.status();
  Row r;
  r.model = model;
  r.tiled = tiled;
  r.fast_budget = fast_budget;
  r.scheduled_peak = a->report.scheduled_peak;
  r.arena = a->report.pool_used[0];
  r.stages = a->report.n_stages;
  r.spill_bytes = a->report.spill_bytes;
  r.reload_bytes = a->report.reload_bytes;
  return r;
}

// The budgets a model's rows are taken at (see the file comment).
Expected<std::vector<uint64_t>> PickBudgets(const std::string& model, bool tiled) {
  auto untiled = Measure(model, tiled, kUntiled);
  if (!untiled) return untiled.status();
  std::vector<uint64_t> budgets{kUntiled};
  if (tiled) {
    CompileOptions opt = Pools({kGiB, kSlowPool});
    auto mb = min_budget(ModelPath(model), opt);
    if (!mb) return mb.status();
    for (uint64_t b : {uint64_t{262144}, uint64_t{65536}, uint64_t{16384}})
      if (b < untiled->arena && b > mb->min_budget) budgets.push_back(b);
    budgets.push_back(RoundUp(static_cast<uint64_t>(static_cast<double>(mb->min_budget) * 1.02), 16));
  } else {
    auto a = analyze(ModelPath(model), Pools({kGiB, kGiB}));
    if (!a) return a.status();
    uint64_t lo = a->min_fast_budget - 1, hi = untiled->arena;
    while (hi - lo > 16) {
      const uint64_t mid = lo + (hi - lo) / 2;
      (Measure(model, false, mid).ok() ? hi : lo) = mid;
    }
    const uint64_t b_min = hi;
    budgets.push_back(untiled->arena);
    for (int k = 3; k >= 1; --k) {
      const double b = b_min * std::pow(static_cast<double>(untiled->arena) / b_min, k / 4.0);
      budgets.push_back(RoundUp(static_cast<uint64_t>(b), 1024));
    }
    budgets.push_back(RoundUp(static_cast<uint64_t>(b_min * 1.02), 1024));
  }
  // Rounding can collide or climb past the arena (models whose arena is one op's need): keep each
  // budget once and none above the untiled arena, which already has its row.
  std::vector<uint64_t> out{kUntiled};
  for (size_t i = 1; i < budgets.size(); ++i)
    if (budgets[i] <= untiled->arena && std::find(out.begin(), out.end(), budgets[i]) == out.end())
      out.push_back(budgets[i]);
  return out;
}

// Replaces `model`'s rows in the table file, under an exclusive lock (ctest runs models in parallel).
void WriteModelRows(const std::string& model, bool tiled, const std::vector<Row>& fresh) {
  const std::string path = TablePath();
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT, 0644);
  ASSERT_GE(fd, 0) << "cannot open " << path;
  ::flock(fd, LOCK_EX);
  std::string error;
  std::vector<Row> rows = ParseTable(ReadText(path), &error);
  std::vector<Row> out;
  bool placed = false;
  for (const Row& r : rows) {
    if (r.model != model || r.tiled != tiled) {
      out.push_back(r);
    } else if (!placed) {
      out.insert(out.end(), fresh.begin(), fresh.end());
      placed = true;
    }
  }
  if (!placed) out.insert(out.end(), fresh.begin(), fresh.end());
  std::string text = kHeader;
  for (const Row& r : out) text += FormatRow(r) + "\n";
  {
    std::ofstream f(path, std::ios::trunc);
    f << text;
  }
  ::flock(fd, LOCK_UN);
  ::close(fd);
}

class PeaksTable : public ::testing::TestWithParam<std::tuple<const char*, bool>> {};

TEST_P(PeaksTable, NoRegression) {
  const std::string model = std::get<0>(GetParam());
  const bool tiled = std::get<1>(GetParam());
  ASSERT_TRUE(ModelsPresent(model)) << "model " << ModelPath(model)
                                    << " not found: set TIGRIS_PARTITION_MODEL_DIR or --models";
  ASSERT_FALSE(TablePath().empty()) << "set TIGRIS_PEAKS_TABLE to test/partition/expected_peaks.txt";
  std::string error;
  const std::vector<Row> table = ParseTable(ReadText(TablePath()), &error);
  EXPECT_TRUE(error.empty()) << TablePath() << ":\n" << error;
  std::vector<Row> expected;
  for (const Row& r : table)
    if (r.model == model && r.tiled == tiled) expected.push_back(r);

  if (g_update) {
    std::vector<uint64_t> budgets;
    if (g_repick || expected.empty()) {
      auto picked = PickBudgets(model, tiled);
      ASSERT_TRUE(picked.ok()) << picked.status().message();
      budgets = *picked;
    } else {
      for (const Row& r : expected) budgets.push_back(r.fast_budget);
    }
    std::vector<Row> fresh;
    for (uint64_t b : budgets) {
      auto row = Measure(model, tiled, b);
      ASSERT_TRUE(row.ok()) << model << " at " << b << ": " << row.status().message();
      std::printf("updated: %s\n", FormatRow(*row).c_str());
      fresh.push_back(*row);
    }
    WriteModelRows(model, tiled, fresh);
    return;
  }

  ASSERT_FALSE(expected.empty()) << "no " << (tiled ? "tiled" : "temporal") << " rows for " << model << " in " << TablePath()
                                 << " (add them with TIGRIS_UPDATE_PEAKS=1)";
  ASSERT_EQ(expected.front().fast_budget, kUntiled) << model << ": the first row must be the untiled one";
  for (const Row& want : expected) {
    const std::string where = model + (tiled ? " tiled" : " temporal") + " @ " +
                              (want.fast_budget == kUntiled ? "untiled" : std::to_string(want.fast_budget));
    auto got = Measure(model, tiled, want.fast_budget);
    if (!got.ok()) {
      ADD_FAILURE() << where << " no longer compiles: " << got.status().message();
      continue;
    }
    const uint64_t want_moved = want.spill_bytes + want.reload_bytes;
    const uint64_t got_moved = got->spill_bytes + got->reload_bytes;
    // A tiled plan may use more of its budget to move less (strips grow to fill it): there the
    // arena only has to fit the budget, and the slow traffic must not grow.
    const bool strict = !tiled || want.fast_budget == kUntiled;
    bool worse = got_moved > want_moved;
    EXPECT_LE(got_moved, want_moved) << where << ": spill+reload bytes grew";
    if (strict) {
      EXPECT_LE(got->arena, want.arena) << where << ": arena grew";
      EXPECT_LE(got->scheduled_peak, want.scheduled_peak) << where << ": scheduled peak grew";
      worse = worse || got->arena > want.arena || got->scheduled_peak > want.scheduled_peak;
    } else {
      EXPECT_LE(got->arena, want.fast_budget) << where << ": the arena exceeds the budget";
      worse = worse || got->arena > want.fast_budget;
    }
    const bool better = got->arena < want.arena || got->scheduled_peak < want.scheduled_peak || got_moved < want_moved;
    const char* tag = worse ? "REGRESSED" : better ? "improved" : "same";
    std::printf("%-9s %s\n          table: %s\n", tag, FormatRow(*got).c_str(), FormatRow(want).c_str());
    if (better && !worse)
      std::printf("          (improved: regenerate with TIGRIS_UPDATE_PEAKS=1 ctest -L partition -R peaks)\n");
    if (got->stages != want.stages) std::printf("          stages %" PRId64 " -> %" PRId64 "\n", want.stages, got->stages);
  }
}

INSTANTIATE_TEST_SUITE_P(Models, PeaksTable, ::testing::Combine(::testing::ValuesIn(kModels), ::testing::Bool()),
                         [](const ::testing::TestParamInfo<std::tuple<const char*, bool>>& p) {
                           return std::string(std::get<0>(p.param)) + (std::get<1>(p.param) ? "_tiled" : "_temporal");
                         });

}  // namespace
}  // namespace tigris::partition_test

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  tigris::partition_test::ParseModelDirFlag(argc, argv);
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--update") tigris::partition_test::g_update = true;
    if (a == "--repick") tigris::partition_test::g_update = tigris::partition_test::g_repick = true;
    if (a == "--table" && i + 1 < argc) ::setenv("TIGRIS_PEAKS_TABLE", argv[i + 1], 1);
  }
  if (const char* env = std::getenv("TIGRIS_UPDATE_PEAKS"); env && std::string(env) == "1")
    tigris::partition_test::g_update = true;
  return RUN_ALL_TESTS();
}
