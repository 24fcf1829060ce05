#include "base/rfc3339.hpp"

#include <gtest/gtest.h>

namespace sluice {
namespace {

int64_t ms(std::string_view s) {
  return to_unix_ms(parse_rfc3339(s).value());
}

TEST(Rfc3339, ParsesUtcAndOffsets) {
  EXPECT_EQ(ms("2024-01-01T00:00:00Z"), 1704067200000);
  EXPECT_EQ(ms("2024-01-01T00:00:00.000Z"), 1704067200000);
  EXPECT_EQ(ms("2024-01-01T08:00:00+08:00"), 1704067200000);
  EXPECT_EQ(ms("2023-12-31T19:30:00-04:30"), 1704067200000);
  EXPECT_EQ(ms("2024-01-01T00:00:00.5Z"), 1704067200500);
  EXPECT_EQ(ms("2024-01-01T00:00:00.123456789Z"), 1704067200123);
  EXPECT_EQ(ms("2024-01-01t00:00:00z"), 1704067200000);
}

TEST(Rfc3339, RejectsMalformed) {
  for (const char* bad :
       {"", "2024-01-01", "2024-01-01T00:00:00", "2024-13-01T00:00:00Z", "2024-02-30T00:00:00Z",
        "2024-01-01T24:00:00Z", "2024-01-01T00:00:00+0800", "2024-01-01T00:00:00.Z",
        "2024-01-01T00:00:00Zjunk", "abcd-01-01T00:00:00Z", "1704067200"}) {
    EXPECT_FALSE(parse_rfc3339(bad).has_value()) << bad;
  }
}

// Found by fuzz_sign_text: year 9999 overflowed the nanosecond clock
// (undefined behaviour) while converting; such times are now refused.
TEST(Rfc3339, RejectsTimesTheClockCannotHold) {
  for (const char* beyond : {"9999-12-31T23:59:59.999999999-23:59", "2262-04-12T00:00:00Z",
                             "1677-09-21T00:00:00Z", "0000-01-01T00:00:00Z"}) {
    EXPECT_FALSE(parse_rfc3339(beyond).has_value()) << beyond;
  }
  EXPECT_EQ(ms("2262-04-11T23:47:16.854Z"), 9223372036854);
  EXPECT_EQ(ms("1677-09-21T00:12:43.146Z"), -9223372036854);
}

TEST(Rfc3339, FormatsUtc) {
  auto t = from_unix_ms(1704067200123);
  EXPECT_EQ(format_rfc3339_ms(t), "2024-01-01T00:00:00.123Z");
  EXPECT_EQ(format_rfc3339_s(t), "2024-01-01T00:00:00Z");
}

}  // namespace
}  // namespace sluice
