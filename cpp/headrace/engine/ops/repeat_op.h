// RepeatOp: runs its child `count` times in a row (count < 0: forever), as one stream:
// no end of epoch between repetitions, so a batch above it spans them (as in MindSpore).
// Repetition k of pass p is the child's pass p * count + k; an endless repeat (which a
// take above may stop, and relaunch next epoch) counts p * kEndlessStride + k. A resumed
// pass begins at the repetition its child was started at (SetStart).
#pragma once

#include <cstdint>

#include "headrace/engine/dataset_op.h"

namespace headrace::engine {

class RepeatOp : public DatasetOp {
 public:
  // The child passes an endless repeat's pass may use (headrace/dataset/repeat.py: the same).
  static constexpr int64_t kEndlessStride = int64_t{1} << 32;

  explicit RepeatOp(int64_t count) : DatasetOp("Repeat", 1), count_(count) {}

 protected:
  Status RunWorker(int worker_id) override;
  int64_t FirstChildPass(int64_t pass) const override { return ChildPass(pass, FirstRepetition(pass)); }
  void OnSetStart(int64_t pass, int64_t row) override;
  std::string Describe() const override;

 private:
  int64_t ChildPass(int64_t pass, int64_t repetition) const {
    return pass * (count_ < 0 ? kEndlessStride : count_) + repetition;
  }
  int64_t FirstRepetition(int64_t pass) const { return pass == start_pass() ? first_repetition_ : 0; }

  const int64_t count_;
  int64_t first_repetition_ = 0;  // of the resumed pass
};

}  // namespace headrace::engine
