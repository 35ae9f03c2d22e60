// SessionTable: the cache server's sessions and their caches.
//
// A session (a random non-zero uint32 id, so that one job cannot guess another's) groups
// caches; a cache is found by (session id, crc of the pipeline below it), so identical
// pipelines of one session share it, and by its cache id (a uint64 never reused while the
// server runs and starting from a random base, so that a stale id, even one from before a
// restart, is NotFound rather than someone else's cache). Dropping a
// session frees its caches: their memory blocks are released and spill files deleted as
// soon as no request still uses them (requests hold a cache through a shared_ptr).
//
// Ownership: owns the caches (CacheStorage) and shares the store with them.
// Threading: every method may be called from any thread concurrently (one mutex guards
// the tables; a cache's rows have their own lock).
// Errors: NotFound naming the session or cache id; InvalidArgument naming the field.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include "headrace/cache/cache_storage.h"
#include "headrace/core/result.h"
#include "headrace/core/thread_annotations.h"
#include "headrace/memory/shared_store.h"

namespace headrace::cache {

struct OpenCacheResult {
  uint64_t cache_id = 0;
  std::shared_ptr<CacheStorage> storage;
  bool created = false;  // false: an existing cache of (session, crc)
};

struct CacheListing {
  uint32_t session_id = 0;
  uint64_t crc = 0;
  uint64_t cache_id = 0;
  std::string description;
  int32_t clients = 0;
  CacheStorageStatistics statistics;
};

struct SessionListing {
  uint32_t session_id = 0;
  std::vector<CacheListing> caches;  // by cache id
};

class SessionTable {
 public:
  // `spill_dir` is where caches that spill put their files; empty: no cache spills.
  SessionTable(std::shared_ptr<memory::SharedStore> store, std::string spill_dir);
  SessionTable(const SessionTable&) = delete;
  SessionTable& operator=(const SessionTable&) = delete;

  // A new session with a random non-zero id no live session has.
  uint32_t CreateSession();
  // Drops the session and its caches. NotFound for an unknown id.
  Status DropSession(uint32_t session_id);
  bool HasSession(uint32_t session_id) const;

  // The cache of (session_id, crc), made with these settings if it does not exist (an
  // existing cache keeps the settings it was made with). `memory_limit` is in bytes, 0
  // for no limit of its own; `spilling` takes effect only if the table has a spill dir.
  // NotFound for an unknown session; InvalidArgument for a negative memory_limit.
  Result<OpenCacheResult> OpenCache(uint32_t session_id, uint64_t crc,
                                    const std::string& description, int64_t memory_limit,
                                    bool spilling);
  // The cache with `cache_id`. NotFound when there is none (never made, or dropped).
  Result<std::shared_ptr<CacheStorage>> FindCache(uint64_t cache_id) const;

  // Every session (by id) with its caches and their statistics now.
  std::vector<SessionListing> List() const;

  const std::string& spill_dir() const { return spill_dir_; }

 private:
  struct Cache {
    uint32_t session_id = 0;
    uint64_t crc = 0;
    std::string description;
    int32_t clients = 0;  // OpenCache calls (the protocol has no "close")
    std::shared_ptr<CacheStorage> storage;
  };
  struct Session {
    std::map<uint64_t, uint64_t> cache_by_crc;  // crc -> cache id
  };

  const std::shared_ptr<memory::SharedStore> store_;
  const std::string spill_dir_;

  mutable std::mutex mu_;
  std::map<uint32_t, Session> sessions_ HEADRACE_GUARDED_BY(mu_);
  std::map<uint64_t, Cache> caches_ HEADRACE_GUARDED_BY(mu_);
  uint64_t next_cache_id_ HEADRACE_GUARDED_BY(mu_) = 0;
  std::mt19937 random_ HEADRACE_GUARDED_BY(mu_);
};

}  // namespace headrace::cache
