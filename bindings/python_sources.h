// Python objects as pipeline sources (GeneratorDataset).
//
// PythonRandomAccessSource reads `source[index]` (an object with __getitem__ and
// __len__); PythonStreamSource calls `make_iterator()` at the start of each pass and reads
// next() until StopIteration. Each item is a tuple with one entry per column (or a single
// array for one column), converted without copying where NumPy allows. Both take the GIL
// once per block of rows; an exception from user code is kept and raised again, unchanged,
// by the iterator.
#pragma once

#include <pybind11/pybind11.h>

#include <string>
#include <vector>

#include "bindings/deferred_decref.h"
#include "headrace/engine/sources/random_access_source.h"
#include "headrace/engine/sources/stream_source.h"

namespace headrace::bindings {

// InvalidArgument unless an item of `columns` columns fits `names` column names.
Status CheckItemWidth(size_t columns, size_t names);
// "GeneratorDataset source[index]": what begins the errors about reading item `index`.
std::string ItemContext(int64_t index);

class PythonRandomAccessSource : public engine::RandomAccessSource {
 public:
  // Needs the GIL; reads len(source) once.
  PythonRandomAccessSource(pybind11::object source, std::vector<std::string> column_names);

  int64_t size() const override { return size_; }
  const std::vector<std::string>& column_names() const override { return column_names_; }
  Status Get(int64_t index, TensorRow* row) override;
  Status GetBlock(const int64_t* indices, size_t count, engine::RowBlock* block) override;

 private:
  Status GetHoldingGil(int64_t index, TensorRow* row);

  AnyThreadRef source_;
  std::vector<std::string> column_names_;
  int64_t size_ = 0;
};

class PythonStreamSource : public engine::StreamSource {
 public:
  // `make_iterator` is called with no argument at the start of every pass.
  PythonStreamSource(pybind11::object make_iterator, std::vector<std::string> column_names);

  const std::vector<std::string>& column_names() const override { return column_names_; }
  Status Reset() override;
  Status NextBlock(int64_t max_rows, std::chrono::microseconds max_delay,
                   engine::RowBlock* block, bool* end) override;

 private:
  AnyThreadRef make_iterator_;
  AnyThreadRef iterator_;
  std::vector<std::string> column_names_;
};

}  // namespace headrace::bindings
