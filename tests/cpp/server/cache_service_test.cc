// CacheServiceImpl without a network: the proto messages go straight in and out.
#include "headrace/server/cache_service_impl.h"

#include <unistd.h>

#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "../cache/cache_test_util.h"
#include "headrace/server/log.h"

namespace headrace::server {
namespace {

using cache::testing::FilesIn;
using cache::testing::Pattern;
using cache::testing::TempDirectory;
using memory::SharedStore;

class CacheServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SetLogLevel(LogLevel::kWarning);
    Start(8 << 20, /*spill=*/true);
  }

  void Start(int64_t capacity, bool spill) {
    impl_.reset();
    auto store = SharedStore::Create(capacity);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *store;
    impl_ = std::make_unique<CacheServiceImpl>(store_, spill ? dir_.path() : "");
  }

  uint32_t NewSession() {
    v1::CreateSessionResponse response;
    EXPECT_TRUE(impl_->CreateSession({}, &response).ok());
    return response.session_id();
  }

  uint64_t NewCache(uint32_t session, uint64_t crc = 1, int64_t memory_limit = 0,
                    bool spilling = true) {
    v1::OpenCacheRequest request;
    request.set_session_id(session);
    request.set_crc(crc);
    request.set_description("test cache");
    request.set_memory_limit(memory_limit);
    request.set_spilling(spilling);
    v1::OpenCacheResponse response;
    const Status status = impl_->OpenCache(request, &response);
    EXPECT_TRUE(status.ok()) << status;
    return response.cache_id();
  }

  // Writes rows `ids` as bytes (Pattern(id, size)).
  v1::WriteRowsResponse WriteBytes(uint64_t cache_id, const std::vector<int64_t>& ids,
                                   int64_t size = 1000) {
    v1::WriteRowsRequest request;
    request.set_cache_id(cache_id);
    for (int64_t id : ids) {
      v1::Row* row = request.add_rows();
      row->set_row_id(id);
      row->set_data(Pattern(id, size));
    }
    v1::WriteRowsResponse response;
    const Status status = impl_->WriteRows(request, &response);
    EXPECT_TRUE(status.ok()) << status;
    return response;
  }

  // A block holding Pattern(id, size), as a local client makes it.
  int64_t ClientBlock(int64_t id, int64_t size) {
    const int64_t offset = store_->Allocate(size).value();
    const std::string bytes = Pattern(id, size);
    std::memcpy(store_->data(offset), bytes.data(), bytes.size());
    return offset;
  }

  v1::ReadRowsResponse Read(uint64_t cache_id, const std::vector<int64_t>& ids,
                            bool shared_memory = false) {
    v1::ReadRowsRequest request;
    request.set_cache_id(cache_id);
    for (int64_t id : ids) request.add_row_ids(id);
    request.set_shared_memory(shared_memory);
    v1::ReadRowsResponse response;
    const Status status = impl_->ReadRows(request, &response);
    EXPECT_TRUE(status.ok()) << status;
    return response;
  }

  // The bytes of a read row, taking a lent block back into the store (as a client would).
  std::string RowBytes(const v1::Row& row) {
    if (!row.in_shared_memory()) return row.data();
    std::string bytes(reinterpret_cast<const char*>(store_->data(row.offset())),
                      static_cast<size_t>(row.size()));
    EXPECT_TRUE(store_->Release(row.offset()).ok());
    return bytes;
  }

  v1::CacheInfo Info(uint64_t cache_id) {
    v1::ListSessionsResponse response;
    EXPECT_TRUE(impl_->ListSessions({}, &response).ok());
    for (const auto& session : response.sessions()) {
      for (const auto& cache : session.caches()) {
        if (cache.cache_id() == cache_id) return cache;
      }
    }
    ADD_FAILURE() << "no cache " << cache_id;
    return {};
  }

  TempDirectory dir_;
  std::shared_ptr<SharedStore> store_;
  std::unique_ptr<CacheServiceImpl> impl_;
};

TEST_F(CacheServiceTest, SessionsAreCreatedListedAndDropped) {
  const uint32_t a = NewSession();
  const uint32_t b = NewSession();
  EXPECT_NE(a, 0u);
  EXPECT_NE(a, b);
  v1::ListSessionsResponse listing;
  ASSERT_TRUE(impl_->ListSessions({}, &listing).ok());
  EXPECT_EQ(listing.sessions_size(), 2);
  EXPECT_EQ(listing.memory_capacity(), store_->capacity());
  EXPECT_EQ(listing.spill_dir(), dir_.path());

  v1::DropSessionRequest drop;
  drop.set_session_id(a);
  ASSERT_TRUE(impl_->DropSession(drop, nullptr).ok());
  listing.Clear();
  ASSERT_TRUE(impl_->ListSessions({}, &listing).ok());
  ASSERT_EQ(listing.sessions_size(), 1);
  EXPECT_EQ(listing.sessions(0).session_id(), b);

  const Status again = impl_->DropSession(drop, nullptr);
  EXPECT_EQ(again.code(), StatusCode::kNotFound);
  EXPECT_NE(again.message().find("session " + std::to_string(a)), std::string::npos);
}

TEST_F(CacheServiceTest, OpenCacheOnAnUnknownSessionIsNotFound) {
  v1::OpenCacheRequest request;
  request.set_session_id(42);
  v1::OpenCacheResponse response;
  const Status status = impl_->OpenCache(request, &response);
  EXPECT_EQ(status.code(), StatusCode::kNotFound);
  EXPECT_NE(status.message().find("session 42"), std::string::npos);
}

TEST_F(CacheServiceTest, OpenCacheSharesByCrcAndReportsRowsAndCompleteness) {
  const uint32_t session = NewSession();
  const uint64_t cache_id = NewCache(session, 99);
  WriteBytes(cache_id, {0, 1, 2});
  v1::SetCompleteRequest complete;
  complete.set_cache_id(cache_id);
  complete.set_rows(3);
  v1::SetCompleteResponse answer;
  ASSERT_TRUE(impl_->SetComplete(complete, &answer).ok());
  EXPECT_TRUE(answer.complete());

  v1::OpenCacheRequest request;
  request.set_session_id(session);
  request.set_crc(99);
  v1::OpenCacheResponse response;
  ASSERT_TRUE(impl_->OpenCache(request, &response).ok());
  EXPECT_EQ(response.cache_id(), cache_id);
  EXPECT_TRUE(response.complete());
  EXPECT_EQ(response.rows(), 3);
  EXPECT_EQ(Info(cache_id).clients(), 2);
  EXPECT_EQ(Info(cache_id).description(), "test cache");
}

TEST_F(CacheServiceTest, BytesRoundTripWithHitsAndMisses) {
  const uint64_t cache_id = NewCache(NewSession());
  const v1::WriteRowsResponse written = WriteBytes(cache_id, {10, 11, 12});
  EXPECT_EQ(written.admitted(), 3);
  EXPECT_EQ(written.refused(), 0);

  v1::LookupRequest lookup;
  lookup.set_cache_id(cache_id);
  for (int64_t id : {12, 13, 10}) lookup.add_row_ids(id);
  v1::LookupResponse cached;
  ASSERT_TRUE(impl_->Lookup(lookup, &cached).ok());
  ASSERT_EQ(cached.cached_size(), 3);
  EXPECT_TRUE(cached.cached(0));
  EXPECT_FALSE(cached.cached(1));
  EXPECT_TRUE(cached.cached(2));

  const v1::ReadRowsResponse read = Read(cache_id, {11, 13, 10});
  ASSERT_EQ(read.rows_size(), 3);
  EXPECT_EQ(read.rows(0).row_id(), 11);
  EXPECT_EQ(read.rows(0).size(), 1000);
  EXPECT_FALSE(read.rows(0).in_shared_memory());
  EXPECT_EQ(read.rows(0).data(), Pattern(11, 1000));
  EXPECT_EQ(read.rows(1).row_id(), 13);
  EXPECT_EQ(read.rows(1).size(), -1);
  EXPECT_EQ(read.rows(2).data(), Pattern(10, 1000));

  const v1::CacheInfo info = Info(cache_id);
  EXPECT_EQ(info.hits(), 2);
  EXPECT_EQ(info.misses(), 1);  // Lookup counted nothing
  EXPECT_EQ(info.rows_in_memory(), 3);
  EXPECT_EQ(info.bytes_in_memory(), 3000);
}

TEST_F(CacheServiceTest, SharedMemoryWritesHandOverBlocksAndReadsLendThem) {
  const uint64_t cache_id = NewCache(NewSession());
  v1::WriteRowsRequest request;
  request.set_cache_id(cache_id);
  std::vector<int64_t> offsets;
  for (int64_t id = 0; id < 4; ++id) {
    v1::Row* row = request.add_rows();
    row->set_row_id(id);
    row->set_in_shared_memory(true);
    row->set_offset(ClientBlock(id, 2000));
    row->set_size(2000);
    offsets.push_back(row->offset());
  }
  v1::WriteRowsResponse written;
  ASSERT_TRUE(impl_->WriteRows(request, &written).ok());
  EXPECT_EQ(written.admitted(), 4);
  const int64_t used = store_->used_bytes();

  // Read in place: the very blocks, one more reference each for the reader.
  const v1::ReadRowsResponse read = Read(cache_id, {2, 0}, /*shared_memory=*/true);
  ASSERT_EQ(read.rows_size(), 2);
  EXPECT_TRUE(read.rows(0).in_shared_memory());
  EXPECT_EQ(read.rows(0).offset(), offsets[2]);
  EXPECT_EQ(read.rows(0).size(), 2000);
  EXPECT_TRUE(read.rows(0).data().empty());
  EXPECT_EQ(RowBytes(read.rows(0)), Pattern(2, 2000));
  EXPECT_EQ(RowBytes(read.rows(1)), Pattern(0, 2000));
  // The reader's releases left the cache's own references.
  EXPECT_EQ(store_->used_bytes(), used);

  // The same rows as bytes, for a remote client.
  EXPECT_EQ(Read(cache_id, {3}).rows(0).data(), Pattern(3, 2000));
}

TEST_F(CacheServiceTest, ReturnLentBlocksGivesBackAnUndeliveredAnswer) {
  const uint64_t cache_id = NewCache(NewSession());
  WriteBytes(cache_id, {1, 2});
  const int64_t used = store_->used_bytes();
  const v1::ReadRowsResponse read = Read(cache_id, {1, 2, 3}, /*shared_memory=*/true);
  impl_->ReturnLentBlocks(read);
  EXPECT_EQ(store_->used_bytes(), used);
  // Dropping the session now frees everything: no reference was left behind.
  v1::ListSessionsResponse listing;
  ASSERT_TRUE(impl_->ListSessions({}, &listing).ok());
  v1::DropSessionRequest drop;
  drop.set_session_id(listing.sessions(0).session_id());
  ASSERT_TRUE(impl_->DropSession(drop, nullptr).ok());
  EXPECT_EQ(store_->used_bytes(), 0);
}

TEST_F(CacheServiceTest, RowsOnDiskComeBackAsBytesEvenToALocalReader) {
  const uint64_t cache_id = NewCache(NewSession(), 1, /*memory_limit=*/1500);
  WriteBytes(cache_id, {1, 2, 3});
  const v1::ReadRowsResponse read = Read(cache_id, {1, 2, 3}, /*shared_memory=*/true);
  ASSERT_EQ(read.rows_size(), 3);
  EXPECT_TRUE(read.rows(0).in_shared_memory());
  EXPECT_FALSE(read.rows(1).in_shared_memory());
  EXPECT_FALSE(read.rows(2).in_shared_memory());
  for (int i = 0; i < 3; ++i) EXPECT_EQ(RowBytes(read.rows(i)), Pattern(i + 1, 1000));
  const v1::CacheInfo info = Info(cache_id);
  EXPECT_EQ(info.rows_in_memory(), 1);
  EXPECT_EQ(info.rows_on_disk(), 2);
  EXPECT_EQ(info.bytes_on_disk(), 2000);
  EXPECT_EQ(FilesIn(dir_.path()).size(), 1u);
}

TEST_F(CacheServiceTest, TheStoresCapacityIsTheMemoryCap) {
  // 2 MiB of memory, 8 MiB of rows: the rest spills, or is refused without spilling.
  for (bool spill : {true, false}) {
    SCOPED_TRACE(spill);
    Start(2 << 20, spill);
    const uint64_t cache_id = NewCache(NewSession());
    std::vector<int64_t> ids;
    for (int64_t id = 0; id < 128; ++id) ids.push_back(id);
    const v1::WriteRowsResponse written = WriteBytes(cache_id, ids, 64 << 10);
    EXPECT_LE(store_->used_bytes(), store_->capacity());
    const v1::CacheInfo info = Info(cache_id);
    EXPECT_GT(info.rows_in_memory(), 10);
    if (spill) {
      EXPECT_EQ(written.admitted(), 128);
      EXPECT_EQ(info.rows_in_memory() + info.rows_on_disk(), 128);
      const v1::ReadRowsResponse read = Read(cache_id, ids);
      for (int64_t id : ids) ASSERT_EQ(read.rows(id).data(), Pattern(id, 64 << 10));
    } else {
      EXPECT_EQ(written.admitted() + written.refused(), 128);
      EXPECT_GT(written.refused(), 0);
      EXPECT_EQ(info.rows_refused(), written.refused());
      EXPECT_EQ(info.rows_on_disk(), 0);
    }
  }
}

TEST_F(CacheServiceTest, ACachesMemoryLimitIsHonouredAndSpillingCanBeRefused) {
  const uint32_t session = NewSession();
  const uint64_t spilling = NewCache(session, 1, 3000, true);
  const uint64_t not_spilling = NewCache(session, 2, 3000, false);
  EXPECT_EQ(WriteBytes(spilling, {1, 2, 3, 4, 5}).admitted(), 5);
  const v1::WriteRowsResponse refused = WriteBytes(not_spilling, {1, 2, 3, 4, 5});
  EXPECT_EQ(refused.admitted(), 3);
  EXPECT_EQ(refused.refused(), 2);
  EXPECT_EQ(Info(spilling).bytes_in_memory(), 3000);
  EXPECT_EQ(Info(spilling).rows_on_disk(), 2);
  EXPECT_EQ(Info(not_spilling).bytes_in_memory(), 3000);
  EXPECT_EQ(Info(not_spilling).rows_refused(), 2);
}

TEST_F(CacheServiceTest, RowsAlreadyCachedOrOfACompleteCacheAreRefusedNotErrors) {
  const uint64_t cache_id = NewCache(NewSession());
  WriteBytes(cache_id, {1, 2});
  v1::WriteRowsResponse again = WriteBytes(cache_id, {2, 3});
  EXPECT_EQ(again.admitted(), 1);
  EXPECT_EQ(again.refused(), 1);

  v1::SetCompleteRequest complete;
  complete.set_cache_id(cache_id);
  complete.set_rows(3);
  v1::SetCompleteResponse answer;
  ASSERT_TRUE(impl_->SetComplete(complete, &answer).ok());
  const int64_t used = store_->used_bytes();
  v1::WriteRowsRequest late;
  late.set_cache_id(cache_id);
  v1::Row* row = late.add_rows();
  row->set_row_id(4);
  row->set_in_shared_memory(true);
  row->set_offset(ClientBlock(4, 100));
  row->set_size(100);
  v1::WriteRowsResponse refused;
  ASSERT_TRUE(impl_->WriteRows(late, &refused).ok());
  EXPECT_EQ(refused.refused(), 1);
  EXPECT_EQ(store_->used_bytes(), used);  // the handed-over block was released
  EXPECT_TRUE(Info(cache_id).complete());
  EXPECT_EQ(Info(cache_id).rows_refused(), 0);  // not for want of room
}

TEST_F(CacheServiceTest, SetCompleteWithRowsMissingLeavesTheCacheIncomplete) {
  const uint64_t cache_id = NewCache(NewSession());
  WriteBytes(cache_id, {0, 1});
  v1::SetCompleteRequest complete;
  complete.set_cache_id(cache_id);
  complete.set_rows(5);
  v1::SetCompleteResponse answer;
  EXPECT_TRUE(impl_->SetComplete(complete, &answer).ok());
  EXPECT_FALSE(answer.complete());
  EXPECT_FALSE(Info(cache_id).complete());
  complete.set_rows(-3);
  const Status negative = impl_->SetComplete(complete, &answer);
  EXPECT_EQ(negative.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(negative.message().find("rows"), std::string::npos);
  complete.set_cache_id(777);
  EXPECT_EQ(impl_->SetComplete(complete, &answer).code(), StatusCode::kNotFound);
}

TEST_F(CacheServiceTest, UnknownCachesAreNotFoundByName) {
  v1::LookupRequest lookup;
  lookup.set_cache_id(31337);
  v1::LookupResponse cached;
  Status status = impl_->Lookup(lookup, &cached);
  EXPECT_EQ(status.code(), StatusCode::kNotFound);
  EXPECT_NE(status.message().find("cache 31337"), std::string::npos);

  v1::WriteRowsRequest write;
  write.set_cache_id(31337);
  v1::WriteRowsResponse written;
  EXPECT_EQ(impl_->WriteRows(write, &written).code(), StatusCode::kNotFound);
  v1::ReadRowsRequest read;
  read.set_cache_id(31337);
  v1::ReadRowsResponse rows;
  EXPECT_EQ(impl_->ReadRows(read, &rows).code(), StatusCode::kNotFound);
}

// Each malformed request is InvalidArgument naming the field, and leaves every block of
// the request with the client (who may release it).
TEST_F(CacheServiceTest, MalformedRowsAreInvalidAndNamedAndTakeNoBlock) {
  const uint64_t cache_id = NewCache(NewSession());
  struct Case {
    const char* what;
    int64_t offset_delta;  // added to a live block's offset
    int64_t size;
    bool in_shared_memory;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {"negative size", 0, -1, true, "rows[1].size must be >= 0, got -1"},
      {"offset not a block", 8, 100, true, "rows[1].offset"},
      {"offset outside the store", int64_t{1} << 40, 100, true, "rows[1].offset"},
      {"size beyond the block", 0, 1 << 20, true, "rows[1].size 1048576 is larger than the block"},
      {"inline size disagrees", 0, 5, false, "rows[1].size is 5 but rows[1].data holds 3 bytes"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    const int64_t good = ClientBlock(1, 256);
    const int64_t other = ClientBlock(2, 256);
    v1::WriteRowsRequest request;
    request.set_cache_id(cache_id);
    v1::Row* first = request.add_rows();
    first->set_row_id(1);
    first->set_in_shared_memory(true);
    first->set_offset(good);
    first->set_size(256);
    v1::Row* bad = request.add_rows();
    bad->set_row_id(2);
    bad->set_in_shared_memory(c.in_shared_memory);
    bad->set_offset(other + c.offset_delta);
    bad->set_size(c.size);
    if (!c.in_shared_memory) bad->set_data("abc");
    v1::WriteRowsResponse response;
    const Status status = impl_->WriteRows(request, &response);
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << status;
    EXPECT_NE(status.message().find(c.expected), std::string::npos) << status;
    // Nothing was taken: the client's releases free both blocks.
    EXPECT_TRUE(store_->Release(good).ok());
    EXPECT_TRUE(store_->Release(other).ok());
    EXPECT_EQ(store_->used_bytes(), 0);
  }
  EXPECT_EQ(Info(cache_id).rows_in_memory(), 0);
}

TEST_F(CacheServiceTest, ABlockHandedOverTwiceInOneRequestIsInvalid) {
  const uint64_t cache_id = NewCache(NewSession());
  const int64_t block = ClientBlock(1, 256);
  v1::WriteRowsRequest request;
  request.set_cache_id(cache_id);
  for (int64_t id : {1, 2}) {
    v1::Row* row = request.add_rows();
    row->set_row_id(id);
    row->set_in_shared_memory(true);
    row->set_offset(block);
    row->set_size(256);
  }
  v1::WriteRowsResponse response;
  const Status status = impl_->WriteRows(request, &response);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("rows[1].offset"), std::string::npos) << status;
  EXPECT_TRUE(store_->Release(block).ok());
  EXPECT_EQ(store_->used_bytes(), 0);
}

TEST_F(CacheServiceTest, ConcurrentClientsOnThreads) {
  Start(4 << 20, /*spill=*/true);
  const uint32_t session = NewSession();
  const uint64_t shared = NewCache(session, 1, /*memory_limit=*/1 << 20);
  constexpr int kThreads = 4;
  constexpr int kRows = 200;
  std::vector<std::thread> threads;
  std::vector<int64_t> admitted(kThreads, 0);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      // Every thread writes every row of the shared cache (one copy wins), in its own
      // order and by its own means, and reads back what it wrote.
      const bool local = t % 2 == 0;
      for (int i = 0; i < kRows; i += 10) {
        v1::WriteRowsRequest request;
        request.set_cache_id(shared);
        std::vector<int64_t> ids;
        for (int j = 0; j < 10; ++j) {
          const int64_t id = (i + j + t * 37) % kRows;
          ids.push_back(id);
          v1::Row* row = request.add_rows();
          row->set_row_id(id);
          if (local) {
            row->set_in_shared_memory(true);
            row->set_offset(ClientBlock(id, 8000));
            row->set_size(8000);
          } else {
            row->set_data(Pattern(id, 8000));
          }
        }
        v1::WriteRowsResponse written;
        ASSERT_TRUE(impl_->WriteRows(request, &written).ok());
        admitted[t] += written.admitted();
        const v1::ReadRowsResponse read = Read(shared, ids, local);
        ASSERT_EQ(read.rows_size(), 10);
        for (int j = 0; j < 10; ++j) ASSERT_EQ(RowBytes(read.rows(j)), Pattern(ids[j], 8000));
      }
      // And a session of its own, dropped at the end.
      const uint32_t mine = NewSession();
      WriteBytes(NewCache(mine), {1, 2, 3});
      v1::DropSessionRequest drop;
      drop.set_session_id(mine);
      ASSERT_TRUE(impl_->DropSession(drop, nullptr).ok());
    });
  }
  for (auto& thread : threads) thread.join();
  int64_t total = 0;
  for (int64_t n : admitted) total += n;
  EXPECT_EQ(total, kRows);
  const v1::CacheInfo info = Info(shared);
  EXPECT_EQ(info.rows_in_memory() + info.rows_on_disk(), kRows);
  EXPECT_LE(info.bytes_in_memory(), 1 << 20);
  EXPECT_EQ(info.hits(), kThreads * kRows);
  EXPECT_TRUE(store_->CheckConsistency().ok());
}

}  // namespace
}  // namespace headrace::server
