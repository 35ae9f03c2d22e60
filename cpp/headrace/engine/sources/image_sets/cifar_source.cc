#include "headrace/engine/sources/image_sets/cifar_source.h"

#include <algorithm>
#include <array>

namespace headrace::engine {

Result<std::shared_ptr<CifarSource>> CifarSource::Make(Kind kind, const std::vector<std::string>& files) {
  if (files.empty()) return Status::InvalidArgument("CifarSource: no files");
  const char* const name = kind == Kind::kCifar10 ? "CIFAR-10" : "CIFAR-100";
  const int64_t record = RecordBytes(kind);
  std::vector<File> opened;
  int64_t rows = 0;
  for (const std::string& path : files) {
    File entry;
    ASSIGN_OR_RETURN(entry.file, DataFile::Open(path));
    const int64_t size = entry.file->size();
    if (size % record != 0) {
      return Status::DataLoss(path + " is not a " + name + " binary batch: its " +
                              std::to_string(size) + " bytes are not a whole number of " +
                              std::to_string(record) + "-byte records (the last one has " +
                              std::to_string(size % record) + " bytes)");
    }
    entry.first_row = rows;
    rows += size / record;
    opened.push_back(std::move(entry));
  }
  std::vector<std::string> names = kind == Kind::kCifar10
                                       ? std::vector<std::string>{"image", "label"}
                                       : std::vector<std::string>{"image", "coarse_label", "fine_label"};
  return std::shared_ptr<CifarSource>(new CifarSource(kind, std::move(opened), rows, std::move(names)));
}

Status CifarSource::Get(int64_t index, TensorRow* row) {
  // The last file that starts at or before `index` (files with no records start where the
  // next one does, and upper_bound passes over them).
  auto after = std::upper_bound(files_.begin(), files_.end(), index,
                                [](int64_t i, const File& file) { return i < file.first_row; });
  const File& file = *(after - 1);
  const int64_t record = RecordBytes(kind_);
  const int64_t labels = LabelBytes(kind_);
  std::array<uint8_t, 2 + kImageBytes> bytes;
  RETURN_IF_ERROR(file.file->ReadExactlyAt((index - file.first_row) * record, record, bytes.data(),
                                           "CIFAR record"));
  ASSIGN_OR_RETURN(TensorPtr image, Tensor::Create(DataType::kUInt8, {kSide, kSide, kChannels}));
  // Planar CHW in the file to interleaved HWC in the tensor.
  const uint8_t* planes = bytes.data() + labels;
  uint8_t* pixels = image->mutable_data();
  constexpr int64_t kPlane = kSide * kSide;
  for (int64_t i = 0; i < kPlane; ++i) {
    pixels[3 * i] = planes[i];
    pixels[3 * i + 1] = planes[kPlane + i];
    pixels[3 * i + 2] = planes[2 * kPlane + i];
  }
  row->mutable_columns().clear();
  row->push_back(std::move(image));
  for (int64_t i = 0; i < labels; ++i) {
    ASSIGN_OR_RETURN(TensorPtr label, Tensor::Scalar(DataType::kUInt32, uint32_t{bytes[static_cast<size_t>(i)]}));
    row->push_back(std::move(label));
  }
  return Status::OK();
}

}  // namespace headrace::engine
