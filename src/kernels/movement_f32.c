/* Reference data movement: Concat, Split, Slice, Transpose, Pad and byte copy.
 * Pure index arithmetic over dims that check() validated; values are copied bit-exactly
 * (no arithmetic on them), and only memmove/memcpy from the C library is used. */
#include <string.h>

#include "tigris/kernels/ref_f32.h"

void tgrs_copy_bytes(void* dst, const void* src, size_t bytes) {
  if (dst != src && bytes > 0) memmove(dst, src, bytes);
}

void tgrs_concat_f32(const float* x, int32_t x_axis, float* y, int32_t y_axis, int32_t axis_offset, int32_t outer,
                     int32_t inner) {
  const ptrdiff_t chunk = (ptrdiff_t)x_axis * inner;
  int32_t o;
  for (o = 0; o < outer; ++o) {
    memcpy(y + ((ptrdiff_t)o * y_axis + axis_offset) * inner, x + (ptrdiff_t)o * chunk, (size_t)chunk * sizeof(float));
  }
}

void tgrs_split_f32(const float* x, int32_t x_axis, float* y, int32_t y_axis, int32_t axis_offset, int32_t outer,
                    int32_t inner) {
  const ptrdiff_t chunk = (ptrdiff_t)y_axis * inner;
  int32_t o;
  for (o = 0; o < outer; ++o) {
    memcpy(y + (ptrdiff_t)o * chunk, x + ((ptrdiff_t)o * x_axis + axis_offset) * inner, (size_t)chunk * sizeof(float));
  }
}

static void row_major_strides(int32_t rank, const int32_t* dims, int32_t* strides) {
  int32_t d, s = 1;
  for (d = rank - 1; d >= 0; --d) {
    strides[d] = s;
    s *= dims[d];
  }
}

static int32_t element_count(int32_t rank, const int32_t* dims) {
  int32_t d, n = 1;
  for (d = 0; d < rank; ++d) n *= dims[d];
  return n;
}

void tgrs_slice_f32(const float* x, int32_t rank, const int32_t* x_dims, const int32_t* start, const int32_t* step,
                    float* y, const int32_t* y_dims) {
  int32_t xs[TGRS_MAX_RANK], idx[TGRS_MAX_RANK];
  int32_t d, i;
  const int32_t total = element_count(rank, y_dims);
  row_major_strides(rank, x_dims, xs);
  for (d = 0; d < rank; ++d) idx[d] = 0;
  for (i = 0; i < total; ++i) {
    ptrdiff_t off = 0;
    for (d = 0; d < rank; ++d) off += ((ptrdiff_t)start[d] + (ptrdiff_t)idx[d] * step[d]) * xs[d];
    y[i] = x[off];
    for (d = rank - 1; d >= 0; --d) {
      if (++idx[d] < y_dims[d]) break;
      idx[d] = 0;
    }
  }
}

void tgrs_transpose_f32(const float* x, int32_t rank, const int32_t* x_dims, const int32_t* perm, float* y) {
  int32_t xs[TGRS_MAX_RANK], ys_dims[TGRS_MAX_RANK], src_stride[TGRS_MAX_RANK], idx[TGRS_MAX_RANK];
  int32_t d, i;
  const int32_t total = element_count(rank, x_dims);
  row_major_strides(rank, x_dims, xs);
  for (d = 0; d < rank; ++d) {
    ys_dims[d] = x_dims[perm[d]];
    src_stride[d] = xs[perm[d]];
    idx[d] = 0;
  }
  for (i = 0; i < total; ++i) {
    ptrdiff_t off = 0;
    for (d = 0; d < rank; ++d) off += (ptrdiff_t)idx[d] * src_stride[d];
    y[i] = x[off];
    for (d = rank - 1; d >= 0; --d) {
      if (++idx[d] < ys_dims[d]) break;
      idx[d] = 0;
    }
  }
}

/* Maps position j (relative to the start of the kept input range of length len) to an index in
 * [0, len), or -1 for constant padding. */
static int32_t pad_source(int32_t j, int32_t len, int32_t mode) {
  if (j >= 0 && j < len) return j;
  switch (mode) {
    case TGRS_PAD_EDGE:
      return j < 0 ? 0 : len - 1;
    case TGRS_PAD_WRAP: {
      int32_t r = j % len;
      return r < 0 ? r + len : r;
    }
    case TGRS_PAD_REFLECT: {
      const int32_t period = 2 * (len - 1);
      int32_t r;
      if (period == 0) return 0;
      r = j % period;
      if (r < 0) r += period;
      return r < len ? r : period - r;
    }
    default:
      return -1;
  }
}

void tgrs_pad_f32(const float* x, int32_t rank, const int32_t* x_dims, float* y, const int32_t* y_dims,
                  const tgrs_pad_params_t* p) {
  int32_t xs[TGRS_MAX_RANK], idx[TGRS_MAX_RANK], crop[TGRS_MAX_RANK], lead[TGRS_MAX_RANK], len[TGRS_MAX_RANK];
  int32_t d, i;
  const int32_t total = element_count(rank, y_dims);
  row_major_strides(rank, x_dims, xs);
  for (d = 0; d < rank; ++d) {
    const int32_t pb = p->pad_begin[d];
    const int32_t pe = y_dims[d] - x_dims[d] - pb;
    crop[d] = pb < 0 ? -pb : 0;
    lead[d] = pb > 0 ? pb : 0;
    len[d] = x_dims[d] - crop[d] - (pe < 0 ? -pe : 0);
    idx[d] = 0;
  }
  for (i = 0; i < total; ++i) {
    ptrdiff_t off = 0;
    int32_t outside = 0;
    for (d = 0; d < rank; ++d) {
      const int32_t s = pad_source(idx[d] - lead[d], len[d], p->mode);
      if (s < 0) {
        outside = 1;
        break;
      }
      off += (ptrdiff_t)(crop[d] + s) * xs[d];
    }
    y[i] = outside ? p->value : x[off];
    for (d = rank - 1; d >= 0; --d) {
      if (++idx[d] < y_dims[d]) break;
      idx[d] = 0;
    }
  }
}
