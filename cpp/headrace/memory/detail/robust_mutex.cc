#include "headrace/memory/detail/robust_mutex.h"

#include <cerrno>
#include <cstring>
#include <string>

namespace headrace::memory::detail {

Status RobustMutex::Init() {
  pthread_mutexattr_t attributes;
  int rc = ::pthread_mutexattr_init(&attributes);
  if (rc == 0) rc = ::pthread_mutexattr_setpshared(&attributes, PTHREAD_PROCESS_SHARED);
  if (rc == 0) rc = ::pthread_mutexattr_setrobust(&attributes, PTHREAD_MUTEX_ROBUST);
  if (rc == 0) rc = ::pthread_mutex_init(&mutex_, &attributes);
  ::pthread_mutexattr_destroy(&attributes);
  if (rc != 0) {
    return Status::Internal(std::string("cannot initialise the shared-memory store lock: ") +
                            std::strerror(rc));
  }
  return Status::OK();
}

Result<bool> RobustMutex::Lock() {
  const int rc = ::pthread_mutex_lock(&mutex_);
  if (rc == 0) return false;
  if (rc == EOWNERDEAD) return true;
  // ENOTRECOVERABLE: an earlier owner-died was unlocked without repair. Nothing can take
  // the lock again; the store is lost for every process.
  return Status::Internal(std::string("cannot take the shared-memory store lock: ") +
                          std::strerror(rc));
}

void RobustMutex::MarkConsistent() { ::pthread_mutex_consistent(&mutex_); }

void RobustMutex::Unlock() { ::pthread_mutex_unlock(&mutex_); }

}  // namespace headrace::memory::detail
