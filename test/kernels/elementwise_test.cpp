// Unary ops, fused activations and broadcasting binary ops against values computed in the
// test with <cmath> in double precision, and numpy broadcasting goldens (goldens.inc).
#include "goldens.inc"
#include "kernel_test_util.h"

using namespace tgrs_test;

namespace {

const std::vector<float> kX = {-4.0f, -1.5f, -0.25f, 0.0f, 0.5f, 2.0f, 3.5f, 7.0f};

std::vector<float> RunUnary(int op, float a = 0.0f, float b = 0.0f) {
  tgrs_unary_params_t p{};
  p.a = a;
  p.b = b;
  std::vector<float> y(kX.size());
  RunOp(op, {View(kX.data(), {2, 4})}, {View(y.data(), {2, 4})}, p);
  return y;
}

template <class F>
std::vector<float> Map(F f) {
  std::vector<float> y;
  for (float v : kX) y.push_back(static_cast<float>(f(static_cast<double>(v))));
  return y;
}

double Sigmoid(double v) { return 1.0 / (1.0 + std::exp(-v)); }

}  // namespace

TEST(Unary, AllOpsMatchTheOnnxFormulas) {
  ExpectClose(RunUnary(TGRS_OP_Relu), Map([](double v) { return v < 0 ? 0.0 : v; }));
  ExpectClose(RunUnary(TGRS_OP_Clip, -1.0f, 2.5f), Map([](double v) { return v < -1 ? -1.0 : (v > 2.5 ? 2.5 : v); }));
  ExpectClose(RunUnary(TGRS_OP_LeakyRelu, 0.1f), Map([](double v) { return v < 0 ? 0.1 * v : v; }));
  ExpectClose(RunUnary(TGRS_OP_Sigmoid), Map(Sigmoid));
  ExpectClose(RunUnary(TGRS_OP_HardSigmoid, 0.2f, 0.5f),
              Map([](double v) { return std::fmax(0.0, std::fmin(1.0, 0.2 * v + 0.5)); }));
  ExpectClose(RunUnary(TGRS_OP_HardSwish), Map([](double v) { return v * std::fmax(0.0, std::fmin(1.0, v / 6 + 0.5)); }));
  ExpectClose(RunUnary(TGRS_OP_Tanh), Map([](double v) { return std::tanh(v); }));
  ExpectClose(RunUnary(TGRS_OP_Exp), Map([](double v) { return std::exp(v); }));
  ExpectClose(RunUnary(TGRS_OP_Neg), Map([](double v) { return -v; }));
}

TEST(Unary, ScalarTensor) {
  tgrs_unary_params_t p{};
  const float x = -3.0f;
  float y = 1.0f;
  RunOp(TGRS_OP_Relu, {View(&x, {})}, {View(&y, {})}, p);
  EXPECT_EQ(y, 0.0f);
}

TEST(FusedAct, EveryKindOnAdd) {
  // x + 0 with each fused activation equals the activation of x.
  const std::vector<float> zero = {0.0f};
  struct Case { tgrs_act_t act; double (*f)(double); };
  const Case cases[] = {
      {Act(TGRS_ACT_NONE), [](double v) { return v; }},
      {Act(TGRS_ACT_RELU), [](double v) { return v < 0 ? 0.0 : v; }},
      {Act(TGRS_ACT_CLIP, 0.0f, 6.0f), [](double v) { return v < 0 ? 0.0 : (v > 6 ? 6.0 : v); }},
      {Act(TGRS_ACT_LEAKY_RELU, 0.01f), [](double v) { return v < 0 ? 0.01 * v : v; }},
      {Act(TGRS_ACT_SIGMOID), Sigmoid},
      {Act(TGRS_ACT_HARD_SIGMOID, 0.2f, 0.5f), [](double v) { return std::fmax(0.0, std::fmin(1.0, 0.2 * v + 0.5)); }},
      {Act(TGRS_ACT_HARD_SWISH), [](double v) { return v * std::fmax(0.0, std::fmin(1.0, v / 6 + 0.5)); }},
      {Act(TGRS_ACT_TANH), [](double v) { return std::tanh(v); }},
      {Act(TGRS_ACT_SILU), [](double v) { return v * Sigmoid(v); }},
  };
  for (const Case& c : cases) {
    tgrs_act_params_t p{};
    p.act = c.act;
    std::vector<float> y(kX.size());
    RunOp(TGRS_OP_Add, {View(kX.data(), {8}), View(zero.data(), {1})}, {View(y.data(), {8})}, p);
    SCOPED_TRACE(c.act.kind);
    ExpectClose(y, Map(c.f));
  }
}

TEST(Binary, SubBroadcastBothWaysGolden) {
  tgrs_act_params_t p{};
  std::vector<float> y(kSub_y.size());
  RunOp(TGRS_OP_Sub, {View(kSub_a.data(), kSub_a_dims), View(kSub_b.data(), kSub_b_dims)},
        {View(y.data(), kSub_y_dims)}, p);
  ExpectClose(y, kSub_y);
}

TEST(Binary, DivRankExtensionGolden) {
  tgrs_act_params_t p{};
  std::vector<float> y(kDiv_y.size());
  RunOp(TGRS_OP_Div, {View(kDiv_a.data(), kDiv_a_dims), View(kDiv_b.data(), kDiv_b_dims)},
        {View(y.data(), kDiv_y_dims)}, p);
  // float32 division is correctly rounded in numpy and C alike
  EXPECT_EQ(y, kDiv_y);
}

TEST(Binary, ScalarTimesTensorAndTensorMinusScalar) {
  const std::vector<float> x = {1, 2, 3, 4, 5, 6};
  const float s = 2.0f;
  tgrs_act_params_t p{};
  std::vector<float> y(6);
  RunOp(TGRS_OP_Mul, {View(&s, {}), View(x.data(), {2, 3})}, {View(y.data(), {2, 3})}, p);
  EXPECT_EQ(y, (std::vector<float>{2, 4, 6, 8, 10, 12}));
  RunOp(TGRS_OP_Sub, {View(x.data(), {2, 3}), View(&s, {})}, {View(y.data(), {2, 3})}, p);
  EXPECT_EQ(y, (std::vector<float>{-1, 0, 1, 2, 3, 4}));
}

TEST(Binary, OuterProductBroadcast) {
  // [3,1] + [1,4] -> [3,4]
  const std::vector<float> a = {0, 10, 20}, b = {1, 2, 3, 4};
  tgrs_act_params_t p{};
  std::vector<float> y(12);
  RunOp(TGRS_OP_Add, {View(a.data(), {3, 1}), View(b.data(), {1, 4})}, {View(y.data(), {3, 4})}, p);
  EXPECT_EQ(y, (std::vector<float>{1, 2, 3, 4, 11, 12, 13, 14, 21, 22, 23, 24}));
}
