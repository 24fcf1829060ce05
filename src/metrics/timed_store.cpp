#include "metrics/timed_store.hpp"

#include <chrono>

namespace sluice::metrics {
namespace {

// Records when it goes out of scope, so a call that throws is timed too.
class Stopwatch {
 public:
  Stopwatch(StoreMetrics& metrics, std::string_view operation)
      : metrics_(metrics), operation_(operation), start_(std::chrono::steady_clock::now()) {}
  ~Stopwatch() { metrics_.record(operation_, std::chrono::steady_clock::now() - start_); }
  Stopwatch(const Stopwatch&) = delete;
  Stopwatch& operator=(const Stopwatch&) = delete;

 private:
  StoreMetrics& metrics_;
  std::string_view operation_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace

template <typename Call>
auto TimedStore::timed(std::string_view operation, Call&& call) {
  Stopwatch stopwatch(metrics_, operation);
  return call();
}

int64_t TimedStore::open_publish(const store::OpenPublish& p,
                                 const store::CallbackMaker& announce) {
  return timed("open_publish", [&] { return inner_->open_publish(p, announce); });
}

void TimedStore::touch_publishes(const std::vector<std::pair<int64_t, uint64_t>>& id_and_bytes,
                                 store::TimePoint now) {
  timed("touch_publishes", [&] { inner_->touch_publishes(id_and_bytes, now); });
}

void TimedStore::close_publish(const store::ClosedStream& closed,
                               const store::CallbackMaker& announce) {
  timed("close_publish", [&] { inner_->close_publish(closed, announce); });
}

std::vector<store::ClosedStream> TimedStore::recover_interrupted(
    const std::function<std::vector<store::CallbackMessage>(const store::ClosedStream&)>&
        announce) {
  return timed("recover_interrupted", [&] { return inner_->recover_interrupted(announce); });
}

store::Page<store::ClosedStream> TimedStore::closed_streams(const store::ClosedStreamQuery& q) {
  return timed("closed_streams", [&] { return inner_->closed_streams(q); });
}

void TimedStore::append_closed(const std::vector<store::ClosedStream>& records) {
  timed("append_closed", [&] { inner_->append_closed(records); });
}

void TimedStore::put_forbid(const store::Forbid& forbid) {
  timed("put_forbid", [&] { inner_->put_forbid(forbid); });
}

bool TimedStore::delete_forbid(const std::string& vhost, const std::string& app,
                               const std::string& stream, store::TimePoint now) {
  return timed("delete_forbid", [&] { return inner_->delete_forbid(vhost, app, stream, now); });
}

std::optional<store::Forbid> TimedStore::find_forbid(const std::string& vhost,
                                                     const std::string& app,
                                                     const std::string& stream,
                                                     store::TimePoint now) {
  return timed("find_forbid", [&] { return inner_->find_forbid(vhost, app, stream, now); });
}

store::Page<store::Forbid> TimedStore::forbids(const store::ForbidQuery& q) {
  return timed("forbids", [&] { return inner_->forbids(q); });
}

void TimedStore::queue_callbacks(const std::vector<store::CallbackMessage>& messages) {
  timed("queue_callbacks", [&] { inner_->queue_callbacks(messages); });
}

std::vector<store::CallbackMessage> TimedStore::due_callbacks(store::TimePoint now, size_t limit) {
  return timed("due_callbacks", [&] { return inner_->due_callbacks(now, limit); });
}

std::optional<store::TimePoint> TimedStore::next_callback_due() {
  return timed("next_callback_due", [&] { return inner_->next_callback_due(); });
}

void TimedStore::callbacks_delivered(const std::vector<int64_t>& ids) {
  timed("callbacks_delivered", [&] { inner_->callbacks_delivered(ids); });
}

void TimedStore::callback_retry(int64_t id, uint32_t attempts, store::TimePoint next_attempt) {
  timed("callback_retry", [&] { inner_->callback_retry(id, attempts, next_attempt); });
}

void TimedStore::callback_failed(int64_t id, uint32_t attempts) {
  timed("callback_failed", [&] { inner_->callback_failed(id, attempts); });
}

uint64_t TimedStore::pending_callbacks() {
  return timed("pending_callbacks", [&] { return inner_->pending_callbacks(); });
}

}  // namespace sluice::metrics
