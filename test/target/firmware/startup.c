/* Bare-metal start-up for the QEMU MPS2/MPS3 test firmware (Cortex-M4 and Cortex-M55), written
 * for TiGrIS: the vector table, a reset handler that copies .data, zeroes .bss and enables the
 * FPU, SysTick as a 64-bit tick counter, stack painting, and the three ARM semihosting calls the
 * firmware needs (SYS_WRITEC, SYS_WRITE0, SYS_EXIT via `bkpt 0xab`). No libc start files. */
#include <stdint.h>

#include "target.h"

extern uint32_t __data_load[], __data_start[], __data_end[], __bss_start[], __bss_end[];
extern uint32_t __stack_limit[], __stack_top[];
int main(void);

#define SCB_CPACR (*(volatile uint32_t*)0xE000ED88u)
#define SYST_CSR (*(volatile uint32_t*)0xE000E010u)
#define SYST_RVR (*(volatile uint32_t*)0xE000E014u)
#define SYST_CVR (*(volatile uint32_t*)0xE000E018u)
#define SYST_MAX 0x00FFFFFFu
#define STACK_PAINT 0x5AA5C33Cu

/* ARM semihosting: operation in r0, argument (block) pointer in r1, result in r0. */
static uint32_t semihost(uint32_t op, const void* arg) {
  register uint32_t r0 __asm__("r0") = op;
  register const void* r1 __asm__("r1") = arg;
  __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
  return r0;
}

#define SYS_WRITEC 0x03u
#define SYS_WRITE0 0x04u
#define SYS_EXIT 0x18u
#define ADP_STOPPED_APPLICATION_EXIT 0x20026u
#define ADP_STOPPED_RUNTIME_ERROR 0x20023u

void tgt_putc(char c) { semihost(SYS_WRITEC, &c); }
void tgt_puts(const char* s) { semihost(SYS_WRITE0, s); }

void tgt_exit(int code) {
  /* 32-bit semihosting passes the reason itself; QEMU exits 0 for ApplicationExit, 1 otherwise */
  semihost(SYS_EXIT, (const void*)(uintptr_t)(code == 0 ? ADP_STOPPED_APPLICATION_EXIT : ADP_STOPPED_RUNTIME_ERROR));
  for (;;) {
  }
}

void tgt_put_hex(uint32_t v, int digits) {
  static const char kHex[] = "0123456789abcdef";
  char buf[9];
  int i;
  if (digits > 8) digits = 8;
  for (i = 0; i < digits; ++i) buf[i] = kHex[(v >> (4 * (digits - 1 - i))) & 0xFu];
  buf[digits] = 0;
  tgt_puts(buf);
}

static volatile uint32_t systick_wraps;

void tgt_systick_handler(void) { ++systick_wraps; }

uint64_t tgt_ticks(void) {
  uint32_t hi, lo;
  do {
    hi = systick_wraps;
    lo = SYST_CVR;
  } while (hi != systick_wraps);
  return ((uint64_t)hi << 24) + (SYST_MAX - lo);
}

/* The stack pointer of the caller's frame (noinline: its own frame is below). */
__attribute__((noinline)) uintptr_t tgt_stack_pointer(void) {
  volatile uint32_t here = 0;
  return (uintptr_t)&here;
}

/* Paints [__stack_limit, current sp - 64) so tgt_stack_low() can find the deepest write. */
__attribute__((noinline)) void tgt_stack_paint(void) {
  uint32_t* p = __stack_limit;
  uint32_t* end = (uint32_t*)(tgt_stack_pointer() - 64u);
  while (p < end) *p++ = STACK_PAINT;
}

uintptr_t tgt_stack_low(void) {
  const uint32_t* p = __stack_limit;
  while (p < __stack_top && *p == STACK_PAINT) ++p;
  return (uintptr_t)p;
}

static void fault_handler(void) {
  tgt_puts("TIGRIS_TARGET FAIL: unexpected exception\n");
  tgt_exit(1);
}

void tgt_reset_handler(void);

typedef union {
  void (*handler)(void);
  const void* ptr;
} tgt_vector_t;

__attribute__((section(".vectors"), used)) const tgt_vector_t tgt_vectors[16] = {
    {.ptr = __stack_top},    {.handler = tgt_reset_handler}, {.handler = fault_handler}, /* NMI */
    {.handler = fault_handler}, /* HardFault */
    {.handler = fault_handler}, /* MemManage */
    {.handler = fault_handler}, /* BusFault */
    {.handler = fault_handler}, /* UsageFault */
    {.handler = fault_handler}, /* SecureFault (v8-M) */
    {.ptr = 0},              {.ptr = 0},
    {.ptr = 0},              {.handler = fault_handler}, /* SVC */
    {.handler = fault_handler}, /* DebugMon */
    {.ptr = 0},              {.handler = fault_handler}, /* PendSV */
    {.handler = tgt_systick_handler}};

void tgt_reset_handler(void) {
  const uint32_t* src = __data_load;
  uint32_t* dst;
  for (dst = __data_start; dst < __data_end;) *dst++ = *src++;
  for (dst = __bss_start; dst < __bss_end;) *dst++ = 0u;
#if defined(__ARM_FP) || defined(__ARM_FEATURE_MVE)
  SCB_CPACR |= 0xFu << 20; /* CP10, CP11 full access */
  __asm__ volatile("dsb\n\tisb" ::: "memory");
#endif
  SYST_RVR = SYST_MAX;
  SYST_CVR = 0u;
  SYST_CSR = 0x7u; /* enable, interrupt on wrap, processor clock */
  tgt_exit(main());
}
