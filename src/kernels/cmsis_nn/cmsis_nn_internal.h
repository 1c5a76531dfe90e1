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

/* A spatial op's window along the band's axes (rank 4; conv and pool fields). */
typedef struct {
  int32_t kernel_w, dilation_w, stride_h, stride_w, pad_top, pad_left;
} tgrs_cmsis_window_t;
/* The window of a tgrs_conv_s8_params_t or tgrs_pool_s8_params_t (the same field names). */
#define TGRS_CMSIS_WINDOW(p) {(p)->kernel_w, (p)->dilation_w, (p)->stride_h, (p)->stride_w, (p)->pad_top, (p)->pad_left}

/* How a conv or pool runs on a column band of NHWC rows (rows strides[2] apart, not adjacent):
 * one vendor call per output row, its input declared `pitch` pixels wide (the rows' distance, so
 * the vendor's row arithmetic lands on the band's rows; the band's own columns start at the
 * view's data), over the first `vendor_cols` output columns, those whose taps all lie inside the
 * band. The columns after them read the right padding, which the wider declared row would turn
 * into real pixels: they run on the reference kernel, their input from band column edge_x0 with
 * left pad edge_pad_left. */
typedef struct {
  int32_t pitch;       /* pixels from one input row to the next */
  int32_t vendor_cols; /* leading output columns the vendor computes (>= 1) */
  int32_t edge_x0, edge_pad_left;
} tgrs_cmsis_band_t;
/* NULL and *b filled when a band call runs that way, else why not. */
const char* tgrs_cmsis_band(const tgrs_cmsis_window_t* win, const tgrs_tensor_t* x, const tgrs_tensor_t* y,
                            tgrs_cmsis_band_t* b);

#endif
