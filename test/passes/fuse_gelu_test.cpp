// FuseGelu: the three orders of the erf GELU (PyTorch's and two reorderings), Mul by 1/sqrt(2)
// instead of Div, and the cases that must stay apart (a shared intermediate, a graph output in
// the middle, a wrong constant, a fused activation on the last Mul).
#include <gtest/gtest.h>

#include <cmath>

#include "test_graphs.h"
#include "tigris/passes/passes.h"

namespace tigris::passes {
namespace {

using namespace testing;  // NOLINT

enum class Order { kPyTorch, kHalfFirst, kHalfOfSum };

struct Gelu {
  ir::Graph g;
  ir::TensorId x, y, a;
};

// x -> Relu -> r, then the GELU pattern on r written in `order` -> y
Gelu MakeGelu(Order order, bool mul_by_inverse = false, float one = 1.f) {
  Gelu c;
  c.g.name = "gelu";
  c.x = Act(c.g, "x", {1, 4});
  const ir::TensorId r = Act(c.g, "r", {1, 4});
  const ir::TensorId d = Act(c.g, "d", {1, 4}), e = Act(c.g, "e", {1, 4});
  c.a = Act(c.g, "a", {1, 4});
  const ir::TensorId m = Act(c.g, "m", {1, 4});
  c.y = Act(c.g, "y", {1, 4});
  c.g.inputs = {c.x};
  c.g.outputs = {c.y};
  c.g.AddNode(MakeNode("relu", ir::OpKind::kRelu, {c.x}, {r}));
  if (mul_by_inverse) {
    c.g.AddNode(MakeNode("scale", ir::OpKind::kMul,
                         {Const(c.g, "inv_sqrt2", {}, {static_cast<float>(std::sqrt(0.5))}), r}, {d}));
  } else {
    c.g.AddNode(MakeNode("scale", ir::OpKind::kDiv, {r, Const(c.g, "sqrt2", {}, {1.4142135f})}, {d}));
  }
  c.g.AddNode(MakeNode("erf", ir::OpKind::kErf, {d}, {e}));
  c.g.AddNode(MakeNode("add", ir::OpKind::kAdd, {Const(c.g, "one", {1}, {one}), e}, {c.a}));
  const ir::TensorId half = Const(c.g, "half", {}, {0.5f});
  switch (order) {
    case Order::kPyTorch:
      c.g.AddNode(MakeNode("mul_x", ir::OpKind::kMul, {r, c.a}, {m}));
      c.g.AddNode(MakeNode("mul_half", ir::OpKind::kMul, {m, half}, {c.y}));
      break;
    case Order::kHalfFirst:
      c.g.AddNode(MakeNode("mul_half", ir::OpKind::kMul, {half, r}, {m}));
      c.g.AddNode(MakeNode("mul_a", ir::OpKind::kMul, {m, c.a}, {c.y}));
      break;
    case Order::kHalfOfSum:
      c.g.AddNode(MakeNode("mul_half", ir::OpKind::kMul, {c.a, half}, {m}));
      c.g.AddNode(MakeNode("mul_x", ir::OpKind::kMul, {r, m}, {c.y}));
      break;
  }
  return c;
}

void ExpectFused(Gelu& c, const std::string& name) {
  ASSERT_TRUE(FuseGelu(c.g).ok());
  ASSERT_EQ(c.g.nodes.size(), 2u) << c.g.Dump();
  const ir::Node& n = c.g.nodes[1];
  EXPECT_EQ(n.kind, ir::OpKind::kGelu);
  EXPECT_EQ(n.name, name);
  EXPECT_EQ(n.GetInt("approximate", -1), 0);
  ASSERT_EQ(n.inputs.size(), 1u);
  EXPECT_EQ(c.g.tensor(n.inputs[0]).name, "r");
  EXPECT_EQ(n.outputs, std::vector<ir::TensorId>{c.y});
  ASSERT_TRUE(EliminateDeadCode(c.g).ok());
  EXPECT_TRUE(c.g.Verify().ok()) << c.g.Verify().message();
}

TEST(FuseGelu, PyTorchOrder) {
  auto c = MakeGelu(Order::kPyTorch);
  ExpectFused(c, "mul_half");
}

TEST(FuseGelu, HalfFirstAndHalfOfTheSumAndMulByInverseSqrt2) {
  auto b = MakeGelu(Order::kHalfFirst);
  ExpectFused(b, "mul_a");
  auto s = MakeGelu(Order::kHalfOfSum, /*mul_by_inverse=*/true);
  ExpectFused(s, "mul_x");
}

TEST(FuseGelu, SharedOrExposedIntermediatesStayApart) {
  {
    auto c = MakeGelu(Order::kPyTorch);
    c.g.outputs.push_back(c.a);  // 1 + erf is also a graph output
    ASSERT_TRUE(FuseGelu(c.g).ok());
    EXPECT_EQ(c.g.nodes.size(), 6u);
  }
  {
    auto c = MakeGelu(Order::kPyTorch);
    const ir::TensorId z = Act(c.g, "z", {1, 4});
    c.g.AddNode(MakeNode("other", ir::OpKind::kRelu, {c.a}, {z}));  // a second reader of 1 + erf
    c.g.outputs.push_back(z);
    ASSERT_TRUE(FuseGelu(c.g).ok());
    EXPECT_EQ(c.g.nodes.size(), 7u);
  }
}

TEST(FuseGelu, OtherConstantsOrAFusedActivationStayApart) {
  auto c = MakeGelu(Order::kPyTorch, false, /*one=*/1.5f);
  ASSERT_TRUE(FuseGelu(c.g).ok());
  EXPECT_EQ(c.g.nodes.size(), 6u);
  auto r = MakeGelu(Order::kPyTorch);
  r.g.nodes.back().attrs["act"] = int64_t{1};
  ASSERT_TRUE(FuseGelu(r.g).ok());
  EXPECT_EQ(r.g.nodes.size(), 6u);
}

}  // namespace
}  // namespace tigris::passes
