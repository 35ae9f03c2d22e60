#include "headrace/memory/shared_store.h"

#include <sys/stat.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "memory_test_util.h"

namespace headrace::memory {
namespace {

using SharedStoreTest = testing::NoShmLeftBehindTest;
using testing::FillPattern;
using testing::HasPattern;

constexpr int64_t kOverhead = SharedStore::kBlockOverhead;

std::shared_ptr<SharedStore> MakeStore(int64_t capacity) {
  auto store = SharedStore::Create(capacity);
  EXPECT_TRUE(store.ok()) << store.status();
  return store.ok() ? *store : nullptr;
}

int64_t RoundUp64(int64_t size) { return (std::max<int64_t>(size, 64) + 63) / 64 * 64; }

TEST_F(SharedStoreTest, StartsAsOneFreeBlock) {
  auto store = MakeStore(1 << 20);
  ASSERT_NE(store, nullptr);
  const SharedStore::Statistics stats = store->GetStatistics();
  EXPECT_EQ(stats.capacity, 1 << 20);
  EXPECT_EQ(stats.used_bytes, 0);
  EXPECT_EQ(stats.num_blocks, 1);
  EXPECT_EQ(stats.num_free_blocks, 1);
  EXPECT_EQ(stats.largest_free_block, stats.free_bytes);
  // Only the store header (a few KiB) and one block header are not usable.
  EXPECT_GT(stats.free_bytes, (1 << 20) - 8192);
  EXPECT_TRUE(store->CheckConsistency().ok());
}

TEST_F(SharedStoreTest, CreateRejectsCapacityTooSmall) {
  for (int64_t capacity : {int64_t{0}, int64_t{-1}, int64_t{100}}) {
    auto store = SharedStore::Create(capacity);
    EXPECT_EQ(store.status().code(), StatusCode::kInvalidArgument) << capacity;
    EXPECT_NE(store.status().message().find("capacity"), std::string::npos) << store.status();
  }
}

TEST_F(SharedStoreTest, BlocksAreAlignedAndSizeZeroIsAllowed) {
  auto store = MakeStore(1 << 20);
  ASSERT_NE(store, nullptr);
  for (int64_t size : {0, 1, 63, 64, 65, 1000, 4096}) {
    auto offset = store->Allocate(size);
    ASSERT_TRUE(offset.ok()) << offset.status();
    EXPECT_EQ(reinterpret_cast<uintptr_t>(store->data(*offset)) % 64, 0u) << size;
    auto usable = store->block_size(*offset);
    ASSERT_TRUE(usable.ok());
    EXPECT_EQ(*usable, RoundUp64(size)) << size;
    std::fill_n(store->data(*offset), *usable, uint8_t{0xee});  // All of it is writable.
  }
  EXPECT_TRUE(store->CheckConsistency().ok());
}

TEST_F(SharedStoreTest, NegativeSizeIsInvalid) {
  auto store = MakeStore(1 << 20);
  ASSERT_NE(store, nullptr);
  auto offset = store->Allocate(-1);
  EXPECT_EQ(offset.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(offset.status().message().find("size"), std::string::npos) << offset.status();
  EXPECT_EQ(store->num_blocks(), 1);
}

// Thousands of random allocations and releases against a model of the live blocks:
// blocks never overlap, stay inside the segment, are aligned, keep their bytes, and the
// statistics add up at every step.
TEST_F(SharedStoreTest, RandomOperationsMatchAModel) {
  constexpr int64_t kCapacity = 4 << 20;
  for (uint64_t seed : {1u, 2u, 3u}) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    auto store = MakeStore(kCapacity);
    ASSERT_NE(store, nullptr);
    const SharedStore::Statistics initial = store->GetStatistics();
    // Data bytes plus one header per block always add up to the heap.
    const int64_t heap = initial.free_bytes + kOverhead;
    struct Live {
      int64_t size;
      int64_t usable;
      uint64_t seed;
    };
    std::map<int64_t, Live> live;
    int64_t used = 0;
    int failures = 0;
    std::mt19937_64 random(seed);
    for (int step = 0; step < 4000; ++step) {
      if (live.empty() || random() % 100 < 60) {
        const uint64_t pick = random() % 100;
        const auto size = static_cast<int64_t>(
            pick < 70 ? random() % 512 : pick < 95 ? random() % (16 << 10) : random() % (256 << 10));
        auto offset = store->Allocate(size);
        if (!offset.ok()) {
          ++failures;
          ASSERT_EQ(offset.status().code(), StatusCode::kResourceExhausted) << offset.status();
          ASSERT_LT(store->largest_free_block(), RoundUp64(size)) << "a fitting block was free";
          continue;
        }
        const int64_t usable = *store->block_size(*offset);
        ASSERT_GE(usable, size);
        ASSERT_EQ(usable % 64, 0);
        ASSERT_EQ(reinterpret_cast<uintptr_t>(store->data(*offset)) % 64, 0u);
        ASSERT_GE(*offset - kOverhead, 0);
        ASSERT_LE(*offset + usable, kCapacity);
        auto next = live.lower_bound(*offset);
        if (next != live.end()) {
          ASSERT_LE(*offset + usable, next->first - kOverhead);
        }
        if (next != live.begin()) {
          auto prev = std::prev(next);
          ASSERT_LE(prev->first + prev->second.usable, *offset - kOverhead);
        }
        const uint64_t block_seed = random();
        FillPattern(store->data(*offset), usable, block_seed);
        live[*offset] = {size, usable, block_seed};
        used += usable;
      } else {
        auto it = std::next(live.begin(), static_cast<long>(random() % live.size()));
        ASSERT_TRUE(HasPattern(store->data(it->first), it->second.usable, it->second.seed))
            << "block at " << it->first << " was overwritten";
        ASSERT_TRUE(store->Release(it->first).ok());
        used -= it->second.usable;
        live.erase(it);
      }
      const SharedStore::Statistics stats = store->GetStatistics();
      ASSERT_EQ(stats.used_bytes, used);
      ASSERT_EQ(stats.used_bytes + stats.free_bytes + kOverhead * stats.num_blocks, heap);
      ASSERT_LE(stats.largest_free_block, stats.free_bytes);
      if (step % 250 == 0) {
        ASSERT_TRUE(store->CheckConsistency().ok()) << step;
      }
    }
    EXPECT_GT(failures, 0) << "the workload should reach the store's limit sometimes";
    for (const auto& [offset, block] : live) {
      ASSERT_TRUE(HasPattern(store->data(offset), block.usable, block.seed));
      ASSERT_TRUE(store->Release(offset).ok());
    }
    const SharedStore::Statistics final_stats = store->GetStatistics();
    EXPECT_EQ(final_stats.num_blocks, 1);
    EXPECT_EQ(final_stats.used_bytes, 0);
    EXPECT_EQ(final_stats.free_bytes, initial.free_bytes);
    EXPECT_TRUE(store->CheckConsistency().ok());
  }
}

TEST_F(SharedStoreTest, FragmentationFailsClearlyAndFreeingCoalesces) {
  auto store = MakeStore(1 << 20);
  ASSERT_NE(store, nullptr);
  const int64_t whole = store->largest_free_block();
  std::vector<int64_t> blocks;
  for (;;) {
    auto offset = store->Allocate(4096);
    if (!offset.ok()) {
      ASSERT_EQ(offset.status().code(), StatusCode::kResourceExhausted);
      break;
    }
    blocks.push_back(*offset);
  }
  ASSERT_GT(blocks.size(), 200u);
  for (size_t i = 1; i < blocks.size(); i += 2) ASSERT_TRUE(store->Release(blocks[i]).ok());
  ASSERT_GT(store->free_bytes(), 64 << 10) << "enough bytes are free, just not together";

  constexpr int64_t kLarge = 64 << 10;
  auto large = store->Allocate(kLarge);
  ASSERT_EQ(large.status().code(), StatusCode::kResourceExhausted);
  const std::string& message = large.status().message();
  const int64_t largest = store->largest_free_block();
  EXPECT_LT(largest, kLarge);
  EXPECT_NE(message.find("shared-memory store is full"), std::string::npos) << message;
  EXPECT_NE(message.find("asked 64.0 KiB (65536 bytes)"), std::string::npos) << message;
  EXPECT_NE(message.find("largest free block"), std::string::npos) << message;
  EXPECT_NE(message.find("(" + std::to_string(largest) + " bytes)"), std::string::npos)
      << message;
  EXPECT_NE(message.find("(" + std::to_string(store->free_bytes()) + " bytes) of"),
            std::string::npos)
      << message;

  for (size_t i = 0; i < blocks.size(); i += 2) ASSERT_TRUE(store->Release(blocks[i]).ok());
  EXPECT_EQ(store->num_blocks(), 1);
  EXPECT_EQ(store->largest_free_block(), whole);
  large = store->Allocate(kLarge);
  EXPECT_TRUE(large.ok()) << large.status();
  auto everything_else = store->Allocate(whole - kLarge - kOverhead);
  EXPECT_TRUE(everything_else.ok()) << everything_else.status();
  EXPECT_EQ(store->free_bytes(), 0);
  EXPECT_TRUE(store->CheckConsistency().ok());
}

TEST_F(SharedStoreTest, ExhaustionIsAnErrorNotACrash) {
  auto store = MakeStore(1 << 20);
  ASSERT_NE(store, nullptr);
  for (int64_t size : {int64_t{1} << 20, int64_t{1} << 40, INT64_MAX}) {
    auto offset = store->Allocate(size);
    ASSERT_EQ(offset.status().code(), StatusCode::kResourceExhausted) << size;
    EXPECT_NE(offset.status().message().find("asked"), std::string::npos);
  }
  std::vector<int64_t> blocks;
  for (int i = 0; i < 100; ++i) {
    auto offset = store->Allocate(100 << 10);
    if (offset.ok()) {
      blocks.push_back(*offset);
    } else {
      EXPECT_EQ(offset.status().code(), StatusCode::kResourceExhausted);
    }
  }
  EXPECT_EQ(blocks.size(), 10u);  // 1 MiB holds ten blocks of 100 KiB, not eleven.
  for (int64_t offset : blocks) ASSERT_TRUE(store->Release(offset).ok());
  EXPECT_EQ(store->num_blocks(), 1);
}

TEST_F(SharedStoreTest, LastReleaseFreesTheBlock) {
  auto store = MakeStore(1 << 20);
  ASSERT_NE(store, nullptr);
  auto offset = store->Allocate(1000);
  ASSERT_TRUE(offset.ok());
  ASSERT_TRUE(store->AddRef(*offset).ok());
  ASSERT_TRUE(store->AddRef(*offset).ok());
  ASSERT_TRUE(store->Release(*offset).ok());
  ASSERT_TRUE(store->Release(*offset).ok());
  EXPECT_EQ(store->used_bytes(), 1024) << "one reference is still held";
  ASSERT_TRUE(store->Release(*offset).ok());
  EXPECT_EQ(store->used_bytes(), 0);
  EXPECT_EQ(store->num_blocks(), 1);

  // A freed block is no longer a block: further calls are refused, not applied.
  EXPECT_EQ(store->Release(*offset).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store->AddRef(*offset).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store->block_size(*offset).status().code(), StatusCode::kInvalidArgument);
  for (int64_t bogus : {int64_t{-64}, int64_t{0}, int64_t{12345}, int64_t{1} << 40}) {
    EXPECT_EQ(store->Release(bogus).code(), StatusCode::kInvalidArgument) << bogus;
  }
  EXPECT_EQ(store->data(-64), nullptr);
  EXPECT_EQ(store->data(int64_t{1} << 40), nullptr);
  EXPECT_TRUE(store->CheckConsistency().ok());
}

TEST_F(SharedStoreTest, AdoptedBufferFreesTheBlockWithItsLastReference) {
  auto store = MakeStore(1 << 20);
  ASSERT_NE(store, nullptr);
  auto offset = store->Allocate(500);
  ASSERT_TRUE(offset.ok());
  FillPattern(store->data(*offset), 500, 9);

  EXPECT_EQ(store->Adopt(*offset, 513).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store->Adopt(*offset, -1).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store->Adopt(*offset + 64, 1).status().code(), StatusCode::kInvalidArgument);

  auto buffer = store->Adopt(*offset, 500);
  ASSERT_TRUE(buffer.ok()) << buffer.status();
  EXPECT_EQ((*buffer)->size(), 500);
  EXPECT_EQ((*buffer)->data(), store->data(*offset));
  EXPECT_TRUE((*buffer)->is_mutable());
  EXPECT_FALSE((*buffer)->is_owned());
  EXPECT_TRUE(HasPattern((*buffer)->data(), 500, 9));

  BufferPtr copy = *buffer;
  buffer->reset();
  EXPECT_GT(store->used_bytes(), 0) << "a copy of the buffer still holds the block";
  copy.reset();
  EXPECT_EQ(store->used_bytes(), 0);
  EXPECT_EQ(store->num_blocks(), 1);
}

TEST_F(SharedStoreTest, BuffersKeepTheStoreMapped) {
  auto store = MakeStore(1 << 20);
  ASSERT_NE(store, nullptr);
  auto offset = store->Allocate(256);
  ASSERT_TRUE(offset.ok());
  FillPattern(store->data(*offset), 256, 4);
  auto buffer = store->Adopt(*offset, 256);
  ASSERT_TRUE(buffer.ok());
  std::weak_ptr<SharedStore> weak = store;
  store.reset();
  EXPECT_FALSE(weak.expired()) << "the buffer holds the store";
  EXPECT_TRUE(HasPattern((*buffer)->data(), 256, 4));  // Still mapped.
  buffer->reset();
  EXPECT_TRUE(weak.expired());
}

TEST_F(SharedStoreTest, ConcurrentThreadsAllocateWriteCheckAndFree) {
  auto store = MakeStore(16 << 20);
  ASSERT_NE(store, nullptr);
  const int64_t whole = store->free_bytes();
  std::vector<std::thread> threads;
  std::vector<std::string> errors(4);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      errors[t] = testing::RunRandomWorkload(*store, 100 + t, 5000, 8 << 10);
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int t = 0; t < 4; ++t) EXPECT_EQ(errors[t], "") << "thread " << t;
  EXPECT_EQ(store->num_blocks(), 1);
  EXPECT_EQ(store->used_bytes(), 0);
  EXPECT_EQ(store->free_bytes(), whole);
  EXPECT_TRUE(store->CheckConsistency().ok());
}

TEST_F(SharedStoreTest, ReferencesFromManyThreads) {
  auto store = MakeStore(1 << 20);
  ASSERT_NE(store, nullptr);
  auto offset = store->Allocate(64);
  ASSERT_TRUE(offset.ok());
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) {
        EXPECT_TRUE(store->AddRef(*offset).ok());
        EXPECT_TRUE(store->Release(*offset).ok());
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(store->used_bytes(), 64);
  ASSERT_TRUE(store->Release(*offset).ok());
  EXPECT_EQ(store->used_bytes(), 0);
}

TEST_F(SharedStoreTest, PagesAreReservedAsTheStoreGrows) {
  auto store = MakeStore(int64_t{256} << 20);
  ASSERT_NE(store, nullptr);
  auto allocated = [&] {
    struct stat stats {};
    EXPECT_EQ(::fstat(store->fd(), &stats), 0);
    return static_cast<int64_t>(stats.st_blocks) * 512;
  };
  EXPECT_LE(allocated(), SharedStore::kReserveStep + (64 << 10)) << "reserved up front";
  EXPECT_LE(store->GetStatistics().reserved_bytes, SharedStore::kReserveStep);

  auto offset = store->Allocate(40 << 20);
  ASSERT_TRUE(offset.ok());
  EXPECT_GE(allocated(), 40 << 20);
  EXPECT_LT(allocated(), 100 << 20) << "reserved far more than the store uses";
  // Every byte handed out is backed: writing all of it cannot raise SIGBUS.
  std::fill_n(store->data(*offset), 40 << 20, uint8_t{1});
  EXPECT_GE(store->GetStatistics().reserved_bytes, *offset + (40 << 20));
  ASSERT_TRUE(store->Release(*offset).ok());
}

TEST_F(SharedStoreTest, AttachSharesTheStore) {
  auto store = MakeStore(1 << 20);
  ASSERT_NE(store, nullptr);
  auto attached = SharedStore::Attach(store->fd());
  ASSERT_TRUE(attached.ok()) << attached.status();
  EXPECT_EQ((*attached)->capacity(), store->capacity());

  auto offset = (*attached)->Allocate(3000);
  ASSERT_TRUE(offset.ok());
  FillPattern((*attached)->data(*offset), 3000, 77);
  EXPECT_TRUE(HasPattern(store->data(*offset), 3000, 77));
  EXPECT_EQ(store->used_bytes(), (*attached)->used_bytes());
  ASSERT_TRUE(store->Release(*offset).ok());  // Freed by the other mapping.
  EXPECT_EQ((*attached)->used_bytes(), 0);
  EXPECT_TRUE((*attached)->CheckConsistency().ok());
}

TEST_F(SharedStoreTest, AttachRejectsWhatIsNotAStore) {
  auto segment = SharedSegment::Create(1 << 20);
  ASSERT_TRUE(segment.ok());
  ASSERT_TRUE((*segment)->Reserve(0, 1 << 20).ok());
  auto plain = SharedStore::Attach((*segment)->fd());
  EXPECT_EQ(plain.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(plain.status().message().find("is not a headrace shared-memory store"),
            std::string::npos)
      << plain.status();

  auto tiny = SharedSegment::Create(100);
  ASSERT_TRUE(tiny.ok());
  auto small = SharedStore::Attach((*tiny)->fd());
  EXPECT_EQ(small.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(small.status().message().find("100 bytes"), std::string::npos) << small.status();

  EXPECT_EQ(SharedStore::Attach(-1).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace headrace::memory
