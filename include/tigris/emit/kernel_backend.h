// The kernel backend a plan is compiled for (--backend): the reference kernels, or a vendor
// backend built into this tigris (tgrs_vendor_backend_t, backend_vendor.h) at a target ISA. The
// planner sizes scratch with it and the report says which calls its kernels take.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "tigris/kernels/backend_vendor.h"
#include "tigris/support/status.h"

namespace tigris::emit {

struct KernelBackend {
  std::string name = "reference";
  const tgrs_vendor_backend_t* vendor = nullptr;  // NULL: the reference kernels
  int32_t isa = TGRS_ISA_PORTABLE;                // what `vendor` is sized for
};

// Every vendor backend compiled into this binary (CMSIS-NN with TIGRIS_CMSIS_NN_DIR, ...).
const std::vector<const tgrs_vendor_backend_t*>& VendorBackends();

// "reference", or a vendor backend by name for `isa` (tgrs_isa_name). kInvalidArgument for an
// unknown name or an ISA the backend has no kernels for, kUnsupported for a known backend this
// tigris was built without (naming the CMake option that adds it).
[[nodiscard]] Expected<KernelBackend> KernelBackendByName(const std::string& name, const std::string& isa);

// NULL when `b`'s vendor kernel takes the call (views judged when `views`), else why not; also
// "no <backend> kernel" for an (op, dtype) the backend does not implement. Reference: NULL.
const char* VendorRejects(const KernelBackend& b, uint32_t kind, uint32_t dtype, const tgrs_kernel_call_t& call,
                          bool views);

// What a written plan's calls do on `b` (loop repeats counted): the int8 calls of ops the backend
// implements that its kernels take (with the plan's strides and the scratch it reserved), and
// the others by "<Op>: <reason>". All zero for the reference backend.
struct VendorCoverage {
  uint64_t vendor_calls = 0;
  uint64_t fallback_calls = 0;
  std::map<std::string, uint64_t> reasons;
  std::set<uint32_t> vendor_kinds;  // op codes with at least one vendor call
};
[[nodiscard]] Expected<VendorCoverage> CoverageOf(const std::vector<uint8_t>& plan, const KernelBackend& b);

}  // namespace tigris::emit
