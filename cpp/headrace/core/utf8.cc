#include "headrace/core/utf8.h"

namespace headrace::utf8 {

namespace {

// Length of the sequence that starts with `lead`, or 0 if `lead` cannot start one.
int SequenceLength(uint8_t lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return 2;
  if (lead >= 0xE0 && lead <= 0xEF) return 3;
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  return 0;
}

bool IsContinuation(uint8_t byte) { return (byte & 0xC0) == 0x80; }

}  // namespace

bool IsValid(std::string_view text) {
  const auto* p = reinterpret_cast<const uint8_t*>(text.data());
  const auto* end = p + text.size();
  while (p < end) {
    const int length = SequenceLength(*p);
    if (length == 0 || end - p < length) return false;
    for (int i = 1; i < length; ++i) {
      if (!IsContinuation(p[i])) return false;
    }
    // The second byte's range rules out overlong forms, surrogates and > U+10FFFF.
    if (length == 3 && p[0] == 0xE0 && p[1] < 0xA0) return false;
    if (length == 3 && p[0] == 0xED && p[1] >= 0xA0) return false;
    if (length == 4 && p[0] == 0xF0 && p[1] < 0x90) return false;
    if (length == 4 && p[0] == 0xF4 && p[1] >= 0x90) return false;
    p += length;
  }
  return true;
}

bool Append(char32_t c, std::string* out) {
  if (c < 0x80) {
    out->push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (c >> 6)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c >= 0xD800 && c <= 0xDFFF) {
    return false;
  } else if (c < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (c >> 12)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c <= 0x10FFFF) {
    out->push_back(static_cast<char>(0xF0 | (c >> 18)));
    out->push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    return false;
  }
  return true;
}

int64_t CountCodePoints(std::string_view text) {
  int64_t count = 0;
  for (char c : text) {
    if (!IsContinuation(static_cast<uint8_t>(c))) ++count;
  }
  return count;
}

void Decode(std::string_view text, char32_t* out) {
  const auto* p = reinterpret_cast<const uint8_t*>(text.data());
  const auto* end = p + text.size();
  while (p < end) {
    const int length = SequenceLength(*p);
    char32_t c = length == 1 ? *p : (*p & (0xFF >> (length + 1)));
    for (int i = 1; i < length; ++i) c = (c << 6) | (p[i] & 0x3F);
    *out++ = c;
    p += length;
  }
}

}  // namespace headrace::utf8
