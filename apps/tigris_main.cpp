// The `tigris` command line: a thin layer over tigris::analyze/compile/run and emit::GenerateC. Exit codes:
// 0 success (analyze: PASS), 1 the model does not fit the budget (analyze: FAIL), 2 any error.
// Output files are written atomically: on failure nothing is left behind.
#include <cxxopts.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <iterator>
#include <string>
#include <vector>

#include "tigris/emit/codegen.h"
#include "tigris/frontend/onnx_importer.h"
#include "tigris/inspect.h"
#include "tigris/support/log.h"
#include "tigris/support/progress.h"
#include "tigris/tigris.h"

namespace fs = std::filesystem;

namespace {

constexpr int kExitOk = 0;
constexpr int kExitBudget = 1;
constexpr int kExitError = 2;

int Fail(const std::string& msg) {
  std::cerr << "tigris: error: " << msg << "\n";
  return kExitError;
}

int FailStatus(const tigris::Status& st) {
  std::cerr << "tigris: error: " << st.message() << "\n";
  return st.code() == tigris::ErrorCode::kBudgetExceeded ? kExitBudget : kExitError;
}

using tigris::WriteFileAtomic;  // temp file + rename (tigris.h)

tigris::Expected<std::vector<uint8_t>> ReadFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return tigris::IoError("cannot open '" + path + "'");
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  return bytes;
}

// "NAME=1x3x96x96" -> name, dims.
tigris::Status ParseInputShape(const std::string& spec, tigris::CompileOptions& opts) {
  auto eq = spec.rfind('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == spec.size())
    return tigris::InvalidArgument("--input-shape expects NAME=DIMS like input=1x3x96x96, got '" + spec + "'");
  std::vector<int64_t> dims;
  std::string rest = spec.substr(eq + 1);
  size_t pos = 0;
  while (pos <= rest.size()) {
    size_t x = rest.find('x', pos);
    std::string part = rest.substr(pos, x == std::string::npos ? std::string::npos : x - pos);
    if (part.empty() || part.find_first_not_of("0123456789") != std::string::npos || part.size() > 9)
      return tigris::InvalidArgument("--input-shape: bad dimension '" + part + "' in '" + spec + "'");
    dims.push_back(std::stoll(part));
    if (dims.back() <= 0) return tigris::InvalidArgument("--input-shape: dimensions must be positive in '" + spec + "'");
    if (x == std::string::npos) break;
    pos = x + 1;
  }
  opts.input_shapes[spec.substr(0, eq)] = dims;
  return tigris::Status::Ok();
}

// -v / -vv / --log-level: the compiler's decision log on stderr (stdout stays the report).
void AddLogOptions(cxxopts::Options& o) {
  o.add_options()("v,verbose", "Log the compiler's decisions to stderr (-v: info, -vv: debug)")(
      "log-level", "Log level: trace, debug, info, warn (default), error, off", cxxopts::value<std::string>());
}

tigris::Status ApplyLogOptions(const cxxopts::ParseResult& r) {
  const size_t v = r.count("verbose");
  tigris::log::SetLevel(v >= 2 ? tigris::log::Level::kDebug : v == 1 ? tigris::log::Level::kInfo : tigris::log::Level::kWarn);
  if (r.count("log-level")) {
    auto level = tigris::log::ParseLevel(r["log-level"].as<std::string>());
    if (!level) return tigris::InvalidArgument("--log-level: " + level.status().message());
    tigris::log::SetLevel(*level);
  }
  return tigris::Status::Ok();
}

void AddModelOptions(cxxopts::Options& o) {
  AddLogOptions(o);
  o.add_options()
    ("m,mem", "Memory pool size, fast to slow; repeat for more pools (e.g. -m 256K -m 8M)",
     cxxopts::value<std::vector<std::string>>())
    ("f,flash", "Flash budget (e.g. 4M); the plan must fit", cxxopts::value<std::string>())
    ("xip", "Execute in place: weights are read directly from memory-mapped flash")
    ("stream-weights", "The default: weights are not addressable; each stage's weights are read through the "
                       "application's callback into a planned RAM buffer (counted in the pools) before its first op")
    ("c,compress", "Weight compression: none (default) or lz4 (per op or chain, decoded in RAM just before it runs)",
     cxxopts::value<std::string>()->default_value("none"))
    ("input-shape", "Bind an input's shape, NAME=DIMS (e.g. input=1x3x96x96); other symbolic dims become 1",
     cxxopts::value<std::vector<std::string>>())
    ("planner", "Offset assignment algorithm: hill_climb (default), greedy_by_size, greedy_by_breadth, optimal",
     cxxopts::value<std::string>()->default_value("hill_climb"))
    ("schedule", "Op order: min_peak (default; exact minimum-peak order) or onnx (the model's order)",
     cxxopts::value<std::string>()->default_value("min_peak"))
    ("layout", "Physical layout of int8 tensors: auto (default; channels-last activations and vendor weight "
               "layouts, docs/int8.md) or nchw (every tensor dense row-major); outputs are identical",
     cxxopts::value<std::string>()->default_value("auto"))
    ("target", "Cost-model profile that ranks tilings: esp32s3 (default), cortex-m4, cortex-m55, or a PROFILE.json",
     cxxopts::value<std::string>()->default_value("esp32s3"))
    ("backend", "Kernels the plan is sized for: reference (default), cmsis-nn, esp-nn (vendor backends built into "
                "this tigris; their scratch is sized for the --target's isa)",
     cxxopts::value<std::string>()->default_value("reference"))
    ("no-tiling", "Temporal partitioning only: no op runs in strips")
    ("html", "Also write the report as one self-contained HTML page (memory timeline, stages, ops, flash)",
     cxxopts::value<std::string>())
    ("verify-each-pass", "Verify the IR after every pass (debug)")
    ("dump-each-pass", "Print the IR after every pass to stderr (debug)")
    ("h,help", "Show this help")
    ("model", "ONNX model", cxxopts::value<std::string>());
  o.parse_positional({"model"});
  o.positional_help("MODEL.onnx");
}

// Fills CompileOptions from the shared model options; returns an error message or "".
tigris::Status ReadModelOptions(const cxxopts::ParseResult& r, tigris::CompileOptions& opts, std::string& model) {
  TIGRIS_RETURN_IF_ERROR(ApplyLogOptions(r));
  if (!r.count("model")) return tigris::InvalidArgument("missing MODEL.onnx");
  model = r["model"].as<std::string>();
  if (!r.count("mem")) return tigris::InvalidArgument("at least one memory pool is required (-m 256K)");
  for (const auto& m : r["mem"].as<std::vector<std::string>>()) {
    auto size = tigris::ParseSize(m);
    if (!size) return tigris::InvalidArgument("-m: " + size.status().message());
    opts.pools.push_back(*size);
  }
  if (r.count("flash")) {
    auto size = tigris::ParseSize(r["flash"].as<std::string>());
    if (!size) return tigris::InvalidArgument("-f: " + size.status().message());
    opts.flash = *size;
  }
  if (r.count("xip") && r.count("stream-weights")) return tigris::InvalidArgument("--xip and --stream-weights exclude each other");
  opts.xip = r.count("xip") > 0;
  opts.compress = r["compress"].as<std::string>();
  opts.planner = r["planner"].as<std::string>();
  opts.schedule = r["schedule"].as<std::string>();
  opts.layout = r["layout"].as<std::string>();
  opts.target = r["target"].as<std::string>();
  opts.backend = r["backend"].as<std::string>();
  opts.tiling = r.count("no-tiling") == 0;
  opts.verify_each_pass = r.count("verify-each-pass") > 0;
  opts.dump_each_pass = r.count("dump-each-pass") > 0;
  if (r.count("input-shape"))
    for (const auto& spec : r["input-shape"].as<std::vector<std::string>>()) {
      auto st = ParseInputShape(spec, opts);
      if (!st.ok()) return st;
    }
  return tigris::Status::Ok();
}

int CmdAnalyze(int argc, char** argv) {
  cxxopts::Options o("tigris analyze", "Report a model's memory profile against the given budgets.");
  AddModelOptions(o);
  o.add_options()("json", "Print the report as JSON")("dump-ir", "Print the IR after import and normalization")(
      "min-budget", "Find the smallest fast budget (the first -m) that compiles, by bisection over real compiles, "
                    "and the cost at a few budgets above it");
  auto r = o.parse(argc, argv);
  if (r.count("help")) {
    std::cout << o.help() << "\nExit code: 0 = PASS, 1 = FAIL (does not fit), 2 = error.\n";
    return kExitOk;
  }
  tigris::CompileOptions opts;
  std::string model;
  if (auto st = ReadModelOptions(r, opts, model); !st.ok()) return FailStatus(st);
  if (r.count("html") && (r.count("dump-ir") || r.count("min-budget")))
    return Fail("--html writes the analyze report; it cannot be combined with --dump-ir or --min-budget");
  if (r.count("dump-ir")) {
    auto g = tigris::lower(model, opts);
    if (!g) return FailStatus(g.status());
    std::cout << g->Dump();
    return kExitOk;
  }
  if (r.count("min-budget")) {
    tigris::Progress progress("min-budget");
    int probes = 0;
    if (progress.active())
      opts.on_probe = [&](uint64_t budget, bool compiles) {
        progress.Update(std::to_string(++probes) + " compiles, " + tigris::FormatBytes(budget) +
                        (compiles ? " compiles" : " does not compile"));
      };
    auto mb = tigris::min_budget(model, opts);
    if (!mb) return FailStatus(mb.status());
    std::cout << (r.count("json") ? tigris::MinBudgetToJson(*mb) : tigris::FormatMinBudget(*mb));
    return mb->min_budget > 0 ? kExitOk : kExitBudget;
  }
  auto report = tigris::analyze(model, opts);
  if (!report) return FailStatus(report.status());
  if (r.count("html"))
    if (auto st = tigris::write_html_report(*report, r["html"].as<std::string>()); !st.ok()) return FailStatus(st);
  std::cout << (r.count("json") ? tigris::ReportToJson(*report) : tigris::FormatReport(*report));
  return report->sram_fits && report->flash_fits ? kExitOk : kExitBudget;
}

std::string DefaultPlanPath(const std::string& model) {
  fs::path p(model);
  if (p.extension() == ".onnx") p.replace_extension(".tgrs");
  else p += ".tgrs";
  return p.string();
}

int CmdCompile(int argc, char** argv) {
  cxxopts::Options o("tigris compile", "Compile an ONNX model into a .tgrs execution plan.");
  AddModelOptions(o);
  o.add_options()
    ("o,output", "Output plan (default: MODEL.tgrs)", cxxopts::value<std::string>());
  auto r = o.parse(argc, argv);
  if (r.count("help")) {
    std::cout << o.help() << "\nExit code: 0 = written, 1 = does not fit the budget, 2 = error.\n";
    return kExitOk;
  }
  tigris::CompileOptions opts;
  std::string model;
  if (auto st = ReadModelOptions(r, opts, model); !st.ok()) return FailStatus(st);
  const std::string out = r.count("output") ? r["output"].as<std::string>() : DefaultPlanPath(model);

  auto plan = tigris::compile(model, opts);
  if (!plan) return FailStatus(plan.status());
  if (auto st = WriteFileAtomic(out, plan->bytes.data(), plan->bytes.size()); !st.ok()) return FailStatus(st);
  if (r.count("html"))
    if (auto st = tigris::write_html_report(plan->report, r["html"].as<std::string>()); !st.ok()) return FailStatus(st);
  const auto& rep = plan->report;
  std::cout << "Binary plan written to " << out << "\n"
            << rep.n_ops << " ops, " << rep.n_stages << (rep.n_stages == 1 ? " stage" : " stages") << " @ "
            << tigris::FormatBytes(opts.pools[0]) << " budget (arena " << tigris::FormatBytes(rep.pool_used[0]) << ")\n";
  if (rep.spill_bytes || rep.reload_bytes)
    std::cout << "spill / reload: " << tigris::FormatBytes(rep.spill_bytes) << " / "
              << tigris::FormatBytes(rep.reload_bytes) << " per inference\n";
  if (opts.compress != "none") {
    char ratio[32];
    std::snprintf(ratio, sizeof ratio, "%.2fx",
                  rep.uncompressed_plan_bytes ? double(rep.plan_bytes) / double(rep.uncompressed_plan_bytes) : 1.0);
    std::cout << "plan size: " << tigris::FormatBytes(rep.plan_bytes) << " (uncompressed: "
              << tigris::FormatBytes(rep.uncompressed_plan_bytes) << ", ratio: " << ratio << ")\n";
  } else {
    std::cout << "plan size: " << tigris::FormatBytes(rep.plan_bytes) << " (weights " << tigris::FormatBytes(rep.weight_bytes)
              << ")\n";
  }
  if (rep.weights_mode != "xip")
    std::cout << "weights: " << rep.weights_mode << ", largest weight buffer " << tigris::FormatBytes(rep.weight_stage_bytes)
              << ", decompression overhead " << rep.decompression_overhead << " B\n";
  if (opts.flash) std::cout << "flash " << tigris::FormatBytes(opts.flash) << ": fits\n";
  return kExitOk;
}

// Reads one input: ONNX TensorProto (.pb) or raw little-endian bytes (.bin) of exactly the
// size the plan expects.
tigris::Expected<tigris::ir::Tensor> ReadInput(const std::string& path, const tigris::ir::Tensor& expected) {
  const std::string desc = "'" + expected.name + "' (" + tigris::ir::ShapeString(expected.shape) + " " +
                           tigris::ir::DTypeName(expected.dtype) + ")";
  if (path.size() >= 4 && path.compare(path.size() - 4, 4, ".bin") == 0) {
    auto bytes = ReadFile(path);
    if (!bytes) return bytes.status();
    if (static_cast<int64_t>(bytes->size()) != expected.SizeBytes())
      return tigris::InvalidArgument("input " + desc + ": '" + path + "' has " + std::to_string(bytes->size()) +
                                     " bytes, expected " + std::to_string(expected.SizeBytes()));
    tigris::ir::Tensor t = expected;
    t.is_constant = true;
    t.data = std::move(*bytes);
    return t;
  }
  auto t = tigris::frontend::ReadTensorProtoFile(path);
  if (!t) return tigris::InvalidArgument("input " + desc + ": " + t.status().message());
  if (t->dtype != expected.dtype || t->NumElements() != expected.NumElements())
    return tigris::InvalidArgument("input " + desc + ": '" + path + "' holds " + tigris::ir::ShapeString(t->shape) + " " +
                                   tigris::ir::DTypeName(t->dtype));
  return t;
}

// The front of every subcommand that reads one PLAN.tgrs: adds --help and the positional plan,
// parses, prints the help (then `help_tail`) for --help and fails without a plan. Returns the
// exit code to stop with, or nullopt with `r` holding the parse.
std::optional<int> ParsePlanCommand(cxxopts::Options& o, int argc, char** argv, cxxopts::ParseResult& r,
                                    const char* help_tail = "") {
  o.add_options()("h,help", "Show this help")("plan", "Plan file", cxxopts::value<std::string>());
  o.parse_positional({"plan"});
  o.positional_help("PLAN.tgrs");
  r = o.parse(argc, argv);
  if (r.count("help")) {
    std::cout << o.help() << help_tail;
    return kExitOk;
  }
  if (!r.count("plan")) return Fail("missing PLAN.tgrs");
  return std::nullopt;
}

int CmdRun(int argc, char** argv) {
  cxxopts::Options o("tigris run", "Execute a .tgrs plan on this machine with the C99 runtime.");
  o.add_options()
    ("i,input", "Input k in plan order: ONNX TensorProto .pb or raw little-endian .bin; repeat per input",
     cxxopts::value<std::vector<std::string>>())
    ("o,output", "Directory for output_<k>.pb", cxxopts::value<std::string>()->default_value("."));
  cxxopts::ParseResult r;
  if (auto done = ParsePlanCommand(o, argc, argv, r)) return *done;
  auto bytes = ReadFile(r["plan"].as<std::string>());
  if (!bytes) return FailStatus(bytes.status());
  auto expected = tigris::plan_inputs(*bytes);
  if (!expected) return FailStatus(expected.status());
  std::vector<std::string> paths;
  if (r.count("input")) paths = r["input"].as<std::vector<std::string>>();
  if (paths.size() != expected->size())
    return Fail("the plan has " + std::to_string(expected->size()) + " input(s), " + std::to_string(paths.size()) +
                " given with -i");
  std::vector<tigris::ir::Tensor> inputs;
  for (size_t k = 0; k < paths.size(); ++k) {
    auto t = ReadInput(paths[k], (*expected)[k]);
    if (!t) return FailStatus(t.status());
    inputs.push_back(std::move(*t));
  }
  tigris::RunOptions run_options;
  run_options.plan_file = r["plan"].as<std::string>();  // a streamed plan reads its weights from the file
  auto ran = tigris::run(*bytes, inputs, run_options);
  if (!ran) return FailStatus(ran.status());
  auto* outputs = &ran->outputs;
  const fs::path dir(r["output"].as<std::string>());
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Fail("cannot create '" + dir.string() + "': " + ec.message());
  for (size_t k = 0; k < outputs->size(); ++k) {
    const std::string path = (dir / ("output_" + std::to_string(k) + ".pb")).string();
    if (auto st = tigris::frontend::WriteTensorProtoFile(path, (*outputs)[k]); !st.ok()) return FailStatus(st);
    std::cout << path << ": " << (*outputs)[k].name << " " << tigris::ir::ShapeString((*outputs)[k].shape) << "\n";
  }
  return kExitOk;
}

// inspect PLAN [--json] [--diff OTHER]: the plan as the runtime's loader reads it. With --diff,
// exit 0 when the plans are the same and 1 when they differ; 2 for an unreadable plan.
int CmdInspect(int argc, char** argv) {
  cxxopts::Options o("tigris inspect", "Show a .tgrs plan as the C99 runtime's loader reads it, or what changed between two.");
  AddLogOptions(o);
  o.add_options()("json", "Print as JSON")("diff", "Compare with another plan: what changed (exit 0 same, 1 different)",
                                           cxxopts::value<std::string>());
  cxxopts::ParseResult r;
  if (auto done = ParsePlanCommand(o, argc, argv, r,
                                   "\nExit code: 0 = shown / plans identical, 1 = plans differ (--diff), 2 = error.\n"))
    return *done;
  if (auto st = ApplyLogOptions(r); !st.ok()) return FailStatus(st);
  auto read = [](const std::string& path) -> tigris::Expected<tigris::PlanInfo> {
    auto bytes = ReadFile(path);
    if (!bytes) return bytes.status();
    auto info = tigris::inspect(*bytes);
    if (!info) return tigris::Status(info.status().code(), "'" + path + "': " + info.status().message());
    return info;
  };
  auto a = read(r["plan"].as<std::string>());
  if (!a) return FailStatus(a.status());
  if (!r.count("diff")) {
    std::cout << (r.count("json") ? tigris::PlanInfoToJson(*a) : tigris::FormatPlanInfo(*a));
    return kExitOk;
  }
  auto b = read(r["diff"].as<std::string>());
  if (!b) return FailStatus(b.status());
  const std::vector<std::string> changes = tigris::DiffPlans(*a, *b);
  if (r.count("json")) {
    std::cout << tigris::PlanDiffToJson(changes);
  } else if (changes.empty()) {
    std::cout << "plans are identical\n";
  } else {
    for (const std::string& c : changes) std::cout << c << "\n";
  }
  return changes.empty() ? kExitOk : kExitBudget;
}

// codegen: the plan as <name>.c + <name>.h (tigris::emit::GenerateC), both written atomically.
int CmdCodegen(int argc, char** argv) {
  cxxopts::Options o("tigris codegen", "Generate a standalone C file + header embedding a .tgrs plan.");
  o.add_options()
    ("backend", "Kernel backend: reference (default), or cmsis-nn / esp-nn when built in (warns how many calls run reference kernels)",
     cxxopts::value<std::string>()->default_value("reference"))
    ("name", "C identifier prefix (default: the output file's stem)", cxxopts::value<std::string>())
    ("o,output", "Output C file; the header is written next to it with the extension .h",
     cxxopts::value<std::string>()->default_value("model.c"));
  cxxopts::ParseResult r;
  if (auto done = ParsePlanCommand(o, argc, argv, r)) return *done;
  const fs::path out(r["output"].as<std::string>());
  const fs::path header = fs::path(out).replace_extension(".h");
  tigris::emit::CodegenOptions opts;
  opts.backend = r["backend"].as<std::string>();
  opts.name = r.count("name") ? r["name"].as<std::string>() : tigris::emit::SanitizeCIdentifier(out.stem().string());
  opts.header_name = header.filename().string();
  auto bytes = ReadFile(r["plan"].as<std::string>());
  if (!bytes) return FailStatus(bytes.status());
  auto code = tigris::emit::GenerateC(*bytes, opts);
  if (!code) return FailStatus(code.status());
  for (const std::string& w : code->warnings) std::cerr << "tigris: warning: " << w << "\n";
  if (auto st = WriteFileAtomic(header.string(), code->header.data(), code->header.size()); !st.ok())
    return FailStatus(st);
  if (auto st = WriteFileAtomic(out.string(), code->source.data(), code->source.size()); !st.ok()) {
    std::error_code ec;
    fs::remove(header, ec);
    return FailStatus(st);
  }
  std::cout << "C source written to " << out.string() << " and " << header.string() << " (" << opts.name << "_*)\n";
  return kExitOk;
}

void Usage(std::ostream& os) {
  os << "tigris " << tigris::VersionString() << " - Tiled Graph Inference Scheduler\n\n"
     << "Usage:\n"
     << "  tigris analyze MODEL.onnx -m SIZE [-m SIZE...] [-f SIZE] [--json] [--dump-ir] [--min-budget]\n"
     << "  tigris compile MODEL.onnx -m SIZE [-m SIZE...] [-f SIZE] [--xip] [-c none|lz4] [-o PLAN.tgrs]\n"
     << "  tigris run PLAN.tgrs -i INPUT.pb|.bin [-i ...] [-o OUTDIR]\n"
     << "  tigris inspect PLAN.tgrs [--json] [--diff OTHER.tgrs]\n"
     << "  tigris codegen PLAN.tgrs [--backend reference] [--name NAME] [-o model.c]\n"
     << "  tigris --version\n\n"
     << "Sizes: 256K, 8M, 1G (binary units) or bytes. -v / -vv / --log-level LEVEL log the compiler's\n"
     << "decisions to stderr. `tigris COMMAND --help` for details.\n";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    Usage(std::cerr);
    return kExitError;
  }
  const std::string cmd = argv[1];
  if (cmd == "--version" || cmd == "-V" || cmd == "version") {
    std::cout << "tigris " << tigris::VersionString() << "\n";
    return kExitOk;
  }
  if (cmd == "--help" || cmd == "-h" || cmd == "help") {
    Usage(std::cout);
    return kExitOk;
  }
  try {
    if (cmd == "analyze") return CmdAnalyze(argc - 1, argv + 1);
    if (cmd == "compile") return CmdCompile(argc - 1, argv + 1);
    if (cmd == "run") return CmdRun(argc - 1, argv + 1);
    if (cmd == "inspect") return CmdInspect(argc - 1, argv + 1);
    if (cmd == "codegen") return CmdCodegen(argc - 1, argv + 1);
  } catch (const cxxopts::exceptions::exception& e) {
    return Fail(std::string(e.what()) + " (see `tigris " + cmd + " --help`)");
  } catch (const std::exception& e) {
    return Fail(e.what());
  }
  std::cerr << "tigris: error: unknown command '" << cmd << "'\n\n";
  Usage(std::cerr);
  return kExitError;
}
