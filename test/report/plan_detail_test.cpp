// The detail behind the HTML report (AnalysisReport::ops, steps, flash_sections, weights) must
// agree with the figures analyze prints: the live-bytes timeline peaks at the scheduled peak,
// every stage's fast peak is the max over its steps, the spill/reload steps add up to the
// reported bytes, the sections tile the plan image. Also: escaping and the atomic writer.
// Usage: html_report_detail_test MODELS_DIR   (holds mobilenet_v1.onnx and ds_cnn.onnx)
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

#include "tigris/tigris.h"

namespace {

std::string g_models;

tigris::AnalysisReport Analyze(const std::string& model, std::vector<uint64_t> pools) {
  tigris::CompileOptions opt;
  opt.pools = std::move(pools);
  opt.xip = true;  // the pool peaks of the schedule alone, no stage buffers
  auto r = tigris::analyze(g_models + "/" + model + ".onnx", opt);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? *r : tigris::AnalysisReport{};
}

void ExpectConsistent(const tigris::AnalysisReport& r) {
  ASSERT_TRUE(r.sram_fits);
  ASSERT_FALSE(r.steps.empty());
  EXPECT_EQ(r.ops.size(), static_cast<size_t>(r.n_ops));
  uint64_t peak = 0, spill = 0, reload = 0, calls = 0;
  for (const tigris::StepReport& s : r.steps) {
    ASSERT_EQ(s.live.size(), r.pool_budget.size());
    peak = std::max(peak, s.live[0]);
    for (size_t p = 0; p < s.live.size(); ++p)
      EXPECT_LE(s.live[p], r.pool_used[p]) << "live bytes above the arena";
    if (s.kind == "spill") spill += s.bytes * s.count;
    if (s.kind == "reload") reload += s.bytes * s.count;
    if (s.kind != "loop") calls += s.count;
    if (s.kind == "op") {
      EXPECT_GE(s.model_op, 0) << s.node;
    }
  }
  EXPECT_EQ(peak, r.scheduled_peak);
  EXPECT_EQ(spill, r.spill_bytes);
  EXPECT_EQ(reload, r.reload_bytes);
  EXPECT_EQ(calls, r.kernel_calls);
  for (size_t i = 0; i < r.stages.size(); ++i) {
    const tigris::StageReport& st = r.stages[i];
    uint64_t stage_peak = 0;
    for (uint32_t k = st.first_op; k <= st.last_op; ++k) {
      ASSERT_LT(k, r.steps.size());
      EXPECT_EQ(r.steps[k].stage, static_cast<int32_t>(i));
      stage_peak = std::max(stage_peak, r.steps[k].live[0]);
    }
    EXPECT_EQ(stage_peak, st.fast_peak) << "stage " << i;
  }
  uint64_t macs = 0;
  for (const tigris::OpReport& op : r.ops) {
    macs += op.macs;
    EXPECT_GE(op.stage, 0) << op.name;
    EXPECT_GE(op.kernel_calls, 1u) << op.name;
    EXPECT_FALSE(op.pool.empty()) << op.name;
  }
  EXPECT_EQ(macs, r.model_macs);
  // The sections tile the image exactly; the weights lie inside the weights section.
  uint64_t cursor = 0, weights_section = 0;
  for (const tigris::FlashSection& s : r.flash_sections) {
    EXPECT_EQ(s.offset, cursor) << s.name;
    cursor = s.offset + s.bytes;
    if (s.name == "weights") weights_section = s.bytes;
    // Padding only aligns sections: a larger gap is a section the report does not know about.
    if (s.name == "padding") {
      EXPECT_LT(s.bytes, 16u) << "unnamed " << s.bytes << " bytes at " << s.offset;
    }
  }
  EXPECT_EQ(cursor, r.plan_bytes);
  uint64_t weights = 0;
  for (const tigris::WeightReport& w : r.weights) {
    EXPECT_LE(w.offset + w.bytes, weights_section) << w.name;
    weights += w.bytes;
  }
  EXPECT_EQ(weights, r.weight_bytes);
}

TEST(PlanDetail, MobileNetV1TiledWithSpillsAgreesWithTheFigures) {
  const auto r = Analyze("mobilenet_v1", {64 << 10, 8 << 20});
  ExpectConsistent(r);
  EXPECT_GT(r.spill_bytes, 0u);
  bool chain = false, line_buffer = false;
  for (const auto& st : r.stages) chain = chain || st.kind == "chain";
  for (const auto& op : r.ops) line_buffer = line_buffer || op.pool == "line buffer";
  EXPECT_TRUE(chain);
  EXPECT_TRUE(line_buffer) << "a chain's intermediates exist only as line buffers";
}

TEST(PlanDetail, DsCnnUntiledAgreesWithTheFigures) { ExpectConsistent(Analyze("ds_cnn", {256 << 10})); }

TEST(PlanDetail, ModelThatDoesNotFitShowsTheUnboundedPlan) {
  const auto r = Analyze("mobilenet_v1", {64 << 10});
  ASSERT_FALSE(r.sram_fits);
  EXPECT_TRUE(r.steps_untiled);
  ASSERT_FALSE(r.steps.empty());
  uint64_t peak = 0;
  for (const auto& s : r.steps) peak = std::max(peak, s.live[0]);
  EXPECT_EQ(peak, r.unpartitioned_peak) << "the unbounded plan peaks at the op order's peak";
  EXPECT_GT(peak, r.pool_budget[0]);
  EXPECT_EQ(r.ops.size(), static_cast<size_t>(r.n_ops));
}

TEST(HtmlReport, EscapesModelStrings) {
  auto r = Analyze("ds_cnn", {256 << 10});
  r.model_name = "<script>x</script>";
  r.ops.at(0).name = "a&b\"<i>'";
  const std::string html = tigris::ReportToHtml(r);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<i>"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;x&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("a&amp;b&quot;&lt;i&gt;&#39;"), std::string::npos);
  for (const char* ref : {"src=", "href=", "url(", "@import", "<script", "<link"})
    EXPECT_EQ(html.find(ref), std::string::npos) << "no script and no external resource: " << ref;
}

TEST(HtmlReport, FailedWriteLeavesNothing) {
  const auto dir = std::filesystem::temp_directory_path() / ("tigris_html_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir / "target_is_a_dir");
  const auto r = Analyze("ds_cnn", {256 << 10});
  const tigris::Status bad = tigris::write_html_report(r, (dir / "missing" / "r.html").string());
  EXPECT_EQ(bad.code(), tigris::ErrorCode::kIoError);
  EXPECT_NE(bad.message().find("missing/r.html"), std::string::npos) << bad.message();
  EXPECT_EQ(tigris::write_html_report(r, (dir / "target_is_a_dir").string()).code(),
            tigris::ErrorCode::kIoError);
  std::ofstream(dir / "kept.html") << "old";
  ASSERT_TRUE(tigris::write_html_report(r, (dir / "kept.html").string()).ok());
  size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) files += e.is_regular_file();
  EXPECT_EQ(files, 1u) << "only kept.html: no temporary file left";
  EXPECT_GT(std::filesystem::file_size(dir / "kept.html"), 3u);
  std::filesystem::remove_all(dir);
}

}  // namespace

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  if (argc != 2) {
    std::fprintf(stderr, "usage: html_report_detail_test MODELS_DIR\n");
    return 2;
  }
  g_models = argv[1];
  return RUN_ALL_TESTS();
}
