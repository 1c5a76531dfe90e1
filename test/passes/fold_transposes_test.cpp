// FoldTransposes: composed permutations, identity round trips removed, graph outputs kept.
#include <gtest/gtest.h>

#include "test_graphs.h"
#include "tigris/passes/passes.h"

namespace tigris::passes {
namespace {

using namespace testing;  // NOLINT

std::map<std::string, ir::AttrValue> Perm(std::vector<int64_t> p) { return {{"perm", std::move(p)}}; }

TEST(FoldTransposes, NhwcRoundTripGoesAway) {
  ir::Graph g;
  const auto x = Act(g, "x", {1, 3, 4, 5});
  const auto t1 = Act(g, "t1", {1, 4, 5, 3});
  const auto t2 = Act(g, "t2", {1, 3, 4, 5});
  const auto y = Act(g, "y", {1, 3, 4, 5});
  g.inputs = {x};
  g.outputs = {y};
  g.AddNode(MakeNode("to_nhwc", ir::OpKind::kTranspose, {x}, {t1}, Perm({0, 2, 3, 1})));
  g.AddNode(MakeNode("to_nchw", ir::OpKind::kTranspose, {t1}, {t2}, Perm({0, 3, 1, 2})));
  g.AddNode(MakeNode("relu", ir::OpKind::kRelu, {t2}, {y}));
  ASSERT_TRUE(FoldTransposes(g).ok());
  ASSERT_TRUE(EliminateDeadCode(g).ok());
  ASSERT_EQ(g.nodes.size(), 1u) << g.Dump();
  EXPECT_EQ(g.nodes[0].name, "relu");
  EXPECT_EQ(g.tensor(g.nodes[0].inputs[0]).name, "x");
  EXPECT_TRUE(g.Verify().ok());
}

TEST(FoldTransposes, ComposesPermutations) {
  // [0,2,3,1] then [0,2,1,3]: y[j] = x[p1[p2[j]]] = x[[0,3,2,1]]
  ir::Graph g;
  const auto x = Act(g, "x", {1, 3, 4, 5});
  const auto t1 = Act(g, "t1", {1, 4, 5, 3});
  const auto y = Act(g, "y", {1, 5, 4, 3});
  g.inputs = {x};
  g.outputs = {y};
  g.AddNode(MakeNode("a", ir::OpKind::kTranspose, {x}, {t1}, Perm({0, 2, 3, 1})));
  g.AddNode(MakeNode("b", ir::OpKind::kTranspose, {t1}, {y}, Perm({0, 2, 1, 3})));
  ASSERT_TRUE(FoldTransposes(g).ok());
  ASSERT_TRUE(EliminateDeadCode(g).ok());
  ASSERT_EQ(g.nodes.size(), 1u) << g.Dump();
  EXPECT_EQ(g.nodes[0].GetInts("perm"), (std::vector<int64_t>{0, 3, 2, 1}));
  EXPECT_EQ(g.tensor(g.nodes[0].inputs[0]).name, "x");
  EXPECT_TRUE(g.Verify().ok());
}

TEST(FoldTransposes, IdentityWritingAGraphOutputStays) {
  ir::Graph g;
  const auto x = Act(g, "x", {2, 3});
  const auto t = Act(g, "t", {3, 2});
  const auto y = Act(g, "y", {2, 3});
  g.inputs = {x};
  g.outputs = {y};
  g.AddNode(MakeNode("a", ir::OpKind::kTranspose, {x}, {t}, Perm({1, 0})));
  g.AddNode(MakeNode("b", ir::OpKind::kTranspose, {t}, {y}, Perm({1, 0})));
  ASSERT_TRUE(FoldTransposes(g).ok());
  ASSERT_TRUE(EliminateDeadCode(g).ok());
  ASSERT_EQ(g.nodes.size(), 1u) << g.Dump();
  EXPECT_EQ(g.nodes[0].GetInts("perm"), (std::vector<int64_t>{0, 1}));
  EXPECT_EQ(g.tensor(g.outputs[0]).name, "y");
}

}  // namespace
}  // namespace tigris::passes
