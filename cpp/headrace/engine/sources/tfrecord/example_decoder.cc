#include "headrace/engine/sources/tfrecord/example_decoder.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <unordered_set>

#include "headrace/core/float16.h"

namespace headrace::engine::tfrecord {
namespace {

// A bytes value at least this long, in a record with its own buffer, is viewed, not copied.
// Smaller ones are copied: a small tensor should not keep a whole record alive.
constexpr size_t kViewBytes = 4096;

bool IsNumeric(DataType dtype) { return IsFixedWidth(dtype); }

std::string ShapeText(const Shape& shape) {
  std::string text = "[";
  for (size_t i = 0; i < shape.size(); ++i) text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + "]";
}

// The tensor shape of `count` values for `column`; an empty Result message on a mismatch.
Result<Shape> MaterializeShape(const ColumnSpec& column, int64_t count) {
  if (!column.shape.has_value()) return Shape{count};
  Shape shape = *column.shape;
  int64_t known = 1;
  int unknown = -1;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] < 0) {
      unknown = static_cast<int>(i);
    } else {
      known *= shape[i];
    }
  }
  if (unknown >= 0 && known > 0 && count % known == 0) {
    shape[static_cast<size_t>(unknown)] = count / known;
    return shape;
  }
  if (unknown < 0 && known == count) return shape;
  return Status::DataLoss("column '" + column.name + "' has " + std::to_string(count) +
                          " values, which the schema's shape " + ShapeText(*column.shape) +
                          " cannot hold");
}

template <typename Source, typename Target>
void CastAll(const Source* source, size_t count, Target* target) {
  for (size_t i = 0; i < count; ++i) target[i] = static_cast<Target>(source[i]);
}

template <typename Source>
void CastInto(const Source* source, size_t count, DataType dtype, uint8_t* out) {
  switch (dtype) {
    case DataType::kBool: {
      auto* target = reinterpret_cast<bool*>(out);
      for (size_t i = 0; i < count; ++i) target[i] = source[i] != 0;
      return;
    }
    case DataType::kInt8: return CastAll(source, count, reinterpret_cast<int8_t*>(out));
    case DataType::kInt16: return CastAll(source, count, reinterpret_cast<int16_t*>(out));
    case DataType::kInt32: return CastAll(source, count, reinterpret_cast<int32_t*>(out));
    case DataType::kInt64: return CastAll(source, count, reinterpret_cast<int64_t*>(out));
    case DataType::kUInt8: return CastAll(source, count, reinterpret_cast<uint8_t*>(out));
    case DataType::kUInt16: return CastAll(source, count, reinterpret_cast<uint16_t*>(out));
    case DataType::kUInt32: return CastAll(source, count, reinterpret_cast<uint32_t*>(out));
    case DataType::kUInt64: return CastAll(source, count, reinterpret_cast<uint64_t*>(out));
    case DataType::kFloat16: {
      auto* target = reinterpret_cast<uint16_t*>(out);
      for (size_t i = 0; i < count; ++i) target[i] = FloatToHalf(static_cast<float>(source[i]));
      return;
    }
    case DataType::kFloat32: return CastAll(source, count, reinterpret_cast<float*>(out));
    case DataType::kFloat64: return CastAll(source, count, reinterpret_cast<double*>(out));
    case DataType::kString:
    case DataType::kBytes:
      return;  // refused before
  }
}

}  // namespace

Status CheckColumns(const std::vector<ColumnSpec>& columns) {
  std::unordered_set<std::string> names;
  for (const ColumnSpec& column : columns) {
    if (!names.insert(column.name).second) {
      return Status::InvalidArgument("schema: column '" + column.name + "' is given twice");
    }
    if (!column.shape.has_value()) continue;
    int unknown = 0;
    for (int64_t dim : *column.shape) {
      if (dim == -1) {
        ++unknown;
      } else if (dim < 0) {
        return Status::InvalidArgument("schema: column '" + column.name + "' has shape " +
                                       ShapeText(*column.shape) + ": dimensions are -1 or at least 0");
      }
    }
    if (unknown > 1) {
      return Status::InvalidArgument("schema: column '" + column.name + "' has shape " +
                                     ShapeText(*column.shape) + ": at most one dimension may be -1");
    }
  }
  return Status::OK();
}

std::vector<ColumnSpec> InferColumns(const ExampleWire& example) {
  // A later entry of a name replaces an earlier one; a std::map sorts by name.
  std::map<std::string, FeatureKind> kinds;
  for (size_t i = 0; i < example.num_features(); ++i) {
    kinds[std::string(example.name(i))] = example.feature(i).kind;
  }
  std::vector<ColumnSpec> columns;
  for (const auto& [name, kind] : kinds) {
    ColumnSpec column;
    column.name = name;
    column.dtype = kind == FeatureKind::kInt64   ? DataType::kInt64
                   : kind == FeatureKind::kFloat ? DataType::kFloat32
                                                 : DataType::kUInt8;
    columns.push_back(std::move(column));
  }
  return columns;
}

ExampleDecoder::ExampleDecoder(std::vector<ColumnSpec> columns) : columns_(std::move(columns)) {
  for (const ColumnSpec& column : columns_) {
    column_slot_.push_back(slots_.emplace(column.name, slots_.size()).first->second);
  }
}

Status ExampleDecoder::Parse(const Record& record, const FramingReader& reader,
                             ExampleWire* example) {
  if (!example->Parse(record.data, static_cast<size_t>(record.size))) {
    return reader.RecordError(record.offset, "not a tf.train.Example (" + example->error() + ")");
  }
  return Status::OK();
}

Status ExampleDecoder::Decode(const Record& record, const FramingReader& reader,
                              TensorColumns* columns) {
  RETURN_IF_ERROR(Parse(record, reader, &example_));
  found_.assign(slots_.size(), -1);
  for (size_t i = 0; i < example_.num_features(); ++i) {
    auto it = slots_.find(example_.name(i));
    if (it != slots_.end()) found_[it->second] = static_cast<int>(i);  // the last entry wins
  }
  for (size_t c = 0; c < columns_.size(); ++c) {
    const int feature = found_[column_slot_[c]];
    if (feature < 0) {
      return reader.RecordError(record.offset, "the Example has no feature '" + columns_[c].name + "'");
    }
    Result<TensorPtr> tensor =
        DecodeColumn(columns_[c], example_.feature(static_cast<size_t>(feature)), record, reader);
    if (!tensor.ok()) {
      const Status& error = tensor.status();
      if (error.code() != StatusCode::kDataLoss) return error;  // out of memory
      return reader.RecordError(record.offset, error.message());
    }
    columns->push_back(std::move(tensor).value());
  }
  return Status::OK();
}

Result<TensorPtr> ExampleDecoder::DecodeColumn(const ColumnSpec& column, const FeatureRef& feature,
                                               const Record& record, const FramingReader& reader) {
  const std::string dtype_name(DataTypeName(column.dtype));
  auto refuse = [&]() {
    return Status::DataLoss("feature '" + column.name + "' is a " + FeatureKindName(feature.kind) +
                            ", which cannot be read as " + dtype_name);
  };
  const auto bad_list = [&]() {
    return Status::DataLoss("feature '" + column.name + "': bad " + FeatureKindName(feature.kind));
  };
  switch (feature.kind) {
    case FeatureKind::kBytes:
      return DecodeBytes(column, feature, record, reader);
    case FeatureKind::kNone:
      return Status::DataLoss("feature '" + column.name + "' has no values (no list is set)");
    case FeatureKind::kInt64:
    case FeatureKind::kFloat:
      break;
  }
  if (!IsNumeric(column.dtype)) return refuse();
  size_t count = 0;
  if (!example_.CountNumbers(feature, &count)) return bad_list();
  ASSIGN_OR_RETURN(Shape shape, MaterializeShape(column, static_cast<int64_t>(count)));
  ASSIGN_OR_RETURN(TensorPtr tensor, Tensor::Create(column.dtype, std::move(shape)));
  uint8_t* out = tensor->mutable_data();
  if (feature.kind == FeatureKind::kInt64) {
    if (column.dtype == DataType::kInt64) {
      if (!example_.ReadInt64s(feature, reinterpret_cast<int64_t*>(out))) return bad_list();
    } else {
      ints_.resize(count);
      if (!example_.ReadInt64s(feature, ints_.data())) return bad_list();
      CastInto(ints_.data(), count, column.dtype, out);
    }
  } else {
    if (column.dtype == DataType::kFloat32) {
      if (!example_.ReadFloats(feature, reinterpret_cast<float*>(out))) return bad_list();
    } else {
      floats_.resize(count);
      if (!example_.ReadFloats(feature, floats_.data())) return bad_list();
      CastInto(floats_.data(), count, column.dtype, out);
    }
  }
  return tensor;
}

Result<TensorPtr> ExampleDecoder::DecodeBytes(const ColumnSpec& column, const FeatureRef& feature,
                                              const Record& record, const FramingReader& reader) {
  if (!example_.ReadBytes(feature, &values_)) {
    return Status::DataLoss("feature '" + column.name + "': bad bytes_list");
  }
  if (column.dtype == DataType::kString || column.dtype == DataType::kBytes) {
    std::vector<std::string_view> elements;
    elements.reserve(values_.size());
    for (const Span& value : values_) {
      elements.emplace_back(reinterpret_cast<const char*>(value.data), value.size);
    }
    ASSIGN_OR_RETURN(Shape shape, MaterializeShape(column, static_cast<int64_t>(values_.size())));
    Result<TensorPtr> tensor = Tensor::FromStrings(column.dtype, std::move(shape), elements);
    if (!tensor.ok()) {
      return Status::DataLoss("feature '" + column.name + "': " + tensor.status().message());
    }
    return tensor;
  }
  if (column.dtype != DataType::kUInt8 && column.dtype != DataType::kInt8) {
    return Status::DataLoss("feature '" + column.name + "' is a bytes_list, which cannot be read as " +
                            std::string(DataTypeName(column.dtype)) +
                            " (only as uint8, int8, string or bytes)");
  }
  // Each value padded to the longest: one value is just its bytes.
  size_t longest = 0;
  for (const Span& value : values_) longest = std::max(longest, value.size);
  const int64_t count = static_cast<int64_t>(longest * values_.size());
  ASSIGN_OR_RETURN(Shape shape, MaterializeShape(column, count));
  const std::string origin = reader.path() + " (TFRecord record at byte " +
                             std::to_string(record.offset) + ")";

  if (values_.size() == 1 && record.owner != nullptr && longest >= kViewBytes) {
    // The tensor views the record's buffer and keeps it alive.
    const Span value = values_.front();
    // The owner is a buffer of the reader's (writable) or a view of the mapped file (not).
    uint8_t* start = const_cast<uint8_t*>(value.data);
    BufferPtr owner = record.owner;
    BufferPtr view = Buffer::Wrap(start, static_cast<int64_t>(value.size), owner->is_mutable(),
                                  [owner]() mutable { owner.reset(); });
    view->set_origin(origin);
    return Tensor::FromBuffer(column.dtype, std::move(shape), std::move(view));
  }
  ASSIGN_OR_RETURN(TensorPtr tensor, Tensor::Create(column.dtype, std::move(shape)));
  uint8_t* out = tensor->mutable_data();
  for (const Span& value : values_) {
    std::memcpy(out, value.data, value.size);
    std::memset(out + value.size, ' ', longest - value.size);
    out += longest;
  }
  tensor->buffer()->set_origin(origin);
  return tensor;
}

}  // namespace headrace::engine::tfrecord
