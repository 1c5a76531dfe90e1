// LowerQdq: the QuantizeLinear / DequantizeLinear ("QDQ") form of a quantized model becomes int8
// ops on the integer-only kernels (ops_s8.def), with every quantization parameter computed here on
// the host (quant_math.h) and stored in attributes and int32 constants. docs/int8.md has the
// pipeline and the exactness contract. In order:
//
// 1. uint8 -> int8. Every uint8 activation becomes int8 with its zero point lowered by 128 (the
//    same real values: q - zp does not change). A uint8 graph input gets a Requantize to its int8
//    twin at the start, a uint8 graph output a Requantize from its int8 twin at the end, so the
//    plan's inputs and outputs keep their declared dtype.
// 2. Views move across quantization: DQ(x) -> Reshape/Transpose becomes Reshape/Transpose on x
//    -> DQ, and P -> Reshape/Transpose -> Q (P's output read only there) becomes P -> Q ->
//    Reshape/Transpose. Both are exact (a view does not change values) and let the fusion below
//    see DQ -> op -> Q.
// 3. Fusion. A float op whose activation inputs are all DequantizeLinear outputs (per tensor),
//    whose weights are float constants that remember their int8/uint8 quantization (the folded
//    DequantizeLinear of an initializer, ir::Tensor::quant), and whose output is read by one
//    QuantizeLinear only (and is not a graph output) becomes the int8 op from the DQ inputs to the
//    Q output: Conv (grouped, depthwise), Gemm, MatMul, Add, Sub, Mul, Concat, Split (each output
//    read by its own Q), MaxPool, AveragePool, GlobalAveragePool, GlobalMaxPool, Softmax, the
//    unary ops as lookup tables, nearest Resize, Pad, Reshape, Transpose, Slice. A fused Relu/Clip becomes the output clamp.
//    Ops whose int8 kernel keeps the input's quantization (pools, data movement, Softmax's fixed
//    1/256 output) get a Requantize after them when the Q's parameters differ; Concat inputs with
//    other parameters than the output get one before.
// 4. Q(DQ(x)) becomes a Requantize (nothing when both have the same parameters).
// 5. A table that only clamps (Relu/Clip between equal quantizations) folds into the clamp of the
//    int8 op producing its input, when that op's output has no other reader.
// What does not match stays: QuantizeLinear and DequantizeLinear run as float kernels around the
// float op, so partially quantized graphs still run.
//
// Pre: canonical attributes (docs/ir.md), FuseActivations and GlobalizePools have run. Post: int8
// nodes carry the attributes of docs/int8.md and exactly their kernel's inputs; node order stays
// topological; dead DequantizeLinear nodes are left for EliminateDeadCode.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <map>
#include <optional>

#include "pass_util.h"
#include "tigris/ir/op_traits.h"
#include "tigris/kernels/ref_f32.h"
#include "tigris/kernels/tgrs_params.h"
#include "tigris/passes/passes.h"
#include "tigris/passes/quant_math.h"

namespace tigris::passes {

namespace {

using ir::DType;
using ir::NodeId;
using ir::OpKind;
using ir::TensorId;

// Per-tensor int8 quantization of an activation.
struct QInfo {
  float scale = 1.f;
  int32_t zp = 0;
  bool operator==(const QInfo& o) const { return scale == o.scale && zp == o.zp; }
};

// An int8 activation operand: the int8 tensor and its quantization.
struct QAct {
  TensorId t = ir::kNoTensor;
  QInfo q;
};

// A weight recovered from a float constant: int8 values and per-channel (or per-tensor) scale and
// zero point along `axis` (-1: per tensor).
struct QWeight {
  std::vector<int8_t> q;
  std::vector<float> scale;
  std::vector<int32_t> zp;
  int32_t axis = -1;
  bool has_zp() const {
    return std::any_of(zp.begin(), zp.end(), [](int32_t z) { return z != 0; });
  }
};

constexpr double kInf = std::numeric_limits<double>::infinity();

template <typename T>
std::vector<uint8_t> Bytes(const std::vector<T>& v) {
  std::vector<uint8_t> b(v.size() * sizeof(T));
  if (!v.empty()) std::memcpy(b.data(), v.data(), b.size());
  return b;
}

// The integers of a float constant that a folded DequantizeLinear computed as float32
// (q - zp) * scale: q = round(w / scale) + zp, accepted only if recomputing the float gives w
// bit for bit (so the int8 op sees exactly the weights onnxruntime dequantizes). uint8 values
// (or zero points above 127) become int8 with both shifted by -128.
std::optional<QWeight> RecoverWeight(const ir::Tensor& w) {
  if (!w.is_constant || w.dtype != DType::kF32 || w.quant.empty()) return std::nullopt;
  const ir::QuantParams& qp = w.quant;
  const size_t nc = qp.scale.size();
  if (qp.zero_point.size() != nc) return std::nullopt;
  const auto rank = static_cast<int64_t>(w.shape.size());
  if (nc > 1 && (qp.axis < 0 || qp.axis >= rank || w.shape[static_cast<size_t>(qp.axis)] != static_cast<int64_t>(nc)))
    return std::nullopt;
  int64_t inner = 1;
  if (nc > 1)
    for (int64_t d = qp.axis + 1; d < rank; ++d) inner *= w.shape[static_cast<size_t>(d)];
  const std::vector<double> v = detail::ConstF32(w);
  std::vector<int32_t> q(v.size());
  int32_t lo = std::numeric_limits<int32_t>::max(), hi = std::numeric_limits<int32_t>::min();
  for (size_t k = 0; k < v.size(); ++k) {
    const size_t c = nc > 1 ? static_cast<size_t>(static_cast<int64_t>(k) / inner % static_cast<int64_t>(nc)) : 0;
    const float s = qp.scale[c];
    if (!(s > 0.f) || !std::isfinite(s)) return std::nullopt;
    const double d = std::nearbyint(v[k] / static_cast<double>(s));
    if (std::fabs(d) > 512) return std::nullopt;
    if (static_cast<float>(static_cast<float>(d) * s) != static_cast<float>(v[k])) return std::nullopt;
    q[k] = static_cast<int32_t>(d) + qp.zero_point[c];
    lo = std::min(lo, q[k]);
    hi = std::max(hi, q[k]);
  }
  for (int32_t z : qp.zero_point) {
    lo = std::min(lo, z);
    hi = std::max(hi, z);
  }
  int32_t shift = 0;
  if (lo >= -128 && hi <= 127) {
    shift = 0;
  } else if (lo >= 0 && hi <= 255) {
    shift = -128;
  } else {
    return std::nullopt;
  }
  QWeight r;
  r.q.resize(q.size());
  for (size_t k = 0; k < q.size(); ++k) r.q[k] = static_cast<int8_t>(q[k] + shift);
  r.scale = qp.scale;
  for (int32_t z : qp.zero_point) r.zp.push_back(z + shift);
  r.axis = nc > 1 ? qp.axis : -1;
  return r;
}

// The int8 clamp of the fused activation of `n` (none, Relu, Clip), nullopt for another one.
std::optional<ClampRange> FusedClamp(const ir::Node& n, const QInfo& y) {
  const int64_t act = n.GetInt("act", TGRS_ACT_NONE);
  double lo = -kInf, hi = kInf;
  if (act == TGRS_ACT_NONE) {
    return ClampRange{};
  } else if (act == TGRS_ACT_RELU) {
    lo = 0.0;
  } else if (act == TGRS_ACT_CLIP) {
    lo = n.GetFloat("act_a", -std::numeric_limits<float>::infinity());
    hi = n.GetFloat("act_b", std::numeric_limits<float>::infinity());
  } else {
    return std::nullopt;
  }
  auto r = QuantizedActivationRange(lo, hi, y.scale, y.zp);
  if (!r.ok()) return std::nullopt;
  return *r;
}

// The float function of a unary op for its lookup table, or nullptr.
UnaryFn UnaryFunction(const ir::Node& n) {
  const ir::UnaryOperands o = ir::UnaryOperandsOf(n);
  const double a = o.a, b = o.b;
  switch (n.kind) {
    case OpKind::kRelu: return [](double x) { return x > 0 ? x : 0.0; };
    case OpKind::kClip: return [a, b](double x) { return std::min(std::max(x, a), b); };
    case OpKind::kLeakyRelu: return [a](double x) { return x >= 0 ? x : a * x; };
    case OpKind::kSigmoid: return [](double x) { return 1.0 / (1.0 + std::exp(-x)); };
    case OpKind::kHardSigmoid: return [a, b](double x) { return std::max(0.0, std::min(1.0, a * x + b)); };
    case OpKind::kHardSwish: return [](double x) { return x * std::max(0.0, std::min(1.0, x / 6.0 + 0.5)); };
    case OpKind::kTanh: return [](double x) { return std::tanh(x); };
    case OpKind::kExp: return [](double x) { return std::exp(x); };
    case OpKind::kNeg: return [](double x) { return -x; };
    case OpKind::kAbs: return [](double x) { return std::fabs(x); };
    case OpKind::kElu: return [a](double x) { return x >= 0 ? x : a * (std::exp(x) - 1.0); };
    case OpKind::kSoftplus: return [](double x) { return x > 30 ? x : std::log1p(std::exp(x)); };
    case OpKind::kGelu:
      if (a != 0.0)
        return [](double x) {
          return 0.5 * x * (1.0 + std::tanh(std::sqrt(2.0 / 3.14159265358979323846) * (x + 0.044715 * x * x * x)));
        };
      return [](double x) { return 0.5 * x * (1.0 + std::erf(x / std::sqrt(2.0))); };
    default: return nullptr;
  }
}

class Lowering {
 public:
  explicit Lowering(ir::Graph& g) : g_(g), node_names_(detail::NodeNames(g)), tensor_names_(detail::TensorNames(g)) {}

  Status Run() {
    TIGRIS_RETURN_IF_ERROR(Uint8ToInt8());
    TIGRIS_RETURN_IF_ERROR(DirectQuantizedOps());
    MoveViews();
    TIGRIS_RETURN_IF_ERROR(Fuse());
    TIGRIS_RETURN_IF_ERROR(QuantizeOfDequantize());
    FoldClampTables();
    return Status::Ok();
  }

 private:
  // ---- graph helpers -------------------------------------------------------------------------
  void Index() {
    producers_ = g_.Producers();
    consumers_ = g_.Consumers();
  }
  const ir::Node* ProducerNode(TensorId t) const {
    const NodeId p = producers_[static_cast<size_t>(t)];
    return p < 0 ? nullptr : &g_.nodes[static_cast<size_t>(p)];
  }
  TensorId NewTensor(const std::string& base, DType dtype, std::vector<int64_t> shape) {
    ir::Tensor t;
    t.name = detail::UniqueName(base, tensor_names_);
    t.dtype = dtype;
    t.shape = std::move(shape);
    return g_.AddTensor(std::move(t));
  }
  TensorId NewConst(const std::string& base, DType dtype, std::vector<int64_t> shape, std::vector<uint8_t> data) {
    ir::Tensor t;
    t.name = detail::UniqueName(base, tensor_names_);
    t.dtype = dtype;
    t.shape = std::move(shape);
    t.is_constant = true;
    t.data = std::move(data);
    return g_.AddTensor(std::move(t));
  }
  TensorId NewInt8Act(const std::string& base, const std::vector<int64_t>& shape, const QInfo& q) {
    const TensorId t = NewTensor(base, DType::kI8, shape);
    SetQuant(t, q);
    return t;
  }
  void SetQuant(TensorId t, const QInfo& q) {
    ir::Tensor& x = g_.tensor(t);
    x.quant.scale = {q.scale};
    x.quant.zero_point = {q.zp};
    x.quant.axis = -1;
  }
  ir::Node NewNode(const std::string& base, OpKind kind) {
    ir::Node n;
    n.name = detail::UniqueName(base, node_names_);
    n.kind = kind;
    return n;
  }
  // The int8 node that replaces `n`: its name (n goes away) and `kind`.
  static ir::Node Replacement(const ir::Node& n, OpKind kind) {
    ir::Node r;
    r.name = n.name;
    r.kind = kind;
    return r;
  }
  static QInfo QdqInfo(const ir::Node& n) { return QInfo{n.GetFloat("scale", 1.f), static_cast<int32_t>(n.GetInt("zero_point", 0))}; }

  // A Requantize from int8 `x` (quantization xq) to `y` (yq), or from/to a uint8 tensor (the zero
  // points then in uint8's range; the clamp is y's type's).
  Expected<ir::Node> Requantize(const std::string& base, TensorId x, int32_t x_zp, float x_scale, TensorId y, int32_t y_zp,
                                float y_scale) {
    ir::Node n = NewNode(base, OpKind::kRequantize);
    TIGRIS_ASSIGN_OR_RETURN(QuantizedMultiplier m,
                            QuantizeMultiplier(static_cast<double>(x_scale) / static_cast<double>(y_scale)));
    const bool y_u8 = g_.tensor(y).dtype == DType::kU8;
    n.inputs = {x};
    n.outputs = {y};
    n.attrs = {{"x_zp", int64_t{x_zp}}, {"y_zp", int64_t{y_zp}}, {"y_mult", int64_t{m.multiplier}},
               {"y_shift", int64_t{m.shift}}, {"q_min", int64_t{y_u8 ? 0 : -128}}, {"q_max", int64_t{y_u8 ? 255 : 127}}};
    return n;
  }

  // ---- 1. uint8 -> int8 ----------------------------------------------------------------------
  Status Uint8ToInt8() {
    Index();
    std::vector<bool> was_u8(g_.tensors.size(), false);
    std::vector<ir::Node> front;
    std::map<TensorId, TensorId> twin;  // uint8 graph input -> its int8 twin
    for (size_t t = 0; t < g_.tensors.size(); ++t) {
      ir::Tensor& x = g_.tensors[t];
      if (x.dtype != DType::kU8 || x.is_constant) continue;
      was_u8[t] = true;
      const auto id = static_cast<TensorId>(t);
      if (std::find(g_.inputs.begin(), g_.inputs.end(), id) != g_.inputs.end()) {
        const TensorId s8 = NewTensor(g_.tensor(id).name + "_s8", DType::kI8, g_.tensor(id).shape);
        TIGRIS_ASSIGN_OR_RETURN(ir::Node conv, Requantize(g_.tensor(id).name + "_to_s8", id, 128, 1.f, s8, 0, 1.f));
        front.push_back(std::move(conv));
        twin[id] = s8;
      } else {
        x.dtype = DType::kI8;
      }
    }
    was_u8_ = was_u8;
    if (std::none_of(was_u8.begin(), was_u8.end(), [](bool b) { return b; })) return Status::Ok();
    // a tensor id that was uint8 (retyped in place, or a graph input read through its twin)
    auto shifted = [&](TensorId t) { return t >= 0 && static_cast<size_t>(t) < was_u8.size() && was_u8[static_cast<size_t>(t)]; };
    for (ir::Node& n : g_.nodes) {
      const bool from_u8 = !n.inputs.empty() && shifted(n.inputs[0]);
      for (TensorId& t : n.inputs)
        if (t >= 0 && twin.count(t)) t = twin[t];
      // DequantizeLinear of a former uint8 tensor, QuantizeLinear to one: zero point - 128
      if ((n.kind == OpKind::kDequantizeLinear && from_u8) ||
          (n.kind == OpKind::kQuantizeLinear && !n.outputs.empty() && shifted(n.outputs[0])))
        n.attrs["zero_point"] = n.GetInt("zero_point", 0) - 128;
    }
    g_.nodes.insert(g_.nodes.begin(), std::make_move_iterator(front.begin()), std::make_move_iterator(front.end()));
    // uint8 graph outputs come back from their int8 twin (a graph input passed straight through
    // keeps its uint8 tensor and needs nothing)
    for (TensorId& out : g_.outputs) {
      if (static_cast<size_t>(out) >= was_u8.size() || !was_u8[static_cast<size_t>(out)] || twin.count(out)) continue;
      ir::Tensor& s8 = g_.tensor(out);
      const std::string name = s8.name;
      tensor_names_.erase(name);
      s8.name = detail::UniqueName(name + "_s8", tensor_names_);
      const TensorId u8 = NewTensor(name, DType::kU8, g_.tensor(out).shape);
      TIGRIS_ASSIGN_OR_RETURN(ir::Node back, Requantize(name + "_to_u8", out, 0, 1.f, u8, 128, 1.f));
      g_.nodes.push_back(std::move(back));
      out = u8;
    }
    return Status::Ok();
  }

  // ---- 1b. ops written directly on quantized values ---------------------------------------------
  // QOperator models (onnxruntime's quantizer) run data movement straight on uint8/int8 tensors:
  // MaxPool, Pad (its constant in the quantized domain), nearest Resize, Concat, Split, Slice,
  // Transpose. Their int8 kernels compute exactly that (max and moves commute with the uint8 ->
  // int8 shift); the ones that need attributes get them here, as for a fused op whose input and
  // output share one quantization. Anything else reading a quantized tensor this way is refused.
  Status DirectQuantizedOps() {
    for (ir::Node& n : g_.nodes) {
      if (n.inputs.empty() || n.inputs[0] < 0 || g_.tensor(n.inputs[0]).dtype != DType::kI8) continue;
      switch (n.kind) {
        case OpKind::kQuantizeLinear:
        case OpKind::kDequantizeLinear:
        case OpKind::kRequantize:
        case OpKind::kReshape:
        case OpKind::kTranspose:
        case OpKind::kConcat:
        case OpKind::kSplit:
        case OpKind::kSlice:
          continue;
        case OpKind::kMaxPool:
        case OpKind::kPad:
        case OpKind::kResize: {
          if (n.Has("q_min") || n.Has("q_value") || n.Has("table_offset")) continue;
          // The quantized domain itself: scale 1, and the -128 of a former uint8 tensor, so a
          // Pad constant written as uint8 lands on the same int8 value.
          const TensorId t = n.inputs[0];
          const bool from_u8 = static_cast<size_t>(t) < was_u8_.size() && was_u8_[static_cast<size_t>(t)];
          ir::Node o = n;
          TIGRIS_ASSIGN_OR_RETURN(bool ok, KeepingNode(n, QAct{t, QInfo{1.f, from_u8 ? -128 : 0}}, o));
          if (!ok) return Unsupported(detail::Label(n) + ": on quantized (int8/uint8) values it has no int8 kernel in this form "
                                                        "(MaxPool, constant/edge/reflect Pad and nearest Resize do)");
          n.attrs = std::move(o.attrs);
          n.inputs = std::move(o.inputs);
          continue;
        }
        default:
          return Unsupported(detail::Label(n) + ": reads the quantized tensor '" + g_.tensor(n.inputs[0]).name +
                             "' directly (it takes float32 here; quantized values reach it through DequantizeLinear)");
      }
    }
    return Status::Ok();
  }

  // ---- 2. views across quantization ---------------------------------------------------------
  static bool IsMovableView(const ir::Node& n) {
    return (n.kind == OpKind::kReshape || n.kind == OpKind::kTranspose) && n.outputs.size() == 1 && !n.inputs.empty();
  }

  void MoveViews() {
    for (bool changed = true; changed;) {
      changed = false;
      Index();
      for (size_t i = 0; i < g_.nodes.size() && !changed; ++i) {
        const ir::Node& v = g_.nodes[i];
        if (!IsMovableView(v)) continue;
        const TensorId in = v.inputs[0];
        const ir::Node* dq = ProducerNode(in);
        // DQ(x) -> view  =>  view(x) -> DQ
        if (dq && dq->kind == OpKind::kDequantizeLinear && g_.tensor(dq->inputs[0]).dtype == DType::kI8) {
          const QInfo q = QdqInfo(*dq);
          const TensorId x = dq->inputs[0];
          ir::Node moved = v;
          const TensorId x2 = NewInt8Act(g_.tensor(v.outputs[0]).name + "_q", g_.tensor(v.outputs[0]).shape, q);
          moved.inputs = {x};
          moved.outputs = {x2};
          ir::Node deq = NewNode(v.name + "_dq", OpKind::kDequantizeLinear);
          deq.inputs = {x2};
          deq.outputs = v.outputs;
          deq.attrs = dq->attrs;
          g_.nodes[i] = std::move(moved);
          g_.nodes.insert(g_.nodes.begin() + static_cast<std::ptrdiff_t>(i) + 1, std::move(deq));
          changed = true;
          continue;
        }
        // P -> view -> Q  =>  P -> Q -> view
        const TensorId y = v.outputs[0];
        const auto& readers = consumers_[static_cast<size_t>(y)];
        if (readers.size() != 1 || detail::IsGraphOutput(g_, y)) continue;
        const ir::Node& q = g_.nodes[static_cast<size_t>(readers[0])];
        if (q.kind != OpKind::kQuantizeLinear || g_.tensor(in).is_constant || detail::IsGraphOutput(g_, in)) continue;
        if (consumers_[static_cast<size_t>(in)].size() != 1 || !ProducerNode(in)) continue;
        const QInfo qi = QdqInfo(q);
        const TensorId q_out = q.outputs[0];
        const TensorId in_q = NewInt8Act(g_.tensor(in).name + "_q", g_.tensor(in).shape, qi);
        ir::Node quant = NewNode(q.name + "_hoisted", OpKind::kQuantizeLinear);
        quant.inputs = {in};
        quant.outputs = {in_q};
        quant.attrs = q.attrs;
        ir::Node moved = v;
        moved.inputs = {in_q};
        moved.outputs = {q_out};
        const auto qi_index = static_cast<size_t>(readers[0]);
        g_.nodes[i] = std::move(quant);
        g_.nodes.insert(g_.nodes.begin() + static_cast<std::ptrdiff_t>(i) + 1, std::move(moved));
        g_.nodes.erase(g_.nodes.begin() + static_cast<std::ptrdiff_t>(qi_index) + 1);
        changed = true;
      }
    }
  }

  // ---- 3. fusion ---------------------------------------------------------------------------
  // The int8 source of a float activation: the input of the DequantizeLinear producing it.
  std::optional<QAct> FromDq(TensorId t) const {
    if (t < 0) return std::nullopt;
    const ir::Node* p = ProducerNode(t);
    if (!p || p->kind != OpKind::kDequantizeLinear || g_.tensor(p->inputs[0]).dtype != DType::kI8) return std::nullopt;
    return QAct{p->inputs[0], QdqInfo(*p)};
  }

  // The one QuantizeLinear reading the float output `y` of a candidate, when y has no other
  // reader and is not a graph output.
  std::optional<NodeId> SoleQuantize(TensorId y) const {
    if (detail::IsGraphOutput(g_, y)) return std::nullopt;
    const auto& r = consumers_[static_cast<size_t>(y)];
    if (r.size() != 1) return std::nullopt;
    const ir::Node& q = g_.nodes[static_cast<size_t>(r[0])];
    if (q.kind != OpKind::kQuantizeLinear || g_.tensor(q.outputs[0]).dtype != DType::kI8) return std::nullopt;
    return r[0];
  }

  // What a rewrite produces for node i: the nodes replacing it (in order) and the Q it absorbs.
  struct Rewrite {
    std::vector<ir::Node> nodes;
  };

  // An int8 op `n` writing `out` (quantization `have`) when the Q wants `want` on `q_out`:
  // directly, or through a Requantize.
  Status Finish(Rewrite& rw, ir::Node n, TensorId q_out, const QInfo& have, const QInfo& want) {
    if (have == want) {
      n.outputs = {q_out};
      rw.nodes.push_back(std::move(n));
      return Status::Ok();
    }
    const TensorId tmp = NewInt8Act(g_.tensor(q_out).name + "_pre", g_.tensor(q_out).shape, have);
    n.outputs = {tmp};
    const std::string base = n.name + "_requant";
    rw.nodes.push_back(std::move(n));
    TIGRIS_ASSIGN_OR_RETURN(ir::Node rq, Requantize(base, tmp, have.zp, have.scale, q_out, want.zp, want.scale));
    rw.nodes.push_back(std::move(rq));
    return Status::Ok();
  }

  // An int8 activation for input `t`: a DQ's source, or a float constant that remembers a
  // per-tensor quantization (a folded DQ), recovered into an int8 constant.
  std::optional<QAct> ActOrConst(TensorId t, const std::string& base) {
    if (auto a = FromDq(t)) return a;
    const ir::Tensor& c = g_.tensor(t);
    if (!c.is_constant || c.quant.scale.size() != 1) return std::nullopt;
    auto w = RecoverWeight(c);
    if (!w) return std::nullopt;
    const TensorId q = NewConst(base, DType::kI8, c.shape, Bytes(w->q));
    SetQuant(q, QInfo{w->scale[0], w->zp[0]});
    return QAct{q, QInfo{w->scale[0], w->zp[0]}};
  }

  // Per-channel requantization table [n or 1, 2] for x_scale * w_scale[c] * alpha / y_scale.
  Expected<TensorId> RqTable(const std::string& base, float xs, const std::vector<float>& ws, double alpha, float ys) {
    std::vector<double> scales;
    for (float s : ws) scales.push_back(static_cast<double>(s) * alpha);
    TIGRIS_ASSIGN_OR_RETURN(std::vector<QuantizedMultiplier> m, QuantizeConvMultipliers(xs, scales, ys));
    std::vector<int32_t> v;
    for (const QuantizedMultiplier& q : m) {
      v.push_back(q.multiplier);
      v.push_back(q.shift);
    }
    return NewConst(base + "_rq", DType::kI32, {static_cast<int64_t>(m.size()), 2}, Bytes(v));
  }

  // The int32 bias b[c] / (x_scale * w_scale[c] * alpha) rounded, for `n` channels (zeros
  // without a bias); nullopt when a value does not fit int32.
  std::optional<std::vector<int32_t>> BiasInts(const std::vector<double>& b, size_t n, float xs,
                                               const std::vector<float>& ws, double alpha, double beta) {
    std::vector<int32_t> out(n, 0);
    if (b.empty()) return out;
    for (size_t c = 0; c < n; ++c) {
      const double denom = static_cast<double>(xs) * static_cast<double>(ws[ws.size() == 1 ? 0 : c]) * alpha;
      const double v = std::nearbyint(beta * b[b.size() == 1 ? 0 : c] / denom);
      if (!(std::fabs(v) < 2147483647.0)) return std::nullopt;
      out[c] = static_cast<int32_t>(v);
    }
    return out;
  }

  static void SetCommon(ir::Node& n, const QInfo& x, const QInfo& y, const ClampRange& c) {
    n.attrs["x_zp"] = int64_t{x.zp};
    n.attrs["y_zp"] = int64_t{y.zp};
    n.attrs["q_min"] = int64_t{c.min};
    n.attrs["q_max"] = int64_t{c.max};
  }
  static void DropFloatAct(ir::Node& n) {
    n.attrs.erase("act");
    n.attrs.erase("act_a");
    n.attrs.erase("act_b");
  }

  // (The rewrites add tensors, which moves g_.tensors: they keep copies, never references.)
  Expected<bool> LowerConv(const ir::Node& n, const QAct& x, TensorId q_out, const QInfo& y, Rewrite& rw) {
    if (n.inputs.size() < 2) return false;
    auto w = RecoverWeight(g_.tensor(n.inputs[1]));
    const std::string w_name = g_.tensor(n.inputs[1]).name;
    const std::vector<int64_t> w_shape = g_.tensor(n.inputs[1]).shape;
    if (!w || w_shape.size() < 3) return false;
    const int64_t m = w_shape[0];
    if (w->scale.size() != 1 && (w->axis != 0 || static_cast<int64_t>(w->scale.size()) != m)) return false;
    int64_t taps = 1;
    for (size_t d = 1; d < w_shape.size(); ++d) taps *= w_shape[d];
    if (taps > 32768) return false;
    const auto clamp = FusedClamp(n, y);
    if (!clamp) return false;
    std::vector<double> b;
    if (n.inputs.size() > 2 && n.inputs[2] != ir::kNoTensor) {
      const ir::Tensor& bt = g_.tensor(n.inputs[2]);
      if (!bt.is_constant || bt.NumElements() != m) return false;
      b = detail::ConstF32(bt);
    }
    auto bias = BiasInts(b, static_cast<size_t>(m), x.q.scale, w->scale, 1.0, 1.0);
    if (!bias) return false;
    auto rq = RqTable(n.name, x.q.scale, w->scale, 1.0, y.scale);
    if (!rq.ok()) return false;
    ir::Node c = Replacement(n, OpKind::kConv);
    c.attrs = n.attrs;
    DropFloatAct(c);
    SetCommon(c, x.q, y, *clamp);
    const TensorId w8 = NewConst(w_name + "_s8", DType::kI8, w_shape, Bytes(w->q));
    const TensorId b32 = NewConst(n.name + "_bias_s32", DType::kI32, {m}, Bytes(*bias));
    c.inputs = {x.t, w8, b32, *rq};
    if (w->has_zp()) {
      c.inputs.push_back(NewConst(w_name + "_zp", DType::kI32, {static_cast<int64_t>(w->zp.size())}, Bytes(w->zp)));
    }
    c.outputs = {q_out};
    rw.nodes.push_back(std::move(c));
    return true;
  }

  // Gemm (A activation; B a weight or an activation; C a constant bias along the columns) and
  // MatMul (A activation; B a 2-D weight or an activation).
  Expected<bool> LowerMatrix(const ir::Node& n, const QAct& a, TensorId q_out, const QInfo& y, Rewrite& rw) {
    const bool gemm = n.kind == OpKind::kGemm;
    if (n.inputs.size() < 2) return false;
    const ir::Tensor bt = g_.tensor(n.inputs[1]);  // copies: new constants move g_.tensors
    const std::vector<int64_t> y_shape = g_.tensor(q_out).shape;
    const bool trans_b = gemm && n.GetInt("transB", 0) != 0;
    const double alpha = gemm ? n.GetFloat("alpha", 1.f) : 1.0;
    const double beta = gemm ? n.GetFloat("beta", 1.f) : 1.0;
    if (!(alpha > 0.0)) return false;
    const int64_t cols = y_shape.empty() ? 1 : y_shape.back();
    int64_t k = bt.shape.size() >= 2 ? bt.shape[bt.shape.size() - (trans_b ? 1 : 2)] : bt.shape[0];
    if (k > 32768) return false;
    const auto clamp = FusedClamp(n, y);
    if (!clamp) return false;
    TensorId b8 = ir::kNoTensor;
    std::vector<float> ws;
    std::vector<int32_t> bzp;
    if (auto bq = FromDq(n.inputs[1])) {
      b8 = bq->t;
      ws = {bq->q.scale};
      bzp = {bq->q.zp};
    } else {
      auto w = RecoverWeight(bt);
      if (!w || bt.shape.size() != 2) return false;
      const int32_t col_axis = trans_b ? 0 : 1;
      if (w->scale.size() != 1 && (w->axis != col_axis || static_cast<int64_t>(w->scale.size()) != cols)) return false;
      b8 = NewConst(bt.name + "_s8", DType::kI8, bt.shape, Bytes(w->q));
      ws = w->scale;
      bzp = w->zp;
    }
    if (y_shape.size() < 1 || (!gemm && bt.shape.size() < 2)) return false;
    std::vector<double> c;
    if (gemm && n.inputs.size() > 2 && n.inputs[2] != ir::kNoTensor) {
      const ir::Tensor& ct = g_.tensor(n.inputs[2]);
      if (!ct.is_constant) return false;
      // a bias along the columns: [N], [1, N], [1] or a scalar
      const int64_t ne = ct.NumElements();
      if (!(ne == 1 || (ne == cols && (ct.shape.size() == 1 || (ct.shape.size() == 2 && ct.shape[0] == 1))))) return false;
      c = detail::ConstF32(ct);
      if (ne == 1) c.assign(static_cast<size_t>(cols), c[0]);
    }
    auto bias = BiasInts(c, static_cast<size_t>(cols), a.q.scale, ws, alpha, beta);
    if (!bias) return false;
    auto rq = RqTable(n.name, a.q.scale, ws, alpha, y.scale);
    if (!rq.ok()) return false;
    ir::Node mm = Replacement(n, n.kind);
    if (gemm) {
      mm.attrs["transA"] = int64_t{n.GetInt("transA", 0) != 0};
      mm.attrs["transB"] = int64_t{trans_b};
    }
    SetCommon(mm, a.q, y, *clamp);
    const TensorId b32 = NewConst(n.name + "_bias_s32", DType::kI32, {cols}, Bytes(*bias));
    mm.inputs = {a.t, b8, b32, *rq};
    if (std::any_of(bzp.begin(), bzp.end(), [](int32_t z) { return z != 0; }))
      mm.inputs.push_back(NewConst(n.name + "_bzp", DType::kI32, {static_cast<int64_t>(bzp.size())}, Bytes(bzp)));
    mm.outputs = {q_out};
    rw.nodes.push_back(std::move(mm));
    return true;
  }

  Expected<bool> LowerBinary(const ir::Node& n, TensorId q_out, const QInfo& y, Rewrite& rw) {
    if (n.inputs.size() != 2) return false;
    auto a = ActOrConst(n.inputs[0], n.name + "_a_s8");
    auto b = ActOrConst(n.inputs[1], n.name + "_b_s8");
    if (!a || !b) return false;
    const auto clamp = FusedClamp(n, y);
    if (!clamp) return false;
    ir::Node e = Replacement(n, n.kind);
    e.inputs = {a->t, b->t};
    e.outputs = {q_out};
    e.attrs = {{"a_zp", int64_t{a->q.zp}}, {"b_zp", int64_t{b->q.zp}}, {"y_zp", int64_t{y.zp}},
               {"q_min", int64_t{clamp->min}}, {"q_max", int64_t{clamp->max}}};
    if (n.kind == OpKind::kMul) {
      auto m = QuantizeMul(a->q.scale, b->q.scale, y.scale);
      if (!m.ok()) return false;
      e.attrs["y_mult"] = int64_t{m->multiplier};
      e.attrs["y_shift"] = int64_t{m->shift};
    } else {
      auto p = QuantizeAdd(a->q.scale, b->q.scale, y.scale);
      if (!p.ok() || p->a.shift > 0 || p->b.shift > 0 || p->a.shift < -31 || p->b.shift < -31) return false;
      e.attrs["left_shift"] = int64_t{p->left_shift};
      e.attrs["a_mult"] = int64_t{p->a.multiplier};
      e.attrs["a_shift"] = int64_t{p->a.shift};
      e.attrs["b_mult"] = int64_t{p->b.multiplier};
      e.attrs["b_shift"] = int64_t{p->b.shift};
      e.attrs["y_mult"] = int64_t{p->output.multiplier};
      e.attrs["y_shift"] = int64_t{p->output.shift};
    }
    rw.nodes.push_back(std::move(e));
    return true;
  }

  Expected<bool> LowerConcat(const ir::Node& n, TensorId q_out, const QInfo& y, Rewrite& rw) {
    std::vector<QAct> ins;
    for (TensorId t : n.inputs) {
      auto a = FromDq(t);
      if (!a) return false;
      ins.push_back(*a);
    }
    ir::Node c = Replacement(n, OpKind::kConcat);
    c.attrs = n.attrs;
    for (size_t i = 0; i < ins.size(); ++i) {
      if (ins[i].q == y) {
        c.inputs.push_back(ins[i].t);
        continue;
      }
      const TensorId r = NewInt8Act(g_.tensor(ins[i].t).name + "_rq", g_.tensor(ins[i].t).shape, y);
      TIGRIS_ASSIGN_OR_RETURN(ir::Node rq, Requantize(n.name + "_in" + std::to_string(i), ins[i].t, ins[i].q.zp,
                                                      ins[i].q.scale, r, y.zp, y.scale));
      rw.nodes.push_back(std::move(rq));
      c.inputs.push_back(r);
    }
    c.outputs = {q_out};
    rw.nodes.push_back(std::move(c));
    return true;
  }

  // An AveragePool whose every window has all its taps (no padding, or count_include_pad) into
  // another quantization: a depthwise Conv with constant weights requantized by x_scale / (taps *
  // 64 * y_scale), so the average is rounded once (the pool kernel, which keeps the input's
  // quantization, and a Requantize would round twice: up to x_scale / y_scale LSB more). The
  // weights are 64, not 1: TFLite's requantization rounds x * multiplier to an integer before its
  // right shift, so a small window sum would lose the bits below that; 64x the sum keeps six
  // more (64 * 255 * 32768 taps < 2^31).
  Expected<bool> AveragePoolAsConv(const ir::Node& n, const QAct& x, TensorId q_out, const QInfo& y, Rewrite& rw) {
    const ir::Tensor& xt = g_.tensor(x.t);
    const ir::Tensor& yt = g_.tensor(q_out);
    const std::vector<int64_t> k = n.GetInts("kernel_shape"), pads = n.GetInts("pads");
    if (xt.shape.size() != 4 || k.size() != 2) return false;
    const bool padded = std::any_of(pads.begin(), pads.end(), [](int64_t p) { return p != 0; });
    if (padded && n.GetInt("count_include_pad", 0) == 0) return false;
    // ceil_mode's extra windows run past the padding: not every one has all its taps
    std::vector<int64_t> strides = n.GetInts("strides"), dil = n.GetInts("dilations");
    strides.resize(2, 1);
    dil.resize(2, 1);
    for (size_t d = 0; d < 2; ++d) {
      const int64_t pb = d < pads.size() ? pads[d] : 0, pe = d + 2 < pads.size() ? pads[d + 2] : 0;
      const int64_t floor_len = (xt.shape[d + 2] + pb + pe - ((k[d] - 1) * dil[d] + 1)) / strides[d] + 1;
      if (yt.shape[d + 2] != floor_len) return false;
    }
    const int64_t c = xt.shape[1], taps = k[0] * k[1];
    if (taps > 32768) return false;
    constexpr int64_t kWeight = 64;
    auto m = QuantizeMultiplier(static_cast<double>(x.q.scale) /
                                (static_cast<double>(taps * kWeight) * static_cast<double>(y.scale)));
    if (!m.ok()) return false;
    ir::Node conv = Replacement(n, OpKind::kConv);
    conv.attrs = {{"kernel_shape", k}, {"strides", strides}, {"dilations", dil}, {"pads", pads}, {"group", c}};
    if (!n.Has("pads")) conv.attrs["pads"] = std::vector<int64_t>(4, 0);
    SetCommon(conv, x.q, y, ClampRange{});
    const std::vector<int8_t> ones(static_cast<size_t>(c * taps), static_cast<int8_t>(kWeight));
    const std::vector<int32_t> zeros(static_cast<size_t>(c), 0), rq = {m->multiplier, m->shift};
    conv.inputs = {x.t, NewConst(n.name + "_window", DType::kI8, {c, 1, k[0], k[1]}, Bytes(ones)),
                   NewConst(n.name + "_bias_s32", DType::kI32, {c}, Bytes(zeros)),
                   NewConst(n.name + "_rq", DType::kI32, {1, 2}, Bytes(rq))};
    conv.outputs = {q_out};
    rw.nodes.push_back(std::move(conv));
    return true;
  }

  // Ops whose int8 kernel keeps the input's quantization: pools, data movement, Resize, Pad.
  Expected<bool> LowerKeeping(const ir::Node& n, const QAct& x, TensorId q_out, const QInfo& y, Rewrite& rw) {
    if (n.kind == OpKind::kAveragePool && !(x.q == y)) {
      TIGRIS_ASSIGN_OR_RETURN(bool as_conv, AveragePoolAsConv(n, x, q_out, y, rw));
      if (as_conv) return true;
    }
    ir::Node o = Replacement(n, n.kind);
    TIGRIS_ASSIGN_OR_RETURN(bool ok, KeepingNode(n, x, o));
    if (!ok) return false;
    TIGRIS_RETURN_IF_ERROR(Finish(rw, std::move(o), q_out, x.q, y));
    return true;
  }

  // The int8 form `o` of a quantization-keeping op `n` reading `x`: its attributes and inputs
  // (tables included); false when its int8 kernel cannot compute it.
  Expected<bool> KeepingNode(const ir::Node& n, const QAct& x, ir::Node& o) {
    o.attrs = n.attrs;
    o.inputs = {x.t};
    switch (n.kind) {
      case OpKind::kMaxPool:
      case OpKind::kAveragePool:
      case OpKind::kGlobalMaxPool:
        if (n.kind != OpKind::kGlobalMaxPool) {
          int64_t taps = 1;
          for (int64_t kk : n.GetInts("kernel_shape")) taps *= kk;
          if (taps > (int64_t{1} << 23)) return false;
          o.attrs["x_zp"] = int64_t{x.q.zp};
        }
        o.attrs["q_min"] = int64_t{-128};
        o.attrs["q_max"] = int64_t{127};
        break;
      case OpKind::kPad: {
        if (n.GetInt("mode", TGRS_PAD_CONSTANT) == TGRS_PAD_CONSTANT)
          o.attrs["q_value"] = int64_t{QuantizeValueS8(n.GetFloat("value", 0.f), x.q.scale, x.q.zp)};
        else
          o.attrs["q_value"] = int64_t{x.q.zp};
        break;
      }
      case OpKind::kResize: {
        if (n.GetInt("mode", TGRS_RESIZE_NEAREST) != TGRS_RESIZE_NEAREST) return false;
        for (const char* key : {"mode", "coord_mode", "nearest_mode"})
          if (n.Has(key) && !std::holds_alternative<int64_t>(n.attrs.at(key))) return false;
        const ir::Tensor& xt = g_.tensor(n.inputs[0]);
        const ir::Tensor& yt = g_.tensor(n.outputs[0]);
        if (xt.shape.size() > TGRS_MAX_RANK) return false;
        tgrs_resize_params_t p{};
        p.mode = TGRS_RESIZE_NEAREST;
        p.coord_mode = static_cast<int32_t>(n.GetInt("coord_mode", TGRS_COORD_HALF_PIXEL));
        p.nearest_mode = static_cast<int32_t>(n.GetInt("nearest_mode", TGRS_NEAREST_ROUND_PREFER_FLOOR));
        const std::vector<float> scales = n.GetFloats("scales");
        std::vector<int32_t> table;
        std::vector<int64_t> offsets;
        for (size_t d = 0; d < xt.shape.size(); ++d) {
          p.scale[d] = d < scales.size() ? scales[d]
                                         : static_cast<float>(static_cast<double>(yt.shape[d]) / static_cast<double>(xt.shape[d]));
          p.in_full[d] = static_cast<int32_t>(xt.shape[d]);
          p.out_full[d] = static_cast<int32_t>(yt.shape[d]);
        }
        for (size_t d = 0; d < xt.shape.size(); ++d) {
          offsets.push_back(static_cast<int64_t>(table.size()));
          for (int64_t o2 = 0; o2 < yt.shape[d]; ++o2) {
            int32_t lo = 0, hi = 0;
            tgrs_resize_reads(&p, static_cast<int32_t>(d), static_cast<int32_t>(o2), &lo, &hi);
            table.push_back(lo);
          }
        }
        o.inputs.push_back(NewConst(n.name + "_index", DType::kI32, {static_cast<int64_t>(table.size())}, Bytes(table)));
        o.attrs["table_offset"] = offsets;
        break;
      }
      case OpKind::kReshape:
      case OpKind::kTranspose:
      case OpKind::kSlice:
        break;
      default:
        return false;
    }
    return true;
  }

  Expected<bool> LowerOne(const ir::Node& n, TensorId q_out, const QInfo& y, Rewrite& rw) {
    switch (n.kind) {
      case OpKind::kConv: {
        auto x = FromDq(n.inputs[0]);
        return x ? LowerConv(n, *x, q_out, y, rw) : Expected<bool>(false);
      }
      case OpKind::kGemm:
      case OpKind::kMatMul: {
        auto a = FromDq(n.inputs[0]);
        return a ? LowerMatrix(n, *a, q_out, y, rw) : Expected<bool>(false);
      }
      case OpKind::kAdd:
      case OpKind::kSub:
      case OpKind::kMul: return LowerBinary(n, q_out, y, rw);
      case OpKind::kConcat: return LowerConcat(n, q_out, y, rw);
      case OpKind::kGlobalAveragePool: {
        auto x = FromDq(n.inputs[0]);
        if (!x) return false;
        const ir::Tensor& xt = g_.tensor(x->t);
        int64_t count = 1;
        for (size_t d = 2; d < xt.shape.size(); ++d) count *= xt.shape[d];
        if (xt.shape.size() < 3 || count > (int64_t{1} << 23)) return false;
        auto m = QuantizeMultiplier(static_cast<double>(x->q.scale) / static_cast<double>(y.scale));
        if (!m.ok()) return false;
        ir::Node o = Replacement(n, n.kind);
        o.inputs = {x->t};
        o.outputs = {q_out};
        SetCommon(o, x->q, y, ClampRange{});
        o.attrs["y_mult"] = int64_t{m->multiplier};
        o.attrs["y_shift"] = int64_t{m->shift};
        rw.nodes.push_back(std::move(o));
        return true;
      }
      case OpKind::kSoftmax: {
        auto x = FromDq(n.inputs[0]);
        if (!x) return false;
        const ir::Tensor& xt = g_.tensor(x->t);
        int64_t axis = n.GetInt("axis", -1);
        if (axis < 0) axis += static_cast<int64_t>(xt.shape.size());
        if (axis < 0 || axis >= static_cast<int64_t>(xt.shape.size()) || xt.shape[static_cast<size_t>(axis)] > 4095)
          return false;
        auto p = QuantizeSoftmax(1.0, x->q.scale);
        if (!p.ok()) return false;
        ir::Node o = Replacement(n, n.kind);
        o.inputs = {x->t};
        o.attrs = {{"axis", axis}, {"softmax_mult", int64_t{p->input_mult}}, {"softmax_shift", int64_t{p->input_left_shift}},
                   {"diff_min", int64_t{p->diff_min}}};
        TIGRIS_RETURN_IF_ERROR(Finish(rw, std::move(o), q_out, QInfo{1.f / 256.f, -128}, y));
        return true;
      }
      default: break;
    }
    if (UnaryFunction(n) && ir::S8ParamsOf(n.kind) == ir::ParamsS8::kLut) {
      auto x = FromDq(n.inputs[0]);
      if (!x) return false;
      auto table = BuildLutS8(x->q.scale, x->q.zp, y.scale, y.zp, UnaryFunction(n));
      if (!table.ok()) return false;
      ir::Node o = Replacement(n, n.kind);
      o.attrs = n.attrs;
      std::vector<int8_t> t(table->begin(), table->end());
      o.inputs = {x->t, NewConst(n.name + "_lut", DType::kI8, {256}, Bytes(t))};
      o.outputs = {q_out};
      rw.nodes.push_back(std::move(o));
      return true;
    }
    if (n.inputs.empty()) return false;
    auto x = FromDq(n.inputs[0]);
    if (!x) return false;
    return LowerKeeping(n, *x, q_out, y, rw);
  }

  Status Fuse() {
    Index();
    std::vector<bool> dead(g_.nodes.size(), false);
    std::vector<std::vector<ir::Node>> replace(g_.nodes.size());
    std::vector<bool> replaced(g_.nodes.size(), false);
    const size_t n_nodes = g_.nodes.size();
    for (size_t i = 0; i < n_nodes; ++i) {
      const ir::Node n = g_.nodes[i];  // a copy: rewrites add tensors (not nodes) while we look
      if (n.kind == OpKind::kSplit && ir::KernelDTypeOf(g_, n) != DType::kI8) {
        // Split: every output read by its own QuantizeLinear; an output whose parameters differ
        // from the input's gets a Requantize after the (byte-moving) int8 Split
        auto x = n.inputs.empty() ? std::nullopt : FromDq(n.inputs[0]);
        std::vector<NodeId> qs;
        for (TensorId t : n.outputs) {
          auto qn = SoleQuantize(t);
          if (!qn || dead[static_cast<size_t>(*qn)]) break;
          qs.push_back(*qn);
        }
        if (!x || qs.size() != n.outputs.size()) continue;
        Rewrite rw;
        ir::Node split = Replacement(n, OpKind::kSplit);
        split.attrs = n.attrs;
        split.inputs = {x->t};
        std::vector<ir::Node> after;
        for (NodeId qn : qs) {
          const ir::Node& q = g_.nodes[static_cast<size_t>(qn)];
          const QInfo want = QdqInfo(q);
          const TensorId q_out = q.outputs[0];
          SetQuant(q_out, want);
          if (want == x->q) {
            split.outputs.push_back(q_out);
            continue;
          }
          const TensorId tmp = NewInt8Act(g_.tensor(q_out).name + "_pre", g_.tensor(q_out).shape, x->q);
          split.outputs.push_back(tmp);
          TIGRIS_ASSIGN_OR_RETURN(ir::Node rq, Requantize(n.name + "_requant", tmp, x->q.zp, x->q.scale, q_out, want.zp,
                                                          want.scale));
          after.push_back(std::move(rq));
        }
        rw.nodes.push_back(std::move(split));
        for (ir::Node& r : after) rw.nodes.push_back(std::move(r));
        for (NodeId qn : qs) dead[static_cast<size_t>(qn)] = true;
        replaced[i] = true;
        replace[i] = std::move(rw.nodes);
        continue;
      }
      if (n.kind == OpKind::kQuantizeLinear || n.kind == OpKind::kDequantizeLinear || n.outputs.size() != 1 ||
          n.inputs.empty() || !ir::HasS8Kernel(n.kind))
        continue;
      if (ir::KernelDTypeOf(g_, n) == DType::kI8) continue;  // already int8
      if (g_.tensor(n.outputs[0]).dtype != DType::kF32) continue;
      auto qn = SoleQuantize(n.outputs[0]);
      if (!qn || dead[static_cast<size_t>(*qn)]) continue;
      const ir::Node& q = g_.nodes[static_cast<size_t>(*qn)];
      Rewrite rw;
      TIGRIS_ASSIGN_OR_RETURN(bool ok, LowerOne(n, q.outputs[0], QdqInfo(q), rw));
      if (!ok) continue;
      SetQuant(q.outputs[0], QdqInfo(q));
      dead[static_cast<size_t>(*qn)] = true;
      replaced[i] = true;
      replace[i] = std::move(rw.nodes);
    }
    std::vector<ir::Node> out;
    for (size_t i = 0; i < n_nodes; ++i) {
      if (dead[i]) continue;
      if (replaced[i]) {
        for (ir::Node& r : replace[i]) out.push_back(std::move(r));
        continue;
      }
      out.push_back(std::move(g_.nodes[i]));
    }
    g_.nodes = std::move(out);
    return Status::Ok();
  }

  // ---- 5. clamp tables into their producer ----------------------------------------------------
  // A lookup table that is a clamp, table[q] = clamp(q, lo, hi) (a Relu, Relu6 or Clip between
  // the same quantization: exporters write Conv -> Q -> DQ -> Relu -> Q), after an int8 op that
  // clamps its output (q_min/q_max) and has no other reader: the op's clamp narrows to [max(min,
  // lo), min(max, hi)] and the table goes (the same values: clamping twice is clamping once).
  void FoldClampTables() {
    g_.RemoveDead();  // the DequantizeLinear nodes fusion left without readers
    Index();
    std::vector<bool> dead(g_.nodes.size(), false);
    for (size_t i = 0; i < g_.nodes.size(); ++i) {
      const ir::Node& t = g_.nodes[i];
      if (ir::KernelDTypeOf(g_, t) != DType::kI8 || ir::S8ParamsOf(t.kind) != ir::ParamsS8::kLut || t.inputs.size() != 2)
        continue;
      const ir::Tensor& table = g_.tensor(t.inputs[1]);
      if (!table.is_constant || table.NumElements() != 256 || g_.tensor(t.outputs[0]).dtype != DType::kI8) continue;
      const std::vector<int8_t> v = [&] {
        std::vector<int8_t> b(256);
        std::memcpy(b.data(), table.data.data(), 256);
        return b;
      }();
      const int32_t lo = v[0], hi = v[255];
      bool clamp = lo <= hi;
      for (int32_t q = -128; clamp && q <= 127; ++q) clamp = v[static_cast<size_t>(q + 128)] == std::clamp(q, lo, hi);
      if (!clamp) continue;
      const TensorId x = t.inputs[0];
      const NodeId p = producers_[static_cast<size_t>(x)];
      if (p < 0 || dead[static_cast<size_t>(p)] || consumers_[static_cast<size_t>(x)].size() != 1 ||
          detail::IsGraphOutput(g_, x))
        continue;
      ir::Node& prod = g_.nodes[static_cast<size_t>(p)];
      if (ir::KernelDTypeOf(g_, prod) != DType::kI8 || !prod.Has("q_min") || !prod.Has("q_max") || prod.outputs.size() != 1 ||
          g_.tensor(prod.outputs[0]).dtype != DType::kI8)
        continue;
      const int64_t new_min = std::max<int64_t>(prod.GetInt("q_min"), lo), new_max = std::min<int64_t>(prod.GetInt("q_max"), hi);
      if (new_min > new_max) continue;
      prod.attrs["q_min"] = new_min;
      prod.attrs["q_max"] = new_max;
      prod.outputs = t.outputs;
      dead[i] = true;
    }
    detail::RemoveNodes(g_, dead);
  }

  // ---- 4. Q(DQ(x)) ---------------------------------------------------------------------------
  Status QuantizeOfDequantize() {
    Index();
    std::map<TensorId, TensorId> alias;
    for (ir::Node& n : g_.nodes) {
      if (n.kind != OpKind::kQuantizeLinear) continue;
      auto x = FromDq(n.inputs[0]);
      if (!x) continue;
      const TensorId out = n.outputs[0];
      if (g_.tensor(out).dtype != DType::kI8) continue;
      const QInfo y = QdqInfo(n);
      if (x->q == y && !detail::IsGraphOutput(g_, out)) {
        alias[out] = x->t;  // the same values: the Q's readers read x
        continue;
      }
      TIGRIS_ASSIGN_OR_RETURN(ir::Node rq, Requantize(n.name, x->t, x->q.zp, x->q.scale, out, y.zp, y.scale));
      rq.name = n.name;
      node_names_.insert(n.name);
      n = std::move(rq);
    }
    if (alias.empty()) return Status::Ok();
    std::vector<bool> dead(g_.nodes.size(), false);
    for (size_t i = 0; i < g_.nodes.size(); ++i) {
      ir::Node& n = g_.nodes[i];
      if (n.kind == OpKind::kQuantizeLinear && alias.count(n.outputs[0])) {
        dead[i] = true;
        continue;
      }
      for (TensorId& t : n.inputs)
        if (t >= 0 && alias.count(t)) t = alias[t];
    }
    detail::RemoveNodes(g_, dead);
    return Status::Ok();
  }

  ir::Graph& g_;
  std::vector<bool> was_u8_;  // tensors Uint8ToInt8 retyped from uint8 (by id, before any rewrite)
  std::set<std::string> node_names_, tensor_names_;
  std::vector<NodeId> producers_;
  std::vector<std::vector<NodeId>> consumers_;
};

}  // namespace

Status LowerQdq(ir::Graph& g) {
  bool any = false;
  for (const ir::Node& n : g.nodes)
    any = any || n.kind == OpKind::kQuantizeLinear || n.kind == OpKind::kDequantizeLinear;
  for (const ir::Tensor& t : g.tensors) any = any || t.dtype == DType::kU8;
  if (!any) return Status::Ok();
  return Lowering(g).Run();
}

}  // namespace tigris::passes
