#include "bindings/cancel_pipe.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "bindings/status_to_python.h"

namespace headrace::bindings {

CancelPipe::CancelPipe(const std::string& owner) {
  int fds[2];
  if (pipe2(fds, O_NONBLOCK | O_CLOEXEC) != 0) {
    ThrowIfError(Status::ResourceExhausted("cannot make the cancel pipe of " + owner + ": " +
                                           std::strerror(errno)));
  }
  read_ = fds[0];
  write_ = fds[1];
}

CancelPipe::~CancelPipe() {
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

}  // namespace headrace::bindings
