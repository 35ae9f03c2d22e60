#include "headrace/transforms/one_hot.h"

#include <cstring>

#include "headrace/core/cast.h"

namespace headrace::transforms {

Result<std::shared_ptr<OneHot>> OneHot::Make(int64_t num_classes, double smoothing_rate) {
  if (num_classes <= 0) {
    return Status::InvalidArgument("OneHot: num_classes must be positive, got " + std::to_string(num_classes));
  }
  if (!(smoothing_rate >= 0.0 && smoothing_rate <= 1.0)) {
    return Status::InvalidArgument("OneHot: smoothing_rate must be in [0, 1], got " +
                                   std::to_string(smoothing_rate));
  }
  return std::make_shared<OneHot>(num_classes, smoothing_rate);
}

Status OneHot::Compute(TensorList* columns, uint64_t /*seed*/) {
  if (columns->size() != 1) {
    return Status::InvalidArgument("OneHot: expected one column (the labels), got " +
                                   std::to_string(columns->size()));
  }
  const TensorPtr& labels = columns->front();
  const DataType dtype = labels->dtype();
  const bool integer = dtype == DataType::kInt8 || dtype == DataType::kInt16 ||
                       dtype == DataType::kInt32 || dtype == DataType::kInt64 ||
                       dtype == DataType::kUInt8 || dtype == DataType::kUInt16 ||
                       dtype == DataType::kUInt32 || dtype == DataType::kUInt64;
  if (!integer || labels->rank() > 1) {
    return Status::InvalidArgument("OneHot: expected integer labels, a scalar or a 1-D array, got " +
                                   std::string(DataTypeName(dtype)) + " of shape " +
                                   ShapeToString(labels->shape()));
  }
  ASSIGN_OR_RETURN(TensorPtr as_int64, CastTensor(labels, DataType::kInt64));
  const int64_t count = labels->num_elements();
  const auto* values = as_int64->data_as<int64_t>();
  for (int64_t i = 0; i < count; ++i) {
    if (values[i] < 0 || values[i] >= num_classes_) {
      return Status::InvalidArgument("OneHot: label " + std::to_string(values[i]) +
                                     " is outside [0, " + std::to_string(num_classes_) + ")");
    }
  }
  const Shape shape = labels->rank() == 0 ? Shape{num_classes_} : Shape{count, num_classes_};
  if (smoothing_rate_ == 0.0) {
    ASSIGN_OR_RETURN(TensorPtr out, Tensor::Create(DataType::kInt64, shape));
    auto* rows = reinterpret_cast<int64_t*>(out->mutable_data());
    std::memset(rows, 0, static_cast<size_t>(out->nbytes()));
    for (int64_t i = 0; i < count; ++i) rows[i * num_classes_ + values[i]] = 1;
    ASSIGN_OR_RETURN(columns->front(), CastTensor(out, dtype));
    return Status::OK();
  }
  ASSIGN_OR_RETURN(TensorPtr out, Tensor::Create(DataType::kFloat64, shape));
  auto* rows = reinterpret_cast<double*>(out->mutable_data());
  const double off = smoothing_rate_ / static_cast<double>(num_classes_);
  const double on = 1.0 - smoothing_rate_ + smoothing_rate_ / static_cast<double>(num_classes_);
  for (int64_t i = 0; i < count * num_classes_; ++i) rows[i] = off;
  for (int64_t i = 0; i < count; ++i) rows[i * num_classes_ + values[i]] = on;
  columns->front() = std::move(out);
  return Status::OK();
}

}  // namespace headrace::transforms
