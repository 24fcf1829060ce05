#include "cli/time_args.hpp"

#include <cctype>

#include "base/rfc3339.hpp"
#include "cli/usage_error.hpp"

namespace sluice::cli {

std::chrono::seconds parse_duration(const std::string& text, const std::string& flag) {
  auto bad = [&] {
    return UsageError(flag + ": bad duration \"" + text +
                      "\" (expected e.g. 90s, 30m, 2h, 7d, 1h30m)");
  };
  if (text.empty()) throw bad();
  int64_t total = 0;
  size_t i = 0;
  while (i < text.size()) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) throw bad();
    int64_t n = 0;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
      n = n * 10 + (text[i] - '0');
      if (n > 100'000'000) throw bad();
      ++i;
    }
    if (i == text.size()) throw bad();  // a unit is required
    switch (text[i++]) {
      case 's':
        total += n;
        break;
      case 'm':
        total += n * 60;
        break;
      case 'h':
        total += n * 3600;
        break;
      case 'd':
        total += n * 86400;
        break;
      default:
        throw bad();
    }
    if (total > 100LL * 365 * 86400) throw bad();
  }
  if (total <= 0) throw bad();
  return std::chrono::seconds(total);
}

std::string parse_time(const std::string& text, const std::string& flag) {
  auto t = sluice::parse_rfc3339(text);
  if (!t)
    throw UsageError(flag + ": bad time \"" + text +
                     "\" (expected RFC 3339, e.g. 2024-01-01T08:00:00+08:00)");
  return sluice::format_rfc3339_s(*t);
}

std::string parse_time_or_ago(const std::string& text, const std::string& flag, WallTime now) {
  if (auto t = sluice::parse_rfc3339(text)) return sluice::format_rfc3339_s(*t);
  try {
    return sluice::format_rfc3339_s(now - parse_duration(text, flag));
  } catch (const UsageError&) {
    throw UsageError(flag + ": bad time \"" + text +
                     "\" (expected RFC 3339, or a duration ago such as 2h)");
  }
}

}  // namespace sluice::cli
