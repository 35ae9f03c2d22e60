// ExecutionContext: what every op of one running pipeline shares.
//
// Made by the ExecutionTree, read by ops on their threads. The settings are fixed before
// launch; `stopping` is the one-way switch that the owner of the pipeline (the iterator)
// throws before tearing the tree down, so that no op relaunches a subtree afterwards.
#pragma once

#include <atomic>
#include <cstdint>

namespace headrace::engine {

// How a pipeline runs; fixed when the tree is made.
struct PipelineSettings {
  // Rows each queue of a connector may hold (config.set_prefetch_size).
  int64_t prefetch_rows = 16;
  // Rows per block moved between ops (see row_block.h); the Python layer sets 128.
  int64_t block_rows = 128;
  // Epochs to run; negative: without end.
  int64_t num_epochs = 1;
  // The epoch a resumed pipeline begins at (its earlier epochs count towards num_epochs).
  int64_t start_epoch = 0;
};

struct ExecutionContext {
  PipelineSettings settings;
  std::atomic<bool> stopping{false};
};

}  // namespace headrace::engine
