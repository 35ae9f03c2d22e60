// CifarSource: the rows of CIFAR-10 / CIFAR-100 binary batches (Cifar10Dataset,
// Cifar100Dataset).
//
// A batch file is a run of fixed-size records: CIFAR-10 has 1 label byte then 3072 pixel
// bytes, CIFAR-100 a coarse and a fine label byte then the pixels. The pixels are planar
// (1024 red, 1024 green, 1024 blue, each 32 rows of 32); a row's image is the HWC
// [32, 32, 3] uint8 tensor, its labels uint32 scalars. Columns, as in MindSpore:
// CIFAR-10 (image, label), CIFAR-100 (image, coarse_label, fine_label). Rows are the files
// one after another, each in file order.
//
// The row count comes from the file sizes (MindSpore instead assumes 10,000 records a
// file); a file whose size is not a whole number of records is DataLoss naming it, when
// the source is made. Get reads one record with pread: several threads may call it.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "headrace/core/result.h"
#include "headrace/engine/sources/data_file.h"
#include "headrace/engine/sources/random_access_source.h"

namespace headrace::engine {

class CifarSource : public RandomAccessSource {
 public:
  enum class Kind { kCifar10, kCifar100 };

  static constexpr int64_t kSide = 32;
  static constexpr int64_t kChannels = 3;
  static constexpr int64_t kImageBytes = kSide * kSide * kChannels;

  // InvalidArgument for an empty list; NotFound / PermissionDenied / DataLoss naming a
  // file that cannot be opened or has a partial record.
  static Result<std::shared_ptr<CifarSource>> Make(Kind kind, const std::vector<std::string>& files);

  // Bytes of one record of `kind`: its label bytes and the image.
  static int64_t RecordBytes(Kind kind) { return LabelBytes(kind) + kImageBytes; }

  int64_t size() const override { return rows_; }
  const std::vector<std::string>& column_names() const override { return names_; }
  Status Get(int64_t index, TensorRow* row) override;

 private:
  struct File {
    std::unique_ptr<DataFile> file;
    int64_t first_row = 0;  // of the whole source
  };

  static int64_t LabelBytes(Kind kind) { return kind == Kind::kCifar10 ? 1 : 2; }

  CifarSource(Kind kind, std::vector<File> files, int64_t rows, std::vector<std::string> names)
      : kind_(kind), files_(std::move(files)), rows_(rows), names_(std::move(names)) {}

  const Kind kind_;
  const std::vector<File> files_;
  const int64_t rows_;
  const std::vector<std::string> names_;
};

}  // namespace headrace::engine
