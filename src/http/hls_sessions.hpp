#pragma once
// The HLS viewers of one media executor, and the segmenters they read.
//
// HLS has no connection per viewer, so a viewer is a session: the first
// playlist request the access gate admits opens one and names it with an
// `hls_ctx` the player carries on every later request (the redirect SRS
// uses too). A session counts as its stream's viewer (and keeps the stream
// through the publisher's grace, as a connected viewer does), reports its
// play's end like every other viewer (PlayEnded: left when it stops asking
// for session_timeout, stream ended, server shutdown), and is what makes a
// segment request legitimate, so play auth and hooks cannot be bypassed by
// guessing segment URLs.
//
// A stream's segmenter of its vhost's flavour (hls_flavour_of) is attached when
// its publish starts, unless hls.on_demand, so the first viewer finds a full
// window; the other flavour's (and, on demand, both) when the first session
// asks for it. They are detached once the stream is gone and no session
// reads them (on demand: when the stream's last session is gone).
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "config/config.hpp"
#include "hls/ll_playlist.hpp"
#include "hls/ll_segmenter.hpp"
#include "hls/ts_segmenter.hpp"
#include "manage/access_decision.hpp"
#include "manage/lifecycle_events.hpp"
#include "media/registry.hpp"
#include "media/stream_attachment.hpp"

namespace sluice::http {

class HlsSessions {
 public:
  using Clock = std::chrono::steady_clock;

  struct Session;

  // `registry` and `events` are the media executor's, like this.
  HlsSessions(boost::asio::any_io_executor executor, const config::Config& config,
              media::Registry& registry, manage::LifecycleEvents& events);
  ~HlsSessions();
  HlsSessions(const HlsSessions&) = delete;
  HlsSessions& operator=(const HlsSessions&) = delete;

  // Starts the sweep that ends idle sessions.
  void start();
  // Ends every session (server shutdown).
  void stop();

  // A session for an admitted play; returns its id (the hls_ctx).
  std::string open(manage::AccessDecision decision, const media::StreamKey& key);
  // The live session `id` when it plays `app`/`stream` (the names of a
  // player's every request after its first), marked as seen now; null when
  // there is none. The session is the authority for its vhost, so the
  // request's names are not resolved again.
  Session* find_named(std::string_view id, std::string_view app, std::string_view stream);
  static const media::StreamKey& key_of(const Session& session);
  // The segmenter of the session's stream (attached on first use).
  std::shared_ptr<hls::TsSegmenter> segmenter(Session& session);
  // The LL-HLS segmenter of the session's stream (attached on first use).
  std::shared_ptr<hls::LlSegmenter> ll_segmenter(Session& session);
  // The LL-HLS playlist cache of the session's stream (hls/ll_playlist.hpp).
  std::shared_ptr<hls::LlPlaylistCache> ll_playlists(Session& session);
  void count_bytes(Session& session, uint64_t bytes);

  size_t size() const { return sessions_.size(); }

 private:
  struct Segmenter {
    std::weak_ptr<media::Stream> stream;
    std::shared_ptr<hls::TsSegmenter> segmenter;
    media::StreamAttachment attached;
    std::shared_ptr<hls::LlSegmenter> ll;
    media::StreamAttachment ll_attached;
    std::shared_ptr<hls::LlPlaylistCache> ll_playlists;
  };
  // The entry of `stream`, emptied when the stream was replaced.
  Segmenter& entry_of(const media::StreamKey& key, const std::shared_ptr<media::Stream>& stream);
  std::shared_ptr<hls::TsSegmenter> ts_segmenter_of(const media::StreamKey& key,
                                                    const std::shared_ptr<media::Stream>& stream);
  std::shared_ptr<hls::LlSegmenter> ll_segmenter_of(const media::StreamKey& key,
                                                    const std::shared_ptr<media::Stream>& stream);
  void publish_started(const media::StreamKey& key);

  void schedule_sweep();
  void sweep();
  void end(const std::string& id, manage::PlayEnd reason);
  void drop_unused_segmenters();

  boost::asio::any_io_executor executor_;
  const config::Config& config_;
  media::Registry& registry_;
  manage::LifecycleEvents& events_;
  manage::EventSubscription publishes_;
  boost::asio::steady_timer sweep_timer_;
  std::map<std::string, std::unique_ptr<Session>, std::less<>> sessions_;
  std::map<media::StreamKey, Segmenter> segmenters_;
  bool stopped_ = false;
};

}  // namespace sluice::http
