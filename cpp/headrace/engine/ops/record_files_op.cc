#include "headrace/engine/ops/record_files_op.h"

#include <pthread.h>

#include <algorithm>
#include <thread>

#include "headrace/engine/row_writer.h"

namespace headrace::engine {

namespace {

// Rows a reader puts in one piece, and pieces its queue holds: enough to keep the worker
// busy while the reader waits on the disk, little enough to bound memory by the blocks.
constexpr int64_t kQueuePieces = 2;

}  // namespace

RecordFilesOp::RecordFilesOp(std::shared_ptr<RecordFormat> format, std::vector<std::string> files,
                             FileShardPlan plan, int num_readers, int64_t num_samples)
    : DatasetOp(format->name(), 1), format_(std::move(format)), files_(std::move(files)),
      plan_(std::move(plan)), num_readers_(std::max(1, num_readers)), num_samples_(num_samples) {}

Status RecordFilesOp::PreparePass(int64_t pass) {
  spans_ = plan_.Spans(pass);
  if (format_->SeeksRows()) RETURN_IF_ERROR(CutSpans());
  std::lock_guard<std::mutex> lock(mu_);
  cancelled_ = false;
  return Status::OK();
}

Status RecordFilesOp::CutSpans() {
  // Pieces of two blocks: while the worker takes one reader's piece, the others read
  // theirs, so several readers work on one long file at once.
  const int64_t piece_rows = 2 * output_block_rows();
  // The spans' row counts, counted by num_readers_ threads at once (the format keeps
  // them, so later passes only look them up).
  std::vector<Result<int64_t>> ends(spans_.size(), int64_t{0});
  std::vector<std::thread> counters;
  for (int t = 0; t < num_readers_; ++t) {
    counters.emplace_back([&, t] {
      for (size_t i = static_cast<size_t>(t); i < spans_.size(); i += static_cast<size_t>(num_readers_)) {
        ends[i] = spans_[i].end_row >= 0 ? Result<int64_t>(spans_[i].end_row)
                                         : format_->CountRows(files_[static_cast<size_t>(spans_[i].file)]);
      }
    });
  }
  for (std::thread& counter : counters) counter.join();
  std::vector<FileSpan> pieces;
  for (size_t i = 0; i < spans_.size(); ++i) {
    const FileSpan& span = spans_[i];
    ASSIGN_OR_RETURN(int64_t end, std::move(ends[i]));
    for (int64_t first = span.first_row; first < end; first += piece_rows) {
      pieces.push_back(FileSpan{span.file, first, std::min(end, first + piece_rows)});
    }
  }
  spans_ = std::move(pieces);
  return Status::OK();
}

void RecordFilesOp::OnCancel() { CancelQueues(); }

void RecordFilesOp::CancelQueues() {
  std::lock_guard<std::mutex> lock(mu_);
  cancelled_ = true;
  for (PieceQueue* queue : queues_) queue->Cancel();
}

Status RecordFilesOp::RunWorker(int worker_id) {
  const int readers = std::min<int>(num_readers_, std::max<size_t>(1, spans_.size()));
  std::vector<std::unique_ptr<PieceQueue>> queues;
  for (int r = 0; r < readers; ++r) queues.push_back(std::make_unique<PieceQueue>(kQueuePieces));
  {
    std::lock_guard<std::mutex> lock(mu_);
    queues_.clear();
    for (auto& queue : queues) {
      if (cancelled_) queue->Cancel();
      queues_.push_back(queue.get());
    }
  }
  std::vector<std::thread> threads;
  for (int r = 0; r < readers; ++r) {
    threads.emplace_back([this, r, queue = queues[static_cast<size_t>(r)].get()] {
      const std::string name = ("hr-read:" + std::to_string(r)).substr(0, 15);
      pthread_setname_np(pthread_self(), name.c_str());
      ReadSpans(r, queue);
    });
  }
  Status status = MergeSpans(queues);
  // Whatever ended the pass (its end, num_samples, an error, a cancel), the readers stop
  // and are joined before the queues go.
  for (auto& queue : queues) queue->Cancel();
  for (std::thread& thread : threads) thread.join();
  {
    std::lock_guard<std::mutex> lock(mu_);
    queues_.clear();
  }
  RETURN_IF_ERROR(status);
  return output()->Push(worker_id, RowBlock{TensorRow::EndOfData()});
}

void RecordFilesOp::ReadSpans(int reader, PieceQueue* queue) {
  for (size_t index = static_cast<size_t>(reader); index < spans_.size();
       index += static_cast<size_t>(num_readers_)) {
    Status status = ReadSpan(spans_[index], queue);
    if (status.code() == StatusCode::kCancelled) return;
    if (!status.ok()) {
      Piece failed;
      failed.status = std::move(status);
      queue->Push(std::move(failed)).IgnoreError();
      return;
    }
    Piece end;
    end.span_end = true;
    if (!queue->Push(std::move(end)).ok()) return;
  }
}

Status RecordFilesOp::ReadSpan(const FileSpan& span, PieceQueue* queue) {
  const std::string& path = files_[static_cast<size_t>(span.file)];
  ASSIGN_OR_RETURN(std::unique_ptr<RecordFileReader> reader, format_->OpenAt(path, span.first_row));
  bool end = false;
  int64_t left = span.end_row >= 0 ? span.end_row - span.first_row : -1;
  const int64_t block_rows = output_block_rows();
  while (!end && left != 0) {
    if (cancelled()) return Status::Cancelled(name() + " cancelled");
    Piece piece;
    const int64_t want = left > 0 ? std::min(left, block_rows) : block_rows;
    RETURN_IF_ERROR(reader->ReadRows(want, &piece.rows, &end));
    if (left > 0) left -= static_cast<int64_t>(piece.rows.size());
    if (!piece.rows.empty()) RETURN_IF_ERROR(queue->Push(std::move(piece)));
  }
  if (left > 0) {
    return Status::DataLoss(path + " has fewer rows than it had when the data set was made (" +
                            std::to_string(left) + " missing)");
  }
  return Status::OK();
}

Status RecordFilesOp::MergeSpans(const std::vector<std::unique_ptr<PieceQueue>>& queues) {
  int64_t next_id = 0;
  for (size_t index = 0; index < spans_.size(); ++index) {
    PieceQueue* queue = queues[index % queues.size()].get();
    while (true) {
      Piece piece;
      RETURN_IF_ERROR(queue->Pop(&piece));
      RETURN_IF_ERROR(piece.status);
      if (piece.span_end) break;
      if (num_samples_ > 0 && next_id + static_cast<int64_t>(piece.rows.size()) > num_samples_) {
        piece.rows.resize(static_cast<size_t>(num_samples_ - next_id));
      }
      for (TensorRow& row : piece.rows) row.set_id(next_id++);
      RETURN_IF_ERROR(output()->Push(0, std::move(piece.rows)));
      if (num_samples_ > 0 && next_id >= num_samples_) return Status::OK();
    }
  }
  return Status::OK();
}

std::string RecordFilesOp::Describe() const {
  return name() + "(" + plan_.Describe() + ", workers=" + std::to_string(num_readers_) +
         (num_samples_ > 0 ? ", num_samples=" + std::to_string(num_samples_) : std::string()) + ")";
}

}  // namespace headrace::engine
