// RecordFilesOp: the leaf over a list of record files (TFRecord, CSV, text), read by
// several threads at once in an order that does not depend on how many.
//
// Each pass the shard plan gives the spans to read (files, or runs of rows in files) in
// order. Reader thread r reads spans r, r + R, r + 2R, ... into its own bounded queue,
// each span followed by an end marker; the op's one worker thread takes span 0 from
// reader 0's queue up to its marker, then span 1 from reader 1's, and so on, numbers the
// rows 0, 1, 2, ... and writes them out. So the output is the spans one after another,
// whatever the reader count, while up to R files are being read (and decompressed,
// parsed) at the same time. Memory: each reader's queue holds at most two blocks. When
// the format can open a file at any row (RecordFormat::SeeksRows), spans are cut into
// pieces of two blocks, so that the readers share the work of one long file too.
//
// An error of a reader travels in its queue and surfaces in order, as the rows before it
// were delivered. num_samples > 0 ends the pass after that many rows. Cancel wakes the
// readers; the worker joins them before its pass ends, on every path.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "headrace/engine/blocking_queue.h"
#include "headrace/engine/dataset_op.h"
#include "headrace/engine/sources/file_shard_plan.h"
#include "headrace/engine/sources/record_file.h"

namespace headrace::engine {

class RecordFilesOp : public DatasetOp {
 public:
  RecordFilesOp(std::shared_ptr<RecordFormat> format, std::vector<std::string> files,
                FileShardPlan plan, int num_readers, int64_t num_samples);

 protected:
  Status PreparePass(int64_t pass) override;
  Status RunWorker(int worker_id) override;
  void OnCancel() override;
  std::string Describe() const override;

 private:
  // What a reader hands the worker: rows of the current span, the end of a span, or an
  // error (the reader then stops).
  struct Piece {
    RowBlock rows;
    bool span_end = false;
    Status status;
  };
  using PieceQueue = BlockingQueue<Piece>;

  // Reader `reader`'s thread: its spans of this pass into `queue`.
  void ReadSpans(int reader, PieceQueue* queue);
  Status ReadSpan(const FileSpan& span, PieceQueue* queue);
  // Takes the pieces in span order and writes rows until the pass (or num_samples) ends.
  Status MergeSpans(const std::vector<std::unique_ptr<PieceQueue>>& queues);
  void CancelQueues();
  // Cuts spans_ into pieces of a few blocks, for a format that opens files at any row.
  Status CutSpans();

  const std::shared_ptr<RecordFormat> format_;
  const std::vector<std::string> files_;
  const FileShardPlan plan_;
  const int num_readers_;
  const int64_t num_samples_;
  // This pass's spans: written by PreparePass before the threads start, then only read.
  std::vector<FileSpan> spans_;

  std::mutex mu_;
  // The readers' queues of the running pass, so that OnCancel can wake them.
  std::vector<PieceQueue*> queues_ HEADRACE_GUARDED_BY(mu_);
  bool cancelled_ HEADRACE_GUARDED_BY(mu_) = false;
};

}  // namespace headrace::engine
