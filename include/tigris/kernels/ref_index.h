/* Reference index and data-movement kernels of any element type over strided views: Gather,
 * GatherElements, DepthToSpace, SpaceToDepth. Values are copied bit-exactly (element size from
 * the dtype); indices are int32 or int64 views. Callers pass shapes check() accepted; only the
 * output view's elements are written. */
#ifndef TIGRIS_KERNELS_REF_INDEX_H
#define TIGRIS_KERNELS_REF_INDEX_H

#include <stdint.h>

#include "tigris/kernels/tgrs_params.h"
#include "tigris/kernels/tgrs_types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Gather along `axis`: y[i_0..i_{axis-1}, j..., k...] = x[i_0..i_{axis-1}, idx[j...], k...], y of
 * rank x.rank - 1 + idx.rank. A negative index counts from the end (idx + x.dims[axis]); an index
 * still outside [0, x.dims[axis]) (only possible for runtime indices: onnxruntime fails the run)
 * yields zero bytes, so a bad index never reads outside x. */
void tgrs_gather(const tgrs_tensor_t* x, const tgrs_tensor_t* idx, const tgrs_tensor_t* y, int32_t axis);

/* GatherElements along `axis`: y[i] = x[i with component axis replaced by idx[i]], y and idx of
 * the same dims (each <= x's off the axis). Negative and out-of-range indices as in tgrs_gather. */
void tgrs_gather_elements(const tgrs_tensor_t* x, const tgrs_tensor_t* idx, const tgrs_tensor_t* y, int32_t axis);

/* DepthToSpace on N,C,H,W with blocksize b: y[n, c, h*b + i, w*b + j] = x[n, ch, h, w] with
 * ch = (i*b + j) * (C / b^2) + c (DCR) or c * b^2 + i*b + j (CRD). */
void tgrs_depth_to_space(const tgrs_tensor_t* x, const tgrs_tensor_t* y, const tgrs_depth_space_params_t* p);

/* SpaceToDepth on N,C,H,W with blocksize b: y[n, (i*b + j) * C + c, h, w] = x[n, c, h*b + i, w*b + j]. */
void tgrs_space_to_depth(const tgrs_tensor_t* x, const tgrs_tensor_t* y, const tgrs_depth_space_params_t* p);

#ifdef __cplusplus
}
#endif
#endif
