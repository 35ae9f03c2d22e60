#include "headrace/core/warning.h"

#include <iostream>
#include <mutex>

namespace headrace {

namespace {

std::mutex& HandlerMutex() {
  static std::mutex mu;
  return mu;
}

WarningHandler& Handler() {
  static WarningHandler handler;
  return handler;
}

}  // namespace

void SetWarningHandler(WarningHandler handler) {
  std::lock_guard<std::mutex> lock(HandlerMutex());
  Handler() = std::move(handler);
}

void Warn(const std::string& message) {
  WarningHandler handler;
  {
    std::lock_guard<std::mutex> lock(HandlerMutex());
    handler = Handler();
  }
  if (handler) {
    handler(message);
  } else {
    std::cerr << "headrace: warning: " << message << std::endl;
  }
}

}  // namespace headrace
