#pragma once
// The HLS routes of the media listener (README, "HLS"):
//   GET /{app}/{stream}.m3u8          the media playlist
//   GET /{app}/{stream}.{seq}.ts      one segment
// The vhost is resolved from Host, ?vhost= or ?domain= exactly as for
// HTTP-FLV. A playlist request without a session is admitted by the access
// gate (play auth, hooks) and redirected (302) to the same URL with an
// `hls_ctx` naming its new session; segments are served only to a session.
#include <boost/asio/awaitable.hpp>

#include "http/hls_sessions.hpp"
#include "http/route_set.hpp"
#include "net/server_context.hpp"

namespace sluice::http {

inline constexpr std::string_view kHlsPlaylistRoute = "/{app}/{stream*}.m3u8";
inline constexpr std::string_view kHlsSegmentRoute = "/{app}/{stream*}.ts";

boost::asio::awaitable<Response> serve_hls_playlist(ServerContext& context, HlsSessions& sessions,
                                                    const RequestContext& request);
boost::asio::awaitable<Response> serve_hls_segment(ServerContext& context, HlsSessions& sessions,
                                                   const RequestContext& request);

}  // namespace sluice::http
