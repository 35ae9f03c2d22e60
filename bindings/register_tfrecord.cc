// TFRecord files of tf.train.Example records, in headrace._core.records: TFRecordFormat,
// a records.RecordFormat that records.record_files_op reads (TFRecordDataset).
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "bindings/deferred_decref.h"
#include "bindings/register.h"
#include "bindings/status_to_python.h"
#include "headrace/engine/sources/tfrecord/tfrecord_format.h"

namespace py = pybind11;

namespace headrace::bindings {

namespace {

using engine::RecordFormat;
using engine::tfrecord::ColumnSpec;
using engine::tfrecord::TFRecordFormat;

// A schema column from Python: (name, dtype name, shape or None).
using PyColumn = std::tuple<std::string, std::string, std::optional<std::vector<int64_t>>>;

std::vector<ColumnSpec> ToColumns(const std::vector<PyColumn>& schema) {
  std::vector<ColumnSpec> columns;
  for (const auto& [name, dtype, shape] : schema) {
    ColumnSpec column;
    column.name = name;
    column.dtype = ValueOrThrow(DataTypeFromName(dtype));
    if (shape.has_value()) column.shape = Shape(*shape);
    columns.push_back(std::move(column));
  }
  return columns;
}

std::vector<PyColumn> FromColumns(const std::vector<ColumnSpec>& columns) {
  std::vector<PyColumn> out;
  for (const ColumnSpec& column : columns) {
    std::optional<std::vector<int64_t>> shape;
    if (column.shape.has_value()) shape = std::vector<int64_t>(column.shape->begin(), column.shape->end());
    out.emplace_back(column.name, std::string(DataTypeName(column.dtype)), shape);
  }
  return out;
}

}  // namespace

void RegisterTFRecord(py::module_& m) {
  py::module_ records = m.attr("records").cast<py::module_>();

  py::class_<TFRecordFormat, RecordFormat, std::shared_ptr<TFRecordFormat>>(records, "TFRecordFormat")
      .def(py::init([](const std::vector<PyColumn>& schema, const std::vector<std::string>& columns_list,
                       const std::string& compression_type, const std::string& infer_from) {
             auto columns = ToColumns(schema);
             auto compression = ValueOrThrow(engine::tfrecord::CompressionFromName(compression_type));
             return ValueOrThrow(WithoutGil([&] {
               return TFRecordFormat::Make(std::move(columns), columns_list, compression, infer_from);
             }));
           }),
           py::arg("schema"), py::arg("columns_list"), py::arg("compression_type"),
           py::arg("infer_from") = "",
           "schema: [(name, dtype, shape or None)]; empty: the features of the first record of "
           "`infer_from`, in name order. columns_list: the columns to keep, in that order.")
      .def_property_readonly("columns",
                             [](const TFRecordFormat& format) { return FromColumns(format.columns()); },
                             "[(name, dtype, shape or None)] of the rows.")
      .def(
          "check_files",
          [](const TFRecordFormat& format, const std::vector<std::string>& files) {
            ThrowIfError(WithoutGil([&]() -> Status {
              for (const std::string& file : files) RETURN_IF_ERROR(format.CheckFile(file));
              return Status::OK();
            }));
          },
          py::arg("files"), "Opens each file and checks its first record header.");
}

}  // namespace headrace::bindings
