#include "headrace/engine/ops/zip_op.h"

#include <memory>
#include <vector>

#include "headrace/engine/row_reader.h"
#include "headrace/engine/row_writer.h"

namespace headrace::engine {

Status ZipOp::RunWorker(int worker_id) {
  std::vector<std::unique_ptr<RowReader>> readers;
  for (size_t i = 0; i < children().size(); ++i) {
    readers.push_back(std::make_unique<RowReader>(input(i), 0));
  }
  RowWriter writer(output(), worker_id, output_block_rows());
  for (int64_t id = start_row();; ++id) {
    TensorRow zipped(id, {});
    for (size_t i = 0; i < readers.size(); ++i) {
      TensorRow row;
      do {
        RETURN_IF_ERROR(readers[i]->Next(&row, &writer));
      } while (row.is_end_of_epoch());
      if (row.is_end_of_data()) {
        RETURN_IF_ERROR(writer.Flush());
        for (size_t other = 0; other < readers.size(); ++other) {
          if (other != i) StopChildEarly(other);
        }
        return writer.Write(TensorRow::EndOfData());
      }
      for (const TensorPtr& column : row.columns()) zipped.push_back(column);
    }
    RETURN_IF_ERROR(writer.Write(std::move(zipped)));
  }
}

}  // namespace headrace::engine
