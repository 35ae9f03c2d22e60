// The cache service end to end: a Server on 127.0.0.1 (port 0) in this process and
// CacheClients talking to it over gRPC, locally (through the shared-memory store) and
// as remote clients do (bytes).
#include <arpa/inet.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "../cache/cache_test_util.h"
#include "headrace/cache/grpc_cache_client.h"
#include "headrace/server/server.h"
#include "closed_port.h"
#include "headrace/rpc/server_client.h"
#include "headrace/v1/cache.grpc.pb.h"

namespace headrace::server {
namespace {

using rpc::ServerClient;

using cache::CacheClient;
using cache::CacheClientOptions;
using cache::GrpcCacheClient;
using cache::testing::ExpectRowIs;
using cache::testing::Exists;
using cache::testing::FilesIn;
using cache::testing::MakeRow;
using std::chrono::milliseconds;

using Rows = std::vector<std::pair<int64_t, TensorRow>>;

ServerOptions TestOptions(int64_t memory_bytes = 64 << 20) {
  ServerOptions options;
  options.host = "127.0.0.1";
  options.port = 0;
  options.memory = MemorySize{memory_bytes, 0.0, std::to_string(memory_bytes)};
  options.workers = 2;
  options.log_level = LogLevel::kWarning;
  return options;
}

std::unique_ptr<Server> StartServer(const ServerOptions& options = TestOptions()) {
  auto server = Server::Start(options);
  EXPECT_TRUE(server.ok()) << server.status();
  return server.ok() ? std::move(server).value() : nullptr;
}

CacheClientOptions ClientOptions(const Server& server, bool shared_memory = true) {
  CacheClientOptions options;
  options.host = "127.0.0.1";
  options.port = server.BoundPort();
  options.use_shared_memory = shared_memory;
  options.connect_timeout = milliseconds(5000);
  return options;
}

std::unique_ptr<CacheClient> Connect(const CacheClientOptions& options) {
  auto client = GrpcCacheClient::Connect(options);
  EXPECT_TRUE(client.ok()) << client.status();
  return client.ok() ? std::move(client).value() : nullptr;
}

Rows MakeRows(int64_t first, int64_t count, int64_t values = 16) {
  Rows rows;
  for (int64_t id = first; id < first + count; ++id) rows.emplace_back(id, MakeRow(id, values));
  return rows;
}

std::vector<int64_t> Ids(int64_t first, int64_t count) {
  std::vector<int64_t> ids;
  for (int64_t id = first; id < first + count; ++id) ids.push_back(id);
  return ids;
}

cache::CacheStatistics Statistics(CacheClient& client, uint64_t cache_id) {
  auto listing = client.ListSessions();
  EXPECT_TRUE(listing.ok()) << listing.status();
  for (const auto& session : listing->sessions) {
    for (const auto& cache : session.caches) {
      if (cache.cache_id == cache_id) return cache;
    }
  }
  ADD_FAILURE() << "no cache " << cache_id;
  return {};
}

// Writes rows 0..19 through `writer`, reads them (and a missing one) through `reader`.
void RoundTrip(CacheClient& writer, CacheClient& reader) {
  auto session = writer.CreateSession();
  ASSERT_TRUE(session.ok()) << session.status();
  auto opened = writer.OpenCache(*session, 0x1234, "round trip", 0, true);
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_FALSE(opened->complete);
  EXPECT_EQ(opened->rows, 0);

  auto written = writer.WriteRows(opened->cache_id, MakeRows(0, 20));
  ASSERT_TRUE(written.ok()) << written.status();
  EXPECT_EQ(written->admitted, 20);
  EXPECT_EQ(written->refused, 0);

  auto cached = reader.Lookup(opened->cache_id, {19, 20, 0});
  ASSERT_TRUE(cached.ok()) << cached.status();
  EXPECT_EQ(*cached, (std::vector<bool>{true, false, true}));

  std::vector<int64_t> ids = Ids(0, 20);
  ids.push_back(99);
  auto rows = reader.ReadRows(opened->cache_id, ids);
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->size(), 21u);
  for (int64_t id = 0; id < 20; ++id) {
    ASSERT_TRUE((*rows)[id].has_value()) << id;
    EXPECT_EQ((*rows)[id]->id(), id);
    ExpectRowIs(*(*rows)[id], id);
  }
  EXPECT_FALSE((*rows)[20].has_value());

  const cache::CacheStatistics stats = Statistics(reader, opened->cache_id);
  EXPECT_EQ(stats.session_id, *session);
  EXPECT_EQ(stats.crc, 0x1234u);
  EXPECT_EQ(stats.description, "round trip");
  EXPECT_EQ(stats.rows_in_memory, 20);
  EXPECT_EQ(stats.hits, 20);
  EXPECT_EQ(stats.misses, 1);
  ASSERT_TRUE(writer.DropSession(*session).ok());
}

TEST(CacheServerTest, LocalClientWritesAndReadsThroughSharedMemory) {
  auto server = StartServer();
  ASSERT_NE(server, nullptr);
  auto client = Connect(ClientOptions(*server));
  ASSERT_NE(client, nullptr);
  EXPECT_TRUE(client->is_local());
  EXPECT_EQ(client->address(), server->address());
  RoundTrip(*client, *client);
}

TEST(CacheServerTest, RemoteClientSendsAndReceivesBytes) {
  auto server = StartServer();
  ASSERT_NE(server, nullptr);
  auto client = Connect(ClientOptions(*server, /*shared_memory=*/false));
  ASSERT_NE(client, nullptr);
  EXPECT_FALSE(client->is_local());
  RoundTrip(*client, *client);
}

TEST(CacheServerTest, LocalAndRemoteClientsShareCaches) {
  auto server = StartServer();
  ASSERT_NE(server, nullptr);
  auto local = Connect(ClientOptions(*server));
  auto remote = Connect(ClientOptions(*server, false));
  ASSERT_NE(local, nullptr);
  ASSERT_NE(remote, nullptr);
  RoundTrip(*local, *remote);
  RoundTrip(*remote, *local);
}

TEST(CacheServerTest, RowsReadInPlaceHoldTheirBlocksUntilDropped) {
  auto server = StartServer();
  ASSERT_NE(server, nullptr);
  auto client = Connect(ClientOptions(*server));
  ASSERT_NE(client, nullptr);
  ASSERT_TRUE(client->is_local());
  const uint32_t session = client->CreateSession().value();
  const uint64_t cache_id = client->OpenCache(session, 1, "", 0, true)->cache_id;
  ASSERT_TRUE(client->WriteRows(cache_id, MakeRows(0, 8)).ok());
  auto rows = client->ReadRows(cache_id, Ids(0, 8));
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_TRUE(client->DropSession(session).ok());
  // The cache is gone, the rows the client reads are not.
  EXPECT_GT(client->ListSessions()->memory_used, 0);
  for (int64_t id = 0; id < 8; ++id) ExpectRowIs(*(*rows)[id], id);
  rows = Result<std::vector<std::optional<TensorRow>>>(Status::Cancelled("dropped"));
  EXPECT_EQ(client->ListSessions()->memory_used, 0);
}

TEST(CacheServerTest, RowsBeyondTheMemorySpillAndComeBack) {
  std::string spill_dir;
  {
    auto server = StartServer(TestOptions(4 << 20));
    ASSERT_NE(server, nullptr);
    spill_dir = server->spill_dir();
    ASSERT_FALSE(spill_dir.empty());
    EXPECT_TRUE(Exists(spill_dir));
    for (bool shared_memory : {true, false}) {
      SCOPED_TRACE(shared_memory);
      auto client = Connect(ClientOptions(*server, shared_memory));
      ASSERT_NE(client, nullptr);
      const uint32_t session = client->CreateSession().value();
      const uint64_t cache_id = client->OpenCache(session, 1, "", 0, true)->cache_id;
      // 40 rows of 256 KiB: 10 MiB into 4 MiB of memory.
      auto written = client->WriteRows(cache_id, MakeRows(0, 40, 64 << 10));
      ASSERT_TRUE(written.ok()) << written.status();
      EXPECT_EQ(written->admitted, 40);
      const cache::CacheStatistics stats = Statistics(*client, cache_id);
      EXPECT_GT(stats.rows_on_disk, 0);
      EXPECT_GT(stats.rows_in_memory, 0);
      EXPECT_EQ(stats.rows_in_memory + stats.rows_on_disk, 40);
      EXPECT_EQ(FilesIn(spill_dir).size(), 1u);
      auto rows = client->ReadRows(cache_id, Ids(0, 40));
      ASSERT_TRUE(rows.ok()) << rows.status();
      for (int64_t id = 0; id < 40; ++id) ExpectRowIs(*(*rows)[id], id, 64 << 10);
      ASSERT_TRUE(client->DropSession(session).ok());
      EXPECT_TRUE(FilesIn(spill_dir).empty());
    }
  }
  // The spill directory the server made goes with it.
  EXPECT_FALSE(Exists(spill_dir));
}

TEST(CacheServerTest, NoSpillRefusesRowsBeyondTheMemory) {
  ServerOptions options = TestOptions(4 << 20);
  options.spill = false;
  auto server = StartServer(options);
  ASSERT_NE(server, nullptr);
  EXPECT_TRUE(server->spill_dir().empty());
  auto client = Connect(ClientOptions(*server));
  ASSERT_NE(client, nullptr);
  const uint32_t session = client->CreateSession().value();
  const uint64_t cache_id = client->OpenCache(session, 1, "", 0, true)->cache_id;
  auto written = client->WriteRows(cache_id, MakeRows(0, 40, 64 << 10));
  ASSERT_TRUE(written.ok()) << written.status();
  EXPECT_GT(written->refused, 0);
  EXPECT_EQ(written->admitted + written->refused, 40);
  const auto listing = client->ListSessions();
  EXPECT_TRUE(listing->spill_dir.empty());
  EXPECT_EQ(listing->memory_capacity, 4 << 20);
  EXPECT_EQ(Statistics(*client, cache_id).rows_refused, written->refused);
  // The refused rows read as misses: the pipeline recomputes them.
  auto rows = client->ReadRows(cache_id, Ids(0, 40));
  ASSERT_TRUE(rows.ok()) << rows.status();
  int64_t missing = 0;
  for (const auto& row : *rows) missing += row.has_value() ? 0 : 1;
  EXPECT_EQ(missing, written->refused);
}

TEST(CacheServerTest, CompletenessTravels) {
  auto server = StartServer();
  ASSERT_NE(server, nullptr);
  auto client = Connect(ClientOptions(*server));
  ASSERT_NE(client, nullptr);
  const uint32_t session = client->CreateSession().value();
  const uint64_t cache_id = client->OpenCache(session, 5, "", 0, true)->cache_id;
  ASSERT_TRUE(client->WriteRows(cache_id, MakeRows(0, 5)).ok());
  auto complete = client->SetComplete(cache_id, 5);
  ASSERT_TRUE(complete.ok());
  EXPECT_TRUE(*complete);
  auto reopened = client->OpenCache(session, 5, "", 0, true);
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(reopened->cache_id, cache_id);
  EXPECT_TRUE(reopened->complete);
  EXPECT_EQ(reopened->rows, 5);
  EXPECT_EQ(client->WriteRows(cache_id, MakeRows(5, 1))->refused, 1);
  EXPECT_EQ(client->SetComplete(cache_id, -1).status().code(), StatusCode::kInvalidArgument);
}

TEST(CacheServerTest, ServerErrorsKeepTheirCodes) {
  auto server = StartServer();
  ASSERT_NE(server, nullptr);
  auto client = Connect(ClientOptions(*server));
  ASSERT_NE(client, nullptr);
  auto opened = client->OpenCache(424242, 1, "", 0, true);
  EXPECT_EQ(opened.status().code(), StatusCode::kNotFound);
  EXPECT_NE(opened.status().message().find("session 424242"), std::string::npos);
  EXPECT_EQ(client->ReadRows(777, {1}).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(client->WriteRows(777, MakeRows(0, 1)).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(client->Lookup(777, {1}).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(client->DropSession(1).code(), StatusCode::kNotFound);
  const uint32_t session = client->CreateSession().value();
  EXPECT_EQ(client->OpenCache(session, 1, "", -1, true).status().code(),
            StatusCode::kInvalidArgument);
  // Not a data row: refused before anything is sent.
  Rows control;
  control.emplace_back(0, TensorRow::EndOfEpoch());
  EXPECT_EQ(client->WriteRows(client->OpenCache(session, 1, "", 0, true)->cache_id, control)
                .status()
                .code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(client->ListSessions()->memory_used, 0);  // no block left behind
}

TEST(CacheServerTest, ATokenIsRequiredByEveryServiceWhenSet) {
  ServerOptions options = TestOptions();
  options.token = "s3cret";
  auto server = StartServer(options);
  ASSERT_NE(server, nullptr);

  CacheClientOptions client_options = ClientOptions(*server);
  auto refused = GrpcCacheClient::Connect(client_options);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kUnauthenticated) << refused.status();
  client_options.token = "wrong";
  refused = GrpcCacheClient::Connect(client_options);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kUnauthenticated) << refused.status();

  client_options.token = "s3cret";
  auto client = Connect(client_options);
  ASSERT_NE(client, nullptr);
  RoundTrip(*client, *client);

  // A raw call of the cache service without the token.
  auto channel = grpc::CreateChannel(server->address(), grpc::InsecureChannelCredentials());
  auto stub = v1::Cache::NewStub(channel);
  grpc::ClientContext context;
  v1::CreateSessionResponse response;
  EXPECT_EQ(stub->CreateSession(&context, v1::CreateSessionRequest(), &response).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);

  // The control service too.
  auto control = ServerClient::Connect(server->address());
  ASSERT_TRUE(control.ok());
  EXPECT_EQ((*control)->GetStatus(milliseconds(5000)).status().code(),
            StatusCode::kUnauthenticated);
  EXPECT_EQ((*control)->Stop(milliseconds(5000)).code(), StatusCode::kUnauthenticated);
  auto trusted = ServerClient::Connect(server->address(), "s3cret");
  ASSERT_TRUE(trusted.ok());
  EXPECT_TRUE((*trusted)->GetStatus(milliseconds(5000)).ok());
}

TEST(CacheServerTest, NoServerIsUnavailableSayingHowToStartOne) {
  ClosedPort closed;
  CacheClientOptions options;
  options.port = closed.port();
  options.connect_timeout = milliseconds(300);
  auto client = GrpcCacheClient::Connect(options);
  ASSERT_FALSE(client.ok());
  const Status& status = client.status();
  EXPECT_EQ(status.code(), StatusCode::kUnavailable);
  const std::string port = std::to_string(closed.port());
  EXPECT_NE(status.message().find("no headrace cache server at 127.0.0.1:" + port + ": "),
            std::string::npos)
      << status;
  EXPECT_NE(status.message().find("start one with `headrace cache start` (or "
                                  "headrace-server --port " + port + ")"),
            std::string::npos)
      << status;
}

TEST(CacheServerTest, AServerThatGoesIsUnavailable) {
  auto server = StartServer();
  ASSERT_NE(server, nullptr);
  auto client = Connect(ClientOptions(*server));
  ASSERT_NE(client, nullptr);
  const uint32_t session = client->CreateSession().value();
  server->Shutdown(milliseconds(500));
  server.reset();
  const Status status = client->DropSession(session);
  EXPECT_EQ(status.code(), StatusCode::kUnavailable) << status;
  EXPECT_NE(status.message().find(client->address()), std::string::npos) << status;
}

TEST(CacheServerTest, SharedMemoryCallsOfAClientOfAnotherServerProcessAreRefused) {
  auto server = StartServer();
  ASSERT_NE(server, nullptr);
  auto stub = v1::Cache::NewStub(
      grpc::CreateChannel(server->address(), grpc::InsecureChannelCredentials()));
  for (const std::string& pid : {std::to_string(::getpid() + 1), std::to_string(::getpid())}) {
    const bool same = pid == std::to_string(::getpid());
    SCOPED_TRACE(pid);
    grpc::ClientContext write_context;
    write_context.AddMetadata("headrace-segment-pid", pid);
    v1::WriteRowsRequest write;
    write.set_cache_id(1);
    v1::WriteRowsResponse written;
    const grpc::Status write_status = stub->WriteRows(&write_context, write, &written);
    // The same process goes on to look for cache 1, which does not exist.
    EXPECT_EQ(write_status.error_code(), same ? grpc::StatusCode::NOT_FOUND
                                              : grpc::StatusCode::FAILED_PRECONDITION)
        << write_status.error_message();
    grpc::ClientContext read_context;
    read_context.AddMetadata("headrace-segment-pid", pid);
    v1::ReadRowsRequest read;
    read.set_shared_memory(true);
    v1::ReadRowsResponse rows;
    const grpc::Status read_status = stub->ReadRows(&read_context, read, &rows);
    EXPECT_EQ(read_status.error_code(), same ? grpc::StatusCode::NOT_FOUND
                                             : grpc::StatusCode::FAILED_PRECONDITION);
    if (!same) {
      EXPECT_NE(read_status.error_message().find("connect again"), std::string::npos);
    }
  }
}

TEST(CacheServerTest, CacheIdsOfOneServerAreNotThoseOfAnother) {
  auto first = StartServer();
  auto second = StartServer();
  ASSERT_NE(first, nullptr);
  ASSERT_NE(second, nullptr);
  auto a = Connect(ClientOptions(*first));
  auto b = Connect(ClientOptions(*second));
  const uint64_t id_a = a->OpenCache(a->CreateSession().value(), 1, "", 0, true)->cache_id;
  const uint64_t id_b = b->OpenCache(b->CreateSession().value(), 1, "", 0, true)->cache_id;
  EXPECT_NE(id_a, id_b);  // a 1 in 2^31 chance of equal bases aside
  EXPECT_EQ(a->Lookup(id_b, {0}).status().code(), StatusCode::kNotFound);
}

TEST(CacheServerTest, BadClientOptionsAreInvalid) {
  CacheClientOptions options;
  options.port = 0;
  EXPECT_EQ(GrpcCacheClient::Connect(options).status().code(), StatusCode::kInvalidArgument);
  options = CacheClientOptions{};
  options.host = "";
  EXPECT_EQ(GrpcCacheClient::Connect(options).status().code(), StatusCode::kInvalidArgument);
  options = CacheClientOptions{};
  options.connect_timeout = milliseconds(0);
  EXPECT_EQ(GrpcCacheClient::Connect(options).status().code(), StatusCode::kInvalidArgument);
}

TEST(CacheServerTest, AnOversizedRequestIsResourceExhaustedAndTheServerGoesOn) {
  auto server = StartServer();
  ASSERT_NE(server, nullptr);
  grpc::ChannelArguments args;
  args.SetMaxSendMessageSize(-1);
  auto channel = grpc::CreateCustomChannel(server->address(), grpc::InsecureChannelCredentials(),
                                           args);
  auto stub = v1::Cache::NewStub(channel);
  {
    v1::WriteRowsRequest request;
    request.set_cache_id(1);
    request.add_rows()->mutable_data()->assign((256 << 20) + 1024, 'x');
    grpc::ClientContext context;
    v1::WriteRowsResponse response;
    const grpc::Status status = stub->WriteRows(&context, request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << status.error_message();
  }
  auto client = Connect(ClientOptions(*server));
  ASSERT_NE(client, nullptr);
  EXPECT_TRUE(client->CreateSession().ok());
}

TEST(CacheServerTest, ConcurrentClientsThroughOneWorker) {
  ServerOptions options = TestOptions(8 << 20);
  options.workers = 1;  // every request waits its turn in the server's queue
  auto server = StartServer(options);
  ASSERT_NE(server, nullptr);
  auto admin = Connect(ClientOptions(*server));
  ASSERT_NE(admin, nullptr);
  const uint32_t session = admin->CreateSession().value();
  const uint64_t cache_id = admin->OpenCache(session, 1, "", 0, true)->cache_id;
  constexpr int kThreads = 4;
  constexpr int kRows = 64;
  std::vector<int64_t> admitted(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto client = Connect(ClientOptions(*server, /*shared_memory=*/t % 2 == 0));
      ASSERT_NE(client, nullptr);
      for (int i = 0; i < kRows; i += 8) {
        Rows rows;
        std::vector<int64_t> ids;
        for (int j = 0; j < 8; ++j) {
          const int64_t id = (i + j + t * 11) % kRows;
          rows.emplace_back(id, MakeRow(id, 1024));
          ids.push_back(id);
        }
        auto written = client->WriteRows(cache_id, rows);
        ASSERT_TRUE(written.ok()) << written.status();
        admitted[t] += written->admitted;
        auto read = client->ReadRows(cache_id, ids);
        ASSERT_TRUE(read.ok()) << read.status();
        for (int j = 0; j < 8; ++j) ExpectRowIs(*(*read)[j], ids[j], 1024);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  int64_t total = 0;
  for (int64_t n : admitted) total += n;
  EXPECT_EQ(total, kRows);
  EXPECT_EQ(Statistics(*admin, cache_id).hits, kThreads * kRows);
  ASSERT_TRUE(admin->DropSession(session).ok());
  EXPECT_EQ(admin->ListSessions()->memory_used, 0);
}

TEST(CacheServerTest, StartRefusesAnOpenHostWithoutAToken) {
  ServerOptions options = TestOptions();
  options.host = "0.0.0.0";
  auto server = Server::Start(options);
  ASSERT_FALSE(server.ok());
  EXPECT_EQ(server.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(server.status().message().find("0.0.0.0"), std::string::npos);
  EXPECT_NE(server.status().message().find("--token"), std::string::npos);
  EXPECT_NE(server.status().message().find("HEADRACE_TOKEN"), std::string::npos);
}

TEST(CacheServerTest, MemoryBeyondTheShmDirectoryIsAClearError) {
  ServerOptions options = TestOptions();
  options.memory = MemorySize{int64_t{1} << 50, 0.0, "1024T"};
  auto server = Server::Start(options);
  ASSERT_FALSE(server.ok());
  EXPECT_EQ(server.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(server.status().message().find("--memory 1024T"), std::string::npos);
  EXPECT_NE(server.status().message().find("/dev/shm"), std::string::npos);
}

}  // namespace
}  // namespace headrace::server
