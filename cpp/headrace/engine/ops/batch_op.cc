#include "headrace/engine/ops/batch_op.h"

#include <cstring>

#include "headrace/engine/row_reader.h"
#include "headrace/engine/row_writer.h"

namespace headrace::engine {

namespace {

std::string ColumnName(const std::vector<std::string>& names, size_t index) {
  return index < names.size() ? "'" + names[index] + "'" : "#" + std::to_string(index);
}

Result<TensorPtr> StackColumn(const std::vector<TensorRow>& rows, size_t column,
                              const std::vector<std::string>& names) {
  const TensorPtr& first = rows.front()[column];
  for (const TensorRow& row : rows) {
    const TensorPtr& tensor = row[column];
    if (tensor->dtype() != first->dtype() || tensor->shape() != first->shape()) {
      return Status::InvalidArgument(
          "batch: column " + ColumnName(names, column) + " has rows of different types or " +
          "shapes (" + first->ToString() + " and " + tensor->ToString() +
          "); use padded_batch, or a map that makes them equal");
    }
  }
  Shape shape = first->shape();
  shape.push_front(static_cast<int64_t>(rows.size()));
  if (!IsFixedWidth(first->dtype())) {
    std::vector<std::string_view> elements;
    elements.reserve(rows.size() * static_cast<size_t>(first->num_elements()));
    for (const TensorRow& row : rows) {
      for (int64_t i = 0; i < row[column]->num_elements(); ++i) {
        elements.push_back(row[column]->StringAt(i));
      }
    }
    return Tensor::FromStrings(first->dtype(), std::move(shape), elements);
  }
  ASSIGN_OR_RETURN(TensorPtr batch, Tensor::Create(first->dtype(), std::move(shape)));
  uint8_t* out = batch->mutable_data();
  const auto bytes = static_cast<size_t>(first->nbytes());
  for (const TensorRow& row : rows) {
    std::memcpy(out, row[column]->data(), bytes);
    out += bytes;
  }
  return batch;
}

}  // namespace

BatchOp::BatchOp(int64_t batch_size, bool drop_remainder, std::vector<std::string> column_names,
                 std::vector<PadSpec> pads)
    : DatasetOp("Batch", 1), batch_size_(batch_size), drop_remainder_(drop_remainder),
      column_names_(std::move(column_names)), pads_(std::move(pads)) {}

Result<TensorRow> BatchOp::Stack(const std::vector<TensorRow>& rows,
                                 const std::vector<std::string>& column_names,
                                 const std::vector<PadSpec>& pads) {
  const size_t width = rows.front().size();
  for (const TensorRow& row : rows) {
    if (row.size() != width) {
      return Status::InvalidArgument("batch: rows have " + std::to_string(width) + " and " +
                                     std::to_string(row.size()) + " columns");
    }
  }
  std::vector<TensorPtr> columns;
  columns.reserve(width);
  for (size_t c = 0; c < width; ++c) {
    if (c < pads.size() && pads[c].enabled) {
      const std::string name = c < column_names.size() ? column_names[c] : "#" + std::to_string(c);
      ASSIGN_OR_RETURN(TensorPtr column, StackPadded(rows, c, pads[c], name));
      columns.push_back(std::move(column));
    } else {
      ASSIGN_OR_RETURN(TensorPtr column, StackColumn(rows, c, column_names));
      columns.push_back(std::move(column));
    }
  }
  return TensorRow(rows.front().id(), std::move(columns));
}

Status BatchOp::RunWorker(int worker_id) {
  RowReader reader(input(), 0);
  // Batches are few and large: push each one as soon as it is made.
  RowWriter writer(output(), worker_id, /*block_rows=*/1);
  std::vector<TensorRow> pending;
  pending.reserve(static_cast<size_t>(batch_size_));
  int64_t batch_index = 0;
  auto emit = [&]() -> Status {
    ASSIGN_OR_RETURN(TensorRow batch, Stack(pending, column_names_, pads_));
    batch.set_id(batch_index++);
    pending.clear();
    return writer.Write(std::move(batch));
  };
  for (;;) {
    TensorRow row;
    RETURN_IF_ERROR(reader.Next(&row));
    if (row.is_data()) {
      pending.push_back(std::move(row));
      if (static_cast<int64_t>(pending.size()) == batch_size_) RETURN_IF_ERROR(emit());
      continue;
    }
    // End of epoch or of data: the partial batch goes first, unless it is dropped.
    if (!pending.empty() && !drop_remainder_) RETURN_IF_ERROR(emit());
    pending.clear();
    const bool end = row.is_end_of_data();
    RETURN_IF_ERROR(writer.Write(std::move(row)));
    if (end) return Status::OK();
  }
}

std::string BatchOp::Describe() const {
  return "Batch(batch_size=" + std::to_string(batch_size_) +
         ", drop_remainder=" + (drop_remainder_ ? "True" : "False") + ")";
}

}  // namespace headrace::engine
