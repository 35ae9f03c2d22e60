#include "headrace/server/server_options.h"


#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <system_error>

#include "headrace/memory/byte_size.h"
#include "headrace/rpc/address.h"

namespace headrace::server {

namespace {

constexpr int kMaxPort = 65535;
constexpr char kFlagList[] =
    "--host, --port, --memory, --spill-dir, --no-spill, --workers, --log-level, --token, "
    "--stop-on-stdin-close and --help";

Status InvalidPort(std::string_view value, std::string_view source = "--port") {
  return Status::InvalidArgument(std::string(source) + " must be an integer in [0, " +
                                 std::to_string(kMaxPort) + "], got '" + std::string(value) +
                                 "'");
}

// std::from_chars rather than std::stoi: it neither skips whitespace nor accepts a sign
// or trailing text, so "80x", " 80" and "+80" are rejected instead of read as 80.
Result<int> ParseInt(std::string_view value) {
  int number = 0;
  const char* end = value.data() + value.size();
  auto [ptr, ec] = std::from_chars(value.data(), end, number);
  if (value.empty() || ec != std::errc() || ptr != end) {
    return Status::InvalidArgument("not an integer");
  }
  return number;
}

Result<int> ParsePort(std::string_view value, std::string_view source = "--port") {
  Result<int> port = ParseInt(value);
  if (!port.ok() || *port < 0 || *port > kMaxPort) return InvalidPort(value, source);
  return *port;
}

Status InvalidWorkers(std::string_view value) {
  return Status::InvalidArgument("--workers must be an integer in [1, " +
                                 std::to_string(kMaxWorkers) + "], got '" +
                                 std::string(value) + "'");
}

Result<int> ParseWorkers(std::string_view value) {
  Result<int> workers = ParseInt(value);
  if (!workers.ok() || *workers < 1 || *workers > kMaxWorkers) return InvalidWorkers(value);
  return *workers;
}

Status InvalidMemory(std::string_view text) {
  return Status::InvalidArgument(
      "--memory must be a size such as 4G, 512M or 1.5GiB, or a fraction of RAM such as 0.25 "
      "or 25%; got '" + std::string(text) + "'");
}

// A value for the flags that take one, with an example for the "needs a value" message.
const char* ExampleValue(const std::string& flag) {
  if (flag == "--host") return rpc::kDefaultHost;
  if (flag == "--port") {
    static const std::string port = std::to_string(rpc::kDefaultPort);
    return port.c_str();
  }
  if (flag == "--memory") return "4G";
  if (flag == "--spill-dir") return "/var/tmp/headrace-spill";
  if (flag == "--workers") return "4";
  if (flag == "--log-level") return "info";
  if (flag == "--token") return "SECRET";
  return nullptr;  // not a flag that takes a value
}

std::string Lower(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower;
}

}  // namespace

Status ValidateServerOptions(const ServerOptions& options) {
  if (options.host.empty()) {
    return Status::InvalidArgument("--host must not be empty");
  }
  if (options.port < 0 || options.port > kMaxPort) {
    return InvalidPort(std::to_string(options.port));
  }
  if (options.workers < 1 || options.workers > kMaxWorkers) {
    return InvalidWorkers(std::to_string(options.workers));
  }
  if (options.token.empty() && !rpc::IsLoopbackHost(options.host)) {
    return Status::InvalidArgument(
        "refusing to listen on " + options.host +
        " without a token: anyone who can reach it could read and write its caches; pass "
        "--token TOKEN or set HEADRACE_TOKEN (clients send the same), or listen on 127.0.0.1");
  }
  if (options.memory.has_value() && options.memory->bytes <= 0 &&
      !(options.memory->fraction > 0.0 && options.memory->fraction <= 1.0)) {
    return InvalidMemory(options.memory->text);
  }
  return Status::OK();
}

Result<MemorySize> ParseMemorySize(std::string_view text) {
  // The number: digits with at most one '.', no sign, no exponent.
  size_t number_end = 0;
  while (number_end < text.size() &&
         (std::isdigit(static_cast<unsigned char>(text[number_end])) || text[number_end] == '.')) {
    ++number_end;
  }
  double number = 0.0;
  const char* first = text.data();
  const char* last = text.data() + number_end;
  auto [ptr, ec] = std::from_chars(first, last, number, std::chars_format::fixed);
  if (number_end == 0 || ec != std::errc() || ptr != last || !std::isfinite(number) ||
      number <= 0.0) {
    return InvalidMemory(text);
  }
  const std::string unit = Lower(text.substr(number_end));
  MemorySize size;
  size.text = std::string(text);
  if (unit.empty() || unit == "%") {
    size.fraction = unit.empty() ? number : number / 100.0;
    if (size.fraction > 1.0) return InvalidMemory(text);
    return size;
  }
  static const struct {
    const char* names[3];
    int shift;
  } kUnits[] = {{{"b", "", ""}, 0},       {{"k", "kb", "kib"}, 10}, {{"m", "mb", "mib"}, 20},
                {{"g", "gb", "gib"}, 30}, {{"t", "tb", "tib"}, 40}};
  for (const auto& u : kUnits) {
    for (const char* name : u.names) {
      if (*name == '\0' || unit != name) continue;
      const double bytes = std::ldexp(number, u.shift);
      if (bytes < 1.0 || bytes > std::ldexp(1.0, 62)) return InvalidMemory(text);
      size.bytes = static_cast<int64_t>(std::llround(bytes));
      return size;
    }
  }
  return InvalidMemory(text);
}

Result<int64_t> ResolveMemoryBytes(const std::optional<MemorySize>& memory, int64_t ram_bytes,
                                   int64_t shm_free_bytes, const std::string& shm_directory) {
  int64_t bytes = 0;
  if (memory.has_value() && memory->bytes > 0) {
    bytes = memory->bytes;
  } else {
    const double fraction = memory.has_value() ? memory->fraction : kDefaultMemoryFraction;
    bytes = static_cast<int64_t>(static_cast<double>(ram_bytes) * fraction);
  }
  if (bytes > shm_free_bytes) {
    if (memory.has_value()) {
      return Status::ResourceExhausted(
          "--memory " + memory->text + " (" + memory::FormatBytes(bytes) + ") is more than " +
          shm_directory + " can hold: it has " + memory::FormatBytes(shm_free_bytes) +
          " free; ask for less, or make " + shm_directory + " larger");
    }
    // The default adapts: a small /dev/shm (a container's 64 MiB) still gives a server.
    bytes = shm_free_bytes;
  }
  if (bytes < kMinMemoryBytes) {
    return Status::InvalidArgument(
        "--memory must come to at least " + memory::FormatBytes(kMinMemoryBytes) + ", got " +
        memory::FormatBytes(bytes) +
        (memory.has_value() ? " from '" + memory->text + "'"
                            : " (" + shm_directory + " has " +
                                  memory::FormatBytes(shm_free_bytes) + " free)"));
  }
  return bytes;
}

ServerEnvironment ServerEnvironment::FromProcess() {
  ServerEnvironment environment;
  auto get = [](const char* name) -> std::optional<std::string> {
    const char* value = std::getenv(name);
    if (value == nullptr || *value == '\0') return std::nullopt;
    return std::string(value);
  };
  environment.cache_host = get("HEADRACE_CACHE_HOST");
  environment.cache_port = get("HEADRACE_CACHE_PORT");
  environment.token = get("HEADRACE_TOKEN");
  return environment;
}

Result<ServerCommandLine> ParseServerCommandLine(const std::vector<std::string>& args,
                                                 const ServerEnvironment& environment) {
  ServerCommandLine command_line;
  ServerOptions& options = command_line.options;
  if (environment.cache_host.has_value() && !environment.cache_host->empty()) {
    options.host = *environment.cache_host;
  }
  if (environment.cache_port.has_value() && !environment.cache_port->empty()) {
    ASSIGN_OR_RETURN(options.port, ParsePort(*environment.cache_port, "HEADRACE_CACHE_PORT"));
  }
  if (environment.token.has_value()) options.token = *environment.token;

  bool spill_dir_given = false;
  bool no_spill_given = false;
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
    if (arg == "--no-spill") {
      no_spill_given = true;
      options.spill = false;
      continue;
    }
    // Split "--flag=value"; otherwise the value, if the flag takes one, is the next arg.
    std::string flag = arg;
    std::optional<std::string> value;
    if (size_t eq = arg.find('='); arg.rfind("--", 0) == 0 && eq != std::string::npos) {
      flag = arg.substr(0, eq);
      value = arg.substr(eq + 1);
    }
    const char* example = ExampleValue(flag);
    if (example == nullptr) {
      if (arg.rfind("-", 0) == 0) {
        return Status::InvalidArgument("unknown flag '" + flag + "'; the flags are " + kFlagList);
      }
      return Status::InvalidArgument("unexpected argument '" + arg +
                                     "'; headrace-server takes only flags (see --help)");
    }
    if (!value.has_value()) {
      if (i + 1 >= args.size()) {
        return Status::InvalidArgument(flag + " needs a value, e.g. " + flag + " " + example);
      }
      value = args[++i];
    }
    if (flag == "--host") {
      if (value->empty()) return Status::InvalidArgument("--host must not be empty");
      options.host = *value;
    } else if (flag == "--port") {
      ASSIGN_OR_RETURN(options.port, ParsePort(*value));
    } else if (flag == "--memory") {
      ASSIGN_OR_RETURN(options.memory, ParseMemorySize(*value));
    } else if (flag == "--spill-dir") {
      if (value->empty()) return Status::InvalidArgument("--spill-dir must not be empty");
      options.spill_dir = *value;
      spill_dir_given = true;
    } else if (flag == "--workers") {
      ASSIGN_OR_RETURN(options.workers, ParseWorkers(*value));
    } else if (flag == "--log-level") {
      ASSIGN_OR_RETURN(options.log_level, ParseLogLevel(*value));
    } else if (flag == "--token") {
      options.token = *value;
    }
  }
  if (spill_dir_given && no_spill_given) {
    return Status::InvalidArgument(
        "--no-spill and --spill-dir contradict each other: give one of them");
  }
  return command_line;
}

Result<ServerCommandLine> ParseServerCommandLine(int argc, const char* const* argv,
                                                 const ServerEnvironment& environment) {
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) args.emplace_back(argv[i]);
  return ParseServerCommandLine(args, environment);
}

std::string ServerUsage() {
  return std::string(
             "usage: headrace-server [--host HOST] [--port PORT] [--memory SIZE]\n"
             "                       [--spill-dir DIR | --no-spill] [--workers N]\n"
             "                       [--log-level LEVEL] [--token TOKEN]\n"
             "                       [--stop-on-stdin-close]\n"
             "\n"
             "Runs the headrace server: a gRPC daemon that hosts headrace's caches and\n"
             "channels for the processes of one or more training jobs. Cached rows live in\n"
             "a shared-memory store (local clients read them in place) and, beyond it, in\n"
             "spill files on disk; nothing cached is evicted until its session is dropped.\n"
             "\n"
             "flags:\n"
             "  --host HOST  interface to listen on (default: ") +
         rpc::kDefaultHost +
         ",\n"
         "               or $HEADRACE_CACHE_HOST); any other than loopback needs a token\n"
         "  --port PORT  TCP port to listen on, 0 picks a free one (default: " +
         std::to_string(rpc::kDefaultPort) +
         ",\n"
         "               or $HEADRACE_CACHE_PORT)\n"
         "  --memory SIZE\n"
         "               capacity of the shared-memory store for cached rows: a size\n"
         "               (4G, 512M, 1.5GiB; units are 1024-based) or a fraction of RAM\n"
         "               (0.25 or 25%); at most what /dev/shm has free (default: 25% of\n"
         "               RAM, lowered to what /dev/shm has free)\n"
         "  --spill-dir DIR\n"
         "               where rows beyond the memory go, one file per cache (default: a\n"
         "               new directory under $TMPDIR or /tmp, removed on stop)\n"
         "  --no-spill   refuse rows beyond the memory instead (clients recompute them)\n"
         "  --workers N  threads serving requests from the server's queue (default: " +
         std::to_string(kDefaultWorkers) +
         ")\n"
         "  --log-level LEVEL\n"
         "               error, warning, info or debug; logs go to stderr (default: info)\n"
         "  --token TOKEN\n"
         "               every request must carry it (metadata 'headrace-token'); prefer\n"
         "               $HEADRACE_TOKEN, which other users cannot see (default: none)\n"
         "  --stop-on-stdin-close\n"
         "               stop when standard input is closed (so that the server ends\n"
         "               with the process that started it)\n"
         "  --help, -h   print this text and exit\n"
         "\n"
         "On start it prints one line, 'headrace-server listening on HOST:PORT'.\n"
         "It stops cleanly (exit code 0) on SIGINT, SIGTERM or the Stop RPC\n"
         "(python -c \"import headrace.server as s; s.stop('HOST:PORT')\").\n"
         "Exit codes: 0 stopped cleanly, 1 could not start, 2 bad command line.\n";
}

}  // namespace headrace::server
