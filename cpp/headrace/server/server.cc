#include "headrace/server/server.h"

#include <grpc/grpc.h>
#include <grpcpp/grpcpp.h>
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <mutex>
#include <string>
#include <utility>

#include "headrace/core/thread_annotations.h"
#include "headrace/server/grpc_service.h"
#include "headrace/server/server_impl.h"

namespace headrace::server {

namespace {

constexpr std::chrono::milliseconds kDestructorShutdownDeadline{1000};

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

}  // namespace

struct Server::Rep {
  explicit Rep(const ServerOptions& options)
      : options(options), impl(options.host), service(&impl) {}

  const ServerOptions options;

  // Declared in dependency order: grpc_server uses service, which uses impl, so it is
  // destroyed first.
  ServerImpl impl;
  ControlService service;
  std::unique_ptr<grpc::Server> grpc_server;
  int bound_port = 0;

  std::mutex shutdown_mu;
  bool shut_down HEADRACE_GUARDED_BY(shutdown_mu) = false;
};

Result<std::unique_ptr<Server>> Server::Start(const ServerOptions& options) {
  RETURN_IF_ERROR(ValidateServerOptions(options));
  auto rep = std::make_unique<Rep>(options);
  const std::string listen_address = FormatAddress(options.host, options.port);

  grpc::ServerBuilder builder;
  // gRPC sets SO_REUSEPORT by default on Linux, which would let a second server bind a
  // port that is in use and silently split the traffic. A busy port must be an error.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  int selected_port = 0;
  builder.AddListeningPort(listen_address, grpc::InsecureServerCredentials(), &selected_port);
  builder.RegisterService(&rep->service);
  rep->grpc_server = builder.BuildAndStart();
  if (rep->grpc_server == nullptr || selected_port == 0) {
    return Status::Unavailable("cannot listen on " + listen_address + ": " +
                               BindFailureReason(options.host, options.port) +
                               "; choose a free --port (0 picks one) or a --host that is an "
                               "address of this machine");
  }
  rep->bound_port = selected_port;
  rep->impl.SetBoundPort(selected_port);
  return std::unique_ptr<Server>(new Server(std::move(rep)));
}

Server::Server(std::unique_ptr<Rep> rep) : rep_(std::move(rep)) {}

Server::~Server() { Shutdown(kDestructorShutdownDeadline); }

int Server::BoundPort() const { return rep_->bound_port; }

const std::string& Server::host() const { return rep_->options.host; }

std::string Server::address() const { return FormatAddress(host(), BoundPort()); }

ServerStatusInfo Server::GetStatus() const { return rep_->impl.GetStatus(); }

void Server::Wait() { rep_->impl.WaitForStopRequest(); }

void Server::RequestStop() { rep_->impl.RequestStop(); }

void Server::Shutdown(std::chrono::milliseconds deadline) {
  std::lock_guard<std::mutex> lock(rep_->shutdown_mu);
  if (rep_->shut_down) return;
  // Wake Wait() first: a thread blocked there must not outlive the serving it waits on.
  rep_->impl.RequestStop();
  // Blocks until every in-flight call has completed (or been cancelled at the deadline),
  // so a Stop reply finishes before the process goes on to exit.
  rep_->grpc_server->Shutdown(std::chrono::system_clock::now() + deadline);
  rep_->grpc_server->Wait();
  rep_->shut_down = true;
}

}  // namespace headrace::server
