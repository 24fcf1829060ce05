// LiveService over real HTTP, against a one-thread loopback stand-in that
// records what arrives and answers with a canned response (or with nothing).
#include <gtest/gtest.h>

#include "sdk_test_support.hpp"

namespace sluice {
namespace {

using namespace sdk_test;

TEST(SdkService, GetActionOnTheWire) {
  FakeServer server(http_reply(200, ok(R"({"stream_state":"online","type":"push"})")));
  auto live = client(server);
  auto state = live.describe_live_stream_state({.vhost = "v", .app = "live", .stream = "a b"});
  EXPECT_EQ(state.stream_state, "online");
  EXPECT_EQ(state.type, "push");
  EXPECT_EQ(state.metadata.request_id, "r1");
  auto got = server.received();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].method, "GET");
  EXPECT_EQ(got[0].target,
            "/?Action=DescribeLiveStreamState&Version=2023-01-01&Vhost=v&App=live&Stream=a%20b");
  EXPECT_EQ(got[0].headers["host"], server.host());
  EXPECT_EQ(got[0].headers.count("content-type"), 0u);
  EXPECT_EQ(got[0].body, "");
  EXPECT_NE(got[0].headers["authorization"].find("SignedHeaders=host;x-content-sha256;x-date,"),
            std::string::npos);
  expect_verifies(got[0], "SK");
}

TEST(SdkService, PostActionOnTheWire) {
  FakeServer server(http_reply(200, ok("")));
  auto live = client(server);
  auto done = live.forbid_stream({.vhost = "v",
                                  .app = "live",
                                  .stream = "s",
                                  .end_time = "2024-03-01T00:00:00Z",
                                  .priority = 1});
  EXPECT_EQ(done.metadata.request_id, "r1");
  auto got = server.received();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].method, "POST");
  EXPECT_EQ(got[0].target, "/?Action=ForbidStream&Version=2023-01-01");
  EXPECT_EQ(got[0].headers["content-type"], "application/json");
  EXPECT_EQ(got[0].headers.count("expect"), 0u);
  EXPECT_EQ(
      got[0].body,
      R"({"Vhost":"v","App":"live","Stream":"s","EndTime":"2024-03-01T00:00:00Z","Priority":1})");
  EXPECT_NE(got[0].headers["authorization"].find(
                "SignedHeaders=content-type;host;x-content-sha256;x-date,"),
            std::string::npos);
  expect_verifies(got[0], "SK");
}

TEST(SdkService, SessionTokenIsSentAndSignedInBothCoverages) {
  FakeServer server(http_reply(200, ok("")));
  auto live = client(server);
  live.set_session_token("sts-token-1");
  live.kill_stream({.vhost = "v", .app = "live", .stream = "s"});
  live.set_signed_headers(SignedHeaders::kDateAndBody);
  live.call("DescribeLiveStreamState", "GET", R"({"App":"live","Stream":"s"})");
  live.set_session_token("");
  live.call("DescribeLiveStreamState", "GET", R"({"App":"live","Stream":"s"})");
  auto got = server.received();
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].headers["x-security-token"], "sts-token-1");
  EXPECT_NE(got[0].headers["authorization"].find(
                "SignedHeaders=content-type;host;x-content-sha256;x-date;x-security-token,"),
            std::string::npos);
  EXPECT_EQ(got[1].headers["x-security-token"], "sts-token-1");
  EXPECT_NE(got[1].headers["authorization"].find("SignedHeaders=x-date;x-security-token,"),
            std::string::npos);
  EXPECT_EQ(got[2].headers.count("x-security-token"), 0u);
  for (const auto& r : got) expect_verifies(r, "SK");
}

TEST(SdkService, EveryTypedActionSendsItsAction) {
  FakeServer server(http_reply(200, ok(R"({"RoughCount":0,"StreamInfoList":[]})")));
  auto live = client(server);
  live.describe_live_stream_info_by_page({});
  live.describe_closed_stream_info_by_page(
      {.end_time_from = "2024-01-01T00:00:00Z", .end_time_to = "2024-01-02T00:00:00Z"});
  live.describe_forbidden_stream_info_by_page({});
  live.kill_stream({.vhost = "v", .app = "a", .stream = "s"});
  live.resume_stream({.vhost = "v", .app = "a", .stream = "s"});
  auto got = server.received();
  ASSERT_EQ(got.size(), 5u);
  EXPECT_EQ(got[0].target,
            "/?Action=DescribeLiveStreamInfoByPage&Version=2023-01-01&PageNum=1&PageSize=10");
  EXPECT_EQ(got[1].target,
            "/?Action=DescribeClosedStreamInfoByPage&Version=2023-01-01&PageNum=1&PageSize=10"
            "&EndTimeFrom=2024-01-01T00%3A00%3A00Z&EndTimeTo=2024-01-02T00%3A00%3A00Z");
  EXPECT_EQ(got[2].target,
            "/?Action=DescribeForbiddenStreamInfoByPage&Version=2023-01-01&PageNum=1&PageSize=10");
  EXPECT_EQ(got[3].target, "/?Action=KillStream&Version=2023-01-01");
  EXPECT_EQ(got[3].body, R"({"Vhost":"v","App":"a","Stream":"s"})");
  EXPECT_EQ(got[4].target, "/?Action=ResumeStream&Version=2023-01-01");
  for (const auto& r : got) expect_verifies(r, "SK");
}

TEST(SdkService, UrlsSignedByTheServerOnTheWire) {
  FakeServer server(http_reply(
      200, ok(R"({"PushURLList":["rtmp://h/live/s?volcTime=9&volcSecret=ab"],)"
              R"("PushURLListDetail":[{"URL":"rtmp://h/live/s?volcTime=9&volcSecret=ab",)"
              R"("DomainApp":"rtmp://h/live/","StreamSign":"s?volcTime=9&volcSecret=ab"}],)"
              R"("URLList":[{"URL":"http://h/live/s.flv","CDN":"fcdn","Protocol":"flv",)"
              R"("Type":"pull"}]})")));
  auto live = client(server);
  auto push = live.generate_push_url_on_server(
      {.vhost = "v", .app = "live", .stream = "s", .valid_duration = 600});
  ASSERT_EQ(push.push_url_list.size(), 1u);
  EXPECT_EQ(push.push_url_list[0], "rtmp://h/live/s?volcTime=9&volcSecret=ab");
  ASSERT_EQ(push.push_url_list_detail.size(), 1u);
  EXPECT_EQ(push.push_url_list_detail[0].domain_app, "rtmp://h/live/");
  EXPECT_EQ(push.push_url_list_detail[0].stream_sign, "s?volcTime=9&volcSecret=ab");
  auto play = live.generate_play_url_on_server(
      {.domain = "d", .app = "live", .stream = "s", .expired_time = "2030-01-01T00:00:00Z"});
  ASSERT_EQ(play.url_list.size(), 1u);
  EXPECT_EQ(play.url_list[0].url, "http://h/live/s.flv");
  EXPECT_EQ(play.url_list[0].cdn, "fcdn");
  EXPECT_EQ(play.url_list[0].protocol, "flv");
  EXPECT_EQ(play.url_list[0].type, "pull");
  auto got = server.received();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].method, "POST");
  EXPECT_EQ(got[0].target, "/?Action=GeneratePushURL&Version=2023-01-01");
  EXPECT_EQ(got[0].body, R"({"Vhost":"v","App":"live","Stream":"s","ValidDuration":600})");
  EXPECT_EQ(got[1].target, "/?Action=GeneratePlayURL&Version=2023-01-01");
  EXPECT_EQ(got[1].body,
            R"({"Domain":"d","App":"live","Stream":"s","ExpiredTime":"2030-01-01T00:00:00Z"})");
  for (const auto& r : got) expect_verifies(r, "SK");
}

TEST(SdkService, GenericCallReturnsTheEnvelope) {
  std::string envelope = ok(R"({"stream_state":"offline","type":"push","Extra":1})");
  FakeServer server(http_reply(200, envelope));
  auto live = client(server);
  EXPECT_EQ(live.call("DescribeLiveStreamState", "GET", R"({"Vhost":"v","App":"a","Stream":"s"})"),
            envelope);
  EXPECT_EQ(live.call("KillStream", "POST", R"({"Vhost": "v", "App": "a", "Stream": "s"})"),
            envelope);
  auto got = server.received();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].target,
            "/?Action=DescribeLiveStreamState&Version=2023-01-01&Vhost=v&App=a&Stream=s");
  EXPECT_EQ(got[1].body, R"({"Vhost": "v", "App": "a", "Stream": "s"})");
}

TEST(SdkService, ApiErrorIsThrownAndNotRetried) {
  FakeServer server(http_reply(
      401, std::string("{") + kMeta +
               R"(,"Error":{"CodeN":100010,"Code":"SignatureDoesNotMatch","Message":"bad"}}})"));
  auto live = client(server);
  live.set_read_retries(3);
  auto e =
      error_of([&] { live.describe_live_stream_state({.vhost = "v", .app = "a", .stream = "s"}); });
  EXPECT_EQ(e.kind(), LiveError::Kind::kApi);
  EXPECT_EQ(e.http_status(), 401);
  EXPECT_EQ(e.code(), "SignatureDoesNotMatch");
  EXPECT_EQ(e.code_n(), 100010);
  EXPECT_EQ(e.message(), "bad");
  EXPECT_EQ(e.request_id(), "r1");
  auto c = error_of([&] { live.call("DescribeLiveStreamState", "GET", "{}"); });
  EXPECT_EQ(c.code(), "SignatureDoesNotMatch");
  EXPECT_EQ(server.connections(), 2);
}

TEST(SdkService, NonEnvelopeAnswerIsAResponseError) {
  FakeServer server(
      "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 11\r\nConnection: close\r\n\r\nbad gateway");
  auto live = client(server);
  auto e = error_of([&] { live.describe_forbidden_stream_info_by_page({}); });
  EXPECT_EQ(e.kind(), LiveError::Kind::kResponse);
  EXPECT_EQ(e.http_status(), 502);
  EXPECT_NE(e.message().find("bad gateway"), std::string::npos);
}

TEST(SdkService, ClosedPortIsANetworkError) {
  uint16_t port;
  {
    FakeServer gone("");
    port = static_cast<uint16_t>(std::stoi(gone.host().substr(10)));
  }  // closed again
  LiveService live("127.0.0.1:" + std::to_string(port), "AK", "SK");
  live.set_scheme("http");
  live.set_read_retries(2);
  auto e =
      error_of([&] { live.describe_live_stream_state({.vhost = "v", .app = "a", .stream = "s"}); });
  EXPECT_EQ(e.kind(), LiveError::Kind::kNetwork);
  EXPECT_EQ(e.http_status(), 0);
  EXPECT_FALSE(e.message().empty());
}

TEST(SdkService, ReadsAreRetriedAfterNetworkErrors) {
  FakeServer server("");  // accepts, reads, hangs up
  auto live = client(server);
  live.set_read_retries(2);
  auto e = error_of([&] { live.describe_live_stream_info_by_page({}); });
  EXPECT_EQ(e.kind(), LiveError::Kind::kNetwork);
  EXPECT_EQ(server.connections(), 3);
  EXPECT_EQ(server.received().size(), 3u);
}

TEST(SdkService, WritesAreNeverRetried) {
  FakeServer server("");
  auto live = client(server);
  live.set_read_retries(2);
  EXPECT_EQ(error_of([&] { live.kill_stream({.vhost = "v", .app = "a", .stream = "s"}); }).kind(),
            LiveError::Kind::kNetwork);
  EXPECT_EQ(server.connections(), 1);
}

TEST(SdkService, RequestTimeoutIsANetworkError) {
  // A listener that never accepts: the connection completes (backlog) but no
  // answer comes.
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), len), 0);
  ASSERT_EQ(::listen(fd, 4), 0);
  ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  LiveService live("127.0.0.1:" + std::to_string(ntohs(addr.sin_port)), "AK", "SK");
  live.set_scheme("http");
  live.set_request_timeout(std::chrono::milliseconds(200));
  auto start = std::chrono::steady_clock::now();
  auto e = error_of([&] { live.describe_live_stream_info_by_page({}); });
  EXPECT_EQ(e.kind(), LiveError::Kind::kNetwork);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
  ::close(fd);
}

}  // namespace
}  // namespace sluice
