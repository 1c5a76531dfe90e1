/* The on-target test: load and prepare the generated plan (model.c), run one inference on the
 * input of io.c, and print over semihosting what run_target.py compares with the host run:
 * every output in hex, the ticks of load and of the inference, the stack one inference used,
 * then one fixed pass line. No heap; the arenas are static (arena 0 in the board's data SRAM,
 * the slow pools in .slow_pool, which the linker script puts in PSRAM/DDR). A streamed plan's
 * weights (model_weights, section .tgrs_weights: the linker script's XFLASH region, standing in
 * for external SPI flash) reach the runtime only through read_weights below, which counts the
 * reads of load and of the inference and copies through the generated model_read_weights. */
#include <stdint.h>

#include "model.h"
#include "target.h"
#include "tigris/runtime/tigris_runtime.h"

static uint8_t arena0[MODEL_ARENA_SIZE_0 + 16u] __attribute__((aligned(16)));
#if MODEL_ARENA_COUNT > 1
static uint8_t arena1[MODEL_ARENA_SIZE_1 + 16u] __attribute__((aligned(16), section(".slow_pool")));
#endif
#if MODEL_ARENA_COUNT > 2
#error "the test firmware binds at most two pools"
#endif

static void* const arenas[MODEL_ARENA_COUNT] = {
    arena0,
#if MODEL_ARENA_COUNT > 1
    arena1,
#endif
};

#ifdef TGRS_PROFILE
/* Ticks spent inside kernel calls (the runtime calls these around each one). */
static uint64_t kernel_ticks, kernel_start;
static uint32_t kernel_calls;
void tgrs_profile_kernel_begin(const tgrs_op_rec_t* op) {
  (void)op;
  kernel_start = tgt_ticks();
}
void tgrs_profile_kernel_end(const tgrs_op_rec_t* op) {
  (void)op;
  kernel_ticks += tgt_ticks() - kernel_start;
  ++kernel_calls;
}
#endif

#if MODEL_STREAMED
static uint32_t weight_reads, weight_read_bytes;
static tgrs_status_t read_weights(void* user, uint32_t offset, void* dst, uint32_t size) {
  ++weight_reads;
  weight_read_bytes += size;
  return model_read_weights(user, offset, dst, size);
}
#define TGT_READER read_weights
#else
#define TGT_READER NULL
#endif

static void put_u64(const char* label, uint64_t v) {
  tgt_puts(label);
  tgt_put_hex((uint32_t)(v >> 32), 8);
  tgt_put_hex((uint32_t)v, 8);
  tgt_puts("\n");
}

static void put_bytes(const uint8_t* p, uint32_t n) {
  uint32_t i;
  for (i = 0; i < n; ++i) {
    tgt_put_hex(p[i], 2);
    if (i % 64u == 63u) tgt_puts("\n");
  }
  tgt_puts("\n");
}

int main(void) {
  uint64_t t0, t1, t2;
  uintptr_t sp;
  uint32_t k;
  tgrs_status_t st;
  tgt_puts("TIGRIS_TARGET begin\n");
  sp = tgt_stack_pointer();
  tgt_stack_paint();
  t0 = tgt_ticks();
  st = model_init(arenas, TGT_READER, NULL);
  t1 = tgt_ticks();
  if (st != TGRS_OK) {
    tgt_puts("TIGRIS_TARGET FAIL: init: ");
    tgt_puts(tgrs_status_str(st));
    tgt_puts("\n");
    return 1;
  }
  put_u64("load_ticks 0x", t1 - t0);
  put_u64("load_stack 0x", sp - tgt_stack_low());
#if MODEL_STREAMED
  put_u64("load_weight_reads 0x", weight_reads);
  put_u64("load_weight_bytes 0x", weight_read_bytes);
  weight_reads = weight_read_bytes = 0u;
#endif
  tgt_stack_paint();
  t1 = tgt_ticks();
  st = model_run(tgt_inputs, tgt_outputs);
  t2 = tgt_ticks();
  put_u64("run_stack 0x", sp - tgt_stack_low());
  if (st != TGRS_OK) {
    tgt_puts("TIGRIS_TARGET FAIL: run\n");
    return 1;
  }
  put_u64("run_ticks 0x", t2 - t1);
#if MODEL_STREAMED
  put_u64("run_weight_reads 0x", weight_reads);
  put_u64("run_weight_bytes 0x", weight_read_bytes);
#endif
#ifdef TGRS_PROFILE
  put_u64("kernel_ticks 0x", kernel_ticks);
  put_u64("kernel_calls 0x", kernel_calls);
#endif
  for (k = 0; k < MODEL_OUTPUT_COUNT; ++k) {
    tgt_puts("output ");
    tgt_put_hex(k, 2);
    tgt_puts("\n");
    put_bytes((const uint8_t*)tgt_outputs[k], model_output_bytes[k]);
  }
  tgt_puts("TIGRIS_TARGET PASS\n");
  return 0;
}
