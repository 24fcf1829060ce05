#pragma once
// TEST ONLY: a store that sleeps before every call, standing in for a slow
// disk or a heavy query. `sluice serve` wraps its store in one when the
// environment sets SLUICE_TEST_STORE_DELAY_MS (tests/e2e/test_media_isolation.py
// uses it to show media never waits for the control thread). The sleep
// blocks the calling thread, as a slow SQLite call does; it asserts that
// thread is the control executor's.
#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <memory>

#include "store/store.hpp"

namespace sluice::manage {

class DelayedStore : public store::Store {
 public:
  DelayedStore(std::unique_ptr<store::Store> inner, std::chrono::milliseconds delay,
               boost::asio::any_io_executor owner)
      : inner_(std::move(inner)), delay_(delay), owner_(std::move(owner)) {}

  int64_t open_publish(const store::OpenPublish& p,
                       const store::CallbackMaker& announce = {}) override;
  void touch_publishes(const std::vector<std::pair<int64_t, uint64_t>>& id_and_bytes,
                       store::TimePoint now) override;
  void close_publish(const store::ClosedStream& closed,
                     const store::CallbackMaker& announce = {}) override;
  std::vector<store::ClosedStream> recover_interrupted(
      const std::function<std::vector<store::CallbackMessage>(const store::ClosedStream&)>&
          announce = {}) override;
  store::Page<store::ClosedStream> closed_streams(const store::ClosedStreamQuery& q) override;
  void append_closed(const std::vector<store::ClosedStream>& records) override;
  void put_forbid(const store::Forbid& forbid) override;
  bool delete_forbid(const std::string& vhost, const std::string& app, const std::string& stream,
                     store::TimePoint now) override;
  std::optional<store::Forbid> find_forbid(const std::string& vhost, const std::string& app,
                                           const std::string& stream,
                                           store::TimePoint now) override;
  store::Page<store::Forbid> forbids(const store::ForbidQuery& q) override;
  void queue_callbacks(const std::vector<store::CallbackMessage>& messages) override;
  std::vector<store::CallbackMessage> due_callbacks(store::TimePoint now, size_t limit) override;
  std::optional<store::TimePoint> next_callback_due() override;
  void callbacks_delivered(const std::vector<int64_t>& ids) override;
  void callback_retry(int64_t id, uint32_t attempts, store::TimePoint next_attempt) override;
  void callback_failed(int64_t id, uint32_t attempts) override;
  uint64_t pending_callbacks() override;

 private:
  void wait() const;

  std::unique_ptr<store::Store> inner_;
  std::chrono::milliseconds delay_;
  boost::asio::any_io_executor owner_;
};

}  // namespace sluice::manage
