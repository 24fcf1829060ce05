// The SDK's responses: envelope → typed result, error envelope → LiveError.
#include <gtest/gtest.h>

#include <functional>
#include <random>

#include "live_error_of.hpp"
#include "sdk/response_parser.hpp"

namespace sluice {
namespace {

using sdk_test::error_of;

const char* const kMeta =
    R"("ResponseMetadata":{"RequestId":"req-1","Action":"A","Version":"2023-01-01",)"
    R"("Service":"live","Region":"cn-north-1"})";

std::string ok(const std::string& result) {
  return std::string("{") + kMeta + (result.empty() ? "" : ",\"Result\":" + result) + "}";
}

void expect_metadata(const ResponseMetadata& m) {
  EXPECT_EQ(m.request_id, "req-1");
  EXPECT_EQ(m.action, "A");
  EXPECT_EQ(m.version, "2023-01-01");
  EXPECT_EQ(m.service, "live");
  EXPECT_EQ(m.region, "cn-north-1");
}

TEST(SdkResponse, LiveStreamInfoByPage) {
  auto r = sdk::parse_live_stream_info_by_page(
      200, ok(R"({"RoughCount":2,"StreamInfoList":[)"
              R"({"ID":9007199254740991,"Vhost":"v","Domain":"d","App":"live","Stream":"s1",)"
              R"("SessionStartTime":"2024-01-01T00:00:00.000Z","SourceType":"push",)"
              R"("StreamType":"origin","Viewers":3,"ClientAddress":"1.2.3.4:5"},)"
              R"({"ID":"7","Vhost":"v","Domain":"d","App":"live","Stream":"s2",)"
              R"("SessionStartTime":"2024-01-01T00:00:01.000Z","SourceType":"relay"}]})"));
  expect_metadata(r.metadata);
  EXPECT_EQ(r.rough_count, 2);
  ASSERT_EQ(r.stream_info_list.size(), 2u);
  const auto& a = r.stream_info_list[0];
  EXPECT_EQ(a.id, 9007199254740991);
  EXPECT_EQ(a.vhost, "v");
  EXPECT_EQ(a.domain, "d");
  EXPECT_EQ(a.app, "live");
  EXPECT_EQ(a.stream, "s1");
  EXPECT_EQ(a.session_start_time, "2024-01-01T00:00:00.000Z");
  EXPECT_EQ(a.source_type, "push");
  EXPECT_EQ(r.stream_info_list[1].id, 7);
  EXPECT_EQ(r.stream_info_list[1].source_type, "relay");

  auto empty =
      sdk::parse_live_stream_info_by_page(200, ok(R"({"RoughCount":0,"StreamInfoList":[]})"));
  EXPECT_EQ(empty.rough_count, 0);
  EXPECT_TRUE(empty.stream_info_list.empty());
}

TEST(SdkResponse, ClosedStreamInfoByPage) {
  auto r = sdk::parse_closed_stream_info_by_page(
      200,
      ok(R"({"RoughCount":5,"StreamInfoList":[)"
         R"({"Vhost":"v","Domain":"d","App":"live","Stream":"s","StartTime":"2024-01-01T00:00:00Z",)"
         R"("EndTime":"2024-01-01T01:00:00Z","SourceType":"push","EndReason":"killed","BytesIn":123},)"
         R"({"Vhost":"v","Domain":"d","App":"live","Stream":"t","StartTime":"2024-01-01T00:00:00Z",)"
         R"("EndTime":"2024-01-01T02:00:00Z","SourceType":"relay"}]})"));
  expect_metadata(r.metadata);
  EXPECT_EQ(r.rough_count, 5);
  ASSERT_EQ(r.stream_info_list.size(), 2u);
  const auto& a = r.stream_info_list[0];
  EXPECT_EQ(a.vhost, "v");
  EXPECT_EQ(a.domain, "d");
  EXPECT_EQ(a.app, "live");
  EXPECT_EQ(a.stream, "s");
  EXPECT_EQ(a.start_time, "2024-01-01T00:00:00Z");
  EXPECT_EQ(a.end_time, "2024-01-01T01:00:00Z");
  EXPECT_EQ(a.source_type, "push");
  EXPECT_EQ(a.end_reason, "killed");
  EXPECT_EQ(a.bytes_in, 123);
  EXPECT_FALSE(r.stream_info_list[1].end_reason);
  EXPECT_FALSE(r.stream_info_list[1].bytes_in);
}

TEST(SdkResponse, ForbiddenStreamInfoByPage) {
  auto r = sdk::parse_forbidden_stream_info_by_page(
      200,
      ok(R"({"RoughCount":1,"StreamInfoList":[{"Vhost":"v","Domain":"d","App":"live",)"
         R"("Stream":"s","CreateTime":"2024-01-01T00:00:00Z","EndTime":"2024-03-31T00:00:00Z",)"
         R"("Status":true}]})"));
  expect_metadata(r.metadata);
  EXPECT_EQ(r.rough_count, 1);
  ASSERT_EQ(r.stream_info_list.size(), 1u);
  const auto& a = r.stream_info_list[0];
  EXPECT_EQ(a.vhost, "v");
  EXPECT_EQ(a.domain, "d");
  EXPECT_EQ(a.app, "live");
  EXPECT_EQ(a.stream, "s");
  EXPECT_EQ(a.create_time, "2024-01-01T00:00:00Z");
  EXPECT_EQ(a.end_time, "2024-03-31T00:00:00Z");
  EXPECT_TRUE(a.status);
}

TEST(SdkResponse, LiveStreamStateUsesSnakeCaseKeys) {
  auto r = sdk::parse_live_stream_state(200, ok(R"({"stream_state":"forbidden","type":"pull"})"));
  expect_metadata(r.metadata);
  EXPECT_EQ(r.stream_state, "forbidden");
  EXPECT_EQ(r.type, "pull");
}

TEST(SdkResponse, WritesHaveNoResult) {
  expect_metadata(sdk::parse_empty(200, ok("")).metadata);
  expect_metadata(sdk::parse_empty(200, ok("{}")).metadata);  // tolerated
  expect_metadata(sdk::check_envelope(200, ok("")));
}

TEST(SdkResponse, ErrorEnvelopeIsAnApiError) {
  std::string body =
      R"({"ResponseMetadata":{"RequestId":"req-9","Action":"KillStream","Version":"2023-01-01",)"
      R"("Service":"live","Region":"cn-north-1","Error":{"CodeN":404001,"Code":"NotFound.Stream",)"
      R"("Message":"stream live/s is not online"}}})";
  auto e = error_of([&] { sdk::parse_empty(404, body); });
  EXPECT_EQ(e.kind(), LiveError::Kind::kApi);
  EXPECT_EQ(e.http_status(), 404);
  EXPECT_EQ(e.code(), "NotFound.Stream");
  EXPECT_EQ(e.code_n(), 404001);
  EXPECT_EQ(e.message(), "stream live/s is not online");
  EXPECT_STREQ(e.what(), "stream live/s is not online");
  EXPECT_EQ(e.request_id(), "req-9");
  // An error envelope is an error whatever the status, and for every action.
  EXPECT_EQ(error_of([&] { sdk::parse_live_stream_state(200, body); }).code(), "NotFound.Stream");
  EXPECT_EQ(error_of([&] { sdk::check_envelope(200, body); }).code_n(), 404001);
  EXPECT_EQ(error_of([&] { sdk::parse_live_stream_info_by_page(404, body); }).kind(),
            LiveError::Kind::kApi);
}

TEST(SdkResponse, ErrorStatusWithoutErrorObjectIsAnApiError) {
  auto e = error_of([&] { sdk::parse_live_stream_state(500, ok("")); });
  EXPECT_EQ(e.kind(), LiveError::Kind::kApi);
  EXPECT_EQ(e.http_status(), 500);
  EXPECT_EQ(e.request_id(), "req-1");
}

TEST(SdkResponse, NotAnEnvelopeIsAResponseError) {
  for (const auto& [status, body] :
       std::vector<std::pair<int, std::string>>{{502, "<html>Bad Gateway</html>"},
                                                {200, ""},
                                                {200, "[1,2]"},
                                                {200, R"({"Result":{}})"},
                                                {200, R"({"ResponseMetadata":"x"})"}}) {
    auto e = error_of([&] { sdk::check_envelope(status, body); });
    EXPECT_EQ(e.kind(), LiveError::Kind::kResponse) << body;
    EXPECT_EQ(e.http_status(), status) << body;
  }
  auto e = error_of([] { sdk::check_envelope(502, "<html>Bad Gateway</html>"); });
  EXPECT_NE(e.message().find("<html>Bad Gateway</html>"), std::string::npos) << e.message();
  // Only a snippet of a long body.
  EXPECT_LT(error_of([] { sdk::check_envelope(200, std::string(5000, 'x')); }).message().size(),
            400u);
  // A read without its Result, or with fields of the wrong type.
  EXPECT_EQ(error_of([] { sdk::parse_live_stream_state(200, ok("")); }).kind(),
            LiveError::Kind::kResponse);
  EXPECT_EQ(error_of([] {
              sdk::parse_live_stream_info_by_page(200, ok(R"({"RoughCount":"many"})"));
            }).kind(),
            LiveError::Kind::kResponse);
  EXPECT_EQ(error_of([] { sdk::parse_live_stream_state(200, ok(R"({"stream_state":1})")); }).kind(),
            LiveError::Kind::kResponse);
}

// Whatever comes back — cut short, bytes flipped, fields of the wrong type —
// the caller gets a result or a LiveError, never another exception or a crash.
TEST(SdkResponse, MangledAnswersAreLiveErrorsOrResults) {
  const std::vector<std::string> answers = {
      ok(R"({"RoughCount":1,"StreamInfoList":[{"ID":7,"Vhost":"v","Domain":"d","App":"live",)"
         R"("Stream":"s","SessionStartTime":"2024-01-01T00:00:00Z","SourceType":"push"}]})"),
      ok(R"({"RoughCount":"3","StreamInfoList":[{"Vhost":"v","StartTime":"t","EndTime":"t",)"
         R"("EndReason":"killed","BytesIn":12,"Status":true,"CreateTime":"t"}]})"),
      ok(R"({"stream_state":"online","type":"push"})"),
      ok(""),
      R"({"ResponseMetadata":{"RequestId":"r","Error":{"Code":"NotFound.Stream","CodeN":404001,)"
      R"("Message":"m"}}})",
  };
  const std::vector<std::function<void(int, std::string_view)>> parsers = {
      [](int s, std::string_view b) { sdk::check_envelope(s, b); },
      [](int s, std::string_view b) { sdk::parse_live_stream_info_by_page(s, b); },
      [](int s, std::string_view b) { sdk::parse_closed_stream_info_by_page(s, b); },
      [](int s, std::string_view b) { sdk::parse_forbidden_stream_info_by_page(s, b); },
      [](int s, std::string_view b) { sdk::parse_live_stream_state(s, b); },
      [](int s, std::string_view b) { sdk::parse_empty(s, b); },
  };
  const std::string swaps = "{}[]\":,0-.etnfa\\";
  std::mt19937 random(20261201);
  int parsed = 0, refused = 0;
  for (const auto& answer : answers) {
    for (int round = 0; round < 400; ++round) {
      std::string body = answer;
      switch (round % 4) {
        case 0:  // cut short
          body.resize(random() % body.size());
          break;
        case 1:  // one structural character swapped
          body[random() % body.size()] = swaps[random() % swaps.size()];
          break;
        case 2:  // a few random bytes
          for (int i = 0; i < 3; ++i) body[random() % body.size()] = static_cast<char>(random());
          break;
        default:  // a value of another type: the first number becomes an object
          if (auto digit = body.find_first_of("0123456789"); digit != std::string::npos)
            body.replace(digit, 1, "{}");
          break;
      }
      const int status = round % 7 == 0 ? 500 : 200;
      for (const auto& parse : parsers) {
        try {
          parse(status, body);
          ++parsed;
        } catch (const LiveError&) {
          ++refused;
        } catch (const std::exception& e) {
          ADD_FAILURE() << "not a LiveError: " << e.what() << " for " << body;
        }
      }
    }
  }
  // Both outcomes happen: the mangling is neither always harmless nor always fatal.
  EXPECT_GT(parsed, 100);
  EXPECT_GT(refused, 1000);
}

}  // namespace
}  // namespace sluice
