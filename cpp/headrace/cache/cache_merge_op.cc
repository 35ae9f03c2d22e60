#include "headrace/cache/cache_merge_op.h"

#include "headrace/core/warning.h"
#include "headrace/engine/row_reader.h"
#include "headrace/engine/row_writer.h"

namespace headrace::cache {

CacheMergeOp::CacheMergeOp(std::shared_ptr<CacheClient> client, uint64_t cache_id,
                           std::shared_ptr<CachePassPlan> plan)
    : DatasetOp("CacheMerge", 1), client_(std::move(client)), cache_id_(cache_id), plan_(std::move(plan)),
      writer_(std::make_unique<CacheWriter>(client_, cache_id_)) {}

Status CacheMergeOp::PreparePass(int64_t /*pass*/) {
  pass_ = plan_->Take();  // the leaf's sampler made it while the children launched
  return Status::OK();
}

void CacheMergeOp::OnCancel() {
  writer_->Cancel();
  client_->CancelCalls();
}

void CacheMergeOp::OnClearCancel() { writer_->ClearCancel(); }

void CacheMergeOp::LoseCache(const Status& why) {
  if (!cache_lost_) {
    Warn("the cache server at " + client_->address() + " failed (" + why.message() +
         "); the pipeline carries on without the cache");
  }
  cache_lost_ = true;
  plan_->MarkLost();
}

Status CacheMergeOp::PassThrough(engine::RowWriter* writer) {
  engine::RowReader reader(input(), 0);
  for (;;) {
    TensorRow row;
    RETURN_IF_ERROR(reader.Next(&row, writer));
    if (row.is_end_of_data()) return Status::OK();
    if (row.is_data()) RETURN_IF_ERROR(writer->Write(std::move(row)));
  }
}

Status CacheMergeOp::RunWorker(int /*worker_id*/) {
  engine::RowWriter writer(output(), 0, output_block_rows());
  if (pass_.lookup_failed) {  // the sampler has warned
    cache_lost_ = true;
    plan_->MarkLost();
  }
  if (cache_lost_) {
    RETURN_IF_ERROR(PassThrough(&writer));
    return writer.Write(TensorRow::EndOfData());
  }
  engine::RowReader reader(input(), 0);
  const std::vector<int64_t>& ids = pass_.ids;
  std::vector<int64_t> chunk;
  size_t i = 0;
  while (i < ids.size()) {
    if (cancelled()) return Status::Cancelled("CacheMerge cancelled");
    if (pass_.hit[i]) {
      chunk.clear();
      for (size_t j = i; j < ids.size() && pass_.hit[j] && chunk.size() < kFetchRows; ++j) chunk.push_back(ids[j]);
      Result<std::vector<std::optional<TensorRow>>> rows = client_->ReadRows(cache_id_, chunk);
      bool complete = rows.ok();
      for (size_t k = 0; complete && k < rows->size(); ++k) complete = (*rows)[k].has_value();
      if (!complete) {
        if (cancelled()) return Status::Cancelled("CacheMerge cancelled");  // not the server's fault
        LoseCache(rows.ok() ? Status::DataLoss("rows it said it held are gone") : rows.status());
        // The rows from i on are computed below after all: restart the subtree on them.
        plan_->SetOverride(std::vector<int64_t>(ids.begin() + static_cast<std::ptrdiff_t>(i), ids.end()));
        RETURN_IF_ERROR(RestartChild(0));
        RETURN_IF_ERROR(PassThrough(&writer));
        return writer.Write(TensorRow::EndOfData());
      }
      for (std::optional<TensorRow>& row : *rows) RETURN_IF_ERROR(writer.Write(std::move(*row)));
      i += chunk.size();
      continue;
    }
    TensorRow row;
    RETURN_IF_ERROR(reader.Next(&row, &writer));
    if (!row.is_data()) {
      return Status::Internal("CacheMerge: the subtree ended before row " + std::to_string(ids[i]));
    }
    if (row.id() != ids[i]) {
      return Status::Internal("CacheMerge: expected row " + std::to_string(ids[i]) + " from below, got " +
                              std::to_string(row.id()));
    }
    writer_->Offer(row.id(), row);
    RETURN_IF_ERROR(writer.Write(std::move(row)));
    ++i;
  }
  TensorRow end;
  RETURN_IF_ERROR(reader.Next(&end, &writer));
  RETURN_IF_ERROR(writer.Flush());  // the rows are on their way before this waits for the cache
  writer_->Flush(CacheWriter::kPassEndFlush);
  return writer.Write(TensorRow::EndOfData());
}

std::string CacheMergeOp::Describe() const {
  return "CacheMerge(cache=" + std::to_string(cache_id_) + ", server=" + client_->address() + ")";
}

}  // namespace headrace::cache
