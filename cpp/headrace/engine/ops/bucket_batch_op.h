// BucketBatchOp: batches rows of similar length together (Dataset.bucket_by_sequence_length).
//
// Each row's length is `length_fn` of the columns at `input_indices` (one integer), or,
// without a function, the first dimension of the one column named. A row of length L goes
// to bucket i with boundaries[i-1] <= L < boundaries[i] (bucket 0: L < boundaries[0]; the
// last: L >= boundaries.back()). When bucket i holds batch_sizes[i] rows they leave as one
// padded batch (see padding.h). At the end of a pass the partial buckets leave in bucket
// order, unless drop_remainder. With pad_to_bucket_boundary, the dimensions that pad_info
// gives as None (-1) are boundaries[i] - 1 long in bucket i instead of the longest of the
// batch (a column without a pad shape still pads to the longest, as in MindSpore).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "headrace/engine/dataset_op.h"
#include "headrace/engine/padding.h"
#include "headrace/transforms/tensor_op.h"

namespace headrace::engine {

class BucketBatchOp : public DatasetOp {
 public:
  struct Options {
    std::vector<int> input_indices;
    std::shared_ptr<transforms::TensorOp> length_fn;  // null: the first dimension of input_indices[0]
    std::vector<int64_t> boundaries;
    std::vector<int64_t> batch_sizes;     // boundaries.size() + 1 of them
    std::vector<PadSpec> pads;            // one per column
    bool pad_to_bucket_boundary = false;
    bool drop_remainder = false;
    std::vector<std::string> column_names;
  };

  explicit BucketBatchOp(Options options) : DatasetOp("BucketBatch", 1), options_(std::move(options)) {}

 protected:
  Status RunWorker(int worker_id) override;
  std::string Describe() const override;

 private:
  Result<int64_t> LengthOf(const TensorRow& row) const;
  size_t BucketOf(int64_t length) const;
  Result<TensorRow> MakeBatch(size_t bucket, const std::vector<TensorRow>& rows) const;

  const Options options_;
};

}  // namespace headrace::engine
