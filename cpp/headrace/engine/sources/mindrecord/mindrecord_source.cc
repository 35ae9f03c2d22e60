#include "headrace/engine/sources/mindrecord/mindrecord_source.h"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <thread>

#include <nlohmann/json.hpp>

#include "headrace/engine/sources/mindrecord/mindrecord_blob.h"
#include "headrace/engine/sources/mindrecord/mindrecord_layout.h"

namespace headrace::engine {

namespace {

using Json = nlohmann::json;

std::string Join(const std::vector<std::string>& names) {
  std::string out = "[";
  for (size_t i = 0; i < names.size(); ++i) out += (i ? ", " : "") + names[i];
  return out + "]";
}

std::string Folder(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash + 1);
}

// A scalar column from its MessagePack value.
Result<TensorPtr> ScalarTensor(const MindRecordColumn& column, const Json& value, const std::string& where) {
  const auto mismatch = [&] {
    return Status::DataLoss(where + ": column '" + column.name + "' holds " + value.dump() + ", not " + column.type);
  };
  if (column.type == "string") {
    if (!value.is_string()) return mismatch();
    const auto& text = value.get_ref<const std::string&>();
    return Tensor::FromStrings(DataType::kString, Shape{}, {std::string_view(text)});
  }
  if (column.type == "int32" || column.type == "int64") {
    if (!value.is_number_integer()) return mismatch();
    const auto number = value.get<int64_t>();
    if (column.type == "int64") return Tensor::Scalar(DataType::kInt64, number);
    if (number < INT32_MIN || number > INT32_MAX) return mismatch();
    return Tensor::Scalar(DataType::kInt32, static_cast<int32_t>(number));
  }
  if (!value.is_number()) return mismatch();
  const auto number = value.get<double>();
  if (column.type == "float64") return Tensor::Scalar(DataType::kFloat64, number);
  return Tensor::Scalar(DataType::kFloat32, static_cast<float>(number));
}

}  // namespace

Result<Shape> MindRecordArrayShape(const MindRecordColumn& column, int64_t num_bytes, const std::string& where) {
  const int64_t element = ElementSize(column.dtype());
  const auto bad = [&] {
    return Status::DataLoss(where + ": column '" + column.name + "' has " + std::to_string(num_bytes) +
                            " bytes, which do not fill its shape " + ShapeToString(Shape(column.shape)) +
                            " of " + column.type);
  };
  if (num_bytes % element != 0) return bad();
  const int64_t elements = num_bytes / element;
  int64_t known = 1;
  int free_dim = -1;
  for (size_t i = 0; i < column.shape.size(); ++i) {
    if (column.shape[i] == -1) {
      free_dim = static_cast<int>(i);
    } else {
      known *= column.shape[i];
    }
  }
  std::vector<int64_t> dims = column.shape;
  if (free_dim >= 0) {
    if (known == 0 || elements % known != 0) return bad();
    dims[static_cast<size_t>(free_dim)] = elements / known;
  } else if (known != elements) {
    return bad();
  }
  return Shape(dims);
}

Result<std::vector<std::string>> MindRecordSource::SiblingFiles(const std::string& path) {
  ASSIGN_OR_RETURN(std::unique_ptr<DataFile> file, DataFile::Open(path));
  ASSIGN_OR_RETURN(MindRecordHeader header, MindRecordHeader::Read(*file));
  std::vector<std::string> paths;
  const std::string folder = Folder(path);
  for (const std::string& name : header.shard_addresses) paths.push_back(folder + name);
  if (paths.empty()) paths.push_back(path);
  return paths;
}

Result<std::shared_ptr<MindRecordSource>> MindRecordSource::Open(const std::vector<std::string>& files,
                                                                 const std::vector<std::string>& columns) {
  if (files.empty()) return Status::InvalidArgument("dataset_files: no file given");
  std::shared_ptr<MindRecordSource> source(new MindRecordSource());
  for (const std::string& path : files) {
    File file;
    ASSIGN_OR_RETURN(file.data, DataFile::Open(path));
    ASSIGN_OR_RETURN(file.header, MindRecordHeader::Read(*file.data));
    if (!source->files_.empty() && file.header.SchemaJson() != source->files_.front().header.SchemaJson()) {
      return Status::InvalidArgument(path + " has another schema than " + files.front() + ": " +
                                     file.header.SchemaJson() + " against " +
                                     source->files_.front().header.SchemaJson());
    }
    source->files_.push_back(std::move(file));
  }
  const MindRecordHeader& header = source->files_.front().header;
  source->names_ = columns.empty() ? header.column_names() : columns;
  for (const std::string& name : source->names_) {
    const MindRecordColumn* spec = header.FindColumn(name);
    if (spec == nullptr) {
      return Status::InvalidArgument("columns_list: column '" + name + "' is not in " + files.front() +
                                     "; its columns are " + Join(header.column_names()));
    }
    int blob_index = -1;
    for (size_t i = 0; i < header.blob_fields.size(); ++i) {
      if (header.blob_fields[i] == name) blob_index = static_cast<int>(i);
    }
    source->columns_.push_back({spec, blob_index});
    (blob_index < 0 ? source->any_raw_ : source->any_blob_) = true;
  }
  source->compressed_ = header.compresses_integers();
  source->direct_blob_ = header.blob_fields.size() == 1 && !source->compressed_;
  for (const Column& column : source->columns_) {
    if (source->direct_blob_ && column.blob_index == 0 && column.spec->type == "bytes") source->span_reads_ = true;
  }
  RETURN_IF_ERROR(source->IndexFiles());
  return source;
}

Status MindRecordSource::IndexFiles() {
  // Learning where the blobs start takes one small read per large row: the files are
  // walked on a few threads at once, each into its own list, joined in file order.
  const size_t count = files_.size();
  std::vector<std::vector<Row>> rows(count);
  std::vector<Status> results(count);
  std::atomic<size_t> next{0};
  const auto work = [&] {
    for (size_t i = next++; i < count; i = next++) results[i] = IndexFile(&files_[i], static_cast<uint32_t>(i), &rows[i]);
  };
  const size_t threads = std::min<size_t>(count, std::max(1u, std::min(4u, std::thread::hardware_concurrency())));
  std::vector<std::thread> helpers;
  for (size_t t = 1; t < threads; ++t) helpers.emplace_back(work);
  work();
  for (std::thread& helper : helpers) helper.join();
  for (size_t i = 0; i < count; ++i) {
    RETURN_IF_ERROR(results[i]);
    file_rows_.push_back(static_cast<int64_t>(rows[i].size()));
    rows_.insert(rows_.end(), rows[i].begin(), rows[i].end());
  }
  int64_t blob_bytes = 0;
  for (const Row& row : rows_) blob_bytes += row.blob_length;
  average_blob_bytes_ = rows_.empty() ? 0 : blob_bytes / static_cast<int64_t>(rows_.size());
  return Status::OK();
}

Status MindRecordSource::IndexFile(File* file_ptr, uint32_t file_index, std::vector<Row>* rows) {
  // Called on several threads at once, each with its own file and list.
  File& file = *file_ptr;
  int64_t raw_base = 0;
  // The raw pages stay in memory: a row's scalar columns are then decoded without a read.
  const auto keep_raw_page = [&](const MindRecordPage&, std::string_view bytes) {
    raw_base = static_cast<int64_t>(file.raw.size());
    file.raw.append(bytes);
  };
  const auto add_row = [&](const MindRecordRowPlace& place) {
    rows->push_back({MindRecordPageStart(file.header, *place.blob_page) + place.blob_offset + 8, place.blob_length,
                     raw_base + place.raw_offset + 8, static_cast<uint32_t>(place.raw_length), file_index});
    return Status::OK();
  };
  return WalkMindRecordRows(*file.data, file.header, keep_raw_page, add_row);
}

Status MindRecordSource::SetPadded(std::vector<TensorPtr> padded, int64_t count) {
  if (count < 0) return Status::InvalidArgument("num_padded must be >= 0, got " + std::to_string(count));
  if (count > 0 && padded.size() != names_.size()) {
    return Status::InvalidArgument("padded_sample: " + std::to_string(padded.size()) + " columns given, the rows have " +
                                   std::to_string(names_.size()));
  }
  padded_ = std::move(padded);
  padded_count_ = count;
  return Status::OK();
}

Result<TensorPtr> MindRecordSource::BlobColumn(const Column& column, const BufferPtr& blob, std::string_view bytes,
                                               const std::string& where) const {
  const MindRecordColumn& spec = *column.spec;
  if (spec.type == "bytes") {
    // A view into the row's blob buffer: no copy; the view keeps the buffer alive.
    auto* start = const_cast<uint8_t*>(reinterpret_cast<const uint8_t*>(bytes.data()));
    BufferPtr view = Buffer::Wrap(start, static_cast<int64_t>(bytes.size()), false, [blob] {});
    view->set_origin(blob->origin());
    return Tensor::FromBuffer(DataType::kUInt8, Shape{static_cast<int64_t>(bytes.size())}, std::move(view));
  }
  std::vector<uint8_t> widened;
  if (compressed_ && spec.is_integer_array()) {
    RETURN_IF_ERROR(mindrecord::DecompressIntegers(bytes, static_cast<int>(ElementSize(spec.dtype())), where, &widened));
    bytes = std::string_view(reinterpret_cast<const char*>(widened.data()), widened.size());
  }
  ASSIGN_OR_RETURN(Shape shape, MindRecordArrayShape(spec, static_cast<int64_t>(bytes.size()), where));
  ASSIGN_OR_RETURN(TensorPtr tensor, Tensor::Create(spec.dtype(), std::move(shape)));
  if (!bytes.empty()) std::memcpy(tensor->mutable_data(), bytes.data(), bytes.size());
  return tensor;
}

Status MindRecordSource::Get(int64_t index, TensorRow* row) {
  if (index >= num_rows()) {
    row->mutable_columns().assign(padded_.begin(), padded_.end());
    return Status::OK();
  }
  return ReadRow(rows_[static_cast<size_t>(index)], nullptr, 0, row);
}

Status MindRecordSource::GetBlock(const int64_t* indices, size_t count, RowBlock* block) {
  size_t i = 0;
  while (i < count) {
    // The run of rows from i whose blobs follow one another in one file.
    size_t end = i + 1;
    if (span_reads_ && indices[i] < num_rows()) {
      const Row* last = &rows_[static_cast<size_t>(indices[i])];
      while (end < count && indices[end] == indices[end - 1] + 1 && indices[end] < num_rows()) {
        const Row& next = rows_[static_cast<size_t>(indices[end])];
        if (next.file != last->file || next.blob_offset != last->blob_offset + last->blob_length + 8 ||
            next.blob_offset + next.blob_length - rows_[static_cast<size_t>(indices[i])].blob_offset > kMaxSpanBytes) {
          break;
        }
        last = &next;
        ++end;
      }
    }
    if (end - i == 1) {
      TensorRow row(indices[i], {});
      RETURN_IF_ERROR(Get(indices[i], &row));
      block->push_back(std::move(row));
      ++i;
      continue;
    }
    const Row& first = rows_[static_cast<size_t>(indices[i])];
    const Row& last = rows_[static_cast<size_t>(indices[end - 1])];
    const int64_t span_bytes = last.blob_offset + last.blob_length - first.blob_offset;
    // The run viewed in the mapped file: its rows' bytes columns view it in turn.
    const File& file = files_[first.file];
    ASSIGN_OR_RETURN(BufferPtr span, file.data->View(first.blob_offset, span_bytes, "blob"));
    for (size_t k = i; k < end; ++k) {
      TensorRow row(indices[k], {});
      RETURN_IF_ERROR(ReadRow(rows_[static_cast<size_t>(indices[k])], span, first.blob_offset, &row));
      block->push_back(std::move(row));
    }
    i = end;
  }
  return Status::OK();
}

Status MindRecordSource::ReadRow(const Row& location, const BufferPtr& span, int64_t span_start,
                                 TensorRow* row) const {
  TensorColumns& out = row->mutable_columns();
  out.clear();
  const File& file = files_[location.file];
  const std::string& path = file.data->path();
  const auto where = [&] { return path + " (row at byte " + std::to_string(location.blob_offset - 8) + ")"; };
  Json raw;
  if (any_raw_) {
    const char* start = file.raw.data() + location.raw_offset;
    raw = Json::from_msgpack(start, start + location.raw_length, /*strict=*/true, /*allow_exceptions=*/false);
    if (raw.is_discarded() || !raw.is_object()) {
      return Status::DataLoss(where() + ": its raw data is not a MessagePack map");
    }
  }
  BufferPtr blob;
  std::vector<std::string_view> blob_columns;
  if (any_blob_ && !direct_blob_) {
    ASSIGN_OR_RETURN(blob, file.data->View(location.blob_offset, location.blob_length, "blob"));
    const std::string_view bytes(reinterpret_cast<const char*>(blob->data()), static_cast<size_t>(location.blob_length));
    const size_t blob_count = header().blob_fields.size();
    if (blob_count == 1) {
      blob_columns.push_back(bytes);
    } else {
      ASSIGN_OR_RETURN(blob_columns, mindrecord::SplitBlob(bytes, blob_count, where()));
    }
  }
  for (const Column& column : columns_) {
    TensorPtr tensor;
    if (column.blob_index < 0) {
      const auto value = raw.find(column.spec->name);
      if (value == raw.end()) return Status::DataLoss(where() + ": its raw data has no column '" + column.spec->name + "'");
      ASSIGN_OR_RETURN(tensor, ScalarTensor(*column.spec, *value, where()));
    } else if (span != nullptr) {
      const std::string_view bytes(reinterpret_cast<const char*>(span->data()) + (location.blob_offset - span_start),
                                   static_cast<size_t>(location.blob_length));
      ASSIGN_OR_RETURN(tensor, BlobColumn(column, span, bytes, where()));
    } else if (direct_blob_ && column.spec->type == "bytes") {
      // The blob is this bytes column: a view of it in the mapped file.
      ASSIGN_OR_RETURN(BufferPtr view, file.data->View(location.blob_offset, location.blob_length, "blob"));
      ASSIGN_OR_RETURN(tensor, Tensor::FromBuffer(DataType::kUInt8, Shape{location.blob_length}, std::move(view)));
    } else if (direct_blob_) {
      // The blob is this (typed array) column: one read into the tensor's own memory, which
      // is aligned for its type where the file is not.
      Shape shape{location.blob_length};
      if (column.spec->has_shape) {
        ASSIGN_OR_RETURN(shape, MindRecordArrayShape(*column.spec, location.blob_length, where()));
      }
      ASSIGN_OR_RETURN(tensor, Tensor::Create(column.spec->dtype(), std::move(shape)));
      RETURN_IF_ERROR(file.data->ReadExactlyAt(location.blob_offset, location.blob_length, tensor->mutable_data(), "blob"));
      tensor->buffer()->set_origin(path);
    } else {
      ASSIGN_OR_RETURN(tensor, BlobColumn(column, blob, blob_columns[static_cast<size_t>(column.blob_index)], where()));
    }
    out.push_back(std::move(tensor));
  }
  return Status::OK();
}

}  // namespace headrace::engine
