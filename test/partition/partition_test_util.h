// Shared helpers for the partition tests: where the e2e models are, how to load their inputs,
// and compile/analyze at a list of pools. Header-only; no state beyond the model directory.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "tigris/frontend/onnx_importer.h"
#include "tigris/tigris.h"

namespace tigris::partition_test {

constexpr uint64_t kGiB = uint64_t{1} << 30;
constexpr uint64_t kSlowPool = kGiB;  // "unbounded" slow memory for every partitioned compile

// Directories searched for <model>.onnx, from TIGRIS_PARTITION_MODEL_DIR (':'-separated) or --models.
inline std::string& ModelDir() {
  static std::string dir = [] {
    const char* env = std::getenv("TIGRIS_PARTITION_MODEL_DIR");
    return std::string(env ? env : "");
  }();
  return dir;
}

// The directory of the first list entry holding <model>.onnx (the first entry when none does).
inline std::string DirOf(const std::string& model) {
  const std::string& dirs = ModelDir();
  std::string first;
  for (size_t pos = 0; pos <= dirs.size();) {
    size_t colon = dirs.find(':', pos);
    if (colon == std::string::npos) colon = dirs.size();
    const std::string d = dirs.substr(pos, colon - pos);
    if (first.empty()) first = d;
    if (!d.empty() && std::filesystem::exists(d + "/" + model + ".onnx")) return d;
    pos = colon + 1;
  }
  return first;
}

inline std::string ModelPath(const std::string& model) { return DirOf(model) + "/" + model + ".onnx"; }

// XIP plans: the partition tests hold pool peaks and stage layouts of the tiling alone, without
// the streamed weights' stage buffers (test/e2e/weight_modes.sh covers those).
inline CompileOptions Pools(std::vector<uint64_t> pools) {
  CompileOptions o;
  o.pools = std::move(pools);
  o.xip = true;
  return o;
}

inline uint64_t RoundUp(uint64_t v, uint64_t to) { return (v + to - 1) / to * to; }

// The model's inputs <model>.input_<k>.pb, in plan input order (as many as the plan has).
inline Expected<std::vector<ir::Tensor>> LoadInputs(const std::string& model, const std::vector<uint8_t>& plan) {
  auto described = plan_inputs(plan);
  if (!described) return described.status();
  std::vector<ir::Tensor> inputs;
  for (size_t k = 0; k < described->size(); ++k) {
    const std::string path = DirOf(model) + "/" + model + ".input_" + std::to_string(k) + ".pb";
    auto t = frontend::ReadTensorProtoFile(path);
    if (!t) return t.status();
    inputs.push_back(std::move(*t));
  }
  return inputs;
}

// Reads `--models DIR` from argv (after gtest has removed its flags); the env var is the default.
inline void ParseModelDirFlag(int argc, char** argv) {
  for (int i = 1; i + 1 < argc; ++i)
    if (std::string(argv[i]) == "--models") ModelDir() = argv[i + 1];
}

inline bool ModelsPresent(const std::string& model) {
  return !ModelDir().empty() && std::filesystem::exists(ModelPath(model));
}

}  // namespace tigris::partition_test
