// ReadTensorProtoFile/WriteTensorProtoFile: typed fields and raw_data round trips.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>

#include "tigris/frontend/onnx_importer.h"

namespace tigris::frontend {
namespace {

std::string Model(const std::string& name) { return std::string(TIGRIS_TEST_MODELS) + "/" + name; }

TEST(TensorProto, ReadsTypedFields) {
  auto f = ReadTensorProtoFile(Model("typed_f.pb"));
  ASSERT_TRUE(f.ok()) << f.status().message();
  EXPECT_EQ(f->dtype, ir::DType::kF32);
  EXPECT_EQ(f->shape, (std::vector<int64_t>{2, 2}));
  EXPECT_FLOAT_EQ(f->DataAs<float>()[3], 4.5f);
  auto i = ReadTensorProtoFile(Model("typed_i64.pb"));
  ASSERT_TRUE(i.ok()) << i.status().message();
  EXPECT_EQ(i->DataAs<int64_t>()[1], -2);
  auto i32 = ReadTensorProtoFile(Model("typed_i32.pb"));
  ASSERT_TRUE(i32.ok()) << i32.status().message();
  EXPECT_EQ(i32->DataAs<int32_t>()[1], -8);
}

TEST(TensorProto, RoundTripsRawData) {
  ir::Tensor t;
  t.name = "out";
  t.dtype = ir::DType::kF32;
  t.shape = {3, 1};
  const float v[3] = {1.5f, -2.f, 3.25f};
  t.data.resize(12);
  std::memcpy(t.data.data(), v, 12);
  const std::string path = Model("roundtrip.pb");
  ASSERT_TRUE(WriteTensorProtoFile(path, t).ok());
  auto r = ReadTensorProtoFile(path);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->name, "out");
  EXPECT_EQ(r->shape, t.shape);
  EXPECT_EQ(r->data, t.data);
  std::remove(path.c_str());
}

TEST(TensorProto, Errors) {
  EXPECT_EQ(ReadTensorProtoFile(Model("missing.pb")).status().code(), ErrorCode::kIoError);
  EXPECT_EQ(ReadTensorProtoFile(Model("not_onnx.onnx")).status().code(), ErrorCode::kInvalidModel);
  ir::Tensor bad;
  bad.shape = {4};
  bad.data.resize(3);
  EXPECT_FALSE(WriteTensorProtoFile(Model("bad.pb"), bad).ok());
}

}  // namespace
}  // namespace tigris::frontend
