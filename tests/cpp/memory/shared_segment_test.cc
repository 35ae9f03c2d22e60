#include "headrace/memory/shared_segment.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstring>
#include <regex>
#include <string>

#include "memory_test_util.h"

namespace headrace::memory {
namespace {

using SharedSegmentTest = testing::NoShmLeftBehindTest;

// Bytes whose pages the filesystem has allocated for `fd`.
int64_t AllocatedBytes(int fd) {
  struct stat stats {};
  EXPECT_EQ(::fstat(fd, &stats), 0);
  return static_cast<int64_t>(stats.st_blocks) * 512;
}

TEST_F(SharedSegmentTest, CreateMapsWritableSharedMemory) {
  auto segment = SharedSegment::Create(1 << 20);
  ASSERT_TRUE(segment.ok()) << segment.status();
  EXPECT_EQ((*segment)->capacity(), 1 << 20);
  EXPECT_GE((*segment)->fd(), 0);
  EXPECT_EQ(reinterpret_cast<uintptr_t>((*segment)->data()) % 4096, 0u);
  EXPECT_EQ((*segment)->location(), "/dev/shm");
  ASSERT_TRUE((*segment)->Reserve(0, 1 << 20).ok());
  std::memset((*segment)->data(), 0x5a, 1 << 20);
  // The same bytes through the file: the mapping is shared, not private.
  uint8_t last = 0;
  ASSERT_EQ(::pread((*segment)->fd(), &last, 1, (1 << 20) - 1), 1);
  EXPECT_EQ(last, 0x5a);
  EXPECT_TRUE(::fcntl((*segment)->fd(), F_GETFD) & FD_CLOEXEC);
}

TEST_F(SharedSegmentTest, NameIsRandomAndUnlinkedAtOnce) {
  auto first = SharedSegment::Create(4096);
  auto second = SharedSegment::Create(4096);
  ASSERT_TRUE(first.ok() && second.ok());
  std::string names[2];
  int index = 0;
  for (int fd : {(*first)->fd(), (*second)->fd()}) {
    struct stat stats {};
    ASSERT_EQ(::fstat(fd, &stats), 0);
    EXPECT_EQ(stats.st_nlink, 0u) << "the name must be gone while the segment lives";
    EXPECT_EQ(stats.st_mode & 0777, 0600u);
    char link[256] = {};
    const std::string proc = "/proc/self/fd/" + std::to_string(fd);
    ASSERT_GT(::readlink(proc.c_str(), link, sizeof(link) - 1), 0);
    names[index++] = link;
    const std::regex expected("/dev/shm/headrace-" + std::to_string(::getpid()) +
                              "-[0-9a-f]{16} \\(deleted\\)");
    EXPECT_TRUE(std::regex_match(std::string(link), expected)) << link;
  }
  EXPECT_NE(names[0], names[1]);
  for (const std::string& name : testing::ShmNames()) {
    EXPECT_NE(name.rfind("headrace-" + std::to_string(::getpid()) + "-", 0), 0u) << name;
  }
}

TEST_F(SharedSegmentTest, CreateRejectsNonPositiveCapacity) {
  for (int64_t capacity : {int64_t{0}, int64_t{-5}}) {
    auto segment = SharedSegment::Create(capacity);
    EXPECT_EQ(segment.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(segment.status().message().find("capacity"), std::string::npos)
        << segment.status();
  }
}

TEST_F(SharedSegmentTest, CreateChecksFreeSpaceFirst) {
  struct statvfs stats {};
  ASSERT_EQ(::statvfs("/dev/shm", &stats), 0);
  const int64_t free_bytes = static_cast<int64_t>(stats.f_bavail) * stats.f_frsize;
  const int64_t asked = free_bytes + (int64_t{1} << 30);
  auto segment = SharedSegment::Create(asked);
  ASSERT_EQ(segment.status().code(), StatusCode::kResourceExhausted) << segment.status();
  const std::string& message = segment.status().message();
  EXPECT_NE(message.find("/dev/shm"), std::string::npos) << message;
  EXPECT_NE(message.find("(" + std::to_string(asked) + " bytes)"), std::string::npos)
      << message;
  EXPECT_NE(message.find("GiB"), std::string::npos) << message;
  // The free size, as it was a moment ago (it may have moved a little since).
  std::smatch match;
  ASSERT_TRUE(std::regex_search(message, match, std::regex("only .*\\((\\d+) bytes\\) are free")))
      << message;
  EXPECT_NEAR(static_cast<double>(std::stoll(match[1])), static_cast<double>(free_bytes),
              64.0 * (1 << 20));
}

TEST_F(SharedSegmentTest, CreateInAMissingDirectoryNamesIt) {
  auto segment = SharedSegment::Create(4096, "/nonexistent/headrace-test");
  EXPECT_EQ(segment.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(segment.status().message().find("/nonexistent/headrace-test"), std::string::npos);
}

TEST_F(SharedSegmentTest, AttachSharesTheBytesThroughItsOwnFd) {
  auto created = SharedSegment::Create(64 << 10);
  ASSERT_TRUE(created.ok());
  ASSERT_TRUE((*created)->Reserve(0, 64 << 10).ok());
  // The caller's fd may go away after Attach: the segment keeps its own duplicate.
  const int caller_fd = ::fcntl((*created)->fd(), F_DUPFD_CLOEXEC, 0);
  auto attached = SharedSegment::Attach(caller_fd);
  ASSERT_TRUE(attached.ok()) << attached.status();
  ASSERT_EQ(::close(caller_fd), 0);
  EXPECT_NE((*attached)->fd(), caller_fd);
  EXPECT_EQ((*attached)->capacity(), 64 << 10);
  EXPECT_NE((*attached)->data(), (*created)->data());

  (*created)->data()[1000] = 17;
  EXPECT_EQ((*attached)->data()[1000], 17);
  created->reset();  // The creator's mapping and fd go; the attached ones stay valid.
  (*attached)->data()[2000] = 18;
  EXPECT_EQ((*attached)->data()[1000], 17);
}

TEST_F(SharedSegmentTest, AttachRejectsWhatIsNotASegment) {
  auto closed = SharedSegment::Attach(-1);
  EXPECT_EQ(closed.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(closed.status().message().find("fd -1"), std::string::npos) << closed.status();

  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  auto pipe = SharedSegment::Attach(pipe_fds[0]);
  EXPECT_EQ(pipe.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(pipe.status().message().find("fd " + std::to_string(pipe_fds[0])),
            std::string::npos)
      << pipe.status();
  ::close(pipe_fds[0]);
  ::close(pipe_fds[1]);
}

TEST_F(SharedSegmentTest, ReserveAllocatesPagesOnlyWhereAsked) {
  auto segment = SharedSegment::Create(64 << 20);
  ASSERT_TRUE(segment.ok());
  const int fd = (*segment)->fd();
  EXPECT_EQ(AllocatedBytes(fd), 0) << "Create must not reserve anything";
  ASSERT_TRUE((*segment)->Reserve(8 << 20, 8 << 20).ok());
  EXPECT_GE(AllocatedBytes(fd), 8 << 20);
  EXPECT_LT(AllocatedBytes(fd), 9 << 20);
  ASSERT_TRUE((*segment)->Reserve(8 << 20, 4 << 20).ok());  // Already there: no change.
  EXPECT_LT(AllocatedBytes(fd), 9 << 20);

  for (auto [offset, length] : {std::pair<int64_t, int64_t>{-1, 10}, {0, (64 << 20) + 1},
                                {64 << 20, 1}, {10, -1}}) {
    const Status status = (*segment)->Reserve(offset, length);
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << offset << " " << length;
  }
}

}  // namespace
}  // namespace headrace::memory
