#include "rtmp/stream_name.hpp"

#include <gtest/gtest.h>

#include <string_view>

namespace sluice::rtmp {
namespace {

TEST(StreamName, SplitsNameAndDecodedParameters) {
  auto split = split_name("cam1?token=a%20b&vhost=v1&flag");
  EXPECT_EQ(split.name, "cam1");
  EXPECT_EQ(split.params, (QueryParams{{"token", "a b"}, {"vhost", "v1"}, {"flag", ""}}));
}

// Found by fuzz_rtmp_names (a heap over-read under ASan): Boost.URL measured
// the query with strlen, so a name that is a view into a longer buffer took
// its parameters from the bytes after it.
TEST(StreamName, ReadsOnlyTheViewItIsGiven) {
  const std::string buffer = "cam1?token=abc\nrtmp://elsewhere/live?vhost=other";
  const std::string_view name(buffer.data(), buffer.find('\n'));
  auto split = split_name(name);
  EXPECT_EQ(split.name, "cam1");
  EXPECT_EQ(split.params, (QueryParams{{"token", "abc"}}));
}

TEST(StreamName, ConnectTakesHostAndParametersFromTcUrl) {
  auto target = parse_connect("live?token=t", "rtmp://Push.Example.com:1935/live?vhost=v1&token=u");
  EXPECT_EQ(target.app, "live");
  EXPECT_EQ(target.host, "push.example.com");
  // The app's own parameters win over the tcUrl's.
  EXPECT_EQ(target.params, (QueryParams{{"token", "t"}, {"vhost", "v1"}}));
}

// Found by fuzz_rtmp_names: iterating Boost.URL's params of an empty query
// followed by a fragment read far past the tcUrl (SEGV): any RTMP client
// could crash the server with its connect command.
TEST(StreamName, ConnectSurvivesAnEmptyQueryBeforeAFragment) {
  for (const char* tc_url : {"rtmp://h/live?#x", "p:cm.p/e?#l", "rtmp://h/live?vhost=v1#x"}) {
    auto target = parse_connect("live", tc_url);
    EXPECT_EQ(target.app, "live") << tc_url;
  }
  EXPECT_EQ(parse_connect("live", "rtmp://h/live?vhost=v1#x").params,
            (QueryParams{{"vhost", "v1"}}));
  EXPECT_EQ(parse_connect("live", "rtmp://h/live?#x").host, "h");
}

}  // namespace
}  // namespace sluice::rtmp
