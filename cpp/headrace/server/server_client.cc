#include "headrace/server/server_client.h"

#include <grpc/grpc.h>
#include <grpcpp/grpcpp.h>

#include <utility>

#include "headrace/server/server_options.h"
#include "headrace/server/status_conversion.h"
#include "headrace/v1/server.grpc.pb.h"

namespace headrace::server {

namespace {

// The command that would start a server at `address`, for error messages.
std::string StartCommandFor(const std::string& address) {
  const size_t colon = address.rfind(':');
  std::string port = colon == std::string::npos ? "" : address.substr(colon + 1);
  std::string host = colon == std::string::npos ? address : address.substr(0, colon);
  if (port.empty()) port = std::to_string(kDefaultPort);
  std::string command = "headrace-server";
  if (host != kDefaultHost && host != "localhost" && host != "") command += " --host " + host;
  return command + " --port " + port;
}

Status CheckTimeout(std::chrono::milliseconds timeout) {
  if (timeout.count() <= 0) {
    return Status::InvalidArgument("timeout must be positive, got " +
                                   std::to_string(timeout.count()) + " ms");
  }
  return Status::OK();
}

}  // namespace

struct ServerClient::Rep {
  std::string address;
  std::string token;
  std::unique_ptr<v1::Server::Stub> stub;

  // One unary call of `method` with a deadline; errors as CallError says. Every RPC of
  // the client goes through here.
  template <class Request, class Response>
  Status Call(const char* rpc,
              grpc::Status (v1::Server::Stub::*method)(grpc::ClientContext*, const Request&,
                                                       Response*),
              const Request& request, Response* response,
              std::chrono::milliseconds timeout) const {
    RETURN_IF_ERROR(CheckTimeout(timeout));
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + timeout);
    if (!token.empty()) context.AddMetadata(kTokenMetadataKey, token);
    const grpc::Status status = (stub.get()->*method)(&context, request, response);
    return status.ok() ? Status::OK() : CallError(status, rpc, timeout);
  }

  // Turns a failed call into a Status that says which server and what to do about it.
  Status CallError(const grpc::Status& status, const char* rpc,
                   std::chrono::milliseconds timeout) const {
    switch (status.error_code()) {
      case grpc::StatusCode::UNAVAILABLE:
        return Status::Unavailable("no headrace server is reachable at " + address + " (" +
                                   status.error_message() + "); start one with `" +
                                   StartCommandFor(address) + "`");
      case grpc::StatusCode::DEADLINE_EXCEEDED:
        return Status::DeadlineExceeded("the headrace server at " + address +
                                        " did not answer " + rpc + " within " +
                                        std::to_string(timeout.count()) + " ms");
      default:
        return FromGrpcStatus(status).WithContext(std::string(rpc) +
                                                  " on the headrace server at " + address);
    }
  }
};

Result<std::unique_ptr<ServerClient>> ServerClient::Connect(std::string address,
                                                          std::string token) {
  if (address.empty()) {
    return Status::InvalidArgument("address must be 'host:port', e.g. '" +
                                   FormatAddress(kDefaultHost, kDefaultPort) + "', got ''");
  }
  grpc::ChannelArguments args;
  // A headrace server is reached directly; an http_proxy set for the web must not
  // capture calls to 127.0.0.1.
  args.SetInt(GRPC_ARG_ENABLE_HTTP_PROXY, 0);
  // Retry a refused connection soon: a client is often made just before its server is up.
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 1000);
  auto channel = grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), args);
  if (channel == nullptr) {
    return Status::InvalidArgument("cannot make a channel to address '" + address + "'");
  }
  auto rep = std::make_unique<Rep>();
  rep->address = std::move(address);
  rep->token = std::move(token);
  rep->stub = v1::Server::NewStub(channel);
  return std::unique_ptr<ServerClient>(new ServerClient(std::move(rep)));
}

ServerClient::ServerClient(std::unique_ptr<Rep> rep) : rep_(std::move(rep)) {}

ServerClient::~ServerClient() = default;

const std::string& ServerClient::address() const { return rep_->address; }

Result<ServerStatusInfo> ServerClient::GetStatus(std::chrono::milliseconds timeout) {
  v1::GetStatusResponse response;
  RETURN_IF_ERROR(rep_->Call("GetStatus", &v1::Server::Stub::GetStatus, v1::GetStatusRequest(),
                             &response, timeout));

  ServerStatusInfo info;
  info.version = response.version();
  info.pid = response.pid();
  info.host = response.host();
  info.port = response.port();
  info.uptime_seconds = response.uptime_seconds();
  info.started_unix_seconds = response.started_unix_seconds();
  return info;
}

Status ServerClient::Stop(std::chrono::milliseconds timeout) {
  v1::StopResponse response;
  return rep_->Call("Stop", &v1::Server::Stub::Stop, v1::StopRequest(), &response, timeout);
}

}  // namespace headrace::server
