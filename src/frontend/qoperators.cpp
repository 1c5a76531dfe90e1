// QOperator -> QDQ (qoperators.h). Each QOperator node becomes
//   [Transpose NHWC->NCHW] -> DequantizeLinear per quantized input -> the float op ->
//   QuantizeLinear -> [Transpose NCHW->NHWC]
// so that exactly one lowering (passes::LowerQdq) turns quantized graphs into int8 kernels. The
// rewrite is exact in the sense that matters: the DequantizeLinear/op/QuantizeLinear chain is
// the float emulation ONNX defines for the QOperator op, which LowerQdq lowers with the same
// integer arithmetic as a QDQ model; the NHWC Transposes cancel against each other (and against
// the model's own layout Transposes) in passes::FoldTransposes.
//
// ConvInteger and MatMulInteger have an int32 output and no requantization: they become the
// float op on the zero-point-shifted integers followed by Cast to int32, accepted only when every
// partial sum is provably an integer below 2^24 in magnitude (then float32 computes it exactly,
// in any order); otherwise the node is refused with the bound that failed.
#include "qoperators.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "newer_opsets.h"

namespace tigris::frontend {

namespace {

constexpr const char* kMsDomain = "com.microsoft";
using onnx::TensorProto;

bool IsDefault(const std::string& d) { return d.empty() || d == "ai.onnx"; }
std::string Quote(const std::string& s) { return "'" + s + "'"; }

// Element values of a constant (initializer or Constant node) as doubles.
struct ConstValue {
  int32_t dtype = 0;
  std::vector<int64_t> dims;
  std::vector<double> v;
};

// Through the frontend's own TensorProto reader (raw or typed fields, checked sizes).
std::optional<ConstValue> Decode(const TensorProto& tp) {
  auto t = TensorFromProto(tp, "constant");
  if (!t.ok()) return std::nullopt;
  ConstValue c;
  c.dtype = tp.data_type();
  c.dims = t->shape;
  const auto count = static_cast<size_t>(t->NumElements());
  auto read = [&](auto tag) {
    using T = decltype(tag);
    for (size_t k = 0; k < count; ++k) {
      T v;
      std::memcpy(&v, t->data.data() + k * sizeof(T), sizeof(T));
      c.v.push_back(static_cast<double>(v));
    }
  };
  switch (t->dtype) {
    case ir::DType::kF32: read(float{}); break;
    case ir::DType::kU8: read(uint8_t{}); break;
    case ir::DType::kI8: read(int8_t{}); break;
    case ir::DType::kI32: read(int32_t{}); break;
    case ir::DType::kI64: read(int64_t{}); break;
    default: return std::nullopt;
  }
  return c;
}

// What is known of a value before shape inference: its element type and, where known, its shape.
struct Known {
  int32_t dtype = 0;
  std::optional<std::vector<int64_t>> shape;  // -1 for an unknown dim
};

class Expander {
 public:
  explicit Expander(onnx::ModelProto& m) : g_(*m.mutable_graph()) {
    for (const auto& o : m.opset_import())
      if (IsDefault(o.domain())) opset_ = o.version();
  }

  Status Run() {
    Index();
    google::protobuf::RepeatedPtrField<onnx::NodeProto> out;
    out_ = &out;
    for (int i = 0; i < g_.node_size(); ++i) {
      const onnx::NodeProto& n = g_.node(i);
      if (!IsQOperator(n.domain(), n.op_type())) {
        *out.Add() = n;
        Propagate(n);
        continue;
      }
      node_ = &n;
      label_ = "node " + Quote(n.name().empty() ? n.op_type() + "_" + std::to_string(i) : n.name()) + " (" +
               (IsDefault(n.domain()) ? "" : n.domain() + ".") + n.op_type() + ")";
      TIGRIS_RETURN_IF_ERROR(Expand(n));
    }
    g_.mutable_node()->Swap(&out);
    return Status::Ok();
  }

 private:
  // ---- what the graph knows -----------------------------------------------------------------
  void Index() {
    auto known_of = [](const onnx::TypeProto& t) {
      Known k;
      if (!t.has_tensor_type()) return k;
      k.dtype = t.tensor_type().elem_type();
      if (t.tensor_type().has_shape()) {
        std::vector<int64_t> s;
        for (const auto& d : t.tensor_type().shape().dim()) s.push_back(d.has_dim_value() ? d.dim_value() : -1);
        k.shape = s;
      }
      return k;
    };
    for (const auto& v : g_.input()) known_[v.name()] = known_of(v.type());
    for (const auto& v : g_.value_info()) known_[v.name()] = known_of(v.type());
    for (const auto& v : g_.output()) known_.emplace(v.name(), known_of(v.type()));
    for (const auto& t : g_.initializer()) {
      consts_[t.name()] = &t;
      known_[t.name()] = Known{t.data_type(), std::vector<int64_t>(t.dims().begin(), t.dims().end())};
    }
    for (const auto& v : g_.input()) names_.insert(v.name());
    for (const auto& t : g_.initializer()) names_.insert(t.name());
    for (const auto& n : g_.node()) {
      for (const auto& o : n.output()) names_.insert(o);
      if (IsDefault(n.domain()) && n.op_type() == "Constant" && n.output_size() == 1)
        for (const auto& a : n.attribute())
          if (a.name() == "value" && a.has_t()) {
            consts_[n.output(0)] = &a.t();
            known_[n.output(0)] = Known{a.t().data_type(), std::vector<int64_t>(a.t().dims().begin(), a.t().dims().end())};
          }
    }
  }

  // Carries element types (and ranks) through the ops QOperator graphs put between QOperator
  // nodes, so a QuantizeLinear without a zero point still gets the right output type.
  void Propagate(const onnx::NodeProto& n) {
    if (n.output_size() == 0 || n.output(0).empty() || !IsDefault(n.domain())) return;
    const std::string& op = n.op_type();
    Known k;
    if (op == "QuantizeLinear") {
      k.dtype = TensorProto::UINT8;
      if (n.input_size() > 2 && known_.count(n.input(2))) k.dtype = known_[n.input(2)].dtype;
      if (n.input_size() > 0 && known_.count(n.input(0))) k.shape = known_[n.input(0)].shape;
    } else if (op == "DequantizeLinear") {
      k.dtype = TensorProto::FLOAT;
      if (n.input_size() > 0 && known_.count(n.input(0))) k.shape = known_[n.input(0)].shape;
    } else {
      static const std::set<std::string> kSameType = {"Transpose", "Identity", "Relu", "MaxPool", "Clip", "Reshape",
                                                      "Flatten", "Squeeze", "Unsqueeze", "Concat", "Slice", "Pad",
                                                      "Resize", "Split", "Gather", "DepthToSpace", "SpaceToDepth"};
      if (!kSameType.count(op) || n.input_size() == 0 || !known_.count(n.input(0))) return;
      k.dtype = known_[n.input(0)].dtype;
      static const std::set<std::string> kSameRank = {"Transpose", "Identity", "Relu", "MaxPool", "Clip", "Concat",
                                                      "Slice", "Pad", "Resize", "Split", "DepthToSpace", "SpaceToDepth"};
      if (kSameRank.count(op) && known_[n.input(0)].shape)
        k.shape = std::vector<int64_t>(known_[n.input(0)].shape->size(), -1);
      if (op == "Flatten") k.shape = std::vector<int64_t>(2, -1);
      if (op == "Reshape" && n.input_size() > 1)
        if (auto c = ConstOf(n.input(1))) k.shape = std::vector<int64_t>(c->v.size(), -1);
    }
    for (const auto& o : n.output())
      if (!known_.count(o)) known_[o] = k;
  }

  std::optional<int64_t> RankOf(const std::string& name) const {
    auto it = known_.find(name);
    if (it == known_.end() || !it->second.shape) return std::nullopt;
    return static_cast<int64_t>(it->second.shape->size());
  }
  int32_t DTypeOf(const std::string& name) const {
    auto it = known_.find(name);
    return it == known_.end() ? 0 : it->second.dtype;
  }
  std::optional<ConstValue> ConstOf(const std::string& name) const {
    auto it = consts_.find(name);
    if (it == consts_.end()) return std::nullopt;
    return Decode(*it->second);
  }

  // ---- building nodes -----------------------------------------------------------------------
  std::string Fresh(const std::string& base) {
    std::string name = base;
    for (int k = 1; names_.count(name); ++k) name = base + "_" + std::to_string(k);
    names_.insert(name);
    return name;
  }
  std::string Base() const {
    const std::string& o = node_->output_size() > 0 ? node_->output(0) : node_->name();
    return o + "_qop";
  }

  onnx::NodeProto* Add(const std::string& op, const std::vector<std::string>& ins, const std::vector<std::string>& outs) {
    onnx::NodeProto* n = out_->Add();
    n->set_op_type(op);
    const std::string stem = node_->name().empty() ? node_->op_type() : node_->name();
    n->set_name(Fresh(stem + "_" + op));
    for (const auto& i : ins) n->add_input(i);
    for (const auto& o : outs) n->add_output(o);
    return n;
  }
  static void SetInt(onnx::NodeProto* n, const std::string& name, int64_t v) {
    auto* a = n->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INT);
    a->set_i(v);
  }
  static void SetInts(onnx::NodeProto* n, const std::string& name, const std::vector<int64_t>& v) {
    auto* a = n->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INTS);
    for (int64_t x : v) a->add_ints(x);
  }
  // The QOperator node's attributes except `skip`, onto `n`.
  void CopyAttrs(onnx::NodeProto* n, const std::set<std::string>& skip) const {
    for (const auto& a : node_->attribute())
      if (!skip.count(a.name())) *n->add_attribute() = a;
  }
  const onnx::AttributeProto* Attr(const std::string& name) const {
    for (const auto& a : node_->attribute())
      if (a.name() == name) return &a;
    return nullptr;
  }
  int64_t AttrInt(const std::string& name, int64_t def) const {
    const auto* a = Attr(name);
    return a ? a->i() : def;
  }

  std::string NewConst(const std::string& base, int32_t dtype, const std::vector<int64_t>& dims, const std::string& raw) {
    TensorProto* t = g_.add_initializer();
    t->set_name(Fresh(base));
    t->set_data_type(dtype);
    for (int64_t d : dims) t->add_dims(d);
    t->set_raw_data(raw);
    consts_[t->name()] = t;
    known_[t->name()] = Known{dtype, dims};
    return t->name();
  }
  std::string FloatConst(const std::string& base, const std::vector<float>& v, bool scalar) {
    std::string raw(v.size() * 4, '\0');
    std::memcpy(raw.data(), v.data(), raw.size());
    return NewConst(base, TensorProto::FLOAT, scalar ? std::vector<int64_t>{} : std::vector<int64_t>{static_cast<int64_t>(v.size())}, raw);
  }
  // Zeros of `dtype`: a scalar (n == 0), or a 1-D tensor of n (a zero point matching a 1-D scale).
  std::string ZeroConst(const std::string& base, int32_t dtype, size_t n = 0) {
    const size_t esize = dtype == TensorProto::INT32 ? 4 : 1;
    return NewConst(base, dtype, n ? std::vector<int64_t>{static_cast<int64_t>(n)} : std::vector<int64_t>{},
                    std::string(esize * std::max<size_t>(n, 1), '\0'));
  }

  // Input k of the node, "" when omitted.
  std::string In(int k) const { return k < node_->input_size() ? node_->input(k) : std::string(); }
  Status Need(int k, const char* what) const {
    if (In(k).empty()) return InvalidModel(label_ + ": input " + std::to_string(k) + " (" + what + ") is missing");
    return Status::Ok();
  }
  Status NeedAll(std::initializer_list<std::pair<int, const char*>> inputs) const {
    for (const auto& [k, what] : inputs) TIGRIS_RETURN_IF_ERROR(Need(k, what));
    return Status::Ok();
  }

  std::string Dq(const std::string& x, const std::string& s, const std::string& z, std::optional<int64_t> axis = std::nullopt) {
    const std::string y = Fresh(x + "_dq");
    auto* n = Add("DequantizeLinear", z.empty() ? std::vector<std::string>{x, s} : std::vector<std::string>{x, s, z}, {y});
    if (axis) SetInt(n, "axis", *axis);
    known_[y] = Known{TensorProto::FLOAT, std::nullopt};
    return y;
  }
  // QuantizeLinear of `yf` into `out`, with the zero point `z` or, when omitted, a zero of the
  // type the QOperator's output has (that of `like`, its first quantized input).
  Status Q(const std::string& yf, const std::string& s, const std::string& z, const std::string& like, const std::string& out) {
    std::string zp = z;
    if (zp.empty()) {
      const int32_t t = DTypeOf(like);
      if (t != TensorProto::INT8 && t != TensorProto::UINT8)
        return Unsupported(label_ + ": no output zero point and the type of " + Quote(like) +
                           " is not known to be int8 or uint8; give the zero point explicitly");
      zp = ZeroConst(Base() + "_yzp", t);
    }
    Add("QuantizeLinear", {yf, s, zp}, {out});
    const auto r = RankOf(like);
    known_[out] = Known{DTypeOf(zp), r ? std::optional<std::vector<int64_t>>(std::vector<int64_t>(static_cast<size_t>(*r), -1)) : std::nullopt};
    return Status::Ok();
  }

  // The NHWC <-> NCHW Transposes of a channels_last node of rank `r`.
  static std::vector<int64_t> ToChannelsFirst(int64_t r) {
    std::vector<int64_t> p = {0, r - 1};
    for (int64_t d = 1; d < r - 1; ++d) p.push_back(d);
    return p;
  }
  static std::vector<int64_t> ToChannelsLast(int64_t r) {
    std::vector<int64_t> p = {0};
    for (int64_t d = 2; d < r; ++d) p.push_back(d);
    p.push_back(1);
    return p;
  }
  bool ChannelsLast() const { return AttrInt("channels_last", 0) != 0; }
  std::string TransposeIn(const std::string& x, int64_t r) {
    const std::string y = Fresh(x + "_nchw");
    SetInts(Add("Transpose", {x}, {y}), "perm", ToChannelsFirst(r));
    known_[y] = Known{DTypeOf(x), std::vector<int64_t>(static_cast<size_t>(r), -1)};
    return y;
  }
  // Where the quantized result goes: the node's output, or a temporary that a Transpose back to
  // NHWC turns into it (FinishLayout).
  std::string ResultName(bool nhwc) { return nhwc ? Fresh(Base() + "_nchw") : node_->output(0); }
  void FinishLayout(bool nhwc, const std::string& tmp, int64_t r) {
    if (!nhwc) return;
    SetInts(Add("Transpose", {tmp}, {node_->output(0)}), "perm", ToChannelsLast(r));
    known_[node_->output(0)] = Known{DTypeOf(tmp), std::vector<int64_t>(static_cast<size_t>(r), -1)};
  }
  Expected<int64_t> NhwcRank(const std::string& x, std::optional<int64_t> hint) const {
    if (hint) return *hint;
    if (auto r = RankOf(x); r && *r >= 3) return *r;
    return Unsupported(label_ + ": channels_last input " + Quote(x) + " has a rank not known before shape inference");
  }

  Expected<std::vector<double>> ConstValues(int k, const char* what) const {
    auto c = ConstOf(In(k));
    if (!c) return Unsupported(label_ + ": " + what + " " + Quote(In(k)) + " must be a constant (float, int8, uint8 or int32)");
    return c->v;
  }

  // ---- the ops --------------------------------------------------------------------------------
  Status Expand(const onnx::NodeProto& n) {
    if (n.output_size() < 1 || n.output(0).empty()) return InvalidModel(label_ + ": has no output");
    const std::string& op = n.op_type();
    if (op == "QLinearConv") return QLinearConv();
    if (op == "QLinearMatMul") return QLinearMatMul();
    if (op == "ConvInteger" || op == "MatMulInteger") return IntegerOp(op == "ConvInteger");
    if (op == "QLinearAdd" || op == "QLinearMul") return QLinearBinary(op == "QLinearAdd" ? "Add" : "Mul");
    if (op == "QLinearGlobalAveragePool" || op == "QLinearAveragePool") return QLinearPool(op == "QLinearGlobalAveragePool");
    if (op == "QLinearSigmoid" || op == "QLinearLeakyRelu") return QLinearUnary(op == "QLinearSigmoid" ? "Sigmoid" : "LeakyRelu");
    if (op == "QLinearSoftmax") return QLinearSoftmax();
    if (op == "QLinearConcat") return QLinearConcat();
    if (op == "QGemm") return QGemm();
    if (op == "NhwcMaxPool") return NhwcMaxPool();
    if (op == "QuantizeLinear" || op == "DequantizeLinear") {  // com.microsoft's, same semantics
      auto* m = Add(op, std::vector<std::string>(n.input().begin(), n.input().end()), std::vector<std::string>(n.output().begin(), n.output().end()));
      CopyAttrs(m, {});
      Propagate(*m);
      return Status::Ok();
    }
    return Internal(label_ + ": no QOperator rewrite");
  }

  // QLinearConv(x, xs, xzp, w, ws, wzp, ys, yzp, [B]) (ONNX; com.microsoft adds channels_last).
  Status QLinearConv() {
    TIGRIS_RETURN_IF_ERROR(NeedAll({{0, "x"}, {1, "x_scale"}, {3, "w"}, {4, "w_scale"}, {6, "y_scale"}}));
    std::optional<int64_t> rank;
    if (auto w = known_.find(In(3)); w != known_.end() && w->second.shape) rank = static_cast<int64_t>(w->second.shape->size());
    const bool nhwc = ChannelsLast();
    std::string x = In(0);
    int64_t r = 0;
    if (nhwc) {
      TIGRIS_ASSIGN_OR_RETURN(r, NhwcRank(x, rank));
      x = TransposeIn(x, r);
    }
    const std::string xf = Dq(x, In(1), In(2));
    const std::string wf = Dq(In(3), In(4), In(5), int64_t{0});
    std::vector<std::string> conv_in = {xf, wf};
    if (!In(8).empty()) {
      // The int32 bias is quantized with scale x_scale * w_scale[c] and zero point 0.
      TIGRIS_ASSIGN_OR_RETURN(std::vector<double> xs, ConstValues(1, "x_scale"));
      TIGRIS_ASSIGN_OR_RETURN(std::vector<double> ws, ConstValues(4, "w_scale"));
      if (xs.size() != 1 || ws.empty()) return InvalidModel(label_ + ": x_scale must be a scalar and w_scale non-empty");
      std::vector<float> bs;
      for (double w : ws) bs.push_back(static_cast<float>(xs[0]) * static_cast<float>(w));
      const std::string bscale = FloatConst(Base() + "_bias_scale", bs, bs.size() == 1);
      const size_t nz = bs.size() == 1 ? 0 : bs.size();
      conv_in.push_back(Dq(In(8), bscale, ZeroConst(Base() + "_bias_zp", TensorProto::INT32, nz), int64_t{0}));
    }
    const std::string yf = Fresh(Base() + "_f");
    CopyAttrs(Add("Conv", conv_in, {yf}), {"channels_last"});
    const std::string res = ResultName(nhwc);
    TIGRIS_RETURN_IF_ERROR(Q(yf, In(6), In(7), In(0), res));
    FinishLayout(nhwc, res, r);
    return Status::Ok();
  }

  // The axis of B's columns for a per-column quantization of B (2-D or more: its last axis).
  Expected<std::optional<int64_t>> ColumnAxis(const std::string& b, const std::string& b_scale) const {
    auto s = known_.find(b_scale);
    int64_t count = 1;
    if (s != known_.end() && s->second.shape)
      for (int64_t d : *s->second.shape) count *= d;
    if (count == 1) return std::optional<int64_t>{};
    auto r = RankOf(b);
    if (!r) return Unsupported(label_ + ": per-column quantization of " + Quote(b) + ", whose rank is not known");
    return std::optional<int64_t>{*r - 1};
  }

  // QLinearMatMul(a, as, azp, b, bs, bzp, ys, yzp).
  Status QLinearMatMul() {
    TIGRIS_RETURN_IF_ERROR(NeedAll({{0, "a"}, {1, "a_scale"}, {3, "b"}, {4, "b_scale"}, {6, "y_scale"}}));
    TIGRIS_ASSIGN_OR_RETURN(auto baxis, ColumnAxis(In(3), In(4)));
    const std::string af = Dq(In(0), In(1), In(2));
    const std::string bf = Dq(In(3), In(4), In(5), baxis);
    const std::string yf = Fresh(Base() + "_f");
    Add("MatMul", {af, bf}, {yf});
    return Q(yf, In(6), In(7), In(0), node_->output(0));
  }

  // The largest |q - zp| of a quantized activation `x` (its type's range, its zero point if constant).
  double MaxShifted(const std::string& x, const std::string& zp) const {
    const int32_t t = DTypeOf(x);
    double lo = t == TensorProto::INT8 ? -128 : 0, hi = t == TensorProto::INT8 ? 127 : 255;
    if (t != TensorProto::INT8 && t != TensorProto::UINT8) lo = -255, hi = 255;  // unknown: widest
    double z = 0;
    if (!zp.empty()) {
      auto c = ConstOf(zp);
      if (!c || c->v.size() != 1) return std::max(hi - lo, 255.0);
      z = c->v[0];
    }
    return std::max(std::fabs(hi - z), std::fabs(lo - z));
  }

  // ConvInteger(x, w, [xzp], [wzp]) / MatMulInteger(a, b, [azp], [bzp]): int32 results of the
  // zero-point-shifted integers. The float op computes them exactly when every partial sum stays
  // below 2^24: bounded by sum_k |w_k - wzp| * max|x - xzp| per output channel (or column).
  Status IntegerOp(bool conv) {
    TIGRIS_RETURN_IF_ERROR(Need(0, "x"));
    TIGRIS_RETURN_IF_ERROR(Need(1, "w"));
    const std::string x = In(0), w = In(1), xzp = In(2), wzp = In(3);
    auto wc = ConstOf(w);
    std::optional<ConstValue> wz;
    if (!wzp.empty()) {
      wz = ConstOf(wzp);
      if (!wz) return Unsupported(label_ + ": the weight zero point " + Quote(wzp) + " must be a constant");
    }
    // Per-channel zero points run along the output channels: axis 0 of a Conv weight, the last
    // axis (columns) of a MatMul B.
    std::optional<int64_t> axis;
    if (wz && wz->v.size() > 1) {
      if (conv) {
        axis = 0;
      } else {
        auto r = RankOf(w);
        if (!r) return Unsupported(label_ + ": per-column zero point of " + Quote(w) + ", whose rank is not known");
        axis = *r - 1;
      }
    }
    const double xmax = MaxShifted(x, xzp);
    double bound = 0;
    if (wc) {
      // Sum of |w - wzp| per output channel (conv: axis 0; matmul: per column).
      const std::vector<int64_t>& d = wc->dims;
      const int64_t count = static_cast<int64_t>(wc->v.size());
      const int64_t n_out = d.empty() ? 1 : (conv ? d[0] : d.back());
      const int64_t inner = conv ? (n_out > 0 ? count / n_out : 0) : 1;
      std::vector<double> sum(static_cast<size_t>(std::max<int64_t>(n_out, 1)), 0.0);
      for (int64_t k = 0; k < count; ++k) {
        const int64_t c = conv ? (inner > 0 ? k / inner : 0) : (n_out > 0 ? k % n_out : 0);
        const double z = !wz ? 0 : (wz->v.size() == 1 ? wz->v[0] : wz->v[static_cast<size_t>(c)]);
        sum[static_cast<size_t>(c)] += std::fabs(wc->v[static_cast<size_t>(k)] - z);
      }
      for (double s : sum) bound = std::max(bound, s * xmax);
    } else {
      // A runtime B: K taps of at most max|a - azp| * max|b - bzp|.
      auto shape = known_.count(w) ? known_.at(w).shape : std::nullopt;
      const int64_t k_dim = shape && shape->size() >= 2 ? (*shape)[shape->size() - 2] : -1;
      if (conv || k_dim <= 0)
        return Unsupported(label_ + ": a non-constant weight whose size is not known; its int32 accumulation cannot be bounded");
      bound = static_cast<double>(k_dim) * xmax * MaxShifted(w, wzp);
    }
    constexpr double kExactF32 = 16777216.0;  // 2^24
    if (bound > kExactF32)
      return Unsupported(label_ + ": its int32 accumulation can reach " + std::to_string(static_cast<int64_t>(bound)) +
                         " in magnitude, beyond what TiGrIS computes exactly (2^24); integer-output " +
                         (conv ? "ConvInteger" : "MatMulInteger") + " of this size is not supported");
    const std::string one = FloatConst(Base() + "_one", {1.f}, true);
    const std::string xf = Dq(x, one, xzp);
    std::string wscale = one;
    if (axis) wscale = FloatConst(Base() + "_w_one", std::vector<float>(wz->v.size(), 1.f), false);
    const std::string wf = Dq(w, wscale, wzp, axis);
    const std::string yf = Fresh(Base() + "_f");
    auto* op = Add(conv ? "Conv" : "MatMul", {xf, wf}, {yf});
    if (conv) CopyAttrs(op, {});
    SetInt(Add("Cast", {yf}, {node_->output(0)}), "to", TensorProto::INT32);
    known_[node_->output(0)] = Known{TensorProto::INT32, std::nullopt};
    return Status::Ok();
  }

  // QLinearAdd / QLinearMul(A, As, Azp, B, Bs, Bzp, Cs, Czp).
  Status QLinearBinary(const char* op) {
    TIGRIS_RETURN_IF_ERROR(NeedAll({{0, "A"}, {1, "A_scale"}, {3, "B"}, {4, "B_scale"}, {6, "C_scale"}}));
    const std::string af = Dq(In(0), In(1), In(2));
    const std::string bf = Dq(In(3), In(4), In(5));
    const std::string yf = Fresh(Base() + "_f");
    Add(op, {af, bf}, {yf});
    return Q(yf, In(6), In(7), In(0), node_->output(0));
  }

  // QLinearGlobalAveragePool / QLinearAveragePool(X, xs, xzp, ys, yzp), channels_last.
  Status QLinearPool(bool global) {
    TIGRIS_RETURN_IF_ERROR(NeedAll({{0, "X"}, {1, "x_scale"}, {3, "y_scale"}}));
    const bool nhwc = ChannelsLast();
    std::optional<int64_t> hint;
    if (const auto* ks = Attr("kernel_shape"); ks && !global) hint = ks->ints_size() + 2;
    std::string x = In(0);
    int64_t r = 0;
    if (nhwc) {
      TIGRIS_ASSIGN_OR_RETURN(r, NhwcRank(x, hint));
      x = TransposeIn(x, r);
    }
    const std::string xf = Dq(x, In(1), In(2));
    const std::string yf = Fresh(Base() + "_f");
    CopyAttrs(Add(global ? "GlobalAveragePool" : "AveragePool", {xf}, {yf}), {"channels_last"});
    const std::string res = ResultName(nhwc);
    TIGRIS_RETURN_IF_ERROR(Q(yf, In(3), In(4), In(0), res));
    FinishLayout(nhwc, res, r);
    return Status::Ok();
  }

  // QLinearSigmoid / QLinearLeakyRelu(X, xs, xzp, ys, yzp).
  Status QLinearUnary(const char* op) {
    TIGRIS_RETURN_IF_ERROR(NeedAll({{0, "X"}, {1, "X_scale"}, {3, "Y_scale"}}));
    const std::string xf = Dq(In(0), In(1), In(2));
    const std::string yf = Fresh(Base() + "_f");
    CopyAttrs(Add(op, {xf}, {yf}), {});
    return Q(yf, In(3), In(4), In(0), node_->output(0));
  }

  // QLinearSoftmax(X, xs, xzp, ys, yzp; axis, opset): a Softmax along `axis` with the semantics
  // of the `opset` attribute. When that and the model's opset agree on what Softmax means (both
  // below 13: the input flattened to 2-D at `axis`; both 13 or later: one axis) the Softmax node
  // says it directly; a pre-13 meaning in a newer model is written out as Flatten -> Softmax ->
  // Reshape back; the other mix only along the last axis, where the two meanings agree.
  Status QLinearSoftmax() {
    TIGRIS_RETURN_IF_ERROR(NeedAll({{0, "X"}, {1, "X_scale"}, {3, "y_scale"}}));
    const int64_t axis = AttrInt("axis", -1);
    const int64_t semantics = AttrInt("opset", opset_);
    const auto r = RankOf(In(0));
    const bool last = axis == -1 || (r && axis == *r - 1);
    const std::string xf = Dq(In(0), In(1), In(2));
    const std::string yf = Fresh(Base() + "_f");
    if ((semantics < 13) == (opset_ < 13) || last) {
      SetInt(Add("Softmax", {xf}, {yf}), "axis", axis);
    } else if (semantics < 13) {
      const std::string flat = Fresh(Base() + "_2d"), sm = Fresh(Base() + "_sm"), shape = Fresh(Base() + "_shape");
      SetInt(Add("Flatten", {xf}, {flat}), "axis", axis);
      SetInt(Add("Softmax", {flat}, {sm}), "axis", -1);
      Add("Shape", {xf}, {shape});
      Add("Reshape", {sm, shape}, {yf});
    } else {
      return Unsupported(label_ + ": softmax along axis " + std::to_string(axis) + " with opset-" +
                         std::to_string(semantics) + " semantics in an opset-" + std::to_string(opset_) +
                         " model whose input rank is not known here");
    }
    return Q(yf, In(3), In(4), In(0), node_->output(0));
  }

  // QLinearConcat(Y_scale, Y_zp, X0, X0_scale, X0_zp, X1, ...; axis).
  Status QLinearConcat() {
    TIGRIS_RETURN_IF_ERROR(Need(0, "Y_scale"));
    if (node_->input_size() < 5 || (node_->input_size() - 2) % 3 != 0)
      return InvalidModel(label_ + ": expects Y_scale, Y_zero_point and (tensor, scale, zero point) triples");
    std::vector<std::string> parts;
    for (int k = 2; k + 2 < node_->input_size(); k += 3) {
      TIGRIS_RETURN_IF_ERROR(Need(k, "tensor"));
      TIGRIS_RETURN_IF_ERROR(Need(k + 1, "scale"));
      parts.push_back(Dq(In(k), In(k + 1), In(k + 2)));
    }
    const std::string yf = Fresh(Base() + "_f");
    CopyAttrs(Add("Concat", parts, {yf}), {});
    return Q(yf, In(0), In(1), In(2), node_->output(0));
  }

  // NhwcMaxPool(x): onnxruntime's NHWC MaxPool of int8/uint8 values (the NHWC transformer's),
  // with MaxPool's attributes.
  Status NhwcMaxPool() {
    TIGRIS_RETURN_IF_ERROR(Need(0, "x"));
    const auto* ks = Attr("kernel_shape");
    if (!ks) return InvalidModel(label_ + ": has no kernel_shape");
    const int64_t r = ks->ints_size() + 2;
    const std::string x = TransposeIn(In(0), r);
    const std::string res = ResultName(true);
    CopyAttrs(Add("MaxPool", {x}, {res}), {"storage_order"});
    known_[res] = Known{DTypeOf(In(0)), std::vector<int64_t>(static_cast<size_t>(r), -1)};
    FinishLayout(true, res, r);
    return Status::Ok();
  }

  // QGemm(A, as, azp, B, bs, bzp, [C], [ys], [yzp]; alpha, transA, transB): C is int32 with
  // scale alpha * as * bs and zero point 0; without y_scale the output is float.
  Status QGemm() {
    TIGRIS_RETURN_IF_ERROR(NeedAll({{0, "A"}, {1, "a_scale"}, {3, "B"}, {4, "b_scale"}}));
    const int64_t trans_b = AttrInt("transB", 0);
    const float alpha = Attr("alpha") ? Attr("alpha")->f() : 1.f;
    std::optional<int64_t> baxis;
    auto bsc = ConstOf(In(4));
    if (!bsc) return Unsupported(label_ + ": b_scale " + Quote(In(4)) + " must be a constant");
    if (bsc->v.size() > 1) baxis = trans_b ? 0 : 1;  // the axis of B's N columns
    const std::string af = Dq(In(0), In(1), In(2));
    const std::string bf = Dq(In(3), In(4), In(5), baxis);
    std::vector<std::string> gemm_in = {af, bf};
    if (!In(6).empty()) {
      TIGRIS_ASSIGN_OR_RETURN(std::vector<double> as, ConstValues(1, "a_scale"));
      if (as.size() != 1) return InvalidModel(label_ + ": a_scale must be a scalar");
      std::vector<float> cs;
      for (double b : bsc->v) cs.push_back(alpha * static_cast<float>(as[0]) * static_cast<float>(b));
      const std::string cscale = FloatConst(Base() + "_c_scale", cs, cs.size() == 1);
      std::optional<int64_t> caxis;
      if (cs.size() > 1) {
        auto cr = RankOf(In(6));
        if (!cr) return Unsupported(label_ + ": per-column scale of C " + Quote(In(6)) + ", whose rank is not known");
        caxis = *cr - 1;
      }
      const size_t nz = cs.size() == 1 ? 0 : cs.size();
      gemm_in.push_back(Dq(In(6), cscale, ZeroConst(Base() + "_c_zp", TensorProto::INT32, nz), caxis));
    }
    const bool quantized_out = !In(7).empty();
    const std::string yf = quantized_out ? Fresh(Base() + "_f") : node_->output(0);
    CopyAttrs(Add("Gemm", gemm_in, {yf}), {});
    if (!quantized_out) {
      known_[yf] = Known{TensorProto::FLOAT, std::vector<int64_t>(2, -1)};
      return Status::Ok();
    }
    TIGRIS_RETURN_IF_ERROR(Q(yf, In(7), In(8), In(0), node_->output(0)));
    known_[node_->output(0)].shape = std::vector<int64_t>(2, -1);
    return Status::Ok();
  }

  onnx::GraphProto& g_;
  int64_t opset_ = 0;  // the model's default-domain opset
  google::protobuf::RepeatedPtrField<onnx::NodeProto>* out_ = nullptr;
  const onnx::NodeProto* node_ = nullptr;
  std::string label_;
  std::unordered_set<std::string> names_;
  std::unordered_map<std::string, const TensorProto*> consts_;
  std::unordered_map<std::string, Known> known_;
};

const std::set<std::string> kOnnxQOps = {"QLinearConv", "QLinearMatMul", "ConvInteger", "MatMulInteger"};
const std::set<std::string> kMicrosoftQOps = {"QLinearConv",     "QLinearAdd",       "QLinearMul",
                                              "QLinearGlobalAveragePool", "QLinearAveragePool",
                                              "QLinearSigmoid",  "QLinearLeakyRelu", "QLinearSoftmax",
                                              "QLinearConcat",   "QGemm",            "QuantizeLinear",
                                              "DequantizeLinear", "NhwcMaxPool"};

}  // namespace

bool IsQOperator(const std::string& domain, const std::string& op) {
  if (IsDefault(domain)) return kOnnxQOps.count(op) > 0;
  return domain == kMsDomain && kMicrosoftQOps.count(op) > 0;
}

std::vector<std::string> QOperatorOps() {
  std::vector<std::string> ops(kOnnxQOps.begin(), kOnnxQOps.end());
  for (const auto& op : kMicrosoftQOps) ops.push_back(std::string(kMsDomain) + "." + op);
  return ops;
}

Status ExpandQOperators(onnx::ModelProto& model) {
  bool any = false;
  for (const auto& n : model.graph().node()) any = any || IsQOperator(n.domain(), n.op_type());
  if (!any) return Status::Ok();
  int64_t opset = 0;
  for (const auto& o : model.opset_import())
    if (IsDefault(o.domain())) opset = o.version();
  if (opset < 10)
    return Unsupported("the model has quantized (QOperator) nodes but imports ONNX opset " + std::to_string(opset) +
                       "; their QuantizeLinear/DequantizeLinear form needs opset 10 or later");
  return Expander(model).Run();
}

}  // namespace tigris::frontend
