// MnistSource: the rows of MNIST's IDX files (MnistDataset): (image, label).
//
// A part is one pair of files, e.g. train-images-idx3-ubyte + train-labels-idx1-ubyte.
// The images file is a big-endian header (magic 2051, count, rows, cols) and count
// rows x cols uint8 images; the labels file a header (magic 2049, count) and count uint8
// labels. Rows are the parts one after another, each in file order. Row i is the image as
// an HxWx1 uint8 tensor and the label as a uint32 scalar, as in MindSpore (which also
// insists on 28x28; any size is read here).
//
// Make reads the headers and the labels (one byte a row) and checks each file's magic
// number and that its size is what its header says, so that a bad file fails when the
// dataset is made; Get reads one image with pread, so memory does not grow with the
// data set and rows can be read by several threads at once.
// Errors: NotFound / PermissionDenied naming a file that cannot be opened; DataLoss naming
// the file for a wrong magic number, a truncated or oversized file, or parts whose image
// and label counts differ.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "headrace/core/result.h"
#include "headrace/engine/sources/data_file.h"
#include "headrace/engine/sources/random_access_source.h"

namespace headrace::engine {

class MnistSource : public RandomAccessSource {
 public:
  static constexpr uint32_t kImagesMagic = 2051;
  static constexpr uint32_t kLabelsMagic = 2049;

  // One part per (image_files[i], label_files[i]), in that order. InvalidArgument when
  // the lists differ in length or are empty.
  static Result<std::shared_ptr<MnistSource>> Make(const std::vector<std::string>& image_files,
                                                   const std::vector<std::string>& label_files);

  int64_t size() const override { return rows_; }
  const std::vector<std::string>& column_names() const override { return names_; }
  Status Get(int64_t index, TensorRow* row) override;

 private:
  struct Part {
    std::unique_ptr<DataFile> images;
    std::vector<uint8_t> labels;  // one per image
    int64_t first_row = 0;        // of the whole source
    int64_t height = 0;
    int64_t width = 0;
  };

  MnistSource(std::vector<Part> parts, int64_t rows)
      : parts_(std::move(parts)), rows_(rows), names_{"image", "label"} {}

  static Result<Part> OpenPart(const std::string& image_file, const std::string& label_file);

  const std::vector<Part> parts_;
  const int64_t rows_;
  const std::vector<std::string> names_;
};

}  // namespace headrace::engine
