// Normalize pipeline: the full rewrite of a Conv-BN-Relu model with verify_each, dead code
// removal, and errors that name the pass.
#include <gtest/gtest.h>

#include "test_graphs.h"
#include "tigris/kernels/tgrs_params.h"
#include "tigris/passes/passes.h"

namespace tigris::passes {
namespace {

using namespace testing;  // NOLINT

ir::Graph ConvBnRelu() {
  ir::Graph g;
  g.name = "cbr";
  const auto x = Act(g, "x", {1, 1, 2, 2});
  const auto w = Const(g, "w", {1, 1, 1, 1}, {2});
  const auto y = Act(g, "y", {1, 1, 2, 2});
  const auto b = Act(g, "b", {1, 1, 2, 2});
  const auto z = Act(g, "z", {1, 1, 2, 2});
  const auto one = Const(g, "one", {1}, {1});
  const auto zero = Const(g, "zero", {1}, {0});
  const auto dead_in = Const(g, "dead_w", {1}, {5});
  const auto dead_out = Act(g, "dead", {1, 1, 2, 2});
  g.inputs = {x};
  g.outputs = {z};
  g.AddNode(MakeNode("conv", ir::OpKind::kConv, {x, w}, {y}, ConvAttrs()));
  g.AddNode(MakeNode("bn", ir::OpKind::kBatchNormalization, {y, one, zero, zero, one}, {b}, {{"epsilon", 0.f}}));
  g.AddNode(MakeNode("unused", ir::OpKind::kMul, {x, dead_in}, {dead_out}));
  g.AddNode(MakeNode("relu", ir::OpKind::kRelu, {b}, {z}));
  return g;
}

TEST(Normalize, ConvBnReluBecomesOneConv) {
  ir::Graph g = ConvBnRelu();
  ASSERT_TRUE(g.Verify().ok());
  PassOptions opt;
  opt.verify_each = true;
  Status st = Normalize(g, opt);
  ASSERT_TRUE(st.ok()) << st.message();
  ASSERT_EQ(g.nodes.size(), 1u) << g.Dump();
  EXPECT_EQ(g.nodes[0].name, "conv");
  EXPECT_EQ(g.nodes[0].GetInt("act"), TGRS_ACT_RELU);
  EXPECT_EQ(g.tensor(g.outputs[0]).name, "z");
  for (const auto& t : g.tensors) EXPECT_NE(t.name, "dead_w");
}

TEST(Normalize, DumpEachWritesToStderr) {
  ir::Graph g = ConvBnRelu();
  PassOptions opt;
  opt.dump_each = true;
  ::testing::internal::CaptureStderr();
  ASSERT_TRUE(Normalize(g, opt).ok());
  const std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("=== after FoldBatchNorm ==="), std::string::npos);
  EXPECT_NE(err.find("=== after EliminateDeadCode ==="), std::string::npos);
}

TEST(Normalize, FailureNamesThePass) {
  ir::Graph g = ConvBnRelu();
  // A BatchNormalization whose scale is not a float32 constant cannot be folded.
  for (auto& n : g.nodes)
    if (n.kind == ir::OpKind::kBatchNormalization) n.inputs[1] = n.inputs[0];
  Status st = Normalize(g);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("pass FoldBatchNorm"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("node 'bn' (BatchNormalization)"), std::string::npos) << st.message();
}

TEST(EliminateDeadCode, KeepsUnusedGraphInputs) {
  ir::Graph g = ConvBnRelu();
  const auto extra = Act(g, "extra", {1});
  g.inputs.push_back(extra);
  ASSERT_TRUE(EliminateDeadCode(g).ok());
  EXPECT_EQ(g.inputs.size(), 2u);
  EXPECT_EQ(g.nodes.size(), 3u);  // "unused" is gone
}

}  // namespace
}  // namespace tigris::passes
