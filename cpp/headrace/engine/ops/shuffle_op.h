// ShuffleOp: a random order through a buffer of `buffer_size` rows (Dataset.shuffle). It
// fills the buffer, then for every row that arrives sends a random one out of the buffer
// and puts the new one in its place; at the end of a pass it empties the buffer in random
// order. The generator lives in the op, so each pass (epoch) shuffles differently and the
// same seed gives the same passes. buffer_size >= the row count gives a full shuffle.
#pragma once

#include <cstdint>
#include <random>

#include "headrace/engine/dataset_op.h"

namespace headrace::engine {

class ShuffleOp : public DatasetOp {
 public:
  ShuffleOp(int64_t buffer_size, uint64_t seed)
      : DatasetOp("Shuffle", 1), buffer_size_(buffer_size), generator_(seed) {}

 protected:
  Status RunWorker(int worker_id) override;
  std::string Describe() const override {
    return "Shuffle(buffer_size=" + std::to_string(buffer_size_) + ")";
  }

 private:
  const int64_t buffer_size_;
  std::mt19937_64 generator_;  // used by the op's one thread only
};

}  // namespace headrace::engine
