// Mutation fuzzing of the check() contract: start from valid calls of every op (dense and
// strided views, tiling windows and partial accumulations), corrupt dims, ranks, dtypes, strides,
// counts and raw params words; whenever check() accepts, run() on buffers of exactly the bytes
// each view spans must stay inside them (build with -fsanitize=address to enforce).
#include <algorithm>
#include <cstring>
#include <random>

#include "kernel_test_util.h"

using namespace tgrs_test;

namespace {

struct Seed {
  int op;
  std::vector<tgrs_tensor_t> in, out;
  std::vector<uint32_t> params;
};

template <class P>
Seed MakeSeed(int op, std::vector<tgrs_tensor_t> in, std::vector<tgrs_tensor_t> out, const P& p) {
  Seed s{op, std::move(in), std::move(out), std::vector<uint32_t>(sizeof(P) / 4)};
  std::memcpy(s.params.data(), &p, sizeof(P));
  return s;
}

tgrs_tensor_t Strided(const std::vector<int32_t>& dims, const std::vector<int32_t>& strides) {
  tgrs_tensor_t t = Shape(dims);
  for (size_t d = 0; d < strides.size(); ++d) t.strides[d] = strides[d];
  return t;
}

// Every row of ops.def served by the unary kernel, so a new unary op is fuzzed from its row.
std::vector<int> UnaryOps() {
  std::vector<int> ops;
#define TIGRIS_OP_TRAITS(name, onnx, code, import, params, kernel, subop, inputs, out, act, tile) \
  if (std::strcmp(#kernel, "unary") == 0) ops.push_back(code);
#include "tigris/ops.def"
#undef TIGRIS_OP_TRAITS
  return ops;
}

std::vector<Seed> Seeds() {
  std::vector<Seed> s;
  const tgrs_conv_params_t conv = ConvParams(3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 2, Act(TGRS_ACT_SILU));
  s.push_back(MakeSeed(TGRS_OP_Conv, {Shape({1, 4, 8, 8}), Shape({6, 2, 3, 3}), Shape({6})}, {Shape({1, 6, 4, 4})},
                       conv));
  s.push_back(MakeSeed(TGRS_OP_Conv, {Shape({2, 3, 9}), Shape({3, 1, 3})}, {Shape({2, 3, 4})},
                       ConvParams(1, 3, 1, 2, 1, 2, 0, 1, 0, 1, 3)));
  s.push_back(MakeSeed(TGRS_OP_ConvTranspose, {Shape({1, 2, 3, 4}), Shape({2, 3, 3, 3}), Shape({3})},
                       {Shape({1, 3, 6, 10})}, ConvParams(3, 3, 2, 3, 1, 1, 1, 0, 1, 2)));
  tgrs_gemm_params_t g{};
  g.alpha = 1.0f;
  g.beta = 1.0f;
  s.push_back(MakeSeed(TGRS_OP_Gemm, {Shape({4, 3}), Shape({5, 4}), Shape({3, 1})}, {Shape({3, 5})},
                       [&] { tgrs_gemm_params_t q = g; q.trans_a = 1; q.trans_b = 1; return q; }()));
  tgrs_act_params_t a{};
  s.push_back(MakeSeed(TGRS_OP_MatMul, {Shape({2, 1, 3, 4}), Shape({3, 4, 5})}, {Shape({2, 3, 3, 5})}, a));
  s.push_back(MakeSeed(TGRS_OP_MatMul, {Shape({4}), Shape({2, 4, 3})}, {Shape({2, 3})}, a));
  for (int op : {TGRS_OP_Add, TGRS_OP_Sub, TGRS_OP_Mul, TGRS_OP_Div})
    s.push_back(MakeSeed(op, {Shape({2, 1, 4}), Shape({3, 1})}, {Shape({2, 3, 4})}, a));
  for (int op : UnaryOps()) s.push_back(MakeSeed(op, {Shape({2, 3})}, {Shape({2, 3})}, tgrs_unary_params_t{}));
  tgrs_axis_params_t ax{};
  ax.axis = 1;
  s.push_back(MakeSeed(TGRS_OP_Softmax, {Shape({2, 3, 4})}, {Shape({2, 3, 4})}, ax));
  s.push_back(MakeSeed(TGRS_OP_MaxPool, {Shape({1, 2, 5, 6})}, {Shape({1, 2, 3, 4})},
                       PoolParams(3, 3, 2, 2, 1, 1, 1, 1)));
  s.push_back(MakeSeed(TGRS_OP_AveragePool, {Shape({1, 2, 4, 5})}, {Shape({1, 2, 2, 3})},
                       PoolParams(2, 2, 2, 2, 0, 1, 1, 0, 1)));
  tgrs_empty_params_t e{};
  s.push_back(MakeSeed(TGRS_OP_GlobalAveragePool, {Shape({1, 2, 3, 3})}, {Shape({1, 2, 1, 1})}, GlobalPoolParams(9)));
  s.push_back(MakeSeed(TGRS_OP_GlobalMaxPool, {Shape({1, 2, 3})}, {Shape({1, 2, 1})}, GlobalPoolParams(3)));
  const tgrs_reduce_params_t r = ReduceParams(5, 0, {2, 3, 4});
  s.push_back(MakeSeed(TGRS_OP_ReduceMean, {Shape({2, 3, 4})}, {Shape({3})}, r));
  s.push_back(MakeSeed(TGRS_OP_Concat, {Shape({2, 1, 2}), Shape({2, 2, 2})}, {Shape({2, 3, 2})}, ax));
  s.push_back(MakeSeed(TGRS_OP_Split, {Shape({2, 3, 2})}, {Shape({2, 1, 2}), Shape({2, 2, 2})}, ax));
  tgrs_slice_params_t sl{};
  sl.start[0] = 3;
  sl.step[0] = -1;
  sl.start[1] = 1;
  sl.step[1] = 2;
  s.push_back(MakeSeed(TGRS_OP_Slice, {Shape({4, 5})}, {Shape({3, 2})}, sl));
  tgrs_transpose_params_t tp{};
  tp.perm[0] = 2;
  tp.perm[2] = 1;
  s.push_back(MakeSeed(TGRS_OP_Transpose, {Shape({2, 3, 4})}, {Shape({4, 2, 3})}, tp));
  tgrs_pad_params_t pd{};
  pd.mode = TGRS_PAD_REFLECT;
  pd.pad_begin[0] = 2;
  pd.pad_begin[1] = -1;
  s.push_back(MakeSeed(TGRS_OP_Pad, {Shape({3, 4})}, {Shape({6, 6})}, pd));
  tgrs_resize_params_t rs{};
  rs.mode = TGRS_RESIZE_CUBIC;
  rs.cubic_coeff_a = -0.75f;
  rs.exclude_outside = 1;
  rs.scale[0] = 1.0f;
  rs.scale[1] = 1.7f;
  rs.scale[2] = 0.75f;
  SetWholeWindow(rs, {1, 3, 4}, {1, 5, 3});
  s.push_back(MakeSeed(TGRS_OP_Resize, {Shape({1, 3, 4})}, {Shape({1, 5, 3})}, rs));
  s.push_back(MakeSeed(TGRS_OP_Reshape, {Shape({2, 3})}, {Shape({6})}, e));
  s.push_back(MakeSeed(TGRS_OP_Copy, {Shape({2, 3})}, {Shape({3, 2})}, e));
  // strided views and tiling calls
  s.push_back(MakeSeed(TGRS_OP_Copy, {Strided({2, 3}, {8, 2})}, {Strided({2, 3}, {3, 1})}, e));
  s.push_back(MakeSeed(TGRS_OP_Conv, {Strided({1, 4, 3, 8}, {200, 40, 10, 1}), Shape({6, 2, 3, 3}), Shape({6})},
                       {Strided({1, 6, 1, 4}, {96, 16, 4, 1})}, [&] {
                         tgrs_conv_params_t q = conv;
                         q.pad_top = 0;  // a strip of output rows: its local pads
                         q.pad_bottom = 0;
                         return q;
                       }()));
  s.push_back(MakeSeed(TGRS_OP_MaxPool, {Strided({1, 1, 1, 6}, {60, 30, 10, 1})}, {Shape({1, 1, 1, 3})},
                       PoolParams(1, 3, 1, 2, 0, 2, 0, 1, 0, 1, 2)));
  s.push_back(MakeSeed(TGRS_OP_Add, {Strided({2, 1, 4}, {0, 9, 2}), Strided({3, 1}, {5, 1})},
                       {Strided({2, 3, 4}, {20, 5, 1})}, a));
  s.push_back(MakeSeed(TGRS_OP_Transpose, {Strided({2, 3, 4}, {1, 2, 6})}, {Strided({4, 2, 3}, {1, 4, 8})}, tp));
  tgrs_global_pool_params_t gp{};
  gp.flags = 0;  // a middle strip of a bigger reduction
  gp.count = 30;
  s.push_back(MakeSeed(TGRS_OP_GlobalAveragePool, {Strided({1, 2, 2, 3}, {40, 20, 5, 1})}, {Strided({1, 2, 1, 1}, {4, 2, 1, 1})},
                       gp));
  gp.flags = TGRS_ACC_BEGIN;
  s.push_back(MakeSeed(TGRS_OP_GlobalMaxPool, {Shape({1, 2, 2, 3})}, {Shape({1, 2, 1, 1})}, gp));
  tgrs_reduce_params_t rp = ReduceParams(5, 0, {2, 3, 4});
  rp.flags = TGRS_ACC_END;
  rp.count = 20;
  s.push_back(MakeSeed(TGRS_OP_ReduceMean, {Strided({2, 3, 4}, {30, 1, 5})}, {Strided({3}, {2})}, rp));
  tgrs_resize_params_t rw = rs;  // a window of a bigger Resize
  rw.mode = TGRS_RESIZE_LINEAR;
  rw.coord_mode = TGRS_COORD_HALF_PIXEL;
  rw.scale[1] = 2.0f;
  rw.scale[2] = 2.0f;
  rw.in_full[1] = 10;
  rw.out_full[1] = 20;
  rw.in_full[2] = 6;
  rw.out_full[2] = 12;
  rw.in_origin[1] = 3;
  rw.out_origin[1] = 8;
  rw.in_origin[2] = 0;
  rw.out_origin[2] = 0;
  s.push_back(MakeSeed(TGRS_OP_Resize, {Strided({1, 4, 6}, {100, 10, 1})}, {Strided({1, 4, 12}, {60, 13, 1})}, rw));
  // the broadcasting ops of empty params, on every dtype they take
  const int32_t kI32 = TGRS_DTYPE_I32, kI64 = TGRS_DTYPE_I64, kB = TGRS_DTYPE_BOOL;
  s.push_back(MakeSeed(TGRS_OP_Max, {Shape({2, 1, 4}), Shape({3, 1}), Shape({4})}, {Shape({2, 3, 4})}, e));
  s.push_back(MakeSeed(TGRS_OP_Min, {Shape({2, 3}, kI64), Shape({3}, kI64)}, {Shape({2, 3}, kI64)}, e));
  s.push_back(MakeSeed(TGRS_OP_Sum, {Shape({2, 3}, kI32)}, {Shape({2, 3}, kI32)}, e));
  s.push_back(MakeSeed(TGRS_OP_Mean, {Shape({2, 3}), Shape({2, 3})}, {Shape({2, 3})}, e));
  s.push_back(MakeSeed(TGRS_OP_PRelu, {Shape({1, 3, 2, 2}), Shape({3, 1, 1})}, {Shape({1, 3, 2, 2})}, e));
  s.push_back(MakeSeed(TGRS_OP_Pow, {Shape({2, 3}), Shape({}, kI64)}, {Shape({2, 3})}, e));
  s.push_back(MakeSeed(TGRS_OP_Equal, {Shape({2, 3}, kI64), Shape({2, 1}, kI64)}, {Shape({2, 3}, kB)}, e));
  s.push_back(MakeSeed(TGRS_OP_Less, {Shape({4}), Shape({3, 1})}, {Shape({3, 4}, kB)}, e));
  s.push_back(MakeSeed(TGRS_OP_And, {Shape({2, 3}, kB), Shape({3}, kB)}, {Shape({2, 3}, kB)}, e));
  s.push_back(MakeSeed(TGRS_OP_Not, {Strided({2, 3}, {1, 2})}, {Shape({2, 3}, kB)}, e));
  s.back().in[0].dtype = kB;
  s.push_back(MakeSeed(TGRS_OP_Where, {Shape({2, 1}, kB), Shape({3}), Shape({2, 3})}, {Shape({2, 3})}, e));
  s.push_back(MakeSeed(TGRS_OP_Where, {Shape({3}, kB), Shape({2, 3}, kI64), Shape({}, kI64)}, {Shape({2, 3}, kI64)}, e));
  s.push_back(MakeSeed(TGRS_OP_Cast, {Shape({2, 3})}, {Shape({2, 3}, kI64)}, e));
  s.push_back(MakeSeed(TGRS_OP_Cast, {Strided({2, 3}, {5, 1})}, {Shape({2, 3}, kB)}, e));
  s.push_back(MakeSeed(TGRS_OP_Expand, {Shape({3, 1}, kI32)}, {Shape({2, 3, 4}, kI32)}, e));
  s.push_back(MakeSeed(TGRS_OP_Tile, {Shape({2, 3}, kB)}, {Strided({4, 6}, {7, 1})}, e));
  s.back().out[0].dtype = kB;
  // reductions, index ops, normalizations, TopK (indices in the buffers are random bytes: the
  // index kernels must stay inside the data whatever they hold)
  for (int op : {TGRS_OP_ReduceSum, TGRS_OP_ReduceMax, TGRS_OP_ReduceProd, TGRS_OP_ReduceL2, TGRS_OP_ReduceLogSumExp})
    s.push_back(MakeSeed(op, {Shape({2, 3, 4})}, {Shape({3})}, r));
  tgrs_reduce_params_t rsq = ReduceParams(6, 1, {2, 3, 4});
  rsq.flags = 0;
  rsq.count = 40;
  s.push_back(MakeSeed(TGRS_OP_ReduceSumSquare, {Strided({2, 2, 4}, {40, 5, 1})}, {Strided({2, 1, 1}, {3, 1, 1})}, rsq));
  tgrs_arg_reduce_params_t am{};
  am.axis = 1;
  am.select_last_index = 1;
  s.push_back(MakeSeed(TGRS_OP_ArgMax, {Shape({2, 3, 4})}, {Shape({2, 4}, TGRS_DTYPE_I64)}, am));
  s.push_back(MakeSeed(TGRS_OP_LogSoftmax, {Shape({2, 3, 4})}, {Shape({2, 3, 4})}, ax));
  s.push_back(MakeSeed(TGRS_OP_Gather, {Shape({2, 5, 3}), Shape({2, 2}, TGRS_DTYPE_I64)}, {Shape({2, 2, 2, 3})}, ax));
  s.push_back(MakeSeed(TGRS_OP_Gather, {Shape({2, 5, 3}, TGRS_DTYPE_I8), Strided({3}, {2})}, {Shape({2, 3, 3}, TGRS_DTYPE_I8)},
                       ax));
  s.back().in[1].dtype = TGRS_DTYPE_I32;
  s.push_back(MakeSeed(TGRS_OP_GatherElements, {Shape({2, 5, 3}), Shape({2, 4, 3}, TGRS_DTYPE_I32)}, {Shape({2, 4, 3})},
                       ax));
  tgrs_depth_space_params_t ds{};
  ds.blocksize = 2;
  ds.mode = TGRS_DEPTH_SPACE_CRD;
  s.push_back(MakeSeed(TGRS_OP_DepthToSpace, {Shape({1, 8, 2, 3})}, {Shape({1, 2, 4, 6})}, ds));
  ds.mode = 0;
  s.push_back(MakeSeed(TGRS_OP_SpaceToDepth, {Strided({1, 2, 4, 6}, {60, 30, 7, 1})}, {Shape({1, 8, 2, 3})}, ds));
  tgrs_lp_norm_params_t lp{};
  lp.axis = 2;
  lp.p = 1;
  s.push_back(MakeSeed(TGRS_OP_LpNormalization, {Shape({2, 3, 4})}, {Shape({2, 3, 4})}, lp));
  tgrs_norm_params_t nm{};
  nm.epsilon = 1e-5f;
  s.push_back(MakeSeed(TGRS_OP_InstanceNormalization, {Shape({1, 3, 2, 2}), Shape({3}), Shape({3})},
                       {Shape({1, 3, 2, 2})}, nm));
  nm.num_groups = 2;
  s.push_back(MakeSeed(TGRS_OP_GroupNormalization, {Shape({1, 4, 5}), Shape({4}), Shape({4})}, {Shape({1, 4, 5})}, nm));
  nm.num_groups = 0;
  nm.axis = 1;
  s.push_back(MakeSeed(TGRS_OP_LayerNormalization, {Shape({2, 3, 4}), Shape({3, 1}), Shape({4})},
                       {Shape({2, 3, 4}), Shape({2, 1, 1}), Shape({2, 1, 1})}, nm));
  tgrs_topk_params_t tk{};
  tk.axis = 1;
  tk.k = 2;
  tk.largest = 1;
  tk.sorted = 1;
  s.push_back(MakeSeed(TGRS_OP_TopK, {Shape({2, 5, 3})}, {Shape({2, 2, 3}), Shape({2, 2, 3}, TGRS_DTYPE_I64)}, tk));
  // recurrent layers: every optional input (sequence_lens is int32), every output, both layouts
  tgrs_rnn_params_t lstm = RnnParams(TGRS_RNN_CELL_LSTM, 3, TGRS_RNN_BIDIRECTIONAL, 0, 7);
  lstm.clip = 2.0f;
  s.push_back(MakeSeed(TGRS_OP_LSTM,
                       {Shape({4, 2, 5}), Shape({2, 12, 5}), Shape({2, 12, 3}), Shape({2, 24}),
                        Shape({2}, TGRS_DTYPE_I32), Shape({2, 2, 3}), Shape({2, 2, 3}), Shape({2, 9})},
                       {Shape({4, 2, 2, 3}), Shape({2, 2, 3}), Shape({2, 2, 3})}, lstm));
  tgrs_rnn_params_t gru = RnnParams(TGRS_RNN_CELL_GRU, 2, TGRS_RNN_REVERSE, 1, 3);
  gru.linear_before_reset = 1;
  s.push_back(MakeSeed(TGRS_OP_GRU,
                       {Strided({3, 4, 2}, {20, 4, 1}), Shape({1, 6, 2}), Shape({1, 6, 2}), Shape({1, 12}),
                        Shape({3}, TGRS_DTYPE_I32), Shape({3, 1, 2})},
                       {Strided({3, 4, 1, 2}, {10, 2, 2, 1}), Shape({3, 1, 2})}, gru));
  s.push_back(MakeSeed(TGRS_OP_RNN, {Shape({5, 1, 3}), Shape({1, 4, 3}), Shape({1, 4, 4})}, {Shape({1, 1, 4})},
                       RnnParams(TGRS_RNN_CELL_RNN, 4, TGRS_RNN_FORWARD, 0, 2)));
  return s;
}

int32_t Interesting(std::mt19937& rng, int32_t orig) {
  static const int32_t kVals[] = {-1, 0, 1, 2, 3, 4, 5, 7, 8, 9, 16, INT32_MAX, INT32_MIN, 1 << 16, 1 << 30};
  switch (rng() % 3) {
    case 0: return static_cast<int32_t>(static_cast<uint32_t>(orig) + rng() % 5 - 2);  // wraps
    case 1: return kVals[rng() % (sizeof(kVals) / sizeof(kVals[0]))];
    default: return static_cast<int32_t>(rng());
  }
}

void MutateTensor(std::mt19937& rng, tgrs_tensor_t& t) {
  const int d = static_cast<int>(rng() % TGRS_MAX_RANK);
  switch (rng() % 9) {
    case 0: t.rank = Interesting(rng, t.rank) % 10; break;
    case 1: t.dtype = (rng() % 4 == 0) ? static_cast<int32_t>(rng() % 10) : t.dtype; break;
    case 2: t.strides[d] = Interesting(rng, t.strides[d]); break;
    case 3: t.strides[d] = static_cast<int32_t>(rng() % 8); break;
    case 4: {  // a padded layout: every stride grown a little (still a valid, non-dense view)
      const int32_t rank = t.rank > 0 && t.rank <= TGRS_MAX_RANK ? t.rank : 0;
      int64_t s = 1 + rng() % 2;
      for (int32_t e = rank - 1; e >= 0; --e) {
        t.strides[e] = static_cast<int32_t>(std::min<int64_t>(s, INT32_MAX));
        s = s * std::max(t.dims[e], 1) + rng() % 3;
      }
      break;
    }
    default:
      t.dims[d] = Interesting(rng, t.dims[d]);
      if (rng() % 2) tgrs_tensor_set_dense(&t);  // keep the view dense, or leave the old strides
  }
}

}  // namespace

TEST(CheckFuzz, AcceptedCallsStayInsideTheirBuffers) {
  std::mt19937 rng(12345);
  const std::vector<Seed> seeds = Seeds();
  int accepted = 0, mutated_accepted = 0;
  for (int iter = 0; iter < 100000; ++iter) {
    Seed s = seeds[iter % seeds.size()];
    const int n_mut = iter < static_cast<int>(seeds.size()) ? 0 : 1 + static_cast<int>(rng() % 3);
    for (int m = 0; m < n_mut; ++m) {
      switch (rng() % 6) {
        case 0: MutateTensor(rng, s.in[rng() % s.in.size()]); break;
        case 1: MutateTensor(rng, s.out[rng() % s.out.size()]); break;
        case 2:
          if (rng() % 2 && s.in.size() > 1) s.in.pop_back(); else s.in.push_back(s.in[0]);
          break;
        default: {
          const size_t w = rng() % s.params.size();
          int32_t v;
          std::memcpy(&v, &s.params[w], 4);
          v = Interesting(rng, v);
          std::memcpy(&s.params[w], &v, 4);
        }
      }
    }
    tgrs_kernel_call_t c{};
    c.inputs = s.in.data();
    c.n_inputs = static_cast<int32_t>(s.in.size());
    c.outputs = s.out.data();
    c.n_outputs = static_cast<int32_t>(s.out.size());
    c.params = s.params.data();
    c.params_size = static_cast<uint32_t>(s.params.size() * 4);
    c.scratch_size = ScratchBytes(s.op, c);  // what the compiler would reserve for this shape
    if (tgrs_backend_reference.ops[s.op].check(&c) != TGRS_OK) {
      ASSERT_GE(iter, static_cast<int>(seeds.size())) << "seed " << iter << " (op " << s.op << ") rejected";
      continue;
    }
    // exact-size heap buffers: any out-of-bounds access is caught by AddressSanitizer. Legal
    // but large shapes (check() allows up to 1 GiB per tensor) are not worth running here.
    std::vector<int64_t> sizes;
    int64_t total = 0;
    // Reshape's optional second input (its shape) is never read, so check() does not size it.
    if (s.op == TGRS_OP_Reshape && s.in.size() > 1) s.in.resize(1);
    c.inputs = s.in.data();
    c.n_inputs = static_cast<int32_t>(s.in.size());
    for (const auto* ts : {&s.in, &s.out}) {
      for (const tgrs_tensor_t& t : *ts) {
        // the bytes the view spans: (sum_d (dims[d]-1) * strides[d] + 1) elements
        int64_t span = 1;
        for (int d = 0; d < t.rank && d < TGRS_MAX_RANK; ++d) span += int64_t{t.dims[d] - 1} * t.strides[d];
        const int64_t n = tgrs_dtype_size(t.dtype) * span;
        EXPECT_GE(n, 0) << "op " << s.op << " accepted a negative size";
        sizes.push_back(n);
        total += n;
      }
    }
    if (total > (1 << 22) || total < 0) continue;
    ++accepted;
    if (n_mut > 0) ++mutated_accepted;
    std::vector<std::vector<uint8_t>> bufs;
    size_t k = 0;
    for (auto* ts : {&s.in, &s.out}) {
      for (tgrs_tensor_t& t : *ts) {
        const int64_t n = sizes[k++];
        if (t.dtype == 0) continue;  // omitted optional input
        bufs.emplace_back(static_cast<size_t>(n));
        for (auto& b : bufs.back()) b = static_cast<uint8_t>(rng() & 0x3f);  // small finite floats
        t.data = bufs.back().data();
      }
    }
    std::vector<uint8_t> scratch(c.scratch_size);  // exactly the bytes check() accepted
    c.scratch = c.scratch_size ? scratch.data() : nullptr;
    tgrs_backend_reference.ops[s.op].run(&c);
  }
  EXPECT_GT(mutated_accepted, 500) << "the fuzzer hardly reaches run()";
  EXPECT_GT(accepted, 2000);
}
