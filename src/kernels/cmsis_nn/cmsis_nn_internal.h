/* Private to the CMSIS-NN backend: the vendor headers and the view helpers its two files share. */
#ifndef TIGRIS_SRC_KERNELS_CMSIS_NN_INTERNAL_H
#define TIGRIS_SRC_KERNELS_CMSIS_NN_INTERNAL_H

#include <stddef.h>
#include <string.h>

#include "arm_nnfunctions.h"
#include "arm_nnsupportfunctions.h"
#include "tigris/kernels/backend_cmsis_nn.h"
#include "tigris/kernels/tgrs_qparams.h"

/* The logical [N, C, H, W] (rank 3: [N, C, W], h = 1) of an int8 view; 1 when its strides are
 * NHWC ([H*W*C, 1, W*C, C]; rank 3 [W*C, 1, C]), extent-1 dims free. */
typedef struct {
  int32_t n, c, h, w;
} tgrs_cmsis_nhwc_t;
int tgrs_cmsis_nhwc(const tgrs_tensor_t* t, tgrs_cmsis_nhwc_t* s);
/* 1 when each row of a rank-4 view of one image is an NHWC block ([any, 1, any, C]): a column
 * band of an NHWC tensor, its rows strides[2] apart. */
int tgrs_cmsis_nhwc_rows(const tgrs_tensor_t* t);
/* A group-1 1x1 conv without pads or dilation: every output pixel reads one input pixel. */
int tgrs_cmsis_pointwise(const tgrs_conv_s8_params_t* p, int32_t kh, int32_t kw);
int64_t tgrs_cmsis_count(const tgrs_tensor_t* t);

#endif
