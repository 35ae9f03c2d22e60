// TensorRow: one row of a dataset (its columns) or a control row in the pipeline.
//
// Rows flow between ops through connectors. Besides data rows there are control rows:
// end of epoch (EOE), end of data (EOF) and an error row carrying the Status that
// stopped the pipeline, so that a failure reaches the iterator as a row instead of
// leaving it waiting. A row is a value: copying it copies TensorPtrs, never bytes.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "headrace/core/row_memory.h"
#include "headrace/core/status.h"
#include "headrace/core/tensor.h"

namespace headrace {

// A row's columns, in row memory: a row is made on one thread and dropped on another.
using TensorColumns = std::vector<TensorPtr, RowAllocator<TensorPtr>>;

class TensorRow {
 public:
  enum class Kind : uint8_t { kData, kEndOfEpoch, kEndOfData, kError };

  // Row id of rows that do not come from a numbered source.
  static constexpr int64_t kNoId = -1;

  // An empty data row.
  TensorRow() = default;
  TensorRow(int64_t id, TensorColumns columns)
      : id_(id), columns_(std::move(columns)) {}

  static TensorRow EndOfEpoch() { return TensorRow(Kind::kEndOfEpoch); }
  static TensorRow EndOfData() { return TensorRow(Kind::kEndOfData); }
  // `error` must not be OK.
  static TensorRow Error(Status error);

  Kind kind() const { return kind_; }
  bool is_data() const { return kind_ == Kind::kData; }
  bool is_end_of_epoch() const { return kind_ == Kind::kEndOfEpoch; }
  bool is_end_of_data() const { return kind_ == Kind::kEndOfData; }
  bool is_error() const { return kind_ == Kind::kError; }
  // The error of an error row; OK otherwise.
  const Status& error() const { return error_; }

  int64_t id() const { return id_; }
  void set_id(int64_t id) { id_ = id; }

  const TensorColumns& columns() const { return columns_; }
  TensorColumns& mutable_columns() { return columns_; }
  size_t size() const { return columns_.size(); }
  const TensorPtr& operator[](size_t i) const { return columns_[i]; }
  void push_back(TensorPtr tensor) { columns_.push_back(std::move(tensor)); }

  // "TensorRow(id=3, [Tensor(int32, [16]), ...])", "TensorRow(EOE)", ...
  std::string ToString() const;

 private:
  explicit TensorRow(Kind kind) : kind_(kind) {}

  Kind kind_ = Kind::kData;
  int64_t id_ = kNoId;
  TensorColumns columns_;
  Status error_;
};

}  // namespace headrace
