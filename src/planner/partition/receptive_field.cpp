// Receptive fields per op class (ops.def column `tile`). Windowed ops (Conv, pools) along a
// spatial axis: output index o reads input indices o*s - pad_begin + j*dilation for j < kernel,
// those inside [0, in) (the others are padding the kernels skip); a tile's local pads are what
// makes the same kernel see the same taps. Elementwise ops map an axis onto itself (broadcast
// operands are needed whole); OwnRule ops (Transpose, Slice, Pad, Resize, Gemm, MatMul, Tile,
// Gather, GatherElements, LayerNormalization, InstanceNormalization, LpNormalization,
// ReduceLogSumExp) have a rule each; Concat along its own axis reads each input at its offset; the other OwnRule ops (ArgMax/ArgMin, TopK, GroupNormalization,
// DepthToSpace/SpaceToDepth) run whole. Ops with bool (1-byte) operands are never tiled.
#include "tigris/partition/receptive_field.h"

#include <algorithm>

#include "tigris/ir/op_traits.h"
#include "tigris/kernels/ref_f32.h"
#include "tigris/kernels/tgrs_params.h"
#include "tigris/planner/exec_plan.h"

namespace tigris::partition {

namespace {

using ir::OpKind;

const ir::Tensor& In(const ir::Graph& g, const ir::Node& n, size_t i) { return g.tensor(n.inputs[i]); }
const ir::Tensor& Out0(const ir::Graph& g, const ir::Node& n) { return g.tensor(n.outputs[0]); }

int64_t Rank(const ir::Tensor& t) { return static_cast<int64_t>(t.shape.size()); }

// The input axis a reduction's output axis `axis` comes from, when that axis is kept (not
// reduced): the same index with keepdims, else the axis-th input axis not reduced. The frontend
// leaves `axes` sorted, unique and non-negative.
std::optional<int32_t> ReduceKeptInputAxis(const ir::Graph& g, const ir::Node& n, int32_t axis) {
  const std::vector<int64_t> axes = n.GetInts("axes");
  const bool keep = n.GetInt("keepdims", 1) != 0;
  int32_t in_axis = keep ? axis : -1;
  for (int32_t a = 0, kept = 0; !keep && a < static_cast<int32_t>(Rank(In(g, n, 0))); ++a)
    if (std::find(axes.begin(), axes.end(), a) == axes.end() && kept++ == axis) in_axis = a;
  if (in_axis < 0 || std::find(axes.begin(), axes.end(), in_axis) != axes.end()) return std::nullopt;
  return in_axis;
}

// The op classes come from ops.def (column `tile`); the rules per class are below.
ir::TileClass TileClassOf(OpKind k) { return ir::Traits(k).tile; }

// The spatial geometry of a Conv/pool along output axis `axis` (a spatial axis).
struct Window1D {
  int64_t kernel = 1, stride = 1, dilation = 1, pad_begin = 0, pad_end = 0;
  int64_t extent() const { return (kernel - 1) * dilation + 1; }
};

// Index of `axis` among the spatial dims of a rank-r NC... tensor, or -1.
int64_t SpatialIndex(int64_t rank, int32_t axis) { return axis >= 2 && axis < rank ? axis - 2 : -1; }

Window1D WindowOf(const ir::Node& n, int64_t rank, int64_t si) {
  const int64_t ns = rank - 2;
  auto at = [&](const char* key, int64_t i, int64_t dflt) {
    const std::vector<int64_t> v = n.GetInts(key);
    return static_cast<size_t>(i) < v.size() ? v[static_cast<size_t>(i)] : dflt;
  };
  Window1D w;
  w.kernel = at("kernel_shape", si, 1);
  w.stride = at("strides", si, 1);
  w.dilation = at("dilations", si, 1);
  w.pad_begin = at("pads", si, 0);
  w.pad_end = at("pads", si + ns, 0);
  return w;
}

bool IsWindowed(OpKind k) { return TileClassOf(k) == ir::TileClass::kWindowed; }
// A windowed op with weights (params family Conv): its channels are not separable.
bool IsWindowedConv(OpKind k) { return IsWindowed(k) && ir::Traits(k).params == ir::ParamsFamily::kConv; }

// Output axis of a broadcast binary op -> the input's axis (numpy alignment from the right),
// kWholeInput when the input does not vary along it.
int32_t BroadcastAxis(const ir::Tensor& in, const ir::Tensor& out, int32_t axis) {
  const int64_t shift = Rank(out) - Rank(in);
  const int64_t a = axis - shift;
  if (a < 0 || in.shape[static_cast<size_t>(a)] == 1) return kWholeInput;
  return static_cast<int32_t>(a);
}

// The kernel's view of a whole Resize (only what tgrs_resize_reads uses).
tgrs_resize_params_t ResizeParamsOf(const ir::Graph& g, const ir::Node& n) {
  tgrs_resize_params_t p{};
  const ir::Tensor& x = In(g, n, 0);
  const ir::Tensor& y = Out0(g, n);
  p.mode = static_cast<int32_t>(n.GetInt("mode", TGRS_RESIZE_NEAREST));
  p.coord_mode = static_cast<int32_t>(n.GetInt("coord_mode", TGRS_COORD_HALF_PIXEL));
  p.nearest_mode = static_cast<int32_t>(n.GetInt("nearest_mode", TGRS_NEAREST_ROUND_PREFER_FLOOR));
  p.cubic_coeff_a = n.GetFloat("cubic_coeff_a", -0.75f);
  p.exclude_outside = static_cast<int32_t>(n.GetInt("exclude_outside", 0));
  const std::vector<float> scales = n.GetFloats("scales");
  for (size_t d = 0; d < x.shape.size() && d < TGRS_MAX_RANK; ++d) {
    p.scale[d] = d < scales.size() ? scales[d]
                                   : static_cast<float>(static_cast<double>(y.shape[d]) / static_cast<double>(x.shape[d]));
    p.in_full[d] = static_cast<int32_t>(x.shape[d]);
    p.out_full[d] = static_cast<int32_t>(y.shape[d]);
  }
  return p;
}

// Whether the frontend left Resize's enum attributes as the integers the kernels take.
bool ResizeAttrsAreInts(const ir::Node& n) {
  for (const char* key : {"mode", "coord_mode", "nearest_mode"})
    if (n.Has(key) && !std::holds_alternative<int64_t>(n.attrs.at(key))) return false;
  return true;
}

}  // namespace

bool AccumulatesAlong(const ir::Graph& g, const ir::Node& n, int32_t axis, int64_t* count) {
  if (n.inputs.empty() || n.outputs.size() != 1) return false;
  const ir::Tensor& x = In(g, n, 0);
  int64_t c = 1;
  const ir::OpTraits& t = ir::Traits(n.kind);
  if (t.tile != ir::TileClass::kReduction) return false;
  if (t.params == ir::ParamsFamily::kGlobalPool) {
    if (axis != 2 || Rank(x) < 3) return false;
    for (size_t d = 2; d < x.shape.size(); ++d) c *= x.shape[d];
  } else if (t.params == ir::ParamsFamily::kReduce) {
    const std::vector<int64_t> axes = n.GetInts("axes");
    if (axes.empty() || axes.front() != axis) return false;
    for (int64_t a : axes) c *= x.shape[static_cast<size_t>(a)];
  } else {
    return false;
  }
  *count = c;
  return true;
}

namespace {

// The ops of tile class OwnRule (ops.def): each has its own mapping.
std::optional<AxisMap> OwnRuleAxisMap(const ir::Graph& g, const ir::Node& n, int32_t axis,
                                      const std::vector<ir::TensorId>& ins, AxisMap m) {
  const ir::Tensor& y = Out0(g, n);
  switch (n.kind) {
    case OpKind::kReshape: {
      // Only when the axis survives: same extent and the same number of elements after it, so a
      // window of output rows is exactly a window of input rows (the dims split or merged lie
      // before or after it, never across it).
      const ir::Tensor& x = In(g, n, 0);
      if (x.is_constant) return std::nullopt;
      int64_t inner_out = 1;
      for (size_t d = static_cast<size_t>(axis) + 1; d < y.shape.size(); ++d) inner_out *= y.shape[d];
      int64_t inner_in = 1;
      for (size_t d = x.shape.size(); d-- > 0;) {
        if (inner_in == inner_out && x.shape[d] == y.shape[static_cast<size_t>(axis)]) {
          m.input_axis[0] = static_cast<int32_t>(d);
          return m;
        }
        inner_in *= x.shape[d];
        if (inner_in > inner_out) break;
      }
      return std::nullopt;
    }
    case OpKind::kTranspose: {
      const std::vector<int64_t> perm = n.GetInts("perm");
      if (static_cast<size_t>(axis) >= perm.size()) return std::nullopt;
      m.input_axis[0] = static_cast<int32_t>(perm[static_cast<size_t>(axis)]);
      return m;
    }
    case OpKind::kSlice: {
      const std::vector<int64_t> steps = n.GetInts("steps");
      if (static_cast<size_t>(axis) >= steps.size() || steps[static_cast<size_t>(axis)] < 1) return std::nullopt;
      m.input_axis[0] = axis;
      return m;
    }
    case OpKind::kTile: {
      // Only along an axis it does not repeat: there output index i reads input index i (along a
      // repeated axis a window would read x modulo its length, which no input window expresses).
      const ir::Tensor& x = In(g, n, 0);
      if (Rank(x) != Rank(y) || x.shape[static_cast<size_t>(axis)] != y.shape[static_cast<size_t>(axis)])
        return std::nullopt;
      m.input_axis[0] = axis;
      return m;
    }
    case OpKind::kPad: {
      if (n.GetInt("mode", 0) != 0) return std::nullopt;  // reflect/edge/wrap read the far border
      m.input_axis[0] = axis;
      return m;
    }
    case OpKind::kResize: {
      // Any axis: a window's taps come from the kernel's own coordinate transform.
      if (!ResizeAttrsAreInts(n) || Rank(In(g, n, 0)) > TGRS_MAX_RANK) return std::nullopt;
      m.input_axis[0] = axis;
      return m;
    }
    case OpKind::kGemm: {
      // Y[M, N] = A' B' + C: rows follow A', columns B', C broadcasts.
      if (Rank(y) != 2) return std::nullopt;
      const bool ta = n.GetInt("transA", 0) != 0, tb = n.GetInt("transB", 0) != 0;
      if (axis == 0) {
        m.input_axis[0] = ta ? 1 : 0;
      } else {
        m.input_axis[1] = tb ? 0 : 1;
      }
      if (ins.size() > 2) {
        const ir::Tensor& c = g.tensor(ins[2]);
        const int64_t shift = 2 - Rank(c);
        const int64_t ca = axis - shift;
        if (ca >= 0 && ca < Rank(c) && c.shape[static_cast<size_t>(ca)] != 1) m.input_axis[2] = static_cast<int32_t>(ca);
      }
      // int8: per-column requantization [N, 2] and B zero points [N] follow the columns
      for (size_t i = 3; i < ins.size(); ++i)
        if (axis == 1 && g.tensor(ins[i]).shape.at(0) == y.shape[1] && y.shape[1] > 1) m.input_axis[i] = 0;
      return m;
    }
    case OpKind::kMatMul: {
      const ir::Tensor& a = In(g, n, 0);
      const ir::Tensor& b = In(g, n, 1);
      if (Rank(a) < 2 || Rank(b) < 2 || Rank(y) < 2) return std::nullopt;
      const int64_t r = Rank(y);
      if (axis == r - 2) {
        m.input_axis[0] = static_cast<int32_t>(Rank(a) - 2);
      } else if (axis == r - 1) {
        m.input_axis[1] = static_cast<int32_t>(Rank(b) - 1);
        // int8: the per-column bias, requantization and B zero points follow the columns
        for (size_t i = 2; i < ins.size(); ++i)
          if (g.tensor(ins[i]).shape.at(0) == y.shape[static_cast<size_t>(r - 1)] && y.shape[static_cast<size_t>(r - 1)] > 1)
            m.input_axis[i] = 0;
      } else {
        for (size_t i = 0; i < 2; ++i) {
          const ir::Tensor& t = In(g, n, i);
          const int64_t ta = axis - (r - Rank(t));
          if (ta >= 0 && t.shape[static_cast<size_t>(ta)] != 1) m.input_axis[i] = static_cast<int32_t>(ta);
        }
      }
      return m;
    }
    case OpKind::kGather: {
      // y = x's dims before `axis`, the index dims, x's dims after it. A data dim maps to
      // itself (the indices are needed whole); an index dim to the indices (x whole along every
      // dim: its `axis` is what they index, the others are whole anyway).
      const ir::Tensor& x = In(g, n, 0);
      const int64_t ga = n.GetInt("axis", 0), q = Rank(In(g, n, 1));
      if (axis < ga) {
        m.input_axis[0] = axis;
      } else if (axis < ga + q) {
        m.input_axis[1] = static_cast<int32_t>(axis - ga);
      } else if (axis - q + 1 < Rank(x)) {
        m.input_axis[0] = static_cast<int32_t>(axis - q + 1);
      } else {
        return std::nullopt;
      }
      return m;
    }
    case OpKind::kGatherElements: {
      // y[i] = x[i with i[axis] replaced by idx[i]]: any dim maps to itself in the indices, and
      // in x except `axis`, where an index may name any element.
      m.input_axis[1] = axis;
      if (axis != n.GetInt("axis", 0)) m.input_axis[0] = axis;
      return m;
    }
    case OpKind::kLayerNormalization: {
      // Statistics over the dims from `axis` on: the dims before it are independent rows. Scale
      // and bias broadcast onto the normalized dims (needed whole). Only Y: the optional Mean
      // and InvStdDev outputs are never tiled.
      if (n.outputs.size() != 1 || axis >= n.GetInt("axis", -1)) return std::nullopt;
      m.input_axis[0] = axis;
      return m;
    }
    case OpKind::kInstanceNormalization: {
      // Statistics per (n, c) over the spatial dims; scale and bias per channel.
      if (axis > 1) return std::nullopt;
      m.input_axis[0] = axis;
      if (axis == 1) m.input_axis[1] = m.input_axis[2] = 0;
      return m;
    }
    case OpKind::kLpNormalization: {
      if (axis == n.GetInt("axis", -1)) return std::nullopt;
      m.input_axis[0] = axis;
      return m;
    }
    case OpKind::kReduceLogSumExp: {
      // Like the accumulating reductions along a kept axis (the reduced ones need one call).
      if (auto in_axis = ReduceKeptInputAxis(g, n, axis)) {
        m.input_axis[0] = *in_axis;
        return m;
      }
      return std::nullopt;
    }
    default:
      return std::nullopt;
  }
}

}  // namespace

std::optional<AxisMap> TileAxisMap(const ir::Graph& g, const ir::Node& n, int32_t axis) {
  if (n.outputs.empty()) return std::nullopt;
  const ir::Tensor& y = Out0(g, n);
  if (axis < 0 || axis >= Rank(y)) return std::nullopt;
  const std::vector<ir::TensorId> ins = planner::RuntimeInputs(g, n);
  AxisMap m;
  m.input_axis.assign(ins.size(), kWholeInput);
  for (ir::TensorId t : n.outputs)
    if (Rank(g.tensor(t)) != Rank(y)) return std::nullopt;
  for (ir::TensorId t : ins)
    if (t == ir::kNoTensor) return std::nullopt;  // omitted inputs: nothing we tile uses them
  // A window's byte offset is a multiple of its element size; plans place 4-byte tensors at
  // multiples of 4 and 1-byte ones anywhere (TGRS_ELEM_ALIGN). Quantized int8/uint8 tensors tile;
  // ops with bool operands (the comparisons, logic, Where, casts to or from bool) still run whole.
  auto tileable_dtype = [](ir::DType t) {
    return ir::DTypeSize(t) >= 4 || t == ir::DType::kI8 || t == ir::DType::kU8;
  };
  for (ir::TensorId t : ins)
    if (!tileable_dtype(g.tensor(t).dtype)) return std::nullopt;
  for (ir::TensorId t : n.outputs)
    if (!tileable_dtype(g.tensor(t).dtype)) return std::nullopt;
  const OpKind k = n.kind;

  switch (TileClassOf(k)) {
    case ir::TileClass::kWindowed: {
      const ir::Tensor& x = In(g, n, 0);
      if (Rank(x) < 3 || Rank(x) > 4 || Rank(x) != Rank(y)) return std::nullopt;
      if (axis == 0) {
        m.input_axis[0] = 0;
        return m;
      }
      if (axis >= 2) {
        m.input_axis[0] = axis;
        return m;
      }
      // Channels. Pools and depthwise/grouped convolutions are channel-separable; a full
      // convolution needs every input channel, each output channel its own weights and bias.
      if (!IsWindowedConv(k)) {
        m.input_axis[0] = 1;
        return m;
      }
      const int64_t group = n.GetInt("group", 1);
      const int64_t cout_g = y.shape[1] / std::max<int64_t>(group, 1);
      m.input_axis[0] = group == 1 ? kWholeInput : 1;
      m.input_axis[1] = 0;
      if (ins.size() > 2) m.input_axis[2] = 0;
      // int8: the per-channel requantization and weight zero points (a per-tensor [1] one whole)
      for (size_t i = 3; i < ins.size(); ++i)
        if (g.tensor(ins[i]).shape.at(0) == y.shape[1]) m.input_axis[i] = 0;
      m.granule = group == 1 ? 1 : cout_g;
      return m;
    }
    case ir::TileClass::kElementwise:
      if (In(g, n, 0).shape != y.shape) return std::nullopt;
      m.input_axis[0] = axis;
      return m;
    case ir::TileClass::kBroadcast:
      for (size_t i = 0; i < ins.size(); ++i) m.input_axis[i] = BroadcastAxis(g.tensor(ins[i]), y, axis);
      return m;
    case ir::TileClass::kAxis:
      // Concat, Split, Softmax: any axis but their own. Concat also along its own axis: output
      // window [a, b) is, per input at offset o, its window [a - o, b - o) clipped (empty for the
      // parts it does not overlap; each output element is a copy of one input element).
      if (n.GetInt("axis", 0) == axis && k != OpKind::kConcat) return std::nullopt;
      for (size_t i = 0; i < ins.size(); ++i) m.input_axis[i] = axis;
      return m;
    case ir::TileClass::kReduction:
      if (ir::Traits(k).params == ir::ParamsFamily::kGlobalPool) {
        // reduces every spatial axis
        if (axis >= 2) return std::nullopt;
        m.input_axis[0] = axis;
        return m;
      }
      if (ir::Traits(k).params == ir::ParamsFamily::kReduce) {
        if (auto in_axis = ReduceKeptInputAxis(g, n, axis)) {
          m.input_axis[0] = *in_axis;
          return m;
        }
        return std::nullopt;
      }
      return std::nullopt;
    case ir::TileClass::kOwnRule:
      return OwnRuleAxisMap(g, n, axis, ins, m);
    case ir::TileClass::kNone:
      return std::nullopt;
  }
  return std::nullopt;
}

WindowRule MakeWindowRule(const ir::Graph& g, const ir::Node& n, size_t input, int32_t axis) {
  WindowRule r;
  const std::vector<ir::TensorId> ins = planner::RuntimeInputs(g, n);
  const auto map = TileAxisMap(g, n, axis);
  if (!map || input >= ins.size() || map->input_axis[input] == kWholeInput) return r;
  const ir::Tensor& x = g.tensor(ins[input]);
  const ir::Tensor& y = Out0(g, n);
  const int32_t ia = map->input_axis[input];
  r.length = x.shape[static_cast<size_t>(ia)];
  r.kind = WindowRule::kIdentity;
  const OpKind k = n.kind;
  if (IsWindowed(k) && axis >= 2 && input == 0) {
    const Window1D w = WindowOf(n, Rank(x), SpatialIndex(Rank(x), axis));
    r.kind = WindowRule::kWindowed;
    r.a = w.stride;
    r.b = w.pad_begin;
    r.c = w.extent();
  } else if (IsWindowedConv(k) && axis == 1 && input == 0) {
    const int64_t group = n.GetInt("group", 1);
    r.kind = WindowRule::kGroupedChannels;
    r.a = y.shape[1] / group;
    r.b = x.shape[1] / group;
  } else if (k == OpKind::kSlice) {
    r.kind = WindowRule::kSlice;
    r.a = n.GetInts("starts")[static_cast<size_t>(axis)];
    r.b = n.GetInts("steps")[static_cast<size_t>(axis)];
  } else if (k == OpKind::kPad) {
    r.kind = WindowRule::kPad;
    r.a = n.GetInts("pads")[static_cast<size_t>(axis)];
  } else if (k == OpKind::kConcat && n.GetInt("axis", 0) == axis) {
    r.kind = WindowRule::kConcatPart;
    for (size_t i = 0; i < input; ++i) r.a += g.tensor(ins[i]).shape[static_cast<size_t>(axis)];
  } else if (k == OpKind::kResize) {
    r.kind = WindowRule::kResize;
    r.node = &n;
    r.graph = &g;
    r.axis = axis;
  }
  return r;
}

Interval ApplyWindowRule(const WindowRule& r, Interval out) {
  if (r.kind == WindowRule::kWhole || out.empty()) return {0, 0};
  const int64_t len = r.length;
  auto clip = [&](int64_t lo, int64_t hi) { return Interval{std::clamp<int64_t>(lo, 0, len), std::clamp<int64_t>(hi, 0, len)}; };
  switch (r.kind) {
    case WindowRule::kWindowed: return clip(out.lo * r.a - r.b, (out.hi - 1) * r.a - r.b + r.c);
    case WindowRule::kGroupedChannels: return clip(out.lo / r.a * r.b, (out.hi + r.a - 1) / r.a * r.b);
    case WindowRule::kSlice: return clip(r.a + out.lo * r.b, r.a + (out.hi - 1) * r.b + 1);
    case WindowRule::kPad: return clip(out.lo - r.a, out.hi - r.a);
    case WindowRule::kConcatPart: {
      const Interval w = clip(out.lo - r.a, out.hi - r.a);
      return w.empty() ? Interval{0, 0} : w;
    }
    case WindowRule::kResize: {
      const tgrs_resize_params_t p = ResizeParamsOf(*r.graph, *r.node);
      int32_t lo0, hi0, lo1, hi1;
      tgrs_resize_reads(&p, r.axis, static_cast<int32_t>(out.lo), &lo0, &hi0);
      tgrs_resize_reads(&p, r.axis, static_cast<int32_t>(out.hi - 1), &lo1, &hi1);
      return clip(std::min(lo0, lo1), std::max(hi0, hi1) + 1);
    }
    default: return clip(out.lo, out.hi);  // identity
  }
}

Interval InputWindow(const ir::Graph& g, const ir::Node& n, size_t input, int32_t axis, Interval out) {
  return ApplyWindowRule(MakeWindowRule(g, n, input, axis), out);
}

bool TileReadsInput(const ir::Graph& g, const ir::Node& n, const std::vector<AxisWindow>& windows,
                    size_t input) {
  (void)g;
  if (n.kind != OpKind::kConcat) return true;
  for (const AxisWindow& w : windows)
    if (w.axis == n.GetInt("axis", 0) && input < w.in.size() && w.in[input].empty()) return false;
  return true;
}

Expected<ir::Node> LocalizeNode(const ir::Graph& g, const ir::Node& n, const std::vector<AxisWindow>& windows,
                                const Accumulation& acc) {
  ir::Node local = n;
  if (n.kind == OpKind::kConcat) {
    // Concat's inputs are all runtime inputs, in order: keep the parts the window reads.
    if (planner::RuntimeInputs(n).size() != n.inputs.size())
      return Internal("tiling: node '" + n.name + "': a Concat with non-runtime inputs");
    local.inputs.clear();
    for (size_t i = 0; i < n.inputs.size(); ++i)
      if (TileReadsInput(g, n, windows, i)) local.inputs.push_back(n.inputs[i]);
    if (local.inputs.empty()) return Internal("tiling: node '" + n.name + "': a window that reads no part");
  }
  const ir::Tensor& y = Out0(g, n);
  if (acc.active) {
    local.attrs["acc_flags"] = acc.flags;
    local.attrs["acc_count"] = acc.count;
  }
  for (const AxisWindow& w : windows) {
    if (n.kind == OpKind::kResize) {
      // Global coordinates: the window's origins in the whole input and output.
      const ir::Tensor& x = In(g, n, 0);
      const size_t r = x.shape.size();
      auto get = [&](const char* key, std::vector<int64_t> dflt) {
        std::vector<int64_t> v = local.GetInts(key);
        return v.size() == r ? v : dflt;
      };
      std::vector<int64_t> in_origin = get("window_in_origin", std::vector<int64_t>(r, 0));
      std::vector<int64_t> out_origin = get("window_out_origin", std::vector<int64_t>(r, 0));
      in_origin[static_cast<size_t>(w.axis)] = w.in.at(0).lo;
      out_origin[static_cast<size_t>(w.axis)] = w.out.lo;
      local.attrs["window_in_origin"] = in_origin;
      local.attrs["window_out_origin"] = out_origin;
      local.attrs["window_in_full"] = x.shape;
      local.attrs["window_out_full"] = y.shape;
      continue;
    }
    const auto map = TileAxisMap(g, n, w.axis);
    if (!map) return Internal("tiling: node '" + n.name + "' cannot be tiled along axis " + std::to_string(w.axis));
    const OpKind k = n.kind;
    if (IsWindowed(k) && w.axis >= 2) {
      const ir::Tensor& x = In(g, n, 0);
      const int64_t rank = Rank(x), ns = rank - 2, si = SpatialIndex(rank, w.axis);
      const Window1D win = WindowOf(n, rank, si);
      const Interval in = w.in.at(0);
      const int64_t out_len = y.shape[static_cast<size_t>(w.axis)];
      // The padded input the window's first output starts on, relative to the view's first row.
      const int64_t begin = in.lo - (w.out.lo * win.stride - win.pad_begin);
      const int64_t end =
          w.out.hi == out_len ? win.pad_end : (w.out.hi - 1) * win.stride - win.pad_begin + win.extent() - in.hi;
      if (begin < 0 || end < 0)
        return Internal("tiling: node '" + n.name + "': input window [" + std::to_string(in.lo) + ", " +
                        std::to_string(in.hi) + ") does not cover output window [" + std::to_string(w.out.lo) + ", " +
                        std::to_string(w.out.hi) + ")");
      std::vector<int64_t> pads = local.GetInts("pads");  // a previous window may have set the other axis
      pads.resize(static_cast<size_t>(2 * ns), 0);
      pads[static_cast<size_t>(si)] = begin;
      pads[static_cast<size_t>(si + ns)] = end;
      local.attrs["pads"] = pads;
      continue;
    }
    if (IsWindowedConv(k) && w.axis == 1) {
      const int64_t group = n.GetInt("group", 1);
      if (group > 1) {
        const int64_t cout_g = y.shape[1] / group;
        local.attrs["group"] = (w.out.hi - w.out.lo + cout_g - 1) / cout_g;
      }
      continue;
    }
    if (k == OpKind::kSlice) {
      std::vector<int64_t> starts = local.GetInts("starts");
      const int64_t step = n.GetInts("steps")[static_cast<size_t>(w.axis)];
      starts[static_cast<size_t>(w.axis)] = starts[static_cast<size_t>(w.axis)] + w.out.lo * step - w.in.at(0).lo;
      local.attrs["starts"] = starts;
      continue;
    }
    if (k == OpKind::kPad) {
      std::vector<int64_t> pads = local.GetInts("pads");
      const size_t a = static_cast<size_t>(w.axis);
      pads[a] = w.in.at(0).lo - w.out.lo + pads[a];
      const int64_t in_len = w.in.at(0).size();
      pads[a + pads.size() / 2] = w.out.size() - in_len - pads[a];
      local.attrs["pads"] = pads;
      continue;
    }
  }
  return local;
}

}  // namespace tigris::partition
