// Tile groups: strip planning (which rows and columns of every tensor each strip computes and
// holds) and the expansion of a group into ExecPlan steps. For each band, every strip runs:
// line-buffer shifts (rows still needed move to the buffer's start), loads of slow entries, the
// group's ops on their new rows (in model order), stores of slow exits. Strips that differ only
// by constant byte offsets (and params words) are rolled into one kLoop step per band.
#include "tigris/partition/tiling.h"

#include <algorithm>
#include <limits>
#include <map>
#include <set>

#include "tigris/ir/op_traits.h"
#include "tigris/kernels/tgrs_params.h"

namespace tigris::partition {

namespace {

using ir::OpKind;

std::string NodeLabel(const ir::Node& n) { return "node '" + n.name + "' (" + ir::OpName(n.kind) + ")"; }

constexpr int32_t kUnassigned = -2;
constexpr int64_t kInf = std::numeric_limits<int64_t>::max();

bool IsActivation(const ir::Graph& g, ir::TensorId t) { return t != ir::kNoTensor && !g.tensor(t).is_constant; }

std::vector<int64_t> DenseStrides(const std::vector<int64_t>& shape) {
  std::vector<int64_t> st(shape.size(), 1);
  for (size_t d = shape.size(); d-- > 1;) st[d - 1] = st[d] * shape[d];
  return st;
}

// Assigns axes from the driver backwards for one of the two tiled axes (primary or band).
// `out` per tensor; the accumulating last node (if any) maps its output's `acc_out_axis` to its
// input's `acc_in_axis`.
Status AssignAxes(const ir::Graph& g, TileGroup& grp, std::vector<int32_t>& out, int32_t driver_axis,
                  bool accumulating_axis) {
  out.assign(g.tensors.size(), kUnassigned);
  out[static_cast<size_t>(grp.driver)] = accumulating_axis && grp.accumulates ? -1 : driver_axis;
  std::set<ir::TensorId> produced;
  for (ir::NodeId v : grp.nodes)
    for (ir::TensorId t : g.nodes[static_cast<size_t>(v)].outputs) produced.insert(t);
  for (size_t i = grp.nodes.size(); i-- > 0;) {
    const ir::Node& n = g.nodes[static_cast<size_t>(grp.nodes[i])];
    const auto ins = planner::RuntimeInputs(g, n);
    if (accumulating_axis && grp.accumulates && i + 1 == grp.nodes.size()) {
      out[static_cast<size_t>(ins[0])] = grp.axis;  // the reduction eats its input's rows
      continue;
    }
    int32_t out_axis = kUnassigned;
    for (ir::TensorId t : n.outputs) {
      const int32_t a = out[static_cast<size_t>(t)];
      if (a == kUnassigned) continue;
      if (out_axis != kUnassigned && a != out_axis)
        return Unsupported("tiling: the outputs of " + NodeLabel(n) + " would be tiled along different axes");
      out_axis = a;
    }
    if (out_axis == kUnassigned || out_axis < 0)
      return Unsupported("tiling: the output of " + NodeLabel(n) +
                         " leaves the group without being read inside it, so it would be held whole");
    for (ir::TensorId t : n.outputs) out[static_cast<size_t>(t)] = out_axis;
    const auto map = TileAxisMap(g, n, out_axis);
    if (!map) return Unsupported("tiling: " + NodeLabel(n) + " cannot be tiled along axis " + std::to_string(out_axis));
    for (size_t k = 0; k < ins.size(); ++k) {
      const ir::TensorId t = ins[k];
      if (!IsActivation(g, t) || map->input_axis[k] == kWholeInput) continue;
      int32_t& cur = out[static_cast<size_t>(t)];
      if (cur != kUnassigned && cur != map->input_axis[k])
        return Unsupported("tiling: '" + g.tensor(t).name + "' would be tiled along two axes");
      cur = map->input_axis[k];
    }
  }
  for (ir::TensorId t : grp.entries)
    if (out[static_cast<size_t>(t)] == kUnassigned) out[static_cast<size_t>(t)] = -1;
  for (ir::TensorId t : produced) {
    if (out[static_cast<size_t>(t)] == kUnassigned) out[static_cast<size_t>(t)] = -1;
    if (out[static_cast<size_t>(t)] < 0 && !(grp.accumulates && t == grp.driver))
      return Unsupported("tiling: '" + g.tensor(t).name + "' is made inside the group but read whole");
  }
  return Status::Ok();
}

// Whether some windowed input of a node (a group tensor, rule not "whole") reads no index at
// all for output window `out`: the window lies in the padding. The parts of a Concat along its
// axis are one input here: a window reads nothing only when it misses all of them (a part it
// misses is dropped from the tile, TileReadsInput).
bool ReadsNothing(const std::vector<size_t>& in_index, const std::vector<WindowRule>& rules, Interval out) {
  constexpr size_t kNone = std::numeric_limits<size_t>::max();
  bool parts = false, reads_a_part = false;
  for (size_t i = 0; i < rules.size() && i < in_index.size(); ++i) {
    if (rules[i].kind == WindowRule::kConcatPart) {
      parts = true;
      reads_a_part = reads_a_part || !ApplyWindowRule(rules[i], out).empty();
      continue;
    }
    if (in_index[i] != kNone && rules[i].kind != WindowRule::kWhole && ApplyWindowRule(rules[i], out).empty())
      return true;
  }
  return parts && !reads_a_part;
}

// A Concat part the window does not read: no rows or columns of it are needed for it.
bool SkippedPart(const WindowRule& r, Interval w) { return r.kind == WindowRule::kConcatPart && w.empty(); }

}  // namespace

Expected<TileGroup> MakeTileGroup(const ir::Graph& g, std::vector<ir::NodeId> nodes, int32_t axis, int32_t band_axis,
                                  const std::vector<std::vector<ir::NodeId>>* cached_consumers) {
  TileGroup grp;
  if (nodes.empty()) return Internal("tiling: empty group");
  grp.nodes = std::move(nodes);
  grp.axis = axis;
  grp.band_axis = band_axis;
  std::set<ir::NodeId> in_group(grp.nodes.begin(), grp.nodes.end());
  std::vector<std::vector<ir::NodeId>> own;
  if (!cached_consumers) own = g.Consumers();
  const auto& consumers = cached_consumers ? *cached_consumers : own;
  std::vector<bool> is_output(g.tensors.size(), false);
  for (ir::TensorId t : g.outputs) is_output[static_cast<size_t>(t)] = true;

  std::set<ir::TensorId> produced;
  for (ir::NodeId v : grp.nodes)
    for (ir::TensorId t : g.nodes[static_cast<size_t>(v)].outputs) produced.insert(t);
  std::set<ir::TensorId> entries;
  for (ir::NodeId v : grp.nodes)
    for (ir::TensorId t : planner::RuntimeInputs(g, g.nodes[static_cast<size_t>(v)]))
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
  std::stable_partition(grp.exits.begin(), grp.exits.end(), [&](ir::TensorId t) { return t == grp.driver; });
  int64_t count = 0;
  grp.accumulates = !TileAxisMap(g, last, axis) && AccumulatesAlong(g, last, axis, &count);
  grp.progress = grp.accumulates ? planner::RuntimeInputs(g, last)[0] : grp.driver;
  if (grp.accumulates && !IsActivation(g, grp.progress))
    return Unsupported("tiling: " + NodeLabel(last) + " reduces a constant");
  if (grp.accumulates && band_axis >= 0 && !TileAxisMap(g, last, band_axis))
    return Unsupported("tiling: " + NodeLabel(last) + " cannot be split along axis " + std::to_string(band_axis));
  TIGRIS_RETURN_IF_ERROR(AssignAxes(g, grp, grp.tensor_axis, axis, true));
  if (band_axis >= 0) {
    TIGRIS_RETURN_IF_ERROR(AssignAxes(g, grp, grp.tensor_band, band_axis, false));
    for (size_t t = 0; t < g.tensors.size(); ++t)
      if (grp.tensor_axis[t] >= 0 && grp.tensor_axis[t] == grp.tensor_band[t])
        return Unsupported("tiling: '" + g.tensors[t].name + "' would be split twice along axis " +
                           std::to_string(grp.tensor_axis[t]));
  } else {
    grp.tensor_band.assign(g.tensors.size(), -1);
  }
  for (size_t j = 0; j < grp.nodes.size(); ++j) {
    const ir::Node& n = g.nodes[static_cast<size_t>(grp.nodes[j])];
    const bool acc = grp.accumulates && j + 1 == grp.nodes.size();
    const int32_t ra = grp.tensor_axis[static_cast<size_t>(n.outputs[0])];
    const int32_t ba = grp.tensor_band[static_cast<size_t>(n.outputs[0])];
    const size_t ni = planner::RuntimeInputs(g, n).size();
    grp.row_rules.emplace_back();
    grp.band_rules.emplace_back();
    const auto rmap = !acc && ra >= 0 ? TileAxisMap(g, n, ra) : std::nullopt;
    const auto bmap = ba >= 0 ? TileAxisMap(g, n, ba) : std::nullopt;
    grp.row_granule.push_back(rmap ? rmap->granule : 1);
    grp.band_granule.push_back(bmap ? bmap->granule : 1);
    for (size_t i = 0; i < ni; ++i) {
      grp.row_rules.back().push_back(!acc && ra >= 0 ? MakeWindowRule(g, n, i, ra) : WindowRule{});
      grp.band_rules.back().push_back(ba >= 0 ? MakeWindowRule(g, n, i, ba) : WindowRule{});
    }
  }
  return grp;
}

Expected<GroupStrips> PlanStrips(const ir::Graph& g, const TileGroup& grp, int64_t rows, int64_t bands) {
  if (rows < 1 || bands < 1) return Internal("tiling: strips need at least one row and one band");
  GroupStrips st;
  st.rows = rows;
  for (const auto* list : {&grp.entries, &grp.exits, &grp.internals})
    st.tensors.insert(st.tensors.end(), list->begin(), list->end());
  const size_t nt = st.tensors.size();
  std::map<ir::TensorId, size_t> index;
  for (size_t i = 0; i < nt; ++i) index[st.tensors[i]] = i;
  st.length.resize(nt);
  st.band_length.resize(nt);
  st.cell_bytes.resize(nt);
  for (size_t i = 0; i < nt; ++i) {
    const ir::Tensor& x = g.tensor(st.tensors[i]);
    const int32_t a = grp.tensor_axis[static_cast<size_t>(st.tensors[i])];
    const int32_t b = grp.tensor_band[static_cast<size_t>(st.tensors[i])];
    st.length[i] = a < 0 ? 1 : x.shape[static_cast<size_t>(a)];
    st.band_length[i] = b < 0 ? 1 : x.shape[static_cast<size_t>(b)];
    st.cell_bytes[i] = static_cast<uint64_t>(x.SizeBytes()) / static_cast<uint64_t>(st.length[i] * st.band_length[i]);
  }
  const size_t pi = index.at(grp.progress);
  const size_t di = index.at(grp.driver);
  const int64_t total = st.length[pi];
  st.iterations = (total + rows - 1) / rows;
  const auto n_iter = static_cast<size_t>(st.iterations);
  st.bands = grp.band_axis >= 0 ? std::min(bands, st.band_length[di]) : 1;
  const auto n_bands = static_cast<size_t>(st.bands);
  st.fresh.assign(nt, std::vector<Interval>(n_iter));
  st.window.assign(nt, std::vector<Interval>(n_iter));
  st.held.assign(nt, 0);
  const size_t nn = grp.nodes.size();
  st.op_out.assign(nn, std::vector<Interval>(n_iter));

  // Per node: its inputs (group tensor index or none) and the window rules along both axes.
  std::vector<std::vector<ir::TensorId>> node_ins(nn);
  std::vector<std::vector<size_t>> in_index(nn);
  const std::vector<std::vector<WindowRule>>& row_rule = grp.row_rules;
  const std::vector<std::vector<WindowRule>>& band_rule = grp.band_rules;
  std::vector<std::vector<size_t>> out_index(nn);
  constexpr size_t kNone = std::numeric_limits<size_t>::max();
  st.op_inputs.resize(nn);
  st.op_in.resize(nn);
  for (size_t j = 0; j < nn; ++j) {
    const ir::Node& n = g.nodes[static_cast<size_t>(grp.nodes[j])];
    node_ins[j] = planner::RuntimeInputs(g, n);
    const size_t ni = node_ins[j].size();
    st.op_inputs[j] = ni;
    st.op_in[j].assign(n_iter * ni, Interval{});
    for (size_t i = 0; i < ni; ++i) {
      const ir::TensorId t = node_ins[j][i];
      in_index[j].push_back(IsActivation(g, t) ? index.at(t) : kNone);
    }
    for (ir::TensorId o : n.outputs) out_index[j].push_back(index.at(o));
  }

  // Rows: per strip, from the progress tensor back to the entries.
  std::vector<int64_t> hi_prev(nt, 0), need_hi(nt), need_lo(nt);
  int64_t eaten = 0;  // progress rows an accumulating last node has consumed
  for (size_t k = 0; k < n_iter; ++k) {
    need_hi = hi_prev;
    std::fill(need_lo.begin(), need_lo.end(), kInf);
    const int64_t target = k + 1 == n_iter ? total : std::min(total, static_cast<int64_t>(k + 1) * rows);
    need_hi[pi] = std::max(need_hi[pi], target);
    if (k + 1 == n_iter)
      for (ir::TensorId e : grp.exits) need_hi[index.at(e)] = st.length[index.at(e)];
    for (size_t j = nn; j-- > 0;) {
      Interval* in = st.op_in[j].data() + k * st.op_inputs[j];
      if (grp.accumulates && j + 1 == nn) {
        // The reduction eats the progress rows made this strip; its output is written whole.
        const Interval r{eaten, target};
        eaten = target;
        if (eaten < total || !r.empty()) need_lo[pi] = std::min(need_lo[pi], r.lo);  // it reads on from here
        if (r.empty()) continue;
        st.op_out[j][k] = {0, 1};
        in[0] = r;
        need_hi[out_index[j][0]] = 1;
        continue;
      }
      const int64_t out_len = st.length[out_index[j][0]];
      Interval out{kInf, 0};
      for (size_t oi : out_index[j]) {
        out.lo = std::min(out.lo, hi_prev[oi]);
        out.hi = std::max(out.hi, need_hi[oi]);
      }
      if (!out.empty()) {
        // Whole groups of a grouped convolution's channels; and never a window whose inputs are
        // all padding (a view needs a row): compute further ahead instead.
        const int64_t gr = grp.row_granule[j];
        if (gr > 1) out.hi = std::min(out_len, (out.hi + gr - 1) / gr * gr);
        while (out.hi < out_len && ReadsNothing(in_index[j], row_rule[j], out))
          out.hi = std::min(out_len, out.hi + std::max<int64_t>(gr, 1));
        // Rows after this window that read only padding (the bottom of a Pad, a conv whose end
        // pad reaches its kernel) join it: no later strip could compute them from a real row.
        if (out.hi < out_len && ReadsNothing(in_index[j], row_rule[j], {out.hi, out_len})) out.hi = out_len;
      }
      for (size_t oi : out_index[j]) need_hi[oi] = std::max(need_hi[oi], out.hi);
      // Rows its later strips will read stay held: from the first row its remaining outputs read.
      const Interval rest{hi_prev[out_index[j][0]], out_len};
      for (size_t i = 0; i < st.op_inputs[j]; ++i) {
        const size_t ti = in_index[j][i];
        if (ti == kNone || rest.empty()) continue;
        const Interval later = row_rule[j][i].kind == WindowRule::kWhole ? Interval{0, st.length[ti]}
                                                                          : ApplyWindowRule(row_rule[j][i], rest);
        if (!later.empty()) need_lo[ti] = std::min(need_lo[ti], later.lo);
      }
      if (out.empty()) continue;
      st.op_out[j][k] = out;
      for (size_t i = 0; i < st.op_inputs[j]; ++i) {
        const size_t ti = in_index[j][i];
        if (ti == kNone) continue;
        const Interval w = row_rule[j][i].kind == WindowRule::kWhole ? Interval{0, st.length[ti]}
                                                                      : ApplyWindowRule(row_rule[j][i], out);
        in[i] = w;
        if (SkippedPart(row_rule[j][i], w)) continue;
        need_lo[ti] = std::min(need_lo[ti], w.lo);
        need_hi[ti] = std::max(need_hi[ti], w.hi);
      }
    }
    for (size_t i = 0; i < nt; ++i) {
      st.fresh[i][k] = {hi_prev[i], need_hi[i]};
      st.window[i][k] = {std::min(need_lo[i], hi_prev[i]), need_hi[i]};
      if (st.window[i][k].empty()) st.window[i][k] = {need_hi[i], need_hi[i]};
      hi_prev[i] = need_hi[i];
    }
    if (grp.accumulates) {  // the reduction's output: whole in every strip, stored after the last
      const size_t ai = di;
      st.window[ai][k] = {0, 1};
      st.fresh[ai][k] = k + 1 == n_iter ? Interval{0, 1} : Interval{0, 0};
    }
    for (size_t i = 0; i < nt; ++i) st.held[i] = std::max(st.held[i], st.window[i][k].size());
  }
  // Exits are complete (the last strip asks for all their rows); an internal tensor may stop
  // short where no op reads its last rows (a stride-2 consumer of an odd number of rows).
  for (size_t i = grp.entries.size(); i < grp.entries.size() + grp.exits.size(); ++i)
    if (hi_prev[i] != st.length[i])
      return Internal("tiling: '" + g.tensor(st.tensors[i]).name + "' is not computed completely");

  // Columns: per band, from the driver back (no line buffers: halos are recomputed).
  st.cols.assign(nt, std::vector<Interval>(n_bands));
  st.share.assign(nt, std::vector<Interval>(n_bands));
  st.op_cols.assign(nn, std::vector<Interval>(n_bands));
  st.op_in_cols.resize(nn);
  for (size_t j = 0; j < nn; ++j) st.op_in_cols[j].assign(n_bands * st.op_inputs[j], Interval{});
  st.width.assign(nt, 1);
  for (size_t b = 0; b < n_bands; ++b) {
    std::vector<Interval> need(nt, Interval{kInf, 0});
    auto widen = [&](size_t i, Interval w) {
      need[i].lo = std::min(need[i].lo, w.lo);
      need[i].hi = std::max(need[i].hi, w.hi);
    };
    for (size_t i = 0; i < nt; ++i) {
      const int64_t len = st.band_length[i];
      const auto nb = static_cast<int64_t>(n_bands);
      const bool banded = grp.tensor_band[static_cast<size_t>(st.tensors[i])] >= 0;
      st.share[i][b] = banded ? Interval{len * static_cast<int64_t>(b) / nb, len * static_cast<int64_t>(b + 1) / nb}
                              : Interval{0, 1};
      if (i >= grp.entries.size() && i < grp.entries.size() + grp.exits.size()) widen(i, st.share[i][b]);
    }
    for (size_t j = nn; j-- > 0;) {
      Interval out{kInf, 0};
      for (size_t oi : out_index[j]) {
        out.lo = std::min(out.lo, need[oi].lo);
        out.hi = std::max(out.hi, need[oi].hi);
      }
      if (out.empty()) out = {0, 0};
      if (!out.empty()) {
        const int64_t out_len = st.band_length[out_index[j][0]];
        const int64_t gr = grp.band_granule[j];
        if (gr > 1) {
          out.lo = out.lo / gr * gr;
          out.hi = std::min(out_len, (out.hi + gr - 1) / gr * gr);
        }
        while (ReadsNothing(in_index[j], band_rule[j], out) && (out.hi < out_len || out.lo > 0)) {
          if (out.hi < out_len) ++out.hi;
          else --out.lo;
        }
      }
      for (size_t oi : out_index[j]) need[oi] = out;
      st.op_cols[j][b] = out;
      Interval* in = st.op_in_cols[j].data() + b * st.op_inputs[j];
      for (size_t i = 0; i < st.op_inputs[j]; ++i) {
        const size_t ti = in_index[j][i];
        if (ti == kNone) continue;
        Interval w{0, st.band_length[ti]};
        if (band_rule[j][i].kind != WindowRule::kWhole) w = ApplyWindowRule(band_rule[j][i], out);
        in[i] = w;
        if (!SkippedPart(band_rule[j][i], w)) widen(ti, w);
      }
    }
    for (size_t i = 0; i < nt; ++i) {
      st.cols[i][b] = need[i].empty() ? Interval{0, 0} : need[i];
      st.width[i] = std::max(st.width[i], st.cols[i][b].size());
    }
  }

  // MACs per (row, column) cell of each node's output (an accumulator: of its input).
  uint64_t model_macs = 0;
  for (size_t j = 0; j < nn; ++j) {
    const ir::Node& n = g.nodes[static_cast<size_t>(grp.nodes[j])];
    const uint64_t total_macs = planner::NodeMacs(g, n);
    model_macs += total_macs;
    const bool acc = grp.accumulates && j + 1 == nn;
    const size_t ci = index.at(acc ? node_ins[j][0] : n.outputs[0]);
    const uint64_t cells = static_cast<uint64_t>(st.length[ci] * st.band_length[ci]);
    const uint64_t per_cell = total_macs / std::max<uint64_t>(cells, 1);
    for (size_t b = 0; b < n_bands; ++b)
      for (size_t k = 0; k < n_iter; ++k) {
        const Interval r = acc ? st.In(j, k, 0) : st.op_out[j][k];
        const Interval c = acc ? st.InCols(j, b, 0) : st.op_cols[j][b];
        if (r.empty()) continue;
        st.macs += static_cast<uint64_t>(r.size() * std::max<int64_t>(c.size(), 1)) * per_cell;
      }
  }
  st.recomputed_macs = st.macs > model_macs ? st.macs - model_macs : 0;

  st.shift_bytes.assign(nt, 0);
  for (size_t i = 0; i < nt; ++i) {
    if (grp.tensor_axis[static_cast<size_t>(st.tensors[i])] < 0) continue;
    // Rows kept from one strip to the next move to the buffer's start (ExpandGroup's rule).
    int64_t kept_max = 0, base = 0;
    for (size_t k = 0; k < n_iter; ++k) {
      const Interval& w = st.window[i][k];
      if (w.empty() || w.lo <= base) continue;
      const int64_t kept = k > 0 ? std::max<int64_t>(0, st.fresh[i][k - 1].hi - w.lo) : 0;
      kept_max = std::max(kept_max, kept);
      uint64_t cols = 0;
      for (size_t b = 0; b < n_bands; ++b) cols += static_cast<uint64_t>(st.cols[i][b].size());
      st.shift_bytes[i] += static_cast<uint64_t>(kept) * cols * st.cell_bytes[i];
      base = w.lo;
    }
    st.halo_rows += static_cast<uint64_t>(kept_max);
  }
  return st;
}

bool AccumulatesInPartial(const ir::Graph& g, const TileGroup& grp) {
  if (!grp.accumulates || grp.nodes.empty()) return false;
  const ir::Node& last = g.nodes[static_cast<size_t>(grp.nodes.back())];
  return last.kind == OpKind::kGlobalAveragePool && ir::KernelDTypeOf(g, last) == ir::DType::kI8;
}

namespace {
// Bytes of the int32 partial of an accumulating group (0 when it needs none, or has one strip).
uint64_t PartialBytes(const ir::Graph& g, const TileGroup& grp, const GroupStrips& st) {
  if (!AccumulatesInPartial(g, grp) || st.iterations < 2) return 0;
  const ir::Node& last = g.nodes[static_cast<size_t>(grp.nodes.back())];
  return static_cast<uint64_t>(g.tensor(last.outputs[0]).NumElements()) * 4;
}
}  // namespace

void SetGroupScratch(TileGroup& grp, const std::vector<uint64_t>& scratch) {
  grp.node_scratch.clear();
  for (ir::NodeId v : grp.nodes)
    grp.node_scratch.push_back(static_cast<size_t>(v) < scratch.size() ? scratch[static_cast<size_t>(v)] : 0);
}

uint64_t GroupScratch(const TileGroup& grp) {
  uint64_t most = 0;
  for (uint64_t b : grp.node_scratch) most = std::max(most, b);
  return most;
}

uint64_t GroupFastBytes(const TileGroup& grp, const GroupStrips& st, const std::vector<Residency>& residency,
                        const ir::Graph& g) {
  // Line buffers are placed 16-byte aligned: count each as the arena will.
  auto aligned = [](uint64_t b) { return (b + planner::kTensorAlign - 1) / planner::kTensorAlign * planner::kTensorAlign; };
  uint64_t bytes = aligned(PartialBytes(g, grp, st)) + aligned(GroupScratch(grp));
  const size_t n_io = grp.entries.size() + grp.exits.size();
  for (size_t i = 0; i < st.tensors.size(); ++i) {
    const bool whole_fast = i < n_io && i < residency.size() && residency[i] == Residency::kFast;
    bytes += whole_fast ? static_cast<uint64_t>(g.tensor(st.tensors[i]).SizeBytes())
                        : aligned(static_cast<uint64_t>(std::max<int64_t>(st.held[i], 1) * std::max<int64_t>(st.width[i], 1)) *
                                  st.cell_bytes[i]);
  }
  return bytes;
}

uint64_t GroupSlowBytes(const TileGroup& grp, const GroupStrips& st, const std::vector<Residency>& residency,
                        const ir::Graph& g) {
  (void)g;
  uint64_t bytes = 0;
  const size_t n_entries = grp.entries.size(), n_io = n_entries + grp.exits.size();
  for (size_t i = 0; i < n_io && i < residency.size(); ++i) {
    if (residency[i] != Residency::kSlow) continue;
    for (size_t b = 0; b < st.cols[i].size(); ++b) {
      const Interval c = i < n_entries ? st.cols[i][b] : st.share[i][b];
      for (const Interval& r : st.fresh[i])
        bytes += static_cast<uint64_t>(r.size() * std::max<int64_t>(c.size(), 0)) * st.cell_bytes[i];
    }
  }
  return bytes;
}

GroupOverhead GroupOverheadOf(const TileGroup& grp, const GroupStrips& st, const std::vector<Residency>& residency) {
  GroupOverhead o;
  const size_t n_io = grp.entries.size() + grp.exits.size();
  const auto n_bands = static_cast<uint64_t>(st.bands);
  for (size_t j = 0; j < st.op_out.size(); ++j)
    for (const Interval& r : st.op_out[j]) o.calls += r.empty() ? 0 : n_bands;
  for (size_t i = 0; i < st.tensors.size(); ++i) {
    const bool whole_fast = i < n_io && i < residency.size() && residency[i] == Residency::kFast;
    if (whole_fast) continue;
    o.shift_bytes += st.shift_bytes[i];
    int64_t base = 0;
    for (size_t k = 0; k < st.fresh[i].size(); ++k) {
      if (i < n_io && !st.fresh[i][k].empty()) o.calls += n_bands;  // loads or stores
      const Interval& w = st.window[i][k];
      if (w.empty() || w.lo <= base) continue;
      if (k > 0 && st.fresh[i][k - 1].hi > w.lo) o.calls += n_bands;  // a shift
      base = w.lo;
    }
  }
  return o;
}

namespace {

// A view of a tensor's window: a buffer, a byte offset, a shape and strides.
struct ViewSpec {
  int32_t buffer = -1;
  int64_t offset = 0;
  std::vector<int64_t> shape, strides;
  ir::DType dtype = ir::DType::kF32;
  ir::TensorId existing = ir::kNoTensor;  // use this plan tensor as is (whole constants)
  bool is_constant = false;
  std::string name;
};

// One op of one strip, before it becomes a node of the plan graph.
struct Instance {
  ir::Node node;  // kind and attributes (inputs/outputs/name set when materialized)
  std::vector<ViewSpec> ins, outs;
  std::string base_name;
  ir::NodeId origin = -1;  // the model node it computes (-1 for copies)
  std::vector<uint32_t> params;  // encoded params (only when the roller needs them)
};

bool SameShape(const ViewSpec& a, const ViewSpec& b) {
  return a.buffer == b.buffer && a.shape == b.shape && a.strides == b.strides && a.dtype == b.dtype &&
         a.existing == b.existing && a.is_constant == b.is_constant;
}

// The deltas between two strips' instances: byte offsets per operand and params words (as
// int32), or false when they differ otherwise.
bool Deltas(const std::vector<Instance>& a, const std::vector<Instance>& b, std::vector<std::vector<int64_t>>* od,
            std::vector<std::vector<int32_t>>* pd) {
  if (a.size() != b.size()) return false;
  od->assign(a.size(), {});
  pd->assign(a.size(), {});
  for (size_t j = 0; j < a.size(); ++j) {
    const Instance& x = a[j];
    const Instance& y = b[j];
    if (x.node.kind != y.node.kind || x.base_name != y.base_name || x.ins.size() != y.ins.size() ||
        x.outs.size() != y.outs.size())
      return false;
    if (x.node.attrs != y.node.attrs) {
      if (x.params.empty() || x.params.size() != y.params.size()) return false;
      for (size_t w = 0; w < x.params.size(); ++w)
        (*pd)[j].push_back(static_cast<int32_t>(y.params[w] - x.params[w]));
    }
    std::vector<int64_t>& d = (*od)[j];
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

// The strides that view the elements of a strided view (shape, strides) in row-major order as
// `out_shape`, or false when that is not a strided view (a merged dim is not contiguous).
bool ReshapeStrides(const std::vector<int64_t>& shape, const std::vector<int64_t>& strides,
                    const std::vector<int64_t>& out_shape, std::vector<int64_t>* out) {
  // Drop extent-1 dims (any stride), then walk both shapes grouping dims of equal products.
  std::vector<int64_t> d, st;
  for (size_t i = 0; i < shape.size(); ++i)
    if (shape[i] != 1) {
      d.push_back(shape[i]);
      st.push_back(strides[i]);
    }
  out->assign(out_shape.size(), 0);
  size_t i = 0, j = 0;
  while (j < out_shape.size() && out_shape[j] == 1) ++j;
  while (i < d.size() && j < out_shape.size()) {
    // one group: input dims [i, i2) and output dims [j, j2) with the same element count
    size_t i2 = i + 1, j2 = j + 1;
    int64_t pi = d[i], pj = out_shape[j];
    while (pi != pj) {
      if (pi < pj) {
        if (i2 >= d.size()) return false;
        pi *= d[i2++];
      } else {
        if (j2 >= out_shape.size()) return false;
        pj *= out_shape[j2++];
      }
    }
    // the input dims of the group must be contiguous with each other (merge), then split
    for (size_t k = i; k + 1 < i2; ++k)
      if (st[k] != st[k + 1] * d[k + 1]) return false;
    int64_t stride = st[i2 - 1];
    for (size_t k = j2; k-- > j;) {
      (*out)[k] = stride;
      stride *= out_shape[k];
    }
    i = i2;
    j = j2;
    while (j < out_shape.size() && out_shape[j] == 1) ++j;
  }
  return i == d.size() && j == out_shape.size();
}

// Only int32 params fields may move in a loop: the node's attribute changes between strips must
// be the integer window fields the roller knows (a float word changing means no loop).
bool OnlyIntegerFieldsChange(const ir::Node& a, const ir::Node& b) {
  for (const auto& [key, value] : a.attrs) {
    auto it = b.attrs.find(key);
    if (it == b.attrs.end()) return false;
    if (it->second == value) continue;
    if (key != "window_in_origin" && key != "window_out_origin" && key != "pads" && key != "starts") return false;
  }
  return a.attrs.size() == b.attrs.size();
}

}  // namespace

Expected<size_t> ExpandGroup(planner::ExecPlan& plan, size_t step, const ir::Graph& model, const TileGroup& grp,
                             const GroupStrips& st, const ParamsQuery& params) {
  ir::Graph& pg = plan.graph;
  const ir::Node placeholder = pg.nodes[static_cast<size_t>(plan.steps[step].node)];
  if (placeholder.inputs.size() != grp.entries.size() || placeholder.outputs.size() != grp.exits.size())
    return Internal("tiling: the placeholder of a group does not match it");
  const size_t nt = st.tensors.size(), n_entries = grp.entries.size(), n_io = n_entries + grp.exits.size();
  const auto n_iter = static_cast<size_t>(st.iterations);
  const auto n_bands = static_cast<size_t>(st.bands);

  // Per group tensor: its whole tensor in the plan (entries/exits) or a line buffer.
  struct Holder {
    ir::TensorId whole = ir::kNoTensor;
    int32_t whole_buffer = -1;
    uint64_t whole_offset = 0;
    bool whole_fast = false;
    int32_t line = -1;
    std::vector<int64_t> line_shape;
    int32_t axis = -1, band = -1;
  };
  std::vector<Holder> h(nt);
  for (size_t i = 0; i < nt; ++i) {
    Holder& x = h[i];
    x.axis = grp.tensor_axis[static_cast<size_t>(st.tensors[i])];
    x.band = grp.tensor_band[static_cast<size_t>(st.tensors[i])];
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
      if (x.band >= 0) x.line_shape[static_cast<size_t>(x.band)] = std::max<int64_t>(1, st.width[i]);
      planner::PlanBuffer b;
      b.kind = planner::BufferKind::kActivation;
      b.size = static_cast<uint64_t>(std::max<int64_t>(1, st.held[i]) * std::max<int64_t>(1, st.width[i])) * st.cell_bytes[i];
      b.pool = planner::kFastPool;
      x.line = static_cast<int32_t>(plan.buffers.size());
      plan.buffers.push_back(b);
    }
  }
  std::map<ir::TensorId, size_t> index;
  for (size_t i = 0; i < nt; ++i) index[st.tensors[i]] = i;
  auto fast_buffer = [&](planner::BufferKind kind, uint64_t size) {
    if (size == 0) return int32_t{-1};
    planner::PlanBuffer b;
    b.kind = kind;
    b.size = size;
    b.pool = planner::kFastPool;
    plan.buffers.push_back(b);
    return static_cast<int32_t>(plan.buffers.size() - 1);
  };
  // The int32 partial of an accumulation that cannot run in its output (AccumulatesInPartial),
  // and one scratch buffer for the group's ops that need one (the largest need).
  const int32_t partial = fast_buffer(planner::BufferKind::kActivation, PartialBytes(model, grp, st));
  const int32_t scratch_buf = fast_buffer(planner::BufferKind::kScratch, GroupScratch(grp));
  auto ensure_constant = [&](ir::TensorId t) {
    if (plan.place[static_cast<size_t>(t)].buffer >= 0) return plan.place[static_cast<size_t>(t)].buffer;
    planner::PlanBuffer b;
    b.kind = planner::BufferKind::kConstant;
    b.size = static_cast<uint64_t>(pg.tensor(t).SizeBytes());
    b.pool = planner::kWeightsPool;
    b.tensor = t;
    plan.place[static_cast<size_t>(t)].buffer = static_cast<int32_t>(plan.buffers.size());
    plan.buffers.push_back(b);
    return plan.place[static_cast<size_t>(t)].buffer;
  };

  // A view of rows `r` and columns `c` (global indices; an axis the tensor is whole along takes
  // the whole extent) of a whole tensor whose dense layout starts at `offset` of `buffer`.
  auto window = [&](const ir::Tensor& t, int32_t buffer, uint64_t offset, int32_t axis, Interval r, int32_t band,
                    Interval c) {
    ViewSpec v;
    v.buffer = buffer;
    v.shape = t.shape;
    v.strides = DenseStrides(t.shape);
    v.dtype = t.dtype;
    v.offset = static_cast<int64_t>(offset);
    const int64_t es = ir::DTypeSize(t.dtype);
    if (axis >= 0) {
      v.shape[static_cast<size_t>(axis)] = r.size();
      v.offset += r.lo * v.strides[static_cast<size_t>(axis)] * es;
    }
    if (band >= 0) {
      v.shape[static_cast<size_t>(band)] = c.size();
      v.offset += c.lo * v.strides[static_cast<size_t>(band)] * es;
    }
    v.name = "";  // windows are anonymous in the plan (the nodes that use them are named)
    return v;
  };
  std::vector<int64_t> base(nt, 0);
  size_t band = 0;
  auto whole_view = [&](size_t i, Interval r, Interval c) {
    return window(model.tensor(st.tensors[i]), h[i].whole_buffer, h[i].whole_offset, h[i].axis, r, h[i].band, c);
  };
  auto line_view = [&](size_t i, Interval local_r, Interval local_c) {
    ir::Tensor shape = model.tensor(st.tensors[i]);
    shape.shape = h[i].line_shape;
    return window(shape, h[i].line, 0, h[i].axis, local_r, h[i].band, local_c);
  };
  // Rows `r`, columns `c` (global) of group tensor i as the kernels see them now.
  auto view = [&](size_t i, Interval r, Interval c) {
    if (h[i].whole_fast) return whole_view(i, r, c);
    const Interval cb = st.cols[i][band];
    return line_view(i, {r.lo - base[i], r.hi - base[i]}, {c.lo - cb.lo, c.hi - cb.lo});
  };
  auto copy_instance = [&](const std::string& name, ViewSpec from, ViewSpec to) {
    Instance c;
    c.node.kind = OpKind::kCopy;
    c.base_name = name;
    c.ins = {std::move(from)};
    c.outs = {std::move(to)};
    return c;
  };

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
      if (pg.tensor(v.existing).is_constant) ensure_constant(v.existing);
      return v.existing;
    }
    ir::Tensor t;
    t.name = v.name;
    t.dtype = v.dtype;
    t.shape = v.shape;
    t.is_constant = v.is_constant;
    const ir::TensorId id = pg.AddTensor(std::move(t));
    planner::TensorPlace pl;
    pl.buffer = v.buffer;
    pl.offset = static_cast<uint64_t>(v.offset);
    if (v.strides != DenseStrides(v.shape)) pl.strides = v.strides;
    plan.place.push_back(pl);
    return id;
  };
  auto emit = [&](const Instance& inst, const std::string& where) {
    ir::Node n = inst.node;
    n.name = unique(inst.base_name + where);
    n.inputs.clear();
    n.outputs.clear();
    for (const ViewSpec& v : inst.ins) n.inputs.push_back(materialize(v));
    for (const ViewSpec& v : inst.outs) n.outputs.push_back(materialize(v));
    const ir::NodeId id = pg.AddNode(std::move(n));
    plan.origin.resize(pg.nodes.size(), -1);
    plan.origin[static_cast<size_t>(id)] = inst.origin;
    planner::PlanStep s;
    s.node = id;
    for (size_t j = 0; j < grp.nodes.size() && j < grp.node_scratch.size(); ++j)
      if (grp.nodes[j] == inst.origin && grp.node_scratch[j] > 0) s.scratch = scratch_buf;
    steps.push_back(std::move(s));
  };

  for (band = 0; band < n_bands; ++band) {
    std::fill(base.begin(), base.end(), 0);
    std::vector<std::vector<Instance>> iters(n_iter);
    for (size_t k = 0; k < n_iter; ++k) {
      std::vector<Instance>& out = iters[k];
      // 1. Line-buffer shifts: rows still needed move to the start.
      for (size_t i = 0; i < nt; ++i) {
        if (h[i].whole_fast || h[i].axis < 0) continue;
        const Interval w = st.window[i][k];
        if (w.empty() || w.lo <= base[i]) continue;
        const int64_t have_hi = k > 0 ? st.fresh[i][k - 1].hi : 0;
        const Interval cl{0, st.cols[i][band].size()};
        if (have_hi > w.lo && cl.size() > 0)
          out.push_back(copy_instance(model.tensor(st.tensors[i]).name + "@shift",
                                      line_view(i, {w.lo - base[i], have_hi - base[i]}, cl),
                                      line_view(i, {0, have_hi - w.lo}, cl)));
        base[i] = w.lo;
      }
      // 2. Loads of slow entries.
      for (size_t i = 0; i < n_entries; ++i) {
        const Interval r = st.fresh[i][k], c = st.cols[i][band];
        if (h[i].whole_fast || r.empty() || c.empty()) continue;
        out.push_back(copy_instance(model.tensor(st.tensors[i]).name + "@load", whole_view(i, r, c), view(i, r, c)));
      }
      // 3. The ops, on their new rows.
      for (size_t j = 0; j < grp.nodes.size(); ++j) {
        const Interval o = st.op_out[j][k];
        const Interval oc = st.op_cols[j][band];
        if (o.empty() || (h[index.at(model.nodes[static_cast<size_t>(grp.nodes[j])].outputs[0])].band >= 0 && oc.empty()))
          continue;
        const ir::Node& n = model.nodes[static_cast<size_t>(grp.nodes[j])];
        const auto ins = planner::RuntimeInputs(model, n);
        const bool acc = grp.accumulates && j + 1 == grp.nodes.size();
        const int32_t a = grp.tensor_axis[static_cast<size_t>(n.outputs[0])];
        const int32_t ba = grp.tensor_band[static_cast<size_t>(n.outputs[0])];
        std::vector<AxisWindow> windows;
        AxisWindow rw, bw;
        rw.axis = a;
        rw.out = o;
        rw.in.resize(ins.size());
        bw.axis = ba;
        bw.out = oc;
        bw.in.resize(ins.size());
        const auto row_map = acc ? std::nullopt : TileAxisMap(model, n, a);
        const auto band_map = ba >= 0 ? TileAxisMap(model, n, ba) : std::nullopt;
        Instance inst;
        inst.base_name = n.name;
        inst.origin = grp.nodes[j];
        for (size_t i = 0; i < ins.size(); ++i) {
          const ir::TensorId t = ins[i];
          if (!IsActivation(model, t)) {
            // A weight: whole, or the window of it the strip's rows / the band's columns need
            // (output features of a Gemm, output channels of a convolution).
            ViewSpec v;
            v.existing = t;
            const bool by_rows = t != ir::kNoTensor && row_map && row_map->input_axis[i] != kWholeInput;
            const bool by_band = t != ir::kNoTensor && band_map && band_map->input_axis[i] != kWholeInput;
            if (by_rows || by_band) {
              const ir::Tensor& w = model.tensor(t);
              const Interval wr = by_rows ? InputWindow(model, n, i, a, o) : Interval{};
              const Interval wc = by_band ? InputWindow(model, n, i, ba, oc) : Interval{};
              v = window(w, ensure_constant(t), 0, by_rows ? row_map->input_axis[i] : -1, wr,
                         by_band ? band_map->input_axis[i] : -1, wc);
              v.is_constant = true;
              rw.in[i] = wr;
              bw.in[i] = wc;
            }
            inst.ins.push_back(v);
            continue;
          }
          const size_t ti = index.at(t);
          rw.in[i] = st.In(j, k, i);
          bw.in[i] = st.InCols(j, band, i);
          inst.ins.push_back(view(ti, st.In(j, k, i), st.InCols(j, band, i)));
        }
        for (ir::TensorId t : n.outputs) inst.outs.push_back(view(index.at(t), o, oc));
        if (!acc && a >= 0) windows.push_back(rw);
        if (ba >= 0) windows.push_back(bw);
        // The parts of a Concat this tile does not read get no view (LocalizeNode drops them).
        for (size_t i = ins.size(); i-- > 0;)
          if (!TileReadsInput(model, n, windows, i))
            inst.ins.erase(inst.ins.begin() + static_cast<std::ptrdiff_t>(i));
        Accumulation accum;
        if (acc) {
          int64_t count = 0;
          AccumulatesAlong(model, n, grp.axis, &count);
          size_t first_k = 0, last_k = 0;
          bool seen = false;
          for (size_t q = 0; q < n_iter; ++q)
            if (!st.op_out[j][q].empty()) {
              if (!seen) first_k = q;
              seen = true;
              last_k = q;
            }
          accum.active = true;
          accum.flags = (k == first_k ? TGRS_ACC_BEGIN : 0) | (k == last_k ? TGRS_ACC_END : 0);
          accum.count = count;
          if (partial >= 0) {
            // the running sum lives in the int32 partial: the output's window of it, the band's
            // columns of a dense int32 tensor of the output's dims
            const ir::Tensor& y = model.tensor(n.outputs[0]);
            ViewSpec p;
            p.buffer = partial;
            p.dtype = ir::DType::kI32;
            p.shape = inst.outs[0].shape;
            p.strides = DenseStrides(y.shape);
            const int32_t yb = h[index.at(n.outputs[0])].band;
            if (yb >= 0) p.offset = oc.lo * p.strides[static_cast<size_t>(yb)] * 4;
            if (k != first_k) inst.ins.push_back(p);
            if (k != last_k) inst.outs[0] = p;
          }
        }
        TIGRIS_ASSIGN_OR_RETURN(inst.node, LocalizeNode(model, n, windows, accum));
        if (n.kind == OpKind::kReshape) {
          // A window of a view: the same elements in the output's dims, copied into its buffer.
          ViewSpec& in = inst.ins[0];
          std::vector<int64_t> strides;
          if (!ReshapeStrides(in.shape, in.strides, inst.outs[0].shape, &strides))
            return Internal("tiling: " + NodeLabel(n) + ": a window of its input is not a strided view of its output");
          in.shape = inst.outs[0].shape;
          in.strides = strides;
          inst.node = ir::Node{};
          inst.node.kind = OpKind::kCopy;
        }
        out.push_back(std::move(inst));
      }
      // 4. Stores of slow exits (each band stores its share of the columns).
      for (size_t i = n_entries; i < n_io; ++i) {
        const Interval r = st.fresh[i][k], c = st.share[i][band];
        if (h[i].whole_fast || r.empty() || c.empty()) continue;
        out.push_back(copy_instance(model.tensor(st.tensors[i]).name + "@store", view(i, r, c), whole_view(i, r, c)));
      }
    }

    // Every window lies inside its buffer (a window starting before it is a strip-plan bug).
    for (size_t k = 0; k < n_iter; ++k)
      for (const Instance& inst : iters[k])
        for (const auto* views : {&inst.ins, &inst.outs})
          for (const ViewSpec& v : *views)
            if (v.existing == ir::kNoTensor && v.offset < 0)
              return Internal("tiling: a window of '" + inst.base_name + "' starts before its buffer (strip " +
                              std::to_string(k) + ")");

    // Params words of instances whose attributes change between strips (for the roller).
    if (params)
      for (size_t k = 0; k + 1 < n_iter; ++k)
        for (size_t j = 0; j < iters[k].size() && j < iters[k + 1].size(); ++j) {
          Instance& x = iters[k][j];
          Instance& y = iters[k + 1][j];
          if (x.node.kind != y.node.kind || x.node.attrs == y.node.attrs || !OnlyIntegerFieldsChange(x.node, y.node))
            continue;
          for (Instance* inst : {&x, &y}) {
            if (!inst->params.empty()) continue;
            // Encode on a scratch graph holding the instance's shapes.
            ir::Graph tmp;
            ir::Node n = inst->node;
            n.inputs.clear();
            n.outputs.clear();
            for (const ViewSpec& v : inst->ins) {
              ir::Tensor t;
              if (v.existing != ir::kNoTensor) {
                t = model.tensor(v.existing);
                t.data.clear();
              } else {
                t.shape = v.shape;
                t.dtype = v.dtype;
              }
              n.inputs.push_back(tmp.AddTensor(std::move(t)));
            }
            for (const ViewSpec& v : inst->outs) {
              ir::Tensor t;
              t.shape = v.shape;
              t.dtype = v.dtype;
              n.outputs.push_back(tmp.AddTensor(std::move(t)));
            }
            auto words = params(tmp, n);
            if (words.ok()) inst->params = std::move(*words);
          }
        }

    // Roll runs of strips that differ by constant deltas; materialize nodes and tensors.
    const std::string btag = n_bands > 1 ? "/b" + std::to_string(band) : "";
    for (size_t k = 0; k < n_iter;) {
      size_t end = k + 1;
      std::vector<std::vector<int64_t>> od, od2;
      std::vector<std::vector<int32_t>> pd, pd2;
      if (end < n_iter && !iters[k].empty() && Deltas(iters[k], iters[end], &od, &pd)) {
        ++end;
        while (end < n_iter && Deltas(iters[end - 1], iters[end], &od2, &pd2) && od2 == od && pd2 == pd) ++end;
      }
      if (end - k >= 2) {
        planner::PlanStep loop;
        loop.kind = planner::StepKind::kLoop;
        loop.body = static_cast<int32_t>(iters[k].size());
        loop.count = static_cast<int32_t>(end - k);
        loop.operand_delta = od;
        loop.param_delta = pd;
        steps.push_back(std::move(loop));
      }
      const std::string where = btag + "#" + std::to_string(k) + (end - k >= 2 ? "x" + std::to_string(end - k) : "");
      for (const Instance& inst : iters[k]) emit(inst, where);
      k = end;
    }
  }
  const size_t n_new = steps.size();
  plan.steps.erase(plan.steps.begin() + static_cast<std::ptrdiff_t>(step));
  plan.steps.insert(plan.steps.begin() + static_cast<std::ptrdiff_t>(step), std::make_move_iterator(steps.begin()),
                    std::make_move_iterator(steps.end()));
  return n_new;
}

}  // namespace tigris::partition
