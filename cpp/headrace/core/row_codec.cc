#include "headrace/core/row_codec.h"

#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace headrace {

namespace {

constexpr char kMagic[4] = {'H', 'R', 'R', '1'};
constexpr int64_t kAlign = 64;
constexpr int64_t kHeaderBytes = 8;         // magic, column count
constexpr int64_t kColumnFixedBytes = 24;   // dtype, rank, padding, data offset, data bytes

int64_t AlignUp(int64_t value) { return (value + kAlign - 1) / kAlign * kAlign; }

int64_t DescriptorBytes(const TensorRow& row) {
  int64_t bytes = kHeaderBytes;
  for (const TensorPtr& column : row.columns()) bytes += kColumnFixedBytes + 8 * column->rank();
  return bytes;
}

Status Corrupt(const std::string& what) { return Status::DataLoss("cached row is corrupt: " + what); }

// Reads fixed-size fields from the encoded run, failing instead of reading past its end.
class Reader {
 public:
  Reader(const uint8_t* data, int64_t size) : data_(data), size_(size) {}
  template <typename T>
  Status Read(T* value) {
    if (position_ + static_cast<int64_t>(sizeof(T)) > size_) return Corrupt("it ends inside a header");
    std::memcpy(value, data_ + position_, sizeof(T));
    position_ += sizeof(T);
    return Status::OK();
  }
  void Skip(int64_t bytes) { position_ += bytes; }

 private:
  const uint8_t* data_;
  int64_t size_;
  int64_t position_ = 0;
};

template <typename T>
void Put(uint8_t** out, T value) {
  std::memcpy(*out, &value, sizeof(T));
  *out += sizeof(T);
}

}  // namespace

int64_t EncodedRowSize(const TensorRow& row) {
  int64_t bytes = AlignUp(DescriptorBytes(row));
  for (const TensorPtr& column : row.columns()) bytes += AlignUp(column->nbytes());
  return bytes;
}

Status EncodeRow(const TensorRow& row, uint8_t* out, int64_t size) {
  if (size < EncodedRowSize(row)) {
    return Status::InvalidArgument("EncodeRow: " + std::to_string(size) + " bytes given, " +
                                   std::to_string(EncodedRowSize(row)) + " needed");
  }
  uint8_t* cursor = out;
  std::memcpy(cursor, kMagic, sizeof(kMagic));
  cursor += sizeof(kMagic);
  Put(&cursor, static_cast<uint32_t>(row.size()));
  int64_t data_offset = AlignUp(DescriptorBytes(row));
  for (const TensorPtr& column : row.columns()) {
    Put(&cursor, static_cast<uint8_t>(column->dtype()));
    Put(&cursor, static_cast<uint8_t>(column->rank()));
    std::memset(cursor, 0, 6);
    cursor += 6;
    for (int64_t dim : column->shape()) Put(&cursor, dim);
    Put(&cursor, data_offset);
    Put(&cursor, column->nbytes());
    std::memcpy(out + data_offset, column->data(), static_cast<size_t>(column->nbytes()));
    data_offset += AlignUp(column->nbytes());
  }
  return Status::OK();
}

Result<TensorRow> DecodeRow(const BufferPtr& buffer, int64_t offset, int64_t size, int64_t id) {
  if (offset < 0 || size < kHeaderBytes || offset + size > buffer->size()) {
    return Corrupt("a run of " + std::to_string(size) + " bytes at " + std::to_string(offset) +
                   " does not fit a buffer of " + std::to_string(buffer->size()));
  }
  const uint8_t* run = buffer->data() + offset;
  if (std::memcmp(run, kMagic, sizeof(kMagic)) != 0) return Corrupt("wrong magic number");
  Reader reader(run, size);
  reader.Skip(sizeof(kMagic));
  uint32_t count = 0;
  RETURN_IF_ERROR(reader.Read(&count));
  TensorColumns columns;
  columns.reserve(count);
  for (uint32_t c = 0; c < count; ++c) {
    uint8_t dtype_byte = 0, rank = 0;
    RETURN_IF_ERROR(reader.Read(&dtype_byte));
    RETURN_IF_ERROR(reader.Read(&rank));
    reader.Skip(6);
    std::vector<int64_t> dims(rank);
    for (int64_t& dim : dims) RETURN_IF_ERROR(reader.Read(&dim));
    int64_t data_offset = 0, data_bytes = 0;
    RETURN_IF_ERROR(reader.Read(&data_offset));
    RETURN_IF_ERROR(reader.Read(&data_bytes));
    if (data_offset < 0 || data_bytes < 0 || data_offset > size || data_bytes > size - data_offset) {
      return Corrupt("column " + std::to_string(c) + " points outside the row");
    }
    if (dtype_byte > static_cast<uint8_t>(DataType::kBytes)) {
      return Corrupt("column " + std::to_string(c) + " has an unknown dtype " + std::to_string(dtype_byte));
    }
    const auto dtype = static_cast<DataType>(dtype_byte);
    const Shape shape(dims);
    if (IsFixedWidth(dtype)) {
      ASSIGN_OR_RETURN(int64_t expected, NumBytes(dtype, shape));
      if (expected != data_bytes) return Corrupt("column " + std::to_string(c) + " has the wrong size");
      // A view of the run that keeps the whole buffer (a shared-memory block) alive.
      BufferPtr view = Buffer::Wrap(const_cast<uint8_t*>(run + data_offset), data_bytes,
                                    /*is_mutable=*/false, [buffer] {});
      ASSIGN_OR_RETURN(TensorPtr tensor, Tensor::FromBuffer(dtype, shape, std::move(view)));
      columns.push_back(std::move(tensor));
      continue;
    }
    // Strings and bytes: offsets[n + 1] then the characters; copied into a fresh tensor.
    ASSIGN_OR_RETURN(int64_t n, NumElements(shape));
    const int64_t offsets_bytes = (n + 1) * 8;
    if (offsets_bytes > data_bytes) return Corrupt("column " + std::to_string(c) + " has too few offsets");
    std::vector<uint64_t> offsets(static_cast<size_t>(n + 1));
    std::memcpy(offsets.data(), run + data_offset, static_cast<size_t>(offsets_bytes));
    const char* characters = reinterpret_cast<const char*>(run + data_offset + offsets_bytes);
    const auto characters_bytes = static_cast<uint64_t>(data_bytes - offsets_bytes);
    std::vector<std::string_view> elements;
    elements.reserve(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) {
      if (offsets[i] > offsets[i + 1] || offsets[i + 1] > characters_bytes) {
        return Corrupt("column " + std::to_string(c) + " has bad string offsets");
      }
      elements.emplace_back(characters + offsets[i], offsets[i + 1] - offsets[i]);
    }
    ASSIGN_OR_RETURN(TensorPtr tensor, Tensor::FromStrings(dtype, shape, elements));
    columns.push_back(std::move(tensor));
  }
  return TensorRow(id, std::move(columns));
}

}  // namespace headrace
