#include "headrace/server/token_check.h"

#include "headrace/rpc/wire.h"

namespace headrace::server {

namespace {

bool ConstantTimeEquals(grpc::string_ref given, const std::string& expected) {
  // The length is not secret enough to hide; the bytes are.
  if (given.size() != expected.size()) return false;
  unsigned char difference = 0;
  for (size_t i = 0; i < expected.size(); ++i) {
    difference |= static_cast<unsigned char>(given.data()[i] ^ expected[i]);
  }
  return difference == 0;
}

}  // namespace

grpc::Status CheckToken(const grpc::ServerContextBase& context, const std::string& token) {
  if (token.empty()) return grpc::Status::OK;
  const auto& metadata = context.client_metadata();
  auto found = metadata.find(rpc::kTokenMetadataKey);
  if (found == metadata.end()) {
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                        "this headrace server needs a token: pass the server's token "
                        "(HEADRACE_TOKEN) to the client");
  }
  if (!ConstantTimeEquals(found->second, token)) {
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                        "wrong token for this headrace server (HEADRACE_TOKEN)");
  }
  return grpc::Status::OK;
}

}  // namespace headrace::server
