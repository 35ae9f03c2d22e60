// Futex waits and wakes on a 32-bit word that several processes share (a word in the
// store's segment): the kernel queues a waiter on the word itself, so the process that
// changes it wakes the one waiting, whichever process that is.
//
// Threading: any thread of any process that maps the word.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace headrace::memory {

static_assert(sizeof(std::atomic<uint32_t>) == 4 && std::atomic<uint32_t>::is_always_lock_free,
              "a futex word must be a plain 32-bit word");

// Sleeps while `*word` holds `expected`, at most `timeout`. Returns at once when it does
// not; may also return early (a wake, a signal): callers check the word again.
void FutexWait(std::atomic<uint32_t>* word, uint32_t expected, std::chrono::milliseconds timeout);

// Wakes every thread sleeping in FutexWait on `word`, in any process.
void FutexWakeAll(std::atomic<uint32_t>* word);

}  // namespace headrace::memory
