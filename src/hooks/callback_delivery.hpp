#pragma once
// Delivers the durable callbacks (push, push_end) waiting in the store's
// outbox to their receivers, on the control executor (the store is touched
// only there; media never waits for it, so a dead or slow receiver costs a
// publisher or viewer nothing).
//
// - At least once: a message leaves the store only after a 2xx; a crash or a
//   restart resends what was under way (same event_id).
// - In order per stream: one message of an order key in flight at a time,
//   and its successor is not fetched before the outcome is written.
// - Bounded: at most [callbacks] max_in_flight tries at once, and only those
//   are in memory; the rest wait in the store.
// - Batched: the deliveries finished since the last wake-up are removed in one
//   store call (one fsync), however many there are.
// - Failed tries follow hooks/retry_schedule.hpp; a message given up is marked
//   failed (kept in the store) with one warning in the log.
// README, "Callbacks".
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <queue>
#include <set>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "hooks/retry_schedule.hpp"
#include "store/store.hpp"

namespace sluice::hooks {

// Counted since start (the metrics layer reads them on control).
struct CallbackCounts {
  uint64_t delivered = 0;        // answered 2xx
  uint64_t retries = 0;          // tries that failed and will be tried again
  uint64_t failed = 0;           // messages given up
  uint64_t delivery_writes = 0;  // store calls removing delivered messages (one fsync each)
};

class CallbackDelivery : public std::enable_shared_from_this<CallbackDelivery> {
 public:
  // `config` is the control copy: a reloaded callback_auth_key applies to the
  // next send. Everything here runs on `executor`.
  static std::shared_ptr<CallbackDelivery> create(boost::asio::any_io_executor executor,
                                                  const config::Config& config, store::Store& store,
                                                  RetrySchedule schedule = {});

  // Resumes whatever the store holds (messages of a previous run included).
  void start();
  // Takes no new tries; tries under way are left to end on their own and
  // their outcome is dropped (the messages stay in the store and go again at
  // the next start).
  void stop();
  // New messages were queued: look at once instead of at the next due time.
  void wake();

  const CallbackCounts& counts() const { return counts_; }
  size_t in_flight() const { return in_flight_; }
  // Messages waiting in the store (not delivered, not given up).
  uint64_t queue_depth();

  CallbackDelivery(boost::asio::any_io_executor executor, const config::Config& config,
                   store::Store& store, RetrySchedule schedule);

 private:
  struct Outcome {
    store::CallbackMessage message;
    bool delivered = false;
    bool permanent = false;  // no retry can succeed
    std::string error;       // why the try failed (escaped)
  };

  boost::asio::awaitable<void> run();
  boost::asio::awaitable<void> send(store::CallbackMessage message);
  void write_outcomes();
  void start_due();
  WallTime next_wake();

  boost::asio::any_io_executor executor_;
  const config::Config& config_;
  store::Store& store_;
  RetrySchedule schedule_;
  boost::asio::steady_timer wake_timer_;
  bool woken_ = false;
  bool started_ = false;
  bool stopped_ = false;
  size_t in_flight_ = 0;
  // Order keys with a message fetched (ready, in flight, or its outcome not
  // yet written): their next message must wait.
  std::set<std::string> busy_keys_;
  // Fetched and due, not started yet: each the oldest of its key, so still
  // the one to send (only this worker changes a queued message). Fetching a
  // few slots' worth at once spares the store a query per delivery.
  std::deque<store::CallbackMessage> ready_;
  std::vector<Outcome> outcomes_;
  // When retries written by this run come due, so a wait can end then
  // while other tries are in flight (the store's next_callback_due would
  // name the ones in flight).
  std::priority_queue<WallTime, std::vector<WallTime>, std::greater<>> retry_times_;
  CallbackCounts counts_;
};

}  // namespace sluice::hooks
