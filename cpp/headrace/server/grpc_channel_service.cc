#include "headrace/server/grpc_channel_service.h"

#include <atomic>
#include <functional>
#include <optional>
#include <utility>
#include <vector>

#include "headrace/rpc/status_conversion.h"
#include "headrace/server/segment_check.h"
#include "headrace/server/token_check.h"

namespace headrace::server {

namespace {

// A unary call whose answer may come later, from the impl's callback: cancelling the call
// cancels the wait; an answer that never arrived runs `on_undelivered`.
class WaitReactor final : public grpc::ServerUnaryReactor {
 public:
  WaitReactor(grpc::CallbackServerContext* context, ChannelServiceImpl* impl)
      : context_(context), impl_(impl) {}

  void set_ticket(uint64_t ticket) { ticket_.store(ticket); }
  void set_on_undelivered(std::function<void()> f) { on_undelivered_ = std::move(f); }
  ChannelServiceImpl::Done Done() {
    return [this](Status status) { Finish(rpc::ToGrpcStatus(status)); };
  }

  // gRPC calls OnCancel only after the handler returned, so the ticket is set.
  void OnCancel() override { impl_->Cancel(ticket_.load()); }

  void OnDone() override {
    // IsCancelled: the call failed before its status (and so its answer) was sent.
    if (on_undelivered_ && context_->IsCancelled()) on_undelivered_();
    delete this;
  }

 private:
  grpc::CallbackServerContext* const context_;
  ChannelServiceImpl* const impl_;
  std::atomic<uint64_t> ticket_{0};
  std::function<void()> on_undelivered_;
};

grpc::ServerUnaryReactor* Answer(grpc::CallbackServerContext* context, const grpc::Status& status) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(status);
  return reactor;
}

}  // namespace

// The sender's Attach stream: one message (the channel id), then open until Close, a
// server stop, or the sender's end.
class GrpcChannelService::AttachReactor final
    : public grpc::ServerWriteReactor<v1::AttachEvent> {
 public:
  AttachReactor(GrpcChannelService* service, grpc::CallbackServerContext* context,
                const v1::AttachRequest& request)
      : service_(service) {
    if (grpc::Status token = CheckToken(*context, service->token_); !token.ok()) {
      Finish(token);
      return;
    }
    if (Status attached = service->impl_->Attach(request, &event_); !attached.ok()) {
      Finish(rpc::ToGrpcStatus(attached));
      return;
    }
    channel_id_ = event_.channel_id();
    {
      std::lock_guard<std::mutex> lock(service->mu_);
      service->senders_[channel_id_] = this;
    }
    writing_ = true;
    StartWrite(&event_);
  }

  // Ends the stream (once) with `status`; `orderly`: the channel stays as it is (closed,
  // or freed by a stop) instead of failing.
  void End(const grpc::Status& status, bool orderly) {
    std::lock_guard<std::mutex> lock(mu_);
    if (orderly) orderly_ = true;
    if (end_.has_value()) return;
    end_ = status;
    // gRPC does not allow Finish while the write is in flight: OnWriteDone finishes then.
    if (!writing_) Finish(status);
  }

  void OnWriteDone(bool ok) override {
    std::lock_guard<std::mutex> lock(mu_);
    writing_ = false;
    if (end_.has_value()) {
      Finish(*end_);
    } else if (!ok) {
      end_ = grpc::Status(grpc::StatusCode::CANCELLED, "the sender went away");
      Finish(*end_);
    }
  }

  void OnCancel() override {
    End(grpc::Status(grpc::StatusCode::CANCELLED, "the sender went away"), /*orderly=*/false);
  }

  void OnDone() override {
    if (channel_id_ != 0) {
      {
        std::lock_guard<std::mutex> lock(service_->mu_);
        auto found = service_->senders_.find(channel_id_);
        if (found != service_->senders_.end() && found->second == this) {
          service_->senders_.erase(found);
        }
      }
      bool orderly;
      {
        std::lock_guard<std::mutex> lock(mu_);
        orderly = orderly_;
      }
      // A closed channel ignores this; an open one fails, so receivers stop waiting.
      if (!orderly) service_->impl_->SenderGone(channel_id_);
    }
    delete this;
  }

 private:
  GrpcChannelService* const service_;
  v1::AttachEvent event_;
  uint64_t channel_id_ = 0;
  std::mutex mu_;
  bool writing_ HEADRACE_GUARDED_BY(mu_) = false;
  bool orderly_ HEADRACE_GUARDED_BY(mu_) = false;
  std::optional<grpc::Status> end_ HEADRACE_GUARDED_BY(mu_);
};

// A local client's lane: one message (the lane), then open until the client ends the
// call (or dies), which closes the lane, or the server stops.
class GrpcChannelService::LaneReactor final : public grpc::ServerWriteReactor<v1::LaneEvent> {
 public:
  LaneReactor(GrpcChannelService* service, grpc::CallbackServerContext* context)
      : service_(service) {
    if (grpc::Status token = CheckToken(*context, service->token_); !token.ok()) {
      Finish(token);
      return;
    }
    if (grpc::Status segment = CheckSegment(*context); !segment.ok()) {
      Finish(segment);
      return;
    }
    Result<v1::LaneEvent> opened = service->lanes_->Open();
    if (!opened.ok()) {
      Finish(rpc::ToGrpcStatus(opened.status()));
      return;
    }
    event_ = std::move(opened).value();
    {
      std::lock_guard<std::mutex> lock(service->mu_);
      service->lane_streams_[event_.lane_id()] = this;
    }
    writing_ = true;
    StartWrite(&event_);
  }

  // Ends the stream (once) with `status`.
  void End(const grpc::Status& status) {
    std::lock_guard<std::mutex> lock(mu_);
    if (end_.has_value()) return;
    end_ = status;
    // gRPC does not allow Finish while the write is in flight: OnWriteDone finishes then.
    if (!writing_) Finish(status);
  }

  void OnWriteDone(bool ok) override {
    std::lock_guard<std::mutex> lock(mu_);
    writing_ = false;
    if (end_.has_value()) {
      Finish(*end_);
    } else if (!ok) {
      end_ = grpc::Status(grpc::StatusCode::CANCELLED, "the lane's client went away");
      Finish(*end_);
    }
  }

  void OnCancel() override {
    End(grpc::Status(grpc::StatusCode::CANCELLED, "the lane's client went away"));
  }

  void OnDone() override {
    if (event_.lane_id() != 0) {
      {
        std::lock_guard<std::mutex> lock(service_->mu_);
        service_->lane_streams_.erase(event_.lane_id());
      }
      service_->lanes_->Close(event_.lane_id());  // nothing after a Shutdown
    }
    delete this;
  }

 private:
  GrpcChannelService* const service_;
  v1::LaneEvent event_;  // lane_id 0: none was opened
  std::mutex mu_;
  bool writing_ HEADRACE_GUARDED_BY(mu_) = false;
  std::optional<grpc::Status> end_ HEADRACE_GUARDED_BY(mu_);
};

grpc::ServerWriteReactor<v1::LaneEvent>* GrpcChannelService::OpenLane(
    grpc::CallbackServerContext* context, const v1::OpenLaneRequest* /*request*/) {
  return new LaneReactor(this, context);
}

grpc::ServerUnaryReactor* GrpcChannelService::TakeLaneAnswer(
    grpc::CallbackServerContext* context, const v1::TakeLaneAnswerRequest* request,
    v1::GetResponse* response) {
  if (grpc::Status token = CheckToken(*context, token_); !token.ok()) return Answer(context, token);
  Result<v1::GetResponse> held = lanes_->TakeHeldAnswer(request->lane_id());
  if (!held.ok()) return Answer(context, rpc::ToGrpcStatus(held.status()));
  *response = std::move(held).value();
  return Answer(context, grpc::Status::OK);
}

grpc::ServerWriteReactor<v1::AttachEvent>* GrpcChannelService::Attach(
    grpc::CallbackServerContext* context, const v1::AttachRequest* request) {
  return new AttachReactor(this, context, *request);
}

void GrpcChannelService::EndSender(uint64_t channel_id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto found = senders_.find(channel_id);
  if (found != senders_.end()) found->second->End(grpc::Status::OK, /*orderly=*/true);
}

void GrpcChannelService::Shutdown() {
  // First: a lane's client waiting on its block then gets UNAVAILABLE, not a hang.
  lanes_->Shutdown();
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& [id, reactor] : lane_streams_) {
      reactor->End(grpc::Status(grpc::StatusCode::UNAVAILABLE, "the headrace server is stopping"));
    }
    for (auto& [id, reactor] : senders_) {
      reactor->End(grpc::Status(grpc::StatusCode::UNAVAILABLE, "the headrace server is stopping"),
                   /*orderly=*/true);
    }
  }
  impl_->Shutdown();
}

grpc::ServerUnaryReactor* GrpcChannelService::Put(grpc::CallbackServerContext* context,
                                                  const v1::PutRequest* request,
                                                  v1::PutResponse* /*response*/) {
  if (grpc::Status token = CheckToken(*context, token_); !token.ok()) return Answer(context, token);
  if (grpc::Status segment = CheckSegment(*context); !segment.ok()) return Answer(context, segment);
  auto* reactor = new WaitReactor(context, impl_);
  // The request belongs to this call and is not read after the handler: the impl moves the
  // blobs' bytes out of it instead of copying them.
  reactor->set_ticket(impl_->Put(const_cast<v1::PutRequest*>(request), reactor->Done()));
  return reactor;
}

grpc::ServerUnaryReactor* GrpcChannelService::Get(grpc::CallbackServerContext* context,
                                                  const v1::GetRequest* request,
                                                  v1::GetResponse* response) {
  if (grpc::Status token = CheckToken(*context, token_); !token.ok()) return Answer(context, token);
  if (grpc::Status segment = CheckSegment(*context); !segment.ok()) return Answer(context, segment);
  auto* reactor = new WaitReactor(context, impl_);
  ChannelServiceImpl* const impl = impl_;
  reactor->set_on_undelivered([impl, response] { impl->ReturnLentBlocks(*response); });
  reactor->set_ticket(impl_->Get(*request, response, reactor->Done()));
  return reactor;
}

grpc::ServerUnaryReactor* GrpcChannelService::Describe(grpc::CallbackServerContext* context,
                                                       const v1::DescribeRequest* request,
                                                       v1::DescribeResponse* response) {
  if (grpc::Status token = CheckToken(*context, token_); !token.ok()) return Answer(context, token);
  auto* reactor = new WaitReactor(context, impl_);
  reactor->set_ticket(impl_->Describe(*request, response, reactor->Done()));
  return reactor;
}

grpc::ServerUnaryReactor* GrpcChannelService::Close(grpc::CallbackServerContext* context,
                                                    const v1::CloseRequest* request,
                                                    v1::CloseResponse* response) {
  if (grpc::Status token = CheckToken(*context, token_); !token.ok()) return Answer(context, token);
  const Status closed = impl_->Close(*request, response);
  if (closed.ok()) EndSender(request->channel_id());
  return Answer(context, rpc::ToGrpcStatus(closed));
}

grpc::ServerUnaryReactor* GrpcChannelService::Drop(grpc::CallbackServerContext* context,
                                                   const v1::DropRequest* request,
                                                   v1::DropResponse* response) {
  if (grpc::Status token = CheckToken(*context, token_); !token.ok()) return Answer(context, token);
  return Answer(context, rpc::ToGrpcStatus(impl_->Drop(*request, response)));
}

grpc::ServerUnaryReactor* GrpcChannelService::Queued(grpc::CallbackServerContext* context,
                                                     const v1::QueuedRequest* request,
                                                     v1::QueuedResponse* response) {
  if (grpc::Status token = CheckToken(*context, token_); !token.ok()) return Answer(context, token);
  return Answer(context, rpc::ToGrpcStatus(impl_->Queued(*request, response)));
}

}  // namespace headrace::server
