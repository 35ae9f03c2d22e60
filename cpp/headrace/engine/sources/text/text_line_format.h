// TextLineFormat: a text file as rows of one `text` column, one row per line
// (TextFileDataset).
//
// Lines end with "\n" or "\r\n" (the "\r" is not part of the text); the last line needs no
// line end. Empty lines are no rows, as in MindSpore; a line of spaces is a row. Each
// row's `text` is a 0-d kString tensor. A line that is not valid UTF-8 is DataLoss naming
// the file and the line number (1-based, counting every line, empty ones too).
//
// Differs from MindSpore on purpose: MindSpore keeps the "\r" of "\r\n" in the text.
// Threading: see record_file.h.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "headrace/engine/sources/record_file.h"
#include "headrace/engine/sources/text/chunk_reader.h"

namespace headrace::engine {

class TextLineFormat : public RecordFormat {
 public:
  // `chunk_bytes`: how much a read fetches (tests make it small to cross chunk ends).
  explicit TextLineFormat(int64_t chunk_bytes = ChunkReader::kChunkBytes)
      : names_{"text"}, chunk_bytes_(chunk_bytes) {}

  std::string name() const override { return "TextFile"; }
  const std::vector<std::string>& column_names() const override { return names_; }
  Result<std::unique_ptr<RecordFileReader>> Open(const std::string& path) const override;
  // Counts the non-empty lines, with memchr over big chunks and no UTF-8 check.
  Result<int64_t> CountRows(const std::string& path) const override;

 private:
  const std::vector<std::string> names_;
  const int64_t chunk_bytes_;
};

}  // namespace headrace::engine
