// `analyze --html`: one self-contained HTML page (inline SVG and CSS; no script, no network,
// no external font) drawn from an AnalysisReport. Every string that comes from the model (node,
// tensor and model names) is HTML-escaped; every SVG coordinate is finite and inside its viewBox.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "tigris/tigris.h"

namespace tigris {

namespace {

std::string Esc(const std::string& s) {
  std::string o;
  o.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        o += "&amp;";
        break;
      case '<':
        o += "&lt;";
        break;
      case '>':
        o += "&gt;";
        break;
      case '"':
        o += "&quot;";
        break;
      case '\'':
        o += "&#39;";
        break;
      default:
        o += c;
    }
  }
  return o;
}

// A coordinate: one decimal, never NaN/inf (0 instead), so the SVG always parses.
std::string Num(double v) {
  if (!std::isfinite(v)) v = 0;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

// 12,345,678
std::string Grouped(uint64_t v) {
  std::string d = std::to_string(v), o;
  for (size_t i = 0; i < d.size(); ++i) {
    if (i && (d.size() - i) % 3 == 0) o += ',';
    o += d[i];
  }
  return o;
}

std::string Pct(uint64_t part, uint64_t whole) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%",
                whole ? 100.0 * static_cast<double>(part) / static_cast<double>(whole) : 0.0);
  return buf;
}

constexpr const char* kPoolColor[] = {"#2b6cb0", "#c05621", "#2f855a", "#6b46c1"};

constexpr const char* kCss = R"(
body{font:14px/1.4 "DejaVu Sans",Arial,sans-serif;color:#1a202c;margin:24px;max-width:1360px}
h1{font-size:22px;margin:0 0 6px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #cbd5e0}
.verdict{font-weight:bold;padding:4px 10px;display:inline-block;border-radius:4px}
.pass{background:#c6f6d5;color:#22543d}.fail{background:#fed7d7;color:#742a2a}
dl.summary{display:grid;grid-template-columns:max-content auto max-content auto;gap:2px 16px;margin:10px 0}
dl.summary dt{color:#4a5568}dl.summary dd{margin:0;font-weight:600}
table{border-collapse:collapse;font-size:12px;margin:4px 0}
th,td{border:1px solid #e2e8f0;padding:2px 6px;text-align:left;vertical-align:top}
th{background:#edf2f7}td.n{text-align:right;font-variant-numeric:tabular-nums}
tr.tiled td{background:#fffbea}tr.chain td{background:#f0fff4}
.note{color:#4a5568;font-size:12px;max-width:1200px}
svg text{font:11px "DejaVu Sans",Arial,sans-serif;fill:#2d3748}
svg .axis{stroke:#4a5568;stroke-width:1}svg .grid{stroke:#e2e8f0;stroke-width:1}
svg .live{fill:none;stroke-width:1.5}svg .area{opacity:.18;stroke:none}
svg .budget{stroke:#e53e3e;stroke-width:2;stroke-dasharray:6 3}
svg .stage-marker{stroke:#718096;stroke-width:1;stroke-dasharray:2 2}
svg .region.tiled{fill:#f6e05e;opacity:.25}svg .region.chain{fill:#68d391;opacity:.25}
svg .spill{fill:#e53e3e}svg .reload{fill:#38a169}svg .loop{fill:#a0aec0}
svg .section{stroke:#fff;stroke-width:.5}
)";

struct Layout {
  double left = 84, width = 1216, right = 1320;  // plot area x range; viewBox width
  size_t n = 1;                                  // steps
  double X(double step) const { return left + width * step / static_cast<double>(n); }
};

// One pool's panel: grid, live-bytes area and step line, budget line when on scale.
void PoolPanel(std::string& o, const AnalysisReport& r, const Layout& L, uint32_t p, double top,
               double height) {
  uint64_t max_live = 0;
  for (const StepReport& s : r.steps) max_live = std::max(max_live, s.live.size() > p ? s.live[p] : 0);
  const uint64_t budget = p < r.pool_budget.size() ? r.pool_budget[p] : 0;
  // The fast budget is always drawn; a slow pool's only when it is within 2x of what is used.
  const bool budget_on_scale = budget > 0 && (p == 0 || budget <= 2 * std::max<uint64_t>(max_live, 1));
  const double ymax =
      std::max<double>(1.0, 1.08 * static_cast<double>(std::max(max_live, budget_on_scale ? budget : 0)));
  const double bottom = top + height;
  auto Y = [&](uint64_t v) { return bottom - height * static_cast<double>(v) / ymax; };
  const char* color = kPoolColor[p % 4];

  o += "<g class=\"pool\" id=\"pool-" + std::to_string(p) + "\">\n";
  // Gridlines every power of two bytes, the smallest that needs at most five of them.
  uint64_t tick = 1;
  while (static_cast<double>(tick) * 5 < ymax) tick *= 2;
  // An unused pool (nothing live, budget off scale) gets the zero line only.
  for (uint64_t v = 0; static_cast<double>(v) <= ymax && (v == 0 || ymax > 1.0); v += tick) {
    const double y = Y(v);
    o += "<line class=\"grid\" x1=\"" + Num(L.left) + "\" y1=\"" + Num(y) + "\" x2=\"" +
         Num(L.left + L.width) + "\" y2=\"" + Num(y) + "\"/>\n";
    o += "<text x=\"" + Num(L.left - 4) + "\" y=\"" + Num(y + 4) + "\" text-anchor=\"end\">" +
         FormatBytes(v) + "</text>\n";
  }
  o += "<line class=\"axis\" x1=\"" + Num(L.left) + "\" y1=\"" + Num(top) + "\" x2=\"" + Num(L.left) +
       "\" y2=\"" + Num(bottom) + "\"/>\n";
  o += "<line class=\"axis\" x1=\"" + Num(L.left) + "\" y1=\"" + Num(bottom) + "\" x2=\"" +
       Num(L.left + L.width) + "\" y2=\"" + Num(bottom) + "\"/>\n";
  const std::string title =
      (p == 0 ? std::string("pool 0 (fast)") : "pool " + std::to_string(p) + " (slow)") + ": max live " +
      FormatBytes(max_live);
  o += "<text x=\"" + Num(L.left + 6) + "\" y=\"" + Num(top + 12) + "\" font-weight=\"bold\">" + title +
       "</text>\n";

  if (!r.steps.empty()) {
    // A step function: live bytes are constant over a step; points only where they change.
    std::string pts;
    auto add = [&](double x, uint64_t v) { pts += (pts.empty() ? "" : " ") + Num(x) + "," + Num(Y(v)); };
    uint64_t prev = r.steps[0].live.size() > p ? r.steps[0].live[p] : 0;
    add(L.X(0), prev);
    for (size_t s = 1; s < r.steps.size(); ++s) {
      const uint64_t v = r.steps[s].live.size() > p ? r.steps[s].live[p] : 0;
      if (v == prev) continue;
      add(L.X(static_cast<double>(s)), prev);
      add(L.X(static_cast<double>(s)), v);
      prev = v;
    }
    add(L.X(static_cast<double>(r.steps.size())), prev);
    o += "<polygon class=\"area\" fill=\"" + std::string(color) + "\" points=\"" + Num(L.X(0)) + "," +
         Num(bottom) + " " + pts + " " + Num(L.X(static_cast<double>(r.steps.size()))) + "," + Num(bottom) +
         "\"/>\n";
    o += "<polyline class=\"live\" id=\"live-" + std::to_string(p) + "\" stroke=\"" + color + "\" points=\"" +
         pts + "\"/>\n";
  }
  if (budget_on_scale) {
    const double y = Y(budget);
    o += "<line class=\"budget\" id=\"budget-" + std::to_string(p) + "\" x1=\"" + Num(L.left) + "\" y1=\"" +
         Num(y) + "\" x2=\"" + Num(L.left + L.width) + "\" y2=\"" + Num(y) + "\"><title>budget " +
         FormatBytes(budget) + "</title></line>\n";
    o += "<text x=\"" + Num(L.left + L.width - 4) + "\" y=\"" + Num(std::max(top + 12, y - 4)) +
         "\" text-anchor=\"end\" fill=\"#c53030\">budget " + FormatBytes(budget) + "</text>\n";
  } else if (budget > 0) {
    o += "<text x=\"" + Num(L.left + L.width - 4) + "\" y=\"" + Num(top + 12) +
         "\" text-anchor=\"end\">budget " + FormatBytes(budget) + " (off scale)</text>\n";
  }
  o += "</g>\n";
}

std::string StepTitle(const StepReport& s, size_t index) {
  std::string t = "step " + std::to_string(index) + ": " + s.kind + " " + s.node;
  if (s.bytes) t += ", " + FormatBytes(s.bytes);
  if (s.count > 1) t += " x " + std::to_string(s.count);
  return Esc(t);
}

void Timeline(std::string& o, const AnalysisReport& r) {
  Layout L;
  L.n = std::max<size_t>(1, r.steps.size());
  const auto n_pools = static_cast<uint32_t>(std::max<size_t>(1, r.pool_budget.size()));
  constexpr double kTop = 22, kFastH = 220, kSlowH = 130, kGap = 26, kLane = 12;
  double y = kTop;
  std::vector<std::pair<double, double>> panels;  // top, height
  for (uint32_t p = 0; p < n_pools; ++p) {
    const double h = p == 0 ? kFastH : kSlowH;
    panels.emplace_back(y, h);
    y += h + kGap;
  }
  const double lanes_top = y - kGap + 10;
  const double lanes_bottom = lanes_top + 3 * (kLane + 4);
  const double height = lanes_bottom + 40;
  const double chart_top = kTop, chart_bottom = lanes_bottom;

  o += "<svg id=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" + Num(L.right) + "\" height=\"" +
       Num(height) + "\" viewBox=\"0 0 " + Num(L.right) + " " + Num(height) + "\" role=\"img\">\n";
  o += "<title>Live bytes per pool over the plan's steps</title>\n";

  // Tiled and chain stages shaded behind everything, then one marker per stage start.
  for (size_t i = 0; i < r.stages.size(); ++i) {
    const StageReport& st = r.stages[i];
    if (st.kind == "normal") continue;
    const double x0 = L.X(st.first_op), x1 = L.X(static_cast<double>(std::min<size_t>(st.last_op + 1, L.n)));
    o += "<rect class=\"region " + Esc(st.kind) + "\" data-stage=\"" + std::to_string(i) + "\" x=\"" +
         Num(x0) + "\" y=\"" + Num(chart_top) + "\" width=\"" + Num(std::max(0.5, x1 - x0)) + "\" height=\"" +
         Num(chart_bottom - chart_top) + "\"><title>stage " + std::to_string(i) + ": " + Esc(st.kind) + ", " +
         Esc(st.tiling) + "</title></rect>\n";
  }
  for (uint32_t p = 0; p < n_pools; ++p) PoolPanel(o, r, L, p, panels[p].first, panels[p].second);
  double last_label = -100;
  for (size_t i = 0; i < r.stages.size(); ++i) {
    const double x = L.X(r.stages[i].first_op);
    o += "<line class=\"stage-marker\" data-stage=\"" + std::to_string(i) + "\" x1=\"" + Num(x) + "\" y1=\"" +
         Num(chart_top - 8) + "\" x2=\"" + Num(x) + "\" y2=\"" + Num(chart_bottom) + "\"/>\n";
    if (x - last_label >= 16) {
      o += "<text x=\"" + Num(x + 2) + "\" y=\"" + Num(chart_top - 10) + "\">" + std::to_string(i) +
           "</text>\n";
      last_label = x;
    }
  }

  // Lanes: spills, reloads (strip stores and loads included), and loop bodies.
  const char* lane_name[] = {"spill", "reload", "loop"};
  for (int k = 0; k < 3; ++k)
    o += "<text x=\"" + Num(L.left - 4) + "\" y=\"" + Num(lanes_top + k * (kLane + 4) + kLane - 2) +
         "\" text-anchor=\"end\">" + lane_name[k] + "</text>\n";
  for (size_t s = 0; s < r.steps.size(); ++s) {
    const StepReport& st = r.steps[s];
    int lane = st.kind == "spill" ? 0 : st.kind == "reload" ? 1 : st.kind == "loop" ? 2 : -1;
    if (lane < 0) continue;
    const double x0 = L.X(static_cast<double>(s));
    const double x1 = L.X(static_cast<double>(std::min(s + 1 + (lane == 2 ? st.body : 0), L.n)));
    o += "<rect class=\"" + std::string(lane_name[lane]) + "\" data-bytes=\"" + std::to_string(st.bytes) +
         "\" data-count=\"" + std::to_string(st.count) + "\" x=\"" + Num(x0) + "\" y=\"" +
         Num(lanes_top + lane * (kLane + 4)) + "\" width=\"" + Num(std::max(1.0, x1 - x0)) + "\" height=\"" +
         Num(kLane) + "\"><title>" + StepTitle(st, s) + "</title></rect>\n";
  }
  // x axis: step numbers.
  const double axis_y = lanes_bottom + 14;
  // Step ticks every 1, 2 or 5 times a power of ten, at most about ten of them.
  size_t tick = 1;
  for (size_t decade = 1; tick * 10 < L.n; decade *= 10)
    for (size_t m : {1, 2, 5})
      if (tick * 10 < L.n) tick = m * decade;
  for (size_t s = 0; s <= L.n; s += tick)
    o += "<text x=\"" + Num(L.X(static_cast<double>(s))) + "\" y=\"" + Num(axis_y) +
         "\" text-anchor=\"middle\">" + std::to_string(s) + "</text>\n";
  o += "<text x=\"" + Num(L.left + L.width / 2) + "\" y=\"" + Num(axis_y + 16) +
       "\" text-anchor=\"middle\">plan step (a loop's body is drawn once and runs its count times)</text>\n";
  o += "</svg>\n";
}

void Row(std::string& o, std::initializer_list<std::pair<std::string, bool>> cells, const std::string& cls) {
  o += "<tr class=\"" + cls + "\">";
  for (const auto& [text, numeric] : cells)
    o += std::string(numeric ? "<td class=\"n\">" : "<td>") + text + "</td>";
  o += "</tr>\n";
}

void StageTable(std::string& o, const AnalysisReport& r) {
  o +=
      "<table id=\"stages\"><tr><th>#</th><th>kind</th><th>steps</th><th>ops</th><th>first .. last op</th>"
      "<th>strips x rows</th><th>halo rows</th><th>tiling</th><th>fast peak</th><th>spill</th><th>reload</th>"
      "<th>recomputed MACs</th></tr>\n";
  for (size_t i = 0; i < r.stages.size(); ++i) {
    const StageReport& st = r.stages[i];
    const bool tiled = st.kind != "normal";
    std::string ops = Esc(st.first_node);
    if (st.last_node != st.first_node) ops += " .. " + Esc(st.last_node);
    Row(o,
        {{std::to_string(i), true},
         {Esc(st.kind), false},
         {std::to_string(st.first_op) + "-" + std::to_string(st.last_op), true},
         {std::to_string(st.compute_ops), true},
         {ops.empty() ? "(copies)" : ops, false},
         {tiled ? std::to_string(st.strips) + " x " + std::to_string(st.strip_rows) : "", true},
         {tiled ? std::to_string(st.halo_rows) : "", true},
         {Esc(st.tiling), false},
         {FormatBytes(st.fast_peak), true},
         {st.spill_bytes ? FormatBytes(st.spill_bytes) : "-", true},
         {st.reload_bytes ? FormatBytes(st.reload_bytes) : "-", true},
         {st.recomputed_macs ? Grouped(st.recomputed_macs) : "-", true}},
        "stage-row " + Esc(st.kind));
  }
  o += "</table>\n";
}

void OpTable(std::string& o, const AnalysisReport& r) {
  o += "<table id=\"ops\"><tr><th>#</th><th>node</th><th>op</th><th>output shape</th><th>MACs</th><th>bytes "
       "in</th>"
       "<th>bytes out</th><th>weights</th><th>output pool</th><th>stage</th><th>tiles (kernel "
       "calls)</th></tr>\n";
  for (size_t i = 0; i < r.ops.size(); ++i) {
    const OpReport& op = r.ops[i];
    std::string stage = op.stage >= 0 ? std::to_string(op.stage) : "";
    if (op.stage >= 0 && static_cast<size_t>(op.stage) < r.stages.size() &&
        r.stages[static_cast<size_t>(op.stage)].kind != "normal")
      stage += " (" + r.stages[static_cast<size_t>(op.stage)].kind + ")";
    Row(o,
        {{std::to_string(i), true},
         {Esc(op.name), false},
         {Esc(op.op), false},
         {Esc(op.shape), false},
         {Grouped(op.macs), true},
         {FormatBytes(op.bytes_in), true},
         {FormatBytes(op.bytes_out), true},
         {op.weight_bytes ? FormatBytes(op.weight_bytes) : "-", true},
         {Esc(op.pool), false},
         {stage, false},
         {op.kernel_calls ? std::to_string(op.kernel_calls) : "", true}},
        "op-row");
  }
  o += "</table>\n";
}

// The image by section, then the weights section by tensor, as two proportional bars.
void FlashMap(std::string& o, const AnalysisReport& r) {
  constexpr double kLeft = 84, kWidth = 1216, kBar = 26;
  uint64_t total = 0;
  for (const FlashSection& s : r.flash_sections) total = std::max(total, s.offset + s.bytes);
  uint64_t wsize = 0;
  for (const FlashSection& s : r.flash_sections)
    if (s.name == "weights") wsize = s.bytes;
  o += "<svg id=\"flash-map\" xmlns=\"http://www.w3.org/2000/svg\" width=\"1320\" height=\"100\" viewBox=\"0 "
       "0 1320 100\" "
       "role=\"img\">\n<title>Plan image by section, and the weights section by tensor</title>\n";
  const char* colors[] = {"#4299e1", "#ed8936", "#48bb78", "#9f7aea",
                          "#f56565", "#38b2ac", "#ecc94b", "#a0aec0"};
  o += "<text x=\"" + Num(kLeft - 4) + "\" y=\"" + Num(10 + kBar / 2 + 4) +
       "\" text-anchor=\"end\">image</text>\n";
  size_t k = 0;
  for (const FlashSection& s : r.flash_sections) {
    if (!total) break;
    const double x = kLeft + kWidth * static_cast<double>(s.offset) / static_cast<double>(total);
    const double w = std::max(1.0, kWidth * static_cast<double>(s.bytes) / static_cast<double>(total));
    o += "<rect class=\"section\" x=\"" + Num(std::min(x, kLeft + kWidth - w)) + "\" y=\"10\" width=\"" +
         Num(w) + "\" height=\"" + Num(kBar) + "\" fill=\"" +
         (s.name == "padding"   ? "#e2e8f0"
          : s.name == "weights" ? "#d69e2e"
                                : colors[k++ % 8]) +
         "\"><title>" + Esc(s.name) + ": " + FormatBytes(s.bytes) + " at " + std::to_string(s.offset) +
         "</title></rect>\n";
  }
  o += "<text x=\"" + Num(kLeft - 4) + "\" y=\"" + Num(56 + kBar / 2 + 4) +
       "\" text-anchor=\"end\">weights</text>\n";
  for (size_t i = 0; i < r.weights.size() && wsize; ++i) {
    const WeightReport& w = r.weights[i];
    const double x =
        kLeft + kWidth * static_cast<double>(std::min(w.offset, wsize)) / static_cast<double>(wsize);
    const double wd = std::max(0.5, kWidth * static_cast<double>(w.bytes) / static_cast<double>(wsize));
    o += "<rect class=\"weight\" x=\"" + Num(std::min(x, kLeft + kWidth - wd)) + "\" y=\"56\" width=\"" +
         Num(wd) + "\" height=\"" + Num(kBar) + "\" fill=\"" + (i % 2 ? "#f6ad55" : "#b7791f") +
         "\"><title>" + Esc(w.name) + " (" + Esc(w.consumer) + "): " + FormatBytes(w.bytes) + " at weights+" +
         std::to_string(w.offset) + "</title></rect>\n";
  }
  o += "</svg>\n";
}

void FlashTables(std::string& o, const AnalysisReport& r) {
  uint64_t total = 0;
  for (const FlashSection& s : r.flash_sections) total = std::max(total, s.offset + s.bytes);
  o += "<table id=\"sections\"><tr><th>section</th><th>offset</th><th>bytes</th><th>share</th></tr>\n";
  for (const FlashSection& s : r.flash_sections)
    Row(o,
        {{Esc(s.name), false},
         {Grouped(s.offset), true},
         {Grouped(s.bytes), true},
         {Pct(s.bytes, total), true}},
        "section-row");
  o += "</table>\n";
  o += "<table id=\"weights\"><tr><th>#</th><th>weight</th><th>first reader</th><th>shape</th><th>dtype</th>"
       "<th>offset in weights</th><th>bytes</th></tr>\n";
  for (size_t i = 0; i < r.weights.size(); ++i) {
    const WeightReport& w = r.weights[i];
    Row(o,
        {{std::to_string(i), true},
         {Esc(w.name), false},
         {Esc(w.consumer), false},
         {Esc(w.shape), false},
         {Esc(w.dtype), false},
         {Grouped(w.offset), true},
         {Grouped(w.bytes), true}},
        "weight-row");
  }
  o += "</table>\n";
}

void Summary(std::string& o, const AnalysisReport& r) {
  size_t tiled = 0, chains = 0;
  for (const StageReport& st : r.stages) {
    tiled += st.kind == "tiled";
    chains += st.kind == "chain";
  }
  auto item = [&](const std::string& k, const std::string& v) {
    o += "<dt>" + k + "</dt><dd>" + v + "</dd>";
  };
  o += "<dl class=\"summary\">";
  std::string budgets;
  for (size_t p = 0; p < r.pool_budget.size(); ++p)
    budgets += (p ? " + " : "") + FormatBytes(r.pool_budget[p]);
  item("Pools (fast to slow)", budgets);
  item("Ops", std::to_string(r.n_ops));
  if (r.sram_fits) {
    item("Fast arena", FormatBytes(r.pool_used.empty() ? 0 : r.pool_used[0]) + " (lower bound " +
                           FormatBytes(r.arena_lower_bound) + ", " + Esc(r.planner) + ")");
    item("Stages", std::to_string(r.n_stages) + " (" + std::to_string(tiled) + " tiled, " +
                       std::to_string(chains) + " chain)");
    item("Spill / reload per inference", FormatBytes(r.spill_bytes) + " / " + FormatBytes(r.reload_bytes));
    item("Executed MACs", Grouped(r.executed_macs) + " (model " + Grouped(r.model_macs) + ")");
    item("Kernel calls", Grouped(r.kernel_calls));
    char cyc[48];
    std::snprintf(cyc, sizeof cyc, "%.4g", r.modeled_cycles);
    item("Modeled cycles (" + Esc(r.target) + ")", cyc);
  }
  item("Op order peak", FormatBytes(r.unpartitioned_peak) + (r.schedule_optimal ? " (proven min)" : ""));
  item("Naive peak", FormatBytes(r.naive_peak));
  item("Plan", FormatBytes(r.plan_bytes) + " (weights " + FormatBytes(r.weight_bytes) + ")");
  item("Flash",
       r.flash_budget ? FormatBytes(r.flash_budget) + (r.flash_fits ? ": fits" : ": exceeded") : "unchecked");
  o += "</dl>\n";
}

}  // namespace

std::string ReportToHtml(const AnalysisReport& r) {
  std::string o;
  o.reserve(64 * 1024 + r.steps.size() * 160);
  o += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>TiGrIS report: " +
       Esc(r.model_name) + "</title>\n<style>" + kCss + "</style></head>\n<body>\n";
  o += "<h1>TiGrIS memory report: " + Esc(r.model_name) + "</h1>\n";
  const bool pass = r.sram_fits && r.flash_fits;
  o += std::string("<p id=\"verdict\" class=\"verdict ") + (pass ? "pass\">PASS" : "fail\">FAIL") + " - " +
       (r.sram_fits ? "fits " + FormatBytes(r.pool_budget.empty() ? 0 : r.pool_budget[0]) + " of fast memory"
                    : "does not fit " + FormatBytes(r.pool_budget.empty() ? 0 : r.pool_budget[0]) +
                          " of fast memory") +
       (r.flash_fits ? "" : "; the plan exceeds the flash budget") + "</p>\n";
  if (!r.sram_fits) o += "<p id=\"diagnostic\">" + Esc(r.sram_diagnostic) + "</p>\n";
  Summary(o, r);

  o += "<h2>Memory timeline</h2>\n";
  if (r.steps_untiled && !r.steps.empty())
    o += "<p class=\"note\">The model does not fit the budget: this is the plan with an unbounded fast pool "
         "(no spills, no tiling); the dashed line is the budget it crosses.</p>\n";
  if (r.steps.empty()) o += "<p class=\"note\">No plan was made, so there is no timeline.</p>\n";
  Timeline(o, r);
  o += "<p class=\"note\">Live bytes per pool at every step of the plan, as the planner counts them (the "
       "arena can "
       "be larger by fragmentation). Shaded: <span style=\"background:#fbf3c4\">tiled</span> and "
       "<span style=\"background:#d7f5e0\">chain</span> stages; dotted lines: stage starts; lanes: spills "
       "(fast to slow, strip stores included), reloads (strip loads included) and loop bodies.</p>\n";

  o += "<h2>Stages</h2>\n";
  if (r.stages.empty())
    o += "<p class=\"note\">No stages: the model does not fit.</p>\n";
  else
    StageTable(o, r);
  o += "<h2>Ops</h2>\n";
  OpTable(o, r);
  o += "<h2>Flash layout</h2>\n";
  FlashMap(o, r);
  FlashTables(o, r);
  o += std::string("<p class=\"note\">Generated by tigris ") + VersionString() +
       " from the plan it emits; no scripts, no external resources.</p>\n</body></html>\n";
  return o;
}

Status write_html_report(const AnalysisReport& report, const std::string& path) {
  const std::string html = ReportToHtml(report);
  return WriteFileAtomic(path, html.data(), html.size());
}

}  // namespace tigris
