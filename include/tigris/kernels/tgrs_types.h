/* Types shared by the C99 kernels, the runtime and the compiler's emitter: status codes, dtype
 * codes, op codes (from ops.def), tensor views and the kernel calling convention.
 * C99, compiles as C++ too; no dependency beyond <stdint.h>/<stddef.h>. */
#ifndef TIGRIS_KERNELS_TGRS_TYPES_H
#define TIGRIS_KERNELS_TGRS_TYPES_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TGRS_MAX_RANK 8 /* the plan format's and params records' rank; the ABI's default view rank */

/* The rank a tensor view holds (dims/strides of tgrs_tensor_t). The default takes any plan; a
 * firmware may build the runtime and every kernel with a smaller one (`tigris codegen` writes the
 * plan's as <NAME>_MAX_RANK) to shrink each view from 76 to 12 + 8 * rank bytes on 32-bit targets:
 * the loader then refuses a plan with a higher-rank tensor (TGRS_ERR_UNSUPPORTED_OP). Runtime and
 * kernels must agree on it. */
#ifndef TGRS_VIEW_MAX_RANK
#define TGRS_VIEW_MAX_RANK TGRS_MAX_RANK
#endif
#if TGRS_VIEW_MAX_RANK < 1 || TGRS_VIEW_MAX_RANK > TGRS_MAX_RANK
#error "TGRS_VIEW_MAX_RANK must be 1..TGRS_MAX_RANK"
#endif

/* 0 = ok; every failure is a precise negative code. */
typedef enum {
  TGRS_OK = 0,
  TGRS_ERR_BAD_ARG = -1,         /* NULL pointer, index out of range, wrong input size */
  TGRS_ERR_BAD_MAGIC = -2,       /* not a .tgrs plan */
  TGRS_ERR_VERSION = -3,         /* plan format version this runtime cannot read */
  TGRS_ERR_CHECKSUM = -4,        /* plan bytes damaged */
  TGRS_ERR_CORRUPT = -5,         /* an offset, count, size or shape in the plan is inconsistent */
  TGRS_ERR_UNSUPPORTED_OP = -6,  /* op code the selected backend does not implement */
  TGRS_ERR_ARENA_TOO_SMALL = -7, /* caller's arena smaller than the plan requires */
  TGRS_ERR_NOT_PREPARED = -8,    /* invoke before prepare */
  TGRS_ERR_ALIGNMENT = -9,       /* blob or arena not aligned as required */
  TGRS_ERR_TRUNCATED = -10,      /* fewer bytes than the plan's header says it has */
  TGRS_ERR_BAD_LZ4 = -11,        /* a compressed weight segment is not a valid LZ4 block of its size */
  TGRS_ERR_READ = -12            /* the application's weight read callback failed (or is missing) */
} tgrs_status_t;

/* Values equal ONNX TensorProto.DataType. */
typedef enum {
  TGRS_DTYPE_F32 = 1,
  TGRS_DTYPE_U8 = 2,
  TGRS_DTYPE_I8 = 3,
  TGRS_DTYPE_I16 = 5,
  TGRS_DTYPE_I32 = 6,
  TGRS_DTYPE_I64 = 7,
  TGRS_DTYPE_BOOL = 9
} tgrs_dtype_t;

/* Op codes written in plans; generated from the one table. */
typedef enum {
#define TIGRIS_OP(name, onnx, code) TGRS_OP_##name = code,
#include "tigris/ops.def"
#undef TIGRIS_OP
  TGRS_OP_END_
} tgrs_op_code_t;
#define TGRS_OP_COUNT ((int)TGRS_OP_END_)  /* one past the largest code */

/* A tensor as a kernel sees it: a strided view. Element (i_0, ..., i_{rank-1}) is at
 * ((T*)data)[sum_d i_d * strides[d]]: strides count elements (not bytes), are >= 0, and entries
 * at d >= rank are 0. A dense row-major tensor has strides[d] = product of dims[d+1..rank-1]
 * (tgrs_tensor_set_dense). Views let a kernel read a window of a larger buffer and write a
 * window of a larger buffer; a kernel writes only the elements of its output views. */
typedef struct {
  void* data;                    /* NULL for an omitted optional input */
  int32_t dtype;                 /* tgrs_dtype_t */
  int32_t rank;
  int32_t dims[TGRS_VIEW_MAX_RANK];
  int32_t strides[TGRS_VIEW_MAX_RANK];
} tgrs_tensor_t;

/* One op invocation. `params` points at the op's tgrs_*_params_t (tgrs_params.h), 4-byte
 * aligned. Inputs are read-only; outputs never alias inputs unless the op is a view. */
typedef struct {
  const tgrs_tensor_t* inputs;
  int32_t n_inputs;
  const tgrs_tensor_t* outputs;
  int32_t n_outputs;
  const void* params;
  uint32_t params_size;          /* bytes */
  void* scratch;                 /* scratch_size bytes of fast memory, or NULL */
  uint32_t scratch_size;
} tgrs_kernel_call_t;

/* Runs the op. Called only after check() accepted the same call shape. */
typedef void (*tgrs_kernel_fn)(const tgrs_kernel_call_t* call);
/* Load-time validation: returns TGRS_OK only if running the kernel on tensors of these dtypes,
 * dims and params stays inside every buffer (data pointers may be NULL here). */
typedef tgrs_status_t (*tgrs_kernel_check_fn)(const tgrs_kernel_call_t* call);
/* Bytes of scratch the kernel needs for this call shape (the compiler asks on the host). */
typedef uint32_t (*tgrs_kernel_scratch_fn)(const tgrs_kernel_call_t* call);

typedef struct {
  tgrs_kernel_fn run;
  tgrs_kernel_check_fn check;
  tgrs_kernel_scratch_fn scratch; /* NULL = needs none */
} tgrs_kernel_t;

/* A backend: a kernel table keyed by op code and kernel dtype (the op record's `dtype`): `ops`
 * holds the float kernels (TGRS_DTYPE_F32, the rows of ops.def, which also move integer and bool
 * tensors), `ops_s8` the integer-only int8 kernels (TGRS_DTYPE_I8, the rows of ops_s8.def). An
 * entry with run == NULL falls back to the reference entry of the same op and dtype. */
typedef struct {
  const char* name;
  tgrs_kernel_t ops[TGRS_OP_COUNT];
  tgrs_kernel_t ops_s8[TGRS_OP_COUNT];
} tgrs_backend_t;

extern const tgrs_backend_t tgrs_backend_reference;

/* The entry of op `kind` with kernel dtype `dtype` (TGRS_DTYPE_F32 or TGRS_DTYPE_I8), or NULL for
 * a kind or dtype outside the table (the entry itself may still have run == NULL). */
const tgrs_kernel_t* tgrs_backend_kernel(const tgrs_backend_t* backend, uint32_t kind, uint32_t dtype);

int32_t tgrs_dtype_size(int32_t dtype); /* bytes per element; 0 for an unknown code */

/* Sets t->strides to the dense row-major strides of t->dims (entries >= rank to 0). Never
 * overflows: a stride that would exceed INT32_MAX saturates there (and check() rejects it). */
void tgrs_tensor_set_dense(tgrs_tensor_t* t);
/* 1 if t's strides are the dense row-major ones; a dim of extent 1 may have any stride. */
int tgrs_tensor_is_dense(const tgrs_tensor_t* t);
/* 1 if t covers one contiguous block of its element count in some dim order (every element once,
 * no gaps): sorted by stride, each dim's stride is the product of the extents below it; dims of
 * extent 1 are ignored. What a vendor's flat elementwise or line kernel needs. */
int tgrs_tensor_is_block(const tgrs_tensor_t* t);

#ifdef __cplusplus
}
#endif
#endif
