#include "headrace/engine/sources/tfrecord/tfrecord_framing.h"

#include <algorithm>
#include <cstring>

#include "headrace/engine/sources/tfrecord/crc32c.h"

namespace headrace::engine::tfrecord {
namespace {

// Skipping reads headers with small reads: a plain file's large records are then seeked
// over rather than read (CountRows of 100 KB records reads about a tenth of the file).
constexpr int64_t kSkipChunkBytes = 16 << 10;

uint64_t LoadLittle64(const uint8_t* p) {
  uint64_t value = 0;
  for (int i = 7; i >= 0; --i) value = (value << 8) | p[i];
  return value;
}

uint32_t LoadLittle32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) | (static_cast<uint32_t>(p[1]) << 8) |
         (static_cast<uint32_t>(p[2]) << 16) | (static_cast<uint32_t>(p[3]) << 24);
}

}  // namespace

FramingReader::FramingReader(std::string path, std::unique_ptr<ByteStream> stream, int64_t start)
    : path_(std::move(path)), stream_(std::move(stream)), offset_(start) {}

Status FramingReader::RecordError(int64_t offset, const std::string& what) const {
  return Status::DataLoss(path_ + ": TFRecord record at byte " + std::to_string(offset) +
                          (stream_->is_compressed() ? " of the inflated stream" : "") + ": " +
                          what);
}

Status FramingReader::Fill(int64_t bytes, int64_t want) {
  if (buffered() >= bytes) return Status::OK();
  const int64_t kept = buffered();
  if (kept > 0 && begin_ > 0) std::memmove(chunk_.data(), chunk_.data() + begin_, static_cast<size_t>(kept));
  begin_ = 0;
  end_ = kept;
  const int64_t target = std::max(bytes, want);
  if (static_cast<int64_t>(chunk_.size()) < target) chunk_.resize(static_cast<size_t>(target));
  ASSIGN_OR_RETURN(int64_t got, stream_->Read(target - end_, chunk_.data() + end_));
  end_ += got;
  return Status::OK();
}

Status FramingReader::ReadHeader(int64_t* offset, int64_t* length, bool* end, int64_t want) {
  *end = false;
  RETURN_IF_ERROR(Fill(kHeaderBytes, want));
  if (buffered() == 0) {
    *end = true;
    return Status::OK();
  }
  if (buffered() < kHeaderBytes) {
    return RecordError(offset_, "the file ends inside the record's header: " +
                                    std::to_string(kHeaderBytes) + " bytes wanted, " +
                                    std::to_string(buffered()) + " there");
  }
  const uint8_t* header = chunk_.data() + begin_;
  const uint64_t value = LoadLittle64(header);
  if (MaskedCrc32c(header, 8) != LoadLittle32(header + 8)) {
    std::string what = "the length's CRC does not match (a corrupt header, or not a TFRecord file";
    if (offset_ == 0 && !stream_->is_compressed() && header[0] == 0x1f && header[1] == 0x8b) {
      what += "; it starts as a GZIP file does: compression_type='GZIP'?";
    } else if (offset_ == 0 && !stream_->is_compressed()) {
      what += "; or compressed: compression_type 'GZIP' or 'ZLIB'?";
    }
    return RecordError(offset_, what + ")");
  }
  if (value > static_cast<uint64_t>(kMaxRecordBytes)) {
    return RecordError(offset_, "bad length " + std::to_string(value) + " (over 2 GiB)");
  }
  *offset = offset_;
  *length = static_cast<int64_t>(value);
  begin_ += kHeaderBytes;
  offset_ += kHeaderBytes;
  return Status::OK();
}

Status FramingReader::CheckDataCrc(int64_t offset, const uint8_t* data, int64_t length) const {
  if (MaskedCrc32c(data, static_cast<size_t>(length)) != LoadLittle32(data + length)) {
    return RecordError(offset, "the data's CRC does not match (corrupt data)");
  }
  return Status::OK();
}

Status FramingReader::Next(Record* record, bool* end) {
  int64_t offset = 0;
  int64_t length = 0;
  // After a large record, read just the next header: its data, if large too, is viewed
  // or read into its own buffer, not copied through the chunk.
  RETURN_IF_ERROR(ReadHeader(&offset, &length, end,
                             last_record_bytes_ < kOwnBufferBytes ? kChunkBytes : kHeaderBytes));
  if (*end) return Status::OK();
  const int64_t total = length + kFooterBytes;
  last_record_bytes_ = total;
  auto truncated = [&](int64_t there) {
    return RecordError(offset, "the file ends inside the record: " + std::to_string(total) +
                                   " bytes of data and CRC wanted, " + std::to_string(there) +
                                   " there");
  };

  if (length < kOwnBufferBytes) {
    RETURN_IF_ERROR(Fill(total, kChunkBytes));
    if (buffered() < total) return truncated(buffered());
    const uint8_t* data = chunk_.data() + begin_;
    RETURN_IF_ERROR(CheckDataCrc(offset, data, length));
    *record = Record{offset, data, length, nullptr};
    begin_ += total;
    offset_ += total;
    return Status::OK();
  }

  // A plain file: the record viewed in the mapped file, checked, and passed over. (A
  // record that passes the end of the file, or a file that cannot be mapped, takes the
  // path below, which reads and reports it.)
  Result<BufferPtr> viewed = stream_->ViewAt(offset + kHeaderBytes, total);
  if (viewed.ok() && *viewed != nullptr) {
    BufferPtr view = std::move(*viewed);
    const int64_t from_chunk = std::min(buffered(), total);
    begin_ += from_chunk;
    ASSIGN_OR_RETURN(int64_t skipped, stream_->Skip(total - from_chunk));
    if (skipped < total - from_chunk) return truncated(from_chunk + skipped);
    offset_ += total;
    RETURN_IF_ERROR(CheckDataCrc(offset, view->data(), length));
    *record = Record{offset, view->data(), length, std::move(view)};
    return Status::OK();
  }

  // A buffer of its own, with room for the next header so that one read fetches both.
  ASSIGN_OR_RETURN(BufferPtr buffer, Buffer::Allocate(total + kHeaderBytes));
  uint8_t* data = buffer->mutable_data();
  const int64_t from_chunk = std::min(buffered(), total);
  std::memcpy(data, chunk_.data() + begin_, static_cast<size_t>(from_chunk));
  begin_ += from_chunk;
  const int64_t rest = total - from_chunk;
  if (rest > 0) {
    // The chunk is empty now; whatever is read past this record goes back into it.
    ASSIGN_OR_RETURN(int64_t got, stream_->Read(rest + kHeaderBytes, data + from_chunk));
    if (got < rest) return truncated(from_chunk + got);
    const int64_t extra = got - rest;
    if (static_cast<int64_t>(chunk_.size()) < kHeaderBytes) chunk_.resize(kChunkBytes);
    std::memcpy(chunk_.data(), data + total, static_cast<size_t>(extra));
    begin_ = 0;
    end_ = extra;
  }
  offset_ += total;
  RETURN_IF_ERROR(CheckDataCrc(offset, data, length));
  *record = Record{offset, data, length, std::move(buffer)};
  return Status::OK();
}

Status FramingReader::CheckFirstHeader() {
  int64_t offset = 0;
  int64_t length = 0;
  bool end = false;
  return ReadHeader(&offset, &length, &end, kHeaderBytes);
}

Status FramingReader::Skip(bool* end) {
  int64_t offset = 0;
  int64_t length = 0;
  // Small records: one read brings many headers. Large ones: read just the next header,
  // not the start of its data.
  const int64_t want = last_skipped_bytes_ < kSkipChunkBytes ? kSkipChunkBytes : kHeaderBytes;
  RETURN_IF_ERROR(ReadHeader(&offset, &length, end, want));
  if (*end) return Status::OK();
  const int64_t total = length + kFooterBytes;
  last_skipped_bytes_ = total;
  const int64_t from_chunk = std::min(buffered(), total);
  begin_ += from_chunk;
  const int64_t rest = total - from_chunk;
  if (rest > 0) {
    ASSIGN_OR_RETURN(int64_t skipped, stream_->Skip(rest));
    if (skipped < rest) {
      return RecordError(offset, "the file ends inside the record: " + std::to_string(total) +
                                     " bytes of data and CRC wanted, " +
                                     std::to_string(from_chunk + skipped) + " there");
    }
  }
  offset_ += total;
  return Status::OK();
}

}  // namespace headrace::engine::tfrecord
