// RepeatOp: runs its child `count` times in a row (count < 0: forever), as one stream:
// no end of epoch between repetitions, so a batch above it spans them (as in MindSpore).
#pragma once

#include <cstdint>

#include "headrace/engine/dataset_op.h"

namespace headrace::engine {

class RepeatOp : public DatasetOp {
 public:
  explicit RepeatOp(int64_t count) : DatasetOp("Repeat", 1), count_(count) {}

 protected:
  Status RunWorker(int worker_id) override;
  std::string Describe() const override;

 private:
  const int64_t count_;
};

}  // namespace headrace::engine
