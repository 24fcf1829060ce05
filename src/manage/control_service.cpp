#include "manage/control_service.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "base/on_executor.hpp"
#include "base/owner_check.hpp"
#include "manage/callback_payloads.hpp"

namespace sluice::manage {
namespace {

namespace asio = boost::asio;

constexpr auto kHeartbeat = std::chrono::seconds(5);
constexpr uint32_t kForbidsPerPage = 1000;

bool matches(const store::NameFilter& f, const OnlineStream& s) {
  if (f.vhost && *f.vhost != s.vhost) return false;
  if (f.app && *f.app != s.app) return false;
  if (!f.stream) return true;
  return f.stream_match == store::MatchMode::kFuzzy ? s.stream.find(*f.stream) != std::string::npos
                                                    : s.stream == *f.stream;
}

}  // namespace

ControlService::ControlService(asio::any_io_executor executor, const config::Config& config,
                               store::Store& store, AccessGate& gate)
    : executor_(executor),
      config_(config),
      store_(store),
      gate_(gate),
      heartbeat_timer_(std::move(executor)) {}

void ControlService::start() {
  SLUICE_ASSERT_ON_OWNER(executor_);
  // Their push_end callbacks go out now, reason "interrupted".
  const auto recovered = store_.recover_interrupted(
      [this](const store::ClosedStream& c) { return push_end_callbacks(config_, c, wall_now()); });
  if (!recovered.empty()) callbacks_queued();
  for (const auto& c : recovered) {
    spdlog::warn(
        "publish of {}/{}/{} was interrupted (the server stopped during it); recorded as closed",
        c.vhost, c.app, c.stream);
  }
  // The gate's copy of the forbids starts from the store; from here on every
  // change goes through forbid() and resume().
  std::vector<store::Forbid> active;
  store::ForbidQuery q;
  q.now = wall_now();
  q.page.page_size = kForbidsPerPage;
  for (q.page.page_num = 1;; ++q.page.page_num) {
    auto page = store_.forbids(q);
    active.insert(active.end(), page.items.begin(), page.items.end());
    if (page.items.size() < kForbidsPerPage) break;
  }
  gate_.replace_forbids(active);
  schedule_heartbeat();
}

void ControlService::callbacks_queued() const {
  if (on_callbacks_queued_) on_callbacks_queued_();
}

void ControlService::stop() {
  stopped_ = true;
  heartbeat_timer_.cancel();
}

void ControlService::schedule_heartbeat() {
  if (stopped_) return;
  heartbeat_timer_.expires_after(kHeartbeat);
  heartbeat_timer_.async_wait([this](boost::system::error_code ec) {
    if (ec || stopped_) return;
    asio::co_spawn(executor_, heartbeat(), asio::detached);
  });
}

asio::awaitable<void> ControlService::heartbeat() {
  auto task = on(gate_.executor(), [this] { return gate_.live_publishes(); });
  auto live = co_await std::move(task);
  SLUICE_ASSERT_ON_OWNER(executor_);
  if (!live.empty()) {
    try {
      store_.touch_publishes(live, wall_now());
    } catch (const std::exception& e) {
      spdlog::error("store: heartbeat failed: {}", e.what());
    }
  }
  schedule_heartbeat();
}

// Not a coroutine itself: it hands the record to the one that crosses.
asio::awaitable<int64_t> ControlService::open(store::OpenPublish publish) {
  return on(executor_, [this, publish = std::move(publish)] {
    SLUICE_ASSERT_ON_OWNER(executor_);
    const int64_t id = store_.open_publish(publish, [&](int64_t publish_id) {
      return push_start_callbacks(config_, publish, publish_id, wall_now());
    });
    callbacks_queued();
    open_publishes_.opened({publish.vhost, publish.app, publish.stream}, id, publish.source_type);
    return id;
  });
}

void ControlService::closed(store::ClosedStream record) {
  asio::post(executor_, [this, record = std::move(record)] { write_closed(record); });
}

void ControlService::write_closed(const store::ClosedStream& record) {
  SLUICE_ASSERT_ON_OWNER(executor_);
  // Not live any more, whether or not the store takes the record.
  open_publishes_.closed({record.vhost, record.app, record.stream}, record.id);
  try {
    store_.close_publish(record,
                         [&](int64_t) { return push_end_callbacks(config_, record, wall_now()); });
    callbacks_queued();
  } catch (const std::exception& e) {
    // The open record stays; the next start records it as interrupted.
    spdlog::error("store: cannot record the end of {}/{}/{}: {}", record.vhost, record.app,
                  record.stream, e.what());
  }
}

asio::awaitable<store::Page<OnlineStream>> ControlService::online(OnlineQuery q) {
  // sluice has no transcoding yet: every online stream is an origin stream.
  if (q.stream_type && *q.stream_type != "origin") co_return store::Page<OnlineStream>{};
  // Nothing published: no need to ask the media thread for live figures.
  if (open_publishes_.empty()) co_return store::Page<OnlineStream>{};
  auto task = on(gate_.executor(), [this] { return gate_.online_streams(); });
  auto streams = co_await std::move(task);
  SLUICE_ASSERT_ON_OWNER(executor_);
  std::vector<OnlineStream> all;
  for (auto& s : streams) {
    if (!matches(q.names, s)) continue;
    if (q.source_type && *q.source_type != s.source_type) continue;
    all.push_back(std::move(s));
  }
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  store::Page<OnlineStream> page;
  page.total = all.size();
  const uint64_t first = uint64_t{q.page.page_num - 1} * q.page.page_size;
  for (uint64_t i = first; i < all.size() && i < first + q.page.page_size; ++i)
    page.items.push_back(all[i]);
  co_return page;
}

asio::awaitable<store::Page<store::ClosedStream>> ControlService::history(
    store::ClosedStreamQuery query) {
  SLUICE_ASSERT_ON_OWNER(executor_);
  co_return store_.closed_streams(query);
}

asio::awaitable<store::Page<store::Forbid>> ControlService::forbidden(store::ForbidQuery query) {
  SLUICE_ASSERT_ON_OWNER(executor_);
  query.now = wall_now();
  co_return store_.forbids(query);
}

asio::awaitable<bool> ControlService::kill(media::StreamKey key) {
  auto task = on(gate_.executor(),
                 [this, key] { return gate_.disconnect(key, media::DisconnectCause::kKilled); });
  auto out = co_await std::move(task);
  SLUICE_ASSERT_ON_OWNER(executor_);
  if (out.record) write_closed(*out.record);
  co_return out.was_publishing;
}

asio::awaitable<void> ControlService::forbid(media::StreamKey key, std::string domain,
                                             WallTime end_time) {
  SLUICE_ASSERT_ON_OWNER(executor_);
  const store::Forbid forbid{key.vhost,         key.app,    key.stream,
                             std::move(domain), wall_now(), end_time};
  store_.put_forbid(forbid);
  // The gate learns of the forbid before the publisher is cut, so it cannot
  // come straight back.
  auto task = on(gate_.executor(), [this, key, forbid] {
    gate_.forbid_added(forbid);
    return gate_.disconnect(key, media::DisconnectCause::kForbidden);
  });
  auto out = co_await std::move(task);
  SLUICE_ASSERT_ON_OWNER(executor_);
  if (out.record) write_closed(*out.record);
}

asio::awaitable<bool> ControlService::resume(media::StreamKey key) {
  SLUICE_ASSERT_ON_OWNER(executor_);
  const bool was_forbidden = store_.delete_forbid(key.vhost, key.app, key.stream, wall_now());
  auto task = on(gate_.executor(), [this, key] { gate_.forbid_removed(key); });
  co_await std::move(task);
  co_return was_forbidden;
}

asio::awaitable<std::pair<StreamState, std::string>> ControlService::state(media::StreamKey key) {
  SLUICE_ASSERT_ON_OWNER(executor_);
  const auto* publish = open_publishes_.find(key);
  const std::string type = publish && publish->source_type == "relay" ? "pull" : "push";
  if (store_.find_forbid(key.vhost, key.app, key.stream, wall_now())) {
    co_return std::pair{StreamState::kForbidden, type};
  }
  co_return std::pair{publish ? StreamState::kOnline : StreamState::kOffline, type};
}

}  // namespace sluice::manage
