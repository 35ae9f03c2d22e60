#include "headrace/engine/ops/group_rows_op.h"

#include "headrace/engine/row_reader.h"

namespace headrace::engine {

Status GroupRowsOp::RunWorker(int worker_id) {
  RowReader reader(input(), 0);
  RowBlock group;
  int64_t group_index = start_row();  // batches are numbered from the pass's start
  auto push_group = [&]() -> Status {
    for (TensorRow& row : group) row.set_id(group_index);
    ++group_index;
    RowBlock full;
    full.swap(group);
    return output()->Push(worker_id, std::move(full));
  };
  for (;;) {
    TensorRow row;
    RETURN_IF_ERROR(reader.Next(&row));
    if (row.is_data()) {
      group.push_back(std::move(row));
      if (static_cast<int64_t>(group.size()) == batch_size_) RETURN_IF_ERROR(push_group());
      continue;
    }
    // End of epoch or of data: the partial group goes first, unless it is dropped.
    if (!group.empty() && !drop_remainder_) RETURN_IF_ERROR(push_group());
    group.clear();
    const bool end = row.is_end_of_data();
    RETURN_IF_ERROR(output()->Push(worker_id, RowBlock{std::move(row)}));
    if (end) return Status::OK();
  }
}

std::string GroupRowsOp::Describe() const {
  return "GroupRows(batch_size=" + std::to_string(batch_size_) +
         ", drop_remainder=" + (drop_remainder_ ? "True" : "False") + ")";
}

}  // namespace headrace::engine
