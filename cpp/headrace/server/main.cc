// headrace-server: the headrace daemon. See ServerUsage() (server_options.cc) for flags.
//
// Exit codes: 0 stopped cleanly (SIGINT, SIGTERM or the Stop RPC), 1 could not start
// (e.g. the port is in use, --memory too large, a non-loopback host without a token),
// 2 bad command line.
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <iostream>
#include <memory>
#include <thread>

#include "absl/synchronization/mutex.h"
#include "headrace/server/server.h"
#include "headrace/server/server_options.h"
#include "headrace/server/signal_watcher.h"

namespace {

// How long in-flight calls get to finish once a stop is requested. Calls here are short;
// a stop must complete well within a second.
constexpr std::chrono::milliseconds kShutdownDeadline{300};

constexpr int kExitOk = 0;
constexpr int kExitCannotStart = 1;
constexpr int kExitUsage = 2;

int Run(int argc, char** argv) {
  using headrace::server::Server;
  // HEADRACE_CACHE_HOST, HEADRACE_CACHE_PORT and HEADRACE_TOKEN give flag defaults.
  auto command_line = headrace::server::ParseServerCommandLine(
      argc, argv, headrace::server::ServerEnvironment::FromProcess());
  if (!command_line.ok()) {
    std::cerr << "headrace-server: " << command_line.status().message() << "\n"
              << "Run 'headrace-server --help' for usage.\n";
    return kExitUsage;
  }
  if (command_line->help) {
    std::cout << headrace::server::ServerUsage() << std::flush;
    return kExitOk;
  }

  // A client that goes away mid-write must not kill the server, nor a closed stdout.
  ::signal(SIGPIPE, SIG_IGN);
  // gRPC locks abseil mutexes many times per call; an abseil built without NDEBUG (as
  // Debian's is) records every lock in a global deadlock graph, a debug aid that cost the
  // server several percent of its time per channel object. Before any thread starts.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);

  auto server = Server::Start(command_line->options);
  if (!server.ok()) {
    std::cerr << "headrace-server: " << server.status().message() << "\n";
    return kExitCannotStart;
  }
  // Installed only now that there is a server to stop; the callback runs on the watcher
  // thread, never in the signal handler.
  Server* const raw_server = server->get();
  auto watcher = headrace::server::SignalWatcher::Start(
      {SIGINT, SIGTERM}, [raw_server](int /*signal_number*/) { raw_server->RequestStop(); });
  if (!watcher.ok()) {
    std::cerr << "headrace-server: " << watcher.status().message() << "\n";
    return kExitCannotStart;
  }

  if (command_line->stop_on_stdin_close) {
    // Blocks in read(); detached because it cannot be woken, and exit() ends it. It asks
    // for the stop the way a signal does, so it holds no pointer that could outlive the
    // server.
    std::thread([] {
      char byte;
      while (::read(STDIN_FILENO, &byte, 1) > 0) {
      }
      ::kill(::getpid(), SIGTERM);
    }).detach();
  }

  // The one line that launchers (headrace.server.ServerProcess) wait for.
  std::cout << "headrace-server listening on " << (*server)->address() << std::endl;

  (*server)->Wait();
  // The watcher stays installed during Shutdown, so a second SIGTERM does not kill the
  // process half-way; it only repeats the (idempotent) stop request.
  (*server)->Shutdown(kShutdownDeadline);
  return kExitOk;
}

}  // namespace

int main(int argc, char** argv) { return Run(argc, argv); }
