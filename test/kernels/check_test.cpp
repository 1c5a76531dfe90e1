// check(): the load-time validator must reject every inconsistent or malicious call shape
// (wrong counts, params_size, dtypes, off-by-one output dims, bad params) and accept good ones.
#include <cfloat>
#include <cmath>

#include "kernel_test_util.h"

using namespace tgrs_test;

namespace {

constexpr tgrs_status_t kOk = TGRS_OK;
constexpr tgrs_status_t kBad = TGRS_ERR_CORRUPT;

// Conv X [1,4,8,8] W [6,2,3,3] group 2, stride 2, pad 1: Y [1,6,4,4].
tgrs_status_t CheckConv(std::vector<int32_t> x, std::vector<int32_t> w, std::vector<int32_t> y,
                        const tgrs_conv_params_t& p, int op = TGRS_OP_Conv) {
  return Check(op, {Shape(x), Shape(w)}, {Shape(y)}, p);
}

}  // namespace

TEST(Check, EveryOpCodeHasAKernel) {
  // Every row of ops.def has a kernel; codes between rows (ops.def allows gaps) have none.
  std::vector<bool> row(TGRS_OP_COUNT, false);
#define TIGRIS_OP(name, onnx, code) row[code] = true;
#include "tigris/ops.def"
#undef TIGRIS_OP
  for (int op = 0; op < TGRS_OP_COUNT; ++op) {
    EXPECT_EQ(tgrs_backend_reference.ops[op].run != nullptr, row[op]) << op;
    EXPECT_EQ(tgrs_backend_reference.ops[op].check != nullptr, row[op]) << op;
  }
  EXPECT_EQ(tgrs_backend_reference.ops[0].run, nullptr);
}

TEST(Check, DtypeSizes) {
  EXPECT_EQ(tgrs_dtype_size(TGRS_DTYPE_F32), 4);
  EXPECT_EQ(tgrs_dtype_size(TGRS_DTYPE_I8), 1);
  EXPECT_EQ(tgrs_dtype_size(TGRS_DTYPE_I16), 2);
  EXPECT_EQ(tgrs_dtype_size(TGRS_DTYPE_I64), 8);
  EXPECT_EQ(tgrs_dtype_size(0), 0);
  EXPECT_EQ(tgrs_dtype_size(99), 0);
}

TEST(Check, ConvShapesAndParams) {
  const tgrs_conv_params_t p = ConvParams(3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 2);
  EXPECT_EQ(CheckConv({1, 4, 8, 8}, {6, 2, 3, 3}, {1, 6, 4, 4}, p), kOk);
  EXPECT_EQ(CheckConv({1, 4, 8, 8}, {6, 2, 3, 3}, {1, 6, 5, 4}, p), kBad);  // H off by one
  EXPECT_EQ(CheckConv({1, 4, 8, 8}, {6, 2, 3, 3}, {1, 6, 4, 3}, p), kBad);  // W off by one
  EXPECT_EQ(CheckConv({1, 4, 8, 8}, {6, 4, 3, 3}, {1, 6, 4, 4}, p), kBad);  // W ignores group
  EXPECT_EQ(CheckConv({1, 4, 8, 8}, {6, 2, 3, 2}, {1, 6, 4, 4}, p), kBad);  // kernel dims vs params
  EXPECT_EQ(CheckConv({1, 4, 8, 8}, {6, 2, 3, 3}, {2, 6, 4, 4}, p), kBad);  // batch mismatch
  tgrs_conv_params_t q = p;
  q.group = 3;  // does not divide C=4
  EXPECT_EQ(CheckConv({1, 4, 8, 8}, {6, 2, 3, 3}, {1, 6, 4, 4}, q), kBad);
  q = p;
  q.group = 0;
  EXPECT_EQ(CheckConv({1, 4, 8, 8}, {6, 2, 3, 3}, {1, 6, 4, 4}, q), kBad);
  for (int32_t tgrs_conv_params_t::*f : {&tgrs_conv_params_t::stride_h, &tgrs_conv_params_t::dilation_w,
                                         &tgrs_conv_params_t::kernel_h}) {
    q = p;
    q.*f = 0;
    EXPECT_EQ(CheckConv({1, 4, 8, 8}, {6, 2, 3, 3}, {1, 6, 4, 4}, q), kBad);
  }
  q = p;
  q.pad_left = -1;
  EXPECT_EQ(CheckConv({1, 4, 8, 8}, {6, 2, 3, 3}, {1, 6, 4, 4}, q), kBad);
  q = p;
  q.act.kind = 99;
  EXPECT_EQ(CheckConv({1, 4, 8, 8}, {6, 2, 3, 3}, {1, 6, 4, 4}, q), kBad);
  q = p;
  q.dilation_h = 1 << 30;  // overflow bait
  EXPECT_EQ(CheckConv({1, 4, 8, 8}, {6, 2, 3, 3}, {1, 6, 4, 4}, q), kBad);
  // window larger than the padded input
  EXPECT_EQ(CheckConv({1, 1, 2, 2}, {1, 1, 3, 3}, {1, 1, 1, 1}, ConvParams(3, 3)), kBad);
}

TEST(Check, ConvCountsSizesDtypesBias) {
  const tgrs_conv_params_t p = ConvParams(1, 1);
  const std::vector<int32_t> xd = {1, 2, 3, 3}, wd = {4, 2, 1, 1}, yd = {1, 4, 3, 3};
  EXPECT_EQ(Check(TGRS_OP_Conv, {Shape(xd), Shape(wd), Shape({4})}, {Shape(yd)}, p), kOk);
  EXPECT_EQ(Check(TGRS_OP_Conv, {Shape(xd), Shape(wd), Shape({3})}, {Shape(yd)}, p), kBad);  // bias length
  EXPECT_EQ(Check(TGRS_OP_Conv, {Shape(xd)}, {Shape(yd)}, p), kBad);                         // missing W
  EXPECT_EQ(Check(TGRS_OP_Conv, {Shape(xd), Shape(wd)}, {Shape(yd), Shape(yd)}, p), kBad);   // two outputs
  EXPECT_EQ(Check(TGRS_OP_Conv, {Shape(xd, TGRS_DTYPE_I8), Shape(wd)}, {Shape(yd)}, p), kBad);
  EXPECT_EQ(Check(TGRS_OP_Conv, {Shape({1, 2, 3}), Shape(wd)}, {Shape(yd)}, p), kBad);       // rank mix
  EXPECT_EQ(Check(TGRS_OP_Conv, {Shape({1, 2, 3, 0}), Shape(wd)}, {Shape({1, 4, 3, 0})}, p), kBad);
  EXPECT_EQ(Check(TGRS_OP_Conv, {Shape({1, 2, -3, 3}), Shape(wd)}, {Shape(yd)}, p), kBad);
  // params_size must be exactly the struct
  std::vector<tgrs_tensor_t> in = {Shape(xd), Shape(wd)}, out = {Shape(yd)};
  tgrs_kernel_call_t c = MakeCall(in, out, p);
  c.params_size = sizeof(p) - 4;
  EXPECT_EQ(tgrs_backend_reference.ops[TGRS_OP_Conv].check(&c), kBad);
  c.params_size = sizeof(p) + 4;
  EXPECT_EQ(tgrs_backend_reference.ops[TGRS_OP_Conv].check(&c), kBad);
  c.params_size = sizeof(p);
  c.params = nullptr;
  EXPECT_EQ(tgrs_backend_reference.ops[TGRS_OP_Conv].check(&c), kBad);
  // 1-D conv must carry the neutral H params
  tgrs_conv_params_t q = ConvParams(1, 3);
  EXPECT_EQ(CheckConv({1, 1, 5}, {1, 1, 3}, {1, 1, 3}, q), kOk);
  q.pad_top = 1;
  EXPECT_EQ(CheckConv({1, 1, 5}, {1, 1, 3}, {1, 1, 3}, q), kBad);
}

TEST(Check, HugeDimsOverflow) {
  // 65536^2 * 4 bytes does not fit: reject rather than wrap.
  EXPECT_EQ(Check(TGRS_OP_Relu, {Shape({65536, 65536})}, {Shape({65536, 65536})}, tgrs_unary_params_t{}), kBad);
  EXPECT_EQ(Check(TGRS_OP_Relu, {Shape({2, 2, 2, 2, 2, 2, 2, 2})}, {Shape({2, 2, 2, 2, 2, 2, 2, 2})},
                  tgrs_unary_params_t{}),
            kOk);
  tgrs_tensor_t t = Shape({2});
  t.rank = 9;
  EXPECT_EQ(Check(TGRS_OP_Relu, {t}, {t}, tgrs_unary_params_t{}), kBad);
  t.rank = -1;
  EXPECT_EQ(Check(TGRS_OP_Relu, {t}, {t}, tgrs_unary_params_t{}), kBad);
}

TEST(Check, ConvTransposeOutputPadding) {
  // in 3, k 3, s 2, pads 1/1: base = 2*2 + 3 - 2 = 5; output_padding 0..1 allowed.
  const tgrs_conv_params_t p = ConvParams(1, 3, 1, 2, 1, 1, 0, 1, 0, 1);
  EXPECT_EQ(CheckConv({1, 2, 3}, {2, 3, 3}, {1, 3, 5}, p, TGRS_OP_ConvTranspose), kOk);
  EXPECT_EQ(CheckConv({1, 2, 3}, {2, 3, 3}, {1, 3, 6}, p, TGRS_OP_ConvTranspose), kOk);
  EXPECT_EQ(CheckConv({1, 2, 3}, {2, 3, 3}, {1, 3, 7}, p, TGRS_OP_ConvTranspose), kBad);
  EXPECT_EQ(CheckConv({1, 2, 3}, {2, 3, 3}, {1, 3, 4}, p, TGRS_OP_ConvTranspose), kBad);
  EXPECT_EQ(CheckConv({1, 2, 3}, {3, 3, 3}, {1, 3, 5}, p, TGRS_OP_ConvTranspose), kBad);  // W[0] != C
}

TEST(Check, GemmAndMatMul) {
  tgrs_gemm_params_t g{};
  g.alpha = 1.0f;
  EXPECT_EQ(Check(TGRS_OP_Gemm, {Shape({2, 3}), Shape({3, 4}), Shape({2, 1})}, {Shape({2, 4})}, g), kOk);
  EXPECT_EQ(Check(TGRS_OP_Gemm, {Shape({2, 3}), Shape({3, 4}), Shape({3, 1})}, {Shape({2, 4})}, g), kBad);
  EXPECT_EQ(Check(TGRS_OP_Gemm, {Shape({2, 3}), Shape({3, 4}), Shape({1, 2, 4})}, {Shape({2, 4})}, g), kBad);
  EXPECT_EQ(Check(TGRS_OP_Gemm, {Shape({2, 3}), Shape({4, 3})}, {Shape({2, 4})}, g), kBad);  // K mismatch
  g.trans_b = 1;
  EXPECT_EQ(Check(TGRS_OP_Gemm, {Shape({2, 3}), Shape({4, 3})}, {Shape({2, 4})}, g), kOk);
  g.trans_b = 2;
  EXPECT_EQ(Check(TGRS_OP_Gemm, {Shape({2, 3}), Shape({4, 3})}, {Shape({2, 4})}, g), kBad);
  tgrs_act_params_t m{};
  EXPECT_EQ(Check(TGRS_OP_MatMul, {Shape({5, 2, 3}), Shape({3, 4})}, {Shape({5, 2, 4})}, m), kOk);
  EXPECT_EQ(Check(TGRS_OP_MatMul, {Shape({5, 2, 3}), Shape({2, 4})}, {Shape({5, 2, 4})}, m), kBad);
  EXPECT_EQ(Check(TGRS_OP_MatMul, {Shape({5, 2, 3}), Shape({4, 3, 4})}, {Shape({5, 2, 4})}, m), kBad);
  EXPECT_EQ(Check(TGRS_OP_MatMul, {Shape({3}), Shape({3, 4})}, {Shape({4})}, m), kOk);
  EXPECT_EQ(Check(TGRS_OP_MatMul, {Shape({3}), Shape({3, 4})}, {Shape({1, 4})}, m), kBad);
}

TEST(Check, BinaryBroadcasting) {
  tgrs_act_params_t p{};
  EXPECT_EQ(Check(TGRS_OP_Add, {Shape({2, 1, 4}), Shape({3, 1})}, {Shape({2, 3, 4})}, p), kOk);
  EXPECT_EQ(Check(TGRS_OP_Add, {Shape({2, 1, 4}), Shape({3, 2})}, {Shape({2, 3, 4})}, p), kBad);
  EXPECT_EQ(Check(TGRS_OP_Add, {Shape({2, 1, 4}), Shape({3, 1})}, {Shape({2, 3, 5})}, p), kBad);
  EXPECT_EQ(Check(TGRS_OP_Add, {Shape({2, 1, 4}), Shape({3, 1})}, {Shape({1, 2, 3, 4})}, p), kBad);
  EXPECT_EQ(Check(TGRS_OP_Mul, {Shape({}), Shape({3})}, {Shape({3})}, p), kOk);
  EXPECT_EQ(Check(TGRS_OP_Mul, {Shape({3})}, {Shape({3})}, p), kBad);
}

TEST(Check, UnarySoftmaxShapes) {
  EXPECT_EQ(Check(TGRS_OP_Tanh, {Shape({2, 3})}, {Shape({3, 2})}, tgrs_unary_params_t{}), kBad);
  EXPECT_EQ(Check(TGRS_OP_Tanh, {Shape({2, 3})}, {Shape({2, 3}, TGRS_DTYPE_I32)}, tgrs_unary_params_t{}), kBad);
  tgrs_axis_params_t a{};
  a.axis = 2;
  EXPECT_EQ(Check(TGRS_OP_Softmax, {Shape({2, 3})}, {Shape({2, 3})}, a), kBad);
  a.axis = -1;  // the compiler normalizes negative axes
  EXPECT_EQ(Check(TGRS_OP_Softmax, {Shape({2, 3})}, {Shape({2, 3})}, a), kBad);
  a.axis = 1;
  EXPECT_EQ(Check(TGRS_OP_Softmax, {Shape({2, 3})}, {Shape({2, 3})}, a), kOk);
}

TEST(Check, PoolOutputDims) {
  // H=5, k3 s2 pad 1: floor 3, ceil 3; W=6: floor 3, ceil 4.
  const tgrs_pool_params_t p = PoolParams(3, 3, 2, 2, 1, 1, 1, 1);
  EXPECT_EQ(Check(TGRS_OP_MaxPool, {Shape({1, 2, 5, 6})}, {Shape({1, 2, 3, 3})}, p), kOk);
  EXPECT_EQ(Check(TGRS_OP_MaxPool, {Shape({1, 2, 5, 6})}, {Shape({1, 2, 3, 4})}, p), kOk);
  EXPECT_EQ(Check(TGRS_OP_MaxPool, {Shape({1, 2, 5, 6})}, {Shape({1, 2, 3, 5})}, p), kBad);
  EXPECT_EQ(Check(TGRS_OP_MaxPool, {Shape({1, 2, 5, 6})}, {Shape({1, 2, 2, 3})}, p), kBad);
  EXPECT_EQ(Check(TGRS_OP_MaxPool, {Shape({1, 2, 5, 6})}, {Shape({1, 3, 3, 3})}, p), kBad);
  // ORT's dropped last window: H=4 k2 s2 pad bottom 1 -> 2 (ceil would say 3; both accepted)
  EXPECT_EQ(Check(TGRS_OP_AveragePool, {Shape({1, 1, 4, 4})}, {Shape({1, 1, 2, 2})},
                  PoolParams(2, 2, 2, 2, 0, 0, 1, 0)),
            kOk);
  EXPECT_EQ(Check(TGRS_OP_AveragePool, {Shape({1, 1, 4, 4})}, {Shape({1, 1, 4, 2})},
                  PoolParams(2, 2, 2, 2, 0, 0, 1, 0)),
            kBad);
  // pads must be smaller than the window (onnxruntime's rule)
  EXPECT_EQ(Check(TGRS_OP_MaxPool, {Shape({1, 1, 4, 4})}, {Shape({1, 1, 4, 4})}, PoolParams(2, 2, 2, 2, 2, 2, 2, 2)),
            kBad);
  tgrs_pool_params_t q = p;
  q.count_include_pad = 7;
  EXPECT_EQ(Check(TGRS_OP_AveragePool, {Shape({1, 2, 5, 6})}, {Shape({1, 2, 3, 3})}, q), kBad);
  // MaxPool's optional Indices output is not supported
  EXPECT_EQ(Check(TGRS_OP_MaxPool, {Shape({1, 2, 5, 6})}, {Shape({1, 2, 3, 3}), Shape({1, 2, 3, 3})}, p), kBad);
  const tgrs_global_pool_params_t e = GlobalPoolParams(30);
  EXPECT_EQ(Check(TGRS_OP_GlobalAveragePool, {Shape({1, 2, 5, 6})}, {Shape({1, 2, 1, 1})}, e), kOk);
  EXPECT_EQ(Check(TGRS_OP_GlobalAveragePool, {Shape({1, 2, 5, 6})}, {Shape({1, 2, 1})}, e), kBad);
  EXPECT_EQ(Check(TGRS_OP_GlobalMaxPool, {Shape({1, 2, 5, 6})}, {Shape({1, 2, 5, 1})}, e), kBad);
}

TEST(Check, ReduceMeanAxes) {
  tgrs_reduce_params_t p = ReduceParams(0x2, 0, {2, 3, 4});
  EXPECT_EQ(Check(TGRS_OP_ReduceMean, {Shape({2, 3, 4})}, {Shape({2, 4})}, p), kOk);
  EXPECT_EQ(Check(TGRS_OP_ReduceMean, {Shape({2, 3, 4})}, {Shape({2, 1, 4})}, p), kBad);
  p.keepdims = 1;
  EXPECT_EQ(Check(TGRS_OP_ReduceMean, {Shape({2, 3, 4})}, {Shape({2, 1, 4})}, p), kOk);
  p.axes_mask = 0x8;  // dim 3 of a rank-3 tensor
  EXPECT_EQ(Check(TGRS_OP_ReduceMean, {Shape({2, 3, 4})}, {Shape({2, 3, 4})}, p), kBad);
  p.axes_mask = -1;
  EXPECT_EQ(Check(TGRS_OP_ReduceMean, {Shape({2, 3, 4})}, {Shape({1, 1, 1})}, p), kBad);
}

TEST(Check, ConcatSplit) {
  tgrs_axis_params_t p{};
  p.axis = 1;
  EXPECT_EQ(Check(TGRS_OP_Concat, {Shape({2, 1, 2}), Shape({2, 2, 2})}, {Shape({2, 3, 2})}, p), kOk);
  EXPECT_EQ(Check(TGRS_OP_Concat, {Shape({2, 1, 2}), Shape({2, 2, 3})}, {Shape({2, 3, 2})}, p), kBad);
  EXPECT_EQ(Check(TGRS_OP_Concat, {Shape({2, 1, 2}), Shape({2, 2, 2})}, {Shape({2, 4, 2})}, p), kBad);
  EXPECT_EQ(Check(TGRS_OP_Concat, {Shape({2, 1, 2}), Shape({2, 2})}, {Shape({2, 3, 2})}, p), kBad);
  EXPECT_EQ(Check(TGRS_OP_Split, {Shape({2, 3, 2})}, {Shape({2, 1, 2}), Shape({2, 1, 2})}, p), kBad);
  EXPECT_EQ(Check(TGRS_OP_Split, {Shape({2, 3, 2})}, {Shape({2, 1, 2}), Shape({2, 2, 2})}, p), kOk);
  p.axis = 3;
  EXPECT_EQ(Check(TGRS_OP_Split, {Shape({2, 3, 2})}, {Shape({2, 3, 2})}, p), kBad);
}

TEST(Check, SliceReadsStayInRange) {
  tgrs_slice_params_t p{};
  p.start[0] = 1;
  p.step[0] = 2;
  EXPECT_EQ(Check(TGRS_OP_Slice, {Shape({6})}, {Shape({3})}, p), kOk);   // reads 1,3,5
  EXPECT_EQ(Check(TGRS_OP_Slice, {Shape({6})}, {Shape({4})}, p), kBad);  // would read 7
  p.start[0] = 6;
  p.step[0] = 1;
  EXPECT_EQ(Check(TGRS_OP_Slice, {Shape({6})}, {Shape({1})}, p), kBad);
  p.start[0] = 2;
  p.step[0] = -1;
  EXPECT_EQ(Check(TGRS_OP_Slice, {Shape({6})}, {Shape({3})}, p), kOk);   // reads 2,1,0
  EXPECT_EQ(Check(TGRS_OP_Slice, {Shape({6})}, {Shape({4})}, p), kBad);  // would read -1
  p.step[0] = 0;
  EXPECT_EQ(Check(TGRS_OP_Slice, {Shape({6})}, {Shape({1})}, p), kBad);
  p.start[0] = 0;
  p.step[0] = INT32_MAX;  // overflow bait: 0 + 2 * INT32_MAX
  EXPECT_EQ(Check(TGRS_OP_Slice, {Shape({6})}, {Shape({3})}, p), kBad);
}

TEST(Check, TransposePerm) {
  tgrs_transpose_params_t p{};
  p.perm[0] = 1;
  p.perm[1] = 0;
  EXPECT_EQ(Check(TGRS_OP_Transpose, {Shape({2, 3})}, {Shape({3, 2})}, p), kOk);
  EXPECT_EQ(Check(TGRS_OP_Transpose, {Shape({2, 3})}, {Shape({2, 3})}, p), kBad);
  p.perm[1] = 1;  // duplicate
  EXPECT_EQ(Check(TGRS_OP_Transpose, {Shape({2, 3})}, {Shape({3, 3})}, p), kBad);
  p.perm[1] = 2;  // out of range
  EXPECT_EQ(Check(TGRS_OP_Transpose, {Shape({2, 3})}, {Shape({3, 2})}, p), kBad);
  p.perm[1] = -1;
  EXPECT_EQ(Check(TGRS_OP_Transpose, {Shape({2, 3})}, {Shape({3, 2})}, p), kBad);
}

TEST(Check, PadCropsAndModes) {
  tgrs_pad_params_t p{};
  p.mode = TGRS_PAD_REFLECT;
  p.pad_begin[0] = -2;
  EXPECT_EQ(Check(TGRS_OP_Pad, {Shape({5})}, {Shape({3})}, p), kOk);
  EXPECT_EQ(Check(TGRS_OP_Pad, {Shape({5})}, {Shape({4})}, p), kOk);
  p.pad_begin[0] = -5;  // crops everything, then pads: nothing left to reflect
  EXPECT_EQ(Check(TGRS_OP_Pad, {Shape({5})}, {Shape({2})}, p), kBad);
  p.pad_begin[0] = INT32_MIN;
  EXPECT_EQ(Check(TGRS_OP_Pad, {Shape({5})}, {Shape({2})}, p), kBad);
  p.pad_begin[0] = 0;
  p.mode = 4;
  EXPECT_EQ(Check(TGRS_OP_Pad, {Shape({5})}, {Shape({5})}, p), kBad);
}

TEST(Check, ResizeParams) {
  tgrs_resize_params_t p{};
  p.mode = TGRS_RESIZE_LINEAR;
  p.scale[0] = 1.0f;
  p.scale[1] = 2.0f;
  // untiled calls: the window is the whole tensors
  auto check = [&p](std::vector<int32_t> x, std::vector<int32_t> y) {
    SetWholeWindow(p, x, y);
    return Check(TGRS_OP_Resize, {Shape(x)}, {Shape(y)}, p);
  };
  EXPECT_EQ(check({2, 3}, {2, 6}), kOk);
  EXPECT_EQ(check({2, 3}, {2, 7}), kBad);
  p.scale[1] = NAN;
  EXPECT_EQ(check({2, 3}, {2, 6}), kBad);
  p.scale[1] = -2.0f;
  EXPECT_EQ(check({2, 3}, {2, 6}), kBad);
  p.scale[1] = 2.0f;
  p.coord_mode = 6;
  EXPECT_EQ(check({2, 3}, {2, 6}), kBad);
  p.coord_mode = 0;
  p.mode = 3;
  EXPECT_EQ(check({2, 3}, {2, 6}), kBad);
}

TEST(Check, ReshapeCopyAndUnsupported) {
  tgrs_empty_params_t e{};
  EXPECT_EQ(Check(TGRS_OP_Reshape, {Shape({2, 3})}, {Shape({6})}, e), kOk);
  EXPECT_EQ(Check(TGRS_OP_Reshape, {Shape({2, 3})}, {Shape({7})}, e), kBad);
  EXPECT_EQ(Check(TGRS_OP_Copy, {Shape({2, 3})}, {Shape({6}, TGRS_DTYPE_I8)}, e), kBad);
  EXPECT_EQ(Check(TGRS_OP_Copy, {Shape({2, 3}, 42)}, {Shape({6}, 42)}, e), kBad);
  EXPECT_EQ(Check(TGRS_OP_Copy, {Shape({4}, TGRS_DTYPE_I64)}, {Shape({2, 2}, TGRS_DTYPE_I64)}, e), kOk);
}
