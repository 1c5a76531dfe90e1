// HumanBytes / KibBytes (support/bytes.h), formatted with fmt.
#include "tigris/support/bytes.h"

#include <fmt/core.h>

namespace tigris {

std::string HumanBytes(uint64_t b) {
  if (b >= (uint64_t{1} << 20)) return fmt::format("{:.2f} MiB", static_cast<double>(b) / (1 << 20));
  return KibBytes(b);
}

std::string KibBytes(uint64_t b) { return fmt::format("{:.2f} KiB", static_cast<double>(b) / 1024.0); }

}  // namespace tigris
