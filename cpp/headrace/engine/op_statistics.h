// OpStatistics: what one op of a running pipeline has done, for profiles.
//
// The connectors count rows and time their waits (connector.h); each op adds its workers'
// wall time. Busy time is what remains of the workers' time once the waits for input and
// for room in the output are taken out: the op's own work (a map's transforms, a source's
// reads). An op whose workers are busy nearly all the time while the ops around it wait is
// the one that holds the pipeline back.
#pragma once

#include <cstdint>
#include <string>

namespace headrace::engine {

struct OpStatistics {
  std::string name;          // "Map(workers=2, ops=[Decode, Resize])"
  int depth = 0;             // in the tree, the root's child at 1
  int num_workers = 1;
  int64_t rows_in = 0;       // rows (and end markers) taken from its children
  int64_t rows_out = 0;      // rows (and end markers) it wrote
  double worker_seconds = 0;       // wall time of its workers, summed
  double input_wait_seconds = 0;   // of that, waiting for a child's rows
  double output_wait_seconds = 0;  // of that, blocked on its full output connector
  double busy_seconds = 0;         // the rest: its own work
  int64_t queued_rows = 0;   // in its output connector now
  int64_t capacity_rows = 0; // that connector can hold
};

}  // namespace headrace::engine
