// Rendering of AnalysisReport (boxed text and JSON) and the size syntax of -m/-f. Pure
// formatting: every number printed comes from the report the pipeline produced.
#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "compiler_internal.h"
#include "tigris/support/bytes.h"
#include "tigris/tigris.h"

namespace tigris {

using detail::Json;

std::string FormatBytes(uint64_t b) { return HumanBytes(b); }

Expected<uint64_t> ParseSize(const std::string& text) {
  if (text.empty()) return InvalidArgument("empty size");
  size_t pos = 0;
  double value = 0;
  try {
    value = std::stod(text, &pos);
  } catch (...) {
    return InvalidArgument("invalid size '" + text + "' (expected e.g. 256K, 8M, 4096)");
  }
  std::string suffix = text.substr(pos);
  double mult = 1;
  if (suffix == "" || suffix == "B") mult = 1;
  else if (suffix == "K" || suffix == "k" || suffix == "KB" || suffix == "KiB") mult = 1024.0;
  else if (suffix == "M" || suffix == "m" || suffix == "MB" || suffix == "MiB") mult = 1024.0 * 1024;
  else if (suffix == "G" || suffix == "g" || suffix == "GB" || suffix == "GiB") mult = 1024.0 * 1024 * 1024;
  else return InvalidArgument("invalid size '" + text + "' (unknown unit '" + suffix + "'; use K, M or G)");
  const double bytes = value * mult;
  if (!(bytes >= 1) || bytes > 4294967295.0 || !std::isfinite(bytes))
    return InvalidArgument("size '" + text + "' out of range (1 byte to 4G-1)");
  return static_cast<uint64_t>(bytes);
}

namespace {

constexpr int kBoxWidth = 72;  // columns inside the corners

// UTF-8 aware column count (box glyphs are multi-byte, one column).
int Columns(const std::string& s) {
  int n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// Byte length of the longest prefix of `s` with at most `cols` columns (whole UTF-8 characters).
size_t PrefixBytes(const std::string& s, int cols) {
  size_t i = 0;
  for (int c = 0; i < s.size(); ++c) {
    size_t next = i + 1;
    while (next < s.size() && (static_cast<unsigned char>(s[next]) & 0xC0) == 0x80) ++next;
    if (c >= cols) break;
    i = next;
  }
  return i;
}

// `text` in pieces of at most `width` columns, broken at the last space that fits (a word
// longer than the width is cut), leading spaces of each continuation dropped.
std::vector<std::string> Wrap(std::string text, int width) {
  std::vector<std::string> out;
  do {
    size_t cut = text.size();
    if (Columns(text) > width) {
      const size_t fit = PrefixBytes(text, width);
      cut = text.rfind(' ', fit);  // a space right after the piece still counts
      if (cut == std::string::npos || cut == 0) cut = fit;
    }
    out.push_back(text.substr(0, cut));
    text = cut < text.size() ? text.substr(cut) : "";
    while (!text.empty() && text[0] == ' ') text.erase(0, 1);
  } while (!text.empty());
  return out;
}

std::string Repeat(const std::string& s, int n) {
  std::string r;
  for (int i = 0; i < n; ++i) r += s;
  return r;
}

// A box's top, separator or bottom line, with `title` centered in it. A title too long for
// the box is cut and ends in "…" (callers that must show it whole put it in a row).
std::string Rule(const std::string& left, const std::string& right, const std::string& title) {
  if (title.empty()) return left + Repeat("─", kBoxWidth) + right + "\n";
  std::string t = " " + title + " ";
  if (Columns(t) > kBoxWidth - 4) t = t.substr(0, PrefixBytes(t, kBoxWidth - 6)) + "… ";
  const int fill = kBoxWidth - Columns(t);
  return left + Repeat("─", fill / 2) + t + Repeat("─", fill - fill / 2) + right + "\n";
}

// Whether `title` fits a rule whole.
bool FitsRule(const std::string& title) { return Columns(" " + title + " ") <= kBoxWidth - 4; }

constexpr int kLabelWidth = 24;  // columns of " label" before the value

// One box line: " label" padded to kLabelWidth, then the value. A value too long for the box
// wraps at spaces onto continuation lines (an unbreakable word is cut), and a label too long
// for its column gets lines of its own, so no line ever breaks the border.
std::string Row(const std::string& label, const std::string& value, int label_width = kLabelWidth) {
  auto line = [](const std::string& body) {
    const int rest = kBoxWidth - Columns(body);
    return "│" + body + std::string(rest > 0 ? static_cast<size_t>(rest) : 0, ' ') + "│\n";
  };
  std::string out;
  std::string head = " " + label;
  if (Columns(head) >= label_width) {
    for (const std::string& piece : Wrap(head, kBoxWidth - 1)) out += line(piece);
    head.clear();
  }
  for (const std::string& piece : Wrap(value, kBoxWidth - label_width - 1)) {
    out += line(head + std::string(static_cast<size_t>(label_width - Columns(head)), ' ') + piece);
    head.clear();
  }
  return out;
}

std::string Percent(uint64_t part, uint64_t whole) {
  return fmt::format("{:.1f}%", whole ? 100.0 * static_cast<double>(part) / static_cast<double>(whole) : 0.0);
}

}  // namespace

std::string FormatReport(const AnalysisReport& r) {
  std::string s;
  const std::string title = "TiGrIS - " + r.model_name;
  s += Rule("╭", "╮", FitsRule(title) ? title : "TiGrIS");
  if (!FitsRule(title)) s += Row("Model", r.model_name);
  s += Row("Operators", std::to_string(r.n_ops));
  s += Row("Tensors", std::to_string(r.n_tensors) + " (" + std::to_string(r.n_activations) + " activations)");
  s += Row("Peak memory (naive)", FormatBytes(r.naive_peak));
  s += Row("Largest tensor", r.largest_tensor_shape + " (" + FormatBytes(r.largest_tensor_bytes) + ")");
  s += Row("Dtype", r.dtype);
  if (r.n_int8_ops > 0) {
    s += Row("Int8 ops", std::to_string(r.n_int8_ops) + " of " + std::to_string(r.n_ops));
    s += Row("Layout", r.layout + ": " + std::to_string(r.channels_last_activations) + " activations + " +
                           std::to_string(r.permuted_constants) + " constants permuted");
  }
  s += Rule("╰", "╯", "");

  const uint64_t budget = r.pool_budget.empty() ? 0 : r.pool_budget[0];
  s += Rule("╭", "╮", "SRAM");
  s += Row("Budget", FormatBytes(budget) +
                         (r.pool_budget.size() > 1 ? " (+ " + FormatBytes(r.pool_budget[1]) + " slow)" : ""));
  s += Row("Op order peak", FormatBytes(r.unpartitioned_peak) + " (ONNX order " + FormatBytes(r.onnx_order_peak) +
                                (r.schedule_optimal ? ", proven min)" : ")"));
  if (r.sram_fits) {
    s += Row("Scheduled peak",
             FormatBytes(r.scheduled_peak) + " (" + Percent(r.scheduled_peak, r.naive_peak) + " of naive peak)");
    const std::string ratio = fmt::format(
        "{:.3f}", r.arena_lower_bound ? static_cast<double>(r.pool_used[0]) / static_cast<double>(r.arena_lower_bound) : 1.0);
    s += Row("Arena", FormatBytes(r.pool_used[0]) + " (" + ratio + "x lower bound, " + r.planner + ")");
    size_t tiled = 0, chains = 0;
    for (const StageReport& st : r.stages) {
      tiled += st.kind == "tiled";
      chains += st.kind == "chain";
    }
    s += Row("Stages", std::to_string(r.n_stages) +
                           (tiled + chains ? " (" + std::to_string(tiled) + " tiled, " + std::to_string(chains) + " chain)"
                                           : ""));
    s += Row("Spill / reload I/O", FormatBytes(r.spill_bytes) + " / " + FormatBytes(r.reload_bytes));
    if (r.executed_macs > r.model_macs)
      s += Row("Recomputed MACs", std::to_string(r.executed_macs - r.model_macs) + " (" +
                                      Percent(r.executed_macs - r.model_macs, r.model_macs) + " of the model)");
    for (size_t p = 1; p < r.pool_used.size(); ++p)
      s += Row("Slow pool " + std::to_string(p), FormatBytes(r.pool_used[p]) + " of " + FormatBytes(r.pool_budget[p]));
    if (r.backend != "reference") {
      s += Row("Backend", r.backend + ": " + std::to_string(r.vendor_calls) + " vendor calls, " +
                              std::to_string(r.vendor_fallback_calls) + " reference");
      for (const auto& [why, n] : r.vendor_fallbacks) s += Row("  fallback", std::to_string(n) + " x " + why);
    }
  } else {
    s += Row("Largest op", FormatBytes(r.min_fast_budget) + " (inputs + outputs, untiled)");
    s += Row("Why", r.sram_diagnostic);  // long diagnostics wrap inside the box
  }
  bool any_tiled = false;
  for (const StageReport& st : r.stages) any_tiled = any_tiled || st.kind != "normal";
  s += Rule("╰", "╯", r.sram_fits ? (any_tiled ? "PASS - tiling fits the budget"
                                               : r.n_stages > 1 ? "PASS - temporal partitioning fits the budget"
                                                                : "PASS - fits in budget")
                                   : "FAIL - exceeds budget");
  if (r.sram_fits && r.stages.size() > 1) {
    s += Rule("╭", "╮", "Stages");
    constexpr int kStageLabel = 11;
    s += Row("#  kind", "strips   halo  fast peak    slow out / in", kStageLabel);
    for (size_t i = 0; i < r.stages.size(); ++i) {
      const StageReport& st = r.stages[i];
      const bool tiled = st.kind != "normal";
      const std::string row = fmt::format(
          "{:<8} {:>5} {:>10}   {} / {}", tiled ? fmt::format("{}x{}", st.strips, st.strip_rows) : "",
          tiled ? std::to_string(st.halo_rows) : "", FormatBytes(st.fast_peak),
          st.spill_bytes ? FormatBytes(st.spill_bytes) : "-", st.reload_bytes ? FormatBytes(st.reload_bytes) : "-");
      s += Row(std::to_string(i) + (i < 10 ? "  " : " ") + st.kind, row, kStageLabel);
      std::string ops = st.first_node.empty() ? "(spill/reload copies)" : st.first_node;
      if (st.last_node != st.first_node && !st.last_node.empty()) ops += " .. " + st.last_node;
      s += Row("", std::to_string(st.compute_ops) + " op" + (st.compute_ops == 1 ? ": " : "s: ") + ops, kStageLabel);
      if (!st.tiling.empty()) s += Row("", "in " + st.tiling, kStageLabel);
    }
    s += Rule("╰", "╯", "");
  }

  s += Rule("╭", "╮", "Flash");
  s += Row("Budget", r.flash_budget ? FormatBytes(r.flash_budget) : "unchecked");
  s += Row("Weight data", FormatBytes(r.weight_bytes));
  if (r.n_int8_ops > 0) {
    s += Row("  int8 weights", FormatBytes(r.int8_weight_bytes));
    s += Row("  quant tables", FormatBytes(r.quant_table_bytes) + " (multipliers, zero points, LUTs)");
  }
  s += Row("Plan overhead", FormatBytes(r.plan_overhead));
  s += Row("Plan", FormatBytes(r.plan_bytes));
  if (r.weights_mode != "xip") {
    s += Row("Weights", r.weights_mode + ", into RAM per op or chain");
    s += Row("  weight buffers", std::to_string(r.weight_segments) + ", largest " + FormatBytes(r.weight_stage_bytes) +
                                     " (inside the pools above)");
    if (r.uncompressed_plan_bytes != r.plan_bytes)
      s += Row("  uncompressed", FormatBytes(r.uncompressed_plan_bytes));
    s += Row("  LZ4 overhead", std::to_string(r.decompression_overhead) + " B (in-place decode margin)");
  }
  s += Row("Plan INT8 (est.)", FormatBytes(r.int8_plan_estimate));
  s += Rule("╰", "╯", r.flash_fits ? "PASS - plan fits" : "FAIL - plan exceeds flash");
  return s;
}

std::string FormatMinBudget(const MinBudgetReport& r) {
  std::string s;
  const std::string title = "TiGrIS - " + r.model_name + " - smallest fast budget";
  s += Rule("╭", "╮", FitsRule(title) ? title : "TiGrIS - smallest fast budget");
  if (!FitsRule(title)) s += Row("Model", r.model_name);
  if (r.min_budget == 0) {
    s += Row("Smallest budget", "none works (an op cannot be tiled, or no slow pool)");
    s += Rule("╰", "╯", "");
    return s;
  }
  s += Row("Smallest budget", FormatBytes(r.min_budget) + " (" + std::to_string(r.min_budget) + " bytes)");
  s += Row("Untiled arena", FormatBytes(r.untiled_arena));
  s += Row("Cost model", r.target);
  s += Rule("├", "┤", "cost by budget");
  for (const BudgetPoint& p : r.points) {
    const std::string macs = fmt::format(
        "{:.3f}x MACs", r.model_macs ? static_cast<double>(p.executed_macs) / static_cast<double>(r.model_macs) : 1.0);
    const std::string cyc = fmt::format("{:.3g} cycles", p.modeled_cycles);
    s += Row(FormatBytes(p.budget), std::to_string(p.stages) + " stages (" + std::to_string(p.tiled_stages) + " tiled, " +
                                        std::to_string(p.chain_stages) + " chain)");
    s += Row("", "slow I/O " + FormatBytes(p.spill_bytes + p.reload_bytes) + ", " + macs + ", " + cyc);
  }
  s += Rule("╰", "╯", "");
  return s;
}

std::string MinBudgetToJson(const MinBudgetReport& r) {
  Json j = detail::JsonDocument("min_budget");
  j["model"] = r.model_name;
  j["min_budget"] = r.min_budget;
  j["untiled_arena"] = r.untiled_arena;
  j["model_macs"] = r.model_macs;
  j["target"] = r.target;
  j["points"] = Json::array();
  for (const BudgetPoint& p : r.points)
    j["points"].push_back({{"budget", p.budget},
                           {"arena", p.arena},
                           {"stages", p.stages},
                           {"tiled_stages", p.tiled_stages},
                           {"chain_stages", p.chain_stages},
                           {"spill_bytes", p.spill_bytes},
                           {"reload_bytes", p.reload_bytes},
                           {"executed_macs", p.executed_macs},
                           {"kernel_calls", p.kernel_calls},
                           {"modeled_cycles", static_cast<uint64_t>(p.modeled_cycles)}});
  return detail::DumpJson(j);
}

std::string ReportToJson(const AnalysisReport& r) {
  Json j = detail::JsonDocument("analyze");
  j["model"] = r.model_name;
  j["operators"] = r.n_ops;
  j["tensors"] = r.n_tensors;
  j["activations"] = r.n_activations;
  j["weights"] = r.n_weights;
  j["naive_peak"] = r.naive_peak;
  j["onnx_order_peak"] = r.onnx_order_peak;
  j["unpartitioned_peak"] = r.unpartitioned_peak;
  j["schedule_optimal"] = r.schedule_optimal;
  j["scheduled_peak"] = r.scheduled_peak;
  j["min_fast_budget"] = r.min_fast_budget;
  j["arena_lower_bound"] = r.arena_lower_bound;
  j["planner"] = r.planner;
  j["spill_bytes"] = r.spill_bytes;
  j["reload_bytes"] = r.reload_bytes;
  j["model_macs"] = r.model_macs;
  j["executed_macs"] = r.executed_macs;
  j["kernel_calls"] = r.kernel_calls;
  j["target"] = r.target;
  j["backend"] = r.backend;
  if (r.backend != "reference") {
    j["vendor_calls"] = r.vendor_calls;
    j["vendor_fallback_calls"] = r.vendor_fallback_calls;
    j["vendor_fallbacks"] = r.vendor_fallbacks;
  }
  j["modeled_cycles"] = static_cast<uint64_t>(r.modeled_cycles);
  j["stage_list"] = Json::array();
  for (const StageReport& st : r.stages)
    j["stage_list"].push_back({{"first_op", st.first_op},
                               {"last_op", st.last_op},
                               {"compute_ops", st.compute_ops},
                               {"fast_peak", st.fast_peak},
                               {"kind", st.kind},
                               {"first_node", st.first_node},
                               {"last_node", st.last_node},
                               {"strips", st.strips},
                               {"strip_rows", st.strip_rows},
                               {"halo_rows", st.halo_rows},
                               {"recomputed_macs", st.recomputed_macs},
                               {"tiling", st.tiling},
                               {"spill_bytes", st.spill_bytes},
                               {"reload_bytes", st.reload_bytes}});
  j["int8_plan_estimate"] = r.int8_plan_estimate;
  j["int8_ops"] = r.n_int8_ops;
  j["int8_weight_bytes"] = r.int8_weight_bytes;
  j["quant_table_bytes"] = r.quant_table_bytes;
  j["layout"] = r.layout;
  j["channels_last_activations"] = r.channels_last_activations;
  j["permuted_constants"] = r.permuted_constants;
  j["sram_diagnostic"] = r.sram_diagnostic;
  j["largest_tensor"] = {{"shape", r.largest_tensor_shape}, {"bytes", r.largest_tensor_bytes}};
  j["dtype"] = r.dtype;
  j["stages"] = r.n_stages;
  j["pool_budget"] = r.pool_budget;
  j["pool_used"] = r.pool_used;
  j["weight_bytes"] = r.weight_bytes;
  j["plan_overhead"] = r.plan_overhead;
  j["plan_bytes"] = r.plan_bytes;
  if (r.weights_mode != "xip") {
    j["weights_mode"] = r.weights_mode;
    j["uncompressed_plan_bytes"] = r.uncompressed_plan_bytes;
    j["weight_stage_bytes"] = r.weight_stage_bytes;
    j["weight_segments"] = r.weight_segments;
    j["decompression_overhead"] = r.decompression_overhead;
  }
  j["flash_budget"] = r.flash_budget;
  j["sram_fits"] = r.sram_fits;
  j["flash_fits"] = r.flash_fits;
  return detail::DumpJson(j);
}

}  // namespace tigris
