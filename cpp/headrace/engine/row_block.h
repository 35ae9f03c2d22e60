// RowBlock: consecutive rows that travel between two ops as one unit.
//
// Ops read and write rows one at a time (see row_reader.h, row_writer.h), but connectors
// move blocks, so that locking, waking a thread and (for Python code) taking the GIL are
// paid once per block rather than once per row. A control row (end of epoch, end of
// data, error) is always the last row of its block, so it is seen without waiting for
// more rows.
#pragma once

#include <vector>

#include "headrace/core/tensor_row.h"

namespace headrace::engine {

using RowBlock = std::vector<TensorRow>;

// True when the block ends with the end-of-data row.
inline bool EndsWithEndOfData(const RowBlock& block) {
  return !block.empty() && block.back().is_end_of_data();
}

}  // namespace headrace::engine
