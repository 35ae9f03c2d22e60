// StreamCacheOp: a cache over a streaming leaf (a Python iterable), which can only be read
// from the start. The first pass runs the subtree, passes its rows on and writes them
// (row id = position in the pass); once a whole pass is in the cache, the server marks it
// complete and later passes read the rows from the cache in the same order without
// starting the subtree at all.
//
// A pass that could not be cached in full (refused rows, a full queue) leaves the cache
// incomplete and the next pass runs the subtree again. If the server fails while a pass
// reads from the cache, the op warns once, starts the subtree, skips the rows already
// given and passes on the rest: every row exactly once.
// One worker thread.
#pragma once

#include <memory>
#include <string>

#include "headrace/cache/cache_client.h"
#include "headrace/cache/cache_writer.h"
#include "headrace/engine/dataset_op.h"

namespace headrace::cache {

class StreamCacheOp : public engine::DatasetOp {
 public:
  static constexpr size_t kFetchRows = 64;

  StreamCacheOp(std::shared_ptr<CacheClient> client, uint64_t cache_id, bool complete, int64_t rows);

 protected:
  bool LaunchesChildrenFirst() const override { return false; }
  Status RunWorker(int worker_id) override;
  std::string Describe() const override;
  void OnCancel() override;
  void OnClearCancel() override;

 private:
  // Runs the subtree; rows before `skip` are dropped (given already), the rest passed on,
  // and written to the cache when `write`.
  Status RunSubtree(engine::RowWriter* writer, int64_t skip, bool write);
  void LoseCache(const Status& why);

  const std::shared_ptr<CacheClient> client_;
  const uint64_t cache_id_;
  // The worker's, across passes.
  bool complete_;
  int64_t rows_;
  bool cache_lost_ = false;
  const std::unique_ptr<CacheWriter> writer_;
};

}  // namespace headrace::cache
