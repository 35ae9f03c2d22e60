#include "bindings/python_stage.h"

#include <pybind11/numpy.h>

#include <algorithm>
#include <cstring>
#include <optional>

#include "bindings/numpy_conversion.h"
#include "bindings/python_error.h"
#include "bindings/python_sources.h"
#include "headrace/engine/ops/batch_op.h"

namespace py = pybind11;

namespace headrace::bindings {

namespace {

// One column of one row on its way through the stage: an array a tensor could borrow as
// it is, or a number, kept as the Python object; anything else as the tensor the unfused
// engine makes of it.
struct Value {
  enum class Kind { kArray, kScalar, kTensor };
  Kind kind = Kind::kTensor;
  py::object object;  // the array or the number
  DataType type = DataType::kUInt8;  // the array's
  ScalarBytes scalar{};  // the number's
  TensorPtr tensor;
};

using Row = std::vector<Value>;

Value ArrayValue(py::handle object, DataType type) {
  return Value{Value::Kind::kArray, py::reinterpret_borrow<py::object>(object), type, {}, nullptr};
}

Value TensorValue(TensorPtr tensor) {
  return Value{Value::Kind::kTensor, py::object(), DataType::kUInt8, {}, std::move(tensor)};
}

// `object` as a Value; raises what TensorFromNumpy raises for what cannot convert.
Value ValueOf(py::handle object) {
  if (py::isinstance<py::array>(object)) {
    if (std::optional<DataType> type = BorrowableType(py::reinterpret_borrow<py::array>(object))) {
      return ArrayValue(object, *type);
    }
  } else if (std::optional<ScalarBytes> scalar = ScalarValue(object)) {
    return Value{Value::Kind::kScalar, py::reinterpret_borrow<py::object>(object),
                 DataType::kUInt8, *scalar, nullptr};
  }
  return TensorValue(TensorFromNumpy(py::reinterpret_borrow<py::object>(object)));
}

// `value` as the tensor the unfused engine would have made of it.
TensorPtr TensorOf(const Value& value) {
  return value.kind == Value::Kind::kTensor ? value.tensor : TensorFromNumpy(value.object);
}

// What a function is given for `value`: what the unfused map gives, a plain ndarray that
// cannot write its memory (a read-only plain ndarray is one already).
py::object ArgumentOf(const Value& value) {
  if (value.kind != Value::Kind::kArray) return TensorToNumpy(TensorOf(value));
  auto array = py::reinterpret_borrow<py::array>(value.object);
  const bool plain = Py_TYPE(array.ptr()) == py::detail::npy_api::get().PyArray_Type_;
  return plain && !array.writeable() ? value.object : py::object(ReadOnlyView(array));
}

// source[index] as a row of `width` columns.
Status ReadItem(PyObject* source, int64_t index, size_t width, Row* row) {
  row->clear();
  try {
    py::object item = py::handle(source)[py::int_(index)];
    if (py::isinstance<py::tuple>(item)) {
      for (py::handle value : item) row->push_back(ValueOf(value));
    } else {
      row->push_back(ValueOf(item));
    }
  } catch (py::error_already_set& error) {
    return StatusFromPythonError(error, ItemContext(index));
  }
  return CheckItemWidth(row->size(), width);
}

// What `function` returned, as values: arrays kept, anything else converted (and refused)
// exactly as the unfused map converts a function's result.
Status ResultValues(py::handle result, const PythonTensorOp& function, Row* values) {
  values->clear();
  const bool is_tuple = py::isinstance<py::tuple>(result);
  auto keep = [&](py::handle item) {
    if (!py::isinstance<py::array>(item)) return false;
    std::optional<DataType> type = BorrowableType(py::reinterpret_borrow<py::array>(item));
    if (!type) return false;
    values->push_back(ArrayValue(item, *type));
    return true;
  };
  bool kept = true;
  if (is_tuple) {
    for (py::handle item : result) {
      if (!(kept = keep(item))) break;
    }
  } else {
    kept = keep(result);
  }
  if (kept) return Status::OK();
  values->clear();
  TensorList columns;
  RETURN_IF_ERROR(PythonResultToColumns(result, &columns, function.description()));
  for (TensorPtr& column : columns) values->push_back(TensorValue(std::move(column)));
  return Status::OK();
}

// What applying a map needs besides the row, kept from row to row so that a row costs no
// allocation. Holds Python objects: destroyed with the GIL held.
struct MapScratch {
  Row values;
  Row out;
  std::vector<py::object> arguments;
  std::vector<PyObject*> pointers;
};

// One map applied to `row`, as MapOp applies it: the chain on the input columns, then the
// output row laid out from the results and the columns passed through.
Status ApplyMap(const PythonStage::Map& map, Row* row, MapScratch* scratch) {
  Row& values = scratch->values;
  values.clear();
  for (int index : map.input_indices) {
    if (index >= static_cast<int>(row->size())) {
      return Status::Internal("Map: row has " + std::to_string(row->size()) +
                              " columns, input column " + std::to_string(index) + " wanted");
    }
    values.push_back((*row)[index]);
  }
  std::vector<py::object>& arguments = scratch->arguments;
  std::vector<PyObject*>& pointers = scratch->pointers;
  for (const auto& function : map.functions) {
    arguments.clear();
    pointers.clear();
    try {
      for (const Value& value : values) {
        arguments.push_back(ArgumentOf(value));
        pointers.push_back(arguments.back().ptr());
      }
    } catch (py::error_already_set& error) {
      return StatusFromPythonError(error, function->description());
    }
    py::object result;
    RETURN_IF_ERROR(function->Call(pointers.data(), pointers.size(), &result));
    arguments.clear();  // the function's arguments go before its results are looked at
    RETURN_IF_ERROR(ResultValues(result, *function, &values));
  }
  size_t num_results = 0;
  for (const auto& out : map.layout) num_results += out.from_result ? 1 : 0;
  if (values.size() != num_results) {
    return Status::InvalidArgument("Map: the operations returned " + std::to_string(values.size()) +
                                   " columns, but " + std::to_string(num_results) +
                                   " output columns were expected (see output_columns)");
  }
  Row& out = scratch->out;
  out.clear();
  for (const auto& column : map.layout) {
    out.push_back(column.from_result ? values[column.index] : (*row)[column.index]);
  }
  row->swap(out);
  return Status::OK();
}

// Column `column` of `rows` stacked into one tensor, one copy per row; null when the
// values are not all of one fixed-width type and shape (the caller then stacks as the
// batch op does, for its errors and for strings).
TensorPtr StackFixedWidth(const std::vector<Row>& rows, size_t column) {
  auto describe = [&](const Value& value, DataType* type, Shape* shape, const uint8_t** data) {
    if (value.kind == Value::Kind::kArray) {
      auto array = py::reinterpret_borrow<py::array>(value.object);
      *type = value.type;
      *shape = Shape(array.shape(), array.shape() + array.ndim());
      *data = static_cast<const uint8_t*>(array.data());
      return true;
    }
    if (value.kind == Value::Kind::kScalar) {
      *type = value.scalar.type;
      *shape = Shape();
      *data = value.scalar.bytes;
      return true;
    }
    if (!IsFixedWidth(value.tensor->dtype())) return false;
    *type = value.tensor->dtype();
    *shape = value.tensor->shape();
    *data = value.tensor->data();
    return true;
  };
  DataType first_type;
  Shape first_shape;
  const uint8_t* data = nullptr;
  if (!describe(rows.front()[column], &first_type, &first_shape, &data)) return nullptr;
  Shape batch_shape = first_shape;
  batch_shape.push_front(static_cast<int64_t>(rows.size()));
  Result<TensorPtr> made = Tensor::Create(first_type, std::move(batch_shape));
  if (!made.ok()) return nullptr;
  TensorPtr batch = std::move(made).value();
  const auto bytes = static_cast<size_t>(batch->nbytes()) / rows.size();
  uint8_t* out = batch->mutable_data();
  DataType type;
  Shape shape;
  for (const Row& row : rows) {
    if (!describe(row[column], &type, &shape, &data) || type != first_type || shape != first_shape) {
      return nullptr;
    }
    std::memcpy(out, data, bytes);
    out += bytes;
  }
  return batch;
}

// `rows` as tensors stacked by the batch op's own code: strings, and the errors for rows
// that do not stack.
Result<TensorRow> StackAsTensors(const std::vector<Row>& rows,
                                 const std::vector<std::string>& column_names) {
  std::vector<TensorRow> tensors;
  tensors.reserve(rows.size());
  try {
    for (const Row& row : rows) {
      TensorColumns columns;
      for (const Value& value : row) columns.push_back(TensorOf(value));
      tensors.emplace_back(0, std::move(columns));
    }
  } catch (py::error_already_set& error) {
    return StatusFromPythonError(error, "batch");
  }
  return engine::BatchOp::Stack(tensors, column_names, {});
}

Result<TensorRow> Stack(const std::vector<Row>& rows, const std::vector<std::string>& column_names) {
  const size_t width = rows.front().size();
  TensorColumns columns;
  columns.reserve(width);
  for (const Row& row : rows) {
    if (row.size() != width) return StackAsTensors(rows, column_names);
  }
  for (size_t c = 0; c < width; ++c) {
    TensorPtr column = StackFixedWidth(rows, c);
    if (!column) return StackAsTensors(rows, column_names);
    columns.push_back(std::move(column));
  }
  return TensorRow(0, std::move(columns));
}

}  // namespace

PythonStage::PythonStage(py::object source, std::vector<std::string> source_columns, Steps steps)
    : source_columns_(std::move(source_columns)), steps_(std::move(steps)) {
  size_ = static_cast<int64_t>(py::len(source));
  python_source_ = AnyThreadRef(source.release().ptr());
}

PythonStage::PythonStage(std::shared_ptr<engine::RandomAccessSource> source, Steps steps)
    : native_source_(std::move(source)), steps_(std::move(steps)) {
  source_columns_ = native_source_->column_names();
  size_ = native_source_->size();
}

Status PythonStage::Get(int64_t index, TensorRow* row) {
  engine::RowBlock block;
  RETURN_IF_ERROR(GetBlock(&index, 1, &block));
  *row = std::move(block.front());
  return Status::OK();
}

Status PythonStage::GetBlock(const int64_t* indices, size_t count, engine::RowBlock* block) {
  engine::RowBlock native_rows;
  if (native_source_) RETURN_IF_ERROR(native_source_->GetBlock(indices, count, &native_rows));
  EngineGil gil;
  // Declared after the GIL: their objects go while it is held.
  std::vector<Row> rows;
  MapScratch scratch;
  const auto batch_size = static_cast<size_t>(steps_.batch_size);
  for (size_t start = 0; start < count; start += batch_size) {
    const size_t end = std::min(count, start + batch_size);
    rows.resize(end - start);
    for (size_t r = start; r < end; ++r) {
      Row& row = rows[r - start];
      if (native_source_) {
        row.clear();
        for (const TensorPtr& column : native_rows[r].columns()) row.push_back(TensorValue(column));
      } else {
        RETURN_IF_ERROR(ReadItem(python_source_.ptr(), indices[r], source_columns_.size(), &row));
      }
      for (const Map& map : steps_.maps) RETURN_IF_ERROR(ApplyMap(map, &row, &scratch));
    }
    ASSIGN_OR_RETURN(TensorRow batch, Stack(rows, steps_.column_names));
    block->push_back(std::move(batch));
  }
  return Status::OK();
}

}  // namespace headrace::bindings
