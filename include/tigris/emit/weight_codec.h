// How a weight stage's bytes are stored in the plan: raw, or one LZ4 block (Debian's liblz4,
// LZ4_compress_HC) when that is smaller, with the margin the runtime's in-place decode needs.
#pragma once

#include <cstdint>
#include <vector>

namespace tigris::emit {

enum class WeightCompression : uint8_t { kNone, kLz4 };

struct StoredStage {
  uint32_t codec = 0;          // TGRS_CODEC_RAW / TGRS_CODEC_LZ4
  std::vector<uint8_t> bytes;  // what the weights section holds
  uint64_t margin = 0;         // bytes after the decoded ones the fill needs
};

// `in_place`: the stored bytes are read into the end of the stage's region and decoded forward
// (streamed plans); otherwise they are decoded from flash and need no margin.
StoredStage EncodeStage(const std::vector<uint8_t>& raw, WeightCompression compression, bool in_place);

// The smallest margin m such that decoding `block` (an LZ4 block of `decoded` bytes) placed at
// the end of a decoded + m byte region, forward into its start, never overwrites input not read
// yet: max(0, max over sequence ends of (written - read) - (decoded - block.size())).
uint64_t Lz4InPlaceMargin(const std::vector<uint8_t>& block, uint64_t decoded);

}  // namespace tigris::emit
