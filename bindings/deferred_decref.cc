#include "bindings/deferred_decref.h"

#include <atomic>
#include <mutex>
#include <vector>

namespace headrace::bindings {

namespace {

std::mutex g_mu;
std::vector<PyObject*>* g_pending = new std::vector<PyObject*>();  // leaked: outlives exit
std::atomic<bool> g_any_pending{false};

bool PythonIsFinalizing() {
#if PY_VERSION_HEX >= 0x030D0000
  return Py_IsFinalizing();
#else
  return _Py_IsFinalizing();
#endif
}

}  // namespace

void DecrefAnyThread(PyObject* object) {
  if (object == nullptr || PythonIsFinalizing()) return;
  if (PyGILState_Check()) {
    Py_DECREF(object);
    return;
  }
  std::lock_guard<std::mutex> lock(g_mu);
  g_pending->push_back(object);
  g_any_pending.store(true, std::memory_order_release);
}

void DrainDeferredDecrefs() {
  if (!g_any_pending.load(std::memory_order_acquire)) return;
  std::vector<PyObject*> pending;
  {
    std::lock_guard<std::mutex> lock(g_mu);
    pending.swap(*g_pending);
    g_any_pending.store(false, std::memory_order_release);
  }
  for (PyObject* object : pending) Py_DECREF(object);
}

}  // namespace headrace::bindings
