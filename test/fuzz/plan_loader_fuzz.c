/* libFuzzer entry for the plan loader: any bytes must either be rejected by tgrs_plan_load or
 * run inside exact-size arenas. The checksum is recomputed first so the fuzzer reaches the deeper
 * validators. Build (not part of CI):
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude test/fuzz/plan_loader_fuzz.c \
 *     src/runtime/\*.c src/kernels/\*.c -lm -o plan_loader_fuzz */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tigris/runtime/tigris_runtime.h"

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  uint8_t* blob;
  tgrs_plan_t plan;
  void* arenas[TGRS_MAX_POOLS] = {0};
  size_t sizes[TGRS_MAX_POOLS] = {0};
  uint32_t p, n_pools;
  if (posix_memalign((void**)&blob, 16, size == 0 ? 1 : size) != 0) return 0;
  if (size > 0) memcpy(blob, data, size);
  if (size >= sizeof(tgrs_plan_header_t)) {
    tgrs_plan_header_t h;
    memcpy(&h, blob, sizeof(h));
    if (h.total_size >= 16u && h.total_size <= size) {
      h.checksum = tgrs_crc32(blob + 16, h.total_size - 16u);
      memcpy(blob, &h, sizeof(h));
    }
  }
  if (tgrs_plan_load(&plan, blob, size) == TGRS_OK) {
    n_pools = tgrs_plan_pool_count(&plan);
    for (p = 0; p < n_pools; ++p) {
      sizes[p] = tgrs_plan_pool_size(&plan, p);
      if (sizes[p] > (16u << 20) || posix_memalign(&arenas[p], 16, sizes[p] == 0 ? 1 : sizes[p]) != 0) goto done;
      memset(arenas[p], 0, sizes[p] == 0 ? 1 : sizes[p]);
    }
    if (tgrs_plan_prepare(&plan, arenas, sizes, n_pools, NULL) == TGRS_OK) (void)tgrs_plan_invoke(&plan);
  }
done:
  for (p = 0; p < TGRS_MAX_POOLS; ++p) free(arenas[p]);
  free(blob);
  return 0;
}
