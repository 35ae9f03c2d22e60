// DatasetOp: one running operator of a pipeline, with its threads and output connector.
//
// An op runs in passes. A pass starts with Launch(): the children's subtrees are launched
// first, then this op makes a fresh output connector and starts num_workers() threads,
// each running RunWorker(worker_id). A pass ends when the op has written end of data (or
// failed, or was cancelled); then Join() joins its threads. Ops above relaunch a subtree
// to run it again: the repeat op once per repetition, the epoch op once per epoch, take
// after stopping its child early. State that must last across passes (a cache) lives in
// the op object, which outlives its passes.
//
// Every pass has a number, given by the op above: the pass of a child is its parent's,
// except under repeat (repetition k of the repeat's pass p is its child's pass
// p * count + k) and under the epoch op (epoch e is pass e). So a pass's number, which
// seeds its samplers and random transforms, follows from where it stands in an
// uninterrupted run, not from how often the op was launched, and a resumed pipeline can
// start at any pass (SetStart).
//
// Errors: when RunWorker returns an error other than Cancelled, the op fails its output
// connector with it, so the error reaches the iterator at once. An error read from the
// input comes back from RowReader::Next as a Status, so ops simply propagate it.
//
// Shutdown protocol: Cancel() cancels the whole subtree (every connector wakes its
// waiters with Cancelled); Join() joins this op's threads and then its children's,
// top-down, so that an op thread that relaunches children is gone before they are joined.
// Once ExecutionContext::stopping is set, Launch() refuses to start anything.
//
// Threading: Launch(), Join() and ClearCancel() are called by the parent's thread (or the
// iterator's); Cancel() from any thread. Worker threads call only the protected helpers.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "headrace/core/result.h"
#include "headrace/core/status.h"
#include "headrace/core/thread_annotations.h"
#include "headrace/engine/connector.h"
#include "headrace/engine/execution_context.h"
#include "headrace/engine/op_statistics.h"

namespace headrace::engine {

class RowWriter;

class DatasetOp {
 public:
  DatasetOp(std::string name, int num_workers);
  virtual ~DatasetOp();

  DatasetOp(const DatasetOp&) = delete;
  DatasetOp& operator=(const DatasetOp&) = delete;

  const std::string& name() const { return name_; }
  int num_workers() const { return num_workers_; }

  void AddChild(std::shared_ptr<DatasetOp> child) { children_.push_back(std::move(child)); }
  const std::vector<std::shared_ptr<DatasetOp>>& children() const { return children_; }

  // Starts pass number `pass` of this subtree for `num_consumers` threads that will read
  // output(). Cancelled if the subtree was cancelled or the pipeline is stopping.
  Status Launch(ExecutionContext* context, int num_consumers, int64_t pass);

  // Cancels this subtree: every thread blocked in it wakes and ends. Any thread.
  void Cancel();
  // Joins the threads of this subtree, own threads first.
  void Join();
  // Makes a cancelled, joined subtree launchable again (take's early stop).
  void ClearCancel();

  // The output connector of the current pass; valid from Launch() until the next Launch().
  Connector* output() const;

  // Asks this op to write blocks of at most `rows` rows (a map whose rows go to worker
  // processes holds all results of a block at once, so big rows need small blocks). An
  // op whose output blocks are its input blocks passes the request on to its children.
  // Called while the tree is built, before Launch().
  void LimitOutputBlockRows(int64_t rows);

  // The number of the current pass (see the top of this file).
  int64_t pass_index() const { return pass_; }

  // Resuming (headrace.dataset's iterator state): this op's first pass is pass number
  // `pass` of an uninterrupted run, and its output begins at row `row` of that pass, the
  // rows before it having been consumed already. Each op is told its own start (the
  // Python layer works out every op's from the iterator's epoch and row, and the children
  // start where this op's rows come from); an op made of two (batch) tells its inner part.
  // Called while the tree is built, before Launch(). Later passes start at row 0.
  void SetStart(int64_t pass, int64_t row);
  // The pass SetStart() named (0 if it was not called).
  int64_t start_pass() const { return start_pass_; }

  // One line per op of the subtree, indented: "Batch(workers=1)".
  std::string TreeString(int indent = 0) const;

  // What this op has done over all its passes so far (any thread, while it runs too).
  OpStatistics Statistics() const;
  // This op's output connector's counters, over all passes.
  Connector::Counters OutputCounters() const;
  // Statistics of this op and every op below it, in tree order (depth-first).
  void CollectStatistics(int depth, std::vector<OpStatistics>* out) const;

 protected:
  // The body of worker thread `worker_id` for one pass. It must end the pass by writing
  // end of data to output() (see RowWriter), unless it returns an error.
  virtual Status RunWorker(int worker_id) = 0;

  // Called by Launch() before the threads start: reset the state of pass number `pass`
  // (pass_index() still names the one before, -1 before the first).
  virtual Status PreparePass(int64_t /*pass*/) { return Status::OK(); }

  // The row of this pass's output that the pass begins at: the start row in the pass that
  // SetStart() named, 0 otherwise. start_row_of() is the same for a pass being prepared.
  int64_t start_row() const { return start_row_of(pass_index()); }
  int64_t start_row_of(int64_t pass) const { return pass == start_pass_ ? start_row_ : 0; }
  // True in the pass SetStart() named (also when its start row is 0).
  bool in_start_pass() const { return resumed_ && pass_index() == start_pass_; }
  // SetStart() of an op made of two: starts the inner part (by default nothing).
  virtual void OnSetStart(int64_t /*pass*/, int64_t /*row*/) {}

  // Cancel() and ClearCancel() of this op: an op whose threads can wait on something
  // other than a connector (a worker process) wakes them here, and re-arms it there.
  // Any thread; must not block.
  virtual void OnCancel() {}
  virtual void OnClearCancel() {}

  // "Map(workers=2, ...)": the parameters that matter for TreeString().
  virtual std::string Describe() const;

  // Rows per block this op writes: `preferred` (by default the pipeline's block_rows),
  // or the limit asked for if that is smaller.
  int64_t output_block_rows() const;
  int64_t output_block_rows(int64_t preferred) const;
  // True for ops whose output blocks are their input blocks (see BlockOp).
  virtual bool KeepsInputBlocks() const { return false; }
  // The pass Launch() starts the children at when this op starts pass `pass`: the same
  // number, unless the op runs its child several times a pass (repeat) or is the root.
  virtual int64_t FirstChildPass(int64_t pass) const { return pass; }
  // Pass `child_pass` of the only child, its data rows written to `writer` (the repeat and
  // epoch ops): the pass Launch() started is read as it is; another one is launched after
  // the finished one is joined. Returns how many rows the pass had.
  Result<int64_t> ForwardChildPass(int64_t child_pass, RowWriter* writer);

  // Whether Launch() launches the children before this op's threads (the default). An op
  // that decides during its pass whether it needs its child at all (a cache op reading
  // from the cache) says false and calls LaunchChild itself.
  virtual bool LaunchesChildrenFirst() const { return true; }
  // Joins the previous pass of children_[index], if any, and launches it again for this
  // op's workers, at FirstChildPass(pass_index()).
  Status LaunchChild(size_t index);
  // StopChildEarly, then LaunchChild: a new pass of the child while the old one was still
  // running (the cache merge op, when it must read rows it meant to fetch).
  Status RestartChild(size_t index);

  // Ends the current pass of children_[index] before it has written everything (take has
  // its rows, zip met the end of another child): cancels, joins and makes it launchable
  // again, so that its threads do not stay blocked on a full connector.
  void StopChildEarly(size_t index);
  // True once this subtree is cancelled (stopping the pipeline cancels the whole tree):
  // long loops that do not wait on a connector (reading many rows of one block) check it
  // between steps.
  bool cancelled() const { return cancelled_.load(std::memory_order_relaxed); }
  // children_[index]->output() of the current pass.
  Connector* input(size_t index = 0) const { return children_[index]->output(); }

 private:
  void WorkerMain(int worker_id);

  const std::string name_;
  const int num_workers_;
  std::vector<std::shared_ptr<DatasetOp>> children_;
  ExecutionContext* context_ = nullptr;
  int64_t block_rows_limit_ = 0;  // 0: none
  // Written by Launch() before the pass's threads start, so they read it without a lock.
  int64_t pass_ = -1;
  // Where the first pass starts (SetStart); fixed before the first Launch().
  bool resumed_ = false;
  int64_t start_pass_ = 0;
  int64_t start_row_ = 0;
  // When the current pass started (steady clock, ns); read by Statistics() from any thread.
  std::atomic<int64_t> pass_started_ns_{0};
  // Wall time of the workers of finished passes, and how many workers run now.
  std::atomic<int64_t> worker_ns_{0};
  std::atomic<int> running_workers_{0};

  mutable std::mutex mu_;
  std::shared_ptr<Connector> output_ HEADRACE_GUARDED_BY(mu_);
  // Counters of the output connectors of earlier passes.
  Connector::Counters earlier_output_ HEADRACE_GUARDED_BY(mu_);
  std::vector<std::thread> threads_ HEADRACE_GUARDED_BY(mu_);
  // Written under mu_ (so Launch's check under mu_ cannot miss a Cancel); read anywhere.
  std::atomic<bool> cancelled_{false};
};

}  // namespace headrace::engine
