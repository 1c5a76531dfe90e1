// AssignLayouts: which tensors of hand-built int8 graphs get the channels-last convention
// (docs/int8.md, "Physical layout") and whether constants' bytes land where the strides say.
// Expected positions are computed here from the convention's formulas, not from ir::LayoutStrides.
#include <gtest/gtest.h>

#include <cstring>

#include "test_graphs.h"
#include "tigris/passes/passes.h"

namespace tigris::passes {
namespace {

using namespace testing;  // NOLINT
using ir::DType;
using ir::OpKind;
using ir::TensorId;

// A constant whose element k (row-major) is k % 100, as dtype int8 or int32.
TensorId Numbered(ir::Graph& g, const std::string& name, DType dt, std::vector<int64_t> shape) {
  ir::Tensor t;
  t.name = name;
  t.dtype = dt;
  t.shape = std::move(shape);
  t.is_constant = true;
  const auto n = static_cast<size_t>(t.NumElements());
  for (size_t k = 0; k < n; ++k) {
    const auto v = static_cast<int32_t>(k % 100);
    if (dt == DType::kI8) {
      t.data.push_back(static_cast<uint8_t>(v));
    } else {
      uint8_t b[4];
      std::memcpy(b, &v, 4);
      t.data.insert(t.data.end(), b, b + 4);
    }
  }
  return g.AddTensor(std::move(t));
}

int32_t ElemI32(const ir::Tensor& t, size_t at) {
  int32_t v;
  std::memcpy(&v, t.data.data() + at * 4, 4);
  return v;
}

// x [1,4,6,6] int8 -> Conv 3x3 (OHWI, per-tensor rq) -> a [1,8,6,6] -> depthwise Conv -> b ->
// Reshape -> y [1,288]; a and b are graph-internal.
struct Net {
  ir::Graph g;
  TensorId x, a, b, y, w1, w2, rq1, rq2;
};

Net MakeNet() {
  Net n;
  ir::Graph& g = n.g;
  g.name = "net";
  n.x = Typed(g, "x", DType::kI8, {1, 4, 6, 6});
  n.a = Typed(g, "a", DType::kI8, {1, 8, 6, 6});
  n.b = Typed(g, "b", DType::kI8, {1, 8, 6, 6});
  n.y = Typed(g, "y", DType::kI8, {1, 288});
  n.w1 = Numbered(g, "w1", DType::kI8, {8, 4, 3, 3});
  n.w2 = Numbered(g, "w2", DType::kI8, {8, 1, 3, 3});
  n.rq1 = Numbered(g, "rq1", DType::kI32, {1, 2});
  n.rq2 = Numbered(g, "rq2", DType::kI32, {8, 2});
  const TensorId bias1 = Numbered(g, "bias1", DType::kI32, {8});
  const TensorId bias2 = Numbered(g, "bias2", DType::kI32, {8});
  auto conv = [](int64_t group) {
    auto a = ConvAttrs(group);
    a["kernel_shape"] = std::vector<int64_t>{3, 3};
    a["pads"] = std::vector<int64_t>{1, 1, 1, 1};
    return a;
  };
  g.AddNode(MakeNode("conv", OpKind::kConv, {n.x, n.w1, bias1, n.rq1}, {n.a}, conv(1)));
  g.AddNode(MakeNode("dw", OpKind::kConv, {n.a, n.w2, bias2, n.rq2}, {n.b}, conv(8)));
  g.AddNode(MakeNode("flatten", OpKind::kReshape, {n.b}, {n.y}));
  g.inputs = {n.x};
  g.outputs = {n.y};
  return n;
}

TEST(AssignLayouts, ConvWeightsAreStoredOhwiAndDepthwiseWeightsHwc) {
  Net n = MakeNet();
  const ir::Tensor w1 = n.g.tensor(n.w1), w2 = n.g.tensor(n.w2);
  ASSERT_TRUE(AssignLayouts(n.g).ok());
  ASSERT_TRUE(n.g.Verify().ok());
  const ir::Tensor& p1 = n.g.tensor(n.g.FindTensor("w1"));
  const ir::Tensor& p2 = n.g.tensor(n.g.FindTensor("w2"));
  EXPECT_EQ(p1.layout, (std::vector<int32_t>{0, 2, 3, 1}));
  EXPECT_EQ(p2.layout, (std::vector<int32_t>{1, 2, 3, 0}));
  EXPECT_EQ(ir::StridesOf(p1), (std::vector<int64_t>{36, 1, 12, 4}));
  EXPECT_EQ(ir::StridesOf(p2), (std::vector<int64_t>{1, 72, 24, 8}));
  // element (o, i, h, w) of w1 at OHWI position ((o * 3 + h) * 3 + w) * 4 + i
  for (int o = 0; o < 8; ++o)
    for (int i = 0; i < 4; ++i)
      for (int h = 0; h < 3; ++h)
        for (int w = 0; w < 3; ++w)
          ASSERT_EQ(p1.data[static_cast<size_t>(((o * 3 + h) * 3 + w) * 4 + i)],
                    w1.data[static_cast<size_t>(((o * 4 + i) * 3 + h) * 3 + w)]);
  // element (o, 0, h, w) of w2 at [KH][KW][O] position (h * 3 + w) * 8 + o
  for (int o = 0; o < 8; ++o)
    for (int h = 0; h < 3; ++h)
      for (int w = 0; w < 3; ++w)
        ASSERT_EQ(p2.data[static_cast<size_t>((h * 3 + w) * 8 + o)], w2.data[static_cast<size_t>((o * 3 + h) * 3 + w)]);
}

TEST(AssignLayouts, RequantizationTablesArePlanarAndPerTensorOnesExpanded) {
  Net n = MakeNet();
  const ir::Tensor rq1 = n.g.tensor(n.rq1), rq2 = n.g.tensor(n.rq2);
  ASSERT_TRUE(AssignLayouts(n.g).ok());
  ASSERT_TRUE(n.g.Verify().ok());
  const ir::Node& conv = n.g.nodes[0];
  const ir::Tensor& e1 = n.g.tensor(conv.inputs[3]);
  ASSERT_EQ(e1.shape, (std::vector<int64_t>{8, 2}));
  EXPECT_EQ(ir::StridesOf(e1), (std::vector<int64_t>{1, 8}));
  for (size_t c = 0; c < 8; ++c) {
    EXPECT_EQ(ElemI32(e1, c), ElemI32(rq1, 0));      // multipliers first
    EXPECT_EQ(ElemI32(e1, 8 + c), ElemI32(rq1, 1));  // then shifts
  }
  const ir::Tensor& p2 = n.g.tensor(n.g.nodes[1].inputs[3]);
  for (size_t c = 0; c < 8; ++c) {
    EXPECT_EQ(ElemI32(p2, c), ElemI32(rq2, 2 * c));
    EXPECT_EQ(ElemI32(p2, 8 + c), ElemI32(rq2, 2 * c + 1));
  }
  EXPECT_EQ(n.g.FindTensor("rq1"), ir::kNoTensor);  // the per-tensor table nothing reads is gone
}

TEST(AssignLayouts, ActivationsAreChannelsLastExceptAtTheBoundaryAndUnderAView) {
  Net n = MakeNet();
  ASSERT_TRUE(AssignLayouts(n.g).ok());
  const ir::Tensor& a = n.g.tensor(n.g.FindTensor("a"));
  EXPECT_EQ(a.layout, (std::vector<int32_t>{0, 2, 3, 1}));
  EXPECT_EQ(ir::StridesOf(a), (std::vector<int64_t>{288, 1, 48, 8}));
  EXPECT_TRUE(n.g.tensor(n.g.FindTensor("x")).layout.empty());  // graph input
  EXPECT_TRUE(n.g.tensor(n.g.FindTensor("b")).layout.empty());  // aliased by the Reshape
  EXPECT_TRUE(n.g.tensor(n.g.FindTensor("y")).layout.empty());
  EXPECT_NE(n.g.Dump().find("%a:int8[1x8x6x6]@(0,2,3,1)"), std::string::npos) << n.g.Dump();
}

TEST(AssignLayouts, AFloatGraphIsUnchanged) {
  ir::Graph g;
  g.name = "f";
  const TensorId x = Act(g, "x", {1, 2, 4, 4});
  const TensorId w = Const(g, "w", {3, 2, 1, 1}, {1, 2, 3, 4, 5, 6});
  const TensorId h = Act(g, "h", {1, 3, 4, 4});
  const TensorId y = Act(g, "y", {1, 3, 4, 4});
  g.AddNode(MakeNode("conv", OpKind::kConv, {x, w}, {h}, ConvAttrs()));
  g.AddNode(MakeNode("relu", OpKind::kRelu, {h}, {y}));
  g.inputs = {x};
  g.outputs = {y};
  const std::string before = g.Dump();
  ASSERT_TRUE(AssignLayouts(g).ok());
  EXPECT_EQ(g.Dump(), before);
  for (const ir::Tensor& t : g.tensors) EXPECT_TRUE(t.layout.empty()) << t.name;
}

TEST(LayoutStrides, PermutationsAndExtentOneDims) {
  EXPECT_EQ(ir::LayoutStrides({2, 3, 4, 5}, {}), (std::vector<int64_t>{60, 20, 5, 1}));
  EXPECT_EQ(ir::LayoutStrides({2, 3, 4, 5}, {0, 2, 3, 1}), (std::vector<int64_t>{60, 1, 15, 3}));
  EXPECT_EQ(ir::LayoutStrides({4, 6}, {1, 0}), (std::vector<int64_t>{1, 4}));
  EXPECT_TRUE(ir::IsRowMajor({1, 64, 1, 1}, {0, 2, 3, 1}));  // only extent-1 dims move
  EXPECT_FALSE(ir::IsRowMajor({1, 64, 2, 1}, {0, 2, 3, 1}));
  EXPECT_TRUE(ir::IsRowMajor({3, 4}, {}));
}

TEST(LayoutStrides, VerifyRejectsALayoutThatIsNotAPermutation) {
  Net n = MakeNet();
  n.g.tensor(n.a).layout = {0, 2, 2, 1};
  const Status st = n.g.Verify();
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("'a' has a layout that is not a permutation"), std::string::npos) << st.message();
}

}  // namespace
}  // namespace tigris::passes
