#pragma once
// The LL-HLS routes of the media listener (README, "LL-HLS"), for a session
// the playlist route opened:
//   GET /{app}/{stream}.m3u8?hls=ll     the playlist (blocking reload with
//                                       _HLS_msn/_HLS_part, delta with _HLS_skip)
//   GET /{app}/{stream}.init{gen}.mp4   the init section (EXT-X-MAP)
//   GET /{app}/{stream}.{msn}.m4s       a segment
//   GET /{app}/{stream}.{msn}_{part}.m4s a part (held until it exists when
//                                       it is the next one: the preload hint)
#include <boost/asio/awaitable.hpp>

#include "http/hls_sessions.hpp"
#include "http/query_lookup.hpp"
#include "http/route_set.hpp"
#include "net/server_context.hpp"

namespace sluice::http {

inline constexpr std::string_view kLlMediaRoute = "/{app}/{stream*}.m4s";
inline constexpr std::string_view kLlInitRoute = "/{app}/{stream*}.mp4";

boost::asio::awaitable<Response> serve_ll_playlist(ServerContext& context, HlsSessions& sessions,
                                                   HlsSessions::Session& session,
                                                   const QueryLookup& query,
                                                   const RequestContext& request);
boost::asio::awaitable<Response> serve_ll_media(ServerContext& context, HlsSessions& sessions,
                                                const RequestContext& request);
boost::asio::awaitable<Response> serve_ll_init(ServerContext& context, HlsSessions& sessions,
                                               const RequestContext& request);

}  // namespace sluice::http
