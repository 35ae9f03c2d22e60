// ServerStatusInfo: what a headrace server says about itself (the GetStatus RPC).
//
// A plain value, produced by ControlServiceImpl::GetStatus on the server side and by
// ServerClient::GetStatus on the client side. Not synchronised, like any value.
#pragma once

#include <cstdint>
#include <string>

namespace headrace::rpc {

struct ServerStatusInfo {
  // headrace version of the server binary, e.g. "0.1.0".
  std::string version;
  // Process id of the server.
  int64_t pid = 0;
  // Host the server listens on, as configured.
  std::string host;
  // Port the server is bound to (the chosen one when started on port 0).
  int port = 0;
  // Seconds since the server started, from a monotonic clock.
  double uptime_seconds = 0.0;
  // Wall-clock start time, seconds since the Unix epoch.
  double started_unix_seconds = 0.0;
};

}  // namespace headrace::rpc
