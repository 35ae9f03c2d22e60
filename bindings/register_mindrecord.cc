// MindRecord files: the reader (a source) and the writer, in headrace._core.records.
//
//   mindrecord_open(files, columns) -> MindRecordSource   headers read, rows indexed
//   mindrecord_source_op(source, sampler, num_workers) -> Op
//   mindrecord_siblings(path), mindrecord_header(path)     what one file says of its set
//   FileBlockSampler(mode, file_rows, ...)                 Shuffle.FILES / Shuffle.INFILE
//   MindRecordWriter(paths, schema_json, ...)              write(rows, blobs), commit()
// Everything that touches files runs without the GIL.
#include <algorithm>

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "bindings/deferred_decref.h"
#include "bindings/numpy_conversion.h"
#include "bindings/register.h"
#include "bindings/status_to_python.h"
#include "headrace/engine/ops/source_op.h"
#include "headrace/engine/samplers/file_block_sampler.h"
#include "headrace/engine/sources/mindrecord/mindrecord_source.h"
#include "headrace/engine/sources/mindrecord/mindrecord_writer.h"

namespace py = pybind11;

namespace headrace::bindings {

namespace {

using engine::MindRecordSource;
using engine::MindRecordWriter;

engine::MindRecordValue ToValue(const std::string& column, const py::handle& value) {
  if (py::isinstance<py::bool_>(value)) {
    throw py::type_error("column '" + column + "': bool is not a MindRecord type");
  }
  if (py::isinstance<py::int_>(value)) return value.cast<int64_t>();
  if (py::isinstance<py::float_>(value)) return value.cast<double>();
  if (py::isinstance<py::str>(value)) return value.cast<std::string>();
  throw py::type_error("column '" + column + "': " + std::string(py::str(py::type::of(value).attr("__name__"))) +
                       " is not int, float or str");
}

// The Python rows as the writer's: `raw_rows` dicts of scalar columns, `blob_rows` the
// blob columns' bytes per row.
std::vector<engine::MindRecordRow> ToRows(const py::list& raw_rows, const py::list& blob_rows) {
  if (raw_rows.size() != blob_rows.size()) throw py::value_error("raw_rows and blob_rows differ in length");
  std::vector<engine::MindRecordRow> rows(raw_rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    for (const auto& [key, value] : raw_rows[i].cast<py::dict>()) {
      const auto name = key.cast<std::string>();
      rows[i].scalars.emplace_back(name, ToValue(name, value));
    }
    for (const py::handle& blob : blob_rows[i].cast<py::list>()) rows[i].blobs.push_back(blob.cast<std::string>());
  }
  return rows;
}

}  // namespace

void RegisterMindRecord(py::module_& m) {
  py::module_ records = m.attr("records").cast<py::module_>();

  py::class_<MindRecordSource, std::shared_ptr<MindRecordSource>>(records, "MindRecordSource")
      .def_property_readonly("size", &MindRecordSource::size)
      .def_property_readonly("num_rows", &MindRecordSource::num_rows)
      .def_property_readonly("file_rows", &MindRecordSource::file_rows)
      .def_property_readonly("column_names", &MindRecordSource::column_names)
      .def(
          "set_padded",
          [](MindRecordSource& source, const py::list& columns, int64_t count) {
            std::vector<TensorPtr> tensors;
            for (const py::handle& column : columns) tensors.push_back(TensorFromNumpy(py::reinterpret_borrow<py::object>(column)));
            ThrowIfError(source.SetPadded(std::move(tensors), count));
          },
          py::arg("columns"), py::arg("count"),
          "Rows num_rows .. num_rows + count become `columns` (one array per column). Before reading.");

  records.def(
      "mindrecord_open",
      [](std::vector<std::string> files, std::vector<std::string> columns) {
        return ValueOrThrow(WithoutGil([&] { return MindRecordSource::Open(files, columns); }));
      },
      py::arg("files"), py::arg("columns"), "The rows of the MindRecord shard files `files`, in this order.");
  records.def(
      "mindrecord_source_op",
      [](std::shared_ptr<MindRecordSource> source, std::shared_ptr<engine::Sampler> sampler, int num_workers,
         int64_t block_bytes) -> std::shared_ptr<engine::DatasetOp> {
        const int64_t row_bytes = std::max<int64_t>(source->average_blob_bytes(), 1);
        auto op = std::make_shared<engine::SourceOp>("MindRecord", std::move(source), std::move(sampler), num_workers);
        if (block_bytes > 0) op->LimitOutputBlockRows(std::max<int64_t>(1, block_bytes / row_bytes));
        return op;
      },
      py::arg("source"), py::arg("sampler"), py::arg("num_workers"), py::arg("block_bytes"));
  records.def(
      "mindrecord_siblings",
      [](const std::string& path) { return ValueOrThrow(WithoutGil([&] { return MindRecordSource::SiblingFiles(path); })); },
      py::arg("path"), "The shard files of the data set `path` belongs to (from its header).");
  records.def(
      "mindrecord_header",
      [](const std::string& path) {
        auto header = ValueOrThrow(WithoutGil([&]() -> Result<engine::MindRecordHeader> {
          ASSIGN_OR_RETURN(std::unique_ptr<engine::DataFile> file, engine::DataFile::Open(path));
          return engine::MindRecordHeader::Read(*file);
        }));
        return py::make_tuple(header.Serialize(), header.num_rows());
      },
      py::arg("path"), "(the header's JSON text, the file's rows), without reading any row.");

  py::class_<engine::FileBlockSampler, engine::Sampler, std::shared_ptr<engine::FileBlockSampler>>(
      records, "FileBlockSampler")
      .def(py::init([](const std::string& mode, std::vector<int64_t> file_rows, int64_t num_shards, int64_t shard_id,
                       int64_t num_samples, uint64_t seed) {
             if (mode != "files" && mode != "infile") throw py::value_error("mode must be 'files' or 'infile'");
             const auto kind = mode == "files" ? engine::FileBlockSampler::Mode::kFiles
                                               : engine::FileBlockSampler::Mode::kInFile;
             return std::make_shared<engine::FileBlockSampler>(kind, std::move(file_rows), num_shards, shard_id,
                                                               num_samples, seed);
           }),
           py::arg("mode"), py::arg("file_rows"), py::arg("num_shards"), py::arg("shard_id"),
           py::arg("num_samples"), py::arg("seed"));

  py::class_<MindRecordWriter>(records, "MindRecordWriter")
      .def(py::init([](std::vector<std::string> paths, const std::string& schema_json, const std::string& desc,
                       std::vector<std::string> index_fields, int64_t header_size, int64_t page_size, bool overwrite) {
             auto header = ValueOrThrow(engine::MindRecordHeader::FromSchema(schema_json, desc));
             header.index_fields = std::move(index_fields);
             header.header_size = header_size;
             header.page_size = page_size;
             return ValueOrThrow(WithoutGil([&] { return MindRecordWriter::Create(paths, std::move(header), overwrite); }));
           }),
           py::arg("paths"), py::arg("schema_json"), py::arg("desc"), py::arg("index_fields"), py::arg("header_size"),
           py::arg("page_size"), py::arg("overwrite"))
      .def(
          "write",
          [](MindRecordWriter& writer, const py::list& raw_rows, const py::list& blob_rows) {
            const auto rows = ToRows(raw_rows, blob_rows);
            ThrowIfError(WithoutGil([&] { return writer.Write(rows); }));
          },
          py::arg("raw_rows"), py::arg("blob_rows"))
      .def("commit", [](MindRecordWriter& writer) { ThrowIfError(WithoutGil([&] { return writer.Commit(); })); })
      .def_property_readonly("rows_written", &MindRecordWriter::rows_written);
}

}  // namespace headrace::bindings
