#include "headrace/cache/spill_file.h"

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "cache_test_util.h"

namespace headrace::cache {
namespace {

using testing::Bytes;
using testing::Exists;
using testing::Pattern;
using testing::TempDirectory;

TEST(SpillFileTest, AppendsAndReadsBack) {
  TempDirectory dir;
  auto file = SpillFile::Create(dir.path() + "/a.spill");
  ASSERT_TRUE(file.ok()) << file.status();
  const std::string first = Pattern(1, 1000);
  const std::string second = Pattern(2, 5000);
  auto at_first = (*file)->Append(Bytes(first), 1000);
  auto at_second = (*file)->Append(Bytes(second), 5000);
  ASSERT_TRUE(at_first.ok() && at_second.ok());
  EXPECT_EQ(*at_first, 0);
  EXPECT_EQ(*at_second, 1000);
  EXPECT_EQ((*file)->size(), 6000);

  std::string back(5000, '\0');
  ASSERT_TRUE((*file)->Read(*at_second, 5000, reinterpret_cast<uint8_t*>(back.data())).ok());
  EXPECT_EQ(back, second);
  back.resize(1000);
  ASSERT_TRUE((*file)->Read(*at_first, 1000, reinterpret_cast<uint8_t*>(back.data())).ok());
  EXPECT_EQ(back, first);
}

TEST(SpillFileTest, ReadPastTheEndIsDataLoss) {
  TempDirectory dir;
  auto file = SpillFile::Create(dir.path() + "/a.spill");
  ASSERT_TRUE(file.ok());
  std::string out(10, '\0');
  EXPECT_EQ((*file)->Read(0, 10, reinterpret_cast<uint8_t*>(out.data())).code(),
            StatusCode::kDataLoss);
}

TEST(SpillFileTest, DestructorDeletesTheFile) {
  TempDirectory dir;
  const std::string path = dir.path() + "/a.spill";
  {
    auto file = SpillFile::Create(path);
    ASSERT_TRUE(file.ok());
    EXPECT_TRUE(Exists(path));
  }
  EXPECT_FALSE(Exists(path));
}

TEST(SpillFileTest, CreateFailsNamingThePath) {
  auto file = SpillFile::Create("/nonexistent/headrace/a.spill");
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.status().code(), StatusCode::kInternal);
  EXPECT_NE(file.status().message().find("/nonexistent/headrace/a.spill"), std::string::npos);

  TempDirectory dir;
  ASSERT_TRUE(SpillFile::Create(dir.path() + "/b.spill").ok());
  // An existing file is never taken over.
  const std::string path = dir.path() + "/c.spill";
  auto first = SpillFile::Create(path);
  ASSERT_TRUE(first.ok());
  EXPECT_FALSE(SpillFile::Create(path).ok());
}

TEST(SpillFileTest, ConcurrentAppendsKeepEveryRowIntact) {
  TempDirectory dir;
  auto file = SpillFile::Create(dir.path() + "/a.spill");
  ASSERT_TRUE(file.ok());
  SpillFile* spill = file->get();
  constexpr int kThreads = 4;
  constexpr int kRows = 50;
  std::vector<std::vector<int64_t>> offsets(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int r = 0; r < kRows; ++r) {
        const std::string row = Pattern(t * 1000 + r, 100 + r);
        offsets[t].push_back(spill->Append(Bytes(row), static_cast<int64_t>(row.size())).value());
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (int t = 0; t < kThreads; ++t) {
    for (int r = 0; r < kRows; ++r) {
      std::string back(static_cast<size_t>(100 + r), '\0');
      auto* out = reinterpret_cast<uint8_t*>(back.data());
      ASSERT_TRUE(spill->Read(offsets[t][r], 100 + r, out).ok());
      EXPECT_EQ(back, Pattern(t * 1000 + r, 100 + r));
    }
  }
}

// A full disk, simulated with a file size limit in a child process (EFBIG is what a full
// quota looks like to the writer): the append is refused as ResourceExhausted, the file
// is trimmed back, and appends that fit still work.
TEST(SpillFileTest, FullDiskIsResourceExhaustedAndLeavesTheFileAsItWas) {
  TempDirectory dir;
  const std::string path = dir.path() + "/a.spill";
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::signal(SIGXFSZ, SIG_IGN);
    rlimit limit{};
    limit.rlim_cur = limit.rlim_max = 64 * 1024;
    if (::setrlimit(RLIMIT_FSIZE, &limit) != 0) ::_exit(10);
    auto file = SpillFile::Create(path);
    if (!file.ok()) ::_exit(11);
    const std::string small = Pattern(1, 40 * 1024);
    const std::string large = Pattern(2, 40 * 1024);
    if (!(*file)->Append(Bytes(small), 40 * 1024).ok()) ::_exit(12);
    auto refused = (*file)->Append(Bytes(large), 40 * 1024);
    if (refused.ok() || refused.status().code() != StatusCode::kResourceExhausted) ::_exit(13);
    if ((*file)->size() != 40 * 1024) ::_exit(14);
    auto fits = (*file)->Append(Bytes(small), 1024);
    if (!fits.ok() || *fits != 40 * 1024) ::_exit(15);
    ::_exit(0);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

}  // namespace
}  // namespace headrace::cache
