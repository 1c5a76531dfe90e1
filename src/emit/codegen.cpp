// `tigris codegen`: a validated .tgrs plan -> <name>.c + <name>.h for a firmware build. The C
// file holds the plan bytes, the resolver table (only the plan's (op, dtype) kernels, from
// backend_reference.h) and the <name>_init/_run wrappers over the runtime; nothing is decided
// here that the plan does not already say.
#include "tigris/emit/codegen.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <map>
#include <set>
#include <sstream>

#include "tigris/emit/kernel_backend.h"
#include "tigris/kernels/tgrs_types.h"
#include "tigris/runtime/tigris_runtime.h"

namespace tigris::emit {
namespace {

const char* OpName(uint32_t code) {
  switch (code) {
#define TIGRIS_OP(name, onnx, c) \
  case c:                        \
    return #name;
#include "tigris/ops.def"
#undef TIGRIS_OP
    default:
      return nullptr;
  }
}

bool HasS8Row(const std::string& name) {
  static const std::set<std::string> kRows = {
#define TIGRIS_OP_S8(name, params, kernel) #name,
#include "tigris/ops_s8.def"
#undef TIGRIS_OP_S8
  };
  return kRows.count(name) > 0;
}

std::string Upper(const std::string& s) {
  std::string u = s;
  std::transform(u.begin(), u.end(), u.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return u;
}

// Params words invoke must be able to patch: the largest record of a loop op whose params move.
uint32_t PatchedParamWords(const tgrs_plan_t& p) {
  uint32_t most = 0;
  for (uint32_t l = 0; l < p.hdr->n_loops; ++l) {
    const tgrs_loop_rec_t& lr = p.loops[l];
    const int32_t* delta = reinterpret_cast<const int32_t*>(p.words + lr.deltas_off);
    for (uint32_t j = 0; j < lr.n_ops; ++j) {
      const tgrs_op_rec_t& op = p.ops[lr.first_op + j];
      const uint32_t n_io = static_cast<uint32_t>(op.n_inputs) + op.n_outputs, n_params = op.params_size / 4u;
      for (uint32_t w = 0; w < n_params; ++w)
        if (delta[n_io + w] != 0) most = std::max(most, n_params);
      delta += n_io + n_params;
    }
  }
  return most;
}

void AppendBytes(std::string& out, const uint8_t* data, size_t size) {
  char buf[8];
  out.reserve(out.size() + size * 4 + size / 24 * 3);
  for (size_t i = 0; i < size; ++i) {
    if (i % 24 == 0) out += "\n   ";
    const int n = std::snprintf(buf, sizeof buf, " %u,", static_cast<unsigned>(data[i]));
    out.append(buf, static_cast<size_t>(n));
  }
  out += "\n";
}

}  // namespace

std::string SanitizeCIdentifier(const std::string& stem) {
  std::string id;
  for (unsigned char c : stem) id += (std::isalnum(c) || c == '_') ? static_cast<char>(c) : '_';
  if (id.empty()) return "model";
  if (std::isdigit(static_cast<unsigned char>(id[0]))) id = "_" + id;
  return id;
}

Expected<CodegenOutput> GenerateC(const std::vector<uint8_t>& plan_bytes, const CodegenOptions& options) {
  // The backend: the reference kernels, or a vendor backend built into this tigris.
  TIGRIS_ASSIGN_OR_RETURN(KernelBackend backend, KernelBackendByName(options.backend, "portable"));
  const std::string name = options.name.empty() ? "model" : options.name;
  if (SanitizeCIdentifier(name) != name) return InvalidArgument("--name '" + name + "' is not a C identifier");
  const std::string up = Upper(name);
  const std::string header_name = options.header_name.empty() ? name + ".h" : options.header_name;

  // The runtime wants a 4-byte aligned blob; load it exactly as the device will.
  std::vector<uint32_t> aligned((plan_bytes.size() + 3) / 4);
  if (!plan_bytes.empty()) std::memcpy(aligned.data(), plan_bytes.data(), plan_bytes.size());
  tgrs_plan_t p;
  const tgrs_status_t st = tgrs_plan_load(&p, aligned.data(), plan_bytes.size());
  if (st != TGRS_OK)
    return InvalidArgument(std::string("the plan does not load: ") + tgrs_status_str(st) +
                           (p.failed_op >= 0 ? " (op " + std::to_string(p.failed_op) + ")" : ""));

  // The resolver: each (op, dtype) the plan runs, by code.
  std::map<uint32_t, std::string> f32_rows, s8_rows;
  uint32_t max_in = 1, max_out = 1;
  for (uint32_t i = 0; i < p.hdr->n_ops; ++i) {
    const tgrs_op_rec_t& op = p.ops[i];
    const char* row = OpName(op.kind);
    if (row == nullptr) return Internal("op " + std::to_string(i) + ": code " + std::to_string(op.kind) + " has no row");
    if (op.dtype == TGRS_DTYPE_I8) {
      if (!HasS8Row(row)) return Internal(std::string("op ") + row + ": no int8 row");
      s8_rows[op.kind] = row;
    } else {
      f32_rows[op.kind] = row;
    }
    max_in = std::max<uint32_t>(max_in, op.n_inputs);
    max_out = std::max<uint32_t>(max_out, op.n_outputs);
  }
  const uint32_t param_words = PatchedParamWords(p);
  uint32_t max_rank = 1;
  for (uint32_t t = 0; t < p.hdr->n_tensors; ++t) max_rank = std::max<uint32_t>(max_rank, p.tensors[t].rank);

  // A vendor backend's entries for the (op, int8) pairs whose calls it takes on some ISA it has;
  // for each device ISA, a warning when calls will run reference kernels, and why.
  CodegenOutput out;
  std::set<uint32_t> vendor_kinds;
  if (backend.vendor != nullptr) {
    for (int32_t isa = 0; isa < TGRS_ISA_COUNT_; ++isa) {
      if (isa == TGRS_ISA_PORTABLE || (backend.vendor->isas & (1u << static_cast<uint32_t>(isa))) == 0) continue;
      KernelBackend at = backend;
      at.isa = isa;
      TIGRIS_ASSIGN_OR_RETURN(const VendorCoverage cov, CoverageOf(plan_bytes, at));
      vendor_kinds.insert(cov.vendor_kinds.begin(), cov.vendor_kinds.end());
      if (cov.fallback_calls == 0) continue;
      std::string why;
      for (const auto& [reason, n] : cov.reasons) why += (why.empty() ? "" : ", ") + std::to_string(n) + " x " + reason;
      out.warnings.push_back(backend.name + " (" + tgrs_isa_name(isa) + "): " + std::to_string(cov.fallback_calls) +
                             " of " + std::to_string(cov.fallback_calls + cov.vendor_calls) +
                             " calls of its ops run reference kernels: " + why);
    }
  }
  auto s8_entry = [&](uint32_t code, const std::string& row) {
    if (vendor_kinds.count(code)) return std::string(backend.vendor->entry_macro) + "(" + row + ")";
    return "TGRS_REF_KERNEL_S8(" + row + ")";
  };

  struct Io {
    uint32_t bytes;
    std::string name;
  };
  auto io_of = [&](bool outputs) -> Expected<std::vector<Io>> {
    std::vector<Io> v;
    const uint32_t n = outputs ? tgrs_plan_output_count(&p) : tgrs_plan_input_count(&p);
    for (uint32_t k = 0; k < n; ++k) {
      tgrs_tensor_t t;
      if ((outputs ? tgrs_plan_output(&p, k, &t) : tgrs_plan_input(&p, k, &t)) != TGRS_OK)
        return Internal("plan input/output view");
      if (!tgrs_tensor_is_dense(&t))
        return Unsupported(std::string(outputs ? "output " : "input ") + std::to_string(k) + " is not dense");
      int64_t count = 1;
      for (int32_t d = 0; d < t.rank; ++d) count *= t.dims[d];
      v.push_back({static_cast<uint32_t>(count * tgrs_dtype_size(t.dtype)),
                   outputs ? tgrs_plan_output_name(&p, k) : tgrs_plan_input_name(&p, k)});
    }
    return v;
  };
  TIGRIS_ASSIGN_OR_RETURN(auto inputs, io_of(false));
  TIGRIS_ASSIGN_OR_RETURN(auto outputs, io_of(true));
  const uint32_t n_pools = tgrs_plan_pool_count(&p);
  // A streamed plan (no TGRS_FLAG_XIP) is two arrays: the head the runtime loads, and the weights
  // it never addresses, served by a reader (the default one memcpy's from <name>_weights).
  const bool streamed = tgrs_plan_is_streamed(&p) != 0;
  const size_t head_bytes = streamed ? p.hdr->weights_off : plan_bytes.size();
  const size_t weight_bytes = plan_bytes.size() - head_bytes;

  std::ostringstream h;
  h << "/* " << header_name << ": generated by `tigris codegen --backend " << backend.name << "`; do not edit.\n"
    << " * The plan " << name << " as a C API over the TiGrIS runtime: size the arenas from\n"
    << " * " << name << "_arena_sizes, call " << name << "_init once, then " << name << "_run per inference.\n"
    << " * Build the runtime with -DTGRS_RT_MAX_OP_INPUTS=" << up << "_MAX_OP_INPUTS (and the two below),\n"
    << " * and runtime and kernels with -DTGRS_VIEW_MAX_RANK=" << up << "_MAX_RANK, to bound its stack to this plan. */\n"
    << "#ifndef " << up << "_H\n#define " << up << "_H\n\n#include <stdint.h>\n\n"
    << "#include \"tigris/runtime/tigris_runtime.h\"\n\n#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n"
    << "#define " << up << "_ARENA_COUNT " << n_pools << "u\n";
  for (uint32_t k = 0; k < n_pools; ++k)
    h << "#define " << up << "_ARENA_SIZE_" << k << " " << tgrs_plan_pool_size(&p, k) << "u\n";
  h << "#define " << up << "_INPUT_COUNT " << inputs.size() << "u\n";
  for (size_t k = 0; k < inputs.size(); ++k)
    h << "#define " << up << "_INPUT_BYTES_" << k << " " << inputs[k].bytes << "u /* " << inputs[k].name << " */\n";
  h << "#define " << up << "_OUTPUT_COUNT " << outputs.size() << "u\n";
  for (size_t k = 0; k < outputs.size(); ++k)
    h << "#define " << up << "_OUTPUT_BYTES_" << k << " " << outputs[k].bytes << "u /* " << outputs[k].name << " */\n";
  h << "/* " << (streamed ? "streamed: " + name + "_plan is the head, the weights come through a reader"
                          : std::string("XIP: ") + name + "_plan is the whole plan, weights read in place")
    << " */\n#define " << up << "_STREAMED " << (streamed ? 1 : 0) << "\n"
    << "#define " << up << "_PLAN_BYTES " << head_bytes << "u\n";
  if (streamed) h << "#define " << up << "_WEIGHTS_BYTES " << weight_bytes << "u\n";
  h
    << "/* the most io one op lists and params words one loop op patches (TGRS_RT_MAX_*) */\n"
    << "#define " << up << "_MAX_OP_INPUTS " << max_in << "\n"
    << "#define " << up << "_MAX_OP_OUTPUTS " << max_out << "\n"
    << "#define " << up << "_MAX_PARAM_WORDS " << std::max<uint32_t>(param_words, 1) << "\n"
    << "/* the highest tensor rank (TGRS_VIEW_MAX_RANK, for the runtime and every kernel alike) */\n"
    << "#define " << up << "_MAX_RANK " << max_rank << "\n\n"
    << "extern const uint8_t " << name << "_plan[" << up << "_PLAN_BYTES];\n";
  if (streamed)
    h << "#ifndef " << up << "_EXTERNAL_WEIGHTS\n"
      << "/* The weights section (plan file bytes from " << up << "_PLAN_BYTES on), in section .tgrs_weights;\n"
      << " * the runtime never addresses it: " << name << "_read_weights memcpy's from it. Define\n"
      << " * " << up << "_EXTERNAL_WEIGHTS to leave both out and pass a reader of your own to " << name << "_init. */\n"
      << "extern const uint8_t " << name << "_weights[];\n"
      << "/* The default reader: `size` bytes at plan-file `offset` from " << name << "_weights. */\n"
      << "tgrs_status_t " << name << "_read_weights(void* user, uint32_t offset, void* dst, uint32_t size);\n"
      << "#endif\n";
  h
    << "extern const uint32_t " << name << "_arena_count;\n"
    << "/* bytes arena k must provide (16-byte aligned); arena 0 is the fast pool, the others slow */\n"
    << "extern const uint32_t " << name << "_arena_sizes[" << up << "_ARENA_COUNT];\n"
    << "extern const uint32_t " << name << "_input_bytes[" << up << "_INPUT_COUNT];\n"
    << "extern const uint32_t " << name << "_output_bytes[" << up << "_OUTPUT_COUNT];\n"
    << "/* The resolver: the reference kernels of exactly this plan's (op, dtype) pairs. */\n"
    << "extern const tgrs_backend_t " << name << "_kernels;\n\n"
    << "/* Validates the plan (checksum, every record, every op's check()) and binds the arenas. A\n"
    << " * streamed plan reads its weights through `read` (user passed back; the plan-file offsets of\n"
    << " * tgrs_read_fn), NULL = " << name << "_read_weights; prepare reads and checks every segment once\n"
    << " * and each inference reads them again. An XIP plan ignores both. */\n"
    << "tgrs_status_t " << name << "_init(void* const* arenas, tgrs_read_fn read, void* user);\n"
    << "/* Copies inputs[k] (" << name << "_input_bytes[k] bytes, dense) in, runs every op, copies the\n"
    << " * outputs to outputs[k] (" << name << "_output_bytes[k] bytes). */\n"
    << "tgrs_status_t " << name << "_run(const void* const* inputs, void* const* outputs);\n\n"
    << "#ifdef __cplusplus\n}\n#endif\n#endif\n";

  std::ostringstream c;
  c << "/* " << name << ".c: generated by `tigris codegen --backend " << backend.name << "`; do not edit.\n"
    << " * The plan bytes (section .tgrs_plan, read in place: place it in flash), the resolver table of\n"
    << " * the plan's kernels and the " << name << "_init/_run wrappers. Compile with the TiGrIS runtime\n"
    << " * and kernels; with -ffunction-sections -Wl,--gc-sections only the kernels below are linked. */\n"
    << "#include \"" << header_name << "\"\n\n#include <string.h>\n\n"
    << "#include \"tigris/kernels/backend_reference.h\"\n"
    << (backend.vendor ? std::string("#include \"") + backend.vendor->header + "\"\n" : std::string())
    << "#include \"tigris/runtime/tigris_runtime.h\"\n\n"
    << "#if defined(__GNUC__) && !defined(__APPLE__)\n"
    << "#define " << up << "_PLAN_ATTR __attribute__((section(\".tgrs_plan\"), aligned(16)))\n"
    << "#elif defined(__GNUC__)\n#define " << up << "_PLAN_ATTR __attribute__((aligned(16)))\n"
    << "#else\n#define " << up << "_PLAN_ATTR\n#endif\n\n"
    << "const uint32_t " << name << "_arena_count = " << up << "_ARENA_COUNT;\n"
    << "const uint32_t " << name << "_arena_sizes[" << up << "_ARENA_COUNT] = {";
  for (uint32_t k = 0; k < n_pools; ++k) c << (k ? ", " : "") << up << "_ARENA_SIZE_" << k;
  c << "};\nconst uint32_t " << name << "_input_bytes[" << up << "_INPUT_COUNT] = {";
  for (size_t k = 0; k < inputs.size(); ++k) c << (k ? ", " : "") << up << "_INPUT_BYTES_" << k;
  c << "};\nconst uint32_t " << name << "_output_bytes[" << up << "_OUTPUT_COUNT] = {";
  for (size_t k = 0; k < outputs.size(); ++k) c << (k ? ", " : "") << up << "_OUTPUT_BYTES_" << k;
  c << "};\n\nconst tgrs_backend_t " << name << "_kernels = {\n    \"" << name << ":" << backend.name << "\",\n    {\n";
  for (const auto& [code, row] : f32_rows) c << "        [TGRS_OP_" << row << "] = TGRS_REF_KERNEL_F32(" << row << "),\n";
  c << "    },\n    {\n";
  for (const auto& [code, row] : s8_rows) c << "        [TGRS_OP_" << row << "] = " << s8_entry(code, row) << ",\n";
  c << "    }};\n\nstatic tgrs_plan_t " << name << "_state;\n\n"
    << "tgrs_status_t " << name << "_init(void* const* arenas, tgrs_read_fn read, void* user) {\n"
    << "  size_t sizes[" << up << "_ARENA_COUNT];\n  uint32_t k;\n"
    << "  tgrs_status_t st = tgrs_plan_load_with(&" << name << "_state, " << name << "_plan, sizeof " << name
    << "_plan, &" << name << "_kernels);\n"
    << "  if (st != TGRS_OK) return st;\n";
  if (streamed)
    c << "#ifndef " << up << "_EXTERNAL_WEIGHTS\n  if (read == NULL) read = " << name << "_read_weights;\n#endif\n"
      << "  if (read == NULL) return TGRS_ERR_READ;\n"
      << "  st = tgrs_plan_set_reader(&" << name << "_state, read, user);\n  if (st != TGRS_OK) return st;\n";
  else
    c << "  (void)read;\n  (void)user;\n";
  c
    << "  for (k = 0; k < " << up << "_ARENA_COUNT; ++k) sizes[k] = " << name << "_arena_sizes[k];\n"
    << "  return tgrs_plan_prepare(&" << name << "_state, arenas, sizes, " << up << "_ARENA_COUNT, NULL);\n}\n\n"
    << "#if defined(__GNUC__)\n#define " << up << "_NOINLINE __attribute__((noinline))\n#else\n#define " << up
    << "_NOINLINE\n#endif\n\n"
    << "/* Copies the caller's inputs into the plan (to_plan) or its outputs out; not inlined, so its\n"
    << " * tensor view is off the stack while the plan runs. */\n"
    << "static " << up << "_NOINLINE tgrs_status_t " << name
    << "_copy_io(int to_plan, const void* const* inputs, void* const* outputs) {\n"
    << "  const uint32_t n = to_plan ? " << up << "_INPUT_COUNT : " << up << "_OUTPUT_COUNT;\n"
    << "  tgrs_tensor_t v;\n  uint32_t k;\n"
    << "  for (k = 0; k < n; ++k) {\n"
    << "    const tgrs_status_t st = to_plan ? tgrs_plan_input(&" << name << "_state, k, &v) : tgrs_plan_output(&"
    << name << "_state, k, &v);\n"
    << "    if (st != TGRS_OK) return st;\n"
    << "    if (to_plan)\n      memcpy(v.data, inputs[k], " << name << "_input_bytes[k]);\n"
    << "    else\n      memcpy(outputs[k], v.data, " << name << "_output_bytes[k]);\n  }\n  return TGRS_OK;\n}\n\n"
    << "tgrs_status_t " << name << "_run(const void* const* inputs, void* const* outputs) {\n"
    << "  tgrs_status_t st = " << name << "_copy_io(1, inputs, outputs);\n"
    << "  if (st == TGRS_OK) st = tgrs_plan_invoke(&" << name << "_state);\n"
    << "  if (st == TGRS_OK) st = " << name << "_copy_io(0, inputs, outputs);\n  return st;\n}\n\n"
    << "const uint8_t " << name << "_plan[" << up << "_PLAN_BYTES] " << up << "_PLAN_ATTR = {";
  std::string text = c.str();
  AppendBytes(text, plan_bytes.data(), head_bytes);
  text += "};\n";
  if (streamed) {
    std::ostringstream w;
    w << "\n#ifndef " << up << "_EXTERNAL_WEIGHTS\n"
      << "#if defined(__GNUC__) && !defined(__APPLE__)\n"
      << "#define " << up << "_WEIGHTS_ATTR __attribute__((section(\".tgrs_weights\"), aligned(16)))\n"
      << "#else\n#define " << up << "_WEIGHTS_ATTR " << up << "_PLAN_ATTR\n#endif\n\n"
      << "tgrs_status_t " << name << "_read_weights(void* user, uint32_t offset, void* dst, uint32_t size) {\n"
      << "  (void)user;\n"
      << "  if (offset < " << up << "_PLAN_BYTES || offset - " << up << "_PLAN_BYTES > " << up
      << "_WEIGHTS_BYTES ||\n      size > " << up << "_WEIGHTS_BYTES - (offset - " << up << "_PLAN_BYTES))\n"
      << "    return TGRS_ERR_READ;\n"
      << "  memcpy(dst, " << name << "_weights + (offset - " << up << "_PLAN_BYTES), size);\n  return TGRS_OK;\n}\n\n"
      << "const uint8_t " << name << "_weights[] " << up << "_WEIGHTS_ATTR = {";
    text += w.str();
    if (weight_bytes == 0) text += " 0";  // C has no empty arrays; the reader never reads it
    AppendBytes(text, plan_bytes.data() + head_bytes, weight_bytes);
    text += "};\n#endif\n";
  }
  out.source = std::move(text);
  out.header = h.str();
  return out;
}

}  // namespace tigris::emit
