#pragma once
// A stream on the command line: `[vhost/]app/stream`, or a pasted play or
// publish URL (rtmp://host[:port]/app/stream[?query],
// http(s)://host[:port]/app/stream.flv or .m3u8). The vhost defaults to
// __defaultVhost__; with `--domain D` the stream is addressed by Domain
// instead (and a vhost part is refused). A URL is addressed by Domain too:
// its `vhost=` parameter, else its `domain=` parameter, else its host, as
// the server resolves what a client names (media::resolve), so the server's
// own domain map picks the vhost.
#include <optional>
#include <string>

namespace sluice::cli {

inline constexpr const char* kDefaultVhost = "__defaultVhost__";

struct StreamAddress {
  std::optional<std::string> vhost;   // set unless addressed by domain
  std::optional<std::string> domain;  // from --domain or a URL
  std::string app;
  std::string stream;
  std::string display() const;  // "vhost/app/stream" or "domain/app/stream"
};

// Throws UsageError when `text` is neither [vhost/]app/stream nor such a URL,
// or its app and stream break the API's naming rules (App 1-30, Stream 1-100
// of A-Z a-z 0-9 _ - .). A bare `app/stream.flv` (or .m3u8) is refused with
// a hint: it names a file of a stream, not the stream.
StreamAddress parse_stream_address(const std::string& text, const std::string& domain);

}  // namespace sluice::cli
