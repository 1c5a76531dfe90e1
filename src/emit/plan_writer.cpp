// WritePlan: lays out a .tgrs v4 blob exactly as tgrs_plan_format.h describes, one record per
// ExecPlan step (and one weight segment per weight stage when weights are not read in place). Every value the loader validates is validated here first (so a failure names
// the node or tensor that cannot be represented), then the runtime's loader checks the blob.
#include "tigris/emit/plan_writer.h"

#include <cstring>
#include <algorithm>
#include <map>
#include <unordered_map>
#include <limits>

#include "tigris/emit/op_params.h"
#include "tigris/emit/weight_codec.h"
#include "tigris/planner/weight_stages.h"
#include "tigris/ir/op_traits.h"
#include "tigris/runtime/tgrs_plan_format.h"
#include "tigris/runtime/tigris_runtime.h"

namespace tigris::emit {

namespace {

constexpr uint64_t kU32Max = std::numeric_limits<uint32_t>::max();

uint64_t AlignUp(uint64_t v, uint64_t a) { return (v + a - 1) / a * a; }

std::string NodeLabel(const ir::Node& n) { return "node '" + n.name + "' (" + ir::OpName(n.kind) + ")"; }

// The strings section; each distinct string is stored once.
class Strings {
 public:
  uint32_t Add(const std::string& s) {
    if (s.empty()) return TGRS_NO_NAME;
    auto it = index_.find(s);
    if (it != index_.end()) return it->second;
    const auto off = static_cast<uint32_t>(bytes_.size());
    bytes_.insert(bytes_.end(), s.begin(), s.end());
    bytes_.push_back(0);
    index_.emplace(s, off);
    return off;
  }
  const std::vector<uint8_t>& bytes() const { return bytes_; }

 private:
  std::vector<uint8_t> bytes_;
  std::unordered_map<std::string, uint32_t> index_;
};

template <typename T>
void Put(std::vector<uint8_t>& blob, uint64_t off, const T& value) {
  std::memcpy(blob.data() + off, &value, sizeof(T));
}

// Row-major strides of `shape`, or the plan's strides when it has some.
std::vector<int64_t> StridesOf(const ir::Tensor& x, const planner::TensorPlace& pl) {
  if (!pl.strides.empty()) return pl.strides;
  std::vector<int64_t> st(x.shape.size(), 1);
  for (size_t d = x.shape.size(); d-- > 1;) st[d - 1] = st[d] * x.shape[d];
  return st;
}

}  // namespace

Expected<std::vector<uint8_t>> WritePlan(const planner::ExecPlan& plan, const EmitOptions& options) {
  const ir::Graph& g = plan.graph;
  TIGRIS_RETURN_IF_ERROR(planner::VerifyExecPlan(plan));
  const size_t n_tensors = g.tensors.size();
  if (plan.placement.size() != n_tensors || plan.place.size() != n_tensors)
    return Internal("emit: the plan has no offsets (run AssignPlanOffsets first)");
  if (plan.pool_size.empty() || plan.pool_size.size() > TGRS_MAX_POOLS)
    return Internal("emit: the memory plan has " + std::to_string(plan.pool_size.size()) + " pools (1..4 allowed)");
  for (uint64_t p : plan.pool_size)
    if (p > kU32Max) return Unsupported("emit: a pool of " + std::to_string(p) + " bytes does not fit a plan");
  if (plan.weights_size > kU32Max) return Unsupported("emit: weights do not fit a plan (4 GiB max)");

  // Tensors the plan references, numbered in IR order.
  std::vector<bool> used(n_tensors, false);
  for (ir::TensorId t : g.inputs) used[static_cast<size_t>(t)] = true;
  for (ir::TensorId t : g.outputs) used[static_cast<size_t>(t)] = true;
  for (const planner::PlanStep& step : plan.steps) {
    if (step.kind != planner::StepKind::kOp) continue;
    if (step.node < 0 || static_cast<size_t>(step.node) >= g.nodes.size())
      return Internal("emit: a plan step has a bad node id");
    const ir::Node& n = g.nodes[static_cast<size_t>(step.node)];
    for (ir::TensorId t : planner::RuntimeInputs(g, n))
      if (t != ir::kNoTensor) used[static_cast<size_t>(t)] = true;
    for (ir::TensorId t : n.outputs) used[static_cast<size_t>(t)] = true;
  }
  std::vector<uint32_t> plan_id(n_tensors, TGRS_NO_TENSOR);  // record of each tensor (set below)
  std::vector<ir::TensorId> carried;
  for (size_t t = 0; t < n_tensors; ++t)
    if (used[t]) carried.push_back(static_cast<ir::TensorId>(t));

  // Weights not read in place: step -> weight stage, and constant buffer -> its place in the stage.
  // (A model without constants has no weight stages in any mode: its streamed plan has no segments.)
  const bool staged = !plan.weight_stages.empty();
  const bool want_staged = !options.xip || options.compression != WeightCompression::kNone;
  const bool has_constants = std::any_of(plan.buffers.begin(), plan.buffers.end(),
                                         [](const planner::PlanBuffer& b) { return b.kind == planner::BufferKind::kConstant; });
  if (staged != want_staged && (staged || has_constants))
    return Internal(std::string("emit: the plan ") + (staged ? "has" : "has no") +
                    " weight stages, but the options say weights are " + (staged ? "read in place" : "not read in place"));
  std::vector<int32_t> stage_of_step(plan.steps.size(), -1);
  std::vector<std::map<int32_t, uint64_t>> stage_place(plan.weight_stages.size());  // buffer -> offset in stage
  for (size_t k = 0; k < plan.weight_stages.size(); ++k) {
    const planner::WeightStage& ws = plan.weight_stages[k];
    for (int32_t s = ws.first_step; s <= ws.last_step && static_cast<size_t>(s) < plan.steps.size(); ++s)
      stage_of_step[static_cast<size_t>(s)] = static_cast<int32_t>(k);
    for (size_t c = 0; c < ws.constants.size(); ++c) stage_place[k][ws.constants[c]] = ws.offset[c];
  }
  // Stages whose steps read each constant tensor (staged plans only).
  std::vector<std::vector<int32_t>> stages_of(n_tensors);
  if (staged)
    for (size_t s = 0; s < plan.steps.size(); ++s) {
      const planner::PlanStep& step = plan.steps[s];
      if (step.kind != planner::StepKind::kOp) continue;
      for (ir::TensorId t : planner::RuntimeInputs(g, g.nodes[static_cast<size_t>(step.node)])) {
        if (t == ir::kNoTensor || !g.tensor(t).is_constant) continue;
        auto& v = stages_of[static_cast<size_t>(t)];
        if (stage_of_step[s] < 0) return Internal("emit: step " + std::to_string(s) + " is in no weight stage");
        if (std::find(v.begin(), v.end(), stage_of_step[s]) == v.end()) v.push_back(stage_of_step[s]);
      }
    }
  std::map<std::pair<ir::TensorId, int32_t>, uint32_t> staged_id;  // (constant, stage) -> record

  Strings strings;
  std::vector<tgrs_tensor_rec_t> tensor_recs;
  std::vector<uint8_t> weights(staged ? 0 : static_cast<size_t>(plan.weights_size), 0);
  std::vector<uint64_t> rec_limit;  // bytes of the pool/section each record lives in
  for (ir::TensorId t : carried) {
    const ir::Tensor& x = g.tensor(t);
    const planner::TensorPlacement& pl = plan.placement[static_cast<size_t>(t)];
    const planner::TensorPlace& where = plan.place[static_cast<size_t>(t)];
    const std::string label = "emit: tensor '" + x.name + "'";
    if (!pl.allocated) return Internal(label + " has no place in the memory plan");
    TIGRIS_ASSIGN_OR_RETURN(tgrs_tensor_t view, TensorView(x));
    const std::vector<int64_t> strides = StridesOf(x, where);
    if (strides.size() != x.shape.size()) return Internal(label + " has " + std::to_string(strides.size()) + " strides");
    uint64_t span = 1;
    for (size_t d = 0; d < strides.size(); ++d) {
      if (strides[d] < 0 || strides[d] > INT32_MAX) return Internal(label + " has a stride out of range");
      span += static_cast<uint64_t>(x.shape[d] - 1) * static_cast<uint64_t>(strides[d]);
    }
    const uint64_t size = span * static_cast<uint64_t>(ir::DTypeSize(x.dtype));
    if (size > kU32Max) return Unsupported(label + " is larger than 4 GiB");
    const bool dense = where.strides.empty();
    if (dense && size != static_cast<uint64_t>(x.SizeBytes())) return Internal(label + " has an inconsistent size");
    tgrs_tensor_rec_t r{};
    r.dtype = static_cast<uint8_t>(x.dtype);
    r.rank = static_cast<uint8_t>(view.rank);
    for (int d = 0; d < view.rank; ++d) {
      r.dims[d] = view.dims[d];
      r.strides[d] = static_cast<int32_t>(strides[static_cast<size_t>(d)]);
    }
    r.size = static_cast<uint32_t>(size);
    if (pl.offset % TGRS_ELEM_ALIGN(static_cast<uint32_t>(ir::DTypeSize(x.dtype))) != 0)
      return Internal(label + " is placed at a misaligned offset");
    r.name = strings.Add(x.name);
    if (x.quant.scale.size() == 1) {
      r.scale = x.quant.scale[0];
      r.zero_point = x.quant.zero_point.empty() ? 0 : x.quant.zero_point[0];
    }
    if (pl.pool == planner::kWeightsPool && staged) {
      // One record per stage reading it, a view into that stage's buffer.
      const planner::PlanBuffer& buf = plan.buffers[static_cast<size_t>(where.buffer)];
      plan_id[static_cast<size_t>(t)] = TGRS_NO_TENSOR;
      for (int32_t k : stages_of[static_cast<size_t>(t)]) {
        const planner::WeightStage& ws = plan.weight_stages[static_cast<size_t>(k)];
        const planner::PlanBuffer& sb = plan.buffers[static_cast<size_t>(ws.buffer)];
        const auto it = stage_place[static_cast<size_t>(k)].find(where.buffer);
        if (it == stage_place[static_cast<size_t>(k)].end() || where.offset + size > buf.size)
          return Internal(label + " is not in the weight stage that reads it");
        tgrs_tensor_rec_t sr = r;
        sr.pool = static_cast<uint8_t>(sb.pool);
        sr.offset = static_cast<uint32_t>(sb.offset + it->second + where.offset);
        staged_id[{t, k}] = static_cast<uint32_t>(tensor_recs.size());
        tensor_recs.push_back(sr);
        rec_limit.push_back(plan.pool_size[sb.pool]);
      }
      continue;
    }
    if (pl.pool == planner::kWeightsPool) {
      if (!x.is_constant) return Internal(label + " is not constant but placed in the weights");
      if (pl.offset + size > plan.weights_size) return Internal(label + " lies outside the weights section");
      // The bytes are those of the constant owning the buffer (the tensor itself, or the whole
      // weight a tile's view slices).
      const planner::PlanBuffer& buf = plan.buffers[static_cast<size_t>(where.buffer)];
      const ir::Tensor& owner = g.tensor(buf.tensor);
      if (!owner.is_constant || where.offset + size > owner.data.size() || buf.offset + owner.data.size() > weights.size())
        return Internal(label + " lies outside its constant");
      std::memcpy(weights.data() + buf.offset, owner.data.data(), owner.data.size());
      r.pool = TGRS_POOL_WEIGHTS;
      rec_limit.push_back(plan.weights_size);
    } else {
      if (pl.pool >= plan.pool_size.size()) return Internal(label + " is placed in a pool the plan does not have");
      if (pl.offset + size > plan.pool_size[pl.pool]) return Internal(label + " lies outside its pool");
      r.pool = static_cast<uint8_t>(pl.pool);
      rec_limit.push_back(plan.pool_size[pl.pool]);
    }
    r.offset = static_cast<uint32_t>(pl.offset);
    plan_id[static_cast<size_t>(t)] = static_cast<uint32_t>(tensor_recs.size());
    tensor_recs.push_back(r);
  }
  for (ir::TensorId t : g.inputs)
    if (plan.placement[static_cast<size_t>(t)].pool == planner::kWeightsPool)
      return Internal("emit: graph input '" + g.tensor(t).name + "' is placed in the weights");
  // Identical records (tile windows repeat: the same weight, the same line-buffer rows) are
  // written once; ids are renumbered densely.
  {
    std::map<std::vector<uint8_t>, uint32_t> seen;
    std::vector<tgrs_tensor_rec_t> unique_recs;
    std::vector<uint32_t> remap(tensor_recs.size());
    std::vector<uint64_t> unique_limit;
    for (size_t k = 0; k < tensor_recs.size(); ++k) {
      const auto* p = reinterpret_cast<const uint8_t*>(&tensor_recs[k]);
      std::vector<uint8_t> key(p, p + sizeof(tgrs_tensor_rec_t));
      auto [it, inserted] = seen.emplace(std::move(key), static_cast<uint32_t>(unique_recs.size()));
      if (inserted) {
        unique_recs.push_back(tensor_recs[k]);
        unique_limit.push_back(rec_limit[k]);
      }
      remap[k] = it->second;
    }
    for (uint32_t& id : plan_id)
      if (id != TGRS_NO_TENSOR) id = remap[id];
    for (auto& [key, id] : staged_id) id = remap[id];
    tensor_recs = std::move(unique_recs);
    rec_limit = std::move(unique_limit);
  }
  // The record an op step reads tensor t through (a constant of a staged plan: its stage's copy).
  auto rec_of = [&](ir::TensorId t, size_t s) -> uint32_t {
    if (t == ir::kNoTensor) return TGRS_NO_TENSOR;
    if (staged && g.tensor(t).is_constant) {
      auto it = staged_id.find({t, stage_of_step[s]});
      return it == staged_id.end() ? TGRS_NO_TENSOR : it->second;
    }
    return plan_id[static_cast<size_t>(t)];
  };
  std::vector<uint32_t> op_at_step(plan.steps.size() + 1, 0);  // first op record at or after each step

  // Ops (io lists and params records go into the words pool) and loops (their deltas too).
  std::vector<uint32_t> words;
  std::vector<tgrs_op_rec_t> op_recs;
  std::vector<tgrs_loop_rec_t> loop_recs;
  const planner::ScratchQuery need_scratch = KernelScratchQuery(options.backend);
  struct OpenLoop {
    size_t step = 0;       // the kLoop step
    size_t remaining = 0;  // body steps still to write
  } loop;
  for (size_t s = 0; s < plan.steps.size(); ++s) {
    const planner::PlanStep& step = plan.steps[s];
    op_at_step[s] = static_cast<uint32_t>(op_recs.size());
    if (step.kind == planner::StepKind::kLoop) {
      if (loop.remaining > 0) return Internal("emit: nested loops are not supported");
      if (step.body < 1 || step.count < 1 || s + static_cast<size_t>(step.body) >= plan.steps.size())
        return Internal("emit: a loop step has a bad body or count");
      tgrs_loop_rec_t lr{};
      lr.first_op = static_cast<uint32_t>(op_recs.size());
      lr.n_ops = static_cast<uint32_t>(step.body);
      lr.count = static_cast<uint32_t>(step.count);
      lr.deltas_off = 0;  // set when the body's records are known
      loop_recs.push_back(lr);
      loop = {s, static_cast<size_t>(step.body)};
      continue;
    }
    const ir::Node& n = g.nodes[static_cast<size_t>(step.node)];
    const std::vector<ir::TensorId> ins = planner::RuntimeInputs(g, n);
    for (size_t i = ins.size(); i < n.inputs.size(); ++i)  // operands folded into params
      if (n.inputs[i] != ir::kNoTensor && !g.tensor(n.inputs[i]).is_constant)
        return Unsupported("emit: " + NodeLabel(n) + ": input " + std::to_string(i) + " ('" +
                           g.tensor(n.inputs[i]).name +
                           "') is computed at run time, but the plan takes this operand from attributes only");
    if (ins.size() > TGRS_MAX_OP_INPUTS || n.outputs.size() > TGRS_MAX_OP_OUTPUTS)
      return Unsupported("emit: " + NodeLabel(n) + " has " + std::to_string(ins.size()) + " inputs and " +
                         std::to_string(n.outputs.size()) + " outputs; plans allow at most " +
                         std::to_string(TGRS_MAX_OP_INPUTS) + " and " + std::to_string(TGRS_MAX_OP_OUTPUTS));
    TIGRIS_ASSIGN_OR_RETURN(std::vector<uint32_t> params, EncodeParams(g, n));
    TIGRIS_ASSIGN_OR_RETURN(uint64_t scratch, need_scratch(g, n));
    uint64_t scratch_size = 0, scratch_offset = 0;
    if (step.scratch >= 0) {
      const planner::PlanBuffer& sb = plan.buffers[static_cast<size_t>(step.scratch)];
      if (sb.kind != planner::BufferKind::kScratch || sb.pool != planner::kFastPool)
        return Internal("emit: " + NodeLabel(n) + " has a scratch buffer outside the fast pool");
      scratch_size = sb.size;
      scratch_offset = sb.offset;
    }
    if (scratch_size < scratch)
      return Internal("emit: " + NodeLabel(n) + " needs " + std::to_string(scratch) +
                      " bytes of scratch but the plan reserved " + std::to_string(scratch_size));
    if (scratch_size > 0 && scratch_offset + scratch_size > plan.pool_size[0])
      return Internal("emit: " + NodeLabel(n) + " scratch lies outside pool 0");
    tgrs_op_rec_t op{};
    op.kind = static_cast<uint16_t>(n.kind);
    op.dtype = static_cast<uint8_t>(ir::KernelDTypeOf(g, n));
    op.n_inputs = static_cast<uint8_t>(ins.size());
    op.n_outputs = static_cast<uint8_t>(n.outputs.size());
    op.io_off = static_cast<uint32_t>(words.size());
    for (ir::TensorId t : ins) {
      words.push_back(rec_of(t, s));
      if (t != ir::kNoTensor && words.back() == TGRS_NO_TENSOR)
        return Internal("emit: " + NodeLabel(n) + " reads tensor '" + g.tensor(t).name + "', which has no record");
    }
    for (ir::TensorId t : n.outputs) words.push_back(plan_id[static_cast<size_t>(t)]);
    op.params_off = static_cast<uint32_t>(words.size());
    op.params_size = static_cast<uint32_t>(params.size() * 4);
    words.insert(words.end(), params.begin(), params.end());
    op.scratch_offset = static_cast<uint32_t>(scratch_size > 0 ? scratch_offset : 0);
    op.scratch_size = static_cast<uint32_t>(scratch_size);
    op.name = strings.Add(n.name);
    op_recs.push_back(op);
    if (words.size() > kU32Max / 4) return Unsupported("emit: the plan's word pool exceeds 4 GiB");

    if (loop.remaining > 0 && --loop.remaining == 0) {
      // The body is complete: write its deltas, checking each operand's last iteration.
      const planner::PlanStep& ls = plan.steps[loop.step];
      tgrs_loop_rec_t& lr = loop_recs.back();
      lr.deltas_off = static_cast<uint32_t>(words.size());
      for (uint32_t j = 0; j < lr.n_ops; ++j) {
        const tgrs_op_rec_t& bo = op_recs[lr.first_op + j];
        const ir::Node& bn = g.nodes[static_cast<size_t>(plan.steps[loop.step + 1 + j].node)];
        const std::vector<int64_t> od = j < ls.operand_delta.size() ? ls.operand_delta[j] : std::vector<int64_t>{};
        const std::vector<int32_t> pd = j < ls.param_delta.size() ? ls.param_delta[j] : std::vector<int32_t>{};
        const uint32_t n_io = bo.n_inputs + bo.n_outputs;
        if (od.size() > n_io || pd.size() > bo.params_size / 4)
          return Internal("emit: loop deltas of " + NodeLabel(bn) + " do not match its operands");
        for (uint32_t k = 0; k < n_io; ++k) {
          const int64_t d = k < od.size() ? od[k] : 0;
          const uint32_t id = words[bo.io_off + k];
          if (d != 0) {
            if (id == TGRS_NO_TENSOR || d < INT32_MIN || d > INT32_MAX)
              return Internal("emit: loop delta " + std::to_string(d) + " of " + NodeLabel(bn) + " is invalid");
            const tgrs_tensor_rec_t& tr = tensor_recs[id];
            if (d % static_cast<int64_t>(TGRS_ELEM_ALIGN(static_cast<uint32_t>(tgrs_dtype_size(tr.dtype)))) != 0)
              return Internal("emit: loop delta " + std::to_string(d) + " of " + NodeLabel(bn) + " is misaligned");
            const int64_t last = static_cast<int64_t>(tr.offset) + d * (static_cast<int64_t>(lr.count) - 1);
            if (last < 0 || static_cast<uint64_t>(last) + tr.size > rec_limit[id])
              return Internal("emit: the last iteration of " + NodeLabel(bn) + " moves operand " + std::to_string(k) +
                              " outside its pool");
            if (k >= bo.n_inputs && tr.pool == TGRS_POOL_WEIGHTS)
              return Internal("emit: " + NodeLabel(bn) + " writes the weights");
          }
          words.push_back(static_cast<uint32_t>(static_cast<int32_t>(d)));
        }
        bool patched = false;
        for (uint32_t w = 0; w < bo.params_size / 4; ++w) {
          const int32_t d = w < pd.size() ? pd[w] : 0;
          patched = patched || d != 0;
          words.push_back(static_cast<uint32_t>(d));
        }
        if (patched && bo.params_size / 4 > TGRS_MAX_PARAM_WORDS)
          return Unsupported("emit: " + NodeLabel(bn) + " has too large a params record to change inside a loop");
      }
    }
  }
  if (loop.remaining > 0) return Internal("emit: a loop body runs past the last step");

  // Stages (3.1), from step ranges to op-record ranges: every non-loop step is one op record.
  std::vector<uint32_t> op_of_step(plan.steps.size() + 1, 0);
  for (size_t s = 0, k = 0; s <= plan.steps.size(); ++s) {
    op_of_step[s] = static_cast<uint32_t>(k);
    if (s < plan.steps.size() && plan.steps[s].kind != planner::StepKind::kLoop) ++k;
  }
  std::vector<tgrs_stage_rec_t> stage_recs;
  for (const planner::PlanStage& st : plan.stages) {
    if (st.last < st.first || st.last >= plan.steps.size()) return Internal("emit: a stage lies outside the steps");
    tgrs_stage_rec_t sr{};
    sr.first_op = op_of_step[st.first];
    sr.n_ops = op_of_step[st.last + 1] - sr.first_op;
    sr.kind = st.kind == planner::StageKind::kTiled   ? TGRS_STAGE_TILED
              : st.kind == planner::StageKind::kChain ? TGRS_STAGE_CHAIN
                                                      : TGRS_STAGE_NORMAL;
    sr.compute_ops = st.compute_ops;
    auto u32 = [](uint64_t v) { return static_cast<uint32_t>(std::min<uint64_t>(v, kU32Max)); };
    sr.fast_peak = u32(st.fast_peak);
    sr.spill_bytes = u32(st.spill_bytes);
    sr.reload_bytes = u32(st.reload_bytes);
    if (sr.n_ops == 0) continue;  // only loop steps: nothing the op table can point at
    if (!stage_recs.empty() && stage_recs.back().first_op + stage_recs.back().n_ops != sr.first_op)
      return Internal("emit: stages do not follow each other");
    stage_recs.push_back(sr);
  }
  if (!stage_recs.empty() && (stage_recs.front().first_op != 0 ||
                              stage_recs.back().first_op + stage_recs.back().n_ops != op_recs.size()))
    return Internal("emit: stages do not cover the op table");
  op_at_step[plan.steps.size()] = static_cast<uint32_t>(op_recs.size());
  // Weight segments: each stage's bytes, stored raw or LZ4, one after another in the weights.
  std::vector<tgrs_weight_seg_rec_t> seg_recs;
  for (const planner::WeightStage& ws : plan.weight_stages) {
    const planner::PlanBuffer& sb = plan.buffers[static_cast<size_t>(ws.buffer)];
    const StoredStage stored = EncodeStage(planner::WeightStageBytes(plan, ws), options.compression, !options.xip);
    if (stored.margin > ws.margin || ws.bytes + stored.margin > sb.size)
      return Internal("emit: a weight stage needs a larger decode margin than the plan reserved");
    if (op_at_step[static_cast<size_t>(ws.first_step)] >= op_recs.size()) continue;  // no op reads it
    weights.resize(static_cast<size_t>(AlignUp(weights.size(), TGRS_SECTION_ALIGN)), 0);
    tgrs_weight_seg_rec_t sr{};
    sr.first_op = op_at_step[static_cast<size_t>(ws.first_step)];
    sr.codec = stored.codec;
    sr.pool = sb.pool;
    sr.dst_offset = static_cast<uint32_t>(sb.offset);
    sr.size = static_cast<uint32_t>(ws.bytes);
    sr.margin = static_cast<uint32_t>(stored.margin);
    sr.src_offset = static_cast<uint32_t>(weights.size());
    sr.src_size = static_cast<uint32_t>(stored.bytes.size());
    sr.crc = tgrs_crc32(stored.bytes.data(), sr.src_size);
    sr.last_op = op_at_step[static_cast<size_t>(ws.last_step) + 1] - 1;
    if (sr.last_op < sr.first_op) return Internal("emit: a weight stage has no op records");
    weights.insert(weights.end(), stored.bytes.begin(), stored.bytes.end());
    if (weights.size() > kU32Max) return Unsupported("emit: weights do not fit a plan (4 GiB max)");
    seg_recs.push_back(sr);
  }
  weights.resize(static_cast<size_t>(AlignUp(weights.size(), TGRS_SECTION_ALIGN)), 0);
  std::vector<uint32_t> inputs, outputs;
  for (ir::TensorId t : g.inputs) inputs.push_back(plan_id[static_cast<size_t>(t)]);
  for (ir::TensorId t : g.outputs) outputs.push_back(plan_id[static_cast<size_t>(t)]);

  // Layout: header, then each section at the next 16-byte boundary.
  tgrs_plan_header_t h{};
  uint64_t cursor = sizeof(tgrs_plan_header_t);
  auto place = [&](uint64_t bytes) {
    cursor = AlignUp(cursor, TGRS_SECTION_ALIGN);
    const uint64_t off = cursor;
    cursor += bytes;
    return off;
  };
  const uint64_t tensors_off = place(tensor_recs.size() * sizeof(tgrs_tensor_rec_t));
  const uint64_t ops_off = place(op_recs.size() * sizeof(tgrs_op_rec_t));
  const uint64_t loops_off = place(loop_recs.size() * sizeof(tgrs_loop_rec_t));
  const uint64_t stages_off = place(stage_recs.size() * sizeof(tgrs_stage_rec_t));
  const uint64_t inputs_off = place(inputs.size() * 4);
  const uint64_t outputs_off = place(outputs.size() * 4);
  const uint64_t words_off = place(words.size() * 4);
  const uint64_t segments_off = place(seg_recs.size() * sizeof(tgrs_weight_seg_rec_t));
  const uint64_t strings_off = place(strings.bytes().size());
  const uint64_t weights_off = place(weights.size());  // last: a streamed runtime loads only the head
  const uint64_t total = AlignUp(cursor, TGRS_SECTION_ALIGN);
  if (total > kU32Max) return Unsupported("emit: the plan would be larger than 4 GiB");

  h.magic = TGRS_MAGIC;
  h.version_major = TGRS_FORMAT_MAJOR;
  h.version_minor = TGRS_FORMAT_MINOR;
  h.total_size = static_cast<uint32_t>(total);
  h.flags = options.xip ? TGRS_FLAG_XIP : 0u;
  h.n_pools = static_cast<uint32_t>(plan.pool_size.size());
  for (size_t p = 0; p < plan.pool_size.size(); ++p) h.pool_size[p] = static_cast<uint32_t>(plan.pool_size[p]);
  h.n_tensors = static_cast<uint32_t>(tensor_recs.size());
  h.tensors_off = static_cast<uint32_t>(tensors_off);
  h.n_ops = static_cast<uint32_t>(op_recs.size());
  h.ops_off = static_cast<uint32_t>(ops_off);
  h.n_inputs = static_cast<uint32_t>(inputs.size());
  h.inputs_off = static_cast<uint32_t>(inputs_off);
  h.n_outputs = static_cast<uint32_t>(outputs.size());
  h.outputs_off = static_cast<uint32_t>(outputs_off);
  h.n_words = static_cast<uint32_t>(words.size());
  h.words_off = static_cast<uint32_t>(words_off);
  h.weights_size = static_cast<uint32_t>(weights.size());
  h.weights_off = static_cast<uint32_t>(weights_off);
  h.n_loops = static_cast<uint32_t>(loop_recs.size());
  h.loops_off = static_cast<uint32_t>(loops_off);
  h.n_stages = static_cast<uint32_t>(stage_recs.size());
  h.stages_off = static_cast<uint32_t>(stages_off);
  h.strings_size = static_cast<uint32_t>(strings.bytes().size());
  h.strings_off = static_cast<uint32_t>(strings_off);
  h.n_segments = static_cast<uint32_t>(seg_recs.size());
  h.segments_off = static_cast<uint32_t>(segments_off);

  std::vector<uint8_t> blob(static_cast<size_t>(total), 0);
  auto copy = [&](uint64_t off, const void* src, size_t bytes) {
    if (bytes > 0) std::memcpy(blob.data() + off, src, bytes);
  };
  copy(tensors_off, tensor_recs.data(), tensor_recs.size() * sizeof(tgrs_tensor_rec_t));
  copy(ops_off, op_recs.data(), op_recs.size() * sizeof(tgrs_op_rec_t));
  copy(loops_off, loop_recs.data(), loop_recs.size() * sizeof(tgrs_loop_rec_t));
  copy(stages_off, stage_recs.data(), stage_recs.size() * sizeof(tgrs_stage_rec_t));
  copy(inputs_off, inputs.data(), inputs.size() * 4);
  copy(outputs_off, outputs.data(), outputs.size() * 4);
  copy(words_off, words.data(), words.size() * 4);
  copy(segments_off, seg_recs.data(), seg_recs.size() * sizeof(tgrs_weight_seg_rec_t));
  copy(weights_off, weights.data(), weights.size());
  copy(strings_off, strings.bytes().data(), strings.bytes().size());
  h.weights_checksum = tgrs_crc32(blob.data() + weights_off, h.weights_size);
  Put(blob, 0, h);
  h.checksum = tgrs_crc32(blob.data() + 16, h.weights_off - 16);
  Put(blob, 0, h);

  // The runtime's own validation: a plan WritePlan returns is one the device accepts (a
  // streamed plan: its head, as a device holds it).
  tgrs_plan_t loaded;
  const tgrs_status_t st = tgrs_plan_load(&loaded, blob.data(), options.xip ? blob.size() : h.weights_off);
  if (st != TGRS_OK) {
    std::string where;
    if (loaded.failed_op >= 0 && static_cast<size_t>(loaded.failed_op) < op_recs.size()) {
      const uint32_t name = op_recs[static_cast<size_t>(loaded.failed_op)].name;
      where = " at op " + std::to_string(loaded.failed_op) +
              (name != TGRS_NO_NAME ? " '" + std::string(reinterpret_cast<const char*>(strings.bytes().data()) + name) + "'" : "");
    }
    std::string detail;
    if (loaded.failed_op >= 0 && static_cast<size_t>(loaded.failed_op) < op_recs.size()) {
      const tgrs_op_rec_t& op = op_recs[static_cast<size_t>(loaded.failed_op)];
      for (uint32_t k = 0; k < static_cast<uint32_t>(op.n_inputs) + op.n_outputs; ++k) {
        const uint32_t id = words[op.io_off + k];
        if (id == TGRS_NO_TENSOR) continue;
        const tgrs_tensor_rec_t& r = tensor_recs[id];
        detail += k < op.n_inputs ? "; in " : "; out ";
        for (int d = 0; d < r.rank; ++d) detail += (d ? "x" : "") + std::to_string(r.dims[d]);
        detail += " strides";
        for (int d = 0; d < r.rank; ++d) detail += " " + std::to_string(r.strides[d]);
        detail += " pool " + std::to_string(r.pool) + " @" + std::to_string(r.offset) + "+" + std::to_string(r.size);
      }
      detail += "; params";
      for (uint32_t w = 0; w < op.params_size / 4; ++w) detail += " " + std::to_string(static_cast<int32_t>(words[op.params_off + w]));
    }
    return Internal("emit: the runtime rejects the plan just written (" + std::string(tgrs_status_str(st)) + where + ")" +
                    detail);
  }
  return blob;
}

}  // namespace tigris::emit
