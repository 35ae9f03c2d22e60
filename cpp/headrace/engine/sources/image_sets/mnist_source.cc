#include "headrace/engine/sources/image_sets/mnist_source.h"

#include <algorithm>
#include <cstdint>

namespace headrace::engine {

namespace {

constexpr int64_t kImagesHeaderBytes = 16;
constexpr int64_t kLabelsHeaderBytes = 8;

uint32_t BigEndian32(const uint8_t* bytes) {
  return (uint32_t{bytes[0]} << 24) | (uint32_t{bytes[1]} << 16) | (uint32_t{bytes[2]} << 8) |
         uint32_t{bytes[3]};
}

// The header of an IDX file: `header_bytes` bytes, the first four being `magic`.
Status ReadHeader(const DataFile& file, int64_t header_bytes, uint32_t magic, const char* kind,
                  uint8_t* header) {
  if (file.size() < header_bytes) {
    return Status::DataLoss(file.path() + " is not an MNIST " + kind + " file: it has " +
                            std::to_string(file.size()) + " bytes, less than its " +
                            std::to_string(header_bytes) + "-byte header");
  }
  RETURN_IF_ERROR(file.ReadExactlyAt(0, header_bytes, header, "IDX header"));
  const uint32_t found = BigEndian32(header);
  if (found != magic) {
    return Status::DataLoss(file.path() + " is not an MNIST " + kind + " file: its magic number is " +
                            std::to_string(found) + ", not " + std::to_string(magic));
  }
  return Status::OK();
}

// DataLoss unless `file` holds `header_bytes + count * item_bytes` bytes. (A header's
// counts are 32-bit: their product is computed in 128 bits so that no header overflows it.)
Status CheckSize(const DataFile& file, int64_t header_bytes, int64_t count, int64_t item_bytes,
                 const std::string& what) {
  const __int128 wanted = __int128{header_bytes} + __int128{count} * item_bytes;
  if (__int128{file.size()} == wanted) return Status::OK();
  const bool short_file = __int128{file.size()} < wanted;
  const std::string wanted_text = wanted > INT64_MAX ? "more than 2^63" : std::to_string(static_cast<int64_t>(wanted));
  return Status::DataLoss(file.path() + (short_file ? " is truncated" : " is too long") +
                          ": its header promises " + what + ", " + wanted_text +
                          " bytes in all, but it has " + std::to_string(file.size()));
}

}  // namespace

Result<MnistSource::Part> MnistSource::OpenPart(const std::string& image_file,
                                                const std::string& label_file) {
  Part part;
  ASSIGN_OR_RETURN(part.images, DataFile::Open(image_file));
  uint8_t header[kImagesHeaderBytes];
  RETURN_IF_ERROR(ReadHeader(*part.images, kImagesHeaderBytes, kImagesMagic, "image", header));
  const int64_t count = BigEndian32(header + 4);
  part.height = BigEndian32(header + 8);
  part.width = BigEndian32(header + 12);
  // Past 65536 a side, height * width could overflow; no image set comes near.
  if (part.height == 0 || part.width == 0 || part.height > 65536 || part.width > 65536) {
    return Status::DataLoss(image_file + " is not an MNIST image file: its images are " +
                            std::to_string(part.height) + "x" + std::to_string(part.width));
  }
  RETURN_IF_ERROR(CheckSize(*part.images, kImagesHeaderBytes, count, part.height * part.width,
                            std::to_string(count) + " images of " + std::to_string(part.height) +
                                "x" + std::to_string(part.width)));

  ASSIGN_OR_RETURN(std::unique_ptr<DataFile> labels, DataFile::Open(label_file));
  RETURN_IF_ERROR(ReadHeader(*labels, kLabelsHeaderBytes, kLabelsMagic, "label", header));
  const int64_t label_count = BigEndian32(header + 4);
  RETURN_IF_ERROR(CheckSize(*labels, kLabelsHeaderBytes, label_count, 1,
                            std::to_string(label_count) + " labels"));
  if (label_count != count) {
    return Status::DataLoss(image_file + " has " + std::to_string(count) + " images but " +
                            label_file + " has " + std::to_string(label_count) + " labels");
  }
  // The labels are one byte a row: read them now rather than with a pread per row.
  part.labels.resize(static_cast<size_t>(count));
  RETURN_IF_ERROR(labels->ReadExactlyAt(kLabelsHeaderBytes, count, part.labels.data(), "labels"));
  return part;
}

Result<std::shared_ptr<MnistSource>> MnistSource::Make(const std::vector<std::string>& image_files,
                                                       const std::vector<std::string>& label_files) {
  if (image_files.size() != label_files.size()) {
    return Status::InvalidArgument("MnistSource: " + std::to_string(image_files.size()) +
                                   " image files but " + std::to_string(label_files.size()) +
                                   " label files");
  }
  if (image_files.empty()) return Status::InvalidArgument("MnistSource: no files");
  std::vector<Part> parts;
  int64_t rows = 0;
  for (size_t i = 0; i < image_files.size(); ++i) {
    ASSIGN_OR_RETURN(Part part, OpenPart(image_files[i], label_files[i]));
    part.first_row = rows;
    rows += static_cast<int64_t>(part.labels.size());
    parts.push_back(std::move(part));
  }
  return std::shared_ptr<MnistSource>(new MnistSource(std::move(parts), rows));
}

Status MnistSource::Get(int64_t index, TensorRow* row) {
  // The last part that starts at or before `index`.
  auto after = std::upper_bound(parts_.begin(), parts_.end(), index,
                                [](int64_t i, const Part& part) { return i < part.first_row; });
  const Part& part = *(after - 1);
  const int64_t local = index - part.first_row;
  const int64_t image_bytes = part.height * part.width;
  ASSIGN_OR_RETURN(TensorPtr image, Tensor::Create(DataType::kUInt8, {part.height, part.width, 1}));
  RETURN_IF_ERROR(part.images->ReadExactlyAt(kImagesHeaderBytes + local * image_bytes, image_bytes,
                                             image->mutable_data(), "image"));
  ASSIGN_OR_RETURN(TensorPtr label, Tensor::Scalar(DataType::kUInt32,
                                                   uint32_t{part.labels[static_cast<size_t>(local)]}));
  row->mutable_columns() = {std::move(image), std::move(label)};
  return Status::OK();
}

}  // namespace headrace::engine
