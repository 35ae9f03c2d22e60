// SkipOp: every row of each pass of its child but the first `count`.
#pragma once

#include <cstdint>

#include "headrace/engine/dataset_op.h"

namespace headrace::engine {

class SkipOp : public DatasetOp {
 public:
  explicit SkipOp(int64_t count) : DatasetOp("Skip", 1), count_(count) {}

 protected:
  Status RunWorker(int worker_id) override;
  std::string Describe() const override { return "Skip(count=" + std::to_string(count_) + ")"; }

 private:
  const int64_t count_;
};

}  // namespace headrace::engine
