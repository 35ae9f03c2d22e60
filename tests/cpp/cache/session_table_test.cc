#include "headrace/cache/session_table.h"

#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "cache_test_util.h"

namespace headrace::cache {
namespace {

using memory::SharedStore;
using testing::Bytes;
using testing::Exists;
using testing::FilesIn;
using testing::Pattern;
using testing::TempDirectory;

class SessionTableTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = SharedStore::Create(8 << 20);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *store;
    table_ = std::make_unique<SessionTable>(store_, dir_.path());
  }

  TempDirectory dir_;
  std::shared_ptr<SharedStore> store_;
  std::unique_ptr<SessionTable> table_;
};

TEST_F(SessionTableTest, SessionIdsAreNonZeroAndDistinct) {
  std::set<uint32_t> ids;
  for (int i = 0; i < 1000; ++i) {
    const uint32_t id = table_->CreateSession();
    EXPECT_NE(id, 0u);
    EXPECT_TRUE(ids.insert(id).second) << "repeated id " << id;
    EXPECT_TRUE(table_->HasSession(id));
  }
  EXPECT_EQ(table_->List().size(), 1000u);
}

TEST_F(SessionTableTest, UnknownSessionsAreNotFoundByName) {
  const Status dropped = table_->DropSession(12345);
  EXPECT_EQ(dropped.code(), StatusCode::kNotFound);
  EXPECT_NE(dropped.message().find("session 12345"), std::string::npos) << dropped;

  auto opened = table_->OpenCache(12345, 1, "x", 0, true);
  EXPECT_EQ(opened.status().code(), StatusCode::kNotFound);
  EXPECT_NE(opened.status().message().find("session 12345"), std::string::npos);

  auto found = table_->FindCache(99);
  EXPECT_EQ(found.status().code(), StatusCode::kNotFound);
  EXPECT_NE(found.status().message().find("cache 99"), std::string::npos);
}

TEST_F(SessionTableTest, SessionAndCrcNameOneCache) {
  const uint32_t session = table_->CreateSession();
  const uint32_t other = table_->CreateSession();
  auto first = table_->OpenCache(session, 0xabc, "map(decode)", 0, true);
  auto again = table_->OpenCache(session, 0xabc, "map(decode)", 0, true);
  auto other_crc = table_->OpenCache(session, 0xdef, "batch", 0, true);
  auto other_session = table_->OpenCache(other, 0xabc, "map(decode)", 0, true);
  ASSERT_TRUE(first.ok() && again.ok() && other_crc.ok() && other_session.ok());
  EXPECT_TRUE(first->created);
  EXPECT_FALSE(again->created);
  EXPECT_EQ(first->cache_id, again->cache_id);
  EXPECT_EQ(first->storage, again->storage);
  EXPECT_NE(first->cache_id, other_crc->cache_id);
  EXPECT_NE(first->cache_id, other_session->cache_id);
  EXPECT_EQ(*table_->FindCache(first->cache_id), first->storage);

  const std::vector<SessionListing> listing = table_->List();
  ASSERT_EQ(listing.size(), 2u);
  const SessionListing& mine = listing[0].session_id == session ? listing[0] : listing[1];
  ASSERT_EQ(mine.caches.size(), 2u);
  EXPECT_EQ(mine.caches[0].cache_id, first->cache_id);  // by cache id
  EXPECT_EQ(mine.caches[0].crc, 0xabcu);
  EXPECT_EQ(mine.caches[0].description, "map(decode)");
  EXPECT_EQ(mine.caches[0].clients, 2);
  EXPECT_EQ(mine.caches[0].session_id, session);
  EXPECT_EQ(mine.caches[1].clients, 1);
}

TEST_F(SessionTableTest, NegativeMemoryLimitIsInvalidAndNamed) {
  const uint32_t session = table_->CreateSession();
  auto opened = table_->OpenCache(session, 1, "", -5, true);
  EXPECT_EQ(opened.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(opened.status().message().find("memory_limit"), std::string::npos);
}

TEST_F(SessionTableTest, SpillingTakesEffectOnlyWithASpillDirectory) {
  const uint32_t session = table_->CreateSession();
  EXPECT_FALSE(table_->OpenCache(session, 1, "", 0, true)->storage->spill_path().empty());
  EXPECT_TRUE(table_->OpenCache(session, 2, "", 0, false)->storage->spill_path().empty());
  SessionTable no_spill(store_, "");
  const uint32_t s = no_spill.CreateSession();
  EXPECT_TRUE(no_spill.OpenCache(s, 1, "", 0, true)->storage->spill_path().empty());
  EXPECT_TRUE(no_spill.spill_dir().empty());
}

TEST_F(SessionTableTest, DroppingASessionFreesItsCachesOnly) {
  const uint32_t doomed = table_->CreateSession();
  const uint32_t kept = table_->CreateSession();
  auto cache = table_->OpenCache(doomed, 1, "", 1000, true);
  auto survivor = table_->OpenCache(kept, 1, "", 0, true);
  ASSERT_TRUE(cache.ok() && survivor.ok());
  ASSERT_TRUE(survivor->storage->PutBytes(0, Bytes(Pattern(0, 600)), 600).admitted());
  const int64_t survivor_bytes = store_->used_bytes();
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(cache->storage->PutBytes(i, Bytes(Pattern(i, 600)), 600).admitted());
  }
  EXPECT_EQ(cache->storage->GetStatistics().rows_on_disk, 4);
  const std::string spill_path = cache->storage->spill_path();
  EXPECT_TRUE(Exists(spill_path));
  EXPECT_GT(store_->used_bytes(), survivor_bytes);
  cache = OpenCacheResult{};  // the test lets go of its reference, as a request would

  ASSERT_TRUE(table_->DropSession(doomed).ok());
  EXPECT_FALSE(table_->HasSession(doomed));
  EXPECT_EQ(table_->FindCache(1).status().code(), StatusCode::kNotFound);
  EXPECT_FALSE(Exists(spill_path));
  EXPECT_EQ(store_->used_bytes(), survivor_bytes);
  EXPECT_EQ(table_->DropSession(doomed).code(), StatusCode::kNotFound);

  // The other session's cache is untouched, and the dropped cache id is never reused.
  EXPECT_TRUE(table_->FindCache(survivor->cache_id).ok());
  auto fresh = table_->OpenCache(kept, 2, "", 0, true);
  EXPECT_GT(fresh->cache_id, survivor->cache_id);
  survivor = OpenCacheResult{};
  fresh = OpenCacheResult{};
  ASSERT_TRUE(table_->DropSession(kept).ok());
  EXPECT_EQ(store_->used_bytes(), 0);
  EXPECT_TRUE(FilesIn(dir_.path()).empty());
}

TEST_F(SessionTableTest, ARequestHoldingACacheKeepsItUntilDone) {
  const uint32_t session = table_->CreateSession();
  std::shared_ptr<CacheStorage> held = table_->OpenCache(session, 1, "", 0, true)->storage;
  ASSERT_TRUE(held->PutBytes(1, Bytes(Pattern(1, 100)), 100).admitted());
  ASSERT_TRUE(table_->DropSession(session).ok());
  // Still readable by whoever was mid-request...
  EXPECT_EQ(held->Lookup({1}), std::vector<bool>{true});
  EXPECT_GT(store_->used_bytes(), 0);
  // ...and freed when it lets go.
  held.reset();
  EXPECT_EQ(store_->used_bytes(), 0);
}

TEST_F(SessionTableTest, ListReportsStatistics) {
  const uint32_t session = table_->CreateSession();
  auto cache = table_->OpenCache(session, 7, "rows", 0, true);
  ASSERT_TRUE(cache->storage->PutBytes(1, Bytes(Pattern(1, 100)), 100).admitted());
  cache->storage->CountReads(1, 2);
  const std::vector<SessionListing> listing = table_->List();
  ASSERT_EQ(listing.size(), 1u);
  ASSERT_EQ(listing[0].caches.size(), 1u);
  const CacheStorageStatistics& stats = listing[0].caches[0].statistics;
  EXPECT_EQ(stats.rows_in_memory, 1);
  EXPECT_EQ(stats.bytes_in_memory, 100);
  EXPECT_EQ(stats.hits, 1);
  EXPECT_EQ(stats.misses, 2);
}

TEST_F(SessionTableTest, ConcurrentSessionsAndCaches) {
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([this, t] {
      for (int i = 0; i < 50; ++i) {
        const uint32_t session = table_->CreateSession();
        auto cache = table_->OpenCache(session, static_cast<uint64_t>(i), "", 0, true);
        ASSERT_TRUE(cache.ok());
        ASSERT_TRUE(cache->storage->PutBytes(t, Bytes(Pattern(t, 256)), 256).admitted());
        table_->List();
        if (i % 2 == 0) {
          ASSERT_TRUE(table_->DropSession(session).ok());
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(table_->List().size(), 100u);
}

}  // namespace
}  // namespace headrace::cache
