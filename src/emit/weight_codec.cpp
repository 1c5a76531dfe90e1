// Weight stage storage for the plan: LZ4 block compression through liblz4 (host only; the
// runtime has its own decoder) and the exact in-place decode margin, found by walking the block.
#include "tigris/emit/weight_codec.h"

#include <lz4.h>
#include <lz4hc.h>

#include <algorithm>

#include "tigris/runtime/tgrs_plan_format.h"

namespace tigris::emit {

uint64_t Lz4InPlaceMargin(const std::vector<uint8_t>& block, uint64_t decoded) {
  // Walk the sequences (the block is our own compressor's output, so well formed).
  int64_t worst = 0;
  size_t ip = 0;
  uint64_t op = 0;
  auto length = [&](uint64_t len) {
    uint8_t b = 255;
    while (b == 255 && ip < block.size()) {
      b = block[ip++];
      len += b;
    }
    return len;
  };
  while (ip < block.size()) {
    const uint8_t token = block[ip++];
    uint64_t lit = token >> 4;
    if (lit == 15) lit = length(lit);
    ip += lit;
    op += lit;
    if (ip >= block.size()) break;
    ip += 2;
    uint64_t mlen = token & 15u;
    if (mlen == 15) mlen = length(mlen);
    op += mlen + 4;
    worst = std::max(worst, static_cast<int64_t>(op) - static_cast<int64_t>(ip));
  }
  const int64_t m = worst - (static_cast<int64_t>(decoded) - static_cast<int64_t>(block.size()));
  return static_cast<uint64_t>(std::max<int64_t>(0, m));
}

StoredStage EncodeStage(const std::vector<uint8_t>& raw, WeightCompression compression, bool in_place) {
  StoredStage out;
  out.codec = TGRS_CODEC_RAW;
  out.bytes = raw;
  if (compression != WeightCompression::kLz4 || raw.empty() || raw.size() > static_cast<size_t>(LZ4_MAX_INPUT_SIZE))
    return out;
  std::vector<uint8_t> packed(static_cast<size_t>(LZ4_compressBound(static_cast<int>(raw.size()))));
  const int n = LZ4_compress_HC(reinterpret_cast<const char*>(raw.data()), reinterpret_cast<char*>(packed.data()),
                                static_cast<int>(raw.size()), static_cast<int>(packed.size()), LZ4HC_CLEVEL_DEFAULT);
  if (n <= 0) return out;
  packed.resize(static_cast<size_t>(n));
  const uint64_t margin = in_place ? Lz4InPlaceMargin(packed, raw.size()) : 0;
  // Worth it only when the stored bytes shrink (a stage of noise stays raw).
  if (packed.size() >= raw.size()) return out;
  out.codec = TGRS_CODEC_LZ4;
  out.bytes = std::move(packed);
  out.margin = margin;
  return out;
}

}  // namespace tigris::emit
