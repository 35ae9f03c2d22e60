#include "headrace/cache/session_table.h"

#include <unistd.h>

#include <algorithm>
#include <utility>

namespace headrace::cache {

namespace {

Status UnknownSession(uint32_t session_id) {
  return Status::NotFound("session " + std::to_string(session_id) +
                          " does not exist (never created, or dropped); create one with "
                          "CreateSession (`headrace cache session`)");
}

}  // namespace

SessionTable::SessionTable(std::shared_ptr<memory::SharedStore> store, std::string spill_dir)
    : store_(std::move(store)), spill_dir_(std::move(spill_dir)), random_(std::random_device{}()) {
  // Cache ids count up from a random base (high 32 bits): an id kept by a client across a
  // server restart then finds nothing, instead of another pipeline's cache.
  next_cache_id_ = (static_cast<uint64_t>(random_() & 0x7fffffffu) + 1) << 32;
}

uint32_t SessionTable::CreateSession() {
  std::lock_guard<std::mutex> lock(mu_);
  uint32_t id = 0;
  while (id == 0 || sessions_.count(id) != 0) id = static_cast<uint32_t>(random_());
  sessions_.emplace(id, Session());
  return id;
}

Status SessionTable::DropSession(uint32_t session_id) {
  // The storages die here, outside the lock, when no request holds them any more:
  // releasing blocks and deleting files must not hold up other sessions.
  std::vector<std::shared_ptr<CacheStorage>> dropped;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto session = sessions_.find(session_id);
    if (session == sessions_.end()) return UnknownSession(session_id);
    for (const auto& [crc, cache_id] : session->second.cache_by_crc) {
      auto cache = caches_.find(cache_id);
      dropped.push_back(std::move(cache->second.storage));
      caches_.erase(cache);
    }
    sessions_.erase(session);
  }
  return Status::OK();
}

bool SessionTable::HasSession(uint32_t session_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  return sessions_.count(session_id) != 0;
}

Result<OpenCacheResult> SessionTable::OpenCache(uint32_t session_id, uint64_t crc,
                                                const std::string& description,
                                                int64_t memory_limit, bool spilling) {
  if (memory_limit < 0) {
    return Status::InvalidArgument("memory_limit must be >= 0 bytes (0: up to the server's "
                                   "memory), got " + std::to_string(memory_limit));
  }
  std::lock_guard<std::mutex> lock(mu_);
  auto session = sessions_.find(session_id);
  if (session == sessions_.end()) return UnknownSession(session_id);
  OpenCacheResult result;
  auto existing = session->second.cache_by_crc.find(crc);
  if (existing != session->second.cache_by_crc.end()) {
    Cache& cache = caches_.at(existing->second);
    ++cache.clients;
    result.cache_id = existing->second;
    result.storage = cache.storage;
    return result;
  }
  const uint64_t cache_id = next_cache_id_++;
  CacheStorageOptions options;
  options.memory_limit = memory_limit;
  if (spilling && !spill_dir_.empty()) {
    // The pid keeps two servers sharing one --spill-dir apart.
    options.spill_path = spill_dir_ + "/headrace-" + std::to_string(::getpid()) + "-cache-" +
                         std::to_string(cache_id) + ".spill";
  }
  Cache cache;
  cache.session_id = session_id;
  cache.crc = crc;
  cache.description = description;
  cache.clients = 1;
  cache.storage = std::make_shared<CacheStorage>(store_, std::move(options));
  result.cache_id = cache_id;
  result.storage = cache.storage;
  result.created = true;
  caches_.emplace(cache_id, std::move(cache));
  session->second.cache_by_crc.emplace(crc, cache_id);
  return result;
}

Result<std::shared_ptr<CacheStorage>> SessionTable::FindCache(uint64_t cache_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto cache = caches_.find(cache_id);
  if (cache == caches_.end()) {
    return Status::NotFound("cache " + std::to_string(cache_id) +
                            " does not exist (never opened, or its session was dropped)");
  }
  return cache->second.storage;
}

std::vector<SessionListing> SessionTable::List() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<SessionListing> listing;
  listing.reserve(sessions_.size());
  for (const auto& [session_id, session] : sessions_) {
    SessionListing& out = listing.emplace_back();
    out.session_id = session_id;
    std::vector<uint64_t> cache_ids;
    for (const auto& [crc, cache_id] : session.cache_by_crc) cache_ids.push_back(cache_id);
    std::sort(cache_ids.begin(), cache_ids.end());
    for (uint64_t cache_id : cache_ids) {
      const Cache& cache = caches_.at(cache_id);
      CacheListing& entry = out.caches.emplace_back();
      entry.session_id = session_id;
      entry.crc = cache.crc;
      entry.cache_id = cache_id;
      entry.description = cache.description;
      entry.clients = cache.clients;
      entry.statistics = cache.storage->GetStatistics();
    }
  }
  return listing;
}

}  // namespace headrace::cache
