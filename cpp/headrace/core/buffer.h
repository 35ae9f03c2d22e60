// Buffer: a contiguous block of bytes that a Tensor points into.
//
// Buffers are shared through std::shared_ptr: the memory lives until the last Tensor
// (or NumPy array viewing it) lets go. Where the bytes come from depends on how the
// buffer was made:
//   - Allocate(): owned here, 64-byte aligned, freed with the buffer;
//   - Wrap(): owned elsewhere (a NumPy array, later a shared-memory block); the release
//     callback runs exactly once when the last reference goes, on whichever thread drops
//     it, so it must be safe to call from any thread (a callback that touches Python
//     takes the GIL itself).
// A buffer may be read from many threads at once; writing through mutable_data() is the
// creator's business before the buffer is shared.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "headrace/core/result.h"

namespace headrace {

class Buffer {
 public:
  // Runs when the last reference to a wrapped buffer goes.
  using ReleaseCallback = std::function<void()>;

  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;
  ~Buffer();

  // `size` bytes, uninitialised, 64-byte aligned. InvalidArgument for a negative size,
  // ResourceExhausted when the memory cannot be had.
  static Result<std::shared_ptr<Buffer>> Allocate(int64_t size);

  // Memory owned by someone else. `release` (may be empty) runs once when the last
  // reference goes. `is_mutable` false makes mutable_data() return nullptr.
  static std::shared_ptr<Buffer> Wrap(uint8_t* data, int64_t size, bool is_mutable,
                                      ReleaseCallback release);

  const uint8_t* data() const { return data_; }
  // nullptr when the buffer is read-only (e.g. wrapped from a read-only NumPy array).
  uint8_t* mutable_data() { return is_mutable_ ? data_ : nullptr; }
  int64_t size() const { return size_; }
  bool is_mutable() const { return is_mutable_; }
  // True when the bytes were allocated by Allocate() rather than wrapped.
  bool is_owned() const { return owned_; }

  // Where the bytes came from, when a source knows ("/data/cat/1.jpg"); empty otherwise.
  // A transform that finds the bytes bad names it, so that the user can find the file.
  // Set by the creator before the buffer is shared.
  const std::string& origin() const { return origin_; }
  void set_origin(std::string origin) { origin_ = std::move(origin); }

 private:
  // Lets the factories use MakeShared (one allocation for buffer and count) while
  // nobody else can call the constructors.
  struct Private {
    explicit Private() = default;
  };

 public:
  Buffer(Private, uint8_t* data, int64_t size, bool is_mutable, bool owned,
         ReleaseCallback release);

 private:

  uint8_t* data_;
  int64_t size_;
  bool is_mutable_;
  bool owned_;
  ReleaseCallback release_;
  std::string origin_;
};

using BufferPtr = std::shared_ptr<Buffer>;

}  // namespace headrace
