#pragma once
// One viewer of a live stream: an RTMP, HTTP-FLV or HLS player. The
// coroutine runs until the connection ends or its io_context stops; what it
// sees goes into `stats` (owned by the caller, outliving the coroutine).
#include <boost/asio/awaitable.hpp>
#include <optional>

#include "session_stats.hpp"
#include "target.hpp"

namespace sluice::load {

// What a viewer does besides reading as fast as media arrives.
struct PlayerBehaviour {
  // From this moment on the viewer stops reading, like a player whose network
  // or decoder has stalled, and only watches whether the server drops it.
  std::optional<Clock::time_point> stop_reading_at;
  // SO_RCVBUF before connecting. A stalled viewer with the kernel's autotuned
  // buffer (up to net.ipv4.tcp_rmem's max, 32 MiB here) would soak up minutes
  // of media before the server noticed anything.
  std::optional<int> receive_buffer_bytes;
};

// Plain handshake, connect / createStream / play, Acknowledgements and Ping
// responses as a real player sends them; media is counted, not copied.
boost::asio::awaitable<void> run_rtmp_player(const Target& target, SessionStats& stats,
                                             const PlayerBehaviour& behaviour = {});

// HTTP/1.1 GET of /app/stream.flv; chunked (or close-delimited) FLV body.
boost::asio::awaitable<void> run_http_flv_player(const Target& target, SessionStats& stats,
                                                 const PlayerBehaviour& behaviour = {});

// How an HLS viewer follows the playlist: classic HLS (hls_player.cpp:
// timed reloads, whole MPEG-TS segments) or Low-Latency HLS
// (ll_hls_player.cpp: blocking reloads, fMP4 parts).
enum class HlsMode { kClassic, kLowLatency };

// GET of /app/stream.m3u8 (following redirects), then a live player's
// reloads and fetches in `mode`.
boost::asio::awaitable<void> run_hls_player(const Target& target, SessionStats& stats,
                                            HlsMode mode = HlsMode::kClassic);

// The LL-HLS viewer (hls.js in low-latency mode): starts PART-HOLD-BACK from
// the live edge and fetches every new part as it appears; see ll_hls_player.cpp.
boost::asio::awaitable<void> run_ll_hls_player(const Target& target, SessionStats& stats);

}  // namespace sluice::load
