#pragma once
// A store that hands every call to another one, running each call inside
// around(), named by its operation ("close_publish", ...): the one base of
// the decorators that time calls (metrics::TimedStore) or slow them down
// for tests (manage::DelayedStore), so a new Store method is forwarded in
// one place.
#include <functional>
#include <memory>
#include <string_view>

#include "store/store.hpp"

namespace sluice::store {

class ForwardingStore : public Store {
 public:
  explicit ForwardingStore(std::unique_ptr<Store> inner) : inner_(std::move(inner)) {}

  int64_t open_publish(const OpenPublish& p, const CallbackMaker& announce = {}) override;
  void touch_publishes(const std::vector<std::pair<int64_t, uint64_t>>& id_and_bytes,
                       TimePoint now) override;
  void close_publish(const ClosedStream& closed, const CallbackMaker& announce = {}) override;
  std::vector<ClosedStream> recover_interrupted(
      const std::function<std::vector<CallbackMessage>(const ClosedStream&)>& announce = {})
      override;
  Page<ClosedStream> closed_streams(const ClosedStreamQuery& q) override;
  void append_closed(const std::vector<ClosedStream>& records) override;
  void put_forbid(const Forbid& forbid) override;
  bool delete_forbid(const std::string& vhost, const std::string& app, const std::string& stream,
                     TimePoint now) override;
  std::optional<Forbid> find_forbid(const std::string& vhost, const std::string& app,
                                    const std::string& stream, TimePoint now) override;
  Page<Forbid> forbids(const ForbidQuery& q) override;
  void queue_callbacks(const std::vector<CallbackMessage>& messages) override;
  std::vector<CallbackMessage> due_callbacks(TimePoint now, size_t limit) override;
  std::optional<TimePoint> next_callback_due() override;
  void callbacks_delivered(const std::vector<int64_t>& ids) override;
  void callback_retry(int64_t id, uint32_t attempts, TimePoint next_attempt) override;
  void callback_failed(int64_t id, uint32_t attempts) override;
  uint64_t pending_callbacks() override;

 protected:
  // Must run `call` (the inner store's) exactly once; an exception it throws
  // goes on to the caller.
  virtual void around(std::string_view operation, const std::function<void()>& call) = 0;

 private:
  template <typename Call>
  auto forward(std::string_view operation, Call&& call);

  std::unique_ptr<Store> inner_;
};

}  // namespace sluice::store
