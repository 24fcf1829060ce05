#pragma once
// One stream of what happens to publishes and plays: a publish started or
// ended (and why), a play started or ended (how long, how many bytes), a
// request refused (and why). The access gate emits them on the media
// executor; the log, metrics and durable callbacks subscribe here instead of
// being called from each session. A subscriber runs on the media thread, so
// it must be quick: one that writes to the store or the network copies the
// event and posts it to its own executor.
#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <variant>

#include "base/wall_time.hpp"
#include "manage/access_request.hpp"
#include "media/stream_key.hpp"
#include "store/store.hpp"

namespace sluice::manage {

// Who asked for which stream, as every event names it.
struct Party {
  AccessProtocol protocol = AccessProtocol::kRtmp;
  media::StreamKey key;
  std::string domain;  // as the client named it (may be empty)
  std::string client_address;
};

struct PublishStarted {
  int64_t publish_id = 0;  // the history record's id
  Party party;
  WallTime at;
};

struct PublishEnded {
  int64_t publish_id = 0;
  Party party;
  WallTime started, ended;
  store::EndReason reason = store::EndReason::kNormal;
  uint64_t bytes_in = 0;
};

struct PlayStarted {
  uint64_t play_id = 0;  // unique within this process
  Party party;
  WallTime at;
  bool publisher_live = false;  // false: the viewer waits for a publisher
};

// Why a play ended, from the viewer's side.
enum class PlayEnd {
  kViewerLeft,    // the player hung up
  kCompleted,     // it got what it asked for (RTMP Duration, an HTTP HEAD)
  kStreamEnded,   // the publisher left and did not return within the grace
  kNotPublished,  // no publisher within media.play_wait_timeout
  kTooSlow,       // the player fell behind too often (README, "Slow viewers")
  kShutdown,      // the server stopped
  kError,         // a protocol error or a failed write
};
std::string_view to_string(PlayEnd end);

struct PlayEnded {
  uint64_t play_id = 0;
  Party party;
  WallTime started, ended;
  std::chrono::milliseconds duration{0};  // steady clock: immune to clock steps
  PlayEnd reason = PlayEnd::kViewerLeft;
  uint64_t bytes_out = 0;
};

struct AccessRefused {
  AccessAction action = AccessAction::kPlay;
  Party party;       // key empty when the name itself was refused
  std::string name;  // what was asked for, printable (client text went through printable())
  Refusal refusal;
  WallTime at;
};

using LifecycleEvent =
    std::variant<PublishStarted, PublishEnded, PlayStarted, PlayEnded, AccessRefused>;

class LifecycleEvents;

namespace detail {
struct EventSubscribers;
}

// A subscriber's place on the event stream, given up when destroyed. Holds
// the stream weakly, so it may outlive it.
class [[nodiscard]] EventSubscription {
 public:
  EventSubscription() = default;
  EventSubscription(std::weak_ptr<detail::EventSubscribers> subscribers, uint64_t id)
      : subscribers_(std::move(subscribers)), id_(id) {}
  EventSubscription(EventSubscription&& other) noexcept { *this = std::move(other); }
  EventSubscription& operator=(EventSubscription&& other) noexcept;
  EventSubscription(const EventSubscription&) = delete;
  EventSubscription& operator=(const EventSubscription&) = delete;
  ~EventSubscription() { reset(); }

  void reset() noexcept;

 private:
  std::weak_ptr<detail::EventSubscribers> subscribers_;
  uint64_t id_ = 0;
};

// The end of a play, reported once: explicitly by the session with its
// reason and bytes, or (should a session end by a path that forgot to) by
// the destructor as an error. Holds the event stream weakly.
class [[nodiscard]] PlayTicket {
 public:
  PlayTicket() = default;
  PlayTicket(std::weak_ptr<detail::EventSubscribers> subscribers, PlayStarted started);
  PlayTicket(PlayTicket&& other) noexcept { *this = std::move(other); }
  PlayTicket& operator=(PlayTicket&& other) noexcept;
  PlayTicket(const PlayTicket&) = delete;
  PlayTicket& operator=(const PlayTicket&) = delete;
  ~PlayTicket();

  // Emits PlayEnded (once; later calls do nothing).
  void finish(PlayEnd reason, uint64_t bytes_out);
  bool active() const { return active_; }
  uint64_t play_id() const { return started_.play_id; }

 private:
  std::weak_ptr<detail::EventSubscribers> subscribers_;
  PlayStarted started_;
  std::chrono::steady_clock::time_point started_steady_;
  bool active_ = false;
};

// The event stream itself, owned by the media executor.
class LifecycleEvents {
 public:
  using Subscriber = std::function<void(const LifecycleEvent&)>;

  explicit LifecycleEvents(boost::asio::any_io_executor executor);
  ~LifecycleEvents();
  LifecycleEvents(const LifecycleEvents&) = delete;
  LifecycleEvents& operator=(const LifecycleEvents&) = delete;

  // Subscribers are called in the order they subscribed. One may subscribe
  // or unsubscribe (any subscriber) from inside its call; an exception it
  // throws is logged and does not reach the emitter or the others.
  EventSubscription subscribe(Subscriber subscriber);
  void emit(const LifecycleEvent& event);
  // Emits PlayStarted and returns the ticket that will emit its end.
  PlayTicket start_play(PlayStarted started);

 private:
  std::shared_ptr<detail::EventSubscribers> subscribers_;
};

}  // namespace sluice::manage
