// BlockHeap: the block arithmetic of a SharedStore: find, split, free and merge blocks, keep
// the free lists and statistics in the store header, check and rebuild them. Private to
// memory/.
//
// A BlockHeap is a view: two pointers into one process's mapping of the segment, cheap to
// make, owning nothing. All its state lives in the segment (see store_layout.h).
// Threading: every method requires the store lock (StoreHeader::mutex), held by the caller;
// the view itself may be used from any thread under that lock.
// Pages: it writes only block headers below the reserved watermark, and data areas never;
// the caller reserves (SharedSegment::Reserve) before Take().
#pragma once

#include <cstdint>

#include "headrace/core/status.h"
#include "headrace/memory/detail/store_layout.h"

namespace headrace::memory::detail {

class BlockHeap {
 public:
  BlockHeap(uint8_t* base, StoreHeader* header) : base_(base), header_(header) {}

  // Lays out one free block over the whole heap and zeroes the lists and statistics.
  void Format();

  // The smallest block size (header included) that holds `size` data bytes. `size` must be
  // in [0, heap size].
  static int64_t BlockSizeFor(int64_t size);

  // The offset of a free block of at least `block_size` bytes, or 0 when none fits. In
  // order: a fitting block among the first few of the request's own class, the head of
  // the lowest larger non-empty class, any fitting block of the request's class. O(1)
  // unless the store is so full that only the last step can succeed.
  int64_t FindFree(int64_t block_size) const;
  // Where the pages must be reserved up to before Take(offset, block_size): the end of the
  // data handed out, plus the header of the remainder if one is split off.
  int64_t ReserveEndForTake(int64_t offset, int64_t block_size) const;
  // Makes free block `offset` (from FindFree) a used block with reference count 1, splitting
  // off the rest into a new free block when it is large enough to be one.
  void Take(int64_t offset, int64_t block_size);
  // Makes used block `offset` free and merges it with free neighbours.
  void Free(int64_t offset);

  // Largest data size a single Allocate could get now. Scans only the top class's list.
  int64_t LargestFreeDataSize() const;

  // Walks every block and checks the invariants: headers valid, sizes chain exactly to
  // heap_end, prev_size matches, no two free neighbours, every free block in the list of
  // its class and nothing else there, statistics equal to the walk's sums.
  Status Check() const;

  // After a lock holder died mid-operation: walks the blocks by size (the one field whose
  // every single write keeps the chain walkable), merges free neighbours, rewrites
  // prev_size, and rebuilds the free lists and statistics. false when the chain itself is
  // broken; nothing can be trusted then.
  bool Rebuild();

  BlockHeader* At(int64_t offset) const {
    return reinterpret_cast<BlockHeader*>(base_ + offset);
  }
  // True when a valid header of a block lying inside the heap sits at `offset`.
  bool LooksLikeBlock(int64_t offset) const;

 private:
  void InsertFree(int64_t offset);
  void RemoveFree(int64_t offset);
  // Writes a fresh header at `offset` (placement new: the reference count is an object).
  BlockHeader* NewHeader(int64_t offset, int64_t size, int64_t prev_size, uint32_t state);
  // Sets the prev_size of the block after `offset`, if there is one.
  void LinkNext(int64_t offset);

  uint8_t* const base_;
  StoreHeader* const header_;
};

}  // namespace headrace::memory::detail
