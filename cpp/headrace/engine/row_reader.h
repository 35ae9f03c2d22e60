// RowReader: reads one op's input row by row from the blocks of a Connector.
//
// Used by ops whose single thread consumes a child's output (batch, shuffle, take, ...).
// Empty blocks (a filter that dropped every row of one) are skipped. After end of data
// it keeps returning end of data. An error row is returned as its Status, so an op just
// propagates it with RETURN_IF_ERROR. Not thread-safe: one reader per consuming thread.
#pragma once

#include <cstddef>

#include "headrace/core/status.h"
#include "headrace/engine/connector.h"
#include "headrace/engine/row_writer.h"

namespace headrace::engine {

class RowReader {
 public:
  RowReader(Connector* input, int consumer_id) : input_(input), consumer_id_(consumer_id) {}

  // The next row: a data row, end of epoch or end of data. Returns the error of an error
  // row, and Cancelled when the pipeline is being stopped. An op that writes what it reads
  // passes its `writer`: rows pending there are pushed once they are due while this waits
  // for input, instead of waiting for the next input row (a slow map must not hold back
  // rows that an op above it already has).
  Status Next(TensorRow* row, RowWriter* writer = nullptr);

  // True when Next would return a data row from the block at hand: no wait, no end.
  bool HasBufferedData() const {
    return !ended_ && position_ < block_.size() && block_[position_].is_data();
  }

 private:
  Connector* input_;
  int consumer_id_;
  RowBlock block_;
  size_t position_ = 0;
  bool ended_ = false;
};

}  // namespace headrace::engine
