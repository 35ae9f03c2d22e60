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

}  // namespace headrace::bindings
