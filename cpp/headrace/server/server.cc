#include "headrace/server/server.h"

#include <grpc/grpc.h>
#include <grpcpp/grpcpp.h>
#include <netdb.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "headrace/core/thread_annotations.h"
#include "headrace/memory/byte_size.h"
#include "headrace/memory/shared_store.h"
#include "headrace/rpc/address.h"
#include "headrace/rpc/wire.h"
#include "headrace/server/cache_service_impl.h"
#include "headrace/server/channel_service_impl.h"
#include "headrace/server/control_service_impl.h"
#include "headrace/server/grpc_cache_service.h"
#include "headrace/server/grpc_channel_service.h"
#include "headrace/server/grpc_control_service.h"
#include "headrace/server/log.h"
#include "headrace/server/request_queue.h"

namespace headrace::server {

namespace {

constexpr std::chrono::milliseconds kDestructorShutdownDeadline{1000};
// Local channel clients with a call lane at once (each a thread here and 64 KiB of the
// store); more make their calls by gRPC.
constexpr int kMaxChannelLanes = 64;

// Why gRPC could not listen on host:port. gRPC only logs the reason and reports that no
// port was added, so repeat the bind with a plain socket to learn the errno. (If the
// port was freed in between, the probe succeeds and the reason stays vague.)
std::string BindFailureReason(std::string host, int port) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* addresses = nullptr;
  const std::string service = std::to_string(port);
  if (int rc = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &addresses); rc != 0) {
    return "cannot resolve host '" + host + "': " + ::gai_strerror(rc);
  }
  std::string reason = "gRPC refused the address";
  for (addrinfo* a = addresses; a != nullptr; a = a->ai_next) {
    const int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) {
      reason = std::strerror(errno);
      continue;
    }
    const bool bound = ::bind(fd, a->ai_addr, a->ai_addrlen) == 0;
    if (!bound) reason = std::strerror(errno);
    ::close(fd);
    if (!bound) break;
  }
  ::freeaddrinfo(addresses);
  return reason;
}

// A directory the server made for itself, removed with everything in it when it goes.
class OwnedDirectory {
 public:
  explicit OwnedDirectory(std::string path) : path_(std::move(path)) {}
  ~OwnedDirectory() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  OwnedDirectory(const OwnedDirectory&) = delete;
  OwnedDirectory& operator=(const OwnedDirectory&) = delete;
  const std::string& path() const { return path_; }

 private:
  const std::string path_;
};

// The store's capacity: --memory resolved against this machine's RAM and free shm.
Result<int64_t> MemoryBytes(const ServerOptions& options) {
  struct statvfs stats {};
  if (::statvfs(options.shm_directory.c_str(), &stats) != 0) {
    return Status::InvalidArgument("cannot examine the shared-memory directory " +
                                   options.shm_directory + ": " + std::strerror(errno));
  }
  const int64_t shm_free =
      static_cast<int64_t>(stats.f_bavail) * static_cast<int64_t>(stats.f_frsize);
  const int64_t ram = static_cast<int64_t>(::sysconf(_SC_PHYS_PAGES)) *
                      static_cast<int64_t>(::sysconf(_SC_PAGESIZE));
  return ResolveMemoryBytes(options.memory, ram, shm_free, options.shm_directory);
}

// A new private directory under $TMPDIR (or /tmp) for the spill files.
Result<std::unique_ptr<OwnedDirectory>> MakeSpillDirectory() {
  const char* tmpdir = std::getenv("TMPDIR");
  std::string pattern = (tmpdir != nullptr && *tmpdir != '\0') ? tmpdir : "/tmp";
  pattern += "/headrace-spill-XXXXXX";
  std::vector<char> path(pattern.begin(), pattern.end());
  path.push_back('\0');
  if (::mkdtemp(path.data()) == nullptr) {
    return Status::Internal("cannot make a spill directory " + pattern + ": " +
                            std::strerror(errno) + "; pass --spill-dir DIR or --no-spill");
  }
  return std::make_unique<OwnedDirectory>(path.data());
}

// A --spill-dir the user gave: made if missing, and writable.
Status PrepareSpillDirectory(const std::string& path) {
  if (::mkdir(path.c_str(), 0700) != 0 && errno != EEXIST) {
    return Status::Internal("cannot make --spill-dir " + path + ": " + std::strerror(errno));
  }
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0 || !S_ISDIR(info.st_mode)) {
    return Status::InvalidArgument("--spill-dir " + path + " is not a directory");
  }
  if (::access(path.c_str(), W_OK | X_OK) != 0) {
    return Status::InvalidArgument("--spill-dir " + path + " is not writable: " +
                                   std::strerror(errno));
  }
  return Status::OK();
}

}  // namespace

struct Server::Rep {
  explicit Rep(const ServerOptions& options)
      : options(options), impl(options.host), service(&impl, options.token) {}

  const ServerOptions options;

  // Declared in dependency order, so destroyed in the reverse: the listener first, then
  // the services, the queue, the channels and the caches (releasing blocks, deleting
  // spill files), the store, and last the spill directory the server made.
  std::unique_ptr<OwnedDirectory> owned_spill_dir;
  std::string spill_dir;
  std::shared_ptr<memory::SharedStore> store;
  ControlServiceImpl impl;
  GrpcControlService service;
  std::unique_ptr<CacheServiceImpl> cache_impl;
  std::unique_ptr<ChannelServiceImpl> channel_impl;
  std::unique_ptr<ChannelLanes> channel_lanes;
  std::unique_ptr<RequestQueue> queue;
  std::unique_ptr<GrpcCacheService> cache_service;
  std::unique_ptr<GrpcChannelService> channel_service;
  std::unique_ptr<grpc::Server> grpc_server;
  int bound_port = 0;

  std::mutex shutdown_mu;
  bool shut_down HEADRACE_GUARDED_BY(shutdown_mu) = false;
};

Result<std::unique_ptr<Server>> Server::Start(const ServerOptions& options) {
  RETURN_IF_ERROR(ValidateServerOptions(options));
  SetLogLevel(options.log_level);
  auto rep = std::make_unique<Rep>(options);
  const std::string listen_address = rpc::FormatAddress(options.host, options.port);

  ASSIGN_OR_RETURN(const int64_t memory_bytes, MemoryBytes(options));
  Result<std::shared_ptr<memory::SharedStore>> store =
      memory::SharedStore::Create(memory_bytes, options.shm_directory);
  if (!store.ok()) return store.status().WithContext("--memory");
  rep->store = std::move(store).value();
  rep->impl.SetSegment(rep->store->fd(), rep->store->capacity());
  if (options.spill) {
    if (options.spill_dir.empty()) {
      ASSIGN_OR_RETURN(rep->owned_spill_dir, MakeSpillDirectory());
      rep->spill_dir = rep->owned_spill_dir->path();
    } else {
      RETURN_IF_ERROR(PrepareSpillDirectory(options.spill_dir));
      rep->spill_dir = options.spill_dir;
    }
  }
  rep->cache_impl = std::make_unique<CacheServiceImpl>(rep->store, rep->spill_dir);
  rep->queue = std::make_unique<RequestQueue>(options.workers);
  rep->cache_service =
      std::make_unique<GrpcCacheService>(rep->cache_impl.get(), rep->queue.get(), options.token);
  // Channels share the store (a local sender's blocks are the ones receivers map) and the
  // token; their calls never block, so they need no worker.
  rep->channel_impl = std::make_unique<ChannelServiceImpl>(rep->store);
  rep->channel_lanes = std::make_unique<ChannelLanes>(rep->channel_impl.get(), kMaxChannelLanes);
  rep->channel_service = std::make_unique<GrpcChannelService>(
      rep->channel_impl.get(), rep->channel_lanes.get(), options.token);

  grpc::ServerBuilder builder;
  // Batches of rows travel in one message; larger ones get RESOURCE_EXHAUSTED.
  builder.SetMaxReceiveMessageSize(static_cast<int>(rpc::kMaxMessageBytes));
  builder.SetMaxSendMessageSize(static_cast<int>(rpc::kMaxMessageBytes));
  // gRPC sets SO_REUSEPORT by default on Linux, which would let a second server bind a
  // port that is in use and silently split the traffic. A busy port must be an error.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  int selected_port = 0;
  builder.AddListeningPort(listen_address, grpc::InsecureServerCredentials(), &selected_port);
  builder.RegisterService(&rep->service);
  builder.RegisterService(rep->cache_service.get());
  builder.RegisterService(rep->channel_service.get());
  rep->grpc_server = builder.BuildAndStart();
  if (rep->grpc_server == nullptr || selected_port == 0) {
    return Status::Unavailable("cannot listen on " + listen_address + ": " +
                               BindFailureReason(options.host, options.port) +
                               "; choose a free --port (0 picks one) or a --host that is an "
                               "address of this machine");
  }
  rep->bound_port = selected_port;
  rep->impl.SetBoundPort(selected_port);
  LogInfo("serving on " + rpc::FormatAddress(options.host, selected_port) + ": memory " +
          memory::FormatBytes(memory_bytes) + ", " +
          (rep->spill_dir.empty() ? std::string("not spilling") : "spilling to " + rep->spill_dir) +
          ", " + std::to_string(options.workers) + " workers" +
          (options.token.empty() ? "" : ", token required"));
  return std::unique_ptr<Server>(new Server(std::move(rep)));
}

Server::Server(std::unique_ptr<Rep> rep) : rep_(std::move(rep)) {}

Server::~Server() { Shutdown(kDestructorShutdownDeadline); }

int Server::BoundPort() const { return rep_->bound_port; }

const std::string& Server::host() const { return rep_->options.host; }

std::string Server::address() const { return rpc::FormatAddress(host(), BoundPort()); }

int64_t Server::memory_capacity() const { return rep_->store->capacity(); }

int Server::open_channel_lanes() const { return rep_->channel_lanes->open_lanes(); }

const std::string& Server::spill_dir() const { return rep_->spill_dir; }

rpc::ServerStatusInfo Server::GetStatus() const { return rep_->impl.GetStatus(); }

void Server::Wait() { rep_->impl.WaitForStopRequest(); }

void Server::RequestStop() { rep_->impl.RequestStop(); }

void Server::Shutdown(std::chrono::milliseconds deadline) {
  std::lock_guard<std::mutex> lock(rep_->shutdown_mu);
  if (rep_->shut_down) return;
  // Wake Wait() first: a thread blocked there must not outlive the serving it waits on.
  rep_->impl.RequestStop();
  // Senders' Attach streams and parked Puts and Gets would otherwise hold gRPC's shutdown
  // until its deadline: end them (UNAVAILABLE) and free the channels first.
  rep_->channel_service->Shutdown();
  // Blocks until every in-flight call has completed (or been cancelled at the deadline),
  // so a Stop reply finishes before the process goes on to exit.
  rep_->grpc_server->Shutdown(std::chrono::system_clock::now() + deadline);
  rep_->grpc_server->Wait();
  // Only now: gRPC's shutdown waits for the calls that the workers finish.
  rep_->queue->Shutdown();
  rep_->shut_down = true;
}

}  // namespace headrace::server
