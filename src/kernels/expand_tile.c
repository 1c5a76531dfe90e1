/* Reference Expand (broadcast to a shape) and Tile (repeat along every dim) over strided views,
 * for any element size: values are copied bit for bit, each output element from the one input
 * element it names, so any sub-range of the output is exact. Only memmove/memcpy from libc. */
#include <string.h>

#include "ref_internal.h"
#include "tigris/kernels/ref_f32.h"

void tgrs_expand(const tgrs_tensor_t* xt, const tgrs_tensor_t* yt) {
  int32_t sx[TGRS_MAX_RANK];
  int32_t d;
  /* x aligned right to y's rank; a broadcast dim (extent 1 in x) reads its one element */
  for (d = 0; d < yt->rank; ++d) {
    const int32_t src = d - (yt->rank - xt->rank);
    sx[d] = (src < 0 || xt->dims[src] == 1) ? 0 : xt->strides[src];
  }
  tgrs_copy_elems(yt->data, yt->strides, xt->data, sx, yt->rank, yt->dims, tgrs_dtype_size(yt->dtype));
}

void tgrs_tile(const tgrs_tensor_t* xt, const tgrs_tensor_t* yt) {
  /* The output is a grid of copies of x: block (b_0, ..., b_{r-1}) starts at output index
   * b_d * x.dims[d] per dim. Walk the blocks in row-major order and copy x into each one. */
  const int32_t rank = yt->rank;
  const int32_t es = tgrs_dtype_size(yt->dtype);
  int32_t blocks[TGRS_MAX_RANK], b[TGRS_MAX_RANK];
  int32_t d;
  for (d = 0; d < rank; ++d) {
    blocks[d] = yt->dims[d] / xt->dims[d];
    b[d] = 0;
  }
  for (;;) {
    ptrdiff_t off = 0;
    for (d = 0; d < rank; ++d) off += (ptrdiff_t)b[d] * xt->dims[d] * yt->strides[d];
    tgrs_copy_elems((unsigned char*)yt->data + off * es, yt->strides, xt->data, xt->strides, rank, xt->dims,
                    es);
    for (d = rank - 1; d >= 0; --d) {
      if (++b[d] < blocks[d]) break;
      b[d] = 0;
    }
    if (d < 0) return;
  }
}
