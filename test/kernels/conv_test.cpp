// Conv, ConvTranspose, Gemm and MatMul against hand-computed values and numpy/onnxruntime
// goldens (goldens.inc), plus the row-range bit-exactness the tiler relies on.
#include <cstring>

#include "goldens.inc"
#include "kernel_test_util.h"

using namespace tgrs_test;

TEST(Conv, HandComputed3x3WithBiasAndRelu) {
  // x = 1..9 in a 3x3 plane, two 2x2 filters: all-ones and [[1,0],[0,-1]], bias {0.5, -1}.
  const std::vector<float> x = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  const std::vector<float> w = {1, 1, 1, 1, 1, 0, 0, -1};
  const std::vector<float> b = {0.5f, -1.0f};
  std::vector<float> y(8);
  RunOp(TGRS_OP_Conv, {View(x.data(), {1, 1, 3, 3}), View(w.data(), {2, 1, 2, 2}), View(b.data(), {2})},
        {View(y.data(), {1, 2, 2, 2})}, ConvParams(2, 2, 1, 1, 1, 1, 0, 0, 0, 0, 1, Act(TGRS_ACT_RELU)));
  // filter 0: window sums 12,16,24,28 (+0.5); filter 1: x[i]-x[i+4] = -4 (-1) -> relu 0
  EXPECT_EQ(y, (std::vector<float>{12.5f, 16.5f, 24.5f, 28.5f, 0, 0, 0, 0}));
}

TEST(Conv, PaddingSkipsOutsideTaps) {
  // 2x2 input, 3x3 ones kernel, pad 1: each output sums the whole input = 10.
  const std::vector<float> x = {1, 2, 3, 4};
  const std::vector<float> w(9, 1.0f);
  std::vector<float> y(4);
  RunOp(TGRS_OP_Conv, {View(x.data(), {1, 1, 2, 2}), View(w.data(), {1, 1, 3, 3})}, {View(y.data(), {1, 1, 2, 2})},
        ConvParams(3, 3, 1, 1, 1, 1, 1, 1, 1, 1));
  EXPECT_EQ(y, (std::vector<float>{10, 10, 10, 10}));
}

TEST(Conv, GroupedDilatedStridedGolden) {
  std::vector<float> y(kConvG_y.size());
  RunOp(TGRS_OP_Conv, {View(kConvG_x.data(), kConvG_x_dims), View(kConvG_w.data(), kConvG_w_dims),
                       View(kConvG_b.data(), kConvG_b_dims)},
        {View(y.data(), kConvG_y_dims)}, ConvParams(3, 3, 2, 1, 2, 1, 1, 2, 0, 1, 2));
  ExpectClose(y, kConvG_y);
}

TEST(Conv, Depthwise1dSiluGolden) {
  std::vector<float> y(kConv1d_y.size());
  RunOp(TGRS_OP_Conv, {View(kConv1d_x.data(), kConv1d_x_dims), View(kConv1d_w.data(), kConv1d_w_dims)},
        {View(y.data(), kConv1d_y_dims)}, ConvParams(1, 3, 1, 2, 1, 2, 0, 2, 0, 1, 3, Act(TGRS_ACT_SILU)));
  ExpectClose(y, kConv1d_y);
}

TEST(Conv, OmittedBiasPassedWithDtypeZero) {
  // The runtime passes an omitted optional input as a zeroed view (dtype 0).
  const std::vector<float> x = {1, 2, 3, 4};
  const std::vector<float> w = {2};
  std::vector<float> y(4);
  RunOp(TGRS_OP_Conv, {View(x.data(), {1, 1, 2, 2}), View(w.data(), {1, 1, 1, 1}), tgrs_tensor_t{}},
        {View(y.data(), {1, 1, 2, 2})}, ConvParams(1, 1));
  EXPECT_EQ(y, (std::vector<float>{2, 4, 6, 8}));
}

TEST(Conv, OutputRowRangeIsBitExact) {
  // Computing a band of output rows from just the input rows it needs (pads adjusted, as the
  // tiler does) must give the same bits as the full computation: each element has a fixed
  // accumulation order. k 3, dilation 2, pads top 2 / bottom 1: output row r reads rows r-2..r+2.
  const int32_t C = 2, H = 12, W = 5, M = 3, OH = 11;
  std::vector<float> x(C * H * W), w(M * C * 3 * 3), b = {0.25f, -0.5f, 1.0f};
  for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>((i * 37) % 101) / 7.0f - 6.0f;
  for (size_t i = 0; i < w.size(); ++i) w[i] = static_cast<float>((i * 53) % 29) / 13.0f - 1.1f;
  const tgrs_conv_params_t full_p = ConvParams(3, 3, 1, 1, 2, 1, 2, 1, 1, 1, 1, Act(TGRS_ACT_SILU));
  std::vector<float> full(M * OH * W);
  const tgrs_tensor_t wv = View(w.data(), {M, C, 3, 3}), bv = View(b.data(), {M});
  const tgrs_tensor_t xv = View(x.data(), {1, C, H, W}), fv = View(full.data(), {1, M, OH, W});
  tgrs_conv2d_f32(&xv, &wv, &bv, &fv, &full_p);
  struct Band { int32_t r0, rows, in0, in_rows, pad_top, pad_bottom; };
  for (const Band& band : {Band{0, 3, 0, 5, 2, 0}, Band{4, 4, 2, 8, 0, 0}, Band{9, 2, 7, 5, 0, 1}}) {
    std::vector<float> xs(C * band.in_rows * W);
    for (int c = 0; c < C; ++c)
      std::memcpy(&xs[c * band.in_rows * W], &x[(c * H + band.in0) * W], sizeof(float) * band.in_rows * W);
    tgrs_conv_params_t p = full_p;
    p.pad_top = band.pad_top;
    p.pad_bottom = band.pad_bottom;
    std::vector<float> part(M * band.rows * W);
    const tgrs_tensor_t xsv = View(xs.data(), {1, C, band.in_rows, W}), pv = View(part.data(), {1, M, band.rows, W});
    tgrs_conv2d_f32(&xsv, &wv, &bv, &pv, &p);
    for (int m = 0; m < M; ++m)
      EXPECT_EQ(0, std::memcmp(&part[m * band.rows * W], &full[(m * OH + band.r0) * W], sizeof(float) * band.rows * W))
          << "band at row " << band.r0 << ", channel " << m;
  }
}

TEST(ConvTranspose, StridePadsOutputPaddingGolden) {
  std::vector<float> y(kConvT_y.size());
  RunOp(TGRS_OP_ConvTranspose, {View(kConvT_x.data(), kConvT_x_dims), View(kConvT_w.data(), kConvT_w_dims),
                                View(kConvT_b.data(), kConvT_b_dims)},
        {View(y.data(), kConvT_y_dims)}, ConvParams(3, 3, 2, 3, 1, 1, 1, 0, 1, 2));
  ExpectClose(y, kConvT_y);
}

TEST(ConvTranspose, GroupedDilatedGolden) {
  std::vector<float> y(kConvTG_y.size());
  RunOp(TGRS_OP_ConvTranspose, {View(kConvTG_x.data(), kConvTG_x_dims), View(kConvTG_w.data(), kConvTG_w_dims)},
        {View(y.data(), kConvTG_y_dims)}, ConvParams(2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 2));
  ExpectClose(y, kConvTG_y);
}

TEST(ConvTranspose, HandComputed1d) {
  // x = [1, 2], w = [1, 10, 100], stride 2: y = [1, 10, 100+2, 20, 200].
  const std::vector<float> x = {1, 2};
  const std::vector<float> w = {1, 10, 100};
  std::vector<float> y(5);
  RunOp(TGRS_OP_ConvTranspose, {View(x.data(), {1, 1, 2}), View(w.data(), {1, 1, 3})}, {View(y.data(), {1, 1, 5})},
        ConvParams(1, 3, 1, 2));
  EXPECT_EQ(y, (std::vector<float>{1, 10, 102, 20, 200}));
}

TEST(Gemm, TransposedWithColumnBiasGolden) {
  tgrs_gemm_params_t p{};
  p.trans_a = 1;
  p.trans_b = 1;
  p.alpha = 0.5f;
  p.beta = 2.0f;
  std::vector<float> y(kGemm_y.size());
  RunOp(TGRS_OP_Gemm, {View(kGemm_a.data(), kGemm_a_dims), View(kGemm_b.data(), kGemm_b_dims),
                       View(kGemm_c.data(), kGemm_c_dims)},
        {View(y.data(), kGemm_y_dims)}, p);
  ExpectClose(y, kGemm_y);
}

TEST(Gemm, ScalarBiasAndClip) {
  // [1 2; 3 4] @ I + 10, clipped to [0, 12.5]
  const std::vector<float> a = {1, 2, 3, 4}, b = {1, 0, 0, 1}, c = {10};
  tgrs_gemm_params_t p{};
  p.alpha = 1.0f;
  p.beta = 1.0f;
  p.act = Act(TGRS_ACT_CLIP, 0.0f, 12.5f);
  std::vector<float> y(4);
  RunOp(TGRS_OP_Gemm, {View(a.data(), {2, 2}), View(b.data(), {2, 2}), View(c.data(), {})}, {View(y.data(), {2, 2})},
        p);
  EXPECT_EQ(y, (std::vector<float>{11, 12, 12.5f, 12.5f}));
}

TEST(MatMul, BatchBroadcastGolden) {
  tgrs_act_params_t p{};
  std::vector<float> y(kMatMul_y.size());
  RunOp(TGRS_OP_MatMul, {View(kMatMul_a.data(), kMatMul_a_dims), View(kMatMul_b.data(), kMatMul_b_dims)},
        {View(y.data(), kMatMul_y_dims)}, p);
  ExpectClose(y, kMatMul_y);
}

TEST(MatMul, OneDimensionalLeftOperandGolden) {
  tgrs_act_params_t p{};
  std::vector<float> y(kMatMul1_y.size());
  RunOp(TGRS_OP_MatMul, {View(kMatMul1_a.data(), kMatMul1_a_dims), View(kMatMul1_b.data(), kMatMul1_b_dims)},
        {View(y.data(), kMatMul1_y_dims)}, p);
  ExpectClose(y, kMatMul1_y);
}

TEST(MatMul, VectorDotVectorIsScalar) {
  const std::vector<float> a = {1, 2, 3}, b = {4, 5, 6};
  tgrs_act_params_t p{};
  float y = 0;
  RunOp(TGRS_OP_MatMul, {View(a.data(), {3}), View(b.data(), {3})}, {View(&y, {})}, p);
  EXPECT_EQ(y, 32.0f);
}
