#include "base/untrusted_text.hpp"

#include <gtest/gtest.h>

#include <string>

namespace sluice {
namespace {

TEST(Printable, PlainTextIsUnchanged) {
  EXPECT_EQ(printable("live/cam-1.v2"), "live/cam-1.v2");
}

TEST(Printable, ControlCharactersCannotStartANewLogLine) {
  const std::string forged = "x\r\n[2026-01-01 00:00:00] [error] forged";
  const std::string safe = printable(forged, 200);
  EXPECT_EQ(safe.find('\n'), std::string::npos);
  EXPECT_EQ(safe.find('\r'), std::string::npos);
  EXPECT_EQ(safe.substr(0, 9), "x\\x0d\\x0a");
}

TEST(Printable, NulEscapeAndHighBytesAreEscaped) {
  const std::string raw{"a\0b\x1b[31m\xc3\xa9\\", 11};
  EXPECT_EQ(printable(raw), "a\\x00b\\x1b[31m\\xc3\\xa9\\\\");
}

TEST(Printable, LongValuesAreCutWithTheDroppedCount) {
  const std::string huge(15000, 'A');
  EXPECT_EQ(printable(huge, 8), "AAAAAAAA...(+14992 bytes)");
  EXPECT_LE(printable(huge).size(), kUntrustedTextMax + 20);
}

TEST(Printable, EmptyStaysEmpty) {
  EXPECT_EQ(printable(""), "");
}

}  // namespace
}  // namespace sluice
