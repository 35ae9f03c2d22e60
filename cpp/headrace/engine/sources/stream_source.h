// StreamSource: rows that come one after another and can only be read in order (a Python
// generator or iterable, later record files). Read by one thread: StreamSourceOp.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "headrace/core/status.h"
#include "headrace/engine/row_block.h"

namespace headrace::engine {

class StreamSource {
 public:
  virtual ~StreamSource() = default;

  virtual const std::vector<std::string>& column_names() const = 0;

  // Starts a new pass from the first row.
  virtual Status Reset() = 0;

  // Appends up to `max_rows` rows to `block`, stopping early once `max_delay` has passed
  // (so a slow stream is not held back); sets `*end` when the stream has no more rows.
  virtual Status NextBlock(int64_t max_rows, std::chrono::microseconds max_delay,
                           RowBlock* block, bool* end) = 0;
};

}  // namespace headrace::engine
