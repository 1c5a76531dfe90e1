// Scheduler and temporal partitioner on random DAGs. The scheduler's peak is compared with a
// brute force over every topological order (an independent computation of the optimum); the
// partitioner's output is checked for its invariants: compute ops read and write fast memory
// only, fast live bytes never exceed the budget, no buffer is spilled twice, and stripping the
// copies gives back exactly the scheduled op sequence.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <random>
#include <set>

#include "tigris/partition/temporal.h"
#include "tigris/planner/schedule.h"

namespace tigris::planner {
namespace {

// Random DAG: node i reads 1-2 earlier activations (or the input) and writes one tensor of
// random size; dangling tensors become graph outputs.
ir::Graph RandomDag(std::mt19937& rng, int n_nodes) {
  ir::Graph g;
  g.name = "rand";
  auto act = [&](int elems, const std::string& name) {
    ir::Tensor t;
    t.name = name;
    t.shape = {elems};
    return g.AddTensor(std::move(t));
  };
  std::vector<ir::TensorId> avail{act(4 + static_cast<int>(rng() % 60), "in")};
  g.inputs = {avail[0]};
  for (int i = 0; i < n_nodes; ++i) {
    ir::Node n;
    n.name = "n" + std::to_string(i);
    const int n_in = 1 + static_cast<int>(rng() % 2);
    for (int k = 0; k < n_in; ++k) {
      // Prefer recent tensors (chains) but sometimes reach far back (skips).
      const size_t back = rng() % 4 == 0 ? rng() % avail.size() : std::min<size_t>(avail.size() - 1, rng() % 2);
      const ir::TensorId t = avail[avail.size() - 1 - back];
      if (std::find(n.inputs.begin(), n.inputs.end(), t) == n.inputs.end()) n.inputs.push_back(t);
    }
    n.kind = n.inputs.size() == 2 ? ir::OpKind::kAdd : ir::OpKind::kRelu;
    n.outputs = {act(4 + static_cast<int>(rng() % 60), "t" + std::to_string(i))};
    avail.push_back(n.outputs[0]);
    g.AddNode(std::move(n));
  }
  std::set<ir::TensorId> read;
  for (const auto& n : g.nodes)
    for (auto t : n.inputs) read.insert(t);
  for (const auto& n : g.nodes)
    if (!read.count(n.outputs[0])) g.outputs.push_back(n.outputs[0]);
  return g;
}

uint64_t BruteForceMinPeak(const ir::Graph& g) {
  const BufferModel m = BuildBufferModel(g);
  const size_t n = g.nodes.size();
  std::vector<std::vector<size_t>> preds(n);
  auto prod = g.Producers();
  for (size_t v = 0; v < n; ++v)
    for (auto t : g.nodes[v].inputs)
      if (prod[static_cast<size_t>(t)] >= 0) preds[v].push_back(static_cast<size_t>(prod[static_cast<size_t>(t)]));
  uint64_t best = UINT64_MAX;
  std::vector<ir::NodeId> order;
  std::vector<bool> done(n, false);
  std::function<void()> rec = [&] {
    if (order.size() == n) {
      best = std::min(best, PeakOfOrder(m, g, order));
      return;
    }
    for (size_t v = 0; v < n; ++v) {
      if (done[v]) continue;
      bool ready = true;
      for (size_t p : preds[v]) ready = ready && done[p];
      if (!ready) continue;
      done[v] = true;
      order.push_back(static_cast<ir::NodeId>(v));
      rec();
      order.pop_back();
      done[v] = false;
    }
  };
  rec();
  return best;
}

bool IsTopological(const ir::Graph& g, const std::vector<ir::NodeId>& order) {
  auto prod = g.Producers();
  std::vector<bool> done(g.nodes.size(), false);
  for (ir::NodeId v : order) {
    for (auto t : g.nodes[static_cast<size_t>(v)].inputs) {
      const auto p = prod[static_cast<size_t>(t)];
      if (p >= 0 && !done[static_cast<size_t>(p)]) return false;
    }
    done[static_cast<size_t>(v)] = true;
  }
  return std::all_of(done.begin(), done.end(), [](bool b) { return b; });
}

TEST(Schedule, MatchesBruteForceOnRandomDags) {
  std::mt19937 rng(2026);
  int improved = 0;
  for (int trial = 0; trial < 150; ++trial) {
    const ir::Graph g = RandomDag(rng, 3 + trial % 6);  // up to 8 nodes: brute force stays cheap
    ASSERT_TRUE(g.Verify().ok());
    auto s = ScheduleMinPeak(g);
    ASSERT_TRUE(s.ok()) << s.status().message();
    EXPECT_TRUE(s->optimal);
    ASSERT_TRUE(IsTopological(g, s->order));
    const BufferModel m = BuildBufferModel(g);
    EXPECT_EQ(s->peak, PeakOfOrder(m, g, s->order));
    EXPECT_EQ(s->peak, BruteForceMinPeak(g)) << "trial " << trial << "\n" << g.Dump();
    std::vector<ir::NodeId> identity(g.nodes.size());
    for (size_t i = 0; i < identity.size(); ++i) identity[i] = static_cast<ir::NodeId>(i);
    improved += s->peak < PeakOfOrder(m, g, identity);
  }
  EXPECT_GT(improved, 0) << "no random DAG where the node order was beaten: the test lost its teeth";
}

TEST(Schedule, BeamBeyondTheCapIsValidButNotProven) {
  std::mt19937 rng(7);
  const ir::Graph g = RandomDag(rng, 8);
  ScheduleOptions opt;
  opt.max_states_per_step = 1;
  auto s = ScheduleMinPeak(g, opt);
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(IsTopological(g, s->order));
  EXPECT_GE(s->peak, BruteForceMinPeak(g));
}

TEST(Temporal, RandomDagsKeepInvariants) {
  std::mt19937 rng(99);
  int spilled = 0;
  for (int trial = 0; trial < 200; ++trial) {
    const ir::Graph g = RandomDag(rng, 4 + trial % 12);
    auto s = ScheduleMinPeak(g);
    ASSERT_TRUE(s.ok());
    // Budget between the largest single op and the unpartitioned peak.
    uint64_t min_need = 0;
    const BufferModel m = BuildBufferModel(g);
    const auto uses = NodeBufferUses(m, g.nodes.size());
    for (size_t v = 0; v < g.nodes.size(); ++v) min_need = std::max(min_need, NodeFastNeed(m, uses[v], 0));
    const uint64_t budget = min_need + (s->peak > min_need ? rng() % (s->peak - min_need + 1) : 0);
    partition::TemporalOptions opt;
    opt.fast_budget = budget;
    opt.has_slow_pool = true;
    auto r = partition::PartitionTemporal(g, s->order, opt);
    ASSERT_TRUE(r.ok()) << r.status().message();
    const ir::Graph& ng = r->graph;
    ASSERT_TRUE(ng.Verify().ok());
    const auto live = LiveBytes(*r, 2);
    for (uint64_t x : live[0]) EXPECT_LE(x, budget);
    auto pool_of = [&](ir::TensorId t) { return r->buffers[static_cast<size_t>(r->BufferOf(t))].pool; };
    std::vector<std::string> compute;
    std::map<std::string, int> spills_of;
    for (const ir::Node& n : ng.nodes) {
      if (n.kind == ir::OpKind::kCopy) {
        const uint32_t from = pool_of(n.inputs[0]), to = pool_of(n.outputs[0]);
        EXPECT_NE(from, to) << n.name;
        if (from == 0) ++spills_of[ng.tensor(n.inputs[0]).name.substr(0, ng.tensor(n.inputs[0]).name.find('@'))];
        continue;
      }
      if (n.name.rfind("view_", 0) == 0) continue;
      compute.push_back(n.name);
      for (auto t : n.inputs) EXPECT_EQ(pool_of(t), 0u) << n.name << " reads slow memory";
      for (auto t : n.outputs) EXPECT_EQ(pool_of(t), 0u) << n.name << " writes slow memory";
    }
    for (const auto& [name, count] : spills_of) EXPECT_EQ(count, 1) << name << " spilled twice";
    std::vector<std::string> expected;
    for (ir::NodeId v : s->order) expected.push_back(g.nodes[static_cast<size_t>(v)].name);
    EXPECT_EQ(compute, expected);
    if (r->spill_bytes == 0 && r->reload_bytes == 0) {
      EXPECT_EQ(r->stages.size(), 1u);
    }
    EXPECT_LE(r->reload_bytes > 0, r->spill_bytes > 0 || pool_of(g.inputs[0]) != 0);
    spilled += r->spill_bytes > 0;
  }
  EXPECT_GT(spilled, 20) << "too few random cases needed a spill: the test lost its teeth";
}

TEST(Temporal, NoSlowPoolAndTooSmallBudgetNameTheNode) {
  std::mt19937 rng(5);
  const ir::Graph g = RandomDag(rng, 6);
  auto s = ScheduleMinPeak(g);
  ASSERT_TRUE(s.ok());
  partition::TemporalOptions opt;
  opt.fast_budget = 8;
  opt.has_slow_pool = true;
  auto r = partition::PartitionTemporal(g, s->order, opt);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kBudgetExceeded);
  EXPECT_NE(r.status().message().find("node '"), std::string::npos) << r.status().message();
}

}  // namespace
}  // namespace tigris::planner
