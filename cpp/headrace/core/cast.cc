#include "headrace/core/cast.h"

#include <cmath>
#include <limits>
#include <type_traits>

#include "headrace/core/float16.h"

namespace headrace {

namespace {

// float16 travels as its bit pattern; this tag type marks it in the dispatch below.
struct Half {
  uint16_t bits;
};

template <typename T>
double ToDouble(T value) {
  return static_cast<double>(value);
}
template <>
double ToDouble(Half value) {
  return HalfToFloat(value.bits);
}

// One element from type From to type To.
template <typename To, typename From>
To Convert(From value) {
  if constexpr (std::is_same_v<To, bool>) {
    if constexpr (std::is_same_v<From, Half>) return HalfToFloat(value.bits) != 0.0f;
    else return value != From{};
  } else if constexpr (std::is_same_v<To, Half>) {
    return Half{FloatToHalf(static_cast<float>(ToDouble(value)))};
  } else if constexpr (std::is_integral_v<To> &&
                       (std::is_floating_point_v<From> || std::is_same_v<From, Half>)) {
    const double x = ToDouble(value);
    if (std::isnan(x)) return To{0};
    if (x <= static_cast<double>(std::numeric_limits<To>::lowest())) return std::numeric_limits<To>::lowest();
    if (x >= static_cast<double>(std::numeric_limits<To>::max())) return std::numeric_limits<To>::max();
    return static_cast<To>(x);
  } else if constexpr (std::is_same_v<From, Half>) {
    return static_cast<To>(HalfToFloat(value.bits));
  } else {
    return static_cast<To>(value);
  }
}

template <typename To, typename From>
void ConvertAll(const uint8_t* in, uint8_t* out, int64_t count) {
  const auto* src = reinterpret_cast<const From*>(in);
  auto* dst = reinterpret_cast<To*>(out);
  for (int64_t i = 0; i < count; ++i) dst[i] = Convert<To, From>(src[i]);
}

// Calls fn(T{}) with T the C++ type of `type`.
template <typename Fn>
void VisitType(DataType type, Fn&& fn) {
  switch (type) {
    case DataType::kBool: fn(bool{}); break;
    case DataType::kInt8: fn(int8_t{}); break;
    case DataType::kInt16: fn(int16_t{}); break;
    case DataType::kInt32: fn(int32_t{}); break;
    case DataType::kInt64: fn(int64_t{}); break;
    case DataType::kUInt8: fn(uint8_t{}); break;
    case DataType::kUInt16: fn(uint16_t{}); break;
    case DataType::kUInt32: fn(uint32_t{}); break;
    case DataType::kUInt64: fn(uint64_t{}); break;
    case DataType::kFloat16: fn(Half{}); break;
    case DataType::kFloat32: fn(float{}); break;
    case DataType::kFloat64: fn(double{}); break;
    case DataType::kString:
    case DataType::kBytes: break;
  }
}

}  // namespace

Result<TensorPtr> CastTensor(const TensorPtr& input, DataType to) {
  if (!IsFixedWidth(input->dtype())) {
    return Status::InvalidArgument("cannot cast a " +
                                   std::string(DataTypeName(input->dtype())) + " tensor " +
                                   input->ToString());
  }
  if (input->dtype() == to) return input;
  ASSIGN_OR_RETURN(TensorPtr output, Tensor::Create(to, input->shape()));
  const int64_t count = input->num_elements();
  VisitType(to, [&](auto to_tag) {
    using To = decltype(to_tag);
    VisitType(input->dtype(), [&](auto from_tag) {
      using From = decltype(from_tag);
      ConvertAll<To, From>(input->data(), output->mutable_data(), count);
    });
  });
  return output;
}

}  // namespace headrace
