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

}  // namespace

std::optional<SystemTime> parse_rfc3339(std::string_view s) {
  using namespace std::chrono;
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

  int64_t millis = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    size_t start = pos;
    int64_t scale = 100;
    while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) {
      millis += (s[pos] - '0') * scale;  // digits beyond milliseconds are dropped
      scale /= 10;
      ++pos;
    }
    if (pos == start) return std::nullopt;
  }

  int offset_minutes = 0;
  if (expect(s, pos, 'Z')) {
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    int sign = s[pos++] == '-' ? -1 : 1;
    auto oh = digits(s, pos, 2);
    if (!oh || !expect(s, pos, ':')) return std::nullopt;
    auto om = digits(s, pos, 2);
    if (!om || *oh > 23 || *om > 59) return std::nullopt;
    offset_minutes = sign * (*oh * 60 + *om);
  } else {
    return std::nullopt;
  }
  if (pos != s.size()) return std::nullopt;

  year_month_day ymd{std::chrono::year(*year), std::chrono::month(*month), std::chrono::day(*day)};
  // RFC 3339 allows second 60 (leap second); it is folded into the next second.
  if (!ymd.ok() || *hour > 23 || *minute > 59 || *second > 60) return std::nullopt;
  const auto t = sys_days(ymd) + hours(*hour) + minutes(*minute) + seconds(*second) +
                 milliseconds(millis) - minutes(offset_minutes);
  // SystemTime counts nanoseconds in 64 bits (years 1677-2262); converting a
  // time outside that range would overflow, so such a time is not accepted.
  constexpr auto kEarliest = duration_cast<milliseconds>(SystemTime::duration::min()).count();
  constexpr auto kLatest = duration_cast<milliseconds>(SystemTime::duration::max()).count();
  const int64_t ms = t.time_since_epoch().count();
  if (ms < kEarliest || ms > kLatest) return std::nullopt;
  return SystemTime(milliseconds(ms));
}

namespace {

// "YYYY-MM-DDTHH:MM:SS" of a UTC time.
std::string date_and_time(SystemTime t) {
  using namespace std::chrono;
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss hms{floor<seconds>(t - day)};
  // snprintf rather than fmt: this file is part of the SDK, which keeps its
  // dependencies to OpenSSL and libcurl.
  char out[32];
  std::snprintf(out, sizeof out, "%04d-%02u-%02uT%02d:%02d:%02d", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return out;
}

}  // namespace

std::string format_rfc3339_ms(SystemTime t) {
  using namespace std::chrono;
  const auto ms = duration_cast<milliseconds>(t - floor<seconds>(t)).count();
  char millis[8];
  std::snprintf(millis, sizeof millis, ".%03d", static_cast<int>(ms));
  return date_and_time(t) + millis + "Z";
}

std::string format_rfc3339_s(SystemTime t) {
  return date_and_time(t) + "Z";
}

}  // namespace sluice
