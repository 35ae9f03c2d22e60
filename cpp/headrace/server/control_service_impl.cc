#include "headrace/server/control_service_impl.h"

#include <unistd.h>

#include <string>
#include <utility>

#include "headrace/core/version.h"

namespace headrace::server {

namespace {

double UnixSecondsNow() {
  using Seconds = std::chrono::duration<double>;
  return std::chrono::duration_cast<Seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

ControlServiceImpl::ControlServiceImpl(std::string host)
    : host_(std::move(host)),
      pid_(static_cast<int64_t>(::getpid())),
      started_(std::chrono::steady_clock::now()),
      started_unix_seconds_(UnixSecondsNow()) {}

void ControlServiceImpl::SetBoundPort(int port) {
  std::lock_guard<std::mutex> lock(mu_);
  port_ = port;
}

rpc::ServerStatusInfo ControlServiceImpl::GetStatus() const {
  rpc::ServerStatusInfo info;
  info.version = std::string(Version());
  info.pid = pid_;
  info.host = host_;
  {
    std::lock_guard<std::mutex> lock(mu_);
    info.port = port_;
  }
  // Uptime from the steady clock: a wall-clock jump (NTP, suspend) must not make it
  // negative or skip.
  info.uptime_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  info.started_unix_seconds = started_unix_seconds_;
  return info;
}

void ControlServiceImpl::SetSegment(int fd, int64_t capacity) {
  std::lock_guard<std::mutex> lock(mu_);
  segment_fd_ = fd;
  segment_capacity_ = capacity;
}

SegmentInfo ControlServiceImpl::GetSegment() const {
  std::lock_guard<std::mutex> lock(mu_);
  return SegmentInfo{pid_, segment_fd_, segment_capacity_};
}

void ControlServiceImpl::RequestStop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_requested_ = true;
  }
  stop_requested_cv_.notify_all();
}

bool ControlServiceImpl::stop_requested() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stop_requested_;
}

void ControlServiceImpl::WaitForStopRequest() const {
  std::unique_lock<std::mutex> lock(mu_);
  stop_requested_cv_.wait(lock, [this] { return stop_requested_; });
}

bool ControlServiceImpl::WaitForStopRequestFor(std::chrono::milliseconds timeout) const {
  std::unique_lock<std::mutex> lock(mu_);
  return stop_requested_cv_.wait_for(lock, timeout, [this] { return stop_requested_; });
}

}  // namespace headrace::server
