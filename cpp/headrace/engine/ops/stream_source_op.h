// StreamSourceOp: the leaf over a StreamSource, on one thread: each pass resets the
// stream and pushes its rows in blocks, then end of data. Rows are numbered from 0 in
// each pass; num_samples > 0 stops the pass after that many rows.
#pragma once

#include <memory>

#include "headrace/engine/dataset_op.h"
#include "headrace/engine/sources/stream_source.h"

namespace headrace::engine {

class StreamSourceOp : public DatasetOp {
 public:
  StreamSourceOp(std::string name, std::shared_ptr<StreamSource> source, int64_t num_samples);

 protected:
  Status RunWorker(int worker_id) override;
  std::string Describe() const override;

 private:
  std::shared_ptr<StreamSource> source_;
  const int64_t num_samples_;
};

}  // namespace headrace::engine
