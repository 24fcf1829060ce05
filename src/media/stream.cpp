#include "media/stream.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace sluice::media {
namespace {

// AMF0 string "onMetaData": marker 0x02, length 10, the name.
bool is_metadata(const Frame& f) {
  static constexpr uint8_t kPrefix[] = {0x02, 0x00, 0x0A, 'o', 'n', 'M', 'e',
                                        't',  'a',  'D',  'a', 't', 'a'};
  auto p = f.payload();
  return p.size() >= sizeof kPrefix &&
         std::equal(std::begin(kPrefix), std::end(kPrefix), p.begin());
}

}  // namespace

Stream::Stream(StreamKey key, const config::MediaConfig& config,
               boost::asio::any_io_executor executor, IdleHandler on_idle)
    : key_(std::move(key)), config_(config), on_idle_(std::move(on_idle)), grace_timer_(executor) {}

void Stream::begin_publish(PublisherInfo info) {
  grace_timer_.cancel();
  publisher_ = std::move(info);
  // A new publisher brings its own headers and GOP.
  metadata_.reset();
  video_header_.reset();
  audio_header_.reset();
  gop_.clear();
  gop_bytes_ = 0;
  timeline_.restart();
  time_went_back_reported_ = false;
  for (const auto& v : viewers_) v->on_publisher_joined();
}

void Stream::end_publish() {
  if (!publisher_) return;
  auto self = shared_from_this();  // on_idle_ may drop the registry's reference
  publisher_.reset();
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
  if (!publisher_) return;
  const Placement placed = timeline_.place(kind, timestamp);
  if (placed.shifted) report_time_went_back(kind, timestamp, placed);
  auto frame = std::make_shared<const Frame>(kind, placed.timestamp, std::move(payload));

  stats_.bytes_in += frame->size();
  ++stats_.frames_in;
  if (frame->is_video()) ++stats_.video_frames_in;
  if (frame->is_audio()) ++stats_.audio_frames_in;

  cache(frame);
  // A viewer may remove itself while being told (too slow): iterate a copy.
  auto viewers = viewers_;
  for (const auto& v : viewers) v->on_frame(frame);
}

void Stream::cache(const FramePtr& frame) {
  if (frame->kind() == FrameKind::kData) {
    if (is_metadata(*frame)) metadata_ = frame;  // other data (cue points) is not replayed
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

void Stream::add_viewer(const std::shared_ptr<Subscriber>& viewer) {
  viewers_.push_back(viewer);
  if (publisher_) {
    viewer->on_publisher_joined();
    replay_cache_to(*viewer);
  }
}

void Stream::replay_cache_to(Subscriber& viewer) const {
  for (const FramePtr* f : {&metadata_, &video_header_, &audio_header_}) {
    if (*f) viewer.on_frame(*f);
  }
  for (const auto& f : gop_) viewer.on_frame(f);
}

void Stream::remove_viewer(const Subscriber* viewer) {
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
