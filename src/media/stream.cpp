#include "media/stream.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "base/owner_check.hpp"
#include "base/untrusted_text.hpp"
#include "media/metadata.hpp"

namespace sluice::media {
Stream::Stream(StreamKey key, const config::MediaConfig& config,
               boost::asio::any_io_executor executor, IdleHandler on_idle)
    : key_(std::move(key)), config_(config), on_idle_(std::move(on_idle)), grace_timer_(executor) {}

void Stream::begin_publish(PublisherInfo info) {
  SLUICE_ASSERT_ON_OWNER(grace_timer_.get_executor());
  grace_timer_.cancel();
  publisher_ = std::move(info);
  // A new publisher brings its own headers and GOP.
  metadata_.reset();
  video_header_.reset();
  audio_header_.reset();
  video_config_.reset();
  audio_config_.reset();
  config_lines_logged_ = {};
  gop_.clear();
  gop_bytes_ = 0;
  tracks_ = {};
  tracks_settled_ = false;
  metadata_marked_ = false;
  timeline_.restart();
  time_went_back_reported_ = false;
  for (const auto& o : std::vector(outputs_)) o->on_publish_start(*this);
  for (const auto& v : viewers_) v->on_publisher_joined();
}

void Stream::end_publish() {
  SLUICE_ASSERT_ON_OWNER(grace_timer_.get_executor());
  if (!publisher_) return;
  auto self = shared_from_this();  // on_idle_ may drop the registry's reference
  publisher_.reset();
  for (const auto& o : std::vector(outputs_)) o->on_publish_end();
  for (const auto& v : viewers_) v->on_publisher_left();
  if (viewers_.empty()) return notify_if_idle();
  grace_timer_.expires_after(config_.unpublish_grace);
  grace_timer_.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
    auto stream = weak.lock();
    if (ec || !stream || stream->publishing()) return;
    stream->close_viewers();
  });
}

void Stream::report_time_went_back(FrameKind kind, uint32_t timestamp, const Placement& placed) {
  ++stats_.timestamps_corrected;
  if (time_went_back_reported_) return;
  time_went_back_reported_ = true;
  const bool shifted = placed.went_back_ms > static_cast<uint64_t>(Timeline::kSmallStepBackMs);
  spdlog::warn(
      "stream {}: the publisher's {} time went back {} ms (to {}); {} (reported once per publish)",
      key_.to_string(), kind == FrameKind::kAudio ? "audio" : "video", placed.went_back_ms,
      timestamp,
      shifted ? "viewers' time continues from the last frame"
              : "clamped to the previous frame's time");
}

void Stream::publish(FrameKind kind, uint32_t timestamp, Bytes payload) {
  SLUICE_ASSERT_ON_OWNER(grace_timer_.get_executor());
  if (!publisher_) return;
  const Placement placed = timeline_.place(kind, timestamp);
  if (placed.shifted) report_time_went_back(kind, timestamp, placed);
  FrameConfig config;
  if (kind != FrameKind::kData && Frame::classify_sequence_header(kind, payload))
    config = config_of(kind, payload);
  const bool metadata = kind == FrameKind::kData && is_metadata(payload);
  // Metadata sent again later in a single-track publish keeps the mark.
  bool marked = false;
  if (metadata && tracks_settled_) {
    if (auto with_mark = mark_absent_track(payload, tracks_.audio, tracks_.video)) {
      payload = std::move(*with_mark);
      marked = true;
    }
  }
  auto frame =
      std::make_shared<const Frame>(kind, placed.timestamp, std::move(payload), std::move(config));

  stats_.bytes_in += frame->size();
  ++stats_.frames_in;
  if (frame->is_video()) ++stats_.video_frames_in;
  if (frame->is_audio()) ++stats_.audio_frames_in;
  if (note_track(*frame)) mark_metadata_of_single_track();
  if (metadata) metadata_marked_ = marked;

  cache(frame);
  // Outputs and viewers may detach while being told (a viewer too slow):
  // iterate copies.
  if (!outputs_.empty()) {
    for (const auto& o : std::vector(outputs_)) o->on_frame(frame);
  }
  auto viewers = viewers_;
  for (const auto& v : viewers) v->on_frame(frame);
}

namespace {

bool same_bytes(const FramePtr& header, std::span<const uint8_t> payload) {
  return header && std::ranges::equal(header->payload(), payload);
}

std::string describe(const codec::VideoConfig& c) {
  std::string out = c.codec == codec::VideoCodec::kAvc ? "H.264" : "H.265";
  std::visit([&](const auto& r) { out += fmt::format(" profile {} level {}", r.profile, r.level); },
             c.record);
  if (auto p = c.picture()) out += fmt::format(" {}x{}", p->size.width, p->size.height);
  return out;
}

std::string describe(const codec::AudioConfig& c) {
  return fmt::format("AAC object type {} {} Hz, channel configuration {}", c.aac.object_type,
                     c.aac.extension_sampling_frequency.value_or(c.aac.sampling_frequency),
                     c.aac.channel_configuration);
}

}  // namespace

FrameConfig Stream::config_of(FrameKind kind, std::span<const uint8_t> payload) {
  // A config that failed to parse is logged and left null: the bytes still
  // go to RTMP and FLV viewers as sent; only outputs that need it do without.
  // A few lines per track and publish: a publisher cycling headers must not
  // flood the log.
  const bool video = kind == FrameKind::kVideo;
  auto& logged = config_lines_logged_[video ? 0 : 1];
  auto log = [&](spdlog::level::level_enum level, const std::string& text) {
    if (logged >= kConfigLinesPerPublish) return;
    ++logged;
    spdlog::log(level, "stream {}: {}{}", key_.to_string(), text,
                logged == kConfigLinesPerPublish ? " (no more codec lines this publish)" : "");
  };
  if (video) {
    if (same_bytes(video_header_, payload)) return {video_config_, nullptr};
    auto parsed = codec::parse_video_config(payload);
    if (!parsed) {
      log(spdlog::level::warn,
          "video sequence header not understood: " + printable(parsed.error()));
      video_config_.reset();
      return {};
    }
    video_config_ = std::make_shared<const codec::VideoConfig>(std::move(parsed).take());
    log(spdlog::level::info, "video " + describe(*video_config_));
    return {video_config_, nullptr};
  }
  if (same_bytes(audio_header_, payload)) return {nullptr, audio_config_};
  auto parsed = codec::parse_audio_config(payload);
  if (!parsed) {
    log(spdlog::level::warn, "audio sequence header not understood: " + printable(parsed.error()));
    audio_config_.reset();
    return {};
  }
  audio_config_ = std::make_shared<const codec::AudioConfig>(std::move(parsed).take());
  log(spdlog::level::info, "audio " + describe(*audio_config_));
  return {nullptr, audio_config_};
}

bool Stream::note_track(const Frame& frame) {
  if (frame.kind() == FrameKind::kData || tracks_settled_) return false;
  (frame.is_video() ? tracks_.video : tracks_.audio) = true;
  if (frame.is_sequence_header()) return false;
  tracks_settled_ = true;
  return true;
}

void Stream::mark_metadata_of_single_track() {
  if (!metadata_) return;
  auto marked = mark_absent_track(metadata_->payload(), tracks_.audio, tracks_.video);
  if (!marked) return;
  // Sent now, after the track's sequence header and before its first
  // frame, which is where FFmpeg looks for it; new viewers get it in the
  // same place (replay_cache_to).
  metadata_ =
      std::make_shared<const Frame>(FrameKind::kData, metadata_->timestamp(), std::move(*marked));
  metadata_marked_ = true;
  for (const auto& o : std::vector(outputs_)) o->on_frame(metadata_);
  auto viewers = viewers_;
  for (const auto& v : viewers) v->on_frame(metadata_);
}

void Stream::cache(const FramePtr& frame) {
  if (frame->kind() == FrameKind::kData) {
    if (is_metadata(frame->payload()))
      metadata_ = frame;  // other data (cue points) is not replayed
    return;
  }
  if (frame->is_sequence_header()) {
    (frame->is_video() ? video_header_ : audio_header_) = frame;
    return;
  }
  if (!config_.gop_cache) return;
  if (frame->is_keyframe()) {
    gop_.clear();
    gop_bytes_ = 0;
  } else if (gop_.empty()) {
    return;  // nothing before the first keyframe is decodable
  }
  gop_.push_back(frame);
  gop_bytes_ += frame->size();
  // A GOP that grows without bound (no keyframes) is dropped, not kept.
  if (gop_bytes_ > config_.gop_cache_max_bytes) {
    gop_.clear();
    gop_bytes_ = 0;
  }
}

StreamAttachment Stream::add_viewer(const std::shared_ptr<Subscriber>& viewer) {
  SLUICE_ASSERT_ON_OWNER(grace_timer_.get_executor());
  viewers_.push_back(viewer);
  if (publisher_) {
    viewer->on_publisher_joined();
    replay_cache_to(*viewer);
  }
  return StreamAttachment(weak_from_this(), viewer.get());
}

StreamAttachment Stream::attach_output(const std::shared_ptr<StreamOutput>& output) {
  SLUICE_ASSERT_ON_OWNER(grace_timer_.get_executor());
  outputs_.push_back(output);
  if (publisher_) {
    output->on_publish_start(*this);
    replay_cache_to(*output);
  }
  return StreamAttachment(weak_from_this(), output.get());
}

template <typename Receiver>
void Stream::replay_cache_to(Receiver& receiver) const {
  // Marked metadata goes after the sequence header (mark_absent_track).
  const auto order =
      metadata_marked_ ? std::array<const FramePtr*, 3>{&video_header_, &audio_header_, &metadata_}
                       : std::array<const FramePtr*, 3>{&metadata_, &video_header_, &audio_header_};
  for (const FramePtr* f : order) {
    if (*f) receiver.on_frame(*f);
  }
  for (const auto& f : gop_) receiver.on_frame(f);
}

void Stream::detach_output(const StreamOutput* output) {
  SLUICE_ASSERT_ON_OWNER(grace_timer_.get_executor());
  // Outputs never keep a stream alive, so leaving is not a reason to go idle.
  std::erase_if(outputs_, [output](const auto& o) { return o.get() == output; });
}

void Stream::remove_viewer(const Subscriber* viewer) {
  SLUICE_ASSERT_ON_OWNER(grace_timer_.get_executor());
  auto self = shared_from_this();
  std::erase_if(viewers_, [viewer](const auto& v) { return v.get() == viewer; });
  notify_if_idle();
}

void Stream::close_viewers() {
  auto self = shared_from_this();
  auto viewers = std::move(viewers_);
  viewers_.clear();
  for (const auto& v : viewers) v->on_stream_closed();
  notify_if_idle();
}

void Stream::notify_if_idle() {
  if (!publisher_ && viewers_.empty() && on_idle_) on_idle_(*this);
}

}  // namespace sluice::media
