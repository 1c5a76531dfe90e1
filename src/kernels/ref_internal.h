/* Internal helpers of the reference kernels (not installed): a row-major loop over up to three
 * strided views sharing one index space, NCHW views, and a strided element copy. Every loop
 * visits elements in row-major order of the index space, so accumulation orders stay fixed. */
#ifndef TIGRIS_SRC_KERNELS_REF_INTERNAL_H
#define TIGRIS_SRC_KERNELS_REF_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "tigris/kernels/tgrs_params.h"
#include "tigris/kernels/tgrs_types.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TGRS_LOOP_MAX_OPS 3

/* Row-major walk over an index space of `rank` dims shared by up to three operands, each with
 * its own element strides (any sign). Extent-1 dims are dropped and adjacent dims that every
 * operand addresses contiguously (stride[d] == stride[d+1] * dims[d+1]) are merged; neither
 * changes the visiting order. Use:
 *   tgrs_loop_init(&l, rank, dims, sa, sb, NULL);
 *   do { for (i = 0; i < l.inner; ++i) use(a[l.off[0] + i * l.step[0]], ...); }
 *   while (tgrs_loop_next(&l));                                                           */
/* A loop walks a view's dims or, for DepthToSpace/SpaceToDepth, a 6-D split of a 4-D one. */
#define TGRS_LOOP_MAX_RANK (TGRS_VIEW_MAX_RANK > 6 ? TGRS_VIEW_MAX_RANK : 6)
typedef struct {
  int32_t rank; /* >= 1 after init */
  int32_t n_ops;
  int32_t dims[TGRS_LOOP_MAX_RANK];
  int32_t strides[TGRS_LOOP_MAX_OPS][TGRS_LOOP_MAX_RANK];
  int32_t idx[TGRS_LOOP_MAX_RANK];
  ptrdiff_t off[TGRS_LOOP_MAX_OPS]; /* element offset of the current row's first element */
  int32_t inner;                    /* length of a row (dims[rank - 1]) */
  ptrdiff_t step[TGRS_LOOP_MAX_OPS]; /* stride along a row */
} tgrs_loop_t;

/* s1 and s2 may be NULL (fewer operands). rank may be 0 (one element). */
void tgrs_loop_init(tgrs_loop_t* l, int32_t rank, const int32_t* dims, const int32_t* s0, const int32_t* s1,
                    const int32_t* s2);
/* Back to the first row. */
void tgrs_loop_reset(tgrs_loop_t* l);
/* Moves to the next row; returns 0 (and leaves the loop at its end) after the last one. */
int tgrs_loop_next(tgrs_loop_t* l);

/* A rank-3 (N, C, W) or rank-4 (N, C, H, W) view with its element strides; rank 3 has h = 1. */
typedef struct {
  int32_t n, c, h, w;
  ptrdiff_t sn, sc, sh, sw;
} tgrs_nchw_t;

tgrs_nchw_t tgrs_nchw_of(const tgrs_tensor_t* t);

/* Copies `rank`/`dims` elements of `elem_size` bytes from src (element strides src_strides, any
 * sign) to dst (dst_strides) in row-major order of the index space, row by row with memmove.
 * When dst and src lie in one buffer with the same strides, dst starts at a lower address and
 * the view's row-major order is increasing-address order, every element is read before any
 * write reaches it (see tgrs_copy_view in ref_f32.h). */
void tgrs_copy_elems(void* dst, const int32_t* dst_strides, const void* src, const int32_t* src_strides,
                     int32_t rank, const int32_t* dims, int32_t elem_size);

/* MatMul with numpy semantics (1-D operands promoted, batch dims broadcast), f32 and int8:
 * the [M, K] x [K, N] shape, the element strides of A[i, k], B[k, j] and Y[i, j] inside one
 * batch, and a loop over the broadcast batch dims whose offsets are A's, B's and Y's. */
typedef struct {
  int32_t m, k, n;
  ptrdiff_t a_si, a_sk, b_sk, b_sj, y_si, y_sj;
  tgrs_loop_t batch;
} tgrs_matmul_geom_t;
void tgrs_matmul_geom(const tgrs_tensor_t* at, const tgrs_tensor_t* bt, const tgrs_tensor_t* yt, tgrs_matmul_geom_t* g);

/* Concat, Split, Slice and Transpose for any element size `es` in bytes (movement_f32.c): the
 * f32 and int8 kernels are these with es = 4 and 1. tgrs_pad_source maps position j relative to
 * the kept input range [0, len) to a source index for a tgrs_pad_mode_t, -1 for the constant. */
void tgrs_concat_elems(const tgrs_tensor_t* xs, int32_t n, const tgrs_tensor_t* y, int32_t axis, int32_t es);
void tgrs_split_elems(const tgrs_tensor_t* x, const tgrs_tensor_t* ys, int32_t n, int32_t axis, int32_t es);
void tgrs_slice_elems(const tgrs_tensor_t* x, const tgrs_tensor_t* y, const tgrs_slice_params_t* p, int32_t es);
void tgrs_transpose_elems(const tgrs_tensor_t* x, const tgrs_tensor_t* y, const int32_t* perm, int32_t es);
void tgrs_pad_elems(const tgrs_tensor_t* xt, const tgrs_tensor_t* yt, const int32_t* pad_begin, int32_t mode,
                    const void* value, int32_t es);
int32_t tgrs_pad_source(int32_t j, int32_t len, int32_t mode);

/* Window taps along one axis (Conv, pools, f32 and int8): the taps t in [*lo, *hi) of a window
 * starting at `start` (k taps, dilation d) that fall in [0, len) -- contiguous in t -- and the
 * number of taps that fall in [lo, hi). */
void tgrs_valid_taps(int32_t start, int32_t k, int32_t d, int32_t len, int32_t* lo, int32_t* hi);
int32_t tgrs_taps_in_range(int32_t start, int32_t k, int32_t d, int32_t lo, int32_t hi);

#ifdef __cplusplus
}
#endif
#endif
