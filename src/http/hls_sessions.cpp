#include "http/hls_sessions.hpp"

#include <set>

#include "base/owner_check.hpp"
#include "base/secret_file.hpp"
#include "media/stream.hpp"
#include "media/subscriber.hpp"

namespace sluice::http {
namespace {

constexpr auto kSweepEvery = std::chrono::seconds(1);
constexpr size_t kSessionIdLength = 16;

// What makes a session a viewer of its stream: it takes no frames (HLS
// viewers read segments) but is counted, keeps the stream through the
// publisher's grace, and hears when the stream is over.
class SessionViewer : public media::Subscriber {
 public:
  void on_frame(const media::FramePtr&) override {}
  void on_publisher_joined() override {}
  void on_publisher_left() override {}
  void on_stream_closed() override { closed = true; }
  bool closed = false;
};

}  // namespace

struct HlsSessions::Session {
  media::StreamKey key;
  std::shared_ptr<media::Stream> stream;
  manage::PlayTicket play;
  std::shared_ptr<SessionViewer> viewer;
  media::StreamAttachment watching;
  Clock::time_point last_seen;
  uint64_t bytes_out = 0;
};

HlsSessions::HlsSessions(boost::asio::any_io_executor executor, const config::Config& config,
                         media::Registry& registry, manage::LifecycleEvents& events)
    : executor_(executor),
      config_(config),
      registry_(registry),
      events_(events),
      sweep_timer_(executor) {}

HlsSessions::~HlsSessions() {
  stop();
}

void HlsSessions::start() {
  publishes_ = events_.subscribe([this](const manage::LifecycleEvent& event) {
    if (const auto* started = std::get_if<manage::PublishStarted>(&event))
      publish_started(started->party.key);
  });
  schedule_sweep();
}

void HlsSessions::stop() {
  if (stopped_) return;
  stopped_ = true;
  publishes_.reset();
  sweep_timer_.cancel();
  while (!sessions_.empty()) end(sessions_.begin()->first, manage::PlayEnd::kShutdown);
  segmenters_.clear();
}

std::string HlsSessions::open(manage::AccessDecision decision, const media::StreamKey& key) {
  SLUICE_ASSERT_ON_OWNER(executor_);
  std::string id;
  do {
    id = random_alphanumeric(kSessionIdLength);
  } while (sessions_.contains(id));
  auto session = std::make_unique<Session>();
  session->key = key;
  session->stream = std::move(decision.stream);
  session->play = std::move(decision.play);
  session->viewer = std::make_shared<SessionViewer>();
  session->watching = session->stream->add_viewer(session->viewer);
  session->last_seen = Clock::now();
  sessions_.emplace(id, std::move(session));
  return id;
}

HlsSessions::Session* HlsSessions::find_named(std::string_view id, std::string_view app,
                                              std::string_view stream) {
  SLUICE_ASSERT_ON_OWNER(executor_);
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return nullptr;
  auto& session = *it->second;
  if (session.key.app != app || session.key.stream != stream || session.viewer->closed)
    return nullptr;
  session.last_seen = Clock::now();
  return &session;
}

const media::StreamKey& HlsSessions::key_of(const Session& session) {
  return session.key;
}

HlsSessions::Segmenter& HlsSessions::entry_of(const media::StreamKey& key,
                                              const std::shared_ptr<media::Stream>& stream) {
  auto& entry = segmenters_[key];
  // A stream replaced since (the old one closed) gets new segmenters.
  if (entry.stream.lock() != stream) {
    entry = Segmenter{};
    entry.stream = stream;
  }
  return entry;
}

std::shared_ptr<hls::TsSegmenter> HlsSessions::ts_segmenter_of(
    const media::StreamKey& key, const std::shared_ptr<media::Stream>& stream) {
  auto& entry = entry_of(key, stream);
  if (!entry.segmenter) {
    const auto& c = config_.hls;
    entry.segmenter = std::make_shared<hls::TsSegmenter>(
        hls::SegmenterLimits{c.target_duration, c.window_segments, c.window_bytes});
    entry.attached = stream->attach_output(entry.segmenter);
  }
  return entry.segmenter;
}

std::shared_ptr<hls::LlSegmenter> HlsSessions::ll_segmenter_of(
    const media::StreamKey& key, const std::shared_ptr<media::Stream>& stream) {
  auto& entry = entry_of(key, stream);
  if (!entry.ll) {
    const auto& c = config_.hls;
    entry.ll = std::make_shared<hls::LlSegmenter>(
        hls::LlLimits{c.ll_target_duration, c.part_target, c.window_segments, c.window_bytes});
    entry.ll_attached = stream->attach_output(entry.ll);
  }
  return entry.ll;
}

std::shared_ptr<hls::LlPlaylistCache> HlsSessions::ll_playlists(Session& session) {
  SLUICE_ASSERT_ON_OWNER(executor_);
  auto& entry = entry_of(session.key, session.stream);
  if (!entry.ll_playlists) entry.ll_playlists = std::make_shared<hls::LlPlaylistCache>();
  return entry.ll_playlists;
}

std::shared_ptr<hls::TsSegmenter> HlsSessions::segmenter(Session& session) {
  SLUICE_ASSERT_ON_OWNER(executor_);
  return ts_segmenter_of(session.key, session.stream);
}

std::shared_ptr<hls::LlSegmenter> HlsSessions::ll_segmenter(Session& session) {
  SLUICE_ASSERT_ON_OWNER(executor_);
  return ll_segmenter_of(session.key, session.stream);
}

void HlsSessions::publish_started(const media::StreamKey& key) {
  SLUICE_ASSERT_ON_OWNER(executor_);
  if (stopped_ || !config_.hls.enabled || config_.hls.on_demand) return;
  auto stream = registry_.find(key);
  if (!stream) return;
  if (config_.hls_flavour_of(key.vhost) == "ll")
    ll_segmenter_of(key, stream);
  else
    ts_segmenter_of(key, stream);
}

void HlsSessions::count_bytes(Session& session, uint64_t bytes) {
  session.bytes_out += bytes;
  session.stream->count_sent(bytes);
}

void HlsSessions::schedule_sweep() {
  if (stopped_) return;
  sweep_timer_.expires_after(kSweepEvery);
  sweep_timer_.async_wait([this](boost::system::error_code ec) {
    if (ec || stopped_) return;
    sweep();
    schedule_sweep();
  });
}

void HlsSessions::sweep() {
  SLUICE_ASSERT_ON_OWNER(executor_);
  const auto now = Clock::now();
  std::vector<std::pair<std::string, manage::PlayEnd>> ending;
  for (const auto& [id, s] : sessions_) {
    if (s->viewer->closed)
      ending.emplace_back(id, manage::PlayEnd::kStreamEnded);
    else if (now - s->last_seen > config_.hls.session_timeout)
      ending.emplace_back(id, manage::PlayEnd::kViewerLeft);
  }
  for (const auto& [id, reason] : ending) end(id, reason);
  drop_unused_segmenters();
}

void HlsSessions::end(const std::string& id, manage::PlayEnd reason) {
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return;
  auto session = std::move(it->second);
  sessions_.erase(it);
  session->watching.reset();
  session->play.finish(reason, session->bytes_out);
}

void HlsSessions::drop_unused_segmenters() {
  std::set<media::StreamKey> watched;
  for (const auto& [id, s] : sessions_) watched.insert(s->key);
  // Segmenters started with a publish stay while their stream does (its
  // publisher may come back within the grace, or a viewer arrive).
  std::erase_if(segmenters_, [&](const auto& entry) {
    if (watched.contains(entry.first)) return false;
    return config_.hls.on_demand || entry.second.stream.expired();
  });
}

}  // namespace sluice::http
