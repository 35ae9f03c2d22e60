// TFRecord framing: a file (or its inflated stream) is a sequence of records, each
//
//   uint64 length | uint32 masked CRC32C of the length's 8 bytes | data | uint32 masked CRC32C of data
//
// little-endian. FramingReader reads them front to back from a ByteStream, checks both CRCs
// and hands out each record's data:
//   - a small record (under kOwnBufferBytes) is read through a 1 MiB chunk buffer, many
//     records per read; its data is a view into that buffer, valid until the next call;
//   - a large record is read straight from the stream into a buffer of its own (one pread
//     for a plain file, with the next record's header read in the same call), which the
//     record hands out so that its tensors may view it instead of copying.
//
// Errors are DataLoss naming the file and the record's byte offset, in the file for a plain
// file and in the inflated stream for a compressed one (the message says which):
//   "/d/a.tfrecord: TFRecord record at byte 4096: the length's CRC does not match (a
//    corrupt header, or not a TFRecord file)"
// One thread uses a reader.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "headrace/core/buffer.h"
#include "headrace/core/result.h"
#include "headrace/engine/sources/tfrecord/byte_stream.h"

namespace headrace::engine::tfrecord {

inline constexpr int64_t kHeaderBytes = 12;  // length and its CRC
inline constexpr int64_t kFooterBytes = 4;   // the data's CRC

// One record's data.
struct Record {
  int64_t offset = 0;  // of its header, in the file or the inflated stream
  const uint8_t* data = nullptr;
  int64_t size = 0;
  // Set for a record read into a buffer of its own: `data` lies in it, and a tensor may
  // keep it alive to view the bytes. Null when `data` is in the reader's chunk.
  BufferPtr owner;
};

class FramingReader {
 public:
  // Records at least this long get a buffer of their own.
  static constexpr int64_t kOwnBufferBytes = 64 << 10;
  static constexpr int64_t kChunkBytes = 1 << 20;
  // A length above this is corrupt whatever the CRC says (protobuf messages stop at 2 GiB).
  static constexpr int64_t kMaxRecordBytes = (int64_t{1} << 31) - 1;

  // `stream` starts at byte `start` of the file (a record's header).
  FramingReader(std::string path, std::unique_ptr<ByteStream> stream, int64_t start = 0);

  // The next record into `*record`, or `*end` when the stream ends cleanly between records.
  Status Next(Record* record, bool* end);
  // Passes over the next record checking only its header: a plain file seeks over the
  // data, a compressed one inflates it. `*end` as for Next.
  Status Skip(bool* end);

  // Reads and checks the first record's header only (a file without records passes):
  // the cheap check made of every file when a dataset is made. Call on a fresh reader.
  Status CheckFirstHeader();

  const std::string& path() const { return path_; }
  // The stream position of the next record's header.
  int64_t offset() const { return offset_; }
  bool is_compressed() const { return stream_->is_compressed(); }

  // DataLoss "<path>: TFRecord record at byte <offset>[ of the inflated stream]: <what>".
  Status RecordError(int64_t offset, const std::string& what) const;

 private:
  int64_t buffered() const { return end_ - begin_; }
  // Reads until `bytes` bytes are buffered (or the stream ends): moves what is left to
  // the front of the chunk and reads up to `want` bytes more.
  Status Fill(int64_t bytes, int64_t want);
  // Reads and checks the next header; `*end` at a clean end of the stream.
  Status ReadHeader(int64_t* offset, int64_t* length, bool* end, int64_t want);
  Status CheckDataCrc(int64_t offset, const uint8_t* data, int64_t length) const;

  const std::string path_;
  std::unique_ptr<ByteStream> stream_;
  std::vector<uint8_t> chunk_;
  int64_t begin_ = 0;  // unread bytes of the chunk: [begin_, end_)
  int64_t end_ = 0;
  // The stream position of chunk_[begin_].
  int64_t offset_ = 0;
  // The size of the record Next read last (how much to read for the next header).
  int64_t last_record_bytes_ = 0;
  // The size of the record Skip passed over last (how much to read for the next header).
  int64_t last_skipped_bytes_ = 0;
};

}  // namespace headrace::engine::tfrecord
