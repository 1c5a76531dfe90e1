/* Host only (not part of the firmware or the ESP-IDF component): the ESP-NN backend's descriptor
 * for the compiler, whose scratch query asks the library itself for the requested ISA: the ANSI C
 * kernels' *_get_scratch_size*_ansi for portable, and the ESP32-S3 kernels' *_esp32s3 ones for
 * esp32s3, built on the host from the checkout's S3 sources (cmake/TigrisEspNn.cmake keeps only
 * those size functions, which are plain C). */
#include "esp_nn_internal.h"

/* the ESP32-S3 size queries (esp_nn_esp32s3.h declares them next to the S3 kernels, which the
 * host does not have) */
int esp_nn_get_conv_scratch_size_esp32s3(const data_dims_t* input_dims, const data_dims_t* filter_dims,
                                         const data_dims_t* output_dims, const conv_params_t* conv_params);
int esp_nn_get_depthwise_conv_scratch_size_esp32s3(const data_dims_t* input_dims, const data_dims_t* filter_dims,
                                                   const data_dims_t* output_dims,
                                                   const dw_conv_params_t* conv_params);
int32_t esp_nn_get_softmax_scratch_size_esp32s3(const int32_t width, const int32_t height);

uint32_t tgrs_esp_nn_scratch(uint32_t kind, const tgrs_kernel_call_t* call, int32_t isa) {
  tgrs_esp_nn_shape_t s;
  int32_t need = 0;
  const int s3 = isa == TGRS_ISA_ESP32S3;
  /* strides are not judged: the compiler sizes scratch before it knows them */
  if (tgrs_esp_nn_plan(kind, call, 0, &s) != NULL) return 0u;
  if (kind == (uint32_t)TGRS_OP_Conv && s.depthwise) {
    need = s3 ? esp_nn_get_depthwise_conv_scratch_size_esp32s3(&s.in, &s.filter, &s.out, &s.dw)
              : esp_nn_get_depthwise_conv_scratch_size_ansi(&s.in, &s.filter, &s.out, &s.dw);
  } else if (kind == (uint32_t)TGRS_OP_Conv) {
    need = s3 ? esp_nn_get_conv_scratch_size_esp32s3(&s.in, &s.filter, &s.out, &s.conv)
              : esp_nn_get_conv_scratch_size_ansi(&s.in, &s.filter, &s.out, &s.conv);
  } else if (kind == (uint32_t)TGRS_OP_Softmax) {
    need = s3 ? esp_nn_get_softmax_scratch_size_esp32s3(s.width, s.height)
              : esp_nn_get_softmax_scratch_size_ansi(s.width, s.height);
  }
  return need > 0 ? (uint32_t)need : 0u;
}

static const char* vendor_rejects(uint32_t kind, uint32_t dtype, const tgrs_kernel_call_t* call, int32_t isa, int views) {
  if (dtype != (uint32_t)TGRS_DTYPE_I8) return "not int8";
  return tgrs_esp_nn_rejects(kind, call, isa, views);
}

static uint32_t vendor_scratch(uint32_t kind, uint32_t dtype, const tgrs_kernel_call_t* call, int32_t isa) {
  return dtype == (uint32_t)TGRS_DTYPE_I8 ? tgrs_esp_nn_scratch(kind, call, isa) : 0u;
}

const tgrs_vendor_backend_t tgrs_vendor_esp_nn = {
    "esp-nn",
    &tgrs_backend_esp_nn,
    (1u << TGRS_ISA_PORTABLE) | (1u << TGRS_ISA_ESP32S3),
    "tigris/kernels/backend_esp_nn.h",
    "TGRS_ESP_NN_KERNEL_S8",
    vendor_rejects,
    vendor_scratch,
};
