#include "headrace/cache/cache_storage.h"

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "cache_test_util.h"

namespace headrace::cache {
namespace {

using memory::SharedStore;
using testing::Bytes;
using testing::Exists;
using testing::Pattern;
using testing::TempDirectory;

std::shared_ptr<SharedStore> MakeStore(int64_t capacity = 8 << 20) {
  auto store = SharedStore::Create(capacity);
  EXPECT_TRUE(store.ok()) << store.status();
  return store.ok() ? *store : nullptr;
}

// The row's bytes as CopyRow gives them, or "<missing>".
std::string ReadBack(const CacheStorage& storage, int64_t row_id) {
  const RowLocation location = storage.Locate({row_id})[0];
  if (location.kind == RowLocation::Kind::kMissing) return "<missing>";
  std::string bytes(static_cast<size_t>(location.size), '\0');
  const Status status = storage.CopyRow(location, reinterpret_cast<uint8_t*>(bytes.data()));
  EXPECT_TRUE(status.ok()) << status;
  return bytes;
}

// A block of the store holding `bytes`, as a local client would hand it over.
int64_t ClientBlock(SharedStore& store, const std::string& bytes) {
  const int64_t offset = store.Allocate(static_cast<int64_t>(bytes.size())).value();
  std::memcpy(store.data(offset), bytes.data(), bytes.size());
  return offset;
}

TEST(CacheStorageTest, BytesGoToMemoryAndComeBack) {
  auto store = MakeStore();
  CacheStorage storage(store, {});
  const std::string row = Pattern(7, 1000);
  const PutResult result = storage.PutBytes(7, Bytes(row), 1000);
  EXPECT_EQ(result.outcome, PutOutcome::kInMemory);
  EXPECT_TRUE(result.admitted());
  EXPECT_EQ(ReadBack(storage, 7), row);
  EXPECT_EQ(ReadBack(storage, 8), "<missing>");
  EXPECT_EQ(storage.Lookup({7, 8}), (std::vector<bool>{true, false}));
  EXPECT_EQ(storage.rows(), 1);

  const CacheStorageStatistics stats = storage.GetStatistics();
  EXPECT_EQ(stats.rows_in_memory, 1);
  EXPECT_EQ(stats.bytes_in_memory, 1000);
  EXPECT_EQ(stats.rows_on_disk, 0);
  EXPECT_EQ(stats.hits, 0);  // Lookup and Locate count nothing
  EXPECT_EQ(stats.misses, 0);
  EXPECT_GE(store->used_bytes(), 1000);
}

TEST(CacheStorageTest, DestructorReleasesEveryBlock) {
  auto store = MakeStore();
  {
    CacheStorage storage(store, {});
    for (int i = 0; i < 10; ++i) {
      const std::string row = Pattern(i, 4000);
      ASSERT_TRUE(storage.PutBytes(i, Bytes(row), 4000).admitted());
      ASSERT_TRUE(storage.PutBlock(100 + i, ClientBlock(*store, row), 4000).admitted());
    }
    EXPECT_GE(store->used_bytes(), 80000);
  }
  EXPECT_EQ(store->used_bytes(), 0);
  EXPECT_TRUE(store->CheckConsistency().ok());
}

TEST(CacheStorageTest, PutBlockTakesOverTheClientsReference) {
  auto store = MakeStore();
  CacheStorage storage(store, {});
  const std::string row = Pattern(3, 500);
  const int64_t offset = ClientBlock(*store, row);
  EXPECT_EQ(storage.PutBlock(3, offset, 500).outcome, PutOutcome::kInMemory);
  // No copy: the row is the client's block.
  const RowLocation location = storage.Locate({3})[0];
  EXPECT_EQ(location.kind, RowLocation::Kind::kMemory);
  EXPECT_EQ(location.offset, offset);
  EXPECT_EQ(ReadBack(storage, 3), row);
}

TEST(CacheStorageTest, ARowCachedTwiceIsRefusedAndTheCopyReleased) {
  auto store = MakeStore();
  CacheStorage storage(store, {});
  const std::string row = Pattern(1, 300);
  ASSERT_TRUE(storage.PutBytes(1, Bytes(row), 300).admitted());
  const int64_t used = store->used_bytes();
  EXPECT_EQ(storage.PutBytes(1, Bytes(Pattern(2, 300)), 300).outcome,
            PutOutcome::kAlreadyCached);
  const int64_t offset = ClientBlock(*store, Pattern(3, 300));
  EXPECT_EQ(storage.PutBlock(1, offset, 300).outcome, PutOutcome::kAlreadyCached);
  EXPECT_EQ(store->used_bytes(), used);  // the handed-over block was released
  EXPECT_EQ(ReadBack(storage, 1), row);   // the first copy stays
  EXPECT_EQ(storage.GetStatistics().rows_refused, 0);  // not for want of room
}

TEST(CacheStorageTest, MemoryLimitSpillsTheRestToDisk) {
  auto store = MakeStore();
  TempDirectory dir;
  CacheStorageOptions options;
  options.memory_limit = 2500;
  options.spill_path = dir.path() + "/cache.spill";
  CacheStorage storage(store, options);
  for (int i = 0; i < 5; ++i) {
    const std::string row = Pattern(i, 1000);
    const PutOutcome expected = i < 2 ? PutOutcome::kInMemory : PutOutcome::kOnDisk;
    EXPECT_EQ(storage.PutBytes(i, Bytes(row), 1000).outcome, expected) << i;
  }
  // A handed-over block beyond the limit is copied to disk and released.
  const int64_t used = store->used_bytes();
  EXPECT_EQ(storage.PutBlock(5, ClientBlock(*store, Pattern(5, 1000)), 1000).outcome,
            PutOutcome::kOnDisk);
  EXPECT_EQ(store->used_bytes(), used);

  for (int i = 0; i < 6; ++i) EXPECT_EQ(ReadBack(storage, i), Pattern(i, 1000)) << i;
  const CacheStorageStatistics stats = storage.GetStatistics();
  EXPECT_EQ(stats.rows_in_memory, 2);
  EXPECT_EQ(stats.bytes_in_memory, 2000);
  EXPECT_EQ(stats.rows_on_disk, 4);
  EXPECT_EQ(stats.bytes_on_disk, 4000);
  EXPECT_EQ(stats.rows_refused, 0);
  EXPECT_TRUE(Exists(options.spill_path));
}

TEST(CacheStorageTest, MemoryLimitWithoutSpillingRefuses) {
  auto store = MakeStore();
  CacheStorageOptions options;
  options.memory_limit = 2500;
  CacheStorage storage(store, options);
  for (int i = 0; i < 4; ++i) {
    const PutOutcome expected = i < 2 ? PutOutcome::kInMemory : PutOutcome::kRefusedFull;
    EXPECT_EQ(storage.PutBytes(i, Bytes(Pattern(i, 1000)), 1000).outcome, expected) << i;
  }
  const int64_t used = store->used_bytes();
  EXPECT_EQ(storage.PutBlock(9, ClientBlock(*store, Pattern(9, 1000)), 1000).outcome,
            PutOutcome::kRefusedFull);
  EXPECT_EQ(store->used_bytes(), used);
  EXPECT_EQ(storage.GetStatistics().rows_refused, 3);
  EXPECT_EQ(storage.rows(), 2);
}

TEST(CacheStorageTest, AFullStoreSpillsOrRefuses) {
  // 2 MiB of store, 64 KiB rows: some 30 fit, the rest go to disk (or are refused).
  TempDirectory dir;
  for (bool spilling : {true, false}) {
    SCOPED_TRACE(spilling);
    auto store = MakeStore(2 << 20);
    CacheStorageOptions options;
    if (spilling) options.spill_path = dir.path() + "/full.spill";
    CacheStorage storage(store, options);
    constexpr int kRows = 64;
    for (int i = 0; i < kRows; ++i) {
      storage.PutBytes(i, Bytes(Pattern(i, 64 << 10)), 64 << 10);
    }
    const CacheStorageStatistics stats = storage.GetStatistics();
    EXPECT_GT(stats.rows_in_memory, 10);
    EXPECT_LE(store->used_bytes(), store->capacity());
    if (spilling) {
      EXPECT_EQ(stats.rows_in_memory + stats.rows_on_disk, kRows);
      for (int i = 0; i < kRows; ++i) ASSERT_EQ(ReadBack(storage, i), Pattern(i, 64 << 10));
    } else {
      EXPECT_EQ(stats.rows_on_disk, 0);
      EXPECT_EQ(stats.rows_in_memory + stats.rows_refused, kRows);
    }
  }
}

TEST(CacheStorageTest, LendBlockAddsAReferenceForTheReader) {
  auto store = MakeStore();
  auto storage = std::make_unique<CacheStorage>(store, CacheStorageOptions{});
  const std::string row = Pattern(4, 700);
  ASSERT_TRUE(storage->PutBytes(4, Bytes(row), 700).admitted());
  const RowLocation location = storage->Locate({4})[0];
  ASSERT_TRUE(storage->LendBlock(location).ok());
  // The reader's reference outlives the cache.
  storage.reset();
  EXPECT_GT(store->used_bytes(), 0);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(store->data(location.offset)), 700), row);
  ASSERT_TRUE(store->Release(location.offset).ok());
  EXPECT_EQ(store->used_bytes(), 0);
}

TEST(CacheStorageTest, CountReadsAddsHitsAndMisses) {
  auto store = MakeStore();
  CacheStorage storage(store, {});
  storage.CountReads(3, 2);
  storage.CountReads(1, 0);
  EXPECT_EQ(storage.GetStatistics().hits, 4);
  EXPECT_EQ(storage.GetStatistics().misses, 2);
}

TEST(CacheStorageTest, SetCompleteNeedsEveryRowOfThePass) {
  auto store = MakeStore();
  CacheStorage storage(store, {});
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(storage.PutBytes(i, Bytes(Pattern(i, 10)), 10).admitted());
  }
  // Fewer rows held than the pass had (some were refused): stays incomplete.
  auto complete = storage.SetComplete(4);
  ASSERT_TRUE(complete.ok());
  EXPECT_FALSE(*complete);
  EXPECT_FALSE(storage.complete());
  // A pass with fewer rows than are cached, or a negative count, is a caller's mistake.
  EXPECT_EQ(storage.SetComplete(2).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(storage.SetComplete(-1).status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(storage.SetComplete(-1).status().message().find("rows"), std::string::npos);

  complete = storage.SetComplete(3);
  ASSERT_TRUE(complete.ok());
  EXPECT_TRUE(*complete);
  EXPECT_TRUE(storage.GetStatistics().complete);
  // A complete cache takes no more rows (and releases what it is handed).
  EXPECT_EQ(storage.PutBytes(9, Bytes(Pattern(9, 10)), 10).outcome, PutOutcome::kRefusedComplete);
  const int64_t used = store->used_bytes();
  EXPECT_EQ(storage.PutBlock(9, ClientBlock(*store, Pattern(9, 10)), 10).outcome,
            PutOutcome::kRefusedComplete);
  EXPECT_EQ(store->used_bytes(), used);
  EXPECT_EQ(storage.rows(), 3);
}

TEST(CacheStorageTest, DestroyingTheCacheDeletesItsSpillFile) {
  auto store = MakeStore();
  TempDirectory dir;
  CacheStorageOptions options;
  options.memory_limit = 1;
  options.spill_path = dir.path() + "/gone.spill";
  {
    CacheStorage storage(store, options);
    EXPECT_FALSE(Exists(options.spill_path));  // made at the first spill only
    ASSERT_EQ(storage.PutBytes(1, Bytes(Pattern(1, 100)), 100).outcome, PutOutcome::kOnDisk);
    EXPECT_TRUE(Exists(options.spill_path));
  }
  EXPECT_FALSE(Exists(options.spill_path));
}

TEST(CacheStorageTest, ASpillFileThatCannotBeMadeRefusesRowsWithTheReason) {
  auto store = MakeStore();
  CacheStorageOptions options;
  options.memory_limit = 1;
  options.spill_path = "/nonexistent/headrace/x.spill";
  CacheStorage storage(store, options);
  const PutResult result = storage.PutBytes(1, Bytes(Pattern(1, 100)), 100);
  EXPECT_EQ(result.outcome, PutOutcome::kRefusedDiskError);
  EXPECT_NE(result.disk_error.message().find("/nonexistent/headrace/x.spill"), std::string::npos);
  EXPECT_EQ(storage.GetStatistics().rows_refused, 1);
  EXPECT_EQ(storage.GetStatistics().spill_failures, 1);
}

// A disk that fills up (a file size limit, in a child process) refuses rows, counted,
// and the cache goes on: rows that fit are still admitted.
TEST(CacheStorageTest, AFullDiskRefusesRowsAndTheCacheGoesOn) {
  TempDirectory dir;
  const pid_t pid = ::fork();
  if (pid == 0) {
    // The store first: sizing its segment is subject to the limit too.
    auto store = SharedStore::Create(4 << 20);
    if (!store.ok()) ::_exit(11);
    ::signal(SIGXFSZ, SIG_IGN);
    rlimit limit{};
    limit.rlim_cur = limit.rlim_max = 16 * 1024;
    if (::setrlimit(RLIMIT_FSIZE, &limit) != 0) ::_exit(10);
    CacheStorageOptions options;
    options.memory_limit = 1024;
    options.spill_path = dir.path() + "/full.spill";
    CacheStorage storage(*store, options);
    int disk = 0;
    int refused = 0;
    for (int i = 0; i < 10; ++i) {
      const PutResult result = storage.PutBytes(i, Bytes(Pattern(i, 4096)), 4096);
      if (result.outcome == PutOutcome::kOnDisk) ++disk;
      if (result.outcome == PutOutcome::kRefusedDiskError) {
        if (result.disk_error.code() != StatusCode::kResourceExhausted) ::_exit(12);
        ++refused;
      }
    }
    if (disk != 4 || refused != 6) ::_exit(13);
    if (storage.GetStatistics().rows_refused != 6) ::_exit(14);
    if (storage.PutBytes(100, Bytes(Pattern(100, 512)), 512).outcome != PutOutcome::kInMemory) {
      ::_exit(15);
    }
    for (int i = 0; i < 4; ++i) {
      if (ReadBack(storage, i) != Pattern(i, 4096)) ::_exit(16);
    }
    ::_exit(0);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

TEST(CacheStorageTest, ConcurrentWritersAndReadersAgree) {
  auto store = MakeStore(4 << 20);
  TempDirectory dir;
  CacheStorageOptions options;
  options.memory_limit = 1 << 20;
  options.spill_path = dir.path() + "/c.spill";
  CacheStorage storage(store, options);
  constexpr int kThreads = 4;
  constexpr int kRows = 400;  // every thread writes every id: one copy of each wins
  std::vector<int> admitted(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kRows; ++i) {
        const int id = (i * 7 + t * 13) % kRows;
        const std::string row = Pattern(id, 4000);
        const PutResult result =
            t % 2 == 0 ? storage.PutBytes(id, Bytes(row), 4000)
                       : storage.PutBlock(id, ClientBlock(*store, row), 4000);
        if (result.admitted()) ++admitted[t];
        EXPECT_NE(ReadBack(storage, id), "<missing>");
      }
    });
  }
  for (auto& thread : threads) thread.join();
  int total = 0;
  for (int n : admitted) total += n;
  EXPECT_EQ(total, kRows);
  const CacheStorageStatistics stats = storage.GetStatistics();
  EXPECT_EQ(stats.rows_in_memory + stats.rows_on_disk, kRows);
  EXPECT_LE(stats.bytes_in_memory, options.memory_limit);
  for (int id = 0; id < kRows; ++id) ASSERT_EQ(ReadBack(storage, id), Pattern(id, 4000));
  EXPECT_TRUE(store->CheckConsistency().ok());
}

}  // namespace
}  // namespace headrace::cache
