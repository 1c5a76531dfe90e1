// The int8 kernels and the host quantization math against an independent numpy/Python model of
// TFLite's integer semantics (gen_s8_model_cases.py, run by the build into the build dir): random
// shapes and params, per-channel and per-tensor requantization, per-channel weight zero points,
// zero points at the uint8-derived extremes, clamps, broadcasting, ceil-mode and
// count_include_pad pools, Sub, Softmax along any axis, and the QuantizeMultiplier / QuantizeAdd /
// QuantizeMul / QuantizeSoftmax / BuildLut* results. Every output must match bit for bit.
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "s8_test_util.h"
#include "tigris/passes/quant_math.h"

using namespace s8test;
namespace tp = tigris::passes;

namespace {

struct ModelTensor {
  Dims dims;
  std::vector<int64_t> values;
};

struct ModelCase {
  std::string kind;
  int index = 0;
  std::map<std::string, int64_t> ints;
  std::map<std::string, double> reals;
  std::map<std::string, std::string> words;
  std::map<std::string, ModelTensor> tensors;

  int32_t I(const std::string& k) const {
    auto it = ints.find(k);
    EXPECT_NE(it, ints.end()) << kind << " " << index << ": no int " << k;
    return it == ints.end() ? 0 : static_cast<int32_t>(it->second);
  }
  double R(const std::string& k) const {
    auto it = reals.find(k);
    EXPECT_NE(it, reals.end()) << kind << " " << index << ": no real " << k;
    return it == reals.end() ? 0.0 : it->second;
  }
  bool Has(const std::string& k) const { return tensors.count(k) != 0; }
  const ModelTensor& T(const std::string& k) const {
    static const ModelTensor kEmpty;
    auto it = tensors.find(k);
    EXPECT_NE(it, tensors.end()) << kind << " " << index << ": no tensor " << k;
    return it == tensors.end() ? kEmpty : it->second;
  }
  std::vector<int8_t> S8(const std::string& k) const {
    const ModelTensor& t = T(k);
    return std::vector<int8_t>(t.values.begin(), t.values.end());
  }
  std::vector<int32_t> S32(const std::string& k) const {
    const ModelTensor& t = T(k);
    return std::vector<int32_t>(t.values.begin(), t.values.end());
  }
  std::string Where() const { return kind + " case " + std::to_string(index); }
};

std::vector<ModelCase> LoadCases() {
  std::vector<ModelCase> cases;
#ifdef TIGRIS_S8_MODEL_CASES
  std::ifstream in(TIGRIS_S8_MODEL_CASES);
  std::string line;
  ModelCase cur;
  while (std::getline(in, line)) {
    std::istringstream ls(line);
    std::string tag, name;
    ls >> tag;
    if (tag == "case") {
      cur = ModelCase{};
      ls >> cur.kind >> cur.index;
    } else if (tag == "end") {
      cases.push_back(cur);
    } else if (tag == "i") {
      int64_t v = 0;
      ls >> name >> v;
      cur.ints[name] = v;
    } else if (tag == "f" || tag == "d") {
      std::string hex;
      ls >> name >> hex;
      cur.reals[name] = std::strtod(hex.c_str(), nullptr);  // hex floats parse exactly
    } else if (tag == "s") {
      std::string w;
      ls >> name >> w;
      cur.words[name] = w;
    } else if (tag == "t") {
      ModelTensor t;
      int rank = 0;
      ls >> name >> rank;
      int64_t count = 1;
      for (int d = 0; d < rank; ++d) {
        int32_t e = 0;
        ls >> e;
        t.dims.push_back(e);
        count *= e;
      }
      t.values.resize(static_cast<size_t>(count));
      for (auto& v : t.values) ls >> v;
      cur.tensors[name] = t;
    }
  }
#endif
  return cases;
}

const std::vector<ModelCase>& Cases() {
  static const std::vector<ModelCase> cases = LoadCases();
  return cases;
}

// Runs `fn` on every case of `kind`; the file must hold at least `min_cases` of them.
template <class Fn>
void ForEach(const std::string& kind, size_t min_cases, Fn fn) {
#ifndef TIGRIS_S8_MODEL_CASES
  GTEST_SKIP() << "no numpy at configure time: the model cases were not generated";
#endif
  size_t n = 0;
  for (const ModelCase& c : Cases()) {
    if (c.kind != kind) continue;
    ++n;
    SCOPED_TRACE(c.Where());
    fn(c);
    if (testing::Test::HasFatalFailure()) return;
  }
  testing::Test::RecordProperty("cases", static_cast<int>(n));
  EXPECT_GE(n, min_cases) << "model file " << kind << " cases";
}

void ExpectOut(const ModelCase& c, const std::vector<int8_t>& got) {
  const std::vector<int8_t> want = c.S8("y");
  EXPECT_EQ(got, want) << c.Where() << ": " << FirstDiff(got, want);
}

tgrs_tensor_t OptionalView(const ModelCase& c, const std::string& k, const std::vector<int32_t>& data) {
  return c.Has(k) ? View(data, c.T(k).dims) : Absent();
}

}  // namespace

TEST(ModelS8, ConvMatchesTheNumpyModel) {
  ForEach("conv", 100, [](const ModelCase& c) {
    const std::vector<int8_t> x = c.S8("x"), w = c.S8("w");
    const std::vector<int32_t> rq = c.S32("rq");
    const std::vector<int32_t> bias = c.Has("bias") ? c.S32("bias") : std::vector<int32_t>{};
    const std::vector<int32_t> wzp = c.Has("wzp") ? c.S32("wzp") : std::vector<int32_t>{};
    std::vector<int8_t> y(c.T("y").values.size(), 99);
    tgrs_conv_s8_params_t p{};
    p.kernel_h = c.I("kh");
    p.kernel_w = c.I("kw");
    p.stride_h = c.I("sh");
    p.stride_w = c.I("sw");
    p.dilation_h = c.I("dh");
    p.dilation_w = c.I("dw");
    p.pad_top = c.I("pt");
    p.pad_left = c.I("pl");
    p.pad_bottom = c.I("pb");
    p.pad_right = c.I("pr");
    p.group = c.I("group");
    p.input_zp = c.I("x_zp");
    p.output_zp = c.I("y_zp");
    p.act_min = c.I("act_min");
    p.act_max = c.I("act_max");
    RunKernel(kConv,
        {View(x, c.T("x").dims), View(w, c.T("w").dims), OptionalView(c, "bias", bias), View(rq, c.T("rq").dims),
         OptionalView(c, "wzp", wzp)},
        {View(y, c.T("y").dims)}, p);
    ExpectOut(c, y);
  });
}

TEST(ModelS8, GemmMatchesTheNumpyModel) {
  ForEach("gemm", 50, [](const ModelCase& c) {
    const std::vector<int8_t> a = c.S8("a"), b = c.S8("b");
    const std::vector<int32_t> rq = c.S32("rq");
    const std::vector<int32_t> bias = c.Has("bias") ? c.S32("bias") : std::vector<int32_t>{};
    const std::vector<int32_t> bzp = c.Has("bzp") ? c.S32("bzp") : std::vector<int32_t>{};
    std::vector<int8_t> y(c.T("y").values.size(), 99);
    tgrs_gemm_s8_params_t p{};
    p.trans_a = c.I("trans_a");
    p.trans_b = c.I("trans_b");
    p.a_zp = c.I("a_zp");
    p.output_zp = c.I("y_zp");
    p.act_min = c.I("act_min");
    p.act_max = c.I("act_max");
    RunKernel(kGemm,
        {View(a, c.T("a").dims), View(b, c.T("b").dims), OptionalView(c, "bias", bias), View(rq, c.T("rq").dims),
         OptionalView(c, "bzp", bzp)},
        {View(y, c.T("y").dims)}, p);
    ExpectOut(c, y);
  });
}

TEST(ModelS8, MatMulWithBatchBroadcastingMatchesTheNumpyModel) {
  ForEach("matmul", 50, [](const ModelCase& c) {
    const std::vector<int8_t> a = c.S8("a"), b = c.S8("b");
    const std::vector<int32_t> rq = c.S32("rq");
    const std::vector<int32_t> bias = c.Has("bias") ? c.S32("bias") : std::vector<int32_t>{};
    const std::vector<int32_t> bzp = c.Has("bzp") ? c.S32("bzp") : std::vector<int32_t>{};
    std::vector<int8_t> y(c.T("y").values.size(), 99);
    tgrs_matmul_s8_params_t p{};
    p.a_zp = c.I("a_zp");
    p.output_zp = c.I("y_zp");
    p.act_min = c.I("act_min");
    p.act_max = c.I("act_max");
    RunKernel(kMatMul,
        {View(a, c.T("a").dims), View(b, c.T("b").dims), OptionalView(c, "bias", bias), View(rq, c.T("rq").dims),
         OptionalView(c, "bzp", bzp)},
        {View(y, c.T("y").dims)}, p);
    ExpectOut(c, y);
  });
}

namespace {

void AddOrSub(const ModelCase& c, bool subtract) {
  const std::vector<int8_t> a = c.S8("a"), b = c.S8("b");
  std::vector<int8_t> y(c.T("y").values.size(), 99);
  tgrs_add_s8_params_t p{};
  p.a_zp = c.I("a_zp");
  p.b_zp = c.I("b_zp");
  p.output_zp = c.I("y_zp");
  p.left_shift = c.I("left_shift");
  p.a_mult = c.I("a_mult");
  p.a_shift = c.I("a_shift");
  p.b_mult = c.I("b_mult");
  p.b_shift = c.I("b_shift");
  p.output_mult = c.I("y_mult");
  p.output_shift = c.I("y_shift");
  p.act_min = c.I("act_min");
  p.act_max = c.I("act_max");
  static const Kernel kSub{"sub_s8", tgrs_sub_s8_check, tgrs_sub_s8_run};
  RunKernel(subtract ? kSub : kAdd, {View(a, c.T("a").dims), View(b, c.T("b").dims)}, {View(y, c.T("y").dims)}, p);
  ExpectOut(c, y);
  // the host math derives the same params from the scales
  const auto q = tp::QuantizeAdd(c.R("a_scale"), c.R("b_scale"), c.R("y_scale"));
  ASSERT_TRUE(q.ok()) << q.status().message();
  EXPECT_EQ(q->left_shift, p.left_shift);
  EXPECT_EQ(q->a, (tp::QuantizedMultiplier{p.a_mult, p.a_shift}));
  EXPECT_EQ(q->b, (tp::QuantizedMultiplier{p.b_mult, p.b_shift}));
  EXPECT_EQ(q->output, (tp::QuantizedMultiplier{p.output_mult, p.output_shift}));
}

}  // namespace

TEST(ModelS8, AddWithBroadcastingMatchesTheNumpyModel) {
  ForEach("add", 50, [](const ModelCase& c) { AddOrSub(c, false); });
}

TEST(ModelS8, SubWithBroadcastingMatchesTheNumpyModel) {
  ForEach("sub", 30, [](const ModelCase& c) { AddOrSub(c, true); });
}

TEST(ModelS8, MulWithBroadcastingMatchesTheNumpyModel) {
  ForEach("mul", 50, [](const ModelCase& c) {
    const std::vector<int8_t> a = c.S8("a"), b = c.S8("b");
    std::vector<int8_t> y(c.T("y").values.size(), 99);
    tgrs_mul_s8_params_t p{};
    p.a_zp = c.I("a_zp");
    p.b_zp = c.I("b_zp");
    p.output_zp = c.I("y_zp");
    p.output_mult = c.I("y_mult");
    p.output_shift = c.I("y_shift");
    p.act_min = c.I("act_min");
    p.act_max = c.I("act_max");
    RunKernel(kMul, {View(a, c.T("a").dims), View(b, c.T("b").dims)}, {View(y, c.T("y").dims)}, p);
    ExpectOut(c, y);
    const auto q = tp::QuantizeMul(c.R("a_scale"), c.R("b_scale"), c.R("y_scale"));
    ASSERT_TRUE(q.ok());
    EXPECT_EQ(*q, (tp::QuantizedMultiplier{p.output_mult, p.output_shift}));
  });
}

TEST(ModelS8, RequantizeMatchesTheNumpyModel) {
  ForEach("requantize", 30, [](const ModelCase& c) {
    const std::vector<int8_t> x = c.S8("x");
    std::vector<int8_t> y(x.size(), 99);
    tgrs_requantize_s8_params_t p{};
    p.input_zp = c.I("x_zp");
    p.output_zp = c.I("y_zp");
    p.mult = c.I("mult");
    p.shift = c.I("shift");
    p.act_min = c.I("act_min");
    p.act_max = c.I("act_max");
    RunKernel(kRequantize, {View(x, c.T("x").dims)}, {View(y, c.T("y").dims)}, p);
    ExpectOut(c, y);
  });
}

namespace {

void Pool(const ModelCase& c, const Kernel& k) {
  const std::vector<int8_t> x = c.S8("x");
  std::vector<int8_t> y(c.T("y").values.size(), 99);
  tgrs_pool_s8_params_t p{};
  p.kernel_h = c.I("kh");
  p.kernel_w = c.I("kw");
  p.stride_h = c.I("sh");
  p.stride_w = c.I("sw");
  p.dilation_h = c.I("dh");
  p.dilation_w = c.I("dw");
  p.pad_top = c.I("pt");
  p.pad_left = c.I("pl");
  p.pad_bottom = c.I("pb");
  p.pad_right = c.I("pr");
  p.count_include_pad = c.I("count_include_pad");
  p.input_zp = c.I("x_zp");
  p.act_min = c.I("act_min");
  p.act_max = c.I("act_max");
  RunKernel(k, {View(x, c.T("x").dims)}, {View(y, c.T("y").dims)}, p);
  ExpectOut(c, y);
}

}  // namespace

TEST(ModelS8, AveragePoolMatchesTheNumpyModel) {
  ForEach("avgpool", 60, [](const ModelCase& c) { Pool(c, kAvgPool); });
}

TEST(ModelS8, MaxPoolMatchesTheNumpyModel) {
  ForEach("maxpool", 50, [](const ModelCase& c) { Pool(c, kMaxPool); });
}

TEST(ModelS8, GlobalAveragePoolMatchesTheNumpyModel) {
  ForEach("gavgpool", 30, [](const ModelCase& c) {
    const std::vector<int8_t> x = c.S8("x");
    std::vector<int8_t> y(c.T("y").values.size(), 99);
    tgrs_global_avgpool_s8_params_t p{};
    p.flags = TGRS_ACC_BEGIN | TGRS_ACC_END;
    p.count = c.I("count");
    p.input_zp = c.I("x_zp");
    p.output_zp = c.I("y_zp");
    p.mult = c.I("mult");
    p.shift = c.I("shift");
    p.act_min = c.I("act_min");
    p.act_max = c.I("act_max");
    RunKernel(kGlobalAvgPool, {View(x, c.T("x").dims)}, {View(y, c.T("y").dims)}, p);
    ExpectOut(c, y);
  });
}

TEST(ModelS8, GlobalMaxPoolMatchesTheNumpyModel) {
  ForEach("gmaxpool", 15, [](const ModelCase& c) {
    const std::vector<int8_t> x = c.S8("x");
    std::vector<int8_t> y(c.T("y").values.size(), 99);
    tgrs_global_maxpool_s8_params_t p{};
    p.flags = TGRS_ACC_BEGIN | TGRS_ACC_END;
    p.count = c.I("count");
    p.act_min = c.I("act_min");
    p.act_max = c.I("act_max");
    RunKernel(kGlobalMaxPool, {View(x, c.T("x").dims)}, {View(y, c.T("y").dims)}, p);
    ExpectOut(c, y);
  });
}

TEST(ModelS8, SoftmaxAlongAnyAxisMatchesTheNumpyModel) {
  ForEach("softmax", 50, [](const ModelCase& c) {
    const std::vector<int8_t> x = c.S8("x");
    std::vector<int8_t> y(x.size(), 99);
    tgrs_softmax_s8_params_t p{};
    p.axis = c.I("axis");
    p.input_mult = c.I("mult");
    p.input_left_shift = c.I("shift");
    p.diff_min = c.I("diff_min");
    RunKernel(kSoftmax, {View(x, c.T("x").dims)}, {View(y, c.T("y").dims)}, p);
    ExpectOut(c, y);
    const auto q = tp::QuantizeSoftmax(c.R("beta"), c.R("scale"));
    ASSERT_TRUE(q.ok()) << q.status().message();
    EXPECT_EQ(q->input_mult, p.input_mult);
    EXPECT_EQ(q->input_left_shift, p.input_left_shift);
    EXPECT_EQ(q->diff_min, p.diff_min);
  });
}

TEST(ModelS8, QuantizeMultiplierMatchesThePythonModel) {
  ForEach("qm", 300, [](const ModelCase& c) {
    const auto q = tp::QuantizeMultiplier(c.R("real"));
    ASSERT_TRUE(q.ok());
    EXPECT_EQ(*q, (tp::QuantizedMultiplier{c.I("mult"), c.I("shift")})) << "real " << c.R("real");
  });
}

TEST(ModelS8, LookupTablesMatchTheOnnxruntimeFloatEmulation) {
  const std::map<std::string, tp::UnaryFn> funcs = {
      {"sigmoid", [](double v) { return 1.0 / (1.0 + std::exp(-v)); }},
      {"tanh", [](double v) { return std::tanh(v); }},
      {"hardswish", [](double v) { return v * std::min(std::max(v / 6.0 + 0.5, 0.0), 1.0); }},
      {"exp", [](double v) { return v < 700 ? std::exp(v) : HUGE_VAL; }},
      {"leakyrelu", [](double v) { return v >= 0 ? v : 0.1 * v; }},
  };
  ForEach("lut", 25, [&](const ModelCase& c) {
    const auto& f = funcs.at(c.words.at("func"));
    const float xs = static_cast<float>(c.R("x_scale")), ys = static_cast<float>(c.R("y_scale"));
    const std::vector<int64_t>& want = c.T("table").values;
    if (c.I("signed")) {
      const auto t = tp::BuildLutS8(xs, c.I("x_zp"), ys, c.I("y_zp"), f);
      ASSERT_TRUE(t.ok()) << t.status().message();
      for (size_t i = 0; i < 256; ++i) EXPECT_EQ((*t)[i], want[i]) << c.words.at("func") << " entry " << i;
    } else {
      const auto t = tp::BuildLutU8(xs, c.I("x_zp"), ys, c.I("y_zp"), f);
      ASSERT_TRUE(t.ok()) << t.status().message();
      for (size_t i = 0; i < 256; ++i) EXPECT_EQ((*t)[i], want[i]) << c.words.at("func") << " entry " << i;
    }
  });
}
