// Row codec: a TensorRow as one contiguous run of bytes and back, for the cache (rows are
// stored in the server's shared memory or spill files, and sent over gRPC).
//
// Layout (little-endian, every tensor's data 64-byte aligned from the start, so that rows
// read in place from shared memory give aligned NumPy arrays):
//   header   "HRR1", uint32 column count
//   per column: uint8 dtype, uint8 rank, 6 bytes padding, int64 dims[rank],
//               int64 data offset (from the start), int64 data bytes
//   data     each column's bytes (strings as the tensor stores them: offsets then bytes)
// Decoding checks every size and offset against the run's length: corrupt bytes give
// DataLoss, never a read outside the run.
// Pure functions: any thread.
#pragma once

#include <cstdint>

#include "headrace/core/buffer.h"
#include "headrace/core/result.h"
#include "headrace/core/tensor_row.h"

namespace headrace {

// Bytes EncodeRow needs for `row` (data rows only).
int64_t EncodedRowSize(const TensorRow& row);

// Writes `row` into `out`, which must hold EncodedRowSize(row) bytes and be 64-byte aligned.
Status EncodeRow(const TensorRow& row, uint8_t* out, int64_t size);

// The row encoded in `bytes`[0, size) of `buffer` (which the tensors will share: no copy),
// with row id `id`. `offset` is where the run starts in the buffer and must be 64-byte
// aligned for the tensors to be aligned.
Result<TensorRow> DecodeRow(const BufferPtr& buffer, int64_t offset, int64_t size, int64_t id);

}  // namespace headrace
