#include "headrace/server/segment_check.h"

#include <unistd.h>

#include <string>

#include "headrace/rpc/wire.h"

namespace headrace::server {

grpc::Status CheckSegment(const grpc::ServerContextBase& context) {
  const auto& metadata = context.client_metadata();
  auto found = metadata.find(rpc::kSegmentPidMetadataKey);
  if (found == metadata.end()) return grpc::Status::OK;
  const std::string pid(found->second.data(), found->second.size());
  const std::string mine = std::to_string(::getpid());
  if (pid == mine) return grpc::Status::OK;
  return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                      "this client maps the shared memory of headrace-server process " + pid +
                          ", but this server is process " + mine +
                          " (restarted since the client connected): connect again");
}

}  // namespace headrace::server
