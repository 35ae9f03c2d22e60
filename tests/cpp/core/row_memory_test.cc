#include "headrace/core/row_memory.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <deque>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace headrace {
namespace {

TEST(RowMemoryTest, HonoursAlignmentAndSize) {
  for (size_t alignment : {8, 16, 64, 4096}) {
    for (size_t size : {1, 63, 64, 1000, 1 << 20}) {
      void* pointer = AllocateRowMemory(size, alignment);
      ASSERT_NE(pointer, nullptr);
      EXPECT_EQ(reinterpret_cast<uintptr_t>(pointer) % alignment, 0u) << size << " " << alignment;
      std::memset(pointer, 0xab, size);  // The whole size is writable.
      FreeRowMemory(pointer);
    }
  }
  FreeRowMemory(nullptr);  // Ignored, like free(nullptr).
}

// Rows are made on one thread and freed on another while the first goes on making more:
// the consumer frees what the producer allocated, both running at once.
TEST(RowMemoryTest, FreedOnAnotherThreadWhileTheFirstAllocates) {
  constexpr int kCount = 50000;
  std::mutex mu;
  std::condition_variable ready;
  std::deque<std::pair<int, uint8_t*>> made;
  std::thread producer([&] {
    for (int i = 0; i < kCount; ++i) {
      auto* block = static_cast<uint8_t*>(AllocateRowMemory(64 + i % 512, 64));
      ASSERT_NE(block, nullptr);
      block[0] = static_cast<uint8_t>(i);
      std::lock_guard<std::mutex> lock(mu);
      made.emplace_back(i, block);
      ready.notify_one();
    }
  });
  int freed = 0;
  while (freed < kCount) {
    std::unique_lock<std::mutex> lock(mu);
    ready.wait(lock, [&] { return !made.empty(); });
    auto [i, block] = made.front();
    made.pop_front();
    lock.unlock();
    EXPECT_EQ(block[0], static_cast<uint8_t>(i));
    FreeRowMemory(block);
    ++freed;
  }
  producer.join();
}

TEST(RowMemoryTest, AllocatorServesContainersAndSharedPointers) {
  std::vector<int64_t, RowAllocator<int64_t>> values;
  for (int64_t i = 0; i < 1000; ++i) values.push_back(i * i);
  EXPECT_EQ(values[999], 999 * 999);

  struct Counted {
    explicit Counted(int* alive) : alive_(alive) { ++*alive_; }
    ~Counted() { --*alive_; }
    int* alive_;
  };
  int alive = 0;
  {
    std::shared_ptr<Counted> first = MakeShared<Counted>(&alive);
    std::shared_ptr<Counted> copy = first;
    EXPECT_EQ(alive, 1);
  }
  EXPECT_EQ(alive, 0);  // The last reference destroyed the object.
}

}  // namespace
}  // namespace headrace
