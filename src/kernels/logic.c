/* Reference comparisons (Equal, Less, Greater, LessOrEqual, GreaterOrEqual), the logical ops on
 * bool tensors (And, Or, Xor, Not) and Where, over strided views with numpy broadcasting.
 * Bool tensors are one byte per element; any nonzero byte reads as true and results are written
 * as 0 or 1. Each output element depends only on its own inputs, so any sub-range of the output
 * is bit-identical to the whole call. No libm. */
#include <string.h>

#include "ref_internal.h"
#include "tigris/kernels/ref_f32.h"

/* Strides of an operand aligned right to y's rank; 0 on broadcast (extent 1) and missing dims. */
static void aligned_strides(const tgrs_tensor_t* t, const tgrs_tensor_t* y, int32_t* strides) {
  int32_t d;
  for (d = 0; d < y->rank; ++d) {
    const int32_t src = d - (y->rank - t->rank);
    strides[d] = (src < 0 || t->dims[src] == 1) ? 0 : t->strides[src];
  }
}

/* One comparison on two values of any ordered type. */
#define TGRS_COMPARE_(op, a, b)                   \
  ((op) == TGRS_COMPARE_EQUAL        ? (a) == (b) \
   : (op) == TGRS_COMPARE_LESS       ? (a) < (b)  \
   : (op) == TGRS_COMPARE_GREATER    ? (a) > (b)  \
   : (op) == TGRS_COMPARE_LESS_EQUAL ? (a) <= (b) \
                                     : (a) >= (b))

/* The row loop of a comparison for element type T (converted through `load`). */
#define TGRS_COMPARE_ROW_(T, load)                                        \
  do {                                                                    \
    const T* ar = (const T*)at->data + l.off[0];                          \
    const T* br = (const T*)bt->data + l.off[1];                          \
    for (i = 0; i < l.inner; ++i) {                                       \
      const T va = load(ar[i * l.step[0]]), vb = load(br[i * l.step[1]]); \
      yr[i * l.step[2]] = (uint8_t)(TGRS_COMPARE_(op, va, vb) ? 1 : 0);   \
    }                                                                     \
  } while (0)

#define TGRS_AS_IS_(v) (v)
#define TGRS_AS_BOOL_(v) ((uint8_t)((v) != 0))

void tgrs_compare(int32_t op, const tgrs_tensor_t* at, const tgrs_tensor_t* bt, const tgrs_tensor_t* yt) {
  int32_t sa[TGRS_MAX_RANK], sb[TGRS_MAX_RANK];
  tgrs_loop_t l;
  int32_t i;
  aligned_strides(at, yt, sa);
  aligned_strides(bt, yt, sb);
  tgrs_loop_init(&l, yt->rank, yt->dims, sa, sb, yt->strides);
  do {
    uint8_t* yr = (uint8_t*)yt->data + l.off[2];
    switch (at->dtype) {
      case TGRS_DTYPE_F32:
        TGRS_COMPARE_ROW_(float, TGRS_AS_IS_);
        break;
      case TGRS_DTYPE_I32:
        TGRS_COMPARE_ROW_(int32_t, TGRS_AS_IS_);
        break;
      case TGRS_DTYPE_I64:
        TGRS_COMPARE_ROW_(int64_t, TGRS_AS_IS_);
        break;
      default:
        TGRS_COMPARE_ROW_(uint8_t, TGRS_AS_BOOL_);
        break; /* bool */
    }
  } while (tgrs_loop_next(&l));
}

void tgrs_logical(int32_t op, const tgrs_tensor_t* at, const tgrs_tensor_t* bt, const tgrs_tensor_t* yt) {
  const uint8_t* a = (const uint8_t*)at->data;
  const uint8_t* b = (const uint8_t*)bt->data;
  uint8_t* y = (uint8_t*)yt->data;
  int32_t sa[TGRS_MAX_RANK], sb[TGRS_MAX_RANK];
  tgrs_loop_t l;
  int32_t i;
  aligned_strides(at, yt, sa);
  aligned_strides(bt, yt, sb);
  tgrs_loop_init(&l, yt->rank, yt->dims, sa, sb, yt->strides);
  do {
    const uint8_t* ar = a + l.off[0];
    const uint8_t* br = b + l.off[1];
    uint8_t* yr = y + l.off[2];
    for (i = 0; i < l.inner; ++i) {
      const int va = ar[i * l.step[0]] != 0, vb = br[i * l.step[1]] != 0;
      const int r = op == TGRS_LOGICAL_AND ? (va && vb) : op == TGRS_LOGICAL_OR ? (va || vb) : (va != vb);
      yr[i * l.step[2]] = (uint8_t)r;
    }
  } while (tgrs_loop_next(&l));
}

void tgrs_logical_not(const tgrs_tensor_t* xt, const tgrs_tensor_t* yt) {
  const uint8_t* x = (const uint8_t*)xt->data;
  uint8_t* y = (uint8_t*)yt->data;
  tgrs_loop_t l;
  int32_t i;
  tgrs_loop_init(&l, xt->rank, xt->dims, xt->strides, yt->strides, NULL);
  do {
    const uint8_t* xr = x + l.off[0];
    uint8_t* yr = y + l.off[1];
    for (i = 0; i < l.inner; ++i) yr[i * l.step[1]] = (uint8_t)(xr[i * l.step[0]] == 0);
  } while (tgrs_loop_next(&l));
}

/* Copies the elements of `src` (broadcast to y) into y where cond is `want` (1: true, 0: false). */
static void where_pass(const tgrs_tensor_t* ct, const tgrs_tensor_t* st, const tgrs_tensor_t* yt, int want) {
  const uint8_t* c = (const uint8_t*)ct->data;
  const unsigned char* s = (const unsigned char*)st->data;
  unsigned char* y = (unsigned char*)yt->data;
  const ptrdiff_t es = tgrs_dtype_size(yt->dtype);
  int32_t sc[TGRS_MAX_RANK], ss[TGRS_MAX_RANK];
  tgrs_loop_t l;
  int32_t i;
  aligned_strides(ct, yt, sc);
  aligned_strides(st, yt, ss);
  tgrs_loop_init(&l, yt->rank, yt->dims, sc, ss, yt->strides);
  do {
    const uint8_t* cr = c + l.off[0];
    const unsigned char* sr = s + l.off[1] * es;
    unsigned char* yr = y + l.off[2] * es;
    for (i = 0; i < l.inner; ++i) {
      if ((cr[i * l.step[0]] != 0) != want) continue;
      /* constant-size copies compile to one load and one store */
      switch (es) {
        case 4:
          memcpy(yr + i * l.step[2] * 4, sr + i * l.step[1] * 4, 4);
          break;
        case 8:
          memcpy(yr + i * l.step[2] * 8, sr + i * l.step[1] * 8, 8);
          break;
        case 1:
          yr[i * l.step[2]] = sr[i * l.step[1]];
          break;
        default:
          memcpy(yr + i * l.step[2] * es, sr + i * l.step[1] * es, (size_t)es);
          break;
      }
    }
  } while (tgrs_loop_next(&l));
}

void tgrs_where(const tgrs_tensor_t* cond, const tgrs_tensor_t* x, const tgrs_tensor_t* z,
                const tgrs_tensor_t* y) {
  /* every output element is written exactly once: from x where cond holds, from z elsewhere */
  where_pass(cond, x, y, 1);
  where_pass(cond, z, y, 0);
}
