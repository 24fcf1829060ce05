#pragma once
// What the playback listener reads from a request, apart from the socket:
// the parser's limits and the HTTP-FLV request target. Pure functions, so the
// fuzz targets (tests/fuzz) exercise exactly what HttpSession runs.
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <cstddef>
#include <string>
#include <string_view>

#include "http/request_limits.hpp"

namespace sluice::http {

using RequestParser = boost::beast::http::request_parser<boost::beast::http::empty_body>;
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

}  // namespace sluice::http
