// LocalizeNode against the whole op. For random single-op graphs (tile_op_cases.h) and output
// windows along one tiled axis (every window) or two at once (random), the op restated by
// LocalizeNode is encoded by the emitter (emit::EncodeParams), accepted by the reference
// kernel's check(), and run on views into the whole input buffers that cover InputWindow (or
// the whole input); its output view is a window of a whole-size buffer of canary bytes. The
// window must equal the whole op's output bit for bit and nothing else may change. Reductions
// that accumulate (global pools, ReduceMean) are run as BEGIN ... END strip sequences.
#include <gtest/gtest.h>

#include <cinttypes>
#include <cstdio>

#include "tigris/partition/receptive_field.h"
#include "tile_op_cases.h"

namespace tigris::tile_test {
namespace {

using partition::AxisWindow;
using partition::Interval;
using partition::kWholeInput;

struct Stats {
  int cases = 0, windows = 0, exact = 0, no_input = 0, failures = 0;
  int dropped = 0;  // Concat parts a window along the concat axis does not read
  std::vector<std::string> examples;
};

std::string WindowsText(const std::vector<AxisWindow>& ws) {
  std::string s;
  for (const AxisWindow& w : ws) {
    s += "axis " + std::to_string(w.axis) + " out [" + std::to_string(w.out.lo) + ", " +
         std::to_string(w.out.hi) + ") in";
    for (const Interval& i : w.in) s += " [" + std::to_string(i.lo) + ", " + std::to_string(i.hi) + ")";
    s += "; ";
  }
  return s;
}

// Runs the windows `outs` (output axis -> window) of case `c` and checks them. Returns false
// (after recording why) on a failure.
bool RunWindow(const OpCase& c, const Values& vals, const std::vector<std::vector<float>>& base,
               const std::vector<std::pair<int32_t, Interval>>& outs, Rng& rng, Stats& st) {
  const ir::Graph& g = c.b.g;
  const ir::Node& n = c.node();
  const std::vector<ir::TensorId> ins = planner::RuntimeInputs(n);
  std::vector<AxisWindow> windows;
  // Per runtime input: the window along each of its axes (whole by default).
  std::vector<std::vector<Interval>> in_win(ins.size());
  for (size_t k = 0; k < ins.size(); ++k)
    for (int64_t d : g.tensor(ins[k]).shape) in_win[k].push_back({0, d});
  std::vector<bool> reads_nothing(ins.size(), false);
  for (const auto& [axis, out] : outs) {
    const auto map = partition::TileAxisMap(g, n, axis);
    if (!map) return true;  // receptive_field_test reports refusals
    AxisWindow w;
    w.axis = axis;
    w.out = out;
    for (size_t k = 0; k < ins.size(); ++k) {
      const int32_t ia = map->input_axis[k];
      if (ia == kWholeInput) {
        w.in.push_back({0, 0});
        continue;
      }
      const Interval iw = partition::InputWindow(g, n, k, axis, out);
      if (iw.empty()) reads_nothing[k] = true;
      w.in.push_back(iw);
      in_win[k][static_cast<size_t>(ia)] = iw;
    }
    windows.push_back(std::move(w));
  }
  // An input the window reads nothing of: a part of a Concat along its axis the tile drops (no
  // view of it is passed), or else every tap of the window is padding (the tiler must not cut there).
  std::vector<bool> passed(ins.size(), true);
  for (size_t k = 0; k < ins.size(); ++k) {
    if (!reads_nothing[k]) continue;
    if (partition::TileReadsInput(g, n, windows, k)) {
      ++st.no_input;
      return true;
    }
    passed[k] = false;
    ++st.dropped;
  }
  ++st.windows;
  auto fail = [&](const std::string& why) {
    ++st.failures;
    if (st.examples.size() < 4)
      st.examples.push_back(why + "\n  windows: " + WindowsText(windows) + "\n" + c.Dump());
    return false;
  };
  auto local = partition::LocalizeNode(g, n, windows);
  if (!local.ok()) return fail("LocalizeNode fails: " + local.status().message());

  // Input views into the whole buffers; the output view into a whole-size canary buffer.
  std::vector<tgrs_tensor_t> in_views;
  std::vector<Shape> in_shapes;
  for (size_t k = 0; k < ins.size(); ++k) {
    if (!passed[k]) continue;
    tgrs_tensor_t v = DenseView(vals.at(ins[k]).data(), g.tensor(ins[k]).shape, g.tensor(ins[k]).dtype);
    Shape s;
    for (size_t d = 0; d < in_win[k].size(); ++d) {
      v = SubView(v, static_cast<int32_t>(d), in_win[k][d].lo, in_win[k][d].size());
      s.push_back(in_win[k][d].size());
    }
    in_views.push_back(v);
    in_shapes.push_back(s);
  }
  const Shape& ys = g.tensor(n.outputs[0]).shape;
  std::vector<uint32_t> canary(static_cast<size_t>(Count(ys)));
  for (uint32_t& w : canary) w = static_cast<uint32_t>(rng.gen()) | 0x7F800001u;  // NaN patterns
  std::vector<float> out(canary.size());
  std::memcpy(out.data(), canary.data(), out.size() * 4);
  tgrs_tensor_t ov = DenseView(out.data(), ys);
  Shape os = ys;
  for (const auto& [axis, w] : outs) {
    ov = SubView(ov, axis, w.lo, w.size());
    os[static_cast<size_t>(axis)] = w.size();
  }
  ir::Graph tmp;
  const ir::Node ln = WithShapes(g, *local, in_shapes, {os}, &tmp);
  std::string why;
  const tgrs_status_t status = RunKernel(tmp, ln, in_views, {ov}, &why);
  if (status != TGRS_OK)
    return fail("the localized call is rejected (status " + std::to_string(status) + ") " + why +
                "\n  localized: " + tmp.Dump());
  for (size_t e = 0; e < out.size(); ++e) {
    bool inside = true;
    for (const auto& [axis, w] : outs) {
      const int64_t i = IndexAlong(ys, static_cast<int64_t>(e), static_cast<size_t>(axis));
      inside = inside && i >= w.lo && i < w.hi;
    }
    const float want = inside ? base[0][e] : [&] {
      float f;
      std::memcpy(&f, &canary[e], 4);
      return f;
    }();
    if (!BitEqual(out[e], want)) {
      char buf[160];
      std::snprintf(buf, sizeof buf, "element %zu (%s the window): %.9g, the whole op gives %.9g", e,
                    inside ? "inside" : "outside", static_cast<double>(out[e]), static_cast<double>(want));
      return fail(std::string(buf) + "\n  localized: " + tmp.Dump());
    }
  }
  ++st.exact;
  return true;
}

TEST(Localize, TilesOfEveryOpAreBitIdenticalToTheWholeOp) {
  std::map<std::string, Stats> stats;
  uint32_t family_seed = 0;
  for (const auto& [make, count] : CaseFamilies()) {
    ++family_seed;
    for (int i = 0; i < count; ++i) {
      const OpCase c =
          make(family_seed * 100000u + static_cast<uint32_t>(i));  // same cases as receptive_field_test
      const ir::Graph& g = c.b.g;
      const ir::Node& n = c.node();
      Stats& st = stats[c.family];
      ++st.cases;
      Rng rng(family_seed * 104729u + static_cast<uint32_t>(i));
      const Values vals = RandomValues(g, n, rng);
      const std::vector<std::vector<float>> base = RunWhole(g, n, vals);
      if (::testing::Test::HasFailure()) return;
      const Shape& ys = g.tensor(n.outputs[0]).shape;
      // Every window along each axis (aligned to the granule).
      for (int32_t axis : c.axes) {
        const auto map = partition::TileAxisMap(g, n, axis);
        if (!map) continue;
        const int64_t len = ys[static_cast<size_t>(axis)];
        for (int64_t lo = 0; lo < len; lo += map->granule)
          for (int64_t hi = lo + 1; hi <= len; ++hi)
            if (hi % map->granule == 0 || hi == len) RunWindow(c, vals, base, {{axis, {lo, hi}}}, rng, st);
      }
      // Random windows along two axes at once (rows x columns, rows x channels, ...).
      for (int t = 0; t < 6 && c.axes.size() >= 2; ++t) {
        const int32_t a = rng.Pick(c.axes);
        int32_t b = rng.Pick(c.axes);
        if (a == b) continue;
        std::vector<std::pair<int32_t, Interval>> outs;
        for (int32_t axis : {a, b}) {
          const auto map = partition::TileAxisMap(g, n, axis);
          if (!map) break;
          const int64_t len = ys[static_cast<size_t>(axis)];
          const int64_t units = (len + map->granule - 1) / map->granule;
          const int64_t u0 = rng.Int(0, units - 1), u1 = rng.Int(u0 + 1, units);
          outs.push_back({axis, {u0 * map->granule, std::min(len, u1 * map->granule)}});
        }
        if (outs.size() == 2) RunWindow(c, vals, base, outs, rng, st);
      }
    }
  }
  int windows = 0, cases = 0;
  for (const auto& [family, st] : stats) {
    std::printf(
        "%-16s %4d cases %6d windows: %6d bit-exact, %d failures (%d windows read only padding, skipped; "
        "%d unread Concat parts dropped)\n",
        family.c_str(), st.cases, st.windows, st.exact, st.failures, st.no_input, st.dropped);
    windows += st.windows;
    cases += st.cases;
    std::string ex;
    for (const std::string& e : st.examples) ex += e + "\n";
    EXPECT_EQ(st.failures, 0) << family << ": " << st.failures << " localized windows fail, e.g.\n" << ex;
  }
  std::printf("%d configurations, %d windows\n", cases, windows);
  ::testing::Test::RecordProperty("cases", cases);
  ::testing::Test::RecordProperty("windows", windows);
  EXPECT_GT(windows, 150000);
}

// ---- accumulating reductions ----------------------------------------------------------------

TEST(Localize, AccumulatingReductionsOverStripsEqualTheWholeCall) {
  Rng rng(77);
  int sequences = 0, calls = 0;
  for (int iter = 0; iter < 300; ++iter) {
    OpCase c(static_cast<uint32_t>(5000 + iter));
    GraphBuilder& b = c.b;
    const int which = static_cast<int>(rng.Int(0, 2));
    const size_t rank = static_cast<size_t>(which == 2 ? rng.Int(2, 4) : rng.Int(3, 4));
    Shape xs;
    for (size_t d = 0; d < rank; ++d) xs.push_back(rng.Int(1, 5));
    xs[rank == 2 ? 0 : 2] = rng.Int(2, 7);  // the strip axis
    const ir::TensorId x = b.Input("x", xs);
    Shape ys = xs;
    int32_t strip_axis = 2;
    if (which < 2) {
      for (size_t d = 2; d < rank; ++d) ys[d] = 1;
      b.Node(which == 0 ? ir::OpKind::kGlobalAveragePool : ir::OpKind::kGlobalMaxPool, "gpool", {x},
             {b.Act("y", ys)});
    } else {
      std::vector<int64_t> axes;
      for (size_t d = 0; d < rank; ++d)
        if (rng.Coin(40) || d == (rank == 2 ? 0u : 2u)) axes.push_back(static_cast<int64_t>(d));
      strip_axis = static_cast<int32_t>(axes.front());
      const bool keep = rng.Coin();
      Shape out;
      for (size_t d = 0; d < rank; ++d) {
        const bool reduced = std::find(axes.begin(), axes.end(), static_cast<int64_t>(d)) != axes.end();
        if (!reduced)
          out.push_back(xs[d]);
        else if (keep)
          out.push_back(1);
      }
      ys = out;
      b.Node(ir::OpKind::kReduceMean, "reduce", {x}, {b.Act("y", ys)},
             {{"axes", Is(axes)}, {"keepdims", I(keep)}});
    }
    const ir::Graph& g = b.g;
    const ir::Node& n = c.node();
    int64_t count = 0;
    ASSERT_TRUE(partition::AccumulatesAlong(g, n, strip_axis, &count)) << g.Dump();
    const Values vals = RandomValues(g, n, rng);
    const std::vector<float> whole = RunWhole(g, n, vals)[0];
    // A random cut of the strip axis into consecutive strips.
    const int64_t len = xs[static_cast<size_t>(strip_axis)];
    std::vector<int64_t> cuts{0};
    for (int64_t r = 1; r < len; ++r)
      if (rng.Coin(40)) cuts.push_back(r);
    cuts.push_back(len);
    std::vector<float> y(whole.size());
    for (float& v : y) v = rng.Value() * 1000;  // garbage: BEGIN must not read it
    for (size_t s = 0; s + 1 < cuts.size(); ++s) {
      partition::Accumulation acc;
      acc.active = true;
      acc.flags = (s == 0 ? TGRS_ACC_BEGIN : 0) | (s + 2 == cuts.size() ? TGRS_ACC_END : 0);
      acc.count = count;
      auto local = partition::LocalizeNode(g, n, {}, acc);
      ASSERT_TRUE(local.ok()) << local.status().message();
      Shape in_shape = xs;
      in_shape[static_cast<size_t>(strip_axis)] = cuts[s + 1] - cuts[s];
      ir::Graph tmp;
      const ir::Node ln = WithShapes(g, *local, {in_shape}, {ys}, &tmp);
      const tgrs_tensor_t xv =
          SubView(DenseView(vals.at(x).data(), xs), strip_axis, cuts[s], cuts[s + 1] - cuts[s]);
      std::string why;
      ASSERT_EQ(RunKernel(tmp, ln, {xv}, {DenseView(y.data(), ys)}, &why), TGRS_OK) << why << "\n"
                                                                                    << tmp.Dump();
      ++calls;
    }
    for (size_t e = 0; e < y.size(); ++e)
      ASSERT_TRUE(BitEqual(y[e], whole[e])) << "element " << e << " after " << cuts.size() - 1 << " strips\n"
                                            << g.Dump();
    ++sequences;
  }
  std::printf("%d strip sequences, %d calls\n", sequences, calls);
  ::testing::Test::RecordProperty("sequences", sequences);
}

}  // namespace
}  // namespace tigris::tile_test
