// TensorTableSource: rows sliced from whole columns held in memory (NumpySlicesDataset).
//
// Every column is one tensor whose first dimension is the row count; row i is slice i of
// each column, sharing the column's memory (no copy for fixed-width columns).
#pragma once

#include <string>
#include <vector>

#include "headrace/core/result.h"
#include "headrace/core/tensor.h"
#include "headrace/engine/sources/random_access_source.h"

namespace headrace::engine {

class TensorTableSource : public RandomAccessSource {
 public:
  // InvalidArgument if the names and columns differ in number, a column is 0-d, or the
  // columns differ in length (the message names the column).
  static Result<std::shared_ptr<TensorTableSource>> Make(std::vector<std::string> column_names,
                                                         std::vector<TensorPtr> columns);

  int64_t size() const override { return rows_; }
  const std::vector<std::string>& column_names() const override { return names_; }
  Status Get(int64_t index, TensorRow* row) override;
  bool RowsAreViews() const override { return true; }
  int64_t RowBytes() const override;

 private:
  TensorTableSource(std::vector<std::string> names, std::vector<TensorPtr> columns, int64_t rows)
      : names_(std::move(names)), columns_(std::move(columns)), rows_(rows) {}

  const std::vector<std::string> names_;
  const std::vector<TensorPtr> columns_;
  const int64_t rows_;
};

}  // namespace headrace::engine
