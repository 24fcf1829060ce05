// The LL-HLS blocking reload and delta update rules (rfc8216bis 6.2.5).
#include <gtest/gtest.h>

#include <map>

#include "hls/blocking_reload.hpp"

namespace sluice::hls {
namespace {

ParsedReload parse(const std::map<std::string, std::string>& params) {
  auto param = [&](const char* name) -> std::optional<std::string_view> {
    const auto it = params.find(name);
    if (it == params.end()) return std::nullopt;
    return it->second;
  };
  return parse_reload({param("_HLS_msn"), param("_HLS_part"), param("_HLS_skip")});
}

TEST(BlockingReload, ParsesTheDirectives) {
  const auto none = parse({{"hls_ctx", "x"}});
  EXPECT_EQ(none.error, "");
  EXPECT_FALSE(none.request.msn);
  const auto full = parse({{"_HLS_msn", "12"}, {"_HLS_part", "3"}, {"_HLS_skip", "YES"}});
  EXPECT_EQ(full.error, "");
  EXPECT_EQ(full.request.msn, 12u);
  EXPECT_EQ(full.request.part, 3u);
  EXPECT_TRUE(full.request.skip);
  EXPECT_TRUE(parse({{"_HLS_skip", "v2"}}).request.skip);
  EXPECT_EQ(parse({{"_HLS_msn", "18446744073709551615"}}).error.empty(), false);  // 20 digits
  EXPECT_EQ(parse({{"_HLS_msn", "9999999999999999999"}}).request.msn, 9999999999999999999u);
}

TEST(BlockingReload, RefusesGarbage) {
  for (const std::string bad :
       {"", "-1", "+1", "1x", "0x10", " 1", "1.5", "١", "99999999999999999999"}) {
    SCOPED_TRACE(bad);
    EXPECT_NE(parse({{"_HLS_msn", bad}}).error, "");
    EXPECT_NE(parse({{"_HLS_msn", "1"}, {"_HLS_part", bad}}).error, "");
  }
  EXPECT_NE(parse({{"_HLS_part", "1"}}).error, "");  // no _HLS_msn
  EXPECT_NE(parse({{"_HLS_skip", "yes please"}}).error, "");
}

TEST(BlockingReload, AnswersWhatIsListedAndWaitsForTheNext) {
  const LlEdge edge{.msn = 10, .part = 2};  // segment 9 complete, parts 10.0 and 10.1 listed
  auto verdict = [&](std::optional<uint64_t> msn, std::optional<uint64_t> part) {
    return decide_reload({.msn = msn, .part = part}, edge, 100);
  };
  EXPECT_EQ(verdict(std::nullopt, std::nullopt), ReloadVerdict::kAnswer);
  EXPECT_EQ(verdict(9, std::nullopt), ReloadVerdict::kAnswer);
  EXPECT_EQ(verdict(3, 0), ReloadVerdict::kAnswer);
  EXPECT_EQ(verdict(10, 1), ReloadVerdict::kAnswer);
  EXPECT_EQ(verdict(10, 2), ReloadVerdict::kWait);  // the preload hint
  EXPECT_EQ(verdict(10, std::nullopt), ReloadVerdict::kWait);
  EXPECT_EQ(verdict(11, 0), ReloadVerdict::kWait);
  EXPECT_EQ(verdict(11, std::nullopt), ReloadVerdict::kWait);
}

TEST(BlockingReload, FarBeyondTheLiveEdgeIsABadRequest) {
  const LlEdge edge{.msn = 10, .part = 2};
  // More than two segments past the last complete one (9).
  EXPECT_EQ(decide_reload({.msn = 12, .part = std::nullopt}, edge, 100),
            ReloadVerdict::kBadRequest);
  EXPECT_EQ(decide_reload({.msn = 12, .part = 0}, edge, 100), ReloadVerdict::kBadRequest);
  EXPECT_EQ(decide_reload({.msn = 9999999999999999999u, .part = std::nullopt}, edge, 100),
            ReloadVerdict::kBadRequest);
  // A part index no segment reaches.
  EXPECT_EQ(decide_reload({.msn = 10, .part = 100}, edge, 100), ReloadVerdict::kBadRequest);
  EXPECT_EQ(decide_reload({.msn = 10, .part = 99}, edge, 100), ReloadVerdict::kWait);
}

}  // namespace
}  // namespace sluice::hls
