#include "config/config.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace sluice::config {
namespace {

std::string error_key(const std::string& toml) {
  try {
    load_string(toml);
  } catch (const ConfigError& e) {
    return e.key();
  }
  return "";
}

TEST(Config, DefaultsMatchTheDocumentedOnes) {
  Config c = load_string("");
  EXPECT_EQ(c.rtmp.listen.to_string(), "0.0.0.0:1935");
  EXPECT_EQ(c.http.listen.to_string(), "0.0.0.0:8080");
  EXPECT_EQ(c.data_dir, "./sluice-data");
  EXPECT_EQ(c.default_vhost, "__defaultVhost__");
}

TEST(Config, ReadsEveryKey) {
  Config c = load_string(R"(
data_dir = "/tmp/x"
log_level = "debug"
default_vhost = "main"
[rtmp]
listen = "127.0.0.1:19350"
chunk_size = 4096
max_message_size = 1048576
handshake_timeout_ms = 2000
idle_timeout_ms = 9000
[http]
listen = "[::1]:8081"
[media]
gop_cache = false
play_wait_timeout_ms = 3000
unpublish_grace_ms = 1500
viewer_queue_max_ms = 2000
viewer_max_skips = 5
[[vhost]]
name = "push.example.com"
push_domains = ["push.example.com"]
play_domains = ["play.example.com"]
)");
  EXPECT_EQ(c.rtmp.listen.port, 19350);
  EXPECT_EQ(c.rtmp.out_chunk_size, 4096u);
  EXPECT_EQ(c.rtmp.handshake_timeout.count(), 2000);
  EXPECT_EQ(c.http.listen.host, "::1");
  EXPECT_FALSE(c.media.gop_cache);
  EXPECT_EQ(c.media.unpublish_grace.count(), 1500);
  EXPECT_EQ(c.media.viewer_max_skips, 5u);
  EXPECT_EQ(c.vhost_for_domain("play.example.com"), "push.example.com");
  EXPECT_EQ(c.vhost_for_domain("push.example.com"), "push.example.com");
  EXPECT_EQ(c.vhost_for_domain("127.0.0.1"), "main");
}

TEST(Config, BadValuesNameTheirKey) {
  EXPECT_EQ(error_key("[media]\nplay_wait_timeout_ms = \"abc\""), "media.play_wait_timeout_ms");
  EXPECT_EQ(error_key("[rtmp]\nchunk_size = 1"), "rtmp.chunk_size");
  // A publisher must be able to hold at least one whole message of the largest size.
  EXPECT_EQ(error_key("[rtmp]\nmax_message_size = 2097152\nmax_partial_bytes = 1048576"),
            "rtmp.max_partial_bytes");
  EXPECT_EQ(error_key("[rtmp]\nmax_partial_bytes_before_publish = 1024"),
            "rtmp.max_partial_bytes_before_publish");
  EXPECT_EQ(error_key("[rtmp]\nlisten = \"nowhere\""), "rtmp.listen");
  EXPECT_EQ(error_key("[rtmp]\nlisten = \"1.2.3.4:99999\""), "rtmp.listen");
  EXPECT_EQ(error_key("[media]\ngop_cache = 1"), "media.gop_cache");
  EXPECT_EQ(error_key("[media]\ntypo_key = 1"), "media.typo_key");
  EXPECT_EQ(error_key("[[vhost]]\npush_domains = [\"a\"]"), "vhost[0].name");
  EXPECT_EQ(error_key("rtmp = 5"), "rtmp");
}

TEST(Config, AFloatWhereAnIntegerBelongsIsRefusedWithoutConverting) {
  // A float too large for an integer used to be converted first (undefined
  // behaviour, which the sanitized suite turns into an abort).
  for (const char* value :
       {"1e36", "-1e36", "1000000000000000000000000000000000048.76", "inf", "nan", "4096.0"}) {
    SCOPED_TRACE(value);
    try {
      load_string(std::string("[rtmp]\nmax_message_size = ") + value);
      ADD_FAILURE() << "accepted";
    } catch (const ConfigError& e) {
      EXPECT_EQ(e.key(), "rtmp.max_message_size");
      EXPECT_NE(std::string(e.what()).find("expected an integer"), std::string::npos) << e.what();
    }
  }
}

TEST(Config, CallbackDeliveryKeys) {
  const Config defaults;
  EXPECT_EQ(defaults.callbacks.timeout, std::chrono::milliseconds(4000));
  EXPECT_EQ(defaults.callbacks.max_in_flight, 32u);
  const Config c = load_string(R"(
[callbacks]
timeout = 1500
max_in_flight = 8
[[vhost]]
name = "v"
callback_auth_key = "k"
)");
  EXPECT_EQ(c.callbacks.timeout, std::chrono::milliseconds(1500));
  EXPECT_EQ(c.callbacks.max_in_flight, 8u);
  EXPECT_EQ(c.vhosts.at(0).callback_auth_key, "k");
  EXPECT_EQ(error_key("[callbacks]\nmax_in_flight = 0"), "callbacks.max_in_flight");
  EXPECT_EQ(error_key("[callbacks]\ntimeout = 5"), "callbacks.timeout");
}

TEST(Config, ConnectionLimits) {
  Config d = load_string("");
  EXPECT_EQ(d.limits.max_connections, 10000u);
  EXPECT_EQ(d.limits.max_connections_per_ip, 256u);
  EXPECT_EQ(d.limits.per_ip_exempt, (std::vector<std::string>{"127.0.0.0/8", "::1/128"}));
  EXPECT_EQ(d.api.max_connections, 128u);

  Config c = load_string(
      "[limits]\nmax_connections = 500\nmax_connections_per_ip = 0\n"
      "per_ip_exempt = [\"10.0.0.0/8\", \"2001:db8::/32\"]\n[api]\nmax_connections = 16\n");
  EXPECT_EQ(c.limits.max_connections, 500u);
  EXPECT_EQ(c.limits.max_connections_per_ip, 0u);
  EXPECT_EQ(c.limits.per_ip_exempt.size(), 2u);
  EXPECT_EQ(c.api.max_connections, 16u);

  EXPECT_EQ(error_key("[limits]\nmax_connections = 0"), "limits.max_connections");
  EXPECT_EQ(error_key("[limits]\nper_ip_exempt = [\"10.0.0.0/33\"]"), "limits.per_ip_exempt");
  EXPECT_EQ(error_key("[limits]\nper_ip_exempt = [\"example.com\"]"), "limits.per_ip_exempt");
  EXPECT_EQ(error_key("[limits]\nmax_conections = 5"), "limits.max_conections");
  EXPECT_EQ(error_key("[api]\nmax_connections = 0"), "api.max_connections");
}

TEST(Config, PushAuthAndVhostKeys) {
  const Config defaults = load_string("");
  EXPECT_TRUE(defaults.push_auth.required);
  EXPECT_EQ(defaults.push_auth.trusted, (std::vector<std::string>{"127.0.0.0/8", "::1/128"}));
  const Config c = load_string(R"(
[push_auth]
required = false
trusted = ["::1", "10.0.0.0/8"]
[[vhost]]
name = "v"
push_key = "p1"
push_key_secondary = "p2"
play_key = "q1"
play_key_secondary = "q2"
)");
  EXPECT_FALSE(c.push_auth.required);
  EXPECT_EQ(c.push_auth.trusted, (std::vector<std::string>{"::1", "10.0.0.0/8"}));
  ASSERT_EQ(c.vhosts.size(), 1u);
  EXPECT_EQ(c.vhosts[0].push_key, "p1");
  EXPECT_EQ(c.vhosts[0].push_key_secondary, "p2");
  EXPECT_EQ(c.vhosts[0].play_key, "q1");
  EXPECT_EQ(c.vhosts[0].play_key_secondary, "q2");
  EXPECT_EQ(error_key("[push_auth]\ntrusted = [\"nowhere\"]"), "push_auth.trusted");
  EXPECT_EQ(error_key("[push_auth]\nrequired = \"yes\""), "push_auth.required");
  EXPECT_EQ(error_key("[push_auth]\nrequire = false"), "push_auth.require");
  EXPECT_EQ(error_key("[[vhost]]\nname = \"v\"\npush_key = 5"), "vhost[0].push_key");
}

TEST(Config, HooksAndHookUrls) {
  const Config defaults = load_string("");
  EXPECT_EQ(defaults.hooks.timeout, Milliseconds(2000));
  EXPECT_FALSE(defaults.hooks.fail_open);
  const Config c = load_string(R"(
[hooks]
timeout = 500
fail_open = true
[[vhost]]
name = "v"
on_publish = "http://127.0.0.1:8085/publish"
on_play = "http://127.0.0.1:8085/play"
)");
  EXPECT_EQ(c.hooks.timeout, Milliseconds(500));
  EXPECT_TRUE(c.hooks.fail_open);
  ASSERT_EQ(c.vhosts.size(), 1u);
  EXPECT_EQ(c.vhosts[0].on_publish, "http://127.0.0.1:8085/publish");
  EXPECT_EQ(c.vhosts[0].on_play, "http://127.0.0.1:8085/play");
  EXPECT_EQ(error_key("[hooks]\ntimeout = 0"), "hooks.timeout");
  EXPECT_EQ(error_key("[hooks]\ntimeout_ms = 100"), "hooks.timeout_ms");
  EXPECT_EQ(error_key("[hooks]\nfail_open = 1"), "hooks.fail_open");
  EXPECT_EQ(error_key("[[vhost]]\nname = \"v\"\non_play = []"), "vhost[0].on_play");
  // URLs hooks::post cannot send to are refused when the config loads.
  EXPECT_EQ(error_key("[[vhost]]\nname = \"v\"\non_play = \"http://h.example/p?x=1\""), "");
  EXPECT_EQ(error_key("[[vhost]]\nname = \"v\"\non_publish = \"https://h.example/p\""),
            "vhost[0].on_publish");
  EXPECT_EQ(error_key("[[vhost]]\nname = \"a\"\n[[vhost]]\nname = \"b\"\non_play = \"h:/x\""),
            "vhost[1].on_play");
  EXPECT_EQ(error_key("[[vhost]]\nname = \"v\"\non_play = \"not a url\""), "vhost[0].on_play");
  EXPECT_EQ(error_key("[[vhost]]\nname = \"v\"\non_play = \"http://h:99999/\""),
            "vhost[0].on_play");
  try {
    load_string("[[vhost]]\nname = \"v\"\non_publish = \"ftp://h.example/x\"");
    ADD_FAILURE() << "an ftp:// hook URL loaded";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("only http:// URLs are supported"), std::string::npos)
        << e.what();
  }
}

TEST(Config, CallbackUrlsAndTimeout) {
  const Config defaults = load_string("");
  EXPECT_EQ(defaults.callbacks.timeout, Milliseconds(4000));
  const Config c = load_string(R"(
[callbacks]
timeout = 2500
[[vhost]]
name = "__defaultVhost__"
push_callback_urls = ["http://127.0.0.1:8000/push", "http://hooks.example.com/a?x=1"]
push_end_callback_urls = ["http://[::1]:8000/end"]
callback_auth_key = "k"
)");
  EXPECT_EQ(c.callbacks.timeout, Milliseconds(2500));
  ASSERT_EQ(c.vhosts.size(), 1u);
  EXPECT_EQ(
      c.vhosts[0].push_callback_urls,
      (std::vector<std::string>{"http://127.0.0.1:8000/push", "http://hooks.example.com/a?x=1"}));
  EXPECT_EQ(c.vhosts[0].push_end_callback_urls,
            (std::vector<std::string>{"http://[::1]:8000/end"}));
  EXPECT_EQ(c.vhosts[0].callback_auth_key, "k");

  // URLs the sender could never use are refused at load, naming the key.
  for (const char* bad :
       {"https://example.com/push", "example.com/push", "http:///push", "http://u:p@example.com/",
        "http://example.com:99999/", "http://example.com/#x", ""}) {
    EXPECT_EQ(
        error_key(std::string("[[vhost]]\nname = \"v\"\npush_callback_urls = [\"") + bad + "\"]"),
        "vhost[0].push_callback_urls")
        << bad;
  }
  EXPECT_EQ(error_key("[[vhost]]\nname = \"v\"\npush_end_callback_urls = \"http://a/\""),
            "vhost[0].push_end_callback_urls");
  EXPECT_EQ(error_key("[callbacks]\ntimeout = 0"), "callbacks.timeout");
}

TEST(Config, TheExampleFileLoads) {
  Config c = load_file(std::string(SLUICE_SOURCE_DIR) + "/config/sluice.example.toml");
  EXPECT_EQ(c.rtmp.listen.port, 1935);
}

TEST(Config, HlsKeysAndTheirBounds) {
  const Config defaults = load_string("");
  EXPECT_TRUE(defaults.hls.enabled);
  EXPECT_EQ(defaults.hls.target_duration, std::chrono::milliseconds(2000));
  const Config c = load_string(
      "[hls]\nenabled = false\ntarget_duration_ms = 1000\nwindow_segments = 5\n"
      "window_bytes = 2097152\nsession_timeout_ms = 9000\n");
  EXPECT_FALSE(c.hls.enabled);
  EXPECT_EQ(c.hls.target_duration, std::chrono::milliseconds(1000));
  EXPECT_EQ(c.hls.window_segments, 5u);
  EXPECT_EQ(c.hls.window_bytes, 2097152u);
  EXPECT_EQ(c.hls.session_timeout, std::chrono::milliseconds(9000));
  EXPECT_THROW(load_string("[hls]\ntarget_duration_ms = 10"), ConfigError);
  EXPECT_THROW(load_string("[hls]\nwindow_segments = 1"), ConfigError);
  EXPECT_EQ(defaults.hls.flavour, "ts");
  EXPECT_EQ(defaults.hls.part_target, std::chrono::milliseconds(200));
  EXPECT_EQ(defaults.hls.ll_target_duration, std::chrono::milliseconds(1000));
  const auto ll =
      load_string("[hls]\nflavour = \"ll\"\npart_target_ms = 300\nll_target_duration_ms = 2000");
  EXPECT_EQ(ll.hls.flavour, "ll");
  EXPECT_EQ(ll.hls.part_target, std::chrono::milliseconds(300));
  EXPECT_EQ(ll.hls.ll_target_duration, std::chrono::milliseconds(2000));
  EXPECT_THROW(load_string("[hls]\nflavour = \"dash\""), ConfigError);
  // Per vhost: its own hls_flavour, else hls.flavour.
  const auto per_vhost =
      load_string("[[vhost]]\nname = \"a\"\nhls_flavour = \"ll\"\n[[vhost]]\nname = \"b\"\n");
  EXPECT_EQ(per_vhost.hls_flavour_of("a"), "ll");
  EXPECT_EQ(per_vhost.hls_flavour_of("b"), "ts");
  EXPECT_EQ(per_vhost.hls_flavour_of("__defaultVhost__"), "ts");
  EXPECT_EQ(per_vhost.find_vhost("b")->name, "b");
  EXPECT_EQ(per_vhost.find_vhost("c"), nullptr);
  EXPECT_EQ(error_key("[[vhost]]\nname = \"a\"\nhls_flavour = \"dash\""), "vhost[0].hls_flavour");
  EXPECT_THROW(load_string("[hls]\npart_target_ms = 10"), ConfigError);
  EXPECT_THROW(load_string("[hls]\npart_target_ms = 1500"), ConfigError);
  EXPECT_THROW(load_string("[hls]\nsegments = 3"), ConfigError);
  EXPECT_FALSE(defaults.hls.on_demand);
  EXPECT_TRUE(load_string("[hls]\non_demand = true").hls.on_demand);
  EXPECT_EQ(defaults.hls.max_sessions, 20000u);
  EXPECT_EQ(load_string("[hls]\nmax_sessions = 2").hls.max_sessions, 2u);
  EXPECT_THROW(load_string("[hls]\nmax_sessions = 0"), ConfigError);
}

TEST(Config, MissingFileIsAClearError) {
  EXPECT_THROW(load_file("/nonexistent/sluice.toml"), ConfigError);
}

TEST(Endpoint, ParsesHostAndPort) {
  EXPECT_EQ(parse_endpoint("127.0.0.1:0", "k").port, 0);
  EXPECT_EQ(parse_endpoint("[::]:1935", "k").host, "::");
  EXPECT_THROW(parse_endpoint("80", "k"), ConfigError);
  EXPECT_THROW(parse_endpoint(":", "k"), ConfigError);
  EXPECT_THROW(parse_endpoint("host:", "k"), ConfigError);
  EXPECT_THROW(parse_endpoint("host:8x", "k"), ConfigError);
}

TEST(Endpoint, PortAloneMeansEveryInterface) {
  const auto e = parse_endpoint(":1935", "k");
  EXPECT_EQ(e.host, "0.0.0.0");
  EXPECT_EQ(e.port, 1935);
  EXPECT_EQ(load_string("[http]\nlisten = \":8081\"").http.listen.to_string(), "0.0.0.0:8081");
}

TEST(Endpoint, LocalhostIsTheIpv4Loopback) {
  const auto e = parse_endpoint("localhost:1985", "k");
  EXPECT_EQ(e.host, "127.0.0.1");
  EXPECT_EQ(e.port, 1985);
  EXPECT_EQ(load_string("[api]\nlisten = \"localhost:0\"").api.listen.to_string(), "127.0.0.1:0");
}

std::string error_text(const std::string& toml) {
  try {
    load_string(toml);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(Config, ADomainClaimedByTwoVhostsIsRefusedNamingBoth) {
  const std::string twice_as_play =
      "[[vhost]]\nname = \"a.example\"\nplay_domains = [\"play.example\"]\n"
      "[[vhost]]\nname = \"b.example\"\nplay_domains = [\"play.example\"]\n";
  const std::string text = error_text(twice_as_play);
  EXPECT_NE(text.find("\"play.example\""), std::string::npos) << text;
  EXPECT_NE(text.find("\"a.example\""), std::string::npos) << text;
  EXPECT_NE(text.find("\"b.example\""), std::string::npos) << text;
  EXPECT_EQ(error_key(twice_as_play), "vhost[1]");
  // One vhost's name as another's push domain, and the same name twice.
  EXPECT_EQ(error_key("[[vhost]]\nname = \"a\"\n[[vhost]]\nname = \"b\"\npush_domains = [\"a\"]"),
            "vhost[1]");
  EXPECT_EQ(error_key("[[vhost]]\nname = \"a\"\n[[vhost]]\nname = \"a\""), "vhost[1]");
  // Within one vhost, a domain may be both push and play.
  EXPECT_NO_THROW(load_string(
      "[[vhost]]\nname = \"a\"\npush_domains = [\"x\"]\nplay_domains = [\"x\", \"a\"]"));
}

}  // namespace
}  // namespace sluice::config
