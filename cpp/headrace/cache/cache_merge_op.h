// CacheMergeOp: the top of a cache over a random-access leaf (with CacheLookupSampler at
// the leaf). It walks the pass's ids in the leaf sampler's order: a run of hits is fetched
// from the cache (rows in shared memory come as views, no copy), a miss is the next row
// the subtree below computed, which is passed on and handed to a CacheWriter. So the rows
// come out in the same order as without a cache, every row exactly once.
//
// If the server fails mid-pass, the op warns once and carries on without the cache: it
// restarts the subtree with the ids it still owes (every row exactly once), and later
// passes read everything below. Only sources and maps may be under it (the Python tree
// pass checks): each miss the subtree returns must be the id the plan expects.
// One worker thread.
#pragma once

#include <memory>
#include <string>

#include "headrace/cache/cache_client.h"
#include "headrace/cache/cache_lookup_sampler.h"
#include "headrace/cache/cache_writer.h"
#include "headrace/engine/dataset_op.h"

namespace headrace::cache {

class CacheMergeOp : public engine::DatasetOp {
 public:
  // Rows fetched from the cache per request.
  static constexpr size_t kFetchRows = 64;

  CacheMergeOp(std::shared_ptr<CacheClient> client, uint64_t cache_id, std::shared_ptr<CachePassPlan> plan);

 protected:
  Status PreparePass(int64_t pass) override;
  Status RunWorker(int worker_id) override;
  std::string Describe() const override;
  // A stop must not wait for a server that does not answer.
  void OnCancel() override;
  void OnClearCancel() override;

 private:
  // Passes on every row the (restarted) child gives until its end of data.
  Status PassThrough(engine::RowWriter* writer);
  void LoseCache(const Status& why);

  const std::shared_ptr<CacheClient> client_;
  const uint64_t cache_id_;
  const std::shared_ptr<CachePassPlan> plan_;
  const std::unique_ptr<CacheWriter> writer_;
  PassPlan pass_;  // written by PreparePass, then used by the one worker
  bool cache_lost_ = false;  // the worker's, across passes
};

}  // namespace headrace::cache
