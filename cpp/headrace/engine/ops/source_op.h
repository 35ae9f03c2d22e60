// SourceOp: the leaf over a RandomAccessSource. Each pass takes the sampler's indices and
// reads them on num_workers threads: the indices are cut into blocks of block_rows, and
// worker w reads blocks w, w+N, w+2N, ... into queue w of its output connector, so the
// rows come out in the sampler's order however long each read takes.
#pragma once

#include <memory>
#include <vector>

#include "headrace/engine/dataset_op.h"
#include "headrace/engine/sources/random_access_source.h"
#include "headrace/engine/samplers/sampler.h"

namespace headrace::engine {

class SourceOp : public DatasetOp {
 public:
  SourceOp(std::string name, std::shared_ptr<RandomAccessSource> source,
           std::shared_ptr<Sampler> sampler, int num_workers);

 protected:
  Status PreparePass(int64_t pass) override;
  Status RunWorker(int worker_id) override;
  void OnCancel() override { source_->Cancel(); }
  void OnClearCancel() override { source_->ClearCancel(); }
  std::string Describe() const override;

 private:
  // Blocks of rows that are views are this many times the pipeline's block_rows.
  static constexpr int64_t kViewBlockFactor = 4;
  // Blocks of rows whose size the source knows hold about this many bytes at most.
  static constexpr int64_t kBlockBytes = 1 << 20;

  std::shared_ptr<RandomAccessSource> source_;
  std::shared_ptr<Sampler> sampler_;
  // This pass's indices from its start row on, and the number of that row: written by
  // PreparePass before the workers start, then only read.
  std::vector<int64_t> indices_;
  int64_t first_id_ = 0;
};

}  // namespace headrace::engine
