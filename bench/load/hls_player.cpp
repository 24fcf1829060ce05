// The classic HLS viewer of `sluice-load play URL.m3u8`: a player that
// follows a live media playlist the way RFC 8216 section 6.3 asks (and
// hls.js, AVPlayer do): load the playlist (hls_connection.hpp), start three
// segments from the live edge, fetch every new segment once, in order, over
// one keep-alive connection, and reload the playlist one target duration
// after the last load began when it had changed, half of one when it had
// not. The LL-HLS viewer is ll_hls_player.cpp.
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "base/errors.hpp"
#include "hls_connection.hpp"
#include "player.hpp"
#include "received_media.hpp"
#include "ts_scanner.hpp"
#include "wallclock_sei.hpp"

namespace sluice::load {
namespace {

namespace asio = boost::asio;

constexpr size_t kStartSegmentsFromEnd = 3;  // RFC 8216 6.3.3

class HlsPlayer {
 public:
  HlsPlayer(const Target& target, SessionStats& stats)
      : stats_(stats), connection_(target, stats) {}

  asio::awaitable<void> run() {
    co_await connection_.play([this] { return follow(); });
  }

 private:
  asio::awaitable<void> fetch_segment(const PlaylistSegment& segment) {
    const auto response = co_await connection_.fetch(segment.uri, "segment");
    const auto now = Clock::now();
    ReceivedMedia received(stats_, now, wall_clock_us());
    if (!scan_ts_segment(response->body(), std::ref(received)))
      throw ProtocolError("segment is not MPEG-TS");
    stats_.mark(Milestone::kFirstSegment, now);
    stats_.on_segment();
  }

  asio::awaitable<void> follow() {
    asio::steady_timer timer(co_await asio::this_coro::executor);
    for (;;) {
      const auto load_began = Clock::now();
      const auto playlist = co_await connection_.load_playlist();
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
  static Clock::duration next_load(const MediaPlaylist& playlist, bool changed) {
    const double s = playlist.target_duration_s * (changed ? 1.0 : 0.5);
    return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
  }

  SessionStats& stats_;
  HlsConnection connection_;
  std::optional<uint64_t> next_sequence_;
};

}  // namespace

asio::awaitable<void> run_hls_player(const Target& target, SessionStats& stats, HlsMode mode) {
  if (mode == HlsMode::kLowLatency) {
    co_await run_ll_hls_player(target, stats);
    co_return;
  }
  HlsPlayer player(target, stats);
  co_await player.run();
}

}  // namespace sluice::load
