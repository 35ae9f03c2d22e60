#include "headrace/channel/lane_client.h"

#include <signal.h>

#include <cerrno>
#include <fstream>
#include <string>
#include <utility>

#include "headrace/memory/futex.h"

namespace headrace::channel {

namespace {

// How often a waiting call looks whether its server is still there: a server that died
// never sets kAnswer.
constexpr std::chrono::milliseconds kLivenessCheck{100};

}  // namespace

std::unique_ptr<LaneClient> LaneClient::Open(const rpc::Connection* connection,
                                             std::shared_ptr<v1::Channel::Stub> stub) {
  const std::shared_ptr<memory::SharedStore>& store = connection->store();
  if (store == nullptr || connection->server_pid() <= 0) return nullptr;
  // No deadline: the call lives as long as the lane.
  auto context = std::make_unique<grpc::ClientContext>();
  connection->Prepare(context.get());
  std::unique_ptr<grpc::ClientReader<v1::LaneEvent>> reader;
  v1::LaneEvent event;
  bool got_event = false;
  {
    rpc::ScopedCall in_flight(connection->calls(), context.get());
    reader = stub->OpenLane(context.get(), v1::OpenLaneRequest());
    got_event = reader->Read(&event);
  }
  // No lane (all in use, an older server): every call goes by gRPC.
  if (!got_event) {
    reader->Finish().ok();
    return nullptr;
  }
  auto* block = reinterpret_cast<LaneBlock*>(store->data(event.offset()));
  if (block == nullptr) {
    context->TryCancel();
    reader->Finish().ok();
    return nullptr;
  }
  return std::unique_ptr<LaneClient>(new LaneClient(connection, std::move(stub), std::move(context),
                                                    std::move(reader), event.lane_id(), block));
}

LaneClient::LaneClient(const rpc::Connection* connection, std::shared_ptr<v1::Channel::Stub> stub,
                       std::unique_ptr<grpc::ClientContext> context,
                       std::unique_ptr<grpc::ClientReader<v1::LaneEvent>> reader, uint64_t lane_id,
                       LaneBlock* block)
    : connection_(connection),
      stub_(std::move(stub)),
      context_(std::move(context)),
      reader_(std::move(reader)),
      lane_id_(lane_id),
      block_(block) {}

LaneClient::~LaneClient() {
  // The server closes the lane when this call ends; the block is not touched after.
  context_->TryCancel();
  reader_->Finish().ok();
}

std::optional<Status> LaneClient::Put(const v1::PutRequest& request) {
  return Call(kLanePut, "Put", request, nullptr, std::nullopt);
}

std::optional<Status> LaneClient::Get(const v1::GetRequest& request, v1::GetResponse* response,
                                      std::chrono::steady_clock::time_point deadline) {
  return Call(kLaneGet, "Get", request, response, deadline);
}

void LaneClient::CancelCall() {
  cancel_.store(true, std::memory_order_release);
  memory::FutexWakeAll(&block_->state);
}

bool LaneClient::ServerIsGone() const {
  const int pid = connection_->server_pid();
  if (::kill(pid, 0) != 0) return errno == ESRCH;
  // A server that died but was not reaped yet (the child of this process, say) is a
  // zombie: there, but it will never answer.
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return false;
  const size_t name_end = line.rfind(')');
  if (name_end == std::string::npos || name_end + 2 >= line.size()) return false;
  const char state = line[name_end + 2];
  return state == 'Z' || state == 'X';
}

std::optional<Status> LaneClient::Call(LaneMethod method, const char* rpc,
                                       const google::protobuf::MessageLite& request,
                                       v1::GetResponse* response,
                                       std::optional<std::chrono::steady_clock::time_point> deadline) {
  if (closed_.load(std::memory_order_acquire)) return std::nullopt;
  std::unique_lock<std::mutex> lock(call_mu_, std::try_to_lock);
  if (!lock.owns_lock()) return std::nullopt;
  const size_t size = request.ByteSizeLong();
  if (size > kLaneAreaBytes) return std::nullopt;
  uint32_t state = block_->state.load(std::memory_order_acquire);
  if (state != kLaneIdle) {
    closed_.store(true, std::memory_order_release);  // kLaneClosed: the server stops
    return std::nullopt;
  }
  cancel_.store(false, std::memory_order_relaxed);
  request.SerializeWithCachedSizesToArray(block_->request);
  block_->request_bytes = static_cast<uint32_t>(size);
  block_->method = method;
  block_->state.store(kLaneRequest, std::memory_order_release);
  memory::FutexWakeAll(&block_->state);

  bool cancel_asked = false;
  auto next_check = std::chrono::steady_clock::now() + kLivenessCheck;
  for (;;) {
    state = block_->state.load(std::memory_order_acquire);
    if (state == kLaneAnswer) break;
    if (state == kLaneClosed) {
      closed_.store(true, std::memory_order_release);
      return connection_->CallError(
          rpc, grpc::Status(grpc::StatusCode::UNAVAILABLE, "the headrace server is stopping"));
    }
    const auto now = std::chrono::steady_clock::now();
    const bool past_deadline = deadline.has_value() && now >= *deadline;
    if (!cancel_asked && state == kLaneRunning &&
        (cancel_.load(std::memory_order_acquire) || past_deadline)) {
      uint32_t running = kLaneRunning;
      if (block_->state.compare_exchange_strong(running, kLaneCancelAsked)) {
        memory::FutexWakeAll(&block_->state);
      }
      cancel_asked = true;
      continue;
    }
    if (now >= next_check) {
      if (ServerIsGone()) {
        closed_.store(true, std::memory_order_release);
        return connection_->CallError(
            rpc, grpc::Status(grpc::StatusCode::UNAVAILABLE, "the server process has ended"));
      }
      next_check = now + kLivenessCheck;
    }
    memory::FutexWait(&block_->state, state, kLivenessCheck);
  }

  // Claimed before reading: from here the answer's blocks are this client's.
  uint32_t answered = kLaneAnswer;
  if (!block_->state.compare_exchange_strong(answered, kLaneTaken)) {
    closed_.store(true, std::memory_order_release);
    return connection_->CallError(
        rpc, grpc::Status(grpc::StatusCode::UNAVAILABLE, "the headrace server is stopping"));
  }
  const auto code = static_cast<grpc::StatusCode>(block_->status_code);
  const uint32_t message_bytes = std::min(block_->message_bytes, kLaneAreaBytes);
  const uint32_t answer_bytes = block_->answer_bytes;
  std::string message(reinterpret_cast<const char*>(block_->answer), message_bytes);
  Status status;
  if (code != grpc::StatusCode::OK) {
    status = connection_->CallError(rpc, grpc::Status(code, std::move(message)));
  } else if (response != nullptr && answer_bytes == kLaneAnswerHeld) {
    // Too large for the lane: the server holds it until fetched.
    v1::TakeLaneAnswerRequest take;
    take.set_lane_id(lane_id_);
    status = connection_->Call("TakeLaneAnswer", stub_.get(), &v1::Channel::Stub::TakeLaneAnswer,
                               take, response, std::nullopt);
  } else if (response != nullptr &&
             !response->ParseFromArray(block_->answer + message_bytes,
                                       static_cast<int>(std::min(answer_bytes,
                                                                 kLaneAreaBytes - message_bytes)))) {
    status = Status::DataLoss(std::string(rpc) + ": the lane's answer does not parse");
  }
  block_->state.store(kLaneIdle, std::memory_order_release);
  return status;
}

}  // namespace headrace::channel
