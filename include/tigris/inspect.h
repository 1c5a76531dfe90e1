// Reading a .tgrs plan back (`tigris inspect`): everything comes through the C99 runtime's
// loader and its read-only accessors, so what is shown is what a device would run; a plan the
// loader rejects is an error naming the loader's status. Also the difference of two plans.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tigris/support/status.h"

namespace tigris {

struct PlanTensorInfo {
  std::string name;
  std::string dtype;
  std::vector<int64_t> dims;
  std::vector<int64_t> strides;  // elements per step of each dim (the physical layout, docs/plan_format.md)
  uint32_t pool = 0;  // 0..n_pools-1, or 255 = the weights section
  uint32_t offset = 0;
  uint32_t size = 0;
};

struct PlanOpInfo {
  std::string name;
  std::string op;      // ONNX op type ("Conv"; "Copy" for spill/reload copies)
  std::string kernel;  // kernel table: "float32" or "int8"
  std::vector<int64_t> inputs, outputs;  // tensor ids, -1 = omitted input
  uint32_t scratch_offset = 0, scratch_size = 0;
  int64_t loop = -1;  // the tile loop it belongs to, or -1
};

struct PlanLoopInfo {
  uint32_t first_op = 0, n_ops = 0, count = 0;
};

struct PlanStageInfo {
  uint32_t first_op = 0, n_ops = 0;    // op records
  uint32_t first_step = 0, last_step = 0;  // plan steps (op records and loop records), as analyze counts
  std::string kind;                    // "normal", "tiled", "chain"
  uint32_t compute_ops = 0;
  uint64_t fast_peak = 0, spill_bytes = 0, reload_bytes = 0;
  std::string first_node, last_node;   // first and last model op (not a copy or view)
};

struct PlanInfo {
  uint32_t version_major = 0, version_minor = 0;
  uint64_t total_size = 0;
  uint32_t checksum = 0;
  bool xip = false;
  std::vector<uint64_t> pool_size;   // bytes the caller must provide per pool
  std::vector<uint64_t> high_water;  // bytes the plan's tensors and scratch reach per pool
  std::vector<PlanTensorInfo> tensors;
  std::vector<PlanOpInfo> ops;
  std::vector<PlanLoopInfo> loops;
  std::vector<PlanStageInfo> stages;  // empty for a 3.0 plan
  std::vector<uint32_t> inputs, outputs;  // tensor ids
  uint64_t model_ops = 0;           // sum of the stages' compute_ops
  uint64_t weights_size = 0;        // the weights section
  uint64_t f32_weight_bytes = 0, int8_weight_bytes = 0, quant_table_bytes = 0;
  uint64_t words = 0, strings_size = 0;
};

// Loads `plan` with the runtime's loader; fails (kInvalidModel) with the loader's status.
[[nodiscard]] Expected<PlanInfo> inspect(const std::vector<uint8_t>& plan);
// The plan as text (header, pools, weights, stages, loops, ops with their operands, tensors).
std::string FormatPlanInfo(const PlanInfo& info);
// The same as one JSON object (docs/json_schema.md, kind "inspect").
std::string PlanInfoToJson(const PlanInfo& info);
// What changed from `a` to `b`: one line each (header, pools, weights, stages, ops); empty when
// the plans are the same.
std::vector<std::string> DiffPlans(const PlanInfo& a, const PlanInfo& b);
// The diff as JSON (kind "diff": identical, changes).
std::string PlanDiffToJson(const std::vector<std::string>& changes);

}  // namespace tigris
