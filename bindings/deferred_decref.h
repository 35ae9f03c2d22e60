// Dropping Python references from engine threads without taking the GIL.
//
// A tensor that borrows a NumPy array holds a reference to it; the last holder of the
// tensor may be an engine thread (the batch op that just stacked it). Taking the GIL there
// for every row would serialise the pipeline on the GIL, so such references are queued
// instead and dropped by the next thread that holds the GIL anyway: a Python map worker,
// the iterator handing out a row, or the iterator being stopped.
#pragma once

#include <Python.h>

namespace headrace::bindings {

// Drops `object`'s reference now if this thread holds the GIL, else queues it. Any thread.
void DecrefAnyThread(PyObject* object);

// Drops the queued references. Call with the GIL held; cheap when the queue is empty.
void DrainDeferredDecrefs();

// A reference to a Python object, kept by C++ objects that the engine may destroy on any
// thread (map functions, sources, callbacks): dropping it never takes the GIL.
class AnyThreadRef {
 public:
  AnyThreadRef() = default;
  // Takes over `object`'s reference.
  explicit AnyThreadRef(PyObject* object) : object_(object) {}
  AnyThreadRef(const AnyThreadRef&) = delete;
  AnyThreadRef& operator=(const AnyThreadRef&) = delete;
  AnyThreadRef(AnyThreadRef&& other) noexcept : object_(other.object_) { other.object_ = nullptr; }
  AnyThreadRef& operator=(AnyThreadRef&& other) noexcept {
    if (this != &other) {
      DecrefAnyThread(object_);
      object_ = other.object_;
      other.object_ = nullptr;
    }
    return *this;
  }
  ~AnyThreadRef() { DecrefAnyThread(object_); }

  PyObject* ptr() const { return object_; }

 private:
  PyObject* object_ = nullptr;
};

}  // namespace headrace::bindings
