// Dropping Python references from engine threads without taking the GIL.
//
// A tensor that borrows a NumPy array holds a reference to it; the last holder of the
// tensor may be an engine thread (the batch op that just stacked it). Taking the GIL there
// for every row would serialise the pipeline on the GIL, so such references are queued
// instead and dropped by the next thread that holds the GIL anyway: a Python map worker,
// the iterator handing out a row, or the iterator being stopped.
#pragma once

#include <Python.h>
#include <pybind11/pybind11.h>

namespace headrace::bindings {

// Drops `object`'s reference now if this thread holds the GIL, else queues it. Any thread.
void DecrefAnyThread(PyObject* object);

// Drops the queued references. Call with the GIL held; cheap when the queue is empty.
void DrainDeferredDecrefs();

// Keeps the Python thread state that `gil` made for this thread (one Python did not
// start) until the thread exits; `made` says whether it made one. Without it pybind11
// makes and deletes a thread state at every acquisition, about 20 us each time: a sixth
// of a light Python pipeline. The thread's exit takes the GIL once more to delete the
// state, so no thread may join an engine thread while holding the GIL (the iterator
// waits for rows, stops and destroys the tree without it: register_engine.cc).
void KeepThreadState(pybind11::gil_scoped_acquire& gil, bool made);

// The GIL, taken by an engine thread to run Python code: the queued references are
// dropped at once, so that every place that takes the GIL also empties the queue.
class EngineGil {
 public:
  EngineGil() {
    KeepThreadState(gil_, !had_thread_state_);
    DrainDeferredDecrefs();
  }

 private:
  // Both initialised before the constructor body runs, in this order.
  bool had_thread_state_ = PyGILState_GetThisThreadState() != nullptr;
  pybind11::gil_scoped_acquire gil_;
};

// Releases the GIL for `body` (a blocking or long call into the engine), then drops the
// references queued meanwhile.
template <class Body>
auto WithoutGil(Body&& body) {
  struct DrainAfter {
    ~DrainAfter() { DrainDeferredDecrefs(); }
  } drain_after;  // destroyed after `release`, so with the GIL held again
  pybind11::gil_scoped_release release;
  return body();
}

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
