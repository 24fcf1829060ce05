#include "manage/delayed_store.hpp"

#include <thread>

#include "base/owner_check.hpp"

namespace sluice::manage {

void DelayedStore::wait() const {
  SLUICE_ASSERT_ON_OWNER(owner_);
  std::this_thread::sleep_for(delay_);
}

int64_t DelayedStore::open_publish(const store::OpenPublish& p,
                                   const store::CallbackMaker& announce) {
  wait();
  return inner_->open_publish(p, announce);
}
void DelayedStore::touch_publishes(const std::vector<std::pair<int64_t, uint64_t>>& id_and_bytes,
                                   store::TimePoint now) {
  wait();
  inner_->touch_publishes(id_and_bytes, now);
}
void DelayedStore::close_publish(const store::ClosedStream& closed,
                                 const store::CallbackMaker& announce) {
  wait();
  inner_->close_publish(closed, announce);
}
std::vector<store::ClosedStream> DelayedStore::recover_interrupted(
    const std::function<std::vector<store::CallbackMessage>(const store::ClosedStream&)>&
        announce) {
  wait();
  return inner_->recover_interrupted(announce);
}
store::Page<store::ClosedStream> DelayedStore::closed_streams(const store::ClosedStreamQuery& q) {
  wait();
  return inner_->closed_streams(q);
}
void DelayedStore::append_closed(const std::vector<store::ClosedStream>& records) {
  wait();
  inner_->append_closed(records);
}
void DelayedStore::put_forbid(const store::Forbid& forbid) {
  wait();
  inner_->put_forbid(forbid);
}
bool DelayedStore::delete_forbid(const std::string& vhost, const std::string& app,
                                 const std::string& stream, store::TimePoint now) {
  wait();
  return inner_->delete_forbid(vhost, app, stream, now);
}
std::optional<store::Forbid> DelayedStore::find_forbid(const std::string& vhost,
                                                       const std::string& app,
                                                       const std::string& stream,
                                                       store::TimePoint now) {
  wait();
  return inner_->find_forbid(vhost, app, stream, now);
}
store::Page<store::Forbid> DelayedStore::forbids(const store::ForbidQuery& q) {
  wait();
  return inner_->forbids(q);
}

void DelayedStore::queue_callbacks(const std::vector<store::CallbackMessage>& messages) {
  wait();
  inner_->queue_callbacks(messages);
}
std::vector<store::CallbackMessage> DelayedStore::due_callbacks(store::TimePoint now,
                                                                size_t limit) {
  wait();
  return inner_->due_callbacks(now, limit);
}
std::optional<store::TimePoint> DelayedStore::next_callback_due() {
  wait();
  return inner_->next_callback_due();
}
void DelayedStore::callbacks_delivered(const std::vector<int64_t>& ids) {
  wait();
  inner_->callbacks_delivered(ids);
}
void DelayedStore::callback_retry(int64_t id, uint32_t attempts, store::TimePoint next_attempt) {
  wait();
  inner_->callback_retry(id, attempts, next_attempt);
}
void DelayedStore::callback_failed(int64_t id, uint32_t attempts) {
  wait();
  inner_->callback_failed(id, attempts);
}
uint64_t DelayedStore::pending_callbacks() {
  wait();
  return inner_->pending_callbacks();
}

}  // namespace sluice::manage
