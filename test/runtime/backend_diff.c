/* Whole-plan differential run of a vendor backend against the reference backend on the host:
 * loads PLAN.tgrs (XIP) once, prepares it with the reference table and with the vendor table on
 * separate arenas, writes the same pseudo-random bytes into every input (floats in [-1, 1) for
 * f32 inputs), invokes both and requires every output byte-identical. Prints one line with the
 * number of kernel calls the vendor library took (the backend's counter), so a test can also
 * require that the vendor path ran. Usage: backend_diff PLAN.tgrs [SEED] [MIN_VENDOR_CALLS]. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tigris/kernels/backend_esp_nn.h"
#include "tigris/runtime/tigris_runtime.h"

static uint32_t next(uint32_t* s) {
  *s = *s * 1664525u + 1013904223u;
  return *s >> 8;
}

/* malloc is 16-byte aligned on the hosts this runs on (glibc, 64-bit); checked, not assumed */
static void* alloc16(size_t n) {
  void* p = malloc(n + 16u);
  if (p != NULL && ((uintptr_t)p & 15u) != 0) {
    free(p);
    return NULL;
  }
  return p;
}

static int64_t view_bytes(const tgrs_tensor_t* t) {
  int64_t n = tgrs_dtype_size(t->dtype);
  int32_t d;
  for (d = 0; d < t->rank; ++d) n *= t->dims[d];
  return n;
}

typedef struct {
  tgrs_plan_t plan;
  void* arenas[TGRS_MAX_POOLS];
  size_t sizes[TGRS_MAX_POOLS];
} run_t;

static int run(run_t* r, const void* blob, size_t size, const tgrs_backend_t* backend, uint32_t seed) {
  uint32_t n, p, k, s = seed;
  tgrs_status_t st = tgrs_plan_load(&r->plan, blob, size);
  if (st != TGRS_OK) return fprintf(stderr, "load: %s\n", tgrs_status_str(st)), 1;
  n = tgrs_plan_pool_count(&r->plan);
  for (p = 0; p < n; ++p) {
    r->sizes[p] = tgrs_plan_pool_size(&r->plan, p);
    r->arenas[p] = alloc16(r->sizes[p]);
    if (r->arenas[p] == NULL) return fprintf(stderr, "no 16-byte aligned memory\n"), 1;
    memset(r->arenas[p], 0, r->sizes[p]);
  }
  st = tgrs_plan_prepare(&r->plan, r->arenas, r->sizes, n, backend);
  if (st != TGRS_OK) return fprintf(stderr, "prepare (%s): %s at op %d\n", backend->name, tgrs_status_str(st), (int)r->plan.failed_op), 1;
  for (k = 0; k < tgrs_plan_input_count(&r->plan); ++k) {
    tgrs_tensor_t v;
    int64_t i, count;
    tgrs_plan_input(&r->plan, k, &v);
    count = view_bytes(&v) / tgrs_dtype_size(v.dtype);
    for (i = 0; i < count; ++i) {
      if (v.dtype == TGRS_DTYPE_F32) {
        ((float*)v.data)[i] = (float)((int32_t)(next(&s) & 0xffff) - 32768) / 32768.0f;
      } else if (tgrs_dtype_size(v.dtype) == 1) {
        ((uint8_t*)v.data)[i] = (uint8_t)next(&s);
      } else {
        return fprintf(stderr, "input %u: dtype %d not generated\n", (unsigned)k, (int)v.dtype), 1;
      }
    }
  }
  st = tgrs_plan_invoke(&r->plan);
  if (st != TGRS_OK) return fprintf(stderr, "invoke (%s): %s\n", backend->name, tgrs_status_str(st)), 1;
  return 0;
}

int main(int argc, char** argv) {
  FILE* f;
  long size;
  void* blob;
  run_t ref, esp;
  uint32_t k, calls, seed = argc > 2 ? (uint32_t)strtoul(argv[2], NULL, 10) : 1u;
  const uint32_t min_calls = argc > 3 ? (uint32_t)strtoul(argv[3], NULL, 10) : 1u;
  if (argc < 2) return fprintf(stderr, "usage: backend_diff PLAN.tgrs [SEED] [MIN_VENDOR_CALLS]\n"), 2;
  f = fopen(argv[1], "rb");
  if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) <= 0 || fseek(f, 0, SEEK_SET) != 0)
    return fprintf(stderr, "cannot read %s\n", argv[1]), 1;
  blob = alloc16((size_t)size);
  if (blob == NULL || fread(blob, 1, (size_t)size, f) != (size_t)size) return fprintf(stderr, "cannot read %s\n", argv[1]), 1;
  fclose(f);
  if (run(&ref, blob, (size_t)size, &tgrs_backend_reference, seed) != 0) return 1;
  tgrs_esp_nn_counters.vendor = tgrs_esp_nn_counters.reference = 0;
  if (run(&esp, blob, (size_t)size, &tgrs_backend_esp_nn, seed) != 0) return 1;
  calls = tgrs_esp_nn_counters.vendor;
  for (k = 0; k < tgrs_plan_output_count(&ref.plan); ++k) {
    tgrs_tensor_t a, b;
    tgrs_plan_output(&ref.plan, k, &a);
    tgrs_plan_output(&esp.plan, k, &b);
    if (memcmp(a.data, b.data, (size_t)view_bytes(&a)) != 0) {
      printf("backend_diff: FAIL: output %u (%s) differs between reference and %s\n", (unsigned)k,
             tgrs_plan_output_name(&ref.plan, k), tgrs_backend_esp_nn.name);
      return 1;
    }
  }
  if (calls < min_calls) {
    printf("backend_diff: FAIL: %u vendor calls, expected at least %u\n", (unsigned)calls, (unsigned)min_calls);
    return 1;
  }
  printf("backend_diff: PASS (%u outputs bit-identical to the reference; %u calls ran %s, %u of its ops' fell back)\n",
         (unsigned)tgrs_plan_output_count(&ref.plan), (unsigned)calls, tgrs_backend_esp_nn.name,
         (unsigned)tgrs_esp_nn_counters.reference);
  return 0;
}
