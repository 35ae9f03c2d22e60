// PythonCallback: map's DSCallback objects as a PipelineCallback. `call(hook, epoch,
// step_in_epoch, step)` is headrace.dataset's dispatcher: it builds the run context and
// calls the hook (by name) on every callback that overrides it, honouring step_size.
#pragma once

#include <pybind11/pybind11.h>

#include "bindings/deferred_decref.h"
#include "headrace/engine/pipeline_callback.h"

namespace headrace::bindings {

class PythonCallback : public engine::PipelineCallback {
 public:
  explicit PythonCallback(pybind11::object call) : call_(call.release().ptr()) {}

  Status Begin() override { return Call("ds_begin", 0, 0, 0); }
  Status EpochBegin(int64_t epoch, int64_t step_in_epoch, int64_t step) override {
    return Call("ds_epoch_begin", epoch, step_in_epoch, step);
  }
  Status EpochEnd(int64_t epoch, int64_t step_in_epoch, int64_t step) override {
    return Call("ds_epoch_end", epoch, step_in_epoch, step);
  }
  Status StepBegin(int64_t epoch, int64_t step_in_epoch, int64_t step) override {
    return Call("ds_step_begin", epoch, step_in_epoch, step);
  }
  Status StepEnd(int64_t epoch, int64_t step_in_epoch, int64_t step) override {
    return Call("ds_step_end", epoch, step_in_epoch, step);
  }

 private:
  Status Call(const char* hook, int64_t epoch, int64_t step_in_epoch, int64_t step);

  AnyThreadRef call_;
};

}  // namespace headrace::bindings
