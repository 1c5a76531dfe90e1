// Opsets 18..21 on top of onnx 1.12, which stops at opset 17. Rewrites each node whose version
// changed in 18..21 into its exact opset-17 form (attributes that became inputs back into
// attributes, Split's num_outputs into split sizes, Pad's axes into full pads, Resize's axes
// into full-rank scales/sizes, ...), and keeps the nodes that have no such form, or that still
// wait for a constant or a shape, in a private domain that onnx's inference skips; for the
// former, our own shape rules type their outputs. Pre: the graph's nodes are named and its
// inputs bound (OnnxModel::Upgrade). Post: every node is in the default domain at its opset-17
// form, or in kPendingDomain with the reason in NewerOpsetState::pending.
// Ops whose only change in 18..21 is new element types (Cast, Constant, Identity, Reshape,
// Shape, Size, Squeeze, Transpose, ... at 19 and 21) need nothing: the element types TiGrIS
// supports mean the same at 17, the others are refused where a tensor has them.
#include "newer_opsets.h"

#include "einsum.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <optional>
#include <set>
#include <unordered_set>
#include <vector>

namespace tigris::frontend {

namespace {

// Default-domain ops new in opsets 18..21 (onnx 1.12 has no schema for them).
struct NewOp {
  const char* op;
  int64_t since;
  enum class Rule { kNone, kSameAsInput0, kBroadcast } rule;
};
constexpr NewOp kNewOps[] = {
    {"BitwiseAnd", 18, NewOp::Rule::kBroadcast},
    {"BitwiseNot", 18, NewOp::Rule::kSameAsInput0},
    {"BitwiseOr", 18, NewOp::Rule::kBroadcast},
    {"BitwiseXor", 18, NewOp::Rule::kBroadcast},
    {"CenterCropPad", 18, NewOp::Rule::kNone},
    {"Col2Im", 18, NewOp::Rule::kNone},
    {"GroupNormalization", 18, NewOp::Rule::kSameAsInput0},
    {"Mish", 18, NewOp::Rule::kSameAsInput0},
    {"DeformConv", 19, NewOp::Rule::kNone},
    {"AffineGrid", 20, NewOp::Rule::kNone},
    {"Gelu", 20, NewOp::Rule::kSameAsInput0},
    {"ImageDecoder", 20, NewOp::Rule::kNone},
    {"RegexFullMatch", 20, NewOp::Rule::kNone},
    {"StringConcat", 20, NewOp::Rule::kNone},
    {"StringSplit", 20, NewOp::Rule::kNone},
};

const NewOp* FindNewOp(const std::string& op) {
  for (const NewOp& n : kNewOps)
    if (op == n.op) return &n;
  return nullptr;
}

// The reductions whose axes moved from an attribute to an input at opset 18 (ReduceSum did at 13).
const std::set<std::string>& ReduceOps18() {
  static const std::set<std::string> kOps = {"ReduceMean", "ReduceMax",    "ReduceMin",       "ReduceProd",     "ReduceL1",
                                             "ReduceL2",   "ReduceLogSum", "ReduceLogSumExp", "ReduceSumSquare"};
  return kOps;
}

bool IsDefaultDomain(const std::string& d) { return d.empty() || d == "ai.onnx"; }

const onnx::AttributeProto* FindAttr(const onnx::NodeProto& n, const std::string& name) {
  for (const auto& a : n.attribute())
    if (a.name() == name) return &a;
  return nullptr;
}
int64_t AttrInt(const onnx::NodeProto& n, const std::string& name, int64_t d) {
  const auto* a = FindAttr(n, name);
  return a && a->type() == onnx::AttributeProto::INT ? a->i() : d;
}
std::string AttrStr(const onnx::NodeProto& n, const std::string& name, const std::string& d) {
  const auto* a = FindAttr(n, name);
  return a && a->type() == onnx::AttributeProto::STRING ? a->s() : d;
}
void RemoveAttr(onnx::NodeProto& n, const std::string& name) {
  auto* attrs = n.mutable_attribute();
  for (int i = attrs->size(); i-- > 0;)
    if (attrs->Get(i).name() == name) attrs->DeleteSubrange(i, 1);
}
void SetAttrInts(onnx::NodeProto& n, const std::string& name, const std::vector<int64_t>& v) {
  RemoveAttr(n, name);
  auto* a = n.add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INTS);
  for (int64_t x : v) a->add_ints(x);
}
void SetAttrFloats(onnx::NodeProto& n, const std::string& name, const std::vector<float>& v) {
  RemoveAttr(n, name);
  auto* a = n.add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::FLOATS);
  for (float x : v) a->add_floats(x);
}
bool HasInput(const onnx::NodeProto& n, int k) { return k < n.input_size() && !n.input(k).empty(); }
// Drops trailing omitted inputs.
void TrimInputs(onnx::NodeProto& n) {
  while (n.input_size() > 0 && n.input(n.input_size() - 1).empty()) n.mutable_input()->RemoveLast();
}
void SetInput(onnx::NodeProto& n, int k, const std::string& name) {
  while (n.input_size() <= k) n.add_input("");
  n.set_input(k, name);
}

// Known shape of a value: rank and dims (-1 = unknown dim).
struct Shape {
  std::vector<int64_t> dims;
  bool Static() const {
    return std::all_of(dims.begin(), dims.end(), [](int64_t d) { return d >= 0; });
  }
};

std::optional<Shape> ShapeOfType(const onnx::TypeProto& t) {
  if (!t.has_tensor_type() || !t.tensor_type().has_shape()) return std::nullopt;
  Shape s;
  for (const auto& d : t.tensor_type().shape().dim()) s.dims.push_back(d.has_dim_value() && d.dim_value() >= 0 ? d.dim_value() : -1);
  return s;
}

// What the rewrites look up in the graph: constants (initializers, Constant nodes) and the
// shapes known from the bound inputs, initializers, the last inference and our own rules.
class GraphIndex {
 public:
  GraphIndex(onnx::GraphProto& g, const NewerOpsetState& state) : g_(g) {
    for (const auto& t : g.initializer()) {
      inits_[t.name()] = &t;
      names_.insert(t.name());
    }
    for (const auto& v : g.input()) AddType(v);
    for (const auto& v : g.value_info()) AddType(v);
    for (const auto& v : g.output())
      if (!types_.count(v.name())) AddType(v);
    for (const auto& [name, t] : state.own_types) types_[name] = &t;
    for (const auto& n : g.node()) {
      for (const auto& o : n.output()) names_.insert(o);
      if (n.op_type() == "Constant" && IsDefaultDomain(n.domain()) && n.output_size() == 1) constants_[n.output(0)] = &n;
    }
    for (const auto& v : g.input()) names_.insert(v.name());
  }

  std::optional<ir::Tensor> Const(const std::string& name) const {
    if (auto it = inits_.find(name); it != inits_.end()) {
      auto t = TensorFromProto(*it->second, "initializer");
      if (t.ok()) return std::move(*t);
      return std::nullopt;
    }
    auto it = constants_.find(name);
    if (it == constants_.end()) return std::nullopt;
    for (const auto& a : it->second->attribute()) {
      ir::Tensor t;
      t.is_constant = true;
      if (a.name() == "value" && a.has_t()) {
        auto v = TensorFromProto(a.t(), "Constant");
        if (v.ok()) return std::move(*v);
        return std::nullopt;
      }
      if (a.name() == "value_ints" || a.name() == "value_int") {
        t.dtype = ir::DType::kI64;
        std::vector<int64_t> v(a.ints().begin(), a.ints().end());
        if (a.name() == "value_int") v = {a.i()};
        else t.shape = {static_cast<int64_t>(v.size())};
        t.data.resize(v.size() * 8);
        std::memcpy(t.data.data(), v.data(), t.data.size());
        return t;
      }
      if (a.name() == "value_floats" || a.name() == "value_float") {
        t.dtype = ir::DType::kF32;
        std::vector<float> v(a.floats().begin(), a.floats().end());
        if (a.name() == "value_float") v = {a.f()};
        else t.shape = {static_cast<int64_t>(v.size())};
        t.data.resize(v.size() * 4);
        std::memcpy(t.data.data(), v.data(), t.data.size());
        return t;
      }
    }
    return std::nullopt;
  }

  std::optional<std::vector<int64_t>> ConstInts(const std::string& name) const {
    auto t = Const(name);
    if (!t) return std::nullopt;
    std::vector<int64_t> v;
    for (int64_t e = 0; e < t->NumElements(); ++e) {
      if (t->dtype == ir::DType::kI64) v.push_back(t->DataAs<int64_t>()[e]);
      else if (t->dtype == ir::DType::kI32) v.push_back(t->DataAs<int32_t>()[e]);
      else return std::nullopt;
    }
    return v;
  }
  std::optional<std::vector<float>> ConstFloats(const std::string& name) const {
    auto t = Const(name);
    if (!t || t->dtype != ir::DType::kF32) return std::nullopt;
    return std::vector<float>(t->DataAs<float>(), t->DataAs<float>() + t->NumElements());
  }

  std::optional<Shape> ShapeOf(const std::string& name) const {
    if (auto it = inits_.find(name); it != inits_.end()) return Shape{{it->second->dims().begin(), it->second->dims().end()}};
    if (auto it = types_.find(name); it != types_.end()) return ShapeOfType(*it->second);
    if (auto c = constants_.find(name); c != constants_.end()) {
      if (auto t = Const(name)) return Shape{t->shape};
    }
    return std::nullopt;
  }
  const onnx::TypeProto* TypeOf(const std::string& name) const {
    auto it = types_.find(name);
    return it == types_.end() ? nullptr : it->second;
  }
  int32_t ElemType(const std::string& name) const {
    if (auto it = inits_.find(name); it != inits_.end()) return it->second->data_type();
    const onnx::TypeProto* t = TypeOf(name);
    return t && t->has_tensor_type() ? t->tensor_type().elem_type() : 0;
  }

  // Adds an initializer under a name no value uses; returns the name.
  std::string AddInitializer(const std::string& base, const std::vector<int64_t>& ints) {
    onnx::TensorProto t;
    t.set_name(Fresh(base));
    t.set_data_type(onnx::TensorProto::INT64);
    t.add_dims(static_cast<int64_t>(ints.size()));
    for (int64_t v : ints) t.add_int64_data(v);
    return Add(std::move(t));
  }
  std::string AddInitializer(const std::string& base, const std::vector<float>& floats) {
    onnx::TensorProto t;
    t.set_name(Fresh(base));
    t.set_data_type(onnx::TensorProto::FLOAT);
    t.add_dims(static_cast<int64_t>(floats.size()));
    for (float v : floats) t.add_float_data(v);
    return Add(std::move(t));
  }

 private:
  void AddType(const onnx::ValueInfoProto& v) {
    if (v.has_type()) types_[v.name()] = &v.type();
    names_.insert(v.name());
  }
  std::string Fresh(const std::string& base) {
    std::string name = base;
    for (int k = 1; names_.count(name); ++k) name = base + "_" + std::to_string(k);
    names_.insert(name);
    return name;
  }
  std::string Add(onnx::TensorProto t) {
    auto* added = g_.add_initializer();
    *added = std::move(t);
    inits_[added->name()] = added;
    return added->name();
  }

  onnx::GraphProto& g_;
  std::map<std::string, const onnx::TensorProto*> inits_;
  std::map<std::string, const onnx::NodeProto*> constants_;
  std::map<std::string, const onnx::TypeProto*> types_;
  std::unordered_set<std::string> names_;
};

// What a rewrite did with a node.
struct Outcome {
  enum Kind { kAlready17, kRewritten, kPark } kind = kAlready17;
  Status why;  // kPark: OK = no opset-17 form, our shape rule applies; an error otherwise
  static Outcome Already() { return {}; }
  static Outcome Rewritten() { return {kRewritten, Status::Ok()}; }
  static Outcome Park(Status s) { return {kPark, std::move(s)}; }
};

std::string Ints(const std::vector<int64_t>& v) { return ir::ShapeString(v); }

int64_t NormAxis(int64_t a, int64_t r) { return a < 0 ? a + r : a; }

// Reduce*-18: `axes` is an optional input, plus `noop_with_empty_axes`.
Outcome RewriteReduce(onnx::NodeProto& n, const GraphIndex& idx) {
  const bool has_axes = HasInput(n, 1);
  const bool has_noop = FindAttr(n, "noop_with_empty_axes") != nullptr;
  if (!has_axes && !has_noop) return Outcome::Already();
  std::vector<int64_t> axes;
  if (has_axes) {
    auto c = idx.ConstInts(n.input(1));
    if (!c) return Outcome::Park(Unsupported("its axes input '" + n.input(1) + "' must be a constant"));
    axes = *c;
  }
  const bool noop = AttrInt(n, "noop_with_empty_axes", 0) != 0;
  // Reducing over no axes reduces each element on its own: the element itself for Sum, Mean,
  // Max, Min and Prod, but |x|, x*x, log x, ... for the others (ONNX's reference and onnxruntime
  // agree). Those have no opset-17 spelling as one node; the mapper emits them (EmitReduceNothing)
  // and our shape rule types them.
  const std::string& op = n.op_type();
  const bool element_is_result =
      op == "ReduceSum" || op == "ReduceMean" || op == "ReduceMax" || op == "ReduceMin" || op == "ReduceProd";
  if (axes.empty() && noop && !element_is_result) return Outcome::Park(Status::Ok());
  RemoveAttr(n, "noop_with_empty_axes");
  n.mutable_input()->DeleteSubrange(1, n.input_size() - 1);
  if (axes.empty() && noop) {
    // No axes and noop_with_empty_axes: the input unchanged.
    n.set_op_type("Identity");
    n.clear_attribute();
  } else if (!axes.empty()) {
    SetAttrInts(n, "axes", axes);
  }
  return Outcome::Rewritten();
}

// Split-18: `num_outputs` instead of `split`; an uneven split makes the last chunk smaller.
Outcome RewriteSplit(onnx::NodeProto& n, GraphIndex& idx) {
  if (!FindAttr(n, "num_outputs")) return Outcome::Already();
  const int64_t parts = AttrInt(n, "num_outputs", 0);
  if (parts < 1 || parts != n.output_size())
    return Outcome::Park(InvalidModel("num_outputs=" + std::to_string(parts) + " but it has " + std::to_string(n.output_size()) +
                                      " outputs"));
  if (HasInput(n, 1)) return Outcome::Park(InvalidModel("both num_outputs and the split input are given"));
  auto s = idx.ShapeOf(n.input(0));
  const int64_t r = s ? static_cast<int64_t>(s->dims.size()) : 0;
  const int64_t axis = NormAxis(AttrInt(n, "axis", 0), r);
  if (!s || axis < 0 || axis >= r || s->dims[static_cast<size_t>(axis)] < 0)
    return Outcome::Park(Unsupported("num_outputs needs the size of the split dim, which is not known"));
  const int64_t dim = s->dims[static_cast<size_t>(axis)];
  const int64_t chunk = (dim + parts - 1) / parts;
  const int64_t last = dim - chunk * (parts - 1);
  if (last <= 0)
    return Outcome::Park(InvalidModel("cannot split dim " + std::to_string(dim) + " into " + std::to_string(parts) + " parts"));
  RemoveAttr(n, "num_outputs");
  if (dim % parts != 0) {
    std::vector<int64_t> split(static_cast<size_t>(parts), chunk);
    split.back() = last;
    SetInput(n, 1, idx.AddInitializer(n.name() + "_split", split));
  }
  return Outcome::Rewritten();
}

// Pad-18: an optional `axes` input; `pads` then holds begins and ends for those axes only.
Outcome RewritePad(onnx::NodeProto& n, GraphIndex& idx) {
  if (!HasInput(n, 3)) return Outcome::Already();
  if (!HasInput(n, 1)) return Outcome::Park(InvalidModel("has axes but no pads"));
  auto pads = idx.ConstInts(n.input(1));
  auto axes = idx.ConstInts(n.input(3));
  if (!pads || !axes) return Outcome::Park(Unsupported("its pads and axes inputs must be constants"));
  auto s = idx.ShapeOf(n.input(0));
  if (!s) return Outcome::Park(Unsupported("axes needs the rank of its input, which is not known"));
  const auto r = static_cast<int64_t>(s->dims.size());
  const size_t na = axes->size();
  if (pads->size() != 2 * na)
    return Outcome::Park(InvalidModel("pads has " + std::to_string(pads->size()) + " values for " + std::to_string(na) + " axes"));
  std::vector<int64_t> full(static_cast<size_t>(2 * r), 0);
  std::vector<bool> seen(static_cast<size_t>(r), false);
  for (size_t k = 0; k < na; ++k) {
    const int64_t a = NormAxis((*axes)[k], r);
    if (a < 0 || a >= r || seen[static_cast<size_t>(a)]) return Outcome::Park(InvalidModel("axes " + Ints(*axes) + " out of range or repeated"));
    seen[static_cast<size_t>(a)] = true;
    full[static_cast<size_t>(a)] = (*pads)[k];
    full[static_cast<size_t>(a + r)] = (*pads)[k + na];
  }
  n.set_input(1, idx.AddInitializer(n.name() + "_pads", full));
  n.set_input(3, "");
  TrimInputs(n);
  return Outcome::Rewritten();
}

// Resize-18: `axes`, `keep_aspect_ratio_policy` and `antialias` (half_pixel_symmetric, 19, is
// the mapper's: it keeps the attribute value).
Outcome RewriteResize(onnx::NodeProto& n, GraphIndex& idx) {
  const bool has_axes = FindAttr(n, "axes") != nullptr;
  const bool has_policy = FindAttr(n, "keep_aspect_ratio_policy") != nullptr;
  const bool has_antialias = FindAttr(n, "antialias") != nullptr;
  if (!has_axes && !has_policy && !has_antialias) return Outcome::Already();
  const std::string policy = AttrStr(n, "keep_aspect_ratio_policy", "stretch");
  const bool antialias = AttrInt(n, "antialias", 0) != 0;
  const std::string mode = AttrStr(n, "mode", "nearest");
  if (policy != "stretch" && policy != "not_larger" && policy != "not_smaller")
    return Outcome::Park(InvalidModel("unknown keep_aspect_ratio_policy '" + policy + "'"));
  if (AttrStr(n, "coordinate_transformation_mode", "half_pixel") == "tf_crop_and_resize" && has_axes)
    return Outcome::Park(Unsupported("coordinate_transformation_mode 'tf_crop_and_resize' is not supported"));

  std::optional<std::vector<float>> scales;
  std::optional<std::vector<int64_t>> sizes;
  if (HasInput(n, 2)) {
    scales = idx.ConstFloats(n.input(2));
    if (!scales) return Outcome::Park(Unsupported("its scales input '" + n.input(2) + "' must be a constant"));
    if (scales->empty()) scales.reset();
  }
  if (!scales && HasInput(n, 3)) {
    sizes = idx.ConstInts(n.input(3));
    if (!sizes) return Outcome::Park(Unsupported("its sizes input '" + n.input(3) + "' must be a constant"));
  }
  if (!scales && !sizes) return Outcome::Park(InvalidModel("neither scales nor sizes is given"));
  auto x = idx.ShapeOf(n.input(0));
  const bool need_dims = sizes && (has_axes || policy != "stretch" || antialias);
  if (!x || (need_dims && !x->Static()))
    return Outcome::Park(Unsupported("needs the shape of its input, which is not known"));
  const auto r = static_cast<int64_t>(x->dims.size());

  std::vector<int64_t> axes;
  if (has_axes) {
    const auto* a = FindAttr(n, "axes");
    axes.assign(a->ints().begin(), a->ints().end());
  } else {
    for (int64_t d = 0; d < r; ++d) axes.push_back(d);
  }
  std::vector<bool> resized(static_cast<size_t>(r), false);
  for (int64_t& a : axes) {
    a = NormAxis(a, r);
    if (a < 0 || a >= r || resized[static_cast<size_t>(a)]) return Outcome::Park(InvalidModel("axes out of range or repeated"));
    resized[static_cast<size_t>(a)] = true;
  }
  const size_t given = scales ? scales->size() : sizes->size();
  if (given != axes.size())
    return Outcome::Park(InvalidModel(std::string(scales ? "scales" : "sizes") + " has " + std::to_string(given) + " values for " +
                                      std::to_string(axes.size()) + " axes"));
  // Full-rank scales or sizes: an axis not listed keeps its size.
  std::vector<float> full_scales;
  std::vector<int64_t> full_sizes;
  if (scales) {
    full_scales.assign(static_cast<size_t>(r), 1.f);
    for (size_t k = 0; k < axes.size(); ++k) full_scales[static_cast<size_t>(axes[k])] = (*scales)[k];
  } else {
    full_sizes = x->dims;
    for (size_t k = 0; k < axes.size(); ++k) full_sizes[static_cast<size_t>(axes[k])] = (*sizes)[k];
  }
  // keep_aspect_ratio_policy (with sizes only): one scale for the listed axes, the min or max
  // of out/in; out = round(scale * in). The coordinates use that scale, not out/in, which has
  // no opset-17 spelling: the mapper reads it from the private attribute tigris_scales.
  std::vector<float> policy_scales;
  if (sizes && policy != "stretch") {
    for (int64_t d : x->dims)
      if (d == 0) return Outcome::Park(InvalidModel("cannot resize an empty dim"));
    float s = policy == "not_larger" ? std::numeric_limits<float>::max() : std::numeric_limits<float>::min();
    for (int64_t a : axes) {
      const float q = static_cast<float>(full_sizes[static_cast<size_t>(a)]) / static_cast<float>(x->dims[static_cast<size_t>(a)]);
      s = policy == "not_larger" ? std::min(s, q) : std::max(s, q);
    }
    policy_scales.assign(static_cast<size_t>(r), 1.f);
    for (int64_t a : axes) {
      policy_scales[static_cast<size_t>(a)] = s;
      full_sizes[static_cast<size_t>(a)] =
          static_cast<int64_t>(std::round(s * static_cast<float>(x->dims[static_cast<size_t>(a)])));
    }
  }
  // antialias only changes linear and cubic downsampling (for nearest, ONNX says it has no
  // effect; onnxruntime refuses it there): drop it where no axis shrinks (onnxruntime's
  // antialiased upsampling equals the plain one), otherwise refuse it.
  bool keep_antialias = false;
  if (antialias && mode != "nearest") {
    for (size_t d = 0; d < static_cast<size_t>(r); ++d) {
      float sc = 1.f;
      if (!policy_scales.empty()) sc = policy_scales[d];
      else if (scales) sc = full_scales[d];
      else sc = static_cast<float>(full_sizes[d]) / static_cast<float>(x->dims[d]);
      keep_antialias = keep_antialias || sc < 1.f;
    }
    if (keep_antialias) return Outcome::Park(Unsupported("antialias=1 is supported only where no axis is downsampled"));
  }
  RemoveAttr(n, "axes");
  RemoveAttr(n, "keep_aspect_ratio_policy");
  RemoveAttr(n, "antialias");
  if (has_axes || !policy_scales.empty()) {
    SetInput(n, 1, "");  // roi: only tf_crop_and_resize reads it
    if (scales) {
      SetInput(n, 2, idx.AddInitializer(n.name() + "_scales", full_scales));
      SetInput(n, 3, "");
    } else {
      SetInput(n, 2, "");
      SetInput(n, 3, idx.AddInitializer(n.name() + "_sizes", full_sizes));
    }
    TrimInputs(n);
  }
  if (!policy_scales.empty()) SetAttrFloats(n, "tigris_scales", policy_scales);
  return Outcome::Rewritten();
}

// AveragePool-19: `dilations`. All ones is the opset-17 form; otherwise there is none (the
// mapper and kernel handle dilated windows; our shape rule types the output).
Outcome RewriteAveragePool(onnx::NodeProto& n) {
  const auto* a = FindAttr(n, "dilations");
  if (!a) return Outcome::Already();
  if (std::all_of(a->ints().begin(), a->ints().end(), [](int64_t d) { return d == 1; })) {
    RemoveAttr(n, "dilations");
    return Outcome::Rewritten();
  }
  const std::string auto_pad = AttrStr(n, "auto_pad", "NOTSET");
  if (auto_pad != "NOTSET" && auto_pad != "VALID")
    return Outcome::Park(Unsupported("auto_pad " + auto_pad + " with dilations is not supported"));
  return Outcome::Park(Status::Ok());
}

Outcome Rewrite(onnx::NodeProto& n, GraphIndex& idx) {
  const std::string& op = n.op_type();
  if (ReduceOps18().count(op)) return RewriteReduce(n, idx);
  if (op == "Split") return RewriteSplit(n, idx);
  if (op == "Pad") return RewritePad(n, idx);
  if (op == "Resize") return RewriteResize(n, idx);
  if (op == "AveragePool") return RewriteAveragePool(n);
  if (const NewOp* nw = FindNewOp(op); nw && nw->rule != NewOp::Rule::kNone) return Outcome::Park(Status::Ok());
  return Outcome::Already();
}

// ---- own shape rules -----------------------------------------------------------------------

std::optional<onnx::TypeProto> MakeType(int32_t elem, const std::vector<int64_t>& dims) {
  onnx::TypeProto t;
  t.mutable_tensor_type()->set_elem_type(elem);
  auto* shape = t.mutable_tensor_type()->mutable_shape();
  for (int64_t d : dims) {
    auto* dim = shape->add_dim();
    if (d >= 0) dim->set_dim_value(d);
  }
  return t;
}

// AveragePool-19 with dilations, as onnxruntime sizes it (NOTSET or VALID padding).
std::optional<onnx::TypeProto> AveragePoolType(const onnx::NodeProto& n, const GraphIndex& idx) {
  auto x = idx.ShapeOf(n.input(0));
  if (!x || x->dims.size() < 3 || !x->Static()) return std::nullopt;
  const size_t ns = x->dims.size() - 2;
  const auto* k = FindAttr(n, "kernel_shape");
  const auto* d = FindAttr(n, "dilations");
  if (!k || !d || static_cast<size_t>(k->ints_size()) != ns || static_cast<size_t>(d->ints_size()) != ns) return std::nullopt;
  std::vector<int64_t> strides(ns, 1), pads(2 * ns, 0);
  if (const auto* s = FindAttr(n, "strides"); s && static_cast<size_t>(s->ints_size()) == ns) strides.assign(s->ints().begin(), s->ints().end());
  const bool valid = AttrStr(n, "auto_pad", "NOTSET") == "VALID";
  if (const auto* p = FindAttr(n, "pads"); p && !valid && static_cast<size_t>(p->ints_size()) == 2 * ns) pads.assign(p->ints().begin(), p->ints().end());
  const bool ceil_mode = AttrInt(n, "ceil_mode", 0) != 0;
  std::vector<int64_t> out = {x->dims[0], x->dims[1]};
  for (size_t i = 0; i < ns; ++i) {
    const int64_t span = x->dims[i + 2] + pads[i] + pads[i + ns] - d->ints(static_cast<int>(i)) * (k->ints(static_cast<int>(i)) - 1) - 1;
    if (span < 0 || strides[i] < 1) return std::nullopt;
    out.push_back((ceil_mode ? (span + strides[i] - 1) / strides[i] : span / strides[i]) + 1);
  }
  return MakeType(idx.ElemType(n.input(0)), out);
}

std::optional<onnx::TypeProto> BroadcastType(const onnx::NodeProto& n, const GraphIndex& idx) {
  std::vector<int64_t> out;
  for (const auto& in : n.input()) {
    auto s = idx.ShapeOf(in);
    if (!s || !s->Static()) return std::nullopt;
    if (s->dims.size() > out.size()) out.insert(out.begin(), s->dims.size() - out.size(), 1);
    for (size_t k = 0; k < s->dims.size(); ++k) {
      int64_t& o = out[out.size() - s->dims.size() + k];
      const int64_t v = s->dims[k];
      if (v == o || v == 1) continue;
      if (o != 1) return std::nullopt;
      o = v;
    }
  }
  return MakeType(idx.ElemType(n.input(0)), out);
}

// Einsum-12: onnx 1.12 infers only the output's rank; the sizes follow from the equation.
std::optional<onnx::TypeProto> EinsumType(const onnx::NodeProto& n, const GraphIndex& idx) {
  const auto* eq = FindAttr(n, "equation");
  if (!eq || eq->type() != onnx::AttributeProto::STRING) return std::nullopt;
  std::vector<std::vector<int64_t>> shapes;
  std::vector<size_t> ranks;
  for (const auto& in : n.input()) {
    auto s = in.empty() ? std::nullopt : idx.ShapeOf(in);
    if (!s || !s->Static()) return std::nullopt;
    shapes.push_back(s->dims);
    ranks.push_back(s->dims.size());
  }
  auto labels = ParseEinsum(eq->s(), ranks);
  if (!labels.ok()) return std::nullopt;  // the mapper reports the equation's problem
  auto out = EinsumOutputShape(*labels, shapes);
  if (!out.ok()) return std::nullopt;
  return MakeType(idx.ElemType(n.input(0)), *out);
}

std::optional<onnx::TypeProto> OwnType(const onnx::NodeProto& n, const GraphIndex& idx) {
  if (n.input_size() == 0 || n.input(0).empty()) return std::nullopt;
  if (n.op_type() == "Einsum") return EinsumType(n, idx);
  if (n.op_type() == "AveragePool") return AveragePoolType(n, idx);
  if (ReduceOps18().count(n.op_type())) {  // a parked one reduces over no axes: the input's shape
    auto s = idx.ShapeOf(n.input(0));
    const int32_t elem = idx.ElemType(n.input(0));
    if (!s || elem == 0) return std::nullopt;
    return MakeType(elem, s->dims);
  }
  const NewOp* nw = FindNewOp(n.op_type());
  if (!nw) return std::nullopt;
  if (nw->rule == NewOp::Rule::kBroadcast) return BroadcastType(n, idx);
  if (nw->rule == NewOp::Rule::kSameAsInput0) {
    auto s = idx.ShapeOf(n.input(0));
    const int32_t elem = idx.ElemType(n.input(0));
    if (!s || elem == 0) return std::nullopt;
    return MakeType(elem, s->dims);
  }
  return std::nullopt;
}

}  // namespace

int64_t OpIntroducedAfter17(const std::string& op) {
  const NewOp* n = FindNewOp(op);
  return n ? n->since : 0;
}

bool CompletesOnnxInference(const std::string& op) { return op == "Einsum"; }

bool HasOwnShapeRule(const std::string& op) {
  const NewOp* n = FindNewOp(op);
  return n && n->rule != NewOp::Rule::kNone;
}

bool NormalizeToOpset17(onnx::ModelProto& model, NewerOpsetState& state) {
  bool changed = false;
  bool has_pending_import = false;
  for (const auto& o : model.opset_import()) has_pending_import = has_pending_import || o.domain() == kPendingDomain;
  if (!has_pending_import) {
    auto* o = model.add_opset_import();
    o->set_domain(kPendingDomain);
    o->set_version(1);
  }
  auto* g = model.mutable_graph();
  GraphIndex idx(*g, state);
  for (auto& n : *g->mutable_node()) {
    const bool parked = n.domain() == kPendingDomain;
    if (!parked && !IsDefaultDomain(n.domain())) continue;
    Outcome o = Rewrite(n, idx);
    if (o.kind == Outcome::kPark) {
      if (!parked) {
        n.set_domain(kPendingDomain);
        changed = true;
      }
      state.pending[n.name()] = o.why;
      continue;
    }
    if (o.kind == Outcome::kRewritten) changed = true;
    if (parked) {
      n.set_domain("");
      changed = true;
    }
    state.pending.erase(n.name());
  }
  return changed;
}

bool ApplyOwnShapeRules(onnx::ModelProto& model, NewerOpsetState& state) {
  auto* g = model.mutable_graph();
  std::map<std::string, onnx::TypeProto> found;
  {
    GraphIndex idx(*g, state);
    for (const auto& n : g->node()) {
      if (n.domain() == kPendingDomain) {
        auto it = state.pending.find(n.name());
        if (it == state.pending.end() || !it->second.ok()) continue;
      } else if (!IsDefaultDomain(n.domain()) || !CompletesOnnxInference(n.op_type())) {
        continue;
      }
      if (n.output_size() == 0 || n.output(0).empty() || state.own_types.count(n.output(0))) continue;
      if (auto t = OwnType(n, idx)) found[n.output(0)] = std::move(*t);
    }
  }
  for (auto& [name, t] : found) {
    auto* vi = g->add_value_info();
    vi->set_name(name);
    *vi->mutable_type() = t;
    // onnx's inference reads a graph output's type from its own entry, not from value_info.
    for (auto& out : *g->mutable_output())
      if (out.name() == name) *out.mutable_type() = t;
    state.own_types[name] = std::move(t);
  }
  return !found.empty();
}

}  // namespace tigris::frontend
