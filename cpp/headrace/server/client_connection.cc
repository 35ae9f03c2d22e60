#include "headrace/server/client_connection.h"

#include <fcntl.h>
#include <grpc/grpc.h>
#include <limits.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <mutex>

#include "headrace/server/server_options.h"
#include "headrace/server/status_conversion.h"

namespace headrace::server {

namespace {

// How long Connect's last probe waits for the reason a server did not answer.
constexpr std::chrono::milliseconds kProbeTimeout{200};

}  // namespace

grpc::ChannelArguments ClientChannelArguments() {
  grpc::ChannelArguments args;
  // The server is reached directly; an http_proxy set for the web must not capture it.
  args.SetInt(GRPC_ARG_ENABLE_HTTP_PROXY, 0);
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 1000);
  args.SetMaxReceiveMessageSize(static_cast<int>(kMaxMessageBytes));
  // A server behind a dead link is noticed within seconds, not at the call's deadline.
  args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, 10000);
  args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 5000);
  args.SetMaxSendMessageSize(static_cast<int>(kMaxMessageBytes));
  return args;
}

Status NoServer(const std::string& what, const std::string& address, int port,
                const std::string& reason) {
  return Status::Unavailable("no headrace " + what + " at " + address + ": " + reason +
                             "; start one with `headrace cache start` (or headrace-server "
                             "--port " + std::to_string(port) + ")");
}

Status CallError(const char* rpc, const std::string& what, const std::string& address, int port,
                 const grpc::Status& status) {
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE) {
    return Status::Unavailable(std::string(rpc) + ": the headrace " + what + " at " + address +
                               " is not answering (" + status.error_message() +
                               "); start one with `headrace cache start` (or "
                               "headrace-server --port " +
                               std::to_string(port) + ")");
  }
  return FromGrpcStatus(status).WithContext(std::string(rpc) + " on the headrace " + what +
                                            " at " + address);
}

Result<v1::GetSegmentResponse> ReachServer(
    v1::Cache::Stub* stub, const std::function<void(grpc::ClientContext*)>& prepare,
    const std::string& what, const std::string& address, int port,
    std::chrono::milliseconds timeout) {
  v1::GetSegmentResponse segment;
  grpc::ClientContext context;
  prepare(&context);
  // Waits for the connection until the deadline: a server started a moment ago counts.
  context.set_wait_for_ready(true);
  context.set_deadline(std::chrono::system_clock::now() + timeout);
  const grpc::Status status = stub->GetSegment(&context, v1::GetSegmentRequest(), &segment);
  if (status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED ||
      status.error_code() == grpc::StatusCode::UNAVAILABLE) {
    // Ask once more without waiting, for gRPC's reason ("Connection refused", ...).
    grpc::ClientContext probe;
    prepare(&probe);
    probe.set_deadline(std::chrono::system_clock::now() + kProbeTimeout);
    v1::GetSegmentResponse ignored;
    const grpc::Status why = stub->GetSegment(&probe, v1::GetSegmentRequest(), &ignored);
    std::string reason = "nothing answered within " + std::to_string(timeout.count()) + " ms";
    if (why.error_code() == grpc::StatusCode::UNAVAILABLE) reason = why.error_message();
    return NoServer(what, address, port, reason);
  }
  if (!status.ok()) {
    return FromGrpcStatus(status).WithContext("connecting to the headrace " + what + " at " +
                                              address);
  }
  return segment;
}

Result<std::shared_ptr<memory::SharedStore>> AttachServerStore(
    const v1::GetSegmentResponse& segment) {
  const std::string path =
      "/proc/" + std::to_string(segment.pid()) + "/fd/" + std::to_string(segment.fd());
  char target[PATH_MAX];
  const ssize_t n = ::readlink(path.c_str(), target, sizeof(target) - 1);
  if (n < 0) return Status::NotFound("cannot read " + path + ": " + std::strerror(errno));
  target[n] = '\0';
  const std::string name(target);
  const std::string expected = "/headrace-" + std::to_string(segment.pid()) + "-";
  if (name.find(expected) == std::string::npos) {
    return Status::NotFound(path + " is " + name + ", not the server's segment");
  }
  // Clients of one server in one process share one mapping of its store: a page is
  // faulted into this process once, not once per client (a sender made per epoch would
  // otherwise touch fresh pages on every send: half the bandwidth of a 128 MB send).
  static std::mutex attached_mu;
  static std::map<std::string, std::weak_ptr<memory::SharedStore>> attached;
  std::lock_guard<std::mutex> lock(attached_mu);
  const std::string key = std::to_string(segment.pid()) + ":" + name;
  if (auto it = attached.find(key); it != attached.end()) {
    if (std::shared_ptr<memory::SharedStore> store = it->second.lock()) return store;
    attached.erase(it);
  }
  const int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0) return Status::PermissionDenied("cannot open " + path + ": " + std::strerror(errno));
  Result<std::shared_ptr<memory::SharedStore>> store = memory::SharedStore::Attach(fd);
  ::close(fd);  // Attach dups it
  if (!store.ok()) return store.status();
  if ((*store)->capacity() != segment.capacity()) {
    return Status::NotFound(path + " holds a store of another capacity");
  }
  attached[key] = *store;
  return store;
}

LocalStore MapStoreIfLocal(bool use_shared_memory, const v1::GetSegmentResponse& segment) {
  if (!use_shared_memory) return {};
  Result<std::shared_ptr<memory::SharedStore>> store = AttachServerStore(segment);
  if (!store.ok()) return {};
  return LocalStore{std::move(store).value(), std::to_string(segment.pid())};
}

Status CheckClientOptions(const std::string& host, int port, std::chrono::milliseconds connect_timeout) {
  if (host.empty()) return Status::InvalidArgument("host must not be empty");
  if (port < 1 || port > 65535) {
    return Status::InvalidArgument("port must be in [1, 65535], got " + std::to_string(port));
  }
  if (connect_timeout.count() <= 0) {
    return Status::InvalidArgument("connect_timeout must be positive, got " +
                                   std::to_string(connect_timeout.count()) + " ms");
  }
  return Status::OK();
}

}  // namespace headrace::server
