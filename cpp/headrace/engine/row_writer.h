// RowWriter: writes one op's output row by row into blocks pushed to a Connector.
//
// A block is pushed when it holds `block_rows` rows, when a control row is written (so
// that end of epoch, end of data and errors are never held back), when Flush() is called,
// and when rows come slowly: a block whose first row has waited longer than `max_delay`
// is pushed with the next row, so a slow source does not hold back the first batch, or,
// by an op that reads with RowReader::Next(row, &writer), while it waits for input.
// Not thread-safe: one writer per producing thread.
#pragma once

#include <chrono>
#include <cstdint>

#include "headrace/core/status.h"
#include "headrace/engine/connector.h"

namespace headrace::engine {

class RowWriter {
 public:
  static constexpr std::chrono::microseconds kDefaultMaxDelay{500};

  RowWriter(Connector* output, int producer_id, int64_t block_rows,
            std::chrono::microseconds max_delay = kDefaultMaxDelay)
      : output_(output), producer_id_(producer_id), block_rows_(block_rows < 1 ? 1 : block_rows),
        max_delay_(max_delay) {}

  // Appends `row`; pushes the block when one of the rules above says so.
  Status Write(TensorRow row);

  // Pushes what is pending, if anything.
  Status Flush();

  bool has_pending() const { return !pending_.empty(); }
  // When the pending rows are due (valid while has_pending()).
  std::chrono::steady_clock::time_point flush_deadline() const {
    return first_pending_ + max_delay_;
  }

 private:
  Connector* output_;
  int producer_id_;
  int64_t block_rows_;
  std::chrono::microseconds max_delay_;
  RowBlock pending_;
  std::chrono::steady_clock::time_point first_pending_;
};

}  // namespace headrace::engine
