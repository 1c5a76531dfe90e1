/* The .tgrs binary plan, format version 4: the byte layout shared by the compiler's emitter
 * and the C99 loader. All integers little-endian; every section starts 16-byte aligned.
 * See docs/plan_format.md for the prose description. */
#ifndef TIGRIS_RUNTIME_TGRS_PLAN_FORMAT_H
#define TIGRIS_RUNTIME_TGRS_PLAN_FORMAT_H

#include <stdint.h>

#include "tigris/kernels/tgrs_types.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TGRS_MAGIC 0x53524754u /* bytes "TGRS" */
#define TGRS_FORMAT_MAJOR 4u
#define TGRS_FORMAT_MINOR 1u /* 4.0: the stage table (3.1), weight segments; 4.1: segment last_op */
#define TGRS_MAX_POOLS 4u
#define TGRS_POOL_WEIGHTS 0xFFu /* tensor lives in the plan's weights section */
#define TGRS_NO_TENSOR 0xFFFFFFFFu
#define TGRS_NO_NAME 0xFFFFFFFFu
#define TGRS_SECTION_ALIGN 16u
/* Most io an op record may list; bounds the tensor views invoke builds on the stack
 * ((16 + 8) * sizeof(tgrs_tensor_t) = 1824 bytes on 32-bit targets, plus a 256-byte params copy for
 * loop ops whose params change). The emitter rejects larger nodes. */
#define TGRS_MAX_OP_INPUTS 16u
#define TGRS_MAX_OP_OUTPUTS 8u
/* Largest params record (in 32-bit words) of an op whose params change across loop iterations:
 * invoke patches a copy of it on the stack. */
#define TGRS_MAX_PARAM_WORDS 64u

/* Alignment of a tensor's offset (and of a loop's move of it) for elements of `size` bytes: 4, or
 * the element size for 1- and 2-byte elements (windows of int8 rows start at any byte). */
#define TGRS_ELEM_ALIGN(size) ((size) < 4 ? (uint32_t)(size) : 4u)

/* Header flags */
#define TGRS_FLAG_XIP 0x1u /* the weights section is addressable (memory-mapped flash): tensors may live
                            * in it (TGRS_POOL_WEIGHTS) and segments are decoded from it in place.
                            * Without it, weights come only through the application's read callback. */

/* Weight segment codecs (tgrs_weight_seg_rec_t.codec) */
#define TGRS_CODEC_RAW 0u /* stored bytes are the weights */
#define TGRS_CODEC_LZ4 1u /* one LZ4 block (the block format, no frame) */

typedef struct {
  uint32_t magic;         /* TGRS_MAGIC */
  uint16_t version_major; /* TGRS_FORMAT_MAJOR: a loader rejects any other major */
  uint16_t version_minor;
  uint32_t total_size;    /* bytes of the whole plan, header included */
  uint32_t checksum;      /* CRC-32 (IEEE 802.3) of the head, bytes [16, weights_off) */
  uint32_t flags;
  uint32_t n_pools;       /* memory pools, fast to slow, 1..TGRS_MAX_POOLS */
  uint32_t pool_size[TGRS_MAX_POOLS]; /* bytes the caller must provide per pool */
  uint32_t n_tensors, tensors_off;    /* tgrs_tensor_rec_t[n_tensors] */
  uint32_t n_ops, ops_off;            /* tgrs_op_rec_t[n_ops], execution order */
  uint32_t n_inputs, inputs_off;      /* uint32_t tensor ids */
  uint32_t n_outputs, outputs_off;    /* uint32_t tensor ids */
  uint32_t n_words, words_off;        /* uint32_t pool for op io lists and params */
  uint32_t weights_size, weights_off; /* constant tensor bytes */
  uint32_t strings_size, strings_off; /* NUL-terminated names, for diagnostics */
  uint32_t n_loops, loops_off;        /* tgrs_loop_rec_t[n_loops], ascending first_op */
  uint32_t n_stages, stages_off;      /* tgrs_stage_rec_t[n_stages] (may be 0); for tools */
  /* weights outside the addressable blob */
  uint32_t n_segments, segments_off;  /* tgrs_weight_seg_rec_t[n_segments], ascending first_op */
  uint32_t weights_checksum;          /* CRC-32 of the weights section (the last section) */
  uint32_t reserved2;                 /* 0 */
} tgrs_plan_header_t; /* 128 bytes */

typedef struct {
  uint8_t dtype;   /* tgrs_dtype_t */
  uint8_t rank;    /* 0..TGRS_MAX_RANK */
  uint8_t pool;    /* 0..n_pools-1, or TGRS_POOL_WEIGHTS */
  uint8_t flags;   /* reserved, 0 */
  int32_t dims[TGRS_MAX_RANK]; /* unused dims are 0 */
  int32_t strides[TGRS_MAX_RANK]; /* elements between neighbours along each dim; unused are 0 */
  uint32_t offset; /* byte offset of element 0 in its pool / the weights section, aligned to
                    * TGRS_ELEM_ALIGN(dtype size): 4 bytes, or the element size when smaller */
  uint32_t size;   /* bytes spanned = (1 + sum_d (dims[d] - 1) * strides[d]) * dtype size */
  uint32_t name;   /* offset into strings, or TGRS_NO_NAME */
  float scale;     /* per-tensor quantization (0 when not quantized) */
  int32_t zero_point;
} tgrs_tensor_rec_t; /* 88 bytes */

typedef struct {
  uint16_t kind;        /* tgrs_op_code_t */
  uint8_t n_inputs;
  uint8_t n_outputs;
  uint8_t dtype;        /* kernel table: TGRS_DTYPE_F32 (ops.def) or TGRS_DTYPE_I8 (ops_s8.def) */
  uint8_t reserved[3];  /* 0 */
  uint32_t io_off;      /* words[io_off..]: n_inputs ids (TGRS_NO_TENSOR = omitted), then outputs */
  uint32_t params_off;  /* words[params_off..]: the op's tgrs_*_params_t */
  uint32_t params_size; /* bytes, multiple of 4 */
  uint32_t scratch_offset; /* in pool 0 */
  uint32_t scratch_size;
  uint32_t name;        /* node name in strings, or TGRS_NO_NAME */
} tgrs_op_rec_t; /* 32 bytes */

/* A tile loop: ops [first_op, first_op + n_ops) run `count` times in a row. In iteration i
 * (0-based) operand k of body op j has its data moved by i * delta bytes and params word w is
 * increased by i * delta (as int32), the deltas read from words[deltas_off..]: for each body op
 * in order, n_inputs + n_outputs operand deltas, then params_size / 4 param-word deltas. */
typedef struct {
  uint32_t first_op;
  uint32_t n_ops;
  uint32_t count;
  uint32_t deltas_off;
} tgrs_loop_rec_t; /* 16 bytes */

/* Stage kinds (tgrs_stage_rec_t.kind) */
#define TGRS_STAGE_NORMAL 0u /* ops between spill/reload points */
#define TGRS_STAGE_TILED 1u  /* one op in strips */
#define TGRS_STAGE_CHAIN 2u  /* fused ops in strips */

/* A stage as the compiler planned it (what `tigris analyze` reports), for tools that read the
 * plan back; invoke ignores it. Stages cover the op table in order: the first starts at op 0,
 * each starts where the previous ends, the last ends at n_ops. */
typedef struct {
  uint32_t first_op;      /* op record index */
  uint32_t n_ops;         /* op records, >= 1 */
  uint32_t kind;          /* TGRS_STAGE_* */
  uint32_t compute_ops;   /* model ops it runs (not spill/reload copies, not strip repeats) */
  uint32_t fast_peak;     /* max live bytes of pool 0 while it runs */
  uint32_t spill_bytes;   /* fast -> slow bytes (incl. strip stores) */
  uint32_t reload_bytes;  /* slow -> fast bytes (incl. strip loads) */
  uint32_t reserved;      /* 0 */
} tgrs_stage_rec_t; /* 32 bytes */

/* A weight segment: before op record `first_op` runs (never inside a loop body), invoke fills
 * bytes [dst_offset, dst_offset + size) of pool `pool` with the weights ops first_op..last_op read
 * (the region is theirs through last_op; after it other tensors may reuse the bytes), from
 * src_size stored bytes at weights section offset src_offset, decoded by `codec`.
 * Without TGRS_FLAG_XIP the stored bytes are first read through the application's callback into
 * the END of the region [dst_offset, dst_offset + size + margin) and decoded forward in place
 * (the compiler sizes `margin` so that decoding never overwrites unread input); with it they are
 * decoded straight from the blob and margin is 0. */
typedef struct {
  uint32_t first_op;   /* op record index the stage starts at */
  uint32_t codec;      /* TGRS_CODEC_* */
  uint32_t pool;       /* destination pool, 0..n_pools-1 */
  uint32_t dst_offset; /* in that pool, multiple of TGRS_SECTION_ALIGN */
  uint32_t size;       /* decoded bytes */
  uint32_t margin;     /* bytes after the decoded ones the in-place decode needs (RAW: 0) */
  uint32_t src_offset; /* stored bytes, in the weights section */
  uint32_t src_size;   /* RAW: == size; LZ4: <= size + margin */
  uint32_t crc;        /* CRC-32 of the stored bytes */
  uint32_t last_op;    /* last op record reading it, < the next segment's first_op (4.0 plans: 0, unknown) */
} tgrs_weight_seg_rec_t; /* 40 bytes */

/* CRC-32 (IEEE), the plan checksum; shared by emitter and loader. */
uint32_t tgrs_crc32(const void* data, uint32_t size);

#ifdef __cplusplus
}
#endif
#endif
