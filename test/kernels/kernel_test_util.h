// Helpers for the reference kernel tests: tensor views over std::vector, building a
// tgrs_kernel_call_t, and running an op through tgrs_backend_reference (check, then run).
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "tigris/kernels/ref_f32.h"
#include "tigris/kernels/tgrs_params.h"
#include "tigris/kernels/tgrs_types.h"

namespace tgrs_test {

inline tgrs_tensor_t View(const float* data, const std::vector<int32_t>& dims, int32_t dtype = TGRS_DTYPE_F32) {
  tgrs_tensor_t t{};
  t.data = const_cast<float*>(data);
  t.dtype = dtype;
  t.rank = static_cast<int32_t>(dims.size());
  for (size_t d = 0; d < dims.size() && d < TGRS_MAX_RANK; ++d) t.dims[d] = dims[d];
  tgrs_tensor_set_dense(&t);
  return t;
}

inline tgrs_tensor_t Shape(const std::vector<int32_t>& dims, int32_t dtype = TGRS_DTYPE_F32) {
  return View(nullptr, dims, dtype);
}

inline int64_t Count(const std::vector<int32_t>& dims) {
  int64_t n = 1;
  for (int32_t d : dims) n *= d;
  return n;
}

template <class P>
tgrs_kernel_call_t MakeCall(const std::vector<tgrs_tensor_t>& in, const std::vector<tgrs_tensor_t>& out,
                            const P& params) {
  tgrs_kernel_call_t c{};
  c.inputs = in.data();
  c.n_inputs = static_cast<int32_t>(in.size());
  c.outputs = out.data();
  c.n_outputs = static_cast<int32_t>(out.size());
  c.params = &params;
  c.params_size = sizeof(P);
  return c;
}

// The scratch bytes op's kernel asks for on this call (0 for kernels without a scratch query).
inline uint32_t ScratchBytes(int op, const tgrs_kernel_call_t& c) {
  const tgrs_kernel_scratch_fn fn = tgrs_backend_reference.ops[op].scratch;
  return fn != nullptr ? fn(&c) : 0u;
}

// check() with the scratch size the kernel asks for (as the compiler reserves it).
template <class P>
tgrs_status_t Check(int op, const std::vector<tgrs_tensor_t>& in, const std::vector<tgrs_tensor_t>& out,
                    const P& params) {
  tgrs_kernel_call_t c = MakeCall(in, out, params);
  c.scratch_size = ScratchBytes(op, c);
  return tgrs_backend_reference.ops[op].check(&c);
}

// check() must accept the call; then run() executes it (with exactly the scratch it asks for).
template <class P>
void RunOp(int op, const std::vector<tgrs_tensor_t>& in, const std::vector<tgrs_tensor_t>& out, const P& params) {
  tgrs_kernel_call_t c = MakeCall(in, out, params);
  c.scratch_size = ScratchBytes(op, c);
  std::vector<float> scratch((c.scratch_size + 3) / 4);
  c.scratch = c.scratch_size ? scratch.data() : nullptr;
  ASSERT_EQ(tgrs_backend_reference.ops[op].check(&c), TGRS_OK);
  tgrs_backend_reference.ops[op].run(&c);
}

inline void ExpectClose(const std::vector<float>& got, const std::vector<float>& want, float rtol = 1e-5f,
                        float atol = 1e-5f) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_NEAR(got[i], want[i], atol + rtol * std::fabs(want[i])) << "at flat index " << i;
  }
}

inline tgrs_act_t Act(int32_t kind = TGRS_ACT_NONE, float a = 0.0f, float b = 0.0f) {
  tgrs_act_t act{};
  act.kind = kind;
  act.a = a;
  act.b = b;
  return act;
}

inline tgrs_conv_params_t ConvParams(int32_t kh, int32_t kw, int32_t sh = 1, int32_t sw = 1, int32_t dh = 1,
                                     int32_t dw = 1, int32_t pt = 0, int32_t pl = 0, int32_t pb = 0, int32_t pr = 0,
                                     int32_t group = 1, tgrs_act_t act = Act()) {
  tgrs_conv_params_t p{};
  p.kernel_h = kh;
  p.kernel_w = kw;
  p.stride_h = sh;
  p.stride_w = sw;
  p.dilation_h = dh;
  p.dilation_w = dw;
  p.pad_top = pt;
  p.pad_left = pl;
  p.pad_bottom = pb;
  p.pad_right = pr;
  p.group = group;
  p.act = act;
  return p;
}

inline tgrs_pool_params_t PoolParams(int32_t kh, int32_t kw, int32_t sh, int32_t sw, int32_t pt, int32_t pl,
                                     int32_t pb, int32_t pr, int32_t count_include_pad = 0, int32_t dh = 1,
                                     int32_t dw = 1) {
  tgrs_pool_params_t p{};
  p.kernel_h = kh;
  p.kernel_w = kw;
  p.stride_h = sh;
  p.stride_w = sw;
  p.dilation_h = dh;
  p.dilation_w = dw;
  p.pad_top = pt;
  p.pad_left = pl;
  p.pad_bottom = pb;
  p.pad_right = pr;
  p.count_include_pad = count_include_pad;
  return p;
}

// Untiled accumulation params: one call does the whole reduction of `count` elements.
inline tgrs_global_pool_params_t GlobalPoolParams(int32_t count) {
  tgrs_global_pool_params_t p{};
  p.flags = TGRS_ACC_BEGIN | TGRS_ACC_END;
  p.count = count;
  return p;
}

inline tgrs_reduce_params_t ReduceParams(int32_t axes_mask, int32_t keepdims, const std::vector<int32_t>& x_dims) {
  tgrs_reduce_params_t p{};
  p.axes_mask = axes_mask;
  p.keepdims = keepdims;
  p.flags = TGRS_ACC_BEGIN | TGRS_ACC_END;
  p.count = 1;
  for (size_t d = 0; d < x_dims.size(); ++d)
    if ((axes_mask >> d) & 1) p.count *= x_dims[d];
  return p;
}

// The untiled Resize window: origins 0, full lengths = the tensors' dims.
inline void SetWholeWindow(tgrs_resize_params_t& p, const std::vector<int32_t>& x_dims,
                           const std::vector<int32_t>& y_dims) {
  for (size_t d = 0; d < TGRS_MAX_RANK; ++d) {
    p.in_origin[d] = 0;
    p.out_origin[d] = 0;
    p.in_full[d] = d < x_dims.size() ? x_dims[d] : 0;
    p.out_full[d] = d < y_dims.size() ? y_dims[d] : 0;
  }
}

// LSTM/GRU/RNN params with ONNX's default activations (LSTM sigmoid, tanh, tanh; GRU sigmoid,
// tanh; RNN tanh) in both directions' slots, no clip.
inline tgrs_rnn_params_t RnnParams(int32_t cell, int32_t hidden, int32_t direction, int32_t layout, int32_t outputs) {
  tgrs_rnn_params_t p{};
  p.hidden_size = hidden;
  p.direction = direction;
  p.layout = layout;
  p.outputs = outputs;
  p.clip = INFINITY;
  for (int d = 0; d < 2; ++d) {
    p.act[3 * d + 0].kind = cell == TGRS_RNN_CELL_RNN ? TGRS_RNN_ACT_TANH : TGRS_RNN_ACT_SIGMOID;
    p.act[3 * d + 1].kind = TGRS_RNN_ACT_TANH;
    p.act[3 * d + 2].kind = TGRS_RNN_ACT_TANH;
  }
  return p;
}

}  // namespace tgrs_test
