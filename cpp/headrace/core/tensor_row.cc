#include "headrace/core/tensor_row.h"

namespace headrace {

TensorRow TensorRow::Error(Status error) {
  TensorRow row(Kind::kError);
  row.error_ = error.ok() ? Status::Internal("error row made from an OK status") : std::move(error);
  return row;
}

std::string TensorRow::ToString() const {
  switch (kind_) {
    case Kind::kEndOfEpoch: return "TensorRow(EOE)";
    case Kind::kEndOfData: return "TensorRow(EOF)";
    case Kind::kError: return "TensorRow(error: " + error_.ToString() + ")";
    case Kind::kData: break;
  }
  std::string out = "TensorRow(id=" + std::to_string(id_) + ", [";
  for (size_t i = 0; i < columns_.size(); ++i) {
    if (i > 0) out += ", ";
    out += columns_[i] ? columns_[i]->ToString() : "null";
  }
  return out + "])";
}

}  // namespace headrace
