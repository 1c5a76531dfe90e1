// Resize against onnxruntime for every coordinate_transformation_mode x {4 nearest modes,
// linear, cubic, cubic+exclude_outside}, downscale and upscale (goldens.inc); one hand case.
#include "goldens.inc"
#include "kernel_test_util.h"

using namespace tgrs_test;

TEST(Resize, EveryModeMatchesOnnxruntime) {
  const float down[4] = {1.0f, 1.0f, 1.7f, 0.75f}, up[4] = {1.0f, 1.0f, 2.0f, 2.5f};
  for (const ResizeGolden& g : kResizeCases) {
    SCOPED_TRACE(g.what);
    tgrs_resize_params_t p{};
    p.mode = g.mode;
    p.coord_mode = g.coord;
    p.nearest_mode = g.nearest;
    p.exclude_outside = g.exclude_outside;
    p.cubic_coeff_a = g.cubic_a;
    for (int d = 0; d < 4; ++d) p.scale[d] = g.up ? up[d] : down[d];
    SetWholeWindow(p, kResize_x_dims, *g.y_dims);
    std::vector<float> y(g.y->size());
    RunOp(TGRS_OP_Resize, {View(kResize_x.data(), kResize_x_dims)}, {View(y.data(), *g.y_dims)}, p);
    if (g.mode == TGRS_RESIZE_NEAREST) {
      EXPECT_EQ(y, *g.y);
    } else {
      ExpectClose(y, *g.y, 1e-5f, 2e-5f);
    }
  }
}

TEST(Resize, LinearOnlyInterpolatesResizedAxes) {
  // [2,2] -> [2,4] asymmetric linear along the last axis only; rows stay untouched.
  const std::vector<float> x = {0, 4, 10, 20};
  tgrs_resize_params_t p{};
  p.mode = TGRS_RESIZE_LINEAR;
  p.coord_mode = TGRS_COORD_ASYMMETRIC;
  p.scale[0] = 1.0f;
  p.scale[1] = 2.0f;
  SetWholeWindow(p, {2, 2}, {2, 4});
  std::vector<float> y(8);
  RunOp(TGRS_OP_Resize, {View(x.data(), {2, 2})}, {View(y.data(), {2, 4})}, p);
  // source x = o/2: 0, 0.5, 1, 1.5 (clamped to 1)
  EXPECT_EQ(y, (std::vector<float>{0, 2, 4, 4, 10, 15, 20, 20}));
}
