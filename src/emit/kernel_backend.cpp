// The registry of vendor backends built into this tigris, and backend lookup by name and ISA.
#include "tigris/emit/kernel_backend.h"

#include <cstring>

#include "tigris/ir/graph.h"
#include "tigris/runtime/tigris_runtime.h"

extern "C" {
#ifdef TIGRIS_HAVE_CMSIS_NN
extern const tgrs_vendor_backend_t tgrs_vendor_cmsis_nn;
#endif
#ifdef TIGRIS_HAVE_ESP_NN
extern const tgrs_vendor_backend_t tgrs_vendor_esp_nn;
#endif
}

namespace tigris::emit {
namespace {
struct Known {
  const char* name;
  const char* option;  // the CMake option that builds it
};
constexpr Known kKnown[] = {{"cmsis-nn", "TIGRIS_CMSIS_NN_DIR"}, {"esp-nn", "TIGRIS_ESP_NN_DIR"}};
}  // namespace

const std::vector<const tgrs_vendor_backend_t*>& VendorBackends() {
  static const std::vector<const tgrs_vendor_backend_t*> kBuilt = {
#ifdef TIGRIS_HAVE_CMSIS_NN
      &tgrs_vendor_cmsis_nn,
#endif
#ifdef TIGRIS_HAVE_ESP_NN
      &tgrs_vendor_esp_nn,
#endif
  };
  return kBuilt;
}

Expected<KernelBackend> KernelBackendByName(const std::string& name, const std::string& isa) {
  KernelBackend b;
  b.name = name;
  const int32_t code = tgrs_isa_from_name(isa.c_str());
  if (code < 0) return InvalidArgument("unknown isa '" + isa + "' (portable, dsp, mve, esp32s3)");
  b.isa = code;
  if (name == "reference") return b;
  for (const tgrs_vendor_backend_t* v : VendorBackends()) {
    if (name != v->name) continue;
    if ((v->isas & (1u << static_cast<uint32_t>(code))) == 0) {
      std::string have;
      for (int32_t i = 0; i < TGRS_ISA_COUNT_; ++i)
        if (v->isas & (1u << static_cast<uint32_t>(i))) have += std::string(have.empty() ? "" : ", ") + tgrs_isa_name(i);
      return InvalidArgument("backend '" + name + "' has no kernels for isa '" + isa + "' (it has: " + have +
                             "; pick a --target with one of them)");
    }
    b.vendor = v;
    return b;
  }
  for (const Known& k : kKnown)
    if (name == k.name)
      return Unsupported("backend '" + name + "' is not built into this tigris (configure with -D" + k.option +
                         "=<checkout>)");
  return InvalidArgument("unknown backend '" + name + "' (reference, cmsis-nn, esp-nn)");
}

const char* VendorRejects(const KernelBackend& b, uint32_t kind, uint32_t dtype, const tgrs_kernel_call_t& call,
                          bool views) {
  if (b.vendor == nullptr) return nullptr;
  const tgrs_kernel_t* k = tgrs_backend_kernel(b.vendor->table, kind, dtype);
  if (k == nullptr || k->run == nullptr) return "no vendor kernel for this op";
  return b.vendor->rejects(kind, dtype, &call, b.isa, views ? 1 : 0);
}

}  // namespace tigris::emit

namespace tigris::emit {

Expected<VendorCoverage> CoverageOf(const std::vector<uint8_t>& plan_bytes, const KernelBackend& b) {
  VendorCoverage cov;
  if (b.vendor == nullptr) return cov;
  std::vector<uint32_t> aligned((plan_bytes.size() + 3) / 4);
  if (!plan_bytes.empty()) std::memcpy(aligned.data(), plan_bytes.data(), plan_bytes.size());
  tgrs_plan_t p;
  if (tgrs_plan_load(&p, aligned.data(), plan_bytes.size()) != TGRS_OK) return Internal("coverage: the plan does not load");
  std::vector<uint32_t> repeats(p.hdr->n_ops, 1);
  for (uint32_t l = 0; l < p.hdr->n_loops; ++l)
    for (uint32_t j = 0; j < p.loops[l].n_ops; ++j) repeats[p.loops[l].first_op + j] = p.loops[l].count;
  auto view = [&](uint32_t id) {
    tgrs_tensor_t v{};
    if (id == TGRS_NO_TENSOR) return v;
    const tgrs_tensor_rec_t& r = p.tensors[id];
    v.dtype = r.dtype;
    v.rank = r.rank;
    for (int32_t d = 0; d < v.rank; ++d) {
      v.dims[d] = r.dims[d];
      v.strides[d] = r.strides[d];
    }
    return v;
  };
  for (uint32_t i = 0; i < p.hdr->n_ops; ++i) {
    const tgrs_op_rec_t& op = p.ops[i];
    const tgrs_kernel_t* k = tgrs_backend_kernel(b.vendor->table, op.kind, op.dtype);
    if (k == nullptr || k->run == nullptr) continue;  // the backend does not implement the op
    const uint32_t* io = p.words + op.io_off;
    std::vector<tgrs_tensor_t> ins, outs;
    for (uint32_t j = 0; j < op.n_inputs; ++j) ins.push_back(view(io[j]));
    for (uint32_t j = 0; j < op.n_outputs; ++j) outs.push_back(view(io[op.n_inputs + j]));
    tgrs_kernel_call_t call{};
    call.inputs = ins.data();
    call.n_inputs = static_cast<int32_t>(ins.size());
    call.outputs = outs.data();
    call.n_outputs = static_cast<int32_t>(outs.size());
    call.params = op.params_size > 0 ? p.words + op.params_off : nullptr;
    call.params_size = op.params_size;
    call.scratch_size = op.scratch_size;
    const char* why = b.vendor->rejects(op.kind, op.dtype, &call, b.isa, 1);
    if (why == nullptr && b.vendor->scratch(op.kind, op.dtype, &call, b.isa) > op.scratch_size)
      why = "scratch not planned for this backend";
    if (why == nullptr) {
      cov.vendor_calls += repeats[i];
      cov.vendor_kinds.insert(op.kind);
    } else {
      cov.fallback_calls += repeats[i];
      cov.reasons[std::string(ir::OpName(static_cast<ir::OpKind>(op.kind))) + ": " + why] += repeats[i];
    }
  }
  return cov;
}

}  // namespace tigris::emit
