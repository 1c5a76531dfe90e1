// Downstream check: compile an ONNX conformance model with tigris::compile(), run the plan with
// tigris::run(), and compare with the conformance data's expected output (rtol 1e-3, atol 1e-7).
// Usage: downstream MODEL_DIR  (an ONNX node test directory)
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "tigris/frontend/onnx_importer.h"
#include "tigris/tigris.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: downstream ONNX_TEST_DIR\n");
    return 2;
  }
  const std::string dir = argv[1];
  tigris::CompileOptions options;
  options.pools = {1u << 20};
  auto plan = tigris::compile(dir + "/model.onnx", options);
  if (!plan) {
    std::fprintf(stderr, "compile failed: %s\n", plan.status().message().c_str());
    return 1;
  }
  std::vector<tigris::ir::Tensor> inputs;
  for (int k = 0;; ++k) {
    const std::string path = dir + "/test_data_set_0/input_" + std::to_string(k) + ".pb";
    if (FILE* f = std::fopen(path.c_str(), "rb")) std::fclose(f);
    else break;
    auto input = tigris::frontend::ReadTensorProtoFile(path);
    if (!input) {
      std::fprintf(stderr, "cannot read %s\n", path.c_str());
      return 1;
    }
    inputs.push_back(std::move(*input));
  }
  auto expected = tigris::frontend::ReadTensorProtoFile(dir + "/test_data_set_0/output_0.pb");
  if (!expected) {
    std::fprintf(stderr, "cannot read the expected output\n");
    return 1;
  }
  auto outputs = tigris::run(plan->bytes, inputs);
  if (!outputs) {
    std::fprintf(stderr, "run failed: %s\n", outputs.status().message().c_str());
    return 1;
  }
  const tigris::ir::Tensor& got = outputs->at(0);
  if (got.shape != expected->shape || got.dtype != expected->dtype) {
    std::fprintf(stderr, "output shape/dtype mismatch\n");
    return 1;
  }
  const float* a = got.DataAs<float>();
  const float* b = expected->DataAs<float>();
  for (int64_t i = 0; i < got.NumElements(); ++i) {
    if (!(std::fabs(a[i] - b[i]) <= 1e-7f + 1e-3f * std::fabs(b[i]))) {
      std::fprintf(stderr, "mismatch at %lld: %g vs %g\n", static_cast<long long>(i), a[i], b[i]);
      return 1;
    }
  }
  std::printf("downstream: tigris %s compiled and ran %s: %lld values match\n", tigris::VersionString(),
              dir.c_str(), static_cast<long long>(got.NumElements()));
  return 0;
}
