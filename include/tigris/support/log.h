// The compiler's decision log: one named spdlog logger ("tigris") writing to stderr, behind a
// small interface so spdlog stays out of every header; messages are formatted with fmt only
// when their level is enabled. Quiet (warnings only) unless the caller raises the level.
#pragma once

#include <fmt/core.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tigris/support/status.h"

namespace tigris::log {

enum class Level { kTrace = 0, kDebug, kInfo, kWarn, kError, kOff };

void SetLevel(Level level);
Level GetLevel();
inline bool Enabled(Level level) { return level >= GetLevel() && level != Level::kOff; }
// Writes one line at `level` (or into the innermost active Capture).
void Write(Level level, std::string_view message);
// "trace", "debug", "info", "warn", "error", "off".
[[nodiscard]] Expected<Level> ParseLevel(const std::string& name);

// While alive, log lines on this thread go into the capture instead of stderr, so a search can
// keep the lines of the attempt it chose and drop the others. Captures nest.
class Capture {
 public:
  Capture();
  ~Capture();
  Capture(const Capture&) = delete;
  Capture& operator=(const Capture&) = delete;
  // Stops capturing; the lines so far.
  std::vector<std::pair<Level, std::string>> Take();
  void Add(Level level, std::string message) { lines_.emplace_back(level, std::move(message)); }

 private:
  std::vector<std::pair<Level, std::string>> lines_;
  bool active_ = true;
};
// Writes captured lines as if they were logged now (into an outer capture if there is one).
void Replay(const std::vector<std::pair<Level, std::string>>& lines);

}  // namespace tigris::log

// TIGRIS_LOG_INFO("schedule: peak {}", bytes): formats only when the level is enabled.
#define TIGRIS_LOG(level, ...)                                                          \
  do {                                                                                  \
    if (::tigris::log::Enabled(level)) ::tigris::log::Write(level, fmt::format(__VA_ARGS__)); \
  } while (0)
#define TIGRIS_LOG_TRACE(...) TIGRIS_LOG(::tigris::log::Level::kTrace, __VA_ARGS__)
#define TIGRIS_LOG_DEBUG(...) TIGRIS_LOG(::tigris::log::Level::kDebug, __VA_ARGS__)
#define TIGRIS_LOG_INFO(...) TIGRIS_LOG(::tigris::log::Level::kInfo, __VA_ARGS__)
#define TIGRIS_LOG_WARN(...) TIGRIS_LOG(::tigris::log::Level::kWarn, __VA_ARGS__)
