// Import of LSTM / GRU / RNN (make_models.py, models 18): the canonical attributes of docs/ir.md
// (activations in any case with alpha/beta consumed in order, clip, direction, outputs mask),
// sequence_lens dropped when it changes nothing and kept as an int32 constant otherwise, and
// the refusals (runtime sequence_lens, an activation without an agreed default).
#include <gtest/gtest.h>

#include <cmath>

#include "tigris/frontend/onnx_importer.h"
#include "tigris/kernels/tgrs_params.h"

namespace tigris::frontend {
namespace {

std::string Model(const std::string& name) { return std::string(TIGRIS_TEST_MODELS) + "/" + name; }

const ir::Node& OnlyNode(const ir::Graph& g) {
  EXPECT_EQ(g.nodes.size(), 1u);
  return g.nodes.front();
}

TEST(RnnImport, LstmAttributesAreResolved) {
  auto g = ImportOnnxFile(Model("lstm_attrs.onnx"));
  ASSERT_TRUE(g.ok()) << g.status().message();
  const ir::Node& n = OnlyNode(*g);
  EXPECT_EQ(n.kind, ir::OpKind::kLSTM);
  EXPECT_EQ(n.GetInt("hidden_size"), 5);
  EXPECT_EQ(n.GetInt("direction"), TGRS_RNN_BIDIRECTIONAL);
  EXPECT_EQ(n.GetInt("layout"), 0);
  EXPECT_EQ(n.GetInt("input_forget"), 0);
  EXPECT_FLOAT_EQ(n.GetFloat("clip"), 3.f);
  // sigmoid TANH Tanh | HardSigmoid(0.3, 0.6) Tanh LeakyRelu(0.05): alphas in order of use
  EXPECT_EQ(n.GetInts("activations"),
            (std::vector<int64_t>{TGRS_RNN_ACT_SIGMOID, TGRS_RNN_ACT_TANH, TGRS_RNN_ACT_TANH,
                                  TGRS_RNN_ACT_HARD_SIGMOID, TGRS_RNN_ACT_TANH, TGRS_RNN_ACT_LEAKY_RELU}));
  EXPECT_EQ(n.GetFloats("activation_alpha"), (std::vector<float>{0.f, 0.f, 0.f, 0.3f, 0.f, 0.05f}));
  EXPECT_EQ(n.GetFloats("activation_beta"), (std::vector<float>{0.f, 0.f, 0.f, 0.6f, 0.f, 0.f}));
  // Y omitted: outputs Y_h, Y_c; sequence_lens [3, 3] is the whole sequence, so it is dropped
  EXPECT_EQ(n.GetInt("outputs"), TGRS_RNN_OUT_Y_H | TGRS_RNN_OUT_Y_C);
  ASSERT_EQ(n.outputs.size(), 2u);
  EXPECT_EQ(g->tensor(n.outputs[0]).shape, (std::vector<int64_t>{2, 2, 5}));
  EXPECT_EQ(n.inputs.size(), 4u);  // X, W, R, B
}

TEST(RnnImport, PartialSequenceLensIsAnInt32Constant) {
  auto g = ImportOnnxFile(Model("lstm_seq_partial.onnx"));
  ASSERT_TRUE(g.ok()) << g.status().message();
  const ir::Node& n = OnlyNode(*g);
  ASSERT_EQ(n.inputs.size(), 5u);
  const ir::Tensor& seq = g->tensor(n.inputs[4]);
  EXPECT_TRUE(seq.is_constant);
  EXPECT_EQ(seq.dtype, ir::DType::kI32);
  ASSERT_EQ(seq.shape, (std::vector<int64_t>{2}));
  EXPECT_EQ(seq.DataAs<int32_t>()[0], 3);
  EXPECT_EQ(seq.DataAs<int32_t>()[1], 1);
  EXPECT_EQ(n.GetInt("input_forget"), 1);
  EXPECT_TRUE(std::isinf(n.GetFloat("clip")));  // no clip
  EXPECT_EQ(n.GetInt("outputs"), TGRS_RNN_OUT_Y | TGRS_RNN_OUT_Y_C);
  EXPECT_EQ(n.GetInts("activations"),
            (std::vector<int64_t>{TGRS_RNN_ACT_SIGMOID, TGRS_RNN_ACT_TANH, TGRS_RNN_ACT_TANH}));
}

TEST(RnnImport, RuntimeSequenceLensIsRefused) {
  auto g = ImportOnnxFile(Model("gru_seq_runtime.onnx"));
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.status().code(), ErrorCode::kUnsupported);
  // int32 graph inputs are refused before mapping today; once they are not, MapRnn refuses it
  const std::string& msg = g.status().message();
  EXPECT_TRUE(msg.find("'seq' has element type int32") != std::string::npos ||
              msg.find("sequence_lens ('seq') must be a constant") != std::string::npos)
      << msg;
}

TEST(RnnImport, ActivationWithoutAgreedDefaultIsRefused) {
  auto g = ImportOnnxFile(Model("rnn_affine_no_alpha.onnx"));
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.status().code(), ErrorCode::kUnsupported);
  EXPECT_NE(g.status().message().find("node 'rnn' (RNN)"), std::string::npos) << g.status().message();
  EXPECT_NE(g.status().message().find("Affine"), std::string::npos) << g.status().message();
}

TEST(RnnImport, Opset7RnnIsConvertedWithLayout0) {
  auto g = ImportOnnxFile(Model("rnn_opset7.onnx"));
  ASSERT_TRUE(g.ok()) << g.status().message();
  const ir::Node& n = OnlyNode(*g);
  EXPECT_EQ(n.kind, ir::OpKind::kRNN);
  EXPECT_EQ(n.GetInt("direction"), TGRS_RNN_REVERSE);
  EXPECT_EQ(n.GetInt("layout"), 0);
  EXPECT_EQ(n.GetInts("activations"), (std::vector<int64_t>{TGRS_RNN_ACT_TANH}));
  EXPECT_EQ(n.GetInt("outputs"), TGRS_RNN_OUT_Y | TGRS_RNN_OUT_Y_H);
}

}  // namespace
}  // namespace tigris::frontend
