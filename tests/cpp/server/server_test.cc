// Server and ServerClient end to end, over gRPC on 127.0.0.1 with a port the system picks.
#include "headrace/server/server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "headrace/core/version.h"
#include "headrace/rpc/server_client.h"
#include "closed_port.h"

namespace headrace::server {
namespace {

using rpc::ServerClient;

using std::chrono::milliseconds;
constexpr milliseconds kTimeout{5000};

std::unique_ptr<Server> StartLocalServer() {
  ServerOptions options;
  options.host = "127.0.0.1";
  options.port = 0;
  options.memory = MemorySize{16 << 20, 0.0, "16M"};  // the cache store is not used here
  options.log_level = LogLevel::kWarning;
  auto server = Server::Start(options);
  EXPECT_TRUE(server.ok()) << server.status();
  return server.ok() ? std::move(server).value() : nullptr;
}

std::unique_ptr<ServerClient> ConnectTo(const std::string& address) {
  auto client = ServerClient::Connect(address);
  EXPECT_TRUE(client.ok()) << client.status();
  return client.ok() ? std::move(client).value() : nullptr;
}

TEST(ServerTest, StartOnPortZeroBindsAFreePort) {
  auto server = StartLocalServer();
  ASSERT_NE(server, nullptr);
  EXPECT_GT(server->BoundPort(), 0);
  EXPECT_EQ(server->host(), "127.0.0.1");
  EXPECT_EQ(server->address(), "127.0.0.1:" + std::to_string(server->BoundPort()));
}

TEST(ServerTest, GetStatusOverRpcDescribesTheServer) {
  auto server = StartLocalServer();
  ASSERT_NE(server, nullptr);
  auto client = ConnectTo(server->address());
  ASSERT_NE(client, nullptr);
  EXPECT_EQ(client->address(), server->address());

  auto status = client->GetStatus(kTimeout);
  ASSERT_TRUE(status.ok()) << status.status();
  EXPECT_EQ(status->version, std::string(Version()));
  EXPECT_EQ(status->pid, static_cast<int64_t>(::getpid()));
  EXPECT_EQ(status->host, "127.0.0.1");
  EXPECT_EQ(status->port, server->BoundPort());
  EXPECT_GE(status->uptime_seconds, 0.0);
  EXPECT_NEAR(status->started_unix_seconds, server->GetStatus().started_unix_seconds, 1e-6);
}

TEST(ServerTest, StopRpcMakesWaitReturn) {
  auto server = StartLocalServer();
  ASSERT_NE(server, nullptr);
  auto client = ConnectTo(server->address());
  ASSERT_NE(client, nullptr);
  std::thread waiter([&server] { server->Wait(); });

  const Status stopped = client->Stop(kTimeout);
  EXPECT_TRUE(stopped.ok()) << stopped;
  waiter.join();  // Hangs until the ctest timeout if Stop did not wake Wait().
  server->Shutdown(milliseconds(500));

  // After Shutdown nothing listens any more.
  EXPECT_EQ(client->GetStatus(kTimeout).status().code(), StatusCode::kUnavailable);
}

TEST(ServerTest, RequestStopMakesWaitReturnAndServerKeepsServingUntilShutdown) {
  auto server = StartLocalServer();
  ASSERT_NE(server, nullptr);
  server->RequestStop();
  server->Wait();
  auto client = ConnectTo(server->address());
  ASSERT_NE(client, nullptr);
  EXPECT_TRUE(client->GetStatus(kTimeout).ok());
}

TEST(ServerTest, ShutdownIsIdempotentAndWakesWait) {
  auto server = StartLocalServer();
  ASSERT_NE(server, nullptr);
  std::thread waiter([&server] { server->Wait(); });
  server->Shutdown(milliseconds(100));
  waiter.join();
  server->Shutdown(milliseconds(100));
}

TEST(ServerTest, BusyPortIsUnavailableNamingHostAndPort) {
  auto first = StartLocalServer();
  ASSERT_NE(first, nullptr);
  ServerOptions options;
  options.host = "127.0.0.1";
  options.port = first->BoundPort();
  options.memory = MemorySize{16 << 20, 0.0, "16M"};
  auto second = Server::Start(options);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(second.status().message().find(first->address()), std::string::npos)
      << second.status();
}

TEST(ServerTest, InvalidOptionsAreRejectedBeforeBinding) {
  ServerOptions options;
  options.port = 70000;
  EXPECT_EQ(Server::Start(options).status().code(), StatusCode::kInvalidArgument);
  options = ServerOptions{};
  options.host = "";
  EXPECT_EQ(Server::Start(options).status().code(), StatusCode::kInvalidArgument);
}

TEST(ServerClientTest, ClosedPortIsUnavailableNamingAddressAndHowToStart) {
  ClosedPort closed;
  const std::string address = "127.0.0.1:" + std::to_string(closed.port());
  auto client = ConnectTo(address);
  ASSERT_NE(client, nullptr);

  for (const Status& status : {client->GetStatus(kTimeout).status(), client->Stop(kTimeout)}) {
    EXPECT_EQ(status.code(), StatusCode::kUnavailable) << status;
    EXPECT_NE(status.message().find(address), std::string::npos) << status;
    EXPECT_NE(status.message().find("headrace-server --port " + std::to_string(closed.port())),
              std::string::npos)
        << status;
  }
}

TEST(ServerClientTest, BadArgumentsAreInvalid) {
  EXPECT_EQ(ServerClient::Connect("").status().code(), StatusCode::kInvalidArgument);
  auto client = ConnectTo("127.0.0.1:1");
  ASSERT_NE(client, nullptr);
  EXPECT_EQ(client->GetStatus(milliseconds(0)).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(client->Stop(milliseconds(-5)).code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace headrace::server
