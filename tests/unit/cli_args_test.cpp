// The CLI's own parsing: durations and times, stream addresses, endpoints.
#include <gtest/gtest.h>

#include "cli/endpoint.hpp"
#include "cli/stream_address.hpp"
#include "cli/time_args.hpp"
#include "cli/usage_error.hpp"
#include "test_clock.hpp"

namespace sluice::cli {
namespace {

using std::chrono::seconds;
using test_clock::new_year_2024;

TEST(CliDuration, UnitsAndCombinations) {
  EXPECT_EQ(parse_duration("90s", "--for"), seconds(90));
  EXPECT_EQ(parse_duration("30m", "--for"), seconds(1800));
  EXPECT_EQ(parse_duration("2h", "--for"), seconds(7200));
  EXPECT_EQ(parse_duration("7d", "--for"), seconds(7 * 86400));
  EXPECT_EQ(parse_duration("1h30m", "--for"), seconds(5400));
  EXPECT_EQ(parse_duration("1d2h3m4s", "--for"), seconds(86400 + 7200 + 180 + 4));
}

TEST(CliDuration, RefusesWhatIsNotAPositiveBoundedDuration) {
  for (const char* bad :
       {"", "2", "h", "-2h", "2x", "0s", "0h0m", "1.5h", "2 h", "h2", "999999999d", "36501d"}) {
    EXPECT_THROW(parse_duration(bad, "--for"), UsageError) << bad;
  }
  try {
    parse_duration("2x", "--for");
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("--for: bad duration \"2x\""), std::string::npos)
        << e.what();
  }
}

TEST(CliTime, Rfc3339IsNormalisedToUtcSeconds) {
  EXPECT_EQ(parse_time("2024-01-01T08:00:00+08:00", "--from"), "2024-01-01T00:00:00Z");
  EXPECT_EQ(parse_time("2024-03-01T00:00:00.750Z", "--from"), "2024-03-01T00:00:00Z");
  EXPECT_THROW(parse_time("yesterday", "--from"), UsageError);
  EXPECT_THROW(parse_time("2h", "--from"), UsageError);  // durations only with _or_ago
}

TEST(CliTime, DurationMeansThatLongBeforeNow) {
  EXPECT_EQ(parse_time_or_ago("2h", "--from", test_clock::new_year_2024_wall()),
            "2023-12-31T22:00:00Z");
  EXPECT_EQ(parse_time_or_ago("2024-01-01T00:00:00Z", "--from", test_clock::new_year_2024_wall()),
            "2024-01-01T00:00:00Z");
  EXPECT_THROW(parse_time_or_ago("soon", "--from", test_clock::new_year_2024_wall()), UsageError);
}

TEST(CliStreamAddress, DefaultVhostExplicitVhostOrDomain) {
  auto a = parse_stream_address("live/cam1", "");
  EXPECT_EQ(a.vhost, std::optional<std::string>(kDefaultVhost));
  EXPECT_FALSE(a.domain);
  EXPECT_EQ(a.app, "live");
  EXPECT_EQ(a.stream, "cam1");
  EXPECT_EQ(a.display(), "__defaultVhost__/live/cam1");

  auto b = parse_stream_address("v.example.com/live/cam-1.hd", "");
  EXPECT_EQ(b.vhost, std::optional<std::string>("v.example.com"));
  EXPECT_EQ(b.stream, "cam-1.hd");

  auto c = parse_stream_address("live/cam1", "push.example.com");
  EXPECT_FALSE(c.vhost);
  EXPECT_EQ(c.domain, std::optional<std::string>("push.example.com"));
  EXPECT_EQ(c.display(), "push.example.com/live/cam1");
}

TEST(CliStreamAddress, RefusesWhatTheApiWouldRefuse) {
  const std::string app31(31, 'a'), stream101(101, 's');
  for (const std::string& bad :
       {std::string("cam1"), std::string("a/b/c/d"), std::string("/live/cam1"),
        std::string("live/"), std::string("/cam1"), std::string("live/cam 1"),
        std::string("li!ve/cam1"), app31 + "/cam1", "live/" + stream101,
        std::string(254, 'v') + "/live/cam1", std::string("../cam1"), std::string("./cam1"),
        std::string("live/.."), std::string("live/.")}) {
    EXPECT_THROW(parse_stream_address(bad, ""), UsageError) << bad;
  }
  EXPECT_NO_THROW(parse_stream_address(std::string(30, 'a') + "/" + std::string(100, 's'), ""));
  // A vhost part and --domain contradict each other.
  EXPECT_THROW(parse_stream_address("v/live/cam1", "push.example.com"), UsageError);
}

TEST(CliEndpoint, SchemeDefaultsByHost) {
  EXPECT_EQ(parse_endpoint("127.0.0.1:1985").url(), "http://127.0.0.1:1985");
  EXPECT_EQ(parse_endpoint("localhost:1985").url(), "http://localhost:1985");
  EXPECT_EQ(parse_endpoint("[::1]:1985").url(), "http://[::1]:1985");
  EXPECT_EQ(parse_endpoint("10.0.0.5:2000").url(), "http://10.0.0.5:2000");
  EXPECT_EQ(parse_endpoint("live.volcengineapi.com").url(), "https://live.volcengineapi.com");
  EXPECT_EQ(parse_endpoint("127.0.0.1.example.com").url(), "https://127.0.0.1.example.com");
  EXPECT_EQ(parse_endpoint("https://127.0.0.1:8443/").url(), "https://127.0.0.1:8443");
}

// sluice serves its API on 1985 in plain HTTP: a host alone means that port,
// not http's 80; https (TLS in front of sluice, or Volcengine) keeps 443.
TEST(CliEndpoint, PortDefaultsToTheApisPortForHttp) {
  EXPECT_EQ(parse_endpoint("10.0.0.5").url(), "http://10.0.0.5:1985");
  EXPECT_EQ(parse_endpoint("localhost").url(), "http://localhost:1985");
  EXPECT_EQ(parse_endpoint("[::1]").url(), "http://[::1]:1985");
  EXPECT_EQ(parse_endpoint("http://api.example.com").url(), "http://api.example.com:1985");
  EXPECT_EQ(parse_endpoint("http://10.0.0.5/").url(), "http://10.0.0.5:1985");
  EXPECT_EQ(parse_endpoint("http://10.0.0.5:80").url(), "http://10.0.0.5:80");
  EXPECT_EQ(parse_endpoint("https://10.0.0.5").url(), "https://10.0.0.5");
  EXPECT_EQ(parse_endpoint("api.example.com").url(), "https://api.example.com");
  EXPECT_EQ(parse_endpoint("10.0.0.5.nip.io:8443").url(), "https://10.0.0.5.nip.io:8443");
}

TEST(CliEndpoint, RefusesOtherSchemesPathsAndNoHost) {
  for (const char* bad : {"ftp://h", "http://", "https:///", "h:1985/path", "h?x=1", "h 1", "h:0",
                          "h:99999", "h:65536", "h:", "user@h", "http://h#x"}) {
    EXPECT_THROW(parse_endpoint(bad), UsageError) << bad;
  }
}

}  // namespace
}  // namespace sluice::cli
