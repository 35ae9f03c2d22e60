#include "headrace/core/shape.h"

#include <algorithm>
#include <string>

namespace headrace {

void Shape::push_back(int64_t dim) {
  if (size_ < kInlineRank) {
    inline_[size_++] = dim;
    return;
  }
  if (size_ == kInlineRank) heap_.assign(inline_, inline_ + kInlineRank);
  heap_.push_back(dim);
  ++size_;
}

void Shape::push_front(int64_t dim) {
  push_back(0);
  int64_t* dims = data();
  std::move_backward(dims, dims + size_ - 1, dims + size_);
  dims[0] = dim;
}

bool Shape::operator==(const Shape& other) const {
  return size_ == other.size_ && std::equal(begin(), end(), other.begin());
}

std::string ShapeToString(const Shape& shape) {
  std::string out = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i > 0) out += ", ";
    out += std::to_string(shape[i]);
  }
  return out + "]";
}

std::ostream& operator<<(std::ostream& os, const Shape& shape) { return os << ShapeToString(shape); }

}  // namespace headrace
