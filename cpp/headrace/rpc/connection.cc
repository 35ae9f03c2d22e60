#include "headrace/rpc/connection.h"

#include <fcntl.h>
#include <grpc/grpc.h>
#include <limits.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <utility>

#include "headrace/rpc/address.h"
#include "headrace/rpc/status_conversion.h"
#include "headrace/v1/server.grpc.pb.h"

namespace headrace::rpc {

namespace {

// How long Open's last probe waits for the reason a server did not answer.
constexpr std::chrono::milliseconds kProbeTimeout{200};

Status CheckOptions(const ConnectionOptions& options) {
  if (options.host.empty()) return Status::InvalidArgument("host must not be empty");
  if (options.port < 1 || options.port > 65535) {
    return Status::InvalidArgument("port must be in [1, 65535], got " + std::to_string(options.port));
  }
  if (options.connect_timeout.count() <= 0) {
    return Status::InvalidArgument("connect_timeout must be positive, got " +
                                   std::to_string(options.connect_timeout.count()) + " ms");
  }
  return Status::OK();
}

// The server's store, mapped through /proc/<pid>/fd/<fd>, or an error saying why not (then
// the client sends bytes). The link's name proves that the fd is the segment of that
// server ("headrace-<pid>-..."): a server on another machine (or in another pid
// namespace) may name a pid and fd that exist here too.
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

}  // namespace

void CallSet::Add(grpc::ClientContext* context) {
  std::lock_guard<std::mutex> lock(mu_);
  calls_.insert(context);
}

void CallSet::Remove(grpc::ClientContext* context) {
  std::lock_guard<std::mutex> lock(mu_);
  calls_.erase(context);
}

void CallSet::CancelAll() {
  std::lock_guard<std::mutex> lock(mu_);
  for (grpc::ClientContext* context : calls_) context->TryCancel();
}

grpc::ChannelArguments ClientChannelArguments() {
  grpc::ChannelArguments args;
  // The server is reached directly; an http_proxy set for the web must not capture it.
  args.SetInt(GRPC_ARG_ENABLE_HTTP_PROXY, 0);
  // Retry a refused connection soon: a client is often made just before its server is up.
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

std::string StartAdvice(const std::string& host, int port) {
  std::string command = "headrace-server";
  if (host != kDefaultHost && host != "localhost" && !host.empty()) command += " --host " + host;
  return "start one with `headrace cache start` (or " + command + " --port " +
         std::to_string(port) + ")";
}

Status CallFailure(const char* rpc, const std::string& what, const std::string& address,
                   const std::string& start_advice, const grpc::Status& status) {
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE) {
    return Status::Unavailable(std::string(rpc) + ": the headrace " + what + " at " + address +
                               " is not answering (" + status.error_message() + "); " +
                               start_advice);
  }
  return FromGrpcStatus(status).WithContext(std::string(rpc) + " on the headrace " + what +
                                            " at " + address);
}

bool BlocksStayedWithClient(StatusCode code, std::initializer_list<StatusCode> refused_before_taking) {
  switch (code) {
    case StatusCode::kUnauthenticated:
    case StatusCode::kResourceExhausted:  // the message was too large to be received
    case StatusCode::kUnimplemented:
      return true;
    default:
      for (StatusCode refused : refused_before_taking) {
        if (code == refused) return true;
      }
      return false;
  }
}

Connection::Connection(ConnectionOptions options, std::string what, std::string address,
                       std::shared_ptr<grpc::Channel> channel)
    : options_(std::move(options)),
      what_(std::move(what)),
      address_(std::move(address)),
      channel_(std::move(channel)) {}

Result<std::unique_ptr<Connection>> Connection::Open(const ConnectionOptions& options,
                                                     std::string what) {
  RETURN_IF_ERROR(CheckOptions(options));
  std::string address = FormatAddress(options.host, options.port);
  std::shared_ptr<grpc::Channel> channel =
      grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), ClientChannelArguments());
  if (channel == nullptr) return Status::InvalidArgument("cannot make a channel to " + address);
  std::unique_ptr<Connection> connection(
      new Connection(options, std::move(what), std::move(address), std::move(channel)));

  // The first call waits for the connection until the deadline: a server started a
  // moment ago counts.
  std::unique_ptr<v1::Server::Stub> stub = v1::Server::NewStub(connection->channel_);
  v1::GetSegmentResponse segment;
  grpc::ClientContext context;
  connection->Prepare(&context);
  context.set_wait_for_ready(true);
  context.set_deadline(std::chrono::system_clock::now() + options.connect_timeout);
  const grpc::Status status = stub->GetSegment(&context, v1::GetSegmentRequest(), &segment);
  const Connection& c = *connection;
  if (status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED ||
      status.error_code() == grpc::StatusCode::UNAVAILABLE) {
    // Ask once more without waiting, for gRPC's reason ("Connection refused", ...).
    grpc::ClientContext probe;
    c.Prepare(&probe);
    probe.set_deadline(std::chrono::system_clock::now() + kProbeTimeout);
    v1::GetSegmentResponse ignored;
    const grpc::Status why = stub->GetSegment(&probe, v1::GetSegmentRequest(), &ignored);
    std::string reason = "nothing answered within " +
                         std::to_string(options.connect_timeout.count()) + " ms";
    if (why.error_code() == grpc::StatusCode::UNAVAILABLE) reason = why.error_message();
    return Status::Unavailable("no headrace " + c.what_ + " at " + c.address_ + ": " + reason +
                               "; " + StartAdvice(options.host, options.port));
  }
  if (!status.ok()) {
    return FromGrpcStatus(status).WithContext("connecting to the headrace " + c.what_ + " at " +
                                              c.address_);
  }
  if (options.use_shared_memory) {
    Result<std::shared_ptr<memory::SharedStore>> store = AttachServerStore(segment);
    if (store.ok()) {
      connection->store_ = std::move(store).value();
      connection->server_pid_ = std::to_string(segment.pid());
    }
  }
  return connection;
}

void Connection::Prepare(grpc::ClientContext* context) const {
  if (!options_.token.empty()) context->AddMetadata(kTokenMetadataKey, options_.token);
  // Offsets only mean something in the store of the process that answered GetSegment.
  if (store_ != nullptr) context->AddMetadata(kSegmentPidMetadataKey, server_pid_);
}

Status Connection::CallError(const char* rpc, const grpc::Status& status) const {
  return CallFailure(rpc, what_, address_, StartAdvice(options_.host, options_.port), status);
}

void Connection::ReleaseBlocks(const std::vector<int64_t>& offsets) const {
  for (int64_t offset : offsets) store_->Release(offset).IgnoreError();
}

}  // namespace headrace::rpc
