#pragma once
// A pasted stream URL: where a user copied a stream's address from an
// encoder or a player, the CLI takes it as it is.
#include <string>

namespace sluice::cli {

struct StreamUrl {
  std::string domain;  // lower-cased: ?vhost=, else ?domain=, else the host
  std::string app;
  std::string stream;  // without .flv / .m3u8
};

// True when `text` looks like a URL (a scheme followed by "://").
bool looks_like_url(const std::string& text);

// rtmp://host[:port]/app/stream[?query], http(s)://host[:port]/app/stream.flv
// or .m3u8[?query]. Throws UsageError for anything else (other schemes, no
// host, a path of other than two parts, an http path without .flv/.m3u8).
// Names are not checked here.
StreamUrl parse_stream_url(const std::string& text);

}  // namespace sluice::cli
