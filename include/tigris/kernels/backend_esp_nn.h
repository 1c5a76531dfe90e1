/* The ESP-NN int8 backend (src/kernels/esp_nn/): run entries per (op, int8) that call Espressif's
 * ESP-NN kernels when a call's views follow the channels-last convention (docs/kernels.md,
 * "Adding a vendor backend") and the library computes exactly what the reference kernel does, and
 * call the reference kernel tgrs_ref_<Name>_s8_run otherwise, call by call, so every plan runs
 * bit-identically. The constraints live in one predicate, tgrs_esp_nn_rejects(), shared by run(),
 * the host scratch query and the compiler's report. Built only with TIGRIS_ESP_NN_DIR (host) or
 * as the ESP-IDF component esp-idf/tigris/. C99, compiles as C++. */
#ifndef TIGRIS_KERNELS_BACKEND_ESP_NN_H
#define TIGRIS_KERNELS_BACKEND_ESP_NN_H

#include "tigris/kernels/backend_reference.h"
#include "tigris/kernels/backend_vendor.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The ops with an ESP-NN entry (an X-macro list: the table and the tests use it). */
#define TGRS_ESP_NN_OPS(X) X(Conv) X(Gemm) X(MatMul) X(Add) X(Mul) X(MaxPool) X(AveragePool) X(Softmax)

#define TGRS_ESP_NN_DECLARE_(name) void tgrs_esp_nn_##name##_s8_run(const tgrs_kernel_call_t* call);
TGRS_ESP_NN_OPS(TGRS_ESP_NN_DECLARE_)
#undef TGRS_ESP_NN_DECLARE_

/* Resolver-table entry: ESP-NN run, the reference check (the loader's validation). */
#define TGRS_ESP_NN_KERNEL_S8(name) {tgrs_esp_nn_##name##_s8_run, tgrs_ref_##name##_s8_check, NULL}

/* The ISA this build runs: TGRS_ISA_ESP32S3 inside ESP-IDF for an ESP32-S3 with the optimized
 * kernels, else TGRS_ISA_PORTABLE (the ANSI C kernels). */
int32_t tgrs_esp_nn_isa(void);

/* NULL when ESP-NN takes the call of op `kind` (views judged when `views`; per-channel shifts,
 * weight zero points and bias checked when their data is set), else why not. The same on every
 * ISA: the library's results and layouts do not depend on it. */
const char* tgrs_esp_nn_rejects(uint32_t kind, const tgrs_kernel_call_t* call, int32_t isa, int views);

/* The whole table (tests; firmware uses codegen's resolver). */
extern const tgrs_backend_t tgrs_backend_esp_nn;

/* Host only (esp_nn_host.c): the descriptor the compiler uses, whose scratch query asks the
 * library's *_get_scratch_size* of the requested ISA (the ANSI ones for portable, the ESP32-S3
 * ones for esp32s3). */
extern const tgrs_vendor_backend_t tgrs_vendor_esp_nn;
uint32_t tgrs_esp_nn_scratch(uint32_t kind, const tgrs_kernel_call_t* call, int32_t isa);

#ifdef TGRS_VENDOR_COUNTERS
/* Calls that ran ESP-NN / the reference kernel since the last reset. */
extern tgrs_vendor_counters_t tgrs_esp_nn_counters;
#endif

#ifdef __cplusplus
}
#endif
#endif
