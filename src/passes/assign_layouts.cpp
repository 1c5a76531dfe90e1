// AssignLayouts: the physical layout of an int8 plan's tensors, the channels-last convention the
// vendor int8 backends (CMSIS-NN, ESP-NN) compute in (docs/int8.md, "Physical layout"). Only where
// elements lie changes (ir::Tensor::layout); dims, attributes and values stay logical, so every
// reference kernel (which reads strided views) computes the same bits and the plan stays
// backend-independent.
// - 4-D int8 activations [N,C,H,W] are stored NHWC, rank-3 [N,C,W] NWC, when their producer and
//   every reader take strided views (an int8 kernel other than Reshape, or QuantizeLinear /
//   DequantizeLinear) and they are neither graph inputs/outputs (the application's ABI) nor
//   aliased by a Reshape view (Reshape's kernel is dense-only).
// - int8 Conv weights [O,I,KH,KW]: OHWI for group 1, [KH][KW][O] for a depthwise Conv.
// - a constant int8 B [K,N] of MatMul / Gemm(transB=0) is stored [N][K].
// - the requantization table [C,2] of a Conv/Gemm/MatMul is stored planar (C multipliers, then C
//   shifts); a per-tensor [1,2] one is expanded to [C,2] first.
// Constants' bytes are rewritten into their physical order. A tensor whose layout is row-major
// anyway (only extent-1 dims move) keeps none.
// Pre: LowerQdq ran (int8 nodes have their final inputs); run last, right before planning. Post:
// every tensor's layout is empty or a permutation of its dims; a float graph is unchanged.
#include <algorithm>

#include "pass_util.h"
#include "tigris/ir/op_traits.h"
#include "tigris/passes/passes.h"

namespace tigris::passes {

namespace {

using ir::OpKind;
using Layout = std::vector<int32_t>;

bool IsInt8Node(const ir::Graph& g, const ir::Node& n) { return ir::KernelDTypeOf(g, n) == ir::DType::kI8; }

bool IsMatrixOp(const ir::Graph& g, const ir::Node& n) {
  return IsInt8Node(g, n) && (n.kind == OpKind::kConv || n.kind == OpKind::kGemm || n.kind == OpKind::kMatMul);
}

// Whether node n's kernel reads and writes any strided view of an int8 activation.
bool TakesStridedViews(const ir::Graph& g, const ir::Node& n) {
  if (n.kind == OpKind::kQuantizeLinear || n.kind == OpKind::kDequantizeLinear) return true;
  return IsInt8Node(g, n) && !ir::Traits(n.kind).view();
}

// The channels-last layout of an activation of rank 3 or 4 (channels = dim 1 innermost).
Layout ChannelsLast(size_t rank) { return rank == 4 ? Layout{0, 2, 3, 1} : Layout{0, 2, 1}; }

// The layout node n wants for its constant input k, or empty.
Layout WeightLayout(const ir::Graph& g, const ir::Node& n, size_t k) {
  const ir::Tensor& t = g.tensor(n.inputs[k]);
  if (k == 1 && n.kind == OpKind::kConv && t.dtype == ir::DType::kI8 && t.shape.size() == 4) {
    const int64_t group = n.GetInt("group", 1);
    const int64_t c_in = g.tensor(n.inputs[0]).shape.at(1);
    if (group == 1) return {0, 2, 3, 1};                                 // OHWI
    if (group == c_in && t.shape[1] == 1) return {1, 2, 3, 0};           // [KH][KW][O]
    return {};
  }
  if (k == 1 && (n.kind == OpKind::kGemm || n.kind == OpKind::kMatMul) && t.dtype == ir::DType::kI8 &&
      t.shape.size() == 2 && (n.kind == OpKind::kMatMul || n.GetInt("transB", 0) == 0))
    return {1, 0};  // [K,N] stored [N][K]
  if (k == 3 && t.dtype == ir::DType::kI32 && t.shape.size() == 2 && t.shape[1] == 2) return {1, 0};  // planar
  return {};
}

// Output channels of a Conv / Gemm / MatMul (what its requantization table is indexed by).
int64_t OutputChannels(const ir::Graph& g, const ir::Node& n) {
  const ir::Tensor& y = g.tensor(n.outputs[0]);
  if (y.shape.empty()) return 1;
  return n.kind == OpKind::kConv ? y.shape.at(1) : y.shape.back();
}

// Rewrites constant t's bytes from row-major into `layout` order and records the layout.
void Permute(ir::Tensor& t, Layout layout) {
  if (ir::IsRowMajor(t.shape, layout)) return;
  const std::vector<int64_t> to = ir::LayoutStrides(t.shape, layout);
  const auto es = static_cast<size_t>(ir::DTypeSize(t.dtype));
  const size_t rank = t.shape.size();
  std::vector<uint8_t> out(t.data.size());
  std::vector<int64_t> idx(rank, 0);
  for (size_t e = 0, n = static_cast<size_t>(t.NumElements()); e < n; ++e) {
    int64_t off = 0;
    for (size_t d = 0; d < rank; ++d) off += idx[d] * to[d];
    std::copy_n(t.data.begin() + static_cast<std::ptrdiff_t>(e * es), es,
                out.begin() + static_cast<std::ptrdiff_t>(static_cast<size_t>(off) * es));
    for (size_t d = rank; d-- > 0;) {  // row-major successor of idx
      if (++idx[d] < t.shape[d]) break;
      idx[d] = 0;
    }
  }
  t.data = std::move(out);
  t.layout = std::move(layout);
}

}  // namespace

Status AssignLayouts(ir::Graph& g) {
  if (std::none_of(g.nodes.begin(), g.nodes.end(), [&](const ir::Node& n) { return IsInt8Node(g, n); }))
    return Status::Ok();
  // 1. Per-tensor requantization tables become per channel, one table per node that expands it.
  std::set<std::string> names = detail::TensorNames(g);
  bool expanded = false;
  for (ir::Node& n : g.nodes) {
    if (!IsMatrixOp(g, n) || n.inputs.size() < 4 || n.inputs[3] == ir::kNoTensor) continue;
    const ir::Tensor& rq = g.tensor(n.inputs[3]);
    const int64_t c = OutputChannels(g, n);
    if (!rq.is_constant || rq.dtype != ir::DType::kI32 || rq.shape != std::vector<int64_t>{1, 2} || c <= 1) continue;
    ir::Tensor wide = rq;
    wide.name = detail::UniqueName(rq.name + "_x" + std::to_string(c), names);
    wide.shape = {c, 2};
    wide.data.clear();
    for (int64_t i = 0; i < c; ++i) wide.data.insert(wide.data.end(), rq.data.begin(), rq.data.end());
    n.inputs[3] = g.AddTensor(std::move(wide));
    expanded = true;
  }
  if (expanded) g.RemoveDead();  // the per-tensor tables nothing reads now

  const auto producers = g.Producers();
  const auto consumers = g.Consumers();
  // 2. Constants: the layout every reader wants (readers that disagree, or any other reader:
  // row-major).
  for (size_t t = 0; t < g.tensors.size(); ++t) {
    ir::Tensor& x = g.tensors[t];
    if (!x.is_constant || !x.layout.empty() || consumers[t].empty()) continue;
    Layout want;
    bool agreed = true;
    for (ir::NodeId c : consumers[t]) {
      const ir::Node& n = g.nodes[static_cast<size_t>(c)];
      for (size_t k = 0; k < n.inputs.size(); ++k) {
        if (n.inputs[k] != static_cast<ir::TensorId>(t)) continue;
        const Layout l = IsMatrixOp(g, n) ? WeightLayout(g, n, k) : Layout{};
        if (l.empty() || (!want.empty() && l != want)) agreed = false;
        want = l;
      }
    }
    if (agreed && !want.empty()) Permute(x, std::move(want));
  }

  // 3. Activations.
  std::vector<bool> fixed(g.tensors.size(), false);  // keeps row-major strides
  for (ir::TensorId t : g.inputs) fixed[static_cast<size_t>(t)] = true;
  for (ir::TensorId t : g.outputs) fixed[static_cast<size_t>(t)] = true;
  for (const ir::Node& n : g.nodes)
    if (ir::Traits(n.kind).view()) {
      for (ir::TensorId t : n.inputs)
        if (t != ir::kNoTensor) fixed[static_cast<size_t>(t)] = true;
      for (ir::TensorId t : n.outputs) fixed[static_cast<size_t>(t)] = true;
    }
  for (size_t t = 0; t < g.tensors.size(); ++t) {
    ir::Tensor& x = g.tensors[t];
    if (x.is_constant || fixed[t] || x.dtype != ir::DType::kI8 || (x.shape.size() != 3 && x.shape.size() != 4))
      continue;
    const ir::NodeId p = producers[t];
    if (p < 0 || !TakesStridedViews(g, g.nodes[static_cast<size_t>(p)])) continue;
    if (!std::all_of(consumers[t].begin(), consumers[t].end(),
                     [&](ir::NodeId c) { return TakesStridedViews(g, g.nodes[static_cast<size_t>(c)]); }))
      continue;
    Layout l = ChannelsLast(x.shape.size());
    if (!ir::IsRowMajor(x.shape, l)) x.layout = std::move(l);
  }
  return Status::Ok();
}

}  // namespace tigris::passes
