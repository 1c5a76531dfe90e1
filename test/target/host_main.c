/* Host driver for the generated C (codegen_host.sh, cmsis_host.sh): the firmware's main loop
 * without a board, printing each output in hex like the firmware does; built against a CMSIS-NN
 * backend with TGRS_VENDOR_COUNTERS it also prints, on stderr, how many calls ran CMSIS-NN. */
#include <stdint.h>
#include <stdio.h>

#include "model.h"
#include "target.h"
#if defined(TGRS_VENDOR_COUNTERS) && defined(TGRS_HOST_CMSIS_NN)
#include "tigris/kernels/backend_cmsis_nn.h"
#endif

static uint8_t arena0[MODEL_ARENA_SIZE_0 + 16u] __attribute__((aligned(16)));
#if MODEL_ARENA_COUNT > 1
static uint8_t arena1[MODEL_ARENA_SIZE_1 + 16u] __attribute__((aligned(16)));
#endif

int main(void) {
  void* const arenas[MODEL_ARENA_COUNT] = {
      arena0,
#if MODEL_ARENA_COUNT > 1
      arena1,
#endif
  };
  uint32_t k, i;
  tgrs_status_t st = model_init(arenas, NULL, NULL); /* a streamed plan: the default reader */
  if (st == TGRS_OK) st = model_run(tgt_inputs, tgt_outputs);
  if (st != TGRS_OK) {
    fprintf(stderr, "model: status %d\n", (int)st);
    return 1;
  }
  for (k = 0; k < MODEL_OUTPUT_COUNT; ++k) {
    printf("output %02x\n", (unsigned)k);
    for (i = 0; i < model_output_bytes[k]; ++i) printf("%02x", ((const uint8_t*)tgt_outputs[k])[i]);
    printf("\n");
  }
#if defined(TGRS_VENDOR_COUNTERS) && defined(TGRS_HOST_CMSIS_NN)
  fprintf(stderr, "vendor_calls %u reference_calls %u\n", (unsigned)tgrs_cmsis_counters.vendor,
          (unsigned)tgrs_cmsis_counters.reference);
#endif
  return 0;
}
