/* Internal to the ESP-NN backend (not installed): the call shape of an accepted call in ESP-NN's
 * terms, shared by the device entries (backend_esp_nn.c) and the host-only per-ISA scratch query
 * (esp_nn_host.c). */
#ifndef TIGRIS_SRC_KERNELS_ESP_NN_INTERNAL_H
#define TIGRIS_SRC_KERNELS_ESP_NN_INTERNAL_H

#include <esp_nn.h>

#include "../ref_s8_internal.h"
#include "tigris/kernels/backend_esp_nn.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Every index and extent the library keeps in uint16_t / int16_t stays below this. */
#define ESP_NN_MAX_EXTENT 32767

/* What the library is asked to compute for an accepted call: the conv / depthwise dims and
 * params, or the softmax lines (other ops need no scratch). */
typedef struct {
  int32_t depthwise;
  data_dims_t in, filter, out;
  conv_params_t conv;
  dw_conv_params_t dw;
  int32_t width, height; /* softmax */
} tgrs_esp_nn_shape_t;

/* tgrs_esp_nn_rejects, also filling the shape of an accepted Conv or Softmax call. */
const char* tgrs_esp_nn_plan(uint32_t kind, const tgrs_kernel_call_t* call, int views, tgrs_esp_nn_shape_t* shape);

#ifdef __cplusplus
}
#endif
#endif
