// How one row's blob columns are packed into its blob (MindRecord's layout).
//
//   one blob column:      the column's bytes
//   several blob columns: for each, in blob_fields order, an 8-byte big-endian length and
//                         the bytes
// When the schema has an int32 or int64 array, MindSpore stores every integer array of the
// blob compressed (the other columns as they are):
//   [4-byte big-endian count n][ceil(n / 4) bytes: 2 bits per element, first element in the
//   high bits, 0/1/2/3 = stored in 1/2/4/8 bytes][the elements, little-endian, each in the
//   fewest bytes that hold its signed value]
// Internal to the MindRecord reader and writer.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "headrace/core/result.h"

namespace headrace::engine::mindrecord {

// The column values of one packed blob: `count` columns of a multi-column blob, as views
// into `blob`. DataLoss (with `where` in the message) when a length runs past the end.
Result<std::vector<std::string_view>> SplitBlob(std::string_view blob, size_t count, const std::string& where);

// The packed blob of `columns` (blob_fields order).
std::string MergeBlob(const std::vector<std::string_view>& columns);

// `raw` (little-endian elements of `element_size` 4 or 8 bytes) compressed as above.
std::string CompressIntegers(std::string_view raw, int element_size);

// The elements of a compressed array widened to `element_size` bytes, appended to `out`.
Status DecompressIntegers(std::string_view compressed, int element_size, const std::string& where,
                          std::vector<uint8_t>* out);

}  // namespace headrace::engine::mindrecord
