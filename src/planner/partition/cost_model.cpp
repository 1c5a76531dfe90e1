// Target profiles. The numbers are a model, not a measurement: relative costs that rank plans
// (a PSRAM byte costs about ten times an SRAM byte, a kernel call a few hundred cycles).
#include "tigris/partition/cost_model.h"

namespace tigris::partition {

const std::vector<TargetProfile>& TargetProfiles() {
  static const std::vector<TargetProfile> kProfiles = {
      {"esp32s3", 2.0, 6.0, 0.5, 300.0},
      {"cortex-m4", 2.0, 4.0, 0.5, 150.0},
      {"cortex-m55", 0.5, 4.0, 0.25, 150.0},
  };
  return kProfiles;
}

Expected<TargetProfile> TargetProfileByName(const std::string& name) {
  std::string names;
  for (const TargetProfile& t : TargetProfiles()) {
    if (t.name == name) return t;
    names += (names.empty() ? "" : ", ") + t.name;
  }
  return InvalidArgument("unknown target '" + name + "' (use one of: " + names + ")");
}

}  // namespace tigris::partition
