// ChooseGroups: which ops run whole and which run as tiled groups, for one fast budget.
//
// 1. A dynamic program over cut points of the op order. A unit is one op run whole (allowed
//    when it fits alone) or a run of ops tiled as one group (allowed when MakeTileGroup accepts
//    it and its line buffers fit at one row per strip). Its modeled cost is its kernel calls and
//    line-buffer moves at the tallest strip that fits, plus, for every tensor it hands to a later
//    unit, the slow-memory round trip that tensor will need if it is too large to stay in fast
//    memory (more than half the budget): stored once and loaded once (once for graph outputs).
//    Tensors inside a group never exist whole, so fusing removes exactly those round trips.
// 2. The DP's cuts are then refined against the real partition (PartitionWork, the walk that
//    decides residency and strip heights): each cut is moved or removed when that lowers the
//    modeled cycles of the whole plan.
#include <algorithm>
#include <limits>
#include <map>
#include <optional>

#include "tigris/ir/op_traits.h"
#include "tigris/partition/fit_budget.h"
#include "tigris/planner/schedule.h"
#include "tigris/support/bytes.h"
#include "tigris/support/log.h"

namespace tigris::partition {

namespace {

constexpr double kInfeasible = 1e300;
constexpr size_t kMaxGroupOps = 32;

// The ways to tile a group whose last node writes `t`, in the order they are tried: rows
// (axis 2 of NCHW / NCW) without bands, rows in column bands, rows in channel bands, then
// channels as the strips (rank 2: rows, then columns).
struct Variant {
  int32_t axis;
  int32_t band_axis;
};
std::vector<Variant> VariantsFor(const ir::Tensor& t) {
  const auto r = static_cast<int32_t>(t.shape.size());
  switch (r) {
    case 4: return {{2, -1}, {2, 3}, {2, 1}, {1, -1}};
    case 3: return {{2, -1}, {2, 1}, {1, -1}};
    case 2: return {{0, -1}, {1, -1}, {0, 1}};
    case 0:
    case 1: return {};
    default: {
      // Higher ranks (a detection head's [N, anchors, H, W, features]): each axis as rows, first
      // without bands, then with the last axis as bands, then with any other axis as bands (an
      // op that splits or joins along the last axis, like the head's Split and Concat, can only
      // be banded along H or W).
      std::vector<Variant> v;
      for (int32_t a = 1; a < r; ++a) v.push_back({a, -1});
      for (int32_t a = 1; a + 1 < r; ++a) v.push_back({a, r - 1});
      for (int32_t a = 1; a < r; ++a)
        for (int32_t b = 1; b + 1 < r; ++b)
          if (b != a) v.push_back({a, b});
      return v;
    }
  }
}
// The variants to try for a group ending in `last`: by its output's rank; when `last` reduces,
// also the row axes of its input (a ReduceMean with keepdims=0 eats the axis the strips run
// along, so that axis exists only on the input side; the band axis stays an output axis).
std::vector<Variant> GroupVariants(const ir::Graph& g, const ir::Node& last) {
  const ir::Tensor& out = g.tensor(last.outputs[0]);
  std::vector<Variant> v = VariantsFor(out);
  const auto ins = planner::RuntimeInputs(g, last);
  if (ir::Traits(last.kind).tile != ir::TileClass::kReduction || ins.empty()) return v;
  for (const Variant& w : VariantsFor(g.tensor(ins[0]))) {
    if (w.band_axis >= static_cast<int32_t>(out.shape.size())) continue;
    if (std::find_if(v.begin(), v.end(), [&](const Variant& x) {
          return x.axis == w.axis && x.band_axis == w.band_axis;
        }) == v.end())
      v.push_back(w);
  }
  return v;
}

constexpr int64_t kBandCounts[] = {2, 3, 4, 6, 8, 12, 16, 24, 32};

struct Unit {
  size_t first = 0, end = 0;
  bool tiled = false;
  TileGroup group;
  int64_t bands = 1;
  double cost = 0;  // tiled: the group's modeled cost at the tallest strip that fits
};

}  // namespace

Expected<std::vector<GroupChoice>> ChooseGroups(const FitProblem& s, uint64_t budget) {
  const ir::Graph& g = *s.graph;
  const size_t n = s.order.size();
  std::vector<GroupChoice> none;
  if (!s.tiling || n == 0) return none;
  const planner::BufferModel m = planner::BuildBufferModel(g);
  const auto uses = planner::NodeBufferUses(m, g.nodes.size());
  TemporalOptions base;
  base.fast_budget = budget;
  base.has_slow_pool = s.pools.size() > 1;
  base.scratch = s.scratch;
  base.keep_constant_data = false;
  const TargetProfile& target = s.target;
  const auto consumers = g.Consumers();

  std::vector<size_t> pos(g.nodes.size());
  for (size_t i = 0; i < n; ++i) pos[static_cast<size_t>(s.order[i])] = i;
  std::vector<bool> fits(n);
  bool all_fit = true;
  for (size_t i = 0; i < n; ++i) {
    const ir::NodeId v = s.order[i];
    const uint64_t scratch = static_cast<size_t>(v) < s.scratch.size() ? s.scratch[static_cast<size_t>(v)] : 0;
    const ir::Node& node = g.nodes[static_cast<size_t>(v)];
    // A view of an activation costs no memory of its own (in slow memory it stays there).
    const bool view = node.kind == ir::OpKind::kReshape && uses[static_cast<size_t>(v)].creates.empty();
    fits[i] = view || planner::NodeFastNeed(m, uses[static_cast<size_t>(v)], scratch) <= budget;
    all_fit = all_fit && fits[i];
  }
  if (all_fit) {
    auto w = PartitionWork(g, s.order, base);
    if (w.ok() && w->slow_bytes == 0) return none;  // fits as it is
  }

  // Round trips of tensors handed from one unit to a later one.
  const uint64_t keep = budget / 2;
  struct Handoff {
    size_t producer;  // position
    size_t last_use;  // position of the last reader (n for graph outputs)
    double cost;
  };
  std::vector<Handoff> handoffs;
  for (size_t b = 0; b < m.size.size(); ++b) {
    if (m.producer[b] < 0 || m.size[b] <= keep) continue;
    size_t last = 0;
    for (ir::NodeId r : m.readers[b]) last = std::max(last, pos[static_cast<size_t>(r)]);
    if (m.is_graph_output[b]) last = n;
    const double trips = m.is_graph_output[b] && m.readers[b].empty() ? 1.0 : 2.0;
    handoffs.push_back({pos[static_cast<size_t>(m.producer[b])], last, trips * static_cast<double>(m.size[b]) * target.slow_byte});
  }
  auto handoff_cost = [&](size_t first, size_t end) {
    double c = 0;
    for (const Handoff& h : handoffs)
      if (h.producer >= first && h.producer < end && h.last_use >= end) c += h.cost;
    return c;
  };

  // A group's own modeled cost at the tallest strip that fits (entries and exits small enough
  // to stay whole are assumed fast), or kInfeasible.
  auto group_cost = [&](const TileGroup& grp, int64_t bands) -> double {
    std::vector<Residency> res;
    for (const auto* list : {&grp.entries, &grp.exits})
      for (ir::TensorId t : *list)
        res.push_back(static_cast<uint64_t>(g.tensor(t).SizeBytes()) <= keep ? Residency::kFast : Residency::kSlow);
    auto fast_at = [&](int64_t rows, GroupStrips* out) -> uint64_t {
      auto st = PlanStrips(g, grp, rows, bands);
      if (!st.ok()) return std::numeric_limits<uint64_t>::max();
      const uint64_t b = GroupFastBytes(grp, *st, res, g);
      if (out) *out = std::move(*st);
      return b;
    };
    GroupStrips best;
    if (!PlanStrips(g, grp, 1, bands).ok()) return kInfeasible;
    // Entries/exits that do not fit whole next to the line buffers stream instead, largest first
    // (only with a slow pool to stream from).
    while (fast_at(1, &best) > budget) {
      if (!base.has_slow_pool) return kInfeasible;
      size_t largest = res.size();
      for (size_t k = 0; k < res.size(); ++k)
        if (res[k] == Residency::kFast &&
            (largest == res.size() || g.tensor(best.tensors[k]).SizeBytes() > g.tensor(best.tensors[largest]).SizeBytes()))
          largest = k;
      if (largest == res.size()) return kInfeasible;
      res[largest] = Residency::kSlow;
    }
    const int64_t len = g.tensor(grp.progress).shape[static_cast<size_t>(grp.axis)];
    // Line buffers grow about linearly with the strip height: estimate the tallest strip from
    // one and two rows, then step down until it fits (the walk finds the exact height later).
    int64_t lo = 1;
    if (len > 1) {
      const uint64_t at1 = fast_at(1, nullptr), at2 = fast_at(2, nullptr);
      if (at2 <= budget) {
        const uint64_t per_row = at2 > at1 ? at2 - at1 : 0;
        int64_t guess = per_row == 0 ? len : 1 + static_cast<int64_t>((budget - at1) / per_row);
        guess = std::min(guess, len);
        while (guess > 2 && fast_at(guess, nullptr) > budget) guess = guess * 3 / 4;
        lo = std::max<int64_t>(2, guess);
      }
    }
    if (lo > 1) fast_at(lo, &best);
    const GroupOverhead o = GroupOverheadOf(grp, best, res);
    // Slow traffic beyond one pass over each slow entry/exit (bands reload column halos); the
    // single pass is the handoff cost the DP charges to the tensor's producer.
    uint64_t once = 0;
    for (size_t k = 0; k < res.size(); ++k)
      if (res[k] == Residency::kSlow) once += static_cast<uint64_t>(g.tensor(best.tensors[k]).SizeBytes());
    const uint64_t slow = GroupSlowBytes(grp, best, res, g);
    return static_cast<double>(o.calls) * target.call + static_cast<double>(o.shift_bytes) * target.fast_copy_byte +
           static_cast<double>(best.recomputed_macs) * target.mac +
           static_cast<double>(slow > once ? slow - once : 0) * target.slow_byte;
  };
  // The cheapest feasible way to tile [first, end) (a group and its band count), or nullopt.
  struct Tiled {
    TileGroup group;
    int64_t bands = 1;
    double cost = kInfeasible;
  };
  auto best_tiling = [&](size_t first, size_t end) -> std::optional<Tiled> {
    std::vector<ir::NodeId> nodes(s.order.begin() + static_cast<std::ptrdiff_t>(first),
                                  s.order.begin() + static_cast<std::ptrdiff_t>(end));
    const ir::Node& last = g.nodes[static_cast<size_t>(nodes.back())];
    if (last.outputs.empty()) return std::nullopt;
    std::optional<Tiled> best_t;
    for (const Variant& v : GroupVariants(g, last)) {
      auto grp = MakeTileGroup(g, nodes, v.axis, v.band_axis, &consumers);
      if (!grp.ok()) continue;
      SetGroupScratch(*grp, s.scratch);
      if (v.band_axis < 0) {
        const double c = group_cost(*grp, 1);
        if (c < kInfeasible && (!best_t || c < best_t->cost)) best_t = Tiled{*grp, 1, c};
      } else {
        for (int64_t b : kBandCounts) {
          const double c = group_cost(*grp, b);
          if (c >= kInfeasible) continue;
          if (!best_t || c < best_t->cost) best_t = Tiled{*grp, b, c};
          break;  // the fewest bands that fit: more bands only recompute more
        }
      }
      if (best_t) break;  // variants are in order of preference
    }
    return best_t;
  };

  // 1. The DP over cut points.
  std::vector<double> best(n + 1, kInfeasible);
  std::vector<size_t> from(n + 1, 0);
  std::vector<std::optional<Tiled>> via(n + 1);
  best[0] = 0;
  for (size_t j = 1; j <= n; ++j) {
    if (fits[j - 1] && best[j - 1] < kInfeasible) {
      const double c = best[j - 1] + target.call + handoff_cost(j - 1, j);
      if (c < best[j]) {
        best[j] = c;
        from[j] = j - 1;
        via[j].reset();
      }
    }
    int misses = 0;
    for (size_t i = j; i-- > 0 && j - i <= kMaxGroupOps;) {
      if (best[i] >= kInfeasible) continue;
      auto t = best_tiling(i, j);
      if (!t) {
        if (++misses >= 3) break;  // longer groups hold more line buffers
        continue;
      }
      misses = 0;
      const double c = best[i] + t->cost + handoff_cost(i, j);
      if (c < best[j]) {
        best[j] = c;
        from[j] = i;
        via[j] = std::move(*t);
      }
    }
  }
  if (log::Enabled(log::Level::kTrace))
    for (size_t j = 0; j <= n; ++j)
      TIGRIS_LOG_TRACE("tiling dp {}: best {:g} from {} {} (after {})", j, best[j], from[j], via[j] ? "tiled" : "whole",
                       j ? g.nodes[static_cast<size_t>(s.order[j - 1])].name : std::string("-"));
  std::vector<Unit> units;
  if (best[n] < kInfeasible) {
    for (size_t j = n; j > 0; j = from[j]) {
      Unit u;
      u.first = from[j];
      u.end = j;
      u.tiled = via[j].has_value();
      if (u.tiled) {
        u.group = via[j]->group;
        u.bands = via[j]->bands;
        u.cost = via[j]->cost;
      }
      units.push_back(std::move(u));
    }
    std::reverse(units.begin(), units.end());
  } else {
    // Nothing works: name the op right after the longest prefix of the order that can be
    // covered, and what it needs at best. (Not the first position no unit ends at: a unit
    // cannot end at an op with several outputs, a Split, although a group through it may work.)
    size_t j = n;
    while (j > 0 && best[j - 1] >= kInfeasible) --j;
    const ir::Node& n0 = g.nodes[static_cast<size_t>(s.order[j - 1])];
    const std::string label = "node '" + n0.name + "' (" + ir::OpName(n0.kind) + ")";
    // The least fast memory one strip of the op alone needs, entries and exits streamed.
    uint64_t least = std::numeric_limits<uint64_t>::max();
    std::string how;
    if (!n0.outputs.empty())
      for (const Variant& v : GroupVariants(g, n0)) {
        auto grp = MakeTileGroup(g, {s.order[j - 1]}, v.axis, v.band_axis);
        if (!grp.ok()) continue;
        SetGroupScratch(*grp, s.scratch);
        const std::vector<Residency> res(grp->entries.size() + grp->exits.size(),
                                         base.has_slow_pool ? Residency::kSlow : Residency::kFast);
        for (int64_t b : v.band_axis < 0 ? std::vector<int64_t>{1} : std::vector<int64_t>{32}) {
          auto st = PlanStrips(g, *grp, 1, b);
          if (!st.ok()) continue;
          const uint64_t need = GroupFastBytes(*grp, *st, res, g);
          if (need < least) {
            least = need;
            how = v.band_axis < 0 ? "one row per strip" : "one row per strip in " + std::to_string(st->bands) + " bands";
          }
        }
      }
    const std::string kib = KibBytes(budget);
    if (least == std::numeric_limits<uint64_t>::max())
      return BudgetExceeded(label + " does not fit in " + kib + " of fast memory and cannot be tiled");
    const std::string need = KibBytes(least);
    return BudgetExceeded(label + " does not fit in " + kib + " of fast memory even tiled: " + how + " needs " + need +
                          (base.has_slow_pool ? " with its inputs and outputs streamed from slow memory"
                                              : " with its inputs and outputs whole in fast memory; add a slow memory "
                                                "pool (e.g. -m " + std::to_string(budget / 1024) +
                                                    "K -m 8M) so they can stream"));
  }

  // 2. Refine the cuts against the real partition.
  auto options_of = [&](const std::vector<Unit>& us) {
    TemporalOptions o = base;
    for (const Unit& u : us)
      if (u.tiled) o.groups.push_back({u.group, u.first, 1, 0, u.bands});
    return o;
  };
  auto cost = [&](const std::vector<Unit>& us) {
    auto w = PartitionWork(g, s.order, options_of(us));
    return w.ok() ? w->Cycles(target) : kInfeasible;
  };
  // A unit covering [first, end): whole when it is one op that fits, else a group (or none).
  auto unit_of = [&](size_t first, size_t end, Unit* u) {
    u->first = first;
    u->end = end;
    u->tiled = false;
    if (end - first == 1 && fits[first]) return true;
    auto t = best_tiling(first, end);
    if (!t) return false;
    u->tiled = true;
    u->group = std::move(t->group);
    u->bands = t->bands;
    u->cost = t->cost;
    return true;
  };
  double current = cost(units);
  const double dp_cycles = current;
  int refinements = 0;
  for (size_t c = 0; c + 1 < units.size();) {
    // Alternatives for the cut between units c and c+1: remove it, or move it by one op.
    std::vector<std::vector<Unit>> tries;
    {
      Unit merged;
      if (unit_of(units[c].first, units[c + 1].end, &merged)) {
        std::vector<Unit> t = units;
        t[c] = merged;
        t.erase(t.begin() + static_cast<std::ptrdiff_t>(c) + 1);
        tries.push_back(std::move(t));
      }
    }
    for (int dir : {-1, 1}) {
      const size_t cut = units[c].end;
      if ((dir < 0 && cut - units[c].first < 2) || (dir > 0 && units[c + 1].end - cut < 2)) continue;
      const size_t moved = dir < 0 ? cut - 1 : cut + 1;
      Unit a, b;
      if (!unit_of(units[c].first, moved, &a) || !unit_of(moved, units[c + 1].end, &b)) continue;
      std::vector<Unit> t = units;
      t[c] = a;
      t[c + 1] = b;
      tries.push_back(std::move(t));
    }
    bool improved = false;
    for (auto& t : tries) {
      const double ct = cost(t);
      if (ct < current) {
        TIGRIS_LOG_DEBUG("tiling: moving the cut after unit {} lowers the modeled cycles {:.4g} -> {:.4g}", c, current, ct);
        current = ct;
        units = std::move(t);
        improved = true;
        ++refinements;
        break;
      }
    }
    if (!improved) ++c;
  }

  if (log::Enabled(log::Level::kInfo)) {
    size_t n_tiled = 0;
    for (const Unit& u : units) n_tiled += u.tiled;
    TIGRIS_LOG_INFO("tiling: fast budget {}: {} tile groups among {} units; modeled cost {:.4g} cycles ({:.4g} from the "
                    "cut-point DP, {} cuts moved)",
                    HumanBytes(budget), n_tiled, units.size(), current, dp_cycles, refinements);
    for (const Unit& u : units) {
      if (!u.tiled) continue;
      const ir::Node& a = g.nodes[static_cast<size_t>(s.order[u.first])];
      const ir::Node& b = g.nodes[static_cast<size_t>(s.order[u.end - 1])];
      std::string why;
      for (size_t k = u.first; k < u.end; ++k)
        if (!fits[k]) {
          why = fmt::format("'{}' does not fit alone", g.nodes[static_cast<size_t>(s.order[k])].name);
          break;
        }
      if (why.empty()) why = "fusing saves the slow round trips of its intermediates";
      TIGRIS_LOG_INFO("tiling: {} '{}'{} ({} op{}) along axis {}{}: group cost {:.4g} cycles, handoffs {:.4g}; {}",
                      u.end - u.first == 1 ? "tile" : "chain", a.name, u.end - u.first == 1 ? "" : " .. '" + b.name + "'",
                      u.end - u.first, u.end - u.first == 1 ? "" : "s", u.group.axis,
                      u.bands > 1 ? fmt::format(" in {} bands along axis {}", u.bands, u.group.band_axis) : "", u.cost,
                      handoff_cost(u.first, u.end), why);
    }
  }
  std::vector<GroupChoice> out;
  for (Unit& u : units)
    if (u.tiled) out.push_back({std::move(u.group), u.first, 1, 0, u.bands});
  return out;
}

}  // namespace tigris::partition
