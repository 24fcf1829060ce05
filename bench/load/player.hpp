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

// How an HLS viewer follows the playlist (hls_player.cpp). Only classic HLS
// today; LL-HLS (blocking reloads, parts) is meant to be added here.
enum class HlsMode { kClassic };

// GET of /app/stream.m3u8 (following redirects), then a live player's
// reloads and one fetch of every new segment; see hls_player.cpp.
boost::asio::awaitable<void> run_hls_player(const Target& target, SessionStats& stats,
                                            HlsMode mode = HlsMode::kClassic);

}  // namespace sluice::load
