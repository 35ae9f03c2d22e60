// The bytes of a SharedStore segment: its header and its blocks. Private to memory/.
//
//   offset 0            StoreHeader (magic, version, sizes, lock, free lists, statistics)
//   heap_begin          block | block | ... | block      (contiguous, together up to heap_end)
//   block               BlockHeader (64 bytes) then the data (a multiple of 64 bytes)
//
// Everything is addressed by offset from the start of the segment, never by pointer:
// each process maps the segment at its own address. Offset 0 is the store header, so 0
// doubles as "no block" in the free-list links. Every block starts on a 64-byte boundary
// and its header is 64 bytes, so every data area is 64-byte aligned in every process
// (mmap returns page-aligned addresses).
//
// Blocks are walkable from heap_begin by their sizes; prev_size finds the block before,
// so a freed block merges with both neighbours in O(1). Free blocks sit in segregated
// doubly-linked lists by size class (see SizeClass below), with a bitmap of the non-empty
// classes, as in TLSF: finding a fitting block costs a few bit operations, not a scan.
//
// Changing any struct here changes kStoreVersion: processes built from different layouts
// must refuse to share a segment.
#pragma once

#include <atomic>
#include <cstdint>

#include "headrace/core/thread_annotations.h"
#include "headrace/memory/detail/robust_mutex.h"

namespace headrace::memory::detail {

constexpr uint64_t kStoreMagic = 0x31726f7473726468ULL;  // "hdrstor1" in memory order.
constexpr uint32_t kStoreVersion = 1;
constexpr uint32_t kBlockMagic = 0x6b6c6268U;  // "hblk".

constexpr int64_t kAlignment = 64;
constexpr int64_t kBlockHeaderSize = 64;
// The smallest data area: Allocate(0) gets one, and a split never leaves less.
constexpr int64_t kMinDataSize = 64;
constexpr int64_t kMinBlockSize = kBlockHeaderSize + kMinDataSize;

enum BlockState : uint32_t { kBlockFree = 0x46524545U, kBlockUsed = 0x55534544U };

struct BlockHeader {
  uint32_t magic;  // kBlockMagic: catches an offset that does not point at a block.
  uint32_t state;  // kBlockFree or kBlockUsed; changed only under the store lock.
  // References held by readers; 1 after Allocate, the block is freed when it drops to 0.
  // Changed without the lock by AddRef/Release, hence atomic (and lock-free, so that it
  // works between processes).
  std::atomic<int32_t> ref_count;
  int32_t unused;
  int64_t size;       // Bytes of the block, this header included; a multiple of 64.
  int64_t prev_size;  // Size of the block just before, 0 for the first block.
  int64_t next_free;  // Free-list links (offsets of block headers, 0 = none); free only.
  int64_t prev_free;
  int64_t padding[2];
};
static_assert(sizeof(BlockHeader) == kBlockHeaderSize, "data must start 64 bytes in");
static_assert(std::atomic<int32_t>::is_always_lock_free,
              "reference counts are shared between processes and must not need a lock");
static_assert(std::atomic<int64_t>::is_always_lock_free,
              "the reserved watermark is read between processes without the lock");

// Size classes over a block's size in 64-byte units: units 0..3 are classes 0..3; above,
// each power of two [2^k, 2^(k+1)) splits into 4 classes of equal width. So a class never
// spans more than 25% of its lower bound, which keeps "first block of the next class up"
// a good fit.
constexpr int kSubClassBits = 2;
constexpr int kSubClasses = 1 << kSubClassBits;
constexpr int kNumClasses = 256;  // Enough for 2^62-byte blocks.
constexpr int kBitmapWords = kNumClasses / 64;

constexpr int FloorLog2(uint64_t value) { return 63 - __builtin_clzll(value); }

constexpr int SizeClass(int64_t size) {
  const auto units = static_cast<uint64_t>(size / kAlignment);
  if (units < static_cast<uint64_t>(kSubClasses)) return static_cast<int>(units);
  const int log2 = FloorLog2(units);
  const int sub = static_cast<int>((units >> (log2 - kSubClassBits)) & (kSubClasses - 1));
  return (log2 - kSubClassBits + 1) * kSubClasses + sub;
}

// The smallest block size (bytes) in class `size_class`.
constexpr int64_t ClassLowerBound(int size_class) {
  if (size_class < kSubClasses) return size_class * kAlignment;
  const int log2 = size_class / kSubClasses + kSubClassBits - 1;
  const int sub = size_class % kSubClasses;
  return static_cast<int64_t>(static_cast<uint64_t>(kSubClasses + sub)
                              << (log2 - kSubClassBits)) *
         kAlignment;
}

static_assert(SizeClass(ClassLowerBound(37)) == 37 && SizeClass(ClassLowerBound(38) - 64) == 37,
              "class bounds and SizeClass must agree");
static_assert(SizeClass(int64_t{1} << 62) < kNumClasses, "too few size classes");

struct StoreHeader {
  // Written once by Create, before any other process can map the segment; read-only after.
  uint64_t magic;          // kStoreMagic, written last.
  uint32_t version;        // kStoreVersion.
  uint32_t header_size;    // sizeof(StoreHeader), a second check of the layout.
  int64_t capacity;        // Bytes of the segment.
  int64_t heap_begin;      // Offset of the first block.
  int64_t heap_end;        // End of the last block: capacity rounded down to 64.

  // Bytes [0, reserved_end) have their pages allocated (SharedSegment::Reserve). Grows only,
  // under the lock; read without it to reject offsets past it. Every block header and every
  // used block lies below it, so nothing here ever touches a page that could SIGBUS.
  std::atomic<int64_t> reserved_end;

  RobustMutex mutex;
  // Set when a repair after a dead lock holder found the blocks broken: every later call
  // that needs the lock fails with DataLoss instead of making things worse.
  int32_t corrupt HEADRACE_GUARDED_BY(mutex);
  int32_t unused;
  // Statistics, in data bytes (block headers are not counted).
  int64_t used_bytes HEADRACE_GUARDED_BY(mutex);  // Sum of used blocks' data sizes.
  int64_t free_bytes HEADRACE_GUARDED_BY(mutex);  // Sum of free blocks' data sizes.
  int64_t num_blocks HEADRACE_GUARDED_BY(mutex);  // Used and free.
  int64_t num_free_blocks HEADRACE_GUARDED_BY(mutex);
  uint64_t nonempty_classes[kBitmapWords] HEADRACE_GUARDED_BY(mutex);
  int64_t free_heads[kNumClasses] HEADRACE_GUARDED_BY(mutex);  // Offsets, 0 = empty.
};

}  // namespace headrace::memory::detail
