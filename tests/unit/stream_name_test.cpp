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

}  // namespace
}  // namespace sluice::rtmp
