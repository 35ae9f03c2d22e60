// CheckToken: whether a call carries the server's token (metadata "headrace-token").
//
// Every handler of every service (Server and Cache) calls it first when the server has a
// token. The comparison takes the same time wherever the first difference is, so the
// token cannot be guessed byte by byte from response times.
// This header includes gRPC: include it only from cpp/headrace/server/*.cc and tests.
// Pure function, safe from any thread.
#pragma once

#include <grpcpp/grpcpp.h>

#include <string>

namespace headrace::server {

// OK when `token` is empty or the call's "headrace-token" metadata equals it;
// UNAUTHENTICATED otherwise (saying whether the token was missing or wrong).
grpc::Status CheckToken(const grpc::ServerContextBase& context, const std::string& token);

}  // namespace headrace::server
