// Bit-exact comparison of the int8 kernels with CMSIS-NN's TFLite-generated golden data
// (Tests/UnitTest/TestCases/TestData/<case>/ of a CMSIS-NN checkout, configured with
// -DTIGRIS_CMSIS_NN_DIR). The data is NHWC with TFLite's conventions (input/output *offsets*,
// i.e. -zero point / +zero point; pads at the start, the end pad implied by the output size);
// each case is converted to the ONNX NCHW layout and TiGrIS's params, run through check() and
// run(), and the output converted back and compared byte for byte. Without the data every test
// here is skipped with a message.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <ostream>
#include <vector>

#include "s8_test_util.h"

using namespace s8test;

#ifdef TIGRIS_HAVE_CMSIS_NN_DATA
// clang-format off
#include "basic/test_data.h"
#include "stride2pad1/test_data.h"
#include "conv_2/test_data.h"
#include "conv_3/test_data.h"
#include "conv_4/test_data.h"
#include "conv_5/test_data.h"
#include "conv_out_activation/test_data.h"
#include "conv_2x2_dilation/test_data.h"
#include "conv_2x3_dilation/test_data.h"
#include "conv_3x2_dilation/test_data.h"
#include "conv_2x2_dilation_5x5_input/test_data.h"
#include "conv_3x3_dilation_5x5_input/test_data.h"
#include "conv_dilation_golden/test_data.h"
#include "conv_1_x_n_1/test_data.h"
#include "conv_1_x_n_2/test_data.h"
#include "conv_1_x_n_3/test_data.h"
#include "conv_1_x_n_4/test_data.h"
#include "conv_1_x_n_5/test_data.h"
#include "conv_1_x_n_6_generic/test_data.h"
#include "conv_1_x_n_7/test_data.h"
#include "conv_1_x_n_8/test_data.h"
#include "kernel1x1/test_data.h"
#include "kernel1x1_stride_x/test_data.h"
#include "kernel1x1_stride_x_y/test_data.h"
#include "kernel1x1_stride_x_y_1/test_data.h"
#include "kernel1x1_stride_x_y_2/test_data.h"
#include "grouped_conv_1/test_data.h"
#include "grouped_conv_2/test_data.h"
#include "grouped_conv_3/test_data.h"
#include "grouped_conv_4/test_data.h"
#include "depthwise_2/test_data.h"
#include "depthwise_dilation/test_data.h"
#include "depthwise_eq_in_out_ch/test_data.h"
#include "depthwise_kernel_3x3/test_data.h"
#include "depthwise_kernel_3x3_null_bias/test_data.h"
#include "depthwise_mult_batches/test_data.h"
#include "depthwise_null_bias_0/test_data.h"
#include "depthwise_null_bias_1/test_data.h"
#include "depthwise_out_activation/test_data.h"
#include "depthwise_sub_block/test_data.h"
#include "depthwise_x_stride/test_data.h"
#include "in_ch_one_out_ch_larger_one/test_data.h"
#include "fully_connected/test_data.h"
#include "fully_connected_mve_0/test_data.h"
#include "fully_connected_mve_1/test_data.h"
#include "fully_connected_null_bias_0/test_data.h"
#include "fully_connected_out_activation/test_data.h"
#include "fully_connected_w_zp/test_data.h"
#include "fc_per_ch/test_data.h"
#include "batch_matmul_1_s8/test_data.h"
#include "batch_matmul_2_s8/test_data.h"
#include "batch_matmul_3_s8/test_data.h"
#include "batch_matmul_4_s8/test_data.h"
#include "batch_matmul_5_s8/test_data.h"
#include "add/test_data.h"
#include "mul/test_data.h"
#include "avgpooling/test_data.h"
#include "avgpooling_1/test_data.h"
#include "avgpooling_2/test_data.h"
#include "avgpooling_3/test_data.h"
#include "avgpooling_4/test_data.h"
#include "avgpooling_5/test_data.h"
#include "maxpooling/test_data.h"
#include "maxpooling_1/test_data.h"
#include "maxpooling_2/test_data.h"
#include "maxpooling_3/test_data.h"
#include "maxpooling_4/test_data.h"
#include "maxpooling_5/test_data.h"
#include "maxpooling_6/test_data.h"
#include "maxpooling_7/test_data.h"
#include "softmax/test_data.h"
// clang-format on
#define SKIP_WITHOUT_DATA() (void)0
#else
#define SKIP_WITHOUT_DATA() \
  GTEST_SKIP() << "CMSIS-NN golden data not configured: pass -DTIGRIS_CMSIS_NN_DIR=<cmsis-nn checkout>"
#endif

namespace {

// A placeholder case so the parameterized suites exist (and skip) without the data.
template <class T>
T NoData() {
  T t{};
  t.name = "no_data";
  return t;
}

// End pad of a TFLite window axis: whatever the output length needs past the start pad (0 for
// VALID, where the window may leave input rows unread).
int32_t EndPad(int32_t in, int32_t out, int32_t k, int32_t s, int32_t d, int32_t pad_begin) {
  return std::max(0, (out - 1) * s + (k - 1) * d + 1 - in - pad_begin);
}

// ---- Conv / depthwise ------------------------------------------------------------------------

enum class ConvKind { kRegular, kGrouped, kDepthwise };

struct ConvCase {
  const char* name;
  ConvKind kind;
  int32_t n, cin, ih, iw, cout, fh, fw, sh, sw, ph, pw, dh, dw, oh, ow, in_offset, out_offset, act_min, act_max;
  int32_t filter_ch;  // input channels per group (regular: cin, depthwise: 1)
  const int8_t* input;
  const int8_t* weights;
  const int32_t* bias;
  const int32_t* mult;
  const int32_t* shift;
  const int8_t* ref;
};

#ifdef TIGRIS_HAVE_CMSIS_NN_DATA
// Q is the config prefix with a trailing underscore and N the array prefix, both pasted by the
// caller: some prefixes (KERNEL1X1_STRIDE_X) are themselves config macros of other cases.
#define CONV_FIELDS(Q, N, fch)                                                                                  \
  Q##INPUT_BATCHES, Q##IN_CH, Q##INPUT_H, Q##INPUT_W, Q##OUT_CH, Q##FILTER_Y, Q##FILTER_X, Q##STRIDE_Y,          \
      Q##STRIDE_X, Q##PAD_Y, Q##PAD_X, Q##DILATION_Y, Q##DILATION_X, Q##OUTPUT_H, Q##OUTPUT_W, Q##INPUT_OFFSET,  \
      Q##OUTPUT_OFFSET, Q##OUT_ACTIVATION_MIN, Q##OUT_ACTIVATION_MAX, fch, N##input, N##weights, N##biases,      \
      N##output_mult, N##output_shift, N##output_ref
#define CONV(name, P) ConvCase{#name, ConvKind::kRegular, CONV_FIELDS(P##_, name##_, P##_IN_CH)}
#define GROUPED(name, P) ConvCase{#name, ConvKind::kGrouped, CONV_FIELDS(P##_, name##_, P##_FILTER_CH)}
#define DEPTHWISE(name, P) ConvCase{#name, ConvKind::kDepthwise, CONV_FIELDS(P##_, name##_, 1)}

const ConvCase kConvCases[] = {
    CONV(basic, BASIC),
    CONV(stride2pad1, STRIDE2PAD1),
    CONV(conv_2, CONV_2),
    CONV(conv_3, CONV_3),
    CONV(conv_4, CONV_4),
    CONV(conv_5, CONV_5),
    CONV(conv_out_activation, CONV_OUT_ACTIVATION),
    CONV(conv_2x2_dilation, CONV_2X2_DILATION),
    CONV(conv_2x3_dilation, CONV_2X3_DILATION),
    CONV(conv_3x2_dilation, CONV_3X2_DILATION),
    CONV(conv_2x2_dilation_5x5_input, CONV_2X2_DILATION_5X5_INPUT),
    CONV(conv_3x3_dilation_5x5_input, CONV_3X3_DILATION_5X5_INPUT),
    CONV(conv_dilation_golden, CONV_DILATION_GOLDEN),
    CONV(conv_1_x_n_1, CONV_1_X_N_1),
    CONV(conv_1_x_n_2, CONV_1_X_N_2),
    CONV(conv_1_x_n_3, CONV_1_X_N_3),
    CONV(conv_1_x_n_4, CONV_1_X_N_4),
    CONV(conv_1_x_n_5, CONV_1_X_N_5),
    CONV(conv_1_x_n_6_generic, CONV_1_X_N_6_GENERIC),
    CONV(conv_1_x_n_7, CONV_1_X_N_7),
    CONV(conv_1_x_n_8, CONV_1_X_N_8),
    CONV(kernel1x1, KERNEL1X1),
    CONV(kernel1x1_stride_x, KERNEL1X1_STRIDE_X),
    CONV(kernel1x1_stride_x_y, KERNEL1X1_STRIDE_X_Y),
    CONV(kernel1x1_stride_x_y_1, KERNEL1X1_STRIDE_X_Y_1),
    CONV(kernel1x1_stride_x_y_2, KERNEL1X1_STRIDE_X_Y_2),
    GROUPED(grouped_conv_1, GROUPED_CONV_1),
    GROUPED(grouped_conv_2, GROUPED_CONV_2),
    GROUPED(grouped_conv_3, GROUPED_CONV_3),
    GROUPED(grouped_conv_4, GROUPED_CONV_4),
    DEPTHWISE(depthwise_2, DEPTHWISE_2),
    DEPTHWISE(depthwise_dilation, DEPTHWISE_DILATION),
    DEPTHWISE(depthwise_eq_in_out_ch, DEPTHWISE_EQ_IN_OUT_CH),
    DEPTHWISE(depthwise_kernel_3x3, DEPTHWISE_KERNEL_3X3),
    DEPTHWISE(depthwise_kernel_3x3_null_bias, DEPTHWISE_KERNEL_3X3_NULL_BIAS),
    DEPTHWISE(depthwise_mult_batches, DEPTHWISE_MULT_BATCHES),
    DEPTHWISE(depthwise_null_bias_0, DEPTHWISE_NULL_BIAS_0),
    DEPTHWISE(depthwise_null_bias_1, DEPTHWISE_NULL_BIAS_1),
    DEPTHWISE(depthwise_out_activation, DEPTHWISE_OUT_ACTIVATION),
    DEPTHWISE(depthwise_sub_block, DEPTHWISE_SUB_BLOCK),
    DEPTHWISE(depthwise_x_stride, DEPTHWISE_X_STRIDE),
    DEPTHWISE(in_ch_one_out_ch_larger_one, IN_CH_ONE_OUT_CH_LARGER_ONE),
};
#else
const ConvCase kConvCases[] = {NoData<ConvCase>()};
#endif

// gtest prints a failing case by name, not as bytes
void PrintTo(const ConvCase& c, std::ostream* os) { *os << c.name; }

class CmsisConv : public testing::TestWithParam<ConvCase> {};

TEST_P(CmsisConv, BitExact) {
  SKIP_WITHOUT_DATA();
  const ConvCase& c = GetParam();
  const int32_t group = c.kind == ConvKind::kDepthwise ? c.cin : c.cin / c.filter_ch;
  ASSERT_EQ(c.cin % c.filter_ch, 0);
  // weights: OHWI [cout, fh, fw, filter_ch] (depthwise: [1, fh, fw, cout]) -> OIHW
  std::vector<int8_t> w;
  if (c.kind == ConvKind::kDepthwise) {
    w = NhwcToNchw(c.weights, 1, c.fh, c.fw, c.cout);  // [1, cout, fh, fw] = [cout, 1, fh, fw]
  } else {
    w = NhwcToNchw(c.weights, c.cout, c.fh, c.fw, c.filter_ch);
  }
  const std::vector<int8_t> x = NhwcToNchw(c.input, c.n, c.ih, c.iw, c.cin);
  const std::vector<int32_t> bias(c.bias, c.bias + c.cout);
  const std::vector<int32_t> rq = RqTable(c.mult, c.shift, c.cout);
  std::vector<int8_t> y(static_cast<size_t>(c.n) * c.cout * c.oh * c.ow, 0);
  tgrs_conv_s8_params_t p{};
  p.kernel_h = c.fh;
  p.kernel_w = c.fw;
  p.stride_h = c.sh;
  p.stride_w = c.sw;
  p.dilation_h = c.dh;
  p.dilation_w = c.dw;
  p.pad_top = c.ph;
  p.pad_left = c.pw;
  p.pad_bottom = EndPad(c.ih, c.oh, c.fh, c.sh, c.dh, c.ph);
  p.pad_right = EndPad(c.iw, c.ow, c.fw, c.sw, c.dw, c.pw);
  p.group = group;
  p.input_zp = -c.in_offset;
  p.output_zp = c.out_offset;
  p.act_min = c.act_min;
  p.act_max = c.act_max;
  RunKernel(kConv,
      {View(x, {c.n, c.cin, c.ih, c.iw}), View(w, {c.cout, c.filter_ch, c.fh, c.fw}), View(bias, {c.cout}),
       View(rq, {c.cout, 2})},
      {View(y, {c.n, c.cout, c.oh, c.ow})}, p);
  const std::vector<int8_t> got = NchwToNhwc(y.data(), c.n, c.cout, c.oh, c.ow);
  const std::vector<int8_t> want(c.ref, c.ref + got.size());
  EXPECT_EQ(got, want) << c.name << ": " << FirstDiff(got, want);
}

INSTANTIATE_TEST_SUITE_P(Golden, CmsisConv, testing::ValuesIn(kConvCases),
                         [](const testing::TestParamInfo<ConvCase>& i) { return std::string(i.param.name); });

// ---- Fully connected (Gemm with transB) ------------------------------------------------------

struct FcCase {
  const char* name;
  int32_t batches, depth, cout, in_offset, filter_offset, out_offset, act_min, act_max;
  int32_t mult, shift;              // per tensor
  const int32_t* mults;             // per channel (or NULL)
  const int32_t* shifts;
  const int8_t* input;
  const int8_t* weights;            // [cout, depth]
  const int32_t* bias;              // may be NULL
  const int8_t* ref;
};

#ifdef TIGRIS_HAVE_CMSIS_NN_DATA
#define FC(name, P, filter_offset, bias)                                                                             \
  FcCase{#name, P##_INPUT_BATCHES, P##_ACCUMULATION_DEPTH, P##_OUT_CH, P##_INPUT_OFFSET, filter_offset,              \
         P##_OUTPUT_OFFSET, P##_OUT_ACTIVATION_MIN, P##_OUT_ACTIVATION_MAX, P##_OUTPUT_MULTIPLIER, P##_OUTPUT_SHIFT, \
         nullptr, nullptr, name##_input, name##_weights, bias, name##_output_ref}
const FcCase kFcCases[] = {
    FC(fully_connected, FULLY_CONNECTED, FULLY_CONNECTED_FILTER_OFFSET, fully_connected_biases),
    FC(fully_connected_mve_0, FULLY_CONNECTED_MVE_0, 0, fully_connected_mve_0_biases),
    FC(fully_connected_mve_1, FULLY_CONNECTED_MVE_1, 0, fully_connected_mve_1_biases),
    FC(fully_connected_null_bias_0, FULLY_CONNECTED_NULL_BIAS_0, 0, fully_connected_null_bias_0_biases),
    FC(fully_connected_out_activation, FULLY_CONNECTED_OUT_ACTIVATION, 0, fully_connected_out_activation_biases),
    FC(fully_connected_w_zp, FULLY_CONNECTED_W_ZP, FULLY_CONNECTED_W_ZP_FILTER_OFFSET, fully_connected_w_zp_biases),
    FcCase{"fc_per_ch", FC_PER_CH_INPUT_BATCHES, FC_PER_CH_ACCUMULATION_DEPTH, FC_PER_CH_OUT_CH,
           FC_PER_CH_INPUT_OFFSET, 0, FC_PER_CH_OUTPUT_OFFSET, FC_PER_CH_OUT_ACTIVATION_MIN,
           FC_PER_CH_OUT_ACTIVATION_MAX, 0, 0, fc_per_ch_output_multiplier, fc_per_ch_output_shift, fc_per_ch_input,
           fc_per_ch_weights, fc_per_ch_bias, fc_per_ch_output},
};
#else
const FcCase kFcCases[] = {NoData<FcCase>()};
#endif

void PrintTo(const FcCase& c, std::ostream* os) { *os << c.name; }

class CmsisFullyConnected : public testing::TestWithParam<FcCase> {};

TEST_P(CmsisFullyConnected, BitExact) {
  SKIP_WITHOUT_DATA();
  const FcCase& c = GetParam();
  const std::vector<int8_t> a(c.input, c.input + c.batches * c.depth);
  const std::vector<int8_t> b(c.weights, c.weights + c.cout * c.depth);
  std::vector<int32_t> rq;
  if (c.mults != nullptr) {
    rq = RqTable(c.mults, c.shifts, c.cout);
  } else {
    rq = {c.mult, c.shift};
  }
  const int32_t n_rq = c.mults != nullptr ? c.cout : 1;
  std::vector<int32_t> bias;
  if (c.bias != nullptr) bias.assign(c.bias, c.bias + c.cout);
  const std::vector<int32_t> bzp = {-c.filter_offset};
  std::vector<int8_t> y(static_cast<size_t>(c.batches) * c.cout, 0);
  tgrs_gemm_s8_params_t p{};
  p.trans_a = 0;
  p.trans_b = 1;
  p.a_zp = -c.in_offset;
  p.output_zp = c.out_offset;
  p.act_min = c.act_min;
  p.act_max = c.act_max;
  RunKernel(kGemm,
      {View(a, {c.batches, c.depth}), View(b, {c.cout, c.depth}),
       c.bias != nullptr ? View(bias, {c.cout}) : Absent(), View(rq, {n_rq, 2}), View(bzp, {1})},
      {View(y, {c.batches, c.cout})}, p);
  const std::vector<int8_t> want(c.ref, c.ref + y.size());
  EXPECT_EQ(y, want) << c.name << ": " << FirstDiff(y, want);
}

INSTANTIATE_TEST_SUITE_P(Golden, CmsisFullyConnected, testing::ValuesIn(kFcCases),
                         [](const testing::TestParamInfo<FcCase>& i) { return std::string(i.param.name); });

// ---- Batch MatMul ------------------------------------------------------------------------------

struct BmmCase {
  const char* name;
  int32_t lb, lh, lr, lc, rb, rh, rr, rc, adj_x, adj_y, ob, oh, orows, ocols;
  int32_t lhs_offset, rhs_offset, out_offset, act_min, act_max, mult, shift;
  const int8_t* lhs;
  const int8_t* rhs;
  const int8_t* ref;
};

#ifdef TIGRIS_HAVE_CMSIS_NN_DATA
#define BMM(name, P)                                                                                              \
  BmmCase{#name, P##_LHS_BATCH, P##_LHS_HEIGHT, P##_LHS_ROWS, P##_LHS_COLS, P##_RHS_BATCH, P##_RHS_HEIGHT,         \
          P##_RHS_ROWS, P##_RHS_COLS, P##_ADJ_X, P##_ADJ_Y, P##_OUTPUT_BATCH, P##_OUTPUT_HEIGHT, P##_OUTPUT_ROWS,  \
          P##_OUTPUT_COLS, P##_LHS_OFFSET, P##_RHS_OFFSET, P##_OUTPUT_OFFSET, P##_ACTIVATION_MIN,                 \
          P##_ACTIVATION_MAX, P##_OUTPUT_MULTIPLIER, P##_OUTPUT_SHIFT, name##_lhs_input_tensor,                   \
          name##_rhs_input_tensor, name##_output}
const BmmCase kBmmCases[] = {BMM(batch_matmul_1_s8, BATCH_MATMUL_1_S8), BMM(batch_matmul_2_s8, BATCH_MATMUL_2_S8),
                             BMM(batch_matmul_3_s8, BATCH_MATMUL_3_S8), BMM(batch_matmul_4_s8, BATCH_MATMUL_4_S8),
                             BMM(batch_matmul_5_s8, BATCH_MATMUL_5_S8)};
#else
const BmmCase kBmmCases[] = {NoData<BmmCase>()};
#endif

// A dense [b, h, rows, cols] view, transposed (last two dims swapped, strides too) if adj.
tgrs_tensor_t Adjoint(const std::vector<int8_t>& v, int32_t b, int32_t h, int32_t rows, int32_t cols, int32_t adj) {
  tgrs_tensor_t t = View(v, {b, h, rows, cols});
  if (adj) {
    std::swap(t.dims[2], t.dims[3]);
    std::swap(t.strides[2], t.strides[3]);
  }
  return t;
}

void PrintTo(const BmmCase& c, std::ostream* os) { *os << c.name; }

class CmsisBatchMatMul : public testing::TestWithParam<BmmCase> {};

TEST_P(CmsisBatchMatMul, BitExactWithTransposesAsStridedViews) {
  SKIP_WITHOUT_DATA();
  const BmmCase& c = GetParam();
  const std::vector<int8_t> a(c.lhs, c.lhs + c.lb * c.lh * c.lr * c.lc);
  const std::vector<int8_t> b(c.rhs, c.rhs + c.rb * c.rh * c.rr * c.rc);
  const std::vector<int32_t> rq = {c.mult, c.shift}, bzp = {-c.rhs_offset};
  std::vector<int8_t> y(static_cast<size_t>(c.ob) * c.oh * c.orows * c.ocols, 0);
  tgrs_matmul_s8_params_t p{};
  p.a_zp = -c.lhs_offset;
  p.output_zp = c.out_offset;
  p.act_min = c.act_min;
  p.act_max = c.act_max;
  RunKernel(kMatMul,
      {Adjoint(a, c.lb, c.lh, c.lr, c.lc, c.adj_x), Adjoint(b, c.rb, c.rh, c.rr, c.rc, c.adj_y), Absent(),
       View(rq, {1, 2}), View(bzp, {1})},
      {View(y, {c.ob, c.oh, c.orows, c.ocols})}, p);
  const std::vector<int8_t> want(c.ref, c.ref + y.size());
  EXPECT_EQ(y, want) << c.name << ": " << FirstDiff(y, want);
}

INSTANTIATE_TEST_SUITE_P(Golden, CmsisBatchMatMul, testing::ValuesIn(kBmmCases),
                         [](const testing::TestParamInfo<BmmCase>& i) { return std::string(i.param.name); });

// ---- Pools -------------------------------------------------------------------------------------

struct PoolCase {
  const char* name;
  bool is_max;
  int32_t n, h, w, c, fh, fw, sh, sw, ph, pw, oh, ow, act_min, act_max;
  const int8_t* input;
  const int8_t* ref;
};

#ifdef TIGRIS_HAVE_CMSIS_NN_DATA
#define POOL(name, P, is_max)                                                                                      \
  PoolCase{#name, is_max, P##_INPUT_N, P##_INPUT_H, P##_INPUT_W, P##_INPUT_C, P##_FILTER_H, P##_FILTER_W,        \
           P##_STRIDE_H, P##_STRIDE_W, P##_PADDING_H, P##_PADDING_W, P##_OUTPUT_H, P##_OUTPUT_W,                \
           P##_ACTIVATION_MIN, P##_ACTIVATION_MAX, name##_input_tensor, name##_output}
const PoolCase kPoolCases[] = {
    POOL(avgpooling, AVGPOOLING, false),     POOL(avgpooling_1, AVGPOOLING_1, false),
    POOL(avgpooling_2, AVGPOOLING_2, false), POOL(avgpooling_3, AVGPOOLING_3, false),
    POOL(avgpooling_4, AVGPOOLING_4, false), POOL(avgpooling_5, AVGPOOLING_5, false),
    POOL(maxpooling, MAXPOOLING, true),      POOL(maxpooling_1, MAXPOOLING_1, true),
    POOL(maxpooling_2, MAXPOOLING_2, true),  POOL(maxpooling_3, MAXPOOLING_3, true),
    POOL(maxpooling_4, MAXPOOLING_4, true),  POOL(maxpooling_5, MAXPOOLING_5, true),
    POOL(maxpooling_6, MAXPOOLING_6, true),  POOL(maxpooling_7, MAXPOOLING_7, true),
};
#else
const PoolCase kPoolCases[] = {NoData<PoolCase>()};
#endif

void PrintTo(const PoolCase& c, std::ostream* os) { *os << c.name; }

class CmsisPool : public testing::TestWithParam<PoolCase> {};

TEST_P(CmsisPool, BitExact) {
  SKIP_WITHOUT_DATA();
  const PoolCase& c = GetParam();
  const std::vector<int8_t> x = NhwcToNchw(c.input, c.n, c.h, c.w, c.c);
  std::vector<int8_t> y(static_cast<size_t>(c.n) * c.c * c.oh * c.ow, 0);
  tgrs_pool_s8_params_t p{};
  p.kernel_h = c.fh;
  p.kernel_w = c.fw;
  p.stride_h = c.sh;
  p.stride_w = c.sw;
  p.dilation_h = 1;
  p.dilation_w = 1;
  p.pad_top = c.ph;
  p.pad_left = c.pw;
  p.pad_bottom = EndPad(c.h, c.oh, c.fh, c.sh, 1, c.ph);
  p.pad_right = EndPad(c.w, c.ow, c.fw, c.sw, 1, c.pw);
  p.count_include_pad = 0;
  p.input_zp = 0;
  p.act_min = c.act_min;
  p.act_max = c.act_max;
  RunKernel(c.is_max ? kMaxPool : kAvgPool, {View(x, {c.n, c.c, c.h, c.w})}, {View(y, {c.n, c.c, c.oh, c.ow})}, p);
  const std::vector<int8_t> got = NchwToNhwc(y.data(), c.n, c.c, c.oh, c.ow);
  const std::vector<int8_t> want(c.ref, c.ref + got.size());
  EXPECT_EQ(got, want) << c.name << ": " << FirstDiff(got, want);
}

INSTANTIATE_TEST_SUITE_P(Golden, CmsisPool, testing::ValuesIn(kPoolCases),
                         [](const testing::TestParamInfo<PoolCase>& i) { return std::string(i.param.name); });

// ---- Add, Mul, Softmax -----------------------------------------------------------------------

TEST(CmsisElementwise, AddBitExact) {
  SKIP_WITHOUT_DATA();
#ifdef TIGRIS_HAVE_CMSIS_NN_DATA
  const int32_t n = ADD_DST_SIZE;
  const std::vector<int8_t> a(add_input1, add_input1 + n), b(add_input2, add_input2 + n);
  std::vector<int8_t> y(static_cast<size_t>(n), 0);
  tgrs_add_s8_params_t p{};
  p.a_zp = -ADD_INPUT1_OFFSET;
  p.b_zp = -ADD_INPUT2_OFFSET;
  p.output_zp = ADD_OUTPUT_OFFSET;
  p.left_shift = ADD_LEFT_SHIFT;
  p.a_mult = ADD_INPUT1_MULT;
  p.a_shift = ADD_INPUT1_SHIFT;
  p.b_mult = ADD_INPUT2_MULT;
  p.b_shift = ADD_INPUT2_SHIFT;
  p.output_mult = ADD_OUTPUT_MULT;
  p.output_shift = ADD_OUTPUT_SHIFT;
  p.act_min = ADD_OUT_ACTIVATION_MIN;
  p.act_max = ADD_OUT_ACTIVATION_MAX;
  RunKernel(kAdd, {View(a, {n}), View(b, {n})}, {View(y, {n})}, p);
  const std::vector<int8_t> want(add_output_ref, add_output_ref + n);
  EXPECT_EQ(y, want) << FirstDiff(y, want);
#endif
}

TEST(CmsisElementwise, MulBitExact) {
  SKIP_WITHOUT_DATA();
#ifdef TIGRIS_HAVE_CMSIS_NN_DATA
  const int32_t n = MUL_DST_SIZE;
  const std::vector<int8_t> a(mul_input1, mul_input1 + n), b(mul_input2, mul_input2 + n);
  std::vector<int8_t> y(static_cast<size_t>(n), 0);
  tgrs_mul_s8_params_t p{};
  p.a_zp = -MUL_INPUT1_OFFSET;
  p.b_zp = -MUL_INPUT2_OFFSET;
  p.output_zp = MUL_OUTPUT_OFFSET;
  p.output_mult = MUL_OUTPUT_MULT;
  p.output_shift = MUL_OUTPUT_SHIFT;
  p.act_min = MUL_OUT_ACTIVATION_MIN;
  p.act_max = MUL_OUT_ACTIVATION_MAX;
  RunKernel(kMul, {View(a, {n}), View(b, {n})}, {View(y, {n})}, p);
  const std::vector<int8_t> want(mul_output_ref, mul_output_ref + n);
  EXPECT_EQ(y, want) << FirstDiff(y, want);
#endif
}

TEST(CmsisSoftmax, BitExact) {
  SKIP_WITHOUT_DATA();
#ifdef TIGRIS_HAVE_CMSIS_NN_DATA
  const int32_t rows = SOFTMAX_NUM_ROWS, len = SOFTMAX_ROW_SIZE;
  const std::vector<int8_t> x(softmax_input, softmax_input + rows * len);
  std::vector<int8_t> y(x.size(), 0);
  tgrs_softmax_s8_params_t p{};
  p.axis = 1;
  p.input_mult = SOFTMAX_INPUT_MULT;
  p.input_left_shift = SOFTMAX_INPUT_LEFT_SHIFT;
  p.diff_min = SOFTMAX_DIFF_MIN;
  RunKernel(kSoftmax, {View(x, {rows, len})}, {View(y, {rows, len})}, p);
  const std::vector<int8_t> want(softmax_output_ref, softmax_output_ref + y.size());
  EXPECT_EQ(y, want) << FirstDiff(y, want);
  // the same lines along axis 0 of the transposed view
  std::vector<int8_t> yt(x.size(), 0);
  tgrs_tensor_t xt = View(x, {rows, len}), ytv = View(yt, {rows, len});
  std::swap(xt.dims[0], xt.dims[1]);
  std::swap(xt.strides[0], xt.strides[1]);
  std::swap(ytv.dims[0], ytv.dims[1]);
  std::swap(ytv.strides[0], ytv.strides[1]);
  p.axis = 0;
  RunKernel(kSoftmax, {xt}, {ytv}, p);
  EXPECT_EQ(yt, want) << FirstDiff(yt, want);
#endif
}

}  // namespace
