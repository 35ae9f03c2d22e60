#include "headrace/engine/sources/text/chunk_reader.h"

#include <cstring>

namespace headrace::engine {

Result<bool> ChunkReader::Fill() {
  if (exhausted_) return false;
  // Move the unconsumed bytes to the front (they are few: a partial line or record),
  // then make room for one more chunk after them.
  const size_t kept = size();
  if (begin_ > 0) {
    if (kept > 0) std::memmove(buffer_.data(), buffer_.data() + begin_, kept);
    begin_ = 0;
    end_ = kept;
  }
  const size_t wanted = static_cast<size_t>(chunk_bytes_);
  if (buffer_.size() < kept + wanted) buffer_.resize(kept + wanted);
  ASSIGN_OR_RETURN(int64_t got, file_->ReadAt(file_offset_, chunk_bytes_,
                                              reinterpret_cast<uint8_t*>(buffer_.data() + end_)));
  file_offset_ += got;
  end_ += static_cast<size_t>(got);
  // A short read is the end of the file (DataFile::ReadAt only returns less at the end).
  if (got < chunk_bytes_) exhausted_ = true;
  return got > 0;
}

}  // namespace headrace::engine
