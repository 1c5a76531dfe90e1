// The rows of ops.def: each trait is consistent with the others and with the reference
// backend built from the same rows, so a new row cannot silently contradict itself.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "tigris/ir/op_traits.h"
#include "tigris/kernels/ref_f32.h"
#include "tigris/kernels/tgrs_types.h"

namespace tigris::ir {
namespace {

TEST(OpTraits, OneRowPerKindInCodeOrder) {
  ASSERT_EQ(kOpCodeEnd, static_cast<size_t>(TGRS_OP_COUNT));
  std::set<size_t> codes;
  for (size_t i = 0; i < kOpCount; ++i) {
    const OpTraits& t = kOpTraits[i];
    if (i > 0) {
      EXPECT_GT(t.code, kOpTraits[i - 1].code) << t.name;
    }
    EXPECT_EQ(static_cast<size_t>(t.kind), t.code) << t.name;
    EXPECT_EQ(&Traits(t.kind), &t) << t.name;
    EXPECT_STREQ(OpName(t.kind), t.name);
    codes.insert(t.code);
  }
  // Codes without a row (0, gaps between rows, past the end) are unknown kinds.
  for (size_t c = 0; c <= kOpCodeEnd; ++c) {
    if (codes.count(c)) continue;
    EXPECT_FALSE(IsKnownOp(static_cast<OpKind>(c))) << c;
    EXPECT_EQ(Traits(static_cast<OpKind>(c)).params, ParamsFamily::kNone) << c;
    if (c < kOpCodeEnd) {
      EXPECT_EQ(tgrs_backend_reference.ops[c].run, nullptr) << c;
    }
  }
}

TEST(OpTraits, OnnxNamesAreUniqueAndImportedOnesNonEmpty) {
  std::set<std::string> names;
  for (const OpTraits& t : kOpTraits) {
    if (!t.imported()) continue;
    EXPECT_NE(std::string(t.onnx_name), "") << t.name;
    EXPECT_TRUE(names.insert(t.onnx_name).second) << "two rows map ONNX " << t.onnx_name;
  }
}

TEST(OpTraits, EveryPlanOpHasAReferenceKernel) {
  for (const OpTraits& t : kOpTraits) {
    const tgrs_kernel_t& k = tgrs_backend_reference.ops[t.code];
    EXPECT_NE(k.run, nullptr) << t.name;
    ASSERT_NE(k.check, nullptr) << t.name;
    if (!t.in_plans()) {
      // import-only rows: the loader refuses a plan that contains one
      tgrs_kernel_call_t call{};
      EXPECT_EQ(k.check(&call), TGRS_ERR_UNSUPPORTED_OP) << t.name;
    }
  }
}

TEST(OpTraits, FusableActivationsAreElementwiseUnaryOpsWithDistinctKinds) {
  std::set<int32_t> kinds;
  for (const OpTraits& t : kOpTraits) {
    if (!t.fusable_activation()) continue;
    EXPECT_EQ(t.params, ParamsFamily::kUnary) << t.name;
    EXPECT_EQ(t.tile, TileClass::kElementwise) << t.name;
    EXPECT_GT(t.act, TGRS_ACT_NONE) << t.name;
    EXPECT_LE(t.act, TGRS_ACT_SILU) << t.name;
    EXPECT_TRUE(kinds.insert(t.act).second) << t.name << " repeats tgrs_act_kind_t " << t.act;
    EXPECT_FALSE(t.fusable_producer()) << t.name;
  }
}

TEST(OpTraits, ProducersAreTheRowsWhoseParamsCarryAnActivation) {
  std::set<std::string> producers;
  for (const OpTraits& t : kOpTraits)
    if (t.fusable_producer()) producers.insert(t.name);
  // the families with a tgrs_act_t field: today's producers
  const std::set<std::string> expect = {"Conv", "ConvTranspose", "Gemm", "MatMul", "Add", "Sub", "Mul", "Div"};
  for (const auto& p : expect) EXPECT_TRUE(producers.count(p)) << p;
}

TEST(OpTraits, ViewsAreParameterlessDataOnlyAndTiledByTheirOwnRule) {
  // A view tiles only along an axis it keeps (receptive_field.cpp's Reshape rule).
  for (const OpTraits& t : kOpTraits) {
    if (!t.view()) continue;
    EXPECT_EQ(t.params, ParamsFamily::kEmpty) << t.name;
    EXPECT_EQ(t.inputs, InputUse::kDataOnly) << t.name;
    EXPECT_EQ(t.tile, TileClass::kOwnRule) << t.name;
  }
  EXPECT_TRUE(Traits(OpKind::kReshape).view());
  EXPECT_FALSE(Traits(OpKind::kCopy).view());
}

TEST(OpTraits, TileClassesMatchTheParamsTheirRulesRead) {
  for (const OpTraits& t : kOpTraits) {
    const ParamsFamily p = t.params;
    switch (t.tile) {
      case TileClass::kBroadcast:  // Add..Div carry a fused activation; Pow, Where, Equal, ... nothing
        EXPECT_TRUE(p == ParamsFamily::kAct || p == ParamsFamily::kEmpty) << t.name;
        break;
      case TileClass::kElementwise:  // QuantizeLinear/DequantizeLinear: their scale; Requantize: int8 only
        EXPECT_TRUE(p == ParamsFamily::kUnary || p == ParamsFamily::kEmpty || p == ParamsFamily::kQdq ||
                    (p == ParamsFamily::kNone && HasS8Kernel(t.kind)))
            << t.name;
        break;
      case TileClass::kWindowed: EXPECT_TRUE(p == ParamsFamily::kConv || p == ParamsFamily::kPool) << t.name; break;
      case TileClass::kReduction:
        EXPECT_TRUE(p == ParamsFamily::kGlobalPool || p == ParamsFamily::kReduce) << t.name;
        break;
      case TileClass::kAxis: EXPECT_EQ(p, ParamsFamily::kAxis) << t.name; break;
      default: break;
    }
  }
}

TEST(OpTraits, UnaryOperandsFollowTheCanonicalAttributes) {
  Node clip;
  clip.kind = OpKind::kClip;
  clip.attrs = {{"min", 0.f}, {"max", 6.f}};
  EXPECT_EQ(UnaryOperandsOf(clip).a, 0.f);
  EXPECT_EQ(UnaryOperandsOf(clip).b, 6.f);
  Node leaky;
  leaky.kind = OpKind::kLeakyRelu;
  EXPECT_EQ(UnaryOperandsOf(leaky).a, 0.01f);
  Node relu;
  relu.kind = OpKind::kRelu;
  EXPECT_EQ(UnaryOperandsOf(relu).a, 0.f);
  EXPECT_EQ(UnaryOperandsOf(relu).b, 0.f);
  // ONNX's defaults when the attributes are absent; Gelu's approximation as a = 0 / 1
  Node selu;
  selu.kind = OpKind::kSelu;
  EXPECT_EQ(UnaryOperandsOf(selu).a, 1.67326319217681884765625f);
  EXPECT_EQ(UnaryOperandsOf(selu).b, 1.05070102214813232421875f);
  Node elu;
  elu.kind = OpKind::kElu;
  EXPECT_EQ(UnaryOperandsOf(elu).a, 1.f);
  elu.attrs = {{"alpha", 0.5f}};
  EXPECT_EQ(UnaryOperandsOf(elu).a, 0.5f);
  Node gelu;
  gelu.kind = OpKind::kGelu;
  EXPECT_EQ(UnaryOperandsOf(gelu).a, 0.f);
  gelu.attrs = {{"approximate", int64_t{1}}};
  EXPECT_EQ(UnaryOperandsOf(gelu).a, 1.f);
}

}  // namespace
}  // namespace tigris::ir
