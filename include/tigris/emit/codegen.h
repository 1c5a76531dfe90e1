// `tigris codegen`: a .tgrs plan -> one standalone C file and its header. The C file embeds the
// plan as a const, 16-byte aligned byte array in section ".tgrs_plan" (a linker script may put
// it in flash), a resolver table naming only the (op, dtype) kernels the plan uses, and a small
// API: <name>_arena_sizes/_arena_count, <name>_init(arenas, read, user), <name>_run(inputs,
// outputs). It compiles with the runtime and the chosen backend's kernels and nothing else.
// A streamed plan (no TGRS_FLAG_XIP) becomes two arrays: <name>_plan holds only the head
// (<NAME>_PLAN_BYTES = tgrs_plan_head_size) and <name>_weights[<NAME>_WEIGHTS_BYTES] (section
// ".tgrs_weights") the weights section, which the runtime reads only through a tgrs_read_fn:
// <name>_init's `read` (plan-file offsets; `user` passed back), or when NULL the generated
// <name>_read_weights, a bounds-checked memcpy from <name>_weights. Defining
// <NAME>_EXTERNAL_WEIGHTS leaves the array and the default reader out (then `read` is required).
// An XIP plan ignores `read` and `user`; <NAME>_STREAMED says which (docs/target.md).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tigris/support/status.h"

namespace tigris::emit {

struct CodegenOptions {
  std::string backend = "reference";  // reference, or a vendor backend built in (cmsis-nn, esp-nn)
  std::string name;                   // C identifier prefix; empty = "model"
  std::string header_name;            // the #include the .c uses; empty = "<name>.h"
};

struct CodegenOutput {
  std::string source;  // <name>.c
  std::string header;  // <name>.h
  // A vendor backend: per device ISA it has, how many calls of its ops will run reference
  // kernels and why (views not channels-last, scratch not planned for it, ...). Not an error:
  // the plan runs bit-identically either way.
  std::vector<std::string> warnings;
};

// A C identifier from any file stem: [A-Za-z0-9_], other characters become '_', a leading digit
// gets a '_' prefix, empty becomes "model".
std::string SanitizeCIdentifier(const std::string& stem);

// Validates the plan with the runtime's loader first (a plan that does not load is refused with
// its status), then generates both files. A vendor backend's resolver entries name its kernels
// (e.g. TGRS_CMSIS_KERNEL_S8(Conv)) for the (op, int8) pairs whose calls it takes on some ISA, the
// reference ones for the rest. Fails with kUnsupported for a known backend this tigris was built
// without and kInvalidArgument for an unknown one or a bad name.
[[nodiscard]] Expected<CodegenOutput> GenerateC(const std::vector<uint8_t>& plan, const CodegenOptions& options);

}  // namespace tigris::emit
