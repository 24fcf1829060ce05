// LiveService::generate_push_url / generate_play_url. The digests were
// computed independently with Python at authoring time:
//   hashlib.md5(b"/live/cam1push-key-1700003600").hexdigest()
//   hashlib.md5(b"/live/cam1play-key-1700604800").hexdigest()
//   hashlib.md5(b"/app.1/s_2-xk1700000000").hexdigest()
#include <gtest/gtest.h>

#include "live_error_of.hpp"
#include "manage/url_signature.hpp"
#include "sluice/live_service.hpp"

namespace sluice {
namespace {

using std::chrono::seconds;
const auto kNow = std::chrono::system_clock::time_point(seconds(1700000000));

TEST(SdkStreamUrls, PushUrlIsSignedForTheGivenDuration) {
  const auto r = LiveService::generate_push_url({.rtmp_address = "push.example.com",
                                                 .app = "live",
                                                 .stream = "cam1",
                                                 .key = "push-key-",
                                                 .valid_duration = seconds(3600)},
                                                kNow);
  EXPECT_EQ(r.expire_time, 1700003600);
  ASSERT_EQ(r.url_list.size(), 1u);
  EXPECT_EQ(r.url_list[0].protocol, "rtmp");
  EXPECT_EQ(r.url_list[0].url,
            "rtmp://push.example.com/live/cam1?volcTime=1700003600"
            "&volcSecret=e5dac66b9b69a4c15cdee5a30320c874");
}

TEST(SdkStreamUrls, PlayUrlsDefaultToSevenDaysAndHlsOnlyOnRequest) {
  GeneratePlayUrlRequest request{.rtmp_address = "h:1935",
                                 .http_address = "h:8080",
                                 .vhost = "vh1",
                                 .app = "live",
                                 .stream = "cam1",
                                 .key = "play-key-"};
  const std::string query =
      "?volcTime=1700604800&volcSecret=b73c12d90494d727116a037fd8744bd4&vhost=vh1";
  auto r = LiveService::generate_play_url(request, kNow);
  EXPECT_EQ(r.expire_time, 1700604800);
  ASSERT_EQ(r.url_list.size(), 2u);
  EXPECT_EQ(r.url_list[0].url, "rtmp://h:1935/live/cam1" + query);
  EXPECT_EQ(r.url_list[1].protocol, "flv");
  EXPECT_EQ(r.url_list[1].url, "http://h:8080/live/cam1.flv" + query);

  request.hls = true;
  r = LiveService::generate_play_url(request, kNow);
  ASSERT_EQ(r.url_list.size(), 3u);
  EXPECT_EQ(r.url_list[2].protocol, "hls");
  EXPECT_EQ(r.url_list[2].url, "http://h:8080/live/cam1.m3u8" + query);
}

TEST(SdkStreamUrls, ExpiredTimeWinsAndTheDomainReplacesTheVhost) {
  const auto r = LiveService::generate_push_url({.rtmp_address = "10.0.0.1:1935",
                                                 .vhost = "vh1",
                                                 .domain = "push.example.com",
                                                 .app = "app.1",
                                                 .stream = "s_2",
                                                 .key = "-xk",
                                                 .expired_time = kNow,
                                                 .valid_duration = seconds(5)},
                                                kNow + seconds(100));
  EXPECT_EQ(r.url_list[0].url,
            "rtmp://10.0.0.1:1935/app.1/s_2?volcTime=1700000000"
            "&volcSecret=05d602b92067ed24562d1e3f62086d84&domain=push.example.com");
}

TEST(SdkStreamUrls, TheDefaultVhostIsNotNamed) {
  const auto r = LiveService::generate_push_url({.rtmp_address = "h",
                                                 .vhost = "__defaultVhost__",
                                                 .app = "live",
                                                 .stream = "cam1",
                                                 .key = "push-key-",
                                                 .valid_duration = seconds(3600)},
                                                kNow);
  EXPECT_EQ(r.url_list[0].url.find("vhost="), std::string::npos) << r.url_list[0].url;
}

TEST(SdkStreamUrls, TheServersVerifierAcceptsWhatTheSdkSigns) {
  const auto r = LiveService::generate_push_url(
      {.rtmp_address = "h", .app = "live", .stream = "cam1", .key = "k2"}, kNow);
  const std::string& url = r.url_list[0].url;
  const auto secret = url.substr(url.find("volcSecret=") + 11, 32);
  const std::map<std::string, std::string> params{{"volcTime", std::to_string(r.expire_time)},
                                                  {"volcSecret", secret}};
  EXPECT_EQ(manage::verify_url_signature(params, "live", "cam1", {"k1", "k2"}, 1700000000).verdict,
            manage::SignatureVerdict::kValid);
}

TEST(SdkStreamUrls, BadInputIsAnInvalidArgument) {
  const GeneratePushUrlRequest good{.rtmp_address = "h", .app = "live", .stream = "s", .key = "k"};
  auto kind_of = [&](GeneratePushUrlRequest r) {
    return sdk_test::error_of([&] { LiveService::generate_push_url(r, kNow); }).kind();
  };
  auto r = good;
  r.stream = "a?b";
  EXPECT_EQ(kind_of(r), LiveError::Kind::kInvalidArgument);
  r = good;
  r.app = "..";
  EXPECT_EQ(kind_of(r), LiveError::Kind::kInvalidArgument);
  r = good;
  r.app = std::string(31, 'a');
  EXPECT_EQ(kind_of(r), LiveError::Kind::kInvalidArgument);
  r = good;
  r.key.clear();
  EXPECT_EQ(kind_of(r), LiveError::Kind::kInvalidArgument);
  r = good;
  r.rtmp_address = "h/x";
  EXPECT_EQ(kind_of(r), LiveError::Kind::kInvalidArgument);
  r = good;
  r.domain = "a&b=c";
  EXPECT_EQ(kind_of(r), LiveError::Kind::kInvalidArgument);
  r = good;
  r.valid_duration = seconds(0);
  EXPECT_EQ(kind_of(r), LiveError::Kind::kInvalidArgument);
  EXPECT_NO_THROW(LiveService::generate_push_url(good, kNow));
}

}  // namespace
}  // namespace sluice
