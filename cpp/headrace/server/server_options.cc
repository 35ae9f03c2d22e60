#include "headrace/server/server_options.h"

#include <charconv>
#include <optional>
#include <system_error>

namespace headrace::server {

namespace {

constexpr int kMaxPort = 65535;

Status InvalidPort(std::string_view value) {
  return Status::InvalidArgument("--port must be an integer in [0, " +
                                 std::to_string(kMaxPort) + "], got '" + std::string(value) +
                                 "'");
}

// std::from_chars rather than std::stoi: it neither skips whitespace nor accepts a sign
// or trailing text, so "80x", " 80" and "+80" are rejected instead of read as 80.
Result<int> ParsePort(std::string_view value) {
  int port = 0;
  const char* end = value.data() + value.size();
  auto [ptr, ec] = std::from_chars(value.data(), end, port);
  if (value.empty() || ec != std::errc() || ptr != end || port < 0 || port > kMaxPort) {
    return InvalidPort(value);
  }
  return port;
}

}  // namespace

Status ValidateServerOptions(const ServerOptions& options) {
  if (options.host.empty()) {
    return Status::InvalidArgument("--host must not be empty");
  }
  if (options.port < 0 || options.port > kMaxPort) {
    return InvalidPort(std::to_string(options.port));
  }
  return Status::OK();
}

std::string FormatAddress(std::string_view host, int port) {
  const bool bare_ipv6 =
      !host.empty() && host.front() != '[' && host.find(':') != std::string_view::npos;
  std::string address;
  if (bare_ipv6) address += '[';
  address += host;
  if (bare_ipv6) address += ']';
  address += ':';
  address += std::to_string(port);
  return address;
}

Result<ServerCommandLine> ParseServerCommandLine(const std::vector<std::string>& args) {
  ServerCommandLine command_line;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      command_line.help = true;
      continue;
    }
    if (arg == "--stop-on-stdin-close") {
      command_line.stop_on_stdin_close = true;
      continue;
    }
    // Split "--flag=value"; otherwise the value, if the flag takes one, is the next arg.
    std::string flag = arg;
    std::optional<std::string> value;
    if (size_t eq = arg.find('='); arg.rfind("--", 0) == 0 && eq != std::string::npos) {
      flag = arg.substr(0, eq);
      value = arg.substr(eq + 1);
    }
    if (flag != "--host" && flag != "--port") {
      if (arg.rfind("-", 0) == 0) {
        return Status::InvalidArgument("unknown flag '" + flag +
                                       "'; the flags are --host, --port, --stop-on-stdin-close and --help");
      }
      return Status::InvalidArgument("unexpected argument '" + arg +
                                     "'; headrace-server takes only flags (see --help)");
    }
    if (!value.has_value()) {
      if (i + 1 >= args.size()) {
        return Status::InvalidArgument(flag + " needs a value, e.g. " + flag + " " +
                                       (flag == "--host" ? kDefaultHost
                                                         : std::to_string(kDefaultPort)));
      }
      value = args[++i];
    }
    if (flag == "--host") {
      if (value->empty()) return Status::InvalidArgument("--host must not be empty");
      command_line.options.host = *value;
    } else {
      ASSIGN_OR_RETURN(command_line.options.port, ParsePort(*value));
    }
  }
  return command_line;
}

Result<ServerCommandLine> ParseServerCommandLine(int argc, const char* const* argv) {
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) args.emplace_back(argv[i]);
  return ParseServerCommandLine(args);
}

std::string ServerUsage() {
  return std::string(
             "usage: headrace-server [--host HOST] [--port PORT] [--stop-on-stdin-close]\n"
             "\n"
             "Runs the headrace server: a gRPC daemon that hosts headrace's caches and\n"
             "channels for the processes of one or more training jobs.\n"
             "\n"
             "flags:\n"
             "  --host HOST  interface to listen on (default: ") +
         kDefaultHost +
         ")\n"
         "  --port PORT  TCP port to listen on, 0 picks a free one (default: " +
         std::to_string(kDefaultPort) +
         ")\n"
         "  --stop-on-stdin-close\n"
         "               stop when standard input is closed (so that the server ends\n"
         "               with the process that started it)\n"
         "  --help, -h   print this text and exit\n"
         "\n"
         "On start it prints one line, 'headrace-server listening on HOST:PORT'.\n"
         "It stops cleanly (exit code 0) on SIGINT, SIGTERM or the Stop RPC\n"
         "(python -c \"import headrace.server as s; s.stop('HOST:PORT')\").\n"
         "Exit codes: 0 stopped cleanly, 1 could not listen, 2 bad command line.\n";
}

}  // namespace headrace::server
