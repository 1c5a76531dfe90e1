// The only frontend translation unit that includes the onnx/protobuf headers: parsing, version
// conversion, shape inference, input binding, snapshots (RawModel) and TensorProto files.
// Nothing thrown by protobuf or onnx escapes: every entry point converts it to a Status.
#include <onnx/onnx_pb.h>
#include <onnx/defs/schema.h>
#include <onnx/shape_inference/implementation.h>
#include <onnx/version_converter/convert.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <functional>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "newer_opsets.h"
#include "qoperators.h"
#include "raw_model.h"
#include "tigris/support/log.h"

#if defined(__unix__) || defined(__APPLE__)
#include <sys/wait.h>
#include <unistd.h>
#endif

namespace tigris::frontend {

namespace {

std::string Quote(const std::string& s) { return "'" + s + "'"; }

bool IsDefaultDomain(const std::string& d) { return d.empty() || d == "ai.onnx"; }

int64_t DefaultOpset(const onnx::ModelProto& m) {
  for (const auto& o : m.opset_import())
    if (IsDefaultDomain(o.domain())) return o.version();
  return 0;
}

void SetDefaultOpset(onnx::ModelProto& m, int64_t v) {
  for (auto& o : *m.mutable_opset_import())
    if (IsDefaultDomain(o.domain())) o.set_version(v);
}

// Runs `fn`, turning anything thrown into a Status with `what` as context.
template <typename Fn>
Status Guard(const std::string& what, ErrorCode code, Fn&& fn) {
  try {
    return fn();
  } catch (const std::exception& e) {
    std::string msg = e.what();
    std::replace(msg.begin(), msg.end(), '\n', ' ');
    return Status(code, what + ": " + msg);
  } catch (...) {
    return Status(code, what + ": unknown error");
  }
}

// Runs `fn` (which returns a serialized ModelProto) in a forked child where the platform
// allows, so that a crash inside onnx on a malformed model (onnx 1.12's per-op shape inference
// dereferences inconsistent inputs) becomes an error instead of taking the host down.
Expected<std::string> Isolated(const std::string& what, const std::function<std::string()>& fn) {
  auto inline_run = [&]() -> Expected<std::string> {
    std::string out;
    Status st = Guard(what, ErrorCode::kInvalidModel, [&] {
      out = fn();
      return Status::Ok();
    });
    if (!st.ok()) return st;
    return out;
  };
#if defined(__unix__) || defined(__APPLE__)
  int fds[2];
  if (pipe(fds) != 0) return inline_run();
  std::fflush(stdout);
  std::fflush(stderr);
  const pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return inline_run();
  }
  if (pid == 0) {
    close(fds[0]);
    std::string msg;
    char tag = 0;
    try {
      msg = fn();
    } catch (const std::exception& e) {
      tag = 1;
      msg = e.what();
    } catch (...) {
      tag = 1;
      msg = "unknown error";
    }
    msg.insert(msg.begin(), tag);
    size_t off = 0;
    while (off < msg.size()) {
      const ssize_t n = write(fds[1], msg.data() + off, msg.size() - off);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) _exit(3);
      off += static_cast<size_t>(n);
    }
    _exit(0);
  }
  close(fds[1]);
  std::string buf;
  char chunk[65536];
  for (;;) {
    const ssize_t n = read(fds[0], chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    buf.append(chunk, static_cast<size_t>(n));
  }
  close(fds[0]);
  int wstatus = 0;
  while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
  }
  if (WIFSIGNALED(wstatus))
    return InvalidModel(what + ": onnx crashed on this model (signal " + std::to_string(WTERMSIG(wstatus)) +
                        "); it is probably malformed");
  if (!WIFEXITED(wstatus) || WEXITSTATUS(wstatus) != 0 || buf.empty()) return InvalidModel(what + ": onnx failed on this model");
  if (buf[0] != 0) {
    std::string msg = buf.substr(1);
    std::replace(msg.begin(), msg.end(), '\n', ' ');
    return InvalidModel(what + ": " + msg);
  }
  return buf.substr(1);
#else
  return inline_run();
#endif
}

template <typename T, typename Field>
void AppendTyped(std::vector<uint8_t>& out, const Field& field) {
  out.resize(static_cast<size_t>(field.size()) * sizeof(T));
  for (int i = 0; i < field.size(); ++i) {
    T v = static_cast<T>(field.Get(i));
    std::memcpy(out.data() + static_cast<size_t>(i) * sizeof(T), &v, sizeof(T));
  }
}

// TensorProto -> constant ir::Tensor.
Expected<ir::Tensor> FromTensorProto(const onnx::TensorProto& tp, const std::string& context) {
  ir::Tensor t;
  t.name = tp.name();
  t.is_constant = true;
  const std::string label = context + " " + Quote(tp.name());
  if (tp.data_location() == onnx::TensorProto::EXTERNAL || tp.external_data_size() > 0)
    return Unsupported(label + ": tensors with external data are not supported");
  if (tp.has_segment()) return Unsupported(label + ": segmented tensors are not supported");
  t.dtype = DTypeFromOnnx(tp.data_type());
  if (t.dtype == ir::DType::kUndefined)
    return Unsupported(label + ": element type " + OnnxTypeName(tp.data_type()) + " is not supported");
  int64_t count = 1;
  for (int64_t d : tp.dims()) {
    if (d < 0) return InvalidModel(label + ": negative dimension");
    if (d > 0 && count > std::numeric_limits<int64_t>::max() / 8 / d)
      return InvalidModel(label + ": dimensions overflow");
    count *= d;
    t.shape.push_back(d);
  }
  const size_t esize = static_cast<size_t>(ir::DTypeSize(t.dtype));
  if (tp.has_raw_data()) {
    const std::string& raw = tp.raw_data();
    if (raw.size() != static_cast<size_t>(count) * esize)
      return InvalidModel(label + ": raw_data has " + std::to_string(raw.size()) + " bytes, shape " +
                          ir::ShapeString(t.shape) + " needs " + std::to_string(count * static_cast<int64_t>(esize)));
    t.data.assign(raw.begin(), raw.end());
    return t;
  }
  switch (t.dtype) {
    case ir::DType::kF32: AppendTyped<float>(t.data, tp.float_data()); break;
    case ir::DType::kI64: AppendTyped<int64_t>(t.data, tp.int64_data()); break;
    case ir::DType::kI32: AppendTyped<int32_t>(t.data, tp.int32_data()); break;
    case ir::DType::kI16: AppendTyped<int16_t>(t.data, tp.int32_data()); break;
    case ir::DType::kI8: AppendTyped<int8_t>(t.data, tp.int32_data()); break;
    case ir::DType::kU8: AppendTyped<uint8_t>(t.data, tp.int32_data()); break;
    case ir::DType::kBool: AppendTyped<uint8_t>(t.data, tp.int32_data()); break;
    case ir::DType::kUndefined: break;
  }
  if (t.data.size() != static_cast<size_t>(count) * esize)
    return InvalidModel(label + ": has " + std::to_string(t.data.size() / esize) + " values, shape " +
                        ir::ShapeString(t.shape) + " needs " + std::to_string(count));
  return t;
}

void ToTensorProto(const ir::Tensor& t, onnx::TensorProto* tp) {
  tp->set_name(t.name);
  tp->set_data_type(static_cast<int32_t>(t.dtype));
  for (int64_t d : t.shape) tp->add_dims(d);
  tp->set_raw_data(std::string(t.data.begin(), t.data.end()));
}

ValueInfo FromTypeProto(const onnx::TypeProto& type) {
  ValueInfo vi;
  if (!type.has_tensor_type()) return vi;
  const auto& tt = type.tensor_type();
  vi.onnx_type = tt.elem_type();
  if (tt.has_shape()) {
    vi.has_shape = true;
    for (const auto& d : tt.shape().dim())
      vi.shape.push_back(d.has_dim_value() && d.dim_value() >= 0 ? d.dim_value() : -1);
  }
  return vi;
}

RawAttr FromAttributeProto(const onnx::AttributeProto& a) {
  RawAttr r;
  using A = onnx::AttributeProto;
  switch (a.type()) {
    case A::INT: r.type = RawAttr::Type::kInt; r.i = a.i(); break;
    case A::FLOAT: r.type = RawAttr::Type::kFloat; r.f = a.f(); break;
    case A::STRING: r.type = RawAttr::Type::kString; r.s = a.s(); break;
    case A::INTS: r.type = RawAttr::Type::kInts; r.ints.assign(a.ints().begin(), a.ints().end()); break;
    case A::FLOATS: r.type = RawAttr::Type::kFloats; r.floats.assign(a.floats().begin(), a.floats().end()); break;
    case A::STRINGS: r.type = RawAttr::Type::kStrings; r.strings.assign(a.strings().begin(), a.strings().end()); break;
    case A::TENSOR: {
      r.type = RawAttr::Type::kTensor;
      auto t = FromTensorProto(a.t(), "attribute " + Quote(a.name()) + " tensor");
      if (t.ok()) r.t = std::move(*t);
      else r.t_status = t.status();
      break;
    }
    case A::GRAPH: case A::GRAPHS: r.type = RawAttr::Type::kGraph; break;
    default: r.type = RawAttr::Type::kUnknown; break;
  }
  // Old exporters leave `type` unset; guess from the populated field.
  if (a.type() == A::UNDEFINED) {
    if (a.ints_size()) { r.type = RawAttr::Type::kInts; r.ints.assign(a.ints().begin(), a.ints().end()); }
    else if (a.floats_size()) { r.type = RawAttr::Type::kFloats; r.floats.assign(a.floats().begin(), a.floats().end()); }
    else if (a.has_s()) { r.type = RawAttr::Type::kString; r.s = a.s(); }
    else if (a.has_f()) { r.type = RawAttr::Type::kFloat; r.f = a.f(); }
    else if (a.has_i()) { r.type = RawAttr::Type::kInt; r.i = a.i(); }
  }
  return r;
}

// Renames value `from` to `to` wherever the graph refers to it.
void RenameValue(onnx::GraphProto* g, const std::string& from, const std::string& to) {
  for (auto& n : *g->mutable_node()) {
    for (auto& in : *n.mutable_input())
      if (in == from) in = to;
    for (auto& out : *n.mutable_output())
      if (out == from) out = to;
  }
  for (auto& v : *g->mutable_output())
    if (v.name() == from) v.set_name(to);
  for (auto& v : *g->mutable_value_info())
    if (v.name() == from) v.set_name(to);
}

// After conversion, the k-th Resize node is the k-th Upsample/Resize node of the original graph
// (the converter keeps the node order and makes Resize nodes from nothing else). Gives a
// rebuilt one its original output name back, so errors, dumps and later name-based lookups
// see what the user wrote. Does nothing if the counts disagree or the name is taken.
void RestoreResizeOutputs(onnx::GraphProto* g, const std::vector<std::string>& original_outputs) {
  std::vector<onnx::NodeProto*> resizes;
  std::unordered_set<std::string> names;
  for (const auto& v : g->input()) names.insert(v.name());
  for (const auto& t : g->initializer()) names.insert(t.name());
  for (auto& n : *g->mutable_node()) {
    for (const auto& out : n.output()) names.insert(out);
    if (IsDefaultDomain(n.domain()) && n.op_type() == "Resize") resizes.push_back(&n);
  }
  if (resizes.size() != original_outputs.size()) return;
  for (size_t k = 0; k < resizes.size(); ++k) {
    if (resizes[k]->output_size() == 0) continue;
    const std::string now = resizes[k]->output(0), want = original_outputs[k];
    if (now == want || names.count(want)) continue;
    RenameValue(g, now, want);
    names.insert(want);
  }
}

}  // namespace

Expected<ir::Tensor> TensorFromProto(const onnx::TensorProto& tp, const std::string& context) {
  return FromTensorProto(tp, context);
}

ir::DType DTypeFromOnnx(int32_t onnx_type) {
  switch (onnx_type) {
    case onnx::TensorProto::FLOAT: return ir::DType::kF32;
    case onnx::TensorProto::UINT8: return ir::DType::kU8;
    case onnx::TensorProto::INT8: return ir::DType::kI8;
    case onnx::TensorProto::INT16: return ir::DType::kI16;
    case onnx::TensorProto::INT32: return ir::DType::kI32;
    case onnx::TensorProto::INT64: return ir::DType::kI64;
    case onnx::TensorProto::BOOL: return ir::DType::kBool;
    default: return ir::DType::kUndefined;
  }
}

std::string OnnxTypeName(int32_t onnx_type) {
  if (onnx_type == 0) return "unknown";
  // Element types newer than onnx 1.12's TensorProto (IR 9..11).
  switch (onnx_type) {
    case 11: return "float64";
    case 17: return "float8e4m3fn";
    case 18: return "float8e4m3fnuz";
    case 19: return "float8e5m2";
    case 20: return "float8e5m2fnuz";
    case 21: return "uint4";
    case 22: return "int4";
    case 23: return "float4e2m1";
    default: break;
  }
  if (onnx::TensorProto::DataType_IsValid(onnx_type)) {
    std::string s = onnx::TensorProto::DataType_Name(static_cast<onnx::TensorProto::DataType>(onnx_type));
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
  }
  return "type " + std::to_string(onnx_type);
}

struct OnnxModel::Impl {
  onnx::ModelProto model;
  int64_t original_opset = 0;
  std::string conversion_error;
  // Set for a model written at opset 18..21 (newer_opsets.h): its nodes are normalized to
  // opset-17 forms by our rewrites, not by onnx's converter.
  bool newer = false;
  NewerOpsetState newer_state;
};

OnnxModel::OnnxModel(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
OnnxModel::~OnnxModel() = default;

Expected<std::unique_ptr<OnnxModel>> OnnxModel::Parse(const std::string& bytes) {
  auto impl = std::make_unique<Impl>();
  if (bytes.empty()) return InvalidModel("not an ONNX model: the input is empty");
  if (bytes.size() > static_cast<size_t>(std::numeric_limits<int>::max()))
    return InvalidModel("not an ONNX model: larger than 2 GiB (external data is not supported)");
  bool parsed = false;
  Status st = Guard("not an ONNX model", ErrorCode::kInvalidModel, [&] {
    parsed = impl->model.ParseFromString(bytes);
    return Status::Ok();
  });
  TIGRIS_RETURN_IF_ERROR(st);
  if (!parsed) return InvalidModel("not an ONNX model (or a truncated one): protobuf parsing failed");
  const auto& m = impl->model;
  impl->original_opset = DefaultOpset(m);
  if (!m.has_graph() || m.graph().node_size() == 0)
    return InvalidModel("not an ONNX model: it has no graph nodes");
  if (DefaultOpset(m) <= 0 && m.ir_version() <= 0)
    return InvalidModel("not an ONNX model: no ir_version and no opset_import");

  // Structural check before handing the model to onnx, whose converter asserts on dangling
  // references: every input must be produced earlier, by an initializer or a graph input.
  const auto& g = m.graph();
  std::unordered_set<std::string> avail;
  for (const auto& i : g.initializer()) avail.insert(i.name());
  for (const auto& i : g.input()) avail.insert(i.name());
  for (int n = 0; n < g.node_size(); ++n) {
    const auto& node = g.node(n);
    const std::string label = "node " + Quote(node.name().empty() ? node.op_type() + "_" + std::to_string(n) : node.name()) +
                              " (" + node.op_type() + ")";
    if (node.op_type().empty()) return InvalidModel("node #" + std::to_string(n) + " has no op_type");
    for (const auto& in : node.input())
      if (!in.empty() && !avail.count(in))
        return InvalidModel(label + ": input " + Quote(in) + " is not produced by an earlier node, an initializer or a graph input");
    for (const auto& out : node.output())
      if (!out.empty()) avail.insert(out);
  }
  for (const auto& o : g.output())
    if (!avail.count(o.name())) return InvalidModel("graph output " + Quote(o.name()) + " is never produced");
  const int64_t opset = DefaultOpset(m);
  if (opset > kNewestOpset)
    return Unsupported("model uses ONNX opset " + std::to_string(opset) + "; TiGrIS imports opsets 7 to " +
                       std::to_string(kNewestOpset));
  // Ops onnx has no schema for (and, at opsets 18..21, new ops we have no shape rule for) are
  // rejected here, by name: onnx's converter and shape inference do not cope with them
  // (inference crashes propagating data through them). The error lists every node whose op
  // cannot be imported, not only these: ops onnx knows but TiGrIS does not map are named too
  // (ops the constant folder may still remove are left to the mapper's report).
  std::vector<UnsupportedNode> unknown, all;
  std::set<std::string> supported;
  for (const auto& op : SupportedOnnxOps()) supported.insert(op);
  for (int n = 0; n < g.node_size(); ++n) {
    const auto& node = g.node(n);
    const std::string name = node.name().empty() ? node.op_type() + "_" + std::to_string(n) : node.name();
    if (IsQOperator(node.domain(), node.op_type())) continue;  // rewritten by Upgrade (qoperators.h)
    if (!IsDefaultDomain(node.domain())) {
      unknown.push_back({name, node.domain() + "." + node.op_type(), "is not supported (only the default ONNX domain is)"});
      all.push_back(unknown.back());
      continue;
    }
    const std::string& op = node.op_type();
    const int64_t introduced = OpIntroducedAfter17(op);
    const onnx::OpSchema* schema = nullptr;
    if (introduced == 0) {
      Status looked_up = Guard("schema lookup", ErrorCode::kInvalidModel, [&] {
        schema = onnx::OpSchemaRegistry::Schema(op, static_cast<int>(std::min<int64_t>(opset, kCanonicalOpset)), "");
        return Status::Ok();
      });
      TIGRIS_RETURN_IF_ERROR(looked_up);
    }
    std::string why;
    if (introduced > 0 && introduced > opset) why = "is not supported (unknown at opset " + std::to_string(opset) + ")";
    else if (introduced > 0 && !HasOwnShapeRule(op)) why = "is not supported";
    else if (introduced == 0 && !schema) why = "is not supported (unknown at opset " + std::to_string(opset) + ")";
    else if (introduced == 0 && schema->Deprecated()) why = "is not supported (deprecated)";
    if (!why.empty()) {
      unknown.push_back({name, op, why});
      all.push_back(unknown.back());
    } else if (!supported.count(op) && !IsFoldableOp(op)) {
      all.push_back({name, op, "is not supported"});
    }
  }
  if (!unknown.empty()) return UnsupportedOpsError(all);
  return std::unique_ptr<OnnxModel>(new OnnxModel(std::move(impl)));
}

Status OnnxModel::Upgrade() {
  auto& m = impl_->model;
  const int64_t opset = DefaultOpset(m);
  if (opset > kNewestOpset)
    return Unsupported("model uses ONNX opset " + std::to_string(opset) + "; TiGrIS imports opsets 7 to " +
                       std::to_string(kNewestOpset));

  // Name every node once, here, so that names stay stable across folding rounds.
  auto name_nodes = [](onnx::GraphProto* g) {
    std::unordered_set<std::string> used;
    for (const auto& n : g->node())
      if (!n.name().empty()) used.insert(n.name());
    std::unordered_set<std::string> seen;
    for (int i = 0; i < g->node_size(); ++i) {
      auto* n = g->mutable_node(i);
      if (!n->name().empty() && seen.insert(n->name()).second) continue;
      std::string base = n->name().empty() ? n->op_type() + "_" + std::to_string(i) : n->name() + "_" + std::to_string(i);
      std::string name = base;
      for (int k = 1; used.count(name); ++k) name = base + "_" + std::to_string(k);
      used.insert(name);
      seen.insert(name);
      n->set_name(name);
    }
  };
  name_nodes(m.mutable_graph());
  // QOperator nodes (QLinearConv, ..., com.microsoft's) become their QDQ form first, once the
  // inputs are bound (constant inputs are initializers now): everything after this, onnx's
  // converter included, sees default-domain ops only (qoperators.h).
  TIGRIS_RETURN_IF_ERROR(Guard("rewriting QOperator nodes failed", ErrorCode::kInvalidModel, [&] {
    Status expanded = ExpandQOperators(m);
    if (!expanded.ok()) return expanded;
    bool other_domain_left = false;
    for (const auto& n : m.graph().node()) other_domain_left = other_domain_left || n.domain() == "com.microsoft";
    if (!other_domain_left) {
      auto* ops = m.mutable_opset_import();
      for (int k = ops->size() - 1; k >= 0; --k)
        if (ops->Get(k).domain() == "com.microsoft") ops->DeleteSubrange(k, 1);
    }
    return Status::Ok();
  }));
  // opset 0: only other domains are imported; the mapper rejects their ops by name.
  if (opset == kCanonicalOpset || opset <= 0) {
    TIGRIS_LOG_INFO("import: opset {}, no conversion needed", opset);
    return Status::Ok();
  }
  if (opset > kCanonicalOpset) {
    // Opsets 18..21: onnx 1.12 has neither their schemas nor a converter down to 17. Our own
    // rewrites bring each changed node to its opset-17 form (newer_opsets.cpp); what needs
    // shapes is rewritten during inference (InferShapes). The exporter's value_info is not
    // used: rewrites read only shapes our inference found.
    impl_->newer = true;
    impl_->newer_state.opset = opset;
    m.mutable_graph()->clear_value_info();
    Status st = Guard("normalizing opset " + std::to_string(opset) + " to 17 failed", ErrorCode::kInvalidModel, [&] {
      NormalizeToOpset17(m, impl_->newer_state);
      return Status::Ok();
    });
    TIGRIS_RETURN_IF_ERROR(st);
    SetDefaultOpset(m, kCanonicalOpset);
    TIGRIS_LOG_INFO("import: opset {} normalized to 17 by TiGrIS's rewrites ({} nodes)", opset, m.graph().node_size());
    return Status::Ok();
  }

  // Remember node names by output name (the converter drops the names of nodes it rebuilds) and
  // the Upsample/Resize nodes in order: Upsample 9->10 replaces each Upsample by a new Resize
  // whose output gets a fresh name unless it is a graph output, so only the order finds it again.
  std::unordered_map<std::string, std::string> name_by_output;
  std::vector<std::string> resize_outputs;
  for (const auto& n : m.graph().node()) {
    if (n.output_size() == 0) continue;
    name_by_output[n.output(0)] = n.name();
    if (IsDefaultDomain(n.domain()) && (n.op_type() == "Upsample" || n.op_type() == "Resize"))
      resize_outputs.push_back(n.output(0));
  }
  // onnx's Pad 10->11 adapter reads `value` without checking it is there: a constant Pad-2
  // relying on the default 0 made the whole model fail to convert. Spell out the default.
  for (auto& n : *m.mutable_graph()->mutable_node()) {
    if (opset >= 11 || n.op_type() != "Pad" || !IsDefaultDomain(n.domain())) continue;
    bool has_value = false, constant = true;
    for (const auto& a : n.attribute()) {
      has_value = has_value || a.name() == "value";
      if (a.name() == "mode") constant = a.s() == "constant";
    }
    if (has_value || !constant) continue;
    auto* a = n.add_attribute();
    a->set_name("value");
    a->set_type(onnx::AttributeProto::FLOAT);
    a->set_f(0.f);
  }
  // Adapters read shapes (Softmax 12->13 builds a Reshape from its input's shape), but C++
  // ConvertVersion infers none (onnx's Python binding infers before calling it): without the
  // exporter's value_info the conversion failed and the model stayed at its opset. Infer here,
  // on the bound inputs, so the shapes the adapters bake in are concrete. If inference fails,
  // the converter gets the model as it was.
  onnx::ModelProto inferred = m;
  if (InferShapes(false).ok()) {
    inferred = m;
    if (SafeForDataPropagation() && InferShapes(true).ok()) inferred = m;
  }
  m = std::move(inferred);
  onnx::ModelProto converted;
  auto bytes = Isolated("version conversion to opset 17 failed", [&] {
    return onnx::version_conversion::ConvertVersion(m, static_cast<int>(kCanonicalOpset)).SerializeAsString();
  });
  Status st = bytes.ok() ? Status::Ok() : bytes.status();
  if (st.ok()) {
    st = Guard("version conversion to opset 17 failed", ErrorCode::kInvalidModel, [&] {
      return converted.ParseFromString(*bytes) ? Status::Ok() : InvalidModel("version conversion to opset 17 failed: unreadable result");
    });
  }
  if (!st.ok()) {
    impl_->conversion_error = st.message();
    TIGRIS_LOG_INFO("import: opset {} kept (conversion to 17 failed: {})", opset, st.message());
    // Fallback (docs/frontend.md): import at the original opset; the mapper understands the
    // older forms of the ops it supports and rejects the others.
    return Status::Ok();
  }
  RestoreResizeOutputs(converted.mutable_graph(), resize_outputs);
  std::unordered_set<std::string> used;
  for (const auto& n : converted.graph().node()) used.insert(n.name());
  for (auto& n : *converted.mutable_graph()->mutable_node()) {
    if (n.output_size() == 0) continue;
    auto it = name_by_output.find(n.output(0));
    if (n.name().empty() && it != name_by_output.end() && !used.count(it->second)) {
      n.set_name(it->second);
      used.insert(it->second);
    }
  }
  name_nodes(converted.mutable_graph());
  SetDefaultOpset(converted, kCanonicalOpset);
  TIGRIS_LOG_INFO("import: opset {} converted to 17 by onnx's version converter ({} -> {} nodes)", opset,
                  m.graph().node_size(), converted.graph().node_size());
  m = std::move(converted);
  return Status::Ok();
}

Status OnnxModel::BindInputs(const ImportOptions& options) {
  // Initializers are constants from here on, also those not listed as graph inputs (ours, the
  // folder's, the converter's): IR >= 4 semantics. onnx's shape inference ignores initializers
  // that are not graph inputs when ir_version < 4, so an opset-7/8 model (IR 3) lost the shapes
  // of its weights and of every Constant the converter adds (Split/Slice/Squeeze attributes
  // turned inputs). The version only steers onnx here; the file is not rewritten.
  if (impl_->model.ir_version() < 4) impl_->model.set_ir_version(4);
  auto* g = impl_->model.mutable_graph();
  std::unordered_set<std::string> inits;
  for (const auto& i : g->initializer()) inits.insert(i.name());
  // Initializers listed as graph inputs are constants: drop them from the input list.
  auto* inputs = g->mutable_input();
  inputs->erase(std::remove_if(inputs->begin(), inputs->end(),
                               [&](const onnx::ValueInfoProto& v) { return inits.count(v.name()) != 0; }),
                inputs->end());
  std::string names;
  for (const auto& in : *inputs) names += (names.empty() ? "" : ", ") + in.name();
  for (const auto& [name, value] : options.constant_inputs) {
    auto it = std::find_if(inputs->begin(), inputs->end(), [&](const onnx::ValueInfoProto& v) { return v.name() == name; });
    if (it == inputs->end())
      return InvalidArgument("constant value given for " + Quote(name) + ", which is not a graph input (inputs: " + names + ")");
    if (static_cast<int64_t>(value.data.size()) != value.SizeBytes())
      return InvalidArgument("constant value for input " + Quote(name) + " has the wrong number of bytes");
    const auto& tt = it->type().tensor_type();
    if (it->type().has_tensor_type() && tt.elem_type() != static_cast<int32_t>(value.dtype))
      return InvalidArgument("constant value for input " + Quote(name) + " is " + ir::DTypeName(value.dtype) +
                             " but the input is " + OnnxTypeName(tt.elem_type()));
    if (it->type().has_tensor_type() && tt.has_shape() && tt.shape().dim_size() != static_cast<int>(value.shape.size()))
      return InvalidArgument("constant value for input " + Quote(name) + " has rank " + std::to_string(value.shape.size()) +
                             " but the input has rank " + std::to_string(tt.shape().dim_size()));
    ir::Tensor t = value;
    t.name = name;
    ToTensorProto(t, g->add_initializer());
    inputs->erase(it);
  }
  for (const auto& [name, shape] : options.input_shapes) {
    bool found = false;
    for (const auto& in : *inputs) found = found || in.name() == name;
    if (!found)
      return InvalidArgument("input shape given for " + Quote(name) + ", which is not a graph input (inputs: " + names + ")");
    for (int64_t d : shape)
      if (d < 0) return InvalidArgument("input " + Quote(name) + ": shape " + ir::ShapeString(shape) + " has a negative dim");
  }
  for (auto& in : *inputs) {
    auto* type = in.mutable_type();
    if (!type->has_tensor_type())
      return Unsupported("graph input " + Quote(in.name()) + " is not a tensor (sequences, maps and optionals are not supported)");
    auto* tt = type->mutable_tensor_type();
    auto it = options.input_shapes.find(in.name());
    if (it != options.input_shapes.end()) {
      const auto& want = it->second;
      if (tt->has_shape() && tt->shape().dim_size() != static_cast<int>(want.size()))
        return InvalidArgument("input " + Quote(in.name()) + " has rank " + std::to_string(tt->shape().dim_size()) +
                               " but the given shape " + ir::ShapeString(want) + " has rank " + std::to_string(want.size()));
      if (tt->has_shape()) {
        for (int d = 0; d < tt->shape().dim_size(); ++d) {
          const auto& dim = tt->shape().dim(d);
          if (dim.has_dim_value() && dim.dim_value() >= 0 && dim.dim_value() != want[static_cast<size_t>(d)])
            return InvalidArgument("input " + Quote(in.name()) + " has fixed dim " + std::to_string(d) + " = " +
                                   std::to_string(dim.dim_value()) + " but the given shape is " + ir::ShapeString(want));
        }
      }
      tt->mutable_shape()->clear_dim();
      for (int64_t d : want) tt->mutable_shape()->add_dim()->set_dim_value(d);
      continue;
    }
    if (!tt->has_shape())
      return InvalidArgument("input " + Quote(in.name()) + " has unknown rank; give its shape (--input-shape)");
    for (auto& dim : *tt->mutable_shape()->mutable_dim())
      if (!dim.has_dim_value() || dim.dim_value() < 0) dim.set_dim_value(1);
  }
  return Status::Ok();
}

bool OnnxModel::SafeForDataPropagation() const {
  // onnx 1.12 dereferences missing type info when propagating through Shape-like nodes.
  std::unordered_set<std::string> known;
  const auto& g = impl_->model.graph();
  for (const auto& v : g.input())
    if (v.type().has_tensor_type() && v.type().tensor_type().has_shape()) known.insert(v.name());
  for (const auto& v : g.value_info())
    if (v.type().has_tensor_type() && v.type().tensor_type().has_shape()) known.insert(v.name());
  for (const auto& v : g.output())
    if (v.type().has_tensor_type() && v.type().tensor_type().has_shape()) known.insert(v.name());
  for (const auto& i : g.initializer()) known.insert(i.name());
  for (const auto& n : g.node())
    for (const auto& in : n.input())
      if (!in.empty() && !known.count(in)) return false;
  return true;
}

Status OnnxModel::InferShapes(bool data_propagation) {
  if (!impl_->newer) {
    // Infer, then complete what onnx 1.12 infers only partly (Einsum: the rank); again while that
    // finds something, since the next inference carries those shapes downstream.
    for (int round = 0, max_rounds = impl_->model.graph().node_size() + 2;; ++round) {
      TIGRIS_RETURN_IF_ERROR(InferShapesOnce(data_propagation && SafeForDataPropagation()));
      bool typed = false;
      TIGRIS_RETURN_IF_ERROR(Guard("shape inference failed", ErrorCode::kInvalidModel, [&] {
        typed = ApplyOwnShapeRules(impl_->model, impl_->newer_state);
        return Status::Ok();
      }));
      if (!typed || round >= max_rounds) return Status::Ok();
    }
  }
  // Opsets 18..21: rewrite what the last round's shapes allow, infer, type what our own rules
  // can; again until nothing changes (each round can unlock the next node downstream).
  const int max_rounds = static_cast<int>(impl_->model.graph().node_size()) + 2;
  auto normalize = [&](bool* changed) {
    return Guard("normalizing opset " + std::to_string(impl_->newer_state.opset) + " to 17 failed", ErrorCode::kInvalidModel, [&] {
      *changed = NormalizeToOpset17(impl_->model, impl_->newer_state);
      return Status::Ok();
    });
  };
  bool changed = false;
  TIGRIS_RETURN_IF_ERROR(normalize(&changed));
  for (int round = 0;; ++round) {
    TIGRIS_RETURN_IF_ERROR(InferShapesOnce(data_propagation && SafeForDataPropagation()));
    bool typed = false;
    Status st = Guard("shape inference failed", ErrorCode::kInvalidModel, [&] {
      typed = ApplyOwnShapeRules(impl_->model, impl_->newer_state);
      return Status::Ok();
    });
    TIGRIS_RETURN_IF_ERROR(st);
    TIGRIS_RETURN_IF_ERROR(normalize(&changed));
    if ((!changed && !typed) || round >= max_rounds) return Status::Ok();
  }
}

Status OnnxModel::InferShapesOnce(bool data_propagation) {
  auto* g = impl_->model.mutable_graph();
  // Forget what the exporter (or an earlier round) inferred: it may hold symbolic dims. Keep
  // what our own shape rules found for nodes onnx skips.
  g->clear_value_info();
  for (const auto& [name, type] : impl_->newer_state.own_types) {
    auto* vi = g->add_value_info();
    vi->set_name(name);
    *vi->mutable_type() = type;
  }
  for (auto& out : *g->mutable_output()) {
    if (!out.type().has_tensor_type() || !out.type().tensor_type().has_shape()) continue;
    for (auto& dim : *out.mutable_type()->mutable_tensor_type()->mutable_shape()->mutable_dim())
      if (!dim.has_dim_value()) dim.Clear();
  }
  auto bytes = Isolated("shape inference failed", [&] {
    onnx::ShapeInferenceOptions opts(/*check_type=*/false, /*error_mode=*/0, data_propagation);
    onnx::shape_inference::InferShapes(impl_->model, onnx::OpSchemaRegistry::Instance(), opts);
    return impl_->model.SerializeAsString();
  });
  if (!bytes.ok()) return bytes.status();
  return Guard("shape inference failed", ErrorCode::kInvalidModel, [&] {
    onnx::ModelProto inferred;
    if (!inferred.ParseFromString(*bytes)) return InvalidModel("shape inference failed: unreadable result");
    impl_->model = std::move(inferred);
    return Status::Ok();
  });
}

Expected<RawModel> OnnxModel::Extract() const {
  RawModel r;
  Status st = Guard("reading the model failed", ErrorCode::kInvalidModel, [&] {
    const auto& m = impl_->model;
    const auto& g = m.graph();
    r.graph_name = g.name().empty() ? "main" : g.name();
    r.opset = DefaultOpset(m);
    r.original_opset = impl_->original_opset;
    r.conversion_error = impl_->conversion_error;
    r.newer_opset = impl_->newer;
    for (const auto& init : g.initializer()) {
      auto t = FromTensorProto(init, "initializer");
      if (t.ok()) r.constants[init.name()] = std::move(*t);
      else r.bad_constants[init.name()] = t.status();
    }
    for (const auto& sp : g.sparse_initializer())
      r.bad_constants[sp.values().name()] = Unsupported("initializer " + Quote(sp.values().name()) + ": sparse tensors are not supported");
    auto add_vi = [&](const onnx::ValueInfoProto& v) {
      if (!v.has_type()) return;
      ValueInfo vi = FromTypeProto(v.type());
      // A graph output's own entry may know less than value_info (our shape rules type
      // values onnx skips, and onnx does not update outputs it does not infer).
      auto it = r.values.find(v.name());
      if (it != r.values.end() && it->second.has_shape && (!vi.has_shape || (it->second.Static() && !vi.Static()))) return;
      r.values[v.name()] = vi;
    };
    for (const auto& v : g.input()) {
      add_vi(v);
      if (!r.constants.count(v.name()) && !r.bad_constants.count(v.name())) r.inputs.push_back(v.name());
    }
    for (const auto& v : g.value_info()) add_vi(v);
    for (const auto& v : g.output()) {
      add_vi(v);
      r.outputs.push_back(v.name());
    }
    for (const auto& [name, t] : r.constants) {
      ValueInfo vi;
      vi.onnx_type = static_cast<int32_t>(t.dtype);
      vi.has_shape = true;
      vi.shape = t.shape;
      r.values[name] = vi;
    }
    for (int i = 0; i < g.node_size(); ++i) {
      const auto& n = g.node(i);
      RawNode rn;
      rn.name = n.name();
      rn.op_type = n.op_type();
      rn.domain = IsDefaultDomain(n.domain()) || n.domain() == kPendingDomain ? "" : n.domain();
      if (n.domain() == kPendingDomain) {
        auto it = impl_->newer_state.pending.find(n.name());
        if (it != impl_->newer_state.pending.end() && !it->second.ok()) r.unnormalized[n.name()] = it->second;
      }
      rn.inputs.assign(n.input().begin(), n.input().end());
      rn.outputs.assign(n.output().begin(), n.output().end());
      for (const auto& a : n.attribute()) rn.attrs[a.name()] = FromAttributeProto(a);
      rn.proto_index = i;
      r.nodes.push_back(std::move(rn));
    }
    return Status::Ok();
  });
  TIGRIS_RETURN_IF_ERROR(st);
  return r;
}

Status OnnxModel::ReplaceByConstants(const std::set<int>& proto_indices, const std::vector<ir::Tensor>& values) {
  return Guard("constant folding failed", ErrorCode::kInternal, [&] {
    auto* g = impl_->model.mutable_graph();
    google::protobuf::RepeatedPtrField<onnx::NodeProto> kept;
    for (int i = 0; i < g->node_size(); ++i)
      if (!proto_indices.count(i)) *kept.Add() = g->node(i);
    g->mutable_node()->Swap(&kept);
    for (const auto& t : values) ToTensorProto(t, g->add_initializer());
    return Status::Ok();
  });
}

Expected<ir::Tensor> ReadTensorProtoFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return IoError("cannot open " + path);
  std::stringstream ss;
  ss << f.rdbuf();
  const std::string bytes = ss.str();
  onnx::TensorProto tp;
  bool parsed = false;
  Status st = Guard(path + ": not a TensorProto", ErrorCode::kInvalidModel, [&] {
    parsed = tp.ParseFromString(bytes);
    return Status::Ok();
  });
  TIGRIS_RETURN_IF_ERROR(st);
  if (!parsed) return InvalidModel(path + ": not a TensorProto (or a truncated one)");
  auto t = FromTensorProto(tp, path + ": tensor");
  if (!t.ok()) return t.status();
  return t;
}

Status WriteTensorProtoFile(const std::string& path, const ir::Tensor& tensor) {
  if (static_cast<int64_t>(tensor.data.size()) != tensor.SizeBytes())
    return InvalidArgument("tensor '" + tensor.name + "' has " + std::to_string(tensor.data.size()) + " bytes, shape " +
                           ir::ShapeString(tensor.shape) + " needs " + std::to_string(tensor.SizeBytes()));
  std::string bytes;
  Status st = Guard("serializing tensor '" + tensor.name + "' failed", ErrorCode::kInternal, [&] {
    onnx::TensorProto tp;
    ToTensorProto(tensor, &tp);
    bytes = tp.SerializeAsString();
    return Status::Ok();
  });
  TIGRIS_RETURN_IF_ERROR(st);
  std::ofstream f(path, std::ios::binary);
  if (!f) return IoError("cannot write " + path);
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!f) return IoError("write failed: " + path);
  return Status::Ok();
}

}  // namespace tigris::frontend
