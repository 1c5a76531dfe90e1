// LowerQdq: which QDQ patterns become int8 ops (with which parameters) and which stay float.
// Expected parameters are computed here from quant_math.h and the hand-picked scales, never
// read back from the pass.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "test_graphs.h"
#include "tigris/ir/op_traits.h"
#include "tigris/kernels/tgrs_params.h"
#include "tigris/passes/passes.h"
#include "tigris/passes/quant_math.h"

namespace tigris::passes {
namespace {

using namespace testing;  // NOLINT
using ir::DType;
using ir::OpKind;
using ir::TensorId;

// A float constant that remembers its quantization, as the frontend's folded DequantizeLinear
// leaves it: values (q - zp) * scale in float32 per channel along `axis` (or per tensor).
TensorId QuantizedWeight(ir::Graph& g, const std::string& name, std::vector<int64_t> shape, const std::vector<int>& q,
                         const std::vector<float>& scales, int32_t axis, const std::vector<int>& zps = {}) {
  std::vector<float> v(q.size());
  int64_t inner = 1;
  if (scales.size() > 1)
    for (size_t d = static_cast<size_t>(axis) + 1; d < shape.size(); ++d) inner *= shape[d];
  for (size_t k = 0; k < q.size(); ++k) {
    const size_t c = scales.size() > 1 ? static_cast<size_t>(static_cast<int64_t>(k) / inner) % scales.size() : 0;
    const int zp = zps.empty() ? 0 : zps[c];
    v[k] = static_cast<float>(q[k] - zp) * scales[c];
  }
  const TensorId t = Const(g, name, std::move(shape), v);
  ir::QuantParams& qp = g.tensor(t).quant;
  qp.scale = scales;
  qp.zero_point.assign(scales.size(), 0);
  if (!zps.empty()) qp.zero_point.assign(zps.begin(), zps.end());
  qp.axis = scales.size() > 1 ? axis : -1;
  return t;
}

ir::Node Q(const std::string& name, TensorId x, TensorId y, float scale, int zp) {
  return MakeNode(name, OpKind::kQuantizeLinear, {x}, {y}, {{"scale", scale}, {"zero_point", int64_t{zp}}});
}
ir::Node DQ(const std::string& name, TensorId x, TensorId y, float scale, int zp) {
  return MakeNode(name, OpKind::kDequantizeLinear, {x}, {y}, {{"scale", scale}, {"zero_point", int64_t{zp}}});
}

const ir::Node* Find(const ir::Graph& g, OpKind k) {
  for (const ir::Node& n : g.nodes)
    if (n.kind == k) return &n;
  return nullptr;
}
int Count(const ir::Graph& g, OpKind k) {
  int c = 0;
  for (const ir::Node& n : g.nodes) c += n.kind == k;
  return c;
}

template <typename T>
std::vector<T> Data(const ir::Tensor& t) {
  std::vector<T> v(t.data.size() / sizeof(T));
  std::memcpy(v.data(), t.data.data(), t.data.size());
  return v;
}

Status Lower(ir::Graph& g) {
  TIGRIS_RETURN_IF_ERROR(LowerQdq(g));
  TIGRIS_RETURN_IF_ERROR(EliminateDeadCode(g));
  return g.Verify();
}

constexpr float kXs = 0.05f, kYs = 0.1f;
constexpr int kXzp = -3, kYzp = 5;

// in(f32) -> Q -> DQ -> Conv(1x1, 2 -> 2 channels, per-channel weights, bias) [act] -> y -> Q
// -> DQ -> out(f32)
struct ConvNet {
  ir::Graph g;
  TensorId in, xq, xf, y, yq, out, w, b;
};

enum class Weights { kInt8PerChannel, kFloat, kUint8WithZeroPoints };

ConvNet MakeConvNet(std::map<std::string, ir::AttrValue> conv_attrs = ConvAttrs(),
                    Weights weights = Weights::kInt8PerChannel) {
  ConvNet c;
  c.g.name = "conv";
  c.in = Act(c.g, "in", {1, 2, 3, 3});
  c.xq = Typed(c.g, "xq", DType::kI8, {1, 2, 3, 3});
  c.xf = Act(c.g, "xf", {1, 2, 3, 3});
  c.y = Act(c.g, "y", {1, 2, 3, 3});
  c.yq = Typed(c.g, "yq", DType::kI8, {1, 2, 3, 3});
  c.out = Act(c.g, "out", {1, 2, 3, 3});
  switch (weights) {
    case Weights::kInt8PerChannel:
      c.w = QuantizedWeight(c.g, "w", {2, 2, 1, 1}, {10, -20, 127, -128}, {0.01f, 0.02f}, 0);
      break;
    case Weights::kFloat: c.w = Const(c.g, "w", {2, 2, 1, 1}, {0.1f, -0.2f, 0.3f, 0.4f}); break;
    case Weights::kUint8WithZeroPoints:
      c.w = QuantizedWeight(c.g, "w", {2, 2, 1, 1}, {200, 100, 255, 0}, {0.01f, 0.02f}, 0, {130, 120});
      break;
  }
  c.b = Const(c.g, "b", {2}, {0.0125f, -0.5f});
  c.g.inputs = {c.in};
  c.g.outputs = {c.out};
  c.g.AddNode(Q("q_in", c.in, c.xq, kXs, kXzp));
  c.g.AddNode(DQ("dq_in", c.xq, c.xf, kXs, kXzp));
  c.g.AddNode(MakeNode("conv", OpKind::kConv, {c.xf, c.w, c.b}, {c.y}, std::move(conv_attrs)));
  c.g.AddNode(Q("q_y", c.y, c.yq, kYs, kYzp));
  c.g.AddNode(DQ("dq_y", c.yq, c.out, kYs, kYzp));
  return c;
}

TEST(LowerQdq, ConvWithPerChannelWeightsBecomesInt8) {
  auto attrs = ConvAttrs();
  attrs["act"] = int64_t{TGRS_ACT_RELU};
  ConvNet c = MakeConvNet(attrs);
  ASSERT_TRUE(Lower(c.g).ok());
  ASSERT_EQ(c.g.nodes.size(), 3u) << c.g.Dump();
  EXPECT_EQ(c.g.nodes[0].kind, OpKind::kQuantizeLinear);
  EXPECT_EQ(c.g.nodes[2].kind, OpKind::kDequantizeLinear);
  const ir::Node& conv = c.g.nodes[1];
  ASSERT_EQ(conv.kind, OpKind::kConv);
  EXPECT_EQ(conv.name, "conv");
  EXPECT_EQ(ir::KernelDTypeOf(c.g, conv), DType::kI8);
  ASSERT_EQ(conv.inputs.size(), 4u);  // x, w, bias, rq (no weight zero points)
  EXPECT_EQ(c.g.tensor(conv.inputs[0]).name, "xq");  // ids are renumbered by EliminateDeadCode
  EXPECT_EQ(c.g.tensor(conv.outputs[0]).name, "yq");
  // the weights are the integers the float constant was made from
  const ir::Tensor& w8 = c.g.tensor(conv.inputs[1]);
  EXPECT_EQ(w8.dtype, DType::kI8);
  EXPECT_EQ(Data<int8_t>(w8), (std::vector<int8_t>{10, -20, 127, -128}));
  // bias / (x_scale * w_scale[c]), rounded
  const ir::Tensor& b32 = c.g.tensor(conv.inputs[2]);
  EXPECT_EQ(b32.dtype, DType::kI32);
  EXPECT_EQ(Data<int32_t>(b32), (std::vector<int32_t>{static_cast<int32_t>(std::nearbyint(0.0125 / (0.05 * 0.01))),
                                                      static_cast<int32_t>(std::nearbyint(-0.5 / (0.05 * 0.02)))}));
  // per-channel (multiplier, shift) of x_scale * w_scale[c] / y_scale
  const std::vector<double> ws = {0.01f, 0.02f};
  auto m = QuantizeConvMultipliers(kXs, ws, kYs);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(Data<int32_t>(c.g.tensor(conv.inputs[3])),
            (std::vector<int32_t>{(*m)[0].multiplier, (*m)[0].shift, (*m)[1].multiplier, (*m)[1].shift}));
  EXPECT_EQ(conv.GetInt("x_zp"), kXzp);
  EXPECT_EQ(conv.GetInt("y_zp"), kYzp);
  // the fused Relu is the output clamp: real 0 is the zero point
  EXPECT_EQ(conv.GetInt("q_min"), kYzp);
  EXPECT_EQ(conv.GetInt("q_max"), 127);
  EXPECT_FALSE(conv.Has("act"));
}

TEST(LowerQdq, WeightZeroPointsAndUint8WeightsBecomeInt8WithAZeroPointInput) {
  // uint8 weights around 128 (the values shift by -128, so do the zero points)
  ConvNet c = MakeConvNet(ConvAttrs(), Weights::kUint8WithZeroPoints);
  ASSERT_TRUE(Lower(c.g).ok());
  const ir::Node* conv = Find(c.g, OpKind::kConv);
  ASSERT_NE(conv, nullptr);
  ASSERT_EQ(conv->inputs.size(), 5u);
  EXPECT_EQ(Data<int8_t>(c.g.tensor(conv->inputs[1])), (std::vector<int8_t>{72, -28, 127, -128}));
  EXPECT_EQ(Data<int32_t>(c.g.tensor(conv->inputs[4])), (std::vector<int32_t>{2, -8}));
}

TEST(LowerQdq, DepthwiseConvWithPerTensorWeights) {
  ir::Graph g;
  g.name = "dw";
  const TensorId xq = Typed(g, "xq", DType::kI8, {1, 2, 4, 4});
  const TensorId xf = Act(g, "xf", {1, 2, 4, 4});
  const TensorId y = Act(g, "y", {1, 2, 2, 2});
  const TensorId yq = Typed(g, "yq", DType::kI8, {1, 2, 2, 2});
  const TensorId w = QuantizedWeight(g, "w", {2, 1, 3, 3}, std::vector<int>(18, 3), {0.5f}, -1);
  g.inputs = {xq};
  g.outputs = {yq};
  auto attrs = ConvAttrs(2);
  attrs["kernel_shape"] = std::vector<int64_t>{3, 3};
  attrs["strides"] = std::vector<int64_t>{2, 2};
  attrs["pads"] = std::vector<int64_t>{1, 1, 0, 0};
  g.AddNode(DQ("dq", xq, xf, kXs, kXzp));
  g.AddNode(MakeNode("dw", OpKind::kConv, {xf, w}, {y}, attrs));
  g.AddNode(Q("q", y, yq, kYs, kYzp));
  ASSERT_TRUE(Lower(g).ok());
  ASSERT_EQ(g.nodes.size(), 1u) << g.Dump();
  const ir::Node& conv = g.nodes[0];
  EXPECT_EQ(conv.GetInt("group"), 2);
  EXPECT_EQ(g.tensor(conv.inputs[3]).shape, (std::vector<int64_t>{1, 2}));  // per-tensor requantization
  EXPECT_EQ(Data<int32_t>(g.tensor(conv.inputs[2])), (std::vector<int32_t>{0, 0}));  // a zero bias
}

TEST(LowerQdq, WhatDoesNotMatchStaysFloat) {
  // weights without a remembered quantization
  {
    ConvNet c = MakeConvNet(ConvAttrs(), Weights::kFloat);
    ASSERT_TRUE(Lower(c.g).ok());
    EXPECT_EQ(Count(c.g, OpKind::kQuantizeLinear), 2);
    EXPECT_EQ(Count(c.g, OpKind::kDequantizeLinear), 2);
    EXPECT_EQ(ir::KernelDTypeOf(c.g, *Find(c.g, OpKind::kConv)), DType::kF32);
  }
  // a fused activation that is not a clamp
  {
    auto attrs = ConvAttrs();
    attrs["act"] = int64_t{TGRS_ACT_SIGMOID};
    ConvNet c = MakeConvNet(attrs);
    ASSERT_TRUE(Lower(c.g).ok());
    EXPECT_EQ(ir::KernelDTypeOf(c.g, *Find(c.g, OpKind::kConv)), DType::kF32);
  }
  // the float output has another reader
  {
    ConvNet c = MakeConvNet();
    const TensorId r = Act(c.g, "r", {1, 2, 3, 3});
    c.g.AddNode(MakeNode("relu", OpKind::kRelu, {c.y}, {r}));
    c.g.outputs.push_back(r);
    ASSERT_TRUE(Lower(c.g).ok());
    EXPECT_EQ(ir::KernelDTypeOf(c.g, *Find(c.g, OpKind::kConv)), DType::kF32);
  }
  // the float output is a graph output
  {
    ConvNet c = MakeConvNet();
    c.g.outputs.push_back(c.y);
    ASSERT_TRUE(Lower(c.g).ok());
    EXPECT_EQ(ir::KernelDTypeOf(c.g, *Find(c.g, OpKind::kConv)), DType::kF32);
  }
  // weights whose floats are not exactly (q - zp) * scale
  {
    ConvNet c = MakeConvNet();
    float* v = reinterpret_cast<float*>(c.g.tensor(c.w).data.data());
    v[1] = std::nextafter(v[1], 1.f);
    ASSERT_TRUE(Lower(c.g).ok());
    EXPECT_EQ(ir::KernelDTypeOf(c.g, *Find(c.g, OpKind::kConv)), DType::kF32);
  }
}

TEST(LowerQdq, AFloatModelIsUnchanged) {
  ir::Graph g;
  g.name = "float";
  const TensorId x = Act(g, "x", {1, 1, 2, 2});
  const TensorId y = Act(g, "y", {1, 1, 2, 2});
  g.inputs = {x};
  g.outputs = {y};
  g.AddNode(MakeNode("relu", OpKind::kRelu, {x}, {y}));
  const std::string before = g.Dump();
  ASSERT_TRUE(LowerQdq(g).ok());
  EXPECT_EQ(g.Dump(), before);
}

TEST(LowerQdq, Uint8InputAndOutputKeepTheirTypeAtTheBoundary) {
  ir::Graph g;
  g.name = "u8";
  const TensorId in = Typed(g, "in", DType::kU8, {1, 2, 3, 3});
  const TensorId xf = Act(g, "xf", {1, 2, 3, 3});
  const TensorId y = Act(g, "y", {1, 2, 3, 3});
  const TensorId out = Typed(g, "out", DType::kU8, {1, 2, 3, 3});
  const TensorId w = QuantizedWeight(g, "w", {2, 2, 1, 1}, {1, 2, 3, 4}, {0.01f, 0.02f}, 0);
  g.inputs = {in};
  g.outputs = {out};
  g.AddNode(DQ("dq", in, xf, 1.f / 255.f, 0));
  g.AddNode(MakeNode("conv", OpKind::kConv, {xf, w}, {y}, ConvAttrs()));
  g.AddNode(Q("q", y, out, kYs, 140));
  ASSERT_TRUE(Lower(g).ok());
  ASSERT_EQ(g.nodes.size(), 3u) << g.Dump();
  // uint8 in -> int8 (x - 128), the int8 conv (zero points lowered by 128), int8 -> uint8 out
  EXPECT_EQ(g.nodes[0].kind, OpKind::kRequantize);
  EXPECT_EQ(g.tensor(g.nodes[0].inputs[0]).dtype, DType::kU8);
  EXPECT_EQ(g.nodes[0].GetInt("x_zp"), 128);
  EXPECT_EQ(g.nodes[0].GetInt("y_zp"), 0);
  const ir::Node& conv = g.nodes[1];
  EXPECT_EQ(conv.kind, OpKind::kConv);
  EXPECT_EQ(conv.GetInt("x_zp"), -128);
  EXPECT_EQ(conv.GetInt("y_zp"), 12);
  EXPECT_EQ(g.nodes[2].kind, OpKind::kRequantize);
  EXPECT_EQ(g.nodes[2].GetInt("x_zp"), 0);
  EXPECT_EQ(g.nodes[2].GetInt("y_zp"), 128);
  EXPECT_EQ(g.nodes[2].GetInt("q_min"), 0);
  EXPECT_EQ(g.nodes[2].GetInt("q_max"), 255);
  // the plan boundary: the same graph input and an output of the same name and type
  ASSERT_EQ(g.inputs.size(), 1u);
  EXPECT_EQ(g.tensor(g.inputs[0]).name, "in");
  EXPECT_EQ(g.tensor(g.inputs[0]).dtype, DType::kU8);
  EXPECT_EQ(g.tensor(g.outputs[0]).name, "out");
  EXPECT_EQ(g.tensor(g.outputs[0]).dtype, DType::kU8);
  // the identity multiplier
  auto one = QuantizeMultiplier(1.0);
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(g.nodes[0].GetInt("y_mult"), one->multiplier);
  EXPECT_EQ(g.nodes[0].GetInt("y_shift"), one->shift);
}

TEST(LowerQdq, QuantizeOfDequantizeIsARequantizeOrNothing) {
  for (bool same : {true, false}) {
    ir::Graph g;
    g.name = "qdq";
    const TensorId xq = Typed(g, "xq", DType::kI8, {4});
    const TensorId xf = Act(g, "xf", {4});
    const TensorId zq = Typed(g, "zq", DType::kI8, {4});
    const TensorId zf = Act(g, "zf", {4});
    const TensorId out = Act(g, "out", {4});
    g.inputs = {xq};
    g.outputs = {out};
    g.AddNode(DQ("dq", xq, xf, kXs, kXzp));
    g.AddNode(Q("q", xf, zq, same ? kXs : kYs, same ? kXzp : kYzp));
    g.AddNode(DQ("dq2", zq, zf, same ? kXs : kYs, same ? kXzp : kYzp));
    g.AddNode(MakeNode("relu", OpKind::kRelu, {zf}, {out}));
    ASSERT_TRUE(Lower(g).ok());
    EXPECT_EQ(Count(g, OpKind::kQuantizeLinear), 0) << g.Dump();
    EXPECT_EQ(Count(g, OpKind::kRequantize), same ? 0 : 1) << g.Dump();
    EXPECT_EQ(Count(g, OpKind::kDequantizeLinear), 1) << g.Dump();
    if (same) {
      EXPECT_EQ(g.tensor(Find(g, OpKind::kDequantizeLinear)->inputs[0]).name, "xq");
    }
  }
}

TEST(LowerQdq, ViewsMoveAcrossDequantizeLinearAndGemmFuses) {
  ir::Graph g;
  g.name = "fc";
  const TensorId xq = Typed(g, "xq", DType::kI8, {1, 4, 1, 1});
  const TensorId xf = Act(g, "xf", {1, 4, 1, 1});
  const TensorId flat = Act(g, "flat", {1, 4});
  const TensorId y = Act(g, "y", {1, 3});
  const TensorId yq = Typed(g, "yq", DType::kI8, {1, 3});
  const TensorId w = QuantizedWeight(g, "w", {3, 4}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, {0.1f, 0.2f, 0.3f}, 0);
  const TensorId b = Const(g, "b", {3}, {0.f, 0.f, 0.f});
  g.inputs = {xq};
  g.outputs = {yq};
  g.AddNode(DQ("dq", xq, xf, kXs, kXzp));
  g.AddNode(MakeNode("flatten", OpKind::kReshape, {xf}, {flat}));
  g.AddNode(MakeNode("fc", OpKind::kGemm, {flat, w, b}, {y},
                     {{"transA", int64_t{0}}, {"transB", int64_t{1}}, {"alpha", 1.f}, {"beta", 1.f}}));
  g.AddNode(Q("q", y, yq, kYs, kYzp));
  ASSERT_TRUE(Lower(g).ok());
  ASSERT_EQ(g.nodes.size(), 2u) << g.Dump();
  EXPECT_EQ(g.nodes[0].kind, OpKind::kReshape);
  EXPECT_EQ(g.tensor(g.nodes[0].outputs[0]).dtype, DType::kI8);
  EXPECT_EQ(g.nodes[1].kind, OpKind::kGemm);
  EXPECT_EQ(ir::KernelDTypeOf(g, g.nodes[1]), DType::kI8);
  EXPECT_EQ(g.nodes[1].GetInt("transB"), 1);
  EXPECT_EQ(g.tensor(g.nodes[1].inputs[3]).shape, (std::vector<int64_t>{3, 2}));
}

// xq -> DQ -> op -> Q(ys, yzp) for a one-input op
ir::Graph OneOp(OpKind kind, std::map<std::string, ir::AttrValue> attrs, std::vector<int64_t> in_shape,
                std::vector<int64_t> out_shape, float ys, int yzp) {
  ir::Graph g;
  g.name = "one";
  const TensorId xq = Typed(g, "xq", DType::kI8, in_shape);
  const TensorId xf = Act(g, "xf", in_shape);
  const TensorId y = Act(g, "y", out_shape);
  const TensorId yq = Typed(g, "yq", DType::kI8, out_shape);
  g.inputs = {xq};
  g.outputs = {yq};
  g.AddNode(DQ("dq", xq, xf, kXs, kXzp));
  g.AddNode(MakeNode("op", kind, {xf}, {y}, std::move(attrs)));
  g.AddNode(Q("q", y, yq, ys, yzp));
  return g;
}

std::map<std::string, ir::AttrValue> PoolAttrs(int64_t k, int64_t pad) {
  return {{"kernel_shape", std::vector<int64_t>{k, k}}, {"strides", std::vector<int64_t>{1, 1}},
          {"dilations", std::vector<int64_t>{1, 1}}, {"pads", std::vector<int64_t>{pad, pad, pad, pad}},
          {"ceil_mode", int64_t{0}}, {"count_include_pad", int64_t{0}}};
}

TEST(LowerQdq, MaxPoolKeepsItsInputQuantizationAndRequantizesOnlyWhenTheQDiffers) {
  {
    ir::Graph g = OneOp(OpKind::kMaxPool, PoolAttrs(2, 0), {1, 1, 3, 3}, {1, 1, 2, 2}, kXs, kXzp);
    ASSERT_TRUE(Lower(g).ok());
    ASSERT_EQ(g.nodes.size(), 1u) << g.Dump();
    EXPECT_EQ(ir::KernelDTypeOf(g, g.nodes[0]), DType::kI8);
  }
  {
    ir::Graph g = OneOp(OpKind::kMaxPool, PoolAttrs(2, 0), {1, 1, 3, 3}, {1, 1, 2, 2}, kYs, kYzp);
    ASSERT_TRUE(Lower(g).ok());
    ASSERT_EQ(g.nodes.size(), 2u) << g.Dump();
    EXPECT_EQ(g.nodes[0].kind, OpKind::kMaxPool);
    EXPECT_EQ(g.nodes[1].kind, OpKind::kRequantize);
    auto m = QuantizeMultiplier(static_cast<double>(kXs) / static_cast<double>(kYs));
    ASSERT_TRUE(m.ok());
    EXPECT_EQ(g.nodes[1].GetInt("y_mult"), m->multiplier);
    EXPECT_EQ(g.nodes[1].GetInt("y_shift"), m->shift);
  }
}

TEST(LowerQdq, AveragePoolIntoOtherParametersIsOneRoundingWhenEveryWindowIsFull) {
  // no padding: a depthwise conv of 64s requantized by x_scale / (taps * 64 * y_scale)
  ir::Graph g = OneOp(OpKind::kAveragePool, PoolAttrs(2, 0), {1, 3, 3, 3}, {1, 3, 2, 2}, kYs, kYzp);
  ASSERT_TRUE(Lower(g).ok());
  ASSERT_EQ(g.nodes.size(), 1u) << g.Dump();
  const ir::Node& conv = g.nodes[0];
  ASSERT_EQ(conv.kind, OpKind::kConv);
  EXPECT_EQ(conv.GetInt("group"), 3);
  EXPECT_EQ(Data<int8_t>(g.tensor(conv.inputs[1])), std::vector<int8_t>(12, 64));
  auto m = QuantizeMultiplier(static_cast<double>(kXs) / (4.0 * 64.0 * static_cast<double>(kYs)));
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(Data<int32_t>(g.tensor(conv.inputs[3])), (std::vector<int32_t>{m->multiplier, m->shift}));
  // with padding that the average does not count: the pool, then a Requantize
  ir::Graph p = OneOp(OpKind::kAveragePool, PoolAttrs(2, 1), {1, 3, 3, 3}, {1, 3, 4, 4}, kYs, kYzp);
  ASSERT_TRUE(Lower(p).ok());
  ASSERT_EQ(p.nodes.size(), 2u) << p.Dump();
  EXPECT_EQ(p.nodes[0].kind, OpKind::kAveragePool);
  EXPECT_EQ(p.nodes[0].GetInt("x_zp"), kXzp);
  EXPECT_EQ(p.nodes[1].kind, OpKind::kRequantize);
}

TEST(LowerQdq, UnaryOpsBecomeLookupTables) {
  ir::Graph g = OneOp(OpKind::kSigmoid, {}, {1, 4}, {1, 4}, 1.f / 256.f, -128);
  ASSERT_TRUE(Lower(g).ok());
  ASSERT_EQ(g.nodes.size(), 1u) << g.Dump();
  const ir::Node& n = g.nodes[0];
  EXPECT_EQ(n.kind, OpKind::kSigmoid);
  EXPECT_EQ(ir::KernelDTypeOf(g, n), DType::kI8);
  ASSERT_EQ(n.inputs.size(), 2u);
  auto expect = BuildLutS8(kXs, kXzp, 1.f / 256.f, -128, [](double x) { return 1.0 / (1.0 + std::exp(-x)); });
  ASSERT_TRUE(expect.ok());
  EXPECT_EQ(Data<int8_t>(g.tensor(n.inputs[1])), std::vector<int8_t>(expect->begin(), expect->end()));
}

// Conv -> Q -> DQ -> Relu -> Q: with the same quantization around the Relu its table is a clamp
// and folds into the Conv's; with another one it stays a table.
TEST(LowerQdq, AReluBetweenEqualQuantizationsFoldsIntoTheProducersClamp) {
  for (bool same : {true, false}) {
    ConvNet c = MakeConvNet();
    // conv -> y -> q_y -> yq -> dq_y -> out: insert Relu after a second DQ
    const TensorId yf = Act(c.g, "yf", {1, 2, 3, 3});
    const TensorId r = Act(c.g, "r", {1, 2, 3, 3});
    const TensorId rq = Typed(c.g, "rq", DType::kI8, {1, 2, 3, 3});
    c.g.nodes.pop_back();  // dq_y
    c.g.AddNode(DQ("dq_y", c.yq, yf, kYs, kYzp));
    c.g.AddNode(MakeNode("relu", OpKind::kRelu, {yf}, {r}));
    c.g.AddNode(Q("q_r", r, rq, same ? kYs : 0.05f, same ? kYzp : -128));
    c.g.AddNode(DQ("dq_r", rq, c.out, same ? kYs : 0.05f, same ? kYzp : -128));
    ASSERT_TRUE(Lower(c.g).ok());
    EXPECT_EQ(Count(c.g, OpKind::kRelu), same ? 0 : 1) << c.g.Dump();
    const ir::Node* conv = Find(c.g, OpKind::kConv);
    ASSERT_NE(conv, nullptr);
    EXPECT_EQ(conv->GetInt("q_min"), same ? kYzp : -128);
    if (same) {
      EXPECT_EQ(c.g.tensor(conv->outputs[0]).name, "rq");
    }
  }
}

TEST(LowerQdq, SoftmaxOutputIsTheFixedQuantizationOrRequantized) {
  {
    ir::Graph g = OneOp(OpKind::kSoftmax, {{"axis", int64_t{1}}}, {1, 8}, {1, 8}, 1.f / 256.f, -128);
    ASSERT_TRUE(Lower(g).ok());
    ASSERT_EQ(g.nodes.size(), 1u) << g.Dump();
    auto p = QuantizeSoftmax(1.0, kXs);
    ASSERT_TRUE(p.ok());
    EXPECT_EQ(g.nodes[0].GetInt("softmax_mult"), p->input_mult);
    EXPECT_EQ(g.nodes[0].GetInt("softmax_shift"), p->input_left_shift);
    EXPECT_EQ(g.nodes[0].GetInt("diff_min"), p->diff_min);
  }
  {
    ir::Graph g = OneOp(OpKind::kSoftmax, {{"axis", int64_t{1}}}, {1, 8}, {1, 8}, 1.f / 255.f, -128);
    ASSERT_TRUE(Lower(g).ok());
    EXPECT_EQ(Count(g, OpKind::kRequantize), 1) << g.Dump();
  }
}

TEST(LowerQdq, ConcatRequantizesTheInputsWithOtherParameters) {
  ir::Graph g;
  g.name = "cat";
  const TensorId aq = Typed(g, "aq", DType::kI8, {1, 2});
  const TensorId bq = Typed(g, "bq", DType::kI8, {1, 2});
  const TensorId af = Act(g, "af", {1, 2});
  const TensorId bf = Act(g, "bf", {1, 2});
  const TensorId y = Act(g, "y", {1, 4});
  const TensorId yq = Typed(g, "yq", DType::kI8, {1, 4});
  g.inputs = {aq, bq};
  g.outputs = {yq};
  g.AddNode(DQ("dqa", aq, af, kYs, kYzp));
  g.AddNode(DQ("dqb", bq, bf, kXs, kXzp));
  g.AddNode(MakeNode("cat", OpKind::kConcat, {af, bf}, {y}, {{"axis", int64_t{1}}}));
  g.AddNode(Q("q", y, yq, kYs, kYzp));
  ASSERT_TRUE(Lower(g).ok());
  ASSERT_EQ(g.nodes.size(), 2u) << g.Dump();
  EXPECT_EQ(g.nodes[0].kind, OpKind::kRequantize);
  EXPECT_EQ(g.tensor(g.nodes[0].inputs[0]).name, "bq");
  const ir::Node& cat = g.nodes[1];
  EXPECT_EQ(cat.kind, OpKind::kConcat);
  EXPECT_EQ(g.tensor(cat.inputs[0]).name, "aq");
  EXPECT_EQ(cat.inputs[1], g.nodes[0].outputs[0]);
}

TEST(LowerQdq, SplitRequantizesTheOutputsWithOtherParameters) {
  ir::Graph g;
  g.name = "split";
  const TensorId xq = Typed(g, "xq", DType::kI8, {1, 4});
  const TensorId xf = Act(g, "xf", {1, 4});
  const TensorId a = Act(g, "a", {1, 2});
  const TensorId b = Act(g, "b", {1, 2});
  const TensorId aq = Typed(g, "aq", DType::kI8, {1, 2});
  const TensorId bq = Typed(g, "bq", DType::kI8, {1, 2});
  g.inputs = {xq};
  g.outputs = {aq, bq};
  g.AddNode(DQ("dq", xq, xf, kXs, kXzp));
  g.AddNode(MakeNode("split", OpKind::kSplit, {xf}, {a, b}, {{"axis", int64_t{1}}, {"split", std::vector<int64_t>{2, 2}}}));
  g.AddNode(Q("qa", a, aq, kXs, kXzp));
  g.AddNode(Q("qb", b, bq, kYs, kYzp));
  ASSERT_TRUE(Lower(g).ok());
  ASSERT_EQ(g.nodes.size(), 2u) << g.Dump();
  EXPECT_EQ(g.nodes[0].kind, OpKind::kSplit);
  EXPECT_EQ(ir::KernelDTypeOf(g, g.nodes[0]), DType::kI8);
  EXPECT_EQ(g.tensor(g.nodes[0].outputs[0]).name, "aq");
  EXPECT_EQ(g.nodes[1].kind, OpKind::kRequantize);
  EXPECT_EQ(g.tensor(g.nodes[1].outputs[0]).name, "bq");
}

TEST(LowerQdq, AddOfTwoActivationsAndMulByAQuantizedConstant) {
  ir::Graph g;
  g.name = "add";
  const TensorId aq = Typed(g, "aq", DType::kI8, {1, 4});
  const TensorId bq = Typed(g, "bq", DType::kI8, {1, 4});
  const TensorId af = Act(g, "af", {1, 4});
  const TensorId bf = Act(g, "bf", {1, 4});
  const TensorId s = Act(g, "s", {1, 4});
  const TensorId sq = Typed(g, "sq", DType::kI8, {1, 4});
  const TensorId sf = Act(g, "sf", {1, 4});
  const TensorId c = QuantizedWeight(g, "c", {4}, {1, -2, 3, 100}, {0.25f}, -1, {0});
  const TensorId m = Act(g, "m", {1, 4});
  const TensorId mq = Typed(g, "mq", DType::kI8, {1, 4});
  g.inputs = {aq, bq};
  g.outputs = {mq};
  g.AddNode(DQ("dqa", aq, af, kXs, kXzp));
  g.AddNode(DQ("dqb", bq, bf, kYs, kYzp));
  g.AddNode(MakeNode("add", OpKind::kAdd, {af, bf}, {s}, {{"act", int64_t{TGRS_ACT_RELU}}}));
  g.AddNode(Q("qs", s, sq, 0.2f, -10));
  g.AddNode(DQ("dqs", sq, sf, 0.2f, -10));
  g.AddNode(MakeNode("mul", OpKind::kMul, {sf, c}, {m}));
  g.AddNode(Q("qm", m, mq, 0.5f, 0));
  ASSERT_TRUE(Lower(g).ok());
  ASSERT_EQ(g.nodes.size(), 2u) << g.Dump();
  const ir::Node& add = g.nodes[0];
  auto p = QuantizeAdd(kXs, kYs, 0.2f);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(add.GetInt("a_mult"), p->a.multiplier);
  EXPECT_EQ(add.GetInt("b_shift"), p->b.shift);
  EXPECT_EQ(add.GetInt("y_mult"), p->output.multiplier);
  EXPECT_EQ(add.GetInt("q_min"), -10);  // the fused Relu
  const ir::Node& mul = g.nodes[1];
  EXPECT_EQ(mul.kind, OpKind::kMul);
  EXPECT_EQ(Data<int8_t>(g.tensor(mul.inputs[1])), (std::vector<int8_t>{1, -2, 3, 100}));
  auto mm = QuantizeMul(0.2f, 0.25f, 0.5f);
  ASSERT_TRUE(mm.ok());
  EXPECT_EQ(mul.GetInt("y_mult"), mm->multiplier);
}

}  // namespace
}  // namespace tigris::passes
