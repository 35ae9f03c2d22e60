#include "headrace/engine/ops/bucket_batch_op.h"

#include <algorithm>

#include "headrace/core/cast.h"
#include "headrace/engine/ops/batch_op.h"
#include "headrace/engine/row_reader.h"
#include "headrace/engine/row_writer.h"

namespace headrace::engine {

Result<int64_t> BucketBatchOp::LengthOf(const TensorRow& row) const {
  if (!options_.length_fn) {
    const TensorPtr& column = row[options_.input_indices.front()];
    if (column->rank() == 0) {
      return Status::InvalidArgument("bucket_by_sequence_length: column '" +
                                     options_.column_names[options_.input_indices.front()] +
                                     "' is 0-d; give element_length_function");
    }
    return column->shape()[0];
  }
  TensorList columns;
  for (int index : options_.input_indices) columns.push_back(row[index]);
  RETURN_IF_ERROR(options_.length_fn->Compute(&columns, /*seed=*/0));
  if (columns.size() != 1 || columns[0]->num_elements() != 1) {
    return Status::InvalidArgument("bucket_by_sequence_length: element_length_function must "
                                   "return one integer");
  }
  ASSIGN_OR_RETURN(TensorPtr length, CastTensor(columns[0], DataType::kInt64));
  return length->data_as<int64_t>()[0];
}

size_t BucketBatchOp::BucketOf(int64_t length) const {
  const auto& bounds = options_.boundaries;
  return static_cast<size_t>(std::upper_bound(bounds.begin(), bounds.end(), length) - bounds.begin());
}

Result<TensorRow> BucketBatchOp::MakeBatch(size_t bucket, const std::vector<TensorRow>& rows) const {
  std::vector<PadSpec> pads = options_.pads;
  if (options_.pad_to_bucket_boundary && bucket < options_.boundaries.size()) {
    // Only dimensions given as None (-1) go to the boundary; a column whose whole shape is
    // None pads to the longest of the batch, as in MindSpore 2.10.
    for (size_t c = 0; c < pads.size(); ++c) {
      if (!pads[c].enabled) continue;
      for (size_t d = 0; d < pads[c].shape.size(); ++d) {
        if (pads[c].shape[d] < 0) pads[c].shape[d] = options_.boundaries[bucket] - 1;
      }
    }
  }
  return BatchOp::Stack(rows, options_.column_names, pads);
}

Status BucketBatchOp::RunWorker(int worker_id) {
  RowReader reader(input(), 0);
  RowWriter writer(output(), worker_id, /*block_rows=*/1);
  std::vector<std::vector<TensorRow>> buckets(options_.batch_sizes.size());
  int64_t batch_index = 0;
  auto emit = [&](size_t bucket) -> Status {
    ASSIGN_OR_RETURN(TensorRow batch, MakeBatch(bucket, buckets[bucket]));
    batch.set_id(batch_index++);
    buckets[bucket].clear();
    return writer.Write(std::move(batch));
  };
  for (;;) {
    TensorRow row;
    RETURN_IF_ERROR(reader.Next(&row));
    if (row.is_data()) {
      ASSIGN_OR_RETURN(int64_t length, LengthOf(row));
      const size_t bucket = BucketOf(length);
      buckets[bucket].push_back(std::move(row));
      if (static_cast<int64_t>(buckets[bucket].size()) == options_.batch_sizes[bucket]) {
        RETURN_IF_ERROR(emit(bucket));
      }
      continue;
    }
    for (size_t bucket = 0; bucket < buckets.size(); ++bucket) {
      if (buckets[bucket].empty()) continue;
      if (options_.drop_remainder) {
        buckets[bucket].clear();
      } else {
        RETURN_IF_ERROR(emit(bucket));
      }
    }
    const bool end = row.is_end_of_data();
    RETURN_IF_ERROR(writer.Write(std::move(row)));
    if (end) return Status::OK();
  }
}

std::string BucketBatchOp::Describe() const {
  return "BucketBatch(buckets=" + std::to_string(options_.batch_sizes.size()) + ")";
}

}  // namespace headrace::engine
