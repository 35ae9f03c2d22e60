// RandomAccessSource: rows that can be read by index, in any order, from any thread.
//
// The leaf op (SourceOp) asks a sampler for the indices of one pass and reads them with
// Get() from its worker threads. Implementations: in-memory columns (TensorTableSource),
// Python objects with __getitem__/__len__ (bindings/), image folders (later).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "headrace/core/status.h"
#include "headrace/core/tensor_row.h"
#include "headrace/engine/row_block.h"

namespace headrace::engine {

class RandomAccessSource {
 public:
  virtual ~RandomAccessSource() = default;

  // Number of rows.
  virtual int64_t size() const = 0;
  // The column names of every row.
  virtual const std::vector<std::string>& column_names() const = 0;
  // Row `index` (0 <= index < size()) into `row`'s columns. Called concurrently.
  virtual Status Get(int64_t index, TensorRow* row) = 0;

  // True when a row only points into memory the source holds anyway (slices of a table):
  // such rows cost nothing to hold, so the source op may put more of them in a block.
  virtual bool RowsAreViews() const { return false; }
  // About how many bytes a row holds, or 0 when the source cannot tell.
  virtual int64_t RowBytes() const { return 0; }

  // Rows read per row written: 1, unless the source builds batches itself (a Python
  // source fused with its maps and batch, bindings/python_stage.h), when every run of
  // GroupRows() consecutive indices of a pass becomes one row; the pass's last, shorter
  // run too, unless DropsShortGroup().
  virtual int64_t GroupRows() const { return 1; }
  virtual bool DropsShortGroup() const { return false; }

  // For a source whose GetBlock may take long (it runs user code): Cancel() makes reads in
  // progress return Cancelled soon, and later ones until ClearCancel(). Any thread; must
  // not block.
  virtual void Cancel() {}
  virtual void ClearCancel() {}

  // Rows `indices[0..count)` appended to `block`, each with its index as row id (with
  // GroupRows() > 1: one row per run of indices, ids set by the caller). The default calls
  // Get() for each; a Python source overrides it to take the GIL once.
  virtual Status GetBlock(const int64_t* indices, size_t count, RowBlock* block) {
    for (size_t i = 0; i < count; ++i) {
      TensorRow row(indices[i], {});
      RETURN_IF_ERROR(Get(indices[i], &row));
      block->push_back(std::move(row));
    }
    return Status::OK();
  }
};

}  // namespace headrace::engine
