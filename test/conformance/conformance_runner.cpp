// Conformance runner: every in-scope ONNX backend test (libonnx-testdata: ONNX's per-operator
// node tests and the PyTorch-exported suites, one --data-dir each) is compiled with tigris::compile, run with tigris::run and compared with ONNX's reference outputs
// at ONNX's tolerance. Prints one line per test and "conformance: N passed, M failed, K skipped".
// The claimed ops must be exactly the ONNX ops the frontend maps (tigris::frontend::SupportedOnnxOps).
//
// Scope and the data lists are described in docs/conformance.md. Exit status: 0 when nothing
// failed, 1 when something failed, 2 on a usage error, 77 when the test data is not installed.
#include <onnx/onnx_pb.h>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "tigris/frontend/onnx_importer.h"
#include "tigris/ir/graph.h"
#include "tigris/support/status.h"
#include "tigris/tigris.h"

namespace fs = std::filesystem;

namespace {

// ONNX backend test tolerance for float32 (onnx/backend/test/runner: rtol 1e-3, atol 1e-7).
constexpr double kRtol = 1e-3;
constexpr double kAtol = 1e-7;
constexpr uint64_t kPoolBytes = 256ull << 20;

struct Config {
  // Test suites: directories of <test>/model.onnx + test_data_set_*; each given with --data-dir
  // (ONNX's node tests, and the PyTorch-exported pytorch-converted/pytorch-operator/simple sets).
  std::vector<std::string> data_dirs;
  std::string claimed_path;
  std::string slots_path;
  std::string unsupported_path;
  std::vector<std::string> filters;  // substrings; empty = every test
  bool verbose = false;
  size_t min_in_scope = 0;  // fewer in-scope tests than this is a failure (a vacuous run)
};

// ---------------------------------------------------------------------------------------------
// The three data lists.

// Lines with '#' comments stripped, split on whitespace; empty lines dropped.
bool ReadListFile(const std::string& path, std::vector<std::vector<std::string>>* rows, std::string* err) {
  std::ifstream in(path);
  if (!in) {
    *err = "cannot open " + path;
    return false;
  }
  std::string line;
  while (std::getline(in, line)) {
    auto hash = line.find('#');
    std::string body = hash == std::string::npos ? line : line.substr(0, hash);
    std::istringstream ss(body);
    std::vector<std::string> words;
    for (std::string w; ss >> w;) words.push_back(w);
    if (!words.empty()) rows->push_back(std::move(words));
  }
  return true;
}

struct Lists {
  std::set<std::string> claimed;  // op types
  std::map<std::string, std::set<int>> claimed_types;  // op type -> TensorProto element types
  std::set<std::string> folded;   // helper op types folded by the frontend
  std::set<std::pair<std::string, int>> const_slots;
  std::map<std::string, std::string> declared;  // test name -> reason
};

bool LoadLists(const Config& cfg, Lists* lists, std::string* err) {
  std::vector<std::vector<std::string>> rows;
  if (!ReadListFile(cfg.claimed_path, &rows, err)) return false;
  static const std::map<std::string, int> kTypes = {{"float32", onnx::TensorProto::FLOAT},
                                                     {"int32", onnx::TensorProto::INT32},
                                                     {"int64", onnx::TensorProto::INT64},
                                                     {"bool", onnx::TensorProto::BOOL},
                                                     {"int8", onnx::TensorProto::INT8},
                                                     {"uint8", onnx::TensorProto::UINT8}};
  for (const auto& r : rows) {
    bool ok = r.size() == 2;
    if (ok && r[1] == "folded") {
      lists->folded.insert(r[0]);
      continue;
    }
    // a comma-separated list of element types
    std::set<int> types;
    for (size_t at = 0; ok && at <= r[1].size();) {
      const size_t comma = std::min(r[1].find(',', at), r[1].size());
      auto t = kTypes.find(r[1].substr(at, comma - at));
      ok = t != kTypes.end();
      if (ok) types.insert(t->second);
      at = comma + 1;
    }
    if (!ok) {
      *err = cfg.claimed_path + ": expected '<OpType> folded' or '<OpType> <float32|int32|int64|bool|int8|uint8>[,...]', got '" +
             r[0] + "...'";
      return false;
    }
    lists->claimed.insert(r[0]);
    lists->claimed_types[r[0]] = types;
  }
  rows.clear();
  if (!ReadListFile(cfg.slots_path, &rows, err)) return false;
  for (const auto& r : rows) {
    char* end = nullptr;
    long idx = r.size() == 2 ? std::strtol(r[1].c_str(), &end, 10) : -1;
    if (r.size() != 2 || *end != '\0' || idx < 0) {
      *err = cfg.slots_path + ": expected '<OpType> <input index>', got '" + r[0] + "...'";
      return false;
    }
    lists->const_slots.insert({r[0], static_cast<int>(idx)});
  }
  // declared_unsupported.txt keeps its comments' text as the reason: "<test> <reason words>".
  std::ifstream in(cfg.unsupported_path);
  if (!in) {
    *err = "cannot open " + cfg.unsupported_path;
    return false;
  }
  for (std::string line; std::getline(in, line);) {
    auto first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] == '#') continue;
    auto sp = line.find_first_of(" \t", first);
    std::string name = line.substr(first, sp == std::string::npos ? std::string::npos : sp - first);
    std::string reason;
    if (sp != std::string::npos) {
      auto r0 = line.find_first_not_of(" \t", sp);
      if (r0 != std::string::npos) reason = line.substr(r0);
    }
    if (reason.empty()) {
      *err = cfg.unsupported_path + ": '" + name + "' needs a reason";
      return false;
    }
    lists->declared[name] = reason;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Protobuf helpers (independent of the TiGrIS frontend, so a frontend bug cannot hide here).

bool ReadProtoFile(const fs::path& path, google::protobuf::MessageLite* msg) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  return msg->ParseFromString(ss.str());
}

std::string ShapeText(const std::vector<int64_t>& dims) {
  if (dims.empty()) return "scalar";
  std::string s;
  for (size_t i = 0; i < dims.size(); ++i) s += (i ? "x" : "") + std::to_string(dims[i]);
  return s;
}

// float32 TensorProto -> values and dims. False (with a reason) for any other element type.
bool FloatsFromProto(const onnx::TensorProto& tp, std::vector<float>* values, std::vector<int64_t>* dims,
                     std::string* err) {
  if (tp.data_type() != onnx::TensorProto::FLOAT) {
    *err = "reference tensor '" + tp.name() + "' has element type " + std::to_string(tp.data_type()) +
           ", not float32";
    return false;
  }
  dims->assign(tp.dims().begin(), tp.dims().end());
  int64_t count = 1;
  for (int64_t d : *dims) count *= d;
  if (tp.has_raw_data()) {
    if (tp.raw_data().size() != static_cast<size_t>(count) * sizeof(float)) {
      *err = "reference tensor '" + tp.name() + "': raw_data size does not match its dims";
      return false;
    }
    values->resize(static_cast<size_t>(count));
    if (count) std::memcpy(values->data(), tp.raw_data().data(), tp.raw_data().size());
  } else {
    if (tp.float_data_size() != count) {
      *err = "reference tensor '" + tp.name() + "': float_data size does not match its dims";
      return false;
    }
    values->assign(tp.float_data().begin(), tp.float_data().end());
  }
  return true;
}

// float32, int32, int64, bool, int8 or uint8 TensorProto -> a tensor with little-endian element
// bytes (bool one byte). False (with a reason) for any other element type or inconsistent data.
bool TensorFromProto(const onnx::TensorProto& tp, tigris::ir::Tensor* t, std::string* err) {
  using D = tigris::ir::DType;
  D dtype;
  switch (tp.data_type()) {
    case onnx::TensorProto::FLOAT: dtype = D::kF32; break;
    case onnx::TensorProto::INT32: dtype = D::kI32; break;
    case onnx::TensorProto::INT64: dtype = D::kI64; break;
    case onnx::TensorProto::BOOL: dtype = D::kBool; break;
    case onnx::TensorProto::INT8: dtype = D::kI8; break;
    case onnx::TensorProto::UINT8: dtype = D::kU8; break;
    default:
      *err = "tensor '" + tp.name() + "' has element type " + std::to_string(tp.data_type()) +
             " (float32, int32, int64, bool, int8 and uint8 are read)";
      return false;
  }
  t->name = tp.name();
  t->dtype = dtype;
  t->shape.assign(tp.dims().begin(), tp.dims().end());
  const auto count = static_cast<size_t>(t->NumElements());
  const auto size = static_cast<size_t>(tigris::ir::DTypeSize(dtype));
  t->data.resize(count * size);
  if (tp.has_raw_data()) {
    if (tp.raw_data().size() != t->data.size()) {
      *err = "tensor '" + tp.name() + "': raw_data size does not match its dims";
      return false;
    }
    if (count) std::memcpy(t->data.data(), tp.raw_data().data(), t->data.size());
    return true;
  }
  const size_t have = dtype == D::kF32 ? static_cast<size_t>(tp.float_data_size())
                      : dtype == D::kI64 ? static_cast<size_t>(tp.int64_data_size())
                                         : static_cast<size_t>(tp.int32_data_size());
  if (have != count) {
    *err = "tensor '" + tp.name() + "': typed data size does not match its dims";
    return false;
  }
  for (size_t i = 0; i < count; ++i) {
    uint8_t* at = t->data.data() + i * size;
    if (dtype == D::kF32) {
      const float v = tp.float_data(static_cast<int>(i));
      std::memcpy(at, &v, 4);
    } else if (dtype == D::kI64) {
      const int64_t v = tp.int64_data(static_cast<int>(i));
      std::memcpy(at, &v, 8);
    } else if (dtype == D::kI32) {
      const int32_t v = tp.int32_data(static_cast<int>(i));
      std::memcpy(at, &v, 4);
    } else if (dtype == D::kI8 || dtype == D::kU8) {
      *at = static_cast<uint8_t>(tp.int32_data(static_cast<int>(i)) & 0xFF);
    } else {
      *at = tp.int32_data(static_cast<int>(i)) != 0 ? 1 : 0;
    }
  }
  return true;
}

// The element types a test's runtime inputs and outputs may have: those its claimed ops claim.
std::set<int> ClaimedTypesOf(const Lists& lists, const onnx::GraphProto& g) {
  std::set<int> types;
  for (const auto& n : g.node()) {
    auto it = lists.claimed_types.find(n.op_type());
    if (it != lists.claimed_types.end()) types.insert(it->second.begin(), it->second.end());
  }
  return types;
}

std::string TypeText(int onnx_type) {
  static const char* const kNames[] = {"undefined", "float32", "uint8",  "int8",    "uint16",    "int16",
                                       "int32",     "int64",   "string", "bool",    "float16",   "float64",
                                       "uint32",    "uint64",  "complex64", "complex128", "bfloat16"};
  if (onnx_type >= 0 && onnx_type < static_cast<int>(sizeof(kNames) / sizeof(kNames[0]))) return kNames[onnx_type];
  return "element type " + std::to_string(onnx_type);
}

// ---------------------------------------------------------------------------------------------
// One test.

enum class Verdict { kPass, kFail, kSkip, kOutOfScope };

struct Outcome {
  Verdict verdict = Verdict::kOutOfScope;
  std::string detail;
};

struct TestCase {
  std::string name;   // the test directory's name (what declared_unsupported.txt lists)
  std::string label;  // <suite>/<name>, printed
  fs::path dir;
  onnx::ModelProto model;
  std::vector<std::string> runtime_inputs;  // graph inputs that are not initializers, in order
  std::set<std::string> frozen;             // of those, the ones frozen into initializers
  std::vector<std::string> op_types;
};

std::vector<fs::path> DataSets(const fs::path& dir) {
  std::vector<fs::path> sets;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_directory() && e.path().filename().string().rfind("test_data_set_", 0) == 0) sets.push_back(e.path());
  std::sort(sets.begin(), sets.end(), [](const fs::path& a, const fs::path& b) {
    auto num = [](const fs::path& p) { return std::stol(p.filename().string().substr(14)); };
    return num(a) < num(b);
  });
  return sets;
}

// Decides scope; fills runtime_inputs/frozen. Returns the reason when out of scope.
std::optional<std::string> CheckScope(const Lists& lists, TestCase* tc) {
  const auto& g = tc->model.graph();
  bool any_claimed = false;
  for (const auto& n : g.node()) {
    if (!n.domain().empty() && n.domain() != "ai.onnx") return "node of domain " + n.domain();
    tc->op_types.push_back(n.op_type());
    if (lists.claimed.count(n.op_type())) {
      any_claimed = true;
    } else if (!lists.folded.count(n.op_type())) {
      return "op " + n.op_type() + " is not claimed";
    }
  }
  if (!any_claimed) return "no claimed op";
  std::set<std::string> initializers;
  for (const auto& init : g.initializer()) initializers.insert(init.name());
  // Which (op, slot) pairs each value feeds.
  std::map<std::string, std::vector<std::pair<std::string, int>>> uses;
  for (const auto& n : g.node())
    for (int i = 0; i < n.input_size(); ++i)
      if (!n.input(i).empty()) uses[n.input(i)].push_back({n.op_type(), i});
  // Runtime inputs and outputs have an element type one of the test's claimed ops claims.
  const std::set<int> types = ClaimedTypesOf(lists, g);
  auto claimed_type = [&](const onnx::TypeProto& t) {
    return t.has_tensor_type() && types.count(t.tensor_type().elem_type()) != 0;
  };
  for (const auto& vi : g.input()) {
    if (initializers.count(vi.name())) continue;
    tc->runtime_inputs.push_back(vi.name());
    if (!vi.type().has_tensor_type()) return "input '" + vi.name() + "' is not a tensor";
    bool feeds_const_slot = false;
    for (const auto& u : uses[vi.name()])
      if (lists.const_slots.count(u)) feeds_const_slot = true;
    if (feeds_const_slot) {
      tc->frozen.insert(vi.name());
      continue;
    }
    // Anything else stays a runtime input: it must have a claimed type. (Reasons name the
    // element type, not the tensor, so the -v summary groups them.)
    if (!claimed_type(vi.type()))
      return "a data input is " + TypeText(vi.type().tensor_type().elem_type()) +
             ", which its ops do not claim";
  }
  for (const auto& vi : g.output())
    if (!claimed_type(vi.type()))
      return "an output is " + TypeText(vi.type().tensor_type().elem_type()) +
             ", which its ops do not claim";
  return std::nullopt;
}

// The model with the frozen inputs turned into initializers holding test_data_set_0's values.
bool FreezeInputs(const TestCase& tc, const fs::path& set0, onnx::ModelProto* out, std::string* err) {
  *out = tc.model;
  auto* g = out->mutable_graph();
  for (size_t k = 0; k < tc.runtime_inputs.size(); ++k) {
    const std::string& name = tc.runtime_inputs[k];
    if (!tc.frozen.count(name)) continue;
    onnx::TensorProto tp;
    fs::path pb = set0 / ("input_" + std::to_string(k) + ".pb");
    if (!ReadProtoFile(pb, &tp)) {
      *err = "cannot read " + pb.string();
      return false;
    }
    tp.set_name(name);
    *g->add_initializer() = tp;
  }
  auto* inputs = g->mutable_input();
  for (int i = inputs->size() - 1; i >= 0; --i)
    if (tc.frozen.count(inputs->Get(i).name())) inputs->DeleteSubrange(i, 1);
  return true;
}

std::string FormatFloat(double v) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}

std::string MultiIndex(int64_t flat, const std::vector<int64_t>& dims) {
  if (dims.empty()) return "[]";
  std::vector<int64_t> idx(dims.size());
  for (size_t d = dims.size(); d-- > 0;) {
    idx[d] = dims[d] ? flat % dims[d] : 0;
    flat = dims[d] ? flat / dims[d] : 0;
  }
  std::string s = "[";
  for (size_t d = 0; d < idx.size(); ++d) s += (d ? "," : "") + std::to_string(idx[d]);
  return s + "]";
}

bool Close(float ours, float ref) {
  if (std::isnan(ref) || std::isnan(ours)) return std::isnan(ref) && std::isnan(ours);
  if (std::isinf(ref) || std::isinf(ours)) return ours == ref;
  return std::fabs(static_cast<double>(ours) - ref) <= kAtol + kRtol * std::fabs(static_cast<double>(ref));
}

// Compares one output; empty string when it matches.
// Compares one int32/int64/bool/int8/uint8 output exactly; empty string when it matches.
std::string CompareExact(const std::string& name, const tigris::ir::Tensor& ours, const tigris::ir::Tensor& ref) {
  const size_t es = static_cast<size_t>(tigris::ir::DTypeSize(ref.dtype));
  auto value = [&](const tigris::ir::Tensor& t, size_t i) -> int64_t {
    const uint8_t* p = t.data.data() + i * es;
    if (t.dtype == tigris::ir::DType::kI64) {
      int64_t v;
      std::memcpy(&v, p, 8);
      return v;
    }
    if (t.dtype == tigris::ir::DType::kI32) {
      int32_t v;
      std::memcpy(&v, p, 4);
      return v;
    }
    if (t.dtype == tigris::ir::DType::kI8) return static_cast<int8_t>(*p);
    return *p;  // uint8, bool: ours must be exactly 0 or 1 as well
  };
  int64_t first = -1, bad = 0;
  const size_t count = ref.data.size() / es;
  for (size_t i = 0; i < count; ++i) {
    if (value(ours, i) == value(ref, i)) continue;
    if (first < 0) first = static_cast<int64_t>(i);
    ++bad;
  }
  if (first < 0) return "";
  const auto f = static_cast<size_t>(first);
  return "output '" + name + "' " + ShapeText(ref.shape) + ": " + std::to_string(bad) + " of " +
         std::to_string(count) + " elements differ; first at " + MultiIndex(first, ref.shape) + ": got " +
         std::to_string(value(ours, f)) + ", expected " + std::to_string(value(ref, f)) + " (exact)";
}

std::string CompareOutput(const std::string& name, const tigris::ir::Tensor& ours, const onnx::TensorProto& ref_tp) {
  std::vector<float> ref;
  std::vector<int64_t> ref_dims;
  std::string err;
  if (ref_tp.data_type() != onnx::TensorProto::FLOAT) {
    tigris::ir::Tensor ref_t;
    if (!TensorFromProto(ref_tp, &ref_t, &err)) return "reference " + err;
    if (ours.dtype != ref_t.dtype)
      return "output '" + name + "': dtype " + tigris::ir::DTypeName(ours.dtype) + ", expected " +
             tigris::ir::DTypeName(ref_t.dtype);
    if (ours.shape != ref_t.shape)
      return "output '" + name + "': shape " + ShapeText(ours.shape) + ", expected " + ShapeText(ref_t.shape);
    if (ours.data.size() != ref_t.data.size())
      return "output '" + name + "': " + std::to_string(ours.data.size()) + " data bytes for shape " +
             ShapeText(ours.shape);
    return CompareExact(name, ours, ref_t);
  }
  if (!FloatsFromProto(ref_tp, &ref, &ref_dims, &err)) return err;
  if (ours.dtype != tigris::ir::DType::kF32)
    return "output '" + name + "': dtype " + tigris::ir::DTypeName(ours.dtype) + ", expected float32";
  if (ours.shape != ref_dims)
    return "output '" + name + "': shape " + ShapeText(ours.shape) + ", expected " + ShapeText(ref_dims);
  if (ours.data.size() != ref.size() * sizeof(float))
    return "output '" + name + "': " + std::to_string(ours.data.size()) + " data bytes for shape " +
           ShapeText(ours.shape);
  std::vector<float> got(ref.size());
  if (!got.empty()) std::memcpy(got.data(), ours.data.data(), ours.data.size());
  int64_t first = -1, bad = 0;
  for (size_t i = 0; i < ref.size(); ++i) {
    if (Close(got[i], ref[i])) continue;
    if (first < 0) first = static_cast<int64_t>(i);
    ++bad;
  }
  if (first < 0) return "";
  const auto f = static_cast<size_t>(first);
  return "output '" + name + "' " + ShapeText(ref_dims) + ": " + std::to_string(bad) + " of " +
         std::to_string(ref.size()) + " elements differ; first at " + MultiIndex(first, ref_dims) + ": got " +
         FormatFloat(got[f]) + ", expected " + FormatFloat(ref[f]) + " (|diff| " +
         FormatFloat(std::fabs(static_cast<double>(got[f]) - ref[f])) + ", tolerance " +
         FormatFloat(kAtol + kRtol * std::fabs(static_cast<double>(ref[f]))) + ")";
}

// Runs every data set through the compiled plan. Empty string when every output matches.
std::string RunDataSets(const TestCase& tc, const std::vector<uint8_t>& plan, const std::vector<fs::path>& sets) {
  auto plan_in = tigris::plan_inputs(plan);
  if (!plan_in.ok()) return "plan_inputs: " + plan_in.status().message();
  const auto& g = tc.model.graph();
  for (const auto& set : sets) {
    const std::string set_name = set.filename().string();
    // Runtime inputs by name, from input_<k>.pb where k is the position among runtime inputs.
    std::map<std::string, tigris::ir::Tensor> by_name;
    for (size_t k = 0; k < tc.runtime_inputs.size(); ++k) {
      const std::string& name = tc.runtime_inputs[k];
      if (tc.frozen.count(name)) continue;
      onnx::TensorProto tp;
      fs::path pb = set / ("input_" + std::to_string(k) + ".pb");
      if (!ReadProtoFile(pb, &tp)) return set_name + ": cannot read " + pb.filename().string();
      tigris::ir::Tensor t;
      std::string err;
      if (!TensorFromProto(tp, &t, &err)) return set_name + ": " + err;
      t.name = name;
      by_name[name] = std::move(t);
    }
    std::vector<tigris::ir::Tensor> inputs;
    for (const auto& pi : *plan_in) {
      auto it = by_name.find(pi.name);
      if (it == by_name.end()) return "plan input '" + pi.name + "' is not a runtime input of the model";
      inputs.push_back(it->second);
    }
    auto outs = tigris::run(plan, inputs);
    if (!outs.ok()) return set_name + ": run failed: " + outs.status().message();
    if (outs->size() != static_cast<size_t>(g.output_size()))
      return set_name + ": plan produced " + std::to_string(outs->size()) + " outputs, model has " +
             std::to_string(g.output_size());
    for (int k = 0; k < g.output_size(); ++k) {
      const std::string& name = g.output(k).name();
      const tigris::ir::Tensor* ours = nullptr;
      for (const auto& o : *outs)
        if (o.name == name) ours = &o;
      if (!ours) return set_name + ": plan has no output named '" + name + "'";
      onnx::TensorProto ref;
      fs::path pb = set / ("output_" + std::to_string(k) + ".pb");
      if (!ReadProtoFile(pb, &ref)) return set_name + ": cannot read " + pb.filename().string();
      std::string diff = CompareOutput(name, *ours, ref);
      if (!diff.empty()) return set_name + ": " + diff;
    }
  }
  return "";
}

const char* CodeName(tigris::ErrorCode c) {
  switch (c) {
    case tigris::ErrorCode::kOk: return "ok";
    case tigris::ErrorCode::kInvalidArgument: return "kInvalidArgument";
    case tigris::ErrorCode::kInvalidModel: return "kInvalidModel";
    case tigris::ErrorCode::kUnsupported: return "kUnsupported";
    case tigris::ErrorCode::kBudgetExceeded: return "kBudgetExceeded";
    case tigris::ErrorCode::kIoError: return "kIoError";
    case tigris::ErrorCode::kInternal: return "kInternal";
  }
  return "?";
}

Outcome RunTest(const Lists& lists, const fs::path& tmp_dir, bool verbose, TestCase& tc) {
  if (auto why = CheckScope(lists, &tc)) return {Verdict::kOutOfScope, *why};
  const auto declared = lists.declared.find(tc.name);
  const bool is_declared = declared != lists.declared.end();
  auto sets = DataSets(tc.dir);
  if (sets.empty()) return {Verdict::kFail, "no test_data_set_* directory"};

  onnx::ModelProto frozen;
  std::string err;
  if (!FreezeInputs(tc, sets[0], &frozen, &err)) return {Verdict::kFail, err};
  // A later data set that needs different values in a frozen slot cannot run on this plan.
  for (size_t s = 1; s < sets.size(); ++s)
    for (size_t k = 0; k < tc.runtime_inputs.size(); ++k) {
      if (!tc.frozen.count(tc.runtime_inputs[k])) continue;
      onnx::TensorProto a, b;
      const std::string f = "input_" + std::to_string(k) + ".pb";
      if (!ReadProtoFile(sets[0] / f, &a) || !ReadProtoFile(sets[s] / f, &b) ||
          a.SerializeAsString() != b.SerializeAsString())
        return {Verdict::kFail, sets[s].filename().string() + " changes frozen input '" + tc.runtime_inputs[k] +
                                    "'; the runner cannot test it"};
    }
  fs::path model_path = tmp_dir / (tc.name + ".onnx");
  {
    std::ofstream out(model_path, std::ios::binary);
    if (!out || !frozen.SerializeToOstream(&out)) return {Verdict::kFail, "cannot write " + model_path.string()};
  }

  tigris::CompileOptions opts;
  opts.pools = {kPoolBytes};
  auto compiled = tigris::compile(model_path.string(), opts);
  std::error_code ec;
  fs::remove(model_path, ec);
  if (!compiled.ok()) {
    const auto& st = compiled.status();
    std::string msg = st.message();
    const std::string prefix = model_path.string() + ": ";
    if (msg.rfind(prefix, 0) == 0) msg = msg.substr(prefix.size());
    if (st.code() == tigris::ErrorCode::kUnsupported) {
      if (is_declared) return {Verdict::kSkip, msg};
      return {Verdict::kFail, "compile: kUnsupported but not in declared_unsupported.txt: " + msg};
    }
    return {Verdict::kFail, std::string("compile: ") + CodeName(st.code()) + ": " + msg};
  }
  std::string diff = RunDataSets(tc, compiled->bytes, sets);
  std::string info;
  if (verbose) {
    info = "[" + std::to_string(compiled->graph.nodes.size()) + " plan ops";
    for (const auto& f : tc.frozen) info += ", froze '" + f + "'";
    info += "]";
  }
  if (is_declared) {
    if (diff.empty())
      return {Verdict::kFail, "declared unsupported (" + declared->second +
                                  ") but compiles and passes: remove it from declared_unsupported.txt"};
    return {Verdict::kFail, "declared unsupported but compiled (no kUnsupported) and gave a wrong answer: " + diff};
  }
  if (!diff.empty()) return {Verdict::kFail, diff + (info.empty() ? "" : " " + info)};
  return {Verdict::kPass, info};
}

void Usage(const char* argv0) {
  std::cerr << "usage: " << argv0
            << " --claimed FILE --slots FILE --unsupported FILE [--data-dir DIR]... [--min-in-scope N] [-v]\n"
            << "       [TEST_SUBSTRING...]\n";
}

}  // namespace

int main(int argc, char** argv) {
  Config cfg;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&](std::string* dst) {
      if (i + 1 >= argc) return false;
      *dst = argv[++i];
      return true;
    };
    bool ok = true;
    if (a == "--claimed") ok = next(&cfg.claimed_path);
    else if (a == "--slots") ok = next(&cfg.slots_path);
    else if (a == "--unsupported") ok = next(&cfg.unsupported_path);
    else if (a == "--data-dir") {
      std::string d;
      ok = next(&d);
      if (ok) cfg.data_dirs.push_back(d);
    }
    else if (a == "-v" || a == "--verbose") cfg.verbose = true;
    else if (a == "--min-in-scope") {
      std::string v;
      ok = next(&v);
      if (ok) cfg.min_in_scope = static_cast<size_t>(std::strtoul(v.c_str(), nullptr, 10));
    }
    else if (!a.empty() && a[0] == '-') ok = false;
    else cfg.filters.push_back(a);
    if (!ok) {
      Usage(argv[0]);
      return 2;
    }
  }
  if (cfg.claimed_path.empty() || cfg.slots_path.empty() || cfg.unsupported_path.empty()) {
    Usage(argv[0]);
    return 2;
  }
  Lists lists;
  std::string err;
  if (!LoadLists(cfg, &lists, &err)) {
    std::cerr << "conformance: " << err << "\n";
    return 2;
  }
  if (cfg.data_dirs.empty()) cfg.data_dirs.push_back("/usr/share/libonnx-testdata/data/node");
  for (const auto& d : cfg.data_dirs)
    if (!fs::is_directory(d)) {
      std::cout << "conformance: test data not found at " << d << " (install libonnx-testdata)\n"
                << "conformance: 0 passed, 0 failed, 0 skipped\n";
      return 77;
    }
  char tmpl[] = "/tmp/tigris-conformance-XXXXXX";
  if (!mkdtemp(tmpl)) {
    std::cerr << "conformance: cannot create a temporary directory\n";
    return 2;
  }
  const fs::path tmp_dir = tmpl;

  // Every test of every suite, suite by suite in the order given, tests sorted by name. Names
  // must be unique across suites: declared_unsupported.txt lists bare test names.
  std::vector<fs::path> dirs;
  std::map<std::string, fs::path> dir_of_name;
  int passed = 0, failed = 0, skipped = 0;
  for (const auto& d : cfg.data_dirs) {
    std::vector<fs::path> suite;
    for (const auto& e : fs::directory_iterator(d))
      if (e.is_directory()) suite.push_back(e.path());
    std::sort(suite.begin(), suite.end());
    for (const auto& t : suite) {
      auto [it, fresh] = dir_of_name.emplace(t.filename().string(), t);
      if (!fresh) {
        ++failed;
        std::cout << "FAIL suites: test name " << t.filename().string() << " is in both " << it->second.string()
                  << " and " << t.string() << "\n";
        continue;
      }
      dirs.push_back(t);
    }
  }

  // The claims are exactly what the frontend maps (ops.def rows and the mapper's aliases): an op
  // added to the table is not done until its ONNX tests run here, and nothing is claimed that
  // the compiler would refuse by name.
  {
    const std::vector<std::string> supported = tigris::frontend::SupportedOnnxOps();
    for (const auto& op : supported)
      if (!lists.claimed.count(op)) {
        ++failed;
        std::cout << "FAIL claims: op " << op << " is supported (ops.def / the mapper) but not claimed in "
                  << cfg.claimed_path << "\n";
      }
    for (const auto& op : lists.claimed)
      if (std::find(supported.begin(), supported.end(), op) == supported.end()) {
        ++failed;
        std::cout << "FAIL claims: op " << op << " is claimed in " << cfg.claimed_path
                  << " but the frontend does not map it\n";
      }
  }
  std::set<std::string> seen_in_scope;
  std::map<std::string, int> in_scope_per_suite;
  std::map<std::string, int> out_of_scope_reasons;  // reason with the op named, e.g. "op Pow is not claimed"
  const auto t0 = std::chrono::steady_clock::now();
  for (const auto& dir : dirs) {
    const std::string name = dir.filename().string();
    if (!cfg.filters.empty() &&
        std::none_of(cfg.filters.begin(), cfg.filters.end(),
                     [&](const std::string& f) { return name.find(f) != std::string::npos; }))
      continue;
    TestCase tc;
    tc.name = name;
    tc.dir = dir;
    const std::string suite = dir.parent_path().filename().string();
    tc.label = suite + "/" + name;
    Outcome o;
    if (!ReadProtoFile(dir / "model.onnx", &tc.model)) {
      o = {Verdict::kOutOfScope, "model.onnx does not parse"};
    } else {
      const auto t_start = std::chrono::steady_clock::now();
      try {
        o = RunTest(lists, tmp_dir, cfg.verbose, tc);
      } catch (const std::exception& e) {
        o = {Verdict::kFail, std::string("exception: ") + e.what()};
      } catch (...) {
        o = {Verdict::kFail, "unknown exception"};
      }
      if (cfg.verbose && o.verdict != Verdict::kOutOfScope) {
        const double ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t_start).count();
        o.detail += (o.detail.empty() ? "" : " ") + std::string("[") + FormatFloat(std::round(ms)) + " ms]";
      }
    }
    std::string ops;
    for (const auto& op : tc.op_types)
      if (lists.claimed.count(op) && ops.find(op) == std::string::npos) ops += (ops.empty() ? "" : ",") + op;
    switch (o.verdict) {
      case Verdict::kOutOfScope:
        if (cfg.verbose) std::cout << "OUT-OF-SCOPE " << tc.label << ": " << o.detail << "\n";
        ++out_of_scope_reasons[o.detail];
        if (lists.declared.count(name)) {
          ++failed;
          std::cout << "FAIL " << tc.label << ": listed in declared_unsupported.txt but out of scope (" << o.detail
                    << "): remove it from the list\n";
        }
        continue;
      case Verdict::kPass:
        ++passed;
        std::cout << "PASS " << tc.label << " (" << ops << ")" << (o.detail.empty() ? "" : " " + o.detail) << "\n";
        break;
      case Verdict::kSkip:
        ++skipped;
        std::cout << "UNSUPPORTED-DECLARED " << tc.label << " (" << ops << "): " << o.detail << "\n";
        break;
      case Verdict::kFail:
        ++failed;
        std::cout << "FAIL " << tc.label << " (" << ops << "): " << o.detail << "\n";
        break;
    }
    seen_in_scope.insert(name);
    ++in_scope_per_suite[suite];
  }
  // Entries naming tests that do not exist at all keep the list honest too.
  if (cfg.filters.empty())
    for (const auto& [name, reason] : lists.declared)
      if (!dir_of_name.count(name)) {
        ++failed;
        std::cout << "FAIL " << name << ": listed in declared_unsupported.txt but there is no such test\n";
      }
  if (cfg.filters.empty() && seen_in_scope.size() < cfg.min_in_scope) {
    ++failed;
    std::cout << "FAIL scope: only " << seen_in_scope.size() << " in-scope tests, expected at least "
              << cfg.min_in_scope << " (did claimed_ops.txt, the scope rules or the test data change?)\n";
  }
  std::error_code ec;
  fs::remove_all(tmp_dir, ec);
  if (cfg.verbose) {
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::cout << "conformance: " << seen_in_scope.size() << " in-scope tests in " << FormatFloat(s) << " s\n";
    // Why the rest is out of scope, most frequent first: the import-breadth to-do list.
    std::vector<std::pair<int, std::string>> reasons;
    for (const auto& [why, n] : out_of_scope_reasons) reasons.push_back({n, why});
    std::sort(reasons.begin(), reasons.end(), [](const auto& a, const auto& b) {
      return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    for (const auto& [n, why] : reasons) std::cout << "out of scope: " << n << " x " << why << "\n";
  }
  {
    std::string per_suite;
    for (const auto& [suite, n] : in_scope_per_suite)
      per_suite += (per_suite.empty() ? "" : ", ") + suite + " " + std::to_string(n);
    int out_of_scope = 0;
    for (const auto& [why, n] : out_of_scope_reasons) out_of_scope += n;
    std::cout << "conformance: " << seen_in_scope.size() << " tests in scope (" << per_suite << "), "
              << out_of_scope << " out of scope\n";
  }
  std::cout << "conformance: " << passed << " passed, " << failed << " failed, " << skipped << " skipped\n";
  return failed ? 1 : 0;
}
