/* Link roots for tools/target_size.sh: a resolver table holding every f32 (TARGET_SET_F32) or
 * every int8 (TARGET_SET_S8) reference entry, or none (the runtime core alone), and a main that
 * loads, prepares and invokes through it, so --gc-sections keeps exactly what that set needs. */
#include "tigris/kernels/backend_reference.h"
#include "tigris/runtime/tigris_runtime.h"

const tgrs_backend_t target_size_kernels = {
    "size",
    {
#ifdef TARGET_SET_F32
#define TIGRIS_OP_TRAITS(name, onnx, code, import, params, kernel, subop, inputs, out, act, tile) \
  [code] = TGRS_REF_KERNEL_F32(name),
#include "tigris/ops.def"
#undef TIGRIS_OP_TRAITS
#endif
        [0] = {0, 0, 0},
    },
    {
#ifdef TARGET_SET_S8
#define TIGRIS_OP_S8(name, params, kernel) [TGRS_OP_##name] = TGRS_REF_KERNEL_S8(name),
#include "tigris/ops_s8.def"
#undef TIGRIS_OP_S8
#endif
        [0] = {0, 0, 0},
    }};

extern const unsigned char target_size_blob[];
static tgrs_plan_t plan;

int main(void) {
  void* arenas[1] = {0};
  size_t sizes[1] = {0};
  tgrs_tensor_t v;
  if (tgrs_plan_load_with(&plan, target_size_blob, 4096u, &target_size_kernels) != TGRS_OK) return 1;
  if (tgrs_plan_prepare(&plan, arenas, sizes, 1, 0) != TGRS_OK) return 1;
  if (tgrs_plan_input(&plan, 0, &v) != TGRS_OK || tgrs_plan_output(&plan, 0, &v) != TGRS_OK) return 1;
  return tgrs_plan_invoke(&plan) != TGRS_OK;
}

const unsigned char target_size_blob[4096] = {0};
void _start(void);
void _start(void) { (void)main(); }
