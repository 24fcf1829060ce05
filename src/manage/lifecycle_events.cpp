#include "manage/lifecycle_events.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "base/owner_check.hpp"

namespace sluice::manage {

namespace detail {

struct EventSubscribers {
  using Subscriber = LifecycleEvents::Subscriber;

  explicit EventSubscribers(boost::asio::any_io_executor e) : executor(std::move(e)) {}

  bool subscribed(uint64_t id) const {
    return std::any_of(list.begin(), list.end(), [id](const auto& s) { return s.first == id; });
  }

  void remove(uint64_t id) {
    std::erase_if(list, [id](const auto& s) { return s.first == id; });
  }

  void emit(const LifecycleEvent& event) {
    SLUICE_ASSERT_ON_OWNER(executor);
    // A snapshot, because a subscriber may change the list while it runs;
    // one removed meanwhile is not called.
    const auto snapshot = list;
    for (const auto& [id, subscriber] : snapshot) {
      if (!subscribed(id)) continue;
      try {
        (*subscriber)(event);
      } catch (const std::exception& e) {
        spdlog::error("lifecycle event subscriber failed: {}", e.what());
      }
    }
  }

  boost::asio::any_io_executor executor;
  uint64_t next_id = 1;
  std::vector<std::pair<uint64_t, std::shared_ptr<Subscriber>>> list;
};

}  // namespace detail

std::string_view to_string(PlayEnd end) {
  switch (end) {
    case PlayEnd::kViewerLeft:
      return "viewer left";
    case PlayEnd::kCompleted:
      return "completed";
    case PlayEnd::kStreamEnded:
      return "stream ended";
    case PlayEnd::kNotPublished:
      return "not published";
    case PlayEnd::kTooSlow:
      return "too slow";
    case PlayEnd::kShutdown:
      return "server shutdown";
    case PlayEnd::kError:
      return "error";
  }
  return "error";
}

EventSubscription& EventSubscription::operator=(EventSubscription&& other) noexcept {
  if (this != &other) {
    reset();
    subscribers_ = std::move(other.subscribers_);
    id_ = std::exchange(other.id_, 0);
  }
  return *this;
}

void EventSubscription::reset() noexcept {
  if (auto subscribers = subscribers_.lock()) subscribers->remove(id_);
  subscribers_.reset();
  id_ = 0;
}

PlayTicket::PlayTicket(std::weak_ptr<detail::EventSubscribers> subscribers, PlayStarted started)
    : subscribers_(std::move(subscribers)),
      started_(std::move(started)),
      started_steady_(std::chrono::steady_clock::now()),
      active_(true) {}

PlayTicket& PlayTicket::operator=(PlayTicket&& other) noexcept {
  if (this != &other) {
    if (active_) finish(PlayEnd::kError, 0);
    subscribers_ = std::move(other.subscribers_);
    started_ = std::move(other.started_);
    started_steady_ = other.started_steady_;
    active_ = std::exchange(other.active_, false);
  }
  return *this;
}

PlayTicket::~PlayTicket() {
  if (!active_) return;
  try {
    finish(PlayEnd::kError, 0);
  } catch (...) {  // a destructor must not throw; the subscribers already log
  }
}

void PlayTicket::finish(PlayEnd reason, uint64_t bytes_out) {
  if (!active_) return;
  active_ = false;
  auto subscribers = subscribers_.lock();
  if (!subscribers) return;
  PlayEnded ended;
  ended.play_id = started_.play_id;
  ended.party = std::move(started_.party);
  ended.started = started_.at;
  ended.ended = wall_now();
  ended.duration = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started_steady_);
  ended.reason = reason;
  ended.bytes_out = bytes_out;
  subscribers->emit(ended);
}

LifecycleEvents::LifecycleEvents(boost::asio::any_io_executor executor)
    : subscribers_(std::make_shared<detail::EventSubscribers>(std::move(executor))) {}

LifecycleEvents::~LifecycleEvents() = default;

EventSubscription LifecycleEvents::subscribe(Subscriber subscriber) {
  SLUICE_ASSERT_ON_OWNER(subscribers_->executor);
  const uint64_t id = subscribers_->next_id++;
  subscribers_->list.emplace_back(id, std::make_shared<Subscriber>(std::move(subscriber)));
  return EventSubscription(subscribers_, id);
}

void LifecycleEvents::emit(const LifecycleEvent& event) {
  subscribers_->emit(event);
}

PlayTicket LifecycleEvents::start_play(PlayStarted started) {
  emit(started);
  return PlayTicket(subscribers_, std::move(started));
}

}  // namespace sluice::manage
