/* Runtime lifecycle after load: bind caller arenas and a backend (prepare), expose input and
 * output views, and walk the ops (invoke) with no checks and no allocation, relying on load. */
#include <string.h>

#include "tigris/runtime/tigris_runtime.h"
#include "runtime_internal.h"

void tgrs_rt_make_view(const tgrs_plan_t* plan, uint32_t id, int with_data, tgrs_tensor_t* view) {
  const tgrs_tensor_rec_t* r;
  int32_t d;
  memset(view, 0, sizeof(*view));
  if (id == TGRS_NO_TENSOR) return;
  r = &plan->tensors[id];
  view->dtype = (int32_t)r->dtype;
  view->rank = (int32_t)r->rank;
  for (d = 0; d < view->rank; ++d) {
    view->dims[d] = r->dims[d];
    view->strides[d] = r->strides[d];
  }
  if (!with_data) return;
  if (r->pool == TGRS_POOL_WEIGHTS)
    view->data = (void*)(uintptr_t)(plan->weights + r->offset); /* kernels only read inputs */
  else
    view->data = plan->arenas[r->pool] + r->offset;
}

void tgrs_rt_build_call(const tgrs_plan_t* plan, const tgrs_op_rec_t* op, tgrs_tensor_t* in, tgrs_tensor_t* out,
                        int with_data, tgrs_kernel_call_t* call) {
  const uint32_t* io = plan->words + op->io_off;
  uint32_t i;
  for (i = 0; i < op->n_inputs; ++i) tgrs_rt_make_view(plan, io[i], with_data, &in[i]);
  for (i = 0; i < op->n_outputs; ++i) tgrs_rt_make_view(plan, io[op->n_inputs + i], with_data, &out[i]);
  call->inputs = in;
  call->n_inputs = (int32_t)op->n_inputs;
  call->outputs = out;
  call->n_outputs = (int32_t)op->n_outputs;
  call->params = op->params_size > 0u ? (const void*)(plan->words + op->params_off) : NULL;
  call->params_size = op->params_size;
  call->scratch = (with_data && op->scratch_size > 0u) ? (void*)(plan->arenas[0] + op->scratch_offset) : NULL;
  call->scratch_size = op->scratch_size;
}

uint32_t tgrs_plan_pool_count(const tgrs_plan_t* plan) {
  return (plan != NULL && plan->hdr != NULL) ? plan->hdr->n_pools : 0u;
}

uint32_t tgrs_plan_pool_size(const tgrs_plan_t* plan, uint32_t pool) {
  if (plan == NULL || plan->hdr == NULL || pool >= plan->hdr->n_pools) return 0u;
  return plan->hdr->pool_size[pool];
}

uint32_t tgrs_plan_high_water(const tgrs_plan_t* plan, uint32_t pool) {
  uint32_t i, j, k, top = 0u;
  if (plan == NULL || plan->hdr == NULL || pool >= plan->hdr->n_pools) return 0u;
  /* Every tensor in the pool is written or read by some op or the application (the loader
   * checked offset + size against the pool), so its end is a byte the run touches. */
  for (i = 0; i < plan->hdr->n_tensors; ++i) {
    const tgrs_tensor_rec_t* t = &plan->tensors[i];
    if (t->pool == pool && t->offset + t->size > top) top = t->offset + t->size;
  }
  /* A loop moves operands: their last iteration may reach further. */
  for (i = 0; i < plan->hdr->n_loops; ++i) {
    const tgrs_loop_rec_t* lr = &plan->loops[i];
    const int32_t* delta = (const int32_t*)(const void*)(plan->words + lr->deltas_off);
    for (j = 0; j < lr->n_ops; ++j) {
      const tgrs_op_rec_t* op = &plan->ops[lr->first_op + j];
      const uint32_t* io = plan->words + op->io_off;
      const uint32_t n_io = (uint32_t)op->n_inputs + op->n_outputs;
      for (k = 0; k < n_io; ++k) {
        const tgrs_tensor_rec_t* t;
        int64_t end;
        if (delta[k] == 0) continue;
        t = &plan->tensors[io[k]];
        end = (int64_t)t->offset + (int64_t)delta[k] * (int64_t)(lr->count - 1u) + (int64_t)t->size;
        if (t->pool == pool && end > (int64_t)top) top = (uint32_t)end;
      }
      delta += n_io + op->params_size / 4u;
    }
  }
  for (i = 0; i < plan->hdr->n_segments; ++i) {
    const tgrs_weight_seg_rec_t* sg = &plan->segments[i];
    if (sg->pool == pool && sg->dst_offset + sg->size + sg->margin > top) top = sg->dst_offset + sg->size + sg->margin;
  }
  if (pool == 0u)
    for (i = 0; i < plan->hdr->n_ops; ++i) {
      const tgrs_op_rec_t* op = &plan->ops[i];
      if (op->scratch_size > 0u && op->scratch_offset + op->scratch_size > top) top = op->scratch_offset + op->scratch_size;
    }
  return top;
}

tgrs_status_t tgrs_plan_prepare(tgrs_plan_t* plan, void* const* arenas, const size_t* sizes, uint32_t n_arenas,
                                const tgrs_backend_t* backend) {
  uint32_t p, i;
  if (plan == NULL || plan->hdr == NULL) return TGRS_ERR_BAD_ARG;
  plan->prepared = 0;
  plan->failed_op = -1;
  if (n_arenas < plan->hdr->n_pools || arenas == NULL || sizes == NULL) return TGRS_ERR_BAD_ARG;
  for (p = 0; p < plan->hdr->n_pools; ++p) {
    const uint32_t need = plan->hdr->pool_size[p];
    if (need == 0u) {
      plan->arenas[p] = (uint8_t*)arenas[p];
      plan->arena_size[p] = 0u;
      continue;
    }
    if (arenas[p] == NULL) return TGRS_ERR_BAD_ARG;
    if (((uintptr_t)arenas[p] & (TGRS_SECTION_ALIGN - 1u)) != 0u) return TGRS_ERR_ALIGNMENT;
    if (sizes[p] < need) return TGRS_ERR_ARENA_TOO_SMALL;
    plan->arenas[p] = (uint8_t*)arenas[p];
    plan->arena_size[p] = need;
  }
  if (backend == NULL) backend = plan->kernels;
  /* An optimized kernel must accept the call too; the validating check already passed at load. */
  if (backend != plan->kernels) {
    for (i = 0; i < plan->hdr->n_ops; ++i) {
      const tgrs_op_rec_t* op = &plan->ops[i];
      const tgrs_kernel_t* k = tgrs_backend_kernel(backend, op->kind, op->dtype);
      if (k != NULL && k->run != NULL && k->check != NULL) {
        tgrs_tensor_t in[TGRS_RT_MAX_OP_INPUTS];
        tgrs_tensor_t out[TGRS_RT_MAX_OP_OUTPUTS];
        tgrs_kernel_call_t call;
        tgrs_status_t st;
        tgrs_rt_build_call(plan, op, in, out, 0, &call);
        st = k->check(&call);
        if (st != TGRS_OK) {
          plan->failed_op = (int32_t)i;
          return st;
        }
      }
    }
  }
  /* A streamed plan's weights were not in the blob at load: read and check each segment once. */
  if (tgrs_plan_is_streamed(plan)) {
    if (plan->read == NULL && plan->hdr->n_segments > 0u) return TGRS_ERR_READ;
    for (i = 0; i < plan->hdr->n_segments; ++i) {
      const tgrs_status_t st = tgrs_rt_fill_segment(plan, &plan->segments[i], 1);
      if (st != TGRS_OK) {
        plan->failed_op = (int32_t)plan->segments[i].first_op;
        return st;
      }
    }
  }
  plan->backend = backend;
  plan->prepared = 1;
  return TGRS_OK;
}

uint32_t tgrs_plan_input_count(const tgrs_plan_t* plan) {
  return (plan != NULL && plan->hdr != NULL) ? plan->hdr->n_inputs : 0u;
}

uint32_t tgrs_plan_output_count(const tgrs_plan_t* plan) {
  return (plan != NULL && plan->hdr != NULL) ? plan->hdr->n_outputs : 0u;
}

static const uint32_t* io_list(const tgrs_plan_t* plan, int outputs) {
  return (const uint32_t*)(const void*)(plan->blob + (outputs ? plan->hdr->outputs_off : plan->hdr->inputs_off));
}

static tgrs_status_t io_view(const tgrs_plan_t* plan, uint32_t k, int outputs, tgrs_tensor_t* view) {
  if (plan == NULL || plan->hdr == NULL || view == NULL) return TGRS_ERR_BAD_ARG;
  if (k >= (outputs ? plan->hdr->n_outputs : plan->hdr->n_inputs)) return TGRS_ERR_BAD_ARG;
  tgrs_rt_make_view(plan, io_list(plan, outputs)[k], plan->prepared, view);
  return TGRS_OK;
}

tgrs_status_t tgrs_plan_input(const tgrs_plan_t* plan, uint32_t k, tgrs_tensor_t* view) {
  return io_view(plan, k, 0, view);
}

tgrs_status_t tgrs_plan_output(const tgrs_plan_t* plan, uint32_t k, tgrs_tensor_t* view) {
  return io_view(plan, k, 1, view);
}

static const char* io_name(const tgrs_plan_t* plan, uint32_t k, int outputs) {
  uint32_t name;
  if (plan == NULL || plan->hdr == NULL) return "";
  if (k >= (outputs ? plan->hdr->n_outputs : plan->hdr->n_inputs)) return "";
  name = plan->tensors[io_list(plan, outputs)[k]].name;
  return name == TGRS_NO_NAME ? "" : plan->strings + name;
}

const char* tgrs_plan_input_name(const tgrs_plan_t* plan, uint32_t k) { return io_name(plan, k, 0); }
const char* tgrs_plan_output_name(const tgrs_plan_t* plan, uint32_t k) { return io_name(plan, k, 1); }

/* Runs op `op` in loop iteration k: operand data moved by k * delta bytes, params words
 * increased by k * delta (delta NULL outside loops). */
static void run_op(const tgrs_plan_t* plan, const tgrs_op_rec_t* op, const int32_t* delta, uint32_t k) {
  /* the loader accepted (kind, dtype) only with an entry in plan->kernels, so `ref` is never NULL */
  const tgrs_kernel_t* mine = tgrs_backend_kernel(plan->backend, op->kind, op->dtype);
  const tgrs_kernel_t* ref = tgrs_backend_kernel(plan->kernels, op->kind, op->dtype);
  tgrs_kernel_fn run = mine != NULL && mine->run != NULL ? mine->run : ref->run;
  tgrs_tensor_t in[TGRS_RT_MAX_OP_INPUTS];
  tgrs_tensor_t out[TGRS_RT_MAX_OP_OUTPUTS];
  uint32_t params[TGRS_RT_MAX_PARAM_WORDS];
  tgrs_kernel_call_t call;
  tgrs_rt_build_call(plan, op, in, out, 1, &call);
  if (delta != NULL && k > 0u) {
    const uint32_t n_params = op->params_size / 4u;
    uint32_t i;
    int patched = 0;
    for (i = 0; i < op->n_inputs; ++i)
      if (delta[i] != 0) in[i].data = (uint8_t*)in[i].data + (ptrdiff_t)delta[i] * (ptrdiff_t)k;
    for (i = 0; i < op->n_outputs; ++i)
      if (delta[op->n_inputs + i] != 0)
        out[i].data = (uint8_t*)out[i].data + (ptrdiff_t)delta[op->n_inputs + i] * (ptrdiff_t)k;
    delta += op->n_inputs + op->n_outputs;
    for (i = 0; i < n_params; ++i) patched |= delta[i] != 0;
    if (patched) {
      for (i = 0; i < n_params; ++i) params[i] = plan->words[op->params_off + i] + (uint32_t)delta[i] * k;
      call.params = params;
    }
  }
#ifdef TGRS_PROFILE
  tgrs_profile_kernel_begin(op);
  run(&call);
  tgrs_profile_kernel_end(op);
#else
  run(&call);
#endif
}

tgrs_status_t tgrs_plan_invoke(tgrs_plan_t* plan) {
  uint32_t i = 0u, l = 0u, sg = 0u, k, j;
  if (plan == NULL || plan->hdr == NULL) return TGRS_ERR_BAD_ARG;
  if (!plan->prepared) return TGRS_ERR_NOT_PREPARED;
  while (i < plan->hdr->n_ops) {
    /* a stage's weights, before its first op (the loader put no segment inside a loop body) */
    for (; sg < plan->hdr->n_segments && plan->segments[sg].first_op == i; ++sg) {
      const tgrs_status_t st = tgrs_rt_fill_segment(plan, &plan->segments[sg], 0);
      if (st != TGRS_OK) return st;
    }
    if (l < plan->hdr->n_loops && plan->loops[l].first_op == i) {
      const tgrs_loop_rec_t* lr = &plan->loops[l++];
      for (k = 0; k < lr->count; ++k) {
        const int32_t* delta = (const int32_t*)(const void*)(plan->words + lr->deltas_off);
        for (j = 0; j < lr->n_ops; ++j) {
          const tgrs_op_rec_t* op = &plan->ops[lr->first_op + j];
          run_op(plan, op, delta, k);
          delta += (uint32_t)op->n_inputs + op->n_outputs + op->params_size / 4u;
        }
      }
      i += lr->n_ops;
      continue;
    }
    run_op(plan, &plan->ops[i], NULL, 0u);
    ++i;
  }
  return TGRS_OK;
}

const char* tgrs_status_str(tgrs_status_t status) {
  switch (status) {
    case TGRS_OK: return "ok";
    case TGRS_ERR_BAD_ARG: return "bad argument";
    case TGRS_ERR_BAD_MAGIC: return "not a .tgrs plan (bad magic)";
    case TGRS_ERR_VERSION: return "unsupported plan format version";
    case TGRS_ERR_CHECKSUM: return "plan checksum mismatch (damaged bytes)";
    case TGRS_ERR_CORRUPT: return "plan is inconsistent (offset, count, size or shape out of range)";
    case TGRS_ERR_UNSUPPORTED_OP: return "op not supported by the backend";
    case TGRS_ERR_ARENA_TOO_SMALL: return "arena smaller than the plan requires";
    case TGRS_ERR_NOT_PREPARED: return "invoke before prepare";
    case TGRS_ERR_ALIGNMENT: return "blob or arena misaligned";
    case TGRS_ERR_TRUNCATED: return "plan truncated (fewer bytes than its header says)";
    case TGRS_ERR_BAD_LZ4: return "compressed weights are not a valid LZ4 block";
    case TGRS_ERR_READ: return "weight read callback failed or missing";
  }
  return "unknown status";
}
