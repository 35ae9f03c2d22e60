// Sources over files, in headrace._core.records: the RecordFormat base class that the
// TFRecord, CSV and text formats derive from, and the op that reads a list of their files
// with file shuffles and shards (engine/ops/record_files_op.h). The formats and the
// random-access file sources register themselves in register_<format>.cc.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "bindings/deferred_decref.h"
#include "bindings/register.h"
#include "bindings/status_to_python.h"
#include "headrace/engine/ops/record_files_op.h"
#include "headrace/engine/sources/file_shard_plan.h"
#include "headrace/engine/sources/record_file.h"

namespace py = pybind11;

namespace headrace::bindings {

namespace {

using engine::RecordFormat;

engine::ShardOptions MakeShardOptions(int64_t num_shards, int64_t shard_id, bool shuffle_files,
                                      bool equal_rows, uint64_t seed) {
  engine::ShardOptions options;
  options.num_shards = num_shards;
  options.shard_id = shard_id;
  options.shuffle_files = shuffle_files;
  options.equal_rows = equal_rows;
  options.seed = seed;
  return options;
}

}  // namespace

void RegisterRecordFiles(py::module_& m) {
  py::module_ records = m.def_submodule("records", "Sources over data files (private).");

  py::class_<RecordFormat, std::shared_ptr<RecordFormat>>(records, "RecordFormat")
      .def_property_readonly("name", &RecordFormat::name)
      .def_property_readonly("column_names", &RecordFormat::column_names)
      .def(
          "count_rows",
          [](const RecordFormat& format, const std::vector<std::string>& files) {
            return ValueOrThrow(WithoutGil([&]() -> Result<std::vector<int64_t>> {
              std::vector<int64_t> rows;
              for (const std::string& file : files) {
                ASSIGN_OR_RETURN(int64_t count, format.CountRows(file));
                rows.push_back(count);
              }
              return rows;
            }));
          },
          py::arg("files"), "Rows in each of `files` (reads what the format needs to count).");

  records.def(
      "shard_rows",
      [](std::vector<int64_t> file_rows, int64_t num_shards, int64_t shard_id, bool equal_rows) {
        const auto num_files = static_cast<int64_t>(file_rows.size());
        auto plan = ValueOrThrow(engine::FileShardPlan::Make(
            num_files, MakeShardOptions(num_shards, shard_id, false, equal_rows, 0),
            std::move(file_rows)));
        return plan.ShardRows(0);
      },
      py::arg("file_rows"), py::arg("num_shards"), py::arg("shard_id"), py::arg("equal_rows"),
      "Rows one shard reads in a pass whose files are in their given order.");

  records.def(
      "check_shards",
      [](int64_t num_files, int64_t num_shards, int64_t shard_id, bool equal_rows) {
        // Row counts are not needed to check the arguments: pretend one row per file.
        ThrowIfError(engine::FileShardPlan::Make(
                         num_files, MakeShardOptions(num_shards, shard_id, false, equal_rows, 0),
                         std::vector<int64_t>(static_cast<size_t>(num_files), 1))
                         .status());
      },
      py::arg("num_files"), py::arg("num_shards"), py::arg("shard_id"), py::arg("equal_rows"));

  records.def(
      "record_files_op",
      [](std::shared_ptr<RecordFormat> format, std::vector<std::string> files,
         std::vector<int64_t> file_rows, int64_t num_shards, int64_t shard_id, bool shuffle_files,
         bool equal_rows, uint64_t seed, int num_workers,
         int64_t num_samples) -> std::shared_ptr<engine::DatasetOp> {
        const auto num_files = static_cast<int64_t>(files.size());
        auto plan = ValueOrThrow(engine::FileShardPlan::Make(
            num_files, MakeShardOptions(num_shards, shard_id, shuffle_files, equal_rows, seed),
            std::move(file_rows)));
        return std::make_shared<engine::RecordFilesOp>(std::move(format), std::move(files),
                                                       std::move(plan), num_workers, num_samples);
      },
      py::arg("format"), py::arg("files"), py::arg("file_rows"), py::arg("num_shards"),
      py::arg("shard_id"), py::arg("shuffle_files"), py::arg("equal_rows"), py::arg("seed"),
      py::arg("num_workers"), py::arg("num_samples"));
}

}  // namespace headrace::bindings
