#include "headrace/engine/padding.h"

#include <algorithm>
#include <cstring>

#include "headrace/core/cast.h"

namespace headrace::engine {

namespace {

// The shape every row is padded to: the spec's dimensions, -1 (or none given) meaning the
// longest of the batch.
Result<Shape> TargetShape(const std::vector<TensorRow>& rows, size_t column, const PadSpec& spec,
                          const std::string& name) {
  const size_t rank = rows.front()[column]->shape().size();
  Shape longest(rows.front()[column]->shape());
  for (const TensorRow& row : rows) {
    const Shape& shape = row[column]->shape();
    if (shape.size() != rank) {
      return Status::InvalidArgument("padded batch: column '" + name + "' has rows of rank " +
                                     std::to_string(rank) + " and " + std::to_string(shape.size()));
    }
    for (size_t d = 0; d < rank; ++d) longest[d] = std::max(longest[d], shape[d]);
  }
  if (spec.shape.empty()) return longest;
  if (spec.shape.size() != rank) {
    return Status::InvalidArgument("pad_info: the shape for column '" + name + "' has " +
                                   std::to_string(spec.shape.size()) + " dimensions, the rows have " +
                                   std::to_string(rank));
  }
  Shape target = spec.shape;
  for (size_t d = 0; d < rank; ++d) {
    if (target[d] < 0) target[d] = longest[d];
  }
  return target;
}

// Calls fn(source_offset, target_offset, run) for every run of contiguous elements of a
// row of `shape` placed at the start of a tensor of `target` (both row-major). Where the
// row is larger than the target it is cut, as MindSpore cuts it.
template <typename Fn>
void ForEachRun(const Shape& shape, const Shape& target, Fn&& fn) {
  const size_t rank = shape.size();
  if (rank == 0) {
    fn(0, 0, 1);
    return;
  }
  Shape kept = shape;  // the part of the row that fits the target
  for (size_t d = 0; d < rank; ++d) kept[d] = std::min(shape[d], target[d]);
  int64_t outer = 1;
  for (size_t d = 0; d + 1 < rank; ++d) outer *= kept[d];
  const int64_t run = kept[rank - 1];
  if (run == 0 || outer == 0) return;
  std::vector<int64_t> index(rank, 0);
  for (int64_t i = 0; i < outer; ++i) {
    int64_t source_offset = 0;
    int64_t target_offset = 0;
    for (size_t d = 0; d + 1 < rank; ++d) {
      source_offset = source_offset * shape[d] + index[d];
      target_offset = target_offset * target[d] + index[d];
    }
    fn(source_offset * shape[rank - 1], target_offset * target[rank - 1], run);
    for (size_t d = rank - 1; d-- > 0;) {  // next index over the outer dimensions
      if (++index[d] < kept[d]) break;
      index[d] = 0;
    }
  }
}

}  // namespace

Result<TensorPtr> StackPadded(const std::vector<TensorRow>& rows, size_t column,
                              const PadSpec& spec, const std::string& name) {
  const TensorPtr& first = rows.front()[column];
  for (const TensorRow& row : rows) {
    if (row[column]->dtype() != first->dtype()) {
      return Status::InvalidArgument("padded batch: column '" + name + "' has rows of types " +
                                     std::string(DataTypeName(first->dtype())) + " and " +
                                     std::string(DataTypeName(row[column]->dtype())));
    }
  }
  ASSIGN_OR_RETURN(Shape target, TargetShape(rows, column, spec, name));
  ASSIGN_OR_RETURN(int64_t per_row, NumElements(target));
  Shape batch_shape = target;
  batch_shape.push_front(static_cast<int64_t>(rows.size()));

  if (!IsFixedWidth(first->dtype())) {
    std::vector<std::string_view> elements(rows.size() * static_cast<size_t>(per_row), spec.text);
    for (size_t r = 0; r < rows.size(); ++r) {
      const TensorPtr& tensor = rows[r][column];
      ForEachRun(tensor->shape(), target, [&](int64_t from, int64_t to, int64_t run) {
        for (int64_t k = 0; k < run; ++k) {
          elements[r * per_row + to + k] = tensor->StringAt(from + k);
        }
      });
    }
    return Tensor::FromStrings(first->dtype(), std::move(batch_shape), elements);
  }

  // The pad element's bytes, in the column's type.
  ASSIGN_OR_RETURN(TensorPtr value, Tensor::Scalar<double>(DataType::kFloat64, spec.value));
  ASSIGN_OR_RETURN(TensorPtr pad, CastTensor(value, first->dtype()));
  ASSIGN_OR_RETURN(TensorPtr batch, Tensor::Create(first->dtype(), std::move(batch_shape)));
  const auto size = static_cast<size_t>(ElementSize(first->dtype()));
  uint8_t* out = batch->mutable_data();
  for (int64_t i = 0; i < batch->num_elements(); ++i) std::memcpy(out + i * size, pad->data(), size);
  for (size_t r = 0; r < rows.size(); ++r) {
    const TensorPtr& tensor = rows[r][column];
    uint8_t* row_out = out + r * per_row * size;
    ForEachRun(tensor->shape(), target, [&](int64_t from, int64_t to, int64_t run) {
      std::memcpy(row_out + to * size, tensor->data() + from * size, static_cast<size_t>(run) * size);
    });
  }
  return batch;
}

}  // namespace headrace::engine
