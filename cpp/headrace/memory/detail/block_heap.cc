#include "headrace/memory/detail/block_heap.h"

#include <new>
#include <string>

namespace headrace::memory::detail {

// Crash safety: a process may die anywhere in here while holding the lock, and the next
// locker repairs with Rebuild(), which trusts only each block's magic, state and size. So
// every change keeps the size chain walkable after each single store: a split writes the
// new header before shrinking the block that covers it; a merge grows the surviving
// block's size in one store, the absorbed headers simply becoming data. Links, prev_size
// and statistics may be left half-done; Rebuild recomputes them.

namespace {

// How many blocks of the request's own class FindFree looks at before taking a larger one.
constexpr int kFitScanLimit = 8;

int FirstNonEmpty(const StoreHeader& header, int start) {
  if (start >= kNumClasses) return -1;
  for (int word = start / 64; word < kBitmapWords; ++word) {
    uint64_t bits = header.nonempty_classes[word];
    if (word == start / 64) bits &= ~uint64_t{0} << (start % 64);
    if (bits != 0) return word * 64 + __builtin_ctzll(bits);
  }
  return -1;
}

int LastNonEmpty(const StoreHeader& header) {
  for (int word = kBitmapWords - 1; word >= 0; --word) {
    const uint64_t bits = header.nonempty_classes[word];
    if (bits != 0) return word * 64 + FloorLog2(bits);
  }
  return -1;
}

Status Broken(const std::string& what) {
  return Status::DataLoss("shared-memory store is inconsistent: " + what);
}

}  // namespace

void BlockHeap::Format() {
  StoreHeader& h = *header_;
  h.corrupt = 0;
  h.used_bytes = h.free_bytes = h.num_blocks = h.num_free_blocks = 0;
  for (uint64_t& word : h.nonempty_classes) word = 0;
  for (int64_t& head : h.free_heads) head = 0;
  NewHeader(h.heap_begin, h.heap_end - h.heap_begin, 0, kBlockFree);
  h.num_blocks = 1;
  InsertFree(h.heap_begin);
}

int64_t BlockHeap::BlockSizeFor(int64_t size) {
  const int64_t data = size < kMinDataSize ? kMinDataSize : size;
  return (data + kAlignment - 1) / kAlignment * kAlignment + kBlockHeaderSize;
}

int64_t BlockHeap::FindFree(int64_t block_size) const {
  const int size_class = SizeClass(block_size);
  const int64_t* heads = header_->free_heads;
  // Every block of a class above fits; so does every block of this class when the request
  // is the class's lower bound. Then a list head is enough.
  if (ClassLowerBound(size_class) == block_size) {
    const int found = FirstNonEmpty(*header_, size_class);
    return found >= 0 ? heads[found] : 0;
  }
  // Otherwise this class's blocks may or may not fit. A few of them are worth a look
  // before splitting a larger block (a freed hole of just the right size is the common
  // case); looking at all of them is left for when nothing larger is free.
  int64_t offset = heads[size_class];
  for (int looked = 0; offset != 0 && looked < kFitScanLimit; ++looked) {
    if (At(offset)->size >= block_size) return offset;
    offset = At(offset)->next_free;
  }
  const int found = FirstNonEmpty(*header_, size_class + 1);
  if (found >= 0) return heads[found];
  for (; offset != 0; offset = At(offset)->next_free) {
    if (At(offset)->size >= block_size) return offset;
  }
  return 0;
}

int64_t BlockHeap::ReserveEndForTake(int64_t offset, int64_t block_size) const {
  const int64_t size = At(offset)->size;
  if (size - block_size >= kMinBlockSize) return offset + block_size + kBlockHeaderSize;
  return offset + size;
}

void BlockHeap::Take(int64_t offset, int64_t block_size) {
  RemoveFree(offset);
  BlockHeader* block = At(offset);
  const int64_t rest = block->size - block_size;
  // A remainder too small to be a block stays with this one (block_size reports it).
  if (rest >= kMinBlockSize) {
    const int64_t rest_offset = offset + block_size;
    NewHeader(rest_offset, rest, block_size, kBlockFree);
    // Crash repair walks the chain of sizes: the remainder's header must be in memory
    // before this block shrinks to point at it. Keeps the compiler from swapping the two.
    std::atomic_signal_fence(std::memory_order_seq_cst);
    block->size = block_size;
    LinkNext(rest_offset);
    ++header_->num_blocks;
    // The block after the remainder is used (free blocks never touch), so no merge.
    InsertFree(rest_offset);
  }
  block->ref_count.store(1, std::memory_order_relaxed);
  block->state = kBlockUsed;
  header_->used_bytes += block->size - kBlockHeaderSize;
}

void BlockHeap::Free(int64_t offset) {
  BlockHeader* block = At(offset);
  header_->used_bytes -= block->size - kBlockHeaderSize;
  block->state = kBlockFree;
  int64_t start = offset;
  int64_t size = block->size;
  const int64_t next = offset + size;
  if (next < header_->heap_end && At(next)->state == kBlockFree) {
    RemoveFree(next);
    size += At(next)->size;
    --header_->num_blocks;
  }
  if (block->prev_size > 0) {
    const int64_t prev = offset - block->prev_size;
    if (At(prev)->state == kBlockFree) {
      RemoveFree(prev);
      size += At(prev)->size;
      start = prev;
      --header_->num_blocks;
    }
  }
  At(start)->size = size;
  LinkNext(start);
  InsertFree(start);
}

int64_t BlockHeap::LargestFreeDataSize() const {
  const int top = LastNonEmpty(*header_);
  if (top < 0) return 0;
  int64_t largest = 0;
  for (int64_t offset = header_->free_heads[top]; offset != 0; offset = At(offset)->next_free) {
    if (At(offset)->size > largest) largest = At(offset)->size;
  }
  return largest - kBlockHeaderSize;
}

bool BlockHeap::LooksLikeBlock(int64_t offset) const {
  const StoreHeader& h = *header_;
  if (offset < h.heap_begin || offset % kAlignment != 0 || offset > h.heap_end - kMinBlockSize ||
      offset + kBlockHeaderSize > h.reserved_end.load(std::memory_order_acquire)) {
    return false;
  }
  const BlockHeader* block = At(offset);
  return block->magic == kBlockMagic &&
         (block->state == kBlockFree || block->state == kBlockUsed) &&
         block->size >= kMinBlockSize && block->size % kAlignment == 0 &&
         block->size <= h.heap_end - offset;
}

Status BlockHeap::Check() const {
  const StoreHeader& h = *header_;
  int64_t used = 0, free = 0, blocks = 0, free_blocks = 0;
  int64_t prev = 0;
  bool prev_free = false;
  int64_t offset = h.heap_begin;
  while (offset < h.heap_end) {
    if (!LooksLikeBlock(offset)) {
      return Broken("no valid block header at offset " + std::to_string(offset));
    }
    const BlockHeader* block = At(offset);
    if (block->prev_size != (prev == 0 ? 0 : offset - prev)) {
      return Broken("wrong prev_size at offset " + std::to_string(offset));
    }
    const bool is_free = block->state == kBlockFree;
    if (is_free && prev_free) {
      return Broken("free blocks not merged at offset " + std::to_string(offset));
    }
    (is_free ? free : used) += block->size - kBlockHeaderSize;
    free_blocks += is_free ? 1 : 0;
    ++blocks;
    prev = offset;
    prev_free = is_free;
    offset += block->size;
  }
  if (offset != h.heap_end) return Broken("blocks end at " + std::to_string(offset));
  if (used != h.used_bytes || free != h.free_bytes || blocks != h.num_blocks ||
      free_blocks != h.num_free_blocks) {
    return Broken("statistics differ from the blocks: used " + std::to_string(h.used_bytes) +
                  " vs " + std::to_string(used) + ", free " + std::to_string(h.free_bytes) +
                  " vs " + std::to_string(free) + ", blocks " + std::to_string(h.num_blocks) +
                  " vs " + std::to_string(blocks));
  }

  int64_t listed = 0;
  for (int size_class = 0; size_class < kNumClasses; ++size_class) {
    const bool bit = (h.nonempty_classes[size_class / 64] >> (size_class % 64)) & 1;
    if (bit != (h.free_heads[size_class] != 0)) {
      return Broken("bitmap wrong for class " + std::to_string(size_class));
    }
    int64_t prev_link = 0;
    for (int64_t link = h.free_heads[size_class]; link != 0; link = At(link)->next_free) {
      // The count also bounds the walk, should the list have a cycle.
      if (++listed > free_blocks || !LooksLikeBlock(link) ||
          At(link)->state != kBlockFree || SizeClass(At(link)->size) != size_class ||
          At(link)->prev_free != prev_link) {
        return Broken("free list of class " + std::to_string(size_class) +
                      " is wrong at offset " + std::to_string(link));
      }
      prev_link = link;
    }
  }
  if (listed != free_blocks) {
    return Broken(std::to_string(free_blocks - listed) + " free blocks are in no list");
  }
  return Status::OK();
}

bool BlockHeap::Rebuild() {
  StoreHeader& h = *header_;
  // Pass 1: validate the chain, merge free neighbours, rewrite prev_size.
  int64_t prev = 0;
  int64_t offset = h.heap_begin;
  while (offset < h.heap_end) {
    if (!LooksLikeBlock(offset)) return false;
    BlockHeader* block = At(offset);
    if (prev != 0 && block->state == kBlockFree && At(prev)->state == kBlockFree) {
      At(prev)->size += block->size;
      offset = prev + At(prev)->size;
      continue;
    }
    block->prev_size = prev == 0 ? 0 : offset - prev;
    prev = offset;
    offset += block->size;
  }
  if (offset != h.heap_end) return false;

  // Pass 2: lists and statistics from scratch.
  h.used_bytes = h.free_bytes = h.num_blocks = h.num_free_blocks = 0;
  for (uint64_t& word : h.nonempty_classes) word = 0;
  for (int64_t& head : h.free_heads) head = 0;
  for (offset = h.heap_begin; offset < h.heap_end; offset += At(offset)->size) {
    ++h.num_blocks;
    if (At(offset)->state == kBlockFree) {
      InsertFree(offset);
    } else {
      h.used_bytes += At(offset)->size - kBlockHeaderSize;
    }
  }
  return true;
}

void BlockHeap::InsertFree(int64_t offset) {
  BlockHeader* block = At(offset);
  const int size_class = SizeClass(block->size);
  const int64_t head = header_->free_heads[size_class];
  block->prev_free = 0;
  block->next_free = head;
  if (head != 0) At(head)->prev_free = offset;
  header_->free_heads[size_class] = offset;
  header_->nonempty_classes[size_class / 64] |= uint64_t{1} << (size_class % 64);
  header_->free_bytes += block->size - kBlockHeaderSize;
  ++header_->num_free_blocks;
}

void BlockHeap::RemoveFree(int64_t offset) {
  BlockHeader* block = At(offset);
  const int size_class = SizeClass(block->size);
  if (block->prev_free != 0) {
    At(block->prev_free)->next_free = block->next_free;
  } else {
    header_->free_heads[size_class] = block->next_free;
  }
  if (block->next_free != 0) At(block->next_free)->prev_free = block->prev_free;
  if (header_->free_heads[size_class] == 0) {
    header_->nonempty_classes[size_class / 64] &= ~(uint64_t{1} << (size_class % 64));
  }
  block->next_free = block->prev_free = 0;
  header_->free_bytes -= block->size - kBlockHeaderSize;
  --header_->num_free_blocks;
}

BlockHeader* BlockHeap::NewHeader(int64_t offset, int64_t size, int64_t prev_size,
                                  uint32_t state) {
  auto* block = new (base_ + offset) BlockHeader{};
  block->magic = kBlockMagic;
  block->state = state;
  block->size = size;
  block->prev_size = prev_size;
  return block;
}

void BlockHeap::LinkNext(int64_t offset) {
  const int64_t next = offset + At(offset)->size;
  if (next < header_->heap_end) At(next)->prev_size = At(offset)->size;
}

}  // namespace headrace::memory::detail
