// `sluice push-url` / `play-url`: the URLs they print. The digest was
// computed independently with Python at authoring time:
//   hashlib.md5(b"/live/cam1k1700000000").hexdigest()
#include <gtest/gtest.h>

#include "cli/signed_urls.hpp"

namespace sluice::cli {
namespace {

constexpr const char* kQuery = "volcTime=1700000000&volcSecret=f1958f79bbc66d81a71180dcf6bf3b02";

TEST(CliSignedUrls, PushIsOneRtmpUrl) {
  SignedUrlTarget t{"__defaultVhost__", "", "live", "cam1", "127.0.0.1:1935", ""};
  EXPECT_EQ(signed_urls(t, "k", 1700000000),
            std::vector<std::string>{std::string("rtmp://127.0.0.1:1935/live/cam1?") + kQuery});
}

TEST(CliSignedUrls, PlayAddsHttpFlvAndHlsAndNamesANonDefaultVhost) {
  SignedUrlTarget t{"vh1", "", "live", "cam1", "h:1", "h:2"};
  EXPECT_EQ(signed_urls(t, "k", 1700000000),
            (std::vector<std::string>{
                std::string("rtmp://h:1/live/cam1?") + kQuery + "&vhost=vh1",
                std::string("http://h:2/live/cam1.flv?") + kQuery + "&vhost=vh1",
                std::string("http://h:2/live/cam1.m3u8?") + kQuery + "&vhost=vh1"}));
  t.domain = "play.example.com";
  EXPECT_EQ(signed_urls(t, "k", 1700000000)[0],
            std::string("rtmp://h:1/live/cam1?") + kQuery + "&domain=play.example.com");
}

}  // namespace
}  // namespace sluice::cli
