#pragma once
// CORS on the media listener: players on any web page may fetch streams.
// Every answer allows any origin; the methods and headers a request may use
// are said in the preflight answer only, the one place browsers read them
// (Fetch standard, "CORS-preflight fetch"). HTTP-FLV writes the same line
// itself (http/flv_playback.cpp).
#include <boost/beast/http/field.hpp>

#include "http/route_set.hpp"

namespace sluice::http {

inline void add_cors(Response& response) {
  response.set(boost::beast::http::field::access_control_allow_origin, "*");
}

// The answer to an OPTIONS preflight, cached by the browser for a day.
inline void add_cors_preflight(Response& response) {
  namespace bhttp = boost::beast::http;
  add_cors(response);
  response.set(bhttp::field::access_control_allow_methods, "GET, HEAD, OPTIONS");
  response.set(bhttp::field::access_control_allow_headers, "*");
  response.set(bhttp::field::access_control_max_age, "86400");
}

}  // namespace sluice::http
