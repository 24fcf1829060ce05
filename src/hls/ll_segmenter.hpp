#pragma once
// Low-Latency HLS (draft-pantos-hls-rfc8216bis) for one live stream, built
// in memory: a stream output that cuts the publisher's frames into fMP4
// (CMAF) partial segments of about `part_target`, each one moof + mdat with
// one traf per track, and groups them into segments that start at keyframes.
// A segment's bytes are its parts' bytes one after another, so parts and
// segments share one copy, built once and shared by reference by every
// viewer.
//
// Timing: a sample's duration is the distance to the next frame of its track
// (so each track holds back one frame until the next arrives). A part is
// closed before the frame of the leading track (video, or audio in an
// audio-only stream) that would make it last longer than the part target; a
// segment is closed at the first keyframe at least `target_duration` after
// its start, and its parts with it. A part that starts with a keyframe is
// INDEPENDENT. The init section comes from the sequence headers seen before
// the first coded frame; a republish or a new configuration starts a new
// init (a new generation, so its URI changes) and a segment marked
// EXT-X-DISCONTINUITY.
//
// Runs on the stream's thread, like every output.
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/wall_time.hpp"
#include "fmp4/fragment.hpp"
#include "hls/target_duration.hpp"
#include "hls/waiters.hpp"
#include "media/stream_output.hpp"

namespace sluice::hls {

struct LlLimits {
  std::chrono::milliseconds target_duration{1000};
  std::chrono::milliseconds part_target{200};
  size_t window_segments = 7;
  // The window (parts of the open segment included) stays under this many
  // bytes; the oldest segments go first, the newest complete one is always kept.
  uint64_t window_bytes = 64 * 1024 * 1024;
};

struct LlPart {
  std::chrono::milliseconds duration{0};
  bool independent = false;  // starts with a keyframe (or audio only)
  media::SharedBytes bytes;
};

struct LlSegment {
  uint64_t sequence = 0;                  // EXT-X-MEDIA-SEQUENCE numbering
  std::chrono::milliseconds duration{0};  // known once the segment is complete
  WallTime program_date_time;             // when its first frame was published
  bool discontinuity = false;
  uint32_t init_generation = 0;  // which init section (EXT-X-MAP) decodes it
  std::vector<LlPart> parts;
  uint64_t bytes = 0;  // its parts' bytes together
};

// Where the live edge is: the part being built (the preload hint).
struct LlEdge {
  uint64_t msn = 0;
  uint64_t part = 0;
};

class LlSegmenter : public media::StreamOutput {
 public:
  explicit LlSegmenter(LlLimits limits);

  void on_publish_start(const media::Stream& stream) override;
  void on_frame(const media::FramePtr& frame) override;
  void on_publish_end() override;

  const LlLimits& limits() const { return limits_; }
  // Complete segments, oldest first.
  const std::deque<LlSegment>& segments() const { return window_; }
  // The segment being built (its parts so far); null between publishes.
  const LlSegment* open_segment() const { return open_ ? &*open_ : nullptr; }
  // The part being built now; meaningful while open_segment() is not null.
  LlEdge edge() const;
  const LlSegment* find_segment(uint64_t sequence) const;  // complete ones only
  const LlPart* find_part(uint64_t sequence, uint64_t part) const;
  media::SharedBytes find_init(uint32_t generation) const;
  // The RFC 6381 CODECS of the current init section.
  const std::string& codecs() const { return codecs_; }
  bool publishing() const { return publishing_; }
  // Counts the calls that may change what the playlist lists (every
  // publish start, frame and end): equal counts, equal playlists.
  uint64_t changes() const { return changes_; }
  uint64_t window_bytes() const { return window_bytes_; }
  uint64_t discontinuity_sequence() const { return discontinuity_sequence_; }
  // EXT-X-TARGETDURATION, seconds: never below the configured target, never lowered.
  uint64_t target_duration_s() const { return target_duration_.seconds(); }

  // Called once (on this thread) when the next part is complete.
  void when_next_part(std::function<void()> callback);

 private:
  uint64_t changes_ = 0;
  struct Track {
    uint32_t id = 0;
    uint32_t timescale = 1000;
    media::FramePtr pending;  // waits for the next frame to know its duration
    uint64_t last_duration_ticks = 0;
    fmp4::TrackRun run;                 // samples of the part being built
    std::vector<media::FramePtr> held;  // what the run's sample data points into
  };

  bool start_init();
  void add_pending(Track& track, uint64_t end_dts);
  void close_part(uint64_t end_dts);
  void close_segment(uint64_t end_dts);
  void start_segment(const media::Frame& first);
  void evict();
  void flush();

  LlLimits limits_;
  bool publishing_ = false;
  media::FramePtr video_header_;
  media::FramePtr audio_header_;
  bool headers_changed_ = false;

  // Set at the first coded frame after the headers (re)appear.
  bool initialized_ = false;
  std::optional<Track> video_;
  std::optional<Track> audio_;
  uint32_t generation_ = 0;
  std::map<uint32_t, media::SharedBytes> inits_;
  std::string codecs_;
  bool next_is_discontinuity_ = false;
  uint32_t fragment_number_ = 0;

  std::optional<LlSegment> open_;
  uint64_t segment_start_dts_ = 0;
  bool part_open_ = false;
  uint64_t part_start_dts_ = 0;
  bool part_independent_ = false;
  // The leading track's last frame, and the interval before it (which
  // predicts the next frame's duration).
  std::optional<uint64_t> lead_last_dts_;
  uint64_t lead_interval_ms_ = 0;

  std::deque<LlSegment> window_;
  uint64_t window_bytes_ = 0;
  uint64_t next_sequence_ = 0;
  uint64_t discontinuity_sequence_ = 0;
  TargetDuration target_duration_;
  Waiters waiters_;
};

}  // namespace sluice::hls
