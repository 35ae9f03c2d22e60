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

// Arrays of `row` that no one but the row holds (a fresh x[i] view, a function's result)
// are made read-only in place: no one else can see the change, and the functions are
// then given them as they are instead of a read-only view each.
void SealArraysHeldAlone(Row* row) {
  PyTypeObject* ndarray = py::detail::npy_api::get().PyArray_Type_;
  for (Value& value : *row) {
    PyObject* object = value.object.ptr();
    if (value.kind == Value::Kind::kArray && Py_REFCNT(object) == 1 && Py_TYPE(object) == ndarray) {
      py::detail::array_proxy(object)->flags &= ~py::detail::npy_api::NPY_ARRAY_WRITEABLE_;
    }
  }
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
  SealArraysHeldAlone(row);  // the item (a tuple) is gone: the row may hold them alone
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

// What applying a map needs besides the rows.
struct MapScratch {
  std::vector<Row> values;  // per row: the chain's values so far
  Row out;
  std::vector<py::object> arguments;
  std::vector<PyObject*> pointers;
};

// A worker thread's vectors, kept from block to block so that a row costs no allocation.
// Emptied of Python objects (not of capacity) before each block's GIL is let go: the
// thread's exit, which frees them, runs without the GIL.
struct BlockScratch {
  std::vector<Row> rows;
  MapScratch map;

  void Clear() {
    for (Row& row : rows) row.clear();
    for (Row& values : map.values) values.clear();
    map.out.clear();
    map.arguments.clear();
  }
};

// One map applied to `rows`, as MapOp applies it to a block: each function over every row
// in turn, on the input columns; then each output row laid out from the results and the
// columns passed through. `check` runs between rows (cancellation).
template <class Check>
Status ApplyMap(const PythonStage::Map& map, std::vector<Row>* rows, MapScratch* scratch,
                const Check& check) {
  std::vector<Row>& values = scratch->values;
  values.resize(rows->size());
  for (size_t r = 0; r < rows->size(); ++r) {
    const Row& row = (*rows)[r];
    values[r].clear();
    for (int index : map.input_indices) {
      if (index >= static_cast<int>(row.size())) {
        return Status::Internal("Map: row has " + std::to_string(row.size()) +
                                " columns, input column " + std::to_string(index) + " wanted");
      }
      values[r].push_back(row[index]);
    }
  }
  std::vector<py::object>& arguments = scratch->arguments;
  std::vector<PyObject*>& pointers = scratch->pointers;
  for (const auto& function : map.functions) {
    for (Row& row_values : values) {
      RETURN_IF_ERROR(check());
      arguments.clear();
      pointers.clear();
      try {
        for (const Value& value : row_values) {
          arguments.push_back(ArgumentOf(value));
          pointers.push_back(arguments.back().ptr());
        }
      } catch (py::error_already_set& error) {
        return StatusFromPythonError(error, function->description());
      }
      py::object result;
      RETURN_IF_ERROR(function->Call(pointers.data(), pointers.size(), &result));
      arguments.clear();  // the function's arguments go before its results are looked at
      RETURN_IF_ERROR(ResultValues(result, *function, &row_values));
      result = py::object();
      SealArraysHeldAlone(&row_values);
    }
  }
  size_t num_results = 0;
  for (const auto& out : map.layout) num_results += out.from_result ? 1 : 0;
  Row& out = scratch->out;
  for (size_t r = 0; r < rows->size(); ++r) {
    if (values[r].size() != num_results) {
      return Status::InvalidArgument("Map: the operations returned " +
                                     std::to_string(values[r].size()) + " columns, but " +
                                     std::to_string(num_results) +
                                     " output columns were expected (see output_columns)");
    }
    Row& row = (*rows)[r];
    out.clear();
    for (const auto& column : map.layout) {
      out.push_back(column.from_result ? values[r][column.index] : row[column.index]);
    }
    row.swap(out);
  }
  return Status::OK();
}

// Batches of more bytes than this are copied without the GIL: other Python threads (the
// training loop) should not wait on a large memcpy, and small ones are not worth giving
// the GIL away and taking it back.
constexpr size_t kCopyWithoutGilBytes = 1 << 20;

// The type, shape and bytes of a fixed-width value; false for strings.
bool DescribeFixedWidth(const Value& value, DataType* type, Shape* shape, const uint8_t** data) {
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
}

// Column `column` of `rows[0..count)` stacked into one tensor, one copy per row; null when
// the values are not all of one fixed-width type and shape (the caller then stacks as the
// batch op does, for its errors and for strings). The GIL is held; `rows` keep the memory
// alive while it is copied.
TensorPtr StackFixedWidth(const Row* rows, size_t count, size_t column) {
  DataType first_type, type;
  Shape first_shape, shape;
  const uint8_t* data = nullptr;
  if (!DescribeFixedWidth(rows[0][column], &first_type, &first_shape, &data)) return nullptr;
  std::vector<const uint8_t*> sources(count);
  for (size_t r = 0; r < count; ++r) {
    if (!DescribeFixedWidth(rows[r][column], &type, &shape, &sources[r]) ||
        type != first_type || shape != first_shape) {
      return nullptr;
    }
  }
  Shape batch_shape = first_shape;
  batch_shape.push_front(static_cast<int64_t>(count));
  Result<TensorPtr> made = Tensor::Create(first_type, std::move(batch_shape));
  if (!made.ok()) return nullptr;  // the batch op's own stacking reports it
  TensorPtr batch = std::move(made).value();
  const auto bytes = static_cast<size_t>(batch->nbytes()) / count;
  auto copy = [&] {
    uint8_t* out = batch->mutable_data();
    for (const uint8_t* source : sources) {
      std::memcpy(out, source, bytes);
      out += bytes;
    }
  };
  if (bytes * count >= kCopyWithoutGilBytes) {
    py::gil_scoped_release without_gil;
    copy();
  } else {
    copy();
  }
  return batch;
}

// `rows[0..count)` as tensors stacked by the batch op's own code: strings, and the errors
// for rows that do not stack.
Result<TensorRow> StackAsTensors(const Row* rows, size_t count,
                                 const std::vector<std::string>& column_names) {
  std::vector<TensorRow> tensors;
  tensors.reserve(count);
  try {
    for (size_t r = 0; r < count; ++r) {
      TensorColumns columns;
      for (const Value& value : rows[r]) columns.push_back(TensorOf(value));
      tensors.emplace_back(0, std::move(columns));
    }
  } catch (py::error_already_set& error) {
    return StatusFromPythonError(error, "batch");
  }
  return engine::BatchOp::Stack(tensors, column_names, {});
}

// The batch of `rows[0..count)`.
Result<TensorRow> Stack(const Row* rows, size_t count, const std::vector<std::string>& column_names) {
  const size_t width = rows[0].size();
  for (size_t r = 0; r < count; ++r) {
    if (rows[r].size() != width) return StackAsTensors(rows, count, column_names);
  }
  TensorColumns columns;
  columns.reserve(width);
  for (size_t c = 0; c < width; ++c) {
    TensorPtr column = StackFixedWidth(rows, count, c);
    if (!column) return StackAsTensors(rows, count, column_names);
    columns.push_back(std::move(column));
  }
  return TensorRow(0, std::move(columns));
}

}  // namespace

PythonStage::PythonStage(py::object source, std::vector<std::string> source_columns, Steps steps)
    : source_columns_(std::move(source_columns)), steps_(std::move(steps)) {
  size_ = static_cast<int64_t>(py::len(source));
  python_source_ = AnyThreadRef(source.release().ptr());
  MakeLimits();
}

PythonStage::PythonStage(std::shared_ptr<engine::RandomAccessSource> source, Steps steps)
    : native_source_(std::move(source)), steps_(std::move(steps)) {
  source_columns_ = native_source_->column_names();
  size_ = native_source_->size();
  MakeLimits();
}

void PythonStage::MakeLimits() {
  auto limit = [this](int workers) {
    return workers < steps_.num_workers ? std::make_unique<GilSemaphore>(workers) : nullptr;
  };
  // A native source reads without the GIL, any number of threads at once.
  if (!native_source_) source_limit_ = limit(steps_.source_workers);
  for (const Map& map : steps_.maps) map_limits_.push_back(limit(map.workers));
}

void PythonStage::Cancel() {
  cancelled_.store(true);
  if (source_limit_) source_limit_->Cancel();
  for (const auto& limit : map_limits_) {
    if (limit) limit->Cancel();
  }
}

void PythonStage::ClearCancel() {
  cancelled_.store(false);
  if (source_limit_) source_limit_->ClearCancel();
  for (const auto& limit : map_limits_) {
    if (limit) limit->ClearCancel();
  }
}

Status PythonStage::CheckCancelled() const {
  return cancelled_.load(std::memory_order_relaxed)
             ? Status::Cancelled("the Python stage was cancelled")
             : Status::OK();
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
  thread_local BlockScratch scratch;
  struct ClearAtEnd {
    BlockScratch& scratch;
    ~ClearAtEnd() { scratch.Clear(); }
  } clear_at_end{scratch};  // declared after the GIL: runs while it is held
  std::vector<Row>& rows = scratch.rows;
  rows.resize(count);
  auto check = [this] { return CheckCancelled(); };
  {
    GilSemaphore::Hold hold(source_limit_.get());
    RETURN_IF_ERROR(hold.status());
    for (size_t r = 0; r < count; ++r) {
      RETURN_IF_ERROR(check());
      if (native_source_) {
        for (const TensorPtr& column : native_rows[r].columns()) rows[r].push_back(TensorValue(column));
      } else {
        RETURN_IF_ERROR(ReadItem(python_source_.ptr(), indices[r], source_columns_.size(), &rows[r]));
      }
    }
  }
  for (size_t m = 0; m < steps_.maps.size(); ++m) {
    GilSemaphore::Hold hold(map_limits_[m].get());
    RETURN_IF_ERROR(hold.status());
    RETURN_IF_ERROR(ApplyMap(steps_.maps[m], &rows, &scratch.map, check));
  }
  const auto batch_size = static_cast<size_t>(steps_.batch_size);
  for (size_t start = 0; start < count; start += batch_size) {
    ASSIGN_OR_RETURN(TensorRow batch,
                     Stack(rows.data() + start, std::min(batch_size, count - start), steps_.column_names));
    block->push_back(std::move(batch));
  }
  return Status::OK();
}

}  // namespace headrace::bindings
