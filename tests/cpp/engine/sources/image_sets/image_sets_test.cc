// MnistSource and CifarSource on small files written here: values, dtypes, shapes, row
// order over several files, and errors naming the file at fault.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "headrace/engine/sources/image_sets/cifar_source.h"
#include "headrace/engine/sources/image_sets/mnist_source.h"

namespace headrace::engine {
namespace {

class TempDir {
 public:
  TempDir() {
    char path[] = "/tmp/headrace-image-sets-XXXXXX";
    path_ = mkdtemp(path);
  }
  ~TempDir() {
    for (const std::string& file : files_) std::remove(file.c_str());
    rmdir(path_.c_str());
  }
  std::string Write(const std::string& name, const std::vector<uint8_t>& bytes) {
    const std::string file = path_ + "/" + name;
    std::ofstream(file, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()),
                                                static_cast<std::streamsize>(bytes.size()));
    files_.push_back(file);
    return file;
  }

 private:
  std::string path_;
  std::vector<std::string> files_;
};

void PutBigEndian(std::vector<uint8_t>* out, uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) out->push_back(static_cast<uint8_t>(value >> shift));
}

// An IDX images file of `count` images of rows x cols whose pixel k of image i is
// (start + i * 7 + k) % 251.
std::vector<uint8_t> Images(uint32_t count, uint32_t rows, uint32_t cols, int start,
                            uint32_t magic = MnistSource::kImagesMagic) {
  std::vector<uint8_t> out;
  PutBigEndian(&out, magic);
  PutBigEndian(&out, count);
  PutBigEndian(&out, rows);
  PutBigEndian(&out, cols);
  for (uint32_t i = 0; i < count; ++i) {
    for (uint32_t k = 0; k < rows * cols; ++k) out.push_back(static_cast<uint8_t>((start + i * 7 + k) % 251));
  }
  return out;
}

std::vector<uint8_t> Labels(const std::vector<uint8_t>& labels, uint32_t magic = MnistSource::kLabelsMagic) {
  std::vector<uint8_t> out;
  PutBigEndian(&out, magic);
  PutBigEndian(&out, static_cast<uint32_t>(labels.size()));
  out.insert(out.end(), labels.begin(), labels.end());
  return out;
}

TensorRow GetRow(RandomAccessSource& source, int64_t index) {
  TensorRow row;
  Status status = source.Get(index, &row);
  EXPECT_TRUE(status.ok()) << status.ToString();
  return row;
}

TEST(MnistSourceTest, RowsOfSeveralPartsInOrder) {
  TempDir dir;
  const std::string test_images = dir.Write("t10k-images-idx3-ubyte", Images(2, 28, 28, 100));
  const std::string test_labels = dir.Write("t10k-labels-idx1-ubyte", Labels({7, 8}));
  const std::string train_images = dir.Write("train-images-idx3-ubyte", Images(3, 28, 28, 0));
  const std::string train_labels = dir.Write("train-labels-idx1-ubyte", Labels({0, 1, 9}));
  auto source = MnistSource::Make({test_images, train_images}, {test_labels, train_labels});
  ASSERT_TRUE(source.ok()) << source.status().ToString();
  EXPECT_EQ((*source)->size(), 5);
  EXPECT_EQ((*source)->column_names(), (std::vector<std::string>{"image", "label"}));
  const std::vector<uint32_t> labels = {7, 8, 0, 1, 9};
  const std::vector<int> starts = {100, 107, 0, 7, 14};
  for (int64_t i = 0; i < 5; ++i) {
    TensorRow row = GetRow(**source, i);
    ASSERT_EQ(row.size(), 2u);
    EXPECT_EQ(row[0]->dtype(), DataType::kUInt8);
    EXPECT_EQ(row[0]->shape(), (Shape{28, 28, 1}));
    EXPECT_EQ(row[0]->data()[0], starts[i]);
    EXPECT_EQ(row[0]->data()[783], (starts[i] + 783) % 251);
    EXPECT_EQ(row[1]->dtype(), DataType::kUInt32);
    EXPECT_EQ(row[1]->rank(), 0);
    EXPECT_EQ(*row[1]->data_as<uint32_t>(), labels[i]);
  }
}

TEST(MnistSourceTest, OtherImageSizesAreRead) {
  TempDir dir;
  auto source = MnistSource::Make({dir.Write("i", Images(1, 3, 5, 9))}, {dir.Write("l", Labels({4}))});
  ASSERT_TRUE(source.ok()) << source.status().ToString();
  EXPECT_EQ(GetRow(**source, 0)[0]->shape(), (Shape{3, 5, 1}));
}

// The error of Make over one part made of these files' bytes.
Status MnistError(const std::vector<uint8_t>& images, const std::vector<uint8_t>& labels,
                  std::string* images_path, std::string* labels_path, TempDir* dir) {
  *images_path = dir->Write("images", images);
  *labels_path = dir->Write("labels", labels);
  auto source = MnistSource::Make({*images_path}, {*labels_path});
  EXPECT_FALSE(source.ok());
  return source.status();
}

TEST(MnistSourceTest, BadFilesAreDataLossNamingTheFile) {
  TempDir dir;
  std::string images, labels;
  Status status = MnistError(Images(2, 28, 28, 0, 1234), Labels({1, 2}), &images, &labels, &dir);
  EXPECT_EQ(status.code(), StatusCode::kDataLoss);
  EXPECT_EQ(status.message(), images + " is not an MNIST image file: its magic number is 1234, not 2051");

  status = MnistError(Images(2, 28, 28, 0), Labels({1, 2}, 2051), &images, &labels, &dir);
  EXPECT_EQ(status.message(), labels + " is not an MNIST label file: its magic number is 2051, not 2049");

  std::vector<uint8_t> truncated = Images(2, 28, 28, 0);
  truncated.resize(truncated.size() - 10);
  status = MnistError(truncated, Labels({1, 2}), &images, &labels, &dir);
  EXPECT_EQ(status.message(), images + " is truncated: its header promises 2 images of 28x28, 1584 bytes "
                                       "in all, but it has 1574");

  std::vector<uint8_t> longer = Labels({1, 2});
  longer.push_back(0);
  status = MnistError(Images(2, 28, 28, 0), longer, &images, &labels, &dir);
  EXPECT_EQ(status.message(), labels + " is too long: its header promises 2 labels, 10 bytes in all, but it has 11");

  status = MnistError(Images(2, 28, 28, 0), Labels({1, 2, 3}), &images, &labels, &dir);
  EXPECT_EQ(status.message(), images + " has 2 images but " + labels + " has 3 labels");

  status = MnistError({0, 0, 8}, Labels({1}), &images, &labels, &dir);
  EXPECT_EQ(status.message(), images + " is not an MNIST image file: it has 3 bytes, less than its 16-byte header");

  auto missing = MnistSource::Make({"/tmp/headrace-no-such-images"}, {labels});
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("/tmp/headrace-no-such-images"), std::string::npos);
  EXPECT_EQ(MnistSource::Make({}, {}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(MnistSource::Make({images}, {}).status().code(), StatusCode::kInvalidArgument);
}

// `count` CIFAR records, record i having labels (i % 10, (i * 3) % 100) (CIFAR-100) or
// i % 10 (CIFAR-10) and pixel byte k = (start + i + k) % 256 in file (CHW) order.
std::vector<uint8_t> CifarRecords(bool cifar100, int count, int start) {
  std::vector<uint8_t> out;
  for (int i = 0; i < count; ++i) {
    out.push_back(static_cast<uint8_t>(i % 10));
    if (cifar100) out.push_back(static_cast<uint8_t>((i * 3) % 100));
    for (int k = 0; k < 3072; ++k) out.push_back(static_cast<uint8_t>((start + i + k) % 256));
  }
  return out;
}

TEST(CifarSourceTest, Cifar10RowsAreHwcOverFiles) {
  TempDir dir;
  const std::string first = dir.Write("data_batch_1.bin", CifarRecords(false, 2, 0));
  const std::string empty = dir.Write("data_batch_2.bin", {});
  const std::string second = dir.Write("test_batch.bin", CifarRecords(false, 3, 50));
  auto source = CifarSource::Make(CifarSource::Kind::kCifar10, {first, empty, second});
  ASSERT_TRUE(source.ok()) << source.status().ToString();
  EXPECT_EQ((*source)->size(), 5);
  EXPECT_EQ((*source)->column_names(), (std::vector<std::string>{"image", "label"}));
  const std::vector<int> starts = {0, 0, 50, 50, 50};
  const std::vector<int> within = {0, 1, 0, 1, 2};
  for (int64_t i = 0; i < 5; ++i) {
    TensorRow row = GetRow(**source, i);
    ASSERT_EQ(row.size(), 2u);
    EXPECT_EQ(row[0]->dtype(), DataType::kUInt8);
    EXPECT_EQ(row[0]->shape(), (Shape{32, 32, 3}));
    const uint8_t* pixels = row[0]->data();
    const int base = starts[i] + within[i];
    // HWC pixel (y, x, c) is file byte c * 1024 + y * 32 + x.
    for (int y : {0, 5, 31}) {
      for (int x : {0, 17, 31}) {
        for (int c = 0; c < 3; ++c) {
          EXPECT_EQ(pixels[(y * 32 + x) * 3 + c], (base + c * 1024 + y * 32 + x) % 256);
        }
      }
    }
    EXPECT_EQ(row[1]->dtype(), DataType::kUInt32);
    EXPECT_EQ(*row[1]->data_as<uint32_t>(), static_cast<uint32_t>(within[i] % 10));
  }
}

TEST(CifarSourceTest, Cifar100HasCoarseAndFineLabels) {
  TempDir dir;
  const std::string train = dir.Write("train.bin", CifarRecords(true, 4, 3));
  auto source = CifarSource::Make(CifarSource::Kind::kCifar100, {train});
  ASSERT_TRUE(source.ok()) << source.status().ToString();
  EXPECT_EQ((*source)->size(), 4);
  EXPECT_EQ((*source)->column_names(), (std::vector<std::string>{"image", "coarse_label", "fine_label"}));
  TensorRow row = GetRow(**source, 3);
  ASSERT_EQ(row.size(), 3u);
  EXPECT_EQ(*row[1]->data_as<uint32_t>(), 3u);
  EXPECT_EQ(*row[2]->data_as<uint32_t>(), 9u);
  EXPECT_EQ(row[0]->data()[0], (3 + 3) % 256);
  EXPECT_EQ(row[0]->data()[1], (3 + 3 + 1024) % 256);
}

TEST(CifarSourceTest, PartialRecordIsDataLossNamingTheFile) {
  TempDir dir;
  std::vector<uint8_t> bytes = CifarRecords(false, 2, 0);
  bytes.resize(bytes.size() - 1);
  const std::string path = dir.Write("data_batch_1.bin", bytes);
  auto source = CifarSource::Make(CifarSource::Kind::kCifar10, {path});
  EXPECT_EQ(source.status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(source.status().message(), path + " is not a CIFAR-10 binary batch: its 6145 bytes are not a "
                                              "whole number of 3073-byte records (the last one has 3072 bytes)");
  // A CIFAR-10 batch read as CIFAR-100 (3074-byte records) does not fit either.
  const std::string ten = dir.Write("train.bin", CifarRecords(false, 2, 0));
  EXPECT_EQ(CifarSource::Make(CifarSource::Kind::kCifar100, {ten}).status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(CifarSource::Make(CifarSource::Kind::kCifar10, {"/tmp/headrace-no-such.bin"}).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(CifarSource::Make(CifarSource::Kind::kCifar10, {}).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace headrace::engine
