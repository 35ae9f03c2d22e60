#include "headrace/server/signal_watcher.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>

namespace headrace::server {
namespace {

std::atomic<int> g_previous_handler_calls{0};
void PreviousHandler(int) { g_previous_handler_calls.fetch_add(1); }

// SIGUSR1/SIGUSR2 stand in for SIGTERM so that a failure cannot kill the test binary.
TEST(SignalWatcherTest, RunsCallbackOnItsThreadAndRestoresPreviousHandler) {
  struct sigaction previous {};
  previous.sa_handler = PreviousHandler;
  sigemptyset(&previous.sa_mask);
  ASSERT_EQ(::sigaction(SIGUSR1, &previous, nullptr), 0);

  std::mutex mu;
  std::condition_variable cv;
  int received = 0;
  {
    auto watcher = SignalWatcher::Start({SIGUSR1, SIGUSR2}, [&](int signal_number) {
      std::lock_guard<std::mutex> lock(mu);
      received = signal_number;
      cv.notify_all();
    });
    ASSERT_TRUE(watcher.ok()) << watcher.status();

    ASSERT_EQ(::raise(SIGUSR1), 0);
    std::unique_lock<std::mutex> lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(10), [&] { return received != 0; }));
    EXPECT_EQ(received, SIGUSR1);
    EXPECT_EQ(g_previous_handler_calls.load(), 0);
  }

  ASSERT_EQ(::raise(SIGUSR1), 0);  // Synchronous for a single-threaded raise.
  EXPECT_EQ(g_previous_handler_calls.load(), 1);
  signal(SIGUSR1, SIG_DFL);
}

TEST(SignalWatcherTest, OnlyOneAtATime) {
  auto first = SignalWatcher::Start({SIGUSR2}, [](int) {});
  ASSERT_TRUE(first.ok()) << first.status();
  auto second = SignalWatcher::Start({SIGUSR2}, [](int) {});
  EXPECT_EQ(second.status().code(), StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace headrace::server
