#include "headrace/engine/connector.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <random>
#include <thread>
#include <vector>

namespace headrace::engine {
namespace {

using namespace std::chrono_literals;

RowBlock Rows(int64_t first, int count) {
  RowBlock block;
  for (int i = 0; i < count; ++i) block.emplace_back(first + i, TensorColumns{});
  return block;
}

RowBlock EndOfData() { return RowBlock{TensorRow::EndOfData()}; }

void RandomPause(std::mt19937* rng) {
  std::uniform_int_distribution<int> micros(0, 200);
  std::this_thread::sleep_for(std::chrono::microseconds(micros(*rng)));
}

TEST(ConnectorTest, SingleProducerKeepsOrder) {
  Connector connector(1, 1, 16);
  std::thread producer([&] {
    for (int i = 0; i < 100; ++i) ASSERT_TRUE(connector.Push(0, Rows(i * 3, 3)).ok());
    ASSERT_TRUE(connector.Push(0, EndOfData()).ok());
  });
  int64_t expected = 0;
  for (;;) {
    RowBlock block;
    ASSERT_TRUE(connector.Pop(0, &block).ok());
    if (EndsWithEndOfData(block)) break;
    for (const TensorRow& row : block) EXPECT_EQ(row.id(), expected++);
  }
  producer.join();
  EXPECT_EQ(expected, 300);
}

// The dealing pattern of a parallel op: a source connector with one producer and N
// consumers (the workers, taking turns), each worker pushing into its own queue of an
// output connector with N producers, read by one consumer. Workers take random time per
// block; the output must still be in input order, with nothing lost or duplicated.
TEST(ConnectorTest, ParallelWorkersWithRandomDelaysKeepInputOrder) {
  constexpr int kWorkers = 4;
  constexpr int kBlocks = 400;
  Connector input(1, kWorkers, 8);
  Connector output(kWorkers, 1, 8);

  std::thread source([&] {
    std::mt19937 rng(1);
    for (int b = 0; b < kBlocks; ++b) {
      const int size = 1 + static_cast<int>(rng() % 5);
      ASSERT_TRUE(input.Push(0, Rows(b * 10, size)).ok());
    }
    ASSERT_TRUE(input.Push(0, EndOfData()).ok());
  });
  std::vector<std::thread> workers;
  for (int w = 0; w < kWorkers; ++w) {
    workers.emplace_back([&, w] {
      std::mt19937 rng(100 + w);
      for (;;) {
        RowBlock block;
        ASSERT_TRUE(input.Pop(w, &block).ok());
        const bool end = EndsWithEndOfData(block);
        RandomPause(&rng);
        ASSERT_TRUE(output.Push(w, std::move(block)).ok());
        if (end) return;
      }
    });
  }

  std::vector<int64_t> ids;
  for (;;) {
    RowBlock block;
    ASSERT_TRUE(output.Pop(0, &block).ok());
    if (EndsWithEndOfData(block)) break;
    for (const TensorRow& row : block) ids.push_back(row.id());
  }
  source.join();
  for (auto& t : workers) t.join();

  std::mt19937 rng(1);
  std::vector<int64_t> expected;
  for (int b = 0; b < kBlocks; ++b) {
    const int size = 1 + static_cast<int>(rng() % 5);
    for (int i = 0; i < size; ++i) expected.push_back(b * 10 + i);
  }
  EXPECT_EQ(ids, expected);
}

TEST(ConnectorTest, ConsumersTakeTurns) {
  Connector connector(1, 3, 100);
  for (int i = 0; i < 9; ++i) ASSERT_TRUE(connector.Push(0, Rows(i, 1)).ok());
  std::vector<std::vector<int64_t>> got(3);
  std::vector<std::thread> consumers;
  for (int c = 0; c < 3; ++c) {
    consumers.emplace_back([&, c] {
      for (int k = 0; k < 3; ++k) {
        RowBlock block;
        ASSERT_TRUE(connector.Pop(c, &block).ok());
        got[c].push_back(block[0].id());
      }
    });
  }
  for (auto& t : consumers) t.join();
  EXPECT_EQ(got[0], (std::vector<int64_t>{0, 3, 6}));
  EXPECT_EQ(got[1], (std::vector<int64_t>{1, 4, 7}));
  EXPECT_EQ(got[2], (std::vector<int64_t>{2, 5, 8}));
}

TEST(ConnectorTest, EndOfDataReachesEveryConsumer) {
  Connector connector(1, 3, 10);
  ASSERT_TRUE(connector.Push(0, Rows(0, 1)).ok());
  ASSERT_TRUE(connector.Push(0, EndOfData()).ok());
  std::atomic<int> ends{0};
  std::vector<std::thread> consumers;
  for (int c = 0; c < 3; ++c) {
    consumers.emplace_back([&, c] {
      for (;;) {
        RowBlock block;
        ASSERT_TRUE(connector.Pop(c, &block).ok());
        if (EndsWithEndOfData(block)) break;
      }
      ++ends;
    });
  }
  for (auto& t : consumers) t.join();
  EXPECT_EQ(ends, 3);
}

TEST(ConnectorTest, CapacityIsCountedInRowsPerQueue) {
  Connector connector(1, 1, 8);
  ASSERT_TRUE(connector.Push(0, Rows(0, 4)).ok());
  ASSERT_TRUE(connector.Push(0, Rows(4, 4)).ok());
  EXPECT_EQ(connector.queued_rows(), 8);
  std::atomic<bool> pushed{false};
  std::thread producer([&] {
    ASSERT_TRUE(connector.Push(0, Rows(8, 4)).ok());
    pushed = true;
  });
  std::this_thread::sleep_for(50ms);
  EXPECT_FALSE(pushed) << "8 rows queued: the ninth must wait";
  RowBlock block;
  ASSERT_TRUE(connector.Pop(0, &block).ok());
  producer.join();
  EXPECT_TRUE(pushed);
}

TEST(ConnectorTest, CancelWakesProducersConsumersAndTurnWaiters) {
  Connector full(1, 1, 1);
  ASSERT_TRUE(full.Push(0, Rows(0, 1)).ok());
  Connector empty(2, 3, 4);
  std::vector<std::thread> threads;
  std::atomic<int> cancelled{0};
  threads.emplace_back([&] {
    if (full.Push(0, Rows(1, 1)).code() == StatusCode::kCancelled) ++cancelled;
  });
  // Consumer 0 waits for a block; consumers 1 and 2 wait for their turn.
  for (int c = 0; c < 3; ++c) {
    threads.emplace_back([&, c] {
      RowBlock block;
      if (empty.Pop(c, &block).code() == StatusCode::kCancelled) ++cancelled;
    });
  }
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(cancelled, 0);
  full.Cancel();
  empty.Cancel();
  for (auto& t : threads) t.join();
  EXPECT_EQ(cancelled, 4);
  RowBlock block;
  EXPECT_EQ(empty.Pop(0, &block).code(), StatusCode::kCancelled);
  EXPECT_EQ(empty.Push(1, Rows(0, 1)).code(), StatusCode::kCancelled);
}


TEST(ConnectorFailTest, ErrorReachesWaitingAndLaterConsumersOutOfTurn) {
  Connector connector(2, 2, 4);
  std::vector<std::thread> consumers;
  std::vector<Status> errors(2);
  for (int c = 0; c < 2; ++c) {
    consumers.emplace_back([&, c] {
      RowBlock block;
      ASSERT_TRUE(connector.Pop(c, &block).ok());
      ASSERT_EQ(block.size(), 1u);
      ASSERT_TRUE(block[0].is_error());
      errors[c] = block[0].error();
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  connector.Fail(Status::InvalidArgument("worker 1 failed"));
  connector.Fail(Status::Internal("a later failure is ignored"));
  for (auto& t : consumers) t.join();
  for (const Status& error : errors) EXPECT_EQ(error.ToString(), "INVALID_ARGUMENT: worker 1 failed");
  EXPECT_EQ(connector.Push(0, RowBlock{}).code(), StatusCode::kCancelled);
  RowBlock block;
  ASSERT_TRUE(connector.Pop(1, &block).ok());
  EXPECT_TRUE(block[0].is_error());
}

}  // namespace
}  // namespace headrace::engine
