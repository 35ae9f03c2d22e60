#include "headrace/cache/stream_cache_op.h"

#include <numeric>
#include <vector>

#include "headrace/core/warning.h"
#include "headrace/engine/row_reader.h"
#include "headrace/engine/row_writer.h"

namespace headrace::cache {

StreamCacheOp::StreamCacheOp(std::shared_ptr<CacheClient> client, uint64_t cache_id, bool complete,
                             int64_t rows)
    : DatasetOp("Cache", 1), client_(std::move(client)), cache_id_(cache_id), complete_(complete),
      rows_(rows), writer_(std::make_unique<CacheWriter>(client_, cache_id_)) {}

void StreamCacheOp::OnCancel() {
  writer_->Cancel();
  client_->CancelCalls();
}

void StreamCacheOp::OnClearCancel() { writer_->ClearCancel(); }

void StreamCacheOp::LoseCache(const Status& why) {
  if (!cache_lost_) {
    Warn("the cache server at " + client_->address() + " failed (" + why.message() +
         "); the pipeline carries on without the cache");
  }
  cache_lost_ = true;
}

Status StreamCacheOp::RunSubtree(engine::RowWriter* writer, int64_t skip, bool write) {
  RETURN_IF_ERROR(LaunchChild(0));
  engine::RowReader reader(input(), 0);
  int64_t position = 0;
  for (;;) {
    TensorRow row;
    RETURN_IF_ERROR(reader.Next(&row, writer));
    if (row.is_end_of_data()) break;
    if (!row.is_data()) continue;
    if (position++ < skip) continue;
    row.set_id(position - 1);
    if (write) writer_->Offer(row.id(), row);
    RETURN_IF_ERROR(writer->Write(std::move(row)));
  }
  if (skip > 0 && position < skip) {
    // The rows given from the cache and the restarted stream disagree: some would be lost.
    return Status::DataLoss("Cache: the cache gave " + std::to_string(skip) +
                            " rows before its server failed, but the stream restarted without it "
                            "has only " + std::to_string(position));
  }
  if (write) {
    RETURN_IF_ERROR(writer->Flush());
    // The server says whether it now holds the whole pass (rows it refused, or that an
    // earlier pass wrote, count as it finds them).
    if (writer_->failed()) cache_lost_ = true;  // it has warned
    if (writer_->Flush(CacheWriter::kPassEndFlush) && !writer_->failed()) {
      Result<bool> complete = client_->SetComplete(cache_id_, position);
      if (complete.ok()) {
        complete_ = *complete;
        rows_ = position;
      } else {
        LoseCache(complete.status());
      }
    }
  }
  return Status::OK();
}

Status StreamCacheOp::RunWorker(int /*worker_id*/) {
  engine::RowWriter writer(output(), 0, output_block_rows());
  if (cache_lost_ || !complete_) {
    RETURN_IF_ERROR(RunSubtree(&writer, 0, /*write=*/!cache_lost_));
    return writer.Write(TensorRow::EndOfData());
  }
  std::vector<int64_t> ids;
  for (int64_t start = 0; start < rows_; start += static_cast<int64_t>(kFetchRows)) {
    if (cancelled()) return Status::Cancelled("Cache cancelled");
    ids.resize(static_cast<size_t>(std::min<int64_t>(static_cast<int64_t>(kFetchRows), rows_ - start)));
    std::iota(ids.begin(), ids.end(), start);
    Result<std::vector<std::optional<TensorRow>>> rows = client_->ReadRows(cache_id_, ids);
    bool complete = rows.ok();
    for (size_t k = 0; complete && k < rows->size(); ++k) complete = (*rows)[k].has_value();
    if (!complete) {
      if (cancelled()) return Status::Cancelled("Cache cancelled");  // not the server's fault
      LoseCache(rows.ok() ? Status::DataLoss("rows it said it held are gone") : rows.status());
      RETURN_IF_ERROR(RunSubtree(&writer, start, /*write=*/false));
      return writer.Write(TensorRow::EndOfData());
    }
    for (std::optional<TensorRow>& row : *rows) RETURN_IF_ERROR(writer.Write(std::move(*row)));
  }
  return writer.Write(TensorRow::EndOfData());
}

std::string StreamCacheOp::Describe() const {
  return "Cache(cache=" + std::to_string(cache_id_) + ", server=" + client_->address() + ")";
}

}  // namespace headrace::cache
