// Constant folding for the frontend: a small evaluator for the shape-computation ops exporters
// emit (Shape/Gather/Unsqueeze/Concat/Reshape chains, Range, Cast, ...) and for elementwise math
// on constants. Folds a node only when it computes exactly what ONNX specifies; otherwise the
// node is left alone (and the mapper decides whether it is supported).
#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <numeric>
#include <set>

#include "raw_model.h"

namespace tigris::frontend {

namespace {

// Largest tensor the folder materializes (elements); bigger results stay as nodes.
constexpr int64_t kMaxFoldElements = int64_t{1} << 22;

// A constant during evaluation: ints (incl. bool) in `i`, float32 values in `f` (as double).
struct Val {
  ir::DType dtype = ir::DType::kUndefined;
  std::vector<int64_t> shape;
  std::vector<int64_t> i;
  std::vector<double> f;
  ir::QuantParams quant;  // a folded DequantizeLinear's quantization (weights of a QDQ model)
  bool fp() const { return dtype == ir::DType::kF32; }
  int64_t size() const { return fp() ? static_cast<int64_t>(f.size()) : static_cast<int64_t>(i.size()); }
  double AsDouble(int64_t k) const { return fp() ? f[static_cast<size_t>(k)] : static_cast<double>(i[static_cast<size_t>(k)]); }
  int64_t AsInt(int64_t k) const { return fp() ? static_cast<int64_t>(f[static_cast<size_t>(k)]) : i[static_cast<size_t>(k)]; }
};

int64_t NumElements(const std::vector<int64_t>& shape) {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

std::vector<int64_t> Strides(const std::vector<int64_t>& shape) {
  std::vector<int64_t> s(shape.size(), 1);
  for (size_t k = shape.size(); k-- > 1;) s[k - 1] = s[k] * shape[k];
  return s;
}

bool ToVal(const ir::Tensor& t, Val* v) {
  v->dtype = t.dtype;
  v->shape = t.shape;
  const int64_t n = t.NumElements();
  if (static_cast<int64_t>(t.data.size()) != t.SizeBytes()) return false;
  auto rd = [&](auto tag) {
    using T = decltype(tag);
    v->i.resize(static_cast<size_t>(n));
    for (int64_t k = 0; k < n; ++k) {
      T x;
      std::memcpy(&x, t.data.data() + k * static_cast<int64_t>(sizeof(T)), sizeof(T));
      v->i[static_cast<size_t>(k)] = static_cast<int64_t>(x);
    }
  };
  switch (t.dtype) {
    case ir::DType::kF32:
      v->f.resize(static_cast<size_t>(n));
      for (int64_t k = 0; k < n; ++k) {
        float x;
        std::memcpy(&x, t.data.data() + k * 4, 4);
        v->f[static_cast<size_t>(k)] = x;
      }
      return true;
    case ir::DType::kI64: rd(int64_t{}); return true;
    case ir::DType::kI32: rd(int32_t{}); return true;
    case ir::DType::kI16: rd(int16_t{}); return true;
    case ir::DType::kI8: rd(int8_t{}); return true;
    case ir::DType::kU8: case ir::DType::kBool: rd(uint8_t{}); return true;
    case ir::DType::kUndefined: break;
  }
  return false;
}

ir::Tensor FromVal(const std::string& name, const Val& v) {
  ir::Tensor t;
  t.name = name;
  t.dtype = v.dtype;
  t.shape = v.shape;
  t.quant = v.quant;
  t.is_constant = true;
  const int64_t n = v.size();
  t.data.resize(static_cast<size_t>(n * ir::DTypeSize(v.dtype)));
  auto wr = [&](auto tag) {
    using T = decltype(tag);
    for (int64_t k = 0; k < n; ++k) {
      T x = static_cast<T>(v.i[static_cast<size_t>(k)]);
      std::memcpy(t.data.data() + k * static_cast<int64_t>(sizeof(T)), &x, sizeof(T));
    }
  };
  switch (v.dtype) {
    case ir::DType::kF32:
      for (int64_t k = 0; k < n; ++k) {
        float x = static_cast<float>(v.f[static_cast<size_t>(k)]);
        std::memcpy(t.data.data() + k * 4, &x, 4);
      }
      break;
    case ir::DType::kI64: wr(int64_t{}); break;
    case ir::DType::kI32: wr(int32_t{}); break;
    case ir::DType::kI16: wr(int16_t{}); break;
    case ir::DType::kI8: wr(int8_t{}); break;
    case ir::DType::kU8: wr(uint8_t{}); break;
    case ir::DType::kBool: {
      for (int64_t k = 0; k < n; ++k) t.data[static_cast<size_t>(k)] = v.i[static_cast<size_t>(k)] != 0;
      break;
    }
    case ir::DType::kUndefined: break;
  }
  return t;
}

// Wraps integers to the range of the dtype (as a C cast would) and rounds floats to float32.
void Normalize(Val& v) {
  if (v.fp()) {
    for (double& x : v.f) x = static_cast<double>(static_cast<float>(x));
    return;
  }
  for (int64_t& x : v.i) {
    switch (v.dtype) {
      case ir::DType::kI32: x = static_cast<int32_t>(x); break;
      case ir::DType::kI16: x = static_cast<int16_t>(x); break;
      case ir::DType::kI8: x = static_cast<int8_t>(x); break;
      case ir::DType::kU8: x = static_cast<uint8_t>(x); break;
      case ir::DType::kBool: x = x != 0; break;
      default: break;
    }
  }
}

Val Make(ir::DType dt, std::vector<int64_t> shape) {
  Val v;
  v.dtype = dt;
  v.shape = std::move(shape);
  const auto n = static_cast<size_t>(NumElements(v.shape));
  if (v.fp()) v.f.assign(n, 0.0);
  else v.i.assign(n, 0);
  return v;
}

// Copies element `from` of `src` to element `to` of `dst` (same dtype family).
inline void CopyElem(const Val& src, int64_t from, Val& dst, int64_t to) {
  if (dst.fp()) dst.f[static_cast<size_t>(to)] = src.AsDouble(from);
  else dst.i[static_cast<size_t>(to)] = src.AsInt(from);
}

bool BroadcastShape(const std::vector<std::vector<int64_t>>& shapes, std::vector<int64_t>* out) {
  size_t rank = 0;
  for (const auto& s : shapes) rank = std::max(rank, s.size());
  out->assign(rank, 1);
  for (const auto& s : shapes) {
    for (size_t k = 0; k < s.size(); ++k) {
      int64_t& o = (*out)[rank - s.size() + k];
      const int64_t d = s[k];
      if (d == o || d == 1) continue;
      if (o == 1) o = d;
      else return false;
    }
  }
  return true;
}

// Flat index into `s` for the multi-index of output element `flat` (numpy broadcasting).
int64_t BroadcastIndex(int64_t flat, const std::vector<int64_t>& out_shape, const std::vector<int64_t>& s) {
  int64_t idx = 0, stride = 1;
  for (size_t k = out_shape.size(), j = s.size(); k-- > 0;) {
    const int64_t c = flat % out_shape[k];
    flat /= out_shape[k];
    if (j > 0) {
      --j;
      if (s[j] != 1) idx += c * stride;
      stride *= s[j];
    }
  }
  return idx;
}

int64_t NormAxis(int64_t axis, int64_t rank, bool* ok) {
  if (axis < 0) axis += rank;
  if (axis < 0 || axis >= rank) *ok = false;
  return axis;
}

class Folder {
 public:
  explicit Folder(const RawModel& m) : m_(m) {}

  Expected<FoldResult> Run() {
    FoldResult result;
    for (const RawNode& n : m_.nodes) {
      if (!n.domain.empty() || m_.unnormalized.count(n.name)) continue;
      std::vector<Val> outs;
      if (!Eval(n, &outs)) continue;
      bool fits = outs.size() >= 1;
      for (const Val& v : outs) fits = fits && v.size() <= kMaxFoldElements && v.size() == NumElements(v.shape);
      if (!fits) continue;
      std::vector<ir::Tensor> tensors;
      bool all = true;
      for (size_t k = 0; k < n.outputs.size(); ++k) {
        if (n.outputs[k].empty()) continue;
        if (k >= outs.size()) { all = false; break; }
        tensors.push_back(FromVal(n.outputs[k], outs[k]));
      }
      if (!all) continue;
      for (size_t k = 0; k < n.outputs.size() && k < outs.size(); ++k)
        if (!n.outputs[k].empty()) cache_[n.outputs[k]] = outs[k];
      result.folded_proto_indices.insert(n.proto_index);
      for (auto& t : tensors) result.values.push_back(std::move(t));
    }
    return result;
  }

 private:
  const Val* Get(const std::string& name) {
    if (name.empty()) return nullptr;
    auto it = cache_.find(name);
    if (it != cache_.end()) return &it->second;
    auto ct = m_.constants.find(name);
    if (ct == m_.constants.end()) return nullptr;
    Val v;
    if (!ToVal(ct->second, &v)) return nullptr;
    return &(cache_[name] = std::move(v));
  }

  const ValueInfo* Info(const std::string& name) const {
    auto it = m_.values.find(name);
    return it == m_.values.end() ? nullptr : &it->second;
  }

  static const RawAttr* A(const RawNode& n, const char* k) { return n.Attr(k); }
  static int64_t AInt(const RawNode& n, const char* k, int64_t d) {
    const RawAttr* a = n.Attr(k);
    return a && a->type == RawAttr::Type::kInt ? a->i : d;
  }

  bool Eval(const RawNode& n, std::vector<Val>* outs) {
    const std::string& op = n.op_type;
    if (op == "Constant") return EvalConstant(n, outs);
    if (op == "Shape" || op == "Size") {
      const ValueInfo* vi = n.inputs.empty() ? nullptr : Info(n.inputs[0]);
      if (!vi || !vi->Static()) return false;
      const auto& s = vi->shape;
      if (op == "Size") {
        Val v = Make(ir::DType::kI64, {});
        v.i[0] = NumElements(s);
        outs->push_back(v);
        return true;
      }
      const auto r = static_cast<int64_t>(s.size());
      int64_t start = AInt(n, "start", 0), end = AInt(n, "end", r);
      if (start < 0) start += r;
      if (end < 0) end += r;
      start = std::clamp<int64_t>(start, 0, r);
      end = std::clamp<int64_t>(end, 0, r);
      Val v = Make(ir::DType::kI64, {std::max<int64_t>(0, end - start)});
      for (int64_t k = start; k < end; ++k) v.i[static_cast<size_t>(k - start)] = s[static_cast<size_t>(k)];
      outs->push_back(v);
      return true;
    }
    // Everything else needs all present inputs constant.
    std::vector<const Val*> in;
    for (const auto& name : n.inputs) {
      if (name.empty()) {
        in.push_back(nullptr);
        continue;
      }
      const Val* v = Get(name);
      if (!v) return false;
      in.push_back(v);
    }
    if (in.empty() || !in[0]) return false;
    if (op == "Identity") return outs->push_back(*in[0]), true;
    if (op == "Dropout") {
      if (n.outputs.size() > 1 && !n.outputs[1].empty()) return false;
      return outs->push_back(*in[0]), true;
    }
    if (op == "Cast") return EvalCast(n, *in[0], outs);
    if (op == "Reshape") return EvalReshape(n, in, outs);
    if (op == "Flatten") {
      bool ok = true;
      const auto r = static_cast<int64_t>(in[0]->shape.size());
      int64_t axis = AInt(n, "axis", 1);
      if (axis < 0) axis += r;
      if (axis < 0 || axis > r) ok = false;
      if (!ok) return false;
      int64_t a = 1, b = 1;
      for (int64_t k = 0; k < r; ++k) (k < axis ? a : b) *= in[0]->shape[static_cast<size_t>(k)];
      Val v = *in[0];
      v.shape = {a, b};
      return outs->push_back(v), true;
    }
    if (op == "Squeeze" || op == "Unsqueeze") return EvalSqueeze(n, in, outs);
    if (op == "Concat") return EvalConcat(n, in, outs);
    if (op == "Gather") return EvalGather(n, in, outs);
    if (op == "Slice") return EvalSlice(n, in, outs);
    if (op == "Transpose") return EvalTranspose(n, *in[0], outs);
    if (op == "ConstantOfShape") return EvalConstantOfShape(n, *in[0], outs);
    if (op == "Range") return EvalRange(in, outs);
    if (op == "Expand") return EvalExpand(in, outs);
    if (op == "Where") return EvalWhere(in, outs);
    if (op == "DequantizeLinear") return EvalDequantize(n, in, outs);
    if (op == "QuantizeLinear") return EvalQuantize(n, in, outs);
    return EvalElementwise(n, in, outs);
  }

  bool EvalConstant(const RawNode& n, std::vector<Val>* outs) {
    Val v;
    if (const RawAttr* a = A(n, "value")) {
      if (a->type != RawAttr::Type::kTensor || !a->t_status.ok()) return false;
      if (!ToVal(a->t, &v)) return false;
    } else if (const RawAttr* af = A(n, "value_float")) {
      v = Make(ir::DType::kF32, {});
      v.f[0] = af->f;
    } else if (const RawAttr* afs = A(n, "value_floats")) {
      v = Make(ir::DType::kF32, {static_cast<int64_t>(afs->floats.size())});
      for (size_t k = 0; k < afs->floats.size(); ++k) v.f[k] = afs->floats[k];
    } else if (const RawAttr* ai = A(n, "value_int")) {
      v = Make(ir::DType::kI64, {});
      v.i[0] = ai->i;
    } else if (const RawAttr* ais = A(n, "value_ints")) {
      v = Make(ir::DType::kI64, {static_cast<int64_t>(ais->ints.size())});
      v.i = ais->ints;
    } else {
      return false;
    }
    outs->push_back(std::move(v));
    return true;
  }

  bool EvalCast(const RawNode& n, const Val& x, std::vector<Val>* outs) {
    const ir::DType to = DTypeFromOnnx(static_cast<int32_t>(AInt(n, "to", 0)));
    if (to == ir::DType::kUndefined) return false;
    Val v = Make(to, x.shape);
    for (int64_t k = 0; k < x.size(); ++k) {
      if (v.fp()) {
        v.f[static_cast<size_t>(k)] = x.AsDouble(k);
      } else if (x.fp()) {
        const double d = x.f[static_cast<size_t>(k)];
        if (to == ir::DType::kBool) v.i[static_cast<size_t>(k)] = d != 0.0;
        else if (!std::isfinite(d) || std::fabs(d) > 9.2e18) return false;
        else v.i[static_cast<size_t>(k)] = static_cast<int64_t>(d);
      } else {
        v.i[static_cast<size_t>(k)] = x.i[static_cast<size_t>(k)];
      }
    }
    Normalize(v);
    return outs->push_back(std::move(v)), true;
  }

  bool EvalReshape(const RawNode& n, const std::vector<const Val*>& in, std::vector<Val>* outs) {
    if (in.size() < 2 || !in[1] || in[1]->fp()) return false;
    const Val& x = *in[0];
    const bool allowzero = AInt(n, "allowzero", 0) != 0;
    std::vector<int64_t> shape = in[1]->i;
    int64_t known = 1, infer = -1;
    for (size_t k = 0; k < shape.size(); ++k) {
      if (shape[k] == 0 && !allowzero) {
        if (k >= x.shape.size()) return false;
        shape[k] = x.shape[k];
      }
      if (shape[k] == -1) {
        if (infer >= 0) return false;
        infer = static_cast<int64_t>(k);
      } else if (shape[k] < 0) {
        return false;
      } else {
        known *= shape[k];
      }
    }
    if (infer >= 0) {
      if (known == 0 || x.size() % known) return false;
      shape[static_cast<size_t>(infer)] = x.size() / known;
    }
    if (NumElements(shape) != x.size()) return false;
    Val v = x;
    v.shape = shape;
    return outs->push_back(std::move(v)), true;
  }

  bool Axes(const RawNode& n, const std::vector<const Val*>& in, size_t input_index, std::vector<int64_t>* axes, bool* given) {
    *given = false;
    if (const RawAttr* a = A(n, "axes")) {
      *axes = a->ints;
      *given = true;
    } else if (in.size() > input_index && in[input_index]) {
      if (in[input_index]->fp()) return false;
      *axes = in[input_index]->i;
      *given = true;
    }
    return true;
  }

  bool EvalSqueeze(const RawNode& n, const std::vector<const Val*>& in, std::vector<Val>* outs) {
    const Val& x = *in[0];
    std::vector<int64_t> axes;
    bool given = false;
    if (!Axes(n, in, 1, &axes, &given)) return false;
    std::vector<int64_t> shape;
    if (n.op_type == "Squeeze") {
      const auto r = static_cast<int64_t>(x.shape.size());
      std::vector<bool> drop(x.shape.size(), false);
      for (int64_t a : axes) {
        bool ok = true;
        a = NormAxis(a, r, &ok);
        if (!ok || x.shape[static_cast<size_t>(a)] != 1) return false;
        drop[static_cast<size_t>(a)] = true;
      }
      for (size_t k = 0; k < x.shape.size(); ++k)
        if (!(given ? drop[k] : x.shape[k] == 1)) shape.push_back(x.shape[k]);
    } else {
      if (!given) return false;
      const auto r = static_cast<int64_t>(x.shape.size() + axes.size());
      std::vector<bool> ins(static_cast<size_t>(r), false);
      for (int64_t a : axes) {
        bool ok = true;
        a = NormAxis(a, r, &ok);
        if (!ok || ins[static_cast<size_t>(a)]) return false;
        ins[static_cast<size_t>(a)] = true;
      }
      size_t src = 0;
      for (int64_t k = 0; k < r; ++k) shape.push_back(ins[static_cast<size_t>(k)] ? 1 : x.shape[src++]);
    }
    Val v = x;
    v.shape = shape;
    return outs->push_back(std::move(v)), true;
  }

  bool EvalConcat(const RawNode& n, const std::vector<const Val*>& in, std::vector<Val>* outs) {
    const Val& x0 = *in[0];
    const auto r = static_cast<int64_t>(x0.shape.size());
    bool ok = true;
    const int64_t axis = NormAxis(AInt(n, "axis", 0), r, &ok);
    if (!ok) return false;
    std::vector<int64_t> shape = x0.shape;
    shape[static_cast<size_t>(axis)] = 0;
    for (const Val* v : in) {
      if (!v || v->dtype != x0.dtype || v->shape.size() != x0.shape.size()) return false;
      for (int64_t k = 0; k < r; ++k)
        if (k != axis && v->shape[static_cast<size_t>(k)] != x0.shape[static_cast<size_t>(k)]) return false;
      shape[static_cast<size_t>(axis)] += v->shape[static_cast<size_t>(axis)];
    }
    Val out = Make(x0.dtype, shape);
    int64_t outer = 1;
    for (int64_t k = 0; k < axis; ++k) outer *= shape[static_cast<size_t>(k)];
    int64_t pos = 0;
    for (int64_t o = 0; o < outer; ++o)
      for (const Val* v : in) {
        const int64_t chunk = v->size() / std::max<int64_t>(outer, 1);
        for (int64_t c = 0; c < chunk; ++c) CopyElem(*v, o * chunk + c, out, pos++);
      }
    return outs->push_back(std::move(out)), true;
  }

  bool EvalGather(const RawNode& n, const std::vector<const Val*>& in, std::vector<Val>* outs) {
    if (in.size() < 2 || !in[1] || in[1]->fp()) return false;
    const Val& x = *in[0];
    const Val& idx = *in[1];
    const auto r = static_cast<int64_t>(x.shape.size());
    bool ok = true;
    const int64_t axis = NormAxis(AInt(n, "axis", 0), r, &ok);
    if (!ok) return false;
    const int64_t dim = x.shape[static_cast<size_t>(axis)];
    std::vector<int64_t> shape(x.shape.begin(), x.shape.begin() + axis);
    shape.insert(shape.end(), idx.shape.begin(), idx.shape.end());
    shape.insert(shape.end(), x.shape.begin() + axis + 1, x.shape.end());
    int64_t outer = 1, inner = 1;
    for (int64_t k = 0; k < axis; ++k) outer *= x.shape[static_cast<size_t>(k)];
    for (int64_t k = axis + 1; k < r; ++k) inner *= x.shape[static_cast<size_t>(k)];
    Val out = Make(x.dtype, shape);
    int64_t pos = 0;
    for (int64_t o = 0; o < outer; ++o)
      for (int64_t j = 0; j < idx.size(); ++j) {
        int64_t id = idx.i[static_cast<size_t>(j)];
        if (id < 0) id += dim;
        if (id < 0 || id >= dim) return false;
        for (int64_t c = 0; c < inner; ++c) CopyElem(x, (o * dim + id) * inner + c, out, pos++);
      }
    return outs->push_back(std::move(out)), true;
  }

  bool EvalSlice(const RawNode& n, const std::vector<const Val*>& in, std::vector<Val>* outs) {
    const Val& x = *in[0];
    const auto r = static_cast<int64_t>(x.shape.size());
    std::vector<int64_t> starts, ends, axes, steps;
    if (const RawAttr* a = A(n, "starts")) {  // opset < 10
      starts = a->ints;
      if (const RawAttr* e = A(n, "ends")) ends = e->ints;
      if (const RawAttr* ax = A(n, "axes")) axes = ax->ints;
    } else {
      auto ints = [&](size_t k, std::vector<int64_t>* v) {
        if (in.size() <= k || !in[k]) return true;
        if (in[k]->fp()) return false;
        *v = in[k]->i;
        return true;
      };
      if (in.size() < 3 || !ints(1, &starts) || !ints(2, &ends) || !ints(3, &axes) || !ints(4, &steps)) return false;
    }
    if (axes.empty())
      for (size_t k = 0; k < starts.size(); ++k) axes.push_back(static_cast<int64_t>(k));
    if (steps.empty()) steps.assign(starts.size(), 1);
    if (ends.size() != starts.size() || axes.size() != starts.size() || steps.size() != starts.size()) return false;
    std::vector<int64_t> st(static_cast<size_t>(r), 0), sp(static_cast<size_t>(r), 1), cnt = x.shape;
    for (size_t k = 0; k < starts.size(); ++k) {
      bool ok = true;
      const auto a = static_cast<size_t>(NormAxis(axes[k], r, &ok));
      if (!ok || steps[k] == 0) return false;
      const int64_t dim = x.shape[a];
      int64_t s = starts[k], e = ends[k];
      if (s < 0) s += dim;
      if (e < 0) e += dim;
      if (steps[k] > 0) {
        s = std::clamp<int64_t>(s, 0, dim);
        e = std::clamp<int64_t>(e, 0, dim);
        cnt[a] = e > s ? (e - s + steps[k] - 1) / steps[k] : 0;
      } else {
        s = std::clamp<int64_t>(s, 0, dim - 1);
        e = std::clamp<int64_t>(e, -1, dim - 1);
        cnt[a] = s > e ? (s - e - steps[k] - 1) / -steps[k] : 0;
      }
      st[a] = s;
      sp[a] = steps[k];
    }
    Val out = Make(x.dtype, cnt);
    const auto xs = Strides(x.shape);
    for (int64_t flat = 0; flat < out.size(); ++flat) {
      int64_t rem = flat, src = 0;
      for (int64_t k = r; k-- > 0;) {
        const int64_t c = rem % cnt[static_cast<size_t>(k)];
        rem /= cnt[static_cast<size_t>(k)];
        src += (st[static_cast<size_t>(k)] + c * sp[static_cast<size_t>(k)]) * xs[static_cast<size_t>(k)];
      }
      CopyElem(x, src, out, flat);
    }
    return outs->push_back(std::move(out)), true;
  }

  bool EvalTranspose(const RawNode& n, const Val& x, std::vector<Val>* outs) {
    const auto r = static_cast<int64_t>(x.shape.size());
    std::vector<int64_t> perm;
    if (const RawAttr* a = A(n, "perm")) perm = a->ints;
    else
      for (int64_t k = r; k-- > 0;) perm.push_back(k);
    if (static_cast<int64_t>(perm.size()) != r) return false;
    std::vector<int64_t> shape;
    for (int64_t p : perm) {
      if (p < 0 || p >= r) return false;
      shape.push_back(x.shape[static_cast<size_t>(p)]);
    }
    Val out = Make(x.dtype, shape);
    const auto xs = Strides(x.shape);
    for (int64_t flat = 0; flat < out.size(); ++flat) {
      int64_t rem = flat, src = 0;
      for (int64_t k = r; k-- > 0;) {
        const int64_t c = rem % shape[static_cast<size_t>(k)];
        rem /= shape[static_cast<size_t>(k)];
        src += c * xs[static_cast<size_t>(perm[static_cast<size_t>(k)])];
      }
      CopyElem(x, src, out, flat);
    }
    return outs->push_back(std::move(out)), true;
  }

  bool EvalConstantOfShape(const RawNode& n, const Val& shape, std::vector<Val>* outs) {
    if (shape.fp()) return false;
    for (int64_t d : shape.i)
      if (d < 0) return false;
    Val fill = Make(ir::DType::kF32, {1});
    if (const RawAttr* a = A(n, "value")) {
      if (a->type != RawAttr::Type::kTensor || !a->t_status.ok() || !ToVal(a->t, &fill) || fill.size() != 1) return false;
    }
    if (NumElements(shape.i) > kMaxFoldElements) return false;
    Val out = Make(fill.dtype, shape.i);
    for (int64_t k = 0; k < out.size(); ++k) CopyElem(fill, 0, out, k);
    return outs->push_back(std::move(out)), true;
  }

  bool EvalRange(const std::vector<const Val*>& in, std::vector<Val>* outs) {
    if (in.size() != 3 || !in[1] || !in[2] || in[0]->size() != 1 || in[1]->size() != 1 || in[2]->size() != 1) return false;
    const Val &s = *in[0], &l = *in[1], &d = *in[2];
    const double delta = d.AsDouble(0);
    if (delta == 0) return false;
    const double count = std::max(0.0, std::ceil((l.AsDouble(0) - s.AsDouble(0)) / delta));
    if (count > static_cast<double>(kMaxFoldElements)) return false;
    Val out = Make(s.dtype, {static_cast<int64_t>(count)});
    for (int64_t k = 0; k < out.size(); ++k) {
      if (out.fp()) out.f[static_cast<size_t>(k)] = s.AsDouble(0) + static_cast<double>(k) * delta;
      else out.i[static_cast<size_t>(k)] = s.i[0] + k * d.i[0];
    }
    Normalize(out);
    return outs->push_back(std::move(out)), true;
  }

  bool EvalExpand(const std::vector<const Val*>& in, std::vector<Val>* outs) {
    if (in.size() != 2 || !in[1] || in[1]->fp()) return false;
    std::vector<int64_t> shape;
    if (!BroadcastShape({in[0]->shape, in[1]->i}, &shape) || NumElements(shape) > kMaxFoldElements) return false;
    Val out = Make(in[0]->dtype, shape);
    for (int64_t k = 0; k < out.size(); ++k) CopyElem(*in[0], BroadcastIndex(k, shape, in[0]->shape), out, k);
    return outs->push_back(std::move(out)), true;
  }

  bool EvalWhere(const std::vector<const Val*>& in, std::vector<Val>* outs) {
    if (in.size() != 3 || !in[1] || !in[2] || in[1]->dtype != in[2]->dtype) return false;
    std::vector<int64_t> shape;
    if (!BroadcastShape({in[0]->shape, in[1]->shape, in[2]->shape}, &shape)) return false;
    Val out = Make(in[1]->dtype, shape);
    for (int64_t k = 0; k < out.size(); ++k) {
      const bool c = in[0]->AsInt(BroadcastIndex(k, shape, in[0]->shape)) != 0;
      const Val& src = c ? *in[1] : *in[2];
      CopyElem(src, BroadcastIndex(k, shape, src.shape), out, k);
    }
    return outs->push_back(std::move(out)), true;
  }

  // DequantizeLinear of constant (weight-only quantized) tensors: y = (x - zero_point) * scale
  // in float32, as ONNX defines it and onnxruntime computes it, per tensor (scalar scale), per
  // axis (1-D scale along `axis`) or per block (opset 21: scale of x's rank, `block_size`
  // elements of x per scale along `axis`).
  bool EvalDequantize(const RawNode& n, const std::vector<const Val*>& in, std::vector<Val>* outs) {
    if (in.size() < 2 || !in[1] || !in[1]->fp() || in[0]->fp()) return false;
    const Val& x = *in[0];
    const Val& scale = *in[1];
    const Val* zp = in.size() > 2 ? in[2] : nullptr;
    if (zp && (zp->dtype != x.dtype || zp->shape != scale.shape)) return false;
    const auto r = static_cast<int64_t>(x.shape.size());
    const int64_t block = AInt(n, "block_size", 0);
    bool ok = true;
    const int64_t axis = r == 0 ? 0 : NormAxis(AInt(n, "axis", 1), r, &ok);
    const int64_t ns = scale.size();
    enum { kTensor, kAxis, kBlock } kind;
    if (block > 0) {
      // Same rank as x; along `axis` ceil(dim / block) scales, elsewhere x's dims.
      if (!ok || scale.shape.size() != x.shape.size()) return false;
      for (int64_t d = 0; d < r; ++d) {
        const int64_t want = d == axis ? (x.shape[static_cast<size_t>(d)] + block - 1) / block : x.shape[static_cast<size_t>(d)];
        if (scale.shape[static_cast<size_t>(d)] != want) return false;
      }
      kind = kBlock;
    } else if (ns == 1 && scale.shape.size() <= 1) {
      kind = kTensor;
    } else if (scale.shape.size() == 1 && ok && r > 0 && ns == x.shape[static_cast<size_t>(axis)]) {
      kind = kAxis;
    } else {
      return false;
    }
    const auto xs = Strides(x.shape);
    const auto ss = Strides(scale.shape);
    Val out = Make(ir::DType::kF32, x.shape);
    for (int64_t k = 0; k < x.size(); ++k) {
      int64_t s = 0;
      if (kind == kAxis) {
        s = (k / xs[static_cast<size_t>(axis)]) % x.shape[static_cast<size_t>(axis)];
      } else if (kind == kBlock) {
        for (int64_t d = 0, rem = k; d < r; ++d) {
          int64_t c = rem / xs[static_cast<size_t>(d)];
          rem %= xs[static_cast<size_t>(d)];
          if (d == axis) c /= block;
          s += c * ss[static_cast<size_t>(d)];
        }
      }
      const int64_t q = x.i[static_cast<size_t>(k)] - (zp ? zp->i[static_cast<size_t>(s)] : 0);
      const float y = static_cast<float>(q) * static_cast<float>(scale.f[static_cast<size_t>(s)]);
      out.f[static_cast<size_t>(k)] = static_cast<double>(y);
    }
    // The values remember how they were quantized, so passes::LowerQdq can recover the integers
    // exactly (int8/uint8 per tensor or per axis; blocks and other types stay plain float).
    if (kind != kBlock && (x.dtype == ir::DType::kI8 || x.dtype == ir::DType::kU8 || x.dtype == ir::DType::kI32)) {
      for (int64_t c = 0; c < ns; ++c) {
        out.quant.scale.push_back(static_cast<float>(scale.f[static_cast<size_t>(c)]));
        out.quant.zero_point.push_back(zp ? static_cast<int32_t>(zp->i[static_cast<size_t>(c)]) : 0);
      }
      out.quant.axis = kind == kAxis ? static_cast<int32_t>(axis) : -1;
    }
    return outs->push_back(std::move(out)), true;
  }

  // QuantizeLinear of a constant (float weights quantized in the graph, as PyTorch's QDQ export
  // writes them): y = saturate(round_half_even(x / scale) + zero_point), the division in
  // float32 as onnxruntime computes it, per tensor or per axis; int8 or uint8 (the zero point's
  // type, else output_dtype, else uint8).
  bool EvalQuantize(const RawNode& n, const std::vector<const Val*>& in, std::vector<Val>* outs) {
    if (in.size() < 2 || !in[0] || !in[1] || !in[0]->fp() || !in[1]->fp()) return false;
    if (AInt(n, "block_size", 0) != 0) return false;
    const Val& x = *in[0];
    const Val& scale = *in[1];
    const Val* zp = in.size() > 2 ? in[2] : nullptr;
    ir::DType qt = ir::DType::kU8;
    if (zp) qt = zp->dtype;
    else if (AInt(n, "output_dtype", 0) != 0) qt = DTypeFromOnnx(static_cast<int32_t>(AInt(n, "output_dtype", 0)));
    if (qt != ir::DType::kI8 && qt != ir::DType::kU8) return false;
    if (zp && zp->shape != scale.shape) return false;
    const auto r = static_cast<int64_t>(x.shape.size());
    bool ok = true;
    const int64_t axis = r == 0 ? 0 : NormAxis(AInt(n, "axis", 1), r, &ok);
    const int64_t ns = scale.size();
    const bool per_axis = !(ns == 1 && scale.shape.size() <= 1);
    if (per_axis && (scale.shape.size() != 1 || !ok || r == 0 || ns != x.shape[static_cast<size_t>(axis)])) return false;
    const auto xs = Strides(x.shape);
    const int64_t lo = qt == ir::DType::kI8 ? -128 : 0, hi = qt == ir::DType::kI8 ? 127 : 255;
    Val out = Make(qt, x.shape);
    for (int64_t k = 0; k < x.size(); ++k) {
      const int64_t c = per_axis ? (k / xs[static_cast<size_t>(axis)]) % x.shape[static_cast<size_t>(axis)] : 0;
      const float sc = static_cast<float>(scale.f[static_cast<size_t>(c)]);
      if (!(sc > 0.f)) return false;
      const float v = static_cast<float>(x.f[static_cast<size_t>(k)]) / sc;
      if (v != v) return false;
      const double rounded = std::nearbyint(static_cast<double>(std::clamp(v, -1e6f, 1e6f)));  // ties to even
      const int64_t q = static_cast<int64_t>(rounded) + (zp ? zp->i[static_cast<size_t>(c)] : 0);
      out.i[static_cast<size_t>(k)] = std::clamp(q, lo, hi);
    }
    return outs->push_back(std::move(out)), true;
  }

  bool EvalElementwise(const RawNode& n, const std::vector<const Val*>& in, std::vector<Val>* outs) {
    const std::string& op = n.op_type;
    using U = std::function<double(double)>;
    static const std::map<std::string, U> kUnaryF = {
        {"Relu", [](double x) { return x > 0 ? x : 0.0; }},
        {"Sigmoid", [](double x) { return 1.0 / (1.0 + std::exp(-x)); }},
        {"Tanh", [](double x) { return std::tanh(x); }},
        {"Exp", [](double x) { return std::exp(x); }},
        {"Log", [](double x) { return std::log(x); }},
        {"Sqrt", [](double x) { return std::sqrt(x); }},
        {"Reciprocal", [](double x) { return 1.0 / x; }},
        {"Floor", [](double x) { return std::floor(x); }},
        {"Ceil", [](double x) { return std::ceil(x); }},
        {"Round", [](double x) { return std::nearbyint(x); }},
        {"Erf", [](double x) { return std::erf(x); }},
    };
    if (in.size() == 1) {
      const Val& x = *in[0];
      Val out = Make(op == "Not" ? ir::DType::kBool : x.dtype, x.shape);
      if (op == "Neg" || op == "Abs" || op == "Not" || op == "Sign") {
        for (int64_t k = 0; k < x.size(); ++k) {
          if (x.fp()) {
            const double v = x.f[static_cast<size_t>(k)];
            if (op == "Not") return false;
            out.f[static_cast<size_t>(k)] = op == "Neg" ? -v : op == "Abs" ? std::fabs(v) : (v > 0) - (v < 0);
          } else {
            const int64_t v = x.i[static_cast<size_t>(k)];
            out.i[static_cast<size_t>(k)] = op == "Neg" ? -v : op == "Abs" ? std::llabs(v) : op == "Not" ? !v : (v > 0) - (v < 0);
          }
        }
        Normalize(out);
        return outs->push_back(std::move(out)), true;
      }
      auto it = kUnaryF.find(op);
      if (it == kUnaryF.end() || !x.fp()) return false;
      for (int64_t k = 0; k < x.size(); ++k)
        out.f[static_cast<size_t>(k)] = static_cast<double>(static_cast<float>(it->second(x.f[static_cast<size_t>(k)])));
      return outs->push_back(std::move(out)), true;
    }
    static const char* kBinary[] = {"Add", "Sub", "Mul", "Div", "Pow", "Min", "Max", "Mod",
                                    "Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "And", "Or", "Xor"};
    if (std::find(std::begin(kBinary), std::end(kBinary), op) == std::end(kBinary)) return false;
    if (in.size() < 2) return false;
    for (const Val* v : in)
      if (!v) return false;
    if ((op == "Min" || op == "Max") ? false : in.size() != 2) return false;
    const bool cmp = op == "Equal" || op == "Less" || op == "Greater" || op == "LessOrEqual" || op == "GreaterOrEqual" ||
                     op == "And" || op == "Or" || op == "Xor";
    Val acc = *in[0];
    for (size_t j = 1; j < in.size(); ++j) {
      const Val& a = acc;
      const Val& b = *in[j];
      if (op != "Pow" && a.fp() != b.fp()) return false;
      std::vector<int64_t> shape;
      if (!BroadcastShape({a.shape, b.shape}, &shape)) return false;
      Val out = Make(cmp ? ir::DType::kBool : a.dtype, shape);
      for (int64_t k = 0; k < out.size(); ++k) {
        const int64_t ia = BroadcastIndex(k, shape, a.shape), ib = BroadcastIndex(k, shape, b.shape);
        if (a.fp() || (op == "Pow" && b.fp())) {
          const double x = a.AsDouble(ia), y = b.AsDouble(ib);
          double r = 0;
          if (op == "Add") r = x + y;
          else if (op == "Sub") r = x - y;
          else if (op == "Mul") r = x * y;
          else if (op == "Div") r = x / y;
          else if (op == "Pow") r = std::pow(x, y);
          else if (op == "Min") r = std::min(x, y);
          else if (op == "Max") r = std::max(x, y);
          else if (op == "Mod") {
            if (AInt(n, "fmod", 0) == 0) return false;
            r = std::fmod(x, y);
          }
          else if (op == "Equal") r = x == y;
          else if (op == "Less") r = x < y;
          else if (op == "Greater") r = x > y;
          else if (op == "LessOrEqual") r = x <= y;
          else if (op == "GreaterOrEqual") r = x >= y;
          else return false;
          if (out.fp()) out.f[static_cast<size_t>(k)] = static_cast<double>(static_cast<float>(r));
          else if (cmp) out.i[static_cast<size_t>(k)] = r != 0;
          else return false;  // Pow int ** float
        } else {
          const int64_t x = a.AsInt(ia), y = b.AsInt(ib);
          int64_t r = 0;
          if (op == "Add") r = x + y;
          else if (op == "Sub") r = x - y;
          else if (op == "Mul") r = x * y;
          else if (op == "Div") {
            if (y == 0) return false;
            r = x / y;  // truncation, as onnxruntime does
          } else if (op == "Pow") {
            if (y < 0) return false;
            r = 1;
            for (int64_t e = 0; e < y && e < 64; ++e) r *= x;
          } else if (op == "Min") r = std::min(x, y);
          else if (op == "Max") r = std::max(x, y);
          else if (op == "Mod") {
            if (y == 0) return false;
            r = x % y;
            if (AInt(n, "fmod", 0) == 0 && r != 0 && ((r < 0) != (y < 0))) r += y;
          }
          else if (op == "Equal") r = x == y;
          else if (op == "Less") r = x < y;
          else if (op == "Greater") r = x > y;
          else if (op == "LessOrEqual") r = x <= y;
          else if (op == "GreaterOrEqual") r = x >= y;
          else if (op == "And") r = x && y;
          else if (op == "Or") r = x || y;
          else if (op == "Xor") r = (x != 0) != (y != 0);
          out.i[static_cast<size_t>(k)] = r;
        }
      }
      Normalize(out);
      acc = std::move(out);
    }
    return outs->push_back(std::move(acc)), true;
  }

  const RawModel& m_;
  std::map<std::string, Val> cache_;
};

}  // namespace

Expected<FoldResult> FoldConstants(const RawModel& model) { return Folder(model).Run(); }

bool IsFoldableOp(const std::string& op) {
  // Every op Folder::Eval evaluates (with all inputs constant; Shape and Size on static shapes).
  static const std::set<std::string> kOps = {
      "Constant", "Shape", "Size", "Identity", "Dropout", "Cast", "Reshape", "Flatten", "Squeeze", "Unsqueeze",
      "Concat", "Gather", "Slice", "Transpose", "ConstantOfShape", "Range", "Expand", "Where", "DequantizeLinear",
      "QuantizeLinear",
      "Relu", "Sigmoid", "Tanh", "Exp", "Log", "Sqrt", "Reciprocal", "Floor", "Ceil", "Round", "Erf", "Neg", "Abs",
      "Not", "Sign", "Add", "Sub", "Mul", "Div", "Pow", "Min", "Max", "Mod", "Equal", "Less", "Greater",
      "LessOrEqual", "GreaterOrEqual", "And", "Or", "Xor"};
  return kOps.count(op) != 0;
}

}  // namespace tigris::frontend
