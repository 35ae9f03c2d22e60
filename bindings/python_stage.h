// PythonStage: a random-access Python source, the Python maps after it and the batch on
// top, run as one step. headrace/dataset/python_stage.py fuses
// GeneratorDataset(obj).map(f).map(g).batch(n) into it when every map calls Python
// functions on threads.
//
// Unfused, each row crosses between Python and C++ at every step, each on other threads:
// the source's item becomes tensors, each map makes NumPy arrays of them, calls its
// function and wraps the result again, and the batch op copies the rows into the batch.
// Here the values stay Python objects from __getitem__ to the last function, a block of
// indices takes the GIL once, and each column of a batch is one copy from the arrays.
//
// The functions are given what they are given unfused: an array is handed on as a
// read-only view (a map function cannot change the user's data), any other value (a
// number, a string, a strided array) as the array that converting it to a tensor and back
// makes. Errors are the unfused ones, word for word: the source's, the functions', the
// batch's.
#pragma once

#include <pybind11/pybind11.h>

#include <memory>
#include <string>
#include <vector>

#include "bindings/deferred_decref.h"
#include "bindings/python_tensor_op.h"
#include "headrace/engine/ops/map_op.h"
#include "headrace/engine/sources/random_access_source.h"

namespace headrace::bindings {

class PythonStage : public engine::RandomAccessSource {
 public:
  // One map of the chain, as MapOp takes it: its functions in order, the columns they are
  // given, and where the output row's columns come from.
  struct Map {
    std::vector<std::shared_ptr<PythonTensorOp>> functions;
    std::vector<int> input_indices;
    std::vector<engine::MapOp::OutputColumn> layout;
  };

  // Needs the GIL; reads len(source) once. `source_columns` name the source's items;
  // `column_names` the batch's columns (for its errors).
  PythonStage(pybind11::object source, std::vector<std::string> source_columns,
              std::vector<Map> maps, int64_t batch_size, bool drop_remainder,
              std::vector<std::string> column_names);

  int64_t size() const override { return size_; }
  const std::vector<std::string>& column_names() const override { return column_names_; }
  // The batch of the one row `index`.
  Status Get(int64_t index, TensorRow* row) override;
  // One batch per batch_size indices, the last one shorter if `count` is not a multiple.
  Status GetBlock(const int64_t* indices, size_t count, engine::RowBlock* block) override;
  int64_t GroupRows() const override { return batch_size_; }
  bool DropsShortGroup() const override { return drop_remainder_; }

 private:
  AnyThreadRef source_;
  std::vector<std::string> source_columns_;
  std::vector<Map> maps_;
  int64_t batch_size_;
  bool drop_remainder_;
  std::vector<std::string> column_names_;
  int64_t size_ = 0;
};

}  // namespace headrace::bindings
