// PlanStrips and ExpandGroup on random chains (conv 1x1/3x3/5x5, strided, dilated, depthwise,
// grouped, pools in floor and ceil mode, unary ops, SiLU, residual adds, channel concats,
// nearest/linear up-sampling, down-then-up (FPN) branches, constant pads, global-average-pool
// tails), random runs of them as tile groups along every axis variant the tile search tries, at
// random strip heights and band counts, with each entry and exit randomly whole in fast memory
// or streamed from a slow pool. Checked:
// - strips: every row of every tensor made inside the group is computed exactly once (the op
//   outputs of consecutive strips partition the rows; an accumulating tail eats each row once),
//   every strip's op inputs are rows held at that strip, rows a line buffer drops are never read
//   again, the line buffer (held rows, width) holds what each strip keeps; bands: exits' shares
//   partition the band axis, every op's input columns are inside what the tensor has on the band;
// - the plan: ExpandGroup's plan passes VerifyExecPlan, its line buffers take exactly the
//   GroupFastBytes the search assumed, offsets are assigned, emit::WritePlan writes it (and
//   self-loads it with the runtime's loader), and the C99 runtime's outputs are bit-identical to
//   the untiled plan's.
#include <gtest/gtest.h>

#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <set>

#include "tigris/emit/plan_writer.h"
#include "tigris/partition/tiling.h"
#include "tigris/planner/memory_plan.h"
#include "tigris/tigris.h"
#include "tile_test_util.h"

namespace tigris::tile_test {
namespace {

using partition::Interval;

// ---- random chains ----------------------------------------------------------------------------

class ChainGen {
 public:
  ChainGen(uint32_t seed, int rank) : b_(seed, "chain" + std::to_string(seed)), rank_(rank) {}

  ir::Graph Build() {
    Rng& r = b_.rng;
    Shape xs{1, r.Int(1, 4)};
    for (int d = 2; d < rank_; ++d) xs.push_back(rank_ == 3 ? r.Int(6, 30) : r.Int(4, 16));
    cur_ = b_.Input("x", xs);
    history_.push_back(cur_);
    Conv(r.Int(2, 6), r.Pick(std::vector<int64_t>{1, 3}), 1, 1, -1, 1);
    const int64_t n_ops = r.Int(2, 8);
    for (int64_t i = 0; i < n_ops; ++i) Step();
    if (r.Coin(30)) {  // a global-average-pool tail, sometimes with a Gemm head after it
      const Shape s = Sh(cur_);
      Shape ys = s;
      for (size_t d = 2; d < ys.size(); ++d) ys[d] = 1;
      Emit(ir::OpKind::kGlobalAveragePool, "gap", {cur_}, ys);
      if (r.Coin()) {
        Emit(ir::OpKind::kReshape, "flatten", {cur_}, {1, s[1]});
        const int64_t classes = r.Int(2, 5);
        const ir::TensorId w = b_.Const(Name("fc_w"), {classes, s[1]});
        const ir::TensorId bias = b_.Const(Name("fc_b"), {classes});
        Emit(ir::OpKind::kGemm, "fc", {cur_, w, bias}, {1, classes},
             {{"transA", I(0)}, {"transB", I(1)}, {"alpha", F(1.f)}, {"beta", F(1.f)}});
      }
    }
    b_.g.outputs = {cur_};
    return b_.g;
  }

 private:
  Shape Sh(ir::TensorId t) const { return b_.ShapeOf(t); }
  std::string Name(const std::string& p) { return p + std::to_string(counter_++); }
  ir::TensorId Emit(ir::OpKind kind, const std::string& prefix, std::vector<ir::TensorId> ins,
                    const Shape& out, std::map<std::string, ir::AttrValue> attrs = {}) {
    const std::string name = Name(prefix);
    const ir::TensorId y = b_.Act(name, out);
    b_.Node(kind, name, std::move(ins), {y}, std::move(attrs));
    cur_ = y;
    history_.push_back(y);
    return y;
  }
  int64_t Spatial() const { return static_cast<int64_t>(Sh(cur_).size()) - 2; }

  // A convolution of cur_; pad < 0 = "same" ((k-1)*d/2). Returns false if the output is empty.
  bool Conv(int64_t cout, int64_t k, int64_t s, int64_t d, int64_t pad, int64_t group, int64_t pad_end = -1) {
    const Shape x = Sh(cur_);
    const int64_t ns = Spatial();
    const int64_t pb = pad < 0 ? (k - 1) * d / 2 : pad, pe = pad_end < 0 ? pb : pad_end;
    Shape y{1, cout};
    for (int64_t i = 0; i < ns; ++i) {
      const int64_t len = ConvLen(x[static_cast<size_t>(2 + i)], k, s, d, pb, pe);
      if (len < 1) return false;
      y.push_back(len);
    }
    Shape ws{cout, x[1] / group};
    std::vector<int64_t> ks, ss, ds, pads;
    for (int64_t i = 0; i < ns; ++i) {
      ws.push_back(k);
      ks.push_back(k);
      ss.push_back(s);
      ds.push_back(d);
      pads.push_back(pb);
    }
    for (int64_t i = 0; i < ns; ++i) pads.push_back(pe);
    std::vector<ir::TensorId> ins{cur_, b_.Const(Name("w"), ws)};
    if (b_.rng.Coin(70)) ins.push_back(b_.Const(Name("b"), {cout}));
    std::map<std::string, ir::AttrValue> attrs{{"kernel_shape", Is(ks)},
                                               {"strides", Is(ss)},
                                               {"dilations", Is(ds)},
                                               {"pads", Is(pads)},
                                               {"group", I(group)}};
    if (b_.rng.Coin(40))
      attrs["act"] = I(b_.rng.Pick(std::vector<int64_t>{TGRS_ACT_RELU, TGRS_ACT_SILU, TGRS_ACT_SIGMOID}));
    Emit(ir::OpKind::kConv, "conv", ins, y, attrs);
    return true;
  }

  bool Pool(bool avg, int64_t k, int64_t s, int64_t pad, bool ceil_mode) {
    const Shape x = Sh(cur_);
    Shape y{x[0], x[1]};
    for (int64_t i = 0; i < Spatial(); ++i) {
      const int64_t len = PoolLen(x[static_cast<size_t>(2 + i)], k, s, 1, pad, pad, ceil_mode);
      if (len < 1) return false;
      y.push_back(len);
    }
    const std::vector<int64_t> ks(static_cast<size_t>(Spatial()), k), ss(static_cast<size_t>(Spatial()), s),
        ds(static_cast<size_t>(Spatial()), 1), pads(static_cast<size_t>(2 * Spatial()), pad);
    std::map<std::string, ir::AttrValue> attrs{{"kernel_shape", Is(ks)},
                                               {"strides", Is(ss)},
                                               {"dilations", Is(ds)},
                                               {"pads", Is(pads)},
                                               {"ceil_mode", I(ceil_mode)}};
    if (avg) attrs["count_include_pad"] = I(b_.rng.Coin());
    Emit(avg ? ir::OpKind::kAveragePool : ir::OpKind::kMaxPool, avg ? "avgpool" : "maxpool", {cur_}, y,
         attrs);
    return true;
  }

  void Upsample() {
    Rng& r = b_.rng;
    Shape y = Sh(cur_);
    std::vector<float> scales{1, 1};
    for (size_t d = 2; d < y.size(); ++d) {
      y[d] *= 2;
      scales.push_back(2);
    }
    const bool linear = r.Coin(40);
    Emit(ir::OpKind::kResize, "up", {cur_}, y,
         {{"mode", I(linear ? TGRS_RESIZE_LINEAR : TGRS_RESIZE_NEAREST)},
          {"coord_mode", I(r.Int(TGRS_COORD_HALF_PIXEL, TGRS_COORD_TF_HALF_PIXEL_FOR_NN))},
          {"nearest_mode", I(r.Int(0, 3))},
          {"cubic_coeff_a", F(-0.75f)},
          {"exclude_outside", I(0)},
          {"scales", Fs(scales)}});
  }

  void Step() {
    Rng& r = b_.rng;
    const Shape x = Sh(cur_);
    const int64_t c = x[1];
    const int64_t small = *std::min_element(x.begin() + 2, x.end());
    const int64_t big = *std::max_element(x.begin() + 2, x.end());
    switch (r.Int(0, 11)) {
      case 0:  // conv 3x3 / 1x1 / 5x5, sometimes dilated or with unusual pads
      case 1: {
        const int64_t k = r.Pick(std::vector<int64_t>{1, 3, 3, 5});
        const int64_t d = k > 1 && r.Coin(25) ? 2 : 1;
        const int64_t pad = r.Coin(20) ? r.Int(0, (k - 1) * d + 1) : -1;
        if (Conv(r.Int(2, 8), k, 1, d, pad, 1, r.Coin(20) ? r.Int(0, (k - 1) * d) : -1)) return;
        break;
      }
      case 2:  // strided
        if (small >= 4 && Conv(r.Int(2, 8), r.Pick(std::vector<int64_t>{1, 3, 3}), 2, 1, -1, 1)) return;
        break;
      case 3:  // depthwise or grouped
        if (r.Coin()) {
          if (Conv(c * r.Int(1, 2), 3, r.Coin(20) && small >= 4 ? 2 : 1, 1, -1, c)) return;
        } else if (c % 2 == 0 && Conv(2 * r.Int(1, 3), 3, 1, 1, -1, 2)) {
          return;
        }
        break;
      case 4: {  // pools
        const int which = static_cast<int>(r.Int(0, 2));
        const bool avg = r.Coin(40);
        if (which == 0 && small >= 2 && Pool(avg, 2, 2, 0, r.Coin(30))) return;
        if (which == 1 && Pool(avg, 3, 1, 1, false)) return;
        if (which == 2 && small >= 3 && Pool(avg, 3, 2, 1, r.Coin(40))) return;
        break;
      }
      case 5: {  // unary
        const std::vector<ir::OpKind> kinds{ir::OpKind::kRelu, ir::OpKind::kSigmoid, ir::OpKind::kClip,
                                            ir::OpKind::kLeakyRelu};
        Emit(r.Pick(kinds), "act", {cur_}, x, {{"min", F(0.f)}, {"max", F(6.f)}, {"alpha", F(0.1f)}});
        return;
      }
      case 6: {  // SiLU as Sigmoid * x
        const ir::TensorId in = cur_;
        const ir::TensorId s = Emit(ir::OpKind::kSigmoid, "sig", {in}, x);
        Emit(ir::OpKind::kMul, "silu", {in, s}, x);
        return;
      }
      case 7: {  // residual add (or a broadcast constant)
        std::vector<ir::TensorId> same;
        for (ir::TensorId t : history_)
          if (t != cur_ && Sh(t) == x) same.push_back(t);
        if (!same.empty()) {
          const ir::TensorId o = r.Pick(same);
          Emit(ir::OpKind::kAdd, "res",
               r.Coin() ? std::vector<ir::TensorId>{cur_, o} : std::vector<ir::TensorId>{o, cur_}, x);
        } else {
          Shape cs{c};
          for (int64_t i = 0; i < Spatial(); ++i) cs.push_back(1);
          Emit(ir::OpKind::kAdd, "bias", {cur_, b_.Const(Name("k"), cs)}, x);
        }
        return;
      }
      case 8: {  // channel concat with an earlier tensor of the same spatial size
        std::vector<ir::TensorId> same;
        for (ir::TensorId t : history_)
          if (t != cur_ && std::equal(Sh(t).begin() + 2, Sh(t).end(), x.begin() + 2, x.end()) &&
              Sh(t)[1] + c <= 12)
            same.push_back(t);
        if (same.empty()) break;
        const ir::TensorId o = r.Pick(same);
        Shape y = x;
        y[1] += Sh(o)[1];
        Emit(ir::OpKind::kConcat, "cat",
             r.Coin() ? std::vector<ir::TensorId>{cur_, o} : std::vector<ir::TensorId>{o, cur_}, y,
             {{"axis", I(1)}});
        return;
      }
      case 9:  // up-sampling
        if (big <= (rank_ == 3 ? 20 : 10)) {
          Upsample();
          return;
        }
        break;
      case 10: {  // down then up, added back (an FPN branch)
        bool even = true;
        for (size_t d = 2; d < x.size(); ++d) even = even && x[d] % 2 == 0;
        if (!even || small < 4) break;
        const ir::TensorId t = cur_;
        if (!Conv(c, r.Pick(std::vector<int64_t>{3, 5}), 2, 1, -1, 1)) break;
        Upsample();
        if (Sh(cur_) == x) {
          Emit(ir::OpKind::kAdd, "fpn", {cur_, t}, x);
          return;
        }
        break;
      }
      case 11: {  // constant pad of the spatial dims
        std::vector<int64_t> pads(x.size() * 2, 0);
        Shape y = x;
        for (size_t d = 2; d < x.size(); ++d) {
          pads[d] = r.Int(0, 2);
          pads[d + x.size()] = r.Int(0, 2);
          y[d] += pads[d] + pads[d + x.size()];
        }
        if (*std::max_element(y.begin() + 2, y.end()) > 32) break;
        Emit(ir::OpKind::kPad, "pad", {cur_}, y,
             {{"mode", I(0)}, {"value", F(r.Value())}, {"pads", Is(pads)}});
        return;
      }
    }
    Conv(r.Int(2, 6), 3, 1, 1, -1, 1);  // the fallback: always possible
  }

  GraphBuilder b_;
  int rank_;
  ir::TensorId cur_ = ir::kNoTensor;
  std::vector<ir::TensorId> history_;
  int counter_ = 0;
};

// ---- plans -------------------------------------------------------------------------------------

constexpr uint64_t kBig = uint64_t{1} << 30;

std::vector<ir::Tensor> RandomInputs(const ir::Graph& g, uint32_t seed) {
  Rng r(seed);
  std::vector<ir::Tensor> ins;
  for (ir::TensorId t : g.inputs) {
    ir::Tensor x = g.tensor(t);
    std::vector<float> v(static_cast<size_t>(x.NumElements()));
    for (float& e : v) e = r.Value();
    x.data.resize(v.size() * 4);
    std::memcpy(x.data.data(), v.data(), x.data.size());
    ins.push_back(std::move(x));
  }
  return ins;
}

// Offsets, bytes, and a run on the C99 runtime.
Expected<std::vector<ir::Tensor>> EmitAndRun(planner::ExecPlan& plan, const std::vector<ir::Tensor>& inputs,
                                             std::string* stage) {
  *stage = "AssignPlanOffsets";
  TIGRIS_RETURN_IF_ERROR(planner::AssignPlanOffsets(plan, {kBig, kBig}, "greedy_by_size"));
  *stage = "WritePlan";
  TIGRIS_ASSIGN_OR_RETURN(std::vector<uint8_t> bytes, emit::WritePlan(plan, emit::EmitOptions{}));
  *stage = "run";
  return run(bytes, inputs);
}

// The graph with nodes [first, end) replaced by a placeholder reading the group's entries and
// writing its exits (as PartitionTemporal builds it), each entry/exit in pool 0 or 1.
Expected<planner::ExecPlan> PlaceholderPlan(const ir::Graph& g, const partition::TileGroup& grp, size_t first,
                                            size_t end, const std::vector<partition::Residency>& residency) {
  ir::Graph ng = g;
  ng.nodes.clear();
  std::vector<ir::NodeId> origin;
  for (size_t i = 0; i < first; ++i) {
    ng.nodes.push_back(g.nodes[i]);
    origin.push_back(static_cast<ir::NodeId>(i));
  }
  ir::Node ph;
  ph.kind = ir::OpKind::kCopy;
  ph.name = "tile_group_placeholder";
  ph.inputs = grp.entries;
  ph.outputs = grp.exits;
  ng.nodes.push_back(ph);
  origin.push_back(-1);
  for (size_t i = end; i < g.nodes.size(); ++i) {
    ng.nodes.push_back(g.nodes[i]);
    origin.push_back(static_cast<ir::NodeId>(i));
  }
  std::vector<uint32_t> pool(g.tensors.size(), 0);
  for (size_t k = 0; k < grp.entries.size(); ++k)
    if (residency[k] == partition::Residency::kSlow) pool[static_cast<size_t>(grp.entries[k])] = 1;
  for (size_t k = 0; k < grp.exits.size(); ++k)
    if (residency[grp.entries.size() + k] == partition::Residency::kSlow)
      pool[static_cast<size_t>(grp.exits[k])] = 1;
  TIGRIS_ASSIGN_OR_RETURN(planner::ExecPlan plan, planner::BuildExecPlan(std::move(ng), {}, pool, {}));
  plan.origin = origin;
  return plan;
}

// ---- invariants ----------------------------------------------------------------------------------

struct Findings {
  std::map<std::string, int> count;
  std::map<std::string, std::vector<std::string>> examples;
  void Add(const std::string& what, const std::string& detail) {
    ++count[what];
    if (examples[what].size() < 2) examples[what].push_back(detail);
  }
};

std::string Iv(Interval i) { return "[" + std::to_string(i.lo) + ", " + std::to_string(i.hi) + ")"; }

// Checks the strips; each violation is one finding (kind -> where).
void CheckStrips(const ir::Graph& g, const partition::TileGroup& grp, const partition::GroupStrips& st,
                 const std::function<void(const std::string&, const std::string&)>& bad) {
  std::map<ir::TensorId, size_t> index;
  for (size_t i = 0; i < st.tensors.size(); ++i) index[st.tensors[i]] = i;
  const size_t n_iter = static_cast<size_t>(st.iterations);
  const size_t nn = grp.nodes.size();
  const size_t n_entries = grp.entries.size(), n_io = n_entries + grp.exits.size();
  auto tname = [&](size_t i) { return "'" + g.tensor(st.tensors[i]).name + "'"; };

  // 1. Every node computes each row of its output exactly once, strips in order.
  for (size_t j = 0; j < nn; ++j) {
    const ir::Node& n = g.nodes[static_cast<size_t>(grp.nodes[j])];
    const bool acc = grp.accumulates && j + 1 == nn;
    const size_t oi = index.at(acc ? planner::RuntimeInputs(n)[0] : n.outputs[0]);
    int64_t next = 0;
    for (size_t k = 0; k < n_iter; ++k) {
      const Interval r = acc ? (st.op_inputs[j] == 0 ? Interval{} : st.In(j, k, 0)) : st.op_out[j][k];
      if (r.empty()) continue;
      if (r.lo != next)
        bad("rows computed twice or skipped",
            "node '" + n.name + "' strip " + std::to_string(k) + " computes " + Iv(r) +
                ", the previous strips ended at row " + std::to_string(next));
      next = r.hi;
    }
    // Exits (and an accumulator's input) are complete; an internal tensor's rows no op reads
    // need not be computed, but every row an op reads must be.
    const bool must_be_whole = acc || (oi >= n_entries && oi < n_io);
    int64_t read_hi = 0;
    for (size_t c = 0; c < nn; ++c) {
      const auto ins = planner::RuntimeInputs(g.nodes[static_cast<size_t>(grp.nodes[c])]);
      for (size_t q = 0; q < ins.size(); ++q)
        if (ins[q] == st.tensors[oi])
          for (size_t k = 0; k < n_iter; ++k) read_hi = std::max(read_hi, st.In(c, k, q).hi);
    }
    if (next != st.length[oi] && (must_be_whole || next < read_hi))
      bad("rows never computed", "node '" + n.name + "' computes rows up to " + std::to_string(next) +
                                     " of " + std::to_string(st.length[oi]) + " (read up to " + std::to_string(read_hi) + ")");
  }
  // 2. Line buffers: drop rows only when no later strip reads them; hold what each strip keeps.
  std::vector<int64_t> base(st.tensors.size(), 0);
  for (size_t k = 0; k < n_iter; ++k) {
    for (size_t i = 0; i < st.tensors.size(); ++i) {
      if (grp.tensor_axis[static_cast<size_t>(st.tensors[i])] < 0) continue;
      const Interval w = st.window[i][k];
      if (!w.empty() && w.lo > base[i]) base[i] = w.lo;  // ExpandGroup's shift rule
      if (st.held[i] < w.size())
        bad("line buffer too small", tname(i) + " holds " + std::to_string(st.held[i]) + " rows, strip " +
                                         std::to_string(k) + " keeps " + Iv(w));
      if (!w.empty() && w.hi - base[i] > std::max<int64_t>(st.held[i], 1))
        bad("line buffer too small", tname(i) + ": strip " + std::to_string(k) + " needs rows [" +
                                         std::to_string(base[i]) + ", " + std::to_string(w.hi) + ") in " +
                                         std::to_string(st.held[i]) + " rows");
      if (k > 0 && st.fresh[i][k].lo != st.fresh[i][k - 1].hi && !st.fresh[i][k].empty())
        bad("fresh rows not contiguous", tname(i) + " strip " + std::to_string(k));
    }
    for (size_t j = 0; j < nn; ++j) {
      const ir::Node& n = g.nodes[static_cast<size_t>(grp.nodes[j])];
      const std::vector<ir::TensorId> ins = planner::RuntimeInputs(n);
      const bool runs = !(st.op_out[j][k].empty());
      for (size_t q = 0; q < ins.size(); ++q) {
        if (g.tensor(ins[q]).is_constant || !runs) continue;
        const size_t ti = index.at(ins[q]);
        if (grp.tensor_axis[static_cast<size_t>(ins[q])] < 0) continue;
        const Interval r = st.In(j, k, q);
        const std::string where =
            "node '" + n.name + "' strip " + std::to_string(k) + " reads " + tname(ti) + " rows " + Iv(r);
        if (r.empty()) {
          bad("a strip reads no input row (not expressible as a kernel call)", where);
          continue;
        }
        const Interval w = st.window[ti][k];
        if (r.lo < w.lo || r.hi > w.hi)
          bad("op input outside the strip's window", where + ", the window is " + Iv(w));
        if (r.lo < base[ti])
          bad("op input rows were dropped from the line buffer by an earlier strip",
              where + ", but an earlier strip moved the buffer start to row " + std::to_string(base[ti]));
      }
    }
  }
  // 3. Exits: stored rows partition the tensor.
  for (size_t i = n_entries; i < n_io; ++i) {
    int64_t next = 0;
    for (size_t k = 0; k < n_iter; ++k) {
      const Interval f = st.fresh[i][k];
      if (f.empty()) continue;
      if (f.lo != next) bad("exit rows stored twice or skipped", tname(i) + " strip " + std::to_string(k));
      next = f.hi;
    }
    if (next != st.length[i]) bad("exit rows never stored", tname(i));
  }
  // 4. Windows of an axis with a granule (output channels of grouped convolutions) start and end
  // on whole groups, along the strips and along the bands (AxisMap's contract). A window inside
  // one group also works (LocalizeNode makes it a one-group conv), so only windows that cross a
  // group boundary off the granule are counted.
  for (size_t j = 0; j < nn; ++j) {
    if (grp.accumulates && j + 1 == nn) continue;
    const ir::Node& n = g.nodes[static_cast<size_t>(grp.nodes[j])];
    const ir::Tensor& y = g.tensor(n.outputs[0]);
    auto aligned = [&](int32_t axis, Interval w) {
      const auto map = partition::TileAxisMap(g, n, axis);
      if (!map || map->granule <= 1 || w.empty()) return true;
      if (w.lo / map->granule == (w.hi - 1) / map->granule) return true;  // inside one group
      return w.lo % map->granule == 0 &&
             (w.hi % map->granule == 0 || w.hi == y.shape[static_cast<size_t>(axis)]);
    };
    const int32_t a = grp.tensor_axis[static_cast<size_t>(n.outputs[0])];
    const int32_t ba = grp.tensor_band[static_cast<size_t>(n.outputs[0])];
    for (size_t k = 0; k < n_iter; ++k)
      if (a >= 0 && !aligned(a, st.op_out[j][k]))
        bad("a strip cuts through a group of output channels",
            "node '" + n.name + "' strip " + std::to_string(k) + " computes channels " + Iv(st.op_out[j][k]));
    for (size_t b = 0; ba >= 0 && b < static_cast<size_t>(st.bands); ++b)
      if (!aligned(ba, st.op_cols[j][b]))
        bad("a band cuts through a group of output channels",
            "node '" + n.name + "' band " + std::to_string(b) + " computes channels " + Iv(st.op_cols[j][b]));
  }
  // 5. Bands: shares partition each exit; inputs lie inside the tensor's columns on the band.
  for (size_t i = 0; i < st.tensors.size(); ++i) {
    if (grp.tensor_band[static_cast<size_t>(st.tensors[i])] < 0) continue;
    for (size_t b = 0; b < static_cast<size_t>(st.bands); ++b) {
      if (st.width[i] < st.cols[i][b].size()) bad("band wider than its line buffer", tname(i));
      if (i >= n_entries && i < n_io) {
        const Interval s = st.share[i][b];
        if (s.lo != (b == 0 ? 0 : st.share[i][b - 1].hi))
          bad("exit shares do not partition the band axis", tname(i));
        if (s.lo < st.cols[i][b].lo || s.hi > st.cols[i][b].hi)
          bad("exit share not computed on its band", tname(i));
      }
    }
    if (i >= n_entries && i < n_io && st.share[i][static_cast<size_t>(st.bands) - 1].hi != st.band_length[i])
      bad("exit shares do not cover the band axis", tname(i));
  }
  for (size_t j = 0; j < nn; ++j) {
    const ir::Node& n = g.nodes[static_cast<size_t>(grp.nodes[j])];
    const std::vector<ir::TensorId> ins = planner::RuntimeInputs(n);
    for (size_t b = 0; b < static_cast<size_t>(st.bands); ++b)
      for (size_t q = 0; q < ins.size(); ++q) {
        if (g.tensor(ins[q]).is_constant || grp.tensor_band[static_cast<size_t>(ins[q])] < 0) continue;
        const size_t ti = index.at(ins[q]);
        const Interval c = st.InCols(j, b, q), have = st.cols[ti][b];
        if (!st.op_cols[j][b].empty() && (c.empty() || c.lo < have.lo || c.hi > have.hi))
          bad("op input columns outside the band", "node '" + n.name + "' band " + std::to_string(b) +
                                                       " reads " + tname(ti) + " columns " + Iv(c) +
                                                       ", the band has " + Iv(have));
      }
  }
}

std::string Describe(const ir::Graph& g, const partition::TileGroup& grp, int64_t rows, int64_t bands,
                     const std::vector<partition::Residency>& res) {
  std::string s = "group '" + g.nodes[static_cast<size_t>(grp.nodes.front())].name + "' .. '" +
                  g.nodes[static_cast<size_t>(grp.nodes.back())].name + "' axis " + std::to_string(grp.axis) +
                  " band_axis " + std::to_string(grp.band_axis) + ", " + std::to_string(rows) +
                  " rows per strip, " + std::to_string(bands) + " bands, residency (entries, exits):";
  for (partition::Residency r : res) s += r == partition::Residency::kFast ? " fast" : " slow";
  return s + "\n" + g.Dump();
}

struct Variant {
  int32_t axis, band;
};

// What the sweep saw, by kind (strip invariants, pipeline stages, outcomes).
struct Sweep {
  Findings strips;  // strip invariant violations (CheckStrips) and PlanStrips failures
  Findings clean;   // failures of trials whose strips broke no invariant
  Findings broken;  // what became of trials whose strips did break one
  int chains = 0, trials = 0, refused = 0, planned = 0, clean_ran = 0, looped = 0, slow_io = 0,
      accumulating = 0, banded = 0;
  std::map<std::string, int> refusals;
};

// Random chains x random groups x variants x strip heights x bands x residencies, once.
const Sweep& RunSweep() {
  static const Sweep sweep = [] {
    Sweep sw;
    // TIGRIS_STRIPS_CHAINS: fewer chains (the *_regression tests only need to show their bug).
    const char* env = std::getenv("TIGRIS_STRIPS_CHAINS");
    const uint32_t n_chains = env && std::atoi(env) > 0 ? static_cast<uint32_t>(std::atoi(env)) : 500u;
    for (uint32_t seed = 1; seed <= n_chains; ++seed) {
      const int rank = seed % 4 == 0 ? 3 : 4;
      ChainGen gen(seed, rank);
      const ir::Graph g = gen.Build();
      if (Status v = g.Verify(); !v.ok()) {
        ADD_FAILURE() << "generated chain does not verify: " << v.message() << "\n" << g.Dump();
        continue;
      }
      ++sw.chains;
      const std::vector<ir::Tensor> inputs = RandomInputs(g, seed * 31u);
      auto untiled = planner::BuildExecPlan(g, {}, {}, {});
      std::string stage;
      auto want = untiled.ok() ? EmitAndRun(*untiled, inputs, &stage)
                               : Expected<std::vector<ir::Tensor>>(untiled.status());
      if (!want.ok()) {
        ADD_FAILURE() << "the untiled plan fails (" << stage << "): " << want.status().message() << "\n"
                      << g.Dump();
        continue;
      }
      Rng r(seed * 7u + 3u);
      for (int t = 0; t < 8; ++t) {
        // A run of the node order (often the whole chain without its Gemm head).
        size_t n_nodes = g.nodes.size();
        while (n_nodes > 1 && (g.nodes[n_nodes - 1].kind == ir::OpKind::kGemm ||
                               g.nodes[n_nodes - 1].kind == ir::OpKind::kReshape))
          --n_nodes;
        const size_t first =
            r.Coin(40) ? 0 : static_cast<size_t>(r.Int(0, static_cast<int64_t>(n_nodes) - 1));
        const size_t end =
            r.Coin(50)
                ? n_nodes
                : static_cast<size_t>(r.Int(static_cast<int64_t>(first) + 1, static_cast<int64_t>(n_nodes)));
        std::vector<ir::NodeId> nodes;
        for (size_t i = first; i < end; ++i) nodes.push_back(static_cast<ir::NodeId>(i));
        const ir::Tensor& last = g.tensor(g.nodes[end - 1].outputs[0]);
        const std::vector<Variant> variants = last.shape.size() == 4
                                                  ? std::vector<Variant>{{2, -1}, {2, 3}, {2, 1}, {1, -1}}
                                                  : std::vector<Variant>{{2, -1}, {2, 1}, {1, -1}};
        const Variant v = r.Pick(variants);
        ++sw.trials;
        auto grp = partition::MakeTileGroup(g, nodes, v.axis, v.band);
        if (!grp.ok()) {  // a documented refusal (an inner tensor only read after the group, ...)
          ++sw.refused;
          const std::string& m = grp.status().message();
          const size_t a = m.find('\''), b = m.rfind('\'');
          ++sw.refusals[a == std::string::npos ? m : m.substr(0, a) + "..." + m.substr(b + 1)];
          continue;
        }
        const int64_t len = g.tensor(grp->progress).shape[static_cast<size_t>(grp->axis)];
        const int64_t rows = r.Coin(40) ? 1 : r.Int(1, len);
        const int64_t bands = v.band >= 0 ? r.Int(1, 4) : 1;
        std::vector<partition::Residency> res;
        for (size_t k = 0; k < grp->entries.size() + grp->exits.size(); ++k)
          res.push_back(r.Coin(50) ? partition::Residency::kSlow : partition::Residency::kFast);
        const std::string what = Describe(g, *grp, rows, bands, res);
        auto st = partition::PlanStrips(g, *grp, rows, bands);
        if (!st.ok()) {
          sw.strips.Add("PlanStrips fails on a group MakeTileGroup accepted",
                        st.status().message() + "\n" + what);
          continue;
        }
        ++sw.planned;
        sw.accumulating += grp->accumulates;
        sw.banded += st->bands > 1;
        std::string broke;
        CheckStrips(g, *grp, *st, [&](const std::string& kind, const std::string& where) {
          if (broke.empty()) broke = kind;
          sw.strips.Add(kind, where + "\n" + what);
        });
        Findings& out = broke.empty() ? sw.clean : sw.broken;
        const std::string tag = broke.empty() ? "" : " [strips: " + broke + "]";

        auto plan = PlaceholderPlan(g, *grp, first, end, res);
        if (!plan.ok()) {
          ADD_FAILURE() << "placeholder plan: " << plan.status().message();
          continue;
        }
        const size_t buffers_before = plan->buffers.size();
        const partition::ParamsQuery params =
            r.Coin() ? partition::ParamsQuery(
                           [](const ir::Graph& pg, const ir::Node& n) { return emit::EncodeParams(pg, n); })
                     : partition::ParamsQuery();
        auto n_new = partition::ExpandGroup(*plan, first, g, *grp, *st, params);
        if (!n_new.ok()) {
          out.Add("ExpandGroup fails" + tag, n_new.status().message() + "\n" + what);
          continue;
        }
        planner::ComputeLifetimes(*plan);
        if (Status s = planner::VerifyExecPlan(*plan); !s.ok()) {
          out.Add("VerifyExecPlan rejects the plan" + tag, s.message() + "\n" + what);
          continue;
        }
        // The line buffers are exactly the fast bytes the search assumed for the group.
        uint64_t line = 0, whole_fast = 0;
        for (size_t bi = buffers_before; bi < plan->buffers.size(); ++bi)
          if (plan->buffers[bi].kind == planner::BufferKind::kActivation)
            line += (plan->buffers[bi].size + 15) / 16 * 16;  // the search counts them 16-byte aligned
        for (size_t k = 0; k < res.size(); ++k)
          if (res[k] == partition::Residency::kFast)
            whole_fast += static_cast<uint64_t>(g.tensor(st->tensors[k]).SizeBytes());
        const uint64_t modeled = partition::GroupFastBytes(*grp, *st, res, g);
        if (line + whole_fast != modeled)
          out.Add("line buffers differ from GroupFastBytes" + tag,
                  std::to_string(line) + " + " + std::to_string(whole_fast) + " whole vs " +
                      std::to_string(modeled) + "\n" + what);
        auto got = EmitAndRun(*plan, inputs, &stage);
        if (!got.ok()) {
          out.Add(stage + " fails" + tag, got.status().message() + "\n" + what);
          continue;
        }
        bool same = got->size() == want->size();
        for (size_t k = 0; same && k < got->size(); ++k)
          same = (*got)[k].shape == (*want)[k].shape && (*got)[k].data == (*want)[k].data;
        if (!same) {
          out.Add("outputs differ from the untiled plan" + tag, what);
          continue;
        }
        if (broke.empty()) {
          ++sw.clean_ran;
          for (const planner::PlanStep& s : plan->steps) sw.looped += s.kind == planner::StepKind::kLoop;
          for (partition::Residency x : res) sw.slow_io += x == partition::Residency::kSlow;
        }
      }
    }
    std::printf(
        "%d chains, %d groups tried, %d refused by MakeTileGroup, %d planned (%d accumulating, %d banded); "
        "%d plans with sound strips ran bit-identical (%d loop steps, %d slow entries/exits)\n",
        sw.chains, sw.trials, sw.refused, sw.planned, sw.accumulating, sw.banded, sw.clean_ran, sw.looped,
        sw.slow_io);
    for (const auto& [why, n] : sw.refusals) std::printf("  refused %3d: %s\n", n, why.c_str());
    for (const Findings* f : {&sw.strips, &sw.clean, &sw.broken})
      for (const auto& [kind, n] : f->count)
        std::printf("  %s %4d x %s\n",
                    f == &sw.strips  ? "strips "
                    : f == &sw.clean ? "sound  "
                                     : "unsound",
                    n, kind.c_str());
    std::fflush(stdout);
    return sw;
  }();
  return sweep;
}

// Expects no finding of the given kinds; prints examples of those found.
void ExpectNone(const Findings& f, const std::vector<std::string>& kinds) {
  for (const std::string& kind : kinds) {
    auto it = f.count.find(kind);
    if (it == f.count.end()) continue;
    std::string ex;
    for (const std::string& e : f.examples.at(kind)) ex += e + "\n";
    ADD_FAILURE() << it->second << " x " << kind << ", e.g.\n" << ex;
  }
}
// Expects no finding of any kind whose name starts with one of `prefixes` (outcome findings carry
// a " [strips: ...]" suffix).
void ExpectNoneStartingWith(const Findings& f, const std::vector<std::string>& prefixes) {
  std::vector<std::string> kinds;
  for (const auto& [kind, n] : f.count)
    for (const std::string& p : prefixes)
      if (kind.rfind(p, 0) == 0) kinds.push_back(kind);
  ExpectNone(f, kinds);
}

TEST(Strips, EveryRowIsComputedOnceAndEveryOpInputIsInItsStripsWindow) {
  const Sweep& sw = RunSweep();
  ExpectNone(sw.strips,
             {"rows computed twice or skipped", "rows never computed", "op input outside the strip's window",
              "line buffer too small", "fresh rows not contiguous", "exit rows stored twice or skipped",
              "exit rows never stored", "exit shares do not partition the band axis",
              "exit share not computed on its band", "exit shares do not cover the band axis",
              "band wider than its line buffer"});
  EXPECT_GT(sw.planned, 2000);
}

// Plans of groups whose strips are sound: ExpandGroup, VerifyExecPlan, offsets, WritePlan (which
// loads the plan with the runtime's loader) and a run bit-identical to the untiled plan.
TEST(Strips, SoundStripsExpandIntoPlansThatRunBitIdentical) {
  const Sweep& sw = RunSweep();
  ExpectNoneStartingWith(sw.clean, {""});
  ::testing::Test::RecordProperty("plans_run", sw.clean_ran);
  EXPECT_GT(sw.clean_ran, 1500);
  EXPECT_GT(sw.looped, 600);
  EXPECT_GT(sw.slow_io, 1200);
}

// KNOWN COMPILER BUG (reported): PlanStrips keeps a tensor's rows in its line buffer only as
// far back as the consumers that run in the current strip need. A consumer that skips strips
// (a stride-2 op whose next output row is needed only every other strip, e.g. the conv of a
// down-then-up FPN branch) later reads rows an earlier strip's shift already dropped. The view
// then starts before its line buffer; its negative offset wraps around in VerifyExecPlan and the
// emitter's bounds checks, so the plan reads other buffers' bytes: wrong outputs, or a plan the
// loader rejects.
TEST(Strips, RowsALineBufferDropsAreNeverReadAgain_regression) {
  const Sweep& sw = RunSweep();
  ExpectNone(sw.strips, {"op input rows were dropped from the line buffer by an earlier strip"});
  ExpectNoneStartingWith(sw.broken,
                         {"outputs differ from the untiled plan [strips: op input rows were dropped"});
}

// KNOWN COMPILER BUG (reported): PlanStrips ignores AxisMap::granule. Strips (channels as the
// primary axis) and bands (channel bands) of a grouped convolution with more than one output
// channel per group are cut at arbitrary channels, LocalizeNode's group count then disagrees
// with the channel windows, and the runtime's loader rejects the plan.
TEST(Strips, ChannelStripsAndBandsKeepGroupsOfOutputChannelsWhole_regression) {
  const Sweep& sw = RunSweep();
  ExpectNone(sw.strips, {"a strip cuts through a group of output channels",
                         "a band cuts through a group of output channels"});
}

// KNOWN COMPILER BUG (reported): a strip (or band) whose outputs all lie in the padding reads no
// input row or column: a constant Pad whose begin pad is taller than the strip, a Conv whose pad
// reaches its kernel extent. docs/kernels.md says the compiler must merge such a strip with a
// neighbour; PlanStrips does not, ExpandGroup makes a view with a zero dim and VerifyExecPlan
// rejects the plan (compile fails at that budget with an error, not kBudgetExceeded).
TEST(Strips, EveryStripAndBandReadsSomeInput_regression) {
  const Sweep& sw = RunSweep();
  ExpectNone(sw.strips, {"a strip reads no input row (not expressible as a kernel call)",
                         "op input columns outside the band"});
}

// KNOWN COMPILER BUG (reported): PlanStrips fails with kInternal "'<tensor>' is not computed
// completely" when no consumer inside the group reads an inner tensor's last rows (a 2x2/2
// MaxPool or stride-2 conv over an odd number of rows), so such groups are never tiled.
TEST(Strips, PlanStripsAcceptsEveryGroupMakeTileGroupAccepts_regression) {
  const Sweep& sw = RunSweep();
  ExpectNone(sw.strips, {"PlanStrips fails on a group MakeTileGroup accepted"});
}

// KNOWN COMPILER BUG (reported): VerifyExecPlan checks that a view lies inside its buffer with
// `offset + bytes > size` on uint64: a view that starts before its buffer (a negative offset
// stored as a huge unsigned one) wraps around and passes. Found through the line-buffer bug
// above, whose plans passed VerifyExecPlan.
TEST(Strips, VerifyExecPlanRejectsAViewThatStartsBeforeItsBuffer_regression) {
  GraphBuilder b(3);
  const ir::TensorId x = b.Input("x", {1, 2, 4, 4});
  const ir::TensorId y = b.Act("y", {1, 2, 4, 4});
  b.Node(ir::OpKind::kRelu, "relu", {x}, {y});
  b.g.outputs = {y};
  auto plan = planner::BuildExecPlan(b.g, {}, {}, {});
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  ASSERT_TRUE(planner::VerifyExecPlan(*plan).ok());
  // A window of y's rows 1..2 whose offset says it starts one row before the buffer.
  ir::Tensor w = b.g.tensor(y);
  w.name = "y@window";
  w.shape = {1, 2, 2, 4};
  const ir::TensorId wt = plan->graph.AddTensor(w);
  planner::TensorPlace pl = plan->place[static_cast<size_t>(y)];
  pl.offset = static_cast<uint64_t>(int64_t{-16});
  pl.strides = {32, 16, 4, 1};
  plan->place.push_back(pl);
  plan->graph.nodes[0].outputs = {wt};
  const Status s = planner::VerifyExecPlan(*plan);
  EXPECT_FALSE(s.ok()) << "a view at offset -16 of its buffer passes VerifyExecPlan";
}

}  // namespace
}  // namespace tigris::tile_test
