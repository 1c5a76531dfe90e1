// WritePlan output read back byte by byte against tgrs_plan_format.h: header fields, 16-byte
// aligned non-overlapping sections in order, only referenced tensors, names, weights at their
// offsets, op io lists and params, and a CRC recomputed here with an independent bitwise CRC.
#include <gtest/gtest.h>

#include <cstring>

#include "../runtime/test_plans.h"
#include "tigris/kernels/tgrs_params.h"
#include "tigris/runtime/tgrs_plan_format.h"

namespace tigris::emit {
namespace {

uint32_t BitwiseCrc32(const uint8_t* p, size_t n) {
  uint32_t crc = 0xFFFFFFFFu;
  for (size_t i = 0; i < n; ++i) {
    crc ^= p[i];
    for (int b = 0; b < 8; ++b) crc = (crc & 1u) ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
  }
  return ~crc;
}

template <typename T>
T At(const std::vector<uint8_t>& b, size_t off) {
  T v;
  std::memcpy(&v, b.data() + off, sizeof(T));
  return v;
}

struct Written {
  ir::Graph g;
  planner::ExecPlan plan;
  std::vector<uint8_t> blob;
  tgrs_plan_header_t h{};
};

Written Write(ir::Graph g, EmitOptions opt = {}) {
  Written w;
  w.g = std::move(g);
  auto plan = planner::PlanMemory(w.g, {});
  EXPECT_TRUE(plan.ok()) << plan.status().message();
  w.plan = *plan;
  auto blob = WritePlan(w.plan, opt);
  EXPECT_TRUE(blob.ok()) << blob.status().message();
  if (blob.ok()) w.blob = *blob;
  if (w.blob.size() >= sizeof(tgrs_plan_header_t)) w.h = At<tgrs_plan_header_t>(w.blob, 0);
  return w;
}

TEST(PlanWriter, HeaderAndSectionLayout) {
  Written w = Write(testplans::ConvReluViewAdd(), emit::EmitOptions{});
  const tgrs_plan_header_t& h = w.h;
  EXPECT_EQ(std::memcmp(w.blob.data(), "TGRS", 4), 0);
  EXPECT_EQ(h.version_major, TGRS_FORMAT_MAJOR);
  EXPECT_EQ(h.version_minor, TGRS_FORMAT_MINOR);
  EXPECT_EQ(h.total_size, w.blob.size());
  EXPECT_EQ(h.total_size % 16, 0u);
  EXPECT_EQ(h.flags, TGRS_FLAG_XIP);
  EXPECT_EQ(h.checksum, BitwiseCrc32(w.blob.data() + 16, h.weights_off - 16));
  EXPECT_EQ(h.weights_checksum, BitwiseCrc32(w.blob.data() + h.weights_off, h.weights_size));
  EXPECT_EQ(h.n_pools, 1u);
  EXPECT_EQ(h.pool_size[0], w.plan.pool_size[0]);
  EXPECT_EQ(h.pool_size[1], 0u);
  // Sections in the documented order, each 16-aligned, none overlapping the previous one.
  const uint64_t sections[][2] = {{h.tensors_off, uint64_t{h.n_tensors} * sizeof(tgrs_tensor_rec_t)},
                                  {h.ops_off, uint64_t{h.n_ops} * sizeof(tgrs_op_rec_t)},
                                  {h.loops_off, uint64_t{h.n_loops} * sizeof(tgrs_loop_rec_t)},
                                  {h.stages_off, uint64_t{h.n_stages} * sizeof(tgrs_stage_rec_t)},
                                  {h.inputs_off, uint64_t{h.n_inputs} * 4},
                                  {h.outputs_off, uint64_t{h.n_outputs} * 4},
                                  {h.words_off, uint64_t{h.n_words} * 4},
                                  {h.segments_off, uint64_t{h.n_segments} * sizeof(tgrs_weight_seg_rec_t)},
                                  {h.strings_off, h.strings_size},
                                  {h.weights_off, h.weights_size}};
  uint64_t end = sizeof(tgrs_plan_header_t);
  for (const auto& s : sections) {
    EXPECT_EQ(s[0] % TGRS_SECTION_ALIGN, 0u);
    EXPECT_GE(s[0], end);
    end = s[0] + s[1];
  }
  EXPECT_LE(end, h.total_size);
  // 3.1: the stage table covers the op table in order.
  uint32_t next = 0;
  for (uint32_t k = 0; k < h.n_stages; ++k) {
    const auto st = At<tgrs_stage_rec_t>(w.blob, h.stages_off + k * sizeof(tgrs_stage_rec_t));
    EXPECT_EQ(st.first_op, next);
    EXPECT_GT(st.n_ops, 0u);
    next = st.first_op + st.n_ops;
  }
  if (h.n_stages > 0) {
    EXPECT_EQ(next, h.n_ops);
  }
  EXPECT_EQ(h.reserved2, 0u);
  EXPECT_EQ(h.n_segments, 0u);  // XIP: weights are read in place
}

TEST(PlanWriter, TensorTableCarriesOnlyReferencedTensors) {
  ir::Graph g = testplans::ConvReluViewAdd();
  testplans::AddConst(g, "unused", {8}, std::vector<float>(8, 1.f));
  Written w = Write(std::move(g));
  // X, X2, W, B, C, R, V, Y: the Reshape's shape operand and the unused constant are absent.
  ASSERT_EQ(w.h.n_tensors, 8u);
  std::vector<std::string> names;
  for (uint32_t i = 0; i < w.h.n_tensors; ++i) {
    const auto r = At<tgrs_tensor_rec_t>(w.blob, w.h.tensors_off + i * sizeof(tgrs_tensor_rec_t));
    ASSERT_LT(r.name, w.h.strings_size);
    names.emplace_back(reinterpret_cast<const char*>(w.blob.data() + w.h.strings_off + r.name));
    const ir::Tensor& t = w.g.tensor(w.g.FindTensor(names.back()));
    EXPECT_EQ(r.dtype, TGRS_DTYPE_F32);
    EXPECT_EQ(r.rank, t.shape.size());
    for (size_t d = 0; d < 8; ++d) EXPECT_EQ(r.dims[d], d < t.shape.size() ? t.shape[d] : 0);
    EXPECT_EQ(r.size, static_cast<uint32_t>(t.SizeBytes()));
    EXPECT_EQ(r.offset % 16, 0u);
    EXPECT_EQ(r.flags, 0u);
    if (t.is_constant) {
      EXPECT_EQ(r.pool, TGRS_POOL_WEIGHTS);
      EXPECT_EQ(std::memcmp(w.blob.data() + w.h.weights_off + r.offset, t.data.data(), t.data.size()), 0);
    } else {
      EXPECT_EQ(r.pool, 0u);
      EXPECT_LE(r.offset + r.size, w.h.pool_size[0]);
    }
  }
  EXPECT_EQ(names, (std::vector<std::string>{"X", "X2", "W", "B", "C", "R", "V", "Y"}));
  // The view shares R's bytes.
  const auto r_rec = At<tgrs_tensor_rec_t>(w.blob, w.h.tensors_off + 5 * sizeof(tgrs_tensor_rec_t));
  const auto v_rec = At<tgrs_tensor_rec_t>(w.blob, w.h.tensors_off + 6 * sizeof(tgrs_tensor_rec_t));
  EXPECT_EQ(r_rec.offset, v_rec.offset);
  EXPECT_EQ(At<uint32_t>(w.blob, w.h.inputs_off), 0u);
  EXPECT_EQ(At<uint32_t>(w.blob, w.h.inputs_off + 4), 1u);
  EXPECT_EQ(At<uint32_t>(w.blob, w.h.outputs_off), 7u);
}

TEST(PlanWriter, OpRecordsIoListsAndParams) {
  Written w = Write(testplans::ConvReluViewAdd());
  ASSERT_EQ(w.h.n_ops, 4u);
  const uint16_t kinds[] = {TGRS_OP_Conv, TGRS_OP_Relu, TGRS_OP_Reshape, TGRS_OP_Add};
  const std::vector<std::vector<uint32_t>> io = {{0, 2, 3, 4}, {4, 5}, {5, 6}, {6, 1, 7}};
  const uint32_t params_bytes[] = {sizeof(tgrs_conv_params_t), sizeof(tgrs_unary_params_t),
                                   sizeof(tgrs_empty_params_t), sizeof(tgrs_act_params_t)};
  const char* names[] = {"conv", "relu", "flatten", "add"};
  for (uint32_t i = 0; i < 4; ++i) {
    const auto op = At<tgrs_op_rec_t>(w.blob, w.h.ops_off + i * sizeof(tgrs_op_rec_t));
    EXPECT_EQ(op.kind, kinds[i]);
    EXPECT_EQ(op.n_inputs + op.n_outputs, io[i].size());
    for (size_t k = 0; k < io[i].size(); ++k)
      EXPECT_EQ(At<uint32_t>(w.blob, w.h.words_off + 4 * (op.io_off + k)), io[i][k]) << "op " << i << " io " << k;
    EXPECT_EQ(op.params_size, params_bytes[i]);
    EXPECT_LE(op.params_off + op.params_size / 4, w.h.n_words);
    EXPECT_EQ(op.scratch_size, 0u);
    EXPECT_STREQ(reinterpret_cast<const char*>(w.blob.data() + w.h.strings_off + op.name), names[i]);
  }
  const auto conv = At<tgrs_op_rec_t>(w.blob, w.h.ops_off);
  const auto p = At<tgrs_conv_params_t>(w.blob, w.h.words_off + 4 * conv.params_off);
  EXPECT_EQ(p.kernel_h, 3);
  EXPECT_EQ(p.pad_bottom, 1);
  EXPECT_EQ(p.group, 1);
  EXPECT_EQ(p.act.kind, TGRS_ACT_NONE);
}

TEST(PlanWriter, TrailingOmittedInputsAreDropped) {
  Written w = Write(testplans::Conv1dLeakyMaxPool());
  const auto conv = At<tgrs_op_rec_t>(w.blob, w.h.ops_off);
  EXPECT_EQ(conv.n_inputs, 2u);  // X, W; the omitted bias is not listed
}

TEST(PlanWriter, RejectsWhatThePlanCannotHold) {
  // A Concat with more inputs than TGRS_MAX_OP_INPUTS.
  ir::Graph g;
  std::vector<ir::TensorId> ins;
  for (int i = 0; i < 17; ++i) ins.push_back(testplans::AddAct(g, "x" + std::to_string(i), {1, 2}));
  const ir::TensorId y = testplans::AddAct(g, "y", {17, 2});
  g.inputs = ins;
  ir::Node cat = testplans::MakeNode("cat", ir::OpKind::kConcat, ins, {y});
  cat.attrs["axis"] = int64_t{0};
  g.AddNode(cat);
  g.outputs = {y};
  auto plan = planner::PlanMemory(g, {});
  ASSERT_TRUE(plan.ok());
  auto blob = WritePlan(*plan, {});
  ASSERT_FALSE(blob.ok());
  EXPECT_NE(blob.status().message().find("node 'cat' (Concat)"), std::string::npos) << blob.status().message();

  // A Clip whose max is computed at run time cannot become an attribute.
  ir::Graph c;
  const ir::TensorId x = testplans::AddAct(c, "x", {4});
  const ir::TensorId hi = testplans::AddAct(c, "hi", {});
  const ir::TensorId out = testplans::AddAct(c, "out", {4});
  c.inputs = {x, hi};
  c.AddNode(testplans::MakeNode("clip", ir::OpKind::kClip, {x, ir::kNoTensor, hi}, {out}));
  c.outputs = {out};
  plan = planner::PlanMemory(c, {});
  ASSERT_TRUE(plan.ok());
  blob = WritePlan(*plan, {});
  ASSERT_FALSE(blob.ok());
  EXPECT_NE(blob.status().message().find("node 'clip' (Clip)"), std::string::npos) << blob.status().message();

  // A tensor with a zero dim.
  ir::Graph z;
  const ir::TensorId a = testplans::AddAct(z, "a", {0, 4});
  const ir::TensorId b = testplans::AddAct(z, "b", {0, 4});
  z.inputs = {a};
  z.AddNode(testplans::MakeNode("r", ir::OpKind::kRelu, {a}, {b}));
  z.outputs = {b};
  plan = planner::PlanMemory(z, {});
  ASSERT_TRUE(plan.ok());
  blob = WritePlan(*plan, {});
  ASSERT_FALSE(blob.ok());
  EXPECT_NE(blob.status().message().find("tensor 'a'"), std::string::npos) << blob.status().message();

  // A plan whose offsets were never assigned.
  auto bare = planner::BuildExecPlan(testplans::ConvReluViewAdd(), {}, {}, {});
  ASSERT_TRUE(bare.ok());
  EXPECT_FALSE(WritePlan(*bare, {}).ok());
}

}  // namespace
}  // namespace tigris::emit
