/* tgrs_plan_load_with: the plan blob is a trust boundary. Every offset, count, size, shape and id is
 * checked once here, then every op's reference-kernel check(); a plan that loads can only make
 * invoke read and write inside the blob's weights and the caller's arenas. */
#include <string.h>

#include "tigris/runtime/tigris_runtime.h"
#include "runtime_internal.h"

/* The byte layout is fixed by the format; refuse to build where the structs differ. */
typedef char tgrs_check_header_size[(sizeof(tgrs_plan_header_t) == 128u) ? 1 : -1];
typedef char tgrs_check_tensor_size[(sizeof(tgrs_tensor_rec_t) == 88u) ? 1 : -1];
typedef char tgrs_check_op_size[(sizeof(tgrs_op_rec_t) == 32u) ? 1 : -1];
typedef char tgrs_check_loop_size[(sizeof(tgrs_loop_rec_t) == 16u) ? 1 : -1];
typedef char tgrs_check_stage_size[(sizeof(tgrs_stage_rec_t) == 32u) ? 1 : -1];
typedef char tgrs_check_segment_size[(sizeof(tgrs_weight_seg_rec_t) == 40u) ? 1 : -1];

#define TGRS_HEADER_SIZE ((uint32_t)sizeof(tgrs_plan_header_t))

/* A section of count * elem bytes at off: aligned, after the header, inside [0, total) (the head
 * sections end before the weights, which come last: total = weights_off for them). */
static int section_ok(uint32_t total, uint32_t off, uint32_t count, uint32_t elem) {
  const uint64_t bytes = (uint64_t)count * elem;
  if (off % TGRS_SECTION_ALIGN != 0u) return 0;
  if (bytes > 0u && off < TGRS_HEADER_SIZE) return 0;
  return (uint64_t)off + bytes <= total;
}

static int name_ok(const tgrs_plan_header_t* h, uint32_t name) {
  return name == TGRS_NO_NAME || name < h->strings_size;
}

static tgrs_status_t check_sections(const tgrs_plan_header_t* h) {
  const uint32_t total = h->weights_off;
  if (!section_ok(h->total_size, h->weights_off, h->weights_size, 1u) ||
      !section_ok(total, h->segments_off, h->n_segments, (uint32_t)sizeof(tgrs_weight_seg_rec_t)) ||
      !section_ok(total, h->tensors_off, h->n_tensors, (uint32_t)sizeof(tgrs_tensor_rec_t)) ||
      !section_ok(total, h->ops_off, h->n_ops, (uint32_t)sizeof(tgrs_op_rec_t)) ||
      !section_ok(total, h->loops_off, h->n_loops, (uint32_t)sizeof(tgrs_loop_rec_t)) ||
      !section_ok(total, h->stages_off, h->n_stages, (uint32_t)sizeof(tgrs_stage_rec_t)) ||
      !section_ok(total, h->inputs_off, h->n_inputs, 4u) || !section_ok(total, h->outputs_off, h->n_outputs, 4u) ||
      !section_ok(total, h->words_off, h->n_words, 4u) || !section_ok(total, h->strings_off, h->strings_size, 1u))
    return TGRS_ERR_CORRUPT;
  return TGRS_OK;
}

/* Bytes of the pool / section a tensor record lives in (0 for a bad pool). */
static uint64_t pool_limit(const tgrs_plan_header_t* h, uint32_t pool) {
  if (pool < h->n_pools) return h->pool_size[pool];
  /* a streamed plan's weights section is not addressable */
  if (pool == TGRS_POOL_WEIGHTS && (h->flags & TGRS_FLAG_XIP) != 0u) return h->weights_size;
  return 0u;
}

static tgrs_status_t check_tensor(const tgrs_plan_header_t* h, const tgrs_tensor_rec_t* r) {
  const int32_t dsize = tgrs_dtype_size((int32_t)r->dtype);
  uint64_t span = 1u;
  uint32_t d;
  if (dsize <= 0 || r->rank > TGRS_MAX_RANK || r->flags != 0u) return TGRS_ERR_CORRUPT;
  for (d = TGRS_MAX_RANK; d-- > 0u;) {
    if (d < r->rank) {
      if (r->dims[d] <= 0 || r->strides[d] < 0) return TGRS_ERR_CORRUPT;
      /* each term < 2^32, so the sum of 8 cannot overflow */
      if ((uint64_t)(r->dims[d] - 1) * (uint64_t)r->strides[d] > 0xFFFFFFFFu) return TGRS_ERR_CORRUPT;
      span += (uint64_t)(r->dims[d] - 1) * (uint64_t)r->strides[d];
    } else if (r->dims[d] != 0 || r->strides[d] != 0) {
      return TGRS_ERR_CORRUPT;
    }
  }
  if (span > 0xFFFFFFFFu || span * (uint64_t)dsize != r->size) return TGRS_ERR_CORRUPT;
  if (r->offset % TGRS_ELEM_ALIGN((uint32_t)dsize) != 0u) return TGRS_ERR_CORRUPT;
  if ((uint64_t)r->offset + r->size > pool_limit(h, r->pool)) return TGRS_ERR_CORRUPT; /* 0 for a bad pool */
  if (!name_ok(h, r->name)) return TGRS_ERR_CORRUPT;
  /* valid, but of a higher rank than this build's views hold (TGRS_VIEW_MAX_RANK) */
  if (r->rank > TGRS_VIEW_MAX_RANK) return TGRS_ERR_UNSUPPORTED_OP;
  return TGRS_OK;
}

/* Structure of one op record (ids, word ranges, scratch); kernel semantics are checked after. */
static tgrs_status_t check_op_record(const tgrs_plan_t* plan, const tgrs_op_rec_t* op) {
  const tgrs_plan_header_t* h = plan->hdr;
  const uint32_t* io;
  uint32_t i;
  const tgrs_kernel_t* k = tgrs_backend_kernel(plan->kernels, op->kind, op->dtype);
  if (op->reserved[0] != 0u || op->reserved[1] != 0u || op->reserved[2] != 0u) return TGRS_ERR_CORRUPT;
  if (k == NULL || k->run == NULL) return TGRS_ERR_UNSUPPORTED_OP;
  if (op->n_inputs > TGRS_MAX_OP_INPUTS || op->n_outputs > TGRS_MAX_OP_OUTPUTS || op->n_outputs == 0u)
    return TGRS_ERR_CORRUPT;
  /* valid, but more io than this build's invoke keeps views for (TGRS_RT_MAX_OP_INPUTS) */
  if (op->n_inputs > TGRS_RT_MAX_OP_INPUTS || op->n_outputs > TGRS_RT_MAX_OP_OUTPUTS) return TGRS_ERR_UNSUPPORTED_OP;
  if ((uint64_t)op->io_off + op->n_inputs + op->n_outputs > h->n_words) return TGRS_ERR_CORRUPT;
  io = plan->words + op->io_off;
  for (i = 0; i < op->n_inputs; ++i)
    if (io[i] != TGRS_NO_TENSOR && io[i] >= h->n_tensors) return TGRS_ERR_CORRUPT;
  for (i = op->n_inputs; i < (uint32_t)op->n_inputs + op->n_outputs; ++i) {
    if (io[i] >= h->n_tensors) return TGRS_ERR_CORRUPT;
    if (plan->tensors[io[i]].pool == TGRS_POOL_WEIGHTS) return TGRS_ERR_CORRUPT; /* never write the blob */
  }
  if (op->params_size % 4u != 0u) return TGRS_ERR_CORRUPT;
  if ((uint64_t)op->params_off + op->params_size / 4u > h->n_words) return TGRS_ERR_CORRUPT;
  if (op->scratch_size > 0u) {
    if (op->scratch_offset % 4u != 0u) return TGRS_ERR_CORRUPT;
    if ((uint64_t)op->scratch_offset + op->scratch_size > h->pool_size[0]) return TGRS_ERR_CORRUPT;
  }
  if (!name_ok(h, op->name)) return TGRS_ERR_CORRUPT;
  return TGRS_OK;
}

/* One op's kernel check() on its call shape, with `patch` (NULL = none) added k times to the
 * params words. */
static tgrs_status_t check_op_call(const tgrs_plan_t* plan, const tgrs_op_rec_t* op, const int32_t* patch,
                                   uint32_t k) {
  const tgrs_kernel_t* entry = tgrs_backend_kernel(plan->kernels, op->kind, op->dtype);
  const tgrs_kernel_check_fn check = entry != NULL ? entry->check : NULL;
  tgrs_tensor_t in[TGRS_RT_MAX_OP_INPUTS];
  tgrs_tensor_t out[TGRS_RT_MAX_OP_OUTPUTS];
  uint32_t params[TGRS_RT_MAX_PARAM_WORDS];
  tgrs_kernel_call_t call;
  uint32_t w;
  if (check == NULL) return TGRS_ERR_UNSUPPORTED_OP; /* an op the loader cannot validate is not run */
  tgrs_rt_build_call(plan, op, in, out, 0, &call);
  if (patch != NULL) {
    for (w = 0; w < op->params_size / 4u; ++w)
      params[w] = plan->words[op->params_off + w] + (uint32_t)patch[w] * k;
    call.params = params;
  }
  return check(&call);
}

/* Loop records: ascending, disjoint, inside the op table; every moved operand stays inside its
 * pool in the last iteration (the move is linear, so all iterations between do too), output
 * moves never reach the weights, and an op whose params change passes check() in every
 * iteration. Ops whose params do not change were checked once with the op table. */
static tgrs_status_t check_loops(tgrs_plan_t* plan) {
  const tgrs_plan_header_t* h = plan->hdr;
  const tgrs_loop_rec_t* loops = (const tgrs_loop_rec_t*)(const void*)(plan->blob + h->loops_off);
  uint64_t next_free = 0u;
  uint32_t l, j, k, i;
  for (l = 0; l < h->n_loops; ++l) {
    const tgrs_loop_rec_t* lr = &loops[l];
    uint64_t cursor = lr->deltas_off;
    if (lr->n_ops == 0u || lr->count == 0u || lr->first_op < next_free) return TGRS_ERR_CORRUPT;
    if ((uint64_t)lr->first_op + lr->n_ops > h->n_ops) return TGRS_ERR_CORRUPT;
    next_free = (uint64_t)lr->first_op + lr->n_ops;
    for (j = 0; j < lr->n_ops; ++j) {
      const tgrs_op_rec_t* op = &plan->ops[lr->first_op + j];
      const uint32_t n_io = (uint32_t)op->n_inputs + op->n_outputs;
      const uint32_t n_params = op->params_size / 4u;
      const uint32_t* io = plan->words + op->io_off;
      const int32_t* delta;
      int patched = 0;
      plan->failed_op = (int32_t)(lr->first_op + j);
      if (cursor + n_io + n_params > h->n_words) return TGRS_ERR_CORRUPT;
      delta = (const int32_t*)(const void*)(plan->words + cursor);
      for (i = 0; i < n_io; ++i) {
        const int64_t d = delta[i];
        const tgrs_tensor_rec_t* t;
        int64_t last;
        if (d == 0) continue;
        if (io[i] == TGRS_NO_TENSOR) return TGRS_ERR_CORRUPT;
        t = &plan->tensors[io[i]];
        if (d % (int64_t)TGRS_ELEM_ALIGN((uint32_t)tgrs_dtype_size((int32_t)t->dtype)) != 0) return TGRS_ERR_CORRUPT;
        last = (int64_t)t->offset + d * (int64_t)(lr->count - 1u);
        if (last < 0 || (uint64_t)last + t->size > pool_limit(h, t->pool)) return TGRS_ERR_CORRUPT;
      }
      for (i = 0; i < n_params; ++i) patched |= delta[n_io + i] != 0;
      if (patched) {
        if (n_params > TGRS_MAX_PARAM_WORDS) return TGRS_ERR_CORRUPT;
        if (n_params > TGRS_RT_MAX_PARAM_WORDS) return TGRS_ERR_UNSUPPORTED_OP; /* this build's bound */
        for (k = 1; k < lr->count; ++k) {
          const tgrs_status_t st = check_op_call(plan, op, delta + n_io, k);
          if (st != TGRS_OK) return st;
        }
      }
      cursor += n_io + n_params;
    }
  }
  plan->failed_op = -1;
  return TGRS_OK;
}

/* Stage records (3.1): they tile the op table in order with known kinds. */
static tgrs_status_t check_stages(const tgrs_plan_t* plan) {
  const tgrs_plan_header_t* h = plan->hdr;
  const tgrs_stage_rec_t* stages = (const tgrs_stage_rec_t*)(const void*)(plan->blob + h->stages_off);
  uint64_t next = 0u;
  uint32_t s;
  for (s = 0; s < h->n_stages; ++s) {
    const tgrs_stage_rec_t* st = &stages[s];
    if (st->first_op != next || st->n_ops == 0u || st->kind > TGRS_STAGE_CHAIN || st->reserved != 0u)
      return TGRS_ERR_CORRUPT;
    next = (uint64_t)st->first_op + st->n_ops;
    if (next > h->n_ops) return TGRS_ERR_CORRUPT;
  }
  if (h->n_stages > 0u && next != h->n_ops) return TGRS_ERR_CORRUPT;
  return TGRS_OK;
}

tgrs_status_t tgrs_plan_load_with(tgrs_plan_t* plan, const void* blob, size_t size, const tgrs_backend_t* kernels) {
  const uint8_t* bytes = (const uint8_t*)blob;
  const tgrs_plan_header_t* h;
  uint32_t magic;
  uint32_t i;
  int xip;
  tgrs_status_t st;
  if (plan == NULL) return TGRS_ERR_BAD_ARG;
  memset(plan, 0, sizeof(*plan));
  plan->failed_op = -1;
  if (blob == NULL || kernels == NULL) return TGRS_ERR_BAD_ARG;
  if (((uintptr_t)blob & 3u) != 0u) return TGRS_ERR_ALIGNMENT;
  if (size < 4u) return TGRS_ERR_BAD_MAGIC;
  memcpy(&magic, bytes, 4u);
  if (magic != TGRS_MAGIC) return TGRS_ERR_BAD_MAGIC;
  if (size < 8u) return TGRS_ERR_TRUNCATED;
  h = (const tgrs_plan_header_t*)blob;
  if (h->version_major != TGRS_FORMAT_MAJOR) return TGRS_ERR_VERSION;
  if (size < TGRS_HEADER_SIZE) return TGRS_ERR_TRUNCATED;
  if (h->total_size < TGRS_HEADER_SIZE || h->weights_off < TGRS_HEADER_SIZE || h->weights_off > h->total_size)
    return TGRS_ERR_CORRUPT;
  /* XIP: the whole plan must be here; streamed: the head (the weights come through the reader) */
  xip = (h->flags & TGRS_FLAG_XIP) != 0u;
  if ((uint64_t)(xip ? h->total_size : h->weights_off) > (uint64_t)size) return TGRS_ERR_TRUNCATED;
  if (tgrs_crc32(bytes + 16, h->weights_off - 16u) != h->checksum) return TGRS_ERR_CHECKSUM;
  if ((h->flags & ~(uint32_t)TGRS_FLAG_XIP) != 0u || h->reserved2 != 0u) return TGRS_ERR_CORRUPT;
  if (h->n_pools == 0u || h->n_pools > TGRS_MAX_POOLS) return TGRS_ERR_CORRUPT;
  for (i = h->n_pools; i < TGRS_MAX_POOLS; ++i)
    if (h->pool_size[i] != 0u) return TGRS_ERR_CORRUPT;
  st = check_sections(h);
  if (st != TGRS_OK) return st;
  if (xip && tgrs_crc32(bytes + h->weights_off, h->weights_size) != h->weights_checksum) return TGRS_ERR_CHECKSUM;
  if (h->strings_size > 0u && bytes[h->strings_off + h->strings_size - 1u] != 0u) return TGRS_ERR_CORRUPT;

  plan->kernels = kernels;
  plan->blob = bytes;
  plan->size = h->total_size;
  plan->hdr = h;
  plan->tensors = (const tgrs_tensor_rec_t*)(const void*)(bytes + h->tensors_off);
  plan->ops = (const tgrs_op_rec_t*)(const void*)(bytes + h->ops_off);
  plan->words = (const uint32_t*)(const void*)(bytes + h->words_off);
  plan->weights = xip ? bytes + h->weights_off : NULL;
  plan->strings = (const char*)(bytes + h->strings_off);
  plan->segments = (const tgrs_weight_seg_rec_t*)(const void*)(bytes + h->segments_off);

  for (i = 0; i < h->n_tensors; ++i) {
    st = check_tensor(h, &plan->tensors[i]);
    if (st != TGRS_OK) goto fail;
  }
  for (i = 0; i < h->n_inputs; ++i) {
    const uint32_t id = ((const uint32_t*)(const void*)(bytes + h->inputs_off))[i];
    /* Inputs are written by the caller, so they must live in an arena. */
    if (id >= h->n_tensors || plan->tensors[id].pool == TGRS_POOL_WEIGHTS) {
      st = TGRS_ERR_CORRUPT;
      goto fail;
    }
  }
  for (i = 0; i < h->n_outputs; ++i) {
    const uint32_t id = ((const uint32_t*)(const void*)(bytes + h->outputs_off))[i];
    if (id >= h->n_tensors) {
      st = TGRS_ERR_CORRUPT;
      goto fail;
    }
  }
  for (i = 0; i < h->n_ops; ++i) {
    const tgrs_op_rec_t* op = &plan->ops[i];
    plan->failed_op = (int32_t)i;
    st = check_op_record(plan, op);
    if (st != TGRS_OK) goto fail;
    st = check_op_call(plan, op, NULL, 0u);
    if (st != TGRS_OK) goto fail;
  }
  plan->failed_op = -1;
  plan->loops = (const tgrs_loop_rec_t*)(const void*)(bytes + h->loops_off);
  st = check_loops(plan);
  if (st != TGRS_OK) goto fail;
  st = check_stages(plan);
  if (st != TGRS_OK) goto fail;
  st = tgrs_rt_check_segments(plan);
  if (st != TGRS_OK) goto fail;
  return TGRS_OK;

fail: {
  const int32_t failed = plan->failed_op;
  memset(plan, 0, sizeof(*plan));
  plan->failed_op = failed;
  return st;
}
}

/* The reference binding: validates with (and prepare(NULL) runs) the whole reference table. */
tgrs_status_t tgrs_plan_load(tgrs_plan_t* plan, const void* blob, size_t size) {
  return tgrs_plan_load_with(plan, blob, size, &tgrs_backend_reference);
}
