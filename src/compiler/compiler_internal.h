// Private to the compiler library: how every JSON document the CLI prints is written (key
// order as set, 2-space indent, invalid UTF-8 in names replaced instead of throwing), and
// loading a plan with the C99 runtime's loader from an aligned copy.
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tigris/runtime/tigris_runtime.h"
#include "tigris/support/status.h"
#include "tigris/tigris.h"

namespace tigris::detail {

using Json = nlohmann::ordered_json;

// A JSON document's first keys: "schema_version" (tigris::kJsonSchemaVersion) and "kind".
inline Json JsonDocument(const char* kind) {
  Json j;
  j["schema_version"] = kJsonSchemaVersion;
  j["kind"] = kind;
  return j;
}

inline std::string DumpJson(const Json& j) { return j.dump(2, ' ', false, Json::error_handler_t::replace) + "\n"; }

// Zeroed bytes whose start is 16-byte aligned (what the runtime wants of a blob or an arena).
struct AlignedBuffer {
  std::unique_ptr<uint8_t[]> storage;
  uint8_t* data = nullptr;
  explicit AlignedBuffer(size_t size) : storage(new uint8_t[size + 16]()) {
    auto p = reinterpret_cast<uintptr_t>(storage.get());
    data = storage.get() + ((16 - (p & 15)) & 15);
  }
};

// Copies the plan into `blob` and validates it with tgrs_plan_load. A rejected plan is
// kInvalidModel: "plan rejected by the runtime: <status> [TGRS_ERR_...] (op k)".
// Where a streamed plan's weights come from (compiler.cpp): the plan file or the bytes in memory.
struct WeightSource;
[[nodiscard]] Status LoadPlan(const std::vector<uint8_t>& plan_bytes, AlignedBuffer& blob, tgrs_plan_t& plan,
                              WeightSource* source = nullptr);

}  // namespace tigris::detail
