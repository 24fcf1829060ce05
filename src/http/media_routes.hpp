#pragma once
// The media HTTP listener's routes: HTTP-FLV playback (http/flv_playback.hpp)
// and a CORS preflight answer on every path; later HLS. Its own answers
// (404, 405, 400, 431) are text/plain with the CORS headers.
#include "http/route_set.hpp"
#include "net/server_context.hpp"

namespace sluice::http {

// `context` must outlive the route set.
RouteSet media_routes(ServerContext& context);

}  // namespace sluice::http
