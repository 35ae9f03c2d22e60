#include "headrace/engine/blocking_queue.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

namespace headrace::engine {
namespace {

using namespace std::chrono_literals;

TEST(BlockingQueueTest, KeepsFifoOrder) {
  BlockingQueue<int> queue(10);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(queue.Push(i).ok());
  EXPECT_EQ(queue.size(), 5u);
  for (int i = 0; i < 5; ++i) {
    int item = -1;
    ASSERT_TRUE(queue.Pop(&item).ok());
    EXPECT_EQ(item, i);
  }
}

TEST(BlockingQueueTest, PushWaitsWhileFullUntilAPop) {
  BlockingQueue<int> queue(2);
  ASSERT_TRUE(queue.Push(1).ok());
  ASSERT_TRUE(queue.Push(2).ok());
  std::atomic<bool> pushed{false};
  std::thread producer([&] {
    EXPECT_TRUE(queue.Push(3).ok());
    pushed = true;
  });
  std::this_thread::sleep_for(50ms);
  EXPECT_FALSE(pushed) << "a full queue must block the producer";
  int item = 0;
  ASSERT_TRUE(queue.Pop(&item).ok());
  producer.join();
  EXPECT_TRUE(pushed);
  EXPECT_EQ(queue.size(), 2u);
}

TEST(BlockingQueueTest, CapacityCountsWeight) {
  BlockingQueue<int> queue(8);
  ASSERT_TRUE(queue.Push(1, 5).ok());
  ASSERT_TRUE(queue.Push(2, 5).ok()) << "admitted: the weight was below capacity";
  EXPECT_EQ(queue.weight(), 10);
  std::atomic<bool> pushed{false};
  std::thread producer([&] {
    EXPECT_TRUE(queue.Push(3, 1).ok());
    pushed = true;
  });
  std::this_thread::sleep_for(50ms);
  EXPECT_FALSE(pushed);
  int item = 0;
  ASSERT_TRUE(queue.Pop(&item).ok());
  producer.join();
  EXPECT_EQ(queue.weight(), 6);
}

TEST(BlockingQueueTest, AnItemHeavierThanCapacityEntersAnEmptyQueue) {
  BlockingQueue<int> queue(4);
  ASSERT_TRUE(queue.Push(1, 100).ok());
  int item = 0;
  ASSERT_TRUE(queue.Pop(&item).ok());
  EXPECT_EQ(item, 1);
}

TEST(BlockingQueueTest, CancelWakesEveryWaiter) {
  BlockingQueue<int> empty(1);
  BlockingQueue<int> full(1);
  ASSERT_TRUE(full.Push(0).ok());
  std::vector<std::thread> waiters;
  std::atomic<int> cancelled{0};
  for (int i = 0; i < 3; ++i) {
    waiters.emplace_back([&] {
      int item = 0;
      if (empty.Pop(&item).code() == StatusCode::kCancelled) ++cancelled;
    });
    waiters.emplace_back([&] {
      if (full.Push(1).code() == StatusCode::kCancelled) ++cancelled;
    });
  }
  std::this_thread::sleep_for(50ms);
  empty.Cancel();
  full.Cancel();
  for (auto& t : waiters) t.join();
  EXPECT_EQ(cancelled, 6);
  int item = 0;
  EXPECT_EQ(full.Pop(&item).code(), StatusCode::kCancelled) << "no draining after cancel";
  EXPECT_EQ(empty.Push(1).code(), StatusCode::kCancelled);
}

TEST(BlockingQueueTest, ManyProducersAndConsumersLoseAndDuplicateNothing) {
  BlockingQueue<int> queue(16);
  constexpr int kProducers = 4;
  constexpr int kPerProducer = 5000;
  std::vector<std::atomic<int>> seen(kProducers * kPerProducer);
  std::vector<std::thread> threads;
  for (int p = 0; p < kProducers; ++p) {
    threads.emplace_back([&, p] {
      for (int i = 0; i < kPerProducer; ++i) ASSERT_TRUE(queue.Push(p * kPerProducer + i).ok());
    });
  }
  std::atomic<int> popped{0};
  for (int c = 0; c < 3; ++c) {
    threads.emplace_back([&] {
      while (popped.fetch_add(1) < kProducers * kPerProducer) {
        int item = 0;
        ASSERT_TRUE(queue.Pop(&item).ok());
        seen[item]++;
      }
    });
  }
  for (auto& t : threads) t.join();
  for (auto& count : seen) EXPECT_EQ(count, 1);
}

}  // namespace
}  // namespace headrace::engine
