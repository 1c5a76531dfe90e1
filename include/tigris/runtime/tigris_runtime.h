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
} tgrs_plan_t;

/* Validates the plan (magic, version, checksum, every section/offset/count/shape, every op via
 * the reference kernels' checks). blob must be 4-byte aligned and stay valid while used. */
tgrs_status_t tgrs_plan_load(tgrs_plan_t* plan, const void* blob, size_t size);

uint32_t tgrs_plan_pool_count(const tgrs_plan_t* plan);
/* Bytes pool `pool` must provide (0 for an out-of-range pool). */
uint32_t tgrs_plan_pool_size(const tgrs_plan_t* plan, uint32_t pool);

/* The highest byte (exclusive) of pool `pool` the plan's tensors and scratch occupy: the
 * arena high-water mark an invoke reaches. <= tgrs_plan_pool_size. */
uint32_t tgrs_plan_high_water(const tgrs_plan_t* plan, uint32_t pool);

/* Binds one arena per pool (each 16-byte aligned and at least tgrs_plan_pool_size bytes) and a
 * backend (NULL = reference). */
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
