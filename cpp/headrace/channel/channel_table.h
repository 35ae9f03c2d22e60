// ChannelTable: the server side of headrace's channels (proto/headrace/v1/channel.proto),
// without any transport: the queues, the channels' states and the parked waits.
//
// A channel is named by (namespace, dataset_name) and has num_shards FIFO queues of
// objects. An object is a list of blobs: inline bytes, or blocks of the server's store of
// which the table holds ONE reference per queued copy (a full-batch object queued on every
// shard holds one per shard).
//
// States: open -> closed (Close: receivers drain the queue, then get the end of stream) or
// failed (SenderGone without Close: the queue is freed, Get returns Aborted, Put refused).
// Drop removes a channel in any state and frees its queues. A second Attach of an open
// channel is AlreadyExists; an Attach of a closed or failed one replaces it (its queued
// objects are freed, waits on the old id end with NotFound).
//
// Waits are parked, never polled and never holding a thread: Put on a full queue, Get on
// an empty one and Describe of a channel that does not exist yet register a callback and
// return a ticket. The callback runs exactly once, on whichever thread makes the change
// (a Put, Get, Close, SenderGone, Drop, Attach, the table's timer thread for a timeout,
// Cancel, Shutdown), never under the table's lock, possibly before the call returns.
//
// Ownership of blocks: Put takes the references of the object's blocks whatever happens
// (a refused Put releases them); a Get result hands the receiver one reference per block
// (its own for a removed object, an extra AddRef for a peek), which the caller releases.
// Threading: every method may be called from any thread concurrently.
// Lifetime: Shutdown (or the destructor) ends every wait with Unavailable, frees every
// queued object and joins the timer thread ("hr-chan-timer").
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "headrace/core/result.h"
#include "headrace/core/thread_annotations.h"
#include "headrace/memory/shared_store.h"

namespace headrace::channel {

// One blob of an object: `data` (inline), or a block of the store (`offset`, `size` bytes).
struct ChannelBlob {
  std::string data;
  bool in_shared_memory = false;
  int64_t offset = -1;
  int64_t size = 0;
};
using ChannelObjectBlobs = std::vector<ChannelBlob>;

struct ChannelDescription {
  uint64_t channel_id = 0;
  int32_t num_shards = 1;
  bool full_batch = false;
  int32_t max_queue_size = 1;
};

struct GetResult {
  bool end_of_stream = false;
  ChannelObjectBlobs object;  // empty at the end of the stream
};

// Caps that keep a request from making the server allocate without bound.
inline constexpr int32_t kMaxShards = 4096;
inline constexpr int32_t kMaxQueueSize = 1 << 20;

class ChannelTable {
 public:
  using Clock = std::chrono::steady_clock;
  using PutDone = std::function<void(Status)>;
  using GetDone = std::function<void(Status, GetResult)>;
  using DescribeDone = std::function<void(Status, ChannelDescription)>;

  explicit ChannelTable(std::shared_ptr<memory::SharedStore> store);
  ~ChannelTable();
  ChannelTable(const ChannelTable&) = delete;
  ChannelTable& operator=(const ChannelTable&) = delete;

  // Makes the channel (arguments already validated: see kMaxShards). AlreadyExists while
  // another sender's channel of that name is open; Unavailable after Shutdown.
  Result<ChannelDescription> Attach(const std::string& name_space, const std::string& dataset_name,
                                    int32_t num_shards, bool full_batch, int32_t max_queue_size);
  // The sender's Attach call ended: an open channel fails (closed ones are unaffected).
  void SenderGone(uint64_t channel_id);
  // No more objects. NotFound for an unknown id, Aborted for a failed channel; closing
  // twice is OK.
  Status Close(uint64_t channel_id);
  // Removes the channel and frees everything queued in it; NotFound when there is none.
  Status Drop(const std::string& name_space, const std::string& dataset_name);
  // Copies of the objects queued on `shard`, oldest first, each store block with one more
  // reference for the caller (as a peek). NotFound, OutOfRange.
  Result<std::vector<ChannelObjectBlobs>> Queued(uint64_t channel_id, int32_t shard);

  // Queues `object` on `shard` (-1: every shard) once there is room (FIFO among parked
  // Puts). `done`: OK, or NotFound / OutOfRange / FailedPrecondition (closed) / Aborted
  // (failed) / Cancelled / Unavailable, after which the object's blocks are released.
  // Returns the ticket for Cancel.
  uint64_t Put(uint64_t channel_id, int32_t shard, ChannelObjectBlobs object, PutDone done);
  // The oldest object of `shard`, the end of the stream, or an error: NotFound,
  // OutOfRange, Aborted, DeadlineExceeded after `timeout` (negative: none), Cancelled,
  // Unavailable. With `peek` the object stays queued.
  uint64_t Get(uint64_t channel_id, int32_t shard, std::chrono::milliseconds timeout, bool peek,
               GetDone done);
  // The channel, waiting up to `timeout` (negative: no limit) for it to be attached;
  // NotFound after that.
  uint64_t Describe(const std::string& name_space, const std::string& dataset_name,
                    std::chrono::milliseconds timeout, DescribeDone done);
  // Ends the wait `ticket` with Cancelled; nothing if it has already ended.
  void Cancel(uint64_t ticket);

  // Ends everything (see the class comment). Idempotent.
  void Shutdown();

  const std::shared_ptr<memory::SharedStore>& store() const { return store_; }
  // Queued objects over every channel and shard (tests, status).
  int64_t queued_objects() const;

 private:
  enum class State { kOpen, kClosed, kFailed };
  enum class WaitKind { kPut, kGet, kDescribe };
  using Key = std::pair<std::string, std::string>;
  using Completions = std::vector<std::function<void()>>;

  struct Shard {
    std::deque<ChannelObjectBlobs> queue;
    std::deque<uint64_t> getters;  // tickets, oldest first (ended ones are skipped)
  };
  struct Channel {
    uint64_t id = 0;
    Key key;
    ChannelDescription description;
    State state = State::kOpen;
    std::vector<Shard> shards;
    std::deque<uint64_t> putters;  // tickets, oldest first
  };
  struct Wait {
    WaitKind kind = WaitKind::kGet;
    uint64_t channel_id = 0;
    int32_t shard = 0;
    bool peek = false;
    Key key;                              // kDescribe
    ChannelObjectBlobs object;            // kPut
    std::optional<Clock::time_point> deadline;
    std::string timeout_message;          // what a timeout answers
    PutDone put_done;
    GetDone get_done;
    DescribeDone describe_done;
  };

  uint64_t NewTicket() HEADRACE_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return next_ticket_++; }
  Channel* FindLocked(uint64_t channel_id) HEADRACE_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Whether `shard` (-1: all) of `channel` has room for one more object.
  static bool HasRoom(const Channel& channel, int32_t shard);
  // OutOfRange naming the shard and the channel unless 0 <= shard < num_shards (or -1,
  // every shard, when allowed).
  static Status CheckShard(const Channel& channel, int32_t shard, bool every_shard_allowed);
  // Queues `object` (AddRefs for the extra copies of a full batch).
  void Enqueue(Channel* channel, int32_t shard, ChannelObjectBlobs object)
      HEADRACE_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Serves what the channel's state now allows: parked Gets, then parked Puts, repeatedly.
  void Serve(Channel* channel, Completions* out) HEADRACE_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Serves the parked Gets of one shard; true when some object left the queue.
  bool ServeGetters(Channel* channel, int32_t shard, Completions* out)
      HEADRACE_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Takes the front object of `shard` for a receiver (peek: a copy with AddRefs).
  ChannelObjectBlobs TakeFront(Shard* shard, bool peek) HEADRACE_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Ends the wait `ticket` (removes it from waits_): OK with `result` / `description`, or
  // `status`. Nothing when it has already ended.
  void Complete(uint64_t ticket, const Status& status, GetResult result,
                const ChannelDescription& description, Completions* out)
      HEADRACE_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void EndWait(uint64_t ticket, const Status& status, Completions* out)
      HEADRACE_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    Complete(ticket, status, GetResult(), ChannelDescription(), out);
  }
  // Ends every wait on `channel` with `status`; frees its queues.
  void EndChannel(Channel* channel, const Status& status, Completions* out)
      HEADRACE_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Park(uint64_t ticket, Wait wait) HEADRACE_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Removes `channel` from the maps (after EndChannel).
  void Erase(uint64_t channel_id) HEADRACE_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Releases the blocks of `object` (one reference each).
  void Free(const ChannelObjectBlobs& object) const;
  void TimerLoop();
  static void Run(Completions* completions);

  const std::shared_ptr<memory::SharedStore> store_;

  mutable std::mutex mu_;
  std::condition_variable timer_cv_;
  bool shut_down_ HEADRACE_GUARDED_BY(mu_) = false;
  uint64_t next_channel_id_ HEADRACE_GUARDED_BY(mu_) = 1;
  uint64_t next_ticket_ HEADRACE_GUARDED_BY(mu_) = 1;
  std::unordered_map<uint64_t, std::unique_ptr<Channel>> channels_ HEADRACE_GUARDED_BY(mu_);
  std::map<Key, uint64_t> by_name_ HEADRACE_GUARDED_BY(mu_);
  std::unordered_map<uint64_t, Wait> waits_ HEADRACE_GUARDED_BY(mu_);
  std::map<Key, std::vector<uint64_t>> describers_ HEADRACE_GUARDED_BY(mu_);
  std::set<std::pair<Clock::time_point, uint64_t>> deadlines_ HEADRACE_GUARDED_BY(mu_);
  // When the timer thread wakes by itself next (max: not before it is notified).
  Clock::time_point timer_wakes_at_ HEADRACE_GUARDED_BY(mu_) = Clock::time_point::max();
  std::thread timer_;
};

}  // namespace headrace::channel
