// The element types activations may have (float32, int32, int64, bool) and which ops take
// them: the rules of op_mapper.cpp's TypeRuleOf / CheckElementTypes on small generated models
// (make_models.py, section 18).
#include <gtest/gtest.h>

#include "tigris/frontend/onnx_importer.h"

namespace tigris::frontend {
namespace {

std::string Model(const std::string& name) { return std::string(TIGRIS_TEST_MODELS) + "/" + name; }

TEST(ElementTypes, Int64AndBoolActivationsFlowThroughTheOpsThatTakeThem) {
  auto g = ImportOnnxFile(Model("element_types.onnx"));
  ASSERT_TRUE(g.ok()) << g.status().message();
  const std::string dump = g->Dump();
  EXPECT_NE(dump.find("input %idx:int64[2x3]"), std::string::npos) << dump;
  EXPECT_NE(dump.find("%eq:bool[2x3] = Equal(%idx:int64[2x3], %three:int64[3]=const)"), std::string::npos) << dump;
  EXPECT_NE(dump.find("%w:float32[2x3] = Where(%eq:bool[2x3], %x:float32[2x3], %zero:float32[1]=const)"),
            std::string::npos)
      << dump;
  EXPECT_NE(dump.find("%c:float32[2x3] = Cast(%idx:int64[2x3]) {to=1}"), std::string::npos) << dump;
  EXPECT_NE(dump.find("%t:int64[2x6] = Tile(%idx:int64[2x3]) {repeats=[1,2]}"), std::string::npos) << dump;
  EXPECT_TRUE(g->Verify().ok());
}

TEST(ElementTypes, FloatOnlyOpsRefuseOtherTypesByName) {
  auto relu = ImportOnnxFile(Model("relu_int32.onnx"));
  ASSERT_FALSE(relu.ok());
  EXPECT_EQ(relu.status().code(), ErrorCode::kUnsupported);
  EXPECT_NE(relu.status().message().find("node 'relu_i32' (Relu): input 'xi' has element type int32"),
            std::string::npos)
      << relu.status().message();
  auto pow = ImportOnnxFile(Model("pow_int32_base.onnx"));
  ASSERT_FALSE(pow.ok());
  EXPECT_EQ(pow.status().code(), ErrorCode::kUnsupported);
  EXPECT_NE(pow.status().message().find("node 'pow_i32' (Pow): operand 'xi' has element type int32; Pow supports a "
                                        "float32 base only"),
            std::string::npos)
      << pow.status().message();
}

TEST(ElementTypes, ExpandNeedsAConstantShape) {
  auto g = ImportOnnxFile(Model("expand_runtime_shape.onnx"));
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.status().code(), ErrorCode::kUnsupported);
  EXPECT_NE(g.status().message().find("node 'expand_dyn' (Expand): input 'shp' (shape) must be a constant"),
            std::string::npos)
      << g.status().message();
}

}  // namespace
}  // namespace tigris::frontend
