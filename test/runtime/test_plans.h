// Small hand-built IR graphs and the compile step (plan memory + write plan) shared by the
// runtime tests. Inputs are deterministic formulas; the tests hold expected outputs that were
// computed independently with numpy (see the comment at each expected table).
#pragma once

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "tigris/emit/op_params.h"
#include "tigris/emit/plan_writer.h"
#include "tigris/ir/graph.h"
#include "tigris/planner/memory_plan.h"
#include "tigris/planner/weight_stages.h"

namespace tigris::testplans {

inline ir::TensorId AddAct(ir::Graph& g, const std::string& name, std::vector<int64_t> shape) {
  ir::Tensor t;
  t.name = name;
  t.shape = std::move(shape);
  return g.AddTensor(std::move(t));
}

inline ir::TensorId AddConst(ir::Graph& g, const std::string& name, std::vector<int64_t> shape,
                             const std::vector<float>& values) {
  ir::Tensor t;
  t.name = name;
  t.shape = std::move(shape);
  t.is_constant = true;
  t.data.resize(values.size() * sizeof(float));
  std::memcpy(t.data.data(), values.data(), t.data.size());
  return g.AddTensor(std::move(t));
}

inline ir::Node MakeNode(const std::string& name, ir::OpKind kind, std::vector<ir::TensorId> in,
                         std::vector<ir::TensorId> out) {
  ir::Node n;
  n.name = name;
  n.kind = kind;
  n.inputs = std::move(in);
  n.outputs = std::move(out);
  return n;
}

// Graph 1: X[1,1,4,4] -Conv(W[2,1,3,3], B, pads 1)-> C -Relu-> R -Reshape-> V[1,32] -Add(X2)-> Y.
// X[i] = (i - 7.5) / 4, X2[j] = 0.01 * (j - 16).
inline ir::Graph ConvReluViewAdd() {
  ir::Graph g;
  g.name = "conv_relu_view_add";
  std::vector<float> w(18);
  const float sobel[9] = {1, 0, -1, 2, 0, -2, 1, 0, -1};
  for (int k = 0; k < 9; ++k) {
    w[static_cast<size_t>(k)] = sobel[k] * 0.5f;
    w[static_cast<size_t>(9 + k)] = static_cast<float>(k % 5 - 2) * 0.25f;
  }
  const ir::TensorId x = AddAct(g, "X", {1, 1, 4, 4});
  const ir::TensorId x2 = AddAct(g, "X2", {1, 32});
  const ir::TensorId wt = AddConst(g, "W", {2, 1, 3, 3}, w);
  const ir::TensorId b = AddConst(g, "B", {2}, {0.1f, -0.2f});
  ir::Tensor shape_t;
  shape_t.name = "shape";
  shape_t.dtype = ir::DType::kI64;
  shape_t.shape = {2};
  shape_t.is_constant = true;
  const int64_t shape_v[2] = {1, 32};
  shape_t.data.resize(16);
  std::memcpy(shape_t.data.data(), shape_v, 16);
  const ir::TensorId shape = g.AddTensor(shape_t);
  const ir::TensorId c = AddAct(g, "C", {1, 2, 4, 4});
  const ir::TensorId r = AddAct(g, "R", {1, 2, 4, 4});
  const ir::TensorId v = AddAct(g, "V", {1, 32});
  const ir::TensorId y = AddAct(g, "Y", {1, 32});
  g.inputs = {x, x2};
  ir::Node conv = MakeNode("conv", ir::OpKind::kConv, {x, wt, b}, {c});
  conv.attrs["kernel_shape"] = std::vector<int64_t>{3, 3};
  conv.attrs["strides"] = std::vector<int64_t>{1, 1};
  conv.attrs["dilations"] = std::vector<int64_t>{1, 1};
  conv.attrs["pads"] = std::vector<int64_t>{1, 1, 1, 1};
  conv.attrs["group"] = int64_t{1};
  g.AddNode(conv);
  g.AddNode(MakeNode("relu", ir::OpKind::kRelu, {c}, {r}));
  g.AddNode(MakeNode("flatten", ir::OpKind::kReshape, {r, shape}, {v}));
  g.AddNode(MakeNode("add", ir::OpKind::kAdd, {v, x2}, {y}));
  g.outputs = {y};
  return g;
}

inline std::vector<float> ConvReluViewAddX() {
  std::vector<float> x(16);
  for (int i = 0; i < 16; ++i) x[static_cast<size_t>(i)] = (static_cast<float>(i) - 7.5f) / 4.0f;
  return x;
}
inline std::vector<float> ConvReluViewAddX2() {
  std::vector<float> x(32);
  for (int j = 0; j < 32; ++j) x[static_cast<size_t>(j)] = 0.01f * (static_cast<float>(j) - 16.0f);
  return x;
}

// Graph 2: X[1,2,8] -Conv1d(W[3,2,3], stride 2, pads [1,2], fused LeakyRelu 0.1)-> C[1,3,5]
// -MaxPool1d(k 2, s 1)-> Y[1,3,4]. X[i] = sin(i), W[i] = cos(0.7 i) (double, rounded to float).
inline ir::Graph Conv1dLeakyMaxPool() {
  ir::Graph g;
  g.name = "conv1d_leaky_maxpool";
  std::vector<float> w(18);
  for (int i = 0; i < 18; ++i) w[static_cast<size_t>(i)] = static_cast<float>(std::cos(i * 0.7));
  const ir::TensorId x = AddAct(g, "X", {1, 2, 8});
  const ir::TensorId wt = AddConst(g, "W", {3, 2, 3}, w);
  const ir::TensorId c = AddAct(g, "C", {1, 3, 5});
  const ir::TensorId y = AddAct(g, "Y", {1, 3, 4});
  g.inputs = {x};
  ir::Node conv = MakeNode("conv1d", ir::OpKind::kConv, {x, wt, ir::kNoTensor}, {c});
  conv.attrs["kernel_shape"] = std::vector<int64_t>{3};
  conv.attrs["strides"] = std::vector<int64_t>{2};
  conv.attrs["pads"] = std::vector<int64_t>{1, 2};
  conv.attrs["act"] = std::string("LeakyRelu");
  conv.attrs["act_a"] = 0.1f;
  g.AddNode(conv);
  ir::Node pool = MakeNode("pool", ir::OpKind::kMaxPool, {c}, {y});
  pool.attrs["kernel_shape"] = std::vector<int64_t>{2};
  pool.attrs["strides"] = std::vector<int64_t>{1};
  g.AddNode(pool);
  g.outputs = {y};
  return g;
}

inline std::vector<float> Conv1dLeakyMaxPoolX() {
  std::vector<float> x(16);
  for (int i = 0; i < 16; ++i) x[static_cast<size_t>(i)] = static_cast<float>(std::sin(static_cast<double>(i)));
  return x;
}

// A tile loop plan: Y[4,16] = op(X[4,16]) computed one row per iteration. Row views x_row/y_row
// [1,16] sit at offset 0 of X's and Y's buffers and move 64 bytes per iteration. With
// `slice`, the op is Slice(X) whose starts[0] (params word 0) advances by 1 per iteration and
// only the output moves; otherwise it is Relu on both row views. `count` iterations.
inline planner::ExecPlan RowLoopPlan(bool slice, int32_t count = 4) {
  ir::Graph g;
  g.name = slice ? "row_loop_slice" : "row_loop_relu";
  const ir::TensorId x = AddAct(g, "X", {4, 16});
  const ir::TensorId y = AddAct(g, "Y", {4, 16});
  const ir::TensorId xr = AddAct(g, "x_row", {1, 16});
  const ir::TensorId yr = AddAct(g, "y_row", {1, 16});
  g.inputs = {x};
  g.outputs = {y};
  if (slice) {
    ir::Node n = MakeNode("slice_row", ir::OpKind::kSlice, {x}, {yr});
    n.attrs["starts"] = std::vector<int64_t>{0, 0};
    n.attrs["steps"] = std::vector<int64_t>{1, 1};
    g.AddNode(n);
  } else {
    g.AddNode(MakeNode("relu_row", ir::OpKind::kRelu, {xr}, {yr}));
  }
  planner::ExecPlan p;
  p.graph = std::move(g);
  planner::PlanBuffer bx, by;
  bx.size = by.size = 256;
  bx.tensor = x;
  bx.live_from_start = true;
  by.tensor = y;
  by.live_to_end = true;
  p.buffers = {bx, by};
  p.place.assign(4, {});
  p.place[static_cast<size_t>(x)].buffer = 0;
  p.place[static_cast<size_t>(xr)].buffer = 0;
  p.place[static_cast<size_t>(y)].buffer = 1;
  p.place[static_cast<size_t>(yr)].buffer = 1;
  planner::PlanStep loop;
  loop.kind = planner::StepKind::kLoop;
  loop.body = 1;
  loop.count = count;
  if (slice) {
    loop.operand_delta = {{0, 64}};
    loop.param_delta = {{1}};  // tgrs_slice_params_t.start[0]
  } else {
    loop.operand_delta = {{64, 64}};
  }
  planner::PlanStep op;
  op.node = 0;
  p.steps = {loop, op};
  return p;
}

// Assigns offsets and writes `plan`; empty on failure.
inline std::vector<uint8_t> Emit(planner::ExecPlan plan, std::string* error = nullptr) {
  if (Status st = planner::AssignPlanOffsets(plan, {}, "greedy_by_size"); !st.ok()) {
    if (error) *error = st.message();
    return {};
  }
  auto blob = emit::WritePlan(plan, {});
  if (!blob.ok()) {
    if (error) *error = blob.status().message();
    return {};
  }
  return *blob;
}

// Plans memory (with the kernels' scratch query) and writes the plan; empty on failure.
inline std::vector<uint8_t> Compile(const ir::Graph& g, std::string* error = nullptr) {
  planner::PlanOptions opt;
  opt.scratch = emit::KernelScratchQuery();
  auto plan = planner::PlanMemory(g, opt);
  if (!plan.ok()) {
    if (error) *error = plan.status().message();
    return {};
  }
  auto blob = emit::WritePlan(*plan, {});
  if (!blob.ok()) {
    if (error) *error = blob.status().message();
    return {};
  }
  return *blob;
}

// Graph 3, with compressible weights: X[1,4,6,6] -Conv(W[16,4,3,3] with a period-3 pattern,
// B, pads 1)-> C -Relu-> Y; two convs in a row so a plan has two ops reading weights.
inline ir::Graph RepeatingConvs() {
  ir::Graph g;
  g.name = "repeating_convs";
  auto conv = [&](const std::string& name, ir::TensorId in, int64_t cin, int64_t cout, float scale) {
    std::vector<float> w(static_cast<size_t>(cout * cin * 9)), b(static_cast<size_t>(cout));
    for (size_t k = 0; k < w.size(); ++k) w[k] = static_cast<float>(static_cast<int>(k % 3) - 1) * scale;
    for (size_t k = 0; k < b.size(); ++k) b[k] = 0.01f * static_cast<float>(k);
    const ir::TensorId wt = AddConst(g, name + "_W", {cout, cin, 3, 3}, w);
    const ir::TensorId bt = AddConst(g, name + "_B", {cout}, b);
    const ir::TensorId out = AddAct(g, name + "_Y", {1, cout, 6, 6});
    ir::Node n = MakeNode(name, ir::OpKind::kConv, {in, wt, bt}, {out});
    n.attrs["kernel_shape"] = std::vector<int64_t>{3, 3};
    n.attrs["strides"] = std::vector<int64_t>{1, 1};
    n.attrs["dilations"] = std::vector<int64_t>{1, 1};
    n.attrs["pads"] = std::vector<int64_t>{1, 1, 1, 1};
    n.attrs["group"] = int64_t{1};
    g.AddNode(n);
    return out;
  };
  const ir::TensorId x = AddAct(g, "X", {1, 4, 6, 6});
  g.inputs = {x};
  const ir::TensorId c1 = conv("conv1", x, 4, 16, 0.25f);
  const ir::TensorId r = AddAct(g, "R", {1, 16, 6, 6});
  g.AddNode(MakeNode("relu", ir::OpKind::kRelu, {c1}, {r}));
  g.outputs = {conv("conv2", r, 16, 8, 0.125f)};
  return g;
}

// Like Compile, with weights as `options` say: streamed or compressed plans get their weight
// stage buffers first (planner::PlaceStageWeights).
inline std::vector<uint8_t> CompileWeights(const ir::Graph& g, const emit::EmitOptions& options,
                                           std::string* error = nullptr) {
  planner::PlanOptions opt;
  opt.scratch = emit::KernelScratchQuery();
  auto plan = planner::PlanMemory(g, opt);
  Status st = plan.status();
  if (st.ok() && (!options.xip || options.compression != emit::WeightCompression::kNone))
    st = planner::PlaceStageWeights(*plan, {}, "greedy_by_size", [&](const std::vector<uint8_t>& bytes) {
      return emit::EncodeStage(bytes, options.compression, !options.xip).margin;
    });
  if (!st.ok()) {
    if (error) *error = st.message();
    return {};
  }
  auto blob = emit::WritePlan(*plan, options);
  if (!blob.ok()) {
    if (error) *error = blob.status().message();
    return {};
  }
  return *blob;
}

}  // namespace tigris::testplans
