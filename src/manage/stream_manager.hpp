#pragma once
// The one place that implements the management actions' semantics — online
// list, history, forbidden list, kill, forbid, resume, state — over the live
// registry and the durable store. It is also the gate the media plane asks
// before a publish (forbids) and tells when a publish ends (history).
// The HTTP layer only parses, authenticates, calls this and writes JSON.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <optional>
#include <string>
#include <variant>

#include "base/rfc3339.hpp"
#include "config/config.hpp"
#include "media/registry.hpp"
#include "store/store.hpp"

namespace sluice::manage {

struct OnlineStream {
  int64_t id = 0;
  std::string vhost, domain, app, stream;
  std::string source_type;
  WallTime start_time;
  std::string client_address;
  uint64_t bytes_in = 0;
  size_t viewers = 0;
};

struct OnlineQuery {
  store::NameFilter names;
  std::optional<std::string> source_type;  // push | relay
  std::optional<std::string> stream_type;  // origin | trans
  store::PageRequest page;
};

enum class StreamState { kOnline, kOffline, kForbidden };

// A publish the gate let through; handed back when it ends.
struct PublishTicket {
  int64_t id = 0;
  media::StreamKey key;
  std::string domain;
  std::string client_address;
  WallTime start_time;
};

class StreamManager {
 public:
  StreamManager(boost::asio::any_io_executor executor, const config::Config& config,
                media::Registry& registry, store::Store& store);

  // Records publishes a crash interrupted, then keeps live ones' last-seen
  // time fresh so a later crash loses at most a heartbeat of their duration.
  void start();
  void stop();

  // --- media plane ---
  // A ticket, or the reason the publish is refused (the stream is forbidden).
  std::variant<PublishTicket, std::string> admit_publish(const media::StreamKey& key,
                                                         const std::string& domain,
                                                         const std::string& client_address);
  void publish_ended(const PublishTicket& ticket, store::EndReason reason, uint64_t bytes_in);

  // --- actions ---
  store::Page<OnlineStream> online(const OnlineQuery& query) const;
  store::Page<store::ClosedStream> closed(const store::ClosedStreamQuery& query) const;
  store::Page<store::Forbid> forbidden(store::ForbidQuery query) const;
  // False when the stream is not being published.
  bool kill(const media::StreamKey& key);
  void forbid(const media::StreamKey& key, const std::string& domain, WallTime end_time);
  // False when the stream was not forbidden.
  bool resume(const media::StreamKey& key);
  // State and type ("push", or "pull" for a relayed stream).
  std::pair<StreamState, std::string> state(const media::StreamKey& key) const;

  const config::Config& config() const { return config_; }

 private:
  void schedule_heartbeat();
  void heartbeat();

  const config::Config& config_;
  media::Registry& registry_;
  store::Store& store_;
  boost::asio::steady_timer heartbeat_timer_;
  bool stopped_ = false;
};

}  // namespace sluice::manage
