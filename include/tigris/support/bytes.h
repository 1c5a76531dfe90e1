// Byte counts as people read them in diagnostics and reports: "256.00 KiB", "4.59 MiB" (binary
// units, two decimals), and "31.25 KiB" always in KiB where a message compares against a budget.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

namespace tigris {

inline std::string HumanBytes(uint64_t b) {
  char buf[64];
  if (b >= (uint64_t{1} << 20))
    std::snprintf(buf, sizeof buf, "%.2f MiB", static_cast<double>(b) / (1 << 20));
  else
    std::snprintf(buf, sizeof buf, "%.2f KiB", static_cast<double>(b) / 1024);
  return buf;
}

inline std::string KibBytes(uint64_t b) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.2f KiB", static_cast<double>(b) / 1024.0);
  return buf;
}

}  // namespace tigris
