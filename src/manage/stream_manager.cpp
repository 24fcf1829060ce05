#include "manage/stream_manager.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace sluice::manage {
namespace {

constexpr auto kHeartbeat = std::chrono::seconds(5);

bool matches(const store::NameFilter& f, const media::StreamKey& k) {
  if (f.vhost && *f.vhost != k.vhost) return false;
  if (f.app && *f.app != k.app) return false;
  if (!f.stream) return true;
  return f.stream_match == store::MatchMode::kFuzzy ? k.stream.find(*f.stream) != std::string::npos
                                                    : k.stream == *f.stream;
}

}  // namespace

StreamManager::StreamManager(boost::asio::any_io_executor executor, const config::Config& config,
                             media::Registry& registry, store::Store& store)
    : config_(config), registry_(registry), store_(store), heartbeat_timer_(executor) {}

void StreamManager::start() {
  auto interrupted = store_.recover_interrupted();
  for (const auto& c : interrupted) {
    spdlog::warn(
        "publish of {}/{}/{} was interrupted (the server stopped during it); recorded as closed",
        c.vhost, c.app, c.stream);
  }
  schedule_heartbeat();
}

void StreamManager::stop() {
  stopped_ = true;
  heartbeat_timer_.cancel();
}

void StreamManager::schedule_heartbeat() {
  if (stopped_) return;
  heartbeat_timer_.expires_after(kHeartbeat);
  heartbeat_timer_.async_wait([this](boost::system::error_code ec) {
    if (ec) return;
    heartbeat();
    schedule_heartbeat();
  });
}

void StreamManager::heartbeat() {
  std::vector<std::pair<int64_t, uint64_t>> live;
  for (const auto& s : registry_.publishing_streams())
    live.emplace_back(s->publisher()->publish_id, s->stats().bytes_in);
  if (live.empty()) return;
  try {
    store_.touch_publishes(live, wall_now());
  } catch (const std::exception& e) {
    spdlog::error("store: heartbeat failed: {}", e.what());
  }
}

std::variant<PublishTicket, std::string> StreamManager::admit_publish(
    const media::StreamKey& key, const std::string& domain, const std::string& client_address) {
  const auto now = wall_now();
  if (auto f = store_.find_forbid(key.vhost, key.app, key.stream, now)) {
    return "stream " + key.to_string() + " is forbidden until " + format_rfc3339_s(f->end_time);
  }
  store::OpenPublish open;
  open.vhost = key.vhost;
  open.domain = domain;
  open.app = key.app;
  open.stream = key.stream;
  open.client_address = client_address;
  open.start_time = now;
  open.last_seen = now;
  PublishTicket ticket{store_.open_publish(open), key, domain, client_address, now};
  return ticket;
}

void StreamManager::publish_ended(const PublishTicket& t, store::EndReason reason,
                                  uint64_t bytes_in) {
  store::ClosedStream closed;
  closed.id = t.id;
  closed.vhost = t.key.vhost;
  closed.domain = t.domain;
  closed.app = t.key.app;
  closed.stream = t.key.stream;
  closed.client_address = t.client_address;
  closed.start_time = t.start_time;
  closed.end_time = wall_now();
  closed.reason = reason;
  closed.bytes_in = bytes_in;
  try {
    store_.close_publish(closed);
  } catch (const std::exception& e) {
    // The open record stays; the next start records it as interrupted.
    spdlog::error("store: cannot record the end of {}: {}", t.key.to_string(), e.what());
  }
}

store::Page<OnlineStream> StreamManager::online(const OnlineQuery& q) const {
  std::vector<OnlineStream> all;
  // sluice has no transcoding yet: every online stream is an origin stream.
  if (q.stream_type && *q.stream_type != "origin") return {};
  for (const auto& s : registry_.publishing_streams()) {
    const auto* p = s->publisher();
    if (!matches(q.names, s->key())) continue;
    if (q.source_type && *q.source_type != p->source_type) continue;
    all.push_back({p->publish_id, s->key().vhost, p->domain, s->key().app, s->key().stream,
                   p->source_type, std::chrono::floor<std::chrono::milliseconds>(p->started_at),
                   p->client_address, s->stats().bytes_in, s->viewer_count()});
  }
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  store::Page<OnlineStream> page;
  page.total = all.size();
  const uint64_t first = uint64_t{q.page.page_num - 1} * q.page.page_size;
  for (uint64_t i = first; i < all.size() && i < first + q.page.page_size; ++i)
    page.items.push_back(all[i]);
  return page;
}

store::Page<store::ClosedStream> StreamManager::closed(
    const store::ClosedStreamQuery& query) const {
  return store_.closed_streams(query);
}

store::Page<store::Forbid> StreamManager::forbidden(store::ForbidQuery query) const {
  query.now = wall_now();
  return store_.forbids(query);
}

namespace {

void disconnect_publisher(media::Stream& stream, media::DisconnectCause cause) {
  // A copy: disconnecting ends the publish, which destroys the stream's
  // PublisherInfo and with it the original function while it runs.
  auto disconnect = stream.publisher()->disconnect;
  if (disconnect) disconnect(cause);
}

}  // namespace

bool StreamManager::kill(const media::StreamKey& key) {
  auto stream = registry_.find(key);
  if (!stream || !stream->publishing()) return false;
  disconnect_publisher(*stream, media::DisconnectCause::kKilled);
  return true;
}

void StreamManager::forbid(const media::StreamKey& key, const std::string& domain,
                           WallTime end_time) {
  const auto now = wall_now();
  store_.put_forbid({key.vhost, key.app, key.stream, domain, now, end_time});
  if (auto stream = registry_.find(key); stream && stream->publishing()) {
    disconnect_publisher(*stream, media::DisconnectCause::kForbidden);
  }
}

bool StreamManager::resume(const media::StreamKey& key) {
  return store_.delete_forbid(key.vhost, key.app, key.stream, wall_now());
}

std::pair<StreamState, std::string> StreamManager::state(const media::StreamKey& key) const {
  auto stream = registry_.find(key);
  const bool relayed =
      stream && stream->publishing() && stream->publisher()->source_type == "relay";
  const std::string type = relayed ? "pull" : "push";
  if (store_.find_forbid(key.vhost, key.app, key.stream, wall_now())) {
    return {StreamState::kForbidden, type};
  }
  return {stream && stream->publishing() ? StreamState::kOnline : StreamState::kOffline, type};
}

}  // namespace sluice::manage
