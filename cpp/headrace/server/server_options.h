// ServerOptions: how headrace-server listens, stores and serves, and the command line
// (plus environment) that sets it.
//
// ParseServerCommandLine turns headrace-server's argv into ServerOptions, taking the
// defaults of --host, --port and --token from HEADRACE_CACHE_HOST, HEADRACE_CACHE_PORT and
// HEADRACE_TOKEN (passed in as a ServerEnvironment); ServerUsage is the --help text. The
// parsing functions are pure (no I/O, no globals), safe from any thread; only
// ServerEnvironment::FromProcess reads the process's environment.
// Errors are Status::InvalidArgument naming the flag and the value at fault, e.g.
// "--port must be an integer in [0, 65535], got 'abc'".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "headrace/core/result.h"
#include "headrace/core/status.h"
#include "headrace/rpc/wire.h"
#include "headrace/server/log.h"

namespace headrace::server {

inline constexpr int kDefaultWorkers = 4;
inline constexpr int kMaxWorkers = 256;
// The store's default capacity, as a fraction of the machine's RAM.
inline constexpr double kDefaultMemoryFraction = 0.25;
inline constexpr int64_t kMinMemoryBytes = int64_t{1} << 20;
inline constexpr char kDefaultShmDirectory[] = "/dev/shm";

// --memory as given: a size in bytes, or a fraction of the machine's RAM.
struct MemorySize {
  int64_t bytes = 0;      // > 0 for a size
  double fraction = 0.0;  // in (0, 1] when bytes is 0
  std::string text;       // as written, for messages
};

struct ServerOptions {
  // Interface to listen on. Loopback by default: serving other machines is a choice, and
  // needs a token.
  std::string host = rpc::kDefaultHost;
  // TCP port; 0 lets the system pick a free one (Server::BoundPort() tells which).
  int port = rpc::kDefaultPort;
  // Capacity of the shared-memory store that holds cached rows (--memory). Unset:
  // kDefaultMemoryFraction of RAM, lowered to what the shm directory has free.
  std::optional<MemorySize> memory;
  // Directory of the spill files (--spill-dir). Empty: a fresh directory under the system
  // temp dir, removed when the server stops. A given directory is made if missing and
  // kept; only the server's own files in it are deleted.
  std::string spill_dir;
  // False (--no-spill): rows that do not fit in memory are refused, never spilled.
  bool spill = true;
  // Threads that serve requests from the server's queue (--workers).
  int workers = kDefaultWorkers;
  LogLevel log_level = LogLevel::kInfo;
  // When not empty, every request must carry it in the "headrace-token" metadata.
  std::string token;
  // Where the shared-memory segment is made (a tmpfs). Not a flag: tests set it.
  std::string shm_directory = kDefaultShmDirectory;
};

// InvalidArgument if `options` cannot be served: an empty host, a port outside
// [0, 65535], workers outside [1, kMaxWorkers], or a host other than loopback without a
// token (the message names the host and says to pass --token or HEADRACE_TOKEN).
Status ValidateServerOptions(const ServerOptions& options);

// A --memory value: "4G", "512M", "1.5GiB", "100000000B" (K, M, G, T with or without "B"
// or "iB", any case, are binary: 1024-based), or a fraction of RAM: "0.25" or "25%".
Result<MemorySize> ParseMemorySize(std::string_view text);

// The store's capacity in bytes for `memory` (unset: the default fraction of RAM) on a
// machine with `ram_bytes` of RAM whose shm directory has `shm_free_bytes` free. An
// explicit --memory larger than shm_free_bytes is ResourceExhausted naming both sizes and
// the directory; the default is lowered to fit instead. InvalidArgument below
// kMinMemoryBytes.
Result<int64_t> ResolveMemoryBytes(const std::optional<MemorySize>& memory, int64_t ram_bytes,
                                   int64_t shm_free_bytes, const std::string& shm_directory);

// The environment variables that give defaults to flags (std::nullopt or empty: unset).
struct ServerEnvironment {
  std::optional<std::string> cache_host;  // HEADRACE_CACHE_HOST -> --host
  std::optional<std::string> cache_port;  // HEADRACE_CACHE_PORT -> --port
  std::optional<std::string> token;       // HEADRACE_TOKEN -> --token
  // This process's values (reads the environment).
  static ServerEnvironment FromProcess();
};

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
// for the flags that take a value, and --help / -h. The last occurrence of a flag wins.
// `environment` gives the defaults of --host, --port and --token.
Result<ServerCommandLine> ParseServerCommandLine(const std::vector<std::string>& args,
                                                 const ServerEnvironment& environment = {});
// The same for main()'s argc/argv (argv[0] is the program name and is skipped).
Result<ServerCommandLine> ParseServerCommandLine(int argc, const char* const* argv,
                                                 const ServerEnvironment& environment = {});

// The --help text: what the program does, every flag with its default, how to stop it.
std::string ServerUsage();

}  // namespace headrace::server
