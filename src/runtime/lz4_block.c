/* A small LZ4 block decoder written from the LZ4 block format description: sequences of
 * token, literal-length bytes, literals, 2-byte offset and match-length bytes. Every read stays
 * inside [src, src + src_size) and every write inside [dst, dst + dst_size), whatever the input;
 * src may lie at the end of dst's region (in-place decoding: literals are moved with memmove). */
#include <string.h>

#include "runtime_internal.h"

/* Reads an LZ4 length continuation (bytes of 255 then a final byte) into *len; 0 when the
 * input ends first or the length passes `limit` (which also rules out overflow). */
static int read_length(const uint8_t* src, uint32_t src_size, uint32_t* ip, uint32_t* len, uint32_t limit) {
  uint8_t b;
  do {
    if (*ip >= src_size) return 0;
    b = src[(*ip)++];
    *len += b;
    if (*len > limit) return 0;
  } while (b == 255u);
  return 1;
}

tgrs_status_t tgrs_lz4_decode(const uint8_t* src, uint32_t src_size, uint8_t* dst, uint32_t dst_size) {
  uint32_t ip = 0u, op = 0u;
  if (src == NULL && src_size > 0u) return TGRS_ERR_BAD_ARG;
  for (;;) {
    uint32_t lit, mlen, off;
    uint8_t token;
    if (ip >= src_size) return TGRS_ERR_BAD_LZ4; /* a block ends with a literals-only sequence */
    token = src[ip++];
    lit = (uint32_t)(token >> 4);
    if (lit == 15u && !read_length(src, src_size, &ip, &lit, src_size)) return TGRS_ERR_BAD_LZ4;
    if (lit > src_size - ip || lit > dst_size - op) return TGRS_ERR_BAD_LZ4;
    if (dst != NULL && lit > 0u) memmove(dst + op, src + ip, lit);
    ip += lit;
    op += lit;
    if (ip == src_size) break; /* the last sequence: literals only */
    if (src_size - ip < 2u) return TGRS_ERR_BAD_LZ4;
    off = (uint32_t)src[ip] | ((uint32_t)src[ip + 1u] << 8);
    ip += 2u;
    if (off == 0u || off > op) return TGRS_ERR_BAD_LZ4; /* before the start of the output */
    mlen = (uint32_t)(token & 15u);
    if (mlen == 15u && !read_length(src, src_size, &ip, &mlen, dst_size)) return TGRS_ERR_BAD_LZ4;
    mlen += 4u; /* minimum match */
    if (mlen > dst_size - op) return TGRS_ERR_BAD_LZ4;
    if (dst != NULL) {
      if (off >= mlen) {
        memcpy(dst + op, dst + op - off, mlen);
      } else {
        uint32_t i; /* overlapping match: repeats the last `off` bytes */
        for (i = 0; i < mlen; ++i) dst[op + i] = dst[op + i - off];
      }
    }
    op += mlen;
  }
  return op == dst_size ? TGRS_OK : TGRS_ERR_BAD_LZ4;
}
