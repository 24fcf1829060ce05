#pragma once
// What the media listener reads from a play request, apart from the socket:
// the parser's limits and the HTTP-FLV request target, split by the same
// target splitting and route pattern the server's router uses. Pure
// functions, so the fuzz targets (tests/fuzz) exercise exactly that code.
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/config.hpp"
#include "http/request_limits.hpp"
#include "http/route_set.hpp"
#include "media/stream_name.hpp"

namespace sluice::http {

// The HTTP-FLV route (http/path_pattern.hpp): app up to the first '/', the
// stream the rest without ".flv"; either may be empty (refused as a bad name).
inline constexpr std::string_view kFlvRoute = "/{app}/{stream*}.flv";

using RequestParser = boost::beast::http::request_parser<boost::beast::http::string_body>;
// The media listener's limits: header kRequestHeaderLimit, no body.
void apply_request_limits(RequestParser& parser);

// "/{app}/{stream}.flv[?query]", split. kMalformed: not an origin-form target
// (400); kOther: any other path (404).
struct PlayTarget {
  enum class Kind { kMalformed, kOther, kFlv };
  Kind kind = Kind::kMalformed;
  std::string app;
  std::string stream;
  std::string query;  // encoded, without '?'
};
PlayTarget parse_play_target(std::string_view request_target);

// "example.com:8080" → "example.com"; "[::1]:8080" → "::1".
std::string host_without_port(std::string_view host);

// The stream an HTTP play request (HTTP-FLV, HLS) names: `app` and `stream`
// from its path, the vhost from its Host header or ?vhost= / ?domain=, by
// media::resolve's rules.
media::Resolution resolve_play(const config::Config& config, std::string_view host_header,
                               std::string_view app, std::string_view stream,
                               std::string_view query);
// The request's headers, in order, for the access gate (its hooks see them).
std::vector<std::pair<std::string, std::string>> request_headers(const Request& request);

}  // namespace sluice::http
