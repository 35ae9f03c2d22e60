// Log: the server's messages to standard error, each line carrying its level.
//
// headrace-server logs what an operator wants to know (sessions made and dropped, caches
// opened, rows refused because a disk is full) at a level chosen with --log-level. A line
// is "headrace-server 2024-11-21 14:26:03.512 WARNING: <message>", written with one
// write(2) so that lines of several threads never interleave.
//
// The level is process-wide (one server per process in practice; tests that start several
// share it). Threading: every function may be called from any thread at any time.
#pragma once

#include <string>
#include <string_view>

#include "headrace/core/result.h"

namespace headrace::server {

enum class LogLevel { kError = 0, kWarning = 1, kInfo = 2, kDebug = 3 };

// "error", "warning", "info", "debug".
std::string_view LogLevelName(LogLevel level);
// The inverse of LogLevelName; InvalidArgument naming the value and the choices.
Result<LogLevel> ParseLogLevel(std::string_view name);

void SetLogLevel(LogLevel level);
LogLevel GetLogLevel();
// Whether a message of `level` would be written (to skip building a costly message).
bool LogEnabled(LogLevel level);

// Writes `message` to stderr if `level` is enabled.
void Log(LogLevel level, std::string_view message);
inline void LogError(std::string_view message) { Log(LogLevel::kError, message); }
inline void LogWarning(std::string_view message) { Log(LogLevel::kWarning, message); }
inline void LogInfo(std::string_view message) { Log(LogLevel::kInfo, message); }
inline void LogDebug(std::string_view message) { Log(LogLevel::kDebug, message); }

}  // namespace headrace::server
