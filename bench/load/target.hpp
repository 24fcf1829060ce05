#pragma once
// The URL a load run targets. Only loopback is allowed: the tool is for
// measuring a server on the same machine, never for loading someone else's.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sluice::load {

struct Target {
  enum class Scheme { kRtmp, kHttpFlv, kHls };
  Scheme scheme = Scheme::kRtmp;
  std::string host;  // always "127.0.0.1" once parsed
  uint16_t port = 0;
  std::string app;
  std::string stream;  // without ".flv"
  std::string tc_url;  // rtmp://127.0.0.1:PORT/app
  std::string url;     // as given
  // The URL's query as given, without '?' (e.g. a signed URL's volcTime and
  // volcSecret): sent with the stream name (RTMP play/publish) or the path.
  std::string query;

  // The stream name as sent in RTMP play/publish: stream[?query].
  std::string stream_with_query() const { return query.empty() ? stream : stream + "?" + query; }

  // The same target with "-k" appended to the stream name (publisher k of M).
  Target with_suffix(int k) const;
  // HTTP request target: /app/stream.flv[?query] (HLS: .m3u8)
  std::string http_path() const {
    return "/" + app + "/" + stream + (scheme == Scheme::kHls ? ".m3u8" : ".flv") +
           (query.empty() ? "" : "?" + query);
  }
};

// rtmp://127.0.0.1[:PORT]/app/stream, http://127.0.0.1[:PORT]/app/stream.flv or
// http://127.0.0.1[:PORT]/app/stream.m3u8 (an HLS player)
// ("localhost" is accepted and mapped to 127.0.0.1). nullopt + error otherwise.
std::optional<Target> parse_target(std::string_view url, std::string& error);

}  // namespace sluice::load
