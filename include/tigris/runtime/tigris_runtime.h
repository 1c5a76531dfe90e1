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
  uint8_t* arenas[TGRS_MAX_POOLS];
  uint32_t arena_size[TGRS_MAX_POOLS];
  const tgrs_backend_t* backend;
  int32_t prepared;
  int32_t failed_op; /* op index the last load/prepare error refers to, or -1 */
  const tgrs_backend_t* kernels; /* the table load validated with; prepare(NULL) runs it */
} tgrs_plan_t;

/* Validates the plan (magic, version, checksum, every section/offset/count/shape, every op via
 * the reference kernels' checks). blob must be 4-byte aligned and stay valid while used.
 * Links the whole reference backend; a firmware that should link only its plan's kernels calls
 * tgrs_plan_load_with with a resolver table instead. */
tgrs_status_t tgrs_plan_load(tgrs_plan_t* plan, const void* blob, size_t size);

/* tgrs_plan_load with the validating table given: every op's (kind, dtype) entry in `kernels`
 * must have run and check, and check() is what validates the op (a resolver table built from
 * backend_reference.h has the reference checks). prepare with a NULL backend then runs
 * `kernels`, and an entry of another backend with run == NULL falls back to it. */
tgrs_status_t tgrs_plan_load_with(tgrs_plan_t* plan, const void* blob, size_t size, const tgrs_backend_t* kernels);

uint32_t tgrs_plan_pool_count(const tgrs_plan_t* plan);
/* Bytes pool `pool` must provide (0 for an out-of-range pool). */
uint32_t tgrs_plan_pool_size(const tgrs_plan_t* plan, uint32_t pool);

/* The highest byte (exclusive) of pool `pool` the plan's tensors and scratch occupy: the
 * arena high-water mark an invoke reaches. <= tgrs_plan_pool_size. */
uint32_t tgrs_plan_high_water(const tgrs_plan_t* plan, uint32_t pool);

/* Binds one arena per pool (each 16-byte aligned and at least tgrs_plan_pool_size bytes) and a
 * backend (NULL = the table the plan was loaded with: the reference after tgrs_plan_load). */
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

/* Runs every op in plan order. */
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
uint32_t tgrs_plan_input_id(const tgrs_plan_t* plan, uint32_t k);
uint32_t tgrs_plan_output_id(const tgrs_plan_t* plan, uint32_t k);
/* A name from the strings section (a tensor's or op's `name` field). */
const char* tgrs_plan_string(const tgrs_plan_t* plan, uint32_t name);

#ifdef __cplusplus
}
#endif
#endif
