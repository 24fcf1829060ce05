// The SDK's requests: parameters → query/JSON body, and the signed request
// as prepared (sdk_sign_vectors_test.cpp checks it against the captured
// signatures).
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <map>

#include "sdk/request_builder.hpp"
#include "sign/signer.hpp"
#include "sluice/live_service.hpp"
#include "test_clock.hpp"

namespace sluice {
namespace {

using Query = sign::Params;
using test_clock::new_year_2024;

// A caller's mistake is a LiveError of its own kind, raised before anything
// is sent.
template <class F>
bool is_invalid_argument(F&& f) {
  try {
    f();
  } catch (const LiveError& e) {
    return e.kind() == LiveError::Kind::kInvalidArgument;
  }
  return false;
}

std::map<std::string, std::string> header_map(const PreparedRequest& r) {
  std::map<std::string, std::string> out;
  for (const auto& [k, v] : r.headers) out[k] = v;
  return out;
}

TEST(SdkRequest, LiveStreamInfoByPageQuery) {
  DescribeLiveStreamInfoByPageRequest r;
  EXPECT_EQ(sdk::build_query(r), (Query{{"PageNum", "1"}, {"PageSize", "10"}}));
  r = {.page_num = 3,
       .page_size = 1000,
       .vhost = "v",
       .domain = "d.example.com",
       .app = "live",
       .stream = "s",
       .stream_type = "origin",
       .source_type = "push",
       .query_type = "fuzzy"};
  EXPECT_EQ(sdk::build_query(r), (Query{{"PageNum", "3"},
                                        {"PageSize", "1000"},
                                        {"Vhost", "v"},
                                        {"Domain", "d.example.com"},
                                        {"App", "live"},
                                        {"Stream", "s"},
                                        {"StreamType", "origin"},
                                        {"SourceType", "push"},
                                        {"QueryType", "fuzzy"}}));
}

TEST(SdkRequest, ClosedStreamInfoByPageQuery) {
  DescribeClosedStreamInfoByPageRequest r{.end_time_from = "2024-01-01T00:00:00Z",
                                          .end_time_to = "2024-01-02T00:00:00Z"};
  EXPECT_EQ(sdk::build_query(r), (Query{{"PageNum", "1"},
                                        {"PageSize", "10"},
                                        {"EndTimeFrom", "2024-01-01T00:00:00Z"},
                                        {"EndTimeTo", "2024-01-02T00:00:00Z"}}));
  r.vhost = "v";
  r.domain = "d";
  r.app = "a";
  r.stream = "s";
  r.sort = "asc";
  r.source_type = "relay";
  r.query_type = "strict";
  EXPECT_EQ(sdk::build_query(r), (Query{{"PageNum", "1"},
                                        {"PageSize", "10"},
                                        {"EndTimeFrom", "2024-01-01T00:00:00Z"},
                                        {"EndTimeTo", "2024-01-02T00:00:00Z"},
                                        {"Vhost", "v"},
                                        {"Domain", "d"},
                                        {"App", "a"},
                                        {"Stream", "s"},
                                        {"Sort", "asc"},
                                        {"SourceType", "relay"},
                                        {"QueryType", "strict"}}));
}

TEST(SdkRequest, ForbiddenStreamInfoByPageQuery) {
  DescribeForbiddenStreamInfoByPageRequest r{.page_num = 2, .page_size = 5};
  EXPECT_EQ(sdk::build_query(r), (Query{{"PageNum", "2"}, {"PageSize", "5"}}));
  r.vhost = "v";
  r.domain = "d";
  r.app = "a";
  r.stream = "s";
  r.sort = "desc";
  r.query_type = "fuzzy";
  EXPECT_EQ(sdk::build_query(r), (Query{{"PageNum", "2"},
                                        {"PageSize", "5"},
                                        {"Vhost", "v"},
                                        {"Domain", "d"},
                                        {"App", "a"},
                                        {"Stream", "s"},
                                        {"Sort", "desc"},
                                        {"QueryType", "fuzzy"}}));
}

TEST(SdkRequest, LiveStreamStateQuery) {
  DescribeLiveStreamStateRequest r{.vhost = "v", .app = "live", .stream = "cam1"};
  EXPECT_EQ(sdk::build_query(r), (Query{{"Vhost", "v"}, {"App", "live"}, {"Stream", "cam1"}}));
  r.vhost.reset();
  r.domain = "d";
  EXPECT_EQ(sdk::build_query(r), (Query{{"Domain", "d"}, {"App", "live"}, {"Stream", "cam1"}}));
}

TEST(SdkRequest, WriteBodies) {
  EXPECT_EQ(sdk::build_body(KillStreamRequest{.vhost = "v", .app = "live", .stream = "s"}),
            R"({"Vhost":"v","App":"live","Stream":"s"})");
  EXPECT_EQ(sdk::build_body(KillStreamRequest{.domain = "d", .app = "live", .stream = "s"}),
            R"({"Domain":"d","App":"live","Stream":"s"})");
  EXPECT_EQ(sdk::build_body(ResumeStreamRequest{.vhost = "v", .app = "live", .stream = "s"}),
            R"({"Vhost":"v","App":"live","Stream":"s"})");
  EXPECT_EQ(sdk::build_body(ForbidStreamRequest{.vhost = "v", .app = "live", .stream = "s"}),
            R"({"Vhost":"v","App":"live","Stream":"s"})");
  EXPECT_EQ(sdk::build_body(ForbidStreamRequest{.vhost = "v",
                                                .domain = "d",
                                                .app = "live",
                                                .stream = "s",
                                                .end_time = "2024-03-01T00:00:00Z",
                                                .priority = 7}),
            R"({"Vhost":"v","Domain":"d","App":"live","Stream":"s",)"
            R"("EndTime":"2024-03-01T00:00:00Z","Priority":7})");
}

TEST(SdkRequest, GenericParamsFromJson) {
  EXPECT_EQ(sdk::query_from_json(R"({"PageNum":1,"Stream":"a b","Strict":true,"X":null,"F":1.5})"),
            (Query{{"PageNum", "1"}, {"Stream", "a b"}, {"Strict", "true"}, {"F", "1.5"}}));
  EXPECT_TRUE(sdk::query_from_json("").empty());
  EXPECT_TRUE(is_invalid_argument([] { sdk::query_from_json("[1]"); }));
  EXPECT_TRUE(is_invalid_argument([] { sdk::query_from_json("{"); }));
  EXPECT_EQ(sdk::body_from_json(R"({"App": "live"})"), R"({"App": "live"})");  // bytes as given
  EXPECT_EQ(sdk::body_from_json(""), "{}");
  EXPECT_TRUE(is_invalid_argument([] { sdk::body_from_json("\"x\""); }));
}

TEST(SdkRequest, PreparedGetIsSignedLikeThePythonSdk) {
  LiveService live("127.0.0.1:1985", "AK", "SK");
  live.set_scheme("http");
  live.set_clock(new_year_2024);
  auto r = live.prepare("DescribeLiveStreamState", "get",
                        {{"Vhost", "v"}, {"App", "live"}, {"Stream", "a b*"}}, "");
  EXPECT_EQ(r.method, "GET");
  EXPECT_EQ(r.url,
            "http://127.0.0.1:1985/"
            "?Action=DescribeLiveStreamState&Version=2023-01-01&Vhost=v&App=live&Stream=a%20b%2A");
  EXPECT_EQ(r.body, "");
  auto h = header_map(r);
  EXPECT_EQ(h.count("Content-Type"), 0u);
  EXPECT_EQ(h["Host"], "127.0.0.1:1985");
  EXPECT_EQ(h["X-Date"], "20240101T000000Z");
  EXPECT_EQ(h["X-Content-Sha256"],
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(h["Authorization"].rfind("HMAC-SHA256 Credential=AK/20240101/cn-north-1/live/request, "
                                     "SignedHeaders=host;x-content-sha256;x-date, Signature=",
                                     0),
            0u)
      << h["Authorization"];
}

TEST(SdkRequest, PreparedPostIsSignedLikeThePythonSdk) {
  LiveService live("example.com", "AK", "SK");
  live.set_region("cn-east-1");
  live.set_clock(new_year_2024);
  auto r = live.prepare("KillStream", "POST", {}, R"({"App":"live"})");
  EXPECT_EQ(r.url, "https://example.com/?Action=KillStream&Version=2023-01-01");
  EXPECT_EQ(r.body, R"({"App":"live"})");
  auto h = header_map(r);
  EXPECT_EQ(h["Content-Type"], "application/json");
  EXPECT_EQ(h["Host"], "example.com");
  EXPECT_EQ(h["Authorization"].rfind(
                "HMAC-SHA256 Credential=AK/20240101/cn-east-1/live/request, "
                "SignedHeaders=content-type;host;x-content-sha256;x-date, Signature=",
                0),
            0u)
      << h["Authorization"];
  EXPECT_TRUE(is_invalid_argument([&] { live.prepare("KillStream", "PUT", {}, ""); }));
  EXPECT_TRUE(is_invalid_argument([&] { live.call("KillStream", "DELETE", "{}"); }));
  EXPECT_TRUE(is_invalid_argument([&] { live.call("KillStream", "POST", "[]"); }));
}

TEST(SdkRequest, DefaultsAndKeysFromTheEnvironment) {
  ::setenv("VOLC_ACCESSKEY", "ENVAK", 1);
  ::setenv("VOLC_SECRETKEY", "ENVSK", 1);
  LiveService from_env;
  LiveService given("live.volcengineapi.com", "AK", "SK");
  ::unsetenv("VOLC_ACCESSKEY");
  ::unsetenv("VOLC_SECRETKEY");
  auto r = from_env.prepare("DescribeLiveStreamState", "GET", {}, "");
  EXPECT_EQ(r.url.rfind("https://live.volcengineapi.com/?Action=DescribeLiveStreamState&", 0), 0u);
  EXPECT_NE(header_map(r)["Authorization"].find("Credential=ENVAK/"), std::string::npos);
  auto g = given.prepare("DescribeLiveStreamState", "GET", {}, "");
  EXPECT_NE(header_map(g)["Authorization"].find("Credential=AK/"), std::string::npos);
  EXPECT_TRUE(is_invalid_argument([&] { given.set_scheme("ftp"); }));
  EXPECT_TRUE(is_invalid_argument([&] { given.set_ca_file("/nonexistent/ca.pem"); }));
  EXPECT_TRUE(is_invalid_argument([&] { given.set_ca_file("/"); }));  // a directory
  EXPECT_NO_THROW(given.set_ca_file(""));                             // back to the system's
}

}  // namespace
}  // namespace sluice
