// Shape: the dimensions of a Tensor.
//
// Most tensors have few dimensions, and a pipeline makes a tensor (and so a shape) per row
// and column: up to kInlineRank dimensions are stored inside the Shape, so that making one
// costs no allocation. Larger ranks fall back to the heap. A value type.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <ostream>
#include <vector>

namespace headrace {

class Shape {
 public:
  static constexpr size_t kInlineRank = 6;

  Shape() = default;
  Shape(std::initializer_list<int64_t> dims) : Shape(dims.begin(), dims.end()) {}
  template <typename Iterator>
  Shape(Iterator first, Iterator last) {
    for (; first != last; ++first) push_back(static_cast<int64_t>(*first));
  }
  explicit Shape(const std::vector<int64_t>& dims) : Shape(dims.begin(), dims.end()) {}

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const int64_t* data() const { return size_ > kInlineRank ? heap_.data() : inline_; }
  int64_t* data() { return size_ > kInlineRank ? heap_.data() : inline_; }
  const int64_t* begin() const { return data(); }
  const int64_t* end() const { return data() + size_; }
  int64_t operator[](size_t i) const { return data()[i]; }
  int64_t& operator[](size_t i) { return data()[i]; }
  int64_t front() const { return data()[0]; }
  int64_t back() const { return data()[size_ - 1]; }

  void push_back(int64_t dim);
  // Puts `dim` before the first dimension (the batch dimension of a stacked tensor).
  void push_front(int64_t dim);

  std::vector<int64_t> ToVector() const { return std::vector<int64_t>(begin(), end()); }

  bool operator==(const Shape& other) const;
  bool operator!=(const Shape& other) const { return !(*this == other); }

 private:
  int64_t inline_[kInlineRank] = {};
  std::vector<int64_t> heap_;  // used only past kInlineRank dimensions
  size_t size_ = 0;
};

// "[2, 3]".
std::string ShapeToString(const Shape& shape);
std::ostream& operator<<(std::ostream& os, const Shape& shape);

}  // namespace headrace
