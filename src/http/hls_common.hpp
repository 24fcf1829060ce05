#pragma once
// What the HLS routes (classic and LL) share: answers with CORS headers, the
// session parameter (hls_ctx), and resolving a request's stream.
#include <string>
#include <string_view>

#include "config/config.hpp"
#include "http/query_lookup.hpp"
#include "http/route_set.hpp"
#include "media/stream_name.hpp"
#include "net/server_context.hpp"

namespace sluice::http {

inline constexpr std::string_view kSessionParam = "hls_ctx";

Response hls_response(unsigned status, std::string_view content_type, std::string body);
// A plain-text answer (errors, the redirect), never cached.
Response hls_text(unsigned status, std::string message);
// The session a request names with its hls_ctx (empty: none).
std::string_view session_param(const QueryLookup& query);
media::Resolution resolve_hls(ServerContext& context, const RequestContext& r,
                              std::string_view stream);
// Why a segment, part or init request names no session of `stream`: 400 when
// its names do not resolve, else 403.
Response no_session(ServerContext& context, const RequestContext& r, std::string_view stream);
// The last path segment of the request target without its extension: the
// name segment URIs are relative to ("cam" of "/live/cam.m3u8").
std::string playlist_base_name(std::string_view target);

// The flavour a playlist request asks for: ?hls=ts|ll, else the one
// configured for `vhost` (its hls_flavour, else hls.flavour); empty for any
// other value.
std::string requested_flavour(const config::Config& config, std::string_view vhost,
                              const QueryLookup& query);

}  // namespace sluice::http
