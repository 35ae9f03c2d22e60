// FormatBytes: a byte count for people and for grep, e.g. "2.0 GiB (2147483648 bytes)".
//
// Used by the error messages of the shared-memory store, which must say how much was asked
// and how much is free in a way a user can act on (binary units) and a test or log search
// can match exactly (the plain count). Pure function; safe from any thread.
#pragma once

#include <cstdint>
#include <string>

namespace headrace::memory {

// "512 bytes" below 1 KiB; otherwise one decimal in the largest binary unit that keeps
// the number at least 1, followed by the exact count: "1.5 KiB (1536 bytes)".
// Negative counts are formatted as plain numbers ("-3 bytes").
std::string FormatBytes(int64_t bytes);

}  // namespace headrace::memory
