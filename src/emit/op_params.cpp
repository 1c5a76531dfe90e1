// Canonical attrs -> tgrs_*_params_t words, one function per params family (ops.def column
// `params` picks it). Defaults follow the ONNX spec where the frontend may leave an attribute
// out; every value is range-checked so the kernels' load-time check() never sees a record the
// compiler could have rejected with a name.
#include "tigris/emit/op_params.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <initializer_list>
#include <limits>
#include <type_traits>
#include <utility>

#include "tigris/ir/attr_enums.h"
#include "tigris/ir/op_traits.h"
#include "tigris/kernels/tgrs_params.h"
#include "tigris/kernels/tgrs_qparams.h"

namespace tigris::emit {

namespace {

Status Fail(const ir::Node& n, const std::string& msg) {
  return Unsupported("emit: node '" + n.name + "' (" + ir::OpName(n.kind) + "): " + msg);
}

template <typename T>
std::vector<uint32_t> Words(const T& rec) {
  static_assert(std::is_trivially_copyable_v<T> && sizeof(T) % 4 == 0, "params records are 4-byte words");
  std::vector<uint32_t> w(sizeof(T) / 4);
  std::memcpy(w.data(), &rec, sizeof(T));
  return w;
}

bool FitsI32(int64_t v) {
  return v >= std::numeric_limits<int32_t>::min() && v <= std::numeric_limits<int32_t>::max();
}

std::string Lower(std::string s) {
  std::string out;
  for (char c : s)
    if (c != '_' && c != '-') out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// An enum-valued attribute given either as its tgrs_* number (docs/ir.md) or as its spelling
// in `table` (ir/attr_enums.h); the first of `keys` present wins, `dflt` when none is.
template <size_t N>
Expected<int32_t> EnumAttr(const ir::Node& n, std::initializer_list<const char*> keys, const ir::EnumName (&table)[N],
                           int32_t dflt) {
  for (const char* key : keys) {
    if (!n.Has(key)) continue;
    const ir::AttrValue& v = n.attrs.at(key);
    if (const auto* i = std::get_if<int64_t>(&v)) {
      if (ir::IsEnumValue(table, *i)) return static_cast<int32_t>(*i);
      return Fail(n, std::string(key) + " value " + std::to_string(*i) + " is not supported");
    }
    if (const auto* str = std::get_if<std::string>(&v)) {
      if (const auto value = ir::EnumValue(table, *str)) return *value;
      return Fail(n, std::string(key) + " '" + *str + "' is not supported");
    }
    return Fail(n, std::string(key) + " must be an integer or a string");
  }
  return dflt;
}

const ir::Tensor* Input(const ir::Graph& g, const ir::Node& n, size_t i) {
  if (i >= n.inputs.size() || n.inputs[i] == ir::kNoTensor) return nullptr;
  return &g.tensor(n.inputs[i]);
}
const ir::Tensor* Output(const ir::Graph& g, const ir::Node& n, size_t i) {
  if (i >= n.outputs.size()) return nullptr;
  return &g.tensor(n.outputs[i]);
}

// Integer list attribute of exactly `count` values (or `dflt` repeated when absent).
Expected<std::vector<int64_t>> Ints(const ir::Node& n, const char* key, size_t count, int64_t dflt) {
  std::vector<int64_t> v = n.GetInts(key);
  if (!n.Has(key)) v.assign(count, dflt);
  if (v.size() != count)
    return Fail(n, std::string(key) + " has " + std::to_string(v.size()) + " values, expected " + std::to_string(count));
  for (int64_t x : v)
    if (!FitsI32(x)) return Fail(n, std::string(key) + " value " + std::to_string(x) + " does not fit in 32 bits");
  return v;
}

// Fused activation from attrs act / act_a / act_b. `act` is a name ("Relu", "LeakyRelu",
// "hard_sigmoid", ...) or a tgrs_act_kind_t number.
Expected<tgrs_act_t> Act(const ir::Node& n) {
  tgrs_act_t act{TGRS_ACT_NONE, 0.f, 0.f};
  if (!n.Has("act")) return act;
  const ir::AttrValue& v = n.attrs.at("act");
  if (const auto* i = std::get_if<int64_t>(&v)) {
    if (*i < TGRS_ACT_NONE || *i > TGRS_ACT_SILU) return Fail(n, "unknown fused activation " + std::to_string(*i));
    act.kind = static_cast<int32_t>(*i);
  } else if (const auto* s = std::get_if<std::string>(&v)) {
    static const std::pair<const char*, tgrs_act_kind_t> kNames[] = {
        {"", TGRS_ACT_NONE},          {"none", TGRS_ACT_NONE},
        {"relu", TGRS_ACT_RELU},      {"clip", TGRS_ACT_CLIP},
        {"leakyrelu", TGRS_ACT_LEAKY_RELU}, {"sigmoid", TGRS_ACT_SIGMOID},
        {"hardsigmoid", TGRS_ACT_HARD_SIGMOID}, {"hardswish", TGRS_ACT_HARD_SWISH},
        {"tanh", TGRS_ACT_TANH},      {"silu", TGRS_ACT_SILU},
        {"swish", TGRS_ACT_SILU}};
    const std::string key = Lower(*s);
    bool found = false;
    for (const auto& [name, kind] : kNames)
      if (key == name) {
        act.kind = kind;
        found = true;
      }
    if (!found) return Fail(n, "unknown fused activation '" + *s + "'");
  } else {
    return Fail(n, "attribute act must be a string or an integer");
  }
  switch (act.kind) {
    case TGRS_ACT_CLIP:
      act.a = -std::numeric_limits<float>::infinity();
      act.b = std::numeric_limits<float>::infinity();
      break;
    case TGRS_ACT_LEAKY_RELU: act.a = 0.01f; break;
    case TGRS_ACT_HARD_SIGMOID:
      act.a = 0.2f;
      act.b = 0.5f;
      break;
    default: break;
  }
  act.a = n.GetFloat("act_a", act.a);
  act.b = n.GetFloat("act_b", act.b);
  return act;
}

// Rank of the node's first input (the data tensor every spatial/axis op is defined on).
Expected<size_t> DataRank(const ir::Graph& g, const ir::Node& n) {
  const ir::Tensor* x = Input(g, n, 0);
  if (x == nullptr) return Fail(n, "has no data input");
  if (x->shape.size() > TGRS_MAX_RANK) return Fail(n, "input rank " + std::to_string(x->shape.size()) + " exceeds 8");
  return x->shape.size();
}

// The spatial fields shared by conv and pool records, 1-D mapped onto the *_w fields.
struct Spatial {
  int32_t kernel_h = 1, kernel_w = 1, stride_h = 1, stride_w = 1, dilation_h = 1, dilation_w = 1;
  int32_t pad_top = 0, pad_left = 0, pad_bottom = 0, pad_right = 0;
};

// ConvTranspose may carry negative end pads (output_padding folded in by the frontend, see
// docs/ir.md); the kernel derives output_padding from the output dims instead, and only the
// output count depends on the end pad, so a negative end pad is written as 0.
Expected<Spatial> SpatialAttrs(const ir::Graph& g, const ir::Node& n, bool kernel_from_weight) {
  const bool transposed = n.kind == ir::OpKind::kConvTranspose;
  TIGRIS_ASSIGN_OR_RETURN(size_t rank, DataRank(g, n));
  if (rank != 3 && rank != 4)
    return Fail(n, "only 1-D and 2-D spatial ops are supported (input rank " + std::to_string(rank) + ")");
  const size_t sp = rank - 2;
  std::vector<int64_t> k = n.GetInts("kernel_shape");
  if (k.empty() && kernel_from_weight) {
    const ir::Tensor* w = Input(g, n, 1);
    if (w != nullptr && w->shape.size() == rank) k.assign(w->shape.begin() + 2, w->shape.end());
  }
  if (k.size() != sp) return Fail(n, "kernel_shape must have " + std::to_string(sp) + " values");
  TIGRIS_ASSIGN_OR_RETURN(auto strides, Ints(n, "strides", sp, 1));
  TIGRIS_ASSIGN_OR_RETURN(auto dil, Ints(n, "dilations", sp, 1));
  TIGRIS_ASSIGN_OR_RETURN(auto pads, Ints(n, "pads", 2 * sp, 0));
  for (size_t i = 0; i < sp; ++i) {
    if (k[i] < 1 || !FitsI32(k[i])) return Fail(n, "kernel_shape value " + std::to_string(k[i]) + " is invalid");
    if (strides[i] < 1) return Fail(n, "strides must be >= 1");
    if (dil[i] < 1) return Fail(n, "dilations must be >= 1");
    if (transposed && pads[i + sp] < 0) pads[i + sp] = 0;
    if (pads[i] < 0 || pads[i + sp] < 0) return Fail(n, "pads must be >= 0");
  }
  Spatial s;
  if (sp == 1) {
    s.kernel_w = static_cast<int32_t>(k[0]);
    s.stride_w = static_cast<int32_t>(strides[0]);
    s.dilation_w = static_cast<int32_t>(dil[0]);
    s.pad_left = static_cast<int32_t>(pads[0]);
    s.pad_right = static_cast<int32_t>(pads[1]);
  } else {
    s.kernel_h = static_cast<int32_t>(k[0]);
    s.kernel_w = static_cast<int32_t>(k[1]);
    s.stride_h = static_cast<int32_t>(strides[0]);
    s.stride_w = static_cast<int32_t>(strides[1]);
    s.dilation_h = static_cast<int32_t>(dil[0]);
    s.dilation_w = static_cast<int32_t>(dil[1]);
    s.pad_top = static_cast<int32_t>(pads[0]);
    s.pad_left = static_cast<int32_t>(pads[1]);
    s.pad_bottom = static_cast<int32_t>(pads[2]);
    s.pad_right = static_cast<int32_t>(pads[3]);
  }
  return s;
}

// The window fields conv and pool params share, in the same names.
template <typename Params>
void CopyWindow(const Spatial& s, Params& p) {
  p.kernel_h = s.kernel_h;
  p.kernel_w = s.kernel_w;
  p.stride_h = s.stride_h;
  p.stride_w = s.stride_w;
  p.dilation_h = s.dilation_h;
  p.dilation_w = s.dilation_w;
  p.pad_top = s.pad_top;
  p.pad_left = s.pad_left;
  p.pad_bottom = s.pad_bottom;
  p.pad_right = s.pad_right;
}

Expected<std::vector<uint32_t>> ConvParams(const ir::Graph& g, const ir::Node& n) {
  TIGRIS_ASSIGN_OR_RETURN(Spatial s, SpatialAttrs(g, n, /*kernel_from_weight=*/true));
  TIGRIS_ASSIGN_OR_RETURN(tgrs_act_t act, Act(n));
  const int64_t group = n.GetInt("group", 1);
  if (group < 1 || !FitsI32(group)) return Fail(n, "group " + std::to_string(group) + " is invalid");
  tgrs_conv_params_t p{};
  CopyWindow(s, p);
  p.group = static_cast<int32_t>(group);
  p.act = act;
  return Words(p);
}

Expected<std::vector<uint32_t>> PoolParams(const ir::Graph& g, const ir::Node& n) {
  TIGRIS_ASSIGN_OR_RETURN(Spatial s, SpatialAttrs(g, n, /*kernel_from_weight=*/false));
  tgrs_pool_params_t p{};
  CopyWindow(s, p);
  p.count_include_pad = n.kind == ir::OpKind::kAveragePool && n.GetInt("count_include_pad", 0) != 0 ? 1 : 0;
  return Words(p);
}

Expected<std::vector<uint32_t>> AxisParams(const ir::Graph& g, const ir::Node& n, int64_t dflt) {
  TIGRIS_ASSIGN_OR_RETURN(size_t rank, DataRank(g, n));
  if (!n.Has("axis") && n.kind == ir::OpKind::kConcat) return Fail(n, "missing attribute axis");
  int64_t axis = n.GetInt("axis", dflt);
  const auto r = static_cast<int64_t>(rank);
  if (axis < 0) axis += r;
  if (axis < 0 || axis >= std::max<int64_t>(r, 1))
    return Fail(n, "axis " + std::to_string(n.GetInt("axis", dflt)) + " is out of range for rank " + std::to_string(rank));
  tgrs_axis_params_t p{static_cast<int32_t>(axis)};
  return Words(p);
}

// Accumulation flags and divisor of a reduction: the whole reduction in one call, unless the
// partitioner split it into strips (attributes acc_flags / acc_count, docs/ir.md).
Status AccumulationParams(const ir::Node& n, int64_t count, int32_t* flags, int32_t* out_count) {
  *flags = TGRS_ACC_BEGIN | TGRS_ACC_END;
  *out_count = static_cast<int32_t>(count);
  if (n.Has("acc_flags")) {
    const int64_t f = n.GetInt("acc_flags");
    if (f < 0 || f > (TGRS_ACC_BEGIN | TGRS_ACC_END)) return Fail(n, "acc_flags " + std::to_string(f) + " is not valid");
    *flags = static_cast<int32_t>(f);
  }
  if (n.Has("acc_count")) {
    const int64_t c = n.GetInt("acc_count");
    if (c < 1 || !FitsI32(c)) return Fail(n, "acc_count " + std::to_string(c) + " is not valid");
    *out_count = static_cast<int32_t>(c);
  }
  return Status::Ok();
}

Expected<std::vector<uint32_t>> ReduceParams(const ir::Graph& g, const ir::Node& n) {
  TIGRIS_ASSIGN_OR_RETURN(size_t rank, DataRank(g, n));
  std::vector<int64_t> axes = n.GetInts("axes");
  if (axes.empty())
    for (size_t d = 0; d < rank; ++d) axes.push_back(static_cast<int64_t>(d));
  tgrs_reduce_params_t p{};
  for (int64_t a : axes) {
    if (a < 0 || a >= static_cast<int64_t>(rank)) return Fail(n, "axis " + std::to_string(a) + " is out of range");
    p.axes_mask |= static_cast<int32_t>(1u << a);
  }
  p.keepdims = n.GetInt("keepdims", 1) != 0 ? 1 : 0;
  // untiled: one call does the whole reduction
  const ir::Tensor* x = Input(g, n, 0);
  int64_t count = 1;
  for (size_t d = 0; d < rank; ++d)
    if ((p.axes_mask >> d) & 1) count *= x->shape[d];
  if (count < 1 || !FitsI32(count)) return Fail(n, "reduces " + std::to_string(count) + " elements");
  TIGRIS_RETURN_IF_ERROR(AccumulationParams(n, count, &p.flags, &p.count));
  return Words(p);
}

Expected<std::vector<uint32_t>> SliceParams(const ir::Graph& g, const ir::Node& n) {
  TIGRIS_ASSIGN_OR_RETURN(size_t rank, DataRank(g, n));
  const ir::Tensor* x = Input(g, n, 0);
  const ir::Tensor* y = Output(g, n, 0);
  if (y == nullptr || y->shape.size() != rank) return Fail(n, "output rank differs from input rank");
  if (!n.Has("starts")) return Fail(n, "missing attribute starts");
  TIGRIS_ASSIGN_OR_RETURN(auto starts, Ints(n, "starts", rank, 0));
  TIGRIS_ASSIGN_OR_RETURN(auto steps, Ints(n, "steps", rank, 1));
  tgrs_slice_params_t p{};
  for (size_t d = 0; d < rank; ++d) {
    if (steps[d] == 0) return Fail(n, "step 0 on dim " + std::to_string(d));
    const int64_t in = x->shape[d], out = y->shape[d];
    const int64_t last = starts[d] + (out - 1) * steps[d];
    if (out > 0 && (starts[d] < 0 || starts[d] >= in || last < 0 || last >= in))
      return Fail(n, "dim " + std::to_string(d) + ": start " + std::to_string(starts[d]) + " step " +
                         std::to_string(steps[d]) + " reads outside the input (" + std::to_string(in) + ")");
    p.start[d] = static_cast<int32_t>(starts[d]);
    p.step[d] = static_cast<int32_t>(steps[d]);
  }
  return Words(p);
}

Expected<std::vector<uint32_t>> TransposeParams(const ir::Graph& g, const ir::Node& n) {
  TIGRIS_ASSIGN_OR_RETURN(size_t rank, DataRank(g, n));
  std::vector<int64_t> perm = n.GetInts("perm");
  if (!n.Has("perm"))
    for (size_t d = rank; d-- > 0;) perm.push_back(static_cast<int64_t>(d));
  if (perm.size() != rank) return Fail(n, "perm must have " + std::to_string(rank) + " values");
  std::vector<bool> seen(rank, false);
  tgrs_transpose_params_t p{};
  for (size_t i = 0; i < rank; ++i) {
    if (perm[i] < 0 || perm[i] >= static_cast<int64_t>(rank) || seen[static_cast<size_t>(perm[i])])
      return Fail(n, "perm is not a permutation of 0.." + std::to_string(rank - 1));
    seen[static_cast<size_t>(perm[i])] = true;
    p.perm[i] = static_cast<int32_t>(perm[i]);
  }
  return Words(p);
}

Expected<std::vector<uint32_t>> PadParams(const ir::Graph& g, const ir::Node& n) {
  TIGRIS_ASSIGN_OR_RETURN(size_t rank, DataRank(g, n));
  const ir::Tensor* x = Input(g, n, 0);
  const ir::Tensor* y = Output(g, n, 0);
  if (y == nullptr || y->shape.size() != rank) return Fail(n, "output rank differs from input rank");
  TIGRIS_ASSIGN_OR_RETURN(auto pads, Ints(n, "pads", 2 * rank, 0));
  tgrs_pad_params_t p{};
  TIGRIS_ASSIGN_OR_RETURN(p.mode, EnumAttr(n, {"mode"}, ir::kPadModes, TGRS_PAD_CONSTANT));
  p.value = n.GetFloat("value", 0.f);
  for (size_t d = 0; d < rank; ++d) {
    if (x->shape[d] + pads[d] + pads[d + rank] != y->shape[d])
      return Fail(n, "pads on dim " + std::to_string(d) + " do not match the output shape");
    p.pad_begin[d] = static_cast<int32_t>(pads[d]);
  }
  return Words(p);
}

Expected<std::vector<uint32_t>> ResizeParams(const ir::Graph& g, const ir::Node& n) {
  TIGRIS_ASSIGN_OR_RETURN(size_t rank, DataRank(g, n));
  const ir::Tensor* x = Input(g, n, 0);
  const ir::Tensor* y = Output(g, n, 0);
  if (y == nullptr || y->shape.size() != rank) return Fail(n, "output rank differs from input rank");
  tgrs_resize_params_t p{};
  TIGRIS_ASSIGN_OR_RETURN(p.mode, EnumAttr(n, {"mode"}, ir::kResizeModes, TGRS_RESIZE_NEAREST));
  TIGRIS_ASSIGN_OR_RETURN(
      p.coord_mode,
      EnumAttr(n, {"coord_mode", "coordinate_transformation_mode"}, ir::kCoordModes, TGRS_COORD_HALF_PIXEL));
  TIGRIS_ASSIGN_OR_RETURN(p.nearest_mode, EnumAttr(n, {"nearest_mode"}, ir::kNearestModes, TGRS_NEAREST_ROUND_PREFER_FLOOR));
  p.cubic_coeff_a = n.GetFloat("cubic_coeff_a", -0.75f);
  p.exclude_outside = n.GetInt("exclude_outside", 0) != 0 ? 1 : 0;
  std::vector<float> scales = n.GetFloats("scales");
  if (scales.empty())
    for (size_t d = 0; d < rank; ++d)
      scales.push_back(static_cast<float>(static_cast<double>(y->shape[d]) / static_cast<double>(x->shape[d])));
  if (scales.size() != rank) return Fail(n, "scales must have " + std::to_string(rank) + " values");
  for (size_t d = 0; d < rank; ++d) {
    if (!(scales[d] > 0.f)) return Fail(n, "scale on dim " + std::to_string(d) + " must be > 0");
    p.scale[d] = scales[d];
    // untiled: the window is the whole tensors
    if (!FitsI32(x->shape[d]) || !FitsI32(y->shape[d])) return Fail(n, "dim " + std::to_string(d) + " does not fit in 32 bits");
    p.in_origin[d] = 0;
    p.out_origin[d] = 0;
    p.in_full[d] = static_cast<int32_t>(x->shape[d]);
    p.out_full[d] = static_cast<int32_t>(y->shape[d]);
  }
  // A tile of a Resize (docs/ir.md: window_* attributes set by the partitioner).
  const char* const keys[4] = {"window_in_origin", "window_out_origin", "window_in_full", "window_out_full"};
  int32_t* const fields[4] = {p.in_origin, p.out_origin, p.in_full, p.out_full};
  for (int k = 0; k < 4; ++k) {
    if (!n.Has(keys[k])) continue;
    TIGRIS_ASSIGN_OR_RETURN(std::vector<int64_t> v, Ints(n, keys[k], rank, 0));
    for (size_t d = 0; d < rank; ++d) fields[k][d] = static_cast<int32_t>(v[d]);
  }
  return Words(p);
}

// Elements per (N, C) plane a global pool reduces: the product of the input's spatial dims.
Expected<int64_t> GlobalPoolPlane(const ir::Graph& g, const ir::Node& n) {
  TIGRIS_ASSIGN_OR_RETURN(size_t rank, DataRank(g, n));
  const ir::Tensor* x = Input(g, n, 0);
  if (rank < 3) return Fail(n, "needs an input of rank >= 3 (N, C, spatial...)");
  int64_t count = 1;
  for (size_t d = 2; d < rank; ++d) count *= x->shape[d];
  if (count < 1 || !FitsI32(count)) return Fail(n, "pools " + std::to_string(count) + " elements per plane");
  return count;
}

// Untiled global pool: one call over the whole spatial extent (dims 2..).
Expected<std::vector<uint32_t>> GlobalPoolParams(const ir::Graph& g, const ir::Node& n) {
  TIGRIS_ASSIGN_OR_RETURN(int64_t count, GlobalPoolPlane(g, n));
  tgrs_global_pool_params_t p{};
  TIGRIS_RETURN_IF_ERROR(AccumulationParams(n, count, &p.flags, &p.count));
  return Words(p);
}

Expected<std::vector<uint32_t>> UnaryParams(const ir::Node& n) {
  const ir::UnaryOperands ops = ir::UnaryOperandsOf(n);
  tgrs_unary_params_t p{ops.a, ops.b};
  return Words(p);
}

Expected<std::vector<uint32_t>> GemmParams(const ir::Node& n) {
  TIGRIS_ASSIGN_OR_RETURN(tgrs_act_t act, Act(n));
  tgrs_gemm_params_t p{};
  p.trans_a = n.GetInt("transA", 0) != 0 ? 1 : 0;
  p.trans_b = n.GetInt("transB", 0) != 0 ? 1 : 0;
  p.alpha = n.GetFloat("alpha", 1.f);
  p.beta = n.GetFloat("beta", 1.f);
  p.act = act;
  return Words(p);
}

// An axis attribute normalized into [0, rank) (ONNX's negative axes counted from the end).
Expected<int32_t> AxisAttr(const ir::Node& n, size_t rank, int64_t dflt) {
  int64_t axis = n.GetInt("axis", dflt);
  if (axis < 0) axis += static_cast<int64_t>(rank);
  if (axis < 0 || axis >= static_cast<int64_t>(rank))
    return Fail(n, "axis " + std::to_string(n.GetInt("axis", dflt)) + " is out of range for rank " + std::to_string(rank));
  return static_cast<int32_t>(axis);
}

Expected<std::vector<uint32_t>> ArgReduceParams(const ir::Graph& g, const ir::Node& n) {
  TIGRIS_ASSIGN_OR_RETURN(size_t rank, DataRank(g, n));
  tgrs_arg_reduce_params_t p{};
  TIGRIS_ASSIGN_OR_RETURN(p.axis, AxisAttr(n, rank, 0));
  p.keepdims = n.GetInt("keepdims", 1) != 0 ? 1 : 0;
  p.select_last_index = n.GetInt("select_last_index", 0) != 0 ? 1 : 0;
  return Words(p);
}

Expected<std::vector<uint32_t>> DepthSpaceParams(const ir::Node& n) {
  tgrs_depth_space_params_t p{};
  const int64_t b = n.GetInt("blocksize", 0);
  if (b < 1 || !FitsI32(b)) return Fail(n, "blocksize " + std::to_string(b) + " is invalid");
  p.blocksize = static_cast<int32_t>(b);
  if (n.kind == ir::OpKind::kDepthToSpace) {
    TIGRIS_ASSIGN_OR_RETURN(p.mode, EnumAttr(n, {"mode"}, ir::kDepthSpaceModes, TGRS_DEPTH_SPACE_DCR));
  }
  return Words(p);
}

Expected<std::vector<uint32_t>> LpNormParams(const ir::Graph& g, const ir::Node& n) {
  TIGRIS_ASSIGN_OR_RETURN(size_t rank, DataRank(g, n));
  tgrs_lp_norm_params_t p{};
  TIGRIS_ASSIGN_OR_RETURN(p.axis, AxisAttr(n, rank, -1));
  const int64_t lp = n.GetInt("p", 2);
  if (lp != 1 && lp != 2) return Fail(n, "p=" + std::to_string(lp) + " is not supported (1 or 2)");
  p.p = static_cast<int32_t>(lp);
  return Words(p);
}

// Instance/Layer/GroupNormalization.
Expected<std::vector<uint32_t>> NormParams(const ir::Graph& g, const ir::Node& n) {
  TIGRIS_ASSIGN_OR_RETURN(size_t rank, DataRank(g, n));
  tgrs_norm_params_t p{};
  p.epsilon = n.GetFloat("epsilon", 1e-5f);
  if (n.kind == ir::OpKind::kLayerNormalization) {
    TIGRIS_ASSIGN_OR_RETURN(p.axis, AxisAttr(n, rank, -1));
  }
  if (n.kind == ir::OpKind::kGroupNormalization) {
    const int64_t groups = n.GetInt("num_groups", 0);
    if (groups < 1 || !FitsI32(groups)) return Fail(n, "num_groups " + std::to_string(groups) + " is invalid");
    p.num_groups = static_cast<int32_t>(groups);
  }
  return Words(p);
}

Expected<std::vector<uint32_t>> TopKParams(const ir::Graph& g, const ir::Node& n) {
  TIGRIS_ASSIGN_OR_RETURN(size_t rank, DataRank(g, n));
  tgrs_topk_params_t p{};
  TIGRIS_ASSIGN_OR_RETURN(p.axis, AxisAttr(n, rank, -1));
  const int64_t k = n.GetInt("k", 0);
  if (k < 1 || !FitsI32(k)) return Fail(n, "k " + std::to_string(k) + " is invalid");
  p.k = static_cast<int32_t>(k);
  p.largest = n.GetInt("largest", 1) != 0 ? 1 : 0;
  p.sorted = n.GetInt("sorted", 1) != 0 ? 1 : 0;
  return Words(p);
}

// LSTM / GRU / RNN (docs/ir.md): the functions per direction in `activations` (3 per
// direction for LSTM, 2 for GRU, 1 for RNN), with alpha/beta already resolved by the frontend.
Expected<std::vector<uint32_t>> RnnParams(const ir::Graph& g, const ir::Node& n) {
  const size_t per_dir = n.kind == ir::OpKind::kLSTM ? 3 : (n.kind == ir::OpKind::kGRU ? 2 : 1);
  tgrs_rnn_params_t p{};
  const int64_t hidden = n.GetInt("hidden_size", 0);
  const int64_t direction = n.GetInt("direction", TGRS_RNN_FORWARD);
  const int64_t layout = n.GetInt("layout", 0);
  const int64_t outputs = n.GetInt("outputs", 0);
  if (hidden < 1 || !FitsI32(hidden)) return Fail(n, "hidden_size " + std::to_string(hidden) + " is invalid");
  if (direction < TGRS_RNN_FORWARD || direction > TGRS_RNN_BIDIRECTIONAL)
    return Fail(n, "direction " + std::to_string(direction) + " is invalid");
  if (layout != 0 && layout != 1) return Fail(n, "layout " + std::to_string(layout) + " is invalid");
  const int64_t all = n.kind == ir::OpKind::kLSTM ? 7 : 3;
  if (outputs < 1 || outputs > all) return Fail(n, "outputs mask " + std::to_string(outputs) + " is invalid");
  size_t n_out = 0;
  for (int64_t bit = 1; bit <= 4; bit <<= 1) n_out += (outputs & bit) ? 1 : 0;
  if (n_out != n.outputs.size())
    return Fail(n, "outputs mask " + std::to_string(outputs) + " names " + std::to_string(n_out) + " outputs, the node has " +
                       std::to_string(n.outputs.size()));
  const float clip = n.GetFloat("clip", std::numeric_limits<float>::infinity());
  if (!(clip >= 0.f)) return Fail(n, "clip must be >= 0");
  p.hidden_size = static_cast<int32_t>(hidden);
  p.direction = static_cast<int32_t>(direction);
  p.layout = static_cast<int32_t>(layout);
  p.outputs = static_cast<int32_t>(outputs);
  p.clip = clip;
  p.input_forget = n.kind == ir::OpKind::kLSTM && n.GetInt("input_forget", 0) != 0 ? 1 : 0;
  p.linear_before_reset = n.kind == ir::OpKind::kGRU && n.GetInt("linear_before_reset", 0) != 0 ? 1 : 0;
  const size_t dirs = direction == TGRS_RNN_BIDIRECTIONAL ? 2 : 1;
  const std::vector<int64_t> kinds = n.GetInts("activations");
  std::vector<float> alpha = n.GetFloats("activation_alpha"), beta = n.GetFloats("activation_beta");
  if (kinds.size() != dirs * per_dir)
    return Fail(n, "activations has " + std::to_string(kinds.size()) + " entries, expected " + std::to_string(dirs * per_dir));
  alpha.resize(kinds.size(), 0.f);
  beta.resize(kinds.size(), 0.f);
  for (auto& a : p.act) a = tgrs_rnn_act_t{TGRS_RNN_ACT_SIGMOID, 0.f, 0.f};
  for (size_t d = 0; d < dirs; ++d)
    for (size_t k = 0; k < per_dir; ++k) {
      const size_t i = d * per_dir + k;
      if (kinds[i] < TGRS_RNN_ACT_SIGMOID || kinds[i] > TGRS_RNN_ACT_SOFTPLUS)
        return Fail(n, "activation kind " + std::to_string(kinds[i]) + " is invalid");
      if (!std::isfinite(alpha[i]) || !std::isfinite(beta[i])) return Fail(n, "activation alpha/beta must be finite");
      p.act[3 * d + k] = tgrs_rnn_act_t{static_cast<int32_t>(kinds[i]), alpha[i], beta[i]};
    }
  const ir::Tensor* x = Input(g, n, 0);
  if (x == nullptr || x->shape.size() != 3) return Fail(n, "needs a rank-3 input X");
  return Words(p);
}

Expected<std::vector<uint32_t>> QdqParams(const ir::Node& n) {
  tgrs_qdq_params_t p{};
  p.scale = n.GetFloat("scale", 0.f);
  if (!(p.scale > 0.f) || !std::isfinite(p.scale)) return Fail(n, "scale must be finite and > 0");
  const int64_t zp = n.GetInt("zero_point", 0);
  if (zp < -128 || zp > 255) return Fail(n, "zero_point " + std::to_string(zp) + " is out of range");
  p.zero_point = static_cast<int32_t>(zp);
  return Words(p);
}

// ---- int8 records (ops_s8.def column `params`); the attributes are LowerQdq's (docs/int8.md) ----

// A required integer attribute of an int8 node, as int32.
Expected<int32_t> QInt(const ir::Node& n, const char* key) {
  if (!n.Has(key)) return Fail(n, std::string("int8 node lacks attribute ") + key);
  const int64_t v = n.GetInt(key);
  if (!FitsI32(v)) return Fail(n, std::string(key) + " value " + std::to_string(v) + " does not fit in 32 bits");
  return static_cast<int32_t>(v);
}

// Zero points and the output clamp shared by most int8 records.
struct QCommon {
  int32_t x_zp = 0, y_zp = 0, q_min = -128, q_max = 127;
};
Expected<QCommon> QCommonAttrs(const ir::Node& n, bool x_zp, bool y_zp) {
  QCommon c;
  if (x_zp) {
    TIGRIS_ASSIGN_OR_RETURN(c.x_zp, QInt(n, "x_zp"));
  }
  if (y_zp) {
    TIGRIS_ASSIGN_OR_RETURN(c.y_zp, QInt(n, "y_zp"));
  }
  TIGRIS_ASSIGN_OR_RETURN(c.q_min, QInt(n, "q_min"));
  TIGRIS_ASSIGN_OR_RETURN(c.q_max, QInt(n, "q_max"));
  return c;
}

Expected<std::vector<uint32_t>> ConvS8Params(const ir::Graph& g, const ir::Node& n) {
  TIGRIS_ASSIGN_OR_RETURN(Spatial s, SpatialAttrs(g, n, /*kernel_from_weight=*/true));
  TIGRIS_ASSIGN_OR_RETURN(QCommon q, QCommonAttrs(n, true, true));
  const int64_t group = n.GetInt("group", 1);
  if (group < 1 || !FitsI32(group)) return Fail(n, "group " + std::to_string(group) + " is invalid");
  tgrs_conv_s8_params_t p{};
  CopyWindow(s, p);
  p.group = static_cast<int32_t>(group);
  p.input_zp = q.x_zp;
  p.output_zp = q.y_zp;
  p.act_min = q.q_min;
  p.act_max = q.q_max;
  return Words(p);
}

Expected<std::vector<uint32_t>> PoolS8Params(const ir::Graph& g, const ir::Node& n) {
  TIGRIS_ASSIGN_OR_RETURN(Spatial s, SpatialAttrs(g, n, /*kernel_from_weight=*/false));
  TIGRIS_ASSIGN_OR_RETURN(QCommon q, QCommonAttrs(n, true, false));
  tgrs_pool_s8_params_t p{};
  CopyWindow(s, p);
  p.count_include_pad = n.kind == ir::OpKind::kAveragePool && n.GetInt("count_include_pad", 0) != 0 ? 1 : 0;
  p.input_zp = q.x_zp;
  p.act_min = q.q_min;
  p.act_max = q.q_max;
  return Words(p);
}

Expected<std::vector<uint32_t>> EncodeParamsS8(const ir::Graph& g, const ir::Node& n) {
  using P = ir::ParamsS8;
  switch (ir::S8ParamsOf(n.kind)) {
    case P::kConvS8: return ConvS8Params(g, n);
    case P::kGemmS8: {
      TIGRIS_ASSIGN_OR_RETURN(QCommon q, QCommonAttrs(n, true, true));
      tgrs_gemm_s8_params_t p{};
      p.trans_a = n.GetInt("transA", 0) != 0 ? 1 : 0;
      p.trans_b = n.GetInt("transB", 0) != 0 ? 1 : 0;
      p.a_zp = q.x_zp;
      p.output_zp = q.y_zp;
      p.act_min = q.q_min;
      p.act_max = q.q_max;
      return Words(p);
    }
    case P::kMatMulS8: {
      TIGRIS_ASSIGN_OR_RETURN(QCommon q, QCommonAttrs(n, true, true));
      tgrs_matmul_s8_params_t p{q.x_zp, q.y_zp, q.q_min, q.q_max};
      return Words(p);
    }
    case P::kAddS8: {
      tgrs_add_s8_params_t p{};
      TIGRIS_ASSIGN_OR_RETURN(p.a_zp, QInt(n, "a_zp"));
      TIGRIS_ASSIGN_OR_RETURN(p.b_zp, QInt(n, "b_zp"));
      TIGRIS_ASSIGN_OR_RETURN(p.output_zp, QInt(n, "y_zp"));
      TIGRIS_ASSIGN_OR_RETURN(p.left_shift, QInt(n, "left_shift"));
      TIGRIS_ASSIGN_OR_RETURN(p.a_mult, QInt(n, "a_mult"));
      TIGRIS_ASSIGN_OR_RETURN(p.a_shift, QInt(n, "a_shift"));
      TIGRIS_ASSIGN_OR_RETURN(p.b_mult, QInt(n, "b_mult"));
      TIGRIS_ASSIGN_OR_RETURN(p.b_shift, QInt(n, "b_shift"));
      TIGRIS_ASSIGN_OR_RETURN(p.output_mult, QInt(n, "y_mult"));
      TIGRIS_ASSIGN_OR_RETURN(p.output_shift, QInt(n, "y_shift"));
      TIGRIS_ASSIGN_OR_RETURN(p.act_min, QInt(n, "q_min"));
      TIGRIS_ASSIGN_OR_RETURN(p.act_max, QInt(n, "q_max"));
      return Words(p);
    }
    case P::kMulS8: {
      tgrs_mul_s8_params_t p{};
      TIGRIS_ASSIGN_OR_RETURN(p.a_zp, QInt(n, "a_zp"));
      TIGRIS_ASSIGN_OR_RETURN(p.b_zp, QInt(n, "b_zp"));
      TIGRIS_ASSIGN_OR_RETURN(p.output_zp, QInt(n, "y_zp"));
      TIGRIS_ASSIGN_OR_RETURN(p.output_mult, QInt(n, "y_mult"));
      TIGRIS_ASSIGN_OR_RETURN(p.output_shift, QInt(n, "y_shift"));
      TIGRIS_ASSIGN_OR_RETURN(p.act_min, QInt(n, "q_min"));
      TIGRIS_ASSIGN_OR_RETURN(p.act_max, QInt(n, "q_max"));
      return Words(p);
    }
    case P::kPoolS8: return PoolS8Params(g, n);
    case P::kGlobalAvgPoolS8: {
      TIGRIS_ASSIGN_OR_RETURN(int64_t count, GlobalPoolPlane(g, n));
      TIGRIS_ASSIGN_OR_RETURN(QCommon q, QCommonAttrs(n, true, true));
      tgrs_global_avgpool_s8_params_t p{};
      TIGRIS_RETURN_IF_ERROR(AccumulationParams(n, count, &p.flags, &p.count));
      p.input_zp = q.x_zp;
      p.output_zp = q.y_zp;
      TIGRIS_ASSIGN_OR_RETURN(p.mult, QInt(n, "y_mult"));
      TIGRIS_ASSIGN_OR_RETURN(p.shift, QInt(n, "y_shift"));
      p.act_min = q.q_min;
      p.act_max = q.q_max;
      return Words(p);
    }
    case P::kGlobalMaxPoolS8: {
      TIGRIS_ASSIGN_OR_RETURN(int64_t count, GlobalPoolPlane(g, n));
      TIGRIS_ASSIGN_OR_RETURN(QCommon q, QCommonAttrs(n, false, false));
      tgrs_global_maxpool_s8_params_t p{};
      TIGRIS_RETURN_IF_ERROR(AccumulationParams(n, count, &p.flags, &p.count));
      p.act_min = q.q_min;
      p.act_max = q.q_max;
      return Words(p);
    }
    case P::kSoftmaxS8: {
      TIGRIS_ASSIGN_OR_RETURN(size_t rank, DataRank(g, n));
      tgrs_softmax_s8_params_t p{};
      TIGRIS_ASSIGN_OR_RETURN(p.axis, AxisAttr(n, rank, -1));
      TIGRIS_ASSIGN_OR_RETURN(p.input_mult, QInt(n, "softmax_mult"));
      TIGRIS_ASSIGN_OR_RETURN(p.input_left_shift, QInt(n, "softmax_shift"));
      TIGRIS_ASSIGN_OR_RETURN(p.diff_min, QInt(n, "diff_min"));
      return Words(p);
    }
    case P::kRequantizeS8: {
      TIGRIS_ASSIGN_OR_RETURN(QCommon q, QCommonAttrs(n, true, true));
      tgrs_requantize_s8_params_t p{};
      p.input_zp = q.x_zp;
      p.output_zp = q.y_zp;
      TIGRIS_ASSIGN_OR_RETURN(p.mult, QInt(n, "y_mult"));
      TIGRIS_ASSIGN_OR_RETURN(p.shift, QInt(n, "y_shift"));
      p.act_min = q.q_min;
      p.act_max = q.q_max;
      return Words(p);
    }
    case P::kResizeNearestS8: {
      TIGRIS_ASSIGN_OR_RETURN(size_t rank, DataRank(g, n));
      tgrs_resize_nearest_s8_params_t p{};
      TIGRIS_ASSIGN_OR_RETURN(std::vector<int64_t> offsets, Ints(n, "table_offset", rank, 0));
      const char* const keys[2] = {"window_in_origin", "window_out_origin"};
      int32_t* const fields[2] = {p.in_origin, p.out_origin};
      for (int k = 0; k < 2; ++k) {
        if (!n.Has(keys[k])) continue;
        TIGRIS_ASSIGN_OR_RETURN(std::vector<int64_t> v, Ints(n, keys[k], rank, 0));
        for (size_t d = 0; d < rank; ++d) fields[k][d] = static_cast<int32_t>(v[d]);
      }
      for (size_t d = 0; d < rank; ++d) p.table_offset[d] = static_cast<int32_t>(offsets[d]);
      return Words(p);
    }
    case P::kPadS8: {
      TIGRIS_ASSIGN_OR_RETURN(std::vector<uint32_t> f, PadParams(g, n));  // validates pads and mode
      tgrs_pad_params_t fp{};
      std::memcpy(&fp, f.data(), sizeof fp);
      tgrs_pad_s8_params_t p{};
      p.mode = fp.mode;
      TIGRIS_ASSIGN_OR_RETURN(p.value, QInt(n, "q_value"));
      std::memcpy(p.pad_begin, fp.pad_begin, sizeof p.pad_begin);
      return Words(p);
    }
    case P::kLut: {
      tgrs_empty_params_t p{0};
      return Words(p);
    }
    case P::kAxis: return AxisParams(g, n, 0);
    case P::kSlice: return SliceParams(g, n);
    case P::kTranspose: return TransposeParams(g, n);
    case P::kNone: break;
  }
  return Fail(n, "has no int8 kernel");
}

}  // namespace

// Dispatch by the row's params family (ops.def column `params`), or for a node that runs in the
// int8 table (ir::KernelDTypeOf) by its ops_s8.def row.
Expected<std::vector<uint32_t>> EncodeParams(const ir::Graph& g, const ir::Node& n) {
  using F = ir::ParamsFamily;
  if (ir::KernelDTypeOf(g, n) == ir::DType::kI8) return EncodeParamsS8(g, n);
  switch (ir::Traits(n.kind).params) {
    case F::kQdq: return QdqParams(n);
    case F::kConv: return ConvParams(g, n);
    case F::kGemm: return GemmParams(n);
    case F::kAct: {
      TIGRIS_ASSIGN_OR_RETURN(tgrs_act_t act, Act(n));
      tgrs_act_params_t p{act};
      return Words(p);
    }
    case F::kUnary: return UnaryParams(n);
    case F::kAxis:  // ONNX's default axis
      return AxisParams(g, n, n.kind == ir::OpKind::kSoftmax || n.kind == ir::OpKind::kLogSoftmax ? -1 : 0);
    case F::kPool: return PoolParams(g, n);
    case F::kGlobalPool: return GlobalPoolParams(g, n);
    case F::kReduce: return ReduceParams(g, n);
    case F::kSlice: return SliceParams(g, n);
    case F::kTranspose: return TransposeParams(g, n);
    case F::kPad: return PadParams(g, n);
    case F::kResize: return ResizeParams(g, n);
    case F::kArgReduce: return ArgReduceParams(g, n);
    case F::kDepthSpace: return DepthSpaceParams(n);
    case F::kLpNorm: return LpNormParams(g, n);
    case F::kNorm: return NormParams(g, n);
    case F::kTopK: return TopKParams(g, n);
    case F::kRnn: return RnnParams(g, n);
    case F::kEmpty: {
      tgrs_empty_params_t p{0};
      return Words(p);
    }
    case F::kNone: break;
  }
  return Fail(n, "cannot be written to a plan (it must be folded or lowered by the passes first)");
}

Expected<tgrs_tensor_t> TensorView(const ir::Tensor& t) {
  tgrs_tensor_t v{};
  if (t.shape.size() > TGRS_MAX_RANK)
    return Unsupported("emit: tensor '" + t.name + "' has rank " + std::to_string(t.shape.size()) + " (max 8)");
  v.data = nullptr;
  v.dtype = static_cast<int32_t>(t.dtype);
  v.rank = static_cast<int32_t>(t.shape.size());
  for (size_t d = 0; d < t.shape.size(); ++d) {
    if (t.shape[d] < 1 || !FitsI32(t.shape[d]))
      return Unsupported("emit: tensor '" + t.name + "' has shape " + ir::ShapeString(t.shape) +
                         "; plans need every dim in 1..2^31-1");
    v.dims[d] = static_cast<int32_t>(t.shape[d]);
  }
  tgrs_tensor_set_dense(&v);
  if (!ir::IsRowMajor(t.shape, t.layout)) {  // its physical layout (ir::Tensor::layout)
    const std::vector<int64_t> st = ir::StridesOf(t);
    for (size_t d = 0; d < st.size(); ++d) v.strides[d] = static_cast<int32_t>(std::min<int64_t>(st[d], INT32_MAX));
  }
  return v;
}

planner::ScratchQuery KernelScratchQuery(const KernelBackend& backend) {
  return [backend](const ir::Graph& g, const ir::Node& n) -> Expected<uint64_t> {
    const auto code = static_cast<uint32_t>(n.kind);
    const auto dtype = static_cast<uint32_t>(ir::KernelDTypeOf(g, n));
    const tgrs_kernel_t* ref = tgrs_backend_kernel(&tgrs_backend_reference, code, dtype);
    const bool vendor = backend.vendor != nullptr && tgrs_backend_kernel(backend.vendor->table, code, dtype) != nullptr &&
                        tgrs_backend_kernel(backend.vendor->table, code, dtype)->run != nullptr;
    if (!vendor && (ref == nullptr || ref->scratch == nullptr)) return uint64_t{0};
    TIGRIS_ASSIGN_OR_RETURN(std::vector<uint32_t> params, EncodeParams(g, n));
    std::vector<tgrs_tensor_t> ins, outs;
    for (ir::TensorId t : planner::RuntimeInputs(g, n)) {
      if (t == ir::kNoTensor) {
        ins.push_back(tgrs_tensor_t{});
        continue;
      }
      TIGRIS_ASSIGN_OR_RETURN(tgrs_tensor_t v, TensorView(g.tensor(t)));
      ins.push_back(v);
    }
    for (ir::TensorId t : n.outputs) {
      TIGRIS_ASSIGN_OR_RETURN(tgrs_tensor_t v, TensorView(g.tensor(t)));
      outs.push_back(v);
    }
    tgrs_kernel_call_t call{};
    call.inputs = ins.data();
    call.n_inputs = static_cast<int32_t>(ins.size());
    call.outputs = outs.data();
    call.n_outputs = static_cast<int32_t>(outs.size());
    call.params = params.data();
    call.params_size = static_cast<uint32_t>(params.size() * 4);
    // A vendor call that takes its kernel gets the vendor's scratch, and never less than the
    // reference kernel's, which runs when the vendor's does not. The views are judged: the
    // tensors' physical layouts (ir::Tensor::layout) are fixed before planning, so a whole op
    // whose views are not the vendor's (e.g. a dense NCHW graph input) reserves no vendor scratch.
    // Its strips and bands are windows of these views; those that fall back keep the scratch.
    uint64_t need = (ref != nullptr && ref->scratch != nullptr) ? ref->scratch(&call) : 0;
    if (vendor && VendorRejects(backend, code, dtype, call, /*views=*/true) == nullptr)
      need = std::max<uint64_t>(need, backend.vendor->scratch(code, dtype, &call, backend.isa));
    return need;
  };
}

}  // namespace tigris::emit
