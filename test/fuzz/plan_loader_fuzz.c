/* libFuzzer entry for the plan loader and the LZ4 decoder: any bytes must either be rejected
 * by tgrs_plan_load / tgrs_plan_prepare or run inside exact-size arenas (a streamed plan reads
 * its weights from the input through the callback). Both checksums are recomputed first so the
 * fuzzer reaches the deeper validators. test/fuzz/CMakeLists.txt builds it with clang
 * (-fsanitize=fuzzer,address,undefined) and CTest runs it for a bounded time on a corpus of
 * real plans (plan_loader_fuzz). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tigris/runtime/tigris_runtime.h"
#include "../runtime/plan_seal.h"

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

typedef struct {
  const uint8_t* bytes;
  size_t size;
} fuzz_source_t;

static tgrs_status_t fuzz_read(void* user, uint32_t offset, void* dst, uint32_t n) {
  const fuzz_source_t* src = (const fuzz_source_t*)user;
  if ((uint64_t)offset + n > src->size) return TGRS_ERR_READ;
  memcpy(dst, src->bytes + offset, n);
  return TGRS_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  uint8_t* blob;
  tgrs_plan_t plan;
  void* arenas[TGRS_MAX_POOLS] = {0};
  size_t sizes[TGRS_MAX_POOLS] = {0};
  uint32_t p, n_pools;
  fuzz_source_t src;
  uint8_t out[64];
  /* the decoder alone, on the raw input, into a small buffer and in validate-only mode */
  (void)tgrs_lz4_decode(data, (uint32_t)size, out, (uint32_t)(size % sizeof(out)));
  (void)tgrs_lz4_decode(data, (uint32_t)size, NULL, (uint32_t)(size * 3u));
  if (posix_memalign((void**)&blob, 16, size == 0 ? 1 : size) != 0) return 0;
  if (size > 0) memcpy(blob, data, size);
  tgrs_test_reseal(blob, size);
  src.bytes = blob;
  src.size = size;
  if (tgrs_plan_load(&plan, blob, size) == TGRS_OK) {
    n_pools = tgrs_plan_pool_count(&plan);
    for (p = 0; p < n_pools; ++p) {
      sizes[p] = tgrs_plan_pool_size(&plan, p);
      if (sizes[p] > (16u << 20) || posix_memalign(&arenas[p], 16, sizes[p] == 0 ? 1 : sizes[p]) != 0) goto done;
      memset(arenas[p], 0, sizes[p] == 0 ? 1 : sizes[p]);
    }
    if (tgrs_plan_is_streamed(&plan)) (void)tgrs_plan_set_reader(&plan, fuzz_read, &src);
    if (tgrs_plan_prepare(&plan, arenas, sizes, n_pools, NULL) == TGRS_OK) (void)tgrs_plan_invoke(&plan);
  }
done:
  for (p = 0; p < TGRS_MAX_POOLS; ++p) free(arenas[p]);
  free(blob);
  return 0;
}
