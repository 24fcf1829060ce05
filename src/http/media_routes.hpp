#pragma once
// The media HTTP listener's routes: HTTP-FLV playback (http/flv_playback.hpp)
// HLS (http/hls_playback.hpp, when hls.enabled) and a CORS preflight answer
// on every path. Its own answers
// (404, 405, 400, 431) are text/plain with the CORS headers.
#include "http/hls_sessions.hpp"
#include "http/route_set.hpp"
#include "net/server_context.hpp"

namespace sluice::http {

// `context` and `hls` must outlive the route set.
RouteSet media_routes(ServerContext& context, HlsSessions& hls);

}  // namespace sluice::http
