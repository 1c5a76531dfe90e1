// FuseActivations: which producer/activation pairs fuse, the attributes written, SiLU, and the
// cases that must stay apart (shared intermediate, graph output, non-fusable producer).
#include <gtest/gtest.h>

#include "test_graphs.h"
#include "tigris/kernels/tgrs_params.h"
#include "tigris/passes/passes.h"

namespace tigris::passes {
namespace {

using namespace testing;  // NOLINT

struct ConvChain {
  ir::Graph g;
  ir::TensorId x, y, z;
};

// x -> Conv -> y -> act -> z
ConvChain MakeConvAct(ir::OpKind act, std::map<std::string, ir::AttrValue> attrs = {}) {
  ConvChain c;
  c.g.name = "chain";
  c.x = Act(c.g, "x", {1, 1, 2, 2});
  const auto w = Const(c.g, "w", {1, 1, 1, 1}, {2});
  c.y = Act(c.g, "y", {1, 1, 2, 2});
  c.z = Act(c.g, "z", {1, 1, 2, 2});
  c.g.inputs = {c.x};
  c.g.outputs = {c.z};
  c.g.AddNode(MakeNode("conv", ir::OpKind::kConv, {c.x, w}, {c.y}, ConvAttrs()));
  c.g.AddNode(MakeNode("act", act, {c.y}, {c.z}, std::move(attrs)));
  return c;
}

TEST(FuseActivations, ReluIntoConv) {
  auto c = MakeConvAct(ir::OpKind::kRelu);
  ASSERT_TRUE(FuseActivations(c.g).ok());
  ASSERT_EQ(c.g.nodes.size(), 1u);
  EXPECT_EQ(c.g.nodes[0].GetInt("act"), TGRS_ACT_RELU);
  EXPECT_EQ(c.g.nodes[0].outputs[0], c.z);
  ASSERT_TRUE(EliminateDeadCode(c.g).ok());
  EXPECT_TRUE(c.g.Verify().ok());
}

TEST(FuseActivations, ClipAndHardSigmoidParameters) {
  auto c = MakeConvAct(ir::OpKind::kClip, {{"min", 0.f}, {"max", 6.f}});
  ASSERT_TRUE(FuseActivations(c.g).ok());
  ASSERT_EQ(c.g.nodes.size(), 1u);
  EXPECT_EQ(c.g.nodes[0].GetInt("act"), TGRS_ACT_CLIP);
  EXPECT_FLOAT_EQ(c.g.nodes[0].GetFloat("act_a"), 0.f);
  EXPECT_FLOAT_EQ(c.g.nodes[0].GetFloat("act_b"), 6.f);
  auto h = MakeConvAct(ir::OpKind::kHardSigmoid, {{"alpha", 0.25f}, {"beta", 0.4f}});
  ASSERT_TRUE(FuseActivations(h.g).ok());
  EXPECT_EQ(h.g.nodes[0].GetInt("act"), TGRS_ACT_HARD_SIGMOID);
  EXPECT_FLOAT_EQ(h.g.nodes[0].GetFloat("act_a"), 0.25f);
  EXPECT_FLOAT_EQ(h.g.nodes[0].GetFloat("act_b"), 0.4f);
  auto l = MakeConvAct(ir::OpKind::kLeakyRelu, {{"alpha", 0.1f}});
  ASSERT_TRUE(FuseActivations(l.g).ok());
  EXPECT_EQ(l.g.nodes[0].GetInt("act"), TGRS_ACT_LEAKY_RELU);
  EXPECT_FLOAT_EQ(l.g.nodes[0].GetFloat("act_a"), 0.1f);
}

TEST(FuseActivations, NotWhenIntermediateIsGraphOutput) {
  auto c = MakeConvAct(ir::OpKind::kRelu);
  c.g.outputs.push_back(c.y);
  ASSERT_TRUE(FuseActivations(c.g).ok());
  EXPECT_EQ(c.g.nodes.size(), 2u);
  EXPECT_FALSE(c.g.nodes[0].Has("act"));
}

TEST(FuseActivations, NotWhenIntermediateHasAnotherReader) {
  auto c = MakeConvAct(ir::OpKind::kTanh);
  const auto other = Act(c.g, "other", {1, 1, 2, 2});
  c.g.AddNode(MakeNode("relu2", ir::OpKind::kRelu, {c.y}, {other}));
  c.g.outputs.push_back(other);
  ASSERT_TRUE(FuseActivations(c.g).ok());
  EXPECT_EQ(c.g.nodes.size(), 3u);
}

TEST(FuseActivations, NotIntoMaxPool) {
  ir::Graph g;
  g.name = "pool";
  const auto x = Act(g, "x", {1, 1, 2, 2});
  const auto y = Act(g, "y", {1, 1, 1, 1});
  const auto z = Act(g, "z", {1, 1, 1, 1});
  g.inputs = {x};
  g.outputs = {z};
  g.AddNode(MakeNode("pool", ir::OpKind::kMaxPool, {x}, {y}, ConvAttrs()));
  g.AddNode(MakeNode("relu", ir::OpKind::kRelu, {y}, {z}));
  ASSERT_TRUE(FuseActivations(g).ok());
  EXPECT_EQ(g.nodes.size(), 2u);
}

TEST(FuseActivations, SigmoidTimesInputBecomesSilu) {
  for (int order = 0; order < 2; ++order) {
    ir::Graph g;
    g.name = "silu";
    const auto x = Act(g, "x", {1, 4});
    const auto w = Const(g, "w", {4, 4}, std::vector<float>(16, 1.f));
    const auto y = Act(g, "y", {1, 4});
    const auto s = Act(g, "s", {1, 4});
    const auto z = Act(g, "z", {1, 4});
    g.inputs = {x};
    g.outputs = {z};
    g.AddNode(MakeNode("mm", ir::OpKind::kMatMul, {x, w}, {y}));
    g.AddNode(MakeNode("sig", ir::OpKind::kSigmoid, {y}, {s}));
    g.AddNode(MakeNode("mul", ir::OpKind::kMul, order ? std::vector<ir::TensorId>{s, y} : std::vector<ir::TensorId>{y, s}, {z}));
    ASSERT_TRUE(FuseActivations(g).ok());
    ASSERT_EQ(g.nodes.size(), 1u) << g.Dump();
    EXPECT_EQ(g.nodes[0].GetInt("act"), TGRS_ACT_SILU);
    EXPECT_EQ(g.nodes[0].outputs[0], z);
    ASSERT_TRUE(EliminateDeadCode(g).ok());
    EXPECT_TRUE(g.Verify().ok()) << g.Verify().message();
  }
}

TEST(FuseActivations, SiluNotWhenSigmoidOutputIsShared) {
  ir::Graph g;
  g.name = "silu_shared";
  const auto x = Act(g, "x", {1, 4});
  const auto w = Const(g, "w", {4, 4}, std::vector<float>(16, 1.f));
  const auto y = Act(g, "y", {1, 4});
  const auto s = Act(g, "s", {1, 4});
  const auto z = Act(g, "z", {1, 4});
  g.inputs = {x};
  g.outputs = {z, s};
  g.AddNode(MakeNode("mm", ir::OpKind::kMatMul, {x, w}, {y}));
  g.AddNode(MakeNode("sig", ir::OpKind::kSigmoid, {y}, {s}));
  g.AddNode(MakeNode("mul", ir::OpKind::kMul, {y, s}, {z}));
  ASSERT_TRUE(FuseActivations(g).ok());
  EXPECT_EQ(g.nodes.size(), 3u);
}

}  // namespace
}  // namespace tigris::passes
