#pragma once
// The CORS headers of every answer on the media listener (HTTP-FLV writes
// the same three lines itself, http/flv_playback.cpp): players on any web
// page may fetch streams.
#include <boost/beast/http/field.hpp>

#include "http/route_set.hpp"

namespace sluice::http {

inline void add_cors(Response& response) {
  namespace bhttp = boost::beast::http;
  response.set(bhttp::field::access_control_allow_origin, "*");
  response.set(bhttp::field::access_control_allow_methods, "GET, HEAD, OPTIONS");
  response.set(bhttp::field::access_control_allow_headers, "*");
}

}  // namespace sluice::http
