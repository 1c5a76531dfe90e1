/* Reference data movement over strided views: Concat, Split, Slice, Transpose, Pad and Copy.
 * Pure index arithmetic over dims that check() validated; values are copied bit-exactly
 * (no arithmetic on them), and only memmove from the C library is used. */
#include <string.h>

#include "tigris/kernels/ref_f32.h"
#include "ref_internal.h"

void tgrs_copy_bytes(void* dst, const void* src, size_t bytes) {
  if (dst != src && bytes > 0) memmove(dst, src, bytes);
}

void tgrs_copy_view(const tgrs_tensor_t* x, const tgrs_tensor_t* y) {
  tgrs_copy_elems(y->data, y->strides, x->data, x->strides, x->rank, x->dims, tgrs_dtype_size(x->dtype));
}

/* The movers below for any element size `es` (bytes): the f32 and the int8 tables share them. */
void tgrs_concat_elems(const tgrs_tensor_t* xs, int32_t n, const tgrs_tensor_t* y, int32_t axis, int32_t es) {
  unsigned char* yd = (unsigned char*)y->data;
  ptrdiff_t at = 0;
  int32_t i;
  for (i = 0; i < n; ++i) {
    const tgrs_tensor_t* x = &xs[i];
    /* x goes to y's window starting at `at` along axis */
    tgrs_copy_elems(yd + at * y->strides[axis] * es, y->strides, x->data, x->strides, x->rank, x->dims, es);
    at += x->dims[axis];
  }
}

void tgrs_split_elems(const tgrs_tensor_t* x, const tgrs_tensor_t* ys, int32_t n, int32_t axis, int32_t es) {
  const unsigned char* xd = (const unsigned char*)x->data;
  ptrdiff_t at = 0;
  int32_t i;
  for (i = 0; i < n; ++i) {
    const tgrs_tensor_t* y = &ys[i];
    tgrs_copy_elems(y->data, y->strides, xd + at * x->strides[axis] * es, x->strides, y->rank, y->dims, es);
    at += y->dims[axis];
  }
}

void tgrs_slice_elems(const tgrs_tensor_t* x, const tgrs_tensor_t* y, const tgrs_slice_params_t* p, int32_t es) {
  /* the slice is a view of x: first element at start, strides step * x.strides (any sign) */
  int32_t src_strides[TGRS_MAX_RANK];
  ptrdiff_t first = 0;
  int32_t d;
  for (d = 0; d < x->rank; ++d) {
    first += (ptrdiff_t)p->start[d] * x->strides[d];
    /* |step| < x.dims[d] when y.dims[d] > 1 (check()), so the product stays within the span */
    src_strides[d] = y->dims[d] == 1 ? 0 : p->step[d] * x->strides[d];
  }
  tgrs_copy_elems(y->data, y->strides, (const unsigned char*)x->data + first * es, src_strides, y->rank, y->dims, es);
}

void tgrs_transpose_elems(const tgrs_tensor_t* x, const tgrs_tensor_t* y, const int32_t* perm, int32_t es) {
  int32_t src_strides[TGRS_MAX_RANK];
  int32_t d;
  for (d = 0; d < y->rank; ++d) src_strides[d] = x->strides[perm[d]];
  tgrs_copy_elems(y->data, y->strides, x->data, src_strides, y->rank, y->dims, es);
}

void tgrs_concat_f32(const tgrs_tensor_t* xs, int32_t n, const tgrs_tensor_t* y, int32_t axis) {
  tgrs_concat_elems(xs, n, y, axis, 4);
}

void tgrs_split_f32(const tgrs_tensor_t* x, const tgrs_tensor_t* ys, int32_t n, int32_t axis) {
  tgrs_split_elems(x, ys, n, axis, 4);
}

void tgrs_slice_f32(const tgrs_tensor_t* x, const tgrs_tensor_t* y, const tgrs_slice_params_t* p) {
  tgrs_slice_elems(x, y, p, 4);
}

void tgrs_transpose_f32(const tgrs_tensor_t* x, const tgrs_tensor_t* y, const int32_t* perm) {
  tgrs_transpose_elems(x, y, perm, 4);
}

/* Maps position j (relative to the start of the kept input range of length len) to an index in
 * [0, len), or -1 for constant padding. */
int32_t tgrs_pad_source(int32_t j, int32_t len, int32_t mode) {
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

/* Pad of `es`-byte elements (the float and int8 kernels' one loop): each element of y is x's at
 * the mode's source index, or the `es` bytes at `value` outside it. */
void tgrs_pad_elems(const tgrs_tensor_t* xt, const tgrs_tensor_t* yt, const int32_t* pad_begin, int32_t mode,
                    const void* value, int32_t es) {
  const unsigned char* x = (const unsigned char*)xt->data;
  unsigned char* y = (unsigned char*)yt->data;
  const int32_t rank = yt->rank;
  int32_t idx[TGRS_MAX_RANK], crop[TGRS_MAX_RANK], lead[TGRS_MAX_RANK], len[TGRS_MAX_RANK];
  int32_t d, j;
  if (rank == 0) {
    memcpy(y, x, (size_t)es);
    return;
  }
  for (d = 0; d < rank; ++d) {
    const int32_t pb = pad_begin[d];
    const int32_t pe = yt->dims[d] - xt->dims[d] - pb;
    crop[d] = pb < 0 ? -pb : 0;
    lead[d] = pb > 0 ? pb : 0;
    len[d] = xt->dims[d] - crop[d] - (pe < 0 ? -pe : 0);
    idx[d] = 0;
  }
  /* row by row over the outer dims of y; the last dim inside (offsets in elements, times es) */
  for (;;) {
    const int32_t last = rank - 1;
    const ptrdiff_t sxl = xt->strides[last], syl = yt->strides[last];
    ptrdiff_t xoff = 0, yoff = 0;
    int32_t outside = 0;
    for (d = 0; d < last; ++d) {
      const int32_t s = tgrs_pad_source(idx[d] - lead[d], len[d], mode);
      yoff += (ptrdiff_t)idx[d] * yt->strides[d];
      if (s < 0) {
        outside = 1;
      } else {
        xoff += (ptrdiff_t)(crop[d] + s) * xt->strides[d];
      }
    }
    xoff += (ptrdiff_t)crop[last] * sxl;
    for (j = 0; j < yt->dims[last]; ++j) {
      const int32_t s = outside ? -1 : tgrs_pad_source(j - lead[last], len[last], mode);
      memcpy(y + (yoff + j * syl) * es, s < 0 ? value : (const void*)(x + (xoff + s * sxl) * es), (size_t)es);
    }
    for (d = last - 1; d >= 0; --d) {
      if (++idx[d] < yt->dims[d]) break;
      idx[d] = 0;
    }
    if (d < 0) break;
  }
}

void tgrs_pad_f32(const tgrs_tensor_t* xt, const tgrs_tensor_t* yt, const tgrs_pad_params_t* p) {
  tgrs_pad_elems(xt, yt, p->pad_begin, p->mode, &p->value, (int32_t)sizeof(float));
}
