/* The test firmware's board services (startup.c): semihosting output and exit, the SysTick tick
 * counter (under `qemu -icount shift=0` one tick = 1e9 / sysclk instructions, deterministic),
 * and stack painting. */
#ifndef TIGRIS_TEST_TARGET_H
#define TIGRIS_TEST_TARGET_H

#include <stdint.h>

void tgt_putc(char c);
void tgt_puts(const char* s);
void tgt_put_hex(uint32_t v, int digits);
void tgt_exit(int code);
uint64_t tgt_ticks(void);
uintptr_t tgt_stack_pointer(void);
void tgt_stack_paint(void);
uintptr_t tgt_stack_low(void);

/* io.c, written by run_target.py next to model.c: the input bytes and output buffers. */
extern const void* const tgt_inputs[];
extern void* const tgt_outputs[];

#endif
