// FakeCacheClient: a CacheClient over an in-process table of rows, for tests of the cache
// ops without a server. It keeps what the server keeps (sessions, caches by (session,
// crc), each row's encoded bytes, the complete flag, hits and misses) and answers as the
// server does (a row cached twice or written to a complete cache is refused, SetComplete
// wants at least the rows held).
//
// Knobs a test turns to make the server misbehave:
//   - DieAtCall / Die: from one call on, every call fails with Unavailable, as
//     GrpcCacheClient reports a server that has gone; a write waiting in BlockWrites
//     wakes and fails too.
//   - SetCapacity: each cache takes at most so many rows; later ones are refused.
//   - BlockWrites / ReleaseWrites, SetWriteDelay: WriteRows waits (a writer falls behind).
//   - LoseOnRead: ReadRows answers "not held" for rows Lookup says are held.
// and what it counts: calls of each kind, the ids written in order, rows per WriteRows.
//
// Threading: every method may be called from several threads at once.
#pragma once

#include <array>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "headrace/cache/cache_client.h"
#include "headrace/core/buffer.h"
#include "headrace/core/thread_annotations.h"

namespace headrace::cache::testing {

class FakeCacheClient final : public CacheClient {
 public:
  enum class Call {
    kCreateSession,
    kListSessions,
    kDropSession,
    kOpenCache,
    kLookup,
    kWriteRows,
    kReadRows,
    kSetComplete,
  };
  static constexpr size_t kCallKinds = 8;

  // A write blocked longer than this fails with DeadlineExceeded, as a call past the real
  // client's call_timeout does (so that a test that forgets ReleaseWrites ends).
  static constexpr std::chrono::seconds kLongestBlock{20};

  FakeCacheClient() = default;

  const std::string& address() const override { return address_; }
  bool is_local() const override { return false; }

  Result<uint32_t> CreateSession() override;
  Result<ServerCacheStatistics> ListSessions() override;
  Status DropSession(uint32_t session_id) override;
  Result<OpenedCache> OpenCache(uint32_t session_id, uint64_t crc, const std::string& description,
                                int64_t memory_limit, bool spilling) override;
  Result<std::vector<bool>> Lookup(uint64_t cache_id, const std::vector<int64_t>& row_ids) override;
  Result<WriteResult> WriteRows(uint64_t cache_id,
                                const std::vector<std::pair<int64_t, TensorRow>>& rows) override;
  Result<std::vector<std::optional<TensorRow>>> ReadRows(
      uint64_t cache_id, const std::vector<int64_t>& row_ids) override;
  Result<bool> SetComplete(uint64_t cache_id, int64_t rows) override;
  // Ends the writes waiting in BlockWrites (Cancelled); later calls are not affected.
  void CancelCalls() override;

  // -- knobs --
  // The server dies at the `nth` call of `call` (counted from 1 over the client's life):
  // that call and every later call, of any kind, return Unavailable.
  void DieAtCall(Call call, int64_t nth);
  // The server dies now.
  void Die();
  // Rows each cache admits at most (negative: no limit, the default).
  void SetCapacity(int64_t rows);
  // WriteRows waits, before it stores anything, until ReleaseWrites, CancelCalls
  // (Cancelled), the server's death (Unavailable) or kLongestBlock (DeadlineExceeded).
  void BlockWrites();
  void ReleaseWrites();
  // True once exactly `count` WriteRows calls are waiting in BlockWrites; false after
  // `timeout`.
  bool WaitForBlockedWrites(int count, std::chrono::milliseconds timeout);
  // Every WriteRows takes at least `delay` (a slow server), before it stores anything.
  void SetWriteDelay(std::chrono::milliseconds delay);
  // ReadRows answers std::nullopt for these ids of every cache, held or not.
  void LoseOnRead(std::set<int64_t> row_ids);

  // -- the table --
  // Stores `row` as row `row_id` of the cache, as a write would (for a cache filled
  // before the test). False if the cache does not exist.
  bool Put(uint64_t cache_id, int64_t row_id, const TensorRow& row);
  // The ids the cache holds, ascending.
  std::vector<int64_t> RowIds(uint64_t cache_id) const;
  // Row `row_id` as the cache holds it (decoded again), or std::nullopt.
  std::optional<TensorRow> Row(uint64_t cache_id, int64_t row_id) const;
  bool complete(uint64_t cache_id) const;

  // -- counters --
  // Calls of `call` so far, failed ones included.
  int64_t calls(Call call) const;
  // The row ids of every WriteRows that reached the table, in the order written (refused
  // rows too).
  std::vector<int64_t> written_ids() const;
  // Rows per WriteRows call that reached the table.
  std::vector<size_t> write_sizes() const;
  // Rows refused for want of room (SetCapacity), over all caches.
  int64_t refused_for_capacity() const;

 private:
  struct Cache {
    uint32_t session_id = 0;
    uint64_t crc = 0;
    std::string description;
    std::map<int64_t, BufferPtr> rows;  // encoded, as the server keeps them
    bool complete = false;
    int64_t refused = 0;
    int64_t hits = 0;
    int64_t misses = 0;
  };

  // Counts the call; Unavailable if the server is (or by this call becomes) dead.
  Status Enter(Call call, const char* rpc) HEADRACE_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  Status Gone(const char* rpc) const;
  Result<Cache*> FindCache(uint64_t cache_id, const char* rpc) HEADRACE_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Encodes `row` into the cache unless refused; true when admitted.
  Result<bool> Store(Cache* cache, int64_t row_id, const TensorRow& row)
      HEADRACE_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const std::string address_ = "fake-cache-server:1";

  mutable std::mutex mu_;
  std::condition_variable changed_;
  std::array<int64_t, kCallKinds> calls_ HEADRACE_GUARDED_BY(mu_) = {};
  std::optional<std::pair<Call, int64_t>> die_at_ HEADRACE_GUARDED_BY(mu_);
  bool dead_ HEADRACE_GUARDED_BY(mu_) = false;
  int64_t capacity_ HEADRACE_GUARDED_BY(mu_) = -1;
  bool block_writes_ HEADRACE_GUARDED_BY(mu_) = false;
  int blocked_writes_ HEADRACE_GUARDED_BY(mu_) = 0;
  // Bumped by CancelCalls: a blocked write that sees it change ends.
  int64_t cancel_generation_ HEADRACE_GUARDED_BY(mu_) = 0;
  std::chrono::milliseconds write_delay_ HEADRACE_GUARDED_BY(mu_){0};
  std::set<int64_t> lost_on_read_ HEADRACE_GUARDED_BY(mu_);

  uint32_t next_session_ HEADRACE_GUARDED_BY(mu_) = 1;
  std::set<uint32_t> sessions_ HEADRACE_GUARDED_BY(mu_);
  uint64_t next_cache_ HEADRACE_GUARDED_BY(mu_) = 100;
  std::map<uint64_t, Cache> caches_ HEADRACE_GUARDED_BY(mu_);
  std::vector<int64_t> written_ids_ HEADRACE_GUARDED_BY(mu_);
  std::vector<size_t> write_sizes_ HEADRACE_GUARDED_BY(mu_);
  int64_t refused_for_capacity_ HEADRACE_GUARDED_BY(mu_) = 0;
};

}  // namespace headrace::cache::testing
