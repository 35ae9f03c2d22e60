// The engine as seen from Python: samplers, ops (built bottom-up by headrace.dataset when
// an iterator is created) and the iterator that launches and reads the tree.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <atomic>
#include <memory>
#include <utility>

#include "bindings/cancel_pipe.h"
#include "bindings/deferred_decref.h"
#include "bindings/numpy_conversion.h"
#include "bindings/python_batch_map.h"
#include "bindings/python_callback.h"
#include "bindings/python_sources.h"
#include "bindings/python_stage.h"
#include "bindings/python_tensor_op.h"
#include "bindings/python_worker_pool_op.h"
#include "bindings/register.h"
#include "bindings/status_to_python.h"
#include "headrace/core/random.h"
#include "headrace/engine/execution_tree.h"
#include "headrace/engine/ops/batch_op.h"
#include "headrace/engine/ops/bucket_batch_op.h"
#include "headrace/engine/ops/callback_op.h"
#include "headrace/engine/ops/concat_op.h"
#include "headrace/engine/ops/filter_op.h"
#include "headrace/engine/ops/map_op.h"
#include "headrace/engine/ops/project_op.h"
#include "headrace/engine/ops/repeat_op.h"
#include "headrace/engine/ops/shuffle_op.h"
#include "headrace/engine/ops/skip_op.h"
#include "headrace/engine/ops/source_op.h"
#include "headrace/engine/ops/stream_source_op.h"
#include "headrace/engine/ops/take_op.h"
#include "headrace/engine/ops/zip_op.h"
#include "headrace/engine/samplers/distributed_sampler.h"
#include "headrace/engine/samplers/random_sampler.h"
#include "headrace/engine/samplers/sequential_sampler.h"
#include "headrace/engine/samplers/subset_sampler.h"
#include "headrace/engine/sources/file_list_source.h"
#include "headrace/engine/sources/tensor_table_source.h"
#include "headrace/transforms/fusion.h"

namespace py = pybind11;

namespace headrace::bindings {

namespace {

using engine::DatasetOp;
using OpPtr = std::shared_ptr<DatasetOp>;

OpPtr WithChild(OpPtr op, OpPtr child) {
  op->AddChild(std::move(child));
  return op;
}

OpPtr WithChildren(OpPtr op, const std::vector<OpPtr>& children) {
  for (const OpPtr& child : children) op->AddChild(child);
  return op;
}

// Destroying an iterator joins the engine's threads, which may be waiting for the GIL to
// call Python code: release it first.
struct ReleaseGilDeleter {
  void operator()(engine::ExecutionTree* tree) const {
    WithoutGil([tree] { delete tree; });
  }
};
using TreeHolder = std::unique_ptr<engine::ExecutionTree, ReleaseGilDeleter>;

// The Python layer's (from_result, index) pairs as MapOp::OutputColumns.
std::vector<engine::MapOp::OutputColumn> ToLayout(const std::vector<std::pair<bool, int>>& pairs) {
  std::vector<engine::MapOp::OutputColumn> layout;
  for (const auto& [from_result, index] : pairs) layout.push_back({from_result, index});
  return layout;
}

// The rows of NumPy arrays (one per column, rows along the first axis), borrowed.
std::shared_ptr<engine::TensorTableSource> TableOf(std::vector<std::string> names,
                                                   const py::list& arrays) {
  std::vector<TensorPtr> columns;
  for (py::handle array : arrays) columns.push_back(TensorFromNumpy(py::reinterpret_borrow<py::object>(array)));
  return ValueOrThrow(engine::TensorTableSource::Make(std::move(names), std::move(columns)));
}

// What follows a fused stage's source: `maps` as (Python callables, input indices, layout,
// workers), then the batch; `num_workers` the stage's.
PythonStage::Steps StageSteps(int source_workers, const py::list& maps, int64_t batch_size,
                              bool drop_remainder, std::vector<std::string> column_names,
                              int num_workers) {
  if (batch_size < 1) ThrowIfError(Status::InvalidArgument("python_stage: batch_size must be at least 1"));
  PythonStage::Steps steps{source_workers, {}, batch_size, drop_remainder, std::move(column_names),
                           num_workers};
  for (py::handle entry : maps) {
    auto [operations, input_indices, layout, workers] = entry.cast<
        std::tuple<py::list, std::vector<int>, std::vector<std::pair<bool, int>>, int>>();
    PythonStage::Map map{{}, std::move(input_indices), ToLayout(layout), workers};
    for (const auto& op : ToTensorOps(operations)) {
      auto function = std::dynamic_pointer_cast<PythonTensorOp>(op);
      if (!function) {
        ThrowIfError(Status::InvalidArgument("python_stage: '" + op->name() +
                                             "' is a native transform; only Python functions "
                                             "run in a Python stage"));
      }
      map.functions.push_back(std::move(function));
    }
    steps.maps.push_back(std::move(map));
  }
  return steps;
}

// engine.<name>(child, args...): an op made from `args` above `child`.
template <class Op, class... Args, class... Names>
void DefOpWithChild(py::module_& engine, const char* name, Names... arg_names) {
  engine.def(
      name,
      [](OpPtr child, Args... args) -> OpPtr {
        return WithChild(std::make_shared<Op>(std::move(args)...), std::move(child));
      },
      py::arg("child"), py::arg(arg_names)...);
}

// engine.<name>(children): an op above all of `children`, in order.
template <class Op>
void DefOpWithChildren(py::module_& engine, const char* name) {
  engine.def(
      name,
      [](const std::vector<OpPtr>& children) -> OpPtr {
        return WithChildren(std::make_shared<Op>(), children);
      },
      py::arg("children"));
}

// Kind of what get_next() returns, as ints for the Python layer.
constexpr int kRowData = 0;
constexpr int kRowEndOfEpoch = 1;
constexpr int kRowEndOfData = 2;

py::tuple GetNext(engine::ExecutionTree& tree) {
  TensorRow row;
  Status status;
  if (tree.NextIsReady()) {
    // Keep the GIL: taking it back would wait until a map worker ends its block.
    status = tree.GetNext(&row);
    DrainDeferredDecrefs();
  } else {
    status = WithoutGil([&] { return tree.GetNext(&row); });
  }
  ThrowIfError(status);
  if (row.is_end_of_epoch()) return py::make_tuple(kRowEndOfEpoch, py::none());
  if (row.is_end_of_data()) return py::make_tuple(kRowEndOfData, py::none());
  py::tuple columns(row.size());
  for (size_t i = 0; i < row.size(); ++i) columns[i] = TensorToNumpy(row[i]);
  return py::make_tuple(kRowData, columns);
}

// Native ops are used as they are; any other callable runs as Python.
// A transform called directly on arrays, outside a pipeline, has no row to take a seed
// from: call n after set_eager_seed(s) gets MixSeed(s, n), so eager calls repeat too.
std::atomic<uint64_t> eager_seed{0};
std::atomic<uint64_t> eager_calls{0};

void SetEagerSeed(uint64_t seed) {
  eager_seed = seed;
  eager_calls = 0;
}

uint64_t NextEagerSeed() { return MixSeed(eager_seed.load(), eager_calls.fetch_add(1)); }

}  // namespace

void RegisterEngine(py::module_& m) {
  py::module_ engine = m.def_submodule("engine", "The execution engine (private).");

  py::class_<engine::Sampler, std::shared_ptr<engine::Sampler>>(engine, "Sampler")
      .def("__repr__", &engine::Sampler::Describe)
      .def("pass_size", &engine::Sampler::PassSize, py::arg("source_size"));
  py::class_<engine::SequentialSampler, engine::Sampler, std::shared_ptr<engine::SequentialSampler>>(
      engine, "SequentialSampler")
      .def(py::init<int64_t, int64_t>(), py::arg("start_index"), py::arg("num_samples"));
  py::class_<engine::RandomSampler, engine::Sampler, std::shared_ptr<engine::RandomSampler>>(
      engine, "RandomSampler")
      .def(py::init<bool, int64_t, uint64_t>(), py::arg("replacement"), py::arg("num_samples"),
           py::arg("seed"));

  py::class_<engine::DistributedSampler, engine::Sampler,
             std::shared_ptr<engine::DistributedSampler>>(engine, "DistributedSampler")
      .def(py::init<int64_t, int64_t, bool, int64_t, uint64_t, int64_t>(), py::arg("num_shards"),
           py::arg("shard_id"), py::arg("shuffle"), py::arg("num_samples"), py::arg("seed"),
           py::arg("offset"));

  py::class_<engine::SubsetSampler, engine::Sampler, std::shared_ptr<engine::SubsetSampler>>(
      engine, "SubsetSampler")
      .def(py::init<std::vector<int64_t>, bool, int64_t, uint64_t>(), py::arg("indices"),
           py::arg("shuffle"), py::arg("num_samples"), py::arg("seed"));

  // A native transform; calling it runs it at once on NumPy arrays (eager mode).
  py::class_<transforms::TensorOp, std::shared_ptr<transforms::TensorOp>>(engine, "TensorOp")
      .def_property_readonly("name", &transforms::TensorOp::name)
      .def("__call__", [](transforms::TensorOp& op, py::args arrays) -> py::object {
        TensorList columns;
        for (py::handle array : arrays) columns.push_back(TensorFromNumpy(py::reinterpret_borrow<py::object>(array)));
        const uint64_t seed = NextEagerSeed();
        // The inputs it drops were queued for the GIL: WithoutGil drops them after.
        ThrowIfError(WithoutGil([&] { return op.Compute(&columns, seed); }));
        if (columns.size() == 1) return TensorToNumpy(columns[0]);
        py::tuple out(columns.size());
        for (size_t i = 0; i < columns.size(); ++i) out[i] = TensorToNumpy(columns[i]);
        return out;
      });
  py::class_<PythonWorkerPoolOp, transforms::TensorOp, std::shared_ptr<PythonWorkerPoolOp>>(
      engine, "WorkerPoolOp",
      "Python callables run by a pool of worker processes (headrace.dataset.workers).")
      .def(py::init<py::object, std::string, std::string>(), py::arg("pool"), py::arg("name"),
           py::arg("description"));
  engine.def("set_eager_seed", &SetEagerSeed, py::arg("seed"),
             "Restarts the seeds of transforms called directly on arrays (config.set_seed).");
  engine.def("cancel_pipe_fds", &CancelPipe::OpenFds,
             "File descriptors of every cancel pipe: a forked worker process closes them.");
  engine.def(
      "python_thread_states",
      [] {
        int count = 0;
        for (PyThreadState* state = PyInterpreterState_ThreadHead(PyInterpreterState_Get());
             state != nullptr; state = PyThreadState_Next(state)) {
          ++count;
        }
        return count;
      },
      "Python thread states of this interpreter: tests check that engine threads delete theirs.");

  py::class_<DatasetOp, OpPtr>(engine, "Op")
      .def_property_readonly("name", &DatasetOp::name)
      .def("tree_string", [](const DatasetOp& op) { return op.TreeString(); })
      .def("set_start", &DatasetOp::SetStart, py::arg("pass_index"), py::arg("row"),
           "Resuming: the op's first pass is pass `pass_index` and begins at row `row`.");

  engine.def(
      "table_source",
      [](std::vector<std::string> names, const py::list& arrays,
         std::shared_ptr<engine::Sampler> sampler, int num_workers) -> OpPtr {
        return std::make_shared<engine::SourceOp>("NumpySlices", TableOf(std::move(names), arrays),
                                                  std::move(sampler), num_workers);
      },
      py::arg("column_names"), py::arg("arrays"), py::arg("sampler"), py::arg("num_workers"));
  engine.def(
      "file_list_source",
      [](std::string name, std::vector<std::string> paths, std::vector<int32_t> labels,
         std::vector<std::string> column_names, std::shared_ptr<engine::Sampler> sampler,
         int num_workers) -> OpPtr {
        auto files = ValueOrThrow(engine::FileListSource::Make(std::move(paths), std::move(labels),
                                                               std::move(column_names)));
        return std::make_shared<engine::SourceOp>(std::move(name), files, std::move(sampler), num_workers);
      },
      py::arg("name"), py::arg("paths"), py::arg("labels"), py::arg("column_names"),
      py::arg("sampler"), py::arg("num_workers"));
  engine.def(
      "python_random_access_source",
      [](py::object source, std::vector<std::string> names,
         std::shared_ptr<engine::Sampler> sampler, int num_workers) -> OpPtr {
        auto python = std::make_shared<PythonRandomAccessSource>(std::move(source), std::move(names));
        return std::make_shared<engine::SourceOp>("Generator", python, std::move(sampler), num_workers);
      },
      py::arg("source"), py::arg("column_names"), py::arg("sampler"), py::arg("num_workers"));
  engine.def(
      "python_stage",
      [](py::object source, std::vector<std::string> source_columns,
         std::shared_ptr<engine::Sampler> sampler, int source_workers, const py::list& maps,
         int64_t batch_size, bool drop_remainder, std::vector<std::string> column_names,
         int num_workers) -> OpPtr {
        auto stage = std::make_shared<PythonStage>(
            std::move(source), std::move(source_columns),
            StageSteps(source_workers, maps, batch_size, drop_remainder, std::move(column_names),
                       num_workers));
        return std::make_shared<engine::SourceOp>("Generator+Map+Batch", stage, std::move(sampler),
                                                  num_workers);
      },
      py::arg("source"), py::arg("source_columns"), py::arg("sampler"),
      py::arg("source_workers"), py::arg("maps"),
      py::arg("batch_size"), py::arg("drop_remainder"), py::arg("column_names"),
      py::arg("num_workers"));
  engine.def(
      "table_stage",
      [](std::vector<std::string> names, const py::list& arrays,
         std::shared_ptr<engine::Sampler> sampler, const py::list& maps, int64_t batch_size,
         bool drop_remainder, std::vector<std::string> column_names, int num_workers) -> OpPtr {
        auto stage = std::make_shared<PythonStage>(
            TableOf(std::move(names), arrays),
            StageSteps(num_workers, maps, batch_size, drop_remainder, std::move(column_names),
                       num_workers));
        return std::make_shared<engine::SourceOp>("NumpySlices+Map+Batch", stage,
                                                  std::move(sampler), num_workers);
      },
      py::arg("column_names"), py::arg("arrays"), py::arg("sampler"), py::arg("maps"),
      py::arg("batch_size"), py::arg("drop_remainder"), py::arg("batch_column_names"),
      py::arg("num_workers"));
  engine.def(
      "python_stream_source",
      [](py::object make_iterator, std::vector<std::string> names, int64_t num_samples) -> OpPtr {
        auto python = std::make_shared<PythonStreamSource>(std::move(make_iterator), std::move(names));
        return std::make_shared<engine::StreamSourceOp>("Generator", python, num_samples);
      },
      py::arg("make_iterator"), py::arg("column_names"), py::arg("num_samples"));
  engine.def(
      "map_op",
      [](OpPtr child, const py::list& operations, std::vector<int> input_indices,
         const std::vector<std::pair<bool, int>>& layout, int num_workers,
         int64_t child_block_rows, uint64_t seed, bool fuse) -> OpPtr {
        if (child_block_rows > 0) child->LimitOutputBlockRows(child_block_rows);
        auto chain = ToTensorOps(operations);
        if (fuse) chain = transforms::FuseTransforms(std::move(chain));
        return WithChild(std::make_shared<engine::MapOp>(std::move(chain),
                                                         std::move(input_indices),
                                                         ToLayout(layout), num_workers, seed),
                         std::move(child));
      },
      py::arg("child"), py::arg("operations"), py::arg("input_indices"), py::arg("layout"),
      py::arg("num_workers"), py::arg("child_block_rows"), py::arg("seed"), py::arg("fuse"));
  py::class_<engine::PadSpec>(engine, "PadSpec")
      .def(py::init([](bool enabled, std::vector<int64_t> shape, double value, std::string text) {
             return engine::PadSpec{enabled, Shape(shape), value, std::move(text)};
           }),
           py::arg("enabled"), py::arg("shape"), py::arg("value"), py::arg("text"));
  engine.def(
      "batch_op",
      [](OpPtr child, int64_t batch_size, bool drop_remainder, std::vector<std::string> names,
         std::vector<engine::PadSpec> pads, int num_workers, py::object batch_map,
         std::string batch_map_name, std::vector<int> input_indices,
         const std::vector<std::pair<bool, int>>& layout, bool batch_map_is_pool) -> OpPtr {
        engine::BatchOp::Options options;
        options.batch_size = batch_size;
        options.drop_remainder = drop_remainder;
        options.column_names = std::move(names);
        options.pads = std::move(pads);
        if (!batch_map.is_none()) {
          if (batch_map_is_pool) {
            options.batch_map = std::make_shared<PythonWorkerBatchMap>(std::move(batch_map),
                                                                       std::move(batch_map_name));
          } else {
            options.batch_map = std::make_shared<PythonBatchMap>(std::move(batch_map),
                                                                 std::move(batch_map_name));
          }
          options.input_indices = std::move(input_indices);
          options.layout = ToLayout(layout);
        }
        return engine::MakeBatch(std::move(child), std::move(options), num_workers);
      },
      py::arg("child"), py::arg("batch_size"), py::arg("drop_remainder"), py::arg("column_names"),
      py::arg("pads"), py::arg("num_workers"), py::arg("batch_map"), py::arg("batch_map_name"),
      py::arg("input_indices"), py::arg("layout"), py::arg("batch_map_is_pool"));
  engine.def(
      "bucket_batch_op",
      [](OpPtr child, std::vector<int> input_indices, py::object length_fn,
         std::vector<int64_t> boundaries, std::vector<int64_t> batch_sizes,
         std::vector<engine::PadSpec> pads, bool pad_to_bucket_boundary, bool drop_remainder,
         std::vector<std::string> names) -> OpPtr {
        engine::BucketBatchOp::Options options;
        options.input_indices = std::move(input_indices);
        if (!length_fn.is_none()) options.length_fn = std::make_shared<PythonTensorOp>(length_fn);
        options.boundaries = std::move(boundaries);
        options.batch_sizes = std::move(batch_sizes);
        options.pads = std::move(pads);
        options.pad_to_bucket_boundary = pad_to_bucket_boundary;
        options.drop_remainder = drop_remainder;
        options.column_names = std::move(names);
        return WithChild(std::make_shared<engine::BucketBatchOp>(std::move(options)), std::move(child));
      },
      py::arg("child"), py::arg("input_indices"), py::arg("length_fn"), py::arg("boundaries"),
      py::arg("batch_sizes"), py::arg("pads"), py::arg("pad_to_bucket_boundary"),
      py::arg("drop_remainder"), py::arg("column_names"));

  engine.def(
      "callback_op",
      [](OpPtr child, py::object call, bool step_hooks) -> OpPtr {
        return WithChild(std::make_shared<engine::CallbackOp>(
                             std::make_shared<PythonCallback>(std::move(call)), step_hooks),
                         std::move(child));
      },
      py::arg("child"), py::arg("call"), py::arg("step_hooks"));
  engine.def(
      "filter_op",
      [](OpPtr child, py::object predicate, std::vector<int> input_indices, int num_workers) -> OpPtr {
        auto op = std::make_shared<PythonTensorOp>(std::move(predicate));
        return WithChild(std::make_shared<engine::FilterOp>(op, std::move(input_indices), num_workers),
                         std::move(child));
      },
      py::arg("child"), py::arg("predicate"), py::arg("input_indices"), py::arg("num_workers"));

  DefOpWithChild<engine::RepeatOp, int64_t>(engine, "repeat_op", "count");
  DefOpWithChild<engine::TakeOp, int64_t>(engine, "take_op", "count");
  DefOpWithChild<engine::SkipOp, int64_t>(engine, "skip_op", "count");
  DefOpWithChild<engine::ShuffleOp, int64_t, uint64_t>(engine, "shuffle_op", "buffer_size", "seed");
  DefOpWithChild<engine::ProjectOp, std::vector<int>>(engine, "project_op", "indices");
  DefOpWithChildren<engine::ZipOp>(engine, "zip_op");
  DefOpWithChildren<engine::ConcatOp>(engine, "concat_op");

  py::class_<engine::ExecutionTree, TreeHolder>(engine, "Iterator")
      .def(py::init([](OpPtr root, int64_t prefetch_rows, int64_t block_rows, int64_t num_epochs,
                       int64_t start_epoch) {
             engine::PipelineSettings settings;
             settings.prefetch_rows = prefetch_rows;
             settings.block_rows = block_rows;
             settings.num_epochs = num_epochs;
             settings.start_epoch = start_epoch;
             TreeHolder tree(new engine::ExecutionTree(std::move(root), settings));
             ThrowIfError(WithoutGil([&] { return tree->Launch(); }));
             return tree;
           }),
           py::arg("root"), py::arg("prefetch_rows"), py::arg("block_rows"), py::arg("num_epochs"),
           py::arg("start_epoch") = 0)
      .def("get_next", &GetNext,
           "(0, columns) for a row, (1, None) at the end of an epoch, (2, None) at the end.")
      .def("stop", [](engine::ExecutionTree& tree) { WithoutGil([&] { tree.Stop(); }); })
      .def("tree_string", &engine::ExecutionTree::TreeString)
      .def("statistics", [](const engine::ExecutionTree& tree) {
        py::list ops;
        for (const engine::OpStatistics& s : tree.Statistics()) {
          py::dict d;
          d["name"] = s.name;
          d["depth"] = s.depth;
          d["num_workers"] = s.num_workers;
          d["rows_in"] = s.rows_in;
          d["rows_out"] = s.rows_out;
          d["worker_seconds"] = s.worker_seconds;
          d["input_wait_seconds"] = s.input_wait_seconds;
          d["output_wait_seconds"] = s.output_wait_seconds;
          d["busy_seconds"] = s.busy_seconds;
          d["queued_rows"] = s.queued_rows;
          d["capacity_rows"] = s.capacity_rows;
          ops.append(d);
        }
        return ops;
      }, "Every op's statistics so far, root first (see engine/op_statistics.h).")
      .def("consumer_wait_seconds", &engine::ExecutionTree::ConsumerWaitSeconds);
}

}  // namespace headrace::bindings
