#include "headrace/engine/sources/text/text_line_format.h"

#include <cstring>
#include <string_view>

#include "headrace/core/utf8.h"
#include "headrace/engine/sources/text/chunk_reader.h"

namespace headrace::engine {

namespace {

// A line without its line end; empty for a line that holds nothing but "\r".
std::string_view StripCarriageReturn(const char* begin, size_t length) {
  if (length > 0 && begin[length - 1] == '\r') --length;
  return {begin, length};
}

class TextLineReader : public RecordFileReader {
 public:
  TextLineReader(std::unique_ptr<DataFile> file, int64_t chunk_bytes)
      : chunks_(std::move(file), chunk_bytes) {}

  Status ReadRows(int64_t max_rows, RowBlock* block, bool* end) override {
    // An error after some rows of this call: those rows go out first, the error next call
    // (the op drops the rows of a call that fails).
    if (!pending_.ok()) return pending_;
    const size_t before = block->size();
    Status status = ReadSomeRows(max_rows, block, end);
    if (!status.ok() && block->size() > before) {
      pending_ = std::move(status);
      *end = false;
      return Status::OK();
    }
    return status;
  }

  Status SkipRows(int64_t count, bool* end) override {
    return Lines(count, end, [](std::string_view) { return Status::OK(); });
  }

 private:
  Status ReadSomeRows(int64_t max_rows, RowBlock* block, bool* end) {
    return Lines(max_rows, end, [&](std::string_view line) -> Status {
      if (!utf8::IsValid(line)) {
        return Status::DataLoss(chunks_.path() + " line " + std::to_string(line_number_) +
                                " is not valid UTF-8 text");
      }
      ASSIGN_OR_RETURN(TensorPtr text, Tensor::FromStrings(DataType::kString, {}, {line}));
      TensorRow row;
      row.push_back(std::move(text));
      block->push_back(std::move(row));
      return Status::OK();
    });
  }

  // Calls `take(line)` for up to `max_rows` non-empty lines; sets *end when the file has
  // no more of them.
  template <class Take>
  Status Lines(int64_t max_rows, bool* end, Take take) {
    *end = false;
    int64_t taken = 0;
    size_t searched = 0;  // bytes at the window's start known to hold no "\n"
    while (taken < max_rows) {
      const char* window = chunks_.data();
      const size_t size = chunks_.size();
      const void* newline =
          size > searched ? std::memchr(window + searched, '\n', size - searched) : nullptr;
      std::string_view line;
      if (newline != nullptr) {
        const size_t length = static_cast<size_t>(static_cast<const char*>(newline) - window);
        line = StripCarriageReturn(window, length);
        chunks_.Consume(length + 1);
        searched = 0;
      } else {
        // The line goes on past the window: read more, unless the file is all here. Fill
        // keeps the window's bytes (it may move them), so what was searched stays searched.
        searched = size;
        ASSIGN_OR_RETURN(bool more, chunks_.Fill());
        if (more) continue;
        if (chunks_.size() == 0) {
          *end = true;
          return Status::OK();
        }
        // The last line, without a line end.
        line = StripCarriageReturn(chunks_.data(), chunks_.size());
        chunks_.Consume(chunks_.size());
        searched = 0;
      }
      ++line_number_;
      if (line.empty()) continue;
      RETURN_IF_ERROR(take(line));
      ++taken;
    }
    // Tell the caller now when nothing is left, rather than on its next call.
    if (chunks_.size() == 0) {
      ASSIGN_OR_RETURN(bool more, chunks_.Fill());
      if (!more) *end = true;
    }
    return Status::OK();
  }

  ChunkReader chunks_;
  int64_t line_number_ = 0;  // of the last line read
  Status pending_;            // an error to return on the next call
};

}  // namespace

Result<std::unique_ptr<RecordFileReader>> TextLineFormat::Open(const std::string& path) const {
  ASSIGN_OR_RETURN(std::unique_ptr<DataFile> file, DataFile::Open(path));
  return std::unique_ptr<RecordFileReader>(new TextLineReader(std::move(file), chunk_bytes_));
}

Result<int64_t> TextLineFormat::CountRows(const std::string& path) const {
  ASSIGN_OR_RETURN(std::unique_ptr<DataFile> file, DataFile::Open(path));
  ChunkReader chunks(std::move(file), chunk_bytes_);
  int64_t rows = 0;
  // Whether the current line (the bytes since the last "\n") has text: any byte, except
  // that a lone "\r" before the "\n" is only a line end.
  size_t line_bytes = 0;
  bool line_is_cr = false;
  while (true) {
    ASSIGN_OR_RETURN(bool more, chunks.Fill());
    if (!more) break;
    const char* p = chunks.data();
    const char* const stop = p + chunks.size();
    while (p < stop) {
      const char* newline = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(stop - p)));
      const char* line_end = newline != nullptr ? newline : stop;
      const size_t piece = static_cast<size_t>(line_end - p);
      if (piece > 0) {
        line_is_cr = (line_bytes + piece == 1 && *p == '\r');
        line_bytes += piece;
      }
      if (newline == nullptr) break;
      if (line_bytes > 0 && !line_is_cr) ++rows;
      line_bytes = 0;
      line_is_cr = false;
      p = newline + 1;
    }
    chunks.Consume(chunks.size());
  }
  if (line_bytes > 0 && !line_is_cr) ++rows;
  return rows;
}

}  // namespace headrace::engine
