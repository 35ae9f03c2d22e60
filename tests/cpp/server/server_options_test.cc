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
  EXPECT_FALSE(parsed->options.memory.has_value());
  EXPECT_TRUE(parsed->options.spill_dir.empty());
  EXPECT_TRUE(parsed->options.spill);
  EXPECT_EQ(parsed->options.workers, 4);
  EXPECT_EQ(parsed->options.log_level, LogLevel::kInfo);
  EXPECT_TRUE(parsed->options.token.empty());
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

constexpr char kFlags[] =
    "the flags are --host, --port, --memory, --spill-dir, --no-spill, --workers, --log-level, "
    "--token, --stop-on-stdin-close and --help";

TEST(ServerOptionsTest, UnknownFlagIsNamed) {
  ExpectInvalid({"--bogus"}, std::string("unknown flag '--bogus'; ") + kFlags);
  ExpectInvalid({"--bogus=1"}, std::string("unknown flag '--bogus'; ") + kFlags);
  ExpectInvalid({"-p", "1"}, std::string("unknown flag '-p'; ") + kFlags);
}

TEST(ServerOptionsTest, PositionalArgumentIsRejected) {
  ExpectInvalid({"serve"}, "unexpected argument 'serve'; headrace-server takes only flags (see --help)");
}

TEST(ServerOptionsTest, MissingValueIsNamed) {
  ExpectInvalid({"--port"}, "--port needs a value, e.g. --port 50052");
  ExpectInvalid({"--host"}, "--host needs a value, e.g. --host 127.0.0.1");
  ExpectInvalid({"--host", ""}, "--host must not be empty");
  ExpectInvalid({"--memory"}, "--memory needs a value, e.g. --memory 4G");
  ExpectInvalid({"--workers"}, "--workers needs a value, e.g. --workers 4");
  ExpectInvalid({"--log-level"}, "--log-level needs a value, e.g. --log-level info");
  ExpectInvalid({"--token"}, "--token needs a value, e.g. --token SECRET");
  ExpectInvalid({"--spill-dir"},
                "--spill-dir needs a value, e.g. --spill-dir /var/tmp/headrace-spill");
  ExpectInvalid({"--spill-dir="}, "--spill-dir must not be empty");
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

TEST(ServerOptionsTest, ReadsTheCacheFlags) {
  auto parsed = Parse({"--memory", "512M", "--spill-dir=/var/tmp/spill", "--workers", "8",
                       "--log-level=debug", "--token", "abc"});
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  const ServerOptions& options = parsed->options;
  ASSERT_TRUE(options.memory.has_value());
  EXPECT_EQ(options.memory->bytes, int64_t{512} << 20);
  EXPECT_EQ(options.memory->text, "512M");
  EXPECT_EQ(options.spill_dir, "/var/tmp/spill");
  EXPECT_TRUE(options.spill);
  EXPECT_EQ(options.workers, 8);
  EXPECT_EQ(options.log_level, LogLevel::kDebug);
  EXPECT_EQ(options.token, "abc");

  parsed = Parse({"--no-spill", "--memory=0.5"});
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_FALSE(parsed->options.spill);
  EXPECT_EQ(parsed->options.memory->bytes, 0);
  EXPECT_DOUBLE_EQ(parsed->options.memory->fraction, 0.5);
}

TEST(ServerOptionsTest, NoSpillAndSpillDirContradict) {
  ExpectInvalid({"--no-spill", "--spill-dir", "/tmp/x"},
                "--no-spill and --spill-dir contradict each other: give one of them");
}

TEST(ServerOptionsTest, BadCacheFlagValuesAreNamed) {
  for (const char* value : {"0", "-1", "257", "x", "2.5", ""}) {
    SCOPED_TRACE(value);
    ExpectInvalid({"--workers", value},
                  std::string("--workers must be an integer in [1, 256], got '") + value + "'");
  }
  ExpectInvalid({"--log-level", "loud"},
                "--log-level must be one of error, warning, info, debug; got 'loud'");
  for (const char* value : {"", "G", "4X", "-4G", "4", "1.5", "0", "0%", "150%", "1e9", "4 G",
                            "0.1B", "1..5G"}) {
    SCOPED_TRACE(value);
    ExpectInvalid({"--memory", value},
                  std::string("--memory must be a size such as 4G, 512M or 1.5GiB, or a "
                              "fraction of RAM such as 0.25 or 25%; got '") +
                      value + "'");
  }
}

TEST(ServerOptionsTest, MemorySizesAndFractions) {
  struct Case {
    const char* text;
    int64_t bytes;
    double fraction;
  };
  const Case cases[] = {
      {"4G", int64_t{4} << 30, 0},      {"4g", int64_t{4} << 30, 0},
      {"4GB", int64_t{4} << 30, 0},     {"4GiB", int64_t{4} << 30, 0},
      {"512M", int64_t{512} << 20, 0},  {"1.5GiB", int64_t{3} << 29, 0},
      {"64k", 64 << 10, 0},             {"2T", int64_t{2} << 40, 0},
      {"1000B", 1000, 0},               {"1000b", 1000, 0},
      {"0.25", 0, 0.25},                {"1", 0, 1.0},
      {"25%", 0, 0.25},                 {"100%", 0, 1.0},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    auto size = ParseMemorySize(c.text);
    ASSERT_TRUE(size.ok()) << size.status();
    EXPECT_EQ(size->bytes, c.bytes);
    EXPECT_DOUBLE_EQ(size->fraction, c.fraction);
    EXPECT_EQ(size->text, c.text);
  }
}

TEST(ServerOptionsTest, ResolveMemoryBytesHonoursRamAndShm) {
  constexpr int64_t kGiB = int64_t{1} << 30;
  // Default: a quarter of RAM, lowered to the free shm.
  EXPECT_EQ(*ResolveMemoryBytes(std::nullopt, 16 * kGiB, 8 * kGiB, "/dev/shm"), 4 * kGiB);
  EXPECT_EQ(*ResolveMemoryBytes(std::nullopt, 16 * kGiB, kGiB, "/dev/shm"), kGiB);
  // A fraction and a size.
  EXPECT_EQ(*ResolveMemoryBytes(*ParseMemorySize("0.5"), 16 * kGiB, 9 * kGiB, "/dev/shm"),
            8 * kGiB);
  EXPECT_EQ(*ResolveMemoryBytes(*ParseMemorySize("2G"), 16 * kGiB, 9 * kGiB, "/dev/shm"),
            2 * kGiB);
  // Explicitly more than the shm holds: a clear error naming both and the directory.
  auto too_much = ResolveMemoryBytes(*ParseMemorySize("8G"), 16 * kGiB, 2 * kGiB, "/dev/shm");
  ASSERT_FALSE(too_much.ok());
  EXPECT_EQ(too_much.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(too_much.status().message().find("--memory 8G (8.0 GiB"), std::string::npos)
      << too_much.status();
  EXPECT_NE(too_much.status().message().find("/dev/shm can hold: it has 2.0 GiB"),
            std::string::npos)
      << too_much.status();
  // Too little to hold a store.
  auto tiny = ResolveMemoryBytes(*ParseMemorySize("1000B"), 16 * kGiB, 2 * kGiB, "/dev/shm");
  EXPECT_EQ(tiny.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ResolveMemoryBytes(std::nullopt, 16 * kGiB, 1000, "/dev/shm").status().code(),
            StatusCode::kInvalidArgument);
}

TEST(ServerOptionsTest, EnvironmentGivesDefaultsThatFlagsOverride) {
  ServerEnvironment environment;
  environment.cache_host = "10.0.0.5";
  environment.cache_port = "6000";
  environment.token = "from-env";
  auto parsed = ParseServerCommandLine(std::vector<std::string>{}, environment);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->options.host, "10.0.0.5");
  EXPECT_EQ(parsed->options.port, 6000);
  EXPECT_EQ(parsed->options.token, "from-env");

  parsed = ParseServerCommandLine({"--host", "127.0.0.1", "--port=7", "--token", "flag"},
                                  environment);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->options.host, "127.0.0.1");
  EXPECT_EQ(parsed->options.port, 7);
  EXPECT_EQ(parsed->options.token, "flag");

  environment.cache_port = "http";
  parsed = ParseServerCommandLine(std::vector<std::string>{}, environment);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().message(),
            "HEADRACE_CACHE_PORT must be an integer in [0, 65535], got 'http'");
}

TEST(ServerOptionsTest, OnlyLoopbackMayGoWithoutAToken) {
  for (const char* host : {"127.0.0.1", "127.1.2.3", "localhost", "LOCALHOST", "::1", "[::1]"}) {
    ServerOptions options;
    options.host = host;
    EXPECT_TRUE(ValidateServerOptions(options).ok()) << host;
  }
  for (const char* host : {"0.0.0.0", "::", "10.1.2.3", "128.0.0.1", "example.com", "[::]"}) {
    ServerOptions options;
    options.host = host;
    const Status status = ValidateServerOptions(options);
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << host;
    EXPECT_NE(status.message().find(std::string("listen on ") + host), std::string::npos)
        << status;
    EXPECT_NE(status.message().find("--token"), std::string::npos) << status;
    EXPECT_NE(status.message().find("HEADRACE_TOKEN"), std::string::npos) << status;
    options.token = "t";
    EXPECT_TRUE(ValidateServerOptions(options).ok()) << host;
  }
}

TEST(ServerOptionsTest, ValidateRejectsBadWorkers) {
  ServerOptions options;
  options.workers = 0;
  EXPECT_EQ(ValidateServerOptions(options).message(),
            "--workers must be an integer in [1, 256], got '0'");
}

TEST(ServerOptionsTest, UsageListsFlagsAndDefaults) {
  const std::string usage = ServerUsage();
  for (const char* flag : {"--memory SIZE", "--spill-dir DIR", "--no-spill", "--workers N",
                           "--log-level LEVEL", "--token TOKEN", "HEADRACE_TOKEN",
                           "HEADRACE_CACHE_HOST", "HEADRACE_CACHE_PORT", "default: 25% of",
                           "default: 4)", "default: info"}) {
    EXPECT_NE(usage.find(flag), std::string::npos) << flag;
  }
  EXPECT_NE(usage.find("usage: headrace-server"), std::string::npos);
  EXPECT_NE(usage.find("--host HOST"), std::string::npos);
  EXPECT_NE(usage.find("default: 127.0.0.1"), std::string::npos);
  EXPECT_NE(usage.find("--port PORT"), std::string::npos);
  EXPECT_NE(usage.find("default: 50052"), std::string::npos);
  EXPECT_NE(usage.find("--help"), std::string::npos);
}

}  // namespace
}  // namespace headrace::server
