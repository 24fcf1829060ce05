#pragma once
// The control side of stream management, owned by the control executor:
// the management actions' semantics (online list, history, forbidden list,
// kill, forbid, resume, state), the durable store, and the heartbeat that
// keeps open publish records fresh. What is live is asked of the media
// side's AccessGate by awaiting on its executor; the store is only ever
// touched here, so a slow store call delays the API, never a viewer.
// The HTTP layer only parses, authenticates, calls this and writes JSON.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <optional>
#include <string>
#include <utility>

#include "base/rfc3339.hpp"
#include "config/config.hpp"
#include "manage/access_gate.hpp"
#include "manage/open_publishes.hpp"
#include "store/store.hpp"

namespace sluice::manage {

struct OnlineQuery {
  store::NameFilter names;
  std::optional<std::string> source_type;  // push | relay
  std::optional<std::string> stream_type;  // origin | trans
  store::PageRequest page;
};

enum class StreamState { kOnline, kOffline, kForbidden };

class ControlService : public PublishRecords {
 public:
  ControlService(boost::asio::any_io_executor executor, const config::Config& config,
                 store::Store& store, AccessGate& gate);

  // Before either thread runs: records publishes a crash interrupted, gives
  // the gate the forbids in force, and starts the heartbeat.
  void start();
  void stop();

  // --- actions (on the control executor) ---
  boost::asio::awaitable<store::Page<OnlineStream>> online(OnlineQuery query);
  boost::asio::awaitable<store::Page<store::ClosedStream>> history(store::ClosedStreamQuery query);
  boost::asio::awaitable<store::Page<store::Forbid>> forbidden(store::ForbidQuery query);
  // False when the stream is not being published. Answers once the
  // publisher is gone, the stream free and its closed record written.
  boost::asio::awaitable<bool> kill(media::StreamKey key);
  boost::asio::awaitable<void> forbid(media::StreamKey key, std::string domain, WallTime end_time);
  // False when the stream was not forbidden.
  boost::asio::awaitable<bool> resume(media::StreamKey key);
  // State and type ("push", or "pull" for a relayed stream).
  boost::asio::awaitable<std::pair<StreamState, std::string>> state(media::StreamKey key);

  // Called on control after the store queued callbacks, so their delivery
  // (src/hooks, a layer above) starts now rather than at its next poll.
  void on_callbacks_queued(std::function<void()> notify) {
    on_callbacks_queued_ = std::move(notify);
  }

  const config::Config& config() const { return config_; }
  const boost::asio::any_io_executor& executor() const { return executor_; }

  // --- PublishRecords (called by the gate on the media executor) ---
  boost::asio::awaitable<int64_t> open(store::OpenPublish publish) override;
  void closed(store::ClosedStream record) override;

 private:
  void write_closed(const store::ClosedStream& record);
  void callbacks_queued() const;
  void schedule_heartbeat();
  boost::asio::awaitable<void> heartbeat();

  boost::asio::any_io_executor executor_;
  const config::Config& config_;
  store::Store& store_;
  AccessGate& gate_;
  boost::asio::steady_timer heartbeat_timer_;
  OpenPublishes open_publishes_;
  std::function<void()> on_callbacks_queued_;
  bool stopped_ = false;
};

}  // namespace sluice::manage
