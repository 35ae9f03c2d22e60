// Helpers of the TFRecord tests: records framed as TensorFlow frames them, written to
// temporary files, plain or compressed with zlib.
#pragma once

#include <unistd.h>
#include <zlib.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "headrace/engine/sources/tfrecord/crc32c.h"

namespace headrace::engine::tfrecord::testing {

inline std::string Little(uint64_t value, int bytes) {
  std::string out;
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
  return out;
}

inline uint32_t Masked(const std::string& bytes) {
  return MaskedCrc32c(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
}

// One record: length, its masked CRC, data, the data's masked CRC.
inline std::string Frame(const std::string& data) {
  const std::string length = Little(data.size(), 8);
  return length + Little(Masked(length), 4) + data + Little(Masked(data), 4);
}

inline std::string FrameAll(const std::vector<std::string>& records) {
  std::string out;
  for (const std::string& record : records) out += Frame(record);
  return out;
}

// `bytes` deflated as GZIP (window bits 16 + 15) or ZLIB (15).
inline std::string Deflate(const std::string& bytes, bool gzip) {
  z_stream z{};
  deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, gzip ? 16 + MAX_WBITS : MAX_WBITS, 8,
               Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, bytes.size()) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  z.avail_in = static_cast<uInt>(bytes.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

// A temporary file holding `contents`, removed when this goes.
class TempFile {
 public:
  explicit TempFile(const std::string& contents) {
    char path[] = "/tmp/headrace-tfrecord-XXXXXX";
    const int fd = mkstemp(path);
    size_t done = 0;
    while (fd >= 0 && done < contents.size()) {
      const ssize_t n = write(fd, contents.data() + done, contents.size() - done);
      if (n <= 0) break;
      done += static_cast<size_t>(n);
    }
    if (fd >= 0) close(fd);
    path_ = path;
  }
  ~TempFile() { std::remove(path_.c_str()); }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace headrace::engine::tfrecord::testing
