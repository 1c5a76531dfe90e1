// Progress (support/progress.h): "\r<what>: <status>" redrawn on a terminal's stderr.
#include "tigris/support/progress.h"

#include <fmt/core.h>
#include <unistd.h>

#include <cstdio>

#include "tigris/support/log.h"

namespace tigris {

Progress::Progress(std::string what) : what_(std::move(what)) {
  active_ = isatty(fileno(stderr)) != 0 && !log::Enabled(log::Level::kInfo);
}

Progress::~Progress() {
  if (drawn_) fmt::print(stderr, "\r\x1b[K");
  std::fflush(stderr);
}

void Progress::Update(std::string_view status) {
  if (!active_) return;
  fmt::print(stderr, "\r\x1b[K{}: {}", what_, status);
  std::fflush(stderr);
  drawn_ = true;
}

}  // namespace tigris
