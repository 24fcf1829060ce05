#include "target.hpp"

#include <boost/url/parse.hpp>

namespace sluice::load {

Target Target::with_suffix(int k) const {
  Target t = *this;
  t.stream += "-" + std::to_string(k);
  return t;
}

std::optional<Target> parse_target(std::string_view text, std::string& error) {
  auto parsed = boost::urls::parse_uri(text);
  if (!parsed) {
    error = "not a URL: " + std::string(text);
    return std::nullopt;
  }
  Target t;
  t.url = std::string(text);
  const std::string scheme = parsed->scheme();
  if (scheme == "rtmp") {
    t.scheme = Target::Scheme::kRtmp;
    t.port = 1935;
  } else if (scheme == "http") {
    t.scheme = Target::Scheme::kHttpFlv;
    t.port = 80;
  } else {
    error = "scheme must be rtmp or http, got " + scheme;
    return std::nullopt;
  }
  const std::string host = parsed->host();
  if (host != "127.0.0.1" && host != "localhost") {
    error = "refusing to target " + host + ": sluice-load only targets 127.0.0.1 / localhost";
    return std::nullopt;
  }
  t.host = "127.0.0.1";
  if (parsed->has_port()) {
    const int port = parsed->port_number();
    if (port <= 0 || port > 65535) {
      error = "bad port in " + t.url;
      return std::nullopt;
    }
    t.port = static_cast<uint16_t>(port);
  }
  std::string path = parsed->path();
  if (!path.empty() && path.front() == '/') path.erase(0, 1);
  const auto slash = path.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 >= path.size()) {
    error = "URL path must be /app/stream, got /" + path;
    return std::nullopt;
  }
  t.app = path.substr(0, slash);
  t.stream = path.substr(slash + 1);
  if (t.scheme == Target::Scheme::kHttpFlv) {
    if (t.stream.ends_with(".m3u8")) {
      t.scheme = Target::Scheme::kHls;
      t.stream.resize(t.stream.size() - 5);
    } else if (t.stream.ends_with(".flv")) {
      t.stream.resize(t.stream.size() - 4);
    } else {
      error = "HTTP URL must end in .flv (HTTP-FLV) or .m3u8 (HLS)";
      return std::nullopt;
    }
  }
  if (parsed->has_query()) t.query = std::string(parsed->encoded_query());
  t.tc_url = "rtmp://127.0.0.1:" + std::to_string(t.port) + "/" + t.app;
  return t;
}

}  // namespace sluice::load
