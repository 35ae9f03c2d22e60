// Helpers shared by the memory tests: a fixture that fails a test leaving files in
// /dev/shm, byte patterns that detect overwritten blocks, child processes, and a random
// allocate/write/check/free workload used from threads and from processes alike.
#pragma once

#include <dirent.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "headrace/memory/shared_store.h"

namespace headrace::memory::testing {

// Names of the headrace-* files in /dev/shm now.
inline std::set<std::string> ShmNames() {
  std::set<std::string> names;
  DIR* dir = ::opendir("/dev/shm");
  if (dir == nullptr) return names;
  while (const dirent* entry = ::readdir(dir)) {
    const std::string name = entry->d_name;
    if (name.rfind("headrace-", 0) == 0) names.insert(name);
  }
  ::closedir(dir);
  return names;
}

// Every test leaves /dev/shm as it found it: segments are unlinked the moment they are
// created, so no headrace-* file may appear, whatever the test did.
class NoShmLeftBehindTest : public ::testing::Test {
 protected:
  void SetUp() override { before_ = ShmNames(); }
  void TearDown() override {
    // Another test process may be inside Create() right now; its file lives microseconds.
    // One left behind is still there a moment later.
    std::vector<std::string> added = Added();
    if (!added.empty()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      added = Added();
    }
    for (const std::string& name : added) ADD_FAILURE() << "left behind: /dev/shm/" << name;
  }

 private:
  std::vector<std::string> Added() const {
    std::vector<std::string> added;
    for (const std::string& name : ShmNames()) {
      if (before_.count(name) == 0) added.push_back(name);
    }
    return added;
  }

  std::set<std::string> before_;
};

inline uint8_t PatternByte(uint64_t seed, int64_t index) {
  return static_cast<uint8_t>((seed * 0x9E3779B97F4A7C15ULL + static_cast<uint64_t>(index) *
                               0xBF58476D1CE4E5B9ULL) >> 56);
}

inline void FillPattern(uint8_t* data, int64_t size, uint64_t seed) {
  for (int64_t i = 0; i < size; ++i) data[i] = PatternByte(seed, i);
}

inline bool HasPattern(const uint8_t* data, int64_t size, uint64_t seed) {
  for (int64_t i = 0; i < size; ++i) {
    if (data[i] != PatternByte(seed, i)) return false;
  }
  return true;
}

// Forks; the child runs `body` and _exit()s with its result (no gtest in the child: its
// failures would be reported by a process nobody listens to). Call before any thread is
// started in the test.
inline pid_t ForkChild(const std::function<int()>& body) {
  const pid_t pid = ::fork();
  if (pid == 0) ::_exit(body());
  return pid;
}

// The child's exit code, or 128 + signal number when a signal ended it.
inline int WaitChild(pid_t pid) {
  int status = 0;
  if (::waitpid(pid, &status, 0) != pid) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// `operations` random steps on `store`: allocate a block of up to `max_size` bytes and
// fill it with a pattern, or check a live block's pattern and release it. Blocks are
// all released at the end. Returns "" or what went wrong (usable in a child process).
inline std::string RunRandomWorkload(SharedStore& store, uint64_t seed, int operations,
                                     int64_t max_size) {
  struct Live {
    int64_t offset;
    int64_t size;
    uint64_t seed;
  };
  std::mt19937_64 random(seed);
  std::vector<Live> live;
  auto release = [&](size_t index) -> std::string {
    const Live block = live[index];
    live[index] = live.back();
    live.pop_back();
    if (!HasPattern(store.data(block.offset), block.size, block.seed)) {
      return "block at offset " + std::to_string(block.offset) + " was overwritten";
    }
    const Status status = store.Release(block.offset);
    return status.ok() ? "" : status.ToString();
  };
  for (int step = 0; step < operations; ++step) {
    if (live.empty() || (live.size() < 64 && random() % 2 == 0)) {
      const auto size = static_cast<int64_t>(random() % static_cast<uint64_t>(max_size + 1));
      Result<int64_t> offset = store.Allocate(size);
      if (!offset.ok()) return offset.status().ToString();
      if (reinterpret_cast<uintptr_t>(store.data(*offset)) % 64 != 0) return "misaligned";
      const uint64_t block_seed = random();
      FillPattern(store.data(*offset), size, block_seed);
      live.push_back({*offset, size, block_seed});
    } else {
      std::string error = release(static_cast<size_t>(random() % live.size()));
      if (!error.empty()) return error;
    }
  }
  while (!live.empty()) {
    std::string error = release(live.size() - 1);
    if (!error.empty()) return error;
  }
  return "";
}

}  // namespace headrace::memory::testing
