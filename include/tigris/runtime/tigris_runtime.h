/* The TiGrIS C99 runtime: executes a .tgrs plan exactly as written, with caller-owned memory.
 * Lifecycle: tgrs_plan_load (validate every offset, count and shape once) -> tgrs_plan_prepare
 * (bind arenas and a backend) -> tgrs_plan_invoke (no allocation, no checks). No malloc. */
#ifndef TIGRIS_RUNTIME_TIGRIS_RUNTIME_H
#define TIGRIS_RUNTIME_TIGRIS_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

#include "tigris/kernels/tgrs_types.h"
#include "tigris/runtime/tgrs_plan_format.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TIGRIS_RUNTIME_VERSION_MAJOR 0
#define TIGRIS_RUNTIME_VERSION_MINOR 1
#define TIGRIS_RUNTIME_VERSION_PATCH 0

/* Build-time bounds of what invoke keeps on its stack: the tensor views of one op call
 * (TGRS_RT_MAX_OP_INPUTS + TGRS_RT_MAX_OP_OUTPUTS, 76 bytes each on 32-bit targets) and the
 * patched params copy of a loop op (TGRS_RT_MAX_PARAM_WORDS words). The defaults take any
 * valid plan; a firmware may lower them to what its plan needs (`tigris codegen` writes the
 * values into model.h) and the loader then refuses larger ops with TGRS_ERR_UNSUPPORTED_OP. */
#ifndef TGRS_RT_MAX_OP_INPUTS
#define TGRS_RT_MAX_OP_INPUTS TGRS_MAX_OP_INPUTS
#endif
#ifndef TGRS_RT_MAX_OP_OUTPUTS
#define TGRS_RT_MAX_OP_OUTPUTS TGRS_MAX_OP_OUTPUTS
#endif
#ifndef TGRS_RT_MAX_PARAM_WORDS
#define TGRS_RT_MAX_PARAM_WORDS TGRS_MAX_PARAM_WORDS
#endif

/* The application's weight reader for plans compiled without --xip: copies `size` bytes at byte
 * `offset` of the plan file (external SPI flash, an SD card, a file on the host) to `dst`.
 * Returns TGRS_OK or any nonzero value on failure (reported as TGRS_ERR_READ). */
typedef tgrs_status_t (*tgrs_read_fn)(void* user, uint32_t offset, void* dst, uint32_t size);

/* Caller-allocated; contents are private. */
typedef struct {
  const uint8_t* blob;
  uint32_t size;
  const tgrs_plan_header_t* hdr;
  const tgrs_tensor_rec_t* tensors;
  const tgrs_op_rec_t* ops;
  const tgrs_loop_rec_t* loops;
  const uint32_t* words;
  const uint8_t* weights;
  const char* strings;
  const tgrs_weight_seg_rec_t* segments;
  tgrs_read_fn read;
  void* read_user;
  uint8_t* arenas[TGRS_MAX_POOLS];
  uint32_t arena_size[TGRS_MAX_POOLS];
  const tgrs_backend_t* backend;
  int32_t prepared;
  int32_t failed_op; /* op index the last load/prepare error refers to, or -1 */
  const tgrs_backend_t* kernels; /* the table load validated with; prepare(NULL) runs it */
} tgrs_plan_t;

/* Validates the plan (magic, version, checksum, every section/offset/count/shape, every op via
 * the reference kernels' checks). blob must be 4-byte aligned and stay valid while used.
 * A TGRS_FLAG_XIP plan must be whole (size >= total_size); a streamed plan needs only its head,
 * the first tgrs_plan_head_size bytes (its weights come through tgrs_plan_set_reader).
 * Links the whole reference backend; a firmware that should link only its plan's kernels calls
 * tgrs_plan_load_with with a resolver table instead. */
tgrs_status_t tgrs_plan_load(tgrs_plan_t* plan, const void* blob, size_t size);

/* tgrs_plan_load with the validating table given: every op's (kind, dtype) entry in `kernels`
 * must have run and check, and check() is what validates the op (a resolver table built from
 * backend_reference.h has the reference checks). prepare with a NULL backend then runs
 * `kernels`, and an entry of another backend with run == NULL falls back to it. */
tgrs_status_t tgrs_plan_load_with(tgrs_plan_t* plan, const void* blob, size_t size, const tgrs_backend_t* kernels);

/* Bytes of a plan's head (everything before the weights section, which is last) from its first
 * `size` bytes (at least sizeof(tgrs_plan_header_t)); 0 when they are not a plan this runtime
 * reads. An application that streams weights reads the header, then this many bytes. */
uint32_t tgrs_plan_head_size(const void* header, size_t size);

/* Nonzero when the plan's weights are not addressable: prepare needs a reader. */
int tgrs_plan_is_streamed(const tgrs_plan_t* plan);

/* The weight reader of a streamed plan; call after load, before prepare. */
tgrs_status_t tgrs_plan_set_reader(tgrs_plan_t* plan, tgrs_read_fn read, void* user);

/* Extra bytes, beyond a stage's decoded weights, that decoding LZ4 weights in place needs: the
 * largest segment margin (0 for uncompressed or XIP plans). Already inside tgrs_plan_pool_size. */
uint32_t tigris_weight_decompression_overhead(const tgrs_plan_t* plan);

/* Decodes one LZ4 block of src_size bytes into exactly dst_size bytes (dst NULL: validate only).
 * Never reads or writes outside the two ranges; src may lie at the end of dst's region. */
tgrs_status_t tgrs_lz4_decode(const uint8_t* src, uint32_t src_size, uint8_t* dst, uint32_t dst_size);

uint32_t tgrs_plan_pool_count(const tgrs_plan_t* plan);
/* Bytes pool `pool` must provide (0 for an out-of-range pool). */
uint32_t tgrs_plan_pool_size(const tgrs_plan_t* plan, uint32_t pool);

/* The highest byte (exclusive) of pool `pool` the plan's tensors and scratch occupy: the
 * arena high-water mark an invoke reaches. <= tgrs_plan_pool_size. */
uint32_t tgrs_plan_high_water(const tgrs_plan_t* plan, uint32_t pool);

/* Binds one arena per pool (each 16-byte aligned and at least tgrs_plan_pool_size bytes) and a
 * backend (NULL = the table the plan was loaded with: the reference after tgrs_plan_load). A
 * streamed plan (no reader: TGRS_ERR_READ) reads every weight segment once here and checks its
 * CRC and LZ4 stream (TGRS_ERR_CHECKSUM / TGRS_ERR_BAD_LZ4): prepare overwrites the arenas, so
 * write inputs after it. */
tgrs_status_t tgrs_plan_prepare(tgrs_plan_t* plan, void* const* arenas, const size_t* sizes,
                                uint32_t n_arenas, const tgrs_backend_t* backend);

uint32_t tgrs_plan_input_count(const tgrs_plan_t* plan);
uint32_t tgrs_plan_output_count(const tgrs_plan_t* plan);
/* Where input/output k lives (data points into the bound arena after prepare). */
tgrs_status_t tgrs_plan_input(const tgrs_plan_t* plan, uint32_t k, tgrs_tensor_t* view);
tgrs_status_t tgrs_plan_output(const tgrs_plan_t* plan, uint32_t k, tgrs_tensor_t* view);
/* Name of tensor/op for diagnostics ("" when absent). */
const char* tgrs_plan_input_name(const tgrs_plan_t* plan, uint32_t k);
const char* tgrs_plan_output_name(const tgrs_plan_t* plan, uint32_t k);

/* Runs every op in plan order, filling each stage's weight segments before its first op (a
 * streamed plan: TGRS_ERR_READ when the reader fails, TGRS_ERR_BAD_LZ4 when it returns bytes
 * that no longer decode; the decoder stays in bounds either way). */
tgrs_status_t tgrs_plan_invoke(tgrs_plan_t* plan);

#ifdef TGRS_PROFILE
/* Profiling build (-DTGRS_PROFILE, off by default): invoke calls these, which the application
 * defines, right before and after every kernel call (e.g. to read a cycle counter). */
void tgrs_profile_kernel_begin(const tgrs_op_rec_t* op);
void tgrs_profile_kernel_end(const tgrs_op_rec_t* op);
#endif

const char* tgrs_status_str(tgrs_status_t status);

/* Read-only inspection of a loaded plan, for tools (`tigris inspect`); invoke does not need it.
 * Every record was validated by tgrs_plan_load. Out-of-range indices give NULL (records),
 * TGRS_NO_TENSOR (ids) or "" (names). */
const tgrs_plan_header_t* tgrs_plan_header(const tgrs_plan_t* plan);
const tgrs_tensor_rec_t* tgrs_plan_tensor(const tgrs_plan_t* plan, uint32_t id);
const tgrs_op_rec_t* tgrs_plan_op(const tgrs_plan_t* plan, uint32_t k);
/* Tensor id of operand j of op k: inputs first, then outputs (TGRS_NO_TENSOR = omitted). */
uint32_t tgrs_plan_op_operand(const tgrs_plan_t* plan, uint32_t k, uint32_t j);
const tgrs_loop_rec_t* tgrs_plan_loop(const tgrs_plan_t* plan, uint32_t k);
const tgrs_stage_rec_t* tgrs_plan_stage(const tgrs_plan_t* plan, uint32_t k);
/* Weight segment k of a streamed or LZ4 plan (plan_format.md, "Weight segments"). */
const tgrs_weight_seg_rec_t* tgrs_plan_segment(const tgrs_plan_t* plan, uint32_t k);
uint32_t tgrs_plan_input_id(const tgrs_plan_t* plan, uint32_t k);
uint32_t tgrs_plan_output_id(const tgrs_plan_t* plan, uint32_t k);
/* A name from the strings section (a tensor's or op's `name` field). */
const char* tgrs_plan_string(const tgrs_plan_t* plan, uint32_t name);

#ifdef __cplusplus
}
#endif
#endif
