// TakeOp: the first `count` rows of each pass of its child. Once it has them it stops the
// child subtree at once (cancel, join, make it launchable again) instead of reading the
// rest: below an endless repeat there is no rest, and that is how repeat().take(n) ends.
#pragma once

#include <cstdint>

#include "headrace/engine/dataset_op.h"

namespace headrace::engine {

class TakeOp : public DatasetOp {
 public:
  explicit TakeOp(int64_t count) : DatasetOp("Take", 1), count_(count) {}

 protected:
  Status RunWorker(int worker_id) override;
  std::string Describe() const override { return "Take(count=" + std::to_string(count_) + ")"; }

 private:
  const int64_t count_;
};

}  // namespace headrace::engine
