// ConnectionOptions: how a client (the cache's, the channel's) reaches a headrace server.
//
// gRPC-free, so that the clients' public headers and the bindings can hold one. A plain
// value; Connection::Open (connection.h) checks it and names the field at fault.
#pragma once

#include <chrono>
#include <string>

#include "headrace/rpc/wire.h"

namespace headrace::rpc {

struct ConnectionOptions {
  std::string host = kDefaultHost;
  int port = kDefaultPort;
  std::string token;  // sent with every request when not empty
  // How long the first call waits for the server (one that is starting counts).
  std::chrono::milliseconds connect_timeout = kDefaultConnectTimeout;
  // Use the server's shared-memory store when the server is on this machine.
  bool use_shared_memory = true;
};

}  // namespace headrace::rpc
