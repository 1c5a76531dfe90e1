/* Backend-independent helpers every firmware links, whichever kernels it resolves: dtype sizes
 * and the (op, dtype) lookup into a tgrs_backend_t. Kept apart from backend_reference.c so that
 * a resolver table (tigris codegen) or a vendor backend does not pull in the reference table. */
#include "tigris/kernels/backend_vendor.h"
#include "tigris/kernels/tgrs_types.h"

int32_t tgrs_dtype_size(int32_t dtype) {
  switch (dtype) {
    case TGRS_DTYPE_F32:
    case TGRS_DTYPE_I32:
      return 4;
    case TGRS_DTYPE_U8:
    case TGRS_DTYPE_I8:
    case TGRS_DTYPE_BOOL:
      return 1;
    case TGRS_DTYPE_I16:
      return 2;
    case TGRS_DTYPE_I64:
      return 8;
    default:
      return 0;
  }
}

const tgrs_kernel_t* tgrs_backend_kernel(const tgrs_backend_t* backend, uint32_t kind, uint32_t dtype) {
  if (backend == NULL || kind == 0u || kind >= (uint32_t)TGRS_OP_COUNT) return NULL;
  if (dtype == (uint32_t)TGRS_DTYPE_F32) return &backend->ops[kind];
  if (dtype == (uint32_t)TGRS_DTYPE_I8) return &backend->ops_s8[kind];
  return NULL;
}

static const char* const kIsaNames[TGRS_ISA_COUNT_] = {"portable", "dsp", "mve", "esp32s3"};

const char* tgrs_isa_name(int32_t isa) {
  return (isa >= 0 && isa < (int32_t)TGRS_ISA_COUNT_) ? kIsaNames[isa] : NULL;
}

int32_t tgrs_isa_from_name(const char* name) {
  int32_t i;
  if (name == NULL) return -1;
  for (i = 0; i < (int32_t)TGRS_ISA_COUNT_; ++i) {
    const char* a = kIsaNames[i];
    const char* b = name;
    while (*a != '\0' && *a == *b) {
      ++a;
      ++b;
    }
    if (*a == '\0' && *b == '\0') return i;
  }
  return -1;
}
