// Minimal UTF-8 helpers for string tensors: validation, and conversion to and from the
// UCS-4 code points that NumPy's 'U' arrays hold.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace headrace::utf8 {

// True when `text` is well-formed UTF-8 (no overlong forms, surrogates or values past
// U+10FFFF).
bool IsValid(std::string_view text);

// Appends the UTF-8 encoding of `code_point`; false (and nothing appended) when it is a
// surrogate or past U+10FFFF.
bool Append(char32_t code_point, std::string* out);

// Number of code points in valid UTF-8 `text`.
int64_t CountCodePoints(std::string_view text);

// Writes the code points of valid UTF-8 `text` to `out` (room for
// CountCodePoints(text) of them).
void Decode(std::string_view text, char32_t* out);

}  // namespace headrace::utf8
