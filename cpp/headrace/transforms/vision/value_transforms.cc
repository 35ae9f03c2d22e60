#include "headrace/transforms/vision/value_transforms.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "headrace/core/cast.h"
#include "headrace/transforms/vision/as_dtype.h"
#include "headrace/transforms/vision/image.h"

namespace headrace::transforms {

namespace kernels {

Result<TensorPtr> AdjustGamma(const Tensor& image, double gamma, double gain) {
  const Shape& shape = image.shape();
  const bool dtype_ok = image.dtype() == DataType::kUInt8 || image.dtype() == DataType::kFloat32;
  const int64_t channels = image.rank() > 2 ? shape.back() : 1;
  if (!dtype_ok || image.rank() < 2 || (channels != 1 && channels != 3) || image.num_elements() == 0) {
    return Status::InvalidArgument(
        "AdjustGamma: expected an image of shape (H, W) or (..., H, W, C) with 1 or 3 channels of uint8 or "
        "float32, got " + std::string(DataTypeName(image.dtype())) + " of shape " + ShapeToString(shape));
  }
  ASSIGN_OR_RETURN(TensorPtr output, Tensor::Create(image.dtype(), shape));
  const int64_t count = image.num_elements();
  const auto g = static_cast<float>(gamma);
  const auto k = static_cast<float>(gain);
  if (image.dtype() == DataType::kUInt8) {
    uint8_t table[256];
    for (int i = 0; i < 256; ++i) {
      // MindSpore's table: the power in float, the scaling in double; 256 - 1e-3 maps 1.0 to
      // 255 and spreads the levels evenly before the floor.
      const float f = std::pow(static_cast<float>(i / 255.0), g);
      table[i] = static_cast<uint8_t>(std::floor(std::min(f * (255.0 + 1 - 1e-3) * k, 255.0)));
    }
    const uint8_t* in = image.data_as<uint8_t>();
    uint8_t* out = output->mutable_data();
    for (int64_t i = 0; i < count; ++i) out[i] = table[in[i]];
  } else {
    const float* in = image.data_as<float>();
    auto* out = reinterpret_cast<float*>(output->mutable_data());
    for (int64_t i = 0; i < count; ++i) out[i] = std::clamp(std::pow(in[i] * k, g), 0.0f, 1.0f);
  }
  return output;
}

Result<TensorPtr> ToTensor(const Tensor& image, DataType output_type) {
  ASSIGN_OR_RETURN(ImageLayout layout, CheckImage("ToTensor", image));
  if (image.dtype() == DataType::kBool) {
    return Status::InvalidArgument("ToTensor: expected a numeric image, got bool of shape " +
                                   ShapeToString(image.shape()));
  }
  ASSIGN_OR_RETURN(TensorPtr values, AsDType(image, DataType::kFloat32));
  ASSIGN_OR_RETURN(TensorPtr planar, Tensor::Create(DataType::kFloat32, Shape{layout.channels, layout.height,
                                                                              layout.width}));
  const float* in = values->data_as<float>();
  auto* out = reinterpret_cast<float*>(planar->mutable_data());
  const int64_t pixels = layout.pixels();
  const int64_t channels = layout.channels;
  for (int64_t c = 0; c < channels; ++c) {
    float* plane = out + c * pixels;
    for (int64_t i = 0; i < pixels; ++i) plane[i] = in[i * channels + c] / 255.0f;
  }
  return CastTensor(planar, output_type);
}

}  // namespace kernels

Result<std::shared_ptr<AdjustGamma>> AdjustGamma::Make(double gamma, double gain) {
  if (!std::isfinite(gamma) || gamma < 0.0) {
    return Status::InvalidArgument("AdjustGamma: gamma must be a non-negative number, got " + std::to_string(gamma));
  }
  if (!std::isfinite(gain)) {
    return Status::InvalidArgument("AdjustGamma: gain must be a finite number, got " + std::to_string(gain));
  }
  return std::make_shared<AdjustGamma>(gamma, gain);
}

Status AdjustGamma::Compute(TensorList* columns, uint64_t /*seed*/) {
  return ApplyToImageColumn(name(), columns,
                            [&](const Tensor& image) { return kernels::AdjustGamma(image, gamma_, gain_); });
}

Result<std::shared_ptr<ToTensor>> ToTensor::Make(DataType output_type) {
  if (!IsFixedWidth(output_type)) {
    return Status::InvalidArgument("ToTensor: output_type must be a numeric type, got " +
                                   std::string(DataTypeName(output_type)));
  }
  return std::make_shared<ToTensor>(output_type);
}

Status ToTensor::Compute(TensorList* columns, uint64_t /*seed*/) {
  return ApplyToImageColumn(name(), columns,
                            [&](const Tensor& image) { return kernels::ToTensor(image, output_type_); });
}

Result<std::shared_ptr<LinearTransformation>> LinearTransformation::Make(std::vector<double> matrix,
                                                                         std::vector<double> mean,
                                                                         bool float32_parameters) {
  const auto d = static_cast<int64_t>(mean.size());
  if (d == 0 || static_cast<int64_t>(matrix.size()) != d * d) {
    return Status::InvalidArgument("LinearTransformation: transformation_matrix must be a D x D matrix for a "
                                   "mean_vector of D values, got " + std::to_string(matrix.size()) +
                                   " matrix values and " + std::to_string(d) + " mean values");
  }
  return std::make_shared<LinearTransformation>(std::move(matrix), std::move(mean), float32_parameters);
}

Result<TensorPtr> LinearTransformation::Apply(const Tensor& image) const {
  const auto d = static_cast<int64_t>(mean_.size());
  if (!IsFixedWidth(image.dtype()) || image.num_elements() != d) {
    return Status::InvalidArgument("LinearTransformation: transformation_matrix of shape (" + std::to_string(d) +
                                   ", " + std::to_string(d) + ") does not fit an image of " +
                                   std::string(DataTypeName(image.dtype())) + " of shape " +
                                   ShapeToString(image.shape()) + " (" + std::to_string(image.num_elements()) +
                                   " values)");
  }
  ASSIGN_OR_RETURN(TensorPtr values, AsDType(image, DataType::kFloat64));
  ASSIGN_OR_RETURN(TensorPtr output, Tensor::Create(DataType::kFloat64, image.shape()));
  const double* x = values->data_as<double>();
  auto* out = reinterpret_cast<double*>(output->mutable_data());
  std::fill(out, out + d, 0.0);
  // Row vector times matrix, row by row of the matrix, so the inner loop reads it in order.
  for (int64_t i = 0; i < d; ++i) {
    const double centred = x[i] - mean_[i];
    const double* row = matrix_.data() + i * d;
    for (int64_t j = 0; j < d; ++j) out[j] += centred * row[j];
  }
  const DataType in = image.dtype();
  const bool small_image = in == DataType::kFloat32 || in == DataType::kBool || in == DataType::kInt8 ||
                           in == DataType::kUInt8 || in == DataType::kInt16 || in == DataType::kUInt16;
  if (float32_parameters_ && small_image) return CastTensor(output, DataType::kFloat32);
  return output;
}

Status LinearTransformation::Compute(TensorList* columns, uint64_t /*seed*/) {
  return ApplyToImageColumn(name(), columns, [&](const Tensor& image) { return Apply(image); });
}

}  // namespace headrace::transforms
