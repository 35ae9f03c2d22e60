#include "headrace/channel/grpc_channel_client.h"

#include <grpcpp/grpcpp.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <initializer_list>
#include <utility>

#include "headrace/channel/lane_client.h"
#include "headrace/memory/shared_store.h"
#include "headrace/rpc/connection.h"
#include "headrace/v1/channel.grpc.pb.h"

namespace headrace::channel {

namespace {

constexpr char kWhat[] = "server";
// The deadline of the calls that do not wait (Close, Drop) and the slack added to a
// wait's own timeout: a server that hangs does not hang the client for ever (keepalive
// notices a dead link sooner).
constexpr std::chrono::seconds kCallTimeout{60};

// The codes Put answers before it takes the blocks: INVALID_ARGUMENT comes from checking
// the object. Once the request passes that, the blocks are the server's (its table
// releases them if it refuses the object: an unknown or closed channel), or the server is
// gone with its store.
constexpr std::initializer_list<StatusCode> kPutRefusedBeforeTaking = {StatusCode::kInvalidArgument};

std::chrono::system_clock::time_point After(std::chrono::milliseconds wait) {
  return std::chrono::system_clock::now() + wait + kCallTimeout;
}

// The sender's open Attach call. Destroying it cancels the call, which the server takes
// as the sender's end unless the channel was closed first.
class GrpcSenderLease final : public SenderLease {
 public:
  GrpcSenderLease(std::shared_ptr<v1::Channel::Stub> stub,
                  std::unique_ptr<grpc::ClientContext> context,
                  std::unique_ptr<grpc::ClientReader<v1::AttachEvent>> reader, uint64_t channel_id)
      : stub_(std::move(stub)),
        context_(std::move(context)),
        reader_(std::move(reader)),
        channel_id_(channel_id) {}
  ~GrpcSenderLease() override {
    context_->TryCancel();
    reader_->Finish().ok();  // CANCELLED, or OK after a Close: nothing to report
  }
  uint64_t channel_id() const override { return channel_id_; }

 private:
  const std::shared_ptr<v1::Channel::Stub> stub_;  // keeps the gRPC channel
  const std::unique_ptr<grpc::ClientContext> context_;
  const std::unique_ptr<grpc::ClientReader<v1::AttachEvent>> reader_;
  const uint64_t channel_id_;
};

}  // namespace

struct GrpcChannelClient::Rep {
  std::unique_ptr<rpc::Connection> connection;
  std::shared_ptr<v1::Channel::Stub> stub;
  // The end of the highest block this client has written: pages below it are mapped here.
  std::atomic<int64_t> touched_end{0};
  // A local client's Put and Get go through it when it is free (null: all by gRPC).
  std::unique_ptr<LaneClient> lane;

  // One unary call, ended by `deadline` (none: only CancelCalls or the server's end).
  template <class Request, class Response>
  Status Call(const char* rpc,
              grpc::Status (v1::Channel::Stub::*method)(grpc::ClientContext*, const Request&,
                                                        Response*),
              const Request& request, Response* response,
              std::optional<std::chrono::system_clock::time_point> deadline) const {
    return connection->Call(rpc, stub.get(), method, request, response, deadline);
  }

  // Buffers over a received object's blobs.
  Result<std::vector<BufferPtr>> ReceiveObject(v1::ChannelObject* object, const char* rpc) const;
};

Result<std::unique_ptr<ChannelClient>> GrpcChannelClient::Connect(const ChannelClientOptions& options) {
  auto rep = std::make_unique<Rep>();
  ASSIGN_OR_RETURN(rep->connection, rpc::Connection::Open(options, kWhat));
  rep->stub = v1::Channel::NewStub(rep->connection->channel());
  if (rep->connection->is_local()) rep->lane = LaneClient::Open(rep->connection.get(), rep->stub);
  return std::unique_ptr<ChannelClient>(new GrpcChannelClient(std::move(rep)));
}

GrpcChannelClient::GrpcChannelClient(std::unique_ptr<Rep> rep) : rep_(std::move(rep)) {}

GrpcChannelClient::~GrpcChannelClient() = default;

const std::string& GrpcChannelClient::address() const { return rep_->connection->address(); }

bool GrpcChannelClient::is_local() const { return rep_->connection->is_local(); }

Result<std::unique_ptr<SenderLease>> GrpcChannelClient::Attach(const std::string& name_space,
                                                               const std::string& dataset_name,
                                                               int32_t num_shards, bool full_batch,
                                                               int32_t max_queue_size) {
  v1::AttachRequest request;
  request.set_namespace_(name_space);
  request.set_dataset_name(dataset_name);
  request.set_num_shards(num_shards);
  request.set_full_batch(full_batch);
  request.set_max_queue_size(max_queue_size);
  // No deadline: the call lives as long as the lease.
  auto context = std::make_unique<grpc::ClientContext>();
  rep_->connection->Prepare(context.get());
  std::unique_ptr<grpc::ClientReader<v1::AttachEvent>> reader;
  v1::AttachEvent event;
  bool got_event = false;
  {
    // Until the channel id arrives CancelCalls may end the call; the lease then owns it.
    rpc::ScopedCall in_flight(rep_->connection->calls(), context.get());
    reader = rep_->stub->Attach(context.get(), request);
    got_event = reader->Read(&event);
  }
  if (!got_event) {
    const grpc::Status status = reader->Finish();
    return rep_->connection->CallError(
        "Attach", status.ok() ? grpc::Status(grpc::StatusCode::INTERNAL,
                                             "the server ended Attach without an id")
                              : status);
  }
  return std::unique_ptr<SenderLease>(new GrpcSenderLease(rep_->stub, std::move(context),
                                                          std::move(reader), event.channel_id()));
}

namespace {

// Maps the pages of [data, data + size) into this process in one call before the caller
// writes them: faulting them in one by one during the copy made a 128 MB send take three
// times as long as the copy. MADV_POPULATE_WRITE is Linux 5.14+; elsewhere the copy faults.
void PrefaultForWriting(uint8_t* data, int64_t size) {
  constexpr int kPopulateWrite = 23;  // MADV_POPULATE_WRITE, absent from older headers
  if (size <= 0) return;
  const auto page = static_cast<uintptr_t>(::sysconf(_SC_PAGESIZE));
  const uintptr_t start = reinterpret_cast<uintptr_t>(data) & ~(page - 1);
  const uintptr_t end = reinterpret_cast<uintptr_t>(data) + static_cast<uintptr_t>(size);
  ::madvise(reinterpret_cast<void*>(start), end - start, kPopulateWrite);  // best effort
}

}  // namespace

Result<OutgoingBlob> GrpcChannelClient::NewBlob(int64_t size) {
  if (size < 0) {
    return Status::InvalidArgument("NewBlob: size must be >= 0, got " + std::to_string(size));
  }
  const std::shared_ptr<memory::SharedStore>& store = rep_->connection->store();
  if (store != nullptr) {
    // A full store sends the bytes instead.
    if (Result<int64_t> offset = store->Allocate(size); offset.ok()) {
      Result<BufferPtr> buffer = store->Adopt(*offset, size);
      if (buffer.ok()) {
        // Only the part of a large blob beyond what this client wrote before: pages it has
        // touched stay mapped (the store hands out low offsets first), and populating them
        // again costs a tenth of the copy.
        const int64_t end = *offset + size;
        const int64_t touched = rep_->touched_end.load();
        if (size >= (int64_t{1} << 20) && end > touched) {
          const int64_t from = std::max(*offset, touched);
          PrefaultForWriting((*buffer)->mutable_data() + (from - *offset), end - from);
          int64_t expected = touched;
          while (expected < end && !rep_->touched_end.compare_exchange_weak(expected, end)) {
          }
        }
        return OutgoingBlob{std::move(buffer).value(), *offset};
      }
      store->Release(*offset).IgnoreError();
    }
  }
  ASSIGN_OR_RETURN(BufferPtr buffer, Buffer::Allocate(size));
  return OutgoingBlob{std::move(buffer), -1};
}

Status GrpcChannelClient::Put(uint64_t channel_id, int32_t shard, std::vector<OutgoingBlob> blobs) {
  v1::PutRequest request;
  request.set_channel_id(channel_id);
  request.set_shard(shard);
  // Each block's buffer holds our reference; the server gets one more of its own, so the
  // buffers may go whatever happens.
  std::vector<int64_t> handed;
  auto fail = [&](Status status) {
    rep_->connection->ReleaseBlocks(handed);
    return status;
  };
  for (size_t i = 0; i < blobs.size(); ++i) {
    const OutgoingBlob& blob = blobs[i];
    const std::string field = "Put: blobs[" + std::to_string(i) + "]";
    if (blob.buffer == nullptr) return fail(Status::InvalidArgument(field + " has no buffer"));
    v1::Blob* out = request.mutable_object()->add_blobs();
    out->set_size(blob.buffer->size());
    if (blob.offset < 0) {
      out->set_data(blob.buffer->data(), static_cast<size_t>(blob.buffer->size()));
      continue;
    }
    if (rep_->connection->store() == nullptr) {
      return fail(Status::InvalidArgument(field + " is a block of a store this client does not map"));
    }
    if (Status added = rep_->connection->store()->AddRef(blob.offset); !added.ok()) {
      return fail(added.WithContext(field));
    }
    handed.push_back(blob.offset);
    out->set_in_shared_memory(true);
    out->set_offset(blob.offset);
  }
  blobs.clear();
  std::optional<Status> by_lane;
  if (rep_->lane != nullptr) by_lane = rep_->lane->Put(request);
  v1::PutResponse response;
  Status status = by_lane.has_value()
                      ? *by_lane
                      : rep_->Call("Put", &v1::Channel::Stub::Put, request, &response, std::nullopt);
  if (!status.ok() && rpc::BlocksStayedWithClient(status.code(), kPutRefusedBeforeTaking)) {
    rep_->connection->ReleaseBlocks(handed);
  }
  return status;
}

Status GrpcChannelClient::Close(uint64_t channel_id) {
  v1::CloseRequest request;
  request.set_channel_id(channel_id);
  v1::CloseResponse response;
  return rep_->Call("Close", &v1::Channel::Stub::Close, request, &response,
                    After(std::chrono::milliseconds(0)));
}

Result<ChannelInfo> GrpcChannelClient::Describe(const std::string& name_space,
                                                const std::string& dataset_name,
                                                std::chrono::milliseconds timeout) {
  v1::DescribeRequest request;
  request.set_namespace_(name_space);
  request.set_dataset_name(dataset_name);
  request.set_timeout_ms(timeout.count());
  v1::DescribeResponse response;
  RETURN_IF_ERROR(rep_->Call("Describe", &v1::Channel::Stub::Describe, request, &response,
                             timeout.count() < 0 ? std::nullopt
                                                 : std::make_optional(After(timeout))));
  ChannelInfo info;
  info.channel_id = response.channel_id();
  info.num_shards = response.num_shards();
  info.full_batch = response.full_batch();
  info.max_queue_size = response.max_queue_size();
  return info;
}

Result<std::optional<std::vector<BufferPtr>>> GrpcChannelClient::Get(
    uint64_t channel_id, int32_t shard, std::chrono::milliseconds timeout, bool peek) {
  v1::GetRequest request;
  request.set_channel_id(channel_id);
  request.set_shard(shard);
  request.set_timeout_ms(timeout.count());
  request.set_peek(peek);
  request.set_shared_memory(rep_->connection->store() != nullptr);
  v1::GetResponse response;
  std::optional<Status> by_lane;
  if (rep_->lane != nullptr && request.shared_memory()) {
    by_lane = rep_->lane->Get(request, &response,
                              timeout.count() < 0
                                  ? std::chrono::steady_clock::time_point::max()
                                  : std::chrono::steady_clock::now() + timeout + kCallTimeout);
  }
  RETURN_IF_ERROR(by_lane.has_value()
                      ? *by_lane
                      : rep_->Call("Get", &v1::Channel::Stub::Get, request, &response,
                                   timeout.count() < 0 ? std::nullopt
                                                       : std::make_optional(After(timeout))));
  if (response.end_of_stream()) return std::optional<std::vector<BufferPtr>>();

  ASSIGN_OR_RETURN(std::vector<BufferPtr> buffers, rep_->ReceiveObject(response.mutable_object(), "Get"));
  return std::optional<std::vector<BufferPtr>>(std::move(buffers));
}

// The blobs of a received object as Buffers: lent blocks adopted (each reference released
// exactly once, by its buffer or here when something fails), bytes kept in the answer's
// strings without a copy.
Result<std::vector<BufferPtr>> GrpcChannelClient::Rep::ReceiveObject(v1::ChannelObject* object,
                                                                     const char* rpc) const {
  const std::shared_ptr<memory::SharedStore>& store = connection->store();
  // Every lent block becomes a Buffer first, so that whatever fails below, each reference
  // is released exactly once (by its buffer, or here for those not yet adopted).
  const int count = object->blobs_size();
  std::vector<BufferPtr> buffers(static_cast<size_t>(count));
  for (int i = 0; i < count; ++i) {
    const v1::Blob& blob = object->blobs(i);
    if (!blob.in_shared_memory()) continue;
    Result<BufferPtr> adopted =
        store != nullptr
            ? store->Adopt(blob.offset(), blob.size())
            : Result<BufferPtr>(Status::Internal("the server lent a block to a remote client"));
    if (!adopted.ok()) {
      for (int j = i; j < count && store != nullptr; ++j) {
        const v1::Blob& rest = object->blobs(j);
        if (rest.in_shared_memory()) store->Release(rest.offset()).IgnoreError();
      }
      return adopted.status().WithContext(std::string(rpc) + ": blobs[" + std::to_string(i) + "]");
    }
    buffers[static_cast<size_t>(i)] = std::move(adopted).value();
  }
  for (int i = 0; i < count; ++i) {
    v1::Blob* blob = object->mutable_blobs(i);
    if (blob->in_shared_memory()) continue;
    if (blob->data().size() != static_cast<size_t>(blob->size())) {
      return Status::DataLoss(std::string(rpc) + ": blobs[" + std::to_string(i) + "] came with " +
                              std::to_string(blob->data().size()) + " bytes, announced " +
                              std::to_string(blob->size()));
    }
    // The bytes stay in the answer's string (no copy); the buffer owns it.
    auto bytes = std::make_shared<std::string>(std::move(*blob->mutable_data()));
    uint8_t* data = reinterpret_cast<uint8_t*>(bytes->data());
    buffers[static_cast<size_t>(i)] =
        Buffer::Wrap(data, static_cast<int64_t>(bytes->size()), /*is_mutable=*/true,
                     [bytes]() mutable { bytes.reset(); });
  }
  return buffers;
}

Result<std::vector<std::vector<BufferPtr>>> GrpcChannelClient::Queued(uint64_t channel_id, int32_t shard) {
  v1::QueuedRequest request;
  request.set_channel_id(channel_id);
  request.set_shard(shard);
  request.set_shared_memory(rep_->connection->store() != nullptr);
  v1::QueuedResponse response;
  RETURN_IF_ERROR(rep_->Call("Queued", &v1::Channel::Stub::Queued, request, &response,
                             After(std::chrono::milliseconds(0))));
  // Every object's blocks are adopted, even after a failure, so none is left referenced.
  std::vector<std::vector<BufferPtr>> objects;
  Status first_error;
  for (v1::ChannelObject& object : *response.mutable_objects()) {
    Result<std::vector<BufferPtr>> buffers = rep_->ReceiveObject(&object, "Queued");
    if (buffers.ok()) {
      objects.push_back(std::move(buffers).value());
    } else if (first_error.ok()) {
      first_error = buffers.status();
    }
  }
  if (!first_error.ok()) return first_error;
  return objects;
}

Status GrpcChannelClient::Drop(const std::string& name_space, const std::string& dataset_name) {
  v1::DropRequest request;
  request.set_namespace_(name_space);
  request.set_dataset_name(dataset_name);
  v1::DropResponse response;
  return rep_->Call("Drop", &v1::Channel::Stub::Drop, request, &response,
                    After(std::chrono::milliseconds(0)));
}

void GrpcChannelClient::CancelCalls() {
  rep_->connection->CancelCalls();
  if (rep_->lane != nullptr) rep_->lane->CancelCall();
}

}  // namespace headrace::channel
