// Canonical IR attributes -> the tgrs_*_params_t record a node's kernel receives, as the u32
// words the plan stores. Every attribute is range-checked; failures name the node and op.
#pragma once

#include <cstdint>
#include <vector>

#include "tigris/emit/kernel_backend.h"
#include "tigris/ir/graph.h"
#include "tigris/kernels/tgrs_types.h"
#include "tigris/planner/memory_plan.h"
#include "tigris/support/status.h"

namespace tigris::emit {

// The node's params record, encoded as little-endian 32-bit words (the struct's bytes).
[[nodiscard]] Expected<std::vector<uint32_t>> EncodeParams(const ir::Graph& g, const ir::Node& node);

// The kernel-facing view of an IR tensor (data = NULL); fails when the shape does not fit a plan
// (rank > TGRS_MAX_RANK, a dim of 0 or above INT32_MAX).
[[nodiscard]] Expected<tgrs_tensor_t> TensorView(const ir::Tensor& t);

// A planner::ScratchQuery over the node's encoded params and tensor shapes: the reference kernel's
// scratch(), or, for a call `backend`'s vendor kernel may take on its ISA, the larger of that and
// the vendor's scratch. Pass it in PlanOptions::scratch.
planner::ScratchQuery KernelScratchQuery(const KernelBackend& backend = KernelBackend{});

}  // namespace tigris::emit
