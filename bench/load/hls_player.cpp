// The HLS viewer of `sluice-load play URL.m3u8`: a player that follows a
// live media playlist the way RFC 8216 section 6.3 asks (and hls.js,
// AVPlayer do): load the playlist (following a redirect, such as sluice's to
// its hls_ctx session URL), start three segments from the live edge, fetch
// every new segment once, in order, over one keep-alive connection, and
// reload the playlist one target duration after the last load began when it
// had changed, half of one when it had not.
//
// Only classic HLS is played today. LL-HLS is a second reload policy
// (blocking reloads with _HLS_msn/_HLS_part, fetching parts instead of
// whole segments) on the same connection, fetch and scanning code: a new
// `HlsMode` and its `next_load` step.
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/vector_body.hpp>
#include <boost/beast/http/write.hpp>

#include "base/errors.hpp"
#include "media_playlist.hpp"
#include "player.hpp"
#include "ts_scanner.hpp"
#include "wallclock_sei.hpp"

namespace sluice::load {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;

constexpr uint64_t kMaxBody = 64 * 1024 * 1024;
constexpr int kMaxRedirects = 5;
constexpr size_t kStartSegmentsFromEnd = 3;  // RFC 8216 6.3.3

using Body = http::vector_body<uint8_t>;

class HlsPlayer {
 public:
  HlsPlayer(const Target& target, SessionStats& stats, HlsMode mode)
      : target_(target),
        stats_(stats),
        mode_(mode),
        authority_("127.0.0.1:" + std::to_string(target.port)) {}

  asio::awaitable<void> run() {
    socket_.emplace(co_await asio::this_coro::executor);
    stats_.mark(Milestone::kStart, Clock::now());
    try {
      co_await connect();
      stats_.mark(Milestone::kConnected, Clock::now());
      co_await follow();
    } catch (const boost::system::system_error& e) {
      stats_.fail(stats_.has(Milestone::kConnected) ? "conn:" + e.code().message()
                                                    : "connect:" + e.code().message());
    } catch (const ProtocolError& e) {
      stats_.fail(std::string("protocol:") + e.what());
    }
  }

 private:
  asio::awaitable<void> connect() {
    socket_->close();
    co_await socket_->async_connect({asio::ip::make_address(target_.host), target_.port},
                                    asio::use_awaitable);
    buffer_.clear();
  }

  // One GET on the keep-alive connection (reconnecting when the server closed it).
  asio::awaitable<http::response<Body>> get(const std::string& path) {
    if (!socket_->is_open()) co_await connect();
    http::request<http::empty_body> request{http::verb::get, path, 11};
    request.set(http::field::host, authority_);
    request.set(http::field::user_agent, "sluice-load");
    co_await http::async_write(*socket_, request, asio::use_awaitable);
    stats_.mark(Milestone::kRequestSent, Clock::now());
    http::response_parser<Body> parser;
    parser.body_limit(kMaxBody);
    co_await http::async_read(*socket_, buffer_, parser, asio::use_awaitable);
    auto response = parser.release();
    if (!response.keep_alive()) socket_->close();
    co_return response;
  }

  // The playlist, following redirects; its final request target is kept.
  asio::awaitable<MediaPlaylist> load_playlist() {
    for (int hop = 0;; ++hop) {
      auto response = co_await get(playlist_path_);
      const auto status = response.result_int();
      if (status >= 300 && status < 400 && hop < kMaxRedirects) {
        auto next = resolve_reference(playlist_path_, response[http::field::location], authority_);
        if (!next) throw ProtocolError("redirect off this server");
        playlist_path_ = *next;
        continue;
      }
      if (status != 200) throw ProtocolError("playlist http " + std::to_string(status));
      stats_.mark(Milestone::kPlayStart, Clock::now());
      stats_.add_bytes(response.body().size());
      std::string error;
      auto playlist = parse_media_playlist(
          {reinterpret_cast<const char*>(response.body().data()), response.body().size()}, error);
      if (!playlist) throw ProtocolError(error);
      co_return std::move(*playlist);
    }
  }

  asio::awaitable<void> fetch_segment(const PlaylistSegment& segment) {
    auto path = resolve_reference(playlist_path_, segment.uri, authority_);
    if (!path) throw ProtocolError("segment off this server");
    auto response = co_await get(*path);
    if (response.result_int() != 200)
      throw ProtocolError("segment http " + std::to_string(response.result_int()));
    const auto now = Clock::now();
    const int64_t wall_us = wall_clock_us();
    const auto& body = response.body();
    stats_.add_bytes(body.size());
    bool first = true;
    const bool ts = scan_ts_segment(body, [&](const TsAccessUnit& unit) {
      if (unit.pts_ms) {
        const uint8_t head[2] = {uint8_t(unit.keyframe ? 0x17 : 0x27), 0x01};
        stats_.on_media(9, static_cast<uint32_t>(*unit.pts_ms), head, now);
      }
      if (unit.stamp_us) {
        stats_.on_latency(static_cast<double>(wall_us - *unit.stamp_us) / 1000.0, first);
        first = false;
      }
    });
    if (!ts) throw ProtocolError("segment is not MPEG-TS");
    stats_.mark(Milestone::kFirstSegment, now);
    stats_.on_segment();
  }

  asio::awaitable<void> follow() {
    playlist_path_ = target_.http_path();
    asio::steady_timer timer(socket_->get_executor());
    for (;;) {
      const auto load_began = Clock::now();
      const auto playlist = co_await load_playlist();
      if (!next_sequence_) {
        const auto& s = playlist.segments;
        next_sequence_ = s.size() > kStartSegmentsFromEnd
                             ? s[s.size() - kStartSegmentsFromEnd].sequence
                         : s.empty() ? 0
                                     : s.front().sequence;
      }
      bool changed = false;
      for (const auto& segment : playlist.segments) {
        if (segment.sequence < *next_sequence_) continue;
        co_await fetch_segment(segment);
        next_sequence_ = segment.sequence + 1;
        changed = true;
      }
      if (playlist.ended) {
        stats_.end("stream_ended");
        co_return;
      }
      timer.expires_at(load_began + next_load(playlist, changed));
      co_await timer.async_wait(asio::use_awaitable);
    }
  }

  // RFC 8216 6.3.4: reload one target duration after the last load began
  // when the playlist changed, half of one when it did not.
  Clock::duration next_load(const MediaPlaylist& playlist, bool changed) const {
    switch (mode_) {
      case HlsMode::kClassic:
        break;
    }
    const double s = playlist.target_duration_s * (changed ? 1.0 : 0.5);
    return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
  }

  const Target& target_;
  SessionStats& stats_;
  HlsMode mode_;
  std::string authority_;
  std::optional<tcp::socket> socket_;
  beast::flat_buffer buffer_;
  std::string playlist_path_;
  std::optional<uint64_t> next_sequence_;
};

}  // namespace

asio::awaitable<void> run_hls_player(const Target& target, SessionStats& stats, HlsMode mode) {
  HlsPlayer player(target, stats, mode);
  co_await player.run();
}

}  // namespace sluice::load
