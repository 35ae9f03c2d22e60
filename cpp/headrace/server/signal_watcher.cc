#include "headrace/server/signal_watcher.h"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <string>
#include <thread>
#include <utility>

namespace headrace::server {

namespace {

// The write end of the live watcher's pipe, or -1. Read by the handler, so it is a
// lock-free atomic (a mutex is not async-signal-safe).
std::atomic<int> g_write_fd{-1};

void HandleSignal(int signal_number) {
  // write() is async-signal-safe; errno is saved because the interrupted code may read it.
  const int saved_errno = errno;
  const int fd = g_write_fd.load(std::memory_order_relaxed);
  if (fd >= 0) {
    const auto byte = static_cast<unsigned char>(signal_number);
    // Non-blocking: if the pipe is full, stops are already pending and dropping is fine.
    [[maybe_unused]] ssize_t written = ::write(fd, &byte, 1);
  }
  errno = saved_errno;
}

Status ErrnoError(const std::string& what) {
  return Status::Internal("signal watcher: " + what + ": " + std::strerror(errno));
}

}  // namespace

struct SignalWatcher::Rep {
  int read_fd = -1;
  int write_fd = -1;
  std::vector<std::pair<int, struct sigaction>> previous_actions;
  Callback callback;
  std::thread thread;

  void Run() {
    pthread_setname_np(pthread_self(), "hr-signal-watch");
    for (;;) {
      unsigned char byte = 0;
      const ssize_t n = ::read(read_fd, &byte, 1);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return;  // End of file: TearDown closed the write end.
      callback(static_cast<int>(byte));
    }
  }

  // Undoes whatever Start did, in reverse order; safe on a partly set up Rep.
  void TearDown() {
    // Handlers first, so that no handler is left pointing at a pipe about to close.
    for (auto& [signal_number, action] : previous_actions) {
      ::sigaction(signal_number, &action, nullptr);
    }
    previous_actions.clear();
    int expected = write_fd;
    // Only an fd that handlers could see needs keeping open (below).
    const bool was_published = g_write_fd.compare_exchange_strong(expected, -1);
    // Closing the write end is the stop signal: the reader sees end of file. (A quit byte
    // could fail to fit in a pipe filled by a burst of signals.) It is replaced by
    // /dev/null rather than closed: a handler on another thread may have loaded the fd
    // just before, and must not write into whatever file reuses the number. The one fd
    // this keeps open per watcher is the price.
    if (write_fd >= 0 && was_published) {
      const int null_fd = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
      if (null_fd >= 0) {
        ::dup2(null_fd, write_fd);
        ::close(null_fd);
      } else {
        ::close(write_fd);
      }
    } else if (write_fd >= 0) {
      ::close(write_fd);
    }
    write_fd = -1;
    if (thread.joinable()) thread.join();
    if (read_fd >= 0) ::close(read_fd);
    read_fd = -1;
  }
};

Result<std::unique_ptr<SignalWatcher>> SignalWatcher::Start(std::vector<int> signals,
                                                            Callback callback) {
  auto rep = std::make_unique<Rep>();
  rep->callback = std::move(callback);
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return ErrnoError("pipe2");
  rep->read_fd = fds[0];
  rep->write_fd = fds[1];
  // The handler must never block, whatever the reader is doing.
  const int flags = ::fcntl(rep->write_fd, F_GETFL);
  if (flags < 0 || ::fcntl(rep->write_fd, F_SETFL, flags | O_NONBLOCK) != 0) {
    Status error = ErrnoError("fcntl O_NONBLOCK");
    rep->TearDown();
    return error;
  }
  int expected = -1;
  if (!g_write_fd.compare_exchange_strong(expected, rep->write_fd)) {
    rep->TearDown();
    return Status::FailedPrecondition("another SignalWatcher is already running");
  }

  // The thread first, so that no signal is ever written to a pipe nobody reads.
  rep->thread = std::thread([raw = rep.get()] { raw->Run(); });

  for (int signal_number : signals) {
    struct sigaction action {};
    action.sa_handler = HandleSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    struct sigaction previous {};
    if (::sigaction(signal_number, &action, &previous) != 0) {
      Status error = ErrnoError("sigaction(" + std::to_string(signal_number) + ")");
      rep->TearDown();
      return error;
    }
    rep->previous_actions.emplace_back(signal_number, previous);
  }
  return std::unique_ptr<SignalWatcher>(new SignalWatcher(std::move(rep)));
}

SignalWatcher::SignalWatcher(std::unique_ptr<Rep> rep) : rep_(std::move(rep)) {}

SignalWatcher::~SignalWatcher() { rep_->TearDown(); }

}  // namespace headrace::server
