#include "bindings/python_sources.h"

#include "bindings/numpy_conversion.h"
#include "bindings/python_error.h"

namespace py = pybind11;

namespace headrace::bindings {

namespace {

// Columns of one item: a tuple gives one column per entry, anything else one column.
Status ItemToRow(const py::object& item, const std::vector<std::string>& column_names,
                 TensorRow* row) {
  auto& columns = row->mutable_columns();
  columns.clear();
  if (py::isinstance<py::tuple>(item)) {
    for (py::handle value : item) {
      columns.push_back(TensorFromNumpy(py::reinterpret_borrow<py::object>(value)));
    }
  } else {
    columns.push_back(TensorFromNumpy(item));
  }
  return CheckItemWidth(columns.size(), column_names.size());
}

}  // namespace

Status CheckItemWidth(size_t columns, size_t names) {
  if (columns == names) return Status::OK();
  return Status::InvalidArgument("GeneratorDataset: the source gave a row of " +
                                 std::to_string(columns) + " column(s), but column_names has " +
                                 std::to_string(names) + " names");
}

std::string ItemContext(int64_t index) {
  return "GeneratorDataset source[" + std::to_string(index) + "]";
}

PythonRandomAccessSource::PythonRandomAccessSource(py::object source,
                                                   std::vector<std::string> column_names)
    : column_names_(std::move(column_names)) {
  size_ = static_cast<int64_t>(py::len(source));
  source_ = AnyThreadRef(source.release().ptr());
}

Status PythonRandomAccessSource::Get(int64_t index, TensorRow* row) {
  EngineGil gil;
  return GetHoldingGil(index, row);
}

Status PythonRandomAccessSource::GetBlock(const int64_t* indices, size_t count,
                                          engine::RowBlock* block) {
  EngineGil gil;
  for (size_t i = 0; i < count; ++i) {
    TensorRow row(indices[i], {});
    RETURN_IF_ERROR(GetHoldingGil(indices[i], &row));
    block->push_back(std::move(row));
  }
  return Status::OK();
}

Status PythonRandomAccessSource::GetHoldingGil(int64_t index, TensorRow* row) {
  try {
    return ItemToRow(py::handle(source_.ptr())[py::int_(index)], column_names_, row);
  } catch (py::error_already_set& error) {
    return StatusFromPythonError(error, ItemContext(index));
  }
}

PythonStreamSource::PythonStreamSource(py::object make_iterator,
                                       std::vector<std::string> column_names)
    : make_iterator_(make_iterator.release().ptr()), column_names_(std::move(column_names)) {}

Status PythonStreamSource::Reset() {
  EngineGil gil;
  try {
    iterator_ = AnyThreadRef(py::handle(make_iterator_.ptr())().release().ptr());
    return Status::OK();
  } catch (py::error_already_set& error) {
    return StatusFromPythonError(error, "GeneratorDataset source");
  }
}

Status PythonStreamSource::NextBlock(int64_t max_rows, std::chrono::microseconds max_delay,
                                     engine::RowBlock* block, bool* end) {
  EngineGil gil;
  const auto start = std::chrono::steady_clock::now();
  try {
    for (int64_t i = 0; i < max_rows; ++i) {
      PyObject* item = PyIter_Next(iterator_.ptr());
      if (item == nullptr) {
        if (PyErr_Occurred()) throw py::error_already_set();
        *end = true;
        return Status::OK();
      }
      TensorRow row;
      RETURN_IF_ERROR(ItemToRow(py::reinterpret_steal<py::object>(item), column_names_, &row));
      block->push_back(std::move(row));
      if (std::chrono::steady_clock::now() - start >= max_delay) break;
    }
    return Status::OK();
  } catch (py::error_already_set& error) {
    return StatusFromPythonError(error, "GeneratorDataset source");
  }
}

}  // namespace headrace::bindings
