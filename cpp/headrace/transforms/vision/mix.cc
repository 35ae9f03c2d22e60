#include "headrace/transforms/vision/mix.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "headrace/core/cast.h"
#include "headrace/core/random.h"
#include "headrace/transforms/vision/as_dtype.h"
#include "headrace/transforms/vision/draws.h"

namespace headrace::transforms {

namespace {

bool IsInteger(DataType dtype) {
  switch (dtype) {
    case DataType::kInt8: case DataType::kInt16: case DataType::kInt32: case DataType::kInt64:
    case DataType::kUInt8: case DataType::kUInt16: case DataType::kUInt32: case DataType::kUInt64:
      return true;
    default:
      return false;
  }
}

Status CheckAlpha(std::string_view transform, double alpha) {
  if (alpha > 0.0 && std::isfinite(alpha)) return Status::OK();
  return Status::InvalidArgument(std::string(transform) + ": alpha must be positive, got " + std::to_string(alpha));
}

// The (images, labels) pair a batch mixer takes, checked as MindSpore checks it: a 4-D
// numeric image batch and numeric one-hot labels (N, C) or (N, L, C), with as many labels
// as images.
struct Batch {
  TensorPtr images, labels;
  int64_t size;        // N
  int64_t image_size;  // elements per image
  int64_t label_size;  // elements per image's labels
};

Result<Batch> CheckBatch(std::string_view transform, const TensorList& columns) {
  const std::string name(transform);
  if (columns.size() != 2) {
    return Status::InvalidArgument(name + ": expected two columns (images and one-hot labels), got " +
                                   std::to_string(columns.size()));
  }
  const TensorPtr& images = columns[0];
  const TensorPtr& labels = columns[1];
  if (images->rank() != 4 || labels->rank() < 1 || images->shape()[0] != labels->shape()[0]) {
    return Status::InvalidArgument(name + ": expected a batch of images (N, H, W, C) or (N, C, H, W) and " +
                                   "labels of the same N, got images of shape " + ShapeToString(images->shape()) +
                                   " and labels of shape " + ShapeToString(labels->shape()));
  }
  for (const TensorPtr& column : columns) {
    if (!IsFixedWidth(column->dtype()) || column->dtype() == DataType::kBool) {
      return Status::InvalidArgument(name + ": images and labels must be numeric, got " +
                                     std::string(DataTypeName(column->dtype())));
    }
  }
  if (labels->rank() != 2 && labels->rank() != 3) {
    return Status::InvalidArgument(name + ": labels must be one-hot of shape (N, C) or (N, L, C), got shape " +
                                   ShapeToString(labels->shape()));
  }
  const int64_t n = images->shape()[0];
  return Batch{images, labels, n, n == 0 ? 0 : images->num_elements() / n, n == 0 ? 0 : labels->num_elements() / n};
}

// out = lam * a + (1 - lam) * b over `count` elements: uint8 in float, as OpenCV's
// addWeighted, float32 in float, the other dtypes in double; integers rounded to nearest
// and saturated.
Status Blend(DataType dtype, const uint8_t* a, const uint8_t* b, uint8_t* out, int64_t count, float lam) {
  const float rest = 1.0f - lam;
  if (dtype == DataType::kUInt8) {
    for (int64_t i = 0; i < count; ++i) {
      const float v = lam * static_cast<float>(a[i]) + rest * static_cast<float>(b[i]);
      out[i] = static_cast<uint8_t>(std::clamp(std::nearbyint(v), 0.0f, 255.0f));
    }
    return Status::OK();
  }
  if (dtype == DataType::kFloat32) {
    const auto* fa = reinterpret_cast<const float*>(a);
    const auto* fb = reinterpret_cast<const float*>(b);
    auto* fo = reinterpret_cast<float*>(out);
    for (int64_t i = 0; i < count; ++i) fo[i] = lam * fa[i] + rest * fb[i];
    return Status::OK();
  }
  // Through float64 copies; CastTensor saturates what does not fit.
  const int64_t size = ElementSize(dtype);
  ASSIGN_OR_RETURN(TensorPtr first, Tensor::Create(dtype, {count}));
  ASSIGN_OR_RETURN(TensorPtr second, Tensor::Create(dtype, {count}));
  std::memcpy(first->mutable_data(), a, static_cast<size_t>(count * size));
  std::memcpy(second->mutable_data(), b, static_cast<size_t>(count * size));
  ASSIGN_OR_RETURN(first, CastTensor(first, DataType::kFloat64));
  ASSIGN_OR_RETURN(second, CastTensor(second, DataType::kFloat64));
  ASSIGN_OR_RETURN(TensorPtr mixed, Tensor::Create(DataType::kFloat64, {count}));
  const double* da = first->data_as<double>();
  const double* db = second->data_as<double>();
  auto* dm = reinterpret_cast<double*>(mixed->mutable_data());
  for (int64_t i = 0; i < count; ++i) {
    const double v = static_cast<double>(lam) * da[i] + static_cast<double>(rest) * db[i];
    dm[i] = IsInteger(dtype) ? std::nearbyint(v) : v;
  }
  ASSIGN_OR_RETURN(mixed, CastTensor(mixed, dtype));
  std::memcpy(out, mixed->data(), static_cast<size_t>(count * size));
  return Status::OK();
}

// The labels as float32 (the output's dtype) and a copy to write into.
Result<std::pair<TensorPtr, TensorPtr>> FloatLabels(const TensorPtr& labels) {
  ASSIGN_OR_RETURN(TensorPtr original, CastTensor(labels, DataType::kFloat32));
  ASSIGN_OR_RETURN(TensorPtr out, AsDType(*original, DataType::kFloat32));
  return std::make_pair(original, out);
}

void BlendLabels(const Tensor& original, Tensor* out, int64_t i, int64_t j, int64_t size, float lam) {
  const float* in = original.data_as<float>();
  auto* o = reinterpret_cast<float*>(out->mutable_data());
  for (int64_t k = 0; k < size; ++k) o[i * size + k] = lam * in[i * size + k] + (1.0f - lam) * in[j * size + k];
}

// MindSpore's CutMix box for an image of height x width and a lambda: about (1 - lam) of
// each side around a uniformly drawn centre, clamped into the image, at least one pixel.
struct Box {
  int64_t x, y, width, height;
};

Box CutMixBox(Random& random, int64_t height, int64_t width, float lam) {
  const float cut_ratio = 1.0f - lam;
  const auto cut_w = static_cast<int64_t>(static_cast<float>(width) * cut_ratio);
  const auto cut_h = static_cast<int64_t>(static_cast<float>(height) * cut_ratio);
  const int64_t cx = random.UniformInt(0, width);
  const int64_t cy = random.UniformInt(0, height);
  const int64_t x = std::clamp<int64_t>(cx - cut_w / 2, 0, width - 1);
  const int64_t y = std::clamp<int64_t>(cy - cut_h / 2, 0, height - 1);
  const int64_t x2 = std::clamp<int64_t>(cx + cut_w / 2, 0, width - 1);
  const int64_t y2 = std::clamp<int64_t>(cy + cut_h / 2, 0, height - 1);
  return Box{x, y, std::clamp<int64_t>(x2 - x, 1, std::max<int64_t>(width - 1, 1)),
             std::clamp<int64_t>(y2 - y, 1, std::max<int64_t>(height - 1, 1))};
}

}  // namespace

Result<std::shared_ptr<MixUpBatch>> MixUpBatch::Make(double alpha) {
  RETURN_IF_ERROR(CheckAlpha("MixUpBatch", alpha));
  return std::make_shared<MixUpBatch>(alpha);
}

Status MixUpBatch::Compute(TensorList* columns, uint64_t seed) {
  ASSIGN_OR_RETURN(Batch batch, CheckBatch(name(), *columns));
  const Shape& shape = batch.images->shape();
  auto channels_ok = [](int64_t c) { return c == 1 || c == 3; };
  if (!channels_ok(shape[1]) && !channels_ok(shape[3])) {
    return Status::InvalidArgument("MixUpBatch: images must be (N, H, W, C) or (N, C, H, W) with C 1 or 3, got " +
                                   ShapeToString(shape));
  }
  Random random(seed);
  const float lam = SymmetricBeta(random, alpha_);
  const std::vector<int64_t> order = RandomPermutation(random, batch.size);

  ASSIGN_OR_RETURN(auto labels, FloatLabels(batch.labels));
  ASSIGN_OR_RETURN(TensorPtr images, Tensor::Create(batch.images->dtype(), shape));
  const int64_t bytes = batch.image_size * ElementSize(images->dtype());
  for (int64_t i = 0; i < batch.size; ++i) {
    const int64_t j = order[static_cast<size_t>(i)];
    RETURN_IF_ERROR(Blend(images->dtype(), batch.images->data() + i * bytes, batch.images->data() + j * bytes,
                          images->mutable_data() + i * bytes, batch.image_size, lam));
    BlendLabels(*labels.first, labels.second.get(), i, j, batch.label_size, lam);
  }
  *columns = {std::move(images), std::move(labels.second)};
  return Status::OK();
}

Result<std::shared_ptr<CutMixBatch>> CutMixBatch::Make(ImageBatchFormat format, double alpha, double prob) {
  RETURN_IF_ERROR(CheckAlpha("CutMixBatch", alpha));
  if (!(prob >= 0.0 && prob <= 1.0)) {
    return Status::InvalidArgument("CutMixBatch: prob must be in [0, 1], got " + std::to_string(prob));
  }
  return std::make_shared<CutMixBatch>(format, alpha, prob);
}

Status CutMixBatch::Compute(TensorList* columns, uint64_t seed) {
  ASSIGN_OR_RETURN(Batch batch, CheckBatch(name(), *columns));
  const Shape& shape = batch.images->shape();
  const bool nhwc = format_ == ImageBatchFormat::kNHWC;
  const int64_t channels = nhwc ? shape[3] : shape[1];
  if (channels != 1 && channels != 3) {
    return Status::InvalidArgument(std::string("CutMixBatch: images do not match the ") + (nhwc ? "NHWC" : "NCHW") +
                                   " format (1 or 3 channels), got shape " + ShapeToString(shape));
  }
  const int64_t height = nhwc ? shape[1] : shape[2];
  const int64_t width = nhwc ? shape[2] : shape[3];
  const int64_t element = ElementSize(batch.images->dtype());

  Random random(seed);
  const std::vector<int64_t> order = RandomPermutation(random, batch.size);
  ASSIGN_OR_RETURN(auto labels, FloatLabels(batch.labels));
  ASSIGN_OR_RETURN(TensorPtr images, AsDType(*batch.images, batch.images->dtype()));
  const uint8_t* in = batch.images->data();
  uint8_t* out = images->mutable_data();
  for (int64_t i = 0; i < batch.size; ++i) {
    const float lam = SymmetricBeta(random, alpha_);
    if (!(random.Uniform() < prob_)) continue;
    const Box box = CutMixBox(random, height, width, lam);
    const int64_t j = order[static_cast<size_t>(i)];
    // Rows of the box, copied from the original image j into image i at the same place.
    for (int64_t c = 0; c < (nhwc ? 1 : channels); ++c) {
      for (int64_t y = box.y; y < box.y + box.height; ++y) {
        const int64_t row = nhwc ? (y * width + box.x) * channels : (c * height + y) * width + box.x;
        const int64_t count = nhwc ? box.width * channels : box.width;
        std::memcpy(out + (i * batch.image_size + row) * element, in + (j * batch.image_size + row) * element,
                    static_cast<size_t>(count * element));
      }
    }
    const float label_lam =
        1.0f - static_cast<float>(box.width * box.height) / static_cast<float>(height * width);
    BlendLabels(*labels.first, labels.second.get(), i, j, batch.label_size, label_lam);
  }
  *columns = {std::move(images), std::move(labels.second)};
  return Status::OK();
}

Result<std::shared_ptr<MixUp>> MixUp::Make(int64_t batch_size, double alpha, bool is_single) {
  if (batch_size < 1) {
    return Status::InvalidArgument("MixUp: batch_size must be >= 1, got " + std::to_string(batch_size));
  }
  RETURN_IF_ERROR(CheckAlpha("MixUp", alpha));
  return std::make_shared<MixUp>(batch_size, alpha, is_single);
}

Status MixUp::Compute(TensorList* columns, uint64_t seed) {
  if (columns->size() != 2) {
    return Status::InvalidArgument("MixUp: expected two columns (images and one-hot labels), got " +
                                   std::to_string(columns->size()));
  }
  const TensorPtr& images_in = (*columns)[0];
  const TensorPtr& labels_in = (*columns)[1];
  if (images_in->rank() != 4 || images_in->shape()[0] != batch_size_ || labels_in->rank() != 2 ||
      labels_in->shape()[0] != batch_size_) {
    return Status::InvalidArgument("MixUp: expected images (batch_size, H, W, C) and labels (batch_size, C) with "
                                   "batch_size " + std::to_string(batch_size_) + ", got images of shape " +
                                   ShapeToString(images_in->shape()) + " and labels of shape " +
                                   ShapeToString(labels_in->shape()));
  }
  ASSIGN_OR_RETURN(TensorPtr images, AsDType(*images_in, DataType::kFloat64));
  ASSIGN_OR_RETURN(TensorPtr labels, AsDType(*labels_in, DataType::kFloat64));
  const int64_t n = batch_size_;
  const int64_t image_size = images->num_elements() / n;
  const int64_t label_size = labels->num_elements() / n;

  Random random(seed);
  std::vector<double> lam(static_cast<size_t>(n));
  for (double& l : lam) {
    const double x1 = Gamma(random, alpha_);
    const double x2 = Gamma(random, alpha_);
    l = x1 / (x1 + x2);
  }
  // The partner of each image: the next one of the batch, or the previous batch's output.
  auto mix = [&](Tensor* data, int64_t size, const Tensor& partner, bool shift) {
    std::vector<double> mixed(static_cast<size_t>(data->num_elements()));
    const double* a = data->data_as<double>();
    const double* b = partner.data_as<double>();
    for (int64_t i = 0; i < n; ++i) {
      const int64_t j = shift ? (i + 1) % n : i;
      const double l = lam[static_cast<size_t>(i)];
      for (int64_t k = 0; k < size; ++k) mixed[i * size + k] = l * a[i * size + k] + (1.0 - l) * b[j * size + k];
    }
    std::memcpy(data->mutable_data(), mixed.data(), mixed.size() * sizeof(double));
  };
  if (is_single_) {
    mix(images.get(), image_size, *images, true);
    mix(labels.get(), label_size, *labels, true);
  } else {
    std::lock_guard<std::mutex> lock(mu_);
    if (previous_images_ != nullptr) {
      if (previous_images_->shape() != images->shape() || previous_labels_->shape() != labels->shape()) {
        return Status::InvalidArgument("MixUp: is_single=False needs batches of one shape, got images " +
                                       ShapeToString(images->shape()) + " after " +
                                       ShapeToString(previous_images_->shape()));
      }
      mix(images.get(), image_size, *previous_images_, false);
      mix(labels.get(), label_size, *previous_labels_, false);
    }
    previous_images_ = images;
    previous_labels_ = labels;
  }
  *columns = {std::move(images), std::move(labels)};
  return Status::OK();
}

}  // namespace headrace::transforms
