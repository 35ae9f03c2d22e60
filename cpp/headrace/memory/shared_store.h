// SharedStore: one allocator over one shared-memory segment, usable from every process
// that maps it.
//
// Python worker processes put their results here and the engine reads them in place; the
// cache server keeps its data and channel objects here. A block is named by its offset in
// the segment, which means the same bytes in every process: pass the offset through a
// pipe or a queue and the receiver reads data(offset) without a copy.
//
// All allocator state lives inside the segment (a header at offset 0, a 64-byte header in
// front of every block; offsets, never pointers; see detail/store_layout.h), so any process
// can allocate and free. Every data area is 64-byte aligned. Free blocks are kept in
// segregated lists by size class and merged with both neighbours on free, so Allocate and
// Free cost a few bit operations and list updates, not a scan of all blocks.
//
// Lifetime of a block: Allocate gives it reference count 1; AddRef adds readers (from any
// process); Release drops one, and the last Release frees it. Adopt wraps a block in a
// headrace::Buffer that owns one reference, so a Tensor can point into shared memory.
//
// Pages are reserved lazily (SharedSegment::Reserve) as the used region grows, in steps of
// kReserveStep or the request, whichever is larger; if the filesystem runs out, Allocate
// fails with ResourceExhausted rather than the process dying of SIGBUS.
//
// Threading and processes: every method is safe from any thread of any process that maps
// the segment. One lock (a process-shared, robust pthread mutex in the header) guards the
// free lists and statistics; reference counts are lock-free atomics. If a process dies
// holding the lock, the next locker repairs what it can (see Lock() in shared_store.cc):
// the free lists and statistics are rebuilt from the blocks. It cannot give back blocks
// that a dead process still referenced: those stay allocated until the segment goes.
// A forked child may keep using an inherited SharedStore; the mapping is shared.
//
// Ownership: made only through Create/Attach as a std::shared_ptr; it owns its mapping
// and fd. Buffers from Adopt hold the store, so the mapping outlives every buffer.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "headrace/core/buffer.h"
#include "headrace/core/result.h"
#include "headrace/core/status.h"
#include "headrace/memory/shared_segment.h"

namespace headrace::memory {

namespace detail {
struct StoreHeader;
}  // namespace detail

class SharedStore : public std::enable_shared_from_this<SharedStore> {
 public:
  // Every data area starts on this boundary.
  static constexpr int64_t kAlignment = 64;
  // The in-band header in front of every block, which capacity cannot be used for.
  static constexpr int64_t kBlockOverhead = 64;
  // Pages are reserved at least this much at a time.
  static constexpr int64_t kReserveStep = int64_t{16} << 20;

  // A consistent snapshot of the statistics (taken under the lock). Sizes are data bytes:
  // the block headers count in none of them.
  struct Statistics {
    int64_t capacity = 0;            // Bytes of the segment.
    int64_t used_bytes = 0;          // Data bytes of the allocated blocks.
    int64_t free_bytes = 0;          // Data bytes of the free blocks.
    int64_t largest_free_block = 0;  // The largest size one Allocate can get now.
    int64_t num_blocks = 0;          // Allocated and free.
    int64_t num_free_blocks = 0;
    int64_t reserved_bytes = 0;      // Bytes whose pages are reserved.
  };

  // A new store over a new segment of `capacity` bytes in `directory` (see SharedSegment).
  // InvalidArgument when capacity is too small for the header and one block (named
  // `capacity`); ResourceExhausted when the filesystem lacks room.
  static Result<std::shared_ptr<SharedStore>> Create(
      int64_t capacity, const std::string& directory = SharedSegment::kDefaultDirectory);

  // The store in the segment behind `fd` (from another process's fd(), inherited or sent).
  // The fd is duplicated. InvalidArgument when `fd` does not hold a headrace store of this
  // layout version.
  static Result<std::shared_ptr<SharedStore>> Attach(int fd);

  SharedStore(const SharedStore&) = delete;
  SharedStore& operator=(const SharedStore&) = delete;
  ~SharedStore();

  // A block of at least `size` bytes (0 is allowed), reference count 1; returns the offset
  // of its data. InvalidArgument for a negative size; ResourceExhausted when no free block
  // is large enough ("shared-memory store is full: asked ..., largest free block ...") or
  // its pages cannot be reserved; DataLoss when the store was found broken after a crash.
  [[nodiscard]] Result<int64_t> Allocate(int64_t size);

  // One more reference to the live block at `offset`. InvalidArgument when `offset` is not
  // a live block's data offset (FailedPrecondition when its count is already 0).
  [[nodiscard]] Status AddRef(int64_t offset);
  // Drops one reference; the last one frees the block. Errors as AddRef.
  [[nodiscard]] Status Release(int64_t offset);

  // A Buffer over the first `size` bytes of the block at `offset` that takes over ONE
  // reference the caller holds: the buffer's release (when its last BufferPtr goes, on any
  // thread) Releases it. On error the caller keeps its reference. InvalidArgument when
  // `offset` is not a live block or `size` is negative or larger than block_size(offset).
  [[nodiscard]] Result<BufferPtr> Adopt(int64_t offset, int64_t size);

  // The data of the block at `offset`, in this process's mapping; nullptr when `offset`
  // lies outside the heap. No other check: the caller holds a reference.
  uint8_t* data(int64_t offset) const;
  // Usable bytes of the live block at `offset` (at least what was asked, a multiple of 64).
  [[nodiscard]] Result<int64_t> block_size(int64_t offset) const;

  // This process's fd of the segment: give it to another process to Attach.
  int fd() const;
  int64_t capacity() const;
  int64_t used_bytes() const { return GetStatistics().used_bytes; }
  int64_t free_bytes() const { return GetStatistics().free_bytes; }
  int64_t largest_free_block() const { return GetStatistics().largest_free_block; }
  int64_t num_blocks() const { return GetStatistics().num_blocks; }
  Statistics GetStatistics() const;

  // Walks every block and checks the allocator's invariants; DataLoss naming the first
  // broken one. O(blocks): for tests and debugging.
  [[nodiscard]] Status CheckConsistency() const;

 private:
  friend class SharedStoreTestPeer;  // Tests: reach the header to simulate a crash.
  class LockGuard;

  explicit SharedStore(std::unique_ptr<SharedSegment> segment);

  // Lets a reference-count operation reject offsets that are not live blocks.
  Status CheckLiveBlock(int64_t offset, const char* operation) const;
  // Reserves pages up to `end` for an allocation of `size` bytes (under the lock).
  Status ReserveUpTo(int64_t end, int64_t size);
  Status FullError(int64_t size) const;

  // Immutable after construction; what they point at is shared memory guarded by the lock
  // inside it (header_->mutex).
  const std::unique_ptr<SharedSegment> segment_;
  uint8_t* const base_;
  detail::StoreHeader* const header_;
};

}  // namespace headrace::memory
