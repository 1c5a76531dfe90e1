// The math, logic, Cast, Expand and Tile kernels (math_f32.c, logic.c, cast.c, expand_tile.c)
// against onnxruntime and numpy goldens (goldens.inc, gen_goldens.py): bit-exact where the op is
// exact in float (Abs, Floor, Ceil, Round, Max/Min, Cast, the comparisons, Where, Expand, Tile),
// within 1e-5 otherwise (libm and onnxruntime's vectorized math differ in the last bits).
#include <cstring>

#include "goldens.inc"
#include "kernel_test_util.h"

using namespace tgrs_test;

namespace {

template <class T>
tgrs_tensor_t TypedView(const std::vector<T>& v, const std::vector<int32_t>& dims, int32_t dtype) {
  return View(reinterpret_cast<const float*>(v.data()), dims, dtype);
}

std::vector<float> Unary(int op, const std::vector<float>& x, float a = 0.f, float b = 0.f) {
  tgrs_unary_params_t p{a, b};
  std::vector<float> y(x.size());
  RunOp(op, {View(x.data(), {static_cast<int32_t>(x.size())})},
        {View(y.data(), {static_cast<int32_t>(y.size())})}, p);
  return y;
}

std::vector<float> Abs(const std::vector<float>& x) {
  std::vector<float> r = x;
  for (float& v : r) v = std::fabs(v);
  return r;
}

void ExpectBits(const std::vector<float>& got, const std::vector<float>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i)
    EXPECT_EQ(std::memcmp(&got[i], &want[i], 4), 0) << i << ": " << got[i] << " vs " << want[i];
}

const tgrs_empty_params_t kEmpty{};

}  // namespace

TEST(Math, UnaryOpsMatchOnnxruntime) {
  std::vector<float> shifted = kMath_x;
  for (float& v : shifted) v += 0.125f;
  ExpectClose(Unary(TGRS_OP_Sqrt, Abs(kMath_x)), kMath_sqrt_y);
  ExpectClose(Unary(TGRS_OP_Reciprocal, shifted), kMath_reciprocal_y);
  ExpectBits(Unary(TGRS_OP_Abs, kMath_x), kMath_abs_y);
  ExpectBits(Unary(TGRS_OP_Floor, kMath_x), kMath_floor_y);
  ExpectBits(Unary(TGRS_OP_Ceil, kMath_x), kMath_ceil_y);
  ExpectBits(Unary(TGRS_OP_Round, kMath_x), kMath_round_y);  // half to even, -0.25 -> -0
  ExpectClose(Unary(TGRS_OP_Softplus, kMath_x), kMath_softplus_y);
  ExpectClose(Unary(TGRS_OP_Softsign, kMath_x), kMath_softsign_y);
  ExpectClose(Unary(TGRS_OP_Erf, kMath_x), kMath_erf_y);
  ExpectClose(Unary(TGRS_OP_Elu, kMath_x, 0.7f), kMath_elu_y);
  ExpectClose(Unary(TGRS_OP_Selu, kMath_x, 1.67326319217681884765625f, 1.05070102214813232421875f),
              kMath_selu_y);
  ExpectClose(Unary(TGRS_OP_Celu, kMath_x, 1.3f), kMath_celu_y);
  ExpectClose(Unary(TGRS_OP_Gelu, kMath_x, 0.f), kMath_gelu_y);
  ExpectClose(Unary(TGRS_OP_Gelu, kMath_x, 1.f), kMath_gelu_tanh_y);
  ExpectClose(Unary(TGRS_OP_Mish, kMath_x), kMath_mish_y);
}

TEST(Math, RoundIsHalfToEvenAndKeepsTheSign) {
  const std::vector<float> x = {-2.5f, -1.5f, -0.5f, 0.5f, 1.5f, 2.5f, -0.4f, 0.49999997f, 8388609.0f, 1e30f};
  const std::vector<float> want = {-2.f, -2.f, -0.f, 0.f, 2.f, 2.f, -0.f, 0.f, 8388609.0f, 1e30f};
  ExpectBits(Unary(TGRS_OP_Round, x), want);
}

TEST(Math, PowFloatAndIntegerExponentsBroadcast) {
  std::vector<float> y(6);
  RunOp(TGRS_OP_Pow, {View(kPow_x.data(), kPow_x_dims), View(kPow_e.data(), kPow_e_dims)},
        {View(y.data(), {2, 3})}, kEmpty);
  ExpectClose(y, kPow_y);
  RunOp(TGRS_OP_Pow, {View(kPow_x.data(), kPow_x_dims), TypedView(kPow_ei, kPow_ei_dims, TGRS_DTYPE_I64)},
        {View(y.data(), {2, 3})}, kEmpty);
  ExpectClose(y, kPow_yi);
  // x^2 and x^3 are exact products (onnxruntime's special case; YOLOv5 squares with a constant 2)
  const float x = 1.1f, two = 2.f, three = 3.f;
  float r = 0.f;
  RunOp(TGRS_OP_Pow, {View(&x, {}), View(&two, {})}, {View(&r, {})}, kEmpty);
  EXPECT_EQ(r, x * x);
  RunOp(TGRS_OP_Pow, {View(&x, {}), View(&three, {})}, {View(&r, {})}, kEmpty);
  EXPECT_EQ(r, x * x * x);
}

TEST(Math, PReluSlopeBroadcasts) {
  std::vector<float> y(kPRelu_x.size());
  RunOp(TGRS_OP_PRelu, {View(kPRelu_x.data(), kPRelu_x_dims), View(kPRelu_s.data(), kPRelu_s_dims)},
        {View(y.data(), kPRelu_x_dims)}, kEmpty);
  ExpectBits(y, kPRelu_y);
}

TEST(Math, VariadicOpsOfThreeBroadcastingInputs) {
  const std::vector<tgrs_tensor_t> in = {View(kVar_a.data(), kVar_a_dims), View(kVar_b.data(), kVar_b_dims),
                                         View(kVar_c.data(), kVar_c_dims)};
  std::vector<float> y(kVar_max_y.size());
  const tgrs_tensor_t out = View(y.data(), kVar_max_y_dims);
  RunOp(TGRS_OP_Max, in, {out}, kEmpty);
  ExpectBits(y, kVar_max_y);
  RunOp(TGRS_OP_Min, in, {out}, kEmpty);
  ExpectBits(y, kVar_min_y);
  RunOp(TGRS_OP_Sum, in, {out}, kEmpty);
  ExpectClose(y, kVar_sum_y);
  RunOp(TGRS_OP_Mean, in, {out}, kEmpty);
  ExpectClose(y, kVar_mean_y);
  // one input: a copy (Mean divides by 1)
  std::vector<float> one(3);
  RunOp(TGRS_OP_Mean, {in[2]}, {View(one.data(), {3})}, kEmpty);
  ExpectBits(one, kVar_c);
}

TEST(Math, IntegerMaxMin) {
  const std::vector<int64_t> a = {1, -5, 9}, b = {3, -7, 9};
  std::vector<int64_t> y(3);
  RunOp(TGRS_OP_Max, {TypedView(a, {3}, TGRS_DTYPE_I64), TypedView(b, {3}, TGRS_DTYPE_I64)},
        {TypedView(y, {3}, TGRS_DTYPE_I64)}, kEmpty);
  EXPECT_EQ(y, (std::vector<int64_t>{3, -5, 9}));
  RunOp(TGRS_OP_Min, {TypedView(a, {3}, TGRS_DTYPE_I64), TypedView(b, {3}, TGRS_DTYPE_I64)},
        {TypedView(y, {3}, TGRS_DTYPE_I64)}, kEmpty);
  EXPECT_EQ(y, (std::vector<int64_t>{1, -7, 9}));
}

TEST(Cast, MatchesOnnxruntimeIncludingOutOfRangeAndNaN) {
  const int32_t n = static_cast<int32_t>(kCast_x.size());
  std::vector<int32_t> i32(kCast_x.size());
  std::vector<int64_t> i64(kCast_x.size());
  std::vector<uint8_t> b(kCast_x.size());
  RunOp(TGRS_OP_Cast, {View(kCast_x.data(), {n})}, {TypedView(i32, {n}, TGRS_DTYPE_I32)}, kEmpty);
  EXPECT_EQ(i32, kCast_i32);
  RunOp(TGRS_OP_Cast, {View(kCast_x.data(), {n})}, {TypedView(i64, {n}, TGRS_DTYPE_I64)}, kEmpty);
  EXPECT_EQ(i64, kCast_i64);
  RunOp(TGRS_OP_Cast, {View(kCast_x.data(), {n})}, {TypedView(b, {n}, TGRS_DTYPE_BOOL)}, kEmpty);
  EXPECT_EQ(b, kCast_bool);

  const int32_t m = static_cast<int32_t>(kCast_from_i64.size());
  const tgrs_tensor_t from = TypedView(kCast_from_i64, {m}, TGRS_DTYPE_I64);
  std::vector<int32_t> w(kCast_from_i64.size());
  std::vector<float> f(kCast_from_i64.size());
  std::vector<uint8_t> wb(kCast_from_i64.size());
  RunOp(TGRS_OP_Cast, {from}, {TypedView(w, {m}, TGRS_DTYPE_I32)}, kEmpty);
  EXPECT_EQ(w, kCast_i64_to_i32);  // the low 32 bits
  RunOp(TGRS_OP_Cast, {from}, {View(f.data(), {m})}, kEmpty);
  ExpectBits(f, kCast_i64_to_f32);  // rounded to nearest
  RunOp(TGRS_OP_Cast, {from}, {TypedView(wb, {m}, TGRS_DTYPE_BOOL)}, kEmpty);
  EXPECT_EQ(wb, kCast_i64_to_bool);

  // bool (any nonzero byte) -> 1 / 0
  const std::vector<uint8_t> bools = {0, 1, 7};
  std::vector<float> bf(3);
  RunOp(TGRS_OP_Cast, {TypedView(bools, {3}, TGRS_DTYPE_BOOL)}, {View(bf.data(), {3})}, kEmpty);
  EXPECT_EQ(bf, (std::vector<float>{0.f, 1.f, 1.f}));
}

TEST(Logic, ComparisonsWhereAndBoolOps) {
  const tgrs_tensor_t a = TypedView(kCmp_a, kCmp_a_dims, TGRS_DTYPE_I64);
  const tgrs_tensor_t b = TypedView(kCmp_b, kCmp_b_dims, TGRS_DTYPE_I64);
  std::vector<uint8_t> y(6);
  const tgrs_tensor_t yv = TypedView(y, {2, 3}, TGRS_DTYPE_BOOL);
  RunOp(TGRS_OP_Less, {a, b}, {yv}, kEmpty);
  EXPECT_EQ(y, kCmp_less_y);
  RunOp(TGRS_OP_Equal, {a, b}, {yv}, kEmpty);
  EXPECT_EQ(y, kCmp_equal_y);
  std::vector<int64_t> w(6);
  RunOp(TGRS_OP_Where,
        {TypedView(kWhere_c, kWhere_c_dims, TGRS_DTYPE_BOOL),
         TypedView(kWhere_x, kWhere_x_dims, TGRS_DTYPE_I64), a},
        {TypedView(w, {2, 3}, TGRS_DTYPE_I64)}, kEmpty);
  EXPECT_EQ(w, kWhere_y);
  // truth tables, nonzero bytes read as true
  const std::vector<uint8_t> p = {0, 0, 2, 1}, q = {0, 9, 0, 1};
  const tgrs_tensor_t pv = TypedView(p, {4}, TGRS_DTYPE_BOOL), qv = TypedView(q, {4}, TGRS_DTYPE_BOOL);
  std::vector<uint8_t> r(4);
  const tgrs_tensor_t rv = TypedView(r, {4}, TGRS_DTYPE_BOOL);
  RunOp(TGRS_OP_And, {pv, qv}, {rv}, kEmpty);
  EXPECT_EQ(r, (std::vector<uint8_t>{0, 0, 0, 1}));
  RunOp(TGRS_OP_Or, {pv, qv}, {rv}, kEmpty);
  EXPECT_EQ(r, (std::vector<uint8_t>{0, 1, 1, 1}));
  RunOp(TGRS_OP_Xor, {pv, qv}, {rv}, kEmpty);
  EXPECT_EQ(r, (std::vector<uint8_t>{0, 1, 1, 0}));
  RunOp(TGRS_OP_Not, {pv}, {rv}, kEmpty);
  EXPECT_EQ(r, (std::vector<uint8_t>{1, 1, 0, 0}));
  // float comparisons: NaN is unordered and unequal
  const std::vector<float> fx = {1.f, std::numeric_limits<float>::quiet_NaN(), 2.f}, fy = {1.f, 1.f, 3.f};
  std::vector<uint8_t> fr(3);
  RunOp(TGRS_OP_GreaterOrEqual, {View(fx.data(), {3}), View(fy.data(), {3})},
        {TypedView(fr, {3}, TGRS_DTYPE_BOOL)}, kEmpty);
  EXPECT_EQ(fr, (std::vector<uint8_t>{1, 0, 0}));
  RunOp(TGRS_OP_LessOrEqual, {View(fx.data(), {3}), View(fy.data(), {3})},
        {TypedView(fr, {3}, TGRS_DTYPE_BOOL)}, kEmpty);
  EXPECT_EQ(fr, (std::vector<uint8_t>{1, 0, 1}));
}

TEST(Movement, ExpandAndTile) {
  std::vector<float> y(kExpand_y.size());
  RunOp(TGRS_OP_Expand, {View(kExpand_x.data(), kExpand_x_dims)}, {View(y.data(), kExpand_y_dims)}, kEmpty);
  ExpectBits(y, kExpand_y);
  std::vector<float> t(kTile_21_y.size());
  RunOp(TGRS_OP_Tile, {View(kTile_x.data(), kTile_x_dims)}, {View(t.data(), kTile_21_y_dims)}, kEmpty);
  ExpectBits(t, kTile_21_y);
  std::vector<float> t3(kTile_13_y.size());
  RunOp(TGRS_OP_Tile, {View(kTile_x.data(), kTile_x_dims)}, {View(t3.data(), kTile_13_y_dims)}, kEmpty);
  ExpectBits(t3, kTile_13_y);
}

TEST(Math, CheckRejectsWrongDtypesAndShapes) {
  const tgrs_tensor_t f23 = Shape({2, 3}), b23 = Shape({2, 3}, TGRS_DTYPE_BOOL),
                      i23 = Shape({2, 3}, TGRS_DTYPE_I64);
  EXPECT_EQ(Check(TGRS_OP_Pow, {b23, f23}, {f23}, kEmpty), TGRS_ERR_CORRUPT);   // bool exponent
  EXPECT_EQ(Check(TGRS_OP_Pow, {i23, f23}, {f23}, kEmpty), TGRS_ERR_CORRUPT);   // integer base
  EXPECT_EQ(Check(TGRS_OP_Less, {f23, i23}, {b23}, kEmpty), TGRS_ERR_CORRUPT);  // mixed operand types
  EXPECT_EQ(Check(TGRS_OP_Less, {f23, f23}, {f23}, kEmpty), TGRS_ERR_CORRUPT);  // float result
  EXPECT_EQ(Check(TGRS_OP_And, {f23, b23}, {b23}, kEmpty), TGRS_ERR_CORRUPT);
  EXPECT_EQ(Check(TGRS_OP_Where, {f23, f23, f23}, {f23}, kEmpty), TGRS_ERR_CORRUPT);  // float condition
  EXPECT_EQ(Check(TGRS_OP_Where, {b23, f23, i23}, {f23}, kEmpty), TGRS_ERR_CORRUPT);  // X, Y differ
  EXPECT_EQ(Check(TGRS_OP_Max, {f23, i23}, {f23}, kEmpty), TGRS_ERR_CORRUPT);
  EXPECT_EQ(Check(TGRS_OP_Max, {b23}, {b23}, kEmpty), TGRS_ERR_CORRUPT);
  EXPECT_EQ(Check(TGRS_OP_Max, {f23, Shape({4})}, {f23}, kEmpty), TGRS_ERR_CORRUPT);  // not broadcastable
  EXPECT_EQ(Check(TGRS_OP_Max, {f23, Shape({3})}, {Shape({3, 3})}, kEmpty),
            TGRS_ERR_CORRUPT);  // wrong result
  EXPECT_EQ(Check(TGRS_OP_Cast, {f23}, {Shape({3, 2}, TGRS_DTYPE_I32)}, kEmpty), TGRS_ERR_CORRUPT);
  EXPECT_EQ(Check(TGRS_OP_Cast, {f23}, {Shape({2, 3}, TGRS_DTYPE_I8)}, kEmpty), TGRS_ERR_CORRUPT);
  EXPECT_EQ(Check(TGRS_OP_Expand, {Shape({2, 3})}, {Shape({2, 6})}, kEmpty), TGRS_ERR_CORRUPT);
  EXPECT_EQ(Check(TGRS_OP_Expand, {Shape({2, 3})}, {Shape({3})}, kEmpty), TGRS_ERR_CORRUPT);  // lower rank
  EXPECT_EQ(Check(TGRS_OP_Tile, {Shape({2, 3})}, {Shape({4, 7})}, kEmpty), TGRS_ERR_CORRUPT);
  EXPECT_EQ(Check(TGRS_OP_Tile, {Shape({2, 3})}, {Shape({4, 6}, TGRS_DTYPE_I32)}, kEmpty), TGRS_ERR_CORRUPT);
  std::vector<tgrs_tensor_t> seventeen(17, f23);
  EXPECT_EQ(Check(TGRS_OP_Sum, seventeen, {f23}, kEmpty), TGRS_ERR_CORRUPT);
}
