/* Read-only accessors over a loaded plan (tigris_runtime.h, "Read-only inspection"): tools read
 * the plan back through the same validated records the executor runs, never the raw bytes. */
#include "tigris/runtime/tigris_runtime.h"

const tgrs_plan_header_t* tgrs_plan_header(const tgrs_plan_t* plan) { return plan != NULL ? plan->hdr : NULL; }

const tgrs_tensor_rec_t* tgrs_plan_tensor(const tgrs_plan_t* plan, uint32_t id) {
  if (plan == NULL || plan->hdr == NULL || id >= plan->hdr->n_tensors) return NULL;
  return &plan->tensors[id];
}

const tgrs_op_rec_t* tgrs_plan_op(const tgrs_plan_t* plan, uint32_t k) {
  if (plan == NULL || plan->hdr == NULL || k >= plan->hdr->n_ops) return NULL;
  return &plan->ops[k];
}

uint32_t tgrs_plan_op_operand(const tgrs_plan_t* plan, uint32_t k, uint32_t j) {
  const tgrs_op_rec_t* op = tgrs_plan_op(plan, k);
  if (op == NULL || j >= (uint32_t)op->n_inputs + op->n_outputs) return TGRS_NO_TENSOR;
  return plan->words[op->io_off + j];
}

const tgrs_loop_rec_t* tgrs_plan_loop(const tgrs_plan_t* plan, uint32_t k) {
  if (plan == NULL || plan->hdr == NULL || k >= plan->hdr->n_loops) return NULL;
  return &plan->loops[k];
}

const tgrs_stage_rec_t* tgrs_plan_stage(const tgrs_plan_t* plan, uint32_t k) {
  if (plan == NULL || plan->hdr == NULL || k >= plan->hdr->n_stages) return NULL;
  return (const tgrs_stage_rec_t*)(const void*)(plan->blob + plan->hdr->stages_off) + k;
}

const tgrs_weight_seg_rec_t* tgrs_plan_segment(const tgrs_plan_t* plan, uint32_t k) {
  if (plan == NULL || plan->hdr == NULL || k >= plan->hdr->n_segments) return NULL;
  return &plan->segments[k];
}

static uint32_t id_at(const tgrs_plan_t* plan, uint32_t off, uint32_t count, uint32_t k) {
  if (plan == NULL || plan->hdr == NULL || k >= count) return TGRS_NO_TENSOR;
  return ((const uint32_t*)(const void*)(plan->blob + off))[k];
}

uint32_t tgrs_plan_input_id(const tgrs_plan_t* plan, uint32_t k) {
  return plan != NULL && plan->hdr != NULL ? id_at(plan, plan->hdr->inputs_off, plan->hdr->n_inputs, k) : TGRS_NO_TENSOR;
}

uint32_t tgrs_plan_output_id(const tgrs_plan_t* plan, uint32_t k) {
  return plan != NULL && plan->hdr != NULL ? id_at(plan, plan->hdr->outputs_off, plan->hdr->n_outputs, k)
                                           : TGRS_NO_TENSOR;
}

const char* tgrs_plan_string(const tgrs_plan_t* plan, uint32_t name) {
  if (plan == NULL || plan->hdr == NULL || name == TGRS_NO_NAME || name >= plan->hdr->strings_size) return "";
  return plan->strings + name;
}
