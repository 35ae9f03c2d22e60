#include "headrace/server/server_options.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace headrace::server {
namespace {

Result<ServerCommandLine> Parse(std::vector<std::string> args) {
  return ParseServerCommandLine(args);
}

void ExpectInvalid(std::vector<std::string> args, const std::string& message) {
  auto parsed = Parse(args);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(parsed.status().message(), message);
}

TEST(ServerOptionsTest, DefaultsAreLoopbackAndPort50052) {
  auto parsed = Parse({});
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->options.host, "127.0.0.1");
  EXPECT_EQ(parsed->options.port, 50052);
  EXPECT_FALSE(parsed->help);
  EXPECT_TRUE(ValidateServerOptions(ServerOptions{}).ok());
}

TEST(ServerOptionsTest, ReadsHostAndPortInBothSpellings) {
  auto parsed = Parse({"--host", "0.0.0.0", "--port", "6000"});
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->options.host, "0.0.0.0");
  EXPECT_EQ(parsed->options.port, 6000);

  parsed = Parse({"--host=localhost", "--port=65535"});
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->options.host, "localhost");
  EXPECT_EQ(parsed->options.port, 65535);
}

TEST(ServerOptionsTest, StopOnStdinCloseIsOffUnlessAsked) {
  auto plain = Parse({"--port", "0"});
  ASSERT_TRUE(plain.ok());
  EXPECT_FALSE(plain->stop_on_stdin_close);
  auto asked = Parse({"--stop-on-stdin-close", "--port", "0"});
  ASSERT_TRUE(asked.ok());
  EXPECT_TRUE(asked->stop_on_stdin_close);
  EXPECT_EQ(asked->options.port, 0);
}

TEST(ServerOptionsTest, PortZeroMeansAnyFreePort) {
  auto parsed = Parse({"--port", "0"});
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->options.port, 0);
}

TEST(ServerOptionsTest, LastOccurrenceWins) {
  auto parsed = Parse({"--port", "1", "--port=2"});
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->options.port, 2);
}

TEST(ServerOptionsTest, HelpIsRecognised) {
  for (const char* flag : {"--help", "-h"}) {
    auto parsed = Parse({"--port", "7", flag});
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_TRUE(parsed->help) << flag;
  }
}

TEST(ServerOptionsTest, BadPortValuesNameTheFlagAndValue) {
  for (const char* value : {"abc", "-1", "65536", "99999999999", "80x", " 80", "+80", ""}) {
    SCOPED_TRACE(value);
    ExpectInvalid({"--port", value},
                  std::string("--port must be an integer in [0, 65535], got '") + value + "'");
    ExpectInvalid({std::string("--port=") + value},
                  std::string("--port must be an integer in [0, 65535], got '") + value + "'");
  }
}

TEST(ServerOptionsTest, UnknownFlagIsNamed) {
  ExpectInvalid({"--bogus"}, "unknown flag '--bogus'; the flags are --host, --port, --stop-on-stdin-close and --help");
  ExpectInvalid({"--bogus=1"}, "unknown flag '--bogus'; the flags are --host, --port, --stop-on-stdin-close and --help");
  ExpectInvalid({"-p", "1"}, "unknown flag '-p'; the flags are --host, --port, --stop-on-stdin-close and --help");
}

TEST(ServerOptionsTest, PositionalArgumentIsRejected) {
  ExpectInvalid({"serve"}, "unexpected argument 'serve'; headrace-server takes only flags (see --help)");
}

TEST(ServerOptionsTest, MissingValueIsNamed) {
  ExpectInvalid({"--port"}, "--port needs a value, e.g. --port 50052");
  ExpectInvalid({"--host"}, "--host needs a value, e.g. --host 127.0.0.1");
  ExpectInvalid({"--host", ""}, "--host must not be empty");
}

TEST(ServerOptionsTest, ArgvFormSkipsProgramName) {
  const char* argv[] = {"headrace-server", "--port", "0"};
  auto parsed = ParseServerCommandLine(3, argv);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->options.port, 0);
}

TEST(ServerOptionsTest, ValidateRejectsOutOfRange) {
  ServerOptions options;
  options.port = 70000;
  Status status = ValidateServerOptions(options);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "--port must be an integer in [0, 65535], got '70000'");
  options = ServerOptions{};
  options.host = "";
  EXPECT_EQ(ValidateServerOptions(options).code(), StatusCode::kInvalidArgument);
}

TEST(ServerOptionsTest, FormatAddressBracketsIpv6) {
  EXPECT_EQ(FormatAddress("127.0.0.1", 5), "127.0.0.1:5");
  EXPECT_EQ(FormatAddress("::1", 5), "[::1]:5");
  EXPECT_EQ(FormatAddress("[::1]", 5), "[::1]:5");
}

TEST(ServerOptionsTest, UsageListsFlagsAndDefaults) {
  const std::string usage = ServerUsage();
  EXPECT_NE(usage.find("usage: headrace-server"), std::string::npos);
  EXPECT_NE(usage.find("--host HOST"), std::string::npos);
  EXPECT_NE(usage.find("default: 127.0.0.1"), std::string::npos);
  EXPECT_NE(usage.find("--port PORT"), std::string::npos);
  EXPECT_NE(usage.find("default: 50052"), std::string::npos);
  EXPECT_NE(usage.find("--help"), std::string::npos);
}

}  // namespace
}  // namespace headrace::server
