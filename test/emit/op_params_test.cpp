// EncodeParams: each canonical attribute lands in the right field of its tgrs_*_params_t, the
// documented defaults apply, and untranslatable attributes fail naming the node and op.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "tigris/emit/op_params.h"
#include "tigris/kernels/tgrs_params.h"
#include "tigris/kernels/tgrs_qparams.h"

namespace tigris::emit {
namespace {

using ir::OpKind;

struct Fixture {
  ir::Graph g;
  ir::Node node;
  ir::TensorId Add(std::vector<int64_t> shape, bool constant = false) {
    ir::Tensor t;
    t.name = "t" + std::to_string(g.tensors.size());
    t.shape = std::move(shape);
    t.is_constant = constant;
    if (constant) t.data.assign(static_cast<size_t>(t.SizeBytes()), 0);
    return g.AddTensor(std::move(t));
  }
  Fixture(OpKind kind, std::vector<int64_t> in_shape, std::vector<int64_t> out_shape) {
    node.name = "n";
    node.kind = kind;
    node.inputs = {Add(std::move(in_shape))};
    node.outputs = {Add(std::move(out_shape))};
  }
  template <typename T>
  T Decode() {
    auto w = EncodeParams(g, node);
    EXPECT_TRUE(w.ok()) << w.status().message();
    T rec{};
    if (w.ok()) {
      EXPECT_EQ(w->size() * 4, sizeof(T));
      std::memcpy(&rec, w->data(), sizeof(T));
    }
    return rec;
  }
  std::string Error() {
    auto w = EncodeParams(g, node);
    EXPECT_FALSE(w.ok());
    return w.ok() ? "" : w.status().message();
  }
};

TEST(OpParams, Conv2dFieldsAndPadsOrder) {
  Fixture f(OpKind::kConv, {1, 3, 10, 12}, {1, 8, 5, 6});
  f.node.inputs.push_back(f.Add({8, 1, 3, 5}, true));
  f.node.attrs["kernel_shape"] = std::vector<int64_t>{3, 5};
  f.node.attrs["strides"] = std::vector<int64_t>{2, 3};
  f.node.attrs["dilations"] = std::vector<int64_t>{1, 2};
  f.node.attrs["pads"] = std::vector<int64_t>{1, 2, 3, 4};  // top, left, bottom, right
  f.node.attrs["group"] = int64_t{3};
  f.node.attrs["act"] = std::string("Clip");
  f.node.attrs["act_a"] = 0.f;
  f.node.attrs["act_b"] = 6.f;
  const auto p = f.Decode<tgrs_conv_params_t>();
  EXPECT_EQ(p.kernel_h, 3);
  EXPECT_EQ(p.kernel_w, 5);
  EXPECT_EQ(p.stride_h, 2);
  EXPECT_EQ(p.stride_w, 3);
  EXPECT_EQ(p.dilation_h, 1);
  EXPECT_EQ(p.dilation_w, 2);
  EXPECT_EQ(p.pad_top, 1);
  EXPECT_EQ(p.pad_left, 2);
  EXPECT_EQ(p.pad_bottom, 3);
  EXPECT_EQ(p.pad_right, 4);
  EXPECT_EQ(p.group, 3);
  EXPECT_EQ(p.act.kind, TGRS_ACT_CLIP);
  EXPECT_EQ(p.act.a, 0.f);
  EXPECT_EQ(p.act.b, 6.f);
}

TEST(OpParams, Conv1dMapsToWidthFieldsAndInfersKernelFromWeight) {
  Fixture f(OpKind::kConv, {1, 2, 8}, {1, 4, 4});
  f.node.inputs.push_back(f.Add({4, 2, 3}, true));
  f.node.attrs["strides"] = std::vector<int64_t>{2};
  f.node.attrs["pads"] = std::vector<int64_t>{1, 2};
  f.node.attrs["act"] = std::string("leaky_relu");
  const auto p = f.Decode<tgrs_conv_params_t>();
  EXPECT_EQ(p.kernel_h, 1);
  EXPECT_EQ(p.kernel_w, 3);
  EXPECT_EQ(p.stride_h, 1);
  EXPECT_EQ(p.stride_w, 2);
  EXPECT_EQ(p.dilation_h, 1);
  EXPECT_EQ(p.dilation_w, 1);
  EXPECT_EQ(p.pad_top, 0);
  EXPECT_EQ(p.pad_bottom, 0);
  EXPECT_EQ(p.pad_left, 1);
  EXPECT_EQ(p.pad_right, 2);
  EXPECT_EQ(p.group, 1);
  EXPECT_EQ(p.act.kind, TGRS_ACT_LEAKY_RELU);
  EXPECT_FLOAT_EQ(p.act.a, 0.01f);  // ONNX LeakyRelu default alpha
}

TEST(OpParams, ActivationNamesNumbersAndErrors) {
  Fixture f(OpKind::kAdd, {4}, {4});
  f.node.inputs.push_back(f.node.inputs[0]);
  EXPECT_EQ(f.Decode<tgrs_act_params_t>().act.kind, TGRS_ACT_NONE);
  f.node.attrs["act"] = std::string("HardSigmoid");
  auto p = f.Decode<tgrs_act_params_t>();
  EXPECT_EQ(p.act.kind, TGRS_ACT_HARD_SIGMOID);
  EXPECT_FLOAT_EQ(p.act.a, 0.2f);
  EXPECT_FLOAT_EQ(p.act.b, 0.5f);
  f.node.attrs["act"] = int64_t{TGRS_ACT_SILU};
  EXPECT_EQ(f.Decode<tgrs_act_params_t>().act.kind, TGRS_ACT_SILU);
  f.node.attrs["act"] = std::string("Gelu");
  const std::string err = f.Error();
  EXPECT_NE(err.find("node 'n' (Add)"), std::string::npos) << err;
  EXPECT_NE(err.find("Gelu"), std::string::npos) << err;
}

TEST(OpParams, UnaryDefaults) {
  Fixture clip(OpKind::kClip, {4}, {4});
  auto c = clip.Decode<tgrs_unary_params_t>();
  EXPECT_TRUE(std::isinf(c.a) && c.a < 0);
  EXPECT_TRUE(std::isinf(c.b) && c.b > 0);
  clip.node.attrs["min"] = 0.f;
  clip.node.attrs["max"] = 6.f;
  c = clip.Decode<tgrs_unary_params_t>();
  EXPECT_EQ(c.a, 0.f);
  EXPECT_EQ(c.b, 6.f);
  Fixture hs(OpKind::kHardSigmoid, {4}, {4});
  const auto h = hs.Decode<tgrs_unary_params_t>();
  EXPECT_FLOAT_EQ(h.a, 0.2f);
  EXPECT_FLOAT_EQ(h.b, 0.5f);
}

TEST(OpParams, PoolAndGemm) {
  Fixture f(OpKind::kAveragePool, {1, 2, 9, 9}, {1, 2, 4, 4});
  f.node.attrs["kernel_shape"] = std::vector<int64_t>{3, 3};
  f.node.attrs["strides"] = std::vector<int64_t>{2, 2};
  f.node.attrs["pads"] = std::vector<int64_t>{0, 1, 0, 1};
  f.node.attrs["count_include_pad"] = int64_t{1};
  const auto p = f.Decode<tgrs_pool_params_t>();
  EXPECT_EQ(p.kernel_h, 3);
  EXPECT_EQ(p.stride_w, 2);
  EXPECT_EQ(p.pad_left, 1);
  EXPECT_EQ(p.pad_right, 1);
  EXPECT_EQ(p.count_include_pad, 1);
  Fixture m(OpKind::kMaxPool, {1, 2, 9}, {1, 2, 8});
  m.node.attrs["kernel_shape"] = std::vector<int64_t>{2};
  const auto q = m.Decode<tgrs_pool_params_t>();
  EXPECT_EQ(q.kernel_h, 1);
  EXPECT_EQ(q.kernel_w, 2);
  EXPECT_EQ(q.count_include_pad, 0);
  Fixture nk(OpKind::kMaxPool, {1, 2, 9}, {1, 2, 8});
  EXPECT_NE(nk.Error().find("kernel_shape"), std::string::npos);

  Fixture g(OpKind::kGemm, {2, 3}, {2, 4});
  g.node.attrs["transB"] = int64_t{1};
  g.node.attrs["alpha"] = 0.5f;
  const auto r = g.Decode<tgrs_gemm_params_t>();
  EXPECT_EQ(r.trans_a, 0);
  EXPECT_EQ(r.trans_b, 1);
  EXPECT_EQ(r.alpha, 0.5f);
  EXPECT_EQ(r.beta, 1.f);
}

TEST(OpParams, AxisReduceTranspose) {
  Fixture s(OpKind::kSoftmax, {2, 3, 4}, {2, 3, 4});
  EXPECT_EQ(s.Decode<tgrs_axis_params_t>().axis, 2);  // opset-13 default -1
  s.node.attrs["axis"] = int64_t{-2};
  EXPECT_EQ(s.Decode<tgrs_axis_params_t>().axis, 1);
  s.node.attrs["axis"] = int64_t{3};
  EXPECT_NE(s.Error().find("out of range"), std::string::npos);

  Fixture r(OpKind::kReduceMean, {1, 8, 4, 4}, {1, 8, 1, 1});
  r.node.attrs["axes"] = std::vector<int64_t>{2, 3};
  auto rp = r.Decode<tgrs_reduce_params_t>();
  EXPECT_EQ(rp.axes_mask, 0b1100);
  EXPECT_EQ(rp.keepdims, 1);
  // untiled: one call does the whole reduction of 4 * 4 elements
  EXPECT_EQ(rp.flags, TGRS_ACC_BEGIN | TGRS_ACC_END);
  EXPECT_EQ(rp.count, 16);
  r.node.attrs.erase("axes");
  EXPECT_EQ(r.Decode<tgrs_reduce_params_t>().axes_mask, 0b1111);
  EXPECT_EQ(r.Decode<tgrs_reduce_params_t>().count, 8 * 4 * 4);

  Fixture t(OpKind::kTranspose, {2, 3, 4}, {4, 3, 2});
  auto tp = t.Decode<tgrs_transpose_params_t>();
  EXPECT_EQ(tp.perm[0], 2);
  EXPECT_EQ(tp.perm[1], 1);
  EXPECT_EQ(tp.perm[2], 0);
  t.node.attrs["perm"] = std::vector<int64_t>{0, 0, 1};
  EXPECT_NE(t.Error().find("permutation"), std::string::npos);
}

TEST(OpParams, TensorViewIsDenseRowMajor) {
  ir::Tensor t;
  t.name = "t";
  t.shape = {2, 3, 4};
  auto v = TensorView(t);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->strides[0], 12);
  EXPECT_EQ(v->strides[1], 4);
  EXPECT_EQ(v->strides[2], 1);
  EXPECT_EQ(v->strides[3], 0);
  EXPECT_TRUE(tgrs_tensor_is_dense(&*v));
}

TEST(OpParams, GlobalPoolsAreOneWholeAccumulation) {
  for (OpKind kind : {OpKind::kGlobalAveragePool, OpKind::kGlobalMaxPool}) {
    Fixture f(kind, {2, 8, 5, 7}, {2, 8, 1, 1});
    const auto p = f.Decode<tgrs_global_pool_params_t>();
    EXPECT_EQ(p.flags, TGRS_ACC_BEGIN | TGRS_ACC_END);
    EXPECT_EQ(p.count, 35);  // the spatial extent of one plane
    Fixture f1(kind, {1, 3, 9}, {1, 3, 1});
    EXPECT_EQ(f1.Decode<tgrs_global_pool_params_t>().count, 9);
  }
}

TEST(OpParams, SliceChecksEveryReadStaysInside) {
  Fixture f(OpKind::kSlice, {10, 6}, {3, 6});
  f.node.attrs["starts"] = std::vector<int64_t>{9, 0};
  f.node.attrs["steps"] = std::vector<int64_t>{-3, 1};
  const auto p = f.Decode<tgrs_slice_params_t>();
  EXPECT_EQ(p.start[0], 9);
  EXPECT_EQ(p.step[0], -3);
  EXPECT_EQ(p.start[1], 0);
  EXPECT_EQ(p.step[1], 1);
  f.node.attrs["steps"] = std::vector<int64_t>{-4, 1};  // 9, 5, 1 ok; -5 would not be
  EXPECT_TRUE(EncodeParams(f.g, f.node).ok());
  f.node.attrs["starts"] = std::vector<int64_t>{7, 0};  // 7, 3, -1: outside
  const std::string err = f.Error();
  EXPECT_NE(err.find("node 'n' (Slice)"), std::string::npos) << err;
}

TEST(OpParams, PadModes) {
  Fixture f(OpKind::kPad, {1, 2, 4}, {1, 2, 7});
  f.node.attrs["pads"] = std::vector<int64_t>{0, 0, 1, 0, 0, 2};
  f.node.attrs["mode"] = std::string("reflect");
  f.node.attrs["value"] = 1.5f;
  auto p = f.Decode<tgrs_pad_params_t>();
  EXPECT_EQ(p.mode, TGRS_PAD_REFLECT);
  EXPECT_EQ(p.value, 1.5f);
  EXPECT_EQ(p.pad_begin[2], 1);
  const std::pair<const char*, int> modes[] = {
      {"constant", TGRS_PAD_CONSTANT}, {"edge", TGRS_PAD_EDGE}, {"wrap", TGRS_PAD_WRAP}};
  for (const auto& [name, value] : modes) {
    f.node.attrs["mode"] = std::string(name);
    EXPECT_EQ(f.Decode<tgrs_pad_params_t>().mode, value) << name;
  }
  f.node.attrs["mode"] = std::string("mirror");
  EXPECT_NE(f.Error().find("mirror"), std::string::npos);
  f.node.attrs["mode"] = std::string("constant");
  f.node.attrs["pads"] = std::vector<int64_t>{0, 0, 1, 0, 0, 1};  // 4 + 2 != 7
  EXPECT_NE(f.Error().find("output shape"), std::string::npos);
}

TEST(OpParams, ResizeEnumsAndScales) {
  Fixture f(OpKind::kResize, {1, 3, 4, 5}, {1, 3, 8, 10});
  f.node.attrs["mode"] = std::string("linear");
  f.node.attrs["coordinate_transformation_mode"] = std::string("align_corners");
  f.node.attrs["nearest_mode"] = std::string("floor");
  f.node.attrs["exclude_outside"] = int64_t{1};
  auto p = f.Decode<tgrs_resize_params_t>();
  EXPECT_EQ(p.mode, TGRS_RESIZE_LINEAR);
  EXPECT_EQ(p.coord_mode, TGRS_COORD_ALIGN_CORNERS);
  EXPECT_EQ(p.nearest_mode, TGRS_NEAREST_FLOOR);
  EXPECT_FLOAT_EQ(p.cubic_coeff_a, -0.75f);
  EXPECT_EQ(p.exclude_outside, 1);
  EXPECT_EQ(p.scale[0], 1.f);
  EXPECT_EQ(p.scale[2], 2.f);  // from the shapes when scales are absent
  // untiled: the window is the whole tensors
  const int32_t in[4] = {1, 3, 4, 5}, out[4] = {1, 3, 8, 10};
  for (int d = 0; d < 4; ++d) {
    EXPECT_EQ(p.in_origin[d], 0);
    EXPECT_EQ(p.out_origin[d], 0);
    EXPECT_EQ(p.in_full[d], in[d]);
    EXPECT_EQ(p.out_full[d], out[d]);
  }
  for (int d = 4; d < TGRS_MAX_RANK; ++d) EXPECT_EQ(p.in_full[d], 0);
  f.node.attrs["scales"] = std::vector<float>{1.f, 1.f, 2.1f, 2.f};
  EXPECT_FLOAT_EQ(f.Decode<tgrs_resize_params_t>().scale[2], 2.1f);
  f.node.attrs["mode"] = std::string("cubic");
  f.node.attrs["coordinate_transformation_mode"] = std::string("tf_half_pixel_for_nn");
  f.node.attrs["nearest_mode"] = std::string("round_prefer_ceil");
  p = f.Decode<tgrs_resize_params_t>();
  EXPECT_EQ(p.mode, TGRS_RESIZE_CUBIC);
  EXPECT_EQ(p.coord_mode, TGRS_COORD_TF_HALF_PIXEL_FOR_NN);
  EXPECT_EQ(p.nearest_mode, TGRS_NEAREST_ROUND_PREFER_CEIL);
  f.node.attrs["coordinate_transformation_mode"] = std::string("tf_crop_and_resize");
  const std::string err = f.Error();
  EXPECT_NE(err.find("node 'n' (Resize)"), std::string::npos) << err;
  EXPECT_NE(err.find("tf_crop_and_resize"), std::string::npos) << err;
}

TEST(OpParams, EnumAttributesAsIntegersPerIrDoc) {
  Fixture pad(OpKind::kPad, {4}, {6});
  pad.node.attrs["pads"] = std::vector<int64_t>{1, 1};
  pad.node.attrs["mode"] = int64_t{TGRS_PAD_EDGE};
  EXPECT_EQ(pad.Decode<tgrs_pad_params_t>().mode, TGRS_PAD_EDGE);
  pad.node.attrs["mode"] = int64_t{7};
  EXPECT_NE(pad.Error().find("node 'n' (Pad)"), std::string::npos);

  Fixture r(OpKind::kResize, {1, 1, 2, 2}, {1, 1, 4, 4});
  r.node.attrs["mode"] = int64_t{TGRS_RESIZE_CUBIC};
  r.node.attrs["coord_mode"] = int64_t{TGRS_COORD_HALF_PIXEL_SYMMETRIC};
  r.node.attrs["nearest_mode"] = int64_t{TGRS_NEAREST_CEIL};
  const auto p = r.Decode<tgrs_resize_params_t>();
  EXPECT_EQ(p.mode, TGRS_RESIZE_CUBIC);
  EXPECT_EQ(p.coord_mode, TGRS_COORD_HALF_PIXEL_SYMMETRIC);
  EXPECT_EQ(p.nearest_mode, TGRS_NEAREST_CEIL);
}

TEST(OpParams, ConvTransposeNegativeEndPadBecomesZero) {
  // docs/ir.md folds output_padding into a negative end pad; the kernel infers it from the
  // output dims, so the record carries 0 and only the output count changes.
  Fixture f(OpKind::kConvTranspose, {1, 2, 3, 3}, {1, 4, 8, 8});
  f.node.inputs.push_back(f.Add({2, 4, 3, 3}, true));
  f.node.attrs["kernel_shape"] = std::vector<int64_t>{3, 3};
  f.node.attrs["strides"] = std::vector<int64_t>{2, 2};
  f.node.attrs["pads"] = std::vector<int64_t>{0, 0, -1, -1};
  const auto p = f.Decode<tgrs_conv_params_t>();
  EXPECT_EQ(p.pad_bottom, 0);
  EXPECT_EQ(p.pad_right, 0);
  EXPECT_EQ(p.stride_h, 2);
  Fixture c(OpKind::kConv, {1, 2, 3, 3}, {1, 4, 3, 3});
  c.node.inputs.push_back(c.Add({4, 2, 3, 3}, true));
  c.node.attrs["pads"] = std::vector<int64_t>{0, 0, -1, 1};
  EXPECT_NE(c.Error().find("pads"), std::string::npos);
}

TEST(OpParams, ImportOnlyOpsAreRejected) {
  Fixture f(OpKind::kBatchNormalization, {1, 2, 3, 3}, {1, 2, 3, 3});
  EXPECT_NE(f.Error().find("(BatchNormalization)"), std::string::npos);
}

TEST(OpParams, Conv3dIsUnsupported) {
  Fixture f(OpKind::kConv, {1, 1, 4, 4, 4}, {1, 1, 2, 2, 2});
  f.node.attrs["kernel_shape"] = std::vector<int64_t>{3, 3, 3};
  EXPECT_NE(f.Error().find("1-D and 2-D"), std::string::npos);
}

TEST(OpParams, RnnFunctionsLandInTheirDirectionsSlots) {
  // GRU bidirectional: 2 functions per direction go to act[3*d + k]; the unused slots hold Sigmoid
  Fixture f(OpKind::kGRU, {4, 1, 3}, {2, 1, 5});
  f.node.inputs.push_back(f.Add({2, 15, 3}, true));
  f.node.inputs.push_back(f.Add({2, 15, 5}, true));
  f.node.attrs = {{"hidden_size", int64_t{5}},
                  {"direction", int64_t{TGRS_RNN_BIDIRECTIONAL}},
                  {"layout", int64_t{0}},
                  {"outputs", int64_t{TGRS_RNN_OUT_Y_H}},
                  {"clip", 2.5f},
                  {"linear_before_reset", int64_t{1}},
                  {"activations", std::vector<int64_t>{TGRS_RNN_ACT_SIGMOID, TGRS_RNN_ACT_TANH,
                                                       TGRS_RNN_ACT_HARD_SIGMOID, TGRS_RNN_ACT_ELU}},
                  {"activation_alpha", std::vector<float>{0.f, 0.f, 0.25f, 0.8f}},
                  {"activation_beta", std::vector<float>{0.f, 0.f, 0.4f, 0.f}}};
  const auto p = f.Decode<tgrs_rnn_params_t>();
  EXPECT_EQ(p.hidden_size, 5);
  EXPECT_EQ(p.direction, TGRS_RNN_BIDIRECTIONAL);
  EXPECT_EQ(p.outputs, TGRS_RNN_OUT_Y_H);
  EXPECT_EQ(p.clip, 2.5f);
  EXPECT_EQ(p.linear_before_reset, 1);
  EXPECT_EQ(p.input_forget, 0);
  EXPECT_EQ(p.act[0].kind, TGRS_RNN_ACT_SIGMOID);
  EXPECT_EQ(p.act[1].kind, TGRS_RNN_ACT_TANH);
  EXPECT_EQ(p.act[2].kind, TGRS_RNN_ACT_SIGMOID);  // unused
  EXPECT_EQ(p.act[3].kind, TGRS_RNN_ACT_HARD_SIGMOID);
  EXPECT_EQ(p.act[3].alpha, 0.25f);
  EXPECT_EQ(p.act[3].beta, 0.4f);
  EXPECT_EQ(p.act[4].kind, TGRS_RNN_ACT_ELU);
  EXPECT_EQ(p.act[4].alpha, 0.8f);
  // without clip: +inf; an outputs mask that names other outputs than the node has fails
  f.node.attrs.erase("clip");
  EXPECT_TRUE(std::isinf(f.Decode<tgrs_rnn_params_t>().clip));
  f.node.attrs["outputs"] = int64_t{TGRS_RNN_OUT_Y | TGRS_RNN_OUT_Y_H};
  EXPECT_NE(f.Error().find("(GRU)"), std::string::npos);
  f.node.attrs["outputs"] = int64_t{TGRS_RNN_OUT_Y_H};
  f.node.attrs["activations"] = std::vector<int64_t>{TGRS_RNN_ACT_SIGMOID, TGRS_RNN_ACT_TANH};  // one direction's
  EXPECT_NE(f.Error().find("activations"), std::string::npos);
}

}  // namespace
}  // namespace tigris::emit

namespace tigris::emit {
namespace {

// A node of int8 tensors runs in the int8 table: its record is the ops_s8.def one, from the
// quantization attributes LowerQdq writes (docs/int8.md).
TEST(OpParamsS8, Int8ConvEncodesItsS8Record) {
  Fixture f(OpKind::kConv, {1, 3, 8, 8}, {1, 4, 8, 8});
  f.g.tensor(f.node.inputs[0]).dtype = ir::DType::kI8;
  f.g.tensor(f.node.outputs[0]).dtype = ir::DType::kI8;
  f.node.inputs.push_back(f.Add({4, 3, 3, 3}, true));
  f.g.tensor(f.node.inputs[1]).dtype = ir::DType::kI8;
  f.node.attrs = {{"kernel_shape", std::vector<int64_t>{3, 3}}, {"strides", std::vector<int64_t>{1, 1}},
                  {"dilations", std::vector<int64_t>{1, 1}},   {"pads", std::vector<int64_t>{1, 1, 1, 1}},
                  {"group", int64_t{1}},                       {"x_zp", int64_t{-3}},
                  {"y_zp", int64_t{7}},                        {"q_min", int64_t{7}},
                  {"q_max", int64_t{127}}};
  const auto p = f.Decode<tgrs_conv_s8_params_t>();
  EXPECT_EQ(p.kernel_h, 3);
  EXPECT_EQ(p.pad_bottom, 1);
  EXPECT_EQ(p.input_zp, -3);
  EXPECT_EQ(p.output_zp, 7);
  EXPECT_EQ(p.act_min, 7);
  EXPECT_EQ(p.act_max, 127);
  f.node.attrs.erase("y_zp");
  EXPECT_NE(f.Error().find("lacks attribute y_zp"), std::string::npos);
}

TEST(OpParamsS8, QuantizeLinearAndRequantize) {
  Fixture q(OpKind::kQuantizeLinear, {4}, {4});
  q.g.tensor(q.node.outputs[0]).dtype = ir::DType::kI8;
  q.node.attrs = {{"scale", 0.5f}, {"zero_point", int64_t{-4}}};
  const auto qp = q.Decode<tgrs_qdq_params_t>();
  EXPECT_EQ(qp.scale, 0.5f);
  EXPECT_EQ(qp.zero_point, -4);
  Fixture r(OpKind::kRequantize, {4}, {4});
  r.g.tensor(r.node.inputs[0]).dtype = ir::DType::kU8;
  r.node.attrs = {{"x_zp", int64_t{128}}, {"y_zp", int64_t{0}},     {"y_mult", int64_t{1 << 30}},
                  {"y_shift", int64_t{1}}, {"q_min", int64_t{-128}}, {"q_max", int64_t{127}}};
  const auto rp = r.Decode<tgrs_requantize_s8_params_t>();
  EXPECT_EQ(rp.input_zp, 128);
  EXPECT_EQ(rp.mult, 1 << 30);
  EXPECT_EQ(rp.shift, 1);
  // a float tensor: Requantize has no float kernel
  r.g.tensor(r.node.inputs[0]).dtype = ir::DType::kF32;
  EXPECT_FALSE(EncodeParams(r.g, r.node).ok());
}

}  // namespace
}  // namespace tigris::emit
