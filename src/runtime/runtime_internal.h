/* Private to the runtime library: building a kernel call from an op record that the loader has
 * already validated. Never include from outside src/runtime. */
#ifndef TIGRIS_SRC_RUNTIME_RUNTIME_INTERNAL_H
#define TIGRIS_SRC_RUNTIME_RUNTIME_INTERNAL_H

#include "tigris/runtime/tigris_runtime.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Fills `view` from tensor record `id`; data points into the bound arena / weights when
 * with_data, else NULL. An omitted input (TGRS_NO_TENSOR) becomes {NULL, dtype 0, rank 0}. */
void tgrs_rt_make_view(const tgrs_plan_t* plan, uint32_t id, int with_data, tgrs_tensor_t* view);

/* Fills `call` for op record `op` using the caller's view arrays (TGRS_MAX_OP_INPUTS /
 * TGRS_MAX_OP_OUTPUTS entries). with_data = 0 gives NULL data and scratch pointers (load-time
 * check); params always point at the op's words (NULL when params_size is 0). */
void tgrs_rt_build_call(const tgrs_plan_t* plan, const tgrs_op_rec_t* op, tgrs_tensor_t* in, tgrs_tensor_t* out,
                        int with_data, tgrs_kernel_call_t* call);

/* Fills weight segment `seg` into its arena region (streamed: through the reader into the
 * region's end, then decoded in place; XIP: decoded from the blob). verify = 1 also checks the
 * stored bytes' CRC. */
/* The segment table: sorted, never inside a loop body, every region inside its pool, every
 * stored range inside the weights, a known codec; with XIP each LZ4 stream decodes exactly. */
tgrs_status_t tgrs_rt_check_segments(const tgrs_plan_t* plan);

tgrs_status_t tgrs_rt_fill_segment(const tgrs_plan_t* plan, const tgrs_weight_seg_rec_t* seg, int verify);

#ifdef __cplusplus
}
#endif
#endif
