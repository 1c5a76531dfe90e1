// Pooling, Softmax and ReduceMean: onnxruntime goldens for the AveragePool divisor rules
// (count_include_pad, ceil_mode, ORT's dropped last window) and dilated MaxPool, hand cases.
#include "goldens.inc"
#include "kernel_test_util.h"

using namespace tgrs_test;

TEST(AveragePool, CeilModeCountIncludePadGolden) {
  for (int cip : {1, 0}) {
    const std::vector<float>& want = cip ? kAvg_cip1_y : kAvg_cip0_y;
    const std::vector<int32_t>& dims = cip ? kAvg_cip1_y_dims : kAvg_cip0_y_dims;
    std::vector<float> y(want.size());
    RunOp(TGRS_OP_AveragePool, {View(kAvg_x.data(), kAvg_x_dims)}, {View(y.data(), dims)},
          PoolParams(3, 3, 2, 2, 1, 1, 1, 1, cip));
    SCOPED_TRACE(cip);
    ExpectClose(y, want);
  }
}

TEST(AveragePool, OrtDropsLastWindowStartingInPaddingGolden) {
  // H=4, k2 s2, pad bottom 1, ceil_mode: ceil gives 3 rows, ORT keeps 2 (the third would start
  // in the padding). W=5, pad left 1: 3 columns, the last one clipped at the input edge.
  std::vector<float> y(kAvg2_y.size());
  ASSERT_EQ(kAvg2_y_dims, (std::vector<int32_t>{1, 2, 2, 3}));
  RunOp(TGRS_OP_AveragePool, {View(kAvg2_x.data(), kAvg2_x_dims)}, {View(y.data(), kAvg2_y_dims)},
        PoolParams(2, 2, 2, 2, 0, 1, 1, 0, 1));
  ExpectClose(y, kAvg2_y);
}

TEST(AveragePool, HandComputedCornerDivisors) {
  // [[1,2],[3,4]], k2 s2 pads 1: each window holds one input value and three padded taps.
  const std::vector<float> x = {1, 2, 3, 4};
  std::vector<float> y(4);
  RunOp(TGRS_OP_AveragePool, {View(x.data(), {1, 1, 2, 2})}, {View(y.data(), {1, 1, 2, 2})},
        PoolParams(2, 2, 2, 2, 1, 1, 1, 1, 1));
  EXPECT_EQ(y, (std::vector<float>{0.25f, 0.5f, 0.75f, 1.0f}));
  RunOp(TGRS_OP_AveragePool, {View(x.data(), {1, 1, 2, 2})}, {View(y.data(), {1, 1, 2, 2})},
        PoolParams(2, 2, 2, 2, 1, 1, 1, 1, 0));
  EXPECT_EQ(y, (std::vector<float>{1, 2, 3, 4}));
}

TEST(AveragePool, CeilWindowBeyondPaddedInputClipsDivisor) {
  // 1-D, W=6, k3 s2, no pads, ceil_mode -> 3 outputs; the last window [4,7) is clipped to the
  // padded input [0,6), so even count_include_pad divides by 2 (onnxruntime's rule).
  const std::vector<float> x = {1, 2, 3, 4, 5, 6};
  std::vector<float> y(3);
  RunOp(TGRS_OP_AveragePool, {View(x.data(), {1, 1, 6})}, {View(y.data(), {1, 1, 3})},
        PoolParams(1, 3, 1, 2, 0, 0, 0, 0, 1));
  EXPECT_EQ(y, (std::vector<float>{2, 4, 5.5f}));
}

TEST(MaxPool, Dilated1dCeilGolden) {
  std::vector<float> y(kMax1d_y.size());
  RunOp(TGRS_OP_MaxPool, {View(kMax1d_x.data(), kMax1d_x_dims)}, {View(y.data(), kMax1d_y_dims)},
        PoolParams(1, 3, 1, 2, 0, 2, 0, 1, 0, 1, 2));
  EXPECT_EQ(y, kMax1d_y);
}

TEST(MaxPool, PaddingNeverWinsOverNegativeValues) {
  const std::vector<float> x = {-5, -6, -7, -8};
  std::vector<float> y(4);
  RunOp(TGRS_OP_MaxPool, {View(x.data(), {1, 1, 2, 2})}, {View(y.data(), {1, 1, 2, 2})},
        PoolParams(2, 2, 1, 1, 1, 1, 0, 0));
  EXPECT_EQ(y, (std::vector<float>{-5, -5, -5, -5}));
}

TEST(GlobalPool, AverageAndMax) {
  const std::vector<float> x = {1, 2, 3, 4, -1, -2, -3, 10};
  std::vector<float> y(2);
  RunOp(TGRS_OP_GlobalAveragePool, {View(x.data(), {1, 2, 2, 2})}, {View(y.data(), {1, 2, 1, 1})}, GlobalPoolParams(4));
  EXPECT_EQ(y, (std::vector<float>{2.5f, 1.0f}));
  RunOp(TGRS_OP_GlobalMaxPool, {View(x.data(), {1, 2, 4})}, {View(y.data(), {1, 2, 1})}, GlobalPoolParams(4));
  EXPECT_EQ(y, (std::vector<float>{4, 10}));
}

TEST(Softmax, MiddleAxisGolden) {
  tgrs_axis_params_t p{};
  p.axis = 1;
  std::vector<float> y(kSoftmax_y.size());
  RunOp(TGRS_OP_Softmax, {View(kSoftmax_x.data(), kSoftmax_x_dims)}, {View(y.data(), kSoftmax_y_dims)}, p);
  ExpectClose(y, kSoftmax_y);
}

TEST(ReduceMean, TwoAxesKeepAndDropDimsGolden) {
  tgrs_reduce_params_t p = ReduceParams(0x5, 1, kSoftmax_x_dims);  // dims 0 and 2
  std::vector<float> y(3);
  RunOp(TGRS_OP_ReduceMean, {View(kSoftmax_x.data(), kSoftmax_x_dims)}, {View(y.data(), kReduce_y_dims)}, p);
  ExpectClose(y, kReduce_y);
  p.keepdims = 0;
  std::vector<float> y2(3);
  RunOp(TGRS_OP_ReduceMean, {View(kSoftmax_x.data(), kSoftmax_x_dims)}, {View(y2.data(), {3})}, p);
  EXPECT_EQ(y, y2);
}
