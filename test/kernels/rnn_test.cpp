// LSTM / GRU / RNN reference kernels against onnxruntime (rnn_goldens.inc, gen_rnn_goldens.py):
// both directions, both layouts, sequence_lens (incl. an empty sequence), initial states,
// peepholes, input_forget, linear_before_reset, clip and non-default activations; the scratch
// query and check()'s rejections of inconsistent calls.
#include <cmath>

#include "kernel_test_util.h"
#include "rnn_goldens.inc"

using namespace tgrs_test;

namespace {

constexpr float kTol = 2e-5f;  // onnxruntime's sigmoid/tanh are polynomial approximations

tgrs_tensor_t In(const std::vector<float>& v, const std::vector<int32_t>& dims) {
  return View(v.data(), dims);
}

tgrs_tensor_t SeqLens(const std::vector<int32_t>& v, const std::vector<int32_t>& dims) {
  tgrs_tensor_t t = Shape(dims, TGRS_DTYPE_I32);
  t.data = const_cast<int32_t*>(v.data());
  return t;
}

tgrs_tensor_t Out(std::vector<float>& v, const std::vector<int32_t>& dims) {
  v.assign(static_cast<size_t>(Count(dims)), NAN);
  return View(v.data(), dims);
}

const tgrs_tensor_t kOmitted{};  // dtype 0: an omitted optional input

}  // namespace

TEST(Rnn, LstmBidirectionalPeepholesSequenceLensInitialStates) {
  const tgrs_rnn_params_t p = RnnParams(TGRS_RNN_CELL_LSTM, 3, TGRS_RNN_BIDIRECTIONAL, 0, 7);
  std::vector<float> y, yh, yc;
  RunOp(TGRS_OP_LSTM,
        {In(kLstmBidir_X, kLstmBidir_X_dims), In(kLstmBidir_W, kLstmBidir_W_dims),
         In(kLstmBidir_R, kLstmBidir_R_dims), In(kLstmBidir_B, kLstmBidir_B_dims),
         SeqLens(kLstmBidir_seq, kLstmBidir_seq_dims), In(kLstmBidir_H0, kLstmBidir_H0_dims),
         In(kLstmBidir_C0, kLstmBidir_C0_dims), In(kLstmBidir_P, kLstmBidir_P_dims)},
        {Out(y, kLstmBidir_Y_dims), Out(yh, kLstmBidir_Y_h_dims), Out(yc, kLstmBidir_Y_c_dims)}, p);
  ExpectClose(y, kLstmBidir_Y, kTol, kTol);
  ExpectClose(yh, kLstmBidir_Y_h, kTol, kTol);
  ExpectClose(yc, kLstmBidir_Y_c, kTol, kTol);
}

TEST(Rnn, LstmBatchMajorInputForgetClipActivations) {
  tgrs_rnn_params_t p =
      RnnParams(TGRS_RNN_CELL_LSTM, 2, TGRS_RNN_FORWARD, 1, TGRS_RNN_OUT_Y_H | TGRS_RNN_OUT_Y_C);
  p.input_forget = 1;
  p.clip = 0.6f;
  p.act[0] = {TGRS_RNN_ACT_HARD_SIGMOID, 0.3f, 0.6f};
  p.act[1] = {TGRS_RNN_ACT_LEAKY_RELU, 0.2f, 0.0f};
  p.act[2] = {TGRS_RNN_ACT_SOFTSIGN, 0.0f, 0.0f};
  std::vector<float> yh, yc;
  RunOp(TGRS_OP_LSTM,
        {In(kLstmLayout1_X, kLstmLayout1_X_dims), In(kLstmLayout1_W, kLstmLayout1_W_dims),
         In(kLstmLayout1_R, kLstmLayout1_R_dims), In(kLstmLayout1_B, kLstmLayout1_B_dims)},
        {Out(yh, kLstmLayout1_Y_h_dims), Out(yc, kLstmLayout1_Y_c_dims)}, p);
  ExpectClose(yh, kLstmLayout1_Y_h, kTol, kTol);
  ExpectClose(yc, kLstmLayout1_Y_c, kTol, kTol);
}

TEST(Rnn, GruReverseWithAnEmptySequence) {
  const tgrs_rnn_params_t p =
      RnnParams(TGRS_RNN_CELL_GRU, 3, TGRS_RNN_REVERSE, 0, TGRS_RNN_OUT_Y | TGRS_RNN_OUT_Y_H);
  std::vector<float> y, yh;
  RunOp(TGRS_OP_GRU,
        {In(kGruReverse_X, kGruReverse_X_dims), In(kGruReverse_W, kGruReverse_W_dims),
         In(kGruReverse_R, kGruReverse_R_dims), In(kGruReverse_B, kGruReverse_B_dims),
         SeqLens(kGruReverse_seq, kGruReverse_seq_dims), In(kGruReverse_H0, kGruReverse_H0_dims)},
        {Out(y, kGruReverse_Y_dims), Out(yh, kGruReverse_Y_h_dims)}, p);
  ExpectClose(y, kGruReverse_Y, kTol, kTol);
  ExpectClose(yh, kGruReverse_Y_h, kTol, kTol);
}

TEST(Rnn, GruLinearBeforeResetBidirectionalBatchMajor) {
  tgrs_rnn_params_t p =
      RnnParams(TGRS_RNN_CELL_GRU, 2, TGRS_RNN_BIDIRECTIONAL, 1, TGRS_RNN_OUT_Y | TGRS_RNN_OUT_Y_H);
  p.linear_before_reset = 1;
  p.clip = 1.5f;
  p.act[3] = {TGRS_RNN_ACT_HARD_SIGMOID, 0.25f, 0.4f};
  p.act[4] = {TGRS_RNN_ACT_ELU, 0.8f, 0.0f};
  std::vector<float> y, yh;
  RunOp(TGRS_OP_GRU,
        {In(kGruLbr_X, kGruLbr_X_dims), In(kGruLbr_W, kGruLbr_W_dims), In(kGruLbr_R, kGruLbr_R_dims),
         In(kGruLbr_B, kGruLbr_B_dims), kOmitted, In(kGruLbr_H0, kGruLbr_H0_dims)},
        {Out(y, kGruLbr_Y_dims), Out(yh, kGruLbr_Y_h_dims)}, p);
  ExpectClose(y, kGruLbr_Y, kTol, kTol);
  ExpectClose(yh, kGruLbr_Y_h, kTol, kTol);
}

TEST(Rnn, RnnBidirectionalSequenceLens) {
  tgrs_rnn_params_t p =
      RnnParams(TGRS_RNN_CELL_RNN, 3, TGRS_RNN_BIDIRECTIONAL, 0, TGRS_RNN_OUT_Y | TGRS_RNN_OUT_Y_H);
  p.act[0].kind = TGRS_RNN_ACT_RELU;
  p.act[3].kind = TGRS_RNN_ACT_TANH;
  std::vector<float> y, yh;
  RunOp(TGRS_OP_RNN,
        {In(kRnnBidir_X, kRnnBidir_X_dims), In(kRnnBidir_W, kRnnBidir_W_dims),
         In(kRnnBidir_R, kRnnBidir_R_dims), In(kRnnBidir_B, kRnnBidir_B_dims),
         SeqLens(kRnnBidir_seq, kRnnBidir_seq_dims), In(kRnnBidir_H0, kRnnBidir_H0_dims)},
        {Out(y, kRnnBidir_Y_dims), Out(yh, kRnnBidir_Y_h_dims)}, p);
  ExpectClose(y, kRnnBidir_Y, kTol, kTol);
  ExpectClose(yh, kRnnBidir_Y_h, kTol, kTol);
}

TEST(Rnn, ScratchIsTheStateAndTheGates) {
  // (gates + 2) * hidden floats: h, c (GRU: r (.) h), the gate pre-activations
  const tgrs_rnn_params_t lstm =
      RnnParams(TGRS_RNN_CELL_LSTM, 5, TGRS_RNN_BIDIRECTIONAL, 0, TGRS_RNN_OUT_Y_H);
  const std::vector<tgrs_tensor_t> in = {Shape({7, 3, 4}), Shape({2, 20, 4}), Shape({2, 20, 5})};
  const std::vector<tgrs_tensor_t> out = {Shape({2, 3, 5})};
  tgrs_kernel_call_t c = MakeCall(in, out, lstm);
  EXPECT_EQ(ScratchBytes(TGRS_OP_LSTM, c), 6u * 5u * 4u);
  const tgrs_rnn_params_t gru = RnnParams(TGRS_RNN_CELL_GRU, 5, TGRS_RNN_FORWARD, 0, TGRS_RNN_OUT_Y_H);
  const std::vector<tgrs_tensor_t> gin = {Shape({7, 3, 4}), Shape({1, 15, 4}), Shape({1, 15, 5})};
  const std::vector<tgrs_tensor_t> gout = {Shape({1, 3, 5})};
  c = MakeCall(gin, gout, gru);
  EXPECT_EQ(ScratchBytes(TGRS_OP_GRU, c), 5u * 5u * 4u);
  EXPECT_EQ(Check(TGRS_OP_GRU, gin, gout, gru), TGRS_OK);
  c.scratch_size = 5u * 5u * 4u - 4u;  // one float short
  EXPECT_EQ(tgrs_backend_reference.ops[TGRS_OP_GRU].check(&c), TGRS_ERR_CORRUPT);
}

TEST(Rnn, CheckRejectsInconsistentCalls) {
  constexpr tgrs_status_t kOk = TGRS_OK, kBad = TGRS_ERR_CORRUPT;
  const tgrs_rnn_params_t p =
      RnnParams(TGRS_RNN_CELL_LSTM, 2, TGRS_RNN_FORWARD, 0, TGRS_RNN_OUT_Y | TGRS_RNN_OUT_Y_H);
  const tgrs_tensor_t x = Shape({3, 2, 4}), w = Shape({1, 8, 4}), r = Shape({1, 8, 2});
  const tgrs_tensor_t y = Shape({3, 1, 2, 2}), yh = Shape({1, 2, 2});
  EXPECT_EQ(Check(TGRS_OP_LSTM, {x, w, r}, {y, yh}, p), kOk);
  EXPECT_EQ(Check(TGRS_OP_LSTM, {x, Shape({1, 8, 3}), r}, {y, yh}, p), kBad);         // W vs input size
  EXPECT_EQ(Check(TGRS_OP_LSTM, {x, w, Shape({1, 8, 3})}, {y, yh}, p), kBad);         // R vs hidden
  EXPECT_EQ(Check(TGRS_OP_LSTM, {x, w, r}, {Shape({3, 1, 2, 3}), yh}, p), kBad);      // Y hidden
  EXPECT_EQ(Check(TGRS_OP_LSTM, {x, w, r}, {Shape({2, 1, 2, 2}), yh}, p), kBad);      // Y steps
  EXPECT_EQ(Check(TGRS_OP_LSTM, {x, w, r}, {y}, p), kBad);                            // mask names 2 outputs
  EXPECT_EQ(Check(TGRS_OP_LSTM, {x, w, r, Shape({1, 15})}, {y, yh}, p), kBad);        // B
  EXPECT_EQ(Check(TGRS_OP_LSTM, {x, w, r, kOmitted, Shape({2})}, {y, yh}, p), kBad);  // f32 sequence_lens
  EXPECT_EQ(Check(TGRS_OP_LSTM, {x, w, r, kOmitted, Shape({3}, TGRS_DTYPE_I32)}, {y, yh}, p),
            kBad);  // lens count
  EXPECT_EQ(Check(TGRS_OP_LSTM, {x, w, r, kOmitted, Shape({2}, TGRS_DTYPE_I32)}, {y, yh}, p), kOk);
  EXPECT_EQ(Check(TGRS_OP_LSTM, {x, w, r, kOmitted, kOmitted, Shape({1, 2, 2}), kOmitted, Shape({1, 5})},
                  {y, yh}, p),
            kBad);  // P
  // GRU-shaped weights under the LSTM row (and the other way round): the row's cell decides
  EXPECT_EQ(Check(TGRS_OP_LSTM, {x, Shape({1, 6, 4}), Shape({1, 6, 2})}, {y, yh}, p), kBad);
  EXPECT_EQ(Check(TGRS_OP_GRU, {x, w, r}, {y, yh}, p), kBad);
  EXPECT_EQ(Check(TGRS_OP_RNN, {x, w, r}, {y, yh}, p), kBad);
  tgrs_rnn_params_t q = p;
  q.clip = NAN;
  EXPECT_EQ(Check(TGRS_OP_LSTM, {x, w, r}, {y, yh}, q), kBad);
  q = p;
  q.act[4].kind = 11;  // unused slots must still hold a known kind
  EXPECT_EQ(Check(TGRS_OP_LSTM, {x, w, r}, {y, yh}, q), kBad);
  q = p;
  q.linear_before_reset = 1;  // a GRU attribute
  EXPECT_EQ(Check(TGRS_OP_LSTM, {x, w, r}, {y, yh}, q), kBad);
  q = p;
  q.layout = 1;  // X is then [B=3, T=2, I]: Y must be [3, 2, 1, 2]
  EXPECT_EQ(Check(TGRS_OP_LSTM, {x, w, r}, {y, yh}, q), kBad);
  EXPECT_EQ(Check(TGRS_OP_LSTM, {x, w, r}, {Shape({3, 2, 1, 2}), Shape({3, 1, 2})}, q), kOk);
  q = p;
  q.direction = TGRS_RNN_BIDIRECTIONAL;  // W, R and the outputs need two directions
  EXPECT_EQ(Check(TGRS_OP_LSTM, {x, w, r}, {y, yh}, q), kBad);
}
