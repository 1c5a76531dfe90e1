// Byte counts as people read them in diagnostics and reports: "256.00 KiB", "4.59 MiB" (binary
// units, two decimals), and "31.25 KiB" always in KiB where a message compares against a budget.
#pragma once

#include <cstdint>
#include <string>

namespace tigris {

std::string HumanBytes(uint64_t bytes);
std::string KibBytes(uint64_t bytes);

}  // namespace tigris
