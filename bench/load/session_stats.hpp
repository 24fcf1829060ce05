#pragma once
// What one viewer saw: milestones from the moment its TCP connect started,
// bytes, media messages, and the two ways a viewer can fall behind:
//  - a stall: no media message arrived for more than `stall_s` (default 1 s)
//    inside the measured window (also counted: the silence from the last
//    message to the window's end);
//  - lag growth: how far the media timestamps fell behind wall time during
//    the window: lag(t) = (t - first_video_at) - (ts - first_ts), using
//    video timestamps (sequence headers excluded); the highest lag seen in
//    the window minus the lag of the last frame before the window opened.
//    A viewer that keeps receiving at real time has a growth near zero
//    (plus jitter), whatever happened during its start.
// A session belongs to one io_context thread; the window is opened and
// closed by handlers posted to that thread, so nothing here is shared.
#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace sluice::load {

using Clock = std::chrono::steady_clock;

enum class Milestone : uint8_t {
  kStart,        // TCP connect begins
  kConnected,    // TCP established
  kHandshake,    // RTMP handshake done (RTMP only)
  kRequestSent,  // `play` command sent / HTTP GET sent
  kPlayStart,    // onStatus NetStream.Play.Start / HTTP 200 head
  kFirstMedia,   // first audio or video message
  kFirstVideo,   // first video frame that is not a sequence header
  kFirstKeyframe,
  kFirstSegment,  // first media segment received whole (HLS only)
  kCount
};

struct SessionResult {
  std::string error;  // empty: the session played through the window
  std::array<std::optional<double>, static_cast<size_t>(Milestone::kCount)> ms{};  // since kStart
  std::optional<bool> first_video_keyframe;
  uint64_t bytes_total = 0;
  bool measured = false;  // the fields below are set
  double window_s = 0;
  uint64_t window_bytes = 0;
  double mbps = 0;
  uint64_t window_media_msgs = 0;
  uint64_t window_video_msgs = 0;
  uint32_t stalls = 0;
  double stall_s = 0;
  double max_gap_s = 0;
  double lag_growth_s = 0;
  std::optional<double> media_progress;  // media seconds per wall second
  // Inside the window, for stamped frames (wallclock_sei.hpp): the time from
  // the publisher sending a frame to this viewer holding it, ms; per frame,
  // and per HLS segment for its first (oldest) frame.
  std::vector<float> frame_latency_ms;
  std::vector<float> segment_latency_ms;
  uint32_t window_segments = 0;  // HLS segments received whole in the window
  uint32_t window_parts = 0;     // LL-HLS parts received whole in the window
};

class SessionStats {
 public:
  explicit SessionStats(double stall_s) : stall_s_(stall_s) {}

  void mark(Milestone m, Clock::time_point at) {
    auto& slot = t_[static_cast<size_t>(m)];
    if (!slot) slot = at;
  }
  bool has(Milestone m) const { return t_[static_cast<size_t>(m)].has_value(); }
  void add_bytes(size_t n) { bytes_ += n; }
  uint64_t bytes() const { return bytes_; }
  // An FLV/RTMP media message (type 8 audio, 9 video, 22 aggregate).
  void on_media(uint8_t type, uint32_t timestamp, std::span<const uint8_t> head,
                Clock::time_point now);
  // A stamped frame arrived `latency_ms` after it was published; `first`
  // marks a segment's first frame (one call per HLS segment, or LL-HLS part, has it).
  void on_latency(double latency_ms, bool first_of_segment);
  void on_segment() {
    if (in_window_) ++segments_;
  }
  void on_part() {
    if (in_window_) ++parts_;
  }
  void fail(std::string reason);
  void end(std::string reason);  // the connection ended (by the server or an error)
  bool ended() const { return ended_; }

  void open_window(Clock::time_point now);
  void close_window(Clock::time_point now);
  SessionResult result() const;

 private:
  struct Snapshot {
    Clock::time_point at;
    uint64_t bytes = 0, media = 0, video = 0;
    std::optional<int64_t> video_ms;
  };
  Snapshot snapshot(Clock::time_point now) const;
  void note_gap(Clock::time_point from, Clock::time_point to);

  double stall_s_;
  std::array<std::optional<Clock::time_point>, static_cast<size_t>(Milestone::kCount)> t_{};
  std::optional<bool> first_video_keyframe_;
  std::string error_;
  bool ended_ = false;
  uint64_t bytes_ = 0, media_ = 0, video_ = 0;
  Clock::time_point last_media_at_{};
  // video timestamps, unwrapped (32-bit wire values, ms)
  std::optional<uint32_t> last_video_ts_;
  int64_t video_ms_ = 0;
  std::optional<Clock::time_point> first_video_at_;
  double window_base_lag_s_ = 1e18;
  double max_lag_s_ = -1e18;  // within the window
  bool in_window_ = false;
  Clock::time_point window_open_{};
  std::optional<Snapshot> w0_, w1_;
  std::vector<float> frame_latency_ms_, segment_latency_ms_;
  uint32_t segments_ = 0;
  uint32_t parts_ = 0;
  uint32_t stalls_ = 0;
  double stall_total_s_ = 0, max_gap_s_ = 0;
};

}  // namespace sluice::load
