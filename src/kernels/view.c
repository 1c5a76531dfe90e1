/* Strided tensor views: dense strides, the row-major multi-operand loop and the strided element
 * copy every reference kernel builds on. Pure index arithmetic; only memmove from libc. */
#include <string.h>

#include "ref_internal.h"

void tgrs_tensor_set_dense(tgrs_tensor_t* t) {
  int64_t s = 1;
  int32_t d;
  const int32_t rank = t->rank < 0 ? 0 : (t->rank > TGRS_VIEW_MAX_RANK ? TGRS_VIEW_MAX_RANK : t->rank);
  for (d = TGRS_VIEW_MAX_RANK - 1; d >= rank; --d) t->strides[d] = 0;
  for (d = rank - 1; d >= 0; --d) {
    t->strides[d] = s > INT32_MAX ? INT32_MAX : (int32_t)s;
    if (s <= INT32_MAX && t->dims[d] > 0) s *= t->dims[d];
  }
}

int tgrs_tensor_is_dense(const tgrs_tensor_t* t) {
  int64_t s = 1;
  int32_t d;
  if (t->rank < 0 || t->rank > TGRS_VIEW_MAX_RANK) return 0;
  for (d = t->rank - 1; d >= 0; --d) {
    if (t->dims[d] != 1 && t->strides[d] != s) return 0;
    if (t->dims[d] > 0 && s <= INT32_MAX) s *= t->dims[d];
  }
  return 1;
}

int tgrs_tensor_is_block(const tgrs_tensor_t* t) {
  int32_t used[TGRS_MAX_RANK] = {0};
  int64_t expect = 1;
  int32_t k, d;
  if (t->rank < 0 || t->rank > TGRS_MAX_RANK) return 0;
  for (k = 0; k < t->rank; ++k) {
    int32_t best = -1;
    for (d = 0; d < t->rank; ++d)
      if (!used[d] && t->dims[d] > 1 && (best < 0 || t->strides[d] < t->strides[best])) best = d;
    if (best < 0) break;
    if ((int64_t)t->strides[best] != expect) return 0;
    used[best] = 1;
    expect *= t->dims[best];
  }
  return 1;
}

void tgrs_loop_init(tgrs_loop_t* l, int32_t rank, const int32_t* dims, const int32_t* s0, const int32_t* s1,
                    const int32_t* s2) {
  const int32_t* src[TGRS_LOOP_MAX_OPS];
  int32_t d, k, r = 0;
  src[0] = s0;
  src[1] = s1;
  src[2] = s2;
  l->n_ops = s2 != NULL ? 3 : (s1 != NULL ? 2 : 1);
  for (d = 0; d < rank; ++d) {
    int merge = r > 0;
    if (dims[d] == 1) continue;
    for (k = 0; k < l->n_ops && merge; ++k)
      merge = (int64_t)l->strides[k][r - 1] == (int64_t)src[k][d] * dims[d];
    if (merge) {
      l->dims[r - 1] *= dims[d];
      for (k = 0; k < l->n_ops; ++k) l->strides[k][r - 1] = src[k][d];
    } else {
      l->dims[r] = dims[d];
      for (k = 0; k < l->n_ops; ++k) l->strides[k][r] = src[k][d];
      ++r;
    }
  }
  if (r == 0) {
    l->dims[0] = 1;
    for (k = 0; k < l->n_ops; ++k) l->strides[k][0] = 0;
    r = 1;
  }
  l->rank = r;
  l->inner = l->dims[r - 1];
  for (k = 0; k < l->n_ops; ++k) l->step[k] = l->strides[k][r - 1];
  tgrs_loop_reset(l);
}

void tgrs_loop_reset(tgrs_loop_t* l) {
  int32_t d, k;
  for (d = 0; d < l->rank; ++d) l->idx[d] = 0;
  for (k = 0; k < TGRS_LOOP_MAX_OPS; ++k) l->off[k] = 0;
}

/* noipa: arm-none-eabi-gcc 12.2 at -O2 (ipa-modref) assumed that this call leaves l->off
 * unchanged in tgrs_copy_elems below, reused the first row's pointers for every row and broke
 * every tiled plan on Cortex-M (docs/target.md); without IPA the callers reload l->off. */
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 8
__attribute__((noipa))
#endif
int tgrs_loop_next(tgrs_loop_t* l) {
  int32_t d, k;
  for (d = l->rank - 2; d >= 0; --d) {
    if (++l->idx[d] < l->dims[d]) {
      for (k = 0; k < l->n_ops; ++k) l->off[k] += l->strides[k][d];
      return 1;
    }
    l->idx[d] = 0;
    for (k = 0; k < l->n_ops; ++k) l->off[k] -= (ptrdiff_t)(l->dims[d] - 1) * l->strides[k][d];
  }
  return 0;
}

tgrs_nchw_t tgrs_nchw_of(const tgrs_tensor_t* t) {
  tgrs_nchw_t v;
  v.n = t->dims[0];
  v.c = t->dims[1];
  v.sn = t->strides[0];
  v.sc = t->strides[1];
  if (t->rank == 4) {
    v.h = t->dims[2];
    v.sh = t->strides[2];
  } else {
    v.h = 1;
    v.sh = 0;
  }
  v.w = t->dims[t->rank - 1];
  v.sw = t->strides[t->rank - 1];
  return v;
}

/* The dims of extent > 1 in the destination's memory order (largest stride first), when the
 * source's strides fall in the same order and that order is not the logical one: then a copy of
 * two channels-last views walks memory forward and merges into long contiguous runs. Visiting
 * the elements in another order copies the same values; an overlapping copy (a line buffer's
 * shift to its start, both views with the same strides) still reads every element before it is
 * overwritten, as it moves to a lower address. Returns the new rank, or 0 to keep the order. */
static int32_t memory_order(int32_t rank, const int32_t* dims, const int32_t* s0, const int32_t* s1, int32_t* od,
                            int32_t* o0, int32_t* o1) {
  int32_t perm[TGRS_VIEW_MAX_RANK];
  int32_t d, k, r = 0, moved = 0;
  if (rank > TGRS_VIEW_MAX_RANK) return 0; /* (a DepthToSpace loop of higher rank keeps its order) */
  for (d = 0; d < rank; ++d) {
    if (dims[d] == 1) continue;
    for (k = r; k > 0 && s0[perm[k - 1]] < s0[d]; --k) perm[k] = perm[k - 1];
    perm[k] = d;
    moved |= k != r;
    ++r;
  }
  if (!moved) return 0;
  for (k = 0; k < r; ++k) {
    if (k > 0 && s1[perm[k]] > s1[perm[k - 1]]) return 0;
    od[k] = dims[perm[k]];
    o0[k] = s0[perm[k]];
    o1[k] = s1[perm[k]];
  }
  return r;
}

void tgrs_copy_elems(void* dst, const int32_t* dst_strides, const void* src, const int32_t* src_strides,
                     int32_t rank, const int32_t* dims, int32_t elem_size) {
  unsigned char* y = (unsigned char*)dst;
  const unsigned char* x = (const unsigned char*)src;
  const ptrdiff_t es = elem_size;
  /* sized by the view rank (the stack bound of a plan-bounded build, docs/runtime.md) */
  int32_t od[TGRS_VIEW_MAX_RANK], o0[TGRS_VIEW_MAX_RANK], o1[TGRS_VIEW_MAX_RANK];
  const int32_t r = memory_order(rank, dims, dst_strides, src_strides, od, o0, o1);
  tgrs_loop_t l;
  int32_t i;
  if (r > 0) {
    tgrs_loop_init(&l, r, od, o0, o1, NULL);
  } else {
    tgrs_loop_init(&l, rank, dims, dst_strides, src_strides, NULL);
  }
  do {
    unsigned char* yr = y + l.off[0] * es;
    const unsigned char* xr = x + l.off[1] * es;
    if (l.step[0] == 1 && l.step[1] == 1) {
      if (yr != xr) memmove(yr, xr, (size_t)l.inner * (size_t)es);
      continue;
    }
    /* constant-size memmoves compile to one load and one store */
    switch (elem_size) {
      case 4:
        for (i = 0; i < l.inner; ++i) memmove(yr + i * l.step[0] * 4, xr + i * l.step[1] * 4, 4);
        break;
      case 1:
        for (i = 0; i < l.inner; ++i) memmove(yr + i * l.step[0], xr + i * l.step[1], 1);
        break;
      case 2:
        for (i = 0; i < l.inner; ++i) memmove(yr + i * l.step[0] * 2, xr + i * l.step[1] * 2, 2);
        break;
      default:
        for (i = 0; i < l.inner; ++i) memmove(yr + i * l.step[0] * es, xr + i * l.step[1] * es, (size_t)es);
        break;
    }
  } while (tgrs_loop_next(&l));
}

/* Taps t in [*lo, *hi) of a window starting at `start` (k taps, dilation d) fall in [0, len);
 * they are contiguous because the position start + t * d grows with t. */
void tgrs_valid_taps(int32_t start, int32_t k, int32_t d, int32_t len, int32_t* lo, int32_t* hi) {
  int32_t a = 0, b;
  if (start < 0) a = (-start + d - 1) / d;
  if (start >= len) {
    b = 0;
  } else {
    b = (len - start + d - 1) / d; /* first t with start + t * d >= len */
    if (b > k) b = k;
  }
  *lo = a;
  *hi = b > a ? b : a;
}

/* Taps of a window starting at `start` (k taps, dilation d) that fall in [lo, hi). */
int32_t tgrs_taps_in_range(int32_t start, int32_t k, int32_t d, int32_t lo, int32_t hi) {
  int32_t t, count = 0;
  for (t = 0; t < k; ++t) {
    const int32_t pos = start + t * d;
    if (pos >= lo && pos < hi) ++count;
  }
  return count;
}

void tgrs_matmul_geom(const tgrs_tensor_t* at, const tgrs_tensor_t* bt, const tgrs_tensor_t* yt, tgrs_matmul_geom_t* g) {
  const int32_t a_rank = at->rank, b_rank = bt->rank;
  const int32_t a_batch_rank = a_rank > 2 ? a_rank - 2 : 0;
  const int32_t b_batch_rank = b_rank > 2 ? b_rank - 2 : 0;
  const int32_t batch_rank = a_batch_rank > b_batch_rank ? a_batch_rank : b_batch_rank;
  int32_t yb[TGRS_MAX_RANK], sa[TGRS_MAX_RANK], sb[TGRS_MAX_RANK], sy[TGRS_MAX_RANK];
  int32_t d;
  g->m = a_rank >= 2 ? at->dims[a_rank - 2] : 1;
  g->k = at->dims[a_rank - 1];
  g->n = b_rank >= 2 ? bt->dims[b_rank - 1] : 1;
  g->a_si = a_rank >= 2 ? at->strides[a_rank - 2] : 0;
  g->a_sk = at->strides[a_rank - 1];
  g->b_sk = b_rank >= 2 ? bt->strides[b_rank - 2] : bt->strides[0];
  g->b_sj = b_rank >= 2 ? bt->strides[b_rank - 1] : 0;
  g->y_si = a_rank >= 2 ? yt->strides[batch_rank] : 0;
  g->y_sj = b_rank >= 2 ? yt->strides[yt->rank - 1] : 0;
  for (d = 0; d < batch_rank; ++d) {
    const int32_t da = d - (batch_rank - a_batch_rank), db = d - (batch_rank - b_batch_rank);
    const int32_t ea = da >= 0 ? at->dims[da] : 1, eb = db >= 0 ? bt->dims[db] : 1;
    yb[d] = ea > eb ? ea : eb;
    sa[d] = ea == 1 ? 0 : at->strides[da];
    sb[d] = eb == 1 ? 0 : bt->strides[db];
    sy[d] = yt->strides[d];
  }
  tgrs_loop_init(&g->batch, batch_rank, yb, sa, sb, sy);
}
