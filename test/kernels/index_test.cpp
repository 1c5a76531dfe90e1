// Gather, GatherElements, DepthToSpace and SpaceToDepth against numpy goldens
// (reduce_goldens.inc), for float32 and other element types (the kernels move bytes), int32 and
// int64 indices, negative and out-of-range runtime indices (zeros, never a read outside the
// data), and check() on inconsistent shapes.
#include <cstring>

#include "kernel_test_util.h"
#include "reduce_goldens.inc"

using namespace tgrs_test;
using Dims = std::vector<int32_t>;

namespace {

tgrs_tensor_t Typed(const void* data, const std::vector<int32_t>& dims, int32_t dtype) {
  return View(static_cast<const float*>(data), dims, dtype);
}

std::vector<int32_t> ToI32(const std::vector<int64_t>& v) { return {v.begin(), v.end()}; }

}  // namespace

TEST(Gather, Axis1WithNegativeIndicesGoldenInt64AndInt32) {
  tgrs_axis_params_t p{};
  p.axis = 1;
  const Dims yd = {2, 2, 2, 3};
  std::vector<float> y(static_cast<size_t>(Count(yd)));
  RunOp(TGRS_OP_Gather, {View(kGather_x.data(), kGather_x_dims), Typed(kGather_idx.data(), {2, 2}, TGRS_DTYPE_I64)},
        {View(y.data(), yd)}, p);
  EXPECT_EQ(y, kGather_y);
  const std::vector<int32_t> idx32 = ToI32(kGather_idx);
  std::vector<float> y32(y.size());
  RunOp(TGRS_OP_Gather, {View(kGather_x.data(), kGather_x_dims), Typed(idx32.data(), {2, 2}, TGRS_DTYPE_I32)},
        {View(y32.data(), yd)}, p);
  EXPECT_EQ(y32, kGather_y);
}

TEST(Gather, AnyElementTypeAndAScalarIndex) {
  // int16 data, a scalar index on the last axis: y = x[..., 2]
  const std::vector<int16_t> x = {1, 2, 3, 4, 5, 6, -7, -8, -9};
  const int64_t idx = -1;
  std::vector<int16_t> y(3, 0);
  tgrs_axis_params_t p{};
  p.axis = 1;
  RunOp(TGRS_OP_Gather, {Typed(x.data(), {3, 3}, TGRS_DTYPE_I16), Typed(&idx, {}, TGRS_DTYPE_I64)},
        {Typed(y.data(), {3}, TGRS_DTYPE_I16)}, p);
  EXPECT_EQ(y, (std::vector<int16_t>{3, 6, -9}));
}

TEST(Gather, OutOfRangeRuntimeIndicesYieldZeros) {
  const std::vector<float> x = {1, 2, 3, 4, 5, 6};  // [3, 2]
  const std::vector<int64_t> idx = {0, 3, -4, INT64_MAX, INT64_MIN, -3};
  std::vector<float> y(12, 99.0f);
  tgrs_axis_params_t p{};
  RunOp(TGRS_OP_Gather, {View(x.data(), {3, 2}), Typed(idx.data(), {6}, TGRS_DTYPE_I64)}, {View(y.data(), {6, 2})}, p);
  EXPECT_EQ(y, (std::vector<float>{1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2}));
}

TEST(Gather, CheckValidatesDtypesAndDims) {
  tgrs_axis_params_t p{};
  p.axis = 1;
  const tgrs_tensor_t x = Shape({2, 5, 3}), idx = Shape({2, 2}, TGRS_DTYPE_I64);
  EXPECT_EQ(Check(TGRS_OP_Gather, {x, idx}, {Shape({2, 2, 2, 3})}, p), TGRS_OK);
  EXPECT_EQ(Check(TGRS_OP_Gather, {x, Shape({2, 2})}, {Shape({2, 2, 2, 3})}, p), TGRS_ERR_CORRUPT);  // f32 indices
  EXPECT_EQ(Check(TGRS_OP_Gather, {x, idx}, {Shape({2, 2, 2, 3}, TGRS_DTYPE_I8)}, p), TGRS_ERR_CORRUPT);
  EXPECT_EQ(Check(TGRS_OP_Gather, {x, idx}, {Shape({2, 2, 3, 3})}, p), TGRS_ERR_CORRUPT);
  EXPECT_EQ(Check(TGRS_OP_Gather, {x, idx}, {Shape({2, 4, 3})}, p), TGRS_ERR_CORRUPT);
  p.axis = 3;
  EXPECT_EQ(Check(TGRS_OP_Gather, {x, idx}, {Shape({2, 2, 2, 3})}, p), TGRS_ERR_CORRUPT);
}

TEST(GatherElements, Axis0GoldenAndChecks) {
  tgrs_axis_params_t p{};
  std::vector<float> y(kGatherEl_y.size());
  RunOp(TGRS_OP_GatherElements,
        {View(kGatherEl_x.data(), kGatherEl_x_dims), Typed(kGatherEl_idx.data(), kGatherEl_idx_dims, TGRS_DTYPE_I64)},
        {View(y.data(), kGatherEl_idx_dims)}, p);
  EXPECT_EQ(y, kGatherEl_y);
  const std::vector<int32_t> idx32 = ToI32(kGatherEl_idx);
  std::vector<float> y32(y.size());
  RunOp(TGRS_OP_GatherElements,
        {View(kGatherEl_x.data(), kGatherEl_x_dims), Typed(idx32.data(), kGatherEl_idx_dims, TGRS_DTYPE_I32)},
        {View(y32.data(), kGatherEl_idx_dims)}, p);
  EXPECT_EQ(y32, kGatherEl_y);
  // indices wider than the data off the axis, of another rank, outputs not the indices' dims
  EXPECT_EQ(Check(TGRS_OP_GatherElements, {Shape({3, 2}), Shape({4, 3}, TGRS_DTYPE_I64)}, {Shape({4, 3})}, p),
            TGRS_ERR_CORRUPT);
  EXPECT_EQ(Check(TGRS_OP_GatherElements, {Shape({3, 2}), Shape({4}, TGRS_DTYPE_I64)}, {Shape({4})}, p),
            TGRS_ERR_CORRUPT);
  EXPECT_EQ(Check(TGRS_OP_GatherElements, {Shape({3, 2}), Shape({4, 2}, TGRS_DTYPE_I64)}, {Shape({4, 1})}, p),
            TGRS_ERR_CORRUPT);
}

TEST(DepthToSpace, DcrAndCrdGolden) {
  for (int32_t mode : {TGRS_DEPTH_SPACE_DCR, TGRS_DEPTH_SPACE_CRD}) {
    tgrs_depth_space_params_t p{};
    p.blocksize = 2;
    p.mode = mode;
    std::vector<float> y(kD2S_x.size());
    RunOp(TGRS_OP_DepthToSpace, {View(kD2S_x.data(), kD2S_x_dims)}, {View(y.data(), kD2S_dcr_y_dims)}, p);
    EXPECT_EQ(y, mode == TGRS_DEPTH_SPACE_CRD ? kD2S_crd_y : kD2S_dcr_y) << mode;
  }
}

TEST(SpaceToDepth, Golden) {
  tgrs_depth_space_params_t p{};
  p.blocksize = 2;
  std::vector<float> y(kS2D_x.size());
  RunOp(TGRS_OP_SpaceToDepth, {View(kS2D_x.data(), kS2D_x_dims)}, {View(y.data(), kS2D_y_dims)}, p);
  EXPECT_EQ(y, kS2D_y);
}

TEST(DepthSpace, CheckValidatesBlocksizeModeAndDims) {
  tgrs_depth_space_params_t p{};
  p.blocksize = 2;
  EXPECT_EQ(Check(TGRS_OP_DepthToSpace, {Shape({1, 8, 2, 3})}, {Shape({1, 2, 4, 6})}, p), TGRS_OK);
  EXPECT_EQ(Check(TGRS_OP_DepthToSpace, {Shape({1, 8, 2, 3})}, {Shape({1, 2, 4, 5})}, p), TGRS_ERR_CORRUPT);
  EXPECT_EQ(Check(TGRS_OP_DepthToSpace, {Shape({1, 6, 2, 3})}, {Shape({1, 1, 4, 6})}, p), TGRS_ERR_CORRUPT);
  EXPECT_EQ(Check(TGRS_OP_SpaceToDepth, {Shape({1, 2, 4, 6})}, {Shape({1, 8, 2, 3})}, p), TGRS_OK);
  EXPECT_EQ(Check(TGRS_OP_SpaceToDepth, {Shape({1, 2, 5, 6})}, {Shape({1, 8, 2, 3})}, p), TGRS_ERR_CORRUPT);
  EXPECT_EQ(Check(TGRS_OP_SpaceToDepth, {Shape({1, 2, 4, 6})}, {Shape({1, 8, 2, 3}, TGRS_DTYPE_I8)}, p),
            TGRS_ERR_CORRUPT);
  p.mode = TGRS_DEPTH_SPACE_CRD;  // SpaceToDepth has no mode
  EXPECT_EQ(Check(TGRS_OP_SpaceToDepth, {Shape({1, 2, 4, 6})}, {Shape({1, 8, 2, 3})}, p), TGRS_ERR_CORRUPT);
  EXPECT_EQ(Check(TGRS_OP_DepthToSpace, {Shape({1, 8, 2, 3})}, {Shape({1, 2, 4, 6})}, p), TGRS_OK);
  p.mode = 2;
  EXPECT_EQ(Check(TGRS_OP_DepthToSpace, {Shape({1, 8, 2, 3})}, {Shape({1, 2, 4, 6})}, p), TGRS_ERR_CORRUPT);
  p.mode = 0;
  p.blocksize = 0;
  EXPECT_EQ(Check(TGRS_OP_DepthToSpace, {Shape({1, 8, 2, 3})}, {Shape({1, 8, 2, 3})}, p), TGRS_ERR_CORRUPT);
}
