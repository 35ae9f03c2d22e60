#include "headrace/memory/shared_store.h"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <new>
#include <string>
#include <type_traits>
#include <utility>

#include "headrace/memory/byte_size.h"
#include "headrace/memory/detail/block_heap.h"
#include "headrace/memory/detail/store_layout.h"

namespace headrace::memory {

using detail::BlockHeader;
using detail::BlockHeap;
using detail::StoreHeader;

static_assert(SharedStore::kAlignment == detail::kAlignment, "public and layout constants");
static_assert(SharedStore::kBlockOverhead == detail::kBlockHeaderSize,
              "public and layout constants");
// The header is placed in shared memory and read by other processes: no vtables, no
// pointers, one layout for every compiler that builds this code.
static_assert(std::is_standard_layout_v<StoreHeader>, "the store header is shared memory");

namespace {

constexpr int64_t kHeapBegin =
    (static_cast<int64_t>(sizeof(StoreHeader)) + detail::kAlignment - 1) / detail::kAlignment *
    detail::kAlignment;

}  // namespace

// Holds the store lock. Taking it is where a dead holder is noticed and repaired: the
// robust mutex tells us the previous owner died, possibly in the middle of a split or a
// merge. The repair (BlockHeap::Rebuild) walks the blocks by size and rebuilds the free
// lists, prev_size links and statistics, which is everything a half-done operation can
// leave inconsistent (see block_heap.cc). What it cannot repair: blocks the dead process
// held references to stay allocated (a used block looks the same whether its owner lives
// or not), and a chain broken by something other than our own code (a stray write into
// the segment) marks the store corrupt, after which allocating and freeing fail with
// DataLoss.
class SharedStore::LockGuard {
 public:
  static Result<LockGuard> Acquire(const SharedStore& store) {
    StoreHeader* header = store.header_;
    ASSIGN_OR_RETURN(const bool owner_died, header->mutex.Lock());
    if (owner_died) {
      if (header->corrupt == 0 && !BlockHeap(store.base_, header).Rebuild()) {
        header->corrupt = 1;
      }
      header->mutex.MarkConsistent();
    }
    return LockGuard(store.base_, header);
  }

  LockGuard(LockGuard&& other) noexcept
      : base_(other.base_), header_(std::exchange(other.header_, nullptr)) {}
  LockGuard(const LockGuard&) = delete;
  LockGuard& operator=(const LockGuard&) = delete;
  LockGuard& operator=(LockGuard&&) = delete;
  ~LockGuard() {
    if (header_ != nullptr) header_->mutex.Unlock();
  }

  BlockHeap heap() const { return BlockHeap(base_, header_); }
  // DataLoss once a repair has found the blocks broken.
  Status CheckNotCorrupt() const {
    if (header_->corrupt == 0) return Status::OK();
    return Status::DataLoss(
        "shared-memory store is corrupt: a process died while changing it and its blocks "
        "could not be repaired; make a new store");
  }

 private:
  LockGuard(uint8_t* base, StoreHeader* header) : base_(base), header_(header) {}

  uint8_t* base_;
  StoreHeader* header_;
};

SharedStore::SharedStore(std::unique_ptr<SharedSegment> segment)
    : segment_(std::move(segment)),
      base_(segment_->data()),
      header_(std::launder(reinterpret_cast<StoreHeader*>(segment_->data()))) {}

SharedStore::~SharedStore() = default;

Result<std::shared_ptr<SharedStore>> SharedStore::Create(int64_t capacity,
                                                         const std::string& directory) {
  const int64_t min_capacity = kHeapBegin + detail::kMinBlockSize;
  if (capacity < min_capacity) {
    return Status::InvalidArgument(
        "shared-memory store capacity must be at least " + std::to_string(min_capacity) +
        " bytes (its header and one block), got " + std::to_string(capacity));
  }
  ASSIGN_OR_RETURN(std::unique_ptr<SharedSegment> segment,
                   SharedSegment::Create(capacity, directory));
  // The header and the first block header are written now, so their pages come first; the
  // rest is reserved as blocks are handed out.
  const int64_t reserved =
      std::min(capacity, std::max(kHeapBegin + detail::kBlockHeaderSize, kReserveStep));
  RETURN_IF_ERROR(segment->Reserve(0, reserved));

  auto* header = new (segment->data()) StoreHeader{};
  header->version = detail::kStoreVersion;
  header->header_size = sizeof(StoreHeader);
  header->capacity = capacity;
  header->heap_begin = kHeapBegin;
  header->heap_end = capacity / detail::kAlignment * detail::kAlignment;
  header->reserved_end.store(reserved, std::memory_order_relaxed);
  RETURN_IF_ERROR(header->mutex.Init());
  BlockHeap(segment->data(), header).Format();
  // Last: a header with the magic is a complete one.
  std::atomic_thread_fence(std::memory_order_release);
  header->magic = detail::kStoreMagic;
  return std::shared_ptr<SharedStore>(new SharedStore(std::move(segment)));
}

Result<std::shared_ptr<SharedStore>> SharedStore::Attach(int fd) {
  ASSIGN_OR_RETURN(std::unique_ptr<SharedSegment> segment, SharedSegment::Attach(fd));
  const std::string not_a_store =
      "fd " + std::to_string(fd) + " is not a headrace shared-memory store: ";
  if (segment->capacity() < kHeapBegin + detail::kMinBlockSize) {
    return Status::InvalidArgument(not_a_store + "it holds only " +
                                   std::to_string(segment->capacity()) + " bytes");
  }
  const auto* header = std::launder(reinterpret_cast<const StoreHeader*>(segment->data()));
  if (header->magic != detail::kStoreMagic) {
    return Status::InvalidArgument(not_a_store + "no store header at its start");
  }
  std::atomic_thread_fence(std::memory_order_acquire);
  if (header->version != detail::kStoreVersion ||
      header->header_size != sizeof(StoreHeader)) {
    return Status::InvalidArgument(
        not_a_store + "its layout is version " + std::to_string(header->version) + " with a " +
        std::to_string(header->header_size) + "-byte header, this build reads version " +
        std::to_string(detail::kStoreVersion) + " with a " +
        std::to_string(sizeof(StoreHeader)) + "-byte header");
  }
  if (header->capacity != segment->capacity() || header->heap_begin != kHeapBegin ||
      header->heap_end > header->capacity) {
    return Status::InvalidArgument(not_a_store + "its header says capacity " +
                                   std::to_string(header->capacity) + ", the segment has " +
                                   std::to_string(segment->capacity()) + " bytes");
  }
  return std::shared_ptr<SharedStore>(new SharedStore(std::move(segment)));
}

Result<int64_t> SharedStore::Allocate(int64_t size) {
  if (size < 0) {
    return Status::InvalidArgument(
        "shared-memory store: Allocate size must be non-negative, got " +
        std::to_string(size));
  }
  ASSIGN_OR_RETURN(LockGuard lock, LockGuard::Acquire(*this));
  RETURN_IF_ERROR(lock.CheckNotCorrupt());
  // Larger than the whole heap: refused before BlockSizeFor could overflow.
  if (size > header_->heap_end - header_->heap_begin - kBlockOverhead) return FullError(size);
  BlockHeap heap = lock.heap();
  const int64_t block_size = BlockHeap::BlockSizeFor(size);
  const int64_t offset = heap.FindFree(block_size);
  if (offset == 0) return FullError(size);
  RETURN_IF_ERROR(ReserveUpTo(heap.ReserveEndForTake(offset, block_size), size));
  heap.Take(offset, block_size);
  return offset + kBlockOverhead;
}

Status SharedStore::AddRef(int64_t offset) {
  RETURN_IF_ERROR(CheckLiveBlock(offset, "AddRef"));
  std::atomic<int32_t>& count = BlockHeap(base_, header_).At(offset - kBlockOverhead)->ref_count;
  int32_t current = count.load(std::memory_order_relaxed);
  do {
    // A count of 0 means the block is being freed: resurrecting it would hand out memory
    // that is about to be reused.
    if (current <= 0 || current == INT32_MAX) {
      return Status::FailedPrecondition("shared-memory store: cannot AddRef block at offset " +
                                        std::to_string(offset) + " with reference count " +
                                        std::to_string(current));
    }
  } while (!count.compare_exchange_weak(current, current + 1, std::memory_order_relaxed));
  return Status::OK();
}

Status SharedStore::Release(int64_t offset) {
  RETURN_IF_ERROR(CheckLiveBlock(offset, "Release"));
  BlockHeader* block = BlockHeap(base_, header_).At(offset - kBlockOverhead);
  int32_t current = block->ref_count.load(std::memory_order_relaxed);
  do {
    if (current <= 0) {
      return Status::FailedPrecondition("shared-memory store: block at offset " +
                                        std::to_string(offset) +
                                        " released more often than referenced");
    }
    // acq_rel: whoever frees sees every other holder's writes to the block, so none of
    // them can land after the block has been handed to someone else.
  } while (!block->ref_count.compare_exchange_weak(current, current - 1,
                                                   std::memory_order_acq_rel,
                                                   std::memory_order_relaxed));
  if (current > 1) return Status::OK();
  ASSIGN_OR_RETURN(LockGuard lock, LockGuard::Acquire(*this));
  RETURN_IF_ERROR(lock.CheckNotCorrupt());
  lock.heap().Free(offset - kBlockOverhead);
  return Status::OK();
}

Result<BufferPtr> SharedStore::Adopt(int64_t offset, int64_t size) {
  ASSIGN_OR_RETURN(const int64_t usable, block_size(offset));
  if (size < 0 || size > usable) {
    return Status::InvalidArgument("shared-memory store: cannot adopt " + std::to_string(size) +
                                   " bytes of the block at offset " + std::to_string(offset) +
                                   ", which holds " + std::to_string(usable) +
                                   " (size must be in [0, block size])");
  }
  // The callback holds the store, so the mapping stays while any buffer points into it;
  // Release can fail only on a broken store or a caller's double release, and a buffer's
  // release has no one to report to.
  return Buffer::Wrap(base_ + offset, size, /*is_mutable=*/true,
                      [store = shared_from_this(), offset] {
                        store->Release(offset).IgnoreError();
                      });
}

uint8_t* SharedStore::data(int64_t offset) const {
  if (offset < header_->heap_begin + kBlockOverhead || offset >= header_->heap_end) {
    return nullptr;
  }
  return base_ + offset;
}

Result<int64_t> SharedStore::block_size(int64_t offset) const {
  RETURN_IF_ERROR(CheckLiveBlock(offset, "block_size"));
  return BlockHeap(base_, header_).At(offset - kBlockOverhead)->size - kBlockOverhead;
}

int SharedStore::fd() const { return segment_->fd(); }

int64_t SharedStore::capacity() const { return segment_->capacity(); }

SharedStore::Statistics SharedStore::GetStatistics() const {
  Statistics stats;
  stats.capacity = capacity();
  stats.reserved_bytes = header_->reserved_end.load(std::memory_order_acquire);
  Result<LockGuard> lock = LockGuard::Acquire(*this);
  // Statistics have no error to report; zeros say enough. A corrupt store's free lists
  // may hold anything, so they are not walked.
  if (!lock.ok() || header_->corrupt != 0) return stats;
  stats.used_bytes = header_->used_bytes;
  stats.free_bytes = header_->free_bytes;
  stats.largest_free_block = lock->heap().LargestFreeDataSize();
  stats.num_blocks = header_->num_blocks;
  stats.num_free_blocks = header_->num_free_blocks;
  return stats;
}

Status SharedStore::CheckConsistency() const {
  ASSIGN_OR_RETURN(LockGuard lock, LockGuard::Acquire(*this));
  RETURN_IF_ERROR(lock.CheckNotCorrupt());
  return lock.heap().Check();
}

Status SharedStore::CheckLiveBlock(int64_t offset, const char* operation) const {
  // Without the lock: the state of a block the caller holds a reference to cannot change
  // under it. For an offset the caller has no reference to, this is a best-effort check.
  const BlockHeap heap(base_, header_);
  const int64_t block = offset - kBlockOverhead;
  if (!heap.LooksLikeBlock(block) || heap.At(block)->state != detail::kBlockUsed) {
    return Status::InvalidArgument(std::string("shared-memory store: ") + operation +
                                   ": offset " + std::to_string(offset) +
                                   " is not an allocated block of this store");
  }
  return Status::OK();
}

Status SharedStore::ReserveUpTo(int64_t end, int64_t size) {
  const int64_t reserved = header_->reserved_end.load(std::memory_order_relaxed);
  if (end <= reserved) return Status::OK();
  // A step at a time, so that growing by many small blocks does not cost a system call
  // each; if the step does not fit, only what this block needs.
  const int64_t step_end = std::min(capacity(), std::max(end, reserved + kReserveStep));
  int64_t new_end = step_end;
  Status status = segment_->Reserve(reserved, step_end - reserved);
  if (!status.ok() && step_end > end) {
    new_end = end;
    status = segment_->Reserve(reserved, end - reserved);
  }
  RETURN_IF_ERROR(status.WithContext("shared-memory store cannot grow to hold " +
                                     FormatBytes(size)));
  header_->reserved_end.store(new_end, std::memory_order_release);
  return Status::OK();
}

Status SharedStore::FullError(int64_t size) const {
  const BlockHeap heap(base_, header_);
  return Status::ResourceExhausted(
      "shared-memory store is full: asked " + FormatBytes(size) + ", " +
      FormatBytes(header_->free_bytes) + " of " + FormatBytes(capacity()) +
      " free, largest free block " + FormatBytes(heap.LargestFreeDataSize()));
}

}  // namespace headrace::memory
