#include "hls/ts_segmenter.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "media/stream.hpp"

namespace sluice::hls {

TsSegmenter::TsSegmenter(SegmenterLimits limits)
    : limits_(limits), target_duration_(limits.target_duration) {}

void TsSegmenter::on_publish_start(const media::Stream& stream) {
  publishing_ = true;
  video_config_ = stream.video_config();
  audio_config_ = stream.audio_config();
  // A new publish: new tables (its tracks may differ) and a discontinuity
  // when anything came before it.
  muxer_.reset();
  next_is_discontinuity_ = next_sequence_ > 0 || open_;
  open_ = false;
  building_.clear();
}

void TsSegmenter::on_frame(const media::FramePtr& frame) {
  if (!publishing_) return;
  if (frame->is_sequence_header()) {
    // The stream hands a repeated header's configuration back unchanged (the
    // same pointer); only a new one needs new tables.
    if (frame->is_video() && frame->video_config() && frame->video_config() != video_config_) {
      if (muxer_) next_is_discontinuity_ = true;
      video_config_ = frame->video_config();
    } else if (frame->is_audio() && frame->audio_config() &&
               frame->audio_config() != audio_config_) {
      if (muxer_) next_is_discontinuity_ = true;
      audio_config_ = frame->audio_config();
    }
    return;
  }
  if (!frame->is_video() && !frame->is_audio()) return;
  if (!muxer_) {
    if (!video_config_ && !audio_config_) return;  // nothing a player could decode yet
    muxer_.emplace(video_config_, audio_config_);
  }
  const bool has_video = muxer_->has_video();
  // A segment starts where a player can: a keyframe, or any audio frame in
  // a stream without video.
  const bool boundary = has_video ? frame->is_video() && frame->is_keyframe() : frame->is_audio();
  if (open_ && boundary &&
      frame->dts() >= start_dts_ + static_cast<uint64_t>(limits_.target_duration.count())) {
    close_segment(frame->dts());
  }
  if (!open_) {
    if (!boundary) return;
    if (next_is_discontinuity_) {
      // New tables for the new configuration (or publish).
      muxer_.emplace(video_config_, audio_config_);
    }
    start_segment(*frame);
  }
  if (auto skipped = muxer_->write(*frame, building_)) {
    spdlog::debug("hls: frame at {} ms not in the segment: {}", frame->dts(), *skipped);
    return;
  }
  last_dts_ = std::max(last_dts_, frame->dts());
}

void TsSegmenter::on_publish_end() {
  if (open_) close_segment(last_dts_);
  publishing_ = false;
  muxer_.reset();
}

const TsSegment* TsSegmenter::find(uint64_t sequence) const {
  if (window_.empty() || sequence < window_.front().sequence) return nullptr;
  const uint64_t at = sequence - window_.front().sequence;
  return at < window_.size() ? &window_[at] : nullptr;
}

void TsSegmenter::when_next_segment(std::function<void()> callback) {
  waiters_.add(std::move(callback));
}

void TsSegmenter::start_segment(const media::Frame& first) {
  open_ = true;
  building_.clear();
  muxer_->write_tables(building_);
  start_dts_ = first.dts();
  last_dts_ = first.dts();
  building_discontinuity_ = next_is_discontinuity_;
  next_is_discontinuity_ = false;
}

void TsSegmenter::close_segment(uint64_t end_dts) {
  open_ = false;
  TsSegment segment;
  segment.sequence = next_sequence_++;
  // At least 1 ms: a segment of one frame (a publish that ended at once).
  segment.duration = std::chrono::milliseconds(std::max<uint64_t>(1, end_dts - start_dts_));
  // The frame that closes it arrives live; the segment began its duration before.
  segment.program_date_time = wall_now() - segment.duration;
  segment.discontinuity = building_discontinuity_;
  segment.bytes = std::make_shared<const media::Bytes>(std::move(building_));
  building_ = {};
  target_duration_.note_segment(segment.duration);
  add_to_window(std::move(segment));
  waiters_.wake();
}

void TsSegmenter::add_to_window(TsSegment segment) {
  window_bytes_ += segment.bytes->size();
  window_.push_back(std::move(segment));
  while (window_.size() > 1 &&
         (window_.size() > limits_.window_segments || window_bytes_ > limits_.window_bytes)) {
    if (window_.front().discontinuity) ++discontinuity_sequence_;
    window_bytes_ -= window_.front().bytes->size();
    window_.pop_front();
  }
}

}  // namespace sluice::hls
