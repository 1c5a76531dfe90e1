/* The ESP-NN int8 backend (src/kernels/esp_nn/): entry points per (op, int8) that call Espressif's
 * ESP-NN kernels when a call's views follow the channels-last convention (docs/kernels.md, "The
 * ESP-NN backend") and the library computes exactly what the reference kernel does, and call the
 * reference kernel tgrs_ref_<Name>_s8_run otherwise, so every call is bit-identical to the
 * reference backend. Built only when the build is given an ESP-NN checkout (TIGRIS_ESP_NN_DIR, or
 * the ESP-IDF component in esp-idf/tigris/). C99, compiles as C++. */
#ifndef TIGRIS_KERNELS_BACKEND_ESP_NN_H
#define TIGRIS_KERNELS_BACKEND_ESP_NN_H

#include "tigris/kernels/backend_reference.h"
#include "tigris/kernels/tgrs_types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The int8 rows of ops_s8.def this backend serves; X(Name). */
#define TIGRIS_ESP_NN_OPS_S8(X) X(Conv) X(Gemm) X(MatMul) X(Add) X(Mul) X(MaxPool) X(AveragePool) X(Softmax)

/* Per op: run (vendor or reference), accepts (1 if run takes the vendor path for this call: the
 * one predicate behind run, scratch and reporting; data-dependent conditions such as per-channel
 * shifts are checked only when the data pointers are set) and scratch (bytes the vendor call asks
 * for through the library's *_get_scratch_size* query of this build's ISA; 0 when it falls
 * back). A call with a smaller scratch than asked falls back. */
#define TIGRIS_ESP_NN_DECLARE(name)                                        \
  void tgrs_esp_nn_##name##_s8_run(const tgrs_kernel_call_t* call);        \
  int tgrs_esp_nn_##name##_s8_accepts(const tgrs_kernel_call_t* call);     \
  uint32_t tgrs_esp_nn_##name##_s8_scratch(const tgrs_kernel_call_t* call);
TIGRIS_ESP_NN_OPS_S8(TIGRIS_ESP_NN_DECLARE)
#undef TIGRIS_ESP_NN_DECLARE

/* Resolver-table entry (tgrs_kernel_t initializer): the vendor run, the reference check (the
 * backend accepts every call the reference accepts, falling back where it must) and the scratch
 * query (host-side; device tables may leave it NULL like TGRS_REF_KERNEL_S8). */
#define TGRS_ESP_NN_KERNEL_S8(name) \
  {tgrs_esp_nn_##name##_s8_run, tgrs_ref_##name##_s8_check, tgrs_esp_nn_##name##_s8_scratch}

/* The whole table: the ops above, every other entry NULL (the runtime falls back to the reference
 * entry op by op). */
extern const tgrs_backend_t tgrs_backend_esp_nn;

/* Number of calls that took the vendor path since the last reset (a test hook: a differential test
 * asserts the vendor path ran, so it cannot pass by falling back). One increment per call. */
uint32_t tgrs_esp_nn_vendor_calls(void);
void tgrs_esp_nn_reset_vendor_calls(void);

#ifdef __cplusplus
}
#endif
#endif
