#include "headrace/transforms/mask.h"

#include <string_view>

#include "headrace/core/cast.h"
#include "headrace/core/float16.h"
#include "headrace/transforms/tensor_gather.h"

namespace headrace::transforms {

namespace {

template <typename T>
bool Holds(Relational relation, const T& a, const T& b) {
  switch (relation) {
    case Relational::kEqual: return a == b;
    case Relational::kNotEqual: return a != b;
    case Relational::kGreater: return a > b;
    case Relational::kGreaterEqual: return a >= b;
    case Relational::kLess: return a < b;
    case Relational::kLessEqual: return a <= b;
  }
  return false;
}

template <typename T>
void CompareAll(Relational relation, const Tensor& input, const Tensor& constant, bool* out) {
  const T* values = input.data_as<T>();
  const T value = *constant.data_as<T>();
  for (int64_t i = 0; i < input.num_elements(); ++i) out[i] = Holds(relation, values[i], value);
}

// float16 compares through float (every half is exactly a float).
void CompareHalves(Relational relation, const Tensor& input, const Tensor& constant, bool* out) {
  const auto* values = input.data_as<uint16_t>();
  const float value = HalfToFloat(*constant.data_as<uint16_t>());
  for (int64_t i = 0; i < input.num_elements(); ++i) out[i] = Holds(relation, HalfToFloat(values[i]), value);
}

void CompareNumbers(Relational relation, const Tensor& input, const Tensor& constant, bool* out) {
  switch (input.dtype()) {
    case DataType::kBool: return CompareAll<bool>(relation, input, constant, out);
    case DataType::kInt8: return CompareAll<int8_t>(relation, input, constant, out);
    case DataType::kInt16: return CompareAll<int16_t>(relation, input, constant, out);
    case DataType::kInt32: return CompareAll<int32_t>(relation, input, constant, out);
    case DataType::kInt64: return CompareAll<int64_t>(relation, input, constant, out);
    case DataType::kUInt8: return CompareAll<uint8_t>(relation, input, constant, out);
    case DataType::kUInt16: return CompareAll<uint16_t>(relation, input, constant, out);
    case DataType::kUInt32: return CompareAll<uint32_t>(relation, input, constant, out);
    case DataType::kUInt64: return CompareAll<uint64_t>(relation, input, constant, out);
    case DataType::kFloat16: return CompareHalves(relation, input, constant, out);
    case DataType::kFloat32: return CompareAll<float>(relation, input, constant, out);
    case DataType::kFloat64: return CompareAll<double>(relation, input, constant, out);
    case DataType::kString:
    case DataType::kBytes: return;
  }
}

}  // namespace

Result<std::shared_ptr<Mask>> Mask::Make(Relational relation, TensorPtr constant, DataType output) {
  if (constant->num_elements() != 1) {
    return Status::InvalidArgument("Mask: the constant must be one value, got " + constant->ToString());
  }
  if (!IsFixedWidth(output)) {
    return Status::InvalidArgument("Mask: dtype must be a numeric or bool type, got " +
                                   std::string(DataTypeName(output)));
  }
  return std::make_shared<Mask>(relation, std::move(constant), output);
}

Status Mask::Compute(TensorList* columns, uint64_t /*seed*/) {
  if (columns->size() != 1) {
    return Status::InvalidArgument("Mask: expected one column, got " + std::to_string(columns->size()));
  }
  const TensorPtr& input = columns->front();
  if (!SameKind(input->dtype(), constant_->dtype())) {
    return Status::InvalidArgument(
        "Mask: input datatype does not match the value datatype, both should be numeric or "
        "non-numerical in the same time; got input " + std::string(DataTypeName(input->dtype())) +
        " and constant " + std::string(DataTypeName(constant_->dtype())));
  }
  ASSIGN_OR_RETURN(TensorPtr result, Tensor::Create(DataType::kBool, input->shape()));
  auto* out = reinterpret_cast<bool*>(result->mutable_data());
  if (IsFixedWidth(input->dtype())) {
    ASSIGN_OR_RETURN(TensorPtr constant, CastTensor(constant_, input->dtype()));
    CompareNumbers(relation_, *input, *constant, out);
  } else {
    const std::string_view value = constant_->StringAt(0);
    for (int64_t i = 0; i < input->num_elements(); ++i) out[i] = Holds(relation_, input->StringAt(i), value);
  }
  ASSIGN_OR_RETURN(columns->front(), CastTensor(result, output_));
  return Status::OK();
}

}  // namespace headrace::transforms
