// The reduction, normalization and TopK kernels against numpy goldens (reduce_goldens.inc, from
// gen_reduce_goldens.py), their check() on bad shapes and params, and the strip contract of the
// reductions: a BEGIN ... END sequence over any cut of the outermost reduced dim equals one call
// bit for bit for every accumulating sub-op; ReduceLogSumExp refuses partial calls.
#include <cstring>
#include <random>

#include "reduce_goldens.inc"
#include "strided_test_util.h"
#include "tigris/kernels/ref_reduce_f32.h"

using namespace tgrs_test;

namespace {

std::vector<float> Run1(int op, const std::vector<float>& x, const Dims& xd, const Dims& yd,
                        const tgrs_reduce_params_t& p) {
  std::vector<float> y(static_cast<size_t>(Count(yd)));
  RunOp(op, {View(x.data(), xd)}, {View(y.data(), yd)}, p);
  return y;
}

tgrs_tensor_t I64View(const int64_t* data, const Dims& dims) {
  return View(reinterpret_cast<const float*>(data), dims, TGRS_DTYPE_I64);
}

}  // namespace

TEST(Reduce, EveryOpOverTwoAxesGolden) {
  struct Case {
    int op;
    const std::vector<float>* x;
    const std::vector<float>* y;
  };
  const Case cases[] = {{TGRS_OP_ReduceSum, &kRed_x, &kRed_sum},
                        {TGRS_OP_ReduceSumSquare, &kRed_x, &kRed_sum_square},
                        {TGRS_OP_ReduceL1, &kRed_x, &kRed_l1},
                        {TGRS_OP_ReduceL2, &kRed_x, &kRed_l2},
                        {TGRS_OP_ReduceLogSum, &kRed_pos_x, &kRed_log_sum},
                        {TGRS_OP_ReduceMax, &kRed_x, &kRed_max},
                        {TGRS_OP_ReduceMin, &kRed_x, &kRed_min},
                        {TGRS_OP_ReduceProd, &kRed_x, &kRed_prod},
                        {TGRS_OP_ReduceLogSumExp, &kRed_x, &kRed_log_sum_exp},
                        {TGRS_OP_ReduceLogSumExp, &kRed_big_x, &kRed_log_sum_exp_big}};
  for (const Case& c : cases) {
    SCOPED_TRACE(testing::Message() << "op " << c.op);
    const std::vector<float> keep = Run1(c.op, *c.x, kRed_x_dims, {1, 3, 1}, ReduceParams(0x5, 1, kRed_x_dims));
    ExpectClose(keep, *c.y);
    const std::vector<float> drop = Run1(c.op, *c.x, kRed_x_dims, {3}, ReduceParams(0x5, 0, kRed_x_dims));
    EXPECT_EQ(keep, drop);
  }
}

TEST(Reduce, EmptyAxesMaskReducesEachElementAlone) {
  // axes_mask 0: the frontend's noop_with_empty_axes for SumSquare/L1/L2 (after a Reshape view)
  // reduces over an added extent-1 dim; here directly: each output is its element's function.
  const std::vector<float> x = {-2.0f, 0.5f, 3.0f};
  EXPECT_EQ(Run1(TGRS_OP_ReduceSumSquare, x, {3, 1}, {3}, ReduceParams(0x2, 0, {3, 1})),
            (std::vector<float>{4.0f, 0.25f, 9.0f}));
  EXPECT_EQ(Run1(TGRS_OP_ReduceL1, x, {3, 1}, {3}, ReduceParams(0x2, 0, {3, 1})), (std::vector<float>{2.0f, 0.5f, 3.0f}));
  EXPECT_EQ(Run1(TGRS_OP_ReduceL2, x, {3, 1}, {3}, ReduceParams(0x2, 0, {3, 1})), (std::vector<float>{2.0f, 0.5f, 3.0f}));
}

namespace {

std::vector<std::vector<int32_t>> AllCuts(int32_t n) {
  std::vector<std::vector<int32_t>> all;
  for (uint32_t mask = 0; mask < (1u << (n - 1)); ++mask) {
    std::vector<int32_t> cuts = {0};
    for (int32_t i = 1; i < n; ++i)
      if ((mask >> (i - 1)) & 1) cuts.push_back(i);
    cuts.push_back(n);
    all.push_back(cuts);
  }
  return all;
}

}  // namespace

TEST(Reduce, StripSequencesAlongTheOutermostReducedDimEqualTheWholeCall) {
  std::mt19937 rng(61);
  int sequences = 0;
  for (int op : {TGRS_OP_ReduceSum, TGRS_OP_ReduceSumSquare, TGRS_OP_ReduceL1, TGRS_OP_ReduceL2, TGRS_OP_ReduceLogSum,
                 TGRS_OP_ReduceMax, TGRS_OP_ReduceMin, TGRS_OP_ReduceProd}) {
    for (int iter = 0; iter < 40; ++iter) {
      const int32_t rank = Rand(rng, 1, 4);
      Dims xd;
      for (int32_t i = 0; i < rank; ++i) xd.push_back(Rand(rng, 1, 5));
      const int32_t mask = Rand(rng, 1, (1 << rank) - 1), keep = Rand(rng, 0, 1);
      int32_t outer = 0;
      while (!((mask >> outer) & 1)) ++outer;
      Dims yd;
      for (int32_t d = 0; d < rank; ++d) {
        if (!((mask >> d) & 1)) yd.push_back(xd[d]);
        else if (keep) yd.push_back(1);
      }
      const tgrs_reduce_params_t whole_p = ReduceParams(mask, keep, xd);
      Embedded dx = Embedded::Dense(xd, TGRS_DTYPE_F32), x = Embedded::Random(rng, xd, TGRS_DTYPE_F32, false);
      FillInput(rng, x, dx);
      std::vector<float> whole(static_cast<size_t>(Count(yd)));
      RunOp(op, {dx.view}, {View(whole.data(), yd)}, whole_p);
      for (const std::vector<int32_t>& cuts : AllCuts(xd[outer])) {
        Embedded y = Embedded::Random(rng, yd, TGRS_DTYPE_F32, false);
        for (auto& b : y.bytes) b = static_cast<uint8_t>(rng());
        std::vector<uint8_t> want = y.bytes;
        const std::vector<int64_t> offs = ElementOffsets(y.view);
        for (size_t e = 0; e < offs.size(); ++e) std::memcpy(&want[y.base + static_cast<size_t>(offs[e])], &whole[e], 4);
        const size_t n = cuts.size() - 1;
        for (size_t i = 0; i < n; ++i) {
          tgrs_reduce_params_t p = whole_p;
          p.flags = (i == 0 ? TGRS_ACC_BEGIN : 0) | (i + 1 == n ? TGRS_ACC_END : 0);
          RunOp(op, {SubView(x.view, outer, cuts[i], cuts[i + 1] - cuts[i])}, {y.view}, p);
        }
        ASSERT_EQ(y.bytes, want) << "op " << op << " mask " << mask << " keep " << keep << " strips " << n;
        ++sequences;
      }
    }
  }
  EXPECT_GT(sequences, 1000);
}

TEST(Reduce, LogSumExpAcceptsOnlyTheWholeReduction) {
  const Dims xd = {2, 3, 4};
  tgrs_reduce_params_t p = ReduceParams(0x5, 1, xd);
  EXPECT_EQ(Check(TGRS_OP_ReduceLogSumExp, {Shape(xd)}, {Shape({1, 3, 1})}, p), TGRS_OK);
  for (int32_t flags : {0, 1, 2}) {
    p.flags = flags;
    p.count = 16;
    EXPECT_EQ(Check(TGRS_OP_ReduceLogSumExp, {Shape(xd)}, {Shape({1, 3, 1})}, p), TGRS_ERR_CORRUPT) << flags;
    EXPECT_EQ(Check(TGRS_OP_ReduceSum, {Shape(xd)}, {Shape({1, 3, 1})}, p), TGRS_OK) << flags;
  }
}

TEST(ArgReduce, FirstAndLastExtremeIndexGolden) {
  struct Case {
    int op;
    int32_t axis, last;
    const std::vector<int64_t>* want;
    Dims yd;
  };
  const Case cases[] = {{TGRS_OP_ArgMax, 1, 0, &kArgMax_axis1_first, {3}},
                        {TGRS_OP_ArgMin, 0, 0, &kArgMin_axis0_first, {4}},
                        {TGRS_OP_ArgMax, 1, 1, &kArgMax_axis1_last, {3}},
                        {TGRS_OP_ArgMin, 0, 1, &kArgMin_axis0_last, {4}}};
  for (const Case& c : cases) {
    for (int32_t keep : {0, 1}) {
      tgrs_arg_reduce_params_t p{};
      p.axis = c.axis;
      p.keepdims = keep;
      p.select_last_index = c.last;
      Dims yd = c.yd;
      if (keep) yd.insert(yd.begin() + c.axis, 1);
      std::vector<int64_t> y(static_cast<size_t>(Count(yd)), -7);
      RunOp(c.op, {View(kArg_x.data(), kArg_x_dims)}, {I64View(y.data(), yd)}, p);
      EXPECT_EQ(y, *c.want) << "op " << c.op << " axis " << c.axis << " last " << c.last;
    }
  }
}

TEST(ArgReduce, CheckWantsInt64OutputAndConsistentDims) {
  tgrs_arg_reduce_params_t p{};
  p.axis = 1;
  p.keepdims = 1;
  EXPECT_EQ(Check(TGRS_OP_ArgMax, {Shape({3, 4})}, {Shape({3, 1}, TGRS_DTYPE_I64)}, p), TGRS_OK);
  EXPECT_EQ(Check(TGRS_OP_ArgMax, {Shape({3, 4})}, {Shape({3, 1})}, p), TGRS_ERR_CORRUPT);  // f32 output
  EXPECT_EQ(Check(TGRS_OP_ArgMax, {Shape({3, 4})}, {Shape({3}, TGRS_DTYPE_I64)}, p), TGRS_ERR_CORRUPT);
  p.keepdims = 0;
  EXPECT_EQ(Check(TGRS_OP_ArgMin, {Shape({3, 4})}, {Shape({3}, TGRS_DTYPE_I64)}, p), TGRS_OK);
  EXPECT_EQ(Check(TGRS_OP_ArgMin, {Shape({3, 4})}, {Shape({4}, TGRS_DTYPE_I64)}, p), TGRS_ERR_CORRUPT);
  p.axis = 2;
  EXPECT_EQ(Check(TGRS_OP_ArgMin, {Shape({3, 4})}, {Shape({3}, TGRS_DTYPE_I64)}, p), TGRS_ERR_CORRUPT);
  p.axis = 1;
  p.select_last_index = 2;
  EXPECT_EQ(Check(TGRS_OP_ArgMin, {Shape({3, 4})}, {Shape({3}, TGRS_DTYPE_I64)}, p), TGRS_ERR_CORRUPT);
}

TEST(LogSoftmax, MiddleAxisGolden) {
  tgrs_axis_params_t p{};
  p.axis = 1;
  std::vector<float> y(kLogSoftmax_y.size());
  RunOp(TGRS_OP_LogSoftmax, {View(kLogSoftmax_x.data(), kLogSoftmax_x_dims)}, {View(y.data(), kLogSoftmax_y_dims)}, p);
  ExpectClose(y, kLogSoftmax_y);
}

TEST(LpNormalization, P1AndP2GoldenWithAZeroLine) {
  tgrs_lp_norm_params_t p{};
  p.axis = 0;
  p.p = 1;
  std::vector<float> y(kLp_x.size());
  RunOp(TGRS_OP_LpNormalization, {View(kLp_x.data(), kLp_x_dims)}, {View(y.data(), kLp_x_dims)}, p);
  ExpectClose(y, kLp1_axis0_y);
  p.axis = 2;
  p.p = 2;
  RunOp(TGRS_OP_LpNormalization, {View(kLp_x.data(), kLp_x_dims)}, {View(y.data(), kLp_x_dims)}, p);
  ExpectClose(y, kLp2_axis2_y);
  p.p = 3;
  EXPECT_EQ(Check(TGRS_OP_LpNormalization, {Shape(kLp_x_dims)}, {Shape(kLp_x_dims)}, p), TGRS_ERR_CORRUPT);
}

TEST(Normalization, InstanceGroupAndLayerGolden) {
  tgrs_norm_params_t p{};
  p.epsilon = 1e-3f;
  std::vector<float> y(kInst_y.size());
  RunOp(TGRS_OP_InstanceNormalization,
        {View(kInst_x.data(), kInst_x_dims), View(kInst_scale.data(), {3}), View(kInst_bias.data(), {3})},
        {View(y.data(), kInst_x_dims)}, p);
  ExpectClose(y, kInst_y, 1e-5f, 1e-5f);

  p.epsilon = 1e-5f;
  p.num_groups = 2;
  y.assign(kGroup_y.size(), 0.0f);
  RunOp(TGRS_OP_GroupNormalization,
        {View(kGroup_x.data(), kGroup_x_dims), View(kGroup_scale.data(), {4}), View(kGroup_bias.data(), {4})},
        {View(y.data(), kGroup_x_dims)}, p);
  ExpectClose(y, kGroup_y, 1e-5f, 1e-5f);
  p.num_groups = 3;  // does not divide 4 channels
  EXPECT_EQ(Check(TGRS_OP_GroupNormalization, {Shape(kGroup_x_dims), Shape({4}), Shape({4})}, {Shape(kGroup_x_dims)}, p),
            TGRS_ERR_CORRUPT);

  p = tgrs_norm_params_t{};
  p.axis = 1;
  p.epsilon = 1e-5f;
  y.assign(kLayer_y.size(), 0.0f);
  std::vector<float> mean(2), inv(2);
  RunOp(TGRS_OP_LayerNormalization,
        {View(kLayer_x.data(), kLayer_x_dims), View(kLayer_scale.data(), kLayer_scale_dims),
         View(kLayer_bias.data(), kLayer_bias_dims)},
        {View(y.data(), kLayer_x_dims), View(mean.data(), {2, 1, 1}), View(inv.data(), {2, 1, 1})}, p);
  ExpectClose(y, kLayer_y, 1e-5f, 1e-5f);
  ExpectClose(mean, kLayer_mean);
  ExpectClose(inv, kLayer_inv);
  // without bias and the statistics outputs: the same normalized values minus the bias
  std::vector<float> y2(kLayer_y.size());
  RunOp(TGRS_OP_LayerNormalization, {View(kLayer_x.data(), kLayer_x_dims), View(kLayer_scale.data(), kLayer_scale_dims)},
        {View(y2.data(), kLayer_x_dims)}, p);
  for (size_t i = 0; i < y2.size(); ++i) EXPECT_NEAR(y2[i] + kLayer_bias[i % 4], kLayer_y[i], 1e-5f) << i;
  // scale that does not broadcast onto dims [axis, rank), stats of the wrong shape
  EXPECT_EQ(Check(TGRS_OP_LayerNormalization, {Shape(kLayer_x_dims), Shape({2, 1})}, {Shape(kLayer_x_dims)}, p),
            TGRS_ERR_CORRUPT);
  EXPECT_EQ(Check(TGRS_OP_LayerNormalization, {Shape(kLayer_x_dims), Shape({4})},
                  {Shape(kLayer_x_dims), Shape({2, 3, 1})}, p),
            TGRS_ERR_CORRUPT);
}

TEST(TopK, LargestAndSmallestWithTiesGolden) {
  for (int32_t largest : {1, 0}) {
    tgrs_topk_params_t p{};
    p.axis = 1;
    p.k = 3;
    p.largest = largest;
    p.sorted = 1;
    std::vector<float> v(6);
    std::vector<int64_t> i(6);
    RunOp(TGRS_OP_TopK, {View(kTopK_x.data(), kTopK_x_dims)}, {View(v.data(), {2, 3}), I64View(i.data(), {2, 3})}, p);
    EXPECT_EQ(v, largest ? kTopK_largest_v : kTopK_smallest_v);
    EXPECT_EQ(i, largest ? kTopK_largest_i : kTopK_smallest_i);
  }
}

TEST(TopK, CheckRejectsBadKAndOutputs) {
  tgrs_topk_params_t p{};
  p.axis = 1;
  p.k = 3;
  p.largest = 1;
  p.sorted = 1;
  const tgrs_tensor_t x = Shape({2, 7}), v = Shape({2, 3}), i = Shape({2, 3}, TGRS_DTYPE_I64);
  EXPECT_EQ(Check(TGRS_OP_TopK, {x}, {v, i}, p), TGRS_OK);
  EXPECT_EQ(Check(TGRS_OP_TopK, {x}, {v, Shape({2, 3})}, p), TGRS_ERR_CORRUPT);  // f32 indices
  EXPECT_EQ(Check(TGRS_OP_TopK, {x}, {v}, p), TGRS_ERR_CORRUPT);
  EXPECT_EQ(Check(TGRS_OP_TopK, {x}, {Shape({2, 4}), Shape({2, 4}, TGRS_DTYPE_I64)}, p), TGRS_ERR_CORRUPT);
  p.k = 8;
  EXPECT_EQ(Check(TGRS_OP_TopK, {x}, {Shape({2, 8}), Shape({2, 8}, TGRS_DTYPE_I64)}, p), TGRS_ERR_CORRUPT);
  p.k = 0;
  EXPECT_EQ(Check(TGRS_OP_TopK, {x}, {Shape({2, 0}), Shape({2, 0}, TGRS_DTYPE_I64)}, p), TGRS_ERR_CORRUPT);
}
