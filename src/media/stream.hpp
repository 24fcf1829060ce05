#pragma once
// One live stream: at most one publisher, any number of viewers and outputs
// (media::StreamOutput: segmenters, recorders; not viewers).
//
// The stream keeps what a new viewer needs to start at once: the latest
// metadata, the audio and video sequence headers, and the current GOP (the
// frames since the last keyframe). Frames are received once and handed to
// every viewer by shared pointer; viewers queue and never block the publisher.
#include <array>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "media/frame.hpp"
#include "media/stream_attachment.hpp"
#include "media/stream_key.hpp"
#include "media/stream_output.hpp"
#include "media/subscriber.hpp"
#include "media/timeline.hpp"

namespace sluice::media {

// Why a publisher is disconnected from outside its session.
enum class DisconnectCause { kKilled, kForbidden };

// Who is publishing, for listings and for ending the session from outside.
struct PublisherInfo {
  int64_t publish_id = 0;  // the online stream's ID, stable for the session
  std::string client_address;
  std::string domain;
  std::string source_type = "push";
  std::chrono::system_clock::time_point started_at;
  // Ends the publish at once (the stream is free to be published again
  // when this returns) and disconnects the session.
  std::function<void(DisconnectCause cause)> disconnect;
};

// The tracks a publish carries. Known once its first audio or video frame
// (not a sequence header) arrives: encoders send every track's sequence
// header before the first frame, so a track not seen by then is absent.
// A track that starts later is still forwarded; it is just not announced
// to viewers who started before it (the HTTP-FLV header's flags).
struct Tracks {
  bool audio = false;
  bool video = false;
};

struct StreamStats {
  uint64_t bytes_in = 0;
  uint64_t frames_in = 0;
  uint64_t video_frames_in = 0;
  uint64_t audio_frames_in = 0;
  uint64_t timestamps_corrected = 0;  // frames whose time went back (media::Timeline)
  // Bytes written to its viewers (RTMP, HTTP-FLV, HLS), as their sessions report them.
  uint64_t bytes_out = 0;
};

class Stream : public std::enable_shared_from_this<Stream> {
 public:
  // Told which stream went idle, not just its name: a stream can outlive its
  // registration (a viewer closed after the grace leaves it later), and by
  // then the name may belong to a successor.
  using IdleHandler = std::function<void(const Stream&)>;

  Stream(StreamKey key, const config::MediaConfig& config, boost::asio::any_io_executor executor,
         IdleHandler on_idle);

  const StreamKey& key() const { return key_; }
  bool publishing() const { return publisher_.has_value(); }
  const PublisherInfo* publisher() const { return publisher_ ? &*publisher_ : nullptr; }
  const StreamStats& stats() const { return stats_; }
  // A viewer's session wrote `bytes` of this stream to its player.
  void count_sent(uint64_t bytes) { stats_.bytes_out += bytes; }
  size_t viewer_count() const { return viewers_.size(); }
  // The current publisher's decoder configurations, parsed from its latest
  // sequence headers; null before one arrives or when it did not parse.
  const VideoConfigPtr& video_config() const { return video_config_; }
  const AudioConfigPtr& audio_config() const { return audio_config_; }
  // The current publish's tracks; empty until they are known (see Tracks).
  std::optional<Tracks> tracks() const {
    return tracks_settled_ ? std::optional(tracks_) : std::nullopt;
  }

  void begin_publish(PublisherInfo info);
  void end_publish();
  // `timestamp` is the publisher's RTMP time; viewers get it on the
  // stream's monotonic timeline (media::Timeline).
  void publish(FrameKind kind, uint32_t timestamp, Bytes payload);

  // Adds a viewer; if the stream is live it gets metadata, sequence headers
  // and the cached GOP at once. The viewer stays until the returned guard is
  // destroyed or reset (or the stream closes its viewers).
  StreamAttachment add_viewer(const std::shared_ptr<Subscriber>& viewer);
  // Adds an output; if the stream is live it is told the publish started and
  // gets metadata, sequence headers and the cached GOP at once. It stays
  // until the guard goes, across republishes, but does not keep the stream
  // alive (see StreamOutput).
  StreamAttachment attach_output(const std::shared_ptr<StreamOutput>& output);
  size_t output_count() const { return outputs_.size(); }

 private:
  friend class StreamAttachment;
  void remove_viewer(const Subscriber* viewer);
  void detach_output(const StreamOutput* output);
  template <typename Receiver>
  void replay_cache_to(Receiver& receiver) const;
  void cache(const FramePtr& frame);
  // Records the frame's track; true when it settles the publish's tracks.
  bool note_track(const Frame& frame);
  void mark_metadata_of_single_track();
  void report_time_went_back(FrameKind kind, uint32_t timestamp, const Placement& placed);
  // The configuration a new sequence header carries: the current one again
  // when the publisher repeats the same bytes, else parsed (once).
  FrameConfig config_of(FrameKind kind, std::span<const uint8_t> payload);
  void close_viewers();
  void notify_if_idle();

  StreamKey key_;
  const config::MediaConfig& config_;
  IdleHandler on_idle_;
  boost::asio::steady_timer grace_timer_;

  std::optional<PublisherInfo> publisher_;
  std::vector<std::shared_ptr<Subscriber>> viewers_;
  std::vector<std::shared_ptr<StreamOutput>> outputs_;
  StreamStats stats_;

  FramePtr metadata_;
  FramePtr video_header_;
  FramePtr audio_header_;
  VideoConfigPtr video_config_;
  AudioConfigPtr audio_config_;
  static constexpr uint8_t kConfigLinesPerPublish = 4;
  std::array<uint8_t, 2> config_lines_logged_{};  // video, audio
  std::vector<FramePtr> gop_;
  uint64_t gop_bytes_ = 0;
  Tracks tracks_;  // seen so far in this publish
  bool tracks_settled_ = false;
  // metadata_ carries the absent track's mark (media/metadata.hpp).
  bool metadata_marked_ = false;

  // Output timestamps stay monotonic across wrap-around, publishers going
  // back in time, and a publisher leaving and returning, so players that
  // stayed through the grace period do not see time jump back to zero.
  Timeline timeline_;
  bool time_went_back_reported_ = false;  // once per publish, not per frame
};

}  // namespace sluice::media
