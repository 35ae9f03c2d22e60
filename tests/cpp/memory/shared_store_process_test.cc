// The store shared between processes: a forked child attaches through the inherited fd.
// Every fork happens before the test starts any thread.
#include <signal.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <string>

#include "headrace/memory/detail/store_layout.h"
#include "headrace/memory/shared_store.h"
#include "memory_test_util.h"

namespace headrace::memory {

// Reaches the store header, to play a process that dies holding the lock.
class SharedStoreTestPeer {
 public:
  static detail::StoreHeader* header(SharedStore& store) { return store.header_; }
};

namespace {

using SharedStoreProcessTest = testing::NoShmLeftBehindTest;
using testing::ForkChild;
using testing::WaitChild;

bool WriteAll(int fd, const void* data, size_t size) {
  return ::write(fd, data, size) == static_cast<ssize_t>(size);
}

bool ReadAll(int fd, void* data, size_t size) {
  auto* bytes = static_cast<char*>(data);
  while (size > 0) {
    const ssize_t n = ::read(fd, bytes, size);
    if (n <= 0) return false;
    bytes += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

TEST_F(SharedStoreProcessTest, ChildAllocatesAndTheParentReadsAndReleases) {
  auto store = SharedStore::Create(8 << 20);
  ASSERT_TRUE(store.ok()) << store.status();
  constexpr int64_t kSize = 100000;
  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  const int store_fd = (*store)->fd();
  const pid_t child = ForkChild([&] {
    ::close(pipe_fds[0]);
    auto attached = SharedStore::Attach(store_fd);
    if (!attached.ok()) return 1;
    auto offset = (*attached)->Allocate(kSize);
    if (!offset.ok()) return 2;
    testing::FillPattern((*attached)->data(*offset), kSize, 42);
    // The reference goes with the offset: the child exits without releasing.
    return WriteAll(pipe_fds[1], &*offset, sizeof(int64_t)) ? 0 : 3;
  });
  ::close(pipe_fds[1]);
  int64_t offset = 0;
  ASSERT_TRUE(ReadAll(pipe_fds[0], &offset, sizeof(offset)));
  ::close(pipe_fds[0]);
  ASSERT_EQ(WaitChild(child), 0);

  EXPECT_TRUE(testing::HasPattern((*store)->data(offset), kSize, 42));
  EXPECT_EQ((*store)->used_bytes(), *(*store)->block_size(offset));
  auto buffer = (*store)->Adopt(offset, kSize);
  ASSERT_TRUE(buffer.ok()) << buffer.status();
  EXPECT_TRUE(testing::HasPattern((*buffer)->data(), kSize, 42));
  buffer->reset();
  EXPECT_EQ((*store)->used_bytes(), 0);
  EXPECT_EQ((*store)->num_blocks(), 1);
}

TEST_F(SharedStoreProcessTest, TwoProcessesAllocateAndFreeAtOnce) {
  auto store = SharedStore::Create(32 << 20);
  ASSERT_TRUE(store.ok());
  const int64_t whole = (*store)->free_bytes();
  int ready[2];
  ASSERT_EQ(::pipe(ready), 0);
  const int store_fd = (*store)->fd();
  const pid_t child = ForkChild([&] {
    auto attached = SharedStore::Attach(store_fd);
    if (!attached.ok()) return 1;
    const char byte = 1;
    if (!WriteAll(ready[1], &byte, 1)) return 2;
    return testing::RunRandomWorkload(**attached, 7, 20000, 4 << 10).empty() ? 0 : 3;
  });
  char byte = 0;
  ASSERT_TRUE(ReadAll(ready[0], &byte, 1));  // Start together, for real contention.
  EXPECT_EQ(testing::RunRandomWorkload(**store, 8, 20000, 4 << 10), "");
  EXPECT_EQ(WaitChild(child), 0);
  ::close(ready[0]);
  ::close(ready[1]);

  const SharedStore::Statistics stats = (*store)->GetStatistics();
  EXPECT_EQ(stats.num_blocks, 1);
  EXPECT_EQ(stats.used_bytes, 0);
  EXPECT_EQ(stats.free_bytes, whole);
  EXPECT_EQ(stats.largest_free_block, whole);
  EXPECT_TRUE((*store)->CheckConsistency().ok());
}

// A worker killed while it holds the lock must not stop everyone else.
TEST_F(SharedStoreProcessTest, LockHeldByADeadProcessIsRecovered) {
  auto store = SharedStore::Create(1 << 20);
  ASSERT_TRUE(store.ok());
  detail::StoreHeader* header = SharedStoreTestPeer::header(**store);
  const pid_t child = ForkChild([&] {
    return header->mutex.Lock().ok() ? 0 : 1;  // _exit()s holding it.
  });
  ASSERT_EQ(WaitChild(child), 0);

  auto offset = (*store)->Allocate(1000);  // Would block forever on a non-robust lock.
  ASSERT_TRUE(offset.ok()) << offset.status();
  ASSERT_TRUE((*store)->Release(*offset).ok());
  EXPECT_TRUE((*store)->CheckConsistency().ok());
  EXPECT_EQ((*store)->num_blocks(), 1);
}

// The holder died in the middle of changing the free lists: the next locker rebuilds them
// and the statistics from the blocks themselves.
TEST_F(SharedStoreProcessTest, FreeListsAreRebuiltAfterTheHolderDied) {
  auto store = SharedStore::Create(1 << 20);
  ASSERT_TRUE(store.ok());
  auto first = (*store)->Allocate(1000);
  auto second = (*store)->Allocate(2000);
  auto third = (*store)->Allocate(3000);
  ASSERT_TRUE(first.ok() && second.ok() && third.ok());
  ASSERT_TRUE((*store)->Release(*second).ok());  // Two free blocks: the hole and the tail.
  const int64_t used = (*store)->used_bytes();

  detail::StoreHeader* header = SharedStoreTestPeer::header(**store);
  const pid_t child = ForkChild([&] {
    if (!header->mutex.Lock().ok()) return 1;
    for (int64_t& head : header->free_heads) head = 0;
    for (uint64_t& word : header->nonempty_classes) word = 0;
    header->used_bytes = 12345;
    header->num_blocks = 99;
    return 0;
  });
  ASSERT_EQ(WaitChild(child), 0);

  auto fourth = (*store)->Allocate(2000);  // Needs the lists back to find the hole.
  ASSERT_TRUE(fourth.ok()) << fourth.status();
  EXPECT_EQ(*fourth, *second) << "the hole fits exactly and is found first";
  EXPECT_TRUE((*store)->CheckConsistency().ok());
  EXPECT_EQ((*store)->used_bytes(), used + 2048);
  EXPECT_EQ((*store)->num_blocks(), 4);
  for (int64_t offset : {*first, *third, *fourth}) ASSERT_TRUE((*store)->Release(offset).ok());
  EXPECT_EQ((*store)->num_blocks(), 1);
}

// What the repair cannot fix: blocks overwritten by something else. The store then says
// so instead of handing out memory it cannot account for.
TEST_F(SharedStoreProcessTest, BrokenBlocksAfterADeadHolderAreDataLoss) {
  auto store = SharedStore::Create(1 << 20);
  ASSERT_TRUE(store.ok());
  auto offset = (*store)->Allocate(100);
  ASSERT_TRUE(offset.ok());
  detail::StoreHeader* header = SharedStoreTestPeer::header(**store);
  auto* block = reinterpret_cast<detail::BlockHeader*>((*store)->data(*offset) - 64);
  const pid_t child = ForkChild([&] {
    if (!header->mutex.Lock().ok()) return 1;
    block->size = 3;
    return 0;
  });
  ASSERT_EQ(WaitChild(child), 0);

  auto more = (*store)->Allocate(100);
  EXPECT_EQ(more.status().code(), StatusCode::kDataLoss) << more.status();
  EXPECT_NE(more.status().message().find("corrupt"), std::string::npos) << more.status();
  EXPECT_EQ((*store)->CheckConsistency().code(), StatusCode::kDataLoss);
}

// The name is gone before Create returns, so even SIGKILL leaves nothing in /dev/shm
// (the fixture checks the directory too).
TEST_F(SharedStoreProcessTest, KilledCreatorLeavesNothingBehind) {
  int ready[2];
  ASSERT_EQ(::pipe(ready), 0);
  const pid_t child = ForkChild([&] {
    auto store = SharedStore::Create(4 << 20);
    if (!store.ok()) return 1;
    const char byte = 1;
    if (!WriteAll(ready[1], &byte, 1)) return 2;
    ::pause();
    return 3;
  });
  char byte = 0;
  ASSERT_TRUE(ReadAll(ready[0], &byte, 1));
  ASSERT_EQ(::kill(child, SIGKILL), 0);
  EXPECT_EQ(WaitChild(child), 128 + SIGKILL);
  ::close(ready[0]);
  ::close(ready[1]);
  for (const std::string& name : testing::ShmNames()) {
    EXPECT_NE(name.rfind("headrace-" + std::to_string(child) + "-", 0), 0u) << name;
  }
}

}  // namespace
}  // namespace headrace::memory
