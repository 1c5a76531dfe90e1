// A one-line progress indicator for long work (budget searches, benchmark sweeps): redrawn in
// place on stderr, and only when stderr is a terminal, so logs, pipes and CI output never see it.
#pragma once

#include <string>
#include <string_view>

namespace tigris {

class Progress {
 public:
  // `what` prefixes every update ("min-budget"). Inactive unless stderr is a terminal and the
  // decision log is quiet (its lines would interleave).
  explicit Progress(std::string what);
  ~Progress();  // erases the line
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  bool active() const { return active_; }
  void Update(std::string_view status);

 private:
  std::string what_;
  bool active_ = false;
  bool drawn_ = false;
};

}  // namespace tigris
