#include "headrace/memory/futex.h"

#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <climits>

namespace headrace::memory {

namespace {

// Not FUTEX_PRIVATE_FLAG: the word is shared between processes.
long Futex(std::atomic<uint32_t>* word, int op, uint32_t value, const timespec* timeout) {
  return syscall(SYS_futex, reinterpret_cast<uint32_t*>(word), op, value, timeout, nullptr, 0);
}

}  // namespace

void FutexWait(std::atomic<uint32_t>* word, uint32_t expected, std::chrono::milliseconds timeout) {
  if (timeout.count() <= 0) return;
  timespec relative;
  relative.tv_sec = static_cast<time_t>(timeout.count() / 1000);
  relative.tv_nsec = static_cast<long>((timeout.count() % 1000) * 1000000);
  // EAGAIN (the word changed), EINTR and ETIMEDOUT all mean: look at the word again.
  Futex(word, FUTEX_WAIT, expected, &relative);
}

void FutexWakeAll(std::atomic<uint32_t>* word) { Futex(word, FUTEX_WAKE, INT_MAX, nullptr); }

}  // namespace headrace::memory
