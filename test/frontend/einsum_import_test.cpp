// Import of Einsum (make_models.py, models 25): the output shapes our shape rule adds to onnx
// 1.12's rank-only inference, the lowering into Transpose/Reshape/MatMul (a transposed weight
// folded into a constant), and the refusals of a diagonal and of three operands, which name the
// node and the equation.
#include <gtest/gtest.h>

#include "tigris/frontend/onnx_importer.h"

namespace tigris::frontend {
namespace {

std::string Model(const std::string& name) { return std::string(TIGRIS_TEST_MODELS) + "/" + name; }

TEST(EinsumImport, AttentionLowersToMatMulAndTranspose) {
  auto g = ImportOnnxFile(Model("einsum_attention.onnx"));
  ASSERT_TRUE(g.ok()) << g.status().message();
  const std::string dump = g->Dump();
  // Q K^T: K transposed on its last two dims, then one batched MatMul that keeps the node's name.
  EXPECT_NE(dump.find("%s_transpose_b:float32[1x2x4x6] = Transpose(%k:float32[1x2x6x4]) {perm=[0,1,3,2]}"),
            std::string::npos)
      << dump;
  EXPECT_NE(
      dump.find(
          "%s:float32[1x2x5x6] = MatMul(%q:float32[1x2x5x4], %s_transpose_b:float32[1x2x4x6])  # scores"),
      std::string::npos)
      << dump;
  // P V is a plain batched MatMul (the equation's spaces are ignored).
  EXPECT_NE(dump.find("%o:float32[1x2x5x4] = MatMul(%p:float32[1x2x5x6], %v:float32[1x2x6x4])  # context"),
            std::string::npos)
      << dump;
  // The weight [e, d] is contracted on d: its transpose is a constant, not a node.
  EXPECT_NE(
      dump.find(
          "%y:float32[1x2x5x3] = MatMul(%o:float32[1x2x5x4], %wo_transpose_b:float32[4x3]=const)  # proj"),
      std::string::npos)
      << dump;
  size_t transposes = 0;
  for (const auto& n : g->nodes) transposes += n.kind == ir::OpKind::kTranspose;
  EXPECT_EQ(transposes, 1u) << dump;
  EXPECT_TRUE(g->Verify().ok());
}

TEST(EinsumImport, DiagonalIsRefusedNamingNodeAndEquation) {
  auto g = ImportOnnxFile(Model("einsum_diagonal.onnx"));
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.status().code(), ErrorCode::kUnsupported);
  EXPECT_NE(
      g.status().message().find("node 'diag' (Einsum): equation 'bii->bi': operand 0 repeats label 'i' (a "
                                "diagonal), which is not supported"),
      std::string::npos)
      << g.status().message();
}

TEST(EinsumImport, ThreeOperandsAreRefusedNamingNodeAndEquation) {
  auto g = ImportOnnxFile(Model("einsum_three_operands.onnx"));
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.status().code(), ErrorCode::kUnsupported);
  EXPECT_NE(g.status().message().find(
                "node 'chain' (Einsum): equation 'ij,jk,kl->il': 3 operands are not supported "
                "(Einsum with one or two operands is)"),
            std::string::npos)
      << g.status().message();
}

}  // namespace
}  // namespace tigris::frontend
