// The cost model that chooses among plans for one budget: cycles = MACs * mac + bytes moved to
// or from slow memory * slow_byte + bytes moved inside fast memory * fast_copy_byte + kernel
// calls * call. A target profile holds these per-target constants; `--target` selects one.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tigris/planner/exec_plan.h"
#include "tigris/support/status.h"

namespace tigris::partition {

struct TargetProfile {
  std::string name;
  double mac = 1.0;             // cycles per multiply-accumulate (f32)
  double slow_byte = 6.0;       // cycles per byte copied between fast and slow memory
  double fast_copy_byte = 0.5;  // cycles per byte copied inside fast memory
  double call = 300.0;          // cycles per kernel call (dispatch, views, loop bookkeeping)
  // The instruction set vendor kernels are sized for (tgrs_isa_name: portable, dsp, mve,
  // esp32s3): `--backend` asks the backend's scratch and constraints for this ISA.
  std::string isa = "portable";
};

// esp32s3 (the default: 240 MHz, octal PSRAM; isa esp32s3), cortex-m4 (external SRAM/SDRAM behind
// an FMC; isa dsp), cortex-m55 (Helium, external PSRAM/DDR; isa mve), in that order.
const std::vector<TargetProfile>& TargetProfiles();
// The profile called `name`; kInvalidArgument listing the names otherwise.
[[nodiscard]] Expected<TargetProfile> TargetProfileByName(const std::string& name);

// What a plan does that the cost model charges for.
struct PlanWork {
  uint64_t macs = 0;
  uint64_t slow_bytes = 0;
  uint64_t fast_copy_bytes = 0;
  uint64_t calls = 0;
  double Cycles(const TargetProfile& t) const {
    return static_cast<double>(macs) * t.mac + static_cast<double>(slow_bytes) * t.slow_byte +
           static_cast<double>(fast_copy_bytes) * t.fast_copy_byte + static_cast<double>(calls) * t.call;
  }
};

// The work of a finished plan, counted from its steps (loops times their counts): what runs.
PlanWork PlanWorkOf(const planner::ExecPlan& plan);

}  // namespace tigris::partition
