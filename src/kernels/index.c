/* Reference index and data-movement kernels of any element type (Gather, GatherElements,
 * DepthToSpace, SpaceToDepth) over strided views. Values are moved as bytes (memmove / memset
 * only); indices are read as int32 or int64 without assuming their alignment. */
#include <string.h>

#include "tigris/kernels/ref_index.h"
#include "ref_internal.h"

/* Index element `off` (in elements) of an int32 or int64 view. */
static int64_t read_index(const tgrs_tensor_t* idx, ptrdiff_t off) {
  const unsigned char* p = (const unsigned char*)idx->data;
  if (idx->dtype == TGRS_DTYPE_I64) {
    int64_t v;
    memcpy(&v, p + off * 8, 8);
    return v;
  } else {
    int32_t v;
    memcpy(&v, p + off * 4, 4);
    return v;
  }
}

/* An index normalized into [0, len), or -1 when it is outside [-len, len). */
static int64_t normalize_index(int64_t v, int32_t len) {
  if (v < 0) v += len;
  return v >= 0 && v < len ? v : -1;
}

/* Zero bytes into every element of a view (rank/dims/strides given), element size es. */
static void zero_elems(unsigned char* dst, const int32_t* strides, int32_t rank, const int32_t* dims, int32_t es) {
  tgrs_loop_t l;
  int32_t i;
  tgrs_loop_init(&l, rank, dims, strides, NULL, NULL);
  do {
    for (i = 0; i < l.inner; ++i) memset(dst + (l.off[0] + i * l.step[0]) * es, 0, (size_t)es);
  } while (tgrs_loop_next(&l));
}

void tgrs_gather(const tgrs_tensor_t* xt, const tgrs_tensor_t* it, const tgrs_tensor_t* yt, int32_t axis) {
  const unsigned char* x = (const unsigned char*)xt->data;
  unsigned char* y = (unsigned char*)yt->data;
  const int32_t es = tgrs_dtype_size(xt->dtype), q = it->rank, len = xt->dims[axis];
  const int32_t post_rank = xt->rank - axis - 1;
  /* the outer index space: x's dims before the axis, then the index dims */
  /* axis + q <= y's rank <= TGRS_VIEW_MAX_RANK */
  int32_t odims[TGRS_VIEW_MAX_RANK], oi[TGRS_VIEW_MAX_RANK], ox[TGRS_VIEW_MAX_RANK], oy[TGRS_VIEW_MAX_RANK];
  int32_t idx[TGRS_VIEW_MAX_RANK];
  const int32_t* post_dims = xt->dims + axis + 1;
  const int32_t* post_x = xt->strides + axis + 1;
  const int32_t* post_y = yt->strides + axis + q;
  ptrdiff_t off_x = 0, off_i = 0, off_y = 0;
  int32_t d, rank = 0, k;
  for (d = 0; d < axis; ++d) {
    odims[rank] = xt->dims[d];
    ox[rank] = xt->strides[d];
    oi[rank] = 0;
    oy[rank] = yt->strides[d];
    ++rank;
  }
  for (d = 0; d < q; ++d) {
    odims[rank] = it->dims[d];
    ox[rank] = 0;
    oi[rank] = it->strides[d];
    oy[rank] = yt->strides[axis + d];
    ++rank;
  }
  for (d = 0; d < rank; ++d) idx[d] = 0;
  for (;;) {
    const int64_t j = normalize_index(read_index(it, off_i), len);
    unsigned char* dst = y + off_y * es;
    if (j < 0) {
      zero_elems(dst, post_y, post_rank, post_dims, es);
    } else {
      tgrs_copy_elems(dst, post_y, x + (off_x + (ptrdiff_t)j * xt->strides[axis]) * es, post_x, post_rank, post_dims,
                      es);
    }
    for (k = rank - 1; k >= 0; --k) {
      if (++idx[k] < odims[k]) {
        off_x += ox[k];
        off_i += oi[k];
        off_y += oy[k];
        break;
      }
      idx[k] = 0;
      off_x -= (ptrdiff_t)(odims[k] - 1) * ox[k];
      off_i -= (ptrdiff_t)(odims[k] - 1) * oi[k];
      off_y -= (ptrdiff_t)(odims[k] - 1) * oy[k];
    }
    if (k < 0) break;
  }
}

void tgrs_gather_elements(const tgrs_tensor_t* xt, const tgrs_tensor_t* it, const tgrs_tensor_t* yt, int32_t axis) {
  const unsigned char* x = (const unsigned char*)xt->data;
  unsigned char* y = (unsigned char*)yt->data;
  const int32_t es = tgrs_dtype_size(xt->dtype), len = xt->dims[axis];
  const ptrdiff_t sa = xt->strides[axis];
  int32_t sx[TGRS_MAX_RANK];
  tgrs_loop_t l;
  int32_t d, i;
  /* x's offset follows the index space off the axis; along it the index decides */
  for (d = 0; d < xt->rank; ++d) sx[d] = d == axis ? 0 : xt->strides[d];
  tgrs_loop_init(&l, it->rank, it->dims, it->strides, yt->strides, sx);
  do {
    for (i = 0; i < l.inner; ++i) {
      const int64_t j = normalize_index(read_index(it, l.off[0] + i * l.step[0]), len);
      unsigned char* dst = y + (l.off[1] + i * l.step[1]) * es;
      if (j < 0) {
        memset(dst, 0, (size_t)es);
      } else {
        memmove(dst, x + (l.off[2] + i * l.step[2] + (ptrdiff_t)j * sa) * es, (size_t)es);
      }
    }
  } while (tgrs_loop_next(&l));
}

/* Both ops are one strided copy over a rank-6 index space in y's row-major order:
 * DepthToSpace [N, C', H, b_i, W, b_j], SpaceToDepth [N, b_i, b_j, C, H', W']. */
void tgrs_depth_to_space(const tgrs_tensor_t* xt, const tgrs_tensor_t* yt, const tgrs_depth_space_params_t* p) {
  const int32_t b = p->blocksize, c_out = yt->dims[1];
  const int32_t dims[6] = {yt->dims[0], c_out, xt->dims[2], b, xt->dims[3], b};
  const int32_t sc = xt->strides[1];
  int32_t sx[6], sy[6];
  sx[0] = xt->strides[0];
  sx[2] = xt->strides[2];
  sx[4] = xt->strides[3];
  if (p->mode == TGRS_DEPTH_SPACE_CRD) {
    sx[1] = b * b * sc;
    sx[3] = b * sc;
    sx[5] = sc;
  } else {
    sx[1] = sc;
    sx[3] = b * c_out * sc;
    sx[5] = c_out * sc;
  }
  sy[0] = yt->strides[0];
  sy[1] = yt->strides[1];
  sy[2] = b * yt->strides[2];
  sy[3] = yt->strides[2];
  sy[4] = b * yt->strides[3];
  sy[5] = yt->strides[3];
  tgrs_copy_elems(yt->data, sy, xt->data, sx, 6, dims, tgrs_dtype_size(xt->dtype));
}

void tgrs_space_to_depth(const tgrs_tensor_t* xt, const tgrs_tensor_t* yt, const tgrs_depth_space_params_t* p) {
  const int32_t b = p->blocksize, c = xt->dims[1];
  const int32_t dims[6] = {xt->dims[0], b, b, c, yt->dims[2], yt->dims[3]};
  const int32_t sc = yt->strides[1];
  int32_t sx[6], sy[6];
  sy[0] = yt->strides[0];
  sy[1] = b * c * sc;
  sy[2] = c * sc;
  sy[3] = sc;
  sy[4] = yt->strides[2];
  sy[5] = yt->strides[3];
  sx[0] = xt->strides[0];
  sx[1] = xt->strides[2];
  sx[2] = xt->strides[3];
  sx[3] = xt->strides[1];
  sx[4] = b * xt->strides[2];
  sx[5] = b * xt->strides[3];
  tgrs_copy_elems(yt->data, sy, xt->data, sx, 6, dims, tgrs_dtype_size(xt->dtype));
}
