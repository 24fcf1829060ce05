#include "session_stats.hpp"

#include <algorithm>

#include "media/frame.hpp"

namespace sluice::load {
namespace {

double seconds(Clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

// Video tag header classification as sluice's Frame does it (FLV spec E.4.3.1
// and Enhanced RTMP); only the first bytes matter.
void classify_video(std::span<const uint8_t> head, bool& keyframe, bool& sequence_header) {
  media::Frame frame(media::FrameKind::kVideo, 0, media::Bytes(head.begin(), head.end()));
  keyframe = frame.is_keyframe();
  sequence_header = frame.is_sequence_header();
}

}  // namespace

void SessionStats::on_media(uint8_t type, uint32_t timestamp, std::span<const uint8_t> head,
                            Clock::time_point now) {
  ++media_;
  if (!has(Milestone::kFirstMedia)) {
    mark(Milestone::kFirstMedia, now);
  } else if (in_window_) {
    note_gap(std::max(last_media_at_, window_open_), now);
  }
  last_media_at_ = now;
  if (type != 9) return;
  ++video_;
  bool keyframe = false, sequence_header = false;
  classify_video(head, keyframe, sequence_header);
  if (sequence_header) return;  // its timestamp need not follow the frames'
  if (!has(Milestone::kFirstVideo)) {
    mark(Milestone::kFirstVideo, now);
    first_video_keyframe_ = keyframe;
  }
  if (keyframe) mark(Milestone::kFirstKeyframe, now);
  if (last_video_ts_) {
    video_ms_ += static_cast<int32_t>(timestamp - *last_video_ts_);  // wraps at 2^32
  } else {
    first_video_at_ = now;
  }
  last_video_ts_ = timestamp;
  const double lag = seconds(now - *first_video_at_) - static_cast<double>(video_ms_) / 1000.0;
  if (in_window_) {
    max_lag_s_ = std::max(max_lag_s_, lag);
  } else if (!w0_) {
    window_base_lag_s_ = lag;  // the last lag before the window opens
  }
}

void SessionStats::note_gap(Clock::time_point from, Clock::time_point to) {
  const double gap = seconds(to - from);
  max_gap_s_ = std::max(max_gap_s_, gap);
  if (gap > stall_s_) {
    ++stalls_;
    stall_total_s_ += gap;
  }
}

void SessionStats::on_latency(double latency_ms, bool first_of_segment) {
  if (!in_window_) return;
  frame_latency_ms_.push_back(static_cast<float>(latency_ms));
  if (first_of_segment) segment_latency_ms_.push_back(static_cast<float>(latency_ms));
}

void SessionStats::fail(std::string reason) {
  if (error_.empty()) error_ = std::move(reason);
  ended_ = true;
}

void SessionStats::end(std::string reason) {
  fail(std::move(reason));
}

SessionStats::Snapshot SessionStats::snapshot(Clock::time_point now) const {
  Snapshot s;
  s.at = now;
  s.bytes = bytes_;
  s.media = media_;
  s.video = video_;
  if (last_video_ts_) s.video_ms = video_ms_;
  return s;
}

void SessionStats::open_window(Clock::time_point now) {
  w0_ = snapshot(now);
  window_open_ = now;
  in_window_ = !ended_;
}

void SessionStats::close_window(Clock::time_point now) {
  if (!w0_ || w1_) return;
  if (in_window_ && has(Milestone::kFirstMedia)) {
    note_gap(std::max(last_media_at_, window_open_), now);  // silence up to the window's end
    if (first_video_at_) {                                  // lag as it stands at the window's end
      max_lag_s_ = std::max(
          max_lag_s_, seconds(now - *first_video_at_) - static_cast<double>(video_ms_) / 1000.0);
    }
  }
  in_window_ = false;
  w1_ = snapshot(now);
}

SessionResult SessionStats::result() const {
  SessionResult r;
  r.error = error_;
  r.bytes_total = bytes_;
  r.first_video_keyframe = first_video_keyframe_;
  const auto& start = t_[static_cast<size_t>(Milestone::kStart)];
  for (size_t i = 0; i < t_.size(); ++i) {
    if (start && t_[i]) r.ms[i] = seconds(*t_[i] - *start) * 1000.0;
  }
  const auto& first_video = t_[static_cast<size_t>(Milestone::kFirstVideo)];
  if (!w0_ || !w1_) {
    if (r.error.empty()) r.error = "not_started";
    return r;
  }
  if (!first_video || *first_video > w0_->at) {
    if (r.error.empty()) r.error = "no_video_before_window";
    return r;
  }
  if (ended_) return r;  // ended during the window: a disconnect
  r.measured = true;
  r.window_s = seconds(w1_->at - w0_->at);
  r.window_bytes = w1_->bytes - w0_->bytes;
  r.mbps = r.window_s > 0 ? static_cast<double>(r.window_bytes) * 8 / r.window_s / 1e6 : 0;
  r.window_media_msgs = w1_->media - w0_->media;
  r.window_video_msgs = w1_->video - w0_->video;
  r.stalls = stalls_;
  r.stall_s = stall_total_s_;
  r.max_gap_s = max_gap_s_;
  r.frame_latency_ms = frame_latency_ms_;
  r.segment_latency_ms = segment_latency_ms_;
  r.window_segments = segments_;
  r.window_parts = parts_;
  r.lag_growth_s = max_lag_s_ > -1e17 && window_base_lag_s_ < 1e17
                       ? std::max(0.0, max_lag_s_ - window_base_lag_s_)
                       : 0.0;
  if (w0_->video_ms && w1_->video_ms && r.window_s > 0) {
    r.media_progress = static_cast<double>(*w1_->video_ms - *w0_->video_ms) / 1000.0 / r.window_s;
  }
  return r;
}

}  // namespace sluice::load
