#include "app/banner.hpp"

#include <gtest/gtest.h>

namespace sluice {
namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(Banner, UrlsCarryTheBoundPortsAndLoopbackForAWildcardBind) {
  config::Config config;  // rtmp and http on 0.0.0.0, api on 127.0.0.1
  const std::string text = banner_text(config, {40001, 40002, 40003});
  EXPECT_TRUE(contains(text, "rtmp://127.0.0.1:40001/live/livestream\n")) << text;
  EXPECT_TRUE(contains(text, "http://127.0.0.1:40002/live/livestream.flv\n")) << text;
  EXPECT_TRUE(contains(text, "http://127.0.0.1:40003/ ")) << text;
  EXPECT_TRUE(contains(text, "  rtmp  0.0.0.0:40001")) << text;
  EXPECT_TRUE(
      contains(text, "0.0.0.0:40002            all interfaces: reachable from other machines"))
      << text;
  EXPECT_TRUE(contains(text, "127.0.0.1:40003          loopback only")) << text;
  EXPECT_TRUE(contains(text, "in place of the loopback one.\n")) << text;
  // 0.0.0.0 takes IPv4 only; "::" takes both.
  EXPECT_TRUE(contains(banner_text(config, {1, 2, 3}, {"192.0.2.1", "2001:db8::1"}),
                       "in place of the loopback one: 192.0.2.1.\n"));
  config.http.listen.host = "::";
  EXPECT_TRUE(contains(banner_text(config, {1, 2, 3}, {"192.0.2.1", "2001:db8::1"}),
                       "in place of the loopback one: 192.0.2.1, 2001:db8::1.\n"));
}

TEST(Banner, MachineAddressesLeaveOutLoopback) {
  for (const auto& address : machine_addresses()) {
    EXPECT_NE(address, "127.0.0.1");
    EXPECT_NE(address, "::1");
    EXPECT_FALSE(address.empty());
  }
}

TEST(Banner, SpecificAddressesAreUsedAsBoundIpv6InBrackets) {
  config::Config config;
  config.rtmp.listen = {"192.0.2.7", 1935};
  config.http.listen = {"::", 8080};
  config.api.listen = {"::1", 1985};
  const std::string text = banner_text(config, {1935, 8080, 1985});
  EXPECT_TRUE(contains(text, "rtmp://192.0.2.7:1935/live/livestream")) << text;
  EXPECT_TRUE(contains(text, "http://[::1]:8080/live/livestream.flv")) << text;
  EXPECT_TRUE(contains(text, "  rtmp  192.0.2.7:1935           one address")) << text;
  EXPECT_TRUE(contains(text, "  http  [::]:8080                all interfaces")) << text;
  EXPECT_TRUE(contains(text, "  api   [::1]:1985               loopback only")) << text;
}

TEST(Banner, NoWildcardNoHintAboutOtherMachines) {
  config::Config config;
  config.rtmp.listen = {"127.0.0.1", 0};
  config.http.listen = {"127.0.0.1", 0};
  EXPECT_FALSE(contains(banner_text(config, {1, 2, 3}), "in place of the loopback one"));
}

TEST(Banner, SaysRemotePublishersNeedASignedUrl) {
  config::Config config;  // rtmp on 0.0.0.0
  const std::string hint = "Publishing from other machines needs a signed URL";
  EXPECT_TRUE(contains(banner_text(config, {1, 2, 3}), hint));
  config.push_auth.required = false;
  EXPECT_FALSE(contains(banner_text(config, {1, 2, 3}), hint));
  config.push_auth.required = true;
  config.rtmp.listen = {"127.0.0.1", 0};
  EXPECT_FALSE(contains(banner_text(config, {1, 2, 3}), hint));
}

}  // namespace
}  // namespace sluice
