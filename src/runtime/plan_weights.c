/* Weights that are not read in place: the segment table's checks at load, the application's
 * reader, and filling a stage's weights (read through the callback or from the blob, then
 * copied or LZ4-decoded in place) into the arena region the compiler planned for them. */
#include <string.h>

#include "tigris/runtime/tigris_runtime.h"
#include "runtime_internal.h"

uint32_t tgrs_plan_head_size(const void* header, size_t size) {
  tgrs_plan_header_t h;
  if (header == NULL || size < sizeof(h)) return 0u;
  memcpy(&h, header, sizeof(h));
  if (h.magic != TGRS_MAGIC || h.version_major != TGRS_FORMAT_MAJOR) return 0u;
  if (h.weights_off < (uint32_t)sizeof(h) || h.weights_off > h.total_size) return 0u;
  return h.weights_off;
}

int tgrs_plan_is_streamed(const tgrs_plan_t* plan) {
  return plan != NULL && plan->hdr != NULL && (plan->hdr->flags & TGRS_FLAG_XIP) == 0u;
}

tgrs_status_t tgrs_plan_set_reader(tgrs_plan_t* plan, tgrs_read_fn read, void* user) {
  if (plan == NULL || plan->hdr == NULL || read == NULL) return TGRS_ERR_BAD_ARG;
  plan->read = read;
  plan->read_user = user;
  plan->prepared = 0;
  return TGRS_OK;
}

uint32_t tigris_weight_decompression_overhead(const tgrs_plan_t* plan) {
  uint32_t i, most = 0u;
  if (plan == NULL || plan->hdr == NULL) return 0u;
  for (i = 0; i < plan->hdr->n_segments; ++i)
    if (plan->segments[i].codec == TGRS_CODEC_LZ4 && plan->segments[i].margin > most) most = plan->segments[i].margin;
  return most;
}

tgrs_status_t tgrs_rt_check_segments(const tgrs_plan_t* plan) {
  const tgrs_plan_header_t* h = plan->hdr;
  const int xip = (h->flags & TGRS_FLAG_XIP) != 0u;
  uint32_t i, l = 0u, next_free = 0u;
  for (i = 0; i < h->n_segments; ++i) {
    const tgrs_weight_seg_rec_t* s = &plan->segments[i];
    const uint64_t span = (uint64_t)s->size + s->margin;
    if (s->first_op >= h->n_ops || s->first_op < next_free) return TGRS_ERR_CORRUPT;
    /* 4.1: [first_op, last_op] ranges, sorted and disjoint; 4.0: last_op 0 (unknown), sorted starts */
    if (h->version_minor >= 1u) {
      if (s->last_op < s->first_op || s->last_op >= h->n_ops) return TGRS_ERR_CORRUPT;
      next_free = s->last_op + 1u;
    } else {
      if (s->last_op != 0u) return TGRS_ERR_CORRUPT;
      next_free = s->first_op;
    }
    /* loops are sorted and disjoint: skip those that end at or before first_op */
    while (l < h->n_loops && plan->loops[l].first_op + plan->loops[l].n_ops <= s->first_op) ++l;
    if (l < h->n_loops && plan->loops[l].first_op < s->first_op) return TGRS_ERR_CORRUPT; /* inside a body */
    if (s->pool >= h->n_pools || s->dst_offset % TGRS_SECTION_ALIGN != 0u) return TGRS_ERR_CORRUPT;
    if ((uint64_t)s->dst_offset + span > h->pool_size[s->pool]) return TGRS_ERR_CORRUPT;
    if ((uint64_t)s->src_offset + s->src_size > h->weights_size) return TGRS_ERR_CORRUPT;
    if (s->codec == TGRS_CODEC_RAW) {
      if (s->src_size != s->size || s->margin != 0u) return TGRS_ERR_CORRUPT;
    } else if (s->codec == TGRS_CODEC_LZ4) {
      if ((uint64_t)s->src_size > span) return TGRS_ERR_CORRUPT;
      /* the bytes are here (and covered by the weights checksum): check the stream once */
      if (xip && tgrs_lz4_decode(plan->weights + s->src_offset, s->src_size, NULL, s->size) != TGRS_OK)
        return TGRS_ERR_BAD_LZ4;
    } else {
      return TGRS_ERR_CORRUPT;
    }
  }
  return TGRS_OK;
}

tgrs_status_t tgrs_rt_fill_segment(const tgrs_plan_t* plan, const tgrs_weight_seg_rec_t* seg, int verify) {
  uint8_t* region = plan->arenas[seg->pool] + seg->dst_offset;
  const uint8_t* src;
  if (plan->hdr->flags & TGRS_FLAG_XIP) {
    src = plan->weights + seg->src_offset;
  } else {
    /* the stored bytes go to the end of the region; the loader checked src_size <= size + margin */
    uint8_t* tail = region + (seg->size + seg->margin - seg->src_size);
    if (plan->read == NULL) return TGRS_ERR_READ;
    if (seg->src_size > 0u &&
        plan->read(plan->read_user, plan->hdr->weights_off + seg->src_offset, tail, seg->src_size) != TGRS_OK)
      return TGRS_ERR_READ;
    src = tail;
  }
  if (verify && tgrs_crc32(src, seg->src_size) != seg->crc) return TGRS_ERR_CHECKSUM;
  if (seg->codec == TGRS_CODEC_LZ4) return tgrs_lz4_decode(src, seg->src_size, region, seg->size);
  if (src != region && seg->size > 0u) memcpy(region, src, seg->size);
  return TGRS_OK;
}
