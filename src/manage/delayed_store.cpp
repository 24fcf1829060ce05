#include "manage/delayed_store.hpp"

#include <thread>

#include "base/owner_check.hpp"

namespace sluice::manage {

void DelayedStore::wait() const {
  SLUICE_ASSERT_ON_OWNER(owner_);
  std::this_thread::sleep_for(delay_);
}

int64_t DelayedStore::open_publish(const store::OpenPublish& p) {
  wait();
  return inner_->open_publish(p);
}
void DelayedStore::touch_publishes(const std::vector<std::pair<int64_t, uint64_t>>& id_and_bytes,
                                   store::TimePoint now) {
  wait();
  inner_->touch_publishes(id_and_bytes, now);
}
void DelayedStore::close_publish(const store::ClosedStream& closed) {
  wait();
  inner_->close_publish(closed);
}
std::vector<store::ClosedStream> DelayedStore::recover_interrupted() {
  wait();
  return inner_->recover_interrupted();
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

}  // namespace sluice::manage
