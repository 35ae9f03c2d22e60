#include "headrace/core/status.h"

#include <gtest/gtest.h>

#include <set>
#include <sstream>

namespace headrace {
namespace {

TEST(StatusTest, DefaultIsOk) {
  Status status;
  EXPECT_TRUE(status.ok());
  EXPECT_EQ(status.code(), StatusCode::kOk);
  EXPECT_EQ(status.message(), "");
  EXPECT_EQ(status.ToString(), "OK");
}

TEST(StatusTest, ErrorKeepsCodeAndMessage) {
  Status status = Status::InvalidArgument("batch_size must be positive, got 0");
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "batch_size must be positive, got 0");
  EXPECT_EQ(status.ToString(), "INVALID_ARGUMENT: batch_size must be positive, got 0");
}

TEST(StatusTest, OkCodeDropsMessage) {
  Status status(StatusCode::kOk, "ignored");
  EXPECT_TRUE(status.ok());
  EXPECT_EQ(status.message(), "");
}

TEST(StatusTest, CodesAreGrpcCanonicalNumbers) {
  EXPECT_EQ(static_cast<int>(StatusCode::kCancelled), 1);
  EXPECT_EQ(static_cast<int>(StatusCode::kInvalidArgument), 3);
  EXPECT_EQ(static_cast<int>(StatusCode::kNotFound), 5);
  EXPECT_EQ(static_cast<int>(StatusCode::kResourceExhausted), 8);
  EXPECT_EQ(static_cast<int>(StatusCode::kUnavailable), 14);
  EXPECT_EQ(static_cast<int>(StatusCode::kUnauthenticated), 16);
  EXPECT_EQ(kMaxStatusCode, 16);
}

TEST(StatusTest, EveryCodeHasItsOwnName) {
  std::set<std::string_view> names;
  for (int code = 0; code <= kMaxStatusCode; ++code) {
    names.insert(StatusCodeName(static_cast<StatusCode>(code)));
  }
  EXPECT_EQ(names.size(), static_cast<size_t>(kMaxStatusCode + 1));
  EXPECT_EQ(StatusCodeName(StatusCode::kDeadlineExceeded), "DEADLINE_EXCEEDED");
}

TEST(StatusTest, FactoriesSetTheirCode) {
  EXPECT_EQ(Status::Cancelled("x").code(), StatusCode::kCancelled);
  EXPECT_EQ(Status::Unknown("x").code(), StatusCode::kUnknown);
  EXPECT_EQ(Status::DeadlineExceeded("x").code(), StatusCode::kDeadlineExceeded);
  EXPECT_EQ(Status::NotFound("x").code(), StatusCode::kNotFound);
  EXPECT_EQ(Status::AlreadyExists("x").code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(Status::PermissionDenied("x").code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(Status::ResourceExhausted("x").code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(Status::FailedPrecondition("x").code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(Status::Aborted("x").code(), StatusCode::kAborted);
  EXPECT_EQ(Status::OutOfRange("x").code(), StatusCode::kOutOfRange);
  EXPECT_EQ(Status::Unimplemented("x").code(), StatusCode::kUnimplemented);
  EXPECT_EQ(Status::Internal("x").code(), StatusCode::kInternal);
  EXPECT_EQ(Status::Unavailable("x").code(), StatusCode::kUnavailable);
  EXPECT_EQ(Status::DataLoss("x").code(), StatusCode::kDataLoss);
  EXPECT_EQ(Status::Unauthenticated("x").code(), StatusCode::kUnauthenticated);
}

TEST(StatusTest, CopyAndMoveKeepTheError) {
  Status original = Status::NotFound("session 7");
  Status copy = original;
  EXPECT_EQ(copy.code(), StatusCode::kNotFound);
  EXPECT_EQ(copy.message(), "session 7");
  EXPECT_EQ(original.message(), "session 7");
  Status moved = std::move(copy);
  EXPECT_EQ(moved.message(), "session 7");
  Status assigned;
  assigned = original;
  EXPECT_EQ(assigned.ToString(), original.ToString());
  assigned = Status::OK();
  EXPECT_TRUE(assigned.ok());
}

TEST(StatusTest, WithContextPrefixesTheMessage) {
  Status status = Status::DataLoss("truncated JPEG").WithContext("/data/cat/1.jpg");
  EXPECT_EQ(status.code(), StatusCode::kDataLoss);
  EXPECT_EQ(status.message(), "/data/cat/1.jpg: truncated JPEG");
  EXPECT_TRUE(Status::OK().WithContext("anything").ok());
}

TEST(StatusTest, StreamsAsToString) {
  std::ostringstream out;
  out << Status::Aborted("stop");
  EXPECT_EQ(out.str(), "ABORTED: stop");
}

Status FailsAt(int step, int failing_step, int* reached) {
  *reached = step;
  if (step == failing_step) return Status::Internal("step " + std::to_string(step));
  return Status::OK();
}

Status RunSteps(int failing_step, int* reached) {
  for (int step = 0; step < 5; ++step) {
    RETURN_IF_ERROR(FailsAt(step, failing_step, reached));
  }
  return Status::OK();
}

TEST(StatusTest, ReturnIfErrorStopsAtTheFirstError) {
  int reached = -1;
  Status status = RunSteps(2, &reached);
  EXPECT_EQ(reached, 2);
  EXPECT_EQ(status.message(), "step 2");
  EXPECT_TRUE(RunSteps(99, &reached).ok());
  EXPECT_EQ(reached, 4);
}

}  // namespace
}  // namespace headrace

namespace headrace {
namespace {

class NoteDetail : public StatusDetail {
 public:
  explicit NoteDetail(std::string note) : note_(std::move(note)) {}
  const char* type_id() const override { return "note"; }
  std::string ToString() const override { return note_; }

 private:
  std::string note_;
};

TEST(StatusDetailTest, DetailIsSharedByCopiesAndKeptByContext) {
  auto detail = std::make_shared<NoteDetail>("the original exception");
  Status status(StatusCode::kUnknown, "ValueError: bad", detail);
  Status copy = status;
  EXPECT_EQ(copy.detail().get(), detail.get());
  Status wrapped = status.WithContext("map");
  EXPECT_EQ(wrapped.message(), "map: ValueError: bad");
  EXPECT_EQ(wrapped.detail()->ToString(), "the original exception");
  EXPECT_EQ(Status::OK().detail(), nullptr);
  EXPECT_EQ(Status::Internal("x").detail(), nullptr);
}

}  // namespace
}  // namespace headrace
