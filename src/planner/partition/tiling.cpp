// Tile groups: strip planning (which rows of every tensor each iteration computes and holds)
// and the expansion of a group into ExecPlan steps. Every iteration runs: line-buffer shifts
// (rows still needed move to the buffer's start), strip loads of slow entries, the group's ops
// on their new rows (in model order), strip stores of slow exits. Iterations that differ only by
// constant byte offsets are rolled into one kLoop step.
#include "tigris/partition/tiling.h"

#include <algorithm>
#include <limits>
#include <map>
#include <set>

namespace tigris::partition {

namespace {

using ir::OpKind;

std::string NodeLabel(const ir::Node& n) { return "node '" + n.name + "' (" + ir::OpName(n.kind) + ")"; }

constexpr int32_t kUnassigned = -2;

bool IsActivation(const ir::Graph& g, ir::TensorId t) { return t != ir::kNoTensor && !g.tensor(t).is_constant; }

std::vector<int64_t> DenseStrides(const std::vector<int64_t>& shape) {
  std::vector<int64_t> st(shape.size(), 1);
  for (size_t d = shape.size(); d-- > 1;) st[d - 1] = st[d] * shape[d];
  return st;
}

}  // namespace

Expected<TileGroup> MakeTileGroup(const ir::Graph& g, std::vector<ir::NodeId> nodes, int32_t axis) {
  TileGroup grp;
  if (nodes.empty()) return Internal("tiling: empty group");
  grp.nodes = std::move(nodes);
  grp.axis = axis;
  std::set<ir::NodeId> in_group(grp.nodes.begin(), grp.nodes.end());
  const auto consumers = g.Consumers();
  std::vector<bool> is_output(g.tensors.size(), false);
  for (ir::TensorId t : g.outputs) is_output[static_cast<size_t>(t)] = true;

  std::set<ir::TensorId> produced;
  for (ir::NodeId v : grp.nodes)
    for (ir::TensorId t : g.nodes[static_cast<size_t>(v)].outputs) produced.insert(t);
  std::set<ir::TensorId> entries;
  for (ir::NodeId v : grp.nodes)
    for (ir::TensorId t : planner::RuntimeInputs(g.nodes[static_cast<size_t>(v)]))
      if (IsActivation(g, t) && !produced.count(t)) entries.insert(t);
  grp.entries.assign(entries.begin(), entries.end());
  for (ir::TensorId t : produced) {
    bool outside = is_output[static_cast<size_t>(t)];
    for (ir::NodeId c : consumers[static_cast<size_t>(t)]) outside = outside || !in_group.count(c);
    (outside ? grp.exits : grp.internals).push_back(t);
  }
  const ir::Node& last = g.nodes[static_cast<size_t>(grp.nodes.back())];
  if (last.outputs.size() != 1)
    return Unsupported("tiling: " + NodeLabel(last) + " has several outputs and cannot end a tiled group");
  grp.driver = last.outputs[0];
  // The driver first among the exits.
  std::stable_partition(grp.exits.begin(), grp.exits.end(), [&](ir::TensorId t) { return t == grp.driver; });

  // Axes, from the driver backwards.
  grp.tensor_axis.assign(g.tensors.size(), kUnassigned);
  grp.tensor_axis[static_cast<size_t>(grp.driver)] = axis;
  std::vector<bool> whole_read(g.tensors.size(), false);
  for (size_t i = grp.nodes.size(); i-- > 0;) {
    const ir::Node& n = g.nodes[static_cast<size_t>(grp.nodes[i])];
    int32_t out_axis = kUnassigned;
    for (ir::TensorId t : n.outputs) {
      const int32_t a = grp.tensor_axis[static_cast<size_t>(t)];
      if (a == kUnassigned) continue;
      if (out_axis != kUnassigned && a != out_axis)
        return Unsupported("tiling: the outputs of " + NodeLabel(n) + " would be tiled along different axes");
      out_axis = a;
    }
    if (out_axis == kUnassigned || out_axis < 0)
      return Unsupported("tiling: the output of " + NodeLabel(n) +
                         " leaves the group without being read inside it, so it would be held whole");
    for (ir::TensorId t : n.outputs) grp.tensor_axis[static_cast<size_t>(t)] = out_axis;
    const auto map = TileAxisMap(g, n, out_axis);
    if (!map) return Unsupported("tiling: " + NodeLabel(n) + " cannot be tiled along axis " + std::to_string(out_axis));
    const auto ins = planner::RuntimeInputs(n);
    for (size_t k = 0; k < ins.size(); ++k) {
      const ir::TensorId t = ins[k];
      if (!IsActivation(g, t)) continue;
      const int32_t a = map->input_axis[k];
      if (a == kWholeInput) {
        whole_read[static_cast<size_t>(t)] = true;
        continue;
      }
      int32_t& cur = grp.tensor_axis[static_cast<size_t>(t)];
      if (cur != kUnassigned && cur != a)
        return Unsupported("tiling: '" + g.tensor(t).name + "' would be tiled along two axes");
      cur = a;
    }
  }
  for (ir::TensorId t : grp.entries)
    if (grp.tensor_axis[static_cast<size_t>(t)] == kUnassigned) grp.tensor_axis[static_cast<size_t>(t)] = -1;
  for (ir::TensorId t : produced)
    if (grp.tensor_axis[static_cast<size_t>(t)] < 0)
      return Unsupported("tiling: '" + g.tensor(t).name + "' is made inside the group but read whole");
  return grp;
}

Expected<GroupStrips> PlanStrips(const ir::Graph& g, const TileGroup& grp, int64_t rows) {
  if (rows < 1) return Internal("tiling: strips need at least one row");
  GroupStrips st;
  st.rows = rows;
  for (const auto* list : {&grp.entries, &grp.exits, &grp.internals})
    st.tensors.insert(st.tensors.end(), list->begin(), list->end());
  const size_t nt = st.tensors.size();
  std::map<ir::TensorId, size_t> index;
  for (size_t i = 0; i < nt; ++i) index[st.tensors[i]] = i;
  st.length.resize(nt);
  st.row_bytes.resize(nt);
  for (size_t i = 0; i < nt; ++i) {
    const ir::Tensor& x = g.tensor(st.tensors[i]);
    const int32_t a = grp.tensor_axis[static_cast<size_t>(st.tensors[i])];
    st.length[i] = a < 0 ? 1 : x.shape[static_cast<size_t>(a)];
    st.row_bytes[i] = static_cast<uint64_t>(x.SizeBytes()) / static_cast<uint64_t>(st.length[i]);
  }
  const size_t d = index.at(grp.driver);
  const int64_t total = st.length[d];
  st.iterations = (total + rows - 1) / rows;
  const auto n_iter = static_cast<size_t>(st.iterations);
  st.fresh.assign(nt, std::vector<Interval>(n_iter));
  st.window.assign(nt, std::vector<Interval>(n_iter));
  st.held.assign(nt, 0);
  const size_t nn = grp.nodes.size();
  st.op_out.assign(nn, std::vector<Interval>(n_iter));
  st.op_in.assign(nn, std::vector<std::vector<Interval>>(n_iter));

  // Per node: its output axis and input maps (MakeTileGroup checked they exist).
  std::vector<AxisMap> maps(nn);
  std::vector<std::vector<ir::TensorId>> node_ins(nn);
  std::vector<uint64_t> macs_per_row(nn);
  for (size_t j = 0; j < nn; ++j) {
    const ir::Node& n = g.nodes[static_cast<size_t>(grp.nodes[j])];
    const int32_t a = grp.tensor_axis[static_cast<size_t>(n.outputs[0])];
    maps[j] = *TileAxisMap(g, n, a);
    node_ins[j] = planner::RuntimeInputs(n);
    const ir::Tensor& y = g.tensor(n.outputs[0]);
    macs_per_row[j] = planner::NodeMacs(g, n) / static_cast<uint64_t>(y.shape[static_cast<size_t>(a)]);
  }

  constexpr int64_t kInf = std::numeric_limits<int64_t>::max();
  std::vector<int64_t> hi_prev(nt, 0);
  for (size_t k = 0; k < n_iter; ++k) {
    std::vector<int64_t> need_hi = hi_prev, need_lo(nt, kInf);
    need_hi[d] = std::min(total, static_cast<int64_t>(k + 1) * rows);
    if (k + 1 == n_iter)
      for (ir::TensorId e : grp.exits) need_hi[index.at(e)] = st.length[index.at(e)];
    for (size_t j = nn; j-- > 0;) {
      const ir::Node& n = g.nodes[static_cast<size_t>(grp.nodes[j])];
      const int32_t a = grp.tensor_axis[static_cast<size_t>(n.outputs[0])];
      Interval out{kInf, 0};
      for (ir::TensorId o : n.outputs) {
        const size_t oi = index.at(o);
        out.lo = std::min(out.lo, hi_prev[oi]);
        out.hi = std::max(out.hi, need_hi[oi]);
      }
      for (ir::TensorId o : n.outputs) need_hi[index.at(o)] = out.hi;
      if (out.empty()) continue;
      st.op_out[j][k] = out;
      std::vector<Interval>& in = st.op_in[j][k];
      in.assign(node_ins[j].size(), Interval{});
      for (size_t i = 0; i < node_ins[j].size(); ++i) {
        const ir::TensorId t = node_ins[j][i];
        if (!IsActivation(g, t)) continue;
        const size_t ti = index.at(t);
        const Interval w = maps[j].input_axis[i] == kWholeInput ? Interval{0, st.length[ti]}
                                                                 : InputWindow(g, n, i, a, out);
        in[i] = w;
        need_lo[ti] = std::min(need_lo[ti], w.lo);
        need_hi[ti] = std::max(need_hi[ti], w.hi);
      }
      st.macs += static_cast<uint64_t>(out.size()) * macs_per_row[j];
    }
    for (size_t i = 0; i < nt; ++i) {
      st.fresh[i][k] = {hi_prev[i], need_hi[i]};
      st.window[i][k] = {std::min(need_lo[i], hi_prev[i]), need_hi[i]};
      if (st.window[i][k].empty()) st.window[i][k] = {need_hi[i], need_hi[i]};
      st.held[i] = std::max(st.held[i], st.window[i][k].size());
      hi_prev[i] = need_hi[i];
    }
  }
  st.shift_bytes.assign(nt, 0);
  for (size_t i = 0; i < nt; ++i) {
    if (hi_prev[i] != st.length[i] && i >= grp.entries.size())
      return Internal("tiling: '" + g.tensor(st.tensors[i]).name + "' is not computed completely");
    if (grp.tensor_axis[static_cast<size_t>(st.tensors[i])] < 0) continue;
    // Rows kept from one iteration to the next move to the buffer's start (ExpandGroup's rule).
    int64_t kept_max = 0, base = 0;
    for (size_t k = 0; k < n_iter; ++k) {
      const Interval& w = st.window[i][k];
      if (w.empty() || w.lo <= base) continue;
      const int64_t kept = k > 0 ? std::max<int64_t>(0, st.fresh[i][k - 1].hi - w.lo) : 0;
      kept_max = std::max(kept_max, kept);
      st.shift_bytes[i] += static_cast<uint64_t>(kept) * st.row_bytes[i];
      base = w.lo;
    }
    st.halo_rows += static_cast<uint64_t>(kept_max);
  }
  return st;
}

GroupOverhead GroupOverheadOf(const TileGroup& grp, const GroupStrips& st, const std::vector<Residency>& residency) {
  GroupOverhead o;
  const size_t n_entries = grp.entries.size(), n_io = n_entries + grp.exits.size();
  for (size_t j = 0; j < st.op_out.size(); ++j)
    for (const Interval& r : st.op_out[j]) o.calls += !r.empty();
  for (size_t i = 0; i < st.tensors.size(); ++i) {
    const bool whole_fast = i < n_io && i < residency.size() && residency[i] == Residency::kFast;
    if (whole_fast) continue;
    o.shift_bytes += st.shift_bytes[i];
    for (size_t k = 0; k < st.fresh[i].size(); ++k) {
      if (i < n_io && !st.fresh[i][k].empty()) ++o.calls;  // a strip load or store
      if (k > 0 && st.shift_bytes[i] > 0 && st.window[i][k].lo > st.window[i][k - 1].lo &&
          st.fresh[i][k - 1].hi > st.window[i][k].lo)
        ++o.calls;  // a shift (approximately: the walk's rule)
    }
  }
  return o;
}

uint64_t GroupFastBytes(const TileGroup& grp, const GroupStrips& st, const std::vector<Residency>& residency,
                        const ir::Graph& g) {
  uint64_t bytes = 0;
  const size_t n_io = grp.entries.size() + grp.exits.size();
  for (size_t i = 0; i < st.tensors.size(); ++i) {
    const bool whole_fast = i < n_io && i < residency.size() && residency[i] == Residency::kFast;
    bytes += whole_fast ? static_cast<uint64_t>(g.tensor(st.tensors[i]).SizeBytes())
                        : static_cast<uint64_t>(st.held[i]) * st.row_bytes[i];
  }
  return bytes;
}

uint64_t GroupSlowBytes(const TileGroup& grp, const GroupStrips& st, const std::vector<Residency>& residency,
                        const ir::Graph& g) {
  uint64_t bytes = 0;
  const size_t n_io = grp.entries.size() + grp.exits.size();
  for (size_t i = 0; i < n_io && i < residency.size(); ++i)
    if (residency[i] == Residency::kSlow) bytes += static_cast<uint64_t>(g.tensor(st.tensors[i]).SizeBytes());
  return bytes;
}

namespace {

// A view of a tensor's rows: a buffer, a byte offset, a shape and strides.
struct ViewSpec {
  int32_t buffer = -1;
  int64_t offset = 0;
  std::vector<int64_t> shape, strides;
  ir::DType dtype = ir::DType::kF32;
  ir::TensorId existing = ir::kNoTensor;  // use this plan tensor as is (constants, whole views)
  bool is_constant = false;
  std::string name;
};

// One op of one iteration, before it becomes a node of the plan graph.
struct Instance {
  ir::Node node;  // kind and attributes (inputs/outputs/name set when materialized)
  std::vector<ViewSpec> ins, outs;
  std::string base_name;
  int32_t scratch = -1;
  ir::NodeId origin = -1;  // the model node it computes (-1 for copies)
};

bool SameShape(const ViewSpec& a, const ViewSpec& b) {
  return a.buffer == b.buffer && a.shape == b.shape && a.strides == b.strides && a.dtype == b.dtype &&
         a.existing == b.existing;
}

// The byte-offset deltas between two iterations' instances, or false when they differ otherwise.
bool Deltas(const std::vector<Instance>& a, const std::vector<Instance>& b, std::vector<std::vector<int64_t>>* out) {
  if (a.size() != b.size()) return false;
  out->assign(a.size(), {});
  for (size_t j = 0; j < a.size(); ++j) {
    const Instance& x = a[j];
    const Instance& y = b[j];
    if (x.node.kind != y.node.kind || x.node.attrs != y.node.attrs || x.base_name != y.base_name ||
        x.ins.size() != y.ins.size() || x.outs.size() != y.outs.size() || x.scratch != y.scratch)
      return false;
    std::vector<int64_t>& d = (*out)[j];
    for (size_t i = 0; i < x.ins.size(); ++i) {
      if (!SameShape(x.ins[i], y.ins[i])) return false;
      d.push_back(y.ins[i].offset - x.ins[i].offset);
    }
    for (size_t i = 0; i < x.outs.size(); ++i) {
      if (!SameShape(x.outs[i], y.outs[i])) return false;
      d.push_back(y.outs[i].offset - x.outs[i].offset);
    }
  }
  return true;
}

}  // namespace

Expected<size_t> ExpandGroup(planner::ExecPlan& plan, size_t step, const ir::Graph& model, const TileGroup& grp,
                             const GroupStrips& st, const ParamsQuery& /*params*/) {
  ir::Graph& pg = plan.graph;
  const ir::Node placeholder = pg.nodes[static_cast<size_t>(plan.steps[step].node)];
  if (placeholder.inputs.size() != grp.entries.size() || placeholder.outputs.size() != grp.exits.size())
    return Internal("tiling: the placeholder of a group does not match it");
  const size_t nt = st.tensors.size(), n_entries = grp.entries.size(), n_io = n_entries + grp.exits.size();
  const auto n_iter = static_cast<size_t>(st.iterations);

  // Per group tensor: its whole tensor in the plan (entries/exits) and buffer, or a line buffer.
  struct Holder {
    ir::TensorId whole = ir::kNoTensor;  // plan tensor of the whole entry/exit
    int32_t whole_buffer = -1;
    uint64_t whole_offset = 0;
    bool whole_fast = false;
    int32_t line = -1;                   // line buffer
    std::vector<int64_t> line_shape;
    int32_t axis = -1;
  };
  std::vector<Holder> h(nt);
  for (size_t i = 0; i < nt; ++i) {
    Holder& x = h[i];
    x.axis = grp.tensor_axis[static_cast<size_t>(st.tensors[i])];
    if (i < n_io) {
      x.whole = i < n_entries ? placeholder.inputs[i] : placeholder.outputs[i - n_entries];
      const planner::TensorPlace& pl = plan.place[static_cast<size_t>(x.whole)];
      if (pl.buffer < 0 || !pl.strides.empty()) return Internal("tiling: a group's entry/exit is not a dense buffer");
      x.whole_buffer = pl.buffer;
      x.whole_offset = pl.offset;
      x.whole_fast = plan.buffers[static_cast<size_t>(pl.buffer)].pool == planner::kFastPool;
    }
    if (!x.whole_fast) {
      x.line_shape = model.tensor(st.tensors[i]).shape;
      if (x.axis >= 0) x.line_shape[static_cast<size_t>(x.axis)] = std::max<int64_t>(1, st.held[i]);
      planner::PlanBuffer b;
      b.kind = planner::BufferKind::kActivation;
      b.size = static_cast<uint64_t>(std::max<int64_t>(1, st.held[i])) * st.row_bytes[i];
      b.pool = planner::kFastPool;
      x.line = static_cast<int32_t>(plan.buffers.size());
      plan.buffers.push_back(b);
    }
  }
  std::map<ir::TensorId, size_t> index;
  for (size_t i = 0; i < nt; ++i) index[st.tensors[i]] = i;

  const std::string tag = model.nodes[static_cast<size_t>(grp.nodes.front())].name;
  // Views of rows [r.lo, r.hi) (global indices along the tensor's axis) at iteration k.
  std::vector<int64_t> base(nt, 0);
  auto whole_view = [&](size_t i, Interval r) {
    const Holder& x = h[i];
    const ir::Tensor& t = model.tensor(st.tensors[i]);
    ViewSpec v;
    v.buffer = x.whole_buffer;
    v.shape = t.shape;
    v.strides = DenseStrides(t.shape);
    v.dtype = t.dtype;
    v.offset = static_cast<int64_t>(x.whole_offset);
    if (x.axis >= 0) {
      v.shape[static_cast<size_t>(x.axis)] = r.size();
      v.offset += r.lo * v.strides[static_cast<size_t>(x.axis)] * ir::DTypeSize(t.dtype);
    }
    v.name = t.name;
    return v;
  };
  auto line_view = [&](size_t i, Interval local) {
    const Holder& x = h[i];
    const ir::Tensor& t = model.tensor(st.tensors[i]);
    ViewSpec v;
    v.buffer = x.line;
    v.shape = x.line_shape;
    v.strides = DenseStrides(x.line_shape);
    v.dtype = t.dtype;
    v.offset = 0;
    if (x.axis >= 0) {
      v.shape[static_cast<size_t>(x.axis)] = local.size();
      v.offset = local.lo * v.strides[static_cast<size_t>(x.axis)] * ir::DTypeSize(t.dtype);
    }
    v.name = t.name + "@line";
    return v;
  };
  // Rows `r` of group tensor i as the kernels see them at iteration k.
  auto rows_view = [&](size_t i, Interval r) {
    if (h[i].whole_fast) return whole_view(i, r);
    return line_view(i, {r.lo - base[i], r.hi - base[i]});
  };
  auto copy_instance = [&](const std::string& name, ViewSpec from, ViewSpec to) {
    Instance c;
    c.node.kind = OpKind::kCopy;
    c.base_name = name;
    c.ins = {std::move(from)};
    c.outs = {std::move(to)};
    return c;
  };

  std::vector<std::vector<Instance>> iters(n_iter);
  for (size_t k = 0; k < n_iter; ++k) {
    std::vector<Instance>& out = iters[k];
    // 1. Line-buffer shifts: rows still needed move to the start.
    for (size_t i = 0; i < nt; ++i) {
      if (h[i].whole_fast || h[i].axis < 0) continue;
      const Interval w = st.window[i][k];
      if (w.empty() || w.lo <= base[i]) continue;  // nothing held, or the buffer does not move
      const int64_t have_hi = k > 0 ? st.fresh[i][k - 1].hi : 0;
      if (have_hi > w.lo)
        out.push_back(copy_instance(model.tensor(st.tensors[i]).name + "@shift",
                                    line_view(i, {w.lo - base[i], have_hi - base[i]}), line_view(i, {0, have_hi - w.lo})));
      base[i] = w.lo;
    }
    // 2. Loads of slow entries.
    for (size_t i = 0; i < n_entries; ++i) {
      if (h[i].whole_fast || st.fresh[i][k].empty()) continue;
      const Interval r = st.fresh[i][k];
      out.push_back(copy_instance(model.tensor(st.tensors[i]).name + "@load", whole_view(i, r), rows_view(i, r)));
    }
    // 3. The ops, on their new rows.
    for (size_t j = 0; j < grp.nodes.size(); ++j) {
      const Interval o = st.op_out[j][k];
      if (o.empty()) continue;
      const ir::Node& n = model.nodes[static_cast<size_t>(grp.nodes[j])];
      const auto ins = planner::RuntimeInputs(n);
      const int32_t a = grp.tensor_axis[static_cast<size_t>(n.outputs[0])];
      AxisWindow aw;
      aw.axis = a;
      aw.out = o;
      aw.in.resize(ins.size());
      Instance inst;
      inst.base_name = n.name;
      inst.origin = grp.nodes[j];
      for (size_t i = 0; i < ins.size(); ++i) {
        const ir::TensorId t = ins[i];
        if (!IsActivation(model, t)) {
          ViewSpec v;
          v.existing = t;
          inst.ins.push_back(v);
          if (t != ir::kNoTensor) aw.in[i] = {0, model.tensor(t).shape.empty() ? 1 : model.tensor(t).shape[0]};
          continue;
        }
        const size_t ti = index.at(t);
        const Interval r = st.op_in[j][k][i];
        aw.in[i] = r;
        inst.ins.push_back(rows_view(ti, r));
      }
      for (ir::TensorId t : n.outputs) inst.outs.push_back(rows_view(index.at(t), o));
      TIGRIS_ASSIGN_OR_RETURN(inst.node, LocalizeNode(model, n, {aw}));
      out.push_back(std::move(inst));
    }
    // 4. Stores of slow exits.
    for (size_t i = n_entries; i < n_io; ++i) {
      if (h[i].whole_fast || st.fresh[i][k].empty()) continue;
      const Interval r = st.fresh[i][k];
      out.push_back(copy_instance(model.tensor(st.tensors[i]).name + "@store", rows_view(i, r), whole_view(i, r)));
    }
  }

  // Roll runs of iterations that differ by constant offsets; materialize nodes and tensors.
  std::vector<planner::PlanStep> steps;
  std::set<std::string> used_names;
  for (const ir::Node& n : pg.nodes) used_names.insert(n.name);
  auto unique = [&](std::string name) {
    std::string u = name;
    for (int i = 2; used_names.count(u); ++i) u = name + "_" + std::to_string(i);
    used_names.insert(u);
    return u;
  };
  auto materialize = [&](const ViewSpec& v) -> ir::TensorId {
    if (v.existing != ir::kNoTensor) {
      // A weight only tile instances read gets its buffer in the weights section here.
      const ir::Tensor& t = pg.tensor(v.existing);
      if (t.is_constant && plan.place[static_cast<size_t>(v.existing)].buffer < 0) {
        planner::PlanBuffer b;
        b.kind = planner::BufferKind::kConstant;
        b.size = static_cast<uint64_t>(t.SizeBytes());
        b.pool = planner::kWeightsPool;
        b.tensor = v.existing;
        plan.place[static_cast<size_t>(v.existing)].buffer = static_cast<int32_t>(plan.buffers.size());
        plan.buffers.push_back(b);
      }
      return v.existing;
    }
    ir::Tensor t;
    t.name = v.name;
    t.dtype = v.dtype;
    t.shape = v.shape;
    const ir::TensorId id = pg.AddTensor(std::move(t));
    planner::TensorPlace pl;
    pl.buffer = v.buffer;
    pl.offset = static_cast<uint64_t>(v.offset);
    if (v.strides != DenseStrides(v.shape)) pl.strides = v.strides;
    plan.place.push_back(pl);
    return id;
  };
  auto emit = [&](const Instance& inst, size_t k) {
    ir::Node n = inst.node;
    n.name = unique(inst.base_name + "@" + tag + "#" + std::to_string(k));
    n.inputs.clear();
    n.outputs.clear();
    for (const ViewSpec& v : inst.ins) n.inputs.push_back(materialize(v));
    for (const ViewSpec& v : inst.outs) n.outputs.push_back(materialize(v));
    const ir::NodeId id = pg.AddNode(std::move(n));
    plan.origin.resize(pg.nodes.size(), -1);
    plan.origin[static_cast<size_t>(id)] = inst.origin;
    planner::PlanStep s;
    s.node = id;
    s.scratch = inst.scratch;
    steps.push_back(std::move(s));
  };
  for (size_t k = 0; k < n_iter;) {
    size_t end = k + 1;
    std::vector<std::vector<int64_t>> delta, next;
    if (end < n_iter && Deltas(iters[k], iters[end], &delta)) {
      ++end;
      while (end < n_iter && Deltas(iters[end - 1], iters[end], &next) && next == delta) ++end;
    }
    if (end - k >= 2) {
      planner::PlanStep loop;
      loop.kind = planner::StepKind::kLoop;
      loop.body = static_cast<int32_t>(iters[k].size());
      loop.count = static_cast<int32_t>(end - k);
      loop.operand_delta = delta;
      steps.push_back(std::move(loop));
    }
    for (const Instance& inst : iters[k]) emit(inst, k);
    if (end - k < 2) {
      ++k;
      continue;
    }
    k = end;
  }
  // Loop steps with an empty body (iterations that run nothing) are dropped.
  std::vector<planner::PlanStep> clean;
  for (size_t s = 0; s < steps.size(); ++s) {
    if (steps[s].kind == planner::StepKind::kLoop && steps[s].body == 0) continue;
    clean.push_back(std::move(steps[s]));
  }
  const size_t n_new = clean.size();
  plan.steps.erase(plan.steps.begin() + static_cast<std::ptrdiff_t>(step));
  plan.steps.insert(plan.steps.begin() + static_cast<std::ptrdiff_t>(step), std::make_move_iterator(clean.begin()),
                    std::make_move_iterator(clean.end()));
  return n_new;
}

}  // namespace tigris::partition
