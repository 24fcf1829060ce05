// The LL-HLS viewer of `sluice-load play URL.m3u8 --hls ll`, after hls.js in
// low-latency mode (draft-pantos-hls-rfc8216bis 6.3): load the playlist,
// fetch its init section (EXT-X-MAP), start PART-HOLD-BACK from the live
// edge (ll_part_cursor.hpp), fetch every listed part from there on, in
// order, then follow the live edge:
//  - when the playlist's preload hint is the next part, request it at once
//    (the server holds it until the part exists), then reload the playlist
//    blocking on that part (_HLS_msn/_HLS_part: answered at once, and it
//    names the next hint). On one HTTP/1.1 connection the two go one after
//    the other; a player on HTTP/2 would send them together.
//  - otherwise (no hint, or the hinted part never came: its segment ended
//    first) reload blocking on the next part, then fetch it.
// A reload that brought nothing new (the server gave up waiting: the
// publisher is gone) is followed by a pause of half a part target before
// the next, as hls.js does, instead of asking again at once.
// Every part is scanned for its video samples (fmp4_scanner.hpp).
#include <fmt/format.h>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "base/errors.hpp"
#include "fmp4_scanner.hpp"
#include "hls_connection.hpp"
#include "ll_part_cursor.hpp"
#include "player.hpp"
#include "received_media.hpp"
#include "wallclock_sei.hpp"

namespace sluice::load {
namespace {

namespace asio = boost::asio;

class LlHlsPlayer {
 public:
  LlHlsPlayer(const Target& target, SessionStats& stats)
      : stats_(stats), connection_(target, stats) {}

  asio::awaitable<void> run() {
    co_await connection_.play([this] { return follow(); });
  }

 private:
  asio::awaitable<void> follow() {
    auto playlist = co_await connection_.load_playlist();
    const auto start = ll_start_part(playlist);
    if (!start || !playlist.can_block_reload)
      throw ProtocolError("not an LL-HLS playlist (no EXT-X-PART, or no CAN-BLOCK-RELOAD)");
    next_ = *start;
    asio::steady_timer timer(co_await asio::this_coro::executor);
    for (;;) {
      co_await load_init(playlist);
      bool progressed = co_await fetch_listed(playlist);
      if (playlist.ended) {
        stats_.end("stream_ended");
        co_return;
      }
      PartId reload_on = next_;
      const auto& hint = playlist.preload_hint;
      if (hint && PartId{hint->msn, hint->index} == next_) {
        const bool came = co_await fetch_part(hint->uri, /*missing_ok=*/true);
        if (came) next_.index++;
        progressed = progressed || came;
      }
      if (!progressed) {
        timer.expires_after(std::chrono::duration_cast<Clock::duration>(
            std::chrono::duration<double>(playlist.part_target_s.value_or(0.2) / 2)));
        co_await timer.async_wait(asio::use_awaitable);
      }
      playlist = co_await connection_.load_playlist(
          fmt::format("_HLS_msn={}&_HLS_part={}", reload_on.msn, reload_on.index));
    }
  }

  // The init section of the live edge, fetched again when it changes (a
  // republish or a new codec configuration).
  asio::awaitable<void> load_init(const MediaPlaylist& playlist) {
    if (playlist.map_uri.empty()) throw ProtocolError("LL-HLS playlist without EXT-X-MAP");
    if (playlist.map_uri == map_uri_) co_return;
    const auto response = co_await connection_.fetch(playlist.map_uri, "init section");
    std::string error;
    video_ = parse_fmp4_init(response->body(), error);
    if (!video_) throw ProtocolError(error);
    map_uri_ = playlist.map_uri;
  }

  // Whether there was anything new.
  asio::awaitable<bool> fetch_listed(const MediaPlaylist& playlist) {
    next_ = ll_next_part(next_, playlist);
    bool any = false;
    for (const auto& part : playlist.parts) {
      if (PartId{part.msn, part.index} < next_) continue;
      co_await fetch_part(part.uri, /*missing_ok=*/false);
      next_ = ll_next_part({part.msn, part.index + 1}, playlist);
      any = true;
    }
    co_return any;
  }

  // False when `missing_ok` and the server answered 404.
  asio::awaitable<bool> fetch_part(const std::string& uri, bool missing_ok) {
    const auto response = co_await connection_.fetch(uri, "part", missing_ok);
    if (!response) co_return false;
    const auto now = Clock::now();
    ReceivedMedia received(stats_, now, wall_clock_us());
    std::string error;
    if (!scan_fmp4_fragment(response->body(), *video_, std::ref(received), error))
      throw ProtocolError(error);
    stats_.mark(Milestone::kFirstSegment, now);
    stats_.on_part();
    co_return true;
  }

  SessionStats& stats_;
  HlsConnection connection_;
  std::string map_uri_;
  std::optional<Fmp4VideoTrack> video_;
  PartId next_;
};

}  // namespace

asio::awaitable<void> run_ll_hls_player(const Target& target, SessionStats& stats) {
  LlHlsPlayer player(target, stats);
  co_await player.run();
}

}  // namespace sluice::load
