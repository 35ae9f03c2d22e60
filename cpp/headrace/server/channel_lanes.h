// ChannelLanes: the server's end of the channel's call lanes (channel/call_lane.h): for
// each local client that asked, a block of the store and a thread that runs the Put and
// Get calls the client writes there, through the same ChannelServiceImpl as gRPC calls.
//
// Threading: every method may be called from any thread. Ownership: points to the impl,
// which must outlive it; each lane's thread is joined by Close or Shutdown.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "headrace/core/result.h"
#include "headrace/core/thread_annotations.h"
#include "headrace/server/channel_service_impl.h"
#include "headrace/v1/channel.pb.h"

namespace headrace::server {

class ChannelLanes {
 public:
  // At most `max_lanes` open at once (each is a thread and a block of the store).
  ChannelLanes(ChannelServiceImpl* impl, int max_lanes);
  ~ChannelLanes();
  ChannelLanes(const ChannelLanes&) = delete;
  ChannelLanes& operator=(const ChannelLanes&) = delete;

  // A new lane: its id and its block's offset. ResourceExhausted when `max_lanes` are
  // open or the store has no room (the client then calls by gRPC); Unavailable after
  // Shutdown.
  Result<v1::LaneEvent> Open();
  // The lane's client went (its OpenLane call ended): its thread stops, a call that waits
  // is cancelled, an answer never taken gives back its blocks, the block is freed.
  void Close(uint64_t lane_id);
  // The Get answer that did not fit in the lane (FailedPrecondition when none is held).
  Result<v1::GetResponse> TakeHeldAnswer(uint64_t lane_id);
  // Stops every lane's thread and marks each block closed, so that waiting clients stop
  // waiting. Later Opens get Unavailable. Idempotent.
  void Shutdown();

  int open_lanes() const;

 private:
  class Lane;

  ChannelServiceImpl* const impl_;
  const int max_lanes_;
  mutable std::mutex mu_;
  uint64_t next_id_ HEADRACE_GUARDED_BY(mu_) = 1;
  bool shut_down_ HEADRACE_GUARDED_BY(mu_) = false;
  std::unordered_map<uint64_t, std::shared_ptr<Lane>> lanes_ HEADRACE_GUARDED_BY(mu_);
};

}  // namespace headrace::server
