// Helpers for the strided-view tests: tensors embedded in larger buffers at random strides with
// poison (inputs) or canary bytes (outputs) around every element, and raw kernel calls.
#pragma once

#include <algorithm>
#include <cstring>
#include <random>
#include <vector>

#include "kernel_test_util.h"

namespace tgrs_test {

using Dims = std::vector<int32_t>;

inline int32_t Rand(std::mt19937& rng, int32_t lo, int32_t hi) {
  return lo + static_cast<int32_t>(rng() % static_cast<uint32_t>(hi - lo + 1));
}

template <class P>
std::vector<uint32_t> ParamWords(const P& p) {
  std::vector<uint32_t> w(sizeof(P) / 4);
  std::memcpy(w.data(), &p, sizeof(P));
  return w;
}

// Byte offsets (from view.data) of every element of a view, in row-major order.
inline std::vector<int64_t> ElementOffsets(const tgrs_tensor_t& t) {
  const int64_t es = tgrs_dtype_size(t.dtype);
  std::vector<int64_t> offs;
  int64_t count = 1;
  for (int d = 0; d < t.rank; ++d) count *= t.dims[d];
  std::vector<int32_t> idx(static_cast<size_t>(t.rank), 0);
  for (int64_t i = 0; i < count; ++i) {
    int64_t off = 0;
    for (int d = 0; d < t.rank; ++d) off += int64_t{idx[d]} * t.strides[d];
    offs.push_back(off * es);
    for (int d = t.rank - 1; d >= 0; --d) {
      if (++idx[d] < t.dims[d]) break;
      idx[d] = 0;
    }
  }
  return offs;
}

// A view inside its own byte buffer, `base` bytes after the buffer's start.
struct Embedded {
  std::vector<uint8_t> bytes;
  size_t base = 0;
  tgrs_tensor_t view{};

  // Random layout: dims in a random nesting order, padded extents, an inner stride of 1..3,
  // any stride on extent-1 dims and (inputs only, `may_alias`) stride 0 on some dims.
  static Embedded Random(std::mt19937& rng, const Dims& dims, int32_t dtype, bool may_alias) {
    Embedded e;
    const int32_t rank = static_cast<int32_t>(dims.size());
    const int64_t es = tgrs_dtype_size(dtype);
    std::vector<int32_t> order(static_cast<size_t>(rank));
    for (int32_t d = 0; d < rank; ++d) order[d] = d;
    if (rng() % 2) std::shuffle(order.begin(), order.end(), rng);
    e.view.dtype = dtype;
    e.view.rank = rank;
    int64_t s = (rng() % 4 == 0) ? Rand(rng, 2, 3) : 1;
    for (int32_t k = rank - 1; k >= 0; --k) {
      const int32_t d = order[k];
      e.view.dims[d] = dims[d];
      e.view.strides[d] = static_cast<int32_t>(s);
      s = s * dims[d] + ((rng() % 3 == 0) ? Rand(rng, 1, 3) : 0);
    }
    for (int32_t d = 0; d < rank; ++d) {
      if (dims[d] == 1 && rng() % 2) e.view.strides[d] = Rand(rng, 0, 40);
      if (may_alias && dims[d] > 1 && rng() % 7 == 0) e.view.strides[d] = 0;
    }
    int64_t span = 1;
    for (int32_t d = 0; d < rank; ++d) span += int64_t{dims[d] - 1} * e.view.strides[d];
    const int64_t head = Rand(rng, 0, 4), tail = Rand(rng, 0, 4);
    e.bytes.resize(static_cast<size_t>((head + span + tail) * es));
    e.base = static_cast<size_t>(head * es);
    e.view.data = e.bytes.data() + e.base;
    return e;
  }

  // The same view as a dense row-major tensor in its own buffer.
  static Embedded Dense(const Dims& dims, int32_t dtype) {
    Embedded e;
    e.view = Shape(dims, dtype);
    e.bytes.resize(static_cast<size_t>(Count(dims) * tgrs_dtype_size(dtype)));
    e.view.data = e.bytes.data();
    return e;
  }

  uint8_t* At(int64_t byte_off) { return e_data() + byte_off; }
  uint8_t* e_data() { return bytes.data() + base; }
};

// Reference inputs: random finite values (multiples of 1/64 for f32, random bytes otherwise)
// written to the strided view over a buffer of 0xFF poison (NaN for f32), then gathered back into
// a dense copy (so aliased elements agree).
inline void FillInput(std::mt19937& rng, Embedded& strided, Embedded& dense) {
  std::fill(strided.bytes.begin(), strided.bytes.end(), uint8_t{0xFF});
  const int32_t es = tgrs_dtype_size(strided.view.dtype);
  const std::vector<int64_t> offs = ElementOffsets(strided.view);
  for (int64_t off : offs) {
    if (strided.view.dtype == TGRS_DTYPE_F32) {
      const float v = static_cast<float>(Rand(rng, -256, 256)) / 64.0f;
      std::memcpy(strided.At(off), &v, 4);
    } else {
      for (int32_t b = 0; b < es; ++b) *strided.At(off + b) = static_cast<uint8_t>(rng());
    }
  }
  if (es == 0) return;  // an operand without element bytes (no dense buffer to copy into)
  for (size_t i = 0; i < offs.size(); ++i)
    std::memcpy(dense.bytes.data() + i * static_cast<size_t>(es), strided.At(offs[i]), static_cast<size_t>(es));
}

inline tgrs_kernel_call_t RawCall(const std::vector<tgrs_tensor_t>& in, const std::vector<tgrs_tensor_t>& out,
                                  const std::vector<uint32_t>& params) {
  tgrs_kernel_call_t c{};
  c.inputs = in.data();
  c.n_inputs = static_cast<int32_t>(in.size());
  c.outputs = out.data();
  c.n_outputs = static_cast<int32_t>(out.size());
  c.params = params.data();
  c.params_size = static_cast<uint32_t>(params.size() * 4);
  return c;
}

inline tgrs_status_t CheckRaw(int op, const std::vector<tgrs_tensor_t>& in, const std::vector<tgrs_tensor_t>& out,
                              const std::vector<uint32_t>& params) {
  tgrs_kernel_call_t c = RawCall(in, out, params);
  c.scratch_size = ScratchBytes(op, c);
  return tgrs_backend_reference.ops[op].check(&c);
}

inline void RunRaw(int op, const std::vector<tgrs_tensor_t>& in, const std::vector<tgrs_tensor_t>& out,
                   const std::vector<uint32_t>& params) {
  tgrs_kernel_call_t c = RawCall(in, out, params);
  c.scratch_size = ScratchBytes(op, c);
  std::vector<float> scratch((c.scratch_size + 3) / 4);
  c.scratch = c.scratch_size ? scratch.data() : nullptr;
  tgrs_backend_reference.ops[op].run(&c);
}

// A view of rows [r0, r0 + rows) along `axis` of `whole` (same strides, shifted data).
inline tgrs_tensor_t SubView(const tgrs_tensor_t& whole, int32_t axis, int32_t r0, int32_t rows) {
  tgrs_tensor_t t = whole;
  t.data = static_cast<uint8_t*>(whole.data) + int64_t{r0} * whole.strides[axis] * tgrs_dtype_size(whole.dtype);
  t.dims[axis] = rows;
  return t;
}

}  // namespace tgrs_test
