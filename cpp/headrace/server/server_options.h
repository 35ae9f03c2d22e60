// ServerOptions: where headrace-server listens, and the command line that sets it.
//
// ParseServerCommandLine turns headrace-server's argv into ServerOptions; ServerUsage is
// the --help text. Both are pure functions (no I/O, no globals), safe from any thread.
// Errors are Status::InvalidArgument naming the flag and the value at fault, e.g.
// "--port must be an integer in [0, 65535], got 'abc'".
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "headrace/core/result.h"
#include "headrace/core/status.h"

namespace headrace::server {

inline constexpr char kDefaultHost[] = "127.0.0.1";
inline constexpr int kDefaultPort = 50052;

struct ServerOptions {
  // Interface to listen on. Loopback by default: serving other machines is a choice.
  std::string host = kDefaultHost;
  // TCP port; 0 lets the system pick a free one (Server::BoundPort() tells which).
  int port = kDefaultPort;
};

// InvalidArgument if `options` cannot be served: an empty host or a port outside
// [0, 65535].
Status ValidateServerOptions(const ServerOptions& options);

// "host:port", with an IPv6 host put in brackets ("[::1]:50052"), as gRPC expects.
std::string FormatAddress(std::string_view host, int port);

struct ServerCommandLine {
  ServerOptions options;
  // --help (or -h) was given: print ServerUsage() and exit; `options` is unspecified.
  bool help = false;
  // --stop-on-stdin-close: stop when standard input reaches end of file. A launcher keeps
  // the write end of a pipe open, so the server stops when the launcher dies, even by
  // SIGKILL (headrace.server.ServerProcess always passes it).
  bool stop_on_stdin_close = false;
};

// Parses the arguments after the program name. Accepts `--flag value` and `--flag=value`
// for --host and --port, and --help / -h. The last occurrence of a flag wins.
Result<ServerCommandLine> ParseServerCommandLine(const std::vector<std::string>& args);
// The same for main()'s argc/argv (argv[0] is the program name and is skipped).
Result<ServerCommandLine> ParseServerCommandLine(int argc, const char* const* argv);

// The --help text: what the program does, every flag with its default, how to stop it.
std::string ServerUsage();

}  // namespace headrace::server
