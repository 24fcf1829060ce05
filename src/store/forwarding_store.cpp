#include "store/forwarding_store.hpp"

#include <optional>
#include <type_traits>

namespace sluice::store {

template <typename Call>
auto ForwardingStore::forward(std::string_view operation, Call&& call) {
  using Result = std::invoke_result_t<Call&>;
  if constexpr (std::is_void_v<Result>) {
    around(operation, call);
  } else {
    std::optional<Result> result;
    around(operation, [&] { result.emplace(call()); });
    return std::move(*result);
  }
}

int64_t ForwardingStore::open_publish(const OpenPublish& p, const CallbackMaker& announce) {
  return forward("open_publish", [&] { return inner_->open_publish(p, announce); });
}

void ForwardingStore::touch_publishes(const std::vector<std::pair<int64_t, uint64_t>>& id_and_bytes,
                                      TimePoint now) {
  forward("touch_publishes", [&] { inner_->touch_publishes(id_and_bytes, now); });
}

void ForwardingStore::close_publish(const ClosedStream& closed, const CallbackMaker& announce) {
  forward("close_publish", [&] { inner_->close_publish(closed, announce); });
}

std::vector<ClosedStream> ForwardingStore::recover_interrupted(
    const std::function<std::vector<CallbackMessage>(const ClosedStream&)>& announce) {
  return forward("recover_interrupted", [&] { return inner_->recover_interrupted(announce); });
}

Page<ClosedStream> ForwardingStore::closed_streams(const ClosedStreamQuery& q) {
  return forward("closed_streams", [&] { return inner_->closed_streams(q); });
}

void ForwardingStore::append_closed(const std::vector<ClosedStream>& records) {
  forward("append_closed", [&] { inner_->append_closed(records); });
}

void ForwardingStore::put_forbid(const Forbid& forbid) {
  forward("put_forbid", [&] { inner_->put_forbid(forbid); });
}

bool ForwardingStore::delete_forbid(const std::string& vhost, const std::string& app,
                                    const std::string& stream, TimePoint now) {
  return forward("delete_forbid", [&] { return inner_->delete_forbid(vhost, app, stream, now); });
}

std::optional<Forbid> ForwardingStore::find_forbid(const std::string& vhost, const std::string& app,
                                                   const std::string& stream, TimePoint now) {
  return forward("find_forbid", [&] { return inner_->find_forbid(vhost, app, stream, now); });
}

Page<Forbid> ForwardingStore::forbids(const ForbidQuery& q) {
  return forward("forbids", [&] { return inner_->forbids(q); });
}

void ForwardingStore::queue_callbacks(const std::vector<CallbackMessage>& messages) {
  forward("queue_callbacks", [&] { inner_->queue_callbacks(messages); });
}

std::vector<CallbackMessage> ForwardingStore::due_callbacks(TimePoint now, size_t limit) {
  return forward("due_callbacks", [&] { return inner_->due_callbacks(now, limit); });
}

std::optional<TimePoint> ForwardingStore::next_callback_due() {
  return forward("next_callback_due", [&] { return inner_->next_callback_due(); });
}

void ForwardingStore::callbacks_delivered(const std::vector<int64_t>& ids) {
  forward("callbacks_delivered", [&] { inner_->callbacks_delivered(ids); });
}

void ForwardingStore::callback_retry(int64_t id, uint32_t attempts, TimePoint next_attempt) {
  forward("callback_retry", [&] { inner_->callback_retry(id, attempts, next_attempt); });
}

void ForwardingStore::callback_failed(int64_t id, uint32_t attempts) {
  forward("callback_failed", [&] { inner_->callback_failed(id, attempts); });
}

uint64_t ForwardingStore::pending_callbacks() {
  return forward("pending_callbacks", [&] { return inner_->pending_callbacks(); });
}

}  // namespace sluice::store
