// ExecutionTree: a launched pipeline and the one consumer that reads it (the iterator).
//
// It puts an EpochCtrlOp above the pipeline's root, launches every op and hands out rows:
// data rows, one end-of-epoch row between epochs, then end of data. Stop() (also run by
// the destructor) stops every thread of the tree and joins it; it is what happens when
// the iterator is dropped mid-epoch, finishes, or meets an error.
//
// Threading: GetNext() from one thread at a time; Stop() from any thread, also while
// GetNext() waits (GetNext then returns Cancelled).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "headrace/core/status.h"
#include "headrace/engine/dataset_op.h"
#include "headrace/engine/execution_context.h"
#include "headrace/engine/op_statistics.h"
#include "headrace/engine/row_reader.h"

namespace headrace::engine {

class ExecutionTree {
 public:
  ExecutionTree(std::shared_ptr<DatasetOp> pipeline, const PipelineSettings& settings);
  ~ExecutionTree();

  ExecutionTree(const ExecutionTree&) = delete;
  ExecutionTree& operator=(const ExecutionTree&) = delete;

  // Starts every thread. Called once.
  Status Launch();

  // The next row. An error of the pipeline is returned as the status; after an error or
  // end of data the tree has stopped.
  Status GetNext(TensorRow* row);

  // Every op's statistics so far, root first, depth-first (any thread; also after Stop).
  std::vector<OpStatistics> Statistics() const;
  // Seconds the consumer of the root (the training loop) has waited for rows so far.
  double ConsumerWaitSeconds() const;

  // True when the next GetNext returns a data row at once, without waiting for an op or
  // stopping the tree; a caller holding a lock the ops may need (the GIL) can then call
  // GetNext without letting go of it.
  bool NextIsReady() const { return reader_ != nullptr && reader_->HasBufferedData(); }

  // Stops and joins every thread; idempotent.
  void Stop();

  // The launched tree, one op per line.
  std::string TreeString() const { return root_->TreeString(); }

 private:
  ExecutionContext context_;
  std::shared_ptr<DatasetOp> root_;
  std::unique_ptr<RowReader> reader_;
  std::mutex stop_mu_;
  bool stopped_ = false;
};

}  // namespace headrace::engine
