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

Allocator Load() {
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

void* AllocateRowMemory(size_t size, size_t alignment) {
  return TheAllocator().allocate(size, alignment);
}

void FreeRowMemory(void* pointer) { TheAllocator().free(pointer); }

}  // namespace headrace
