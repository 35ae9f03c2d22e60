#include "headrace/core/row_memory.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <thread>
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

// Rows are made on one thread and freed on another: what is allocated on a producer
// thread must be freed safely on a consumer thread, many times over.
TEST(RowMemoryTest, FreedOnAnotherThread) {
  constexpr int kCount = 20000;
  std::vector<uint8_t*> made(kCount);
  std::thread producer([&] {
    for (int i = 0; i < kCount; ++i) {
      made[i] = static_cast<uint8_t*>(AllocateRowMemory(64 + i % 512, 64));
      made[i][0] = static_cast<uint8_t>(i);
    }
  });
  producer.join();
  std::thread consumer([&] {
    for (int i = 0; i < kCount; ++i) {
      EXPECT_EQ(made[i][0], static_cast<uint8_t>(i));
      FreeRowMemory(made[i]);
    }
  });
  consumer.join();
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
