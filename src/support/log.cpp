// The "tigris" spdlog logger behind support/log.h: stderr only (stdout belongs to reports and
// --json), level set once by the caller, captures kept per thread.
#include "tigris/support/log.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <atomic>

namespace tigris::log {

namespace {

std::atomic<Level> g_level{Level::kWarn};
thread_local std::vector<Capture*> t_captures;

spdlog::level::level_enum ToSpd(Level l) {
  switch (l) {
    case Level::kTrace: return spdlog::level::trace;
    case Level::kDebug: return spdlog::level::debug;
    case Level::kInfo: return spdlog::level::info;
    case Level::kWarn: return spdlog::level::warn;
    case Level::kError: return spdlog::level::err;
    case Level::kOff: break;
  }
  return spdlog::level::off;
}

spdlog::logger& Logger() {
  static std::shared_ptr<spdlog::logger> logger = [] {
    auto sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
    auto l = std::make_shared<spdlog::logger>("tigris", sink);
    l->set_pattern("tigris %^%l%$: %v");
    l->set_level(spdlog::level::trace);  // filtering happens in Enabled()
    return l;
  }();
  return *logger;
}

}  // namespace

void SetLevel(Level level) { g_level = level; }
Level GetLevel() { return g_level; }

void Write(Level level, std::string_view message) {
  if (!t_captures.empty()) {
    t_captures.back()->Add(level, std::string(message));
    return;
  }
  Logger().log(ToSpd(level), spdlog::string_view_t(message.data(), message.size()));
}

Expected<Level> ParseLevel(const std::string& name) {
  static const std::pair<const char*, Level> kNames[] = {{"trace", Level::kTrace}, {"debug", Level::kDebug},
                                                         {"info", Level::kInfo},   {"warn", Level::kWarn},
                                                         {"error", Level::kError}, {"off", Level::kOff}};
  for (const auto& [n, l] : kNames)
    if (name == n) return l;
  return InvalidArgument("unknown log level '" + name + "' (use trace, debug, info, warn, error or off)");
}

Capture::Capture() { t_captures.push_back(this); }
Capture::~Capture() { Take(); }

std::vector<std::pair<Level, std::string>> Capture::Take() {
  if (active_) {
    active_ = false;
    // Captures end in reverse order of creation; tolerate an out-of-order end all the same.
    for (auto it = t_captures.end(); it != t_captures.begin();)
      if (*--it == this) {
        t_captures.erase(it);
        break;
      }
  }
  auto out = std::move(lines_);
  lines_.clear();
  return out;
}

void Replay(const std::vector<std::pair<Level, std::string>>& lines) {
  for (const auto& [level, message] : lines)
    if (Enabled(level)) Write(level, message);
}

}  // namespace tigris::log
