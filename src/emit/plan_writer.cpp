// WritePlan: lays out a .tgrs v1 blob exactly as tgrs_plan_format.h describes. Every value the
// loader validates is validated here first, so a plan that WritePlan returns loads, and a
// failure names the node or tensor that cannot be represented.
#include "tigris/emit/plan_writer.h"

#include <cstring>
#include <limits>

#include "tigris/emit/op_params.h"
#include "tigris/runtime/tgrs_plan_format.h"

namespace tigris::emit {

namespace {

constexpr uint64_t kU32Max = std::numeric_limits<uint32_t>::max();

uint64_t AlignUp(uint64_t v, uint64_t a) { return (v + a - 1) / a * a; }

std::string NodeLabel(const ir::Node& n) { return "node '" + n.name + "' (" + ir::OpName(n.kind) + ")"; }

class Strings {
 public:
  uint32_t Add(const std::string& s) {
    if (s.empty()) return TGRS_NO_NAME;
    const auto off = static_cast<uint32_t>(bytes_.size());
    bytes_.insert(bytes_.end(), s.begin(), s.end());
    bytes_.push_back(0);
    return off;
  }
  const std::vector<uint8_t>& bytes() const { return bytes_; }

 private:
  std::vector<uint8_t> bytes_;
};

template <typename T>
void Put(std::vector<uint8_t>& blob, uint64_t off, const T& value) {
  std::memcpy(blob.data() + off, &value, sizeof(T));
}

}  // namespace

Expected<std::vector<uint8_t>> WritePlan(const ir::Graph& g, const planner::MemoryPlan& plan,
                                         const EmitOptions& options) {
  TIGRIS_RETURN_IF_ERROR(g.Verify());
  const size_t n_tensors = g.tensors.size();
  if (plan.placement.size() != n_tensors || plan.scratch_offset.size() != plan.order.size() ||
      plan.scratch_size.size() != plan.order.size())
    return Internal("emit: the memory plan was made for a different graph");
  if (plan.pool_size.empty() || plan.pool_size.size() > TGRS_MAX_POOLS)
    return Internal("emit: the memory plan has " + std::to_string(plan.pool_size.size()) + " pools (1..4 allowed)");
  for (uint64_t p : plan.pool_size)
    if (p > kU32Max) return Unsupported("emit: a pool of " + std::to_string(p) + " bytes does not fit a v1 plan");
  if (plan.weights_size > kU32Max) return Unsupported("emit: weights do not fit a v1 plan (4 GiB max)");

  // Tensors the plan references, numbered in IR order.
  std::vector<bool> used(n_tensors, false);
  for (ir::TensorId t : g.inputs) used[static_cast<size_t>(t)] = true;
  for (ir::TensorId t : g.outputs) used[static_cast<size_t>(t)] = true;
  for (ir::NodeId id : plan.order) {
    if (id < 0 || static_cast<size_t>(id) >= g.nodes.size()) return Internal("emit: plan order has a bad node id");
    const ir::Node& n = g.nodes[static_cast<size_t>(id)];
    for (ir::TensorId t : planner::RuntimeInputs(n))
      if (t != ir::kNoTensor) used[static_cast<size_t>(t)] = true;
    for (ir::TensorId t : n.outputs) used[static_cast<size_t>(t)] = true;
  }
  std::vector<uint32_t> plan_id(n_tensors, TGRS_NO_TENSOR);
  std::vector<ir::TensorId> carried;
  for (size_t t = 0; t < n_tensors; ++t)
    if (used[t]) {
      plan_id[t] = static_cast<uint32_t>(carried.size());
      carried.push_back(static_cast<ir::TensorId>(t));
    }

  Strings strings;
  std::vector<tgrs_tensor_rec_t> tensor_recs;
  std::vector<uint8_t> weights(static_cast<size_t>(plan.weights_size), 0);
  for (ir::TensorId t : carried) {
    const ir::Tensor& x = g.tensor(t);
    const planner::TensorPlacement& pl = plan.placement[static_cast<size_t>(t)];
    const std::string label = "emit: tensor '" + x.name + "'";
    if (!pl.allocated) return Internal(label + " has no place in the memory plan");
    TIGRIS_ASSIGN_OR_RETURN(tgrs_tensor_t view, TensorView(x));
    const auto size = static_cast<uint64_t>(x.SizeBytes());
    if (size > kU32Max) return Unsupported(label + " is larger than 4 GiB");
    tgrs_tensor_rec_t r{};
    r.dtype = static_cast<uint8_t>(x.dtype);
    r.rank = static_cast<uint8_t>(view.rank);
    for (int d = 0; d < view.rank; ++d) r.dims[d] = view.dims[d];
    r.size = static_cast<uint32_t>(size);
    if (pl.offset % 4 != 0) return Internal(label + " is placed at a misaligned offset");
    if (pl.pool == planner::kWeightsPool) {
      if (!x.is_constant) return Internal(label + " is not constant but placed in the weights");
      if (pl.offset + size > plan.weights_size) return Internal(label + " lies outside the weights section");
      std::memcpy(weights.data() + pl.offset, x.data.data(), static_cast<size_t>(size));
      r.pool = TGRS_POOL_WEIGHTS;
    } else {
      if (pl.pool >= plan.pool_size.size()) return Internal(label + " is placed in a pool the plan does not have");
      if (pl.offset + size > plan.pool_size[pl.pool]) return Internal(label + " lies outside its pool");
      r.pool = static_cast<uint8_t>(pl.pool);
    }
    r.offset = static_cast<uint32_t>(pl.offset);
    r.name = strings.Add(x.name);
    if (x.quant.scale.size() == 1) {
      r.scale = x.quant.scale[0];
      r.zero_point = x.quant.zero_point.empty() ? 0 : x.quant.zero_point[0];
    }
    tensor_recs.push_back(r);
  }
  for (ir::TensorId t : g.inputs)
    if (plan.placement[static_cast<size_t>(t)].pool == planner::kWeightsPool)
      return Internal("emit: graph input '" + g.tensor(t).name + "' is placed in the weights");

  // Ops: io lists and params records go into the words pool.
  std::vector<uint32_t> words;
  std::vector<tgrs_op_rec_t> op_recs;
  const planner::ScratchQuery need_scratch = KernelScratchQuery();
  for (size_t s = 0; s < plan.order.size(); ++s) {
    const ir::Node& n = g.nodes[static_cast<size_t>(plan.order[s])];
    const std::vector<ir::TensorId> ins = planner::RuntimeInputs(n);
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
    if (plan.scratch_size[s] < scratch)
      return Internal("emit: " + NodeLabel(n) + " needs " + std::to_string(scratch) +
                      " bytes of scratch but the memory plan reserved " + std::to_string(plan.scratch_size[s]) +
                      " (plan memory with emit::KernelScratchQuery())");
    if (plan.scratch_size[s] > 0 &&
        static_cast<uint64_t>(plan.scratch_offset[s]) + plan.scratch_size[s] > plan.pool_size[0])
      return Internal("emit: " + NodeLabel(n) + " scratch lies outside pool 0");
    tgrs_op_rec_t op{};
    op.kind = static_cast<uint16_t>(n.kind);
    op.n_inputs = static_cast<uint8_t>(ins.size());
    op.n_outputs = static_cast<uint8_t>(n.outputs.size());
    op.io_off = static_cast<uint32_t>(words.size());
    for (ir::TensorId t : ins) words.push_back(t == ir::kNoTensor ? TGRS_NO_TENSOR : plan_id[static_cast<size_t>(t)]);
    for (ir::TensorId t : n.outputs) words.push_back(plan_id[static_cast<size_t>(t)]);
    op.params_off = static_cast<uint32_t>(words.size());
    op.params_size = static_cast<uint32_t>(params.size() * 4);
    words.insert(words.end(), params.begin(), params.end());
    op.scratch_offset = plan.scratch_size[s] > 0 ? plan.scratch_offset[s] : 0;
    op.scratch_size = plan.scratch_size[s];
    op.name = strings.Add(n.name);
    op_recs.push_back(op);
    if (words.size() > kU32Max / 4) return Unsupported("emit: the plan's word pool exceeds 4 GiB");
  }
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
  const uint64_t inputs_off = place(inputs.size() * 4);
  const uint64_t outputs_off = place(outputs.size() * 4);
  const uint64_t words_off = place(words.size() * 4);
  const uint64_t weights_off = place(weights.size());
  const uint64_t strings_off = place(strings.bytes().size());
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
  h.strings_size = static_cast<uint32_t>(strings.bytes().size());
  h.strings_off = static_cast<uint32_t>(strings_off);

  std::vector<uint8_t> blob(static_cast<size_t>(total), 0);
  auto copy = [&](uint64_t off, const void* src, size_t bytes) {
    if (bytes > 0) std::memcpy(blob.data() + off, src, bytes);
  };
  copy(tensors_off, tensor_recs.data(), tensor_recs.size() * sizeof(tgrs_tensor_rec_t));
  copy(ops_off, op_recs.data(), op_recs.size() * sizeof(tgrs_op_rec_t));
  copy(inputs_off, inputs.data(), inputs.size() * 4);
  copy(outputs_off, outputs.data(), outputs.size() * 4);
  copy(words_off, words.data(), words.size() * 4);
  copy(weights_off, weights.data(), weights.size());
  copy(strings_off, strings.bytes().data(), strings.bytes().size());
  Put(blob, 0, h);
  h.checksum = tgrs_crc32(blob.data() + 16, h.total_size - 16);
  Put(blob, 0, h);
  return blob;
}

}  // namespace tigris::emit
