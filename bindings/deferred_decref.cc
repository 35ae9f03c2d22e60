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

// An engine thread's kept thread state, deleted when the thread exits (unless Python is
// going away, when the interpreter deletes it).
class ThreadStateKeeper {
 public:
  void Keep(pybind11::gil_scoped_acquire& gil) {
    gil.inc_ref();
    kept_ = true;
  }
  bool kept() const { return kept_; }

  ~ThreadStateKeeper() {
    if (!kept_ || !Py_IsInitialized() || PythonIsFinalizing()) return;
    pybind11::gil_scoped_acquire gil;  // finds the kept state
    gil.dec_ref();  // the reference Keep added: the state goes with `gil`
  }

 private:
  bool kept_ = false;
};

thread_local ThreadStateKeeper g_thread_state;

}  // namespace

void KeepThreadState(pybind11::gil_scoped_acquire& gil, bool made) {
  if (made && !g_thread_state.kept()) g_thread_state.Keep(gil);
}

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
