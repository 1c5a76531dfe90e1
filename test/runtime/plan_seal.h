/* Test helper (C and C++): recomputes a plan's two checksums (head [16, weights_off) and the
 * weights section) after deliberate damage, so the damage reaches the validators behind them.
 * Leaves bytes alone when the header's offsets do not fit `size`. */
#ifndef TIGRIS_TEST_RUNTIME_PLAN_SEAL_H
#define TIGRIS_TEST_RUNTIME_PLAN_SEAL_H

#include <stddef.h>
#include <string.h>

#include "tigris/runtime/tgrs_plan_format.h"

static inline void tgrs_test_reseal(uint8_t* blob, size_t size) {
  tgrs_plan_header_t h;
  if (size < sizeof(h)) return;
  memcpy(&h, blob, sizeof(h));
  if ((uint64_t)h.weights_off + h.weights_size <= size)
    h.weights_checksum = tgrs_crc32(blob + h.weights_off, h.weights_size);
  if (h.weights_off >= 16u && h.weights_off <= size) {
    memcpy(blob, &h, sizeof(h)); /* the head checksum covers the weights checksum */
    h.checksum = tgrs_crc32(blob + 16, h.weights_off - 16u);
  }
  memcpy(blob, &h, sizeof(h));
}

#endif
