// FoldBatchNorm: numerics of the Conv fold against numpy (generated model), the standalone
// lowering to Mul + Add, ConvTranspose with groups, and the cases that must not fold.
#include <gtest/gtest.h>

#include <cmath>

#include "test_graphs.h"
#include "tigris/frontend/onnx_importer.h"
#include "tigris/passes/passes.h"

namespace tigris::passes {
namespace {

using namespace testing;  // NOLINT

#ifdef TIGRIS_TEST_MODELS
std::string Model(const std::string& name) { return std::string(TIGRIS_TEST_MODELS) + "/" + name; }

void ExpectNear(const std::vector<float>& got, const ir::Tensor& want) {
  const auto w = Values(want);
  ASSERT_EQ(got.size(), w.size());
  for (size_t k = 0; k < w.size(); ++k) EXPECT_NEAR(got[k], w[k], 1e-6f * std::max(1.f, std::fabs(w[k]))) << "at " << k;
}

TEST(FoldBatchNorm, MatchesNumpyOnGeneratedModel) {
  auto g = frontend::ImportOnnxFile(Model("bn.onnx"));
  ASSERT_TRUE(g.ok()) << g.status().message();
  ASSERT_TRUE(FoldBatchNorm(*g).ok());
  ASSERT_TRUE(EliminateDeadCode(*g).ok());
  ASSERT_TRUE(g->Verify().ok()) << g->Verify().message();
  for (const auto& n : g->nodes) EXPECT_NE(n.kind, ir::OpKind::kBatchNormalization);
  // bn_in (standalone, on the graph input) -> Mul + Add; bn -> folded into conv.
  ASSERT_EQ(g->nodes.size(), 4u) << g->Dump();
  const ir::Node& mul = g->nodes[0];
  const ir::Node& add = g->nodes[1];
  const ir::Node& conv = g->nodes[2];
  EXPECT_EQ(mul.kind, ir::OpKind::kMul);
  EXPECT_EQ(add.kind, ir::OpKind::kAdd);
  EXPECT_EQ(add.name, "bn_in");
  EXPECT_EQ(conv.kind, ir::OpKind::kConv);
  EXPECT_EQ(g->tensor(mul.inputs[1]).shape, (std::vector<int64_t>{3, 1, 1}));
  auto exp_w = frontend::ReadTensorProtoFile(Model("bn_expected_w.pb"));
  auto exp_b = frontend::ReadTensorProtoFile(Model("bn_expected_b.pb"));
  auto exp_scale = frontend::ReadTensorProtoFile(Model("bn_expected_scale.pb"));
  auto exp_shift = frontend::ReadTensorProtoFile(Model("bn_expected_shift.pb"));
  ASSERT_TRUE(exp_w.ok() && exp_b.ok() && exp_scale.ok() && exp_shift.ok());
  ExpectNear(Values(g->tensor(conv.inputs[1])), *exp_w);
  ExpectNear(Values(g->tensor(conv.inputs[2])), *exp_b);
  ExpectNear(Values(g->tensor(mul.inputs[1])), *exp_scale);
  ExpectNear(Values(g->tensor(add.inputs[1])), *exp_shift);
  EXPECT_EQ(g->tensor(conv.outputs[0]).name, "bn");  // the conv now writes the BN output
}
#endif

// ConvTranspose weight [C_in=4, M/group=1, 1, 1], group 2 -> 2 output channels.
TEST(FoldBatchNorm, ConvTransposeWithGroups) {
  ir::Graph g;
  g.name = "ct";
  const auto x = Act(g, "x", {1, 4, 2, 2});
  const auto w = Const(g, "w", {4, 1, 1, 1}, {1, 2, 3, 4});
  const auto y = Act(g, "y", {1, 2, 2, 2});
  const auto z = Act(g, "z", {1, 2, 2, 2});
  const auto gamma = Const(g, "gamma", {2}, {2, 3});
  const auto beta = Const(g, "beta", {2}, {0.5, -1});
  const auto mean = Const(g, "mean", {2}, {1, 2});
  const auto var = Const(g, "var", {2}, {3, 8});
  g.inputs = {x};
  g.outputs = {z};
  g.AddNode(MakeNode("ct", ir::OpKind::kConvTranspose, {x, w}, {y}, ConvAttrs(2)));
  g.AddNode(MakeNode("bn", ir::OpKind::kBatchNormalization, {y, gamma, beta, mean, var}, {z}, {{"epsilon", 1.f}}));
  ASSERT_TRUE(g.Verify().ok());
  ASSERT_TRUE(FoldBatchNorm(g).ok());
  ASSERT_EQ(g.nodes.size(), 1u);
  const double s0 = 2.0 / std::sqrt(4.0), s1 = 3.0 / std::sqrt(9.0);
  const auto wv = Values(g.tensor(g.nodes[0].inputs[1]));
  // Input channels 0,1 are group 0 -> output 0; 2,3 group 1 -> output 1.
  EXPECT_FLOAT_EQ(wv[0], static_cast<float>(1 * s0));
  EXPECT_FLOAT_EQ(wv[1], static_cast<float>(2 * s0));
  EXPECT_FLOAT_EQ(wv[2], static_cast<float>(3 * s1));
  EXPECT_FLOAT_EQ(wv[3], static_cast<float>(4 * s1));
  const auto bv = Values(g.tensor(g.nodes[0].inputs[2]));
  EXPECT_FLOAT_EQ(bv[0], static_cast<float>(0.5 - 1 * s0));
  EXPECT_FLOAT_EQ(bv[1], static_cast<float>(-1 - 2 * s1));
  EXPECT_EQ(g.nodes[0].outputs[0], z);
  ASSERT_TRUE(EliminateDeadCode(g).ok());
  EXPECT_TRUE(g.Verify().ok()) << g.Verify().message();
}

TEST(FoldBatchNorm, ConvOutputWithAnotherReaderIsLoweredNotFolded) {
  ir::Graph g;
  g.name = "shared";
  const auto x = Act(g, "x", {1, 1, 2, 2});
  const auto w = Const(g, "w", {2, 1, 1, 1}, {1, 2});
  const auto y = Act(g, "y", {1, 2, 2, 2});
  const auto z = Act(g, "z", {1, 2, 2, 2});
  const auto c = Const(g, "c", {2}, {1, 1});
  const auto zero = Const(g, "zero", {2}, {0, 0});
  g.inputs = {x};
  g.outputs = {z, y};  // y is also a graph output
  g.AddNode(MakeNode("conv", ir::OpKind::kConv, {x, w}, {y}, ConvAttrs()));
  g.AddNode(MakeNode("bn", ir::OpKind::kBatchNormalization, {y, c, zero, zero, c}, {z}, {{"epsilon", 0.f}}));
  ASSERT_TRUE(FoldBatchNorm(g).ok());
  ASSERT_EQ(g.nodes.size(), 3u);
  EXPECT_EQ(g.nodes[0].kind, ir::OpKind::kConv);
  EXPECT_EQ(g.nodes[1].kind, ir::OpKind::kMul);
  EXPECT_EQ(g.nodes[2].kind, ir::OpKind::kAdd);
  EXPECT_EQ(g.nodes[2].name, "bn");
  EXPECT_EQ(g.tensor(g.nodes[1].inputs[1]).shape, (std::vector<int64_t>{2, 1, 1}));
  EXPECT_TRUE(g.Verify().ok()) << g.Verify().message();
}

}  // namespace
}  // namespace tigris::passes
