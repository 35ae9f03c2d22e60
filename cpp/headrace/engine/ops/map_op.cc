#include "headrace/engine/ops/map_op.h"

namespace headrace::engine {

MapOp::MapOp(std::vector<std::shared_ptr<TensorOp>> chain, std::vector<int> input_indices,
             std::vector<OutputColumn> layout, int num_workers)
    : DatasetOp("Map", num_workers), chain_(std::move(chain)),
      input_indices_(std::move(input_indices)), layout_(std::move(layout)) {
  for (const OutputColumn& out : layout_) {
    if (out.from_result) ++num_results_;
  }
}

Status MapOp::RunWorker(int worker_id) {
  for (;;) {
    RowBlock block;
    RETURN_IF_ERROR(input()->Pop(worker_id, &block));
    if (!block.empty() && block.back().is_error()) return block.back().error();
    const bool end = EndsWithEndOfData(block);
    RETURN_IF_ERROR(MapBlock(&block));
    RETURN_IF_ERROR(output()->Push(worker_id, std::move(block)));
    if (end) return Status::OK();
  }
}

Status MapOp::MapBlock(RowBlock* block) const {
  std::vector<TensorList> arguments;
  arguments.reserve(block->size());
  for (const TensorRow& row : *block) {
    if (!row.is_data()) continue;
    TensorList& columns = arguments.emplace_back();
    columns.reserve(input_indices_.size());
    for (int index : input_indices_) {
      if (index >= static_cast<int>(row.size())) {
        return Status::Internal("Map: row has " + std::to_string(row.size()) +
                                " columns, input column " + std::to_string(index) + " wanted");
      }
      columns.push_back(row[index]);
    }
  }
  for (const auto& op : chain_) RETURN_IF_ERROR(op->ComputeBlock(&arguments));

  size_t next = 0;
  for (TensorRow& row : *block) {
    if (!row.is_data()) continue;
    TensorList& results = arguments[next++];
    if (results.size() != num_results_) {
      return Status::InvalidArgument("Map: the operations returned " +
                                     std::to_string(results.size()) + " columns, but " +
                                     std::to_string(num_results_) +
                                     " output columns were expected (see output_columns)");
    }
    std::vector<TensorPtr> columns;
    columns.reserve(layout_.size());
    for (const OutputColumn& out : layout_) {
      if (out.from_result) {
        columns.push_back(results[out.index]);
      } else {
        columns.push_back(row[out.index]);
      }
    }
    row.mutable_columns() = std::move(columns);
  }
  return Status::OK();
}

std::string MapOp::Describe() const {
  std::string ops;
  for (const auto& op : chain_) ops += (ops.empty() ? "" : ", ") + op->name();
  return "Map(workers=" + std::to_string(num_workers()) + ", ops=[" + ops + "])";
}

}  // namespace headrace::engine
