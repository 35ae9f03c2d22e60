// A call lane: how a local channel client makes its Put and Get calls without gRPC.
//
// A gRPC call on loopback costs about 0.12 ms there and back on a 2-core machine, and a
// channel object costs two (Put and Get): more than copying a megabyte. A client that maps
// the server's store (a local one) asks for a lane (the OpenLane call, which stays open as
// the lane's lease); the server gives it a block of the store laid out as `LaneBlock`
// and a thread that sleeps on the block's state word. A call is then: the client writes
// the serialized request and sets kRequest, the server's thread runs it through the same
// ChannelServiceImpl as a gRPC call would, and the answer (status and serialized
// response) is written back with kAnswer. Each side wakes the other with a futex on the
// state word, so a call costs two wake-ups.
//
//   client                         server (the lane's thread, or whoever ends the wait)
//   kIdle -> write request,
//            kRequest, wake  ----> kRunning: impl Put / Get (may wait: parked)
//   (waits)                        ... kAnswer: status, message, answer; wake
//   kAnswer -> kTaken, read, kIdle
//   cancel (CancelCalls, deadline):
//   kRunning -> kCancelAsked, wake -> the impl's Cancel(ticket): the answer is Cancelled
//
// The lane ends when its OpenLane call does (the client closed it or died): the server's
// thread stops, a call that waits is cancelled, an answer never taken gives back the
// blocks it lent. A server that stops sets kClosed; a client that finds its server gone
// (its pid) stops waiting. A Get answer larger than the lane stays with the server and is
// fetched with TakeLaneAnswer.
//
// This header is shared by both ends: grpc_channel_client.cc and server/channel_lanes.cc.
#pragma once

#include <atomic>
#include <cstdint>

namespace headrace::channel {

enum LaneState : uint32_t {
  kLaneIdle = 0,         // no call: the client may write a request
  kLaneRequest = 1,      // a request is written; the server has not taken it yet
  kLaneRunning = 2,      // the server runs it; the answer comes when its wait ends
  kLaneCancelAsked = 3,  // the client asks the server to end the call
  kLaneAnswer = 4,       // the answer is written
  kLaneTaken = 5,        // the client reads the answer: the server must not take it back
  kLaneClosed = 6,       // the server stopped: no more calls
};

enum LaneMethod : uint32_t { kLanePut = 1, kLaneGet = 2 };

// Room for a request and for an answer. A Put of a local sender is a few offsets; a
// larger request goes by gRPC instead, a larger answer is held (kLaneAnswerHeld).
constexpr uint32_t kLaneAreaBytes = 32 * 1024;
constexpr uint32_t kLaneAnswerHeld = UINT32_MAX;

struct LaneBlock {
  std::atomic<uint32_t> state;  // a LaneState; the futex word of both ends
  uint32_t method;              // a LaneMethod
  uint32_t request_bytes;
  int32_t status_code;          // gRPC's code of the answer
  uint32_t message_bytes;       // the status message, at the start of `answer`
  uint32_t answer_bytes;        // the serialized response after it, or kLaneAnswerHeld
  uint8_t request[kLaneAreaBytes];
  uint8_t answer[kLaneAreaBytes];
};

}  // namespace headrace::channel
