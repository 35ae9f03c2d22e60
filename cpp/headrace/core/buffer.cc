#include "headrace/core/buffer.h"

#include <new>
#include <string>

#include "headrace/core/row_memory.h"

namespace headrace {

namespace {
// Cache-line alignment: what NumPy and SIMD code like, and what shared-memory blocks
// will use too, so a tensor's alignment never depends on where its bytes came from.
constexpr int64_t kAlignment = 64;
}  // namespace

Buffer::Buffer(Private, uint8_t* data, int64_t size, bool is_mutable, bool owned,
               ReleaseCallback release)
    : data_(data), size_(size), is_mutable_(is_mutable), owned_(owned),
      release_(std::move(release)) {}

Buffer::~Buffer() {
  if (owned_) {
    FreeRowMemory(data_);
  } else if (release_) {
    release_();
  }
}

Result<std::shared_ptr<Buffer>> Buffer::Allocate(int64_t size) {
  if (size < 0) {
    return Status::InvalidArgument("buffer size must be non-negative, got " +
                                   std::to_string(size));
  }
  // A zero-byte buffer still gets a real address so that NumPy views of empty tensors
  // point somewhere valid.
  void* data = AllocateRowMemory(size == 0 ? 1 : static_cast<size_t>(size), kAlignment);
  if (data == nullptr) {
    return Status::ResourceExhausted("cannot allocate a buffer of " + std::to_string(size) +
                                     " bytes");
  }
  return MakeShared<Buffer>(Private(), static_cast<uint8_t*>(data), size,
                            /*is_mutable=*/true, /*owned=*/true, ReleaseCallback());
}

std::shared_ptr<Buffer> Buffer::Wrap(uint8_t* data, int64_t size, bool is_mutable,
                                     ReleaseCallback release) {
  return MakeShared<Buffer>(Private(), data, size, is_mutable, /*owned=*/false,
                                  std::move(release));
}

}  // namespace headrace
