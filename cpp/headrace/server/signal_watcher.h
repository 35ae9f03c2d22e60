// SignalWatcher: turns process signals (SIGINT, SIGTERM) into a callback on a thread.
//
// A signal handler may only do async-signal-safe work, so the installed handler only
// writes the signal number to a self-pipe; a watcher thread named "hr-signal-watch" reads
// the pipe and runs the callback there, where it may lock, log and notify. headrace-server
// uses it to call Server::RequestStop() on SIGINT or SIGTERM.
//
// Ownership and lifetime: at most one SignalWatcher per process (the handlers are
// process-wide). Destroying it restores the previous handlers, then ends and joins the thread.
// Threading: the callback runs on the watcher thread, once per signal received; it must
// not destroy the SignalWatcher.
// Errors: Start returns FailedPrecondition if another SignalWatcher is alive, Internal if
// the pipe, the handlers or the thread cannot be set up.
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "headrace/core/result.h"

namespace headrace::server {

class SignalWatcher {
 public:
  using Callback = std::function<void(int signal_number)>;

  static Result<std::unique_ptr<SignalWatcher>> Start(std::vector<int> signals,
                                                      Callback callback);

  ~SignalWatcher();
  SignalWatcher(const SignalWatcher&) = delete;
  SignalWatcher& operator=(const SignalWatcher&) = delete;

 private:
  struct Rep;
  explicit SignalWatcher(std::unique_ptr<Rep> rep);

  std::unique_ptr<Rep> rep_;
};

}  // namespace headrace::server
