#include "headrace/transforms/unique.h"

#include <cstring>
#include <unordered_map>

#include "headrace/core/float16.h"

namespace headrace::transforms {

namespace {

struct Parts {
  std::vector<int64_t> firsts;  // input position of each distinct value's first occurrence
  std::vector<int32_t> index;   // per input element
  std::vector<int32_t> counts;  // per distinct value
};

// `Key` is what elements compare by: the element type, or float for float16.
template <typename Key, typename Read>
Parts Group(int64_t count, Read read) {
  Parts parts;
  std::unordered_map<Key, int32_t> seen;
  parts.index.reserve(static_cast<size_t>(count));
  for (int64_t i = 0; i < count; ++i) {
    const Key key = read(i);
    auto [place, added] = seen.emplace(key, static_cast<int32_t>(parts.firsts.size()));
    if (added) {
      parts.firsts.push_back(i);
      parts.counts.push_back(0);
    }
    parts.index.push_back(place->second);
    ++parts.counts[static_cast<size_t>(place->second)];
  }
  return parts;
}

template <typename T>
Parts GroupAs(const Tensor& input) {
  const T* values = input.data_as<T>();
  return Group<T>(input.num_elements(), [values](int64_t i) { return values[i]; });
}

Result<Parts> GroupElements(const Tensor& input) {
  switch (input.dtype()) {
    case DataType::kInt8: return GroupAs<int8_t>(input);
    case DataType::kInt16: return GroupAs<int16_t>(input);
    case DataType::kInt32: return GroupAs<int32_t>(input);
    case DataType::kInt64: return GroupAs<int64_t>(input);
    case DataType::kUInt8: return GroupAs<uint8_t>(input);
    case DataType::kUInt16: return GroupAs<uint16_t>(input);
    case DataType::kUInt32: return GroupAs<uint32_t>(input);
    case DataType::kUInt64: return GroupAs<uint64_t>(input);
    case DataType::kFloat16: {
      const auto* halves = input.data_as<uint16_t>();
      return Group<float>(input.num_elements(), [halves](int64_t i) { return HalfToFloat(halves[i]); });
    }
    case DataType::kFloat32: return GroupAs<float>(input);
    case DataType::kFloat64: return GroupAs<double>(input);
    case DataType::kBool:
    case DataType::kString:
    case DataType::kBytes: break;
  }
  return Status::InvalidArgument("Unique: only numeric input is supported, got " +
                                 std::string(DataTypeName(input.dtype())));
}

Result<TensorPtr> Int32Tensor(const std::vector<int32_t>& values) {
  ASSIGN_OR_RETURN(TensorPtr out, Tensor::Create(DataType::kInt32, {static_cast<int64_t>(values.size())}));
  if (!values.empty()) std::memcpy(out->mutable_data(), values.data(), values.size() * sizeof(int32_t));
  return out;
}

}  // namespace

Status Unique::Compute(TensorList* columns, uint64_t /*seed*/) {
  if (columns->size() != 1) {
    return Status::InvalidArgument("Unique: expected one column, got " + std::to_string(columns->size()));
  }
  const TensorPtr input = columns->front();
  if (input->rank() < 2) {
    return Status::InvalidArgument("Unique: input must be at least 2-D in order to do unique op, got rank: " +
                                   std::to_string(input->rank()));
  }
  ASSIGN_OR_RETURN(Parts parts, GroupElements(*input));
  const int64_t distinct = static_cast<int64_t>(parts.firsts.size());
  ASSIGN_OR_RETURN(TensorPtr values, Tensor::Create(input->dtype(), {distinct}));
  const auto size = static_cast<size_t>(ElementSize(input->dtype()));
  for (int64_t u = 0; u < distinct; ++u) {
    std::memcpy(values->mutable_data() + static_cast<size_t>(u) * size,
                input->data() + static_cast<size_t>(parts.firsts[static_cast<size_t>(u)]) * size, size);
  }
  ASSIGN_OR_RETURN(TensorPtr index, Int32Tensor(parts.index));
  ASSIGN_OR_RETURN(TensorPtr counts, Int32Tensor(parts.counts));
  *columns = {std::move(values), std::move(index), std::move(counts)};
  return Status::OK();
}

}  // namespace headrace::transforms
