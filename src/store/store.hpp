#pragma once
// Durable state of the control plane: the history of ended publishes, the
// forbids, and the publishes in progress (so a crash cannot lose one).
//
// One interface, so that a second implementation (PostgreSQL, for several
// nodes as one cluster; not written yet) can stand beside SQLite (the one
// today, src/store/sqlite); every implementation is held to the same test
// suite (tests/unit/store_suite.hpp).
// Calls are synchronous and may block briefly on disk; every write is durable
// when the call returns (survives kill -9 of the process).
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "base/wall_time.hpp"

namespace sluice::store {

// Every time the store keeps: milliseconds, years 0001-9999 (base/wall_time.hpp).
using TimePoint = WallTime;

// Every implementation reports a failure of the storage itself (I/O, a corrupt
// or too new database, a broken constraint) as StoreError, so callers can
// catch one type whichever backend is configured.
class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class EndReason { kNormal, kKilled, kForbidden, kError, kTimeout, kInterrupted };
std::string_view to_string(EndReason reason);
std::optional<EndReason> end_reason_from_string(std::string_view text);

enum class SortOrder { kAsc, kDesc };
// kStrict: the stream name equals the filter; kFuzzy: contains it.
enum class MatchMode { kStrict, kFuzzy };

// Filters shared by the listings; an empty optional matches everything.
struct NameFilter {
  std::optional<std::string> vhost;
  std::optional<std::string> app;
  std::optional<std::string> stream;
  MatchMode stream_match = MatchMode::kStrict;
};

struct PageRequest {
  uint32_t page_num = 1;  // from 1
  uint32_t page_size = 10;
};

template <typename T>
struct Page {
  uint64_t total = 0;  // matches across all pages
  std::vector<T> items;
};

// A publish in progress, recorded when it starts.
struct OpenPublish {
  int64_t id = 0;  // assigned by the store; the online stream's ID (< 2^53)
  std::string vhost, domain, app, stream;
  std::string source_type = "push";  // push | relay
  std::string client_address;
  TimePoint start_time;
  TimePoint last_seen;  // refreshed while live; the end time if the process dies
  uint64_t bytes_in = 0;
  // The publish URL's query as the client sent it, secrets removed: what the
  // push and push_end callbacks report (fp_user_url), kept so that a push_end
  // written after a crash can report it too.
  std::string url_params;
};

struct ClosedStream {
  int64_t id = 0;  // the OpenPublish id it came from
  std::string vhost, domain, app, stream;
  std::string source_type = "push";
  std::string client_address;
  TimePoint start_time;
  TimePoint end_time;
  EndReason reason = EndReason::kNormal;
  uint64_t bytes_in = 0;
  std::string url_params;  // as in OpenPublish
};

struct ClosedStreamQuery {
  NameFilter names;
  std::optional<std::string> source_type;
  TimePoint end_from;                 // inclusive
  TimePoint end_to;                   // inclusive
  SortOrder sort = SortOrder::kDesc;  // by end time, then id
  PageRequest page;
};

struct Forbid {
  std::string vhost, app, stream;
  std::string domain;  // as named when forbidden (may be empty)
  TimePoint create_time;
  TimePoint end_time;
};

// An event waiting to be told to a callback receiver (the outbox): written
// in the same transaction as the history change it reports, so a crash can
// lose neither; deleted once delivered. README, "Callbacks".
struct CallbackMessage {
  int64_t id = 0;  // assigned by the store, increasing; the event id receivers dedupe by
  // Messages with the same key are delivered one at a time, in id order
  // ("vhost/app/stream": a push_end never overtakes its push).
  std::string order_key;
  std::string url;
  // The event's JSON object, without the fields filled in when it is sent
  // (the signature and its expiry, which depend on the send time).
  std::string payload;
  TimePoint created;       // the retry schedule counts from here
  TimePoint next_attempt;  // not sent before
  uint32_t attempts = 0;   // tries so far
  bool failed = false;     // gave up (kept for inspection; no longer blocks its key)
};

// The callbacks a history change announces; `publish_id` is the publish's
// id (for open_publish, the one the store just assigned). Called inside the
// store's transaction: it must not call the store; if it throws, nothing of
// the change is written and the exception reaches the caller.
using CallbackMaker = std::function<std::vector<CallbackMessage>(int64_t publish_id)>;

struct ForbidQuery {
  NameFilter names;
  TimePoint now;                      // only forbids with end_time > now are listed
  SortOrder sort = SortOrder::kDesc;  // by create time, then name
  PageRequest page;
};

class Store {
 public:
  virtual ~Store() = default;

  // --- publishes ---
  // Records a publish that started; returns its id. The callbacks `announce`
  // makes are queued in the same transaction (it may be empty).
  virtual int64_t open_publish(const OpenPublish& publish, const CallbackMaker& announce = {}) = 0;
  // Refreshes last_seen and bytes of live publishes (a periodic heartbeat).
  virtual void touch_publishes(const std::vector<std::pair<int64_t, uint64_t>>& id_and_bytes,
                               TimePoint now) = 0;
  // Ends a publish: removes the open record, appends the closed one and
  // queues the callbacks `announce` makes, atomically.
  virtual void close_publish(const ClosedStream& closed, const CallbackMaker& announce = {}) = 0;
  // At start-up: every publish still open (the process died during it) becomes
  // a closed record with reason kInterrupted ending at its last_seen, with
  // the callbacks `announce(record)` makes. Returns them.
  virtual std::vector<ClosedStream> recover_interrupted(
      const std::function<std::vector<CallbackMessage>(const ClosedStream&)>& announce = {}) = 0;

  // --- history ---
  virtual Page<ClosedStream> closed_streams(const ClosedStreamQuery& query) = 0;
  // Bulk load for tests and benchmarks (one transaction).
  virtual void append_closed(const std::vector<ClosedStream>& records) = 0;

  // --- forbids ---
  // Creates or replaces the forbid of (vhost, app, stream); forbidding again
  // keeps create_time and updates end_time (and domain).
  virtual void put_forbid(const Forbid& forbid) = 0;
  // Removes it; true when one with end_time > now existed.
  virtual bool delete_forbid(const std::string& vhost, const std::string& app,
                             const std::string& stream, TimePoint now) = 0;
  virtual std::optional<Forbid> find_forbid(const std::string& vhost, const std::string& app,
                                            const std::string& stream, TimePoint now) = 0;
  virtual Page<Forbid> forbids(const ForbidQuery& query) = 0;

  // --- callbacks (the outbox) ---
  // Queues messages on their own (not tied to a publish).
  virtual void queue_callbacks(const std::vector<CallbackMessage>& messages) = 0;
  // Up to `limit` messages due at `now`: of each order key only the oldest
  // message not failed, and only when its next_attempt has come. Oldest first.
  virtual std::vector<CallbackMessage> due_callbacks(TimePoint now, size_t limit) = 0;
  // The earliest next_attempt of any key's oldest waiting message.
  virtual std::optional<TimePoint> next_callback_due() = 0;
  // Delivered: removed (one transaction for all of `ids`).
  virtual void callbacks_delivered(const std::vector<int64_t>& ids) = 0;
  // A try failed: the next one is due at `next_attempt`.
  virtual void callback_retry(int64_t id, uint32_t attempts, TimePoint next_attempt) = 0;
  // Given up: marked failed, so the messages behind it go on.
  virtual void callback_failed(int64_t id, uint32_t attempts) = 0;
  // Messages waiting (not delivered, not failed).
  virtual uint64_t pending_callbacks() = 0;
};

}  // namespace sluice::store
