// Row memory: where the engine's per-row objects (tensors, their buffers, a row's column
// list) are allocated.
//
// Rows are made on one thread and freed on another: a source or map worker allocates, the
// batch thread or the iterator drops. glibc malloc serialises those cross-thread frees on
// the arena lock of the allocating thread, and that lock was the largest single cost of a
// native pipeline. mimalloc frees into the owning page's lock-free list instead, so these
// functions allocate through it. Everything here is freed only by its counterpart below;
// memory from malloc/new never passes through them, nor the other way round.
//
// mimalloc is opened privately (see row_memory.cc): it serves these calls only and never
// replaces malloc for anyone else. Where it is not installed, the C library serves them.
#pragma once

#include <cstddef>
#include <memory>
#include <new>
#include <utility>

namespace headrace {

// Chooses and sets up the allocator now rather than at the first allocation. It sets
// environment variables (see row_memory.cc), so call it while the process has one thread
// that could read them, e.g. when the Python extension is imported. Idempotent.
void InitRowMemory();

// `size` bytes aligned to `alignment` (a power of two); nullptr when memory is exhausted.
void* AllocateRowMemory(size_t size, size_t alignment);
// Frees what AllocateRowMemory returned; nullptr is ignored.
void FreeRowMemory(void* pointer);

// A standard allocator over row memory, for containers and std::allocate_shared.
template <class T>
struct RowAllocator {
  using value_type = T;
  RowAllocator() = default;
  template <class U>
  RowAllocator(const RowAllocator<U>&) {}  // NOLINT: converting, as allocators must.

  T* allocate(size_t n) {
    void* pointer = AllocateRowMemory(n * sizeof(T), alignof(T));
    if (pointer == nullptr) throw std::bad_alloc();
    return static_cast<T*>(pointer);
  }
  void deallocate(T* pointer, size_t) { FreeRowMemory(pointer); }

  template <class U>
  bool operator==(const RowAllocator<U>&) const { return true; }
  template <class U>
  bool operator!=(const RowAllocator<U>&) const { return false; }
};

// std::make_shared with the object and its reference count in row memory.
template <class T, class... Args>
std::shared_ptr<T> MakeShared(Args&&... args) {
  return std::allocate_shared<T>(RowAllocator<T>(), std::forward<Args>(args)...);
}

}  // namespace headrace
