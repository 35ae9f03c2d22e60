#include "headrace/transforms/vision/pad.h"

#include <algorithm>
#include <cstring>

#include "headrace/core/float16.h"

namespace headrace::transforms {

namespace {

template <typename T>
void Put(uint8_t* out, T value) {
  std::memcpy(out, &value, sizeof(T));
}

// One element of `dtype` holding `value`.
void PutElement(DataType dtype, uint8_t value, uint8_t* out) {
  switch (dtype) {
    case DataType::kBool: Put<uint8_t>(out, value != 0); break;
    case DataType::kInt8: Put(out, static_cast<int8_t>(value)); break;
    case DataType::kInt16: Put(out, static_cast<int16_t>(value)); break;
    case DataType::kInt32: Put(out, static_cast<int32_t>(value)); break;
    case DataType::kInt64: Put(out, static_cast<int64_t>(value)); break;
    case DataType::kUInt8: Put(out, value); break;
    case DataType::kUInt16: Put(out, static_cast<uint16_t>(value)); break;
    case DataType::kUInt32: Put(out, static_cast<uint32_t>(value)); break;
    case DataType::kUInt64: Put(out, static_cast<uint64_t>(value)); break;
    case DataType::kFloat16: Put(out, FloatToHalf(static_cast<float>(value))); break;
    case DataType::kFloat32: Put(out, static_cast<float>(value)); break;
    case DataType::kFloat64: Put(out, static_cast<double>(value)); break;
    case DataType::kString:
    case DataType::kBytes: break;
  }
}

// Where coordinate `i` of an axis of `n` pixels reads from, or -1 for the fill value.
int64_t SourceIndex(int64_t i, int64_t n, BorderMode mode) {
  if (i >= 0 && i < n) return i;
  switch (mode) {
    case BorderMode::kConstant: return -1;
    case BorderMode::kEdge: return i < 0 ? 0 : n - 1;
    case BorderMode::kReflect: {
      if (n == 1) return 0;
      const int64_t period = 2 * (n - 1);  // reflection is periodic: 0 1 2 1 | 0 1 2 1
      int64_t m = i % period;
      if (m < 0) m += period;
      return m < n ? m : period - m;
    }
    case BorderMode::kSymmetric: {
      const int64_t period = 2 * n;  // 0 1 2 2 1 0 | 0 1 2 ...
      int64_t m = i % period;
      if (m < 0) m += period;
      return m < n ? m : period - 1 - m;
    }
  }
  return -1;
}

}  // namespace

Result<BorderMode> ParseBorderMode(std::string_view name) {
  if (name == "constant") return BorderMode::kConstant;
  if (name == "edge") return BorderMode::kEdge;
  if (name == "reflect") return BorderMode::kReflect;
  if (name == "symmetric") return BorderMode::kSymmetric;
  return Status::InvalidArgument("padding_mode must be 'constant', 'edge', 'reflect' or 'symmetric', got '" +
                                 std::string(name) + "'");
}

Result<std::vector<uint8_t>> FillPixel(DataType dtype, int64_t channels,
                                       const std::vector<uint8_t>& fill) {
  const auto count = static_cast<int64_t>(fill.size());
  if (count > 1 && count != channels) {
    return Status::InvalidArgument("fill_value has " + std::to_string(count) +
                                   " values but the image has " + std::to_string(channels) +
                                   (channels == 1 ? " channel" : " channels"));
  }
  const int64_t element = ElementSize(dtype);
  std::vector<uint8_t> pixel(channels * element, 0);
  for (int64_t c = 0; c < channels && count > 0; ++c) {
    PutElement(dtype, fill[count == 1 ? 0 : c], &pixel[c * element]);
  }
  return pixel;
}

Result<TensorPtr> ExtractWindow(const Tensor& image, const ImageLayout& layout, int64_t top,
                                int64_t left, int64_t height, int64_t width, BorderMode mode,
                                const std::vector<uint8_t>& fill) {
  const int64_t pixel_bytes = layout.channels * ElementSize(image.dtype());
  ASSIGN_OR_RETURN(std::vector<uint8_t> fill_pixel, FillPixel(image.dtype(), layout.channels, fill));
  ASSIGN_OR_RETURN(TensorPtr output, Tensor::Create(image.dtype(), layout.WithSize(height, width)));
  const uint8_t* src = image.data();
  uint8_t* dst = output->mutable_data();
  const int64_t in_row_bytes = layout.width * pixel_bytes;
  const int64_t out_row_bytes = width * pixel_bytes;

  // Columns [inside_begin, inside_end) of the window lie in the image: one memcpy per row.
  const int64_t inside_begin = std::min(width, std::max<int64_t>(0, -left));
  const int64_t inside_end = std::max(inside_begin, std::min(width, layout.width - left));
  std::vector<int64_t> border_columns;  // window column, source column (-1: fill)
  for (int64_t x = 0; x < width; ++x) {
    if (x >= inside_begin && x < inside_end) continue;
    border_columns.push_back(x);
    border_columns.push_back(SourceIndex(left + x, layout.width, mode));
  }
  std::vector<uint8_t> fill_row;  // made once, for rows wholly outside the image
  for (int64_t y = 0; y < height; ++y) {
    uint8_t* out = dst + y * out_row_bytes;
    const int64_t source_row = SourceIndex(top + y, layout.height, mode);
    if (source_row < 0) {
      if (fill_row.empty()) {
        fill_row.resize(out_row_bytes);
        for (int64_t x = 0; x < width; ++x) std::memcpy(&fill_row[x * pixel_bytes], fill_pixel.data(), pixel_bytes);
      }
      std::memcpy(out, fill_row.data(), out_row_bytes);
      continue;
    }
    const uint8_t* in = src + source_row * in_row_bytes;
    if (inside_end > inside_begin) {
      std::memcpy(out + inside_begin * pixel_bytes, in + (left + inside_begin) * pixel_bytes,
                  (inside_end - inside_begin) * pixel_bytes);
    }
    for (size_t i = 0; i < border_columns.size(); i += 2) {
      const int64_t column = border_columns[i + 1];
      std::memcpy(out + border_columns[i] * pixel_bytes,
                  column < 0 ? fill_pixel.data() : in + column * pixel_bytes, pixel_bytes);
    }
  }
  return output;
}

Result<TensorPtr> PadImage(const Tensor& image, const ImageLayout& layout, const Padding& padding,
                           BorderMode mode, const std::vector<uint8_t>& fill) {
  return ExtractWindow(image, layout, -padding.top, -padding.left,
                       layout.height + padding.top + padding.bottom,
                       layout.width + padding.left + padding.right, mode, fill);
}

Result<std::shared_ptr<Pad>> Pad::Make(Padding padding, std::vector<uint8_t> fill, BorderMode mode) {
  if (padding.left < 0 || padding.top < 0 || padding.right < 0 || padding.bottom < 0) {
    return Status::InvalidArgument("Pad: padding must not be negative, got (left=" +
                                   std::to_string(padding.left) + ", top=" + std::to_string(padding.top) +
                                   ", right=" + std::to_string(padding.right) +
                                   ", bottom=" + std::to_string(padding.bottom) + ")");
  }
  return std::make_shared<Pad>(padding, std::move(fill), mode);
}

Status Pad::Compute(TensorList* columns, uint64_t /*seed*/) {
  ASSIGN_OR_RETURN(TensorPtr image, OneImageColumn("Pad", *columns));
  ASSIGN_OR_RETURN(ImageLayout layout, CheckImage("Pad", *image));
  Result<TensorPtr> padded = PadImage(*image, layout, padding_, mode_, fill_);
  if (!padded.ok()) return padded.status().WithContext("Pad");
  columns->front() = std::move(padded).value();
  return Status::OK();
}

}  // namespace headrace::transforms
