#include "headrace/server/request_queue.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

#include "headrace/server/log.h"

namespace headrace::server {
namespace {

TEST(RequestQueueTest, WorkersRunTasksConcurrently) {
  RequestQueue queue(3);
  EXPECT_EQ(queue.workers(), 3);
  // Three tasks that each wait for all three to have started: only three workers at
  // once can finish them.
  std::mutex mu;
  std::condition_variable all_started;
  int started = 0;
  std::set<std::thread::id> threads;
  std::atomic<int> done{0};
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(queue.Submit([&] {
      std::unique_lock<std::mutex> lock(mu);
      ++started;
      threads.insert(std::this_thread::get_id());
      all_started.notify_all();
      all_started.wait(lock, [&] { return started == 3; });
      ++done;
    }));
  }
  queue.Shutdown();
  EXPECT_EQ(done.load(), 3);
  EXPECT_EQ(threads.size(), 3u);
}

TEST(RequestQueueTest, ShutdownRunsWhatIsQueuedThenRefuses) {
  RequestQueue queue(1);
  std::atomic<int> ran{0};
  for (int i = 0; i < 100; ++i) {
    ASSERT_TRUE(queue.Submit([&] {
      std::this_thread::sleep_for(std::chrono::microseconds(100));
      ++ran;
    }));
  }
  queue.Shutdown();
  EXPECT_EQ(ran.load(), 100);  // every queued call is finished
  EXPECT_FALSE(queue.Submit([&] { ++ran; }));
  queue.Shutdown();  // idempotent
  EXPECT_EQ(ran.load(), 100);
}

TEST(RequestQueueTest, AtLeastOneWorker) {
  RequestQueue queue(0);
  EXPECT_EQ(queue.workers(), 1);
  std::atomic<bool> ran{false};
  ASSERT_TRUE(queue.Submit([&] { ran = true; }));
  queue.Shutdown();
  EXPECT_TRUE(ran.load());
}

TEST(LogTest, LevelsParseAndFilter) {
  for (const char* name : {"error", "warning", "info", "debug"}) {
    auto level = ParseLogLevel(name);
    ASSERT_TRUE(level.ok()) << name;
    EXPECT_EQ(LogLevelName(*level), name);
  }
  EXPECT_EQ(ParseLogLevel("WARN").status().code(), StatusCode::kInvalidArgument);
  const LogLevel saved = GetLogLevel();
  SetLogLevel(LogLevel::kWarning);
  EXPECT_TRUE(LogEnabled(LogLevel::kError));
  EXPECT_TRUE(LogEnabled(LogLevel::kWarning));
  EXPECT_FALSE(LogEnabled(LogLevel::kInfo));
  EXPECT_FALSE(LogEnabled(LogLevel::kDebug));
  ::testing::internal::CaptureStderr();
  LogWarning("disk is full");
  LogInfo("not shown");
  const std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("WARNING: disk is full\n"), std::string::npos) << err;
  EXPECT_EQ(err.find("not shown"), std::string::npos) << err;
  SetLogLevel(saved);
}

}  // namespace
}  // namespace headrace::server
