#include "base/rfc3339.hpp"

#include <cctype>
#include <cstdio>

namespace sluice {
namespace {

// Reads exactly `n` digits at `pos`.
std::optional<int> digits(std::string_view s, size_t& pos, size_t n) {
  if (pos + n > s.size()) return std::nullopt;
  int v = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = s[pos + i];
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    v = v * 10 + (c - '0');
  }
  pos += n;
  return v;
}

bool expect(std::string_view s, size_t& pos, char c) {
  if (pos >= s.size() || std::toupper(static_cast<unsigned char>(s[pos])) != c) return false;
  ++pos;
  return true;
}

// A calendar date and time of day as written, before the offset is applied.
struct Fields {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  int64_t millis = 0;
  int offset_minutes = 0;
};

// The instant `f` names, or nullopt when it names none in 0001-9999 UTC.
std::optional<WallTime> to_wall_time(const Fields& f) {
  using namespace std::chrono;
  const year_month_day ymd{year(f.year), month(static_cast<unsigned>(f.month)),
                           day(static_cast<unsigned>(f.day))};
  if (!ymd.ok() || f.hour > 23 || f.minute > 59 || f.second > 60) return std::nullopt;
  const bool leap_second = f.second == 60;
  WallTime t = sys_days(ymd) + hours(f.hour) + minutes(f.minute) +
               seconds(leap_second ? 59 : f.second) - minutes(f.offset_minutes);
  if (leap_second) {
    // Only the last second of a UTC month can be a leap second.
    const auto utc_day = floor<days>(t);
    const hh_mm_ss utc_clock{t - utc_day};
    const bool last_of_month = year_month_day{utc_day + days(1)}.day() == day(1);
    if (!last_of_month || utc_clock.hours() != hours(23) || utc_clock.minutes() != minutes(59))
      return std::nullopt;
    t += milliseconds(999);
  } else {
    t += milliseconds(f.millis);
  }
  if (!in_wall_time_range(t)) return std::nullopt;
  return t;
}

// "YYYY-MM-DDTHH:MM:SS" of a UTC time.
std::string date_and_time(WallTime t) {
  using namespace std::chrono;
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss hms{floor<seconds>(t - day)};
  // snprintf rather than fmt: this file is part of the SDK, which keeps its
  // dependencies to OpenSSL and libcurl.
  char out[40];
  std::snprintf(out, sizeof out, "%04d-%02u-%02uT%02d:%02d:%02d", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return out;
}

}  // namespace

std::optional<WallTime> parse_rfc3339(std::string_view s) {
  Fields f;
  size_t pos = 0;
  auto year = digits(s, pos, 4);
  if (!year || !expect(s, pos, '-')) return std::nullopt;
  auto month = digits(s, pos, 2);
  if (!month || !expect(s, pos, '-')) return std::nullopt;
  auto day = digits(s, pos, 2);
  if (!day || !expect(s, pos, 'T')) return std::nullopt;
  auto hour = digits(s, pos, 2);
  if (!hour || !expect(s, pos, ':')) return std::nullopt;
  auto minute = digits(s, pos, 2);
  if (!minute || !expect(s, pos, ':')) return std::nullopt;
  auto second = digits(s, pos, 2);
  if (!second) return std::nullopt;
  f = {*year, *month, *day, *hour, *minute, *second, 0, 0};

  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    size_t start = pos;
    int64_t scale = 100;
    while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) {
      f.millis += (s[pos] - '0') * scale;  // digits beyond milliseconds are dropped
      scale /= 10;
      ++pos;
    }
    if (pos == start) return std::nullopt;
  }

  if (expect(s, pos, 'Z')) {
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    int sign = s[pos++] == '-' ? -1 : 1;
    auto oh = digits(s, pos, 2);
    if (!oh || !expect(s, pos, ':')) return std::nullopt;
    auto om = digits(s, pos, 2);
    if (!om || *oh > 23 || *om > 59) return std::nullopt;
    f.offset_minutes = sign * (*oh * 60 + *om);
  } else {
    return std::nullopt;
  }
  if (pos != s.size()) return std::nullopt;
  return to_wall_time(f);
}

std::string format_rfc3339_ms(WallTime t) {
  using namespace std::chrono;
  const auto ms = (t - floor<seconds>(t)).count();
  char millis[8];
  std::snprintf(millis, sizeof millis, ".%03d", static_cast<int>(ms));
  return date_and_time(t) + millis + "Z";
}

std::string format_rfc3339_s(WallTime t) {
  return date_and_time(t) + "Z";
}

std::optional<WallTime> parse_x_date(std::string_view s) {
  // Basic ISO 8601, UTC only: YYYYMMDDTHHMMSSZ.
  if (s.size() != 16 || s[8] != 'T' || s[15] != 'Z') return std::nullopt;
  size_t pos = 0;
  auto year = digits(s, pos, 4);
  auto month = digits(s, pos, 2);
  auto day = digits(s, pos, 2);
  pos = 9;
  auto hour = digits(s, pos, 2);
  auto minute = digits(s, pos, 2);
  auto second = digits(s, pos, 2);
  if (!year || !month || !day || !hour || !minute || !second) return std::nullopt;
  return to_wall_time({*year, *month, *day, *hour, *minute, *second, 0, 0});
}

std::string format_x_date(WallTime t) {
  // 2024-01-01T00:00:00Z → 20240101T000000Z
  std::string out;
  for (char c : format_rfc3339_s(t)) {
    if (c != '-' && c != ':') out.push_back(c);
  }
  return out;
}

}  // namespace sluice
