// Data movement: Pad (all modes incl. negative pads), Slice with negative steps, Transpose,
// Concat/Split, Reshape/Copy; numpy goldens (goldens.inc) and hand cases. All bit-exact.
#include <cstring>

#include "goldens.inc"
#include "kernel_test_util.h"

using namespace tgrs_test;

namespace {
std::vector<float> RunPad(int32_t mode, float value) {
  tgrs_pad_params_t p{};
  p.mode = mode;
  p.value = value;
  p.pad_begin[0] = 2;
  p.pad_begin[1] = -1;
  std::vector<float> y(6 * 6);
  RunOp(TGRS_OP_Pad, {View(kPad_x.data(), kPad_x_dims)}, {View(y.data(), {6, 6})}, p);
  return y;
}
}  // namespace

TEST(Pad, AllModesWithNegativeBeginGolden) {
  EXPECT_EQ(RunPad(TGRS_PAD_REFLECT, 0), kPad_reflect_y);
  EXPECT_EQ(RunPad(TGRS_PAD_EDGE, 0), kPad_edge_y);
  EXPECT_EQ(RunPad(TGRS_PAD_WRAP, 0), kPad_wrap_y);
  EXPECT_EQ(RunPad(TGRS_PAD_CONSTANT, 1.5f), kPad_const_y);
}

TEST(Pad, ReflectWiderThanInputRepeatsMirroring) {
  // numpy.pad([1,2,3], (5,4), 'reflect') = [2,1,2,3,2,1,2,3,2,1,2,3]
  const std::vector<float> x = {1, 2, 3};
  tgrs_pad_params_t p{};
  p.mode = TGRS_PAD_REFLECT;
  p.pad_begin[0] = 5;
  std::vector<float> y(12);
  RunOp(TGRS_OP_Pad, {View(x.data(), {3})}, {View(y.data(), {12})}, p);
  EXPECT_EQ(y, (std::vector<float>{2, 1, 2, 3, 2, 1, 2, 3, 2, 1, 2, 3}));
}

TEST(Pad, NegativeEndCrops) {
  const std::vector<float> x = {1, 2, 3, 4, 5};
  tgrs_pad_params_t p{};
  p.mode = TGRS_PAD_EDGE;
  p.pad_begin[0] = 1;  // end pad = 4 - 5 - 1 = -2: keep [1,2,3], then one edge value before
  std::vector<float> y(4);
  RunOp(TGRS_OP_Pad, {View(x.data(), {5})}, {View(y.data(), {4})}, p);
  EXPECT_EQ(y, (std::vector<float>{1, 1, 2, 3}));
}

TEST(Slice, NegativeAndStridedStepsGolden) {
  tgrs_slice_params_t p{};
  const int32_t start[3] = {3, 0, 1}, step[3] = {-1, 2, 2};
  for (int d = 0; d < 3; ++d) {
    p.start[d] = start[d];
    p.step[d] = step[d];
  }
  std::vector<float> y(27);
  RunOp(TGRS_OP_Slice, {View(kSlice_x.data(), kSlice_x_dims)}, {View(y.data(), kSlice_y_dims)}, p);
  EXPECT_EQ(y, kSlice_y);
}

TEST(Transpose, ThreeDimPermGolden) {
  tgrs_transpose_params_t p{};
  p.perm[0] = 2;
  p.perm[1] = 0;
  p.perm[2] = 1;
  std::vector<float> y(kTranspose_y.size());
  RunOp(TGRS_OP_Transpose, {View(kSlice_x.data(), kSlice_x_dims)}, {View(y.data(), kTranspose_y_dims)}, p);
  EXPECT_EQ(y, kTranspose_y);
}

TEST(ConcatSplit, MiddleAxisRoundTrip) {
  // [2,1,2] ++ [2,2,2] on axis 1 -> [2,3,2]
  const std::vector<float> a = {1, 2, 3, 4}, b = {5, 6, 7, 8, 9, 10, 11, 12};
  tgrs_axis_params_t p{};
  p.axis = 1;
  std::vector<float> y(12);
  RunOp(TGRS_OP_Concat, {View(a.data(), {2, 1, 2}), View(b.data(), {2, 2, 2})}, {View(y.data(), {2, 3, 2})}, p);
  EXPECT_EQ(y, (std::vector<float>{1, 2, 5, 6, 7, 8, 3, 4, 9, 10, 11, 12}));
  std::vector<float> a2(4), b2(8);
  RunOp(TGRS_OP_Split, {View(y.data(), {2, 3, 2})}, {View(a2.data(), {2, 1, 2}), View(b2.data(), {2, 2, 2})}, p);
  EXPECT_EQ(a2, a);
  EXPECT_EQ(b2, b);
}

TEST(ReshapeCopy, CopiesBytesAnyDtype) {
  const std::vector<float> x = {1, 2, 3, 4, 5, 6};
  std::vector<float> y(6);
  tgrs_empty_params_t p{};
  RunOp(TGRS_OP_Reshape, {View(x.data(), {2, 3})}, {View(y.data(), {3, 2})}, p);
  EXPECT_EQ(y, x);
  const int8_t q[4] = {-1, 2, -3, 4};
  int8_t q2[4] = {};
  tgrs_tensor_t in = View(nullptr, {4}, TGRS_DTYPE_I8), out = View(nullptr, {2, 2}, TGRS_DTYPE_I8);
  in.data = const_cast<int8_t*>(q);
  out.data = q2;
  RunOp(TGRS_OP_Copy, {in}, {out}, p);
  EXPECT_EQ(0, std::memcmp(q, q2, 4));
  // in place (aliased view) is a no-op
  RunOp(TGRS_OP_Reshape, {View(y.data(), {6})}, {View(y.data(), {1, 6})}, p);
  EXPECT_EQ(y, x);
}
