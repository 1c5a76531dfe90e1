/* The interface every vendor kernel backend (CMSIS-NN, ESP-NN) implements, backend-generically:
 * a device table (tgrs_backend_t: run entries that take a call when the vendor kernel can and
 * otherwise call the reference kernel, op by op) plus a host-side descriptor through which the
 * compiler asks, for a target ISA, which calls the vendor kernels take (rejects) and how much
 * scratch they need (scratch). Both are pure functions of the call shape and the ISA, so the
 * compiler knows in advance what runs where. C99, compiles as C++. docs/kernels.md, "Adding a
 * vendor backend". */
#ifndef TIGRIS_KERNELS_BACKEND_VENDOR_H
#define TIGRIS_KERNELS_BACKEND_VENDOR_H

#include "tigris/kernels/tgrs_types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The instruction set a vendor kernel is built for (device) or sized for (host query). A target
 * profile names one (partition::TargetProfile::isa); a device build derives its own from the
 * compiler's feature macros. */
typedef enum {
  TGRS_ISA_PORTABLE = 0, /* plain C paths (the host build of a vendor library) */
  TGRS_ISA_ARM_DSP = 1,  /* Cortex-M4/M7/M33 with the DSP extension (__ARM_FEATURE_DSP) */
  TGRS_ISA_ARM_MVE = 2,  /* Cortex-M55/M85 Helium (__ARM_FEATURE_MVE) */
  TGRS_ISA_ESP32S3 = 3,  /* Xtensa LX7 with the ESP32-S3 SIMD instructions */
  TGRS_ISA_COUNT_
} tgrs_isa_t;

/* "portable", "dsp", "mve", "esp32s3"; NULL outside the enum. */
const char* tgrs_isa_name(int32_t isa);
/* The enum value of a name above, or -1. */
int32_t tgrs_isa_from_name(const char* name);

/* Host-side description of a vendor backend (never linked into firmware).
 * - rejects(kind, dtype, call, isa, views): NULL when the vendor kernel of (kind, dtype) takes this
 *   call on `isa`, else a short static reason ("dilation", "not channels-last", ...). With views = 0
 *   the tensors' strides are not judged (every other constraint still applies; scratch() uses it).
 *   The compiler's scratch query judges the whole op's views (the layouts are fixed before
 *   planning); the device run() uses the same predicate, with views = 1 and its own ISA, plus the
 *   one thing only it can see: scratch bytes actually passed.
 * - scratch(kind, dtype, call, isa): bytes the vendor kernel needs for this call on `isa`, called
 *   only when rejects(.., views = 0) is NULL. It must not grow when the call is a row strip of a
 *   larger call (fewer rows, other pads) or a band of it: the planner sizes a tiled stage's scratch
 *   from the whole op.
 * - isas: bit (1u << isa) for every ISA the backend has kernels for.
 * - header, entry_macro: what `tigris codegen --backend <name>` includes and writes per accepted
 *   (op, int8) pair, e.g. TGRS_CMSIS_KERNEL_S8(Conv). */
typedef struct {
  const char* name;
  const tgrs_backend_t* table;
  uint32_t isas;
  const char* header;
  const char* entry_macro;
  const char* (*rejects)(uint32_t kind, uint32_t dtype, const tgrs_kernel_call_t* call, int32_t isa, int views);
  uint32_t (*scratch)(uint32_t kind, uint32_t dtype, const tgrs_kernel_call_t* call, int32_t isa);
} tgrs_vendor_backend_t;

/* Per-call path statistics a backend keeps when built with TGRS_VENDOR_COUNTERS (tests use them
 * to prove a call took the vendor path; firmware builds leave it off). */
typedef struct {
  uint32_t vendor; /* calls that ran a vendor kernel */
  uint32_t reference; /* calls that fell back to the reference kernel */
} tgrs_vendor_counters_t;

#ifdef __cplusplus
}
#endif
#endif
