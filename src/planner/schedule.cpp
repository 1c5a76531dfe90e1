// Minimum-peak operator ordering. The live set after executing a set S of nodes depends only on
// S (a buffer is live iff its producer is in S and some reader is not, or it is a graph output),
// so the minimum peak to reach S obeys a DP over the order ideals of the graph. We sweep the
// ideals level by level (|S| = k); each level keeps, per state, the smallest peak reaching it.
// When a level exceeds the state cap, only the best states survive (beam) and optimality is lost.
#include "tigris/planner/schedule.h"

#include "tigris/ir/op_traits.h"
#include "tigris/planner/exec_plan.h"

#include <algorithm>
#include <numeric>
#include <unordered_map>

namespace tigris::planner {

BufferModel BuildBufferModel(const ir::Graph& g) {
  BufferModel m;
  const size_t nt = g.tensors.size();
  m.buffer_of.assign(nt, -1);
  auto make_buffer = [&](ir::TensorId t, ir::NodeId prod) {
    m.buffer_of[static_cast<size_t>(t)] = static_cast<int32_t>(m.size.size());
    m.size.push_back(static_cast<uint64_t>(g.tensor(t).SizeBytes()));
    m.root.push_back(t);
    m.producer.push_back(prod);
    m.readers.emplace_back();
    m.is_graph_output.push_back(false);
  };
  for (ir::TensorId t : g.inputs) make_buffer(t, -1);
  for (size_t n = 0; n < g.nodes.size(); ++n) {
    const ir::Node& node = g.nodes[n];
    for (size_t k = 0; k < node.outputs.size(); ++k) {
      const ir::TensorId out = node.outputs[k];
      if (ir::Traits(node.kind).view() && !node.inputs.empty() && node.inputs[0] >= 0 &&
          m.buffer_of[static_cast<size_t>(node.inputs[0])] >= 0) {
        m.buffer_of[static_cast<size_t>(out)] = m.buffer_of[static_cast<size_t>(node.inputs[0])];
        continue;
      }
      make_buffer(out, static_cast<ir::NodeId>(n));
    }
  }
  for (size_t n = 0; n < g.nodes.size(); ++n)
    for (ir::TensorId t : g.nodes[n].inputs) {
      if (t < 0) continue;
      const int32_t b = m.buffer_of[static_cast<size_t>(t)];
      if (b < 0) continue;
      auto& r = m.readers[static_cast<size_t>(b)];
      if (std::find(r.begin(), r.end(), static_cast<ir::NodeId>(n)) == r.end()) r.push_back(static_cast<ir::NodeId>(n));
    }
  for (auto& r : m.readers) std::sort(r.begin(), r.end());
  for (ir::TensorId t : g.outputs) {
    const int32_t b = m.buffer_of[static_cast<size_t>(t)];
    if (b >= 0) m.is_graph_output[static_cast<size_t>(b)] = true;
  }
  m.scratch.assign(g.nodes.size(), 0);
  return m;
}

std::vector<NodeBufferUse> NodeBufferUses(const BufferModel& m, size_t n_nodes) {
  std::vector<NodeBufferUse> u(n_nodes);
  for (size_t b = 0; b < m.size.size(); ++b) {
    if (m.producer[b] >= 0) u[static_cast<size_t>(m.producer[b])].creates.push_back(static_cast<int32_t>(b));
    for (ir::NodeId r : m.readers[b]) u[static_cast<size_t>(r)].reads.push_back(static_cast<int32_t>(b));
  }
  return u;
}

uint64_t NodeFastNeed(const BufferModel& m, const NodeBufferUse& use, uint64_t scratch) {
  uint64_t need = scratch;
  for (int32_t b : use.reads) need += m.size[static_cast<size_t>(b)];
  for (int32_t b : use.creates) need += m.size[static_cast<size_t>(b)];
  return need;
}

std::vector<uint64_t> LiveBytesPerStep(const BufferModel& m, const ir::Graph& g, const std::vector<ir::NodeId>& order) {
  auto plan = BuildExecPlan(g.WithoutConstantData(), order, {}, m.scratch);
  if (!plan.ok()) return {};
  return LiveBytes(*plan, 1)[0];
}

uint64_t PeakOfOrder(const BufferModel& m, const ir::Graph& g, const std::vector<ir::NodeId>& order) {
  uint64_t peak = 0;
  for (uint64_t v : LiveBytesPerStep(m, g, order)) peak = std::max(peak, v);
  return peak;
}

namespace {

using Bits = std::vector<uint64_t>;

struct BitsHash {
  size_t operator()(const Bits& b) const {
    uint64_t h = 1469598103934665603ull;
    for (uint64_t w : b) h = (h ^ w) * 1099511628211ull;
    return static_cast<size_t>(h ^ (h >> 29));
  }
};

inline bool Test(const Bits& b, size_t i) { return (b[i >> 6] >> (i & 63)) & 1u; }
inline void Set(Bits& b, size_t i) { b[i >> 6] |= uint64_t{1} << (i & 63); }

struct State {
  Bits done;
  uint64_t peak;     // best peak over the prefix reaching this state
  uint64_t live;     // live bytes after the prefix
  int32_t parent;    // index in the previous level
  ir::NodeId last;   // node executed to get here
};

}  // namespace

Expected<Schedule> ScheduleMinPeak(const ir::Graph& g, const ScheduleOptions& options) {
  BufferModel m = BuildBufferModel(g);
  for (size_t v = 0; v < options.scratch.size() && v < m.scratch.size(); ++v) m.scratch[v] = options.scratch[v];
  const auto nm = NodeBufferUses(m, g.nodes.size());
  const size_t n = g.nodes.size();
  const size_t words = (n + 63) / 64 + 1;

  // Node predecessors through activation buffers (constants impose no order).
  std::vector<std::vector<ir::NodeId>> preds(n);
  for (size_t v = 0; v < n; ++v)
    for (int32_t b : nm[v].reads) {
      const ir::NodeId p = m.producer[static_cast<size_t>(b)];
      if (p >= 0) preds[v].push_back(p);
    }

  uint64_t inputs_live = 0;
  for (size_t b = 0; b < m.size.size(); ++b)
    if (m.producer[b] < 0) inputs_live += m.size[b];

  std::vector<std::vector<State>> levels(n + 1);
  levels[0].push_back({Bits(words, 0), inputs_live, inputs_live, -1, -1});
  Schedule result;
  result.optimal = true;

  for (size_t k = 0; k < n; ++k) {
    std::unordered_map<Bits, int32_t, BitsHash> index;
    std::vector<State>& next = levels[k + 1];
    const std::vector<State>& cur = levels[k];
    for (size_t si = 0; si < cur.size(); ++si) {
      const State& s = cur[si];
      for (size_t v = 0; v < n; ++v) {
        if (Test(s.done, v)) continue;
        bool ready = true;
        for (ir::NodeId p : preds[v]) ready = ready && Test(s.done, static_cast<size_t>(p));
        if (!ready) continue;
        Bits done = s.done;
        Set(done, v);
        uint64_t during = s.live + m.scratch[v];
        for (int32_t b : nm[v].creates) during += m.size[static_cast<size_t>(b)];
        uint64_t after = during - m.scratch[v];
        for (int32_t b : nm[v].reads) {
          bool all_done = !m.is_graph_output[static_cast<size_t>(b)];
          for (ir::NodeId r : m.readers[static_cast<size_t>(b)]) all_done = all_done && Test(done, static_cast<size_t>(r));
          if (all_done) after -= m.size[static_cast<size_t>(b)];
        }
        for (int32_t b : nm[v].creates)
          if (m.readers[static_cast<size_t>(b)].empty() && !m.is_graph_output[static_cast<size_t>(b)])
            after -= m.size[static_cast<size_t>(b)];
        const uint64_t peak = std::max(s.peak, during);
        auto [it, inserted] = index.try_emplace(done, static_cast<int32_t>(next.size()));
        if (inserted) {
          next.push_back({std::move(done), peak, after, static_cast<int32_t>(si), static_cast<ir::NodeId>(v)});
        } else if (peak < next[static_cast<size_t>(it->second)].peak) {
          State& t = next[static_cast<size_t>(it->second)];
          t.peak = peak;
          t.parent = static_cast<int32_t>(si);
          t.last = static_cast<ir::NodeId>(v);
        }
      }
    }
    result.states_explored += next.size();
    if (next.empty()) return Internal("schedule: the graph has a cycle or an unreachable node");
    if (next.size() > options.max_states_per_step) {
      result.optimal = false;
      std::vector<size_t> idx(next.size());
      std::iota(idx.begin(), idx.end(), 0);
      std::stable_sort(idx.begin(), idx.end(), [&](size_t a, size_t b) {
        if (next[a].peak != next[b].peak) return next[a].peak < next[b].peak;
        return next[a].live < next[b].live;
      });
      idx.resize(options.max_states_per_step);
      std::sort(idx.begin(), idx.end());
      std::vector<State> kept;
      kept.reserve(idx.size());
      for (size_t i : idx) kept.push_back(std::move(next[i]));
      next = std::move(kept);
    }
    // Parents of level k are no longer needed except for their (parent, last) links; drop the bitsets.
    for (State& s : levels[k]) Bits().swap(s.done);
  }

  const State* best = &levels[n][0];
  for (const State& s : levels[n])
    if (s.peak < best->peak) best = &s;
  result.peak = best->peak;
  result.order.resize(n);
  int32_t idx = static_cast<int32_t>(best - levels[n].data());
  for (size_t k = n; k > 0; --k) {
    const State& s = levels[k][static_cast<size_t>(idx)];
    result.order[k - 1] = s.last;
    idx = s.parent;
  }
  return result;
}

}  // namespace tigris::planner
