// Maps a folded RawModel to the IR: one ops.def kind per ONNX node with the canonical,
// fully-resolved attributes of docs/ir.md. Which ONNX ops map, and whether generically (import
// Plain) or by a function here (Custom), is the table's; the aliases are the mapper's own.
// Anything unsupported (op, dtype, attribute value, non-constant attribute input) is rejected
// as "node 'x' (Op): reason".
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <numeric>
#include <optional>
#include <set>

#include "einsum.h"
#include "raw_model.h"
#include "tigris/frontend/onnx_importer.h"
#include "tigris/ir/attr_enums.h"
#include "tigris/ir/op_traits.h"
#include "tigris/kernels/tgrs_params.h"

namespace tigris::frontend {

namespace {

using ir::TensorId;

std::string Label(const RawNode& n) {
  const std::string op = n.domain.empty() ? n.op_type : n.domain + "." + n.op_type;
  return "node '" + n.name + "' (" + op + ")";
}

std::vector<int64_t> Ones(size_t n) { return std::vector<int64_t>(n, 1); }

std::string FloatsString(const std::vector<float>& v) { return fmt::format("[{:g}]", fmt::join(v, ",")); }

// ONNX ops whose tensors may be int32, int64 or bool: they take or produce masks or comparison
// results, or only move data (index inputs and outputs, Gather's or ArgMax's, are In()'s and
// Out()'s `index` / `expect`). Every other op computes on float32 only. Which
// combinations a kernel accepts is its own check's business (docs/kernels.md); this list only
// keeps integer tensors away from ops that never take them. Add an op here when its kernel
// accepts integer or bool tensors.
bool TakesNonFloat(const std::string& op) {
  static const std::set<std::string> kOps = {
      "Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "Not", "And", "Or", "Xor",          // masks
      "IsNaN", "IsInf", "Where", "Cast", "CastLike",                                                  // and casts
      "Pow", "Max", "Min",                                                                            // int operands
      "Reshape", "Flatten", "Squeeze", "Unsqueeze", "Identity", "Dropout", "Expand", "Tile"};         // data moves
  return kOps.count(op) != 0;
}

// The dtypes an IR activation may have (docs/ir.md) besides the quantized ones.
bool ActivationDType(ir::DType t) {
  return t == ir::DType::kF32 || t == ir::DType::kI32 || t == ir::DType::kI64 || t == ir::DType::kBool;
}

// Quantized activations (int8 / uint8): graph inputs and outputs, QuantizeLinear's output,
// DequantizeLinear's input, and the data moves between them (the lowering of docs/int8.md).
bool QuantizedDType(ir::DType t) { return t == ir::DType::kI8 || t == ir::DType::kU8; }
bool TakesQuantized(const std::string& op) {
  // Data movement and max pools only move or compare values: QOperator models run them on uint8
  // (passes::LowerQdq gives them their int8 kernels).
  static const std::set<std::string> kOps = {"QuantizeLinear", "DequantizeLinear", "Reshape", "Flatten", "Squeeze",
                                             "Unsqueeze", "Identity", "Dropout", "Transpose", "MaxPool", "Pad", "Resize", "Concat", "Split", "Slice"};
  return kOps.count(op) != 0;
}

// Why a tensor of ONNX element type `onnx_type` cannot be an activation: "" when it can.
std::string DTypeRefusal(int32_t onnx_type) {
  const ir::DType t = DTypeFromOnnx(onnx_type);
  if (ActivationDType(t) || QuantizedDType(t)) return "";
  return "has element type " + OnnxTypeName(onnx_type) +
         ", which TiGrIS does not compute in (activations are float32, int8/uint8 quantized values, or "
         "int32/int64/bool indices and masks)";
}

class Mapper {
 public:
  explicit Mapper(const RawModel& m) : m_(m) {}

  Expected<ir::Graph> Run() {
    g_.name = m_.graph_name;
    for (const auto& name : m_.inputs) {
      const ValueInfo* vi = Info(name);
      if (!vi || !vi->Static()) return InvalidModel("graph input '" + name + "' has no static shape after binding");
      if (const std::string why = DTypeRefusal(vi->onnx_type); !why.empty())
        return Unsupported("graph input '" + name + "' " + why);
      TIGRIS_RETURN_IF_ERROR(CheckRank(name, vi->shape));
      ir::Tensor t;
      t.name = name;
      t.dtype = DTypeFromOnnx(vi->onnx_type);
      t.shape = vi->shape;
      const TensorId id = g_.AddTensor(std::move(t));
      ids_[name] = id;
      g_.inputs.push_back(id);
    }
    // Every op that cannot be imported at all, in one error: the user sees the whole gap.
    std::vector<UnsupportedNode> unsupported;
    for (const RawNode& n : m_.nodes) {
      std::string why = WhyUnsupported(n);
      if (!why.empty()) unsupported.push_back({n.name, n.domain.empty() ? n.op_type : n.domain + "." + n.op_type, why});
    }
    if (!unsupported.empty()) return WithConversionError(UnsupportedOpsError(unsupported));
    for (const RawNode& n : m_.nodes) {
      Status st = MapNode(n);
      if (!st.ok()) return WithConversionError(st);
    }
    return FinishOutputs();
  }

 private:
  Status WithConversionError(const Status& st) const {
    if (m_.conversion_error.empty() || st.code() != ErrorCode::kUnsupported) return st;
    return Status(st.code(), st.message() + " (the model stays at opset " + std::to_string(m_.opset) + ": " +
                                 m_.conversion_error + ")");
  }

  // ---- tensors -------------------------------------------------------------------------------
  const ValueInfo* Info(const std::string& name) const {
    auto it = m_.values.find(name);
    return it == m_.values.end() ? nullptr : &it->second;
  }

  static Status CheckRank(const std::string& name, const std::vector<int64_t>& shape) {
    if (shape.size() > TGRS_MAX_RANK)
      return Unsupported("tensor '" + name + "' has rank " + std::to_string(shape.size()) + "; at most " +
                         std::to_string(TGRS_MAX_RANK) + " is supported");
    return Status::Ok();
  }

  std::string Resolve(std::string name) const {
    for (auto it = alias_.find(name); it != alias_.end(); it = alias_.find(name)) name = it->second;
    return name;
  }

  bool IsConst(const std::string& name) const {
    const std::string r = Resolve(name);
    return m_.constants.count(r) != 0;
  }
  const ir::Tensor* Const(const std::string& name) const {
    auto it = m_.constants.find(Resolve(name));
    return it == m_.constants.end() ? nullptr : &it->second;
  }

  // IR tensor for input k of n (kNoTensor when omitted). An `index` input (Gather's and
  // GatherElements' indices) is int32 or int64 (or float32, which the op's checks refuse); any
  // other is float32, or any activation type for the ops in TakesNonFloat.
  Expected<TensorId> In(const RawNode& n, size_t k, bool index = false) {
    if (k >= n.inputs.size() || n.inputs[k].empty()) return ir::kNoTensor;
    const std::string name = Resolve(n.inputs[k]);
    auto it = ids_.find(name);
    if (it == ids_.end()) {
      auto bad = m_.bad_constants.find(name);
      if (bad != m_.bad_constants.end()) return Unsupported(Label(n) + ": " + bad->second.message());
      auto c = m_.constants.find(name);
      if (c == m_.constants.end()) return Internal(Label(n) + ": input '" + name + "' is not defined");
      TIGRIS_RETURN_IF_ERROR(CheckRank(name, c->second.shape));
      it = ids_.emplace(name, g_.AddTensor(c->second)).first;
    }
    const ir::Tensor& t = g_.tensor(it->second);
    if (QuantizedDType(t.dtype) && !index) {
      if (!TakesQuantized(n.op_type))
        return Unsupported(Label(n) + ": input '" + name + "' has element type " + ir::DTypeName(t.dtype) + "; " +
                           n.op_type + " takes float32 here (quantized values reach ops through DequantizeLinear)");
    } else if (t.dtype != ir::DType::kF32) {
      if (index) {
        if (t.dtype != ir::DType::kI64 && t.dtype != ir::DType::kI32)
          return Unsupported(Label(n) + ": input '" + name + "' has element type " + ir::DTypeName(t.dtype) +
                             "; indices must be int32 or int64");
      } else if (!ActivationDType(t.dtype) || !TakesNonFloat(n.op_type)) {
        return Unsupported(Label(n) + ": input '" + name + "' has element type " + ir::DTypeName(t.dtype) + "; " +
                           n.op_type + " takes float32 here");
      }
    }
    return it->second;
  }

  // IR tensor for output k of n. Its element type must be `expect` when given (ArgMax/TopK
  // indices: int64); otherwise float32, or any activation type for the ops in TakesNonFloat.
  Expected<TensorId> Out(const RawNode& n, size_t k, std::optional<ir::DType> expect = std::nullopt) {
    const std::string& name = n.outputs.at(k);
    const ValueInfo* vi = Info(name);
    if (!vi || !vi->Static()) return InvalidModel(Label(n) + ": cannot infer a static shape for output '" + name + "'");
    if (const std::string why = DTypeRefusal(vi->onnx_type); !why.empty())
      return Unsupported(Label(n) + ": output '" + name + "' " + why);
    const ir::DType dtype = DTypeFromOnnx(vi->onnx_type);
    const bool quantized_ok = QuantizedDType(dtype) && TakesQuantized(n.op_type);
    if (expect ? dtype != *expect : dtype != ir::DType::kF32 && !TakesNonFloat(n.op_type) && !quantized_ok)
      return Unsupported(Label(n) + ": output '" + name + "' has element type " + ir::DTypeName(dtype) + "; " + n.op_type +
                         " computes " + ir::DTypeName(expect.value_or(ir::DType::kF32)) + " here");
    TIGRIS_RETURN_IF_ERROR(CheckRank(name, vi->shape));
    if (ids_.count(name)) return InvalidModel(Label(n) + ": output '" + name + "' is produced twice");
    ir::Tensor t;
    t.name = name;
    t.dtype = dtype;
    t.shape = vi->shape;
    const TensorId id = g_.AddTensor(std::move(t));
    ids_[name] = id;
    return id;
  }

  std::vector<int64_t> ShapeOf(const std::string& name) const {
    const std::string r = Resolve(name);
    if (auto it = ids_.find(r); it != ids_.end()) return g_.tensor(it->second).shape;
    if (const ir::Tensor* c = Const(r)) return c->shape;
    if (const ValueInfo* vi = Info(r)) return vi->shape;
    return {};
  }

  // ---- attributes ----------------------------------------------------------------------------
  static int64_t AInt(const RawNode& n, const char* k, int64_t d) {
    const RawAttr* a = n.Attr(k);
    return a && a->type == RawAttr::Type::kInt ? a->i : d;
  }
  static float AFloat(const RawNode& n, const char* k, float d) {
    const RawAttr* a = n.Attr(k);
    if (!a) return d;
    if (a->type == RawAttr::Type::kFloat) return a->f;
    if (a->type == RawAttr::Type::kInt) return static_cast<float>(a->i);
    return d;
  }
  static std::string AStr(const RawNode& n, const char* k, const std::string& d) {
    const RawAttr* a = n.Attr(k);
    return a && a->type == RawAttr::Type::kString ? a->s : d;
  }
  static bool AInts(const RawNode& n, const char* k, std::vector<int64_t>* v) {
    const RawAttr* a = n.Attr(k);
    if (!a) return false;
    if (a->type == RawAttr::Type::kInts) *v = a->ints;
    else if (a->type == RawAttr::Type::kInt) *v = {a->i};
    else return false;
    return true;
  }
  static bool AFloats(const RawNode& n, const char* k, std::vector<float>* v) {
    const RawAttr* a = n.Attr(k);
    if (!a) return false;
    if (a->type == RawAttr::Type::kFloats) *v = a->floats;
    else if (a->type == RawAttr::Type::kFloat) *v = {a->f};
    else return false;
    return true;
  }

  bool HasInput(const RawNode& n, size_t k) const { return k < n.inputs.size() && !n.inputs[k].empty(); }
  bool HasOutput(const RawNode& n, size_t k) const { return k < n.outputs.size() && !n.outputs[k].empty(); }

  // Input k as constant ints (int64/int32); `what` names it in the error.
  Status ConstInts(const RawNode& n, size_t k, const char* what, std::vector<int64_t>* v) const {
    const ir::Tensor* t = Const(n.inputs[k]);
    if (!t) return Unsupported(Label(n) + ": input '" + n.inputs[k] + "' (" + what + ") must be a constant");
    v->clear();
    for (int64_t e = 0; e < t->NumElements(); ++e) {
      if (t->dtype == ir::DType::kI64) v->push_back(t->DataAs<int64_t>()[e]);
      else if (t->dtype == ir::DType::kI32) v->push_back(t->DataAs<int32_t>()[e]);
      else return Unsupported(Label(n) + ": input '" + n.inputs[k] + "' (" + what + ") has element type " +
                              ir::DTypeName(t->dtype) + ", expected int64");
    }
    return Status::Ok();
  }
  Status ConstFloats(const RawNode& n, size_t k, const char* what, std::vector<float>* v) const {
    const ir::Tensor* t = Const(n.inputs[k]);
    if (!t) return Unsupported(Label(n) + ": input '" + n.inputs[k] + "' (" + what + ") must be a constant");
    if (t->dtype != ir::DType::kF32)
      return Unsupported(Label(n) + ": input '" + n.inputs[k] + "' (" + what + ") has element type " +
                         ir::DTypeName(t->dtype) + ", expected float32");
    v->assign(t->DataAs<float>(), t->DataAs<float>() + t->NumElements());
    return Status::Ok();
  }

  Status Fail(const RawNode& n, const std::string& why) const { return Unsupported(Label(n) + ": " + why); }
  Status Bad(const RawNode& n, const std::string& why) const { return InvalidModel(Label(n) + ": " + why); }

  // Element types other than float32 of a node's operands (Emit's last argument).
  struct Types {
    std::set<size_t> index_inputs;   // inputs (indices into n.inputs) that may be int32/int64
    std::vector<ir::DType> outputs;  // output k's element type; past the end: Out()'s default rule
  };

  // Emits an IR node: inputs (k indices into n.inputs, in order) and all non-empty outputs.
  Status Emit(const RawNode& n, ir::OpKind kind, const std::vector<size_t>& in_idx, std::map<std::string, ir::AttrValue> attrs,
              size_t max_outputs = 1, const Types& types = {}) {
    ir::Node node;
    node.name = n.name;
    node.kind = kind;
    node.attrs = std::move(attrs);
    for (size_t k : in_idx) {
      TIGRIS_ASSIGN_OR_RETURN(TensorId id, In(n, k, types.index_inputs.count(k) != 0));
      node.inputs.push_back(id);
    }
    for (size_t k = 0; k < n.outputs.size(); ++k) {
      if (!HasOutput(n, k)) continue;
      if (k >= max_outputs) return Fail(n, "output #" + std::to_string(k) + " ('" + n.outputs[k] + "') is not supported");
      TIGRIS_ASSIGN_OR_RETURN(TensorId id, Out(n, k, k < types.outputs.size() ? std::optional(types.outputs[k]) : std::nullopt));
      node.outputs.push_back(id);
    }
    if (node.outputs.empty()) return Bad(n, "has no outputs");
    TIGRIS_RETURN_IF_ERROR(CheckElementTypes(n, node));
    g_.AddNode(std::move(node));
    return Status::Ok();
  }

  // ---- element types ---------------------------------------------------------------------------
  // Activations are float32, int32, int64 or bool (the dtypes the kernels take); nullopt for any
  // other ONNX element type.
  static std::optional<ir::DType> ActivationType(int32_t onnx_type) {
    switch (static_cast<ir::DType>(onnx_type)) {
      case ir::DType::kF32:
      case ir::DType::kI32:
      case ir::DType::kI64:
      case ir::DType::kBool: return static_cast<ir::DType>(onnx_type);
      default: return std::nullopt;
    }
  }

  // Which element types an op's operands may have: what its kernel's check() accepts
  // (backend_reference.c). kFloat (every operand float32) for every op not listed.
  enum class TypeRule { kFloat, kPow, kMinMax, kCompare, kEqual, kLogical, kWhere, kCast, kSame };
  static TypeRule TypeRuleOf(const RawNode& n) {
    static const std::map<std::string, TypeRule> kRules = {
        {"Pow", TypeRule::kPow},         {"Max", TypeRule::kMinMax},         {"Min", TypeRule::kMinMax},
        {"Less", TypeRule::kCompare},    {"Greater", TypeRule::kCompare},    {"LessOrEqual", TypeRule::kCompare},
        {"Equal", TypeRule::kEqual},     {"GreaterOrEqual", TypeRule::kCompare},
        {"Not", TypeRule::kLogical},     {"And", TypeRule::kLogical},        {"Or", TypeRule::kLogical},
        {"Xor", TypeRule::kLogical},     {"Where", TypeRule::kWhere},        {"Cast", TypeRule::kCast},
        {"Expand", TypeRule::kSame},     {"Tile", TypeRule::kSame},          {"Reshape", TypeRule::kSame},
        {"Flatten", TypeRule::kSame},    {"Squeeze", TypeRule::kSame},       {"Unsqueeze", TypeRule::kSame}};
    if (!n.domain.empty()) return TypeRule::kFloat;
    auto it = kRules.find(n.op_type);
    return it == kRules.end() ? TypeRule::kFloat : it->second;
  }

  // The node's operand types against its rule (In() and Out() already limited them to float32
  // or, for the rules other than kFloat, to the activation types).
  Status CheckElementTypes(const RawNode& n, const ir::Node& node) const {
    const TypeRule rule = TypeRuleOf(n);
    if (rule == TypeRule::kFloat) return Status::Ok();
    using D = ir::DType;
    auto type_of = [&](TensorId id) { return g_.tensor(id).dtype; };
    auto bad = [&](TensorId id, const char* what) {
      return Fail(n, "operand '" + g_.tensor(id).name + "' has element type " + ir::DTypeName(type_of(id)) + "; " +
                         n.op_type + " supports " + what);
    };
    const D out = type_of(node.outputs[0]);
    for (TensorId id : node.inputs)
      if (id == ir::kNoTensor) return Fail(n, "omitted inputs are not supported");
    const size_t arity = rule == TypeRule::kWhere                                    ? 3
                         : rule == TypeRule::kPow || rule == TypeRule::kCompare ||
                                 rule == TypeRule::kEqual || (rule == TypeRule::kLogical && n.op_type != "Not")
                             ? 2
                             : 1;
    if (rule == TypeRule::kMinMax ? node.inputs.empty() : node.inputs.size() != arity)
      return Bad(n, "has " + std::to_string(node.inputs.size()) + " inputs, expected " + std::to_string(arity));
    switch (rule) {
      case TypeRule::kPow:
        if (type_of(node.inputs[0]) != D::kF32) return bad(node.inputs[0], "a float32 base only");
        if (type_of(node.inputs[1]) == D::kBool) return bad(node.inputs[1], "float32, int32 or int64 exponents");
        if (out != D::kF32) return bad(node.outputs[0], "a float32 result only");
        return Status::Ok();
      case TypeRule::kMinMax:
        for (TensorId id : node.inputs)
          if (type_of(id) == D::kBool || type_of(id) != out)
            return bad(id, "float32, int32 or int64 operands of one type");
        return Status::Ok();
      case TypeRule::kCompare:
      case TypeRule::kEqual: {
        const D a = type_of(node.inputs[0]);
        if (a == D::kBool && rule == TypeRule::kCompare)
          return bad(node.inputs[0], "float32, int32 and int64 operands");
        if (type_of(node.inputs[1]) != a) return bad(node.inputs[1], "two operands of one element type");
        if (out != D::kBool) return bad(node.outputs[0], "a bool result");
        return Status::Ok();
      }
      case TypeRule::kLogical:
        for (TensorId id : node.inputs)
          if (type_of(id) != D::kBool) return bad(id, "bool operands");
        if (out != D::kBool) return bad(node.outputs[0], "a bool result");
        return Status::Ok();
      case TypeRule::kWhere:
        if (type_of(node.inputs[0]) != D::kBool) return bad(node.inputs[0], "a bool condition");
        if (type_of(node.inputs[2]) != type_of(node.inputs[1]) || out != type_of(node.inputs[1]))
          return bad(node.inputs[2], "X, Y and the result of one element type");
        return Status::Ok();
      case TypeRule::kCast: return Status::Ok();  // any of the activation types to any other
      case TypeRule::kSame:
        if (out != type_of(node.inputs[0])) return bad(node.outputs[0], "the input's element type for its result");
        return Status::Ok();
      case TypeRule::kFloat: break;
    }
    return Status::Ok();
  }

  // ---- conv / pool geometry ------------------------------------------------------------------
  struct Window {
    std::vector<int64_t> kernel, strides, dilations, pads;  // pads: begins then ends
  };

  // Reads strides/dilations/pads/auto_pad for a window op over `in_spatial` with kernel `k`.
  // Conv-style SAME: output = ceil(in / stride).
  Status ResolveWindow(const RawNode& n, const std::vector<int64_t>& in_spatial, Window* w) const {
    const size_t ns = in_spatial.size();
    if (w->kernel.size() != ns) return Bad(n, "kernel_shape has " + std::to_string(w->kernel.size()) + " dims, expected " + std::to_string(ns));
    if (!AInts(n, "strides", &w->strides)) w->strides = Ones(ns);
    if (!AInts(n, "dilations", &w->dilations)) w->dilations = Ones(ns);
    if (w->strides.size() != ns || w->dilations.size() != ns) return Bad(n, "strides/dilations do not match the spatial rank");
    for (size_t d = 0; d < ns; ++d)
      if (w->strides[d] < 1 || w->dilations[d] < 1 || w->kernel[d] < 1) return Bad(n, "kernel, strides and dilations must be positive");
    const std::string auto_pad = AStr(n, "auto_pad", "NOTSET");
    w->pads.assign(2 * ns, 0);
    if (auto_pad == "NOTSET") {
      std::vector<int64_t> p;
      if (AInts(n, "pads", &p)) {
        if (p.size() != 2 * ns) return Bad(n, "pads has " + std::to_string(p.size()) + " values, expected " + std::to_string(2 * ns));
        for (int64_t v : p)
          if (v < 0) return Fail(n, "negative pads are not supported");
        w->pads = p;
      }
    } else if (auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER") {
      for (size_t d = 0; d < ns; ++d) {
        const int64_t out = (in_spatial[d] + w->strides[d] - 1) / w->strides[d];
        const int64_t eff = (w->kernel[d] - 1) * w->dilations[d] + 1;
        const int64_t total = std::max<int64_t>(0, (out - 1) * w->strides[d] + eff - in_spatial[d]);
        const int64_t small = total / 2, big = total - small;
        w->pads[d] = auto_pad == "SAME_UPPER" ? small : big;
        w->pads[d + ns] = auto_pad == "SAME_UPPER" ? big : small;
      }
    } else if (auto_pad != "VALID") {
      return Bad(n, "unknown auto_pad '" + auto_pad + "'");
    }
    return Status::Ok();
  }

  static std::map<std::string, ir::AttrValue> WindowAttrs(const Window& w) {
    return {{"kernel_shape", w.kernel}, {"strides", w.strides}, {"dilations", w.dilations}, {"pads", w.pads}};
  }

  Status CheckSpatialRank(const RawNode& n, size_t rank, const char* what) const {
    if (rank == 3 || rank == 4) return Status::Ok();
    if (rank == 5) return Fail(n, std::string("3-D ") + what + " is not supported");
    if (rank > 5) return Fail(n, std::to_string(rank - 2) + "-D " + what + " is not supported");
    return Fail(n, std::string(what) + " needs an N,C,W or N,C,H,W input, got rank " + std::to_string(rank));
  }

  Status CheckOutSpatial(const RawNode& n, const std::vector<int64_t>& expect) const {
    const auto out = ShapeOf(n.outputs[0]);
    if (out.size() != expect.size() + 2) return Bad(n, "output rank does not match its input");
    for (size_t d = 0; d < expect.size(); ++d)
      if (out[d + 2] != expect[d])
        return Bad(n, "output shape " + ir::ShapeString(out) + " does not match the resolved geometry (dim " +
                          std::to_string(d + 2) + " should be " + std::to_string(expect[d]) + ")");
    return Status::Ok();
  }

  // ---- per-op mapping ------------------------------------------------------------------------
  Status MapConv(const RawNode& n) {
    const auto x = ShapeOf(n.inputs[0]);
    TIGRIS_RETURN_IF_ERROR(CheckSpatialRank(n, x.size(), "convolution"));
    if (!HasInput(n, 1)) return Bad(n, "has no weight input");
    const auto wshape = ShapeOf(n.inputs[1]);
    if (wshape.size() != x.size()) return Bad(n, "weight rank " + std::to_string(wshape.size()) + " does not match input rank");
    const std::vector<int64_t> in_sp(x.begin() + 2, x.end());
    Window w;
    if (!AInts(n, "kernel_shape", &w.kernel)) w.kernel.assign(wshape.begin() + 2, wshape.end());
    const int64_t group = AInt(n, "group", 1);
    if (group < 1 || wshape[0] % group != 0 || x[1] != wshape[1] * group)
      return Bad(n, "group=" + std::to_string(group) + " does not fit " + std::to_string(x[1]) + " input channels and weights " +
                        ir::ShapeString(wshape));
    for (size_t d = 0; d < w.kernel.size() && d + 2 < wshape.size(); ++d)
      if (w.kernel[d] != wshape[d + 2]) return Bad(n, "kernel_shape does not match the weight shape");
    TIGRIS_RETURN_IF_ERROR(ResolveWindow(n, in_sp, &w));
    std::vector<int64_t> expect;
    const size_t ns = in_sp.size();
    for (size_t d = 0; d < ns; ++d)
      expect.push_back((in_sp[d] + w.pads[d] + w.pads[d + ns] - ((w.kernel[d] - 1) * w.dilations[d] + 1)) / w.strides[d] + 1);
    TIGRIS_RETURN_IF_ERROR(CheckOutSpatial(n, expect));
    auto attrs = WindowAttrs(w);
    attrs["group"] = group;
    return Emit(n, ir::OpKind::kConv, HasInput(n, 2) ? std::vector<size_t>{0, 1, 2} : std::vector<size_t>{0, 1}, attrs);
  }

  Status MapConvTranspose(const RawNode& n) {
    const auto x = ShapeOf(n.inputs[0]);
    TIGRIS_RETURN_IF_ERROR(CheckSpatialRank(n, x.size(), "transposed convolution"));
    if (!HasInput(n, 1)) return Bad(n, "has no weight input");
    const auto wshape = ShapeOf(n.inputs[1]);
    if (wshape.size() != x.size()) return Bad(n, "weight rank does not match input rank");
    const size_t ns = x.size() - 2;
    const std::vector<int64_t> in_sp(x.begin() + 2, x.end());
    const int64_t group = AInt(n, "group", 1);
    if (group < 1 || x[1] != wshape[0] || x[1] % group != 0)
      return Bad(n, "group=" + std::to_string(group) + " does not fit " + std::to_string(x[1]) + " input channels and weights " +
                        ir::ShapeString(wshape));
    Window w;
    if (!AInts(n, "kernel_shape", &w.kernel)) w.kernel.assign(wshape.begin() + 2, wshape.end());
    if (w.kernel.size() != ns) return Bad(n, "kernel_shape does not match the spatial rank");
    if (!AInts(n, "strides", &w.strides)) w.strides = Ones(ns);
    if (!AInts(n, "dilations", &w.dilations)) w.dilations = Ones(ns);
    std::vector<int64_t> out_pad, out_shape, pads;
    if (!AInts(n, "output_padding", &out_pad)) out_pad.assign(ns, 0);
    if (w.strides.size() != ns || w.dilations.size() != ns || out_pad.size() != ns)
      return Bad(n, "strides/dilations/output_padding do not match the spatial rank");
    const bool has_out_shape = AInts(n, "output_shape", &out_shape);
    if (has_out_shape && out_shape.size() == ns + 2) out_shape.erase(out_shape.begin(), out_shape.begin() + 2);
    if (has_out_shape && out_shape.size() != ns) return Bad(n, "output_shape does not match the spatial rank");
    const std::string auto_pad = AStr(n, "auto_pad", "NOTSET");
    if (auto_pad != "NOTSET" && auto_pad != "VALID" && auto_pad != "SAME_UPPER" && auto_pad != "SAME_LOWER")
      return Bad(n, "unknown auto_pad '" + auto_pad + "'");
    const bool explicit_pads = AInts(n, "pads", &pads);
    if (explicit_pads && pads.size() != 2 * ns) return Bad(n, "pads does not match the spatial rank");
    w.pads.assign(2 * ns, 0);
    std::vector<int64_t> expect(ns);
    for (size_t d = 0; d < ns; ++d) {
      const int64_t full = (in_sp[d] - 1) * w.strides[d] + (w.kernel[d] - 1) * w.dilations[d] + 1;
      int64_t pb = 0, pe = 0;
      if (has_out_shape || auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER") {
        // Total padding that yields the requested size, split by ConvTranspose's formula: the
        // odd element goes to the end for SAME_UPPER, to the beginning otherwise (SAME_LOWER and
        // also NOTSET with output_shape, as onnxruntime does). A requested size beyond the full
        // result is a negative end pad (those positions only receive the bias).
        const int64_t want = has_out_shape ? out_shape[d] : in_sp[d] * w.strides[d];
        const int64_t total = full + out_pad[d] - want;
        if (total >= 0) {
          pb = auto_pad == "SAME_UPPER" ? total / 2 : total - total / 2;
          pe = total - pb;
        } else {
          pe = total;
        }
      } else if (auto_pad == "NOTSET" && explicit_pads) {
        pb = pads[d];
        pe = pads[d + ns];
      }
      if (pb < 0 || (pe < 0 && !has_out_shape && auto_pad == "NOTSET")) return Fail(n, "negative pads are not supported");
      w.pads[d] = pb;
      w.pads[d + ns] = pe - out_pad[d];  // output_padding extends the end (docs/ir.md)
      expect[d] = full - w.pads[d] - w.pads[d + ns];
    }
    TIGRIS_RETURN_IF_ERROR(CheckOutSpatial(n, expect));
    auto attrs = WindowAttrs(w);
    attrs["group"] = group;
    return Emit(n, ir::OpKind::kConvTranspose, HasInput(n, 2) ? std::vector<size_t>{0, 1, 2} : std::vector<size_t>{0, 1}, attrs);
  }

  Status MapPool(const RawNode& n, ir::OpKind kind) {
    const auto x = ShapeOf(n.inputs[0]);
    TIGRIS_RETURN_IF_ERROR(CheckSpatialRank(n, x.size(), "pooling"));
    if (kind == ir::OpKind::kMaxPool && HasOutput(n, 1)) return Fail(n, "the Indices output is not supported");
    if (AInt(n, "storage_order", 0) != 0 && HasOutput(n, 1)) return Fail(n, "storage_order=1 is not supported");
    const std::vector<int64_t> in_sp(x.begin() + 2, x.end());
    Window w;
    if (!AInts(n, "kernel_shape", &w.kernel)) return Bad(n, "kernel_shape is required");
    TIGRIS_RETURN_IF_ERROR(ResolveWindow(n, in_sp, &w));
    const int64_t ceil_mode = AInt(n, "ceil_mode", 0);
    auto attrs = WindowAttrs(w);
    attrs["ceil_mode"] = ceil_mode;
    if (kind == ir::OpKind::kAveragePool) attrs["count_include_pad"] = AInt(n, "count_include_pad", 0);
    const auto out = ShapeOf(n.outputs[0]);
    if (out.size() != x.size()) return Bad(n, "output rank does not match its input");
    const size_t ns = in_sp.size();
    for (size_t d = 0; d < ns; ++d) {
      // Every output window must start inside the input or its begin padding.
      const int64_t start = (out[d + 2] - 1) * w.strides[d] - w.pads[d];
      if (out[d + 2] < 1 || start >= in_sp[d] + w.pads[d + ns]) return Bad(n, "output shape " + ir::ShapeString(out) + " does not match the window geometry");
    }
    return Emit(n, kind, {0}, attrs);
  }

  Status MapGemm(const RawNode& n) {
    const auto a = ShapeOf(n.inputs[0]);
    const auto b = ShapeOf(n.inputs.at(1));
    if (a.size() != 2 || b.size() != 2) return Fail(n, "Gemm needs rank-2 A and B, got " + ir::ShapeString(a) + " and " + ir::ShapeString(b));
    std::map<std::string, ir::AttrValue> attrs = {{"transA", AInt(n, "transA", 0) ? int64_t{1} : int64_t{0}},
                                                  {"transB", AInt(n, "transB", 0) ? int64_t{1} : int64_t{0}},
                                                  {"alpha", AFloat(n, "alpha", 1.f)},
                                                  {"beta", AFloat(n, "beta", 1.f)}};
    return Emit(n, ir::OpKind::kGemm, HasInput(n, 2) ? std::vector<size_t>{0, 1, 2} : std::vector<size_t>{0, 1}, attrs);
  }

  Status MapClip(const RawNode& n) {
    float lo = -std::numeric_limits<float>::infinity(), hi = std::numeric_limits<float>::infinity();
    lo = AFloat(n, "min", lo);
    hi = AFloat(n, "max", hi);
    for (size_t k = 1; k <= 2; ++k) {
      if (!HasInput(n, k)) continue;
      std::vector<float> v;
      TIGRIS_RETURN_IF_ERROR(ConstFloats(n, k, k == 1 ? "min" : "max", &v));
      if (v.size() != 1) return Bad(n, "min/max must be scalars");
      (k == 1 ? lo : hi) = v[0];
    }
    return Emit(n, ir::OpKind::kClip, {0}, {{"min", lo}, {"max", hi}});
  }

  // Softmax and LogSoftmax (`kind`): the same axis rules.
  Status MapSoftmax(const RawNode& n, ir::OpKind kind) {
    const auto x = ShapeOf(n.inputs[0]);
    const auto r = static_cast<int64_t>(x.size());
    const bool legacy = m_.opset < 13;
    int64_t axis = AInt(n, "axis", legacy ? 1 : -1);
    if (axis < 0) axis += r;
    if (r == 0 || axis < 0 || axis >= r) return Bad(n, "axis out of range for rank " + std::to_string(r));
    if (legacy) {
      // Opset < 13 coerces the input to 2-D at `axis`: the same as softmax over `axis` only when
      // the trailing dims are all 1. (Converted models never get here: the converter rewrote
      // the node; this is the fallback path, docs/frontend.md.)
      int64_t trailing = 1;
      for (int64_t d = axis + 1; d < r; ++d) trailing *= x[static_cast<size_t>(d)];
      if (trailing != 1) return EmitCoercedSoftmax(n, x, axis, kind);
    }
    return Emit(n, kind, {0}, {{"axis", axis}});
  }

  // Opset < 13 Softmax (LogSoftmax) over the input coerced to [prod(dims < axis), prod(dims >=
  // axis)]: a Reshape view to 2-D, a Softmax over axis 1, a Reshape view back. The Softmax keeps
  // the name.
  Status EmitCoercedSoftmax(const RawNode& n, const std::vector<int64_t>& x, int64_t axis, ir::OpKind softmax_kind) {
    int64_t outer = 1, inner = 1;
    for (size_t d = 0; d < x.size(); ++d) (static_cast<int64_t>(d) < axis ? outer : inner) *= x[d];
    TIGRIS_ASSIGN_OR_RETURN(TensorId in, In(n, 0));
    TIGRIS_ASSIGN_OR_RETURN(TensorId out, Out(n, 0));
    auto add_tensor = [&](const std::string& base) {
      ir::Tensor t;
      t.name = FreshTensorName(base);
      t.dtype = ir::DType::kF32;
      t.shape = {outer, inner};
      const TensorId id = g_.AddTensor(std::move(t));
      ids_[g_.tensor(id).name] = id;
      return id;
    };
    auto add_node = [&](const std::string& name, ir::OpKind kind, TensorId a, TensorId b,
                        std::map<std::string, ir::AttrValue> attrs) {
      ir::Node node;
      node.name = name;
      node.kind = kind;
      node.inputs = {a};
      node.outputs = {b};
      node.attrs = std::move(attrs);
      g_.AddNode(std::move(node));
    };
    const TensorId flat = add_tensor(n.outputs[0] + "_2d");
    const TensorId soft = add_tensor(n.outputs[0] + "_2d_softmax");
    add_node(FreshNodeName(n.name + "_to_2d"), ir::OpKind::kReshape, in, flat, {});
    add_node(n.name, softmax_kind, flat, soft, {{"axis", int64_t{1}}});
    add_node(FreshNodeName(n.name + "_from_2d"), ir::OpKind::kReshape, soft, out, {});
    return Status::Ok();
  }

  // A node / tensor name no ONNX node or value uses and no earlier call returned.
  std::string FreshNodeName(const std::string& base) {
    if (node_names_.empty())
      for (const RawNode& rn : m_.nodes) node_names_.insert(rn.name);
    std::string name = base;
    for (int k = 1; node_names_.count(name); ++k) name = base + "_" + std::to_string(k);
    node_names_.insert(name);
    return name;
  }
  std::string FreshTensorName(const std::string& base) const {
    auto taken = [&](const std::string& s) { return m_.values.count(s) || m_.constants.count(s) || ids_.count(s); };
    std::string name = base;
    for (int k = 1; taken(name); ++k) name = base + "_" + std::to_string(k);
    return name;
  }

  // ReduceMean and the ReduceX family (`kind`): axes as an attribute or (ReduceSum from opset 13,
  // the others from 18) a constant input.
  Status MapReduce(const RawNode& n, ir::OpKind kind) {
    const auto x = ShapeOf(n.inputs[0]);
    const auto r = static_cast<int64_t>(x.size());
    std::vector<int64_t> axes;
    if (!AInts(n, "axes", &axes) && HasInput(n, 1)) TIGRIS_RETURN_IF_ERROR(ConstInts(n, 1, "axes", &axes));
    const int64_t keepdims = AInt(n, "keepdims", 1) ? 1 : 0;
    if (axes.empty()) {
      if (AInt(n, "noop_with_empty_axes", 0)) return EmitReduceNothing(n, kind, x);
      for (int64_t d = 0; d < r; ++d) axes.push_back(d);
    }
    std::set<int64_t> uniq;
    for (int64_t a : axes) {
      if (a < 0) a += r;
      if (a < 0 || a >= r) return Bad(n, "axis out of range");
      uniq.insert(a);
    }
    return Emit(n, kind, {0}, {{"axes", std::vector<int64_t>(uniq.begin(), uniq.end())}, {"keepdims", keepdims}});
  }

  // A reduction over no axes (empty axes with noop_with_empty_axes): each element reduced on its
  // own. Sum, Mean, Max, Min and Prod of one element are the element: a view. The others apply
  // their function (SumSquare x*x, L1 |x|, L2 sqrt(x*x), LogSum log x, LogSumExp log exp x, as
  // ONNX's reference does): a Reshape view adds an extent-1 axis that the reduction drops.
  Status EmitReduceNothing(const RawNode& n, ir::OpKind kind, const std::vector<int64_t>& x) {
    using K = ir::OpKind;
    if (kind == K::kReduceMean || kind == K::kReduceSum || kind == K::kReduceMax || kind == K::kReduceMin ||
        kind == K::kReduceProd)
      return EmitView(n);
    if (x.size() + 1 > TGRS_MAX_RANK) return Fail(n, "noop_with_empty_axes on a rank-" + std::to_string(x.size()) + " input is not supported");
    TIGRIS_ASSIGN_OR_RETURN(TensorId in, In(n, 0));
    TIGRIS_ASSIGN_OR_RETURN(TensorId out, Out(n, 0));
    ir::Tensor wide;
    wide.name = FreshTensorName(n.outputs[0] + "_unreduced");
    wide.shape = x;
    wide.shape.push_back(1);
    const TensorId wide_id = g_.AddTensor(std::move(wide));
    ids_[g_.tensor(wide_id).name] = wide_id;
    ir::Node view;
    view.name = FreshNodeName(n.name + "_unreduced");
    view.kind = K::kReshape;
    view.inputs = {in};
    view.outputs = {wide_id};
    g_.AddNode(std::move(view));
    ir::Node red;
    red.name = n.name;
    red.kind = kind;
    red.inputs = {wide_id};
    red.outputs = {out};
    red.attrs = {{"axes", std::vector<int64_t>{static_cast<int64_t>(x.size())}}, {"keepdims", int64_t{0}}};
    g_.AddNode(std::move(red));
    return Status::Ok();
  }

  Status MapArgReduce(const RawNode& n, ir::OpKind kind) {
    const auto r = static_cast<int64_t>(ShapeOf(n.inputs[0]).size());
    int64_t axis = AInt(n, "axis", 0);
    if (axis < 0) axis += r;
    if (axis < 0 || axis >= r) return Bad(n, "axis out of range for rank " + std::to_string(r));
    return Emit(n, kind, {0},
                {{"axis", axis}, {"keepdims", AInt(n, "keepdims", 1) ? int64_t{1} : int64_t{0}},
                 {"select_last_index", AInt(n, "select_last_index", 0) ? int64_t{1} : int64_t{0}}},
                1, {{}, {ir::DType::kI64}});
  }

  // Gather / GatherElements on activations; the indices (int32/int64) may be constants or
  // runtime tensors. Constant indices are checked here, runtime ones by the kernel (which
  // writes zeros for an index out of range instead of failing the run as onnxruntime does).
  Status MapGather(const RawNode& n, ir::OpKind kind) {
    const auto x = ShapeOf(n.inputs[0]);
    const auto r = static_cast<int64_t>(x.size());
    if (!HasInput(n, 1)) return Bad(n, "has no indices input");
    int64_t axis = AInt(n, "axis", 0);
    if (axis < 0) axis += r;
    if (axis < 0 || axis >= r) return Bad(n, "axis out of range for rank " + std::to_string(r));
    const auto idx = ShapeOf(n.inputs[1]);
    if (kind == ir::OpKind::kGatherElements) {
      if (idx.size() != x.size()) return Bad(n, "indices must have the rank of the data");
      for (size_t d = 0; d < x.size(); ++d)
        if (static_cast<int64_t>(d) != axis && idx[d] > x[d])
          return Fail(n, "indices " + ir::ShapeString(idx) + " exceed the data " + ir::ShapeString(x) + " off the axis");
    }
    if (IsConst(n.inputs[1])) {
      std::vector<int64_t> v;
      TIGRIS_RETURN_IF_ERROR(ConstInts(n, 1, "indices", &v));
      const int64_t len = x[static_cast<size_t>(axis)];
      for (int64_t i : v)
        if (i < -len || i >= len) return Bad(n, "index " + std::to_string(i) + " is out of range for dim " + std::to_string(len));
    }
    return Emit(n, kind, {0, 1}, {{"axis", axis}}, 1, {{1}, {}});
  }

  Status MapDepthSpace(const RawNode& n, ir::OpKind kind) {
    const auto x = ShapeOf(n.inputs[0]);
    if (x.size() != 4) return Fail(n, "needs an N,C,H,W input, got rank " + std::to_string(x.size()));
    const int64_t b = AInt(n, "blocksize", 0);
    if (b < 1) return Bad(n, "blocksize must be >= 1");
    int64_t mode = TGRS_DEPTH_SPACE_DCR;
    if (kind == ir::OpKind::kDepthToSpace) {
      const std::string m = AStr(n, "mode", "DCR");
      const std::optional<int32_t> v = ir::EnumValue(ir::kDepthSpaceModes, m);
      if (!v) return Bad(n, "unknown mode '" + m + "'");
      mode = *v;
      if (x[1] % (b * b) != 0) return Bad(n, "channels " + std::to_string(x[1]) + " not divisible by blocksize^2");
    } else if (x[2] % b != 0 || x[3] % b != 0) {
      return Bad(n, "H and W must be divisible by the blocksize");
    }
    return Emit(n, kind, {0}, {{"blocksize", b}, {"mode", mode}});
  }

  Status MapLpNorm(const RawNode& n) {
    const auto r = static_cast<int64_t>(ShapeOf(n.inputs[0]).size());
    int64_t axis = AInt(n, "axis", -1);
    if (axis < 0) axis += r;
    if (axis < 0 || axis >= r) return Bad(n, "axis out of range for rank " + std::to_string(r));
    const int64_t p = AInt(n, "p", 2);
    if (p != 1 && p != 2) return Bad(n, "p=" + std::to_string(p) + " (ONNX allows 1 and 2)");
    return Emit(n, ir::OpKind::kLpNormalization, {0}, {{"axis", axis}, {"p", p}});
  }

  // scale/B of InstanceNormalization: one value per channel.
  Status CheckPerChannel(const RawNode& n, size_t k, int64_t channels) const {
    const auto s = ShapeOf(n.inputs[k]);
    if (s.size() != 1 || s[0] != channels)
      return Bad(n, "input '" + n.inputs[k] + "' " + ir::ShapeString(s) + " must have one value per channel (" +
                        std::to_string(channels) + ")");
    return Status::Ok();
  }

  Status MapInstanceNorm(const RawNode& n) {
    const auto x = ShapeOf(n.inputs[0]);
    if (x.size() < 3) return Fail(n, "needs an N,C,D1... input, got rank " + std::to_string(x.size()));
    if (!HasInput(n, 1) || !HasInput(n, 2)) return Bad(n, "needs scale and B");
    TIGRIS_RETURN_IF_ERROR(CheckPerChannel(n, 1, x[1]));
    TIGRIS_RETURN_IF_ERROR(CheckPerChannel(n, 2, x[1]));
    return Emit(n, ir::OpKind::kInstanceNormalization, {0, 1, 2}, {{"epsilon", AFloat(n, "epsilon", 1e-5f)}});
  }

  // LayerNormalization-17 (the decomposed form of older exports maps op by op). Statistics in
  // float32 whatever stash_type says; Mean and InvStdDev only as a prefix of the outputs.
  Status MapLayerNorm(const RawNode& n) {
    const auto x = ShapeOf(n.inputs[0]);
    const auto r = static_cast<int64_t>(x.size());
    int64_t axis = AInt(n, "axis", -1);
    if (axis < 0) axis += r;
    if (axis < 0 || axis >= r) return Bad(n, "axis out of range for rank " + std::to_string(r));
    if (!HasInput(n, 1)) return Bad(n, "needs Scale");
    if (HasOutput(n, 2) && !HasOutput(n, 1)) return Fail(n, "InvStdDev without the Mean output is not supported");
    return Emit(n, ir::OpKind::kLayerNormalization, HasInput(n, 2) ? std::vector<size_t>{0, 1, 2} : std::vector<size_t>{0, 1},
                {{"axis", axis}, {"epsilon", AFloat(n, "epsilon", 1e-5f)}}, 3);
  }

  // GroupNormalization: scale and bias per group (opset 18) are expanded to per channel (the
  // kernel's and opset 21's form; the two agree when num_groups equals the channels).
  Status MapGroupNorm(const RawNode& n) {
    const auto x = ShapeOf(n.inputs[0]);
    if (x.size() < 2) return Bad(n, "needs an N,C,... input");
    const int64_t groups = AInt(n, "num_groups", 0), c = x[1];
    if (groups < 1 || c % groups != 0) return Bad(n, "num_groups=" + std::to_string(groups) + " does not divide " + std::to_string(c) + " channels");
    if (!HasInput(n, 1) || !HasInput(n, 2)) return Bad(n, "needs scale and bias");
    ir::Node node;
    node.name = n.name;
    node.kind = ir::OpKind::kGroupNormalization;
    node.attrs = {{"epsilon", AFloat(n, "epsilon", 1e-5f)}, {"num_groups", groups}};
    TIGRIS_ASSIGN_OR_RETURN(TensorId in, In(n, 0));
    node.inputs.push_back(in);
    for (size_t k = 1; k <= 2; ++k) {
      const auto s = ShapeOf(n.inputs[k]);
      if (s.size() != 1 || (s[0] != c && s[0] != groups))
        return Bad(n, "input '" + n.inputs[k] + "' " + ir::ShapeString(s) + " has neither one value per group nor per channel");
      if (s[0] == c) {
        TIGRIS_ASSIGN_OR_RETURN(TensorId id, In(n, k));
        node.inputs.push_back(id);
        continue;
      }
      std::vector<float> per_group;
      TIGRIS_RETURN_IF_ERROR(ConstFloats(n, k, k == 1 ? "scale" : "bias", &per_group));
      ir::Tensor t;
      t.name = FreshTensorName(n.inputs[k] + "_per_channel");
      t.shape = {c};
      t.is_constant = true;
      t.data.resize(static_cast<size_t>(c) * sizeof(float));
      for (int64_t ch = 0; ch < c; ++ch)
        std::memcpy(t.data.data() + ch * 4, &per_group[static_cast<size_t>(ch / (c / groups))], 4);
      const TensorId id = g_.AddTensor(std::move(t));
      ids_[g_.tensor(id).name] = id;
      node.inputs.push_back(id);
    }
    TIGRIS_ASSIGN_OR_RETURN(TensorId out, Out(n, 0));
    node.outputs.push_back(out);
    g_.AddNode(std::move(node));
    return Status::Ok();
  }

  // TopK: k from the attribute (opset < 10) or a constant input; both outputs (values, int64
  // indices). The outputs are always sorted (sorted=0 allows any order).
  Status MapTopK(const RawNode& n) {
    const auto x = ShapeOf(n.inputs[0]);
    const auto r = static_cast<int64_t>(x.size());
    int64_t axis = AInt(n, "axis", -1);
    if (axis < 0) axis += r;
    if (axis < 0 || axis >= r) return Bad(n, "axis out of range for rank " + std::to_string(r));
    int64_t k = AInt(n, "k", -1);
    if (HasInput(n, 1)) {
      std::vector<int64_t> kv;
      TIGRIS_RETURN_IF_ERROR(ConstInts(n, 1, "K", &kv));
      if (kv.size() != 1) return Bad(n, "K must hold one value");
      k = kv[0];
    }
    if (k < 1 || k > x[static_cast<size_t>(axis)])
      return Fail(n, "k=" + std::to_string(k) + " on an axis of " + std::to_string(x[static_cast<size_t>(axis)]) +
                         " (1 <= k <= the axis is supported)");
    if (!HasOutput(n, 0) || !HasOutput(n, 1)) return Fail(n, "TopK needs both outputs (Values, Indices)");
    return Emit(n, ir::OpKind::kTopK, {0},
                {{"axis", axis}, {"k", k}, {"largest", AInt(n, "largest", 1) ? int64_t{1} : int64_t{0}},
                 {"sorted", AInt(n, "sorted", 1) ? int64_t{1} : int64_t{0}}},
                2, {{}, {ir::DType::kF32, ir::DType::kI64}});
  }

  Status MapConcat(const RawNode& n) {
    const auto r = static_cast<int64_t>(ShapeOf(n.inputs[0]).size());
    int64_t axis = AInt(n, "axis", 0);
    if (axis < 0) axis += r;
    if (axis < 0 || axis >= r) return Bad(n, "axis out of range");
    std::vector<size_t> idx;
    for (size_t k = 0; k < n.inputs.size(); ++k)
      if (HasInput(n, k)) idx.push_back(k);
    return Emit(n, ir::OpKind::kConcat, idx, {{"axis", axis}});
  }

  Status MapSplit(const RawNode& n) {
    const auto x = ShapeOf(n.inputs[0]);
    const auto r = static_cast<int64_t>(x.size());
    int64_t axis = AInt(n, "axis", 0);
    if (axis < 0) axis += r;
    if (axis < 0 || axis >= r) return Bad(n, "axis out of range");
    const int64_t dim = x[static_cast<size_t>(axis)];
    const auto nout = static_cast<int64_t>(n.outputs.size());
    std::vector<int64_t> split;
    if (HasInput(n, 1)) TIGRIS_RETURN_IF_ERROR(ConstInts(n, 1, "split", &split));
    else if (!AInts(n, "split", &split)) {
      if (dim % nout) return Fail(n, "cannot split dim " + std::to_string(dim) + " into " + std::to_string(nout) + " equal parts");
      split.assign(static_cast<size_t>(nout), dim / nout);
    }
    if (static_cast<int64_t>(split.size()) != nout || std::accumulate(split.begin(), split.end(), int64_t{0}) != dim)
      return Bad(n, "split sizes do not add up to dim " + std::to_string(dim) + " across " + std::to_string(nout) + " outputs");
    for (size_t k = 0; k < n.outputs.size(); ++k)
      if (!HasOutput(n, k)) return Fail(n, "omitted Split outputs are not supported");
    return Emit(n, ir::OpKind::kSplit, {0}, {{"axis", axis}, {"split", split}}, n.outputs.size());
  }

  Status MapSlice(const RawNode& n) {
    const auto x = ShapeOf(n.inputs[0]);
    const auto r = static_cast<int64_t>(x.size());
    std::vector<int64_t> starts, ends, axes, steps;
    if (AInts(n, "starts", &starts)) {
      AInts(n, "ends", &ends);
      AInts(n, "axes", &axes);
    } else {
      if (!HasInput(n, 1) || !HasInput(n, 2)) return Bad(n, "starts and ends are required");
      TIGRIS_RETURN_IF_ERROR(ConstInts(n, 1, "starts", &starts));
      TIGRIS_RETURN_IF_ERROR(ConstInts(n, 2, "ends", &ends));
      if (HasInput(n, 3)) TIGRIS_RETURN_IF_ERROR(ConstInts(n, 3, "axes", &axes));
      if (HasInput(n, 4)) TIGRIS_RETURN_IF_ERROR(ConstInts(n, 4, "steps", &steps));
    }
    if (axes.empty())
      for (size_t k = 0; k < starts.size(); ++k) axes.push_back(static_cast<int64_t>(k));
    if (steps.empty()) steps.assign(starts.size(), 1);
    if (ends.size() != starts.size() || axes.size() != starts.size() || steps.size() != starts.size())
      return Bad(n, "starts/ends/axes/steps differ in length");
    std::vector<int64_t> st(static_cast<size_t>(r), 0), sp(static_cast<size_t>(r), 1), cnt = x;
    std::set<int64_t> seen;
    for (size_t k = 0; k < starts.size(); ++k) {
      int64_t a = axes[k] < 0 ? axes[k] + r : axes[k];
      if (a < 0 || a >= r || !seen.insert(a).second) return Bad(n, "axes out of range or repeated");
      if (steps[k] == 0) return Bad(n, "step 0");
      const int64_t dim = x[static_cast<size_t>(a)];
      int64_t s = starts[k], e = ends[k];
      if (s < 0) s += dim;
      if (e < 0) e += dim;
      int64_t c;
      if (steps[k] > 0) {
        s = std::clamp<int64_t>(s, 0, dim);
        e = std::clamp<int64_t>(e, 0, dim);
        c = e > s ? (e - s + steps[k] - 1) / steps[k] : 0;
      } else {
        s = std::clamp<int64_t>(s, 0, dim - 1);
        e = std::clamp<int64_t>(e, -1, dim - 1);
        c = s > e ? (s - e - steps[k] - 1) / -steps[k] : 0;
      }
      if (c == 0) s = 0;
      st[static_cast<size_t>(a)] = s;
      sp[static_cast<size_t>(a)] = steps[k];
      cnt[static_cast<size_t>(a)] = c;
    }
    if (ShapeOf(n.outputs[0]) != cnt) return Bad(n, "inferred output shape " + ir::ShapeString(ShapeOf(n.outputs[0])) + " differs from " + ir::ShapeString(cnt));
    return Emit(n, ir::OpKind::kSlice, {0}, {{"starts", st}, {"steps", sp}});
  }

  Status MapTranspose(const RawNode& n) {
    const auto r = static_cast<int64_t>(ShapeOf(n.inputs[0]).size());
    std::vector<int64_t> perm;
    if (!AInts(n, "perm", &perm))
      for (int64_t k = r; k-- > 0;) perm.push_back(k);
    std::vector<int64_t> sorted = perm;
    std::sort(sorted.begin(), sorted.end());
    for (int64_t k = 0; k < r; ++k)
      if (static_cast<int64_t>(sorted.size()) != r || sorted[static_cast<size_t>(k)] != k) return Bad(n, "perm is not a permutation");
    return Emit(n, ir::OpKind::kTranspose, {0}, {{"perm", perm}});
  }

  Status MapPad(const RawNode& n) {
    const auto x = ShapeOf(n.inputs[0]);
    const auto r = static_cast<int64_t>(x.size());
    const std::string mode = AStr(n, "mode", "constant");
    const std::optional<int32_t> pad_mode = ir::EnumValue(ir::kPadModes, mode);
    if (!pad_mode) return Fail(n, "pad mode '" + mode + "' is not supported");
    const int64_t m = *pad_mode;
    std::vector<int64_t> pads, axes;
    float value = AFloat(n, "value", 0.f);
    if (!AInts(n, "pads", &pads)) {
      if (!HasInput(n, 1)) return Bad(n, "pads are required");
      TIGRIS_RETURN_IF_ERROR(ConstInts(n, 1, "pads", &pads));
      const ir::Tensor* cv = HasInput(n, 2) ? Const(n.inputs[2]) : nullptr;
      if (cv && (cv->dtype == ir::DType::kU8 || cv->dtype == ir::DType::kI8) && cv->data.size() == 1) {
        // the Pad of a quantized tensor: its constant in the quantized domain (LowerQdq shifts it with the tensor)
        value = cv->dtype == ir::DType::kU8 ? static_cast<float>(cv->data[0]) : static_cast<float>(static_cast<int8_t>(cv->data[0]));
      } else if (HasInput(n, 2)) {
        std::vector<float> v;
        TIGRIS_RETURN_IF_ERROR(ConstFloats(n, 2, "constant_value", &v));
        if (v.size() != 1) return Bad(n, "constant_value must be a scalar");
        value = v[0];
      }
      if (HasInput(n, 3)) TIGRIS_RETURN_IF_ERROR(ConstInts(n, 3, "axes", &axes));
    }
    if (axes.empty())
      for (int64_t k = 0; k < r; ++k) axes.push_back(k);
    if (pads.size() != 2 * axes.size()) return Bad(n, "pads has " + std::to_string(pads.size()) + " values for " + std::to_string(axes.size()) + " axes");
    std::vector<int64_t> full(static_cast<size_t>(2 * r), 0);
    const size_t na = axes.size();
    for (size_t k = 0; k < na; ++k) {
      const int64_t a = axes[k] < 0 ? axes[k] + r : axes[k];
      if (a < 0 || a >= r) return Bad(n, "axes out of range");
      full[static_cast<size_t>(a)] = pads[k];
      full[static_cast<size_t>(a + r)] = pads[k + na];
    }
    if (m != TGRS_PAD_CONSTANT)
      for (int64_t d = 0; d < r; ++d) {
        const int64_t lim = m == TGRS_PAD_REFLECT ? x[static_cast<size_t>(d)] - 1 : x[static_cast<size_t>(d)];
        if ((full[static_cast<size_t>(d)] > 0 || full[static_cast<size_t>(d + r)] > 0) &&
            (x[static_cast<size_t>(d)] == 0 || (m == TGRS_PAD_REFLECT && (full[static_cast<size_t>(d)] > lim || full[static_cast<size_t>(d + r)] > lim))))
          return Fail(n, mode + " padding larger than the input dim " + std::to_string(d) + " is not supported");
      }
    return Emit(n, ir::OpKind::kPad, {0}, {{"mode", m}, {"value", value}, {"pads", full}});
  }

  Status MapResize(const RawNode& n) {
    const auto x = ShapeOf(n.inputs[0]);
    const auto out = ShapeOf(n.outputs[0]);
    const size_t r = x.size();
    if (out.size() != r) return Bad(n, "output rank differs from input rank");
    const bool upsample = n.op_type == "Upsample";
    // Two different questions: where the inputs are (this node's version: Upsample or Resize-10
    // have scales at #1) and what the node means (the version the model was written at). Every
    // Resize of a model written below opset 11 is an Upsample or a Resize-10, also after the
    // converter made it a Resize-11: asymmetric coordinates, and onnxruntime's opset-10 rounding.
    const bool legacy_inputs = upsample || m_.opset < 11;
    const bool legacy = legacy_inputs || (m_.original_opset > 0 && m_.original_opset < 11);
    std::string mode = AStr(n, "mode", "nearest");
    const std::optional<int32_t> resize_mode = ir::EnumValue(ir::kResizeModes, mode);
    if (!resize_mode) return Fail(n, "mode '" + mode + "' is not supported");
    const int64_t m = *resize_mode;
    std::string coord = legacy ? "asymmetric" : AStr(n, "coordinate_transformation_mode", "half_pixel");
    // half_pixel_symmetric (opset 19) is half_pixel shifted by center * (1 - out / (scale * in)):
    // the same wherever the output length is scale * in, checked below once the scales are known.
    const bool symmetric = coord == "half_pixel_symmetric" && m_.original_opset >= 19;
    if (symmetric) coord = "half_pixel";
    const std::optional<int32_t> coord_mode = ir::EnumValue(ir::kCoordModes, coord);
    if (!coord_mode) return Fail(n, "coordinate_transformation_mode '" + coord + "' is not supported");
    const int64_t cm = *coord_mode;
    std::optional<int32_t> nearest_mode;
    if (!legacy) {
      const std::string nearest = AStr(n, "nearest_mode", "round_prefer_floor");
      nearest_mode = ir::EnumValue(ir::kNearestModes, nearest);
      if (!nearest_mode) return Fail(n, "nearest_mode '" + nearest + "' is not supported");
    }
    // Opset-18 attributes: the frontend rewrote them (newer_opsets.cpp); a model below 18 cannot have them.
    if (AInt(n, "antialias", 0)) return Fail(n, "antialias is not supported");
    if (n.Attr("axes")) return Fail(n, "the axes attribute is not supported");
    if (AStr(n, "keep_aspect_ratio_policy", "stretch") != "stretch") return Fail(n, "keep_aspect_ratio_policy is not supported");
    std::vector<float> scales;
    // keep_aspect_ratio_policy, rewritten: the output size is in `sizes`, the one scale the
    // coordinates use in tigris_scales.
    const bool policy_scales = m_.newer_opset && AFloats(n, "tigris_scales", &scales);
    if (!policy_scales && !AFloats(n, "scales", &scales)) {
      const size_t scales_idx = legacy_inputs ? 1 : 2;
      const size_t sizes_idx = 3;
      std::vector<float> sc;
      if (HasInput(n, scales_idx)) TIGRIS_RETURN_IF_ERROR(ConstFloats(n, scales_idx, "scales", &sc));
      if (!sc.empty()) {
        scales = sc;
      } else if (!legacy_inputs && HasInput(n, sizes_idx)) {
        std::vector<int64_t> sizes;
        TIGRIS_RETURN_IF_ERROR(ConstInts(n, sizes_idx, "sizes", &sizes));
        if (sizes.size() != r) return Bad(n, "sizes has " + std::to_string(sizes.size()) + " values for rank " + std::to_string(r));
        for (size_t d = 0; d < r; ++d) {
          if (x[d] == 0) return Bad(n, "cannot resize an empty dim");
          scales.push_back(static_cast<float>(sizes[d]) / static_cast<float>(x[d]));
        }
        if (sizes != out) return Bad(n, "inferred output shape " + ir::ShapeString(out) + " differs from sizes " + ir::ShapeString(sizes));
      } else {
        return Bad(n, "neither scales nor sizes is given");
      }
    }
    if (scales.size() != r) return Bad(n, "scales has " + std::to_string(scales.size()) + " values for rank " + std::to_string(r));
    for (float s : scales)
      if (!(s > 0.f)) return Bad(n, "scales must be positive");
    for (size_t d = 0; d < r && symmetric; ++d) {
      // As onnxruntime computes the shift: it vanishes only when out / (scale * in) is 1.
      const float full = scales[d] * static_cast<float>(x[d]);
      if (static_cast<float>(out[d]) / full != 1.f)
        return Fail(n, "coordinate_transformation_mode 'half_pixel_symmetric' is supported only where the output size is "
                       "scale * input size (dim " + std::to_string(d) + ": " + std::to_string(out[d]) + " vs " +
                       FloatsString({full}) + ")");
    }
    if (legacy) {
      // onnxruntime's rounding before opset 11 ("simple"): truncate when upsampling an axis, ceil
      // when downsampling it. The IR has one nearest_mode per node.
      const bool down = std::any_of(scales.begin(), scales.end(), [](float s) { return s < 1.f; });
      const bool up = std::any_of(scales.begin(), scales.end(), [](float s) { return s > 1.f; });
      if (m == TGRS_RESIZE_NEAREST && down && up)
        return Fail(n, "nearest resizing with both up- and downsampling axes (scales " + FloatsString(scales) +
                           ") at opset < 11 is not supported");
      nearest_mode = down ? TGRS_NEAREST_CEIL : TGRS_NEAREST_FLOOR;
    }
    const int64_t nm = *nearest_mode;
    return Emit(n, ir::OpKind::kResize, {0},
                {{"mode", m}, {"coord_mode", cm}, {"nearest_mode", nm}, {"cubic_coeff_a", AFloat(n, "cubic_coeff_a", -0.75f)},
                 {"exclude_outside", AInt(n, "exclude_outside", 0) ? int64_t{1} : int64_t{0}}, {"scales", scales}});
  }

  // LSTM / GRU / RNN (docs/ir.md): attributes resolved (hidden_size from W when absent, every
  // activation with its alpha/beta), sequence_lens a constant (dropped when every length is the
  // full sequence), the present outputs named by the `outputs` mask.
  Status MapRnn(const RawNode& n, ir::OpKind kind) {
    const bool lstm = kind == ir::OpKind::kLSTM, gru = kind == ir::OpKind::kGRU;
    const int64_t gates = lstm ? 4 : (gru ? 3 : 1);
    const size_t per_dir = lstm ? 3 : (gru ? 2 : 1);
    const size_t n_inputs = lstm ? 8 : 6, n_outputs = lstm ? 3 : 2;
    if (n.inputs.size() > n_inputs) return Bad(n, "has " + std::to_string(n.inputs.size()) + " inputs");
    if (n.outputs.size() > n_outputs) return Bad(n, "has " + std::to_string(n.outputs.size()) + " outputs");
    if (!HasInput(n, 1) || !HasInput(n, 2)) return Bad(n, "needs inputs W and R");
    if (n.Attr("output_sequence")) return Fail(n, "output_sequence (opset < 7) is not supported");
    const int64_t layout = AInt(n, "layout", 0);
    if (layout != 0 && layout != 1) return Bad(n, "layout must be 0 or 1");
    const auto x = ShapeOf(n.inputs[0]), w = ShapeOf(n.inputs[1]), r = ShapeOf(n.inputs[2]);
    if (x.size() != 3) return Bad(n, "X must have rank 3, got " + ir::ShapeString(x));
    const int64_t steps = x[layout ? 1 : 0], batch = x[layout ? 0 : 1], input = x[2];
    const std::string dir_name = AStr(n, "direction", "forward");
    const std::optional<int32_t> direction = ir::EnumValue(ir::kRnnDirections, dir_name);
    if (!direction) return Bad(n, "unknown direction '" + dir_name + "'");
    const int64_t dirs = *direction == TGRS_RNN_BIDIRECTIONAL ? 2 : 1;
    if (w.size() != 3 || w[1] % gates != 0) return Bad(n, "W has shape " + ir::ShapeString(w));
    const int64_t hidden = AInt(n, "hidden_size", w[1] / gates);
    auto expect = [&](const std::vector<int64_t>& got, const std::vector<int64_t>& want, const char* what) {
      return got == want ? Status::Ok()
                         : Bad(n, std::string(what) + " has shape " + ir::ShapeString(got) + ", expected " + ir::ShapeString(want));
    };
    if (hidden < 1) return Bad(n, "hidden_size must be positive");
    const std::vector<int64_t> state = layout ? std::vector<int64_t>{batch, dirs, hidden} : std::vector<int64_t>{dirs, batch, hidden};
    TIGRIS_RETURN_IF_ERROR(expect(w, {dirs, gates * hidden, input}, "W"));
    TIGRIS_RETURN_IF_ERROR(expect(r, {dirs, gates * hidden, hidden}, "R"));
    if (HasInput(n, 3)) TIGRIS_RETURN_IF_ERROR(expect(ShapeOf(n.inputs[3]), {dirs, 2 * gates * hidden}, "B"));
    if (HasInput(n, 5)) TIGRIS_RETURN_IF_ERROR(expect(ShapeOf(n.inputs[5]), state, "initial_h"));
    if (HasInput(n, 6)) TIGRIS_RETURN_IF_ERROR(expect(ShapeOf(n.inputs[6]), state, "initial_c"));
    if (HasInput(n, 7)) TIGRIS_RETURN_IF_ERROR(expect(ShapeOf(n.inputs[7]), {dirs, 3 * hidden}, "P"));

    // Activations: ONNX's defaults, one list per direction; alpha/beta are consumed in order by
    // the functions that take them (as onnxruntime does), the ONNX operator's default otherwise.
    std::vector<std::string> names;
    if (const RawAttr* a = n.Attr("activations"); a && a->type == RawAttr::Type::kStrings) names = a->strings;
    if (names.empty()) {
      const std::vector<std::string> dflt = lstm ? std::vector<std::string>{"Sigmoid", "Tanh", "Tanh"}
                                                 : gru ? std::vector<std::string>{"Sigmoid", "Tanh"} : std::vector<std::string>{"Tanh"};
      for (int64_t d = 0; d < dirs; ++d) names.insert(names.end(), dflt.begin(), dflt.end());
    }
    // RNN's schema default is ["Tanh", "Tanh"]; onnxruntime takes the first for one direction.
    if (kind == ir::OpKind::kRNN && dirs == 1 && names.size() == 2) names.resize(1);
    if (names.size() != per_dir * static_cast<size_t>(dirs))
      return Bad(n, "activations has " + std::to_string(names.size()) + " functions, expected " +
                        std::to_string(per_dir * static_cast<size_t>(dirs)));
    std::vector<float> alphas, betas;
    AFloats(n, "activation_alpha", &alphas);
    AFloats(n, "activation_beta", &betas);
    size_t next_alpha = 0, next_beta = 0;
    std::vector<int64_t> kinds;
    std::vector<float> act_a, act_b;
    for (const std::string& name : names) {
      std::string lower;
      for (char c : name) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      const std::optional<int32_t> k = ir::EnumValue(ir::kRnnActivations, lower);
      if (!k) return Fail(n, "activation '" + name + "' is not supported");
      const bool uses_a = *k == TGRS_RNN_ACT_HARD_SIGMOID || *k == TGRS_RNN_ACT_LEAKY_RELU ||
                          *k == TGRS_RNN_ACT_THRESHOLDED_RELU || *k == TGRS_RNN_ACT_AFFINE ||
                          *k == TGRS_RNN_ACT_SCALED_TANH || *k == TGRS_RNN_ACT_ELU;
      const bool uses_b = *k == TGRS_RNN_ACT_HARD_SIGMOID || *k == TGRS_RNN_ACT_AFFINE || *k == TGRS_RNN_ACT_SCALED_TANH;
      float a = 0.f, b = 0.f;
      const bool has_a = uses_a && next_alpha < alphas.size(), has_b = uses_b && next_beta < betas.size();
      if (has_a) a = alphas[next_alpha++];
      if (has_b) b = betas[next_beta++];
      // ONNX defaults to the operator's own; where onnxruntime disagrees (ThresholdedRelu 1.0 vs 0)
      // or no operator exists (Affine, ScaledTanh), refuse rather than guess.
      if ((uses_a && !has_a) || (uses_b && !has_b)) {
        if (*k == TGRS_RNN_ACT_LEAKY_RELU) a = 0.01f;
        else if (*k == TGRS_RNN_ACT_ELU) a = 1.0f;
        else if (*k == TGRS_RNN_ACT_HARD_SIGMOID) {
          if (!has_a) a = 0.2f;
          if (!has_b) b = 0.5f;
        } else {
          return Fail(n, "activation '" + name + "' without activation_alpha/activation_beta is not supported (no agreed default)");
        }
      }
      kinds.push_back(*k);
      act_a.push_back(a);
      act_b.push_back(b);
    }
    if (next_alpha < alphas.size() || next_beta < betas.size())
      return Bad(n, "activation_alpha/activation_beta has more values than the activations use");

    std::map<std::string, ir::AttrValue> attrs = {{"hidden_size", hidden}, {"direction", int64_t{*direction}},
                                                  {"layout", layout}, {"activations", kinds},
                                                  {"activation_alpha", act_a}, {"activation_beta", act_b}};
    if (const RawAttr* c = n.Attr("clip")) {
      const float clip = AFloat(n, "clip", 0.f);
      if (c->type != RawAttr::Type::kFloat || !(clip >= 0.f)) return Bad(n, "clip must be a float >= 0");
      attrs["clip"] = clip;
    } else {
      attrs["clip"] = std::numeric_limits<float>::infinity();
    }
    if (lstm) {
      const int64_t f = AInt(n, "input_forget", 0);
      if (f != 0 && f != 1) return Bad(n, "input_forget must be 0 or 1");
      attrs["input_forget"] = f;
    } else if (n.Attr("input_forget")) {
      return Bad(n, "input_forget is an LSTM attribute");
    }
    if (gru) {
      const int64_t l = AInt(n, "linear_before_reset", 0);
      if (l != 0 && l != 1) return Bad(n, "linear_before_reset must be 0 or 1");
      attrs["linear_before_reset"] = l;
    }

    ir::Node node;
    node.name = n.name;
    node.kind = kind;
    for (size_t k = 0; k < n.inputs.size(); ++k) {
      if (k != 4) {
        TIGRIS_ASSIGN_OR_RETURN(TensorId id, In(n, k));
        node.inputs.push_back(id);
        continue;
      }
      TIGRIS_ASSIGN_OR_RETURN(TensorId id, SequenceLens(n, steps, batch));
      node.inputs.push_back(id);
    }
    while (!node.inputs.empty() && node.inputs.back() == ir::kNoTensor) node.inputs.pop_back();
    int64_t mask = 0;
    for (size_t k = 0; k < n.outputs.size(); ++k) {
      if (!HasOutput(n, k)) continue;
      TIGRIS_ASSIGN_OR_RETURN(TensorId id, Out(n, k));
      node.outputs.push_back(id);
      mask |= int64_t{1} << k;
    }
    if (node.outputs.empty()) return Bad(n, "has no outputs");
    attrs["outputs"] = mask;
    node.attrs = std::move(attrs);
    g_.AddNode(std::move(node));
    return Status::Ok();
  }

  // sequence_lens of a recurrent node: a constant int32 [batch] with values in [0, steps]; none
  // (kNoTensor) when absent or when every length is the whole sequence.
  Expected<TensorId> SequenceLens(const RawNode& n, int64_t steps, int64_t batch) {
    if (!HasInput(n, 4)) return ir::kNoTensor;
    const std::string name = Resolve(n.inputs[4]);
    const ir::Tensor* c = Const(name);
    if (!c) return Fail(n, "sequence_lens ('" + n.inputs[4] + "') must be a constant");
    if (c->dtype != ir::DType::kI32 && c->dtype != ir::DType::kI64)
      return Bad(n, "sequence_lens has element type " + std::string(ir::DTypeName(c->dtype)) + ", expected int32");
    if (c->shape != std::vector<int64_t>{batch}) return Bad(n, "sequence_lens has shape " + ir::ShapeString(c->shape));
    ir::Tensor t;
    t.name = name;
    t.dtype = ir::DType::kI32;
    t.shape = {batch};
    t.is_constant = true;
    bool all_full = true;
    for (int64_t b = 0; b < batch; ++b) {
      const int64_t v = c->dtype == ir::DType::kI32 ? c->DataAs<int32_t>()[b] : c->DataAs<int64_t>()[b];
      if (v < 0 || v > steps)
        return Bad(n, "sequence_lens[" + std::to_string(b) + "] = " + std::to_string(v) + " is outside [0, " +
                          std::to_string(steps) + "]");
      all_full = all_full && v == steps;
      const auto v32 = static_cast<int32_t>(v);
      const auto* bytes = reinterpret_cast<const uint8_t*>(&v32);
      t.data.insert(t.data.end(), bytes, bytes + 4);
    }
    if (all_full) return ir::kNoTensor;  // the same computation as without sequence_lens
    if (auto it = ids_.find(name); it != ids_.end()) return it->second;
    const TensorId id = g_.AddTensor(std::move(t));
    ids_[name] = id;
    return id;
  }

  Status MapBatchNorm(const RawNode& n) {
    if (AInt(n, "training_mode", 0)) return Fail(n, "training_mode=1 is not supported");
    if (n.inputs.size() < 5) return Bad(n, "needs 5 inputs");
    for (size_t k = 1; k < 5; ++k)
      if (!IsConst(n.inputs[k])) return Fail(n, "input '" + n.inputs[k] + "' must be a constant (only inference-mode BatchNormalization is supported)");
    const auto x = ShapeOf(n.inputs[0]);
    if (x.size() < 2) return Bad(n, "input must have a channel dim");
    if (n.Attr("spatial") && AInt(n, "spatial", 1) == 0) return MapBatchNormPerActivation(n, x);
    for (size_t k = 1; k < 5; ++k)
      if (Const(n.inputs[k])->NumElements() != x[1]) return Bad(n, "input '" + n.inputs[k] + "' does not have one value per channel");
    return Emit(n, ir::OpKind::kBatchNormalization, {0, 1, 2, 3, 4}, {{"epsilon", AFloat(n, "epsilon", 1e-5f)}});
  }

  // BatchNormalization-7 with spatial=0: statistics per activation, scale/B/mean/var of shape
  // x.shape[1:] (the converter cannot take it past opset 8). Inference-mode BN is affine, so it
  // imports as Mul and Add by constants of that shape; the Add keeps the node's name.
  Status MapBatchNormPerActivation(const RawNode& n, const std::vector<int64_t>& x) {
    const std::vector<int64_t> per(x.begin() + 1, x.end());
    const int64_t count = std::accumulate(per.begin(), per.end(), int64_t{1}, std::multiplies<int64_t>());
    const float* p[4];
    for (size_t k = 1; k < 5; ++k) {
      const ir::Tensor* t = Const(n.inputs[k]);
      if (t->dtype != ir::DType::kF32 || t->NumElements() != count)
        return Bad(n, "spatial=0 needs float32 input '" + n.inputs[k] + "' with " + std::to_string(count) +
                          " values (shape " + ir::ShapeString(per) + ")");
      p[k - 1] = t->DataAs<float>();
    }
    const double eps = AFloat(n, "epsilon", 1e-5f);
    auto make_const = [&](const std::string& base) {
      ir::Tensor t;
      t.name = FreshTensorName(base);
      t.dtype = ir::DType::kF32;
      t.shape = per;
      t.is_constant = true;
      t.data.resize(static_cast<size_t>(count) * sizeof(float));
      return t;
    };
    ir::Tensor scale = make_const(n.name + "_scale"), shift = make_const(n.name + "_shift");
    for (int64_t e = 0; e < count; ++e) {
      const double sc = p[0][e] / std::sqrt(static_cast<double>(p[3][e]) + eps);
      const auto s32 = static_cast<float>(sc);
      const auto b32 = static_cast<float>(p[1][e] - p[2][e] * sc);
      std::memcpy(scale.data.data() + e * 4, &s32, 4);
      std::memcpy(shift.data.data() + e * 4, &b32, 4);
    }
    TIGRIS_ASSIGN_OR_RETURN(TensorId in, In(n, 0));
    TIGRIS_ASSIGN_OR_RETURN(TensorId out, Out(n, 0));
    const TensorId sc_id = g_.AddTensor(std::move(scale)), sh_id = g_.AddTensor(std::move(shift));
    ir::Tensor mid;
    mid.name = FreshTensorName(n.outputs[0] + "_scaled");
    mid.dtype = ir::DType::kF32;
    mid.shape = x;
    const TensorId mid_id = g_.AddTensor(std::move(mid));
    ids_[g_.tensor(mid_id).name] = mid_id;
    ir::Node mul;
    mul.name = FreshNodeName(n.name + "_mul");
    mul.kind = ir::OpKind::kMul;
    mul.inputs = {in, sc_id};
    mul.outputs = {mid_id};
    g_.AddNode(std::move(mul));
    ir::Node add;
    add.name = n.name;
    add.kind = ir::OpKind::kAdd;
    add.inputs = {mid_id, sh_id};
    add.outputs = {out};
    g_.AddNode(std::move(add));
    return Status::Ok();
  }

  // Output aliases input 0 (Identity, Dropout, noop reductions).
  Status Alias(const RawNode& n) {
    alias_[n.outputs[0]] = Resolve(n.inputs[0]);
    alias_node_[n.outputs[0]] = n.name;
    return Status::Ok();
  }

  // Same data, new shape: Reshape/Flatten/Squeeze/Unsqueeze (the shape comes from inference).
  Status EmitView(const RawNode& n) {
    const auto x = ShapeOf(n.inputs[0]);
    const auto y = ShapeOf(n.outputs[0]);
    const ValueInfo* vi = Info(n.outputs[0]);
    auto count = [](const std::vector<int64_t>& s) {
      return std::accumulate(s.begin(), s.end(), int64_t{1}, std::multiplies<int64_t>());
    };
    if (vi && vi->Static() && count(x) != count(y))
      return Bad(n, "reshapes " + ir::ShapeString(x) + " to " + ir::ShapeString(y) + " (element counts differ)");
    return Emit(n, ir::OpKind::kReshape, {0}, {});
  }

  Status MapGlobalPool(const RawNode& n, ir::OpKind kind) {
    TIGRIS_RETURN_IF_ERROR(CheckSpatialRank(n, ShapeOf(n.inputs[0]).size(), "global pooling"));
    return Emit(n, kind, {0}, {});
  }

  Status MapBatchNormNode(const RawNode& n) {
    for (size_t k = 1; k < n.outputs.size(); ++k)
      if (HasOutput(n, k)) return Fail(n, "training outputs (running mean/var) are not supported");
    return MapBatchNorm(n);
  }

  Status MapDropout(const RawNode& n) {
    if (HasOutput(n, 1)) return Fail(n, "the mask output is not supported");
    if (HasInput(n, 2)) {
      const ir::Tensor* t = Const(n.inputs[2]);
      if (!t || t->NumElements() != 1 || t->data[0] != 0) return Fail(n, "training_mode must be a constant false");
    }
    return Alias(n);
  }

  // Max/Min/Sum/Mean: 1..16 inputs (a plan op has at most 16), none omitted.
  Status MapVariadic(const RawNode& n, ir::OpKind kind) {
    constexpr size_t kMaxInputs = 16;
    for (size_t k = 0; k < n.inputs.size(); ++k)
      if (!HasInput(n, k)) return Fail(n, "omitted inputs are not supported");
    if (n.inputs.size() > kMaxInputs)
      return Fail(n, std::to_string(n.inputs.size()) + " inputs; at most " + std::to_string(kMaxInputs) +
                         " are supported");
    std::vector<size_t> idx(n.inputs.size());
    std::iota(idx.begin(), idx.end(), size_t{0});
    return Emit(n, kind, idx, {});
  }

  // Einsum with one or two operands (docs/frontend.md, "Einsum"): lowered into the IR's
  // Transpose, Reshape, ReduceSum, MatMul and Mul. Letters only one operand has and the output
  // lacks are summed first (ReduceSum); one operand is then a Transpose to the output's order.
  // Two operands with no label to contract multiply (Mul, each operand transposed and reshaped
  // to the output's rank, numpy broadcasting); otherwise the batch labels (in both and the
  // output, ellipsis dims among them), then the labels only A keeps (M), only B keeps (N) and the
  // contracted ones (K) are grouped: MatMul([batch, M, K], [batch, K, N]), reshaped and
  // transposed to the output. Transposes and reshapes of constants are folded here. Diagonals
  // (a label repeated within an operand) and three or more operands are refused.
  Status MapEinsum(const RawNode& n) {
    const RawAttr* eq_attr = n.Attr("equation");
    if (!eq_attr || eq_attr->type != RawAttr::Type::kString) return Bad(n, "has no equation attribute");
    const std::string& eq = eq_attr->s;
    auto refuse = [&](const std::string& why) { return Fail(n, "equation '" + eq + "': " + why); };
    if (n.inputs.size() > 2)
      return refuse(std::to_string(n.inputs.size()) + " operands are not supported (Einsum with one or two operands is)");
    std::vector<size_t> ranks;
    std::vector<std::vector<int64_t>> shapes;
    for (size_t k = 0; k < n.inputs.size(); ++k) {
      if (!HasInput(n, k)) return Bad(n, "input #" + std::to_string(k) + " is omitted");
      shapes.push_back(ShapeOf(n.inputs[k]));
      ranks.push_back(shapes.back().size());
    }
    auto parsed = ParseEinsum(eq, ranks);
    if (!parsed.ok()) return Bad(n, "equation '" + eq + "': " + parsed.status().message());
    const EinsumLabels& labels = *parsed;
    auto shape_ok = EinsumOutputShape(labels, shapes);
    if (!shape_ok.ok()) return Bad(n, "equation '" + eq + "': " + shape_ok.status().message());
    const std::vector<int64_t> out_shape = *shape_ok;
    for (size_t k = 0; k < labels.inputs.size(); ++k) {
      const auto& l = labels.inputs[k];
      for (size_t d = 0; d < l.size(); ++d)
        if (std::find(l.begin() + static_cast<std::ptrdiff_t>(d) + 1, l.end(), l[d]) != l.end())
          return refuse("operand " + std::to_string(k) + " repeats label " + EinsumLabelName(l[d]) +
                        " (a diagonal), which is not supported");
    }
    const std::vector<int64_t> inferred = ShapeOf(n.outputs[0]);
    if (inferred != out_shape)
      return Bad(n, "inferred output shape " + ir::ShapeString(inferred) + " differs from the equation's " +
                        ir::ShapeString(out_shape));

    // The lowering as a list of steps; a value is an operand (-1 - k) or a step's output (>= 0).
    struct Step {
      ir::OpKind kind;
      std::vector<int> in;
      std::map<std::string, ir::AttrValue> attrs;
      std::vector<int64_t> shape;
      const char* what;
    };
    std::vector<Step> steps;
    auto shape_of = [&](int v) { return v < 0 ? shapes[static_cast<size_t>(-1 - v)] : steps[static_cast<size_t>(v)].shape; };
    auto add = [&](Step s) {
      steps.push_back(std::move(s));
      return static_cast<int>(steps.size()) - 1;
    };
    auto transpose = [&](int v, const std::vector<int64_t>& perm, const char* what) {
      bool identity = true;
      for (size_t d = 0; d < perm.size(); ++d) identity = identity && perm[d] == static_cast<int64_t>(d);
      if (identity) return v;
      const auto s = shape_of(v);
      std::vector<int64_t> shape;
      for (int64_t p : perm) shape.push_back(s[static_cast<size_t>(p)]);
      return add({ir::OpKind::kTranspose, {v}, {{"perm", perm}}, shape, what});
    };
    auto reshape = [&](int v, const std::vector<int64_t>& shape, const char* what) {
      return shape_of(v) == shape ? v : add({ir::OpKind::kReshape, {v}, {}, shape, what});
    };
    // Positions of `want` in `have` (every label of `want` is in `have`).
    auto positions = [](const std::vector<int>& have, const std::vector<int>& want) {
      std::vector<int64_t> perm;
      for (int l : want) perm.push_back(std::find(have.begin(), have.end(), l) - have.begin());
      return perm;
    };
    auto has = [](const std::vector<int>& v, int l) { return std::find(v.begin(), v.end(), l) != v.end(); };

    const size_t nops = labels.inputs.size();
    std::vector<std::vector<int>> lab = labels.inputs;
    std::vector<int> val;
    for (size_t k = 0; k < nops; ++k) val.push_back(-1 - static_cast<int>(k));
    // Sum the labels only this operand has and the output drops.
    for (size_t k = 0; k < nops; ++k) {
      std::vector<int64_t> axes;
      std::vector<int> kept;
      std::vector<int64_t> kept_shape;
      const auto s = shape_of(val[k]);
      for (size_t d = 0; d < lab[k].size(); ++d) {
        const int l = lab[k][d];
        const bool elsewhere = has(labels.output, l) || (nops == 2 && has(lab[1 - k], l));
        if (elsewhere) {
          kept.push_back(l);
          kept_shape.push_back(s[d]);
        } else {
          axes.push_back(static_cast<int64_t>(d));
        }
      }
      if (axes.empty()) continue;
      val[k] = add({ir::OpKind::kReduceSum, {val[k]}, {{"axes", axes}, {"keepdims", int64_t{0}}}, kept_shape, "sum"});
      lab[k] = kept;
    }
    int result;
    if (nops == 1) {
      result = transpose(val[0], positions(lab[0], labels.output), "transpose");
    } else {
      const auto sa = shape_of(val[0]), sb = shape_of(val[1]);
      std::vector<int> contracted;
      for (size_t d = 0; d < lab[0].size(); ++d) {
        const int l = lab[0][d];
        if (!has(lab[1], l) || has(labels.output, l)) continue;
        const int64_t a = sa[d], b = sb[static_cast<size_t>(positions(lab[1], {l})[0])];
        if (a != b)
          return refuse("label " + EinsumLabelName(l) + " is summed over sizes " + std::to_string(a) + " and " +
                        std::to_string(b) + "; broadcasting a summed label is not supported");
        contracted.push_back(l);
      }
      if (contracted.empty()) {
        // Nothing to contract: an elementwise product, both operands in the output's order and rank.
        for (size_t k = 0; k < 2; ++k) {
          std::vector<int> order;
          for (int l : labels.output)
            if (has(lab[k], l)) order.push_back(l);
          val[k] = transpose(val[k], positions(lab[k], order), k ? "transpose_b" : "transpose_a");
          const auto s = shape_of(val[k]);
          std::vector<int64_t> full;
          for (int l : labels.output) full.push_back(has(order, l) ? s[static_cast<size_t>(positions(order, {l})[0])] : 1);
          val[k] = reshape(val[k], full, k ? "reshape_b" : "reshape_a");
        }
        result = add({ir::OpKind::kMul, {val[0], val[1]}, {}, out_shape, "mul"});
      } else {
        std::vector<int> batch, m, nn;
        for (int l : labels.output) {
          const bool in_a = has(lab[0], l), in_b = has(lab[1], l);
          (in_a && in_b ? batch : in_a ? m : nn).push_back(l);
        }
        auto size_in = [&](size_t k, int l) {
          const auto s = shape_of(val[k]);
          return s[static_cast<size_t>(positions(lab[k], {l})[0])];
        };
        auto prod = [&](size_t k, const std::vector<int>& ls) {
          int64_t p = 1;
          for (int l : ls) p *= size_in(k, l);
          return p;
        };
        if (batch.size() + 2 > TGRS_MAX_RANK)
          return refuse(std::to_string(batch.size()) + " batch labels: the MatMul it lowers to would exceed rank " +
                        std::to_string(TGRS_MAX_RANK));
        // Without batch labels, A keeps its M dims apart (MatMul broadcasts B over the leading
        // ones): "bqd,ed->bqe" is one MatMul of A as it is by the transposed weight.
        const bool split_m = batch.empty() && !m.empty();
        auto side = [&](size_t k, const std::vector<int>& first, const std::vector<int>& second) {
          std::vector<int> order = batch;
          order.insert(order.end(), first.begin(), first.end());
          order.insert(order.end(), second.begin(), second.end());
          std::vector<int64_t> shape;
          for (int l : batch) shape.push_back(size_in(k, l));
          if (k == 0 && split_m) {
            for (int l : first) shape.push_back(size_in(k, l));
          } else {
            shape.push_back(prod(k, first));
          }
          shape.push_back(prod(k, second));
          const int t = transpose(val[k], positions(lab[k], order), k ? "transpose_b" : "transpose_a");
          return reshape(t, shape, k ? "reshape_b" : "reshape_a");
        };
        const int a = side(0, m, contracted), b = side(1, contracted, nn);
        std::vector<int> order = batch;
        std::vector<int64_t> mm_shape, full;
        for (int l : batch) mm_shape.push_back(std::max(size_in(0, l), size_in(1, l)));
        full = mm_shape;
        if (split_m) {
          for (int l : m) mm_shape.push_back(size_in(0, l));
        } else {
          mm_shape.push_back(prod(0, m));
        }
        mm_shape.push_back(prod(1, nn));
        for (int l : m) full.push_back(size_in(0, l));
        for (int l : nn) full.push_back(size_in(1, l));
        order.insert(order.end(), m.begin(), m.end());
        order.insert(order.end(), nn.begin(), nn.end());
        const int mm = add({ir::OpKind::kMatMul, {a, b}, {}, mm_shape, "matmul"});
        result = transpose(reshape(mm, full, "reshape"), positions(order, labels.output), "transpose");
      }
    }

    // Emit: the last step writes the node's output and keeps its name; a Transpose or Reshape of
    // a constant becomes a constant.
    std::vector<TensorId> ids(steps.size(), ir::kNoTensor);
    std::vector<TensorId> operands;
    for (size_t k = 0; k < nops; ++k) {
      TIGRIS_ASSIGN_OR_RETURN(TensorId id, In(n, k));
      operands.push_back(id);
    }
    auto id_of = [&](int v) { return v < 0 ? operands[static_cast<size_t>(-1 - v)] : ids[static_cast<size_t>(v)]; };
    TIGRIS_ASSIGN_OR_RETURN(TensorId out, Out(n, 0));
    if (result < 0) {  // the equation permutes and sums nothing: a copy
      ir::Node node;
      node.name = n.name;
      node.kind = ir::OpKind::kReshape;
      node.inputs = {id_of(result)};
      node.outputs = {out};
      g_.AddNode(std::move(node));
      return Status::Ok();
    }
    for (size_t i = 0; i < steps.size(); ++i) {
      const Step& s = steps[i];
      const bool last = static_cast<int>(i) == result;
      std::vector<TensorId> in;
      for (int v : s.in) in.push_back(id_of(v));
      const ir::Tensor& first = g_.tensor(in[0]);
      if (!last && first.is_constant && (s.kind == ir::OpKind::kTranspose || s.kind == ir::OpKind::kReshape)) {
        ir::Tensor t = s.kind == ir::OpKind::kReshape ? first : TransposedConstant(first, std::get<std::vector<int64_t>>(s.attrs.at("perm")));
        t.name = FreshTensorName(first.name + "_" + s.what);
        t.shape = s.shape;
        ids[i] = g_.AddTensor(std::move(t));
        ids_[g_.tensor(ids[i]).name] = ids[i];
        continue;
      }
      ir::Node node;
      node.name = last ? n.name : FreshNodeName(n.name + "_" + s.what);
      node.kind = s.kind;
      node.inputs = in;
      node.attrs = s.attrs;
      if (last) {
        ids[i] = out;
      } else {
        ir::Tensor t;
        t.name = FreshTensorName(n.outputs[0] + "_" + s.what);
        t.shape = s.shape;
        ids[i] = g_.AddTensor(std::move(t));
        ids_[g_.tensor(ids[i]).name] = ids[i];
      }
      node.outputs = {ids[i]};
      g_.AddNode(std::move(node));
    }
    return Status::Ok();
  }

  // A constant with its dims permuted (Transpose's `perm`).
  static ir::Tensor TransposedConstant(const ir::Tensor& c, const std::vector<int64_t>& perm) {
    ir::Tensor t = c;
    const size_t r = c.shape.size();
    const auto esize = static_cast<size_t>(ir::DTypeSize(c.dtype));
    std::vector<int64_t> in_strides(r, 1);
    for (size_t d = r; d-- > 1;) in_strides[d - 1] = in_strides[d] * c.shape[d];
    std::vector<int64_t> idx(r, 0);
    for (int64_t e = 0; e < c.NumElements(); ++e) {
      int64_t src = 0;
      for (size_t d = 0; d < r; ++d) src += idx[d] * in_strides[static_cast<size_t>(perm[d])];
      std::memcpy(t.data.data() + static_cast<size_t>(e) * esize, c.data.data() + static_cast<size_t>(src) * esize, esize);
      for (size_t d = r; d-- > 0;) {  // next output index: output dim d has extent shape[perm[d]]
        if (++idx[d] < c.shape[static_cast<size_t>(perm[d])]) break;
        idx[d] = 0;
      }
    }
    return t;
  }

  Status MapGelu(const RawNode& n) {
    const std::string approx = AStr(n, "approximate", "none");
    if (approx != "none" && approx != "tanh") return Bad(n, "approximate '" + approx + "' is not 'none' or 'tanh'");
    return Emit(n, ir::OpKind::kGelu, {0}, {{"approximate", approx == "tanh" ? int64_t{1} : int64_t{0}}});
  }

  // Cast to float32/int32/int64/bool (the output's inferred type must be `to`).
  Status MapCast(const RawNode& n) {
    const int64_t to = AInt(n, "to", 0);
    const ValueInfo* vi = Info(n.outputs[0]);
    if (!ActivationType(static_cast<int32_t>(to)))
      return Fail(n, "cast to element type " + OnnxTypeName(static_cast<int32_t>(to)) +
                         " is not supported (float32, int32, int64 and bool are)");
    if (vi && vi->onnx_type != 0 && vi->onnx_type != to)
      return Bad(n, "output '" + n.outputs[0] + "' has element type " + OnnxTypeName(vi->onnx_type) + " but to=" +
                        OnnxTypeName(static_cast<int32_t>(to)));
    return Emit(n, ir::OpKind::kCast, {0}, {{"to", to}});
  }

  // Expand to the numpy broadcast of the input's shape and the constant `shape` input.
  Status MapExpand(const RawNode& n) {
    if (!HasInput(n, 1)) return Bad(n, "needs a shape input");
    std::vector<int64_t> shape;
    TIGRIS_RETURN_IF_ERROR(ConstInts(n, 1, "shape", &shape));
    const auto x = ShapeOf(n.inputs[0]);
    std::vector<int64_t> want(std::max(x.size(), shape.size()), 1);
    for (size_t d = 0; d < want.size(); ++d) {
      const size_t from_end = want.size() - 1 - d;
      const int64_t a = from_end < x.size() ? x[x.size() - 1 - from_end] : 1;
      const int64_t b = from_end < shape.size() ? shape[shape.size() - 1 - from_end] : 1;
      if (a != b && a != 1 && b != 1)
        return Bad(n, "cannot broadcast " + ir::ShapeString(x) + " to shape " + ir::ShapeString(shape));
      want[d] = a == 1 ? b : a;
    }
    if (ShapeOf(n.outputs[0]) != want)
      return Bad(n, "inferred output shape " + ir::ShapeString(ShapeOf(n.outputs[0])) + " differs from " +
                        ir::ShapeString(want));
    return Emit(n, ir::OpKind::kExpand, {0}, {});
  }

  // Tile by the constant `repeats` input (one positive count per dim).
  Status MapTile(const RawNode& n) {
    if (!HasInput(n, 1)) return Bad(n, "needs a repeats input");
    std::vector<int64_t> repeats;
    TIGRIS_RETURN_IF_ERROR(ConstInts(n, 1, "repeats", &repeats));
    const auto x = ShapeOf(n.inputs[0]);
    if (repeats.size() != x.size())
      return Bad(n, "repeats has " + std::to_string(repeats.size()) + " values for rank " + std::to_string(x.size()));
    std::vector<int64_t> want = x;
    for (size_t d = 0; d < x.size(); ++d) {
      if (repeats[d] < 1)
        return Fail(n, "repeats " + std::to_string(repeats[d]) + " (an empty tensor) is not supported");
      want[d] *= repeats[d];
    }
    if (ShapeOf(n.outputs[0]) != want)
      return Bad(n, "inferred output shape " + ir::ShapeString(ShapeOf(n.outputs[0])) + " differs from " +
                        ir::ShapeString(want));
    return Emit(n, ir::OpKind::kTile, {0}, {{"repeats", repeats}});
  }

  // ops.def rows with import Plain: the IR node takes the ONNX node's inputs in order.
  Status MapPlain(const RawNode& n, ir::OpKind kind) {
    if (kind == ir::OpKind::kPRelu && m_.original_opset < 7) return MapLegacyPRelu(n);
    std::vector<size_t> in_idx(n.inputs.size());
    std::iota(in_idx.begin(), in_idx.end(), size_t{0});
    return Emit(n, kind, in_idx, {});
  }

  // PRelu below opset 7 is per channel: a slope of shape [C] applies along axis 1 (Caffe's
  // PReLU; PyTorch exported it so). Opset 7 made the slope broadcast from the trailing axes and
  // the version converter leaves the node as it is, so the slope becomes [C, 1, ..., 1] here.
  Status MapLegacyPRelu(const RawNode& n) {
    const ValueInfo* x = n.inputs.empty() ? nullptr : Info(Resolve(n.inputs[0]));
    const ir::Tensor* slope = n.inputs.size() == 2 ? Const(n.inputs[1]) : nullptr;
    RawNode copy = n;
    if (x && x->Static() && x->shape.size() >= 3 && slope && slope->shape.size() == 1 && slope->shape[0] > 1 &&
        slope->shape[0] == x->shape[1]) {
      ir::Tensor t = *slope;
      t.name = Resolve(n.inputs[1]) + "_per_channel";
      t.shape.assign(x->shape.size() - 1, 1);
      t.shape[0] = slope->shape[0];
      copy.inputs[1] = t.name;
      if (!ids_.count(t.name)) ids_.emplace(copy.inputs[1], g_.AddTensor(std::move(t)));
    }
    return Emit(copy, ir::OpKind::kPRelu, {0, 1}, {});
  }

  // ops.def rows with import Custom: the mapping function of each.
  // QuantizeLinear / DequantizeLinear of an activation, per tensor: `scale` and `zero_point`
  // become attributes (docs/ir.md). The DequantizeLinear of a constant never gets here: the
  // folder turned it into float32 values that remember their quantization (ir::Tensor::quant).
  Status MapQdq(const RawNode& n, ir::OpKind kind) {
    const bool quantize = kind == ir::OpKind::kQuantizeLinear;
    if (!HasInput(n, 1)) return Bad(n, "has no scale input");
    const ir::Tensor* scale = Const(n.inputs[1]);
    if (!scale) return Fail(n, "its scale '" + n.inputs[1] + "' must be a constant");
    if (scale->dtype != ir::DType::kF32)
      return Fail(n, "scale has element type " + std::string(ir::DTypeName(scale->dtype)) + ", expected float32");
    if (scale->NumElements() != 1 || scale->shape.size() > 1)
      return Fail(n, "per-axis quantization of activations is not supported (scale has shape " +
                         ir::ShapeString(scale->shape) + ")");
    if (AInt(n, "block_size", 0) != 0) return Fail(n, "blocked quantization of activations is not supported");
    const float s = scale->DataAs<float>()[0];
    if (!(s > 0.f) || !std::isfinite(s)) return Fail(n, "scale must be finite and > 0");
    int64_t zp = 0;
    ir::DType qtype = ir::DType::kU8;  // ONNX's default without a zero point
    if (HasInput(n, 2)) {
      const ir::Tensor* z = Const(n.inputs[2]);
      if (!z) return Fail(n, "its zero_point '" + n.inputs[2] + "' must be a constant");
      if (z->NumElements() != 1) return Fail(n, "per-axis zero points of activations are not supported");
      if (z->dtype == ir::DType::kI8) zp = z->DataAs<int8_t>()[0];
      else if (z->dtype == ir::DType::kU8) zp = z->DataAs<uint8_t>()[0];
      else return Fail(n, "zero_point has element type " + std::string(ir::DTypeName(z->dtype)) + "; int8 and uint8 are supported");
      qtype = z->dtype;
    }
    if (quantize && AInt(n, "output_dtype", 0) != 0) {
      const ir::DType want = DTypeFromOnnx(static_cast<int32_t>(AInt(n, "output_dtype", 0)));
      if (!QuantizedDType(want)) return Fail(n, "output_dtype must be int8 or uint8");
      if (HasInput(n, 2) && want != qtype) return Bad(n, "output_dtype differs from the zero point's type");
      qtype = want;
    }
    // the quantized side must be the zero point's type
    const std::string& qname = quantize ? n.outputs[0] : n.inputs[0];
    const ir::DType actual = quantize ? DTypeFromOnnx(Info(qname) ? Info(qname)->onnx_type : 0)
                                      : (Const(qname) ? Const(qname)->dtype
                                                      : DTypeFromOnnx(Info(Resolve(qname)) ? Info(Resolve(qname))->onnx_type : 0));
    if (!QuantizedDType(actual))
      return Fail(n, "'" + qname + "' has element type " + std::string(ir::DTypeName(actual)) + "; int8 and uint8 are supported");
    if (actual != qtype && HasInput(n, 2)) return Bad(n, "'" + qname + "' and the zero point differ in element type");
    return Emit(n, kind, {0}, {{"scale", s}, {"zero_point", zp}});
  }

  Status MapCustom(const RawNode& n, ir::OpKind kind) {
    using K = ir::OpKind;
    switch (kind) {
      case K::kConv: return MapConv(n);
      case K::kConvTranspose: return MapConvTranspose(n);
      case K::kGemm: return MapGemm(n);
      case K::kClip: return MapClip(n);
      case K::kLeakyRelu: return Emit(n, kind, {0}, {{"alpha", AFloat(n, "alpha", 0.01f)}});
      case K::kHardSigmoid:
        return Emit(n, kind, {0}, {{"alpha", AFloat(n, "alpha", 0.2f)}, {"beta", AFloat(n, "beta", 0.5f)}});
      case K::kSoftmax:
      case K::kLogSoftmax: return MapSoftmax(n, kind);
      case K::kMaxPool:
      case K::kAveragePool: return MapPool(n, kind);
      case K::kGlobalAveragePool:
      case K::kGlobalMaxPool: return MapGlobalPool(n, kind);
      case K::kReduceMean:
      case K::kReduceSum:
      case K::kReduceMax:
      case K::kReduceMin:
      case K::kReduceProd:
      case K::kReduceL1:
      case K::kReduceL2:
      case K::kReduceLogSum:
      case K::kReduceLogSumExp:
      case K::kReduceSumSquare: return MapReduce(n, kind);
      case K::kArgMax:
      case K::kArgMin: return MapArgReduce(n, kind);
      case K::kGather:
      case K::kGatherElements: return MapGather(n, kind);
      case K::kDepthToSpace:
      case K::kSpaceToDepth: return MapDepthSpace(n, kind);
      case K::kLpNormalization: return MapLpNorm(n);
      case K::kInstanceNormalization: return MapInstanceNorm(n);
      case K::kLayerNormalization: return MapLayerNorm(n);
      case K::kGroupNormalization: return MapGroupNorm(n);
      case K::kTopK: return MapTopK(n);
      case K::kConcat: return MapConcat(n);
      case K::kSplit: return MapSplit(n);
      case K::kSlice: return MapSlice(n);
      case K::kTranspose: return MapTranspose(n);
      case K::kPad: return MapPad(n);
      case K::kResize: return MapResize(n);
      case K::kReshape: return EmitView(n);
      case K::kBatchNormalization: return MapBatchNormNode(n);
      case K::kPow: return Emit(n, kind, {0, 1}, {});
      case K::kMax:
      case K::kMin:
      case K::kSum:
      case K::kMean: return MapVariadic(n, kind);
      case K::kElu:
      case K::kCelu: return Emit(n, kind, {0}, {{"alpha", AFloat(n, "alpha", 1.f)}});
      case K::kSelu:
        return Emit(n, kind, {0},
                    {{"alpha", AFloat(n, "alpha", 1.67326319217681884765625f)},
                     {"gamma", AFloat(n, "gamma", 1.05070102214813232421875f)}});
      case K::kGelu: return MapGelu(n);
      case K::kCast: return MapCast(n);
      case K::kExpand: return MapExpand(n);
      case K::kTile: return MapTile(n);
      case K::kLSTM:
      case K::kGRU:
      case K::kRNN: return MapRnn(n, kind);
      case K::kQuantizeLinear:
      case K::kDequantizeLinear: return MapQdq(n, kind);
      default: break;
    }
    return Internal(Label(n) + ": ops.def says import Custom but the mapper has no function for it");
  }

 public:
  // ONNX ops the mapper imports although they are no row's ONNX name: its own special cases.
  struct AliasRule {
    const char* onnx;
    Status (Mapper::*map)(const RawNode&);
  };
  static const std::vector<AliasRule>& Aliases() {
    static const std::vector<AliasRule> kAliases = {
        {"Upsample", &Mapper::MapResize},  // Resize with the opset < 10 inputs and semantics
        {"Flatten", &Mapper::EmitView},    // views: the shape comes from inference
        {"Squeeze", &Mapper::EmitView},
        {"Unsqueeze", &Mapper::EmitView},
        {"Identity", &Mapper::Alias},      // no node: the output aliases the input
        {"Dropout", &Mapper::MapDropout},  // inference mode: as Identity
        {"Einsum", &Mapper::MapEinsum},    // lowered into Transpose/Reshape/ReduceSum/MatMul/Mul
    };
    return kAliases;
  }

  // The row of ops.def an ONNX op type maps to (rows with import Plain or Custom).
  static const ir::OpTraits* RowOf(const std::string& op) {
    for (const ir::OpTraits& t : ir::kOpTraits)
      if (t.imported() && op == t.onnx_name) return &t;
    return nullptr;
  }

 private:
  // Why `n`'s op cannot be imported at all ("" when a row or alias maps it); completes
  // "op <op> ...".
  std::string WhyUnsupported(const RawNode& n) const {
    if (!n.domain.empty()) return "is not supported (only the default ONNX domain is)";
    bool alias = false;
    for (const AliasRule& r : Aliases()) alias = alias || n.op_type == r.onnx;
    if (alias || RowOf(n.op_type)) return "";
    if (n.op_type == "Constant") {
      for (const auto& [key, a] : n.attrs)
        if (a.type == RawAttr::Type::kTensor && !a.t_status.ok()) return "cannot be imported: " + a.t_status.message();
      return "cannot be imported (unsupported value type)";
    }
    if (!IsFoldableOp(n.op_type)) return "is not supported";
    for (const auto& [key, a] : n.attrs)  // a ConstantOfShape value of a type the folder lacks
      if (a.type == RawAttr::Type::kTensor && !a.t_status.ok()) return "cannot be evaluated: " + a.t_status.message();
    if (n.op_type == "Cast" && DTypeFromOnnx(static_cast<int32_t>(AInt(n, "to", 0))) == ir::DType::kUndefined)
      return "is not supported to element type " + OnnxTypeName(static_cast<int32_t>(AInt(n, "to", 0)));
    for (const auto& in : n.inputs) {
      auto bad = m_.bad_constants.find(in);
      if (bad != m_.bad_constants.end()) return "cannot be evaluated: " + bad->second.message();
    }
    return "is only supported in constant (shape) computations, and this one depends on runtime data";
  }

  Status MapNode(const RawNode& n) {
    if (auto it = m_.unnormalized.find(n.name); it != m_.unnormalized.end())
      return Status(it->second.code(), Label(n) + ": " + it->second.message() + " (at opset " +
                                           std::to_string(m_.original_opset) + ")");
    for (const auto& [key, a] : n.attrs)
      if (a.type == RawAttr::Type::kGraph) return Fail(n, "control flow (subgraph attribute '" + key + "') is not supported");
    if (!n.domain.empty()) return Fail(n, "op " + n.domain + "." + n.op_type + " is not supported (only the default ONNX domain is)");
    const std::string& op = n.op_type;
    const AliasRule* alias = nullptr;
    for (const AliasRule& r : Aliases())
      if (op == r.onnx) alias = &r;
    const ir::OpTraits* row = alias ? nullptr : RowOf(op);
    if (!alias && !row) {
      return Fail(n, "op " + op + " " + WhyUnsupported(n));
    }
    if (n.inputs.empty() || n.inputs[0].empty()) return Bad(n, "has no input");
    // (a recurrent op's first output, Y, is optional: MapRnn checks that some output is used)
    const bool first_optional = row && row->params == ir::ParamsFamily::kRnn;
    if (n.outputs.empty() || (n.outputs[0].empty() && !first_optional)) return Bad(n, "has no output");
    if (alias) return (this->*alias->map)(n);
    if (row->import == ir::Import::kPlain) return MapPlain(n, row->kind);
    return MapCustom(n, row->kind);
  }

  Expected<ir::Graph> FinishOutputs() {
    for (const auto& out : m_.outputs) {
      const std::string r = Resolve(out);
      auto it = ids_.find(r);
      if (it == ids_.end()) {
        const ir::Tensor* c = Const(r);
        if (!c) return InvalidModel("graph output '" + out + "' is never produced");
        ir::Tensor t = *c;
        t.name = out;
        it = ids_.emplace(out, g_.AddTensor(std::move(t))).first;
      } else if (r != out) {
        // An Identity/Dropout output is a graph output: keep the ONNX name. Rename the aliased
        // tensor when only a node produced it; otherwise copy with a Reshape view.
        ir::Tensor& t = g_.tensor(it->second);
        const bool is_io = std::find(g_.inputs.begin(), g_.inputs.end(), it->second) != g_.inputs.end() ||
                           std::find(m_.outputs.begin(), m_.outputs.end(), r) != m_.outputs.end() || t.is_constant;
        if (!is_io && !renamed_.count(it->second)) {
          t.name = out;
          renamed_.insert(it->second);
        } else {
          ir::Tensor copy;
          copy.name = out;
          copy.dtype = t.dtype;
          copy.shape = t.shape;
          const TensorId src = it->second;
          const TensorId dst = g_.AddTensor(std::move(copy));
          ir::Node node;
          node.name = alias_node_.count(out) ? alias_node_[out] : out + "_copy";
          node.kind = ir::OpKind::kReshape;
          node.inputs = {src};
          node.outputs = {dst};
          g_.AddNode(std::move(node));
          it = ids_.emplace(out, dst).first;
        }
      }
      g_.outputs.push_back(it->second);
    }
    return std::move(g_);
  }

  const RawModel& m_;
  ir::Graph g_;
  std::map<std::string, TensorId> ids_;
  std::map<std::string, std::string> alias_;
  std::map<std::string, std::string> alias_node_;
  std::set<TensorId> renamed_;
  std::set<std::string> node_names_;  // FreshNodeName's
};

}  // namespace

Expected<ir::Graph> MapToIr(const RawModel& model) { return Mapper(model).Run(); }

Status UnsupportedOpsError(const std::vector<UnsupportedNode>& nodes) {
  if (nodes.empty()) return Status::Ok();
  if (nodes.size() == 1)
    return Unsupported("node '" + nodes[0].node + "' (" + nodes[0].op + "): op " + nodes[0].op + " " + nodes[0].why);
  struct PerOp {
    size_t count = 0;
    std::string first, why;
  };
  std::vector<std::string> order;
  std::map<std::string, PerOp> per_op;
  for (const UnsupportedNode& u : nodes) {
    PerOp& p = per_op[u.op];
    if (p.count++ == 0) {
      order.push_back(u.op);
      p.first = u.node;
      p.why = u.why;
    }
  }
  std::string msg = std::to_string(nodes.size()) + " nodes use " + std::to_string(order.size()) +
                    (order.size() == 1 ? " op" : " ops") + " TiGrIS does not support: ";
  for (size_t k = 0; k < order.size(); ++k) {
    const PerOp& p = per_op[order[k]];
    msg += (k ? ", " : "") + order[k] + " x" + std::to_string(p.count) + " (" + (p.count > 1 ? "first " : "") + "node '" +
           p.first + "'" + (p.why == "is not supported" ? "" : ": " + p.why) + ")";
  }
  return Unsupported(msg);
}

std::vector<std::string> SupportedOnnxOps() {
  std::set<std::string> ops;
  for (const ir::OpTraits& t : ir::kOpTraits)
    if (t.imported()) ops.insert(t.onnx_name);
  for (const auto& a : Mapper::Aliases()) ops.insert(a.onnx);
  for (const auto& q : QOperatorOps()) ops.insert(q);
  return {ops.begin(), ops.end()};
}

}  // namespace tigris::frontend
