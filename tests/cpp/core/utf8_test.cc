#include "headrace/core/utf8.h"

#include <gtest/gtest.h>

namespace headrace {
namespace {

TEST(Utf8Test, ValidatesWellFormedText) {
  EXPECT_TRUE(utf8::IsValid(""));
  EXPECT_TRUE(utf8::IsValid("plain"));
  EXPECT_TRUE(utf8::IsValid("h\xc3\xa9llo"));          // é
  EXPECT_TRUE(utf8::IsValid("\xe4\xb8\x96"));          // 世
  EXPECT_TRUE(utf8::IsValid("\xf0\x9f\x98\x80"));      // U+1F600
}

TEST(Utf8Test, RefusesMalformedText) {
  EXPECT_FALSE(utf8::IsValid("\xff"));
  EXPECT_FALSE(utf8::IsValid("\xc3"));                 // truncated
  EXPECT_FALSE(utf8::IsValid("\xc0\xaf"));             // overlong '/'
  EXPECT_FALSE(utf8::IsValid("\xe0\x80\xaf"));         // overlong
  EXPECT_FALSE(utf8::IsValid("\xed\xa0\x80"));         // surrogate U+D800
  EXPECT_FALSE(utf8::IsValid("\xf4\x90\x80\x80"));     // past U+10FFFF
  EXPECT_FALSE(utf8::IsValid("a\x80"));                // stray continuation
}

TEST(Utf8Test, EncodesAndDecodesEveryLength) {
  const std::u32string code_points = {U'a', U'é', U'世', U'\U0001F600'};
  std::string encoded;
  for (char32_t c : code_points) ASSERT_TRUE(utf8::Append(c, &encoded));
  EXPECT_EQ(encoded, "a\xc3\xa9\xe4\xb8\x96\xf0\x9f\x98\x80");
  ASSERT_EQ(utf8::CountCodePoints(encoded), 4);
  std::u32string decoded(4, U'\0');
  utf8::Decode(encoded, decoded.data());
  EXPECT_EQ(decoded, code_points);
}

TEST(Utf8Test, RefusesToEncodeSurrogatesAndOutOfRange) {
  std::string out;
  EXPECT_FALSE(utf8::Append(0xD800, &out));
  EXPECT_FALSE(utf8::Append(0x110000, &out));
  EXPECT_TRUE(out.empty());
}

}  // namespace
}  // namespace headrace
