#include "headrace/server/channel_lanes.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <new>
#include <optional>
#include <string>
#include <thread>
#include <utility>

#include "headrace/channel/call_lane.h"
#include "headrace/memory/futex.h"
#include "headrace/rpc/status_conversion.h"

namespace headrace::server {

using channel::LaneBlock;

namespace {

// How long the lane's thread sleeps before it looks at its stop flag again (Close and
// Shutdown also wake it).
constexpr std::chrono::milliseconds kIdleWait{1000};

}  // namespace

class ChannelLanes::Lane : public std::enable_shared_from_this<Lane> {
 public:
  Lane(ChannelServiceImpl* impl, int64_t offset)
      : impl_(impl),
        offset_(offset),
        block_(new (impl->store()->data(offset)) LaneBlock()) {
    block_->state.store(channel::kLaneIdle, std::memory_order_release);
  }

  int64_t offset() const { return offset_; }

  void Start() {
    thread_ = std::thread([this] { Run(); });
  }

  // Stops the thread; then, for a client that went (`client_gone`), ends what it left:
  // a waiting call, an answer never taken, a request never run. Else (the server
  // stops) marks the block closed for the client that still waits on it.
  void Stop(bool client_gone) {
    stop_.store(true, std::memory_order_release);
    memory::FutexWakeAll(&block_->state);
    if (thread_.joinable()) thread_.join();
    bool cancel = false;
    {
      std::lock_guard<std::mutex> lock(mu_);
      closed_ = true;
      uint32_t state = block_->state.load(std::memory_order_acquire);
      if (!client_gone) {
        block_->state.store(channel::kLaneClosed, std::memory_order_release);
        memory::FutexWakeAll(&block_->state);
      } else if (state == channel::kLaneAnswer &&
                 block_->state.compare_exchange_strong(state, channel::kLaneClosed)) {
        ReturnUntakenAnswer();
      } else if (state == channel::kLaneRequest) {
        ReleaseUnrunPut();
      }
      // An answer too large for the lane that the client never fetched.
      if (client_gone && held_.has_value()) {
        impl_->ReturnLentBlocks(*held_);
        held_.reset();
      }
      cancel = state == channel::kLaneRunning || state == channel::kLaneCancelAsked;
    }
    // Without the lock: the impl may run the answer callback (which takes it) at once.
    if (cancel) impl_->Cancel(ticket_);
    if (client_gone) impl_->store()->Release(offset_).IgnoreError();
  }

  Result<v1::GetResponse> TakeHeld() {
    std::lock_guard<std::mutex> lock(mu_);
    if (!held_.has_value()) {
      return Status::FailedPrecondition("TakeLaneAnswer: the lane holds no answer");
    }
    v1::GetResponse answer = std::move(*held_);
    held_.reset();
    return answer;
  }

 private:
  void Run() {
    while (!stop_.load(std::memory_order_acquire)) {
      const uint32_t state = block_->state.load(std::memory_order_acquire);
      if (state == channel::kLaneRequest) {
        Dispatch();
        continue;
      }
      if (state == channel::kLaneCancelAsked && !cancel_sent_) {
        cancel_sent_ = true;
        impl_->Cancel(ticket_);
        continue;
      }
      memory::FutexWait(&block_->state, state, kIdleWait);
    }
  }

  void Dispatch() {
    const uint32_t method = block_->method;
    const uint32_t size = std::min(block_->request_bytes, channel::kLaneAreaBytes);
    cancel_sent_ = false;
    // Before the impl: an answer it gives at once must not be overwritten.
    block_->state.store(channel::kLaneRunning, std::memory_order_release);
    std::shared_ptr<Lane> self = shared_from_this();
    if (method == channel::kLanePut) {
      put_.Clear();
      if (!put_.ParseFromArray(block_->request, static_cast<int>(size))) {
        Answer(method, Status::InvalidArgument("lane: the Put request does not parse"));
        return;
      }
      ticket_ = impl_->Put(&put_, [self](Status status) { self->Answer(channel::kLanePut, status); });
    } else if (method == channel::kLaneGet) {
      v1::GetRequest request;
      if (!request.ParseFromArray(block_->request, static_cast<int>(size))) {
        Answer(method, Status::InvalidArgument("lane: the Get request does not parse"));
        return;
      }
      // The answer callback runs once, after which the lane's next request may reuse this.
      get_answer_.Clear();
      ticket_ = impl_->Get(request, &get_answer_,
                           [self](Status status) { self->Answer(channel::kLaneGet, status); });
    } else {
      Answer(method, Status::InvalidArgument("lane: unknown method " + std::to_string(method)));
    }
  }

  // The impl's callback: writes the answer into the block and wakes the client.
  void Answer(uint32_t method, const Status& status) {
    std::lock_guard<std::mutex> lock(mu_);
    const bool lent = method == channel::kLaneGet && status.ok();
    if (closed_) {
      // Nobody will take it: the blocks it lends go back.
      if (lent) impl_->ReturnLentBlocks(get_answer_);
      return;
    }
    const grpc::Status answer = rpc::ToGrpcStatus(status);
    const std::string& message = answer.error_message();
    const uint32_t message_bytes =
        static_cast<uint32_t>(std::min<size_t>(message.size(), channel::kLaneAreaBytes / 2));
    std::memcpy(block_->answer, message.data(), message_bytes);
    block_->status_code = static_cast<int32_t>(answer.error_code());
    block_->message_bytes = message_bytes;
    block_->answer_bytes = 0;
    if (lent) {
      const size_t size = get_answer_.ByteSizeLong();
      if (size <= channel::kLaneAreaBytes - message_bytes) {
        get_answer_.SerializeWithCachedSizesToArray(block_->answer + message_bytes);
        block_->answer_bytes = static_cast<uint32_t>(size);
      } else {
        held_ = std::move(get_answer_);
        block_->answer_bytes = channel::kLaneAnswerHeld;
      }
    }
    block_->state.store(channel::kLaneAnswer, std::memory_order_release);
    memory::FutexWakeAll(&block_->state);
  }

  // The client went between the answer and taking it.
  void ReturnUntakenAnswer() HEADRACE_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (block_->method != channel::kLaneGet || block_->status_code != 0) return;
    if (block_->answer_bytes != channel::kLaneAnswerHeld) impl_->ReturnLentBlocks(get_answer_);
  }

  // The client went after writing a Put the thread never ran: the references it added
  // for the server are released.
  void ReleaseUnrunPut() HEADRACE_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (block_->method != channel::kLanePut) return;
    v1::PutRequest request;
    const uint32_t size = std::min(block_->request_bytes, channel::kLaneAreaBytes);
    if (!request.ParseFromArray(block_->request, static_cast<int>(size))) return;
    for (const v1::Blob& blob : request.object().blobs()) {
      if (blob.in_shared_memory()) impl_->store()->Release(blob.offset()).IgnoreError();
    }
  }

  ChannelServiceImpl* const impl_;
  const int64_t offset_;
  LaneBlock* const block_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  // Written by the thread (and read by Stop only after joining it).
  uint64_t ticket_ = 0;
  bool cancel_sent_ = false;
  v1::PutRequest put_;
  std::mutex mu_;
  bool closed_ HEADRACE_GUARDED_BY(mu_) = false;
  // The running Get's answer: filled by the impl before its callback.
  v1::GetResponse get_answer_;
  std::optional<v1::GetResponse> held_ HEADRACE_GUARDED_BY(mu_);
};

ChannelLanes::ChannelLanes(ChannelServiceImpl* impl, int max_lanes)
    : impl_(impl), max_lanes_(max_lanes) {}

ChannelLanes::~ChannelLanes() { Shutdown(); }

Result<v1::LaneEvent> ChannelLanes::Open() {
  std::lock_guard<std::mutex> lock(mu_);
  if (shut_down_) return Status::Unavailable("the headrace server is stopping");
  if (static_cast<int>(lanes_.size()) >= max_lanes_) {
    return Status::ResourceExhausted("OpenLane: all " + std::to_string(max_lanes_) +
                                     " lanes are in use");
  }
  Result<int64_t> offset = impl_->store()->Allocate(sizeof(LaneBlock));
  if (!offset.ok()) return offset.status().WithContext("OpenLane");
  auto lane = std::make_shared<Lane>(impl_, *offset);
  lane->Start();
  const uint64_t id = next_id_++;
  lanes_[id] = lane;
  v1::LaneEvent event;
  event.set_lane_id(id);
  event.set_offset(*offset);
  return event;
}

void ChannelLanes::Close(uint64_t lane_id) {
  std::shared_ptr<Lane> lane;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto found = lanes_.find(lane_id);
    if (found == lanes_.end()) return;
    lane = std::move(found->second);
    lanes_.erase(found);
  }
  lane->Stop(/*client_gone=*/true);
}

Result<v1::GetResponse> ChannelLanes::TakeHeldAnswer(uint64_t lane_id) {
  std::shared_ptr<Lane> lane;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto found = lanes_.find(lane_id);
    if (found == lanes_.end()) {
      return Status::NotFound("TakeLaneAnswer: no open lane " + std::to_string(lane_id));
    }
    lane = found->second;
  }
  return lane->TakeHeld();
}

void ChannelLanes::Shutdown() {
  std::unordered_map<uint64_t, std::shared_ptr<Lane>> lanes;
  {
    std::lock_guard<std::mutex> lock(mu_);
    shut_down_ = true;
    lanes.swap(lanes_);
  }
  for (auto& [id, lane] : lanes) lane->Stop(/*client_gone=*/false);
}

int ChannelLanes::open_lanes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return static_cast<int>(lanes_.size());
}

}  // namespace headrace::server
