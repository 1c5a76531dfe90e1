// The plan blob is a trust boundary: damaged plans (every truncation, random byte flips with the
// checksum recomputed, every header/table word set to hostile values) must either fail to load
// or run inside their arenas. Built with -fsanitize=address,undefined over the runtime and kernel
// sources, with blob and arenas allocated at their exact sizes so any stray access is caught.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <random>

#include "test_plans.h"
#include "tigris/runtime/tigris_runtime.h"
#include "plan_seal.h"

namespace tigris {
namespace {

struct FreeDeleter {
  void operator()(void* p) const { std::free(p); }
};
using Buffer = std::unique_ptr<uint8_t, FreeDeleter>;

// Exactly `bytes` long (so ASan sees one byte past the end), 16-byte aligned.
Buffer Exact(size_t bytes) {
  void* p = nullptr;
  if (posix_memalign(&p, 16, bytes == 0 ? 1 : bytes) != 0) std::abort();
  return Buffer(static_cast<uint8_t*>(p));
}

uint32_t Get32(const std::vector<uint8_t>& b, size_t off) {
  uint32_t v;
  std::memcpy(&v, b.data() + off, 4);
  return v;
}
void Set32(std::vector<uint8_t>& b, size_t off, uint32_t v) { std::memcpy(b.data() + off, &v, 4); }

// Recomputes both checksums so damage reaches the deeper validators.
void Reseal(std::vector<uint8_t>& b) { tgrs_test_reseal(b.data(), b.size()); }

// Loads `bytes`; if that succeeds, prepares exact-size arenas, fills the inputs and invokes.
tgrs_status_t LoadAndMaybeRun(const std::vector<uint8_t>& bytes) {
  Buffer blob = Exact(bytes.size());
  if (!bytes.empty()) std::memcpy(blob.get(), bytes.data(), bytes.size());
  tgrs_plan_t plan;
  const tgrs_status_t st = tgrs_plan_load(&plan, blob.get(), bytes.size());
  if (st != TGRS_OK) {
    EXPECT_EQ(plan.hdr, nullptr);
    EXPECT_EQ(tgrs_plan_invoke(&plan), TGRS_ERR_BAD_ARG);
    return st;
  }
  const uint32_t n_pools = tgrs_plan_pool_count(&plan);
  EXPECT_GE(n_pools, 1u);
  EXPECT_LE(n_pools, TGRS_MAX_POOLS);
  std::vector<Buffer> arenas;
  std::vector<void*> ptrs;
  std::vector<size_t> sizes;
  for (uint32_t p = 0; p < n_pools; ++p) {
    const uint32_t size = tgrs_plan_pool_size(&plan, p);
    if (size > (64u << 20)) return TGRS_ERR_ARENA_TOO_SMALL;  // a damaged plan may ask for GiBs; skip
    arenas.push_back(Exact(size));
    std::memset(arenas.back().get(), 0, size == 0 ? 1 : size);
    ptrs.push_back(arenas.back().get());
    sizes.push_back(size);
  }
  EXPECT_EQ(tgrs_plan_prepare(&plan, ptrs.data(), sizes.data(), n_pools, nullptr), TGRS_OK);
  for (uint32_t k = 0; k < tgrs_plan_input_count(&plan); ++k) {
    tgrs_tensor_t v;
    EXPECT_EQ(tgrs_plan_input(&plan, k, &v), TGRS_OK);
    size_t n = static_cast<size_t>(tgrs_dtype_size(v.dtype));
    for (int d = 0; d < v.rank; ++d) n *= static_cast<size_t>(v.dims[d]);
    std::memset(v.data, 0x3F, n);  // 0x3F3F3F3F = 0.747 as f32
  }
  EXPECT_EQ(tgrs_plan_invoke(&plan), TGRS_OK);
  for (uint32_t k = 0; k < tgrs_plan_output_count(&plan); ++k) {
    tgrs_tensor_t v;
    EXPECT_EQ(tgrs_plan_output(&plan, k, &v), TGRS_OK);
    (void)tgrs_plan_output_name(&plan, k);
  }
  return TGRS_OK;
}

std::vector<std::vector<uint8_t>> Seeds() {
  return {testplans::Compile(testplans::ConvReluViewAdd()), testplans::Compile(testplans::Conv1dLeakyMaxPool()),
          testplans::Emit(testplans::RowLoopPlan(true))};
}

TEST(PlanLoaderRobustness, SeedsLoadAndRun) {
  for (const auto& seed : Seeds()) {
    ASSERT_FALSE(seed.empty());
    EXPECT_EQ(LoadAndMaybeRun(seed), TGRS_OK);
  }
}

TEST(PlanLoaderRobustness, EveryTruncationIsRejected) {
  for (const auto& seed : Seeds()) {
    for (size_t n = 0; n < seed.size(); ++n) {
      std::vector<uint8_t> cut(seed.begin(), seed.begin() + static_cast<std::ptrdiff_t>(n));
      EXPECT_NE(LoadAndMaybeRun(cut), TGRS_OK) << "length " << n;
      // The same cut with total_size and checksum rewritten to match: deeper checks must catch it.
      if (n >= sizeof(tgrs_plan_header_t)) {
        Set32(cut, offsetof(tgrs_plan_header_t, total_size), static_cast<uint32_t>(n));
        Reseal(cut);
        (void)LoadAndMaybeRun(cut);
      }
    }
  }
}

TEST(PlanLoaderRobustness, UnsealedDamageFailsTheChecksum) {
  std::mt19937 rng(7);
  const auto seed = Seeds()[0];
  for (int i = 0; i < 200; ++i) {
    std::vector<uint8_t> b = seed;
    const size_t pos = 16 + rng() % (b.size() - 16);
    b[pos] ^= static_cast<uint8_t>(1u + rng() % 255u);
    EXPECT_EQ(LoadAndMaybeRun(b), TGRS_ERR_CHECKSUM);
  }
}

TEST(PlanLoaderRobustness, RandomResealedByteFlipsAreRejectedOrSafe) {
  std::mt19937 rng(12345);
  int rejected = 0, total = 0;
  for (const auto& seed : Seeds()) {
    for (int i = 0; i < 25000; ++i) {
      std::vector<uint8_t> b = seed;
      const int flips = 1 + static_cast<int>(rng() % 4);
      for (int f = 0; f < flips; ++f) {
        const size_t pos = 16 + rng() % (b.size() - 16);
        switch (rng() % 3) {
          case 0: b[pos] ^= static_cast<uint8_t>(1u << (rng() % 8)); break;
          case 1: b[pos] = static_cast<uint8_t>(rng()); break;
          default: b[pos] = (rng() & 1) ? 0xFF : 0x00; break;
        }
      }
      Reseal(b);
      ++total;
      if (LoadAndMaybeRun(b) != TGRS_OK) ++rejected;
    }
  }
  EXPECT_GT(rejected, total / 4);  // sanity: the validators are actually reached
  EXPECT_GT(total - rejected, 100);  // and some damaged plans still load, so invoke is exercised
  std::printf("resealed flips: %d plans, %d rejected, %d loaded and ran\n", total, rejected, total - rejected);
}

TEST(PlanLoaderRobustness, EveryWordSetToHostileValues) {
  for (const auto& seed : Seeds()) {
    const uint32_t words_off = Get32(seed, offsetof(tgrs_plan_header_t, words_off));
    const uint32_t n_words = Get32(seed, offsetof(tgrs_plan_header_t, n_words));
    const size_t end = words_off + 4u * n_words;  // header, tables, io lists and params
    for (size_t off = 16; off + 4 <= end; off += 4) {
      const uint32_t orig = Get32(seed, off);
      const uint32_t values[] = {0u,          1u,          2u,          4u,          orig + 1u,   orig - 1u,
                                 orig + 4u,   orig + 16u,  orig ^ 0x80u, 0x7FFFFFFFu, 0x80000000u, 0xFFFFFFFFu,
                                 0xFFFFu,     0xFF00u,     static_cast<uint32_t>(seed.size()), orig << 8};
      for (uint32_t v : values) {
        std::vector<uint8_t> b = seed;
        Set32(b, off, v);
        Reseal(b);
        (void)LoadAndMaybeRun(b);
      }
    }
  }
}

// Targeted damage with the precise error each must produce.
class Targeted : public ::testing::Test {
 protected:
  void SetUp() override { seed_ = Seeds()[0]; }
  size_t Hdr(size_t field) const { return field; }
  size_t TensorRec(uint32_t i) const {
    return Get32(seed_, offsetof(tgrs_plan_header_t, tensors_off)) + i * sizeof(tgrs_tensor_rec_t);
  }
  size_t OpRec(uint32_t i) const { return Get32(seed_, offsetof(tgrs_plan_header_t, ops_off)) + i * sizeof(tgrs_op_rec_t); }
  tgrs_status_t With(size_t off, uint32_t v) {
    std::vector<uint8_t> b = seed_;
    Set32(b, off, v);
    Reseal(b);
    return LoadAndMaybeRun(b);
  }
  tgrs_status_t WithByte(size_t off, uint8_t v) {
    std::vector<uint8_t> b = seed_;
    b[off] = v;
    Reseal(b);
    return LoadAndMaybeRun(b);
  }
  std::vector<uint8_t> seed_;
};

TEST_F(Targeted, Header) {
  EXPECT_EQ(With(offsetof(tgrs_plan_header_t, magic), 0x12345678u), TGRS_ERR_BAD_MAGIC);
  EXPECT_EQ(With(offsetof(tgrs_plan_header_t, version_major), TGRS_FORMAT_MAJOR + 1u), TGRS_ERR_VERSION);
  EXPECT_EQ(With(offsetof(tgrs_plan_header_t, version_major), 1u), TGRS_ERR_VERSION);  // a v1 plan
  EXPECT_EQ(With(offsetof(tgrs_plan_header_t, total_size), static_cast<uint32_t>(seed_.size() + 16)), TGRS_ERR_TRUNCATED);
  EXPECT_EQ(With(offsetof(tgrs_plan_header_t, n_pools), 0u), TGRS_ERR_CORRUPT);
  EXPECT_EQ(With(offsetof(tgrs_plan_header_t, n_pools), 5u), TGRS_ERR_CORRUPT);
  EXPECT_EQ(With(offsetof(tgrs_plan_header_t, flags), 0x80u), TGRS_ERR_CORRUPT);
  EXPECT_EQ(With(offsetof(tgrs_plan_header_t, tensors_off), Get32(seed_, offsetof(tgrs_plan_header_t, tensors_off)) + 4),
            TGRS_ERR_CORRUPT);
  EXPECT_EQ(With(offsetof(tgrs_plan_header_t, n_tensors), 0x10000000u), TGRS_ERR_CORRUPT);
  EXPECT_EQ(With(offsetof(tgrs_plan_header_t, weights_size), 0xFFFFFFF0u), TGRS_ERR_CORRUPT);
  EXPECT_EQ(With(offsetof(tgrs_plan_header_t, pool_size), 16u), TGRS_ERR_CORRUPT);  // tensors fall outside
  EXPECT_EQ(With(offsetof(tgrs_plan_header_t, pool_size) + 4, 64u), TGRS_ERR_CORRUPT);  // unused pool sized
}

TEST_F(Targeted, TensorRecords) {
  const size_t t0 = TensorRec(0);
  EXPECT_EQ(WithByte(t0 + offsetof(tgrs_tensor_rec_t, dtype), 42), TGRS_ERR_CORRUPT);
  EXPECT_EQ(WithByte(t0 + offsetof(tgrs_tensor_rec_t, rank), 9), TGRS_ERR_CORRUPT);
  EXPECT_EQ(WithByte(t0 + offsetof(tgrs_tensor_rec_t, pool), 3), TGRS_ERR_CORRUPT);
  EXPECT_EQ(WithByte(t0 + offsetof(tgrs_tensor_rec_t, flags), 1), TGRS_ERR_CORRUPT);
  EXPECT_EQ(With(t0 + offsetof(tgrs_tensor_rec_t, dims), static_cast<uint32_t>(-1)), TGRS_ERR_CORRUPT);
  EXPECT_EQ(With(t0 + offsetof(tgrs_tensor_rec_t, dims), 0u), TGRS_ERR_CORRUPT);
  EXPECT_EQ(With(t0 + offsetof(tgrs_tensor_rec_t, dims) + 28, 1u), TGRS_ERR_CORRUPT);  // dim past rank
  EXPECT_EQ(With(t0 + offsetof(tgrs_tensor_rec_t, offset), 0xFFFFFFF0u), TGRS_ERR_CORRUPT);
  EXPECT_EQ(With(t0 + offsetof(tgrs_tensor_rec_t, offset), 2u), TGRS_ERR_CORRUPT);
  EXPECT_EQ(With(t0 + offsetof(tgrs_tensor_rec_t, size), 4u), TGRS_ERR_CORRUPT);
  EXPECT_EQ(With(t0 + offsetof(tgrs_tensor_rec_t, name), 0x7FFFFFFFu), TGRS_ERR_CORRUPT);
}

TEST_F(Targeted, OpRecordsAndIoLists) {
  const size_t op0 = OpRec(0);
  EXPECT_EQ(With(op0 + offsetof(tgrs_op_rec_t, kind), 0u), TGRS_ERR_UNSUPPORTED_OP);
  EXPECT_EQ(With(op0 + offsetof(tgrs_op_rec_t, kind), 0x00000200u | (Get32(seed_, op0) & 0xFFFF0000u)),
            TGRS_ERR_UNSUPPORTED_OP);
  // The kernel dtype keys the backend table: F32 and I8 only; the int8 Conv refuses float
  // tensors; the reserved bytes must stay 0.
  const size_t dt = op0 + offsetof(tgrs_op_rec_t, dtype);
  EXPECT_EQ(With(dt, 0u), TGRS_ERR_UNSUPPORTED_OP);
  EXPECT_EQ(With(dt, static_cast<uint32_t>(TGRS_DTYPE_U8)), TGRS_ERR_UNSUPPORTED_OP);
  EXPECT_EQ(With(dt, static_cast<uint32_t>(TGRS_DTYPE_I8)), TGRS_ERR_CORRUPT);
  EXPECT_EQ(With(dt, static_cast<uint32_t>(TGRS_DTYPE_F32) | 0x100u), TGRS_ERR_CORRUPT);
  EXPECT_EQ(With(dt, static_cast<uint32_t>(TGRS_DTYPE_F32) | 0x1000000u), TGRS_ERR_CORRUPT);
  EXPECT_EQ(With(op0 + offsetof(tgrs_op_rec_t, io_off), 0xFFFFFFFEu), TGRS_ERR_CORRUPT);
  EXPECT_EQ(With(op0 + offsetof(tgrs_op_rec_t, params_off), 0xFFFFFFFFu), TGRS_ERR_CORRUPT);
  EXPECT_EQ(With(op0 + offsetof(tgrs_op_rec_t, params_size), 6u), TGRS_ERR_CORRUPT);
  EXPECT_EQ(With(op0 + offsetof(tgrs_op_rec_t, scratch_size), 0x100000u), TGRS_ERR_CORRUPT);
  EXPECT_EQ(With(op0 + offsetof(tgrs_op_rec_t, name), 0xFFFFFF00u), TGRS_ERR_CORRUPT);
  // An io id past the tensor table, and an output pointing into the (read-only) weights.
  const uint32_t words_off = Get32(seed_, offsetof(tgrs_plan_header_t, words_off));
  const uint32_t io_off = Get32(seed_, op0 + offsetof(tgrs_op_rec_t, io_off));
  const uint32_t n_tensors = Get32(seed_, offsetof(tgrs_plan_header_t, n_tensors));
  EXPECT_EQ(With(words_off + 4u * io_off, n_tensors), TGRS_ERR_CORRUPT);
  const uint32_t conv_weight_id = Get32(seed_, words_off + 4u * (io_off + 1));
  const uint32_t conv_out_slot = words_off + 4u * (io_off + 3);
  EXPECT_EQ(With(conv_out_slot, conv_weight_id), TGRS_ERR_CORRUPT);
  // Graph inputs must be in an arena, outputs must exist.
  EXPECT_EQ(With(Get32(seed_, offsetof(tgrs_plan_header_t, inputs_off)), conv_weight_id), TGRS_ERR_CORRUPT);
  EXPECT_EQ(With(Get32(seed_, offsetof(tgrs_plan_header_t, outputs_off)), 1000u), TGRS_ERR_CORRUPT);
}

TEST_F(Targeted, KernelCheckRejectsInconsistentShapesAndNamesTheOp) {
  // Make the conv output claim a different shape: the reference check() must refuse, and
  // failed_op must point at op 0.
  const uint32_t words_off = Get32(seed_, offsetof(tgrs_plan_header_t, words_off));
  const size_t op0 = OpRec(0);
  const uint32_t io_off = Get32(seed_, op0 + offsetof(tgrs_op_rec_t, io_off));
  const uint32_t params_off = Get32(seed_, op0 + offsetof(tgrs_op_rec_t, params_off));
  std::vector<uint8_t> b = seed_;
  // stride_h = 2 no longer matches the 4x4 output.
  Set32(b, words_off + 4u * (params_off + 2), 2u);
  Reseal(b);
  Buffer blob = Exact(b.size());
  std::memcpy(blob.get(), b.data(), b.size());
  tgrs_plan_t plan;
  EXPECT_NE(tgrs_plan_load(&plan, blob.get(), b.size()), TGRS_OK);
  EXPECT_EQ(plan.failed_op, 0);
  (void)io_off;
}

}  // namespace
}  // namespace tigris

namespace tigris {
namespace {

// ConvReluViewAdd with a stage table (3.1): two normal stages over its op records.
std::vector<uint8_t> StagedSeed() {
  planner::PlanOptions opt;
  opt.scratch = emit::KernelScratchQuery();
  auto plan = planner::PlanMemory(testplans::ConvReluViewAdd(), opt);
  EXPECT_TRUE(plan.ok());
  if (!plan.ok() || plan->steps.size() < 2) return {};
  const auto n = static_cast<uint32_t>(plan->steps.size());
  planner::PlanStage a, b;
  a.first = 0;
  a.last = 0;
  a.compute_ops = 1;
  a.fast_peak = 100;
  b.first = 1;
  b.last = n - 1;
  b.kind = planner::StageKind::kChain;
  b.compute_ops = n - 1;
  b.spill_bytes = 7;
  plan->stages = {a, b};
  auto blob = emit::WritePlan(*plan, {});
  EXPECT_TRUE(blob.ok()) << blob.status().message();
  return blob.ok() ? *blob : std::vector<uint8_t>{};
}

TEST(PlanInspect, AccessorsReturnTheValidatedRecords) {
  const std::vector<uint8_t> seed = StagedSeed();
  ASSERT_FALSE(seed.empty());
  Buffer blob = Exact(seed.size());
  std::memcpy(blob.get(), seed.data(), seed.size());
  tgrs_plan_t plan;
  ASSERT_EQ(tgrs_plan_load(&plan, blob.get(), seed.size()), TGRS_OK);
  const tgrs_plan_header_t* h = tgrs_plan_header(&plan);
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(h->version_minor, TGRS_FORMAT_MINOR);
  ASSERT_EQ(h->n_stages, 2u);
  const tgrs_stage_rec_t* s0 = tgrs_plan_stage(&plan, 0);
  const tgrs_stage_rec_t* s1 = tgrs_plan_stage(&plan, 1);
  ASSERT_NE(s0, nullptr);
  ASSERT_NE(s1, nullptr);
  EXPECT_EQ(s0->first_op, 0u);
  EXPECT_EQ(s0->n_ops, 1u);
  EXPECT_EQ(s0->fast_peak, 100u);
  EXPECT_EQ(s1->first_op, 1u);
  EXPECT_EQ(s1->first_op + s1->n_ops, h->n_ops);
  EXPECT_EQ(s1->kind, TGRS_STAGE_CHAIN);
  EXPECT_EQ(s1->spill_bytes, 7u);
  EXPECT_EQ(tgrs_plan_stage(&plan, 2), nullptr);
  // Op 0 is the Conv: operands are its io list, its name comes from the strings.
  const tgrs_op_rec_t* op = tgrs_plan_op(&plan, 0);
  ASSERT_NE(op, nullptr);
  EXPECT_EQ(tgrs_plan_op_operand(&plan, 0, 0u), plan.words[op->io_off]);
  EXPECT_EQ(tgrs_plan_op_operand(&plan, 0, static_cast<uint32_t>(op->n_inputs) + op->n_outputs), TGRS_NO_TENSOR);
  EXPECT_STRNE(tgrs_plan_string(&plan, op->name), "");
  EXPECT_STREQ(tgrs_plan_string(&plan, TGRS_NO_NAME), "");
  EXPECT_EQ(tgrs_plan_op(&plan, h->n_ops), nullptr);
  EXPECT_NE(tgrs_plan_tensor(&plan, tgrs_plan_input_id(&plan, 0)), nullptr);
  EXPECT_EQ(tgrs_plan_tensor(&plan, h->n_tensors), nullptr);
  EXPECT_EQ(tgrs_plan_input_id(&plan, h->n_inputs), TGRS_NO_TENSOR);
  EXPECT_NE(tgrs_plan_output_id(&plan, 0), TGRS_NO_TENSOR);
  EXPECT_EQ(tgrs_plan_loop(&plan, 0), nullptr);  // no loops in this plan
  EXPECT_EQ(tgrs_plan_header(nullptr), nullptr);
}

TEST(PlanInspect, DamagedStageTablesAreRejected) {
  const std::vector<uint8_t> seed = StagedSeed();
  ASSERT_FALSE(seed.empty());
  ASSERT_EQ(LoadAndMaybeRun(seed), TGRS_OK);
  const uint32_t stages_off = Get32(seed, offsetof(tgrs_plan_header_t, stages_off));
  const uint32_t n_ops = Get32(seed, offsetof(tgrs_plan_header_t, n_ops));
  auto with = [&](size_t off, uint32_t v) {
    std::vector<uint8_t> b = seed;
    Set32(b, off, v);
    Reseal(b);
    return LoadAndMaybeRun(b);
  };
  const size_t s1 = stages_off + sizeof(tgrs_stage_rec_t);
  EXPECT_EQ(with(stages_off + offsetof(tgrs_stage_rec_t, first_op), 1u), TGRS_ERR_CORRUPT);  // not from op 0
  EXPECT_EQ(with(stages_off + offsetof(tgrs_stage_rec_t, n_ops), 0u), TGRS_ERR_CORRUPT);     // empty
  EXPECT_EQ(with(s1 + offsetof(tgrs_stage_rec_t, first_op), 2u), TGRS_ERR_CORRUPT);          // a gap
  EXPECT_EQ(with(s1 + offsetof(tgrs_stage_rec_t, n_ops), n_ops), TGRS_ERR_CORRUPT);          // past the ops
  EXPECT_EQ(with(s1 + offsetof(tgrs_stage_rec_t, n_ops), 1u), n_ops > 2 ? TGRS_ERR_CORRUPT : TGRS_OK);  // short
  EXPECT_EQ(with(s1 + offsetof(tgrs_stage_rec_t, kind), 3u), TGRS_ERR_CORRUPT);
  EXPECT_EQ(with(s1 + offsetof(tgrs_stage_rec_t, reserved), 1u), TGRS_ERR_CORRUPT);
  EXPECT_EQ(with(offsetof(tgrs_plan_header_t, n_stages), 0x10000000u), TGRS_ERR_CORRUPT);
  EXPECT_EQ(with(offsetof(tgrs_plan_header_t, stages_off), stages_off + 4u), TGRS_ERR_CORRUPT);
  // A 3.0 plan (no stage table) still loads.
  std::vector<uint8_t> old = seed;
  Set32(old, offsetof(tgrs_plan_header_t, n_stages), 0u);
  Set32(old, offsetof(tgrs_plan_header_t, stages_off), 0u);
  Reseal(old);
  EXPECT_EQ(LoadAndMaybeRun(old), TGRS_OK);
}

}  // namespace
}  // namespace tigris
