#include "headrace/engine/ops/shuffle_op.h"

#include <vector>

#include "headrace/engine/row_reader.h"
#include "headrace/engine/row_writer.h"

namespace headrace::engine {

Status ShuffleOp::RunWorker(int worker_id) {
  RowReader reader(input(), 0);
  RowWriter writer(output(), worker_id, output_block_rows());
  std::vector<TensorRow> buffer;
  buffer.reserve(static_cast<size_t>(std::min<int64_t>(buffer_size_, 1 << 16)));
  auto pick = [&]() -> size_t {
    std::uniform_int_distribution<size_t> index(0, buffer.size() - 1);
    return index(generator_);
  };
  for (;;) {
    TensorRow row;
    RETURN_IF_ERROR(reader.Next(&row, &writer));
    if (row.is_data()) {
      if (static_cast<int64_t>(buffer.size()) < buffer_size_) {
        buffer.push_back(std::move(row));
        continue;
      }
      const size_t chosen = pick();
      RETURN_IF_ERROR(writer.Write(std::move(buffer[chosen])));
      buffer[chosen] = std::move(row);
      continue;
    }
    // End of epoch or of data: empty the buffer first, in random order.
    while (!buffer.empty()) {
      const size_t chosen = pick();
      std::swap(buffer[chosen], buffer.back());
      RETURN_IF_ERROR(writer.Write(std::move(buffer.back())));
      buffer.pop_back();
    }
    const bool end = row.is_end_of_data();
    RETURN_IF_ERROR(writer.Write(std::move(row)));
    if (end) return Status::OK();
  }
}

}  // namespace headrace::engine
