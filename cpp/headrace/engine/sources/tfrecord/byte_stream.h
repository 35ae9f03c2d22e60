// ByteStream: the bytes of one TFRecord file front to back, as stored (plain) or inflated
// (GZIP, ZLIB), for the record framing to read from.
//
// The framing asks for what it needs next (a 12-byte header, a record's data) and a stream
// writes straight into the caller's memory: a plain stream with one pread, an inflating
// stream by inflating into it. So a large record is read once, into the buffer that its
// tensors then view, and never through an intermediate chunk.
//
// Errors name the file: a read failure as DataFile reports it, bad compressed data as
// DataLoss "<path>: cannot inflate (compression_type 'GZIP') at byte <n> of the file: ...".
// A stream is used by one thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "headrace/core/result.h"
#include "headrace/engine/sources/data_file.h"

namespace headrace::engine::tfrecord {

enum class Compression : uint8_t { kNone, kGzip, kZlib };

// "" / "GZIP" / "ZLIB" (MindSpore's and TensorFlow's names); InvalidArgument otherwise.
Result<Compression> CompressionFromName(const std::string& name);
const char* CompressionName(Compression compression);

class ByteStream {
 public:
  virtual ~ByteStream() = default;

  // Up to `count` bytes into `destination`; fewer only where the stream ends.
  virtual Result<int64_t> Read(int64_t count, uint8_t* destination) = 0;
  // Passes over up to `count` bytes; returns how many there were (fewer at the end). A
  // plain stream only moves its position: nothing is read.
  virtual Result<int64_t> Skip(int64_t count) = 0;
  // Bytes of the stream read or skipped so far: a record's offset in error messages.
  virtual int64_t position() const = 0;
  // False for a plain file: offsets are the file's own.
  virtual bool is_compressed() const = 0;
  // Bytes [position, position + count) of the file without a copy (see DataFile::View),
  // or null when the stream cannot (a compressed one). Does not move the stream.
  virtual Result<BufferPtr> ViewAt(int64_t position, int64_t count) { return BufferPtr(); }
};

// `file` read as `compression` says. The stream owns the file.
std::unique_ptr<ByteStream> MakeByteStream(std::unique_ptr<DataFile> file,
                                           Compression compression);
// A plain file's bytes from byte `start` on (a record's header, for reading from a row).
std::unique_ptr<ByteStream> MakePlainByteStreamAt(std::unique_ptr<DataFile> file, int64_t start);

}  // namespace headrace::engine::tfrecord
