// CacheLookupSampler: the sampler of a random-access leaf under a cache. It asks the leaf's
// own sampler for the pass's ids, asks the cache which of them it holds, and gives the leaf
// only the misses to read; the whole order and which ids hit go to the CacheMerge op above
// (through the CachePassPlan they share), which fetches the hits and merges.
//
// When the cache cannot be asked (the server went away) the pass reads every id, and the
// merge op passes rows through. The merge op may also restart the leaf mid-pass with the
// ids it still owes (SetOverride), when a fetch of hits fails.
// Threading: Indices() runs on the thread that launches the leaf; the plan is handed over
// under its own lock.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "headrace/cache/cache_client.h"
#include "headrace/core/thread_annotations.h"
#include "headrace/engine/samplers/sampler.h"

namespace headrace::cache {

// What a pass of a cached random-access leaf does.
struct PassPlan {
  std::vector<int64_t> ids;  // the whole pass, in the leaf sampler's order
  std::vector<bool> hit;     // per id: fetch it from the cache (else the leaf reads it)
  bool lookup_failed = false;
};

class CachePassPlan {
 public:
  void Set(PassPlan plan);
  // The plan of the pass just launched (the leaf's Indices() ran during the launch).
  PassPlan Take();
  // The next Indices() returns `ids` as they are, without asking the sampler or the cache.
  void SetOverride(std::vector<int64_t> ids);
  std::optional<std::vector<int64_t>> TakeOverride();
  // The merge op gave up on the cache: from now on every pass reads every id.
  void MarkLost();
  bool lost();

 private:
  std::mutex mu_;
  PassPlan plan_ HEADRACE_GUARDED_BY(mu_);
  std::optional<std::vector<int64_t>> override_ HEADRACE_GUARDED_BY(mu_);
  bool lost_ HEADRACE_GUARDED_BY(mu_) = false;
};

class CacheLookupSampler : public engine::Sampler {
 public:
  CacheLookupSampler(std::shared_ptr<engine::Sampler> inner, std::shared_ptr<CacheClient> client,
                     uint64_t cache_id, std::shared_ptr<CachePassPlan> plan);

  Result<std::vector<int64_t>> Indices(int64_t source_size, int64_t pass) override;
  int64_t PassSize(int64_t source_size) const override { return inner_->PassSize(source_size); }
  std::string Describe() const override { return "CacheLookup(" + inner_->Describe() + ")"; }

 private:
  const std::shared_ptr<engine::Sampler> inner_;
  const std::shared_ptr<CacheClient> client_;
  const uint64_t cache_id_;
  const std::shared_ptr<CachePassPlan> plan_;
  bool warned_ = false;  // only Indices() touches it, from one thread at a time
};

}  // namespace headrace::cache
