#pragma once
// The media side of stream management, owned by the media executor:
// admission of every publish and play (AccessRequest in, AccessDecision
// out), disconnecting a publisher for kill and forbid, and snapshots of the
// online streams for the control side. It never touches the store: records
// go to the control side through PublishRecords, and forbids come from it.
//
// Admission runs the built-in rules (names, forbids, one publisher per
// stream), then every added AccessCheck, which may await; after the last
// await the gate checks its own state again and reserves the name before it
// awaits the control side for the publish record, so of two racing
// publishers exactly one wins.
//
// What it decides, and how each publish and play ends, goes out as
// lifecycle events (events()): the log, metrics and callbacks subscribe there.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "manage/access_decision.hpp"
#include "manage/access_request.hpp"
#include "manage/active_forbids.hpp"
#include "manage/lifecycle_events.hpp"
#include "media/registry.hpp"
#include "store/store.hpp"

namespace sluice::manage {

// Where the gate sends publish records; implemented by the control side,
// which crosses to its own executor. Called on the media executor.
class PublishRecords {
 public:
  virtual ~PublishRecords() = default;
  // Writes the open record; its id becomes the publish's (awaits control).
  virtual boost::asio::awaitable<int64_t> open(store::OpenPublish publish) = 0;
  // Sends the closed record to be written; does not wait.
  virtual void closed(store::ClosedStream record) = 0;
};

// One online stream as the API lists it, copied on the media executor.
struct OnlineStream {
  int64_t id = 0;
  std::string vhost, domain, app, stream;
  std::string source_type;
  WallTime start_time;
  std::string client_address;
  uint64_t bytes_in = 0;
  uint64_t bytes_out = 0;  // to its viewers, over every protocol
  size_t viewers = 0;
};

class AccessGate {
 public:
  AccessGate(boost::asio::any_io_executor executor, const config::Config& config,
             media::Registry& registry);

  // Before the media thread runs.
  void set_records(PublishRecords& records) { records_ = &records; }
  // Extra rules, run in order after the built-in ones (auth, hooks).
  void add_check(AccessCheck check);

  boost::asio::awaitable<AccessDecision> admit_publish(AccessRequest request);
  boost::asio::awaitable<AccessDecision> admit_play(AccessRequest request);
  // The end of a publish this gate admitted (the session calls it once).
  void publish_ended(const PublishTicket& ticket, store::EndReason reason, uint64_t bytes_in);
  // A request the session refused before asking, because its name does not
  // resolve: reported like the gate's own refusals. `name` is printable.
  void refused_unresolved(AccessAction action, AccessProtocol protocol, std::string client_address,
                          std::string name, Refusal refusal);
  // Where the gate's decisions and every publish's and play's end are told.
  LifecycleEvents& events() { return events_; }

  // --- for the control side (called on the media executor) ---
  // Ends the publish of `key` now (the stream is free when this returns) and
  // hands its closed record to the caller, which writes it before it answers.
  struct Disconnected {
    bool was_publishing = false;
    std::optional<store::ClosedStream> record;
  };
  Disconnected disconnect(const media::StreamKey& key, media::DisconnectCause cause);
  void replace_forbids(const std::vector<store::Forbid>& forbids);
  void forbid_added(const store::Forbid& forbid);
  void forbid_removed(const media::StreamKey& key);
  std::vector<OnlineStream> online_streams() const;
  // (publish id, bytes in) of every live publish, for the heartbeat.
  std::vector<std::pair<int64_t, uint64_t>> live_publishes() const;

  const boost::asio::any_io_executor& executor() const { return executor_; }

 private:
  std::optional<Refusal> built_in_rules(const AccessRequest& request) const;
  std::optional<Refusal> publish_rules(const AccessRequest& request) const;
  boost::asio::awaitable<std::optional<Refusal>> run_checks(const AccessRequest& request);
  boost::asio::awaitable<AccessDecision> decide_publish(const AccessRequest& request);
  boost::asio::awaitable<AccessDecision> decide_play(const AccessRequest& request);
  void report_refusal(const AccessRequest& request, const Refusal& refusal);
  store::ClosedStream closed_record(const PublishTicket& t, store::EndReason reason,
                                    uint64_t bytes_in) const;

  boost::asio::any_io_executor executor_;
  const config::Config& config_;
  media::Registry& registry_;
  PublishRecords* records_ = nullptr;
  std::vector<AccessCheck> checks_;
  ActiveForbids forbids_;
  // Names admitted but not yet published (awaiting their open record).
  std::set<media::StreamKey> reserved_;
  // Set while disconnect() ends a publish: its record goes to the caller.
  std::optional<store::ClosedStream>* taking_ = nullptr;
  LifecycleEvents events_;
  uint64_t next_play_id_ = 1;
};

}  // namespace sluice::manage
