// Private to the compiler library: how every JSON document the CLI prints is written
// (key order as set, 2-space indent, invalid UTF-8 in names replaced instead of throwing).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace tigris::detail {

using Json = nlohmann::ordered_json;

inline std::string DumpJson(const Json& j) { return j.dump(2, ' ', false, Json::error_handler_t::replace) + "\n"; }

}  // namespace tigris::detail
