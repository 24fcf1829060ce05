#include "hooks/callback_delivery.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "base/owner_check.hpp"
#include "base/untrusted_text.hpp"
#include "hooks/callback_body.hpp"
#include "hooks/http_post.hpp"

namespace sluice::hooks {
namespace {

namespace asio = boost::asio;
using std::chrono::milliseconds;

// How long a wait may last without news: with tries in flight, messages of
// an earlier run may come due unseen by this one's retry times; idle, the
// store's next due time is exact and new messages wake the worker.
constexpr milliseconds kBusyPoll{1000};
constexpr milliseconds kIdlePoll{10000};
// After a store failure, or when a due message could not be started.
constexpr milliseconds kPause{200};
// Messages held ready, in max_in_flight's: a query serves several wake-ups.
constexpr size_t kReadySlots = 4;

int64_t unix_seconds(WallTime t) {
  return std::chrono::floor<std::chrono::seconds>(t.time_since_epoch()).count();
}

}  // namespace

std::shared_ptr<CallbackDelivery> CallbackDelivery::create(asio::any_io_executor executor,
                                                           const config::Config& config,
                                                           store::Store& store,
                                                           RetrySchedule schedule) {
  return std::make_shared<CallbackDelivery>(std::move(executor), config, store, schedule);
}

CallbackDelivery::CallbackDelivery(asio::any_io_executor executor, const config::Config& config,
                                   store::Store& store, RetrySchedule schedule)
    : executor_(executor),
      config_(config),
      store_(store),
      schedule_(schedule),
      wake_timer_(std::move(executor)) {}

void CallbackDelivery::start() {
  SLUICE_ASSERT_ON_OWNER(executor_);
  if (started_) return;
  started_ = true;
  asio::co_spawn(executor_, run(), asio::detached);
}

void CallbackDelivery::stop() {
  stopped_ = true;
  wake_timer_.cancel();
}

void CallbackDelivery::wake() {
  SLUICE_ASSERT_ON_OWNER(executor_);
  woken_ = true;
  wake_timer_.cancel();
}

uint64_t CallbackDelivery::queue_depth() {
  SLUICE_ASSERT_ON_OWNER(executor_);
  return store_.pending_callbacks();
}

asio::awaitable<void> CallbackDelivery::run() {
  const auto self = shared_from_this();
  try {
    if (const uint64_t waiting = store_.pending_callbacks(); waiting > 0)
      spdlog::info("callbacks: {} waiting in the store from before; delivering", waiting);
  } catch (const std::exception& e) {
    spdlog::error("callbacks: store: {}", e.what());
  }
  while (!stopped_) {
    woken_ = false;
    WallTime wake_at;
    try {
      write_outcomes();
      start_due();
      wake_at = next_wake();
    } catch (const std::exception& e) {
      spdlog::error("callbacks: store: {}; trying again shortly", e.what());
      wake_at = wall_now() + kPause;
    }
    if (woken_ || stopped_) continue;
    wake_timer_.expires_after(std::max(wake_at - wall_now(), milliseconds(0)));
    auto waiting = wake_timer_.async_wait(asio::as_tuple(asio::use_awaitable));
    co_await std::move(waiting);
  }
}

void CallbackDelivery::start_due() {
  const size_t max = config_.callbacks.max_in_flight;
  if (stopped_ || in_flight_ >= max) return;
  if (ready_.size() < max - in_flight_) {
    // The busy keys' oldest messages are the ones already held: asking for
    // that many more leaves room for the rest.
    const size_t wanted = kReadySlots * max - ready_.size();
    for (auto& message : store_.due_callbacks(wall_now(), wanted + busy_keys_.size())) {
      if (ready_.size() >= kReadySlots * max) break;
      if (busy_keys_.insert(message.order_key).second) ready_.push_back(std::move(message));
    }
  }
  while (in_flight_ < max && !ready_.empty()) {
    ++in_flight_;
    auto sending = send(std::move(ready_.front()));
    ready_.pop_front();
    asio::co_spawn(executor_, std::move(sending), asio::detached);
  }
}

asio::awaitable<void> CallbackDelivery::send(store::CallbackMessage message) {
  const auto self = shared_from_this();
  Outcome outcome;
  outcome.message = std::move(message);
  try {
    const auto& m = outcome.message;
    const auto body =
        callback_body(m, callback_auth_key(config_, m.order_key), unix_seconds(wall_now()));
    if (!body) {
      outcome.error = "the stored payload is not a JSON object";
      outcome.permanent = true;
    } else {
      PostOptions options;
      options.timeout = config_.callbacks.timeout;
      auto posting = post(executor_, m.url, *body, options);
      const PostResult result = co_await std::move(posting);
      outcome.delivered = result.succeeded();
      if (!outcome.delivered)
        outcome.error =
            result.status ? "HTTP " + std::to_string(*result.status) : printable(result.error);
    }
  } catch (const std::exception& e) {
    outcome.error = printable(e.what());
  }
  --in_flight_;
  // After stop the message stays as it is in the store: sent again next start.
  if (stopped_) co_return;
  outcomes_.push_back(std::move(outcome));
  wake();
}

void CallbackDelivery::write_outcomes() {
  if (outcomes_.empty()) return;
  std::vector<Outcome> outcomes = std::move(outcomes_);
  outcomes_.clear();
  // Whatever happens to the writes, the keys are free again: a message whose
  // outcome was not written is still in the store and is simply sent again.
  struct FreeKeys {
    std::set<std::string>& busy;
    const std::vector<Outcome>& outcomes;
    ~FreeKeys() {
      for (const auto& o : outcomes) busy.erase(o.message.order_key);
    }
  } free_keys{busy_keys_, outcomes};

  const WallTime now = wall_now();
  std::vector<int64_t> delivered;
  for (const auto& o : outcomes) {
    const auto& m = o.message;
    if (o.delivered) {
      delivered.push_back(m.id);
      continue;
    }
    const uint32_t attempts = m.attempts + 1;
    const auto next =
        o.permanent ? std::nullopt : next_attempt(schedule_, m.created, attempts, now);
    if (next) {
      store_.callback_retry(m.id, attempts, *next);
      retry_times_.push(*next);
      ++counts_.retries;
      spdlog::debug("callback {} to {}: try {} failed ({}); again in {} ms", m.id, printable(m.url),
                    attempts, o.error, (*next - now).count());
    } else {
      store_.callback_failed(m.id, attempts);
      ++counts_.failed;
      spdlog::warn("callback {} ({}) to {} given up after {} tries: {}", m.id,
                   printable(m.order_key), printable(m.url), attempts, o.error);
    }
  }
  // One transaction for every delivery since the last wake-up.
  if (!delivered.empty()) {
    store_.callbacks_delivered(delivered);
    counts_.delivered += delivered.size();
    ++counts_.delivery_writes;
  }
}

WallTime CallbackDelivery::next_wake() {
  const WallTime now = wall_now();
  while (!retry_times_.empty() && retry_times_.top() <= now) retry_times_.pop();
  if (in_flight_ > 0) {
    WallTime at = now + kBusyPoll;
    if (!retry_times_.empty()) at = std::min(at, retry_times_.top());
    return at;
  }
  WallTime at = now + kIdlePoll;
  if (const auto due = store_.next_callback_due()) at = std::min(at, *due);
  // Due but nothing started (a store that disagrees with itself): no spinning.
  return std::max(at, now + (at <= now ? kPause : milliseconds(0)));
}

}  // namespace sluice::hooks
