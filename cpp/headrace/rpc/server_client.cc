#include "headrace/rpc/server_client.h"

#include <grpc/grpc.h>
#include <grpcpp/grpcpp.h>

#include <charconv>
#include <utility>

#include "headrace/rpc/address.h"
#include "headrace/rpc/connection.h"
#include "headrace/rpc/wire.h"
#include "headrace/v1/server.grpc.pb.h"

namespace headrace::rpc {

namespace {

// The advice on starting a server at `address` ("host:port"), for error messages.
std::string StartAdviceFor(const std::string& address) {
  const size_t colon = address.rfind(':');
  const std::string host = colon == std::string::npos ? address : address.substr(0, colon);
  int port = kDefaultPort;  // kept when the address has no port number
  if (colon != std::string::npos) {
    const char* digits = address.data() + colon + 1;
    std::from_chars(digits, address.data() + address.size(), port);
  }
  return StartAdvice(host, port);
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

  // A failed call as every client reports it, except that a call that ran out of its
  // own timeout says so (here the caller chose the timeout).
  Status CallError(const grpc::Status& status, const char* rpc,
                   std::chrono::milliseconds timeout) const {
    if (status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) {
      return Status::DeadlineExceeded("the headrace server at " + address + " did not answer " +
                                      rpc + " within " + std::to_string(timeout.count()) + " ms");
    }
    return CallFailure(rpc, "server", address, StartAdviceFor(address), status);
  }
};

Result<std::unique_ptr<ServerClient>> ServerClient::Connect(std::string address,
                                                          std::string token) {
  if (address.empty()) {
    return Status::InvalidArgument("address must be 'host:port', e.g. '" +
                                   FormatAddress(kDefaultHost, kDefaultPort) + "', got ''");
  }
  auto channel = grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(),
                                           ClientChannelArguments());
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

}  // namespace headrace::rpc
