#include "headrace/rpc/status_conversion.h"

#include <gtest/gtest.h>

#include <string>

namespace headrace::rpc {
namespace {

TEST(StatusConversionTest, OkMapsToOk) {
  EXPECT_TRUE(ToGrpcStatus(Status::OK()).ok());
  EXPECT_TRUE(FromGrpcStatus(grpc::Status::OK).ok());
}

TEST(StatusConversionTest, EveryCodeRoundTripsWithItsMessage) {
  for (int n = 1; n <= kMaxStatusCode; ++n) {
    const auto code = static_cast<StatusCode>(n);
    SCOPED_TRACE(std::string(StatusCodeName(code)));
    const std::string message = "message for code " + std::to_string(n) + ": ünïcode, 'quotes'";
    const Status original(code, message);

    const grpc::Status wire = ToGrpcStatus(original);
    EXPECT_EQ(static_cast<int>(wire.error_code()), n);
    EXPECT_EQ(wire.error_message(), message);

    const Status back = FromGrpcStatus(wire);
    EXPECT_EQ(back.code(), code);
    EXPECT_EQ(back.message(), message);
  }
}

TEST(StatusConversionTest, NamedCodesMatchGrpc) {
  EXPECT_EQ(ToGrpcStatus(Status::InvalidArgument("x")).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ToGrpcStatus(Status::Unavailable("x")).error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(FromGrpcStatus(grpc::Status(grpc::StatusCode::NOT_FOUND, "y")).code(),
            StatusCode::kNotFound);
}

TEST(StatusConversionTest, UnknownGrpcCodeBecomesUnknownKeepingMessage) {
  const grpc::Status odd(static_cast<grpc::StatusCode>(20), "from the future");
  const Status converted = FromGrpcStatus(odd);
  EXPECT_EQ(converted.code(), StatusCode::kUnknown);
  EXPECT_EQ(converted.message(), "from the future");
}

}  // namespace
}  // namespace headrace::rpc
