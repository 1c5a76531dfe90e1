/* Reference Cast between float32, int32, int64 and bool over strided views, with onnxruntime's
 * results on x86-64 made explicit (C leaves out-of-range float -> integer conversions undefined):
 * truncation toward zero; NaN and values outside the integer range give the integer minimum
 * (what cvttss2si returns); int64 -> int32 keeps the low 32 bits; integer -> float rounds to
 * nearest; any -> bool is value != 0; bool (any nonzero byte) -> any is 1 or 0. No libm. */
#include <string.h>

#include "ref_internal.h"
#include "tigris/kernels/ref_f32.h"

/* One value of any of the four dtypes, widened without loss: integers (and bool) in i, floats
 * in f. */
typedef struct {
  int is_float;
  float f;
  int64_t i;
} cast_value_t;

static cast_value_t load_value(const unsigned char* p, int32_t dtype) {
  cast_value_t v;
  v.is_float = 0;
  v.f = 0.0f;
  v.i = 0;
  switch (dtype) {
    case TGRS_DTYPE_F32:
      v.is_float = 1;
      memcpy(&v.f, p, 4);
      break;
    case TGRS_DTYPE_I32: {
      int32_t x;
      memcpy(&x, p, 4);
      v.i = x;
      break;
    }
    case TGRS_DTYPE_I64:
      memcpy(&v.i, p, 8);
      break;
    default:
      v.i = *p != 0;
      break; /* bool */
  }
  return v;
}

/* float -> int32 as cvttss2si: in range truncates, otherwise (NaN included) INT32_MIN. */
static int32_t f32_to_i32(float f) {
  if (f >= -2147483648.0f && f < 2147483648.0f) return (int32_t)f;
  return INT32_MIN;
}

static int64_t f32_to_i64(float f) {
  if (f >= -9223372036854775808.0f && f < 9223372036854775808.0f) return (int64_t)f;
  return INT64_MIN;
}

/* The low 32 bits of v as a signed value (two's complement wrap, without implementation-defined
 * conversions). */
static int32_t low_i32(int64_t v) {
  const uint32_t u = (uint32_t)((uint64_t)v & 0xFFFFFFFFu);
  return u <= (uint32_t)INT32_MAX ? (int32_t)u : -(int32_t)(~u) - 1;
}

static void store_value(unsigned char* p, int32_t dtype, cast_value_t v) {
  switch (dtype) {
    case TGRS_DTYPE_F32: {
      const float f = v.is_float ? v.f : (float)v.i;
      memcpy(p, &f, 4);
      break;
    }
    case TGRS_DTYPE_I32: {
      const int32_t x = v.is_float ? f32_to_i32(v.f) : low_i32(v.i);
      memcpy(p, &x, 4);
      break;
    }
    case TGRS_DTYPE_I64: {
      const int64_t x = v.is_float ? f32_to_i64(v.f) : v.i;
      memcpy(p, &x, 8);
      break;
    }
    default: /* bool; NaN != 0 is true */
      *p = (uint8_t)(v.is_float ? v.f != 0.0f : v.i != 0);
      break;
  }
}

void tgrs_cast(const tgrs_tensor_t* xt, const tgrs_tensor_t* yt) {
  const unsigned char* x = (const unsigned char*)xt->data;
  unsigned char* y = (unsigned char*)yt->data;
  const ptrdiff_t xs = tgrs_dtype_size(xt->dtype), ys = tgrs_dtype_size(yt->dtype);
  tgrs_loop_t l;
  int32_t i;
  tgrs_loop_init(&l, xt->rank, xt->dims, xt->strides, yt->strides, NULL);
  do {
    const unsigned char* xr = x + l.off[0] * xs;
    unsigned char* yr = y + l.off[1] * ys;
    for (i = 0; i < l.inner; ++i)
      store_value(yr + i * l.step[1] * ys, yt->dtype, load_value(xr + i * l.step[0] * xs, xt->dtype));
  } while (tgrs_loop_next(&l));
}
