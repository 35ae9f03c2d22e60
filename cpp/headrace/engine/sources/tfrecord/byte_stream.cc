#include "headrace/engine/sources/tfrecord/byte_stream.h"

#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <vector>

namespace headrace::engine::tfrecord {
namespace {

// Compressed bytes are read from the file in pieces of this size (one pread each).
constexpr int64_t kCompressedChunk = 1 << 20;

class PlainStream : public ByteStream {
 public:
  PlainStream(std::unique_ptr<DataFile> file, int64_t start) : file_(std::move(file)), position_(start) {}

  Result<int64_t> Read(int64_t count, uint8_t* destination) override {
    ASSIGN_OR_RETURN(int64_t got, file_->ReadAt(position_, count, destination));
    position_ += got;
    return got;
  }

  Result<int64_t> Skip(int64_t count) override {
    const int64_t skipped = std::min(count, std::max<int64_t>(file_->size() - position_, 0));
    position_ += skipped;
    return skipped;
  }

  int64_t position() const override { return position_; }
  bool is_compressed() const override { return false; }
  Result<BufferPtr> ViewAt(int64_t position, int64_t count) override {
    // Not mapped in here: the framing's CRC check reads every byte of it right away.
    return file_->View(position, count, "record", /*map_pages=*/false);
  }

 private:
  std::unique_ptr<DataFile> file_;
  int64_t position_;
};

// zlib's inflate over the file, GZIP (window bits 16 + MAX_WBITS: the gzip header and
// trailer) or ZLIB (MAX_WBITS: the zlib ones). A file of several concatenated members, as
// `cat a.gz b.gz` makes, is read as one stream, as gzip -d does.
class InflateStream : public ByteStream {
 public:
  InflateStream(std::unique_ptr<DataFile> file, Compression compression)
      : file_(std::move(file)), compression_(compression) {}

  ~InflateStream() override {
    if (initialised_) inflateEnd(&z_);
  }

  Result<int64_t> Read(int64_t count, uint8_t* destination) override {
    int64_t done = 0;
    while (done < count && !finished_) {
      RETURN_IF_ERROR(Refill());
      if (finished_) break;
      // avail_out is 32-bit: a record over 4 GiB is inflated in pieces.
      const int64_t piece = std::min<int64_t>(count - done, 1 << 30);
      z_.next_out = destination + done;
      z_.avail_out = static_cast<uInt>(piece);
      RETURN_IF_ERROR(Inflate());
      done += piece - static_cast<int64_t>(z_.avail_out);
    }
    position_ += done;
    return done;
  }

  Result<int64_t> Skip(int64_t count) override {
    if (scratch_.empty()) scratch_.resize(64 << 10);
    int64_t done = 0;
    while (done < count) {
      const int64_t piece = std::min<int64_t>(count - done, static_cast<int64_t>(scratch_.size()));
      ASSIGN_OR_RETURN(int64_t got, Read(piece, scratch_.data()));
      done += got;
      if (got < piece) break;
    }
    return done;
  }

  int64_t position() const override { return position_; }
  bool is_compressed() const override { return true; }

 private:
  // Starts zlib on first use and reads the next compressed piece when zlib has used the last.
  Status Refill() {
    if (!initialised_) {
      std::memset(&z_, 0, sizeof(z_));
      const int window = compression_ == Compression::kGzip ? 16 + MAX_WBITS : MAX_WBITS;
      if (inflateInit2(&z_, window) != Z_OK) {
        return Status::ResourceExhausted("cannot start zlib to read " + file_->path());
      }
      initialised_ = true;
      input_.resize(static_cast<size_t>(std::min<int64_t>(kCompressedChunk, std::max<int64_t>(file_->size(), 1))));
    }
    if (z_.avail_in > 0) return Status::OK();
    if (file_offset_ >= file_->size()) {
      // The file ends. Inside a member that is a truncated file; between members the end.
      if (in_member_) return Error("the file ends inside the compressed data");
      finished_ = true;
      return Status::OK();
    }
    ASSIGN_OR_RETURN(int64_t got, file_->ReadAt(file_offset_, static_cast<int64_t>(input_.size()),
                                                 input_.data()));
    if (got == 0) {
      if (in_member_) return Error("the file ends inside the compressed data");
      finished_ = true;
      return Status::OK();
    }
    z_.next_in = input_.data();
    z_.avail_in = static_cast<uInt>(got);
    file_offset_ += got;
    return Status::OK();
  }

  Status Inflate() {
    in_member_ = true;
    const int code = inflate(&z_, Z_NO_FLUSH);
    if (code == Z_STREAM_END) {
      in_member_ = false;
      // Another member may follow; inflateReset reads its header on the next call.
      if (inflateReset(&z_) != Z_OK) return Error("zlib could not restart");
      return Status::OK();
    }
    if (code == Z_OK || code == Z_BUF_ERROR) return Status::OK();
    if (code == Z_MEM_ERROR) return Status::ResourceExhausted("out of memory inflating " + file_->path());
    return Error(z_.msg != nullptr ? z_.msg : "bad compressed data");
  }

  Status Error(const std::string& what) const {
    const int64_t consumed = file_offset_ - static_cast<int64_t>(z_.avail_in);
    return Status::DataLoss(file_->path() + ": cannot inflate (compression_type '" +
                            CompressionName(compression_) + "') at byte " +
                            std::to_string(consumed) + " of the file: " + what);
  }

  std::unique_ptr<DataFile> file_;
  const Compression compression_;
  z_stream z_{};
  bool initialised_ = false;
  bool in_member_ = false;  // inside a gzip/zlib member: its end has not been seen
  bool finished_ = false;
  std::vector<uint8_t> input_;
  std::vector<uint8_t> scratch_;
  int64_t file_offset_ = 0;  // of the next compressed byte to read from the file
  int64_t position_ = 0;     // in the inflated stream
};

}  // namespace

Result<Compression> CompressionFromName(const std::string& name) {
  if (name.empty()) return Compression::kNone;
  if (name == "GZIP") return Compression::kGzip;
  if (name == "ZLIB") return Compression::kZlib;
  return Status::InvalidArgument("compression_type must be '', 'GZIP' or 'ZLIB', got '" + name + "'");
}

const char* CompressionName(Compression compression) {
  switch (compression) {
    case Compression::kNone:
      return "";
    case Compression::kGzip:
      return "GZIP";
    case Compression::kZlib:
      return "ZLIB";
  }
  return "?";
}

std::unique_ptr<ByteStream> MakeByteStream(std::unique_ptr<DataFile> file,
                                           Compression compression) {
  if (compression == Compression::kNone) return std::make_unique<PlainStream>(std::move(file), 0);
  return std::make_unique<InflateStream>(std::move(file), compression);
}

std::unique_ptr<ByteStream> MakePlainByteStreamAt(std::unique_ptr<DataFile> file, int64_t start) {
  return std::make_unique<PlainStream>(std::move(file), start);
}

}  // namespace headrace::engine::tfrecord
