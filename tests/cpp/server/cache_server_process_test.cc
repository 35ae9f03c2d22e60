// A CacheClient and a headrace-server in another process: the local client maps the
// server's store through /proc/<pid>/fd/<fd>, as a pipeline on the server's machine does.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "../cache/cache_test_util.h"
#include "headrace/cache/grpc_cache_client.h"

#ifdef HEADRACE_SERVER_BINARY

namespace headrace::cache {
namespace {

using testing::ExpectRowIs;
using testing::MakeRow;

// headrace-server started with --stop-on-stdin-close: closing our end of its stdin stops
// it, and so does our death.
class ServerProcess {
 public:
  explicit ServerProcess(std::vector<std::string> args) {
    int in[2];
    int out[2];
    if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0) return;
    args.insert(args.begin(), HEADRACE_SERVER_BINARY);
    args.push_back("--stop-on-stdin-close");
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(in[0], STDIN_FILENO);
      ::dup2(out[1], STDOUT_FILENO);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    ::close(in[0]);
    ::close(out[1]);
    stdin_ = in[1];
    // "headrace-server listening on 127.0.0.1:PORT\n"
    std::string line;
    char c;
    while (::read(out[0], &c, 1) == 1 && c != '\n') line += c;
    ::close(out[0]);
    const size_t colon = line.rfind(':');
    if (line.rfind("headrace-server listening on ", 0) == 0 && colon != std::string::npos) {
      port_ = std::stoi(line.substr(colon + 1));
    }
  }

  // Stops the server (closes its stdin) and returns its exit code.
  int Stop() {
    if (stdin_ >= 0) ::close(stdin_);
    stdin_ = -1;
    if (pid_ <= 0) return -1;
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

  ~ServerProcess() {
    if (pid_ > 0) ::kill(pid_, SIGKILL);
    Stop();
  }

  int port() const { return port_; }

 private:
  pid_t pid_ = -1;
  int stdin_ = -1;
  int port_ = 0;
};

TEST(CacheServerProcessTest, ALocalClientMapsTheServersStore) {
  ServerProcess server({"--port", "0", "--memory", "32M", "--log-level", "warning"});
  ASSERT_GT(server.port(), 0);
  CacheClientOptions options;
  options.port = server.port();
  options.connect_timeout = std::chrono::milliseconds(5000);
  auto client = GrpcCacheClient::Connect(options);
  ASSERT_TRUE(client.ok()) << client.status();
  EXPECT_TRUE((*client)->is_local());

  const uint32_t session = (*client)->CreateSession().value();
  const uint64_t cache_id = (*client)->OpenCache(session, 9, "process", 0, true)->cache_id;
  std::vector<std::pair<int64_t, TensorRow>> rows;
  for (int64_t id = 0; id < 10; ++id) rows.emplace_back(id, MakeRow(id, 4096));
  auto written = (*client)->WriteRows(cache_id, rows);
  ASSERT_TRUE(written.ok()) << written.status();
  EXPECT_EQ(written->admitted, 10);
  auto read = (*client)->ReadRows(cache_id, {3, 7, 11});
  ASSERT_TRUE(read.ok()) << read.status();
  ExpectRowIs(*(*read)[0], 3, 4096);
  ExpectRowIs(*(*read)[1], 7, 4096);
  EXPECT_FALSE((*read)[2].has_value());
  read = Result<std::vector<std::optional<TensorRow>>>(Status::Cancelled("released"));
  ASSERT_TRUE((*client)->DropSession(session).ok());
  EXPECT_EQ((*client)->ListSessions()->memory_used, 0);

  EXPECT_EQ(server.Stop(), 0);
  EXPECT_EQ((*client)->CreateSession().status().code(), StatusCode::kUnavailable);
}

}  // namespace
}  // namespace headrace::cache

#endif  // HEADRACE_SERVER_BINARY
