// Weights XIP / streamed / LZ4 on the host runtime, built with ASan + UBSan over the runtime and
// kernel sources: the three modes give bit-identical outputs, a streamed plan runs from its head
// alone (an exact-size buffer, so ASan sees any read past it), the LZ4 decoder survives every
// corruption, and a corrupted-plan corpus is rejected with the documented status codes.
#include <gtest/gtest.h>

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <random>

#include "plan_seal.h"
#include "test_plans.h"
#include "tigris/emit/weight_codec.h"
#include "tigris/runtime/tigris_runtime.h"

namespace tigris {
namespace {

using Buffer = std::unique_ptr<uint8_t, void (*)(void*)>;
Buffer Exact(size_t n) {  // exactly n bytes (16-aligned start), so ASan flags any overrun
  void* p = nullptr;
  if (posix_memalign(&p, 16, n == 0 ? 1 : n) != 0) std::abort();
  return Buffer(static_cast<uint8_t*>(p), std::free);
}

struct Source {
  const std::vector<uint8_t>* file = nullptr;
  bool fail = false;
  uint32_t reads = 0;
};
tgrs_status_t Read(void* user, uint32_t offset, void* dst, uint32_t size) {
  auto* s = static_cast<Source*>(user);
  ++s->reads;
  if (s->fail || static_cast<uint64_t>(offset) + size > s->file->size()) return TGRS_ERR_READ;
  std::memcpy(dst, s->file->data() + offset, size);
  return TGRS_OK;
}

const emit::EmitOptions kXip{true, emit::WeightCompression::kNone};
const emit::EmitOptions kStream{false, emit::WeightCompression::kNone};
const emit::EmitOptions kLz4{false, emit::WeightCompression::kLz4};
const emit::EmitOptions kLz4Xip{true, emit::WeightCompression::kLz4};

tgrs_plan_header_t Header(const std::vector<uint8_t>& b) {
  tgrs_plan_header_t h;
  std::memcpy(&h, b.data(), sizeof h);
  return h;
}
tgrs_weight_seg_rec_t Segment(const std::vector<uint8_t>& b, uint32_t i) {
  tgrs_weight_seg_rec_t s;
  std::memcpy(&s, b.data() + Header(b).segments_off + i * sizeof s, sizeof s);
  return s;
}
void SetSegment(std::vector<uint8_t>& b, uint32_t i, const tgrs_weight_seg_rec_t& s) {
  std::memcpy(b.data() + Header(b).segments_off + i * sizeof s, &s, sizeof s);
}

// Loads (a streamed plan: only its head, in an exact-size buffer), prepares exact arenas with the
// reader over `file`, writes a fixed input and invokes twice; the outputs' bytes, or the first
// failing status in *st.
std::vector<uint8_t> RunPlan(const std::vector<uint8_t>& file, tgrs_status_t* st, Source* src = nullptr) {
  Source own;
  if (src == nullptr) src = &own;
  src->file = &file;
  const uint32_t head = tgrs_plan_head_size(file.data(), file.size());
  const bool xip = file.size() >= sizeof(tgrs_plan_header_t) && (Header(file).flags & TGRS_FLAG_XIP) != 0u;
  const size_t n = head > 0 && !xip ? head : file.size();
  Buffer blob = Exact(n);
  if (n > 0) std::memcpy(blob.get(), file.data(), n);
  tgrs_plan_t plan;
  *st = tgrs_plan_load(&plan, blob.get(), n);
  if (*st != TGRS_OK) return {};
  if (tgrs_plan_is_streamed(&plan)) EXPECT_EQ(tgrs_plan_set_reader(&plan, Read, src), TGRS_OK);
  std::vector<Buffer> arenas;
  std::vector<void*> ptrs;
  std::vector<size_t> sizes;
  for (uint32_t p = 0; p < tgrs_plan_pool_count(&plan); ++p) {
    const uint32_t size = tgrs_plan_pool_size(&plan, p);
    if (size > (64u << 20)) {
      *st = TGRS_ERR_ARENA_TOO_SMALL;
      return {};
    }
    arenas.push_back(Exact(size));
    ptrs.push_back(arenas.back().get());
    sizes.push_back(size);
  }
  *st = tgrs_plan_prepare(&plan, ptrs.data(), sizes.data(), static_cast<uint32_t>(ptrs.size()), nullptr);
  if (*st != TGRS_OK) return {};
  std::vector<uint8_t> out;
  for (int run = 0; run < 2; ++run) {
    for (uint32_t k = 0; k < tgrs_plan_input_count(&plan); ++k) {
      tgrs_tensor_t v;
      EXPECT_EQ(tgrs_plan_input(&plan, k, &v), TGRS_OK);
      size_t bytes = static_cast<size_t>(tgrs_dtype_size(v.dtype));
      for (int d = 0; d < v.rank; ++d) bytes *= static_cast<size_t>(v.dims[d]);
      for (size_t i = 0; i < bytes; ++i) static_cast<uint8_t*>(v.data)[i] = static_cast<uint8_t>(i * 7 % 61);
    }
    *st = tgrs_plan_invoke(&plan);
    if (*st != TGRS_OK) return {};
  }
  for (uint32_t k = 0; k < tgrs_plan_output_count(&plan); ++k) {
    tgrs_tensor_t v;
    EXPECT_EQ(tgrs_plan_output(&plan, k, &v), TGRS_OK);
    size_t bytes = static_cast<size_t>(tgrs_dtype_size(v.dtype));
    for (int d = 0; d < v.rank; ++d) bytes *= static_cast<size_t>(v.dims[d]);
    out.insert(out.end(), static_cast<uint8_t*>(v.data), static_cast<uint8_t*>(v.data) + bytes);
  }
  return out;
}

std::vector<uint8_t> Plan(const emit::EmitOptions& o, const ir::Graph& g = testplans::RepeatingConvs()) {
  std::string error;
  std::vector<uint8_t> b = testplans::CompileWeights(g, o, &error);
  EXPECT_FALSE(b.empty()) << error;
  return b;
}

TEST(WeightModes, OutputsAreBitIdenticalAcrossModes) {
  for (const ir::Graph& g : {testplans::RepeatingConvs(), testplans::ConvReluViewAdd(), testplans::Conv1dLeakyMaxPool()}) {
    tgrs_status_t st;
    const std::vector<uint8_t> ref = RunPlan(Plan(kXip, g), &st);
    ASSERT_EQ(st, TGRS_OK) << g.name;
    ASSERT_FALSE(ref.empty());
    for (const auto& o : {kStream, kLz4, kLz4Xip}) {
      Source src;
      EXPECT_EQ(RunPlan(Plan(o, g), &st, &src), ref) << g.name << " xip=" << o.xip;
      EXPECT_EQ(st, TGRS_OK);
      if (!o.xip) EXPECT_GT(src.reads, 0u);  // the weights came through the callback
    }
  }
}

TEST(WeightModes, StreamedPlansCarrySegmentsAndCountThemInThePool) {
  const auto xip = Plan(kXip), stream = Plan(kStream), lz4 = Plan(kLz4), lz4xip = Plan(kLz4Xip);
  EXPECT_EQ(Header(xip).n_segments, 0u);
  // one segment per op that reads constants (conv1, conv2), each held over that op only: the relu
  // between them reads none and is in neither
  ASSERT_EQ(Header(stream).n_segments, 2u);
  const tgrs_weight_seg_rec_t raw = Segment(stream, 0), packed = Segment(lz4, 0), second = Segment(stream, 1);
  EXPECT_EQ(raw.last_op, raw.first_op);
  EXPECT_EQ(second.first_op, raw.last_op + 2u);
  EXPECT_EQ(second.last_op, second.first_op);
  EXPECT_EQ(raw.codec, TGRS_CODEC_RAW);
  EXPECT_EQ(packed.codec, TGRS_CODEC_LZ4);
  EXPECT_LT(packed.src_size, raw.src_size / 4);  // period-3 weights compress well
  EXPECT_EQ(Segment(lz4xip, 0).margin, 0u);     // decoded straight from the mapped plan
  EXPECT_GE(Header(stream).pool_size[0], Header(xip).pool_size[0] + raw.size);
  EXPECT_LT(Header(lz4).total_size, Header(stream).total_size);
  EXPECT_EQ(Header(stream).flags & TGRS_FLAG_XIP, 0u);
  tgrs_plan_t plan;
  Buffer blob = Exact(lz4.size());
  std::memcpy(blob.get(), lz4.data(), lz4.size());
  ASSERT_EQ(tgrs_plan_load(&plan, blob.get(), lz4.size()), TGRS_OK);
  EXPECT_EQ(tigris_weight_decompression_overhead(&plan), packed.margin);
  EXPECT_GE(tgrs_plan_high_water(&plan, 0), packed.dst_offset + packed.size + packed.margin);
}

TEST(Lz4Decoder, HandWrittenBlocks) {
  uint8_t out[32];
  const uint8_t lit[] = {0x50, 'h', 'e', 'l', 'l', 'o'};
  EXPECT_EQ(tgrs_lz4_decode(lit, sizeof lit, out, 5), TGRS_OK);
  EXPECT_EQ(std::memcmp(out, "hello", 5), 0);
  EXPECT_EQ(tgrs_lz4_decode(lit, sizeof lit, out, 4), TGRS_ERR_BAD_LZ4);  // too small a destination
  EXPECT_EQ(tgrs_lz4_decode(lit, sizeof lit, out, 6), TGRS_ERR_BAD_LZ4);  // output size must be exact
  // "ab" then a match of 6 at offset 2 (overlapping) then literal "c": "abababab" "c"
  const uint8_t rep[] = {0x22, 'a', 'b', 0x02, 0x00, 0x10, 'c'};
  EXPECT_EQ(tgrs_lz4_decode(rep, sizeof rep, out, 9), TGRS_OK);
  EXPECT_EQ(std::memcmp(out, "ababababc", 9), 0);
  const uint8_t zero_off[] = {0x22, 'a', 'b', 0x00, 0x00, 0x10, 'c'};
  EXPECT_EQ(tgrs_lz4_decode(zero_off, sizeof zero_off, out, 9), TGRS_ERR_BAD_LZ4);
  const uint8_t far_off[] = {0x22, 'a', 'b', 0x03, 0x00, 0x10, 'c'};
  EXPECT_EQ(tgrs_lz4_decode(far_off, sizeof far_off, out, 9), TGRS_ERR_BAD_LZ4);  // before the output
  const uint8_t ends_in_match[] = {0x22, 'a', 'b', 0x02, 0x00};
  EXPECT_EQ(tgrs_lz4_decode(ends_in_match, sizeof ends_in_match, out, 8), TGRS_ERR_BAD_LZ4);
  const uint8_t huge_len[] = {0xF0, 255, 255, 255, 255, 255, 255, 255, 255, 255};
  EXPECT_EQ(tgrs_lz4_decode(huge_len, sizeof huge_len, out, sizeof out), TGRS_ERR_BAD_LZ4);
  EXPECT_EQ(tgrs_lz4_decode(nullptr, 0, out, 0), TGRS_ERR_BAD_LZ4);  // an empty block has no last sequence
}

TEST(Lz4Decoder, LiblzCompressedRoundTripsAlsoInPlace) {
  std::mt19937 rng(3);
  for (int trial = 0; trial < 40; ++trial) {
    std::vector<uint8_t> raw(1 + rng() % 20000);
    const uint32_t period = 1 + rng() % 40;
    for (size_t i = 0; i < raw.size(); ++i) raw[i] = static_cast<uint8_t>(rng() % 7 == 0 ? rng() : i % period);
    const emit::StoredStage s = emit::EncodeStage(raw, emit::WeightCompression::kLz4, true);
    if (s.codec != TGRS_CODEC_LZ4) continue;
    Buffer out = Exact(raw.size());
    ASSERT_EQ(tgrs_lz4_decode(s.bytes.data(), static_cast<uint32_t>(s.bytes.size()), out.get(),
                              static_cast<uint32_t>(raw.size())), TGRS_OK);
    EXPECT_EQ(std::memcmp(out.get(), raw.data(), raw.size()), 0);
    // In place: the block at the end of a raw + margin region, decoded into its start.
    const size_t span = raw.size() + s.margin;
    Buffer region = Exact(span);
    std::memcpy(region.get() + span - s.bytes.size(), s.bytes.data(), s.bytes.size());
    ASSERT_EQ(tgrs_lz4_decode(region.get() + span - s.bytes.size(), static_cast<uint32_t>(s.bytes.size()), region.get(),
                              static_cast<uint32_t>(raw.size())), TGRS_OK);
    EXPECT_EQ(std::memcmp(region.get(), raw.data(), raw.size()), 0) << "trial " << trial << " margin " << s.margin;
  }
}

TEST(Lz4Decoder, CorruptBlocksStayInBounds) {
  std::vector<uint8_t> raw(4096);
  for (size_t i = 0; i < raw.size(); ++i) raw[i] = static_cast<uint8_t>((i * i) % 13);
  const emit::StoredStage s = emit::EncodeStage(raw, emit::WeightCompression::kLz4, true);
  ASSERT_EQ(s.codec, TGRS_CODEC_LZ4);
  std::mt19937 rng(9);
  Buffer out = Exact(raw.size());
  for (size_t n = 0; n < s.bytes.size(); ++n) {  // every truncation (exact-size copies for ASan)
    Buffer cut = Exact(n);
    if (n > 0) std::memcpy(cut.get(), s.bytes.data(), n);
    EXPECT_EQ(tgrs_lz4_decode(cut.get(), static_cast<uint32_t>(n), out.get(), static_cast<uint32_t>(raw.size())),
              TGRS_ERR_BAD_LZ4);
  }
  for (int i = 0; i < 20000; ++i) {  // random damage: any status, never out of bounds
    Buffer b = Exact(s.bytes.size());
    std::memcpy(b.get(), s.bytes.data(), s.bytes.size());
    for (int k = 0; k < 1 + i % 4; ++k) b.get()[rng() % s.bytes.size()] = static_cast<uint8_t>(rng());
    const tgrs_status_t st =
        tgrs_lz4_decode(b.get(), static_cast<uint32_t>(s.bytes.size()), out.get(), static_cast<uint32_t>(raw.size()));
    EXPECT_TRUE(st == TGRS_OK || st == TGRS_ERR_BAD_LZ4);
  }
}

// ---- the corrupted-plan corpus ----

TEST(CorruptPlans, TruncationsAtEveryLength) {
  for (const auto& o : {kXip, kStream, kLz4, kLz4Xip}) {
    const std::vector<uint8_t> seed = Plan(o);
    const tgrs_plan_header_t h = Header(seed);
    const uint32_t needed = o.xip ? h.total_size : h.weights_off;
    for (size_t n = 0; n < needed; ++n) {
      Buffer blob = Exact(n);
      if (n > 0) std::memcpy(blob.get(), seed.data(), n);
      tgrs_plan_t plan;
      const tgrs_status_t want = n < 4 ? TGRS_ERR_BAD_MAGIC : TGRS_ERR_TRUNCATED;
      EXPECT_EQ(tgrs_plan_load(&plan, blob.get(), n), want) << "length " << n << " xip " << o.xip;
    }
  }
}

TEST(CorruptPlans, HeaderDamageGetsItsCode) {
  const std::vector<uint8_t> seed = Plan(kLz4);
  auto load = [](std::vector<uint8_t> b, bool reseal) {
    if (reseal) tgrs_test_reseal(b.data(), b.size());
    tgrs_status_t st;
    (void)RunPlan(b, &st);
    return st;
  };
  auto with = [&](size_t off, uint32_t v, bool reseal = true) {
    std::vector<uint8_t> b = seed;
    std::memcpy(b.data() + off, &v, 4);
    return load(b, reseal);
  };
  EXPECT_EQ(load(seed, false), TGRS_OK);
  EXPECT_EQ(with(offsetof(tgrs_plan_header_t, magic), 0x34324754u), TGRS_ERR_BAD_MAGIC);
  EXPECT_EQ(with(offsetof(tgrs_plan_header_t, version_major), 3u), TGRS_ERR_VERSION);  // a v3 plan
  EXPECT_EQ(with(offsetof(tgrs_plan_header_t, version_major), TGRS_FORMAT_MAJOR + 1u), TGRS_ERR_VERSION);
  EXPECT_EQ(with(offsetof(tgrs_plan_header_t, n_pools), 3u, false), TGRS_ERR_CHECKSUM);  // not resealed
  EXPECT_EQ(with(offsetof(tgrs_plan_header_t, n_segments), 0xFFFFFFFFu), TGRS_ERR_CORRUPT);
  EXPECT_EQ(with(offsetof(tgrs_plan_header_t, segments_off), 0xFFFFFFF0u), TGRS_ERR_CORRUPT);
  EXPECT_EQ(with(offsetof(tgrs_plan_header_t, weights_size), 0x7FFFFFF0u), TGRS_ERR_CORRUPT);
  EXPECT_EQ(with(offsetof(tgrs_plan_header_t, weights_off), 0xFFFFFFF0u), TGRS_ERR_CORRUPT);
  EXPECT_EQ(with(offsetof(tgrs_plan_header_t, reserved2), 1u), TGRS_ERR_CORRUPT);
  // An XIP plan relabelled as streamed: its tensors read the weights section, which is not there.
  std::vector<uint8_t> xip = Plan(kXip);
  uint32_t flags = 0;
  std::memcpy(xip.data() + offsetof(tgrs_plan_header_t, flags), &flags, 4);
  EXPECT_EQ(load(xip, true), TGRS_ERR_CORRUPT);
}

TEST(CorruptPlans, SegmentRecordDamageGetsItsCode) {
  for (const auto& o : {kStream, kLz4, kLz4Xip}) {
    const std::vector<uint8_t> seed = Plan(o);
    const tgrs_weight_seg_rec_t good = Segment(seed, 0);
    auto with = [&](auto change) {
      std::vector<uint8_t> b = seed;
      tgrs_weight_seg_rec_t s = good;
      change(s);
      SetSegment(b, 0, s);
      tgrs_test_reseal(b.data(), b.size());
      tgrs_status_t st;
      (void)RunPlan(b, &st);
      return st;
    };
    EXPECT_EQ(with([](auto&) {}), TGRS_OK);
    EXPECT_EQ(with([](auto& s) { s.first_op = 0xFFFFFFFFu; }), TGRS_ERR_CORRUPT);
    EXPECT_EQ(with([](auto& s) { s.codec = 7u; }), TGRS_ERR_CORRUPT);
    EXPECT_EQ(with([](auto& s) { s.pool = 4u; }), TGRS_ERR_CORRUPT);
    EXPECT_EQ(with([](auto& s) { s.dst_offset = 0xFFFFFFF0u; }), TGRS_ERR_CORRUPT);
    EXPECT_EQ(with([](auto& s) { s.dst_offset += 8u; }), TGRS_ERR_CORRUPT);  // misaligned
    EXPECT_EQ(with([](auto& s) { s.size = 0xFFFFFFF0u; }), TGRS_ERR_CORRUPT);
    EXPECT_EQ(with([](auto& s) { s.margin = 0xFFFFFFF0u; }), TGRS_ERR_CORRUPT);
    EXPECT_EQ(with([](auto& s) { s.src_offset = 0xFFFFFFF0u; }), TGRS_ERR_CORRUPT);
    EXPECT_EQ(with([](auto& s) { s.src_size = 0xFFFFFFF0u; }), TGRS_ERR_CORRUPT);
    EXPECT_EQ(with([](auto& s) { s.last_op = 0xFFFFFFFFu; }), TGRS_ERR_CORRUPT);
    if (good.first_op > 0) EXPECT_EQ(with([](auto& s) { s.last_op = s.first_op - 1; }), TGRS_ERR_CORRUPT);
    // A 4.0 plan (segments without last_op: 0) still loads; in 4.0 a nonzero one is damage.
    auto as_4_0 = [&](uint32_t last_op) {
      std::vector<uint8_t> b = seed;
      for (uint32_t i = 0; i < Header(seed).n_segments; ++i) {
        tgrs_weight_seg_rec_t s = Segment(seed, i);
        s.last_op = i == 0 ? last_op : 0u;
        SetSegment(b, i, s);
      }
      const uint16_t minor = 0;
      std::memcpy(b.data() + offsetof(tgrs_plan_header_t, version_minor), &minor, sizeof minor);
      tgrs_test_reseal(b.data(), b.size());
      tgrs_status_t st;
      (void)RunPlan(b, &st);
      return st;
    };
    EXPECT_EQ(as_4_0(0u), TGRS_OK);
    EXPECT_EQ(as_4_0(good.last_op + 1u), TGRS_ERR_CORRUPT);
    if (good.codec == TGRS_CODEC_RAW) {
      EXPECT_EQ(with([](auto& s) { s.margin = 16u; }), TGRS_ERR_CORRUPT);
      EXPECT_EQ(with([](auto& s) { --s.src_size; }), TGRS_ERR_CORRUPT);
    } else {
      // A stream one byte short (its CRC resealed too): the decoder must notice.
      EXPECT_EQ(with([&](auto& s) {
                  --s.src_size;
                  s.crc = tgrs_crc32(seed.data() + Header(seed).weights_off + s.src_offset, s.src_size);
                }),
                TGRS_ERR_BAD_LZ4);
    }
    if (!o.xip) EXPECT_EQ(with([](auto& s) { s.crc ^= 1u; }), TGRS_ERR_CHECKSUM);  // checked at prepare
  }
}

TEST(CorruptPlans, DamagedStoredWeights) {
  for (const auto& o : {kStream, kLz4, kLz4Xip, kXip}) {
    std::vector<uint8_t> b = Plan(o);
    const tgrs_plan_header_t h = Header(b);
    b[h.weights_off + 3] ^= 0x40u;
    tgrs_status_t st;
    (void)RunPlan(b, &st);
    // XIP: the weights checksum at load; streamed: the segment's CRC at prepare
    EXPECT_EQ(st, TGRS_ERR_CHECKSUM) << "xip " << o.xip;
    // The same damage with the weights checksum resealed: XIP raw weights are just different
    // numbers; an LZ4 stream is validated at load (XIP) or by its CRC at prepare (streamed).
    tgrs_test_reseal(b.data(), b.size());
    (void)RunPlan(b, &st);
    if (o.xip && o.compression == emit::WeightCompression::kNone) EXPECT_EQ(st, TGRS_OK);
    else if (!o.xip) EXPECT_EQ(st, TGRS_ERR_CHECKSUM);
    else EXPECT_TRUE(st == TGRS_OK || st == TGRS_ERR_BAD_LZ4);
  }
}

TEST(CorruptPlans, ReaderFailureAndMissingReader) {
  const std::vector<uint8_t> b = Plan(kLz4);
  Source src;
  src.fail = true;
  tgrs_status_t st;
  (void)RunPlan(b, &st, &src);
  EXPECT_EQ(st, TGRS_ERR_READ);
  const uint32_t head = tgrs_plan_head_size(b.data(), b.size());
  ASSERT_GT(head, 0u);
  Buffer blob = Exact(head);
  std::memcpy(blob.get(), b.data(), head);
  tgrs_plan_t plan;
  ASSERT_EQ(tgrs_plan_load(&plan, blob.get(), head), TGRS_OK);
  Buffer arena = Exact(tgrs_plan_pool_size(&plan, 0));
  void* arenas[1] = {arena.get()};
  const size_t sizes[1] = {tgrs_plan_pool_size(&plan, 0)};
  EXPECT_EQ(tgrs_plan_prepare(&plan, arenas, sizes, 1, nullptr), TGRS_ERR_READ);
  EXPECT_EQ(tgrs_plan_invoke(&plan), TGRS_ERR_NOT_PREPARED);
}

TEST(CorruptPlans, RandomResealedFlipsNeverCrash) {
  std::mt19937 rng(2024);
  for (const auto& o : {kStream, kLz4, kLz4Xip}) {
    const std::vector<uint8_t> seed = Plan(o);
    int rejected = 0;
    for (int i = 0; i < 3000; ++i) {
      std::vector<uint8_t> b = seed;
      for (int k = 0; k < 1 + i % 3; ++k) b[16 + rng() % (b.size() - 16)] = static_cast<uint8_t>(rng());
      tgrs_test_reseal(b.data(), b.size());
      tgrs_status_t st;
      (void)RunPlan(b, &st);
      rejected += st != TGRS_OK;
    }
    EXPECT_GT(rejected, 0);
  }
}

}  // namespace
}  // namespace tigris
