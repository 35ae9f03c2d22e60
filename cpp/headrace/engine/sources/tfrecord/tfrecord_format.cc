#include "headrace/engine/sources/tfrecord/tfrecord_format.h"

#include <algorithm>

#include "headrace/engine/sources/data_file.h"

namespace headrace::engine::tfrecord {
namespace {

std::vector<std::string> NamesOf(const std::vector<ColumnSpec>& columns) {
  std::vector<std::string> names;
  for (const ColumnSpec& column : columns) names.push_back(column.name);
  return names;
}

std::string ListText(const std::vector<std::string>& names) {
  std::string text = "[";
  for (size_t i = 0; i < names.size(); ++i) text += (i ? ", '" : "'") + names[i] + "'";
  return text + "]";
}

class TFRecordReader : public RecordFileReader {
 public:
  TFRecordReader(std::unique_ptr<FramingReader> framing, const std::vector<ColumnSpec>& columns)
      : framing_(std::move(framing)), decoder_(columns) {}

  // An error after some rows of a call is kept for the next call, so that the rows before
  // a damaged record reach the pipeline before its error does.
  Status ReadRows(int64_t max_rows, RowBlock* block, bool* end) override {
    *end = false;
    if (!pending_.ok()) return pending_;
    const size_t before = block->size();
    for (int64_t i = 0; i < max_rows; ++i) {
      Status status = ReadRow(block, end);
      if (!status.ok()) {
        if (block->size() == before) return status;
        pending_ = std::move(status);
        return Status::OK();
      }
      if (*end) break;
    }
    return Status::OK();
  }

  Status SkipRows(int64_t count, bool* end) override {
    *end = false;
    for (int64_t i = 0; i < count && !*end; ++i) RETURN_IF_ERROR(framing_->Skip(end));
    return Status::OK();
  }

 private:
  Status ReadRow(RowBlock* block, bool* end) {
    Record record;
    RETURN_IF_ERROR(framing_->Next(&record, end));
    if (*end) return Status::OK();
    TensorColumns columns;
    columns.reserve(decoder_.columns().size());
    RETURN_IF_ERROR(decoder_.Decode(record, *framing_, &columns));
    block->emplace_back(TensorRow::kNoId, std::move(columns));
    return Status::OK();
  }

  std::unique_ptr<FramingReader> framing_;
  ExampleDecoder decoder_;
  Status pending_;
};

}  // namespace

Result<std::unique_ptr<FramingReader>> OpenFraming(const std::string& path, Compression compression) {
  ASSIGN_OR_RETURN(std::unique_ptr<DataFile> file, DataFile::Open(path));
  return std::make_unique<FramingReader>(path, MakeByteStream(std::move(file), compression));
}

Result<std::vector<ColumnSpec>> InferColumnsFromFile(const std::string& path, Compression compression) {
  ASSIGN_OR_RETURN(std::unique_ptr<FramingReader> framing, OpenFraming(path, compression));
  Record record;
  bool end = false;
  RETURN_IF_ERROR(framing->Next(&record, &end));
  if (end) {
    return Status::InvalidArgument("cannot take the columns from " + path +
                                   ": it has no records (give a schema)");
  }
  ExampleWire example;
  RETURN_IF_ERROR(ExampleDecoder::Parse(record, *framing, &example));
  return InferColumns(example);
}

TFRecordFormat::TFRecordFormat(std::vector<ColumnSpec> columns, Compression compression)
    : columns_(std::move(columns)), names_(NamesOf(columns_)), compression_(compression) {}

Result<std::shared_ptr<TFRecordFormat>> TFRecordFormat::Make(
    std::vector<ColumnSpec> schema, const std::vector<std::string>& columns_list,
    Compression compression, const std::string& infer_from) {
  const bool inferred = schema.empty();
  if (inferred) {
    if (infer_from.empty()) {
      return Status::InvalidArgument("TFRecord: neither a schema nor a file to take the columns from");
    }
    ASSIGN_OR_RETURN(schema, InferColumnsFromFile(infer_from, compression));
  }
  RETURN_IF_ERROR(CheckColumns(schema));
  std::vector<ColumnSpec> columns;
  if (columns_list.empty()) {
    columns = std::move(schema);
  } else {
    for (const std::string& name : columns_list) {
      auto it = std::find_if(schema.begin(), schema.end(),
                             [&](const ColumnSpec& column) { return column.name == name; });
      if (it == schema.end()) {
        const std::string where = inferred ? "a feature of the first record of " + infer_from
                                           : "a column of the schema";
        return Status::InvalidArgument("columns_list: '" + name + "' is not " + where +
                                       "; the columns are " + ListText(NamesOf(schema)));
      }
      if (std::count(columns_list.begin(), columns_list.end(), name) > 1) {
        return Status::InvalidArgument("columns_list: '" + name + "' is given twice");
      }
      columns.push_back(*it);
    }
  }
  return std::shared_ptr<TFRecordFormat>(new TFRecordFormat(std::move(columns), compression));
}

Result<std::unique_ptr<RecordFileReader>> TFRecordFormat::Open(const std::string& path) const {
  ASSIGN_OR_RETURN(std::unique_ptr<FramingReader> framing, OpenFraming(path, compression_));
  return std::unique_ptr<RecordFileReader>(new TFRecordReader(std::move(framing), columns_));
}

Result<std::shared_ptr<const std::vector<int64_t>>> TFRecordFormat::RecordStarts(
    const std::string& path) const {
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto found = record_starts_.find(path);
    if (found != record_starts_.end()) return found->second;
  }
  // Walked without the lock: two threads may walk one file at once, and both get the
  // same starts.
  ASSIGN_OR_RETURN(std::unique_ptr<FramingReader> framing, OpenFraming(path, compression_));
  auto starts = std::make_shared<std::vector<int64_t>>();
  bool end = false;
  while (true) {
    const int64_t start = framing->offset();
    RETURN_IF_ERROR(framing->Skip(&end));
    if (end) break;
    starts->push_back(start);
  }
  std::lock_guard<std::mutex> lock(mu_);
  return record_starts_.emplace(path, std::move(starts)).first->second;
}

Result<std::unique_ptr<RecordFileReader>> TFRecordFormat::OpenAt(const std::string& path,
                                                                 int64_t first_row) const {
  if (!SeeksRows() || first_row == 0) return RecordFormat::OpenAt(path, first_row);
  ASSIGN_OR_RETURN(auto starts, RecordStarts(path));
  ASSIGN_OR_RETURN(std::unique_ptr<DataFile> file, DataFile::Open(path));
  // Past the last row: a reader at the end of the file.
  const int64_t at = first_row < static_cast<int64_t>(starts->size())
                         ? (*starts)[static_cast<size_t>(first_row)]
                         : file->size();
  auto framing = std::make_unique<FramingReader>(path, MakePlainByteStreamAt(std::move(file), at), at);
  return std::unique_ptr<RecordFileReader>(new TFRecordReader(std::move(framing), columns_));
}

Result<int64_t> TFRecordFormat::CountRows(const std::string& path) const {
  if (SeeksRows()) {
    ASSIGN_OR_RETURN(auto starts, RecordStarts(path));
    return static_cast<int64_t>(starts->size());
  }
  ASSIGN_OR_RETURN(std::unique_ptr<FramingReader> framing, OpenFraming(path, compression_));
  int64_t rows = 0;
  bool end = false;
  while (true) {
    RETURN_IF_ERROR(framing->Skip(&end));
    if (end) return rows;
    ++rows;
  }
}

Status TFRecordFormat::CheckFile(const std::string& path) const {
  ASSIGN_OR_RETURN(std::unique_ptr<FramingReader> framing, OpenFraming(path, compression_));
  return framing->CheckFirstHeader();
}

}  // namespace headrace::engine::tfrecord
