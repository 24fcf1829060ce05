#pragma once
// Classic HLS (RFC 8216) for one live stream, built in memory: a stream
// output that cuts the publisher's frames into MPEG-TS segments starting at
// keyframes, keeps a sliding window of them, and renders the media playlist.
// Each segment is built once and shared by reference by every viewer, like
// FLV tags are.
//
// Cutting: a segment starts at a video keyframe (any audio frame when the
// stream has no video) and is closed at the first keyframe at least
// `target_duration` after its start, so segment length follows the
// publisher's GOP. The tracks are those whose sequence headers arrived
// before the first coded frame. A republish (within the stream's grace) or a
// changed decoder configuration starts a new segment marked
// EXT-X-DISCONTINUITY, with fresh tables.
//
// Runs on the stream's thread, like every output.
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/wall_time.hpp"
#include "hls/target_duration.hpp"
#include "hls/waiters.hpp"
#include "media/stream_output.hpp"
#include "ts/ts_muxer.hpp"

namespace sluice::hls {

struct SegmenterLimits {
  std::chrono::milliseconds target_duration{2000};
  size_t window_segments = 7;
  // The window also stays under this many bytes (the oldest go first; the
  // newest segment is always kept).
  uint64_t window_bytes = 64 * 1024 * 1024;
};

struct TsSegment {
  uint64_t sequence = 0;  // EXT-X-MEDIA-SEQUENCE numbering
  std::chrono::milliseconds duration{0};
  WallTime program_date_time;  // when its first frame was published
  bool discontinuity = false;  // follows a republish or a new configuration
  media::SharedBytes bytes;
};

class TsSegmenter : public media::StreamOutput {
 public:
  explicit TsSegmenter(SegmenterLimits limits);

  void on_publish_start(const media::Stream& stream) override;
  void on_frame(const media::FramePtr& frame) override;
  void on_publish_end() override;

  // Oldest first.
  const std::deque<TsSegment>& segments() const { return window_; }
  const TsSegment* find(uint64_t sequence) const;
  bool publishing() const { return publishing_; }
  uint64_t window_bytes() const { return window_bytes_; }
  // Segments that left the window with EXT-X-DISCONTINUITY (the playlist's
  // EXT-X-DISCONTINUITY-SEQUENCE).
  uint64_t discontinuity_sequence() const { return discontinuity_sequence_; }
  // EXT-X-TARGETDURATION, seconds: never below the configured target and
  // never lowered, as RFC 8216 4.3.3.1 asks of a live playlist.
  uint64_t target_duration_s() const { return target_duration_.seconds(); }

  // Called once (on this thread) when the next segment is complete.
  void when_next_segment(std::function<void()> callback);

 private:
  void start_segment(const media::Frame& first);
  void close_segment(uint64_t end_dts);
  void add_to_window(TsSegment segment);

  SegmenterLimits limits_;
  bool publishing_ = false;
  media::VideoConfigPtr video_config_;
  media::AudioConfigPtr audio_config_;
  // Set at the first coded frame of a publish (and after a new configuration).
  std::optional<ts::TsMuxer> muxer_;
  bool next_is_discontinuity_ = false;

  // The segment being built.
  bool open_ = false;
  std::vector<uint8_t> building_;
  uint64_t start_dts_ = 0;
  uint64_t last_dts_ = 0;
  bool building_discontinuity_ = false;

  std::deque<TsSegment> window_;
  uint64_t window_bytes_ = 0;
  uint64_t next_sequence_ = 0;
  uint64_t discontinuity_sequence_ = 0;
  TargetDuration target_duration_;
  Waiters waiters_;
};

}  // namespace sluice::hls
