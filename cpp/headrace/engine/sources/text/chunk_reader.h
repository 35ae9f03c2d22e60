// ChunkReader: a text file read front to back in big chunks, for the CSV and text-line
// parsers.
//
// The parsers look at a window of unconsumed bytes, [data(), data() + size()), consume
// what they have parsed and ask for more with Fill() when a line or record does not end
// inside the window. Fill() keeps the unconsumed bytes and appends the next chunk, so a
// record longer than a chunk simply makes the window grow. Reads go through DataFile, so
// failures name the file. Used by one thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "headrace/core/result.h"
#include "headrace/engine/sources/data_file.h"

namespace headrace::engine {

class ChunkReader {
 public:
  // 1 MiB: big enough that a read costs little per byte, small enough to hold per reader.
  static constexpr int64_t kChunkBytes = int64_t{1} << 20;

  explicit ChunkReader(std::unique_ptr<DataFile> file, int64_t chunk_bytes = kChunkBytes)
      : file_(std::move(file)), chunk_bytes_(chunk_bytes) {}

  const std::string& path() const { return file_->path(); }

  const char* data() const { return buffer_.data() + begin_; }
  size_t size() const { return end_ - begin_; }
  // The file offset of data()[0].
  int64_t offset() const { return file_offset_ - static_cast<int64_t>(size()); }
  // True once the whole file has been read into the window (what is left is all there is).
  bool exhausted() const { return exhausted_; }

  // Drops the first `count` bytes of the window (count <= size()).
  void Consume(size_t count) { begin_ += count; }

  // Appends the next chunk of the file to the window; false (window unchanged) when the
  // file has no more bytes.
  Result<bool> Fill();

 private:
  std::unique_ptr<DataFile> file_;
  const int64_t chunk_bytes_;
  std::vector<char> buffer_;
  size_t begin_ = 0;  // window start in buffer_
  size_t end_ = 0;    // window end in buffer_
  int64_t file_offset_ = 0;  // of the byte after the window
  bool exhausted_ = false;
};

}  // namespace headrace::engine
