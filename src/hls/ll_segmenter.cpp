#include "hls/ll_segmenter.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "fmp4/init_segment.hpp"
#include "media/stream.hpp"

namespace sluice::hls {
namespace {

using std::chrono::milliseconds;

uint64_t ticks(uint64_t ms, uint32_t timescale) {
  return ms * timescale / 1000;
}

}  // namespace

LlSegmenter::LlSegmenter(LlLimits limits)
    : limits_(limits), target_duration_(limits.target_duration) {}

void LlSegmenter::on_publish_start(const media::Stream&) {
  ++changes_;
  if (open_) flush();
  publishing_ = true;
  // The stream hands its current sequence headers over as frames next.
  video_header_.reset();
  audio_header_.reset();
  headers_changed_ = false;
  initialized_ = false;
  video_.reset();
  audio_.reset();
  next_is_discontinuity_ = next_sequence_ > 0;
  lead_interval_ms_ = 0;
}

void LlSegmenter::on_frame(const media::FramePtr& frame) {
  ++changes_;
  if (!publishing_) return;
  if (frame->is_sequence_header()) {
    // A header that did not parse has no configuration: its track is left out.
    if (frame->is_video() && frame->video_config() &&
        (!video_header_ || video_header_->video_config() != frame->video_config())) {
      video_header_ = frame;
      headers_changed_ = initialized_;
    } else if (frame->is_audio() && frame->audio_config() &&
               (!audio_header_ || audio_header_->audio_config() != frame->audio_config())) {
      audio_header_ = frame;
      headers_changed_ = initialized_;
    }
    return;
  }
  if (!frame->is_video() && !frame->is_audio()) return;
  if (headers_changed_) {
    // A new configuration: a new init section, after a discontinuity.
    flush();
    initialized_ = false;
    headers_changed_ = false;
    next_is_discontinuity_ = true;
  }
  if (!initialized_ && !start_init()) return;
  Track* track = frame->is_video() ? (video_ ? &*video_ : nullptr) : (audio_ ? &*audio_ : nullptr);
  if (!track || !fmp4::sample_data(*frame)) return;

  const bool lead = video_ ? frame->is_video() : true;
  // Where a player can start: a keyframe, or any frame of an audio-only stream.
  const bool boundary = video_ ? frame->is_video() && frame->is_keyframe() : true;
  const uint64_t dts = frame->dts();

  if (track->pending) {
    if (open_) add_pending(*track, dts);
    track->pending.reset();
  }
  if (open_ && lead) {
    const auto target = static_cast<uint64_t>(limits_.target_duration.count());
    const auto part_target = static_cast<uint64_t>(limits_.part_target.count());
    if (boundary && dts >= segment_start_dts_ + target) {
      close_part(dts);
      close_segment(dts);
      waiters_.wake();
    } else if (part_open_ && dts > part_start_dts_ &&
               dts - part_start_dts_ + std::max<uint64_t>(lead_interval_ms_, 1) > part_target) {
      // Taking this frame would make the part longer than its target.
      close_part(dts);
      waiters_.wake();
    }
  }
  if (lead) {
    if (lead_last_dts_ && dts > *lead_last_dts_) lead_interval_ms_ = dts - *lead_last_dts_;
    lead_last_dts_ = dts;
  }
  if (!open_) {
    if (!boundary) {
      // The other track's latest frame waits: the one playing when the
      // first keyframe comes belongs to the first part, so that audio
      // starts no later than video.
      if (!lead) track->pending = frame;
      return;
    }
    start_segment(*frame);
  }
  if (!part_open_ && lead) {
    part_open_ = true;
    part_start_dts_ = dts;
    part_independent_ = boundary;
  }
  track->pending = frame;
}

void LlSegmenter::on_publish_end() {
  ++changes_;
  flush();
  publishing_ = false;
  initialized_ = false;
  video_.reset();
  audio_.reset();
}

LlEdge LlSegmenter::edge() const {
  if (open_) return {open_->sequence, open_->parts.size()};
  return {next_sequence_, 0};
}

const LlSegment* LlSegmenter::find_segment(uint64_t sequence) const {
  if (window_.empty() || sequence < window_.front().sequence) return nullptr;
  const uint64_t at = sequence - window_.front().sequence;
  return at < window_.size() ? &window_[at] : nullptr;
}

const LlPart* LlSegmenter::find_part(uint64_t sequence, uint64_t part) const {
  const LlSegment* segment =
      open_ && open_->sequence == sequence ? &*open_ : find_segment(sequence);
  if (!segment || part >= segment->parts.size()) return nullptr;
  return &segment->parts[part];
}

media::SharedBytes LlSegmenter::find_init(uint32_t generation) const {
  auto it = inits_.find(generation);
  return it == inits_.end() ? nullptr : it->second;
}

void LlSegmenter::when_next_part(std::function<void()> callback) {
  waiters_.add(std::move(callback));
}

bool LlSegmenter::start_init() {
  if (!video_header_ && !audio_header_) return false;  // nothing a player could decode yet
  auto init = fmp4::build_init_segment({video_header_, audio_header_});
  if (!init.error.empty()) {
    spdlog::warn("ll-hls: cannot describe the stream's tracks: {}", init.error);
    // Not again for every frame: wait for new sequence headers.
    video_header_.reset();
    audio_header_.reset();
    return false;
  }
  ++generation_;
  inits_[generation_] = std::make_shared<const media::Bytes>(std::move(init.bytes));
  codecs_ = init.codecs;
  video_.reset();
  audio_.reset();
  if (video_header_) {
    video_.emplace();
    video_->id = fmp4::kVideoTrackId;
    video_->timescale = fmp4::kVideoTimescale;
  }
  if (audio_header_) {
    audio_.emplace();
    audio_->id = fmp4::kAudioTrackId;
    audio_->timescale = fmp4::audio_timescale(*audio_header_->audio_config());
  }
  initialized_ = true;
  lead_interval_ms_ = 0;
  lead_last_dts_.reset();
  return true;
}

void LlSegmenter::add_pending(Track& track, uint64_t end_dts) {
  const media::Frame& f = *track.pending;
  const auto data = fmp4::sample_data(f);
  if (!data) return;
  const uint64_t start = ticks(f.dts(), track.timescale);
  const uint64_t end = ticks(end_dts, track.timescale);
  // A timestamp going backwards (a broken publisher) gets the last duration.
  uint64_t duration = end > start ? end - start : track.last_duration_ticks;
  if (duration == 0) duration = 1;
  track.last_duration_ticks = duration;
  if (track.run.samples.empty()) {
    track.run.track_id = track.id;
    track.run.base_decode_time = start;
  }
  fmp4::Sample s;
  s.duration = static_cast<uint32_t>(duration);
  s.composition_offset =
      static_cast<int32_t>(int64_t{f.composition_offset()} * track.timescale / 1000);
  s.sync = !f.is_video() || f.is_keyframe();
  s.data = *data;
  track.run.samples.push_back(s);
  track.held.push_back(track.pending);
}

void LlSegmenter::close_part(uint64_t end_dts) {
  part_open_ = false;
  std::vector<fmp4::TrackRun> runs;
  for (auto* t : {video_ ? &*video_ : nullptr, audio_ ? &*audio_ : nullptr}) {
    if (!t || t->run.samples.empty()) continue;
    runs.push_back(t->run);
  }
  if (runs.empty() || !open_) return;
  LlPart part;
  part.duration = milliseconds(std::max<uint64_t>(1, end_dts - std::min(end_dts, part_start_dts_)));
  part.independent = part_independent_;
  part.bytes = std::make_shared<const media::Bytes>(fmp4::build_fragment(++fragment_number_, runs));
  for (auto* t : {video_ ? &*video_ : nullptr, audio_ ? &*audio_ : nullptr}) {
    if (!t) continue;
    t->run.samples.clear();
    t->held.clear();
  }
  open_->bytes += part.bytes->size();
  window_bytes_ += part.bytes->size();
  open_->parts.push_back(std::move(part));
  evict();
}

void LlSegmenter::close_segment(uint64_t end_dts) {
  if (!open_) return;
  if (open_->parts.empty()) {
    // Nothing was decodable in it: it never existed (its number is reused).
    --next_sequence_;
    open_.reset();
    return;
  }
  open_->duration =
      milliseconds(std::max<uint64_t>(1, end_dts - std::min(end_dts, segment_start_dts_)));
  // The frame that closes it arrives live; the segment began its duration before.
  open_->program_date_time = wall_now() - open_->duration;
  target_duration_.note_segment(open_->duration);
  window_.push_back(std::move(*open_));
  open_.reset();
  evict();
}

void LlSegmenter::start_segment(const media::Frame& first) {
  open_.emplace();
  open_->sequence = next_sequence_++;
  open_->discontinuity = next_is_discontinuity_;
  open_->init_generation = generation_;
  next_is_discontinuity_ = false;
  segment_start_dts_ = first.dts();
  part_open_ = false;
}

void LlSegmenter::evict() {
  while (window_.size() > limits_.window_segments ||
         (window_.size() > 1 && window_bytes_ > limits_.window_bytes)) {
    if (window_.front().discontinuity) ++discontinuity_sequence_;
    window_bytes_ -= window_.front().bytes;
    window_.pop_front();
  }
  // Init sections no segment refers to any more.
  const uint32_t oldest = window_.empty() ? generation_ : window_.front().init_generation;
  std::erase_if(inits_, [&](const auto& entry) { return entry.first < oldest; });
}

void LlSegmenter::flush() {
  if (open_) {
    // The held-back frames get the duration of the one before them.
    uint64_t end = lead_last_dts_.value_or(0) + lead_interval_ms_;
    for (auto* t : {video_ ? &*video_ : nullptr, audio_ ? &*audio_ : nullptr}) {
      if (!t || !t->pending) continue;
      const uint64_t last_ms = t->last_duration_ticks * 1000 / t->timescale;
      add_pending(*t, t->pending->dts() + std::max<uint64_t>(last_ms, 1));
      end = std::max(end, t->pending->dts() + std::max<uint64_t>(last_ms, 1));
    }
    close_part(end);
    close_segment(end);
  }
  for (auto* t : {video_ ? &*video_ : nullptr, audio_ ? &*audio_ : nullptr}) {
    if (!t) continue;
    t->pending.reset();
    t->run.samples.clear();
    t->held.clear();
  }
  part_open_ = false;
  waiters_.wake();
}

}  // namespace sluice::hls
