// RobustMutex: a pthread mutex that lives inside shared memory. Private to memory/.
//
// It is PTHREAD_PROCESS_SHARED, so threads of every process that maps it may lock it, and
// PTHREAD_MUTEX_ROBUST, so a process that dies holding it does not block the others
// forever: the next Lock() succeeds and reports that the owner died. The state the mutex
// guarded may then be half-updated; the caller repairs it and calls MarkConsistent()
// before unlocking. (If the caller unlocks without MarkConsistent, the mutex becomes
// unusable for everyone: glibc's ENOTRECOVERABLE.)
//
// Layout: a plain pthread_mutex_t, standard layout, no pointers; placed in the segment by
// its creator and initialised once with Init() before any other process can map it.
// Threading: Lock/Unlock from any thread of any process; not recursive.
#pragma once

#include <pthread.h>

#include "headrace/core/result.h"
#include "headrace/core/status.h"

namespace headrace::memory::detail {

class RobustMutex {
 public:
  // Initialises the mutex in place. Only the creator calls it, once.
  [[nodiscard]] Status Init();

  // Blocks until held. true when the previous owner died holding it: the caller now holds
  // it, repairs what it guards, then calls MarkConsistent(). Internal when the mutex was
  // left unrecoverable.
  [[nodiscard]] Result<bool> Lock();
  // After a Lock() that returned true, once the guarded state has been repaired.
  void MarkConsistent();
  void Unlock();

 private:
  pthread_mutex_t mutex_;
};

}  // namespace headrace::memory::detail
