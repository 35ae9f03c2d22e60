#include "headrace/engine/ops/batch_op.h"

#include <cstring>

#include "headrace/engine/ops/group_rows_op.h"

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

BatchOp::BatchOp(Options options, int num_workers)
    : BlockOp("Batch", num_workers), options_(std::move(options)) {}

std::shared_ptr<DatasetOp> MakeBatch(std::shared_ptr<DatasetOp> child, BatchOp::Options options,
                                     int num_workers) {
  auto group = std::make_shared<GroupRowsOp>(options.batch_size, options.drop_remainder);
  group->AddChild(std::move(child));
  auto batch = std::make_shared<BatchOp>(std::move(options), num_workers);
  batch->AddChild(std::move(group));
  return batch;
}

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
  TensorColumns columns;
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

void BatchOp::OnSetStart(int64_t pass, int64_t row) { children().front()->SetStart(pass, row); }

Result<std::vector<TensorRow>> BatchOp::ApplyBatchMap(std::vector<TensorRow> rows) const {
  const int64_t batch_num = rows.front().id();
  std::vector<TensorList> columns(options_.input_indices.size());
  for (size_t c = 0; c < columns.size(); ++c) {
    for (const TensorRow& row : rows) columns[c].push_back(row[options_.input_indices[c]]);
  }
  RETURN_IF_ERROR(options_.batch_map->Apply(&columns, batch_num, pass_index()));
  // The outputs may hold another number of rows; the columns passed through must not.
  size_t count = columns.empty() ? rows.size() : columns.front().size();
  for (const TensorList& column : columns) {
    if (column.size() != count) {
      return Status::InvalidArgument("per_batch_map '" + options_.batch_map->name() +
                                     "' returned columns of different lengths");
    }
  }
  std::vector<TensorRow> out;
  out.reserve(count);
  for (size_t r = 0; r < count; ++r) {
    TensorColumns row_columns;
    for (const MapOp::OutputColumn& entry : options_.layout) {
      if (entry.from_result) {
        if (entry.index >= static_cast<int>(columns.size())) {
          return Status::InvalidArgument("per_batch_map '" + options_.batch_map->name() +
                                         "' returned " + std::to_string(columns.size()) +
                                         " columns, fewer than output_columns names");
        }
        row_columns.push_back(columns[entry.index][r]);
      } else {
        if (count != rows.size()) {
          return Status::InvalidArgument(
              "per_batch_map '" + options_.batch_map->name() + "' changed the number of rows "
              "while other columns pass through; name them in input_columns");
        }
        row_columns.push_back(rows[r][entry.index]);
      }
    }
    out.emplace_back(batch_num, std::move(row_columns));
  }
  if (out.empty()) return Status::InvalidArgument("per_batch_map '" + options_.batch_map->name() + "' returned no rows");
  return out;
}

Status BatchOp::ProcessBlock(RowBlock* block, BlockPlace /*place*/) {
  std::vector<TensorRow> rows;
  RowBlock out;
  for (TensorRow& row : *block) {
    if (row.is_data()) {
      rows.push_back(std::move(row));
    } else {
      out.push_back(std::move(row));  // control rows follow the batch
    }
  }
  if (!rows.empty()) {
    const int64_t batch_num = rows.front().id();
    if (options_.batch_map) {
      ASSIGN_OR_RETURN(rows, ApplyBatchMap(std::move(rows)));
    }
    ASSIGN_OR_RETURN(TensorRow batch, Stack(rows, options_.column_names, options_.pads));
    batch.set_id(batch_num);
    out.insert(out.begin(), std::move(batch));
  }
  block->swap(out);
  return Status::OK();
}

void BatchOp::OnCancel() {
  if (options_.batch_map) options_.batch_map->Cancel();
}

void BatchOp::OnClearCancel() {
  if (options_.batch_map) options_.batch_map->ClearCancel();
}

std::string BatchOp::Describe() const {
  return "Batch(batch_size=" + std::to_string(options_.batch_size) +
         ", workers=" + std::to_string(num_workers()) +
         (options_.batch_map ? ", per_batch_map=" + options_.batch_map->name() : std::string()) + ")";
}

}  // namespace headrace::engine
