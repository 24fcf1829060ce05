#include "media/stream_name.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <string_view>

#include "media/domain_name.hpp"

namespace sluice::media {
namespace {

config::Config with_vhost() {
  return config::load_string(R"(
[[vhost]]
name = "vh_one"
push_domains = ["push.one.example"]
)");
}

Resolution resolve_text(std::string_view app, std::string_view tc_url, std::string_view stream,
                        const config::Config& config = config::Config{}) {
  return resolve(parse_connect(app, tc_url), stream, config);
}

// What a client sends in a query: every byte outside A-Z a-z 0-9 - . as %XX.
std::string percent_encoded(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.') {
      out += static_cast<char>(c);
    } else {
      out += {'%', kHex[c >> 4], kHex[c & 15]};
    }
  }
  return out;
}

TEST(StreamName, DotAndDotDotAreNoNames) {
  for (const char* bad : {".", ".."}) {
    EXPECT_FALSE(valid_app_name(bad)) << bad;
    EXPECT_FALSE(valid_stream_name(bad)) << bad;
  }
  for (const char* good : {"...", ".hidden", "a.b", "cam1.hd", "a..b"}) {
    EXPECT_TRUE(valid_app_name(good)) << good;
    EXPECT_TRUE(valid_stream_name(good)) << good;
  }
  EXPECT_FALSE(resolve_text("..", "rtmp://127.0.0.1/..", "cam1").stream);
  EXPECT_FALSE(resolve_text("live", "rtmp://127.0.0.1/live", "..?token=x").stream);
  EXPECT_FALSE(resolve_text("live", "rtmp://127.0.0.1/live", ".").stream);
}

TEST(StreamName, RefusalIsOneShortEscapedLine) {
  std::string name = "x\r\n[error] forged line";
  name += '\0';
  name += std::string(60000, 'A');
  auto r = resolve_text("live", "rtmp://127.0.0.1/live", name);
  ASSERT_FALSE(r.stream);
  EXPECT_EQ(r.refusal.find_first_of(std::string("\r\n\0", 3)), std::string::npos) << r.refusal;
  EXPECT_LT(r.refusal.size(), 300u) << r.refusal;
  EXPECT_NE(r.refusal.find("invalid stream name 'x\\x0d\\x0a[error]"), std::string::npos)
      << r.refusal;
}

TEST(StreamName, DomainParameterMustBeADnsName) {
  auto ok = resolve_text("live", "rtmp://192.0.2.1/live", "cam1?domain=Push.Example.COM");
  ASSERT_TRUE(ok.stream) << ok.refusal;
  EXPECT_EQ(ok.stream->domain, "push.example.com");

  const std::string long_domain = std::string(3000, 'a') + "\n<b>";
  for (const std::string& bad :
       {long_domain, std::string("a\nb.example"), std::string("-a.example"), std::string("a..b"),
        std::string("a_b.example"), std::string(64, 'a') + ".example", std::string("::1"),
        std::string("exa mple.com")}) {
    auto r = resolve_text("live", "rtmp://192.0.2.1/live", "cam1?domain=" + percent_encoded(bad));
    EXPECT_FALSE(r.stream) << bad;
    EXPECT_NE(r.refusal.find("invalid domain"), std::string::npos) << r.refusal;
    EXPECT_LT(r.refusal.size(), 300u);
  }
  // On the tcUrl/app too, percent-encoded.
  EXPECT_FALSE(resolve_text("live?domain=a%0Ab", "rtmp://192.0.2.1/live", "cam1").stream);
}

TEST(StreamName, VhostParameterMayBeAConfiguredName) {
  auto config = with_vhost();
  auto named = resolve_text("live", "rtmp://192.0.2.1/live", "cam1?vhost=vh_one", config);
  ASSERT_TRUE(named.stream) << named.refusal;
  EXPECT_EQ(named.stream->key.vhost, "vh_one");
  auto by_default = resolve_text("live", "", "cam1?vhost=__defaultVhost__", config);
  ASSERT_TRUE(by_default.stream) << by_default.refusal;
  EXPECT_EQ(by_default.stream->key.vhost, "__defaultVhost__");
  EXPECT_FALSE(resolve_text("live", "", "cam1?vhost=not_configured", config).stream);
  EXPECT_FALSE(resolve_text("live", "", "cam1?vhost=a%0d%0ab", config).stream);
}

TEST(StreamName, HostMayBeAnIpAddressOrADnsName) {
  for (const char* url : {"rtmp://127.0.0.1:1935/live", "rtmp://[::1]:1935/live",
                          "rtmp://push.one.example/live", "rtmp://localhost/live", ""}) {
    auto r = resolve_text("live", url, "cam1");
    EXPECT_TRUE(r.stream) << url << ": " << r.refusal;
  }
  auto bad = resolve_text("live", "rtmp://a!b$c/live", "cam1");
  EXPECT_FALSE(bad.stream);
  EXPECT_NE(bad.refusal.find("invalid host"), std::string::npos) << bad.refusal;
}

TEST(DomainName, Rfc1123HostNames) {
  EXPECT_TRUE(valid_dns_name("a"));
  EXPECT_TRUE(valid_dns_name("push.example.com"));
  EXPECT_TRUE(valid_dns_name("xn--bcher-kva.example"));
  EXPECT_TRUE(valid_dns_name(std::string(63, 'a') + ".b"));
  EXPECT_FALSE(valid_dns_name(std::string(64, 'a') + ".b"));
  std::string long_name;
  for (int i = 0; i < 25; ++i) long_name += "abcdefghi.";
  long_name += "abc";  // 253 characters, the most a name may have
  ASSERT_EQ(long_name.size(), 253u);
  EXPECT_TRUE(valid_dns_name(long_name));
  EXPECT_FALSE(valid_dns_name(long_name + "x"));
  for (const char* bad : {"", ".", "a.", ".a", "a..b", "-a", "a-", "a_b", "a b", "a\nb", "[::1]"})
    EXPECT_FALSE(valid_dns_name(bad)) << bad;
}

TEST(DomainName, IpLiterals) {
  for (const char* ip : {"127.0.0.1", "::1", "[::1]", "2001:db8::7"})
    EXPECT_TRUE(is_ip_literal(ip)) << ip;
  for (const char* bad : {"", "[]", "1.2.3", "fe80::1%eth0", "example.com", "::1]"})
    EXPECT_FALSE(is_ip_literal(bad)) << bad;
}

TEST(StreamName, SplitsNameAndDecodedParameters) {
  auto split = split_name("cam1?token=a%20b&vhost=v1&flag");
  EXPECT_EQ(split.name, "cam1");
  EXPECT_EQ(split.params, (QueryParams{{"token", "a b"}, {"vhost", "v1"}, {"flag", ""}}));
}

// Found by fuzz_rtmp_names (a heap over-read under ASan): Boost.URL measured
// the query with strlen, so a name that is a view into a longer buffer took
// its parameters from the bytes after it.
TEST(StreamName, ReadsOnlyTheViewItIsGiven) {
  const std::string buffer = "cam1?token=abc\nrtmp://elsewhere/live?vhost=other";
  const std::string_view name(buffer.data(), buffer.find('\n'));
  auto split = split_name(name);
  EXPECT_EQ(split.name, "cam1");
  EXPECT_EQ(split.params, (QueryParams{{"token", "abc"}}));
}

TEST(StreamName, ConnectTakesHostAndParametersFromTcUrl) {
  auto target = parse_connect("live?token=t", "rtmp://Push.Example.com:1935/live?vhost=v1&token=u");
  EXPECT_EQ(target.app, "live");
  EXPECT_EQ(target.host, "push.example.com");
  // The app's own parameters win over the tcUrl's.
  EXPECT_EQ(target.params, (QueryParams{{"token", "t"}, {"vhost", "v1"}}));
}

// Found by fuzz_rtmp_names: iterating Boost.URL's params of an empty query
// followed by a fragment read far past the tcUrl (SEGV): any RTMP client
// could crash the server with its connect command.
TEST(StreamName, ConnectSurvivesAnEmptyQueryBeforeAFragment) {
  for (const char* tc_url : {"rtmp://h/live?#x", "p:cm.p/e?#l", "rtmp://h/live?vhost=v1#x"}) {
    auto target = parse_connect("live", tc_url);
    EXPECT_EQ(target.app, "live") << tc_url;
  }
  EXPECT_EQ(parse_connect("live", "rtmp://h/live?vhost=v1#x").params,
            (QueryParams{{"vhost", "v1"}}));
  EXPECT_EQ(parse_connect("live", "rtmp://h/live?#x").host, "h");
}

// Boost.URL 1.81 reads "10.0.0.5.nip.io" as the address 10.0.0.5 followed
// by a path: the publish would land in the wrong vhost.
TEST(StreamName, AHostNameThatStartsLikeAnAddressStaysAName) {
  EXPECT_EQ(parse_connect("live", "rtmp://10.0.0.5.nip.io/live").host, "10.0.0.5.nip.io");
  EXPECT_EQ(parse_connect("live", "rtmp://10.0.0.5.NIP.io:1935/live?vhost=v").host,
            "10.0.0.5.nip.io");
  EXPECT_EQ(parse_connect("live", "rtmp://192.0.2.1:1935/live").host, "192.0.2.1");
  EXPECT_EQ(parse_connect("live", "rtmp://[::1]:1935/live").host, "::1");
  auto r = resolve_text("live", "rtmp://10.0.0.5.nip.io/live", "cam1");
  ASSERT_TRUE(r.stream) << r.refusal;
  EXPECT_EQ(r.stream->domain, "10.0.0.5.nip.io");
}

}  // namespace
}  // namespace sluice::media
