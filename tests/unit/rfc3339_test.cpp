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
// (undefined behaviour) while converting. Times are milliseconds now; what
// an offset pushes past 9999 or before 0001 is refused, the years between
// the old clock's ends are fine.
TEST(Rfc3339, FuzzFoundOverflowsAreRefusedOrHeld) {
  for (const char* beyond : {"9999-12-31T23:59:59.999999999-23:59", "0000-01-01T00:00:00Z"}) {
    EXPECT_FALSE(parse_rfc3339(beyond).has_value()) << beyond;
  }
  EXPECT_EQ(ms("2262-04-12T00:00:00Z"), 9'223'372'800'000);
  EXPECT_EQ(ms("1677-09-21T00:00:00Z"), -9'223'372'800'000);
}

TEST(Rfc3339, FormatsUtc) {
  auto t = from_unix_ms(1704067200123);
  EXPECT_EQ(format_rfc3339_ms(t), "2024-01-01T00:00:00.123Z");
  EXPECT_EQ(format_rfc3339_s(t), "2024-01-01T00:00:00Z");
}

// Past 2^31 seconds (2038), past 2^63 nanoseconds (2262: where a
// system_clock::time_point of libstdc++ wraps into 1677) and the ends of the
// four-digit range, exactly and back to the same text.
TEST(Rfc3339, CoversYears0001To9999) {
  const std::pair<const char*, int64_t> cases[] = {
      {"2038-01-19T03:14:08.000Z", 2'147'483'648'000},
      {"2262-04-11T23:47:16.854Z", 9'223'372'036'854},
      {"2262-04-11T23:47:17.000Z", 9'223'372'037'000},
      {"2611-06-24T00:00:00.000Z", 20'243'001'600'000},
      {"9999-12-31T23:59:59.999Z", 253'402'300'799'999},
      {"0001-01-01T00:00:00.000Z", -62'135'596'800'000},
      {"1969-12-31T23:59:59.999Z", -1},
  };
  for (const auto& [text, unix_ms] : cases) {
    EXPECT_EQ(ms(text), unix_ms) << text;
    EXPECT_EQ(format_rfc3339_ms(from_unix_ms(unix_ms)), text);
  }
  EXPECT_EQ(parse_rfc3339("9999-12-31T23:59:59.999Z"), kWallTimeMax);
  EXPECT_EQ(parse_rfc3339("0001-01-01T00:00:00Z"), kWallTimeMin);
  EXPECT_EQ(format_rfc3339_s(kWallTimeMax), "9999-12-31T23:59:59Z");
  // Ordered as times, not wrapped.
  EXPECT_LT(*parse_rfc3339("2024-01-01T00:00:00Z"), *parse_rfc3339("9999-12-31T23:59:59Z"));
}

TEST(Rfc3339, RefusesWhatFallsOutsideYears0001To9999) {
  for (const char* outside :
       {"0000-12-31T23:59:59Z", "0000-01-01T00:00:00Z", "10000-01-01T00:00:00Z",
        // In range as written, outside once the offset is applied (UTC).
        "9999-12-31T23:59:59-00:01", "0001-01-01T00:00:00+00:01"}) {
    EXPECT_FALSE(parse_rfc3339(outside).has_value()) << outside;
  }
  // The same ends with offsets that keep them inside.
  EXPECT_EQ(ms("9999-12-31T23:59:59+01:00"), 253'402'297'199'000);
  EXPECT_EQ(ms("0001-01-01T00:59:00+00:59"), -62'135'596'800'000);
}

// A leap second is read as the last millisecond of its minute: same day,
// after every earlier instant, before the next second. Only 23:59:60 UTC on
// the last day of a month can be one.
TEST(Rfc3339, LeapSecondIsTheLastMillisecondOfItsMinute) {
  EXPECT_EQ(ms("2016-12-31T23:59:60Z"), ms("2016-12-31T23:59:59.999Z"));
  EXPECT_EQ(ms("2016-12-31T23:59:60.5Z"), ms("2016-12-31T23:59:59.999Z"));
  EXPECT_EQ(ms("2015-06-30T23:59:60Z"), ms("2015-06-30T23:59:59.999Z"));
  EXPECT_EQ(ms("2017-01-01T07:59:60+08:00"), ms("2016-12-31T23:59:59.999Z"));
  EXPECT_EQ(ms("9999-12-31T23:59:60Z"), to_unix_ms(kWallTimeMax));
  EXPECT_LT(ms("2016-12-31T23:59:60Z"), ms("2017-01-01T00:00:00Z"));
  for (const char* nowhere :
       {"2016-12-30T23:59:60Z", "2016-12-31T23:58:60Z", "2016-12-31T22:59:60Z",
        "2016-12-31T23:59:60+08:00", "2016-12-31T23:59:61Z"}) {
    EXPECT_FALSE(parse_rfc3339(nowhere).has_value()) << nowhere;
  }
}

TEST(XDate, ParsesAndFormatsTheBasicForm) {
  EXPECT_EQ(parse_x_date("20240101T000000Z"), from_unix_ms(1704067200000));
  EXPECT_EQ(format_x_date(from_unix_ms(1704067200999)), "20240101T000000Z");
  EXPECT_EQ(parse_x_date("99991231T235959Z"), from_unix_ms(253'402'300'799'000));
  EXPECT_EQ(format_x_date(kWallTimeMax), "99991231T235959Z");
  // 2611 is a time like any other (the API refuses it as too far from now).
  EXPECT_EQ(parse_x_date("26110622T232649Z"), parse_rfc3339("2611-06-22T23:26:49Z"));
  EXPECT_EQ(parse_x_date("20161231T235960Z"), parse_rfc3339("2016-12-31T23:59:59.999Z"));
  for (const char* bad :
       {"", "20240101T000000", "20240101T000000z", "2024-01-01T00:00:00Z", "00001231T235959Z",
        "20241301T000000Z", "20240101T240000Z", "20240101X000000Z", "2024010lT000000Z",
        "20240101T00000OZ", "20240101T000000Z ", "+2024101T000000Z", "20160630T120060Z"}) {
    EXPECT_FALSE(parse_x_date(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace sluice
