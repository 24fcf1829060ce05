// QueryLookup: the HLS routes' parameters read in place, the same values
// media::split_name decodes.
#include <gtest/gtest.h>

#include "http/query_lookup.hpp"

namespace sluice::http {
namespace {

TEST(QueryLookup, FindsPlainParametersInPlace) {
  const std::string query = "hls_ctx=ab12&_HLS_msn=7&_HLS_part=2&bare";
  const QueryLookup lookup(query);
  EXPECT_EQ(lookup.get("hls_ctx"), "ab12");
  EXPECT_EQ(lookup.get("_HLS_msn"), "7");
  EXPECT_EQ(lookup.get("_HLS_part"), "2");
  EXPECT_EQ(lookup.get("bare"), "");  // present without a value
  EXPECT_EQ(lookup.get("hls"), std::nullopt);
  // in place: a view into the query itself
  EXPECT_EQ(lookup.get("hls_ctx")->data(), query.data() + 8);
}

TEST(QueryLookup, MatchesWholeNamesOnly) {
  const QueryLookup lookup("hls_ctx2=x&xhls_ctx=y&hls_ctx=");
  EXPECT_EQ(lookup.get("hls_ctx"), "");
  EXPECT_EQ(lookup.get("hls_ct"), std::nullopt);
}

TEST(QueryLookup, TheFirstOfRepeatedParametersWinsAsInSplitName) {
  const QueryLookup lookup("hls=ts&hls=ll");
  EXPECT_EQ(lookup.get("hls"), "ts");
  EXPECT_EQ(media::split_name("?hls=ts&hls=ll").params.at("hls"), "ts");
}

TEST(QueryLookup, EmptyPartsAndEmptyQueries) {
  EXPECT_EQ(QueryLookup("").get("a"), std::nullopt);
  EXPECT_EQ(QueryLookup("&&a=1&").get("a"), "1");
}

TEST(QueryLookup, EscapedQueriesAreDecodedAsSplitNameDoes) {
  for (const std::string query :
       {"_HLS_skip=YE%53", "hls%5Fctx=abc", "a=b+c", "x=%41&x=2", "m=%zz"}) {
    SCOPED_TRACE(query);
    const QueryLookup lookup(query);
    for (const auto& [name, value] : media::split_name("?" + query).params)
      EXPECT_EQ(lookup.get(name), value);
  }
  EXPECT_EQ(QueryLookup("_HLS_skip=YE%53").get("_HLS_skip"), "YES");
  EXPECT_EQ(QueryLookup("hls%5Fctx=abc").get("hls_ctx"), "abc");
}

TEST(QueryWithout, DropsTheNamedParametersAndEmptyOnesKeepingTheRestAsSent) {
  EXPECT_EQ(query_without("hls_ctx=old&vhost=a%2Eb&hls_ctx=older", {"hls_ctx"}), "vhost=a%2Eb");
  EXPECT_EQ(query_without("_HLS_msn=3&hls_ctx=x&_HLS_part=1&&_HLS_skip=YES&t=1",
                          {"_HLS_msn", "_HLS_part", "_HLS_skip"}),
            "hls_ctx=x&t=1");
  EXPECT_EQ(query_without("hls_ctx2=x&bare", {"hls_ctx"}), "hls_ctx2=x&bare");
  EXPECT_EQ(query_without("", {"a"}), "");
}

}  // namespace
}  // namespace sluice::http
