// Temporal partitioning by furthest-next-use eviction (Belady's rule, here with sizes), with
// tile groups as units. Walk the schedule; before each op make its inputs resident in fast
// memory and, while the op's inputs + outputs + scratch + everything else resident exceed the
// budget, evict the resident buffer whose next use is furthest away. An evicted buffer is
// copied to slow memory only the first time (activations never change, so a slow copy stays
// valid: no spill-then-reload of the same bytes twice); it is reloaded right before its next
// reader. A tile group streams: its entries are read strip by strip from wherever they are
// (so a slow entry is never reloaded whole) and its exits are written to fast or slow memory;
// the walk decides which entries/exits stay whole in fast memory and the strip height. Optimal
// for equal sizes, a heuristic for mixed sizes. Stage accounting comes from the final plan.
#include "tigris/partition/temporal.h"

#include <algorithm>
#include <limits>
#include <map>

#include "tigris/planner/schedule.h"
#include "tigris/support/bytes.h"
#include "tigris/support/log.h"

namespace tigris::partition {

namespace {

constexpr size_t kNever = std::numeric_limits<size_t>::max();

std::string Kib(uint64_t b) { return KibBytes(b); }

std::string NodeLabel(const ir::Node& n) { return "node '" + n.name + "' (" + ir::OpName(n.kind) + ")"; }

// A tile group placed in the walk: its strips and where its entries/exits live.
struct PlacedGroup {
  size_t choice = 0;  // index into TemporalOptions::groups
  size_t node = 0;    // placeholder node in the rewritten graph
  GroupStrips strips;
  std::vector<Residency> residency;
};

// The walk. With `work` set it only accounts (no graph is built, nothing is expanded) and
// returns an empty plan.
Expected<planner::ExecPlan> Walk(const ir::Graph& g, const std::vector<ir::NodeId>& order, const TemporalOptions& options,
                                 PlanWork* work) {
  const bool build = work == nullptr;
  // Only the plan that is built logs its decisions (PartitionWork runs inside searches).
  const bool logging = build && log::Enabled(log::Level::kInfo);
  std::string at_node;  // the op or group being placed, for the spill/reload log lines
  const planner::BufferModel m = planner::BuildBufferModel(g);
  const size_t n_nodes = g.nodes.size();
  if (order.size() != n_nodes) return Internal("partition: order does not list every node once");
  const std::vector<planner::NodeBufferUse> uses = planner::NodeBufferUses(m, n_nodes);
  auto scratch_of = [&](ir::NodeId v) -> uint64_t {
    return static_cast<size_t>(v) < options.scratch.size() ? options.scratch[static_cast<size_t>(v)] : 0;
  };

  std::vector<size_t> pos(n_nodes);
  for (size_t i = 0; i < order.size(); ++i) pos[static_cast<size_t>(order[i])] = i;
  // Groups by their first position; each must be a run of the order.
  std::vector<int64_t> group_at(n_nodes, -1);
  for (size_t c = 0; c < options.groups.size(); ++c) {
    const GroupChoice& gc = options.groups[c];
    for (size_t k = 0; k < gc.group.nodes.size(); ++k)
      if (gc.first + k >= n_nodes || order[gc.first + k] != gc.group.nodes[k])
        return Internal("partition: a tile group is not a run of the op order");
    group_at[gc.first] = static_cast<int64_t>(c);
  }

  const size_t n_buf = m.size.size();
  std::vector<std::vector<size_t>> reader_pos(n_buf);
  for (size_t b = 0; b < n_buf; ++b) {
    for (ir::NodeId r : m.readers[b]) reader_pos[b].push_back(pos[static_cast<size_t>(r)]);
    std::sort(reader_pos[b].begin(), reader_pos[b].end());
  }
  std::vector<size_t> cursor(n_buf, 0);
  auto next_use = [&](size_t b, size_t i) {
    auto& c = cursor[b];
    while (c < reader_pos[b].size() && reader_pos[b][c] < i) ++c;
    return c < reader_pos[b].size() ? reader_pos[b][c] : kNever;
  };
  std::vector<std::vector<ir::TensorId>> aliases(n_buf);
  for (size_t t = 0; t < g.tensors.size(); ++t)
    if (m.buffer_of[t] >= 0) aliases[static_cast<size_t>(m.buffer_of[t])].push_back(static_cast<ir::TensorId>(t));

  struct {
    std::vector<uint32_t> pool;      // per tensor of ng
    std::vector<uint64_t> scratch;   // per node of ng
    std::vector<ir::NodeId> origin;  // per node of ng
  } res;
  ir::Graph ng = options.keep_constant_data && build ? ir::Graph{} : g.WithoutConstantData();
  ng.nodes.clear();
  ng.outputs.clear();
  ng.name = g.name;
  if (options.keep_constant_data && build) ng.tensors = g.tensors;
  ng.inputs = g.inputs;
  res.pool.assign(ng.tensors.size(), kFastPool);

  std::vector<bool> in_fast(n_buf, false), used(n_buf, false);
  std::vector<ir::TensorId> fast_root(n_buf, ir::kNoTensor), slow_copy(n_buf, ir::kNoTensor);
  std::vector<ir::TensorId> cur(g.tensors.size(), ir::kNoTensor);  // tensor to read now, per original tensor
  uint64_t fast_bytes = 0;
  size_t name_counter = 0;

  auto add_tensor_like = [&](ir::TensorId like, const std::string& tag, uint32_t p) {
    ir::Tensor t = g.tensor(like);
    t.is_constant = false;
    t.data.clear();
    t.name = t.name + "@" + tag + std::to_string(name_counter++);
    res.pool.push_back(p);
    return ng.AddTensor(std::move(t));
  };
  auto add_node = [&](ir::OpKind kind, const std::string& name, ir::TensorId in, ir::TensorId out) {
    ir::Node node;
    node.kind = kind;
    node.name = name;
    node.inputs = {in};
    node.outputs = {out};
    res.scratch.push_back(0);
    res.origin.push_back(-1);
    ng.AddNode(std::move(node));
  };
  auto invalidate_aliases = [&](size_t b) {
    for (ir::TensorId t : aliases[b]) cur[static_cast<size_t>(t)] = ir::kNoTensor;
  };
  auto no_slow_pool = [&](const std::string& what, uint64_t need) {
    return BudgetExceeded(what + " needs " + Kib(need) + " of fast memory with the tensors still live, " +
                          "the budget is " + Kib(options.fast_budget) + "; add a slow memory pool (e.g. -m " +
                          std::to_string(options.fast_budget / 1024) + "K -m 8M) so tensors can spill");
  };
  // Moves buffer b out of fast memory (spilling it the first time). Returns false if a spill
  // was emitted.
  bool moved = false;
  auto evict = [&](size_t b) {
    const ir::TensorId root = m.root[b];
    if (slow_copy[b] == ir::kNoTensor) {
      if (m.producer[b] < 0 && !used[b] && fast_root[b] == root) {
        res.pool[static_cast<size_t>(root)] = kSlowPool;  // a graph input the application writes to slow memory
        slow_copy[b] = root;
      } else {
        const ir::TensorId s = add_tensor_like(root, "spill", kSlowPool);
        add_node(ir::OpKind::kCopy, "spill_" + std::to_string(name_counter++) + "_" + g.tensor(root).name, fast_root[b],
                 s);
        slow_copy[b] = s;
        moved = true;
        if (logging)
          TIGRIS_LOG_INFO("partition: spill '{}' ({}) to slow memory before {} (fast memory {} of {})",
                          g.tensor(root).name, HumanBytes(m.size[b]), at_node, HumanBytes(fast_bytes),
                          HumanBytes(options.fast_budget));
        if (work) {
          work->slow_bytes += m.size[b];
          ++work->calls;
        }
      }
    }
    in_fast[b] = false;
    fast_root[b] = ir::kNoTensor;
    invalidate_aliases(b);
    fast_bytes -= m.size[b];
  };
  // The resident buffer to evict next (furthest next use, then larger, then lower index),
  // skipping `keep`; kNever when none.
  auto victim_of = [&](size_t i, const std::vector<int32_t>& keep) {
    size_t victim = kNever, victim_use = 0;
    for (size_t b = 0; b < n_buf; ++b) {
      if (!in_fast[b] || std::find(keep.begin(), keep.end(), static_cast<int32_t>(b)) != keep.end()) continue;
      const size_t nu = next_use(b, i);
      if (victim == kNever || nu > victim_use || (nu == victim_use && m.size[b] > m.size[victim])) {
        victim = b;
        victim_use = nu;
      }
    }
    return victim;
  };
  // The tensor that holds `t`'s bytes in fast memory now (a view is re-created if needed).
  auto fast_tensor = [&](ir::TensorId t) {
    const auto b = static_cast<size_t>(m.buffer_of[static_cast<size_t>(t)]);
    if (cur[static_cast<size_t>(t)] == ir::kNoTensor) {  // a view of a reloaded buffer
      const ir::TensorId view = add_tensor_like(t, "view", kFastPool);
      add_node(ir::OpKind::kReshape, "view_" + std::to_string(name_counter++) + "_" + g.tensor(t).name, fast_root[b],
               view);
      cur[static_cast<size_t>(t)] = view;
    }
    return cur[static_cast<size_t>(t)];
  };
  // The tensor that holds `t`'s bytes in slow memory (b must have a slow copy).
  auto slow_tensor = [&](ir::TensorId t) {
    const auto b = static_cast<size_t>(m.buffer_of[static_cast<size_t>(t)]);
    if (t == m.root[b]) return slow_copy[b];
    const ir::TensorId view = add_tensor_like(t, "view", kSlowPool);
    add_node(ir::OpKind::kReshape, "view_" + std::to_string(name_counter++) + "_" + g.tensor(t).name, slow_copy[b], view);
    return view;
  };

  for (ir::TensorId t : g.inputs) {
    const int32_t b = m.buffer_of[static_cast<size_t>(t)];
    in_fast[static_cast<size_t>(b)] = true;
    fast_root[static_cast<size_t>(b)] = t;
    cur[static_cast<size_t>(t)] = t;
    fast_bytes += m.size[static_cast<size_t>(b)];
  }

  std::vector<size_t> stage_starts{0};
  std::vector<PlacedGroup> placed;
  for (size_t i = 0; i < order.size();) {
    const size_t first_emitted = ng.nodes.size();
    moved = false;

    if (group_at[i] >= 0) {
      // ---- A tile group: streams its entries and exits.
      const GroupChoice& gc = options.groups[static_cast<size_t>(group_at[i])];
      const TileGroup& grp = gc.group;
      const size_t end = i + grp.nodes.size();
      const std::string label = grp.nodes.size() == 1 ? NodeLabel(g.nodes[static_cast<size_t>(grp.nodes[0])])
                                                      : "the tile group " + NodeLabel(g.nodes[static_cast<size_t>(grp.nodes[0])]) +
                                                            " .. " + NodeLabel(g.nodes[static_cast<size_t>(grp.nodes.back())]);
      const size_t n_entries = grp.entries.size(), n_io = n_entries + grp.exits.size();
      if (logging) at_node = label;
      std::vector<int32_t> io_buf;
      for (ir::TensorId t : grp.entries) io_buf.push_back(m.buffer_of[static_cast<size_t>(t)]);
      for (ir::TensorId t : grp.exits) io_buf.push_back(m.buffer_of[static_cast<size_t>(t)]);
      std::vector<Residency> residency(n_io, Residency::kFast);
      for (size_t k = 0; k < n_entries; ++k)
        if (!in_fast[static_cast<size_t>(io_buf[k])]) residency[k] = Residency::kSlow;
      // Two entries may share a buffer (views): they must agree.
      auto same_buffer_residency = [&]() {
        for (size_t a = 0; a < n_entries; ++a)
          for (size_t b = 0; b < n_entries; ++b)
            if (io_buf[a] == io_buf[b] && residency[a] != residency[b]) residency[a] = residency[b] = Residency::kSlow;
      };
      std::map<int64_t, GroupStrips> strips_cache;
      auto strips = [&](int64_t rows) -> Expected<const GroupStrips*> {
        auto it = strips_cache.find(rows);
        if (it == strips_cache.end()) {
          TIGRIS_ASSIGN_OR_RETURN(GroupStrips s, PlanStrips(g, grp, rows, gc.bands));
          it = strips_cache.emplace(rows, std::move(s)).first;
        }
        return &it->second;
      };
      // Fast bytes of everything resident outside the group's entries, plus the group itself.
      auto need = [&](int64_t rows) -> Expected<uint64_t> {
        TIGRIS_ASSIGN_OR_RETURN(const GroupStrips* s, strips(rows));
        uint64_t other = fast_bytes;
        std::vector<int32_t> counted;
        for (size_t k = 0; k < n_entries; ++k) {
          const auto b = static_cast<size_t>(io_buf[k]);
          if (in_fast[b] && std::find(counted.begin(), counted.end(), io_buf[k]) == counted.end()) {
            other -= m.size[b];
            counted.push_back(io_buf[k]);
          }
        }
        return other + GroupFastBytes(grp, *s, residency, g);
      };
      const int64_t min_rows = std::max<int64_t>(1, gc.min_rows);
      same_buffer_residency();
      TIGRIS_ASSIGN_OR_RETURN(uint64_t at_min, need(min_rows));
      while (at_min > options.fast_budget) {
        // Cheapest way to free fast memory, per byte freed: evict a buffer the group does not
        // read (it comes back later: spill + reload), stream a fast entry from slow memory (spill
        // + strip loads), or write an exit to slow memory (stores + a later reload).
        TIGRIS_ASSIGN_OR_RETURN(const GroupStrips* s, strips(min_rows));
        double best_score = 0;
        int best = -1;  // -2: evict victim, k >= 0: io k to slow
        const size_t victim = victim_of(i, io_buf);
        if (victim != kNever) {
          const double cost = (slow_copy[victim] == ir::kNoTensor ? 1.0 : 0.0) + (next_use(victim, end) == kNever ? 0.0 : 1.0);
          best_score = (cost + 0.01) * static_cast<double>(m.size[victim]) / static_cast<double>(m.size[victim]);
          best = -2;
        }
        for (size_t k = 0; k < n_io; ++k) {
          if (residency[k] == Residency::kSlow) continue;
          const auto b = static_cast<size_t>(io_buf[k]);
          const ir::TensorId t = k < n_entries ? grp.entries[k] : grp.exits[k - n_entries];
          const uint64_t whole = static_cast<uint64_t>(g.tensor(t).SizeBytes());
          const uint64_t line =
              static_cast<uint64_t>(std::max<int64_t>(s->held[k], 1) * std::max<int64_t>(s->width[k], 1)) * s->cell_bytes[k];
          if (line >= whole) continue;
          const double cost = k < n_entries ? (slow_copy[b] == ir::kNoTensor ? 2.0 : 1.0) : 2.0;
          const double score = cost * static_cast<double>(whole) / static_cast<double>(whole - line);
          if (best == -1 || score < best_score) {
            best_score = score;
            best = static_cast<int>(k);
          }
        }
        if (best == -1)
          return BudgetExceeded(label + " needs " + Kib(at_min) + " of fast memory at " + std::to_string(min_rows) +
                                " row(s) per strip, the budget is " + Kib(options.fast_budget));
        if (!options.has_slow_pool) return no_slow_pool(label, at_min);
        if (best == -2) {
          evict(victim);
        } else {
          residency[static_cast<size_t>(best)] = Residency::kSlow;
          same_buffer_residency();
        }
        TIGRIS_ASSIGN_OR_RETURN(at_min, need(min_rows));
      }
      // Entries streamed from slow memory leave fast memory (spilled first if needed).
      for (size_t k = 0; k < n_entries; ++k) {
        const auto b = static_cast<size_t>(io_buf[k]);
        if (residency[k] == Residency::kSlow && in_fast[b]) evict(b);
      }
      // The tallest strip that fits.
      TIGRIS_ASSIGN_OR_RETURN(const GroupStrips* s0, strips(min_rows));
      const auto progress = std::find(s0->tensors.begin(), s0->tensors.end(), grp.progress) - s0->tensors.begin();
      int64_t lo = min_rows, hi = std::max<int64_t>(min_rows, s0->length[static_cast<size_t>(progress)]);
      if (gc.max_rows > 0) hi = std::max(min_rows, std::min(hi, gc.max_rows));
      while (lo < hi) {
        const int64_t mid = lo + (hi - lo + 1) / 2;
        TIGRIS_ASSIGN_OR_RETURN(uint64_t at, need(mid));
        if (at <= options.fast_budget) lo = mid;
        else hi = mid - 1;
      }
      TIGRIS_ASSIGN_OR_RETURN(const GroupStrips* chosen, strips(lo));
      if (logging) {
        const auto at_lo = need(lo);
        std::string streamed;
        for (size_t k = 0; k < n_io; ++k)
          if (residency[k] == Residency::kSlow)
            streamed += (streamed.empty() ? "" : ", ") + g.tensor(k < n_entries ? grp.entries[k] : grp.exits[k - n_entries]).name;
        TIGRIS_LOG_INFO("partition: {}: {} strips of {} rows (the tallest that fits: {} of {}), {} halo rows{}{}", label,
                        chosen->iterations, chosen->rows, HumanBytes(at_lo.ok() ? *at_lo : 0),
                        HumanBytes(options.fast_budget), chosen->halo_rows,
                        chosen->bands > 1 ? fmt::format(", {} bands", chosen->bands) : "",
                        streamed.empty() ? "" : ", streamed from/to slow memory: " + streamed);
      }
      if (work) {
        const GroupOverhead o = GroupOverheadOf(grp, *chosen, residency);
        work->macs += chosen->macs;
        work->slow_bytes += GroupSlowBytes(grp, *chosen, residency, g);
        work->fast_copy_bytes += o.shift_bytes;
        work->calls += o.calls;
      }

      // The placeholder step: reads the entries where they are, writes the exits.
      ir::Node ph;
      ph.kind = ir::OpKind::kCopy;
      ph.name = "tile_group_" + std::to_string(placed.size()) + "_" + g.nodes[static_cast<size_t>(grp.nodes[0])].name;
      for (size_t k = 0; k < n_entries; ++k) {
        const ir::TensorId t = grp.entries[k];
        used[static_cast<size_t>(io_buf[k])] = true;
        ph.inputs.push_back(residency[k] == Residency::kFast ? fast_tensor(t) : slow_tensor(t));
      }
      for (size_t k = 0; k < grp.exits.size(); ++k) {
        const ir::TensorId t = grp.exits[k];
        const auto b = static_cast<size_t>(io_buf[n_entries + k]);
        ph.outputs.push_back(t);
        cur[static_cast<size_t>(t)] = t;
        if (residency[n_entries + k] == Residency::kFast) {
          in_fast[b] = true;
          fast_root[b] = t;
          fast_bytes += m.size[b];
        } else {
          res.pool[static_cast<size_t>(t)] = kSlowPool;
          slow_copy[b] = t;
          invalidate_aliases(b);
        }
      }
      if (i > 0) stage_starts.push_back(first_emitted);
      PlacedGroup pg;
      pg.choice = static_cast<size_t>(group_at[i]);
      pg.node = ng.nodes.size();
      pg.strips = *chosen;
      pg.residency = residency;
      placed.push_back(std::move(pg));
      res.scratch.push_back(0);
      res.origin.push_back(-1);
      ng.AddNode(std::move(ph));
      stage_starts.push_back(ng.nodes.size());
      for (size_t k = 0; k < n_io; ++k) {
        const auto b = static_cast<size_t>(io_buf[k]);
        if (in_fast[b] && !m.is_graph_output[b] && next_use(b, end) == kNever) {
          in_fast[b] = false;
          fast_bytes -= m.size[b];
        }
      }
      i = end;
      continue;
    }

    // ---- One op, whole.
    const ir::NodeId v = order[i];
    const ir::Node& node = g.nodes[static_cast<size_t>(v)];
    const planner::NodeBufferUse& u = uses[static_cast<size_t>(v)];
    if (node.kind == ir::OpKind::kReshape && u.creates.empty() && u.reads.size() == 1 &&
        !in_fast[static_cast<size_t>(u.reads[0])] && slow_copy[static_cast<size_t>(u.reads[0])] != ir::kNoTensor) {
      // A view of a tensor in slow memory stays there: no reload (its readers fetch it).
      ir::Node copy = node;
      copy.inputs[0] = slow_tensor(node.inputs[0]);
      res.scratch.push_back(0);
      res.origin.push_back(v);
      res.pool[static_cast<size_t>(node.outputs[0])] = kSlowPool;
      ng.AddNode(std::move(copy));
      if (work) ++work->calls;
      ++i;
      continue;
    }
    const uint64_t alone = planner::NodeFastNeed(m, u, scratch_of(v));
    if (logging) at_node = NodeLabel(node);
    uint64_t reload = 0;
    for (int32_t b : u.reads)
      if (!in_fast[static_cast<size_t>(b)]) reload += m.size[static_cast<size_t>(b)];
    uint64_t out_bytes = 0;
    for (int32_t b : u.creates) out_bytes += m.size[static_cast<size_t>(b)];
    if (alone > options.fast_budget)
      return BudgetExceeded(NodeLabel(node) + " needs " + Kib(alone) + " of fast memory on its own (inputs + outputs" +
                            (scratch_of(v) ? " + scratch" : "") + "), the budget is " + Kib(options.fast_budget) +
                            "; this op needs spatial tiling");

    uint64_t need = fast_bytes + reload + out_bytes + scratch_of(v);
    while (need > options.fast_budget) {
      const size_t victim = victim_of(i, u.reads);
      if (victim == kNever) return Internal("partition: nothing left to evict at " + NodeLabel(node));
      if (!options.has_slow_pool) return no_slow_pool(NodeLabel(node), need);
      need -= m.size[victim];
      evict(victim);
    }

    for (int32_t bi : u.reads) {
      const auto b = static_cast<size_t>(bi);
      if (in_fast[b]) continue;
      const ir::TensorId root = m.root[b];
      const ir::TensorId f = add_tensor_like(root, "reload", kFastPool);
      add_node(ir::OpKind::kCopy, "reload_" + std::to_string(name_counter++) + "_" + g.tensor(root).name, slow_copy[b], f);
      moved = true;
      if (logging)
        TIGRIS_LOG_INFO("partition: reload '{}' ({}) from slow memory for {}", g.tensor(root).name,
                        HumanBytes(m.size[b]), at_node);
      if (work) {
        work->slow_bytes += m.size[b];
        ++work->calls;
      }
      in_fast[b] = true;
      fast_root[b] = f;
      cur[static_cast<size_t>(root)] = f;
      fast_bytes += m.size[b];
    }

    ir::Node copy = node;
    for (ir::TensorId& t : copy.inputs) {
      if (t < 0 || g.tensor(t).is_constant) continue;
      used[static_cast<size_t>(m.buffer_of[static_cast<size_t>(t)])] = true;
      t = fast_tensor(t);
    }
    if (moved && i > 0) stage_starts.push_back(first_emitted);
    res.scratch.push_back(scratch_of(v));
    res.origin.push_back(v);
    ng.AddNode(std::move(copy));
    if (work) {
      work->macs += planner::NodeMacs(g, node);
      ++work->calls;
    }
    for (ir::TensorId t : node.outputs) cur[static_cast<size_t>(t)] = t;
    for (int32_t bi : u.creates) {
      const auto b = static_cast<size_t>(bi);
      in_fast[b] = true;
      fast_root[b] = m.root[b];
      fast_bytes += m.size[b];
    }
    // Free what has no reader left (graph outputs stay until the end).
    auto release = [&](size_t b) {
      if (in_fast[b] && !m.is_graph_output[b] && next_use(b, i + 1) == kNever) {
        in_fast[b] = false;
        fast_bytes -= m.size[b];
      }
    };
    for (int32_t b : u.reads) release(static_cast<size_t>(b));
    for (int32_t b : u.creates) release(static_cast<size_t>(b));
    ++i;
  }

  // Graph outputs: read from wherever their bytes are at the end.
  for (ir::TensorId t : g.outputs) {
    const int32_t bi = t >= 0 ? m.buffer_of[static_cast<size_t>(t)] : -1;
    if (bi < 0) {
      ng.outputs.push_back(t);
      continue;
    }
    const auto b = static_cast<size_t>(bi);
    ir::TensorId where = in_fast[b] ? cur[static_cast<size_t>(t)] : (t == m.root[b] ? slow_copy[b] : ir::kNoTensor);
    if (where == ir::kNoTensor) {
      const bool fast = in_fast[b];
      where = add_tensor_like(t, "view", fast ? kFastPool : kSlowPool);
      add_node(ir::OpKind::kReshape, "view_" + std::to_string(name_counter++) + "_" + g.tensor(t).name,
               fast ? fast_root[b] : slow_copy[b], where);
      if (fast) cur[static_cast<size_t>(t)] = where;
    }
    ng.outputs.push_back(where);
  }
  // A renamed output keeps the model's output name, so users and tests see the ONNX names.
  for (size_t k = 0; k < g.outputs.size(); ++k) {
    const ir::TensorId now = ng.outputs[k], was = g.outputs[k];
    if (now != was && now >= 0 && was >= 0) std::swap(ng.tensor(now).name, ng.tensor(was).name);
  }

  if (!build) return planner::ExecPlan{};
  if (placed.empty() && options.keep_constant_data) TIGRIS_RETURN_IF_ERROR(ng.Verify());
  stage_starts.push_back(ng.nodes.size());
  std::sort(stage_starts.begin(), stage_starts.end());
  stage_starts.erase(std::unique(stage_starts.begin(), stage_starts.end()), stage_starts.end());
  TIGRIS_ASSIGN_OR_RETURN(planner::ExecPlan plan, planner::BuildExecPlan(std::move(ng), {}, res.pool, res.scratch));
  plan.origin = res.origin;

  // Expand the groups (in order, remembering where every original step went).
  const size_t n_old = plan.steps.size();
  std::vector<size_t> new_index(n_old + 1);
  std::vector<int64_t> group_of_step(n_old, -1);
  for (size_t p = 0; p < placed.size(); ++p) group_of_step[placed[p].node] = static_cast<int64_t>(p);
  size_t shift = 0;
  for (size_t s = 0; s < n_old; ++s) {
    new_index[s] = s + shift;
    if (group_of_step[s] < 0) continue;
    const PlacedGroup& pg = placed[static_cast<size_t>(group_of_step[s])];
    const GroupChoice& gc = options.groups[pg.choice];
    TIGRIS_ASSIGN_OR_RETURN(size_t n_new, ExpandGroup(plan, s + shift, g, gc.group, pg.strips, options.params));
    shift += n_new - 1;
  }
  new_index[n_old] = n_old + shift;
  planner::ComputeLifetimes(plan);

  for (size_t s = 0; s + 1 < stage_starts.size(); ++s) {
    if (stage_starts[s] >= stage_starts[s + 1]) continue;
    planner::PlanStage st;
    st.first = static_cast<uint32_t>(new_index[stage_starts[s]]);
    st.last = static_cast<uint32_t>(new_index[stage_starts[s + 1]] - 1);
    for (size_t old = stage_starts[s]; old < stage_starts[s + 1]; ++old) {
      if (group_of_step[old] < 0) continue;
      const PlacedGroup& pg = placed[static_cast<size_t>(group_of_step[old])];
      const TileGroup& grp = options.groups[pg.choice].group;
      st.kind = grp.nodes.size() == 1 ? planner::StageKind::kTiled : planner::StageKind::kChain;
      st.strips = static_cast<uint32_t>(pg.strips.iterations);
      st.strip_rows = static_cast<uint32_t>(pg.strips.rows);
      st.halo_rows = pg.strips.halo_rows;
      st.recomputed_macs = pg.strips.recomputed_macs;
      // NCHW: rows, columns, channels; NCW: positions, channels; [M, N]: rows, features.
      auto axis_name = [&](int32_t a, bool) -> std::string {
        const size_t rank = g.tensor(grp.progress).shape.size();
        if (rank == 2) return a == 0 ? "row" : "feature";
        if (a == 1) return "channel";
        if (rank == 3) return "position";
        return a == 2 ? "row" : a == 3 ? "column" : "axis-" + std::to_string(a);
      };
      st.tiling = axis_name(grp.axis, true) + "s";
      if (grp.band_axis >= 0 && pg.strips.bands > 1)
        st.tiling += " x " + std::to_string(pg.strips.bands) + " " + axis_name(grp.band_axis, false) + " bands";
      if (grp.accumulates) st.tiling += ", accumulated";
    }
    plan.stages.push_back(st);
  }
  planner::FillStageStats(plan);
  if (logging) {
    TIGRIS_LOG_INFO("partition: {} stage{} for a fast budget of {}", plan.stages.size(), plan.stages.size() == 1 ? "" : "s",
                    HumanBytes(options.fast_budget));
    for (size_t k = 0; k < plan.stages.size(); ++k) {
      const planner::PlanStage& st = plan.stages[k];
      std::string first, last;
      for (uint32_t q = st.first; q <= st.last && q < plan.steps.size(); ++q) {
        if (plan.steps[q].kind != planner::StepKind::kOp) continue;
        const ir::NodeId o = plan.origin[static_cast<size_t>(plan.steps[q].node)];
        if (o < 0) continue;
        if (first.empty()) first = g.nodes[static_cast<size_t>(o)].name;
        last = g.nodes[static_cast<size_t>(o)].name;
      }
      const char* kind = st.kind == planner::StageKind::kTiled  ? "tiled"
                         : st.kind == planner::StageKind::kChain ? "chain"
                                                                 : "normal";
      TIGRIS_LOG_INFO("partition: stage {} ({}): steps {}..{}, {} ops{}, fast peak {}, spill {} / reload {}{}", k, kind,
                      st.first, st.last, st.compute_ops,
                      first.empty() ? std::string(" (spill/reload copies)")
                                    : " '" + first + "'" + (last != first ? " .. '" + last + "'" : ""),
                      HumanBytes(st.fast_peak), HumanBytes(st.spill_bytes), HumanBytes(st.reload_bytes),
                      st.tiling.empty() ? "" : fmt::format(", {} x {} rows in {}", st.strips, st.strip_rows, st.tiling));
    }
  }
  return plan;
}

}  // namespace

Expected<planner::ExecPlan> PartitionTemporal(const ir::Graph& g, const std::vector<ir::NodeId>& order,
                                              const TemporalOptions& options) {
  return Walk(g, order, options, nullptr);
}

Expected<PlanWork> PartitionWork(const ir::Graph& g, const std::vector<ir::NodeId>& order,
                                 const TemporalOptions& options) {
  PlanWork work;
  TIGRIS_RETURN_IF_ERROR(Walk(g, order, options, &work).status());
  return work;
}

}  // namespace tigris::partition
