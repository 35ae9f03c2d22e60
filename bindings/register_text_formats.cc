// CSV files and text files read line by line, in headrace._core.records: formats that
// records.record_files_op reads (see register_record_files.cc).
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "bindings/deferred_decref.h"
#include "bindings/register.h"
#include "bindings/status_to_python.h"
#include "headrace/engine/sources/text/csv_format.h"
#include "headrace/engine/sources/text/text_line_format.h"

namespace py = pybind11;

namespace headrace::bindings {

namespace {

using engine::CSVColumnType;

// field_delim as the one byte the parser splits on; Python checks it too, with the
// argument's name, but a direct caller of _core gets a clear error as well.
char OneCharacter(const std::string& field_delim) {
  if (field_delim.size() != 1) {
    ThrowIfError(Status::InvalidArgument("field_delim must be one ASCII character, got '" +
                                         field_delim + "'"));
  }
  return field_delim[0];
}

}  // namespace

void RegisterTextFormats(py::module_& m) {
  py::module_ records = m.attr("records").cast<py::module_>();

  py::enum_<CSVColumnType>(records, "CSVColumnType")
      .value("INT32", CSVColumnType::kInt32)
      .value("FLOAT32", CSVColumnType::kFloat32)
      .value("STRING", CSVColumnType::kString);

  py::class_<engine::CSVFormat, engine::RecordFormat, std::shared_ptr<engine::CSVFormat>>(records, "CSVFormat")
      .def(py::init([](const std::string& field_delim, std::vector<std::string> column_names,
                       std::vector<CSVColumnType> column_types, bool header_line) {
             return ValueOrThrow(engine::CSVFormat::Make(OneCharacter(field_delim), std::move(column_names),
                                                         std::move(column_types), header_line));
           }),
           py::arg("field_delim"), py::arg("column_names"), py::arg("column_types"),
           py::arg("header_line"),
           "CSV records of the named columns; with header_line, every file's first record "
           "must name them.")
      .def_property_readonly("column_types", &engine::CSVFormat::column_types)
      .def_property_readonly("header_line", &engine::CSVFormat::header_line)
      .def_static(
          "read_header",
          [](const std::string& path, const std::string& field_delim) {
            const char delim = OneCharacter(field_delim);
            return ValueOrThrow(WithoutGil([&] { return engine::CSVFormat::ReadHeader(path, delim); }));
          },
          py::arg("path"), py::arg("field_delim"), "The column names in the first record of `path`.");

  py::class_<engine::TextLineFormat, engine::RecordFormat, std::shared_ptr<engine::TextLineFormat>>(
      records, "TextLineFormat")
      .def(py::init([] { return std::make_shared<engine::TextLineFormat>(); }),
           "Lines of UTF-8 text as rows of one `text` column.");
}

}  // namespace headrace::bindings
