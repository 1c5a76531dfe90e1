// Importer behaviour on small generated models (make_models.py): folding, auto_pad, version
// conversion, dim binding, error messages for bad files and unsupported ops, and the IR dump.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "tigris/frontend/onnx_importer.h"
#include "tigris/kernels/tgrs_params.h"

namespace tigris::frontend {
namespace {

std::string Model(const std::string& name) { return std::string(TIGRIS_TEST_MODELS) + "/" + name; }

std::string ReadAll(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

const ir::Node* FindNode(const ir::Graph& g, const std::string& name) {
  for (const auto& n : g.nodes)
    if (n.name == name) return &n;
  return nullptr;
}

TEST(OnnxImporter, FoldsShapeGatherUnsqueezeConcatReshapeChain) {
  auto g = ImportOnnxFile(Model("shape_chain.onnx"));
  ASSERT_TRUE(g.ok()) << g.status().message();
  ASSERT_EQ(g->nodes.size(), 2u);
  EXPECT_EQ(g->nodes[0].kind, ir::OpKind::kRelu);
  EXPECT_EQ(g->nodes[1].kind, ir::OpKind::kReshape);
  EXPECT_EQ(g->nodes[1].inputs.size(), 1u);
  EXPECT_EQ(g->tensor(g->outputs[0]).shape, (std::vector<int64_t>{1, 48}));
  EXPECT_EQ(g->tensor(g->outputs[0]).name, "y");
}

TEST(OnnxImporter, BindsUserShapeThroughFoldedChain) {
  ImportOptions opt;
  opt.input_shapes["x"] = {5, 3, 4, 4};
  auto g = ImportOnnxFile(Model("shape_chain.onnx"), opt);
  ASSERT_TRUE(g.ok()) << g.status().message();
  EXPECT_EQ(g->tensor(g->inputs[0]).shape, (std::vector<int64_t>{5, 3, 4, 4}));
  EXPECT_EQ(g->tensor(g->outputs[0]).shape, (std::vector<int64_t>{5, 48}));
}

TEST(OnnxImporter, FoldsFloatMathRangeCastConstantOfShape) {
  auto g = ImportOnnxFile(Model("fold_math.onnx"));
  ASSERT_TRUE(g.ok()) << g.status().message();
  ASSERT_EQ(g->nodes.size(), 1u);
  const ir::Tensor& bias = g->tensor(g->nodes[0].inputs[1]);
  ASSERT_TRUE(bias.is_constant);
  ASSERT_EQ(bias.NumElements(), 4);
  for (int k = 0; k < 4; ++k) EXPECT_FLOAT_EQ(bias.DataAs<float>()[k], 2.f * static_cast<float>(k) + 1.f);
}

TEST(OnnxImporter, ResolvesAutoPad) {
  auto g = ImportOnnxFile(Model("autopad.onnx"));
  ASSERT_TRUE(g.ok()) << g.status().message();
  const ir::Node* up = FindNode(*g, "same_upper");
  const ir::Node* low = FindNode(*g, "same_lower");
  const ir::Node* valid = FindNode(*g, "valid");
  const ir::Node* pool = FindNode(*g, "pool");
  ASSERT_TRUE(up && low && valid && pool);
  // 7 -> 4 with k=3, s=2: total 2, split evenly.
  EXPECT_EQ(up->GetInts("pads"), (std::vector<int64_t>{1, 1, 1, 1}));
  // k=4, s=1: total 3, SAME_LOWER puts the extra one at the beginning.
  EXPECT_EQ(low->GetInts("pads"), (std::vector<int64_t>{2, 2, 1, 1}));
  EXPECT_EQ(valid->GetInts("pads"), (std::vector<int64_t>{0, 0, 0, 0}));
  // Pool 7 -> 4 with k=2, s=2: total 1, SAME_UPPER puts it at the end.
  EXPECT_EQ(pool->GetInts("pads"), (std::vector<int64_t>{0, 0, 1, 1}));
  EXPECT_EQ(up->GetInts("strides"), (std::vector<int64_t>{2, 2}));
  EXPECT_EQ(up->GetInt("group"), 1);
  EXPECT_EQ(up->GetInts("dilations"), (std::vector<int64_t>{1, 1}));
  EXPECT_EQ(up->GetInts("kernel_shape"), (std::vector<int64_t>{3, 3}));
}

TEST(OnnxImporter, ConvTransposeOutputPaddingAndShapeResolvedIntoPads) {
  auto g = ImportOnnxFile(Model("convtranspose.onnx"));
  ASSERT_TRUE(g.ok()) << g.status().message();
  // full = (3-1)*2 + 3 = 7; pads 1,1 and output_padding 1 -> 6 = 7 - 1 - (1 - 1).
  EXPECT_EQ(FindNode(*g, "ct_outpad")->GetInts("pads"), (std::vector<int64_t>{1, 1, 0, 0}));
  // output_shape 6: total padding 1; without SAME_UPPER the odd one goes to the beginning
  // (ConvTranspose's formula: pads[start] = total - total/2; onnxruntime agrees).
  EXPECT_EQ(FindNode(*g, "ct_outshape")->GetInts("pads"), (std::vector<int64_t>{1, 1, 0, 0}));
}

TEST(OnnxImporter, ConvertsOpset9Model) {
  auto g = ImportOnnxFile(Model("opset9.onnx"));
  ASSERT_TRUE(g.ok()) << g.status().message();
  const ir::Node* up = FindNode(*g, "up");
  ASSERT_NE(up, nullptr);
  EXPECT_EQ(up->kind, ir::OpKind::kResize);
  EXPECT_EQ(up->GetInt("coord_mode"), 1);    // asymmetric, as Upsample defines
  EXPECT_EQ(up->GetInt("nearest_mode"), 2);  // floor
  EXPECT_EQ(up->GetFloats("scales"), (std::vector<float>{1, 1, 2, 2}));
  EXPECT_EQ(FindNode(*g, "bn")->kind, ir::OpKind::kBatchNormalization);
  EXPECT_EQ(FindNode(*g, "softmax")->GetInt("axis"), 1);
  EXPECT_EQ(g->tensor(g->outputs[0]).name, "prob");
}

TEST(OnnxImporter, UpsampleRebuiltByTheConverterKeepsItsMeaningAndNames) {
  // The converter replaces the Upsample by a new, unnamed Resize with a fresh output name; it
  // must still be asymmetric (not Resize-11's half_pixel default) and be called what it was.
  auto g = ImportOnnxFile(Model("upsample_linear_opset9.onnx"));
  ASSERT_TRUE(g.ok()) << g.status().message();
  const ir::Node* up = FindNode(*g, "up");
  ASSERT_NE(up, nullptr);
  EXPECT_EQ(up->kind, ir::OpKind::kResize);
  EXPECT_EQ(up->GetInt("mode"), TGRS_RESIZE_LINEAR);
  EXPECT_EQ(up->GetInt("coord_mode"), TGRS_COORD_ASYMMETRIC);
  EXPECT_EQ(up->GetFloats("scales"), (std::vector<float>{1, 1, 2.5f, 1.5f}));
  EXPECT_EQ(g->tensor(up->outputs[0]).name, "u");
  EXPECT_EQ(g->tensor(up->outputs[0]).shape, (std::vector<int64_t>{1, 3, 12, 6}));
}

TEST(OnnxImporter, Resize10NearestDownsamplingRoundsUp) {
  // onnxruntime's opset-10 nearest rounding: ceil on a downsampled axis.
  auto g = ImportOnnxFile(Model("resize_down_opset10.onnx"));
  ASSERT_TRUE(g.ok()) << g.status().message();
  const ir::Node* down = FindNode(*g, "down");
  ASSERT_NE(down, nullptr);
  EXPECT_EQ(down->GetInt("coord_mode"), TGRS_COORD_ASYMMETRIC);
  EXPECT_EQ(down->GetInt("nearest_mode"), TGRS_NEAREST_CEIL);
}

// Softmax-11 over axis 1 of a rank-4 tensor means softmax over the flattened C*H*W; the
// converter rewrites it as Flatten -> Softmax(-1) -> Reshape, which only works if it knows the
// input shape: inferred before converting, from the bound input shapes.
void ExpectFlattenedSoftmax(const ir::Graph& g, const std::vector<int64_t>& in_shape, int64_t inner) {
  const ir::Node* sm = FindNode(g, "softmax");
  ASSERT_NE(sm, nullptr);
  EXPECT_EQ(sm->kind, ir::OpKind::kSoftmax);
  const auto& x = g.tensor(sm->inputs[0]).shape;
  ASSERT_EQ(x.size(), 2u);
  EXPECT_EQ(x[1], inner);
  EXPECT_EQ(sm->GetInt("axis"), 1);
  EXPECT_EQ(g.tensor(g.outputs[0]).shape, in_shape);
}

TEST(OnnxImporter, ConvertsSoftmax11WithoutValueInfo) {
  auto g = ImportOnnxFile(Model("softmax11_after_conv.onnx"));
  ASSERT_TRUE(g.ok()) << g.status().message();
  ExpectFlattenedSoftmax(*g, {1, 3, 4, 5}, 60);
}

TEST(OnnxImporter, ConvertsSoftmax11WithSymbolicDimsAtTheBoundShape) {
  ImportOptions opt;
  opt.input_shapes["x"] = {2, 3, 4, 5};
  auto g = ImportOnnxFile(Model("softmax11_symbolic.onnx"), opt);
  ASSERT_TRUE(g.ok()) << g.status().message();
  ExpectFlattenedSoftmax(*g, {2, 3, 4, 5}, 60);
}

TEST(OnnxImporter, ImportsIr3Opset7Model) {
  auto g = ImportOnnxFile(Model("ir3_opset7.onnx"));
  ASSERT_TRUE(g.ok()) << g.status().message();
  ASSERT_EQ(g->inputs.size(), 1u);  // the weights listed as inputs are constants
  const ir::Node* split = FindNode(*g, "split");
  ASSERT_NE(split, nullptr);
  EXPECT_EQ(split->GetInts("split"), (std::vector<int64_t>{1, 3}));
  EXPECT_EQ(g->tensor(FindNode(*g, "conv")->outputs[0]).shape, (std::vector<int64_t>{1, 4, 5, 5}));
}

TEST(OnnxImporter, ConvertsPad2WithoutValue) {
  auto g = ImportOnnxFile(Model("pad2_default_value.onnx"));
  ASSERT_FALSE(g.ok());
  EXPECT_NE(g.status().message().find("node 'sin' (Sin)"), std::string::npos) << g.status().message();
  EXPECT_EQ(g.status().message().find("stays at opset"), std::string::npos) << g.status().message();
}

TEST(OnnxImporter, UnconvertedSoftmax11IsCoercedTo2D) {
  auto g = ImportOnnxFile(Model("softmax11_unconvertible.onnx"));
  ASSERT_TRUE(g.ok()) << g.status().message();
  ExpectFlattenedSoftmax(*g, {2, 3, 4, 5}, 60);
  ASSERT_NE(FindNode(*g, "softmax_to_2d"), nullptr);
  EXPECT_EQ(FindNode(*g, "softmax_to_2d")->kind, ir::OpKind::kReshape);
  ASSERT_NE(FindNode(*g, "softmax_from_2d"), nullptr);
  EXPECT_EQ(g->tensor(FindNode(*g, "softmax_from_2d")->outputs[0]).name, "y");
}

TEST(OnnxImporter, BatchNorm7PerActivationImportsAsMulAdd) {
  auto g = ImportOnnxFile(Model("bn_spatial0_opset7.onnx"));
  ASSERT_TRUE(g.ok()) << g.status().message();
  const ir::Node* mul = FindNode(*g, "bn_mul");
  const ir::Node* add = FindNode(*g, "bn");
  ASSERT_TRUE(mul && add);
  EXPECT_EQ(mul->kind, ir::OpKind::kMul);
  EXPECT_EQ(add->kind, ir::OpKind::kAdd);
  const ir::Tensor& scale = g->tensor(mul->inputs[1]);
  const ir::Tensor& shift = g->tensor(add->inputs[1]);
  ASSERT_EQ(scale.shape, (std::vector<int64_t>{2, 2, 3}));
  // scale 2 / sqrt(0.75 + 0.25) = 2; shift b - mean * 2 = b - 2
  EXPECT_FLOAT_EQ(scale.DataAs<float>()[5], 2.f);
  EXPECT_FLOAT_EQ(shift.DataAs<float>()[5], 3.f);
  EXPECT_EQ(g->tensor(add->outputs[0]).name, "y");
}

TEST(OnnxImporter, ConvertsOpset11Model) {
  auto g = ImportOnnxFile(Model("opset11.onnx"));
  ASSERT_TRUE(g.ok()) << g.status().message();
  const ir::Node* clip = FindNode(*g, "clip");
  EXPECT_FLOAT_EQ(clip->GetFloat("min"), 0.f);
  EXPECT_FLOAT_EQ(clip->GetFloat("max"), 6.f);
  const ir::Node* pad = FindNode(*g, "pad");
  EXPECT_EQ(pad->GetInts("pads"), (std::vector<int64_t>{0, 0, 1, 0, 0, 0, 2, 0}));
  EXPECT_FLOAT_EQ(pad->GetFloat("value"), 0.5f);
  EXPECT_EQ(FindNode(*g, "squeeze")->kind, ir::OpKind::kReshape);
  const ir::Node* slice = FindNode(*g, "slice");
  EXPECT_EQ(slice->GetInts("starts"), (std::vector<int64_t>{0, 0, 6}));
  EXPECT_EQ(slice->GetInts("steps"), (std::vector<int64_t>{1, 2, -2}));
  EXPECT_EQ(g->tensor(slice->outputs[0]).shape, (std::vector<int64_t>{1, 2, 4}));
}

TEST(OnnxImporter, SymbolicDimsBindToOneAndInitializerInputsAreConstants) {
  auto g = ImportOnnxFile(Model("symbolic.onnx"));
  ASSERT_TRUE(g.ok()) << g.status().message();
  ASSERT_EQ(g->inputs.size(), 1u);  // "w" is an initializer, not a runtime input
  EXPECT_EQ(g->tensor(g->inputs[0]).shape, (std::vector<int64_t>{1, 8}));
  EXPECT_EQ(g->tensor(g->outputs[0]).shape, (std::vector<int64_t>{1, 4}));
  EXPECT_TRUE(g->tensor(g->nodes[0].inputs[1]).is_constant);
  EXPECT_FLOAT_EQ(g->nodes[0].GetFloat("alpha"), 0.5f);
}

TEST(OnnxImporter, InputShapeOption) {
  ImportOptions opt;
  opt.input_shapes["x"] = {3, 8};
  auto g = ImportOnnxFile(Model("symbolic.onnx"), opt);
  ASSERT_TRUE(g.ok()) << g.status().message();
  EXPECT_EQ(g->tensor(g->outputs[0]).shape, (std::vector<int64_t>{3, 4}));

  opt.input_shapes["x"] = {3, 8, 1};
  auto bad_rank = ImportOnnxFile(Model("symbolic.onnx"), opt);
  ASSERT_FALSE(bad_rank.ok());
  EXPECT_EQ(bad_rank.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(bad_rank.status().message().find("'x'"), std::string::npos) << bad_rank.status().message();
  EXPECT_NE(bad_rank.status().message().find("rank"), std::string::npos);

  ImportOptions unknown;
  unknown.input_shapes["nope"] = {1, 8};
  auto bad_name = ImportOnnxFile(Model("symbolic.onnx"), unknown);
  ASSERT_FALSE(bad_name.ok());
  EXPECT_EQ(bad_name.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(bad_name.status().message().find("'nope'"), std::string::npos) << bad_name.status().message();

  ImportOptions fixed;
  fixed.input_shapes["x"] = {2, 9};  // dim 1 is fixed at 8 in the model
  EXPECT_FALSE(ImportOnnxFile(Model("symbolic.onnx"), fixed).ok());
}

TEST(OnnxImporter, TruncatedFileIsInvalidModel) {
  const std::string bytes = ReadAll(Model("tiny_cnn.onnx"));
  ASSERT_GT(bytes.size(), 100u);
  for (size_t cut : {bytes.size() / 2, bytes.size() - 7, size_t{10}, size_t{1}}) {
    auto g = ImportOnnxBytes(bytes.substr(0, cut));
    ASSERT_FALSE(g.ok()) << "cut at " << cut;
    EXPECT_EQ(g.status().code(), ErrorCode::kInvalidModel) << g.status().message();
    EXPECT_EQ(g.status().message().find('\n'), std::string::npos);
  }
}

TEST(OnnxImporter, NonOnnxFileIsInvalidModel) {
  auto g = ImportOnnxFile(Model("not_onnx.onnx"));
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.status().code(), ErrorCode::kInvalidModel);
  EXPECT_NE(g.status().message().find("not an ONNX model"), std::string::npos) << g.status().message();
  EXPECT_EQ(g.status().message().find('\n'), std::string::npos);
  auto empty = ImportOnnxBytes("");
  EXPECT_EQ(empty.status().code(), ErrorCode::kInvalidModel);
  auto missing = ImportOnnxFile(Model("does_not_exist.onnx"));
  EXPECT_EQ(missing.status().code(), ErrorCode::kIoError);
}

TEST(OnnxImporter, GarbageNeverCrashes) {
  // Byte flips of a valid model: every result must be a Status, never a crash or abort.
  const std::string bytes = ReadAll(Model("tiny_cnn.onnx"));
  uint32_t seed = 12345;
  for (int iter = 0; iter < 200; ++iter) {
    std::string b = bytes;
    for (int k = 0; k < 4; ++k) {
      seed = seed * 1664525u + 1013904223u;
      b[(seed >> 8) % b.size()] = static_cast<char>(seed >> 24);
    }
    auto g = ImportOnnxBytes(b);
    if (g.ok()) {
      EXPECT_TRUE(g->Verify().ok());
    }
  }
}

TEST(OnnxImporter, UnsupportedOpNamesNodeAndOp) {
  auto g = ImportOnnxFile(Model("unsupported.onnx"));
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.status().code(), ErrorCode::kUnsupported);
  EXPECT_NE(g.status().message().find("node 'my_sin' (Sin)"), std::string::npos) << g.status().message();

  auto unnamed = ImportOnnxFile(Model("unsupported_unnamed.onnx"));
  ASSERT_FALSE(unnamed.ok());
  EXPECT_NE(unnamed.status().message().find("node 'Sin_1' (Sin)"), std::string::npos) << unnamed.status().message();

  auto conv3d = ImportOnnxFile(Model("conv3d.onnx"));
  ASSERT_FALSE(conv3d.ok());
  EXPECT_EQ(conv3d.status().code(), ErrorCode::kUnsupported);
  EXPECT_NE(conv3d.status().message().find("node 'conv3d' (Conv): 3-D convolution is not supported"), std::string::npos)
      << conv3d.status().message();
}

// ---- every unsupported op at once (issue 7) --------------------------------------------------

TEST(OnnxImporter, ListsEveryUnsupportedOpWithCountAndFirstNode) {
  auto g = ImportOnnxFile(Model("unsupported_many.onnx"));
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.status().code(), ErrorCode::kUnsupported);
  const std::string& m = g.status().message();
  EXPECT_NE(m.find("4 nodes use 3 ops TiGrIS does not support"), std::string::npos) << m;
  EXPECT_NE(m.find("Asin x2 (first node 'asin_first')"), std::string::npos) << m;
  EXPECT_NE(m.find("Acos x1 (node 'acos')"), std::string::npos) << m;
  EXPECT_NE(m.find("Hardmax x1 (node 'hardmax')"), std::string::npos) << m;
  EXPECT_EQ(m.find('\n'), std::string::npos);
  // Graph order: the first unsupported node's op comes first.
  EXPECT_LT(m.find("Asin"), m.find("Acos")) << m;
}

TEST(OnnxImporter, OtherDomainsAndUnknownOpsAreListedWithTheRest) {
  auto domain = ImportOnnxFile(Model("unsupported_domain.onnx"));
  ASSERT_FALSE(domain.ok());
  EXPECT_EQ(domain.status().code(), ErrorCode::kUnsupported);
  EXPECT_NE(domain.status().message().find("com.microsoft.FusedConv x1 (node 'fused': is not supported (only the default ONNX domain is))"),
            std::string::npos)
      << domain.status().message();
  EXPECT_NE(domain.status().message().find("Acos x1 (node 'acos')"), std::string::npos) << domain.status().message();

  // An op no opset has (FooBar), an op new at 19 TiGrIS has no rule for (DeformConv), and a
  // known op it does not map (Acos, twice), at opset 19.
  auto unknown = ImportOnnxFile(Model("unknown_ops_opset19.onnx"));
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().code(), ErrorCode::kUnsupported);
  const std::string& m = unknown.status().message();
  EXPECT_NE(m.find("4 nodes use 3 ops"), std::string::npos) << m;
  EXPECT_NE(m.find("FooBar x1 (node 'foo': is not supported (unknown at opset 19))"), std::string::npos) << m;
  EXPECT_NE(m.find("Acos x2 (first node 'acos')"), std::string::npos) << m;
  EXPECT_NE(m.find("DeformConv x1 (node 'deform')"), std::string::npos) << m;

  // Gelu exists from opset 20 on.
  auto gelu = ImportOnnxFile(Model("gelu_opset19.onnx"));
  ASSERT_FALSE(gelu.ok());
  EXPECT_NE(gelu.status().message().find("node 'gelu' (Gelu): op Gelu is not supported (unknown at opset 19)"),
            std::string::npos)
      << gelu.status().message();
}

// ---- opsets 18..21 ---------------------------------------------------------------------------

TEST(OnnxImporter, RefusesOpsetsAbove21NamingTheOpset) {
  auto g = ImportOnnxFile(Model("opset22.onnx"));
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.status().code(), ErrorCode::kUnsupported);
  EXPECT_NE(g.status().message().find("model uses ONNX opset 22; TiGrIS imports opsets 7 to 21"), std::string::npos)
      << g.status().message();
}

TEST(OnnxImporter, RewritesOpset18FormsToOpset17) {
  auto g = ImportOnnxFile(Model("opset18_forms.onnx"));
  ASSERT_TRUE(g.ok()) << g.status().message();
  // ReduceMean-18's axes input [1, -1] -> the sorted, normalized attribute.
  const ir::Node* mean = FindNode(*g, "mean");
  ASSERT_NE(mean, nullptr);
  EXPECT_EQ(mean->GetInts("axes"), (std::vector<int64_t>{1, 3}));
  EXPECT_EQ(g->tensor(mean->outputs[0]).shape, (std::vector<int64_t>{1, 5}));
  // Split-18 num_outputs=3 over 7: chunks of ceil(7/3) = 3, the last smaller.
  const ir::Node* split = FindNode(*g, "split");
  ASSERT_NE(split, nullptr);
  EXPECT_EQ(split->GetInts("split"), (std::vector<int64_t>{3, 3, 1}));
  // Pad-18 with axes [-1, 1] and pads [1, 2, 0, 1]: begins then ends of those axes.
  const ir::Node* pad = FindNode(*g, "pad");
  ASSERT_NE(pad, nullptr);
  EXPECT_EQ(pad->GetInts("pads"), (std::vector<int64_t>{0, 2, 0, 1, 0, 1, 0, 0}));
  // Resize-18, sizes [10, 10] over axes [2, 3] with not_larger: one scale min(10/5, 10/7);
  // the output is round(scale * in), the coordinates use that scale.
  const ir::Node* resize = FindNode(*g, "resize");
  ASSERT_NE(resize, nullptr);
  const float s = 10.f / 7.f;
  EXPECT_EQ(resize->GetFloats("scales"), (std::vector<float>{1.f, 1.f, s, s}));
  EXPECT_EQ(g->tensor(resize->outputs[0]).shape, (std::vector<int64_t>{1, 3, 7, 10}));
  // Empty axes with noop_with_empty_axes: no node at all (the Relu reads x).
  EXPECT_EQ(FindNode(*g, "noop"), nullptr);
  EXPECT_EQ(g->tensor(FindNode(*g, "relu")->inputs[0]).name, "x");
}

TEST(OnnxImporter, Opset18FormWithoutOpset17SpellingIsRefusedWithTheReason) {
  auto g = ImportOnnxFile(Model("opset18_runtime_axes.onnx"));
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.status().code(), ErrorCode::kUnsupported);
  EXPECT_NE(g.status().message().find("node 'mean' (ReduceMean): its axes input 'axes' must be a constant (at opset 18)"),
            std::string::npos)
      << g.status().message();
}

// ---- dtypes ----------------------------------------------------------------------------------

TEST(OnnxImporter, RefusesDtypesTiGrISDoesNotComputeInNamingTheTensor) {
  for (const char* type : {"float64", "float16"}) {
    auto g = ImportOnnxFile(Model(std::string(type) + "_input.onnx"));
    ASSERT_FALSE(g.ok()) << type;
    EXPECT_EQ(g.status().code(), ErrorCode::kUnsupported);
    EXPECT_NE(g.status().message().find("graph input 'x' has element type " + std::string(type)), std::string::npos)
        << g.status().message();
  }
  auto bf16 = ImportOnnxFile(Model("bfloat16_initializer.onnx"));
  ASSERT_FALSE(bf16.ok());
  EXPECT_NE(bf16.status().message().find("initializer 'c': element type bfloat16 is not supported"), std::string::npos)
      << bf16.status().message();
  auto cast = ImportOnnxFile(Model("cast_bfloat16.onnx"));
  ASSERT_FALSE(cast.ok());
  EXPECT_NE(cast.status().message().find("node 'n' (Cast): cast to element type bfloat16 is not supported"),
            std::string::npos)
      << cast.status().message();
}

TEST(OnnxImporter, IntegerAndBoolActivationsPassWhereTheOpTakesThem) {
  auto i64 = ImportOnnxFile(Model("int64_reshape.onnx"));
  ASSERT_TRUE(i64.ok()) << i64.status().message();
  EXPECT_EQ(i64->tensor(i64->inputs[0]).dtype, ir::DType::kI64);
  EXPECT_EQ(i64->tensor(i64->outputs[0]).dtype, ir::DType::kI64);
  EXPECT_EQ(i64->tensor(i64->outputs[0]).shape, (std::vector<int64_t>{3, 2}));
  auto b = ImportOnnxFile(Model("bool_flatten.onnx"));
  ASSERT_TRUE(b.ok()) << b.status().message();
  EXPECT_EQ(b->tensor(b->outputs[0]).dtype, ir::DType::kBool);
  auto relu = ImportOnnxFile(Model("int64_relu.onnx"));
  ASSERT_FALSE(relu.ok());
  EXPECT_EQ(relu.status().code(), ErrorCode::kUnsupported);
  EXPECT_NE(relu.status().message().find("node 'n' (Relu): input 'x' has element type int64; Relu takes float32 here"),
            std::string::npos)
      << relu.status().message();
}

// ---- weight-only DequantizeLinear ------------------------------------------------------------

TEST(OnnxImporter, FoldsPerAxisDequantizeLinearExactly) {
  auto g = ImportOnnxFile(Model("dequantize_per_axis.onnx"));
  ASSERT_TRUE(g.ok()) << g.status().message();
  ASSERT_EQ(g->nodes.size(), 1u);
  const ir::Tensor& w = g->tensor(g->nodes[0].inputs[1]);
  ASSERT_TRUE(w.is_constant);
  ASSERT_EQ(w.dtype, ir::DType::kF32);
  auto expected = ReadTensorProtoFile(Model("dequantize_per_axis_expected_w.pb"));
  ASSERT_TRUE(expected.ok()) << expected.status().message();
  ASSERT_EQ(w.shape, expected->shape);
  EXPECT_EQ(w.data, expected->data);  // bit for bit: (q - zero_point) * scale in float32
}

TEST(OnnxImporter, DumpOfSmallCnn) {
  auto g = ImportOnnxFile(Model("tiny_cnn.onnx"));
  ASSERT_TRUE(g.ok()) << g.status().message();
  const std::string expected =
      "graph tiny_cnn {\n"
      "  input %input:float32[1x1x8x8]\n"
      "  %c:float32[1x2x8x8] = Conv(%input:float32[1x1x8x8], %cw:float32[2x1x3x3]=const, %cb:float32[2]=const) "
      "{dilations=[1,1], group=1, kernel_shape=[3,3], pads=[1,1,1,1], strides=[1,1]}  # conv1\n"
      "  %r:float32[1x2x8x8] = Relu(%c:float32[1x2x8x8])  # relu1\n"
      "  %p:float32[1x2x4x4] = MaxPool(%r:float32[1x2x8x8]) "
      "{ceil_mode=0, dilations=[1,1], kernel_shape=[2,2], pads=[0,0,0,0], strides=[2,2]}  # pool1\n"
      "  %f:float32[1x32] = Reshape(%p:float32[1x2x4x4])  # Flatten_3\n"
      "  %logits:float32[1x3] = Gemm(%f:float32[1x32], %fw:float32[3x32]=const, %fb:float32[3]=const) "
      "{alpha=1, beta=1, transA=0, transB=1}  # fc\n"
      "  output %logits:float32[1x3]\n"
      "}\n";
  EXPECT_EQ(g->Dump(), expected);
}

}  // namespace
}  // namespace tigris::frontend
