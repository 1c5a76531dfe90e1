/* The CMSIS-NN int8 backend: per (op, int8) run entries that call CMSIS-NN when the call's views
 * follow the channels-last convention (docs/kernels.md, "Adding a vendor backend") and the op's
 * constraints hold, and the reference kernel otherwise, op by op and call by call, so any plan
 * runs bit-identically. The constraints live in one predicate, tgrs_cmsis_rejects(), shared by
 * run(), the host scratch query and the compiler's report. Built only with TIGRIS_CMSIS_NN_DIR.
 * C99, compiles as C++. */
#ifndef TIGRIS_KERNELS_BACKEND_CMSIS_NN_H
#define TIGRIS_KERNELS_BACKEND_CMSIS_NN_H

#include "tigris/kernels/backend_reference.h"
#include "tigris/kernels/backend_vendor.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The ops with a CMSIS-NN entry (an X-macro list: codegen and the tables use it). */
#define TGRS_CMSIS_OPS(X) X(Conv) X(Gemm) X(MatMul) X(Add) X(Mul) X(MaxPool) X(AveragePool) X(Softmax)

#define TGRS_CMSIS_DECLARE_(name) void tgrs_cmsis_##name##_s8_run(const tgrs_kernel_call_t* call);
TGRS_CMSIS_OPS(TGRS_CMSIS_DECLARE_)
#undef TGRS_CMSIS_DECLARE_

/* Resolver-table entry: CMSIS-NN run, the reference check (the loader's validation). */
#define TGRS_CMSIS_KERNEL_S8(name) {tgrs_cmsis_##name##_s8_run, tgrs_ref_##name##_s8_check, NULL}

/* The ISA this build of the backend runs (from the vendor's ARM_MATH_MVEI / ARM_MATH_DSP). */
int32_t tgrs_cmsis_isa(void);

/* NULL when CMSIS-NN takes the call of op `kind` on `isa` (views judged when `views`), else why
 * not. Scratch bytes the vendor kernel needs for it on `isa`: exact for every ISA on the host
 * (where the library is built portable), and for its own ISA on a device. */
const char* tgrs_cmsis_rejects(uint32_t kind, const tgrs_kernel_call_t* call, int32_t isa, int views);
uint32_t tgrs_cmsis_scratch(uint32_t kind, const tgrs_kernel_call_t* call, int32_t isa);

/* The whole table (tests; firmware uses codegen's resolver) and the host descriptor. */
extern const tgrs_backend_t tgrs_backend_cmsis_nn;
extern const tgrs_vendor_backend_t tgrs_vendor_cmsis_nn;

#ifdef TGRS_VENDOR_COUNTERS
/* Calls that ran CMSIS-NN / the reference kernel since the last reset. */
extern tgrs_vendor_counters_t tgrs_cmsis_counters;
#endif

#ifdef __cplusplus
}
#endif
#endif
