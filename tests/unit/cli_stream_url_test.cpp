// Pasted stream URLs where the CLI expects a stream: rtmp://, http(s)://
// .flv and .m3u8, with ports and queries, addressed by Domain as the server
// resolves a client's names (media::resolve): ?vhost=, else ?domain=, else
// the host.
#include <gtest/gtest.h>

#include "cli/stream_address.hpp"
#include "cli/usage_error.hpp"

namespace sluice::cli {
namespace {

std::string usage_error_of(const std::string& text, const std::string& domain = "") {
  try {
    parse_stream_address(text, domain);
  } catch (const UsageError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no UsageError for " << text;
  return {};
}

void expect_address(const std::string& text, const std::string& domain, const std::string& app,
                    const std::string& stream) {
  auto a = parse_stream_address(text, "");
  EXPECT_FALSE(a.vhost) << text;
  EXPECT_EQ(a.domain, std::optional<std::string>(domain)) << text;
  EXPECT_EQ(a.app, app) << text;
  EXPECT_EQ(a.stream, stream) << text;
}

TEST(CliStreamUrl, RtmpUrlsWithAndWithoutPortAndQuery) {
  expect_address("rtmp://127.0.0.1/live/cam1", "127.0.0.1", "live", "cam1");
  expect_address("rtmp://127.0.0.1:19350/live/cam1", "127.0.0.1", "live", "cam1");
  expect_address("rtmp://Push.Example.COM:1935/live/cam-1.hd?token=abc", "push.example.com", "live",
                 "cam-1.hd");
  expect_address("rtmp://[::1]:1935/live/cam1", "::1", "live", "cam1");
  expect_address("rtmp://127.0.0.1/live/cam1/", "127.0.0.1", "live", "cam1");
  // An RTMP stream name may end in .flv: it is the name the encoder sent.
  expect_address("rtmp://h.example/live/cam1.flv", "h.example", "live", "cam1.flv");
  EXPECT_EQ(parse_stream_address("rtmp://10.0.0.5/live/cam1", "").display(), "10.0.0.5/live/cam1");
  // a name that starts like an address is a name (Boost.URL 1.81 misreads it alone)
  expect_address("rtmp://10.0.0.5.nip.io:1935/live/cam1", "10.0.0.5.nip.io", "live", "cam1");
}

TEST(CliStreamUrl, VhostThenDomainParameterThenHost) {
  expect_address("rtmp://10.0.0.5/live/cam1?domain=Play.Example.com", "play.example.com", "live",
                 "cam1");
  expect_address("rtmp://10.0.0.5/live/cam1?vhost=v1.example&token=x", "v1.example", "live",
                 "cam1");
  // vhost= wins over domain=, as on the server
  expect_address("rtmp://10.0.0.5/live/cam1?domain=d.example&vhost=v.example", "v.example", "live",
                 "cam1");
  expect_address("http://10.0.0.5:8080/live/cam1.flv?vhost=v.example", "v.example", "live", "cam1");
  // an empty parameter is no parameter
  expect_address("rtmp://10.0.0.5/live/cam1?vhost=", "10.0.0.5", "live", "cam1");
}

TEST(CliStreamUrl, HttpFlvAndHlsUrls) {
  expect_address("http://127.0.0.1:8080/live/cam1.flv", "127.0.0.1", "live", "cam1");
  expect_address("https://cdn.example.com/live/cam1.m3u8?t=1", "cdn.example.com", "live", "cam1");
  expect_address("http://play.example.com/live/cam1.flv", "play.example.com", "live", "cam1");
  // the HTTP path is percent-decoded, as the server decodes it
  expect_address("http://h.example/live/cam%31.flv", "h.example", "live", "cam1");
}

TEST(CliStreamUrl, RefusesOtherUrls) {
  for (const char* bad :
       {"ftp://h/live/cam1", "rtsp://h/live/cam1", "rtmp:///live/cam1", "rtmp://h/live",
        "rtmp://h/a/live/cam1", "rtmp://h/", "http://h/live/cam1", "http://h/live/cam1.mp4",
        "http://h/live/.flv", "http://h/a/live/cam1.flv", "rtmp://h/live/cam%201",
        "rtmp://h/li!ve/cam1", "http://h/live/cam 1.flv", "rtmp://h:99999999999/live/cam1",
        "rtmp://h:99999/live/cam1"}) {
    EXPECT_FALSE(usage_error_of(bad).empty()) << bad;
  }
  EXPECT_NE(usage_error_of("http://h/live/cam1").find("app/stream.flv"), std::string::npos);
  EXPECT_NE(usage_error_of("ftp://h/live/cam1").find("rtmp://, http:// or https://"),
            std::string::npos);
  // a URL names its domain itself
  EXPECT_NE(usage_error_of("rtmp://h/live/cam1", "d.example").find("not both"), std::string::npos);
}

TEST(CliStreamUrl, BareFileNamesGetAHint) {
  EXPECT_NE(usage_error_of("live/demo.flv").find("did you mean live/demo?"), std::string::npos)
      << usage_error_of("live/demo.flv");
  EXPECT_NE(usage_error_of("live/demo.m3u8").find("did you mean live/demo?"), std::string::npos);
  EXPECT_NE(usage_error_of("v.example/live/demo.flv").find("did you mean v.example/live/demo?"),
            std::string::npos);
  // other dotted names are names
  EXPECT_EQ(parse_stream_address("live/demo.hd", "").stream, "demo.hd");
}

TEST(CliStreamUrl, UntrustedTextIsEscapedInMessages) {
  auto message = usage_error_of("rtmp://h/live/cam\x1b[31m");
  EXPECT_EQ(message.find('\x1b'), std::string::npos) << message;
  EXPECT_NE(message.find("\\x1b"), std::string::npos) << message;
}

}  // namespace
}  // namespace sluice::cli
