#include "headrace/transforms/type_cast.h"

#include "headrace/core/cast.h"

namespace headrace::transforms {

Result<std::shared_ptr<TypeCast>> TypeCast::Make(DataType to) {
  if (!IsFixedWidth(to)) {
    return Status::InvalidArgument("TypeCast: data_type must be a numeric or bool type, got " +
                                   std::string(DataTypeName(to)));
  }
  return std::make_shared<TypeCast>(to);
}

Status TypeCast::Compute(TensorList* columns, uint64_t /*seed*/) {
  if (columns->size() != 1) {
    return Status::InvalidArgument("TypeCast takes one column, got " +
                                   std::to_string(columns->size()));
  }
  Result<TensorPtr> cast = CastTensor((*columns)[0], to_);
  if (!cast.ok()) return Status::InvalidArgument("TypeCast: " + cast.status().message());
  (*columns)[0] = std::move(*cast);
  return Status::OK();
}

}  // namespace headrace::transforms
