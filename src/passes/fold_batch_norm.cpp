// FoldBatchNorm: removes every BatchNormalization node.
//   Conv/ConvTranspose -> BN, where the conv output has no other reader, is not a graph output
//   and the conv has constant weights (and bias): BN is folded into new weight/bias constants,
//   computed in float64 and rounded to float32 once. Otherwise BN becomes Mul + Add with
//   per-channel constants shaped [C,1,...,1] (rank-2 inputs: [C]).
// Pre: BN inputs 1..4 are constants of C values (the frontend guarantees it).
// Post: no BatchNormalization nodes; node order stays topological; graph outputs keep their ids.
#include <cmath>

#include "pass_util.h"
#include "tigris/passes/passes.h"
#include "tigris/support/log.h"

namespace tigris::passes {

namespace {

using detail::ConstF32;
using detail::Label;

struct BnParams {
  std::vector<double> scale;  // gamma / sqrt(var + eps)
  std::vector<double> shift;  // beta - mean * scale
  std::vector<double> mean, beta;
};

Expected<BnParams> ReadBn(const ir::Graph& g, const ir::Node& bn) {
  if (bn.inputs.size() != 5) return Internal(Label(bn) + ": expected 5 inputs");
  std::vector<double> v[4];
  for (size_t k = 1; k < 5; ++k) {
    if (bn.inputs[k] == ir::kNoTensor) return Internal(Label(bn) + ": missing input");
    v[k - 1] = ConstF32(g.tensor(bn.inputs[k]));
    if (v[k - 1].empty() && g.tensor(bn.inputs[k]).NumElements() != 0)
      return Unsupported(Label(bn) + ": scale/bias/mean/var must be float32 constants");
  }
  const size_t c = v[0].size();
  for (auto& x : v)
    if (x.size() != c) return Internal(Label(bn) + ": per-channel inputs differ in length");
  const double eps = static_cast<double>(bn.GetFloat("epsilon", 1e-5f));
  BnParams p;
  p.mean = v[2];
  p.beta = v[1];
  for (size_t k = 0; k < c; ++k) {
    const double s = v[0][k] / std::sqrt(v[3][k] + eps);
    p.scale.push_back(s);
    p.shift.push_back(v[1][k] - v[2][k] * s);
  }
  return p;
}

// Folds into the producing conv; false when the pattern does not apply.
bool TryFoldIntoConv(ir::Graph& g, size_t bn_index, const BnParams& p, const std::vector<ir::NodeId>& producers,
                     const std::vector<std::vector<ir::NodeId>>& consumers, std::set<std::string>& tensor_names) {
  const ir::Node& bn = g.nodes[bn_index];
  const ir::TensorId x = bn.inputs[0];
  const ir::NodeId pid = producers[static_cast<size_t>(x)];
  if (pid < 0) return false;
  ir::Node& conv = g.nodes[static_cast<size_t>(pid)];
  if (conv.kind != ir::OpKind::kConv && conv.kind != ir::OpKind::kConvTranspose) return false;
  if (conv.outputs.size() != 1 || consumers[static_cast<size_t>(x)].size() != 1 || detail::IsGraphOutput(g, x)) return false;
  if (conv.GetInt("act", 0) != 0) return false;
  const ir::Tensor& w = g.tensor(conv.inputs[1]);
  std::vector<double> wv = ConstF32(w);
  if (wv.empty() || w.shape.size() < 3) return false;
  const bool has_bias = conv.inputs.size() > 2 && conv.inputs[2] != ir::kNoTensor;
  std::vector<double> bias(p.scale.size(), 0.0);
  if (has_bias) {
    bias = ConstF32(g.tensor(conv.inputs[2]));
    if (bias.size() != p.scale.size()) return false;
  }
  const int64_t group = conv.GetInt("group", 1);
  const int64_t spatial = w.NumElements() / (w.shape[0] * w.shape[1]);
  const auto c_out = static_cast<int64_t>(p.scale.size());
  if (conv.kind == ir::OpKind::kConv) {
    if (w.shape[0] != c_out) return false;
    for (int64_t m = 0; m < c_out; ++m)
      for (int64_t k = 0; k < w.shape[1] * spatial; ++k) wv[static_cast<size_t>(m * w.shape[1] * spatial + k)] *= p.scale[static_cast<size_t>(m)];
  } else {
    // Weight [C_in, M/group, k...]: input channel c of group gi feeds outputs gi*(M/group)+j.
    const int64_t per_group_out = w.shape[1];
    if (per_group_out * group != c_out || w.shape[0] % group) return false;
    const int64_t in_per_group = w.shape[0] / group;
    for (int64_t c = 0; c < w.shape[0]; ++c)
      for (int64_t j = 0; j < per_group_out; ++j) {
        const double s = p.scale[static_cast<size_t>((c / in_per_group) * per_group_out + j)];
        for (int64_t k = 0; k < spatial; ++k) wv[static_cast<size_t>((c * per_group_out + j) * spatial + k)] *= s;
      }
  }
  std::vector<double> bv(static_cast<size_t>(c_out));
  for (size_t m = 0; m < bv.size(); ++m) bv[m] = (bias[m] - p.mean[m]) * p.scale[m] + p.beta[m];
  const std::string wname = detail::UniqueName(w.name + "_bnfold", tensor_names);
  const std::string bname = detail::UniqueName(conv.name + "_bias_bnfold", tensor_names);
  const std::vector<int64_t> wshape = w.shape;
  const ir::TensorId wid = g.AddTensor(detail::MakeConstF32(wname, wshape, wv));
  const ir::TensorId bid = g.AddTensor(detail::MakeConstF32(bname, {c_out}, bv));
  ir::Node& conv2 = g.nodes[static_cast<size_t>(pid)];  // AddTensor does not move nodes, but be explicit
  conv2.inputs.resize(3);
  conv2.inputs[1] = wid;
  conv2.inputs[2] = bid;
  conv2.outputs[0] = g.nodes[bn_index].outputs[0];
  return true;
}

}  // namespace

Status FoldBatchNorm(ir::Graph& g) {
  bool any = false;
  for (const auto& n : g.nodes) any = any || n.kind == ir::OpKind::kBatchNormalization;
  if (!any) return Status::Ok();
  auto producers = g.Producers();
  auto consumers = g.Consumers();
  auto tensor_names = detail::TensorNames(g);
  auto node_names = detail::NodeNames(g);
  std::vector<ir::Node> out;
  out.reserve(g.nodes.size() + 4);
  std::vector<bool> dead(g.nodes.size(), false);
  // First the folds (they edit the conv in place), then lower the remaining BNs.
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    if (g.nodes[i].kind != ir::OpKind::kBatchNormalization) continue;
    TIGRIS_ASSIGN_OR_RETURN(BnParams p, ReadBn(g, g.nodes[i]));
    if (TryFoldIntoConv(g, i, p, producers, consumers, tensor_names)) {
      dead[i] = true;
      TIGRIS_LOG_DEBUG("FoldBatchNorm: '{}' folded into the weights of its Conv", g.nodes[i].name);
    }
  }
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    if (dead[i]) continue;
    ir::Node& bn = g.nodes[i];
    if (bn.kind != ir::OpKind::kBatchNormalization) {
      out.push_back(std::move(bn));
      continue;
    }
    TIGRIS_ASSIGN_OR_RETURN(BnParams p, ReadBn(g, bn));
    TIGRIS_LOG_DEBUG("FoldBatchNorm: '{}' lowered to Mul + Add (no Conv to fold into)", bn.name);
    const ir::Tensor& x = g.tensor(bn.inputs[0]);
    if (x.shape.size() < 2) return Unsupported(Label(bn) + ": input needs a channel dim");
    std::vector<int64_t> cshape = {static_cast<int64_t>(p.scale.size())};
    for (size_t d = 2; d < x.shape.size(); ++d) cshape.push_back(1);
    ir::Tensor mid;
    mid.name = detail::UniqueName(g.tensor(bn.outputs[0]).name + "_scaled", tensor_names);
    mid.dtype = ir::DType::kF32;
    mid.shape = g.tensor(bn.outputs[0]).shape;
    const ir::TensorId x_id = bn.inputs[0], y_id = bn.outputs[0];
    const ir::TensorId mid_id = g.AddTensor(std::move(mid));
    const ir::TensorId s_id = g.AddTensor(detail::MakeConstF32(detail::UniqueName(bn.name + "_scale", tensor_names), cshape, p.scale));
    const ir::TensorId b_id = g.AddTensor(detail::MakeConstF32(detail::UniqueName(bn.name + "_shift", tensor_names), cshape, p.shift));
    ir::Node mul;
    mul.name = detail::UniqueName(bn.name + "_mul", node_names);
    mul.kind = ir::OpKind::kMul;
    mul.inputs = {x_id, s_id};
    mul.outputs = {mid_id};
    ir::Node add;
    add.name = bn.name;  // keeps the user's node name on the op that produces the BN output
    add.kind = ir::OpKind::kAdd;
    add.inputs = {mid_id, b_id};
    add.outputs = {y_id};
    out.push_back(std::move(mul));
    out.push_back(std::move(add));
  }
  g.nodes = std::move(out);
  return Status::Ok();
}

}  // namespace tigris::passes
