#include "headrace/core/row_memory.h"

#include <dlfcn.h>

#include <cstdlib>
#include <limits>

namespace headrace {

namespace {

// mimalloc is opened with dlopen(RTLD_LOCAL) and reached only through dlsym, never linked:
// a linked libmimalloc exports malloc and operator new, and the dynamic loader would then
// bind libraries loaded beside it (protobuf, libstdc++ users) to a mix of mimalloc and
// glibc for one and the same pointer. Opened this way it serves our calls and nothing else.
// Without it (not installed) row memory falls back to the C library; the choice is made
// once per process, so every pointer is freed by the allocator that made it.
struct Allocator {
  void* (*allocate)(size_t size, size_t alignment);
  void (*free)(void* pointer);
};

void* AlignedAllocFromLibc(size_t size, size_t alignment) {
  // aligned_alloc wants a size that is a multiple of the alignment; a size too large to
  // round up is as impossible as any other allocation that fails.
  if (size > std::numeric_limits<size_t>::max() - alignment) return nullptr;
  return std::aligned_alloc(alignment, (size + alignment - 1) / alignment * alignment);
}

// mimalloc's options for row memory, unless the user set them. A pipeline allocates and
// frees buffers of the same few sizes over and over (a decoded image, its crop, a batch).
// By default mimalloc hands freed pages back to the OS after 25 ms and maps blocks above
// 16 MB afresh each time, so every new image and batch page-faulted its memory in again:
// a third of the image benchmark's time was the kernel zeroing pages. Freed pages stay
// committed instead (row memory peaks at what the connectors hold, so it stays bounded),
// and 1 GiB of address space (not memory) is reserved as an arena for large blocks.
void SetMimallocOptions() {
  setenv("MIMALLOC_ALLOW_DECOMMIT", "0", /*overwrite=*/0);
  setenv("MIMALLOC_RESERVE_OS_MEMORY", "1GiB", /*overwrite=*/0);
}

Allocator Load() {
  SetMimallocOptions();
  if (void* library = dlopen("libmimalloc.so.2", RTLD_NOW | RTLD_LOCAL)) {
    auto allocate = reinterpret_cast<void* (*)(size_t, size_t)>(dlsym(library, "mi_malloc_aligned"));
    auto free = reinterpret_cast<void (*)(void*)>(dlsym(library, "mi_free"));
    // Never dlclose: memory it handed out may outlive any owner of the handle.
    if (allocate != nullptr && free != nullptr) return {allocate, free};
  }
  return {AlignedAllocFromLibc, std::free};
}

const Allocator& TheAllocator() {
  static const Allocator allocator = Load();
  return allocator;
}

}  // namespace

void InitRowMemory() { TheAllocator(); }

void* AllocateRowMemory(size_t size, size_t alignment) {
  return TheAllocator().allocate(size, alignment);
}

void FreeRowMemory(void* pointer) { TheAllocator().free(pointer); }

}  // namespace headrace
