#pragma once
// The web console on the API listener (same origin as the API, so the
// browser signs its API calls and needs no CORS):
//   GET|HEAD /console             301 to /console/
//   GET|HEAD /console/            index.html
//   GET|HEAD /console/server.json {"version", "media_port", "rtmp_port", "hls", "region",
//                                 "started", "uptime_s"}: what the pages need to build
//                                 push, play and preview URLs, and the Server page
//   GET|HEAD /console/<asset>     an embedded file (console_assets.hpp), else 404
// The files are static and public, so they are not signed; every API call the
// pages make is (the secret key stays in the browser). Because that key lives
// in the page, every answer carries a strict Content-Security-Policy.
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "http/route_set.hpp"

namespace sluice::console {

struct ConsoleSettings {
  uint16_t media_port = 0;  // the HTTP-FLV listener, for live previews
  uint16_t rtmp_port = 0;   // for the push and play URLs shown
  bool hls = false;         // HLS playlists are served on the media listener
  std::string region;       // the API's signing region, to prefill the login form
  // When the server started (wall clock): server.json gives it and the
  // uptime by the server's own clock, so a browser's clock does not skew it.
  std::chrono::system_clock::time_point started{};
};

void add_console_routes(http::RouteSet& routes, ConsoleSettings settings);

// By file extension; application/octet-stream when unknown.
std::string_view content_type_for(std::string_view name);

// The policy for a page requested with this Host header: the console's own
// origin only, plus the media listener on the same host name (previews
// fetch HTTP-FLV from it). A Host that is not a plain name or address adds
// nothing.
std::string content_security_policy(std::string_view host_header, uint16_t media_port);

}  // namespace sluice::console
