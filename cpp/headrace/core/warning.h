// Warnings: things a user should hear of that do not stop the pipeline (the cache server
// went away, so the pipeline carries on without the cache).
//
// The engine calls Warn(); where the message goes is the handler's business: stderr by
// default, Python's warnings.warn once the extension is imported (bindings set it), so a
// user can filter or turn warnings into errors as with any Python warning.
// Threading: Warn may be called from any thread; SetWarningHandler at start-up.
#pragma once

#include <functional>
#include <string>

namespace headrace {

using WarningHandler = std::function<void(const std::string& message)>;

// Replaces the handler; an empty one restores the default (stderr).
void SetWarningHandler(WarningHandler handler);

void Warn(const std::string& message);

}  // namespace headrace
