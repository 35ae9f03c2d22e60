// PythonStage: a random-access source, the Python maps after it and the batch on top, run
// as one step. headrace/dataset/python_stage.py fuses
// GeneratorDataset(obj).map(f).map(g).batch(n) into it when every map calls Python
// functions on threads; NumpySlicesDataset(...).map(f).batch(n) too.
//
// Unfused, each row crosses between Python and C++ at every step, each on other threads:
// the source's item becomes tensors, each map makes NumPy arrays of them, calls its
// function and wraps the result again, and the batch op copies the rows into the batch.
// Here the values stay Python objects from __getitem__ (or the table's row) to the last
// function, a block of indices takes the GIL once, and each column of a batch is one copy
// from the arrays.
//
// The functions are given what they are given unfused: an array is handed on as a
// read-only view (a map function cannot change the user's data), any other value (a
// number, a string, a strided array) as the array that converting it to a tensor and back
// makes. As unfused, each function runs over a block's rows before the next one does, and
// each step (the source, each map) runs on at most as many threads at once as its own
// num_parallel_workers. Errors are the unfused ones, word for word: the source's, the
// functions', the batch's. Two differences: the rows of a short last batch that is dropped
// are never read (nor mapped), and a whole batch is made by one thread, so a function
// that releases the GIL (I/O, sleep) spreads over batches, not over a batch's rows.
#pragma once

#include <pybind11/pybind11.h>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "bindings/deferred_decref.h"
#include "bindings/gil_semaphore.h"
#include "bindings/python_tensor_op.h"
#include "headrace/engine/ops/map_op.h"
#include "headrace/engine/sources/random_access_source.h"

namespace headrace::bindings {

class PythonStage : public engine::RandomAccessSource {
 public:
  // One map of the chain, as MapOp takes it: its functions in order, the columns they are
  // given, where the output row's columns come from, and its num_parallel_workers.
  struct Map {
    std::vector<std::shared_ptr<PythonTensorOp>> functions;
    std::vector<int> input_indices;
    std::vector<engine::MapOp::OutputColumn> layout;
    int workers = 1;
  };

  // The source's workers, the maps from the source up, then the batch; `num_workers` is
  // the stage's (the most of any step).
  struct Steps {
    int source_workers = 1;
    std::vector<Map> maps;
    int64_t batch_size = 1;
    bool drop_remainder = false;
    std::vector<std::string> column_names;  // the batch's columns (for its errors)
    int num_workers = 1;
  };

  // Over a Python object with __getitem__ and __len__ whose items have a column per name of
  // `source_columns`. Needs the GIL; reads len(source) once.
  PythonStage(pybind11::object source, std::vector<std::string> source_columns, Steps steps);
  // Over the rows of a native source (a table of NumPy arrays), read before taking the GIL.
  PythonStage(std::shared_ptr<engine::RandomAccessSource> source, Steps steps);

  int64_t size() const override { return size_; }
  const std::vector<std::string>& column_names() const override { return steps_.column_names; }
  // The batch of the one row `index`.
  Status Get(int64_t index, TensorRow* row) override;
  // One batch per batch_size indices, the last one shorter if `count` is not a multiple.
  Status GetBlock(const int64_t* indices, size_t count, engine::RowBlock* block) override;
  int64_t GroupRows() const override { return steps_.batch_size; }
  bool DropsShortGroup() const override { return steps_.drop_remainder; }
  void Cancel() override;
  void ClearCancel() override;

 private:
  // Limits for the steps with fewer workers than the stage (null: none needed).
  void MakeLimits();
  Status CheckCancelled() const;

  // Exactly one of the two is set.
  AnyThreadRef python_source_;
  std::shared_ptr<engine::RandomAccessSource> native_source_;
  std::vector<std::string> source_columns_;
  Steps steps_;
  int64_t size_ = 0;
  std::unique_ptr<GilSemaphore> source_limit_;
  std::vector<std::unique_ptr<GilSemaphore>> map_limits_;  // one per map
  std::atomic<bool> cancelled_{false};
};

}  // namespace headrace::bindings
