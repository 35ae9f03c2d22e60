#include "headrace/server/control_service_impl.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <thread>

#include "headrace/core/version.h"

namespace headrace::server {
namespace {

using std::chrono::milliseconds;

TEST(ControlServiceImplTest, StatusDescribesThisProcess) {
  ControlServiceImpl impl("127.0.0.1");
  impl.SetBoundPort(4242);
  const rpc::ServerStatusInfo info = impl.GetStatus();
  EXPECT_EQ(info.version, std::string(Version()));
  EXPECT_EQ(info.pid, static_cast<int64_t>(::getpid()));
  EXPECT_EQ(info.host, "127.0.0.1");
  EXPECT_EQ(info.port, 4242);
  EXPECT_GE(info.uptime_seconds, 0.0);
  const double now = static_cast<double>(std::time(nullptr));
  EXPECT_NEAR(info.started_unix_seconds, now, 60.0);
}

TEST(ControlServiceImplTest, PortIsZeroUntilBound) {
  ControlServiceImpl impl("localhost");
  EXPECT_EQ(impl.GetStatus().port, 0);
}

TEST(ControlServiceImplTest, UptimeGrowsAndStartTimeDoesNot) {
  ControlServiceImpl impl("127.0.0.1");
  const rpc::ServerStatusInfo first = impl.GetStatus();
  std::this_thread::sleep_for(milliseconds(20));
  const rpc::ServerStatusInfo second = impl.GetStatus();
  EXPECT_GT(second.uptime_seconds, first.uptime_seconds);
  EXPECT_EQ(second.started_unix_seconds, first.started_unix_seconds);
}

TEST(ControlServiceImplTest, WaitTimesOutWithoutStopRequest) {
  ControlServiceImpl impl("127.0.0.1");
  EXPECT_FALSE(impl.stop_requested());
  EXPECT_FALSE(impl.WaitForStopRequestFor(milliseconds(10)));
}

TEST(ControlServiceImplTest, RequestStopWakesWaiterOnAnotherThread) {
  ControlServiceImpl impl("127.0.0.1");
  std::thread waiter([&impl] { impl.WaitForStopRequest(); });
  std::this_thread::sleep_for(milliseconds(10));
  impl.RequestStop();
  waiter.join();  // Hangs (and the ctest timeout fails the test) if the wake-up is lost.
  EXPECT_TRUE(impl.stop_requested());
}

TEST(ControlServiceImplTest, RequestStopIsIdempotentAndSticky) {
  ControlServiceImpl impl("127.0.0.1");
  impl.RequestStop();
  impl.RequestStop();
  EXPECT_TRUE(impl.WaitForStopRequestFor(milliseconds(0)));
  impl.WaitForStopRequest();  // Returns at once: the request was before the wait.
}

TEST(ControlServiceImplTest, SegmentNamesThisProcessAndTheStoreOnceSet) {
  ControlServiceImpl impl("127.0.0.1");
  EXPECT_EQ(impl.GetSegment().fd, -1) << "no store yet";
  impl.SetSegment(7, int64_t{1} << 20);
  const SegmentInfo segment = impl.GetSegment();
  EXPECT_EQ(segment.pid, static_cast<int64_t>(::getpid()));
  EXPECT_EQ(segment.fd, 7);
  EXPECT_EQ(segment.capacity, int64_t{1} << 20);
}

}  // namespace
}  // namespace headrace::server
