#include "headrace/channel/channel_table.h"

#include <pthread.h>

#include <algorithm>
#include <utility>

namespace headrace::channel {

namespace {

std::string Name(const std::string& name_space, const std::string& dataset_name) {
  return "channel '" + name_space + "/" + dataset_name + "'";
}

std::string Id(uint64_t channel_id) { return "channel " + std::to_string(channel_id); }

Status Stopping() { return Status::Unavailable("the headrace server is stopping"); }

}  // namespace

ChannelTable::ChannelTable(std::shared_ptr<memory::SharedStore> store)
    : store_(std::move(store)), timer_([this] { TimerLoop(); }) {}

ChannelTable::~ChannelTable() { Shutdown(); }

void ChannelTable::Run(Completions* completions) {
  for (auto& completion : *completions) completion();
  completions->clear();
}

void ChannelTable::Free(const ChannelObjectBlobs& object) const {
  // The table's own reference: failing means a broken store, which has no one to tell.
  for (const ChannelBlob& blob : object) {
    if (blob.in_shared_memory) store_->Release(blob.offset).IgnoreError();
  }
}

ChannelTable::Channel* ChannelTable::FindLocked(uint64_t channel_id) {
  auto found = channels_.find(channel_id);
  return found == channels_.end() ? nullptr : found->second.get();
}

bool ChannelTable::HasRoom(const Channel& channel, int32_t shard) {
  const size_t limit = static_cast<size_t>(channel.description.max_queue_size);
  if (shard >= 0) return channel.shards[static_cast<size_t>(shard)].queue.size() < limit;
  for (const Shard& s : channel.shards) {
    if (s.queue.size() >= limit) return false;
  }
  return true;
}

void ChannelTable::Enqueue(Channel* channel, int32_t shard, ChannelObjectBlobs object) {
  if (shard >= 0) {
    channel->shards[static_cast<size_t>(shard)].queue.push_back(std::move(object));
    return;
  }
  // Every shard but the last gets a copy holding a reference of its own.
  const size_t n = channel->shards.size();
  for (size_t i = 0; i + 1 < n; ++i) {
    ChannelObjectBlobs copy = object;
    for (const ChannelBlob& blob : copy) {
      if (blob.in_shared_memory) store_->AddRef(blob.offset).IgnoreError();
    }
    channel->shards[i].queue.push_back(std::move(copy));
  }
  channel->shards[n - 1].queue.push_back(std::move(object));
}

ChannelObjectBlobs ChannelTable::TakeFront(Shard* shard, bool peek) {
  if (!peek) {
    ChannelObjectBlobs object = std::move(shard->queue.front());
    shard->queue.pop_front();
    return object;
  }
  ChannelObjectBlobs copy = shard->queue.front();
  // The queued object keeps its references; the receiver gets one more of each block.
  for (const ChannelBlob& blob : copy) {
    if (blob.in_shared_memory) store_->AddRef(blob.offset).IgnoreError();
  }
  return copy;
}

void ChannelTable::Park(uint64_t ticket, Wait wait) {
  if (wait.deadline.has_value()) {
    deadlines_.emplace(*wait.deadline, ticket);
    // Only a deadline before the timer's next wake needs it sooner: a receiver's Gets each
    // park with a deadline, and waking the timer for every one cost two thread switches
    // per object.
    if (*wait.deadline < timer_wakes_at_) timer_cv_.notify_one();
  }
  waits_.emplace(ticket, std::move(wait));
}

void ChannelTable::Complete(uint64_t ticket, const Status& status, GetResult result,
                            const ChannelDescription& description, Completions* out) {
  auto found = waits_.find(ticket);
  if (found == waits_.end()) return;
  Wait wait = std::move(found->second);
  waits_.erase(found);
  if (wait.deadline.has_value()) deadlines_.erase({*wait.deadline, ticket});
  if (wait.kind == WaitKind::kDescribe) {
    if (auto list = describers_.find(wait.key); list != describers_.end()) {
      list->second.erase(std::remove(list->second.begin(), list->second.end(), ticket),
                         list->second.end());
      if (list->second.empty()) describers_.erase(list);
    }
  }
  switch (wait.kind) {
    case WaitKind::kPut:
      if (status.ok()) {
        out->push_back([done = std::move(wait.put_done)] { done(Status::OK()); });
      } else {
        out->push_back([this, status, object = std::move(wait.object),
                        done = std::move(wait.put_done)] {
          Free(object);
          done(status);
        });
      }
      break;
    case WaitKind::kGet:
      out->push_back([status, result = std::move(result), done = std::move(wait.get_done)]() mutable {
        done(status, std::move(result));
      });
      break;
    case WaitKind::kDescribe:
      out->push_back([status, description, done = std::move(wait.describe_done)] {
        done(status, description);
      });
      break;
  }
}

bool ChannelTable::ServeGetters(Channel* channel, int32_t shard_index, Completions* out) {
  Shard& shard = channel->shards[static_cast<size_t>(shard_index)];
  bool removed = false;
  while (!shard.getters.empty()) {
    const uint64_t ticket = shard.getters.front();
    auto found = waits_.find(ticket);
    if (found == waits_.end()) {  // ended already (a timeout, a cancel)
      shard.getters.pop_front();
      continue;
    }
    GetResult result;
    if (!shard.queue.empty()) {
      const bool peek = found->second.peek;
      result.object = TakeFront(&shard, peek);
      removed = removed || !peek;
    } else if (channel->state == State::kClosed) {
      result.end_of_stream = true;
    } else {
      break;
    }
    shard.getters.pop_front();
    Complete(ticket, Status::OK(), std::move(result), ChannelDescription(), out);
  }
  return removed;
}

void ChannelTable::Serve(Channel* channel, Completions* out) {
  if (channel->state == State::kFailed) return;
  const int32_t num_shards = channel->description.num_shards;
  // The answers to the Puts go after those to the Gets: an object's receiver waits for
  // its answer, while the sender's is not on the object's way.
  Completions puts_answered;
  bool changed = true;
  while (changed) {
    changed = false;
    // Objects that leave make room for the parked Puts below.
    for (int32_t s = 0; s < num_shards; ++s) ServeGetters(channel, s, out);
    // Parked Puts in arrival order; one that cannot go holds back later ones on its shards.
    std::vector<bool> held(static_cast<size_t>(num_shards), false);
    bool all_held = false;
    for (auto it = channel->putters.begin(); it != channel->putters.end();) {
      auto found = waits_.find(*it);
      if (found == waits_.end()) {
        it = channel->putters.erase(it);
        continue;
      }
      Wait& wait = found->second;
      bool blocked = all_held;
      if (wait.shard >= 0) {
        blocked = blocked || held[static_cast<size_t>(wait.shard)];
      } else {
        for (bool h : held) blocked = blocked || h;
      }
      if (!blocked && HasRoom(*channel, wait.shard)) {
        Enqueue(channel, wait.shard, std::move(wait.object));
        wait.object.clear();
        const uint64_t ticket = *it;
        it = channel->putters.erase(it);
        EndWait(ticket, Status::OK(), &puts_answered);
        changed = true;
        continue;
      }
      if (wait.shard >= 0) {
        held[static_cast<size_t>(wait.shard)] = true;
      } else {
        all_held = true;
      }
      ++it;
    }
  }
  for (auto& answer : puts_answered) out->push_back(std::move(answer));
}

void ChannelTable::EndChannel(Channel* channel, const Status& status, Completions* out) {
  for (uint64_t ticket : channel->putters) EndWait(ticket, status, out);
  channel->putters.clear();
  for (Shard& shard : channel->shards) {
    for (uint64_t ticket : shard.getters) EndWait(ticket, status, out);
    shard.getters.clear();
    for (const ChannelObjectBlobs& object : shard.queue) Free(object);
    shard.queue.clear();
  }
}

void ChannelTable::Erase(uint64_t channel_id) {
  auto found = channels_.find(channel_id);
  if (found == channels_.end()) return;
  by_name_.erase(found->second->key);
  channels_.erase(found);
}

Result<ChannelDescription> ChannelTable::Attach(const std::string& name_space,
                                                const std::string& dataset_name,
                                                int32_t num_shards, bool full_batch,
                                                int32_t max_queue_size) {
  Completions completions;
  ChannelDescription description;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (shut_down_) return Stopping();
    const Key key(name_space, dataset_name);
    if (auto existing = by_name_.find(key); existing != by_name_.end()) {
      Channel* old = FindLocked(existing->second);
      if (old->state == State::kOpen) {
        return Status::AlreadyExists(Name(name_space, dataset_name) +
                                     " already has a live sender (" + Id(old->id) + ")");
      }
      // The previous sender closed or died: its leftovers go with it.
      EndChannel(old, Status::NotFound(Id(old->id) + " was replaced by a new sender"),
                 &completions);
      Erase(old->id);
    }
    auto channel = std::make_unique<Channel>();
    channel->id = next_channel_id_++;
    channel->key = key;
    channel->description = {channel->id, num_shards, full_batch, max_queue_size};
    channel->shards.resize(static_cast<size_t>(num_shards));
    description = channel->description;
    by_name_[key] = channel->id;
    channels_.emplace(channel->id, std::move(channel));
    if (auto waiting = describers_.find(key); waiting != describers_.end()) {
      const std::vector<uint64_t> tickets = waiting->second;
      for (uint64_t ticket : tickets) {
        Complete(ticket, Status::OK(), GetResult(), description, &completions);
      }
    }
  }
  Run(&completions);
  return description;
}

void ChannelTable::SenderGone(uint64_t channel_id) {
  Completions completions;
  {
    std::lock_guard<std::mutex> lock(mu_);
    Channel* channel = FindLocked(channel_id);
    if (channel == nullptr || channel->state != State::kOpen) return;
    channel->state = State::kFailed;
    EndChannel(channel,
               Status::Aborted("the sender of " + Name(channel->key.first, channel->key.second) +
                               " went away without closing it"),
               &completions);
  }
  Run(&completions);
}

Status ChannelTable::Close(uint64_t channel_id) {
  Completions completions;
  {
    std::lock_guard<std::mutex> lock(mu_);
    Channel* channel = FindLocked(channel_id);
    if (channel == nullptr) return Status::NotFound(Id(channel_id) + " does not exist");
    if (channel->state == State::kFailed) {
      return Status::Aborted(Id(channel_id) + " has failed: its sender went away");
    }
    if (channel->state == State::kClosed) return Status::OK();
    channel->state = State::kClosed;
    for (uint64_t ticket : channel->putters) {
      EndWait(ticket, Status::FailedPrecondition(Id(channel_id) + " was closed while a Put waited"),
              &completions);
    }
    channel->putters.clear();
    Serve(channel, &completions);  // receivers of empty shards: end of stream
  }
  Run(&completions);
  return Status::OK();
}

Status ChannelTable::CheckShard(const Channel& channel, int32_t shard, bool every_shard_allowed) {
  const int32_t shards = channel.description.num_shards;
  if (shard >= (every_shard_allowed ? -1 : 0) && shard < shards) return Status::OK();
  return Status::OutOfRange("shard " + std::to_string(shard) + " is outside [0, " + std::to_string(shards) +
                            ") of " + Id(channel.id) + (every_shard_allowed ? " (-1: every shard)" : ""));
}

Result<std::vector<ChannelObjectBlobs>> ChannelTable::Queued(uint64_t channel_id, int32_t shard) {
  std::lock_guard<std::mutex> lock(mu_);
  Channel* channel = FindLocked(channel_id);
  if (channel == nullptr) return Status::NotFound(Id(channel_id) + " does not exist");
  RETURN_IF_ERROR(CheckShard(*channel, shard, /*every_shard_allowed=*/false));
  std::vector<ChannelObjectBlobs> objects(channel->shards[static_cast<size_t>(shard)].queue.begin(),
                                          channel->shards[static_cast<size_t>(shard)].queue.end());
  for (const ChannelObjectBlobs& object : objects) {
    for (const ChannelBlob& blob : object) {
      if (blob.in_shared_memory) store_->AddRef(blob.offset).IgnoreError();
    }
  }
  return objects;
}

Status ChannelTable::Drop(const std::string& name_space, const std::string& dataset_name) {
  Completions completions;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto found = by_name_.find(Key(name_space, dataset_name));
    if (found == by_name_.end()) {
      return Status::NotFound(Name(name_space, dataset_name) + " does not exist");
    }
    Channel* channel = FindLocked(found->second);
    EndChannel(channel, Status::NotFound(Name(name_space, dataset_name) + " was dropped"),
               &completions);
    Erase(channel->id);
  }
  Run(&completions);
  return Status::OK();
}

uint64_t ChannelTable::Put(uint64_t channel_id, int32_t shard, ChannelObjectBlobs object,
                           PutDone done) {
  Completions completions;
  uint64_t ticket = 0;
  Status refused;
  {
    std::lock_guard<std::mutex> lock(mu_);
    Channel* channel = FindLocked(channel_id);
    if (shut_down_) {
      refused = Stopping();
    } else if (channel == nullptr) {
      refused = Status::NotFound(Id(channel_id) + " does not exist");
    } else if (Status bad = CheckShard(*channel, shard, /*every_shard_allowed=*/true); !bad.ok()) {
      refused = std::move(bad);
    } else if (channel->state == State::kClosed) {
      refused = Status::FailedPrecondition(Id(channel_id) + " is closed");
    } else if (channel->state == State::kFailed) {
      refused = Status::Aborted(Id(channel_id) + " has failed: its sender went away");
    } else {
      ticket = NewTicket();
      Wait wait;
      wait.kind = WaitKind::kPut;
      wait.channel_id = channel_id;
      wait.shard = shard;
      wait.object = std::move(object);
      wait.put_done = std::move(done);
      Park(ticket, std::move(wait));
      channel->putters.push_back(ticket);
      Serve(channel, &completions);
    }
  }
  if (!refused.ok()) {
    Free(object);
    done(refused);
    return 0;
  }
  Run(&completions);
  return ticket;
}

uint64_t ChannelTable::Get(uint64_t channel_id, int32_t shard, std::chrono::milliseconds timeout,
                           bool peek, GetDone done) {
  Completions completions;
  uint64_t ticket = 0;
  Status refused;
  {
    std::lock_guard<std::mutex> lock(mu_);
    Channel* channel = FindLocked(channel_id);
    if (shut_down_) {
      refused = Stopping();
    } else if (channel == nullptr) {
      refused = Status::NotFound(Id(channel_id) + " does not exist");
    } else if (Status bad = CheckShard(*channel, shard, /*every_shard_allowed=*/false); !bad.ok()) {
      refused = std::move(bad);
    } else if (channel->state == State::kFailed) {
      refused = Status::Aborted("the sender of " + Id(channel_id) +
                                " went away without closing it");
    } else {
      ticket = NewTicket();
      Wait wait;
      wait.kind = WaitKind::kGet;
      wait.channel_id = channel_id;
      wait.shard = shard;
      wait.peek = peek;
      wait.get_done = std::move(done);
      wait.timeout_message = "nothing came on shard " + std::to_string(shard) + " of " +
                             Id(channel_id) + " within " + std::to_string(timeout.count()) +
                             " ms";
      if (timeout.count() > 0) wait.deadline = Clock::now() + timeout;
      Park(ticket, std::move(wait));
      channel->shards[static_cast<size_t>(shard)].getters.push_back(ticket);
      Serve(channel, &completions);
      if (timeout.count() == 0) {  // only what is there now
        auto found = waits_.find(ticket);
        if (found != waits_.end()) {
          EndWait(ticket, Status::DeadlineExceeded(found->second.timeout_message), &completions);
        }
      }
    }
  }
  if (!refused.ok()) {
    done(refused, GetResult());
    return 0;
  }
  Run(&completions);
  return ticket;
}

uint64_t ChannelTable::Describe(const std::string& name_space, const std::string& dataset_name,
                                std::chrono::milliseconds timeout, DescribeDone done) {
  Status refused;
  ChannelDescription description;
  uint64_t ticket = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    const Key key(name_space, dataset_name);
    const std::string missing = Name(name_space, dataset_name) + " does not exist" +
                                (timeout.count() > 0 ? " (waited " +
                                                           std::to_string(timeout.count()) + " ms)"
                                                     : std::string());
    if (shut_down_) {
      refused = Stopping();
    } else if (auto found = by_name_.find(key); found != by_name_.end()) {
      description = channels_.at(found->second)->description;
    } else if (timeout.count() == 0) {
      refused = Status::NotFound(missing);
    } else {
      ticket = NewTicket();
      Wait wait;
      wait.kind = WaitKind::kDescribe;
      wait.key = key;
      wait.describe_done = std::move(done);
      wait.timeout_message = missing;
      if (timeout.count() > 0) wait.deadline = Clock::now() + timeout;
      Park(ticket, std::move(wait));
      describers_[key].push_back(ticket);
      return ticket;
    }
  }
  done(refused, description);
  return 0;
}

void ChannelTable::Cancel(uint64_t ticket) {
  Completions completions;
  {
    std::lock_guard<std::mutex> lock(mu_);
    EndWait(ticket, Status::Cancelled("the call was cancelled"), &completions);
  }
  Run(&completions);
}

void ChannelTable::TimerLoop() {
  ::pthread_setname_np(::pthread_self(), "hr-chan-timer");
  std::unique_lock<std::mutex> lock(mu_);
  while (!shut_down_) {
    if (deadlines_.empty()) {
      timer_wakes_at_ = Clock::time_point::max();
      timer_cv_.wait(lock);
      continue;
    }
    // The earliest deadline may belong to a wait that ends before it; the timer then wakes
    // for nothing once, which is cheaper than being woken at each Park.
    const auto [deadline, ticket] = *deadlines_.begin();
    if (Clock::now() < deadline) {
      timer_wakes_at_ = deadline;
      timer_cv_.wait_until(lock, deadline);
      continue;
    }
    Completions completions;
    auto found = waits_.find(ticket);
    const Status timed_out = found->second.kind == WaitKind::kDescribe
                                 ? Status::NotFound(found->second.timeout_message)
                                 : Status::DeadlineExceeded(found->second.timeout_message);
    EndWait(ticket, timed_out, &completions);  // also erases the deadline
    lock.unlock();
    Run(&completions);
    lock.lock();
  }
}

void ChannelTable::Shutdown() {
  Completions completions;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (shut_down_) return;
    shut_down_ = true;
    for (auto& [id, channel] : channels_) EndChannel(channel.get(), Stopping(), &completions);
    channels_.clear();
    by_name_.clear();
    std::vector<uint64_t> rest;  // Describe waits
    for (const auto& [ticket, wait] : waits_) rest.push_back(ticket);
    for (uint64_t ticket : rest) EndWait(ticket, Stopping(), &completions);
    describers_.clear();
  }
  timer_cv_.notify_all();
  if (timer_.joinable()) timer_.join();
  Run(&completions);
}

int64_t ChannelTable::queued_objects() const {
  std::lock_guard<std::mutex> lock(mu_);
  int64_t n = 0;
  for (const auto& [id, channel] : channels_) {
    for (const Shard& shard : channel->shards) n += static_cast<int64_t>(shard.queue.size());
  }
  return n;
}

}  // namespace headrace::channel
