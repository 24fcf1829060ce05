#include <gtest/gtest.h>

#include "config/config.hpp"
#include "config/reload.hpp"

namespace sluice::config {
namespace {

const char* kRunning = R"(
log_level = "info"
[rtmp]
listen = "0.0.0.0:1935"
[[api.keys]]
access_key = "AKold"
secret_key = "old-secret-0123456789"
[[vhost]]
name = "a.example"
)";

const char* kNext = R"(
log_level = "debug"
default_vhost = "fallback"
[rtmp]
listen = "127.0.0.1:1936"
[media]
gop_cache = false
[[api.keys]]
access_key = "AKnew"
secret_key = "new-secret-0123456789"
[push_auth]
required = false
trusted = ["10.0.0.0/8"]
[hooks]
timeout = 700
fail_open = true
[callbacks]
timeout = 1500
max_in_flight = 4
[[vhost]]
name = "b.example"
play_domains = ["play.b.example"]
push_key = "new-push-key"
on_publish = "http://127.0.0.1:9/publish"
)";

TEST(ConfigReload, AppliesVhostsKeysAndLogLevelOnly) {
  Config running = load_string(kRunning);
  const Config next = load_string(kNext);
  apply_reloadable(running, next);
  EXPECT_EQ(running.vhost_for_domain("play.b.example"), "b.example");
  EXPECT_EQ(running.vhost_for_domain("a.example"), "fallback");
  ASSERT_EQ(running.api.keys.size(), 1u);
  EXPECT_EQ(running.api.keys[0].access_key, "AKnew");
  EXPECT_EQ(running.log_level, "debug");
  EXPECT_EQ(running.vhosts[0].push_key, "new-push-key");
  EXPECT_FALSE(running.push_auth.required);
  EXPECT_EQ(running.push_auth.trusted, std::vector<std::string>{"10.0.0.0/8"});
  EXPECT_EQ(running.vhosts[0].on_publish, "http://127.0.0.1:9/publish");
  EXPECT_EQ(running.hooks.timeout, Milliseconds(700));
  EXPECT_TRUE(running.hooks.fail_open);
  EXPECT_EQ(running.callbacks.timeout, std::chrono::milliseconds(1500));
  EXPECT_EQ(running.callbacks.max_in_flight, 4u);
  // Not reloadable: still the running values.
  EXPECT_EQ(running.rtmp.listen.to_string(), "0.0.0.0:1935");
  EXPECT_TRUE(running.media.gop_cache);
}

TEST(ConfigReload, NamesEverySettingThatNeedsARestart) {
  const auto changes = changes_needing_restart(load_string(kRunning), load_string(kNext));
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0], "rtmp.listen (0.0.0.0:1935 -> 127.0.0.1:1936)");
  EXPECT_EQ(changes[1], "[media]");
}

TEST(ConfigReload, ReloadableChangesAloneNeedNoRestart) {
  Config running = load_string(kRunning);
  Config next = running;
  next.api.keys.clear();
  next.vhosts.clear();
  next.log_level = "warn";
  EXPECT_TRUE(changes_needing_restart(running, next).empty());
  next.api.region = "ap-southeast-1";
  next.limits.max_connections = 5;
  next.data_dir = "/elsewhere";
  const auto changes = changes_needing_restart(running, next);
  ASSERT_EQ(changes.size(), 3u);
  EXPECT_EQ(changes[0], "data_dir (./sluice-data -> /elsewhere)");
  EXPECT_EQ(changes[1], "[api]");
  EXPECT_EQ(changes[2], "[limits]");
}

TEST(ConfigReload, AMetricsChangeNeedsARestart) {
  const Config running = load_string(kRunning);
  Config next = running;
  next.metrics.max_stream_labels = 3;
  EXPECT_EQ(changes_needing_restart(running, next), std::vector<std::string>{"[metrics]"});
  next = running;
  next.metrics.enabled = false;
  EXPECT_EQ(changes_needing_restart(running, next), std::vector<std::string>{"[metrics]"});
}

}  // namespace
}  // namespace sluice::config
