/* The reference backend's entry points one (op, dtype) at a time, for resolver tables that name
 * only the kernels a plan uses (what `tigris codegen` emits, like TFLite Micro's op resolver):
 * tgrs_ref_<Name>_f32_run/_check for every row of ops.def, tgrs_ref_<Name>_s8_run/_check for
 * every row of ops_s8.def. A table built from them links nothing else of the reference set when
 * the firmware is built with -ffunction-sections -Wl,--gc-sections. C99, compiles as C++. */
#ifndef TIGRIS_KERNELS_BACKEND_REFERENCE_H
#define TIGRIS_KERNELS_BACKEND_REFERENCE_H

#include "tigris/kernels/tgrs_types.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TIGRIS_OP_TRAITS(name, onnx, code, import, params, kernel, subop, inputs, out, act, tile) \
  void tgrs_ref_##name##_f32_run(const tgrs_kernel_call_t* call);                                \
  tgrs_status_t tgrs_ref_##name##_f32_check(const tgrs_kernel_call_t* call);
#include "tigris/ops.def"
#undef TIGRIS_OP_TRAITS

#define TIGRIS_OP_S8(name, params, kernel)                       \
  void tgrs_ref_##name##_s8_run(const tgrs_kernel_call_t* call); \
  tgrs_status_t tgrs_ref_##name##_s8_check(const tgrs_kernel_call_t* call);
#include "tigris/ops_s8.def"
#undef TIGRIS_OP_S8

/* Resolver-table entries (tgrs_kernel_t initializers). The scratch query is a host-side
 * (compiler) interface: the runtime never calls it, so device tables leave it NULL. */
#define TGRS_REF_KERNEL_F32(name) {tgrs_ref_##name##_f32_run, tgrs_ref_##name##_f32_check, NULL}
#define TGRS_REF_KERNEL_S8(name) {tgrs_ref_##name##_s8_run, tgrs_ref_##name##_s8_check, NULL}

#ifdef __cplusplus
}
#endif
#endif
