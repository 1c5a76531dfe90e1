// End-to-end through the C runtime: hand-built IR -> PlanMemory -> WritePlan -> tgrs_plan_load
// -> prepare -> invoke, outputs compared with values computed independently with numpy. Also
// the lifecycle errors (arena size/alignment, invoke before prepare) and backend fallback.
#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>

#include "test_plans.h"
#include "tigris/runtime/tigris_runtime.h"
#include "plan_seal.h"

namespace tigris {
namespace {

struct FreeDeleter {
  void operator()(void* p) const { std::free(p); }
};
using Buffer = std::unique_ptr<uint8_t, FreeDeleter>;

Buffer Aligned(size_t bytes) {
  const size_t n = (bytes + 15) / 16 * 16;
  return Buffer(static_cast<uint8_t*>(std::aligned_alloc(16, n == 0 ? 16 : n)));
}

// Loads, prepares, writes inputs, invokes, returns output 0 as floats.
struct Runner {
  Buffer blob;
  Buffer arena;
  tgrs_plan_t plan{};

  tgrs_status_t Load(const std::vector<uint8_t>& bytes) {
    blob = Aligned(bytes.size());
    std::memcpy(blob.get(), bytes.data(), bytes.size());
    return tgrs_plan_load(&plan, blob.get(), bytes.size());
  }
  tgrs_status_t Prepare(const tgrs_backend_t* backend = nullptr) {
    const size_t size = tgrs_plan_pool_size(&plan, 0);
    arena = Aligned(size);
    void* arenas[1] = {arena.get()};
    return tgrs_plan_prepare(&plan, arenas, &size, 1, backend);
  }
  void SetInput(uint32_t k, const std::vector<float>& values) {
    tgrs_tensor_t v;
    ASSERT_EQ(tgrs_plan_input(&plan, k, &v), TGRS_OK);
    ASSERT_EQ(v.dtype, TGRS_DTYPE_F32);
    int64_t n = 1;
    for (int d = 0; d < v.rank; ++d) n *= v.dims[d];
    ASSERT_EQ(static_cast<size_t>(n), values.size());
    std::memcpy(v.data, values.data(), values.size() * sizeof(float));
  }
  std::vector<float> Output(uint32_t k) {
    tgrs_tensor_t v;
    EXPECT_EQ(tgrs_plan_output(&plan, k, &v), TGRS_OK);
    int64_t n = 1;
    for (int d = 0; d < v.rank; ++d) n *= v.dims[d];
    std::vector<float> out(static_cast<size_t>(n));
    std::memcpy(out.data(), v.data, out.size() * sizeof(float));
    return out;
  }
};

// numpy: np.maximum(conv2d(X, W, pads=1) + B, 0).reshape(1, 32) + X2, float32 (test_plans.h).
const float kConvReluViewAddExpected[32] = {
    1.87749994e+00f, -1.49999991e-01f, -1.40000001e-01f, -1.29999995e-01f, 1.23000002e+00f, -1.09999999e-01f,
    -9.99999940e-02f, -8.99999961e-02f, -7.99999982e-02f, -7.00000003e-02f, -5.99999987e-02f, 1.30000007e+00f,
    -3.99999991e-02f, -2.99999993e-02f, -1.99999996e-02f, 2.02749991e+00f, 0.00000000e+00f, 9.99999978e-03f,
    1.99999996e-02f, 2.99999993e-02f, 2.77500004e-01f, 9.75000024e-01f, 8.60000014e-01f, 5.26250005e-01f,
    3.17499995e-01f, 5.14999986e-01f, 4.00000006e-01f, 3.16249996e-01f, 1.19999997e-01f, 1.29999995e-01f,
    1.40000001e-01f, 7.62499988e-01f};

// numpy: maxpool1d(leaky_relu(conv1d(X, W, stride 2, pads [1,2]), 0.1), k 2, s 1), float32.
const float kConv1dExpected[12] = {2.80190563e+00f, 2.80190563e+00f, 1.62438452e-02f, 3.28691304e-01f,
                                   1.46170378e+00f, -2.84948051e-02f, 2.19421101e+00f, 2.19421101e+00f,
                                   -2.58128103e-02f, 2.23305082e+00f, 2.23305082e+00f, 6.63954198e-01f};

std::vector<float> RowLoopInput() {
  std::vector<float> x(64);
  for (int i = 0; i < 64; ++i) x[static_cast<size_t>(i)] = static_cast<float>((i * 37) % 23 - 11) * 0.25f;
  return x;
}

TEST(PlanRoundTrip, TileLoopMovesOperandsEachIteration) {
  std::string err;
  const std::vector<uint8_t> bytes = testplans::Emit(testplans::RowLoopPlan(false), &err);
  ASSERT_FALSE(bytes.empty()) << err;
  tgrs_plan_header_t h;
  std::memcpy(&h, bytes.data(), sizeof h);
  EXPECT_EQ(h.n_ops, 1u);
  EXPECT_EQ(h.n_loops, 1u);
  Runner r;
  ASSERT_EQ(r.Load(bytes), TGRS_OK) << "failed op " << r.plan.failed_op;
  // Row views are 64 bytes at offset 0; the last iteration reaches the end of X and Y.
  EXPECT_EQ(tgrs_plan_high_water(&r.plan, 0), tgrs_plan_pool_size(&r.plan, 0));
  ASSERT_EQ(r.Prepare(), TGRS_OK);
  const std::vector<float> x = RowLoopInput();
  r.SetInput(0, x);
  ASSERT_EQ(tgrs_plan_invoke(&r.plan), TGRS_OK);
  const std::vector<float> y = r.Output(0);
  ASSERT_EQ(y.size(), 64u);
  for (size_t i = 0; i < 64; ++i) EXPECT_EQ(y[i], x[i] > 0.f ? x[i] : 0.f) << i;
}

TEST(PlanRoundTrip, TileLoopPatchesParamsEachIteration) {
  std::string err;
  const std::vector<uint8_t> bytes = testplans::Emit(testplans::RowLoopPlan(true), &err);
  ASSERT_FALSE(bytes.empty()) << err;
  Runner r;
  ASSERT_EQ(r.Load(bytes), TGRS_OK) << "failed op " << r.plan.failed_op;
  ASSERT_EQ(r.Prepare(), TGRS_OK);
  const std::vector<float> x = RowLoopInput();
  r.SetInput(0, x);
  ASSERT_EQ(tgrs_plan_invoke(&r.plan), TGRS_OK);
  EXPECT_EQ(r.Output(0), x);  // row i of Y is Slice(X, start i)
}

TEST(PlanRoundTrip, TileLoopOutsideItsBuffersIsRefused) {
  // Five iterations: the fifth row view lies past both buffers (the emitter refuses it).
  std::string err;
  EXPECT_TRUE(testplans::Emit(testplans::RowLoopPlan(false, 5), &err).empty());
  EXPECT_NE(err.find("last iteration"), std::string::npos) << err;
  // Slice: the output move stays inside Y for 4 iterations, but with the params patched a fifth
  // start would read past X: patch the count in a valid blob and reseal it.
  std::vector<uint8_t> bytes = testplans::Emit(testplans::RowLoopPlan(true), &err);
  ASSERT_FALSE(bytes.empty()) << err;
  tgrs_plan_header_t h;
  std::memcpy(&h, bytes.data(), sizeof h);
  const uint32_t count_at = h.loops_off + offsetof(tgrs_loop_rec_t, count);
  uint32_t count = 0;
  std::memcpy(&count, bytes.data() + count_at, 4);
  EXPECT_EQ(count, 4u);
  // Drop the output move so only the params check can catch the fifth iteration.
  tgrs_loop_rec_t lr;
  std::memcpy(&lr, bytes.data() + h.loops_off, sizeof lr);
  const uint32_t zero = 0, five = 5;
  std::memcpy(bytes.data() + h.words_off + 4u * (lr.deltas_off + 1), &zero, 4);
  std::memcpy(bytes.data() + count_at, &five, 4);
  std::memcpy(&h, bytes.data(), sizeof h);
  tgrs_test_reseal(bytes.data(), bytes.size());
  Runner r;
  EXPECT_EQ(r.Load(bytes), TGRS_ERR_CORRUPT);
  EXPECT_EQ(r.plan.failed_op, 0);
  // The same with four iterations loads (the output no longer moves, but stays in bounds).
  std::memcpy(bytes.data() + count_at, &count, 4);
  tgrs_test_reseal(bytes.data(), bytes.size());
  Runner ok;
  EXPECT_EQ(ok.Load(bytes), TGRS_OK);
}

TEST(PlanRoundTrip, ConvReluViewAddMatchesNumpy) {
  std::string err;
  const std::vector<uint8_t> bytes = testplans::Compile(testplans::ConvReluViewAdd(), &err);
  ASSERT_FALSE(bytes.empty()) << err;
  Runner r;
  ASSERT_EQ(r.Load(bytes), TGRS_OK) << "failed op " << r.plan.failed_op;
  EXPECT_EQ(tgrs_plan_pool_count(&r.plan), 1u);
  EXPECT_EQ(tgrs_plan_input_count(&r.plan), 2u);
  EXPECT_EQ(tgrs_plan_output_count(&r.plan), 1u);
  EXPECT_STREQ(tgrs_plan_input_name(&r.plan, 0), "X");
  EXPECT_STREQ(tgrs_plan_input_name(&r.plan, 1), "X2");
  EXPECT_STREQ(tgrs_plan_output_name(&r.plan, 0), "Y");
  EXPECT_STREQ(tgrs_plan_output_name(&r.plan, 1), "");
  EXPECT_EQ(tgrs_plan_invoke(&r.plan), TGRS_ERR_NOT_PREPARED);
  ASSERT_EQ(r.Prepare(), TGRS_OK);
  r.SetInput(0, testplans::ConvReluViewAddX());
  r.SetInput(1, testplans::ConvReluViewAddX2());
  ASSERT_EQ(tgrs_plan_invoke(&r.plan), TGRS_OK);
  const std::vector<float> y = r.Output(0);
  ASSERT_EQ(y.size(), 32u);
  for (size_t i = 0; i < 32; ++i) EXPECT_NEAR(y[i], kConvReluViewAddExpected[i], 1e-5f) << "element " << i;
  // Invoking again with the same inputs gives the same outputs (no state kept between runs).
  r.SetInput(0, testplans::ConvReluViewAddX());
  r.SetInput(1, testplans::ConvReluViewAddX2());
  ASSERT_EQ(tgrs_plan_invoke(&r.plan), TGRS_OK);
  EXPECT_EQ(r.Output(0), y);
}

TEST(PlanRoundTrip, Conv1dFusedLeakyReluMaxPoolMatchesNumpy) {
  std::string err;
  const std::vector<uint8_t> bytes = testplans::Compile(testplans::Conv1dLeakyMaxPool(), &err);
  ASSERT_FALSE(bytes.empty()) << err;
  Runner r;
  ASSERT_EQ(r.Load(bytes), TGRS_OK) << "failed op " << r.plan.failed_op;
  ASSERT_EQ(r.Prepare(), TGRS_OK);
  r.SetInput(0, testplans::Conv1dLeakyMaxPoolX());
  ASSERT_EQ(tgrs_plan_invoke(&r.plan), TGRS_OK);
  const std::vector<float> y = r.Output(0);
  ASSERT_EQ(y.size(), 12u);
  for (size_t i = 0; i < 12; ++i) EXPECT_NEAR(y[i], kConv1dExpected[i], 1e-5f) << "element " << i;
}

TEST(PlanRoundTrip, PrepareRejectsSmallOrMisalignedArenas) {
  const std::vector<uint8_t> bytes = testplans::Compile(testplans::ConvReluViewAdd());
  Runner r;
  ASSERT_EQ(r.Load(bytes), TGRS_OK);
  const size_t need = tgrs_plan_pool_size(&r.plan, 0);
  ASSERT_GT(need, 0u);
  EXPECT_EQ(tgrs_plan_pool_size(&r.plan, 1), 0u);
  Buffer arena = Aligned(need + 32);
  void* arenas[1] = {arena.get()};
  size_t small = need - 1;
  EXPECT_EQ(tgrs_plan_prepare(&r.plan, arenas, &small, 1, nullptr), TGRS_ERR_ARENA_TOO_SMALL);
  void* shifted[1] = {arena.get() + 4};
  size_t ok = need;
  EXPECT_EQ(tgrs_plan_prepare(&r.plan, shifted, &ok, 1, nullptr), TGRS_ERR_ALIGNMENT);
  EXPECT_EQ(tgrs_plan_prepare(&r.plan, arenas, &ok, 0, nullptr), TGRS_ERR_BAD_ARG);
  void* null_arena[1] = {nullptr};
  EXPECT_EQ(tgrs_plan_prepare(&r.plan, null_arena, &ok, 1, nullptr), TGRS_ERR_BAD_ARG);
  EXPECT_EQ(tgrs_plan_invoke(&r.plan), TGRS_ERR_NOT_PREPARED);
  EXPECT_EQ(tgrs_plan_prepare(&r.plan, arenas, &ok, 1, nullptr), TGRS_OK);
  EXPECT_EQ(tgrs_plan_invoke(&r.plan), TGRS_OK);
  tgrs_tensor_t view;
  EXPECT_EQ(tgrs_plan_input(&r.plan, 2, &view), TGRS_ERR_BAD_ARG);
  EXPECT_EQ(tgrs_plan_output(&r.plan, 0, nullptr), TGRS_ERR_BAD_ARG);
}

TEST(PlanRoundTrip, LoadRejectsMisalignedBlobAndNullArguments) {
  const std::vector<uint8_t> bytes = testplans::Compile(testplans::ConvReluViewAdd());
  Buffer buf = Aligned(bytes.size() + 4);
  std::memcpy(buf.get() + 2, bytes.data(), bytes.size());
  tgrs_plan_t plan;
  EXPECT_EQ(tgrs_plan_load(&plan, buf.get() + 2, bytes.size()), TGRS_ERR_ALIGNMENT);
  EXPECT_EQ(tgrs_plan_load(&plan, nullptr, 100), TGRS_ERR_BAD_ARG);
  EXPECT_EQ(tgrs_plan_load(nullptr, bytes.data(), bytes.size()), TGRS_ERR_BAD_ARG);
  EXPECT_EQ(tgrs_plan_prepare(nullptr, nullptr, nullptr, 0, nullptr), TGRS_ERR_BAD_ARG);
  EXPECT_EQ(tgrs_plan_invoke(nullptr), TGRS_ERR_BAD_ARG);
}

int g_relu_calls = 0;
void CountingRelu(const tgrs_kernel_call_t* call) {
  ++g_relu_calls;
  tgrs_backend_reference.ops[TGRS_OP_Relu].run(call);
}

TEST(PlanRoundTrip, BackendEntriesWithoutRunFallBackToTheReference) {
  // A backend that only overrides Relu: every other op must run the reference kernel.
  static tgrs_backend_t partial;
  std::memset(&partial, 0, sizeof(partial));
  partial.name = "relu-only";
  partial.ops[TGRS_OP_Relu].run = CountingRelu;
  partial.ops[TGRS_OP_Relu].check = tgrs_backend_reference.ops[TGRS_OP_Relu].check;
  const std::vector<uint8_t> bytes = testplans::Compile(testplans::ConvReluViewAdd());
  Runner r;
  ASSERT_EQ(r.Load(bytes), TGRS_OK);
  ASSERT_EQ(r.Prepare(&partial), TGRS_OK);
  r.SetInput(0, testplans::ConvReluViewAddX());
  r.SetInput(1, testplans::ConvReluViewAddX2());
  g_relu_calls = 0;
  ASSERT_EQ(tgrs_plan_invoke(&r.plan), TGRS_OK);
  EXPECT_EQ(g_relu_calls, 1);
  const std::vector<float> y = r.Output(0);
  for (size_t i = 0; i < 32; ++i) EXPECT_NEAR(y[i], kConvReluViewAddExpected[i], 1e-5f);
}

TEST(PlanRoundTrip, StatusStringsAreDistinct) {
  const tgrs_status_t all[] = {TGRS_OK,          TGRS_ERR_BAD_ARG,        TGRS_ERR_BAD_MAGIC,
                               TGRS_ERR_VERSION, TGRS_ERR_CHECKSUM,       TGRS_ERR_CORRUPT,
                               TGRS_ERR_UNSUPPORTED_OP, TGRS_ERR_ARENA_TOO_SMALL, TGRS_ERR_NOT_PREPARED,
                               TGRS_ERR_ALIGNMENT};
  for (size_t i = 0; i < std::size(all); ++i)
    for (size_t j = i + 1; j < std::size(all); ++j) EXPECT_STRNE(tgrs_status_str(all[i]), tgrs_status_str(all[j]));
  EXPECT_STREQ(tgrs_status_str(static_cast<tgrs_status_t>(-99)), "unknown status");
}

TEST(PlanRoundTrip, CrcMatchesTheStandardCheckValue) {
  EXPECT_EQ(tgrs_crc32("123456789", 9), 0xCBF43926u);  // the CRC-32/IEEE check value
  EXPECT_EQ(tgrs_crc32("", 0), 0u);
}

}  // namespace
}  // namespace tigris
