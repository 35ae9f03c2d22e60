#include "headrace/rpc/address.h"

#include <gtest/gtest.h>

namespace headrace::rpc {
namespace {

TEST(AddressTest, FormatAddressBracketsIpv6) {
  EXPECT_EQ(FormatAddress("127.0.0.1", 5), "127.0.0.1:5");
  EXPECT_EQ(FormatAddress("::1", 5), "[::1]:5");
  EXPECT_EQ(FormatAddress("[::1]", 5), "[::1]:5");
}

TEST(AddressTest, LoopbackHosts) {
  for (const char* host : {"127.0.0.1", "127.1.2.3", "localhost", "LOCALHOST", "::1", "[::1]"}) {
    EXPECT_TRUE(IsLoopbackHost(host)) << host;
  }
  for (const char* host : {"0.0.0.0", "::", "10.1.2.3", "128.0.0.1", "example.com", "[::]", ""}) {
    EXPECT_FALSE(IsLoopbackHost(host)) << host;
  }
}

}  // namespace
}  // namespace headrace::rpc
