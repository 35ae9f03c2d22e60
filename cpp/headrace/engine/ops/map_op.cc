#include "headrace/engine/ops/map_op.h"

#include "headrace/core/random.h"

namespace headrace::engine {

MapOp::MapOp(std::vector<std::shared_ptr<transforms::TensorOp>> chain, std::vector<int> input_indices,
             std::vector<OutputColumn> layout, int num_workers, uint64_t seed)
    : BlockOp("Map", num_workers), chain_(std::move(chain)),
      input_indices_(std::move(input_indices)), layout_(std::move(layout)), seed_(seed) {
  in_place_ = true;
  for (size_t c = 0; c < layout_.size(); ++c) {
    if (layout_[c].from_result) {
      ++num_results_;
    } else if (layout_[c].index != static_cast<int>(c)) {
      in_place_ = false;
    }
  }
}

Status MapOp::ProcessBlock(RowBlock* block, BlockPlace place) {
  // Reused from block to block by this worker thread: the per-row argument lists keep
  // their capacity, so a block costs no allocation here.
  thread_local std::vector<TensorList> arguments;
  thread_local std::vector<uint64_t> row_seeds;
  thread_local std::vector<uint64_t> step_seeds;
  row_seeds.clear();
  const uint64_t pass_seed = MixSeed(seed_, static_cast<uint64_t>(place.pass));
  size_t data_rows = 0;
  for (size_t r = 0; r < block->size(); ++r) {
    const TensorRow& row = (*block)[r];
    if (!row.is_data()) continue;
    row_seeds.push_back(MixSeed(pass_seed, static_cast<uint64_t>(place.first_row) + r));
    if (arguments.size() <= data_rows) arguments.emplace_back();
    TensorList& columns = arguments[data_rows++];
    columns.clear();
    for (int index : input_indices_) {
      if (index >= static_cast<int>(row.size())) {
        return Status::Internal("Map: row has " + std::to_string(row.size()) +
                                " columns, input column " + std::to_string(index) + " wanted");
      }
      columns.push_back(row[index]);
    }
  }
  arguments.resize(data_rows);
  step_seeds.resize(data_rows);
  uint64_t step = 0;
  for (const auto& op : chain_) {
    step += static_cast<uint64_t>(op->chain_steps());
    for (size_t r = 0; r < data_rows; ++r) step_seeds[r] = MixSeed(row_seeds[r], step - 1);
    RETURN_IF_ERROR(op->ComputeBlock(&arguments, step_seeds));
  }

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
    if (in_place_ && row.size() == layout_.size()) {
      // Results replace their input columns where they stand; nothing else moves.
      for (size_t c = 0; c < layout_.size(); ++c) {
        if (layout_[c].from_result) row.mutable_columns()[c] = std::move(results[layout_[c].index]);
      }
    } else {
      TensorColumns columns;
      columns.reserve(layout_.size());
      for (const OutputColumn& out : layout_) {
        columns.push_back(out.from_result ? results[out.index] : row[out.index]);
      }
      row.mutable_columns() = std::move(columns);
    }
    results.clear();
  }
  return Status::OK();
}

void MapOp::OnCancel() {
  for (const auto& op : chain_) op->Cancel();
}

void MapOp::OnClearCancel() {
  for (const auto& op : chain_) op->ClearCancel();
}

std::string MapOp::Describe() const {
  std::string ops;
  for (const auto& op : chain_) ops += (ops.empty() ? "" : ", ") + op->name();
  return "Map(workers=" + std::to_string(num_workers()) + ", ops=[" + ops + "])";
}

}  // namespace headrace::engine
