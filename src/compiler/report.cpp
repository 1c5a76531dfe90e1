// Rendering of AnalysisReport (boxed text and JSON) and the size syntax of -m/-f. Pure
// formatting: every number printed comes from the report the pipeline produced.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "tigris/support/bytes.h"
#include "tigris/tigris.h"

namespace tigris {

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

std::string Repeat(const std::string& s, int n) {
  std::string r;
  for (int i = 0; i < n; ++i) r += s;
  return r;
}

std::string Rule(const std::string& left, const std::string& right, const std::string& title) {
  if (title.empty()) return left + Repeat("─", kBoxWidth) + right + "\n";
  const std::string t = " " + title + " ";
  const int fill = kBoxWidth - Columns(t);
  return left + Repeat("─", fill / 2) + t + Repeat("─", fill - fill / 2) + right + "\n";
}

constexpr int kLabelWidth = 24;  // columns of " label" before the value

// One box line: " label" padded to kLabelWidth, then the value. A value too long for the box
// wraps at spaces onto continuation lines (an unbreakable word is cut), and a label too long
// for its column gets a line of its own, so no line ever breaks the border.
std::string Row(const std::string& label, const std::string& value, int label_width = kLabelWidth) {
  auto line = [](const std::string& body) {
    const int rest = kBoxWidth - Columns(body);
    return "│" + body + std::string(rest > 0 ? static_cast<size_t>(rest) : 0, ' ') + "│\n";
  };
  std::string out;
  std::string head = " " + label;
  if (Columns(head) >= label_width) {
    out += line(head.substr(0, static_cast<size_t>(kBoxWidth)));
    head.clear();
  }
  const size_t width = static_cast<size_t>(kBoxWidth - label_width - 1);
  std::string v = value;
  do {
    size_t cut = v.size();
    if (static_cast<size_t>(Columns(v)) > width) {
      // the last space that keeps the piece within the width (bytes ~ columns here: ASCII values)
      cut = v.rfind(' ', width);
      if (cut == std::string::npos || cut == 0) cut = width;
    }
    std::string body = head + std::string(static_cast<size_t>(label_width - Columns(head)), ' ') + v.substr(0, cut);
    out += line(body);
    head.clear();
    v = cut < v.size() ? v.substr(cut) : "";
    while (!v.empty() && v[0] == ' ') v.erase(0, 1);
  } while (!v.empty());
  return out;
}

std::string Percent(uint64_t part, uint64_t whole) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", whole ? 100.0 * static_cast<double>(part) / static_cast<double>(whole) : 0.0);
  return buf;
}

}  // namespace

std::string FormatReport(const AnalysisReport& r) {
  std::string s;
  s += Rule("╭", "╮", "TiGrIS - " + r.model_name);
  s += Row("Operators", std::to_string(r.n_ops));
  s += Row("Tensors", std::to_string(r.n_tensors) + " (" + std::to_string(r.n_activations) + " activations)");
  s += Row("Peak memory (naive)", FormatBytes(r.naive_peak));
  s += Row("Largest tensor", r.largest_tensor_shape + " (" + FormatBytes(r.largest_tensor_bytes) + ")");
  s += Row("Dtype", r.dtype);
  if (r.n_int8_ops > 0) s += Row("Int8 ops", std::to_string(r.n_int8_ops) + " of " + std::to_string(r.n_ops));
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
    char ratio[32];
    std::snprintf(ratio, sizeof ratio, "%.3f", r.arena_lower_bound
                                                   ? static_cast<double>(r.pool_used[0]) / static_cast<double>(r.arena_lower_bound)
                                                   : 1.0);
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
      char strips[48] = "", halo[24] = "";
      if (st.kind != "normal") {
        std::snprintf(strips, sizeof strips, "%ux%u", st.strips, st.strip_rows);
        std::snprintf(halo, sizeof halo, "%llu", static_cast<unsigned long long>(st.halo_rows));
      }
      char row[160];
      std::snprintf(row, sizeof row, "%-8s %5s %10s   %s / %s", strips, halo, FormatBytes(st.fast_peak).c_str(),
                    st.spill_bytes ? FormatBytes(st.spill_bytes).c_str() : "-",
                    st.reload_bytes ? FormatBytes(st.reload_bytes).c_str() : "-");
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
    s += Row("Weights", r.weights_mode + ", one stage at a time in RAM");
    s += Row("  stage buffers", "largest " + FormatBytes(r.weight_stage_bytes) + ", " + FormatBytes(r.weight_stage_total) +
                                    " in all (inside the pools above)");
    if (r.uncompressed_plan_bytes != r.plan_bytes)
      s += Row("  uncompressed", FormatBytes(r.uncompressed_plan_bytes));
    s += Row("  LZ4 overhead", std::to_string(r.decompression_overhead) + " B (in-place decode margin)");
  }
  s += Row("Plan INT8 (est.)", FormatBytes(r.int8_plan_estimate));
  s += Rule("╰", "╯", r.flash_fits ? "PASS - plan fits" : "FAIL - plan exceeds flash");
  return s;
}

namespace {
std::string JsonString(const std::string& v) {
  std::string o = "\"";
  for (char c : v) {
    if (c == '"' || c == '\\') o += '\\';
    if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      o += buf;
      continue;
    }
    o += c;
  }
  return o + "\"";
}
std::string JsonList(const std::vector<uint64_t>& v) {
  std::string o = "[";
  for (size_t i = 0; i < v.size(); ++i) o += (i ? ", " : "") + std::to_string(v[i]);
  return o + "]";
}
std::string StageList(const std::vector<StageReport>& stages) {
  std::string o = "[";
  for (size_t i = 0; i < stages.size(); ++i) {
    const StageReport& st = stages[i];
    o += (i ? ", " : "") + std::string("{\"first_op\": ") + std::to_string(st.first_op) +
         ", \"last_op\": " + std::to_string(st.last_op) + ", \"compute_ops\": " + std::to_string(st.compute_ops) +
         ", \"fast_peak\": " + std::to_string(st.fast_peak) + ", \"kind\": " + JsonString(st.kind) +
         ", \"first_node\": " + JsonString(st.first_node) + ", \"last_node\": " + JsonString(st.last_node) +
         ", \"strips\": " + std::to_string(st.strips) + ", \"strip_rows\": " + std::to_string(st.strip_rows) +
         ", \"halo_rows\": " + std::to_string(st.halo_rows) +
         ", \"recomputed_macs\": " + std::to_string(st.recomputed_macs) + ", \"tiling\": " + JsonString(st.tiling) +
         ", \"spill_bytes\": " + std::to_string(st.spill_bytes) +
         ", \"reload_bytes\": " + std::to_string(st.reload_bytes) + "}";
  }
  return o + "]";
}
}  // namespace

std::string FormatMinBudget(const MinBudgetReport& r) {
  std::string s;
  s += Rule("╭", "╮", "TiGrIS - " + r.model_name + " - smallest fast budget");
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
    char macs[32];
    std::snprintf(macs, sizeof macs, "%.3fx MACs", r.model_macs ? static_cast<double>(p.executed_macs) / static_cast<double>(r.model_macs) : 1.0);
    char cyc[32];
    std::snprintf(cyc, sizeof cyc, "%.3g cycles", p.modeled_cycles);
    s += Row(FormatBytes(p.budget), std::to_string(p.stages) + " stages (" + std::to_string(p.tiled_stages) + " tiled, " +
                                        std::to_string(p.chain_stages) + " chain)");
    s += Row("", "slow I/O " + FormatBytes(p.spill_bytes + p.reload_bytes) + ", " + macs + ", " + cyc);
  }
  s += Rule("╰", "╯", "");
  return s;
}

std::string MinBudgetToJson(const MinBudgetReport& r) {
  std::ostringstream os;
  os << "{\n  \"model\": " << JsonString(r.model_name) << ",\n  \"min_budget\": " << r.min_budget
     << ",\n  \"untiled_arena\": " << r.untiled_arena << ",\n  \"model_macs\": " << r.model_macs
     << ",\n  \"target\": " << JsonString(r.target) << ",\n  \"points\": [";
  for (size_t i = 0; i < r.points.size(); ++i) {
    const BudgetPoint& p = r.points[i];
    os << (i ? ",\n    " : "\n    ") << "{\"budget\": " << p.budget << ", \"arena\": " << p.arena << ", \"stages\": " << p.stages
       << ", \"tiled_stages\": " << p.tiled_stages << ", \"chain_stages\": " << p.chain_stages
       << ", \"spill_bytes\": " << p.spill_bytes << ", \"reload_bytes\": " << p.reload_bytes
       << ", \"executed_macs\": " << p.executed_macs << ", \"kernel_calls\": " << p.kernel_calls
       << ", \"modeled_cycles\": " << static_cast<uint64_t>(p.modeled_cycles) << "}";
  }
  os << "\n  ]\n}\n";
  return os.str();
}

std::string ReportToJson(const AnalysisReport& r) {
  std::ostringstream os;
  os << "{\n"
     << "  \"model\": " << JsonString(r.model_name) << ",\n"
     << "  \"operators\": " << r.n_ops << ",\n"
     << "  \"tensors\": " << r.n_tensors << ",\n"
     << "  \"activations\": " << r.n_activations << ",\n"
     << "  \"weights\": " << r.n_weights << ",\n"
     << "  \"naive_peak\": " << r.naive_peak << ",\n"
     << "  \"onnx_order_peak\": " << r.onnx_order_peak << ",\n"
     << "  \"unpartitioned_peak\": " << r.unpartitioned_peak << ",\n"
     << "  \"schedule_optimal\": " << (r.schedule_optimal ? "true" : "false") << ",\n"
     << "  \"scheduled_peak\": " << r.scheduled_peak << ",\n"
     << "  \"min_fast_budget\": " << r.min_fast_budget << ",\n"
     << "  \"arena_lower_bound\": " << r.arena_lower_bound << ",\n"
     << "  \"planner\": " << JsonString(r.planner) << ",\n"
     << "  \"spill_bytes\": " << r.spill_bytes << ",\n"
     << "  \"reload_bytes\": " << r.reload_bytes << ",\n"
     << "  \"model_macs\": " << r.model_macs << ",\n"
     << "  \"executed_macs\": " << r.executed_macs << ",\n"
     << "  \"kernel_calls\": " << r.kernel_calls << ",\n"
     << "  \"target\": " << JsonString(r.target) << ",\n"
     << "  \"modeled_cycles\": " << static_cast<uint64_t>(r.modeled_cycles) << ",\n"
     << "  \"stage_list\": " << StageList(r.stages) << ",\n"
     << "  \"int8_plan_estimate\": " << r.int8_plan_estimate << ",\n"
     << "  \"int8_ops\": " << r.n_int8_ops << ",\n"
     << "  \"int8_weight_bytes\": " << r.int8_weight_bytes << ",\n"
     << "  \"quant_table_bytes\": " << r.quant_table_bytes << ",\n"
     << "  \"sram_diagnostic\": " << JsonString(r.sram_diagnostic) << ",\n"
     << "  \"largest_tensor\": {\"shape\": " << JsonString(r.largest_tensor_shape)
     << ", \"bytes\": " << r.largest_tensor_bytes << "},\n"
     << "  \"dtype\": " << JsonString(r.dtype) << ",\n"
     << "  \"stages\": " << r.n_stages << ",\n"
     << "  \"pool_budget\": " << JsonList(r.pool_budget) << ",\n"
     << "  \"pool_used\": " << JsonList(r.pool_used) << ",\n"
     << "  \"weight_bytes\": " << r.weight_bytes << ",\n"
     << "  \"plan_overhead\": " << r.plan_overhead << ",\n"
     << "  \"plan_bytes\": " << r.plan_bytes << ",\n"
     << (r.weights_mode == "xip" ? std::string()
                                 : "  \"weights_mode\": " + JsonString(r.weights_mode) + ",\n  \"uncompressed_plan_bytes\": " +
                                       std::to_string(r.uncompressed_plan_bytes) + ",\n  \"weight_stage_bytes\": " +
                                       std::to_string(r.weight_stage_bytes) + ",\n  \"decompression_overhead\": " +
                                       std::to_string(r.decompression_overhead) + ",\n")
     << "  \"flash_budget\": " << r.flash_budget << ",\n"
     << "  \"sram_fits\": " << (r.sram_fits ? "true" : "false") << ",\n"
     << "  \"flash_fits\": " << (r.flash_fits ? "true" : "false") << "\n"
     << "}\n";
  return os.str();
}

}  // namespace tigris
