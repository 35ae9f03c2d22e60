#include "bindings/cancel_pipe.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <mutex>
#include <set>

#include "bindings/status_to_python.h"

namespace headrace::bindings {

namespace {

std::mutex open_fds_mu;
std::set<int>& OpenFdSet() {
  static auto* fds = new std::set<int>();  // never destroyed: pipes may close at exit
  return *fds;
}

}  // namespace

CancelPipe::CancelPipe(const std::string& owner) {
  int fds[2];
  if (pipe2(fds, O_NONBLOCK | O_CLOEXEC) != 0) {
    ThrowIfError(Status::ResourceExhausted("cannot make the cancel pipe of " + owner + ": " +
                                           std::strerror(errno)));
  }
  read_ = fds[0];
  write_ = fds[1];
  std::lock_guard<std::mutex> lock(open_fds_mu);
  OpenFdSet().insert({read_, write_});
}

CancelPipe::~CancelPipe() {
  {
    std::lock_guard<std::mutex> lock(open_fds_mu);
    OpenFdSet().erase(read_);
    OpenFdSet().erase(write_);
  }
  close(read_);
  close(write_);
}

void CancelPipe::Signal() {
  const char byte = 1;
  // A full pipe already says "cancelled"; nothing else can go wrong that matters here.
  [[maybe_unused]] ssize_t written = write(write_, &byte, 1);
}

void CancelPipe::Drain() {
  char bytes[64];
  while (read(read_, bytes, sizeof(bytes)) > 0) {
  }
}

std::vector<int> CancelPipe::OpenFds() {
  std::lock_guard<std::mutex> lock(open_fds_mu);
  return std::vector<int>(OpenFdSet().begin(), OpenFdSet().end());
}

}  // namespace headrace::bindings
