// Helpers for the int8 kernel tests: typed views over std::vector, NHWC <-> NCHW layout changes
// (CMSIS-NN's golden data is NHWC), kernel calls through the ref_s8.h check()/run() entry points.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "tigris/kernels/ref_s8.h"
#include "tigris/kernels/tgrs_qparams.h"
#include "tigris/kernels/tgrs_types.h"

namespace s8test {

using Dims = std::vector<int32_t>;
using CheckFn = tgrs_status_t (*)(const tgrs_kernel_call_t*);
using RunFn = void (*)(const tgrs_kernel_call_t*);

// One kernel's call-level entry points.
struct Kernel {
  const char* name;
  CheckFn check;
  RunFn run;
};

inline tgrs_tensor_t ViewOf(const void* data, const Dims& dims, int32_t dtype) {
  tgrs_tensor_t t{};
  t.data = const_cast<void*>(data);
  t.dtype = dtype;
  t.rank = static_cast<int32_t>(dims.size());
  for (size_t d = 0; d < dims.size() && d < TGRS_MAX_RANK; ++d) t.dims[d] = dims[d];
  tgrs_tensor_set_dense(&t);
  return t;
}
inline tgrs_tensor_t View(const std::vector<int8_t>& v, const Dims& dims) { return ViewOf(v.data(), dims, TGRS_DTYPE_I8); }
inline tgrs_tensor_t View(const std::vector<int32_t>& v, const Dims& dims) {
  return ViewOf(v.data(), dims, TGRS_DTYPE_I32);
}
inline tgrs_tensor_t Absent() { return tgrs_tensor_t{}; }

inline int64_t Count(const Dims& dims) {
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

// check() must accept; then run().
template <class P>
void RunKernel(const Kernel& k, const std::vector<tgrs_tensor_t>& in, const std::vector<tgrs_tensor_t>& out,
         const P& params) {
  const tgrs_kernel_call_t c = MakeCall(in, out, params);
  ASSERT_EQ(k.check(&c), TGRS_OK) << k.name << ": check() rejected a valid call";
  k.run(&c);
}

template <class P>
tgrs_status_t Check(const Kernel& k, const std::vector<tgrs_tensor_t>& in, const std::vector<tgrs_tensor_t>& out,
                    const P& params) {
  const tgrs_kernel_call_t c = MakeCall(in, out, params);
  return k.check(&c);
}

inline const Kernel kConv{"conv2d_s8", tgrs_conv2d_s8_check, tgrs_conv2d_s8_run};
inline const Kernel kGemm{"gemm_s8", tgrs_gemm_s8_check, tgrs_gemm_s8_run};
inline const Kernel kMatMul{"matmul_s8", tgrs_matmul_s8_check, tgrs_matmul_s8_run};
inline const Kernel kAdd{"add_s8", tgrs_add_s8_check, tgrs_add_s8_run};
inline const Kernel kMul{"mul_s8", tgrs_mul_s8_check, tgrs_mul_s8_run};
inline const Kernel kRequantize{"requantize_s8", tgrs_requantize_s8_check, tgrs_requantize_s8_run};
inline const Kernel kLut{"lut_s8", tgrs_lut_s8_check, tgrs_lut_s8_run};
inline const Kernel kMaxPool{"maxpool2d_s8", tgrs_maxpool2d_s8_check, tgrs_maxpool2d_s8_run};
inline const Kernel kAvgPool{"avgpool2d_s8", tgrs_avgpool2d_s8_check, tgrs_avgpool2d_s8_run};
inline const Kernel kGlobalAvgPool{"global_avgpool_s8", tgrs_global_avgpool_s8_check, tgrs_global_avgpool_s8_run};
inline const Kernel kGlobalMaxPool{"global_maxpool_s8", tgrs_global_maxpool_s8_check, tgrs_global_maxpool_s8_run};
inline const Kernel kSoftmax{"softmax_s8", tgrs_softmax_s8_check, tgrs_softmax_s8_run};
inline const Kernel kResizeNearest{"resize_nearest_s8", tgrs_resize_nearest_s8_check, tgrs_resize_nearest_s8_run};
inline const Kernel kQuantize{"quantize_f32_s8", tgrs_quantize_f32_s8_check, tgrs_quantize_f32_s8_run};
inline const Kernel kDequantize{"dequantize_s8_f32", tgrs_dequantize_s8_f32_check, tgrs_dequantize_s8_f32_run};
inline const Kernel kConcatS8{"concat_s8", tgrs_concat_s8_check, tgrs_concat_s8_run};
inline const Kernel kSliceS8{"slice_s8", tgrs_slice_s8_check, tgrs_slice_s8_run};
inline const Kernel kTransposeS8{"transpose_s8", tgrs_transpose_s8_check, tgrs_transpose_s8_run};
inline const Kernel kPadS8{"pad_s8", tgrs_pad_s8_check, tgrs_pad_s8_run};
inline const Kernel kRequantizeQ8{"requantize_q8", tgrs_requantize_q8_check, tgrs_requantize_q8_run};

// [N, H, W, C] -> [N, C, H, W] and back.
template <class T>
std::vector<T> NhwcToNchw(const T* src, int32_t n, int32_t h, int32_t w, int32_t c) {
  std::vector<T> dst(static_cast<size_t>(n) * h * w * c);
  for (int32_t b = 0; b < n; ++b)
    for (int32_t y = 0; y < h; ++y)
      for (int32_t x = 0; x < w; ++x)
        for (int32_t k = 0; k < c; ++k)
          dst[((static_cast<size_t>(b) * c + k) * h + y) * w + x] = src[((static_cast<size_t>(b) * h + y) * w + x) * c + k];
  return dst;
}

template <class T>
std::vector<T> NchwToNhwc(const T* src, int32_t n, int32_t c, int32_t h, int32_t w) {
  std::vector<T> dst(static_cast<size_t>(n) * h * w * c);
  for (int32_t b = 0; b < n; ++b)
    for (int32_t k = 0; k < c; ++k)
      for (int32_t y = 0; y < h; ++y)
        for (int32_t x = 0; x < w; ++x)
          dst[((static_cast<size_t>(b) * h + y) * w + x) * c + k] = src[((static_cast<size_t>(b) * c + k) * h + y) * w + x];
  return dst;
}

// Interleaved (multiplier, shift) rows for the RQ input.
inline std::vector<int32_t> RqTable(const int32_t* mult, const int32_t* shift, int32_t n) {
  std::vector<int32_t> rq;
  for (int32_t i = 0; i < n; ++i) {
    rq.push_back(mult[i]);
    rq.push_back(shift[i]);
  }
  return rq;
}

inline int32_t Rand(std::mt19937& rng, int32_t lo, int32_t hi) {
  return lo + static_cast<int32_t>(rng() % static_cast<uint32_t>(hi - lo + 1));
}

inline std::vector<int8_t> RandomS8(std::mt19937& rng, int64_t n) {
  std::vector<int8_t> v(static_cast<size_t>(n));
  for (auto& e : v) e = static_cast<int8_t>(Rand(rng, -128, 127));
  return v;
}

// First differing index of two int8 vectors, for readable failures.
inline std::string FirstDiff(const std::vector<int8_t>& got, const std::vector<int8_t>& want) {
  if (got.size() != want.size()) return "size " + std::to_string(got.size()) + " vs " + std::to_string(want.size());
  size_t bad = 0;
  for (size_t i = 0; i < got.size(); ++i) bad += got[i] != want[i];
  for (size_t i = 0; i < got.size(); ++i)
    if (got[i] != want[i])
      return std::to_string(bad) + " of " + std::to_string(got.size()) + " differ, first at " + std::to_string(i) +
             ": got " + std::to_string(got[i]) + " want " + std::to_string(want[i]);
  return "equal";
}

}  // namespace s8test
