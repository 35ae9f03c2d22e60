// Server addresses as gRPC and the safety rules see them. Pure functions, any thread.
#pragma once

#include <string>
#include <string_view>

namespace headrace::rpc {

// "host:port", with an IPv6 host put in brackets ("[::1]:50052"), as gRPC expects.
std::string FormatAddress(std::string_view host, int port);

// True for 127.0.0.0/8, ::1 (bracketed or not) and "localhost": the hosts a server may
// listen on without a token.
bool IsLoopbackHost(std::string_view host);

}  // namespace headrace::rpc
