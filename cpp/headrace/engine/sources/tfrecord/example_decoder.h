// ExampleDecoder: a tf.train.Example record -> a row of tensors, by a schema of columns.
//
// A column names a feature and gives the tensor's dtype and, optionally, its shape. The
// mapping is MindSpore's TFRecordDataset's:
//   int64_list -> any integer, float or bool dtype (values cast: int64 -> int8 wraps)
//   float_list -> any float, integer or bool dtype (cast; float -> int truncates)
//   bytes_list -> uint8 / int8: the bytes, 1-D; several values are each padded with spaces
//                 to the longest and concatenated, as MindSpore does
//              -> string (UTF-8 checked) or bytes: one element per value
// The shape: none gives 1-D of the values' count (so one value is shape [1], as in
// MindSpore); a shape gives that shape, whose element count must match; one -1 dimension
// takes what is left; [] is a scalar (one value).
// Without a schema MindSpore makes every feature of the first record a column, in name
// order: int64_list int64, float_list float32, bytes_list uint8 (InferColumns).
//
// A large bytes value read as uint8 in a record that has its own buffer (a record over
// FramingReader::kOwnBufferBytes) becomes a tensor viewing that buffer: no copy after the read.
//
// Errors (DataLoss, naming the file and the record's offset, for the caller to prefix):
// a payload that is not an Example, a missing feature, a list of a kind the dtype cannot
// take, a count that the shape does not hold, a string value that is not UTF-8.
// A decoder is immutable but for its scratch space: one per reading thread.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "headrace/core/data_type.h"
#include "headrace/core/result.h"
#include "headrace/core/shape.h"
#include "headrace/core/tensor_row.h"
#include "headrace/engine/sources/tfrecord/example_wire.h"
#include "headrace/engine/sources/tfrecord/tfrecord_framing.h"

namespace headrace::engine::tfrecord {

struct ColumnSpec {
  std::string name;
  DataType dtype = DataType::kUInt8;
  // Unset: 1-D of the number of values. May hold one -1.
  std::optional<Shape> shape;
};

// InvalidArgument naming the column for a repeated name, more than one -1 in a shape, or
// a negative dimension other than -1.
Status CheckColumns(const std::vector<ColumnSpec>& columns);

// MindSpore's columns for a record's features (see above), in name order.
std::vector<ColumnSpec> InferColumns(const ExampleWire& example);

class ExampleDecoder {
 public:
  // `columns` checked by CheckColumns.
  explicit ExampleDecoder(std::vector<ColumnSpec> columns);
  // slots_ views the names in columns_.
  ExampleDecoder(const ExampleDecoder&) = delete;
  ExampleDecoder& operator=(const ExampleDecoder&) = delete;

  // The columns of `record`, read by `reader`, appended to `*columns`. Errors are
  // DataLoss made by reader.RecordError: they name the file and the record's offset.
  Status Decode(const Record& record, const FramingReader& reader, TensorColumns* columns);

  const std::vector<ColumnSpec>& columns() const { return columns_; }

  // Parses `record` into `example`; DataLoss naming the file and offset if it is not an
  // Example.
  static Status Parse(const Record& record, const FramingReader& reader, ExampleWire* example);

 private:
  // The column's tensor; an error is the `what` of a RecordError.
  Result<TensorPtr> DecodeColumn(const ColumnSpec& column, const FeatureRef& feature,
                                 const Record& record, const FramingReader& reader);
  Result<TensorPtr> DecodeBytes(const ColumnSpec& column, const FeatureRef& feature,
                                const Record& record, const FramingReader& reader);

  std::vector<ColumnSpec> columns_;
  // Feature names (a name may feed several columns): name -> slot, column -> slot.
  std::unordered_map<std::string_view, size_t> slots_;
  std::vector<size_t> column_slot_;
  // Scratch, kept between records.
  ExampleWire example_;
  std::vector<int> found_;  // slot -> feature index in example_, -1 if absent
  std::vector<Span> values_;
  std::vector<int64_t> ints_;
  std::vector<float> floats_;
};

}  // namespace headrace::engine::tfrecord
